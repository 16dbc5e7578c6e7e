"""Exports of each centre: open data against its schema, Atom feeds, the same data as « Mis à jour récemment »."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, build_once, require_program, run_build
from hostile_kits import _PAGE, _PAGES, _pdf
from kitcore import checks, exports, news, pages, parts, reserved, wording
from kitcore.blocks import Download
from kitcore.exports import document, feed, opendata

A = "{http://www.w3.org/2005/Atom}"
CORPUS, _REPORT = checks.check_kits(ROOT / "kits")
CENTRES = [a.id for a in CORPUS.audiences]
SMALL_KITS = ROOT / "tests" / "fixtures" / "offline-kits"
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck


def _schema() -> dict:
    return opendata.json_schema()


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(_schema())


def test_published_schema_is_the_modules(built_site: Path) -> None:
    published = json.loads((built_site / opendata.SCHEMA_FILE).read_text(encoding="utf-8"))
    assert published == _schema()


@pytest.mark.parametrize("centre", CENTRES)
def test_open_data_validates_and_lists_the_centres_kits(built_site: Path, centre: str) -> None:
    data = json.loads((built_site / centre / opendata.DATA_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(_schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    expected = sorted(k.id for k in CORPUS.kits_for(centre))
    assert [k["id"] for k in data["kits"]] == expected
    assert (built_site / centre / data["schema"]).resolve() == (built_site / opendata.SCHEMA_FILE).resolve()
    for record in data["kits"]:
        kit = CORPUS.kit(record["id"])
        assert record["titre"] == kit.titre and record["mise_a_jour"] == kit.mise_a_jour.isoformat()
        assert [p["id"] for p in record["parties"]] == [p.id for p in parts.of(kit.sections)]
        assert (built_site / centre / record["page"]).is_file()
        for part in record["parties"]:
            assert (built_site / centre / part["page"]).is_file()
            assert "{{" not in part["markdown"], "les chiffres sont insérés, pas laissés en appel"
        assert len(record["fichiers"]) == len(kit.ressources)
        for entry in record["fichiers"] + record["documents"]:
            path = built_site / centre / entry["chemin"]
            assert path.is_file(), entry["chemin"]
            assert entry["octets"] == path.stat().st_size
            assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
            if "version_ods" in entry:
                assert (built_site / centre / entry["version_ods"]).is_file()


def test_open_data_rejects_what_the_schema_forbids(built_site: Path) -> None:
    data = json.loads((built_site / CENTRES[0] / opendata.DATA_FILE).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(_schema(), format_checker=jsonschema.FormatChecker())
    data["kits"][0]["mise_a_jour"] = "20 mars 2026"
    data["kits"][0]["inconnu"] = 1
    messages = [e.message for e in validator.iter_errors(data)]
    assert any("inconnu" in m for m in messages) and any("20 mars 2026" in m for m in messages)


def _feed(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{A}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    # RFC 4287: a feed has id, title, updated, and an author unless every entry has one; entries too.
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{A}{tag}") is not None, tag
    assert root.find(f"{A}link[@rel='self']") is not None
    ids = set()
    for entry in root.findall(f"{A}entry"):
        for tag in ("id", "title", "updated", "summary"):
            assert (entry.findtext(f"{A}{tag}") or "").strip(), tag
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", entry.findtext(f"{A}updated"))
        assert entry.find(f"{A}link[@rel='alternate']") is not None
        assert entry.findtext(f"{A}id") not in ids, "un identifiant d'entrée est unique"
        ids.add(entry.findtext(f"{A}id"))
    return root


def _entry_titles(root: ET.Element) -> list[str]:
    return [e.findtext(f"{A}title") for e in root.findall(f"{A}entry")]


@pytest.mark.parametrize("centre", CENTRES)
def test_centre_feed_lists_its_kits_newest_first_with_working_links(built_site: Path, centre: str) -> None:
    root = _feed(built_site / centre / feed.FEED_FILE)
    kits = CORPUS.kits_for(centre)
    assert _entry_titles(root) == [k.titre for k in news.latest(kits, feed.FEED_COUNT)]
    assert root.findtext(f"{A}updated") == f"{max(k.mise_a_jour for k in kits).isoformat()}T00:00:00Z"
    assert "kits nouveaux ou mis à jour" in root.findtext(f"{A}title")
    for entry in root.findall(f"{A}entry"):
        href = entry.find(f"{A}link[@rel='alternate']").get("href")
        assert (built_site / centre / href).is_file(), href
        assert entry.find(f"{A}category").get("label"), "les enjeux ont leur nom français"


def test_portal_feed_lists_every_kit_once(built_site: Path) -> None:
    root = _feed(built_site / feed.FEED_FILE)
    published = [k for k in CORPUS.kits if k.valid and not k.draft]
    assert sorted(_entry_titles(root)) == sorted(k.titre for k in published)
    for entry in root.findall(f"{A}entry"):
        assert (built_site / entry.find(f"{A}link[@rel='alternate']").get("href")).is_file()
    portal = (built_site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="alternate" type="application/atom+xml" title="Kits nouveaux ou mis à jour" href="{feed.FEED_FILE}">' in portal
    for centre in CENTRES:
        assert f'href="{centre}/{opendata.DATA_FILE}">Données ouvertes (JSON)</a>' in portal
        assert f'href="{centre}/{feed.FEED_FILE}">Nouveautés (flux Atom)</a>' in portal


@pytest.mark.parametrize("centre", CENTRES)
def test_home_recent_updates_and_feed_come_from_the_same_list(built_site: Path, centre: str) -> None:
    home = (built_site / centre / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{feed.FEED_FILE}" rel="noopener noreferrer">{news.FEED_LABEL}</a>' in home
    kits = CORPUS.kits_for(centre)
    if len(kits) <= 5:
        assert "Mis à jour récemment" not in home
        return
    section = home.split('<h2 id="mis-a-jour-recemment"', 1)[1].split("</ul>", 1)[0]
    shown = re.findall(r'href="kits/([^/"]+)/index.html"', section)
    entries = [e.find(f"{A}link").get("href").split("/")[1]
               for e in _feed(built_site / centre / feed.FEED_FILE).findall(f"{A}entry")]
    assert shown == entries[: len(shown)] and len(shown) == 5


def test_two_builds_give_the_same_bytes(tmp_path_factory: pytest.TempPathFactory) -> None:
    first = build_once(tmp_path_factory, SMALL_KITS, "export-1")
    second = build_once(tmp_path_factory, SMALL_KITS, "export-2")
    made = sorted(p.relative_to(first).as_posix() for p in first.rglob("*")
                  if p.is_file() and p.name in (feed.FEED_FILE, opendata.DATA_FILE, Path(opendata.SCHEMA_FILE).name))
    centres = [p.parent.name for p in first.glob(f"*/{opendata.DATA_FILE}")]
    assert len(centres) >= 3 and len(made) == 2 * len(centres) + 2, made  # each centre's data and feed, the portal's feed, the schema
    for rel in made:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel



def test_centre_pages_have_no_alternate_link(built_site: Path) -> None:
    """Material fetches sitemap.xml as soon as a page has a <link rel="alternate"> (missing offline): none there."""
    for page in (built_site / CENTRES[0]).rglob("*.html"):
        assert 'rel="alternate"' not in page.read_text(encoding="utf-8"), page.name


# Documents (PDF, EPUB, ZIM) are part of `make build`; the fixture builds of the suite skip them (--sans-documents).

@pytest.fixture(scope="module")
def documents_build(tmp_path_factory: pytest.TempPathFactory):
    """The small kits copied and built with their documents, as `make build` does: (kits, site, output)."""
    work = tmp_path_factory.mktemp("documents")
    kits = work / "kits"
    shutil.copytree(SMALL_KITS, kits)
    site = work / "site"
    result = run_build(kits, site, documents=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return kits, site, result.stdout + result.stderr


def _centres_of(site: Path) -> list[str]:
    return sorted(p.parent.name for p in site.glob(f"*/{opendata.DATA_FILE}"))


def test_make_build_makes_every_kits_pdf_and_epub_and_every_centres_zim(documents_build) -> None:
    kits, site, output = documents_build
    corpus, _ = checks.check_kits(kits)
    centres = _centres_of(site)
    assert len(centres) >= 3
    portal = (site / "index.html").read_text(encoding="utf-8")
    for centre in centres:
        zim_size = wording.human_size((site / exports.zim_file(centre)).stat().st_size)
        assert f'<a href="{exports.zim_file(centre)}">Pour Kiwix (ZIM, {zim_size})</a>' in portal
        data = json.loads((site / centre / opendata.DATA_FILE).read_text(encoding="utf-8"))
        for kit in corpus.kits_for(centre):
            for ext in reserved.DOCUMENT_EXTENSIONS:
                path = site / centre / pages.kit_dir(kit.id) / reserved.document_name(kit.id, ext)
                assert path.is_file() and path.stat().st_size > 1000, path
            record = next(r for r in data["kits"] if r["id"] == kit.id)
            assert sorted(Path(d["chemin"]).suffix for d in record["documents"]) == [".epub", ".pdf"]
    for centre in centres:
        with zipfile.ZipFile(site / f"{centre}.zip") as zf:
            names = set(zf.namelist())
        for kit in corpus.kits_for(centre):
            for ext in reserved.DOCUMENT_EXTENSIONS:
                assert f"{centre}/{pages.kit_dir(kit.id)}/{reserved.document_name(kit.id, ext)}" in names


def test_no_kit_file_may_take_the_name_of_its_pdf_or_epub(tmp_path: Path) -> None:
    kits = tmp_path / "kits"
    shutil.copytree(SMALL_KITS, kits)
    kit = kits / "mecenat-solidaire"
    _pdf(kit / "Mecenat-Solidaire.pdf", b"<< /Type /Catalog /Pages 2 0 R >>", _PAGES, _PAGE)
    meta = kit / "kit.yml"  # a file at the kit's root is published when `ressources` lists it
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "voir_aussi:", "  - titre: Le kit imprimé\n    fichier: Mecenat-Solidaire.pdf\nvoir_aussi:"), encoding="utf-8")
    _, report = checks.check_kits(kits)
    messages = [p.message for p in report.errors]
    assert any("Mecenat-Solidaire.pdf" in m and "le kit en PDF" in m for m in messages), messages


def test_pdf_of_a_built_kit_holds_every_parts_headings(documents_build) -> None:
    kits, site, _ = documents_build
    corpus, _ = checks.check_kits(kits)
    centre = _centres_of(site)[0]
    model = pages.build_centre(corpus, centre)
    pdftotext = require_program("pdftotext", "apt-get install poppler-utils")
    for kit in model.kits:
        path = site / centre / pages.kit_dir(kit.id) / reserved.document_name(kit.id, "pdf")
        text = " ".join(subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        for part in parts.of(kit.sections):
            assert part.label in text, (kit.id, part.label)
            page = document.kit_pages(model, kit)[part.id]
            for heading in document.headings(document.render_page(page).body):
                assert " ".join(heading.text.split()) in text, (kit.id, heading.text)


def test_zim_of_a_built_centre_reads_back_and_finds_its_kits(documents_build) -> None:
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    kits, site, _ = documents_build
    corpus, _ = checks.check_kits(kits)
    for centre in _centres_of(site):
        archive = Archive(site / exports.zim_file(centre))
        assert archive.check() and archive.has_fulltext_index
        assert bytes(archive.get_metadata("Language")) == b"fra"
        for kit in corpus.kits_for(centre):
            assert archive.has_entry_by_path(f"{pages.kit_dir(kit.id)}/index.html")
            assert archive.has_entry_by_path(f"{pages.kit_dir(kit.id)}/{reserved.document_name(kit.id, 'pdf')}")
            word = max(kit.titre.split(), key=len)
            found = list(Searcher(archive).search(Query().set_query(word)).getResults(0, 20))
            assert any(path.startswith(f"{pages.kit_dir(kit.id)}/") for path in found), (kit.id, word, found)


def test_build_output_is_french_without_libzims_progress(documents_build) -> None:
    _, _, output = documents_build
    for english in ("ZIM file is ready", "Index titles", "Adding checksum", "Set entry indices", "Traceback"):
        assert english not in output
    assert re.search(r"✓ exports \(documents [\d.]+ s, .*ZIM [\d.]+ s ; PDF : \d+ refaits?, 0 repris", output), output


def test_documents_are_byte_identical_across_builds(documents_build, tmp_path: Path) -> None:
    kits, site, _ = documents_build
    again = tmp_path / "site"
    result = run_build(kits, again, documents=True)
    assert result.returncode == 0, result.stdout + result.stderr
    made = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".pdf", ".epub", ".zim", ".zip"))
    assert any(m.endswith(".zim") for m in made) and any(m.endswith(".epub") for m in made)
    for rel in made:
        assert (site / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_an_unchanged_kits_pdf_is_reused_and_an_edited_kits_remade(tmp_path: Path) -> None:
    kits, site = tmp_path / "kits", tmp_path / "site"
    shutil.copytree(SMALL_KITS, kits)
    first = run_build(kits, site, documents=True)
    assert first.returncode == 0, first.stdout + first.stderr
    pdfs = {p.relative_to(site).as_posix(): (p.stat().st_ino, p.read_bytes()) for p in site.glob("*/kits/*/*.pdf")}
    zims = {p.name: p.stat().st_ino for p in site.glob("*.zim")}
    edited = "evaluation-partenariale"  # shown by associations and entreprises only
    part = kits / edited / parts.of(checks.check_kits(kits)[0].kit(edited).sections)[1].file
    part.write_text(part.read_text(encoding="utf-8") + "\n## Une section ajoutée\n\nDu texte neuf.\n", encoding="utf-8")
    second = run_build(kits, site, documents=True)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "PDF : 1 refait," in second.stdout, second.stdout
    for rel, (inode, data) in pdfs.items():
        path = site / rel
        if f"/{edited}/" in rel:
            assert path.read_bytes() != data, rel
        else:
            assert path.stat().st_ino == inode and path.read_bytes() == data, f"{rel} repris tel quel"
    showing = {exports.zim_file(c) for c in ("associations", "entreprises")}
    assert showing <= set(zims) and exports.zim_file("fondations") in zims
    for name, inode in zims.items():
        assert ((site / name).stat().st_ino == inode) == (name not in showing), f"{name} : seuls ces ZIM sont refaits"
    text = subprocess.run([require_program("pdftotext", "apt-get install poppler-utils"),
                           str(next(site.glob(f"*/kits/{edited}/{edited}.pdf"))), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Une section ajoutée" in text


def test_a_build_without_documents_is_not_taken_for_one_with_them(tmp_path: Path) -> None:
    site = tmp_path / "site"
    light = run_build(SMALL_KITS, site)
    assert light.returncode == 0 and "sans PDF, EPUB ni ZIM (--sans-documents)" in light.stdout, light.stdout
    assert not list(site.glob("*.zim")) and not list(site.glob("*/kits/*/*.pdf"))
    full = run_build(SMALL_KITS, site, documents=True)
    assert full.returncode == 0, full.stdout + full.stderr
    assert "Rien n'a changé" not in full.stdout and list(site.glob("*.zim")) and list(site.glob("*/kits/*/*.pdf"))


def test_each_centre_is_one_valid_epub_linked_from_the_portal(documents_build) -> None:
    kits, site, _ = documents_build
    corpus, _ = checks.check_kits(kits)
    portal = (site / "index.html").read_text(encoding="utf-8")
    java = require_program("java", "apt-get install default-jre-headless")
    if not EPUBCHECK.exists():
        require_program("epubcheck", "apt-get install epubcheck")
    for centre in _centres_of(site):
        book = site / exports.centre_epub_file(centre)
        assert re.search(rf'<a href="{re.escape(book.name)}">Livre numérique du centre \(EPUB, [\d,]+ [kKM]?o\)</a>',
                         portal), centre
        with zipfile.ZipFile(book) as zf:
            names = set(zf.namelist())
            opf = zf.read("EPUB/content.opf").decode()
        audience = next(a for a in corpus.audiences if a.id == centre)
        assert f"<dc:title>{audience.titre_centre}</dc:title>" in opf and "<dc:language>fr</dc:language>" in opf
        for kit in corpus.kits_for(centre):
            for part in parts.of(kit.sections):
                assert f"EPUB/kits/{kit.id}/{part.id}.xhtml" in names, (centre, kit.id, part.id)
        out = subprocess.run([java, "-jar", str(EPUBCHECK), str(book)], capture_output=True, text=True)
        assert out.returncode == 0 and "No errors or warnings detected" in out.stdout + out.stderr, out.stdout


def test_each_kit_page_offers_its_pdf_and_epub_with_their_sizes(documents_build) -> None:
    kits, site, _ = documents_build
    corpus, _ = checks.check_kits(kits)
    for centre in _centres_of(site):
        for kit in corpus.kits_for(centre):
            folder = site / centre / pages.kit_dir(kit.id)
            home = (folder / "index.html").read_text(encoding="utf-8")
            section = home.split('id="telecharger-ce-kit">', 1)[1].split("</ul>", 1)[0]
            assert home.index('id="telecharger-ce-kit"') < home.index('id="fichiers-a-telecharger"')
            for ext in reserved.DOCUMENT_EXTENSIONS:
                name = reserved.document_name(kit.id, ext)
                size = wording.human_size((folder / name).stat().st_size)
                link = re.search(rf'<a download="" href="{re.escape(name)}"[^>]*>([^<]+)</a>(?:<span[^>]*>[^<]*</span>)?'
                                 rf' \({ext.upper()}, ([^)]+)\)', section)
                assert link, (centre, kit.id, ext, section)
                assert link.group(1) == exports.DOCUMENT_LABELS[ext] and link.group(2) == size, link.groups()


def test_offering_documents_rebuilds_only_the_kit_presentations_as_build_centre_would() -> None:
    corpus, _ = checks.check_kits(SMALL_KITS)
    centre = pages.build_centre(corpus, "associations")
    kit = centre.kits[0]
    source = SMALL_KITS / kit.id / "kit.yml"  # any file: the model only records where the engine copies it from
    offers = {kit.id: [(Download("Le kit en PDF, à imprimer", reserved.document_name(kit.id, "pdf"), "PDF, 1 Ko"),
                        source)]}
    offered = pages.offer_documents(corpus, centre, False, offers)
    expected = pages.build_centre(corpus, "associations", documents={k: [d for d, _ in v] for k, v in offers.items()})
    assert offered.pages == expected.pages and offered.nav == expected.nav
    changed = [p.path for p, q in zip(centre.pages, offered.pages) if p != q]
    assert changed == [f"{pages.kit_dir(kit.id)}/index.md"]
    added = offered.assets[len(centre.assets):]
    assert offered.assets[: len(centre.assets)] == centre.assets
    assert [(a.path, a.source) for a in added] == [(f"{pages.kit_dir(kit.id)}/{kit.id}.pdf", source)]


def test_the_exports_benchmark_reads_the_builds_report(documents_build) -> None:
    from kitcli import bench_exports

    _, site, output = documents_build
    assert set(bench_exports._steps(output)) == {"documents", "EPUB des centres", "ZIM"}
    found = bench_exports._PDFS.search(output)
    assert found and int(found.group(1)) == len({p.name for p in site.glob("*/kits/*/*.pdf")})
    sizes = bench_exports._sizes(site)
    assert sizes["pdf_files"] == len(list(site.glob("*/kits/*/*.pdf"))) and min(sizes.values()) > 0


def test_kit_page_with_its_documents_passes_axe_and_reaches_them_by_keyboard(documents_build, browser) -> None:
    from test_accessibility import axe_source, violations

    kits, site, _ = documents_build
    kit = checks.check_kits(kits)[0].kits_for("associations")[0]
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        page.goto((site / "associations" / pages.kit_dir(kit.id) / "index.html").as_uri())
        assert not violations(page, axe_source())
        name = reserved.document_name(kit.id, "pdf")
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('href')") == name:
                break
        else:
            pytest.fail("le lien du PDF n'est pas atteint au clavier")
        assert page.evaluate("document.activeElement.textContent") == exports.DOCUMENT_LABELS["pdf"]
    finally:
        context.close()
