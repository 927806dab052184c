#!/usr/bin/env python3
"""Time `newsdb import` on real pages: parse-only and end to end into a fresh SQLite file.

Each page is imported --copies times; the copies differ only by trailing blank
lines, so each is a distinct file (its own byte hash, its own article row) with
the same parse. Prints pages/s and the peak resident memory.

    .venv/bin/python scripts/bench_import.py [--pages DIR]... [--copies N] [--db PATH]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from newsdb.db import make_engine
from newsdb.errors import ParseError
from newsdb.importer import run_import
from newsdb.parsers import parse_page, read_page

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = [REPO.parent / "shared" / "data" / "pages" / "text", REPO / "examples"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, action="append", help="folder of .txt pages")
    ap.add_argument("--copies", type=int, default=4, help="copies of each page (default 4)")
    ap.add_argument("--db", type=Path, help="SQLite file to create (default: a temporary one)")
    args = ap.parse_args()
    folders = args.pages or [p for p in DEFAULT_PAGES if p.is_dir()]
    sources = sorted(p for folder in folders for p in folder.glob("*.txt"))
    if not sources:
        raise SystemExit("no .txt pages found")

    work = Path(tempfile.mkdtemp(prefix="newsdb-bench-"))
    try:
        corpus = work / "pages"
        corpus.mkdir()
        for i in range(args.copies):
            for src in sources:
                (corpus / f"{i:03d}-{src.name}").write_bytes(src.read_bytes() + b"\n" * i)
        files = sorted(corpus.iterdir())
        total_bytes = sum(f.stat().st_size for f in files)

        t0 = time.perf_counter()
        failures = 0
        for f in files:
            try:
                parse_page(read_page(f))
            except ParseError:
                failures += 1
        parse_s = time.perf_counter() - t0

        db = args.db or work / "bench.sqlite"
        if db.exists():
            raise SystemExit(f"{db} exists; give a new path")
        engine = make_engine(str(db))
        t0 = time.perf_counter()
        report = run_import(engine, [corpus])
        import_s = time.perf_counter() - t0
        engine.dispose()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        n = len(files)
        print(
            f"pages: {n} ({total_bytes / n / 1024:.1f} KB each on average)"
            f" from {len(sources)} sources"
        )
        print(
            f"parse only (read + decode + parse): {parse_s:.2f} s, {n / parse_s:,.0f} pages/s"
            f" ({failures} not articles or unreadable)"
        )
        print(
            f"import end to end into SQLite + FTS5: {import_s:.2f} s, {n / import_s:,.0f} pages/s"
        )
        print(f"report: {report.counts}")
        for r in report.failed[:10]:
            print(f"  failed: {r.path.name}: {r.reason}")
        print(f"database size: {db.stat().st_size / 1e6:.1f} MB; peak RSS: {rss_mb:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
