"""Audience colours that readers can read: WCAG contrast ratios, and each palette colour darkened until it passes.

A centre's colour (publics.yml `couleur`) paints the header behind white text and the links on white pages. Many
of Material's palette colours fail WCAG 2.1 AA there (teal links 3.8:1, green header 2.8:1), so the build keeps
the hue and darkens it, in small steps towards black, until both uses reach TEXT_RATIO. The result is one set of
CSS custom properties per centre, which the engine adapter writes inline in every page for its theme.
"""
from __future__ import annotations

from dataclasses import dataclass

# Material for MkDocs 9.8 primary colours (`--md-primary-fg-color` in its palette stylesheet); the test suite
# compares this table with the installed theme, so that an upgrade that changes a colour is noticed.
MATERIAL_PRIMARY: dict[str, str] = {
    "red": "#ef5552", "pink": "#e92063", "purple": "#ab47bd", "deep-purple": "#7e56c2", "indigo": "#4051b5",
    "blue": "#2094f3", "light-blue": "#02a6f2", "cyan": "#00bdd6", "teal": "#009485", "green": "#4cae4f",
    "light-green": "#8bc34b", "lime": "#cbdc38", "yellow": "#ffec3d", "amber": "#ffc105", "orange": "#ffa724",
    "deep-orange": "#ff6e42", "brown": "#795649", "grey": "#757575", "blue-grey": "#546d78",
}
WHITE = "#ffffff"
# What the primary colour is drawn on or under: white text (header), the page, Material's code and record
# background (--md-code-bg-color), the portal's and 404 page's background.
BACKGROUNDS = (WHITE, "#f5f5f5", "#f6f7fb")
TEXT_RATIO = 4.5  # WCAG 1.4.3: normal text
# Aim a little above the threshold: browsers round colours, and axe-core rounds ratios to two decimals.
MARGIN = 0.1
STEP = 0.02


@dataclass(frozen=True)
class CentreColours:
    """The colours a centre's pages use, every one checked against what it is drawn on."""

    name: str
    original: str  # Material's colour for `name`
    primary: str  # header background and links: at least TEXT_RATIO against white
    dark: str  # hover and focus: darker still

    @property
    def darkened(self) -> bool:
        """True when the palette colour had to be darkened to be readable."""
        return self.primary != self.original


def _channels(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"couleur hexadécimale attendue (#rrggbb), reçu « {colour} »")
    r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _hex(channels: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in channels)


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` (0 to 1) of `other` mixed in."""
    c, o = _channels(colour), _channels(other)
    return _hex(tuple(x + (y - x) * share for x, y in zip(c, o)))  # type: ignore[arg-type]


def readable_on(colour: str, backgrounds: tuple[str, ...] = BACKGROUNDS, ratio: float = TEXT_RATIO) -> str:
    """`colour`, darkened towards black as little as needed to reach `ratio` against every one of `backgrounds`."""
    for step in range(int(round(1 / STEP)) + 1):
        candidate = mix(colour, "#000000", step * STEP)
        if min(contrast(candidate, b) for b in backgrounds) >= ratio + MARGIN:
            return candidate
    return "#000000"


def centre_colours(name: str) -> CentreColours:
    """The checked colours of a centre whose publics.yml says `couleur: name`."""
    if name not in MATERIAL_PRIMARY:
        raise ValueError(f"couleur inconnue « {name} » : choisissez parmi {', '.join(MATERIAL_PRIMARY)}")
    original = MATERIAL_PRIMARY[name]
    primary = readable_on(original)
    return CentreColours(name, original, primary, mix(primary, "#000000", 0.2))
