"""Allow-list sanitising of the HTML rendered from contributed Markdown, and escaping of kit text for Markdown."""
from __future__ import annotations

import re
from typing import Callable

import nh3

# What contributors keep (documented in docs/contenus-autorises.md): text formatting, headings, lists, tables,
# links, images of the kit, <details>, footnotes, abbreviations, and the markup Material's Markdown extensions
# produce (admonitions, code highlighting, task lists, emoji icons as inline SVG). Everything else is stripped.
TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "label", "input", "svg",
    "path",
}
# Removed with their content: code and styles, and elements whose text would only confuse once their tag is gone.
CONTENT_TAGS = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "frame", "frameset", "noframes",
    "noembed", "xmp", "textarea", "select", "title", "math", "applet",
}
GENERIC = {"class", "id", "title", "lang", "dir"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": GENERIC | {"href", "download", "hreflang"},
    # The offline variants of the project's links (kitcore.copies) are spans hidden until the offline stylesheet
    # shows them. Kit text may not use `hidden` (nor the variants' classes): make check refuses it
    # (references.find_copy_markup), since the sanitiser sees the project's markup and the kit's as one page.
    "span": GENERIC | {"hidden"},
    "img": GENERIC | {"src", "alt", "width", "height", "loading"},
    "td": GENERIC | {"colspan", "rowspan", "align"},
    "th": GENERIC | {"colspan", "rowspan", "align", "scope"},
    "ol": GENERIC | {"start", "type"},
    "details": GENERIC | {"open"},
    "input": {"type", "checked", "disabled", "class"},
    "label": GENERIC | {"for"},
    # SVG attribute names are case-sensitive once parsed: « viewBox », not « viewbox » (emoji icons need it).
    "svg": {"xmlns", "viewBox", "width", "height", "class", "aria-hidden"},
    "path": {"d"},
    "col": GENERIC | {"span"},
    "colgroup": GENERIC | {"span"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# A theme's own elements have ids starting with « _ » (#__config holds Material's settings, read with
# querySelector): a kit element with such an id, earlier in the page, would hijack them (DOM clobbering).
_RESERVED_ID = re.compile(r"^\s{0,4096}_")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]{0,255}:")


# Whether a theme's script acts on a class name (the engine adapter declares its theme's): the sanitiser removes
# such classes from kit text, and the kit checks warn of them.
ReservedClass = Callable[[str], bool]


def _no_class(name: str) -> bool:
    return False


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("id", "for") and _RESERVED_ID.match(value):
        return None
    if tag == "input" and attribute == "type" and value.strip().lower() != "checkbox":
        return None  # task lists only: no text field that could pose as a login form
    if tag == "img" and attribute == "src":
        compact = re.sub(r"[\x00-\x20]", "", value)
        if _SCHEME.match(compact) or compact.startswith(("/", "\\")):
            return None  # images come from the kit itself: nothing remote (tracking, offline use), nothing absolute
    if tag == "a" and attribute == "href":
        compact = re.sub(r"[\x00-\x20]", "", value)
        if compact.startswith(("/", "\\")):
            return None  # protocol-relative (another host) or absolute (outside the centre): whatever escaped the check
    return value


# nh3 keeps an element whose refused attribute it drops: an <input> that loses « type="text" » would still be a
# text field (the default type). Its output is serialised HTML (double-quoted attributes, no « < » or « > »
# inside a tag), so its inputs can be told apart exactly.
_INPUT = re.compile(r"<input\b[^<>]{0,4096}>")


def _checkbox_only(match: re.Match[str]) -> str:
    return match.group(0) if 'type="checkbox"' in match.group(0) else ""


class Sanitiser:
    """The allow-list sanitiser of kit HTML, with the classes a theme reserves removed too."""

    def __init__(self, reserved: ReservedClass = _no_class) -> None:
        self.reserved = reserved
        self._cleaner = nh3.Cleaner(
            tags=TAGS,
            clean_content_tags=CONTENT_TAGS,
            attributes=ATTRIBUTES,
            attribute_filter=self._filter_attribute,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )

    def reserved_classes(self, value: str) -> list[str]:
        """The classes of a `class` attribute that the sanitiser removes because the theme's script acts on them."""
        return [c for c in value.split() if self.reserved(c)]

    def _filter_attribute(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            removed = self.reserved_classes(value)
            kept = [c for c in value.split() if c not in removed]
            return " ".join(kept) or None
        return _filter_attribute(tag, attribute, value)

    def clean(self, html: str) -> str:
        """Strip scripts, event handlers, styles, frames, forms and unsafe URLs from rendered kit HTML."""
        cleaned = self._cleaner.clean(html)
        return _INPUT.sub(_checkbox_only, cleaned) if "<input" in cleaned else cleaned


_PLAIN = Sanitiser()


def clean_html(html: str) -> str:
    """Strip scripts, event handlers, styles, frames, forms and unsafe URLs (no theme's classes reserved)."""
    return _PLAIN.clean(html)


# Characters that open a Markdown construct (or one of the enabled extensions': emoji « :x: », attributes
# « { } », abbreviations, footnotes) anywhere in a line; and those that do only at the start of a paragraph.
_INLINE_MARKS = re.compile(r"[\\`*_\[\]<>&!{}:#|~]")
_LEADING_MARKS = re.compile(r"^(?:[-+=]|\d{1,9}(?=[.)]))")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]{0,4096}\n")
_TO_SPACE = str.maketrans("\t\r\n\f\v", "     ")


def _reference(match: re.Match[str]) -> str:
    return "".join(f"&#{ord(c)};" for c in match.group(0)) if not match.group(0).isdigit() else match.group(0) + "\\"


def literal_markdown(text: str) -> str:
    """Text from YAML (titles, summaries, authors, figures) shown as is inside Markdown: paragraphs kept, each on
    one line, every mark Markdown would read replaced by its character reference (« * » by « &#42; »)."""
    # Only ordinary white space is folded: the no-break spaces of French typography stay where they were put.
    paragraphs = (" ".join(w for w in p.translate(_TO_SPACE).split(" ") if w) for p in _PARAGRAPH_BREAK.split(text.strip()))
    return "\n\n".join(_LEADING_MARKS.sub(_reference, _INLINE_MARKS.sub(_reference, p)) for p in paragraphs if p)
