"""Which published paths a kit's own files may occupy: never a generated page or file, in any case or Unicode form."""
from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath

from . import parts
# What an engine turns into a page rather than copying: never accepted among a kit's files (checked by
# attachments.inspect), so that no contributed file can be rendered with its own front matter and script.
PAGE_SUFFIXES = {".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext", ".html", ".htm",
                 ".xhtml", ".shtml", ".xht", ".jinja", ".j2"}


def path_key(relative: str) -> str:
    """The form under which two published paths are the same file somewhere: on a case-insensitive disk
    (Windows, macOS, an unzipped centre) and after Unicode normalisation (macOS stores names decomposed)."""
    return unicodedata.normalize("NFKC", relative).casefold()


def generated_pages() -> list[str]:
    """The pages generated in each kit's folder, relative to it (their .md source name)."""
    return [f"{parts.PRESENTATION}.md"] + [p.file for p in parts.PARTS] + [f"{parts.PRINTABLE}.md"]


# The folders the build writes at the site's root, beside one folder per centre named by its audience's id:
# no audience may take one (its centre would be overwritten, or would overwrite it).
EDITOR_FOLDER, SEARCH_FOLDER, SCHEMAS_FOLDER = "editeur", "recherche", "schemas"
PORTAL_FOLDERS = {EDITOR_FOLDER: "l'éditeur web", SEARCH_FOLDER: "la recherche du portail",
                  SCHEMAS_FOLDER: "les schémas publiés"}

# The documents made from each kit (exports: PDF, EPUB), in the kit's folder of each centre.
DOCUMENT_EXTENSIONS = ("pdf", "epub")


def document_name(kit_id: str, extension: str) -> str:
    """File name of a kit's PDF or EPUB, relative to the kit's folder."""
    return f"{kit_id}.{extension}"


def spreadsheet_name(relative: str) -> str:
    """The .ods generated beside a CSV offered in `ressources`."""
    return relative[: -len(".csv")] + ".ods"


def reserved_paths(resources: list[str], kit_id: str) -> dict[str, str]:
    """Path key → French description of what the build generates there, for one kit."""
    reserved: dict[str, str] = {}
    for page in generated_pages():
        html = PurePosixPath(page).with_suffix(".html").as_posix()
        for path in (page, html):
            reserved[path_key(path)] = f"la page « {html} » que le site produit pour chaque kit"
    for extension in DOCUMENT_EXTENSIONS:
        name = document_name(kit_id, extension)
        reserved[path_key(name)] = f"le kit en {extension.upper()} (« {name} ») que le site produit pour chaque kit"
    for rel in resources:
        if rel.lower().endswith(".csv"):
            reserved[path_key(spreadsheet_name(rel))] = (f"la version tableur (.ods) que le site produit à partir "
                                                         f"de « {rel} »")
    return reserved


def collisions(files: list[str], resources: list[str], kit_id: str) -> list[tuple[str, str]]:
    """(published path, French reason) for each kit file that would take a generated path or another file's."""
    reserved = reserved_paths(resources, kit_id)
    seen: dict[str, str] = {}
    found: list[tuple[str, str]] = []
    for rel in sorted(dict.fromkeys(files)):
        key = path_key(rel)
        if key in reserved:
            found.append((rel, f"une fois publié, il prendrait la place de {reserved[key]} ; renommez-le (par "
                               f"exemple « {_renamed(rel)} »)"))
        elif key in seen:
            found.append((rel, f"son nom ne diffère de « {seen[key]} » que par les majuscules ou la forme des accents : "
                               "une fois le centre décompressé sous Windows ou macOS, l'un remplacerait l'autre ; "
                               "renommez l'un des deux"))
        else:
            seen[key] = rel
    return found


def _renamed(relative: str) -> str:
    path = PurePosixPath(relative)
    return path.with_name(f"{path.stem}-fichier{path.suffix}").as_posix()
