"""What the user's seed pages must give (from the foundation issue), shared by the parser and
importer tests. Only the short strings the assertions need; the pages stay in ../shared/seeds."""

from __future__ import annotations

import datetime as dt

# Per page: headline, outlet, section, byline, agency, dateline place, date.
SEED_FIELDS = {
    "000_23063757161b2a52.txt": {
        "headline": "Russia, signed agreement with China to create a base on the moon: "
        "what the agreement between Putin and Xi provides",
        "outlet": None,
        "section": None,
        "byline": None,
        "agency": None,
        "dateline_place": None,
        "published_on": None,
    },
    "001_2d7a4332ac8920d6.txt": {
        "headline": "Putin tells Xi he wants to ramp up military cooperation",
        "outlet": "Space Industry and Business News",
        "section": "SUPERPOWERS",
        "byline": "AFP Staff Writers",
        "agency": "AFP",
        "dateline_place": "Moscow",
        "published_on": dt.date(2022, 12, 30),
    },
    "004_5b3953929b62477f.txt": {
        "headline": "China's Xi says ties with Russia became stronger in 2023",
        "outlet": "Space Industry and Business News",
        "section": "SUPERPOWERS",
        "byline": "AFP Staff Writers",
        "agency": "AFP",
        "dateline_place": "Beijing",
        "published_on": dt.date(2023, 12, 31),
    },
}

# Per page: how the body begins, how it ends, and what must not be in it.
SEED_BODY = {
    "000_23063757161b2a52.txt": (
        "Agreement between Russia and China.",
        "through political means\u201d.",
        ["Posted on", "Photo source", "RussiaPhoto", "Putin Xi\n", "\n\nPutin Xi"],
    ),
    "001_2d7a4332ac8920d6.txt": (
        "Russian leader Vladimir Putin told Chinese President Xi Jinping on Friday",
        'sanctions and interference are doomed to fail," it added.',
        [
            "Related Links",
            "SpaceWar",
            "Thanks for being here",
            "Philippines",
            "Copyright",
            "Disqus",
            "Southwest",
        ],
    ),
    "004_5b3953929b62477f.txt": (
        "Chinese President Xi Jinping on Sunday said",
        'was a "strategic choice".',
        ["Related Links", "Dong Jun", "Subscribe", "Galileo", "Copyright"],
    ),
}

STANDFIRST_000 = (
    "Russia and China have signed an agreement for cooperation in space activities, "
    "including the joint creation of a base on lunar soil"
)
