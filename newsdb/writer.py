"""The writing half of an import: one writer stores prepared articles in batches.

:class:`BatchWriter` takes the :class:`~newsdb.pipeline.Prepared` records that
worker processes made and stores a batch of them with SQLAlchemy Core
(``executemany`` inserts, no ORM objects), with get-or-create of outlets,
people and topics served from in-memory caches. A batch is written inside a
SAVEPOINT; if anything in it fails, the batch is rolled back and written again
file by file, each in its own SAVEPOINT, so one bad file costs only itself. The
bulk import (``importer.run_import``) writes its batches without the SAVEPOINT
(``write(savepoint=False)``) and, on a failure, rolls its transaction back and
stores the transaction's files again this way.

Identity of people is a function of the whole database, not of import order:
every ``article_people`` row keeps the name as the article wrote it
(``mentioned_as``), and which person row that name belongs to is decided by
:func:`newsdb.enrich.identity.resolve_identities` over every such name. When a
batch brings a name that changes the answer for names already stored (the full
name behind an earlier "Putin", or a second "Putin" that makes it ambiguous),
the affected rows are moved to the right person and emptied person rows are
deleted.

The caller owns the transaction: :meth:`BatchWriter.write` never commits.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, TextClause

from . import __version__
from .boilerplate import log_pages
from .db import WRITER_LOCK
from .enrich.stories import jaccard, shingles
from .enrich.topics import Taxonomy
from .models import (
    ONE_WORD_NAME,
    Article,
    ArticleBand,
    ArticleOutlet,
    ArticlePerson,
    ArticleTopic,
    ImportFile,
    Outlet,
    OutletKind,
    OutletLine,
    OutletRole,
    Person,
    PersonAlias,
    PersonName,
    Quote,
    Story,
    WriterState,
)
from .parsers.base import Format, ParsedArticle
from .parsers.urls import normalize_url
from .pipeline import Prepared
from .store import USER_METHOD, insert_rows, name_key, outlet_key, sync_topics

__all__ = ["BatchWriter", "Written", "WriteStatus"]

A = cast(Table, Article.__table__)
AP = cast(Table, ArticlePerson.__table__)
AO = cast(Table, ArticleOutlet.__table__)
AT = cast(Table, ArticleTopic.__table__)
AB = cast(Table, ArticleBand.__table__)
Q = cast(Table, Quote.__table__)
P = cast(Table, Person.__table__)
PA = cast(Table, PersonAlias.__table__)
PN = cast(Table, PersonName.__table__)
O = cast(Table, Outlet.__table__)  # noqa: E741
IF = cast(Table, ImportFile.__table__)
S = cast(Table, Story.__table__)
WS = cast(Table, WriterState.__table__)
OL_TABLE = cast(Table, OutletLine.__table__)
# The tables an import writes, by name (PostgreSQL's search table too): what the importer
# vacuums after a bulk load (newsdb.importer.vacuum_after_bulk_load).
VACUUMED_TABLES: tuple[str, ...] = tuple(
    t.name for t in (A, AP, AO, AT, AB, Q, P, PA, PN, IF, S, OL_TABLE)
) + ("articles_fts",)
# PostgreSQL: a table is analysed again once this many rows plus this share of its rows have
# changed since its last ANALYZE (autovacuum's own default rule is 50 rows plus 10%).
_ANALYZE_ROWS = 1000
_ANALYZE_FRACTION = 0.2

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
# Rows per IN (...) list: well under SQLite's and PostgreSQL's parameter limits.
_CHUNK = 500
# Story candidates compared on their text, per article, at most.
_MAX_CANDIDATES = 10
# Sketch hashes two texts must share to be compared at all. One shared hash is
# often a stock phrase or a template line; near duplicates share most of them.
_MIN_SHARED = 2
# Articles read per sketch hash when looking for candidates: the newest ones.
_BUCKET_RECENT = 200
# Sub-selects per compound statement when reading bucket holders on SQLite.
_COMPOUND = 400
# Candidates' shingle sets kept while a batch's stories are linked (about 50 KB each).
_SHINGLE_SETS_KEPT = 256
# The trigger that indexes an article inserted by any client (revision 0002); the writer
# drops it for the span of its own inserts (see _insert_articles_sqlite).
_FTS_INSERT_TRIGGER = "articles_fts_ai"


def _pg_sequence(conn: Connection, table: Table) -> str:
    """The name of the sequence that numbers ``table``'s id column (PostgreSQL)."""
    name = conn.execute(select(func.pg_get_serial_sequence(table.name, "id"))).scalar_one()
    assert name is not None, f"{table.name}.id has no sequence"
    return str(name)


class WriteStatus:
    """What storing one record did (string constants shared with the importer)."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Written:
    """The outcome of one record."""

    path: Path
    locator: str | None
    status: str
    article_id: int | None = None
    reason: str | None = None


def _tokens(name: str) -> set[str]:
    return {t for t in _TOKEN.findall(name.casefold()) if len(t) > 1}


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class BatchWriter:
    """Stores prepared records through one connection, a batch at a time.

    Args:
        conn: The connection to write through; the caller owns its transaction.
        taxonomy: The topic taxonomy (synced into ``topics`` on creation).
        run_id: The ``import_runs`` row the articles belong to (None: not recorded).
        story_threshold: Jaccard similarity of word shingles from which two
            texts are one story (0 < t <= 1).
    """

    def __init__(
        self,
        conn: Connection,
        *,
        taxonomy: Taxonomy,
        run_id: int | None = None,
        story_threshold: float = 0.5,
    ) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.run_id = run_id
        self.story_threshold = story_threshold
        self.lock()  # see lock(): one writer at a time, from the first write on
        with Session(bind=conn) as session:
            self.topic_ids = sync_topics(session, taxonomy)
        self._fingerprint: tuple[Any, ...] | None = None
        # Names whose last mention an in-place update removed in this batch.
        self._removed_names: set[str] = set()
        # Names whose person or mention count changed since person_names was last written.
        self._names_changed: set[str] = set()
        # Seconds spent per step, for benchmarks ("store" includes the others).
        self.timings: defaultdict[str, float] = defaultdict(float)
        self.refresh()

    # -- caches -------------------------------------------------------------

    def _current_fingerprint(self) -> tuple[Any, ...]:
        people = self.conn.execute(select(func.count(), func.max(P.c.id))).one()
        outlets = self.conn.execute(select(func.count(), func.max(O.c.id))).one()
        articles = self.conn.execute(select(func.max(A.c.id))).scalar()
        generation = self.conn.execute(select(WS.c.generation).where(WS.c.id == 1)).scalar()
        return (*people, *outlets, articles, generation)

    def _wrote(self) -> None:
        """Bump the writers' counter for this change; the caches are now the database's."""
        self.conn.execute(update(WS).where(WS.c.id == 1).values(generation=WS.c.generation + 1))
        self._fingerprint = self._current_fingerprint()

    def refresh(self) -> None:
        """Reload the caches if another writer changed the database since we last wrote."""
        fingerprint = self._current_fingerprint()
        if fingerprint == self._fingerprint:
            return
        self.outlets: dict[str, tuple[int, str]] = {
            key: (oid, kind)
            for oid, key, kind in self.conn.execute(select(O.c.id, O.c.key, O.c.kind))
        }
        self.people: dict[str, int] = {k: v for k, v in self.conn.execute(select(P.c.key, P.c.id))}
        self.ambiguous: dict[int, bool] = {
            pid: bool(flag) for pid, flag in self.conn.execute(select(P.c.id, P.c.ambiguous))
        }
        self.binding: dict[str, int] = {}
        self.name_count: Counter[str] = Counter()
        # Each written name's person and mention count, as the writers keep them (revision
        # 0008; see _store_names).
        for name, pid, count in self.conn.execute(select(PN.c.name, PN.c.person_id, PN.c.articles)):
            self.binding[name] = pid
            self.name_count[name] = count
        self._names_changed = set()
        self.by_token: defaultdict[str, set[str]] = defaultdict(set)
        for name in self.name_count:
            for token in _tokens(name):
                self.by_token[token].add(name)
        self.aliases: set[tuple[int, str]] = {
            (pid, key) for pid, key in self.conn.execute(select(PA.c.person_id, PA.c.key))
        }
        self._fingerprint = fingerprint

    def forget(self) -> None:
        """Drop what the caches hold of a transaction the caller rolled back."""
        self._fingerprint = None
        self._removed_names = set()
        self._names_changed = set()
        self.refresh()

    def known_people(self) -> list[str]:
        """Full names already stored (for the workers' repair of glued words)."""
        return sorted({n for n in self.name_count if " " in n.strip() and self.name_count[n] > 0})

    # -- public API ---------------------------------------------------------

    def lock(self) -> None:
        """Be the only writer until the caller's transaction ends.

        SQLite has its write lock (writers begin with ``BEGIN IMMEDIATE``); on
        PostgreSQL this takes the writers' advisory lock, held to the end of the
        transaction, so caches are then refreshed from what other writers committed.
        Every transaction that changes articles, people or their links takes it first.
        """
        if not self.sqlite:
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITER_LOCK})

    def write(
        self, items: Sequence[tuple[Path, Prepared]], *, savepoint: bool = True
    ) -> list[Written]:
        """Store a batch; on any error, store it again record by record.

        Args:
            items: The records, with the path of each one's file.
            savepoint: Write the batch inside a SAVEPOINT and, if anything in it fails,
                roll back to it and store the records one by one, each in a SAVEPOINT of
                its own. False writes the batch as it is and raises on an error, leaving
                the transaction to the caller to roll back (then call :meth:`forget`):
                in a large SQLite file a SAVEPOINT copies every page the batch changes to
                the statement journal first (1,775 MB of journal writes for 10k articles
                appended at 1M, 294 MB without; docs/performance.md, sixteenth round).

        Returns:
            One :class:`Written` per item, in order.
        """
        if not items:
            return []
        started = time.perf_counter()
        self.lock()
        self.refresh()
        try:
            if not savepoint:
                results = self._write(items)
            else:
                with self.conn.begin_nested():
                    results = self._write(items)
        except Exception:
            self._fingerprint = None  # caches may hold rows that were rolled back
            if not savepoint:
                raise  # the caller rolls back
            self.refresh()
            results = []
            for item in items:
                try:
                    with self.conn.begin_nested():
                        results.extend(self._write([item]))
                except Exception as exc:  # rolled back to the SAVEPOINT: no trace left
                    self._fingerprint = None
                    self.refresh()
                    detail = getattr(exc, "orig", None) or exc
                    reason = f"store error: {detail}".splitlines()[0]
                    results.append(
                        Written(item[0], item[1].locator, WriteStatus.FAILED, reason=reason)
                    )
        self._wrote()
        self._keep_statistics()
        self.timings["store"] += time.perf_counter() - started
        return results

    def _keep_statistics(self) -> None:
        """PostgreSQL: ANALYZE the tables the writer looks up once they have grown by a fifth.

        The writer's look-ups (content hashes, source paths, sketch buckets) test lists of a
        thousand values; without statistics the planner takes each value for a common one and
        scans the whole table, so every batch costs more than the one before (20k articles
        into an unanalysed database: 479/s; 100k: 232/s). Autovacuum would analyze them, but
        it may be off or behind a bulk load, so the writer does not count on it. Counts are
        the server's (``pg_stat_user_tables``, as of the last committed batches).
        """
        if self.sqlite:
            return
        names = [t.name for t in (A, AB, AP, AT, AO, Q, P, PA, OL_TABLE, IF)]
        stale = [
            name
            for name, live, modified in self.conn.execute(
                text(
                    "SELECT relname, n_live_tup, n_mod_since_analyze FROM pg_stat_user_tables"
                    " WHERE schemaname = current_schema() AND relname = ANY(:names)"
                ),
                {"names": names},
            )
            if modified > _ANALYZE_ROWS + _ANALYZE_FRACTION * live
        ]
        if stale:
            started = time.perf_counter()
            self.conn.execute(text("ANALYZE " + ", ".join(sorted(stale))))
            self.timings["analyze"] += time.perf_counter() - started

    def record_files(
        self, results: Iterable[tuple[Path, str | None, str, str | None, int | None]]
    ) -> None:
        """Record what happened to files in ``import_files`` (unchanged ones are left out).

        Args:
            results: (path, locator, status, reason, article id) in the order met.
        """
        if self.run_id is None:
            return
        rows = [
            {
                "run_id": self.run_id,
                "path": str(path),
                "locator": locator,
                "status": status,
                "reason": reason,
                "article_id": article_id,
            }
            for path, locator, status, reason, article_id in results
            if status != WriteStatus.UNCHANGED
        ]
        if rows:
            self.conn.execute(insert(IF), rows)

    # -- the batch ----------------------------------------------------------

    def _write(self, items: Sequence[tuple[Path, Prepared]]) -> list[Written]:
        conn = self.conn
        shas = [prep.sha256 for _, prep in items]
        existing: dict[str, tuple[int, str, str | None]] = {}
        for chunk in _chunks(shas):
            for aid, sha, path, loc in conn.execute(
                select(A.c.id, A.c.content_sha256, A.c.source_path, A.c.source_locator).where(
                    A.c.content_sha256.in_(chunk)
                )
            ):
                existing[sha] = (aid, path, loc)

        results: list[Written | None] = [None] * len(items)
        fresh: list[int] = []  # indexes of items to store
        seen_in_batch: dict[str, int] = {}
        for i, (path, prep) in enumerate(items):
            source = str(path.absolute())
            if prep.sha256 in existing:
                aid, stored_path, stored_loc = existing[prep.sha256]
                same = stored_path == source and (stored_loc or None) == prep.locator
                status = WriteStatus.UNCHANGED if same else WriteStatus.DUPLICATE
                results[i] = Written(path, prep.locator, status, aid)
            elif prep.sha256 in seen_in_batch:
                results[i] = Written(path, prep.locator, WriteStatus.DUPLICATE)
            else:
                seen_in_batch[prep.sha256] = i
                fresh.append(i)
        if not fresh:
            return [r for r in results if r is not None]

        # Versions by canonical URL, then in-place updates by source path.
        url_keys: dict[int, str | None] = {}
        for i in fresh:
            url = items[i][1].article.url
            url_keys[i] = normalize_url(url) if url else None
        latest: dict[str, tuple[int, int]] = {}
        keys = sorted({k for k in url_keys.values() if k})
        # The latest flag is tested here, not in SQL: with "is_latest" in the WHERE
        # clause SQLite reads every latest article through the is_latest index
        # (seconds at a million articles) instead of the few rows of these keys.
        for chunk in _chunks(keys):
            for aid, key, version, is_latest in conn.execute(
                select(A.c.id, A.c.url_key, A.c.version, A.c.is_latest).where(
                    A.c.url_key.in_(chunk)
                )
            ):
                if is_latest:
                    latest[key] = (aid, version)
        in_place: dict[int, int] = {}  # item index -> article id updated in place
        no_url = [i for i in fresh if not url_keys[i]]
        sources = sorted({str(items[i][0].absolute()) for i in no_url})
        by_source: dict[tuple[str, str | None], int] = {}
        for chunk in _chunks(sources):
            for aid, src, loc, is_latest in conn.execute(
                select(A.c.id, A.c.source_path, A.c.source_locator, A.c.is_latest)
                .where(A.c.source_path.in_(chunk))
                .order_by(A.c.id)
            ):
                if is_latest:
                    by_source.setdefault((src, loc or None), aid)
        for i in no_url:
            key = (str(items[i][0].absolute()), items[i][1].locator)
            if key in by_source:
                in_place[i] = by_source.pop(key)

        rows: list[dict[str, Any]] = []
        new_indexes: list[int] = []
        first_versions: set[int] = set()  # item indexes stored as a first version
        superseded: list[int] = []
        for i in fresh:
            path, prep = items[i]
            row = self._article_row(path, prep, url_keys[i])
            key = url_keys[i]
            if key and key in latest:
                prev_id, prev_version = latest[key]
                row["version"] = prev_version + 1
                if prev_id > 0:
                    superseded.append(prev_id)
                else:  # superseded by a later item of this very batch
                    rows[-prev_id - 1]["is_latest"] = False
            if i in in_place:
                aid = in_place[i]
                conn.execute(update(A).where(A.c.id == aid).values(**row, imported_at=func.now()))
                self._unlink(aid)
                results[i] = Written(path, prep.locator, WriteStatus.UPDATED, aid)
                continue
            rows.append(row)
            new_indexes.append(i)
            if row["version"] == 1:
                first_versions.add(i)
            if key:
                latest[key] = (-len(rows), row["version"])  # a row of this batch
        if superseded:
            conn.execute(update(A).where(A.c.id.in_(superseded)).values(is_latest=False))
        if rows:
            ids = self._insert_articles(rows)
            for i, aid in zip(new_indexes, ids, strict=True):
                path, prep = items[i]
                results[i] = Written(path, prep.locator, WriteStatus.ADDED, aid)

        stored = [
            (w.article_id, items[i][1])
            for i, w in enumerate(results)
            if w is not None
            and w.article_id is not None
            and w.status in (WriteStatus.ADDED, WriteStatus.UPDATED)
        ]
        self._link_outlets(stored)
        self._link_topics(stored)
        t0 = time.perf_counter()
        self._link_people(stored)
        self.timings["people"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        ids_to_keys = {r.article_id: url_keys[i] for i in fresh if (r := results[i]) is not None}
        self._link_stories(stored, url_keys=ids_to_keys)
        self.timings["stories"] += time.perf_counter() - t0
        self._count_lines(
            [
                (w.article_id, items[i][1])
                for i, w in enumerate(results)
                if w is not None
                and w.article_id is not None
                and w.status == WriteStatus.ADDED
                and i in first_versions
            ]
        )
        self._store_names()
        return [r for r in results if r is not None]

    def _count_lines(self, added: Sequence[tuple[int, Prepared]]) -> None:
        """Count the furniture-like lines of new first versions for boilerplate learning.

        A page that joined a story (a near duplicate of a page already stored)
        is left out, so lines repeated only within one story are not counted.
        """
        added = [(aid, prep) for aid, prep in added if prep.article.outlet]
        if not added:
            return
        in_story: set[int] = set()
        for chunk in _chunks([aid for aid, _ in added]):
            in_story.update(
                self.conn.execute(
                    select(A.c.id).where(A.c.id.in_(chunk), A.c.story_id.is_not(None))
                ).scalars()
            )
        log_pages(
            self.conn,
            (
                (self._outlet(prep.article.outlet, OutletKind.PUBLISHER), prep.lines)
                for aid, prep in added
                if aid not in in_story and prep.article.outlet
            ),
        )

    def relink(self, items: Sequence[tuple[int, Prepared]]) -> None:
        """Compute an article's links again from a new :class:`Prepared` (body already stored).

        People, quotes, outlets, topics (but a user's) and the story sketch are
        replaced; the article row itself is not written here.
        """
        if not items:
            return
        self.refresh()
        for aid, _ in items:
            self._unlink(aid)
        self._link_outlets(items)
        self._link_topics(items)
        self._link_people(items)
        keys: dict[int | None, str | None] = {
            aid: key
            for aid, key in self.conn.execute(
                select(A.c.id, A.c.url_key).where(A.c.id.in_([aid for aid, _ in items]))
            )
        }
        self._link_stories(items, url_keys=keys)
        self._store_names()
        self._wrote()

    def stored_articles(self, ids: Sequence[int]) -> list[tuple[int, ParsedArticle]]:
        """Stored articles as :class:`ParsedArticle` (for enriching them again)."""
        g = O.alias("g")
        out: list[tuple[int, ParsedArticle]] = []
        for chunk in _chunks(list(ids)):
            for row in self.conn.execute(
                select(A, O.c.name.label("outlet_name"), g.c.name.label("agency_name"))
                .outerjoin(O, O.c.id == A.c.outlet_id)
                .outerjoin(g, g.c.id == A.c.agency_id)
                .where(A.c.id.in_(chunk))
                .order_by(A.c.id)
            ).mappings():
                out.append(
                    (
                        row["id"],
                        ParsedArticle(
                            headline=row["headline"],
                            body=row["body"],
                            standfirst=row["standfirst"],
                            outlet=row["outlet_name"],
                            section=row["section"],
                            byline=row["byline"],
                            agency=row["agency_name"],
                            dateline_place=row["dateline_place"],
                            published_on=row["published_on"],
                            published_at=row["published_at"],
                            url=row["url"],
                            language=row["language"],
                            format=Format(row["source_format"]),
                            stub=bool(row["is_stub"]),
                        ),
                    )
                )
        return out

    def _article_row(self, path: Path, prep: Prepared, url_key: str | None) -> dict[str, Any]:
        a = prep.article
        publisher = self._outlet(a.outlet, OutletKind.PUBLISHER) if a.outlet else None
        agency = self._outlet(a.agency, OutletKind.AGENCY) if a.agency else None
        return {
            "headline": a.headline,
            "standfirst": a.standfirst,
            "body": a.body,
            "section": a.section,
            "byline": a.byline,
            "dateline_place": a.dateline_place,
            "published_on": a.published_on,
            "published_at": a.published_at,
            "url": a.url,
            "language": a.language,
            "word_count": len(a.body.split()) if prep.word_count is None else prep.word_count,
            "outlet_id": publisher,
            "agency_id": agency,
            "source_path": str(path.absolute()),
            "source_locator": prep.locator,
            "source_format": a.format.value,
            "content_sha256": prep.sha256,
            "importer_version": __version__,
            "run_id": self.run_id,
            "field_methods": json.dumps(dict(a.field_methods), sort_keys=True)
            if a.field_methods
            else None,
            "fetched_at": a.fetched_at,
            "is_stub": a.stub,
            "url_key": url_key,
            "version": 1,
            "is_latest": True,
            "story_id": None,
            "story_similarity": None,
        }

    def _insert_articles(self, rows: list[dict[str, Any]]) -> list[int]:
        conn = self.conn
        if self.sqlite:
            return self._insert_articles_sqlite(rows)
        if conn.dialect.name == "postgresql":
            # Ids drawn from the table's sequence, then the rows by COPY (see insert_rows):
            # 10k imports took 18.5 and 17.8 s against 19.3 and 19.2 s with INSERT ...
            # RETURNING (alternating runs, docs/performance.md).
            ids = list(
                conn.execute(
                    select(func.nextval(_pg_sequence(conn, A))).select_from(
                        func.generate_series(1, len(rows))
                    )
                ).scalars()
            )
            insert_rows(conn, A, [{**row, "id": aid} for row, aid in zip(rows, ids, strict=True)])
            return ids
        return [
            r[0]
            for r in conn.execute(insert(A).returning(A.c.id, sort_by_parameter_order=True), rows)
        ]

    def _insert_articles_sqlite(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert the batch's article rows, then index them for full-text search in one go.

        SQLite copies every page a statement changes to its statement journal before
        changing it, when the statement could fail halfway and writes more than one
        b-tree: any ``INSERT`` into ``articles`` while the full-text trigger exists, or
        with ``RETURNING`` (itself a trigger). An article row changes the table and
        about a dozen indexes, each at a page of its own, so that was some 14 pages of
        16 KB copied to a temporary file per article (28,491 page copies for 2,000
        articles; docs/performance.md). So, inside the writer's transaction, the
        trigger is dropped, the rows go in as plain one-row ``INSERT`` statements with
        their ids given (the next ids after the largest: this writer holds the write
        lock), the trigger is created again from its own stored text, and the batch is
        indexed by one ``INSERT ... SELECT``. Other connections never see the trigger
        missing: they read committed states only, and a rollback restores it.
        """
        conn = self.conn
        trigger = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (_FTS_INSERT_TRIGGER,),
        ).scalar()
        if trigger:
            conn.exec_driver_sql(f"DROP TRIGGER {_FTS_INSERT_TRIGGER}")
        first = int(conn.execute(select(func.coalesce(func.max(A.c.id), 0))).scalar_one()) + 1
        ids = list(range(first, first + len(rows)))
        insert_rows(conn, A, [{**row, "id": aid} for row, aid in zip(rows, ids, strict=True)])
        if trigger:
            conn.exec_driver_sql(trigger)
        t0 = time.perf_counter()
        conn.exec_driver_sql(
            "INSERT INTO articles_fts (rowid, headline, standfirst, body) "
            "SELECT id, headline, standfirst, body FROM articles WHERE id BETWEEN ? AND ?",
            (first, ids[-1]),
        )
        self.timings["index"] += time.perf_counter() - t0
        return ids

    def _unlink(self, article_id: int) -> None:
        """Remove an article's computed links before it is written again in place."""
        conn = self.conn
        gone = conn.execute(
            select(AP.c.mentioned_as).where(AP.c.article_id == article_id)
        ).scalars()
        for name in gone:
            if name:
                self.name_count[name] -= 1
                self._names_changed.add(name)
                if self.name_count[name] <= 0:
                    self._removed_names.add(name)
        conn.execute(delete(AP).where(AP.c.article_id == article_id))
        conn.execute(delete(Q).where(Q.c.article_id == article_id))
        conn.execute(delete(AO).where(AO.c.article_id == article_id))
        conn.execute(delete(AB).where(AB.c.article_id == article_id))
        conn.execute(delete(AT).where(AT.c.article_id == article_id, AT.c.method != USER_METHOD))

    # -- outlets ------------------------------------------------------------

    def _outlet(self, name: str, kind: OutletKind | str) -> int:
        kind = OutletKind(kind)
        key = outlet_key(name)
        cached = self.outlets.get(key)
        if cached is not None:
            oid, stored_kind = cached
            # A plain publisher row is promoted when the name is seen as an agency
            # or broadcaster (a more specific fact); other kinds stay as first seen.
            if stored_kind == OutletKind.PUBLISHER.value and kind is not OutletKind.PUBLISHER:
                self.conn.execute(update(O).where(O.c.id == oid).values(kind=kind.value))
                self.outlets[key] = (oid, kind.value)
            return oid
        values = {"key": key, "name": _SPACES.sub(" ", name).strip(), "kind": kind.value}
        dialect_insert = sqlite.insert if self.sqlite else postgresql.insert
        self.conn.execute(dialect_insert(O).values(**values).on_conflict_do_nothing())
        oid, stored = self.conn.execute(select(O.c.id, O.c.kind).where(O.c.key == key)).one()
        self.outlets[key] = (oid, stored)
        return int(oid)

    def _link_outlets(self, stored: Sequence[tuple[int, Prepared]]) -> None:
        rows: dict[tuple[int, int, str], None] = {}
        for aid, prep in stored:
            a = prep.article
            if a.outlet:
                rows[(aid, self._outlet(a.outlet, OutletKind.PUBLISHER), OutletRole.PUBLISHER)] = (
                    None
                )
            if a.agency:
                rows[(aid, self._outlet(a.agency, OutletKind.AGENCY), OutletRole.AGENCY)] = None
            for cited in prep.cited:
                name, kind = cited.name, cited.kind
                rows[(aid, self._outlet(name, kind), OutletRole.CITED)] = None
        if rows:
            insert_rows(
                self.conn,
                AO,
                [{"article_id": a, "outlet_id": o, "role": str(r)} for a, o, r in rows],
            )

    # -- topics -------------------------------------------------------------

    def _link_topics(self, stored: Sequence[tuple[int, Prepared]]) -> None:
        user: set[tuple[int, int]] = set()
        updated = [aid for aid, _ in stored]
        for chunk in _chunks(updated):
            user.update(
                (aid, tid)
                for aid, tid in self.conn.execute(
                    select(AT.c.article_id, AT.c.topic_id).where(
                        AT.c.article_id.in_(chunk), AT.c.method == USER_METHOD
                    )
                )
            )
        rows = [
            {
                "article_id": aid,
                "topic_id": self.topic_ids[s.slug],
                "score": round(s.score, 4),
                "method": s.method,
            }
            for aid, prep in stored
            for s in prep.topics
            if (aid, self.topic_ids[s.slug]) not in user
        ]
        if rows:
            insert_rows(self.conn, AT, rows)

    # -- people -------------------------------------------------------------

    def _person(self, name: str, ambiguous: bool) -> int:
        key = name_key(name)
        pid = self.people.get(key)
        if pid is None:
            dialect_insert = sqlite.insert if self.sqlite else postgresql.insert
            self.conn.execute(
                dialect_insert(P)
                .values(key=key, name=_SPACES.sub(" ", name).strip(), ambiguous=ambiguous)
                .on_conflict_do_nothing()
            )
            pid = int(self.conn.execute(select(P.c.id).where(P.c.key == key)).scalar_one())
            self.people[key] = pid
            self.ambiguous[pid] = ambiguous
        elif self.ambiguous.get(pid) != ambiguous:
            self.conn.execute(update(P).where(P.c.id == pid).values(ambiguous=ambiguous))
            self.ambiguous[pid] = ambiguous
        return pid

    def _create_people(self, wanted: dict[str, bool]) -> None:
        """Insert the person rows not cached yet, in one statement (name -> ambiguous)."""
        rows: dict[str, dict[str, Any]] = {}
        for name, ambiguous in sorted(wanted.items()):
            key = name_key(name)
            if key not in self.people and key not in rows:
                rows[key] = {
                    "key": key,
                    "name": _SPACES.sub(" ", name).strip(),
                    "ambiguous": ambiguous,
                }
        if not rows:
            return
        dialect_insert = sqlite.insert if self.sqlite else postgresql.insert
        self.conn.execute(dialect_insert(P).on_conflict_do_nothing(), list(rows.values()))
        for chunk in _chunks(sorted(rows)):
            for pid, key, ambiguous in self.conn.execute(
                select(P.c.id, P.c.key, P.c.ambiguous).where(P.c.key.in_(chunk))
            ):
                self.people[key] = pid
                self.ambiguous[pid] = bool(ambiguous)

    def _neighbours(self, names: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for name in names:
            for token in _tokens(name):
                out.update(self.by_token.get(token, ()))
        return out

    def _rebind(self, new_names: set[str]) -> None:
        """Decide (again) which person each name affected by this batch belongs to."""
        from .enrich.identity import resolve_identities

        removed, self._removed_names = self._removed_names, set()
        for name in new_names:
            for token in _tokens(name):
                self.by_token[token].add(name)
        changed = new_names | removed
        affected = changed | self._neighbours(changed)
        hood = affected | self._neighbours(affected)
        present = {n for n in hood if n in new_names or self.name_count[n] > 0}
        mapping = resolve_identities(sorted(present))
        self._create_people(
            {
                (target or name): target is None
                for name in affected & present
                for target in [mapping.get(name, name)]
            }
        )
        touched: set[int] = set()
        for name in sorted(affected & present):
            target = mapping.get(name, name)
            pid = self._person(target or name, ambiguous=target is None)
            old = self.binding.get(name)
            if old is not None and old != pid:
                self._move(name, old, pid)
                touched.update((old, pid))
            self.binding[name] = pid
            self._names_changed.add(name)
        for name in removed - present:
            old = self.binding.pop(name, None)
            self.name_count.pop(name, None)
            self._names_changed.add(name)
            for token in _tokens(name):
                self.by_token[token].discard(name)
            if old is not None:
                touched.add(old)
        self._tidy_people(touched)

    def _move(self, name: str, old: int, new: int) -> None:
        """Move the mentions written as ``name``, and their quotes, from ``old`` to ``new``.

        A one-word name's mentions are found by the name (the partial index of revision
        0010, whose condition the query repeats); a fuller name's by its old person.
        """
        conn = self.conn
        written: list[ColumnElement[bool] | TextClause] = [
            AP.c.person_id == old,
            AP.c.mentioned_as == name,
        ]
        if " " not in name:
            written.append(text(ONE_WORD_NAME))
        clash = select(AP.c.article_id).where(AP.c.person_id == new).scalar_subquery()
        conn.execute(
            update(AP).where(*written, AP.c.article_id.not_in(clash)).values(person_id=new)
        )
        # Mentions in articles that already mention the new person: merge the counts.
        leftovers = conn.execute(
            select(AP.c.article_id, AP.c.mention_count, AP.c.first_offset).where(*written)
        ).all()
        for aid, count, offset in leftovers:
            conn.execute(
                update(AP)
                .where(AP.c.article_id == aid, AP.c.person_id == new)
                .values(
                    mention_count=AP.c.mention_count + count,
                    first_offset=func.min(AP.c.first_offset, offset)
                    if self.sqlite
                    else func.least(AP.c.first_offset, offset),
                )
            )
            conn.execute(delete(AP).where(AP.c.article_id == aid, AP.c.person_id == old))
        self.name_count[name] -= len(leftovers)
        conn.execute(
            update(Q).where(Q.c.person_id == old, Q.c.speaker == name).values(person_id=new)
        )

    def _store_names(self) -> None:
        """Write the changed names' persons and mention counts to ``person_names``.

        The table is what a count of ``article_people`` by name would give, kept in the
        caller's transaction (a rolled-back batch takes its changes with it, and the writer
        then reloads its caches from the table). A name no mention uses any more is deleted.
        """
        changed, self._names_changed = self._names_changed, set()
        if not changed:
            return
        keep = [
            {"name": name, "person_id": self.binding[name], "articles": self.name_count[name]}
            for name in sorted(changed)
            if self.name_count[name] > 0 and name in self.binding
        ]
        # Deleted, then inserted as plain rows: an upsert a row made SQLite copy the pages
        # each one changed to its statement journal (3,700 page copies for 2,000 articles
        # appended at 1M; docs/performance.md, ninth round).
        for chunk in _chunks(sorted(changed)):
            self.conn.execute(delete(PN).where(PN.c.name.in_(chunk)))
        insert_rows(self.conn, PN, keep)

    def _tidy_people(self, touched: set[int]) -> None:
        """Delete person rows left without mentions; rebuild the aliases of the others."""
        conn = self.conn
        for pid in sorted(touched):
            forms = conn.execute(
                select(AP.c.mentioned_as, AP.c.forms).where(AP.c.person_id == pid)
            ).all()
            conn.execute(delete(PA).where(PA.c.person_id == pid))
            self.aliases = {a for a in self.aliases if a[0] != pid}
            if not forms:
                conn.execute(update(Q).where(Q.c.person_id == pid).values(person_id=None))
                conn.execute(delete(P).where(P.c.id == pid))
                self.people = {k: v for k, v in self.people.items() if v != pid}
                self.ambiguous.pop(pid, None)
                continue
            seen: dict[str, str] = {}
            for mentioned, stored in forms:
                for form in [mentioned, *(json.loads(stored) if stored else [])]:
                    if form:
                        seen.setdefault(name_key(form), form)
            self._add_aliases(pid, seen)

    def _add_aliases(self, pid: int, forms: dict[str, str]) -> None:
        self._add_all_aliases({pid: forms})

    def _add_all_aliases(self, forms_of: dict[int, dict[str, str]]) -> None:
        """Store the forms (key -> as written) of each person not stored yet, in one statement."""
        new = [
            (pid, key, alias)
            for pid, forms in sorted(forms_of.items())
            for key, alias in sorted(forms.items())
            if (pid, key) not in self.aliases
        ]
        if new:
            insert_rows(self.conn, PA, [{"person_id": p, "alias": a, "key": k} for p, k, a in new])
            self.aliases.update((pid, key) for pid, key, _ in new)

    def _link_people(self, stored: Sequence[tuple[int, Prepared]]) -> None:
        batch_names = {m.name for _, prep in stored for m in prep.people}
        new_names = {n for n in batch_names if self.name_count[n] <= 0}
        if new_names or self._removed_names:
            self._rebind(new_names)
        rows: dict[tuple[int, int], dict[str, Any]] = {}
        alias_forms: defaultdict[int, dict[str, str]] = defaultdict(dict)
        quotes: list[dict[str, Any]] = []
        for aid, prep in stored:
            for m in prep.people:
                forms: tuple[str, ...] = tuple(m.forms) or (m.name,)
                pid = self.binding[m.name]
                row = rows.get((aid, pid))
                if row is None:
                    rows[(aid, pid)] = {
                        "article_id": aid,
                        "person_id": pid,
                        "mention_count": m.count,
                        "first_offset": m.first_offset,
                        "role": m.role,
                        "published_on": prep.article.published_on,
                        "mentioned_as": m.name,
                        "forms": list(forms),
                    }
                else:  # two names in one article are one person: one row, the fuller name
                    row["mention_count"] += m.count
                    row["first_offset"] = min(row["first_offset"], m.first_offset)
                    row["role"] = row["role"] or m.role
                    row["forms"] += [f for f in forms if f not in row["forms"]]
                    if len(m.name.split()) > len(row["mentioned_as"].split()):
                        row["mentioned_as"] = m.name
                for form in (m.name, *forms):
                    alias_forms[pid].setdefault(name_key(form), form)
            mention_names = {m.name for m in prep.people}
            for q in prep.quotes:
                speaker = q.speaker
                kind = q.speaker_kind
                person_id = (
                    self.binding.get(speaker)
                    if kind == "person" and speaker in mention_names
                    else None
                )
                outlet_id = None
                if kind == "outlet" and speaker:
                    cited_kind = next(
                        (c.kind for c in prep.cited if c.name == speaker),
                        OutletKind.OTHER.value,
                    )
                    outlet_id = self._outlet(speaker, cited_kind)
                quotes.append(
                    {
                        "article_id": aid,
                        "text": q.text,
                        "speaker": speaker,
                        "speaker_kind": kind,
                        "person_id": person_id,
                        "outlet_id": outlet_id,
                        "cue": q.cue,
                        "start_offset": q.offset,
                    }
                )
        for row in rows.values():
            self.name_count[row["mentioned_as"]] += 1
            self._names_changed.add(row["mentioned_as"])
            row["forms"] = json.dumps(row["forms"], ensure_ascii=False)
        if rows:
            insert_rows(self.conn, AP, list(rows.values()))
        self._add_all_aliases(alias_forms)
        if quotes:
            insert_rows(self.conn, Q, quotes)

    # -- stories ------------------------------------------------------------

    def _link_stories(
        self, stored: Sequence[tuple[int, Prepared]], *, url_keys: dict[int | None, str | None]
    ) -> None:
        conn = self.conn
        bands = [
            {"article_id": aid, "band": rank, "bucket": value}
            for aid, prep in stored
            for rank, value in enumerate(prep.sketch)
        ]
        if not bands:
            return
        insert_rows(conn, AB, bands)
        candidates_of = self._story_candidates(stored)
        # Shingle sets of the candidates compared in this batch: a few articles with the
        # same stock phrases are often everyone's candidates. Bounded, and dropped after
        # the batch (cleaning learnt lines out of stored bodies changes them).
        known: dict[int, set[int]] = {}
        for aid, prep in sorted(stored, key=lambda s: s[0]):
            candidates = candidates_of.get(aid)
            if not candidates:
                continue
            mine = shingles(prep.article.body)
            own = conn.execute(select(A.c.story_id).where(A.c.id == aid)).scalar()
            matches: list[tuple[float, int, int | None, str]] = []
            for cid, body, story_id, headline, key in conn.execute(
                select(A.c.id, A.c.body, A.c.story_id, A.c.headline, A.c.url_key).where(
                    A.c.id.in_(candidates)
                )
            ):
                if key is not None and key == url_keys.get(aid):
                    continue  # an earlier version of the same page, not another outlet's
                theirs = known.get(cid)
                if theirs is None:
                    if len(known) >= _SHINGLE_SETS_KEPT:
                        del known[next(iter(known))]
                    theirs = known[cid] = shingles(body)
                score = jaccard(mine, theirs)
                if score >= self.story_threshold:
                    matches.append((score, cid, story_id, headline))
            if matches:
                self._join_story(aid, own, prep.article.headline, matches)

    def _story_candidates(self, stored: Sequence[tuple[int, Prepared]]) -> dict[int, list[int]]:
        """Per article, the stored articles sharing enough sketch hashes with it (one query).

        The articles sharing at least :data:`_MIN_SHARED` of its hashes (all of
        them for a shorter sketch), most shared first, then oldest, at most
        :data:`_MAX_CANDIDATES`. A hash carried by many articles (a stock phrase
        of a template) is read for its :data:`_BUCKET_RECENT` newest articles
        only, so the work per batch does not grow with the database.
        """
        buckets = sorted({h for _, prep in stored for h in prep.sketch})
        holders: defaultdict[int, list[int]] = defaultdict(list)
        for bucket, article_id in self._bucket_holders(buckets):
            holders[bucket].append(article_id)
        out: dict[int, list[int]] = {}
        for aid, prep in stored:
            if not prep.sketch:
                continue
            shared = Counter(
                other for h in set(prep.sketch) for other in holders.get(h, ()) if other != aid
            )
            need = min(_MIN_SHARED, len(set(prep.sketch)))
            best = sorted(
                (other for other, n in shared.items() if n >= need),
                key=lambda other: (-shared[other], other),
            )
            if best:
                out[aid] = best[:_MAX_CANDIDATES]
        return out

    def _bucket_holders(self, buckets: list[int]) -> Iterable[tuple[int, int]]:
        """(bucket, article) for the :data:`_BUCKET_RECENT` newest holders of each bucket.

        Each bucket is one ``ORDER BY article_id DESC LIMIT`` on the (bucket, article_id)
        index, which stops after that many rows: a window over all of a bucket's holders
        read every one of them, at every batch.
        """
        one = (
            "SELECT bucket, article_id FROM article_bands WHERE bucket = {p} "
            f"ORDER BY article_id DESC LIMIT {_BUCKET_RECENT}"
        )
        if self.sqlite:
            # SQLite has no LATERAL: a compound of one sub-select per bucket (at most
            # 500 terms in a compound SELECT by default).
            for chunk in _chunks(buckets, _COMPOUND):
                sql = " UNION ALL ".join(f"SELECT * FROM ({one.format(p='?')})" for _ in chunk)
                yield from self.conn.exec_driver_sql(sql, tuple(chunk))
        else:
            lateral = (
                "SELECT b.bucket, h.article_id FROM unnest(%(buckets)s::bigint[]) AS b(bucket) "
                f"CROSS JOIN LATERAL ({one.format(p='b.bucket')}) AS h"
            )
            for chunk in _chunks(buckets):
                yield from self.conn.exec_driver_sql(lateral, {"buckets": list(chunk)})

    def _join_story(
        self,
        aid: int,
        own: int | None,
        headline: str,
        matches: list[tuple[float, int, int | None, str]],
    ) -> None:
        """Put an article and the texts it matches in one story, merging stories they were in.

        The story keeps the smallest id among them; every member's
        ``story_similarity`` is its best similarity to another member seen so far.
        """
        conn = self.conn
        stories = {s for _, _, s, _ in matches if s is not None} | ({own} if own else set())
        if stories:
            target = min(stories)
            others = sorted(stories - {target})
            if others:
                conn.execute(update(A).where(A.c.story_id.in_(others)).values(story_id=target))
                conn.execute(delete(S).where(S.c.id.in_(others)))
        else:
            first = min([(cid, h) for _, cid, _, h in matches] + [(aid, headline)])
            target = int(
                conn.execute(insert(S).values(label=first[1]).returning(S.c.id)).scalar_one()
            )
        best = max(score for score, *_ in matches)
        for score, cid, story_id, _ in matches:
            if story_id is None:
                conn.execute(
                    update(A)
                    .where(A.c.id == cid)
                    .values(story_id=target, story_similarity=round(score, 4))
                )
        conn.execute(
            update(A).where(A.c.id == aid).values(story_id=target, story_similarity=round(best, 4))
        )
