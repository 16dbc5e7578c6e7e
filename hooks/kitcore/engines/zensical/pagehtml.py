"""A Markdown extension run inside Zensical: what the MkDocs hook does to a page's HTML, done where Zensical allows it.

Zensical has no hooks but renders with Python-Markdown, so this postprocessor gets each page's HTML as MkDocs'
`on_page_content` does: kit text is sanitised, kit pages get their glossary tooltips, downloads their printed
address. What it needs of the centre comes from a file written by the parent build (`Rules`), read once.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

from ... import glossary, printing
from ..material import theme as material
from ...kits import Term

RULES_FILE = "regles.pickle"


@dataclass(frozen=True)
class Rules:
    """What the page HTML of one centre needs: which pages are trusted, which are kit pages, the glossary."""

    centre: str
    site_url: str | None
    trusted: frozenset[str]  # docs/ pages shown as written (the project's own, rendering no registry text)
    kit_pages: frozenset[str]
    terms: list[Term] = field(default_factory=list)
    edit_urls: dict[str, str] = field(default_factory=dict)  # page → the file a contributor edits (kits/<id>/…)
    steps: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # page → « Précédent » / « Suivant »


def write_rules(rules: Rules, folder: Path) -> Path:
    """Write the rules beside the Zensical project; the extension reads them back in Zensical's process."""
    path = folder / RULES_FILE
    path.write_bytes(pickle.dumps(rules))
    return path


@lru_cache(maxsize=4)
def _rules(path: str) -> Rules:
    # Written by this build's parent process just before starting Zensical (write_rules): trusted input.
    return pickle.loads(Path(path).read_bytes())  # noqa: S301


def page_html(html: str, page: str, rules: Rules) -> str:
    """The HTML of the page at `page` (its Markdown path in the centre) as the centre publishes it."""
    if page not in rules.trusted:
        html = material.clean_html(html)  # Zensical renders Material's theme: the same classes are active
        if page in rules.kit_pages:
            # After the sanitiser: the tooltips are the project's markup, their text escaped from glossaire.yml.
            html = glossary.mark_terms(html, rules.terms, "../" * page.count("/") + glossary.PAGE[:-3] + ".html")
    return printing.with_addresses(html, page[:-3] + ".html", rules.centre, rules.site_url)


class _PageHtml(Postprocessor):
    def __init__(self, md: Markdown, rules: str) -> None:
        super().__init__(md)
        self.rules = rules

    def run(self, text: str) -> str:
        # Zensical's rendering context names the page being rendered; without it (another caller), change nothing.
        from zensical.extensions.context import ContextPreprocessor

        context = ContextPreprocessor.from_markdown(self.md)
        if context is None or not self.rules:
            return text
        rules = _rules(self.rules)
        edit_url = rules.edit_urls.get(context.page.path)
        if edit_url:
            # Zensical hands this metadata to the templates (page.meta): partials/proposer.html links to it.
            context.page.meta["edit_url"] = edit_url
        if context.page.path in rules.steps:
            context.page.meta["voisins"] = rules.steps[context.page.path]  # partials/footer.html shows them
        return page_html(text, context.page.path, rules)


class PageHtmlExtension(Extension):
    """Registers the postprocessor last, once raw HTML is back in the page (as MkDocs' on_page_content sees it)."""

    def __init__(self, **kwargs) -> None:
        self.config = {"rules": ["", "Path of the rules file written by the build (write_rules)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.postprocessors.register(_PageHtml(md, self.getConfig("rules")), "centre_page_html", 0)


def makeExtension(**kwargs) -> PageHtmlExtension:  # noqa: N802 - Python-Markdown's entry point
    """Python-Markdown's entry point for `kitcore.engines.zensical.pagehtml`."""
    return PageHtmlExtension(**kwargs)
