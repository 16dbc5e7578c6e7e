"""News feeds: an Atom feed (RFC 4287) of the kits added or updated, per centre and for the portal."""
from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .. import news
from ..kits import Audience, Kit
from ..pages import kit_dir, licence_label

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = news.FEED_FILE
MEDIA_TYPE = "application/atom+xml"
FEED_COUNT = 50  # entries per feed: a reader polls for what is new, not for the whole catalogue
PUBLISHER = "Centres de ressources"
# Entry ids must never change (feed readers use them to tell new from seen): derived from the kit's id only.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:centres-de-ressources")


@dataclass(frozen=True)
class Item:
    """One kit in a feed, with its page relative to the feed's folder."""

    kit: Kit
    page: str


def entry_id(kit_id: str) -> str:
    """The permanent id of a kit's entries (the same in every feed that lists it)."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'kit/' + kit_id)}"


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _absolute(base: str | None, relative: str) -> str:
    return f"{base.rstrip('/')}/{relative}" if base else relative


def render_feed(feed_key: str, title: str, subtitle: str, items: list[Item], base: str | None,
                challenges: dict[str, str]) -> bytes:
    """The Atom document; `base` is the published address of the feed's folder (relative links when unknown)."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        node.text = text
        return node

    add(root, "id", f"urn:uuid:{uuid.uuid5(_NAMESPACE, 'flux/' + feed_key)}")
    add(root, "title", title, type="text")
    add(root, "subtitle", subtitle, type="text")
    # No kit yet: the feed is dated like an empty zip, never by the build's clock.
    newest = max((i.kit.mise_a_jour for i in items), default=dt.date(1980, 1, 1))
    add(root, "updated", _stamp(newest))
    author = add(root, "author")
    add(author, "name", PUBLISHER)
    add(root, "link", rel="self", type=MEDIA_TYPE, href=_absolute(base, FEED_FILE))
    add(root, "link", rel="alternate", type="text/html", href=_absolute(base, "index.html"))
    for item in items:
        kit = item.kit
        entry = add(root, "entry")
        add(entry, "id", entry_id(kit.id))
        add(entry, "title", kit.titre, type="text")
        add(entry, "updated", _stamp(kit.mise_a_jour))
        for name in kit.auteurs:
            add(add(entry, "author"), "name", name)
        add(entry, "link", rel="alternate", type="text/html", href=_absolute(base, item.page))
        for challenge in kit.enjeux:
            add(entry, "category", term=challenge, label=challenges.get(challenge, challenge))
        add(entry, "summary", " ".join(kit.resume.split()), type="text")
        add(entry, "rights", f"Licence {licence_label(kit.licence)}", type="text")
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def centre_feed(audience: Audience, kits: list[Kit], base: str | None, challenges: dict[str, str]) -> bytes:
    """The feed of one centre: its latest kits, pages relative to the centre's folder."""
    items = [Item(k, f"{kit_dir(k.id)}/index.html") for k in news.latest(kits, FEED_COUNT)]
    return render_feed(f"centre/{audience.id}", f"{audience.titre_centre} — kits nouveaux ou mis à jour",
                       audience.description, items, base, challenges)


def portal_feed(centres: list[tuple[Audience, list[Kit]]], base: str | None, challenges: dict[str, str]) -> bytes:
    """The portal's feed: every centre's kits once, each linked in the first centre that offers it."""
    home: dict[str, tuple[Kit, str]] = {}
    for audience, kits in centres:
        for kit in kits:
            home.setdefault(kit.id, (kit, audience.id))
    chosen = news.latest([kit for kit, _ in home.values()], FEED_COUNT)
    items = [Item(k, f"{home[k.id][1]}/{kit_dir(k.id)}/index.html") for k in chosen]
    return render_feed("portail", f"{PUBLISHER} — kits nouveaux ou mis à jour",
                       "Les derniers kits publiés ou mis à jour dans l'ensemble des centres.", items, base, challenges)

