"""The service layer: one module or package per feature, each call a unit of work."""
