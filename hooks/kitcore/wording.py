"""French wording of counts, dates and file sizes, shared by pages, checks and build messages."""
from __future__ import annotations

import datetime as dt

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def count(n: int, noun: str) -> str:
    """French count with the plural of regular nouns: `1 centre`, `2 centres`."""
    return f"{n} {noun}" + ("s" if n > 1 else "")


def french_date(day: dt.date) -> str:
    """`2026-09-15` as « 15 septembre 2026 »."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def human_size(size: int) -> str:
    """A size in French units, rounded for reading: « 512 o », « 850 Ko », « 2,3 Mo »."""
    if size < 1024:
        return f"{size} o"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
