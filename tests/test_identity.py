"""Cross-article identity: a function of the set of names."""

from __future__ import annotations

import random

from newsdb.enrich.identity import resolve_identities


def test_short_forms_map_to_the_one_full_name() -> None:
    got = resolve_identities(["Putin", "Vladimir Putin", "Xi", "Xi Jinping", "Borisov"])
    assert got == {
        "Putin": "Vladimir Putin",
        "Vladimir Putin": "Vladimir Putin",
        "Xi": "Xi Jinping",  # East Asian family name first
        "Xi Jinping": "Xi Jinping",
        "Borisov": "Borisov",  # nothing fits: itself
    }


def test_ambiguous_short_form_is_none() -> None:
    got = resolve_identities(["Chan", "Ben Chan", "Gary Chan", "Lee", "Stan Lee", "Lee Cheuk-yan"])
    assert got["Chan"] is None and got["Lee"] is None
    assert got["Ben Chan"] == "Ben Chan" and got["Lee Cheuk-yan"] == "Lee Cheuk-yan"


def test_first_and_last_subset_and_chains() -> None:
    got = resolve_identities(["Bush", "George Bush", "George W. Bush"])
    assert set(got.values()) == {"George W. Bush"}
    # A given name alone is not a surname: nothing fits.
    assert resolve_identities(["Vladimir", "Vladimir Putin"])["Vladimir"] == "Vladimir"
    # Case and the dots of initials do not matter.
    assert resolve_identities(["putin", "Vladimir Putin"])["putin"] == "Vladimir Putin"
    assert resolve_identities(["George W Bush", "George W. Bush"])["George W Bush"] in {
        "George W Bush",
        "George W. Bush",
    }


def test_independent_of_order() -> None:
    names = ["Putin", "Vladimir Putin", "Chan", "Ben Chan", "Gary Chan", "Xi", "Xi Jinping"]
    expected = resolve_identities(names)
    rng = random.Random(7)
    for _ in range(20):
        shuffled = names[:]
        rng.shuffle(shuffled)
        assert resolve_identities(shuffled) == expected
    assert resolve_identities(iter(names)) == expected
