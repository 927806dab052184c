"""The command line, through click's runner, on real SQLite files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsdb.cli import cli
from newsdb.errors import QueryError

from .conftest import REPO, SEED_FILES


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_import_then_lookups(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "cli.sqlite")
    code, out = _run("--db", db, "import", str(seeds_dir))
    assert code == 0, out
    assert "added 3" in out and "skipped 1" in out and "failed 0" in out
    assert "README.md: not an article file (.md)" in out

    code, out = _run("--db", db, "articles", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["published_on"] for r in rows] == ["2023-12-31", "2022-12-30", None]

    code, out = _run("--db", db, "search", "Roscosmos", "--json")
    hits = json.loads(out)
    assert code == 0 and len(hits) == 1 and "[Roscosmos]" in hits[0]["snippet"]

    article_id = rows[0]["id"]
    code, out = _run("--db", db, "article", str(article_id), "--json")
    detail = json.loads(out)
    assert code == 0 and detail["agency"] == "AFP" and detail["dateline_place"] == "Beijing"

    code, out = _run("--db", db, "stats", "--json")
    assert code == 0 and json.loads(out)["articles"] == 3

    code, out = _run("--db", db, "articles", "--outlet", "AFP")
    assert code == 0 and "Putin tells Xi" in out and "moon" not in out


def test_import_json_report_and_exit_code(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "good.txt").write_bytes((seeds_dir / SEED_FILES[1]).read_bytes())
    db = str(tmp_path / "cli.sqlite")
    code, out = _run("--db", db, "import", "--json", str(folder))
    report = json.loads(out)
    assert code == 1
    assert report["counts"]["added"] == 1 and report["counts"]["failed"] == 1
    failed = [f for f in report["files"] if f["status"] == "failed"]
    assert failed == [
        {
            "path": str(folder / "empty.txt"),
            "status": "failed",
            "reason": "empty file",
            "article_id": None,
            "warnings": [],
            "locator": None,
        }
    ]


def test_errors_are_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "never-created.sqlite")
    code, out = _run("--db", db, "articles")
    assert code == 1
    assert out.startswith("Error: no newsdb database at") and "Traceback" not in out
    assert not (tmp_path / "never-created.sqlite-wal").exists()

    code, out = _run("--db", str(tmp_path / "missing-folder" / "x.sqlite"), "init")
    assert code == 1 and "folder for the database does not exist" in out


def test_malformed_search_is_one_line(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "cli.sqlite")
    _run("--db", db, "import", str(seeds_dir / SEED_FILES[0]))
    code, out = _run("--db", db, "search", '"unbalanced')
    assert code == 1 and out.startswith("Error: malformed search expression")


def test_db_from_environment(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "env.sqlite"
    result = CliRunner(env={"NEWSDB_URL": str(db)}).invoke(
        cli, ["import", str(seeds_dir / SEED_FILES[1])]
    )
    assert result.exit_code == 0 and db.is_file()


def test_default_database_in_current_folder(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner(env={"NEWSDB_URL": None}).invoke(
        cli, ["import", str(seeds_dir / SEED_FILES[1])]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "newsdb.sqlite").is_file()


def test_import_script_is_the_same_command(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "script.sqlite"
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "import_articles.py"),
            "--db",
            str(db),
            str(seeds_dir / SEED_FILES[2]),
            str(tmp_path / "nope.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "added 1" in proc.stdout and "nope.txt: no such file or folder" in proc.stdout


def test_progress_bar_when_asked(tmp_path: Path, seeds_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "p.sqlite"), "import", "--progress", str(seeds_dir)]
    )
    assert result.exit_code == 0
    # click draws the bar itself only on a terminal; elsewhere it prints the label.
    assert "importing" in result.stderr
    quiet = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "q.sqlite"), "import", "--no-progress", str(seeds_dir)]
    )
    assert quiet.exit_code == 0 and "importing" not in quiet.stderr


def test_init_creates_then_reports_ready(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    code, out = _run("--db", str(db), "init")
    assert code == 0 and db.is_file() and "database ready" in out
    code, out = _run("--db", str(db), "stats", "--json")
    assert code == 0 and json.loads(out)["articles"] == 0


# ---------------------------------------------------------------------------
# Lookups on the generated corpus (tests/query_corpus.py): exact output


@pytest.fixture
def corpus_db(tmp_path: Path) -> str:
    from newsdb.db import make_engine

    from .query_corpus import build_corpus

    db = tmp_path / "corpus.sqlite"
    engine = make_engine(str(db))
    build_corpus(engine)
    engine.dispose()
    return str(db)


def _json(db: str, *args: str) -> Any:
    code, out = _run("--db", db, *args, "--json")
    assert code == 0, out
    return json.loads(out)


def _csv(db: str, *args: str) -> list[dict[str, str]]:
    code, out = _run("--db", db, *args, "--csv")
    assert code == 0, out
    return list(csv.DictReader(io.StringIO(out)))


def test_articles_command_filters(corpus_db: str) -> None:
    rows = _json(corpus_db, "articles", "--person", "lindqvist", "--topic", "trade")
    assert [r["id"] for r in rows] == [2, 11, 1]
    assert rows[0] == {
        "id": 2,
        "published_on": "2026-01-20",
        "outlet": "Northgate Times",
        "section": "News",
        "agency": None,
        "headline": "Ferreira questions tariff plan",
    }
    cited = _json(corpus_db, "articles", "--outlet", "radio calder", "--outlet-role", "cited")
    assert [r["id"] for r in cited] == [7, 4, 1]
    dated = _csv(corpus_db, "articles", "--since", "2026-02-01", "--until", "2026-03-31")
    assert [(r["id"], r["published_on"]) for r in dated] == [
        ("7", "2026-03-15"),
        ("6", "2026-03-02"),
        ("4", "2026-02-14"),
        ("3", "2026-02-03"),
    ]
    assert list(dated[0]) == ["id", "published_on", "outlet", "section", "agency", "headline"]
    paged = _json(corpus_db, "articles", "--limit", "2", "--offset", "1")
    assert [r["id"] for r in paged] == [8, 7]
    code, table = _run("--db", corpus_db, "articles", "--person", "Noor Haddad")
    assert code == 0
    assert table.splitlines()[0].split() == ["id", "date", "outlet", "agency", "headline"]
    assert [line.split()[0] for line in table.splitlines()[2:]] == ["8", "4", "3"]


def test_search_command(corpus_db: str) -> None:
    hits = _json(corpus_db, "search", "telescope", "--person", "Noor Haddad")
    assert [h["article"]["id"] for h in hits] == [3, 4]
    assert "[telescope]" in hits[0]["snippet"].lower()
    rows = _csv(corpus_db, "search", "budget")
    assert [(r["article_id"], r["article_headline"]) for r in rows] == [
        ("6", "Budget vote delayed again")
    ]
    assert "[budget]" in rows[0]["snippet"].lower()


def test_people_and_person_commands(corpus_db: str) -> None:
    people = _json(corpus_db, "people", "--topic", "science", "--limit", "2")
    assert people == [
        {"id": 3, "name": "Noor Haddad", "articles": 2},
        {"id": 1, "name": "Ada Lindqvist", "articles": 1},
    ]
    together = _csv(corpus_db, "people", "--person", "Tomas Ferreira")
    assert together == [
        {"id": "1", "name": "Ada Lindqvist", "articles": "3"},
        {"id": "5", "name": "Haddad", "articles": "1"},
    ]
    named = _json(corpus_db, "people", "--name", "ferr")
    assert [p["name"] for p in named] == ["Tomas Ferreira", "Lucia Ferreira"]

    ada = _json(corpus_db, "person", "A. Lindqvist", "--top", "2")
    assert (ada["name"], ada["articles"], ada["quotes"]) == ("Ada Lindqvist", 7, 3)
    assert ada["aliases"] == ["A. Lindqvist", "Ada Lindqvist", "Lindqvist"]
    assert [p["name"] for p in ada["co_mentions"]] == ["Tomas Ferreira", "Karl Haddad"]
    assert [a["id"] for a in ada["recent"]] == [10, 6]
    row = _csv(corpus_db, "person", "#1", "--top", "2", "--since", "2026-02-01")
    assert len(row) == 1
    assert (row[0]["name"], row[0]["articles"], row[0]["first_date"]) == (
        "Ada Lindqvist",
        "3",
        "2026-02-14",
    )
    assert row[0]["co_mentions"] == "Karl Haddad (1); Lucia Ferreira (1)"
    code, text = _run("--db", corpus_db, "person", "lindqvist")
    assert code == 0 and text.startswith("Ada Lindqvist\n=============\n")
    assert "mentioned with: Tomas Ferreira (3), Karl Haddad (1)" in text


def test_quotes_topics_timeline_outlets_stats(corpus_db: str) -> None:
    quotes = _json(corpus_db, "quotes", "--person", "Lindqvist", "--matching", "harbour")
    assert [(q["article_id"], q["speaker"]) for q in quotes] == [
        (2, "Ada Lindqvist"),
        (1, "Ada Lindqvist"),
    ]
    assert quotes[0]["text"] == "The tariff plan protects our harbour jobs"
    topics = _csv(corpus_db, "topics", "--person", "Ada Lindqvist")
    assert [(t["slug"], t["parent"], t["articles"]) for t in topics] == [
        ("diplomacy", "politics", "3"),
        ("economy", "", "3"),
        ("trade", "economy", "3"),
        ("science", "", "1"),
    ]
    weeks = _json(corpus_db, "timeline", "--person", "Tomas Ferreira", "--by", "week", "--no-fill")
    assert weeks == [
        {"period": "2026-01-05", "articles": 1},
        {"period": "2026-01-19", "articles": 1},
        {"period": "2026-03-02", "articles": 1},
        {"period": "2026-03-09", "articles": 1},
    ]
    months = _csv(corpus_db, "timeline", "--search", "telescope")
    assert months == [
        {"period": "2026-02-01", "articles": "2"},
        {"period": "2026-03-01", "articles": "0"},
        {"period": "2026-04-01", "articles": "1"},
    ]
    code, bars = _run("--db", corpus_db, "timeline", "--topic", "science")
    assert code == 0 and bars.splitlines()[-1].split() == ["2026-04-01", "2", "#" * 40]
    outlets = _json(corpus_db, "outlets")
    assert [(o["name"], o["published"], o["as_agency"], o["cited"]) for o in outlets][:3] == [
        ("The Harbour Courier", 5, 0, 1),
        ("Northgate Times", 4, 0, 1),
        ("Wirepoint", 0, 3, 1),
    ]
    cited = _csv(corpus_db, "outlets", "--cited", "--outlet", "Northgate Times")
    assert [(o["name"], o["articles"]) for o in cited] == [
        ("Radio Calder", "2"),
        ("Lakeside Gazette", "1"),
        ("The Harbour Courier", "1"),
    ]
    credited = _json(corpus_db, "outlets", "--cited", "--credited", "--limit", "1")
    assert [(o["name"], o["articles"]) for o in credited] == [("Wirepoint", 4)]
    stats = _json(corpus_db, "stats")
    assert (stats["articles"], stats["older_versions"], stats["quotes"]) == (10, 1, 10)
    assert _csv(corpus_db, "stats")[0]["last_date"] == "2026-04-20"


def test_article_command(corpus_db: str) -> None:
    detail = _json(corpus_db, "article", "6")
    assert detail["headline"] == "Budget vote delayed again"
    assert [(v["id"], v["is_latest"]) for v in detail["versions"]] == [(5, False), (6, True)]
    assert [p["name"] for p in detail["people"]] == ["Tomas Ferreira", "Ada Lindqvist"]
    row = _csv(corpus_db, "article", "1")[0]
    assert row["outlets"] == "The Harbour Courier; Wirepoint; Radio Calder"
    assert row["topics"] == "Trade; Diplomacy"
    assert (row["story_label"], row["story_articles"]) == (
        "Harbour trade talks",
        "Lindqvist and Haddad meet in Calder",
    )
    code, text = _run("--db", corpus_db, "article", "1")
    assert code == 0
    assert "cited: Radio Calder" in text and "people: Ada Lindqvist (trade minister)" in text
    assert "story: Harbour trade talks (#4)" in text


def test_export_command(corpus_db: str, tmp_path: Path) -> None:
    code, out = _run("--db", corpus_db, "export", "--topic", "science")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [a["id"] for a in lines] == [3, 8, 10]
    assert lines[1]["people"] == [
        {"name": "Karl Haddad", "role": "council chair", "mentions": 2},
        {"name": "Noor Haddad", "role": None, "mentions": 2},
    ]
    assert lines[1]["topics"] == ["science", "politics"] and lines[1]["body"].startswith("Karl")
    target = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli,
        ["--db", corpus_db, "export", "--format", "csv", "--no-body", "-o", str(target)],
    )
    assert result.exit_code == 0 and "exported 10 articles" in result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "6", "7", "8", "9", "10", "11"]
    assert rows[0]["people"] == "Ada Lindqvist (trade minister); Tomas Ferreira"
    assert rows[0]["topics"] == "trade; diplomacy" and "body" not in rows[0]
    code, out = _run("--db", corpus_db, "export", "--csv", "--person", "Lucia Ferreira")
    exported = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["id"] for r in exported] == ["10"]
    assert exported[0]["body"].startswith("Ada Lindqvist visited the observatory")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["articles", "--person", "Ferreira"], "Error: 'Ferreira' may be any of several people: "),
        (["search", '"unbalanced'], "Error: malformed search expression '\"unbalanced'"),
        (["timeline", "--search", "AND OR"], "Error: malformed search expression 'AND OR'"),
        (["person", "Nobody Known"], "Error: no person known as 'Nobody Known'"),
        (["article", "999"], "Error: no article with id 999"),
        (["articles", "--since", "2026-05-01", "--until", "2026-01-01"], "Error: since"),
    ],
)
def test_lookup_errors_are_one_line(corpus_db: str, args: list[str], message: str) -> None:
    code, out = _run("--db", corpus_db, *args)
    assert code == 1 and out.startswith(message), out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out


def test_traceback_option_and_usage_errors(corpus_db: str) -> None:
    result = CliRunner().invoke(cli, ["--db", corpus_db, "--traceback", "person", "Ferreira"])
    assert result.exit_code == 1 and isinstance(result.exception, QueryError)
    code, out = _run("--db", corpus_db, "people", "--json", "--csv")
    assert code == 2 and "--json and --csv cannot be used together" in out
    code, out = _run("--db", corpus_db, "articles", "--since", "May")
    assert code == 2 and "'May' is not a date (use YYYY-MM-DD)" in out


def test_every_lookup_has_json_and_csv() -> None:
    lookups = {"search", "articles", "people", "person", "quotes", "topics", "timeline"}
    lookups |= {"outlets", "stats", "article", "export"}
    for name in lookups:
        options = {o for p in cli.commands[name].params for o in p.opts}
        assert {"--json", "--csv"} <= options, name
