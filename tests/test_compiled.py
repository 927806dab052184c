"""The mypyc-compiled modules: used only when built from the tree's sources, same results.

setup.py compiles the workers' hot modules where a C compiler exists. These tests check
the guard that keeps a stale build from running (newsdb/_compiled.py), that CI really
runs the compiled modules, and that compiled and plain modules prepare every page of
the example corpus, the seeds and a generated corpus into the same records.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import newsdb._compiled as compiled
from tests.conftest import EXAMPLES, IN_CI, REPO, SEEDS, SHARED

EXT = importlib.machinery.EXTENSION_SUFFIXES[0]


def _fake_package(root: Path, names: tuple[str, ...], *, manifest: bool = True) -> Path:
    """A package with the given modules, an extension file beside each, and a manifest."""
    pkg = root / "pkg"
    lines = []
    for name in names:
        py = root / name
        py.parent.mkdir(parents=True, exist_ok=True)
        py.write_text(f"X = {name!r}\n", encoding="utf-8")
        py.with_name(py.stem + EXT).write_bytes(b"not really a shared library")
        lines.append(f"{hashlib.sha256(py.read_bytes()).hexdigest()}  {name}\n")
    if manifest:
        (pkg / compiled.MANIFEST).write_text("".join(lines), encoding="utf-8")
    return pkg


NAMES = ("pkg/a.py", "pkg/sub/b.py")


def test_a_build_of_the_current_sources_is_used(tmp_path: Path) -> None:
    pkg = _fake_package(tmp_path, NAMES)
    usable, reason, sources = compiled.compiled_modules(pkg)
    assert usable, reason
    assert sources == {"pkg.a": tmp_path / "pkg/a.py", "pkg.sub.b": tmp_path / "pkg/sub/b.py"}


def test_a_source_edited_after_the_build_turns_the_build_off(tmp_path: Path) -> None:
    pkg = _fake_package(tmp_path, NAMES)
    (pkg / "sub" / "b.py").write_text("X = 'edited'\n", encoding="utf-8")
    usable, reason, sources = compiled.compiled_modules(pkg)
    assert not usable
    assert "pkg.sub.b" in reason and "changed" in reason
    # Every listed module goes back to its source, not only the edited one.
    assert set(sources) == {"pkg.a", "pkg.sub.b"}


def test_a_missing_extension_turns_the_build_off(tmp_path: Path) -> None:
    pkg = _fake_package(tmp_path, NAMES)
    (pkg / ("a" + EXT)).unlink()
    usable, reason, _ = compiled.compiled_modules(pkg)
    assert not usable and "pkg.a" in reason


def test_extensions_without_a_manifest_are_not_used(tmp_path: Path) -> None:
    pkg = _fake_package(tmp_path, NAMES, manifest=False)
    (pkg / "plain.py").write_text("Y = 1\n", encoding="utf-8")
    usable, reason, sources = compiled.compiled_modules(pkg)
    assert not usable and "without a manifest" in reason
    assert set(sources) == {"pkg.a", "pkg.sub.b"}  # plain.py has no extension to avoid


def test_a_plain_install_has_nothing_to_avoid(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text("X = 1\n", encoding="utf-8")
    assert compiled.compiled_modules(pkg) == (False, "not compiled", {})


def test_ci_runs_the_compiled_modules() -> None:
    """CI has a C compiler, so `make setup` compiled: the suite must have run that build."""
    if not IN_CI:
        pytest.skip("only CI is sure to have built with a C compiler")
    assert shutil.which("cc") is not None
    assert compiled.ACTIVE, compiled.REASON
    import newsdb.enrich.people

    assert newsdb.enrich.people.__file__.endswith(EXT)


def _need_build() -> None:
    if not compiled.ACTIVE:
        if IN_CI:
            pytest.fail(f"the compiled modules are not in use: {compiled.REASON}")
        pytest.skip(f"no compiled build to test: {compiled.REASON}")


_WHICH = (
    "import newsdb, newsdb._compiled as c, newsdb.enrich.people as p, newsdb.parsers.text as t; "
    "print(c.ACTIVE, p.__file__.rsplit('.', 1)[-1], t.__file__.rsplit('.', 1)[-1])"
)


def _python(code: str, cwd: Path, **env: str) -> str:
    full = {**os.environ, "PYTHONPATH": str(cwd), **env}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=full, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_edited_source_runs_instead_of_its_stale_build(tmp_path: Path) -> None:
    """A copy of the built package: as built it runs compiled; after an edit, plain."""
    _need_build()
    copy = tmp_path / "tree"
    shutil.copytree(REPO / "newsdb", copy / "newsdb", ignore=shutil.ignore_patterns("__pycache__"))
    for lib in REPO.glob(f"newsdb__mypyc*{EXT}"):  # the build's shared library
        shutil.copy2(lib, copy / lib.name)
    assert _python(_WHICH, copy).split() == ["True", "so", "so"]
    assert _python(_WHICH, copy, NEWSDB_PURE="1").split() == ["False", "py", "py"]

    people = copy / "newsdb" / "enrich" / "people.py"
    people.write_text(people.read_text(encoding="utf-8") + "\nEDITED = True\n", encoding="utf-8")
    probe = _WHICH.replace("print(", "print(p.EDITED, ")
    # Both modules come from source, the unedited one too: compiled code calls compiled code.
    assert _python(probe, copy).split() == ["True", "False", "py", "py"]


_PREPARE = """
import hashlib, sys
from pathlib import Path
import newsdb._compiled as c
from newsdb.enrich.topics import load_taxonomy
from newsdb.pipeline import prepare_file

tax = load_taxonomy()
known = frozenset({"Vladimir Putin", "Olaf Scholz"})
for name in sys.argv[1:]:
    out = prepare_file(Path(name), tax, known)
    records = [(p.article, p.topics, p.people, p.quotes, p.cited, p.sketch, p.lines,
                p.word_count) for p in out.records]
    blob = repr((records, out.problems, out.warnings)).encode()
    print(c.ACTIVE, name, hashlib.sha256(blob).hexdigest())
"""


def _corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    monkeypatch.syspath_prepend(str(REPO / "scripts"))  # bench.py imports its neighbour
    spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    files = sorted(EXAMPLES.glob("*.txt"))
    if SEEDS.is_dir():
        files += sorted(SEEDS.glob("*.txt"))
    pages = SHARED / "data" / "pages"  # real pages in many languages, text and HTML
    if pages.is_dir():
        files += sorted(p for p in pages.rglob("*") if p.suffix in {".txt", ".html"})
    generated = tmp_path / "bench"
    bench.make_corpus(generated, 300, seed=5)
    return files + sorted(p for p in generated.rglob("*.txt"))


def test_compiled_and_plain_modules_prepare_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every field of every prepared page, compared through a digest of its repr.

    The corpus: the examples, the seeds, the 512 real pages of ../shared/data/pages (when
    present) and 300 generated pages.
    """
    _need_build()
    paths = [str(p) for p in _corpus(tmp_path, monkeypatch)]
    assert len(paths) > 300
    script = tmp_path / "prepare.py"
    script.write_text(_PREPARE, encoding="utf-8")

    def run(**env: str) -> list[str]:
        full = {**os.environ, **env}
        done = subprocess.run(
            [sys.executable, str(script), *paths],
            cwd=REPO,
            env=full,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    native, plain = run(), run(NEWSDB_PURE="1")
    assert all(line.startswith("True ") for line in native)
    assert all(line.startswith("False ") for line in plain)
    differ = [a for a, b in zip(native, plain, strict=True) if a.split()[1:] != b.split()[1:]]
    assert not differ, differ[:5]


@pytest.mark.parametrize(
    "text", ["ΟΔΟΣ Σ ΣΑΣ ΑΘΗΝΑΣ.", "Σ", "ΣΑΣ", "İstanbul ΣΑΣ ß ﬁ", "plain ascii", "Ωραίος ΚΟΣΜΟΣ"]
)
def test_lowercase_is_cpythons_lower(text: str) -> None:
    """mypyc's own str.lower (before 3.13) misses the final sigma; newsdb's does not."""
    from newsdb._case import lowercase

    assert lowercase(text) == str.lower(text)


def test_a_failed_c_build_installs_the_plain_modules(tmp_path: Path) -> None:
    """NEWSDB_COMPILE=auto with a compiler that fails: the wheel is built all the same, with
    neither extensions nor the list of compiled sources, and newsdb runs from its sources.

    A real build (pip's isolated environment, mypyc generating the C), with CC=/bin/false.
    """
    import zipfile

    src = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", f"*{EXT}", compiled.MANIFEST)
    shutil.copytree(REPO / "newsdb", src / "newsdb", ignore=skip)
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    dist = tmp_path / "dist"
    env = {**os.environ, "CC": "/bin/false", "NEWSDB_COMPILE": "auto"}
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = dist.glob("newsdb-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path / "site")
    assert "newsdb/enrich/people.py" in names
    assert not [n for n in names if n.endswith(EXT) or n.endswith(compiled.MANIFEST)]
    assert not (src / "newsdb" / compiled.MANIFEST).exists()

    code = (
        "import newsdb._compiled as c, newsdb.enrich.people as p; "
        "print(c.ACTIVE, c.REASON, p.__file__.rsplit('.', 1)[-1])"
    )
    out = _python(code, tmp_path / "site")
    assert out.split() == ["False", "not", "compiled", "py"]


def test_known_names_are_indexed_once_and_handed_on() -> None:
    """The writer indexes the names in the database once and forks the workers with the
    index. Compiled, a KnownNames that subclassed collections.abc.Collection passed for any
    list, so the list went to the workers unindexed and every article indexed it again:
    appending onto a million articles took 4.0 ms of worker CPU a page instead of 1.8."""
    from newsdb.enrich.people import KnownNames, _as_known
    from newsdb.pipeline import known_index

    names = ["Ann Lee", "Bo Chen"]
    assert not isinstance(names, KnownNames)
    known = known_index(names)
    assert type(known) is KnownNames
    assert "Ann Lee" in known and len(known) == 2 and sorted(known) == names
    assert known_index(known) is known
    assert _as_known(known) is known
