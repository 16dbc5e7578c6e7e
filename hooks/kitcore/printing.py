"""Paper readers cannot follow a link: each download link of a page gets its full address, printed after it."""
from __future__ import annotations

import posixpath
import re
from html import escape, unescape

CLASS = "adresse-imprimee"  # hidden on screen, shown in print (docs/assets/centre.css)
_DOWNLOAD = re.compile(r'(<a\b[^>]*\bdownload\b[^>]*>.*?</a>)', re.S)
_HREF = re.compile(r'\bhref="([^"]*)"')


def address(href: str, page: str, centre: str, site_url: str | None) -> str | None:
    """The address of `href` (relative, as written in the page at `page`) for a reader of paper."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith(("/", "#")):
        return None
    inside = posixpath.normpath(posixpath.join(posixpath.dirname(page), unescape(href).split("#")[0]))
    if inside.startswith(".."):
        return None
    if site_url:
        return f"{site_url.rstrip('/')}/{centre}/{inside}"
    return f"{inside}, dans le dossier du centre"


def with_addresses(html: str, page: str, centre: str, site_url: str | None) -> str:
    """`html` (of the page at `page`, relative to the centre's root) with a printed address after each download."""
    def add(match: re.Match[str]) -> str:
        link = match.group(1)
        href = _HREF.search(link)
        where = address(href.group(1), page, centre, site_url) if href else None
        if where is None:
            return link
        return f'{link}<span class="{CLASS}"> (adresse\u00a0: {escape(where)})</span>'
    return _DOWNLOAD.sub(add, html)
