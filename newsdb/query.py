"""Read-only lookups over a newsdb database.

Every function takes a session first, never writes, and returns plain frozen
dataclasses (not ORM objects), so results outlive the session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, Integer, String, func, or_, select, text
from sqlalchemy import column as sa_column
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, aliased

from .errors import QueryError
from .models import Article, Outlet, Person, Topic
from .store import outlet_key

__all__ = [
    "ArticleDetail",
    "ArticleSummary",
    "SearchHit",
    "Stats",
    "get_article",
    "get_stats",
    "list_articles",
    "search_articles",
]

# Marks around matched words in search snippets (plain text, so they survive
# any terminal or JSON output).
SNIPPET_START = "["
SNIPPET_END = "]"

_Agency = aliased(Outlet)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One line about an article."""

    id: int
    published_on: dt.date | None
    outlet: str | None
    section: str | None
    agency: str | None
    headline: str


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """An article with everything stored about it."""

    id: int
    headline: str
    standfirst: str | None
    body: str
    outlet: str | None
    section: str | None
    byline: str | None
    agency: str | None
    dateline_place: str | None
    published_on: dt.date | None
    published_at: dt.datetime | None
    url: str | None
    language: str | None
    word_count: int
    source_path: str
    source_format: str
    content_sha256: str
    importer_version: str
    imported_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text match: the article, its rank (lower is better) and a snippet."""

    article: ArticleSummary
    rank: float
    snippet: str


@dataclass(frozen=True, slots=True)
class Stats:
    """Row counts of the main tables and the date range covered."""

    articles: int
    outlets: int
    agencies: int
    people: int
    topics: int
    first_date: dt.date | None
    last_date: dt.date | None


def _summary_select() -> Any:  # a Select; its generic form differs across SQLAlchemy 2.x
    return (
        select(
            Article.id,
            Article.published_on,
            Outlet.name,
            Article.section,
            _Agency.name,
            Article.headline,
        )
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(_Agency, Article.agency_id == _Agency.id)
    )


def _filtered(
    stmt: Any,
    *,
    outlet: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> Any:
    if outlet is not None:
        key = outlet_key(outlet)
        # An outlet is matched as publisher or as the agency credited.
        ids = select(Outlet.id).where(Outlet.key == key).scalar_subquery()
        stmt = stmt.where(or_(Article.outlet_id == ids, Article.agency_id == ids))
    if since is not None:
        stmt = stmt.where(Article.published_on >= since)
    if until is not None:
        stmt = stmt.where(Article.published_on <= until)
    return stmt


def _summary(row: Any) -> ArticleSummary:
    return ArticleSummary(
        id=row[0],
        published_on=row[1],
        outlet=row[2],
        section=row[3],
        agency=row[4],
        headline=row[5],
    )


def get_article(session: Session, article_id: int) -> ArticleDetail | None:
    """One article with its outlet and agency names, or ``None`` if there is none."""
    row = session.execute(
        select(Article, Outlet.name, _Agency.name)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(_Agency, Article.agency_id == _Agency.id)
        .where(Article.id == article_id)
    ).one_or_none()
    if row is None:
        return None
    a, outlet_name, agency_name = row
    return ArticleDetail(
        id=a.id,
        headline=a.headline,
        standfirst=a.standfirst,
        body=a.body,
        outlet=outlet_name,
        section=a.section,
        byline=a.byline,
        agency=agency_name,
        dateline_place=a.dateline_place,
        published_on=a.published_on,
        published_at=a.published_at,
        url=a.url,
        language=a.language,
        word_count=a.word_count,
        source_path=a.source_path,
        source_format=a.source_format,
        content_sha256=a.content_sha256,
        importer_version=a.importer_version,
        imported_at=a.imported_at,
    )


def list_articles(
    session: Session,
    *,
    outlet: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ArticleSummary]:
    """Articles, newest first (undated ones last), optionally of one outlet and date range.

    Args:
        session: An open session.
        outlet: An outlet's name (any case), matched as publisher or agency.
        since: First day included.
        until: Last day included.
        limit: At most this many.
        offset: Skip this many first (paging).
    """
    stmt = _filtered(_summary_select(), outlet=outlet, since=since, until=until)
    stmt = stmt.order_by(
        Article.published_on.is_(None), Article.published_on.desc(), Article.id.desc()
    )
    return [_summary(r) for r in session.execute(stmt.limit(limit).offset(offset))]


def search_articles(
    session: Session,
    query: str,
    *,
    outlet: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Full-text search over headline, standfirst and body, best match first.

    On SQLite the query is an FTS5 expression (words, "phrases", AND/OR/NOT,
    prefix*), ranked by bm25; on PostgreSQL it is a web-search expression
    (``websearch_to_tsquery``) ranked by ``ts_rank``. Snippets mark matched
    words with ``[`` and ``]``.

    Raises:
        QueryError: The expression is empty or malformed.
    """
    if not query.strip():
        raise QueryError("empty search expression")
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return _search_sqlite(session, query, outlet=outlet, since=since, until=until, limit=limit)
    if dialect == "postgresql":
        return _search_pg(session, query, outlet=outlet, since=since, until=until, limit=limit)
    raise QueryError(f"full-text search is not available on {dialect}")


def _search_sqlite(
    session: Session,
    query: str,
    *,
    outlet: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
) -> list[SearchHit]:
    fts = (
        text(
            "SELECT rowid AS article_id, bm25(articles_fts, 10.0, 3.0, 1.0) AS rank, "
            f"snippet(articles_fts, -1, '{SNIPPET_START}', '{SNIPPET_END}', '…', 12) AS snippet "
            "FROM articles_fts WHERE articles_fts MATCH :query"
        )
        .columns(
            sa_column("article_id", Integer), sa_column("rank", Float), sa_column("snippet", String)
        )
        .subquery("fts")
    )
    stmt = (
        _filtered(_summary_select(), outlet=outlet, since=since, until=until)
        .add_columns(fts.c.rank, fts.c.snippet)
        .join(fts, fts.c.article_id == Article.id)
        .order_by(fts.c.rank, Article.id)
        .limit(limit)
    )
    try:
        rows = session.execute(stmt, {"query": query}).all()
    except OperationalError as exc:
        message = str(exc.orig) if exc.orig is not None else str(exc)
        # Anything but a lock or a missing table is FTS5 refusing the expression
        # ("fts5: syntax error", "unterminated string", "no such column: x").
        if "locked" not in message and "no such table" not in message:
            raise QueryError(f"malformed search expression {query!r}: {message}") from None
        raise
    return [SearchHit(_summary(r[:6]), float(r[6]), _one_line(r[7])) for r in rows]


def _search_pg(
    session: Session,
    query: str,
    *,
    outlet: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
) -> list[SearchHit]:
    # The same expression as the GIN index in the migration, so the index is used.
    document = func.to_tsvector(
        text("'simple'"),
        func.coalesce(Article.headline, "")
        + " "
        + func.coalesce(Article.standfirst, "")
        + " "
        + Article.body,
    )
    tsquery = func.websearch_to_tsquery(text("'simple'"), query)
    rank = -func.ts_rank(document, tsquery)
    snippet = func.ts_headline(
        text("'simple'"),
        Article.body,
        tsquery,
        f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, MaxWords=24, MinWords=8",
    )
    stmt = (
        _filtered(_summary_select(), outlet=outlet, since=since, until=until)
        .add_columns(rank.label("rank"), snippet.label("snippet"))
        .where(document.op("@@")(tsquery))
        .order_by(text("rank"), Article.id)
        .limit(limit)
    )
    try:
        rows = session.execute(stmt).all()
    except ProgrammingError as exc:
        raise QueryError(f"malformed search expression {query!r}: {exc.orig}") from None
    return [SearchHit(_summary(r[:6]), float(r[6]), _one_line(r[7])) for r in rows]


def _one_line(snippet: str) -> str:
    # Snippets can span paragraphs; one line reads better in tables and terminals.
    return " ".join(snippet.split())


def get_stats(session: Session) -> Stats:
    """Counts of articles, outlets (and agencies among them), people, topics; date range."""
    first, last = session.execute(
        select(func.min(Article.published_on), func.max(Article.published_on))
    ).one()
    return Stats(
        articles=session.scalar(select(func.count()).select_from(Article)) or 0,
        outlets=session.scalar(select(func.count()).select_from(Outlet)) or 0,
        agencies=session.scalar(
            select(func.count()).select_from(Outlet).where(Outlet.kind == "agency")
        )
        or 0,
        people=session.scalar(select(func.count()).select_from(Person)) or 0,
        topics=session.scalar(select(func.count()).select_from(Topic)) or 0,
        first_date=first,
        last_date=last,
    )
