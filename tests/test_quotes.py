"""Quotes and their speakers: the seed pages and texts written for these tests."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdb.enrich.people import analyse, find_people
from newsdb.enrich.quotes import Quote, find_quotes
from newsdb.parsers import parse_page, read_page


def _seed(seeds_dir: Path, prefix: str) -> list[Quote]:
    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    a = parse_page(read_page(path))
    return list(analyse(a.headline, a.standfirst, a.body).quotes)


def _speaker(quotes: list[Quote], begins: str) -> tuple[str | None, str | None]:
    (q,) = [q for q in quotes if q.text.startswith(begins)]
    return q.speaker, q.speaker_kind


def test_seed_001_speakers(seeds_dir: Path) -> None:
    quotes = _seed(seeds_dir, "001")
    assert _speaker(quotes, "We aim to strengthen cooperation between the armed forces") == (
        "Vladimir Putin",
        "person",
    )
    assert _speaker(quotes, "Russia has become one of the leaders when it comes to oil") == (
        "Vladimir Putin",
        "person",
    )
    assert _speaker(quotes, "We are ready to ramp up strategic cooperation with Russia") == (
        "Xi Jinping",
        "person",
    )
    assert _speaker(quotes, "China is ready to work with Russia and all progressive") == (
        "CCTV",
        "outlet",
    )
    # "he said" after a sentence about Xi; "it added" after the broadcaster.
    assert _speaker(quotes, "Under our joint leadership")[0] == "Xi Jinping"
    assert _speaker(quotes, "It has been proved repeatedly")[0] == "CCTV"
    texts = [q.text for q in quotes]
    assert "friends" not in texts and "dear friend" not in texts and "my friend" not in texts


def test_seed_004_and_000_speakers(seeds_dir: Path) -> None:
    quotes = _seed(seeds_dir, "004")
    assert _speaker(quotes, "In the face of changes unseen in a century")[0] == "Xi Jinping"
    assert _speaker(quotes, "the material and public opinion foundation")[0] == "Xi Jinping"
    quotes = _seed(seeds_dir, "000")
    q = [q for q in quotes if q.text.startswith("An agreement to work together")]
    assert q[0].speaker == "Yuri Borisov" and q[0].cue == "confirmed"
    assert q[0].text == "An agreement to work together in this field was recently signed"


def _quotes(body: str) -> list[Quote]:
    people = find_people("Report", None, body)
    return find_quotes("Report", None, body, people)


def test_short_quoted_phrases_are_not_statements() -> None:
    body = 'Mayor Edda Lindqvist called it "a fine day" and praised the "spirit".'
    assert _quotes(body) == []


def test_speaker_after_and_inverted() -> None:
    body = (
        "Mayor Edda Lindqvist opened the bridge on Monday.\n\n"
        '"This bridge will carry ten thousand people a day," said Lindqvist.\n\n'
        "“We waited far too long for this crossing,” she added."
    )
    quotes = _quotes(body)
    assert [(q.speaker, q.cue) for q in quotes] == [
        ("Edda Lindqvist", "said"),
        ("Edda Lindqvist", "added"),
    ]
    assert quotes[1].text == "We waited far too long for this crossing"
    text = "Report\n\n" + body
    assert text[quotes[0].offset :].startswith("This bridge")


def test_speaker_before_with_colon_and_that() -> None:
    body = (
        'Coach Bram Oosterhuis said: "We will play to win every single match." '
        'Oosterhuis later said that "the squad is fitter than it has ever been".'
    )
    quotes = _quotes(body)
    assert [q.speaker for q in quotes] == ["Bram Oosterhuis", "Bram Oosterhuis"]


def test_split_quote_is_one_quote() -> None:
    body = (
        'Senator Ilka Marwood spoke briefly. "The vote is close," Marwood said, "but we '
        'have the numbers to pass it."'
    )
    (q,) = _quotes(body)
    assert q.text == "The vote is close but we have the numbers to pass it."
    assert q.speaker == "Ilka Marwood"


def test_pronoun_refers_to_the_subject_before() -> None:
    body = (
        "Governor Pia Halvorsen met Mayor Tomas Eklund in the capital.\n\n"
        '"We agreed on the plan for the new harbour today," he said.'
    )
    # "he" goes back to the subject of the sentence before: the first person named there.
    assert _quotes(body)[0].speaker == "Pia Halvorsen"


def test_outlet_and_organisation_speakers() -> None:
    body = (
        "The talks were covered by state broadcaster NRK.\n\n"
        '"The negotiations will resume early next week," the broadcaster said.\n\n'
        'Norway, for its part, said it was "ready to sign the agreement at any time".'
    )
    quotes = _quotes(body)
    assert [(q.speaker, q.speaker_kind) for q in quotes] == [
        ("NRK", "outlet"),
        ("Norway", "organisation"),
    ]


def test_unattributed_quote_has_no_speaker() -> None:
    body = 'The sign read "no entry for anyone after six in the evening".'
    (q,) = _quotes(body)
    assert (q.speaker, q.speaker_kind, q.cue) == (None, None, None)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet='.!?\n \t\u00a0"”’»xY', max_size=40))
def test_sentence_starts_are_those_of_the_end_pattern(text: str) -> None:
    from newsdb.enrich._text import _END_RE, Sentences

    assert Sentences(text)._starts == [0, *(m.end() for m in _END_RE.finditer(text))]
