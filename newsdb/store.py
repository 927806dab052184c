"""Writing parsed articles to the database: get-or-create by natural key.

Functions here take a session (or, for :func:`insert_rows`, a connection) and never
commit, roll back or close it.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Date, DateTime, Table, delete, func, insert, select
from sqlalchemy.orm import Session

from . import __version__
from .enrich.topics import Taxonomy, TopicScore, assign_topics
from .models import Article, ArticlePerson, ArticleTopic, Outlet, OutletKind, PersonName, Topic
from .parsers.base import ParsedArticle, RawPage

_SPACES = re.compile(r"\s+")


class SaveStatus(enum.StrEnum):
    """What saving one page did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """The article row a page maps to, and what happened to it."""

    article_id: int
    status: SaveStatus


def _sqlite_date(value: dt.date | None) -> str | None:
    # SQLAlchemy's own storage format for Date on SQLite.
    return None if value is None else value.isoformat()


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """``INSERT`` many rows that all have the same keys (the import's link tables).

    On SQLite the rows go to the driver's ``executemany`` as tuples: SQLAlchemy's
    per-row parameter processing cost more than the insert itself (4.6 against
    2.2 µs a row, measured on the 2-core machine; docs/performance.md). Dates and
    times are stored as SQLAlchemy stores them (ISO text, times through the
    dialect's own conversion); other values must be ones the driver takes as they
    are (numbers, text, None). On PostgreSQL the rows go by
    ``COPY ... FROM STDIN`` (:func:`_copy_rows`); elsewhere by Core's ``insert``.
    """
    if not rows:
        return
    # Python-side defaults are Core's to fill in, so every such column must be given
    # (on both backends, so that what works on one works on the other).
    left = [c.name for c in table.c if c.default is not None and c.name not in rows[0]]
    if left:
        raise ValueError(f"insert_rows needs values for {table.name}.{', '.join(left)}")
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, rows)
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    convert: dict[str, Callable[[Any], Any]] = {}
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, DateTime):
            # The dialect's own conversion, the one Core applies (SQLite keeps text).
            process = kind.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            if process is not None:
                convert[name] = process
        elif isinstance(kind, Date):
            convert[name] = _sqlite_date
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    # itemgetter builds each row's tuple in C: 7,000 rows of article_people took 2.4 ms
    # instead of 4.8 with a generator a row (docs/performance.md, fourteenth round).
    values: list[Any]
    if len(columns) == 1:
        (only,) = columns
        values = [(row[only],) for row in rows]
    else:
        get = operator.itemgetter(*columns)
        values = [get(row) for row in rows]
    if convert:
        at = [(i, convert[c]) for i, c in enumerate(columns) if c in convert]
        for n, value in enumerate(values):
            fixed = list(value)
            for i, to_sql in at:
                fixed[i] = to_sql(fixed[i])
            values[n] = tuple(fixed)
    conn.exec_driver_sql(sql, values)


def count_person_names(conn: Connection) -> None:
    """Fill ``person_names`` again from ``article_people``: each written name, its person and
    its number of mentions (what revision 0008 does once).

    The import writer keeps the table itself; this is for mentions written some other way
    (generated test and benchmark databases, or ``article_people`` edited by hand).
    """
    names = cast(Table, PersonName.__table__)
    mentions = cast(Table, ArticlePerson.__table__)
    conn.execute(delete(names))
    conn.execute(
        insert(names).from_select(
            ["name", "person_id", "articles"],
            select(mentions.c.mentioned_as, func.max(mentions.c.person_id), func.count())
            .where(mentions.c.mentioned_as.is_not(None))
            .group_by(mentions.c.mentioned_as),
        )
    )


def _copy_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """PostgreSQL: the rows through ``COPY ... FROM STDIN`` on the same connection and
    transaction. The server skips a statement's parsing and planning per batch of values
    and the client SQLAlchemy's per-row parameter processing (docs/performance.md)."""
    columns = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def name_key(name: str) -> str:
    """The natural key of a name (an outlet's, a person's, an alias): case-folded,
    whitespace collapsed. Stored in ``outlets.key``, ``people.key`` and
    ``person_aliases.key``, so lookups compare the same form the writer stored."""
    return _SPACES.sub(" ", name).strip().casefold()


# The outlet key is the name key (kept under its own name for callers).
outlet_key = name_key


def resolve_outlet(session: Session, name: str, kind: OutletKind) -> Outlet:
    """Return the outlet row for ``name``, creating it if needed.

    An existing row keeps the kind it was created with, except that a plain
    publisher row is promoted when the same name is later seen as an agency or
    broadcaster (a more specific fact).
    """
    key = outlet_key(name)
    outlet = session.scalars(select(Outlet).where(Outlet.key == key)).one_or_none()
    if outlet is None:
        outlet = Outlet(key=key, name=_SPACES.sub(" ", name).strip(), kind=kind.value)
        session.add(outlet)
        session.flush()
    elif outlet.kind == OutletKind.PUBLISHER.value and kind != OutletKind.PUBLISHER:
        outlet.kind = kind.value
    return outlet


def find_by_hash(session: Session, sha256: str) -> Article | None:
    """The article stored from a file with these exact bytes, if any."""
    return session.scalars(select(Article).where(Article.content_sha256 == sha256)).one_or_none()


def save_article(
    session: Session, raw: RawPage, parsed: ParsedArticle, *, source_path: str
) -> SaveResult:
    """Store one parsed page, idempotently.

    The file's byte hash is the natural key: the same bytes again change nothing
    (``unchanged`` from the same path, ``duplicate`` from another). A file
    whose path is already stored but whose bytes changed updates that article in
    place (``updated``). Anything else is ``added``.

    Args:
        session: The session to write through (the caller owns the transaction).
        raw: The file as read.
        parsed: What the parser found in it.
        source_path: The path recorded as the article's provenance.

    Returns:
        The article's id and what happened.
    """
    existing = find_by_hash(session, raw.sha256)
    if existing is not None:
        status = (
            SaveStatus.UNCHANGED if existing.source_path == source_path else SaveStatus.DUPLICATE
        )
        return SaveResult(existing.id, status)

    outlet = resolve_outlet(session, parsed.outlet, OutletKind.PUBLISHER) if parsed.outlet else None
    agency = resolve_outlet(session, parsed.agency, OutletKind.AGENCY) if parsed.agency else None
    fields = {
        "headline": parsed.headline,
        "standfirst": parsed.standfirst,
        "body": parsed.body,
        "section": parsed.section,
        "byline": parsed.byline,
        "dateline_place": parsed.dateline_place,
        "published_on": parsed.published_on,
        "published_at": parsed.published_at,
        "url": parsed.url,
        "language": parsed.language,
        "word_count": len(parsed.body.split()),
        "outlet_id": outlet.id if outlet else None,
        "agency_id": agency.id if agency else None,
        "source_path": source_path,
        "source_format": parsed.format.value,
        "content_sha256": raw.sha256,
        "importer_version": __version__,
    }
    previous = session.scalars(
        select(Article).where(Article.source_path == source_path).order_by(Article.id)
    ).first()
    if previous is not None:
        for name, value in fields.items():
            setattr(previous, name, value)
        previous.imported_at = func.now()
        session.flush()
        return SaveResult(previous.id, SaveStatus.UPDATED)
    article = Article(**fields)
    session.add(article)
    session.flush()
    return SaveResult(article.id, SaveStatus.ADDED)


# Scores are stored rounded so that re-computing them gives the same stored value.
SCORE_DIGITS = 4
# Links a person made by hand; re-tagging never touches them.
USER_METHOD = "user"


def sync_topics(session: Session, taxonomy: Taxonomy) -> dict[str, int]:
    """Make the ``topics`` table hold every topic of ``taxonomy`` (by slug).

    Names, IPTC codes and parents are updated in place; topics no longer in the
    taxonomy are left alone here (see :func:`prune_topics`).

    Returns:
        Topic id by slug, for the taxonomy's topics.
    """
    existing = {t.slug: t for t in session.scalars(select(Topic))}
    for d in taxonomy:
        row = existing.get(d.slug)
        if row is None:
            row = existing[d.slug] = Topic(slug=d.slug, name=d.name)
            session.add(row)
        row.name, row.iptc_code = d.name, d.iptc
    session.flush()
    for d in taxonomy:
        parent = existing[d.parent].id if d.parent else None
        if existing[d.slug].parent_id != parent:
            existing[d.slug].parent_id = parent
    session.flush()
    return {d.slug: existing[d.slug].id for d in taxonomy}


def save_topics(
    session: Session, article_id: int, scores: Sequence[TopicScore], topic_ids: dict[str, int]
) -> tuple[int, int, int]:
    """Replace an article's computed topic links (user links stay) with ``scores``.

    Returns:
        Links added, removed and changed (score or method).
    """
    links = session.scalars(select(ArticleTopic).where(ArticleTopic.article_id == article_id))
    current: dict[int, ArticleTopic] = {}
    user: set[int] = set()
    for link in links:
        if link.method == USER_METHOD:
            user.add(link.topic_id)
        else:
            current[link.topic_id] = link
    wanted = {
        topic_ids[s.slug]: (round(s.score, SCORE_DIGITS), s.method)
        for s in scores
        if topic_ids[s.slug] not in user
    }
    added = removed = changed = 0
    for topic_id, link in current.items():
        if topic_id not in wanted:
            session.delete(link)
            removed += 1
        elif (link.score, link.method) != wanted[topic_id]:
            link.score, link.method = wanted[topic_id]
            changed += 1
    for topic_id, (score, method) in wanted.items():
        if topic_id not in current:
            session.add(
                ArticleTopic(article_id=article_id, topic_id=topic_id, score=score, method=method)
            )
            added += 1
    session.flush()
    return added, removed, changed


def prune_topics(session: Session, taxonomy: Taxonomy) -> int:
    """Delete topic rows that are not in ``taxonomy`` and no article links to any more.

    Returns:
        How many were deleted.
    """
    keep = {d.slug for d in taxonomy}
    linked = select(ArticleTopic.topic_id)
    parents = select(Topic.parent_id).where(Topic.parent_id.is_not(None))
    doomed = session.scalars(
        select(Topic).where(
            Topic.slug.not_in(keep), Topic.id.not_in(linked), Topic.id.not_in(parents)
        )
    ).all()
    for topic in doomed:
        session.delete(topic)
    session.flush()
    return len(doomed)


@dataclass(frozen=True, slots=True)
class RetopicReport:
    """What re-tagging changed."""

    articles: int
    articles_changed: int
    links_added: int
    links_removed: int
    links_changed: int
    topics_deleted: int


def retopic_articles(
    session: Session, taxonomy: Taxonomy, *, chunk_size: int = 500
) -> RetopicReport:
    """Re-assign every stored article's topics from ``taxonomy``, in place.

    Reads the stored headline, standfirst, body and section (never the source
    files). Links made by a user (method ``user``) are kept. Idempotent: a second
    run with the same taxonomy changes nothing.
    """
    topic_ids = sync_topics(session, taxonomy)
    seen = changed_articles = added = removed = changed = 0
    last_id = 0
    while True:
        rows = session.execute(
            select(Article.id, Article.headline, Article.standfirst, Article.body, Article.section)
            .where(Article.id > last_id)
            .order_by(Article.id)
            .limit(chunk_size)
        ).all()
        if not rows:
            break
        for article_id, headline, standfirst, body, section in rows:
            scores = assign_topics(
                taxonomy, headline=headline, body=body, standfirst=standfirst, section=section
            )
            a, r, c = save_topics(session, article_id, scores, topic_ids)
            seen += 1
            changed_articles += bool(a or r or c)
            added, removed, changed = added + a, removed + r, changed + c
        last_id = rows[-1][0]
    deleted = prune_topics(session, taxonomy)
    return RetopicReport(seen, changed_articles, added, removed, changed, deleted)
