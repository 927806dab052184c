"""The HTML parser on the 256 real development pages, scored as ``scripts/eval_pages.py`` does.

The pages and their truth are read from ``../shared/data/pages`` (never copied into the
repository). The floors sit a little below what the parser reaches, so that a change which
makes it worse fails here; ``scripts/eval_pages.py --format html --worst 20`` shows where.
Skipped when the folder is absent, and failing instead under ``CI=true``.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from newsdb.errors import NotAnArticle
from newsdb.parsers.html import parse_html

from .conftest import IN_CI, REPO, SHARED

PAGES = SHARED / "data" / "pages"

# Measured 2026-11-21: body F1 0.963, title 0.859, date 0.984, author overlap 0.908.
FLOORS = {"f1": 0.95, "title": 0.85, "date": 0.96, "author_overlap": 0.89}
MAX_NOT_ARTICLES = 1


def _metric() -> ModuleType:
    """The evaluation script's metric, so that test and script can never disagree."""
    path = REPO / "scripts" / "eval_pages.py"
    spec = importlib.util.spec_from_file_location("eval_pages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("eval_pages", module)
    spec.loader.exec_module(module)
    return module


def score_pages(fmt: str, parse: Callable[[str], Any]) -> Any:
    """Score ``parse`` (page id -> parsed article) over every development page."""
    if not (PAGES / "ground_truth.jsonl").is_file():
        if IN_CI:
            pytest.fail(f"{PAGES} is missing, and CI must run the real-page tests")
        pytest.skip(f"the development pages are not at {PAGES}")
    ev = _metric()
    rows = ev.load_truth(PAGES)
    outputs = []
    for row in rows:
        try:
            article = parse(row["id"])
        except NotAnArticle as exc:
            outputs.append(ev.Output(row["id"], error=f"NotAnArticle: {exc}"))
            continue
        body = "\n\n".join(x for x in (article.standfirst, article.body) if x)
        day = article.published_on.isoformat() if article.published_on else None
        outputs.append(ev.Output(row["id"], body, article.headline, article.byline, day))
    return ev.score(fmt, "newsdb", rows, outputs, wall=0.0)


@pytest.fixture(scope="module")
def scores() -> Any:
    return score_pages(
        "html",
        lambda page: parse_html(
            (PAGES / "html" / f"{page}.html").read_bytes(), path=Path(f"{page}.html")
        ),
    )


def test_body_f1(scores: Any) -> None:
    assert scores.f1 >= FLOORS["f1"], scores.f1
    assert scores.recall > scores.f1 - 0.03  # no trading recall away for the floor


def test_titles_dates_authors(scores: Any) -> None:
    assert scores.title_exact >= FLOORS["title"], scores.title_exact
    assert scores.date_same_day >= FLOORS["date"], scores.date_same_day
    assert scores.author_overlap >= FLOORS["author_overlap"], scores.author_overlap


def test_every_page_parses(scores: Any) -> None:
    # Real articles all; a page given up on would be one whose text only scripts fill in.
    assert scores.errors == 0
    assert scores.not_article <= MAX_NOT_ARTICLES
