"""The `steward` command. With no subcommand it opens the desktop.

The commands themselves are in commands.py (typer, rich, every group). Importing
them takes a second or more, so when the command line opens the desktop, `main`
first shows the desktop's start window (desktop/splash.py, Qt only) and imports
them behind it: a person sees Steward starting within half a second. The desktop
is imported with importlib, never by an import statement, so the daemon and the
other commands never load Qt.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

# The root's options that take a value (see commands.root); any other word is a command.
_ROOT_OPTIONS = ("--database-url", "--user")


def opens_desktop(args: list[str]) -> bool:
    """Whether these arguments open the desktop: no command, or `desktop`, and no --help."""
    if any(a in ("--help", "-h") for a in args):
        return False
    words = iter(args)
    for word in words:
        if word in _ROOT_OPTIONS:
            next(words, None)
        elif word.split("=", 1)[0] in _ROOT_OPTIONS:
            continue
        else:
            return word == "desktop"
    return True


def main() -> None:
    if opens_desktop(sys.argv[1:]):
        splash = importlib.import_module("desktop.splash")
        if splash.early() is not None:
            splash.in_background(lambda: importlib.import_module("services.entrypoints.cli.commands"))
            if splash.cancelled():
                return
    importlib.import_module("services.entrypoints.cli.commands").run()


def __getattr__(name: str) -> Any:
    # `from services.entrypoints.cli import app` (the tests' CliRunner) still finds the typer app.
    if name in ("app", "root", "desktop"):
        return getattr(importlib.import_module("services.entrypoints.cli.commands"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    sys.exit(main())
