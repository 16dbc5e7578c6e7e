"""The files a kit publishes (fichiers/ and ressources): inside the kit, of an allowed type and content, bounded in size."""
from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import csvexport, documents, reserved
from .wording import human_size

FILES_DIR = "fichiers"
MIB = 1024 * 1024
# Documents a reader opens safely with ordinary office software; images shown in pages. No HTML, no scripts,
# no macro-capable legacy formats (.doc, .xls), no archives whose content nobody reviews.
# Markdown and HTML are pages, not documents: an engine would render them (their front matter and scripts
# with them) instead of offering them for download.
DOCUMENTS = {".pdf", ".odt", ".ods", ".odp", ".odg", ".docx", ".xlsx", ".pptx", ".csv", ".txt"}
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
ALLOWED_EXTENSIONS = DOCUMENTS | IMAGES
MAX_DOCUMENT_BYTES = 20 * MIB
MAX_IMAGE_BYTES = 5 * MIB
MAX_SVG_BYTES = 512 * 1024
MAX_KIT_BYTES = 50 * MIB
MAX_KIT_FILES = 100

# The first bytes each type must start with: a file renamed to .png but holding HTML is refused.
_ZIP = (b"PK\x03\x04",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".odt": _ZIP, ".ods": _ZIP, ".odp": _ZIP, ".odg": _ZIP, ".docx": _ZIP, ".xlsx": _ZIP, ".pptx": _ZIP,
}
TEXT_TYPES = {".csv", ".txt"}
# One path segment: a letter or digit first (no hidden file), then letters, digits, dots, hyphens, underscores.
SEGMENT = re.compile(r"^[^\W_][\w.-]*$")

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Drawing elements only: no script, foreignObject (HTML inside SVG), style, animation (which can rewrite links),
# image (which can load remote content) or iframe-like elements.
SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "symbol", "use", "marker",
}


@dataclass(frozen=True)
class Refusal:
    """Why a kit file cannot be published, in French, ready to follow « Le fichier « x » est refusé : »."""

    reason: str
    line: int | None = None  # in the file itself, when the reason is about one place of a text file


def check_path(kit_folder: Path, relative: str) -> tuple[Path | None, str | None]:
    """Resolve a path written in a kit; return (path, None), or (None, French reason) when it may leave the kit."""
    if not relative or "\\" in relative or relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        return None, "le chemin doit être relatif au dossier du kit, avec des « / », par exemple « fichiers/grille.csv »"
    if "\x00" in relative or any(ord(c) < 32 for c in relative):
        return None, "le chemin contient un caractère invisible ; retapez-le"
    pure = PurePosixPath(relative)
    if ".." in pure.parts:
        return None, "le chemin ne doit pas contenir « .. » : le fichier doit se trouver dans le dossier du kit"
    target = kit_folder / pure
    if not _through_link(kit_folder, pure.parts):
        return target, None  # no link on the way: resolving could only give back the same path
    base = kit_folder.resolve()
    try:
        resolved = target.resolve(strict=False)
        resolved.relative_to(base)
    except (ValueError, OSError, RuntimeError):
        return None, "ce chemin mène hors du dossier du kit (lien symbolique) ; placez le fichier lui-même dans le kit"
    if resolved != base / pure:
        # Even a link that stays inside the kit is refused: what is published must be what was reviewed.
        return None, "ce chemin passe par un lien symbolique ; placez le fichier lui-même dans le dossier du kit"
    return target, None


def _through_link(kit_folder: Path, parts: tuple[str, ...]) -> bool:
    """True if some existing component of the path inside the kit is a symbolic link (a few lstat calls, far
    cheaper than resolving the whole absolute path twice, which dominated the validation of large corpora)."""
    current = str(kit_folder)
    for part in parts:
        current = os.path.join(current, part)
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return True
        except (FileNotFoundError, NotADirectoryError):
            return False  # the rest does not exist: resolving keeps it as written
        except OSError:
            return True  # unreadable: let the full resolution decide and explain
    return False


def check_name(relative: str) -> str | None:
    """French reason why a file name is unsafe in a link (spaces, brackets, hidden files…), or None."""
    for segment in PurePosixPath(relative).parts:
        if not SEGMENT.match(segment):
            return (f"le nom « {segment} » contient des caractères refusés ; n'utilisez que des lettres, des chiffres, "
                    "des tirets et un point avant l'extension, sans espace ni fichier caché (par exemple « grille-2026.csv »)")
    return None


def inspect(path: Path, relative: str) -> Refusal | None:
    """Check one file that is inside its kit: type from the allow-list, content matching it, size; None if fine."""
    reason = check_name(relative)
    if reason:
        return Refusal(reason)
    suffix = path.suffix.lower()
    if suffix in reserved.PAGE_SUFFIXES:
        return Refusal(
            f"un fichier « {path.suffix} » serait publié comme une page du site, avec ce qu'il contient (en-tête, "
            "script), au lieu d'être proposé au téléchargement ; mettez ce texte dans l'une des quatre parties du "
            "kit, ou enregistrez-le en .pdf ou en .txt"
        )
    if suffix not in ALLOWED_EXTENSIONS:
        shown = f"« {path.suffix} »" if path.suffix else "sans extension"
        return Refusal(
            f"le type de fichier {shown} n'est pas accepté. Types acceptés : documents "
            f"({', '.join(sorted(DOCUMENTS))}) et images ({', '.join(sorted(IMAGES))})"
        )
    try:
        size = path.stat().st_size
        limit = MAX_SVG_BYTES if suffix == ".svg" else MAX_IMAGE_BYTES if suffix in IMAGES else MAX_DOCUMENT_BYTES
        if size > limit:
            return Refusal(f"il pèse {human_size(size)}, au-delà de la limite de {human_size(limit)} pour ce type de "
                           "fichier ; compressez-le ou publiez-en une version allégée")
        if size == 0:
            return Refusal("le fichier est vide ; ajoutez son contenu ou retirez-le")
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        return Refusal(f"impossible de le lire ({exc.strerror or exc})")
    return _check_content(path, suffix, head)


def _check_content(path: Path, suffix: str, head: bytes) -> Refusal | None:
    mismatch = Refusal(f"son contenu ne correspond pas à l'extension « {suffix} » ; enregistrez-le de nouveau au bon "
                       "format depuis votre logiciel")
    if suffix in SIGNATURES and not head.startswith(SIGNATURES[suffix]):
        return mismatch
    if suffix == ".webp" and not (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return mismatch
    if suffix in TEXT_TYPES and b"\x00" in head:
        return mismatch
    if suffix in TEXT_TYPES:
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            # Spreadsheets are also offered as .ods, made from this text: it must be readable as UTF-8.
            return Refusal("le texte n'est pas encodé en UTF-8 ; enregistrez-le en « CSV UTF-8 » (ou « Texte UTF-8 ») "
                           "depuis votre tableur ou votre éditeur")
    if suffix == ".csv":
        try:
            found = formula_cell(path.read_bytes().decode("utf-8"))
        except csvexport.Unreadable as exc:
            return Refusal(exc.reason, exc.line)
        if found:
            return Refusal(*found)
    if suffix == ".svg":
        reason = svg_problem(path.read_bytes())
        if reason:
            return Refusal(f"{reason} ; exportez le dessin en PNG, ou en « SVG simple » sans script ni style")
    if suffix in documents.OOXML | documents.ODF:
        reason = documents.office_problem(suffix, path)
        if reason:
            return Refusal(f"{reason} ; enregistrez-le de nouveau sans macro, objet incorporé ni mot de passe (ou "
                           "exportez-le en PDF)")
    if suffix == ".pdf":
        reason = documents.pdf_problem(path.read_bytes())
        if reason:
            return Refusal(f"{reason} ; exportez-le de nouveau en PDF simple (« Imprimer » puis « Enregistrer au "
                           "format PDF », ou l'export PDF de votre traitement de texte)")
    return None


# What a spreadsheet reads as the start of a formula, once leading spaces and quotes are skipped (OWASP's list).
_FORMULA_START = "=@+-"
_NUMBER = re.compile(r"[+-][0-9 .,\u00a0\u202f]{0,64}%?")


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def formula_cell(text: str) -> tuple[str, int] | None:
    """(French reason, row) for the first cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM`,
    `-2+cmd|…`), or None. Signed numbers (-5, +3,5 %) are plain values and stay."""
    for row_number, row in enumerate(csvexport.read_rows(text.lstrip("\ufeff")), 1):
        for col, cell in enumerate(row):
            where = f"la cellule {_column(col)}{row_number}"
            if cell[:1] in ("\t", "\r"):
                return (f"{where} commence par une tabulation ou un retour à la ligne, qu'un tableur peut lire comme "
                        "le début d'une formule ; retirez-le", row_number)
            start = cell.lstrip(" \"")
            if not start or start[0] not in _FORMULA_START or _NUMBER.fullmatch(start.rstrip()):
                continue
            return (f"{where} commence par « {start[0]} » : un tableur l'exécuterait comme une formule, qui peut "
                    "ouvrir une adresse ou lancer un programme ; retirez ce signe (ou commencez la cellule par un "
                    "autre caractère, « – » plutôt que « - » par exemple), ou publiez le calcul en .ods", row_number)
    return None


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def svg_problem(raw: bytes) -> str | None:
    """French reason why an SVG image could run script or load something from outside, or None if it is plain drawing."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "l'image SVG n'est pas encodée en UTF-8"
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        return "l'image SVG contient une déclaration DOCTYPE ou ENTITY"
    if "<?xml-stylesheet" in lowered:
        return "l'image SVG appelle une feuille de style"
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return "l'image SVG est illisible (XML invalide)"
    if _local(root.tag) != (SVG_NS, "svg"):
        return "le fichier .svg ne contient pas une image SVG"
    for element in root.iter():
        ns, name = _local(element.tag) if isinstance(element.tag, str) else ("", "?")
        if ns != SVG_NS or name not in SVG_ELEMENTS:
            return f"l'image SVG contient l'élément « {name} », refusé (script, style, contenu HTML ou animation)"
        for attribute, value in element.attrib.items():
            ans, aname = _local(attribute)
            if ans not in ("", XLINK_NS, XML_NS):
                return f"l'image SVG contient l'attribut étranger « {aname} »"
            if aname.lower().startswith("on"):
                return f"l'image SVG contient l'attribut « {aname} », qui lance un script"
            if aname == "href" and not value.strip().startswith("#"):
                return "l'image SVG contient un lien vers l'extérieur de l'image"
            reason = _css_problem(css_plain(value))
            if reason:
                return reason
    return None


_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\r\n\f]?|(\r\n|[\s\S]))")
_CSS_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def _unescape(match: re.Match[str]) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return "" if match.group(2) in ("\n", "\r\n", "\r", "\f") else match.group(2)


def css_plain(value: str) -> str:
    """An attribute value as a CSS parser reads it: comments removed, escapes (« u\\72l( », « \\75\\72\\6c( »)
    decoded, then lowercased with whitespace and control characters dropped, ready to be searched."""
    pieces, position = [], 0
    while True:
        start = value.find("/*", position)
        if start < 0:
            pieces.append(value[position:])
            break
        pieces.append(value[position:start])
        end = value.find("*/", start + 2)
        position = len(value) if end < 0 else end + 2
    decoded = _CSS_ESCAPE.sub(_unescape, "".join(pieces)) if "\\" in value else "".join(pieces)
    return _CSS_IGNORED.sub("", decoded).lower()


# What can make an image fetch something: any address but a fragment of the image itself.
_CSS_FETCHING = ("image-set(", "image(", "cross-fade(", "element(", "src(", "@import", "@font-face", "expression(",
                 "-moz-binding", "behavior:")


def _css_problem(plain: str) -> str | None:
    if "javascript:" in plain or "data:" in plain or "vbscript:" in plain:
        return "l'image SVG contient une adresse « javascript: », « data: » ou « vbscript: »"
    for word in _CSS_FETCHING:
        if word in plain:
            return f"l'image SVG appelle une ressource extérieure avec « {word.rstrip('(:')}{'(…)' if word.endswith('(') else ''} »"
    position = plain.find("url(")
    while position >= 0:
        target = plain[position + 4:].lstrip("'\"")
        if not target.startswith("#"):
            return "l'image SVG appelle une ressource extérieure avec « url(…) »"
        position = plain.find("url(", position + 4)
    return None


def walk_files(kit_folder: Path) -> tuple[list[tuple[str, Path]], list[tuple[str, str]]]:
    """Every entry under the kit's fichiers/ folder without following links: (published files, refused paths+reasons)."""
    top = kit_folder / FILES_DIR
    files: list[tuple[str, Path]] = []
    refused: list[tuple[str, str]] = []
    if top.is_symlink():
        refused.append((FILES_DIR, "c'est un lien symbolique ; placez-y les fichiers eux-mêmes"))
        return files, refused
    if not top.is_dir():
        return files, refused
    for current, dirs, names in os.walk(top, followlinks=False):
        here = Path(current)
        for name in sorted(dirs):
            entry = here / name
            if entry.is_symlink():
                refused.append((entry.relative_to(kit_folder).as_posix(),
                                "c'est un lien symbolique ; placez-y les fichiers eux-mêmes"))
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
        for name in sorted(names):
            entry = here / name
            rel = entry.relative_to(kit_folder).as_posix()
            if entry.is_symlink():
                refused.append((rel, "c'est un lien symbolique ; remplacez-le par le fichier lui-même"))
            elif not entry.is_file():
                refused.append((rel, "ce n'est pas un fichier ordinaire"))
            else:
                files.append((rel, entry))
    return files, refused


def published_files(kit_folder: Path, resources: list[str]) -> list[tuple[str, Path]]:
    """The files a kit publishes: all of fichiers/ plus its ressources, each inside the kit and accepted."""
    out: dict[str, Path] = {}
    files, _ = walk_files(kit_folder)
    for rel, path in files + [(r, kit_folder / r) for r in resources]:
        target, reason = check_path(kit_folder, rel)
        if target is not None and target.is_file() and inspect(target, rel) is None:
            out.setdefault(rel, target)
    # Generated pages and files always win: a file that would take their path is never published.
    for rel, _ in reserved.collisions(list(out), resources, kit_folder.name):
        out.pop(rel, None)
    return sorted(out.items())
