"""Near-duplicate texts: word shingles, a bottom-k sketch, and Jaccard similarity.

Syndicated wire copy reaches many sites with different page furniture and
light edits. Two bodies tell one story when the sets of their word shingles
(runs of :data:`SHINGLE` words) overlap by at least a threshold (Jaccard
similarity). Comparing every pair is quadratic, so each article keeps a
*sketch*: the :data:`SKETCH` smallest hashes of its shingles. Two near
duplicates share most of their smallest hashes, two unrelated texts almost none,
so a shared sketch hash makes a candidate, and candidates are confirmed on their
full shingle sets.

Pure functions; hashes are stable across processes and runs (CRC-32 of UTF-8,
not Python's randomised ``hash``).
"""

from __future__ import annotations

import heapq
import re
import zlib
from itertools import accumulate

__all__ = ["SHINGLE", "SKETCH", "jaccard", "shingles", "sketch"]

# Words per shingle: long enough that stock phrases ("said in a statement on")
# rarely make unrelated articles candidates, short enough to survive light edits.
SHINGLE = 6
# Hashes kept per article for candidate lookup.
SKETCH = 4
# Texts shorter than this many words get no sketch: a two-line stub matches
# too much by chance.
MIN_WORDS = 40

_WORD = re.compile(r"\w+")


def _hashes(words: list[str]) -> set[int]:
    """CRC-32 of every run of :data:`SHINGLE` words joined by one space (UTF-8)."""
    if len(words) < SHINGLE:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    # One encoded string and the byte offset of every word in it: each shingle is a slice,
    # not a join and an encode of its own (the same bytes, so the same hashes).
    joined = " ".join(words).encode()
    starts = [0, *accumulate(len(word) + 1 for word in joined.split(b" "))]
    crc = zlib.crc32
    pairs = zip(starts[:-SHINGLE], starts[SHINGLE:], strict=True)
    return {crc(joined[a : b - 1]) for a, b in pairs}


def shingles(text: str) -> set[int]:
    """The hashed word shingles of ``text`` (lower-cased ``\\w+`` tokens)."""
    return _hashes(_WORD.findall(text.lower()))


def sketch(text: str) -> tuple[int, ...]:
    """The :data:`SKETCH` smallest shingle hashes of ``text``, ascending.

    Empty for texts under :data:`MIN_WORDS` words (as written, not lower-cased).
    """
    lowered = text.lower()
    words = _WORD.findall(lowered)
    # Lower-casing splits a word only where it adds a character: "İ" becomes "i" and a
    # combining dot (the one such letter in Unicode 14); then words are counted as written.
    count = len(words) if len(lowered) == len(text) else len(_WORD.findall(text))
    if count < MIN_WORDS:
        return ()
    # A heap finds the few smallest of ~600 hashes three times faster than sorting them all.
    return tuple(heapq.nsmallest(SKETCH, _hashes(words)))


def jaccard(a: set[int], b: set[int]) -> float:
    """Jaccard similarity of two shingle sets (0.0 when both are empty)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)
