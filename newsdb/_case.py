"""Lower-casing that is CPython's ``str.lower`` also in the mypyc-compiled modules.

mypyc compiles ``s.lower()`` to its own loop over code points, which on Python before
3.13 maps each one alone and so misses the one rule of ``str.lower`` that looks at
context: a capital sigma at the end of a word becomes the final sigma "ς", not "σ"
("ΣΑΣ".lower() is "σας"). The compiled modules call :func:`lowercase` instead, which
hands any text with a capital sigma to CPython's own method; every other text is
lower-cased the same by both. tests/test_compiled.py checks it.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["lowercase"]

# Called as a plain Python object, never as mypyc's primitive.
_STR_LOWER: Callable[[str], str] = str.lower


def lowercase(text: str) -> str:
    """``text.lower()``, as CPython computes it."""
    if "Σ" in text:
        return _STR_LOWER(text)
    return text.lower()
