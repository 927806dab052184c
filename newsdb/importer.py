"""Importing files and folders: find the files, parse each, store each atomically.

:func:`import_files` is the library function (the caller owns the
transaction); :func:`run_import` is the entry point the CLI and the import
script use: it upgrades the schema and commits in batches so that a crash loses
at most the batch in flight, never a half-written file.
"""

from __future__ import annotations

import enum
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .db import make_session_factory, upgrade
from .enrich.topics import Taxonomy, assign_topics, load_taxonomy
from .errors import NotAnArticle, ParseError
from .parsers import detect_format, parse_page, read_page
from .store import SaveStatus, save_article, save_topics, sync_topics

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


@dataclass(slots=True)
class ImportReport:
    """Every file's outcome, in the order the files were met."""

    results: list[FileResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Files per status, with every status present."""
        counter = Counter(r.status.value for r in self.results)
        return {status.value: counter.get(status.value, 0) for status in FileStatus}

    @property
    def failed(self) -> list[FileResult]:
        """The files that could not be imported."""
        return [r for r in self.results if r.status is FileStatus.FAILED]

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    def extend(self, other: ImportReport) -> None:
        """Append another report's results."""
        self.results.extend(other.results)


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
        else:
            yield path, None


@dataclass(frozen=True, slots=True)
class Tagger:
    """A taxonomy and the ids of its topics in the database being written."""

    taxonomy: Taxonomy
    topic_ids: dict[str, int]

    @classmethod
    def prepare(cls, session: Session, taxonomy: Taxonomy) -> Tagger:
        """Sync the taxonomy's topics into the database and remember their ids."""
        return cls(taxonomy, sync_topics(session, taxonomy))


def import_file(session: Session, path: Path, tagger: Tagger) -> FileResult:
    """Import one file inside a SAVEPOINT: all of it is stored, or none of it.

    Never raises for bad input: the reason goes into the result.
    """
    if detect_format(path) is None:
        return FileResult(
            path, FileStatus.SKIPPED, f"not an article file ({path.suffix or 'no suffix'})"
        )
    try:
        raw = read_page(path)
        parsed = parse_page(raw)
    except NotAnArticle as exc:
        return FileResult(path, FileStatus.SKIPPED, exc.reason)
    except ParseError as exc:
        return FileResult(path, FileStatus.FAILED, exc.reason)
    except Exception as exc:  # a parser bug must cost one file, not the whole run
        return FileResult(path, FileStatus.FAILED, f"parser error: {type(exc).__name__}: {exc}")
    source_path = str(path.absolute())
    try:
        with session.begin_nested():
            saved = save_article(session, raw, parsed, source_path=source_path)
            if saved.status in (SaveStatus.ADDED, SaveStatus.UPDATED):
                scores = assign_topics(
                    tagger.taxonomy,
                    headline=parsed.headline,
                    body=parsed.body,
                    standfirst=parsed.standfirst,
                    section=parsed.section,
                )
                save_topics(session, saved.article_id, scores, tagger.topic_ids)
    except SQLAlchemyError as exc:
        detail = getattr(exc, "orig", None) or exc
        return FileResult(path, FileStatus.FAILED, f"database error: {detail}".splitlines()[0])
    except Exception as exc:  # rolled back to the SAVEPOINT: the file leaves no trace
        return FileResult(path, FileStatus.FAILED, f"store error: {type(exc).__name__}: {exc}")
    status = {
        SaveStatus.ADDED: FileStatus.ADDED,
        SaveStatus.UPDATED: FileStatus.UPDATED,
        SaveStatus.UNCHANGED: FileStatus.UNCHANGED,
        SaveStatus.DUPLICATE: FileStatus.DUPLICATE,
    }[saved.status]
    return FileResult(path, status, None, saved.article_id, parsed.warnings)


def import_files(
    session: Session,
    paths: Sequence[Path],
    *,
    strict: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    taxonomy: Taxonomy | None = None,
) -> ImportReport:
    """Import files and folders through ``session`` (the caller commits).

    Args:
        session: Where to write; each file gets its own SAVEPOINT.
        paths: Files and folders (walked recursively).
        strict: Raise :class:`~newsdb.errors.ParseError` on the first failure
            instead of recording it.
        on_result: Called after each file (progress display).
        taxonomy: The topics to tag articles with (default: :func:`load_taxonomy`).

    Returns:
        The report of every file.
    """
    report = ImportReport()
    tagger = Tagger.prepare(session, taxonomy or load_taxonomy())
    _import_items(session, iter_files(paths), report, tagger, strict=strict, on_result=on_result)
    return report


def _import_items(
    session: Session,
    items: Iterable[tuple[Path, FileResult | None]],
    report: ImportReport,
    tagger: Tagger,
    *,
    strict: bool,
    on_result: Callable[[FileResult], None] | None,
) -> None:
    for path, decided in items:
        result = decided or import_file(session, path, tagger)
        if strict and result.status is FileStatus.FAILED:
            raise ParseError(result.reason or "failed", path)
        report.results.append(result)
        if on_result is not None:
            on_result(result)


def run_import(
    engine: Engine,
    paths: Sequence[Path],
    *,
    batch_size: int = 200,
    strict: bool = False,
    on_result: Callable[[FileResult], None] | None = None,
    taxonomy: Taxonomy | None = None,
) -> ImportReport:
    """Bring the schema to head, then import ``paths``, committing every ``batch_size`` files.

    Each file is atomic (a SAVEPOINT); each batch is one transaction, so an
    interrupted run keeps every batch committed before it and re-running the
    same import finishes the job without doubling anything.

    Raises:
        ConfigError: The taxonomy file is broken (before anything is written).

    Returns:
        The report of every file.
    """
    tax = taxonomy or load_taxonomy()
    upgrade(engine)
    factory = make_session_factory(engine)
    report = ImportReport()
    pending: list[tuple[Path, FileResult | None]] = []

    def flush() -> None:
        with factory() as session, session.begin():
            tagger = Tagger.prepare(session, tax)
            _import_items(session, pending, report, tagger, strict=strict, on_result=on_result)
        pending.clear()

    for item in iter_files(paths):
        pending.append(item)
        if len(pending) >= batch_size:
            flush()
    if pending:
        flush()
    return report
