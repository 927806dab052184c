"""The exceptions newsdb raises. The CLI turns them into one-line messages."""

from __future__ import annotations

from pathlib import Path


class NewsdbError(Exception):
    """Base class of every error newsdb raises on purpose."""


class ParseError(NewsdbError):
    """A file could not be read as an article.

    Attributes:
        path: The file, when known.
        reason: Why, in a few words a user can act on.
    """

    def __init__(self, reason: str, path: Path | str | None = None) -> None:
        self.reason = reason
        self.path = Path(path) if path is not None else None
        super().__init__(f"{path}: {reason}" if path is not None else reason)


class NotAnArticle(ParseError):
    """The file was read, but holds no article (an index page, an empty stub)."""


class ConfigError(NewsdbError):
    """A setting (database URL, option, data file) is wrong."""


class SchemaOutOfDate(NewsdbError):
    """The database is at an older schema revision than this newsdb needs."""


class QueryError(NewsdbError):
    """A lookup was asked in a way that cannot be answered (e.g. a malformed search)."""
