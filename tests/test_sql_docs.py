"""docs/queries.sql: every query runs in the real sqlite3 shell, and answers as newsdb.query does.

The database is the generated corpus (tests/query_corpus.py). Each query's
output (``sqlite3 -json``) is compared with the same question asked in Python.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newsdb.db import make_engine
from newsdb.query import (
    ArticleFilter,
    co_mentions,
    get_article,
    get_person,
    list_articles,
    list_cited_outlets,
    list_outlets,
    list_people,
    list_quotes,
    list_topics,
    search_articles,
    timeline,
)

from .conftest import IN_CI, REPO
from .query_corpus import build_corpus

QUERIES_SQL = REPO / "docs" / "queries.sql"
_HEADER = re.compile(r"^-- (\d+)\. (.+)$")

Row = dict[str, Any]


def _queries() -> dict[int, tuple[str, str]]:
    """Number -> (title, SQL) for every worked query in docs/queries.sql."""
    found: dict[int, tuple[str, str]] = {}
    number, title, lines = 0, "", []
    for line in QUERIES_SQL.read_text(encoding="utf-8").splitlines():
        header = _HEADER.match(line)
        if header:
            number, title, lines = int(header.group(1)), header.group(2), []
        elif number and not line.startswith("--"):
            lines.append(line)
            if line.rstrip().endswith(";"):
                found[number] = (title, "\n".join(lines).strip())
                number = 0
    return found


QUERIES = _queries()


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sqldocs") / "corpus.sqlite"
    engine = make_engine(str(db))
    build_corpus(engine)
    engine.dispose()
    return db


@pytest.fixture(scope="module")
def corpus_engine(corpus_file: Path) -> Any:
    eng = make_engine(str(corpus_file))
    yield eng
    eng.dispose()


def _shell(db: Path, sql: str) -> list[Row]:
    binary = shutil.which("sqlite3")
    if binary is None:
        if IN_CI:
            pytest.fail("the sqlite3 shell is not installed (.ci/run installs it)")
        pytest.skip("the sqlite3 shell is not installed")
    proc = subprocess.run(
        [binary, "-json", str(db), sql], capture_output=True, text=True, check=False, timeout=60
    )
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.strip() else []


def _latest(s: Session, rows: list[Row]) -> None:
    expected = list_articles(s, limit=20)
    assert [r["id"] for r in rows] == [a.id for a in expected]
    for row in rows:
        detail = get_article(s, row["id"])
        assert detail is not None
        assert row["people"] == (", ".join(p.name for p in detail.people) or None)
        assert row["topics"] == (", ".join(t.slug for t in detail.topics) or None)
        assert (row["outlet"], row["agency"]) == (detail.outlet, detail.agency)


def _person_articles(s: Session, rows: list[Row]) -> None:
    expected = list_articles(s, person="A. Lindqvist")
    assert [(r["id"], r["headline"]) for r in rows] == [(a.id, a.headline) for a in expected]


def _co_mentions(s: Session, rows: list[Row]) -> None:
    expected = co_mentions(s, "Ada Lindqvist")
    assert [(r["name"], r["articles"]) for r in rows] == [(p.name, p.articles) for p in expected]


def _monthly(s: Session, rows: list[Row]) -> None:
    expected = timeline(s, person="Ada Lindqvist", fill=False)
    assert [(r["month"], r["articles"]) for r in rows] == [
        (p.period.isoformat()[:7], p.articles) for p in expected
    ]


def _search(s: Session, rows: list[Row]) -> None:
    expected = search_articles(s, "telescope")
    assert [(r["id"], r["rank"]) for r in rows] == [
        (h.article.id, round(h.rank, 2)) for h in expected
    ]
    assert all("[telescope]" in r["snippet"].lower() for r in rows)


def _quotes(s: Session, rows: list[Row]) -> None:
    expected = list_quotes(s, person="Ada Lindqvist")
    assert [(r["quote"], r["headline"]) for r in rows] == [(q.text, q.headline) for q in expected]


def _quote_words(s: Session, rows: list[Row]) -> None:
    expected = list_quotes(s, words="harbour")
    assert [(r["speaker"], r["quote"], r["article_id"]) for r in rows] == [
        (q.speaker, q.text, q.article_id) for q in expected
    ]


def _agencies(s: Session, rows: list[Row]) -> None:
    expected = []
    for outlet in list_outlets(s):
        if outlet.published:
            where = ArticleFilter(outlet=outlet.name, outlet_roles=("publisher",))
            for agency in list_cited_outlets(s, where, roles=("agency",)):
                expected.append((outlet.name, agency.name, agency.articles))
    expected.sort(key=lambda t: (-t[2], t[0], t[1]))
    assert [(r["publisher"], r["agency"], r["articles"]) for r in rows] == expected


def _cited(s: Session, rows: list[Row]) -> None:
    where = ArticleFilter(outlet="Northgate Times", outlet_roles=("publisher",))
    expected = list_cited_outlets(s, where)
    assert [(r["outlet"], r["articles"]) for r in rows] == [(o.name, o.articles) for o in expected]


def _topic_people(s: Session, rows: list[Row]) -> None:
    expected = list_people(s, topic="economy", limit=10)
    assert [(r["person"], r["articles"]) for r in rows] == [(p.name, p.articles) for p in expected]


def _topics(s: Session, rows: list[Row]) -> None:
    expected = list_topics(s)
    assert [(r["topic"], r["parent"], r["articles"]) for r in rows] == [
        (t.slug, t.parent, t.articles) for t in expected
    ]


def _versions(s: Session, rows: list[Row]) -> None:
    detail = get_article(s, 6)
    assert detail is not None
    assert [(r["version"], bool(r["is_latest"]), r["article_id"]) for r in rows] == [
        (v.version, v.is_latest, v.id) for v in detail.versions
    ]


def _people(s: Session, rows: list[Row]) -> None:
    expected = list_people(s, limit=10)
    assert [(r["name"], r["articles"]) for r in rows] == [(p.name, p.articles) for p in expected]
    for row in rows:
        # "Haddad" alone names several people: the short form's own row is #5.
        profile = get_person(s, "#5" if row["name"] == "Haddad" else row["name"])
        assert profile is not None
        assert row["aliases"] == ", ".join(profile.aliases)


def _weekly(s: Session, rows: list[Row]) -> None:
    expected = timeline(s, by="week", fill=False)
    assert [(r["week"], r["articles"]) for r in rows] == [
        (p.period.isoformat(), p.articles) for p in expected
    ]


def _outlet_any_role(s: Session, rows: list[Row]) -> None:
    where = ArticleFilter(outlet="Wirepoint", outlet_roles=("publisher", "agency", "cited"))
    expected = list_articles(s, where)
    assert [r["article_id"] for r in rows] == [a.id for a in expected]
    assert {r["article_id"]: r["roles"] for r in rows} == {
        1: "agency",
        4: "agency",
        8: "agency",
        11: "cited",
    }


CHECKS: dict[int, Callable[[Session, list[Row]], None]] = {
    1: _latest,
    2: _person_articles,
    3: _co_mentions,
    4: _monthly,
    5: _search,
    6: _quotes,
    7: _quote_words,
    8: _agencies,
    9: _cited,
    10: _topic_people,
    11: _topics,
    12: _versions,
    13: _people,
    14: _weekly,
    15: _outlet_any_role,
}


def test_a_dozen_queries_each_checked() -> None:
    assert len(QUERIES) >= 12
    assert sorted(QUERIES) == list(range(1, len(QUERIES) + 1))
    assert set(CHECKS) == set(QUERIES), "every query in docs/queries.sql needs a check here"


@pytest.mark.parametrize("number", sorted(QUERIES))
def test_query_in_real_shell(number: int, corpus_file: Path, corpus_engine: Engine) -> None:
    title, sql = QUERIES[number]
    rows = _shell(corpus_file, sql)
    assert rows, f"query {number} ({title}) returned nothing on the test corpus"
    with Session(corpus_engine) as session:
        CHECKS[number](session, rows)
