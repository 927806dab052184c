"""The agency index holds only the articles credited to an agency.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

``ix_articles_agency_id_published_on`` served "an agency's articles, newest first"
(revision 0003) but also held every article with no agency, about two thirds of
them, under a NULL key ordered by date: each new article went into it at a random
place. Every lookup of an agency's articles says ``agency_id = ?`` or ``agency_id IS
NOT NULL``, which SQLite and PostgreSQL both read as implying the partial index's
condition, so the index now leaves those rows out. ``ix_articles_agency_id`` (the
column alone) is dropped: the pair index answers every lookup it did.

Measured on the benchmark's 1M-article SQLite file (31% of articles with an agency),
10k pages appended in one transaction: the index's WAL frames fell from 1,361 to 495
(the whole append's from 30,357 to 29,458), and the two indexes' 1,977 pages became 404
(docs/performance.md, fifteenth round).

Cost: one pass over ``articles`` to build the smaller index.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CREDITED = sa.text("agency_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_articles_agency_id_published_on", table_name="articles")
    op.drop_index(op.f("ix_articles_agency_id"), table_name="articles")
    op.create_index(
        "ix_articles_agency_id_published_on",
        "articles",
        ["agency_id", "published_on"],
        unique=False,
        sqlite_where=_CREDITED,
        postgresql_where=_CREDITED,
    )


def downgrade() -> None:
    op.drop_index("ix_articles_agency_id_published_on", table_name="articles")
    op.create_index(op.f("ix_articles_agency_id"), "articles", ["agency_id"], unique=False)
    op.create_index(
        "ix_articles_agency_id_published_on",
        "articles",
        ["agency_id", "published_on"],
        unique=False,
    )
