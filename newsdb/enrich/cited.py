"""Find the news agencies and broadcasters an article names as its sources.

Pure functions; offsets are into :func:`newsdb.enrich.people.article_text`. Two rules:

1. **A known outlet** (any spelling in ``data/agencies.toml``: "Tass", "Ria Novosti",
   "Rossiya 24") counts when its sentence shows it as a source: a reporting word ("cited",
   "quoted", "according to", "reported", "told", "said", "interview") or an outlet word
   ("agency", "broadcaster", "TV", "network", "state-run"). A spelling of three letters or fewer
   ("AP", "RT") must be written in capitals. A spelling not in capitals followed by a
   capitalised name-like word ("Petra Lindqvist") is the start of a person's name, not the
   outlet.
2. **An unknown outlet** counts when its name stands next to an outlet word: "state broadcaster
   NAME", "news agency NAME", "NAME TV", "the NAME agency", "the NAME and NAME agencies",
   "NAME, China's state broadcaster". Its name is kept as written; "agency" makes it an agency,
   the other words a broadcaster. Places, peoples and sentence openers are no names
   ("the Russian agency", "the Chinese broadcaster").

Both rules work from the runs of capitalised words that people finding already cut (or cut
them again when called alone), so an article is scanned once for names.

Each outlet is listed once, at its first mention, under its canonical name ("TASS", "ANSA",
"RIA Novosti", "CCTV", "Rossiya-24").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Mapping, Sequence
from functools import cache

from newsdb.agencies import (
    Agency,
    canonical_outlet,
    load_outlets,
    outlet_aliases,
    outlet_first_words,
)
from newsdb.enrich._lexicon import lexicon
from newsdb.enrich._records import CitedOutlet, OutletKind, article_text
from newsdb.enrich._text import Sentences, sentences_of

__all__ = ["CitedOutlet", "find_cited_outlets", "outlets_in_text"]

_SOURCE_RE = re.compile(
    r"\b(?:agency|agencies|broadcaster|broadcasters|television|TV|channel|network|radio|"
    r"newspaper|state-run|state-owned|state media|news|report|reports|reported|reporting|"
    r"according|cited|citing|quoted|quoting|told|said|says|interview|interviewed|broadcast|"
    r"aired|published|wrote|footage|statement|via|carried|wire)\b",
    re.IGNORECASE,
)
# One word of an outlet's name after the previous one: a space, hyphen or dot between.
_NEXT_WORD_RE = re.compile(r"[ .\-‐–/]{0,2}(\w+)")
_SEPARATORS = frozenset(" .-‐–/")
# Words that make a noun an outlet ("agency", "broadcaster", "TV"), as they start.
_KIND_STEMS = ("agenc", "broadcaster", "televis", "TV", "channel", "network", "radio")
# What may stand between a name and its outlet noun in "NAME, China's state broadcaster".
_APPOSITIVE_GAP_RE = re.compile(
    r", (?:the |a |an )?(?:[A-Z][\w-]*['’]s )?(?:(?:state|state-run|state-owned|official|"
    r"public|national|private|main|leading|largest|independent) )*(?:news )?"
)
# Words before an outlet noun that show it names an outlet ("state broadcaster CCTV").
_BEFORE_WORDS = frozenset(
    "state state-run state-owned state-controlled public private official national news "
    "government government-run independent local commercial".split()
)
_MAX_GAP = 60
_POSSESSIVES = ("'s", "’s")
_LEAD_RE = re.compile(r"\w*")


@cache
def _alias_prefixes() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """Word prefixes of every spelling, first words, and the lower-case first words."""
    prefixes: set[str] = set()
    for key in outlet_aliases():
        words = key.split()
        prefixes.update(" ".join(words[: i + 1]) for i in range(len(words)))
    firsts = outlet_first_words()
    lower = {a.split()[0] for o in load_outlets() for a in o.aliases if a[:1].islower()}
    # "dpa-AFX" is found where "dpa" is: search for the shorter only.
    shortest = tuple(sorted(w for w in lower if not any(w != v and w.startswith(v) for v in lower)))
    return frozenset(prefixes), firsts, shortest


def _walk(text: str, start: int) -> tuple[int, Agency] | None:
    """The longest known spelling starting at ``start``: (end, entry)."""
    aliases = outlet_aliases()
    prefixes, _, _ = _alias_prefixes()
    key = ""
    pos = start
    best: tuple[int, Agency] | None = None
    while True:
        m = _NEXT_WORD_RE.match(text, pos)
        if m is None or (pos == start and m.start(1) != start) or "\n" in m.group():
            break
        key = m.group(1).casefold() if not key else f"{key} {m.group(1).casefold()}"
        if key not in prefixes:
            break
        pos = m.end()
        found = aliases.get(key)
        if found is not None:
            best = (pos, found)
    return best


# What a run of one word says about the outlets (see _one_word), remembered per word.
_ONE_WORD: dict[str, str | None] = {}
_ONE_WORD_MAX = 200_000


def _one_word(seg: str, firsts: frozenset[str], aliases: Mapping[str, Agency]) -> str | None:
    """Whether a known spelling starts at a run of one word ``seg``: "" when one does, its
    case-folded key when a longer spelling may go on with the next word, None when none can.
    """
    first = seg.casefold()
    how: str | None = None
    if first in firsts:
        how = "" if first in aliases else first
    elif not first.isalnum() and _LEAD_RE.match(first).group() in firsts:  # type: ignore[union-attr]
        how = ""
    if len(_ONE_WORD) >= _ONE_WORD_MAX:
        _ONE_WORD.clear()
    _ONE_WORD[seg] = how
    return how


# Where a known spelling may start in a run of several words (offsets into the run), per run:
# the words alone decide it.
_IN_RUN: dict[str, tuple[int, ...]] = {}


def _starts_in_run(
    seg: str, prefixes: frozenset[str], firsts: frozenset[str], aliases: Mapping[str, Agency]
) -> tuple[int, ...]:
    out: list[int] = []
    pos = 0
    words = seg.split(" ")
    for k, word in enumerate(words):
        at = pos
        pos += len(word) + 1
        if not word:
            continue
        first = word.casefold()
        if first not in firsts and not first.isalnum():
            first = _LEAD_RE.match(first).group()  # type: ignore[union-attr]
        if first not in firsts:
            continue
        # "Russian President": no spelling goes on so, and none starts here.
        if first in aliases or not word.isalnum() or k + 1 == len(words):
            out.append(at)
        elif f"{first} {_LEAD_RE.match(words[k + 1].casefold()).group()}" in prefixes:  # type: ignore[union-attr]
            out.append(at)
    if len(_IN_RUN) >= _ONE_WORD_MAX:
        _IN_RUN.clear()
    _IN_RUN[seg] = found = tuple(out)
    return found


def _known_mentions(
    text: str, runs: Sequence[tuple[int, int]], texts: Sequence[str]
) -> list[tuple[int, int, Agency]]:
    """Every written mention of a known outlet: (start, end, entry); ``texts`` are the runs'."""
    prefixes, firsts, lower = _alias_prefixes()
    aliases = outlet_aliases()
    out: list[tuple[int, int, Agency]] = []
    starts: list[int] = []
    for (s, e), seg in zip(runs, texts, strict=True):
        if " " not in seg:
            how = _ONE_WORD.get(seg, False)
            if how is False:
                how = _one_word(seg, firsts, aliases)
            if how is None:
                continue
            if not how:
                starts.append(s)
            elif text[e : e + 1] in _SEPARATORS:
                # "Russia," or "China and": only a one-word spelling can start here, unless
                # the next word goes on a spelling.
                nxt = _NEXT_WORD_RE.match(text, e)
                if nxt is not None and f"{how} {nxt.group(1).casefold()}" in prefixes:
                    starts.append(s)
            continue
        in_run = _IN_RUN.get(seg)
        if in_run is None:
            in_run = _starts_in_run(seg, prefixes, firsts, aliases)
        for at in in_run:
            starts.append(s + at)
    for first in lower:
        at = text.find(first)
        while at >= 0:
            if at == 0 or not text[at - 1].isalnum():
                starts.append(at)
            at = text.find(first, at + 1)
    done = -1
    for at in sorted(starts):
        if at < done:
            continue
        found = _walk(text, at)
        if found is None:
            continue
        end, outlet = found
        written = text[at:end]
        if end < len(text) and text[end].isalnum():
            continue
        # Short spellings ("AP", "RT") only in capitals.
        if not (len(written) > 3 or written.isupper()):
            continue
        if not written.isupper() and _name_follows(text, end):
            continue  # "Petra Lindqvist": a given name, not the Petra agency
        out.append((at, end, outlet))
        done = end
    return out


_NEXT_NAME_RE = re.compile(r" +([A-Z][\w'’-]*)")


def _name_follows(text: str, end: int) -> bool:
    """Whether a capitalised name-like word follows ``end`` ("Petra Lindqvist").

    A known spelling not written in capitals and followed by such a word is the start of a
    person's name, not the outlet; outlet and organisation words ("Agency", "TV", "News"),
    titles, places and sentence openers are not name-like.
    """
    m = _NEXT_NAME_RE.match(text, end)
    if m is None:
        return False
    from newsdb.enrich.people import is_name_word

    word = m.group(1)
    return not word.startswith(_KIND_STEMS) and is_name_word(word)


def _not_a_name(name: str, exclude: Collection[str]) -> bool:
    lex = lexicon()
    first = name.split(" ", 1)[0]
    return (
        not name[:1].isupper()
        or name in exclude
        or name in lex.places
        or first.casefold() in lex.not_names
        or first in lex.titles
        or first in lex.title_modifiers
        or tuple(name.split()) in lex.multiword_places
        or any(w in exclude for w in name.split())
    )


def _kind_words(text: str) -> list[tuple[int, int]]:
    """Every outlet noun ("agency", "broadcasters", "TV"): (start, end)."""
    out = []
    for stem in _KIND_STEMS:
        at = text.find(stem)
        while at >= 0:
            end = at + len(stem)
            while end < len(text) and text[end].isalpha():
                end += 1
            if (at == 0 or not text[at - 1].isalnum()) and (stem != "TV" or end == at + 2):
                out.append((at, end))
            at = text.find(stem, end)
    return sorted(out)


def outlets_in_text(
    text: str,
    runs: Sequence[tuple[int, int]] | None = None,
    *,
    exclude: Collection[str] = (),
    texts: Sequence[str] | None = None,
) -> list[CitedOutlet]:
    """Find the outlets cited in an already joined article text.

    Args:
        text: The :func:`~newsdb.enrich.people.article_text` of the article.
        runs: The ``(start, end)`` of every run of capitalised words, as people finding cut
            them; cut again when not given.
        exclude: Names that are not outlets (the people's forms: "the network Putin
            controls").
        texts: The text of each of ``runs`` (``text[start:end]``), when the caller has
            them already.

    Returns:
        One :class:`CitedOutlet` per outlet, in order of first mention.
    """
    if runs is None:
        from newsdb.enrich.people import capitalised_runs

        runs = capitalised_runs(text)
    found: dict[str, CitedOutlet] = {}

    def add(name: str, kind: OutletKind, offset: int) -> None:
        seen = found.get(name)
        if seen is None or offset < seen.offset:
            found[name] = CitedOutlet(name, kind, offset)

    sentences: Sentences | None = None
    if texts is None:
        texts = [text[s:e] for s, e in runs]
    for start, _end, outlet in _known_mentions(text, runs, texts):
        if sentences is None:
            sentences = sentences_of(text)
        lo, hi = sentences.bounds(start)
        if _SOURCE_RE.search(text, lo, hi):
            add(outlet.name, outlet.kind, start)

    not_names = lexicon().not_names

    def unknown(start: int, end: int, kind_word: str) -> None:
        # Sentence openers a run may start with ("The Koldavia TV") are not the name.
        while True:
            first = text[start:end].split(" ", 1)[0]
            if " " not in text[start:end] or first.casefold() not in not_names:
                break
            start += len(first) + 1
        name = text[start:end].strip()
        known = canonical_outlet(name)
        if known is not None:
            add(known.name, known.kind, start)
        elif name and not _not_a_name(name, exclude):
            add(name, "agency" if "agenc" in kind_word else "broadcaster", start)

    kinds = _kind_words(text)
    if not kinds:
        return sorted(found.values(), key=lambda c: c.offset)
    by_end = {e: s for s, e in runs}
    by_start = {s: e for s, e in runs}
    ends = sorted(by_end)
    named: set[int] = set()
    for k_start, k_end in kinds:
        word = text[k_start:k_end]
        if word == "TV":
            # "Rossiya-24 TV": the name is the run's words before "TV".
            i = bisect.bisect_right(ends, k_end) - 1
            if i >= 0 and ends[i] == k_end and by_end[ends[i]] < k_start - 1:
                unknown(by_end[ends[i]], k_start - 1, word)
                named.add(k_end)  # "Koldavia TV channel": one outlet
                continue
        if word[0].isupper():
            continue  # "European Space Agency": part of a name, not an outlet noun
        # "the Ansa agency", "Xinhua news agency", "the Tass and Interfax agencies".
        before = k_start - 1
        if text.endswith("news ", 0, k_start):
            before -= 5
        if before in named:
            continue
        if before in by_end and not text.endswith(_POSSESSIVES, 0, before):
            # ("Jordan's news agency Petra": the owner, not the name.)
            s = by_end[before]
            unknown(s, before, word)
            if text.endswith(" and ", 0, s) and s - 5 in by_end:
                unknown(by_end[s - 5], s - 5, word)
            continue
        # "state broadcaster CCTV", "Italian news agency Ansa".
        if k_end + 1 in by_start and text[k_end : k_end + 1] == " ":
            prev = text[max(0, k_start - 30) : k_start].split()
            if prev and (
                prev[-1].casefold() in _BEFORE_WORDS
                or prev[-1] in lexicon().places
                or prev[-1].endswith(("'s", "’s"))
            ):
                unknown(k_end + 1, by_start[k_end + 1], word)
                continue
        # "CCTV, China's state broadcaster".
        if not word.startswith(("broadcaster", "agency")):
            continue
        i = bisect.bisect_left(ends, k_start) - 1
        # The name is one of the last runs before ("Norway's" is a run of the gap too).
        for j in range(i, max(-1, i - 3), -1):
            if k_start - ends[j] > _MAX_GAP:
                break
            if _APPOSITIVE_GAP_RE.fullmatch(text, ends[j], k_start):
                unknown(by_end[ends[j]], ends[j], word)
                break
    return sorted(found.values(), key=lambda c: c.offset)


def find_cited_outlets(headline: str, standfirst: str | None, body: str) -> list[CitedOutlet]:
    """Find the news agencies and broadcasters an article names as sources of information.

    Args:
        headline: The headline.
        standfirst: The standfirst, if any.
        body: The body.

    Returns:
        One :class:`CitedOutlet` per outlet, in order of first mention; offsets are into
        :func:`~newsdb.enrich.people.article_text`.
    """
    return outlets_in_text(article_text(headline, standfirst, body))
