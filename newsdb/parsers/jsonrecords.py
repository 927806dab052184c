"""Read articles exported as JSON or JSON Lines (news-please, NewsAPI, generic scrapers).

A ``.json`` file holds one record, an array of records, or an object wrapping an array
(NewsAPI's ``{"status": "ok", "articles": [...]}``); a ``.jsonl``/``.ndjson`` file holds one
record a line. Each record's shape is recognised on its own, so one file may mix them:

- news-please: ``title``, ``maintext``, ``description``, ``authors``, ``date_publish``,
  ``date_download``, ``url``, ``source_domain``, ``language``;
- NewsAPI: ``title``, ``description``, ``content`` (cut after about 200 characters and
  marked "... [+1234 chars]"), ``author``, ``publishedAt``, ``url``, ``source.name``;
- generic: a headline-like key (``headline``, ``title``) and a body-like key (``body``,
  ``text``, ``articleBody``, ``content``...) or a link (``url``, ``link``); keys match
  whatever their case and separators (``published_at``, ``publishedAt``, ``Published At``).
  schema.org ``NewsArticle`` objects and newsdb's own ``ParsedArticle`` dumps are read this way.

A record of no known shape, a line that is not valid JSON or not an object, become error
records; the other records of the file still come.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from newsdb.errors import NotAnArticle, ParseError
from newsdb.parsers import fields as fx
from newsdb.parsers import normalize as nz
from newsdb.parsers.base import Format, ParsedArticle, RawPage, Record

__all__ = ["parse_json_records", "parse_json_record"]

# Suffixes read one record a line (a ".gz" after them is allowed).
_LINE_SUFFIXES = frozenset({".jsonl", ".ndjson"})
# Keys under which an object wraps its array of records, most usual first.
_WRAPPER_KEYS = (
    "articles",
    "results",
    "items",
    "data",
    "records",
    "entries",
    "docs",
    "documents",
    "stories",
    "news",
    "hits",
    "posts",
    "response",
)
# How deep wrappers are searched for the array ({"response": {"docs": [...]}} is two).
_MAX_WRAPPING = 3
# NewsAPI cuts ``content`` and appends the length of what it left out.
_TRUNCATION_RE = re.compile(r"\s*\[\+\d+\s*chars?\]\s*$")
_NOT_KEY_CHARS_RE = re.compile(r"[^a-z0-9]")
# Keys listed in an unknown-shape error, at most.
_MAX_KEYS_SHOWN = 12


def _norm(key: str) -> str:
    """Compare keys ignoring case and separators: ``published_at`` == ``publishedAt``."""
    return _NOT_KEY_CHARS_RE.sub("", key.lower())


@dataclass(frozen=True, slots=True)
class _Shape:
    """Which keys (normalised with :func:`_norm`, best first) hold which field."""

    name: str
    headline: tuple[str, ...]
    body: tuple[str, ...]
    standfirst: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    fetched: tuple[str, ...] = ()
    url: tuple[str, ...] = ()
    outlet: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    agency: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    # NewsAPI: the content is cut and marked; the title ends with " - <source name>".
    truncated: bool = False
    title_has_outlet: bool = False


_NEWS_PLEASE = _Shape(
    name="news-please",
    headline=("title", "titlepage", "titlerss"),
    body=("maintext",),
    standfirst=("description",),
    authors=("authors",),
    date=("datepublish",),
    fetched=("datedownload",),
    url=("url",),
    outlet=("sourcedomain",),
    language=("language",),
)
_NEWSAPI = _Shape(
    name="newsapi",
    headline=("title",),
    body=("content",),
    standfirst=("description",),
    authors=("author",),
    date=("publishedat",),
    url=("url",),
    outlet=("source",),
    truncated=True,
    title_has_outlet=True,
)
_GENERIC = _Shape(
    name="generic",
    headline=("headline", "title", "articletitle", "titlepage"),
    body=(
        "body",
        "articlebody",
        "text",
        "maintext",
        "fulltext",
        "articletext",
        "bodytext",
        "content",
        "article",
        "story",
    ),
    standfirst=(
        "standfirst",
        "summary",
        "description",
        "abstract",
        "lede",
        "lead",
        "subtitle",
        "subheadline",
        "alternativeheadline",
        "teaser",
        "excerpt",
    ),
    authors=("byline", "authors", "author", "creator", "creators", "writer", "writers"),
    date=(
        "publishedat",
        "datepublished",
        "datepublish",
        "publisheddate",
        "publishdate",
        "publicationdate",
        "published",
        "pubdate",
        "publishedon",
        "date",
        "datecreated",
        "createdat",
        "created",
        "timestamp",
        "time",
    ),
    fetched=(
        "fetchedat",
        "datedownload",
        "downloadedat",
        "retrievedat",
        "scrapedat",
        "crawledat",
    ),
    url=("url", "canonicalurl", "link", "permalink", "uri", "href", "webpageurl"),
    outlet=(
        "outlet",
        "publisher",
        "source",
        "sourcename",
        "publication",
        "sitename",
        "site",
        "newspaper",
        "sourcedomain",
        "domain",
    ),
    section=("section", "articlesection", "category", "categories", "desk", "rubric"),
    language=("language", "lang", "inlanguage", "locale"),
    agency=("agency",),
    place=("datelineplace", "dateline", "place"),
)
# Keys only news-please writes; NewsAPI's own.
_NEWS_PLEASE_KEYS = frozenset(
    {"maintext", "datepublish", "datedownload", "sourcedomain", "titlepage", "titlerss"}
)
_NEWSAPI_KEYS = frozenset({"urltoimage", "publishedat"})


def _detect(keys: Mapping[str, object]) -> _Shape | None:
    """The shape of a record (its keys normalised), or None when it is none we know."""
    if "title" in keys and not _NEWS_PLEASE_KEYS.isdisjoint(keys):
        return _NEWS_PLEASE
    if (
        "title" in keys
        and not _NEWSAPI_KEYS.isdisjoint(keys)
        and ("urltoimage" in keys or isinstance(keys.get("source"), dict))
    ):
        return _NEWSAPI
    if any(k in keys for k in _GENERIC.headline) and any(
        k in keys for k in (*_GENERIC.body, *_GENERIC.url)
    ):
        return _GENERIC
    return None


def _first(keys: Mapping[str, object], names: tuple[str, ...]) -> object:
    """The first of ``names`` whose value holds something."""
    for name in names:
        value = keys.get(name)
        if value is not None and value != "" and value != [] and value != {}:
            return value
    return None


def _first_text(keys: Mapping[str, object], names: tuple[str, ...]) -> str | None:
    """The first field of ``names`` with text, on one line; a list gives its first item."""
    for name in names:
        value = keys.get(name)
        if isinstance(value, list) and value:
            value = value[0]
        text = fx.as_text(value)
        if text is not None:
            cleaned = fx.plain_text(text)
            if cleaned:
                return cleaned
    return None


def canonical_json(value: object) -> bytes:
    """The canonical JSON bytes of a decoded value (sorted keys, no spaces, UTF-8).

    Args:
        value: A value as decoded by :func:`json.loads`.

    Returns:
        The bytes whose SHA-256 is the record's natural key.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # JSON may carry lone surrogates ("\\ud800"); keep them byte-exact rather than fail.
    return text.encode("utf-8", "surrogatepass")


def parse_json_record(
    value: object, *, locator: str, path: Path | None = None, warnings: tuple[str, ...] = ()
) -> Record:
    """Read one decoded JSON value as an article record.

    Args:
        value: The decoded record (normally an object).
        locator: Where it is in its file ("line 3", "item 2"); prefixes error reasons.
        path: The file, for error messages.
        warnings: Remarks about the whole file to attach to the article.

    Returns:
        A record with the article, or with a :class:`~newsdb.errors.ParseError` (unknown
        shape, not an object) or :class:`~newsdb.errors.NotAnArticle` (no headline, no text).
    """
    try:
        digest = hashlib.sha256(canonical_json(value)).hexdigest()
    except RecursionError:
        error = ParseError(f"{locator}: JSON nested too deeply", path)
        return Record(locator=locator, sha256=hashlib.sha256(b"").hexdigest(), error=error)
    if not isinstance(value, dict):
        error = ParseError(f"{locator}: not a JSON object but {_kind(value)}", path)
        return Record(locator=locator, sha256=digest, error=error)
    try:
        article = _article(value, locator, path)
    except ParseError as exc:
        return Record(locator=locator, sha256=digest, error=exc)
    if warnings:
        article = replace(article, warnings=article.warnings + warnings)
    return Record(locator=locator, sha256=digest, article=article)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


def _article(record: dict[str, object], locator: str, path: Path | None) -> ParsedArticle:
    """Map one record's fields onto an article."""
    keys: dict[str, object] = {}
    for key, value in record.items():
        keys.setdefault(_norm(key), value)
    shape = _detect(keys)
    if shape is None:
        shown = sorted(record)
        listed = ", ".join(shown[:_MAX_KEYS_SHOWN])
        if len(shown) > _MAX_KEYS_SHOWN:
            listed += f", ... ({len(shown)} keys)"
        raise ParseError(f"{locator}: unknown record shape (keys: {listed or 'none'})", path)

    methods: dict[str, str] = {}
    warnings: list[str] = []
    outlet = _first_text(keys, shape.outlet)

    headline = _first_text(keys, shape.headline)
    if headline is None:
        raise NotAnArticle(f"{locator}: no headline ({shape.name} record without a title)", path)
    if shape.title_has_outlet and outlet:
        # NewsAPI titles end with " - <source name>"; the outlet is stored on its own.
        for dash in (" - ", " – ", " — ", " | "):
            suffix = dash + outlet
            if headline.endswith(suffix) and len(headline) > len(suffix):
                headline = headline[: -len(suffix)].rstrip()
                break
    methods["headline"] = "structured"

    paragraphs: list[str] = []
    body_text = fx.as_text(_first(keys, shape.body), joiner="\n\n")
    if body_text is not None:
        if shape.truncated:
            cut = _TRUNCATION_RE.search(body_text)
            if cut is not None:
                body_text = body_text[: cut.start()]
                warnings.append("truncated content")
        paragraphs = fx.paragraphs_of(body_text)
    if paragraphs:
        methods["body"] = "structured"

    standfirst = _first_text(keys, shape.standfirst)
    if standfirst is not None and paragraphs and nz.fold(standfirst) == nz.fold(paragraphs[0]):
        standfirst = None

    names = fx.as_names(_first(keys, shape.authors))
    byline, agency = fx.byline_and_agency(names)
    explicit_agency = _first_text(keys, shape.agency)
    if explicit_agency is not None:
        agency = fx.byline_and_agency([explicit_agency])[1] or explicit_agency

    published = None
    for key in shape.date:
        published = fx.parse_when(keys.get(key))
        if published is not None:
            break
    published_on, published_at = fx.date_fields(published)
    fetched_at = None
    for key in shape.fetched:
        fetched_at = fx.instant(fx.parse_when(keys.get(key)))
        if fetched_at is not None:
            break

    url = _first_text(keys, shape.url)
    language = fx.language_code(_first(keys, shape.language))
    if language is None and paragraphs:
        language = nz.guess_language(paragraphs)
        if language is not None:
            methods["language"] = "heuristic"
    elif language is not None:
        methods["language"] = "structured"

    section = _first_text(keys, shape.section)
    place = _first_text(keys, shape.place)
    found = {
        "standfirst": standfirst,
        "outlet": outlet,
        "section": section,
        "byline": byline,
        "agency": agency,
        "dateline_place": place,
        "published_on": published_on,
        "published_at": published_at,
        "url": url,
        "fetched_at": fetched_at,
    }
    methods.update((name, "structured") for name, value in found.items() if value is not None)

    stub = not paragraphs
    if stub and url is None:
        raise NotAnArticle(f"{locator}: no article text and no link", path)
    return ParsedArticle(
        headline=headline,
        body="\n\n".join(paragraphs),
        standfirst=standfirst,
        outlet=outlet,
        section=section,
        byline=byline,
        agency=agency,
        dateline_place=place,
        published_on=published_on,
        published_at=published_at,
        url=url,
        language=language,
        format=Format.JSON,
        warnings=tuple(warnings),
        field_methods=tuple(sorted(methods.items())),
        fetched_at=fetched_at,
        stub=stub,
    )


def _is_lines_file(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return bool(suffixes) and suffixes[-1] in _LINE_SUFFIXES


def _decode(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    """Decode a JSON file: UTF-8/16/32 as JSON allows (BOM or not), else a guessed encoding."""
    if not data.strip():
        raise ParseError("empty file", path)
    encoding = json.detect_encoding(data)
    try:
        return data.decode(encoding), ()
    except UnicodeDecodeError:
        # Not what JSON must be, but exports in a legacy code page exist: guess, and say so.
        from newsdb.parsers import decode_text

        return decode_text(data, path)


def _lines(text: str, path: Path, warnings: tuple[str, ...]) -> Iterator[Record]:
    # Split on "\n" only: str.splitlines() also splits on U+2028 and friends, which JSON
    # strings may hold unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        locator = f"line {number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            error = ParseError(f"{locator}: invalid JSON ({exc.msg} at column {exc.colno})", path)
        except (ValueError, RecursionError) as exc:  # over-long integers, deep nesting
            error = ParseError(f"{locator}: invalid JSON ({_reason(exc)})", path)
        else:
            yield parse_json_record(value, locator=locator, path=path, warnings=warnings)
            continue
        digest = hashlib.sha256(line.encode("utf-8", "surrogatepass")).hexdigest()
        yield Record(locator=locator, sha256=digest, error=error)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).split(";")[0]


def _records_in(value: object, depth: int = 0) -> list[object] | None:
    """The array of records an object wraps, or None when it wraps none."""
    if not isinstance(value, dict) or depth >= _MAX_WRAPPING:
        return None
    if _detect({_norm(k): v for k, v in value.items()}) is not None:
        return None
    for key in _WRAPPER_KEYS:
        inner = value.get(key)
        if isinstance(inner, list) and any(isinstance(item, dict) for item in inner):
            return inner
    arrays = [
        v for v in value.values() if isinstance(v, list) and any(isinstance(i, dict) for i in v)
    ]
    if len(arrays) == 1:
        return arrays[0]
    for key in _WRAPPER_KEYS:
        found = _records_in(value.get(key), depth + 1)
        if found is not None:
            return found
    return None


def _starts_with_object_line(text: str) -> bool:
    """True when the first non-blank line of a text is a JSON object on its own."""
    for line in text.split("\n"):
        if line.strip():
            try:
                return isinstance(json.loads(line), dict)
            except (ValueError, RecursionError):
                return False
    return False


def parse_json_records(raw: RawPage) -> Iterator[Record]:
    """Read a JSON or JSON Lines file (already decompressed) into article records.

    Args:
        raw: The file. ``.jsonl`` and ``.ndjson`` are read one record a line (blank lines
            skipped); ``.json`` as one document: an object, an array of objects, or an
            object wrapping such an array. A ``.json`` file that is in fact JSON Lines is
            read as such.

    Yields:
        One record per object, located "line N" or "item N" (counted from 1) and keyed by
        the SHA-256 of the object's canonical JSON. A record of unknown shape, a line that
        is not JSON or not an object, carry a :class:`~newsdb.errors.ParseError`.

    Raises:
        ParseError: The file is empty, cannot be decoded, or (``.json``) does not parse
            as JSON (the reason gives the line and column) or holds no object.
    """
    text, warnings = _decode(raw.data, raw.path)
    if _is_lines_file(raw.path):
        yield from _lines(text, raw.path, warnings)
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _starts_with_object_line(text):
            yield from _lines(text, raw.path, warnings)
            return
        raise ParseError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", raw.path
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"invalid JSON: {_reason(exc)}", raw.path) from exc
    items: list[object]
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict):
        wrapped = _records_in(value)
        items = wrapped if wrapped is not None else [value]
    else:
        raise ParseError(f"the JSON document is {_kind(value)}, not article objects", raw.path)
    for number, item in enumerate(items, start=1):
        yield parse_json_record(item, locator=f"item {number}", path=raw.path, warnings=warnings)
