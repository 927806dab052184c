"""Measure newsdb's page parsers (HTML and text) on the development pages, optionally beside
trafilatura on the same inputs.

Usage::

    python scripts/eval_pages.py [--format html|text|both] [--trafilatura] [--limit N]
                                 [--jobs N] [--json] [--worst K] [--data DIR] [--ids ID ...]

``DIR`` holds ``ground_truth.jsonl``, ``html/<id>.html`` and ``text/<id>.txt`` (default:
``../shared/data/pages`` relative to the repository root). Our parser is called exactly as the
importer calls it (``read_page`` then ``parse_page``), so format detection and decoding count.

The body metric is the one of the ScrapingHub article-extraction benchmark, as described in the
data's README: Unicode ``\\w+`` tokens, lower-cased, overlapping 4-token shingles; per page
TP/FP/FN counted on shingle multisets and scaled to sum 1; precision is the mean over pages with
any output, recall the mean over pages with any truth, F1 the harmonic mean of the two means. A
page that raises (``NotAnArticle`` or anything else) counts as an empty output; the number of
pages that raised something other than ``NotAnArticle`` is reported as "errors".

The ground truth body (Fundus) includes the article's summary paragraph, so our standfirst is
prepended to our body before scoring (``--no-standfirst`` scores the body alone). trafilatura's
output is its ``text`` (``bare_extraction(data, with_metadata=True)``, default settings).

Speed: "pages/s per core" is the number of pages over the summed time spent inside the parse
call of each page (so it does not depend on ``--jobs``); "pages/s wall" is pages over the
elapsed time of the whole pool, for which ``--jobs`` matters. Both extractors run with the same
number of processes, one after the other, in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "data" / "pages"
SUFFIX = {"html": ".html", "text": ".txt"}
DIRS = {"html": "html", "text": "text"}

# --------------------------------------------------------------------------------------------
# The metric
# --------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Return the multiset of overlapping n-token shingles of a text (lower-cased tokens)."""
    tokens = [t.lower() for t in _TOKEN_RE.findall(text)]
    if 0 < len(tokens) < n:
        # Shorter than one shingle: the whole text is its only shingle.
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def body_scores(output: str, truth: str) -> tuple[float, float, float]:
    """Return (tp, fp, fn) for one page, scaled to sum to 1 (all 0 when both are empty)."""
    out, ref = shingles(output), shingles(truth)
    tp = sum((out & ref).values())
    fp = sum((out - ref).values())
    fn = sum((ref - out).values())
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def norm_title(text: str) -> str:
    """Collapse whitespace and case for the title comparison."""
    return re.sub(r"\s+", " ", text).strip().casefold()


_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*", re.I)


def author_match(byline: str | None, authors: list[str]) -> tuple[bool, bool]:
    """Compare a byline to the truth's author list: (same set of names, any overlap).

    Loose on purpose: a truth name "overlaps" when any of its words of 3+ letters (usually
    the surname) appears in the byline; the sets are "equal" when every truth name overlaps
    and the byline splits into as many names.
    """
    if not byline:
        return (not authors), False
    words = {w.casefold() for w in _TOKEN_RE.findall(byline)}
    hits = [
        any(w.casefold() in words for w in _TOKEN_RE.findall(a) if len(w) >= 3) for a in authors
    ]
    ours = [p for p in _NAME_SPLIT_RE.split(byline) if p.strip()]
    return bool(authors) and all(hits) and len(ours) == len(authors), any(hits)


def truth_day(row: dict[str, Any]) -> dt.date | None:
    """The truth's publication day, in the time zone the truth gives it in."""
    value = row.get("date")
    return dt.datetime.fromisoformat(value).date() if value else None


# --------------------------------------------------------------------------------------------
# Running the extractors
# --------------------------------------------------------------------------------------------


@dataclass
class Output:
    """What one extractor gave for one page."""

    id: str
    body: str = ""
    title: str | None = None
    byline: str | None = None
    day: str | None = None  # ISO date
    seconds: float = 0.0
    error: str | None = None  # "NotAnArticle: ..." or "ValueError: ..."


def _run_ours(task: tuple[str, str, bool]) -> Output:
    from newsdb.errors import NotAnArticle
    from newsdb.parsers import parse_page, read_page

    page_id, path, with_standfirst = task
    raw = read_page(Path(path))
    start = time.perf_counter()
    try:
        parsed = parse_page(raw)
    except NotAnArticle as exc:
        return Output(page_id, seconds=time.perf_counter() - start, error=f"NotAnArticle: {exc}")
    except Exception as exc:  # noqa: BLE001 - measured, not hidden: reported as an error
        return Output(
            page_id, seconds=time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}"
        )
    seconds = time.perf_counter() - start
    parts = [parsed.body]
    if parsed.standfirst and with_standfirst:
        parts.insert(0, parsed.standfirst)
    day = parsed.published_on.isoformat() if parsed.published_on else None
    return Output(page_id, "\n\n".join(parts), parsed.headline, parsed.byline, day, seconds)


def _run_trafilatura(task: tuple[str, str, bool]) -> Output:
    import trafilatura

    page_id, path, _ = task
    data = Path(path).read_bytes()
    start = time.perf_counter()
    try:
        doc = trafilatura.bare_extraction(data, with_metadata=True)
    except Exception as exc:  # noqa: BLE001
        return Output(
            page_id, seconds=time.perf_counter() - start, error=f"{type(exc).__name__}: {exc}"
        )
    seconds = time.perf_counter() - start
    if doc is None:
        return Output(page_id, seconds=seconds)
    day = None
    if doc.date:
        try:
            day = dt.date.fromisoformat(doc.date[:10]).isoformat()
        except ValueError:
            day = None
    return Output(page_id, doc.text or "", doc.title, doc.author, day, seconds)


def _init_trafilatura() -> None:
    # trafilatura logs a warning for every page it gives up on; the table says it already.
    import logging

    logging.disable(logging.WARNING)


@dataclass
class Score:
    """The metrics of one extractor on one format."""

    format: str
    extractor: str
    pages: int = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    empty: int = 0
    errors: int = 0
    not_article: int = 0
    title_exact: float = 0.0
    date_same_day: float = 0.0
    date_found: int = 0
    date_pages: int = 0
    author_equal: float = 0.0
    author_overlap: float = 0.0
    author_pages: int = 0
    pages_per_s_core: float = 0.0
    pages_per_s_wall: float = 0.0
    per_page: list[dict[str, Any]] = field(default_factory=list)


def score(
    fmt: str, extractor: str, rows: list[dict[str, Any]], outputs: list[Output], wall: float
) -> Score:
    """Score the outputs of one extractor against the truth rows (same order)."""
    s = Score(fmt, extractor, pages=len(rows))
    p_sum = r_sum = 0.0
    p_n = r_n = 0
    title_ok = date_ok = auth_eq = auth_any = 0
    seconds = 0.0
    for row, out in zip(rows, outputs, strict=True):
        seconds += out.seconds
        if out.error is not None:
            if out.error.startswith("NotAnArticle"):
                s.not_article += 1
            else:
                s.errors += 1
        truth = row.get("body") or ""
        tp, fp, fn = body_scores(out.body, truth)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        if not out.body.strip():
            s.empty += 1
        else:
            p_sum += precision
            p_n += 1
        if truth.strip():
            r_sum += recall
            r_n += 1
        t_ok = out.title is not None and norm_title(out.title) == norm_title(row["title"])
        title_ok += t_ok
        day = truth_day(row)
        d_ok = False
        if day is not None:
            s.date_pages += 1
            if out.day is not None:
                s.date_found += 1
                d_ok = out.day == day.isoformat()
                date_ok += d_ok
        authors = row.get("author") or []
        a_eq, a_any = author_match(out.byline, authors)
        if authors:
            s.author_pages += 1
            auth_eq += a_eq
            auth_any += a_any
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        s.per_page.append(
            {
                "id": row["id"],
                "f1": round(f1, 4),
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "title": t_ok,
                "date": d_ok,
                "author": a_any,
                "error": out.error,
            }
        )
    s.precision = p_sum / p_n if p_n else 0.0
    s.recall = r_sum / r_n if r_n else 0.0
    both = s.precision + s.recall
    s.f1 = 2 * s.precision * s.recall / both if both else 0.0
    s.title_exact = title_ok / s.pages if s.pages else 0.0
    s.date_same_day = date_ok / s.date_pages if s.date_pages else 0.0
    s.author_equal = auth_eq / s.author_pages if s.author_pages else 0.0
    s.author_overlap = auth_any / s.author_pages if s.author_pages else 0.0
    s.pages_per_s_core = s.pages / seconds if seconds else 0.0
    s.pages_per_s_wall = s.pages / wall if wall else 0.0
    return s


def run(
    fmt: str,
    extractor: str,
    rows: list[dict[str, Any]],
    data: Path,
    jobs: int,
    with_standfirst: bool = True,
) -> Score:
    """Run one extractor over the pages of one format and score it."""
    tasks = [
        (row["id"], str(data / DIRS[fmt] / f"{row['id']}{SUFFIX[fmt]}"), with_standfirst)
        for row in rows
    ]
    worker = _run_ours if extractor == "newsdb" else _run_trafilatura
    initializer = _init_trafilatura if extractor == "trafilatura" else None
    start = time.perf_counter()
    if jobs <= 1:
        if initializer is not None:
            initializer()
        outputs = [worker(t) for t in tasks]
    else:
        with multiprocessing.Pool(jobs, initializer=initializer) as pool:
            outputs = pool.map(worker, tasks, chunksize=4)
    wall = time.perf_counter() - start
    return score(fmt, extractor, rows, outputs, wall)


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------

_ROWS: list[tuple[str, Any]] = [
    ("pages", lambda s: f"{s.pages}"),
    ("body precision", lambda s: f"{s.precision:.3f}"),
    ("body recall", lambda s: f"{s.recall:.3f}"),
    ("body F1", lambda s: f"{s.f1:.3f}"),
    ("empty outputs", lambda s: f"{s.empty}"),
    ("not an article / errors", lambda s: f"{s.not_article} / {s.errors}"),
    ("title exact", lambda s: f"{s.title_exact:.3f}"),
    ("date same day", lambda s: f"{s.date_same_day:.3f} ({s.date_found}/{s.date_pages})"),
    ("author set equal", lambda s: f"{s.author_equal:.3f}"),
    ("author overlap", lambda s: f"{s.author_overlap:.3f}"),
    ("pages/s per core", lambda s: f"{s.pages_per_s_core:.1f}"),
    ("pages/s wall", lambda s: f"{s.pages_per_s_wall:.1f}"),
]


def print_table(scores: list[Score]) -> None:
    """Print one Markdown table: a row per metric, a column per (format, extractor)."""
    heads = [f"{s.format} {s.extractor}" for s in scores]
    cells = [[fn(s) for s in scores] for _, fn in _ROWS]
    width = max(len(name) for name, _ in _ROWS)
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    pairs = list(zip(heads, widths, strict=True))
    print(f"| {'metric':{width}} | " + " | ".join(f"{h:{w}}" for h, w in pairs) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for (name, _), row in zip(_ROWS, cells, strict=True):
        line = " | ".join(f"{c:{w}}" for c, w in zip(row, widths, strict=True))
        print(f"| {name:{width}} | {line} |")


def print_worst(scores: list[Score], k: int) -> None:
    """List the K pages with the lowest body F1 for each column."""
    for s in scores:
        print(f"\nworst {k} by body F1: {s.format} {s.extractor}")
        for p in sorted(s.per_page, key=lambda p: (p["f1"], p["id"]))[:k]:
            flags = "".join(
                ch if p[key] else "-"
                for ch, key in (("T", "title"), ("D", "date"), ("A", "author"))
            )
            error = f"  {p['error'][:80]}" if p["error"] else ""
            print(
                f"  {p['id']:45} F1={p['f1']:.3f} P={p['precision']:.3f} "
                f"R={p['recall']:.3f} {flags}{error}"
            )


def load_truth(data: Path) -> list[dict[str, Any]]:
    """Read ``ground_truth.jsonl``."""
    lines = (data / "ground_truth.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the table."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--format", choices=["html", "text", "both"], default="both")
    ap.add_argument("--trafilatura", action="store_true", help="also run trafilatura")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages")
    ap.add_argument("--ids", nargs="+", default=None, help="only these page ids")
    ap.add_argument("--jobs", type=int, default=1, help="processes per extractor")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--worst", type=int, default=0, metavar="K", help="list the K worst pages")
    ap.add_argument("--no-standfirst", action="store_true", help="score our body alone")
    args = ap.parse_args(argv)

    rows = load_truth(args.data)
    if args.ids:
        wanted = set(args.ids)
        rows = [r for r in rows if r["id"] in wanted]
    if args.limit is not None:
        rows = rows[: args.limit]
    formats = ["html", "text"] if args.format == "both" else [args.format]
    extractors = ["newsdb", "trafilatura"] if args.trafilatura else ["newsdb"]
    scores = [
        run(fmt, ex, rows, args.data, args.jobs, not args.no_standfirst)
        for fmt in formats
        for ex in extractors
    ]
    if args.json:
        out = []
        for s in scores:
            d = asdict(s)
            if not args.worst:
                d.pop("per_page")
            out.append(d)
        print(json.dumps({"jobs": args.jobs, "results": out}, indent=2))
        return 0
    print(f"{len(rows)} pages from {args.data}, {args.jobs} process(es) per extractor\n")
    print_table(scores)
    if args.worst:
        print_worst(scores, args.worst)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
