"""Story sketches are recomputed with the vectorised shingle hash.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21

``article_bands`` holds each article's bottom-k sketch: the smallest hashes of
its six-word shingles. Up to 0005 a shingle's hash was its CRC-32, one Python
call per shingle, a quarter of a worker's time per page. From 0006 it is the
polynomial hash of :mod:`newsdb.enrich.stories`, computed for all the shingles
of a text at once. Sketches of the two kinds never match, so every stored
article's sketch is computed again from its stored body (the text the importer
sketched). Upgrading uses the code's current definition; downgrading restores
the CRC-32 one, defined here.

The bucket index becomes (bucket, article_id), so that the writer reads a
bucket's newest holders from the index alone: a stock phrase's hash can be in
hundreds of thousands of sketches, and reading them all for every batch cost
the writer a sixth of its time appending to a million articles.

Cost: one pass over the bodies (about 0.1 ms an article for the hashes, plus
reading them) and the bands written again, with their bucket index built once
at the end rather than row by row.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections.abc import Callable, Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Articles read per round: bounded memory whatever the size of the database.
CHUNK = 2000
# The sketch's length, words per shingle and the fewest words sketched, as in 0002-0005.
_SKETCH, _SHINGLE, _MIN_WORDS = 4, 6, 40
_WORD = re.compile(r"\w+")


def _crc_sketch(text: str) -> tuple[int, ...]:
    """The sketch up to revision 0005: the smallest CRC-32s of the shingles."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    count = len(words) if len(lowered) == len(text) else len(_WORD.findall(text))
    if count < _MIN_WORDS:
        return ()
    hashes = {
        zlib.crc32(" ".join(words[i : i + _SHINGLE]).encode())
        for i in range(len(words) - _SHINGLE + 1)
    }
    return tuple(heapq.nsmallest(_SKETCH, hashes))


def _resketch(
    sketch: Callable[[str], tuple[int, ...]], *, drop: str, create: tuple[str, list[str]]
) -> None:
    conn = op.get_bind()
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("body", sa.Text))
    bands = sa.table(
        "article_bands",
        sa.column("article_id", sa.Integer),
        sa.column("band", sa.Integer),
        sa.column("bucket", sa.BigInteger),
    )
    op.drop_index(op.f(drop), table_name="article_bands")
    conn.execute(sa.delete(bands))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(articles.c.id, articles.c.body)
            .where(articles.c.id > last)
            .order_by(articles.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        last = rows[-1][0]
        new = [
            {"article_id": aid, "band": rank, "bucket": value}
            for aid, body in rows
            for rank, value in enumerate(sketch(body or ""))
        ]
        if new:
            conn.execute(sa.insert(bands), new)
    op.create_index(op.f(create[0]), "article_bands", create[1])


def upgrade() -> None:
    from newsdb.enrich.stories import sketch

    _resketch(
        sketch,
        drop="ix_article_bands_bucket",
        create=("ix_article_bands_bucket_article_id", ["bucket", "article_id"]),
    )


def downgrade() -> None:
    _resketch(
        _crc_sketch,
        drop="ix_article_bands_bucket_article_id",
        create=("ix_article_bands_bucket", ["bucket"]),
    )
