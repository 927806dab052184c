"""Search snippets on both backends: the matched words are marked wherever they stand.

PostgreSQL cuts a snippet from a window of the body around the first whole-word
occurrence of a query word (newsdb.query.SNIPPET_WINDOW); when that window holds no
match of the whole expression, the first query word in it is marked. These pages put the words
where a careless window would miss them: deep in a long body, far apart, and
inside longer words before their first real occurrence.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from newsdb import query
from newsdb.importer import run_import
from newsdb.query import search_articles

FILLER = (
    "The committee met again on a grey morning and went through the agenda item by item, "
    "with long pauses while members looked for the right page in their folders."
)


def _body(*middle: str, before: int = 0, after: int = 3) -> str:
    return "\n\n".join([FILLER] * before + list(middle) + [FILLER] * after)


PAGES = {
    # The word only after some 8 KB of other text.
    "deep": _body("Only here does the harbour master speak of the lighthouse.", before=50),
    # Both words, 6 KB apart: no window around the first holds the second.
    "apart": _body(
        "A word about the quarry comes first.",
        *[FILLER] * 40,
        "The orchard is named only at the end.",
        before=2,
    ),
    # "glass" inside longer words long before the word itself.
    "inside": _body(
        "Glassworks and fibreglass and glasshouse owners met early.",
        *[FILLER] * 30,
        "At last someone mentioned a glass of water.",
    ),
}


@pytest.fixture
def pages(engine: Engine, tmp_path: Path) -> Engine:
    paths = []
    for i, (name, body) in enumerate(PAGES.items()):
        path = tmp_path / f"{name}.json"
        record = {
            "title": f"Council notes, part {i + 1}",
            "maintext": body,
            "source_domain": "example.org",
            "date_publish": f"2026-03-{i + 1:02d} 09:00:00",
            "url": f"https://example.org/notes/{name}",
        }
        path.write_text(json.dumps(record), encoding="utf-8")
        paths.append(path)
    report = run_import(engine, paths)
    assert report.counts["added"] == len(PAGES)
    return engine


@pytest.mark.parametrize(
    ("expression", "marked"),
    [
        ("lighthouse", ["lighthouse"]),
        ("harbour master", ["harbour", "master"]),
        ("quarry orchard", ["quarry"]),
        ("glass", ["glass"]),
    ],
)
def test_snippets_mark_the_words_wherever_they_stand(
    pages: Engine, expression: str, marked: list[str]
) -> None:
    with Session(pages) as s:
        hits = search_articles(s, expression)
    assert len(hits) == 1
    snippet = hits[0].snippet.lower()
    for word in marked:
        assert f"[{word}]" in snippet, snippet
    # A window cut in the middle of a word would show its tail at the start: the first
    # word must be a whole word of the pages.
    first = hits[0].snippet.split()[0].strip('[].,…"')
    assert re.search(rf"(?<!\w){re.escape(first)}(?!\w)", "\n".join(PAGES.values())), first


def test_snippet_of_a_word_inside_longer_words_marks_the_word_itself(pages: Engine) -> None:
    with Session(pages) as s:
        (hit,) = search_articles(s, "glass")
    assert "[glass] of water" in hit.snippet.lower()
    assert "[glassworks]" not in hit.snippet.lower()


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("Lighthouse", ["lighthouse"]),
        ('"harbour master" speaks', ["harbour", "master", "speaks"]),
        ("quarry or orchard OR mill", ["quarry", "orchard", "mill"]),
        ('glass -water -"stone wall"', ["glass"]),
        ("-glass", []),
        ("naïve café", ["naïve", "café"]),
        ("o'brien", ["o", "brien"]),
        ('"unclosed phrase', ["unclosed", "phrase"]),
    ],
)
def test_anchor_words_are_the_words_a_match_contains(expression: str, words: list[str]) -> None:
    assert query._anchor_words(expression) == words


@pytest.mark.parametrize("expression", ["committee", "committee lighthouse", "grey committee"])
def test_every_hit_of_a_page_gets_its_own_snippet(pages: Engine, expression: str) -> None:
    with Session(pages) as s:
        hits = search_articles(s, expression)
    expected = {"committee": 3, "committee lighthouse": 1, "grey committee": 3}[expression]
    assert len(hits) == expected
    assert len({h.article.id for h in hits}) == expected
    assert all("[committee]" in h.snippet.lower() for h in hits)


@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (1, 1), (2, 1), (5, 2), (2, 3)])
def test_a_page_of_hits_is_that_slice_of_the_ranking(
    pages: Engine, limit: int, offset: int
) -> None:
    """Limit and offset reach the statements as parameters (PostgreSQL reuses its
    statements across searches): every page is the slice of the full ranking."""
    with Session(pages) as s:
        full = [(h.article.id, h.snippet) for h in search_articles(s, "committee")]
        page = [
            (h.article.id, h.snippet)
            for h in search_articles(s, "committee", limit=limit, offset=offset)
        ]
    assert len(full) == 3
    assert page == full[offset : offset + limit]
