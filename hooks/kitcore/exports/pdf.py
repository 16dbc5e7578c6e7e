"""A kit as a tagged PDF (WeasyPrint): its printable version with metadata, a table of contents and page numbers."""
from __future__ import annotations

import hashlib
import html
import logging
from pathlib import Path
from typing import Callable

from ..kits import Corpus, Kit
from .. import parts
from ..pages import Centre, licence_label
from ..wording import french_date
from . import document

# PDF/UA-1: tagged structure, language and title, for screen readers (RGAA asks for accessible documents).
VARIANT = "pdf/ua-1"
FONT_FAMILY = '"DejaVu Sans", "Liberation Sans", sans-serif'  # Debian fonts (fonts-dejavu-core), never fetched
STYLE = f"""
@page {{ size: A4; margin: 2cm 2cm 2.3cm;
  @top-center {{ content: string(kit-title); font: 8pt {FONT_FAMILY}; color: #555; }}
  @bottom-center {{ content: "Page " counter(page) " sur " counter(pages); font: 8pt {FONT_FAMILY}; color: #333; }} }}
@page :first {{ @top-center {{ content: none; }} }}
html {{ font: 10.5pt/1.5 {FONT_FAMILY}; color: #111; }}
h1 {{ string-set: kit-title content(); font-size: 20pt; line-height: 1.2; margin: 0 0 .5em; }}
h2 {{ font-size: 15pt; margin: 1.6em 0 .5em; break-after: avoid; }}
h2.partie {{ break-before: page; }}
h3 {{ font-size: 12.5pt; break-after: avoid; }} h4, h5, h6 {{ font-size: 11pt; break-after: avoid; }}
p, li {{ orphans: 3; widows: 3; }}
a {{ color: #1a3c8f; }}
/* On paper a link is its address: printed in full after its text (footnote calls and the contents excepted). */
main a[href]:not([href^="#"]):not(.adresse)::after {{ content: " (" attr(href) ")"; font-size: 8.5pt; color: #333;
  overflow-wrap: anywhere; }}
.footnote-backref {{ display: none; }}
.footnote {{ font-size: 9pt; }}
.kit-byline {{ color: #444; }}
.fiche {{ display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: 1em 0; font-size: 9.5pt; }}
.fiche dt {{ font-weight: bold; }} .fiche dd {{ margin: 0; }}
nav.sommaire {{ break-after: page; }}
nav.sommaire h2 {{ bookmark-level: none; }}
nav.sommaire ol {{ list-style: none; padding: 0; }} nav.sommaire ol ol {{ padding-left: 1.2em; }}
nav.sommaire a {{ color: inherit; text-decoration: none; }}
nav.sommaire a::after {{ content: leader(".") " " target-counter(attr(href), page); }}
table {{ border-collapse: collapse; width: 100%; font-size: 8pt; margin: .5em 0 1em; }}
th, td {{ border: 1px solid #999; padding: .25em .4em; vertical-align: top; text-align: left; }}
thead {{ display: table-header-group; }} th {{ background: #eee; }}
tr {{ break-inside: avoid; }}
.outil__fichier {{ font-size: 8.5pt; color: #333; margin: 0; }}
pre, code {{ font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; }}
pre {{ white-space: pre-wrap; }}
.admonition {{ border-left: 3px solid #1a3c8f; padding: .2em .8em; margin: 1em 0; background: #f3f5fb; }}
.admonition-title {{ font-weight: bold; }}
img {{ max-width: 100%; }}
"""


def site_only_fetcher(allowed: dict[str, Path]):
    """A WeasyPrint URL fetcher that loads the kit's own published files and refuses everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    known = {path.resolve().as_uri(): path for path in allowed.values()}

    class SiteOnly(URLFetcher):
        def fetch(self, url, headers=None):  # noqa: D102 - WeasyPrint's interface
            path = known.get(url.split("#")[0])
            if path is None:  # the network, other files on disk, data: URLs…
                raise ValueError(f"ressource refusée hors du kit : {url}")
            return URLFetcherResponse(url, body=path.read_bytes())

    return SiteOnly(allowed_protocols=["file"])


def _meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{html.escape(value)}">'


def kit_html(corpus: Corpus, centre: Centre, kit: Kit, address: Callable[[str], str]) -> str:
    """The standalone HTML the PDF is made from: cover and record, contents, the printable page, tool tables."""
    esc = html.escape
    printable = document.render_page(document.kit_pages(centre, kit)[document.PRINTABLE])
    body = document.rewrite_links(printable.body, kit.id, address)
    tables = document.tool_tables(kit)
    # The contents: every part (h2) and its sections (h3), then the tool tables.
    entries: list[tuple[int, str, str]] = [(h.level, h.id, h.text) for h in document.headings(body) if h.level in (2, 3)]
    annex = ""
    if tables:
        annex = '<h2 id="tableaux-outils">Tableaux de la boîte à outils</h2>' + "".join(
            document.table_html(t, f"outil-{i + 1}") for i, t in enumerate(tables))
        entries.append((2, "tableaux-outils", "Tableaux de la boîte à outils"))
        entries += [(3, f"outil-{i + 1}", t.title) for i, t in enumerate(tables)]
    toc, depth = ["<ol>"], 2
    for level, ident, text in entries:
        if level > depth:
            toc.append("<ol>")
        elif level < depth:
            toc.append("</li></ol></li>")
        elif len(toc) > 1:
            toc.append("</li>")
        depth = level
        toc.append(f'<li><a href="#{esc(ident)}">{esc(text)}</a>')
    toc.append("</li></ol></li></ol>" if depth == 3 else "</li></ol>")
    contents = f'<nav class="sommaire" aria-labelledby="sommaire"><h2 id="sommaire">Sommaire</h2>{"".join(toc)}</nav>'
    challenges = {c.id: c.nom for c in corpus.challenges}
    record = (
        '<dl class="fiche">'
        f"<dt>Publics</dt><dd>{esc(', '.join(_audience(corpus, p) for p in kit.publics))}</dd>"
        f"<dt>Enjeux</dt><dd>{esc(', '.join(challenges.get(c, c) for c in kit.enjeux))}</dd>"
        f"<dt>Auteurs</dt><dd>{esc(', '.join(kit.auteurs))}</dd>"
        f"<dt>Mise à jour</dt><dd>{esc(french_date(kit.mise_a_jour))}</dd>"
        f"<dt>Licence</dt><dd>{esc(licence_label(kit.licence))}</dd>"
        f'<dt>En ligne</dt><dd><a class="adresse" href="{esc(address(f"kits/{kit.id}/index.html"))}">{esc(address(f"kits/{kit.id}/index.html"))}</a></dd>'
        "</dl>"
    )
    # The cover is the printable page up to its first part; the record and the contents follow it.
    cut = body.find("<h2")
    cover, rest = (body[:cut], body[cut:]) if cut >= 0 else (body, "")
    rest = rest.replace("<h2 ", '<h2 class="partie" ', len(parts.of(kit.sections)))
    day = kit.mise_a_jour.isoformat()
    head = "".join([
        '<meta charset="utf-8">', f"<title>{esc(kit.titre)}</title>",
        *(_meta("author", a) for a in kit.auteurs),
        _meta("description", " ".join(kit.resume.split())),
        _meta("keywords", ", ".join(kit.mots_cles)),
        _meta("dcterms.created", day), _meta("dcterms.modified", day),
    ])
    return (f'<!doctype html><html lang="fr"><head>{head}</head><body><main>{cover}{record}{contents}'
            f"{rest}{annex}</main></body></html>")


def _audience(corpus: Corpus, audience_id: str) -> str:
    return next((a.nom for a in corpus.audiences if a.id == audience_id), audience_id)


def html_to_pdf(source: str, base_url: str, allowed: dict[str, Path], identifier: bytes) -> bytes:
    """PDF bytes from the standalone HTML (run in a worker process: WeasyPrint holds the GIL)."""
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    doc = weasyprint.HTML(string=source, base_url=base_url, url_fetcher=site_only_fetcher(allowed))
    return doc.write_pdf(stylesheets=[weasyprint.CSS(string=STYLE)], pdf_variant=VARIANT, pdf_identifier=identifier)


def pdf_job(corpus: Corpus, centre: Centre, kit: Kit, address: Callable[[str], str]) -> tuple:
    """The arguments of `html_to_pdf` for a kit: plain data, so that a worker process can take them."""
    allowed = dict(document.attachments.published_files(kit.folder, [r.fichier for r in kit.ressources]))
    identifier = hashlib.sha256(f"kit/{kit.id}".encode()).hexdigest()[:32].encode()
    return (kit_html(corpus, centre, kit, address), kit.folder.resolve().as_uri() + "/", allowed, identifier)


def render_pdf(corpus: Corpus, centre: Centre, kit: Kit, address: Callable[[str], str]) -> bytes:
    """The kit's PDF bytes; the same sources give the same bytes (dates from mise_a_jour, fixed identifier)."""
    return html_to_pdf(*pdf_job(corpus, centre, kit, address))
