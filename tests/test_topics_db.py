"""Topics in the database: assigned on import, re-tagged in place by `retopic`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from newsdb.cli import cli
from newsdb.enrich.topics import load_taxonomy
from newsdb.errors import ConfigError
from newsdb.importer import run_import
from newsdb.models import Article, ArticleTopic, Topic
from newsdb.store import retopic_articles

from .conftest import SEED_FILES

PACKAGED = Path(__file__).resolve().parents[1] / "newsdb" / "data" / "topics.toml"


def _links(engine: Engine) -> dict[tuple[str, str], tuple[float, str]]:
    with Session(engine) as s:
        rows = s.execute(
            select(Article.source_path, Topic.slug, ArticleTopic.score, ArticleTopic.method)
            .join(ArticleTopic, ArticleTopic.article_id == Article.id)
            .join(Topic, Topic.id == ArticleTopic.topic_id)
        ).all()
    return {(Path(p).name, slug): (score, method) for p, slug, score, method in rows}


def _topics_of(engine: Engine, file: str) -> list[str]:
    links = _links(engine)
    ranked = sorted(((-v[0], slug) for (f, slug), v in links.items() if f == file))
    return [slug for _, slug in ranked]


def test_seed_topics(engine: Engine, seeds_dir: Path) -> None:
    run_import(engine, [seeds_dir / f for f in SEED_FILES])
    t0, t1, t4 = (_topics_of(engine, f) for f in SEED_FILES)
    assert {"space", "diplomacy"} <= set(t0)
    assert {"military", "diplomacy"} <= set(t1)
    assert t4[0] == "diplomacy"
    for topics in (t0, t1, t4):
        assert not {"sport", "football", "arts", "film-tv", "music", "health"} & set(topics)
        assert 1 <= len(topics) <= 3
    with Session(engine) as s:
        # The whole taxonomy is in the topics table, with its tree.
        slugs = {t.slug: t for t in s.scalars(select(Topic))}
        assert set(slugs) == {d.slug for d in load_taxonomy()}
        assert slugs["space"].parent_id == slugs["science"].id


def test_retopic_is_idempotent(engine: Engine, seeds_dir: Path) -> None:
    run_import(engine, [seeds_dir / f for f in SEED_FILES])
    before = _links(engine)
    with Session(engine) as s, s.begin():
        report = retopic_articles(s, load_taxonomy())
    assert (report.articles, report.articles_changed) == (3, 0)
    assert _links(engine) == before


def test_retopic_changes_only_what_the_edit_implies(
    engine: Engine, seeds_dir: Path, tmp_path: Path
) -> None:
    run_import(engine, [seeds_dir / f for f in SEED_FILES])
    before = _links(engine)
    edited = tmp_path / "topics.toml"
    edited.write_text(
        PACKAGED.read_text(encoding="utf-8")
        + '\n[[topic]]\nslug = "moon"\nname = "The Moon"\nparent = "science"\n'
        + "[topic.terms]\nlunar = 3\nmoon = 3\n",
        encoding="utf-8",
    )
    with Session(engine) as s, s.begin():
        report = retopic_articles(s, load_taxonomy(edited))
    after = _links(engine)
    # Only the lunar-base article mentions the Moon: it alone gains the new topic.
    new = {k: v for k, v in after.items() if k not in before}
    assert set(new) == {(SEED_FILES[0], "moon")}
    assert new[(SEED_FILES[0], "moon")][1] == "rule"
    assert {k: v for k, v in after.items() if k[0] != SEED_FILES[0]} == {
        k: v for k, v in before.items() if k[0] != SEED_FILES[0]
    }
    assert report.articles_changed >= 1 and report.links_added >= 1
    with Session(engine) as s, s.begin():
        again = retopic_articles(s, load_taxonomy(edited))
    assert again.articles_changed == 0 and _links(engine) == after

    # Back to the packaged taxonomy: the links return to what they were, the topic goes.
    with Session(engine) as s, s.begin():
        back = retopic_articles(s, load_taxonomy())
    assert _links(engine) == before and back.topics_deleted == 1


def test_user_topics_survive_retopic(engine: Engine, seeds_dir: Path) -> None:
    run_import(engine, [seeds_dir / SEED_FILES[1]])
    with Session(engine) as s, s.begin():
        article = s.scalars(select(Article)).one()
        sport = s.scalars(select(Topic).where(Topic.slug == "sport")).one()
        s.add(ArticleTopic(article_id=article.id, topic_id=sport.id, score=1.0, method="user"))
    with Session(engine) as s, s.begin():
        retopic_articles(s, load_taxonomy())
    assert _links(engine)[(SEED_FILES[1], "sport")] == (1.0, "user")


def test_broken_taxonomy_stops_before_any_write(tmp_path: Path, seeds_dir: Path) -> None:
    broken = tmp_path / "topics.toml"
    broken.write_text('[[topic]]\nname = "No slug"\n[topic.terms]\nx = 1\n', encoding="utf-8")
    db = tmp_path / "t.sqlite"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "import", "--taxonomy", str(broken), str(seeds_dir)]
    )
    assert result.exit_code == 1
    assert str(broken) in result.output and "slug" in result.output
    assert not db.exists()
    with pytest.raises(ConfigError, match="slug"):
        load_taxonomy(broken)


def test_retopic_command(tmp_path: Path, seeds_dir: Path) -> None:
    db = str(tmp_path / "r.sqlite")
    assert CliRunner().invoke(cli, ["--db", db, "import", str(seeds_dir)]).exit_code == 0
    result = CliRunner().invoke(cli, ["--db", db, "retopic", "--json"])
    assert result.exit_code == 0, result.output
    assert '"articles": 3' in result.output and '"articles_changed": 0' in result.output
