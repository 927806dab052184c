"""Enrichment: pure functions that add facts (people, quotes, sources, topics) to an article."""
