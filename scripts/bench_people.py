"""Benchmark people, quotes and cited outlets together on 4 KB articles, on one core.

Usage::

    python scripts/bench_people.py [--docs N] [--runs R] [--seeds DIR] [--pages DIR]

The articles are made at run time from the paragraphs of the user's seed pages
(``../shared/seeds``, parsed with newsdb's text parser): each article takes the paragraphs of
the three pages from a different starting point until it holds 4 KB, so no two articles are the
same text. With ``--pages DIR`` the articles are instead the first ``N`` text pages under
``DIR`` (for instance the import benchmark's corpus), parsed with :func:`parse_page`. Nothing is
written to disk. Prints documents per second for :func:`analyse` (the three together), the
time of each stage and of topic assignment, best of ``R`` runs (CPU time of this process, so
other work on the machine disturbs it less than wall time would).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsdb.enrich.cited import outlets_in_text  # noqa: E402
from newsdb.enrich.people import analyse, article_text, people_in_text  # noqa: E402
from newsdb.enrich.quotes import quotes_in_text  # noqa: E402
from newsdb.enrich.topics import assign_topics, load_taxonomy  # noqa: E402
from newsdb.errors import ParseError  # noqa: E402
from newsdb.parsers import parse_page, read_page  # noqa: E402

SEEDS = REPO.parent / "shared" / "seeds"
SIZE = 4096


def make_articles(seeds: Path, count: int) -> list[tuple[str, str | None, str]]:
    """``count`` articles of about 4 KB: (headline, standfirst, body)."""
    pages = [parse_page(read_page(p)) for p in sorted(seeds.glob("*.txt"))]
    if not pages:
        raise SystemExit(f"no seed pages in {seeds}")
    paragraphs = [p for page in pages for p in page.paragraphs]
    out = []
    for i in range(count):
        body: list[str] = []
        size = 0
        k = (i * 7) % len(paragraphs)
        while size < SIZE:
            para = paragraphs[k % len(paragraphs)]
            body.append(para)
            size += len(para) + 2
            k += 1
        page = pages[i % len(pages)]
        out.append((page.headline, page.standfirst, "\n\n".join(body)[:SIZE]))
    return out


def read_articles(pages: Path, count: int) -> list[tuple[str, str | None, str]]:
    """The first ``count`` text pages under ``pages`` that parse: (headline, standfirst, body)."""
    out = []
    for path in sorted(pages.rglob("*.txt")):
        if len(out) == count:
            break
        try:
            a = parse_page(read_page(path))
        except ParseError:
            continue
        out.append((a.headline, a.standfirst, a.body))
    if not out:
        raise SystemExit(f"no text pages in {pages}")
    return out


def main() -> None:
    """Time the stages and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--seeds", type=Path, default=SEEDS)
    ap.add_argument("--pages", type=Path, help="time these text pages instead of seed mixes")
    args = ap.parse_args()
    if args.pages is not None:
        docs = read_articles(args.pages, args.docs)
    else:
        docs = make_articles(args.seeds, args.docs)
    analyse(*docs[0])  # load the word lists and compile the patterns first

    best_total = float("inf")
    for _ in range(args.runs):
        start = time.process_time()
        for h, s, b in docs:
            analyse(h, s, b)
        best_total = min(best_total, time.process_time() - start)

    stages = {"people": float("inf"), "cited": float("inf"), "quotes": float("inf")}
    texts = [(article_text(h, s, b), len(h)) for h, s, b in docs]
    for _ in range(args.runs):
        t0 = time.process_time()
        people = [people_in_text(t, n) for t, n in texts]
        t1 = time.process_time()
        cited = [outlets_in_text(t) for t, _ in texts]
        t2 = time.process_time()
        for (t, _), p, c in zip(texts, people, cited, strict=True):
            quotes_in_text(t, p, c)
        t3 = time.process_time()
        stages["people"] = min(stages["people"], t1 - t0)
        stages["cited"] = min(stages["cited"], t2 - t1)
        stages["quotes"] = min(stages["quotes"], t3 - t2)

    taxonomy = load_taxonomy()
    topics = float("inf")
    for _ in range(args.runs):
        t0 = time.process_time()
        for h, s, b in docs:
            assign_topics(taxonomy, headline=h, body=b, standfirst=s)
        topics = min(topics, time.process_time() - t0)

    avg = sum(len(t) for t, _ in texts) / len(texts)
    print(f"{len(docs)} articles of {avg / 1000:.1f} KB, best of {args.runs} runs (CPU time)")
    print(f"analyse (people + quotes + cited): {len(docs) / best_total:,.0f} docs/s")
    for name, seconds in stages.items():
        print(f"  {name}: {seconds / len(docs) * 1e6:,.0f} µs/doc")
    print(f"assign_topics: {topics / len(docs) * 1e6:,.0f} µs/doc")


if __name__ == "__main__":
    main()
