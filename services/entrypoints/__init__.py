"""Entry points and tools that use the service layer: the `steward` command, demo data, the benchmark."""
