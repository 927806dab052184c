"""The word lists behind people, role and quote finding, read once from ``data/people.toml``.

The lists are data (the TOML file says what each one is for); this module only turns them into
sets for fast membership tests. Everything here is built once per process.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from newsdb.errors import ConfigError

_SPLIT_RE = re.compile(r"\s*[,\n]\s*")

# Optional gazetteer: when the ``faker`` package (MIT licence) is installed, the given names and
# family names of its person providers (about 80 locales) are added to our lists. Our setup does
# not install it and nothing is shipped or downloaded: without it only our own lists count. Set
# USE_GAZETTEER to False before the first call of :func:`lexicon` to measure without it.
USE_GAZETTEER = True
# A gazetteer name: letters, with inner hyphens or apostrophes ("Jean-Pierre", "D'Arcy").
_NAME_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_FAKER_GIVEN = ("first_names", "first_romanized_names")
_FAKER_FAMILY = ("last_names", "last_romanized_names")


def _items(table: dict[str, Any], section: str, key: str) -> list[str]:
    value = table[section][key]
    if not isinstance(value, str):
        raise TypeError(f"[{section}] {key} must be a string of comma-separated items")
    return [item for item in _SPLIT_RE.split(value.strip()) if item]


class _Nouns(frozenset[str]):
    """Role nouns: the listed words, and any word of eight letters or more with one of the
    endings that only name people ("mathematician", "geologist", "choreographer")."""

    endings: tuple[str, ...] = ()

    def __contains__(self, word: object) -> bool:
        return super().__contains__(word) or (
            isinstance(word, str) and len(word) >= 8 and word.endswith(self.endings)
        )


def _nouns(words: list[str], endings: list[str]) -> _Nouns:
    nouns = _Nouns(w.casefold() for w in words)
    nouns.endings = tuple(endings)
    return nouns


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists, as sets ready for lookups.

    Attributes:
        given: Given names of our own list, as written ("Charles").
        given_extra: Given names only the optional gazetteer has; they may also be common
            words ("Red", "Winter"), so the rules trust them less.
        family_extra: Family names of the optional gazetteer ("Wilkins"); empty without it.
        east_asian_family: Family names written first ("Xi", "Kim").
        family_words: Those of them that are also English words ("Park", "Moon").
        particles: Lower-case words inside names ("van", "de"), case-folded.
        suffixes: Name suffixes ("Jr.").
        glue_words: Lower-case words found glued to a name ("in" in "Borisovin").
        titles: Capitalised titles before names ("President").
        title_modifiers: Capitalised words qualifying a title ("Foreign", "Vice").
        honorifics: Titles that never start a name on their own ("Mr").
        role_nouns: Lower-case role nouns ("spokesman"), also by their ending ("physician").
        role_modifiers: Lower-case words allowed before a role noun ("former").
        not_names: Capitalised words that never name a person, case-folded.
        org_heads: Head words of organisations and places ("Council").
        work_nouns: Lower-case nouns before the title of a work or a thing ("novel").
        places: Countries, demonyms, regions and cities; one-word entries as written.
        multiword_places: Multi-word places as tuples of words.
        place_openers: Every word of a multi-word place but its last ("New", "Los").
        cues: Speech verbs and phrases ("said", "was quoted as saying").
        outlet_nouns: Nouns standing for a news outlet ("broadcaster").
        organisation_nouns: Nouns standing for an organisation ("ministry").
    """

    given: frozenset[str]
    given_extra: frozenset[str]
    family_extra: frozenset[str]
    east_asian_family: frozenset[str]
    family_words: frozenset[str]
    particles: frozenset[str]
    suffixes: frozenset[str]
    glue_words: frozenset[str]
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    honorifics: frozenset[str]
    role_nouns: _Nouns  # not frozenset: compiled code would skip its __contains__
    role_modifiers: frozenset[str]
    not_names: frozenset[str]
    org_heads: frozenset[str]
    work_nouns: frozenset[str]
    places: frozenset[str]
    multiword_places: frozenset[tuple[str, ...]]
    place_openers: frozenset[str]
    cues: tuple[str, ...]
    outlet_nouns: frozenset[str]
    organisation_nouns: frozenset[str]


def _with_dots(words: list[str]) -> set[str]:
    # "Dr" and "Dr." are the same title.
    out = set(words)
    out.update(w + "." for w in words if not w.endswith("."))
    return out


def _faker_names() -> tuple[frozenset[str], frozenset[str]]:
    """Given names and family names of the ``faker`` package, if it is installed."""
    try:
        providers = importlib.import_module("faker.providers.person")
    except (ImportError, AttributeError, OSError):
        return frozenset(), frozenset()
    given: set[str] = set()
    family: set[str] = set()
    for info in pkgutil.iter_modules(providers.__path__):
        try:
            module = importlib.import_module(f"{providers.__name__}.{info.name}")
        except (ImportError, AttributeError, OSError):
            continue
        provider = getattr(module, "Provider", None)
        for attr in dir(provider):
            if attr.startswith(_FAKER_GIVEN):
                into = given
            elif attr.startswith(_FAKER_FAMILY):
                into = family
            else:
                continue
            value = getattr(provider, attr, None)
            if isinstance(value, (tuple, list, dict, set, frozenset)):
                into.update(v for v in value if isinstance(v, str))

    def clean(names: set[str]) -> frozenset[str]:
        return frozenset(
            n for n in names if len(n) > 1 and _NAME_RE.fullmatch(n) and n[0].isupper()
        )

    return clean(given), clean(family)


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
        gaz_given, gaz_family = _faker_names() if USE_GAZETTEER else (frozenset(), frozenset())
        extra = frozenset(w for w in gaz_given if w.casefold() not in blocked)
        return Lexicon(
            given=given,
            given_extra=extra - given,
            family_extra=frozenset(w for w in gaz_family if w.casefold() not in blocked),
            east_asian_family=frozenset(_items(t, "names", "east_asian_family")),
            family_words=frozenset(_items(t, "names", "east_asian_family_words")),
            particles=frozenset(w.casefold() for w in _items(t, "names", "particles")),
            suffixes=frozenset(_items(t, "names", "suffixes")),
            glue_words=frozenset(_items(t, "names", "glue_words")),
            titles=frozenset(_with_dots(_items(t, "roles", "titles"))),
            title_modifiers=frozenset(_items(t, "roles", "title_modifiers")),
            honorifics=frozenset(_with_dots(_items(t, "roles", "honorifics"))),
            role_nouns=_nouns(_items(t, "roles", "nouns"), _items(t, "roles", "noun_endings")),
            role_modifiers=frozenset(w.casefold() for w in _items(t, "roles", "modifiers")),
            not_names=not_names,
            org_heads=frozenset(_items(t, "not_names", "org_heads")),
            work_nouns=frozenset(_items(t, "not_names", "work_nouns")),
            places=frozenset(p for p in places if " " not in p),
            multiword_places=frozenset(tuple(p.split()) for p in places if " " in p),
            place_openers=frozenset(w for p in places if " " in p for w in p.split()[:-1]),
            cues=tuple(sorted(_items(t, "quotes", "cues"), key=len, reverse=True)),
            outlet_nouns=frozenset(_items(t, "quotes", "outlet_nouns")),
            organisation_nouns=frozenset(_items(t, "quotes", "organisation_nouns")),
        )
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the people word lists: {exc}") from exc
