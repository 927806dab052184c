"""Views for the common joins, and a full-text table that Datasette recognises.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21

The views are plain SQL, so any SQLite client (the ``sqlite3`` shell, DB
Browser, Datasette) and any PostgreSQL client can read them; only the list
aggregation differs (``group_concat`` over an ordered subquery on SQLite,
``string_agg(... ORDER BY ...)`` on PostgreSQL). Every view but
``article_versions`` shows the latest version of each article only.

On PostgreSQL the search document becomes a stored, weighted ``tsvector``
column (``articles_fts_doc``) with its GIN index, so ranking does not parse
every matching body again.

On SQLite the FTS5 table is made again with ``content=[articles]``: Datasette
finds the full-text table of ``articles`` by that spelling of the option
(``content="articles"`` or ``content=[articles]``; the quoted
``content='articles'`` of revision 0001 is not recognised). The columns,
tokenizer and triggers are unchanged, and the index is rebuilt from the table.

Later revisions, read this: SQLite refuses to rename a table while a view
names a table that is missing, and batch mode (``op.batch_alter_table``)
rebuilds a table by creating ``_alembic_tmp_<name>``, dropping the old table and
renaming the new one. A revision that rebuilds a table any view reads
(``articles``, ``outlets``, ``people``, ``person_aliases``, ``article_people``,
``article_topics``, ``topics``, ``quotes``, ``article_outlets``) must drop the
views first and create them again after, with the view text as of that
revision (a migration is a snapshot: copy :data:`VIEWS` and
:func:`create_views` / :func:`drop_views` into it, and change the copy). The
FTS triggers on ``articles`` need the same treatment (see revision 0002).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DIALECTS = ("sqlite", "postgresql")


def _latest(dialect: str, alias: str = "a") -> str:
    return f"{alias}.is_latest = 1" if dialect == "sqlite" else f"{alias}.is_latest"


def _list(dialect: str, value: str, source: str, order: str) -> str:
    """A comma-separated list of ``value`` over ``source`` (FROM ... WHERE ...), in ``order``.

    SQLite's ``group_concat`` takes no ORDER BY before 3.44, so it reads an
    ordered subquery (which SQLite keeps in order); PostgreSQL orders inside
    ``string_agg``.
    """
    if dialect == "postgresql":
        return f"(SELECT string_agg({value}, ', ' ORDER BY {order}) {source})"
    return f"(SELECT group_concat(v, ', ') FROM (SELECT {value} AS v {source} ORDER BY {order}))"


def _views(dialect: str) -> dict[str, str]:
    latest = _latest(dialect)
    people = _list(
        dialect,
        "p.name",
        "FROM article_people ap JOIN people p ON p.id = ap.person_id WHERE ap.article_id = a.id",
        "ap.mention_count DESC, p.name",
    )
    topics = _list(
        dialect,
        "t.slug",
        "FROM article_topics at JOIN topics t ON t.id = at.topic_id WHERE at.article_id = a.id",
        "at.score DESC, t.slug",
    )
    aliases = _list(
        dialect, "pa.alias", "FROM person_aliases pa WHERE pa.person_id = p.id", "pa.alias"
    )
    return {
        # One line per article: the question most people ask first.
        "article_overview": f"""
            SELECT a.id, a.published_on AS date, o.name AS outlet, g.name AS agency,
                   a.section, a.headline, {people} AS people, {topics} AS topics, a.url
            FROM articles a
            LEFT JOIN outlets o ON o.id = a.outlet_id
            LEFT JOIN outlets g ON g.id = a.agency_id
            WHERE {latest}""",
        # Who is mentioned where: one line per person per article.
        "person_mentions": f"""
            SELECT p.name AS person, p.id AS person_id, ap.mentioned_as, a.id AS article_id,
                   a.published_on AS date, o.name AS outlet, a.headline, ap.role,
                   ap.mention_count
            FROM article_people ap
            JOIN people p ON p.id = ap.person_id
            JOIN articles a ON a.id = ap.article_id
            LEFT JOIN outlets o ON o.id = a.outlet_id
            WHERE {latest}""",
        # Every quotation with who said it (a person, else the name given, else an outlet).
        "quote_list": f"""
            SELECT q.id AS quote_id, a.published_on AS date,
                   coalesce(p.name, q.speaker, so.name) AS speaker, q.person_id,
                   q.text AS quote, o.name AS outlet, a.headline, a.id AS article_id, q.cue
            FROM quotes q
            JOIN articles a ON a.id = q.article_id
            LEFT JOIN people p ON p.id = q.person_id
            LEFT JOIN outlets so ON so.id = q.outlet_id
            LEFT JOIN outlets o ON o.id = a.outlet_id
            WHERE {latest}""",
        # Every outlet an article names: its publisher, its agency, the sources it cites.
        "cited_outlets": f"""
            SELECT l.article_id, a.published_on AS date, pub.name AS publisher, a.headline,
                   o.name AS outlet, o.kind, l.role
            FROM article_outlets l
            JOIN articles a ON a.id = l.article_id
            JOIN outlets o ON o.id = l.outlet_id
            LEFT JOIN outlets pub ON pub.id = a.outlet_id
            WHERE {latest}""",
        # Articles by topic, with the parent topic, so a parent's children can be grouped.
        "topic_articles": f"""
            SELECT t.slug AS topic, t.name AS topic_name, pt.slug AS parent, at.article_id,
                   a.published_on AS date, o.name AS outlet, a.headline, at.score, at.method
            FROM article_topics at
            JOIN topics t ON t.id = at.topic_id
            LEFT JOIN topics pt ON pt.id = t.parent_id
            JOIN articles a ON a.id = at.article_id
            LEFT JOIN outlets o ON o.id = a.outlet_id
            WHERE {latest}""",
        # People with every form of their name seen and how many articles name them.
        "people_overview": f"""
            SELECT p.id AS person_id, p.name, p.ambiguous, {aliases} AS aliases,
                   (SELECT count(*) FROM article_people ap JOIN articles a
                        ON a.id = ap.article_id AND {latest}
                    WHERE ap.person_id = p.id) AS articles
            FROM people p""",
        # Every stored version of a URL, oldest first (all versions, not only the latest).
        "article_versions": """
            SELECT a.url_key, a.version, a.is_latest, a.id AS article_id,
                   a.published_on AS date, a.headline, a.imported_at, a.source_path
            FROM articles a
            WHERE a.url_key IS NOT NULL""",
    }


# View name -> dialect -> SELECT text (the CREATE VIEW around it is added by create_views).
VIEWS: dict[str, dict[str, str]] = {
    name: {dialect: _views(dialect)[name] for dialect in DIALECTS} for name in _views("sqlite")
}


def create_views(views: dict[str, dict[str, str]] = VIEWS) -> None:
    """Create every view in ``views`` for the current dialect, in order."""
    dialect = op.get_bind().dialect.name
    for name, by_dialect in views.items():
        op.execute(f"CREATE VIEW {name} AS {by_dialect[dialect].strip()}")


def drop_views(views: dict[str, dict[str, str]] = VIEWS) -> None:
    """Drop every view in ``views`` (if it exists), in reverse order."""
    for name in reversed(list(views)):
        op.execute(f"DROP VIEW IF EXISTS {name}")


# The full-text table and its triggers as in revision 0002, but for the spelling of content=.
FTS_TRIGGERS_DROP = [
    "DROP TRIGGER IF EXISTS articles_fts_au",
    "DROP TRIGGER IF EXISTS articles_fts_ad",
    "DROP TRIGGER IF EXISTS articles_fts_ai",
]
FTS_TRIGGERS = [
    # Skipped while a bulk writer feeds the index per batch (see revision 0002).
    """CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles
    WHEN NOT EXISTS (SELECT 1 FROM articles_fts_defer) BEGIN
        INSERT INTO articles_fts(rowid, headline, standfirst, body)
        VALUES (new.id, new.headline, new.standfirst, new.body);
    END""",
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


def _fts_table(content: str) -> str:
    return f"""CREATE VIRTUAL TABLE articles_fts USING fts5(
        headline, standfirst, body,
        content={content}, content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )"""


def _remake_fts(content: str) -> None:
    for statement in FTS_TRIGGERS_DROP:
        op.execute(statement)
    op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute(_fts_table(content))
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    for statement in FTS_TRIGGERS:
        op.execute(statement)


# Indexes the lookups of newsdb.query need (see docs/queries.md): an agency's
# articles newest first without sorting them all.
INDEXES: list[tuple[str, str, list[str]]] = [
    ("ix_articles_agency_id_published_on", "articles", ["agency_id", "published_on"]),
]


# PostgreSQL: the search document stored (a generated column), so that ranking
# reads it instead of parsing every matching body again (ts_rank needs the
# vector; an expression index gives only the match). Weighted like SQLite's
# bm25 columns: headline A (1.0), standfirst B (0.4), body D (0.1). The names
# start with articles_fts so that Alembic's comparison leaves them out.
PG_FTS_COLUMN = (
    "ALTER TABLE articles ADD COLUMN articles_fts_doc tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', coalesce(headline, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(standfirst, '')), 'B') || "
    "setweight(to_tsvector('simple', body), 'D')) STORED"
)
PG_FTS_INDEX = "CREATE INDEX ix_articles_fts_doc ON articles USING gin (articles_fts_doc)"
# Revision 0001's expression index, dropped (the column's index replaces it) and
# restored on downgrade.
PG_FTS_0001 = (
    "CREATE INDEX ix_articles_fts ON articles USING gin (to_tsvector('simple', "
    "coalesce(headline, '') || ' ' || coalesce(standfirst, '') || ' ' || body))"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _remake_fts("[articles]")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_fts")
        op.execute(PG_FTS_COLUMN)
        op.execute(PG_FTS_INDEX)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    create_views()


def downgrade() -> None:
    drop_views()
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _remake_fts("'articles'")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_fts_doc")
        op.execute("ALTER TABLE articles DROP COLUMN articles_fts_doc")
        op.execute(PG_FTS_0001)
