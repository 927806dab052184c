"""The SQLite search's ranking function: ``newsdb_bm25`` where it is built, ``bm25`` otherwise.

FTS5's ``bm25()`` counts each phrase's documents by walking the phrase's whole doclist,
once per statement: at a million articles, 22-25 ms for a common word, whatever the
statement's bound on the rows it ranks. ``newsdb_bm25`` (C, ``newsdb/_rank.c``) gives the
same scores but estimates a phrase's document count from its first :data:`RANK_SAMPLE`
matches (exact below that). ``setup.py`` builds it where a C compiler and SQLite's header
are found; without it, or when it was built from another version of ``_rank.c``, or under
``NEWSDB_PURE=1``, the search ranks with ``bm25()`` and finds the same articles.

The function exists only on connections newsdb opens in its own process: a view or an
index never uses it, and any sqlite3 shell runs the same search with ``bm25()``
(docs/queries.sql).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sqlite3
from pathlib import Path
from typing import Any

__all__ = ["ACTIVE", "FUNCTION", "RANK_SAMPLE", "REASON", "available", "install"]

FUNCTION = "newsdb_bm25"
# Matches walked per phrase to estimate its document count (about 40 ns each: 2 ms at
# most); a phrase with fewer matches is counted exactly. The relative error of the estimate
# is about 1 / sqrt(RANK_SAMPLE), 0.45%. With 2,000, two words of about 40,000 articles
# each (a near tie in weight) were often weighed the wrong way round, and an OR of them
# shared 93% of its top 20 with bm25(); with 50,000, 99.8% (docs/performance.md).
RANK_SAMPLE = 50_000

_SOURCE = Path(__file__).resolve().with_name("_rank.c")


def _load() -> tuple[Any, str]:
    """The extension module if it may be used, and why (not)."""
    if os.environ.get("NEWSDB_PURE", "").strip() not in ("", "0"):
        return None, "NEWSDB_PURE is set"
    try:
        _rank = importlib.import_module("newsdb._rank")
    except ImportError:
        return None, "not built"
    try:
        source = hashlib.sha256(_SOURCE.read_bytes()).hexdigest()
    except OSError:  # installed without its source: nothing to compare
        source = _rank.SOURCE_SHA256
    if source != _rank.SOURCE_SHA256:
        return None, "newsdb/_rank.c changed since it was built (make compile)"
    return _rank, "built"


_MODULE, REASON = _load()
_installed = False


def install() -> bool:
    """Add ``newsdb_bm25`` to every SQLite connection opened from now on in this process.

    Connections opened earlier do not get it; :func:`newsdb.db.make_engine` calls this
    before its engine opens any. Returns whether the extension is there to install.
    """
    global _installed
    if _MODULE is None:
        return False
    if not _installed:
        _MODULE.install()
        _installed = True
    return True


ACTIVE = _MODULE is not None


def available(dbapi_connection: Any) -> bool:
    """Whether ``newsdb_bm25`` is registered on this SQLite connection (a DB-API one).

    It is not on a connection opened before :func:`install`, nor where Python's
    ``sqlite3`` module carries its own copy of SQLite rather than the shared library the
    extension was linked with.
    """
    if not ACTIVE:
        return False
    try:
        row = dbapi_connection.execute(
            "SELECT 1 FROM pragma_function_list WHERE name = ?", (FUNCTION,)
        ).fetchone()
    except sqlite3.Error:  # an SQLite older than 3.30 has no pragma_function_list
        return False
    return row is not None
