"""Migrations: empty -> head -> base -> head, models == migrations, one head, in-place upgrade."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.orm import Session

from alembic import command
from newsdb.db import alembic_config, current_revision, head_revision, make_engine, upgrade
from newsdb.models import Base


def test_every_revision_steps_up_and_down(engine: Engine) -> None:
    """Each revision upgrades, downgrades and upgrades again, one step at a time."""
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    for revision in revisions:
        upgrade(engine, revision)
        assert current_revision(engine) == revision
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "-1")
        upgrade(engine, revision)
        assert current_revision(engine) == revision
    assert revisions[-1] == head_revision()


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_empty_to_head_to_base_to_head(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert {"articles", "outlets", "people", "topics", "article_people", "article_topics"} <= (
        _tables(engine)
    )
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert _tables(engine) - {"alembic_version"} == set()
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_models_match_migrations(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as conn:

        def include_name(name: str | None, type_: str, parent: Any) -> bool:
            return not (name or "").startswith(("articles_fts", "ix_articles_fts"))

        ctx = MigrationContext.configure(
            conn, opts={"include_name": include_name, "compare_server_default": True}
        )
        assert compare_metadata(ctx, Base.metadata) == []


def test_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1


def test_upgrade_is_idempotent_and_keeps_data(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO outlets (key, name, kind) VALUES ('x', 'X', 'publisher')"))
    upgrade(engine)  # already at head: nothing recreated
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM outlets")).scalar_one() == "X"


def test_populated_database_is_upgraded_in_place(tmp_path: Path) -> None:
    """A database at the first revision, with rows in it, is upgraded in place, never recreated."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    eng = make_engine(url)
    first = ScriptDirectory.from_config(alembic_config()).get_base()
    assert isinstance(first, str)
    upgrade(eng, first)
    with eng.begin() as conn:
        # Only columns the first revision has, as an old newsdb would have written them.
        conn.execute(
            text("INSERT INTO outlets (id, key, name, kind) VALUES (1, 'afp', 'AFP', 'agency')")
        )
        conn.execute(
            text(
                "INSERT INTO articles (id, headline, body, word_count, agency_id, source_path,"
                " source_format, content_sha256, importer_version, published_on)"
                " VALUES (7, 'Lunar relay accord', 'The relay will orbit the Moon.', 6, 1,"
                " '/old/a.txt', 'text', :sha, '0.0.1', '2024-05-01')"
            ),
            {"sha": "ab" * 32},
        )
    upgrade(eng)
    assert current_revision(eng) == head_revision()
    with eng.connect() as conn:
        row = conn.execute(text("SELECT id, headline, agency_id, published_on FROM articles")).one()
        hits = (
            conn.execute(text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'relay'"))
            .scalars()
            .all()
        )
    assert tuple(row) == (7, "Lunar relay accord", 1, "2024-05-01")
    assert hits == [7]
    eng.dispose()


def _bands(engine: Engine) -> dict[int, list[int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT article_id, bucket FROM article_bands ORDER BY article_id, band")
        ).all()
    out: dict[int, list[int]] = {}
    for aid, bucket in rows:
        out.setdefault(aid, []).append(bucket)
    return out


def test_story_sketches_follow_the_hash_of_each_revision(engine: Engine, tmp_path: Path) -> None:
    """0006 recomputes stored sketches (and 0005 restores CRC-32 ones), so a copy of a
    stored wire story imported after the upgrade still joins its story."""
    import re
    import zlib

    from newsdb.enrich.stories import sketch
    from newsdb.importer import run_import

    from .corpus import WIRE, text_page, write

    HEAD = "Velmora begins pumping out flooded metro"  # noqa: N806

    write(
        tmp_path / "a" / "first.txt",
        text_page(outlet="Velmora Courier", headline=HEAD, paragraphs=WIRE),
    )
    write(
        tmp_path / "b" / "copy.txt",
        text_page(outlet="Harbour Times", headline=HEAD, paragraphs=WIRE, seed=3),
    )
    upgrade(engine)
    run_import(engine, [tmp_path / "a"])
    with engine.connect() as conn:
        (aid, body), *_ = conn.execute(text("SELECT id, body FROM articles")).all()
    assert _bands(engine) == {aid: list(sketch(body))}

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0005")
    words = re.findall(r"\w+", body.lower())
    crcs = sorted({zlib.crc32(" ".join(words[i : i + 6]).encode()) for i in range(len(words) - 5)})
    assert _bands(engine) == {aid: crcs[:4]}

    upgrade(engine)
    assert _bands(engine) == {aid: list(sketch(body))}
    assert run_import(engine, [tmp_path / "b"], story_threshold=0.5).counts["added"] == 1
    with engine.connect() as conn:
        stories = conn.execute(text("SELECT story_id FROM articles")).scalars().all()
    assert len(stories) == 2 and stories[0] is not None and len(set(stories)) == 1


def _vector_matches(conn: Any, word: str) -> list[int]:
    """Article ids whose stored search vector (either revision's) matches a word."""
    tables = set(inspect(conn).get_table_names())
    if "articles_fts" in tables:
        sql = "SELECT article_id FROM articles_fts WHERE document @@ to_tsquery('simple', :w)"
    else:
        sql = "SELECT id FROM articles WHERE articles_fts_doc @@ to_tsquery('simple', :w)"
    return sorted(conn.execute(text(sql + " ORDER BY 1"), {"w": word}).scalars())


def test_search_table_kept_by_triggers_on_postgresql(
    engine: Engine, seeds_dir: Path, tmp_path: Path
) -> None:
    """0007 moves PostgreSQL's search vector to ``articles_fts``: filled from the stored
    articles, kept right by every insert, update and delete, and given back to the
    ``articles`` column by a downgrade."""
    if engine.dialect.name != "postgresql":
        return  # SQLite's articles_fts is the FTS5 table, unchanged by 0007
    from newsdb.importer import run_import
    from newsdb.query import search_articles

    from .conftest import SEED_FILES

    upgrade(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0006")
    run_import(engine, [seeds_dir / SEED_FILES[0], seeds_dir / SEED_FILES[1]])
    with engine.connect() as conn:
        before = _vector_matches(conn, "putin")
    assert len(before) == 2

    upgrade(engine)  # fills articles_fts from the stored rows
    with engine.connect() as conn:
        assert _vector_matches(conn, "putin") == before
        assert "articles_fts_doc" not in {c["name"] for c in inspect(conn).get_columns("articles")}
    run_import(engine, [seeds_dir / SEED_FILES[2]])  # rows by COPY fire the insert trigger
    with Session(engine) as s:
        assert len(search_articles(s, "putin")) == 3
    with engine.begin() as conn:
        first, second, third = conn.execute(text("SELECT id FROM articles ORDER BY id")).scalars()
        untouched = conn.execute(
            text("SELECT xmin::text FROM articles_fts WHERE article_id = :i"), {"i": second}
        ).scalar()
        conn.execute(
            text("UPDATE articles SET body = body || ' Zeppelin overhead.' WHERE id = :i"),
            {"i": first},
        )
        conn.execute(
            text("UPDATE articles SET word_count = word_count + 1 WHERE id = :i"), {"i": second}
        )
        conn.execute(text("DELETE FROM articles WHERE id = :i"), {"i": third})
    with Session(engine) as s:
        assert [h.article.id for h in search_articles(s, "zeppelin")] == [first]
        assert {h.article.id for h in search_articles(s, "putin")} == {first, second}
    with engine.connect() as conn:
        # An update that leaves the text and the date alone does not rewrite the row.
        assert (
            conn.execute(
                text("SELECT xmin::text FROM articles_fts WHERE article_id = :i"), {"i": second}
            ).scalar()
            == untouched
        )
        assert conn.execute(text("SELECT count(*) FROM articles_fts")).scalar() == 2

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0006")
    with engine.connect() as conn:
        assert _vector_matches(conn, "zeppelin") == [first]
        assert _vector_matches(conn, "putin") == [first, second]


def test_person_names_filled_from_the_stored_mentions(engine: Engine, tmp_path: Path) -> None:
    """0008 fills person_names from article_people: each written name with its person and
    mention count, as the writer then keeps them (and 0007 has no such table)."""
    from newsdb.importer import run_import

    from .conftest import assert_person_names_counted
    from .corpus import OTHER, WIRE, text_page, write

    names = ["Lena Varga", "Tomas Brandt"]
    for i in range(4):
        said = (
            f"Mayor {names[i % 2]} said on Tuesday that the tunnels would reopen within a"
            f" month. {names[i % 2].split()[1]} added that engineers were working in shifts,"
            f" and the city's transport chief, {names[(i + 1) % 2]}, agreed."
        )
        page = text_page(
            outlet=f"Outlet {i}",
            headline=f"Velmora story {i}",
            paragraphs=[said, *WIRE[i % 2 :], *OTHER[: 1 + i]],
            seed=i,
        )
        write(tmp_path / "pages" / f"p{i}.txt", page)
    upgrade(engine)
    assert run_import(engine, [tmp_path / "pages"]).counts["added"] == 4
    query = "SELECT name, person_id, articles FROM person_names ORDER BY name"
    with engine.connect() as conn:
        kept = [tuple(r) for r in conn.execute(text(query))]
    assert len(kept) >= 2 and max(n for *_, n in kept) >= 2

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0007")
    assert "person_names" not in inspect(engine).get_table_names()
    upgrade(engine)
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(text(query))] == kept
    assert_person_names_counted(engine)


def _index_and_plans(conn: Any, index: str, *queries: str) -> tuple[str, set[str], list[str]]:
    """An index's definition, every index's name, and each query's plan, on either backend
    (PostgreSQL told to avoid sequential scans, as on a table of a million rows)."""
    if conn.dialect.name == "sqlite":
        find = "SELECT sql FROM sqlite_master WHERE name = :n"
        every, explain, column = "SELECT name FROM sqlite_master", "EXPLAIN QUERY PLAN ", -1
    else:
        find = "SELECT indexdef FROM pg_indexes WHERE indexname = :n"
        every, explain, column = "SELECT indexname FROM pg_indexes", "EXPLAIN ", 0
        conn.execute(text("SET LOCAL enable_seqscan = off"))
    (definition,) = conn.execute(text(find), {"n": index}).one()
    names = {r[0] for r in conn.execute(text(every))}
    plans = [" ".join(r[column] for r in conn.execute(text(explain + q))) for q in queries]
    return definition, names, plans


def test_agency_index_holds_only_credited_articles_and_serves_agency_lookups(
    engine: Engine,
) -> None:
    """0009: the (agency_id, published_on) index leaves out articles with no agency, and an
    agency's articles newest first are still read from it on both backends."""
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO outlets (id, key, name, kind) VALUES (1, 'w', 'W', 'agency')")
        )
        for i in range(1, 41):
            conn.execute(
                text(
                    "INSERT INTO articles (id, headline, body, word_count, agency_id, source_path,"
                    " source_format, content_sha256, importer_version, published_on)"
                    " VALUES (:i, 'h', 'b', 1, :a, :p, 'text', :h, 't', :d)"
                ),
                {
                    "i": i,
                    "a": 1 if i % 4 == 0 else None,
                    "p": f"/p{i}",
                    "h": f"{i:064d}",
                    "d": f"2024-01-{i % 28 + 1:02d}",
                },
            )
    index = "ix_articles_agency_id_published_on"
    lookup = (
        "SELECT id FROM articles WHERE agency_id = 1 ORDER BY published_on DESC, id DESC LIMIT 5"
    )
    with engine.connect() as conn:
        definition, names, (plan,) = _index_and_plans(conn, index, lookup)
        got = [r[0] for r in conn.execute(text(lookup))]
    assert "agency_id IS NOT NULL" in definition.replace("(", "").replace(")", "")
    assert index in plan
    assert "ix_articles_agency_id" not in names  # the column alone: dropped as redundant
    # Newest first among the ten credited (ids 4, 8, ..., 40 on day id % 28 + 1): the 25th (24),
    # 21st (20), 17th (16), then two on the 13th (40 and 12), the higher id first.
    assert got == [24, 20, 16, 40, 12]


def test_the_written_names_index_holds_one_word_names_and_serves_their_moves(
    engine: Engine,
) -> None:
    """0010: ``(mentioned_as, person_id)`` holds only the one-word names, and the writer's
    query for a one-word name's mentions (which repeats the index's condition) reads it on
    both backends; a fuller name's is found by its person."""
    from newsdb.models import ONE_WORD_NAME
    from newsdb.store import count_person_names

    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO people (id, name, key) VALUES (1, 'Anna Novak', 'k1')"))
        for i in range(1, 31):
            conn.execute(
                text(
                    "INSERT INTO articles (id, headline, body, word_count, source_path,"
                    " source_format, content_sha256, importer_version)"
                    " VALUES (:i, 'h', 'b', 1, :p, 'text', :h, 't')"
                ),
                {"i": i, "p": f"/p{i}", "h": f"{i:064d}"},
            )
            conn.execute(
                text(
                    "INSERT INTO article_people (article_id, person_id, mention_count,"
                    " mentioned_as) VALUES (:i, 1, 1, :n)"
                ),
                {"i": i, "n": "Novak" if i % 3 == 0 else "Anna Novak"},
            )
        count_person_names(conn)  # what the import writer keeps
    index = "ix_article_people_one_word_names"
    short = (
        "SELECT article_id FROM article_people WHERE person_id = 1 AND mentioned_as = 'Novak'"
        f" AND {ONE_WORD_NAME} ORDER BY article_id"
    )
    full = (
        "SELECT article_id FROM article_people WHERE person_id = 1 AND mentioned_as = 'Anna Novak'"
    )
    with engine.connect() as conn:
        definition, names, (short_plan, full_plan) = _index_and_plans(conn, index, short, full)
        if engine.dialect.name == "sqlite":
            held = conn.execute(
                text(
                    f"SELECT count(*) FROM article_people INDEXED BY {index} WHERE {ONE_WORD_NAME}"
                )
            ).scalar_one()
            assert held == 10
        got = [r[0] for r in conn.execute(text(short))]
    flat = definition.replace("::text", "").replace("(", "").replace(")", "")
    assert "mentioned_as NOT LIKE '% %'" in flat.replace("!~~", "NOT LIKE")
    assert index in short_plan, short_plan
    assert index not in full_plan and "ix_article_people_person_id_published_on" in full_plan
    assert "ix_article_people_mentioned_as_person_id" not in names  # every name: dropped
    assert got == [3, 6, 9, 12, 15, 18, 21, 24, 27, 30]
