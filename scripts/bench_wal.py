"""Where an import's page writes go: WAL frames per table and index of a SQLite file.

Copies a database, imports a folder into the copy with SQLite's automatic
checkpoints off (so every page a commit wrote stays in the write-ahead log), then
reads the log's frame headers and names the table or index (``dbstat``) that owns
each page. A frame is one page written at one commit; pages that every batch
dirties again (random positions in a large index) are what make appends to a big
database slow, and this shows which structure they belong to. Counts do not
depend on the load of the machine, unlike timings.

Examples::

    python scripts/bench_wal.py /tmp/b200k.sqlite /tmp/newsdb-bench/10000-11
    python scripts/bench_wal.py BIG.sqlite FOLDER --work /tmp/copy.sqlite --top 40

The copy is left in place (``--work``, default: BIG's name with ``.walstat`` added).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import struct
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import event

from newsdb.db import make_engine
from newsdb.importer import run_import

_WAL_HEADER = 32
_FRAME_HEADER = 24


def wal_frames(db: Path) -> tuple[Counter[str], int, int]:
    """Frames per owning b-tree in ``db``'s WAL, the page size and the commits."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_autocheckpoint=0")
        owner = dict(con.execute("SELECT pageno, name FROM dbstat"))
    finally:
        con.close()
    frames: Counter[str] = Counter()
    commits = 0
    with open(f"{db}-wal", "rb") as wal:
        page_size = struct.unpack(">I", wal.read(_WAL_HEADER)[8:12])[0]
        while len(header := wal.read(_FRAME_HEADER)) == _FRAME_HEADER:
            page, size_after_commit = struct.unpack(">II", header[:8])
            wal.seek(page_size, 1)
            frames[owner.get(page, "(freed or new)")] += 1
            commits += size_after_commit != 0
    return frames, page_size, commits


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("database", type=Path, help="the SQLite file to append to (left untouched)")
    ap.add_argument("corpus", type=Path, help="files or a folder to import")
    ap.add_argument("--work", type=Path, help="where the copy goes")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--commit-every", type=int, default=None, help="records a transaction")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    work = args.work or args.database.with_name(args.database.name + ".walstat")
    shutil.copy(args.database, work)
    for suffix in ("-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{work}")

    @event.listens_for(engine, "connect")
    def _no_checkpoints(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")

    options = {"batch_size": args.batch_size} if args.batch_size else {}
    if args.commit_every:
        options["commit_size"] = args.commit_every
    start = time.perf_counter()
    report = run_import(engine, [args.corpus], jobs=args.jobs, **options)
    seconds = time.perf_counter() - start
    # Read while the import's connections are open: closing the last one checkpoints
    # the log into the file and deletes it.
    try:
        _report(work, report.counts, seconds, args.top)
    finally:
        engine.dispose()
    return 0


def _report(work: Path, counts: dict[str, int], seconds: float, top: int) -> None:
    frames, page_size, commits = wal_frames(work)
    total = sum(frames.values())
    added = counts.get("added", 0) or 1
    print(f"import: {counts} in {seconds:.1f} s")
    print(
        f"WAL: {total:,} frames of {page_size:,} bytes ({total * page_size / 1e6:,.0f} MB) "
        f"in {commits} commits; {total / added:.2f} frames an added article"
    )
    print()
    print("| table or index | frames | share | frames an added article |")
    print("|---|---:|---:|---:|")
    for name, n in frames.most_common(top):
        print(f"| {name} | {n:,} | {n / total:.1%} | {n / added:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
