"""The records that people, quote and outlet finding return (pure data, no logic but joins)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .._pickling import pickled_by_fields

SpeakerKind = Literal["person", "organisation", "outlet"]
OutletKind = Literal["agency", "broadcaster"]


def article_text(headline: str, standfirst: str | None, body: str) -> str:
    """Join an article's parts into the one string every offset refers to.

    Args:
        headline: The headline.
        standfirst: The standfirst, if any.
        body: The body (paragraphs separated by blank lines).

    Returns:
        ``headline + "\\n\\n" + standfirst + "\\n\\n" + body``; the standfirst part is left
        out when it is empty.
    """
    if standfirst and standfirst.strip():
        return f"{headline}\n\n{standfirst}\n\n{body}"
    return f"{headline}\n\n{body}"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PersonMention:
    """One person named in an article, with every mention of them.

    Attributes:
        name: The fullest form used in the article ("Vladimir Putin").
        forms: Every form used, fullest first ("Vladimir Putin", "Putin").
        count: Mentions of any form.
        first_offset: Offset of the first mention in :func:`article_text`.
        role: The role as the article gives it ("Chinese President", "president of
            Roscosmos"), or None when none is given.
        spans: ``(start, end)`` of every mention, in text order (``len(spans) == count``).
    """

    name: str
    forms: tuple[str, ...]
    count: int
    first_offset: int
    role: str | None
    spans: tuple[tuple[int, int], ...] = ()


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation of five words or more (a statement).

    Attributes:
        text: The quoted words; the parts of a quote split around its attribution ("...," he
            said, "...") are joined with one space.
        speaker: The person's :attr:`PersonMention.name`, the outlet's canonical name, or the
            organisation's name as written; None when unknown.
        speaker_kind: What the speaker is; None when unknown.
        cue: The attributing verb or phrase as written ("said", "told", "added"), if any.
        offset: Offset of the quotation's first word in :func:`article_text`.
    """

    text: str
    speaker: str | None
    speaker_kind: SpeakerKind | None
    cue: str | None
    offset: int


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class CitedOutlet:
    """A news agency or broadcaster that an article names as a source of information.

    Attributes:
        name: The canonical name ("TASS", "RIA Novosti", "CCTV"); an outlet not in the
            outlet table keeps the name as written.
        kind: "agency" or "broadcaster".
        offset: Offset of its first mention in :func:`article_text`.
    """

    name: str
    kind: OutletKind
    offset: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything found in one article.

    Attributes:
        text: The :func:`article_text` all offsets refer to.
        people: The people named, in order of first mention.
        quotes: The statements, in text order.
        cited: The outlets cited as sources, in order of first mention.
    """

    text: str
    people: tuple[PersonMention, ...]
    quotes: tuple[Quote, ...]
    cited: tuple[CitedOutlet, ...]
