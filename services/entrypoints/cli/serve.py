"""`steward serve`: the HTTP API for other modules (docs/API.md)."""

from __future__ import annotations

import json
import logging
import os
import sys

import typer

from services.entrypoints.cli.common import console


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (put a TLS proxy in front for "
                                                          "anything but loopback; docs/API.md)."),
    port: int = typer.Option(8470, "--port", min=1, max=65535),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes."),
    pool_size: int = typer.Option(16, "--pool-size", min=1, max=200, help="Database connections per worker."),
    rate_limit: float = typer.Option(50.0, "--rate-limit", min=0,
                                     help="Requests per second per token and worker (0: no limit)."),
    burst: int = typer.Option(100, "--burst", min=1, help="Requests a token may send at once."),
    max_body: int = typer.Option(1 << 20, "--max-body", min=1024, help="Largest request body in bytes."),
    log_level: str = typer.Option("info", "--log-level", help="debug, info, warning or error."),
) -> None:
    """Serve the HTTP API: every request acts as the person of its API token (`steward tokens create`).

    The server logs in as the database role steward_http (created by the migrations): on a shared
    server give it a password and put it in STEWARD_HTTP_DATABASE_URL or ~/.pgpass."""
    import uvicorn

    from services.adapters.database import database_url
    from services.entrypoints.http.main import ENV_OPTIONS, ENV_URL, app_from_env
    from services.entrypoints.http.server import server_url
    from services.service_layer.facade import owner_url

    settings = ctx.obj
    url = os.environ.get(ENV_URL)
    if not url:
        target = database_url(settings.database_url) if settings.database_url else owner_url(settings)
        url = server_url(target).render_as_string(hide_password=False)
    os.environ[ENV_URL] = url
    os.environ[ENV_OPTIONS] = json.dumps({"pool_size": pool_size, "rate_per_second": rate_limit, "burst": burst,
                                          "max_body_bytes": max_body})
    logging.basicConfig(level=getattr(logging, log_level.upper(), logging.INFO), stream=sys.stderr,
                        format="%(message)s")
    console.print(f"Serving the Steward API on http://{host}:{port} ({workers} worker(s)); "
                  f"OpenAPI at /openapi.json, health at /health.", highlight=False)
    if workers == 1:
        app = app_from_env()   # errors (schema outdated, wrong login) show before listening
        uvicorn.run(app, host=host, port=port, access_log=False, log_level=log_level, proxy_headers=True)
    else:
        uvicorn.run("services.entrypoints.http.main:app_from_env", factory=True, host=host, port=port,
                    workers=workers, access_log=False, log_level=log_level, proxy_headers=True)
