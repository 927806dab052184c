"""The text parser on our own example corpus: pages of sites it was not written for.

The truth in tests/data/examples_expected.jsonl was written by hand with the pages.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from newsdb.parsers import parse_page, read_page

from .conftest import EXAMPLES

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "examples_expected.jsonl").read_text().splitlines()
    if line.strip()
]


def _fields(case: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_page(read_page(EXAMPLES / case["file"]))
    words = parsed.body.split()
    return {
        "headline": parsed.headline,
        "outlet": parsed.outlet,
        "section": parsed.section,
        "byline": parsed.byline,
        "agency": parsed.agency,
        "dateline_place": parsed.dateline_place,
        "date": parsed.published_on.isoformat() if parsed.published_on else None,
        "standfirst": parsed.standfirst,
        "body_first": " ".join(words[:8]),
        "body_last": " ".join(words[-8:]),
        # Furniture that leaked into the body (should be none).
        "not_in_body": [s for s in case["not_in_body"] if s in parsed.body],
    }


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_example_page(case: dict[str, Any]) -> None:
    expected = {k: v for k, v in case.items() if k != "file"}
    expected["not_in_body"] = []
    assert _fields(case) == expected


def test_every_example_has_truth() -> None:
    pages = sorted(p.name for p in EXAMPLES.glob("*.txt"))
    assert pages == sorted(c["file"] for c in CASES)
    assert all(dt.date.fromisoformat(c["date"]) for c in CASES if c["date"])
