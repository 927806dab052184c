"""Per-outlet boilerplate: body lines that repeat across many of one outlet's pages.

The parsers drop page furniture by its shape (menus, link lists, captions,
footers). Some furniture reads like prose and only repetition gives it away: a
donation appeal, "This story has been updated", "Follow us on ...", a standard
closing paragraph. Those lines are learnt per outlet, from the database:

1. As each article is stored, the lines of its body that may be furniture (the
   first :data:`HEAD` and last :data:`TAIL` paragraphs, and any paragraph of at
   most :data:`SHORT_WORDS` words) are logged in ``outlet_line_sightings``, one
   row a page, by a 64-bit hash of the line case-folded with its spaces
   collapsed. Pages that join an existing story as a near-duplicate (an update
   of the same article, the same wire copy again) are not logged, so a
   paragraph that only repeats within one story is never taken for furniture.
   Logging is an append; counting each line in ``outlet_lines`` as it came
   rewrote pages all over that hash-ordered table at every batch, the largest
   share of what a batch wrote to a big SQLite file.
2. At the end of a run, :func:`apply_boilerplate` counts the logged sightings
   into ``outlet_lines`` in one sorted pass (:func:`count_sightings`) and empties
   the log, then marks every line seen on at
   least ``min_pages`` distinct pages of one outlet as learnt (checking only the
   lines it counted when ``writer_state.lines_learnt_from`` says every other line
   on that many pages is learnt already; otherwise reading the whole table, which
   at 1M bench articles holds 6M lines), then cleans every
   body of that outlet that has not been checked against the outlet's current
   set: the paragraphs whose hash is learnt are dropped from the body and kept
   in ``articles.boilerplate`` (a JSON list), and the article's people, quotes,
   cited outlets, topics and story sketch are computed again from the clean text.

A learnt line stays learnt. The result does not depend on the order of import:
counts only grow, and every body is cleaned against the full set at the end of
each run (a run killed before that point is finished by the next one, which
counts the sightings it left and cleans what is pending first). Until then
``outlet_lines.pages`` lags behind what the run stored.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from sqlalchemy import (
    Connection,
    Executable,
    Integer,
    Table,
    and_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from .models import Article, Outlet, OutletLine, OutletLineSighting, WriterState
from .store import insert_rows

if TYPE_CHECKING:
    from .enrich.topics import Taxonomy
    from .writer import BatchWriter

__all__ = [
    "HEAD",
    "MIN_PAGES",
    "SHORT_WORDS",
    "TAIL",
    "BoilerplateReport",
    "apply_boilerplate",
    "candidate_hashes",
    "count_sightings",
    "line_hash",
    "log_pages",
    "strip_lines",
]

A = cast(Table, Article.__table__)
O = cast(Table, Outlet.__table__)  # noqa: E741
OL = cast(Table, OutletLine.__table__)
OLS = cast(Table, OutletLineSighting.__table__)
WS = cast(Table, WriterState.__table__)

# Distinct pages of one outlet a line must be on to be learnt (0 turns learning off).
MIN_PAGES = 5
# Sightings counted and deleted at a time at the end of a run (bounds SQLite's memory there).
SIGHTINGS_CHUNK = 200_000
# Paragraphs at the top and the bottom of a body that are counted whatever their length.
HEAD = 2
TAIL = 4
# Paragraphs this short are counted wherever they stand.
SHORT_WORDS = 25
# Articles cleaned per statement batch.
_BATCH = 500


def line_hash(paragraph: str) -> int:
    """A signed 64-bit hash of a paragraph, case-folded with its spaces collapsed."""
    key = " ".join(paragraph.casefold().split()).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big", signed=True)


def _paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()]


def candidate_hashes(body: str) -> set[int]:
    """Hashes of the paragraphs of ``body`` that may be furniture (see the module doc)."""
    paragraphs = _paragraphs(body)
    last = len(paragraphs) - TAIL
    return {
        line_hash(p)
        for i, p in enumerate(paragraphs)
        # Fewer spaces than SHORT_WORDS is a quick "short enough" before counting words.
        if i < HEAD or i >= last or p.count(" ") < SHORT_WORDS or len(p.split()) <= SHORT_WORDS
    }


def strip_lines(body: str, learnt: Collection[int]) -> tuple[str, list[str]]:
    """Drop the paragraphs of ``body`` whose hash is in ``learnt``.

    Returns:
        The body without them (paragraphs still separated by one blank line)
        and the dropped paragraphs, in order.
    """
    kept: list[str] = []
    dropped: list[str] = []
    for p in _paragraphs(body):
        (dropped if line_hash(p) in learnt else kept).append(p)
    return "\n\n".join(kept), dropped


def log_pages(conn: Connection, pages: Iterable[tuple[int, Iterable[int]]]) -> None:
    """Log one sighting of each candidate line of each page: an append.

    Args:
        conn: The writer's connection (the caller owns the transaction).
        pages: (outlet id, the :func:`candidate_hashes` of the page's body).

    Counted into ``outlet_lines`` by :func:`count_sightings` at the end of the run.
    """
    rows = [{"outlet_id": outlet_id, "line_hash": h} for outlet_id, hashes in pages for h in hashes]
    insert_rows(conn, OLS, rows)


def count_sightings(conn: Connection) -> int:
    """Add the logged sightings to the page counts of ``outlet_lines``; empty the log.

    One ``INSERT ... SELECT ... GROUP BY`` walks the sightings in key order, so
    every page of ``outlet_lines`` is written at most once, however many batches
    logged them. The caller holds the writer's lock (no sighting is logged
    between the two statements) and owns the transaction.

    Returns:
        The sightings counted.
    """
    return _count(conn)


def _count(conn: Connection, reached: tuple[int, set[tuple[int, int]]] | None = None) -> int:
    """:func:`count_sightings`; with ``reached`` (``min_pages``, a set), also add to the set
    every line it counted that is now on ``min_pages`` pages or more and not learnt:
    (outlet id, line hash). Only those are kept, so an append of a million pages (six
    million lines counted) holds a few, not every line, in the writer's memory."""
    logged, first, last = conn.execute(
        select(func.count(), func.min(OLS.c.id), func.max(OLS.c.id))
    ).one()
    if not logged:
        return 0
    dialect_insert = sqlite.insert if conn.dialect.name == "sqlite" else postgresql.insert
    lo, hi = bindparam("lo", type_=Integer), bindparam("hi", type_=Integer)
    per_line = (
        select(OLS.c.outlet_id, OLS.c.line_hash, func.count().label("pages"))
        .where(OLS.c.id >= lo, OLS.c.id < hi)
        .group_by(OLS.c.outlet_id, OLS.c.line_hash)
    )
    upsert = dialect_insert(OL).from_select(["outlet_id", "line_hash", "pages"], per_line)
    upsert = upsert.on_conflict_do_update(
        index_elements=[OL.c.outlet_id, OL.c.line_hash],
        set_={"pages": OL.c.pages + upsert.excluded.pages},
    )
    stmt: Executable = upsert
    if reached is not None:
        stmt = upsert.returning(OL.c.outlet_id, OL.c.line_hash, OL.c.pages, OL.c.learnt)
    # A range of the log at a time, counted then deleted. All at once, 6M sightings took
    # SQLite about 140 MB more on top of its page cache: a temporary b-tree as large as the
    # page cache for the GROUP BY, and with foreign keys on the DELETE first collects every
    # rowid it removes. A range of SIGHTINGS_CHUNK rows takes a few MB.
    gone = delete(OLS).where(OLS.c.id >= lo, OLS.c.id < hi)
    for start in range(int(first), int(last) + 1, SIGHTINGS_CHUNK):
        span = {"lo": start, "hi": start + SIGHTINGS_CHUNK}
        result = conn.execute(stmt, span)
        if reached is not None:
            least, lines = reached
            # A line counted in two ranges comes twice: a set keeps it once.
            lines.update((o, h) for o, h, n, learnt in result if n >= least and not learnt)
        conn.execute(gone, span)
    return int(logged)


@dataclass
class BoilerplateReport:
    """What one pass learnt and cleaned."""

    counted: int = 0  # line sightings counted into outlet_lines
    learnt: int = 0  # lines newly learnt
    checked: int = 0  # articles checked against their outlet's learnt lines
    cleaned: int = 0  # articles that lost at least one line
    dropped: int = 0  # paragraphs dropped in all


def _learn(
    conn: Connection, min_pages: int, run_id: int | None, reached: set[tuple[int, int]] | None
) -> int:
    """Mark lines on ``min_pages`` pages or more as learnt; bump their outlets' versions.

    With ``reached`` (the lines this pass counted up to that many pages, see :func:`_count`),
    only those are marked: the caller knows every other line on that many pages is learnt
    already.
    """
    if reached is None:
        # One pass over outlet_lines (it has no index on pages: at 1M articles, 6M rows
        # and 0.4 s a pass), which reports the outlet of every line it marks.
        marked = conn.execute(
            update(OL)
            .where(OL.c.pages >= min_pages, OL.c.learnt.is_(False))
            .values(learnt=True, learnt_run_id=run_id)
            .returning(OL.c.outlet_id)
        ).scalars()
        new = Counter(marked)
    else:
        lines = sorted(reached)
        if lines:
            conn.execute(
                update(OL)
                .where(OL.c.outlet_id == bindparam("o"), OL.c.line_hash == bindparam("h"))
                .values(learnt=True, learnt_run_id=run_id),
                [{"o": o, "h": h} for o, h in lines],
            )
        new = Counter(o for o, _ in lines)
    for outlet_id in sorted(new):
        total = conn.execute(
            select(func.count()).where(OL.c.outlet_id == outlet_id, OL.c.learnt.is_(True))
        ).scalar_one()
        conn.execute(update(O).where(O.c.id == outlet_id).values(boilerplate_version=total))
    return sum(new.values())


def apply_boilerplate(
    conn: Connection,
    writer: BatchWriter,
    taxonomy: Taxonomy,
    *,
    min_pages: int = MIN_PAGES,
    run_id: int | None = None,
    known_people: Sequence[str] | None = None,
) -> BoilerplateReport:
    """Learn the lines now on ``min_pages`` pages of an outlet; clean the bodies not yet checked.

    The caller owns the transaction; everything here is one unit of work.

    Args:
        known_people: The full names the run's workers were given (the people
            finder repairs glued words and reads lone family names with them), so
            a cleaned article is read as its run read it; default: the names
            stored now.
    """
    from .pipeline import enrich

    report = BoilerplateReport()
    writer.lock()  # another importer's batch must not run between learning and relinking
    # Every line on ``level`` pages or more is learnt (None: not known). If this pass asks
    # for as many pages or more, a line it does not count cannot need learning.
    level = conn.execute(select(WS.c.lines_learnt_from).where(WS.c.id == 1)).scalar()
    reached: set[tuple[int, int]] | None = None
    if min_pages > 0 and level is not None and min_pages >= level:
        reached = set()
    # Counted even when nothing is to be learnt, so the log never outgrows one run.
    report.counted = _count(conn, None if reached is None else (min_pages, reached))
    if min_pages <= 0:
        if report.counted and level is not None:  # counted, not learnt
            conn.execute(update(WS).where(WS.c.id == 1).values(lines_learnt_from=None))
        return report
    writer.refresh()  # and what other importers wrote is in the caches before relinking
    report.learnt = _learn(conn, min_pages, run_id, reached)
    if level != min_pages:
        conn.execute(update(WS).where(WS.c.id == 1).values(lines_learnt_from=min_pages))
    outlets = conn.execute(
        select(O.c.id, O.c.boilerplate_version).where(O.c.boilerplate_version > 0)
    ).all()
    known: Collection[str] | None = None
    for outlet_id, version in outlets:
        learnt_rows = conn.execute(
            select(OL.c.line_hash, OL.c.text).where(
                OL.c.outlet_id == outlet_id, OL.c.learnt.is_(True)
            )
        ).all()
        learnt = {h for h, _ in learnt_rows}
        missing_text = {h for h, t in learnt_rows if t is None}
        pending = select(A.c.id).where(
            and_(A.c.outlet_id == outlet_id, A.c.boilerplate_checked < version)
        )
        while ids := conn.execute(pending.order_by(A.c.id).limit(_BATCH)).scalars().all():
            changed = _clean(conn, outlet_id, ids, learnt, version, missing_text, report)
            if not changed:
                continue
            if known is None:
                from .enrich.people import KnownNames

                names = writer.known_people() if known_people is None else known_people
                known = KnownNames(names)
            writer.relink(
                [
                    (
                        aid,
                        enrich(
                            parsed, locator=None, sha256="", taxonomy=taxonomy, known_people=known
                        ),
                    )
                    for aid, parsed in writer.stored_articles(changed)
                ]
            )
    return report


def _clean(
    conn: Connection,
    outlet_id: int,
    ids: Sequence[int],
    learnt: set[int],
    version: int,
    missing_text: set[int],
    report: BoilerplateReport,
) -> list[int]:
    """Clean the bodies of ``ids``; return the ids whose body changed."""
    changed: list[int] = []
    rows = conn.execute(select(A.c.id, A.c.body, A.c.boilerplate).where(A.c.id.in_(ids))).all()
    for aid, body, before in rows:
        report.checked += 1
        clean, dropped = strip_lines(body, learnt)
        values: dict[str, object] = {"boilerplate_checked": version}
        if dropped and clean:  # a body that is nothing but furniture is left as it is
            report.cleaned += 1
            report.dropped += len(dropped)
            changed.append(aid)
            kept = json.loads(before) if before else []
            values.update(
                body=clean,
                word_count=len(clean.split()),
                boilerplate=json.dumps(kept + dropped, ensure_ascii=False),
            )
            for line in dropped:
                h = line_hash(line)
                if h in missing_text:
                    conn.execute(
                        update(OL)
                        .where(
                            OL.c.outlet_id == outlet_id, OL.c.line_hash == h, OL.c.text.is_(None)
                        )
                        .values(text=line)
                    )
                    missing_text.discard(h)
        conn.execute(update(A).where(A.c.id == aid).values(**values))
    return changed
