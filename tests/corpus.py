"""Generated test pages: fictional articles wrapped in page furniture, written by us.

Nothing here is copied from a real page. :func:`text_page` lays an article out
the way a "save as text" dump does (masthead, menu, headline, byline, date,
paragraphs, a teaser box, a footer), with the furniture chosen per outlet so
that two outlets' copies of one wire story differ in everything but the story.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

MENUS = [
    ["Home", "World", "Business", "Science", "Sport", "Opinion", "Podcasts", "Subscribe"],
    ["News", "Politics", "Economy", "Climate", "Culture", "Video", "Sign in"],
    ["Front page", "Local", "National", "International", "Weather", "Newsletters", "Log in"],
    ["Latest", "Markets", "Tech", "Health", "Travel", "Puzzles", "Register", "Donate"],
    ["Top stories", "Regions", "Analysis", "Features", "Photos", "Contact us"],
]
FOOTERS = [
    ["About us", "Contact", "Privacy policy", "Terms of use", "© {outlet} 2026"],
    ["Careers", "Advertise with us", "Cookie settings", "All rights reserved, {outlet}"],
    ["Help centre", "Accessibility", "Corrections", "Copyright 2026 {outlet}"],
]
TEASERS = [
    "Harbour authority opens bidding for new ferry terminal",
    "Museum night draws record crowds despite the rain",
    "City council delays vote on cycling lanes until spring",
    "Local bakery wins regional bread prize for third year",
    "Storm warning lifted for the northern coast",
]


def text_page(
    *,
    outlet: str,
    headline: str,
    paragraphs: list[str],
    byline: str | None = None,
    date: dt.date | None = None,
    url: str | None = None,
    seed: int = 0,
) -> str:
    """A text dump of one article page, furniture picked by ``seed``."""
    rnd = random.Random(seed)
    lines: list[str] = ["Skip to main content", outlet]
    lines += MENUS[rnd.randrange(len(MENUS))]
    if url:
        lines += ["", url]
    lines += ["", headline, ""]
    if byline:
        lines.append(f"By {byline}")
    if date:
        lines.append(f"Published {date.day} {date.strftime('%B %Y')}")
    lines.append("")
    for p in paragraphs:
        lines += [p, ""]
    lines += ["Share this article", "", "More from " + outlet]
    lines += rnd.sample(TEASERS, 3)
    lines += [""] + [f.format(outlet=outlet) for f in FOOTERS[rnd.randrange(len(FOOTERS))]]
    return "\n".join(lines) + "\n"


def write(path: Path, content: str) -> Path:
    """Write ``content`` to ``path`` (folders made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


# A fictional wire story and a different story on the same subject.
WIRE = [
    "Engineers in the port city of Velmora began pumping water out of the flooded metro "
    "tunnels on Tuesday, three days after a storm surge overtopped the river barrier and "
    "poured into four underground stations.",
    "The city transport authority said the pumps were moving about 2,000 cubic metres of "
    "water an hour and that the first line could reopen by the end of next week if the "
    "signalling equipment had survived the flooding.",
    "Inspectors found silt and debris up to a metre deep on the platforms of the central "
    "station, and the authority warned that the escalators there would have to be taken "
    "apart and dried before anyone could use them again.",
    "Commuters have been crowding onto replacement buses since Saturday, and traffic on the "
    "ring road has slowed to a crawl during the morning rush as drivers avoid the closed "
    "bridges over the river.",
    "The storm surge was the highest recorded in the city since measurements began in 1921, "
    "the national weather office said, and the river barrier had been built to a standard "
    "set after a smaller flood in the 1970s.",
]
OTHER = [
    "The regional assembly of Velmora voted on Thursday to raise the height of the river "
    "barrier by two metres, a project that engineers expect to take six years and to cost "
    "more than the city spends on schools in a decade.",
    "Opposition members argued that the money would be better spent moving the most exposed "
    "neighbourhoods away from the water, and several speakers called for a national fund to "
    "pay for flood defences in every coastal town.",
    "The assembly also asked the transport authority to publish a plan for keeping the metro "
    "running during future floods, including watertight doors at the entrances of the "
    "stations closest to the river.",
    "A final design for the new barrier is due next year, after a public consultation in "
    "which residents of the riverside districts will be invited to comment on the routes.",
]
