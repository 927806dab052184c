"""Find the news agencies and broadcasters an article names as its sources.

Pure functions; offsets are into :func:`newsdb.enrich.people.article_text`. Two rules:

1. **A known outlet** (any spelling in ``data/agencies.toml``: "Tass", "Ria Novosti",
   "Rossiya 24") counts when its sentence shows it as a source: a reporting word ("cited",
   "quoted", "according to", "reported", "told", "said", "interview") or an outlet word
   ("agency", "broadcaster", "TV", "network", "state-run"). A spelling of three letters or fewer
   ("AP", "RT") must be written in capitals.
2. **An unknown outlet** counts when its name stands next to an outlet word: "state broadcaster
   NAME", "news agency NAME", "NAME TV", "the NAME agency", "the NAME and NAME agencies",
   "NAME, China's state broadcaster". Its name is kept as written; "agency" makes it an agency,
   the other words a broadcaster. Places, peoples and sentence openers are no names
   ("the Russian agency", "the Chinese broadcaster").

Each outlet is listed once, at its first mention, under its canonical name ("TASS", "ANSA",
"RIA Novosti", "CCTV", "Rossiya-24").
"""

from __future__ import annotations

import re
from functools import cache

from newsdb.agencies import Agency, canonical_outlet, load_outlets, outlet_aliases
from newsdb.enrich._lexicon import lexicon
from newsdb.enrich._records import CitedOutlet, OutletKind, article_text

__all__ = ["CitedOutlet", "find_cited_outlets", "outlets_in_text"]

_SOURCE_WORDS = (
    r"agency|agencies|broadcaster|broadcasters|television|TV|channel|network|radio|"
    r"newspaper|state-run|state-owned|state media|news|report|reports|reported|reporting|"
    r"according|cited|citing|quoted|quoting|told|said|says|interview|interviewed|broadcast|"
    r"aired|published|wrote|footage|statement|via|carried|wire"
)
_SOURCE_RE = re.compile(rf"\b(?:{_SOURCE_WORDS})\b", re.IGNORECASE)
_SENTENCE_RE = re.compile(r"(?<=[.!?])[\"”’]?\s+|\n+")

_NAME = r"[A-Z][\w]*(?:[-‐][\w]+)*(?: [A-Z][\w]*(?:[-‐][\w]+)*){0,3}"
_KIND_WORDS = (
    r"news agency|agency|broadcaster|television channel|television|TV channel|TV|network|"
    r"channel|radio"
)
_KIND_RE = re.compile(r"agenc|broadcaster|televis|TV\b|channel|network|radio")
_BEFORE_RE = re.compile(
    rf"\b(?:(?:state|state-run|state-owned|public|private|official|national|government|"
    rf"government-run|independent|local|pro-[A-Z]\w+)[ -])?(?P<kind>{_KIND_WORDS}) "
    rf"(?P<name>{_NAME})"
)
_AFTER_RE = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME})(?: and (?P<name2>{_NAME}))? (?P<kind>news agencies|"
    rf"agencies|{_KIND_WORDS})\b"
)
_APPOSITIVE_RE = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME}), (?:the |a |an )?(?:[A-Z]\w+['’]s )?(?:state |state-run |"
    rf"state-owned |official |public |national |private )?(?P<kind>broadcaster|news agency|"
    rf"television channel|TV channel)\b"
)


# Runs of capitalised words (and words starting with a digit after the first: "Rossiya 24"),
# looked up word by word in the table of spellings; lower-case spellings ("dpa") separately.
_CAPS_RUN_RE = re.compile(
    r"(?<![\w-])[A-Z][\w]*(?:[-‐/][\w]+)*(?:(?: |[-‐.] ?)[A-Z0-9][\w]*(?:[-‐/][\w]+)*)*"
)
_PIECE_RE = re.compile(r"[^\s.\-‐–]+")
_MAX_WORDS = 5


@cache
def _lower_re() -> re.Pattern[str] | None:
    lower = sorted(
        {a for o in load_outlets() for a in o.aliases if a[:1].islower()}, key=len, reverse=True
    )
    if not lower:
        return None
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, lower))})(?![\w-])")


@cache
def _first_words() -> frozenset[str]:
    return frozenset(key.split(" ", 1)[0] for key in outlet_aliases())


def _known_mentions(text: str) -> list[tuple[int, int, Agency]]:
    """Every written mention of a known outlet: (start, end, entry)."""
    aliases = outlet_aliases()
    firsts = _first_words()
    out: list[tuple[int, int, Agency]] = []
    for m in _CAPS_RUN_RE.finditer(text):
        run = m.group()
        if " " not in run and "-" not in run and "." not in run:
            # One word (most runs): one lookup.
            outlet = aliases.get(run.casefold())
            if outlet is not None and (len(run) > 3 or run.isupper()):
                out.append((m.start(), m.end(), outlet))
            continue
        pieces = [(p.group(), p.start(), p.end()) for p in _PIECE_RE.finditer(run)]
        base = m.start()
        i = 0
        while i < len(pieces):
            if pieces[i][0].casefold() not in firsts:
                i += 1
                continue
            for j in range(min(len(pieces), i + _MAX_WORDS), i, -1):
                key = " ".join(p[0].casefold() for p in pieces[i:j])
                outlet = aliases.get(key)
                if outlet is not None:
                    start, end = base + pieces[i][1], base + pieces[j - 1][2]
                    written = text[start:end]
                    # Short spellings ("AP", "RT") only in capitals.
                    if len(written) > 3 or written.isupper():
                        out.append((start, end, outlet))
                    i = j
                    break
            else:
                i += 1
    lower = _lower_re()
    if lower is not None:
        for m in lower.finditer(text):
            found = canonical_outlet(m.group())
            if found is not None:
                out.append((m.start(), m.end(), found))
    return out


def _sentence_bounds(text: str) -> list[int]:
    return [0, *(m.end() for m in _SENTENCE_RE.finditer(text)), len(text)]


def _sentence_of(bounds: list[int], pos: int) -> tuple[int, int]:
    lo, hi = 0, len(bounds) - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if bounds[mid] <= pos:
            lo = mid
        else:
            hi = mid
    return bounds[lo], bounds[hi]


def _not_a_name(name: str) -> bool:
    lex = lexicon()
    first = name.split(" ", 1)[0]
    return (
        name in lex.places
        or first.casefold() in lex.not_names
        or first in lex.titles
        or first in lex.title_modifiers
        or tuple(name.split()) in lex.multiword_places
    )


def outlets_in_text(text: str) -> list[CitedOutlet]:
    """Find the outlets cited in an already joined article text.

    Args:
        text: The :func:`~newsdb.enrich.people.article_text` of the article.

    Returns:
        One :class:`CitedOutlet` per outlet, in order of first mention.
    """
    found: dict[str, CitedOutlet] = {}

    def add(name: str, kind: OutletKind, offset: int) -> None:
        seen = found.get(name)
        if seen is None or offset < seen.offset:
            found[name] = CitedOutlet(name, kind, offset)

    bounds: list[int] | None = None
    for start, _end, outlet in _known_mentions(text):
        if bounds is None:
            bounds = _sentence_bounds(text)
        lo, hi = _sentence_of(bounds, start)
        if _SOURCE_RE.search(text, lo, hi):
            add(outlet.name, outlet.kind, start)

    def unknown(name: str, kind_word: str, offset: int) -> None:
        name = name.strip()
        known = canonical_outlet(name)
        if known is not None:
            add(known.name, known.kind, offset)
        elif not _not_a_name(name):
            add(name, "agency" if "agenc" in kind_word else "broadcaster", offset)

    # The outlet-word patterns, only around the outlet words (most sentences have none).
    done = -1
    for k in _KIND_RE.finditer(text):
        lo = max(done, k.start() - 120)
        hi = min(len(text), k.end() + 60)
        if hi <= lo:
            continue
        done = hi
        for m in _BEFORE_RE.finditer(text, lo, hi):
            unknown(m.group("name"), m.group("kind"), m.start("name"))
        for m in _AFTER_RE.finditer(text, lo, hi):
            unknown(m.group("name"), m.group("kind"), m.start("name"))
            if m.group("name2"):
                unknown(m.group("name2"), m.group("kind"), m.start("name2"))
        for m in _APPOSITIVE_RE.finditer(text, lo, hi):
            unknown(m.group("name"), m.group("kind"), m.start("name"))
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
