"""The bulk import end to end: people identity, versions, stories, runs, retries, workers.

Everything runs on real databases (SQLite and PostgreSQL) through
:func:`newsdb.importer.run_import` or the writer itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from newsdb.db import upgrade
from newsdb.enrich._records import PersonMention
from newsdb.enrich.topics import load_taxonomy
from newsdb.errors import ParseError
from newsdb.importer import FileStatus, failed_paths, run_import
from newsdb.parsers.base import ParsedArticle
from newsdb.pipeline import Prepared
from newsdb.writer import BatchWriter

from .conftest import SEED_FILES, assert_person_names_counted
from .corpus import OTHER, WIRE, text_page, write


def content(engine: Engine) -> dict[str, Any]:
    """Everything import stored, keyed by names and file names, never by row ids."""
    with engine.connect() as conn:
        q = lambda sql: [tuple(r) for r in conn.execute(text(sql))]  # noqa: E731
        name = (
            "substr(a.source_path,"
            " length(rtrim(a.source_path, replace(a.source_path, '/', ''))) + 1)"
        )
        return {
            "people": sorted(q("SELECT name, ambiguous FROM people")),
            "aliases": sorted(
                q(
                    "SELECT p.name, pa.alias FROM person_aliases pa"
                    " JOIN people p ON p.id = pa.person_id"
                )
            ),
            "mentions": sorted(
                q(
                    f"SELECT {name}, coalesce(a.source_locator, ''), p.name, ap.mention_count,"
                    " ap.first_offset, coalesce(ap.role, ''), ap.mentioned_as"
                    " FROM article_people ap JOIN people p ON p.id = ap.person_id"
                    " JOIN articles a ON a.id = ap.article_id"
                )
            ),
            "quotes": sorted(
                q(
                    f"SELECT {name}, qu.text, coalesce(qu.speaker, ''), coalesce(p.name, ''),"
                    " coalesce(o.name, ''), coalesce(qu.cue, ''), qu.start_offset FROM quotes qu"
                    " JOIN articles a ON a.id = qu.article_id"
                    " LEFT JOIN people p ON p.id = qu.person_id"
                    " LEFT JOIN outlets o ON o.id = qu.outlet_id"
                )
            ),
            "outlets": sorted(
                q(
                    f"SELECT {name}, o.name, o.kind, ao.role FROM article_outlets ao"
                    " JOIN outlets o ON o.id = ao.outlet_id JOIN articles a ON a.id = ao.article_id"
                )
            ),
            "topics": sorted(
                q(
                    f"SELECT {name}, t.slug, at.score FROM article_topics at"
                    " JOIN topics t ON t.id = at.topic_id JOIN articles a ON a.id = at.article_id"
                )
            ),
            "articles": sorted(
                q(
                    f"SELECT {name}, headline, body, version, is_latest, content_sha256"
                    " FROM articles a"
                )
            ),
        }


def people_of(engine: Engine) -> dict[str, set[str]]:
    by_file: dict[str, set[str]] = {}
    for file, _loc, person, *_ in content(engine)["mentions"]:
        by_file.setdefault(file, set()).add(person)
    return by_file


# -- the seeds -------------------------------------------------------------


def test_seed_people_quotes_and_cited_outlets(engine: Engine, seeds_dir: Path) -> None:
    run_import(engine, [seeds_dir / f for f in SEED_FILES])
    got = content(engine)
    assert people_of(engine) == {
        SEED_FILES[0]: {"Vladimir Putin", "Xi Jinping", "Yuri Borisov", "Dmitri Medvedev"},
        SEED_FILES[1]: {"Vladimir Putin", "Xi Jinping"},
        SEED_FILES[2]: {"Xi Jinping", "Vladimir Putin", "Mikhail Mishustin"},
    }
    names = [n for n, _ in got["people"]]
    assert names.count("Vladimir Putin") == 1 and names.count("Xi Jinping") == 1
    roles = {(f, p): r for f, _l, p, _c, _o, r, _m in got["mentions"]}
    assert roles[(SEED_FILES[0], "Yuri Borisov")] in ("president of Roscosmos", "head of Roscosmos")
    assert roles[(SEED_FILES[0], "Dmitri Medvedev")] == "number two of the Russian Security Council"
    assert roles[(SEED_FILES[2], "Mikhail Mishustin")] == "Russian Prime Minister"
    aliases = {a for p, a in got["aliases"] if p == "Vladimir Putin"}
    assert {"Vladimir Putin", "Putin"} <= aliases
    said = [(f, t, person or outlet) for f, t, _s, person, outlet, _c, _o in got["quotes"]]

    def quoted(file: str, start: str, speaker: str) -> bool:
        return any(f == file and t.startswith(start) and w == speaker for f, t, w in said)

    assert quoted(SEED_FILES[1], "We aim to strengthen cooperation between", "Vladimir Putin")
    assert quoted(SEED_FILES[1], "We are ready to ramp up strategic cooperation", "Xi Jinping")
    assert quoted(SEED_FILES[1], "China is ready to work with Russia and all", "CCTV")
    assert quoted(SEED_FILES[2], "In the face of changes unseen in a century", "Xi Jinping")
    assert quoted(SEED_FILES[0], "An agreement to work together in this field", "Yuri Borisov")
    cited = {(f, o) for f, o, _k, role in got["outlets"] if role == "cited"}
    assert {
        (SEED_FILES[0], o) for o in ("TASS", "Interfax", "ANSA", "RIA Novosti", "CCTV")
    } <= cited
    assert (SEED_FILES[1], "CCTV") in cited and (SEED_FILES[2], "CCTV") in cited


def test_seed_rows_do_not_depend_on_import_order(sqlite_url: str, seeds_dir: Path) -> None:
    from newsdb.db import make_engine

    snapshots = []
    for i, order in enumerate(itertools.permutations(SEED_FILES)):
        eng = make_engine(sqlite_url.replace("test.sqlite", f"order{i}.sqlite"))
        for f in order:  # one run per file: the later ones must merge with the earlier
            run_import(eng, [seeds_dir / f])
        snapshots.append(content(eng))
        assert_person_names_counted(eng)
        eng.dispose()
    for snap in snapshots[1:]:
        assert snap == snapshots[0]


def test_reimport_and_workers_change_nothing(db_url: str, seeds_dir: Path, tmp_path: Path) -> None:
    from newsdb.db import make_engine

    corpus = tmp_path / "corpus"
    for i, para in enumerate(WIRE):
        write(
            corpus / f"p{i}.txt",
            text_page(
                outlet=f"Outlet {i}",
                headline=f"Velmora metro story number {i} takes shape",
                paragraphs=[para, *OTHER],
                seed=i,
            ),
        )
    paths = [seeds_dir, corpus]
    eng = make_engine(db_url)
    first = run_import(eng, paths, jobs=1)
    assert first.ok
    once = content(eng)
    again = run_import(eng, paths, jobs=2)
    assert again.counts["added"] == 0 and again.counts["unchanged"] == first.counts["added"]
    assert content(eng) == once
    assert_person_names_counted(eng)
    eng.dispose()


def test_workers_give_the_same_rows_as_one_process(tmp_path: Path, seeds_dir: Path) -> None:
    from newsdb.db import make_engine

    one = make_engine(f"sqlite:///{tmp_path / 'one.sqlite'}")
    two = make_engine(f"sqlite:///{tmp_path / 'two.sqlite'}")
    run_import(one, [seeds_dir], jobs=1)
    run_import(two, [seeds_dir], jobs=2)
    assert content(one) == content(two)


def test_outcomes_survive_the_trip_to_the_writer(seeds_dir: Path) -> None:
    """What a worker sends (pickled) is what the writer gets, every field of every record."""
    import dataclasses
    import pickle

    from newsdb.pipeline import prepare_file

    tax = load_taxonomy()
    for path in SEED_FILES:
        outcome = prepare_file(seeds_dir / path, tax, frozenset())
        assert outcome.records and outcome.records[0].people and outcome.records[0].quotes
        back = pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == outcome
        assert type(back.records[0].people[0]) is type(outcome.records[0].people[0])
        assert dataclasses.asdict(back) == dataclasses.asdict(outcome)


def test_pickled_by_fields_needs_every_field_in_init() -> None:
    import dataclasses

    from newsdb._pickling import pickled_by_fields

    @dataclasses.dataclass(frozen=True)
    class Hidden:
        a: int
        b: int = dataclasses.field(init=False, default=0)

    with pytest.raises(TypeError, match="every field"):
        pickled_by_fields(Hidden)


# -- identity across articles ---------------------------------------------


def _prepared(sha: str, *names: str) -> Prepared:
    body = " ".join(f"{n} spoke at the harbour meeting on Monday." for n in names)
    return Prepared(
        locator=None,
        sha256=sha * 64,
        article=ParsedArticle(headline=f"Harbour meeting {sha}", body=body),
        people=tuple(PersonMention(n, (n,), 1, body.index(n) + 20, None) for n in names),
    )


BATCHES = {
    "a": _prepared("a", "Halvorsen"),
    "b": _prepared("b", "Ingrid Halvorsen"),
    "c": _prepared("c", "Olav Halvorsen"),
    "d": _prepared("d", "Brandt"),
    "e": _prepared("e", "Tomas Brandt", "Halvorsen"),
}


def _write_batches(engine: Engine, batches: list[list[str]], root: Path) -> dict[str, Any]:
    upgrade(engine)
    with engine.begin() as conn:
        writer = BatchWriter(conn, taxonomy=load_taxonomy())
        for batch in batches:
            writer.write([(root / f"{k}.txt", BATCHES[k]) for k in batch])
    with engine.connect() as conn:
        people = sorted(
            (n, bool(a)) for n, a in conn.execute(text("SELECT name, ambiguous FROM people"))
        )
        links = sorted(
            (a, p)
            for a, p in conn.execute(
                text(
                    "SELECT a.headline, p.name FROM article_people ap"
                    " JOIN people p ON p.id = ap.person_id JOIN articles a ON a.id = ap.article_id"
                )
            )
        )
        aliases = sorted(
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT p.name, pa.alias FROM person_aliases pa"
                    " JOIN people p ON p.id = pa.person_id"
                )
            )
        )
    return {"people": people, "links": links, "aliases": aliases}


def test_short_forms_bind_merge_and_stay_ambiguous(engine: Engine, tmp_path: Path) -> None:
    got = _write_batches(engine, [["a"], ["b"], ["d"], ["c"], ["e"]], tmp_path)
    # "Halvorsen" fits two known people: kept apart, flagged, never guessed.
    # "Brandt" fits one: bound to him, and its row merged away.
    assert got["people"] == [
        ("Halvorsen", True),
        ("Ingrid Halvorsen", False),
        ("Olav Halvorsen", False),
        ("Tomas Brandt", False),
    ]
    assert got["links"] == [
        ("Harbour meeting a", "Halvorsen"),
        ("Harbour meeting b", "Ingrid Halvorsen"),
        ("Harbour meeting c", "Olav Halvorsen"),
        ("Harbour meeting d", "Tomas Brandt"),
        ("Harbour meeting e", "Halvorsen"),
        ("Harbour meeting e", "Tomas Brandt"),
    ]
    assert ("Tomas Brandt", "Brandt") in got["aliases"]


def test_a_short_form_merged_into_a_person_the_article_also_names(
    engine: Engine, tmp_path: Path
) -> None:
    """An article names "Tomas Brandt" and "Brandt" while "Brandt" is ambiguous (there is an
    "Olga Brandt" too): two rows. When Olga's only article is rewritten without her, "Brandt"
    binds to Tomas, and the article's two rows become one; the name counts the writer keeps
    (person_names, checked by the fixture) lose that mention."""
    items = {
        "o": _prepared("o", "Olga Brandt"),
        "t": _prepared("t", "Tomas Brandt", "Brandt"),
        "o2": replace(_prepared("p", "Someone"), people=()),
    }
    upgrade(engine)
    path = {"o": tmp_path / "o.txt", "t": tmp_path / "t.txt", "o2": tmp_path / "o.txt"}
    with engine.begin() as conn:
        writer = BatchWriter(conn, taxonomy=load_taxonomy())
        for key in ("o", "t"):
            writer.write([(path[key], items[key])])
        rows = conn.execute(
            text(
                "SELECT count(*) FROM article_people ap JOIN articles a ON a.id = ap.article_id"
                " WHERE a.headline = 'Harbour meeting t'"
            )
        ).scalar_one()
        assert rows == 2
        (written,) = writer.write([(path["o2"], items["o2"])])
        assert written.status == "updated"
    with engine.connect() as conn:
        links = sorted(
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT a.headline, p.name, ap.mention_count FROM article_people ap"
                    " JOIN people p ON p.id = ap.person_id JOIN articles a ON a.id = ap.article_id"
                )
            )
        )
    assert links == [("Harbour meeting t", "Tomas Brandt", 2)]
    # "Brandt" no longer names any mention, nor "Olga Brandt": one name is left, once.
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name, articles FROM person_names")).all()
    assert [tuple(r) for r in names] == [("Tomas Brandt", 1)]
    assert_person_names_counted(engine)


def test_identity_does_not_depend_on_batch_order(sqlite_url: str, tmp_path: Path) -> None:
    from newsdb.db import make_engine

    orders = [
        [["a"], ["b"], ["c"], ["d"], ["e"]],
        [["e"], ["d"], ["c"], ["b"], ["a"]],
        [["c", "a"], ["e", "b", "d"]],
        [["a", "b", "c", "d", "e"]],
        [["d"], ["a"], ["e"], ["c"], ["b"]],
    ]
    results = []
    for i, order in enumerate(orders):
        eng = make_engine(sqlite_url.replace("test.sqlite", f"o{i}.sqlite"))
        results.append(_write_batches(eng, order, tmp_path))
        assert_person_names_counted(eng)
        eng.dispose()
    assert all(r == results[0] for r in results[1:])
    # Once "Olav Halvorsen" leaves nothing else, "Halvorsen" binds to Ingrid.
    eng = make_engine(sqlite_url.replace("test.sqlite", "two.sqlite"))
    got = _write_batches(eng, [["a"], ["b"]], tmp_path)
    assert got["people"] == [("Ingrid Halvorsen", False)]
    eng.dispose()


# -- versions and stories --------------------------------------------------


def test_same_url_with_new_content_is_a_new_version(engine: Engine, tmp_path: Path) -> None:
    page = dict(
        outlet="Velmora Courier",
        headline="Velmora metro tunnels pumped dry",
        paragraphs=WIRE[:3],
        url="https://www.courier.example/metro/pumps?utm_source=feed",
        date=dt.date(2026, 3, 3),
    )
    write(tmp_path / "v1.txt", text_page(**page))  # type: ignore[arg-type]
    page["paragraphs"] = [*WIRE[:3], WIRE[3]]
    page["url"] = "https://courier.example/metro/pumps"
    write(tmp_path / "v2.txt", text_page(**page))  # type: ignore[arg-type]
    report = run_import(engine, [tmp_path / "v1.txt"])
    report = run_import(engine, [tmp_path / "v2.txt"])
    assert report.counts["added"] == 1
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT version, is_latest, url_key, story_id FROM articles ORDER BY version")
        ).all()
    assert [(v, bool(latest)) for v, latest, _k, _s in rows] == [(1, False), (2, True)]
    assert {k for _v, _l, k, _s in rows} == {"https://courier.example/metro/pumps"}
    assert {s for *_, s in rows} == {None}  # versions of one page are not a story
    assert run_import(engine, [tmp_path / "v2.txt"]).counts["unchanged"] == 1


@pytest.mark.parametrize("kept", [256, 1])
def test_syndicated_copies_are_one_story(
    engine: Engine, tmp_path: Path, kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies of one wire story, lightly edited, are one story; another article is not.
    Also with one candidate's shingle set kept at a time (``kept``)."""
    import newsdb.writer

    monkeypatch.setattr(newsdb.writer, "_SHINGLE_SETS_KEPT", kept)
    outlets = [
        "Velmora Courier",
        "Harbour Times",
        "The Northern Post",
        "Riverside Daily",
        "Coastline News",
    ]
    for i, outlet in enumerate(outlets):
        paragraphs = list(WIRE)
        if i % 2:  # light edits: a word changed, the last paragraph cut
            paragraphs[0] = paragraphs[0].replace("Tuesday", "Tuesday morning")
            paragraphs = paragraphs[:-1]
        write(
            tmp_path / f"wire{i}.txt",
            text_page(
                outlet=outlet,
                headline=f"Velmora begins pumping out flooded metro ({outlet})",
                paragraphs=paragraphs,
                byline="Mara Quist, Reuters" if i < 3 else None,
                seed=i,
            ),
        )
    write(
        tmp_path / "other.txt",
        text_page(
            outlet="Harbour Times",
            headline="Assembly votes to raise river barrier",
            paragraphs=OTHER,
            seed=9,
        ),
    )
    report = run_import(engine, [tmp_path], story_threshold=0.5)
    assert report.counts["added"] == 6, report.results
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT source_path, story_id FROM articles")).all()
    stories: dict[Any, set[str]] = {}
    for path, story in rows:
        stories.setdefault(story, set()).add(Path(path).name)
    assert sorted(map(sorted, stories.values())) == [
        ["other.txt"],
        [f"wire{i}.txt" for i in range(5)],
    ]
    assert None in stories and stories[None] == {"other.txt"}


# -- runs, failures and retries ---------------------------------------------


def test_runs_are_recorded_and_failed_files_retried(engine: Engine, tmp_path: Path) -> None:
    good = write(
        tmp_path / "in" / "good.txt",
        text_page(
            outlet="Velmora Courier", headline="Velmora metro tunnels pumped dry", paragraphs=WIRE
        ),
    )
    bad = tmp_path / "in" / "bad.txt"
    bad.write_bytes(b"")
    report = run_import(engine, [tmp_path / "in"])
    # By default the report keeps the outcomes to read (a million added files would not
    # fit in memory), and counts them all.
    assert [(r.path.name, r.status) for r in report.results] == [("bad.txt", FileStatus.FAILED)]
    assert (report.counts["added"], report.counts["failed"], report.files) == (1, 1, 2)
    assert not report.ok
    assert failed_paths(engine) == [bad]
    write(
        bad,
        text_page(
            outlet="Harbour Times",
            headline="Assembly votes to raise river barrier",
            paragraphs=OTHER,
        ),
    )
    retry = run_import(engine, [], retry_failed=True, keep_results=True)
    assert [(r.path.name, r.status) for r in retry.results] == [("bad.txt", FileStatus.ADDED)]
    assert failed_paths(engine) == []
    with engine.connect() as conn:
        runs = conn.execute(
            text("SELECT status, added, failed, paths, options FROM import_runs ORDER BY id")
        ).all()
        files = conn.execute(
            text("SELECT run_id, status, reason FROM import_files ORDER BY id")
        ).all()
    assert [(s, a, f) for s, a, f, _p, _o in runs] == [("failed", 1, 1), ("done", 1, 0)]
    assert json.loads(runs[0][3]) == [str(tmp_path / "in")]
    assert json.loads(runs[1][4])["retry_failed"] is True
    assert [(s, r) for _run, s, r in files] == [
        ("failed", "empty file"),
        ("added", None),
        ("added", None),
    ]
    assert good.exists()


_FTS_TRIGGER_SQL = (
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_fts_ai'"
)


def test_a_file_failing_in_the_database_costs_only_itself(sqlite_url: str, seeds_dir: Path) -> None:
    """A real database error on one file (a trigger that refuses it) rolls back that file alone."""
    from newsdb.db import make_engine

    eng = make_engine(sqlite_url)
    upgrade(eng)
    refused = SEED_FILES[1]  # one file of the batch; the others must be stored
    with eng.begin() as conn:
        fts_trigger = conn.execute(text(_FTS_TRIGGER_SQL)).scalar()
        _refuse_articles_from(conn, refused)
    report = run_import(eng, [seeds_dir / f for f in SEED_FILES])
    statuses = {r.path.name: (r.status, r.reason) for r in report.results}
    failed = [n for n, (s, _r) in statuses.items() if s is FileStatus.FAILED]
    assert failed and all("injected failure" in (statuses[n][1] or "") for n in failed)
    assert failed == [refused]
    with eng.connect() as conn:
        stored = {Path(p).name for (p,) in conn.execute(text("SELECT source_path FROM articles"))}
        links = conn.execute(
            text(
                "SELECT count(*) FROM article_outlets a"
                " LEFT JOIN articles b ON b.id = a.article_id WHERE b.id IS NULL"
            )
        ).scalar()
    assert stored == set(SEED_FILES) - set(failed)
    assert links == 0
    # The writer drops the FTS trigger for its inserts; the rollback of the failed batch
    # must bring it back, and the files stored one by one after it must leave it too.
    with eng.connect() as conn:
        trigger = conn.execute(text(_FTS_TRIGGER_SQL)).scalar()
        indexed = conn.execute(text("SELECT count(*) FROM articles_fts")).scalar()
    assert trigger is not None and "INSERT INTO articles_fts" in trigger
    assert trigger == fts_trigger
    assert indexed == len(stored) == len(SEED_FILES) - 1
    eng.dispose()


def _refuse_articles_from(conn: Any, name: str) -> None:
    """A trigger that makes the database itself refuse the article of file ``name``."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE TRIGGER refuse BEFORE INSERT ON articles"
            f" WHEN new.source_path LIKE '%{name}'"
            " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
        return
    conn.exec_driver_sql(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" IF right(NEW.source_path, {len(name)}) = '{name}'"
        " THEN RAISE EXCEPTION 'injected failure'; END IF;"
        " RETURN NEW; END $$"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER refuse BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION refuse()"
    )


def _flood_reports(folder: Path, n: int) -> list[Path]:
    """``n`` distinct pages of one outlet, p0.txt to p{n-1}.txt."""
    paragraphs = WIRE + OTHER
    return [
        write(
            folder / f"p{i}.txt",
            text_page(
                outlet="The Velmora Courier",
                headline=f"Flood report number {i}: what the city did on day {i}",
                paragraphs=[f"Day {i} of the clean-up. " + p for p in paragraphs[i : i + 4]],
                date=dt.date(2024, 3, 1 + i),
                seed=i,
            ),
        )
        for i in range(n)
    ]


def test_strict_stops_at_a_file_the_database_refuses_after_storing_its_transaction(
    engine: Engine, tmp_path: Path
) -> None:
    """With ``strict``, the replayed transaction is committed without the refused file and the
    run stops there with the file's error: the files before it (and its batch's other file)
    are stored, the files after it are not."""
    _flood_reports(tmp_path / "pages", 7)
    upgrade(engine)
    with engine.begin() as conn:
        _refuse_articles_from(conn, "p4.txt")
    with pytest.raises(ParseError, match="injected failure") as raised:
        run_import(engine, [tmp_path / "pages"], batch_size=2, commit_size=100, strict=True)
    assert raised.value.path is not None and raised.value.path.name == "p4.txt"
    with engine.connect() as conn:
        stored = sorted(
            Path(p).name for (p,) in conn.execute(text("SELECT source_path FROM articles"))
        )
    assert stored == ["p0.txt", "p1.txt", "p2.txt", "p3.txt", "p5.txt"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_batch_is_stored_again_with_the_earlier_batches_of_its_transaction(
    engine: Engine, tmp_path: Path, jobs: int
) -> None:
    """Batches are written without a SAVEPOINT: when one fails, its transaction is rolled
    back and every file of it (earlier batches too) is stored again, each batch in a
    SAVEPOINT. Every other file is then stored once, with its links and search row, each
    outcome is told once, and the refused file is recorded as failed."""
    paths = _flood_reports(tmp_path / "pages", 7)
    refused = "p4.txt"  # in the third batch of two: two stored batches before it are undone
    upgrade(engine)
    with engine.begin() as conn:
        _refuse_articles_from(conn, refused)
    told: list[tuple[str, FileStatus]] = []
    # One transaction for the whole run on both backends (commit_size), batches of two.
    report = run_import(
        engine,
        [tmp_path / "pages"],
        batch_size=2,
        commit_size=100,
        jobs=jobs,
        on_result=lambda r: told.append((r.path.name, r.status)),
    )
    assert sorted(told) == sorted(
        [(p.name, FileStatus.FAILED if p.name == refused else FileStatus.ADDED) for p in paths]
    )
    (failure,) = report.failed
    assert failure.path.name == refused and "injected failure" in (failure.reason or "")
    with engine.connect() as conn:
        stored = sorted(
            Path(p).name for (p,) in conn.execute(text("SELECT source_path FROM articles"))
        )
        recorded = conn.execute(text("SELECT path, status FROM import_files ORDER BY path")).all()
        orphans = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM article_outlets a WHERE NOT EXISTS"
                " (SELECT 1 FROM articles b WHERE b.id = a.article_id))"
                " + (SELECT count(*) FROM article_topics a WHERE NOT EXISTS"
                " (SELECT 1 FROM articles b WHERE b.id = a.article_id))"
            )
        ).scalar()
        outlets = conn.execute(text("SELECT count(*) FROM outlets")).scalar()
        linked = conn.execute(text("SELECT count(*) FROM article_outlets")).scalar()
    assert stored == sorted(p.name for p in paths if p.name != refused)
    assert [(Path(p).name, s) for p, s in recorded] == sorted(
        (p.name, "failed" if p.name == refused else "added") for p in paths
    )
    assert orphans == 0
    assert outlets == 1 and linked == len(stored)  # one publisher link an article, no double
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            indexed = conn.execute(text("SELECT count(*) FROM articles_fts")).scalar()
            trigger = conn.execute(text(_FTS_TRIGGER_SQL)).scalar()
        assert indexed == len(stored) and trigger is not None


def test_the_full_text_trigger_outlives_the_writer(sqlite_url: str, seeds_dir: Path) -> None:
    """The writer inserts its articles with the FTS trigger dropped for the span of the insert,
    and indexes them itself: afterwards the trigger is back as it was, every article is indexed
    once under its own id, and a row another client inserts is indexed by the trigger."""
    import sqlite3

    from newsdb.db import make_engine

    eng = make_engine(sqlite_url)
    upgrade(eng)
    with eng.connect() as conn:
        before = conn.execute(text(_FTS_TRIGGER_SQL)).scalar()
    report = run_import(eng, [seeds_dir / f for f in SEED_FILES], batch_size=2, keep_results=True)
    assert report.counts["added"] == len(SEED_FILES)
    with eng.connect() as conn:
        assert conn.execute(text(_FTS_TRIGGER_SQL)).scalar() == before
        indexed = conn.execute(
            text(
                "SELECT a.id, f.headline = a.headline FROM articles a"
                " JOIN articles_fts f ON f.rowid = a.id ORDER BY a.id"
            )
        ).all()
        ids = [aid for (aid,) in conn.execute(text("SELECT id FROM articles ORDER BY id"))]
        fts_rows = conn.execute(text("SELECT count(*) FROM articles_fts")).scalar()
    assert [aid for aid, _ in indexed] == ids and all(same for _, same in indexed)
    assert fts_rows == len(ids)
    assert sorted(r.article_id for r in report.results) == ids
    eng.dispose()
    raw = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    with raw:
        cols = [r[1] for r in raw.execute("PRAGMA table_info(articles)") if r[1] != "id"]
        kept = ", ".join(c for c in cols if c not in ("body", "content_sha256", "url_key"))
        raw.execute(  # a copy of the first article with another body, by plain SQL
            f"INSERT INTO articles ({kept}, body, content_sha256)"
            f" SELECT {kept}, 'The quarrymen of Zindra voted.', 'f00d' FROM articles WHERE id = 1"
        )
    found = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Zindra'"
    hits = raw.execute(found).fetchall()
    raw.close()
    assert len(hits) == 1


def test_stored_word_counts_are_the_bodies_words(engine: Engine, seeds_dir: Path) -> None:
    """The workers count a body's words for the writer; what is stored is the body's count."""
    report = run_import(engine, [seeds_dir / f for f in SEED_FILES])
    assert report.counts["added"] == len(SEED_FILES)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT body, word_count FROM articles")).all()
    assert len(rows) == len(SEED_FILES)
    assert all(count == len(body.split()) > 100 for body, count in rows)


@pytest.mark.parametrize("bad_json", ['{"title": "x"', '[{"unknown": 1}]'])
def test_bad_records_are_reported_with_the_file(
    engine: Engine, tmp_path: Path, bad_json: str
) -> None:
    write(tmp_path / "feed.json", bad_json)
    report = run_import(engine, [tmp_path / "feed.json"])
    assert not report.ok
    assert all(str(tmp_path / "feed.json") in r.where for r in report.failed)


# -- the worker pool and the story sketch ------------------------------------


def _corpus_paths(root: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        paragraphs = [*WIRE[i % 3 :], *OTHER[: 1 + i % 4]]
        headline = f"Velmora flood story number {i} for the record"
        page = text_page(outlet=f"Outlet {i % 5}", headline=headline, paragraphs=paragraphs, seed=i)
        paths.append(write(root / f"p{i:03d}.txt", page))
    (root / "empty.txt").write_bytes(b"")  # fails
    (root / "notes.md").write_text("not an article file")  # skipped by its suffix
    return [*paths[:20], root / "empty.txt", root / "notes.md", *paths[20:]]


def test_workers_keep_order_and_window(tmp_path: Path) -> None:
    from newsdb.pipeline import iter_outcomes

    paths = _corpus_paths(tmp_path, 45)
    tax = load_taxonomy()
    one = list(iter_outcomes(paths, taxonomy=tax, jobs=1))
    pulled = 0

    def stream() -> Any:
        nonlocal pulled
        for path in paths:
            pulled += 1
            yield path

    window = 12
    two = []
    for outcome in iter_outcomes(stream(), taxonomy=tax, jobs=2, window=window):
        assert pulled - len(two) <= window  # never more files in flight than the window
        two.append(outcome)
    assert [o.path for o in two] == paths
    strip = lambda o: (o.path, o.records, o.problems, o.warnings)  # noqa: E731
    assert [strip(o) for o in two] == [strip(o) for o in one]
    assert [len(o.records) for o in two[19:23]] == [1, 0, 0, 1]
    assert two[20].problems[0].failed and not two[21].problems[0].failed
    assert all(o.records[0].sketch for i, o in enumerate(two) if i not in (20, 21))


@pytest.mark.skipif(not hasattr(os, "nice"), reason="Unix scheduling priority only")
def test_workers_run_at_a_lower_priority_than_the_writer() -> None:
    """The writer, the one stage that cannot run in parallel, gets the CPU first."""
    from concurrent.futures import ProcessPoolExecutor

    from newsdb.pipeline import WORKER_NICENESS, _init_worker

    with ProcessPoolExecutor(1, initializer=_init_worker, initargs=(load_taxonomy(), ())) as pool:
        worker = pool.submit(os.nice, 0).result()
    parent = os.nice(0)
    assert parent < 19, "the test needs a process that can still lower its priority"
    assert worker == min(19, parent + WORKER_NICENESS) > parent


def _reference_shingles(text: str) -> set[int]:
    """The shingle hashes as newsdb.enrich.stories defines them, in plain Python integers."""
    import re

    from newsdb.enrich.stories import SHINGLE, P, Q

    mask = (1 << 64) - 1
    words = re.findall(r"\w+", text.lower())
    values = []
    for word in words:
        value = 0
        for ch in word:
            value = (value * P + ord(ch)) & mask
        values.append(value)
    k = min(SHINGLE, len(words))
    out = set()
    for i in range(len(words) - k + 1 if words else 0):
        x = 0
        for value in values[i : i + k]:
            x = (x * Q + value) & mask
        x ^= x >> 30
        x = (x * 0xBF58476D1CE4E5B9) & mask
        x ^= x >> 27
        x = (x * 0x94D049BB133111EB) & mask
        x ^= x >> 31
        out.add(x >> 32)
    return out


@pytest.mark.parametrize(
    "text",
    [
        " ".join(WIRE),
        # Non-ASCII: multi-byte words, and capitals whose lower case splits a word
        # ("İ" becomes "i" and a combining dot, which \w does not match).
        "Der Bürgermeister von Köln sagte am Dienstag, dass die Straßenbahn wieder fährt. " * 4,
        "İstanbul ve İzmir belediyeleri yeni metro hatları için ortak bir plan açıkladı bugün "
        "ve ΟΔΟΣ Σ ΣΑΣ Ελλάδα Αθήνα ΑΘΗΝΑ ещё Москва МОСКВА 東京 ½ Ⅷ ﬁnal " * 2,
        # Punctuation and symbols beyond ASCII between words, an underscore inside one.
        "“Quoted” words — dashes… and snake_case names; 3.14 ÷ 2 = 1.57 € " * 5,
    ],
)
def test_story_shingles_are_the_documented_hash_of_six_word_windows(text: str) -> None:
    from newsdb.enrich.stories import MIN_WORDS, SKETCH, shingles, sketch

    expected = _reference_shingles(text)
    assert shingles(text) == expected
    assert len(text.split()) >= MIN_WORDS
    assert sketch(text) == tuple(sorted(expected)[:SKETCH])


@pytest.mark.parametrize("words", [0, 1, 5, 6, 7])
def test_story_shingles_of_short_texts(words: int) -> None:
    """Under six words a text is one shingle of all of them; six words make one too."""
    from newsdb.enrich.stories import shingles

    text = " ".join(f"w{i}" for i in range(words))
    assert shingles(text) == _reference_shingles(text)
    assert len(shingles(text)) == (0 if not words else max(1, words - 5))


def test_story_sketch_keeps_distinct_smallest_hashes() -> None:
    """A text repeating itself has few distinct shingles: the sketch lists each once."""
    from newsdb.enrich.stories import sketch

    text = " ".join(["the relay will orbit the moon"] * 10)  # 60 words, 6 distinct shingles
    assert sketch(text) == tuple(sorted(_reference_shingles(text))[:4])
    assert len(set(sketch(text))) == 4


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (set(), set(), 0.0),
        ({1, 2, 3}, set(), 0.0),
        ({1, 2, 3}, {1, 2, 3}, 1.0),
        ({1, 2, 3, 4}, {3, 4, 5, 6, 7, 8}, 2 / 8),
        ({1}, {2}, 0.0),
    ],
)
def test_jaccard_is_shared_over_all(a: set[int], b: set[int], expected: float) -> None:
    from newsdb.enrich.stories import jaccard

    assert jaccard(a, b) == expected == jaccard(b, a)


def test_story_sketch_needs_forty_words_as_written() -> None:
    from newsdb.enrich.stories import sketch

    words = [f"word{i}" for i in range(39)]
    assert sketch(" ".join(words)) == ()
    assert len(sketch(" ".join([*words, "one"]))) == 4
    # 39 words as written; lower-casing "İ" would split one word in two: still no sketch.
    assert sketch(" ".join([*words[:-1], "İstanbul"])) == ()
    assert len(sketch(" ".join([*words, "İstanbul"]))) == 4


def _articles_stats(engine: Engine) -> tuple[int, Any]:
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT n_mod_since_analyze, last_analyze FROM pg_stat_user_tables"
                " WHERE schemaname = current_schema() AND relname = 'articles'"
            )
        ).one()


def test_postgresql_writer_analyses_the_tables_it_grew(
    pg_url: str, seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import newsdb.writer as writer_module
    from newsdb.db import make_engine

    eng = make_engine(pg_url)
    try:
        run_import(eng, [seeds_dir / f for f in SEED_FILES])
        eng.dispose()  # the importing connection ends and hands its table counts in
        for _ in range(100):
            modified, analysed = _articles_stats(eng)
            if modified:
                break
            time.sleep(0.05)
        # Three rows are far below the writer's threshold: nothing was analysed yet.
        assert modified == len(SEED_FILES) and analysed is None
        monkeypatch.setattr(writer_module, "_ANALYZE_ROWS", 0)
        page = text_page(outlet="Harbour Times", headline="River barrier vote", paragraphs=OTHER)
        run_import(eng, [write(tmp_path / "more" / "barrier.txt", page)])
        modified, analysed = _articles_stats(eng)
        # The next batch found the table grown past the (now zero) threshold and analysed it.
        assert analysed is not None
    finally:
        eng.dispose()


def test_the_writer_collects_cycles_once_a_transaction(sqlite_url: str, tmp_path: Path) -> None:
    """No automatic collection in the writer during an import; cyclic garbage made after one
    commit is gone once the next one has committed."""
    import gc
    import weakref

    from newsdb.db import make_engine

    class Node:
        other: Any = None

    paths = [p for p in _corpus_paths(tmp_path / "in", 6) if p.name.startswith("p")]
    refs: list[weakref.ref[Node]] = []
    seen: list[tuple[int, bool, int]] = []  # (results told, collector on, cycles alive)

    def on_result(result: Any) -> None:
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle only the collector frees
        refs.append(weakref.ref(a))
        seen.append((len(refs), gc.isenabled(), sum(r() is not None for r in refs)))

    engine = make_engine(sqlite_url)
    was = gc.isenabled()
    try:
        report = run_import(engine, paths, batch_size=2, commit_size=2, on_result=on_result)
        assert report.counts["added"] == 6 and len(report.transactions) == 3
        assert not any(on for _, on, _ in seen)
        # Transactions of two, results told after each commit: the collection after a
        # commit frees the two cycles made while the previous transaction's results were
        # told, so no more than one transaction's cycles are ever alive.
        assert [alive for _, _, alive in seen] == [1, 2, 1, 2, 1, 2]
        assert gc.isenabled() == was
    finally:
        engine.dispose()


def test_workers_collect_garbage_when_the_writer_does_not() -> None:
    import gc
    from concurrent.futures import ProcessPoolExecutor

    from newsdb.pipeline import _init_worker

    was = gc.isenabled()
    gc.disable()
    try:
        with ProcessPoolExecutor(
            max_workers=1, initializer=_init_worker, initargs=(load_taxonomy(), ())
        ) as pool:
            assert pool.submit(gc.isenabled).result() is True
    finally:
        if was:
            gc.enable()


def test_batches_share_a_transaction_and_results_are_told_once_committed(
    db_url: str, tmp_path: Path
) -> None:
    """Batches of 2 in transactions of 4: a result reaches the callback only when another
    connection already sees it, and a run stopped in the callback keeps what it told."""
    from newsdb.db import make_engine

    paths = [p for p in _corpus_paths(tmp_path / "in", 9) if p.name.startswith("p")]
    engine = make_engine(db_url)
    watcher = make_engine(db_url)
    told: list[tuple[str, bool]] = []

    def on_result(result: Any) -> None:
        with watcher.connect() as conn:
            stored = conn.execute(
                text("SELECT count(*) FROM articles WHERE id = :id"), {"id": result.article_id}
            ).scalar_one()
        told.append((result.status.value, stored == 1))
        if len(told) == 8:
            raise RuntimeError("stopped")

    try:
        with pytest.raises(RuntimeError, match="stopped"):
            run_import(engine, paths, batch_size=2, commit_size=4, on_result=on_result)
        added = [ok for status, ok in told if status == "added"]
        assert len(added) == 8 and all(added), told
        with engine.connect() as conn:
            # Two transactions of four files committed; the ninth file's was never begun.
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar_one() == 8
        report = run_import(engine, paths, batch_size=2, commit_size=4)
        assert report.counts["added"] == 1 and report.counts["unchanged"] == 8
        assert [n for n, _ in report.transactions] == [4, 4, 1]
        again = make_engine(f"sqlite:///{tmp_path / 'again.sqlite'}")
        try:
            whole = run_import(again, paths, batch_size=2, commit_size=4)
            assert [n for n, _ in whole.transactions] == [4, 4, 1]
            assert [n for n, _ in whole.batches] == [2, 2, 2, 2, 1]
        finally:
            again.dispose()
    finally:
        watcher.dispose()
        engine.dispose()


def test_a_transaction_ends_on_time_even_between_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no time allowed, every batch commits alone however large the commit size,
    and the last, partial batch too."""
    import newsdb.importer
    from newsdb.db import make_engine

    paths = [p for p in _corpus_paths(tmp_path / "in", 7) if p.name.startswith("p")]
    monkeypatch.setattr(newsdb.importer, "COMMIT_SECONDS", 0.0)
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        report = run_import(engine, paths, batch_size=2, commit_size=100, jobs=2)
    finally:
        engine.dispose()
    assert report.counts["added"] == 7
    assert [n for n, _ in report.transactions] == [2, 2, 2, 1]


def test_waiting_for_slow_workers_ticks() -> None:
    """The feeding thread says when nothing came for a while, so the importer can end a
    transaction (and free the write lock) while its workers are still parsing."""
    import time as _time

    from newsdb.importer import _TICK, _ahead

    def slow() -> Any:
        for i in range(3):
            _time.sleep(0.3)
            yield i

    got = list(_ahead(slow, 10, tick=0.05))
    assert [x for x in got if x is not _TICK] == [0, 1, 2]
    assert got.count(_TICK) >= 6
    assert _TICK not in list(_ahead(slow, 10))


def test_a_transaction_ends_on_time_while_the_next_batch_is_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored batch is committed once the time is up, even before the next batch is full:
    the importer does not hold the write lock while it waits for slow files."""
    import time as _time

    import newsdb.importer
    from newsdb.db import make_engine

    paths = [p for p in _corpus_paths(tmp_path / "in", 5) if p.name.startswith("p")]
    real = newsdb.importer._prepared

    def slow_third(*args: Any, **kwargs: Any) -> Any:
        for i, item in enumerate(real(*args, **kwargs)):
            if i == 2:
                _time.sleep(0.6)
            yield item

    monkeypatch.setattr(newsdb.importer, "_prepared", slow_third)
    monkeypatch.setattr(newsdb.importer, "COMMIT_SECONDS", 0.5)
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        report = run_import(engine, paths, batch_size=2, commit_size=100)
    finally:
        engine.dispose()
    assert report.counts["added"] == 5
    # The first batch commits when the slow third file arrives, not with the second batch.
    assert [n for n, _ in report.transactions] == [2, 3]


def test_default_transactions_per_backend(db_url: str, tmp_path: Path) -> None:
    """SQLite groups batches into transactions by default; PostgreSQL commits each batch."""
    from newsdb.db import make_engine

    paths = [p for p in _corpus_paths(tmp_path / "in", 5) if p.name.startswith("p")]
    engine = make_engine(db_url)
    try:
        report = run_import(engine, paths, batch_size=2)
    finally:
        engine.dispose()
    expected = [5] if db_url.startswith("sqlite") else [2, 2, 1]
    assert [n for n, _ in report.transactions] == expected


def test_bucket_holders_are_the_newest_few_of_each_bucket(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Candidates come from each sketch hash's newest holders only, a few per hash, however
    many articles carry it; a hash nobody holds gives none."""
    import newsdb.writer

    monkeypatch.setattr(newsdb.writer, "_BUCKET_RECENT", 3)
    monkeypatch.setattr(newsdb.writer, "_COMPOUND", 2)  # several compound statements
    upgrade(engine)
    with engine.begin() as conn:
        for i in range(1, 9):
            conn.execute(
                text(
                    "INSERT INTO articles (id, headline, body, word_count, source_path,"
                    " source_format, content_sha256, importer_version)"
                    " VALUES (:i, 'h', 'b', 1, :p, 'text', :sha, 'test')"
                ),
                {"i": i, "p": f"/a/{i}.txt", "sha": f"{i:064x}"},
            )
        # Bucket 7 is on every article (a stock phrase), 8 on two, 9 on one.
        rows = [(i, 0, 7) for i in range(1, 9)] + [(2, 1, 8), (5, 1, 8), (4, 2, 9)]
        for aid, band, bucket in rows:
            conn.execute(
                text("INSERT INTO article_bands (article_id, band, bucket) VALUES (:a, :b, :k)"),
                {"a": aid, "b": band, "k": bucket},
            )
        writer = BatchWriter(conn, taxonomy=load_taxonomy())
        got = sorted(tuple(r) for r in writer._bucket_holders([7, 8, 9, 10]))
    assert got == [(7, 6), (7, 7), (7, 8), (8, 2), (8, 5), (9, 4)]


def test_the_file_alone_holds_every_commit_when_an_import_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checkpoints run beside the writer, and a last one before ``run_import`` returns: a
    copy of the database file without its WAL, taken while the engine is still open, holds
    every article and the run's final status; the importing connection gets its own
    automatic checkpoint setting back. Also when the checkpoint thread cannot start: the
    importing connection then checkpoints itself."""
    import shutil
    import sqlite3

    import newsdb.importer
    from newsdb.db import make_engine

    paths = [p for p in _corpus_paths(tmp_path / "in", 5) if p.name.startswith("p")]
    refused: list[str] = []

    def refuse(path: str, *args: Any, **kwargs: Any) -> Any:
        refused.append(path)
        raise sqlite3.OperationalError("unable to open database file")

    for case in ("thread", "fallback"):
        if case == "fallback":
            monkeypatch.setattr(newsdb.importer.sqlite3, "connect", refuse)
        engine = make_engine(f"sqlite:///{tmp_path / case}.sqlite")
        try:
            report = run_import(engine, paths, batch_size=2, commit_size=2)
            assert report.counts["added"] == 5 and len(report.transactions) == 3
            # The thread's: one a commit at most (requests made while one runs make one more),
            # and the last one. None when it could not start.
            assert (
                (2 <= len(report.checkpoints) <= 4) if case == "thread" else not report.checkpoints
            )
            copy = tmp_path / f"{case}-copy.sqlite"
            shutil.copyfile(tmp_path / f"{case}.sqlite", copy)  # the WAL stays behind
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == 1000
        finally:
            engine.dispose()
        monkeypatch.undo()
        db = sqlite3.connect(copy)
        try:
            assert db.execute("SELECT count(*) FROM articles").fetchone() == (5,), case
            assert db.execute("SELECT status FROM import_runs").fetchall() == [("done",)], case
        finally:
            db.close()
    assert refused == [str(tmp_path / "fallback.sqlite")]


def test_files_prepared_together_come_out_as_each_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk of files is read and parsed first and enriched a stage at a time: each file's
    outcome is what preparing it alone gives, and an enrichment error in one record costs
    its file from that record on (the records before it kept), not the other files."""
    import newsdb.pipeline
    from newsdb.pipeline import prepare_file, prepare_files

    said = '"The pumps will run all week," said Mayor Anna Lindqvist, who visited the tunnels.'
    body = " ".join([*WIRE, said])
    paths = [
        write(
            tmp_path / "in" / f"p{i}.txt",
            text_page(
                outlet="The Velmora Courier",
                headline=f"Flood report number {i}",
                paragraphs=[f"Day {i} of the clean-up.", *WIRE[i : i + 3], said],
                date=dt.date(2024, 3, 1 + i),
                seed=i,
            ),
        )
        for i in range(3)
    ]
    records = [
        {"headline": f"Harbour report {i}", "body": f"{body} Report {i}.", "date": "2024-03-0{i}"}
        for i in (1, 2, 3)
    ]
    records[1]["body"] += " BREAKS-THE-SKETCH"
    feed = write(tmp_path / "in" / "feed.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    chunk = [paths[0], feed, tmp_path / "in" / "notes.bin", paths[1], paths[2]]
    write(chunk[2], "not an article")
    tax = load_taxonomy()
    sketch = newsdb.pipeline.sketch

    def breaks(text: str) -> Any:
        if "BREAKS-THE-SKETCH" in text:
            raise ValueError("no sketch for this one")
        return sketch(text)

    monkeypatch.setattr(newsdb.pipeline, "sketch", breaks)
    together = prepare_files(chunk, tax, frozenset())
    alone = [prepare_file(p, tax, frozenset()) for p in chunk]

    def facts(outcome: Any) -> Any:
        return (outcome.path, outcome.records, outcome.problems, outcome.warnings)

    assert [facts(o) for o in together] == [facts(o) for o in alone]
    first, fed, other, *rest = together
    assert [len(o.records) for o in (first, *rest)] == [1, 1, 1] and not first.problems
    for outcome in (first, fed, *rest):
        record = outcome.records[0]
        assert record.sketch and record.topics and record.word_count
        assert [m.name for m in record.people] == ["Anna Lindqvist"]
        assert [q.speaker for q in record.quotes] == ["Anna Lindqvist"]
    assert [r.article.headline for r in fed.records] == ["Harbour report 1"]
    assert [(p.failed, p.reason) for p in fed.problems] == [
        (True, "parser error: ValueError: no sketch for this one")
    ]
    assert not other.records and other.problems[0].reason.startswith("not an article file")
