"""Fields a user supplies for files that lack them: sidecar files and manifest CSVs.

A **sidecar** is a JSON object in a file named after the article file with
``.meta.json`` added (``story.html`` → ``story.html.meta.json``). A **manifest**
is a CSV file given with ``newsdb import --manifest FILE``: a ``path`` column
(relative to the manifest's folder, or absolute) and any of the field columns;
an empty cell sets nothing. When both name a file, the sidecar wins, field by
field.

Fields (case-insensitive names, with their aliases): ``url``, ``outlet``,
``date`` (also ``published``, ``published_on``: any date the importer reads),
``headline`` (also ``title``), ``section``, ``byline`` (also ``author``),
``agency``, ``dateline_place`` (also ``place``), ``language``. A value given this
way replaces what the parser found, and the article's ``field_methods`` say
``override`` for it. A file with several records (JSON Lines, a feed, a WARC)
gets the values on every record.

The values are part of the article's identity: the stored hash is the file's
bytes' hash combined with the values, so editing a sidecar and importing again
updates the article instead of leaving it unchanged.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ParseError
from .parsers.base import ParsedArticle
from .parsers.fields import date_fields, language_code, parse_when

__all__ = [
    "FIELDS",
    "SIDECAR_SUFFIX",
    "Overrides",
    "apply_overrides",
    "is_sidecar",
    "override_sha",
    "read_manifest",
    "read_sidecar",
    "sidecar_of",
]

SIDECAR_SUFFIX = ".meta.json"
# Accepted names -> the field they set.
FIELDS: dict[str, str] = {
    "url": "url",
    "outlet": "outlet",
    "date": "date",
    "published": "date",
    "published_on": "date",
    "headline": "headline",
    "title": "headline",
    "section": "section",
    "byline": "byline",
    "author": "byline",
    "agency": "agency",
    "dateline_place": "dateline_place",
    "place": "dateline_place",
    "language": "language",
}
_MAX_SIDECAR = 1 << 20  # bytes: a sidecar holds a few fields, not an article

# A file's overrides: field -> value (already checked).
Overrides = dict[str, str]


def sidecar_of(path: Path) -> Path:
    """The sidecar file that would go with ``path``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """True for a file named like a sidecar (``*.meta.json``)."""
    return path.name.lower().endswith(SIDECAR_SUFFIX) and len(path.name) > len(SIDECAR_SUFFIX)


def sidecar_target(path: Path) -> Path:
    """The article file a sidecar belongs to."""
    return path.with_name(path.name[: -len(SIDECAR_SUFFIX)])


def _check(values: Mapping[str, object], where: str) -> Overrides:
    """Map accepted names to fields; refuse unknown names and unreadable values."""
    out: Overrides = {}
    for name, raw in values.items():
        field = FIELDS.get(str(name).strip().lower())
        if field is None:
            known = ", ".join(sorted(set(FIELDS)))
            raise ParseError(f"{where}: unknown field {name!r} (known: {known})")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise ParseError(f"{where}: field {name!r} must be text")
        value = str(raw).strip()
        if field == "date" and parse_when(value) is None:
            raise ParseError(f"{where}: {name} {value!r} is not a date")
        if field == "language" and language_code(value) is None:
            raise ParseError(f"{where}: {name} {value!r} is not a language code")
        out[field] = value
    return out


def read_sidecar(path: Path) -> Overrides | None:
    """The overrides in ``path``'s sidecar, or None when it has none.

    Raises:
        ParseError: The sidecar exists but cannot be used (names the sidecar and why).
    """
    side = sidecar_of(path)
    try:
        with side.open("rb") as handle:
            data = handle.read(_MAX_SIDECAR + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ParseError(f"sidecar {side}: cannot read it ({exc.strerror})") from exc
    if len(data) > _MAX_SIDECAR:
        raise ParseError(f"sidecar {side}: larger than {_MAX_SIDECAR} bytes")
    try:
        values = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"sidecar {side}: not valid JSON ({exc})") from exc
    if not isinstance(values, dict):
        raise ParseError(f"sidecar {side}: must hold one JSON object")
    return _check(values, f"sidecar {side}")


def read_manifest(manifest: Path) -> dict[Path, Overrides]:
    """Read a manifest CSV: absolute file path -> overrides.

    Raises:
        ParseError: The manifest cannot be read, has no ``path`` column, an
            unknown column, or a bad value (with its line number).
    """
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(f"cannot read it: {exc}", manifest) from exc
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "path" not in columns:
        raise ParseError("no 'path' column", manifest)
    base = manifest.absolute().parent
    out: dict[Path, Overrides] = {}
    for line, row in enumerate(reader, start=2):
        cells = {k.strip().lower(): v for k, v in row.items() if k is not None}
        where = f"{manifest}, line {line}"
        name = (cells.pop("path", "") or "").strip()
        if not name:
            raise ParseError(f"{where}: empty path")
        if None in row:
            raise ParseError(f"{where}: more cells than columns")
        out[_key(base / name)] = _check(cells, where)
    return out


def _key(path: Path) -> Path:
    """How a file is looked up in a manifest: its absolute path, symbolic links kept."""
    return Path(path).absolute()


def manifest_entry(manifests: Mapping[Path, Overrides], path: Path) -> Overrides | None:
    """The manifest's overrides for ``path``, if any."""
    return manifests.get(_key(path)) if manifests else None


def override_sha(sha256: str, values: Overrides) -> str:
    """The record's hash combined with the values that override its fields."""
    blob = json.dumps(values, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(sha256.encode("ascii") + b"\0" + blob).hexdigest()


def apply_overrides(article: ParsedArticle, values: Overrides) -> ParsedArticle:
    """Return ``article`` with the fields of ``values`` replaced (methods: ``override``)."""
    changes: dict[str, Any] = {}
    methods = dict(article.field_methods)
    for field, value in values.items():
        if field == "date":
            changes["published_on"], changes["published_at"] = date_fields(parse_when(value))
            methods["published_on"] = "override"
            continue
        changes[field] = language_code(value) if field == "language" else value
        methods[field] = "override"
    return dataclasses.replace(article, **changes, field_methods=tuple(sorted(methods.items())))
