"""newsdb.query on the seeds, on both backends: exact results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newsdb.errors import QueryError
from newsdb.importer import run_import
from newsdb.query import get_article, get_stats, list_articles, search_articles

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


def test_stats(seeded: Engine) -> None:
    with Session(seeded) as s:
        stats = get_stats(s)
    assert (stats.articles, stats.outlets, stats.agencies) == (3, 2, 1)
    assert (stats.first_date, stats.last_date) == (dt.date(2022, 12, 30), dt.date(2023, 12, 31))
