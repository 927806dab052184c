"""Find direct quotations of five words or more and who said them.

Pure functions; offsets are into :func:`newsdb.enrich.people.article_text`. The rules:

1. **Quotation marks** pair up in text order: straight and curly double quotes, guillemets,
   and curly single quotes that open after a space. A paragraph break ends an unclosed quote
   (a quote running over paragraphs reopens in the next one); an opening mark met while a
   quote is open starts a new quote when the open one cannot close there
   ("...lunar base“, added ...": a wrong-way mark after a word closes).
2. **Statements** have five words or more; shorter quoted phrases ("friends", "dear friend")
   are not quotes. The two halves of a quote split around its attribution (``"...," he said,
   "..."``) are one quote.
3. **The speaker**, in this order: named right after the quote (``"...," Putin said`` /
   ``"...," said Bolden`` / ``"...," the broadcaster said``), named before it with a speech
   verb (``Xi said that "..."``, ``Xi said: "..."``, ``China, for its part, said it was
   "..."``), or "according to X" later in the sentence. A pronoun ("he", "she") is the person
   the sentence or the ones before it are about (the first person named there, outside
   quotes); "it" is the organisation or outlet that spoke last. "The broadcaster", "the agency"
   are the outlet cited last; "the Chinese leader", "the head of Roscosmos" are the person
   whose role shares a word with them, else the person spoken of last. A country or
   organisation named as the speaker ("China", "the Kremlin") is an organisation; a known
   outlet is an outlet.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from operator import itemgetter

from newsdb.agencies import canonical_outlet
from newsdb.enrich._lexicon import lexicon
from newsdb.enrich._records import (
    CitedOutlet,
    PersonMention,
    Quote,
    SpeakerKind,
    article_text,
)
from newsdb.enrich._text import sentences_of
from newsdb.parsers.normalize import trie_alternation

__all__ = ["Quote", "find_quotes", "quotes_in_text"]

MIN_WORDS = 5

_DOUBLE_OPEN = '"“„«'
_DOUBLE_CLOSE = '"”“»'
_QUOTE_CHARS = '"“”„«»‘’'
_STOP_RE = re.compile(r"[.!?]\s")
_WORDS_RE = re.compile(r"[\w-]+")
_CAPITALISED_RE = re.compile(r"(?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*)*")
_PRONOUNS = {"he": "person", "she": "person", "it": "other", "they": "other"}
_ARTICLES = ("the ", "a ", "an ", "The ", "A ", "An ")
_ADVERBS_RE = re.compile(r"(?: (?:also|then|later|again|has|had|have|once|earlier|repeatedly))+$")


class _Span:
    """A quotation: where its words are, and where its marks are."""

    __slots__ = ("open", "close", "start", "end")

    open: int  # the opening mark
    close: int  # the closing mark (its offset)
    start: int  # first character inside
    end: int  # one past the last character inside

    def __init__(self, open: int, close: int, start: int, end: int) -> None:
        self.open = open
        self.close = close
        self.start = start
        self.end = end


@cache
def _cue_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cues = trie_alternation(lexicon().cues)
    speaker = r"(?:[\w'’.-]+ ){0,6}?[\w'’.-]+"
    clause = r"[^,.;:!?\n\"“”«»]{1,80}"
    after = re.compile(
        rf"\s*,?\s*(?:(?P<cue1>{cues}) (?P<spk1>{clause})|"
        rf"(?P<spk2>{speaker}),? (?:also |then |later |again |has |had )?(?P<cue2>{cues})\b|"
        rf"according to (?P<spk3>{clause}))"
    )
    before = re.compile(rf"\b(?P<cue>{cues})\b(?: that| it was| it is| they were)?\s*[:,]?\s*$")
    anywhere = re.compile(rf"\b(?P<cue>{cues})\b")
    return after, before, anywhere


def _quote_marks(text: str) -> list[int]:
    """The offsets of every quotation mark, in text order (a literal search for each mark is
    many times faster than one regex over the whole text)."""
    out: list[int] = []
    find = text.find
    for mark in _QUOTE_CHARS:
        at = find(mark)
        while at >= 0:
            out.append(at)
            at = find(mark, at + 1)
    out.sort()
    return out


def _spans(text: str) -> list[_Span]:
    """Pair quotation marks into spans."""
    out: list[_Span] = []
    open_at = -1
    open_char = ""
    n = len(text)
    for i in _quote_marks(text):
        c = text[i]
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if c in "‘’":
            # Curly single quotes: only a ‘ after a space opens, only a ’ before a space or
            # punctuation closes (a ’ inside a word is an apostrophe).
            if open_at >= 0 and open_char != "‘":
                continue
            if (
                c == "‘"
                and open_at < 0
                and (prev.isspace() or prev in "([—-")
                and not nxt.isspace()
            ):
                open_at, open_char = i, c
            elif c == "’" and open_at >= 0 and not prev.isspace() and not nxt.isalnum():
                out.append(_Span(open_at, i, open_at + 1, i))
                open_at = -1
            continue
        if open_at >= 0 and open_char in "‘’":
            open_at = -1  # a double mark inside single quotes: the single ones were apostrophes
        if open_at >= 0 and "\n\n" in text[open_at:i]:
            open_at = -1  # unclosed at a paragraph's end
        opens_here = (prev.isspace() or prev in "([—-/" or i == 0) and not nxt.isspace()
        if open_at < 0:
            if c in _DOUBLE_OPEN and (opens_here or (c != '"' and not nxt.isspace())):
                open_at, open_char = i, c
            continue
        closes_here = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
        if c in _DOUBLE_CLOSE and closes_here:
            out.append(_Span(open_at, i, open_at + 1, i))
            open_at = -1
        elif c in _DOUBLE_OPEN and opens_here:
            open_at, open_char = i, c  # the open one never closed
    return out


@lru_cache(maxsize=4096)
def _role_words(role: str) -> frozenset[str]:
    """The words of a role ("Chinese President" -> {"chinese", "president"})."""
    return frozenset(_WORDS_RE.findall(role.casefold()))


_span_of = itemgetter(0, 1)


class _Resolver:
    """Turns a speaker phrase into a person, outlet or organisation."""

    def __init__(
        self,
        text: str,
        people: Sequence[PersonMention],
        cited: Sequence[CitedOutlet],
        spans: list[_Span],
    ) -> None:
        self.text = text
        self.sentences = sentences_of(text)
        self.people = people
        self.cited = cited
        self.quoted = spans
        self.mentions = sorted(
            [(s, e, p) for p in people for s, e in (p.spans or ((p.first_offset,) * 2,))],
            key=_span_of,
        )
        self._starts = [m[0] for m in self.mentions]
        self._opens = [q.open for q in spans]
        self.last_other: tuple[str, SpeakerKind] | None = None

    def _inside_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._opens, pos) - 1
        return i >= 0 and self.quoted[i].open < pos < self.quoted[i].close

    def _first_in(self, start: int, end: int, *, outside_quotes: bool) -> PersonMention | None:
        i = bisect.bisect_left(self._starts, start)
        while i < len(self.mentions) and self.mentions[i][0] < end:
            s, e, p = self.mentions[i]
            if e <= end and not (outside_quotes and self._inside_quote(s)):
                return p
            i += 1
        return None

    def person_in(self, start: int, end: int) -> PersonMention | None:
        return self._first_in(start, end, outside_quotes=False)

    def subject_before(self, pos: int) -> PersonMention | None:
        """The person the text before ``pos`` is about: the first one named, outside quotes,
        in the sentence of ``pos``, else in each sentence before it (three at most)."""
        end = pos
        for _ in range(4):
            start, _stop = self.sentences.bounds(max(0, end - 1))
            found = self._first_in(start, end, outside_quotes=True)
            if found is not None:
                return found
            if start == 0:
                return None
            end = start - 1
        return None

    def by_role(self, phrase: str, pos: int) -> PersonMention | None:
        words = {w for w in _WORDS_RE.findall(phrase.casefold()) if w not in {"the", "of"}}
        best: PersonMention | None = None
        best_score = 0
        for p in self.people:
            if p.first_offset >= pos or not p.role:
                continue
            shared = words.intersection(_role_words(p.role))
            if len(shared) > best_score:
                best, best_score = p, len(shared)
        return best or self.subject_before(pos)

    def outlet_before(self, pos: int, noun: str) -> CitedOutlet | None:
        kind = "agency" if noun in {"agency", "wire"} else "broadcaster"
        best: CitedOutlet | None = None
        for c in self.cited:
            if c.offset < pos and (best is None or c.offset > best.offset):
                if c.kind == kind or noun in {"outlet", "media", "website"}:
                    best = c
        return best

    def resolve(self, phrase: str, start: int) -> tuple[str | None, SpeakerKind | None]:
        lex = lexicon()
        end = start + len(phrase)
        person = self.person_in(start, end)
        if person is not None:
            return person.name, "person"
        bare = phrase.strip()
        low = bare.casefold()
        if low in _PRONOUNS:
            if _PRONOUNS[low] == "person":
                p = self.subject_before(start)
                return (p.name, "person") if p else (None, None)
            return self.last_other if self.last_other else (None, None)
        nominal = bare.startswith(_ARTICLES)
        words = bare.split()
        head = words[-1] if words else ""
        outlet = canonical_outlet(bare[4:] if bare.startswith(("the ", "The ")) else bare)
        if outlet is not None:
            return outlet.name, "outlet"
        if nominal and head.casefold() in lex.outlet_nouns:
            c = self.outlet_before(start, head.casefold())
            return (c.name, "outlet") if c else (None, None)
        if nominal and any(w.casefold() in lex.role_nouns for w in words):
            p = self.by_role(bare, start)
            return (p.name, "person") if p else (None, None)
        name_words = [w for w in words if w[:1].isupper() and w.casefold() not in lex.not_names]
        if name_words and len(name_words) == len(words) - (1 if nominal else 0):
            return " ".join(name_words), "organisation"
        return None, None


def _speaker_after(
    text: str, span: _Span, stop: int, resolver: _Resolver
) -> tuple[str | None, SpeakerKind | None, str | None] | None:
    after_re, _, _ = _cue_patterns()
    m = after_re.match(text, span.close + 1, min(stop, span.close + 160))
    if m is None:
        return None
    for spk, cue in (("spk1", "cue1"), ("spk2", "cue2"), ("spk3", None)):
        if m.group(spk) is not None:
            speaker, kind = resolver.resolve(m.group(spk), m.start(spk))
            return speaker, kind, (m.group(cue) if cue else "according to")
    return None


_BEFORE_REACH = 80


def _speaker_before(
    text: str, span: _Span, start: int, resolver: _Resolver
) -> tuple[str | None, SpeakerKind | None, str | None] | None:
    _, before_re, anywhere_re = _cue_patterns()
    lex = lexicon()
    # The cue ends the text before the quote: its last characters are enough to search.
    m = before_re.search(text, max(start, span.open - _BEFORE_REACH), span.open)
    if m is None:
        cues = [
            c
            for c in anywhere_re.finditer(text, start, span.open)
            if not resolver._inside_quote(c.start())
        ]
        if not cues:
            return None
        m = cues[-1]
    cue_at = m.start("cue")
    # The subject: a person named between the sentence start and the cue, else the first
    # capitalised name there (a country, an organisation, an outlet).
    person = resolver.person_in(start, cue_at)
    if person is not None:
        return person.name, "person", m.group("cue")
    chunk = text[start:cue_at]
    lead = _ADVERBS_RE.sub("", chunk.strip().split(",")[0].strip())
    if lead.casefold() in _PRONOUNS or lead.startswith(_ARTICLES):
        speaker, kind = resolver.resolve(lead, start + max(0, chunk.find(lead)))
        return speaker, kind, m.group("cue")
    for w in _CAPITALISED_RE.finditer(chunk):
        first = w.group().removeprefix("the ").split()[0]
        if first.casefold() in lex.not_names:
            continue
        speaker, kind = resolver.resolve(w.group(), start + w.start())
        if speaker is not None:
            return speaker, kind, m.group("cue")
        break
    return None, None, m.group("cue")


def quotes_in_text(
    text: str, people: Sequence[PersonMention], cited: Sequence[CitedOutlet] = ()
) -> list[Quote]:
    """Find the statements in an already joined article text.

    Args:
        text: The :func:`~newsdb.enrich.people.article_text` of the article.
        people: The people found in the same text (their spans are used).
        cited: The outlets cited in the same text (for "the broadcaster said").

    Returns:
        The statements, in text order.
    """
    spans = _spans(text)
    if not spans:
        return []  # (no quotation marks: no sentences to cut, no mentions to sort)
    resolver = _Resolver(text, people, cited, spans)
    out: list[Quote] = []
    i = 0
    while i < len(spans):
        span = spans[i]
        words = text[span.start : span.end]
        last = span
        attribution: tuple[str | None, SpeakerKind | None, str | None] | None = None
        # "...," he said, "...": the halves are one quote.
        if i + 1 < len(spans):
            nxt = spans[i + 1]
            between = text[span.close + 1 : nxt.open]
            if (
                len(between) < 100
                and words.rstrip().endswith((",", "…", "..."))
                and between.rstrip().endswith((",", ":"))
                and not _STOP_RE.search(between)
            ):
                found = _speaker_after(text, span, nxt.open, resolver)
                if found is not None:
                    attribution = found
                    words = words.rstrip().rstrip(",") + " " + text[nxt.start : nxt.end]
                    last = nxt
                    i += 1
        i += 1
        parts = words.split()
        if len(parts) < MIN_WORDS:
            continue
        s_start, _ = resolver.sentences.bounds(span.open)
        if attribution is None:
            _, stop = resolver.sentences.bounds(last.close)
            attribution = _speaker_after(text, last, stop, resolver)
        if attribution is None or attribution[0] is None:
            before = _speaker_before(text, span, s_start, resolver)
            if before is not None and (attribution is None or before[0] is not None):
                attribution = before
        speaker, kind, cue = attribution if attribution else (None, None, None)
        if kind in ("outlet", "organisation") and speaker:
            resolver.last_other = (speaker, kind)
        quoted = " ".join(parts).rstrip(",;: ")
        out.append(Quote(quoted, speaker, kind, cue, span.start))
    return out


def find_quotes(
    headline: str, standfirst: str | None, body: str, people: Sequence[PersonMention]
) -> list[Quote]:
    """Find the direct quotations of five words or more in an article, with their speakers.

    Args:
        headline: The headline.
        standfirst: The standfirst, if any.
        body: The body.
        people: The people of the article, as :func:`~newsdb.enrich.people.find_people`
            returned them for the same three parts.

    Returns:
        The statements, in text order.
    """
    from newsdb.enrich.cited import outlets_in_text

    text = article_text(headline, standfirst, body)
    return quotes_in_text(text, people, outlets_in_text(text))
