"""A small generated corpus written straight into the tables, for exact query tests.

Every name, headline and sentence here is invented for these tests. The facts
the tests assert are worked out by hand from the tables below (see the
comments), not by running the code under test.

Outlets: 1 The Harbour Courier, 2 Northgate Times, 5 Lakeside Gazette
(publishers), 3 Wirepoint (agency), 4 Radio Calder (broadcaster, only cited).

People: 1 Ada Lindqvist, 2 Tomas Ferreira, 3 Noor Haddad, 4 Karl Haddad,
5 "Haddad" (an ambiguous short form stored apart), 6 Lucia Ferreira (shares the
alias "Ferreira" with Tomas), 7 Émile Dubois.

Topics: politics > diplomacy, economy > trade, science.

Articles (id: date, publisher/agency, people, topics, cited):
   1: 2026-01-05 Courier/Wirepoint  Ada, Tomas            trade, diplomacy  cites Radio Calder
   2: 2026-01-20 Northgate          Tomas, Ada            trade, economy    cites Courier, Lakeside
   3: 2026-02-03 Courier            Noor                  science
   4: 2026-02-14 Northgate/Wirepoint Ada, Noor, Karl      diplomacy         cites Radio Calder
   5: 2026-03-01 Courier (old version of 6)  Ada, Tomas   economy           cites Radio Calder
   6: 2026-03-02 Courier            Tomas, Ada            economy
   7: 2026-03-15 Northgate          Tomas, Haddad(5)      trade, economy    cites Radio Calder
   8: 2026-04-02 Courier/Wirepoint  Karl, Noor            science, politics
   9: undated    Northgate          Ada                   -
  10: 2026-04-20 Courier            Ada, Émile, Lucia     science, diplomacy cites Northgate
  11: 2026-01-06 Lakeside           Ada                   trade, economy    cites Wirepoint
Articles 1 and 4 tell one story (1, "Harbour trade talks").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, insert

from newsdb.db import upgrade
from newsdb.models import (
    Article,
    ArticleOutlet,
    ArticlePerson,
    ArticleTopic,
    Outlet,
    Person,
    PersonAlias,
    Quote,
    Story,
    Topic,
)
from newsdb.store import count_person_names

COURIER, NORTHGATE, WIREPOINT, RADIO_CALDER, LAKESIDE = 1, 2, 3, 4, 5
ADA, TOMAS, NOOR, KARL, HADDAD, LUCIA, EMILE = 1, 2, 3, 4, 5, 6, 7
POLITICS, DIPLOMACY, ECONOMY, TRADE, SCIENCE = 1, 2, 3, 4, 5

OUTLETS = [
    (COURIER, "The Harbour Courier", "publisher"),
    (NORTHGATE, "Northgate Times", "publisher"),
    (WIREPOINT, "Wirepoint", "agency"),
    (RADIO_CALDER, "Radio Calder", "broadcaster"),
    (LAKESIDE, "Lakeside Gazette", "publisher"),
]
PEOPLE = [
    (ADA, "Ada Lindqvist", False, ["Ada Lindqvist", "Lindqvist", "A. Lindqvist"]),
    (TOMAS, "Tomas Ferreira", False, ["Tomas Ferreira", "Ferreira", "T. Ferreira"]),
    (NOOR, "Noor Haddad", False, ["Noor Haddad"]),
    (KARL, "Karl Haddad", False, ["Karl Haddad"]),
    (HADDAD, "Haddad", True, ["Haddad"]),
    (LUCIA, "Lucia Ferreira", False, ["Lucia Ferreira", "Ferreira"]),
    (EMILE, "Émile Dubois", False, ["Émile Dubois", "Dubois"]),
]
TOPICS = [
    (POLITICS, "politics", "Politics", None),
    (DIPLOMACY, "diplomacy", "Diplomacy", POLITICS),
    (ECONOMY, "economy", "Economy", None),
    (TRADE, "trade", "Trade", ECONOMY),
    (SCIENCE, "science", "Science", None),
]

Q_ADA_SHIP = "We will keep the harbour open to every ship"
Q_TOMAS_TARIFF = "This tariff plan will hurt every exporter we have"
Q_ADA_TARIFF = "The tariff plan protects our harbour jobs"
Q_NOOR_MEETING = "The meeting was useful but short"
Q_ADA_CALDER = "Calder is a partner we trust"
Q_TOMAS_OLD = "An old remark that the new version dropped"
Q_TOMAS_BUDGET = "The budget is not ready and everyone knows it"
Q_UNION = "We return to work tomorrow"
Q_RADIO = "The port will reopen on Thursday"
Q_KARL = "Noor Haddad built this council and I will keep her plan"
Q_EMILE = "Élan is what this telescope gives us"


def _a(
    id: int,
    day: str | None,
    outlet: int,
    agency: int | None,
    headline: str,
    body: str,
    *,
    url_key: str | None = None,
    version: int = 1,
    latest: bool = True,
    story: int | None = None,
    standfirst: str | None = None,
) -> dict[str, Any]:
    return {
        "id": id,
        "headline": headline,
        "standfirst": standfirst,
        "body": body,
        "section": "News",
        "published_on": dt.date.fromisoformat(day) if day else None,
        "url": f"https://example.test/{url_key or id}",
        "url_key": url_key,
        "version": version,
        "is_latest": latest,
        "word_count": len(body.split()),
        "outlet_id": outlet,
        "agency_id": agency,
        "source_path": f"/corpus/{id}.txt",
        "source_format": "text",
        "content_sha256": f"{id:064x}",
        "importer_version": "test",
        "story_id": story,
    }


ARTICLES = [
    _a(
        1,
        "2026-01-05",
        COURIER,
        WIREPOINT,
        "Lindqvist opens harbour trade talks",
        "Ada Lindqvist opened talks with shipping firms about harbour fees. Lindqvist said: "
        f'"{Q_ADA_SHIP}." Tomas Ferreira did not attend, Radio Calder reported.',
        standfirst="The minister met shipping firms on Monday.",
        url_key="courier/talks",
        story=1,
    ),
    _a(
        2,
        "2026-01-20",
        NORTHGATE,
        None,
        "Ferreira questions tariff plan",
        "Tomas Ferreira questioned the tariff plan in parliament. "
        f'"{Q_TOMAS_TARIFF}," Ferreira said. Ada Lindqvist replied: "{Q_ADA_TARIFF}." '
        "The Harbour Courier and the Lakeside Gazette first reported the plan.",
    ),
    _a(
        3,
        "2026-02-03",
        COURIER,
        None,
        "Telescope funding approved",
        "The science council approved funding for a new telescope. Noor Haddad, who chairs "
        "the council, welcomed the vote. Haddad has asked for the money since 2024.",
    ),
    _a(
        4,
        "2026-02-14",
        NORTHGATE,
        WIREPOINT,
        "Lindqvist and Haddad meet in Calder",
        "Ada Lindqvist met Noor Haddad and Karl Haddad in Calder to discuss the harbour and "
        f'the telescope. "{Q_NOOR_MEETING}," Noor Haddad told Radio Calder. Lindqvist added: '
        f'"{Q_ADA_CALDER}."',
        story=1,
    ),
    _a(
        5,
        "2026-03-01",
        COURIER,
        None,
        "Budget vote delayed",
        f'The budget vote was delayed. Tomas Ferreira blamed Ada Lindqvist. "{Q_TOMAS_OLD}."',
        url_key="courier/budget",
        latest=False,
    ),
    _a(
        6,
        "2026-03-02",
        COURIER,
        None,
        "Budget vote delayed again",
        "The budget vote was delayed again. Tomas Ferreira blamed the finance office and Ada "
        f'Lindqvist. "{Q_TOMAS_BUDGET}," Ferreira said. He wants a vote in April.',
        url_key="courier/budget",
        version=2,
    ),
    _a(
        7,
        "2026-03-15",
        NORTHGATE,
        None,
        "Port strike ends after talks",
        "Dock workers ended their strike. Tomas Ferreira praised both sides. Haddad was also "
        f'at the port. "{Q_UNION}," the Dock Workers Union said. Radio Calder said: "{Q_RADIO}."',
    ),
    _a(
        8,
        "2026-04-02",
        COURIER,
        WIREPOINT,
        "Science council names new chair",
        "Karl Haddad was named chair of the science council, replacing Noor Haddad. "
        f'"{Q_KARL}," Karl Haddad said.',
    ),
    _a(
        9,
        None,
        NORTHGATE,
        None,
        "Letters: the harbour and its fees",
        "A reader writes about harbour fees and about Ada Lindqvist.",
    ),
    _a(
        10,
        "2026-04-20",
        COURIER,
        None,
        "Lindqvist visits observatory with Dubois",
        "Ada Lindqvist visited the observatory with Émile Dubois. Lucia Ferreira, the "
        f'observatory director, showed them the telescope. "{Q_EMILE}," Dubois said, as '
        "Northgate Times reported.",
    ),
    _a(
        11,
        "2026-01-06",
        LAKESIDE,
        None,
        "Harbour fees rise for the first time",
        "Harbour fees rise at the port this spring. Ada Lindqvist said nothing, according to "
        "Wirepoint.",
    ),
]

# (article, person, mentions, first offset, role)
MENTIONS = [
    (1, ADA, 3, 0, "trade minister"),
    (1, TOMAS, 1, 120, None),
    (2, TOMAS, 3, 0, "opposition leader"),
    (2, ADA, 1, 90, None),
    (3, NOOR, 2, 60, "council chair"),
    (4, ADA, 2, 0, None),
    (4, NOOR, 2, 20, None),
    (4, KARL, 1, 35, None),
    (5, ADA, 1, 50, None),
    (5, TOMAS, 1, 30, None),
    (6, TOMAS, 3, 40, "opposition leader"),
    (6, ADA, 1, 80, None),
    (7, TOMAS, 1, 30, None),
    (7, HADDAD, 1, 60, None),
    (8, KARL, 2, 0, "council chair"),
    (8, NOOR, 2, 40, None),
    (9, ADA, 1, 30, None),
    (10, ADA, 1, 0, None),
    (10, EMILE, 2, 30, None),
    (10, LUCIA, 1, 50, "observatory director"),
    (11, ADA, 1, 40, None),
]
# (article, topic, score)
TOPIC_LINKS = [
    (1, TRADE, 0.9),
    (1, DIPLOMACY, 0.4),
    (2, TRADE, 0.8),
    (2, ECONOMY, 0.5),
    (3, SCIENCE, 0.9),
    (4, DIPLOMACY, 0.7),
    (5, ECONOMY, 0.6),
    (6, ECONOMY, 0.8),
    (7, TRADE, 0.7),
    (7, ECONOMY, 0.3),
    (8, SCIENCE, 0.9),
    (8, POLITICS, 0.3),
    (10, SCIENCE, 0.8),
    (10, DIPLOMACY, 0.2),
    (11, TRADE, 0.5),
    (11, ECONOMY, 0.4),
]
CITED = [
    (1, RADIO_CALDER),
    (2, COURIER),
    (2, LAKESIDE),
    (4, RADIO_CALDER),
    (5, RADIO_CALDER),
    (7, RADIO_CALDER),
    (10, NORTHGATE),
    (11, WIREPOINT),
]
# (id, article, text, speaker, speaker kind, person, outlet)
QUOTES = [
    (1, 1, Q_ADA_SHIP, "Lindqvist", "person", ADA, None),
    (2, 2, Q_TOMAS_TARIFF, "Ferreira", "person", TOMAS, None),
    (3, 2, Q_ADA_TARIFF, "Ada Lindqvist", "person", ADA, None),
    (4, 4, Q_NOOR_MEETING, "Noor Haddad", "person", NOOR, None),
    (5, 4, Q_ADA_CALDER, "Lindqvist", "person", ADA, None),
    (6, 5, Q_TOMAS_OLD, "Tomas Ferreira", "person", TOMAS, None),
    (7, 6, Q_TOMAS_BUDGET, "Ferreira", "person", TOMAS, None),
    (8, 7, Q_UNION, "Dock Workers Union", "organisation", None, None),
    (9, 7, Q_RADIO, None, "outlet", None, RADIO_CALDER),
    (10, 8, Q_KARL, "Karl Haddad", "person", KARL, None),
    (11, 10, Q_EMILE, "Dubois", "person", EMILE, None),
]


def build_corpus(engine: Engine) -> Engine:
    """Create the schema on ``engine`` and write the corpus into it."""
    upgrade(engine)
    by_id = {a["id"]: a for a in ARTICLES}
    with engine.begin() as conn:
        conn.execute(
            insert(Outlet),
            [{"id": i, "key": n.casefold(), "name": n, "kind": k} for i, n, k in OUTLETS],
        )
        conn.execute(
            insert(Person),
            [
                {"id": i, "key": n.casefold(), "name": n, "ambiguous": amb}
                for i, n, amb, _ in PEOPLE
            ],
        )
        conn.execute(
            insert(PersonAlias),
            [
                {"person_id": i, "alias": a, "key": a.casefold()}
                for i, _, _, aliases in PEOPLE
                for a in aliases
            ],
        )
        conn.execute(
            insert(Topic),
            [{"id": i, "slug": s, "name": n, "parent_id": p} for i, s, n, p in TOPICS],
        )
        conn.execute(insert(Story), [{"id": 1, "label": "Harbour trade talks"}])
        conn.execute(insert(Article), ARTICLES)
        conn.execute(
            insert(ArticlePerson),
            [
                {
                    "article_id": a,
                    "person_id": p,
                    "mention_count": n,
                    "first_offset": off,
                    "role": role,
                    "published_on": by_id[a]["published_on"],
                    "mentioned_as": dict((i, n) for i, n, _, _ in PEOPLE)[p],
                }
                for a, p, n, off, role in MENTIONS
            ],
        )
        count_person_names(conn)
        conn.execute(
            insert(ArticleTopic),
            [
                {"article_id": a, "topic_id": t, "score": s, "method": "rule"}
                for a, t, s in TOPIC_LINKS
            ],
        )
        links = [{"article_id": a, "outlet_id": o, "role": "cited"} for a, o in CITED]
        for a in ARTICLES:
            links.append({"article_id": a["id"], "outlet_id": a["outlet_id"], "role": "publisher"})
            if a["agency_id"]:
                links.append({"article_id": a["id"], "outlet_id": a["agency_id"], "role": "agency"})
        conn.execute(insert(ArticleOutlet), links)
        conn.execute(
            insert(Quote),
            [
                {
                    "id": i,
                    "article_id": a,
                    "text": text,
                    "speaker": speaker,
                    "speaker_kind": kind,
                    "person_id": person,
                    "outlet_id": outlet,
                    "cue": "said",
                    "start_offset": by_id[a]["body"].index(text),
                }
                for i, a, text, speaker, kind, person, outlet in QUOTES
            ],
        )
    return engine
