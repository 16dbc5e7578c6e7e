"""A kit as an EPUB 3 (EbookLib): kit.yml as metadata, the parts as chapters, images and tool tables inside."""
from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import uuid
import zipfile
from pathlib import Path
from typing import Callable

from ..archive import COMPRESSLEVEL, ZIP_EPOCH, centre_date, zip_entry
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


def _links(body: str, kit: Kit, inside: dict[str, str], here: str, address: Callable[[str], str] | None) -> str:
    """Links inside the book stay inside it (relative to `here`, the chapter's folder in the book); others go to
    the published site, or lose their link when unknown. `inside` maps paths from the centre's root to the book's."""
    def replace(m: re.Match[str]) -> str:
        # EPUB's XHTML has no `download` attribute (reading systems open links themselves).
        before, after = (_DOWNLOAD.sub("", g) for g in (m.group(1), m.group(3)))
        href = html.unescape(m.group(2))
        if href.startswith("#") or re.match(r"^(https?|mailto):", href):
            return f'<a{before} href="{m.group(2)}"{after}>{m.group(4)}</a>'
        target = document.resolve_link(href, kit.id)
        path, _, fragment = (target or "").partition("#")
        book_path = inside.get(path)
        if book_path:
            new = posixpath.relpath(book_path.split("#")[0], here or ".") + (
                "#" + book_path.split("#", 1)[1] if "#" in book_path else f"#{fragment}" if fragment else "")
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


class _Book:
    """An EPUB being assembled: chapters, images and their unique ids, one stylesheet."""

    def __init__(self, identifier: str, title: str) -> None:
        from ebooklib import epub

        self.epub = epub
        self.book = epub.EpubBook()
        self.book.set_identifier(f"urn:uuid:{uuid.uuid5(_NAMESPACE, identifier)}")
        self.book.set_title(title)
        self.book.set_language("fr")
        self.book.add_metadata("DC", "publisher", PUBLISHER)
        self.css = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=STYLE.encode())
        self.book.add_item(self.css)
        self.images: dict[str, Path] = {}  # path in the book → published file

    def chapter(self, uid: str, file_name: str, title: str, body: str):
        """Add one XHTML chapter (its stylesheet linked relative to its folder)."""
        item = self.epub.EpubHtml(uid=uid, title=title, file_name=file_name, lang="fr")
        item.content = f"<html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>"
        item.add_link(href=posixpath.relpath("style.css", posixpath.dirname(file_name) or "."), rel="stylesheet",
                      type="text/css")
        self.book.add_item(item)
        return item

    def write(self, toc: list, spine: list, day: dt.date) -> bytes:
        """The book's bytes, reproducible: images added in a fixed order, entries dated `day`."""
        for i, (name, path) in enumerate(sorted(self.images.items())):
            kind = {".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(
                path.suffix.lower(), f"image/{path.suffix.lower().lstrip('.')}")
            self.book.add_item(self.epub.EpubItem(uid=f"img-{i + 1}", file_name=name, media_type=kind,
                                                  content=path.read_bytes()))
        self.book.toc = toc
        self.book.add_item(self.epub.EpubNcx())
        self.book.add_item(self.epub.EpubNav(uid="nav", file_name="nav.xhtml", title="Sommaire"))
        self.book.spine = ["nav", *spine]
        raw = io.BytesIO()
        stamp = dt.datetime.combine(day, dt.time())
        self.epub.write_epub(raw, self.book, {"mtime": stamp, "epub3_pages": False, "epub2_guide": False,
                                              "epub3_landmark": False})
        return _reproducible(raw.getvalue(), day)


def _kit_files(kit: Kit, prefix: str) -> dict[str, str]:
    """Where a kit's pages and tool tables are in a book whose kit folder is `prefix`, by path from the centre."""
    inside = {f"kits/{kit.id}/{p.id}.html": prefix + _chapter_file(p.id) for p in parts.of(kit.sections)}
    inside[f"kits/{kit.id}/index.html"] = prefix + _chapter_file("presentation")
    for i, t in enumerate(document.tool_tables(kit)):
        inside[f"kits/{kit.id}/{t.path}"] = f"{prefix}{TABLES_FILE}#outil-{i + 1}"
    return inside


def _kit_chapters(book: _Book, corpus: Corpus, centre: Centre, kit: Kit, prefix: str, inside: dict[str, str],
                  address: Callable[[str], str] | None, heading: str = "h1") -> list:
    """A kit's chapters in `book`, under `prefix`: presentation, the four parts, the tool tables; its images."""
    esc = html.escape
    uid = f"ch-{kit.id}-" if prefix else "ch-"
    here = prefix.rstrip("/")
    published = dict(document.attachments.published_files(kit.folder, [r.fichier for r in kit.ressources]))
    pages = document.kit_pages(centre, kit)
    summary = f"<p>{esc(' '.join(kit.resume.split()))}</p>"
    chapters = [book.chapter(uid + "presentation", prefix + _chapter_file("presentation"), "Présentation",
                             f"<{heading}>{esc(kit.titre)}</{heading}>{summary}{_record(corpus, kit)}")]
    for part in parts.of(kit.sections):
        rendered = document.render_page(pages[part.id])
        for src in rendered.images:
            if src in published:
                book.images[prefix + src] = published[src]
        chapters.append(book.chapter(uid + part.id, prefix + _chapter_file(part.id), part.label,
                                     _links(rendered.body, kit, inside, here, address)))
    tables = document.tool_tables(kit)
    if tables:
        body = "<h1>Tableaux de la boîte à outils</h1>" + "".join(
            document.table_html(t, f"outil-{i + 1}", "h2") for i, t in enumerate(tables))
        chapters.append(book.chapter(uid + "outils", prefix + TABLES_FILE, "Tableaux de la boîte à outils", body))
    return chapters


def render_epub(corpus: Corpus, centre: Centre, kit: Kit, address: Callable[[str], str] | None) -> bytes:
    """The kit's EPUB 3 bytes, the same for the same sources (fixed identifier, dates and zip entries)."""
    book = _Book("kit/" + kit.id, kit.titre)
    for name in kit.auteurs:
        book.book.add_author(name)
    book.book.add_metadata("DC", "description", " ".join(kit.resume.split()))
    book.book.add_metadata("DC", "date", kit.mise_a_jour.isoformat())
    book.book.add_metadata("DC", "rights", f"Licence {licence_label(kit.licence)}")
    for word in kit.mots_cles:
        book.book.add_metadata("DC", "subject", word)
    chapters = _kit_chapters(book, corpus, centre, kit, "", _kit_files(kit, ""), address)
    return book.write(chapters, chapters, kit.mise_a_jour)


def render_centre_epub(corpus: Corpus, centre: Centre, address: Callable[[str], str] | None) -> bytes:
    """A whole centre as one EPUB 3: a presentation listing its kits, then each kit's chapters (links between
    kits stay in the book). `address(path from the centre's root)` gives the published address of the rest."""
    esc = html.escape
    a = centre.audience
    book = _Book("centre/" + a.id, a.titre_centre)
    book.book.add_metadata("DC", "description", " ".join(a.description.split()))
    day = centre_date(centre.kits)
    book.book.add_metadata("DC", "date", day.isoformat())
    book.book.add_metadata("DC", "rights", "Licence de chaque kit indiquée dans sa présentation")
    inside: dict[str, str] = {}
    for kit in centre.kits:
        inside.update(_kit_files(kit, f"kits/{kit.id}/"))
    listing = "".join(f'<li><a href="kits/{esc(k.id)}/{_chapter_file("presentation")}">{esc(k.titre)}</a></li>'
                      for k in centre.kits)
    front = book.chapter("ch-centre", _chapter_file("centre"), a.titre_centre,
                         f"<h1>{esc(a.titre_centre)}</h1><p>{esc(' '.join(a.description.split()))}</p>"
                         f"<h2>Les kits de ce centre</h2>"
                         + (f"<ul>{listing}</ul>" if listing else "<p>Ce centre n'a pas encore de kit.</p>"))
    toc, spine = [front], [front]
    for kit in centre.kits:
        chapters = _kit_chapters(book, corpus, centre, kit, f"kits/{kit.id}/", inside, address)
        toc.append((book.epub.Section(kit.titre, chapters[0].file_name), chapters))
        spine += chapters
    return book.write(toc, spine, day)


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
