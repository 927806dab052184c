#!/usr/bin/env python3
"""Time the newsdb.query lookups on a large generated database; show their query plans.

Generates N articles (default 1,000,000) straight into a fresh database with
SQLAlchemy Core bulk inserts: ~200 outlets, ~50,000 people whose mentions follow
a Zipf law (a few people are in a large share of the articles), 3-6 people an
article, 1-3 topics of the packaged taxonomy, ~1.5 quotes and 0-2 cited outlets
an article, bodies of ~4 KB drawn from a Zipf-distributed vocabulary (so the
full-text index has real work), 1% undated, 2% with an older version. Then it
runs each lookup on many different arguments and prints p50/p95 in ms, and the
EXPLAIN QUERY PLAN of the SQL each one sends, flagging full scans of big tables.

    .venv/bin/python scripts/bench_queries.py --articles 100000
    .venv/bin/python scripts/bench_queries.py --articles 100000 --pg postgresql://...

The database is kept (``--db``, default /tmp/newsdb-bench-queries-N.sqlite) and
reused by later runs; ``--fresh`` makes it again. Nothing here is imported by newsdb;
``scripts/bench.py`` imports :func:`query_timings` to time the same lookups after an import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, insert, select
from sqlalchemy.orm import Session

from newsdb import query as q
from newsdb.db import make_engine, upgrade
from newsdb.enrich.topics import load_taxonomy
from newsdb.models import (
    Article,
    ArticleOutlet,
    ArticlePerson,
    ArticleTopic,
    Outlet,
    Person,
    PersonAlias,
    Quote,
    Topic,
)
from newsdb.store import count_person_names

SEED = 20261121
OUTLETS = 200
PEOPLE = 50_000
VOCABULARY = 30_000
BATCH = 2_000
FIRST_DAY = dt.date(2015, 1, 1)
DAYS = 11 * 365
BIG_TABLES = {
    "articles",
    "article_people",
    "article_topics",
    "article_outlets",
    "quotes",
    "people",
    "person_aliases",
}
TARGETS_MS = {
    "articles of a person": 5.0,
    "search top-20 with snippets": 30.0,
    "co-mentions of a person": 50.0,
    "monthly timeline of a person": 50.0,
}


# ---------------------------------------------------------------------------
# Generation


def _syllables(rng: random.Random, n: int, parts: tuple[int, int]) -> list[str]:
    onsets = "b c d f g h j k l m n p r s t v w z br ch dr fl gr kr pl sh st tr th".split()
    vowels = "a e i o u ai ea ou ie oa".split()
    codas = ["", "", "n", "r", "s", "l", "m", "t", "nd", "st"]
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        k = rng.randint(*parts)
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(k))
        word += rng.choice(codas)
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


def _zipf_cum(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (r**s) for r in range(1, n + 1)))


@dataclass
class World:
    """The fixed parts of the generated corpus: outlets, people, topics, vocabulary."""

    outlets: list[tuple[int, str, str]]
    publishers: list[int]
    agencies: list[int]
    people: list[tuple[int, str, str]]  # id, full name, last name
    person_cum: list[float]
    topic_ids: list[int]
    topic_cum: list[float]
    vocab: list[str]
    vocab_cum: list[float]


def _world(rng: random.Random) -> World:
    names = _syllables(rng, OUTLETS, (1, 2))
    suffixes = ["Courier", "Times", "Gazette", "Herald", "Post", "Chronicle", "Ledger", "Review"]
    outlets: list[tuple[int, str, str]] = []
    for i, stem in enumerate(names, start=1):
        if i <= 20:
            outlets.append((i, f"{stem.title()} Press Agency", "agency"))
        elif i <= 30:
            outlets.append((i, f"Radio {stem.title()}", "broadcaster"))
        else:
            outlets.append((i, f"The {stem.title()} {rng.choice(suffixes)}", "publisher"))
    firsts = _syllables(rng, 2_000, (1, 2))
    lasts = _syllables(rng, 20_000, (2, 3))
    seen: set[str] = set()
    people: list[tuple[int, str, str]] = []
    while len(people) < PEOPLE:
        first, last = rng.choice(firsts).title(), rng.choice(lasts).title()
        full = f"{first} {last}"
        if full.casefold() not in seen:
            seen.add(full.casefold())
            people.append((len(people) + 1, full, last))
    vocab = _syllables(rng, VOCABULARY, (1, 3))
    return World(
        outlets=outlets,
        publishers=[o[0] for o in outlets if o[2] != "agency"],
        agencies=[o[0] for o in outlets if o[2] == "agency"],
        people=people,
        person_cum=_zipf_cum(PEOPLE, 1.0),
        topic_ids=[],
        topic_cum=[],
        vocab=vocab,
        vocab_cum=_zipf_cum(VOCABULARY, 1.05),
    )


def _words(rng: random.Random, w: World, k: int) -> list[str]:
    return rng.choices(w.vocab, cum_weights=w.vocab_cum, k=k)


def _article_rows(rng: random.Random, w: World, first_id: int, n: int) -> Iterator[dict[str, Any]]:
    """Rows for every table of ``n`` articles (and some older versions), by table name."""
    pub_cum = _zipf_cum(len(w.publishers), 0.8)
    aid = first_id
    for _ in range(n):
        people = {
            w.people[i - 1]
            for i in rng.choices(
                range(1, PEOPLE + 1), cum_weights=w.person_cum, k=rng.randint(3, 6)
            )
        }
        day = None if rng.random() < 0.01 else FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        outlet = rng.choices(w.publishers, cum_weights=pub_cum)[0]
        agency = rng.choice(w.agencies) if rng.random() < 0.3 else None
        topics = set(rng.choices(w.topic_ids, cum_weights=w.topic_cum, k=rng.randint(1, 3)))
        cited = set(rng.sample(range(1, OUTLETS + 1), rng.randint(0, 2)))
        versions = 2 if rng.random() < 0.02 else 1
        for version in range(1, versions + 1):
            latest = version == versions
            paragraphs = []
            people_list = sorted(people)
            for p in people_list:
                paragraphs.append(" ".join(_words(rng, w, 40)) + f" {p[1]} " + p[2])
            while sum(len(x) for x in paragraphs) < 4_000:
                paragraphs.append(" ".join(_words(rng, w, 60)) + ".")
            rng.shuffle(paragraphs)
            body = "\n\n".join(paragraphs)
            headline = " ".join(_words(rng, w, 8)).capitalize() + f" {people_list[0][2]}"
            quotes = []
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                quote = " ".join(_words(rng, w, 15)).capitalize()
                speaker = rng.choice(people_list) if rng.random() < 0.7 else None
                quotes.append(
                    {
                        "article_id": aid,
                        "text": quote,
                        "speaker": speaker[1] if speaker else "the ministry",
                        "speaker_kind": "person" if speaker else "organisation",
                        "person_id": speaker[0] if speaker else None,
                        "cue": "said",
                        "start_offset": 0,
                    }
                )
            yield {
                "articles": {
                    "id": aid,
                    "headline": headline,
                    "standfirst": " ".join(_words(rng, w, 25)),
                    "body": body,
                    "section": "News",
                    "published_on": day,
                    "url": f"https://example.test/{first_id}-{aid}",
                    "url_key": f"example.test/{aid - version + 1}",
                    "version": version,
                    "is_latest": latest,
                    "word_count": len(body.split()),
                    "outlet_id": outlet,
                    "agency_id": agency,
                    "source_path": f"/bench/{aid}.txt",
                    "source_format": "text",
                    "content_sha256": f"{aid:064x}",
                    "importer_version": "bench",
                },
                "article_people": [
                    {
                        "article_id": aid,
                        "person_id": p[0],
                        "mention_count": rng.randint(1, 6),
                        "first_offset": 0,
                        "role": None,
                        "published_on": day,
                        "mentioned_as": p[1],
                    }
                    for p in people_list
                ],
                "article_topics": [
                    {"article_id": aid, "topic_id": t, "score": 0.5, "method": "rule"}
                    for t in topics
                ],
                "article_outlets": [
                    {"article_id": aid, "outlet_id": outlet, "role": "publisher"},
                    *(
                        [{"article_id": aid, "outlet_id": agency, "role": "agency"}]
                        if agency
                        else []
                    ),
                    *(
                        {"article_id": aid, "outlet_id": c, "role": "cited"}
                        for c in cited
                        if c != outlet
                    ),
                ],
                "quotes": quotes,
            }
            aid += 1


def generate(engine: Engine, n: int) -> None:
    """Fill an empty database with ``n`` generated articles (plus older versions)."""
    rng = random.Random(SEED)
    w = _world(rng)
    upgrade(engine)
    sqlite = engine.dialect.name == "sqlite"
    taxonomy = load_taxonomy()
    with engine.begin() as conn:
        conn.execute(
            insert(Outlet),
            [
                {"id": i, "key": name.casefold(), "name": name, "kind": k}
                for i, name, k in w.outlets
            ],
        )
        conn.execute(
            insert(Person),
            [{"id": i, "key": full.casefold(), "name": full} for i, full, _ in w.people],
        )
        aliases = []
        for i, full, last in w.people:
            for alias in (full, last, f"{full[0]}. {last}"):
                aliases.append({"person_id": i, "alias": alias, "key": alias.casefold()})
        conn.execute(insert(PersonAlias), aliases)
        slugs = [d.slug for d in taxonomy]
        ids = {slug: i for i, slug in enumerate(slugs, start=1)}
        topic_rows = [
            {
                "id": ids[d.slug],
                "slug": d.slug,
                "name": d.name,
                "parent_id": ids.get(d.parent or ""),
            }
            for d in taxonomy
        ]
        # Parents first: the foreign key to the parent is checked row by row.
        topic_rows.sort(key=lambda r: r["parent_id"] is not None)
        conn.execute(insert(Topic), topic_rows)
    w.topic_ids = list(range(1, len(slugs) + 1))
    w.topic_cum = _zipf_cum(len(slugs), 0.7)
    started = time.perf_counter()
    done = 0
    next_id = 1
    rows = _article_rows(rng, w, 1, n)
    tables = {
        "articles": Article,
        "article_people": ArticlePerson,
        "article_topics": ArticleTopic,
        "article_outlets": ArticleOutlet,
        "quotes": Quote,
    }
    while done < n:
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        latest = 0
        while latest < min(BATCH, n - done):
            item = next(rows)
            batch["articles"].append(item["articles"])
            for name in ("article_people", "article_topics", "article_outlets", "quotes"):
                batch[name].extend(item[name])
            latest += item["articles"]["is_latest"]
        with engine.begin() as conn:
            if sqlite:
                # Feed the full-text index once per batch, as the bulk importer does.
                conn.exec_driver_sql("INSERT INTO articles_fts_defer (writer) VALUES (1)")
            for name, model in tables.items():
                if batch[name]:
                    conn.execute(insert(model), batch[name])
            if sqlite:
                last_id = batch["articles"][-1]["id"]
                conn.exec_driver_sql(
                    "INSERT INTO articles_fts (rowid, headline, standfirst, body) "
                    "SELECT id, headline, standfirst, body FROM articles "
                    f"WHERE id BETWEEN {next_id} AND {last_id}"
                )
                conn.exec_driver_sql("DELETE FROM articles_fts_defer")
                next_id = last_id + 1
        done += latest
        if done % 50_000 < BATCH or done == n:
            rate = done / (time.perf_counter() - started)
            print(f"  generated {done:,} articles ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    with engine.begin() as conn:
        count_person_names(conn)  # what the import writer would have kept
    if sqlite:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


# ---------------------------------------------------------------------------
# Measuring


@dataclass
class Case:
    """One lookup, called with each of ``args`` in turn."""

    name: str
    call: Callable[[Session, Any], Any]
    args: list[Any]


@dataclass
class Arguments:
    """What the lookups are called with: ``runs`` values of each kind."""

    people: list[str]  # drawn by how often they are mentioned
    top: str  # the most mentioned person
    single: list[str]  # one-word searches, words of middling frequency
    pairs: list[str]  # two-word searches, common words
    outlets: list[str]  # outlets that publish articles
    topics: list[str]  # topic slugs
    ids: list[int]  # article ids
    days: list[dt.date]  # first days of month-long ranges


def generated_arguments(session: Session, rng: random.Random, runs: int) -> Arguments:
    """Arguments for a database made by :func:`generate` (its world is known)."""
    # Person ids were given in order of mention weight (id 1 is the most mentioned).
    by_mentions = list(session.scalars(select(Person.name).order_by(Person.id)))
    weights = _zipf_cum(len(by_mentions), 1.0)
    sample = rng.choices(by_mentions, cum_weights=weights, k=runs)
    w = _world(random.Random(SEED))
    single = [w.vocab[rng.randrange(300, 5_000)] for _ in range(runs)]
    pairs = [
        f"{w.vocab[rng.randrange(50, 2_000)]} {w.vocab[rng.randrange(50, 2_000)]}"
        for _ in range(runs)
    ]
    outlets = [o[1] for o in rng.sample(w.outlets[30:], k=min(runs, OUTLETS - 30))]
    slugs = list(session.scalars(select(Topic.slug)))
    topics = [rng.choice(slugs) for _ in range(runs)]
    max_id = session.scalar(select(func.max(Article.id))) or 1
    ids = [rng.randint(1, max_id) for _ in range(runs)]
    days = [FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS - 31)) for _ in range(runs)]
    return Arguments(sample, by_mentions[0], single, pairs, outlets, topics, ids, days)


def sampled_arguments(session: Session, rng: random.Random, runs: int) -> Arguments:
    """Arguments drawn from whatever a database holds (an import of real or generated pages).

    People are drawn in proportion to their mentions; search words come from the word
    frequencies of up to 300 stored bodies: single words from the 1st to the 20th
    percentile of the frequency ranking (as :func:`generated_arguments` takes ranks
    300-5,000 of 30,000), pairs from the 0.2nd to the 7th (ranks 50-2,000).
    """
    mentions = func.count(ArticlePerson.article_id)
    ranked = session.execute(
        select(Person.name, mentions)
        .join(ArticlePerson, ArticlePerson.person_id == Person.id)
        .group_by(Person.id, Person.name)
        .order_by(mentions.desc(), Person.name)
        .limit(PEOPLE)
    ).all()
    if not ranked:
        raise SystemExit("no people in the database: nothing to query")
    names = [name for name, _ in ranked]
    sample = rng.choices(names, weights=[n for _, n in ranked], k=runs)
    low, high = session.execute(select(func.min(Article.id), func.max(Article.id))).one()
    ids = [rng.randint(low, high) for _ in range(runs)]
    bodies = session.scalars(select(Article.body).where(Article.id.in_(ids[:300] or [low])))
    counts = Counter(w for body in bodies for w in re.findall(r"[^\W\d_]{3,}", body.lower()))
    vocab = [w for w, _ in counts.most_common()]

    def band(lo: float, hi: float) -> list[str]:
        start = min(int(lo * len(vocab)), len(vocab) - 1)
        return vocab[start : max(start + 1, int(hi * len(vocab)))]

    mid, common = band(0.01, 0.2), band(0.002, 0.07)
    single = [rng.choice(mid) for _ in range(runs)]
    pairs = [f"{rng.choice(common)} {rng.choice(common)}" for _ in range(runs)]
    publishing = select(Article.outlet_id).where(Article.outlet_id.is_not(None)).distinct()
    outlets = list(session.scalars(select(Outlet.name).where(Outlet.id.in_(publishing))))
    outlets = rng.sample(outlets, k=min(runs, len(outlets)))
    tagged = select(ArticleTopic.topic_id).distinct()
    slugs = list(
        session.scalars(select(Topic.slug).where(Topic.id.in_(tagged)).order_by(Topic.slug))
    )
    slugs = slugs or list(session.scalars(select(Topic.slug).order_by(Topic.slug)))
    topics = [rng.choice(slugs) for _ in range(runs)]
    first, last = session.execute(
        select(func.min(Article.published_on), func.max(Article.published_on))
    ).one()
    first = first or FIRST_DAY
    span = max(1, ((last or first) - first).days - 30)
    days = [first + dt.timedelta(days=rng.randrange(span)) for _ in range(runs)]
    return Arguments(sample, names[0], single, pairs, outlets, topics, ids, days)


def _cases(a: Arguments, runs: int) -> list[Case]:
    sample, single, pairs, outlets, topics = a.people, a.single, a.pairs, a.outlets, a.topics
    top = [a.top]
    phrases = [f'"{name}"' for name in sample]
    searches = [x for trio in zip(single, pairs, phrases, strict=True) for x in trio][:runs]
    month = [(d, d + dt.timedelta(days=30)) for d in a.days]
    ids = a.ids
    return [
        Case("articles of a person", lambda s, a: q.list_articles(s, person=a, limit=20), sample),
        Case(
            "articles of the top person", lambda s, a: q.list_articles(s, person=a, limit=20), top
        ),
        Case(
            "search top-20 with snippets", lambda s, a: q.search_articles(s, a, limit=20), searches
        ),
        Case(
            "  search: one word (middling frequency)", lambda s, a: q.search_articles(s, a), single
        ),
        Case("  search: two common words", lambda s, a: q.search_articles(s, a), pairs),
        Case("  search: a person's name", lambda s, a: q.search_articles(s, a), phrases),
        Case("co-mentions of a person", lambda s, a: q.co_mentions(s, a, limit=20), sample),
        Case("co-mentions of the top person", lambda s, a: q.co_mentions(s, a, limit=20), top),
        Case("monthly timeline of a person", lambda s, a: q.timeline(s, person=a), sample),
        Case("monthly timeline of the top person", lambda s, a: q.timeline(s, person=a), top),
        Case("resolve a person by alias", q.resolve_person, sample),
        Case("articles of an outlet", lambda s, a: q.list_articles(s, outlet=a, limit=20), outlets),
        Case("articles of a topic", lambda s, a: q.list_articles(s, topic=a, limit=20), topics),
        Case(
            "articles in a month",
            lambda s, a: q.list_articles(s, since=a[0], until=a[1], limit=20),
            month,
        ),
        Case(
            "articles of a person and a topic",
            lambda s, a: q.list_articles(s, person=a[0], topic=a[1], limit=20),
            list(zip(sample, topics, strict=True)),
        ),
        Case(
            "search within a person's articles",
            lambda s, a: q.search_articles(s, a[1], person=a[0]),
            list(zip(sample, single, strict=True)),
        ),
        Case("timeline of a topic", lambda s, a: q.timeline(s, topic=a), topics),
        Case("timeline of an outlet", lambda s, a: q.timeline(s, outlet=a), outlets),
        Case("timeline of a search", lambda s, a: q.timeline(s, search=a), single),
        Case("quotes of a person", lambda s, a: q.list_quotes(s, person=a, limit=20), sample),
        Case("outlets cited by an outlet", lambda s, a: q.list_cited_outlets(s, outlet=a), outlets),
        Case("top people of a topic", lambda s, a: q.list_people(s, topic=a, limit=20), topics),
        Case("top topics of a person", lambda s, a: q.list_topics(s, person=a, limit=20), sample),
        Case("person profile", q.get_person, sample),
        Case("one article with everything", q.get_article, ids),
        Case("stats", lambda s, a: q.get_stats(s), [None] * min(runs, 5)),
    ]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def _plans(engine: Engine, statements: list[tuple[str, Any]]) -> list[str]:
    lines: list[str] = []
    with engine.connect() as conn:
        raw: Any = conn.connection.dbapi_connection
        cur = raw.cursor()
        for sql, params in statements:
            if engine.dialect.name == "sqlite":
                cur.execute("EXPLAIN QUERY PLAN " + sql, params)
                lines += [str(r[3]) for r in cur.fetchall()]
            else:
                cur.execute("EXPLAIN " + sql, params)
                lines += [str(r[0]) for r in cur.fetchall()]
            lines.append("--")
    return lines


def _full_scans(lines: list[str]) -> list[str]:
    flagged = []
    for line in lines:
        m = re.search(r"\bSCAN (\w+)(?: AS \w+)?( USING (?:COVERING )?INDEX \w+)?", line)
        if m and m.group(1) in BIG_TABLES and not m.group(2):
            flagged.append(line.strip())
        m = re.search(r"Seq Scan on (\w+)", line)
        if m and m.group(1) in BIG_TABLES:
            flagged.append(line.strip())
    return flagged


@dataclass
class Timing:
    """How long one lookup took over its calls."""

    name: str
    p50: float  # ms
    p95: float
    max: float
    rows: int  # rows the last call returned

    @property
    def verdict(self) -> str:
        """The lookup's target from the query issue and whether p50 meets it ("" if none)."""
        target = TARGETS_MS.get(self.name)
        if target is None:
            return ""
        return f"<= {target:g}  " + ("ok" if self.p50 <= target else "MISSED")


def time_case(session: Session, case: Case) -> Timing:
    """Call a lookup with each of its arguments (after one warm-up call) and time it."""
    case.call(session, case.args[0])  # warm the caches and the statement cache
    times = []
    rows = 0
    for arg in case.args:
        t0 = time.perf_counter()
        out = case.call(session, arg)
        times.append((time.perf_counter() - t0) * 1000)
        rows = len(out) if isinstance(out, list) else 1
    p50, p95 = _percentile(times, 0.5), _percentile(times, 0.95)
    return Timing(case.name, p50, p95, max(times), rows)


ArgumentsFrom = Callable[[Session, random.Random, int], Arguments]


def query_timings(
    engine: Engine, runs: int, arguments: ArgumentsFrom = sampled_arguments
) -> list[Timing]:
    """Time every lookup of the query set on ``engine`` (``runs`` calls each)."""
    with Session(engine) as session:
        cases = _cases(arguments(session, random.Random(SEED + 1), runs), runs)
        return [time_case(session, case) for case in cases]


def measure(engine: Engine, runs: int, show_plans: bool) -> None:
    """Run every case, print p50/p95 and the plans."""
    rng = random.Random(SEED + 1)
    recorded: list[tuple[str, Any]] = []
    recording = [False]

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if recording[0]:
            recorded.append((statement, parameters))

    with Session(engine) as session:
        cases = _cases(generated_arguments(session, rng, runs), runs)
        print(f"{'lookup':<40} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}  rows  target")
        for case in cases:
            t = time_case(session, case)
            print(f"{t.name:<40} {t.p50:9.2f} {t.p95:9.2f} {t.max:9.2f} {t.rows:5d}  {t.verdict}")
        print()
        for case in cases:
            recorded.clear()
            recording[0] = True
            case.call(session, case.args[0])
            recording[0] = False
            plan = _plans(
                engine, [(s, p) for s, p in recorded if s.lstrip().upper().startswith("SELECT")]
            )
            scans = _full_scans(plan)
            flag = "FULL SCAN: " + "; ".join(scans) if scans else "no full scan"
            print(f"== {case.name}: {flag}")
            if show_plans:
                for line in plan:
                    print(f"   {line}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1_000_000, help="articles (default 1,000,000)")
    ap.add_argument(
        "--db", type=Path, help="SQLite file (default /tmp/newsdb-bench-queries-N.sqlite)"
    )
    ap.add_argument("--pg", metavar="URL", help="use this PostgreSQL database instead of SQLite")
    ap.add_argument("--fresh", action="store_true", help="generate again even if the file exists")
    ap.add_argument("--runs", type=int, default=40, help="calls per lookup (default 40)")
    ap.add_argument("--generate-only", action="store_true", help="stop after generating")
    ap.add_argument("--plans", action="store_true", help="print every query plan in full")
    ap.add_argument(
        "--cache-mb",
        type=int,
        default=0,
        help="SQLite page cache per connection in MB (default: SQLite's own, 2 MB)",
    )
    args = ap.parse_args()

    if args.pg:
        engine = make_engine(args.pg)
    else:
        db = args.db or Path(f"/tmp/newsdb-bench-queries-{args.articles}.sqlite")
        if args.fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        engine = make_engine(str(db))
    with engine.connect() as conn:
        has = conn.dialect.has_table(conn, "articles")
        count = conn.execute(select(func.count()).select_from(Article)).scalar() if has else 0
    if not count:
        t0 = time.perf_counter()
        generate(engine, args.articles)
        print(f"generated in {time.perf_counter() - t0:,.0f} s", file=sys.stderr)
    elif args.fresh:
        raise SystemExit("--fresh with --pg: drop the database's tables yourself first")
    if args.generate_only:
        return
    if args.cache_mb and engine.dialect.name == "sqlite":
        kib = args.cache_mb * 1024

        @event.listens_for(engine, "connect")
        def _cache(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA cache_size=-{kib}")

        engine.dispose()  # new connections get the setting
        print(f"page cache: {args.cache_mb} MB per connection")
    with engine.connect() as conn:
        n = conn.execute(
            select(func.count()).select_from(Article).where(Article.is_latest)
        ).scalar()
        print(f"{engine.dialect.name}: {n:,} latest articles")
    measure(engine, args.runs, args.plans)
    engine.dispose()


if __name__ == "__main__":
    main()
