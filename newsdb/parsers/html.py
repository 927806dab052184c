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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped]
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
    "latin_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "tis_620": "cp874",
    "utf_16": "utf-8",
    "utf_16_le": "utf-8",
    "utf_16_be": "utf-8",
    "utf_32": "utf-8",
}
_MAX_CONTROL_SHARE = 0.01
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def _codec(label: bytes | str) -> str | None:
    name = label.decode("ascii", "replace") if isinstance(label, bytes) else label
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _ENCODING_ALIASES.get(codec.replace("-", "_"), codec)


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
        if declared is not None and declared not in ("utf-8", "utf_8"):
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
    return _WS_RE.sub(" ", nz.normalize_text(text)).strip()


def _clean_value(value: Any) -> str:
    """A metadata string as printed: HTML entities and tags out, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    if "&" in value:
        value = _html.unescape(value)
    if "<" in value:
        value = _TAG_RE.sub(" ", value)
    return _clean(value)


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
_LIST_KEYS = frozenset({"itemlistelement", "relatedlink", "haspart", "ispartof", "citation"})
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
        except ValueError:
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
                head.title_tag = _clean(el.text_content())
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
    weight: float = 0.0


def _class_words(el: Any) -> str:
    cls = el.get("class") or ""
    ident = el.get("id") or ""
    if not cls and not ident:
        return ""
    return f"{cls} {ident}".lower()


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
        text = _clean("".join(buf))
        buf.clear()
        links = len(_clean("".join(link_buf))) if link_buf else 0
        link_buf.clear()
        if text:
            owner = blocks[-1]
            paras.append(_Para(text, owner, min(links, len(text)), owner.tag in _HEADINGS))

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
            if tag in _JUNK_TAGS or _is_hidden(el):
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
                flush()
            else:
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
                flush()
                if len(blocks) > 1:
                    blocks.pop()
            if el.tail and el is not root:
                buf.append(el.tail)
                if link_depth:
                    link_buf.append(el.tail)
    flush()
    return paras


# --------------------------------------------------------------------------------------------
# Finding the article in the paragraphs
# --------------------------------------------------------------------------------------------


def _prose_weight(p: _Para) -> float:
    """How much a paragraph looks like article prose: its length, less links and labels."""
    n = len(p.text)
    if n < 20 or p.heading:
        return 0.0
    link_share = p.link_chars / n
    if link_share > 0.5:
        return 0.0
    weight = n * (1.0 - link_share) ** 2
    if p.text[-1] not in _SENTENCE_END:
        weight *= 0.5
    return weight


@dataclass
class _Layout:
    """Paragraph weights summed over the elements that hold them."""

    total: dict[Any, float]  # element -> weight of all prose below it
    score: dict[Any, float]  # element -> readability-style score (near prose counts most)


def _layout(paras: list[_Para], root: Any) -> _Layout:
    total: dict[Any, float] = {}
    score: dict[Any, float] = {}
    chains: dict[Any, list[Any]] = {}
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
        if not w:
            continue
        for el in chain:
            total[el] = total.get(el, 0.0) + w
        # The score goes to the element that lists the paragraphs (the owner itself when
        # the text sits in it directly, like a <div> with <br>s), then fades upwards.
        start = 1 if owner.tag in _LEAF_BLOCKS and len(chain) > 1 else 0
        for level, el in enumerate(chain[start : start + 3]):
            score[el] = score.get(el, 0.0) + w / (1 + level)
    return _Layout(total, score)


def _furniture(el: Any, words: dict[Any, bool]) -> bool:
    """Whether an element's class/id or tag names page furniture (cached per element)."""
    found = words.get(el)
    if found is None:
        tag = el.tag
        found = False
        if tag in _REGION_TAGS:
            found = True
        else:
            cls = _class_words(el)
            if cls:
                found = any(_FURNITURE_RE.search(token) is not None for token in cls.split())
        words[el] = found
    return found


def _container(paras: list[_Para], layout: _Layout, root: Any) -> Any | None:
    """The element that holds the article: the best-scoring one, climbing while its parent
    adds more prose of the same kind than furniture."""
    furniture: dict[Any, bool] = {}
    best, best_score = None, 0.0
    grand_total = layout.total.get(root, 0.0)
    for el, s in layout.score.items():
        cls = _class_words(el)
        if cls and _CONTENT_RE.search(cls):
            s *= 1.25
        if _furniture(el, furniture) and layout.total.get(el, 0.0) < 0.5 * grand_total:
            s *= 0.3
        if s > best_score:
            best, best_score = el, s
    return best


def _in_furniture(p: _Para, container: Any, protect: float, layout: _Layout) -> bool:
    """Whether a paragraph sits in a furniture element below the container."""
    for el in p.chain:
        if el is container:
            return False
        if el.tag in _REGION_TAGS or el.tag in _JUNK_TAGS:
            if layout.total.get(el, 0.0) < protect:
                return True
            continue
        cls = _class_words(el)
        if cls and any(_FURNITURE_RE.search(t) is not None for t in cls.split()):
            if layout.total.get(el, 0.0) < protect:
                return True
    return False


def _body_paragraphs(paras: list[_Para], root: Any) -> list[_Para]:
    layout = _layout(paras, root)
    container = _container(paras, layout, root)
    if container is None:
        return []
    protect = 0.5 * layout.total.get(container, 0.0)
    inside = [p for p in paras if container in p.chain]
    kept: list[_Para] = []
    for p in inside:
        if _in_furniture(p, container, protect, layout):
            continue
        n = len(p.text)
        if p.link_chars > 0.5 * n:
            continue
        if not p.heading:
            words = nz.word_count(p.text)
            if words <= 12 and nz.furniture_kind(p.text, words) is not None:
                continue
        kept.append(p)
    # Headings count only when prose follows them.
    while kept and kept[-1].heading:
        kept.pop()
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
    return out


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


_TITLE_SEPARATORS_RE = re.compile(r"\s+[|–—·:-]\s+|\s+::\s+|\s+»\s+")


def _strip_site(title: str, sites: list[str]) -> str:
    """Drop a site name glued to a title ("Headline | The Gazette")."""
    keys = {_norm_key(s) for s in sites if s}
    keys.discard("")
    if not keys:
        return title
    parts = _TITLE_SEPARATORS_RE.split(title)
    if len(parts) < 2:
        return title
    if _norm_key(parts[-1]) in keys:
        m = list(_TITLE_SEPARATORS_RE.finditer(title))[-1]
        return title[: m.start()].strip()
    if _norm_key(parts[0]) in keys:
        m = next(_TITLE_SEPARATORS_RE.finditer(title))
        return title[m.end() :].strip()
    return title


def _h1s(root: Any) -> list[str]:
    out = []
    for el in root.iter("h1"):
        text = _clean(el.text_content())
        if text:
            out.append(text)
    return out


_BY_PREFIX_RE = re.compile(r"^(?:by|von|par|por|di|door|av|af)\s+", re.IGNORECASE)


def _clean_name(name: str) -> str:
    name = _BY_PREFIX_RE.sub("", name.strip())
    return name.strip(" ,;|-–—")


def _split_names(text: str) -> list[str]:
    return [n for n in (x.strip() for x in re.split(r"\s*[,;]\s*|\s+(?:and|und|&)\s+", text)) if n]


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

_PARSER = lxml.html.HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=True
)
_MIN_BODY_CHARS = 200
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


def _parse_tree(text: str, path: Path | None) -> Any:
    text = _XML_DECL_RE.sub("", text, count=1)
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
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
    head = _read_head(root)
    art = _Article()
    canonical = head.canonical or (head.first("og:url") or ("", ""))[0]
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
    sites = [art.get("outlet") or ""]
    h1s = _h1s(root)
    for value in _iter_ld_values([ld], "headline", "name"):
        art.set("headline", _ld_text(value), "structured")
    for key in ("og:title", "twitter:title", "title", "headline", "dc.title"):
        found = head.first(key)
        if found:
            art.set("headline", _strip_site(found[0], sites), "meta")
    if h1s:
        art.set("headline", h1s[0], "heuristic")
    if head.title_tag:
        art.set("headline", _strip_site(head.title_tag, sites), "heuristic")

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
            when = _parse_when(el.get("datetime") or "") or _parse_when(_clean(el.text_content()))
            if when is not None:
                art.set("published", when, "meta")
                break

    # Authors and agency.
    people: list[str] = []
    orgs: list[str] = []
    author_method = ""
    for value in _iter_ld_values(ld_objs, "author", "creator"):
        for name, is_person in _ld_names(value):
            (people if is_person else orgs).append(_clean_name(name))
        author_method = "structured"
        break
    if not people and not orgs:
        for value in head.all(*_AUTHOR_META):
            if value.startswith(("http://", "https://", "@", "/")):
                continue
            people.extend(_split_names(_clean_name(value)))
            author_method = "meta"
            break
    agency = None
    credited: list[str] = []
    for name in dict.fromkeys(people + orgs):
        found_agency = canonical_agency(name)
        if found_agency is not None:
            agency = agency or found_agency
        elif name:
            credited.append(name)
    if credited:
        art.set("byline", ", ".join(credited), author_method)
    if agency:
        art.set("agency", agency, author_method)

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
    kept = _body_paragraphs(paras, body_root)
    body_texts = [p.text for p in kept]
    headline = art.get("headline") or ""
    if body_texts and _norm_key(body_texts[0]) == _norm_key(headline):
        body_texts = body_texts[1:]
    body = "\n\n".join(body_texts)
    body_method = "heuristic"
    ld_body = _ld_text((ld or {}).get("articleBody"))
    if ld_body and len(ld_body) > 1.2 * len(body):
        body = ld_body
        body_method = "structured"
    if len(body) < _MIN_BODY_CHARS:
        raise NotAnArticle(f"no article text found ({len(body)} characters)", path)
    if not headline:
        raise NotAnArticle("no headline found", path)
    art.methods["body"] = body_method

    standfirst = None
    if description:
        first = _norm_key(body[: len(description) + 50])
        desc_key = _norm_key(description.rstrip(".…"))
        if desc_key and desc_key not in first:
            visible = any(_norm_key(p.text).startswith(desc_key[:80]) for p in paras)
            if visible:
                standfirst = description
                art.methods["standfirst"] = "meta"

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
