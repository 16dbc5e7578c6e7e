"""Material for MkDocs' theme: the classes its scripts act on (removed from kit text), its palette's CSS variables."""
from __future__ import annotations

import re

from kitcore.colours import CentreColours
from kitcore.markup import Sanitiser

# « mermaid » makes Material load a script from unpkg (a remote request and third-party code), « md-… » are the
# theme's own components. Kit text keeps every other class (admonitions, tabs, task lists…) and Material's buttons.
_ACTIVE_CLASS = re.compile(r"^(mermaid|md-(?!button(--primary)?$).*)$", re.I)


def reserved_class(name: str) -> bool:
    """Whether Material's scripts act on this class name."""
    return _ACTIVE_CLASS.match(name) is not None


SANITISER = Sanitiser(reserved_class)


def clean_html(html: str) -> str:
    """Kit HTML sanitised for a Material page: the allow-list, and none of the theme's active classes."""
    return SANITISER.clean(html)


def active_classes(value: str) -> list[str]:
    """The classes of a `class` attribute that the sanitiser removes from a Material page."""
    return SANITISER.reserved_classes(value)


def css_variables(colours: CentreColours) -> str:
    """The CSS rule that overrides Material's palette with the checked colours (put after its stylesheets)."""
    c = colours
    return (
        ":root,body[data-md-color-primary]{"
        f"--md-primary-fg-color:{c.primary};--md-primary-fg-color--light:{c.primary};"
        f"--md-primary-fg-color--dark:{c.dark};--md-primary-bg-color:#fff;--md-primary-bg-color--light:#ffffffe6;"
        f"--md-accent-fg-color:{c.dark};--md-accent-fg-color--transparent:{c.primary}1a;"
        f"--md-typeset-a-color:{c.primary}"
        "}"
    )
