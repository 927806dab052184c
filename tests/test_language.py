"""Tests of language declaration reading and detection."""

from __future__ import annotations

import pytest

from newsdb.parsers.language import choose_language, declared_language, detect_language

ENGLISH = (
    "The harbour board voted on Tuesday to rebuild the old quay wall, which was damaged by "
    "the winter storms. Work will start in June and should end before the autumn ferries. "
) * 8
GERMAN = (
    "Der Hafenrat hat am Dienstag beschlossen, die alte Kaimauer wieder aufzubauen, die bei "
    "den Winterstürmen beschädigt worden war. Die Arbeiten sollen im Juni beginnen. "
) * 8
SWAHILI = (
    "Bodi ya bandari imeamua kujenga upya ukuta wa gati uliobomolewa na dhoruba za msimu wa "
    "baridi. Kazi itaanza mwezi wa sita na itakamilika kabla ya vivuko kurudi. "
) * 8


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-US", "en"), ("de_DE", "de"), ("nb-NO", "nb"), ("FR", "fr"), (" pt-br ", "pt")],
)
def test_declared_language(tag: str, code: str) -> None:
    assert declared_language(tag) == code


@pytest.mark.parametrize("tag", [None, "", "x-default", "und", "english", "e"])
def test_no_usable_declaration(tag: str | None) -> None:
    assert declared_language(tag) is None


def test_detection() -> None:
    assert detect_language(ENGLISH) == "en"
    assert detect_language(GERMAN) == "de"
    assert detect_language("Hi") is None  # too short to tell


def test_declaration_wins_on_agreeing_or_short_text() -> None:
    assert choose_language("en-GB", ENGLISH) == ("en", "meta")
    assert choose_language("de", "Kurz.") == ("de", "meta")


def test_a_template_default_is_overruled_by_plain_evidence() -> None:
    assert choose_language("en-US", SWAHILI) == ("sw", "heuristic")
    assert choose_language("en", GERMAN) == ("de", "heuristic")


def test_without_a_declaration_the_text_decides() -> None:
    assert choose_language(None, GERMAN) == ("de", "heuristic")
    assert choose_language("", "") == (None, None)
