"""Reading saved HTML pages into :class:`ParsedArticle` records.

The page is decoded (byte-order mark, then the page's own ``<meta charset>``, then UTF-8, then
charset-normalizer's guess) and parsed once with lxml. Metadata comes from structured data
first (JSON-LD), then meta tags (OpenGraph, Twitter, ``article:*``, ``<meta name=...>``,
``<time datetime>``, ``<link rel=canonical>``), then heuristics (the ``<h1>``, byline-looking
elements). The body comes from JSON-LD ``articleBody`` when that is complete, else from the
page: the page is rendered into paragraphs the way a browser lays out blocks, the block of
the page that holds the most prose (long, sentence-like, few links) is taken as the article's
container, and its paragraphs are kept unless they sit in page furniture (share bars, related
stories, comments, captions, banners) or read like it.

Nothing here knows a particular site: every rule is about the shape of pages in general.
"""

from __future__ import annotations

import codecs
import datetime as dt
import html as _html
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree  # type: ignore[import-untyped]

from ..agencies import canonical_agency
from ..errors import NotAnArticle, ParseError
from . import normalize as nz
from .base import Format, ParsedArticle
from .language import choose_language
from .urls import normalize_url

__all__ = ["decode_html", "parse_html"]

# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, and an
# XML declaration's encoding="x". Looked for in the first 64 KB only: the head is there.
_CHARSET_RE = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
_SNIFF_BYTES = 65536
# What browsers read these labels as (WHATWG Encoding Standard): Latin-1 and ASCII are
# Windows-1252, and a UTF-16 label on bytes that spelled it in ASCII is a mistake.
_ENCODING_ALIASES = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
    "utf-32": "utf-8",
    "utf-32-le": "utf-8",
    "utf-32-be": "utf-8",
    "gb2312": "gb18030",  # browsers read GB2312 and GBK labels as GB18030, a superset
    "gbk": "gb18030",
    "shift_jis": "cp932",  # likewise Windows' superset of Shift JIS
    "euc_kr": "cp949",
}
# Single-byte code pages that valid UTF-8 with non-ASCII characters is never really in.
_SINGLE_BYTE = frozenset(
    {"cp1252", "cp1250", "cp1254", "iso8859-15", "iso8859-2", "cp1251", "koi8-r", "cp874"}
)
_MAX_CONTROL_SHARE = 0.01
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def _codec(label: bytes | str) -> str | None:
    name = label.decode("ascii", "replace") if isinstance(label, bytes) else label
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _ENCODING_ALIASES.get(codec, codec)


def _declared_encoding(data: bytes) -> str | None:
    m = _CHARSET_RE.search(data, 0, _SNIFF_BYTES)
    if m is None:
        return None
    return _codec(m.group(1) or m.group(2))


def decode_html(data: bytes, path: Path | None = None) -> tuple[str, str, tuple[str, ...]]:
    """Decode an HTML page's bytes as a browser would without the HTTP headers.

    A byte-order mark wins; then the page's own ``<meta charset>`` (or http-equiv, or XML
    declaration); then UTF-8; then charset-normalizer's guess. A page that declares a
    single-byte code page but whose bytes are valid UTF-8 with non-ASCII characters is read
    as UTF-8 (the server's header, now lost, said so: such bytes are almost never meant as
    Windows-1252), with a warning.

    Args:
        data: The file's bytes.
        path: For error messages.

    Returns:
        The text, the name of the encoding used, and warnings.

    Raises:
        NotAnArticle: The file is empty.
        ParseError: The bytes are binary or in no encoding we can tell.
    """
    if not data.strip():
        raise NotAnArticle("empty file", path)
    warnings: list[str] = []
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data.decode(name), name
            except UnicodeDecodeError as exc:
                raise ParseError(f"invalid {name} text: {exc.reason}", path) from exc
            break
    if text is None:
        if b"\x00" in data[:_SNIFF_BYTES]:
            raise ParseError("binary file (contains NUL bytes), not HTML", path)
        declared = _declared_encoding(data)
        if declared is not None and declared != "utf-8":
            try:
                utf8 = data.decode("utf-8")
            except UnicodeDecodeError:
                utf8 = None
            if (
                utf8 is not None
                and not utf8.isascii()
                and codecs.lookup(declared).name
                in (
                    "cp1252",
                    "iso8859-15",
                    "iso8859-2",
                    "cp1250",
                    "cp1254",
                )
            ):
                text, encoding = utf8, "utf-8"
                warnings.append(f"declared {declared} but is UTF-8; decoded as UTF-8")
            else:
                try:
                    text, encoding = data.decode(declared), declared
                except UnicodeDecodeError:
                    warnings.append(f"not valid {declared} as declared")
        if text is None:
            try:
                text, encoding = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                from charset_normalizer import from_bytes

                best = from_bytes(data).best()
                if best is None:
                    raise ParseError("binary file or unknown text encoding", path) from None
                text, encoding = str(best), str(best.encoding)
                warnings.append(f"not UTF-8; decoded as {encoding}")
    sample = text[:_SNIFF_BYTES]
    if sample and len(_CONTROL_RE.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE:
        raise ParseError("binary file (control characters), not HTML", path)
    return text, encoding, tuple(warnings)


# --------------------------------------------------------------------------------------------
# Small text helpers
# --------------------------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_TAG_RE = re.compile(r"<[^>]{0,1000}>")


def _clean(text: str | None) -> str:
    """Collapse whitespace, drop invisible characters, NFC; ``""`` for None."""
    if not text:
        return ""
    if text.isascii():  # most text: nothing invisible or decomposed in it
        return _WS_RE.sub(" ", text).strip()
    return _WS_RE.sub(" ", nz.normalize_text(text)).strip()


def _text_of(el: Any) -> str:
    """All the text inside an element."""
    return "".join(el.itertext())


def _clean_value(value: Any) -> str:
    """A metadata string as printed: HTML entities and tags out, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    value = _unescape(value)
    if "<" in value:
        value = _TAG_RE.sub(" ", value)
    return _clean(value)


def _unescape(value: str) -> str:
    # Twice: CMSs often escape JSON-LD strings once more ("&amp;ccedil;").
    for _ in range(2):
        if "&" not in value:
            break
        value = _html.unescape(value)
    return value


_BLOCK_BREAK_RE = re.compile(r"(?i)<\s*(?:br|/p|/div|/h[1-6]|/li|/blockquote)\b[^>]*>")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")


def _ld_paragraphs(value: Any) -> list[str]:
    """JSON-LD ``articleBody`` as paragraphs: on its line breaks (or HTML block ends)."""
    if isinstance(value, list):
        value = "\n\n".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str):
        return []
    value = _unescape(value)
    if "<" in value:
        value = _TAG_RE.sub(" ", _BLOCK_BREAK_RE.sub("\n\n", value))
    value = value.replace("\r\n", "\n")
    parts = _BLANK_LINES_RE.split(value) if "\n\n" in value else value.split("\n")
    return [p for p in (_clean(x) for x in parts) if p]


def _shingle_set(texts: list[str]) -> set[tuple[str, ...]]:
    """Overlapping three-word shingles of a text, lower-cased, for comparing two versions."""
    out: set[tuple[str, ...]] = set()
    for text in texts:
        words = nz.WORD_RE.findall(text.lower())
        out.update(zip(words, words[1:], words[2:], strict=False))
    return out


def _norm_key(text: str) -> str:
    """Comparison key for two spellings of one string (case, spaces, punctuation)."""
    return " ".join(nz.WORD_RE.findall(text.casefold()))


# --------------------------------------------------------------------------------------------
# Structured data: JSON-LD
# --------------------------------------------------------------------------------------------

# schema.org types whose objects are the article itself.
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "satiricalarticle",
        "scholarlyarticle",
        "techarticle",
        "report",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "discussionforumposting",
        "review",
    }
)
# Keys under which another page's objects are listed (related stories, breadcrumbs).
_LIST_KEYS = frozenset(
    {"itemlistelement", "relatedlink", "haspart", "ispartof", "citation", "liveblogupdate"}
)
_JSON_COMMENT_RE = re.compile(
    r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$"
)
_TRAILING_COMMA_RE = re.compile(r",\s*([}\]])")


def _load_json(text: str) -> Any:
    """Parse a JSON-LD script leniently (comments, CDATA, trailing commas, several objects)."""
    text = _JSON_COMMENT_RE.sub("", text.strip()).strip().rstrip(";")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except RecursionError:  # nested deeper than Python's stack: not data anyone wrote
        return None
    except ValueError:
        pass
    text = _TRAILING_COMMA_RE.sub(r"\1", text).replace("\\'", "'")
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos] in " \t\r\n;,":
            pos += 1
        if pos >= len(text):
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        values.append(value)
    return values or None


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    if isinstance(value, str):
        return {value.rsplit("/", 1)[-1].lower()}
    if isinstance(value, list):
        return {v.rsplit("/", 1)[-1].lower() for v in value if isinstance(v, str)}
    return set()


@dataclass
class _LdObject:
    obj: dict[str, Any]
    types: set[str]
    listed: bool  # found inside a list of other pages (related stories)


def _walk_ld(value: Any, out: list[_LdObject], listed: bool = False, depth: int = 0) -> None:
    if depth > 8:
        return
    if isinstance(value, list):
        for item in value:
            _walk_ld(item, out, listed, depth + 1)
    elif isinstance(value, dict):
        types = _types(value)
        if types:
            out.append(_LdObject(value, types, listed))
        for key, sub in value.items():
            if isinstance(sub, (dict, list)) and key not in ("author", "publisher", "image"):
                _walk_ld(sub, out, listed or key.lower() in _LIST_KEYS, depth + 1)


def _is_article_type(types: set[str]) -> bool:
    return any(t in _ARTICLE_TYPES or t.endswith(("article", "posting")) for t in types)


def _ld_text(value: Any) -> str:
    """A JSON-LD value that should be a string: a string, a list's first string, an @value."""
    if isinstance(value, list):
        for item in value:
            text = _ld_text(item)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        return _ld_text(value.get("@value") or value.get("name"))
    return _clean_value(value)


def _ld_names(value: Any) -> list[tuple[str, bool]]:
    """Names of an author/creator value: (name, is_person) for strings, objects and lists."""
    out: list[tuple[str, bool]] = []
    if isinstance(value, list):
        for item in value:
            out.extend(_ld_names(item))
    elif isinstance(value, dict):
        types = _types(value)
        name = value.get("name")
        if isinstance(name, list):
            name = " ".join(n for n in name if isinstance(n, str))
        if not isinstance(name, str) or not name.strip():
            given, family = value.get("givenName"), value.get("familyName")
            name = " ".join(x for x in (given, family) if isinstance(x, str))
        text = _clean_value(name)
        if text:
            out.append((text, "organization" not in types and not any("org" in t for t in types)))
    elif isinstance(value, str):
        text = _clean_value(value)
        if text and not text.startswith(("http://", "https://", "/")):
            out.append((text, True))
    return out


# --------------------------------------------------------------------------------------------
# Meta tags
# --------------------------------------------------------------------------------------------


@dataclass
class _Head:
    """Everything the page says about itself outside its visible text."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    ld: list[_LdObject] = field(default_factory=list)
    title_tag: str = ""
    canonical: str = ""
    lang: str = ""

    def first(self, *keys: str) -> tuple[str, str] | None:
        """The first non-empty value among meta keys, with the key."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value, key
        return None

    def all(self, *keys: str) -> list[str]:
        """Every non-empty value of the meta keys, in key order."""
        return [v for key in keys for v in self.meta.get(key, ()) if v]


def _read_head(root: Any) -> _Head:
    head = _Head(lang=root.get("lang") or root.get("xml:lang") or "")
    for el in root.iter("meta", "link", "title", "script"):
        tag = el.tag
        if tag == "meta":
            content = el.get("content")
            if content is None:
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = el.get(attr)
                if key:
                    head.meta.setdefault(key.strip().lower(), []).append(_clean_value(content))
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and not head.canonical:
                head.canonical = (el.get("href") or "").strip()
        elif tag == "title":
            if not head.title_tag:
                head.title_tag = _clean(_text_of(el))
        else:
            kind = (el.get("type") or "").lower()
            if "ld+json" in kind and el.text:
                _walk_ld(_load_json(el.text), head.ld)
    return head


# --------------------------------------------------------------------------------------------
# Rendering the page into paragraphs
# --------------------------------------------------------------------------------------------

# Elements whose text is never article text.
_JUNK_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "button",
        "select",
        "option",
        "textarea",
        "input",
        "figcaption",
        "dialog",
        "head",
        "title",
        "meta",
        "link",
    }
)
# Page regions that are furniture unless they hold the article (some sites wrap it in them).
_REGION_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "menu", "figure"})
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data dfn em font i kbd mark q rp rt ruby s samp small span "
    "strike strong sub sup time tt u var wbr del ins label nobr img output meter progress "
    "picture source".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Blocks that are one paragraph each: their score goes to the element that lists them.
_LEAF_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td", "th"}
)
# class/id words of page furniture, matched inside each class token (so "c-share-bar" and
# "article__related" count); a token also naming the article ("article-body") is not enough
# to save it, but an element that holds most of the page's prose is never dropped for them.
_FURNITURE_RE = re.compile(
    r"comment|disqus|share|sharing|social|related|recommend|newsletter|subscri|signup|sign-up|"
    r"cookie|consent|gdpr|banner|promo|advert|sponsor|sidebar|breadcrumb|pagination|pager|"
    r"popup|modal|overlay|teaser|outbrain|taboola|widget|toolbar|byline|author|caption|credit|"
    r"gallery|slideshow|carousel|player|login|footer|header|masthead|navigation|navbar|menu|"
    r"skip|sr-only|visually-?hidden|screen-?reader|rating|poll|survey|donat|read-?more|"
    r"more-?(?:from|on|articles|stories|news)|also-?read|see-?also|trending|popular|most-?read|"
    r"ticker|tags?(?:$|[-_])|(?:^|[-_])tags?|keywords|topics|dateline|timestamp|(?:^|[-_])date|"
    r"(?:^|[-_])meta(?:$|[-_])|(?:^|[-_])ads?(?:$|[-_])|adslot|ad-?slot|advertisement|"
    r"(?:^|[-_])hidden(?:$|[-_])|d-none|print-only|lightbox|podcast|embed|tweet|instagram|"
    r"facebook|twitter|whatsapp|(?:^|[-_])bio(?:$|[-_])|paywall-?(?:prompt|offer|teaser)|"
    r"offer|premium-?(?:banner|box|teaser)|infobox|notice|alert|headline-?list|list-?teaser|"
    r"(?:^|[-_])(?:nav|hero|kicker|label|badge|icon|logo|button|btn)(?:$|[-_])"
)
# class/id words of the article's own container.
_CONTENT_RE = re.compile(
    r"article|story|entry|post|content|body|text|prose|main|copy|richtext|rich-text|paragraph"
)
# A copyright notice: it starts with the sign or the word, or reserves all rights.
_COPYRIGHT_LINE_RE = re.compile(
    r"^\s*(?:©|\(c\)\s|copyright\b)|all rights reserved|alle rechte vorbehalten|"
    r"tous droits réservés|todos los derechos reservados|無断転載",
    re.IGNORECASE,
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_SENTENCE_END = frozenset(".!?…。！？:\"'”’»)")


@dataclass(slots=True)
class _Para:
    """One rendered paragraph: its text and the block element it belongs to."""

    text: str
    owner: Any
    link_chars: int
    heading: bool
    chain: list[Any] = field(default_factory=list)  # owner's ancestors, nearest first
    weight: float = 0.0  # how much it counts as the article's prose
    prose: bool = False  # reads like prose (even if it turns out to be a teaser's)
    card: bool = False  # the summary of a teaser card


def _class_words(el: Any) -> str:
    cls = el.get("class") or ""
    ident = el.get("id") or ""
    if not cls and not ident:
        return ""
    return f"{cls} {ident}".lower()


_HIDDEN_XPATH = etree.XPath(
    ".//*[@hidden or @aria-hidden='true' or contains(@style, 'none') or contains(@style, 'hidden')]"
)


def _is_hidden(el: Any) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and _HIDDEN_STYLE_RE.search(style.lower()) is not None


def _render(root: Any) -> list[_Para]:
    """Lay the page out into paragraphs: block elements and ``<br>`` end a paragraph."""
    paras: list[_Para] = []
    buf: list[str] = []
    link_buf: list[str] = []
    blocks: list[Any] = [root]
    link_depth = 0
    skip_depth = 0  # > 0 while inside a junk element whose subtree was skipped

    def flush() -> None:
        if not buf:
            return
        raw = "".join(buf)
        buf.clear()
        if raw.isspace():
            link_buf.clear()
            return
        text = _clean(raw)
        links = len(_clean("".join(link_buf))) if link_buf else 0
        link_buf.clear()
        if text:
            owner = blocks[-1]
            paras.append(_Para(text, owner, min(links, len(text)), owner.tag in _HEADINGS))

    # Hidden elements, found by XPath at C speed; the set keeps their proxies alive, so the
    # walk below meets the same objects.
    hidden = {el for el in _HIDDEN_XPATH(root) if _is_hidden(el)}
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):
            if event == "end" and el.tail and skip_depth == 0:
                buf.append(el.tail)
            continue
        if event == "start":
            if skip_depth:
                continue
            if tag in _JUNK_TAGS or (hidden and el in hidden):
                walker.skip_subtree()
                skip_depth = 1
                continue
            if tag in _INLINE_TAGS:
                if tag == "a":
                    link_depth += 1
                if el.text:
                    buf.append(el.text)
                    if link_depth:
                        link_buf.append(el.text)
            elif tag == "br" or tag == "hr":
                if buf:
                    flush()
            else:
                if buf:
                    flush()
                blocks.append(el)
                if el.text:
                    buf.append(el.text)
                    if link_depth:
                        link_buf.append(el.text)
        else:
            if skip_depth:
                skip_depth = 0  # the skipped element's own end: its subtree had no events
            elif tag in _INLINE_TAGS:
                if tag == "a":
                    link_depth -= 1
            elif tag != "br" and tag != "hr":
                if buf:
                    flush()
                if len(blocks) > 1:
                    blocks.pop()
            if el.tail and el is not root:
                buf.append(el.tail)
                if link_depth:
                    link_buf.append(el.tail)
    if buf:
        flush()
    return paras


# --------------------------------------------------------------------------------------------
# Finding the article in the paragraphs
# --------------------------------------------------------------------------------------------


# Scripts written without spaces: a character there carries about what a word does in
# alphabetic scripts, so it weighs three characters.
_DENSE_SCRIPT_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]"
)


def _prose_weight(p: _Para) -> float:
    """How much a paragraph looks like article prose: its length, less links and labels."""
    text = p.text
    n = len(text)
    link_share = p.link_chars / n
    # max() finds, at C speed, whether any character is as high as the dense scripts.
    if not text.isascii() and max(text) >= "\u0e00":
        n += 2 * len(_DENSE_SCRIPT_RE.findall(text))
    if n < 20 or p.heading:
        return 0.0
    if link_share > 0.5:
        return 0.0
    weight = n * (1.0 - link_share) ** 2
    if p.text[-1] not in _SENTENCE_END:
        weight *= 0.5
    return weight


def _furniture_words(el: Any) -> bool:
    """Whether an element's tag or class/id names page furniture.

    One class token naming the article's text ("article__content") outweighs another naming
    furniture ("sidebar-grid__content"): layouts name their columns after both.
    """
    if el.tag in _REGION_TAGS:
        return True
    cls = _class_words(el)
    if not cls:
        return False
    return _furniture_class(cls)


@lru_cache(maxsize=65536)
def _furniture_class(cls: str) -> bool:
    # Cached: pages repeat their class strings many times, and so do pages of one site.
    furniture = content = False
    for token in cls.split():
        if _FURNITURE_RE.search(token) is not None:
            furniture = True
        elif _CONTENT_RE.search(token) is not None:
            content = True
    return furniture and not content


@dataclass
class _Layout:
    """Paragraph weights summed over the elements that hold them."""

    good: dict[Any, float]  # element -> prose weight below it
    bad: dict[Any, float]  # element -> characters of non-prose text below it
    furniture: dict[Any, bool]  # element -> is furniture (and holds under half the prose)
    score: dict[Any, float]  # element -> prose listed right in it (fading with depth)


# A paragraph alone in its block with this much other text beside it is a teaser card's.
_CARD_OTHER_SHARE = 0.25
_CARD_MAX_PARAGRAPHS = 5
# How much a character of furniture below an element counts against a character of prose.
_BAD_COST = 0.75


def _layout(paras: list[_Para], root: Any) -> _Layout:
    chains: dict[Any, list[Any]] = {}
    raw: dict[Any, float] = {}
    for p in paras:
        owner = p.owner
        chain = chains.get(owner)
        if chain is None:
            chain = []
            el = owner
            while el is not None:
                chain.append(el)
                if el is root:
                    break
                el = el.getparent()
            chains[owner] = chain
        p.chain = chain
        w = _prose_weight(p)
        p.weight = w
        p.prose = w > 0
        if w:
            for el in chain:
                raw[el] = raw.get(el, 0.0) + w
    # Furniture by name, unless the element holds most of the page's prose (a layout wrapper
    # called "main-with-sidebar"), or the elements of its class together do (an article cut
    # into "sidebar-grid__container" pieces between advertisements).
    limit = 0.5 * raw.get(root, 0.0)
    by_class: dict[str, float] = {}
    for el, w in raw.items():
        cls = el.get("class")
        if cls:
            by_class[cls] = by_class.get(cls, 0.0) + w
    furniture: dict[Any, bool] = {}
    owner_furniture: dict[Any, bool] = {}
    for owner, chain in chains.items():
        flag = False
        for el in chain:
            f = furniture.get(el)
            if f is None:
                f = (
                    _furniture_words(el)
                    and raw.get(el, 0.0) < limit
                    and by_class.get(el.get("class") or "", 0.0) < limit
                )
                furniture[el] = f
            flag = flag or f
        owner_furniture[owner] = flag
    # Teaser cards: a block listing a single paragraph of prose beside a linked title, a
    # time or a label. Their summaries read like prose, but a run of them is a river of
    # other stories, not the article.
    # listing element -> [prose count, prose, other text, has a title (heading or link),
    # paragraphs]
    groups: dict[Any, list[float]] = {}
    for p in paras:
        chain = p.chain
        key = chain[1] if p.owner.tag in _LEAF_BLOCKS and len(chain) > 1 else p.owner
        group = groups.get(key)
        if group is None:
            group = groups[key] = [0.0, 0.0, 0.0, 0.0, 0.0]
        group[4] += 1
        if p.weight:
            group[0] += 1
            group[1] += p.weight
        elif p.heading or p.link_chars > 0.5 * len(p.text):
            group[3] = 1.0
        group[2] += len(p.text) - p.weight
    for p in paras:
        if p.weight:
            chain = p.chain
            key = chain[1] if p.owner.tag in _LEAF_BLOCKS and len(chain) > 1 else p.owner
            count, prose, other, titled, size = groups[key]
            if (
                count == 1
                and titled
                and size <= _CARD_MAX_PARAGRAPHS
                and other >= _CARD_OTHER_SHARE * prose
            ):
                p.weight = 0.0
                p.card = True
    good: dict[Any, float] = {}
    bad: dict[Any, float] = {}
    score: dict[Any, float] = {}
    for p in paras:
        if owner_furniture[p.owner]:
            p.weight = 0.0
        g = p.weight
        # A teaser's summary counts neither for nor against the elements around it.
        b = 0.0 if p.card else len(p.text) - g
        chain = p.chain
        for el in chain:
            if g:
                good[el] = good.get(el, 0.0) + g
            bad[el] = bad.get(el, 0.0) + b
        if g:
            # The seed score goes to the element that lists the paragraphs (the owner itself
            # when the text sits in it directly, like a <div> with <br>s), fading upwards.
            start = 1 if p.owner.tag in _LEAF_BLOCKS and len(chain) > 1 else 0
            for level, el in enumerate(chain[start : start + 3]):
                score[el] = score.get(el, 0.0) + g / (1 + level)
    return _Layout(good, bad, furniture, score)


def _separate_articles(root: Any, layout: _Layout) -> dict[Any, int]:
    """For each element, how many headlines (``<h1>``) or ``<article>`` elements full of prose
    it holds: a container never holds two (pages that scroll on into the next story)."""
    counts: dict[Any, int] = {}
    for el in root.iter("h1", "article"):
        if el.tag == "article":
            if layout.good.get(el, 0.0) < _MIN_STORY_WEIGHT:
                continue
        elif not _clean(_text_of(el)):
            continue
        for anc in el.iterancestors():
            counts[anc] = counts.get(anc, 0) + 1
    return counts


# Prose weight (about characters) of an <article> element that is a story, not a teaser card.
_MIN_STORY_WEIGHT = 1000
# Prose the headline's own story must hold for the search to stay inside it.
_MIN_SCOPE_WEIGHT = 200


def _seed(layout: _Layout, root: Any, stories: dict[Any, int], headline: Any | None) -> Any:
    """The element that lists the most prose right in it, inside the headline's story when
    the page holds several."""
    scope = None
    if headline is not None and stories.get(root, 0) > 1:
        el = headline
        while (parent := el.getparent()) is not None and stories.get(parent, 0) <= 1:
            el = parent
        if layout.good.get(el, 0.0) >= _MIN_SCOPE_WEIGHT:
            scope = el
    seed, best = None, 0.0
    for el, s in layout.score.items():
        cls = _class_words(el)
        if cls and _CONTENT_RE.search(cls):
            s *= 1.25
        if s > best and (scope is None or el is scope or scope in el.iterancestors()):
            seed, best = el, s
    return seed


def _container(layout: _Layout, root: Any, headline: Any | None) -> Any | None:
    """The article's element: among the seed and its ancestors, the one with the most prose
    net of the furniture text it would bring in (the lowest one on a tie). The climb stops
    below an element that holds two stories."""
    stories = _separate_articles(root, layout)
    el = _seed(layout, root, stories, headline)
    if el is None:
        return None
    start = stories.get(el, 0)
    best, best_score = None, float("-inf")
    while el is not None:
        if stories.get(el, 0) > max(start, 1):
            break
        s = layout.good.get(el, 0.0) - _BAD_COST * layout.bad.get(el, 0.0)
        if s > best_score:
            best, best_score = el, s
        if el is root:
            break
        el = el.getparent()
    return best


def _in_furniture(p: _Para, container: Any, layout: _Layout) -> bool:
    """Whether a paragraph sits in a furniture element below the container."""
    for el in p.chain:
        if el is container:
            return False
        if layout.furniture.get(el):
            return True
    return False


def _body_paragraphs(
    paras: list[_Para], root: Any, headline: Any | None
) -> tuple[list[_Para], Any | None]:
    """The article's paragraphs, and the element that holds them."""
    layout = _layout(paras, root)
    container = _container(layout, root, headline)
    if container is None:
        return [], None
    kept: list[_Para] = []
    for p in paras:
        if p.card or container not in p.chain or _in_furniture(p, container, layout):
            continue
        n = len(p.text)
        if p.link_chars > 0.5 * n:
            continue
        if not p.heading:
            words = nz.word_count(p.text)
            kind = nz.furniture_kind(p.text, words)
            if kind is not None and (words <= 12 or kind != nz.END_KIND):
                continue
            if nz.is_caption(p.text, words) or _COPYRIGHT_LINE_RE.search(p.text[:300]):
                continue
        kept.append(p)
    # The article starts and ends with prose: short lines before its first paragraph (kicker,
    # date, byline) and after its last one (tags, link lists, credits) are furniture.
    first = next((i for i, p in enumerate(kept) if p.prose), len(kept))
    last = max((i for i, p in enumerate(kept) if p.prose), default=-1)
    kept = kept[first : last + 1]
    out: list[_Para] = []
    seen: set[str] = set()
    for i, p in enumerate(kept):
        if p.heading and (i + 1 >= len(kept) or kept[i + 1].heading):
            continue
        if p.owner.tag == "h1":
            continue
        key = p.text
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out, container


# --------------------------------------------------------------------------------------------
# Metadata fields
# --------------------------------------------------------------------------------------------


def _parse_when(value: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    parsed: dt.datetime | None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        parsed = nz.parse_date(value)
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    return parsed


# Where a site glues its name, section or a date to a title: " | ", " - ", " – ", " :: ",
# " » ", and the full-width bar and colon of CJK sites (often without spaces).
_TITLE_SEPARATORS_RE = re.compile(r"\s+[|–—·:/-]\s+|\s+::\s+|\s+»\s+|\s*[｜|：]\s*")


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa"})


def _squash(text: str) -> str:
    """Letters and digits only, case-folded and spelt as in host names ("Börsen-Zeitung" ->
    "boersenzeitung")."""
    text = text.casefold().translate(_FOLD)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(nz.WORD_RE.findall(text))


def _is_site_part(part: str, keys: set[str], host: str) -> bool:
    key = _squash(part)
    if not key:
        return False
    if key in keys or (len(key) >= 3 and key in host) or (len(host) >= 5 and host in key):
        return True
    words = part.split()
    if (
        words
        and words[0].lower() in ("by", "von", "par", "por")
        and nz.looks_like_names(" ".join(words[1:]))
    ):
        return True
    # "DW – 13.06.2023": a date glued on with the name.
    return nz.find_date_span(part) is not None and nz.word_count(part) <= 4


def _strip_site(
    title: str, sites: list[str], host: str = "", others: frozenset[str] = frozenset()
) -> str:
    """Drop the site name, section or date glued to a title ("Headline | Section | The
    Gazette", "Gazette: Headline", "見出し：新聞デジタル").

    Args:
        title: An ``og:title``, ``<title>`` or JSON-LD headline.
        sites: Names the page gives itself (``og:site_name``, publisher) and its section.
        host: The page's host name, whose words also name the site ("golem.de").
        others: The page's other titles (``_norm_key``): a title that is one of them with
            something glued on after a separator is that one ("Headline - The Gazette"
            beside an ``<h1>`` "Headline"), whatever the glued part says.

    Returns:
        The title without those parts; the title itself when nothing would be left.
    """
    keys = {_squash(s) for s in sites if s}
    keys.discard("")
    host = _squash(host.removeprefix("www."))
    for _ in range(4):
        seps = list(_TITLE_SEPARATORS_RE.finditer(title))
        if not seps:
            break
        if others:
            glued = next(
                (m for m in reversed(seps) if _norm_key(title[: m.start()]) in others), None
            )
            if glued is not None:
                title = title[: glued.start()].strip()
                continue
        last, first = seps[-1], seps[0]
        tail = title[last.end() :]
        # A short part after a bar is the site's, whatever it says ("| Sport", "| Live").
        barred = "|" in last.group() or "｜" in last.group()
        if (_is_site_part(tail, keys, host) or (barred and len(tail.split()) <= 3)) and title[
            : last.start()
        ].strip():
            title = title[: last.start()].strip()
        elif _is_site_part(title[: first.start()], keys, host) and title[first.end() :].strip():
            title = title[first.end() :].strip()
        else:
            break
    return title


_TITLE_META = ("og:title", "twitter:title", "title", "headline", "dc.title")
# A title shorter than this (as a key) is no evidence that what follows it is glued on.
_MIN_TITLE_KEY = 8
# Where a label ("kicker") is set before a headline: "Topic: Headline", "Topic - Headline",
# "Topic | Headline", "Topic / Headline", and the full-width colon and bar.
_KICKER_SEP_RE = re.compile(r"\s*:\s+|\s+[|–—/-]\s+|\s*[：｜]\s*")


def _kicker_free(titles: list[str]) -> int:
    """Which of the page's metadata titles to take: the first, unless it is a label set before
    a headline that another of them gives alone ("Topic: Headline" beside "Headline").

    The page's own metadata then states the headline both with and without the label: the
    label is a kicker (a topic, a quote, a place), not part of the headline. Only titles the
    page states count (JSON-LD, meta tags): an ``<h1>`` lacks the kicker whenever the layout
    prints the kicker in an element of its own, so it is no evidence either way.

    Args:
        titles: The JSON-LD and meta titles, site names cut, in order of precedence.

    Returns:
        The index of the title to take (0 when the first has no such label).
    """
    first = titles[0]
    for m in _KICKER_SEP_RE.finditer(first):
        rest = first[m.end() :]
        key = _norm_key(rest)
        if len(key) < _MIN_TITLE_KEY or len(first[: m.start()].split()) >= len(rest.split()):
            continue
        for i, other in enumerate(titles[1:], 1):
            if _norm_key(other) == key:
                return i
    return 0


def _h1s(root: Any) -> list[tuple[Any, str]]:
    out = []
    for el in root.iter("h1"):
        text = _clean(_text_of(el))
        if text:
            out.append((el, text))
    return out


def _headline_element(h1s: list[tuple[Any, str]], headline: str) -> Any | None:
    """The ``<h1>`` that prints the headline (the first one when none matches)."""
    key = _norm_key(headline)
    for el, text in h1s:
        if _norm_key(text) == key:
            return el
    for el, text in h1s:
        other = _norm_key(text)
        if other and (other in key or key in other):
            return el
    return h1s[0][0] if h1s else None


_BY_PREFIX_RE = re.compile(
    r"^(?:by|von|par|por|di|door|av|af|text|texte|autor|autorin|author|written by)\s*:?\s+",
    re.IGNORECASE,
)
_NAME_CUT_RE = re.compile(r"\s+[|•·]\s+|\s+[-–—]\s+|\s*\n\s*")
_LATIN_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")


def _clean_name(name: str) -> str:
    """A credited name as printed, without "By" and trailing separators or dates."""
    name = _BY_PREFIX_RE.sub("", name.strip())
    name = _NAME_CUT_RE.split(name, maxsplit=1)[0]
    span = nz.find_date_span(name)
    if span is not None:
        name = name[: span[0]]
    return name.strip(" ,;|-–—:")


def _split_names(text: str) -> list[str]:
    """A meta author value's names ("Jane Doe and John Roe", "Doe, Jane; Roe, John" stays)."""
    parts = re.split(r"\s*;\s*|\s+(?:and|und|&)\s+", text)
    return [p for p in (x.strip() for x in parts) if p]


def _is_latin(text: str) -> bool:
    return _LATIN_RE.search(text) is not None


def _name_parts(name: str) -> list[str]:
    """Split one credit string into names ("Jane Doe, John Roe"), dropping descriptions
    ("Jane Doe, professor of law at ...") that are not names."""
    if "," not in name and ";" not in name:
        return [name]
    parts = [p.strip() for p in re.split(r"\s*[,;]\s*", name) if p.strip()]
    if not _is_latin(name):
        return parts
    named = [p for p in parts if nz.looks_like_names(p) or canonical_agency(p)]
    return named or [name]


@dataclass
class _Credits:
    """Who a page credits: people, organisations (the site itself, agencies) and agency."""

    people: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    agency: str | None = None

    def add(self, name: str, is_person: bool, site_keys: set[str], host: str) -> None:
        for part in _name_parts(_clean_name(name)):
            if not part or part.isdigit() or "@" in part or part.startswith(("http", "/")):
                continue
            agency = canonical_agency(part)
            if agency is not None:
                self.agency = self.agency or agency
                self.orgs.append(part)
            elif not is_person or _is_site_part(part, site_keys, host):
                self.orgs.append(part)
            else:
                self.people.append(part)


# Elements that print the byline: rel/itemprop "author", or "author"/"byline" in the class.
_BYLINE_XPATH = etree.XPath(
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'author') or "
    "contains(@class, 'Author') or contains(@class, 'byline') or contains(@class, 'Byline')]"
)
_MAX_BYLINE_CHARS = 120


def _page_byline(root: Any, before_line: int | None, header: list[_Para]) -> str | None:
    """The names of a byline printed above the article ("By Jane Doe", "von Jane Doe"), else
    of the first byline-looking element printed before the article ends."""
    for p in header:
        if len(p.text) <= _MAX_BYLINE_CHARS:
            names = nz.parse_byline(p.text)
            if names:
                return _clean_name(names)
    for el in _BYLINE_XPATH(root):
        if before_line is not None and (el.sourceline or 0) > before_line:
            break
        if el.tag in _JUNK_TAGS or el.tag == "meta" or el.tag == "link":
            continue
        text = _clean(_text_of(el))
        if not text or len(text) > _MAX_BYLINE_CHARS:
            continue
        name = _clean_name(text)
        if not name:
            continue
        if _is_latin(name):
            if nz.looks_like_names(name):
                return name
        elif len(name) <= 30 and nz.word_count(name) <= 6:
            return name
    return None


@dataclass
class _Article:
    """The fields found so far, with how each was found."""

    methods: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def set(self, name: str, value: Any, method: str) -> None:
        if value and name not in self.values:
            self.values[name] = value
            self.methods[name] = method

    def get(self, name: str) -> Any:
        return self.values.get(name)


def _pick_ld(head: _Head, canonical: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The page's own article object and its WebPage object, if any."""
    best: dict[str, Any] | None = None
    best_rank = -1
    webpage: dict[str, Any] | None = None
    canon = normalize_url(canonical) if canonical else ""
    for item in head.ld:
        if _is_article_type(item.types):
            obj = item.obj
            rank = 0 if item.listed else 10
            rank += 3 * bool(obj.get("headline")) + 2 * bool(obj.get("articleBody"))
            rank += bool(obj.get("datePublished")) + bool(obj.get("author"))
            url = obj.get("url") or obj.get("mainEntityOfPage")
            if isinstance(url, dict):
                url = url.get("@id") or url.get("url")
            if canon and isinstance(url, str) and normalize_url(url) == canon:
                rank += 5
            if rank > best_rank:
                best, best_rank = obj, rank
        elif webpage is None and not item.listed and item.types & {"webpage", "itempage"}:
            webpage = item.obj
    return best, webpage


def _iter_ld_values(objs: list[dict[str, Any] | None], *keys: str) -> Iterator[Any]:
    for obj in objs:
        if obj is None:
            continue
        for key in keys:
            value = obj.get(key)
            if value:
                yield value


# --------------------------------------------------------------------------------------------
# The parser
# --------------------------------------------------------------------------------------------

# lxml's plain HTML parser: lxml.html's element classes cost a Python lookup per element.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=True)
_MIN_BODY_WORDS = 40
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "published_time",
    "published-date",
    "cxenseparse:recs:publishtime",
    "og:published_time",
    "article:modified_time",
    "og:updated_time",
    "last-modified",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "article:author_name",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "cxenseparse:author",
    "twitter:creator",
)


def _in_named_furniture(p: _Para, depth: int = 6) -> bool:
    """Whether a paragraph sits in an element whose class names furniture (a caption, a
    teaser, a video box), looking a few levels up; page regions do not count here (the
    standfirst is often inside the article's <header>)."""
    for el in p.chain[:depth]:
        cls = _class_words(el)
        if cls and el.tag not in _REGION_TAGS and _furniture_class(cls):
            return True
        if el.tag in ("figure", "aside", "nav", "footer"):
            return True
    return False


def _printed_date(paras: list[_Para], kept: list[_Para]) -> dt.datetime | None:
    """A date line printed just above the article (or just below it, where some sites put
    "Published ..."), when the page's markup gives no date."""
    if not kept:
        return None
    index = {id(p): i for i, p in enumerate(paras)}
    start, end = index.get(id(kept[0]), 0), index.get(id(kept[-1]), len(paras) - 1)
    near = paras[max(0, start - _STANDFIRST_REACH) : start] + paras[end + 1 : end + 6]
    for p in near:
        if len(p.text) <= 120 and nz.is_date_line(p.text):
            when = nz.parse_date(p.text)
            if when is not None:
                return when
    return None


# How far above the article's first paragraph a standfirst may be printed (in paragraphs).
_STANDFIRST_REACH = 12


def _standfirst(
    paras: list[_Para],
    kept: list[_Para],
    headline: Any | None,
    description: str,
    body: str,
) -> tuple[str | None, str]:
    """The summary printed between the headline and the article's first paragraph.

    The page's description (JSON-LD, ``og:description``) when it is printed there, else the
    first paragraph there that reads like a sentence and is no byline, date, caption or
    label. None when the summary is the body's own first paragraph.
    """
    if not kept:
        return None, ""
    start = next((i for i, p in enumerate(paras) if p is kept[0]), 0)
    top = max(0, start - _STANDFIRST_REACH)
    if headline is not None:
        for i in range(start - 1, top - 1, -1):
            if paras[i].owner is headline or headline in paras[i].chain:
                top = i + 1
                break
    zone = paras[top:start]
    body_start = _norm_key(body[:600])
    desc_key = _norm_key(description.rstrip(".…"))[:80]
    if desc_key:
        for p in zone:
            if _norm_key(p.text).startswith(desc_key):
                return (None, "") if desc_key in body_start else (p.text, "meta")
    for p in zone:
        text = p.text
        if p.heading or not p.prose or p.link_chars > 0.3 * len(text):
            continue
        words = nz.word_count(text)
        if words < 6 or not (nz.ends_like_sentence(text) or words >= 12):
            continue
        if (
            nz.furniture_kind(text, words) is not None
            or nz.is_date_line(text)
            or (nz.find_date_span(text) is not None and not nz.ends_like_sentence(text))
            or nz.parse_byline(text) is not None
            or nz.is_caption(text, words)
            or _in_named_furniture(p)
        ):
            continue
        if _norm_key(text)[:80] in body_start:
            return None, ""
        return text, "heuristic"
    return None, ""


def _prefer_ld_body(ld_body: list[str], found: list[str]) -> bool:
    """Whether JSON-LD ``articleBody`` is a more complete copy of the article than the page
    text found: it holds clearly more, and it covers what was found (so it is the same text,
    not a summary or another story). Paywalled pages often print a teaser and keep the whole
    text in their structured data."""
    ld = _shingle_set(ld_body)
    ours = _shingle_set(found)
    if len(ld) < 1.2 * len(ours) + 10:
        return False
    return len(ours & ld) >= 0.7 * len(ours)


# React's streamed rendering: the server sends a placeholder ``<template id="B:3">`` (or
# ``"P:3"``) where a part of the page goes, and that part later in a ``<div hidden
# id="S:3">``, which a script moves into place as soon as it arrives. A browser shows the
# part where the placeholder is.
_STREAM_PLACEHOLDER_XPATH = etree.XPath(
    "//template[starts-with(@id, 'B:') or starts-with(@id, 'P:')]"
)
_STREAM_SEGMENT_XPATH = etree.XPath("//div[@hidden][starts-with(@id, 'S:')]")


def _reveal_streamed_parts(root: Any) -> None:
    """Put each streamed part where its placeholder stands, shown, as the page's script does."""
    placeholders = _STREAM_PLACEHOLDER_XPATH(root)
    if not placeholders:
        return
    segments = {el.get("id"): el for el in _STREAM_SEGMENT_XPATH(root)}
    for template in placeholders:
        segment = segments.get("S:" + template.get("id")[2:])
        parent = template.getparent()
        if segment is None or parent is None:
            continue
        # A part may hold placeholders of its own (handled in turn, as they come in the
        # document); never move an element into itself.
        if any(a is segment for a in template.iterancestors()):
            continue
        tail = template.tail
        segment.attrib.pop("hidden", None)
        segment.tail = tail
        parent.replace(template, segment)


def _parse_tree(text: str, path: Path | None) -> Any:
    text = _XML_DECL_RE.sub("", text, count=1)
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"no HTML content ({exc})", path) from exc
    if root is None:
        raise NotAnArticle("no HTML content", path)
    return root


def parse_html(
    data: bytes,
    *,
    path: Path | None = None,
    url: str | None = None,
    fetched_at: dt.datetime | None = None,
) -> ParsedArticle:
    """Parse a saved HTML page into an article record.

    Args:
        data: The page's bytes (decompressed).
        path: Where the page was read from, for error messages.
        url: The address the page was fetched from, when known (a WARC record's target);
            the page's canonical link wins over it.
        fetched_at: When the page was fetched, when known.

    Returns:
        The article, with ``format=Format.HTML`` and ``field_methods`` telling how each
        field was found.

    Raises:
        NotAnArticle: The page holds no article (empty, an index page, a paywall stub).
        ParseError: The bytes are not a readable HTML page.
    """
    text, _encoding, warnings = decode_html(data, path)
    root = _parse_tree(text, path)
    _reveal_streamed_parts(root)
    head = _read_head(root)
    art = _Article()
    canonical = head.canonical or (head.first("og:url") or ("", ""))[0]
    if canonical and "://" not in canonical and not canonical.startswith("//"):
        # A relative canonical link ("/news/story"): resolved against what we know.
        base = (head.first("og:url") or ("", ""))[0] or url or ""
        canonical = urljoin(base, canonical) if "://" in base else ""
    ld, webpage = _pick_ld(head, canonical)
    ld_objs = [ld, webpage]

    # Outlet and section.
    for value in _iter_ld_values([ld], "publisher"):
        names = _ld_names(value)
        if names:
            art.set("outlet", names[0][0], "structured")
    found = head.first("og:site_name", "application-name", "twitter:app:name:iphone")
    if found:
        art.set("outlet", found[0], "meta")
    for value in _iter_ld_values([ld], "articleSection"):
        art.set("section", _ld_text(value), "structured")
    found = head.first("article:section", "parsely-section", "section", "category")
    if found:
        art.set("section", found[0], "meta")

    # Headline.
    sites = [art.get("outlet") or "", art.get("section") or ""]
    sites += head.all("og:site_name", "application-name", "article:section")
    for value in _iter_ld_values([ld], "publisher"):
        sites += [name for name, _ in _ld_names(value)]
    host = urlsplit(canonical or url or "").netloc
    h1s = _h1s(root)
    ld_titles = [_ld_text(v) for v in _iter_ld_values([ld], "headline", "name")]
    meta_titles = [(head.first(key) or ("", ""))[0] for key in _TITLE_META]
    titles = [t for t in (*ld_titles, *meta_titles, *(t for _, t in h1s[:3])) if t]
    others = frozenset(key for key in map(_norm_key, titles) if len(key) >= _MIN_TITLE_KEY)
    ld_titles = [_strip_site(title, sites, host, others) for title in ld_titles]
    meta_titles = [
        _strip_site(title, sites, host, others) if title else "" for title in meta_titles
    ]
    if len(ld_titles) == 2 and meta_titles[0]:
        # The article object titles itself twice, as "headline" (where search engines look
        # for a short title) and as "name": the one og:title repeats is the page's title.
        social = _norm_key(meta_titles[0])
        if _norm_key(ld_titles[0]) != social and _norm_key(ld_titles[1]) == social:
            ld_titles.reverse()
    stated = [(t, "structured") for t in ld_titles if t] + [(t, "meta") for t in meta_titles if t]
    if stated:
        title, method = stated[_kicker_free([t for t, _ in stated])]
        art.set("headline", title, method)
    for title, method in stated:
        art.set("headline", title, method)
    if h1s:
        art.set("headline", h1s[0][1], "heuristic")
    if head.title_tag:
        art.set("headline", _strip_site(head.title_tag, sites, host, others), "heuristic")

    # Date.
    for value in _iter_ld_values(ld_objs, "datePublished", "dateCreated", "uploadDate"):
        when = _parse_when(_ld_text(value))
        if when is not None:
            art.set("published", when, "structured")
    for value in head.all(*_DATE_META):
        when = _parse_when(value)
        if when is not None:
            art.set("published", when, "meta")
            break
    if art.get("published") is None:
        for el in root.iter("time"):
            when = _parse_when(el.get("datetime") or "") or _parse_when(_clean(_text_of(el)))
            if when is not None:
                art.set("published", when, "meta")
                break

    # Authors and agency (the byline itself is settled after the body, see below).
    site_keys = {_squash(x) for x in sites if x}
    site_keys.discard("")
    host_key = _squash(host.removeprefix("www."))
    credits = _Credits()
    author_method = ""
    for value in _iter_ld_values(ld_objs, "author", "creator"):
        for name, is_person in _ld_names(value):
            credits.add(name, is_person, site_keys, host_key)
        author_method = "structured"
        break
    if not credits.people and not credits.orgs:
        for value in head.all(*_AUTHOR_META):
            if value.startswith(("http://", "https://", "@", "/")):
                continue
            for name in _split_names(value):
                credits.add(name, True, site_keys, host_key)
            author_method = "meta"
            break
    if credits.agency:
        art.set("agency", credits.agency, author_method)

    # Description, canonical URL, language.
    description = ""
    for value in _iter_ld_values([ld], "description"):
        description = _ld_text(value)
        break
    if not description:
        found = head.first("og:description", "description", "twitter:description")
        description = found[0] if found else ""
    if canonical:
        art.set("url", normalize_url(canonical), "meta")
    elif url:
        art.set("url", normalize_url(url), "override")

    # Body.
    body_root = root.find("body")
    if body_root is None:
        body_root = root
    paras = _render(body_root)
    headline = art.get("headline") or ""
    headline_el = _headline_element(h1s, headline)
    kept, container = _body_paragraphs(paras, body_root, headline_el)
    body_texts = [p.text for p in kept]
    if body_texts and _norm_key(body_texts[0]) == _norm_key(headline):
        body_texts = body_texts[1:]
    body = "\n\n".join(body_texts)
    body_method = "heuristic"
    ld_body = _ld_paragraphs((ld or {}).get("articleBody"))
    if ld_body and _prefer_ld_body(ld_body, body_texts):
        body_texts = ld_body
        body = "\n\n".join(ld_body)
        body_method = "structured"
    words = nz.word_count(body)
    if words < _MIN_BODY_WORDS:
        raise NotAnArticle(f"no article text found ({words} words)", path)
    if not headline:
        raise NotAnArticle("no headline found", path)
    art.methods["body"] = body_method

    # The byline: the people credited; else names printed in a byline element before the
    # article's end; else the organisations credited (an agency, the site itself).
    if credits.people:
        art.set("byline", ", ".join(dict.fromkeys(credits.people)), author_method)
    else:
        end_line = kept[-1].owner.sourceline if kept else None
        first = next((i for i, p in enumerate(paras) if kept and p is kept[0]), 0)
        printed = _page_byline(root, end_line, paras[max(0, first - 30) : first])
        if printed:
            art.set("byline", printed, "heuristic")
            if not credits.agency:
                for part in _name_parts(printed):
                    agency = canonical_agency(part)
                    if agency:
                        art.set("agency", agency, "heuristic")
                        break
        elif credits.orgs:
            art.set("byline", ", ".join(dict.fromkeys(credits.orgs)), author_method)

    if art.get("published") is None:
        printed_date = _printed_date(paras, kept)
        if printed_date is not None:
            art.set("published", printed_date, "heuristic")
    standfirst, standfirst_method = _standfirst(paras, kept, headline_el, description, body)
    if standfirst:
        art.methods["standfirst"] = standfirst_method

    declared = head.lang
    for value in _iter_ld_values([ld], "inLanguage"):
        declared = _ld_text(value) or declared
    language, lang_method = choose_language(declared, body)
    if lang_method:
        art.methods["language"] = lang_method

    published: dt.datetime | None = art.get("published")
    published_at = None
    if published is not None and published.tzinfo is not None:
        published_at = published.astimezone(dt.UTC)
    methods = dict(art.methods)
    if "published" in methods:
        method = methods.pop("published")
        methods["published_on"] = method
        if published_at is not None:
            methods["published_at"] = method
    return ParsedArticle(
        headline=headline,
        body=body,
        standfirst=standfirst,
        outlet=art.get("outlet"),
        section=art.get("section"),
        byline=art.get("byline"),
        agency=art.get("agency"),
        published_on=published.date() if published else None,
        published_at=published_at,
        url=art.get("url"),
        language=language,
        format=Format.HTML,
        warnings=warnings,
        field_methods=tuple(sorted(methods.items())),
        fetched_at=fetched_at,
    )
