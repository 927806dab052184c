"""Build newsdb: the workers' hot modules are compiled to C with mypyc where a compiler exists.

Everything else about the package is in pyproject.toml. Parsing and enriching a page is
pure Python that the type annotations already describe exactly, and mypyc turns those
modules into C extensions that run 16% fewer instructions a page, 13-15% less worker CPU
(docs/performance.md, "eleventh round"). The same ``.py`` files stay the source of truth:
without a C compiler, or with ``NEWSDB_COMPILE=0``, the package installs as plain Python
and behaves the same.

``NEWSDB_COMPILE``:

- ``auto`` (default): compile when a C compiler is on the PATH and Python's headers are
  installed; plain Python otherwise, or when mypyc or the C compiler fails.
- ``1``: compile, and fail the build when that is not possible.
- ``0``: never compile.

Where compiling is possible, ``newsdb/_rank.c`` is built too: the SQLite search's ranking
function (``newsdb/ranking.py``), C against SQLite's own library. It does not need mypyc,
and when it alone fails to build (no ``sqlite3.h`` or ``libsqlite3``), the search ranks
with FTS5's ``bm25()`` instead.

An editable install (``pip install -e .``) puts the compiled modules beside their sources.
``newsdb._compiled`` checks at import time that each one was built from the source now in
the tree, and falls back to the plain modules when any was not (see that module).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent

# The modules a worker runs for every page, in dependency order. The records that cross
# process boundaries (parsers/base.py, enrich/_records.py, pipeline.py) stay plain Python:
# their pickling is plain Python's, and the writer reads them.
COMPILED = (
    "newsdb/_case.py",
    "newsdb/parsers/normalize.py",
    "newsdb/parsers/text.py",
    "newsdb/enrich/_text.py",
    "newsdb/enrich/cited.py",
    "newsdb/enrich/quotes.py",
    "newsdb/enrich/people.py",
    "newsdb/enrich/topics.py",
    "newsdb/enrich/stories.py",
)
MANIFEST = HERE / "newsdb" / "_compiled_sources.txt"
# The search's ranking function on SQLite (newsdb/ranking.py): plain C against SQLite's
# library, built whenever compiling is possible, with or without mypyc.
RANK_MODULE = "newsdb._rank"
RANK_SOURCE = "newsdb/_rank.c"


def _mode() -> str:
    mode = os.environ.get("NEWSDB_COMPILE", "auto").strip().lower()
    aliases = {"": "auto", "true": "1", "yes": "1", "on": "1", "false": "0", "no": "0", "off": "0"}
    mode = aliases.get(mode, mode)
    if mode not in {"auto", "0", "1"}:
        sys.exit(f"NEWSDB_COMPILE={mode!r}: expected auto, 1 or 0")
    return mode


def _can_compile() -> bool:
    """A C compiler on the PATH and Python's headers (Debian ships them apart: python3-dev)."""
    cc = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which(cc.split()[0]) is not None and headers.is_file()


def _write_manifest(paths: tuple[str, ...]) -> None:
    """Record the hash of each compiled source, for ``newsdb._compiled`` to compare."""
    lines = [f"{hashlib.sha256((HERE / p).read_bytes()).hexdigest()}  {p}" for p in paths]
    MANIFEST.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


# setuptools runs this file once for each build hook; only these commands build code. The
# others (egg_info, dist_info, sdist...) need no extension modules, and mypyc type-checks
# the whole package each time it is called (half a minute).
BUILDING = {"build", "build_ext", "bdist_wheel", "editable_wheel", "install", "develop"}


def _plain(why: str) -> list[object]:
    MANIFEST.unlink(missing_ok=True)  # so extensions of an earlier build are not used
    print(f"newsdb: {why}; installing as plain Python", file=sys.stderr)
    return []


def _rank_extension() -> Extension:
    """newsdb._rank, stamped with its source's hash (newsdb.ranking ignores a stale build)."""
    digest = hashlib.sha256((HERE / RANK_SOURCE).read_bytes()).hexdigest()
    return Extension(
        RANK_MODULE,
        [RANK_SOURCE],
        libraries=["sqlite3"],
        define_macros=[("NEWSDB_RANK_SOURCE", f'"{digest}"')],
    )


def _ext_modules() -> list[object]:
    if not BUILDING.intersection(sys.argv[1:]):
        return []
    mode = _mode()
    if mode == "0":
        return _plain("NEWSDB_COMPILE=0")
    if mode == "auto" and not _can_compile():
        return _plain("no C compiler or no Python headers")
    os.chdir(HERE)  # mypyc and setuptools take paths relative to the project
    return [*_mypyc_modules(mode), _rank_extension()]


def _mypyc_modules(mode: str) -> list[object]:
    try:
        from mypyc.build import mypycify
    except ImportError:
        if mode == "1":
            raise
        return _plain("mypyc is not installed")
    _write_manifest(COMPILED)
    # The build environment (pip's isolated one) has mypy and numpy, not newsdb's other
    # dependencies: modules outside the package are typed as Any, and the package's other
    # modules, which mypy reads for the names the compiled ones import, are not reported on
    # (`make lint` checks them with everything installed).
    flags = ["--ignore-missing-imports", "--no-warn-unused-ignores", "--follow-imports=silent"]
    try:
        return list(mypycify([*flags, *COMPILED], opt_level="3", group_name="newsdb"))
    except (Exception, SystemExit) as exc:  # mypyc exits on a type error
        if mode == "1":
            raise
        return _plain(f"mypyc failed ({exc})")


class OptionalBuildExt(build_ext):
    """Under NEWSDB_COMPILE=auto, a failed C build installs the plain modules instead.

    The ranking function stands alone: when it fails to build (no ``sqlite3.h``, no
    ``libsqlite3``), the search ranks with ``bm25()`` and the compiled modules stay.
    """

    def build_extension(self, ext: Extension) -> None:
        if ext.name != RANK_MODULE:
            super().build_extension(ext)
            return
        try:
            super().build_extension(ext)
        except Exception as exc:
            if _mode() == "1":
                raise
            print(f"newsdb: {RANK_MODULE} not built ({exc}); search ranks with bm25()")

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:
            if _mode() == "1" or not self.extensions:
                raise
            _plain(f"compiling failed ({exc})")
            # A wheel's copy of the list, made before this step, goes too.
            (Path(self.build_lib) / "newsdb" / MANIFEST.name).unlink(missing_ok=True)
            self.extensions = []


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
