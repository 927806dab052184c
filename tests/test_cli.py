"""The command line, through click's runner, on real SQLite files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdb.cli import cli

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
