"""Measure ``assign_topics`` on the BBC News development split (five coarse classes).

Usage::

    python scripts/eval_topics.py [--data FILE] [--taxonomy FILE] [--errors N] [--bench]

``FILE`` is a JSON-lines file with ``id``, ``category``, ``title`` and ``body`` per line
(default: ``../shared/data/topics/bbc_dev.jsonl`` relative to the repository root; its
README describes it). Our taxonomy is finer than the five classes ``business``,
``entertainment``, ``politics``, ``sport``, ``tech``, so the top topic of each article is
mapped onto them with ``CLASS_OF`` below; a child topic without an entry takes its parent's.
Prints the accuracy of the mapped top topic, macro-F1 over the five classes, the confusion
matrix, how many articles got no topic at all (they count as wrong), and the time per article.
``--errors N`` lists up to N misclassified articles (for looking at the taxonomy as a whole;
do not tune it article by article). ``--bench`` also runs ``scripts/bench_topics.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsdb.enrich.topics import Taxonomy, assign_topics, load_taxonomy  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "topics" / "bbc_dev.jsonl"
CLASSES = ("business", "entertainment", "politics", "sport", "tech")
NONE = "(none)"

# Our topics -> the five BBC classes. Decided, not measured: the BBC files public affairs
# (health service, schools, immigration, crime, environment policy, wars) under politics, so
# every "public life" topic goes there. Media goes with entertainment (TV, radio, the press as
# a show business), as the data's README suggests.
CLASS_OF = {
    "politics": "politics",
    "elections": "politics",
    "diplomacy": "politics",
    "conflict": "politics",
    "military": "politics",
    "crime": "politics",
    "health": "politics",
    "society": "politics",
    "education": "politics",
    "environment": "politics",
    "disasters": "politics",
    "economy": "business",
    "business": "business",
    "markets": "business",
    "trade": "business",
    "energy": "business",
    "science": "tech",
    "technology": "tech",
    "space": "tech",
    "sport": "sport",
    "football": "sport",
    "arts": "entertainment",
    "film-tv": "entertainment",
    "music": "entertainment",
    "media": "entertainment",
}


def class_of(taxonomy: Taxonomy, slug: str) -> str:
    """The BBC class of a topic: its own entry, else its parent's, else "(unmapped)"."""
    if slug in CLASS_OF:
        return CLASS_OF[slug]
    parent = taxonomy.get(slug).parent
    if parent is not None and parent in CLASS_OF:
        return CLASS_OF[parent]
    return "(unmapped)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSON-lines file")
    parser.add_argument("--taxonomy", type=Path, default=None, help="taxonomy TOML file")
    parser.add_argument("--errors", type=int, default=0, help="list N misclassified articles")
    parser.add_argument("--bench", action="store_true", help="also time 4 KB articles")
    args = parser.parse_args(argv)

    if not args.data.is_file():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line]
    taxonomy = load_taxonomy(args.taxonomy)

    predicted: list[str] = []
    topics_of: list[str] = []
    start = time.perf_counter()
    results = [assign_topics(taxonomy, headline=r["title"], body=r["body"]) for r in rows]
    cold = time.perf_counter() - start
    # A second pass is the steady state of an import: the taxonomy's token memo is filled.
    start = time.perf_counter()
    for r in rows:
        assign_topics(taxonomy, headline=r["title"], body=r["body"])
    warm = time.perf_counter() - start
    for result in results:
        predicted.append(class_of(taxonomy, result[0].slug) if result else NONE)
        topics_of.append(", ".join(f"{t.slug} {t.score:.1f}" for t in result) or NONE)
    truth = [r["category"] for r in rows]

    n = len(rows)
    correct = sum(p == t for p, t in zip(predicted, truth, strict=True))
    f1s = []
    for cls in CLASSES:
        tp = sum(p == cls and t == cls for p, t in zip(predicted, truth, strict=True))
        fp = sum(p == cls and t != cls for p, t in zip(predicted, truth, strict=True))
        fn = sum(p != cls and t == cls for p, t in zip(predicted, truth, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    print(f"articles         {n}")
    print(f"accuracy (top-1) {correct / n:.3f}  ({correct}/{n})")
    print(
        f"macro-F1         {sum(f1s) / len(f1s):.3f}  "
        + "  ".join(f"{c} {f:.3f}" for c, f in zip(CLASSES, f1s, strict=True))
    )
    print(f"no topic         {predicted.count(NONE)}")
    mean_chars = sum(len(r["body"]) for r in rows) // n
    print(
        f"time             {warm / n * 1000:.3f} ms/article warm, {cold / n * 1000:.3f} cold "
        f"(mean {mean_chars} chars)"
    )
    columns = [*CLASSES, NONE]
    if "(unmapped)" in predicted:
        columns.append("(unmapped)")
    pairs = Counter(zip(truth, predicted, strict=True))
    print("\nconfusion (rows: truth, columns: predicted)")
    print(f"{'':>14}" + "".join(f"{c[:8]:>9}" for c in columns))
    for cls in CLASSES:
        print(f"{cls:>14}" + "".join(f"{pairs[cls, c]:>9}" for c in columns))
    top = Counter(r[0].slug for r in results if r)
    print("\ntop topics: " + ", ".join(f"{s} {c}" for s, c in sorted(top.items())))

    shown = 0
    for row, pred, topics in zip(rows, predicted, topics_of, strict=True):
        if shown >= args.errors:
            break
        if pred != row["category"]:
            shown += 1
            print(f"\n{row['id']} [{row['category']} -> {pred}] {row['title']}\n    {topics}")

    if args.bench:
        from bench_topics import main as bench_main

        bench_main(["--taxonomy", str(args.taxonomy)] if args.taxonomy else [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
