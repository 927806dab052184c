"""newsdb.query on both backends: the seeds, and a generated corpus with exact results.

The generated corpus (tests/query_corpus.py) is written straight into the
tables; the expected values below are worked out by hand from its table of
articles, people, topics and links (its docstring lists them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from newsdb.errors import QueryError
from newsdb.importer import run_import
from newsdb.query import (
    ArticleFilter,
    PersonCount,
    TimelinePoint,
    co_mentions,
    get_article,
    get_person,
    get_stats,
    iter_export,
    list_articles,
    list_cited_outlets,
    list_outlets,
    list_people,
    list_quotes,
    list_topics,
    resolve_person,
    search_articles,
    timeline,
)

from . import query_corpus as C
from .conftest import SEED_FILES

H0 = (
    "Russia, signed agreement with China to create a base on the moon:"
    " what the agreement between Putin and Xi provides"
)
H1 = "Putin tells Xi he wants to ramp up military cooperation"
H4 = "China's Xi says ties with Russia became stronger in 2023"


@pytest.fixture
def seeded(engine: Engine, seeds_dir: Path) -> Engine:
    report = run_import(engine, [seeds_dir / f for f in SEED_FILES])
    assert report.counts["added"] == 3
    return engine


def test_list_articles_newest_first_undated_last(seeded: Engine) -> None:
    with Session(seeded) as s:
        rows = list_articles(s)
    assert [(r.headline, r.published_on) for r in rows] == [
        (H4, dt.date(2023, 12, 31)),
        (H1, dt.date(2022, 12, 30)),
        (H0, None),
    ]
    assert rows[0].outlet == "Space Industry and Business News" and rows[0].agency == "AFP"


def test_list_articles_by_outlet_and_dates(seeded: Engine) -> None:
    with Session(seeded) as s:
        by_agency = [r.headline for r in list_articles(s, outlet="afp")]
        by_outlet = [
            r.headline for r in list_articles(s, outlet="SPACE industry and business news")
        ]
        in_2023 = [r.headline for r in list_articles(s, since=dt.date(2023, 1, 1))]
        up_to_2022 = [r.headline for r in list_articles(s, until=dt.date(2022, 12, 31))]
        none = list_articles(s, outlet="No Such Outlet")
        paged = [r.headline for r in list_articles(s, limit=1, offset=1)]
    assert by_agency == by_outlet == [H4, H1]
    assert in_2023 == [H4]
    assert up_to_2022 == [H1]
    assert none == []
    assert paged == [H1]


def test_get_article(seeded: Engine) -> None:
    with Session(seeded) as s:
        first = list_articles(s, until=dt.date(2022, 12, 31))[0]
        detail = get_article(s, first.id)
        missing = get_article(s, 10_000)
    assert detail is not None and missing is None
    assert (detail.headline, detail.byline, detail.dateline_place) == (
        H1,
        "AFP Staff Writers",
        "Moscow",
    )
    assert detail.source_path.endswith(SEED_FILES[1])
    assert detail.word_count == len(detail.body.split())


def test_search_ranks_and_snippets(seeded: Engine) -> None:
    with Session(seeded) as s:
        roscosmos = search_articles(s, "Roscosmos")
        putin = search_articles(s, "Putin")
        both = search_articles(s, "military cooperation")
        filtered = search_articles(s, "Putin", since=dt.date(2023, 1, 1))
        nothing = search_articles(s, "zeppelin")
    assert [h.article.headline for h in roscosmos] == [H0]
    assert "[Roscosmos]" in roscosmos[0].snippet
    assert {h.article.headline for h in putin} == {H0, H1, H4}
    # The article with "Putin" in its headline and most often in its body ranks first.
    assert putin[0].article.headline == H1
    assert both[0].article.headline == H1
    assert [h.article.headline for h in filtered] == [H4]
    assert nothing == []


@pytest.mark.parametrize("bad", ["", "   ", '"unbalanced', "AND OR", "Putin NOT"])
def test_malformed_search_is_a_clear_error(seeded: Engine, bad: str) -> None:
    with Session(seeded) as s:
        if seeded.dialect.name == "postgresql" and bad.strip():
            # websearch_to_tsquery accepts any text: it never fails, it just matches less.
            search_articles(s, bad)
            return
        with pytest.raises(QueryError):
            search_articles(s, bad)


@pytest.mark.parametrize(
    "odd",
    [
        r"a.*b (c) [d] \e | f+ ? ^$ {2}",
        "O'Brien \\ \"half",
        "Putin " + "x" * 3000,
        "-Putin -",
        "Путин Σ ΣΑΣ",
    ],
)
def test_search_takes_any_text_without_a_database_error(seeded: Engine, odd: str) -> None:
    """Text full of regex, tsquery and quoting characters: results or a QueryError, never a
    database error (on PostgreSQL its words also build the snippet's pattern)."""
    with Session(seeded) as s:
        try:
            hits = search_articles(s, odd)
        except QueryError:
            assert seeded.dialect.name == "sqlite"  # FTS5 refuses some expressions
            return
        assert all(isinstance(h.snippet, str) for h in hits)


def test_stats(seeded: Engine) -> None:
    with Session(seeded) as s:
        stats = get_stats(s)
    # Outlets: the publisher, AFP, and the agencies and broadcasters the articles cite
    # (TASS, Interfax, ANSA, RIA Novosti, CCTV, Rossiya-24).
    assert (stats.articles, stats.outlets, stats.agencies) == (3, 8, 5)
    assert (stats.first_date, stats.last_date) == (dt.date(2022, 12, 30), dt.date(2023, 12, 31))


def test_seed_articles_of_a_person(seeded: Engine) -> None:
    with Session(seeded) as s:
        putin = {a.headline for a in list_articles(s, person="Vladimir Putin")}
        by_short_name = {a.headline for a in list_articles(s, person="putin")}
    assert putin == by_short_name == {H0, H1, H4}


def test_seed_co_mentions_timeline_and_quotes(seeded: Engine) -> None:
    with Session(seeded) as s:
        together = co_mentions(s, "Vladimir Putin")
        years = timeline(s, person="Xi Jinping", by="year")
        oil = list_quotes(s, person="Putin", words="oil exports")
    assert together[0].name == "Xi Jinping" and together[0].articles == 3
    assert [(p.period, p.articles) for p in years] == [
        (dt.date(2022, 1, 1), 1),
        (dt.date(2023, 1, 1), 1),
    ]
    assert [
        (q.headline, q.text.startswith("Russia has become one of the leaders")) for q in oil
    ] == [(H1, True)]


# ---------------------------------------------------------------------------
# The generated corpus


@pytest.fixture
def corpus(engine: Engine) -> Engine:
    return C.build_corpus(engine)


def _ids(rows: list) -> list[int]:  # type: ignore[type-arg]
    return [r.id for r in rows]


ALL_NEWEST_FIRST = [10, 8, 7, 6, 4, 3, 2, 11, 1, 9]  # 9 is undated; 5 is an older version


def test_articles_newest_first_latest_versions_only(corpus: Engine) -> None:
    with Session(corpus) as s:
        assert _ids(list_articles(s)) == ALL_NEWEST_FIRST
        assert _ids(list_articles(s, limit=3, offset=2)) == [7, 6, 4]
        # Pages across the end of the dated articles and into the undated one.
        assert _ids(list_articles(s, limit=5, offset=8)) == [1, 9]
        assert _ids(list_articles(s, limit=5, offset=9)) == [9]
        assert _ids(list_articles(s, limit=5, offset=10)) == []
        assert _ids(list_articles(s, person="Ada Lindqvist", limit=2, offset=5)) == [1, 9]
        assert _ids(list_articles(s, outlet="Northgate Times", limit=2, offset=3)) == [9]


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("Ada Lindqvist", [10, 6, 4, 2, 11, 1, 9]),
        ("lindqvist", [10, 6, 4, 2, 11, 1, 9]),  # an alias, another case
        ("  A.   LINDQVIST ", [10, 6, 4, 2, 11, 1, 9]),  # spacing and case aside
        ("Tomas Ferreira", [7, 6, 2, 1]),  # 5 mentions him but is an older version
        ("t. ferreira", [7, 6, 2, 1]),
        ("ÉMILE DUBOIS", [10]),  # case folding beyond ASCII
        ("dubois", [10]),
        ("Noor Haddad", [8, 4, 3]),
        ("#5", [7]),  # the ambiguous short form, by id
        (C.KARL, [8, 4]),  # an int is an id
        ("Nobody Known", []),
    ],
)
def test_articles_of_a_person_by_any_name(
    corpus: Engine, person: str | int, expected: list[int]
) -> None:
    with Session(corpus) as s:
        assert _ids(list_articles(s, person=person)) == expected


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("Ferreira", ["Lucia Ferreira (#6)", "Tomas Ferreira (#2)"]),  # an alias of two people
        ("haddad", ["Karl Haddad (#4)", "Noor Haddad (#3)", "Haddad (#5, ambiguous)"]),
    ],
)
def test_a_name_of_several_people_is_a_clear_error(
    corpus: Engine, name: str, listed: list[str]
) -> None:
    with Session(corpus) as s, pytest.raises(QueryError) as err:
        list_articles(s, person=name)
    message = str(err.value)
    assert message.startswith(f"{name!r} may be any of several people: " + ", ".join(listed))
    assert "give a full name or an id (#N)" in message


def test_resolve_person(corpus: Engine) -> None:
    with Session(corpus) as s:
        ada = resolve_person(s, "a. lindqvist")
        by_id = resolve_person(s, "#5")
        nobody = resolve_person(s, "Nobody")
        with pytest.raises(QueryError):
            resolve_person(s, "   ")
    assert ada is not None and (ada.id, ada.name, ada.ambiguous) == (C.ADA, "Ada Lindqvist", False)
    assert by_id is not None and (by_id.name, by_id.ambiguous) == ("Haddad", True)
    assert nobody is None


@pytest.mark.parametrize(
    ("outlet", "roles", "expected"),
    [
        ("The Harbour Courier", None, [10, 8, 6, 3, 1]),
        ("the harbour   courier", None, [10, 8, 6, 3, 1]),
        ("Wirepoint", None, [8, 4, 1]),  # as the agency credited
        ("Wirepoint", ("cited",), [11]),
        ("Wirepoint", ("publisher", "agency", "cited"), [8, 4, 11, 1]),
        ("Radio Calder", ("cited",), [7, 4, 1]),  # 5 cites it too, but is an older version
        ("Northgate Times", ("publisher",), [7, 4, 2, 9]),
        ("Northgate Times", ("cited",), [10]),
        ("No Such Outlet", None, []),
    ],
)
def test_articles_by_outlet_and_role(
    corpus: Engine, outlet: str, roles: tuple[str, ...] | None, expected: list[int]
) -> None:
    where = ArticleFilter(outlet=outlet)
    if roles is not None:
        where = where.but(outlet_roles=roles)
    with Session(corpus) as s:
        assert _ids(list_articles(s, where)) == expected


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("trade", [7, 2, 11, 1]),
        ("economy", [7, 6, 2, 11, 1]),  # with its sub-topic trade
        ("politics", [10, 8, 4, 1]),  # with diplomacy
        ("Diplomacy", [10, 4, 1]),  # by name, any case
        ("science", [10, 8, 3]),
        ("sport", []),
    ],
)
def test_articles_by_topic_with_sub_topics(corpus: Engine, topic: str, expected: list[int]) -> None:
    with Session(corpus) as s:
        assert _ids(list_articles(s, topic=topic)) == expected


def test_articles_by_dates_and_combinations(corpus: Engine) -> None:
    feb, mar = dt.date(2026, 2, 1), dt.date(2026, 3, 31)
    with Session(corpus) as s:
        assert _ids(list_articles(s, since=feb, until=mar)) == [7, 6, 4, 3]
        assert _ids(list_articles(s, until=dt.date(2026, 1, 6))) == [11, 1]  # undated left out
        assert _ids(list_articles(s, person="Ada Lindqvist", topic="trade")) == [2, 11, 1]
        assert _ids(list_articles(s, person="Ada Lindqvist", outlet="Northgate Times")) == [4, 2, 9]
        assert _ids(list_articles(s, person="Ada Lindqvist", since=feb)) == [10, 6, 4]
        where = ArticleFilter(topic="economy", outlet="The Harbour Courier")
        assert _ids(list_articles(s, where)) == [6, 1]
        # Keywords override the filter's fields.
        assert _ids(list_articles(s, where, outlet="Lakeside Gazette")) == [11]
        assert _ids(list_articles(s, search="harbour", person="Tomas Ferreira")) == [2, 1]
        with pytest.raises(QueryError, match="since"):
            list_articles(s, since=mar, until=feb)
        with pytest.raises(QueryError, match="outlet roles"):
            list_articles(s, ArticleFilter(outlet="Wirepoint", outlet_roles=("owner",)))


def test_search_ranked_with_snippets_and_filters(corpus: Engine) -> None:
    with Session(corpus) as s:
        telescope = search_articles(s, "telescope")
        noor = search_articles(s, "telescope", person="Noor Haddad")
        phrase = search_articles(s, '"harbour fees"')
        budget = search_articles(s, "budget")
        either = search_articles(s, "telescope OR tariff")
        april = search_articles(s, "telescope", since=dt.date(2026, 4, 1))
        paged = search_articles(s, "telescope", limit=1, offset=1)
        nothing = search_articles(s, "zeppelin")
    # 3 has the word in its headline and twice in all: first on both backends.
    assert telescope[0].article.id == 3 and {h.article.id for h in telescope} == {3, 4, 10}
    assert all("[telescope]" in h.snippet.lower() for h in telescope)
    assert [h.rank for h in telescope] == sorted(h.rank for h in telescope)
    assert {h.article.id for h in noor} == {3, 4}
    assert {h.article.id for h in phrase} == {1, 9, 11}
    assert [h.article.id for h in budget] == [6]  # not 5, the older version
    assert budget[0].article.headline == "Budget vote delayed again"
    assert {h.article.id for h in either} == {2, 3, 4, 10}
    assert [h.article.id for h in april] == [10]
    assert paged[0].article.id == telescope[1].article.id
    assert nothing == []


def test_search_ranks_only_the_newest_matches(
    corpus: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsdb.query as query_module

    monkeypatch.setattr(query_module, "SEARCH_RANK_CAP", 2)
    with Session(corpus) as s:
        capped = search_articles(s, "telescope", limit=2)
        deeper = search_articles(s, "telescope", limit=1, offset=2)
        every = search_articles(s, "telescope")  # a page of 20 widens the cap to 20
        monkeypatch.setattr(query_module, "SEARCH_RANK_CAP", 1)
        noor = search_articles(s, "telescope", person="Noor Haddad", limit=1)
    # 10 (April) and 4 are the two newest of 3, 4 and 10, by date and by id: 3 is not
    # ranked at all, though its headline match would put it first.
    assert {h.article.id for h in capped} == {4, 10}
    # A page further down than the cap widens it to reach that page: all three are ranked.
    assert [h.article.id for h in every][0] == 3
    assert [h.article.id for h in deeper] == [every[2].article.id]
    # The cap counts the matches the filter keeps: of Noor Haddad's 3 and 4, the newest.
    assert [h.article.id for h in noor] == [4]


@pytest.mark.parametrize(
    ("cap", "budget"),
    [(c, b) for c in (1, 2, 3) for b in (0.01, 0.2, 0.5, 1.0, 2.0)] + [(1000, 2.0)],
)
def test_postgresql_search_walk_and_index_agree(
    corpus: Engine, monkeypatch: pytest.MonkeyPatch, cap: int, budget: float
) -> None:
    """The newest-first walk (taken for common words) and the GIN index path find the same
    newest matches, with filters and pages too, also when the walk's budget runs out."""
    if corpus.dialect.name != "postgresql":
        return
    import newsdb.query as query_module

    monkeypatch.setattr(query_module, "SEARCH_RANK_CAP", cap)
    monkeypatch.setattr(query_module, "WALK_BUDGET", budget)
    calls = [
        ("telescope", {}),
        ("telescope", {"person": "Noor Haddad"}),
        ("telescope", {"since": dt.date(2026, 2, 1), "limit": 1}),
        ("telescope", {"limit": 1, "offset": 1}),
        ('"harbour fees"', {}),
        ("budget", {}),
        ("telescope or tariff", {"limit": 2}),
    ]

    def results(cost: float) -> list[list[tuple[int, float]]]:
        monkeypatch.setattr(query_module, "WALK_COST", cost)
        with Session(corpus) as s:
            return [
                [(h.article.id, round(h.rank, 6)) for h in search_articles(s, q, **kw)]
                for q, kw in calls
            ]

    walked, indexed = results(0.0), results(1e12)  # walk whenever a match is sampled / never
    assert walked == indexed
    assert any(walked)


def test_postgresql_search_leaves_the_planner_settings_as_they_were(corpus: Engine) -> None:
    """The search steers the planner (sequential scans off) for its own statements only,
    and leaves the other settings alone."""
    if corpus.dialect.name != "postgresql":
        return
    with Session(corpus) as s:
        assert s.scalar(text("SHOW enable_seqscan")) == "on"
        hits = search_articles(s, "telescope")
        assert s.scalar(text("SHOW enable_seqscan")) == "on"
        assert s.scalar(text("SHOW enable_indexscan")) == "on"
        s.execute(text("SET enable_seqscan = off"))  # a user's own choice is kept too
        assert [h.article.id for h in search_articles(s, "telescope")] == [
            h.article.id for h in hits
        ]
        assert s.scalar(text("SHOW enable_seqscan")) == "off"


@pytest.mark.parametrize("bad", ["", "   ", '"unbalanced', "AND OR", "telescope NOT"])
def test_malformed_search_in_a_filter_is_a_clear_error(corpus: Engine, bad: str) -> None:
    with Session(corpus) as s:
        if corpus.dialect.name == "postgresql" and bad.strip():
            timeline(s, search=bad)  # websearch_to_tsquery reads any text
            return
        with pytest.raises(QueryError):
            timeline(s, search=bad)
        with pytest.raises(QueryError):
            list_people(s, search=bad)


def test_co_mentions(corpus: Engine) -> None:
    with Session(corpus) as s:
        ada = co_mentions(s, "Ada Lindqvist")
        ada_2026_q1 = co_mentions(s, "lindqvist", until=dt.date(2026, 3, 31), limit=2)
        tomas = co_mentions(s, "Tomas Ferreira")
        same = list_people(s, person="Tomas Ferreira")
    assert ada == [
        PersonCount(C.TOMAS, "Tomas Ferreira", 3),  # 1, 2, 6 (5 is an older version)
        PersonCount(C.KARL, "Karl Haddad", 1),
        PersonCount(C.LUCIA, "Lucia Ferreira", 1),
        PersonCount(C.NOOR, "Noor Haddad", 1),
        PersonCount(C.EMILE, "Émile Dubois", 1),  # code-point order on both backends
    ]
    assert [(p.name, p.articles) for p in ada_2026_q1] == [
        ("Tomas Ferreira", 3),
        ("Karl Haddad", 1),
    ]
    assert [(p.name, p.articles) for p in tomas] == [("Ada Lindqvist", 3), ("Haddad", 1)]
    assert same == tomas


def test_top_people(corpus: Engine) -> None:
    with Session(corpus) as s:
        everyone = list_people(s)
        science = list_people(s, topic="science")
        named = list_people(s, name="HADDAD")
    assert [(p.name, p.articles) for p in everyone] == [
        ("Ada Lindqvist", 7),
        ("Tomas Ferreira", 4),
        ("Noor Haddad", 3),
        ("Karl Haddad", 2),
        ("Haddad", 1),
        ("Lucia Ferreira", 1),
        ("Émile Dubois", 1),
    ]
    assert [(p.name, p.articles) for p in science] == [
        ("Noor Haddad", 2),
        ("Ada Lindqvist", 1),
        ("Karl Haddad", 1),
        ("Lucia Ferreira", 1),
        ("Émile Dubois", 1),
    ]
    assert [(p.name, p.articles) for p in named] == [
        ("Noor Haddad", 3),
        ("Karl Haddad", 2),
        ("Haddad", 1),
    ]


def _points(points: list[TimelinePoint]) -> list[tuple[str, int]]:
    return [(p.period.isoformat(), p.articles) for p in points]


def test_timelines(corpus: Engine) -> None:
    with Session(corpus) as s:
        everything = timeline(s)
        ada = timeline(s, person="Ada Lindqvist")
        tomas_weeks = timeline(s, person="Tomas Ferreira", by="week")
        tomas_sparse = timeline(s, person="Tomas Ferreira", by="week", fill=False)
        search = timeline(s, search="telescope")
        northgate = timeline(s, outlet="Northgate Times")
        science = timeline(s, topic="science")
        days = timeline(s, topic="diplomacy", by="day", fill=False)
        years = timeline(s, by="year")
        with pytest.raises(QueryError):
            timeline(s, by="fortnight")  # type: ignore[arg-type]
    assert _points(everything) == [
        ("2026-01-01", 3),
        ("2026-02-01", 2),
        ("2026-03-01", 2),
        ("2026-04-01", 2),
    ]
    assert _points(ada) == [
        ("2026-01-01", 3),
        ("2026-02-01", 1),
        ("2026-03-01", 1),
        ("2026-04-01", 1),
    ]
    # Mondays: 5 Jan (1), 19 Jan (2 on the 20th), 2 Mar (6), 9 Mar (7 on Sunday the 15th).
    assert _points(tomas_weeks) == [
        ("2026-01-05", 1),
        ("2026-01-12", 0),
        ("2026-01-19", 1),
        ("2026-01-26", 0),
        ("2026-02-02", 0),
        ("2026-02-09", 0),
        ("2026-02-16", 0),
        ("2026-02-23", 0),
        ("2026-03-02", 1),
        ("2026-03-09", 1),
    ]
    assert _points(tomas_sparse) == [
        ("2026-01-05", 1),
        ("2026-01-19", 1),
        ("2026-03-02", 1),
        ("2026-03-09", 1),
    ]
    assert _points(search) == [("2026-02-01", 2), ("2026-03-01", 0), ("2026-04-01", 1)]
    assert _points(northgate) == [("2026-01-01", 1), ("2026-02-01", 1), ("2026-03-01", 1)]
    assert _points(science) == [("2026-02-01", 1), ("2026-03-01", 0), ("2026-04-01", 2)]
    assert _points(days) == [("2026-01-05", 1), ("2026-02-14", 1), ("2026-04-20", 1)]
    assert _points(years) == [("2026-01-01", 9)]


def test_quotes(corpus: Engine) -> None:
    with Session(corpus) as s:
        ada = list_quotes(s, person="Ada Lindqvist")
        tomas = list_quotes(s, person="Tomas Ferreira")
        harbour = list_quotes(s, person="lindqvist", words="HARB")
        jobs = list_quotes(s, person="Ada Lindqvist", words=["harbour", "jobs"])
        inside = list_quotes(s, person="Ada Lindqvist", words="arbour")  # not a word start
        elan = list_quotes(s, words="élan")
        everyone = list_quotes(s)
        northgate = list_quotes(s, outlet="Northgate Times")
    assert [q.text for q in ada] == [C.Q_ADA_CALDER, C.Q_ADA_TARIFF, C.Q_ADA_SHIP]
    assert [q.article_id for q in ada] == [4, 2, 1]
    assert all(q.speaker == "Ada Lindqvist" for q in ada)
    assert [q.text for q in tomas] == [C.Q_TOMAS_BUDGET, C.Q_TOMAS_TARIFF]  # not the old one
    assert [q.text for q in harbour] == [C.Q_ADA_TARIFF, C.Q_ADA_SHIP]
    assert [q.text for q in jobs] == [C.Q_ADA_TARIFF]
    assert inside == []
    assert [(q.text, q.speaker) for q in elan] == [(C.Q_EMILE, "Émile Dubois")]
    assert len(everyone) == 10
    # Quotes in one article keep their order in the text.
    assert [(q.text, q.speaker, q.speaker_kind) for q in northgate] == [
        (C.Q_UNION, "Dock Workers Union", "organisation"),
        (C.Q_RADIO, "Radio Calder", "outlet"),
        (C.Q_NOOR_MEETING, "Noor Haddad", "person"),
        (C.Q_ADA_CALDER, "Ada Lindqvist", "person"),
        (C.Q_TOMAS_TARIFF, "Tomas Ferreira", "person"),
        (C.Q_ADA_TARIFF, "Ada Lindqvist", "person"),
    ]


def test_topics(corpus: Engine) -> None:
    with Session(corpus) as s:
        everything = list_topics(s)
        ada = list_topics(s, person="Ada Lindqvist")
    assert [(t.slug, t.parent, t.articles) for t in everything] == [
        ("economy", None, 4),
        ("trade", "economy", 4),
        ("diplomacy", "politics", 3),
        ("science", None, 3),
        ("politics", None, 1),
    ]
    assert [(t.slug, t.articles) for t in ada] == [
        ("diplomacy", 3),
        ("economy", 3),
        ("trade", 3),
        ("science", 1),
    ]


def test_outlets_and_cited_outlets(corpus: Engine) -> None:
    with Session(corpus) as s:
        outlets = list_outlets(s)
        ada_outlets = list_outlets(s, person="Ada Lindqvist")
        cited = list_cited_outlets(s)
        by_courier = list_cited_outlets(s, outlet="The Harbour Courier")
        by_northgate = list_cited_outlets(s, outlet="Northgate Times")
        with_agencies = list_cited_outlets(s, roles=("cited", "agency"))
        with pytest.raises(QueryError):
            list_cited_outlets(s, roles=("publisher",))
    assert [(o.name, o.published, o.as_agency, o.cited) for o in outlets] == [
        ("The Harbour Courier", 5, 0, 1),
        ("Northgate Times", 4, 0, 1),
        ("Wirepoint", 0, 3, 1),
        ("Radio Calder", 0, 0, 3),
        ("Lakeside Gazette", 1, 0, 1),
    ]
    assert [(o.name, o.published, o.as_agency, o.cited) for o in ada_outlets] == [
        ("Northgate Times", 3, 0, 1),
        ("The Harbour Courier", 3, 0, 1),
        ("Wirepoint", 0, 2, 1),
        ("Lakeside Gazette", 1, 0, 1),
        ("Radio Calder", 0, 0, 2),
    ]
    assert [(o.name, o.articles) for o in cited] == [
        ("Radio Calder", 3),
        ("Lakeside Gazette", 1),
        ("Northgate Times", 1),
        ("The Harbour Courier", 1),
        ("Wirepoint", 1),
    ]
    assert [(o.name, o.articles) for o in by_courier] == [
        ("Northgate Times", 1),
        ("Radio Calder", 1),
    ]
    assert [(o.name, o.articles) for o in by_northgate] == [
        ("Radio Calder", 2),
        ("Lakeside Gazette", 1),
        ("The Harbour Courier", 1),
    ]
    assert [(o.name, o.kind, o.articles) for o in with_agencies][:2] == [
        ("Wirepoint", "agency", 4),  # credited on 1, 4, 8 and cited by 11
        ("Radio Calder", "broadcaster", 3),
    ]


def test_person_profile(corpus: Engine) -> None:
    with Session(corpus) as s:
        ada = get_person(s, "lindqvist")
        ada_feb = get_person(s, "Ada Lindqvist", since=dt.date(2026, 2, 1))
        nobody = get_person(s, "Nobody")
    assert ada is not None and ada_feb is not None and nobody is None
    assert (ada.id, ada.name, ada.ambiguous) == (C.ADA, "Ada Lindqvist", False)
    assert ada.aliases == ("A. Lindqvist", "Ada Lindqvist", "Lindqvist")
    assert (ada.articles, ada.quotes) == (7, 3)
    assert (ada.first_date, ada.last_date) == (dt.date(2026, 1, 5), dt.date(2026, 4, 20))
    assert [p.name for p in ada.co_mentions][:2] == ["Tomas Ferreira", "Karl Haddad"]
    assert [(t.slug, t.articles) for t in ada.topics][0] == ("diplomacy", 3)
    assert [(o.name, o.articles) for o in ada.outlets] == [
        ("Northgate Times", 3),
        ("The Harbour Courier", 3),
        ("Lakeside Gazette", 1),
    ]
    assert _ids(list(ada.recent)) == [10, 6, 4, 2, 11, 1, 9]
    assert (ada_feb.articles, ada_feb.quotes, ada_feb.first_date) == (3, 1, dt.date(2026, 2, 14))


def test_one_article_with_everything(corpus: Engine) -> None:
    with Session(corpus) as s:
        first = get_article(s, 1)
        budget = get_article(s, 6)
        old = get_article(s, 5)
        missing = get_article(s, 999)
    assert first is not None and budget is not None and old is not None and missing is None
    assert [(o.name, o.role) for o in first.outlets] == [
        ("The Harbour Courier", "publisher"),
        ("Wirepoint", "agency"),
        ("Radio Calder", "cited"),
    ]
    assert [(p.name, p.role, p.mention_count) for p in first.people] == [
        ("Ada Lindqvist", "trade minister", 3),
        ("Tomas Ferreira", None, 1),
    ]
    assert [(q.text, q.speaker) for q in first.quotes] == [(C.Q_ADA_SHIP, "Ada Lindqvist")]
    assert [(t.slug, t.parent, t.score) for t in first.topics] == [
        ("trade", "economy", 0.9),
        ("diplomacy", "politics", 0.4),
    ]
    assert first.story is not None and first.story.label == "Harbour trade talks"
    assert [a.id for a in first.story.articles] == [4]
    assert [(v.id, v.version, v.is_latest) for v in first.versions] == [(1, 1, True)]
    assert [(v.id, v.version, v.is_latest) for v in budget.versions] == [
        (5, 1, False),
        (6, 2, True),
    ]
    assert (old.is_latest, old.version, old.headline) == (False, 1, "Budget vote delayed")


def test_export_streams_every_match_with_people_and_topics(corpus: Engine) -> None:
    with Session(corpus) as s:
        everything = list(iter_export(s, batch_size=3))
        science = list(iter_export(s, topic="science", with_body=False))
    assert [a.id for a in everything] == [1, 2, 3, 4, 6, 7, 8, 9, 10, 11]
    first = everything[0]
    assert [(p.name, p.role, p.mentions) for p in first.people] == [
        ("Ada Lindqvist", "trade minister", 3),
        ("Tomas Ferreira", None, 1),
    ]
    assert first.topics == ("trade", "diplomacy")
    assert first.body is not None and first.body.startswith("Ada Lindqvist opened talks")
    assert [(a.id, a.topics, a.body) for a in science] == [
        (3, ("science",), None),
        (8, ("science", "politics"), None),
        (10, ("science", "diplomacy"), None),
    ]


def test_generated_stats(corpus: Engine) -> None:
    with Session(corpus) as s:
        stats = get_stats(s)
    assert (stats.articles, stats.older_versions, stats.outlets, stats.agencies) == (10, 1, 5, 1)
    assert (stats.people, stats.topics, stats.quotes, stats.stories) == (7, 5, 10, 1)
    assert (stats.first_date, stats.last_date) == (dt.date(2026, 1, 5), dt.date(2026, 4, 20))
