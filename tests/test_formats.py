"""The multi-record readers: JSON / JSON Lines, RSS/Atom feeds and WARC archives.

Every input here is fictional and written for these tests: the JSON and feed files are in
``tests/data/formats/``, the WARC archives are written by a fixture with warcio.
"""

from __future__ import annotations

import base64
import codecs
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import sys
import types
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdb.errors import NotAnArticle, ParseError
from newsdb.parsers import parse_records, read_page
from newsdb.parsers.base import Format, ParsedArticle, RawPage, Record
from newsdb.parsers.jsonrecords import canonical_json

DATA = Path(__file__).parent / "data" / "formats"
UTC = dt.UTC


def records(path: Path) -> list[Record]:
    return list(parse_records(read_page(path)))


def raw_of(path: Path, data: bytes) -> RawPage:
    return RawPage(path=path, data=data, sha256=hashlib.sha256(data).hexdigest())


def article(record: Record) -> ParsedArticle:
    assert record.error is None, record.error
    assert record.article is not None
    return record.article


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def test_news_please_file_is_one_article() -> None:
    (rec,) = records(DATA / "newsplease.json")
    a = article(rec)
    assert rec.locator == "item 1"
    source = json.loads((DATA / "newsplease.json").read_text("utf-8"))
    assert rec.sha256 == hashlib.sha256(canonical_json(source)).hexdigest()
    assert a.headline == "Council backs return of the estuary ferry"
    assert a.paragraphs[0].startswith("The council of Lowmere voted on Wednesday night")
    assert a.paragraphs[2] == '"This is a good day for the harbour," said the mayor, Ivo Trent.'
    assert len(a.paragraphs) == 3
    assert a.standfirst == "Lowmere's council approved the ferry plan after a six-hour session."
    assert a.byline == "Mara Quill"
    assert a.agency is None
    assert a.outlet == "lowmere-gazette.example"
    assert a.url == "https://lowmere-gazette.example/news/ferry-plan"
    assert a.language == "en"
    # news-please writes local times without a zone: the day is known, the instant is not.
    assert a.published_on == dt.date(2024, 3, 14)
    assert a.published_at is None
    assert a.fetched_at is None
    assert a.format is Format.JSON
    assert not a.stub
    assert a.methods["headline"] == a.methods["body"] == a.methods["published_on"] == "structured"
    assert a.methods["language"] == "structured"


def test_newsapi_response_unwrapped_and_truncation_marked() -> None:
    recs = records(DATA / "newsapi.json")
    assert [r.locator for r in recs] == ["item 1", "item 2", "item 3"]
    first, second, third = map(article, recs)

    # The title loses its " - <source name>" suffix; the content its "[+1843 chars]" marker.
    assert first.headline == "Fishing fleet returns early as storm nears"
    assert first.body == (
        "The fishing fleet of Port Avel returned two days early on Tuesday as forecasters "
        "warned of a storm.\n\nSkippers said the catch had been good despite the short trip…"
    )
    assert first.warnings == ("truncated content",)
    assert first.outlet == "Harbour Times"
    assert (first.byline, first.agency) == ("Tom Brisk", "Reuters")
    assert first.published_at == dt.datetime(2024, 4, 2, 17, 45, tzinfo=UTC)
    assert first.published_on == dt.date(2024, 4, 2)
    assert first.standfirst == "Boats came back to port two days ahead of schedule."
    assert first.url == "https://harbour-times.example/2024/04/02/fleet-returns"
    assert first.language == "en" and first.methods["language"] == "heuristic"
    assert not first.stub

    # No content: a stub with its description as standfirst.
    assert second.stub and second.body == ""
    assert second.headline == "Lighthouse to reopen for visitors"
    assert second.standfirst == "The old lighthouse on Gull Point will open its doors again in May."
    assert second.published_at == dt.datetime(2024, 4, 3, 6, 0, tzinfo=UTC)
    assert second.warnings == ()
    assert "body" not in second.methods

    # An agency as the only author: no byline, the agency credited. The day is the one
    # printed (local), the instant is UTC (the next day).
    assert (third.byline, third.agency) == (None, "AP")
    assert third.published_on == dt.date(2024, 4, 5)
    assert third.published_at == dt.datetime(2024, 4, 6, 4, 30, tzinfo=UTC)
    assert third.warnings == ()
    assert third.outlet == "Valley Courier"


def test_json_lines_bad_and_unknown_lines_are_error_records() -> None:
    recs = records(DATA / "mixed.jsonl")
    assert [r.locator for r in recs] == ["line 1", "line 3", "line 4", "line 5", "line 6"]
    generic, bad, unknown, news_please, array = recs

    a = article(generic)
    assert a.headline == "Orchard harvest breaks record"
    assert a.paragraphs == [
        "Growers in the Brenn valley picked more apples this autumn than in any year since "
        "records began.",
        "The cooperative said prices would stay stable.",
    ]
    assert a.byline == "Lena Oddway"  # "By " dropped
    assert (a.outlet, a.section) == ("Valley Courier", "Farming")
    assert a.published_at == dt.datetime(2024, 10, 1, 4, 0, tzinfo=UTC)
    assert a.published_on == dt.date(2024, 10, 1)
    assert a.url == "https://valley-courier.example/orchard"

    assert type(bad.error) is ParseError and bad.article is None
    assert bad.error.reason == "line 3: invalid JSON (Expecting value at column 36)"
    assert bad.error.path == DATA / "mixed.jsonl"
    line3 = (DATA / "mixed.jsonl").read_text("utf-8").split("\n")[2].strip()
    assert bad.sha256 == hashlib.sha256(line3.encode()).hexdigest()

    assert type(unknown.error) is ParseError
    assert unknown.error.reason == "line 4: unknown record shape (keys: id, score, tags)"

    b = article(news_please)
    assert b.headline == "Tram line delayed again"
    assert b.byline is None and b.outlet == "city-post.example"
    assert b.published_on == dt.date(2024, 9, 16)

    assert type(array.error) is ParseError
    assert array.error.reason == "line 6: not a JSON object but an array"


def test_record_hash_is_canonical_json(tmp_path: Path) -> None:
    one = {"headline": "Ä title", "body": "Text.", "url": "https://x.example/a"}
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(one, indent=4, ensure_ascii=True), "utf-8")
    compact = tmp_path / "compact.jsonl"
    compact.write_text(json.dumps(dict(reversed(one.items())), ensure_ascii=False) + "\n", "utf-8")
    (a,) = records(pretty)
    (b,) = records(compact)
    expected = '{"body":"Text.","headline":"Ä title","url":"https://x.example/a"}'
    assert a.sha256 == b.sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_invalid_json_file_raises_with_position(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"headline": "A", "body": "B"},\n  {"headline": }\n]\n', "utf-8")
    with pytest.raises(ParseError) as caught:
        records(path)
    assert caught.value.reason == "invalid JSON: Expecting value at line 3 column 16"
    assert caught.value.path == path


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty file"),
        ('"just a string"', "the JSON document is a string, not article objects"),
        ("[" * 100_000, "invalid JSON: nested too deeply"),
    ],
)
def test_json_file_without_records_raises(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, "utf-8")
    with pytest.raises(ParseError) as caught:
        records(path)
    assert caught.value.reason == reason


def test_json_gz_and_json_lines_saved_as_json(tmp_path: Path) -> None:
    lines = (DATA / "mixed.jsonl").read_bytes()
    gz = tmp_path / "mixed.jsonl.gz"
    gz.write_bytes(gzip.compress(lines))
    as_json = tmp_path / "mixed.json"
    as_json.write_bytes(lines)
    expected = [(r.locator, r.sha256) for r in records(DATA / "mixed.jsonl")]
    assert [(r.locator, r.sha256) for r in records(gz)] == expected
    assert [(r.locator, r.sha256) for r in records(as_json)] == expected


def test_generic_shapes_schema_org_and_stubs(tmp_path: Path) -> None:
    items = [
        {
            "@type": "NewsArticle",
            "headline": "Schema &amp; friends",
            "articleBody": "<p>First.</p><p>Second <b>bold</b>.</p><script>x()</script>",
            "datePublished": "2024-02-29",
            "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"name": "Reuters"}],
            "publisher": {"@type": "Organization", "name": "The Example Post"},
            "articleSection": ["World", "Europe"],
            "inLanguage": "es-ES",
        },
        {"Title": "A link only", "Link": "https://x.example/only", "Published At": 1709251200},
        {"title": "No text, no link", "summary": "Nothing else."},
        {"title": "", "body": "Text without a title."},
    ]
    path = tmp_path / "generic.json"
    path.write_text(json.dumps(items), "utf-8")
    schema, link, nothing, untitled = records(path)

    a = article(schema)
    assert a.headline == "Schema & friends"
    assert a.paragraphs == ["First.", "Second bold."]
    assert (a.byline, a.agency) == ("Ana Ruiz", "Reuters")
    assert (a.outlet, a.section, a.language) == ("The Example Post", "World", "es")
    assert (a.published_on, a.published_at) == (dt.date(2024, 2, 29), None)

    b = article(link)
    assert b.stub and b.url == "https://x.example/only"
    assert b.published_at == dt.datetime(2024, 3, 1, tzinfo=UTC)

    assert isinstance(nothing.error, ParseError)
    assert nothing.error.reason == "item 3: unknown record shape (keys: summary, title)"
    assert isinstance(untitled.error, NotAnArticle)
    assert untitled.error.reason == "item 4: no headline (generic record without a title)"


# --------------------------------------------------------------------------------------------
# Feeds
# --------------------------------------------------------------------------------------------


def test_rss_full_content_entries_are_articles_and_teasers_stubs() -> None:
    recs = records(DATA / "gazette.rss")
    assert [r.locator for r in recs] == ["entry 1", "entry 2", "entry 3"]
    full, teaser, untitled = recs

    a = article(full)
    assert a.headline == "Bridge repairs to close the old road for a month"
    assert not a.stub
    assert a.paragraphs == [
        "The old road between Lowmere and Sallow Cross will close on Monday for a month while "
        "engineers repair the stone bridge over the Brenn, the county said on Thursday.",
        "Drivers will be sent along the ring road, which adds about ten minutes to the trip. "
        "Buses will keep their timetable but stop at the station instead of the market square.",
        "“We know this is a nuisance,” said the county engineer, Petra Voss. “The bridge is two "
        "hundred years old and it needs the work now.”",
        "Shops on the market square said they feared losing custom.",
    ]  # the figure caption and the script are gone; <br/><br/> splits a paragraph
    assert a.standfirst == "The old road will shut from Monday while the bridge is repaired."
    assert (a.outlet, a.section, a.byline, a.agency) == (
        "The Lowmere Gazette",
        "Local",
        "Mara Quill",
        None,
    )
    assert a.url == "https://lowmere-gazette.example/news/bridge-repairs"
    assert a.published_at == dt.datetime(2024, 4, 12, 6, 15, tzinfo=UTC)
    assert a.published_on == dt.date(2024, 4, 12)
    assert a.language == "en"
    assert a.format is Format.FEED
    assert re.fullmatch(r"[0-9a-f]{64}", full.sha256)

    b = article(teaser)  # content:encoded of one sentence is a teaser, not the article
    assert b.stub and b.body == ""
    assert b.headline == "Library extends opening hours"
    assert b.standfirst == "The town library will stay open until eight on weekdays."
    assert (b.byline, b.agency) == ("Ivo Trent", "PA")
    assert b.published_at == dt.datetime(2024, 4, 13, 9, 0, tzinfo=UTC)

    assert isinstance(untitled.error, NotAnArticle)
    assert untitled.error.reason == "entry 3: entry without a title"


def test_atom_summaries_are_stubs() -> None:
    first, second = (article(r) for r in records(DATA / "harbour.atom"))
    assert first.stub and second.stub
    assert (first.headline, first.url) == (
        "New pier opens to the public",
        "https://harbour-times.example/2024/04/06/pier",
    )
    assert first.standfirst == "The pier at Port Avel welcomed its first visitors on Saturday."
    assert first.byline == "Tom Brisk"
    assert first.outlet == "Harbour Times"
    assert first.published_at == dt.datetime(2024, 4, 6, 8, 30, tzinfo=UTC)  # published wins
    assert first.published_on == dt.date(2024, 4, 6)
    assert first.language == "en"

    assert second.headline == "Ferry fares frozen for summer"  # HTML title made text
    assert second.standfirst == "Fares will not rise before September."
    assert (second.byline, second.agency) == (None, "AFP")
    assert second.published_at == dt.datetime(2024, 4, 5, 16, 20, tzinfo=UTC)  # updated only


def test_feed_hash_follows_entry_id_date_and_content(tmp_path: Path) -> None:
    text = (DATA / "harbour.atom").read_text("utf-8")
    before = [r.sha256 for r in records(DATA / "harbour.atom")]
    edited = tmp_path / "edited.atom"
    edited.write_text(text.replace("2024-04-05T16:20:00Z", "2024-04-05T18:00:00Z"), "utf-8")
    after = [r.sha256 for r in records(edited)]
    assert after[0] == before[0] and after[1] != before[1]


def test_broken_feed_read_leniently_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>Fish & Ships</title><item><title>Tides & times'
        "</title><link>https://x.example/tides</link></item></channel></rss>",
        "utf-8",
    )
    (rec,) = records(path)
    a = article(rec)
    assert (a.headline, a.outlet, a.url, a.stub) == (
        "Tides & times",
        "Fish & Ships",
        "https://x.example/tides",
        True,
    )
    assert len(a.warnings) == 1 and a.warnings[0].startswith("feed read leniently: ")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            "<?xml version='1.0'?>\n<!-- a sitemap -->\n<urlset><url>https://x.example/</url>"
            "</urlset>",
            "not an RSS or Atom feed (an XML document with root <urlset>)",
        ),
        ("Just some text, no markup.", "not an RSS or Atom feed (not well-formed XML: "),
        ("", "empty file"),
    ],
)
def test_xml_that_is_not_a_feed_raises(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "doc.xml"
    path.write_text(content, "utf-8")
    with pytest.raises(ParseError) as caught:
        records(path)
    assert caught.value.reason.startswith(reason)


def test_feed_bytes_never_name_a_file(tmp_path: Path) -> None:
    # feedparser reads a file when given bytes naming one; the reader must not.
    target = tmp_path / "feed.rss"
    target.write_bytes((DATA / "harbour.atom").read_bytes())
    with pytest.raises(ParseError):
        records_of_bytes = parse_records(raw_of(tmp_path / "x.xml", str(target).encode()))
        list(records_of_bytes)


# --------------------------------------------------------------------------------------------
# WARC
# --------------------------------------------------------------------------------------------

PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='{charset}'><title>{title}</title>"
    "</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{paragraphs}"
    "</article><footer>Contact us</footer></body></html>"
)
QUAY = [
    "Work on the quay wall of Port Avel ended in May, three months later than the harbour "
    "board had planned when the repairs began last winter.",
    "The old wall had cracked in two places after the autumn storms, and engineers said that "
    "a third storm would have brought part of it down into the water.",
    "Fishing boats will be able to moor along the whole length of the quay again from June, "
    "the board said in a statement on Monday.",
]
CAFE = [
    "The harbour café reopened on Sunday after a winter of building work that doubled the "
    "size of its terrace and gave it a new kitchen.",
    "Its owner said the first weekend had been the busiest since the café opened, with "
    "queues along the promenade for most of the afternoon.",
    "The café will stay open every day until the end of September, and on weekends after "
    "that, weather permitting.",
]


def _page(title: str, paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return PAGE.format(title=title, paragraphs=body, charset=charset)


# The Latin-1 page declares no charset of its own: only the HTTP header gives it.
ARTICLE_1 = _page("Quay wall rebuilt", QUAY)
ARTICLE_2 = _page("Café reopens", CAFE).replace("<meta charset='utf-8'>", "")
INDEX = "<!doctype html><html><body><ul><li><a href='/a'>A</a></li></ul></body></html>"
WARC_DATE = "2024-05-20T08:00:00Z"


def _write_warc(path: Path, *, gzip_records: bool) -> dict[str, str]:
    """Write a small archive; return the record id of each page's response by name."""
    ids: dict[str, str] = {}
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))

        def response(
            name: str,
            url: str,
            body: bytes,
            content_type: str = "text/html; charset=utf-8",
            status: str = "200 OK",
            extra: dict[str, str] | None = None,
        ) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], "HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),  # known length: warcio needs no temporary file
                http_headers=headers,
                warc_headers_dict={"WARC-Date": WARC_DATE, **(extra or {})},
            )
            ids[name] = record.rec_headers.get_header("WARC-Record-ID")
            writer.write_record(record)

        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "x.example")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/a",
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=request,
            )
        )
        response("one", "https://x.example/a", ARTICLE_1.encode("utf-8"))
        # A Latin-1 page whose charset only the HTTP header gives.
        response(
            "two",
            "https://x.example/b",
            ARTICLE_2.encode("latin-1"),
            "text/html; charset=ISO-8859-1",
            extra={"WARC-Payload-Digest": "sha256:" + _b32_sha256(ARTICLE_2.encode("latin-1"))},
        )
        response("index", "https://x.example/", INDEX.encode())
        response("missing", "https://x.example/gone", ARTICLE_1.encode(), status="404 Not Found")
        response("image", "https://x.example/logo.png", b"\x89PNG\r\n", "image/png")
    return ids


def _b32_sha256(data: bytes) -> str:
    return base64.b32encode(hashlib.sha256(data).digest()).decode("ascii")


class _StubHtml:
    """Stands in for newsdb.parsers.html: decodes like it (BOM first) and records calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[bytes, Path | None, str | None, dt.datetime | None]] = []

    def parse_html(
        self,
        data: bytes,
        *,
        path: Path | None = None,
        url: str | None = None,
        fetched_at: dt.datetime | None = None,
    ) -> ParsedArticle:
        self.calls.append((data, path, url, fetched_at))
        text = data.decode("utf-8-sig")
        found = re.search(r"<h1>(.*?)</h1>(.*)</article>", text)
        if found is None:
            raise NotAnArticle("no article in the page", path)
        paragraphs = re.findall(r"<p>(.*?)</p>", found.group(2))
        return ParsedArticle(
            headline=found.group(1), body="\n\n".join(paragraphs), url=url, format=Format.HTML
        )


@pytest.fixture
def stub_html(monkeypatch: pytest.MonkeyPatch) -> _StubHtml:
    stub = _StubHtml()
    module = types.ModuleType("newsdb.parsers.html")
    module.parse_html = stub.parse_html  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsdb.parsers.html", module)
    return stub


@pytest.mark.parametrize("suffix", [".warc", ".warc.gz"])
def test_warc_html_responses_become_records(
    tmp_path: Path, stub_html: _StubHtml, suffix: str
) -> None:
    path = tmp_path / f"crawl{suffix}"
    ids = _write_warc(path, gzip_records=suffix.endswith(".gz"))
    # Streamed from the path: the importer may pass no bytes at all.
    recs = list(parse_records(RawPage(path=path, data=b"", sha256="0" * 64)))
    assert [r.locator for r in recs] == [
        f"record {ids['one']}",
        f"record {ids['two']}",
        f"record {ids['index']}",
    ]
    one, two, index = recs

    a = article(one)
    assert (a.headline, a.paragraphs, a.url) == ("Quay wall rebuilt", QUAY, "https://x.example/a")
    assert a.fetched_at == dt.datetime(2024, 5, 20, 8, 0, tzinfo=UTC)
    assert a.format is Format.WARC
    assert one.sha256 == hashlib.sha256(ARTICLE_1.encode()).hexdigest()

    b = article(two)
    assert (b.headline, b.paragraphs) == ("Café reopens", CAFE)  # the HTTP charset was used
    assert two.sha256 == hashlib.sha256(ARTICLE_2.encode("latin-1")).hexdigest()  # its digest
    data, given_path, url, fetched = stub_html.calls[1]
    assert data.startswith(codecs.BOM_UTF8)
    assert (given_path, url, fetched) == (path, "https://x.example/b", a.fetched_at)

    assert isinstance(index.error, NotAnArticle) and index.article is None
    assert (
        index.error.reason == f"record {ids['index']} (https://x.example/): no article in the page"
    )
    assert len(stub_html.calls) == 3  # request, 404, image, warcinfo: never parsed


def test_warc_gzipped_as_one_stream(tmp_path: Path, stub_html: _StubHtml) -> None:
    plain = tmp_path / "crawl.warc"
    ids = _write_warc(plain, gzip_records=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    recs = records(whole)
    assert [r.locator for r in recs] == [
        f"record {ids['one']}",
        f"record {ids['two']}",
        f"record {ids['index']}",
    ]


def test_warc_cut_off_ends_with_an_error_record(tmp_path: Path, stub_html: _StubHtml) -> None:
    plain = tmp_path / "crawl.warc"
    ids = _write_warc(plain, gzip_records=False)
    data = plain.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: data.index(b"The harbour caf") + 5])
    recs = records(cut)
    assert [r.locator for r in recs] == [f"record {ids['one']}", f"record {ids['two']}"]
    assert recs[0].article is not None
    assert isinstance(recs[1].error, ParseError)
    assert recs[1].error.reason.endswith("the archive breaks off inside this record")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "not a WARC file ("),
        (b"\x1f\x8b\x08\x00garbage", "not a WARC file ("),
    ],
)
def test_not_a_warc_raises(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.warc"
    path.write_bytes(content)
    with pytest.raises(ParseError) as caught:
        records(path)
    assert caught.value.reason.startswith(reason)


def test_warc_with_the_real_html_parser(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    ids = _write_warc(path, gzip_records=True)
    one, two, index = records(path)
    quay, cafe = article(one), article(two)
    assert (quay.headline, quay.paragraphs, quay.url) == (
        "Quay wall rebuilt",
        QUAY,
        "https://x.example/a",
    )
    assert quay.fetched_at == dt.datetime(2024, 5, 20, 8, 0, tzinfo=UTC)
    assert quay.format is Format.WARC
    assert (cafe.headline, cafe.paragraphs) == ("Café reopens", CAFE)
    assert isinstance(index.error, NotAnArticle)
    assert index.error.reason.startswith(f"record {ids['index']} (https://x.example/): ")


@settings(deadline=None, derandomize=True, database=None, max_examples=2000)
@given(st.text(alphabet=".abgzGZtxjsonhmlé ", min_size=1, max_size=14))
def test_a_file_format_is_read_off_the_names_suffixes(name: str) -> None:
    """The format comes from the last of pathlib's suffixes, or the one before a final
    ``.gz`` (then the file is gzipped), in any case; a name with no suffix has none."""
    from newsdb.parsers import SUFFIXES, detect_format, is_gzipped

    if name in {".", ".."}:  # not a file name: the path would be the folder
        return
    path = Path("corpus") / name
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = len(suffixes) >= 2 and suffixes[-1] == ".gz"
    expected = suffixes[-2] if gzipped else (suffixes[-1] if suffixes else "")
    assert is_gzipped(path) is gzipped
    assert detect_format(path) is SUFFIXES.get(expected)


def test_gzipped_and_upper_case_names_are_recognised() -> None:
    from newsdb.parsers import detect_format, is_gzipped

    assert detect_format(Path("a.TXT")) is Format.TEXT
    assert detect_format(Path("feed.json.GZ")) is Format.JSON
    assert is_gzipped(Path("feed.json.gz"))
    assert not is_gzipped(Path("notes.gz"))
    assert detect_format(Path("notes.gz")) is None
    assert detect_format(Path(".txt")) is None  # a hidden file's name, not a suffix
