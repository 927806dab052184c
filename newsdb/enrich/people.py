"""Find the people named in an article, the forms used for each, and their roles.

Pure functions over an article's headline, standfirst and body; every offset is a character
offset into :func:`article_text`. The rules, in the order they run:

1. **Runs of capitalised words** are the candidates ("Chinese President Xi Jinping", "NASA Bill
   Ingalls"), joined by name particles ("de", "van"), never across punctuation. A possessive
   ends a run ("Russia's"); words that never name anyone (sentence openers, pronouns, months,
   days: ``[not_names] words`` in ``data/people.toml``) split it, unless, in the body, a
   function word the article also writes in lower case ends a run after a given name ("Ada To,
   a lawyer", "Dan Rather"); in capitals ("AS", "IT") they are acronyms or initials.
2. **Glued words** where links were stripped are cut first: a capitalised word that is a name
   used elsewhere in the article (or a word of a ``known`` name) followed by a common
   lower-case word ("Borisovin" = "Borisov" + "in") is read as the name.
3. **A run names a person** when, after its leading titles, places and organisation words (the
   role: "Chinese President", "NASA Administrator"):

   * it starts with a given name and goes on with more name words ("Charles Bolden"); a name
     only the optional gazetteer knows needs a gazetteer family name after it, or evidence,
   * it starts with initials and goes on ("K.C. Maurer"),
   * it starts with an East Asian family name and goes on with a given name ("Xi Jinping"),
     or is one other word before such a family name ("Carrie Lam"; not a family name that is
     also an English word, "Villa Park", nor words the article writes in lower case),
   * a title stands right before it ("President Trump", "Mr Borisov"),
   * it is two to four name words with evidence around it: a role noun before, also plural
     ("team member Rodaba Noori", "photographers A, B and C"), ", who" or an age after, a role
     appositive, "ROLE (...), NAME,", a speech verb next to it ("said Jane Doe") or an act
     only people do ("NAME scored", "resigned", "died"), also after a description ("NAME, a
     second year art major, admitted"), an owner before ("DAB's Starry Lee"), a person's name
     listed next to it ("A and B") or joined to it by a verb between people ("A replaced B",
     "A defeating B"), the agent of a passive or the author of a work ("written by NAME",
     "a paper by NAME"; not "followed by"), a role after "is a" ("NAME is a Danish
     choreographer"), "NAME and his/her", or its last word used alone with such evidence
     elsewhere; two capitals without dots before a name word are initials ("JK Rowling"),
   * or it is a ``known`` full name.

   A run ending in an organisation or place word ("Kennedy Space Center", "Security Council")
   is never a person; nor is a run of places and peoples only, name-like words after "the" or
   a number ("the Velvet Underground", "the 2012 Summer Paralympics") or after a work noun
   ("her novel Angel Catbird"), or unknown words starting with one the article also writes in
   lower case ("Iodine Deficiency Disorders"), nor two or more unknown words ending in a role
   noun ("Hollywood Reporter"). A common noun ending a run of three words or more ("Experience",
   "Exhibition") is a thing named after the person before it. Adverbs ("Currently") open
   sentences, they are not names. Spellings one vowel apart ("Kristin Wilkins",
   "Kristen Wilkins") are one person.
4. **Short forms bind** to the full name used in the article: a word of a person's name used
   alone ("Putin", "Xi", "Borisov") is a mention of that person (of the one mentioned last
   when two share it), also where several of them form one run ("Putin Xi" in a headline) or
   follow a title ("President Putin"). A word with no full name stands alone with a title, a
   role noun before it ("their child, Gloria", "gods such as Zeus, Hera and Athena"), an age,
   "the NAME government", or as the family name of one ``known`` person that the article
   does not also write in lower case ("Budget talks ... the budget" names nobody, whoever
   is known as "... Budget"); then all its mentions count.
5. **The headline** only binds forms found in the standfirst and body (or ``known`` names):
   headlines are often in title case, and their capital letters prove nothing. A headline in
   sentence case names people as the body does, but an unknown name needs evidence and
   cannot be its first word.
6. **The role** is the first one the article gives for the person, looking at each mention in
   turn: a title before the name ("Russian Prime Minister"), a role noun phrase before it
   ("Russian leader", "the number two of the Russian Security Council", "president of
   Roscosmos, the Russian space agency, Yuri Borisov"), or a role appositive after it ("Jane
   Doe, the team's coach,").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container, Iterable, Iterator, Sequence
from functools import cache
from operator import attrgetter

from newsdb._case import lowercase
from newsdb.agencies import outlet_aliases, outlet_first_words, outlet_key
from newsdb.enrich._lexicon import Lexicon, lexicon
from newsdb.enrich._records import Analysis, CitedOutlet, PersonMention, Quote, article_text
from newsdb.enrich.cited import outlets_in_text
from newsdb.enrich.quotes import quotes_in_text
from newsdb.parsers.normalize import trie_alternation

__all__ = [
    "Analysis",
    "CitedOutlet",
    "KnownNames",
    "PersonMention",
    "Quote",
    "analyse",
    "article_text",
    "find_people",
    "people_in_text",
]

# Upper-case letters: ASCII, Latin-1, Latin Extended-A/B, Greek and Cyrillic capitals.
_UPPER = "A-ZÀ-ÖØ-Þ" + "".join(
    ch
    for ch in map(chr, [*range(0x100, 0x250), *range(0x391, 0x3AA), *range(0x400, 0x430)])
    if ch.isupper()
)
# A dot after a word is kept only for these abbreviations ("Mr.", "Capt."); lookbehinds of one
# width each, as the regex engine needs.
_ABBREVIATION_DOT = (
    r"(?=\.)"  # the look-behinds only where a dot follows (faster)
    r"(?:(?<=\bMr|\bMs|\bMx|\bDr|\bSt|\bJr|\bSr|\bLt)"
    r"|(?<=\bMrs|\bGen|\bCol|\bSgt|\bRev|\bSen|\bRep|\bGov|\bAdm|\bMaj|\bDet)"
    r"|(?<=\bCapt|\bProf|\bBrig|\bCllr))\."
)
# After the first capital: an initial ("F.", "U.S.") or the rest of a word ("Udvar-Hazy",
# "O'Brien", "Jong-un").
_AFTER_CAPITAL = rf"(?:\.(?:-?[{_UPPER}]\.)*|[\w'’]*(?:-[\w'’]+)*(?:{_ABBREVIATION_DOT})?)"


@cache
def _run_re() -> re.Pattern[str]:
    """Runs of capitalised words joined by single spaces and name particles.

    The pattern starts with the capital letter itself (so the regex engine can skip to the
    next capital quickly) and only then looks back at the character before it. A name
    starting with a lower-case prefix ("al-Assad", "d'Ettorre") is whole inside a run, and
    found from its capital when it starts one.
    """
    particles = trie_alternation(lexicon().particles)
    first = rf"[{_UPPER}](?<![\w'’.-].){_AFTER_CAPITAL}"
    prefix = r"(?:[dDlL]['’]|O['’]|(?:al|el|ad|as|ash|bin|ibn|ben|abu|Al|El|Abu)-)?"
    more = rf"{prefix}[{_UPPER}]{_AFTER_CAPITAL}"
    return re.compile(rf"{first}(?:(?: +(?:{particles}))* +{more})*")


_SENTENCE_END_RE = re.compile(r"[.!?]\s|\n")
_WHO_RE = re.compile(r",? (?:who|whose)\b")
_AGE_RE = re.compile(r", \d{1,3},|,? \(\d{1,3}\)|, aged \d")
_SPEECH_AFTER_RE = re.compile(
    r",? (?:also |later |then |has |had |have )?(?:said|says|told|tells|added|adds|stated|wrote|"
    r"writes|explained|noted|argued|insisted|warned|confirmed|announced|tweeted|asked|"
    r"replied|claimed|recalled|stressed|admitted|believes|thinks|"
    # acts that only people do in a report ("NAME scored twice")
    r"scored|resigned|died|testified|apologi[sz]ed)\b"
)
_SPEECH_BEFORE_RE = re.compile(
    r"\b(?:said|says|told|added|according to|confirmed|wrote|asked|explained|noted)\s+$"
)
# The agent of a verb in the passive ("was beaten by NAME", "written by NAME"); "followed by",
# "preceded by" give an order, not an agent ("followed by La Traviata").
_AGENT_RE = re.compile(
    r"\b(?:(?!followed |preceded )[a-z]+(?:ed|en)|(?:paper|article|essay|book|novel|poem|"
    r"painting|photo|photograph|song|album|film|letter|speech)s?) by $"
)
_COPULA_RE = re.compile(r" (?:is|was) (?:a|an|the|now|also|currently) (?:(?:a|an|the) )?")
_WORD_RE = re.compile(r"[\w'’.-]+")
_APPOSITIVE_RE = re.compile(r", (?:a|an|the|\d+)[ -]")
_POSSESSIVE = ("'s", "’s")
_APOSTROPHES = ("'", "’")


class _Run:
    """One run of capitalised words, cut into name words (possessives, glue removed)."""

    __slots__ = ("words", "starts", "ends", "headline")

    words: list[str]
    starts: list[int]
    ends: list[int]
    headline: bool

    def __init__(
        self, words: list[str], starts: list[int], ends: list[int], headline: bool
    ) -> None:
        self.words = words
        self.starts = starts
        self.ends = ends
        self.headline = headline


class _Mention:
    """A name found in a run: its words and span, and the words before it in the run."""

    __slots__ = ("words", "start", "end", "prefix", "prefix_start", "has_title")

    words: tuple[str, ...]
    start: int
    end: int
    prefix: tuple[str, ...]
    prefix_start: int
    has_title: bool

    def __init__(
        self,
        words: tuple[str, ...],
        start: int,
        end: int,
        prefix: tuple[str, ...],
        prefix_start: int,
        has_title: bool,
    ) -> None:
        self.words = words
        self.start = start
        self.end = end
        self.prefix = prefix
        self.prefix_start = prefix_start
        self.has_title = has_title


class _Person:
    """A person being assembled: the fullest name's words and every mention."""

    __slots__ = ("words", "spans", "mentions")

    words: tuple[str, ...]
    spans: list[tuple[int, int, str]]
    mentions: list[_Mention]

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self.spans = []
        self.mentions = []


class KnownNames:
    """Full names already in the database, indexed for :func:`find_people`.

    Build it once (``KnownNames(names)``) and pass it for every article: a plain collection
    works too, but is indexed again on each call. A ``Collection[str]`` by its methods, not
    by subclassing the ABC: compiled with mypyc, a subclass of ``collections.abc.Collection``
    answered ``isinstance(a_list, KnownNames)`` with True, so the workers were handed the
    plain list and indexed it again for every article (docs/performance.md, eleventh round).
    """

    __slots__ = ("_names", "words", "by_last")

    def __init__(self, names: Iterable[str]) -> None:
        self._names = frozenset(" ".join(n.split()) for n in names if n and n.strip())
        self.words: frozenset[str] = frozenset(w for n in self._names for w in n.split())
        by_last: dict[str, set[str]] = {}
        for n in self._names:
            parts = n.split()
            if len(parts) > 1:
                by_last.setdefault(parts[-1], set()).add(n)
        self.by_last: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in by_last.items()}

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


_NO_KNOWN = KnownNames(())


def _as_known(known: Collection[str]) -> KnownNames:
    if isinstance(known, KnownNames):
        return known
    return KnownNames(known) if known else _NO_KNOWN


# ----------------------------------------------------------------------------------------------
# Word classes
# ----------------------------------------------------------------------------------------------

# What a capitalised word can be, as bits; computed once per distinct word and cached.
_GIVEN = 1  # a given name of our own list
_GIVEN_X = 2  # a given name only the gazetteer has
_FAMILY = 4  # an East Asian family name
_TITLE = 8
_TITLE_MOD = 16
_ORG = 32  # an organisation or place head word ("Council"), also as "Prize-winner"
_PLACE = 64
_NOT_NAME = 128
_ACRONYM = 256
_LOWER = 512  # a lower-case particle inside a name ("van")
_INITIAL = 1024  # "F."
_DIGIT = 2048
_HYPHEN_LOWER = 4096  # "Pan-democrat": a given name before the hyphen does not count
_FAMILY_X = 8192  # a family name of the optional gazetteer ("Wilkins")
_OUTLET_START = 16384  # a known outlet's spelling may start with it ("Ria" of "Ria Novosti")

_NOT_SHAPED = _ACRONYM | _TITLE | _TITLE_MOD | _ORG | _PLACE | _DIGIT
_BLOCKING = _TITLE | _TITLE_MOD | _ORG | _ACRONYM
_NOT_ALONE = _NOT_SHAPED | _LOWER | _INITIAL | _NOT_NAME
_CLASS_CACHE: dict[str, int] = {}
_CLASS_CACHE_MAX = 200_000


# Endings of adverbs, never of names ("Currently", "Obviously", "Hopefully", "Basically").
_ADVERB_ENDINGS = ("ently", "antly", "ously", "ately", "ively", "fully", "ically", "ually", "ibly")
_INITIALS_RE = re.compile(r"(?:[A-Z]\.){2,3}")


def clear_caches() -> None:
    """Forget every per-word fact remembered so far (after the word lists change)."""
    _CLASS_CACHE.clear()
    _ROLE_WORD_CACHE.clear()
    _GLUE_HEADS.clear()
    _NO_GLUE.clear()
    _SPLIT_CACHE.clear()
    _APPOSITIVE_CACHE.clear()
    _ONE_WORD_RUN.clear()


def _word_class(w: str) -> int:
    bits = _CLASS_CACHE.get(w)
    if bits is not None:
        return bits
    lex = lexicon()
    bits = 0
    if w.islower():
        bits = _LOWER
    elif (len(w) == 2 and w[1] == ".") or (_INITIALS_RE.fullmatch(w) and w not in lex.places):
        bits = _INITIAL
    else:
        base = w
        if "-" in w:
            base, _, second = w.partition("-")
            if not second[:1].isupper():
                bits |= _HYPHEN_LOWER
            if base in lex.org_heads:
                bits |= _ORG
            if base in lex.places and base not in lex.given and second[:1].isupper():
                # "Russian-Chinese", "American-Islamic": a place's adjective, not a name
                bits |= _PLACE
        if base in lex.given:
            bits |= _GIVEN
        elif base in lex.given_extra:
            bits |= _GIVEN_X
        if w in lex.east_asian_family:
            bits |= _FAMILY
        if w in lex.family_extra:
            bits |= _FAMILY_X
        if w in lex.titles:
            bits |= _TITLE
        if w in lex.title_modifiers:
            bits |= _TITLE_MOD
        if w in lex.org_heads:
            bits |= _ORG
        if w in lex.places:
            bits |= _PLACE
        if (w.casefold() in lex.not_names and not (len(w) == 2 and w.isupper())) or (
            len(w) > 6 and w.endswith(_ADVERB_ENDINGS) and not bits & _GIVEN
        ):
            # "As" opens a sentence ("AS" is an acronym or initials); so do adverbs
            # ("Currently", "Unfortunately").
            bits |= _NOT_NAME
        if len(w) > 1 and w.isupper() and "." not in w:
            bits |= _ACRONYM
        if w[0].isdigit():
            bits |= _DIGIT
    first = outlet_key(w).split(" ", 1)[0]
    if not first or first in outlet_first_words():
        bits |= _OUTLET_START
    if len(_CLASS_CACHE) >= _CLASS_CACHE_MAX:
        _CLASS_CACHE.clear()
    _CLASS_CACHE[w] = bits
    return bits


def _is_acronym(w: str) -> bool:
    return bool(_word_class(w) & _ACRONYM)


def _name_shaped(w: str) -> bool:
    """A word that can be part of a name: not an acronym, title, place or organisation word."""
    bits = _word_class(w)
    return bool(bits & (_LOWER | _INITIAL)) or not bits & _NOT_SHAPED


def is_name_word(w: str) -> bool:
    """Whether a capitalised word can be part of a person's name (for other finders).

    Not a title, place, organisation word, acronym, number or sentence opener.
    """
    bits = _word_class(w)
    return w[:1].isupper() and not bits & (_NOT_SHAPED | _NOT_NAME | _INITIAL)


def _place_len(words: list[str], i: int, lex: Lexicon) -> int:
    """How many words starting at ``i`` form a place (0 when none)."""
    if i + 1 < len(words) and words[i] in lex.place_openers:
        for size in (3, 2):
            if i + size <= len(words) and tuple(words[i : i + size]) in lex.multiword_places:
                return size
    return 1 if _word_class(words[i]) & _PLACE else 0


def _inside_place(words: list[str], i: int, lex: Lexicon) -> bool:
    """Whether word ``i`` is inside a multi-word place starting before it ("Los Angeles")."""
    return (i > 0 and words[i - 1] in lex.place_openers and _place_len(words, i - 1, lex) > 1) or (
        i > 1 and words[i - 2] in lex.place_openers and _place_len(words, i - 2, lex) > 2
    )


def _blocking(words: list[str], i: int, lex: Lexicon) -> int:
    """Words at ``i`` that cannot be part of a name (title, place, organisation word)."""
    if _word_class(words[i]) & _BLOCKING:
        return 1
    return _place_len(words, i, lex)


class _Doc:
    """Per-article facts the rules look up lazily: which lower-case words are used.

    ``asked`` counts the look-ups, so that a caller can tell whether a verdict depended on the
    article at all (see :func:`_split_words`).
    """

    __slots__ = ("text", "_lower", "asked")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lower: dict[str, bool] = {}
        self.asked = 0

    def uses_lower(self, word: str) -> bool:
        """Whether ``word`` (lower case) is used as a word of the text."""
        self.asked += 1
        found = self._lower.get(word)
        if found is None:
            found = self._lower[word] = _whole_word_in(self.text, word)
        return found


def _word_char(c: str) -> bool:
    """A character that continues a word (``[\\w'’-]``)."""
    return c.isalnum() or c in "_'’-"


def _whole_word_in(text: str, word: str) -> bool:
    """Whether ``word`` stands in ``text`` as a whole word (no word character either side).

    A literal search, then the neighbours checked: a regex with a look-behind before the word
    cannot skip ahead to the word's first letter and is many times slower on a long text.
    """
    n = len(text)
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not _word_char(text[at - 1])) and (end >= n or not _word_char(text[end])):
            return True
        at = text.find(word, at + 1)
    return False


def _given(w: str, doc: _Doc) -> int:
    """Whether a word is a given name: 2 from our list, 1 from the gazetteer only, else 0.

    A name only the gazetteer knows ("Red", "Winter") is not trusted when the article also uses
    it as a lower-case word; "Pan-democrat" is no name, "Jean-Pierre" is.
    """
    bits = _word_class(w)
    if bits & _HYPHEN_LOWER:
        return 0
    if bits & _GIVEN:
        return 2
    if bits & _GIVEN_X and not doc.uses_lower(lowercase(w.partition("-")[0])):
        return 1
    return 0


# ----------------------------------------------------------------------------------------------
# Runs of capitalised words
# ----------------------------------------------------------------------------------------------


# The heads a word may be cut to, longest first ("Borisovin" -> ("Borisov",)), remembered per
# word; the words with none (nearly all) are kept in a set, so that a set difference leaves
# only the few words the article must look at.
_GLUE_HEADS: dict[str, tuple[str, ...]] = {}
_NO_GLUE: set[str] = set()


def _glue_heads(w: str, lex: Lexicon) -> tuple[str, ...]:
    heads = _GLUE_HEADS.get(w)
    if heads is None:
        heads = ()
        if len(w) >= 6 and " " not in w:
            heads = tuple(
                w[:k] for k in range(len(w) - 2, max(2, len(w) - 10), -1) if w[k:] in lex.glue_words
            )
        if len(_GLUE_HEADS) + len(_NO_GLUE) >= _CLASS_CACHE_MAX:
            _GLUE_HEADS.clear()
            _NO_GLUE.clear()
        if heads:
            _GLUE_HEADS[w] = heads
        else:
            _NO_GLUE.add(w)
    return heads


def _glue_map(groups: list[str], lex: Lexicon, known: KnownNames) -> dict[str, str]:
    """Words glued to a following lower-case word where a link was stripped, and their cut."""
    # Every word of every run (and each run as a whole, which has no cut: no harm, and the
    # one-word runs, nearly all, need no new string).
    seen = set(groups)
    for g in groups:
        if " " in g:
            seen.update(g.split(" "))
    glue: dict[str, str] = {}
    for w in seen - _NO_GLUE:
        for head in _glue_heads(w, lex):
            if head in seen or head in known.words:
                glue[w] = head
                break
    return glue


def _runs(
    spans: list[tuple[int, int]],
    groups: list[str],
    headline_end: int,
    glue: dict[str, str],
    doc: _Doc,
) -> list[_Run]:
    """Cut every run of capitalised words into runs of name words.

    A word that never names anyone ends a run, except a function word the article writes in
    lower case too, capitalised at the end of a run after a given name in the body: there the
    capital can only be a family name's ("Ada To, a lawyer", "Dan Rather said").
    """
    out: list[_Run] = []
    for (pos, end), group in zip(spans, groups, strict=True):
        headline = pos < headline_end
        # One word (most runs): no cutting needed, and a word that cannot be a name (a place,
        # an acronym, a title, a sentence opener) is no run at all.
        alone = _ONE_WORD_RUN.get(group)
        if alone is None:
            alone = _one_word_run(group)
        if alone >= 0 and group not in glue:
            if alone:
                out.append(_Run([group], [pos], [end], headline))
            continue
        words: list[str] = []
        starts: list[int] = []
        parts = group.split(" ")
        for k, w in enumerate(parts):
            start = pos
            pos += len(w) + 1
            if not w:
                continue
            cut = False
            if w.endswith(_POSSESSIVE):
                w = w[:-2]
                cut = True
            elif w[-1] in "'’":
                w = w[:-1]
                cut = True
            if w in glue:
                w = glue[w]
                cut = True
            if not w:
                continue
            bits = _CLASS_CACHE.get(w)
            if bits is None:
                bits = _word_class(w)
            if bits & _NOT_NAME and not (
                k == len(parts) - 1
                and not headline
                and words
                and _word_class(words[-1]) & _GIVEN
                and doc.uses_lower(lowercase(w))
            ):
                cut = True
            elif words or not w[0].islower():  # "al-" or "d'" alone cannot start a name
                words.append(w)
                starts.append(start)
            if cut:
                _flush(out, words, starts, headline)
                words, starts = [], []
        _flush(out, words, starts, headline)
    return out


# Whether a run of one word (no possessive) is a run of one name word (1) or no run (0), per
# run; -1 for the other runs (cut word by word).
_ONE_WORD_RUN: dict[str, int] = {}


def _one_word_run(group: str) -> int:
    alone = -1
    if " " not in group and not group.endswith(("'", "’", "'s", "’s")):
        alone = 0 if _word_class(group) & _NOT_ALONE else 1
    if len(_ONE_WORD_RUN) >= _CLASS_CACHE_MAX:
        _ONE_WORD_RUN.clear()
    _ONE_WORD_RUN[group] = alone
    return alone


def _flush(out: list[_Run], words: list[str], starts: list[int], headline: bool) -> None:
    while words and words[-1].islower():
        words.pop()
        starts.pop()
    if words:
        out.append(
            _Run(words, starts, [s + len(w) for w, s in zip(words, starts, strict=True)], headline)
        )


# ----------------------------------------------------------------------------------------------
# Is a run a person's name?
# ----------------------------------------------------------------------------------------------


# _split_run's verdicts on runs whose verdict did not depend on the article, by their words.
_SPLIT_CACHE: dict[tuple[str, ...], tuple[int, str]] = {}


def _split_words(words: list[str], lex: Lexicon, doc: _Doc) -> tuple[int, str]:
    """:func:`_split_run`, remembered per run of words: the same names recur across articles.

    A verdict is kept only when the article's lower-case words were not asked for (most
    runs); the others depend on the article and are worked out again.
    """
    key = tuple(words)
    found = _SPLIT_CACHE.get(key)
    if found is None:
        asked = doc.asked
        found = _split_run(words, lex, doc)
        if doc.asked == asked:
            if len(_SPLIT_CACHE) >= _CLASS_CACHE_MAX:
                _SPLIT_CACHE.clear()
            _SPLIT_CACHE[key] = found
    return found


def _split_run(words: list[str], lex: Lexicon, doc: _Doc) -> tuple[int, str]:
    """Where a run's name starts, and how sure we are it is a person's.

    Returns:
        ``(index, kind)``: kind is "person" (given name or East Asian family name followed by
        more name words, or a title before), "person_x" (a gazetteer given name and a gazetteer
        family name), "weak" (a gazetteer given name and other name words: evidence needed),
        "maybe" (two to four name words, evidence needed),
        "single" (one name word), or "" (not a name: an organisation, a place, a title).
    """
    n = len(words)
    last = _word_class(words[-1])
    if (
        n > 1
        and _word_class(words[0]) & _OUTLET_START
        and outlet_key(" ".join(words)) in outlet_aliases()
    ):
        return 0, ""  # "Ria Novosti", "Al Jazeera": a news outlet
    if n == 1:
        if last & (_NOT_SHAPED | _LOWER | _INITIAL | _NOT_NAME):
            return 0, ""
        return 0, "single"
    # Organisation or place word at the end: not a person, whatever precedes.
    if last & _ORG:
        return 0, ""
    # A given name followed by name words starts the name, wherever it is in the run
    # ("Shadow Home Secretary Yvette Cooper"), even when it is also a place ("Paris Hilton"),
    # unless only places follow.
    weak = -1
    for g in range(n - 1):
        strength = _given(words[g], doc)
        if (
            strength
            and not _word_class(words[g + 1]) & _TITLE
            and _place_len(words, g, lex) < 2
            and not _inside_place(words, g, lex)
        ):
            rest = words[g + 1 :]
            classes = [_word_class(r) for r in rest]
            if any(c & _ORG for c in classes):
                return 0, ""
            if all(
                c & (_LOWER | _INITIAL) or not c & (_NOT_SHAPED & ~_PLACE) for c in classes
            ) and not all(c & _PLACE for c in classes):
                while g > 0 and _word_class(words[g - 1]) & _INITIAL:
                    g -= 1  # an initial before the given name ("L. Ron Hubbard")
                if strength == 1 and (not classes[-1] & _FAMILY_X or (g > 0 and n - g == 3)):
                    # A gazetteer name that may be a word ("Winter Carnival") before a word
                    # no list knows as a family name: the run needs more evidence, unless
                    # a rule below finds it a name.
                    weak = g if weak < 0 else weak
                    continue
                return g, ("person" if strength == 2 else "person_x")
    # An East Asian family name followed by one or two name words ("Xi Jinping"); romanised
    # Chinese, Korean and Vietnamese given names never end in "s" ("Moon Rocks" is a thing).
    for g in range(max(0, n - 3), n - 1):
        if (
            _word_class(words[g]) & _FAMILY
            and all(_name_shaped(r) for r in words[g + 1 :])
            and not words[-1].endswith("s")
            and _place_len(words, g, lex) == 0
        ):
            return g, "person"
    # A title followed by name words ("Environment Minister John Baird", "President Trump").
    for t in range(n - 2, -1, -1):
        if _word_class(words[t]) & _TITLE:
            rest = words[t + 1 :]
            if all(_name_shaped(r) for r in rest) and len(rest) <= 4:
                return t + 1, "person"
            break
    if weak >= 0:
        if weak > 0 and n - weak == 3 and all(_name_shaped(w) for w in words[weak:]):
            return weak + 1, "maybe"  # as below: "Texas Arlington Amneh Jafari"
        return weak, "weak"
    # Otherwise the name is what follows the leading places, organisation words and acronyms
    # ("NASA", "Russian"), and needs evidence.
    if (
        n == 2
        and len(words[0]) == 2
        and _word_class(words[0]) & _ACRONYM
        and not _word_class(words[0]) & (_PLACE | _TITLE | _ORG)
        and _name_shaped(words[1])
        and not doc.uses_lower(lowercase(words[1]))
    ):
        return 0, "maybe"  # two initials without dots ("JK Rowling"), if evidence says so
    i = 0
    while i < n:
        size = _blocking(words, i, lex)
        if size == 0:
            break
        i += size
    if i >= n:
        return 0, ""
    rest = words[i:]
    if not all(_name_shaped(r) for r in rest):
        return 0, ""
    if len(rest) > 1 and rest[-1].casefold() in lex.role_nouns:
        return 0, ""  # "Hollywood Reporter", "Team Captain": a title or a role, not a name
    for j in range(len(rest) - 2, -1, -1):
        if rest[j].casefold() in lex.role_nouns:
            # "Editorial Manager Chet Clem": a capitalised role noun ends the role.
            i += j + 1
            rest = words[i:]
            break
    if _word_class(rest[0]) & _INITIAL and not _word_class(rest[-1]) & _INITIAL and len(rest) <= 4:
        return i, "person"  # initials and a family name ("K.C. Maurer", "J. R. Smith")
    real = [r for r in rest if not r.islower()]
    if len(real) == 1:
        return i, "single"
    if len(rest) == 2 and _western_order_east_asian(rest, doc):
        return i, "person_x"  # "Starry Lee", "Carrie Lam": checked like a gazetteer name
    if 2 <= len(real) <= 4:
        if i > 0 and len(rest) == 3 and len(real) == 3:
            # After an organisation or a place the first unknown word is more likely the
            # end of its name than a person's ("University of Texas Arlington Amneh Jafari").
            return i + 1, "maybe"
        return i, "maybe"
    return 0, ""


def _western_order_east_asian(words: list[str], doc: _Doc) -> bool:
    """A given name before an East Asian family name, in Western order ("Carrie Lam").

    The family name is not also an English word ("Villa Park"), the first word is no family
    name itself, and neither word is written in lower case in the article.
    """
    first, last = words
    return (
        bool(_word_class(last) & _FAMILY)
        and last not in lexicon().family_words
        and not _word_class(first) & (_FAMILY | _INITIAL | _LOWER)
        and "-" not in first
        and not doc.uses_lower(lowercase(first))
        and not doc.uses_lower(lowercase(last))
    )


# Endings of abstract nouns ("Experience", "Appreciation", "Tournament"): names hardly end in
# the first ones; in the others ("Lawrence", "Guinness", "Avery") only when the article does not
# also write the word in lower case.
_NOUN_ENDINGS = ("tion", "sion", "ship", "ism", "ience")
_NOUN_ENDINGS_WEAK = ("ment", "ence", "ance", "ness", "ity", "ure", "ery")


def _thing_after_name(w: str, doc: _Doc) -> bool:
    """Whether a capitalised word ending a run of three or more is a common noun, not a name."""
    if w.isupper() or _word_class(w) & (_ORG | _PLACE | _TITLE):
        return False
    return w.endswith(_NOUN_ENDINGS) or (
        w.endswith(_NOUN_ENDINGS_WEAK) and doc.uses_lower(lowercase(w))
    )


# Names that need more than their words: a gazetteer given name, unknown name words.
_NAME_KINDS = frozenset({"person_x", "weak", "maybe"})


def _after_article(text: str, pos: int) -> bool:
    """Whether "the" (any case) or a number ("the 2012 Summer Games") stands right before."""
    if pos < 4 or text[pos - 1] != " ":
        return False
    if text[pos - 2].isdigit():
        return True
    return lowercase(text[pos - 4 : pos - 1]) == "the" and (pos == 4 or not text[pos - 5].isalnum())


def _mention(run: _Run, i: int) -> _Mention:
    if i == 0:  # (most runs: the whole run is the name)
        return _Mention(tuple(run.words), run.starts[0], run.ends[-1], (), run.starts[0], False)
    prefix = tuple(run.words[:i])
    return _Mention(
        words=tuple(run.words[i:]),
        start=run.starts[i],
        end=run.ends[-1],
        prefix=prefix,
        prefix_start=run.starts[0],
        has_title=any(_word_class(w) & _TITLE for w in prefix),
    )


def _left_word(text: str, start: int) -> str:
    """The lower-case word right before ``start`` (a comma between is allowed), or ""."""
    j = start - 1
    while j >= 0 and text[j] in " ,":
        j -= 1
    k = j
    while k >= 0 and (text[k].isalpha() or text[k] == "-"):
        k -= 1
    return text[k + 1 : j + 1]


def _letter_before(text: str, pos: int) -> bool:
    """Whether a letter stands before ``pos`` (spaces and one comma between are allowed)."""
    j = pos - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    if j >= 0 and text[j] == ",":
        j -= 1
        while j >= 0 and text[j] == " ":
            j -= 1
    return j >= 0 and text[j].isalpha()


_LIST_INTRO_LAST = frozenset({"as", "including", "like", "notably", "especially"})
_LIST_HEAD_RE = re.compile(r"\b([a-z][a-z-]+),? (?:such as|including|like|notably|especially) $")


def _role_noun_or_plural(word: str, lex: Lexicon) -> bool:
    """A role noun, also in the plural ("athletes", "actresses") before a list of names."""
    if word in lex.role_nouns:
        return True
    return word.endswith("s") and (
        word[:-1] in lex.role_nouns or (word.endswith("es") and word[:-2] in lex.role_nouns)
    )


def _has_evidence(text: str, m: _Mention, lex: Lexicon, *, speech: bool) -> bool:
    """Context that shows a run of name words is a person's name."""
    if m.has_title:
        return True
    right = text[m.end : m.end + 40]
    # Both patterns start with "," or a space then "(" or "w": test those first (cheaper).
    if (right[:1] == "," or right[:2] in (" (", " w")) and (
        _AGE_RE.match(right) or (speech and _WHO_RE.match(right))
    ):
        return True
    if _letter_before(text, m.prefix_start):
        left_word = _left_word(text, m.prefix_start)
        if left_word and left_word.islower() and _role_noun_or_plural(left_word, lex):
            return True
        if left_word in _LIST_INTRO_LAST:
            # "the ancient gods, such as Zeus", "leaders including Putin".
            head = _LIST_HEAD_RE.search(text, max(0, m.prefix_start - 40), m.prefix_start)
            if head is not None and _role_noun_or_plural(head.group(1), lex):
                return True
    if right.startswith(", ") and _role_phrase_after(text, m.end, lex) is not None:
        return True
    if speech:
        if _SPEECH_AFTER_RE.match(right):
            return True
        copula = _COPULA_RE.match(text, m.end)
        if copula is not None and _parse_role(text[copula.end() : copula.end() + 60].split(), lex):
            return True  # "NAME is an Israeli mathematician and writer"
        if right.startswith((" and his ", " and her ")):
            return True  # "NAME and his colleagues"
        if _APPOSITIVE_RE.match(text, m.end):
            # "Kiara Perkins, a second year art major, admitted": a description, then a cue.
            close = text.find(",", m.end + 2, m.end + 90)
            if close > 0 and _SPEECH_AFTER_RE.match(text, close):
                return True
        if text.endswith(("'s ", "’s "), 0, m.prefix_start):
            # "DAB's Starry Lee", "Ukraine's Oksana Ivanko": a party, body or country's person.
            owner = text[max(0, m.prefix_start - 33) : m.prefix_start - 3].rsplit(" ", 1)[-1]
            if owner and _word_class(owner) & (_ACRONYM | _PLACE):
                return True
        if _SPEECH_BEFORE_RE.search(text, max(0, m.prefix_start - 20), m.prefix_start):
            return True
    # "ROLE, NAME": "the secretary general of the conference, Nunzio Galantino,".
    return text[max(0, m.prefix_start - 2) : m.prefix_start] == ", " and (
        _role_before(text, m, lex) is not None
    )


# ----------------------------------------------------------------------------------------------
# Roles
# ----------------------------------------------------------------------------------------------


# What a word can be in a role phrase, as bits; computed once per distinct word and cached.
_ROLE_WORD = 1  # may stand in a role phrase before its head noun
_ROLE_NOUN = 2  # a role noun ("spokesman", "physician"), in any case
_ROLE_TITLE = 4  # a title ("President")
_ROLE_NUMBER = 8  # "two", "three": a role noun after "number" ("number two")
_ROLE_WORD_CACHE: dict[str, int] = {}


def _role_class(w: str, lex: Lexicon) -> int:
    found = _ROLE_WORD_CACHE.get(w)
    if found is None:
        if len(_ROLE_WORD_CACHE) >= _CLASS_CACHE_MAX:
            _ROLE_WORD_CACHE.clear()
        f = w.casefold()
        found = (
            (_ROLE_WORD if _is_role_word(w, lex) else 0)
            | (_ROLE_NOUN if f in lex.role_nouns else 0)
            | (_ROLE_TITLE if w in lex.titles else 0)
            | (_ROLE_NUMBER if f in ("two", "three") else 0)
        )
        _ROLE_WORD_CACHE[w] = found
    return found


def _is_role_noun(words: Sequence[str], k: int, lex: Lexicon) -> bool:
    bits = _role_class(words[k], lex)
    if bits & _ROLE_NOUN:
        return True
    # "number two", "number three": the deputy of an organisation.
    return bool(bits & _ROLE_NUMBER) and k > 0 and words[k - 1].casefold() == "number"


def _role_word(w: str, lex: Lexicon) -> bool:
    """A word that may stand in a role phrase before its head noun (cached per word)."""
    return bool(_role_class(w, lex) & _ROLE_WORD)


def _is_role_word(w: str, lex: Lexicon) -> bool:
    f = w.casefold()
    if f in lex.role_modifiers or f in lex.role_nouns or w.endswith(_POSSESSIVE):
        return True  # possessives: "the team's coach", "China's president"
    if w[0].isupper():
        base = w[:-2] if w.endswith(_POSSESSIVE) else w
        return (
            base in lex.places
            or base in lex.titles
            or base in lex.title_modifiers
            or _is_acronym(base)
            or w.endswith(_POSSESSIVE)
        )
    return False


_PARENS_RE = re.compile(r" *\([^()]*\)")
_CONNECTORS = frozenset({"of", "at", "for", "to", "in"})
_ARTICLES = frozenset({"the", "a", "an"})


def _parse_role(words: Sequence[str], lex: Lexicon) -> int:
    """How many words from the start form a role phrase (0 when they do not).

    A role phrase is modifiers and a head noun ("former Russian leader", "team member"),
    optionally followed by "of/at/for (the) Organisation" ("president of Roscosmos").
    """
    k = 0
    n = len(words)
    head = -1
    while k < n:
        bits = _ROLE_WORD_CACHE.get(words[k])
        if bits is None:
            bits = _role_class(words[k], lex)
        if not bits & _ROLE_WORD:
            break
        if bits & (_ROLE_NOUN | _ROLE_TITLE) or (
            bits & _ROLE_NUMBER and k > 0 and words[k - 1].casefold() == "number"
        ):
            head = k
        k += 1
    if head < 0:
        return 0
    k = head + 1
    if k < n and words[k] in _CONNECTORS:
        j = k + 1
        if j < n and words[j] in _ARTICLES:
            j += 1
        start = j
        while j < n and j - start < 6 and (words[j][0].isupper() or words[j] in lex.particles):
            j += 1
        if j > start:
            return j
        # "spokesman for the ministry": up to three lower-case words.
        while j < n and j - start < 3 and words[j].isalpha() and words[j].islower():
            j += 1
        if j > start and j == n:
            return j
    return k


def _words_with_spans(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text, start, end)]


def _sentence_start(text: str, pos: int, reach: int = 200) -> int:
    """Where the sentence holding ``pos`` starts (looking back ``reach`` characters at most)."""
    lo = max(0, pos - reach)
    start = lo
    for end in (". ", "! ", "? ", ".\u201d ", '." '):
        at = text.rfind(end, lo, pos)
        if at >= 0 and at + len(end) > start:
            start = at + len(end)
    return max(start, text.rfind("\n", lo, pos) + 1)


_ROLE_REACH = 60


def _role_before(text: str, m: _Mention, lex: Lexicon) -> str | None:
    """The role written before a mention: in its run, right before it, or as "ROLE, NAME"."""
    after_comma = False
    if not m.has_title and not m.prefix:
        j = m.prefix_start - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        if j < 0:
            return None
        if text[j] != ",":
            word = _left_word(text, m.prefix_start)
            if not word or not _role_word(word, lex):
                return None  # "told Xi", "with Putin": no role here
        else:
            after_comma = True  # no words touch the name: only "ROLE, NAME" below can hold
    lo = _sentence_start(text, m.prefix_start)
    left: list[tuple[str, int, int]] = []
    if not after_comma:
        # The role words touch the name: the last words of the sentence before it are enough.
        near = max(lo, m.prefix_start - _ROLE_REACH)
        if near > lo:
            near = text.find(" ", near, m.prefix_start) + 1 or m.prefix_start
        left = [
            (w[:-1], s, e - 1) if w.endswith(",") else (w, s, e)
            for w, s, e in _words_with_spans(text, near, m.prefix_start)
        ]
    role_start: int | None = None
    role_end = m.prefix_start
    if m.has_title or (m.prefix and m.prefix[-1].casefold() in lex.role_nouns):
        # "Chinese President", "NASA Administrator", "Editorial Manager": the run's words
        # before the name.
        role_start = m.prefix_start
        role_end = m.start
    elif m.prefix:
        # "the number two of the Russian Security Council Dmitri Medvedev": an organisation
        # in the run, a role phrase with a connector before it.
        role_end = m.start
    # Walk left over role words ("former", "Russian leader") that touch the run.
    k = len(left)
    touching = text[left[-1][2] : m.prefix_start].strip() == "" if left else False
    if touching:
        while k > 0 and _role_word(left[k - 1][0], lex):
            k -= 1
        if k < len(left):
            words = [w for w, _, _ in left[k:]]
            if role_start is not None or any(
                _is_role_noun(words, j, lex) for j in range(len(words))
            ):
                if role_start is None and not _is_role_noun(words, len(words) - 1, lex):
                    k = len(left)
                else:
                    role_start = left[k][1]
                    if role_start is not None and not m.has_title and not m.prefix:
                        role_end = left[-1][2]
    if role_start is None and m.prefix and not m.has_title:
        # Connector chain: ROLE of (the) PREFIX NAME.
        j = len(left)
        if j > 0 and left[j - 1][0] in _ARTICLES:
            j -= 1
        if j > 0 and left[j - 1][0] in _CONNECTORS:
            c = j - 1
            s = c
            while s > 0 and _role_word(left[s - 1][0], lex):
                s -= 1
            words = [w for w, _, _ in left[s:c]]
            if words and any(_is_role_noun(words, i, lex) for i in range(len(words))):
                role_start = left[s][1]
    if role_start is None:
        # "ROLE, NAME" or "ROLE, the organisation's description, NAME".
        before = text[lo : m.prefix_start].rstrip()
        if before.endswith(","):
            # Parentheses are left out: "secretary general of CEI (the bishops), NAME".
            chunks = (_PARENS_RE.sub("", before[:-1]) if "(" in before else before[:-1]).split(",")
            candidates = [chunks[-1]]
            if len(chunks) > 1 and chunks[-1].strip().split(" ", 1)[0] in _ARTICLES:
                candidates.append(chunks[-2])
            for chunk in candidates:
                cw = chunk.split()
                if not any(w.casefold() in lex.role_nouns or w in lex.titles for w in cw):
                    continue  # no role noun, no role
                # Leading words that are not part of it ("confirmed by president of ...").
                for s in range(len(cw)):
                    tail = cw[s:]
                    if tail and lowercase(tail[0]) in _ARTICLES:
                        tail = tail[1:]
                    if (
                        tail
                        and _parse_role(tail, lex) == len(tail)
                        and (s == 0 or cw[s - 1].islower() or lowercase(cw[s - 1]) in _ARTICLES)
                    ):
                        phrase = " ".join(tail)
                        at = text.rfind(phrase, lo, m.prefix_start)
                        if at >= 0:
                            return phrase
                        break
        return None
    role = text[role_start:role_end].strip(" ,")
    return role or None


# Where an appositive after a name ends.
_APPOSITIVE_STOP_RE = re.compile(r'[,.;:()\n"“”]')


def _role_phrase_after(text: str, end: int, lex: Lexicon) -> str | None:
    """The role in an appositive after a name ("Jane Doe, the team's coach,")."""
    if not text.startswith(", ", end):
        return None
    found = _APPOSITIVE_STOP_RE.search(text, end + 2, end + 90)
    if found is None:
        return None
    phrase = text[end + 2 : found.start()]
    if phrase in _APPOSITIVE_CACHE:
        return _APPOSITIVE_CACHE[phrase]
    role = _appositive_role(phrase, lex)
    if len(_APPOSITIVE_CACHE) >= _CLASS_CACHE_MAX:
        _APPOSITIVE_CACHE.clear()
    _APPOSITIVE_CACHE[phrase] = role
    return role


# The role an appositive's words give, or None, remembered per phrase ("the team's coach"):
# appositives recur ("the finance minister") and the parse needs only the words.
_APPOSITIVE_CACHE: dict[str, str | None] = {}


def _appositive_role(phrase: str, lex: Lexicon) -> str | None:
    words = phrase.split()
    if words and words[0] in _ARTICLES:
        words = words[1:]
    if not words or len(words) > 10:
        return None
    if _parse_role(words, lex) == len(words):
        return " ".join(words)
    return None


# ----------------------------------------------------------------------------------------------
# Assembling people
# ----------------------------------------------------------------------------------------------


def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


_VOWELS = frozenset("aeiouy")


def _spelling_variant(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two spellings of one name: one vowel differs in one word of five letters or more
    ("Kristin Wilkins" and "Kristen Wilkins"), the family name the same."""
    if len(a) != len(b) or a[-1] != b[-1] or a == b:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diff) != 1:
        return False
    x, y = diff[0]
    if len(x) != len(y) or len(x) < 5:
        return False
    letters = [(c, d) for c, d in zip(x, y, strict=True) if c != d]
    return len(letters) == 1 and letters[0][0] in _VOWELS and letters[0][1] in _VOWELS


_CORE_CACHE: dict[tuple[str, ...], tuple[str, ...]] = {}


def _core(words: tuple[str, ...], lex: Lexicon) -> tuple[str, ...]:
    """A name's words without lower-case particles and suffixes ("van", "Jr.")."""
    core = _CORE_CACHE.get(words)
    if core is None:
        if len(_CORE_CACHE) >= _CLASS_CACHE_MAX:
            _CORE_CACHE.clear()
        core = _CORE_CACHE[words] = tuple(
            w for w in words if not w.islower() and w not in lex.suffixes
        )
    return core


def capitalised_runs(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every run of capitalised words (rule 1), for other finders.

    Args:
        text: Any text.

    Returns:
        The spans, in text order.
    """
    return [m.span() for m in _run_re().finditer(text)]


def people_in_text(
    text: str, headline_end: int, *, known: Collection[str] = ()
) -> list[PersonMention]:
    """Find the people in an already joined article text.

    Args:
        text: The :func:`article_text` of the article.
        headline_end: Length of the headline (where the headline zone ends).
        known: Full names already in the database (a :class:`KnownNames` is fastest).

    Returns:
        The people, in order of first mention.
    """
    spans = capitalised_runs(text)
    return _people(text, headline_end, spans, [text[s:e] for s, e in spans], known)


def _people(
    text: str,
    headline_end: int,
    spans: list[tuple[int, int]],
    groups: list[str],
    known: Collection[str],
) -> list[PersonMention]:
    """The people of a text, from the spans of its runs of capitalised words and their text."""
    lex = lexicon()
    kn = _as_known(known)
    doc = _Doc(text)
    glue = _glue_map(groups, lex, kn)
    runs = _runs(spans, groups, headline_end, glue, doc)

    # A headline in sentence case names people as the body does; in title case ("Putin Tells
    # Xi He Wants...") its capitals prove nothing, and it only repeats names found elsewhere.
    headline_names = not _title_case(text[:headline_end])
    full: list[_Mention] = []  # accepted names: two words or more, or one after a title
    maybes: list[tuple[_Mention, bool]] = []
    singles: dict[str, list[int]] = {}  # single name word -> its runs
    split: list[tuple[int, str]] = []
    has_known = bool(kn)
    for r_i, run in enumerate(runs):
        if len(run.words) == 1 and not run.headline:
            # One word in the body (most runs): a possible name unless its class says
            # otherwise (the general case below, shortened).
            w = run.words[0]
            bits = _CLASS_CACHE.get(w)
            if bits is None:
                bits = _word_class(w)
            if bits & (_NOT_SHAPED | _LOWER | _INITIAL | _NOT_NAME):
                split.append((0, ""))
            else:
                split.append((0, "single"))
                singles.setdefault(w, []).append(r_i)
            continue
        if (
            len(run.words) > 2
            and _thing_after_name(run.words[-1], doc)
            and sum(1 for w in run.words[:-1] if _name_shaped(w)) > 1
        ):
            # "the Ada Quorrin Experience", "Ada Quorrin Appreciation": a thing named after
            # a person; the person is the name before it.
            run.words.pop()
            run.starts.pop()
            run.ends.pop()
        joined = " ".join(run.words) if has_known and run.headline else ""
        if run.headline and (not headline_names or (has_known and joined in kn)):
            if has_known and joined in kn:
                full.append(_mention(run, 0))
                split.append((0, "known"))
            else:
                split.append((0, ""))
            continue
        if len(run.words) == 1:
            # One word (most runs): a possible name unless its class says otherwise.
            bad = _word_class(run.words[0]) & (_NOT_SHAPED | _LOWER | _INITIAL | _NOT_NAME)
            i, kind = 0, ("" if bad else "single")
        else:
            i, kind = _split_words(run.words, lex, doc)
            if (
                kind in _NAME_KINDS
                and all(_word_class(w) & _PLACE for w in run.words[:i])
                and _after_article(text, run.starts[0])
            ):
                # "the Velvet Underground", "the Campbell Soup cans", "the 2012 Summer
                # Paralympics": words that may be a name, written after "the" or a number
                # with no title between, name a thing.
                kind = ""
            elif (
                kind
                and i == 0
                and text[run.starts[0] - 2 : run.starts[0] - 1].isalpha()
                and _left_word(text, run.starts[0]) in lex.work_nouns
            ):
                kind = ""  # "her novel Angel Catbird", "the ship Queen Mary": a title
        split.append((i, kind))
        if not kind:
            continue
        if kind == "single":
            if not run.headline:
                singles.setdefault(run.words[i], []).append(r_i)
            continue
        m = _mention(run, i)
        if kind in ("person", "person_x") or (has_known and " ".join(m.words) in kn):
            full.append(m)
        elif not run.headline or (
            # In a sentence-case headline, but not its first word, capitalised anyway.
            headline_names and _letter_before(text, run.starts[0])
        ):
            maybes.append((m, kind == "weak"))
    pending: list[_Mention] = []
    for m, weak in maybes:
        # Evidence around the run, or around its last word used alone ("said Mohib"); for a
        # gazetteer given name, its last word used alone at all ("Chet Clem" ... "Clem").
        if (
            (
                weak
                and any(
                    not _after_article(text, runs[r].starts[0])
                    for r in singles.get(m.words[-1], ())
                )
            )
            or _has_evidence(text, m, lex, speech=True)
            or _AGENT_RE.search(text, max(0, m.prefix_start - 30), m.prefix_start)
            or any(
                _has_evidence(text, _mention(runs[r], split[r][0]), lex, speech=True)
                for r in singles.get(m.words[-1], ())
            )
        ):
            # "Iodine Deficiency Disorders" where "iodine" is also written: not a name ("AS
            # Byatt" where "as" is: initials).
            if weak or m.words[0].isupper() or not doc.uses_lower(lowercase(m.words[0])):
                full.append(m)
        else:
            pending.append(m)
    if pending:
        _accept_coordinated(text, full, pending)

    # Group full names: a name whose words are a subsequence of a longer one is that person.
    names = sorted(
        {_core(m.words, lex) for m in full if len(_core(m.words, lex)) > 1},
        key=lambda w: (-len(w), w),
    )
    persons: list[_Person] = []
    for words in names:
        for p in persons:
            if words[-1] == p.words[-1] and (
                _subsequence(words, p.words) or _spelling_variant(words, p.words)
            ):
                break
            if words[0] == p.words[0] and words[0] in lex.east_asian_family:
                if _subsequence(words, p.words):
                    break
        else:
            persons.append(_Person(words))
    by_words: dict[tuple[str, ...], _Person] = {}
    for words in names:
        last = words[-1]
        for p in persons:
            # Both tests need the last word in the other name (a cheap test first).
            if last in p.words and (
                _subsequence(words, p.words) or _spelling_variant(words, p.words)
            ):
                by_words[words] = p
                break
    for m in full:
        core = _core(m.words, lex)
        if len(core) > 1:
            p = by_words[core]
            p.spans.append((m.start, m.end, text[m.start : m.end]))
            p.mentions.append(m)

    # Single words: bind to a person whose name has them, or stand alone with a title.
    index: dict[str, list[_Person]] = {}
    for p in persons:
        for w in _core(p.words, lex):
            if len(w) > 1 and not (len(w) == 2 and w[1] == "."):
                index.setdefault(w, []).append(p)
    covered = {(m.start, m.end) for m in full}
    full_starts = {m.start for m in full}
    alone: dict[str, _Person] = {}
    pending_alone: list[_Mention] = []
    quiet: list[_Run] = []  # pending too, with no evidence next to them (sentence openers)
    for r_i, run in enumerate(runs):
        i, kind = split[r_i]
        if len(run.words) == 1 and run.words[0] not in index:
            # One word that is no person's (most runs): a possible name alone, or nothing.
            if kind != "single" or run.headline:
                continue
            start = run.starts[0]
            if _quiet_around(text, start, run.ends[0]) and run.words[0] not in kn.by_last:
                quiet.append(run)
            else:
                m = _Mention((run.words[0],), start, run.ends[0], (), start, False)
                _alone_or_pending(text, m, doc, kn, alone, persons, pending_alone)
            continue
        if kind == "known" or (
            kind and run.starts[i] in full_starts and len(_core(tuple(run.words[i:]), lex)) > 1
        ):
            continue
        bound: list[tuple[int, _Person]] = []
        ok = True
        # The words of the name part only: "Index Professor Chomsky" binds "Chomsky".
        for k in range(i if kind else 0, len(run.words)):
            w = run.words[k]
            if w in index:
                bound.append((k, _nearest(index[w], run.starts[k])))
            elif _word_class(w) & (_TITLE | _TITLE_MOD | _LOWER) or (
                run.headline and _place_len(run.words, k, lex)
            ):
                continue
            else:
                ok = False
        if ok and bound:
            for k, p in bound:
                span = (run.starts[k], run.ends[k])
                if span not in covered:
                    p.spans.append((span[0], span[1], run.words[k]))
                    p.mentions.append(
                        _Mention(
                            (run.words[k],),
                            span[0],
                            span[1],
                            tuple(run.words[:k]),
                            run.starts[0],
                            any(_word_class(w) & _TITLE for w in run.words[:k]),
                        )
                    )
            continue
        if run.headline:
            continue
        # A single name word with its own evidence (a title, a role noun before, an age
        # after) and no full name to bind to; or the family name of exactly one known person.
        if kind not in ("single", "person", "person_x"):
            continue
        m = _mention(run, i)
        if len(m.words) == 1:
            _alone_or_pending(text, m, doc, kn, alone, persons, pending_alone)
    if alone and quiet:
        # (Only a word that stands alone elsewhere can accept a pending one: most articles
        # have none, and these mentions are not even made.)
        pending_alone += [
            _Mention((r.words[0],), r.starts[0], r.ends[0], (), r.starts[0], False) for r in quiet
        ]
    if pending_alone:
        _accept_alone(text, pending_alone, alone, persons)
    # Headline mentions of people found alone in the body.
    if alone:
        for r_i, run in enumerate(runs):
            if run.headline and split[r_i][1] != "known":
                for k, w in enumerate(run.words):
                    if w in alone and w not in index:
                        alone[w].spans.append((run.starts[k], run.ends[k], w))

    return [_finish(text, p, lex) for p in _ordered(persons)]


_LIST_GAPS = (", ", " and ", ", and ", " & ")
_GAP_FIRST = frozenset({",", " "})
_LED_RE = re.compile(r" (?:government|administration|cabinet|presidency|regime|era)\b")
# Endings of adjectives that also stand before "government" ("Conservative", "Federal",
# "Communist", "Republican", "Democratic", "Victorian", "Spanish", "Chinese").
_ADJECTIVE_ENDINGS = ("ive", "al", "ist", "an", "ic", "ish", "ese")


def _leader_named(text: str, m: _Mention, doc: _Doc) -> bool:
    """ "the Monti government", "the Obama administration": the leader's family name."""
    w = m.words[0]
    return (
        _after_article(text, m.prefix_start)
        and _LED_RE.match(text, m.end) is not None
        and not w.endswith(_ADJECTIVE_ENDINGS)
        and not doc.uses_lower(lowercase(w))
    )


def _listed_next_to(text: str, m: _Mention, ends: set[int], starts: Container[int]) -> bool:
    """Whether a comma or "and" joins ``m`` to a name that ends or starts at those offsets."""
    start, end = m.prefix_start, m.end
    if text[start - 1 : start] == " ":
        for gap in _LIST_GAPS:
            if start - len(gap) in ends and text.endswith(gap, 0, start):
                return True
    if text[end : end + 1] in _GAP_FIRST:
        for gap in _LIST_GAPS:
            if end + len(gap) in starts and text.startswith(gap, end):
                return True
    return False


def _alone_or_pending(
    text: str,
    m: _Mention,
    doc: _Doc,
    kn: KnownNames,
    alone: dict[str, _Person],
    persons: list[_Person],
    pending: list[_Mention],
) -> None:
    """A one-word mention with no full name to bind to: a person with its own evidence (a
    title, a role noun before, an age after, "the NAME government") or as the family name of
    exactly one known person, unless the article also writes the word in lower case (then
    it is a common word that opens a sentence: "Budget talks resumed ... the budget", with
    someone named "... Budget" known); else pending (see :func:`_accept_alone`)."""
    w = m.words[0]
    if (
        _has_evidence(text, m, lexicon(), speech=False)
        or (w in kn.by_last and len(kn.by_last[w]) == 1 and not doc.uses_lower(lowercase(w)))
        or _leader_named(text, m, doc)
    ):
        _stand_alone(m, alone, persons)
    else:
        pending.append(m)


def _quiet_around(text: str, start: int, end: int) -> bool:
    """Whether nothing next to a word can show that it names a person alone: a line break, or
    a stop and a space before it (a sentence opener), and neither a comma nor " (" after it.

    :func:`_alone_or_pending` then finds no evidence for it (every rule there needs a word,
    "the", a number or a comma before it, or a comma or an age in brackets after it) unless
    it is the family name of a known person.
    """
    if start >= 2:
        before = text[start - 1]
        if before != "\n" and (before != " " or text[start - 2] not in ".!?"):
            return False
    elif start == 1 and text[0] != "\n":
        return False
    after = text[end : end + 1]
    return after != "," and not (after == " " and text.startswith("(", end + 1))


def _stand_alone(m: _Mention, alone: dict[str, _Person], persons: list[_Person]) -> None:
    """Count a one-word mention for the person known by that word alone."""
    w = m.words[0]
    p = alone.get(w)
    if p is None:
        p = alone[w] = _Person((w,))
        persons.append(p)
    p.spans.append((m.start, m.end, w))
    p.mentions.append(m)


def _accept_alone(
    text: str, pending: list[_Mention], alone: dict[str, _Person], persons: list[_Person]
) -> None:
    """One-word mentions without evidence of their own that still name a person.

    The word already stands for a person elsewhere in the article (her later mentions:
    "Gloria was taken to hospital"), or it is listed next to a one-word name that does
    ("gods such as Zeus, Hera and Athena"), repeated along the list.
    """
    changed = bool(alone)  # without a one-word person no mention can join one
    while changed and pending:
        changed = False
        ends = {e for p in alone.values() for _, e, _ in p.spans}
        starts = {s for p in alone.values() for s, _, _ in p.spans}
        for m in list(pending):
            if m.words[0] in alone or _listed_next_to(text, m, ends, starts):
                _stand_alone(m, alone, persons)
                pending.remove(m)
                changed = True


def _accept_coordinated(text: str, full: list[_Mention], pending: list[_Mention]) -> None:
    """Accept possible names listed with accepted ones ("Christopher Makos and Felice Quinto").

    A name joined by a comma or "and" to a person's name is a person too (the list's role
    noun, "photographers", stands before its first name only); repeated along the list.
    """
    ends = {m.end for m in full}
    starts = {m.prefix_start: m.end for m in full}
    changed = True
    while changed and pending:
        changed = False
        for m in list(pending):
            if _left_word(text, m.prefix_start) in _CONNECTORS:
                continue  # "Raymond Chan of People Power, and ...": an organisation
            if _listed_next_to(text, m, ends, starts) or _linked_by_verb(text, m, ends, starts):
                full.append(m)
                pending.remove(m)
                ends.add(m.end)
                starts[m.prefix_start] = m.end
                changed = True


# Verbs whose subject and object are both people when one of them is ("Jane Doe replaced John
# Roe", "Doe defeating Roe"), as in sports and elections.
_PERSON_LINK = (
    r" (?:replaced|replacing|succeeded|succeeding|defeated|defeating|beat|beating|married|"
    r"marrying|met) "
)
_PERSON_LINK_AFTER_RE = re.compile(_PERSON_LINK)
_PERSON_LINK_BEFORE_RE = re.compile(_PERSON_LINK + "$")


def _linked_by_verb(text: str, m: _Mention, ends: set[int], starts: dict[int, int]) -> bool:
    """Whether a person-to-person verb joins ``m`` to an accepted name (not a possessive one:
    "Jane Doe's film beat ...")."""
    found = _PERSON_LINK_AFTER_RE.match(text, m.end)
    if found is not None:
        other_end = starts.get(found.end())
        if other_end is not None and text[other_end : other_end + 1] not in _APOSTROPHES:
            return True
    if text[m.end : m.end + 1] in _APOSTROPHES:
        return False
    found = _PERSON_LINK_BEFORE_RE.search(text, max(0, m.prefix_start - 15), m.prefix_start)
    return found is not None and found.start() in ends


_CASED_WORD_RE = re.compile(r"[^\W\d_][\w'’-]{3,}")


def _title_case(headline: str) -> bool:
    """Whether most words of four letters or more are capitalised ("Putin Tells Xi He...")."""
    words: list[str] = _CASED_WORD_RE.findall(headline)
    if not words:
        return True
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised > 0.8 * len(words)


def _nearest(candidates: list[_Person], pos: int) -> _Person:
    """Of several people sharing a word, the one mentioned last before ``pos`` (else first)."""
    if len(candidates) == 1:
        return candidates[0]
    best: _Person | None = None
    best_at = -1
    for p in candidates:
        before = [s for s, _, _ in p.spans if s < pos]
        if before and max(before) > best_at:
            best, best_at = p, max(before)
    if best is not None:
        return best
    return min(candidates, key=lambda p: min((s for s, _, _ in p.spans), default=len(p.words)))


def _ordered(persons: list[_Person]) -> list[_Person]:
    kept = [p for p in persons if p.spans]
    return sorted(kept, key=_first_start)


def _first_start(p: _Person) -> int:
    return min(p.spans)[0]


_ROLE_MENTIONS = 6
_by_start = attrgetter("start")


def _finish(text: str, p: _Person, lex: Lexicon) -> PersonMention:
    spans = sorted(set(p.spans))
    firsts: dict[str, int] = {}
    for s, _, form in spans:
        firsts.setdefault(form, s)
    name = " ".join(p.words)
    # The fullest form as written (particles included) when the article has it; of equally
    # full ones the first used (``firsts`` is in order of first use, and max and sorted keep
    # the first of equals).
    if len(firsts) == 1:
        fullest = spans[0][2]  # one form (often): nothing to choose or sort
    else:
        size = {f: (len(f.split()), len(f)) for f in firsts}
        fullest = max(firsts, key=size.__getitem__)
    core = _core(tuple(fullest.split()), lex)
    if core == p.words or _spelling_variant(core, p.words):
        name = fullest
    if len(firsts) == 1:
        forms = [fullest]
    else:
        forms = sorted(firsts, key=lambda f: (f != name, -size[f][0], -size[f][1]))
    role: str | None = None
    # The role comes with one of the first mentions, if at all.
    mentions = p.mentions if len(p.mentions) == 1 else sorted(p.mentions, key=_by_start)
    for m in mentions[:_ROLE_MENTIONS]:
        # Only a title, an organisation in the run, a word or a comma before the name, or a
        # comma after it can bring a role: look closer only then.
        if (
            m.has_title
            or m.prefix
            or _letter_before(text, m.prefix_start)
            or text.endswith("), ", 0, m.prefix_start)
        ):
            role = _role_before(text, m, lex)
            if role:
                break
        # (The appositive needs ", " after the name: test that before calling.)
        role = _role_phrase_after(text, m.end, lex) if text.startswith(", ", m.end) else None
        if role:
            break
    return PersonMention(
        name=name,
        forms=tuple(forms),
        count=len(spans),
        first_offset=spans[0][0],
        role=role,
        spans=tuple([(s, e) for s, e, _ in spans]),
    )


def find_people(
    headline: str,
    standfirst: str | None,
    body: str,
    *,
    known: Collection[str] = (),
) -> list[PersonMention]:
    """Find the people named in an article's headline, standfirst and body.

    Args:
        headline: The headline.
        standfirst: The standfirst, if any.
        body: The body.
        known: Full names already in the database: used only to repair words glued where
            links were stripped ("Yuri Borisovin an interview") and to accept a known name.

    Returns:
        One :class:`PersonMention` per person, in order of first mention; offsets are into
        :func:`article_text`.
    """
    return people_in_text(article_text(headline, standfirst, body), len(headline), known=known)


def analyse(
    headline: str,
    standfirst: str | None,
    body: str,
    *,
    known: Collection[str] = (),
) -> Analysis:
    """Find people, quotes and cited outlets in one call.

    Args:
        headline: The headline.
        standfirst: The standfirst, if any.
        body: The body.
        known: As for :func:`find_people`.

    Returns:
        An :class:`Analysis`; every offset is into its ``text``.
    """
    text = article_text(headline, standfirst, body)
    spans = capitalised_runs(text)
    # The runs' words, cut once for both finders (their hashes, once computed, are kept).
    groups = [text[s:e] for s, e in spans]
    people = _people(text, len(headline), spans, groups, known)
    forms = {f for p in people for f in p.forms}
    cited = outlets_in_text(text, spans, exclude=forms, texts=groups)
    quotes = quotes_in_text(text, people, cited)
    return Analysis(text, tuple(people), tuple(quotes), tuple(cited))


# Re-exported for callers that import every record from here.
_ = (CitedOutlet, Quote)
