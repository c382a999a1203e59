"""What every command shares: settings from options, friendly errors, progress bars."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from services.config import Settings
from services.errors import Forbidden, StewardError, ValidationError

# Piped into a file or another program, nothing is cut to 80 columns; in a terminal, its width.
console = Console(width=None if Console().is_terminal else 200)
err_console = Console(stderr=True, width=None if Console(stderr=True).is_terminal else 200)


def settings_from(**options) -> Settings:
    return Settings.from_env().override(**options)


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """A typed error becomes two lines for a person and an exit code, never a traceback."""
    try:
        yield
    except StewardError as exc:
        # One line, whatever the error: the field errors the message does not already say follow it.
        extra = [f"{key}: {message}" for key, message in exc.errors.items()
                 if str(message) not in exc.detail and str(key) not in exc.detail]
        shown = "; ".join(extra[:5]) + (f"; and {len(extra) - 5} more" if len(extra) > 5 else "")
        err_console.print(f"[bold red]{exc.title}:[/bold red] {escape(exc.detail)}" + (f" ({escape(shown)})" if shown else ""),
                          highlight=False, soft_wrap=True)
        sys.exit(2 if isinstance(exc, ValidationError) else 1)
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(130)


def progress_bar(transient: bool = False) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TimeRemainingColumn(), console=err_console, transient=transient,
    )


def count(n: int, word: str, words: str | None = None) -> str:
    """'1 event', '2,000 events' (in the person's number format)."""
    from services import formats

    return f"{formats.current().number(n)} {word if n == 1 else words or word + 's'}"


# A role in the words of a sentence ("you are jonas, a sales rep").
ROLE_WORDS = {"SALES_REP": "a sales rep", "TEAM_LEAD": "a team lead", "CHAIN_MANAGER": "a chain manager",
              "ADMIN": "an admin"}


def connect(settings: Settings, *, source: str = "cli", admins_only: str | None = None):
    """Connect as the settings' person. `admins_only` names what the command does
    ("list people"): anyone else is refused in one line before anything is read or written."""
    import services

    svc = services.connect(settings.database_url, settings.user, settings=settings, source=source)
    if admins_only and svc.actor.role != "ADMIN":
        actor = svc.actor
        svc.close()
        raise Forbidden(f"Only admins {admins_only}; you are {actor.login}, "
                        f"{ROLE_WORDS.get(actor.role, actor.role)}.")
    return svc
