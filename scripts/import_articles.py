#!/usr/bin/env python3
"""Import news pages into a newsdb database: the same as `newsdb import PATH...`.

Usage: scripts/import_articles.py [--db URL-OR-PATH] [--strict] [--json] PATH...
"""

from __future__ import annotations

import sys

from newsdb.cli import cli


def _arguments(argv: list[str]) -> list[str]:
    """Move the group options (--db, --traceback) in front of the `import` command."""
    group: list[str] = []
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            group += [arg, next(args, "")]
        elif arg.startswith("--db=") or arg == "--traceback":
            group.append(arg)
        else:
            rest.append(arg)
    return [*group, "import", *rest]


if __name__ == "__main__":
    cli(_arguments(sys.argv[1:]), prog_name="import_articles.py")
