"""The news agencies and broadcasters newsdb knows, read from the ``data/agencies.toml`` table.

The table is data, not code: adding an outlet or an alias needs no change here. Agencies are
what the text parser credits as an article's wire (:func:`canonical_agency`); agencies and
broadcasters together are the outlets an article may cite as its source
(:func:`canonical_outlet`, used by :mod:`newsdb.enrich.cited`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from newsdb.errors import ConfigError

OutletKind = Literal["agency", "broadcaster"]
_KINDS: tuple[OutletKind, ...] = ("agency", "broadcaster")


@dataclass(frozen=True, slots=True)
class Agency:
    """One news agency or broadcaster.

    Attributes:
        name: Short canonical name ("AFP", "CCTV").
        full_name: Full name ("Agence France-Presse").
        aliases: Other spellings, the canonical and full names included.
        country: ISO 3166-1 alpha-2 code of the home country, if given.
        kind: "agency" or "broadcaster" (the table the entry is in).
    """

    name: str
    full_name: str
    aliases: tuple[str, ...]
    country: str | None = None
    kind: OutletKind = "agency"


def outlet_key(name: str) -> str:
    """The form in which outlet names are compared: case, dots, hyphens and spacing ignored.

    Args:
        name: "A.F.P.", "Agence France-Presse", "Rossiya-24", ...

    Returns:
        The key ("a f p", "agence france presse", "rossiya 24").
    """
    return _KEY_GAP_RE.sub(" ", name).strip().casefold()


_KEY_GAP_RE = re.compile(r"[\s.\-‐–]+")


_key = outlet_key


@cache
def load_outlets() -> tuple[Agency, ...]:
    """Read the outlet table (agencies, then broadcasters) once per process.

    Returns:
        Every entry of ``newsdb/data/agencies.toml``: the ``[[agency]]`` rows in file order,
        then the ``[[broadcaster]]`` rows.

    Raises:
        ConfigError: When the packaged table is missing or malformed.
    """
    try:
        raw = resources.files("newsdb").joinpath("data/agencies.toml").read_text("utf-8")
        table = tomllib.loads(raw)
        outlets = []
        for kind in _KINDS:
            for row in table.get(kind, []):
                name, full = str(row["name"]), str(row["full_name"])
                aliases = tuple(dict.fromkeys([name, full, *map(str, row.get("aliases", []))]))
                outlets.append(Agency(name, full, aliases, row.get("country"), kind))
        if not any(o.kind == "agency" for o in outlets):
            raise KeyError("no [[agency]] rows")
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the agency table: {exc}") from exc
    return tuple(outlets)


@cache
def load_agencies() -> tuple[Agency, ...]:
    """The news agencies of the outlet table (broadcasters left out), read once per process.

    Returns:
        Every ``[[agency]]`` of ``newsdb/data/agencies.toml``, in file order.

    Raises:
        ConfigError: When the packaged table is missing or malformed.
    """
    return tuple(o for o in load_outlets() if o.kind == "agency")


@cache
def _alias_index(kinds: tuple[OutletKind, ...]) -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for outlet in load_outlets():
        if outlet.kind in kinds:
            for alias in outlet.aliases:
                index.setdefault(_key(alias), outlet)
    return index


def canonical_agency(name: str) -> str | None:
    """Map any known spelling of an agency to its short canonical name.

    Args:
        name: "afp", "Agence France-Presse", "The Associated Press", ...

    Returns:
        The canonical name ("AFP", "AP"), or None when the name is not a known agency.
    """
    agency = _alias_index(("agency",)).get(_key(name))
    return agency.name if agency is not None else None


def canonical_outlet(name: str) -> Agency | None:
    """Find the agency or broadcaster a name means.

    Args:
        name: Any known spelling ("Tass", "Ria Novosti", "Rossiya 24", "cctv").

    Returns:
        The table entry (its ``name`` is the canonical name, ``kind`` says agency or
        broadcaster), or None when the name is not known.
    """
    return _alias_index(_KINDS).get(_key(name))


def outlet_aliases() -> dict[str, Agency]:
    """Every known spelling of every outlet, keyed as :func:`canonical_outlet` compares them.

    Returns:
        A mapping from normalised alias (case-folded, dots and hyphens as spaces) to its entry;
        callers must not change it.
    """
    return _alias_index(_KINDS)


@cache
def outlet_first_words() -> frozenset[str]:
    """The first word of every key of :func:`outlet_aliases` ("ria" of "ria novosti").

    Returns:
        The words, keyed as :func:`outlet_key` writes them.
    """
    return frozenset(key.split(" ", 1)[0] for key in outlet_aliases())
