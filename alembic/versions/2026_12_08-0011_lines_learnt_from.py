"""The writer remembers down to how many pages every counted line is learnt.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08

At the end of every run the import writer counted the run's line sightings into
``outlet_lines``, then read the whole table for lines now on ``min_pages`` pages
that were not learnt yet: at 1M bench articles 6M rows, 0.16-0.21 s of every
append, growing with the database. The lines that can have reached the threshold
are the ones the run counted, provided every other line on that many pages was
learnt before. ``writer_state.lines_learnt_from`` records that level: after a pass
with ``min_pages`` N, every line of ``outlet_lines`` on N pages or more is learnt.
NULL (as here, for a database made before) means not known: the next pass reads the
whole table once and sets it. A pass that counts without learning sets it back to NULL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("writer_state", sa.Column("lines_learnt_from", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("writer_state") as batch:
        batch.drop_column("lines_learnt_from")
