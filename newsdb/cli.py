"""The `newsdb` command line: thin wrappers over the library.

Library errors (:class:`~newsdb.errors.NewsdbError`) become one-line messages
here and nowhere else; ``--traceback`` re-raises them for debugging.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import json
import sys
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import click
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from . import __version__
from .config import ENV_VAR, database_url
from .db import make_engine, make_session_factory, require_current_schema, upgrade
from .errors import NewsdbError
from .importer import BATCH_SIZE, COMMIT_SIZE, FileResult, FileStatus, iter_files, run_import

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

    def close(self) -> None:
        """Close the engine's pooled connections (at the end of every command)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


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
    ctx.obj = state = _State(db=db, traceback=traceback)
    ctx.call_on_close(state.close)


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
    default=BATCH_SIZE,
    show_default=True,
    help="Articles stored at a time (the writer's memory grows with it).",
)
@click.option(
    "--commit-every",
    "commit_size",
    type=click.IntRange(1),
    default=None,
    help=f"Articles per transaction at most (default {COMMIT_SIZE:,} on SQLite, one batch"
    " on PostgreSQL; a transaction also ends after 10 s).",
)
@click.option(
    "--manifest",
    "manifests",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="A CSV of field values for files (path, url, outlet, date, ...); repeatable.",
)
@click.option(
    "--boilerplate-min-pages",
    type=click.IntRange(0),
    default=5,
    show_default=True,
    help="Pages of one outlet a body line must be on to be learnt as boilerplate (0: off).",
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
    commit_size: int | None,
    manifests: tuple[Path, ...],
    boilerplate_min_pages: int,
    taxonomy: Path | None,
) -> None:
    """Import news pages from files and folders (recursively).

    Text (.txt), HTML (.html, .htm), JSON and JSON Lines exports (.json,
    .jsonl), RSS/Atom feeds (.rss, .atom, .xml) and WARC files (.warc), each
    optionally gzip-compressed (.gz). Each file is stored whole or not at all;
    files that fail are listed with the reason and the exit code is 1.
    Importing the same files again changes nothing. A file's sidecar
    (NAME.meta.json beside it) or a --manifest row supplies or overrides its
    url, outlet, date, headline, section, byline, agency, place or language.
    Lines repeated on many pages of one outlet are learnt as its boilerplate
    and dropped from its bodies (kept in articles.boilerplate).
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
            "commit_size": commit_size,
            "manifests": list(manifests),
            "boilerplate_min_pages": boilerplate_min_pages,
        }
        if show_bar:
            total = sum(1 for _ in iter_files(paths))
            with click.progressbar(length=total, label="importing", file=sys.stderr) as bar:
                last: list[Path] = []

                def step(result: FileResult) -> None:
                    if not last or last[0] != result.path:
                        last[:] = [result.path]
                        bar.update(1)

                report = run_import(
                    state.engine(), paths, on_result=step, keep_results=as_json, **options
                )
        else:
            report = run_import(state.engine(), paths, keep_results=as_json, **options)
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


# ---------------------------------------------------------------------------
# Lookups: shared options and output


def _where_from(
    *,
    person: str | None = None,
    outlet: str | None = None,
    outlet_role: tuple[str, ...] = (),
    topic: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    search: str | None = None,
) -> Any:
    from .query import DEFAULT_ROLES, ArticleFilter

    return ArticleFilter(
        person=person,
        outlet=outlet,
        outlet_roles=tuple(outlet_role) or DEFAULT_ROLES,
        topic=topic,
        since=since,
        until=until,
        search=search,
    )


_PERSON_HELP = "Only articles mentioning this person (any of their names, any case; #ID)."


def _filters(
    *,
    limit: int | None = 50,
    person: str | None = _PERSON_HELP,
    search: bool = True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The shared filter options, given to the command as one ``where`` (an ArticleFilter).

    Also adds ``--limit`` (unless ``limit`` is None) and ``--json``/``--csv``,
    given to the command as ``limit`` and ``fmt`` ("table", "json" or "csv").

    Args:
        limit: The default of ``--limit``; None for commands without one.
        person: The help of ``--person``; None for commands without it.
        search: Add ``--search`` (a full-text expression the articles must match).
    """

    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            as_json, as_csv = kwargs.pop("as_json"), kwargs.pop("as_csv")
            if as_json and as_csv:
                raise click.UsageError("--json and --csv cannot be used together")
            kwargs["fmt"] = "json" if as_json else "csv" if as_csv else "table"
            kwargs["where"] = _where_from(
                **{k: kwargs.pop(k) for k in _FILTER_NAMES if k in kwargs}
            )
            return f(*args, **kwargs)

        options = [
            click.option("--json", "as_json", is_flag=True, help="Print JSON."),
            click.option(
                "--csv", "as_csv", is_flag=True, help="Print CSV (a header line, then rows)."
            ),
        ]
        if limit is not None:
            options.append(
                click.option("--limit", default=limit, show_default=True, type=click.IntRange(1))
            )
        if search:
            options.append(
                click.option(
                    "--search", metavar="QUERY", help="Only articles matching this search."
                )
            )
        options += [
            click.option("--until", callback=_parse_day, help="Up to this day (YYYY-MM-DD)."),
            click.option("--since", callback=_parse_day, help="From this day (YYYY-MM-DD)."),
            click.option("--topic", help="Only this topic (slug or name) and its sub-topics."),
            click.option(
                "--outlet-role",
                multiple=True,
                type=click.Choice(["publisher", "agency", "cited"]),
                help="How --outlet is linked (repeatable) [default: publisher, agency].",
            ),
            click.option(
                "--outlet", help="Only articles of this outlet, by name (see --outlet-role)."
            ),
        ]
        if person is not None:
            options.append(click.option("--person", help=person))
        for option in options:
            wrapper = option(wrapper)
        return wrapper

    return decorate


_FILTER_NAMES = ("person", "outlet", "outlet_role", "topic", "since", "until", "search")


def _cell(value: Any) -> str:
    """A value as CSV or table text: lists joined with "; ", counted items as "name (n)"."""
    if value is None:
        return ""
    if isinstance(value, dict):
        label = next((value[k] for k in ("name", "slug", "headline", "text") if k in value), "")
        count = next((value[k] for k in ("articles", "mentions") if k in value), None)
        return f"{label} ({count})" if count is not None else str(label)
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _dataclass_in(hint: Any) -> type | None:
    """The dataclass a field holds (``X`` or ``X | None``), if any."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return hint
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        found = [a for a in typing.get_args(hint) if isinstance(a, type)]
        classes = [a for a in found if dataclasses.is_dataclass(a)]
        return classes[0] if len(classes) == 1 else None
    return None


def _csv_columns(kind: type, prefix: str = "", path: tuple[str, ...] = ()) -> list[Any]:
    """CSV columns of a result type: (header, attribute path); nested records are spread out.

    A nested record that is a thing with a name (a person, a topic) stays one
    cell; others (``SearchHit.article``) become columns of their own
    (``article_id``, ``article_headline``, ...).
    """
    columns: list[Any] = []
    hints = typing.get_type_hints(kind)
    for f in dataclasses.fields(kind):
        inner = _dataclass_in(hints[f.name])
        named = inner is not None and {"name", "slug"} & {g.name for g in dataclasses.fields(inner)}
        if inner is not None and not named:
            columns += _csv_columns(inner, f"{prefix}{f.name}_", (*path, f.name))
        else:
            columns.append((f"{prefix}{f.name}", (*path, f.name)))
    return columns


def _write_csv(items: Sequence[Any], kind: type) -> None:
    columns = _csv_columns(kind)
    writer = csv.writer(sys.stdout)
    writer.writerow([header for header, _ in columns])
    for item in items:
        row = []
        for _, path in columns:
            value = item
            for attr in path:
                value = getattr(value, attr) if value is not None else None
            row.append(_cell(_plain(value)))
        writer.writerow(row)


def _emit(
    items: Sequence[Any],
    fmt: str,
    columns: Sequence[tuple[str, Callable[[Any], Any]]],
    *,
    kind: type,
    max_width: int = 60,
) -> None:
    """Print lookup results as a table (``columns``), JSON, or CSV (every field of ``kind``)."""
    if fmt == "json":
        _emit_json([dataclasses.asdict(i) for i in items])
    elif fmt == "csv":
        _write_csv(items, kind)
    else:
        rows = [[_cell(_plain(get(i))) for _, get in columns] for i in items]
        click.echo(_table(rows, [h for h, _ in columns], max_width=max_width))


def _emit_one(item: Any, fmt: str, lines: Callable[[Any], Iterable[str]]) -> None:
    """Print one result: readable lines, JSON, or CSV (one row)."""
    if fmt == "json":
        _emit_json(dataclasses.asdict(item))
    elif fmt == "csv":
        _write_csv([item], type(item))
    else:
        for line in lines(item):
            click.echo(line)


_SUMMARY_COLUMNS: list[tuple[str, Callable[[Any], Any]]] = [
    ("id", lambda r: r.id),
    ("date", lambda r: r.published_on),
    ("outlet", lambda r: r.outlet),
    ("agency", lambda r: r.agency),
    ("headline", lambda r: r.headline),
]


# ---------------------------------------------------------------------------
# Lookups


@cli.command("articles")
@_filters(limit=50)
@click.option("--offset", default=0, type=click.IntRange(0), help="Skip this many first.")
@click.pass_obj
def articles_cmd(state: _State, where: Any, limit: int, fmt: str, offset: int) -> None:
    """List articles, newest first (undated last), by person, outlet, topic, dates."""
    from .query import ArticleSummary, list_articles

    rows = _with_session(state, lambda s: list_articles(s, where, limit=limit, offset=offset))
    _emit(rows, fmt, _SUMMARY_COLUMNS, kind=ArticleSummary)


@cli.command("search")
@click.argument("query")
@_filters(limit=20, search=False)
@click.pass_obj
def search_cmd(state: _State, query: str, where: Any, limit: int, fmt: str) -> None:
    """Full-text search, best match first, with a snippet ([matched] words).

    QUERY is an FTS5 expression on SQLite (words, "a phrase", OR, NOT,
    prefix*) and a web-search expression on PostgreSQL.
    """
    from .query import SearchHit, search_articles

    hits = _with_session(state, lambda s: search_articles(s, query, where, limit=limit))
    columns: list[tuple[str, Callable[[Any], Any]]] = [
        ("id", lambda h: h.article.id),
        ("date", lambda h: h.article.published_on),
        ("outlet", lambda h: h.article.outlet),
        ("headline", lambda h: h.article.headline),
        ("snippet", lambda h: h.snippet),
    ]
    _emit(hits, fmt, columns, kind=SearchHit, max_width=50)


@cli.command("people")
@_filters(
    limit=50,
    person="List the people mentioned with this person instead (co-mentions).",
)
@click.option("--name", metavar="TEXT", help="Only people with a name containing TEXT.")
@click.pass_obj
def people_cmd(state: _State, where: Any, limit: int, fmt: str, name: str | None) -> None:
    """People most mentioned in the matching articles, by number of articles."""
    from .query import PersonCount, list_people

    rows = _with_session(state, lambda s: list_people(s, where, name=name, limit=limit))
    columns: list[tuple[str, Callable[[Any], Any]]] = [
        ("id", lambda p: p.id),
        ("name", lambda p: p.name),
        ("articles", lambda p: p.articles),
    ]
    _emit(rows, fmt, columns, kind=PersonCount)


def _profile_lines(p: Any) -> Iterator[str]:
    yield p.name + (" (ambiguous: a short name of several people)" if p.ambiguous else "")
    yield "=" * min(len(p.name), 79)
    yield f"also: {', '.join(a for a in p.aliases if a != p.name) or '-'}"
    dates = f"{p.first_date} to {p.last_date}" if p.first_date else "no dated article"
    yield f"articles: {p.articles} ({dates})   quotes: {p.quotes}"
    for label, items in (
        ("mentioned with", p.co_mentions),
        ("topics", p.topics),
        ("outlets", p.outlets),
    ):
        yield f"{label}: {', '.join(f'{_cell(dataclasses.asdict(i))}' for i in items) or '-'}"
    if p.recent:
        yield "latest articles:"
        for a in p.recent:
            day = a.published_on.isoformat() if a.published_on else ""
            yield f"  {a.id:>6}  {day:<10}  {a.outlet or '':<24.24}  {a.headline}"


@cli.command("person")
@click.argument("name")
@_filters(limit=None, person=None)
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="List length.")
@click.pass_obj
def person_cmd(state: _State, name: str, where: Any, fmt: str, top: int) -> None:
    """One person: names, articles, quotes, dates, co-mentions, topics, outlets.

    NAME is any of the person's names (any case) or #ID.
    """
    from .query import get_person

    profile = _with_session(state, lambda s: get_person(s, name, where, top=top))
    if profile is None:
        raise click.ClickException(f"no person known as {name!r}")
    _emit_one(profile, fmt, _profile_lines)


@cli.command("quotes")
@_filters(limit=50, person="Only this person's own words (any of their names; #ID).")
@click.option(
    "--matching", metavar="WORDS", help="Only quotes containing every one of these words."
)
@click.pass_obj
def quotes_cmd(state: _State, where: Any, limit: int, fmt: str, matching: str | None) -> None:
    """Quotations, newest first: who said what, where."""
    from .query import QuoteItem, list_quotes

    rows = _with_session(state, lambda s: list_quotes(s, where, words=matching or (), limit=limit))
    columns: list[tuple[str, Callable[[Any], Any]]] = [
        ("date", lambda r: r.published_on),
        ("speaker", lambda r: r.speaker),
        ("quote", lambda r: r.text),
        ("outlet", lambda r: r.outlet),
        ("article", lambda r: r.article_id),
    ]
    _emit(rows, fmt, columns, kind=QuoteItem)


@cli.command("quality")
@_filters(limit=50)
@click.option(
    "--problem",
    type=click.Choice(
        ["missing_date", "agency_only_byline", "empty_standfirst", "suspected_truncation"]
    ),
    help="Only articles with this problem.",
)
@click.pass_obj
def quality_cmd(state: _State, where: Any, limit: int, fmt: str, problem: str | None) -> None:
    """Articles to check: no date, an agency-only byline, no standfirst, a cut-off body."""
    from .query import QualityItem, data_quality, quality_counts

    def work(session: Any) -> tuple[dict[str, int], list[QualityItem]]:
        return quality_counts(session), data_quality(session, where, problem=problem, limit=limit)

    counts, rows = _with_session(state, work)
    if fmt == "table":
        click.echo("  ".join(f"{name.replace('_', ' ')} {n}" for name, n in counts.items()))
    columns: list[tuple[str, Callable[[Any], Any]]] = [
        ("date", lambda r: r.published_on),
        ("outlet", lambda r: r.outlet),
        ("headline", lambda r: r.headline),
        ("problems", lambda r: ", ".join(p.replace("_", " ") for p in r.problems)),
        ("article", lambda r: r.article_id),
    ]
    _emit(rows, fmt, columns, kind=QualityItem)


@cli.command("topics")
@_filters(limit=100)
@click.pass_obj
def topics_cmd(state: _State, where: Any, limit: int, fmt: str) -> None:
    """Topics of the matching articles, most articles first."""
    from .query import TopicCount, list_topics

    rows = _with_session(state, lambda s: list_topics(s, where, limit=limit))
    columns: list[tuple[str, Callable[[Any], Any]]] = [
        ("topic", lambda t: t.slug),
        ("name", lambda t: t.name),
        ("parent", lambda t: t.parent),
        ("articles", lambda t: t.articles),
    ]
    _emit(rows, fmt, columns, kind=TopicCount)


@cli.command("timeline")
@_filters(limit=None)
@click.option(
    "--by",
    type=click.Choice(["day", "week", "month", "year"]),
    default="month",
    show_default=True,
    help="The period counted (a week starts on Monday).",
)
@click.option("--no-fill", is_flag=True, help="Leave out the periods with no article.")
@click.pass_obj
def timeline_cmd(state: _State, where: Any, fmt: str, by: str, no_fill: bool) -> None:
    """Articles per day, week, month or year for a person, topic, outlet or search."""
    from .query import Period, TimelinePoint, timeline

    period = cast("Period", by)
    points = _with_session(state, lambda s: timeline(s, where, by=period, fill=not no_fill))
    if fmt != "table":
        _emit(points, fmt, [], kind=TimelinePoint)
        return
    peak = max((p.articles for p in points), default=0)
    for p in points:
        bar = "#" * (round(40 * p.articles / peak) if peak else 0)
        click.echo(f"{p.period.isoformat():<10}  {p.articles:>7}  {bar}")


@cli.command("outlets")
@_filters(limit=100)
@click.option("--cited", is_flag=True, help="List the outlets the matching articles cite.")
@click.option(
    "--credited", is_flag=True, help="With --cited: count agencies credited on the articles too."
)
@click.pass_obj
def outlets_cmd(
    state: _State, where: Any, limit: int, fmt: str, cited: bool, credited: bool
) -> None:
    """Outlets with their articles as publisher, as agency, and as a cited source.

    With --cited: the outlets the matching articles cite (e.g. --cited
    --outlet NAME: whom NAME's articles cite), by number of articles citing them.
    """
    from .query import OutletCount, OutletStats, list_cited_outlets, list_outlets

    if credited and not cited:
        raise click.UsageError("--credited goes with --cited")
    if cited:
        roles = ("cited", "agency") if credited else ("cited",)
        counted = _with_session(
            state, lambda s: list_cited_outlets(s, where, roles=roles, limit=limit)
        )
        columns: list[tuple[str, Callable[[Any], Any]]] = [
            ("id", lambda o: o.id),
            ("outlet", lambda o: o.name),
            ("kind", lambda o: o.kind),
            ("articles", lambda o: o.articles),
        ]
        _emit(counted, fmt, columns, kind=OutletCount)
        return
    rows = _with_session(state, lambda s: list_outlets(s, where, limit=limit))
    columns = [
        ("id", lambda o: o.id),
        ("outlet", lambda o: o.name),
        ("kind", lambda o: o.kind),
        ("published", lambda o: o.published),
        ("as agency", lambda o: o.as_agency),
        ("cited", lambda o: o.cited),
    ]
    _emit(rows, fmt, columns, kind=OutletStats)


def _article_lines(d: Any) -> Iterator[str]:
    yield d.headline
    yield "=" * min(len(d.headline), 79)
    for label in ("section", "byline", "dateline_place", "published_on", "url"):
        value = getattr(d, label)
        if value is not None:
            yield f"{label}: {value}"
    for role in ("publisher", "agency", "cited"):
        names = [o.name for o in d.outlets if o.role == role]
        if names:
            yield f"{role}: {', '.join(names)}"
    if d.people:
        people = [p.name + (f" ({p.role})" if p.role else "") for p in d.people]
        yield f"people: {', '.join(people)}"
    if d.topics:
        yield f"topics: {', '.join(t.slug for t in d.topics)}"
    if d.story:
        others = ", ".join(f"#{a.id}" for a in d.story.articles) or "no other article"
        yield f"story: {d.story.label} ({others})"
    if len(d.versions) > 1:
        listed = ", ".join(
            f"#{v.id} v{v.version}{' (latest)' if v.is_latest else ''}" for v in d.versions
        )
        yield f"versions: {listed}"
    yield f"source: {d.source_path}"
    if d.standfirst:
        yield f"\n{d.standfirst}"
    yield f"\n{d.body}"
    if d.quotes:
        yield "\nquotes:"
        for quote in d.quotes:
            yield f"  {quote.speaker or '?'}: “{quote.text}”"


@cli.command("article")
@click.argument("article_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (one row).")
@click.pass_obj
def article_cmd(state: _State, article_id: int, as_json: bool, as_csv: bool) -> None:
    """Show one article with everything stored about it."""
    from .query import get_article

    if as_json and as_csv:
        raise click.UsageError("--json and --csv cannot be used together")
    detail = _with_session(state, lambda s: get_article(s, article_id))
    if detail is None:
        raise click.ClickException(f"no article with id {article_id}")
    _emit_one(detail, "json" if as_json else "csv" if as_csv else "table", _article_lines)


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (one row).")
@click.pass_obj
def stats_cmd(state: _State, as_json: bool, as_csv: bool) -> None:
    """Counts of articles, outlets, people, topics and quotes, and the dates covered."""
    from .query import get_stats

    if as_json and as_csv:
        raise click.UsageError("--json and --csv cannot be used together")
    stats = _with_session(state, get_stats)
    _emit_one(
        stats,
        "json" if as_json else "csv" if as_csv else "table",
        lambda st: (
            f"{name:<15} {'' if value is None else value}"
            for name, value in dataclasses.asdict(st).items()
        ),
    )


_EXPORT_COLUMNS = [
    "id",
    "published_on",
    "outlet",
    "agency",
    "section",
    "headline",
    "url",
    "people",
    "topics",
    "standfirst",
    "body",
]


@cli.command("export")
@_filters(limit=None)
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="JSON Lines (one article a line) or CSV.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file [default: standard output].",
)
@click.option("--no-body", is_flag=True, help="Leave out the standfirst and body.")
@click.pass_obj
def export_cmd(
    state: _State,
    where: Any,
    fmt: str,
    out_format: str,
    output: Path | None,
    no_body: bool,
) -> None:
    """Export the matching articles with their people and topics, as JSON Lines or CSV.

    Articles are written as they are read, a batch at a time, so any number
    fits in memory. In CSV, people are "name (role)" joined with "; ".
    """
    from .query import iter_export

    if fmt == "csv":
        out_format = "csv"
    if fmt == "json":
        out_format = "jsonl"
    columns = _EXPORT_COLUMNS[:-2] if no_body else _EXPORT_COLUMNS

    def work(session: Any) -> int:
        count = 0
        with contextlib.ExitStack() as stack:
            out: Any = (
                stack.enter_context(output.open("w", encoding="utf-8", newline=""))
                if output
                else sys.stdout
            )
            writer = csv.DictWriter(out, fieldnames=columns) if out_format == "csv" else None
            if writer is not None:
                writer.writeheader()
            for article in iter_export(session, where, with_body=not no_body):
                record = dataclasses.asdict(article)
                if no_body:
                    del record["standfirst"], record["body"]
                if writer is not None:
                    record["people"] = "; ".join(
                        p["name"] + (f" ({p['role']})" if p["role"] else "")
                        for p in record["people"]
                    )
                    record["topics"] = "; ".join(record["topics"])
                    writer.writerow({k: _cell(v) for k, v in record.items()})
                else:
                    out.write(json.dumps(record, default=_json_default, ensure_ascii=False) + "\n")
                count += 1
        return count

    count = _with_session(state, work)
    if output is not None:
        click.echo(f"exported {count} articles to {output}", err=True)


def main() -> None:
    """Entry point of the ``newsdb`` command."""
    cli(prog_name="newsdb")
