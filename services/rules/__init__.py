"""Pure business rules: no database, no Qt. Fast to test, safe to call anywhere."""
