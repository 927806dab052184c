"""Plain data records that flow from a file on disk to the store.

Nothing here imports SQLAlchemy: parsing is pure, so it can run anywhere
(worker processes, tests, notebooks) without a database.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from pathlib import Path

from .._pickling import pickled_by_fields


class Format(enum.StrEnum):
    """The input formats newsdb can read."""

    TEXT = "text"
    HTML = "html"
    JSON = "json"
    FEED = "feed"
    WARC = "warc"


@dataclass(frozen=True, slots=True)
class RawPage:
    """A file as read from disk, before any parsing.

    Attributes:
        path: Where the file was read from.
        data: The file's bytes, exactly as stored.
        sha256: Hex SHA-256 of ``data``; the article's natural key.
        mtime: The file's modification time (UTC), if known.
    """

    path: Path
    data: bytes
    sha256: str
    mtime: dt.datetime | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """What a parser found in one page: normalised, immutable, database-free.

    Attributes:
        headline: The article's title (never empty for a stored article).
        body: The article text, paragraphs separated by one blank line.
        standfirst: The summary paragraph printed under the headline, if any.
        outlet: The publication's name as printed in its masthead, if any.
        section: The section label ("SUPERPOWERS"), raw, if any.
        byline: The byline without its leading "by", if any.
        agency: The wire agency credited (canonical short name, e.g. "AFP").
        dateline_place: The place of the dateline ("Moscow"), if any.
        published_on: The publication date (calendar day), if any.
        published_at: The publication instant (UTC) when a time is known.
        url: The page's canonical URL, if the page gives one.
        language: ISO 639-1 code, if known.
        format: Which parser produced this record.
        warnings: Non-fatal remarks about the input (e.g. a guessed encoding).
    """

    headline: str
    body: str
    standfirst: str | None = None
    outlet: str | None = None
    section: str | None = None
    byline: str | None = None
    agency: str | None = None
    dateline_place: str | None = None
    published_on: dt.date | None = None
    published_at: dt.datetime | None = None
    url: str | None = None
    language: str | None = None
    format: Format = Format.TEXT
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # How each field was found: field name -> "structured" (JSON-LD, a JSON
    # export's own field), "meta" (meta tags, <time>, canonical link),
    # "heuristic" (read from the page's visible text) or "override" (a sidecar
    # or manifest). Fields not listed were not found or need no method.
    field_methods: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # When the page was fetched (a WARC record's date, a scraper's field).
    fetched_at: dt.datetime | None = None
    # A feed entry with no full text: headline and link only.
    stub: bool = False

    @property
    def methods(self) -> dict[str, str]:
        """``field_methods`` as a dict."""
        return dict(self.field_methods)

    @property
    def paragraphs(self) -> list[str]:
        """The body split into paragraphs."""
        return [p for p in self.body.split("\n\n") if p.strip()]


@dataclass(frozen=True, slots=True)
class Record:
    """One article-sized piece of a file that holds several (a JSON Lines line,
    an element of a JSON array, a feed entry, a WARC response).

    Exactly one of ``article`` and ``error`` is set.

    Attributes:
        locator: Where in the file the record is, for people ("line 12",
            "entry 3", "record <urn:uuid:...>"); unique within the file.
        sha256: Hex SHA-256 of the record's own bytes (its natural key, so the
            same record in two files is one article).
        article: The parsed record.
        error: Why the record could not be read as an article.
    """

    locator: str
    sha256: str
    article: ParsedArticle | None = None
    error: Exception | None = None
