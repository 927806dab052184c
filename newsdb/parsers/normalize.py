"""Pure text helpers shared by the parsers: normalisation, line features, dates.

Nothing here knows about a particular site. Word lists (stop words, month names, page-furniture
labels) are small per-language data tables so that the logic using them stays language-neutral.
Every regular expression is compiled at import time: the parsers call these helpers on every line
of every page, and recompiling would dominate the cost.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from dateutil import parser as _dateparser

from newsdb._case import lowercase
from newsdb.agencies import canonical_agency

# --------------------------------------------------------------------------------------------
# Whitespace and Unicode
# --------------------------------------------------------------------------------------------

# Characters that are invisible on screen but break word matching when pages are saved as text.
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e"
# Every Unicode space (NBSP, thin space, ideographic space...) counts as a plain space.
_SPACES_RE = re.compile(r"[^\S\n][^\S\n]*")
# The same, but leaving single plain spaces alone: replacing each of them by itself is most of
# the cost of collapsing a whole page.
_ASCII_ODD_SPACES = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"
# Every character that str.isspace() (and the regular expression \s) holds for, but the newline
# and the space.
_ODD_SPACE_CHARS = (
    _ASCII_ODD_SPACES
    + "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    + "\u2028\u2029\u202f\u205f\u3000"
)
_ODD_SPACES_RE = re.compile(r"[^\S\n ][^\S\n]*| [^\S\n]+")


def normalize_text(text: str) -> str:
    """Normalise line ends, invisible characters and Unicode form of a whole page.

    Args:
        text: The decoded page.

    Returns:
        The text in NFC form with ``\\n`` line ends, zero-width characters removed and every
        horizontal whitespace run (NBSP included) kept as is, to be collapsed per line.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():
        return text  # (in NFC, and without invisible characters)
    # Invisible characters are rare and never ASCII; one replace per character found is much
    # cheaper than a substitution over the page.
    for char in _INVISIBLE_CHARS:
        if char in text:
            text = text.replace(char, "")
    # The common cases, and much cheaper than normalising: a text of Latin-1 characters only
    # is in NFC (none of them is a combining mark or composes with another).
    if _is_latin1(text) or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _is_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def clean_line(line: str) -> str:
    """Collapse a line's inner whitespace (NBSP included) and strip its ends.

    Args:
        line: One line of text.

    Returns:
        The line with single spaces only.
    """
    return _SPACES_RE.sub(" ", line).strip()


def collapse_spaces(text: str) -> str:
    """Collapse every horizontal whitespace run of a multi-line text to one space.

    Args:
        text: Any text; line ends are kept.

    Returns:
        The text with single spaces (lines still need stripping).
    """
    # Literal tests and replacements cost a fraction of a substitution over the whole page:
    # every whitespace character but the newline becomes a space, then runs of spaces shrink.
    odd = _ASCII_ODD_SPACES if text.isascii() else _ODD_SPACE_CHARS
    for char in odd:
        if char in text:
            text = text.replace(char, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def fold(text: str) -> str:
    """Return a comparison key: whitespace collapsed, case folded.

    Args:
        text: Any text.

    Returns:
        The key used to decide whether two lines "are the same line".
    """
    return clean_line(text).casefold()


# --------------------------------------------------------------------------------------------
# Line features
# --------------------------------------------------------------------------------------------

WORD_RE = re.compile(r"\w+")
# Case-insensitive matching of a pattern of lower-case letters differs from matching the
# lower-cased line only at the few characters that match an ASCII letter without lower-casing
# to it alone (dotted and dotless i, long s, Kelvin sign): a line without them may be tested
# in lower case, literally.
_FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
# Scripts written without spaces between words: count characters instead of words for them.
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
# Sentence-final punctuation (Latin, CJK, ellipsis), possibly followed by closing quotes.
_SENTENCE_END = frozenset(".!?…。！？")
_CLOSERS = "\"'”’»«)] "


# Every ASCII character that is no word character (WORD_RE) as a space, the others as
# themselves: a character the table does not hold costs translate() a failed look-up.
_ASCII_GAPS = str.maketrans(
    {c: c if c.isalnum() or c == "_" else " " for c in map(chr, range(128))}
)
# The same for the bytes of a UTF-8 text; the bytes of other characters stay.
_UTF8_GAPS = bytes(b if b >= 128 or chr(b).isalnum() or b == 95 else 32 for b in range(256))


def find_words(text: str) -> list[str]:
    """``WORD_RE.findall(text)``, several times faster on a long ASCII text.

    Args:
        text: Any text.

    Returns:
        The words of the text, in order.
    """
    if text.isascii():
        # Splitting at spaces is much cheaper than the regular expression engine.
        return text.translate(_ASCII_GAPS).split()
    # The ASCII gaps the same way in the UTF-8 bytes (str.translate has no fast way for other
    # text); the pieces that still hold punctuation ("“Quoted”") go to the regular expression.
    words: list[str] = []
    utf8 = text.encode("utf-8", "surrogatepass").translate(_UTF8_GAPS)
    for piece in utf8.decode("utf-8", "surrogatepass").split():
        if piece.isalnum():  # (what \w matches, but "_")
            words.append(piece)
        else:
            words.extend(WORD_RE.findall(piece))
    return words


def word_count(line: str) -> int:
    """Count words, treating every two CJK characters as one word.

    Args:
        line: A cleaned line.

    Returns:
        A length comparable across scripts.
    """
    # Most lines hold no CJK at all: a failed search is much cheaper than a findall.
    if not line.isascii() and CJK_RE.search(line) is not None:
        cjk = len(CJK_RE.findall(line))
        return len(WORD_RE.findall(CJK_RE.sub(" ", line))) + cjk // 2
    return len(WORD_RE.findall(line))


def ends_like_sentence(line: str) -> bool:
    """Tell whether a line ends with sentence-final punctuation.

    Args:
        line: A cleaned line.

    Returns:
        True for "... he said." or '... "strategic choice".', False for titles and labels.
    """
    # Checking the tail by hand is several times cheaper than a regex anchored at "$".
    tail = line.rstrip(_CLOSERS)
    return bool(tail) and tail[-1] in _SENTENCE_END


STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the a an and or but of to in on at for with by from as is are was were be been has "
        "have had that this which who it its he she they we his her their not will would said "
        "says after over than into about also more".split()
    ),
    "de": frozenset(
        "der die das den dem des ein eine einer einem einen und oder aber in im am an auf für "
        "mit von vom zu zum zur bei aus ist sind war waren wird werden hat haben sich nicht "
        "auch als wie dass es er sie wir nach noch nur schon über".split()
    ),
    "fr": frozenset(
        "le la les un une des du de et ou mais en dans sur pour par avec au aux est sont été "
        "a ont qui que ce cette il elle ils pas ne se plus comme lors selon".split()
    ),
    "es": frozenset(
        "el la los las un una unos de del y o pero en con por para al es son fue ha han que "
        "se su sus lo como más según tras este esta".split()
    ),
    "it": frozenset(
        "il lo la i gli le un una di del della dei e o ma in con per su al alla è sono stato "
        "ha hanno che si non come più anche nel nella".split()
    ),
    "nl": frozenset(
        "de het een en of maar in op aan voor met van door bij uit is zijn was waren wordt "
        "heeft hebben dat die niet ook als naar nog zich er".split()
    ),
}
_ALL_STOP_WORDS = frozenset().union(*STOP_WORDS.values())
# The languages whose list has a word, in the order of STOP_WORDS.
_STOP_WORD_LANGS: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, words in STOP_WORDS.items() if word in words)
    for word in sorted(_ALL_STOP_WORDS)
}
# The same as a number for each set of languages (from 1, so that every stop word is true):
# counting a text's stop words by these few numbers costs less than by the words.
_STOP_GROUP_LANGS: tuple[tuple[str, ...], ...] = ((), *sorted(set(_STOP_WORD_LANGS.values())))
_STOP_GROUP: dict[str, int] = {
    word: _STOP_GROUP_LANGS.index(langs) for word, langs in _STOP_WORD_LANGS.items()
}


def stop_word_share(line: str) -> float:
    """Return the share of a line's words that are stop words in any known language.

    Running text is about 40% stop words; titles, names and menu labels far fewer.

    Args:
        line: A cleaned line.

    Returns:
        A number between 0 and 1 (0 for a line without words).
    """
    words = WORD_RE.findall(lowercase(line))
    if not words:
        return 0.0
    return sum(1 for w in words if w in _ALL_STOP_WORDS) / len(words)


def guess_language(paragraphs: Iterable[str]) -> str | None:
    """Guess the ISO 639-1 code of a text from stop-word counts.

    Args:
        paragraphs: Body text.

    Returns:
        One of the codes of ``STOP_WORDS``, or None when no language stands out.
    """
    sample: list[str] = []
    size = 0
    for paragraph in paragraphs:
        sample.append(paragraph)
        size += len(paragraph)
        if size > 1200:  # a few paragraphs are plenty, and it keeps the cost flat
            break
    words = find_words(lowercase(" ".join(sample)))
    total = len(words)
    # The stop words by the set of languages that list them, each set once.
    counts = dict.fromkeys(STOP_WORDS, 0)
    for group, n in Counter(filter(None, map(_STOP_GROUP.get, words))).items():
        for lang in _STOP_GROUP_LANGS[group]:
            counts[lang] += n
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    # Below roughly one stop word in six the text is in a language we have no list for.
    if total == 0 or best / total < 0.15:
        return None
    return lang


# --------------------------------------------------------------------------------------------
# Page furniture labels
# --------------------------------------------------------------------------------------------


def _label_re(labels: Iterable[str], *, whole: bool) -> re.Pattern[str]:
    alternatives = "|".join(sorted((re.escape(x) for x in labels), key=len, reverse=True))
    tail = r"[\s:.!»›>()\d-]*$" if whole else r"\b"
    return re.compile(rf"^(?:{alternatives}){tail}", re.IGNORECASE)


# Lines that start what follows an article: once the article is under way, nothing after them
# belongs to it. Multi-word markers match as a prefix, single words only as the whole line
# (so that a paragraph starting "Comments made by ..." is not taken for a comment section).
_END_PREFIXES = (
    # en
    "related links",
    "related articles",
    "related stories",
    "related content",
    "related news",
    "related coverage",
    "related posts",
    "related reading",
    "read more",
    "more from",
    "more on",
    "more stories",
    "more news",
    "you may also like",
    "you might also like",
    "you may like",
    "recommended for you",
    "most read",
    "most popular",
    "most viewed",
    "top stories",
    "share this",
    "share on",
    "share article",
    "leave a comment",
    "join the conversation",
    "comment using",
    "sign up for",
    "subscribe to",
    "subscribe free",
    "get our newsletter",
    "all rights reserved",
    "follow us",
    "further reading",
    "latest news",
    "editor's picks",
    "trending now",
    "don't miss",
    "more in",
    "explore more",
    "the following news reports",
    # de
    "mehr zum thema",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "weitere artikel",
    "artikel teilen",
    "diesen artikel teilen",
    "mehr aus",
    "mehr zu",
    "alle rechte vorbehalten",
    "empfehlungen der redaktion",
    "zum thema",
    "meistgelesene",
    "ähnliche beiträge",
    "ähnliche artikel",
    "newsletter abonnieren",
    "lesen sie mehr",
    "mehr lesen",
    "artikel mit freunden teilen",
    "kommentare einblenden",
    "jetzt teilen",
    # fr
    "sur le même sujet",
    "articles similaires",
    "tous droits réservés",
    "partager sur",
    "les plus lus",
    "voir aussi",
    # es
    "leer más",
    "noticias relacionadas",
    "más noticias",
    "te puede interesar",
    "todos los derechos reservados",
    "compartir en",
    "lo más leído",
    # it
    "articoli correlati",
    "tutti i diritti riservati",
    "potrebbe interessarti",
    "i più letti",
    # nl
    "lees meer",
    "gerelateerde artikelen",
    "meer over",
    "meest gelezen",
)
_END_WORDS = (
    "related",
    "comments",
    "comment",
    "share",
    "tags",
    "topics",
    "subscribe",
    "newsletter",
    "recommended",
    "trending",
    "kommentare",
    "teilen",
    "themen",
    "schlagworte",
    "schlagwörter",
    "commentaires",
    "partager",
    "comentarios",
    "compartir",
    "commenti",
    "condividi",
    "reacties",
    "delen",
    "leserkommentare",
    "tweet",
    "newsletters",
)
_END_PREFIX_RE = _label_re(_END_PREFIXES, whole=False)
# First words of all end markers: a line starting otherwise skips the two big regexes.
_END_FIRST_WORDS = frozenset(m.split()[0] for m in (*_END_PREFIXES, *_END_WORDS))
_END_WORD_RE = _label_re(_END_WORDS, whole=True)
# Their first words up to a character that is no word character ("editor's" -> "editor").
_END_FIRST_STEMS = frozenset(WORD_RE.findall(w)[0] for w in _END_FIRST_WORDS)
# End markers that open a box of links to other stories ("Related", "Read more", "Trending") or
# a newsletter or subscription offer: such a box also sits inside articles, which go on below
# it. The others (comments, share widgets, copyright) close the article for good.
_TEASER_BOX_PREFIXES = (
    # Newsletter and subscription boxes also sit between paragraphs.
    "subscribe to",
    "sign up for",
    "get our newsletter",
    "newsletter",
    "newsletter abonnieren",
    "related",
    "read more",
    "more from",
    "more on",
    "more stories",
    "more news",
    "more in",
    "you may also like",
    "you might also like",
    "you may like",
    "recommended",
    "most read",
    "most popular",
    "most viewed",
    "top stories",
    "trending",
    "further reading",
    "latest news",
    "editor's picks",
    "don't miss",
    "explore more",
    "mehr zum thema",
    "das könnte",
    "weitere artikel",
    "mehr aus",
    "mehr zu",
    "empfehlungen der redaktion",
    "zum thema",
    "meistgelesene",
    "ähnliche",
    "lesen sie mehr",
    "mehr lesen",
    "sur le même sujet",
    "articles similaires",
    "les plus lus",
    "voir aussi",
    "leer más",
    "noticias relacionadas",
    "más noticias",
    "te puede interesar",
    "lo más leído",
    "articoli correlati",
    "potrebbe interessarti",
    "i più letti",
    "lees meer",
    "gerelateerde artikelen",
    "meer over",
    "meest gelezen",
)
_TEASER_BOX_RE = _label_re(_TEASER_BOX_PREFIXES, whole=False)


def is_teaser_box(line: str) -> bool:
    """Tell whether an end marker opens a box of links to other stories.

    "Related", "Read more", "Trending", "Mehr zum Thema": such a box closes most articles, but
    sites also put one between two paragraphs. Comments, share and subscribe widgets and
    copyright notices are not teaser boxes.

    Args:
        line: A cleaned line, already known to be an end marker (``is_end_marker``).

    Returns:
        True for the heading of a teaser box.
    """
    return _TEASER_BOX_RE.match(line) is not None


# The heading of the readers' comments ("Comments", "3 Kommentare", "Leave a comment"): what
# follows is the readers' text, however long.
_COMMENTS_RE = re.compile(
    r"^(?:\d+\s+)?(?:comments?|kommentare|leserkommentare|commentaires|comentarios|commenti|"
    r"reacties|reactions)[\s:.!»›>()\d-]*$"
    r"|^(?:leave a comment|join the conversation|comment using|kommentare einblenden|"
    r"kommentar schreiben|laisser un commentaire|deja un comentario|lascia un commento)\b",
    re.IGNORECASE,
)


def is_comments_heading(line: str) -> bool:
    """Tell whether a line opens the readers' comments ("Comments (12)", "3 Kommentare").

    Args:
        line: A cleaned line.

    Returns:
        True for the heading of a comment section.
    """
    return len(line) < 60 and _COMMENTS_RE.match(line) is not None


# A copyright notice with a year ends the page wherever it appears in the line.
_COPYRIGHT_RE = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}|by\b)", re.IGNORECASE)

# Lines that interrupt an article without ending it: advertising slots and their labels.
_SKIP_WORDS = (
    "advertisement",
    "advertising",
    "sponsored",
    "anzeige",
    "werbung",
    "reklame",
    "publicité",
    "publicidad",
    "pubblicità",
    "advertentie",
    "ad",
    "continue reading",
    "story continues below advertisement",
    "weiterlesen",
    "artikel weiterlesen",
    "scroll to continue with content",
)
_SKIP_RE = _label_re(_SKIP_WORDS, whole=True)
# Audio players and reading-time widgets ("Listen to this article · 5 min", "Lesedauer: 2 Min.").
_WIDGET_PREFIXES = (
    "listen to this article",
    "listen to article",
    "listen to this story",
    "reading time",
    "artikel anhören",
    "artikel vorlesen",
    "lesedauer",
    "lesezeit",
    "écouter cet article",
    "écouter l'article",
    "temps de lecture",
    "escuchar este artículo",
    "escuchar artículo",
    "tiempo de lectura",
    "ascolta l'articolo",
    "ascolta questo articolo",
    "tempo di lettura",
    "luister naar dit artikel",
    "leestijd",
)
_WIDGET_PREFIX_RE = _label_re(_WIDGET_PREFIXES, whole=False)
# Inline teasers inside an article ("Read also: ..."): they interrupt it without ending it.
_INLINE_TEASERS = (
    "read also",
    "also read",
    "see also",
    "lesen sie auch",
    "lesen sie hier",
    "auch interessant",
    "mehr dazu",
    "lire aussi",
    "à lire aussi",
    "lea también",
    "leggi anche",
    "lees ook",
)
_INLINE_TEASER_RE = _label_re(_INLINE_TEASERS, whole=False)
_SKIP_FIRST_WORDS = frozenset(
    w.split()[0] for w in (*_SKIP_WORDS, *_INLINE_TEASERS, *_WIDGET_PREFIXES)
)

# Image captions and credits, also glued to the word before them ("RussiaPhoto source: ANSA").
_CREDIT_LABEL_RE = re.compile(
    r"(?:photograph|photo|foto|image|bild|picture|pic|credit|source|quelle|fuente|fonte|crédit|"
    r"illustration|grafik|video)s?(?:\s*(?:source|credit|quelle|by))?\s*:\s*\S",
    re.IGNORECASE,
)

# Every word of _CREDIT_LABEL_RE holds one of these.
_CREDIT_LABEL_STEMS = (
    "photo",
    "foto",
    "image",
    "bild",
    "pic",
    "credit",
    "crédit",
    "source",
    "quelle",
    "fuente",
    "fonte",
    "illustration",
    "grafik",
    "video",
)


def _credit_label(line: str) -> bool:
    """Tell whether a short line holds a credit label ("Photo: ...", "RussiaPhoto source: ...").

    The label opens the line, follows a sentence or is glued to the caption's last word; after
    a plain word ("First picture: the bridge") it is part of a title.
    """
    # No label word, no label (a literal test; lines with a character that matches an ASCII
    # letter only case-insensitively go to the regular expression).
    lower = lowercase(line)
    if not any(stem in lower for stem in _CREDIT_LABEL_STEMS) and not any(
        char in line for char in _FOLDS_TO_ASCII
    ):
        return False
    # Only the text just before a colon can be the label: look there, not along the line.
    colon = line.find(":")
    while colon > 0:
        window = max(0, colon - 32)
        m = _CREDIT_LABEL_RE.search(line, window, colon + 8)
        if m is not None and m.end() > colon:
            at = m.start()
            if at == 0 or line[at - 1] != " " or line[at - 2 : at - 1] in ".,;!?:|)":
                return True
        colon = line.find(":", colon + 1)
    return False


_CREDIT_PAREN_RE = re.compile(
    r"(?:(?i:\([^()]*\b(?:photo|foto|picture|image|bild)s?\b[^()]*\)"
    r"|\((?:courtesy|mit freundlicher genehmigung|avec l'aimable autorisation)\b[^()]*\))"
    # "(Jane Doe/Lowmere Gazette)": a photographer and the outlet, as captions end.
    r"|\((?:[A-ZÀ-Þ][\w'’.-]*\s){1,3}?[A-ZÀ-Þ][\w'’.-]*/[A-ZÀ-Þ][^()/]{1,40}\))"
    # The caption's "more" link may follow.
    r"(?:\s(?:more|mehr|plus|más|altro|meer))?$"
)
_CREDIT_WORDS = (
    "©",
    "getty images",
    "shutterstock",
    "imago",
    "picture alliance",
    "reuters/",
    "ap photo",
    "afp photo",
    "epa/",
    "keystone/",
    "dpa/",
    "/dpa",
    "/afp",
    "/reuters",
    "/epa",
    "/imago",
    "/getty",
    "bildrechte",
    "fotostrecke",
)
FIRST_WORD_RE = re.compile(r"\W*(\w+)")
_CREDIT_WORDS_RE = re.compile("|".join(re.escape(w) for w in _CREDIT_WORDS))
# Share and bookmark widgets: a line made only of these words is a row of buttons.
_WIDGET_WORDS = frozenset(
    "share facebook twitter x whatsapp e mail email print link links copy copied linkedin "
    "telegram pinterest reddit messenger flipboard bluesky threema mastodon xing tumblr "
    "bookmark save send tweet teilen twittern senden drucken kopieren kopiert merken "
    "speichern kopiere den aktuellen artikel partager copier le lien compartir copiar "
    "enlace condividi copia delen kopiëren imprimer imprimir stampa pocket sms "
    "hatena はてなブックマーク".split()
)
# The first words (``first_word``) of the lines that furniture_kind_lower tests further: a
# line of letters starting otherwise is furniture only by a credit word (may_hold_credit).
FURNITURE_FIRST_WORDS: frozenset[str] = _SKIP_FIRST_WORDS | _WIDGET_WORDS | _END_FIRST_STEMS


def is_widget_row(line: str, words: int | None = None) -> bool:
    """Tell whether a line is a row of share/bookmark buttons ("Facebook Twitter E-Mail").

    Args:
        line: A cleaned line.
        words: The line's ``word_count``, when the caller already has it.

    Returns:
        True when every word of the line is a widget word.
    """
    if words is not None and words > 16:
        return False
    lower = lowercase(line)
    # Most lines fail on their first word; only then pay for the full tokenisation.
    first = FIRST_WORD_RE.match(lower)
    if first is None or first.group(1) not in _WIDGET_WORDS:
        return False
    words_ = WORD_RE.findall(lower)
    return bool(words_) and len(words_) <= 16 and all(w in _WIDGET_WORDS for w in words_)


# Cookie banners and privacy notices: they speak to the reader about cookies, consent and
# personal data. Two of these words and a "you" make a line such a notice.
_CONSENT_RE = re.compile(
    r"cookie|consent|personal (?:data|information)|privacy|opt[- ]?out|third[- ]part|"
    r"datenschutz|einwillig|personenbezogen|données personnelles|consentement|vie privée|"
    r"datos personales|consentimiento|privacidad|dati personali|consenso|persoonsgegevens|"
    r"toestemming",
    re.IGNORECASE,
)
# The same, for a lower-cased line (5x faster); a line with one of _FOLDS_TO_ASCII is matched
# with _CONSENT_RE.
_CONSENT_LOWER_RE = re.compile(_CONSENT_RE.pattern)
_WEB_RE = re.compile(
    r"website|browser|\bsite\b|webseite|\bseite\b|navigateur|\bsitio\b|\bsito\b", re.IGNORECASE
)
_READER_RE = re.compile(
    r"\b(?:you|your|sie|ihre?[mnrs]?|vous|votre|vos|usted|tu|tuo|tua|uw)\b", re.IGNORECASE
)


def is_consent_text(line: str) -> bool:
    """Tell whether a paragraph is a cookie banner or privacy notice, not article text.

    Args:
        line: A cleaned line.

    Returns:
        True when the line names cookies and a website, browser or consent, or names two of
        consent, personal data, privacy, opting out or third parties and addresses the reader.
    """
    return consent_text_lower(line, lowercase(line))


def consent_text_lower(line: str, lower: str) -> bool:
    """``is_consent_text`` for a caller that has the lower-cased line already.

    Args:
        line: A cleaned line.
        lower: ``line.lower()``.

    Returns:
        True for a cookie banner or privacy notice.
    """
    # Literal tests first: the regular expression is slow on long paragraphs.
    # (Opting out and third parties come with one of these in every notice.) Words that share
    # a beginning are looked for after it: one scan of the line instead of three.
    if not (
        "cooki" in lower
        or "consen" in lower
        or (
            "priv" in lower and ("privacy" in lower or "vie priv" in lower or "privacidad" in lower)
        )
        or (
            "perso" in lower
            and ("personal" in lower or "personenbez" in lower or "persoonsgeg" in lower)
        )
        or ("dat" in lower and ("datenschutz" in lower or "datos" in lower or "dati" in lower))
        or "einwillig" in lower
        or "données" in lower
        or "toestemming" in lower
    ):
        return False
    if any(char in line for char in _FOLDS_TO_ASCII):
        found = {lowercase(m.group(0))[:5] for m in _CONSENT_RE.finditer(line)}
    else:
        # The same matches in the lower-cased line, without the costly case-insensitive scan.
        found = {m.group(0)[:5] for m in _CONSENT_LOWER_RE.finditer(lower)}
    if "cooki" in found:
        # Cookie tables ("_ga 2 years This cookie is set by ...") speak of the site, not to
        # the reader; cookies that one bakes are not set by a website.
        return len(found) >= 2 or _WEB_RE.search(line) is not None
    return len(found) >= 2 and _READER_RE.search(line) is not None


# "Posted on:", "Updated:", "Von:" -- a label whose value the text dump left empty.
_EMPTY_LABEL_RE = re.compile(r"^[\w .'’-]{1,30}:$")


def is_end_marker(line: str, words: int | None = None) -> bool:
    """Tell whether a line opens what follows an article (related links, comments, ...).

    Args:
        line: A cleaned line.
        words: The line's ``word_count``, when the caller already has it.

    Returns:
        True for "Related Links", "Comments (12)", "Mehr zum Thema", copyright notices, ...
    """
    lower = lowercase(line)
    if ("©" in line or "copyright" in lower or "(c)" in lower) and _COPYRIGHT_RE.search(line):
        return True
    if (word_count(line) if words is None else words) > 12:
        return False
    first = lower.split(maxsplit=1)[0].rstrip(":.!»›>()") if lower else ""
    if first not in _END_FIRST_WORDS:
        return False
    return bool(_END_WORD_RE.match(line) or _END_PREFIX_RE.match(line))


def is_skip_label(line: str) -> bool:
    """Tell whether a line is an advertising slot label ("Advertisement", "Anzeige").

    Args:
        line: A cleaned line.

    Returns:
        True when the line is only such a label.
    """
    if len(line) >= 160:
        return False
    first = FIRST_WORD_RE.match(lowercase(line))
    return (
        first is not None
        and first.group(1) in _SKIP_FIRST_WORDS
        and (
            _SKIP_RE.match(line) is not None
            or _INLINE_TEASER_RE.match(line) is not None
            or (_WIDGET_PREFIX_RE.match(line) is not None and len(line) < 60)
        )
    )


def is_inline_teaser(line: str) -> bool:
    """Tell whether a line is a link to another story inside the article.

    "Read more: <title>" or "Mehr zum Thema: <title>": an end-marker prefix followed by a
    colon and a story title interrupts the article without ending it.

    Args:
        line: A cleaned line.

    Returns:
        True for such a teaser line.
    """
    if len(line) >= 200:
        return False
    label, sep, rest = line.partition(":")
    if not sep or len(label) > 40:
        return False
    label = label.strip()
    first = lowercase(label).split(None, 1)[0] if label else ""
    # The cheap tests first: most labels before a colon are no end marker.
    return (
        first in _END_FIRST_WORDS
        and word_count(rest) >= 3
        and _END_PREFIX_RE.match(label) is not None
    )


def is_credit(line: str, words: int | None = None) -> bool:
    """Tell whether a short line is an image caption credit ("Photo source: ANSA").

    Args:
        line: A cleaned line.
        words: The line's ``word_count``, when the caller already has it.

    Returns:
        True for credit lines; long lines only when they end with a "(... Photo ...)" credit.
    """
    # Cheap literal and character tests first: this runs on every line of every page.
    if ")" in line[-6:] and _CREDIT_PAREN_RE.search(line[-120:]) is not None:
        return True
    lower = lowercase(line)
    if (word_count(line) if words is None else words) > 12:
        # A long caption is recognised by the credit it ends with ("... Getty Images",
        # "...Albania.Foto: Florion Goga (Reuters)", "... © DPA Images | Jane Doe").
        return _CREDIT_WORDS_RE.search(lower, len(lower) - 40) is not None or (
            ":" in line[-60:] and _CREDIT_LABEL_RE.search(line[-60:]) is not None
        )
    if _CREDIT_WORDS_RE.search(lower) is not None:
        return True
    return ":" in line and _credit_label(line)


def is_empty_label(line: str) -> bool:
    """Tell whether a line is a field label with nothing after it ("Posted on:").

    Args:
        line: A cleaned line.

    Returns:
        True for "Label:" lines of at most a few words.
    """
    return _EMPTY_LABEL_RE.match(line) is not None and word_count(line) <= 4


# --------------------------------------------------------------------------------------------
# Bylines
# --------------------------------------------------------------------------------------------

_BYLINE_RE = re.compile(
    r"^(?:by|von|par|por|di|door|de|av|af|text|texte|autor|autorin|author|written by|"
    r"reporting by|von unserem|von unserer)\s*:?\s+(?P<who>\S.{0,120})$",
    re.IGNORECASE,
)
BY_FIRST_WORDS: frozenset[str] = frozenset(
    "by von par por di door de av af text texte autor autorin author written reporting".split()
)
_NAME_WORD_RE = re.compile(r"^[A-ZÀ-ÖØ-Þ][\w'’.-]*$")
_NAME_JOINERS = frozenset(
    "and und et y e en & von van de der den di da del la le zu bin al".split()
)


def looks_like_names(text: str) -> bool:
    """Tell whether a short text is a list of personal or agency names.

    Args:
        text: A candidate byline without its "By".

    Returns:
        True when every word is capitalised or a joiner ("and", "von", ","), at most 12 words.
    """
    words = [w.strip(",;|/") for w in text.split()]
    words = [w for w in words if w]
    if not words or len(words) > 12:
        return False
    capitalised = 0
    for w in words:
        if _NAME_WORD_RE.match(w):
            capitalised += 1
        elif lowercase(w) not in _NAME_JOINERS:
            return False
    return capitalised >= 1


_BY_WORD_RE = re.compile(
    r"^(?:by|von|par|por|di|door|av|af|text|texte|autor|autorin|autoren|author|authors|"
    r"author of the article|written by|reporting by)\s*:?$",
    re.IGNORECASE,
)


def is_by_label(line: str) -> bool:
    """Tell whether a line is a byline's lead word alone ("By", "Von", "Author:").

    Args:
        line: A cleaned line.

    Returns:
        True when the names are expected on the next line.
    """
    return len(line) < 30 and _BY_WORD_RE.match(line) is not None


# Job titles that follow a name ("Jane Doe, Political Correspondent", "Jane Doe Redakteurin"):
# stems, in the languages of the word lists.
_ROLE_STEMS = (
    "reporter",
    "correspond",
    "korrespond",
    "editor",
    "redakteur",
    "redacteur",
    "rédact",
    "redactor",
    "writer",
    "columnist",
    "kolumnist",
    "journalist",
    "periodista",
    "giornalist",
    "corresponsal",
    "verslaggever",
    "inviat",
    "envoyé",
    "autor",
    "author",
    "director",
    "deputy",
    "chief",
    "producer",
    "contributor",
    "volontär",
)
# Words that label a date or name a weekday: what a dump leaves before a date is not a name
# when it is made of these ("Published", "Publiziert", "Tue", "Actualizado Lunes").
_NOT_NAMES = frozenset(
    "published updated posted last publiziert veröffentlicht aktualisiert stand publié publiée "
    "mis à jour publicado actualizado pubblicato aggiornato gepubliceerd bijgewerkt publicerad "
    "uppdaterad publisert oppdatert publiceret opdateret opublikowano "
    "mon tue wed thu fri sat sun monday tuesday wednesday thursday friday saturday sunday "
    "mo di mi do fr sa so montag dienstag mittwoch donnerstag freitag samstag sonntag "
    "lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes "
    "sábado domingo lunedì martedì mercoledì giovedì venerdì sabato domenica maandag dinsdag "
    "woensdag donderdag vrijdag zaterdag zondag".split()
)


def clean_byline(names: str) -> str | None:
    """Trim what bylines carry besides the names.

    "Jane Doe, Political Correspondent" and "Jane Doe Senior Reporter" lose the job title,
    "Jane Doe, Lowmere" the place, "Jane Doe / LOWMERE GAZETTE /" the outlet; a "name" that is
    only a date label or a weekday ("Published", "Tue") is no name.

    Args:
        names: The names part of a byline, as printed.

    Returns:
        The names, or None when nothing of a name is left.
    """
    names = names.strip(" ,;|/-–—")
    if " / " in names:
        names = names.split(" / ", 1)[0].strip()
    head, comma, tail = names.rpartition(",")
    tail_words = tail.split()
    if (
        comma
        and looks_like_names(head)
        and (len(tail_words) == 1 or any(stem in lowercase(tail) for stem in _ROLE_STEMS))
    ):
        names = head.strip()
    words = names.split()
    # A job title after the name, without a comma: cut at its first word. A credit without a
    # person ("AFP Staff Writers") stays as printed.
    personal = (
        bool(words) and canonical_agency(words[0]) is None and "staff" not in lowercase(names)
    )
    for k in range(2, len(words) if personal else 0):
        ahead = lowercase(" ".join(words[k : k + 3]))
        if any(stem in ahead for stem in _ROLE_STEMS) and _NAME_WORD_RE.match(words[k]):
            words = words[:k]
            break
    while words and lowercase(words[0]).strip(".,:") in _NOT_NAMES:
        words = words[1:]
    if not words or all(lowercase(w).strip(".,:") in _NOT_NAMES for w in words):
        return None
    return " ".join(words)


def parse_byline(line: str) -> str | None:
    """Return the names of a byline line ("By Jane Doe" -> "Jane Doe").

    Args:
        line: A cleaned line.

    Returns:
        The names without the leading "by" word, or None when the line is no byline.
    """
    first = FIRST_WORD_RE.match(lowercase(line))
    if first is None or first.group(1) not in BY_FIRST_WORDS:
        return None
    m = _BYLINE_RE.match(line)
    if m is None:
        return None
    who = m.group("who").strip(" ,;|-–—")
    # Keep only what precedes a trailing date or separator ("By Jane Doe | 3 May 2024").
    who = re.split(r"\s+[|•·]\s+|\s+[-–—]\s+", who, maxsplit=1)[0]
    date_at = find_date_span(who)
    if date_at is not None:
        who = who[: date_at[0]].rstrip(" ,;|-–—")
    # "By Jane Doe, Reuters" / "Von Jane Doe, dpa": a known agency after the names is the
    # agency credit (the parser records it as such); the byline keeps the people.
    names, comma, tail = who.rpartition(",")
    if comma and canonical_agency(tail.strip()) is not None and looks_like_names(names):
        return names.strip()
    if not looks_like_names(who):
        # "By Jane Doe / LOWMERE GAZETTE /": the names before the outlet.
        who = who.split(" / ", 1)[0]
        if not looks_like_names(who):
            return None
    return clean_byline(who)


# Parts of a one-line header: "Jane Doe · Lowmere Gazette · Posted: May 3, 2024 | Updated: ...".
_SEGMENT_SPLIT_RE = re.compile(r"\s+[|·•]\s+|\s*[|·•]\s*(?=[A-Z])")


# The parts of a date line: header separators, and dashes between spaces.
_DATE_PARTS_RE = re.compile(r"\s+[|·•]\s+|\s*[|·•]\s*(?=[A-Z])|\s[-–—]\s")


def header_segments(line: str) -> list[str]:
    """Split a one-line article header into its parts (names, outlet, dates).

    Args:
        line: A cleaned line.

    Returns:
        The non-empty parts between "|", "·" or "•" separators.
    """
    return [p for p in (x.strip() for x in _SEGMENT_SPLIT_RE.split(line)) if p]


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS: tuple[tuple[str, ...], ...] = (
    (
        "jan",
        "january",
        "januar",
        "jänner",
        "jän",
        "janvier",
        "janv",
        "enero",
        "ene",
        "gennaio",
        "januari",
    ),
    (
        "feb",
        "february",
        "februar",
        "feber",
        "février",
        "févr",
        "fevrier",
        "febrero",
        "febbraio",
        "februari",
    ),
    ("mar", "march", "märz", "maerz", "mär", "mars", "marzo", "maart", "mrt"),
    ("apr", "april", "avril", "avr", "abril", "abr", "aprile"),
    ("may", "mai", "mayo", "maggio", "mei", "mag"),
    ("jun", "june", "juni", "juin", "junio", "giugno", "giu"),
    ("jul", "july", "juli", "juillet", "juil", "julio", "luglio", "lug"),
    ("aug", "august", "août", "aout", "agosto", "ago", "augustus"),
    ("sep", "sept", "september", "septembre", "septiembre", "settembre", "set"),
    ("oct", "october", "oktober", "okt", "octobre", "octubre", "ottobre", "ott"),
    ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "dezember", "dez", "décembre", "déc", "diciembre", "dic", "dicembre"),
)


# dateutil's parserinfo with the month names of every language we have word lists for, and
# the little words that sit inside dates ("15 de octubre", "à 14h52"). Built with type() so that
# the module type-checks with and without dateutil's stubs installed.
_MultilingualInfo = type(
    "_MultilingualInfo",
    (_dateparser.parserinfo,),
    {
        "MONTHS": [tuple(m) for m in _MONTHS],
        "JUMP": [
            *_dateparser.parserinfo.JUMP,
            *"de del di der den le el il um am à o'clock uhr".split(),
        ],
    },
)
_PARSERINFO_DAYFIRST = _MultilingualInfo(dayfirst=True)
# Month numbers by name, as the parserinfo above reads them (a later table wins, as there).
_MONTH_NUMBERS = {lowercase(name): i + 1 for i, names in enumerate(_MONTHS) for name in names}
# The commonest spellings of a date, read without dateutil (several times cheaper): "3 May
# 2024", "3. Mai 2024", "May 3, 2024", "Apr. 28 2023", "03.05.2024", "3. 5. 2024", "03/05/2024"
# (day first). dateutil reads them the same
# way (tests/test_parse_text.py compares the two); anything else still goes to dateutil.
_PLAIN_DATE_RE = re.compile(
    r"(?P<d>[0-9]{1,2})\.? (?P<mon>[^\W\d_]+) (?P<y>[0-9]{4})"
    r"|(?P<mon2>[^\W\d_]+)\.? (?P<d2>[0-9]{1,2}),? (?P<y2>[0-9]{4})"
    r"|(?P<d3>[0-9]{1,2})(?P<sep>\. ?|/)(?P<m3>[0-9]{1,2})(?P=sep)(?P<y3>[0-9]{4})"
)


def _plain_date(found: str) -> dt.datetime | None:
    """Read a date of one of the commonest spellings (see _PLAIN_DATE_RE), else None."""
    m = _PLAIN_DATE_RE.fullmatch(found)
    if m is None:
        return None
    if m.group("d") is not None:
        day, month, year = m.group("d"), _MONTH_NUMBERS.get(lowercase(m.group("mon"))), m.group("y")
    elif m.group("d2") is not None:
        day, month, year = (
            m.group("d2"),
            _MONTH_NUMBERS.get(lowercase(m.group("mon2"))),
            m.group("y2"),
        )
    else:
        day, month, year = m.group("d3"), int(m.group("m3")), m.group("y3")
    if month is None or not 1 <= month <= 12:
        return None
    try:
        return dt.datetime(int(year), month, int(day))
    except ValueError:
        return None  # no such day: dateutil decides what to make of it


# A tree of words by their letters: each key a letter, "" where a word ends.
_Trie = dict[str, "_Trie"]


def trie_alternation(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, longest first, as a tree of prefixes.

    It matches what ``"|".join(sorted(words, key=len, reverse=True))`` matches, in the same
    order of preference (the longer word first, the shorter on backtracking); but the engine
    tries a dozen first letters at each position of a line instead of every word.
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: _Trie) -> str:
        alts = [re.escape(char) + render(sub) for char, sub in sorted(node.items()) if char]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


_MONTH_ALT = trie_alternation({n for m in _MONTHS for n in m})
_MONTH = rf"(?:{_MONTH_ALT})\.?"
_YEAR = r"(?:19|20)\d\d"
_DAY = r"(?:[0-2]?\d|3[01])"
# Where dates hide in a line; the matched text is then handed to dateutil.
_DATE_RE = re.compile(
    rf"(?P<y>{_YEAR})\s*(?:年|[./]\s*)(?P<m>[01]?\d)\s*(?:月|[./]\s*)(?P<d>[0-3]?\d)(?!\d)"
    rf"|\b(?P<iso>{_YEAR}-[01]\d-[0-3]\d)(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
    rf"(?:Z|[+-][0-2]\d:?[0-5]\d)?)?"
    # Day-first dates may be glued to the word before them where a dump dropped a space
    # ("Jane Doe24.04.2024", "Published6. May 2024"): no word boundary, just no digit.
    rf"|(?<!\d){_DAY}(?:\.|st|nd|rd|th|er|º)?\s*(?:de\s+)?{_MONTH}(?:\s*,?\s*(?:de\s+)?{_YEAR})"
    # A month name may be glued to the word before it too ("Associated PressApril 28, 2023").
    rf"|(?:\b|(?-i:(?<=[a-z])(?=[A-Z]))){_MONTH}\s+{_DAY}(?:st|nd|rd|th)?\s*,?\s*{_YEAR}"
    rf"|(?<![\d.]){_DAY}[./]{_DAY}[./](?:{_YEAR}|\d\d\b)"
    # "28. 4. 2023": day and month with a space after their full stops.
    rf"|(?<![\d.]){_DAY}\.\s{_DAY}\.\s{_YEAR}",
    re.IGNORECASE,
)
# Every form of _DATE_RE has a four-digit year or ends in "d.m.yy": a line without either holds
# no date, and this test is some fifty times cheaper than the full expression.
_DATE_HINT_RE = re.compile(r"(?:19|20)\d\d|\d[./]\d\d?[./]\d\d")
_TIME_RE = re.compile(r"\b([0-2]?\d)[:.h]([0-5]\d)\b")
# Times and relative ages shown instead of a date ("15:44 Uhr", "vor 3 Stunden", "2 hours ago").
_TIME_LINE_RE = re.compile(
    r"\b[0-2]?\d[:.][0-5]\d\b|\b(?:vor|ago|hace|il y a|fa|geleden)\b", re.IGNORECASE
)
_TZ_RE = re.compile(r"\b(?:GMT|UTC)\b|Z$|[+-][0-2]\d:?[0-5]\d$")


def _first_date(text: str) -> re.Match[str] | None:
    """The first match of ``_DATE_RE`` in a text, or None (the cheap hint tested first)."""
    if _DATE_HINT_RE.search(text) is None:
        return None
    return _first_date_match(text)


# A date line is classified, then read, then searched for names before its date: the one
# search of the big expression per line serves all three. (Only lines with a hint get here.)
_first_date_match = functools.lru_cache(maxsize=4096)(_DATE_RE.search)


def find_date_span(text: str) -> tuple[int, int] | None:
    """Locate the first date-looking substring of a text.

    Args:
        text: Any text.

    Returns:
        ``(start, end)`` of the substring, or None.
    """
    m = _first_date(text)
    return (m.start(), m.end()) if m else None


def parse_date(text: str) -> dt.datetime | None:
    """Find and parse the first date in a text (en/de/fr/es/it/nl month names, ISO, d.m.y).

    Args:
        text: Any text, e.g. "Moscow (AFP) Dec 30, 2022" or "3. Mai 2024, 17:47".

    Returns:
        A datetime (midnight when the text gives no time; timezone-aware only when the text
        gives a zone), or None when no plausible date is found.
    """
    m = _first_date(text)
    if m is None:
        return None
    found = m.group(0)
    if m.group("y") is not None:
        # Year-first forms ("2025年1月13日", "2025/1/14", "2025.05.15"): spell them as ISO so
        # that dateutil's day-first reading does not swap month and day.
        found = f"{m.group('y')}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
    try:
        value: dt.datetime
        if m.group("iso") is not None:
            # ISO 8601 is unambiguous; the day-first parser would swap its month and day.
            value = _dateparser.isoparse(found.replace(" ", "T"))
        else:
            value = _plain_date(found) or _dateparser.parse(found, parserinfo=_PARSERINFO_DAYFIRST)
    except (ValueError, OverflowError):
        return None
    if not 1990 <= value.year <= 2100:
        return None
    if value.hour == 0 and value.minute == 0 and value.tzinfo is None:
        # A time printed right after the date ("3. Mai 2024, 17:47") belongs to it.
        t = _TIME_RE.search(text, m.end(), m.end() + 12)
        if t is not None and int(t.group(1)) < 24:
            value = value.replace(hour=int(t.group(1)), minute=int(t.group(2)))
            if _TZ_RE.search(text[t.end() : t.end() + 8]):
                value = value.replace(tzinfo=dt.UTC)
    return value


def is_date_line(line: str) -> bool:
    """Tell whether a line is mostly a date (a publication-date line, not a sentence).

    Args:
        line: A cleaned line.

    Returns:
        True when the line holds a date and at most a few other words.
    """
    m = _first_date(line)
    if m is None:
        # A bare time or age ("15:44 Uhr", "vor 3 Stunden") is a date line too, alone or as a
        # part of a header line ("Jane Doe | Published 4 months ago").
        if _TIME_LINE_RE.search(line) is None:
            return False
        if word_count(line) <= 5:
            return True
        parts = header_segments(line)
        return (
            len(parts) >= 2
            and all(word_count(p) <= 8 for p in parts)
            and any(word_count(p) <= 5 and _TIME_LINE_RE.search(p) is not None for p in parts)
        )
    # The line without its dates (what _DATE_RE.sub(" ", line) gives), searched on from the
    # end of the first one instead of from the start again.
    pieces = [line[: m.start()]]
    at = m.end()
    for more in _DATE_RE.finditer(line, at):
        pieces.append(line[at : more.start()])
        at = more.end()
    pieces.append(line[at:])
    rest_text = _TIME_LINE_RE.sub(" ", " ".join(pieces))
    rest = word_count(rest_text)
    if rest > 6:
        # A header of short parts, one of them the date: "Jane Doe · Posted: May 3, 2024",
        # "Column by Jane Doe - 03.05.2024 - 12 comments".
        if ends_like_sentence(line) or rest > 20:
            return False
        parts = [p for p in _DATE_PARTS_RE.split(line) if p.strip()]
        return len(parts) >= 2 and all(word_count(p) <= 8 for p in parts)
    # "On 3 May 2024 he said." is a sentence that mentions a date, not a date line; a line
    # that starts with its date ("15.04.2026 - 15:48 Lesedauer: 2 Min.") is one.
    return m.start() <= 2 or rest < 3 or not ends_like_sentence(line)


# --------------------------------------------------------------------------------------------
# All furniture tests at once
# --------------------------------------------------------------------------------------------

# Photo captions that end with their credit: "... in Paris. JANE DOE / AFP", "...Qatar.AFP",
# "... in Washington Jane Doe/via Reuters", "... healthy changes. Jane Doe".
_CAPTION_TAIL_RE = re.compile(
    r"(?:\s/\s?|\s?/\s)[A-ZÀ-Þ][\w'’.-]*(?:\s[\w'’.-]+){0,4}$"
    r"|[a-zß-ÿ]{2}\.[A-ZÀ-Þ][\w-]*(?:\s[A-ZÀ-Þ][\w'’-]*){0,3}$"
    r"|[a-zß-ÿ]/(?:via\s)?[A-ZÀ-Þ][\w-]+(?:\s[A-ZÀ-Þ][\w'’-]*){0,3}$"
    r"|(?P<sentence>\w{2}[.!?][\"”’]?\s+)(?:[A-ZÀ-Þ][\w'’-]+\s?){1,4}$"
)

# Abbreviated titles before a name: their full stop ends no sentence.
_NAME_TITLES = frozenset(
    "mr mrs ms dr prof rep sen gov gen col lt sgt capt st jr sr rev hon pres sec".split()
)

SKIP_KIND = "skip"
END_KIND = "end"
CREDIT_KIND = "credit"
_END_STRIP = ":.!»›>()"


def may_hold_credit(lower: str) -> bool:
    """A cheap necessary test for a credit word or a copyright notice in a lower-cased line.

    Literal tests, no regular expression: ``furniture_kind_lower`` finds no credit or copyright
    line without one of these.
    """
    return (
        "/" in lower
        or "copyright" in lower
        or "(c)" in lower
        or "©" in lower
        or "getty" in lower
        or "imago" in lower
        or "photo" in lower
        or "shutterstock" in lower
        or "picture" in lower
        or "bildrechte" in lower
        or "fotostrecke" in lower
    )


def furniture_kind(line: str, words: int) -> str | None:
    """Tell whether a line is page furniture, sharing the work of the single tests.

    Same answers as ``is_skip_label``/``is_widget_row``/``is_inline_teaser`` (skip),
    ``is_end_marker`` (end) and ``is_credit`` (credit), in that order of precedence, with the
    lower-cased line and its first word computed once: this runs on every line of every page.

    Args:
        line: A cleaned line.
        words: The line's ``word_count``.

    Returns:
        ``"skip"``, ``"end"``, ``"credit"`` or None.
    """
    return furniture_kind_lower(line, lowercase(line), words)


def first_word(lower: str) -> str:
    """The first word (``WORD_RE``) of a lower-cased line, "" when it has none."""
    m = FIRST_WORD_RE.match(lower)
    return m.group(1) if m is not None else ""


def furniture_kind_lower(line: str, lower: str, words: int, first: str | None = None) -> str | None:
    """``furniture_kind`` for a caller that has the lower-cased line already.

    Args:
        line: A cleaned line.
        lower: ``line.lower()``.
        words: The line's ``word_count``.
        first: ``first_word(lower)``, when the caller has it (None: found when needed).

    Returns:
        ``"skip"``, ``"end"``, ``"credit"`` or None.
    """
    # Only the tests of shorter lines read the first word: a paragraph goes without it.
    if len(line) < 160 or words <= 16:
        if first is None:
            first = first_word(lower)
        if first in _SKIP_FIRST_WORDS and len(line) < 160:
            if (
                _SKIP_RE.match(line) is not None
                or _INLINE_TEASER_RE.match(line) is not None
                or (_WIDGET_PREFIX_RE.match(line) is not None and len(line) < 60)
            ):
                return SKIP_KIND
        if first in _WIDGET_WORDS and words <= 16:
            words_ = WORD_RE.findall(lower)
            if words_ and len(words_) <= 16 and all(w in _WIDGET_WORDS for w in words_):
                return SKIP_KIND
    if ":" in line and is_inline_teaser(line):
        return SKIP_KIND
    copyright_ = "©" in line or "copyright" in lower or "(c)" in lower
    if copyright_ and _COPYRIGHT_RE.search(line):
        return END_KIND
    # The first whitespace-separated part of an end marker, or a number, starts with the first
    # word: most lines are ruled out without splitting them.
    if words <= 12 and first is not None and (first in _END_FIRST_STEMS or first.isdigit()):
        head = lower.split(None, 1)[0].rstrip(_END_STRIP)
        if head in _END_FIRST_WORDS and (
            _END_WORD_RE.match(line) is not None or _END_PREFIX_RE.match(line) is not None
        ):
            return END_KIND
        if head.isdigit() and words <= 3 and is_comments_heading(line):
            return END_KIND  # "3 Kommentare"
    # Credits (is_credit), and captions that end with their credit.
    if ")" in line[-6:] and _CREDIT_PAREN_RE.search(line[-120:]) is not None:
        return CREDIT_KIND
    if words > 12:
        # (A credit word in the last 40 characters holds one of may_hold_credit's strings.)
        if (
            may_hold_credit(lower[-40:])
            and _CREDIT_WORDS_RE.search(lower, len(lower) - 40) is not None
        ) or (":" in line[-60:] and _CREDIT_LABEL_RE.search(line[-60:]) is not None):
            return CREDIT_KIND
        return None
    if "©" in line or (may_hold_credit(lower) and _CREDIT_WORDS_RE.search(lower) is not None):
        return CREDIT_KIND  # "©" is itself a credit word
    if ":" in line and _credit_label(line):
        return CREDIT_KIND
    return None


def is_caption(line: str, words: int) -> bool:
    """Tell whether a line is a photo caption ending with its credit.

    "... in Paris. JANE DOE / AFP", "...in Qatar.AFP", "... Jane Doe/via Reuters",
    "... after the race. Jane Doe". Check bylines and date lines first: "By Jane Doe /
    Lowmere Gazette" has the same shape.

    Args:
        line: A cleaned line.
        words: The line's ``word_count``.

    Returns:
        True for such a caption.
    """
    tail = line[-60:]
    if (
        words < 6
        or line[-1] in _SENTENCE_END
        or not ("/" in tail or "." in tail or "!" in tail or "?" in tail)
    ):
        return False
    m = _CAPTION_TAIL_RE.search(line, max(0, len(line) - 60))
    if m is None:
        return False
    if m.group("sentence") is None:
        return True
    # "... Attacks on Trans Rep. Jane Doe": a title before a name, not a sentence and a credit.
    before = line[: m.start("sentence") + 3].rsplit(None, 1)[-1].rstrip('.!?"”’')
    return lowercase(before) not in _NAME_TITLES and word_count(line[: m.start()]) >= 8
