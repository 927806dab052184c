"""Use the mypyc-compiled modules only when they were built from the sources in the tree.

``setup.py`` compiles the workers' hot modules to C extensions and writes
``_compiled_sources.txt``: the SHA-256 of each source it compiled. Python imports an
extension module in preference to the ``.py`` beside it, so in an editable install a
source edited after the build would silently not run. :func:`choose` compares the
hashes when ``newsdb`` is first imported and, when any source differs from the one
compiled, when the manifest is missing, or when an extension is missing, puts a finder
in front of the import system that loads every module on the list from its ``.py``.
It is all or nothing: compiled modules call each other directly in C, so one compiled
module beside a newer plain one would run the old code.

``NEWSDB_PURE=1`` in the environment makes it take the sources regardless: to compare the
two on the same build (tests/test_compiled.py, the benchmarks).

``ACTIVE`` says which it is; ``REASON`` says why; ``python scripts/bench.py`` prints both.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

__all__ = ["ACTIVE", "REASON", "choose", "compiled_modules"]

MANIFEST = "_compiled_sources.txt"


def _module_name(relpath: str) -> str:
    return ".".join(Path(relpath).with_suffix("").parts)


def compiled_modules(package_dir: Path) -> tuple[bool, str, dict[str, Path]]:
    """Whether the compiled modules under ``package_dir`` may be used.

    Returns (usable, reason, {module name: its .py}). ``reason`` says why not, or
    what was found. The modules listed are those the manifest names; with no manifest,
    every ``.py`` that has an extension module beside it.
    """
    root = package_dir.parent
    manifest = package_dir / MANIFEST
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    if not manifest.is_file():
        stray = {
            _module_name(str(py.relative_to(root))): py
            for py in package_dir.rglob("*.py")
            if any(py.with_name(py.stem + s).exists() for s in suffixes)
        }
        reason = "not compiled" if not stray else "extension modules without a manifest"
        return False, reason, stray
    sources: dict[str, Path] = {}
    expected: dict[str, str] = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, _, rel = line.partition("  ")
        name = _module_name(rel)
        sources[name] = root / rel
        expected[name] = digest
    for name, py in sources.items():
        if not any(py.with_name(py.stem + s).exists() for s in suffixes):
            return False, f"{name}: no extension module", sources
        try:
            actual = hashlib.sha256(py.read_bytes()).hexdigest()
        except OSError:  # an install without the sources: nothing to compare
            continue
        if actual != expected[name]:
            return False, f"{name}: source changed since it was compiled", sources
    return True, f"{len(sources)} modules compiled", sources


class _SourceFirst(MetaPathFinder):
    """Load the named modules from their ``.py`` files, never their extensions."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        py = self.sources.get(fullname)
        if py is None or not py.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, py)


def choose(package_dir: Path) -> tuple[bool, str]:
    """Decide once, before any listed module is imported, which modules run."""
    usable, reason, sources = compiled_modules(package_dir)
    if usable and os.environ.get("NEWSDB_PURE", "").strip() not in ("", "0"):
        usable, reason = False, "NEWSDB_PURE is set"
    if not usable and sources:
        sys.meta_path.insert(0, _SourceFirst(sources))
    return usable, reason


ACTIVE, REASON = choose(Path(__file__).resolve().parent)
