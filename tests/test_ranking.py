"""newsdb_bm25, the SQLite search's ranking function (newsdb/_rank.c, newsdb/ranking.py).

Its scores are checked against FTS5's own bm25() on real FTS5 tables: equal where every
phrase is counted (no sample, or fewer matches than the sample), and equal again where a
phrase's matches are spread evenly, so that the sample's estimate of the document count
is exact. The search must find and order the same articles with either function.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

import newsdb.ranking as ranking
from newsdb.db import make_engine
from newsdb.query import search_articles

from . import query_corpus as C
from .conftest import IN_CI, REPO

WEIGHTS = "10.0, 3.0, 1.0"


@pytest.fixture
def raw(tmp_path: Path) -> Iterator[Any]:
    """A DB-API connection on a SQLite file opened by a newsdb engine."""
    if not ranking.ACTIVE:
        if IN_CI:
            pytest.fail(f"the ranking function is not in use in CI: {ranking.REASON}")
        pytest.skip(f"newsdb._rank is not in use: {ranking.REASON}")
    engine = make_engine(f"sqlite:///{tmp_path / 'rank.sqlite'}")
    conn = engine.raw_connection()
    try:
        yield conn.dbapi_connection
    finally:
        conn.close()
        engine.dispose()


def test_ci_ranks_with_newsdb_bm25(tmp_path: Path) -> None:
    """CI compiles, so its connections must have the function (not fall back unnoticed)."""
    if not IN_CI:
        pytest.skip("only CI is sure to have built with a C compiler and sqlite3.h")
    assert ranking.ACTIVE, ranking.REASON
    engine = make_engine(f"sqlite:///{tmp_path / 'ci.sqlite'}")
    with engine.connect() as conn:
        assert ranking.available(conn.connection.dbapi_connection)
    engine.dispose()


WORDS = [f"w{i}" for i in range(300)]
ZIPF = [1 / (i + 1) for i in range(300)]


def _fill(conn: Any, rows: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(headline, standfirst, body)")
    conn.executemany(
        "INSERT INTO f VALUES (?, ?, ?)",
        [
            tuple(" ".join(rng.choices(WORDS, ZIPF, k=n)) for n in (8, rng.randint(0, 30), 150))
            for _ in range(rows)
        ],
    )


def _scores(conn: Any, function: str, query: str) -> list[tuple[int, float]]:
    return conn.execute(
        f"SELECT rowid, {function} AS r FROM f WHERE f MATCH ? ORDER BY r, rowid", (query,)
    ).fetchall()


def _same(got: list[tuple[int, float]], want: list[tuple[int, float]]) -> None:
    assert want, "the query matched nothing: a test that cannot fail"
    assert [r for r, _ in got] == [r for r, _ in want]
    for (_, a), (_, b) in zip(got, want, strict=True):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


QUERIES = [
    "w3",  # in most rows: its IDF is clamped to a small positive number, as bm25's is
    "w40",
    "w299",  # rare
    "w7 w60",
    "w1 OR w150",
    "w5 NOT w9",
    '"w2 w5"',
    "w12*",
    "headline : w20",
    "NEAR(w4 w30, 5)",
]


@pytest.mark.parametrize("query", QUERIES)
def test_scores_equal_bm25_when_every_phrase_is_counted(raw: Any, query: str) -> None:
    _fill(raw, 3000)
    bm25 = _scores(raw, f"bm25(f, {WEIGHTS})", query)
    _same(_scores(raw, f"newsdb_bm25(f, {WEIGHTS})", query), bm25)
    # A sample larger than any phrase's matches counts them all too.
    _same(_scores(raw, f"newsdb_bm25(f, {WEIGHTS}, 1, 3000, 100000)", query), bm25)


def test_an_even_spread_is_estimated_exactly(raw: Any) -> None:
    """A word in every 4th row of 4,000: 50 sampled matches span 200 rowids, so the
    estimate is 50 * 4,000 / 200 = 1,000, the true count, and the scores are bm25's."""
    raw.execute("CREATE VIRTUAL TABLE f USING fts5(headline, standfirst, body)")
    rng = random.Random(9)
    rows = []
    for i in range(1, 4001):
        body = rng.choices(WORDS[10:], k=rng.randint(20, 200))
        body += ["alpha"] * (rng.randint(1, 4) if i % 4 == 0 else 0)
        body += ["beta"] * (rng.randint(1, 3) if i % 10 == 0 else 0)
        rng.shuffle(body)
        rows.append((i, "x", "", " ".join(body)))
    raw.executemany("INSERT INTO f(rowid, headline, standfirst, body) VALUES (?, ?, ?, ?)", rows)
    for query in ("alpha", "alpha beta", "alpha OR beta"):
        want = _scores(raw, f"bm25(f, {WEIGHTS})", query)
        _same(_scores(raw, f"newsdb_bm25(f, {WEIGHTS}, 1, 4000, 50)", query), want)
    # Bunched at the start, a word looks common to the sample: its weight is then the
    # clamped one, and a one-word search still orders its matches as bm25 does.
    raw.execute("DELETE FROM f WHERE rowid > 3000 AND rowid % 4 = 0")
    want = _scores(raw, f"bm25(f, {WEIGHTS})", "alpha")
    got = _scores(raw, f"newsdb_bm25(f, {WEIGHTS}, 1, 4000, 50)", "alpha")
    assert [r for r, _ in got] == [r for r, _ in want] and len(want) == 750


def test_search_finds_and_orders_as_with_bm25(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not ranking.ACTIVE:
        pytest.skip(f"newsdb._rank is not in use: {ranking.REASON}")
    queries = ["telescope", '"harbour fees"', "telescope OR tariff", "budget", "harbour"]

    def run(url: str) -> list[list[tuple[int, float, str]]]:
        engine = make_engine(url)
        try:
            C.build_corpus(engine)
            with Session(engine) as s:
                return [
                    [(h.article.id, h.rank, h.snippet) for h in search_articles(s, q)]
                    for q in queries
                ]
        finally:
            engine.dispose()

    ours = run(f"sqlite:///{tmp_path / 'ours.sqlite'}")
    monkeypatch.setattr(ranking, "available", lambda _conn: False)
    theirs = run(f"sqlite:///{tmp_path / 'bm25.sqlite'}")
    assert all(ours) and len(ours) == len(theirs)
    for got, want in zip(ours, theirs, strict=True):
        assert [(i, s) for i, _, s in got] == [(i, s) for i, _, s in want]
        assert all(
            math.isclose(a, b, rel_tol=1e-9) for (_, a, _), (_, b, _) in zip(got, want, strict=True)
        )


def _traced_search(url: str, query: str) -> tuple[list[Any], list[str]]:
    """Search the query corpus at ``url``; the hits, and every SQL statement SQLite ran."""
    engine = make_engine(url)
    try:
        C.build_corpus(engine)
        seen: list[str] = []
        with engine.connect() as conn:
            conn.connection.dbapi_connection.set_trace_callback(seen.append)
            with Session(bind=conn) as s:
                hits = search_articles(s, query)
        return hits, seen
    finally:
        engine.dispose()


def test_search_uses_newsdb_bm25_where_the_connection_has_it(tmp_path: Path) -> None:
    if not ranking.ACTIVE:
        pytest.skip(f"newsdb._rank is not in use: {ranking.REASON}")
    hits, seen = _traced_search(f"sqlite:///{tmp_path / 'trace.sqlite'}", "telescope")
    assert hits
    assert any("newsdb_bm25(articles_fts" in sql for sql in seen)
    assert not any("bm25(articles_fts" in sql.replace("newsdb_bm25", "") for sql in seen)


def test_a_stale_build_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not ranking.ACTIVE:
        pytest.skip(f"newsdb._rank is not in use: {ranking.REASON}")
    source = ranking._SOURCE
    edited = tmp_path / "_rank.c"
    edited.write_bytes(source.read_bytes() + b"\n/* edited */\n")
    monkeypatch.setattr(ranking, "_SOURCE", edited)
    module, reason = ranking._load()
    assert module is None and "changed since it was built" in reason
    # With the real source back, the build is current: only NEWSDB_PURE turns it off.
    monkeypatch.setattr(ranking, "_SOURCE", source)
    assert ranking._load()[1] == "built"
    monkeypatch.setenv("NEWSDB_PURE", "1")
    assert ranking._load() == (None, "NEWSDB_PURE is set")


def test_without_the_function_search_ranks_with_bm25(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection without newsdb_bm25 (opened before install(), a build without it)."""
    monkeypatch.setattr(ranking, "available", lambda _conn: False)
    hits, seen = _traced_search(f"sqlite:///{tmp_path / 'plain.sqlite'}", "telescope")
    assert {h.article.id for h in hits} == {3, 4, 10} and hits[0].article.id == 3
    assert any("bm25(articles_fts" in sql for sql in seen)
    assert not any("newsdb_bm25" in sql for sql in seen)


def test_a_connection_that_cannot_say_has_no_function(raw: Any) -> None:
    assert ranking.available(raw)
    other = sqlite3.connect(":memory:")
    other.close()  # any query on it raises sqlite3.ProgrammingError
    assert not ranking.available(other)


def _build_in_copy(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """``setup.py build_ext --inplace`` in a copy of the project, with mypyc made unimportable
    (so only the ranking function is built: a second or two, not the mypyc minutes)."""
    if shutil.which("cc") is None:
        pytest.skip("no C compiler")
    copy = tmp_path / "src"
    shutil.copytree(
        REPO / "newsdb",
        copy / "newsdb",
        ignore=shutil.ignore_patterns("*.so", "__pycache__", "_compiled_sources.txt"),
    )
    # setup.py alone: the metadata in pyproject.toml needs a newer setuptools than this
    # environment may have (an install's isolated build fetches one), and building the
    # extensions in place does not read it.
    shutil.copy(REPO / "setup.py", copy / "setup.py")
    code = (
        "import sys; sys.modules['mypyc'] = None; sys.modules['mypyc.build'] = None; "
        "sys.argv = ['setup.py', 'build_ext', '--inplace']; "
        "exec(compile(open('setup.py').read(), 'setup.py', 'exec'), "
        "{'__name__': '__main__', '__file__': 'setup.py'})"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=copy,
        env={**os.environ, "NEWSDB_COMPILE": "auto", **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run, copy


def test_the_ranking_function_builds_without_mypyc(tmp_path: Path) -> None:
    if not ranking.ACTIVE:
        pytest.skip(f"newsdb._rank is not in use here: {ranking.REASON}")
    run, copy = _build_in_copy(tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "mypyc is not installed" in run.stderr
    assert [p.name.split(".")[0] for p in (copy / "newsdb").glob("*.so")] == ["_rank"]
    check = subprocess.run(
        [sys.executable, "-c", "import newsdb.ranking as r; print(r.ACTIVE, r.REASON)"],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.stdout.strip() == "True built", check.stderr[-2000:]


def test_a_ranking_function_that_fails_to_build_leaves_the_install_going(tmp_path: Path) -> None:
    # A header that does not exist, forced into every compile: the C build fails.
    broken = {"CFLAGS": f"-include {tmp_path / 'missing.h'}"}
    run, copy = _build_in_copy(tmp_path, **broken)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "newsdb._rank not built" in run.stdout + run.stderr
    assert not list((copy / "newsdb").glob("*.so"))
    strict, _ = _build_in_copy(tmp_path / "strict", NEWSDB_COMPILE="1", **broken)
    assert strict.returncode != 0
