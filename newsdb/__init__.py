"""newsdb: turn a folder of saved news pages into one queryable relational database."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
