"""PostgreSQL: the search document moves to a narrow table of its own, ``articles_fts``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21

Up to 0006 the weighted search vector is a generated column of ``articles``
(``articles_fts_doc``, revision 0003) with its GIN index. The GIN index gives the
matching rows, but a search ranks only the newest matches (``SEARCH_RANK_CAP``
in :mod:`newsdb.query`), so PostgreSQL first reads the date of every match from
its ``articles`` row: a row of some twenty columns, its body and vector inline
when they compress well, so a common word at a million articles meant tens of
thousands of random page reads.

From 0007 the vector lives in ``articles_fts (article_id, published_on,
document)``. Its rows are narrow (the vector goes out of line, to the TOAST
table, past ``toast_tuple_target``), so the dates of all the matches are a few
thousand pages that stay in shared buffers; only the newest matches' vectors are
read, to rank them. An index on (published_on, article_id), newest first, lets a
search for a word in most articles walk the newest articles and stop after about a
thousand, rather than sort the dates of all its matches.

The table is kept by statement-level triggers on ``articles`` that read the
statement's transition tables: every way rows arrive (the writer's ``COPY``, an
``INSERT``, an ``UPDATE`` of the text or the date, say by the boilerplate
re-clean) keeps it right, with one set-based statement per statement rather
than one per row. Deleting an article deletes its row (foreign key, cascade).
The vector is weighted as before: headline A, standfirst B, body D.

SQLite is unchanged: its ``articles_fts`` is the FTS5 table.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _document(row: str) -> str:
    return (
        f"setweight(to_tsvector('simple', coalesce({row}.headline, '')), 'A') || "
        f"setweight(to_tsvector('simple', coalesce({row}.standfirst, '')), 'B') || "
        f"setweight(to_tsvector('simple', {row}.body), 'D')"
    )


# toast_tuple_target: the least PostgreSQL allows, so that any vector that makes a row
# pass the TOAST threshold is moved out of line rather than kept compressed in the row.
CREATE_TABLE = """
CREATE TABLE articles_fts (
    article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    published_on date,
    document tsvector NOT NULL
) WITH (toast_tuple_target = 128)
"""
FILL = (
    "INSERT INTO articles_fts (article_id, published_on, document) "
    f"SELECT a.id, a.published_on, {_document('a')} FROM articles a ORDER BY a.id"
)
INDEX = "CREATE INDEX ix_articles_fts_document ON articles_fts USING gin (document)"
# Newest first: a search for a word in most articles walks it and stops after about a
# thousand (newsdb.query._walk).
DATE_INDEX = (
    "CREATE INDEX ix_articles_fts_published_on_article_id ON articles_fts "
    "(published_on DESC NULLS LAST, article_id DESC)"
)

ON_INSERT = f"""
CREATE FUNCTION articles_fts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_fts (article_id, published_on, document)
    SELECT n.id, n.published_on, {_document("n")} FROM articles_fts_new n;
    RETURN NULL;
END
$$
"""
# Transition tables rule out a column list (AFTER UPDATE OF ...): the function
# compares the old and new rows and redoes only the changed ones.
ON_UPDATE = f"""
CREATE FUNCTION articles_fts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_fts f
    SET published_on = n.published_on, document = {_document("n")}
    FROM articles_fts_new n JOIN articles_fts_old o ON o.id = n.id
    WHERE f.article_id = n.id
      AND (n.headline, n.standfirst, n.body, n.published_on)
          IS DISTINCT FROM (o.headline, o.standfirst, o.body, o.published_on);
    RETURN NULL;
END
$$
"""
TRIGGERS = (
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles "
    "REFERENCING NEW TABLE AS articles_fts_new "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_fts_on_insert()",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles "
    "REFERENCING OLD TABLE AS articles_fts_old NEW TABLE AS articles_fts_new "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_fts_on_update()",
)

# Revision 0003's generated column and its index, restored on downgrade.
COLUMN_0003 = (
    "ALTER TABLE articles ADD COLUMN articles_fts_doc tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(headline, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(standfirst, '')), 'B') || "
    "setweight(to_tsvector('simple', body), 'D')) STORED"
)
INDEX_0003 = "CREATE INDEX ix_articles_fts_doc ON articles USING gin (articles_fts_doc)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_fts_doc")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS articles_fts_doc")
    op.execute(CREATE_TABLE)
    op.execute(FILL)
    # Built once over the filled table: faster than row by row, and no pending list.
    op.execute(INDEX)
    op.execute(DATE_INDEX)
    op.execute(ON_INSERT)
    op.execute(ON_UPDATE)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS articles_fts_update ON articles")
    op.execute("DROP TRIGGER IF EXISTS articles_fts_insert ON articles")
    op.execute("DROP FUNCTION IF EXISTS articles_fts_on_update()")
    op.execute("DROP FUNCTION IF EXISTS articles_fts_on_insert()")
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute(COLUMN_0003)
    op.execute(INDEX_0003)
