"""Topic tagging: score an article against a user-editable taxonomy of weighted terms.

The taxonomy is data, not code (``newsdb/data/topics.toml``; the header of that file explains
the format). This module reads and validates it, compiles every term of every topic into one
lookup structure, and scores articles with it. It is pure: no database, no I/O after loading.

How an article is scored (the constants below hold the numbers):

* The text is cut into case-folded word tokens (``\\w+``: hyphens and apostrophes split
  words, so "e-mail" is the phrase "e mail" and "Russia's" contains "russia"). A term matches
  whole tokens only: ``"oil"`` never fires inside "turmoil". A single-word term also matches
  its regular English plural ("election" matches "elections", "ally" matches "allies"); a
  trailing ``*`` makes a term a prefix ("diplomat*" matches "diplomatic", "Diplomatie"). A
  phrase ("prime minister") matches the same tokens in a row, not across a sentence or clause
  break (``.,;:!?``), and its score adds to that of its words, so a negative phrase
  ("office space" = -2) can cancel a word ("space") where it means something else.
* Each zone is scored apart: a term's weight times ``1 + ln(count)`` (a word repeated ten
  times is strong evidence, but not ten times as strong). The headline counts
  ``HEADLINE_WEIGHT`` times and the standfirst ``STANDFIRST_WEIGHT`` times as much as the body.
* The body score is divided by ``(tokens / BODY_REFERENCE_TOKENS) ** BODY_LENGTH_EXPONENT``
  (bodies shorter than the reference are not boosted), so a long article does not win by
  size alone.
* The outlet's section label, when a topic lists it, adds ``SECTION_SCORE``.
* A parent topic gets its own evidence plus ``PARENT_SHARE`` of each child's score: an
  article that touches trade, markets and energy a little is clearly about the economy.
* A topic is kept when its score reaches ``MIN_SCORE`` and ``MIN_RELATIVE`` of the best
  score; a parent ranked below one of its own kept children is dropped (the child is the
  more precise label, the parent is implied). Ties are broken by slug, so the result is
  deterministic.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from newsdb.errors import ConfigError

__all__ = [
    "ENV_VAR",
    "Taxonomy",
    "TopicDef",
    "TopicScore",
    "assign_topics",
    "load_taxonomy",
]

ENV_VAR = "NEWSDB_TOPICS"
"""Environment variable naming a taxonomy file to use instead of the packaged one."""

HEADLINE_WEIGHT = 3.0
"""How much a headline token counts relative to a body token of a short article."""
STANDFIRST_WEIGHT = 1.5
"""How much a standfirst token counts relative to a body token of a short article."""
BODY_REFERENCE_TOKENS = 150
"""Bodies up to this many tokens are scored as they are; longer ones are damped."""
BODY_LENGTH_EXPONENT = 0.5
"""0 = no length normalisation, 1 = pure density; in between rewards a longer article a little."""
SECTION_SCORE = 4.0
"""What an outlet's section label mapped to a topic is worth (the editors' own judgement)."""
PARENT_SHARE = 0.5
"""Share of a child topic's score lent to its parent."""
MIN_SCORE = 3.0
"""Below this score a topic is weak evidence and is not assigned."""
MIN_RELATIVE = 0.3
"""A topic must also reach this fraction of the best topic's score to be assigned."""

METHOD_RULE = "rule"
METHOD_SECTION = "section"

_PACKAGED = "data/topics.toml"
_WORD_RE = re.compile(r"\w+")
# What may separate the words of a phrase: spaces, hyphens, quotes, but not the punctuation
# that ends a clause ("... in space. For years ..." is not the phrase "space for").
_PHRASE_GAP = r"[^\w.,;:!?]+"
_TOPIC_HEADER_RE = re.compile(r"^[ \t]*\[\[[ \t]*topic[ \t]*\]\]", re.MULTILINE)
_SECTION_SPLIT_RE = re.compile(r"\s*[/|>»:,;]\s*")
_TOPIC_KEYS = frozenset({"slug", "name", "parent", "iptc", "sections", "terms"})
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_IPTC_RE = re.compile(r"^medtop:\d{8}$")
_VOWELS = frozenset("aeiou")
# Memoised token lookups grow with the vocabulary seen; news vocabulary is large but finite.
# The bound only protects a long-running process fed with junk (random ids, base64).
_CACHE_LIMIT = 200_000

_Hits = tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class TopicDef:
    """One topic of the taxonomy, as written in the file.

    Attributes:
        slug: Stable identifier ("diplomacy"); what the database stores.
        name: Human-readable name ("Diplomacy and international relations").
        parent: Slug of the parent topic, or None for a top-level topic.
        iptc: IPTC Media Topics code ("medtop:11000000") where one fits, else None.
        terms: (term, weight) pairs in file order; negative weights are evidence against.
        sections: Outlet section labels that map to this topic, case-folded.
        line: Line of the ``[[topic]]`` header in the file, when known (for messages).
    """

    slug: str
    name: str
    parent: str | None
    iptc: str | None
    terms: tuple[tuple[str, float], ...] = ()
    sections: tuple[str, ...] = ()
    line: int | None = None


class TopicScore(NamedTuple):
    """A topic assigned to an article.

    Attributes:
        slug: The topic's slug.
        score: How strongly the article supports it (larger is stronger; not a probability).
        method: "rule" when taxonomy terms put it there, "section" when the outlet's section
            label maps to it (the score then also includes any term evidence).
    """

    slug: str
    score: float
    method: str


class _Phrase(NamedTuple):
    pattern: re.Pattern[str]  # the words in a row; no leading \b, see _count_phrase
    needs: frozenset[str]  # words that must occur in the text for the phrase to be possible
    hits: tuple[tuple[int, float], ...]


class Taxonomy:
    """A validated taxonomy with its terms compiled for fast matching.

    Build it with :func:`load_taxonomy`; load it once and reuse it, since compiling costs
    far more than scoring one article. It memoises the tokens it has seen, so give each
    worker process (or thread) its own instance rather than sharing one between threads.

    Attributes:
        topics: Every topic, in file order.
        source: Where the taxonomy was read from (a path, or the packaged resource's name).
    """

    def __init__(self, topics: tuple[TopicDef, ...], source: str) -> None:
        """Compile ``topics`` (already validated by :func:`load_taxonomy`).

        Args:
            topics: The topics, in file order.
            source: Where they came from, for messages.
        """
        self.topics = topics
        self.source = source
        self._index = {t.slug: i for i, t in enumerate(topics)}
        self._slugs = tuple(t.slug for t in topics)
        self._parent = tuple(self._index[t.parent] if t.parent is not None else -1 for t in topics)
        words: dict[str, list[tuple[int, float]]] = {}
        prefixes: dict[str, list[tuple[int, float]]] = {}
        phrases: dict[tuple[tuple[str, ...], bool], list[tuple[int, float]]] = {}
        sections: dict[str, list[int]] = {}
        for i, topic in enumerate(topics):
            for term, weight in topic.terms:
                tokens, is_prefix = _term_tokens(term)
                if len(tokens) > 1:
                    phrases.setdefault((tokens, is_prefix), []).append((i, weight))
                elif is_prefix:
                    prefixes.setdefault(tokens[0], []).append((i, weight))
                else:
                    for form in _inflections(tokens[0]):
                        words.setdefault(form, []).append((i, weight))
            for label in topic.sections:
                sections.setdefault(label, []).append(i)
        self._words = {k: _merge(v) for k, v in words.items()}
        self._prefixes = {k: _merge(v) for k, v in prefixes.items()}
        self._prefix_lengths = tuple(sorted({len(k) for k in prefixes}))
        # Phrases are indexed by their first word; a phrase is only searched for when all the
        # words it needs are among the article's words, which rules out nearly all of them
        # with set operations instead of a scan of the text per phrase.
        by_start: dict[str, list[_Phrase]] = {}
        for (tokens, is_prefix), hits in sorted(phrases.items()):
            *head, last = tokens
            if is_prefix:
                tail = re.escape(last) + r"\w*"
                needs = frozenset(head)
            else:
                forms = _inflections(last)
                tail = "(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)"
                needs = frozenset(tokens)
            source_re = "".join(re.escape(w) + _PHRASE_GAP for w in head) + tail
            phrase = _Phrase(re.compile(source_re), needs, _merge(hits))
            by_start.setdefault(tokens[0], []).append(phrase)
        self._phrases = {k: tuple(v) for k, v in by_start.items()}
        self._phrase_words = frozenset(
            w for ps in self._phrases.values() for p in ps for w in p.needs
        )
        self._sections = {k: tuple(dict.fromkeys(v)) for k, v in sections.items()}
        # Memo of raw whitespace-separated tokens ("economy,", "e-mail", "russia's") seen so
        # far: ``_seen`` holds all of them, ``_useful`` only those that contain a word with
        # evidence or a phrase word. An article's tokens are looked up with set operations
        # (C speed), and Python code runs only for the few dozen tokens that matter.
        self._seen: set[str] = set()
        self._useful: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {}
        self._word_memo: dict[str, _Hits] = {}

    def __len__(self) -> int:
        return len(self.topics)

    def __iter__(self) -> Iterator[TopicDef]:
        return iter(self.topics)

    def __contains__(self, slug: object) -> bool:
        return slug in self._index

    def __repr__(self) -> str:
        return f"<Taxonomy {len(self.topics)} topics from {self.source}>"

    def get(self, slug: str) -> TopicDef:
        """Return the topic with this slug.

        Args:
            slug: A topic slug.

        Returns:
            The topic.

        Raises:
            KeyError: When no topic has this slug.
        """
        return self.topics[self._index[slug]]

    def children(self, slug: str) -> tuple[TopicDef, ...]:
        """Return the direct children of a topic, in file order.

        Args:
            slug: A topic slug.

        Returns:
            The topics whose parent is ``slug`` (empty for a leaf).
        """
        return tuple(t for t in self.topics if t.parent == slug)

    # -- matching --------------------------------------------------------------------------

    def _word_hits(self, word: str) -> _Hits:
        """Every (topic, weight) one word is evidence for: exact forms, then prefixes."""
        hits = self._word_memo.get(word)
        if hits is None:
            found = list(self._words.get(word, ()))
            for n in self._prefix_lengths:
                if n > len(word):
                    break
                found.extend(self._prefixes.get(word[:n], ()))
            hits = _merge(found)
            self._word_memo[word] = hits
        return hits

    def _learn(self, raw: str) -> None:
        """Analyse a raw token not seen before, and remember the result."""
        words = _WORD_RE.findall(raw)
        with_hits = tuple(w for w in words if self._word_hits(w))
        in_phrases = tuple(w for w in words if w in self._phrase_words)
        if with_hits or in_phrases:
            self._useful[raw] = (with_hits, in_phrases or None)
        self._seen.add(raw)

    def _score_zone(self, text: str, scores: list[float], weight: float, body: bool) -> int:
        """Add one zone's evidence into ``scores``.

        Args:
            text: The zone's text.
            scores: Per-topic scores, updated in place.
            weight: What one token of this zone is worth (HEADLINE_WEIGHT, ...).
            body: Damp the zone's evidence for its length (see BODY_LENGTH_EXPONENT).

        Returns:
            The zone's length in (whitespace-separated) tokens.
        """
        text = text.casefold()
        tokens = text.split()
        if not tokens:
            return 0
        if body and len(tokens) > BODY_REFERENCE_TOKENS:
            weight /= (len(tokens) / BODY_REFERENCE_TOKENS) ** BODY_LENGTH_EXPONENT
        counts = Counter(tokens)
        if not self._seen.issuperset(counts):
            new = counts.keys() - self._seen
            if len(self._seen) + len(new) > _CACHE_LIMIT:
                self._seen.clear()
                self._useful.clear()
                self._word_memo.clear()
            for raw in new:
                self._learn(raw)
        useful = self._useful
        per_word: dict[str, int] = {}
        present: set[str] = set()
        # Sorted so that the sums below are made in the same order whatever the process's
        # hash seed, and come out bit-identical.
        seen_count = per_word.get
        for raw in sorted(counts.keys() & useful.keys()):
            with_hits, in_phrases = useful[raw]
            if with_hits:
                count = counts[raw]
                for word in with_hits:
                    per_word[word] = seen_count(word, 0) + count
            if in_phrases is not None:
                present.update(in_phrases)
        memo = self._word_memo
        for word, count in per_word.items():
            factor = weight * (_SATURATED[count] if count < _SATURATED_MAX else _saturate(count))
            for topic, term_weight in memo[word]:
                scores[topic] += term_weight * factor
        if present:
            phrases = self._phrases
            for start in sorted(present.intersection(phrases)):
                for phrase in phrases[start]:
                    if phrase.needs <= present:
                        n = _count_phrase(phrase.pattern, text)
                        if n:
                            factor = weight * _saturate(n)
                            for topic, term_weight in phrase.hits:
                                scores[topic] += term_weight * factor
        return len(tokens)

    def _section_topics(self, section: str | None) -> tuple[int, ...]:
        if not section:
            return ()
        label = " ".join(section.casefold().split())
        found = list(self._sections.get(label, ()))
        # "News / Sport", "Kultur > Film": the editors' label may be a path; any part counts.
        for part in _SECTION_SPLIT_RE.split(label):
            if part and part != label:
                found.extend(self._sections.get(part, ()))
        return tuple(dict.fromkeys(found))


def _count_phrase(pattern: re.Pattern[str], text: str) -> int:
    # The pattern has no leading \b because a leading look-behind stops the regex engine from
    # scanning for the literal first word (30x slower); the word boundary is checked here.
    n = 0
    for match in pattern.finditer(text):
        start = match.start()
        if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            n += 1
    return n


def _saturate(count: int) -> float:
    # A term seen n times counts 1 + ln(n) times: repetition is evidence, with diminishing
    # returns (ten mentions count 3.3, not 10).
    return 1.0 + math.log(count) if count > 1 else 1.0


_SATURATED_MAX = 64
_SATURATED = tuple(_saturate(n) if n else 0.0 for n in range(_SATURATED_MAX))


def _merge(hits: list[tuple[int, float]]) -> _Hits:
    # One entry per topic: two terms of the same topic that produce the same form (a word and
    # the plural of another) add up, as they would if matched separately.
    merged: dict[int, float] = {}
    for topic, weight in hits:
        merged[topic] = merged.get(topic, 0.0) + weight
    return tuple(merged.items())


def _term_tokens(term: str) -> tuple[tuple[str, ...], bool]:
    """Tokens of a term as the matcher sees them, and whether it ends with a wildcard."""
    text = term.strip()
    is_prefix = text.endswith("*")
    if is_prefix:
        text = text[:-1]
    return tuple(_WORD_RE.findall(text.casefold())), is_prefix


def _inflections(word: str) -> tuple[str, ...]:
    """The word and its regular English plural forms (harmless on other languages)."""
    if not word.isalpha():
        return (word,)
    forms = [word, word + "s"]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(word + "es")
    if len(word) > 2 and word.endswith("y") and word[-2] not in _VOWELS:
        forms.append(word[:-1] + "ies")
    return tuple(forms)


# -- loading -------------------------------------------------------------------------------


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read, validate and compile a taxonomy.

    Which file: ``path`` when given, else the file named by the ``NEWSDB_TOPICS`` environment
    variable when set, else the taxonomy packaged with newsdb (``newsdb/data/topics.toml``).

    Args:
        path: A taxonomy file in the format of the packaged one.

    Returns:
        The compiled taxonomy.

    Raises:
        ConfigError: When the file cannot be read, is not valid TOML (the message gives the
            line and column), or breaks a rule of the format (the message names the file,
            the line of the topic and the topic): a topic without a slug or name, a duplicate
            slug, a parent that does not exist or is itself a child (two levels at most), a
            weight that is not a number, a topic with no terms and no sections, an unknown key.
    """
    if path is None:
        env = os.environ.get(ENV_VAR, "").strip()
        path = Path(env) if env else None
    if path is None:
        source = f"newsdb/{_PACKAGED} (packaged)"
        try:
            text = resources.files("newsdb").joinpath(_PACKAGED).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read the topic taxonomy: {exc}") from exc
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read the topic taxonomy: {exc}") from exc
    return Taxonomy(_parse(text, source), source)


def _parse(text: str, source: str) -> tuple[TopicDef, ...]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)".
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"topic"})
    if unknown:
        raise ConfigError(
            f"{source}: unknown top-level key(s) {', '.join(map(repr, unknown))}; "
            "topics are written as [[topic]] tables"
        )
    rows = data.get("topic")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{source}: no topics; write each one as a [[topic]] table")
    lines = [text.count("\n", 0, m.start()) + 1 for m in _TOPIC_HEADER_RE.finditer(text)]
    if len(lines) != len(rows):
        # An array-of-tables written another way (inline); messages fall back to the index.
        lines = []

    def where(i: int, slug: object = None) -> str:
        line = f", line {lines[i]}" if lines else ""
        name = f" {slug!r}" if isinstance(slug, str) and slug else ""
        return f"{source}{line}: topic #{i + 1}{name}"

    topics: list[TopicDef] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ConfigError(f"{where(i)}: a topic must be a table")
        topics.append(_parse_topic(row, where(i, row.get("slug")), lines[i] if lines else None))
        slug = topics[-1].slug
        if slug in seen:
            raise ConfigError(
                f"{where(i, slug)}: duplicate slug (already used by topic #{seen[slug] + 1})"
            )
        seen[slug] = i
    by_slug = {t.slug: t for t in topics}
    for i, topic in enumerate(topics):
        if topic.parent is None:
            continue
        parent = by_slug.get(topic.parent)
        if parent is None:
            raise ConfigError(f"{where(i, topic.slug)}: parent {topic.parent!r} does not exist")
        if parent.slug == topic.slug:
            raise ConfigError(f"{where(i, topic.slug)}: a topic cannot be its own parent")
        if parent.parent is not None:
            raise ConfigError(
                f"{where(i, topic.slug)}: parent {parent.slug!r} itself has a parent "
                f"({parent.parent!r}); the taxonomy has two levels at most"
            )
    return tuple(topics)


def _parse_topic(row: Mapping[str, Any], where: str, line: int | None) -> TopicDef:
    unknown = sorted(set(row) - _TOPIC_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))} "
            f"(allowed: {', '.join(sorted(_TOPIC_KEYS))})"
        )
    slug = row.get("slug")
    if not isinstance(slug, str) or not slug.strip():
        raise ConfigError(f"{where}: missing 'slug' (a short identifier such as \"politics\")")
    if not _SLUG_RE.match(slug):
        raise ConfigError(f"{where}: slug {slug!r} must be lower-case letters, digits, - or _")
    name = row.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: missing 'name' (the topic's readable name)")
    parent = row.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent.strip()):
        raise ConfigError(f"{where}: 'parent' must be the slug of another topic")
    iptc = row.get("iptc")
    if iptc is not None and (not isinstance(iptc, str) or not _IPTC_RE.match(iptc)):
        raise ConfigError(f"{where}: 'iptc' must look like \"medtop:11000000\", got {iptc!r}")
    sections_raw = row.get("sections", [])
    if not isinstance(sections_raw, list) or not all(
        isinstance(s, str) and s.strip() for s in sections_raw
    ):
        raise ConfigError(f"{where}: 'sections' must be a list of non-empty strings")
    sections = tuple(dict.fromkeys(" ".join(s.casefold().split()) for s in sections_raw))
    terms_raw = row.get("terms", {})
    if not isinstance(terms_raw, dict):
        raise ConfigError(
            f"{where}: 'terms' must be a table of term = weight, e.g. [topic.terms] then "
            '"prime minister" = 2'
        )
    terms: list[tuple[str, float]] = []
    for term, weight in terms_raw.items():
        # bool is an int to Python, but `true` is surely a slip in a weight table.
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ConfigError(f"{where}: weight of term {term!r} must be a number, got {weight!r}")
        if not math.isfinite(weight):
            raise ConfigError(f"{where}: weight of term {term!r} must be finite")
        tokens, is_prefix = _term_tokens(term)
        if not tokens or "*" in term.strip()[:-1]:
            raise ConfigError(
                f"{where}: term {term!r} must hold at least one word; '*' is allowed only at "
                "the end"
            )
        if is_prefix and len(tokens[-1]) < 3:
            raise ConfigError(f"{where}: wildcard term {term!r} needs at least 3 letters")
        terms.append((term, float(weight)))
    if not sections and not any(w > 0 for _, w in terms):
        raise ConfigError(f"{where}: no evidence; give it terms with positive weights or sections")
    return TopicDef(
        slug=slug,
        name=name.strip(),
        parent=parent.strip() if isinstance(parent, str) else None,
        iptc=iptc,
        terms=tuple(terms),
        sections=sections,
        line=line,
    )


# -- scoring -------------------------------------------------------------------------------


def assign_topics(
    taxonomy: Taxonomy,
    *,
    headline: str,
    body: str,
    standfirst: str | None = None,
    section: str | None = None,
    max_topics: int = 3,
) -> list[TopicScore]:
    """Choose the topics of an article.

    Deterministic: the same text and taxonomy give the same list. See the module docstring
    for how the score is built.

    Args:
        taxonomy: From :func:`load_taxonomy`.
        headline: The article's headline.
        body: The article's text.
        standfirst: The summary under the headline, if any.
        section: The outlet's section label ("SPORT", "Kultur"), if any.
        max_topics: At most this many topics are returned.

    Returns:
        Up to ``max_topics`` topics, best first (ties by slug); empty when no topic has
        enough evidence.
    """
    if max_topics <= 0:
        return []
    n = len(taxonomy.topics)
    own = [0.0] * n
    taxonomy._score_zone(headline, own, HEADLINE_WEIGHT, body=False)
    if standfirst:
        taxonomy._score_zone(standfirst, own, STANDFIRST_WEIGHT, body=False)
    taxonomy._score_zone(body, own, 1.0, body=True)
    by_section = taxonomy._section_topics(section)
    for i in by_section:
        own[i] += SECTION_SCORE
    # Negative evidence may outweigh positive evidence; a topic never goes below nothing, and
    # a child's negative score must not pull its parent down.
    own = [s if s > 0.0 else 0.0 for s in own]
    total = own[:]
    parents = taxonomy._parent
    for i, score in enumerate(own):
        if score and parents[i] >= 0:
            total[parents[i]] += PARENT_SHARE * score
    # Rounded before ranking, so that scores equal but for floating-point noise tie, and ties
    # go by slug.
    total = [round(s, 4) if s else s for s in total]
    floor = max(MIN_SCORE, MIN_RELATIVE * max(total))
    slugs = taxonomy._slugs
    ranked = sorted((i for i in range(n) if total[i] >= floor), key=lambda i: (-total[i], slugs[i]))
    chosen: list[int] = []
    for i in ranked:
        # A parent ranked below one of its children adds nothing the child does not say.
        if any(parents[c] == i for c in chosen):
            continue
        chosen.append(i)
        if len(chosen) == max_topics:
            break
    section_set = set(by_section)
    return [
        TopicScore(slugs[i], total[i], METHOD_SECTION if i in section_set else METHOD_RULE)
        for i in chosen
    ]
