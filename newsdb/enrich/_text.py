"""Sentence boundaries of an article text, found once and looked up by offset."""

from __future__ import annotations

import bisect
import re

# A stop (with the closing quote after it) before a space, or a line break.
_END_RE = re.compile(r"[.!?][\"”’»]?(?=\s)|\n")


class Sentences:
    """Where the sentences of a text start and end.

    Built with one pass over the text; :meth:`bounds` is a binary search. A sentence ends after
    a full stop, question or exclamation mark (and a closing quote) followed by white space,
    and at every line break. Abbreviations ("U.S. President") end sentences too: the rules
    that use sentences only need them roughly.
    """

    __slots__ = ("_starts", "_length")

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in _END_RE.finditer(text))]
        self._length = len(text)

    def bounds(self, pos: int) -> tuple[int, int]:
        """The ``(start, end)`` of the sentence holding ``pos``.

        Args:
            pos: An offset into the text.

        Returns:
            The start of the sentence (after the previous one's end and its space is not
            skipped) and its end (after its stop).
        """
        i = bisect.bisect_right(self._starts, pos) - 1
        start = self._starts[i]
        end = self._starts[i + 1] if i + 1 < len(self._starts) else self._length
        return start, end


_last: Sentences | None = None
_last_text: str | None = None


def sentences_of(text: str) -> Sentences:
    """The :class:`Sentences` of ``text``, shared by the finders that run on the same text."""
    global _last, _last_text
    if _last is None or _last_text is not text:
        _last, _last_text = Sentences(text), text
    return _last
