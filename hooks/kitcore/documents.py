"""Office documents and PDFs judged by their structure: what they hold that could run, fetch or hide something."""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import PurePosixPath
from xml.etree import ElementTree as ET

from .wording import human_size

MIB = 1024 * 1024
# An office document is a zip: its members are listed and some read, within these bounds (a zip bomb declares
# small sizes and inflates to gigabytes; reading stops at the bound, whatever the header says).
MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * MIB  # declared total
MAX_XML_READ = 32 * MIB  # XML actually read and parsed, all members together
# A PDF's compressed streams are inflated to look inside (object streams hide dictionaries); bounded as well.
MAX_PDF_INFLATED = 64 * MIB

OOXML = {".docx", ".xlsx", ".pptx"}
ODF = {".odt", ".ods", ".odp", ".odg"}
# Programs inside a document: never needed to read it.
_PROGRAM_SUFFIXES = {".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".msi", ".ps1", ".vbs", ".vbe", ".js", ".jse",
                     ".wsf", ".hta", ".jar", ".sh", ".lnk", ".cpl", ".pif", ".app", ".elf", ".so", ".dylib"}
_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: VBA projects, OLE objects, old .doc/.xls
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_XLINK = "{http://www.w3.org/1999/xlink}href"
# ODF elements that run or fetch: scripts and event bindings, DDE links, OLE and plug-in objects.
_ODF_REFUSED = {
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}event-listeners": "une macro liée à un événement",
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}script": "un script",
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}scripts": "un script",
    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}dde-source": "une liaison DDE (données d'un autre programme)",
    "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}dde-link": "une liaison DDE (données d'un autre programme)",
    "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}dde-connection-decl": "une liaison DDE (données d'un autre programme)",
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}object-ole": "un objet OLE (programme incorporé)",
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}plugin": "un module externe (plug-in)",
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}applet": "une applet Java",
}
_ODF_LINK = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}a"
_ODF_ENCRYPTED = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}encryption-data"
_ODF_FORMULA = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}formula"


def office_problem(suffix: str, path) -> str | None:
    """French reason why an office document could run or fetch something (or cannot be inspected), or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return f"le document contient {len(members)} éléments, au-delà des {MAX_MEMBERS} qu'un document ordinaire ne dépasse jamais"
            declared = sum(m.file_size for m in members)
            if declared > MAX_UNCOMPRESSED:
                return (f"le document se décompresse en {human_size(declared)}, au-delà de la limite de "
                        f"{human_size(MAX_UNCOMPRESSED)}")
            budget = [MAX_XML_READ]
            for member in members:
                reason = _member_problem(archive, member)
                if reason:
                    return reason
            if suffix in OOXML:
                return _ooxml_problem(archive, members, budget)
            return _odf_problem(archive, members, budget)
    # LookupError: an XML part declaring an encoding Python does not know (`encoding="x-inconnu"`): refused, never
    # skipped, or a part could hide from the inspection behind it.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError,
            LookupError):
        return "le document est illisible (archive endommagée, chiffrée ou compressée d'une manière inconnue)"
    except _TooBig:
        return (f"le document contient plus de {human_size(MAX_XML_READ)} de texte XML une fois décompressé, "
                "au-delà de ce que la vérification lit")


class _TooBig(Exception):
    """More XML than the inspection reads."""


def _member_problem(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
    name = member.filename
    pure = PurePosixPath(name)
    if name.startswith("/") or ".." in pure.parts or "\\" in name:
        return f"le document contient un élément au chemin anormal « {name[:80]} »"
    if member.flag_bits & 0x1:
        return "le document est chiffré (protégé par un mot de passe) : la vérification ne peut pas en lire le contenu"
    if pure.suffix.lower() in _PROGRAM_SUFFIXES:
        return f"le document contient un programme (« {pure.name[:80]} »)"
    if member.is_dir() or member.file_size == 0:
        return None
    with archive.open(member) as handle:
        head = handle.read(8)
    if head.startswith(_PROGRAM_MAGIC):
        return f"le document contient un programme (« {pure.name[:80]} »)"
    if head.startswith(_OLE_MAGIC):
        lowered = name.lower()
        what = "des macros VBA" if "vba" in lowered else "un objet OLE incorporé"
        return f"le document contient {what} (« {pure.name[:80]} »)"
    return None


def _read_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: list[int]) -> ET.Element | None:
    """Parse one XML member, counting what is read against the shared budget; None if it is not XML."""
    with archive.open(member) as handle:
        data = handle.read(budget[0] + 1)
    budget[0] -= len(data)
    if budget[0] < 0:
        raise _TooBig
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise ValueError("DOCTYPE")  # entity expansion: never needed by an office document
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None


def _ooxml_problem(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], budget: list[int]) -> str | None:
    names = {m.filename.lower(): m for m in members}
    for name in names:
        base = PurePosixPath(name).name
        if base in ("vbaproject.bin", "vbadata.xml") or base.startswith("vbaproject"):
            return f"le document contient des macros VBA (« {PurePosixPath(name).name} »)"
        if name.endswith(".bin") and ("activex" in name or "embeddings/" in name):
            return f"le document contient un objet incorporé actif (ActiveX ou OLE, « {PurePosixPath(name).name} »)"
    types = names.get("[content_types].xml")
    if types is not None:
        root = _read_xml(archive, types, budget)
        if root is not None:
            for element in root:
                kind = (element.get("ContentType") or "").lower()
                if "macroenabled" in kind or "vbaproject" in kind or "activex" in kind:
                    return "le document est d'un type à macros (il s'ouvrirait avec ses macros actives)"
    for name, member in sorted(names.items()):
        if name.startswith("xl/externallinks/"):
            return "le document contient une liaison vers un autre classeur, lue à son ouverture"
        if name.endswith(".xml") and not name.startswith(("[content_types]", "docprops/", "customxml/")):
            root = _read_xml(archive, member, budget)
            reason = _ooxml_active_content(root) if root is not None else None
            if reason:
                return reason
        if not name.endswith(".rels"):
            continue
        root = _read_xml(archive, member, budget)
        if root is None:
            continue
        for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
            if (rel.get("TargetMode") or "").lower() != "external":
                continue
            target = (rel.get("Target") or "").strip()
            kind = rel.get("Type") or ""
            if kind == _HYPERLINK:
                if target.lower().startswith(_LINK_SCHEMES):
                    continue  # an ordinary link, which the reader chooses to follow
                return (f"le document contient un lien « {target[:80]} », d'un type refusé (seuls http://, https:// "
                        "et mailto: sont acceptés)")
            what = kind.rsplit("/", 1)[-1] or "?"
            return (f"le document charge un élément extérieur à son ouverture (relation « {what} » vers "
                    f"« {target[:80]} »)")
    return None


# Word fields that run a program or fetch content when the document opens or updates (DDE, INCLUDEPICTURE…);
# spreadsheet functions that call another program or an address.
_FIELD = re.compile(r"\b(DDEAUTO|DDE|INCLUDEPICTURE|INCLUDETEXT|IMPORT|LINK)\b")
_CALLING = re.compile(r"\|\s{0,64}'|\b(DDE|WEBSERVICE|FILTERXML|CALL|REGISTER|EXEC|RTD)\s{0,64}\(", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _ooxml_active_content(root: ET.Element) -> str | None:
    """Fields of a Word part and formulas of an Excel sheet that run or fetch something."""
    instructions = []
    for element in root.iter():
        if element.tag == f"{_W}instrText" and element.text:
            instructions.append(element.text)
        elif element.tag == f"{_W}fldSimple":
            instructions.append(element.get(f"{_W}instr") or "")
        elif element.tag == f"{_X}f" and element.text and _CALLING.search(element.text):
            return f"le document contient une formule qui appelle un autre programme ou une adresse (« {element.text[:60]} »)"
        elif element.tag == f"{_X}ddeLink":
            return "le document contient une liaison DDE (données d'un autre programme)"
    # Word splits a field's instruction over several runs: « DDE » and « AUTO » may come apart.
    found = _FIELD.search("".join(instructions).upper())
    if found:
        return f"le document contient un champ « {found.group(1)} », qui lance un programme ou charge un contenu extérieur"
    return None


def _odf_problem(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], budget: list[int]) -> str | None:
    for member in members:
        top = member.filename.split("/", 1)[0].lower()
        if top in ("basic", "scripts"):
            return f"le document contient des macros (dossier « {member.filename.split('/', 1)[0]} »)"
    for member in members:
        if not member.filename.lower().endswith(".xml"):
            continue
        root = _read_xml(archive, member, budget)
        if root is None:
            continue
        for element in root.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            if tag in _ODF_REFUSED:
                return f"le document contient {_ODF_REFUSED[tag]}"
            if tag == _ODF_ENCRYPTED:
                return "le document est chiffré (protégé par un mot de passe) : la vérification ne peut pas en lire le contenu"
            formula = element.get(_ODF_FORMULA)
            if formula and _CALLING.search(formula):
                return f"le document contient une formule qui appelle un autre programme ou une adresse (« {formula[:60]} »)"
            href = (element.get(_XLINK) or "").strip()
            if not href:
                continue
            lowered = href.lower()
            if lowered.startswith(("vnd.sun.star.script:", "macro:", "vnd.sun.star.basic:")):
                return "le document contient une macro liée à un lien ou à un événement"
            if tag == _ODF_LINK:
                if ":" in lowered.split("/", 1)[0] and not lowered.startswith(_LINK_SCHEMES):
                    return (f"le document contient un lien « {href[:80]} », d'un type refusé (seuls http://, "
                            "https:// et mailto: sont acceptés)")
                continue
            if ":" in lowered.split("/", 1)[0] or lowered.startswith(("/", "../", "\\")):
                return f"le document charge un élément extérieur à son ouverture (« {href[:80]} »)"
    return None


# PDF names may hide letters as #xx (« /J#61vaScript »): decoded before judging, as pdfid and readers do.
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]{1,127})")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_REFUSED = {
    b"JavaScript": "du JavaScript", b"JS": "du JavaScript", b"Launch": "une action qui lance un programme",
    b"EmbeddedFile": "un fichier incorporé", b"EmbeddedFiles": "des fichiers incorporés",
    b"RichMedia": "un contenu multimédia actif", b"SubmitForm": "un formulaire qui envoie des données",
    b"ImportData": "une importation de données", b"GoToR": "un renvoi vers un autre fichier",
    b"GoToE": "un renvoi vers un fichier incorporé", b"XFA": "un formulaire XFA (scriptable)",
    b"Encrypt": "un chiffrement qui empêche la vérification de lire son contenu",
}
_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = b"endstream"
_FLATE = re.compile(rb"/(?:Fl|FlateDecode)\b")
_DICT_TAIL = 512  # bytes before « stream » where its dictionary (and /Filter) stands


def pdf_problem(raw: bytes) -> str | None:
    """French reason why a PDF could run script, launch or hide something, or None. Its bytes are read, and its
    Flate-compressed streams (object streams included) inflated, within MAX_PDF_INFLATED in all."""
    reason = _pdf_names_problem(raw)
    if reason:
        return reason
    budget = MAX_PDF_INFLATED
    position = 0
    while True:
        m = _STREAM.search(raw, position)
        if m is None:
            return None
        end = raw.find(_ENDSTREAM, m.end())
        if end < 0:
            return None
        position = end + len(_ENDSTREAM)
        if not _FLATE.search(raw, max(0, m.start() - _DICT_TAIL), m.start()):
            continue  # images and fonts in other codings: they hold no dictionaries a reader acts on
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw[m.end():end], budget + 1)
        except zlib.error:
            continue  # a damaged stream is skipped by readers as well
        budget -= len(data)
        if budget < 0:
            return (f"le PDF contient plus de {human_size(MAX_PDF_INFLATED)} de données compressées, au-delà de ce "
                    "que la vérification lit ; publiez une version allégée")
        reason = _pdf_names_problem(data)
        if reason:
            return reason


def _pdf_names_problem(data: bytes) -> str | None:
    if b"/" not in data:
        return None
    for m in _NAME.finditer(data):
        name = m.group(1)
        if b"#" in name:
            name = _HEX.sub(lambda h: bytes([int(h.group(1), 16)]), name)
        if name in _PDF_REFUSED:
            return f"le PDF contient {_PDF_REFUSED[name]} (« /{name.decode('latin-1')} »)"
    return None
