"""A kit as a standalone document (for PDF and EPUB): its generated pages rendered to sanitised HTML, engine-free."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import markdown

from .. import attachments, csvexport, parts, writer
from ..blocks import Breadcrumb
from ..kits import Kit
from ..markup import clean_html
from ..pages import PRINTABLE, Centre, Page, kit_dir

# The Markdown extensions of the sites (mkdocs.yml) that kit text may use, without the theme's icon set
# (`:material-download:` shortcodes are dropped: the documents carry no icon font). tests/test_documents.py
# checks that this list follows mkdocs.yml.
EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist",
]
EXTENSION_CONFIGS = {"toc": {"permalink": False}, "pymdownx.tasklist": {"custom_checkbox": False}}
# Icon shortcodes a contributor may write in a part (the plain writer writes none).
_ICON = re.compile(r":(?:material|fontawesome|octicons|simple)-[a-z0-9-]+:\s?")
_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')
_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')
_HEADING = re.compile(r'<h([1-6])([^>]*)>(.*?)</h\1>', re.S)


@dataclass(frozen=True)
class Heading:
    """A heading of a rendered document, for its table of contents."""

    level: int
    id: str
    text: str


@dataclass
class Rendered:
    """A page as HTML ready for a document: body, headings, and the kit files its images use."""

    title: str
    body: str
    headings: list[Heading]
    images: list[str]


def render_markdown(text: str) -> str:
    """Markdown (the kits' syntax, as `writer.markdown` writes a page) to sanitised HTML, icon shortcodes dropped."""
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)
    return clean_html(md.convert(_ICON.sub("", text)))


def resolve_link(href: str, kit_id: str) -> str | None:
    """A link of a kit page as a path from the centre's root (`kits/x/fichiers/a.csv`); None if it leaves the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = PurePosixPath(kit_dir(kit_id)) / parts.path
    stack: list[str] = []
    for piece in path.parts:
        if piece == "..":
            if not stack:
                return None
            stack.pop()
        elif piece not in (".", ""):
            stack.append(piece)
    resolved = "/".join(stack)
    if resolved.endswith(".md"):
        resolved = resolved[: -len(".md")] + ".html"
    return resolved + (f"#{parts.fragment}" if parts.fragment else "")


def rewrite_links(body: str, kit_id: str, address: "callable") -> str:
    """Every relative link through `address(path from the centre's root) -> href`; outside links kept."""
    def replace(match: re.Match[str]) -> str:
        href = html.unescape(match.group(2))
        if href.startswith("#"):
            return match.group(0)
        target = resolve_link(href, kit_id)
        if target is None:
            return match.group(0)
        return f"{match.group(1)}{html.escape(address(target))}{match.group(3)}"
    return _HREF.sub(replace, body)


def headings(body: str) -> list[Heading]:
    """The h1–h4 of a rendered body, with their ids (the toc extension gives every heading one)."""
    out = []
    for m in _HEADING.finditer(body):
        ident = re.search(r'\sid="([^"]+)"', m.group(2))
        text = re.sub(r"<[^>]+>", "", m.group(3)).strip()
        if ident and int(m.group(1)) <= 4:
            out.append(Heading(int(m.group(1)), ident.group(1), html.unescape(text)))
    return out


def image_sources(body: str) -> list[str]:
    """The `src` of every image of a body, in order, once each."""
    return list(dict.fromkeys(html.unescape(m.group(2)) for m in _SRC.finditer(body)))


def render_page(page: Page) -> Rendered:
    """A generated page of the centre model as a document body."""
    # The way back to the kit's presentation means nothing in a standalone document.
    body = render_markdown(writer.markdown(replace(page, blocks=tuple(b for b in page.blocks
                                                                         if not isinstance(b, Breadcrumb)))))
    return Rendered(page.title, body, headings(body), image_sources(body))


def kit_pages(centre: Centre, kit: Kit) -> dict[str, Page]:
    """The printable page and the part pages of a kit in the centre model, by name."""
    wanted = {f"{kit_dir(kit.id)}/{name}.md": name for name in [PRINTABLE] + [p.id for p in parts.of(kit.sections)]}
    return {wanted[p.path]: p for p in centre.pages if p.path in wanted}


@dataclass(frozen=True)
class Table:
    """A CSV tool of the toolbox, read as rows, to be printed as a table."""

    title: str
    path: str  # from the kit's folder, as in kit.yml
    rows: list[list[str]]


def tool_tables(kit: Kit) -> list[Table]:
    """The kit's CSV downloads that its file policy publishes, as tables (first row: headers)."""
    published = dict(attachments.published_files(kit.folder, [r.fichier for r in kit.ressources]))
    out = []
    for res in kit.ressources:
        path = published.get(res.fichier)
        if path is not None and path.suffix.lower() == ".csv":
            rows = csvexport.read_rows(path.read_text(encoding="utf-8-sig"))
            if rows:
                out.append(Table(res.titre, res.fichier, rows))
    return out


def table_html(table: Table, ident: str, heading: str = "h3") -> str:
    """A tool's table as HTML, its title as a heading (escaped: CSV cells are kit text)."""
    esc = html.escape
    head, *rows = table.rows
    width = max(len(r) for r in table.rows)
    def cells(row: list[str], tag: str) -> str:
        extra = ' scope="col"' if tag == "th" else ""
        return "".join(f"<{tag}{extra}>{esc(c)}</{tag}>" for c in row + [""] * (width - len(row)))
    body = "".join(f"<tr>{cells(r, 'td')}</tr>" for r in rows)
    return (f'<section class="outil"><{heading} id="{ident}">{esc(table.title)}</{heading}>'
            f'<p class="outil__fichier">{esc(table.path)}</p>'
            f"<table><thead><tr>{cells(head, 'th')}</tr></thead><tbody>{body}</tbody></table></section>")
