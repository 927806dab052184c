"""A corpus of bad inputs beside good ones: every bad file is reported with its path and a
clear reason, every good file is imported, and the exit code says something failed."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

from newsdb.cli import cli
from newsdb.db import make_engine

from .corpus import OTHER, WIRE, text_page, write

GOOD_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Velmora pumps out its metro | Velmora Courier</title>
<meta property="og:site_name" content="Velmora Courier"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><article>
<h1>Velmora pumps out its metro</h1>{paras}</article>
<footer>About us · Contact · Privacy</footer></body></html>"""


def _bad_corpus(root: Path) -> dict[str, str]:
    """Write the bad files; return file name -> words its reason must contain."""
    expect: dict[str, str] = {}
    write(root / "empty.txt", "")
    expect["empty.txt"] = "empty"
    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)
    expect["binary.txt"] = "binary"
    (root / "nul.txt").write_bytes(b"Headline\n\nSome text\x00with a NUL byte in it.\n" * 20)
    expect["nul.txt"] = "NUL"
    big = root / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(50_000_000)  # a 50 MB file (sparse: nothing is written to disk)
    expect["huge.txt"] = "too large"
    html = GOOD_HTML.format(paras="".join(f"<p>{p}</p>" for p in WIRE))
    write(root / "truncated.html", html[: len(html) // 6])  # cut before the first paragraph
    expect["truncated.html"] = "no article text"
    write(root / "invalid.json", '{"title": "Velmora", "maintext": "unfinished')
    expect["invalid.json"] = "JSON"
    write(root / "shape.jsonl", json.dumps({"colour": "blue", "size": 3}) + "\n")
    expect["shape.jsonl"] = "shape"
    (root / "broken.html.gz").write_bytes(gzip.compress(html.encode())[:40])
    expect["broken.html.gz"] = "gzip"
    (root / "loop.txt").symlink_to(root / "loop.txt")
    expect["loop.txt"] = "loop"
    locked = write(root / "locked.txt", text_page(outlet="X", headline="Locked", paragraphs=OTHER))
    locked.chmod(0)
    if os.geteuid() != 0:  # root reads anything: then the file is simply imported
        expect["locked.txt"] = "permission"
    return expect


def test_bad_inputs_are_reported_and_good_ones_imported(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    expect = _bad_corpus(root)
    # Good files beside them, one of them in Latin-1 and one mixing encodings.
    write(
        root / "good.txt",
        text_page(
            outlet="Velmora Courier", headline="Velmora pumps out its metro", paragraphs=WIRE
        ),
    )
    (root / "latin1.txt").write_bytes(
        text_page(
            outlet="Harbour Times",
            headline="Café owners on the quay brace for a quieter winter",
            paragraphs=[p.replace("city", "cité") for p in OTHER],
        ).encode("latin-1")
    )
    mixed = text_page(
        outlet="Coastline News",
        headline="Assembly votes to raise the river barrier",
        paragraphs=OTHER,
        seed=3,
    ).encode("utf-8") + "Contact: café@coastline.example\n".encode("latin-1")
    (root / "mixed.txt").write_bytes(mixed)
    write(root / "good.html", GOOD_HTML.format(paras="".join(f"<p>{p}</p>" for p in WIRE[1:])))
    db = tmp_path / "news.sqlite"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "import", "--json", "--jobs", "1", str(root)]
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    by_name: dict[str, list[dict[str, object]]] = {}
    for f in report["files"]:
        by_name.setdefault(Path(str(f["path"])).name, []).append(f)
    for name, words in expect.items():
        rows = by_name[name]
        assert any(r["status"] in ("failed", "skipped") for r in rows), (name, rows)
        reasons = " ".join(str(r["reason"]) for r in rows)
        assert words.lower() in reasons.lower(), (name, reasons)
        assert all(str(root / name) == r["path"] for r in rows)
    for name in ("good.txt", "latin1.txt", "mixed.txt", "good.html"):
        assert [r["status"] for r in by_name[name]] == ["added"], (name, by_name[name])
    eng = make_engine(str(db))
    with eng.connect() as conn:
        stored = {Path(p).name for (p,) in conn.execute(text("SELECT source_path FROM articles"))}
        headline = conn.execute(
            text("SELECT headline FROM articles WHERE source_path LIKE '%latin1.txt'")
        ).scalar_one()
    eng.dispose()
    assert {"good.txt", "latin1.txt", "mixed.txt", "good.html"} <= stored
    assert not stored & set(expect)
    assert headline == "Café owners on the quay brace for a quieter winter"
    (root / "locked.txt").chmod(0o644)
