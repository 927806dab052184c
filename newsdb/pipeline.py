"""The pure half of an import: read, parse and enrich files, in worker processes.

Nothing here touches the database. :func:`prepare_file` turns one path into a
:class:`FileOutcome` (every article record in it, parsed and enriched, or the
reason it could not be); :func:`iter_outcomes` runs it over a stream of paths,
in ``jobs`` worker processes, keeping at most a bounded number of files in
flight so memory stays flat whatever the corpus size, and yields outcomes in
the order of the paths (so a run is deterministic).
"""

from __future__ import annotations

import gc
import os
import time
from collections import deque
from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from ._pickling import pickled_by_fields
from .boilerplate import candidate_hashes
from .enrich._records import CitedOutlet, PersonMention, Quote
from .enrich.stories import sketch
from .enrich.topics import Taxonomy, TopicScore, assign_topics
from .errors import NotAnArticle, ParseError
from .parsers import detect_format, parse_records, read_page
from .parsers.base import Format, ParsedArticle, RawPage

__all__ = [
    "FileOutcome",
    "Prepared",
    "RecordProblem",
    "default_jobs",
    "enrich",
    "iter_outcomes",
    "known_index",
    "prepare_file",
]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Prepared:
    """One article record, parsed and enriched, ready for the writer."""

    locator: str | None
    sha256: str
    article: ParsedArticle
    topics: tuple[TopicScore, ...] = ()
    people: tuple[PersonMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    cited: tuple[CitedOutlet, ...] = ()
    sketch: tuple[int, ...] = ()
    # Hashes of the body's paragraphs that may be furniture (boilerplate.candidate_hashes),
    # sorted: the writer logs them for boilerplate learning. Computed here, in the
    # workers, because the writer is the one stage that cannot run in parallel.
    lines: tuple[int, ...] = ()
    # The body's words (``len(body.split())``), counted here for the same reason; None:
    # the writer counts them.
    word_count: int | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class RecordProblem:
    """A record (or a whole file) that gives no article: skipped or failed, and why."""

    locator: str | None
    failed: bool
    reason: str


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class FileOutcome:
    """Everything one file gave: its article records and its problems."""

    path: Path
    records: tuple[Prepared, ...] = ()
    problems: tuple[RecordProblem, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    # CPU seconds spent reading, parsing and enriching (for benchmarks; CPU, not
    # wall time, so that other processes on the machine do not inflate them).
    timings: tuple[float, float, float] = (0.0, 0.0, 0.0)


# Files per task sent to a worker: every task is a round trip through the pool's
# queues and threads (about 0.2 ms of the writer's CPU), so files go in chunks.
CHUNK = 16

# The workers run at a lower scheduling priority than the writer (Unix niceness added to
# theirs). The writer is the one stage that cannot run in parallel: when the workers and the
# writer all want a core, as in appends to a large database, the writer should get its core
# and the workers the rest, not a third of the machine each (see docs/performance.md).
WORKER_NICENESS = 10

# Per-process state for workers: set once by _init_worker, read by prepare_file.
_STATE: dict[str, object] = {}


def known_index(names: Collection[str]) -> Collection[str]:
    """The known names indexed once, not again for every article."""
    from .enrich.people import KnownNames

    return names if isinstance(names, KnownNames) else KnownNames(names)


def _init_worker(taxonomy: Taxonomy, known_people: Collection[str]) -> None:
    if hasattr(os, "nice"):  # not on Windows
        os.nice(WORKER_NICENESS)
    # A worker forked from an importing writer inherits its collector turned off
    # (importer._few_collections); its own garbage is collected as usual.
    gc.enable()
    _STATE["taxonomy"] = taxonomy
    _STATE["known"] = known_index(known_people)


def enrich(
    parsed: ParsedArticle,
    *,
    locator: str | None,
    sha256: str,
    taxonomy: Taxonomy,
    known_people: Collection[str] = (),
) -> Prepared:
    """Run every enrichment over one parsed article (pure)."""
    from .enrich.people import analyse

    topics = tuple(
        assign_topics(
            taxonomy,
            headline=parsed.headline,
            body=parsed.body,
            standfirst=parsed.standfirst,
            section=parsed.section,
        )
    )
    found = analyse(parsed.headline, parsed.standfirst, parsed.body, known=known_people)
    return Prepared(
        locator=locator,
        sha256=sha256,
        article=parsed,
        topics=topics,
        people=tuple(found.people),
        quotes=tuple(found.quotes),
        cited=tuple(found.cited),
        sketch=sketch(parsed.body),
        lines=tuple(sorted(candidate_hashes(parsed.body))),
        word_count=len(parsed.body.split()),
    )


def prepare_file(
    path: Path,
    taxonomy: Taxonomy | None = None,
    known_people: Collection[str] | None = None,
) -> FileOutcome:
    """Read, parse and enrich one file. Never raises for bad input.

    Args:
        path: The file.
        taxonomy: Topics to tag with (default: the worker's, set at start-up).
        known_people: Names already in the database (default: the worker's).
    """
    tax = taxonomy if taxonomy is not None else _STATE.get("taxonomy")
    known = known_people if known_people is not None else _STATE.get("known", frozenset())
    assert isinstance(tax, Taxonomy), "prepare_file needs a taxonomy"
    assert isinstance(known, Collection)
    fmt = detect_format(path)
    if fmt is None:
        reason = f"not an article file ({path.suffix or 'no suffix'})"
        return FileOutcome(path, problems=(RecordProblem(None, False, reason),))
    records: list[Prepared] = []
    problems: list[RecordProblem] = []
    warnings: list[str] = []
    clock = time.process_time
    start = clock()
    t_read = t_enrich = 0.0
    try:
        if fmt is Format.WARC:  # streamed from disk by its reader: never read whole
            raw = RawPage(path=path, data=b"", sha256="")
        else:
            raw = read_page(path)
        t_read = clock() - start
        for record in parse_records(raw):
            if record.error is not None:
                err = record.error
                skipped = isinstance(err, NotAnArticle)
                reason = err.reason if isinstance(err, ParseError) else str(err)
                problems.append(RecordProblem(record.locator or None, not skipped, reason))
                continue
            assert record.article is not None
            warnings.extend(record.article.warnings)
            t0 = clock()
            records.append(
                enrich(
                    record.article,
                    locator=record.locator or None,
                    sha256=record.sha256,
                    taxonomy=tax,
                    known_people=known,
                )
            )
            t_enrich += clock() - t0
    except NotAnArticle as exc:
        problems.append(RecordProblem(None, False, exc.reason))
    except ParseError as exc:
        problems.append(RecordProblem(None, True, exc.reason))
    except Exception as exc:  # a parser bug must cost one file, not the whole run
        problems.append(RecordProblem(None, True, f"parser error: {type(exc).__name__}: {exc}"))
    t_parse = clock() - start - t_read - t_enrich
    return FileOutcome(
        path,
        tuple(records),
        tuple(problems),
        tuple(dict.fromkeys(warnings)),
        (t_read, t_parse, t_enrich),
    )


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _prepare_chunk(paths: list[Path]) -> list[FileOutcome]:
    """A worker's task: several files, so one message carries many outcomes."""
    return [prepare_file(path) for path in paths]


def _chunks(paths: Iterable[Path], size: int) -> Iterator[list[Path]]:
    it = iter(paths)
    while chunk := list(islice(it, size)):
        yield chunk


def iter_outcomes(
    paths: Iterable[Path],
    *,
    taxonomy: Taxonomy,
    known_people: Collection[str] = (),
    jobs: int = 1,
    window: int | None = None,
) -> Iterator[FileOutcome]:
    """Prepare every path, in ``jobs`` processes, yielding outcomes in input order.

    At most ``window`` files (default ``32 * jobs``) are in flight at once: the
    path iterator is consumed lazily and results wait in a bounded queue, so
    memory does not grow with the corpus. Files go to the workers in chunks of
    up to :data:`CHUNK` (at least two chunks per worker stay in flight).

    Args:
        paths: Files to prepare (consumed lazily).
        taxonomy: Topics to tag with.
        known_people: Names already in the database (repairs glued words).
        jobs: Worker processes; 1 runs everything in this process.
        window: Files in flight at most.
    """
    if jobs <= 1:
        known = known_index(known_people)
        for path in paths:
            yield prepare_file(path, taxonomy, known)
        return
    limit = window or 32 * jobs
    size = max(1, min(CHUNK, limit // (2 * jobs)))
    pending: deque[Future[list[FileOutcome]]] = deque()
    # Indexed once here: forked workers share the index instead of each building its own
    # (about 3 s of CPU a worker for 500,000 names).
    known = known_index(known_people)
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(taxonomy, known)
    ) as pool:
        try:
            for chunk in _chunks(paths, size):
                pending.append(pool.submit(_prepare_chunk, chunk))
                if len(pending) * size >= limit:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
