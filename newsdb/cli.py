"""The `newsdb` command line: thin wrappers over the library.

Library errors (:class:`~newsdb.errors.NewsdbError`) become one-line messages
here and nowhere else; ``--traceback`` re-raises them for debugging.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from . import __version__
from .config import ENV_VAR, database_url
from .db import make_engine, make_session_factory, require_current_schema, upgrade
from .errors import NewsdbError
from .importer import FileResult, FileStatus, iter_files, run_import

__all__ = ["main", "cli"]


@dataclasses.dataclass
class _State:
    db: str | None
    traceback: bool
    _engine: Engine | None = None

    @property
    def url(self) -> str:
        return database_url(self.db)

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.url)
        return self._engine


@contextmanager
def _errors(state: _State) -> Iterator[None]:
    """Turn library and database errors into one clear line (exit 1)."""
    try:
        yield
    except NewsdbError as exc:
        if state.traceback:
            raise
        raise click.ClickException(str(exc)) from None
    except OperationalError as exc:
        if state.traceback:
            raise
        raise click.ClickException(f"database error: {exc.orig}") from None


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, default=_json_default, ensure_ascii=False, indent=2))


def _table(rows: Sequence[Sequence[Any]], headers: Sequence[str], *, max_width: int = 70) -> str:
    """Format rows as aligned columns; long cells are cut with an ellipsis."""

    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        text = " ".join(text.split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def _parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar=ENV_VAR,
    metavar="URL-OR-PATH",
    help=f"Database URL or SQLite file path [env {ENV_VAR}; default newsdb.sqlite].",
)
@click.option("--traceback", is_flag=True, help="Show the full traceback of errors.")
@click.version_option(__version__, prog_name="newsdb")
@click.pass_context
def cli(ctx: click.Context, db: str | None, traceback: bool) -> None:
    """newsdb: turn saved news pages into one queryable database."""
    ctx.obj = _State(db=db, traceback=traceback)


_TAXONOMY_OPTION = click.option(
    "--taxonomy",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="NEWSDB_TOPICS",
    help="Topic taxonomy file (TOML) [env NEWSDB_TOPICS; default: the packaged one].",
)


@cli.command("init")
@click.pass_obj
def init_cmd(state: _State) -> None:
    """Create the database, or upgrade an older one to the current schema."""
    with _errors(state):
        upgrade(state.engine())
    click.echo(f"database ready: {state.url}")


@cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Stop at the first file that fails.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar [default: on a terminal]."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1),
    default=None,
    help="Worker processes that parse and enrich [default: the machine's cores].",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Also import again every file whose latest import failed.",
)
@click.option(
    "--story-threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=0.5,
    show_default=True,
    help="Word-shingle similarity from which two texts are one story.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=500,
    show_default=True,
    help="Articles stored per transaction.",
)
@_TAXONOMY_OPTION
@click.pass_obj
def import_cmd(
    state: _State,
    paths: tuple[Path, ...],
    strict: bool,
    as_json: bool,
    progress: bool | None,
    jobs: int | None,
    retry_failed: bool,
    story_threshold: float,
    batch_size: int,
    taxonomy: Path | None,
) -> None:
    """Import news pages from files and folders (recursively).

    Text (.txt), HTML (.html, .htm), JSON and JSON Lines exports (.json,
    .jsonl), RSS/Atom feeds (.rss, .atom, .xml) and WARC files (.warc), each
    optionally gzip-compressed (.gz). Each file is stored whole or not at all;
    files that fail are listed with the reason and the exit code is 1.
    Importing the same files again changes nothing.
    """
    from .enrich.topics import load_taxonomy
    from .pipeline import default_jobs

    if not paths and not retry_failed:
        raise click.UsageError("give files or folders to import (or --retry-failed)")
    show_bar = sys.stderr.isatty() if progress is None else progress
    workers = jobs or default_jobs()
    with _errors(state):
        tax = load_taxonomy(taxonomy)  # a broken file stops here, before any write
        options: dict[str, Any] = {
            "strict": strict,
            "taxonomy": tax,
            "jobs": workers,
            "retry_failed": retry_failed,
            "story_threshold": story_threshold,
            "batch_size": batch_size,
        }
        if show_bar:
            total = sum(1 for _ in iter_files(paths))
            with click.progressbar(length=total, label="importing", file=sys.stderr) as bar:
                last: list[Path] = []

                def step(result: FileResult) -> None:
                    if not last or last[0] != result.path:
                        last[:] = [result.path]
                        bar.update(1)

                report = run_import(state.engine(), paths, on_result=step, **options)
        else:
            report = run_import(state.engine(), paths, **options)
    if as_json:
        _emit_json(
            {
                "database": state.url,
                "counts": report.counts,
                "files": [dataclasses.asdict(r) for r in report.results],
            }
        )
    else:
        _print_report(state.url, report.results, report.counts)
    if not report.ok:
        sys.exit(1)


def _print_report(url: str, results: list[FileResult], counts: dict[str, int]) -> None:
    click.echo(f"database: {url}")
    click.echo("  ".join(f"{name} {n}" for name, n in counts.items()))
    for status in (FileStatus.FAILED, FileStatus.SKIPPED):
        listed = [r for r in results if r.status is status]
        if listed:
            click.echo(f"{status.value}:")
            for r in listed:
                click.echo(f"  {r.where}: {r.reason}")
    warned = [r for r in results if r.warnings]
    if warned:
        click.echo("warnings:")
        for r in warned:
            for w in r.warnings:
                click.echo(f"  {r.where}: {w}")


def _with_session(state: _State, work: Callable[[Any], Any]) -> Any:
    with _errors(state):
        engine = state.engine()
        require_current_schema(engine)
        with make_session_factory(engine)() as session:
            return work(session)


@cli.command("retopic")
@_TAXONOMY_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def retopic_cmd(state: _State, taxonomy: Path | None, as_json: bool) -> None:
    """Re-assign topics to every stored article from the current taxonomy.

    Works from the stored text, without re-reading the source files; topics set
    by hand (method "user") are kept. Running it twice changes nothing.
    """
    from .enrich.topics import load_taxonomy
    from .store import retopic_articles

    def work(session: Any) -> Any:
        tax = load_taxonomy(taxonomy)
        with session.begin():
            return retopic_articles(session, tax)

    report = _with_session(state, work)
    if as_json:
        _emit_json(dataclasses.asdict(report))
        return
    click.echo(
        f"articles {report.articles}  changed {report.articles_changed}  "
        f"links added {report.links_added}  removed {report.links_removed}  "
        f"rescored {report.links_changed}  topics deleted {report.topics_deleted}"
    )


@cli.command("articles")
@click.option("--outlet", help="Only this outlet (publisher or agency), by name.")
@click.option("--since", callback=_parse_day, help="From this day (YYYY-MM-DD).")
@click.option("--until", callback=_parse_day, help="Up to this day (YYYY-MM-DD).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def articles_cmd(
    state: _State,
    outlet: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    as_json: bool,
) -> None:
    """List articles, newest first."""
    from .query import list_articles

    rows = _with_session(
        state,
        lambda s: list_articles(s, outlet=outlet, since=since, until=until, limit=limit),
    )
    if as_json:
        _emit_json([dataclasses.asdict(r) for r in rows])
        return
    click.echo(
        _table(
            [(r.id, r.published_on, r.outlet, r.agency, r.headline) for r in rows],
            ["id", "date", "outlet", "agency", "headline"],
            max_width=60,
        )
    )


@cli.command("article")
@click.argument("article_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def article_cmd(state: _State, article_id: int, as_json: bool) -> None:
    """Show one article with everything stored about it."""
    from .query import get_article

    detail = _with_session(state, lambda s: get_article(s, article_id))
    if detail is None:
        raise click.ClickException(f"no article with id {article_id}")
    if as_json:
        _emit_json(dataclasses.asdict(detail))
        return
    click.echo(detail.headline)
    click.echo("=" * min(len(detail.headline), 79))
    for label in ("outlet", "section", "byline", "agency", "dateline_place", "published_on"):
        value = getattr(detail, label)
        if value is not None:
            click.echo(f"{label}: {value}")
    click.echo(f"source: {detail.source_path}")
    if detail.standfirst:
        click.echo(f"\n{detail.standfirst}")
    click.echo(f"\n{detail.body}")


@cli.command("search")
@click.argument("query")
@click.option("--outlet", help="Only this outlet (publisher or agency), by name.")
@click.option("--since", callback=_parse_day, help="From this day (YYYY-MM-DD).")
@click.option("--until", callback=_parse_day, help="Up to this day (YYYY-MM-DD).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def search_cmd(
    state: _State,
    query: str,
    outlet: str | None,
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search, best match first, with a snippet ([matched] words)."""
    from .query import search_articles

    hits = _with_session(
        state,
        lambda s: search_articles(s, query, outlet=outlet, since=since, until=until, limit=limit),
    )
    if as_json:
        _emit_json([dataclasses.asdict(h) for h in hits])
        return
    click.echo(
        _table(
            [(h.article.id, h.article.published_on, h.article.headline, h.snippet) for h in hits],
            ["id", "date", "headline", "snippet"],
            max_width=50,
        )
    )


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def stats_cmd(state: _State, as_json: bool) -> None:
    """Counts of articles, outlets, people and topics, and the dates covered."""
    from .query import get_stats

    stats = _with_session(state, get_stats)
    if as_json:
        _emit_json(dataclasses.asdict(stats))
        return
    for name, value in dataclasses.asdict(stats).items():
        click.echo(f"{name:<11} {'' if value is None else value}")


def main() -> None:
    """Entry point of the ``newsdb`` command."""
    cli(prog_name="newsdb")
