"""Furniture lines are logged per page and counted at the end of a run.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21

``outlet_line_sightings`` takes one row per (page, candidate line) as the
writer stores a batch: an append, whatever the size of the database. At the end
of a run the rows are counted into ``outlet_lines`` in one sorted pass and
deleted. Counting every line into ``outlet_lines`` as it came rewrote pages all
over that hash-ordered table at every batch: the largest share of what a batch
wrote to a 200,000-article SQLite file (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outlet_line_sightings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("line_hash", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outlet_id"],
            ["outlets.id"],
            name=op.f("fk_outlet_line_sightings_outlet_id_outlets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outlet_line_sightings")),
    )


def downgrade() -> None:
    # Sightings not yet counted are counted first, so going down loses nothing.
    op.execute(
        "INSERT INTO outlet_lines (outlet_id, line_hash, pages) "
        "SELECT outlet_id, line_hash, count(*) FROM outlet_line_sightings "
        "WHERE true GROUP BY outlet_id, line_hash "
        "ON CONFLICT (outlet_id, line_hash) "
        "DO UPDATE SET pages = outlet_lines.pages + excluded.pages"
    )
    op.drop_table("outlet_line_sightings")
