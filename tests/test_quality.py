"""The data-quality view: which articles lack a date, a person's byline, a standfirst, an end."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newsdb.cli import cli
from newsdb.importer import run_import
from newsdb.query import QUALITY_PROBLEMS, data_quality, quality_counts

PARAGRAPH = (
    "The county water board approved the new reservoir plan on Monday after a long debate "
    "about costs, and the first works on the dam are expected to start next spring."
)


def _record(title: str, **fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "title": title,
        "description": "A short summary of the story for readers in a hurry.",
        "maintext": f"{PARAGRAPH}\n\n{PARAGRAPH.replace('Monday', 'Tuesday')}",
        "authors": ["Imogen Saltash"],
        "date_publish": "2026-02-03 10:00:00",
        "source_domain": "valleyrecord.example",
        "url": f"https://valleyrecord.example/{title.split()[0].lower()}",
    }
    record.update(fields)
    return {k: v for k, v in record.items() if v is not None}


RECORDS = [
    _record("Complete article with everything"),
    _record("Undated article about the reservoir", date_publish=None),
    _record("Wire article credited to an agency only", authors=["Reuters"]),
    _record("Bare article without a summary", description=None),
    _record("Cut article", maintext=f"{PARAGRAPH}\n\nThe board said the costs would be shared by"),
    _record("Teaser article", maintext=f"{PARAGRAPH}\n\nRead the rest of this story in print..."),
]
EXPECTED = {
    "Complete": set(),
    "Undated": {"missing_date"},
    "Wire": {"agency_only_byline"},
    "Bare": {"empty_standfirst"},
    "Cut": {"suspected_truncation"},
    "Teaser": {"suspected_truncation"},
}


@pytest.fixture
def imported(engine: Engine, tmp_path: Path) -> Engine:
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS), encoding="utf-8")
    assert run_import(engine, [path]).counts["added"] == len(RECORDS)
    return engine


def test_each_check_flags_its_article(imported: Engine) -> None:
    with Session(imported) as session:
        items = data_quality(session, limit=None)
        counts = quality_counts(session)
    found = {item.headline.split()[0]: set(item.problems) for item in items}
    assert found == {k: v for k, v in EXPECTED.items() if v}
    assert counts["flagged"] == len(found)
    for problem in QUALITY_PROBLEMS:
        assert counts[problem] == sum(problem in v for v in EXPECTED.values())


def test_problem_filter_and_cli(imported: Engine) -> None:
    with Session(imported) as session:
        only = data_quality(session, problem="suspected_truncation")
    assert {i.headline.split()[0] for i in only} == {"Cut", "Teaser"}
    result = CliRunner().invoke(
        cli, ["--db", imported.url.render_as_string(hide_password=False), "quality", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert {row["headline"].split()[0] for row in json.loads(result.output)} == {
        k for k, v in EXPECTED.items() if v
    }


def test_view_reads_in_the_sqlite3_shell(sqlite_url: str, tmp_path: Path) -> None:
    from newsdb.db import make_engine

    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS), encoding="utf-8")
    engine = make_engine(sqlite_url)
    run_import(engine, [path])
    engine.dispose()
    shell = shutil.which("sqlite3")
    assert shell, "the sqlite3 shell is needed (Debian's sqlite3 package; .ci/run installs it)"
    out = subprocess.run(
        [
            shell,
            "-json",
            sqlite_url.removeprefix("sqlite:///"),
            "SELECT headline, problems FROM article_quality",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = {r["headline"].split()[0]: r["problems"] for r in json.loads(out)}
    assert rows["Undated"] == "missing date"
    assert rows["Wire"] == "agency only byline"
    assert set(rows) == {k for k, v in EXPECTED.items() if v}
