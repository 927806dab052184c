"""The database opens in Datasette, whose own FTS detection finds articles_fts for articles.

Datasette is a development dependency; this test is skipped when it is not
installed, except under CI, where it must run.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from newsdb.db import make_engine

from .conftest import IN_CI
from .query_corpus import build_corpus


@pytest.fixture
def datasette_cls() -> Any:
    try:
        from datasette.app import Datasette
    except ImportError:
        if IN_CI:
            pytest.fail("datasette is not installed, and CI must run the Datasette test")
        pytest.skip("datasette is not installed (pip install datasette)")
    return Datasette


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    db = tmp_path / "news.sqlite"
    engine = make_engine(str(db))
    build_corpus(engine)
    engine.dispose()
    return db


async def _ask(datasette: Any, db: Path) -> dict[str, Any]:
    ds = datasette([str(db)])
    database = ds.get_database("news")
    found: dict[str, Any] = {"fts_table": await database.fts_table("articles")}
    for name, path in {
        "telescope": "/news/articles.json?_search=telescope&_shape=array&_col=headline",
        "budget": "/news/articles.json?_search=budget&_shape=array&_col=headline",
        "budget_latest": "/news/articles.json?_search=budget&is_latest=1&_shape=array",
        "phrase": '/news/articles.json?_search="harbour fees"&_searchmode=raw&_shape=array',
        "overview": "/news/article_overview.json?_shape=array&_size=3",
    }.items():
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text)
        found[name] = response.json()
    return found


def test_datasette_finds_the_full_text_index(datasette_cls: Any, corpus_file: Path) -> None:
    found = asyncio.run(_ask(datasette_cls, corpus_file))
    assert found["fts_table"] == "articles_fts"
    # Datasette filters the table by the FTS match, in rowid order.
    assert [r["id"] for r in found["telescope"]] == [3, 4, 10]
    assert found["telescope"][0]["headline"] == "Telescope funding approved"
    # The table holds every version; is_latest=1 keeps the current ones.
    assert [r["id"] for r in found["budget"]] == [5, 6]
    assert [r["id"] for r in found["budget_latest"]] == [6]
    assert [r["id"] for r in found["phrase"]] == [1, 9, 11]
    # The views are tables to Datasette too.
    assert [r["id"] for r in found["overview"]] == [1, 2, 3]
    assert found["overview"][0]["people"] == "Ada Lindqvist, Tomas Ferreira"
