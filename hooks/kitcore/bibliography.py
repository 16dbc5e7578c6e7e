"""The « Sources » and « Pour aller plus loin » lists of a kit, as Markdown for its pages."""
from __future__ import annotations

from typing import Callable

from .kits import Kit
from .typography import french_spacing

SOURCES_TITLE = "Sources"
READINGS_TITLE = "Pour aller plus loin"


def _href(address: str) -> str:
    # Addresses are validated (https, no spaces); parentheses would end a Markdown link early.
    return address.replace("(", "%28").replace(")", "%29")


def sources_lines(kit: Kit, escape: Callable[[str], str], level: int = 2) -> list[str]:
    """« Sources »: each study the kit draws on, with its author, year and address (nothing when there is none)."""
    if not kit.sources:
        return []
    lines = [f"{'#' * level} {SOURCES_TITLE}\n",
             "Les documents dont ce kit s'inspire. Leurs auteurs ne l'ont pas écrit et n'en portent pas la "
             "responsabilité.\n"]
    for src in kit.sources:
        title = french_spacing(escape(src.titre))
        # The title itself is the link: a list of « lire en ligne » links would not say where each leads.
        shown = f"[{title}]({_href(src.adresse)})" if src.adresse else title
        entry = f"- {french_spacing(escape(src.auteur))}, « {shown} », {src.annee}"
        lines.append(entry if entry.endswith(".") else entry + ".")
    return lines + [""]


def readings_lines(kit: Kit, escape: Callable[[str], str], level: int = 2) -> list[str]:
    """« Pour aller plus loin »: pages to read further, each a link with what the reader will find there."""
    if not kit.pour_aller_plus_loin:
        return []
    lines = [f"{'#' * level} {READINGS_TITLE}\n"]
    for reading in kit.pour_aller_plus_loin:
        entry = f"- [{french_spacing(escape(reading.titre))}]({_href(reading.adresse)})"
        if reading.description:
            entry += f" — {french_spacing(escape(reading.description))}"
        lines.append(entry)
    return lines + [""]
