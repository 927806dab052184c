"""Engines, sessions and schema upgrades. The only module (with alembic/env.py)
that creates engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from . import ranking
from .config import database_url
from .errors import ConfigError, SchemaOutOfDate

__all__ = [
    "Session",
    "alembic_config",
    "current_revision",
    "head_revision",
    "make_engine",
    "make_session_factory",
    "upgrade",
    "require_current_schema",
]

# Seconds a SQLite writer waits for another writer's lock before giving up.
SQLITE_BUSY_TIMEOUT = 30
SQLITE_PAGE_SIZE = 16384
# PostgreSQL advisory lock keys: one migration at a time, one writer at a time.
MIGRATION_LOCK = 0x6E657773  # "news"
WRITER_LOCK = 0x6E657778


def make_engine(url: str | None = None, *, enforce_fks: bool = True, echo: bool = False) -> Engine:
    """Create an engine for a newsdb database.

    On SQLite this turns on foreign keys (unless ``enforce_fks`` is false, as
    the migrations need), WAL journaling and ``synchronous=NORMAL`` for files, and
    makes SAVEPOINTs nest correctly: pysqlite's own transaction handling is
    switched off and SQLAlchemy emits ``BEGIN`` itself (the SQLAlchemy
    "Serializable isolation / Savepoints / Transactional DDL" recipe, which also
    works on Python 3.11).

    Args:
        url: An SQLAlchemy URL or a path to a SQLite file; see
            :func:`newsdb.config.database_url` for the default.
        enforce_fks: Turn on ``PRAGMA foreign_keys`` on SQLite.
        echo: Log SQL.

    Returns:
        The engine.

    Raises:
        ConfigError: The URL cannot be parsed or names a driver that is missing.
    """
    resolved = database_url(url)
    try:
        parsed = make_url(resolved)
    except Exception as exc:  # sqlalchemy raises ArgumentError; say it plainly
        raise ConfigError(f"not a database URL or path: {resolved!r}") from exc
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().resolve().parent
            if not folder.is_dir():
                raise ConfigError(f"folder for the database does not exist: {folder}")
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT}
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # psycopg 3 is the driver we install; psycopg2 is not a dependency.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(parsed, **kwargs)
    except ModuleNotFoundError as exc:
        raise ConfigError(f"database driver not installed for {parsed.drivername}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(
            engine,
            enforce_fks=enforce_fks,
            is_file=bool(parsed.database) and parsed.database != ":memory:",
        )
    return engine


def _configure_sqlite(engine: Engine, *, enforce_fks: bool, is_file: bool) -> None:
    # Before the engine's first connection: the search's ranking function (newsdb.ranking).
    ranking.install()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so SAVEPOINT works.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enforce_fks else 'OFF'}")
        if is_file:
            # Larger pages suit long text rows and the full-text index; the
            # setting only takes effect on a new, empty file.
            cursor.execute(f"PRAGMA page_size={SQLITE_PAGE_SIZE}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer asks for the write lock up front (execution option
        # sqlite_begin="IMMEDIATE"): a read transaction that later wants to write
        # fails at once under WAL when another writer got there first, where
        # waiting for the lock at BEGIN honours the busy timeout.
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine`` (objects survive commit)."""
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "alembic", here / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise ConfigError(f"cannot find the Alembic migrations next to {here}")


def alembic_config(connection: Any | None = None) -> Any:
    """Build an Alembic ``Config`` for newsdb's migrations.

    Args:
        connection: A SQLAlchemy connection for ``env.py`` to use instead of
            creating its own engine.

    Returns:
        An ``alembic.config.Config``.
    """
    from alembic.config import Config

    folder = _alembic_dir()
    ini = folder.parent / "alembic.ini"
    cfg = Config(str(ini)) if ini.is_file() else Config()
    cfg.set_main_option("script_location", str(folder))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest schema revision this version of newsdb knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database's schema to ``revision`` (default: the newest).

    An empty database gets the whole schema; one at an older revision is
    upgraded in place, never recreated. Idempotent.
    """
    from alembic import command

    if revision == "head" and current_revision(engine) == head_revision():
        return  # nothing to do, and no write lock taken
    # Batch migrations drop and recreate tables, which foreign keys would block,
    # so the migration connection runs with them off (on SQLite). The PRAGMA is a
    # no-op inside a transaction, so it goes to the raw connection before BEGIN.
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        raw: Any = conn.connection.dbapi_connection
        fks_were_on = bool(raw.execute("PRAGMA foreign_keys").fetchone()[0]) if sqlite else False
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            # Two processes upgrading one database at once: the second waits for
            # the first (SQLite: the write lock taken at BEGIN; PostgreSQL: an
            # advisory lock), then finds the schema at head and does nothing.
            locked = conn.execution_options(sqlite_begin="IMMEDIATE")
            with locked.begin():
                if not sqlite:
                    locked.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
                command.upgrade(alembic_config(locked), revision)
        finally:
            if fks_were_on:
                raw.execute("PRAGMA foreign_keys=ON")


def require_current_schema(engine: Engine) -> None:
    """Raise unless the database exists and is at the newest revision.

    Raises:
        SchemaOutOfDate: The database is empty or older than this newsdb.
    """
    database = engine.url.database
    if (
        engine.dialect.name == "sqlite"
        and database
        and database != ":memory:"
        and not database.startswith("file:")
        and not Path(database).expanduser().exists()
    ):
        # Connecting would create an empty file; a lookup must not.
        raise SchemaOutOfDate(
            f"no newsdb database at {database}; run `newsdb init` or `newsdb import`"
        )
    current = current_revision(engine)
    if current is None:
        if not inspect(engine).has_table("articles"):
            raise SchemaOutOfDate(
                f"no newsdb database at {engine.url.render_as_string()}; "
                "run `newsdb init` or `newsdb import`"
            )
    head = head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"database at {engine.url.render_as_string()} is at revision {current}, "
            f"this newsdb needs {head}; run `newsdb init` to upgrade it"
        )
