"""A kit as an EPUB 3 (EbookLib): kit.yml as metadata, the parts as chapters, images and tool tables inside."""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import uuid
import zipfile
from pathlib import Path
from typing import Callable

from ..archive import COMPRESSLEVEL, ZIP_EPOCH, zip_entry
from ..kits import Corpus, Kit
from ..pages import Centre, licence_label
from .. import parts
from ..wording import french_date
from . import document

PUBLISHER = "Centres de ressources"
STYLE = """
body { font-family: sans-serif; line-height: 1.5; }
h1 { font-size: 1.6em; } h2 { font-size: 1.3em; } h3 { font-size: 1.1em; }
table { border-collapse: collapse; font-size: .85em; }
th, td { border: 1px solid #999; padding: .2em .4em; vertical-align: top; text-align: left; }
th { background: #eee; }
.kit-byline, .outil__fichier { color: #444; font-size: .9em; }
dl.fiche dt { font-weight: bold; } dl.fiche dd { margin: 0 0 .4em 0; }
.admonition { border-left: 3px solid #1a3c8f; padding: .2em .8em; }
img { max-width: 100%; }
"""
TABLES_FILE = "outils.xhtml"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:centres-de-ressources")
_DOWNLOAD = re.compile(r'\sdownload(="[^"]*")?')
_HREF = re.compile(r'<a\b([^>]*?)\shref="([^"]*)"([^>]*)>(.*?)</a>', re.S)


def _chapter_file(name: str) -> str:
    return f"{name}.xhtml"


def _links(body: str, kit: Kit, files: dict[str, str], address: Callable[[str], str] | None) -> str:
    """Links inside the book stay inside it; others go to the published site, or lose their link when unknown."""
    chapters = {f"kits/{kit.id}/{p.id}.html": _chapter_file(p.id) for p in parts.of(kit.sections)}
    chapters[f"kits/{kit.id}/index.html"] = _chapter_file("presentation")

    def replace(m: re.Match[str]) -> str:
        # EPUB's XHTML has no `download` attribute (reading systems open links themselves).
        before, after = (_DOWNLOAD.sub("", g) for g in (m.group(1), m.group(3)))
        href = html.unescape(m.group(2))
        if href.startswith("#") or re.match(r"^(https?|mailto):", href):
            return f'<a{before} href="{m.group(2)}"{after}>{m.group(4)}</a>'
        target = document.resolve_link(href, kit.id)
        path, _, fragment = (target or "").partition("#")
        inside = chapters.get(path) or files.get(path)
        if inside:
            new = inside + (f"#{fragment}" if fragment and "#" not in inside else "")
        elif target and address is not None:
            new = address(target)
        else:
            return f"<span{before}{after}>{m.group(4)}</span>"
        return f'<a{before} href="{html.escape(new)}"{after}>{m.group(4)}</a>'

    return _HREF.sub(replace, body)


def _record(corpus: Corpus, kit: Kit) -> str:
    esc = html.escape
    challenges = {c.id: c.nom for c in corpus.challenges}
    audiences = {a.id: a.nom for a in corpus.audiences}
    rows = [("Publics", ", ".join(audiences.get(p, p) for p in kit.publics)),
            ("Enjeux", ", ".join(challenges.get(c, c) for c in kit.enjeux)),
            ("Auteurs", ", ".join(kit.auteurs)), ("Mise à jour", french_date(kit.mise_a_jour)),
            ("Licence", licence_label(kit.licence))]
    return '<dl class="fiche">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>"


def render_epub(corpus: Corpus, centre: Centre, kit: Kit, address: Callable[[str], str] | None) -> bytes:
    """The kit's EPUB 3 bytes, the same for the same sources (fixed identifier, dates and zip entries)."""
    from ebooklib import epub

    esc = html.escape
    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'kit/' + kit.id)}")
    book.set_title(kit.titre)
    book.set_language("fr")
    for name in kit.auteurs:
        book.add_author(name)
    book.add_metadata("DC", "description", " ".join(kit.resume.split()))
    book.add_metadata("DC", "publisher", PUBLISHER)
    book.add_metadata("DC", "date", kit.mise_a_jour.isoformat())
    book.add_metadata("DC", "rights", f"Licence {licence_label(kit.licence)}")
    for word in kit.mots_cles:
        book.add_metadata("DC", "subject", word)
    css = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=STYLE.encode())
    book.add_item(css)

    tables = document.tool_tables(kit)
    files = {f"kits/{kit.id}/{t.path}": f"{TABLES_FILE}#outil-{i + 1}" for i, t in enumerate(tables)}
    published = dict(document.attachments.published_files(kit.folder, [r.fichier for r in kit.ressources]))
    pages = document.kit_pages(centre, kit)
    images: dict[str, Path] = {}

    def chapter(name: str, title: str, body: str) -> epub.EpubHtml:
        item = epub.EpubHtml(uid=f"ch-{name}", title=title, file_name=_chapter_file(name), lang="fr")
        item.content = f"<html><head><title>{esc(title)}</title></head><body>{body}</body></html>"
        item.add_item(css)
        book.add_item(item)
        return item

    summary = f"<p>{esc(' '.join(kit.resume.split()))}</p>"
    chapters = [chapter("presentation", "Présentation",
                        f'<h1>{esc(kit.titre)}</h1>{summary}{_record(corpus, kit)}')]
    for part in parts.of(kit.sections):
        name, label = part.id, part.label
        rendered = document.render_page(pages[name])
        for src in rendered.images:
            path = published.get(src)
            if path is not None:
                images[src] = path
        chapters.append(chapter(name, label, _links(rendered.body, kit, files, address)))
    if tables:
        body = "<h1>Tableaux de la boîte à outils</h1>" + "".join(
            document.table_html(t, f"outil-{i + 1}", "h2") for i, t in enumerate(tables))
        chapters.append(chapter("outils", "Tableaux de la boîte à outils", body))
    for i, (src, path) in enumerate(sorted(images.items())):
        kind = {".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
            path.suffix.lower(), f"image/{path.suffix.lower().lstrip('.')}")
        book.add_item(epub.EpubItem(uid=f"img-{i + 1}", file_name=src, media_type=kind, content=path.read_bytes()))
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav(uid="nav", file_name="nav.xhtml", title="Sommaire"))
    book.spine = ["nav", *chapters]
    raw = io.BytesIO()
    day = dt.datetime.combine(kit.mise_a_jour, dt.time())
    epub.write_epub(raw, book, {"mtime": day, "epub3_pages": False, "epub2_guide": False, "epub3_landmark": False})
    return _reproducible(raw.getvalue(), kit.mise_a_jour)


def _reproducible(data: bytes, day: dt.date) -> bytes:
    """The same zip with fixed entry dates and modes (EbookLib stamps the current time); mimetype first, stored."""
    day = max(day, ZIP_EPOCH)
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        ordered = ["mimetype"] + sorted(n for n in names if n != "mimetype")
        for name in ordered:
            info = zip_entry(name, stamp, 0o644, False)
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED  # EPUB: first entry, uncompressed, no extra field
            dst.writestr(info, src.read(name), compresslevel=None if name == "mimetype" else COMPRESSLEVEL)
    return out.getvalue()
