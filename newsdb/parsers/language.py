"""The language of an article: what the page declares, checked against what the text says.

Detection uses py3langid (Naive Bayes over byte n-grams, 97 languages, model shipped inside the
package, offline). It was chosen over langdetect and lingua on the 248 development pages that
declare a language: all three agreed with every correct declaration, py3langid was 6-8x faster
(about 1,100 texts of 3,000 characters a second on one core, against 200 for langdetect and 150
for lingua), loads in 0.6 s (lingua's high-accuracy models take 8 s) and is deterministic
(langdetect is random unless seeded). See docs/html-importer.md.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

from .normalize import STOP_WORDS, WORD_RE

__all__ = ["choose_language", "declared_language", "detect_language"]

# Below this many characters a detector's guess is a coin toss between neighbours.
_MIN_CHARS = 40
# How much text the detector reads: a few paragraphs settle it, and the cost stays flat.
_SAMPLE_CHARS = 3000
# A declared language is overruled only by a detection this sure, on this much text.
_OVERRULE_PROBABILITY = 0.99
_OVERRULE_CHARS = 500
# Share of a text's words that are stop words of its language: running text has 25-50%; a
# text in another language almost none.
_STOP_SHARE = 0.15
# Codes that name the same written language (Norwegian Bokmål is "no" on most sites).
_SAME = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "ji": "yi"}
_TAG_RE = re.compile(r"^\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*\s*$")


@cache
def _identifier() -> Any:
    # Loaded on first use (about 0.6 s), once per process.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _same(a: str, b: str) -> bool:
    return _SAME.get(a, a) == _SAME.get(b, b)


def declared_language(tag: str | None) -> str | None:
    """Read a page's language tag as an ISO 639-1 code.

    Args:
        tag: A BCP 47 tag as pages give it (``"en-US"``, ``"de_DE"``, ``"nb-NO"``), or None.

    Returns:
        The lower-case two-letter primary code (``"en"``), or None when the tag is missing,
        empty or not a two-letter language (``"x-default"``, ``"und"``).
    """
    if not tag:
        return None
    m = _TAG_RE.match(tag)
    return m.group(1).lower() if m else None


def _detect(text: str) -> tuple[str, float] | None:
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_CHARS:
        return None
    lang, probability = _identifier().classify(sample)
    return str(lang), float(probability)


def detect_language(text: str) -> str | None:
    """Guess the language of a text.

    Args:
        text: Article text; the first 3,000 characters are read.

    Returns:
        An ISO 639-1 code, or None when the text is too short (under 40 characters) to tell.
    """
    found = _detect(text)
    return found[0] if found is not None else None


def _stop_share(text: str, lang: str) -> float:
    words = STOP_WORDS.get(lang)
    if words is None:
        return 0.0
    tokens = Counter(WORD_RE.findall(text[:_SAMPLE_CHARS].lower()))
    total = sum(tokens.values())
    return sum(n for w, n in tokens.items() if w in words) / total if total else 0.0


def choose_language(declared: str | None, text: str) -> tuple[str | None, str | None]:
    """Decide an article's language from what the page declares and what its text says.

    The declared language wins unless the detector is very sure of another one on a long
    text: site templates often keep their CMS's default (6 of the 248 development pages
    declare ``en`` for Swahili, Zulu or Xhosa articles). When the text is mostly stop words
    of the declared language the detector is not run at all.

    Args:
        declared: The page's own tag (``<html lang>``, JSON-LD ``inLanguage``), raw.
        text: The article's text.

    Returns:
        ``(code, method)``: the ISO 639-1 code or None, and how it was found (``"meta"``
        for the declaration, ``"heuristic"`` for detection) or None.
    """
    code = declared_language(declared)
    if code is not None:
        if len(text) < _OVERRULE_CHARS or _stop_share(text, code) >= _STOP_SHARE:
            return code, "meta"
        found = _detect(text)
        if found is not None and not _same(found[0], code) and found[1] >= _OVERRULE_PROBABILITY:
            return found[0], "heuristic"
        return code, "meta"
    guess = detect_language(text)
    return guess, ("heuristic" if guess is not None else None)
