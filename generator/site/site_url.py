"""The public address the site is published at (`--site-url` or GUIDEBOOK_SITE_URL) → checked.

The address goes into every page (canonical link, hreflang alternates) and the sitemap, so it
must be a plain absolute http(s) URL: a scheme, a host, an optional port and path, nothing
else — no quotes, spaces or angle brackets (they would end the attribute it is written in),
no user name, query or fragment. `checked_site_url` returns it with a trailing slash, or raises
BadSiteUrl saying what is wrong. Without an address the site is still complete, but carries no
absolute URL at all (no canonical, hreflang or sitemap) rather than a made-up host.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

ENV = "GUIDEBOOK_SITE_URL"
MISSING = ("no site URL (--site-url URL or GUIDEBOOK_SITE_URL): built without canonical, hreflang "
           "and sitemap URLs; set it for a production build")

# RFC 3986 path characters without the quote and the characters HTML or a server config treat
# specially; percent-escapes are allowed.
_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&()*+,;=:@/]|%[0-9A-Fa-f]{2})*")
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                   r"|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]")


class BadSiteUrl(ValueError):
    """The site URL is not one the site can be published at; the message says why."""


def checked_site_url(text: str) -> str:
    """`text` as the site's base URL ending in "/", or BadSiteUrl."""
    shown = repr(text)
    if not text or text != text.strip() or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise BadSiteUrl(f"site URL {shown}: expected an absolute http(s) URL such as "
                         "https://example.org/guidebook/, without spaces")
    for bad in "\"'<>`\\{}|^":
        if bad in text:
            raise BadSiteUrl(f"site URL {shown}: the character {bad} is not allowed in it")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadSiteUrl(f"site URL {shown}: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise BadSiteUrl(f"site URL {shown}: expected an http:// or https:// URL")
    if "?" in text or "#" in text:
        raise BadSiteUrl(f"site URL {shown}: a query (?…) or fragment (#…) is not allowed; give the folder the site is served from")
    if "@" in parts.netloc:
        raise BadSiteUrl(f"site URL {shown}: a user name or password is not allowed in it")
    host = parts.hostname or ""
    if not host or not _HOST.fullmatch(parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc):
        raise BadSiteUrl(f"site URL {shown}: expected a host name after {parts.scheme}://")
    if not _PATH.fullmatch(parts.path) or "//" in parts.path or any(s in (".", "..") for s in parts.path.split("/")):
        raise BadSiteUrl(f"site URL {shown}: the path {parts.path!r} is not a plain folder path")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"
