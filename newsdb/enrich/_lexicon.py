"""The word lists behind people, role and quote finding, read once from ``data/people.toml``.

The lists are data (the TOML file says what each one is for); this module only turns them into
sets for fast membership tests. Everything here is built once per process.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from newsdb.errors import ConfigError

_SPLIT_RE = re.compile(r"\s*[,\n]\s*")

# The given names of the ``gender-guesser`` package (its ``nam_dict.txt``, about 40,000 names
# from many countries, each with a frequency of 1 to 13 per country) are used when that package
# is installed: names at least this frequent somewhere. Set USE_GAZETTEER to False before the
# first call of :func:`lexicon` to measure without it.
GAZETTEER_MIN_FREQUENCY = 1
USE_GAZETTEER = True
_HEX = "0123456789ABCDEF"


def _items(table: dict[str, Any], section: str, key: str) -> list[str]:
    value = table[section][key]
    if not isinstance(value, str):
        raise TypeError(f"[{section}] {key} must be a string of comma-separated items")
    return [item for item in _SPLIT_RE.split(value.strip()) if item]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists, as sets ready for lookups.

    Attributes:
        given: Given names of our own list, as written ("Charles").
        given_extra: Given names only the shipped gazetteer has; they may also be common
            words ("Red", "Pace"), so the rules trust them less.
        east_asian_family: Family names written first ("Xi", "Kim").
        particles: Lower-case words inside names ("van", "de"), case-folded.
        suffixes: Name suffixes ("Jr.").
        glue_words: Lower-case words found glued to a name ("in" in "Borisovin").
        titles: Capitalised titles before names ("President").
        title_modifiers: Capitalised words qualifying a title ("Foreign", "Vice").
        honorifics: Titles that never start a name on their own ("Mr").
        role_nouns: Lower-case role nouns ("spokesman").
        role_modifiers: Lower-case words allowed before a role noun ("former").
        not_names: Capitalised words that never name a person, case-folded.
        org_heads: Head words of organisations and places ("Council").
        places: Countries, demonyms, regions and cities; one-word entries as written.
        multiword_places: Multi-word places as tuples of words.
        cues: Speech verbs and phrases ("said", "was quoted as saying").
        outlet_nouns: Nouns standing for a news outlet ("broadcaster").
        organisation_nouns: Nouns standing for an organisation ("ministry").
    """

    given: frozenset[str]
    given_extra: frozenset[str]
    east_asian_family: frozenset[str]
    particles: frozenset[str]
    suffixes: frozenset[str]
    glue_words: frozenset[str]
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    honorifics: frozenset[str]
    role_nouns: frozenset[str]
    role_modifiers: frozenset[str]
    not_names: frozenset[str]
    org_heads: frozenset[str]
    places: frozenset[str]
    multiword_places: frozenset[tuple[str, ...]]
    cues: tuple[str, ...]
    outlet_nouns: frozenset[str]
    organisation_nouns: frozenset[str]


def _with_dots(words: list[str]) -> set[str]:
    # "Dr" and "Dr." are the same title.
    out = set(words)
    out.update(w + "." for w in words if not w.endswith("."))
    return out


def _gazetteer() -> frozenset[str]:
    """Given names from the ``gender-guesser`` package's table, if it is installed."""
    try:
        path = resources.files("gender_guesser").joinpath("data/nam_dict.txt")
        raw = path.read_text("iso-8859-1")
    except (ModuleNotFoundError, OSError):
        return frozenset()
    names: set[str] = set()
    for line in raw.splitlines():
        # Columns: 0-1 gender, 3-28 the name, 30- one frequency digit per country. Lines
        # starting "=" pair up spellings; "+" joins compound names; "<...>" encodes letters.
        if not line or line[0] in "#=" or len(line) < 31:
            continue
        name = line[3:29].strip()
        if not name or any(c in name for c in "+<> ") or not name[0].isupper():
            continue
        freq = max((_HEX.index(c) for c in line[30:86] if c in _HEX), default=0)
        if freq >= GAZETTEER_MIN_FREQUENCY:
            names.add(name)
    return frozenset(names)


@cache
def lexicon() -> Lexicon:
    """Read ``newsdb/data/people.toml`` once.

    Returns:
        The lists as a :class:`Lexicon`.

    Raises:
        ConfigError: When the packaged file is missing or malformed.
    """
    try:
        raw = resources.files("newsdb").joinpath("data/people.toml").read_text("utf-8")
        t = tomllib.loads(raw)
        places = _items(t, "not_names", "places")
        given = frozenset(_items(t, "names", "given"))
        not_names = frozenset(w.casefold() for w in _items(t, "not_names", "words"))
        blocked = (
            not_names
            | {w.casefold() for w in places}
            | {w.casefold() for w in _items(t, "roles", "titles")}
            | {w.casefold() for w in _items(t, "not_names", "org_heads")}
            | {w.casefold() for w in _items(t, "roles", "title_modifiers")}
        )
        extra = frozenset(
            w for w in (_gazetteer() if USE_GAZETTEER else ()) if w.casefold() not in blocked
        )
        return Lexicon(
            given=given,
            given_extra=extra - given,
            east_asian_family=frozenset(_items(t, "names", "east_asian_family")),
            particles=frozenset(w.casefold() for w in _items(t, "names", "particles")),
            suffixes=frozenset(_items(t, "names", "suffixes")),
            glue_words=frozenset(_items(t, "names", "glue_words")),
            titles=frozenset(_with_dots(_items(t, "roles", "titles"))),
            title_modifiers=frozenset(_items(t, "roles", "title_modifiers")),
            honorifics=frozenset(_with_dots(_items(t, "roles", "honorifics"))),
            role_nouns=frozenset(w.casefold() for w in _items(t, "roles", "nouns")),
            role_modifiers=frozenset(w.casefold() for w in _items(t, "roles", "modifiers")),
            not_names=not_names,
            org_heads=frozenset(_items(t, "not_names", "org_heads")),
            places=frozenset(p for p in places if " " not in p),
            multiword_places=frozenset(tuple(p.split()) for p in places if " " in p),
            cues=tuple(sorted(_items(t, "quotes", "cues"), key=len, reverse=True)),
            outlet_nouns=frozenset(_items(t, "quotes", "outlet_nouns")),
            organisation_nouns=frozenset(_items(t, "quotes", "organisation_nouns")),
        )
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the people word lists: {exc}") from exc
