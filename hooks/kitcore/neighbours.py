"""« Précédent » / « Suivant » of a centre's pages: inside a kit they stay in the kit; leaving it, they name the kit.

The engine's own order (the navigation) runs from a kit's toolbox straight into the next kit or challenge page,
under a bare « Boîte à outils » label. Here a kit's pages lead to each other; its presentation leads back to the
previous kit's presentation and its last part on to the next kit's, both labelled with the kit's title; other
pages step over kits' parts.
"""
from __future__ import annotations

from dataclasses import dataclass

PREVIOUS, NEXT = "Précédent", "Suivant"
PREVIOUS_KIT, NEXT_KIT = "Kit précédent", "Kit suivant"


@dataclass(frozen=True)
class Step:
    """Where a « Précédent » or « Suivant » link leads, and what it says."""

    path: str
    direction: str
    title: str


@dataclass(frozen=True)
class Entry:
    """A page in navigation order: its path, its title, and its kit (None outside kits)."""

    path: str
    title: str
    kit: str | None = None
    kit_title: str | None = None

    @property
    def presentation(self) -> bool:
        """True for a kit's presentation page (its index)."""
        return self.kit is not None and self.path.endswith("/index.md")


def _label(target: Entry, current: Entry) -> str:
    if target.kit is None or target.kit == current.kit:
        return target.title
    return target.kit_title or target.title


def steps(order: list[Entry], path: str) -> tuple[Step | None, Step | None]:
    """The (previous, next) steps of the page at `path`, given every page in navigation order."""
    where = {e.path: i for i, e in enumerate(order)}
    if path not in where:
        return None, None
    current = order[where[path]]
    if current.kit is not None:
        members = [e for e in order if e.kit == current.kit]
        i = members.index(current)
        kits = [e for e in order if e.presentation]
        k = next((n for n, e in enumerate(kits) if e.kit == current.kit), None)
        previous = next_ = None
        if i > 0:
            previous = Step(members[i - 1].path, PREVIOUS, _label(members[i - 1], current))
        elif k is not None and k > 0:
            previous = Step(kits[k - 1].path, PREVIOUS_KIT, _label(kits[k - 1], current))
        if i < len(members) - 1:
            next_ = Step(members[i + 1].path, NEXT, _label(members[i + 1], current))
        elif k is not None and k < len(kits) - 1:
            next_ = Step(kits[k + 1].path, NEXT_KIT, _label(kits[k + 1], current))
        return previous, next_
    # Outside kits: kits' parts are stepped over, so that a challenge page leads to a kit's presentation.
    visible = [e for e in order if e.kit is None or e.presentation]
    i = visible.index(current)
    previous = next_ = None
    if i > 0:
        target = visible[i - 1]
        previous = Step(target.path, PREVIOUS_KIT if target.kit else PREVIOUS, _label(target, current))
    if i < len(visible) - 1:
        target = visible[i + 1]
        next_ = Step(target.path, NEXT_KIT if target.kit else NEXT, _label(target, current))
    return previous, next_
