"""The relational schema: SQLAlchemy 2.0 typed declarative models, no business logic.

The Alembic revisions in ``alembic/versions`` build exactly this schema (a test
compares them); the full-text index is not modelled here because it is
dialect-specific (SQLite FTS5 table ``articles_fts``, PostgreSQL GIN index
``ix_articles_fts``) and lives only in the migrations.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention every constraint follows."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OutletKind(enum.StrEnum):
    """What kind of organisation an outlet is."""

    PUBLISHER = "publisher"
    AGENCY = "agency"
    BROADCASTER = "broadcaster"
    OTHER = "other"


OUTLET_KINDS = tuple(k.value for k in OutletKind)


class Outlet(Base):
    """A publisher, news agency or broadcaster.

    ``key`` is the natural key: the name case-folded with whitespace collapsed,
    so "AFP" printed in two places is one row.
    """

    __tablename__ = "outlets"
    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in OUTLET_KINDS) + ")", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default=OutletKind.PUBLISHER.value)
    domain: Mapped[str | None] = mapped_column(String(253))


class Article(Base):
    """One article as found in one source file.

    The natural key is ``content_sha256`` (the hash of the source file's bytes):
    importing the same bytes again changes nothing.
    """

    __tablename__ = "articles"
    __table_args__ = (Index("ix_articles_outlet_id_published_on", "outlet_id", "published_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    headline: Mapped[str] = mapped_column(Text)
    standfirst: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(String(200))
    byline: Mapped[str | None] = mapped_column(String(500))
    dateline_place: Mapped[str | None] = mapped_column(String(200))
    # A calendar day (ISO text on SQLite, so date()/strftime() work on it).
    published_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # The instant, in UTC, when the page gives a time as well as a day.
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Not unique: two saves of one URL with different bytes are two rows until
    # versions of an article are modelled (a later revision).
    url: Mapped[str | None] = mapped_column(Text, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    # Indexed by the composite (outlet_id, published_on) index above.
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    # Provenance: where the row came from and what made it.
    source_path: Mapped[str] = mapped_column(Text, index=True)
    source_format: Mapped[str] = mapped_column(String(16))
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    importer_version: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )

    outlet: Mapped[Outlet | None] = relationship(foreign_keys=[outlet_id])
    agency: Mapped[Outlet | None] = relationship(foreign_keys=[agency_id])
    people: Mapped[list[ArticlePerson]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    topics: Mapped[list[ArticleTopic]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class Person(Base):
    """One real person, under the fullest name seen (``name``)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Topic(Base):
    """A subject in the taxonomy (a two-level tree through ``parent_id``)."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    iptc_code: Mapped[str | None] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"), index=True)


class ArticlePerson(Base):
    """A person mentioned in an article, with how often, where first, and as what.

    ``published_on`` is copied from the article so that "latest articles of a
    person" is answered from one index without touching ``articles``.
    """

    __tablename__ = "article_people"
    __table_args__ = (
        Index(
            "ix_article_people_person_id_published_on",
            "person_id",
            "published_on",
            "article_id",
        ),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    mention_count: Mapped[int] = mapped_column(Integer, default=1)
    first_offset: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(String(300))
    published_on: Mapped[dt.date | None] = mapped_column(Date)

    article: Mapped[Article] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()


class ArticleTopic(Base):
    """A topic assigned to an article, with its score and how it was assigned."""

    __tablename__ = "article_topics"
    __table_args__ = (Index("ix_article_topics_topic_id_article_id", "topic_id", "article_id"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float, default=0.0)
    method: Mapped[str] = mapped_column(String(32), default="rule")

    article: Mapped[Article] = relationship(back_populates="topics")
    topic: Mapped[Topic] = relationship()
