"""People aliases, quotes, article-outlet links, import runs, versions and stories.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite adds constraints by rebuilding a table, and a table's triggers go with
# the old copy: the full-text triggers on articles are dropped before and made
# again after (a migration is a snapshot, so their text is stated here).
# The insert trigger of 0001, restored on downgrade.
FTS_INSERT_TRIGGER_0001 = """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, headline, standfirst, body)
        VALUES (new.id, new.headline, new.standfirst, new.body);
    END"""
# A bulk writer feeds the full-text index once per batch (INSERT INTO
# articles_fts ... SELECT ... WHERE id BETWEEN ...), which keeps appends to a
# large database steady where a per-row trigger stalls on FTS5 segment merges
# (see docs/performance.md). It says so by putting a row in articles_fts_defer
# inside its own transaction, so no other connection ever sees that row; any
# other insert (a user's, in any SQLite client) is indexed by the trigger.
FTS_DEFER_TABLE = "CREATE TABLE articles_fts_defer (writer INTEGER)"
FTS_INSERT_TRIGGER = """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles
    WHEN NOT EXISTS (SELECT 1 FROM articles_fts_defer) BEGIN
        INSERT INTO articles_fts(rowid, headline, standfirst, body)
        VALUES (new.id, new.headline, new.standfirst, new.body);
    END"""
FTS_TRIGGERS_DROP = [
    "DROP TRIGGER IF EXISTS articles_fts_au",
    "DROP TRIGGER IF EXISTS articles_fts_ad",
    "DROP TRIGGER IF EXISTS articles_fts_ai",
]
FTS_TRIGGERS = [
    """CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, headline, standfirst, body)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
    END""",
    """CREATE TRIGGER articles_fts_au AFTER UPDATE OF headline, standfirst, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, headline, standfirst, body)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body);
        INSERT INTO articles_fts(rowid, headline, standfirst, body)
        VALUES (new.id, new.headline, new.standfirst, new.body);
    END""",
]


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("paths", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("importer_version", sa.String(length=32), nullable=False),
        *(
            sa.Column(name, sa.Integer(), server_default="0", nullable=False)
            for name in ("added", "updated", "unchanged", "duplicate", "skipped", "failed")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    if _sqlite():
        for statement in FTS_TRIGGERS_DROP:
            op.execute(statement)
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("source_locator", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("run_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("field_methods", sa.Text(), nullable=True))
        batch.add_column(sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("is_stub", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("url_key", sa.Text(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(
            sa.Column("is_latest", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(sa.Column("story_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("story_similarity", sa.Float(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_articles_run_id_import_runs"),
            "import_runs",
            ["run_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_articles_story_id_stories"),
            "stories",
            ["story_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_unique_constraint(op.f("uq_articles_url_key_version"), ["url_key", "version"])
        batch.create_index(op.f("ix_articles_run_id"), ["run_id"])
        batch.create_index(op.f("ix_articles_is_latest"), ["is_latest"])
        batch.create_index(op.f("ix_articles_story_id"), ["story_id"])
    if _sqlite():
        for statement in FTS_TRIGGERS:
            op.execute(statement)
        op.execute(FTS_DEFER_TABLE)
        op.execute(FTS_INSERT_TRIGGER)

    with op.batch_alter_table("people") as batch:
        batch.add_column(
            sa.Column("ambiguous", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("article_people") as batch:
        batch.add_column(sa.Column("mentioned_as", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("forms", sa.Text(), nullable=True))
    op.create_index(op.f("ix_article_people_mentioned_as"), "article_people", ["mentioned_as"])

    op.create_table(
        "person_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_aliases_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_aliases")),
        sa.UniqueConstraint("person_id", "key", name=op.f("uq_person_aliases_person_id_key")),
    )
    op.create_index(op.f("ix_person_aliases_key"), "person_aliases", ["key"])
    op.create_table(
        "article_outlets",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "role IN ('publisher', 'agency', 'cited')", name=op.f("ck_article_outlets_role")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_outlets_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outlet_id"],
            ["outlets.id"],
            name=op.f("fk_article_outlets_outlet_id_outlets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "outlet_id", "role", name=op.f("pk_article_outlets")),
    )
    op.create_index(
        "ix_article_outlets_outlet_id_role_article_id",
        "article_outlets",
        ["outlet_id", "role", "article_id"],
    )
    # Existing articles keep their publisher and agency as links too.
    op.execute(
        "INSERT INTO article_outlets (article_id, outlet_id, role) "
        "SELECT id, outlet_id, 'publisher' FROM articles WHERE outlet_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO article_outlets (article_id, outlet_id, role) "
        "SELECT id, agency_id, 'agency' FROM articles WHERE agency_id IS NOT NULL"
    )
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("speaker", sa.String(length=300), nullable=True),
        sa.Column("speaker_kind", sa.String(length=16), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("outlet_id", sa.Integer(), nullable=True),
        sa.Column("cue", sa.String(length=32), nullable=True),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_quotes_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_quotes_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outlet_id"],
            ["outlets.id"],
            name=op.f("fk_quotes_outlet_id_outlets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
    )
    op.create_index(op.f("ix_quotes_article_id"), "quotes", ["article_id"])
    op.create_index(op.f("ix_quotes_outlet_id"), "quotes", ["outlet_id"])
    op.create_index("ix_quotes_person_id_article_id", "quotes", ["person_id", "article_id"])
    op.create_table(
        "import_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("locator", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["import_runs.id"],
            name=op.f("fk_import_files_run_id_import_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_import_files_article_id_articles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_files")),
    )
    op.create_index(op.f("ix_import_files_run_id"), "import_files", ["run_id"])
    op.create_index("ix_import_files_path_run_id", "import_files", ["path", "run_id"])
    op.create_table(
        "article_bands",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_bands_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "band", name=op.f("pk_article_bands")),
    )
    op.create_index(op.f("ix_article_bands_bucket"), "article_bands", ["bucket"])


def downgrade() -> None:
    op.drop_table("article_bands")
    op.drop_table("import_files")
    op.drop_table("quotes")
    op.drop_table("article_outlets")
    op.drop_table("person_aliases")
    op.drop_index(op.f("ix_article_people_mentioned_as"), table_name="article_people")
    with op.batch_alter_table("article_people") as batch:
        batch.drop_column("forms")
        batch.drop_column("mentioned_as")
    with op.batch_alter_table("people") as batch:
        batch.drop_column("ambiguous")
    if _sqlite():
        for statement in FTS_TRIGGERS_DROP:
            op.execute(statement)
        op.execute("DROP TABLE articles_fts_defer")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index(op.f("ix_articles_story_id"))
        batch.drop_index(op.f("ix_articles_is_latest"))
        batch.drop_index(op.f("ix_articles_run_id"))
        batch.drop_constraint(op.f("uq_articles_url_key_version"), type_="unique")
        batch.drop_constraint(op.f("fk_articles_story_id_stories"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_articles_run_id_import_runs"), type_="foreignkey")
        for name in (
            "story_similarity",
            "story_id",
            "is_latest",
            "version",
            "url_key",
            "is_stub",
            "fetched_at",
            "field_methods",
            "run_id",
            "source_locator",
        ):
            batch.drop_column(name)
    if _sqlite():
        for statement in FTS_TRIGGERS:
            op.execute(statement)
        op.execute(FTS_INSERT_TRIGGER_0001)
    op.drop_table("stories")
    op.drop_table("import_runs")
