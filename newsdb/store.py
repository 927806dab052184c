"""Writing parsed articles to the database: get-or-create by natural key.

Functions here take a session and never commit, roll back or close it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import __version__
from .models import Article, Outlet, OutletKind
from .parsers.base import ParsedArticle, RawPage

_SPACES = re.compile(r"\s+")


class SaveStatus(enum.StrEnum):
    """What saving one page did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """The article row a page maps to, and what happened to it."""

    article_id: int
    status: SaveStatus


def outlet_key(name: str) -> str:
    """The natural key of an outlet name: case-folded, whitespace collapsed."""
    return _SPACES.sub(" ", name).strip().casefold()


def resolve_outlet(session: Session, name: str, kind: OutletKind) -> Outlet:
    """Return the outlet row for ``name``, creating it if needed.

    An existing row keeps the kind it was created with, except that a plain
    publisher row is promoted when the same name is later seen as an agency or
    broadcaster (a more specific fact).
    """
    key = outlet_key(name)
    outlet = session.scalars(select(Outlet).where(Outlet.key == key)).one_or_none()
    if outlet is None:
        outlet = Outlet(key=key, name=_SPACES.sub(" ", name).strip(), kind=kind.value)
        session.add(outlet)
        session.flush()
    elif outlet.kind == OutletKind.PUBLISHER.value and kind != OutletKind.PUBLISHER:
        outlet.kind = kind.value
    return outlet


def find_by_hash(session: Session, sha256: str) -> Article | None:
    """The article stored from a file with these exact bytes, if any."""
    return session.scalars(select(Article).where(Article.content_sha256 == sha256)).one_or_none()


def save_article(
    session: Session, raw: RawPage, parsed: ParsedArticle, *, source_path: str
) -> SaveResult:
    """Store one parsed page, idempotently.

    The file's byte hash is the natural key: the same bytes again change nothing
    (``unchanged`` from the same path, ``duplicate`` from another). A file
    whose path is already stored but whose bytes changed updates that article in
    place (``updated``). Anything else is ``added``.

    Args:
        session: The session to write through (the caller owns the transaction).
        raw: The file as read.
        parsed: What the parser found in it.
        source_path: The path recorded as the article's provenance.

    Returns:
        The article's id and what happened.
    """
    existing = find_by_hash(session, raw.sha256)
    if existing is not None:
        status = (
            SaveStatus.UNCHANGED if existing.source_path == source_path else SaveStatus.DUPLICATE
        )
        return SaveResult(existing.id, status)

    outlet = resolve_outlet(session, parsed.outlet, OutletKind.PUBLISHER) if parsed.outlet else None
    agency = resolve_outlet(session, parsed.agency, OutletKind.AGENCY) if parsed.agency else None
    fields = {
        "headline": parsed.headline,
        "standfirst": parsed.standfirst,
        "body": parsed.body,
        "section": parsed.section,
        "byline": parsed.byline,
        "dateline_place": parsed.dateline_place,
        "published_on": parsed.published_on,
        "published_at": parsed.published_at,
        "url": parsed.url,
        "language": parsed.language,
        "word_count": len(parsed.body.split()),
        "outlet_id": outlet.id if outlet else None,
        "agency_id": agency.id if agency else None,
        "source_path": source_path,
        "source_format": parsed.format.value,
        "content_sha256": raw.sha256,
        "importer_version": __version__,
    }
    previous = session.scalars(
        select(Article).where(Article.source_path == source_path).order_by(Article.id)
    ).first()
    if previous is not None:
        for name, value in fields.items():
            setattr(previous, name, value)
        previous.imported_at = func.now()
        session.flush()
        return SaveResult(previous.id, SaveStatus.UPDATED)
    article = Article(**fields)
    session.add(article)
    session.flush()
    return SaveResult(article.id, SaveStatus.ADDED)
