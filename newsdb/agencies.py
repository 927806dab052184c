"""The news agencies newsdb knows, read from the ``data/agencies.toml`` table.

The table is data, not code: adding an agency or an alias needs no change here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newsdb.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Agency:
    """One news agency.

    Attributes:
        name: Short canonical name ("AFP").
        full_name: Full name ("Agence France-Presse").
        aliases: Other spellings, the canonical and full names included.
        country: ISO 3166-1 alpha-2 code of the home country, if given.
    """

    name: str
    full_name: str
    aliases: tuple[str, ...]
    country: str | None = None


def _key(name: str) -> str:
    # Compare names ignoring case, dots and spacing ("A.F.P.", "Agence France Presse").
    return re.sub(r"[\s.\-‐–]+", " ", name).strip().casefold()


@cache
def load_agencies() -> tuple[Agency, ...]:
    """Read the agency table once per process.

    Returns:
        Every agency of ``newsdb/data/agencies.toml``, in file order.

    Raises:
        ConfigError: When the packaged table is missing or malformed.
    """
    try:
        raw = resources.files("newsdb").joinpath("data/agencies.toml").read_text("utf-8")
        table = tomllib.loads(raw)
        agencies = []
        for row in table["agency"]:
            name, full = str(row["name"]), str(row["full_name"])
            aliases = tuple(dict.fromkeys([name, full, *map(str, row.get("aliases", []))]))
            agencies.append(Agency(name, full, aliases, row.get("country")))
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the agency table: {exc}") from exc
    return tuple(agencies)


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for agency in load_agencies():
        for alias in agency.aliases:
            index.setdefault(_key(alias), agency.name)
    return index


def canonical_agency(name: str) -> str | None:
    """Map any known spelling of an agency to its short canonical name.

    Args:
        name: "afp", "Agence France-Presse", "The Associated Press", ...

    Returns:
        The canonical name ("AFP", "AP"), or None when the name is not a known agency.
    """
    return _alias_index().get(_key(name))
