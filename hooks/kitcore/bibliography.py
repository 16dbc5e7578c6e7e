"""The « Sources » and « Pour aller plus loin » lists of a kit, as blocks of its pages."""
from __future__ import annotations

from .blocks import Block, Heading, ItemList, Link, LinkKind, Literal, Paragraph
from .kits import Kit
from .typography import french_spacing

SOURCES_TITLE = "Sources"
READINGS_TITLE = "Pour aller plus loin"


def sources_blocks(kit: Kit, level: int = 2) -> list[Block]:
    """« Sources »: each study the kit draws on, with its author, year and address (nothing when there is none)."""
    if not kit.sources:
        return []
    items = []
    for src in kit.sources:
        title = Literal(french_spacing(src.titre))
        # The title itself is the link: a list of « lire en ligne » links would not say where each leads.
        shown = Link((title,), src.adresse, LinkKind.OUTSIDE) if src.adresse else title
        items.append((Literal(french_spacing(src.auteur)), ", « ", shown, f" », {src.annee}" + ("" if str(src.annee).endswith(".") else ".")))
    return [Heading(level, (SOURCES_TITLE,)),
            Paragraph(("Les documents dont ce kit s'inspire. Leurs auteurs ne l'ont pas écrit et n'en portent pas la "
                       "responsabilité.",)),
            ItemList(tuple(items))]


def readings_blocks(kit: Kit, level: int = 2) -> list[Block]:
    """« Pour aller plus loin »: pages to read further, each a link with what the reader will find there."""
    if not kit.pour_aller_plus_loin:
        return []
    items = []
    for reading in kit.pour_aller_plus_loin:
        entry: tuple = (Link((Literal(french_spacing(reading.titre)),), reading.adresse, LinkKind.OUTSIDE),)
        if reading.description:
            entry += (" — ", Literal(french_spacing(reading.description)))
        items.append(entry)
    return [Heading(level, (READINGS_TITLE,)), ItemList(tuple(items))]
