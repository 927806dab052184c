"""Shared fixtures: real databases only (a SQLite file; PostgreSQL when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from newsdb.db import make_engine

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = REPO / "examples"
PG_ENV = "NEWSDB_TEST_PG_URL"
IN_CI = os.environ.get("CI", "").lower() == "true"

SEED_FILES = ["000_23063757161b2a52.txt", "001_2d7a4332ac8920d6.txt", "004_5b3953929b62477f.txt"]


def _backends() -> list[str]:
    return ["sqlite", "postgresql"]


@pytest.fixture
def seeds_dir() -> Path:
    """The user's example pages; skipped (with the reason) only when the folder is absent."""
    if not SEEDS.is_dir():
        if IN_CI:
            pytest.fail(f"{SEEDS} is missing, and CI must run the seed tests")
        pytest.skip(f"the user's seed pages are not at {SEEDS}")
    return SEEDS


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file per test."""
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


def _pg_base_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if IN_CI:
            pytest.fail(f"{PG_ENV} is not set, and CI must run the PostgreSQL tests")
        pytest.skip(f"set {PG_ENV} to run the PostgreSQL tests")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema per test (dropped afterwards)."""
    base = _pg_base_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=_backends())
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database of each backend: SQLite always, PostgreSQL when configured."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a fresh, empty database of each backend.

    After the test, the names the writers keep in ``person_names`` must be what counting
    the mentions gives (see :func:`assert_person_names_counted`).
    """
    eng = make_engine(db_url)
    try:
        yield eng
        assert_person_names_counted(eng)
    finally:
        eng.dispose()


def assert_person_names_counted(eng: Engine) -> None:
    """``person_names`` holds, for every written name, the person and the number of mentions
    that ``article_people`` gives (nothing to check before revision 0008 or the import)."""
    with eng.connect() as conn:
        if "person_names" not in inspect(conn).get_table_names():
            return
        stored = conn.execute(
            text("SELECT name, person_id, articles FROM person_names ORDER BY name")
        ).all()
        counted = conn.execute(
            text(
                "SELECT mentioned_as, max(person_id), count(*) FROM article_people"
                " WHERE mentioned_as IS NOT NULL GROUP BY mentioned_as ORDER BY mentioned_as"
            )
        ).all()
    assert [tuple(r) for r in stored] == [tuple(r) for r in counted]
