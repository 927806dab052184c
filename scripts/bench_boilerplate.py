"""What learning per-outlet boilerplate costs an import, and what it finds.

Generates N JSON records (news-please shape, fixed seed) from 10 outlets; every
outlet closes its articles with its own two furniture paragraphs (an appeal and
a sign-off) and half of its articles carry a "Read more" line. Imports them
twice into fresh SQLite files, with learning off (``--boilerplate-min-pages 0``)
and on (default 5), and prints wall time, articles per second, what was learnt
and cleaned, and whether any body still holds furniture.

    python scripts/bench_boilerplate.py --articles 5000
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from newsdb.db import make_engine
from newsdb.importer import run_import
from newsdb.models import Article, OutletLine

WORDS = (
    "harbour council budget ferry school bridge storm fishing museum library clinic market "
    "railway festival tenants landlord court hearing mayor police river farmers drought "
    "teachers strike hospital nurses union airport runway tourism hotel planning permit "
    "minister parliament election vote coalition treaty border trade tariff export energy"
).split()
GIVEN = "Anna Boris Clara Dmitri Elena Farid Greta Hiro Ines Jonas Kofi Lena Mateo Nadia".split()
FAMILY = "Abara Bellweather Castellan Dunmore Eskildsen Faulk Grisham Holloway Ibarra".split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    who = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    return f"{' '.join(words[:6]).capitalize()}, {who} said, {' '.join(words[6:])}."


def generate(folder: Path, n: int, seed: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "records.jsonl").open("w", encoding="utf-8") as out:
        for i in range(n):
            outlet = i % 10
            paragraphs = [
                " ".join(_sentence(rng) for _ in range(3)) for _ in range(rng.randint(5, 9))
            ]
            if i % 2:
                paragraphs.insert(3, f"Read more: the {outlet} Courier's guide to local services.")
            paragraphs += [
                f"Our journalism at the {outlet} Courier is paid for by readers. Become a "
                "supporter today and keep it free for everyone.",
                f"Tips and corrections: write to the {outlet} Courier news desk.",
            ]
            record = {
                "title": " ".join(rng.choice(WORDS) for _ in range(7)).capitalize(),
                "maintext": "\n\n".join(paragraphs),
                "source_domain": f"courier{outlet}.example",
                "date_publish": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} 08:00:00",
                "url": f"https://courier{outlet}.example/{i}",
            }
            out.write(json.dumps(record) + "\n")


def run(folder: Path, db: Path, min_pages: int, jobs: int) -> None:
    engine = make_engine(f"sqlite:///{db}")
    start = time.perf_counter()
    report = run_import(engine, [folder], jobs=jobs, boilerplate_min_pages=min_pages)
    wall = time.perf_counter() - start
    added = report.counts["added"]
    with Session(engine) as session:
        learnt = session.scalar(select(func.count()).where(OutletLine.learnt)) or 0
        left = session.scalar(
            select(func.count()).where(Article.body.like("%Become a supporter today%"))
        )
    engine.dispose()
    b = report.boilerplate
    print(
        f"| {min_pages} | {added:,} | {wall:.1f} | {added / wall:,.0f} | {learnt} | "
        f"{b.cleaned:,} | {b.dropped:,} | {left:,} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root / "corpus", args.articles, args.seed)
        print(
            "| min pages | articles | wall s | articles/s | lines learnt | bodies cleaned "
            "| paragraphs dropped | bodies with the appeal left |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for min_pages in (0, 5):
            run(root / "corpus", root / f"b{min_pages}.sqlite", min_pages, args.jobs)


if __name__ == "__main__":
    main()
