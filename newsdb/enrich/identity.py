"""Which person a name means, across every article: a function of the set of names.

Each article names a person by the fullest form it uses ("Vladimir Putin", or only "Putin").
:func:`resolve_identities` takes every such name in the database and says, for each, whose name
it is. It depends on the set of names only, never on the order articles were imported in.

The rule, with names compared ignoring case and the dots of initials:

* a name that no longer name extends maps to itself (a full name, or a short form that
  nothing fits);
* a short form maps to the ONE full name it fits: a single word is that name's last word
  ("Putin" -> "Vladimir Putin"), or its first word when that is an East Asian family name
  ("Xi" -> "Xi Jinping"); several words are some of its words in order with the same first
  and last ("George Bush" -> "George W. Bush");
* when a short form fits two or more full names ("Chan" with "Ben Chan" and "Gary Chan"
  known), it is ambiguous: None, never a guess.

A short form fitting a middle form that itself fits one full name ("Bush" -> "George Bush" ->
"George W. Bush") goes to the full name.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsdb.enrich._lexicon import lexicon

__all__ = ["resolve_identities"]


def _key(name: str) -> tuple[str, ...]:
    return tuple(w.rstrip(".").casefold() for w in name.split() if w.rstrip("."))


def _fits(short: tuple[str, ...], long: tuple[str, ...], family_first: bool) -> bool:
    """Whether ``short`` is a shorter way of writing ``long``."""
    if len(short) >= len(long):
        return False
    if len(short) == 1:
        return short[0] == long[-1] or (family_first and short[0] == long[0])
    if short[0] != long[0] or short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(w in it for w in short)


def resolve_identities(names: Iterable[str]) -> dict[str, str | None]:
    """Map every name to the canonical name of the person it is.

    Args:
        names: Every in-article fullest name (duplicates allowed).

    Returns:
        For each name: itself when it is a full name or nothing fits it; the one full name it
        fits ("Putin" -> "Vladimir Putin", "Xi" -> "Xi Jinping"); None when it fits two or
        more people (ambiguous).
    """
    names = list(names)
    family = {w.casefold() for w in lexicon().east_asian_family}
    by_key: dict[tuple[str, ...], str] = {}
    for name in names:
        key = _key(name)
        if key:
            # One spelling per key: the first in sorted order, so the result does not depend
            # on the order names come in.
            if key not in by_key or name < by_key[key]:
                by_key[key] = name
    by_last: dict[str, list[tuple[str, ...]]] = {}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for key in by_key:
        if len(key) > 1:
            by_last.setdefault(key[-1], []).append(key)
            by_first.setdefault(key[0], []).append(key)

    memo: dict[tuple[str, ...], tuple[str, ...] | None] = {}

    def target(key: tuple[str, ...]) -> tuple[str, ...] | None:
        """The full name ``key`` is (itself when maximal), None when ambiguous."""
        if key in memo:
            return memo[key]
        memo[key] = key  # guards against cycles; names only ever get longer
        pool = list(by_last.get(key[-1], ()))
        family_first = len(key) == 1 and key[0] in family
        if family_first:
            pool += by_first.get(key[0], ())
        longer = {k for k in pool if _fits(key, k, family_first)}
        result: tuple[str, ...] | None = key
        if longer:
            ends = {target(k) for k in longer}
            result = ends.pop() if len(ends) == 1 else None
        memo[key] = result
        return result

    out: dict[str, str | None] = {}
    for name in names:
        key = _key(name)
        if not key:
            out[name] = name
            continue
        t = target(key)
        out[name] = None if t is None else (name if t == key else by_key[t])
    return out
