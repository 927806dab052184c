"""Each written name's person and mention count is stored, not counted at every start.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22

``person_names`` holds, for every name as articles write it (``article_people.
mentioned_as``), the person it is bound to and how many mentions use it: what
``SELECT mentioned_as, max(person_id), count(*) ... GROUP BY mentioned_as`` gives.
The import writer needs all of it when it starts and again whenever another writer
has committed; counting it read the whole name index of ``article_people``, 0.8 s
at a million articles, at every turn two importers took. From 0008 the writer keeps
the table in the same transactions as the mentions and reads it instead.

Cost: one pass over that index, to fill the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_names",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_names_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_person_names")),
    )
    op.execute(
        "INSERT INTO person_names (name, person_id, articles) "
        "SELECT mentioned_as, max(person_id), count(*) FROM article_people "
        "WHERE mentioned_as IS NOT NULL GROUP BY mentioned_as"
    )
    op.create_index(op.f("ix_person_names_person_id"), "person_names", ["person_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_person_names_person_id"), table_name="person_names")
    op.drop_table("person_names")
