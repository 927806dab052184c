"""Tests of the saved-HTML parser, on small invented pages (one rule each).

Every page here was written for these tests. The real development pages are measured in
``tests/test_pages_html.py``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import random
from pathlib import Path

import pytest

from newsdb.errors import NotAnArticle, ParseError
from newsdb.parsers import RawPage, parse_page
from newsdb.parsers.base import Format
from newsdb.parsers.html import decode_html, parse_html

PARAS = [
    "The harbour board of Lowmere voted on Tuesday to rebuild the old quay wall, which was "
    "damaged by the winter storms, at a cost of four million crowns.",
    "Work will start in June and should end before the autumn ferries resume, the board's "
    "chair, Marta Ellison, told reporters after a meeting that ran well past midnight.",
    "Fishermen had asked for the repair since January, when two boats were holed on loose "
    "stones that had fallen from the wall into the inner basin during a spring tide.",
    "The town will pay a quarter of the cost; the rest comes from the regional fund for "
    "coastal works, which approved the grant last week after a second inspection.",
]
DESCRIPTION = "Lowmere will rebuild its storm-damaged quay wall before the autumn ferries."


def _page(
    *,
    head: str = "",
    body: str | None = None,
    lang: str = "en",
    charset: str = "utf-8",
) -> str:
    if body is None:
        body = "<article><h1>Quay wall to be rebuilt</h1>" + _paras() + "</article>"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="{charset}">'
        f"<title>Quay wall to be rebuilt | Lowmere Gazette</title>{head}</head>"
        f"<body>{body}</body></html>"
    )


def _paras(paras: list[str] = PARAS) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def _ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def _parse(html: str, **kwargs: object) -> object:
    return parse_html(html.encode("utf-8"), **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Structured data
# ---------------------------------------------------------------------------------------------

GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "Lowmere Gazette", "url": "https://gazette.example/"},
        {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "name": "Home"}]},
        {
            "@type": ["NewsArticle", "ReportageNewsArticle"],
            "headline": "Harbour board votes to rebuild quay wall",
            "datePublished": "2024-05-02T23:30:00-04:00",
            "author": [
                {"@type": "Person", "name": "Jane Doe"},
                {"@type": "Person", "givenName": "John", "familyName": "Roe"},
            ],
            "publisher": {"@type": "NewsMediaOrganization", "name": "Lowmere Gazette"},
            "articleSection": ["Harbour", "Local"],
            "inLanguage": "en-GB",
        },
    ],
}


def test_json_ld_graph_gives_the_metadata() -> None:
    article = parse_html(_page(head=_ld(GRAPH)).encode())
    assert article.format is Format.HTML
    assert article.headline == "Harbour board votes to rebuild quay wall"
    assert article.byline == "Jane Doe, John Roe"
    assert article.outlet == "Lowmere Gazette"
    assert article.section == "Harbour"
    assert article.language == "en"
    # The calendar day as printed (New York time); the instant in UTC.
    assert article.published_on == dt.date(2024, 5, 2)
    assert article.published_at == dt.datetime(2024, 5, 3, 3, 30, tzinfo=dt.UTC)
    methods = article.methods
    assert methods["headline"] == methods["byline"] == methods["published_at"] == "structured"
    assert methods["outlet"] == methods["section"] == "structured"


def test_json_ld_array_prefers_the_pages_article_over_listed_ones() -> None:
    related = {
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "NewsArticle",
                "headline": "Another story entirely",
                "datePublished": "2020-01-01",
                "articleBody": "Something else. " * 40,
            }
        ],
    }
    own = {
        "@type": "NewsArticle",
        "headline": "Quay wall to be rebuilt",
        "datePublished": "2024-05-02",
    }
    article = parse_html(_page(head=_ld([related, own])).encode())
    assert article.headline == "Quay wall to be rebuilt"
    assert article.published_on == dt.date(2024, 5, 2)
    assert "Something else" not in article.body


def test_broken_json_ld_is_read_leniently_or_ignored() -> None:
    lenient = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
        '"Lenient reading", "author": {"@type": "Person", "name": "Jane Doe"},}</script>'
    )
    article = parse_html(_page(head=lenient).encode())
    assert (article.headline, article.byline) == ("Lenient reading", "Jane Doe")
    broken = '<script type="application/ld+json">{"@type": "NewsArticle", "headline</script>'
    assert parse_html(_page(head=broken).encode()).headline == "Quay wall to be rebuilt"


def test_agency_credits_go_to_agency() -> None:
    both = {
        "@type": "NewsArticle",
        "author": [
            {"@type": "Person", "name": "Jane Doe"},
            {"@type": "Organization", "name": "AFP"},
        ],
    }
    article = parse_html(_page(head=_ld(both)).encode())
    assert (article.byline, article.agency) == ("Jane Doe", "AFP")
    only = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Reuters"}}
    article = parse_html(_page(head=_ld(only)).encode())
    assert (article.byline, article.agency) == ("Reuters", "Reuters")


def test_complete_article_body_beats_a_teaser_on_the_page() -> None:
    teaser = (
        "<article><h1>Quay wall to be rebuilt</h1><p>"
        + PARAS[0]
        + "</p>"
        + (
            "<p>"
            + PARAS[1]
            + "</p><div class='paywall-prompt'>Subscribe to read on.</div></article>"
        )
    )
    ld = {"@type": "NewsArticle", "headline": "Quay", "articleBody": "\n".join(PARAS)}
    article = parse_html(_page(head=_ld(ld), body=teaser).encode())
    assert article.paragraphs == PARAS
    assert article.methods["body"] == "structured"


# ---------------------------------------------------------------------------------------------
# Meta tags and heuristics
# ---------------------------------------------------------------------------------------------

META = (
    '<meta property="og:title" content="Quay wall to be rebuilt | Lowmere Gazette">'
    '<meta property="og:site_name" content="Lowmere Gazette">'
    '<meta property="article:published_time" content="2024-05-02T10:15:00+02:00">'
    '<meta property="article:section" content="Harbour">'
    '<meta name="author" content="Jane Doe">'
    f'<meta name="description" content="{DESCRIPTION}">'
    '<link rel="canonical" href="HTTPS://WWW.Gazette.example/harbour/quay/?utm_source=x&b=2&a=1#top">'
)


def test_meta_tags_when_there_is_no_json_ld() -> None:
    article = parse_html(_page(head=META).encode())
    assert article.headline == "Quay wall to be rebuilt"  # the site name is not the title's
    assert article.outlet == "Lowmere Gazette"
    assert article.section == "Harbour"
    assert article.byline == "Jane Doe"
    assert article.published_at == dt.datetime(2024, 5, 2, 8, 15, tzinfo=dt.UTC)
    assert article.url == "https://gazette.example/harbour/quay?a=1&b=2"
    assert article.methods["headline"] == article.methods["url"] == "meta"
    assert article.methods["byline"] == article.methods["published_on"] == "meta"


def test_a_title_with_an_unknown_name_glued_on_is_cut_where_another_title_ends() -> None:
    # No og:site_name, and the glued part names nothing the page gives: the <h1> tells
    # where the headline ends.
    head = '<meta property="og:title" content="Quay wall to be rebuilt - Harbour Weekly Live">'
    article = parse_html(_page(head=head).encode())
    assert article.headline == "Quay wall to be rebuilt"
    assert article.methods["headline"] == "meta"
    # A title that merely starts like a short label is not cut.
    body = f"<article><h1>Lowmere</h1>{_paras()}</article>"
    head = '<meta property="og:title" content="Lowmere - the quay wall will be rebuilt">'
    article = parse_html(_page(head=head, body=body).encode())
    assert article.headline == "Lowmere - the quay wall will be rebuilt"


def test_of_two_structured_titles_the_one_og_title_repeats_wins() -> None:
    long = "Harbour board votes to rebuild the storm-damaged quay wall before the ferries return"
    short = "Lowmere quay wall: rebuild approved"
    obj = {"@type": "NewsArticle", "headline": short, "name": long}
    og = f'<meta property="og:title" content="{long}">'
    assert parse_html(_page(head=_ld(obj) + og).encode()).headline == long
    # og:title agreeing with the headline, or with neither, leaves the headline first.
    og = f'<meta property="og:title" content="{short}">'
    assert parse_html(_page(head=_ld(obj) + og).encode()).headline == short
    og = '<meta property="og:title" content="Quay wall to be rebuilt">'
    assert parse_html(_page(head=_ld(obj) + og).encode()).headline == short


def test_a_label_set_before_the_headline_goes_when_another_metadata_title_omits_it() -> None:
    headline = "Harbour board votes to rebuild the quay wall"
    og = f'<meta property="og:title" content="{headline}">'
    for kicker in ("Storm damage: ", '"Not a day too soon": ', "Lowmere / ", "Storm damage - "):
        obj = {"@type": "NewsArticle", "headline": kicker + headline}
        article = parse_html(_page(head=_ld(obj) + og).encode())
        assert article.headline == headline, kicker
        assert article.methods["headline"] == "meta"
    # Without a title that gives the headline alone, the label stays.
    obj = {"@type": "NewsArticle", "headline": "Storm damage: " + headline}
    og = '<meta property="og:title" content="Quay wall to be rebuilt">'
    assert parse_html(_page(head=_ld(obj) + og).encode()).headline == "Storm damage: " + headline
    # An <h1> without the label is no evidence: the layout may print the label apart.
    body = f"<article><p>Storm damage</p><h1>{headline}</h1>{_paras()}</article>"
    assert parse_html(_page(head=_ld(obj), body=body).encode()).headline == (
        "Storm damage: " + headline
    )
    # A "label" as long as the rest is no label.
    title = "The harbour board votes money: for the quay wall"
    obj = {"@type": "NewsArticle", "headline": title}
    og = '<meta property="og:title" content="for the quay wall">'
    assert parse_html(_page(head=_ld(obj) + og).encode()).headline == title


def test_live_blog_updates_are_parts_of_the_article_not_the_article() -> None:
    blog = {
        "@type": "LiveBlogPosting",
        "headline": "Harbour storm live: quay wall to be rebuilt",
        "url": "https://gazette.example/harbour/live",
        "datePublished": "2024-05-02T07:00:00Z",
        "author": {"@type": "Person", "name": "Jane Doe"},
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": "Ferries to use the north pier",
                "url": "https://gazette.example/harbour/live#update-2",
                "datePublished": "2024-05-03T21:00:00Z",
                "author": {"@type": "Person", "name": "John Roe"},
                "articleBody": "The ferries will dock at the north pier.",
            }
        ],
    }
    head = _ld(blog) + '<link rel="canonical" href="https://gazette.example/harbour/live">'
    article = parse_html(_page(head=head).encode())
    assert article.headline == "Harbour storm live: quay wall to be rebuilt"
    assert article.published_on == dt.date(2024, 5, 2)
    assert article.byline == "Jane Doe"


def test_heuristics_when_the_page_says_nothing_about_itself() -> None:
    body = (
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<main><h1>Quay wall to be rebuilt</h1><p>By Jane Doe</p>"
        "<time datetime='2024-05-02T09:00:00Z'>2 May 2024</time>"
        f"{_paras()}</main>"
    )
    html = f"<html><body>{body}</body></html>"
    article = parse_html(html.encode())
    assert article.headline == "Quay wall to be rebuilt"
    assert article.byline == "Jane Doe"
    assert article.published_on == dt.date(2024, 5, 2)
    assert article.methods["headline"] == "heuristic"
    assert article.methods["byline"] == "heuristic"
    assert article.methods["published_on"] == "meta"  # <time datetime> is markup, not prose
    assert article.language == "en"
    assert article.methods["language"] == "heuristic"


def test_declared_language_wins_unless_the_text_is_plainly_another() -> None:
    assert parse_html(_page(lang="en-US").encode()).language == "en"
    german = [
        "Der Hafenrat von Lowmere hat am Dienstag beschlossen, die alte Kaimauer wieder "
        "aufzubauen, die bei den Winterstürmen schwer beschädigt worden war.",
        "Die Arbeiten sollen im Juni beginnen und vor der Rückkehr der Herbstfähren enden, "
        "sagte die Vorsitzende nach einer Sitzung, die bis weit nach Mitternacht dauerte.",
        "Die Fischer hatten die Reparatur seit Januar verlangt, als zwei Boote an losen "
        "Steinen leckschlugen, die bei einer Springflut ins innere Becken gefallen waren.",
        "Die Stadt zahlt ein Viertel der Kosten; den Rest trägt der regionale Fonds für "
        "Küstenbauten, der den Zuschuss nach einer zweiten Prüfung bewilligt hat.",
        "Während der Bauzeit legen die Fähren am neuen Anleger im Norden an, der dafür "
        "eigens verlängert wird, wie das Hafenamt am Mittwoch mitteilte.",
        "Die Anwohner sollen in einer Versammlung im Mai über die Einzelheiten unterrichtet "
        "werden, auch über den Lärm und die Sperrungen am Kai.",
    ]
    body = "<article><h1>Kaimauer wird neu gebaut</h1>" + _paras(german) + "</article>"
    article = parse_html(_page(lang="en", body=body).encode())
    assert article.language == "de"
    assert article.methods["language"] == "heuristic"


def test_standfirst_is_the_printed_description_not_the_first_paragraph() -> None:
    printed = (
        f"<article><header><h1>Quay wall to be rebuilt</h1><p class='lede'>{DESCRIPTION}</p>"
        f"</header>{_paras()}</article>"
    )
    article = parse_html(_page(head=META, body=printed).encode())
    assert article.standfirst == DESCRIPTION
    assert article.paragraphs == PARAS
    as_first = f"<article><h1>Quay wall to be rebuilt</h1>{_paras([DESCRIPTION, *PARAS])}</article>"
    article = parse_html(_page(head=META, body=as_first).encode())
    assert article.standfirst is None
    assert article.paragraphs[0] == DESCRIPTION


# ---------------------------------------------------------------------------------------------
# Body extraction
# ---------------------------------------------------------------------------------------------

FURNITURE = (
    "<header class='site-header'><a href='/'>Lowmere Gazette</a><nav><ul>"
    + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(12))
    + "</ul></nav></header>"
    "<div class='cookie-banner'><p>We use cookies to improve your experience on our site and "
    "to show you relevant advertising. By continuing you agree to our use of cookies.</p></div>"
    "<main><article><h1>Quay wall to be rebuilt</h1>"
    "<div class='share-bar'><a href='#'>Share on Facebook</a> <a href='#'>Share by email</a></div>"
    "<div class='article-body'>"
    f"<p>{PARAS[0]}</p>"
    "<figure><img src='q.jpg'><figcaption>The quay wall after the storm. Photo: Jane Doe"
    "</figcaption></figure>"
    f"<p>{PARAS[1]}</p>"
    "<aside class='related'><h3>Related</h3><ul>"
    "<li><a href='/a'>Ferry timetable changes for the summer season announced</a></li>"
    "<li><a href='/b'>New lighthouse keeper appointed after forty years</a></li></ul></aside>"
    "<h2>Who pays</h2>"
    f"<p>{PARAS[2]}</p>"
    "<script>var tracking = 'This text is code, not the article.';</script>"
    f"<p>{PARAS[3]}</p>"
    "<div class='newsletter-signup'><p>Get the harbour news in your inbox every morning: sign "
    "up for our free newsletter today and never miss a story.</p>"
    "<form><input type='email'><button>Sign up</button></form></div>"
    "</div></article>"
    "<section class='comments'><h2>Comments</h2>"
    "<p>I have been saying for years that this wall would fall down, and nobody listened to "
    "the fishermen until two boats were holed. Typical of this town.</p></section></main>"
    "<footer><p>Lowmere Gazette, 1 Quay Street, Lowmere. Contact us for corrections, letters "
    "and advertising enquiries during office hours.</p></footer>"
)


def test_body_keeps_the_article_and_drops_the_furniture() -> None:
    article = parse_html(_page(body=FURNITURE).encode())
    assert article.paragraphs == [PARAS[0], PARAS[1], "Who pays", PARAS[2], PARAS[3]]
    assert article.body == "\n\n".join(article.paragraphs)


def test_article_split_by_advertisements_is_read_whole() -> None:
    pieces = "".join(
        f"<div class='article-body__part'><p>{p}</p><p>{p}</p></div>"
        "<div class='ad-slot'><span>Advertisement</span></div>"
        for p in PARAS
    )
    body = f"<main><h1>Quay wall to be rebuilt</h1>{pieces}</main>"
    article = parse_html(_page(body=body).encode())
    assert article.paragraphs == PARAS  # repeats within a piece are printed once


def test_next_story_on_an_endless_page_is_left_out() -> None:
    other = [p.replace("quay", "pier").replace("Lowmere", "Eastby") for p in PARAS]
    body = (
        f"<article><h1>Quay wall to be rebuilt</h1>{_paras()}</article>"
        f"<article><h1>Pier to close for winter</h1>{_paras(other * 2)}</article>"
    )
    article = parse_html(_page(body=body).encode())
    assert article.headline == "Quay wall to be rebuilt"
    assert article.paragraphs == PARAS


def test_streamed_parts_are_read_where_their_placeholders_stand() -> None:
    # React streams the article after the page's shell: a hidden <div id="S:n"> that a
    # script moves to <template id="B:n"> (a boundary) or <template id="P:n"> (a segment).
    body = (
        "<div hidden><template id='B:0'></template></div>"
        "<main><template id='B:1'></template><div class='skeleton'></div></main>"
        "<footer><p>Contact the Lowmere Gazette newsroom.</p></footer>"
        "<div hidden id='S:1'><article><h1>Quay wall to be rebuilt</h1>"
        f"<p>{PARAS[0]}</p><template id='P:2'></template></article></div>"
        f"<div hidden id='S:2'>{_paras(PARAS[1:])}</div>"
        "<div hidden id='S:7'><p>A part no placeholder asks for stays hidden, as the "
        "browser leaves it, however long and sentence-like its text happens to be.</p></div>"
    )
    article = parse_html(_page(body=body).encode())
    assert article.paragraphs == PARAS


def test_br_separated_text_and_inline_markup() -> None:
    body = (
        "<h1>Quay wall to be rebuilt</h1><div class='text'>"
        + "<br><br>".join(p.replace("winter", "<em>winter</em>") for p in PARAS)
        + "</div>"
    )
    article = parse_html(_page(body=body).encode())
    assert article.paragraphs == PARAS


# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------

CAFE = ["Le café du port rouvre ses portes après l'été, à la grande joie des pêcheurs. " * 3] * 3


def _cafe_page(charset: str) -> str:
    body = "<article><h1>Le café du port rouvre</h1>" + _paras(CAFE) + "</article>"
    return _page(body=body, lang="fr", charset=charset)


def test_meta_charset_is_followed() -> None:
    article = parse_html(_cafe_page("windows-1252").encode("cp1252"))
    assert article.headline == "Le café du port rouvre"
    assert article.paragraphs == [CAFE[0].strip()]
    assert article.warnings == ()


def test_byte_order_mark_wins_over_the_declaration() -> None:
    data = "\ufeff".encode("utf-16-le") + _cafe_page("iso-8859-1").encode("utf-16-le")
    assert parse_html(data).headline == "Le café du port rouvre"


def test_declared_latin1_that_is_utf8_is_read_as_utf8() -> None:
    text, encoding, warnings = decode_html(_cafe_page("iso-8859-1").encode("utf-8"))
    assert "Le café du port" in text
    assert encoding == "utf-8"
    assert warnings == ("declared cp1252 but is UTF-8; decoded as UTF-8",)


def test_undeclared_legacy_encoding_is_guessed() -> None:
    page = _cafe_page("x").replace('<meta charset="x">', "")
    text, encoding, warnings = decode_html(page.encode("cp1252"))
    assert "Le café du port" in text
    assert warnings and warnings[0].startswith("not UTF-8; decoded as")


def test_cjk_page_in_shift_jis() -> None:
    paras = [
        "港の岸壁が冬の嵐で壊れたため、町の議会は火曜日に再建を決めた。工事は六月に始まる。",
        "漁業者は一月から修理を求めていた。満潮の時に崩れた石で二隻の船が損傷したという。",
        "費用の四分の一は町が負担し、残りは沿岸工事のための地域基金から支払われる予定だ。",
    ]
    body = "<article><h1>岸壁を再建へ</h1>" + _paras(paras) + "</article>"
    article = parse_html(_page(body=body, lang="ja", charset="shift_jis").encode("shift_jis"))
    assert article.headline == "岸壁を再建へ"
    assert article.paragraphs == paras
    assert article.language == "ja"


# ---------------------------------------------------------------------------------------------
# Dispatch: suffixes and gzip
# ---------------------------------------------------------------------------------------------


def _raw(path: Path, data: bytes) -> RawPage:
    return RawPage(path=path, data=data, sha256=hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize("name", ["a.html", "a.HTM", "a.html.gz", "a.htm.gz"])
def test_parse_page_reads_html_and_gzipped_html(name: str) -> None:
    data = _page(head=META).encode()
    if name.endswith(".gz"):
        data = gzip.compress(data)
    article = parse_page(_raw(Path(name), data))
    assert article.format is Format.HTML
    assert article.paragraphs == PARAS


def test_broken_gzip_is_a_parse_error() -> None:
    data = gzip.compress(_page().encode())[:-20]
    with pytest.raises(ParseError, match="not a valid gzip file"):
        parse_page(_raw(Path("a.html.gz"), data))


# ---------------------------------------------------------------------------------------------
# Not an article, and garbage
# ---------------------------------------------------------------------------------------------

INDEX = "<h1>Lowmere Gazette</h1>" + "".join(
    f"<div class='card'><h2><a href='/s/{i}'>Ferry timetable changes announced for route {i}"
    f"</a></h2><p>The summer timetable for route {i} starts next month.</p>"
    f"<span>{i} hours ago</span></div>"
    for i in range(20)
)
STUB = (
    "<article><h1>Quay wall to be rebuilt</h1><p>The harbour board voted on Tuesday.</p>"
    "<div class='paywall-offer'>Subscribe now to read the full story.</div></article>"
)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t ", "empty file"),
        (_page(body=INDEX).encode(), "no article text found"),
        (_page(body=STUB).encode(), "no article text found"),
        (b"<html><head><title>Just a title</title></head><body></body></html>", "no article"),
    ],
    ids=["empty", "blank", "index-page", "paywall-stub", "no-body"],
)
def test_not_an_article(data: bytes, reason: str) -> None:
    with pytest.raises(NotAnArticle) as caught:
        parse_html(data, path=Path("page.html"))
    assert caught.value.reason.startswith(reason)
    assert caught.value.path == Path("page.html")


def test_binary_is_a_parse_error_with_the_path() -> None:
    with pytest.raises(ParseError) as caught:
        parse_html(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, path=Path("x.html"))
    assert "binary" in caught.value.reason
    assert caught.value.path == Path("x.html")


def test_garbage_raises_nothing_but_parse_errors() -> None:
    rng = random.Random(20240502)
    alphabet = b"<>/=\"' \n&;#!-[]{}:abcdehlmnoprstuy0123456789\xc3\xa9\xff"
    pages = [bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 4000))) for _ in range(150)]
    pages += [rng.randbytes(2000) for _ in range(20)]
    pages += [
        b"<div>" * 3000 + b"deep" + b"</div>" * 3000,
        b'<script type="application/ld+json">' + b"[" * 5000 + b"</script><h1>x</h1>",
        _page(body="<p>" + "x" * 500_000 + "</p>").encode(),
    ]
    for data in pages:
        try:
            article = parse_html(data)
        except ParseError:
            continue
        assert article.headline and article.body


def test_relative_canonical_link_is_resolved_against_the_fetch_url() -> None:
    page = _page(head='<link rel="canonical" href="/harbour/quay/">')
    article = parse_html(page.encode(), url="https://www.gazette.example/x?utm_source=feed")
    assert article.url == "https://gazette.example/harbour/quay"
    fetched = dt.datetime(2024, 5, 3, tzinfo=dt.UTC)
    article = parse_html(_page().encode(), url="https://gazette.example/q/", fetched_at=fetched)
    assert (article.url, article.methods["url"]) == ("https://gazette.example/q", "override")
    assert article.fetched_at == fetched
