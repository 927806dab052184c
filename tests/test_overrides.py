"""Sidecar files and manifest CSVs supply or override fields; field methods say so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from newsdb.errors import ParseError
from newsdb.importer import FileStatus, run_import
from newsdb.models import Article, Outlet

PAGE = """The Lantern Mill reopens after a decade of silence

Crowds gathered on Saturday as the restored lantern mill at Carrow Bend turned again for the
first time in ten years, its wheel driven by the same stream that powered it a century ago.

The restoration trust spent four winters replacing the timber frame and the millstones, and
volunteers rebuilt the sluice gates by hand from drawings found in the parish archive.

"We wanted people to hear it working, not just to look at it behind glass," said Ottoline
Farquar, who chairs the trust, as the first sacks of flour were carried out to the yard.

The mill will open to visitors every weekend until the end of October, and the trust plans a
small bakery in the old granary once the building work on the roof is finished next spring.
"""


def _article(engine: Engine, name: str) -> Article:
    with Session(engine) as session:
        article = session.scalars(select(Article).where(Article.source_path.like(f"%{name}"))).one()
        session.expunge(article)
        return article


def _outlet_name(engine: Engine, article: Article) -> str | None:
    with Session(engine) as session:
        return session.scalar(select(Outlet.name).where(Outlet.id == article.outlet_id))


def test_sidecar_sets_fields_and_methods(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "in" / "mill.txt"
    page.parent.mkdir()
    page.write_text(PAGE, encoding="utf-8")
    (page.parent / "mill.txt.meta.json").write_text(
        json.dumps(
            {
                "url": "https://carrowbend.example/mill",
                "Outlet": "Carrow Bend Chronicle",
                "date": "2026-05-09",
                "section": "Heritage",
            }
        ),
        encoding="utf-8",
    )
    report = run_import(engine, [tmp_path / "in"], keep_results=True)
    assert report.ok
    # The sidecar is read with its page, not imported as a JSON article.
    assert [r.status for r in report.results] == [FileStatus.ADDED]
    article = _article(engine, "mill.txt")
    assert article.url == "https://carrowbend.example/mill"
    assert article.published_on == dt.date(2026, 5, 9)
    assert article.section == "Heritage"
    assert _outlet_name(engine, article) == "Carrow Bend Chronicle"
    methods = json.loads(article.field_methods or "{}")
    for name in ("url", "outlet", "published_on", "section"):
        assert methods[name] == "override", name
    assert methods.get("headline") != "override"
    assert article.headline == "The Lantern Mill reopens after a decade of silence"


def test_manifest_fills_fields_and_sidecar_wins(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(PAGE.replace("ten years", f"ten years ({name})"), "utf-8")
    (folder / "b.txt.meta.json").write_text('{"outlet": "The Sidecar Herald"}', "utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,outlet,date,author\n"
        "in/a.txt,Manifest Weekly,2026-04-01,Perpetua Vane\n"
        "in/b.txt,Manifest Weekly,2026-04-02,\n",
        encoding="utf-8",
    )
    assert run_import(engine, [folder], manifests=[manifest]).ok
    a, b = _article(engine, "a.txt"), _article(engine, "b.txt")
    assert _outlet_name(engine, a) == "Manifest Weekly"
    assert a.byline == "Perpetua Vane"
    assert a.published_on == dt.date(2026, 4, 1)
    assert _outlet_name(engine, b) == "The Sidecar Herald"  # the sidecar beats the manifest
    assert b.published_on == dt.date(2026, 4, 2)  # the manifest still gives the date


def test_editing_a_sidecar_updates_the_article(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "mill.txt"
    page.write_text(PAGE, encoding="utf-8")
    side = tmp_path / "mill.txt.meta.json"
    side.write_text('{"date": "2026-05-09"}', "utf-8")
    assert run_import(engine, [page]).counts["added"] == 1
    assert run_import(engine, [page]).counts["unchanged"] == 1
    side.write_text('{"date": "2026-05-10"}', "utf-8")
    assert run_import(engine, [page]).counts["updated"] == 1
    assert _article(engine, "mill.txt").published_on == dt.date(2026, 5, 10)


@pytest.mark.parametrize(
    ("sidecar", "reason"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "must hold one JSON object"),
        ('{"colour": "blue"}', "unknown field 'colour'"),
        ('{"date": "next tuesday-ish"}', "is not a date"),
    ],
)
def test_bad_sidecar_fails_its_file_only(
    engine: Engine, tmp_path: Path, sidecar: str, reason: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(PAGE, encoding="utf-8")
    (folder / "bad.txt").write_text(PAGE.replace("Saturday", "Sunday"), encoding="utf-8")
    (folder / "bad.txt.meta.json").write_text(sidecar, encoding="utf-8")
    report = run_import(engine, [folder])
    assert not report.ok
    [failed] = report.failed
    assert failed.path.name == "bad.txt"
    assert "bad.txt.meta.json" in (failed.reason or "") and reason in (failed.reason or "")
    assert report.counts["added"] == 1
    with Session(engine) as session:
        assert session.scalar(select(Article.source_path)).endswith("good.txt")


def test_orphan_sidecar_is_reported(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "gone.txt.meta.json").write_text('{"outlet": "X"}', "utf-8")
    report = run_import(engine, [tmp_path])
    [failed] = report.failed
    assert "without its file" in (failed.reason or "")


def test_bad_manifest_stops_before_anything_is_written(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "mill.txt"
    page.write_text(PAGE, encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,outlet\nmill.txt,X\n", encoding="utf-8")
    with pytest.raises(ParseError, match="no 'path' column"):
        run_import(engine, [page], manifests=[manifest])
    manifest.write_text("path,date\nmill.txt,someday\n", encoding="utf-8")
    with pytest.raises(ParseError, match="line 2"):
        run_import(engine, [page], manifests=[manifest])
