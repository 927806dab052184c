"""Find the article in a web page saved as plain text.

A "save as text" dump puts every visible block of the page on its own line: menus, teasers,
share widgets and footers sit next to the article. The parser decides line by line what is
article and what is furniture, using only what a line looks like (length, sentence punctuation,
stop words, labels), where it stands and what repeats. No rule knows a site.

The steps:

1. Normalise and classify every non-empty line (prose, short title-like line, byline, date,
   dateline, caption credit, advertising label, end marker...).
2. The body is the densest run of prose: a maximum-sum run of line scores (prose lines gain by
   their length, short lines and metadata cost a little), never crossing an end marker ("Related
   ...", "Comments", copyright, a second dateline that opens a teaser...).
3. The header is read backwards from the body: the headline is the best title-like line above
   it, the section label sits above the headline, the masthead above that at the top of the
   page; byline, date, dateline and the standfirst sit between the headline and the body.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter

from newsdb._case import lowercase
from newsdb.agencies import canonical_agency
from newsdb.errors import NotAnArticle
from newsdb.parsers import normalize as nz
from newsdb.parsers.base import Format, ParsedArticle

# --------------------------------------------------------------------------------------------
# Line kinds
# --------------------------------------------------------------------------------------------

PROSE = "prose"  # running text: a sentence of some length
SHORT = "short"  # a title-like line: headline, subheading, menu item, teaser title
END = nz.END_KIND  # a line that opens what follows the article (related links, comments, footer)
LABEL = "label"  # a section label repeated all over the page ("SUPERPOWERS" x 10)
SKIP = nz.SKIP_KIND  # an advertising slot label inside the article
CREDIT = nz.CREDIT_KIND  # an image caption credit
BYLINE = "byline"
DATE = "date"
DATELINE = "dateline"  # "Moscow (AFP) Dec 30, 2022"
EMPTY = "empty"  # a field label with its value missing ("Posted on:")
URL = "url"
CONSENT = "consent"  # a cookie banner or privacy notice

_META = frozenset({BYLINE, DATE, DATELINE, EMPTY})

# Field methods (ParsedArticle.field_methods): "heuristic", as the HTML parser calls what it
# reads from a page's visible text, and after the colon the rule that found the field.
HEADLINE_LINE = "heuristic:headline-line"  # the best title-like line over the body
PAGE_TITLE = "heuristic:page-title"  # another version of that line ("Kicker: Headline")
BREADCRUMB = "heuristic:breadcrumb"  # the last item of a breadcrumb trail
DENSEST_RUN = "heuristic:densest-run"  # the body: the densest run of prose
STANDFIRST = "heuristic:standfirst"  # a paragraph between the headline and the byline or date
BYLINE_LINE = "heuristic:byline-line"  # "By Jane Doe, Reuters"
BY_LABEL = "heuristic:by-label"  # "Author:" alone, the names on the next line
NAMES_LINE = "heuristic:names-line"  # a line of names under the headline or by a date
DATE_LINE = "heuristic:date-line"  # a date line in the header ("3 May 2024 / Jane Doe")
DATELINE_LINE = "heuristic:dateline"  # "Moscow (AFP) Dec 30, 2022" in the header
LEAD_DATELINE = "heuristic:lead-dateline"  # "GENEVA, March 3 (Reuters) - " opening the text
NEARBY_DATE = "heuristic:nearby-date"  # a date line around the header, none in it
SECTION_LABEL = "heuristic:section-label"  # the short label over the headline
MASTHEAD = "heuristic:masthead"  # the site's name at the top of the page
URL_LINE = "heuristic:url-line"  # an address printed on a line of its own
LANGUAGE_GUESS = "heuristic:language-guess"  # guessed from the body's words

# Header dateline: "Moscow (AFP) Dec 30, 2022", "PARIS, May 3, 2024 (Reuters) -".
_DATELINE_HEAD_RE = re.compile(
    r"^(?P<place>[^\W\d_][\w .'’-]{1,40}?)\s*\((?P<agency>[^()]{2,30})\)\s*(?P<rest>.*)$"
)
_DATELINE_COMMA_RE = re.compile(
    r"^(?P<place>[^\W\d_][\w .'’-]{1,40}?),\s*(?P<rest>.{4,30}?)\s*\((?P<agency>[^()]{2,30})\)"
    r"\s*[-–—:]"
)
# Dateline opening the first paragraph: "MEXICO CITY (AP) — ...", "Kiel (dpo) - ...".
_DATELINE_LEAD_RE = re.compile(
    r"^(?P<place>[^\W\d_][\w .'’/-]{1,40}?)\s*\((?P<agency>[^()]{2,30})\)\s*[-–—:]\s+\S"
)
# "GENEVA, March 3 (Reuters) - ...": a comma dateline without the year.
_DATELINE_LEAD_COMMA_RE = re.compile(
    r"^(?P<place>[^\W\d_][\w .'’/-]{1,40}?),\s*(?P<rest>[^(),]{3,30}?)\s*"
    r"\((?P<agency>[^()]{2,30})\)\s*[-–—:]\s+\S"
)
_BY_INITIALS = frozenset("bvpdatwrBVPDATWR")
# First words that the furniture and byline tests look for.
_TESTED_FIRST_WORDS = nz.FURNITURE_FIRST_WORDS | nz.BY_FIRST_WORDS
_SEPARATOR_RE = re.compile(r"\s[|·•]\s")
_DATELINE_CAPS_RE = re.compile(r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ .'’-]{2,30})\s*[—–]\s+\S")
_DIGIT_RE = re.compile(r"\d")
_URL_RE = re.compile(r"^https?://\S+$")
_CAPS_LABEL_RE = re.compile(r"^[^a-zß-ÿ]*$")

# Line scores for the densest-run search. A prose line gains its word count minus a small
# toll; anything else costs. The costs are small enough that a subheading or a caption between
# two paragraphs does not split the article, and large enough that a menu or a list of teaser
# titles between the article and other prose does.
_PROSE_TOLL = 4.0
_COST = {
    SHORT: 7.0,
    LABEL: 12.0,
    SKIP: 1.0,
    CREDIT: 3.0,
    BYLINE: 8.0,
    DATE: 8.0,
    EMPTY: 8.0,
    URL: 8.0,
    CONSENT: 12.0,
}
# Kinds that end a run wherever they appear.
_BARRIERS = frozenset({END, DATELINE})


class _Line:
    """One line of a page and its features.

    A plain class, not a dataclass: compiled with mypyc, a dataclass's generated
    ``__init__`` stays interpreted (docs/import.md, "Compiled modules").
    """

    __slots__ = ("text", "key", "words", "sentence", "kind", "repeats")

    text: str
    key: str
    words: int
    sentence: bool
    kind: str
    repeats: int

    def __init__(
        self, text: str, key: str, words: int, sentence: bool, kind: str, repeats: int
    ) -> None:
        self.text = text
        self.key = key
        self.words = words
        self.sentence = sentence
        self.kind = kind
        self.repeats = repeats


def _compute_features(text: str, lower: str | None = None) -> tuple[int, bool, str | None, str]:
    """Word count, sentence end and kinds of a line (see _features), all tests in one pass.

    The kinds that win over a line's repetition (URL, furniture, byline, dateline, date), or
    None; then the kind the line has when it is no label (empty label, caption, prose, short,
    consent), "" when the first is set. The result depends on the text alone; the page decides
    between the two kinds by how often it prints the line.

    The lines of ``_read_lines`` have single spaces between their words and none at their ends.
    A line of letters and digits only (most menu items and titles) needs few of the tests: it
    holds no punctuation, so it ends no sentence and is no URL, label, caption or credit line.
    ``lower`` is ``text.lower()`` when the caller has it.
    """
    size = len(text)
    plain = False
    bare = ""
    if text.isascii() or nz.CJK_RE.search(text) is None:
        # Counting spaces gives len(WORD_RE.findall(text)) when every other character is a word
        # character. Long paragraphs' words only feed their score (capped at 120 words) and
        # tests whose thresholds are far below: they are counted by their spaces all the same.
        if size > 150:
            words = text.count(" ") + 1
        else:
            bare = text.replace(" ", "")
            plain = bare.isalnum()
            words = text.count(" ") + 1 if plain else len(nz.WORD_RE.findall(text))
    else:
        words = nz.word_count(text)
    if lower is None:
        lower = lowercase(text)
    # The tests that read the first word are for lines of at most 30 words or short ones (see
    # nz.furniture_kind_lower): a paragraph goes without it.
    first = nz.first_word(lower) if size < 160 or words <= 30 else None
    if plain:
        # Letters only, a first word that no test starts with and no credit word: a short
        # title-like line, unless it is a byline's lead word alone ("Written by").
        if (
            words < 30
            and first not in _TESTED_FIRST_WORDS
            and bare.isalpha()
            and not nz.may_hold_credit(lower)
        ):
            if size < 30 and text[0] in _BY_INITIALS and nz.is_by_label(text):
                return words, False, None, EMPTY
            return words, False, None, SHORT
        sentence = False
    else:
        sentence = nz.ends_like_sentence(text)
        if text[0] == "h" and _URL_RE.match(text):
            return words, sentence, URL, ""
    furniture = nz.furniture_kind_lower(text, lower, words, first)
    if furniture is not None:
        return words, sentence, furniture, ""
    # Bylines and dates before labels: the dates of a list of teasers repeat, and stay dates.
    if (
        words <= 12
        or (words <= 16 and size <= 80)
        or (
            words <= 30
            # The separators' characters first: the regex costs much more on a long line.
            and ("|" in text or "·" in text or "•" in text)
            and _SEPARATOR_RE.search(text) is not None
        )
    ):
        if (
            text[0] in _BY_INITIALS
            and first in nz.BY_FIRST_WORDS
            and _parse_byline(text) is not None
        ):
            return words, sentence, BYLINE, ""
        # Datelines and date lines need digits; skipping the date regex elsewhere saves time.
        # (Letters alone hold no digit.)
        if not (plain and bare.isalpha()) and _DIGIT_RE.search(text) is not None:
            # (Header datelines have their agency in brackets.)
            if "(" in text and _header_dateline(text) is not None:
                return words, sentence, DATELINE, ""
            if nz.is_date_line(text):
                return words, sentence, DATE, ""
    # The kinds of lines that are no label.
    if (not plain and text[-1] == ":" and nz.is_empty_label(text)) or (
        size < 30 and text[0] in _BY_INITIALS and nz.is_by_label(text)
    ):
        return words, sentence, None, EMPTY
    if not sentence:
        if words >= 6 and not plain and nz.is_caption(text, words):
            return words, sentence, None, CREDIT
        if words < 30:
            return words, sentence, None, SHORT
    # Short sentences must read like text, not like a label ("Sign in.", "Menu!").
    elif words < 5 or (
        words < 12 and nz.stop_word_share(text) == 0.0 and nz.word_count(text) == len(text.split())
    ):
        return words, sentence, None, SHORT
    # Cookie notices run long; testing short lines would only cost time.
    if words >= 12 and nz.consent_text_lower(text, lower):
        return words, sentence, None, CONSENT
    return words, sentence, None, PROSE


# The classification of a byline reads its names; the header reads them again.
_parse_byline = functools.lru_cache(maxsize=4096)(nz.parse_byline)


# Menus, share buttons, cookie banners and footers repeat line for line on every page of a site,
# and lines like "Home" or "Advertisement" on every site: an import of a folder classifies each
# such line once. Paragraphs of text rarely repeat, and would only fill the cache.
_features = functools.lru_cache(maxsize=1 << 15)(_compute_features)
_CACHED_LINE_CHARS = 200


def _score(line: _Line) -> float:
    if line.kind == PROSE:
        return min(line.words, 120) - _PROSE_TOLL
    return -_COST.get(line.kind, 8.0)


def _header_dateline(text: str) -> tuple[str, str, dt.datetime | None] | None:
    """Return (place, agency, date) of a header dateline line, else None."""
    m = _DATELINE_HEAD_RE.match(text)
    if m is not None:
        rest = m.group("rest")
        date = nz.parse_date(rest)
        if date is not None and nz.word_count(rest) <= 8:
            return m.group("place"), m.group("agency"), date
    m = _DATELINE_COMMA_RE.match(text)
    if m is not None:
        date = nz.parse_date(m.group("rest"))
        if date is not None:
            return m.group("place"), m.group("agency"), date
    return None


def _place(raw: str) -> str:
    place = raw.strip(" ,.-")
    # Wire style prints places in capitals ("MEXICO CITY"); store them as names.
    if place.isupper():
        place = " ".join(w.capitalize() for w in place.split())
    return place


_AGENCY_PART_SPLIT_RE = re.compile(r"\s*(?:[,;|/]|\band\b|\bund\b)\s*")
_AGENCY_WORD_RE = re.compile(r"[\w-]+")


@functools.lru_cache(maxsize=4096)
def _agency_in(text: str) -> str | None:
    """Find a known agency in a short text: the whole, its parts, or one of its words.

    (Remembered: a page asks for its byline's names twice, and bylines repeat across pages.)
    """
    found = canonical_agency(text)
    if found:
        return found
    for part in _AGENCY_PART_SPLIT_RE.split(text):
        # (A text without separators is its one part, looked up already.)
        found = canonical_agency(part) if part and part != text else None
        if found:
            return found
    for word in _AGENCY_WORD_RE.findall(text):
        # Single words only when printed as an acronym or a proper name, so "ap" or "pa"
        # inside ordinary text never count.
        if word[:1].isupper() or word.islower() and len(word) >= 3:
            found = canonical_agency(word)
            if found:
                return found
    return None


# --------------------------------------------------------------------------------------------
# Body
# --------------------------------------------------------------------------------------------


def _separators_to_skip(lines: list[_Line]) -> None:
    """Turn repeated labels printed between paragraphs ("Article content") into skip lines.

    A section label repeated over menus and teaser lists is furniture that separates the
    article from what surrounds it; a label that the page prints again and again between two
    paragraphs of running text is a widget slot inside the article, and must not split it.
    """
    between: Counter[str] = Counter()
    n = len(lines)
    for i, line in enumerate(lines):
        if line.kind != LABEL:
            continue
        j = i - 1
        while j >= 0 and lines[j].key == line.key:
            j -= 1
        k = i + 1
        while k < n and lines[k].key == line.key:
            k += 1
        if j >= 0 and k < n and lines[j].kind == PROSE and lines[k].kind == PROSE:
            between[line.key] += 1
    if not between:
        return
    for line in lines:
        # At least three times, and for two in five of its copies or more.
        if line.kind == LABEL:
            count = between.get(line.key, 0)
            if count >= 3 and 5 * count >= 2 * line.repeats:
                line.kind = SKIP


def _densest_run(lines: list[_Line]) -> tuple[int, int] | None:
    """Return [start, end) of the maximum-sum run of line scores that crosses no barrier."""
    best: tuple[float, int, int] | None = None
    total, start = 0.0, 0
    cost = _COST.get
    for i, line in enumerate(lines):
        kind = line.kind
        if kind in _BARRIERS:
            total, start = 0.0, i + 1
            continue
        # _score, inlined: this runs on every line of the page.
        if kind == PROSE:
            total += min(line.words, 120) - _PROSE_TOLL
        else:
            total += -cost(kind, 8.0)
        if total <= 0:
            total, start = 0.0, i + 1
        elif kind == PROSE and (best is None or total > best[0]):
            best = (total, start, i + 1)
    if best is None:
        return None
    return best[1], best[2]


# A teaser box inside an article: its heading and at most this many lines of links, then the
# article goes on with a paragraph of at least _BOX_RESUME_WORDS words.
_BOX_MAX_LINES = 30
_BOX_RESUME_WORDS = 20


# A run of text above the readers' comments is the article when it scores at least this much
# (a couple of paragraphs); the comments may well be longer.
_ARTICLE_BEFORE_COMMENTS = 60.0


def _before_comments(lines: list[_Line], run: tuple[int, int]) -> tuple[int, int]:
    """Prefer a run above the comment section to a longer one inside it.

    Readers' comments are running text too, and a busy comment section outweighs a short
    article. Only when nothing above the comments' heading reads like an article does the run
    below it stand (the heading may also be a link at the top of the page).
    """
    heading = next(
        (
            i
            for i in range(run[0] - 1, -1, -1)
            if lines[i].kind == END and nz.is_comments_heading(lines[i].text)
        ),
        None,
    )
    if heading is None:
        return run
    before = _densest_run(lines[:heading])
    if before is None:
        return run
    score = sum(_score(ln) for ln in lines[before[0] : before[1]])
    return before if score >= _ARTICLE_BEFORE_COMMENTS else run


def _continuation(lines: list[_Line], first: int, step: int) -> tuple[float, int, int]:
    """Score the best run of lines from ``first`` on, going down (step 1) or up (step -1).

    The run stops at a barrier or a metadata line (a list of teasers has a date per item, and
    the header of the article is above its first paragraph).

    Returns:
        The run's score, the index just past its far end, and its number of long paragraphs.
    """
    total = best = 0.0
    edge = first
    long_paragraphs = 0
    k = first
    while 0 <= k < len(lines):
        line = lines[k]
        if line.kind in _BARRIERS or line.kind in (BYLINE, DATE, DATELINE):
            break
        total += _score(line)
        # Widget labels may come first (their cost counts); then the run lasts while it gains.
        if total <= 0 and (best > 0 or abs(k - first) >= 4):
            break
        if line.kind == PROSE and total > best:
            best, edge = total, k + step
            long_paragraphs += line.words >= _BOX_RESUME_WORDS
        k += step
    return best, edge, long_paragraphs


def _box_span(lines: list[_Line], marker: int, step: int) -> int | None:
    """Where the article resumes after the teaser box whose heading is at ``marker``.

    Going down, the box is the heading and its links; going up (the box is above the best run),
    the heading is the box's first line all the same. Returns the index of the first long
    paragraph past the box, or None when the box does not end within a few lines.
    """
    k = marker + step
    while 0 <= k < len(lines) and abs(k - marker) <= _BOX_MAX_LINES:
        line = lines[k]
        if line.kind in _BARRIERS and k != marker:
            return None
        if line.kind == PROSE and line.words >= _BOX_RESUME_WORDS:
            return k
        k += step
    return None


# Share of the names of a continuation that the article already used (an appeal or another
# story names none of them; more of the article, a good part).
_SAME_TOPIC_SHARE = 0.05


# A capitalised word after a letter and a space (or a comma and a space): looked for from the
# capital letter, which is much cheaper than scanning for the letter before it. (The look back
# comes after the capital: a pattern that opens with a character class lets the engine skip to
# the capitals, one that opens with a look back is tried at every position; 5x faster.)
_NAME_IN_TEXT_RE = re.compile(r"([A-ZÀ-Þ](?:(?<=[^\W\d_] .)|(?<=[^\W\d_][,;] .))[^\W\d_]{2,})")


@functools.lru_cache(maxsize=4096)
def _names(text: str) -> frozenset[str]:
    """Capitalised words inside sentences (names, mostly; in German, nouns too)."""
    return frozenset(_NAME_IN_TEXT_RE.findall(text))


def _same_topic(lines: list[_Line], a: int, b: int, start: int, end: int) -> bool:
    """Tell whether the prose of lines [a, b) is about what the prose of [start, end) is about.

    More of the article shares its names and nouns; a donation appeal, an author's note or
    another story does not.
    """
    run = set().union(*(_names(ln.text) for ln in lines[start:end] if ln.kind == PROSE))
    other = set().union(*(_names(ln.text) for ln in lines[a:b] if ln.kind == PROSE))
    return bool(other) and len(other & run) >= _SAME_TOPIC_SHARE * len(other)


def _is_box_heading(line: _Line) -> bool:
    return line.kind == END and nz.is_teaser_box(line.text)


def _over_teaser_boxes(
    lines: list[_Line], start: int, end: int
) -> tuple[int, int, list[tuple[int, int]]]:
    """Extend a body run over teaser boxes ("Related", "Trending") that sit inside the article.

    A run stops at an end marker. When the marker only opens a short box of links and the
    text on the other side reads like more of the article (at least two long paragraphs, more
    prose than the box costs, no teaser dates), the article goes on there.

    Returns:
        The new [start, end) of the run and the [start, end) spans of the boxes to leave out.
    """
    boxes: list[tuple[int, int]] = []
    # Upwards: the best run starts right under a box.
    while start > 0:
        marker = start - 1
        while (
            marker >= 0 and start - marker <= _BOX_MAX_LINES and not _is_box_heading(lines[marker])
        ):
            if lines[marker].kind in _BARRIERS or (
                lines[marker].kind == PROSE and lines[marker].words >= _BOX_RESUME_WORDS
            ):
                marker = -1
                break
            marker -= 1
        if marker < 1 or not _is_box_heading(lines[marker]):
            break
        gain, edge, paragraphs = _continuation(lines, marker - 1, -1)
        cost = sum(_COST.get(ln.kind, 8.0) for ln in lines[marker + 1 : start]) + 8.0
        if paragraphs < 2 or gain <= cost or not _same_topic(lines, edge + 1, marker, start, end):
            break
        boxes.append((marker, start))
        start = edge + 1
    # Downwards: the best run ends at a box heading.
    while end < len(lines) and _is_box_heading(lines[end]):
        resume = _box_span(lines, end, 1)
        if resume is None:
            break
        gain, edge, paragraphs = _continuation(lines, resume, 1)
        cost = sum(_COST.get(ln.kind, 8.0) for ln in lines[end + 1 : resume]) + 8.0
        if paragraphs < 2 or gain <= cost or not _same_topic(lines, resume, edge, start, end):
            break
        boxes.append((end, resume))
        end = edge
    return start, end, boxes


def _body_lines(
    lines: list[_Line],
    start: int,
    end: int,
    headline_key: str,
    boxes: list[tuple[int, int]] = [],  # noqa: B006 (never modified)
) -> list[str]:
    """Keep the article's lines of a run: prose and lone subheadings, minus furniture."""
    kept: list[str] = []
    skips = {a: b for a, b in boxes}
    i = start
    while i < end:
        if i in skips:
            i = skips[i]
            continue
        line = lines[i]
        if line.kind == SHORT:
            # A run of several title-like lines inside the article is a link list
            # ("Read also" teasers), not a subheading.
            j = i
            while j < end and lines[j].kind == SHORT:
                j += 1
            if j - i == 1 and line.key != headline_key and line.repeats == 1:
                kept.append(line.text)
            i = j
            continue
        if line.kind == PROSE and line.key != headline_key:
            kept.append(line.text)
        i += 1
    return kept


# --------------------------------------------------------------------------------------------
# Header
# --------------------------------------------------------------------------------------------


def _title_like(line: _Line) -> bool:
    # A headline of a few words printed three times is classified as a label; section labels
    # are a word or two.
    if line.kind == LABEL:
        return (
            line.words >= 3
            and not line.text.endswith(":")
            and _CAPS_LABEL_RE.match(line.text) is None
        )
    if line.kind not in (SHORT, PROSE) or not 2 <= line.words <= 40 or len(line.text) > 300:
        return False
    if line.kind == PROSE and not line.text.rstrip("\"'”’»«").endswith(("?", "!")):
        return False
    return not line.text.endswith(":")


# The words of four characters or more: the same as the words of WORD_RE that long.
_LONG_WORD_RE = re.compile(r"\w{4,}")


def _content_words(text: str) -> set[str]:
    lower = lowercase(text)
    if lower.isascii():
        # The words of four characters or more, found faster (see nz.find_words).
        return {w for w in set(nz.find_words(lower)) if len(w) >= 4 and not w.isdigit()}
    return {w for w in set(_LONG_WORD_RE.findall(lower)) if not w.isdigit()}


# Words of share, print and bookmark buttons and of links that open elsewhere, in the
# languages of the word lists and the scripts that do without spaces: a short line holding one
# is a widget, not a headline ("Facebookでシェアする", "LinkedIn (öffnet im neuen Fenster)").
_WIDGET_FRAGMENT_RE = re.compile(
    r"facebook|twitter|linkedin|whatsapp|telegram|pinterest|bluesky|reddit|e-mail|email|"
    r"\bshare\b|\bteilen\b|partager|compartir|condividi|\bdelen\b|\bprint\b|drucken|"
    r"merkliste|bookmark|lesezeichen|copy link|link kopieren|シェア|共有|印刷|リンク|ブックマーク|"
    r"공유|스크랩|인쇄",
    # Matched against the case-folded line: much cheaper than a case-insensitive pattern.
)
# The same fragments for a search: the plain ones as a tree of prefixes, the whole words ("share",
# "print") looked for as literals first (several times cheaper than the alternation above).
_WIDGET_PLAIN_RE = re.compile(
    nz.trie_alternation(w for w in _WIDGET_FRAGMENT_RE.pattern.split("|") if w[:2] != r"\b")
)
_WIDGET_WORDS = tuple(w[2:-2] for w in _WIDGET_FRAGMENT_RE.pattern.split("|") if w[:2] == r"\b")
_WIDGET_WORD_RE = re.compile(r"\b(?:" + "|".join(_WIDGET_WORDS) + r")\b")


@functools.lru_cache(maxsize=4096)
def _has_widget_fragment(key: str) -> bool:
    """``_WIDGET_FRAGMENT_RE.search(key) is not None``, at a fraction of its cost.

    (Remembered: the masthead and menu lines scored as headlines repeat from page to page.)
    """
    return _WIDGET_PLAIN_RE.search(key) is not None or (
        any(word in key for word in _WIDGET_WORDS) and _WIDGET_WORD_RE.search(key) is not None
    )


def _is_widget_row(line: _Line) -> bool:
    """A row of share buttons the classifier did not know: three widget words or more."""
    return _has_widget_fragment(line.key) and len(_WIDGET_FRAGMENT_RE.findall(line.key)) >= 3


# A link's note that it opens elsewhere: never part of a headline, however long the line.
_NEW_WINDOW_RE = re.compile(
    r"new window|new tab|neuen fenster|neuem fenster|nouvel onglet|nouvelle fenêtre|"
    r"nueva ventana|nuova finestra|nieuw venster",
    # Matched against the case-folded line: much cheaper than a case-insensitive pattern.
)
# "Kicker - Headline", "Kicker – Headline".
_DASH_KICKER_RE = re.compile(r"^(\S.{2,60}?)\s[-–—]\s(\S.*)$")
# "Home » World » Title": the separators of a breadcrumb trail on one line.
_TRAIL_SPLIT_RE = re.compile(r"\s[»›]\s")
# "1. Home", "3. World": an item of a numbered breadcrumb trail.
_CRUMB_ITEM_RE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")

# Headline scores: what each piece of evidence is worth.
_H_WORD = 0.5  # per word, up to ten words
_H_DISTANCE = 0.5  # per menu or text line between the line and the body
_H_REPEATED = 4.0  # printed twice (the page title and the headline itself)
_H_QUOTED = 3.0  # printed inside another line ("Headline | Site", "Share this story: Headline")
_H_META_BELOW = 2.0  # a byline or date further down, between the line and the body
_H_META_NEXT = 3.0  # the byline or date right under the line
_H_TEXT_NEXT = 2.0  # a standfirst or the body right under the line
_H_CAPTION = 6.0  # a photo credit right under the line: a caption
_H_WIDGET = 6.0  # a share button or a link that opens a new window
_H_LIST = 3.0  # one of a list of short lines (a menu, teaser titles)
_H_BYLINE = 6.0  # a line of names over a date: the byline without its "By"
_H_LEAD_WORD = 1.5  # per word shared with the first paragraphs, up to four
_H_PAIR = 5.0  # how much less a headline may score than its standfirst right under it
_H_FULL_STOP = 5.0  # headlines end without a full stop; standfirsts and captions with one


def _alnum(text: str) -> str:
    """The words of a text, case-folded, punctuation dropped: "A: b" and "A b" compare equal."""
    return " ".join(nz.WORD_RE.findall(text.casefold()))


def _repeated_block(lines: list[_Line], i: int) -> bool:
    """Tell whether line ``i`` repeats together with both its neighbours (a menu or a row of
    widgets printed twice).

    A headline printed twice stands among different lines each time (its section label may
    come with it); a menu printed at the top and the bottom of a page repeats line for line.
    """
    n = len(lines)
    if not 0 < i < n - 1:
        return False
    key = lines[i].key
    before, after = lines[i - 1], lines[i + 1]
    if before.repeats < 2 or after.repeats < 2 or before.key == key or after.key == key:
        return False
    # Where the other copies stand: looked for only now, as few lines get this far.
    where = [k for k, ln in enumerate(lines) if ln.key == key and k != i]
    for step, other in ((-1, before.key), (1, after.key)):
        if not any(0 <= k + step < n and lines[k + step].key == other for k in where):
            return False
    return True


def _alternating(lines: list[_Line], i: int) -> bool:
    """Tell whether line ``i`` and a copy of it stand two lines apart with another line between
    ("Search" / "Donate" / "Search", "Photo: X" / caption / "Photo: X" / caption): a block
    printed twice (a menu, a photo and its credit), not a title and its headline."""
    key = lines[i].key
    return (i >= 2 and lines[i - 2].key == key and lines[i - 1].key != key) or (
        i + 2 < len(lines) and lines[i + 2].key == key and lines[i + 1].key != key
    )


# What may stand around a title quoted inside another line: "Title | Site", "Site - Title",
# "Share this story: Title", "Home » World » Title", "3. Title".
_QUOTE_BEFORE = frozenset({": ", "| ", "» ", "> ", "- ", "– ", "— ", ". ", "· "})
_QUOTE_AFFIX_WORDS = 5
_QUOTE_AFTER = frozenset({" |", " -", " –", " —", " :", " ·", " »", " ("})


def _quoted(page: str, key: str) -> bool:
    """Tell whether a line's text appears inside another line, set off by a separator.

    What stands around it is a site name, a label or a trail of a few words; a longer text
    before a colon makes the other line a longer title that ends like this one.
    """
    at = page.find(key)
    while at >= 0:
        end = at + len(key)
        starts = at == 0 or page[at - 1] == "\n"
        ends = end == len(page) or page[end] == "\n"
        if not (starts and ends):
            before = starts or page[at - 2 : at] in _QUOTE_BEFORE
            after = ends or page[end : end + 2] in _QUOTE_AFTER
            line_start = page.rfind("\n", 0, at) + 1
            if ends and not before and page[at - 1].isalpha():
                # A breadcrumb trail glued to the title without a space ("HomeWorldTitle").
                before = " " not in page[line_start:at]
            if before and after:
                line_end = page.find("\n", end)
                rest = page[line_start:at] + " " + page[end : line_end if line_end >= 0 else None]
                if len(rest.split()) <= _QUOTE_AFFIX_WORDS:
                    return True
        at = page.find(key, at + 1)
    return False


def _headline_scores(
    lines: list[_Line], body_start: int, lead: str, page: str | None = None
) -> list[tuple[float, int]]:
    """Score the title-like lines above the body as headlines: (score, index), best last.

    A headline is a title-like line of a few words, close above the body (metadata and
    captions in between do not count as distance), often printed twice or quoted in the page
    title or a share widget, followed by the byline, date, standfirst or body, and sharing
    words with the article's first paragraphs. A question or exclamation opening the body is
    a candidate too: a headline that reads like a sentence.
    """
    # Every word of the lead: the content words of a candidate (see _content_words) are
    # filtered below, a few words instead of the lead's hundreds.
    lead_words = set(nz.find_words(lowercase(lead)))
    scores: list[tuple[float, int]] = []
    distance = 0
    meta_below = False
    low = max(0, body_start - 40)
    top = body_start - 1
    if body_start + 1 < len(lines) and _question_headline(lines, body_start):
        top = body_start
    # The header's metadata: the first above the body. A byline or date has the headline near
    # it, however far the body (the header may sit over a box of offers or links).
    header = next(
        (k for k in range(top, max(-1, body_start - 81), -1) if lines[k].kind in _META), -1
    )
    reset = header >= 0 and lines[header].kind in (BYLINE, DATE)
    if reset:
        low = max(0, min(low, header - 10))
    elif header >= 0:
        low = min(low, header)
    for i in range(top, low - 1, -1):
        line = lines[i]
        if _title_like(line):
            score = min(line.words, 10) * _H_WORD - _H_DISTANCE * distance
            if line.words < 3:
                score -= 3.0
            elif line.words > 16:
                score -= (line.words - 16) * 0.4  # captions and standfirsts run long
            if 2 <= line.repeats <= 3 and line.words >= 3:
                if not _repeated_block(lines, i) and not _alternating(lines, i):
                    score += _H_REPEATED
            if line.words >= 4:
                if page is None:  # (parse_text passes the one _read_page built)
                    page = "\n".join([ln.key for ln in lines])
                if _quoted(page, line.key):
                    score += _H_QUOTED
            if meta_below:
                score += _H_META_BELOW
            nxt = _next_other(lines, i, body_start)
            if nxt is not None:
                if lines[nxt].kind in _META and not _caption_label(lines[nxt]):
                    score += _H_META_NEXT
                elif (_is_names(lines[nxt]) or _by_credit(lines[nxt])) and not _over_title(
                    lines, nxt, body_start
                ):
                    score += _H_META_NEXT
                elif lines[nxt].kind == CREDIT or _caption_label(lines[nxt]):
                    if not _byline_after_credits(lines, nxt, body_start):
                        score -= _H_CAPTION
                elif (
                    lines[nxt].kind == PROSE
                    and (lines[nxt].words >= 12 or not _title_like(lines[nxt]))
                ) or (lines[nxt].words >= 12 and not _is_widget_row(lines[nxt])):
                    # (Not another title, nor a row of share buttons.)
                    score += _H_TEXT_NEXT
            if line.words <= 8:
                widget = _has_widget_fragment(line.key)
            else:
                # A row of buttons the classifier did not know.
                widget = _is_widget_row(line)
            if widget or _NEW_WINDOW_RE.search(line.key) is not None:
                score -= _H_WIDGET
            if (nxt is not None and lines[nxt].kind == DATE and _is_names(line)) or (
                line.key.startswith(_CREDIT_STARTS) and (_by_credit(line) or _copyright(line))
            ):
                score -= _H_BYLINE  # names over a date, "By ...": the byline; or a credit
            if _in_link_list(lines, i):
                score -= _H_LIST
            if _CAPS_LABEL_RE.match(line.text) and line.words <= 3:
                score -= 3.0
            if line.text[:1].islower() or line.text.startswith(("…", "...")):
                score -= 4.0  # the rest of a sentence, not its start
            if line.text[-1] in ".。" and not line.text.endswith(("..", "…")):
                score -= _H_FULL_STOP  # a sentence: a standfirst or a caption
            # Keys are case-folded already; words of four letters or more, as in the lead.
            shared = sum(
                1
                for w in lead_words.intersection(nz.find_words(line.key))
                if len(w) >= 4 and not w.isdigit()
            )
            score += min(shared, 4) * _H_LEAD_WORD
            scores.append((score, i))
        # Metadata, captions and widgets between headline and body do not make the headline
        # less likely; menus, teasers and text do.
        if line.kind in _META:
            if i == header and reset:
                distance = 0
            meta_below = True
        elif line.kind in (SHORT, PROSE) and not (
            i + 1 < len(lines) and line.key == lines[i + 1].key
        ):
            distance += 1
    # Ties go to the line nearest the body.
    scores.sort(key=lambda si: (si[0], si[1]))
    return scores


def _question_headline(lines: list[_Line], i: int) -> bool:
    """Tell whether the first line of the body may be the headline, read as a sentence.

    Headlines that ask or exclaim end like sentences; when such a short line opens the body and
    the page prints it twice, or more text or the byline follows, it is read as a headline.
    """
    line = lines[i]
    if line.kind != PROSE or line.words > 20 or not _title_like(line):
        return False
    if line.repeats >= 2:
        return True
    # The next line that is not a copy, a photo credit or a widget.
    for j in range(i + 1, min(i + 4, len(lines))):
        nxt = lines[j]
        if nxt.key != line.key and nxt.kind not in (CREDIT, SKIP):
            return nxt.kind == PROSE or nxt.kind in _META
    return False


def _meta_follows(lines: list[_Line], i: int) -> bool:
    """Tell whether the byline or date comes right after line ``i`` (photo credits and tags of
    a word or two aside)."""
    for j in range(i + 1, min(i + 5, len(lines))):
        line = lines[j]
        if line.key == lines[i].key or line.kind in (CREDIT, SKIP):
            continue
        if line.kind in _META or _is_names(line):
            return True
        if line.kind != SHORT or line.words > 2:
            return False
    return False


def _caption_label(line: _Line) -> bool:
    """An empty photo label ("Foto:", "Photo:") that a dump leaves under a caption."""
    return line.kind == EMPTY and nz.is_credit(line.text + " x")


def _find_headline(
    lines: list[_Line], body_start: int, lead: str, page: str | None = None
) -> int | None:
    """Pick the headline among the title-like lines above the body (see _headline_scores)."""
    scores = _headline_scores(lines, body_start, lead, page)
    best = scores[-1] if scores else None
    if best is None:
        return None
    head = best[1]
    # A headline is followed by its longer standfirst, not the other way round: when the
    # winner is long and sits right under a shorter title-like line, that line is the headline.
    # (Kickers above a headline are one to four words, hence the minimum.)
    above = head - 1
    while above >= 0 and lines[above].key == lines[head].key:
        above -= 1
    if (
        above >= 0
        and lines[head].words >= 12
        and lines[head].repeats == 1
        and _title_like(lines[above])
        and 5 <= lines[above].words < lines[head].words
        # ...unless that line is itself one of a list of teaser titles.
        and not (above > 0 and lines[above - 1].kind == SHORT and lines[above - 1].words >= 5)
    ):
        head = above
    elif _meta_follows(lines, head):
        # A headline and a standfirst of about its length over the byline, both scored well:
        # the headline comes first (and over a standfirst and a caption, the first of three).
        while (
            above >= 0
            and lines[head].words >= 5
            and 5 <= lines[above].words <= lines[head].words + 2
            and not _similar(lines[above], lines[head])
            and any(sc >= best[0] - _H_PAIR and j == above for sc, j in scores)
        ):
            head = above
            while above >= 0 and lines[above].key == lines[head].key:
                above -= 1
    # A kicker glued to the headline ("Premier League Liverpool lose at Everton") when the
    # page also prints the kicker and the headline alone next to it.
    key = lines[head].key
    near = range(max(0, head - 3), min(len(lines), head + 4))
    for j in near:
        other = lines[j]
        if other.words >= 3 and len(other.key) < len(key) and key.endswith(other.key):
            kicker = key[: len(key) - len(other.key)]
            if not kicker.endswith(" ") or any(lines[k].key == kicker[:-1] for k in near):
                # Printed alone, or glued to what stands before it without a space (a
                # breadcrumb trail: "HomeWorldTitle").
                return j
    return head


def _title_version(lines: list[_Line], head: int, body_start: int) -> tuple[str, str]:
    """The best-printed version of the headline, and the method that found it.

    A numbered breadcrumb trail over the article ("1. Home 2. World 3. Storm warning: Trees
    fall") ends with the page's full title, where the headline printed above the body may be
    shortened or carry its kicker without a colon. Otherwise, dumps glue a kicker to the
    headline without its colon ("Storm warning Trees fall") where the page title or a copy of
    the headline has it.

    Returns:
        The headline and its method: ``HEADLINE_LINE`` (the line as printed, or without a
        kicker the page prints alone), ``BREADCRUMB`` (the end of a trail) or ``PAGE_TITLE``
        (another version of the line printed elsewhere on the page).
    """
    line = lines[head]
    # "You are here: Home » Society » Title": the last item of a trail.
    parts = _TRAIL_SPLIT_RE.split(line.text)
    if len(parts) >= 3 and nz.word_count(parts[-1]) >= 2:
        return parts[-1].strip(), BREADCRUMB
    # "Storm warning - Trees fall on the coast" where the page also prints "Storm warning" on
    # its own: a kicker set before the headline with a dash.
    m = _DASH_KICKER_RE.match(line.text)
    if m is not None and nz.word_count(m.group(2)) >= 3:
        kicker = m.group(1).casefold()
        if any(other.key == kicker for other in lines):
            return m.group(2), HEADLINE_LINE
    for i in range(body_start - 1, max(-1, body_start - 60), -1):
        text = lines[i].text
        if text[0].isdigit() and _is_trail_end(lines, i):
            title = text[text.index(" ") + 1 :].strip()
            if nz.word_count(title) >= 3 and _PREAMBLE_RE.search(title) is None:
                return title, BREADCRUMB
    words: str | None = None
    best = line.text
    size = len(line.key)
    for i in range(body_start):
        other = lines[i]
        text = other.text
        # A version with the same words differs by a few punctuation marks.
        if (
            other.kind in (SHORT, PROSE)
            and size <= len(text) <= size + 4
            and text.count(":") > best.count(":")
        ):
            if words is None:
                words = _alnum(line.text)
            if _alnum(text) == words:
                best = text
    return best, (HEADLINE_LINE if best == line.text else PAGE_TITLE)


def _is_trail_end(lines: list[_Line], i: int) -> bool:
    """Tell whether line ``i`` ("3. Title") ends a numbered breadcrumb trail (1. Home 2. ...).

    The items before the last are short section names, numbered from 1; the next line is not
    the trail's next item.
    """
    m = _CRUMB_ITEM_RE.match(lines[i].text)
    if m is None or int(m.group(1)) < 2:
        return False
    number = int(m.group(1))
    if i + 1 < len(lines):
        after = _CRUMB_ITEM_RE.match(lines[i + 1].text)
        if after is not None and int(after.group(1)) == number + 1:
            return False
    j = i - 1
    while number > 1 and j >= 0:
        prev = _CRUMB_ITEM_RE.match(lines[j].text)
        if prev is None:
            if lines[j].words == 0:  # a separator line ("›", ">")
                j -= 1
                continue
            return False
        if int(prev.group(1)) != number - 1 or nz.word_count(prev.group(2)) > 3:
            return False
        number -= 1
        j -= 1
    return number == 1


def _over_title(lines: list[_Line], i: int, limit: int) -> bool:
    """Tell whether line ``i`` stands right over a title-like line of three to sixteen words.

    A line of capitalised words over another title is a kicker ("Emotional Interview" over
    the headline), not the byline without its "By": a byline is followed by a date, a photo or
    the text (a standfirst runs longer than a title).
    """
    nxt = _next_other(lines, i, limit)
    return (
        nxt is not None
        and 3 <= lines[nxt].words <= 16
        and _title_like(lines[nxt])
        and lines[nxt].text[-1] not in ".。"
    )


def _byline_after_credits(lines: list[_Line], i: int, limit: int) -> bool:
    """Tell whether the photo credits from line ``i`` on are followed by the byline.

    The lead photo's credit may stand between the headline and its byline; a caption's credit
    is followed by more of the page.
    """
    j = _next_other(lines, i, limit)
    while j is not None and j < limit and (lines[j].kind == CREDIT or _copyright(lines[j])):
        j = _next_other(lines, j, limit)
    return j is not None and (lines[j].kind == BYLINE or _by_credit(lines[j]))


_BY_STARTS = ("by ", "von ")
_COPYRIGHT_STARTS = ("copyright ", "©")
_CREDIT_STARTS = _BY_STARTS + _COPYRIGHT_STARTS


def _copyright(line: _Line) -> bool:
    """A short copyright credit ("Copyright Jane Doe/AP", "© Jane Doe")."""
    return line.words <= 8 and line.key.startswith(_COPYRIGHT_STARTS)


def _by_credit(line: _Line) -> bool:
    """A short line that opens with "By" or "Von": a credit the byline test did not read as
    names ("Von t-online, jse", "By staff")."""
    return line.kind == SHORT and line.words <= 6 and line.key.startswith(_BY_STARTS)


def _is_names(line: _Line) -> bool:
    """A short line of capitalised names (an author line without "By")."""
    return line.kind == SHORT and 2 <= line.words <= 8 and _looks_like_names(line.text)


# The header is scanned line by line for several candidates, and mastheads repeat from page
# to page: remember the answers.
_looks_like_names = functools.lru_cache(maxsize=8192)(nz.looks_like_names)


def _similar(a: _Line, b: _Line) -> bool:
    """Tell whether two lines are versions of one title (nearly all content words shared).

    A standfirst repeats some of the headline's words; another version of the headline (with a
    kicker, with other punctuation) has them all.
    """
    wa, wb = _content_words(a.text), _content_words(b.text)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.8


def _next_other(lines: list[_Line], i: int, limit: int) -> int | None:
    """The next line after ``i`` that is not a copy of line ``i``."""
    for j in range(i + 1, min(limit + 1, len(lines))):
        if lines[j].key != lines[i].key:
            return j
    return None


def _in_link_list(lines: list[_Line], i: int) -> bool:
    """Tell whether line ``i`` sits among other short title-like lines (a menu, a teaser list)."""

    line = lines[i]
    return (
        i > 0 and i + 1 < len(lines) and _listed(line, lines[i - 1]) and _listed(line, lines[i + 1])
    )


def _listed(line: _Line, other: _Line) -> bool:
    """Tell whether ``other``, next to ``line``, is another item of a list of its size.

    Items of a list are of a size: a much longer line next to it is a standfirst, a much
    shorter one a section label over a headline.
    """
    return (
        other.kind == SHORT
        and other.key != line.key
        and 3 * other.words >= line.words
        and other.words <= 2 * line.words + 2
        and not _is_names(other)
        and not _by_credit(other)
    )


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


# Curly and straight quotes are one character for comparing lines: a page prints its title
# with one kind in its title line and the other in the headline.
_QUOTE_FOLD = (("‘", "'"), ("’", "'"), ("‚", "'"), ("‛", "'"), ("“", '"'), ("”", '"'), ("„", '"'))


def _line_keys(texts: list[str]) -> str:
    """The lines as compared with each other, one a line: case-folded, quotes made straight."""
    if not texts:
        return ""
    page = "\n".join(texts)
    # Case folding is lower-casing for ASCII, where lower() is several times faster.
    if page.isascii():
        return lowercase(page)
    # Line by line, the ASCII lines of the page take that fast path too: casefold() has it.
    page = "\n".join(map(str.casefold, texts))
    # One replace per character found is much cheaper than translating every line.
    for char, plain in _QUOTE_FOLD:
        if char in page:
            page = page.replace(char, plain)
    return page


def _colon_opens_a_line(page: str) -> bool:
    """Tell whether a line of the page opens with a colon (spaces before it aside).

    Pages hold a few dozen colons: finding them is several times cheaper than looking for a
    line end followed by one.
    """
    at = page.find(":")
    while at >= 0:
        if (
            at == 0
            or page[at - 1] == "\n"
            or (page[at - 1] == " " and (at == 1 or page[at - 2] == "\n"))
        ):
            return True
        at = page.find(":", at + 1)
    return False


def _join_colon_lines(texts: list[str]) -> list[str]:
    """Join a line that opens with a colon to the line above ("Kicker" / ": Headline").

    A dump puts the kicker and the headline of "Kicker: Headline" on lines of their own when
    the colon opens the headline's element.
    """
    joined: list[str] = []
    for x in texts:
        if x[0] == ":" and len(x) > 2 and x[1] == " " and joined and joined[-1][-1] not in ".:!?":
            joined[-1] += x
        else:
            joined.append(x)
    return joined


def _read_lines(text: str) -> list[_Line]:
    """Split a page into its non-empty lines, normalised and classified."""
    return _read_page(text)[0]


def _read_page(text: str) -> tuple[list[_Line], str]:
    """The lines of a page (see _read_lines) and their keys, one a line."""
    flat = nz.collapse_spaces(nz.normalize_text(text))
    texts = [x for x in map(str.strip, flat.split("\n")) if x]
    if _colon_opens_a_line(flat):
        texts = _join_colon_lines(texts)
    page = _line_keys(texts)
    keys = page.split("\n") if texts else []
    counts = Counter(keys)
    lines: list[_Line] = []
    # Menus and teasers repeat whole lines: classify each distinct line once (copies share one
    # object, so a later change of kind applies to every copy).
    seen: dict[str, _Line] = {}
    labels = False
    for t, key in zip(texts, keys, strict=True):
        line = seen.get(t)
        if line is None:
            repeats = counts[key]
            if len(t) <= _CACHED_LINE_CHARS:
                words, sentence, kind, after = _features(t)
            else:
                # (For an ASCII line, its key is its lower-cased text.)
                words, sentence, kind, after = _compute_features(t, key if t.isascii() else None)
            if kind is None:
                if repeats >= 3 and words <= 4:
                    kind, labels = LABEL, True
                else:
                    kind = after
            line = seen[t] = _Line(t, key, words, sentence, kind, repeats)
        lines.append(line)
    if labels:
        _separators_to_skip(lines)
    return lines, page


def parse_text(text: str) -> ParsedArticle:
    """Read a web page saved as plain text and return its article.

    Args:
        text: The page, already decoded. Line ends, NBSP and zero-width characters may be
            anything.

    Returns:
        The article's fields; the body's paragraphs are separated by one blank line.

    Raises:
        NotAnArticle: When the page holds no article (no body paragraph or no headline).
    """
    lines, page = _read_page(text)
    run = _densest_run(lines)
    if run is None:
        raise NotAnArticle("no paragraph of running text")
    run = _before_comments(lines, run)
    start, end, boxes = _over_teaser_boxes(lines, *run)

    # Header metadata at the top of the run (a "Posted on:" label, a date) means the prose
    # above it is the standfirst, not the body.
    seen_prose = 0
    meta = False
    # The byline or date right above the run: the header is there already, and a title and a
    # byline under a paragraph are a teaser's.
    above = any(lines[k].kind in (BYLINE, DATE, DATELINE) for k in range(max(0, start - 2), start))
    for i in range(start, end):
        line = lines[i]
        if line.kind in _META:
            if seen_prose and (
                (meta and line.repeats > 1)
                or (
                    above
                    and lines[i - 1].kind == SHORT
                    and lines[i - 1].words >= 3
                    and not _is_names(lines[i - 1])
                )
            ):
                break  # the byline of a teaser inside the text
            start, meta = i + 1, True
        elif line.kind == PROSE and (meta or not _title_like(line)):
            # (Above the metadata, a headline that asks or exclaims is no paragraph.)
            seen_prose += 1
            if seen_prose > 2:
                break
    while start < end and lines[start].kind != PROSE:
        start += 1
    if start >= end:
        raise NotAnArticle("no paragraph of running text")

    lead = " ".join(ln.text for ln in lines[start : min(end, start + 3)])
    head = _find_headline(lines, start, lead, page)
    if head is None:
        raise NotAnArticle("no headline above the article text")
    # How each field was found (see "Field methods" in docs/text-importer.md).
    methods: dict[str, str] = {"body": DENSEST_RUN}
    if head >= start:
        # The body opened with its headline (a question): the text starts below it.
        start = head + 1
        while start < end and (lines[start].key == lines[head].key or lines[start].kind in _META):
            start += 1
    headline, methods["headline"] = _title_version(lines, head, start)

    body = _body_lines(lines, start, end, lines[head].key, boxes)
    if not body:
        raise NotAnArticle("no paragraph of running text")

    # Header zone: between the headline (and its copies) and the body.
    zone = [lines[i] for i in range(head + 1, start) if lines[i].key != lines[head].key]
    standfirst = _standfirst(zone)
    if standfirst is not None:
        methods["standfirst"] = STANDFIRST

    byline = agency = place = None
    published: dt.datetime | None = None
    for k, line in enumerate(zone):
        if (
            line.kind == EMPTY
            and nz.is_by_label(line.text)
            and byline is None
            and k + 1 < len(zone)
            and zone[k + 1].kind != BYLINE  # ("Author:" over "By Jane Doe": the byline's own)
            and nz.looks_like_names(zone[k + 1].text.rstrip(","))
        ):
            byline = nz.clean_byline(zone[k + 1].text)
            _found(methods, "byline", byline, BY_LABEL)
        if line.kind == DATELINE and place is None:
            found = _header_dateline(line.text)
            if found is not None:
                place, raw_agency, published = _place(found[0]), found[1], found[2]
                agency = _agency_in(raw_agency)
                _found(methods, "dateline_place", place, DATELINE_LINE)
                _found(methods, "agency", agency, DATELINE_LINE)
                _found(methods, "published_on", published, DATELINE_LINE)
        elif line.kind == BYLINE and byline is None:
            byline = _parse_byline(line.text)
            _found(methods, "byline", byline, BYLINE_LINE)
            if agency is None:
                agency = _agency_in(line.text[line.text.find(" ") + 1 :])
                _found(methods, "agency", agency, BYLINE_LINE)
            if published is None:
                # "By Jane Doe | May 3, 2024 1:15 pm": the date shares the byline's line.
                published = nz.parse_date(line.text)
                _found(methods, "published_on", published, BYLINE_LINE)
        elif line.kind == DATE and published is None:
            published = nz.parse_date(line.text)
            _found(methods, "published_on", published, DATE_LINE)
            if byline is None:
                byline = _names_in_date_line(line.text)
                _found(methods, "byline", byline, DATE_LINE)
    if byline is None:
        byline = _names_line(zone)
        _found(methods, "byline", byline, NAMES_LINE)
    if agency is None and byline:
        agency = _agency_in(byline)
        _found(methods, "agency", agency, methods.get("byline", BYLINE_LINE))
    if byline:
        # An author's biography closing the article starts with the byline's names.
        while len(body) > 1 and body[-1].startswith(byline + " ") and len(body[-1]) < 600:
            body.pop()

    opening = (
        _DATELINE_LEAD_RE.match(body[0])
        or _DATELINE_LEAD_COMMA_RE.match(body[0])
        or _DATELINE_CAPS_RE.match(body[0])
    )
    if opening is not None and place is None:
        place = _place(opening.group("place"))
        _found(methods, "dateline_place", place, LEAD_DATELINE)
        if "agency" in opening.groupdict() and agency is None:
            # Only agencies of the table: "(SPX)" or "(dpo)" may be the outlet itself.
            agency = _agency_in(opening.group("agency"))
            _found(methods, "agency", agency, LEAD_DATELINE)

    if published is None:
        published = _fallback_date(lines, head, start, end)
        _found(methods, "published_on", published, NEARBY_DATE)

    section, outlet = _section_and_outlet(lines, head, end)
    _found(methods, "section", section, SECTION_LABEL)
    _found(methods, "outlet", outlet, MASTHEAD)
    url = next((ln.text for ln in lines[:start] if ln.kind == URL), None)
    _found(methods, "url", url, URL_LINE)

    published_at = None
    if published is not None and published.tzinfo is not None:
        published_at = published.astimezone(dt.UTC)
        methods["published_at"] = methods["published_on"]
    language = nz.guess_language(body)
    _found(methods, "language", language, LANGUAGE_GUESS)

    return ParsedArticle(
        headline=headline,
        body="\n\n".join(body),
        standfirst=standfirst,
        outlet=outlet,
        section=section,
        byline=byline or None,
        agency=agency or None,
        dateline_place=place or None,
        published_on=published.date() if published else None,
        published_at=published_at,
        url=url,
        language=language,
        format=Format.TEXT,
        field_methods=tuple(sorted(methods.items())),
    )


def _found(methods: dict[str, str], name: str, value: object, method: str) -> None:
    """Record how field ``name`` was found, when it was."""
    if value:
        methods[name] = method


def _standfirst(zone: list[_Line]) -> str | None:
    """The summary paragraph between headline and body, if any.

    It is a paragraph before the last metadata line (byline, date, empty label) of the
    header; without metadata, a long line right under the headline.
    """
    last_meta = max((i for i, ln in enumerate(zone) if ln.kind in _META), default=-1)
    candidates = zone[:last_meta] if last_meta >= 0 else zone[:1]
    for line in candidates:
        if line.kind in (PROSE, SHORT) and line.words >= 8 and not line.text.endswith(":"):
            return line.text
    return None


def _names_before_date(text: str) -> str | None:
    """Names printed before a date on one line ("Jane Doe 3 May 2024")."""
    span = nz.find_date_span(text)
    if span is None or span[0] == 0:
        return None
    names = text[: span[0]].strip(" ,;|-–—·•")
    # A single word before a date is a place ("Frankfurt, 3 May 2024") or a label.
    if nz.looks_like_names(names) and 2 <= nz.word_count(names) <= 6:
        return nz.clean_byline(names)
    # "Jane Doe · Lowmere Gazette · Posted: May 3, 2024": the first part names the author.
    parts = nz.header_segments(names)
    if len(parts) >= 2 and nz.looks_like_names(parts[0]) and 2 <= nz.word_count(parts[0]) <= 6:
        return nz.clean_byline(parts[0])
    return None


# "Column by Jane Doe", "Kolumne von Jane Doe": a by-word and names inside a header part.
_BY_INSIDE_RE = re.compile(
    r"(?:^|\s)(?i:by|von|par|por|di|door)\s+"
    r"(?P<who>[A-ZÀ-Þ][\w'’.-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.-]+|van|von|de|der|da|del)){1,4})"
)
_PART_SPLIT_RE = re.compile(r"\s+[|·•/]\s+|\s+[-–—]\s+|\s*[|·•]\s*")


def _names_in_date_line(text: str) -> str | None:
    """Names on a date line: before the date, or in a part of their own.

    "Jane Doe 3 May 2024", "3 May 2024 / Jane Doe", "Thu 25.04.24 | 14:07 | By Jane Doe",
    "Column by Jane Doe - 28.04.2024 - 12 comments".
    """
    span = nz.find_date_span(text)
    m = _BY_INSIDE_RE.search(text, 0, span[0] if span is not None else len(text))
    if m is not None:
        return nz.clean_byline(m.group("who"))
    found = _names_before_date(text)
    if found is not None:
        return found
    for part in _PART_SPLIT_RE.split(text):
        part = part.strip()
        if not part or _DIGIT_RE.search(part) is not None:
            continue
        m = _BY_INSIDE_RE.search(part)
        if m is not None:
            return nz.clean_byline(m.group("who"))
        if 2 <= nz.word_count(part) <= 5 and nz.looks_like_names(part):
            return nz.clean_byline(part)
    return None


def _names_line(zone: list[_Line]) -> str | None:
    """A bare line of names in the header, the first line under the headline or next to a date."""
    for i, line in enumerate(zone):
        if not _is_names(line):
            continue
        neighbours = zone[max(0, i - 1) : i] + zone[i + 1 : i + 2]
        if i == 0 or any(n.kind in (DATE, DATELINE) for n in neighbours):
            return nz.clean_byline(line.text)
    return None


def _fallback_date(lines: list[_Line], head: int, start: int, end: int) -> dt.datetime | None:
    """A date line near the header when the header itself has none.

    In order: just above the headline, among the first lines of the text (after the lead or a
    photo), further above the headline (a page date at the top), just below the article.
    """
    around = [
        *range(head - 1, max(-1, head - 4), -1),
        *range(start, min(end, start + 12)),
        *range(head - 4, max(-1, head - 12), -1),
        *range(end, min(len(lines), end + 3)),
    ]
    for i in around:
        if lines[i].kind in (DATE, BYLINE):
            found = nz.parse_date(lines[i].text)
            if found is not None:
                return found
    return None


# "1. Sport", "Home › World › Europe": breadcrumb numbering and separators around a section.
_CRUMB_NUMBER_RE = re.compile(r"^\d{1,2}\.\s+")
_CRUMB_SPLIT_RE = re.compile(r"\s*[›»>/|]\s*")
# Lines that come before the masthead at the top of a page: skip links, cookie banners.
_PREAMBLE_RE = re.compile(
    r"skip|überspringen|springen|zum inhalt|aller au|contenu|saltar|salta|ga naar|"
    r"content|inhalt|cookie|accept|akzept|einstellungen|settings|accessib|barrierefrei",
    re.IGNORECASE,
)
# Holder of a copyright notice: "© 2026 Lowmere Media Ltd. All rights reserved".
_COPYRIGHT_HOLDER_RE = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?P<holder>[^.|]{2,60})",
    re.IGNORECASE,
)
# "About Lowmere Gazette" links in the footer.
_ABOUT_RE = re.compile(r"^(?:about|über|à propos de|sobre|acerca de|chi siamo|over)\s+", re.I)
# Their first letters, to test before the pattern (keys are case-folded).
_ABOUT_STARTS = ("about", "über", "à propos", "sobre", "acerca", "chi siamo", "over")
_THE_RE = re.compile(r"^(?:the|die|der|das|le|la|les|el|il|de|het)\s+", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _is_preamble(text: str) -> bool:
    """A skip link or cookie banner line (remembered: the top lines of a site's pages repeat)."""
    return _PREAMBLE_RE.search(text) is not None


def _section_label(text: str) -> str:
    parts = [p for p in _CRUMB_SPLIT_RE.split(text) if p]
    return _CRUMB_NUMBER_RE.sub("", parts[-1] if parts else text)


def _masthead_evidence(lines: list[_Line], head: int, end: int) -> list[str]:
    """Names the page gives itself: title-line suffixes, copyright holders, "About" links."""
    found: list[str] = []
    head_key = lines[head].key
    size = len(head_key)
    for i, line in enumerate(lines):
        key = line.key
        # (The headline's own line is no longer than itself.)
        if len(key) > size + 2 and key.startswith(head_key):
            found.append(key[size:].strip(" |-–—:·•"))
        elif line.kind == END and ("©" in key or "copyright" in key or "(c)" in key):
            m = _COPYRIGHT_HOLDER_RE.search(line.text)
            if m is not None:
                found.append(m.group("holder").strip().casefold())
        elif (
            i >= end
            and key.startswith(_ABOUT_STARTS)
            and line.words <= 6
            and _ABOUT_RE.match(key) is not None
        ):
            found.append(_ABOUT_RE.sub("", key))
    return [_THE_RE.sub("", x) for x in found if x]


def _masthead_name(line: _Line) -> bool:
    text = line.text
    return (
        line.kind in (SHORT, LABEL)
        and 1 <= line.words <= 6
        and len(text) <= 60
        and text[:1].isupper()
        and not text.endswith((":", ",", "?", "!"))
        and _DIGIT_RE.search(text) is None
    )


def _section_and_outlet(lines: list[_Line], head: int, end: int) -> tuple[str | None, str | None]:
    """The section label above the headline and the masthead at the top of the page."""
    above = [i for i in range(head - 1, max(-1, head - 4), -1) if lines[i].key != lines[head].key]
    section = outlet = None
    pos = head
    if above:
        i = above[0]
        line = lines[i]
        if line.kind in (SHORT, LABEL) and line.words <= 4:
            section, pos = _section_label(line.text), i
    # A masthead only when the header starts the page: otherwise the first line is a menu.
    if pos == 1 and lines[0].kind in (SHORT, LABEL) and lines[0].words <= 8:
        return section, lines[0].text
    # Otherwise a name above the header that the page repeats: in its title line, its
    # copyright notice, its "About" link, or at the foot of the page; or the first line after
    # the skip links and cookie banner.
    evidence: list[str] | None = None
    footer: set[str] | None = None
    preamble = True
    # The masthead is near the top of the page, above the menus.
    for i in range(min(pos, 60)):
        line = lines[i]
        if preamble and _is_preamble(line.text):
            continue
        first, preamble = preamble, False
        if not _masthead_name(line):
            continue
        if first and i > 0 and line.words >= 2 and _looks_like_names(line.text):
            outlet = line.text
            break
        if evidence is None:
            evidence = _masthead_evidence(lines, head, end)
        name = _THE_RE.sub("", line.key)
        if any(x.startswith(name) or (len(name) >= 6 and name in x) for x in evidence):
            outlet = line.text
            break
        if line.repeats == 2 and line.words >= 2 and _looks_like_names(line.text):
            if footer is None:
                footer = {ln.key for ln in lines[end:]}
            if line.key in footer:
                outlet = line.text
                break
    return section, outlet
