"""What every command shares: settings from options, friendly errors, progress bars."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from services.config import Settings
from services.errors import StewardError, ValidationError

console = Console()
err_console = Console(stderr=True)


def settings_from(**options) -> Settings:
    return Settings.from_env().override(**options)


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """A typed error becomes two lines for a person and an exit code, never a traceback."""
    try:
        yield
    except StewardError as exc:
        err_console.print(f"[bold red]{exc.title}:[/bold red] {exc.detail}", highlight=False)
        for key, message in exc.errors.items():
            err_console.print(f"  {key}: {message}", highlight=False)
        sys.exit(2 if isinstance(exc, ValidationError) else 1)
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)


def progress_bar(transient: bool = False) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err_console, transient=transient,
    )


def connect(settings: Settings, *, source: str = "cli"):
    import services

    return services.connect(settings.database_url, settings.user, settings=settings, source=source)
