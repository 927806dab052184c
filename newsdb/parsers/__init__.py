"""Reading files into :class:`ParsedArticle` records: format detection, decoding, parsing.

Everything here is pure apart from :func:`read_page`, which reads one file.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import gzip
import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import ParseError
from .base import Format, ParsedArticle, RawPage, Record

__all__ = [
    "MULTI_RECORD_FORMATS",
    "Format",
    "ParsedArticle",
    "RawPage",
    "Record",
    "decode_text",
    "detect_format",
    "parse_page",
    "parse_records",
    "read_page",
]

# File name endings newsdb reads, and as what. A further ".gz" is allowed on
# every one of them (the file is decompressed before parsing; WARC readers
# handle their own compression).
SUFFIXES: dict[str, Format] = {
    ".txt": Format.TEXT,
    ".text": Format.TEXT,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".xhtml": Format.HTML,
    ".json": Format.JSON,
    ".jsonl": Format.JSON,
    ".ndjson": Format.JSON,
    ".rss": Format.FEED,
    ".atom": Format.FEED,
    ".xml": Format.FEED,
    ".warc": Format.WARC,
}

# Largest file read whole, per format: a saved page is rarely over a few MB,
# and a bigger one would take the parser minutes; exports and feeds are read
# whole into memory. WARC archives are streamed and have no limit.
MAX_BYTES: dict[Format, int] = {
    Format.TEXT: 20_000_000,
    Format.HTML: 20_000_000,
    Format.JSON: 500_000_000,
    Format.FEED: 100_000_000,
}

# Formats whose files hold many articles (read with :func:`parse_records`).
MULTI_RECORD_FORMATS = frozenset({Format.JSON, Format.FEED, Format.WARC})

# Share of control characters (other than tab/newline/CR/form feed) above which
# bytes are taken for a binary file rather than text in an odd encoding.
_MAX_CONTROL_SHARE = 0.01
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _suffix(path: Path) -> tuple[str, bool]:
    """The format-giving suffix of a file name, and whether it is gzip-compressed.

    The suffixes are those of :attr:`pathlib.PurePath.suffixes` (none for a name ending
    in a dot, leading dots not counted), read from the name's string: it is asked for
    several times a file, and building the path's suffix list each time cost 2.0% of a
    bench page's instructions (callgrind; docs/performance.md, ninth round).
    """
    name = path.name
    if name.endswith("."):
        return "", False
    parts = name.lstrip(".").lower().rsplit(".", 2)
    if len(parts) == 3 and parts[2] == "gz":
        return "." + parts[1], True
    return ("." + parts[-1] if len(parts) > 1 else ""), False


def detect_format(path: Path) -> Format | None:
    """Return the format a file is read as, by its name, or ``None`` if not supported."""
    suffix, _ = _suffix(path)
    return SUFFIXES.get(suffix)


def is_gzipped(path: Path) -> bool:
    """True when the file name ends in ``.gz`` after a supported suffix."""
    return _suffix(path)[1]


def gunzip(data: bytes, path: Path | None = None) -> bytes:
    """Decompress gzip bytes.

    Raises:
        ParseError: The bytes are not a complete gzip stream.
    """
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise ParseError(f"not a valid gzip file ({exc})", path) from exc


def read_page(path: Path) -> RawPage:
    """Read a file's bytes and hash them.

    Raises:
        ParseError: The file cannot be read (missing, a dangling link, a symbolic
            link loop, no permission) or is larger than its format allows
            (:data:`MAX_BYTES`).
    """
    try:
        stat = path.stat()
        fmt = detect_format(path)
        limit = MAX_BYTES.get(fmt) if fmt is not None else None
        if limit is not None and stat.st_size > limit:
            raise ParseError(
                f"file too large: {stat.st_size / 1e6:.1f} MB"
                f" (the limit for {fmt} files is {limit / 1e6:.0f} MB)",
                path,
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        reason = "broken symbolic link" if path.is_symlink() else "no such file"
        raise ParseError(reason, path) from exc
    except PermissionError as exc:
        raise ParseError("permission denied", path) from exc
    except IsADirectoryError as exc:
        raise ParseError("is a directory", path) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ParseError("symbolic link loop", path) from exc
        raise ParseError(f"cannot read file: {exc.strerror or exc}", path) from exc
    mtime = dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)
    return RawPage(path=path, data=data, sha256=hashlib.sha256(data).hexdigest(), mtime=mtime)


# Control characters other than tab, newline, form feed and carriage return.
_CONTROLS = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20)])
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _control_share(text: str, utf8: bytes | None = None) -> float:
    """Share of ``text`` that is control characters; ``utf8``: the bytes it was decoded from."""
    if not text:
        return 0.0
    if utf8 is not None:
        # In UTF-8 each control character is one byte of its own, and deleting bytes is
        # many times faster than a regular expression over a text with non-ASCII letters.
        controls = len(utf8) - len(utf8.translate(None, _CONTROLS))
    else:
        controls = len(_CONTROL_RE.findall(text))
    return controls / len(text)


def _same_in_cp1252(data: bytes, text: str) -> bool:
    try:
        return data.decode("cp1252") == text
    except UnicodeDecodeError:
        return False


def decode_text(data: bytes, path: Path | None = None) -> tuple[str, tuple[str, ...]]:
    """Decode a text file's bytes.

    A byte-order mark wins; then strict UTF-8; then charset-normalizer's best
    guess, which adds a warning naming the encoding it chose.

    Args:
        data: The file's bytes.
        path: For error messages.

    Returns:
        The text and a tuple of warnings.

    Raises:
        ParseError: The file is empty, binary, or in no encoding we can tell.
    """
    if not data.strip():
        raise ParseError("empty file", path)
    warnings: list[str] = []
    text: str | None = None
    utf8: bytes | None = None  # the bytes, when they were read as UTF-8
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ParseError(f"invalid {encoding} text: {exc.reason}", path) from exc
            utf8 = data if encoding == "utf-8-sig" else None
            break
    if text is None:
        if b"\x00" in data:
            raise ParseError("binary file (contains NUL bytes), not text", path)
        try:
            text = data.decode("utf-8")
            utf8 = data
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is None:
                raise ParseError("binary file or unknown text encoding", path) from None
            text, encoding = str(best), best.encoding
            # Single-byte code pages often agree on a text's bytes; when Windows-1252
            # (what browsers read Latin-1 pages as) gives the same text, name it.
            if encoding != "cp1252" and _same_in_cp1252(data, text):
                encoding = "cp1252"
            warnings.append(f"not UTF-8; decoded as {encoding}")
    if _control_share(text, utf8) > _MAX_CONTROL_SHARE:
        raise ParseError("binary file (control characters), not text", path)
    if not text.strip():
        raise ParseError("empty file (only whitespace)", path)
    return text, tuple(warnings)


def parse_page(raw: RawPage) -> ParsedArticle:
    """Parse a one-article page (text or HTML) into an article record.

    Raises:
        ParseError: The page cannot be decoded or holds no article
            (:class:`~newsdb.errors.NotAnArticle`), or its format holds many
            articles (use :func:`parse_records`).
    """
    fmt = detect_format(raw.path)
    if fmt is None:
        raise ParseError(f"unsupported file type {raw.path.suffix or '(none)'}", raw.path)
    if fmt in MULTI_RECORD_FORMATS:
        raise ParseError(f"{fmt.value} files hold many articles; read them with parse_records")
    data = gunzip(raw.data, raw.path) if is_gzipped(raw.path) else raw.data
    if fmt is Format.HTML:
        from .html import parse_html

        return parse_html(data, path=raw.path)
    text, warnings = decode_text(data, raw.path)
    from .text import parse_text  # imported late: the text parser is the heavy module

    try:
        parsed = parse_text(text)
    except ParseError as exc:
        if exc.path is None:
            raise type(exc)(exc.reason, raw.path) from exc
        raise
    if warnings:
        parsed = replace(parsed, warnings=parsed.warnings + warnings)
    return parsed


def parse_records(raw: RawPage) -> Iterator[Record]:
    """Parse any supported file into its article records.

    A one-article format (text, HTML) yields one record whose locator is ""
    and whose hash is the file's. Multi-record formats (JSON/JSON Lines, feeds,
    WARC) yield one record per article-sized piece; a piece that cannot be read
    is a record with ``error`` set, and the others still come.

    Raises:
        ParseError: The file as a whole cannot be read (unsupported type, a
            broken gzip, a JSON file that does not parse, a one-article page
            that fails).
    """
    fmt = detect_format(raw.path)
    if fmt is None:
        raise ParseError(f"unsupported file type {raw.path.suffix or '(none)'}", raw.path)
    if fmt not in MULTI_RECORD_FORMATS:
        yield Record(locator="", sha256=raw.sha256, article=parse_page(raw))
        return
    if fmt is Format.WARC:
        from .warc import parse_warc_records

        yield from parse_warc_records(raw)
        return
    if is_gzipped(raw.path):
        raw = replace(raw, data=gunzip(raw.data, raw.path))
    if fmt is Format.JSON:
        from .jsonrecords import parse_json_records

        yield from parse_json_records(raw)
    else:
        from .feed import parse_feed_records

        yield from parse_feed_records(raw)
