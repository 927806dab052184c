"""Per-outlet boilerplate: learnt from repetition, dropped from bodies, recorded, order-free."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from newsdb.boilerplate import candidate_hashes, line_hash, strip_lines
from newsdb.importer import run_import
from newsdb.models import Article, ArticlePerson, OutletLine, OutletLineSighting, Person

APPEAL = (
    "Independent reporting costs money. Readers like you keep the Tidewater Courier free "
    "for everyone, so please consider a monthly gift today."
)
SIGNOFF = "“We read every letter you send us,” said Marisol Quennell, the Courier's editor."
WORDS = (
    "harbour council budget ferry school bridge storm fishing museum library clinic market "
    "railway festival tenants landlord court hearing mayor police river farmers drought "
    "teachers strike hospital nurses union airport runway tourism hotel planning permit"
).split()
PEOPLE = [
    "Anselm Verhoek",
    "Brigida Tolland",
    "Casimir Oduya",
    "Dorothea Lindqvist",
    "Evander Mashta",
    "Florentyna Abaza",
    "Gwendal Roskam",
    "Hallvard Istok",
]


def _paragraph(rng: random.Random, who: str) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(25, 40))]
    cut = rng.randint(5, 15)
    return (
        " ".join(words[:cut]).capitalize()
        + f", {who} said on Tuesday, while "
        + " ".join(words[cut:])
        + "."
    )


def _record(i: int, outlet: str, *, seed: int, furniture: bool = True) -> dict[str, str]:
    rng = random.Random(seed)
    who = PEOPLE[i % len(PEOPLE)]
    paragraphs = [_paragraph(rng, who) for _ in range(6)]
    if furniture:
        paragraphs += [APPEAL, SIGNOFF]
    return {
        "title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} report number {i}",
        "maintext": "\n\n".join(paragraphs),
        "source_domain": outlet,
        "date_publish": f"2026-03-{i + 1:02d} 09:00:00",
        "url": f"https://{outlet}/news/{seed}-{i}",
    }


def _write(folder: Path, records: list[dict[str, str]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, record in enumerate(records):
        path = folder / f"{n:03d}.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        paths.append(path)
    return paths


def _bodies(engine: Engine) -> dict[str, tuple[str, list[str]]]:
    with Session(engine) as session:
        rows = session.execute(select(Article.url, Article.body, Article.boilerplate)).all()
    return {url: (body, json.loads(dropped) if dropped else []) for url, body, dropped in rows}


def _people(engine: Engine) -> set[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.execute(
            select(Article.url, Person.name)
            .join(ArticlePerson, ArticlePerson.article_id == Article.id)
            .join(Person, Person.id == ArticlePerson.person_id)
        ).all()
    return {(url, name) for url, name in rows}


def test_strip_lines_keeps_order_and_reports_what_went() -> None:
    body = "First line of news.\n\nBuy our mugs now.\n\nSecond line of news."
    clean, dropped = strip_lines(body, {line_hash("buy  OUR mugs now.")})
    assert clean == "First line of news.\n\nSecond line of news."
    assert dropped == ["Buy our mugs now."]


def test_long_middle_paragraphs_are_not_counted() -> None:
    long = " ".join(["word"] * 40)
    middle = [f"{long} {n}" for n in range(10)]
    body = "\n\n".join(["Top.", *middle, "Bottom."])
    hashes = candidate_hashes(body)
    assert line_hash("Top.") in hashes and line_hash("Bottom.") in hashes
    assert line_hash(middle[4]) not in hashes  # long and far from both ends
    assert line_hash(middle[0]) in hashes  # second paragraph: within the head


def test_repeated_lines_are_learnt_and_dropped(engine: Engine, tmp_path: Path) -> None:
    courier = [_record(i, "tidewatercourier.example", seed=100 + i) for i in range(6)]
    # Another outlet prints the same appeal on two pages only: not its boilerplate.
    other = [_record(i, "northfieldpost.example", seed=200 + i) for i in range(2)]
    _write(tmp_path / "in", courier + other)
    report = run_import(engine, [tmp_path / "in"])
    assert report.ok and report.counts["added"] == 8
    # Exactly the two planted lines: every other paragraph is drawn at random per article.
    assert report.boilerplate.learnt == 2 and report.boilerplate.cleaned == 6
    assert report.boilerplate.dropped == 12
    bodies = _bodies(engine)
    for record in courier:
        body, dropped = bodies[record["url"]]
        assert APPEAL not in body and SIGNOFF not in body
        assert dropped == [APPEAL, SIGNOFF]
        # The article's own text is all still there.
        assert body == record["maintext"].rsplit("\n\n", 2)[0]
    for record in other:
        body, dropped = bodies[record["url"]]
        assert APPEAL in body and dropped == []
    # A person named only in the dropped sign-off is no longer the articles' person.
    people = _people(engine)
    courier_urls = {r["url"] for r in courier}
    assert not {(u, n) for u, n in people if u in courier_urls and n == "Marisol Quennell"}
    assert ("https://northfieldpost.example/news/200-0", "Marisol Quennell") in people
    assert all((r["url"], PEOPLE[i % 8]) in people for i, r in enumerate(courier))
    with Session(engine) as session:
        learnt = session.scalars(select(OutletLine.text).where(OutletLine.learnt)).all()
    assert sorted(learnt) == sorted([APPEAL, SIGNOFF])  # each learnt line keeps its text
    # The full-text index follows the cleaned bodies (SQLite's FTS5 table).
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            hits = conn.execute(
                text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Quennell'")
            ).scalar()
        assert hits == 2


def test_too_few_pages_learn_nothing(engine: Engine, tmp_path: Path) -> None:
    _write(tmp_path / "in", [_record(i, "tidewatercourier.example", seed=i) for i in range(4)])
    report = run_import(engine, [tmp_path / "in"])
    assert report.boilerplate.learnt == 0
    assert all(APPEAL in body for body, _ in _bodies(engine).values())


def test_learning_can_be_turned_off(engine: Engine, tmp_path: Path) -> None:
    _write(tmp_path / "in", [_record(i, "tidewatercourier.example", seed=i) for i in range(6)])
    run_import(engine, [tmp_path / "in"], boilerplate_min_pages=0)
    assert all(APPEAL in body for body, _ in _bodies(engine).values())


def test_updates_of_one_story_do_not_teach_their_paragraphs(engine: Engine, tmp_path: Path) -> None:
    # Six updates of one story: the same paragraphs, a new last line each time.
    base = _record(0, "tidewatercourier.example", seed=7, furniture=False)
    updates = []
    for n in range(6):
        record = dict(base, url=f"https://tidewatercourier.example/live/{n}")
        record["maintext"] = base["maintext"] + f"\n\nUpdate {n}: the ferry service resumed."
        updates.append(record)
    _write(tmp_path / "in", updates)
    report = run_import(engine, [tmp_path / "in"])
    assert report.boilerplate.learnt == 0
    lead = base["maintext"].split("\n\n")[0]
    assert all(lead in body for body, _ in _bodies(engine).values())


@pytest.mark.parametrize("split", [2, 5])
def test_result_does_not_depend_on_how_the_import_is_split(
    db_url: str, tmp_path: Path, split: int
) -> None:
    from newsdb.db import make_engine

    records = [_record(i, "tidewatercourier.example", seed=300 + i) for i in range(7)]
    paths = _write(tmp_path / "in", records)
    one = make_engine(f"sqlite:///{tmp_path / 'one.sqlite'}")
    run_import(one, list(reversed(paths)))
    two = make_engine(db_url)
    run_import(two, paths[:split])
    run_import(two, paths[split:])
    try:
        assert _bodies(one) == _bodies(two)
        assert _people(one) == _people(two)
        assert all(APPEAL not in body for body, _ in _bodies(two).values())
    finally:
        one.dispose()
        two.dispose()


def test_sightings_left_by_an_interrupted_run_are_counted_by_the_next(
    engine: Engine, tmp_path: Path
) -> None:
    records = [_record(i, "tidewatercourier.example", seed=400 + i) for i in range(6)]
    _write(tmp_path / "in", records)
    seen: list[object] = []

    def stop_after_first_batch(result: object) -> None:
        seen.append(result)  # told once the batch committed
        if len(seen) == 3:
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        run_import(
            engine,
            [tmp_path / "in"],
            batch_size=3,
            commit_size=3,
            on_result=stop_after_first_batch,
        )
    with Session(engine) as session:
        # The committed batch logged its pages' lines; nothing was counted or learnt yet.
        logged = session.scalars(
            select(OutletLineSighting.line_hash).where(
                OutletLineSighting.line_hash == line_hash(APPEAL)
            )
        ).all()
        assert len(logged) == 3
        assert session.scalar(select(func.count()).select_from(OutletLine)) == 0
    # Only three pages are new to the next run: the three it finds stored count too.
    report = run_import(engine, [tmp_path / "in"])
    assert report.counts["added"] == 3 and report.counts["unchanged"] == 3
    assert report.boilerplate.learnt == 2 and report.boilerplate.cleaned == 6
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(OutletLineSighting)) == 0
        pages = session.scalar(
            select(OutletLine.pages).where(OutletLine.line_hash == line_hash(APPEAL))
        )
    assert pages == 6
    assert all(APPEAL not in body for body, _ in _bodies(engine).values())


def test_sightings_counted_a_range_at_a_time_count_the_same(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranges of the log smaller than one page's lines give the counts of one pass."""
    import newsdb.boilerplate
    from newsdb.db import make_engine

    records = [_record(i, "tidewatercourier.example", seed=500 + i) for i in range(7)]
    records += [_record(i, "harbourgazette.example", seed=600 + i) for i in range(3)]
    paths = _write(tmp_path / "in", records)

    def lines(engine: Engine) -> list[tuple[object, ...]]:
        with engine.connect() as conn:
            logged = conn.execute(select(func.count()).select_from(OutletLineSighting))
            assert logged.scalar_one() == 0
            rows = conn.execute(
                text(
                    "SELECT o.key, l.line_hash, l.pages, l.learnt"
                    " FROM outlet_lines l JOIN outlets o ON o.id = l.outlet_id"
                )
            )
            return sorted(tuple(r) for r in rows)

    whole = make_engine(f"sqlite:///{tmp_path / 'whole.sqlite'}")
    run_import(whole, paths)
    expected = lines(whole)
    whole.dispose()
    assert any(pages >= 5 for _, _, pages, _ in expected)
    monkeypatch.setattr(newsdb.boilerplate, "SIGHTINGS_CHUNK", 3)
    ranged = make_engine(db_url)
    try:
        run_import(ranged, paths)
        assert lines(ranged) == expected
    finally:
        ranged.dispose()


def test_a_run_checks_only_the_lines_it_counted_unless_earlier_runs_left_some(
    engine: Engine, tmp_path: Path
) -> None:
    """After a pass that learnt every line on N pages, a pass asking for N or more checks only
    the lines it counted; one asking for fewer, or after a pass that counted without learning,
    reads every line (revision 0011)."""
    from sqlalchemy import event

    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    def run(folder: str, records: list[dict[str, str]], min_pages: int) -> tuple[int, bool]:
        statements.clear()
        report = run_import(
            engine, _write(tmp_path / folder, records), boilerplate_min_pages=min_pages
        )
        assert report.ok
        scanned = any(
            s.lstrip().upper().startswith("UPDATE") and "outlet_lines.pages >=" in s
            for s in statements
        )
        return report.boilerplate.learnt, scanned

    def learnt_from() -> object:
        with engine.connect() as conn:
            return conn.execute(text("SELECT lines_learnt_from FROM writer_state")).scalar()

    courier = [_record(i, "tidewatercourier.example", seed=700 + i) for i in range(6)]
    north = [_record(i, "northfieldpost.example", seed=800 + i) for i in range(3)]
    harbour = [_record(i, "harbourgazette.example", seed=900 + i) for i in range(2)]
    plain = [_record(i, "plainsdaily.example", seed=1000 + i, furniture=False) for i in range(2)]
    event.listen(engine, "before_cursor_execute", seen)
    try:
        # A database that never learnt: the first pass reads every line, then knows.
        assert run("a", courier[:3] + north, 5) == (0, True)
        assert learnt_from() == 5
        # The courier's two lines reach six pages: found among the lines counted.
        assert run("b", courier[3:], 5) == (2, False)
        # Fewer pages asked: the Northfield lines, on three pages, counted by no run since.
        assert run("c", plain[:1], 3) == (2, True)
        assert learnt_from() == 3
        # Counted, not learnt: what is learnt is no longer known...
        assert run("d", harbour, 0) == (0, False)
        assert learnt_from() is None
        # ...so the next pass reads every line, and learns the Harbour Gazette's two.
        assert run("e", plain[1:], 2) == (2, True)
        assert learnt_from() == 2
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    bodies = _bodies(engine)
    for record in courier + north + harbour:
        assert bodies[record["url"]][1] == [APPEAL, SIGNOFF]
