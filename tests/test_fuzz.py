"""Fuzz every parser: whatever the bytes, only ParseError (or NotAnArticle) may come out.

Each parser gets random bytes, random text, and inputs shaped like its format (tag soup for
HTML, JSON objects of the right and wrong shapes, feed-like XML, WARC-like records, text
dumps made of headline/byline/date/prose lines), often cut short or corrupted. The property:
no exception escapes other than :class:`~newsdb.errors.ParseError`, and every record's error
is a ParseError too. Warnings count as failures (pytest runs with ``-W error``).

Runs are reproducible (``derandomize=True``, no example database). Each example is a batch
of ``BATCH`` inputs, so that Hypothesis' own overhead stays small; the counts below give at
least 10,000 inputs per parser. ``NEWSDB_FUZZ_SCALE=10`` multiplies them for a longer local
run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdb.errors import ParseError
from newsdb.parsers import parse_page
from newsdb.parsers.base import ParsedArticle, RawPage, Record
from newsdb.parsers.feed import parse_feed_records
from newsdb.parsers.jsonrecords import parse_json_records
from newsdb.parsers.warc import parse_warc_records

settings.register_profile(
    "newsdb-fuzz",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("newsdb-fuzz")
SCALE = max(1, int(os.environ.get("NEWSDB_FUZZ_SCALE", "1")))
BATCH = 10
# Inputs per parser: 350 examples of BATCH random byte strings (3,500), 350 of BATCH random
# texts (3,500), and 300 of two structured inputs with four damaged copies of each (3,000):
# 10,000 in all.
RANDOM_EXAMPLES = 350 * SCALE
STRUCTURED_EXAMPLES = 300 * SCALE
# A path that does not exist: the WARC reader then reads the bytes it is given.
NOWHERE = Path("/nonexistent-newsdb-fuzz")


def _raw(name: str, data: bytes) -> RawPage:
    return RawPage(path=NOWHERE / name, data=data, sha256=hashlib.sha256(data).hexdigest())


def _text(data: bytes) -> object:
    return parse_page(_raw("page.txt", data))


def _html(data: bytes) -> object:
    from newsdb.parsers.html import parse_html

    return parse_html(data, path=NOWHERE / "page.html")


def _json(data: bytes) -> object:
    return list(parse_json_records(_raw("records.json", data)))


def _jsonl(data: bytes) -> object:
    return list(parse_json_records(_raw("records.jsonl", data)))


def _feed(data: bytes) -> object:
    return list(parse_feed_records(_raw("feed.xml", data)))


def _warc(data: bytes) -> object:
    return list(parse_warc_records(_raw("crawl.warc", data)))


def check(parser: Callable[[bytes], object], inputs: Iterable[bytes]) -> None:
    """The property: ParseError or a well-formed result, for every input."""
    for data in inputs:
        try:
            result = parser(data)
        except ParseError:
            continue
        if isinstance(result, ParsedArticle):
            assert isinstance(result.headline, str) and isinstance(result.body, str)
            continue
        assert isinstance(result, list)
        for record in result:
            assert isinstance(record, Record)
            assert (record.article is None) != (record.error is None), record
            if record.error is not None:
                assert isinstance(record.error, ParseError), repr(record.error)
            else:
                assert isinstance(record.article, ParsedArticle)


# --------------------------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------------------------

_WORDS = (
    "the council said on Monday that harbour ferry will open again after years of delay "
    "Lowmere Reuters AFP dpa By Von Jane Doe 2024 May 3, 12:00 Uhr — « » “ ” café 東京 "
    "Related Comments Share © Advertisement Read more: Photo: 30.12.2022 2024-05-03T10:00:00Z"
).split()
_ODD = ["\u00a0", "\u200b", "\ufeff", "\r", "\t", "\x00", "\x0c", "\u2028", "\U0001f600", ""]

words = st.sampled_from(_WORDS)
odd = st.sampled_from(_ODD)
phrase = st.lists(st.one_of(words, words, words, odd), min_size=1, max_size=12).map(" ".join)
sentence = st.lists(words, min_size=3, max_size=40).map(lambda ws: " ".join(ws) + ".")
short_text = st.one_of(phrase, sentence, st.text(max_size=30))


def variants(data: bytes, seed: int) -> list[bytes]:
    """An input and four damaged copies: cut short twice, a byte flipped, a stray byte added.

    Deriving copies is far cheaper than drawing new inputs, and truncated or corrupted
    files are what parsers meet most often in the wild.
    """
    if not data:
        return [b"", b"\n", b" ", b"\x00", b"\xff"]
    n = len(data)
    a, b, c, d = seed % n, (seed // 7) % n, (seed // 131) % n, (seed // 4099) % n
    flipped = data[:c] + bytes([data[c] ^ 0x5A]) + data[c + 1 :]
    stray = data[:d] + (b"\xff" if seed % 2 else b"<") + data[d:]
    return [data, data[:a], data[: max(b, n // 2)], flipped, stray]


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


def encoded(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    encodings = st.sampled_from(["utf-8", "utf-8", "utf-8", "cp1252", "utf-16", "utf-8-sig"])
    return st.builds(_encode, strategy, encodings)


random_bytes = st.binary(max_size=300)
random_text = st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))

# Text dumps: lines that look like page parts.
text_line = st.one_of(
    sentence,
    sentence,
    phrase,
    phrase.map(lambda p: "By " + p),
    st.sampled_from(["Moscow (AFP) Dec 30, 2022", "PARIS, May 3, 2024 (Reuters) -", "Related"]),
    st.sampled_from(["Advertisement", "© 2024 Lowmere Gazette", "Share Facebook Twitter", ""]),
    st.sampled_from(["https://x.example/a", "15:44 Uhr", "vor 3 Stunden", "Posted on:"]),
    st.text(max_size=40),
)
text_dump = encoded(st.lists(text_line, min_size=1, max_size=30).map("\n".join))

# HTML tag soup.
_TAGS = "p div article main section h1 h2 span a b br li ul script style nav footer time".split()
tag = st.sampled_from(_TAGS)
attr_value = st.one_of(phrase, st.sampled_from(["article", "byline", "content", 'x"y', "'"]))
attribute = st.builds(
    lambda k, v: f' {k}="{v}"',
    st.sampled_from(["class", "id", "itemprop", "datetime", "href", "content", "lang", "rel"]),
    attr_value,
)
json_ld = st.builds(
    lambda t, h, d, a, b: (
        '<script type="application/ld+json">'
        + json.dumps({"@type": t, "headline": h, "datePublished": d, "author": a, "articleBody": b})
        + "</script>"
    ),
    st.sampled_from(["NewsArticle", "Article", ["NewsArticle"], "WebPage", None]),
    short_text,
    st.one_of(
        st.sampled_from(["2024-05-03", "2024-13-45T99:00", "yesterday"]), st.text(max_size=9)
    ),
    st.one_of(phrase, st.lists(st.fixed_dictionaries({"name": phrase}), max_size=3), st.none()),
    st.one_of(sentence, st.none(), st.integers()),
)
meta = st.builds(
    lambda k, v: f'<meta property="{k}" name="{k}" content="{v}">',
    st.sampled_from(
        ["og:title", "og:site_name", "article:published_time", "author", "description", "og:url"]
    ),
    short_text,
)
html_token = st.one_of(
    st.builds(lambda t, a: f"<{t}{''.join(a)}>", tag, st.lists(attribute, max_size=2)),
    tag.map(lambda t: f"</{t}>"),
    sentence,
    phrase,
    json_ld,
    meta,
    st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&bogus;", "<!--", "-->", "<![CDATA[", "]]>"]),
    st.sampled_from(['<meta charset="utf-16">', '<meta charset="bogus">', "<?xml version='1.0'?>"]),
    st.sampled_from(
        ["<!doctype html>", "<html>", "<head>", "<body>", "</html>", '<html lang="de">']
    ),
    st.sampled_from(['<link rel="canonical" href="https://x.example/a?utm_source=x#f">']),
)
tag_soup_text = st.lists(html_token, min_size=1, max_size=40).map("".join)
tag_soup = encoded(tag_soup_text)

# JSON: values of any kind, and records with the keys the readers look for.
json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        short_text,
        st.sampled_from(["\ud800", "1714730400", "2024-05-03T10:00:00+02:00", "0001-01-01"]),
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
_KEYS = (
    "title headline body text maintext content description summary author authors byline "
    "date date_publish publishedAt datePublished date_download url link source source_domain "
    "language lang section category agency urlToImage articleBody publisher inLanguage"
).split()
record = st.dictionaries(
    st.one_of(st.sampled_from(_KEYS), st.text(max_size=8)),
    st.one_of(json_value, sentence, tag_soup_text, st.integers(0, 2_000_000_000_000)),
    max_size=10,
)
record_or_value = st.one_of(record, record, record, json_value)
json_document = st.one_of(
    record_or_value,
    st.lists(record_or_value, max_size=4),
    st.builds(
        lambda items: {"status": "ok", "articles": items}, st.lists(record_or_value, max_size=4)
    ),
    st.builds(lambda items: {"response": {"docs": items}}, st.lists(record, max_size=3)),
).map(lambda v: json.dumps(v, ensure_ascii=False, allow_nan=True))
json_bytes = st.one_of(
    encoded(json_document),
    st.sampled_from([b"1" * 5000, b"[" * 5000, b'{"a": 1} {"b": 2}', b"\xef\xbb\xbf[]"]),
)
json_lines = encoded(
    st.lists(
        st.one_of(json_document, st.text(max_size=30), st.just("")), min_size=1, max_size=3
    ).map("\n".join)
)


# Feeds: RSS and Atom skeletons with entries of random parts.
def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


feed_value = st.one_of(
    phrase.map(_xml_escape),
    sentence.map(_xml_escape),
    tag_soup_text.map(lambda s: f"<![CDATA[{s}]]>"),
    tag_soup_text,
    st.sampled_from(
        ["Fri, 03 May 2024 10:00:00 +0200", "2024-05-03T10:00:00Z", "Mon, 99 Foo 2024", "0"]
    ),
)
rss_part = st.builds(
    lambda name, value: f"<{name}>{value}</{name}>",
    st.sampled_from(
        ["title", "link", "guid", "description", "content:encoded", "dc:creator", "author"]
        + ["pubDate", "category", "dc:date"]
    ),
    feed_value,
)
atom_part = st.one_of(
    st.builds(
        lambda name, value: f"<{name}>{value}</{name}>",
        st.sampled_from(["title", "id", "summary", "published", "updated", "name"]),
        feed_value,
    ),
    st.builds(
        lambda kind, value: f'<content type="{kind}">{value}</content>',
        st.sampled_from(["html", "xhtml", "text", "bogus"]),
        feed_value,
    ),
    st.builds(lambda href: f'<link rel="alternate" href="{href}"/>', phrase.map(_xml_escape)),
    st.builds(lambda name: f"<author><name>{name}</name></author>", feed_value),
)
rss = st.builds(
    lambda title, lang, items: (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{title}</title><language>{lang}</language>"
        + "".join(f"<item>{''.join(parts)}</item>" for parts in items)
        + "</channel></rss>"
    ),
    feed_value,
    st.sampled_from(["en", "de-DE", "x", ""]),
    st.lists(st.lists(rss_part, max_size=5), max_size=3),
)
atom = st.builds(
    lambda title, entries: (
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title>"
        + "".join(f"<entry>{''.join(parts)}</entry>" for parts in entries)
        + "</feed>"
    ),
    feed_value,
    st.lists(st.lists(atom_part, max_size=5), max_size=3),
)
feed_bytes = encoded(st.one_of(rss, atom, tag_soup_text, st.just('<?xml version="1.0"?><urlset/>')))


# WARC: records written by hand, right and wrong.
def _warc_record(kind: str, status: str, ctype: str, extra: str, body: bytes, skew: int) -> bytes:
    http = f"{status}\r\nContent-Type: {ctype}\r\n{extra}\r\n".encode("utf-8", "replace") + body
    block = http if kind in ("response", "revisit") else body
    headers = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\n"
        "WARC-Date: 2024-05-20T08:00:00Z\r\n"
        "WARC-Target-URI: https://x.example/a\r\n"
        "WARC-Payload-Digest: sha256:ZZZZ\r\n"
        f"Content-Type: {'application/http; msgtype=response' if kind != 'resource' else ctype}"
        "\r\n"
        f"Content-Length: {max(0, len(block) + skew)}\r\n\r\n"
    )
    return headers.encode("utf-8", "replace") + block + b"\r\n\r\n"


warc_record = st.builds(
    _warc_record,
    st.sampled_from(["response", "response", "resource", "request", "metadata", "revisit", "?"]),
    st.sampled_from(["HTTP/1.1 200 OK", "HTTP/1.1 200", "HTTP/1.1 404 Not Found", "junk"]),
    st.sampled_from(
        ["text/html; charset=utf-8", "text/html; charset=bogus", "text/html", "image/png", ""]
    ),
    st.sampled_from(
        [
            "",
            "Content-Encoding: gzip\r\n",
            "Transfer-Encoding: chunked\r\n",
            "Content-Encoding: br\r\n",
        ]
    ),
    st.one_of(tag_soup, random_bytes, st.builds(lambda s: gzip.compress(s), tag_soup)),
    st.sampled_from([0, 0, 0, 0, -5, 7, 10_000]),
)
warc_file = st.builds(
    lambda recs, zipped: (
        b"".join(gzip.compress(r) for r in recs)
        if zipped == 1
        else gzip.compress(b"".join(recs))
        if zipped == 2
        else b"".join(recs)
    ),
    st.lists(warc_record, min_size=1, max_size=3),
    st.integers(0, 2),
)
warc_bytes = warc_file


# --------------------------------------------------------------------------------------------
# Tests: three strategies for each of the six parsers
# --------------------------------------------------------------------------------------------

PARSERS: dict[str, tuple[Callable[[bytes], object], st.SearchStrategy[bytes]]] = {
    "text": (_text, st.one_of(text_dump, tag_soup)),
    "html": (_html, tag_soup),
    "json": (_json, json_bytes),
    "jsonl": (_jsonl, json_lines),
    "feed": (_feed, feed_bytes),
    "warc": (_warc, warc_bytes),
}
# Known failures of parsers owned elsewhere (the reason names the input); strict, so that
# they flip to failures once fixed.
XFAIL: dict[str, str] = {}


def _marks(name: str) -> list[pytest.MarkDecorator]:
    if name in XFAIL:
        return [pytest.mark.xfail(reason=XFAIL[name], strict=True)]
    return []


def _params() -> list[object]:
    return [pytest.param(name, marks=_marks(name), id=name) for name in PARSERS]


@pytest.mark.parametrize("name", _params())
def test_random_bytes(name: str) -> None:
    parser = PARSERS[name][0]

    @settings(FUZZ, max_examples=RANDOM_EXAMPLES)
    @given(st.lists(random_bytes, min_size=BATCH, max_size=BATCH))
    def run(inputs: list[bytes]) -> None:
        check(parser, inputs)

    run()


@pytest.mark.parametrize("name", _params())
def test_random_text(name: str) -> None:
    parser = PARSERS[name][0]

    @settings(FUZZ, max_examples=RANDOM_EXAMPLES)
    @given(st.lists(random_text, min_size=BATCH, max_size=BATCH))
    def run(inputs: list[bytes]) -> None:
        check(parser, inputs)

    run()


@pytest.mark.parametrize("name", _params())
def test_structured(name: str) -> None:
    parser, strategy = PARSERS[name]

    @settings(FUZZ, max_examples=STRUCTURED_EXAMPLES)
    @given(st.lists(strategy, min_size=2, max_size=2), st.integers(0, 2**32))
    def run(inputs: list[bytes], seed: int) -> None:
        check(parser, (copy for data in inputs for copy in variants(data, seed)))

    run()
