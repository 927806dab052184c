"""Cited outlets: the seed pages and texts written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdb.agencies import canonical_agency, canonical_outlet, load_agencies
from newsdb.enrich.cited import find_cited_outlets
from newsdb.parsers import parse_page, read_page

SEED_OUTLETS = {
    "000": ["Rossiya-24", "TASS", "Interfax", "ANSA", "RIA Novosti", "CCTV"],
    "001": ["CCTV"],
    "004": ["CCTV"],
}


@pytest.mark.parametrize("prefix", sorted(SEED_OUTLETS))
def test_seed_outlets(seeds_dir: Path, prefix: str) -> None:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    a = parse_page(read_page(path))
    cited = find_cited_outlets(a.headline, a.standfirst, a.body)
    assert [c.name for c in cited] == SEED_OUTLETS[prefix]
    kinds = {c.name: c.kind for c in cited}
    assert kinds["CCTV"] == "broadcaster"
    if prefix == "000":
        assert kinds["TASS"] == kinds["ANSA"] == "agency"
        assert kinds["Rossiya-24"] == "broadcaster"


def _names(body: str) -> list[str]:
    return [c.name for c in find_cited_outlets("Report", None, body)]


def test_known_outlets_need_a_source_context() -> None:
    assert _names("Italian news agency Ansa reported the deal.") == ["ANSA"]
    assert _names("He told the BBC he would stand.") == ["BBC"]
    assert _names("The Reuters building was sold to a bank last spring.") == []


def test_short_spellings_only_in_capitals() -> None:
    assert _names("AP reported the vote.") == ["AP"]
    assert _names("The ap reported the vote.") == []


def test_unknown_outlets_by_pattern() -> None:
    assert _names("The figures were aired by state broadcaster Vellmark.") == ["Vellmark"]
    assert _names("according to the Quarnova agency, prices rose.") == ["Quarnova"]
    assert _names("as cited by the Ostrel and Dunmere agencies.") == ["Ostrel", "Dunmere"]
    assert _names("Brevik, Norway's state broadcaster, said so.") == ["Brevik"]
    found = find_cited_outlets("Report", None, "The Koldavia TV channel said so.")
    assert [(c.name, c.kind) for c in found] == [("Koldavia", "broadcaster")]


def test_not_outlets() -> None:
    assert _names("The Russian space agency said it would launch a probe.") == []
    assert _names("The Chinese broadcaster reported the visit.") == []
    assert _names("The European Space Agency said the launch had slipped.") == []


def test_a_person_named_like_an_agency_is_not_cited() -> None:
    # "Petra" is Jordan's agency, and a given name: before a family name it is the person.
    assert _names("Petra Lindqvist said the ferry would sail at noon.") == []
    assert _names("The harbour master, Petra Lindqvist, told reporters so.") == []
    # The agency itself still counts, also in capitals before a capitalised word.
    assert _names("Jordan's news agency Petra reported the talks.") == ["Petra"]
    assert _names("PETRA Amman reported the talks, the agency said.") == ["Petra"]
    assert _names("The Petra agency reported the talks.") == ["Petra"]


def test_outlet_table_keeps_the_text_parser_working() -> None:
    assert canonical_agency("Tass") == "TASS"
    assert canonical_agency("Ria Novosti") == "RIA Novosti"
    assert canonical_agency("CCTV") is None  # a broadcaster, never a wire credit
    assert all(a.kind == "agency" for a in load_agencies())
    cctv = canonical_outlet("China Central Television")
    assert cctv is not None and (cctv.name, cctv.kind) == ("CCTV", "broadcaster")
    rossiya = canonical_outlet("Rossiya 24")
    assert rossiya is not None and rossiya.name == "Rossiya-24"
