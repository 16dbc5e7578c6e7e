"""Links and images in kit Markdown: each one stays inside its kit, or is an ordinary web address for links."""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from . import copies, spans
from .markup import URL_SCHEMES, Sanitiser
from .typography import code_lines

LINK_SCHEMES = URL_SCHEMES  # what the sanitiser keeps is what make check accepts

# Every pattern below is bounded (spans.bounded): the contributor controls the text, and a pattern whose match
# could grow with it makes a scan quadratic (« <a » repeated 120 000 times once took minutes).
_LABEL = r"(?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]\n]{0,200}\]){0,1000}"  # link text: may wrap, not cross a blank line
_INLINE = spans.bounded(
    r"(?P<bang>!?)\[" + _LABEL + r"\]\([ \t]{0,64}\n?[ \t]{0,64}(?:<(?P<angle>[^<>\n]{0,4096}+)>"
    r"|(?P<bare>[^\s()]{0,4096}(?:\([^\s()]{0,4096}\)[^\s()]{0,4096}){0,4}))"
)
# Reference definitions: Markdown reads them in every container (quote, list item, admonition, definition,
# footnote), so the container markers are stripped from each line first; the address may sit on the next line.
_CONTAINER = spans.bounded(r"(?:[ \t]{0,64}(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])|:(?=[ \t]))[ \t]?){0,32}[ \t]{0,64}")
_DEFINITION = spans.bounded(r"\[(?!\^)(?P<label>[^\[\]]{1,999})\]:[ \t]{0,64}(?:\n[ \t>]{0,64})?<?(?P<url>[^\s>]{1,4096})")
_REFERENCE_USE = spans.bounded(r"(?P<bang>!?)\[(?P<text>[^\[\]]{0,999})\](?:[ ]?\[(?P<label>[^\[\]]{0,999})\])?")
# Footnotes as Python-Markdown's footnotes extension reads them: a definition starts its line (up to 3 spaces, in
# any container), a call is the same brackets anywhere else.
_NOTE_DEFINITION = spans.bounded(r"[ ]{0,3}\[\^(?P<id>[^\[\]\n]{1,256})\]:")
_NOTE_CALL = spans.bounded(r"\[\^(?P<id>[^\[\]\n]{1,256})\]")
_TAG_BODY = r"(?:[^<>\"']|\"[^\"]{0,512}\"|'[^']{0,512}'){0,128}?"
_HTML_URL = spans.bounded(
    r"<(?P<tag>a|img)\b" + _TAG_BODY + r"\s(?P<attr>href|src)\s{0,64}=\s{0,64}"
    r"(?:\"(?P<dq>[^\"]{0,4096})\"|'(?P<sq>[^']{0,4096})'|(?P<uq>[^\s>]{1,4096}))",
    re.I,
)
# Other tags and attributes are stripped by the sanitiser; they are only reported, as warnings.
_TAG = spans.bounded(r"<(?P<name>[A-Za-z][A-Za-z0-9-]{0,63})(?P<attrs>(?:\s[^<>]{0,4096})?)/?>")
_ATTRIBUTE = spans.bounded(r"""\s(?P<name>[^\s"'>/=]{1,256})(?:\s{0,64}=\s{0,64}(?:"(?P<dq>[^"]{0,4096})"|'(?P<sq>[^']{0,4096})'|(?P<uq>[^\s>]{1,4096})))?""")
_AUTOLINK = spans.bounded(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]{0,4096})>")
_SCHEME = spans.bounded(r"^([A-Za-z][A-Za-z0-9+.-]{0,255}):")
_INVISIBLE = spans.bounded(r"[\x00-\x20\x7f]")


@dataclass(frozen=True)
class Reference:
    """One link or image target written in a Markdown text."""

    line: int
    target: str
    image: bool


def without_code(text: str) -> str:
    """The text with fenced code blocks and inline code blanked (line breaks kept): code is shown, not followed."""
    if "`" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    kept = "\n".join("" if code else line for line, code in zip(lines, code_lines(lines)))
    pieces, last = [], 0
    for start, end in spans.code_spans(kept):
        pieces += [kept[last:start], _BLANKED.sub(" ", kept[start:end])]
        last = end
    pieces.append(kept[last:])
    return "".join(pieces)


_BLANKED = re.compile(r"[^\n]")


def find_references(text: str) -> list[Reference]:
    """Every link and image target of a Markdown text (inline, reference definitions, raw HTML, autolinks)."""
    return list(_scan_references(text))


def _normal_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _definitions(scan: str, lines: spans.LineIndex) -> list[tuple[int, str, str]]:
    """(line, label, address) of every reference definition, in whatever container Markdown finds it."""
    found = []
    offset = 0
    for row in scan.split("\n"):
        if "[" in row:
            inner = offset + _CONTAINER.match(row).end()
            m = _DEFINITION.match(scan, inner)
            if m:
                found.append((lines.line(m.start()), _normal_label(m.group("label")), m.group("url")))
        offset += len(row) + 1
    return found


def find_note_problems(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(line, id) of the footnotes defined but never called, and of the calls to footnotes never defined."""
    scan = without_code(text)
    if "[^" not in scan:
        return [], []
    lines = spans.LineIndex(scan)
    defined: dict[str, int] = {}
    maybe_code: set[str] = set()
    definition_starts: set[int] = set()
    offset = 0
    for row in scan.split("\n"):
        if "[^" in row:
            prefix = _CONTAINER.match(row).end()
            m = _NOTE_DEFINITION.match(scan, offset + prefix)
            if m:
                defined.setdefault(m.group("id"), lines.line(m.start()))
                definition_starts.add(m.start("id") - 2)
                if not row[:prefix].strip() and len(row[:prefix].expandtabs(4)) >= 4:
                    # Indented by four spaces with no marker: a list item's text or a code block, which only the
                    # context tells apart; such a note is never reported as uncalled.
                    maybe_code.add(m.group("id"))
        offset += len(row) + 1
    called: dict[str, int] = {}
    for m in _NOTE_CALL.finditer(scan):
        if m.start() not in definition_starts:
            called.setdefault(m.group("id"), lines.line(m.start()))
    return ([(line, i) for i, line in defined.items() if i not in called and i not in maybe_code],
            [(line, i) for i, line in called.items() if i not in defined])


def prefixed_notes(text: str, prefix: str) -> str:
    """`text` with the ids of the footnotes it defines written `prefix-id`, calls and definitions alike.

    The printable page joins every part on one page, where two parts' `[^1]` would be one note and the first
    text would be lost; code (fenced or inline) keeps its brackets as written.
    """
    if "[^" not in text:
        return text
    lines = text.split("\n")
    # Same length as `text`, code blanked: offsets found in it are offsets in `text`.
    fenced = "\n".join(" " * len(line) if code else line for line, code in zip(lines, code_lines(lines)))
    blanked, last = [], 0
    for start, end in spans.code_spans(fenced):
        blanked += [fenced[last:start], " " * (end - start)]
        last = end
    scan = "".join(blanked) + fenced[last:]
    defined = {m.group("id") for row in scan.split("\n") if "[^" in row
               for m in [_NOTE_DEFINITION.match(row, _CONTAINER.match(row).end())] if m}
    pieces, last = [], 0
    for m in _NOTE_CALL.finditer(scan):
        if m.group("id") in defined:
            pieces += [text[last:m.start("id")], f"{prefix}-{m.group('id')}"]
            last = m.end("id")
    pieces.append(text[last:])
    return "".join(pieces)


# Pure function of the text: the live preview re-checks every kit on each edit, and most texts are unchanged.
@functools.lru_cache(maxsize=4096)
def _scan_references(text: str) -> tuple[Reference, ...]:
    scan = without_code(text)
    lines = spans.LineIndex(scan)
    found: list[tuple[int, str, bool]] = []
    # Each pattern needs its opening character: skip the scans that cannot match.
    brackets, tags = "[" in scan, "<" in scan
    for m in _INLINE.finditer(scan) if brackets else ():
        target = m.group("angle") if m.group("angle") is not None else m.group("bare") or ""
        found.append((lines.line(m.start()), target, bool(m.group("bang"))))
    definitions = _definitions(scan, lines) if brackets else []
    images = set()
    if definitions:
        # An image may take its address from a definition (« ![x][logo] »): that address is then an image's.
        images = {_normal_label(m.group("label") or m.group("text")) for m in _REFERENCE_USE.finditer(scan)
                  if m.group("bang")}
    for line, label, url in definitions:
        found.append((line, url, False))
        if label in images:
            found.append((line, url, True))
    for m in _HTML_URL.finditer(scan) if tags else ():
        value = next(v for v in (m.group("dq"), m.group("sq"), m.group("uq")) if v is not None)
        found.append((lines.line(m.start()), value, m.group("tag").lower() == "img"))
    for m in _AUTOLINK.finditer(scan) if tags else ():
        found.append((lines.line(m.start()), m.group("url"), False))
    return tuple(Reference(line, target, image) for line, target, image in sorted(set(found)))


def find_stripped_html(text: str, tags: set[str], sanitiser: Sanitiser) -> list[tuple[int, str]]:
    """Raw HTML the sanitiser will remove: (line, French warning), so that the contributor is not surprised."""
    scan = without_code(text)
    found: list[tuple[int, str]] = []
    if "<" not in scan:
        return found
    lines = spans.LineIndex(scan)
    for m in _TAG.finditer(scan):
        line = lines.line(m.start())
        name = m.group("name").lower()
        if name not in tags:
            found.append((line, f"La balise « <{name}> » n'est pas acceptée par le site : elle sera retirée de la page"))
            continue
        for a in _ATTRIBUTE.finditer(m.group("attrs") or ""):
            attr = a.group("name").lower()
            value = a.group("dq") or a.group("sq") or a.group("uq") or ""
            if attr.startswith("on") or attr == "style":
                found.append((line, f"L'attribut « {attr} » de la balise « <{name}> » n'est pas accepté par le site : "
                                    "il sera retiré de la page"))
            elif attr == "class":
                for token in sanitiser.reserved_classes(value):
                    found.append((line, f"La classe « {token} » de la balise « <{name}> » est réservée au thème du site : "
                                        "elle sera retirée de la page"))
            elif attr in ("id", "for") and value.strip().startswith("_"):
                found.append((line, f"L'identifiant « {value.strip()[:40]} » de la balise « <{name}> » est réservé au "
                                    "thème du site (il commence par « _ ») : il sera retiré de la page"))
            elif name == "input" and attr == "type" and value.strip().lower() != "checkbox":
                found.append((line, f"Le champ « <input type=\"{value.strip()[:20]}\"> » n'est pas accepté par le site : "
                                    "seules les cases à cocher des listes de tâches sont gardées ; il sera retiré de la page"))
    return sorted(set(found))


# attr_list's « { … } » (or « {: … } ») on one line: it sets attributes, « hidden » among them, and classes.
_ATTR_LIST = spans.bounded(r"\{[^{}\n]{0,512}\}")
_HIDDEN_WORD = spans.bounded(r"(?:^|[\s{:])hidden(?:[\s=}]|$)", re.I)


def find_copy_markup(text: str) -> list[tuple[int, str]]:
    """Kit text that would hide itself, or show in one copy of the centre only (online or offline): (line, error).

    The project's links carry an online and an offline variant (kitcore.copies), which the sanitiser cannot tell
    from kit markup: the check refuses the attribute and the classes in kit text instead, wherever Markdown or
    HTML could set them (a tag in any case and quoting, attr_list's « { … } », entities in a value).
    """
    scan = without_code(text)
    found: list[tuple[int, str]] = []
    reserved = (copies.ONLINE, copies.OFFLINE)
    for number, row in enumerate(scan.split("\n"), start=1):
        decoded = html.unescape(row).lower() if "&" in row else row.lower()
        for name in reserved:
            if name in decoded:
                found.append((number, f"La classe « {name} » est réservée au site : elle ne montre un passage que dans "
                                      "l'une des deux copies du centre (en ligne ou hors ligne). Retirez-la : un kit "
                                      "se lit de la même façon en ligne et hors ligne"))
        if "{" in row and "hidden" in decoded:
            for m in _ATTR_LIST.finditer(row):
                if _HIDDEN_WORD.search(m.group(0)):
                    found.append((number, f"L'attribut « hidden » (dans « {m.group(0)[:60]} ») cacherait ce passage aux "
                                          "lecteurs. Retirez-le ; pour un passage à déplier, utilisez « <details> »"))
    if "<" in scan and "hidden" in scan.lower():
        lines = spans.LineIndex(scan)
        for m in _TAG.finditer(scan):
            for a in _ATTRIBUTE.finditer(m.group("attrs") or ""):
                if a.group("name").lower() == "hidden":
                    name = m.group("name").lower()
                    found.append((lines.line(m.start()), f"L'attribut « hidden » de la balise « <{name}> » cacherait ce "
                                                         "passage aux lecteurs. Retirez-le ; pour un passage à déplier, "
                                                         "utilisez « <details> »"))
    return sorted(set(found))


def scheme_of(target: str) -> str | None:
    """The URL scheme as a browser reads it (entities decoded, whitespace and control characters dropped)."""
    decoded = html.unescape(target)
    compact = _INVISIBLE.sub("", decoded)
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
    compact = _INVISIBLE.sub("", html.unescape(target))
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
