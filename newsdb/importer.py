"""Importing files and folders: find the files, prepare them in workers, store them in batches.

:func:`run_import` is the entry point the CLI and the import script use: it
brings the schema to head, records the run in ``import_runs``, prepares files
in worker processes (:mod:`newsdb.pipeline`) and stores them through one
:class:`~newsdb.writer.BatchWriter`, committing once per batch. A crash loses at
most the batch in flight, never a half-written file, and running the same
import again finishes the job without doubling anything.
:func:`import_files` is the library form for a caller that owns the transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import gc
import json
import os
import queue
import sqlite3
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Engine,
    RootTransaction,
    Table,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from . import __version__
from .boilerplate import MIN_PAGES, BoilerplateReport, apply_boilerplate
from .db import upgrade
from .enrich.people import KnownNames
from .enrich.topics import Taxonomy, load_taxonomy
from .errors import ParseError
from .models import ImportFile, ImportRun
from .overrides import (
    Overrides,
    apply_overrides,
    is_sidecar,
    manifest_entry,
    override_sha,
    read_manifest,
    read_sidecar,
    sidecar_target,
)
from .pipeline import FileOutcome, Prepared, RecordProblem, enrich, iter_outcomes, prepare_file
from .writer import VACUUMED_TABLES, BatchWriter, Written

__all__ = ["FileResult", "FileStatus", "ImportReport", "import_files", "iter_files", "run_import"]


class FileStatus(enum.StrEnum):
    """What happened to one file."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class FileResult:
    """The outcome for one file."""

    path: Path
    status: FileStatus
    reason: str | None = None
    article_id: int | None = None
    warnings: tuple[str, ...] = ()
    # Where in a multi-record file (JSON Lines line, feed entry, WARC record).
    locator: str | None = None

    @property
    def where(self) -> str:
        """The path, with the record's locator when there is one."""
        return f"{self.path} ({self.locator})" if self.locator else str(self.path)


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts of every file's outcome, and the outcomes worth reading.

    ``results`` holds every file's (or record's) outcome when ``keep_all`` is true; otherwise
    only the ones a reader must see (failed, skipped, or with warnings), so that a run over a
    million files keeps a few counters in memory, not a million results. Every file that was
    not unchanged is recorded in the database's ``import_files`` table either way.
    """

    results: list[FileResult] = field(default_factory=list)
    # Seconds per stage: read, parse, enrich (summed over workers), store, index,
    # people, stories (the writer's; "store" includes the last three).
    timings: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    # What the end-of-run boilerplate pass learnt and cleaned.
    boilerplate: BoilerplateReport = field(default_factory=BoilerplateReport)
    # Each stored batch: records in it and seconds the writer took (a stalled batch shows).
    batches: list[tuple[int, float]] = field(default_factory=list)
    # Each committed transaction: records in it and seconds from its start to the end of its
    # commit (the longest time another importer waits for the write lock).
    transactions: list[tuple[int, float]] = field(default_factory=list)
    # SQLite: seconds of each WAL checkpoint run beside the writer, the last one included
    # (the run waited for that one; see _Checkpointer).
    checkpoints: list[float] = field(default_factory=list)
    keep_all: bool = True
    _counts: Counter[str] = field(default_factory=Counter)
    _files: int = 0
    _last_path: Path | None = None

    def add(self, result: FileResult) -> None:
        """Count one outcome, and keep it if the report keeps it."""
        self._counts[result.status.value] += 1
        # The outcomes of one file (its records) come one after the other.
        if result.path != self._last_path:
            self._files += 1
            self._last_path = result.path
        if self.keep_all or result.warnings or result.status in _NOTABLE:
            self.results.append(result)

    @property
    def counts(self) -> dict[str, int]:
        """Outcomes per status, with every status present."""
        return {status.value: self._counts.get(status.value, 0) for status in FileStatus}

    @property
    def files(self) -> int:
        """Files met."""
        return self._files

    @property
    def failed(self) -> list[FileResult]:
        """The files that could not be imported."""
        return [r for r in self.results if r.status is FileStatus.FAILED]

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self._counts.get(FileStatus.FAILED.value, 0)

    def extend(self, other: ImportReport) -> None:
        """Append another report's outcomes."""
        self.results.extend(other.results)
        self._counts.update(other._counts)
        self._files += other._files


# Outcomes a report always keeps.
_NOTABLE = frozenset({FileStatus.FAILED, FileStatus.SKIPPED})


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".")


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, FileResult | None]]:
    """Yield every file under ``paths`` (recursively, sorted, hidden ones left out).

    Yields ``(path, None)`` for a file to read and ``(path, result)`` for one
    already decided: a path that does not exist, a symbolic-link loop.
    Symbolic links to folders are not followed (they can loop); links to files are.
    """
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            yield from _walk(path)
        elif is_sidecar(path):
            yield path, _sidecar_result(path)
        elif path.exists() or path.is_symlink():
            yield path, None
        else:
            yield path, FileResult(path, FileStatus.FAILED, "no such file or folder")


def _walk(folder: Path) -> Iterator[tuple[Path, FileResult | None]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield folder, FileResult(folder, FileStatus.FAILED, f"cannot list folder: {exc.strerror}")
        return
    for entry in entries:
        path = Path(entry.path)
        if _is_hidden(path):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif is_sidecar(path):
            if (result := _sidecar_result(path)).status is FileStatus.FAILED:
                yield path, result
        else:
            yield path, None


def _sidecar_result(path: Path) -> FileResult:
    """A sidecar is read with its article file; one without that file is an error."""
    target = sidecar_target(path)
    if target.exists():
        return FileResult(path, FileStatus.SKIPPED, f"sidecar of {target.name}, read with it")
    return FileResult(path, FileStatus.FAILED, f"sidecar without its file ({target.name})")


IR = cast(Table, ImportRun.__table__)
IF = cast(Table, ImportFile.__table__)
# Files stored per transaction by default. In a large database every batch dirties the pages
# of each person's and outlet's run in the link indexes, whatever its size; bigger batches
# share those writes (10k appended onto 1M articles: 357/s in batches of 1,000, 393/s of 5,000).
BATCH_SIZE = 2000
# Records per transaction by default on SQLite: batches are stored one after another in one
# transaction until it holds this many records or has lasted COMMIT_SECONDS. A commit writes
# every page the transaction dirtied to the WAL once, so in a large database fewer commits write
# far fewer pages (10k appended onto 200k articles: 3.29 WAL frames an article committed every
# batch of 2,000, 1.54 every 10,000), while memory stays that of one batch. PostgreSQL commits
# every batch by default (10k imports there were 3% slower with transactions of 10,000).
COMMIT_SIZE = 10_000
# Records stored a SAVEPOINT at a time when a failed transaction is stored again: the batch
# that fails again is then stored record by record, each in a SAVEPOINT of its own, which at
# 1M articles took 3.6-4.2 ms a record and some 45 MB more of the writer's memory for a batch of
# 2,000 (docs/performance.md, sixteenth round).
REPLAY_BATCH = 100
# A transaction ends after this many seconds even if it holds fewer records: it bounds what a
# kill loses and how long another importer waits for the write lock (the busy timeout is 30 s).
COMMIT_SECONDS = 10.0
# SQLite page cache of the importing connection, in MiB (SQLite's default is 2): the hot
# pages of the link indexes stay in memory between batches (10k onto 1M: 406/s with 128 MiB,
# 421/s with 64 MiB and batches of 2,000; the writer's peak RSS 222 MB).
WRITER_CACHE_MB = 64
# Jaccard similarity of word shingles from which two texts are one story.
STORY_THRESHOLD = 0.5


class _Importer:
    """Turns file outcomes into stored rows and results, a batch at a time."""

    def __init__(
        self,
        writer: BatchWriter,
        report: ImportReport,
        *,
        strict: bool,
        on_result: Callable[[FileResult], None] | None,
        taxonomy: Taxonomy,
        manifests: dict[Path, Overrides] | None = None,
    ) -> None:
        self.writer = writer
        self.report = report
        self.strict = strict
        self.on_result = on_result
        self.taxonomy = taxonomy
        # Full names already stored, for the workers (and for records enriched again here).
        self.known_names = writer.known_people()
        self.known: KnownNames | None = None
        self.manifests = manifests or {}
        self.batch: list[tuple[FileOutcome, list[tuple[Path, Prepared]]]] = []
        self.records = 0
        # The files of the open transaction, to store again if it is rolled back (replay).
        self.in_transaction: list[Path] = []
        # Results of stored batches, told (report, callback) once their transaction commits.
        self.unpublished: list[FileResult] = []
        self.failed_unpublished = False

    def _overridden(self, outcome: FileOutcome) -> FileOutcome:
        """Apply the file's sidecar and manifest values; enrich its records again if any."""
        try:
            values = {
                **(manifest_entry(self.manifests, outcome.path) or {}),
                **(read_sidecar(outcome.path) or {}),
            }
        except ParseError as exc:
            problem = RecordProblem(None, True, exc.reason)
            return FileOutcome(outcome.path, problems=(problem,), timings=outcome.timings)
        if not values or not outcome.records:
            return outcome
        records = tuple(
            enrich(
                apply_overrides(r.article, values),
                locator=r.locator,
                sha256=override_sha(r.sha256, values),
                taxonomy=self.taxonomy,
                known_people=self._known(),
            )
            for r in outcome.records
        )
        return dataclasses.replace(outcome, records=records)

    def add(self, outcome: FileOutcome) -> None:
        for stage, seconds in zip(("read", "parse", "enrich"), outcome.timings, strict=True):
            self.report.timings[stage] += seconds
        self.in_transaction.append(outcome.path)
        outcome = self._overridden(outcome)
        self.batch.append((outcome, [(outcome.path, r) for r in outcome.records]))
        self.records += len(outcome.records) or 1

    def emit(self, result: FileResult) -> None:
        if self.strict and result.status is FileStatus.FAILED:
            raise ParseError(result.reason or "failed", result.path)
        self.report.add(result)
        if self.on_result is not None:
            self.on_result(result)

    def flush(self, *, savepoint: bool = True) -> None:
        """Write the pending files (the caller owns the transaction).

        With ``savepoint`` false, an error is raised, not recorded against the file: the
        caller rolls the transaction back and calls :meth:`rolled_back`.
        """
        items = [item for _, items in self.batch for item in items]
        started = time.perf_counter()
        written = iter(self.writer.write(items, savepoint=savepoint))
        if items:
            self.report.batches.append((len(items), time.perf_counter() - started))
        done: list[FileResult] = []
        for outcome, records in self.batch:
            for problem in outcome.problems:
                status = FileStatus.FAILED if problem.failed else FileStatus.SKIPPED
                done.append(
                    FileResult(
                        outcome.path,
                        status,
                        problem.reason,
                        warnings=outcome.warnings,
                        locator=problem.locator,
                    )
                )
            for _ in records:
                w: Written = next(written)
                done.append(
                    FileResult(
                        w.path,
                        FileStatus(w.status),
                        w.reason,
                        w.article_id,
                        outcome.warnings,
                        w.locator,
                    )
                )
        self.writer.record_files(
            (r.path, r.locator, r.status.value, r.reason, r.article_id) for r in done
        )
        self.unpublished.extend(done)
        self.failed_unpublished = self.failed_unpublished or any(
            r.status is FileStatus.FAILED for r in done
        )
        self.batch.clear()
        self.records = 0

    def rolled_back(self) -> list[Path]:
        """Forget the open transaction's batches (rolled back); return its files, in order."""
        paths, self.in_transaction = self.in_transaction, []
        self.batch.clear()
        self.records = 0
        self.unpublished = []
        self.failed_unpublished = False
        self.writer.forget()
        return list(dict.fromkeys(paths))

    def _known(self) -> KnownNames:
        """The stored names, indexed the first time this process enriches anything."""
        if self.known is None:
            self.known = KnownNames(self.known_names)
        return self.known

    def prepare_again(self, path: Path) -> FileOutcome:
        """Prepare a file in this process (the workers' way), to store it again."""
        return prepare_file(path, self.taxonomy, self._known())

    def publish(self) -> None:
        """Tell the results of the stored batches (call once their transaction committed)."""
        # What is still pending belongs to the next transaction.
        self.in_transaction = [outcome.path for outcome, _ in self.batch]
        done, self.unpublished = self.unpublished, []
        self.failed_unpublished = False
        for result in done:
            self.emit(result)


def _prepared(
    paths: Iterable[Path],
    *,
    taxonomy: Taxonomy,
    known: Sequence[str],
    jobs: int,
    tick: float | None = None,
) -> Iterator[object]:
    """Every file's outcome (:class:`FileOutcome`), and the results of paths decided without
    reading (:class:`FileResult`), in order met.

    With worker processes, the files are fed to the workers from a thread that keeps up
    to :data:`_AHEAD` outcomes ready, so the workers go on parsing while the caller
    writes a batch (otherwise they would stop once their small window is full). With
    ``tick``, :data:`_TICK` comes whenever no outcome came for that many seconds, so the
    caller can end a transaction while slow files are still being parsed.
    """
    decided: deque[FileResult] = deque()

    def to_read() -> Iterator[Path]:
        for path, result in iter_files(paths):
            if result is not None:
                decided.append(result)
            else:
                yield path

    def produce() -> Iterator[FileOutcome | FileResult]:
        for outcome in iter_outcomes(to_read(), taxonomy=taxonomy, known_people=known, jobs=jobs):
            while decided:
                yield decided.popleft()
            yield outcome
        while decided:
            yield decided.popleft()

    if jobs <= 1:
        return produce()
    return _ahead(produce, _AHEAD, tick)


# Outcomes kept ready while the writer works (bounded: memory stays flat).
_AHEAD = 2000
# What _ahead yields when nothing came for a while (see _prepared).
_TICK = object()


def _ahead(
    make: Callable[[], Iterator[Any]], size: int, tick: float | None = None
) -> Iterator[Any]:
    """Run the iterator ``make()`` in a thread, up to ``size`` items ahead of the caller.

    An exception in the thread is raised in the caller; when the caller stops early,
    the thread stops and closes its iterator (which shuts its worker pool down). With
    ``tick``, yields :data:`_TICK` each time no item came for ``tick`` seconds.
    """
    items: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=size)
    stop = threading.Event()

    def put(item: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            source = make()
            try:
                for item in source:
                    if not put((True, item)):
                        return
            finally:
                getattr(source, "close", lambda: None)()
        except BaseException as exc:  # handed to the caller, raised there
            put((False, exc))
            return
        put((False, None))

    thread = threading.Thread(target=run, name="newsdb-prepare", daemon=True)
    thread.start()
    try:
        while True:
            try:
                ok, item = items.get(timeout=tick)
            except queue.Empty:
                yield _TICK
                continue
            if ok:
                yield item
            elif item is None:
                return
            else:
                raise item
    finally:
        stop.set()
        thread.join()


def _consume(importer: _Importer, item: object) -> None:
    if isinstance(item, FileResult):
        importer.emit(item)
    elif isinstance(item, FileOutcome):
        importer.add(item)


def import_files(
    session: Session,
    paths: Sequence[Path],
    *,
    strict: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    taxonomy: Taxonomy | None = None,
    jobs: int = 1,
    story_threshold: float = STORY_THRESHOLD,
    manifests: Sequence[Path] = (),
    boilerplate_min_pages: int = MIN_PAGES,
    keep_results: bool = False,
) -> ImportReport:
    """Import files and folders through ``session`` (the caller commits).

    Args:
        session: Where to write (its connection and transaction are used).
        paths: Files and folders (walked recursively).
        strict: Raise :class:`~newsdb.errors.ParseError` on the first failure
            instead of recording it.
        on_result: Called after each file (progress display).
        taxonomy: The topics to tag articles with (default: :func:`load_taxonomy`).
        jobs: Worker processes that parse and enrich.
        story_threshold: Similarity from which two texts are one story.
        manifests: Manifest CSVs of field values for files (see :mod:`newsdb.overrides`).
        boilerplate_min_pages: Pages of one outlet a line must be on to be
            learnt as boilerplate (0: learn nothing).
        keep_results: Keep every file's outcome in the report, not only the
            failed, skipped and warned ones (memory grows with the files).

    Returns:
        The report: counts of every outcome, and the outcomes it keeps.
    """
    tax = taxonomy or load_taxonomy()
    table = _manifests(manifests)
    report = ImportReport(keep_all=keep_results)
    conn = session.connection()
    writer = BatchWriter(conn, taxonomy=tax, story_threshold=story_threshold)
    importer = _Importer(
        writer, report, strict=strict, on_result=on_result, taxonomy=tax, manifests=table
    )
    for item in _prepared(paths, taxonomy=tax, known=importer.known_names, jobs=jobs):
        _consume(importer, item)
        if importer.records >= BATCH_SIZE:
            importer.flush()
            importer.publish()
    importer.flush()
    importer.publish()
    report.boilerplate = apply_boilerplate(
        conn, writer, tax, min_pages=boilerplate_min_pages, known_people=importer.known_names
    )
    return report


def _import_all(
    importer: _Importer,
    paths: Sequence[Path],
    conn: Connection,
    taxonomy: Taxonomy,
    jobs: int,
    batch_size: int,
    commit_size: int,
    checkpoints: _Checkpointer | None = None,
) -> None:
    """Prepare and store every file: a batch every ``batch_size`` records, a commit every
    ``commit_size`` records or :data:`COMMIT_SECONDS`, whichever comes first.

    Batches are written without a SAVEPOINT; if one fails, its transaction is rolled back
    and the transaction's files are stored again (``replay``), so one bad file still costs
    only itself. Results are told once their transaction committed, so a callback never
    reports an article that a kill could still take back, nor one that a replay undid.
    With ``strict``, a batch with a failed file is committed at once and the failure
    raised. The time limit is checked after every file and, while the workers are slow to
    bring the next one, every second: the transaction holds the write lock, and another
    importer waits for it (for the busy timeout at most) even while this one is only
    waiting for its workers.
    """
    clock = time.perf_counter
    tx: RootTransaction | None = None
    opened = 0.0
    held = 0

    def commit() -> None:
        nonlocal tx
        if tx is not None:
            tx.commit()
            importer.report.transactions.append((held, clock() - opened))
            tx = None
            if checkpoints is not None:
                checkpoints.request()
            if not gc.isenabled():  # see _few_collections
                gc.collect()
        importer.publish()

    def store() -> None:
        nonlocal tx, opened, held
        if tx is None:
            tx, opened, held = conn.begin(), clock(), 0
        held += importer.records
        try:
            importer.flush(savepoint=False)
        except Exception:
            replay()

    def replay() -> None:
        """A batch failed: roll its transaction back, then store the transaction's files
        again, prepared anew here, each batch in a SAVEPOINT (each file in its own if the
        batch fails again), and commit. The rare path that spares every batch a SAVEPOINT.
        """
        nonlocal tx, opened, held
        assert tx is not None
        tx.rollback()
        tx, opened, held = conn.begin(), clock(), 0
        paths = importer.rolled_back()  # reloads the writer's caches: in the new transaction
        # Preparing files here makes the workers' cyclic garbage: collect it as they do (the
        # writer's automatic collections are off, see _few_collections).
        collecting = gc.isenabled()
        gc.enable()
        try:
            size = min(batch_size, REPLAY_BATCH)
            for path in paths:
                importer.add(importer.prepare_again(path))
                if importer.records >= size:
                    held += importer.records
                    importer.flush()
            held += importer.records
            importer.flush()
        finally:
            if not collecting:
                gc.disable()
        commit()

    items = _prepared(paths, taxonomy=taxonomy, known=importer.known_names, jobs=jobs, tick=1.0)
    for item in items:
        if item is not _TICK:
            _consume(importer, item)
            if importer.records >= batch_size:
                store()
                if held >= commit_size or (importer.strict and importer.failed_unpublished):
                    commit()
                    continue
        if tx is not None and clock() - opened >= COMMIT_SECONDS:
            commit()
    if importer.batch:
        store()
    commit()


@contextmanager
def _few_collections() -> Iterator[None]:
    """No automatic cyclic garbage collection in the writer during a bulk import.

    The long-lived objects made before it (caches, modules) are frozen out of the
    collector, and automatic collections are off: the writer makes many short-lived
    rows and few cycles (0.3-0.4 cyclic objects a page), and the collections that its
    rows set off took about 5% of its CPU in an append to a large database (0.52-0.54 s
    of a 10k append onto 1M, 0.12 s without; docs/performance.md, fourteenth round).
    :func:`_import_all` collects once after each commit, so cyclic garbage never
    outlives a transaction. Worker processes forked meanwhile turn collection back on
    (``pipeline``). At 10k pages the earlier raised thresholds took the collector from
    1.04 s to 0.25 s of the writer's CPU.
    """
    threshold = gc.get_threshold()
    enabled = gc.isenabled()
    gc.freeze()
    # What worker processes forked in here inherit once they turn collection back on.
    gc.set_threshold(50_000, 20, 100)
    gc.disable()
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if enabled:
            gc.enable()
        gc.unfreeze()


def _manifests(paths: Sequence[Path]) -> dict[Path, Overrides]:
    """Every manifest's rows, later manifests winning (raises ParseError for a bad one)."""
    out: dict[Path, Overrides] = {}
    for manifest in paths:
        for path, values in read_manifest(manifest).items():
            out[path] = {**out.get(path, {}), **values}
    return out


def failed_paths(engine: Engine) -> list[Path]:
    """Files whose latest recorded import failed (what ``--retry-failed`` imports again)."""
    with engine.connect() as conn:
        rows = conn.execute(select(IF.c.path, IF.c.status).order_by(IF.c.id)).all()
    latest: dict[str, str] = {}
    for path, status in rows:
        latest[path] = status
    return [Path(p) for p, status in latest.items() if status == FileStatus.FAILED.value]


def _begin_run(conn: Connection, paths: Sequence[Path], options: dict[str, Any]) -> int:
    """Mark runs left "running" by a killed process as interrupted; record this one."""
    conn.execute(update(IR).where(IR.c.status == "running").values(status="interrupted"))
    run_id = conn.execute(
        insert(IR)
        .values(
            started_at=dt.datetime.now(dt.UTC),
            status="running",
            paths=json.dumps([str(p) for p in paths]),
            options=json.dumps(options, sort_keys=True),
            importer_version=__version__,
        )
        .returning(IR.c.id)
    ).scalar_one()
    return int(run_id)


@contextmanager
def _page_cache(conn: Connection, mib: int) -> Iterator[None]:
    """Give an SQLite connection a page cache of ``mib`` MiB, and its own size back after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    # On the driver's connection: a statement through SQLAlchemy would open a transaction.
    raw = conn.connection.driver_connection
    assert raw is not None
    (before,) = raw.execute("PRAGMA cache_size").fetchone()
    raw.execute(f"PRAGMA cache_size=-{mib * 1024}")
    try:
        yield
    finally:
        if not conn.closed and not conn.invalidated:
            raw.execute(f"PRAGMA cache_size={int(before)}")


class _Checkpointer:
    """Copies committed WAL frames into an SQLite file from a thread of its own.

    The importing connection's automatic checkpoints are off while it runs
    (``wal_autocheckpoint=0``): after each commit :meth:`request` wakes this thread,
    whose own connection runs ``PRAGMA wal_checkpoint(PASSIVE)``, which never blocks
    the writer and copies only what is committed. The writer goes on storing the next
    batch meanwhile (the sqlite3 module lets go of the GIL while SQLite works), where
    an automatic checkpoint made it wait for the copy and for two ``fsync`` calls, the
    WAL's and the database file's (0.3 and 0.4 s of a 10k append onto 1M articles;
    docs/performance.md, sixteenth and seventeenth rounds). :meth:`close` runs a last checkpoint and
    waits for it, so the file holds every commit when the run ends, as before. If the
    thread fails, checkpoints fall back to the importing connection.
    """

    def __init__(self, raw: Any, path: str) -> None:
        self._raw = raw
        self._path = path
        self._wake = threading.Event()
        self._stopping = False
        self.error: BaseException | None = None
        self.seconds: list[float] = []
        (self._before,) = raw.execute("PRAGMA wal_autocheckpoint").fetchone()
        raw.execute("PRAGMA wal_autocheckpoint=0")
        self._thread = threading.Thread(target=self._run, name="newsdb-checkpoint", daemon=True)
        self._thread.start()

    @classmethod
    @contextmanager
    def around(cls, conn: Connection) -> Iterator[_Checkpointer | None]:
        """A checkpointer for a connection to an SQLite file in WAL mode, else None."""
        raw = conn.connection.driver_connection if conn.dialect.name == "sqlite" else None
        path = ""
        if raw is not None:
            (mode,) = raw.execute("PRAGMA journal_mode").fetchone()
            files = {row[1]: row[2] for row in raw.execute("PRAGMA database_list")}
            if str(mode).lower() == "wal":
                path = files.get("main") or ""  # "" for an in-memory database
        if not path:
            yield None
            return
        checkpointer = cls(raw, path)
        try:
            yield checkpointer
        finally:
            checkpointer.close()

    def request(self) -> None:
        """Copy what is committed so far, soon (returns at once)."""
        if self._thread.is_alive():
            self._wake.set()
        else:  # the thread failed: the importing connection checkpoints, as SQLite would
            self._raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        """Run a last checkpoint, wait for it, and give the connection its setting back."""
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self._raw.execute(f"PRAGMA wal_autocheckpoint={int(self._before)}")
        if self.error is not None:
            self._raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            self.error = exc
            return
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                last = self._stopping
                started = time.perf_counter()
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.seconds.append(time.perf_counter() - started)
                if last:
                    return
        except sqlite3.Error as exc:
            self.error = exc
        finally:
            db.close()


def run_import(
    engine: Engine,
    paths: Sequence[Path],
    *,
    batch_size: int = BATCH_SIZE,
    commit_size: int | None = None,
    strict: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    taxonomy: Taxonomy | None = None,
    jobs: int = 1,
    retry_failed: bool = False,
    story_threshold: float = STORY_THRESHOLD,
    manifests: Sequence[Path] = (),
    boilerplate_min_pages: int = MIN_PAGES,
    keep_results: bool = False,
) -> ImportReport:
    """Bring the schema to head, then import ``paths``, a batch of ``batch_size`` records at a time.

    Each file is atomic. Batches are committed together, every ``commit_size``
    records or :data:`COMMIT_SECONDS`, whichever comes first, so an interrupted
    run keeps every transaction committed before it and re-running the same
    import finishes the job without doubling anything. The run is recorded in
    ``import_runs`` (with its counts) and every file that was not unchanged in
    ``import_files``.

    Args:
        engine: The database.
        paths: Files and folders (walked recursively).
        batch_size: Records stored at a time (the writer's memory grows with it).
        commit_size: Records per transaction at most (fewer commits write fewer pages
            in a large database; a kill loses at most one transaction's records).
            Default: :data:`COMMIT_SIZE` on SQLite, one batch a transaction on
            PostgreSQL (whose 10k imports were 3% slower with larger transactions).
        strict: Stop at the first failure (raises ParseError).
        on_result: Called for each file or record once its transaction committed.
        taxonomy: The topic taxonomy (default: the packaged one or NEWSDB_TOPICS).
        jobs: Worker processes that parse and enrich (1: in this process).
        retry_failed: Also import every file whose latest import failed.
        story_threshold: Similarity from which two texts are one story.
        manifests: Manifest CSVs of field values for files (see :mod:`newsdb.overrides`).
        boilerplate_min_pages: Pages of one outlet a line must be on to be
            learnt as boilerplate (0: learn nothing). Learning and cleaning run
            once, after the last batch.
        keep_results: Keep every file's outcome in the report, not only the
            failed, skipped and warned ones (memory grows with the files).

    Raises:
        ConfigError: The taxonomy file is broken (before anything is written).
        ParseError: A manifest cannot be used (before anything is written).

    Returns:
        The report: counts of every outcome, and the outcomes it keeps.
    """
    tax = taxonomy or load_taxonomy()
    table = _manifests(manifests)
    upgrade(engine)
    todo = list(paths)
    if retry_failed:
        todo += [p for p in failed_paths(engine) if p not in todo]
    if commit_size is None:
        commit_size = COMMIT_SIZE if engine.dialect.name == "sqlite" else batch_size
    options = {
        "batch_size": batch_size,
        "commit_size": commit_size,
        "jobs": jobs,
        "strict": strict,
        "retry_failed": retry_failed,
        "story_threshold": story_threshold,
        "manifests": [str(Path(m).absolute()) for m in manifests],
        "boilerplate_min_pages": boilerplate_min_pages,
    }
    report = ImportReport(keep_all=keep_results)
    with (
        engine.connect() as plain,
        _page_cache(plain, WRITER_CACHE_MB),
        _Checkpointer.around(plain) as checkpoints,
    ):
        if checkpoints is not None:
            report.checkpoints = checkpoints.seconds  # filled as they run
        conn = plain.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            run_id = _begin_run(conn, todo, options)
            writer = BatchWriter(conn, taxonomy=tax, run_id=run_id, story_threshold=story_threshold)
            importer = _Importer(
                writer, report, strict=strict, on_result=on_result, taxonomy=tax, manifests=table
            )
        status = "interrupted"
        try:
            with _few_collections():
                _import_all(importer, todo, conn, tax, jobs, batch_size, commit_size, checkpoints)
            started = time.perf_counter()
            with conn.begin():
                report.boilerplate = apply_boilerplate(
                    conn,
                    writer,
                    tax,
                    min_pages=boilerplate_min_pages,
                    run_id=run_id,
                    known_people=importer.known_names,
                )
            status = "done" if report.ok else "failed"
            report.timings.update(writer.timings)
            # Wall time of the end-of-run pass, its commit included (what it relinks is also
            # in the writer's stages).
            report.timings["boilerplate"] = time.perf_counter() - started
        finally:
            if conn.in_transaction():
                conn.rollback()
            with conn.begin():
                conn.execute(
                    update(IR)
                    .where(IR.c.id == run_id)
                    .values(
                        status=status,
                        finished_at=dt.datetime.now(dt.UTC),
                        **{k: v for k, v in report.counts.items()},
                    )
                )
    started = time.perf_counter()
    if vacuum_after_bulk_load(engine, report.counts["added"] + report.counts["updated"]):
        report.timings["vacuum"] = time.perf_counter() - started
    return report


# PostgreSQL: a run that wrote at least this many articles, and at least this share of what the
# table then holds, ends with VACUUM (ANALYZE) of the tables it wrote (autovacuum's own insert
# thresholds are 1,000 rows and a fifth of the table).
VACUUM_MIN_ARTICLES = 1_000
VACUUM_MIN_SHARE = 0.2


def vacuum_after_bulk_load(engine: Engine, written: int) -> bool:
    """``VACUUM (ANALYZE)`` the tables an import writes, after a bulk load (PostgreSQL).

    Rows a bulk load inserts are not yet marked all-visible, so index-only scans (a person's
    articles, co-mentions, timelines) must visit the table for each of them until a vacuum
    has run; autovacuum may be off, or behind the load. At 1M imported articles the
    co-mentions of a person took 61.6 ms (p50) right after the import and 27.2 ms after
    ``VACUUM (ANALYZE)``, which took 11.8 s (docs/performance.md, twelfth round). Inserts do
    not wait for a vacuum; another importer's own ``ANALYZE`` (BatchWriter._keep_statistics)
    waits for it to end, as two ANALYZEs of one table wait for each other.

    Args:
        engine: The database (nothing is done on SQLite).
        written: Articles the run added or updated.

    Returns:
        Whether it vacuumed (only after a run that wrote at least
        :data:`VACUUM_MIN_ARTICLES` articles and :data:`VACUUM_MIN_SHARE` of the table).
    """
    if engine.dialect.name != "postgresql" or written < VACUUM_MIN_ARTICLES:
        return False
    with engine.connect() as conn:
        # The planner's estimate (as of the last ANALYZE; -1 before any): counting a million
        # rows would cost more than the answer is worth.
        held = conn.execute(
            text("SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = to_regclass('articles')")
        ).scalar()
        if written < VACUUM_MIN_SHARE * float(held or 0):
            return False
        present = set(
            conn.execute(
                text(
                    "SELECT relname FROM pg_stat_user_tables"
                    " WHERE schemaname = current_schema() AND relname = ANY(:names)"
                ),
                {"names": list(VACUUMED_TABLES)},
            ).scalars()
        )
        quote = conn.dialect.identifier_preparer.quote
        names = ", ".join(quote(n) for n in VACUUMED_TABLES if n in present)
        if not names:
            return False
        # VACUUM cannot run inside a transaction block: end the one the look-ups began.
        conn.rollback()
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            f"VACUUM (ANALYZE) {names}"
        )
    return True
