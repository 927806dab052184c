"""Tests of URL normalisation."""

from __future__ import annotations

import pytest

from newsdb.parsers.urls import normalize_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/News/Story", "https://example.com/News/Story"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("http://example.com/a", "http://example.com/a"),  # the scheme is kept
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        (
            "https://example.com/a?utm_source=rss&utm_medium=x&id=7&fbclid=abc&gclid=1",
            "https://example.com/a?id=7",
        ),
        ("https://example.com/a?mc_cid=1&mc_eid=2&ocid=3&cmpid=4", "https://example.com/a"),
        ("https://example.com/a?q=caf%c3%a9", "https://example.com/a?q=caf%C3%A9"),
        ("https://example.com/caf%c3%a9/%7euser", "https://example.com/caf%C3%A9/~user"),
        ("https://example.com/a%2Fb", "https://example.com/a%2Fb"),
        ("//www.example.com/a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://sub.www.example.com/a", "https://sub.www.example.com/a"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize("url", ["mailto:someone@example.com", "not a url", "/relative/path", ""])
def test_what_is_not_a_web_address_is_left_alone(url: str) -> None:
    assert normalize_url(url) == url.strip()


def test_normalizing_twice_changes_nothing() -> None:
    url = "HTTP://WWW.Example.com:80/a/b/?z=1&utm_campaign=x&a=%7e#top"
    once = normalize_url(url)
    assert normalize_url(once) == once
