"""Topic tagging: the taxonomy loader's validation, the scoring rules, the user's seed pages and
the BBC development set."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from newsdb.enrich.topics import (
    ENV_VAR,
    METHOD_RULE,
    METHOD_SECTION,
    Taxonomy,
    TopicScore,
    assign_topics,
    load_taxonomy,
)
from newsdb.errors import ConfigError

from .conftest import IN_CI

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
BBC_DEV = REPO.parent / "shared" / "data" / "topics" / "bbc_dev.jsonl"

REQUIRED = {
    "politics", "diplomacy", "conflict", "military", "economy", "trade", "energy", "science",
    "space", "health", "environment", "crime", "disasters", "society", "sport", "arts", "media",
}  # fmt: skip


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def write(tmp_path: Path, text: str, name: str = "topics.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


# A small taxonomy whose numbers the mechanics tests can reason about.
TOY = """
    [[topic]]
    slug = "sport"
    name = "Sport"
    sections = ["Sport", "Sports"]
    [topic.terms]
    match = 2
    goal = 2
    "world cup" = 3

    [[topic]]
    slug = "tennis"
    name = "Tennis"
    parent = "sport"
    [topic.terms]
    tennis = 3
    "grand slam" = 3

    [[topic]]
    slug = "space"
    name = "Space"
    [topic.terms]
    space = 2
    "office space" = -2
    "astronaut*" = 3
    lunar = 3

    [[topic]]
    slug = "politics"
    name = "Politics"
    sections = ["Politik"]
    [topic.terms]
    election = 3
    ally = 2
"""


@pytest.fixture
def toy(tmp_path: Path) -> Taxonomy:
    return load_taxonomy(write(tmp_path, TOY))


# -- the packaged taxonomy --------------------------------------------------------------------


def test_packaged_taxonomy_is_complete_and_two_levels(taxonomy: Taxonomy) -> None:
    slugs = [t.slug for t in taxonomy]
    assert REQUIRED <= set(slugs)
    assert 17 <= len(slugs) <= 40
    for topic in taxonomy:
        assert topic.name
        if topic.parent is not None:
            assert topic.parent in taxonomy
            assert taxonomy.get(topic.parent).parent is None
        assert topic.iptc is None or topic.iptc.startswith("medtop:")
    assert taxonomy.get("politics").iptc == "medtop:11000000"
    assert taxonomy.get("sport").iptc == "medtop:15000000"
    assert {t.slug for t in taxonomy.children("science")} >= {"space"}


def test_argument_beats_env_var_beats_packaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toy_path = write(tmp_path, TOY)
    other = write(
        tmp_path,
        """
        [[topic]]
        slug = "only"
        name = "Only"
        [topic.terms]
        word = 1
        """,
        "other.toml",
    )
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert "politics" in load_taxonomy() and len(load_taxonomy()) >= 17
    monkeypatch.setenv(ENV_VAR, str(other))
    assert [t.slug for t in load_taxonomy()] == ["only"]
    assert load_taxonomy(toy_path).source == str(toy_path)
    assert [t.slug for t in load_taxonomy(toy_path)] == ["sport", "tennis", "space", "politics"]


# -- loader validation ------------------------------------------------------------------------

BROKEN = {
    "toml-syntax": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        [topic.terms]
        word = = 1
        """,
        ["line 5", "not valid TOML"],
    ),
    "no-slug": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        [topic.terms]
        word = 1

        [[topic]]
        name = "B"
        [topic.terms]
        word = 1
        """,
        ["line 7", "topic #2", "slug"],
    ),
    "duplicate-slug": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        [topic.terms]
        word = 1

        [[topic]]
        slug = "a"
        name = "Again"
        [topic.terms]
        other = 1
        """,
        ["line 7", "'a'", "duplicate"],
    ),
    "missing-parent": (
        """
        [[topic]]
        slug = "child"
        name = "Child"
        parent = "nobody"
        [topic.terms]
        word = 1
        """,
        ["line 1", "'child'", "'nobody' does not exist"],
    ),
    "three-levels": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        [topic.terms]
        word = 1

        [[topic]]
        slug = "b"
        name = "B"
        parent = "a"
        [topic.terms]
        word = 1

        [[topic]]
        slug = "c"
        name = "C"
        parent = "b"
        [topic.terms]
        word = 1
        """,
        ["line 14", "'c'", "two levels"],
    ),
    "weight-string": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        [topic.terms]
        word = "high"
        """,
        ["line 1", "'a'", "'word'", "must be a number"],
    ),
    "weight-bool": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        [topic.terms]
        word = true
        """,
        ["line 1", "'a'", "must be a number"],
    ),
    "empty-evidence": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        [topic.terms]
        word = 1

        [[topic]]
        slug = "empty"
        name = "Empty"
        """,
        ["line 7", "'empty'", "no evidence"],
    ),
    "only-negative": (
        """
        [[topic]]
        slug = "neg"
        name = "Negative"
        [topic.terms]
        word = -1
        """,
        ["line 1", "'neg'", "no evidence"],
    ),
    "unknown-key": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        term = ["typo"]
        """,
        ["line 1", "'a'", "unknown key", "'term'"],
    ),
    "wildcard-inside": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        [topic.terms]
        "wo*rd" = 1
        """,
        ["line 1", "'a'", "'wo*rd'"],
    ),
    "no-topics": ("", ["no topics"]),
    "bad-iptc": (
        """
        [[topic]]
        slug = "a"
        name = "A"
        iptc = "11000000"
        [topic.terms]
        word = 1
        """,
        ["line 1", "'a'", "iptc"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_names_file_and_place(tmp_path: Path, case: str) -> None:
    text, expected = BROKEN[case]
    path = write(tmp_path, text, f"{case}.toml")
    with pytest.raises(ConfigError) as info:
        load_taxonomy(path)
    message = str(info.value)
    assert str(path) in message
    for part in expected:
        assert part in message


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.toml"):
        load_taxonomy(tmp_path / "nope.toml")


def test_broken_env_var_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[[topic]]\nslug = 'a'\n", "env.toml")
    monkeypatch.setenv(ENV_VAR, str(path))
    with pytest.raises(ConfigError, match="env.toml"):
        load_taxonomy()


# -- mechanics, on the toy taxonomy ----------------------------------------------------------


def test_article_about_nothing_gets_no_topic(toy: Taxonomy, taxonomy: Taxonomy) -> None:
    body = "It was a quiet day. Nothing much happened, and then it was evening again. " * 5
    assert assign_topics(toy, headline="A quiet day", body=body) == []
    assert assign_topics(taxonomy, headline="A quiet day", body=body) == []
    assert assign_topics(taxonomy, headline="", body="") == []


def test_one_weak_mention_is_below_threshold(toy: Taxonomy) -> None:
    body = "The committee met again on Tuesday to go over the minutes. " * 20
    assert assign_topics(toy, headline="Minutes", body=body + " There was a match.") == []


def test_rule_assignment_and_method(toy: Taxonomy) -> None:
    result = assign_topics(
        toy, headline="Astronauts prepare lunar mission", body="The astronaut crew trained."
    )
    assert result == [TopicScore("space", result[0].score, METHOD_RULE)]
    assert result[0].score > 0


def test_plurals_and_wildcards_match_whole_words(toy: Taxonomy) -> None:
    assert assign_topics(toy, headline="Elections called", body="")[0].slug == "politics"
    assert assign_topics(toy, headline="Allies meet", body="")[0].slug == "politics"
    # Whole words only: "selection" holds "election", "tally" holds "ally".
    assert assign_topics(toy, headline="Selection tally", body="") == []


def test_negative_phrase_cancels_its_word(toy: Taxonomy) -> None:
    assert assign_topics(toy, headline="Space shortage", body="")[0].slug == "space"
    assert assign_topics(toy, headline="Office space shortage", body="") == []


def test_headline_counts_more_than_body(toy: Taxonomy) -> None:
    in_headline = assign_topics(toy, headline="Election", body="Filler text here.")
    in_body = assign_topics(toy, headline="Filler text here", body="Election.")
    assert in_headline[0].score > in_body[0].score
    # The headline decides between two topics with the same body evidence.
    body = "The election was held. The match was played."
    assert assign_topics(toy, headline="Election day", body=body)[0].slug == "politics"
    assert assign_topics(toy, headline="Match day", body=body)[0].slug == "sport"


def test_standfirst_counts_between_headline_and_body(toy: Taxonomy) -> None:
    filler = "Filler words only."
    head = assign_topics(toy, headline="Election", body=filler)[0].score
    stand = assign_topics(toy, headline=filler, standfirst="Election", body=filler)[0].score
    body = assign_topics(toy, headline=filler, body="Election. " + filler)[0].score
    assert head > stand > body


def test_long_article_does_not_win_by_size(toy: Taxonomy) -> None:
    short = "The election was close. " + "Voters waited in the rain for hours. " * 5
    long = short * 20
    short_score = assign_topics(toy, headline="Results", body=short)[0].score
    long_score = assign_topics(toy, headline="Results", body=long)[0].score
    assert long_score < 2 * short_score
    # Padding an article with unrelated text dilutes its evidence (here below the threshold).
    padded = short + " And then other things happened that day, at length." * 60
    diluted = assign_topics(toy, headline="Results", body=padded)
    assert not diluted or diluted[0].score < short_score


def test_child_lends_to_parent_and_parent_is_implied(toy: Taxonomy) -> None:
    result = assign_topics(toy, headline="Tennis: grand slam draw", body="The tennis draw.")
    assert [t.slug for t in result] == ["tennis"]  # "sport" is implied by "tennis"
    both = assign_topics(
        toy, headline="World Cup match", body="The goal in the match, and a tennis score."
    )
    assert both[0].slug == "sport"


def test_section_mapping(toy: Taxonomy) -> None:
    body = "Filler words only, nothing to see."
    result = assign_topics(toy, headline="Saturday", body=body, section="SPORT")
    assert result == [TopicScore("sport", result[0].score, METHOD_SECTION)]
    assert assign_topics(toy, headline="x", body=body, section="politik")[0].slug == "politics"
    assert assign_topics(toy, headline="x", body=body, section="News / Sports")[0].slug == "sport"
    assert assign_topics(toy, headline="x", body=body, section="Weather") == []
    # A section adds to the rule evidence of the same topic.
    plain = assign_topics(toy, headline="Match report", body=body)[0]
    mapped = assign_topics(toy, headline="Match report", body=body, section="Sport")[0]
    assert mapped.score > plain.score and mapped.method == METHOD_SECTION


def test_packaged_sections(taxonomy: Taxonomy) -> None:
    body = "Filler words only, nothing to see."
    assert assign_topics(taxonomy, headline="x", body=body, section="SPORT")[0].slug == "sport"
    assert assign_topics(taxonomy, headline="x", body=body, section="Kultur")[0].slug == "arts"


def test_max_topics_order_and_ties(toy: Taxonomy) -> None:
    headline = "Lunar election"
    result = assign_topics(toy, headline=headline, body="")
    assert [t.slug for t in result] == ["politics", "space"]  # equal scores: by slug
    assert result[0].score == result[1].score
    three = assign_topics(toy, headline="Lunar election: goal, match, ally", body="")
    assert [t.slug for t in three] == ["politics", "sport", "space"]
    assert [t.slug for t in assign_topics(toy, headline=headline, body="", max_topics=1)] == [
        "politics"
    ]
    assert assign_topics(toy, headline=headline, body="", max_topics=0) == []
    scores = [t.score for t in assign_topics(toy, headline="Election", body="Lunar ally")]
    assert scores == sorted(scores, reverse=True)


def test_deterministic(taxonomy: Taxonomy) -> None:
    body = (
        "The central bank raised interest rates as inflation rose, while the football club "
        "sold its striker and the government announced a new defence budget for the army."
    )
    first = assign_topics(taxonomy, headline="Rates rise", body=body, max_topics=5)
    assert first
    for _ in range(3):
        assert assign_topics(taxonomy, headline="Rates rise", body=body, max_topics=5) == first
    assert assign_topics(load_taxonomy(), headline="Rates rise", body=body, max_topics=5) == first


def test_deterministic_across_hash_seeds(taxonomy: Taxonomy) -> None:
    code = (
        "from newsdb.enrich.topics import load_taxonomy, assign_topics\n"
        "b = 'Oil prices and the stock market fell; the minister met the ambassador. ' * 9\n"
        "print(assign_topics(load_taxonomy(), headline='Markets', body=b, max_topics=5))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop(ENV_VAR, None)
        run = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1


# -- invented articles, packaged taxonomy ---------------------------------------------------

INVENTED = [
    (
        "Striker's late goal wins derby",
        "The home side's striker scored in the ninetieth minute as the club moved top of the "
        "league. The manager praised his squad after the match, and the fans sang.",
        {"football", "sport"},
    ),
    (
        "Central bank holds interest rates",
        "The central bank kept interest rates unchanged as inflation eased and economic growth "
        "slowed. Economists expect unemployment to rise next quarter.",
        {"economy"},
    ),
    (
        "New smartphone chip promises longer battery life",
        "The company's processor, built for mobile phones, runs the latest operating system and "
        "apps faster. Software developers get early access.",
        {"technology"},
    ),
    (
        "Earthquake kills dozens",
        "A powerful earthquake struck the coastal region overnight. Rescue workers searched the "
        "rubble for survivors and the death toll is expected to rise.",
        {"disasters"},
    ),
    (
        "Minister resigns ahead of election",
        "The minister quit the cabinet as the opposition party led in the latest opinion poll. "
        "Parliament will be dissolved before the general election.",
        {"politics", "elections"},
    ),
    (
        "Court jails fraud gang",
        "Police arrested the gang last year. The judge sentenced the men to prison after the "
        "jury found them guilty of fraud.",
        {"crime"},
    ),
    (
        "Film wins best picture award",
        "The actress thanked the director as the film took the top award. The movie has taken "
        "millions at the box office.",
        {"film-tv", "arts"},
    ),
    (
        "Hospitals face flu surge",
        "Doctors and nurses treated thousands of patients as the flu virus spread. Health "
        "officials urged vaccination.",
        {"health"},
    ),
    (
        "Bundestag stimmt über Haushalt ab",
        "Die Bundesregierung und die Opposition streiten über den Haushalt. Der Kanzler will "
        "die Koalition zusammenhalten.",
        {"politics"},
    ),
    (
        "Le gouvernement prépare les élections",
        "Le ministre a annoncé la date du scrutin. Les électeurs voteront au printemps.",
        {"elections", "politics"},
    ),
]


@pytest.mark.parametrize(("headline", "body", "expected"), INVENTED, ids=lambda v: str(v)[:20])
def test_invented_articles(
    taxonomy: Taxonomy, headline: str, body: str, expected: set[str]
) -> None:
    result = assign_topics(taxonomy, headline=headline, body=body)
    assert result, "no topic"
    assert result[0].slug in expected


def test_space_not_from_office_space(taxonomy: Taxonomy) -> None:
    body = "The firm leased more office space in the city centre as its profits grew."
    assert "space" not in {t.slug for t in assign_topics(taxonomy, headline="Lease", body=body)}


# -- the user's seed pages -------------------------------------------------------------------

SEED_EXPECTATIONS = {
    "000": {"space", "diplomacy"},
    "001": {"military", "diplomacy"},
    "004": {"diplomacy"},
}
NEVER = {"sport", "football", "arts", "film-tv", "music", "health"}


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTATIONS))
@pytest.mark.parametrize("use_section", [True, False], ids=["with-section", "rules-only"])
def test_seed_pages(taxonomy: Taxonomy, prefix: str, use_section: bool, seeds_dir: Path) -> None:
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"seed page {prefix}_*.txt is not in {SEEDS}")
    from newsdb.parsers.text import parse_text

    article = parse_text(files[0].read_text(encoding="utf-8"))
    result = assign_topics(
        taxonomy,
        headline=article.headline,
        body=article.body,
        standfirst=article.standfirst,
        section=article.section if use_section else None,
    )
    slugs = {t.slug for t in result}
    assert SEED_EXPECTATIONS[prefix] <= slugs, result
    assert not slugs & NEVER, result


# -- the BBC development set -----------------------------------------------------------------


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_topics", REPO / "scripts/eval_topics.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bbc_dev_accuracy(taxonomy: Taxonomy) -> None:
    if not BBC_DEV.is_file():
        if IN_CI:
            pytest.fail(f"the BBC development set is not at {BBC_DEV}, and CI must run this")
        pytest.skip(f"the BBC development set is not at {BBC_DEV}")
    eval_topics = _eval_module()
    assert set(eval_topics.CLASS_OF) == {t.slug for t in taxonomy}, "map every topic"
    rows = [json.loads(line) for line in BBC_DEV.read_text("utf-8").splitlines() if line]
    correct = 0
    for row in rows:
        result = assign_topics(taxonomy, headline=row["title"], body=row["body"])
        if result and eval_topics.class_of(taxonomy, result[0].slug) == row["category"]:
            correct += 1
    assert correct / len(rows) >= 0.92
