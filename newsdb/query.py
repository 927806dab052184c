"""Read-only lookups over a newsdb database.

Every function takes a session first, never writes, and returns plain frozen
dataclasses (not ORM objects), so results outlive the session. Only the latest
version of each article counts, unless a function says otherwise.

Most functions take an :class:`ArticleFilter` (positionally) and/or its fields
as keywords, which are merged into it::

    list_articles(session, person="Lindqvist", since=dt.date(2026, 1, 1))
    where = ArticleFilter(topic="economy", outlet="Northgate Times")
    timeline(session, where, by="week")

Names are resolved first: a person by any of their names (any case), an outlet
by its name (any case), a topic by its slug or name together with its
sub-topics. A name that matches nothing matches no article; a person's name
that fits several people raises :class:`~newsdb.errors.QueryError` listing them.

How the SQL is shaped, for speed on large databases: each query is driven by
the most selective index (a person's ``article_people`` rows, which carry the
date; the FTS index; the outlet's or date's index on ``articles``), and every
other criterion is a membership test of the article id in a subquery (``id IN
(...)``), so the wide ``articles`` rows (whose later columns sit on overflow
pages behind the body) are read only for the rows returned. "Latest version
only" is ``id NOT IN (ids of older versions)``, a small set.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypedDict, Unpack

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
    union,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.functions import FunctionElement

from . import ranking
from .errors import QueryError
from .models import (
    OUTLET_ROLES,
    Article,
    ArticleOutlet,
    ArticlePerson,
    ArticleTopic,
    Outlet,
    OutletRole,
    Person,
    PersonAlias,
    Quote,
    Story,
    Topic,
)
from .store import name_key, outlet_key

__all__ = [
    "DEFAULT_ROLES",
    "PERIODS",
    "ArticleDetail",
    "ArticleFilter",
    "ArticleSummary",
    "Criteria",
    "ExportArticle",
    "ExportPerson",
    "OutletCount",
    "OutletLink",
    "OutletStats",
    "Period",
    "PersonCount",
    "PersonMention",
    "PersonProfile",
    "PersonRef",
    "QUALITY_PROBLEMS",
    "QualityItem",
    "QuoteItem",
    "SearchHit",
    "Stats",
    "StoryInfo",
    "TimelinePoint",
    "TopicCount",
    "TopicLink",
    "VersionInfo",
    "co_mentions",
    "data_quality",
    "get_article",
    "get_person",
    "get_stats",
    "iter_export",
    "list_articles",
    "list_cited_outlets",
    "quality_counts",
    "list_outlets",
    "list_people",
    "list_quotes",
    "list_topics",
    "resolve_person",
    "search_articles",
    "timeline",
]

# Marks around matched words in search snippets (plain text, so they survive
# any terminal or JSON output).
SNIPPET_START = "["
SNIPPET_END = "]"
# bm25 weights of the FTS5 columns headline, standfirst, body.
BM25_WEIGHTS = (10.0, 3.0, 1.0)
DEFAULT_ROLES: tuple[str, ...] = (OutletRole.PUBLISHER.value, OutletRole.AGENCY.value)

Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")

_Agency = aliased(Outlet)
# The SQLite FTS5 table (not a model: it exists only in the migrations).
_FTS = table("articles_fts", column("rowid", Integer))
# PostgreSQL's search table (revision 0007): an article's date and weighted search vector,
# in narrow rows of their own. Not in the models: it lives in the migrations only.
_PG_FTS = table(
    "articles_fts",
    column("article_id", Integer),
    column("published_on", Date),
    column("document"),
)
_ID = re.compile(r"#?(\d+)")


# ---------------------------------------------------------------------------
# The filter


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a lookup is about; every field given must hold (AND).

    Attributes:
        person: Articles mentioning this person: any of their names, any case,
            or their id (an ``int`` or ``"#12"``).
        outlet: Articles linked to this outlet (its name, any case, or ``"#id"``)
            in one of ``outlet_roles``.
        outlet_roles: ``publisher`` (the outlet published it), ``agency`` (the
            wire agency credited) and/or ``cited`` (the article cites the outlet).
        topic: Articles tagged with this topic (slug or name, any case) or
            with any of its sub-topics.
        since: First day included (``published_on``); undated articles are out
            as soon as a date bound is given.
        until: Last day included.
        search: A full-text expression the articles must match (see
            :func:`search_articles`).
    """

    person: str | int | None = None
    outlet: str | None = None
    outlet_roles: tuple[str, ...] = DEFAULT_ROLES
    topic: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    search: str | None = None

    def but(self, **changes: Any) -> ArticleFilter:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


class Criteria(TypedDict, total=False):
    """The fields of :class:`ArticleFilter`, as keyword arguments of the lookups."""

    person: str | int | None
    outlet: str | None
    outlet_roles: tuple[str, ...]
    topic: str | None
    since: dt.date | None
    until: dt.date | None
    search: str | None


def _merge(where: ArticleFilter | None, criteria: Criteria) -> ArticleFilter:
    base = where or ArticleFilter()
    given = {k: v for k, v in criteria.items() if v is not None}
    return base.but(**given) if given else base


# ---------------------------------------------------------------------------
# Results


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
class OutletLink:
    """An outlet linked to an article, and how (publisher, agency, cited)."""

    id: int
    name: str
    kind: str
    role: str


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A person mentioned in an article."""

    person_id: int
    name: str
    mentioned_as: str | None
    role: str | None
    mention_count: int
    first_offset: int | None


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """A quotation, who said it and where."""

    id: int
    text: str
    speaker: str | None
    person_id: int | None
    speaker_kind: str | None
    cue: str | None
    article_id: int
    published_on: dt.date | None
    outlet: str | None
    headline: str


@dataclass(frozen=True, slots=True)
class TopicLink:
    """A topic assigned to an article."""

    slug: str
    name: str
    parent: str | None
    score: float
    method: str


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One stored version of an article's URL."""

    id: int
    version: int
    is_latest: bool
    headline: str
    imported_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoryInfo:
    """The story an article belongs to, and the other (latest) articles telling it."""

    id: int
    label: str
    articles: tuple[ArticleSummary, ...]


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
    version: int
    is_latest: bool
    outlets: tuple[OutletLink, ...]
    people: tuple[PersonMention, ...]
    quotes: tuple[QuoteItem, ...]
    topics: tuple[TopicLink, ...]
    story: StoryInfo | None
    versions: tuple[VersionInfo, ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text match: the article, its rank (lower is better) and a snippet."""

    article: ArticleSummary
    rank: float
    snippet: str


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person row, as a name resolves to it."""

    id: int
    name: str
    ambiguous: bool


@dataclass(frozen=True, slots=True)
class PersonCount:
    """A person and the number of (latest) articles that mention them."""

    id: int
    name: str
    articles: int


@dataclass(frozen=True, slots=True)
class TopicCount:
    """A topic and the number of articles tagged with it (sub-topics not included)."""

    slug: str
    name: str
    parent: str | None
    articles: int


@dataclass(frozen=True, slots=True)
class OutletCount:
    """An outlet and the number of articles linking to it."""

    id: int
    name: str
    kind: str
    articles: int


@dataclass(frozen=True, slots=True)
class OutletStats:
    """An outlet and its articles in each role."""

    id: int
    name: str
    kind: str
    published: int
    as_agency: int
    cited: int


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """Articles in one period (a day, a week from Monday, a month, a year)."""

    period: dt.date
    articles: int


@dataclass(frozen=True, slots=True)
class PersonProfile:
    """A person, their names, and what the articles say about them."""

    id: int
    name: str
    ambiguous: bool
    aliases: tuple[str, ...]
    articles: int
    quotes: int
    first_date: dt.date | None
    last_date: dt.date | None
    co_mentions: tuple[PersonCount, ...]
    topics: tuple[TopicCount, ...]
    outlets: tuple[OutletCount, ...]
    recent: tuple[ArticleSummary, ...]


@dataclass(frozen=True, slots=True)
class ExportPerson:
    """A person in an exported article."""

    name: str
    role: str | None
    mentions: int


@dataclass(frozen=True, slots=True)
class ExportArticle:
    """One article as exported, with its people and topics."""

    id: int
    published_on: dt.date | None
    outlet: str | None
    agency: str | None
    section: str | None
    headline: str
    url: str | None
    standfirst: str | None
    body: str | None
    people: tuple[ExportPerson, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Stats:
    """Row counts of the main tables and the date range covered (latest versions)."""

    articles: int
    outlets: int
    agencies: int
    people: int
    topics: int
    first_date: dt.date | None
    last_date: dt.date | None
    older_versions: int = 0
    quotes: int = 0
    stories: int = 0


# ---------------------------------------------------------------------------
# Resolving names


class _bytes(FunctionElement[Any]):
    """A text column sorted in code-point order on every backend.

    SQLite compares text by bytes (UTF-8: code-point order); PostgreSQL follows
    the database's locale unless told ``COLLATE "C"``. Ties in rankings are
    broken by name, and must break the same way on both.
    """

    inherit_cache = True
    name = "bytes"


@compiles(_bytes)
def _bytes_default(element: _bytes, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_bytes, "postgresql")
def _bytes_pg(element: _bytes, compiler: Any, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'


def _as_id(value: str | int) -> int | None:
    if isinstance(value, int):
        return value
    match = _ID.fullmatch(value.strip())
    return int(match.group(1)) if match and value.strip().startswith("#") else None


def resolve_person(session: Session, person: str | int) -> PersonRef | None:
    """The one person a name (or id) stands for, or ``None`` if no one has that name.

    The name is compared with every stored form of every person's name, case
    and spacing aside.

    Raises:
        QueryError: The name fits several people: two people share it, or it
            is a short form stored apart as ambiguous. The message lists them.
    """
    person_id = _as_id(person)
    columns = (Person.id, Person.name, Person.ambiguous)
    if person_id is not None:
        row = session.execute(select(*columns).where(Person.id == person_id)).one_or_none()
        return PersonRef(row[0], row[1], bool(row[2])) if row else None
    assert isinstance(person, str)
    key = name_key(person)
    if not key:
        raise QueryError("empty person name")
    ids = union(
        select(Person.id).where(Person.key == key),
        select(PersonAlias.person_id).where(PersonAlias.key == key),
    ).subquery()
    rows = [
        PersonRef(r[0], r[1], bool(r[2]))
        for r in session.execute(
            select(*columns).where(Person.id.in_(select(ids.c[0]))).order_by(Person.id)
        )
    ]
    if not rows:
        return None
    if len(rows) == 1 and not rows[0].ambiguous:
        return rows[0]
    candidates = {r.id: r for r in rows}
    if any(r.ambiguous for r in rows):
        # A short form kept apart: offer the people whose names contain its words.
        words = set(key.split())
        for r in session.execute(
            select(*columns).where(
                Person.key.contains(key, autoescape=True), Person.ambiguous == false()
            )
        ):
            if words <= set(name_key(r[1]).split()):
                candidates.setdefault(r[0], PersonRef(r[0], r[1], bool(r[2])))
    listed = ", ".join(
        f"{c.name} (#{c.id}{', ambiguous' if c.ambiguous else ''})"
        for c in sorted(candidates.values(), key=lambda c: (c.ambiguous, name_key(c.name), c.id))
    )
    raise QueryError(
        f"{person!r} may be any of several people: {listed}; give a full name or an id (#N)"
    )


def _outlet_id(session: Session, name: str) -> int | None:
    outlet_id = _as_id(name)
    if outlet_id is not None:
        return outlet_id
    found: int | None = session.scalar(select(Outlet.id).where(Outlet.key == outlet_key(name)))
    return found


def _topic_ids(session: Session, name: str) -> tuple[int, ...]:
    """The topic called ``name`` (slug or name, any case) and all its descendants."""
    key = name_key(name)
    topics = session.execute(select(Topic.id, Topic.slug, Topic.name, Topic.parent_id)).all()
    found = {t[0] for t in topics if t[1].casefold() == key or name_key(t[2]) == key}
    frontier = set(found)
    while frontier:
        frontier = {t[0] for t in topics if t[3] in frontier} - found
        found |= frontier
    return tuple(sorted(found))


@dataclass(frozen=True, slots=True)
class _Scope:
    """A filter with its names resolved to ids; ``empty`` when some name matched nothing."""

    person_id: int | None = None
    outlet_id: int | None = None
    outlet_roles: tuple[str, ...] = DEFAULT_ROLES
    topic_ids: tuple[int, ...] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    search: str | None = None
    empty: bool = False


def _scope(session: Session, where: ArticleFilter) -> _Scope:
    bad = [r for r in where.outlet_roles if r not in OUTLET_ROLES]
    if bad or not where.outlet_roles:
        raise QueryError(f"outlet roles must be among {', '.join(OUTLET_ROLES)}, not {bad}")
    if where.since and where.until and where.since > where.until:
        raise QueryError(f"since ({where.since}) is after until ({where.until})")
    scope = _Scope(outlet_roles=tuple(where.outlet_roles), since=where.since, until=where.until)
    if where.search is not None:
        _check_search(session, where.search)
        scope = dataclasses.replace(scope, search=where.search)
    if where.person is not None:
        ref = resolve_person(session, where.person)
        if ref is None:
            return dataclasses.replace(scope, empty=True)
        scope = dataclasses.replace(scope, person_id=ref.id)
    if where.outlet is not None:
        outlet_id = _outlet_id(session, where.outlet)
        if outlet_id is None:
            return dataclasses.replace(scope, empty=True)
        scope = dataclasses.replace(scope, outlet_id=outlet_id)
    if where.topic is not None:
        topic_ids = _topic_ids(session, where.topic)
        if not topic_ids:
            return dataclasses.replace(scope, empty=True)
        scope = dataclasses.replace(scope, topic_ids=topic_ids)
    return scope


# ---------------------------------------------------------------------------
# Conditions


def _older_versions() -> Any:
    return select(Article.id).where(Article.is_latest == false())


def _tsquery(query: str) -> Any:
    return func.websearch_to_tsquery(text("'simple'"), query)


def _fts_match(query: str) -> Any:
    """Ids of the articles (any version) matching a full-text expression."""
    return select(_FTS.c.rowid).where(literal_column("articles_fts").op("MATCH")(query))


def _conditions(
    session: Session,
    scope: _Scope,
    id_col: Any,
    *,
    date_col: Any = None,
    on_articles: bool = False,
    skip_person: bool = False,
    correlated: bool = False,
    latest_on_row: bool = False,
) -> list[ColumnElement[bool]]:
    """The scope as conditions on a driving table whose article id is ``id_col``.

    Args:
        date_col: A column of the driving table holding the article's date, if any.
        on_articles: The driving table is ``articles`` itself.
        skip_person: The driving table is already restricted to the person.
        correlated: Test links row by row (``EXISTS``, an index probe per row)
            rather than against the set of all matching ids (``IN``). Right
            when the driver is read in order and stops early (newest first,
            LIMIT): SQLite would otherwise read the whole set first and sort.
        latest_on_row: The query reads each article row anyway (a list):
            test ``is_latest`` on it, rather than build the set of older
            versions (2 ms at a million articles with 2% older versions).
    """

    def member(key: Any, *where: Any) -> ColumnElement[bool]:
        if correlated:
            # The key's own table stays in the subquery even when the outer
            # query reads it too (e.g. articles joined to a person's links).
            probe = select(literal(1)).where(key == id_col, *where)
            return probe.correlate_except(key.class_).exists()
        cond: ColumnElement[bool] = id_col.in_(select(key).where(*where))
        return cond

    # "!= false", not "= true": an equality would let SQLite pick the is_latest
    # index to drive the query (every row) instead of the date's.
    conds: list[ColumnElement[bool]] = [
        Article.is_latest != false() if latest_on_row else id_col.not_in(_older_versions())
    ]
    if scope.person_id is not None and not skip_person:
        conds.append(member(ArticlePerson.article_id, ArticlePerson.person_id == scope.person_id))
    if scope.outlet_id is not None:
        o = scope.outlet_id
        either: list[ColumnElement[bool]] = []
        if OutletRole.PUBLISHER in scope.outlet_roles:
            either.append(
                Article.outlet_id == o
                if on_articles
                else member(Article.id, Article.outlet_id == o)
            )
        if OutletRole.AGENCY in scope.outlet_roles:
            either.append(
                Article.agency_id == o
                if on_articles
                else member(Article.id, Article.agency_id == o)
            )
        if OutletRole.CITED in scope.outlet_roles:
            either.append(
                member(
                    ArticleOutlet.article_id,
                    ArticleOutlet.outlet_id == o,
                    ArticleOutlet.role == OutletRole.CITED.value,
                )
            )
        conds.append(or_(*either) if len(either) > 1 else either[0])
    if scope.topic_ids is not None:
        conds.append(member(ArticleTopic.article_id, ArticleTopic.topic_id.in_(scope.topic_ids)))
    if scope.since is not None or scope.until is not None:
        dated: list[ColumnElement[bool]] = []
        col = date_col if date_col is not None else Article.published_on
        if scope.since is not None:
            dated.append(col >= scope.since)
        if scope.until is not None:
            dated.append(col <= scope.until)
        if date_col is not None:
            conds.extend(dated)
        else:
            conds.append(member(Article.id, *dated))
    if scope.search is not None:
        # Always the set: FTS finds all matches at once, a probe per row costs more.
        if session.get_bind().dialect.name == "postgresql":
            conds.append(
                id_col.in_(
                    select(_PG_FTS.c.article_id).where(
                        _PG_FTS.c.document.op("@@")(_tsquery(scope.search))
                    )
                )
            )
        else:
            conds.append(id_col.in_(_fts_match(scope.search)))
    return conds


def _union(parts: list[Any]) -> Any:
    """One SELECT, or the UNION of several."""
    if len(parts) == 1:
        return parts[0]
    first, *rest = parts
    return first.union(*rest)


def _check_search(session: Session, query: str) -> None:
    """Raise QueryError for an empty expression, or one SQLite's FTS5 cannot parse."""
    if not query.strip():
        raise QueryError("empty search expression")
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return  # websearch_to_tsquery reads any text
    if dialect != "sqlite":
        raise QueryError(f"full-text search is not available on {dialect}")
    try:
        # FTS5 parses the expression when the first row is asked for.
        session.execute(
            text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :q LIMIT 1"),
            {"q": query},
        ).all()
    except OperationalError as exc:
        message = str(exc.orig) if exc.orig is not None else str(exc)
        # Anything but a lock or a missing table is FTS5 refusing the expression
        # ("fts5: syntax error", "unterminated string", "no such column: x").
        if "locked" in message or "no such table" in message:
            raise
        raise QueryError(f"malformed search expression {query!r}: {message}") from None


# ---------------------------------------------------------------------------
# Articles


def _summary_columns() -> tuple[Any, ...]:
    return (
        Article.id,
        Article.published_on,
        Outlet.name,
        Article.section,
        _Agency.name,
        Article.headline,
    )


def _with_outlets(stmt: Any) -> Any:
    return stmt.outerjoin(Outlet, Article.outlet_id == Outlet.id).outerjoin(
        _Agency, Article.agency_id == _Agency.id
    )


def _summary(row: Any) -> ArticleSummary:
    return ArticleSummary(
        id=row[0],
        published_on=_date(row[1]),
        outlet=row[2],
        section=row[3],
        agency=row[4],
        headline=row[5],
    )


def _date(value: Any) -> dt.date | None:
    if value is None or type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def _summaries(session: Session, ids: Sequence[int]) -> dict[int, ArticleSummary]:
    if not ids:
        return {}
    stmt = _with_outlets(select(*_summary_columns())).where(Article.id.in_(ids))
    return {r[0]: _summary(r) for r in session.execute(stmt)}


def list_articles(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    limit: int = 50,
    offset: int = 0,
    **criteria: Unpack[Criteria],
) -> list[ArticleSummary]:
    """Articles, newest first (undated ones last), that match a filter.

    Args:
        session: An open session.
        where: The filter; its fields can also be given as keywords.
        limit: At most this many.
        offset: Skip this many first (paging).
        **criteria: Fields of :class:`ArticleFilter` (``person``, ``outlet``,
            ``outlet_roles``, ``topic``, ``since``, ``until``, ``search``).

    Raises:
        QueryError: A person's name fits several people, or the search
            expression is malformed.
    """
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    if scope.person_id is not None:
        # Driven by the person's index, which holds the date: the newest come first
        # without reading or sorting the person's other articles.
        ap = ArticlePerson
        stmt = _with_outlets(
            select(*_summary_columns()).join_from(ap, Article, Article.id == ap.article_id)
        ).where(
            ap.person_id == scope.person_id,
            *_conditions(
                session,
                scope,
                ap.article_id,
                date_col=ap.published_on,
                skip_person=True,
                correlated=True,
                latest_on_row=True,
            ),
        )
        rows = _newest_first(session, stmt, ap.published_on, ap.article_id, limit, offset)
        return [_summary(r) for r in rows]
    if scope.outlet_id is not None and len(scope.outlet_roles) > 1:
        return _outlet_articles(session, scope, limit=limit, offset=offset)
    stmt = _with_outlets(select(*_summary_columns())).where(
        *_newest_first_conditions(session, scope)
    )
    rows = _newest_first(session, stmt, Article.published_on, Article.id, limit, offset)
    return [_summary(r) for r in rows]


def _newest_first(
    session: Session, stmt: Any, date_col: Any, id_col: Any, limit: int, offset: int
) -> list[Any]:
    """Rows of ``stmt`` by date, newest first, then the undated ones; a page of them.

    Dated and undated rows are read apart: ``ORDER BY date DESC NULLS LAST``
    follows an index backwards on SQLite, but not on PostgreSQL, whose
    indexes put NULLs first in descending order (it would sort every row).
    """
    dated = session.execute(
        stmt.where(date_col.is_not(None))
        .order_by(date_col.desc(), id_col.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    if len(dated) == limit:
        return list(dated)
    if dated:
        n_dated = offset + len(dated)
    else:
        counted = stmt.with_only_columns(id_col).where(date_col.is_not(None)).subquery()
        n_dated = int(session.scalar(select(func.count()).select_from(counted)) or 0)
    undated = session.execute(
        stmt.where(date_col.is_(None))
        .order_by(id_col.desc())
        .limit(limit - len(dated))
        .offset(max(0, offset - n_dated))
    ).all()
    return [*dated, *undated]


def _newest_first_conditions(session: Session, scope: _Scope) -> list[ColumnElement[bool]]:
    # Read newest first through the date index (or the outlet's), testing each
    # row's links, and stop at the limit; only the cited links, which are few,
    # are better read as a set and sorted.
    cited_only = scope.outlet_id is not None and scope.outlet_roles == (OutletRole.CITED.value,)
    return _conditions(
        session,
        scope,
        Article.id,
        date_col=Article.published_on,
        on_articles=True,
        correlated=not cited_only,
        latest_on_row=True,
    )


def _outlet_articles(
    session: Session, scope: _Scope, *, limit: int, offset: int
) -> list[ArticleSummary]:
    """An outlet's articles in several roles: each role read in date order, then merged.

    One OR over the roles would make SQLite collect and sort all of the
    outlet's articles; each role alone follows an index in date order.
    """
    found: dict[int, dt.date | None] = {}
    for role in scope.outlet_roles:
        arm = dataclasses.replace(scope, outlet_roles=(role,))
        stmt = select(Article.id, Article.published_on).where(
            *_newest_first_conditions(session, arm)
        )
        rows = _newest_first(session, stmt, Article.published_on, Article.id, limit + offset, 0)
        found.update((r[0], _date(r[1])) for r in rows)
    ordered = sorted(
        found.items(), key=lambda kv: (kv[1] is None, -(kv[1] or dt.date.min).toordinal(), -kv[0])
    )
    ids = [article_id for article_id, _ in ordered[offset : offset + limit]]
    summaries = _summaries(session, ids)
    return [summaries[i] for i in ids]


def search_articles(
    session: Session,
    query: str,
    where: ArticleFilter | None = None,
    /,
    *,
    limit: int = 20,
    offset: int = 0,
    **criteria: Unpack[Criteria],
) -> list[SearchHit]:
    """Full-text search over headline, standfirst and body, best match first.

    On SQLite the query is an FTS5 expression (words, "phrases", AND/OR/NOT,
    prefix*), ranked by bm25 (a headline match weighs 10, standfirst 3, body 1);
    on PostgreSQL it is a web-search expression (``websearch_to_tsquery``:
    words, "phrases", ``or``, ``-word``) ranked by ``ts_rank``. Both rank only
    the newest :data:`SEARCH_RANK_CAP` matches (all of them when fewer match,
    more when the page asked for lies further down): on SQLite the ones imported
    last (highest article id), on PostgreSQL the latest published. Snippets mark
    matched words with ``[`` and ``]``; on PostgreSQL a snippet comes from the body
    around the first place it uses one of the query's words (see SNIPPET_WINDOW).
    The filter narrows the articles searched.

    Raises:
        QueryError: The expression is empty or malformed, or a person's name
            fits several people.
    """
    _check_search(session, query)
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _search_pg(session, query, scope, limit=limit, offset=offset)
    return _search_sqlite(session, query, scope, limit=limit, offset=offset)


def _search_sqlite(
    session: Session, query: str, scope: _Scope, *, limit: int, offset: int
) -> list[SearchHit]:
    rowid = _FTS.c.rowid
    fts: Any = literal_column("articles_fts")
    rank: Any = literal_column(_rank_sql(session), Float).label("rank")
    # First the ranking alone (it reads no article row), then the page's rows and
    # snippets: snippet() costs a re-read of each document, so only for the page.
    # Filters test "+rowid" (the unary plus hides the column from the planner):
    # otherwise SQLite may run the search once per article of a filter's id
    # list (a topic's, a person's), which costs far more than one search
    # tested against the list. A person with few articles is the exception.
    conds = _conditions(session, scope, literal_column("+articles_fts.rowid", Integer))
    if scope.person_id is not None and _few_articles(session, scope.person_id):
        conds.append(
            rowid.in_(
                select(ArticlePerson.article_id).where(ArticlePerson.person_id == scope.person_id)
            )
        )
    # Only the newest matches are ranked (see SEARCH_RANK_CAP): the id of the cap-th newest
    # match bounds the ranking. FTS5 walks a doclist backwards and stops there, so this
    # costs the cap, not the number of matches; the bound is a plain rowid constraint,
    # which FTS5 turns into a seek.
    cap = max(SEARCH_RANK_CAP, offset + limit)
    cut = session.scalar(
        select(rowid)
        .where(fts.op("MATCH")(query), *conds)
        .order_by(rowid.desc())
        .limit(1)
        .offset(cap - 1)
    )
    if cut is not None:
        conds.append(rowid >= cut)
    ranked = session.execute(
        select(rowid, rank)
        .where(fts.op("MATCH")(query), *conds)
        .order_by(text("rank"), rowid)
        .limit(limit)
        .offset(offset)
    ).all()
    ids = [r[0] for r in ranked]
    summaries = _summaries(session, ids)
    snippets: dict[int, str] = {}
    if ids:
        snippet: Any = literal_column(
            f"snippet(articles_fts, -1, '{SNIPPET_START}', '{SNIPPET_END}', '…', 12)"
        )
        snippets = {
            r[0]: r[1]
            for r in session.execute(
                select(rowid, snippet).where(fts.op("MATCH")(query), rowid.in_(ids))
            )
        }
    return [SearchHit(summaries[i], float(r), _one_line(snippets.get(i, ""))) for i, r in ranked]


def _rank_sql(session: Session) -> str:
    """The ranking expression: ``newsdb_bm25`` with sampled document counts where this
    connection has it (newsdb.ranking), ``bm25`` otherwise; the same scores either way up to
    the estimate, which counts the articles between the first and the last id."""
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    conn = session.connection()
    has = conn.info.get(ranking.FUNCTION)
    if has is None:
        has = conn.info[ranking.FUNCTION] = ranking.available(conn.connection.dbapi_connection)
    if not has:
        return f"bm25(articles_fts, {weights})"
    first = "(SELECT min(id) FROM articles)"
    span = f"(SELECT max(id) FROM articles) - {first} + 1"
    return f"{ranking.FUNCTION}(articles_fts, {weights}, {first}, {span}, {ranking.RANK_SAMPLE})"


# Up to this many articles, a person's articles are searched one by one (an FTS
# probe each) rather than the whole index searched and filtered.
FEW_ARTICLES = 200


def _few_articles(session: Session, person_id: int) -> bool:
    some = (
        select(ArticlePerson.article_id)
        .where(ArticlePerson.person_id == person_id)
        .limit(FEW_ARTICLES + 1)
        .subquery()
    )
    return (session.scalar(select(func.count()).select_from(some)) or 0) <= FEW_ARTICLES


# Ranking costs every match: FTS5's bm25 reads each match's positions (about 1 µs a match,
# a second for a word in every one of a million articles), PostgreSQL's ts_rank reads each
# match's stored search vector (a TOAST read and a decompression), and neither index has a
# top-k. Only the newest matches are ranked: at most this many, or more when the page asked
# for lies further down. "Newest": on SQLite the highest article ids (imported last: FTS5
# can walk its index backwards by id and stop); on PostgreSQL the latest publication dates.
SEARCH_RANK_CAP = 1000


# PostgreSQL: how many of the newest articles are tested to tell a common word; what
# walking costs per article read (a TOAST fetch and a test, about 5 µs) against what the
# GIN index and the sort cost per match (about 0.4 µs); and how many articles the walk
# reads at most, as a multiple of the cap over the sampled share. For a share s of N
# articles the walk reads about cap / s articles and the index sorts s * N matches: the
# walk is taken when s * s * N >= WALK_COST * cap (at 1M articles, a share above 11%; at
# 100k, above 35%).
WALK_SAMPLE = 200
WALK_COST = 12.5
WALK_BUDGET = 2.0


def _search_pg(
    session: Session, query: str, scope: _Scope, *, limit: int, offset: int
) -> list[SearchHit]:
    """Rank the newest ``cap`` matches, found one of two ways.

    Both read the dates from the narrow rows of ``articles_fts``. A common word is found
    fastest by walking the articles newest first (the date index) and testing each
    vector, which stops after about ``cap`` matches; a rarer one by the GIN index, then
    sorting the matches by date. PostgreSQL's planner cannot tell the two apart (it does
    not count that every vector it tests is a TOAST fetch), so the newest
    :data:`WALK_SAMPLE` articles are tested first and the cheaper way is taken (see
    :data:`WALK_COST`); if the walk falls short of ``cap`` matches within its budget, the
    index decides after all.
    """
    cap = max(SEARCH_RANK_CAP, offset + limit)
    words = _anchor_words(query)
    sample, walked_page, indexed_page = _pg_statements(session, scope, anchored=bool(words))
    params: dict[str, Any] = {"q": query, "cap": cap, "limit": limit, "offset": offset}
    if words:
        params.update(pattern=_anchor_pattern(words), any_word=" or ".join(words))
    rows: Sequence[Any] | None = None
    # No error is caught here: websearch_to_tsquery reads any text and the snippet's
    # pattern holds only \w+ words, so an error is newsdb's, not a malformed expression.
    with _planner(session, enable_seqscan="off"):
        sampled, read, highest = session.execute(sample, {"q": query}).one()
        share = sampled / read if read else 0.0
        articles = highest or 0
        if share > 0 and share * share * articles >= WALK_COST * cap:
            budget = math.ceil(WALK_BUDGET * cap / share)
            walked = session.execute(walked_page, {**params, "budget": budget}).all()
            if walked and walked[0][-1] >= cap:  # the newest cap matches were all found
                rows = walked
        if rows is None:
            rows = session.execute(indexed_page, params).all()
    return [SearchHit(_summary(r[:6]), float(r[6]), _one_line(r[7])) for r in rows or ()]


# The PostgreSQL search's statements by the shape of the search: building them and their
# cache keys cost SQLAlchemy 3-4 ms a search on a slow host, so each shape is built once and
# its values come as parameters (q: the expression; cap, budget, limit, offset; pattern and
# any_word: the snippet's, see _snippet_window).
_PG_STATEMENTS: dict[tuple[_Scope, bool], tuple[Any, Any, Any]] = {}
_PG_STATEMENTS_MAX = 256


def _pg_statements(session: Session, scope: _Scope, *, anchored: bool) -> tuple[Any, Any, Any]:
    """The sample, the walked page and the indexed page for searches in ``scope``."""
    key = (scope, anchored)
    built = _PG_STATEMENTS.get(key)
    if built is None:
        tsquery = func.websearch_to_tsquery(text("'simple'"), bindparam("q", type_=String))
        cap, limit, offset = (bindparam(n, type_=Integer) for n in ("cap", "limit", "offset"))
        # With the highest article id (the articles' count, near enough) in the same round
        # trip: an index's last entry.
        sample = _walk(session, scope, tsquery, WALK_SAMPLE).add_columns(
            select(func.max(_PG_FTS.c.article_id)).scalar_subquery()
        )
        budget = bindparam("budget", type_=Integer)
        walked = _walk(session, scope, tsquery, budget, keep=cap)
        indexed = _by_index(session, scope, tsquery, cap)
        built = (
            sample,
            _ranked_page(walked, tsquery, limit, offset, anchored=anchored),
            _ranked_page(indexed, tsquery, limit, offset, anchored=anchored),
        )
        if len(_PG_STATEMENTS) >= _PG_STATEMENTS_MAX:
            _PG_STATEMENTS.clear()
        _PG_STATEMENTS[key] = built
    return built


def _walk(session: Session, scope: _Scope, tsquery: Any, read: Any, *, keep: Any = None) -> Any:
    """Among the newest ``read`` articles, the newest ``keep`` matches; without ``keep``,
    how many of them match, and how many were read."""
    fts_id, fts_date = _PG_FTS.c.article_id, _PG_FTS.c.published_on
    newest = (
        select(fts_id, fts_date, _PG_FTS.c.document)
        .order_by(fts_date.desc().nulls_last(), fts_id.desc())
        .limit(read)
        .subquery()
    )
    n_id, n_date, n_doc = newest.c.article_id, newest.c.published_on, newest.c.document
    where = [n_doc.op("@@")(tsquery), *_conditions(session, scope, n_id, date_col=n_date)]
    if keep is None:
        return select(func.count().filter(and_(*where)), func.count()).select_from(newest)
    return (
        select(n_id, n_doc)
        .where(*where)
        .order_by(n_date.desc().nulls_last(), n_id.desc())
        .limit(keep)
        .subquery()
    )


def _by_index(session: Session, scope: _Scope, tsquery: Any, cap: Any) -> Any:
    """The newest ``cap`` matches: all matches from the GIN index, sorted by date."""
    fts_id, fts_date = _PG_FTS.c.article_id, _PG_FTS.c.published_on
    # Sorted on "published_on + 0", which the date index does not give: the planner would
    # otherwise walk that index for a word in a few per cent of the articles (140 ms at 1M,
    # against 40 by the GIN index). Turning plain index scans off would do it too, but it
    # also turns off the index-only scan of the older versions (44 ms at 1M with 2% of them).
    by_date = fts_date + literal_column("0", Integer)
    return (
        select(fts_id, _PG_FTS.c.document)
        .where(
            _PG_FTS.c.document.op("@@")(tsquery),
            *_conditions(session, scope, fts_id, date_col=fts_date),
        )
        .order_by(by_date.desc().nulls_last(), fts_id.desc())
        .limit(cap)
        .subquery()
    )


def _ranked_page(candidates: Any, tsquery: Any, limit: Any, offset: Any, *, anchored: bool) -> Any:
    """The page of the candidates ranked by ``ts_rank``, with summaries and snippets, and
    the number of candidates last (only the page's articles and bodies are read).

    ``anchored``: snippets are cut from a window around the first of the query's words
    (parameters ``pattern`` and ``any_word``, see :func:`_snippet_window`)."""
    rank = (-func.ts_rank(candidates.c.document, tsquery)).label("rank")
    ranked = (
        select(candidates.c.article_id, rank, func.count().over().label("found"))
        .order_by(rank, candidates.c.article_id)
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    options = f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, MaxWords=24, MinWords=8"
    window = _snippet_window() if anchored else Article.body
    page = (
        _with_outlets(
            select(
                *(c.label(f"c{i}") for i, c in enumerate(_summary_columns())),
                ranked.c.rank,
                ranked.c.found,
                window.label("window"),
            )
        )
        .join(ranked, ranked.c.article_id == Article.id)
        # OFFSET 0 keeps the planner from pulling the subquery up and copying the window's
        # expression into every place below that uses it (each copy a regular expression
        # run over the body).
        .offset(0)
        .subquery()
    )
    snippet: Any = func.ts_headline(text("'simple'"), page.c.window, tsquery, options)
    source: Any = page
    if anchored:
        # The window may hold no match of the whole expression ("a b" with the nearest "b"
        # far from the first "a", a phrase written in full only further on): then its
        # first query word is marked instead. The headline is cut in a lateral subquery
        # (OFFSET 0 again) so that it is cut once, not once for the test and once more.
        near = select(snippet.label("near")).correlate(page).offset(0).lateral()
        source = page.join(near, true())
        any_word = func.websearch_to_tsquery(text("'simple'"), bindparam("any_word", type_=String))
        snippet = case(
            (func.strpos(near.c.near, SNIPPET_START) > 0, near.c.near),
            else_=func.ts_headline(text("'simple'"), page.c.window, any_word, options),
        )
    summary = [page.c[f"c{i}"] for i in range(len(_summary_columns()))]
    return (
        select(*summary, page.c.rank, snippet.label("snippet"), page.c.found)
        .select_from(source)
        .order_by(page.c.rank, page.c.c0)
    )


# PostgreSQL's ts_headline parses all the text it is given, and its parser is slow (about
# 0.5 ms for a 4 KB body on a slow host: 20 snippets cost more than ranking a thousand
# matches). A snippet is some 24 words, so it is cut from a window of the body around the
# first whole-word occurrence of one of the query's words (found by a regular expression,
# about 0.1 ms a body): from SNIPPET_BEFORE characters before it, SNIPPET_WINDOW long.
SNIPPET_BEFORE = 200
SNIPPET_WINDOW = 800
# A web-search expression's terms: an optional "-", then a quoted phrase or a bare word.
_WEB_TERM_RE = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_WORD_RE = re.compile(r"\w+")


def _anchor_words(query: str) -> list[str]:
    """The words of a web-search expression a matching article may contain, lower-cased.

    Words of negated terms (``-word``, ``-"a phrase"``) and the ``or`` keyword are left
    out: an article that matches has none of the first, and the second is no word.
    """
    words: dict[str, None] = {}
    for negated, phrase, bare in _WEB_TERM_RE.findall(query):
        if negated or (bare and bare.lower() == "or"):
            continue
        for word in _WORD_RE.findall(phrase or bare):
            words[word.lower()] = None
    return list(words)


def _anchor_pattern(words: Sequence[str]) -> str:
    """``(?i)^(.*?)\\m(w1|w2)\\M``: what matches it (its first group) is the text before the
    first whole-word occurrence of any of the words (:func:`_anchor_words`, all ``\\w+``)."""
    return "(?i)^(.*?)\\m(" + "|".join(words) + ")\\M"


def _snippet_window() -> Any:
    """The part of the body to cut a snippet from (see SNIPPET_WINDOW), for the parameter
    ``pattern`` (:func:`_anchor_pattern`). From the start when the body has none of the
    words (the match is in the headline)."""
    before = func.length(func.substring(Article.body, bindparam("pattern", type_=String)))
    start = func.greatest(func.coalesce(before, 0) + 1 - SNIPPET_BEFORE, 1)
    return func.substr(Article.body, start, SNIPPET_WINDOW)


@contextmanager
def _planner(session: Session, **settings: str) -> Iterator[None]:
    """PostgreSQL: planner settings for the statements inside, restored after them.

    The settings are local to the transaction; if a statement fails, the rollback that
    must follow discards them. Each is read and set in one round trip (the CTE is read
    before the row that sets it is made), and restored in another.
    """
    names = sorted(settings)
    before = []
    for n in names:
        read_and_set = text(
            f"WITH old AS MATERIALIZED (SELECT current_setting('{n}') AS v) "
            f"SELECT v, set_config('{n}', :v, true) FROM old"
        )
        before.append(session.execute(read_and_set, {"v": settings[n]}).one()[0])
    yield
    for n, v in zip(names, before, strict=True):
        session.execute(text(f"SELECT set_config('{n}', :v, true)"), {"v": v})


def _one_line(snippet: str) -> str:
    # Snippets can span paragraphs; one line reads better in tables and terminals.
    return " ".join(snippet.split())


# ---------------------------------------------------------------------------
# Timelines


def _period(session: Session, col: Any, by: Period) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        if by == "day":
            return col
        return cast(func.date_trunc(by, col), Date)
    # Dates are ISO text on SQLite.
    if by == "day":
        return col
    if by == "week":  # the Monday on or before the day
        return func.date(col, "weekday 0", "-6 days")
    if by == "month":
        return func.substr(col, 1, 7).op("||")("-01")
    return func.substr(col, 1, 4).op("||")("-01-01")


def _next_period(day: dt.date, by: Period) -> dt.date:
    if by == "day":
        return day + dt.timedelta(days=1)
    if by == "week":
        return day + dt.timedelta(days=7)
    if by == "month":
        return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return day.replace(year=day.year + 1)


def timeline(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    by: Period = "month",
    fill: bool = True,
    **criteria: Unpack[Criteria],
) -> list[TimelinePoint]:
    """Dated articles per day, week (from Monday), month or year, oldest first.

    For a person, an outlet, a topic, a search, or any filter. Undated
    articles are not counted.

    Args:
        by: The period.
        fill: Include the empty periods between the first and the last.

    Raises:
        QueryError: Unknown period, ambiguous person, malformed search.
    """
    if by not in PERIODS:
        raise QueryError(f"period must be one of {', '.join(PERIODS)}, not {by!r}")
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    if scope.person_id is not None:
        ap = ArticlePerson
        period = _period(session, ap.published_on, by)
        stmt = select(period, func.count()).where(
            ap.person_id == scope.person_id,
            ap.published_on.is_not(None),
            *_conditions(session, scope, ap.article_id, date_col=ap.published_on, skip_person=True),
        )
    else:
        period = _period(session, Article.published_on, by)
        stmt = select(period, func.count()).where(
            Article.published_on.is_not(None),
            *_conditions(
                session, scope, Article.id, date_col=Article.published_on, on_articles=True
            ),
        )
    counts = {_date(r[0]): int(r[1]) for r in session.execute(stmt.group_by(period))}
    points = sorted((d, n) for d, n in counts.items() if d is not None)
    if not fill or not points:
        return [TimelinePoint(d, n) for d, n in points]
    filled: list[TimelinePoint] = []
    day, last = points[0][0], points[-1][0]
    while day <= last:
        filled.append(TimelinePoint(day, counts.get(day, 0)))
        day = _next_period(day, by)
    return filled


# ---------------------------------------------------------------------------
# People


def list_people(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    name: str | None = None,
    limit: int = 50,
    **criteria: Unpack[Criteria],
) -> list[PersonCount]:
    """The people most mentioned in the matching articles, by number of articles.

    With a ``person`` in the filter these are the people mentioned with them
    (the person left out): see :func:`co_mentions`.

    Args:
        name: Only people with a name or alias containing this text (any case).
        limit: At most this many.
    """
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    # Counted on the link table alone (its indexes cover the query), named after.
    if scope.person_id is not None:
        ap1, ap2 = aliased(ArticlePerson), aliased(ArticlePerson)
        person_col = ap2.person_id
        counted = (
            select(person_col.label("person_id"), func.count().label("n"))
            .select_from(ap1)
            .join(ap2, and_(ap2.article_id == ap1.article_id, ap2.person_id != ap1.person_id))
            .where(
                ap1.person_id == scope.person_id,
                *_conditions(
                    session, scope, ap1.article_id, date_col=ap1.published_on, skip_person=True
                ),
            )
        )
    else:
        ap = ArticlePerson
        person_col = ap.person_id
        counted = select(person_col.label("person_id"), func.count().label("n")).where(
            *_conditions(session, scope, ap.article_id, date_col=ap.published_on)
        )
    if name is not None:
        key = name_key(name)
        named = union(
            select(Person.id).where(Person.key.contains(key, autoescape=True)),
            select(PersonAlias.person_id).where(PersonAlias.key.contains(key, autoescape=True)),
        ).subquery()
        counted = counted.where(person_col.in_(select(named.c[0])))
    sub = counted.group_by(person_col).subquery()
    stmt = (
        select(Person.id, Person.name, sub.c.n)
        .join_from(sub, Person, Person.id == sub.c.person_id)
        .order_by(sub.c.n.desc(), _bytes(Person.name), Person.id)
        .limit(limit)
    )
    return [PersonCount(r[0], r[1], int(r[2])) for r in session.execute(stmt)]


def co_mentions(
    session: Session,
    person: str | int,
    where: ArticleFilter | None = None,
    /,
    *,
    limit: int = 20,
    **criteria: Unpack[Criteria],
) -> list[PersonCount]:
    """The people mentioned in the same (latest) articles as ``person``, most often first.

    ``articles`` counts the articles that mention both.

    Raises:
        QueryError: The name fits several people.
    """
    return list_people(session, _merge(where, criteria).but(person=person), limit=limit)


def get_person(
    session: Session,
    person: str | int,
    where: ArticleFilter | None = None,
    /,
    *,
    top: int = 10,
    **criteria: Unpack[Criteria],
) -> PersonProfile | None:
    """A person's profile: names, counts, dates, co-mentions, topics, outlets, recent articles.

    Returns ``None`` when no one has that name. The filter narrows the articles
    counted (e.g. a date range).

    Raises:
        QueryError: The name fits several people.
    """
    ref = resolve_person(session, person)
    if ref is None:
        return None
    base = _merge(where, criteria).but(person=ref.id)
    scope = _scope(session, base)
    ap = ArticlePerson
    conds = _conditions(session, scope, ap.article_id, date_col=ap.published_on, skip_person=True)
    count, first, last = session.execute(
        select(func.count(), func.min(ap.published_on), func.max(ap.published_on)).where(
            ap.person_id == ref.id, *conds
        )
    ).one()
    aliases = tuple(
        session.scalars(
            select(PersonAlias.alias)
            .where(PersonAlias.person_id == ref.id)
            .order_by(PersonAlias.alias)
        )
    )
    quotes = session.scalar(
        select(func.count())
        .select_from(Quote)
        .where(
            Quote.person_id == ref.id,
            *_conditions(session, scope, Quote.article_id, skip_person=True),
        )
    )
    return PersonProfile(
        id=ref.id,
        name=ref.name,
        ambiguous=ref.ambiguous,
        aliases=aliases,
        articles=int(count),
        quotes=int(quotes or 0),
        first_date=_date(first),
        last_date=_date(last),
        co_mentions=tuple(list_people(session, base, limit=top)),
        topics=tuple(list_topics(session, base, limit=top)),
        outlets=tuple(_publishers(session, scope, limit=top)),
        recent=tuple(list_articles(session, base, limit=top)),
    )


# ---------------------------------------------------------------------------
# Quotes


def list_quotes(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    words: str | Sequence[str] = (),
    limit: int = 50,
    **criteria: Unpack[Criteria],
) -> list[QuoteItem]:
    """Quotations, newest first; with ``person``, only that person's own words.

    Here the filter's ``person`` is the speaker (not a person merely
    mentioned); the other fields narrow the articles the quotes come from.

    Args:
        words: Only quotes containing every one of these words (any case; a
            word matches at the start of a word, so "tax" finds "taxes"). A
            string is split on spaces.
        limit: At most this many.

    Raises:
        QueryError: The speaker's name fits several people.
    """
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    wanted = words.split() if isinstance(words, str) else [w for w in words if w.strip()]
    # Matched in Python: SQLite's LIKE and lower() fold ASCII only, and results
    # must be the same on both backends.
    patterns = [re.compile(r"\b" + re.escape(w.casefold())) for w in wanted]
    if scope.person_id is not None:
        # Through the person's dated index, newest first: their quotes come from
        # articles that mention them, so no quote has to be dated and sorted.
        ap = ArticlePerson
        stmt = (
            _quote_select(
                select_from=ap,
                # "+ 0": the quotes' own person index must not lead (SQLite would
                # then date and sort all of the person's quotes).
                on=and_(Quote.article_id == ap.article_id, Quote.person_id + 0 == ap.person_id),
            )
            .where(
                ap.person_id == scope.person_id,
                *_conditions(
                    session,
                    scope,
                    ap.article_id,
                    date_col=ap.published_on,
                    skip_person=True,
                    correlated=True,
                    latest_on_row=True,
                ),
            )
            .order_by(ap.published_on.desc().nulls_last(), ap.article_id.desc(), Quote.start_offset)
        )
    else:
        stmt = (
            _quote_select()
            .where(*_newest_first_conditions(session, scope))
            .order_by(
                Article.published_on.desc().nulls_last(), Article.id.desc(), Quote.start_offset
            )
        )
    if not patterns:
        return [_quote(r) for r in session.execute(stmt.limit(limit))]
    found: list[QuoteItem] = []
    result = session.execute(stmt.execution_options(yield_per=100))
    try:
        for row in result:
            item = _quote(row)
            folded = item.text.casefold()
            if all(p.search(folded) for p in patterns):
                found.append(item)
                if len(found) >= limit:
                    break
    finally:
        result.close()
    return found


def _quote_select(select_from: Any = None, on: Any = None) -> Any:
    """Quotes with speaker and article; joined from ``select_from`` (``on``) when given."""
    speaker_outlet = aliased(Outlet)
    stmt = select(
        Quote.id,
        Quote.text,
        func.coalesce(Person.name, Quote.speaker, speaker_outlet.name),
        Quote.person_id,
        Quote.speaker_kind,
        Quote.cue,
        Article.id,
        Article.published_on,
        Outlet.name,
        Article.headline,
    )
    if select_from is not None:
        stmt = stmt.select_from(select_from).join(Quote, on)
        stmt = stmt.join(Article, Article.id == select_from.article_id)
    else:
        stmt = stmt.select_from(Article).join(Quote, Quote.article_id == Article.id)
    return (
        stmt.outerjoin(Person, Person.id == Quote.person_id)
        .outerjoin(speaker_outlet, speaker_outlet.id == Quote.outlet_id)
        .outerjoin(Outlet, Outlet.id == Article.outlet_id)
    )


def _quote(row: Any) -> QuoteItem:
    return QuoteItem(
        id=row[0],
        text=row[1],
        speaker=row[2],
        person_id=row[3],
        speaker_kind=row[4],
        cue=row[5],
        article_id=row[6],
        published_on=_date(row[7]),
        outlet=row[8],
        headline=row[9],
    )


# ---------------------------------------------------------------------------
# Topics and outlets


def list_topics(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    limit: int = 100,
    **criteria: Unpack[Criteria],
) -> list[TopicCount]:
    """Topics of the matching articles, most articles first (topics with none left out)."""
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    at = ArticleTopic
    parent = aliased(Topic)
    n = func.count().label("n")
    stmt = (
        select(Topic.slug, Topic.name, parent.slug, n)
        .select_from(at)
        .join(Topic, Topic.id == at.topic_id)
        .outerjoin(parent, parent.id == Topic.parent_id)
        .where(*_conditions(session, scope, at.article_id))
        .group_by(Topic.id, Topic.slug, Topic.name, parent.slug)
        .order_by(n.desc(), _bytes(Topic.slug))
        .limit(limit)
    )
    return [TopicCount(r[0], r[1], r[2], int(r[3])) for r in session.execute(stmt)]


def _publishers(session: Session, scope: _Scope, *, limit: int) -> list[OutletCount]:
    if scope.person_id is not None:
        ids: Any = select(ArticlePerson.article_id).where(
            ArticlePerson.person_id == scope.person_id,
            *_conditions(
                session,
                scope,
                ArticlePerson.article_id,
                date_col=ArticlePerson.published_on,
                skip_person=True,
            ),
        )
        conds: list[ColumnElement[bool]] = [Article.id.in_(ids)]
    else:
        conds = _conditions(
            session, scope, Article.id, date_col=Article.published_on, on_articles=True
        )
    n = func.count().label("n")
    stmt = (
        select(Outlet.id, Outlet.name, Outlet.kind, n)
        .select_from(Article)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where(*conds)
        .group_by(Outlet.id, Outlet.name, Outlet.kind)
        .order_by(n.desc(), _bytes(Outlet.name), Outlet.id)
        .limit(limit)
    )
    return [OutletCount(r[0], r[1], r[2], int(r[3])) for r in session.execute(stmt)]


def list_outlets(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    limit: int = 100,
    **criteria: Unpack[Criteria],
) -> list[OutletStats]:
    """Outlets with the number of matching articles they published, are credited on, are cited in.

    Ordered by the total, then name; outlets with no matching article are left out.
    """
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    counts: dict[int, Counter[str]] = {}
    a = _conditions(session, scope, Article.id, date_col=Article.published_on, on_articles=True)
    for role, col in (("publisher", Article.outlet_id), ("agency", Article.agency_id)):
        for outlet_id, n in session.execute(
            select(col, func.count()).where(col.is_not(None), *a).group_by(col)
        ):
            if outlet_id is not None:
                counts.setdefault(outlet_id, Counter())[role] += int(n)
    ao = ArticleOutlet
    for outlet_id, n in session.execute(
        select(ao.outlet_id, func.count())
        .where(ao.role == OutletRole.CITED.value, *_conditions(session, scope, ao.article_id))
        .group_by(ao.outlet_id)
    ):
        counts.setdefault(outlet_id, Counter())["cited"] += int(n)
    if not counts:
        return []
    names = {
        r[0]: (r[1], r[2])
        for r in session.execute(
            select(Outlet.id, Outlet.name, Outlet.kind).where(Outlet.id.in_(list(counts)))
        )
    }
    rows = [
        OutletStats(i, names[i][0], names[i][1], c["publisher"], c["agency"], c["cited"])
        for i, c in counts.items()
    ]
    rows.sort(key=lambda o: (-(o.published + o.as_agency + o.cited), o.name, o.id))
    return rows[:limit]


def list_cited_outlets(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    roles: Iterable[str] = (OutletRole.CITED.value,),
    limit: int = 50,
    **criteria: Unpack[Criteria],
) -> list[OutletCount]:
    """Outlets the matching articles cite, by number of articles citing them.

    ``list_cited_outlets(session, outlet="Northgate Times")`` answers "whom do
    Northgate Times's articles cite?".

    Args:
        roles: The links counted: ``cited`` (default) and/or ``agency``
            (wire copy credited to the outlet).
    """
    wanted = tuple(roles)
    bad = [r for r in wanted if r not in (OutletRole.CITED, OutletRole.AGENCY)]
    if bad or not wanted:
        raise QueryError(f"cited roles must be among cited, agency, not {bad}")
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    ids: list[Any] = []
    if OutletRole.CITED in wanted:
        ao = ArticleOutlet
        ids.append(
            select(ao.article_id.label("article_id"), ao.outlet_id.label("outlet_id")).where(
                ao.role == OutletRole.CITED.value, *_conditions(session, scope, ao.article_id)
            )
        )
    if OutletRole.AGENCY in wanted:
        ids.append(
            select(Article.id.label("article_id"), Article.agency_id.label("outlet_id")).where(
                Article.agency_id.is_not(None),
                *_conditions(
                    session, scope, Article.id, date_col=Article.published_on, on_articles=True
                ),
            )
        )
    links = _union(ids).subquery()
    n = func.count(links.c.article_id.distinct()).label("n")
    stmt = (
        select(Outlet.id, Outlet.name, Outlet.kind, n)
        .select_from(links)
        .join(Outlet, Outlet.id == links.c.outlet_id)
        .group_by(Outlet.id, Outlet.name, Outlet.kind)
        .order_by(n.desc(), _bytes(Outlet.name), Outlet.id)
        .limit(limit)
    )
    return [OutletCount(r[0], r[1], r[2], int(r[3])) for r in session.execute(stmt)]


# ---------------------------------------------------------------------------
# One article


def get_article(session: Session, article_id: int) -> ArticleDetail | None:
    """One article (any version) with everything attached, or ``None`` if there is none.

    Attached: outlets by role, people with their roles, quotes, topics, its
    story with the story's other latest articles, and every version of its URL.
    """
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
        version=a.version,
        is_latest=bool(a.is_latest),
        outlets=_article_outlets(session, a),
        people=_article_people(session, a.id),
        quotes=tuple(
            _quote(r)
            for r in session.execute(
                _quote_select().where(Quote.article_id == a.id).order_by(Quote.start_offset)
            )
        ),
        topics=_article_topics(session, a.id),
        story=_story(session, a.story_id, a.id),
        versions=_versions(session, a.url_key),
    )


def _article_outlets(session: Session, a: Article) -> tuple[OutletLink, ...]:
    order = {role: i for i, role in enumerate(OUTLET_ROLES)}
    links: set[tuple[int, str]] = {
        (r[0], r[1])
        for r in session.execute(
            select(ArticleOutlet.outlet_id, ArticleOutlet.role).where(
                ArticleOutlet.article_id == a.id
            )
        )
    }
    # The article's own columns count too, whether or not a link row repeats them.
    if a.outlet_id is not None:
        links.add((a.outlet_id, OutletRole.PUBLISHER.value))
    if a.agency_id is not None:
        links.add((a.agency_id, OutletRole.AGENCY.value))
    if not links:
        return ()
    outlets = {
        r[0]: (r[1], r[2])
        for r in session.execute(
            select(Outlet.id, Outlet.name, Outlet.kind).where(Outlet.id.in_({i for i, _ in links}))
        )
    }
    return tuple(
        sorted(
            (OutletLink(i, outlets[i][0], outlets[i][1], role) for i, role in links),
            key=lambda o: (order[o.role], o.name),
        )
    )


def _article_people(session: Session, article_id: int) -> tuple[PersonMention, ...]:
    ap = ArticlePerson
    return tuple(
        PersonMention(r[0], r[1], r[2], r[3], int(r[4]), r[5])
        for r in session.execute(
            select(
                ap.person_id,
                Person.name,
                ap.mentioned_as,
                ap.role,
                ap.mention_count,
                ap.first_offset,
            )
            .join(Person, Person.id == ap.person_id)
            .where(ap.article_id == article_id)
            .order_by(ap.mention_count.desc(), _bytes(Person.name))
        )
    )


def _article_topics(session: Session, article_id: int) -> tuple[TopicLink, ...]:
    parent = aliased(Topic)
    return tuple(
        TopicLink(r[0], r[1], r[2], float(r[3]), r[4])
        for r in session.execute(
            select(Topic.slug, Topic.name, parent.slug, ArticleTopic.score, ArticleTopic.method)
            .join(Topic, Topic.id == ArticleTopic.topic_id)
            .outerjoin(parent, parent.id == Topic.parent_id)
            .where(ArticleTopic.article_id == article_id)
            .order_by(ArticleTopic.score.desc(), _bytes(Topic.slug))
        )
    )


def _story(session: Session, story_id: int | None, article_id: int) -> StoryInfo | None:
    if story_id is None:
        return None
    label = session.scalar(select(Story.label).where(Story.id == story_id))
    stmt = (
        _with_outlets(select(*_summary_columns()))
        .where(
            Article.story_id == story_id,
            Article.id != article_id,
            Article.is_latest == true(),
        )
        .order_by(Article.published_on.desc().nulls_last(), Article.id.desc())
    )
    return StoryInfo(story_id, label or "", tuple(_summary(r) for r in session.execute(stmt)))


def _versions(session: Session, url_key: str | None) -> tuple[VersionInfo, ...]:
    if url_key is None:
        return ()
    return tuple(
        VersionInfo(r[0], int(r[1]), bool(r[2]), r[3], r[4])
        for r in session.execute(
            select(
                Article.id,
                Article.version,
                Article.is_latest,
                Article.headline,
                Article.imported_at,
            )
            .where(Article.url_key == url_key)
            .order_by(Article.version)
        )
    )


# ---------------------------------------------------------------------------
# Export and stats


def iter_export(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    with_body: bool = True,
    batch_size: int = 500,
    **criteria: Unpack[Criteria],
) -> Iterator[ExportArticle]:
    """Every matching article with its people and topics, by id, a batch at a time.

    Memory stays bounded by ``batch_size`` whatever the number of articles:
    each batch is read by id (keyset paging), then its people and topics.

    Raises:
        QueryError: Ambiguous person, malformed search.
    """
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return
    extra = (Article.standfirst, Article.body) if with_body else ()
    base = _with_outlets(select(*_summary_columns(), Article.url, *extra)).where(
        *_conditions(
            session,
            scope,
            Article.id,
            date_col=Article.published_on,
            on_articles=True,
            correlated=True,
            latest_on_row=True,
        )
    )
    last = 0
    while True:
        rows = session.execute(
            base.where(Article.id > last).order_by(Article.id).limit(batch_size)
        ).all()
        if not rows:
            return
        ids = [r[0] for r in rows]
        last = ids[-1]
        people: dict[int, list[ExportPerson]] = {i: [] for i in ids}
        for p in session.execute(
            select(
                ArticlePerson.article_id,
                Person.name,
                ArticlePerson.role,
                ArticlePerson.mention_count,
            )
            .join(Person, Person.id == ArticlePerson.person_id)
            .where(ArticlePerson.article_id.in_(ids))
            .order_by(
                ArticlePerson.article_id, ArticlePerson.mention_count.desc(), _bytes(Person.name)
            )
        ):
            people[p[0]].append(ExportPerson(p[1], p[2], int(p[3])))
        topics: dict[int, list[str]] = {i: [] for i in ids}
        for t in session.execute(
            select(ArticleTopic.article_id, Topic.slug)
            .join(Topic, Topic.id == ArticleTopic.topic_id)
            .where(ArticleTopic.article_id.in_(ids))
            .order_by(ArticleTopic.article_id, ArticleTopic.score.desc(), _bytes(Topic.slug))
        ):
            topics[t[0]].append(t[1])
        for r in rows:
            s = _summary(r)
            yield ExportArticle(
                id=s.id,
                published_on=s.published_on,
                outlet=s.outlet,
                agency=s.agency,
                section=s.section,
                headline=s.headline,
                url=r[6],
                standfirst=r[7] if with_body else None,
                body=r[8] if with_body else None,
                people=tuple(people[s.id]),
                topics=tuple(topics[s.id]),
            )


def get_stats(session: Session) -> Stats:
    """Counts of (latest) articles, outlets, agencies, people, topics, quotes; the dates covered."""

    def count(model: Any, *conds: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*conds)) or 0)

    # Older versions are few: counting them and subtracting reads indexes only,
    # where "is_latest" or a join on every row would read every article row.
    older = _older_versions()

    def edge(column: Any) -> dt.date | None:
        return _date(
            session.scalar(
                select(Article.published_on)
                .where(Article.published_on.is_not(None), Article.id.not_in(older))
                .order_by(column)
                .limit(1)
            )
        )

    older_versions = count(Article, Article.is_latest == false())
    return Stats(
        articles=count(Article) - older_versions,
        outlets=count(Outlet),
        agencies=count(Outlet, Outlet.kind == "agency"),
        people=count(Person),
        topics=count(Topic),
        first_date=edge(Article.published_on),
        last_date=edge(Article.published_on.desc()),
        older_versions=older_versions,
        quotes=count(Quote) - count(Quote, Quote.article_id.in_(older)),
        stories=count(Story),
    )


# -- data quality -------------------------------------------------------------

# The checks of the ``article_quality`` view (revision 0004), one column each.
QUALITY_PROBLEMS = (
    "missing_date",
    "agency_only_byline",
    "empty_standfirst",
    "suspected_truncation",
)
_QUALITY = table("article_quality", column("article_id"), *map(column, QUALITY_PROBLEMS))


@dataclass(frozen=True, slots=True)
class QualityItem:
    """A latest article with something to check, and what."""

    article_id: int
    published_on: dt.date | None
    outlet: str | None
    headline: str
    problems: tuple[str, ...]
    source_path: str


def _quality_select(problem: str | None) -> Any:
    if problem is not None and problem not in QUALITY_PROBLEMS:
        raise QueryError(f"unknown problem {problem!r}; one of: {', '.join(QUALITY_PROBLEMS)}")
    stmt = select(
        _QUALITY.c.article_id,
        Article.published_on,
        Outlet.name,
        Article.headline,
        Article.source_path,
        *(_QUALITY.c[name] for name in QUALITY_PROBLEMS),
    ).select_from(
        _QUALITY.join(Article, Article.id == _QUALITY.c.article_id).outerjoin(
            Outlet, Outlet.id == Article.outlet_id
        )
    )
    if problem is not None:
        stmt = stmt.where(_QUALITY.c[problem] == 1)
    return stmt


def data_quality(
    session: Session,
    where: ArticleFilter | None = None,
    /,
    *,
    problem: str | None = None,
    limit: int | None = 100,
    **criteria: Unpack[Criteria],
) -> list[QualityItem]:
    """Articles with a missing date, an agency-only byline, no standfirst or a cut-off body.

    Reads the ``article_quality`` view, newest first.

    Args:
        problem: Only this check (one of :data:`QUALITY_PROBLEMS`).
        limit: At most this many (None: all).

    Raises:
        QueryError: An unknown problem, or a name that fits several people.
    """
    scope = _scope(session, _merge(where, criteria))
    if scope.empty:
        return []
    stmt = (
        _quality_select(problem)
        .where(
            *_conditions(
                session,
                scope,
                Article.id,
                date_col=Article.published_on,
                on_articles=True,
                latest_on_row=True,
            )
        )
        .order_by(Article.published_on.desc().nulls_last(), Article.id.desc())
        .limit(limit)
    )
    return [
        QualityItem(
            article_id=row[0],
            published_on=_date(row[1]),
            outlet=row[2],
            headline=row[3],
            source_path=row[4],
            problems=tuple(n for n, flag in zip(QUALITY_PROBLEMS, row[5:], strict=True) if flag),
        )
        for row in session.execute(stmt)
    ]


def quality_counts(session: Session) -> dict[str, int]:
    """How many latest articles each data-quality check flags, and how many are flagged at all."""
    row = session.execute(
        select(func.count(), *(func.coalesce(func.sum(_QUALITY.c[n]), 0) for n in QUALITY_PROBLEMS))
    ).one()
    return {
        "flagged": int(row[0]),
        **{n: int(v) for n, v in zip(QUALITY_PROBLEMS, row[1:], strict=True)},
    }
