"""Exports of built centres, rendered from the engine-neutral centre model: open data, news feeds (and documents)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import pages
from ..kits import Corpus
from . import feed, opendata


@dataclass
class CentreExports:
    """What one centre offers besides its pages: (link text, address relative to the site's root), for the portal."""

    offers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Exports:
    """The outcome of `render_all`: per-centre exports and the time it took."""

    centres: dict[str, CentreExports] = field(default_factory=dict)
    seconds: float = 0.0


def centre_base(site_url: str | None, centre_id: str) -> str | None:
    """Published address of a centre's folder, when the site's address is known (SITE_URL)."""
    return f"{site_url.rstrip('/')}/{centre_id}/" if site_url else None


def render_all(corpus: Corpus, staging: Path, rebuilt: list[str], wanted: list[str], drafts: bool,
               site_url: str | None) -> Exports:
    """Write every export of the rebuilt centres into `staging/<id>/`, and the portal's into `staging/`.

    Reused centres (unchanged since the previous site) already carry theirs, linked with their folder.
    """
    start = time.perf_counter()
    out = Exports()
    models = {c: pages.build_centre(corpus, c, drafts) for c in wanted}
    challenges = {ch.id: ch.nom for ch in corpus.challenges}
    for c in rebuilt:
        centre, folder = models[c], staging / c
        opendata.write_centre_data(corpus, centre, folder, {}, site_url)
        (folder / feed.FEED_FILE).write_bytes(feed.centre_feed(centre.audience, centre.kits, centre_base(site_url, c), challenges))
    for c in wanted:
        out.centres[c] = CentreExports([("Données ouvertes (JSON)", f"{c}/{opendata.DATA_FILE}"),
                                        ("Nouveautés (flux Atom)", f"{c}/{feed.FEED_FILE}")])
    opendata.write_schema(staging)
    portal = [(models[c].audience, models[c].kits) for c in wanted]
    (staging / feed.FEED_FILE).write_bytes(feed.portal_feed(portal, site_url.rstrip("/") + "/" if site_url else None,
                                                                challenges))
    out.seconds = time.perf_counter() - start
    return out
