"""Where the database is: one rule, used by the CLI, the library and Alembic."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "NEWSDB_URL"
DEFAULT_PATH = "newsdb.sqlite"


def database_url(explicit: str | os.PathLike[str] | None = None) -> str:
    """Return the database URL to use.

    Precedence: the explicit argument, then the ``NEWSDB_URL`` environment
    variable, then ``newsdb.sqlite`` in the current folder. A bare path (anything
    without ``://``) means a SQLite file at that path.

    Args:
        explicit: A URL or a file path given by the caller (e.g. ``--db``).

    Returns:
        An SQLAlchemy URL string.
    """
    value = os.fspath(explicit) if explicit is not None else os.environ.get(ENV_VAR) or DEFAULT_PATH
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"
