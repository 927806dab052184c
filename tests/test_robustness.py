"""Crashes and concurrency: kill -9 mid-import, then re-run; two importers at once.

Both run the real command line in subprocesses against real databases and
compare what is stored with one clean run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from newsdb.db import make_engine

from .conftest import assert_person_names_counted
from .corpus import OTHER, WIRE, text_page, write
from .test_boilerplate import _record
from .test_pipeline import content

REPO = Path(__file__).resolve().parents[1]
PEOPLE = ["Ingrid Halvorsen", "Tomas Brandt", "Mara Quist", "Olav Sorensen", "Petra Lindqvist"]


def _corpus(root: Path, n: int, prefix: str = "page") -> Path:
    for i in range(n):
        person = PEOPLE[i % len(PEOPLE)]
        paragraphs = [
            f"{person}, the harbour master, said on Monday that the work in case {i} would "
            "start soon and that the budget had been approved by the regional assembly.",
            f'"We expect the first ships to use the new quay before the winter storms," '
            f"{person.split()[-1]} told reporters at the harbour office in Velmora.",
            *(WIRE if i % 2 else OTHER)[i % 3 :],
        ]
        write(
            root / f"{prefix}{i:03d}.txt",
            text_page(
                outlet=f"Outlet {i % 4}",
                headline=f"Harbour works in case {prefix}{i} move ahead in Velmora",
                paragraphs=paragraphs,
                seed=i,
            ),
        )
    # Six exports of one outlet that all end with the same appeal and sign-off: the
    # end-of-run pass learns those lines, drops them and finds people again.
    for i in range(6):
        record = _record(i, f"{prefix}-courier.example", seed=sum(map(ord, prefix)) * 100 + i)
        write(root / f"{prefix}-export{i}.json", json.dumps(record))
    return root


def _newsdb(db: str, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsdb",
            "--traceback",
            "--db",
            db,
            "import",
            "--no-progress",
            *args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def _with_boilerplate(engine: Engine) -> dict[str, Any]:
    """Everything :func:`content` compares, and what boilerplate learning stored."""
    with engine.connect() as conn:
        learnt = conn.execute(
            text(
                "SELECT o.name, l.line_hash, l.pages, l.learnt, coalesce(l.text, '')"
                " FROM outlet_lines l JOIN outlets o ON o.id = l.outlet_id"
            )
        ).all()
        dropped = conn.execute(
            text("SELECT source_path, coalesce(boilerplate, '') FROM articles")
        ).all()
    return {
        **content(engine),
        "outlet_lines": sorted(map(tuple, learnt)),
        "dropped": sorted((Path(p).name, b) for p, b in dropped),
    }


def _clean(db: str, *args: str | Path) -> Engine:
    proc = _newsdb(db, *map(str, args))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    return make_engine(db)


def test_kill_nine_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", 12)
    started = time.monotonic()
    clean = _clean(f"sqlite:///{tmp_path / 'clean.sqlite'}", corpus)
    # Kill moments spread over a run as long as the clean one took (start-up included).
    span = time.monotonic() - started
    expected = _with_boilerplate(clean)
    # The end-of-run boilerplate pass (learning, cleaning, finding people again) is
    # among what a kill can interrupt.
    assert any(learnt for *_, learnt, _ in expected["outlet_lines"]), "nothing was learnt"
    clean.dispose()
    rnd = random.Random(20261121)
    killed_mid_run = 0
    for run in range(20):
        db = f"sqlite:///{tmp_path / f'crash{run}.sqlite'}"
        proc = _newsdb(db, "--jobs", "1", "--batch-size", "2", "--commit-every", "4", str(corpus))
        time.sleep(rnd.uniform(0.3, 1.0) * span)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed_mid_run += 1
        proc.communicate(timeout=60)
        eng = _clean(db, corpus)  # the re-run finishes the job
        assert _with_boilerplate(eng) == expected, f"run {run}"
        assert_person_names_counted(eng)
        eng.dispose()
    assert killed_mid_run >= 10  # most runs really were cut short


def test_two_importers_at_once_store_what_one_would(db_url: str, tmp_path: Path) -> None:
    a = _corpus(tmp_path / "a", 8, "a")
    b = _corpus(tmp_path / "b", 8, "b")
    c = _corpus(tmp_path / "c", 8, "c")
    one = _clean(db_url, a, b, c)
    expected = _with_boilerplate(one)
    assert any(learnt for *_, learnt, _ in expected["outlet_lines"])
    one.dispose()
    # An empty database of the same backend for the concurrent run (PostgreSQL:
    # the same schema, emptied).
    if db_url.startswith("sqlite"):
        twin = f"sqlite:///{tmp_path / 'twin.sqlite'}"
    else:
        from sqlalchemy import text

        admin = make_engine(db_url)
        with admin.begin() as conn:
            for table in (
                "outlet_lines",
                "article_bands",
                "import_files",
                "quotes",
                "article_outlets",
                "person_aliases",
                "person_names",
                "article_topics",
                "article_people",
                "articles",
                "stories",
                "import_runs",
                "topics",
                "people",
                "outlets",
            ):
                conn.execute(text(f"DELETE FROM {table}"))
        admin.dispose()
        twin = db_url
    first = _newsdb(twin, "--jobs", "1", "--batch-size", "3", "--commit-every", "3", str(a), str(b))
    second = _newsdb(
        twin, "--jobs", "1", "--batch-size", "3", "--commit-every", "3", str(b), str(c)
    )
    errors = [proc.communicate(timeout=300)[1].decode() for proc in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), errors
    eng = make_engine(twin)
    assert _with_boilerplate(eng) == expected
    assert_person_names_counted(eng)
    eng.dispose()
