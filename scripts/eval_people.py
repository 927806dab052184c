"""Measure ``find_people`` on the GUM news and interview documents (document-level P/R/F1).

Usage::

    python scripts/eval_people.py [FILE ...] [--errors] [--baseline]

``FILE`` is a JSON-lines file as described in ``../shared/data/people/README.md`` (default: that
folder's ``gum_news.jsonl`` and ``gum_interview.jsonl``). For each document the set of people we
find (one canonical name per person, the fullest form used in the document) is compared with the
gold people (for each gold entity its fullest name: most words, then most characters). A person
counts as right only when the two names are equal. Prints, per file, micro P/R/F1 (counts pooled
over documents, the headline figure) and the mean of per-document F1 (a document with no gold
and no prediction counts 1), then documents per second for ``analyse`` (people, quotes and cited
outlets) on these texts.

``--no-gazetteer`` measures with our own name lists only, even when the optional ``faker``
package (whose person providers are read as a gazetteer of given and family names) is installed.

``--errors`` lists, per document, the names missed (``-``) and the names found wrongly (``+``),
for looking at the rules as a whole, not for tuning to single documents. ``--baseline`` also
scores the naive rule "every run of two or more capitalised words".

The GUM text is tokenised ("Trump 's", "did n't"); it is joined back (``detokenize``) and the
first line (the headline) is passed as the headline, the other lines (one sentence each) as the
body.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from newsdb.enrich import _lexicon  # noqa: E402
from newsdb.enrich.people import analyse, find_people  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "people"
DEFAULT_FILES = [DATA / "gum_news.jsonl", DATA / "gum_interview.jsonl"]

_CLITIC_RE = re.compile(r" (['’`](?:s|re|ve|ll|d|m)|n['’`]t)\b")
_HYPHEN_RE = re.compile(r"(?<=\w) - (?=\w)")
_CAPS_RUN_RE = re.compile(r"\b[A-Z][\w'-]*(?: [A-Z][\w'-]*)+")


def detokenize(text: str) -> str:
    """Undo GUM's tokenisation where it splits words ("Trump 's" -> "Trump's")."""
    return _HYPHEN_RE.sub("-", _CLITIC_RE.sub(r"\1", text))


def gold_names(doc: dict[str, object]) -> set[str]:
    """The fullest name of each gold person of a document."""
    out: set[str] = set()
    for entity in doc["person_entities"]:  # type: ignore[attr-defined]
        names = entity["names"]
        out.add(max(names, key=lambda n: (len(n.split()), len(n))))
    return out


def split_doc(doc: dict[str, object]) -> tuple[str, str]:
    """Headline (first line) and body (the other lines) of a GUM document."""
    lines = detokenize(str(doc["text"])).split("\n")
    return lines[0], "\n".join(lines[1:])


def predict(doc: dict[str, object]) -> set[str]:
    headline, body = split_doc(doc)
    return {p.name for p in find_people(headline, None, body)}


def baseline(doc: dict[str, object]) -> set[str]:
    """Every run of two or more capitalised words (the naive rule)."""
    headline, body = split_doc(doc)
    return set(_CAPS_RUN_RE.findall(body))


def score(
    docs: list[dict[str, object]], fn: object, *, errors: bool
) -> tuple[float, float, float, float]:
    """Micro precision, recall, F1 and mean per-document F1."""
    tp = fp = fn_ = 0
    doc_f1: list[float] = []
    for doc in docs:
        gold = gold_names(doc)
        got = fn(doc)  # type: ignore[operator]
        t, f, m = len(gold & got), len(got - gold), len(gold - got)
        tp, fp, fn_ = tp + t, fp + f, fn_ + m
        doc_f1.append(1.0 if not gold and not got else 2 * t / (2 * t + f + m))
        if errors and (f or m):
            print(f"  {doc['id']}: -{sorted(gold - got)} +{sorted(got - gold)}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn_) if tp + fn_ else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, sum(doc_f1) / len(doc_f1)


def main() -> None:
    """Print the scores of every file, then the speed."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    ap.add_argument("--errors", action="store_true", help="list missed and wrong names")
    ap.add_argument("--baseline", action="store_true", help="also score capitalised runs")
    ap.add_argument(
        "--no-gazetteer", action="store_true", help="our own name lists only (no faker names)"
    )
    args = ap.parse_args()
    if args.no_gazetteer:
        _lexicon.USE_GAZETTEER = False
    lex = _lexicon.lexicon()
    print(
        f"given names: {len(lex.given)} ours + {len(lex.given_extra)} from the gazetteer; "
        f"family names from the gazetteer: {len(lex.family_extra)}"
    )
    all_docs: list[dict[str, object]] = []
    for path in args.files:
        docs = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        all_docs += docs
        p, r, f1, mean = score(docs, predict, errors=args.errors)
        print(
            f"{path.name}: {len(docs)} docs  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  "
            f"(mean per-doc F1 {mean:.3f})"
        )
        if args.baseline:
            p, r, f1, mean = score(docs, baseline, errors=False)
            print(f"  baseline (capitalised runs): P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    parts = [split_doc(d) for d in all_docs]
    size = sum(len(h) + len(b) for h, b in parts) / len(parts)
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for headline, body in parts:
            analyse(headline, None, body)
        best = min(best, time.process_time() - start)
    print(
        f"speed: {len(parts) / best:,.0f} docs/s (analyse: people, quotes, cited; "
        f"{len(parts)} docs of {size / 1000:.1f} KB on average, best of 3, CPU time)"
    )


if __name__ == "__main__":
    main()
