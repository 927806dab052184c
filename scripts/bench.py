"""Benchmark the whole import on a generated corpus of news pages saved as text.

Generates N text pages (about 4 KB each, fixed seed) that look like real dumps:
masthead, menu, headline, byline with a wire agency now and then, a date,
paragraphs that name people (a Zipf-like cast, full names then surnames),
quote them, cite agencies, and talk about subjects the topic taxonomy knows,
then a teaser box and a footer. Imports them with ``newsdb.importer.run_import``
and prints a table: wall time, articles per second, the time of every stage (read,
parse, enrich: CPU seconds summed over the workers; store, index, people, stories: the
writer's; end of run: the boilerplate pass's wall time; vacuum: PostgreSQL's after a
bulk load), the CPU of the writer process
and of the workers, each also per page, and the peak memory of the writer and of the
largest worker, and what the writer passed to read and write calls (its database, WAL
and journal reads and writes; Linux only). Then it runs the query set of the query issue
(``scripts/bench_queries.py``, people, words, outlets and topics drawn from what was
imported) and prints each lookup's latency.

Examples::

    python scripts/bench.py                       # 2,000 pages: a quick check
    python scripts/bench.py --articles 100000 --db /tmp/bench.sqlite
    python scripts/bench.py --articles 10000 --db /tmp/bench.sqlite --append   # into a big one
    python scripts/bench.py --articles 100000 --db postgresql://postgres@127.0.0.1/test

The corpus is written once per (N, seed) under --corpus (default
/tmp/newsdb-bench/<N>-<seed>) and reused by later runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import time
from pathlib import Path

from bench_queries import query_timings  # scripts/ is on the path when run as a script
from sqlalchemy import text

from newsdb import _compiled, ranking
from newsdb.db import make_engine
from newsdb.enrich.topics import load_taxonomy
from newsdb.importer import BATCH_SIZE, COMMIT_SIZE, run_import

FIRST = (
    "Anna Boris Carla Dmitri Elena Farid Greta Hassan Ingrid Jonas Katya Luis Mara Nikolai "
    "Olga Pavel Quinn Rosa Stefan Tomas Ulla Viktor Wanda Xavier Yara Zoltan Amir Bettina "
    "Caspar Dalia Emil Fiona Gunnar Helga Ivo Jana Kofi Lena Marek Nadia Oskar Petra Rafael "
    "Sanna Tariq Una Vera Willem Ysolde Zara"
).split()
LAST = (
    "Abelard Brandt Castellan Dorin Eskola Faulk Grieve Halvorsen Ibarra Jelinek Korhonen "
    "Lindqvist Moreau Novak Okafor Petrov Quist Rahimi Sorensen Tamsin Ulrich Varga Wexler "
    "Yilmaz Zelenko Arden Bakker Cortes Dunmore Engel Ferrante Gallo Horvath Ilic Juarez "
    "Kowalski Lorca Marsh Nyberg Orlov Pereira Rusu Strand Tovar Urquhart Vance Wolff Zima"
).split()
ROLES = [
    "the finance minister",
    "the mayor",
    "the chief executive of the port authority",
    "a spokesperson for the ministry",
    "the head of the central bank",
    "the opposition leader",
    "a senior engineer",
    "the foreign minister",
]
AGENCIES = ["Reuters", "AFP", "AP", "dpa", "ANSA", "EFE", "Kyodo", "TASS"]
PLACES = ["Velmora", "Port Alvin", "Kestrel Bay", "Northmoor", "Lindau", "Ostrava", "Tarn"]
FILLER = (
    "the plan would take several years to complete and would need the support of the regional "
    "assembly before any money could be spent on it while officials said the figures were "
    "still being checked and that a final decision was expected after the summer recess when "
    "the committee meets again to review the budget and the timetable for the first phase of "
    "the work which has already been delayed twice because of rising costs and a shortage of "
    "skilled workers across the construction sector in the north of the country"
).split()
MENU = ["Home", "World", "Business", "Politics", "Science", "Sport", "Culture", "Opinion"]
TEASERS = [
    "Ferry strike enters second week",
    "New bridge opens to traffic",
    "Record heat expected this weekend",
    "Council approves school budget",
    "Museum returns stolen paintings",
    "Trains cancelled after storm",
]


class Generator:
    """Draws pages from fixed pools, reproducibly."""

    def __init__(self, seed: int, people: int = 5000, outlets: int = 60) -> None:
        self.rnd = random.Random(seed)
        names = [f"{f} {ln}" for f in FIRST for ln in LAST]
        self.rnd.shuffle(names)
        self.people = names[:people]
        # Zipf-like: a few people are in many articles, most in few.
        self.weights = [1.0 / (i + 1) for i in range(len(self.people))]
        self.outlets = [
            f"The {self.rnd.choice(PLACES)} {w}"
            for w in ["Courier", "Herald", "Ledger", "Post", "Times", "Gazette", "Observer"] * 9
        ][:outlets]
        self.outlets = list(dict.fromkeys(self.outlets))
        tax = load_taxonomy()
        self.topic_terms = {
            d.slug: [t for t, w in d.terms if w > 0 and " " not in t and t.isalpha()][:20]
            for d in tax
        }
        self.topics = [s for s, terms in self.topic_terms.items() if len(terms) >= 5]

    def sentence(self, topic: str, words: int = 22) -> str:
        terms = self.topic_terms[topic]
        out = [
            self.rnd.choice(terms) if self.rnd.random() < 0.18 else self.rnd.choice(FILLER)
            for _ in range(words)
        ]
        return out[0].capitalize() + " " + " ".join(out[1:]) + "."

    def page(self, i: int, start: dt.date) -> str:
        rnd = self.rnd
        outlet = rnd.choice(self.outlets)
        topic = rnd.choice(self.topics)
        cast = list(dict.fromkeys(rnd.choices(self.people, self.weights, k=rnd.randint(2, 5))))
        place = rnd.choice(PLACES)
        day = start + dt.timedelta(days=rnd.randrange(3 * 365))
        agency = rnd.choice(AGENCIES) if rnd.random() < 0.3 else None
        headline = f"{place} {self.sentence(topic, 9)[:-1]} story {i}"
        paras: list[str] = []
        for k, person in enumerate(cast):
            surname = person.split()[-1]
            role = rnd.choice(ROLES)
            paras.append(
                f"{person}, {role}, said on {day.strftime('%A')} that "
                f"{self.sentence(topic, 18).lower()} {self.sentence(topic)}"
            )
            paras.append(
                f'"{self.sentence(topic, 14)[:-1]}," {surname} told reporters. '
                f"{self.sentence(topic)} {self.sentence(topic)}"
            )
            if k == 0 and rnd.random() < 0.5:
                paras.append(
                    f"According to {rnd.choice(AGENCIES)}, {self.sentence(topic).lower()} "
                    f"{self.sentence(topic)}"
                )
        while sum(len(p) for p in paras) < 3600:
            paras.append(" ".join(self.sentence(topic) for _ in range(3)))
        byline = f"By {rnd.choice(self.people)}" + (f", {agency}" if agency else "")
        lines = ["Skip to content", outlet, *rnd.sample(MENU, 6), "", headline, "", byline]
        lines += [f"Published {day.day} {day.strftime('%B %Y')}", ""]
        for p in paras:
            lines += [p, ""]
        lines += ["Read more", *rnd.sample(TEASERS, 3), "", f"© {outlet}", "Privacy policy"]
        return "\n".join(lines) + "\n"


def make_corpus(folder: Path, n: int, seed: int) -> Path:
    """Write ``n`` pages under ``folder`` (1,000 per sub-folder) unless already there."""
    done = folder / ".complete"
    if done.exists():
        return folder
    gen = Generator(seed)
    start = dt.date(2023, 1, 1)
    for i in range(n):
        sub = folder / f"{i // 1000:04d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"page{i:07d}.txt").write_text(gen.page(i, start), encoding="utf-8")
    done.write_text(json.dumps({"articles": n, "seed": seed}))
    return folder


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", default="/tmp/newsdb-bench.sqlite")
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    ap.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    ap.add_argument(
        "--commit-every",
        type=int,
        default=None,
        help=f"records a transaction (default {COMMIT_SIZE:,} on SQLite, a batch on PostgreSQL)",
    )
    ap.add_argument(
        "--append", action="store_true", help="keep the database (measure appending to it)"
    )
    ap.add_argument(
        "--query-runs", type=int, default=20, help="calls per lookup after the import (0: none)"
    )
    args = ap.parse_args(argv)

    from newsdb.pipeline import default_jobs

    jobs = args.jobs or default_jobs()
    corpus = args.corpus or Path(f"/tmp/newsdb-bench/{args.articles}-{args.seed}")
    t0 = time.perf_counter()
    make_corpus(corpus, args.articles, args.seed)
    gen_s = time.perf_counter() - t0
    if "://" not in args.db and not args.append:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
    engine = make_engine(args.db)
    if args.append or "://" in args.db:
        from newsdb.db import upgrade

        upgrade(engine)
    with engine.connect() as conn:
        try:
            before = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
        except Exception:
            before = 0
    t0 = time.perf_counter()
    cpu0, workers0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    io0 = _io()
    report = run_import(
        engine, [corpus], jobs=jobs, batch_size=args.batch_size, commit_size=args.commit_every
    )
    wall = time.perf_counter() - t0
    # The workers are counted once the pool has ended and reaped them (run_import waits).
    cpu, workers = _cpu(resource.RUSAGE_SELF) - cpu0, _cpu(resource.RUSAGE_CHILDREN) - workers0
    io = _io()
    added = report.counts["added"]
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    tm = report.timings
    per = 1000 / max(1, args.articles)  # per page read, stored or not
    print(f"database: {args.db} (held {before:,} articles before)")
    print(f"corpus: {args.articles:,} pages, seed {args.seed} ({gen_s:.1f} s to generate/check)")
    commits = args.commit_every or ("default" if "://" not in args.db else "batch")
    print(f"jobs: {jobs}, batch size {args.batch_size}, commit every {commits}")
    print(f"compiled modules: {'yes' if _compiled.ACTIVE else 'no'} ({_compiled.REASON})")
    rank_with = ranking.FUNCTION if ranking.ACTIVE else "bm25"
    print(f"SQLite search ranks with: {rank_with} ({ranking.REASON})")
    print()
    print("| stage | seconds | ms a page | note |")
    print("|---|---|---|---|")
    for stage in ("read", "parse", "enrich"):
        note = f"CPU, summed over {jobs} worker(s)"
        print(f"| {stage} | {tm[stage]:.1f} | {tm[stage] * per:.2f} | {note} |")
    for stage in ("store", "index", "people", "stories"):
        print(f"| {stage} | {tm[stage]:.1f} | {tm[stage] * per:.2f} | writer |")
    note = "writer, wall: learn lines, clean bodies, commit"
    print(f"| end of run | {tm['boilerplate']:.1f} | {tm['boilerplate'] * per:.2f} | {note} |")
    if "vacuum" in tm:  # PostgreSQL, after a bulk load (newsdb.importer.vacuum_after_bulk_load)
        vac = "wall: VACUUM (ANALYZE) of the written tables"
        print(f"| vacuum | {tm['vacuum']:.1f} | {tm['vacuum'] * per:.2f} | {vac} |")
    print(f"| CPU, writer process | {cpu:.1f} | {cpu * per:.2f} | all of it, pool included |")
    print(f"| CPU, workers | {workers:.1f} | {workers * per:.2f} | start-up included |")
    rate = added / wall
    print(
        f"| **wall** | **{wall:.1f}** | {wall * per:.2f} | **{rate:,.0f} articles/s end to end** |"
    )
    print()
    if report.batches:
        speeds = sorted(n / seconds for n, seconds in report.batches if seconds > 0)
        slowest = max(seconds for _, seconds in report.batches)
        print(
            f"writer batches: {len(report.batches)}, articles/s per batch: slowest "
            f"{speeds[0]:,.0f}, median {speeds[len(speeds) // 2]:,.0f}, fastest "
            f"{speeds[-1]:,.0f}; longest batch {slowest:.2f} s"
        )
    if report.transactions:
        longest = max(seconds for _, seconds in report.transactions)
        rates = sorted(n / seconds for n, seconds in report.transactions if seconds > 0)
        print(
            f"transactions: {len(report.transactions)}, slowest {rates[0]:,.0f} articles/s, "
            f"longest {longest:.2f} s (batches and commit: another importer's longest wait)"
        )
    if report.checkpoints:
        print(
            f"checkpoints beside the writer: {len(report.checkpoints)}, "
            f"{sum(report.checkpoints):.1f} s in all, the longest {max(report.checkpoints):.2f} s"
        )
    print(f"counts: {report.counts}")
    print(f"peak RSS: writer {self_kb / 1024:.0f} MB, largest worker {child_kb / 1024:.0f} MB")
    if io is not None and io0 is not None:
        for label, key, what in (
            ("read", "rchar", "the database and its WAL, the workers' pipes"),
            ("write", "wchar", "the database, its WAL, statement journals, temporary files, pipes"),
        ):
            mb = (io[key] - io0[key]) / 2**20
            kb_a_page = mb * 1024 / max(1, args.articles)
            print(
                f"writer's {label} calls: {mb:,.0f} MB, {kb_a_page:,.0f} KB a page "
                f"({what}; does not depend on the machine's load)"
            )
    if args.query_runs > 0 and added:
        print()
        print(
            f"| lookup ({args.query_runs} calls each) | p50 ms | p95 ms | max ms | rows | target |"
        )
        print("|---|---|---|---|---|---|")
        for t in query_timings(engine, args.query_runs):
            row = f"{t.p50:.2f} | {t.p95:.2f} | {t.max:.2f} | {t.rows} | {t.verdict}"
            print(f"| {t.name.strip()} | {row} |")
    engine.dispose()
    return 0 if report.ok else 1


def _io() -> dict[str, int] | None:
    """Bytes this process has passed to read and write calls so far (Linux: ``rchar`` and
    ``wchar`` of /proc/self/io; pages SQLite reads back from the OS count, whether or not
    the OS had them cached)."""
    try:
        with open("/proc/self/io", encoding="ascii") as io:
            fields = dict(line.split(":", 1) for line in io if ":" in line)
        return {key: int(fields[key]) for key in ("rchar", "wchar")}
    except (OSError, KeyError, ValueError):
        return None


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    sys.exit(main())
