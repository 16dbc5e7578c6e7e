"""Links and images in kit Markdown: each one stays inside its kit, or is an ordinary web address for links."""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from .markup import URL_SCHEMES, active_classes

LINK_SCHEMES = URL_SCHEMES  # what the sanitiser keeps is what make check accepts

# Code is shown, not followed: fenced blocks and inline code are blanked (keeping line breaks) before scanning.
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1?\2[`~]*[ \t]*$|\Z)", re.S | re.M)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(?:<(?P<angle>[^>\n]*)>|(?P<bare>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))"
)
_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*<?(?P<url>[^\s>]+)>?", re.M)  # not footnotes
_HTML_URL = re.compile(
    r"<(?P<tag>a|img)\b[^>]*?\s(?P<attr>href|src)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s>]+))",
    re.I | re.S,
)
# Other tags and attributes are stripped by the sanitiser; they are only reported, as warnings.
_TAG = re.compile(r"<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attrs>(?:\s[^<>]*)?)/?>")
_ATTRIBUTE = re.compile(r"""\s(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s>]+)))?""")
_AUTOLINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class Reference:
    """One link or image target written in a Markdown text."""

    line: int
    target: str
    image: bool


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _without_code(text: str) -> str:
    """The text with code blanked; most parts have none, and the two substitutions dominated validation time."""
    if "`" not in text and "~~~" not in text:
        return text
    return _CODE_SPAN.sub(_blank, _FENCE.sub(_blank, text))


def find_references(text: str) -> list[Reference]:
    """Every link and image target of a Markdown text (inline, reference definitions, raw HTML, autolinks)."""
    return list(_scan_references(text))


# Pure function of the text: the live preview re-checks every kit on each edit, and most texts are unchanged.
@functools.lru_cache(maxsize=4096)
def _scan_references(text: str) -> tuple[Reference, ...]:
    scan = _without_code(text)
    found: list[tuple[int, str, bool]] = []
    # Each pattern needs its opening character: skip the scans that cannot match.
    brackets, tags = "[" in scan, "<" in scan

    def line_of(index: int) -> int:
        return scan.count("\n", 0, index) + 1

    for m in _INLINE.finditer(scan) if brackets else ():
        target = m.group("angle") if m.group("angle") is not None else m.group("bare") or ""
        found.append((line_of(m.start()), target, bool(m.group("bang"))))
    for m in _DEFINITION.finditer(scan) if brackets else ():
        found.append((line_of(m.start()), m.group("url"), False))
    for m in _HTML_URL.finditer(scan) if tags else ():
        value = next(v for v in (m.group("dq"), m.group("sq"), m.group("uq")) if v is not None)
        found.append((line_of(m.start()), value, m.group("tag").lower() == "img"))
    for m in _AUTOLINK.finditer(scan) if tags else ():
        found.append((line_of(m.start()), m.group("url"), False))
    return tuple(Reference(line, target, image) for line, target, image in sorted(set(found)))


def find_stripped_html(text: str, tags: set[str]) -> list[tuple[int, str]]:
    """Raw HTML the sanitiser will remove: (line, French warning), so that the contributor is not surprised."""
    scan = _without_code(text)
    found: list[tuple[int, str]] = []
    if "<" not in scan:
        return found
    for m in _TAG.finditer(scan):
        line = scan.count("\n", 0, m.start()) + 1
        name = m.group("name").lower()
        if name not in tags:
            found.append((line, f"La balise « <{name}> » n'est pas acceptée par le site : elle sera retirée de la page"))
            continue
        for a in _ATTRIBUTE.finditer(m.group("attrs") or ""):
            attr = a.group("name").lower()
            if attr.startswith("on") or attr == "style":
                found.append((line, f"L'attribut « {attr} » de la balise « <{name}> » n'est pas accepté par le site : "
                                    "il sera retiré de la page"))
            elif attr == "class":
                value = a.group("dq") or a.group("sq") or a.group("uq") or ""
                for token in active_classes(value):
                    found.append((line, f"La classe « {token} » de la balise « <{name}> » est réservée au thème du site : "
                                        "elle sera retirée de la page"))
    return sorted(set(found))


def scheme_of(target: str) -> str | None:
    """The URL scheme as a browser reads it (entities decoded, whitespace and control characters dropped)."""
    decoded = html.unescape(target)
    compact = re.sub(r"[\x00-\x20\x7f]+", "", decoded)
    m = _SCHEME.match(compact)
    return m.group(1).lower() if m else None


def local_path(target: str) -> str:
    """The file part of a relative link: entities and %-escapes decoded, query and fragment removed."""
    path = re.split(r"[?#]", html.unescape(target).strip(), maxsplit=1)[0]
    return unquote(path)


def problem(ref: Reference, pages: set[str]) -> tuple[str, str | None]:
    """Classify a target: ('ok'|'page'|'file', relative path) or ('error', French reason)."""
    target = ref.target.strip()
    what = "L'image" if ref.image else "Le lien"
    if not target or target.startswith("#"):
        return "ok", None
    scheme = scheme_of(target)
    if scheme is not None and len(scheme) > 1:  # « C:\… » is a Windows path, handled below
        if ref.image:
            if scheme in ("http", "https"):
                return "error", (f"{what} « {target[:80]} » est sur un autre site : les centres doivent fonctionner hors "
                                 "ligne. Enregistrez l'image dans le dossier fichiers/ du kit et écrivez "
                                 "« fichiers/nom-de-l-image.png ».")
            return "error", (f"{what} « {target[:80]} » utilise une adresse « {scheme}: », refusée. Enregistrez l'image "
                             "dans le dossier fichiers/ du kit et écrivez « fichiers/nom-de-l-image.png ».")
        if scheme not in LINK_SCHEMES:
            return "error", (f"{what} « {target[:80]} » utilise une adresse « {scheme}: », refusée : seules les adresses "
                             "http://, https:// et mailto: sont acceptées.")
        return "ok", None
    path = local_path(target)
    compact = re.sub(r"[\x00-\x20]+", "", html.unescape(target))
    if compact.startswith(("//", "\\\\")):
        if ref.image:  # a remote image is refused whatever its address: say so rather than ask for https://
            return "error", (f"{what} « {target[:80]} » est sur un autre site : les centres doivent fonctionner hors "
                             "ligne. Enregistrez l'image dans le dossier fichiers/ du kit et écrivez "
                             "« fichiers/nom-de-l-image.png ».")
        return "error", (f"{what} « {target[:80]} » n'indique pas de protocole ; écrivez l'adresse complète, "
                         "en commençant par https://.")
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        return "error", (f"{what} « {target[:80]} » est un chemin absolu, refusé : un kit ne peut citer que ses propres "
                         "fichiers, avec un chemin relatif comme « fichiers/grille.csv ».")
    if "\\" in path:
        return "error", f"{what} « {target[:80]} » contient une barre oblique inverse « \\ » ; utilisez « / »."
    parts = PurePosixPath(path).parts
    depth = 0
    for part in parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return "error", (f"{what} « {target[:80]} » mène hors du dossier du kit, refusé : un kit ne peut citer que "
                             "ses propres fichiers (placez-les dans fichiers/) ; pour renvoyer vers un autre kit, "
                             "ajoutez-le à « voir_aussi » dans kit.yml.")
    if ".." in parts:
        return "error", f"{what} « {target[:80]} » contient « .. » ; écrivez le chemin sans détour, par exemple « fichiers/grille.csv »."
    clean = PurePosixPath(*[p for p in parts if p != "."]).as_posix() if parts else ""
    if not ref.image and clean in pages:
        return "page", clean
    return "file", clean
