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


def _items(table: dict[str, Any], section: str, key: str) -> list[str]:
    value = table[section][key]
    if not isinstance(value, str):
        raise TypeError(f"[{section}] {key} must be a string of comma-separated items")
    return [item for item in _SPLIT_RE.split(value.strip()) if item]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists, as sets ready for lookups.

    Attributes:
        given: Given names, as written ("Charles").
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
        return Lexicon(
            given=frozenset(_items(t, "names", "given")),
            east_asian_family=frozenset(_items(t, "names", "east_asian_family")),
            particles=frozenset(w.casefold() for w in _items(t, "names", "particles")),
            suffixes=frozenset(_items(t, "names", "suffixes")),
            glue_words=frozenset(_items(t, "names", "glue_words")),
            titles=frozenset(_with_dots(_items(t, "roles", "titles"))),
            title_modifiers=frozenset(_items(t, "roles", "title_modifiers")),
            honorifics=frozenset(_with_dots(_items(t, "roles", "honorifics"))),
            role_nouns=frozenset(w.casefold() for w in _items(t, "roles", "nouns")),
            role_modifiers=frozenset(w.casefold() for w in _items(t, "roles", "modifiers")),
            not_names=frozenset(w.casefold() for w in _items(t, "not_names", "words")),
            org_heads=frozenset(_items(t, "not_names", "org_heads")),
            places=frozenset(p for p in places if " " not in p),
            multiword_places=frozenset(tuple(p.split()) for p in places if " " in p),
            cues=tuple(sorted(_items(t, "quotes", "cues"), key=len, reverse=True)),
            outlet_nouns=frozenset(_items(t, "quotes", "outlet_nouns")),
            organisation_nouns=frozenset(_items(t, "quotes", "organisation_nouns")),
        )
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the people word lists: {exc}") from exc
