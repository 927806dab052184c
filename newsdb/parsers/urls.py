"""URL normalisation: one spelling per page, so the same article saved twice is one article.

Pure functions, no network: nothing here follows redirects or asks a server anything.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["TRACKING_PARAMS", "normalize_url"]

# Query parameters that say how a reader arrived (campaign, click and mail ids), never which
# page they asked for. Names are compared lower-cased; ``utm_*`` and friends by prefix.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "cmp",
        "icid",
        "ncid",
        "mbid",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "smid",
        "smtyp",
        "sr_share",
        "spm",
        "wt_mc",
        "wt.mc_id",
        "xtor",
        "ito",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "vero_id",
        "oly_enc_id",
        "oly_anon_id",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "matomo_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left unescaped in a path: RFC 3986 unreserved, sub-delims, ":" and "@" (and "/"
# as the separator). Anything else is percent-encoded, in upper-case hex.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_PERCENT_RE = re.compile(r"%[0-9a-fA-F]{2}")


def _is_tracking(name: str) -> bool:
    key = name.lower()
    return key in TRACKING_PARAMS or key.startswith(_TRACKING_PREFIXES)


def _normalize_path(path: str) -> str:
    # Decode then re-encode, so "%7e", "%7E" and "~" are one spelling; "%2F" stays encoded
    # because decoding it would change which path it is.
    parts = [quote(unquote(p), safe=_PATH_SAFE.replace("/", "")) for p in path.split("/")]
    path = "/".join(parts)
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path or "/"


def normalize_url(url: str) -> str:
    """Return one canonical spelling of a web address.

    Scheme and host are lower-cased, a leading ``www.`` and the scheme's default port are
    dropped, the fragment is dropped, tracking parameters (``utm_*``, ``fbclid``, ``gclid``,
    ``mc_cid``, ``ocid``, ``cmpid``, ...) are removed and the remaining query parameters are
    sorted, and a non-root path loses its trailing slash. The scheme itself is kept (``http``
    stays ``http``): whether a site serves the same page on both is not ours to guess.

    Args:
        url: An absolute URL (``https://...``); a scheme-relative one (``//host/path``) is
            read as ``https``. Surrounding whitespace is ignored.

    Returns:
        The normalised URL. A string that is not an absolute http(s) URL is returned
        stripped but otherwise unchanged.
    """
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # an unparsable port or IPv6 literal: leave the string alone
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    if parts.username:  # kept: it can select a different resource
        auth = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{auth}@{netloc}"
    pairs = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    pairs.sort()
    query = urlencode(pairs, quote_via=quote, safe="/:@!$'()*+,;-._~")
    return urlunsplit((scheme, netloc, _normalize_path(parts.path), query, ""))
