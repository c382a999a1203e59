"""`steward serve`: the HTTP API (FastAPI on uvicorn) on the service layer, acting per request as
the person of a personal API token that the database itself checks (identity.py)."""
