"""What a page's sidebar lists: in the open section, a bounded window of kits around the current one.

Material renders the open section's every entry on every page of it, so with all of a challenge's kits listed
the size and build time of each page grew with the corpus (quadratic overall). The section's index page lists
every kit, and the sidebar ends with a link to it when some are left out.
"""
from __future__ import annotations

# Kits listed before and after the current one: eleven entries at most, enough to browse neighbours.
NEIGHBOURS = 5


def window(count: int, current: int | None, neighbours: int = NEIGHBOURS) -> range:
    """Positions to list among `count` kits: those around `current`, or the first ones when no kit is open."""
    size = 2 * neighbours + 1
    if count <= size:
        return range(count)
    if current is None:
        return range(size)
    start = min(max(0, current - neighbours), count - size)
    return range(start, start + size)


def more_label(count: int) -> str:
    """The sidebar's link to the section's index page, which lists every kit."""
    return f"Tous les kits de cet enjeu ({count})"
