"""Field helpers shared by the readers of structured formats (JSON records, feeds, WARC).

A structured record already says which value is the title, the body or the date; what is
left is to turn loosely typed values (strings, numbers, lists, nested objects, HTML
fragments, dates in any of a few notations) into clean text, paragraphs and instants, the
same way for every format. Everything here is pure.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import warnings
from collections.abc import Iterable

from newsdb.agencies import canonical_agency
from newsdb.parsers import normalize as nz

# Values nested deeper than this inside a field are ignored: real exports nest two or three
# levels at most ({"author": [{"name": ...}]}), and a bound keeps hostile input cheap.
_MAX_DEPTH = 4
# Keys under which nested objects keep their text ({"name": ...}, feedparser's {"value": ...},
# JSON-LD's {"@value": ...}, XML-to-JSON's {"#text": ...}).
_TEXT_KEYS = ("name", "value", "text", "@value", "#text", "title", "content", "body")
# Lone UTF-16 surrogates (JSON "\\ud800" escapes) cannot be stored or encoded.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_PARAGRAPH_SPLIT_RE = re.compile(r"\n[^\S\n]*\n\s*")
# Tags that show a text is an HTML fragment rather than plain text with a stray "<".
_HTML_TAG_RE = re.compile(
    r"<(?:p|div|br|span|a|b|i|em|strong|h[1-6]|li|ul|ol|blockquote|figure|img|section|"
    r"article|table|tr|td|pre|hr|iframe|script|style|picture|source|video)\b[^>]*>|&(?:[a-z]+|#\d+);",
    re.IGNORECASE,
)
# Elements whose text is never part of an article's text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "object",
    "embed",
    "form",
    "button",
    "figcaption",
    "nav",
    "aside",
    "svg",
    "template",
)
# Elements that start a new paragraph.
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "hr",
    "address",
)
_BY_PREFIX_RE = re.compile(r"^(?:by|von|par|por|door|di)\s*:?\s+(?=\S)", re.IGNORECASE)
_EMAIL_NAME_RE = re.compile(r"^\S+@\S+\s*\((?P<name>[^()]+)\)$")
_EMAIL_RE = re.compile(r"\S+@\S+\.\w+")
_NAME_SEP_RE = re.compile(r"(\s*(?:[,;|/]|\band\b|\bund\b|&)\s*)")
_LANGUAGE_RE = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*$")
# Structured dates outside these years are placeholders ("0001-01-01") or junk.
_MIN_YEAR, _MAX_YEAR = 1900, 2100


def clean_text(value: str) -> str:
    """Normalise a one-line value: NFC, no invisible characters, single spaces.

    Args:
        value: A title, a name, a label.

    Returns:
        The value on one line, stripped ("" when nothing visible is left).
    """
    value = _SURROGATE_RE.sub("\ufffd", value)
    return nz.clean_line(nz.normalize_text(value).replace("\n", " "))


def as_text(value: object, *, joiner: str = ", ", depth: int = 0) -> str | None:
    """Read a loosely typed field as text.

    Strings are taken as they are, numbers spelled out, lists joined, and objects read
    through their usual text keys (``name``, ``value``, ``text``...).

    Args:
        value: A field's value, as decoded from JSON or returned by a feed library.
        joiner: What to put between the texts of a list's items.
        depth: Nesting level (internal).

    Returns:
        The text (not cleaned), or None when the value holds no text.
    """
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool) or value is None or depth >= _MAX_DEPTH:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        for key in _TEXT_KEYS:
            if key in value:
                found = as_text(value[key], joiner=joiner, depth=depth + 1)
                if found is not None:
                    return found
        return None
    if isinstance(value, list | tuple):
        parts = [as_text(v, joiner=joiner, depth=depth + 1) for v in value]
        texts = [p for p in parts if p is not None]
        return joiner.join(texts) if texts else None
    return None


def as_names(value: object) -> list[str]:
    """Read an author-like field as a list of names, as printed.

    Args:
        value: A string ("Jane Doe and John Roe"), a list of strings, or objects with a
            ``name``.

    Returns:
        The names (cleaned); one item for a string field.
    """
    if isinstance(value, list | tuple):
        names: list[str] = []
        for item in value:
            names.extend(as_names(item) if isinstance(item, dict) else _one_name(item))
        return names
    return _one_name(value)


def _one_name(value: object) -> list[str]:
    text = as_text(value)
    if text is None:
        return []
    name = clean_text(text)
    m = _EMAIL_NAME_RE.match(name)
    if m is not None:  # RSS's "jane@example.org (Jane Doe)"
        name = m.group("name").strip()
    name = _EMAIL_RE.sub("", name).strip(" ,;()")
    name = _BY_PREFIX_RE.sub("", name)
    # A profile link given instead of a name ("https://www.facebook.com/...") names no one.
    if not name or "://" in name or name.startswith("www."):
        return []
    return [name]


def byline_and_agency(names: Iterable[str]) -> tuple[str | None, str | None]:
    """Split credited names into the byline (people) and a wire agency.

    "Jane Doe, Reuters" gives ("Jane Doe", "Reuters"); "AFP" alone gives (None, "AFP");
    names that are not agencies are kept as printed ("Jane Doe and John Roe").

    Args:
        names: The names of an author field, as from :func:`as_names`.

    Returns:
        The byline (None when only agencies are credited) and the canonical agency name.
    """
    agency: str | None = None
    people: list[str] = []
    for name in names:
        # Keep the separators so that what remains reads as it was printed.
        tokens = _NAME_SEP_RE.split(name)
        kept: list[str] = []
        for i in range(0, len(tokens), 2):
            part = tokens[i].strip()
            found = canonical_agency(part) if part else None
            if found is not None:
                agency = agency or found
                continue
            if part:
                if kept and i > 0:
                    kept.append(tokens[i - 1])
                kept.append(part)
        person = "".join(kept).strip(" ,;|/&")
        if person:
            people.append(person)
    byline = ", ".join(dict.fromkeys(people)) or None
    return byline, agency


def looks_like_html(text: str) -> bool:
    """Tell whether a text is an HTML fragment (tags or entities), not plain text.

    Args:
        text: A body or summary field.

    Returns:
        True when the text holds common HTML tags or entities.
    """
    return ("<" in text or "&" in text) and _HTML_TAG_RE.search(text) is not None


def text_paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs.

    Blank lines separate paragraphs when the text has any; otherwise every line is one
    (news-please and most scrapers join paragraphs with a single newline).

    Args:
        text: Plain text.

    Returns:
        The non-empty paragraphs, each on one line with single spaces.
    """
    text = nz.normalize_text(_SURROGATE_RE.sub("\ufffd", text))
    chunks = (
        _PARAGRAPH_SPLIT_RE.split(text) if _PARAGRAPH_SPLIT_RE.search(text) else text.split("\n")
    )
    paragraphs = (nz.clean_line(chunk.replace("\n", " ")) for chunk in chunks)
    return [p for p in paragraphs if p]


def html_paragraphs(markup: str) -> list[str]:
    """Turn an HTML fragment (a feed entry's content, a JSON body) into paragraphs of text.

    Block elements and ``<br>`` separate paragraphs; scripts, styles, forms, captions and
    embedded frames are dropped.

    Args:
        markup: The fragment.

    Returns:
        The non-empty paragraphs, each on one line with single spaces.
    """
    if "<" not in markup and "&" not in markup:
        return text_paragraphs(markup)
    from bs4 import BeautifulSoup

    markup = _SURROGATE_RE.sub("\ufffd", markup)
    with warnings.catch_warnings():
        # bs4 warns when a fragment looks like a file name, a URL or XML; the fragment is
        # what it is, and under "warnings as errors" those remarks would become failures.
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    chunks = _PARAGRAPH_SPLIT_RE.split(nz.normalize_text(text))
    paragraphs = (nz.clean_line(chunk.replace("\n", " ")) for chunk in chunks)
    return [p for p in paragraphs if p]


def paragraphs_of(text: str, *, html: bool | None = None) -> list[str]:
    """Split a body field into paragraphs, reading it as HTML when it is HTML.

    Args:
        text: The field's text.
        html: Whether the text is HTML; None to tell by looking.

    Returns:
        The non-empty paragraphs.
    """
    if html is None:
        html = looks_like_html(text)
    return html_paragraphs(text) if html else text_paragraphs(text)


def plain_text(text: str) -> str:
    """Read a one-paragraph field that may hold HTML (a summary, a title) as plain text.

    Args:
        text: The field's text.

    Returns:
        Its text on one line.
    """
    parts = html_paragraphs(text) if looks_like_html(text) else [text]
    return clean_text(" ".join(parts))


def parse_when(value: object) -> dt.datetime | None:
    """Read a structured date field: ISO 8601, RFC 822 (feeds), Unix time, or a written date.

    Args:
        value: A string, or a number of seconds (or milliseconds) since 1970.

    Returns:
        The datetime (timezone-aware only when the value gives a zone), or None when the
        value is no plausible date.
    """
    when: dt.datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        when = _from_epoch(float(value))
    elif isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) in (10, 13):
            when = _from_epoch(float(text))
        elif text:
            when = _from_string(text)
    if when is None or not _MIN_YEAR <= when.year <= _MAX_YEAR:
        return None
    return when


def _from_epoch(seconds: float) -> dt.datetime | None:
    if 1e12 <= seconds < 1e14:  # milliseconds
        seconds /= 1000
    if not 1e8 <= seconds < 5e9:
        return None
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _from_string(text: str) -> dt.datetime | None:
    if len(text) > 100:  # a date field holding a paragraph is no date field
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    if "," in text or text[:3].isalpha():
        try:
            return email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return nz.parse_date(text)


def date_fields(when: dt.datetime | None) -> tuple[dt.date | None, dt.datetime | None]:
    """Split a datetime into the article's day and, when its zone is known, its UTC instant.

    The day is the one printed (the local calendar day), as the other parsers do.

    Args:
        when: A parsed date, or None.

    Returns:
        ``(published_on, published_at)``.
    """
    if when is None:
        return None, None
    if when.tzinfo is None or when.utcoffset() is None:
        return when.date(), None
    return when.date(), when.astimezone(dt.UTC)


def instant(when: dt.datetime | None) -> dt.datetime | None:
    """Return a datetime as a UTC instant, or None when its zone is unknown.

    Args:
        when: A parsed datetime, or None.

    Returns:
        The same instant in UTC.
    """
    return date_fields(when)[1]


def language_code(value: object) -> str | None:
    """Read a language field ("en", "en-GB", "de_DE") as an ISO 639-1 code.

    Args:
        value: The field's value.

    Returns:
        The lower-case two-letter code, or None.
    """
    text = as_text(value)
    if text is None:
        return None
    m = _LANGUAGE_RE.match(text.strip())
    return m.group(1).lower() if m else None
