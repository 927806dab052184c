"""newsdb: turn a folder of saved news pages into one queryable relational database."""

from __future__ import annotations

__version__ = "0.1.0"

# First: decides whether the compiled modules or their sources run (newsdb/_compiled.py).
from . import _compiled  # noqa: E402, F401

# Re-exports below need __version__ defined first (the store records it on every row).
from .db import make_engine, make_session_factory, upgrade  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    NewsdbError,
    NotAnArticle,
    ParseError,
    QueryError,
    SchemaOutOfDate,
)
from .importer import ImportReport, import_files, run_import  # noqa: E402
from .parsers import ParsedArticle, parse_page, read_page  # noqa: E402

__all__ = [
    "ConfigError",
    "ImportReport",
    "NewsdbError",
    "NotAnArticle",
    "ParseError",
    "ParsedArticle",
    "QueryError",
    "SchemaOutOfDate",
    "__version__",
    "import_files",
    "make_engine",
    "make_session_factory",
    "parse_page",
    "read_page",
    "run_import",
    "upgrade",
]
