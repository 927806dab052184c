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
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TypeVar

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
    "prepare_files",
]

_T = TypeVar("_T")


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
    (done,), _ = _enrich_all([(parsed, locator, sha256)], taxonomy, known_people)
    if isinstance(done, Exception):
        raise done
    return done


def _enrich_all(
    items: Sequence[tuple[ParsedArticle, str | None, str]],
    taxonomy: Taxonomy,
    known_people: Collection[str],
) -> tuple[list[Prepared | Exception], list[float]]:
    """Enrich several articles a stage at a time: every article's topics, then every
    article's people, and so on.

    One stage's code and tables stay in the processor's caches while it runs over the
    articles; one article at a time through every stage, then the next file's parsing,
    the caches were refilled for each (the workers' CPU a page 0.93-0.95 ms one at a
    time, 0.69-0.78 ms a stage at a time over 16-32 files; docs/performance.md,
    seventeenth round).

    Returns:
        Per article, its :class:`Prepared` or the exception a stage raised for it (the
        later stages skip it); and per article, the CPU seconds it was given, each
        stage's time shared equally among the articles it ran on.
    """
    from .enrich.people import analyse

    n = len(items)
    failed: dict[int, Exception] = {}
    seconds = [0.0] * n
    clock = time.process_time

    def stage(step: Callable[[ParsedArticle], _T]) -> list[_T | None]:
        out: list[_T | None] = [None] * n
        ran = 0
        started = clock()
        for i, (parsed, _, _) in enumerate(items):
            if i in failed:
                continue
            ran += 1
            try:
                out[i] = step(parsed)
            except Exception as exc:  # costs this article (its file), not the others
                failed[i] = exc
        share = (clock() - started) / max(ran, 1)
        for i in range(n):
            if i not in failed:
                seconds[i] += share
        return out

    topics = stage(
        lambda a: tuple(
            assign_topics(
                taxonomy,
                headline=a.headline,
                body=a.body,
                standfirst=a.standfirst,
                section=a.section,
            )
        )
    )
    found = stage(lambda a: analyse(a.headline, a.standfirst, a.body, known=known_people))
    sketches = stage(lambda a: sketch(a.body))
    lines = stage(lambda a: tuple(sorted(candidate_hashes(a.body))))
    words = stage(lambda a: len(a.body.split()))
    done: list[Prepared | Exception] = []
    for i, (parsed, locator, sha256) in enumerate(items):
        if i in failed:
            done.append(failed[i])
            continue
        people = found[i]
        assert people is not None
        done.append(
            Prepared(
                locator=locator,
                sha256=sha256,
                article=parsed,
                topics=topics[i] or (),
                people=tuple(people.people),
                quotes=tuple(people.quotes),
                cited=tuple(people.cited),
                sketch=sketches[i] or (),
                lines=lines[i] or (),
                word_count=words[i],
            )
        )
    return done, seconds


def _parser_error(exc: Exception) -> RecordProblem:
    """A bug met while reading, parsing or enriching a file: the file fails with it."""
    return RecordProblem(None, True, f"parser error: {type(exc).__name__}: {exc}")


@dataclass
class _Reading:
    """One file between its parsing and its enrichment: what it gave, in order."""

    path: Path
    # In the file's order: an article (its index among the chunk's articles) or a problem.
    events: list[int | RecordProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    t_read: float = 0.0
    t_parse: float = 0.0


def _read_and_parse(
    path: Path, fmt: Format, articles: list[tuple[ParsedArticle, str | None, str]]
) -> _Reading:
    """Read and parse one file, appending its article records to ``articles``."""
    reading = _Reading(path)
    events = reading.events
    clock = time.process_time
    start = clock()
    try:
        if fmt is Format.WARC:  # streamed from disk by its reader: never read whole
            raw = RawPage(path=path, data=b"", sha256="")
        else:
            raw = read_page(path)
        reading.t_read = clock() - start
        for record in parse_records(raw):
            if record.error is not None:
                err = record.error
                skipped = isinstance(err, NotAnArticle)
                reason = err.reason if isinstance(err, ParseError) else str(err)
                events.append(RecordProblem(record.locator or None, not skipped, reason))
                continue
            assert record.article is not None
            reading.warnings.extend(record.article.warnings)
            events.append(len(articles))
            articles.append((record.article, record.locator or None, record.sha256))
    except NotAnArticle as exc:
        events.append(RecordProblem(None, False, exc.reason))
    except ParseError as exc:
        events.append(RecordProblem(None, True, exc.reason))
    except Exception as exc:  # a parser bug must cost one file, not the whole run
        events.append(_parser_error(exc))
    reading.t_parse = clock() - start - reading.t_read
    return reading


def prepare_files(
    paths: Sequence[Path],
    taxonomy: Taxonomy | None = None,
    known_people: Collection[str] | None = None,
) -> list[FileOutcome]:
    """Read, parse and enrich several files, one :class:`FileOutcome` each, in order.

    Every file is read and parsed first, then all their articles are enriched a stage
    at a time (:func:`_enrich_all`). Never raises for bad input: an error costs its
    file, as in :func:`prepare_file`.

    Args:
        paths: The files.
        taxonomy: Topics to tag with (default: the worker's, set at start-up).
        known_people: Names already in the database (default: the worker's).
    """
    tax = taxonomy if taxonomy is not None else _STATE.get("taxonomy")
    known = known_people if known_people is not None else _STATE.get("known", frozenset())
    assert isinstance(tax, Taxonomy), "prepare_files needs a taxonomy"
    assert isinstance(known, Collection)
    articles: list[tuple[ParsedArticle, str | None, str]] = []
    readings: list[_Reading | FileOutcome] = []
    for path in paths:
        fmt = detect_format(path)
        if fmt is None:
            reason = f"not an article file ({path.suffix or 'no suffix'})"
            readings.append(FileOutcome(path, problems=(RecordProblem(None, False, reason),)))
        else:
            readings.append(_read_and_parse(path, fmt, articles))
    enriched, seconds = _enrich_all(articles, tax, known)
    out: list[FileOutcome] = []
    for reading in readings:
        if isinstance(reading, FileOutcome):
            out.append(reading)
            continue
        records: list[Prepared] = []
        problems: list[RecordProblem] = []
        t_enrich = 0.0
        for event in reading.events:
            if isinstance(event, RecordProblem):
                problems.append(event)
                continue
            t_enrich += seconds[event]
            done = enriched[event]
            if isinstance(done, Exception):
                # As when files were enriched one record at a time: the records before it
                # are kept, the file fails here, and nothing after it counts.
                problems.append(_parser_error(done))
                break
            records.append(done)
        out.append(
            FileOutcome(
                reading.path,
                tuple(records),
                tuple(problems),
                tuple(dict.fromkeys(reading.warnings)),
                (reading.t_read, reading.t_parse, t_enrich),
            )
        )
    return out


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
    (outcome,) = prepare_files([path], taxonomy, known_people)
    return outcome


def default_jobs() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _prepare_chunk(paths: list[Path]) -> list[FileOutcome]:
    """A worker's task: several files, so one message carries many outcomes."""
    return prepare_files(paths)


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
        for chunk in _chunks(paths, CHUNK):
            yield from prepare_files(chunk, taxonomy, known)
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
