"""Each kit as a PDF (WeasyPrint) and an EPUB 3, each centre as a ZIM: content, validity, reproducibility."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, require_program
from kitcore import checks, copies, pages, parts, writer
from kitcore.exports import document, epub, pdf, zim

KITS = ROOT / "tests" / "fixtures" / "offline-kits"
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


@pytest.fixture(scope="module")
def model():
    corpus, report = checks.check_kits(KITS)
    assert not report.errors
    centre = pages.build_centre(corpus, "associations")
    kit = next(k for k in centre.kits if k.id == "evaluation-partenariale")
    return corpus, centre, kit


def _web(path: str) -> str:
    return f"https://exemple.org/associations/{path}"


def test_extensions_follow_the_sites() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert sorted(document.EXTENSIONS) == sorted(n for n in names if n != "pymdownx.emoji")


def test_pdf_holds_every_part_metadata_and_full_addresses(model, tmp_path: Path) -> None:
    corpus, centre, kit = model
    data = pdf.render_pdf(corpus, centre, kit, _web)
    assert data == pdf.render_pdf(corpus, centre, kit, _web), "mêmes sources, mêmes octets"
    target = tmp_path / "kit.pdf"
    target.write_bytes(data)
    text = subprocess.run([require_program("pdftotext", "apt-get install poppler-utils"), "-layout", str(target), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Sommaire" in flat and "Page 1 sur" in flat
    for part in parts.of(kit.sections):
        assert part.label in flat
        for heading in document.headings(document.render_page(document.kit_pages(centre, kit)[part.id]).body):
            if heading.level >= 2:
                assert " ".join(heading.text.split()) in flat, heading.text
    assert "https://exemple.org/associations/kits/evaluation-partenariale/fichiers/grille-evaluation.csv" in \
        text.replace("\n", "").replace(" ", "")
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert f"Title:           {kit.titre}" in info and "Tagged:          yes" in info
    assert kit.auteurs[0] in info and kit.mise_a_jour.strftime("%b %d") in info.replace(" 0", " ")
    assert f"Subject:         {' '.join(kit.resume.split())}" in info
    # Bookmarks: the kit, then each part (poppler's XML output lists the outline).
    outline = subprocess.run(["pdftohtml", "-xml", "-stdout", "-i", str(target)], capture_output=True, text=True,
                             check=True).stdout.split("<outline>", 1)[1]
    for part in parts.of(kit.sections):
        assert f">{part.label}</item>" in outline, part.label
    assert _catalog_language(data) == "fr"
    for table in document.tool_tables(kit):  # the toolbox's CSV tools printed as tables
        assert " ".join(table.rows[0][0].split()) in flat and table.title in flat


def _catalog_language(data: bytes) -> str | None:
    """The /Lang of a PDF's catalogue, which WeasyPrint writes in a compressed object stream."""
    for found in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            body = zlib.decompress(found.group(1))
        except zlib.error:
            continue
        lang = re.search(rb"/Lang \(([^)]*)\)", body)
        if lang:
            return lang.group(1).decode()
    return None


def test_pdf_carries_the_kits_keywords() -> None:
    corpus, report = checks.check_kits(ROOT / "kits")
    kit = next(k for k in corpus.kits if k.valid and not k.draft and k.mots_cles)
    centre = pages.build_centre(corpus, kit.publics[0])
    target_kit = next(k for k in centre.kits if k.id == kit.id)
    data = pdf.render_pdf(corpus, centre, target_kit, _web)
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert f"Keywords:        {', '.join(kit.mots_cles)}" in info


def test_pdf_loads_nothing_from_outside_the_kit(model) -> None:
    fetch = pdf.site_only_fetcher({})
    for url in ("https://exemple.org/x.png", "file:///etc/passwd", "data:image/png;base64,AAAA"):
        with pytest.raises(ValueError):
            fetch.fetch(url)


def test_epub_validates_and_holds_parts_images_and_tables(model, tmp_path: Path) -> None:
    corpus, centre, kit = model
    data = epub.render_epub(corpus, centre, kit, None)
    assert data == epub.render_epub(corpus, centre, kit, None)
    target = tmp_path / "kit.epub"
    target.write_bytes(data)
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        assert names[0] == "mimetype" and zf.read("mimetype") == b"application/epub+zip"
        opf = zf.read("EPUB/content.opf").decode()
        assert f"<dc:title>{kit.titre}</dc:title>" in opf and "<dc:language>fr</dc:language>" in opf
        assert "EPUB/fichiers/schema-evaluation.svg" in names
        assert "<table>" in zf.read(f"EPUB/{epub.TABLES_FILE}").decode()
        for part in parts.of(kit.sections):
            assert f"EPUB/{part.id}.xhtml" in names
    java = require_program("java", "apt-get install default-jre-headless")
    if not EPUBCHECK.exists():
        require_program("epubcheck", "apt-get install epubcheck")
    out = subprocess.run([java, "-jar", str(EPUBCHECK), str(target)], capture_output=True, text=True)
    assert out.returncode == 0 and "No errors or warnings detected" in out.stdout + out.stderr, out.stdout + out.stderr


def test_zim_reads_back_and_its_search_finds_the_kit(model, tmp_path: Path) -> None:
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    corpus, centre, kit = model
    folder = tmp_path / "associations"
    for page in centre.pages:
        target = folder / (page.path[: -len(".md")] + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        body = document.render_markdown(writer.markdown(page))
        target.write_text(f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{page.title}</title>'
                          f"</head><body>{body}</body></html>", encoding="utf-8")
    for asset in centre.assets:
        if asset.content is not None:  # the online stylesheet of the variants (kitcore.copies), among others
            (folder / asset.path).parent.mkdir(parents=True, exist_ok=True)
            (folder / asset.path).write_bytes(asset.content)
    day = dt.date(2026, 3, 20)
    first = zim.write_zim(folder, tmp_path / "a.zim", centre, day).read_bytes()
    second = zim.write_zim(folder, tmp_path / "b.zim", centre, day).read_bytes()
    assert first == second, "mêmes pages, mêmes octets"
    archive = Archive(tmp_path / "a.zim")
    assert archive.check() and archive.has_fulltext_index and archive.main_entry.get_item().path == "index.html"
    assert bytes(archive.get_metadata("Language")) == b"fra" and 48 in archive.get_illustration_sizes()
    for key in ("Title", "Description", "Creator", "Publisher", "Date", "Name"):
        assert bytes(archive.get_metadata(key)).strip(), key
    assert len(bytes(archive.get_metadata("Description")).decode()) <= zim.DESCRIPTION_MAX
    # Kiwix shows the offline copy, as the zip does: its stylesheet, the page files as they are.
    assert bytes(archive.get_entry_by_path(copies.STYLESHEET).get_item().content) == copies.stylesheet(offline=True)
    assert (folder / copies.STYLESHEET).read_bytes() == copies.stylesheet(offline=False)
    page = bytes(archive.get_entry_by_path("kits/evaluation-partenariale/methodologie.html").get_item().content)
    assert "Méthodologie".encode() in page
    found = list(Searcher(archive).search(Query().set_query("réciprocité")).getResults(0, 10))
    assert any(path.startswith("kits/evaluation-partenariale/") for path in found), found
