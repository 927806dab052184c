"""Read RSS and Atom feeds: full-text entries become articles, the others stubs.

The feed is parsed by `feedparser <https://feedparser.readthedocs.io/>`_, which reads every
RSS version, Atom 0.3/1.0 and RDF, repairs common breakage and sanitises embedded HTML.
An entry whose content (``content:encoded``, Atom ``<content>``) holds the article's text
becomes an article; an entry with a title and a summary only becomes a stub (headline, link,
summary as standfirst) that a later fetch of the page can complete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import time
from collections.abc import Iterator
from typing import Any

import feedparser  # type: ignore[import-untyped]

from newsdb.errors import NotAnArticle, ParseError
from newsdb.parsers import fields as fx
from newsdb.parsers import normalize as nz
from newsdb.parsers.base import Format, ParsedArticle, RawPage, Record

__all__ = ["parse_feed_records"]

# Content shorter than this is a teaser, not the article ("Read the full story ...").
_MIN_CONTENT_WORDS = 60
# A summary this long, in several paragraphs, is the full text (feeds that put the whole
# article in RSS <description>).
_MIN_SUMMARY_WORDS = 150
_MIN_SUMMARY_PARAGRAPHS = 3
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
# The first element of an XML document, after its prolog, comments and doctype.
_ROOT_RE = re.compile(
    rb"^\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([A-Za-z_][\w:.-]*)", re.DOTALL
)


def _root_element(data: bytes) -> str | None:
    m = _ROOT_RE.match(data[:4096].lstrip(b"\xef\xbb\xbf"))
    return m.group(1).decode("ascii", "replace") if m else None


def _get(mapping: Any, key: str) -> Any:
    """A key of a feedparser dict as stored, or None.

    ``dict.get`` skips feedparser's own lookup, which maps old key names to new ones and
    warns (DeprecationWarning) when it does: the keys used here are the stored ones.
    """
    return dict.get(mapping, key) if isinstance(mapping, dict) else None


def _paragraphs(detail: Any) -> list[str]:
    """The paragraphs of a feedparser text construct (``{"type": ..., "value": ...}``)."""
    value = _get(detail, "value")
    if not isinstance(value, str) or not value.strip():
        return []
    kind = _get(detail, "type")
    html = None if not isinstance(kind, str) else kind.lower() in _HTML_TYPES
    return fx.paragraphs_of(value, html=html)


def _content(entry: Any) -> tuple[list[str], str]:
    """The entry's longest content, as paragraphs, and its raw value (for the hash)."""
    best: list[str] = []
    raw = ""
    contents = _get(entry, "content")
    for detail in contents if isinstance(contents, list) else []:
        paragraphs = _paragraphs(detail)
        if sum(map(len, paragraphs)) > sum(map(len, best)):
            best = paragraphs
            raw = str(_get(detail, "value"))
    return best, raw


def _words(paragraphs: list[str]) -> int:
    return sum(nz.word_count(p) for p in paragraphs)


def _when(entry: Any, key: str) -> dt.datetime | None:
    """An entry's date: its own text when readable (it keeps the zone), else feedparser's."""
    found = fx.parse_when(_get(entry, key))
    if found is not None:
        return found
    parsed = _get(entry, f"{key}_parsed")
    if isinstance(parsed, time.struct_time):
        try:
            return dt.datetime(*parsed[:6], tzinfo=dt.UTC)
        except (ValueError, OverflowError):
            return None
    return None


def _names(entry: Any) -> list[str]:
    detail = fx.as_names(_get(entry, "author_detail"))
    if detail:
        authors = fx.as_names(_get(entry, "authors"))
        # feedparser lists dc:creator and <author> both; keep those it could name cleanly.
        return list(dict.fromkeys([*detail, *(a for a in authors if "(" not in a)]))
    return fx.as_names(_get(entry, "author"))


def _entry(
    entry: Any, feed: dict[str, Any], locator: str, raw: RawPage, warnings: tuple[str, ...]
) -> Record:
    ident = fx.as_text(_get(entry, "id")) or fx.as_text(_get(entry, "link")) or ""
    updated = fx.as_text(_get(entry, "updated")) or fx.as_text(_get(entry, "published")) or ""
    content, content_raw = _content(entry)
    key = "\n".join((ident, updated, content_raw or str(_get(entry, "summary") or "")))
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    try:
        article = _article(entry, feed, content, locator, raw, warnings)
    except ParseError as exc:
        return Record(locator=locator, sha256=digest, error=exc)
    return Record(locator=locator, sha256=digest, article=article)


def _article(
    entry: Any,
    feed: dict[str, Any],
    content: list[str],
    locator: str,
    raw: RawPage,
    warnings: tuple[str, ...],
) -> ParsedArticle:
    title = fx.as_text(_get(entry, "title"))
    headline = fx.plain_text(title) if title else ""
    if not headline:
        raise NotAnArticle(f"{locator}: entry without a title", raw.path)
    methods = {"headline": "structured"}

    summary = _paragraphs(_get(entry, "summary_detail"))
    if not summary and isinstance(_get(entry, "summary"), str):
        summary = fx.paragraphs_of(_get(entry, "summary"))
    body: list[str] = []
    if _words(content) >= _MIN_CONTENT_WORDS:
        body = content
    elif (
        _words(summary) >= _MIN_SUMMARY_WORDS
        and len(summary) >= _MIN_SUMMARY_PARAGRAPHS
        and _words(summary) > _words(content)
    ):
        body, summary = summary, []
    standfirst = " ".join(summary) or None
    if standfirst is not None and body and nz.fold(standfirst) == nz.fold(body[0]):
        standfirst = None

    url = fx.as_text(_get(entry, "link"))
    url = url.strip() if url else None
    if not body and not url:
        raise NotAnArticle(f"{locator}: entry without full text or a link", raw.path)

    byline, agency = fx.byline_and_agency(_names(entry))
    published = _when(entry, "published") or _when(entry, "updated")
    published_on, published_at = fx.date_fields(published)
    tags = _get(entry, "tags")
    section = None
    if isinstance(tags, list) and tags:
        term = fx.as_text(_get(tags[0], "term")) or fx.as_text(_get(tags[0], "label"))
        section = fx.clean_text(term) if term else None
    outlet_text = fx.as_text(_get(feed, "title"))
    outlet = fx.plain_text(outlet_text) if outlet_text else None
    language = fx.language_code(_get(feed, "language"))
    if language is not None:
        methods["language"] = "structured"
    elif body:
        language = nz.guess_language(body)
        if language is not None:
            methods["language"] = "heuristic"

    found = {
        "body": body or None,
        "standfirst": standfirst,
        "outlet": outlet,
        "section": section,
        "byline": byline,
        "agency": agency,
        "published_on": published_on,
        "published_at": published_at,
        "url": url,
    }
    methods.update((name, "structured") for name, value in found.items() if value)
    return ParsedArticle(
        headline=headline,
        body="\n\n".join(body),
        standfirst=standfirst,
        outlet=outlet or None,
        section=section or None,
        byline=byline,
        agency=agency,
        published_on=published_on,
        published_at=published_at,
        url=url,
        language=language,
        format=Format.FEED,
        warnings=warnings,
        field_methods=tuple(sorted(methods.items())),
        stub=not body,
    )


def parse_feed_records(raw: RawPage) -> Iterator[Record]:
    """Read an RSS or Atom feed (already decompressed) into article records.

    Args:
        raw: The feed file.

    Yields:
        One record per entry, located "entry N" (counted from 1) and keyed by the SHA-256
        of the entry's id (or link), its update date and its content. Entries with full
        text are articles; the others are stubs (``stub=True``, empty body, the summary as
        standfirst). An entry without a title carries a
        :class:`~newsdb.errors.NotAnArticle`. Outlet is the feed's title.

    Raises:
        ParseError: The file is not an RSS or Atom feed (the reason says why: not XML,
            another XML document).
    """
    if not raw.data.strip():
        raise ParseError("empty file", raw.path)
    # A stream, never the bytes themselves: feedparser takes a bytes argument that names an
    # existing file (or a URL) for that file, and would read it instead.
    try:
        parsed = feedparser.parse(io.BytesIO(raw.data), sanitize_html=True)
    except Exception as exc:
        # feedparser's lenient fallback parser has crash bugs on odd input (a character
        # reference beyond U+10FFFF raises ValueError, found by tests/test_fuzz.py); whatever
        # it raises, the file could not be read as a feed.
        raise ParseError(
            f"not a readable feed (feedparser failed: {type(exc).__name__}: {exc})", raw.path
        ) from exc
    entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    if not entries and not version:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            message = str(reason) if reason is not None else "unreadable"
            raise ParseError(f"not an RSS or Atom feed (not well-formed XML: {message})", raw.path)
        root = _root_element(raw.data)
        what = f"an XML document with root <{root}>" if root else "no XML"
        raise ParseError(f"not an RSS or Atom feed ({what})", raw.path)
    warnings: tuple[str, ...] = ()
    if parsed.get("bozo"):
        # feedparser recovered the entries from broken XML (or a wrong declared encoding).
        warnings = (f"feed read leniently: {parsed.get('bozo_exception')}",)
    feed = parsed.get("feed") or {}
    for number, entry in enumerate(entries, start=1):
        yield _entry(entry, feed, f"entry {number}", raw, warnings)
