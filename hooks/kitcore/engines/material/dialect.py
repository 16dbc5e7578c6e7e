"""Material for MkDocs' Markdown dialect: the centre model's typed pages and navigation as MkDocs reads them.

Every syntax that only MkDocs, mkdocs-macros or Material understand is written here, nowhere in the core: front
matter keys (`render_macros`, `hide`), grid cards, icon shortcodes, the `{ download }` attribute, admonitions, and
the navigation as MkDocs' `nav` configuration.
"""
from __future__ import annotations

import json

from kitcore import blocks as b
from kitcore import copies
from kitcore.elsewhere import KIT_CLASS
from kitcore.writer import MarkdownWriter

# Material's bundled icon set (no font or image fetched at run time).
ICONS = {
    b.IconName.DOWNLOAD: ":material-download:",
    b.IconName.PRINT: ":material-printer:",
    b.IconName.SELF_ASSESSMENT: ":material-clipboard-check-outline:",
}


class MaterialWriter(MarkdownWriter):
    """The kits' Markdown plus Material's components."""

    def page(self, page: b.Page) -> str:
        return front_matter(page) + self.blocks(page.blocks)

    def icon(self, s: b.Icon) -> str:
        return ICONS[s.name]

    def link(self, s: b.Link) -> str:
        # attr_list's « download » attribute: the browser saves the file instead of opening it.
        return super().link(s) + ("{ download }" if s.kind is b.LinkKind.DOWNLOAD else "")

    def other_centre_link(self, s: b.Link) -> str:
        """Both variants of a link to another centre's kit: the online one, then the offline one (kitcore.copies)."""
        if s.offline is None:
            return super().other_centre_link(s)
        return (self.html_link(s.label, s.href, f"{KIT_CLASS} {copies.ONLINE}")
                + copies.offline_only(self.html_link(s.label, s.offline, KIT_CLASS)))

    def write_notice(self, item: b.Notice) -> str:
        return f'!!! warning "{item.title}"\n    {item.text}\n\n'

    def card_lines(self, card: b.Card, note_first: bool) -> list[str]:
        """A grid card as the lines of a list item: linked title, a rule, the text, the note (or note then text)."""
        badge = f" *({card.badge})*" if card.badge else ""
        title = f"-   **[{self.span(card.title)}]({card.href})**{badge}"
        note, text = f"    <small>{card.note}</small>", f"    {self.span(card.text)}"
        return [title, "", note, "", text, ""] if note_first else [title, "", "    ---", "", text, "", note, ""]

    def write_cards(self, item: b.Cards) -> str:
        role = f" {item.role}" if item.role else ""
        lines = [line for card in item.cards for line in self.card_lines(card, item.note_first)]
        return "\n".join([f'<div class="grid cards{role}" markdown>', "", *lines, "</div>"]) + "\n"


_WRITER = MaterialWriter()


def template_text(text: str) -> str:
    """Kit text made safe for theme templates that print it unescaped (titles, navigation, meta description)."""
    # « & » can only start a character reference, which never leaves its element or quoted attribute: it is kept,
    # so that « Entreprises & fondations » is not shown as « &amp; » where the theme escapes a second time.
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")



def front_matter(page: b.Page) -> str:
    """The page's YAML front matter: its title, no macros (kit text is not a template), and what the theme hides."""
    meta: dict = {"title": page.window_title, "render_macros": False}
    if page.kit:
        meta["kit"] = page.kit
    if page.description is not None:
        meta["description"] = page.description
    if page.part:
        meta["partie"] = page.part
    if page.self_assessment:
        meta["autodiagnostic"] = True
    hidden = [name for name, shown in (("navigation", page.navigation), ("toc", page.toc)) if not shown]
    if hidden:
        meta["hide"] = hidden
    # The theme prints the title and description without escaping (nav, <title>, <meta>): escape kit text here.
    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = template_text(meta[key])
    # JSON is valid YAML: no quoting surprise whatever the title holds.
    return "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()) + "\n---\n\n"


def markdown(page: b.Page) -> str:
    """A page of the centre model as Material-flavoured Markdown, front matter included."""
    return _WRITER.page(page)


def _nav_item(item: b.NavItem):
    if isinstance(item, b.NavPage):
        return item.path if item.title is None else {template_text(item.title): item.path}
    return {template_text(item.title): [_nav_item(child) for child in item.children]}


def nav(centre) -> list:
    """The centre's navigation as MkDocs' `nav` configuration (titles escaped: the theme prints them as is)."""
    return [_nav_item(item) for item in centre.nav]
