"""Near-duplicate texts: word shingles, a bottom-k sketch, and Jaccard similarity.

Syndicated wire copy reaches many sites with different page furniture and
light edits. Two bodies tell one story when the sets of their word shingles
(runs of :data:`SHINGLE` words) overlap by at least a threshold (Jaccard
similarity). Comparing every pair is quadratic, so each article keeps a
*sketch*: the :data:`SKETCH` smallest hashes of its shingles. Two near
duplicates share most of their smallest hashes, two unrelated texts almost none,
so a shared sketch hash makes a candidate, and candidates are confirmed on their
full shingle sets.

Pure functions; hashes are stable across processes, runs and machines (not
Python's randomised ``hash``). A text's words are its lower-cased ``\\w+`` runs.
The hash of a shingle is computed for all shingles of a text at once with numpy
(revision 0006 of the schema; the CRC-32 of every shingle, one Python call each,
was a quarter of a worker's time per page). It is defined on code points, modulo
2**64, so that a few lines of plain Python give the same numbers
(tests/test_pipeline.py holds them):

- a word ``w`` of code points ``c_0 .. c_{L-1}``:
  ``word(w) = sum(c_j * P**(L-1-j))``;
- a shingle of words ``w_0 .. w_{k-1}`` (``k`` = :data:`SHINGLE`, or all the
  words of a shorter text): ``s = sum(word(w_m) * Q**(k-1-m))``;
- its hash: the top 32 bits of :func:`_mix` (the SplitMix64 finaliser) of ``s``.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from newsdb._case import lowercase

__all__ = ["SHINGLE", "SKETCH", "jaccard", "shingle_hashes", "shingles", "sketch"]

# Words per shingle: long enough that stock phrases ("said in a statement on")
# rarely make unrelated articles candidates, short enough to survive light edits.
SHINGLE = 6
# Hashes kept per article for candidate lookup.
SKETCH = 4
# Texts shorter than this many words get no sketch: a two-line stub matches
# too much by chance.
MIN_WORDS = 40

_WORD = re.compile(r"\w+")

# The multipliers of the two polynomials (odd, so invertible modulo 2**64): the
# 64-bit FNV prime for the code points of a word, the golden-ratio constant for
# the words of a shingle.
P = 0x100000001B3
Q = 0x9E3779B97F4A7C15
_U64 = np.uint64
_P_INV = pow(P, -1, 1 << 64)

# Which code points below 128 are word characters; entry 128 stands for every
# other code point (a word character unless found otherwise, see _word_mask).
_ASCII_WORD = np.array([bool(_WORD.fullmatch(chr(c))) for c in range(128)] + [True])
_ASCII_TABLE = bytes(int(b) for b in _ASCII_WORD[:128]) + bytes(128)

# P**i and P**-i modulo 2**64 for i < len(...), grown on demand (8 bytes each).
_powers = np.ones(1, dtype=_U64)
_inverse_powers = np.ones(1, dtype=_U64)


def _power_tables(n: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    global _powers, _inverse_powers
    if len(_powers) < n:
        size = max(n, 2 * len(_powers), 8192)
        steps = np.full(size, P, dtype=_U64)
        steps[0] = 1
        _powers = np.cumprod(steps)  # unsigned arithmetic wraps: modulo 2**64
        steps[1:] = _P_INV
        _inverse_powers = np.cumprod(steps)
    return _powers, _inverse_powers


def _word_mask(lowered: str) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int8]]:
    """The code points of ``lowered`` and, for each, 1 where ``\\w`` matches it, else 0.

    The mask has one 0 more at each end, so that every word starts and ends inside it.
    """
    if lowered.isascii():
        raw = lowered.encode("ascii")
        points = np.frombuffer(raw, dtype=np.uint8).astype(_U64)
        return points, np.frombuffer(b"\0" + raw.translate(_ASCII_TABLE) + b"\0", dtype=np.int8)
    codes = np.frombuffer(lowered.encode("utf-32-le"), dtype=np.uint32)
    mask = np.zeros(len(codes) + 2, dtype=np.int8)
    mask[1:-1] = _ASCII_WORD[np.minimum(codes, 128)]
    others = [ord(ch) for ch in set(lowered) if ch > "\x7f" and not _WORD.fullmatch(ch)]
    if others:
        mask[1:-1][np.isin(codes, others)] = 0
    return codes.astype(_U64), mask


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: every input bit moves every output bit."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def shingle_hashes(lowered: str) -> tuple[npt.NDArray[np.uint64], int]:
    """The hash of every shingle of a lower-cased text (repeats kept) and its word count."""
    points, mask = _word_mask(lowered)
    edges = mask[1:] - mask[:-1]
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    words = len(starts)
    if not words:
        return np.zeros(0, dtype=_U64), 0
    powers, inverse = _power_tables(len(points))
    # word(w) from prefix sums of c_j * P**-j: (sum over the word) * P**(last index).
    prefix = np.zeros(len(points) + 1, dtype=_U64)
    np.cumsum(points * inverse[: len(points)], out=prefix[1:])
    values = (prefix[ends] - prefix[starts]) * powers[ends - 1]
    k = min(SHINGLE, words)
    count = words - k + 1
    shingle = values[:count].copy()
    for m in range(1, k):
        shingle *= _U64(Q)
        shingle += values[m : m + count]
    return _mix(shingle) >> _U64(32), words


def shingles(text: str) -> set[int]:
    """The hashed word shingles of ``text`` (lower-cased ``\\w+`` tokens)."""
    return set(shingle_hashes(lowercase(text))[0].tolist())


def sketch(text: str) -> tuple[int, ...]:
    """The :data:`SKETCH` smallest shingle hashes of ``text``, ascending.

    Empty for texts under :data:`MIN_WORDS` words (as written, not lower-cased).
    """
    lowered = lowercase(text)
    hashes, words = shingle_hashes(lowered)
    # Lower-casing splits a word only where it adds a character: "İ" becomes "i" and a
    # combining dot (the one such letter in Unicode 14); then words are counted as written.
    if len(lowered) != len(text):
        words = len(_WORD.findall(text))
    if words < MIN_WORDS:
        return ()
    # The few smallest of ~600: a partial sort, then the distinct ones.
    few = min(len(hashes), 4 * SKETCH)
    hashes.partition(few - 1)  # in place: the array is this call's own
    smallest = sorted(set(hashes[:few].tolist()))
    if len(smallest) < SKETCH and few < len(hashes):
        smallest = sorted(set(hashes.tolist()))
    return tuple(smallest[:SKETCH])


def jaccard(a: set[int], b: set[int]) -> float:
    """Jaccard similarity of two shingle sets (0.0 when both are empty)."""
    if not a and not b:
        return 0.0
    shared = len(a & b)  # the union's size from it: no second set built
    return shared / (len(a) + len(b) - shared)
