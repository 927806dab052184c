"""Tests of the plain-text article parser.

Two kinds: the user's seed pages (read from ``../shared/seeds``, never copied into the repo; only
the short strings the assertions need appear here), and small invented pages, one per rule.
"""

from __future__ import annotations

import datetime as dt

import pytest

from newsdb.agencies import canonical_agency, load_agencies
from newsdb.errors import NotAnArticle, ParseError
from newsdb.parsers import normalize as nz
from newsdb.parsers.text import _read_lines, parse_text

from .conftest import SEEDS
from .seed_truth import SEED_BODY, SEED_FIELDS, STANDFIRST_000

# Seed tests skip when ../shared/seeds is absent, and fail instead under CI=true.
needs_seeds = pytest.mark.usefixtures("seeds_dir")

# ---------------------------------------------------------------------------------------------
# Seed pages
# ---------------------------------------------------------------------------------------------


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_FIELDS), ids=lambda n: n[:3])
def test_seed_fields(name: str) -> None:
    article = parse_text(_seed(name))
    for field, expected in SEED_FIELDS[name].items():
        assert getattr(article, field) == expected, field


@needs_seeds
@pytest.mark.parametrize("name", sorted(SEED_BODY), ids=lambda n: n[:3])
def test_seed_body(name: str) -> None:
    article = parse_text(_seed(name))
    begins, ends, absent = SEED_BODY[name]
    assert article.body.startswith(begins)
    assert article.body.endswith(ends)
    for text in absent:
        assert text not in article.body, text
    # Exactly one blank line between paragraphs, inner whitespace normalised.
    assert "\n\n\n" not in article.body
    assert article.body == article.body.strip()
    for paragraph in article.paragraphs:
        assert paragraph == " ".join(paragraph.split())
    # The headline never comes back inside the body.
    assert article.headline not in article.body
    assert article.language == "en"


@needs_seeds
def test_seed_standfirst() -> None:
    first = parse_text(_seed("000_23063757161b2a52.txt"))
    assert first.standfirst == STANDFIRST_000
    assert first.standfirst not in first.body
    assert parse_text(_seed("001_2d7a4332ac8920d6.txt")).standfirst is None


@needs_seeds
def test_seed_subheadings_stay() -> None:
    body = parse_text(_seed("000_23063757161b2a52.txt")).body
    assert "\n\nMedvedev meets the Chinese leader\n\n" in body


@needs_seeds
def test_seed_crlf_and_invisible_characters() -> None:
    text = _seed("001_2d7a4332ac8920d6.txt")
    mangled = text.replace("\n", "  \r\n").replace("Putin", "Pu\u200btin")
    assert parse_text(mangled) == parse_text(text)


# ---------------------------------------------------------------------------------------------
# Invented pages, one rule each
# ---------------------------------------------------------------------------------------------

MENU = ["Home", "World", "Business", "Science", "Sport", "Culture"]
PARAGRAPHS = [
    "The harbour council of Lowmere approved a plan on Tuesday to rebuild the old grain pier, "
    "ending a dispute that had lasted for more than a decade.",
    "Members voted by a wide margin after engineers said the wooden structure could not "
    "survive another winter of storms without major repairs.",
    "The works are expected to start in the spring and to last about two years, the council "
    "said in a statement published after the meeting.",
]
HEADLINE = "Lowmere council approves rebuilding of the old grain pier"


def page(*header: str, body: list[str] | None = None, footer: tuple[str, ...] = ()) -> str:
    """Build an invented page: menu, header lines, paragraphs, footer."""
    lines = [*MENU, "", *header, ""]
    for paragraph in PARAGRAPHS if body is None else body:
        lines += [paragraph, ""]
    lines += list(footer)
    return "\n".join(lines)


def test_plain_article() -> None:
    article = parse_text(page(HEADLINE))
    assert article.headline == HEADLINE
    assert article.paragraphs == PARAGRAPHS
    assert article.byline is None and article.published_on is None


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("by Jane Doe and Richard Roe", "Jane Doe and Richard Roe"),
        ("Von Anna Beispiel", "Anna Beispiel"),
        ("By Jane Doe | 3 May 2024", "Jane Doe"),
    ],
)
def test_byline_forms(line: str, byline: str) -> None:
    article = parse_text(page(HEADLINE, line, "May 3, 2024"))
    assert article.byline == byline
    assert article.published_on == dt.date(2024, 5, 3)


@pytest.mark.parametrize(
    ("names", "cleaned"),
    [
        ("Jane Doe, Lowmere", "Jane Doe"),
        ("Jane Doe, Redakteurin", "Jane Doe"),
        ("Jane Doe, Political Correspondent", "Jane Doe"),
        ("Jane Doe Senior Reporter", "Jane Doe"),
        ("Jane Doe / LOWMERE GAZETTE /", "Jane Doe"),
        ("Jane Doe, Richard Roe", "Jane Doe, Richard Roe"),
        ("AFP Staff Writers", "AFP Staff Writers"),
        ("Published Fri", None),
        ("Tue", None),
    ],
)
def test_clean_byline(names: str, cleaned: str | None) -> None:
    assert nz.clean_byline(names) == cleaned


@pytest.mark.parametrize(
    "line",
    [
        "3 May 2024 at 15:46 / Jane Doe",
        "Thu 03.05.24 | 14:07 | By Jane Doe",
        "Column by Jane Doe - 03.05.2024 at 08:52 - 12 comments",
    ],
)
def test_names_in_a_date_line(line: str) -> None:
    article = parse_text(page(HEADLINE, line))
    assert article.byline == "Jane Doe"
    assert article.published_on == dt.date(2024, 5, 3)


def test_place_or_weekday_before_a_date_is_no_byline() -> None:
    for line in ("Lowmere, 3 May 2024", "Fri May 3, 2024"):
        article = parse_text(page(HEADLINE, line))
        assert article.byline is None
        assert article.published_on == dt.date(2024, 5, 3)


def test_byline_on_two_lines() -> None:
    article = parse_text(page(HEADLINE, "By", "Jane Doe", "3 May 2024"))
    assert article.byline == "Jane Doe"


def test_byline_names_agency() -> None:
    # The byline keeps the people; the agency named after them is the agency credit.
    article = parse_text(page(HEADLINE, "By Jane Doe, Reuters"))
    assert article.byline == "Jane Doe"
    assert article.agency == "Reuters"


def test_header_dateline() -> None:
    article = parse_text(page(HEADLINE, "by Staff Writers", "Lowmere (AFP) Dec 30, 2022"))
    assert article.dateline_place == "Lowmere"
    assert article.agency == "AFP"
    assert article.published_on == dt.date(2022, 12, 30)
    assert article.byline == "Staff Writers"


def test_comma_dateline() -> None:
    article = parse_text(page(HEADLINE, "LOWMERE, May 3, 2024 (Reuters) -"))
    assert article.dateline_place == "Lowmere"
    assert article.agency == "Reuters"
    assert article.published_on == dt.date(2024, 5, 3)


def test_dateline_opening_the_first_paragraph() -> None:
    body = ["NEW LOWMERE (AP) \u2014 " + PARAGRAPHS[0], *PARAGRAPHS[1:]]
    article = parse_text(page(HEADLINE, body=body))
    assert article.dateline_place == "New Lowmere"
    assert article.agency == "AP"
    # The dateline stays in the text: it is part of the published paragraph.
    assert article.body.startswith("NEW LOWMERE (AP)")


def test_german_date_and_time() -> None:
    article = parse_text(page(HEADLINE, "3. Mai 2024, 17:47 Uhr"))
    assert article.published_on == dt.date(2024, 5, 3)


def test_captions_and_credits_removed() -> None:
    body = [
        PARAGRAPHS[0],
        "Photo: Jane Doe/Lowmere Gazette",
        PARAGRAPHS[1],
        "The old pierPhoto source: ANSA",
        "Advertisement",
        PARAGRAPHS[2],
    ]
    article = parse_text(page(HEADLINE, body=body))
    assert article.paragraphs == PARAGRAPHS


def test_subheading_kept_link_list_dropped() -> None:
    body = [
        PARAGRAPHS[0],
        "A decade of delays",
        PARAGRAPHS[1],
        "Read also: Harbour towns plan a joint ferry line",
        PARAGRAPHS[2],
        "Ferry timetable",
        "Harbour fees",
        "Pier history",
    ]
    article = parse_text(page(HEADLINE, body=body))
    assert article.paragraphs == [PARAGRAPHS[0], "A decade of delays", *PARAGRAPHS[1:]]


@pytest.mark.parametrize(
    "marker",
    [
        "Related articles",
        "Comments (12)",
        "Share this article",
        "\u00a9 2024 Lowmere Gazette",
        "Mehr zum Thema",
        "Sur le même sujet",
    ],
)
def test_end_markers(marker: str) -> None:
    footer = (
        marker,
        "A long teaser sentence about a different story that must not be read as part of the "
        "article, even though it looks like running text with a full stop.",
    )
    article = parse_text(page(HEADLINE, footer=footer))
    assert article.paragraphs == PARAGRAPHS


# More of the same article: it names the town again, as articles go on doing.
MORE_PARAGRAPHS = [
    "Fishermen who moor their boats at the pier welcomed the vote, saying the present state of "
    "the planks had forced several of them to unload their catch in Eastmere.",
    "A spokesperson for the Lowmere harbour master said temporary moorings would be set up "
    "along the northern quay while the works last, so that no boat has to leave the harbour.",
]


def test_label_between_every_paragraph_does_not_split_the_article() -> None:
    # A widget slot label printed between paragraphs over and over (but also in the menu).
    body: list[str] = []
    for paragraph in PARAGRAPHS + MORE_PARAGRAPHS:
        body += [paragraph, "Story text"]
    article = parse_text(page(HEADLINE, body=body, footer=("Story text",)))
    assert article.paragraphs == PARAGRAPHS + MORE_PARAGRAPHS


def test_teaser_box_inside_the_article_is_skipped() -> None:
    box = [
        "Related",
        "Harbour towns plan a joint ferry line",
        "New lighthouse keeper starts work",
        "Council approves budget for 2025",
    ]
    article = parse_text(page(HEADLINE, body=PARAGRAPHS + box + MORE_PARAGRAPHS))
    assert article.paragraphs == PARAGRAPHS + MORE_PARAGRAPHS
    # Also when the longer part of the article is below the box: the header is found above
    # the part before it.
    top = [PARAGRAPHS[0], PARAGRAPHS[2]]
    bottom = [*MORE_PARAGRAPHS, PARAGRAPHS[1]]
    article = parse_text(page(HEADLINE, "By Jane Doe", body=top + box + bottom))
    assert article.headline == HEADLINE
    assert article.byline == "Jane Doe"
    assert article.paragraphs == top + bottom


def test_newsletter_box_inside_the_article_is_skipped() -> None:
    box = [
        "Sign up for our harbour newsletter",
        "Get the week's news from the coast in your inbox every Friday.",
        "Sign up",
    ]
    body = [*PARAGRAPHS, *box, "Here is the latest:", *MORE_PARAGRAPHS]
    article = parse_text(page(HEADLINE, "By Jane Doe", body=body))
    assert article.paragraphs == [*PARAGRAPHS, *MORE_PARAGRAPHS]


def test_teaser_list_after_a_box_is_not_the_article() -> None:
    # After the box: teasers with their own dates, a single long note, an appeal on another
    # subject. None of them continues the article.
    footer = (
        "Read more",
        "Harbour towns plan a joint ferry line",
        "12.04.2024, 10:21",
        MORE_PARAGRAPHS[0],
        "New lighthouse keeper starts work",
        "11.04.2024, 09:02",
        MORE_PARAGRAPHS[1],
    )
    assert parse_text(page(HEADLINE, footer=footer)).paragraphs == PARAGRAPHS
    note = " ".join(MORE_PARAGRAPHS)
    footer = ("You may also like", "Harbour towns plan a joint ferry line", note)
    assert parse_text(page(HEADLINE, footer=footer)).paragraphs == PARAGRAPHS
    appeal = (
        "Related Links",
        "Harbour towns plan a joint ferry line",
        "Thanks for reading",
        "Independent reporting costs money, and the Gazette depends on readers like you to pay "
        "for the journalists who cover the coast every day of the year.",
        "If you value what we publish, please consider becoming a supporter with a monthly "
        "payment of any size, or with a single contribution through our website.",
    )
    assert parse_text(page(HEADLINE, footer=appeal)).paragraphs == PARAGRAPHS


def test_long_comment_section_is_not_the_article() -> None:
    comments = ["3 Kommentare"]
    for user, words in (("harbourfan", 45), ("Old Salt", 60), ("jd_1971", 50)):
        comments += [
            user,
            "02.05.2024, 19:04 Uhr",
            " ".join(["Ich finde das richtig so."] * (words // 5)),
        ]
    article = parse_text(page(HEADLINE, footer=tuple(comments)))
    assert article.paragraphs == PARAGRAPHS
    assert nz.is_comments_heading("Comments (12)") and not nz.is_comments_heading("Comment: X")


def test_cookie_banner_is_not_the_article() -> None:
    # A long privacy notice outweighs a short article by its length alone.
    notice = (
        "We use cookies on our website to give you the most relevant experience by remembering "
        "your preferences and repeat visits, and to show you advertising from third parties. "
        "You may opt out of the sale of your personal information at any time."
    )
    table = [
        f"cookie_{name} 1 year This cookie is set by the consent plugin to record whether the "
        f"visitor accepted the {name} cookies of the website for the next visits."
        for name in ("analytics", "functional", "necessary", "advertising", "others")
    ]
    article = parse_text(page(HEADLINE, footer=("Privacy", notice, *table)))
    assert article.paragraphs == PARAGRAPHS
    # Cookies one bakes are text.
    baking = "The bakers of Lowmere sold more than two thousand cookies at the harbour fair."
    assert nz.is_consent_text(notice) and not nz.is_consent_text(baking)


def test_teaser_with_its_own_dateline_ends_article() -> None:
    footer = (
        "Harbour towns plan joint ferry line",
        "Eastmere (AFP) Dec 29, 2022",
        "Two harbour towns said on Thursday they would run a joint ferry line from next year, "
        "after months of talks between their councils and the regional government.",
    )
    article = parse_text(page(HEADLINE, "Lowmere (AFP) Dec 30, 2022", footer=footer))
    assert article.paragraphs == PARAGRAPHS
    assert article.published_on == dt.date(2022, 12, 30)


def test_repeated_headline_and_trailing_tags() -> None:
    text = page(HEADLINE, HEADLINE, footer=("Lowmere Pier", "", HEADLINE))
    article = parse_text(text)
    assert article.headline == HEADLINE
    assert article.paragraphs == PARAGRAPHS


def test_question_headline_opening_the_text() -> None:
    # A headline that asks reads like a sentence; the dump puts it right above the text.
    question = "Will the old grain pier of Lowmere survive another winter?"
    article = parse_text(page(question, "Photo: Jane Doe", body=PARAGRAPHS))
    assert article.headline == question
    assert article.paragraphs == PARAGRAPHS


def test_title_quoted_in_page_title_beats_teaser() -> None:
    # "Headline | Site" at the top of the page; a teaser on the same subject nearer the text.
    text = page(
        f"{HEADLINE} | Lowmere Gazette",
        "World",
        HEADLINE,
        "Lowmere harbour council to meet again on Tuesday",
    )
    assert parse_text(text).headline == HEADLINE


def test_share_links_are_not_headlines() -> None:
    widget = "Follow the Lowmere Gazette on LinkedIn (opens in new window)"
    text = page(HEADLINE, "Harbour", widget, footer=(widget,))
    assert parse_text(text).headline == HEADLINE


def test_captions_are_not_headlines() -> None:
    text = page(
        HEADLINE,
        "Workers repair the planks of the pier in the rain",
        "Photo: Jane Doe/Lowmere Gazette",
        "The pier seen from the harbour wall (Photos by Jane Doe)",
    )
    assert parse_text(text).headline == HEADLINE


def test_names_over_a_date_are_the_byline() -> None:
    headline = "Timber and tides"
    text = page(headline, "Jane Doe Harbour Correspondent", "3 May 2024")
    article = parse_text(text)
    assert article.headline == headline
    assert article.published_on == dt.date(2024, 5, 3)


def test_headline_over_standfirst_of_its_length() -> None:
    standfirst = "Engineers warned the timber would not survive another winter of storms"
    article = parse_text(page("Harbour", HEADLINE, standfirst, "By Jane Doe"))
    assert article.headline == HEADLINE
    assert article.byline == "Jane Doe"


def test_colon_version_of_a_glued_kicker() -> None:
    # The dump glued the kicker to the headline; the page title has the colon.
    glued = "Harbour vote " + HEADLINE
    text = page(f"Harbour vote: {HEADLINE}", *MENU, glued, "3 May 2024")
    assert parse_text(text).headline == f"Harbour vote: {HEADLINE}"


def test_kicker_printed_alone_is_dropped_from_glued_headline() -> None:
    text = page("Harbour vote", HEADLINE, "Harbour vote " + HEADLINE, "3 May 2024")
    assert parse_text(text).headline == HEADLINE


def test_sentence_over_the_text_is_no_headline() -> None:
    # Headlines end without a full stop: a short sentence right over the text is a standfirst
    # (or a caption), even when it names what the article names.
    sentence = "Harbour council rebuilds Lowmere grain pier. Finally."
    text = page(HEADLINE, "Share this article", "Photo: Jane Doe", "Jane Doe", sentence)
    assert parse_text(text).headline == HEADLINE


def test_breadcrumb_glued_to_the_headline() -> None:
    # "HomeHarbourTitle": the dump ran the trail into the title, which is printed alone too.
    text = page(HEADLINE, "HomeHarbour" + HEADLINE, "By Jane Doe")
    assert parse_text(text).headline == HEADLINE


def test_headline_printed_twice_under_a_question() -> None:
    # A long line printed twice (page title and headline) is the headline; the shorter
    # question over it is a teaser, not a headline over its standfirst.
    long = "Lowmere council approves the rebuilding of its old grain pier after ten long years"
    question = "Will the pier of Lowmere be ready by summer?"
    assert parse_text(page(question, long, long, "Harbour", "By Jane Doe")).headline == long


def test_lines_compared_with_quotes_made_straight() -> None:
    # A title line with straight quotes and a headline with curly ones are one line printed
    # twice; the headline keeps the page's own characters.
    curly = "Lowmere’s ‘last pier’ will be rebuilt, council says"
    straight = curly.replace("’", "'").replace("‘", "'")
    lines = _read_lines(f"{straight}\n{curly}\nLowmere’s harbour")
    assert lines[0].key == lines[1].key and lines[0].repeats == 2
    assert lines[1].text == curly
    text = page(f"{straight} | Lowmere Gazette", "Harbour", curly, "By Jane Doe")
    assert parse_text(text).headline == curly


def test_breadcrumb_trail_names_the_full_title() -> None:
    full = "Harbour vote: Lowmere approves rebuilding of its old grain pier after ten years"
    text = page("1. Home", "2. Lowmere", f"3. {full}", "Lowmere rebuilds its pier", "3 May 2024")
    assert parse_text(text).headline == full
    # Numbered skip links at the top of a page are no trail.
    skip = page("1. Home", "2. Lowmere", "3. Skip to main content", HEADLINE, "3 May 2024")
    assert parse_text(skip).headline == HEADLINE


def test_question_headlines_over_the_byline() -> None:
    # Headlines that ask read like sentences; the header below them still gives the byline,
    # and a teaser's byline inside the text (printed twice) does not move the body's start.
    first = "Lowmere pier: will the rebuilding finally begin after ten long years of waiting?"
    question = "Can Lowmere save its old grain pier at last?"
    standfirst = "Lowmere. The council votes on Tuesday. Will the money be enough for the timber?"
    teaser = ["Read also", "Opinion on the harbour", "By Richard Roe"]
    body = [PARAGRAPHS[0], PARAGRAPHS[1], *teaser, *PARAGRAPHS[2:], *MORE_PARAGRAPHS]
    text = page(first, "Harbour", question, standfirst, "By Jane Doe", "3 May 2024", body=body)
    text += "\n".join(["", *teaser])
    article = parse_text(text)
    assert article.byline == "Jane Doe"
    assert article.published_on == dt.date(2024, 5, 3)
    assert article.paragraphs[0] == PARAGRAPHS[0]


def test_byline_with_date_on_its_line() -> None:
    article = parse_text(page(HEADLINE, "By Jane Doe May 3, 2024 1:15 pm"))
    assert article.byline == "Jane Doe"
    assert article.published_on == dt.date(2024, 5, 3)


def test_date_among_the_first_lines_of_the_text() -> None:
    # No date in the header; the site prints it a few paragraphs into the text.
    body = [*PARAGRAPHS, "Updated 3 May 2024, 10:21", *MORE_PARAGRAPHS]
    article = parse_text(page(HEADLINE, "By Jane Doe", body=body))
    assert article.published_on == dt.date(2024, 5, 3)
    assert article.paragraphs == PARAGRAPHS + MORE_PARAGRAPHS


def test_repeated_teaser_dates_stay_dates() -> None:
    # The page's date also heads three teasers: printed four times, it is still a date.
    teasers: list[str] = []
    for title in ("Ferry line planned", "Lighthouse reopens", "Budget approved"):
        teasers += [title, "May 3, 2024"]
    article = parse_text(page(HEADLINE, "Jane Doe", "May 3, 2024", footer=tuple(teasers)))
    assert article.published_on == dt.date(2024, 5, 3)
    assert article.byline == "Jane Doe"


def test_short_headline_printed_three_times() -> None:
    headline = "Pier vote passes"
    text = page(headline, headline, "By Jane Doe", footer=(headline,))
    assert parse_text(text).headline == headline


def test_headline_from_a_trail_line() -> None:
    text = page("You are here: Home » Lowmere » Pier vote passes", "By Jane Doe")
    assert parse_text(text).headline == "Pier vote passes"


def test_kicker_before_a_dash_when_printed_alone() -> None:
    text = page("Harbour vote - " + HEADLINE, "By Jane Doe", footer=("Harbour vote",))
    assert parse_text(text).headline == HEADLINE
    # Without the kicker printed alone, a dash is part of the headline.
    dashed = "Harbour vote - " + HEADLINE
    assert parse_text(page(dashed, "By Jane Doe")).headline == dashed


def test_rest_of_a_headline_is_no_headline() -> None:
    headline = "Pier vote passes"
    text = page(
        headline,
        headline,
        "…as fishermen welcome the end of years of waiting for the council",
        "Jane Doe",
        footer=(headline,),
    )
    assert parse_text(text).headline == headline


def test_empty_label_makes_standfirst() -> None:
    standfirst = "The council ends a decade of dispute over the future of the town's harbour"
    article = parse_text(page(HEADLINE, "", standfirst, "", "Posted on:"))
    assert article.standfirst == standfirst
    assert article.paragraphs == PARAGRAPHS
    assert article.published_on is None


def test_section_and_masthead() -> None:
    text = "\n".join(["Lowmere Gazette\u00a0", "HARBOUR", HEADLINE, "By Jane Doe", ""])
    text += "\n" + "\n\n".join(PARAGRAPHS)
    article = parse_text(text)
    assert article.outlet == "Lowmere Gazette"
    assert article.section == "HARBOUR"
    assert article.headline == HEADLINE


def test_field_methods() -> None:
    # Every field found says which rule found it, with the HTML parser's prefix ("heuristic":
    # read from the visible text); fields not found have no method.
    standfirst = "The council ends a decade of dispute over the future of the town's harbour"
    header = ["Lowmere Gazette", "HARBOUR", HEADLINE, standfirst, "By Jane Doe"]
    text = "\n".join([*header, "Lowmere (AFP) Dec 30, 2022", "", *PARAGRAPHS])
    article = parse_text(text)
    assert article.byline == "Jane Doe" and article.agency == "AFP"
    assert article.methods == {
        "headline": "heuristic:headline-line",
        "body": "heuristic:densest-run",
        "standfirst": "heuristic:standfirst",
        "byline": "heuristic:byline-line",
        "agency": "heuristic:dateline",
        "published_on": "heuristic:dateline",
        "dateline_place": "heuristic:dateline",
        "section": "heuristic:section-label",
        "outlet": "heuristic:masthead",
        "language": "heuristic:language-guess",
    }
    # Other rules, other methods.
    plain = parse_text("\n\n".join([HEADLINE, *PARAGRAPHS]))
    assert set(plain.methods) == {"headline", "body", "language"}
    trail = page("1. Home", "2. Lowmere", "3. Harbour vote: Lowmere approves its pier", "Jane Doe")
    assert parse_text(trail).methods["headline"] == "heuristic:breadcrumb"
    glued = page(f"Harbour vote: {HEADLINE}", *MENU, "Harbour vote " + HEADLINE, "3 May 2024")
    methods = parse_text(glued).methods
    assert methods["headline"] == "heuristic:page-title"
    assert methods["published_on"] == "heuristic:date-line"
    names = parse_text(page(HEADLINE, "Jane Doe", "3 May 2024")).methods
    assert names["byline"] == "heuristic:names-line"
    credit = parse_text(page(HEADLINE, "By Jane Doe, Reuters", "3 May 2024")).methods
    assert credit["agency"] == credit["byline"] == "heuristic:byline-line"
    lead = ["GENEVA, March 3 (Reuters) - " + PARAGRAPHS[0], *PARAGRAPHS[1:]]
    opening = parse_text(page(HEADLINE, body=lead)).methods
    assert opening["dateline_place"] == opening["agency"] == "heuristic:lead-dateline"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\u00a0\n",
        "\n".join(MENU),
        HEADLINE + "\n\nPosted on:\n",
        "\n".join(MENU + ["Related articles", "Comments"]),
    ],
    ids=["empty", "blank", "menu", "headline-only", "furniture"],
)
def test_not_an_article(text: str) -> None:
    with pytest.raises(NotAnArticle) as info:
        parse_text(text)
    assert isinstance(info.value, ParseError)
    assert info.value.reason


# ---------------------------------------------------------------------------------------------
# Helpers and the agency table
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Dec 30, 2022", dt.date(2022, 12, 30)),
        ("3. Mai 2024, 17:47", dt.date(2024, 5, 3)),
        ("Publié le 30 août 2023 à 14h52", dt.date(2023, 8, 30)),
        ("15 de octubre de 2024", dt.date(2024, 10, 15)),
        ("05 Gennaio 2025", dt.date(2025, 1, 5)),
        ("12.03.2025", dt.date(2025, 3, 12)),
        ("2024-05-03T15:47:42+00:00", dt.date(2024, 5, 3)),
        ("2025年1月13日 21時37分", dt.date(2025, 1, 13)),
        ("28. 4. 2023, 18:41 Uhr", dt.date(2023, 4, 28)),
        ("Lowmere GazetteApril 28, 2023 GMT", dt.date(2023, 4, 28)),
    ],
)
def test_parse_date(text: str, day: dt.date) -> None:
    found = nz.parse_date(text)
    assert found is not None and found.date() == day


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("Jane Doe | Published 4 months ago", True),
        ("Stand: 20:03 Uhr | Lesedauer: 4 Minuten", True),
        ("Jane Doe24.04.2024, 19:35 Uhr", True),  # a name glued to the date
        ("Harbour ferry to leave at 9:30 every morning from June", False),
        ("On 3 May 2024 the council met again to discuss the pier.", False),
    ],
)
def test_date_lines(line: str, is_date: bool) -> None:
    assert nz.is_date_line(line) is is_date


def test_plain_dates_read_as_dateutil_reads_them() -> None:
    # parse_date reads the commonest spellings itself; dateutil (with the parser's month names,
    # day first) must give the same day for every month name, and days that do not exist
    # must be left to dateutil.
    from dateutil import parser as dateutil_parser

    def by_dateutil(text: str) -> dt.datetime | None:
        try:
            return dateutil_parser.parse(text, parserinfo=nz._PARSERINFO_DAYFIRST)
        except ValueError:
            return None

    names = sorted({name for month in nz._MONTHS for name in month})
    forms = ("{d} {m} {y}", "{d}. {m} {y}", "{m} {d}, {y}", "{m}. {d} {y}")
    read = 0
    for k, name in enumerate(names):
        for spelling in (name, name.capitalize(), name.upper()):
            for d in (1, 9, 12, 31):
                for form in forms:
                    text = form.format(d=d, m=spelling, y=2000 + k % 30)
                    found = nz._plain_date(text)
                    read += found is not None
                    assert found is None or found == by_dateutil(text), text
    for d, m, sep in ((3, 5, "."), (31, 12, "/"), (12, 1, ". "), (5, 11, "/"), (30, 2, ".")):
        text = f"{d:02d}{sep}{m:02d}{sep}2024"
        found = nz._plain_date(text)
        read += found is not None
        assert found == by_dateutil(text), text
    assert read > 1000  # the common spellings do not go to dateutil
    assert nz._plain_date("31 April 2024") is None and nz._plain_date("Apr 28 '23") is None


def test_trie_alternation_matches_as_the_flat_one() -> None:
    # The month names of the date pattern are a tree of prefixes: the same matches, the longer
    # word first and the shorter on backtracking, as the plain alternation longest first.
    import re

    words = ["mar", "march", "mars", "marzo", "mai", "may", "maggio", "ma", "dez", "dezember"]
    flat = "|".join(sorted(words, key=len, reverse=True))
    tree = nz.trie_alternation(words)
    assert tree != flat
    texts = ["March 3", "MARS", "marzo!", "marc", "mag", "maggio", "dez.", "Dezembers", "m", "xmar"]
    for tail in (r"", r"(\w*)", r"(ch\b)?", r"s", r"\b"):
        for text in texts:
            want = re.match(rf"(?:{flat}){tail}", text, re.IGNORECASE)
            got = re.match(rf"(?:{tree}){tail}", text, re.IGNORECASE)
            assert (want and (want.span(), want.groups())) == (got and (got.span(), got.groups()))
    assert nz.parse_date("Lowmere, 3 Dezember 2024") == dt.datetime(2024, 12, 3)


def test_parse_date_none() -> None:
    assert nz.parse_date("Posted on:") is None
    assert nz.parse_date("2 hours ago") is None


def test_caption_with_credit_and_headline_with_title() -> None:
    caption = "Workers repair the planks of the old pier in the rain on Tuesday. Jane Doe"
    headline = "An insider's view of the harbour council's fight with Rep. Jane Doe"
    assert nz.is_caption(caption, nz.word_count(caption))
    assert not nz.is_caption(headline, nz.word_count(headline))


def test_normalize_helpers() -> None:
    assert nz.clean_line("  a\u00a0 b\t c  ") == "a b c"
    assert nz.normalize_text("a\r\nb\rc\u200b") == "a\nb\nc"
    assert nz.ends_like_sentence('he said "yes."') and not nz.ends_like_sentence("Title")
    assert nz.is_end_marker("Related Links") and not nz.is_end_marker("Related to the story")
    assert nz.is_credit("RussiaPhoto source: ANSA")
    assert nz.is_empty_label("Posted on:")
    assert nz.guess_language(["Der Hafen und die Stadt sind nicht mit dem Plan einverstanden."])
    assert nz.guess_language(["Der Hafen ist mit der Stadt"]) == "de"


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("AFP", "AFP"),
        ("afp", "AFP"),
        ("Agence France-Presse", "AFP"),
        ("The Associated Press", "AP"),
        ("Keystone-SDA", "Keystone-SDA"),
        ("sda", "Keystone-SDA"),
        ("dpa", "dpa"),
        ("RIA Novosti", "RIA Novosti"),
        ("Lowmere Gazette", None),
    ],
)
def test_canonical_agency(name: str, canonical: str | None) -> None:
    assert canonical_agency(name) == canonical


def test_agency_table_is_consistent() -> None:
    agencies = load_agencies()
    assert len(agencies) >= 20
    names = [a.name for a in agencies]
    assert len(names) == len(set(names))
    assert load_agencies() is agencies  # read once, cached


def test_lines_of_letters_only_keep_their_kinds() -> None:
    # Lines of letters and spaces skip most tests (no punctuation, so no sentence, label,
    # caption or URL); the tests that remain for them still find bylines' lead words, ad
    # labels, end markers, share rows, credits and copyright lines printed without a sign.
    kinds = {
        "Written by": "empty",
        "Advertisement": "skip",
        "Related Stories": "end",
        "Facebook Twitter Email": "skip",
        "Getty Images": "credit",
        "Copyright by Lowmere Media": "end",
        "By Jane Doe": "byline",
        "Lowmere harbour news": "short",
        "Lowmere 2024": "short",
        "3 May 2024": "date",
    }
    lines = _read_lines("\n".join(kinds))
    assert {ln.text: ln.kind for ln in lines} == kinds
    assert [ln.words for ln in lines[:3]] == [2, 1, 2]


def test_fast_patterns_find_what_the_plain_patterns_find() -> None:
    import re

    from newsdb.parsers import text as tx

    keys = [
        "share this story",
        "e-mail teilen",
        "blueprint for a harbour",
        "reshare the plan",
        "print",
        "facebookでシェアする",
        "lowmere harbour news",
        "teilen: drucken",
    ]
    found = [tx._has_widget_fragment(k) for k in keys]
    assert found == [True, True, False, False, True, True, False, True]
    assert found == [tx._WIDGET_FRAGMENT_RE.search(k) is not None for k in keys]
    # Capitalised words after a letter and a space, the look back written first.
    plain = re.compile(r"(?:(?<=[^\W\d_] )|(?<=[^\W\d_][,;] ))([A-ZÀ-Þ][^\W\d_]{2,})")
    text = "Yesterday Jane Doe met, Richard Roe in Lowmere; Élodie Dupont, 3 Ministers and McDonald"
    assert tx._NAME_IN_TEXT_RE.findall(text) == plain.findall(text)
    assert tx._NAME_IN_TEXT_RE.findall(text) == [
        "Jane",
        "Doe",
        "Richard",
        "Roe",
        "Lowmere",
        "Élodie",
        "Dupont",
        "McDonald",
    ]


def test_consent_words_found_in_the_lower_cased_line() -> None:
    banner = (
        "We use cookies to personalise content and ads on our website; by clicking you give "
        "your consent to the processing of your personal data by third parties"
    )
    assert nz.is_consent_text(banner)
    assert nz.is_consent_text(banner.upper())
    # A long s matches "s" case-insensitively, not once lower-cased: such lines are read as
    # before.
    odd = "Cookies help us: by continuing you agree to the processing of your perſonal data"
    assert nz.is_consent_text(odd)
    assert nz.is_consent_text(odd.replace("ſ", "s"))
    story = "The bakery sold cookies at the market, and the readers praised the personal touch."
    assert not nz.is_consent_text(story)


def test_find_words_splits_as_the_word_pattern_does() -> None:
    texts = [
        "Jane Doe's e-mail (jane_doe@lowmere.example) said: 3.5% -- 'fine'!\tTabs\x1fand\x0bodd",
        "Der Hafen: Öffnung am 3. Mai – „bald“",
        "",
        "...",
    ]
    for text in texts:
        assert nz.find_words(text) == nz.WORD_RE.findall(text)
    assert nz.find_words("e-mail_x 3.5") == ["e", "mail_x", "3", "5"]


def test_credit_labels_looked_for_by_their_words_first() -> None:
    assert nz.is_credit("Photo: Jane Doe")
    assert nz.is_credit("RussiaFoto: ANSA")
    # A dotted capital I matches "i" case-insensitively, but lower-cases to two characters.
    assert nz.is_credit("Pİcture: Jane Doe")
    assert not nz.is_credit("Harbour vote: the council says yes")


def test_kicker_of_capitalised_words_is_no_byline() -> None:
    # A kicker of capitalised words over the headline reads like names: it is no byline, so
    # the page's longer title line above it does not pass for a headline over its byline.
    title = "Lowmere council says yes: will the old grain pier finally be rebuilt next year?"
    standfirst = "Engineers warned that the timber would not survive another winter of storms."
    text = page(title, "Harbour Works", HEADLINE, standfirst, "By Jane Doe", "3 May 2024")
    assert parse_text(text).headline == HEADLINE


def test_share_row_is_no_text_under_a_headline() -> None:
    # A caption printed twice over a row of share buttons does not pass for a headline over
    # its text.
    caption = "Workers carry new planks along the old pier of Lowmere"
    share = "Share on Facebook Share on LinkedIn Share by email Print this page for later"
    text = page("Photo: Jane Doe", caption, "Photo: Jane Doe", caption, share, HEADLINE)
    assert parse_text(text).headline == HEADLINE


def test_headline_under_a_widget_is_no_text() -> None:
    # A search box printed twice over the headline: the headline (a sentence that exclaims)
    # is no text under it.
    headline = "Breakpoint: oh no, here they come again!"
    column = "Column by Jane Doe - 3 May 2024 at 08:52 - 12 comments"
    text = page("Search for: Search", "Donate", "Search for: Search", headline, column)
    assert parse_text(text).headline == headline


def test_photo_credit_between_headline_and_byline() -> None:
    # The lead photo's credit sits between the headline and its byline: no caption.
    teasers = ["Ferry line planned for the summer", "The pier that outlived the storm of 1953"]
    text = page(
        *teasers,
        "Lighthouse Keepers",
        "Harbour",
        HEADLINE,
        "(Photos by Richard Roe)",
        "By Jane Doe",
    )
    assert parse_text(text).headline == HEADLINE


def test_title_glued_to_a_trail_counts_as_printed_twice() -> None:
    # "HomeHarbourTitle": the page prints the title a second time, run into its trail; it
    # beats a caption right over the text.
    headline = "Old timbers give way at last"
    quote = "I saw the old planks break, one by one."
    caption = "The pier seen from the harbour wall"
    text = page("HomeHarbour" + headline, headline, quote, "3 May 2024", "Jane Doe", caption)
    assert parse_text(text).headline == headline


def test_teaser_title_and_byline_under_the_first_paragraph() -> None:
    # The header (byline, date) is above the first paragraph; a teaser's title and byline
    # after it do not move the start of the text.
    teaser = ["Ferry timetable changes again this summer", "By Richard Roe"]
    body = [PARAGRAPHS[0], *teaser, *PARAGRAPHS[1:], *MORE_PARAGRAPHS]
    article = parse_text(page(HEADLINE, "By Jane Doe", "3 May 2024", body=body))
    assert article.headline == HEADLINE
    assert article.byline == "Jane Doe"
    assert article.paragraphs[0] == PARAGRAPHS[0]


def test_credit_opening_with_by_under_the_headline() -> None:
    # "By" and a credit the byline test does not read as names still marks the line over it
    # as the headline, and is itself no item of a list of teasers.
    kicker = "After the long dispute over the old pier"
    seo = "Lowmere council approves rebuilding of its grain pier after years of dispute"
    text = page("HomeLowmereHarbour", seo, kicker, HEADLINE, "By staff, lg", "3 May 2024")
    assert parse_text(text).headline == HEADLINE


def test_copyright_and_by_lines_are_no_headlines() -> None:
    # Credits the classifier does not know stand between the headline and the date.
    credits = ("Harbour workers - Copyright Jane Doe/AP", "Copyright Jane Doe/AP")
    text = page("News Lowmere", HEADLINE, *credits, "By Gazette with Agencies", "3 May 2024")
    assert parse_text(text).headline == HEADLINE


def test_line_opening_with_a_colon_continues_the_line_above() -> None:
    # The kicker and the rest of "Kicker: Headline" on lines of their own.
    # A line that ends a sentence or with a colon is not continued.
    lines = _read_lines("Harbour vote\n: Lowmere rebuilds its pier\nDone.\n: not this\nx:\n: y")
    assert [ln.text for ln in lines] == [
        "Harbour vote: Lowmere rebuilds its pier",
        "Done.",
        ": not this",
        "x:",
        ": y",
    ]


def test_header_over_a_subscription_box() -> None:
    # The header (headline, standfirst, byline, date) and the first paragraph sit above a
    # long box of offers; the text goes on below it. The headline is found over the byline.
    standfirst = "Fishermen say the decision comes far too late for many of them"
    box = [
        "Subscribe now to read the latest news from the harbour and the coast",
        "Unlimited online access to the Gazette and to fifteen other news sites with one account.",
        "Daily puzzles, including the crossword.",
    ] * 2 + [f"Offer number {n} for our readers" for n in range(1, 30)]
    body = [PARAGRAPHS[0], *box, *PARAGRAPHS[1:], *MORE_PARAGRAPHS]
    header = [HEADLINE, standfirst, "Author of the article:", "By Jane Doe", "May 3, 2024"]
    text = page(*header, body=body)
    article = parse_text(text)
    assert article.headline == HEADLINE
    assert article.byline == "Jane Doe"
    assert article.standfirst == standfirst


def test_long_date_line_of_short_words() -> None:
    # A date line of many short words (times, counts) is still a date line; a sentence of as
    # many words is not.
    column = "Column by Jane Doe - 3 May 2024 at 08:52 - 12 comments so far"
    sentence = "The council met on 3 May 2024 to vote on the plan for the old pier"
    assert [ln.kind for ln in _read_lines(f"{column}\n{sentence}")] == ["date", "short"]
    article = parse_text(page(HEADLINE, column))
    assert article.published_on == dt.date(2024, 5, 3)


def test_line_printed_twice_around_another_is_no_headline() -> None:
    # A search box in two menus ("Search" / "Donate" / "Search"): a block printed twice, no
    # evidence of a headline.
    search = "Search harbour: Search"
    headline = "Help, the zealots are here!"
    column = "Column by Jane Doe - 3 May 2024 at 08:52 - 12 comments so far"
    text = page(search, "Donate", search, headline, column)
    assert parse_text(text).headline == headline


def test_names_over_a_standfirst_still_mark_the_headline() -> None:
    # A line of capitalised words over a long standfirst (not over another title) counts as
    # the byline under the headline; the video's title lower down is no headline.
    title = "Judge names the harbour master as a suspect in the case of the missing pier funds"
    standfirst = (
        "The magistrate sees the evidence against the harbour master strengthened and widens "
        "the inquiry into the missing funds of the old pier rebuilding"
    )
    video = "Judge names the harbour master as a suspect over the pier funds"
    text = page(title, "Harbour Court", standfirst, "Video", video, "Play video", "3 May 2024")
    assert parse_text(text).headline == title


def test_headline_over_standfirst_and_caption_over_the_byline() -> None:
    # Headline, standfirst and a caption of about the same length over the byline, all scored
    # well: the first of the three is the headline.
    title = "Lowmere Harbour Families Give Early Support to Mayor Tom Lake"
    dek = "Lowmere harbour fishermen nearly max out donations to the council pier fund"
    caption = (
        "Harbour council member Jane Roe, Lowmere pier engineer Tom Lake (L.), and the council"
    )
    text = page("Harbour", title, dek, caption, "Richard Doe", "May 3, 2024")
    assert parse_text(text).headline == title
