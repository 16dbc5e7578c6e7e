"""A centre as a ZIM file for Kiwix (libzim): its pages, downloads and a French full-text index, French metadata."""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import mimetypes
import re
from pathlib import Path

from .. import archive
from ..kits import Audience
from ..pages import Centre

# openZIM metadata: https://wiki.openzim.org/wiki/Metadata — ISO 639-3 language, a short description (≤ 80).
LANGUAGE = "fra"
PUBLISHER = "Centres de ressources"
DESCRIPTION_MAX = 80
ILLUSTRATION_SIZE = 48
# Material's palette names used by publics.yml, as the illustration's background.
PALETTE = {
    "red": "#d32f2f", "pink": "#c2185b", "purple": "#7b1fa2", "deep-purple": "#512da8", "indigo": "#303f9f",
    "blue": "#1976d2", "light-blue": "#0288d1", "cyan": "#0097a7", "teal": "#00796b", "green": "#388e3c",
    "light-green": "#689f38", "lime": "#afb42b", "yellow": "#fbc02d", "amber": "#ffa000", "orange": "#f57c00",
    "deep-orange": "#e64a19", "brown": "#5d4037", "grey": "#616161", "blue-grey": "#455a64", "black": "#000000",
}
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_UUID_OFFSET, _UUID_SIZE = 8, 16  # ZIM header: magic (4), major and minor version (2 + 2), then the uuid
# A Xapian « glass » database starts with this magic, a 2-byte version, then its 16-byte uuid.
_XAPIAN_MAGIC = b"\x0f\rXapian Glass"
_XAPIAN_VERSION_SIZE = 2


def zim_name(audience: Audience) -> str:
    """The ZIM « Name » (stable across versions, so Kiwix sees a new file as an update of the old)."""
    return f"centres-de-ressources_fr_{audience.id}"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def illustration(audience: Audience) -> bytes:
    """A 48×48 PNG: an open book on the centre's colour (drawn, so that nothing is fetched)."""
    from PIL import Image, ImageDraw

    size = ILLUSTRATION_SIZE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=9, fill=PALETTE.get(audience.couleur, PALETTE["indigo"]))
    draw.polygon([(9, 14), (23, 17), (23, 37), (9, 34)], fill="white")
    draw.polygon([(25, 17), (39, 14), (39, 34), (25, 37)], fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=9)
    return out.getvalue()


def _mimetype(path: Path) -> str:
    known = {".js": "application/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json",
             ".csv": "text/csv", ".ods": "application/vnd.oasis.opendocument.spreadsheet", ".xml": "application/xml",
             ".epub": "application/epub+zip", ".pdf": "application/pdf", ".md": "text/markdown", ".txt": "text/plain",
             ".woff2": "font/woff2", ".html": "text/html"}
    return known.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def write_zim(folder: Path, target: Path, centre: Centre, day: dt.date) -> Path:
    """Write the built centre at `folder` as `target`; the same files give the same bytes (see `_fix_uuid`)."""
    from libzim.writer import Creator, FileProvider, Hint, Item, StringProvider

    class Entry(Item):
        def __init__(self, path: str, title: str, mimetype: str, content: str | Path, front: bool) -> None:
            super().__init__()
            self.path, self.title, self.mimetype, self.content, self.front = path, title, mimetype, content, front

        def get_path(self) -> str:
            return self.path

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return self.mimetype

        def get_contentprovider(self):
            # A new provider at each call: libzim asks once for the index and once for the content.
            if isinstance(self.content, Path):
                return FileProvider(str(self.content))
            return StringProvider(self.content)

        def get_hints(self) -> dict:
            return {Hint.FRONT_ARTICLE: self.front, Hint.COMPRESS: self.mimetype.startswith(("text/", "application/j"))}

    titles = {p.path[: -len(".md")] + ".html": p.title for p in centre.pages}
    a = centre.audience
    # Kiwix shows the offline copy, as the zip does: the same members replaced, no page rewritten.
    replaced = archive.offline_members()
    if target.exists():
        target.unlink()
    # One worker: clusters are then filled in a fixed order, whatever the machine.
    creator = Creator(str(target)).config_indexing(True, LANGUAGE).config_nbworkers(1).config_verbose(False)
    with creator:
        creator.set_mainpath("index.html")
        creator.add_illustration(ILLUSTRATION_SIZE, illustration(a))
        for key, value in (
            ("Name", zim_name(a)), ("Title", _short(a.titre_centre, 30)), ("Description", _short(a.description, DESCRIPTION_MAX)),
            ("LongDescription", _short(a.presentation, 4000)), ("Language", LANGUAGE), ("Creator", PUBLISHER),
            ("Publisher", PUBLISHER), ("Date", day.isoformat()), ("Source", "kits"), ("Tags", "_category:other;_pictures:yes;_ftindex:yes"),
            ("License", "CC BY-SA 4.0 sauf mention contraire"), ("Flavour", a.id),
        ):
            creator.add_metadata(key, value)
        members = archive.archive_members(folder)
        archive.require_members(folder, members, replaced)
        for path in members:
            if not path.is_file():
                continue
            rel = path.relative_to(folder).as_posix()
            kind = _mimetype(path)
            content: str | Path = replaced[rel].decode("utf-8") if rel in replaced else path
            if kind == "text/html":
                # The docs/ pages and the engine's own have no page of the model: their title is the engine's.
                title = titles.get(rel) or _page_title(path.read_text(encoding="utf-8")) or rel
                creator.add_item(Entry(rel, title, kind, content, rel != "404.html"))
            else:
                creator.add_item(Entry(rel, "", kind, content, False))
    _fix_uuid(target, a.id)
    return target


def _page_title(text: str) -> str | None:
    found = _TITLE.search(text)
    return html.unescape(found.group(1)).strip() if found else None


def _fix_uuid(target: Path, centre_id: str) -> None:
    """Make the file depend on its content only: libzim and Xapian stamp random uuids, the checksum follows them.

    The ZIM header's uuid, and the uuid in the version header of each Xapian index (full text, titles), stored
    uncompressed, get values derived from the centre's id and the rest of the file; then the trailing MD5 is redone.
    """
    data = bytearray(target.read_bytes())
    for n, found in enumerate(re.finditer(re.escape(_XAPIAN_MAGIC), data)):
        start = found.end() + _XAPIAN_VERSION_SIZE
        data[start: start + _UUID_SIZE] = hashlib.sha256(f"{centre_id}/xapian/{n}".encode()).digest()[:_UUID_SIZE]
    body = bytes(data[:_UUID_OFFSET]) + bytes(data[_UUID_OFFSET + _UUID_SIZE: -16])
    data[_UUID_OFFSET: _UUID_OFFSET + _UUID_SIZE] = hashlib.sha256(centre_id.encode() + body).digest()[:_UUID_SIZE]
    data[-16:] = hashlib.md5(bytes(data[:-16])).digest()  # the ZIM checksum: MD5 of everything before it
    target.write_bytes(bytes(data))
