"""Learnt per-outlet boilerplate, the data-quality view, a covering index and a counter for writers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21

``outlet_lines`` counts, per outlet, the pages that carry a body line (by a
64-bit hash of the line); a line on enough distinct pages is learnt as the
outlet's boilerplate and dropped from its bodies. ``articles.boilerplate`` keeps
what was dropped (a JSON list of lines), ``articles.boilerplate_checked`` the
outlet's ``boilerplate_version`` the body was last cleaned against.

``article_quality`` lists the latest articles that have something to check: no
date, a byline that is only an agency, no standfirst, a body that looks cut off.
It is plain SQL (no function registered from Python), so every client reads it.

Columns are added with plain ``ALTER TABLE ... ADD COLUMN`` (no table rebuild),
so the views and full-text triggers of earlier revisions are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Characters a complete body ends with: sentence ends, closing quotes and brackets.
_ENDINGS = ".!?\"'”’»)]"


def _quality_view(dialect: str) -> str:
    sqlite = dialect == "sqlite"
    latest = "a.is_latest = 1" if sqlite else "a.is_latest"
    if sqlite:
        tail = "rtrim(a.body, ' ' || char(9) || char(10) || char(13))"
        last = f"substr({tail}, -1)"
        ends_with_dots = f"({tail} LIKE '%...' OR {tail} LIKE '%…')"
    else:
        tail = "rtrim(a.body, E' \\t\\n\\r')"
        last = f"right({tail}, 1)"
        ends_with_dots = f"({tail} LIKE '%...' OR {tail} LIKE '%…')"
    endings = _ENDINGS.replace("'", "''")
    flags = {
        "missing_date": "a.published_on IS NULL",
        # No byline of a person: none at all, or only the agency's name, where an agency is known.
        "agency_only_byline": (
            "a.agency_id IS NOT NULL AND (a.byline IS NULL OR trim(a.byline) = '' "
            "OR lower(trim(a.byline)) = lower(g.name))"
        ),
        "empty_standfirst": "a.standfirst IS NULL OR trim(a.standfirst) = ''",
        # Cut off: the body ends mid-sentence or with an ellipsis, or is a feed stub.
        "suspected_truncation": (
            f"a.is_stub OR {ends_with_dots} OR instr('{endings}', {last}) = 0"
            if sqlite
            else f"a.is_stub OR {ends_with_dots} OR position({last} in '{endings}') = 0"
        ),
    }
    columns = ",\n                   ".join(
        f"CASE WHEN {c} THEN 1 ELSE 0 END AS {name}" for name, c in flags.items()
    )
    labels = " || ".join(
        f"CASE WHEN {c} THEN '{name.replace('_', ' ')}, ' ELSE '' END" for name, c in flags.items()
    )
    problems = f"rtrim({labels}, ', ')"
    any_flag = " OR ".join(f"({c})" for c in flags.values())
    return f"""
            SELECT a.id AS article_id, a.published_on AS date, o.name AS outlet, a.headline,
                   a.byline, g.name AS agency, a.word_count,
                   {columns},
                   {problems} AS problems,
                   a.source_path, a.source_locator
            FROM articles a
            LEFT JOIN outlets o ON o.id = a.outlet_id
            LEFT JOIN outlets g ON g.id = a.agency_id
            WHERE {latest} AND ({any_flag})"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # The writer reads (mentioned_as, person_id) of every mention when it starts:
    # covered by one index, it is read without touching the table.
    op.drop_index("ix_article_people_mentioned_as", table_name="article_people")
    op.create_index(
        "ix_article_people_mentioned_as_person_id",
        "article_people",
        ["mentioned_as", "person_id"],
    )
    op.add_column(
        "outlets",
        sa.Column("boilerplate_version", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("articles", sa.Column("boilerplate", sa.Text(), nullable=True))
    op.add_column(
        "articles",
        sa.Column("boilerplate_checked", sa.Integer(), server_default="0", nullable=False),
    )
    op.create_index(
        "ix_articles_outlet_id_boilerplate_checked",
        "articles",
        ["outlet_id", "boilerplate_checked"],
    )
    # The older versions, which every lookup leaves out (NOT IN this set): a partial
    # index read alone (PostgreSQL at 1M: a person's timeline 45 -> 5 ms).
    op.create_index(
        "ix_articles_older_versions",
        "articles",
        ["id"],
        sqlite_where=sa.text("is_latest = 0"),
        postgresql_where=sa.text("is_latest = false"),
    )
    op.create_table(
        "outlet_lines",
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("line_hash", sa.BigInteger(), nullable=False),
        sa.Column("pages", sa.Integer(), server_default="0", nullable=False),
        sa.Column("learnt", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("learnt_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["outlet_id"],
            ["outlets.id"],
            name=op.f("fk_outlet_lines_outlet_id_outlets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["learnt_run_id"],
            ["import_runs.id"],
            name=op.f("fk_outlet_lines_learnt_run_id_import_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("outlet_id", "line_hash", name=op.f("pk_outlet_lines")),
        sqlite_with_rowid=False,
    )
    op.execute(f"CREATE VIEW article_quality AS {_quality_view(dialect).strip()}")
    writer_state = op.create_table(
        "writer_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_writer_state")),
    )
    op.bulk_insert(writer_state, [{"id": 1, "generation": 0}])


def downgrade() -> None:
    op.drop_table("writer_state")
    op.execute("DROP VIEW IF EXISTS article_quality")
    op.drop_table("outlet_lines")
    op.drop_index("ix_articles_older_versions", table_name="articles")
    op.drop_index("ix_articles_outlet_id_boilerplate_checked", table_name="articles")
    # SQLite drops a column in place (3.35+) when no index, view or trigger names it.
    op.drop_column("articles", "boilerplate_checked")
    op.drop_column("articles", "boilerplate")
    op.drop_column("outlets", "boilerplate_version")
    op.drop_index("ix_article_people_mentioned_as_person_id", table_name="article_people")
    op.create_index("ix_article_people_mentioned_as", "article_people", ["mentioned_as"])
