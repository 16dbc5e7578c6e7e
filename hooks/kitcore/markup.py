"""Allow-list sanitising of the HTML rendered from contributed Markdown."""
from __future__ import annotations

import nh3

# What contributors keep: text formatting, lists, tables, links, images, <details>, footnotes,
# and the classes Material's Markdown extensions put on them. Everything else is stripped.
TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "label", "input", "svg",
    "path",
}
GENERIC = {"class", "id", "title", "lang", "dir"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": GENERIC | {"href", "download", "hreflang"},
    "img": GENERIC | {"src", "alt", "width", "height", "loading"},
    "td": GENERIC | {"colspan", "rowspan", "align"},
    "th": GENERIC | {"colspan", "rowspan", "align", "scope"},
    "ol": GENERIC | {"start", "type"},
    "details": GENERIC | {"open"},
    "input": {"type", "checked", "disabled", "id", "name", "class"},
    "label": GENERIC | {"for"},
    "svg": {"xmlns", "viewbox", "width", "height", "class", "aria-hidden"},
    "path": {"d"},
    "col": GENERIC | {"span"},
    "colgroup": GENERIC | {"span"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """Strip scripts, event handlers, styles, frames and unsafe URLs from rendered kit HTML."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
