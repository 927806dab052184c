"""The text parser on our own example corpus: pages of sites it was not written for.

The truth in tests/data/examples_expected.jsonl was written by hand with the pages. Each field
of each page is its own test. The fields the parser still gets wrong are listed in KNOWN_GAPS
and marked as strict expected failures: fixing one makes its test fail until it is removed from
the list, so the list can only shrink honestly. They are the text importer's to-do list.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from newsdb.parsers import parse_page, read_page

from .conftest import EXAMPLES

TRUTH = Path(__file__).parent / "data" / "examples_expected.jsonl"
CASES = {
    case["file"]: case for case in map(json.loads, TRUTH.read_text(encoding="utf-8").splitlines())
}
FIELDS = [
    "headline", "outlet", "section", "byline", "agency", "dateline_place", "date",
    "standfirst", "body_first", "body_last", "not_in_body",
]  # fmt: skip

KNOWN_GAPS: set[tuple[str, str]] = set()


@cache
def _found(file: str) -> dict[str, Any]:
    parsed = parse_page(read_page(EXAMPLES / file))
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
        "not_in_body": [s for s in CASES[file]["not_in_body"] if s in parsed.body],
    }


def _params() -> list[Any]:
    params = []
    for file in sorted(CASES):
        for field in FIELDS:
            marks = (
                [pytest.mark.xfail(strict=True, reason="known gap of the text parser")]
                if (file, field) in KNOWN_GAPS
                else []
            )
            params.append(pytest.param(file, field, marks=marks, id=f"{file}-{field}"))
    return params


@pytest.mark.parametrize(("file", "field"), _params())
def test_example_field(file: str, field: str) -> None:
    expected = [] if field == "not_in_body" else CASES[file][field]
    assert _found(file)[field] == expected


def test_every_example_has_truth() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.txt")) == sorted(CASES)
