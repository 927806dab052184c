"""The importer end to end on real databases: the seeds, idempotence, order, bad input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from newsdb import importer
from newsdb.db import make_engine, upgrade
from newsdb.importer import FileStatus, run_import
from newsdb.models import Article, Outlet

from .conftest import EXAMPLES, SEED_FILES
from .seed_truth import SEED_BODY, SEED_FIELDS, STANDFIRST_000


def _by_file(session: Session) -> dict[str, Article]:
    articles = session.scalars(select(Article)).all()
    return {Path(a.source_path).name: a for a in articles}


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    tables = ["outlets", "articles", "people", "topics", "article_people", "article_topics"]
    with engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2"))]
            for t in tables
        }


def test_seeds_fields(engine: Engine, seeds_dir: Path) -> None:
    report = run_import(engine, [seeds_dir])
    # The folder's README.md is not an article: skipped, not failed.
    assert report.counts["added"] == 3
    assert report.counts["failed"] == 0
    assert [r.path.name for r in report.results if r.status is FileStatus.SKIPPED] == ["README.md"]
    with Session(engine) as session:
        found = _by_file(session)
        assert sorted(found) == sorted(SEED_FIELDS)
        for name, expected in SEED_FIELDS.items():
            a = found[name]
            got = {
                "headline": a.headline,
                "outlet": a.outlet.name if a.outlet else None,
                "section": a.section,
                "byline": a.byline,
                "agency": a.agency.name if a.agency else None,
                "dateline_place": a.dateline_place,
                "published_on": a.published_on,
            }
            assert got == expected, name
            assert a.content_sha256 and a.importer_version and a.imported_at
            assert a.source_format == "text"


def test_seed_bodies(engine: Engine, seeds_dir: Path) -> None:
    run_import(engine, [seeds_dir / f for f in SEED_FILES])
    with Session(engine) as session:
        found = _by_file(session)
    assert found[SEED_FILES[0]].standfirst == STANDFIRST_000
    for name, (begins, ends, absent) in SEED_BODY.items():
        a = found[name]
        assert a.body.startswith(begins), name
        assert a.body.endswith(ends), name
        for junk in [*absent, a.headline]:
            assert junk not in a.body, (name, junk)
        # Paragraphs are separated by exactly one blank line.
        assert "\n\n\n" not in a.body and a.body == a.body.strip()


def test_seed_outlets_are_shared(engine: Engine, seeds_dir: Path) -> None:
    run_import(engine, [seeds_dir / f for f in SEED_FILES])
    with Session(engine) as session:
        outlets = session.scalars(select(Outlet).order_by(Outlet.name)).all()
        assert [(o.name, o.kind) for o in outlets] == [
            ("AFP", "agency"),
            ("ANSA", "agency"),
            ("CCTV", "broadcaster"),
            ("Interfax", "agency"),
            ("RIA Novosti", "agency"),
            ("Rossiya-24", "broadcaster"),
            ("Space Industry and Business News", "publisher"),
            ("TASS", "agency"),
        ]
        found = _by_file(session)
        a1, a4 = found[SEED_FILES[1]], found[SEED_FILES[2]]
        assert a1.agency_id == a4.agency_id is not None
        assert a1.outlet_id == a4.outlet_id is not None


def test_reimport_changes_nothing(engine: Engine, seeds_dir: Path) -> None:
    run_import(engine, [seeds_dir])
    before = _snapshot(engine)
    report = run_import(engine, [seeds_dir])
    assert report.counts["unchanged"] == 3 and report.counts["added"] == 0
    assert _snapshot(engine) == before


def test_import_order_does_not_matter(tmp_path: Path, seeds_dir: Path) -> None:
    from newsdb.db import make_engine

    def content(order: list[str], name: str) -> tuple[Any, ...]:
        eng = make_engine(str(tmp_path / f"{name}.sqlite"))
        for f in order:
            run_import(eng, [seeds_dir / f])
        with Session(eng) as session:
            rows = sorted(
                (
                    a.content_sha256,
                    a.headline,
                    a.standfirst,
                    a.body,
                    a.section,
                    a.byline,
                    a.dateline_place,
                    a.published_on,
                    a.outlet.name if a.outlet else None,
                    a.agency.name if a.agency else None,
                )
                for a in session.scalars(select(Article))
            )
            outlets = sorted((o.key, o.name, o.kind) for o in session.scalars(select(Outlet)))
        eng.dispose()
        return rows, outlets

    assert content(SEED_FILES, "forward") == content(SEED_FILES[::-1], "backward")


CP1252_PAGE = (
    "The Harbour Gazette\n\n"
    "Café owners in Port Alvin brace for a quieter winter\n\n"
    "By Noémie Ardent\n\n"
    "Owners of the small cafés along the harbour front said on Monday that bookings for the"
    " winter season had fallen by almost a third, blaming the closure of the ferry route.\n\n"
    "“We have never seen the terrace this empty in November,” said one owner, who has run"
    " the Café du Môle for twenty years. “Even the regulars are staying at home.”\n\n"
    "The town council promised a decision on a replacement ferry before the end of the month,"
    " and said it would look at lowering the fees it charges for terraces.\n"
)


def _bad_folder(root: Path, seeds: Path) -> dict[str, Path]:
    root.mkdir()
    for f in SEED_FILES[1:]:
        shutil.copy(seeds / f, root / f)
    bad = {
        "empty": root / "empty.txt",
        "binary": root / "binary.txt",
        "dangling": root / "dangling.txt",
        "unreadable": root / "unreadable.txt",
    }
    bad["empty"].write_bytes(b"")
    bad["binary"].write_bytes(bytes(range(256)) * 40)
    bad["dangling"].symlink_to(root / "does-not-exist.txt")
    bad["unreadable"].write_text(
        "Locked page\n\nThis page cannot be read by anyone at all today.\n"
    )
    bad["unreadable"].chmod(0)
    (root / "cp1252.txt").write_bytes(CP1252_PAGE.encode("cp1252"))
    return bad


def test_bad_input_is_reported_and_good_files_imported(
    engine: Engine, tmp_path: Path, seeds_dir: Path
) -> None:
    bad = _bad_folder(tmp_path / "inbox", seeds_dir)
    root_can_read_anything = os.geteuid() == 0
    report = run_import(engine, [tmp_path / "inbox"])
    failed = {r.path.name: r.reason for r in report.failed}
    assert failed["empty.txt"] == "empty file"
    assert failed["binary.txt"] is not None and "binary" in failed["binary.txt"]
    assert failed["dangling.txt"] == "broken symbolic link"
    if not root_can_read_anything:
        assert failed["unreadable.txt"] == "permission denied"
    assert not report.ok
    # The good pages, and the cp1252 page decoded with a warning, are stored.
    by_name = {r.path.name: r for r in report.results}
    assert by_name["cp1252.txt"].status is FileStatus.ADDED
    assert any("cp1252" in w or "1252" in w for w in by_name["cp1252.txt"].warnings)
    with Session(engine) as session:
        found = _by_file(session)
        assert {SEED_FILES[1], SEED_FILES[2], "cp1252.txt"} <= set(found)
        cafe = found["cp1252.txt"]
        assert cafe.headline == "Café owners in Port Alvin brace for a quieter winter"
        assert "“We have never seen the terrace this empty in November,”" in cafe.body
        # Nothing from a failed file is in the database.
        stored = {Path(p).name for p in session.scalars(select(Article.source_path))}
        assert not stored & {"empty.txt", "binary.txt", "dangling.txt"}
    bad["unreadable"].chmod(0o644)


def test_changed_file_updates_and_copy_is_duplicate(
    engine: Engine, tmp_path: Path, seeds_dir: Path
) -> None:
    page = tmp_path / "page.txt"
    shutil.copy(seeds_dir / SEED_FILES[1], page)
    assert run_import(engine, [page]).counts["added"] == 1
    page.write_text(
        page.read_text(encoding="utf-8").replace("Friday", "Thursday"), encoding="utf-8"
    )
    assert run_import(engine, [page]).counts["updated"] == 1
    copy = tmp_path / "copy.txt"
    shutil.copy(page, copy)
    assert run_import(engine, [copy]).counts["duplicate"] == 1
    with Session(engine) as session:
        articles = session.scalars(select(Article)).all()
        assert len(articles) == 1
        assert "Thursday" in articles[0].body and "Friday" not in articles[0].body


def test_dates_work_with_sqlite_date_functions(sqlite_url: str, seeds_dir: Path) -> None:
    from newsdb.db import make_engine

    eng = make_engine(sqlite_url)
    run_import(eng, [seeds_dir / f for f in SEED_FILES])
    with eng.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT strftime('%Y-%m', published_on), date(published_on, '+1 day')"
                " FROM articles WHERE published_on IS NOT NULL ORDER BY published_on"
            )
        ).all()
    eng.dispose()
    assert [tuple(r) for r in rows] == [("2022-12", "2022-12-31"), ("2023-12", "2024-01-01")]


def test_insert_rows_stores_what_core_stores(engine: Engine) -> None:
    """The writer's fast path for link rows stores the same values as SQLAlchemy Core."""
    import datetime as dt

    from sqlalchemy import (
        Boolean,
        Column,
        Date,
        DateTime,
        Float,
        Integer,
        MetaData,
        String,
        Table,
        insert,
    )

    from newsdb.store import insert_rows

    meta = MetaData()
    tables = [
        Table(
            name,
            meta,
            Column("id", Integer, primary_key=True),
            Column("day", Date),
            Column("score", Float),
            Column("label", String(40)),
            Column("flag", Boolean),
            Column("n", Integer, default=1),
            Column("at", DateTime(timezone=True)),
        )
        for name in ("via_core", "via_rows")
    ]
    east = dt.timezone(dt.timedelta(hours=2))
    rows = [
        {"id": 1, "day": dt.date(2026, 3, 9), "score": 0.25, "label": "Zoë", "flag": True, "n": 3},
        {"id": 2, "day": None, "score": None, "label": None, "flag": None, "n": 1},
        {"id": 3, "day": dt.date(999, 1, 2), "score": 1e-9, "label": "", "flag": False, "n": 0},
        # What a text COPY must escape: tabs, line breaks, backslashes, "\N".
        {"id": 4, "day": None, "score": -0.0, "label": "a\tb\nc\\d \\N\r", "flag": True, "n": 2},
    ]
    times = [
        dt.datetime(2026, 3, 9, 14, 5, 7, 120, tzinfo=dt.UTC),
        None,
        dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=east),
        dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    ]
    rows = [{**row, "at": at} for row, at in zip(rows, times, strict=True)]
    meta.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(insert(tables[0]), rows)
            insert_rows(conn, tables[1], rows)
            stored = [conn.execute(select(t).order_by(t.c.id)).all() for t in tables]
            raw = [
                conn.execute(
                    text(f"SELECT CAST(day AS TEXT), CAST(at AS TEXT) FROM {t.name} ORDER BY id")
                ).all()
                for t in tables
            ]
        assert stored[0] == stored[1] and raw[0] == raw[1]
        assert stored[1][0].day == dt.date(2026, 3, 9)
        assert raw[1][0][1] is not None and raw[1][0][1].startswith("2026-03-09")
        assert stored[1][3].label == "a\tb\nc\\d \\N\r" and stored[1][1].label is None
        # Rows stored this way go when their transaction is rolled back.
        with pytest.raises(RuntimeError), engine.begin() as conn:
            insert_rows(
                conn,
                tables[1],
                [{"id": 6, "day": None, "score": 0.0, "label": "y", "n": 1, "at": None}],
            )
            raise RuntimeError
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(tables[1])).scalar_one() == 4
        with engine.begin() as conn, pytest.raises(ValueError, match="via_rows.n"):
            insert_rows(
                conn, tables[1], [{"id": 5, "day": None, "score": 0.0, "label": "x", "at": None}]
            )
    finally:
        meta.drop_all(engine)


def _vacuums(url: str) -> int:
    eng = make_engine(url)
    try:
        with eng.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT vacuum_count FROM pg_stat_user_tables"
                        " WHERE schemaname = current_schema() AND relname = 'articles'"
                    )
                ).scalar_one()
            )
    finally:
        eng.dispose()


def test_a_bulk_load_into_postgresql_ends_with_a_vacuum(
    pg_url: str, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that wrote enough of the table vacuums it; a small one on top does not."""
    monkeypatch.setattr(importer, "VACUUM_MIN_ARTICLES", 3)
    monkeypatch.setattr(importer, "VACUUM_MIN_SHARE", 0.5)
    eng = make_engine(pg_url)
    try:
        first = run_import(eng, [EXAMPLES])
        assert first.counts["added"] == len(list(EXAMPLES.glob("*.txt")))
        assert "vacuum" in first.timings
        assert _vacuums(pg_url) == 1
        # What the vacuum is for: the new rows' pages are all-visible (index-only scans).
        with eng.connect() as conn:
            pages, visible = conn.execute(
                text(
                    "SELECT relpages, relallvisible FROM pg_class WHERE oid = 'articles'::regclass"
                )
            ).one()
        assert pages > 0 and visible == pages
        # Three articles on top of eight: under half of what the table holds.
        second = run_import(eng, [seeds_dir])
        assert second.counts["added"] == 3
        assert "vacuum" not in second.timings
        assert _vacuums(pg_url) == 1
        # An import of fewer articles than the minimum never vacuums, whatever it adds to.
        assert not importer.vacuum_after_bulk_load(eng, 2)
    finally:
        eng.dispose()


def test_no_vacuum_on_sqlite(sqlite_url: str) -> None:
    eng = make_engine(sqlite_url)
    try:
        upgrade(eng)
        assert not importer.vacuum_after_bulk_load(eng, 1_000_000)
    finally:
        eng.dispose()
