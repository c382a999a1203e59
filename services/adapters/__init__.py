"""Adapters: the database (engines, units of work, error translation), the schema, the embedded server."""
