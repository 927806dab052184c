"""The relational schema: SQLAlchemy 2.0 typed declarative models, no business logic.

The Alembic revisions in ``alembic/versions`` build exactly this schema (a test
compares them); the full-text index is not modelled here because it is
dialect-specific (on SQLite the FTS5 table ``articles_fts``, on PostgreSQL the
table ``articles_fts`` of search vectors with its GIN index and the triggers on
``articles`` that fill it) and lives only in the migrations.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    BigInteger,
    Boolean,
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
    UniqueConstraint,
    false,
    func,
    text,
    true,
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

# The mentions in ix_article_people_one_word_names (revision 0010). A query that means to
# use the index repeats this condition word for word: SQLite takes a partial index only for
# a WHERE that contains its condition as written.
ONE_WORD_NAME = "mentioned_as NOT LIKE '% %'"


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
    # How many boilerplate lines have been learnt for this outlet (see OutletLine);
    # an article whose boilerplate_checked is lower is cleaned again.
    boilerplate_version: Mapped[int] = mapped_column(Integer, server_default="0")


class Article(Base):
    """One article as found in one source file.

    The natural key is ``content_sha256`` (the hash of the source file's bytes):
    importing the same bytes again changes nothing.
    """

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_outlet_id_published_on", "outlet_id", "published_on"),
        # An agency's articles newest first (revision 0003; newsdb.query). Only the articles
        # credited to an agency (revision 0009): the rest, two thirds in the benchmark, went
        # in at a random place under a NULL key. Every lookup says agency_id = ? or IS NOT
        # NULL, which both backends read as implying the condition.
        Index(
            "ix_articles_agency_id_published_on",
            "agency_id",
            "published_on",
            sqlite_where=text("agency_id IS NOT NULL"),
            postgresql_where=text("agency_id IS NOT NULL"),
        ),
        # Articles still to clean of their outlet's learnt boilerplate (revision 0004).
        Index("ix_articles_outlet_id_boilerplate_checked", "outlet_id", "boilerplate_checked"),
        # The older versions (a few percent of rows), which every lookup leaves out: read
        # from this small index alone instead of the rows (revision 0004).
        Index(
            "ix_articles_older_versions",
            "id",
            sqlite_where=text("is_latest = 0"),
            postgresql_where=text("is_latest = false"),
        ),
        UniqueConstraint("url_key", "version"),
    )

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
    # Indexed, where not NULL, by the composite (agency_id, published_on) index above.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"))
    # Provenance: where the row came from and what made it.
    source_path: Mapped[str] = mapped_column(Text, index=True)
    source_format: Mapped[str] = mapped_column(String(16))
    content_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    importer_version: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # Where in a multi-record file (JSON Lines line, feed entry, WARC record)
    # the article came from; NULL for one-article files.
    source_locator: Mapped[str | None] = mapped_column(String(300))
    # The import run that stored this version of the row.
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_runs.id", ondelete="SET NULL"), index=True
    )
    # How each field was found: JSON object {"headline": "structured", ...}.
    field_methods: Mapped[str | None] = mapped_column(Text)
    # When the page was fetched (WARC date, a scraper's download time).
    fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # A feed entry without full text: headline and link only.
    is_stub: Mapped[bool] = mapped_column(Boolean, server_default=false())
    # Versions: the normalised canonical URL; the same URL with new content is
    # a new row with the next version number, and only the newest is latest.
    url_key: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    is_latest: Mapped[bool] = mapped_column(Boolean, server_default=true(), index=True)
    # The story (cluster of near-duplicate texts across outlets) it belongs to.
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )
    story_similarity: Mapped[float | None] = mapped_column(Float)
    # Lines dropped from the body as its outlet's learnt boilerplate (JSON list),
    # and the outlet's boilerplate_version the body was last checked against.
    boilerplate: Mapped[str | None] = mapped_column(Text)
    boilerplate_checked: Mapped[int] = mapped_column(Integer, server_default="0")

    outlet: Mapped[Outlet | None] = relationship(foreign_keys=[outlet_id])
    agency: Mapped[Outlet | None] = relationship(foreign_keys=[agency_id])
    people: Mapped[list[ArticlePerson]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )
    topics: Mapped[list[ArticleTopic]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class Person(Base):
    """One real person, under the fullest name seen (``name``).

    ``ambiguous`` marks a short form ("Putin") that fits two or more known
    people: it keeps its own row rather than being guessed.
    """

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    ambiguous: Mapped[bool] = mapped_column(Boolean, server_default=false())


class PersonAlias(Base):
    """A form of a person's name seen in some article ("Putin", "Vladimir Putin")."""

    __tablename__ = "person_aliases"
    __table_args__ = (UniqueConstraint("person_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200))
    # The alias case-folded, whitespace collapsed: what lookups compare.
    key: Mapped[str] = mapped_column(String(200), index=True)


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
        # A one-word written name's mentions, for the writer when it binds the name to
        # another person (revision 0010: a fuller name's mentions are found by its person;
        # every mention went into the whole index at a random place).
        Index(
            "ix_article_people_one_word_names",
            "mentioned_as",
            "person_id",
            sqlite_where=text(ONE_WORD_NAME),
            postgresql_where=text(ONE_WORD_NAME),
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
    # The fullest form the article itself uses ("Putin" when it never says
    # "Vladimir Putin"); which person it is can change as the database learns.
    mentioned_as: Mapped[str | None] = mapped_column(String(200))
    # Every form of the name the article uses, as a JSON list ("Vladimir
    # Putin", "Putin"): the person's aliases are the union over their mentions.
    forms: Mapped[str | None] = mapped_column(Text)

    article: Mapped[Article] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()


class PersonName(Base):
    """Each name as articles write it: the person it is bound to and how many mentions use it.

    What ``SELECT mentioned_as, max(person_id), count(*) FROM article_people GROUP BY
    mentioned_as`` gives, kept by the import writer in the same transactions as the
    mentions themselves (revision 0008). A writer reads it whole when it starts and each
    time another writer has committed; counting the mentions instead read the whole name
    index of ``article_people`` each time, 0.8 s at a million articles.
    """

    __tablename__ = "person_names"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # Mentions (article_people rows) written with this name.
    articles: Mapped[int] = mapped_column(Integer)


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


class OutletRole(enum.StrEnum):
    """How an outlet relates to an article."""

    PUBLISHER = "publisher"
    AGENCY = "agency"
    CITED = "cited"


OUTLET_ROLES = tuple(r.value for r in OutletRole)


class ArticleOutlet(Base):
    """An outlet linked to an article: its publisher, its wire agency, or a source it cites."""

    __tablename__ = "article_outlets"
    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in OUTLET_ROLES) + ")", name="role"),
        Index("ix_article_outlets_outlet_id_role_article_id", "outlet_id", "role", "article_id"),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    outlet_id: Mapped[int] = mapped_column(
        ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class Quote(Base):
    """A direct quotation in an article and who said it.

    The speaker is a person row, or an outlet (a broadcaster quoted as a
    source), or only a name (an organisation), or unknown.
    """

    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_person_id_article_id", "person_id", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    # The speaker as the article names them (fullest form), if known.
    speaker: Mapped[str | None] = mapped_column(String(300))
    speaker_kind: Mapped[str | None] = mapped_column(String(16))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    outlet_id: Mapped[int | None] = mapped_column(
        ForeignKey("outlets.id", ondelete="SET NULL"), index=True
    )
    cue: Mapped[str | None] = mapped_column(String(32))
    # Character offset in the article text (headline, standfirst, body joined
    # by blank lines).
    start_offset: Mapped[int] = mapped_column(Integer)


class ImportRun(Base):
    """One ``newsdb import``: when, what, with which options, and what came of it."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # "running", "done" (every file ok), "failed" (some file failed), "interrupted".
    status: Mapped[str] = mapped_column(String(16))
    paths: Mapped[str] = mapped_column(Text)  # JSON list of the paths given
    options: Mapped[str] = mapped_column(Text)  # JSON object of the options
    importer_version: Mapped[str] = mapped_column(String(32))
    added: Mapped[int] = mapped_column(Integer, server_default="0")
    updated: Mapped[int] = mapped_column(Integer, server_default="0")
    unchanged: Mapped[int] = mapped_column(Integer, server_default="0")
    duplicate: Mapped[int] = mapped_column(Integer, server_default="0")
    skipped: Mapped[int] = mapped_column(Integer, server_default="0")
    failed: Mapped[int] = mapped_column(Integer, server_default="0")


class ImportFile(Base):
    """What one run did with one file (or one record of a multi-record file).

    Unchanged files are not listed; failures are, so that
    ``newsdb import --retry-failed`` can find them.
    """

    __tablename__ = "import_files"
    __table_args__ = (Index("ix_import_files_path_run_id", "path", "run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("import_runs.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(Text)
    locator: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))


class Story(Base):
    """Articles that tell one story: the same wire copy on several sites, lightly edited."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The headline of the story's first article, for people reading the table.
    label: Mapped[str] = mapped_column(Text)


class ArticleBand(Base):
    """The smallest hashes of an article's word shingles (a bottom-k sketch).

    ``band`` is the rank (0 = smallest), ``bucket`` the hash. Two articles
    sharing a bucket are candidates for the same story; the candidates are then
    compared on their text.
    """

    __tablename__ = "article_bands"
    # A bucket's newest holders read from the index alone, however many hold it (a stock
    # phrase's hash can be in hundreds of thousands of sketches).
    __table_args__ = (Index("ix_article_bands_bucket_article_id", "bucket", "article_id"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger)


class OutletLine(Base):
    """How many of an outlet's pages carry a body line (its hash), and whether it is boilerplate.

    Only lines that may be furniture are counted (see :mod:`newsdb.boilerplate`).
    A line seen on enough distinct pages of one outlet is ``learnt``: it is
    dropped from every body of that outlet, and its text kept here.
    """

    __tablename__ = "outlet_lines"
    __table_args__ = {"sqlite_with_rowid": False}

    outlet_id: Mapped[int] = mapped_column(
        ForeignKey("outlets.id", ondelete="CASCADE"), primary_key=True
    )
    line_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    pages: Mapped[int] = mapped_column(Integer, server_default="0")
    learnt: Mapped[bool] = mapped_column(Boolean, server_default=false())
    text: Mapped[str | None] = mapped_column(Text)
    learnt_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_runs.id", ondelete="SET NULL")
    )


class OutletLineSighting(Base):
    """One page's candidate furniture line, logged by the writer and folded into ``outlet_lines``.

    Appending a row costs the same whatever the size of the database, where
    counting each line in ``outlet_lines`` as it comes rewrites pages all over
    that (large, hash-ordered) table at every batch. At the end of a run the
    sightings are counted into ``outlet_lines`` in one sorted pass and deleted
    (see :mod:`newsdb.boilerplate`); a run killed before that point leaves them
    for the next run (revision 0005).
    """

    __tablename__ = "outlet_line_sightings"

    id: Mapped[int] = mapped_column(primary_key=True)
    outlet_id: Mapped[int] = mapped_column(ForeignKey("outlets.id", ondelete="CASCADE"))
    line_hash: Mapped[int] = mapped_column(BigInteger)


class WriterState(Base):
    """One row: a counter every import writer bumps when it commits a change.

    A writer that finds the counter moved since its own last write knows another
    writer changed the database (even by only removing mentions) and reloads its
    caches of outlets, people and name bindings (revision 0004).

    ``lines_learnt_from``: every line of ``outlet_lines`` on at least this many pages
    is learnt (NULL: not known), so the end of a run need only check the lines it
    counted (:mod:`newsdb.boilerplate`, revision 0011).
    """

    __tablename__ = "writer_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, server_default="0")
    lines_learnt_from: Mapped[int | None] = mapped_column(Integer)
