"""Read web archives (WARC, ``.warc`` or ``.warc.gz``): every archived HTML page an article.

The archive is streamed record by record with `warcio <https://github.com/webrecorder/warcio>`_
straight from the file, so archives of any size take little memory. Each successful
(status 200) capture of an HTML page (a ``response`` record, or a ``resource`` record as
browser-based crawlers write) goes through :func:`newsdb.parsers.html.parse_html` with its URL
and capture date; requests, metadata, redirects, errors, images and scripts are skipped.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import datetime as dt
import gzip
import hashlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.bufferedreaders import (  # type: ignore[import-untyped]
    BufferedReader,
    ChunkedDataReader,
)
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]
from warcio.statusandheaders import (  # type: ignore[import-untyped]
    StatusAndHeadersParserException,
)

from newsdb.errors import ParseError
from newsdb.parsers import fields as fx
from newsdb.parsers.base import Format, RawPage, Record

__all__ = ["parse_warc_records"]

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Pages larger than this are not articles (and would cost the parser dearly).
_MAX_PAGE_BYTES = 20 * 1024 * 1024
# What a broken or foreign file makes warcio raise.
_WARC_ERRORS: tuple[type[Exception], ...] = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    EOFError,
    OSError,
    zlib.error,
    ValueError,
    IndexError,
    KeyError,
    # warcio's own slips on malformed headers (a response without WARC-Target-URI).
    AttributeError,
    TypeError,
)
# Browsers read these labels as Windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"})
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_HTML_START_RE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


def _header(headers: Any, name: str) -> str | None:
    value = headers.get_header(name) if headers is not None else None
    return str(value).strip() if value else None


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _digest_hex(value: str | None) -> str | None:
    """A ``sha256:`` WARC digest (base32 or hex) as hex; None for other algorithms."""
    if not value or ":" not in value:
        return None
    algorithm, _, encoded = value.partition(":")
    if algorithm.strip().lower().replace("-", "") != "sha256":
        return None
    encoded = encoded.strip()
    if len(encoded) == 64 and all(c in "0123456789abcdefABCDEF" for c in encoded):
        return encoded.lower()
    try:
        raw = base64.b32decode(encoded.upper() + "=" * (-len(encoded) % 8))
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None


def _decoded(payload: bytes, http_headers: Any) -> bytes:
    """Undo the transfer and content encodings of an HTTP payload, as warcio would."""
    if http_headers is None:
        return payload
    encoding = (_header(http_headers, "content-encoding") or "").lower() or None
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    if (_header(http_headers, "transfer-encoding") or "").lower() == "chunked":
        reader = ChunkedDataReader(io.BytesIO(payload), decomp_type=encoding)
    elif encoding:
        reader = BufferedReader(io.BytesIO(payload), decomp_type=encoding)
    else:
        return payload
    data: bytes = reader.read()
    return data


def _with_declared_charset(body: bytes, content_type: str | None) -> bytes:
    """Make the HTTP header's charset stick, for pages that are not UTF-8.

    The page's own ``<meta charset>`` may be missing or wrong, and the HTTP header, which
    browsers obey first, is gone once the body is handed on; a UTF-8 BOM is the one thing
    that outranks both, so the body is re-encoded to UTF-8 behind one. A body that is valid
    UTF-8 is left alone: servers often send a Latin-1 default for UTF-8 pages.
    """
    m = _CHARSET_RE.search(content_type or "")
    if m is None:
        return body
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    label = m.group(1).lower()
    try:
        text = body.decode("cp1252" if label in _AS_CP1252 else codecs.lookup(label).name)
    except (LookupError, UnicodeDecodeError):
        return body
    return codecs.BOM_UTF8 + text.lstrip("\ufeff").encode("utf-8", "surrogatepass")


def _warc_date(value: str | None) -> dt.datetime | None:
    when = fx.parse_when(value)
    return fx.instant(when)


def _record(record: Any, raw: RawPage, offset: int) -> Record | None:
    """Parse one WARC record; None for records that hold no HTML page."""
    kind = str(record.rec_type or "")
    if kind not in ("response", "resource"):
        return None
    http_headers = record.http_headers
    if kind == "response":
        if http_headers is None or str(http_headers.get_statuscode()) != "200":
            return None
        content_type = _header(http_headers, "content-type")
    else:
        content_type = _header(record.rec_headers, "content-type")
    mime = _mime(content_type)
    if mime and mime not in _HTML_TYPES:
        return None

    headers = record.rec_headers
    record_id = _header(headers, "WARC-Record-ID")
    locator = f"record {record_id}" if record_id else f"offset {offset}"
    url = _header(headers, "WARC-Target-URI")
    url = url.strip("<>") if url else None
    try:
        payload = record.raw_stream.read(_MAX_PAGE_BYTES + 1)
    except _WARC_ERRORS as exc:
        raise _Broken(str(exc) or type(exc).__name__) from exc
    digest = _digest_hex(_header(headers, "WARC-Payload-Digest"))
    sha256 = digest or hashlib.sha256(payload).hexdigest()
    where = f"{locator} ({url})" if url else locator
    if len(payload) > _MAX_PAGE_BYTES:
        error = ParseError(f"{where}: page larger than {_MAX_PAGE_BYTES >> 20} MB", raw.path)
        return Record(locator=locator, sha256=sha256, error=error)
    missing = getattr(record.raw_stream, "limit", 0)
    if isinstance(missing, int) and missing > 0:
        # The record's Content-Length promised more than the file holds: a cut-off download.
        error = ParseError(f"{where}: the archive breaks off inside this record", raw.path)
        return Record(locator=locator, sha256=sha256, error=error)
    try:
        body = _decoded(payload, http_headers if kind == "response" else None)
    except _WARC_ERRORS as exc:
        error = ParseError(f"{where}: cannot decode the HTTP payload ({exc})", raw.path)
        return Record(locator=locator, sha256=sha256, error=error)
    if not mime and _HTML_START_RE.match(body[:4096]) is None:
        return None  # no declared type, and it does not start like a page
    body = _with_declared_charset(body, content_type)

    fetched_at = _warc_date(_header(headers, "WARC-Date"))
    from newsdb.parsers.html import parse_html  # imported late: the HTML parser is heavy

    try:
        article = parse_html(body, path=raw.path, url=url, fetched_at=fetched_at)
    except ParseError as exc:
        # Say which page of the archive it was; keep the class (NotAnArticle stays one).
        error = type(exc)(f"{where}: {exc.reason}", raw.path)
        return Record(locator=locator, sha256=sha256, error=error)
    article = replace(article, format=Format.WARC, fetched_at=article.fetched_at or fetched_at)
    return Record(locator=locator, sha256=sha256, article=article)


def _open(raw: RawPage) -> IO[bytes]:
    try:
        return raw.path.open("rb")
    except FileNotFoundError:
        if raw.data:  # a page built in memory (tests, callers that already hold the bytes)
            return io.BytesIO(raw.data)
        raise ParseError("no such file", raw.path) from None
    except PermissionError as exc:
        raise ParseError("permission denied", raw.path) from exc
    except OSError as exc:
        raise ParseError(f"cannot read file: {exc.strerror or exc}", raw.path) from exc


def parse_warc_records(raw: RawPage) -> Iterator[Record]:
    """Read a WARC file (``.warc`` or ``.warc.gz``) into article records, streaming it.

    Args:
        raw: The archive. It is read from ``raw.path``; ``raw.data`` may be empty (it is
            used only when the path does not exist).

    Yields:
        One record per HTML page captured with status 200, located "record <WARC-Record-ID>"
        and keyed by the SHA-256 of the HTTP payload (the archive's own ``sha256:``
        payload digest when it has one). A page that is not an article carries the
        :class:`~newsdb.errors.NotAnArticle` of the HTML parser. When the archive breaks
        off partway (a truncated download), a last record located "offset N" carries the
        :class:`~newsdb.errors.ParseError`.

    Raises:
        ParseError: The file cannot be opened, is empty, or is not a WARC file.
    """
    with _open(raw) as stream:
        if not stream.read(1):
            raise ParseError("empty file", raw.path)
        stream.seek(0)
        done = 0
        try:
            for result in _read(stream, raw, skip=0):
                done += 1
                yield result
            return
        except _NonChunkedGzip:
            pass
        # The whole archive was gzipped as one stream ("gzip file.warc") rather than one gzip
        # member per record: valid data, which warcio refuses. Read it decompressed.
        stream.seek(0)
        with gzip.open(stream, "rb") as plain:
            yield from _read(plain, raw, skip=done)


class _NonChunkedGzip(Exception):
    """warcio met a gzip member holding several records."""


class _Broken(Exception):
    """The archive cannot be read on from here (a truncated or corrupt record)."""


def _read(stream: IO[bytes] | gzip.GzipFile, raw: RawPage, *, skip: int) -> Iterator[Record]:
    """The records of an open archive, the first ``skip`` pages left out (already read)."""
    iterator = ArchiveIterator(stream)
    pages = 0
    first = True
    while True:
        offset = int(getattr(iterator, "offset", 0) or 0)
        failure: Exception | None = None
        try:
            record = next(iterator)
        except StopIteration:
            if first and not skip:
                # Any WARC starts with a record; gzip or text without one is something else.
                raise ParseError("not a WARC file (no WARC record in it)", raw.path) from None
            return
        except _WARC_ERRORS as exc:
            failure = exc
        else:
            try:
                result = _record(record, raw, offset)
            except _Broken as exc:
                failure = exc
        if failure is not None:
            text = str(failure).strip()
            reason = text.splitlines()[0] if text else type(failure).__name__
            if isinstance(failure, ArchiveLoadFailed) and "non-chunked gzip" in text:
                raise _NonChunkedGzip from failure
            if first:
                raise ParseError(f"not a WARC file ({reason})", raw.path) from failure
            error = ParseError(f"offset {offset}: the archive breaks off here ({reason})", raw.path)
            digest = hashlib.sha256(f"{raw.sha256}:{offset}".encode()).hexdigest()
            yield Record(locator=f"offset {offset}", sha256=digest, error=error)
            return
        first = False
        if result is None:
            continue
        pages += 1
        if pages > skip:
            yield result
