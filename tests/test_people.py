"""People, forms and roles: the seed pages (what the issue asks of them), texts written for
these tests, and a floor on the GUM development documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdb.enrich.people import KnownNames, PersonMention, analyse, article_text, find_people
from newsdb.parsers import parse_page, read_page

from .conftest import IN_CI, SHARED

GUM = SHARED / "data" / "people"


def _seed(seeds_dir: Path, prefix: str) -> tuple[str, str | None, str]:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    a = parse_page(read_page(path))
    return a.headline, a.standfirst, a.body


def _people(headline: str, standfirst: str | None, body: str) -> dict[str, PersonMention]:
    return {p.name: p for p in find_people(headline, standfirst, body)}


# --- seeds ------------------------------------------------------------------------------------


def test_seed_000_people_and_roles(seeds_dir: Path) -> None:
    people = _people(*_seed(seeds_dir, "000"))
    assert list(people) == ["Vladimir Putin", "Xi Jinping", "Yuri Borisov", "Dmitri Medvedev"]
    assert people["Yuri Borisov"].role == "president of Roscosmos"
    assert people["Yuri Borisov"].forms == ("Yuri Borisov", "Borisov")
    assert people["Dmitri Medvedev"].role == "number two of the Russian Security Council"
    assert people["Xi Jinping"].role == "Chinese President"
    assert people["Vladimir Putin"].role is None


def test_seed_001_people_and_roles(seeds_dir: Path) -> None:
    headline, standfirst, body = _seed(seeds_dir, "001")
    people = _people(headline, standfirst, body)
    assert list(people) == ["Vladimir Putin", "Xi Jinping"]
    putin = people["Vladimir Putin"]
    # "Putin tells Xi ..." in the headline binds to the full names of the body.
    assert putin.first_offset == 0 and putin.forms == ("Vladimir Putin", "Putin")
    assert people["Xi Jinping"].first_offset == headline.index("Xi")
    assert putin.role == "Russian leader"
    assert people["Xi Jinping"].role == "Chinese President"
    text = article_text(headline, standfirst, body)
    assert all(text[s:e] in putin.forms for s, e in putin.spans)
    assert putin.count == len(putin.spans) == text.count("Putin")


def test_seed_004_people_and_roles(seeds_dir: Path) -> None:
    people = _people(*_seed(seeds_dir, "004"))
    assert list(people) == ["Xi Jinping", "Vladimir Putin", "Mikhail Mishustin"]
    assert people["Mikhail Mishustin"].role == "Russian Prime Minister"


@pytest.mark.parametrize("prefix", ["000", "001", "004"])
def test_seed_not_people(seeds_dir: Path, prefix: str) -> None:
    names = set(_people(*_seed(seeds_dir, prefix)))
    for wrong in ("Putin Xi", "Roscosmos", "Kremlin", "CCTV", "Ferdinand Marcos", "Dong Jun"):
        assert wrong not in names


# --- rules, on texts written for these tests -------------------------------------------------


def test_short_forms_bind_to_the_full_name() -> None:
    body = (
        "Finance Minister Halvard Rusk met Chancellor Ottilie Brand on Monday. Rusk said the "
        "budget was ready, and Brand agreed.\n\nLater Rusk left."
    )
    people = _people("Rusk and Brand agree budget", None, body)
    assert list(people) == ["Halvard Rusk", "Ottilie Brand"]
    assert people["Halvard Rusk"].count == 4  # headline, full name, twice alone
    assert people["Halvard Rusk"].role == "Finance Minister"
    assert people["Ottilie Brand"].role == "Chancellor"


def test_headline_fragment_is_two_people() -> None:
    body = "Mayor Ilse Vantongeren and Governor Piet Oorthuys met in Ghent."
    people = _people("Vantongeren Oorthuys talks end", None, body)
    assert set(people) == {"Ilse Vantongeren", "Piet Oorthuys"}
    assert people["Ilse Vantongeren"].first_offset == 0


def test_title_case_headline_names_nobody_new() -> None:
    people = _people("Storm Will Hit Coast Tomorrow, Officials Say", None, "Rain is due.")
    assert people == {}


def test_organisations_places_and_months_are_not_people() -> None:
    body = (
        "The Kennedy Space Center and the National Security Council said in March that Moscow "
        "and Beijing agreed. The Kremlin declined to comment on Monday."
    )
    assert _people("Space deal", None, body) == {}


def test_role_noun_and_appositive_give_role_and_evidence() -> None:
    body = (
        'team member Zorbek Ullaby told the press it was "a day to remember". '
        "Quillon Ferrabast, the club's coach, was pleased."
    )
    people = _people("Team wins", None, body)
    assert people["Zorbek Ullaby"].role == "team member"
    assert people["Quillon Ferrabast"].role == "club's coach"


def test_east_asian_family_name_first() -> None:
    people = _people("Talks", None, "Premier Wang Lixiong met Kim Sol-ha. Wang said little.")
    assert people["Wang Lixiong"].forms == ("Wang Lixiong", "Wang")
    assert "Kim Sol-ha" in people


def test_glued_word_is_repaired_from_a_later_short_form() -> None:
    body = "It was announced by the director, Marta Quillfeatherin a statement. Quillfeather left."
    people = _people("News", None, body)
    assert list(people) == ["Marta Quillfeather"]
    assert people["Marta Quillfeather"].role == "director"


def test_glued_word_is_repaired_from_a_known_name() -> None:
    body = "The plan came from Peter Trennerin a letter."
    assert list(_people("News", None, body)) == ["Peter Trennerin"]
    found = find_people("News", None, body, known=KnownNames(["Peter Trenner"]))
    assert [p.name for p in found] == ["Peter Trenner"]
    # A plain collection works as well as the prebuilt index.
    assert [p.name for p in find_people("News", None, body, known=["Peter Trenner"])] == [
        "Peter Trenner"
    ]


def test_known_family_name_alone_is_accepted() -> None:
    body = "Trennerby spoke at length in the hall."
    assert find_people("News", None, body) == []
    found = find_people("News", None, body, known=KnownNames(["Osvald Trennerby"]))
    assert [p.name for p in found] == ["Trennerby"]


def test_known_family_name_alone_is_not_a_word_the_article_writes_in_lower_case() -> None:
    """A sentence that opens with a common word is not about a known person of that name."""
    known = KnownNames(["Alvin Budget", "Osvald Trennerby"])
    body = "Budget talks resumed on Monday. The budget was cut again, Trennerby said."
    assert [p.name for p in find_people("News", None, body, known=known)] == ["Trennerby"]
    # Evidence of its own still names the person: a title before the word.
    body = "Minister Budget spoke first. The budget was cut again."
    assert [p.name for p in find_people("News", None, body, known=known)] == ["Budget"]


def test_plural_role_noun_and_lists_of_names() -> None:
    body = (
        "The show had portraits of photographers Orvid Plenkash, Tamsel Quorrin and Ebbe Lintvard; "
        "and of athletes Jaspen Mudrow (rowing). The halls were full."
    )
    people = _people("Show", None, body)
    assert {"Orvid Plenkash", "Tamsel Quorrin", "Ebbe Lintvard", "Jaspen Mudrow"} <= set(people)
    # A list item after "of" is an organisation, not a person joined to the list.
    body = "Elected were candidates Orvid Plenkash of Forward Tide, and Anna Quorrin of the Greens."
    assert set(_people("Vote", None, body)) == {"Orvid Plenkash", "Anna Quorrin"}


def test_initials_and_family_name() -> None:
    body = "The gift was approved by K.C. Pendrick; U.S. Navy ships sailed by."
    assert list(_people("Gift", None, body)) == ["K.C. Pendrick"]


def test_name_like_words_after_the_or_written_in_lower_case() -> None:
    # "the X Y" with no title: the name of a band, a brand or a product.
    body = "The music was by The Velvet Harrowmen. Orvid Plenkash said so."
    assert list(_people("Party", None, body)) == ["Orvid Plenkash"]
    # A word also written in lower case starts no unknown name, whatever the cue.
    body = (
        "Selenium intake is low. The head of Control of Selenium Deficiency Disorders says "
        "selenium matters."
    )
    assert _people("Diet", None, body) == {}


def test_one_vowel_apart_is_one_person() -> None:
    body = (
        "Interview with Kristin Orlowe, the curator. Kristen Orlowe said the show runs to May. "
        "Orlowe chose the prints."
    )
    people = _people("Show", None, body)
    assert list(people) == ["Kristin Orlowe"]
    assert people["Kristin Orlowe"].count == 3
    # Two names apart by more than one vowel are two people.
    body = "Mark Orlowe and Mary Orlowe said so."
    assert set(_people("Show", None, body)) == {"Mark Orlowe", "Mary Orlowe"}


def test_role_before_a_parenthesis_and_a_comma() -> None:
    body = (
        "The secretary general of the ACB (the bishops' council), Tamsel Quorrin, called the "
        "ruling dangerous."
    )
    people = _people("Ruling", None, body)
    assert list(people) == ["Tamsel Quorrin"]
    assert people["Tamsel Quorrin"].role == "secretary general of the ACB"


def test_a_child_named_by_given_name_only() -> None:
    body = "They are on trial over the death of their child, Gloria. Gloria was nine months old."
    people = _people("Trial", None, body)
    assert list(people) == ["Gloria"]
    assert people["Gloria"].count == 2  # the later mention without evidence counts too


def test_one_word_names_listed_after_a_plural_role_noun() -> None:
    body = (
        "Villagers still honour the old kings, such as Vorun, Ellike and Tamsa. "
        "Vorun ruled the valley. The rivers Dunne and Arle flood often."
    )
    people = _people("History", None, body)
    assert list(people) == ["Vorun", "Ellike", "Tamsa"]
    assert people["Vorun"].count == 2
    # Gods are not people (a news database's people are people).
    gods = "Villagers still honour the old gods, such as Vorun, Ellike and Tamsa."
    assert not _people("Faith", None, gods)


def test_a_party_or_country_possessive_shows_a_person() -> None:
    body = "The KDL's Tamsel Quorrin and Orvid Plenkash were elected; Norway's Ebbe Lintvard lost."
    people = _people("Vote", None, body)
    assert set(people) == {"Tamsel Quorrin", "Orvid Plenkash", "Ebbe Lintvard"}


def test_a_title_after_a_work_noun_is_no_person() -> None:
    body = "She launched her graphic novel Angel Harrowby, with the artist Orvid Plenkash."
    assert list(_people("Books", None, body)) == ["Orvid Plenkash"]


def test_an_unknown_word_after_an_organisation_ends_its_name() -> None:
    body = "A student at University of Texas Dunmore Amneh Quorrin heard of it. Quorrin said so."
    assert list(_people("Support", None, body)) == ["Amneh Quorrin"]
    # A place's hyphenated adjective belongs to the organisation too.
    body = "The head of the Council on American-Estonian Affairs Tamsel Quorrin said so."
    assert list(_people("Support", None, body)) == ["Tamsel Quorrin"]


def test_the_leader_named_before_government() -> None:
    body = "The tax was changed by the Varelli government; the Conservative government kept it."
    assert list(_people("Tax", None, body)) == ["Varelli"]
    # A word the article also writes in lower case is no leader's name.
    body = "The coalition held. Reform came under the Coalition government."
    assert _people("Tax", None, body) == {}


def test_a_description_between_name_and_cue() -> None:
    body = "Tamsel Quorrin, a second year art major, admitted she skipped class to see it."
    assert list(_people("Show", None, body)) == ["Tamsel Quorrin"]
    body = "Dunmere Quays, a 40-room hotel by the harbour, opened in May."
    assert _people("Hotel", None, body) == {}


def test_a_number_before_name_like_words_makes_them_a_thing() -> None:
    body = "Fans of the 2014 Ortan Vellisk, who came from afar, said it was cold."
    assert _people("Sport", None, body) == {}
    body = "Fans of Ortan Vellisk, who came from afar, said it was cold."
    assert list(_people("Sport", None, body)) == ["Ortan Vellisk"]


def test_a_capitalised_role_noun_ends_the_role() -> None:
    body = "Editorial Manager Tamsel Quorrin said the paper would go on."
    people = _people("Paper", None, body)
    assert list(people) == ["Tamsel Quorrin"]
    assert people["Tamsel Quorrin"].role == "Editorial Manager"


def test_a_given_name_before_an_east_asian_family_name() -> None:
    body = "After a long count Verrin Leung won a seat in the vote."
    assert list(_people("Vote", None, body)) == ["Verrin Leung"]
    # A family name that is also an English word ends the names of places and things.
    assert _people("Match", None, "Fans filled Dunmore Park on Sunday.") == {}
    # Not when the article writes either word in lower case.
    body = "Grand Lee opened. Boats sheltered in the lee of the hill."
    assert _people("Port", None, body) == {}


def test_the_agent_of_a_passive_and_the_author_of_a_work() -> None:
    body = "The shot was blocked by Dorvan Kelliset in the last minute."
    assert list(_people("Match", None, body)) == ["Dorvan Kelliset"]
    body = "The method comes from a paper by Ilse Marrowby in 1990."
    assert list(_people("Study", None, body)) == ["Ilse Marrowby"]
    # "followed by" gives an order, not an agent.
    body = "The opera season opened with Tosca, followed by Dunmore Vells."
    assert _people("Opera", None, body) == {}


def test_initials_without_dots() -> None:
    # "as" is written in lower case: "JT", in capitals, is still initials.
    body = "The model comes from a paper by JT Marrowby in 1989, as the team noted."
    assert list(_people("Study", None, body)) == ["JT Marrowby"]
    # "LA" is a place, not initials.
    assert _people("Study", None, "The team told LA Weekly it was pleased.") == {}


def test_a_function_word_as_family_name_after_a_given_name() -> None:
    body = "Ada To, a lawyer, kept her seat; voters went to the polls early."
    assert list(_people("Vote", None, body)) == ["Ada To"]
    # Only at the end of a run: "Ada To Go" is no name of that shape.
    body = "Voters went to the polls early. Ada To Go is a song."
    assert "Ada To Go" not in _people("Vote", None, body)


def test_person_verbs_link_names() -> None:
    body = "Late on, Dorvan Kelliset replaced Charles Ostrow in midfield."
    assert list(_people("Match", None, body)) == ["Dorvan Kelliset", "Charles Ostrow"]
    # Not through a possessive: the film beat the other's film.
    body = "Dunmore Vells beat Charles Ostrow's latest film to the prize."
    assert list(_people("Awards", None, body)) == ["Charles Ostrow"]
    body = "Dorvan Kelliset scored twice in the second half."
    assert list(_people("Match", None, body)) == ["Dorvan Kelliset"]


def test_no_romanised_given_name_ends_in_s() -> None:
    body = "The museum shows Chen Scrolls beside Wang Lixin's paintings."
    assert list(_people("Art", None, body)) == ["Wang Lixin"]


def test_a_role_noun_ends_no_name() -> None:
    body = "A story in Dunmore Reporter said the mill would close."
    assert _people("Mill", None, body) == {}


def test_a_thing_named_after_a_person() -> None:
    body = "She toured with the Charles Ostrow Exhibition last year."
    assert list(_people("Tour", None, body)) == ["Charles Ostrow"]
    # An ending that names also have counts only when the article writes the word.
    body = "She toured with Charles Ostrow Lawrence last year."
    assert list(_people("Tour", None, body)) == ["Charles Ostrow Lawrence"]


def test_more_evidence_for_unknown_names() -> None:
    # A role noun known by its ending, and a role after "is a".
    body = "The dig was run with geologist Tamsel Quorrin."
    assert list(_people("Dig", None, body)) == ["Tamsel Quorrin"]
    body = "Tamsel Quorrin is a Danish choreographer born in 1970."
    assert list(_people("Dance", None, body)) == ["Tamsel Quorrin"]
    body = "Tamsel Quorrin is a small harbour in the north."
    assert _people("Port", None, body) == {}
    # "and his": a person.
    body = "Tamsel Quorrin and his colleagues found the dust."
    assert list(_people("Dust", None, body)) == ["Tamsel Quorrin"]
    # An adverb opening the sentence is no part of the name.
    body = "Obviously Tamsel Quorrin said no."
    assert list(_people("No", None, body)) == ["Tamsel Quorrin"]


def test_a_sentence_case_headline_name_with_evidence_in_the_body() -> None:
    body = "Quorrin explained how the harbour was built."
    people = _people("Reporters meet engineer Tamsel Quorrin on the harbour", None, body)
    assert list(people) == ["Tamsel Quorrin"]
    # The headline's first word is capitalised anyway: no part of a name.
    people = _people("Fuming Quorrin walks out of the talks", None, body)
    assert "Fuming Quorrin" not in people
    # "PM" is a title.
    people = _people("Talks", None, "PM Tamsel Quorrin said no.")
    assert people["Tamsel Quorrin"].role == "PM"


@pytest.fixture
def gazetteer(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A tiny stand-in for the optional faker gazetteer (given and family names)."""
    from newsdb.enrich import _lexicon, people

    monkeypatch.setattr(
        _lexicon,
        "_faker_names",
        lambda: (frozenset({"Winter", "Orvid", "Kestra"}), frozenset({"Quorrin"})),
    )
    _lexicon.lexicon.cache_clear()
    people.clear_caches()
    yield
    _lexicon.lexicon.cache_clear()
    people.clear_caches()


@pytest.mark.usefixtures("gazetteer")
def test_gazetteer_given_names_are_trusted_less() -> None:
    # A gazetteer given name before a gazetteer family name is a person.
    assert list(_people("Visit", None, "Orvid Quorrin opened the fair.")) == ["Orvid Quorrin"]
    # Before any other word it needs evidence, or its family name used alone elsewhere.
    assert _people("Visit", None, "Crowds came to the Winter Carnival in town.") == {}
    assert _people("Visit", None, "Kestra Vellimore opened the fair.") == {}
    body = "Kestra Vellimore opened the fair. Vellimore left at noon."
    assert list(_people("Visit", None, body)) == ["Kestra Vellimore"]
    # Not when the article writes the name as a lower-case word.
    body = "Winter Quorrin came in winter."
    assert _people("Visit", None, body) == {}


def test_offsets_and_standfirst() -> None:
    people = find_people("Visit", "Mayor Tilda Ossenbruck arrived.", "Ossenbruck smiled.")
    text = article_text("Visit", "Mayor Tilda Ossenbruck arrived.", "Ossenbruck smiled.")
    (p,) = people
    assert text[p.first_offset :].startswith("Tilda Ossenbruck")
    assert [text[s:e] for s, e in p.spans] == ["Tilda Ossenbruck", "Ossenbruck"]
    assert article_text("H", "", "B") == "H\n\nB"


def test_analyse_returns_everything() -> None:
    body = (
        'Admiral Ruth Kvaleberg said: "The fleet will sail before the end of the month." '
        "The comments were broadcast by state broadcaster NRK."
    )
    result = analyse("Fleet to sail", None, body)
    assert [p.name for p in result.people] == ["Ruth Kvaleberg"]
    assert result.quotes[0].speaker == "Ruth Kvaleberg"
    assert [c.name for c in result.cited] == ["NRK"]
    assert result.text == article_text("Fleet to sail", None, body)


# --- GUM floor ------------------------------------------------------------------------------


def _gum(name: str) -> list[dict[str, object]]:
    path = GUM / name
    if not path.is_file():
        if IN_CI:
            pytest.fail(f"{path} is missing, and CI must run the GUM floor test")
        pytest.skip(f"the GUM development documents are not at {GUM}")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


@pytest.mark.parametrize(
    ("name", "floor"), [("gum_news.jsonl", 0.79), ("gum_interview.jsonl", 0.68)]
)
def test_gum_floor(name: str, floor: float) -> None:
    """Document-level micro F1, a person right only when the fullest names are equal."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from eval_people import gold_names, split_doc

    tp = fp = fn = 0
    for doc in _gum(name):
        headline, body = split_doc(doc)
        got = {p.name for p in find_people(headline, None, body)}
        gold = gold_names(doc)
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= floor, f"F1 {f1:.3f} < {floor}"


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Iodine Deficiency Disorders: iodine is added to salt.", "iodine", True),
        ("Iodine Deficiency Disorders: iodine-rich salt.", "iodine", False),  # hyphen joins
        ("the iodine's price", "iodine", False),  # apostrophe joins
        ("iodine", "iodine", True),  # the whole text
        ("radioiodine and iodines", "iodine", False),  # inside longer words only
        ("radioiodine, then iodine.", "iodine", True),  # a later whole mention counts
        ("red_iodine iodine1", "iodine", False),  # "_" and digits are word characters
        ("Winter winters; winter.", "winter", True),
    ],
)
def test_whole_word_in(text: str, word: str, expected: bool) -> None:
    from newsdb.enrich.people import _whole_word_in

    assert _whole_word_in(text, word) is expected
