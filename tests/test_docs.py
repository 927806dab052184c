"""The README's promises: its sqlite3 queries run as printed; every command is documented."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newsdb.cli import cli
from newsdb.db import make_engine
from newsdb.importer import run_import
from newsdb.query import list_articles, search_articles

from .conftest import EXAMPLES, IN_CI, REPO, SEED_FILES

README = (REPO / "README.md").read_text(encoding="utf-8")


def _readme_sqlite_commands() -> list[list[str]]:
    return [shlex.split(line) for line in README.splitlines() if line.startswith("sqlite3 ")]


@pytest.fixture
def filled(tmp_path: Path, seeds_dir: Path) -> Engine:
    engine = make_engine(str(tmp_path / "demo.sqlite"))
    report = run_import(engine, [EXAMPLES, *(seeds_dir / f for f in SEED_FILES)])
    assert report.ok
    return engine


def _shell(args: list[str], db: Path) -> str:
    binary = shutil.which("sqlite3")
    if binary is None:
        if IN_CI:
            pytest.fail("the sqlite3 shell is not installed (.ci/run installs it)")
        pytest.skip("the sqlite3 shell is not installed")
    args = [binary, *(str(db) if a == "demo.sqlite" else a for a in args[1:])]
    proc = subprocess.run(args, capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    return proc.stdout


def test_readme_has_two_sqlite_queries() -> None:
    commands = _readme_sqlite_commands()
    assert len(commands) == 2
    assert all("demo.sqlite" in c for c in commands)


def test_readme_articles_query_in_real_shell(filled: Engine, tmp_path: Path) -> None:
    out = _shell(_readme_sqlite_commands()[0], tmp_path / "demo.sqlite")
    lines = out.splitlines()
    assert lines[0].split() == ["published_on", "outlet", "agency", "headline"]
    with Session(filled) as session:
        articles = list_articles(session, limit=1000)
    assert len(lines) == 2 + len(articles)  # header, rule, one line per article
    # Newest first, as in Python; the seeds show their outlet and agency.
    body = "\n".join(lines[2:])
    positions = [body.index(a.headline[:40]) for a in articles if a.published_on]
    assert positions == sorted(positions)
    seed_line = next(line for line in lines if "Putin tells Xi" in line)
    assert seed_line.startswith("2022-12-30")
    assert "Space Industry and Business News" in seed_line and " AFP " in seed_line


def test_readme_fulltext_query_in_real_shell(filled: Engine, tmp_path: Path) -> None:
    out = _shell(_readme_sqlite_commands()[1], tmp_path / "demo.sqlite")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["id", "headline", "snippet"]
    ids = [int(line.split()[0]) for line in lines[2:]]
    with Session(filled) as session:
        hits = search_articles(session, "battery OR turbine")
    assert ids and sorted(ids) == sorted(h.article.id for h in hits)
    assert "[battery]" in out.lower() or "[turbine]" in out.lower()


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"newsdb {name}" in README, name
