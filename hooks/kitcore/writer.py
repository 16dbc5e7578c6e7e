"""Blocks written as Markdown in the syntax of the kit parts (Python-Markdown and its common extensions): the base
that an engine's dialect extends, and what the standalone documents (PDF, EPUB) render."""
from __future__ import annotations

import html

from . import blocks as b
from .elsewhere import KIT_CLASS
from .markup import literal_markdown


def _href(address: str) -> str:
    # Parentheses would end a Markdown link early; addresses are validated (https, no spaces).
    return address.replace("(", "%28").replace(")", "%29")


class MarkdownWriter:
    """Writes blocks and spans as Markdown; one method per type, which a dialect overrides where it differs."""

    def page(self, page: b.Page) -> str:
        """The body of a page (no front matter)."""
        return self.blocks(page.blocks)

    def blocks(self, items: tuple[b.Block, ...]) -> str:
        """Blocks one after the other, a blank line between them."""
        return "\n".join(self.block(item) for item in items)

    def block(self, item: b.Block) -> str:
        """One block, ending with a line break."""
        return getattr(self, "write_" + type(item).__name__.lower())(item)

    # Spans, in Markdown and in raw HTML (inside an HTML element, Markdown is not read).
    def spans(self, content: tuple[b.Span, ...]) -> str:
        """Spans as inline Markdown."""
        return "".join(self.span(s) for s in content)

    def span(self, s: b.Span) -> str:
        """One span as inline Markdown."""
        if isinstance(s, str):
            return s
        if isinstance(s, b.Literal):
            return literal_markdown(s.text)
        if isinstance(s, b.Link):
            return self.link(s)
        if isinstance(s, b.Strong):
            return f"**{self.spans(s.content)}**"
        if isinstance(s, b.Emphasis):
            return f"*{self.spans(s.content)}*"
        if isinstance(s, b.Small):
            return f"<small>{self.spans(s.content)}</small>"
        return self.icon(s)

    def link(self, s: b.Link) -> str:
        """A link in Markdown; a link to another centre in HTML, which the engine does not try to check."""
        if s.kind is b.LinkKind.OTHER_CENTRE:
            return self.other_centre_link(s)
        href = _href(s.href) if s.kind is b.LinkKind.OUTSIDE else s.href
        return f"[{self.spans(s.label)}]({href})"

    def other_centre_link(self, s: b.Link) -> str:
        """A link to a kit of another centre, as HTML: where it is online (documents have no offline copy)."""
        return self.html_link(s.label, s.href, KIT_CLASS)

    def html_link(self, label: tuple[b.Span, ...], href: str, classes: str = "") -> str:
        """A link as HTML, with its classes."""
        cls = f' class="{classes}"' if classes else ""
        return f'<a{cls} href="{html.escape(href)}">{self.html_spans(label)}</a>'

    def icon(self, s: b.Icon) -> str:
        """No icon in plain Markdown (documents carry no icon font)."""
        return ""

    def html_spans(self, content: tuple[b.Span, ...]) -> str:
        """Spans as HTML, for the inside of an HTML element."""
        out = []
        for s in content:
            if isinstance(s, str):
                out.append(html.escape(s, quote=False))
            elif isinstance(s, b.Literal):
                out.append(html.escape(s.text))
            elif isinstance(s, b.Link) and s.kind is b.LinkKind.OTHER_CENTRE:
                out.append(self.other_centre_link(s))
            elif isinstance(s, b.Link):
                out.append(self.html_link(s.label, s.href))
            elif isinstance(s, b.Strong):
                out.append(f"<strong>{self.html_spans(s.content)}</strong>")
            elif isinstance(s, b.Emphasis):
                out.append(f"<em>{self.html_spans(s.content)}</em>")
            elif isinstance(s, b.Small):
                out.append(f"<small>{self.html_spans(s.content)}</small>")
        return "".join(out)

    # Blocks.
    def write_heading(self, item: b.Heading) -> str:
        return f"{'#' * item.level} {self.spans(item.content)}\n"

    def write_paragraph(self, item: b.Paragraph) -> str:
        return f"{self.spans(item.content)}\n"

    def write_itemlist(self, item: b.ItemList) -> str:
        mark = "1. " if item.ordered else "- "
        return "\n".join(mark + self.spans(line) for line in item.items) + "\n"

    def write_lead(self, item: b.Lead) -> str:
        return f'<p class="centre-promesse">{html.escape(item.text)}</p>\n'

    def write_breadcrumb(self, item: b.Breadcrumb) -> str:
        return f'<p class="kit-context">{self.html_spans(item.content)}</p>\n'

    def write_byline(self, item: b.Byline) -> str:
        return f'<p class="kit-byline"><small>{self.html_spans(item.content)}</small></p>\n'

    def write_feedlink(self, item: b.FeedLink) -> str:
        return f'<p class="centre-flux"><a href="{html.escape(item.href)}">{html.escape(item.label)}</a></p>\n'

    def write_notice(self, item: b.Notice) -> str:
        return (f'<aside class="avertissement"><p><strong>{html.escape(item.title)}</strong></p>'
                f"<p>{html.escape(item.text)}</p></aside>\n")

    def write_cards(self, item: b.Cards) -> str:
        lines = []
        for card in item.cards:
            badge = f" *({card.badge})*" if card.badge else ""
            lines.append(f"- **[{self.span(card.title)}]({card.href})**{badge} — {self.span(card.text)} "
                         f"<small>{card.note}</small>")
        return "\n".join(lines) + "\n"

    def write_definitions(self, item: b.Definitions) -> str:
        out = []
        for entry in item.entries:
            term = f'<dfn id="{entry.anchor}">{html.escape(entry.term)}</dfn>' if entry.anchor else entry.term
            out.append(f"{term}\n:   {self.spans(entry.content)}\n")
        return "\n".join(out)

    def write_downloads(self, item: b.Downloads) -> str:
        return self.write_itemlist(b.ItemList(tuple(d.spans() for d in item.items)))

    def write_kitmarkdown(self, item: b.KitMarkdown) -> str:
        return item.text + "\n"

    def write_html(self, item: b.Html) -> str:
        return item.markup if item.markup.endswith("\n") else item.markup + "\n"

    def write_division(self, item: b.Division) -> str:
        anchor = f' id="{item.anchor}"' if item.anchor else ""
        return f'<div class="{item.role}"{anchor} markdown>\n\n{self.blocks(item.blocks)}\n</div>\n'


def markdown(page: b.Page) -> str:
    """The body of a page in plain Markdown (what the documents render)."""
    return MarkdownWriter().page(page)
