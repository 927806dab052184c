"""Alembic environment for newsdb.

Uses the connection newsdb hands over in ``config.attributes["connection"]``
(``newsdb.db.upgrade``, the tests); otherwise it opens the database named by
``alembic -x db=URL``, else ``newsdb.config.database_url()``.
"""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from sqlalchemy.engine import Connection

from alembic import context
from newsdb.db import make_engine
from newsdb.models import Base

config = context.config
target_metadata = Base.metadata

# Tables and indexes that exist only in the migrations (dialect-specific
# full-text search): autogenerate and `alembic check` must not see them.
FTS_PREFIXES = ("articles_fts", "ix_articles_fts")


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Skip the FTS shadow tables and indexes in comparisons."""
    return not (name and name.startswith(FTS_PREFIXES))


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_server_default=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    raise SystemExit("newsdb migrations run online only (they are dialect-aware).")


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    url = context.get_x_argument(as_dictionary=True).get("db")
    engine = make_engine(url, enforce_fks=False)
    try:
        with engine.connect() as conn:
            run_with(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
