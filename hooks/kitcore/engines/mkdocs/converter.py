"""One configured Markdown converter per build, reset between pages: MkDocs 1.6 builds a new one for every page,
which registers every extension again (a tenth of a centre's rendering)."""
from __future__ import annotations

import hashlib
import inspect
import logging

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import (Page, _ExtractAnchorsTreeprocessor, _ExtractTitleTreeprocessor,
                                    _RawHTMLPreprocessor, _RelativePathTreeprocessor)
from mkdocs.structure.toc import get_toc

_log = logging.getLogger("mkdocs.structure.pages")  # the logger whose level Page.render consults
# SHA-256 of the source of the `Page.render` that `Converter.render` follows (MkDocs 1.6.1, pinned). It uses
# MkDocs' private processors: under any other MkDocs, pages are left to MkDocs' own render (slower, never wrong).
_FOLLOWED = "320529348f7a8af152073d0a3ab02960ccce91f9204716144e51b20931983cc6"


def _follows_mkdocs() -> bool:
    try:
        return hashlib.sha256(inspect.getsource(Page.render).encode()).hexdigest() == _FOLLOWED
    except (OSError, TypeError):
        return False


FOLLOWS_MKDOCS = _follows_mkdocs()


class Converter:
    """The Markdown instance of one build's configuration, and the number of pages it converted."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.config = config
        self.markdown = markdown.Markdown(extensions=config["markdown_extensions"],
                                          extension_configs=config["mdx_configs"] or {})
        self.pages = 0

    def render(self, page: Page, files: Files) -> None:
        """`Page.render` of MkDocs 1.6.1 (pinned), with this converter reset instead of a new one built."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.markdown.reset()
        # MkDocs' own processors hold one page's state: new ones, registered under their names (replacing the
        # previous page's).
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(page.file, files, self.config)
        anchors._register(md)
        relative = _RelativePathTreeprocessor(page.file, files, self.config)
        relative._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if _log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors
        self.pages += 1


_current: list[Converter] = []


def converter(config: MkDocsConfig) -> Converter:
    """The converter of this configuration (`mkdocs serve` loads a new one for every rebuild)."""
    if not _current or _current[0].config is not config:
        _current[:] = [Converter(config)]
    return _current[0]


def reuse(page: Page, config: MkDocsConfig) -> None:
    """Make `page` render with the build's converter (MkDocs calls `page.render(config, files)` next)."""
    if not FOLLOWS_MKDOCS:
        return
    def render(config: MkDocsConfig, files: Files) -> None:
        converter(config).render(page, files)

    page.render = render  # type: ignore[method-assign]
