"""What is new in a centre: its kits by latest update, shared by the home page and the news feeds."""
from __future__ import annotations

from typing import Iterable

from .kits import Kit

FEED_FILE = "flux.xml"  # the Atom feed, in each centre's folder and at the portal's root (kitcore.exports.feed)
FEED_LABEL = "Suivre les nouveautés de ce centre (flux Atom)"


def latest(kits: Iterable[Kit], count: int | None = None) -> list[Kit]:
    """Kits newest first (ties by id, so the order never depends on the file system), at most `count`."""
    ordered = sorted(kits, key=lambda k: (k.mise_a_jour, k.id), reverse=True)
    return ordered if count is None else ordered[:count]
