"""« Précédent » / « Suivant » for Zensical, which has no hook: kitcore.neighbours' steps, written into each page's
metadata by the page HTML extension, in the navigation order the MkDocs hook reads from MkDocs' nav."""
from __future__ import annotations

import posixpath

from ... import blocks, neighbours, typography
from ..material.dialect import template_text  # Material's dialect, which Zensical reads: titles escaped once
from ...pages import Centre


def _paths(items: list) -> list[tuple[str, str | None]]:
    """(path, nav title) of every page of a navigation, in order: typed items, or MkDocs-style entries."""
    out: list[tuple[str, str | None]] = []
    for item in items:
        if isinstance(item, blocks.NavPage):
            out.append((item.path, item.title))
        elif isinstance(item, blocks.NavSection):
            out += _paths(list(item.children))
        elif isinstance(item, str):
            out.append((item, None))
        elif isinstance(item, dict):
            for title, value in item.items():
                out += _paths(value) if isinstance(value, list) else [(value, title)]
    return out


def order(centre: Centre, shared_nav: list, doc_titles: dict[str, str]) -> list[neighbours.Entry]:
    """Every page of the navigation in order, titled as MkDocs titles them (nav title, else the page's)."""
    pages = {p.path: p for p in centre.pages}
    kit_titles = {k.id: template_text(typography.french_spacing(k.titre)) for k in centre.kits}
    entries = []
    for path, title in _paths(list(centre.nav)) + _paths(shared_nav):
        page = pages.get(path)
        own = template_text(page.window_title) if page else doc_titles.get(path, "")
        kit = page.kit if page else None
        entries.append(neighbours.Entry(path, template_text(title) if title else own, kit, kit_titles.get(kit)))
    return entries


def steps_of(entries: list[neighbours.Entry]) -> dict[str, list[dict[str, str]]]:
    """Each page's steps as the footer shows them: direction, title, and the link relative to the page."""
    out = {}
    for entry in entries:
        here = posixpath.dirname(entry.path)
        found = [s for s in neighbours.steps(entries, entry.path) if s is not None]
        out[entry.path] = [{"sens": s.direction, "titre": s.title,
                            "href": posixpath.relpath(s.path[:-3] + ".html", here or ".")} for s in found]
    return out
