"""Measure ``parse_text`` on the development pages (text dumps with ground truth).

Usage::

    python scripts/eval_text_pages.py [--data DIR] [--per-page] [--no-standfirst]
                                      [--worst K] [--misses FIELD] [--repeat N]

``DIR`` holds ``ground_truth.jsonl`` and ``text/<id>.txt`` (default: ``../shared/data/pages``
relative to the repository root). The body metric is the one of the ScrapingHub
article-extraction benchmark, as described in the data's README: Unicode ``\\w+`` tokens,
lower-cased, overlapping 4-token shingles; per page TP/FP/FN counted on shingle multisets and
scaled to sum 1; precision is the mean over pages with any output, recall the mean over pages
with any truth, F1 the harmonic mean of the two means. A page that raises ``NotAnArticle``
counts as empty output.

The ground truth body (Fundus) includes the article's summary paragraph, so by default our
standfirst is prepended to our body before scoring; ``--no-standfirst`` scores the body alone.

Speed is reported twice: from the wall clock, and from this process's CPU time, which other
processes on a shared machine disturb less. ``--worst K`` lists the K pages with the lowest body
F1; ``--misses title`` (or ``date``,
``author``) lists every page where that field is wrong, ours beside the truth. ``--repeat N``
parses every page N times and keeps each page's fastest run for the speed figure (the machine is
shared, so single runs are noisy); the repeats find the page's short lines already classified
(the parser remembers them across pages), so the figure is an upper bound. The default, one run,
is what an import of these 256 pages costs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

# The metric is the one scripts/eval_pages.py implements (the data README's).
from eval_pages import author_match, body_scores, norm_title  # noqa: E402

from newsdb.errors import NotAnArticle  # noqa: E402
from newsdb.parsers.base import ParsedArticle  # noqa: E402
from newsdb.parsers.text import parse_text  # noqa: E402


@dataclass
class Totals:
    """Running sums of the metrics."""

    pages: int = 0
    p_sum: float = 0.0
    p_n: int = 0
    r_sum: float = 0.0
    r_n: int = 0
    empty: int = 0
    title_ok: int = 0
    date_ok: int = 0
    date_n: int = 0
    date_out: int = 0
    auth_eq: int = 0
    auth_any: int = 0
    auth_n: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def _miss(page_id: str, ours: str | None, truth: str) -> str:
    """One line of the ``--misses`` listing: page, ours, truth."""
    return f"{page_id}\n    ours:  {ours!r}\n    truth: {truth!r}"


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "pages")
    ap.add_argument("--per-page", action="store_true", help="print one line per page")
    ap.add_argument("--no-standfirst", action="store_true", help="score the body alone")
    ap.add_argument("--worst", type=int, default=0, metavar="K", help="list the K worst bodies")
    ap.add_argument(
        "--misses", choices=("title", "date", "author"), help="list the pages where FIELD is wrong"
    )
    ap.add_argument("--repeat", type=int, default=1, metavar="N", help="time each page N times")
    args = ap.parse_args(argv)

    truth_rows = [
        json.loads(line)
        for line in (args.data / "ground_truth.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    t = Totals()
    worst: list[tuple[float, str]] = []
    misses: list[str] = []
    for row in truth_rows:
        text = (args.data / "text" / f"{row['id']}.txt").read_text("utf-8", errors="replace")
        parsed: ParsedArticle | None = None
        fastest = fastest_cpu = float("inf")
        for _ in range(max(1, args.repeat)):
            start, start_cpu = time.perf_counter(), time.process_time()
            try:
                parsed = parse_text(text)
            except NotAnArticle:
                parsed = None
            fastest = min(fastest, time.perf_counter() - start)
            fastest_cpu = min(fastest_cpu, time.process_time() - start_cpu)
        t.seconds += fastest
        t.cpu_seconds += fastest_cpu
        t.pages += 1

        output = ""
        if parsed is not None:
            parts = [parsed.body]
            if parsed.standfirst and not args.no_standfirst:
                parts.insert(0, parsed.standfirst)
            output = "\n\n".join(parts)
        truth = row.get("body") or ""
        tp, fp, fn = body_scores(output, truth)
        if not output.strip():
            t.empty += 1
        else:
            t.p_sum += tp / (tp + fp) if tp + fp else 0.0
            t.p_n += 1
        if truth.strip():
            t.r_sum += tp / (tp + fn) if tp + fn else 0.0
            t.r_n += 1

        title_ok = parsed is not None and norm_title(parsed.headline) == norm_title(row["title"])
        t.title_ok += title_ok

        date_ok = False
        if row.get("date"):
            t.date_n += 1
            truth_day = dt.datetime.fromisoformat(row["date"]).date()
            if parsed is not None and parsed.published_on is not None:
                t.date_out += 1
                date_ok = parsed.published_on == truth_day
                t.date_ok += date_ok

        authors = row.get("author") or []
        a_eq, a_any = author_match(parsed.byline if parsed else None, authors)
        if authors:
            t.auth_n += 1
            t.auth_eq += a_eq
            t.auth_any += a_any

        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        worst.append((f1, row["id"]))
        if args.misses == "title" and not title_ok:
            misses.append(_miss(row["id"], parsed.headline if parsed else None, row["title"]))
        elif args.misses == "date" and row.get("date") and not date_ok:
            ours = parsed.published_on.isoformat() if parsed and parsed.published_on else None
            misses.append(_miss(row["id"], ours, row["date"][:10]))
        elif args.misses == "author" and authors and not a_eq:
            misses.append(_miss(row["id"], parsed.byline if parsed else None, "; ".join(authors)))
        if args.per_page:
            print(
                f"{row['id']:45} f1={f1:.2f} title={'Y' if title_ok else '-'} "
                f"date={'Y' if date_ok else '-'} author={'Y' if a_any else '-'}"
            )

    precision = t.p_sum / t.p_n if t.p_n else 0.0
    recall = t.r_sum / t.r_n if t.r_n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    rows = [
        ("pages", f"{t.pages}"),
        ("body precision", f"{precision:.3f}"),
        ("body recall", f"{recall:.3f}"),
        ("body F1", f"{f1:.3f}"),
        ("empty outputs", f"{t.empty}"),
        ("title exact", f"{t.title_ok / t.pages:.3f}" if t.pages else "-"),
        (
            "date same day",
            f"{t.date_ok / t.date_n:.3f} (found {t.date_out}/{t.date_n})" if t.date_n else "-",
        ),
        ("author equal", f"{t.auth_eq / t.auth_n:.3f}" if t.auth_n else "-"),
        ("author overlap", f"{t.auth_any / t.auth_n:.3f}" if t.auth_n else "-"),
        ("pages/s (parse only)", f"{t.pages / t.seconds:.0f}" if t.seconds else "-"),
        # CPU time of this process: what other processes on a shared machine disturb least.
        ("pages/s (CPU time)", f"{t.pages / t.cpu_seconds:.0f}" if t.cpu_seconds else "-"),
    ]
    for line in misses:
        print(line)
    if args.worst:
        for f1_, page_id in sorted(worst)[: args.worst]:
            print(f"{f1_:.2f} {page_id}")
    width = max(len(k) for k, _ in rows)
    print(f"| {'metric':{width}} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for key, value in rows:
        print(f"| {key:{width}} | {value} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
