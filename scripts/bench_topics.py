"""Time ``assign_topics`` on 4 KB articles (the budget is 0.2 ms per article on one core).

Usage::

    python scripts/bench_topics.py [--data FILE] [--taxonomy FILE] [--repeat N]

The articles are the BBC development texts (``../shared/data/topics/bbc_dev.jsonl``) cut or
repeated to 4096 characters; without the data, a generated text of news vocabulary is used.
The taxonomy is loaded and compiled once, outside the timing, as the importer does. Every
article is scored once untimed first, so the timing is of a warmed process (the per-token
memo filled), which is the steady state of an import; the first cold pass is reported too.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsdb.enrich.topics import assign_topics, load_taxonomy  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "topics" / "bbc_dev.jsonl"
SIZE = 4096


def _articles(data: Path) -> list[tuple[str, str]]:
    if data.is_file():
        rows = [json.loads(line) for line in data.read_text("utf-8").splitlines() if line]
        out = []
        for row in rows:
            body = row["body"]
            while len(body) < SIZE:
                body += "\n\n" + row["body"]
            out.append((row["title"], body[:SIZE]))
        return out
    print(f"(no data at {data}: timing generated text)")
    rng = random.Random(0)
    words = (
        "the government said on monday that the economy grew by two per cent while the "
        "minister for trade and the central bank met investors from china and russia to "
        "discuss oil gas energy tariffs and the football team won the match against rivals"
    ).split()
    return [
        ("Generated headline " + str(i), " ".join(rng.choice(words) for _ in range(800))[:SIZE])
        for i in range(200)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--taxonomy", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the articles")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    taxonomy = load_taxonomy(args.taxonomy)
    load_ms = (time.perf_counter() - start) * 1000
    articles = _articles(args.data)

    start = time.perf_counter()
    for headline, body in articles:
        assign_topics(taxonomy, headline=headline, body=body)
    cold = (time.perf_counter() - start) / len(articles) * 1000

    passes = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for headline, body in articles:
            assign_topics(taxonomy, headline=headline, body=body)
        passes.append((time.perf_counter() - start) / len(articles) * 1000)
    print(f"taxonomy: {len(taxonomy)} topics, loaded and compiled in {load_ms:.1f} ms")
    print(f"articles: {len(articles)} x {SIZE} chars")
    print(f"cold first pass: {cold:.3f} ms/article")
    print(
        f"warm: best {min(passes):.3f}, median {statistics.median(passes):.3f} ms/article "
        f"over {args.repeat} passes (budget 0.2)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
