"""The app as uvicorn starts it in each worker process (`steward serve` sets the environment)."""

from __future__ import annotations

import json
import os

from services.entrypoints.http.server import Server, ServerOptions, server_url

ENV_URL = "STEWARD_HTTP_DATABASE_URL"
ENV_OPTIONS = "STEWARD_HTTP_OPTIONS"


def app_from_env():
    from services.entrypoints.http.app import create_app

    url = os.environ.get(ENV_URL)
    if not url:
        raise RuntimeError(f"{ENV_URL} is not set: start the server with `steward serve`.")
    options = ServerOptions(**json.loads(os.environ.get(ENV_OPTIONS) or "{}"))
    return create_app(Server(server_url(url), options))
