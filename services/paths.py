"""Where the top-level sql/ and resources/ folders are.

In a checkout (and an editable install) they sit beside this package; an
installed wheel carries them inside it, under services/_data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def _data_root() -> Path:
    for root in (_PACKAGE / "_data", _PACKAGE.parent):
        if (root / "sql" / "migrations").is_dir() and (root / "resources").is_dir():
            return root
    raise RuntimeError(f"sql/ and resources/ not found next to {_PACKAGE}; the installation is incomplete")


def migrations_dir() -> Path:
    return _data_root() / "sql" / "migrations"


def definitions_dir() -> Path:
    return _data_root() / "sql" / "definitions"


def queries_dir() -> Path:
    return _data_root() / "sql" / "queries"


def resources_dir() -> Path:
    return _data_root() / "resources"


@cache
def query(name: str) -> str:
    """The text of sql/queries/<name>.sql: one statement with :named parameters, and what
    it names of the domain pack ({{kpi.success}}, ...) filled in."""
    from services.pack import render   # the pack reads its files through this module

    return render((queries_dir() / f"{name}.sql").read_text(encoding="utf-8"))
