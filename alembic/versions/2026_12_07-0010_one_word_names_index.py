"""The index of written names holds only one-word names.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

``ix_article_people_mentioned_as_person_id`` held every mention by the name the article
wrote (``mentioned_as``), so that the import writer could find a name's mentions when
it binds the name to another person (``BatchWriter._move``). Every new mention went into
it at a random place: in a 10k append onto 1M bench articles it was 1,965 of the
append's 29,458 changed pages and 7 of the 24 random index entries an article adds.

A name that moves is nearly always a short form ("Novak" when a second Novak turns up,
or a one-word name): its old person's mentions are mostly under a fuller name, so finding
it by the person would read them all (0.65-2.2 s for a person with 133,000 mentions at
1M). A fuller name is nearly all of its person's mentions, and the person index
``(person_id, published_on, article_id)`` finds them as well. So the index now holds
the one-word names only (``WHERE mentioned_as NOT LIKE '% %'``, which SQLite and
PostgreSQL both read, and which the writer repeats word for word when it moves one).

Measured: docs/performance.md, seventeenth round. Cost: one pass over
``article_people`` to build the smaller index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in newsdb.models.ONE_WORD_NAME, written out: a migration does not change with the code.
_ONE_WORD = sa.text("mentioned_as NOT LIKE '% %'")


def upgrade() -> None:
    op.drop_index("ix_article_people_mentioned_as_person_id", table_name="article_people")
    op.create_index(
        "ix_article_people_one_word_names",
        "article_people",
        ["mentioned_as", "person_id"],
        unique=False,
        sqlite_where=_ONE_WORD,
        postgresql_where=_ONE_WORD,
    )


def downgrade() -> None:
    op.drop_index("ix_article_people_one_word_names", table_name="article_people")
    op.create_index(
        "ix_article_people_mentioned_as_person_id",
        "article_people",
        ["mentioned_as", "person_id"],
        unique=False,
    )
