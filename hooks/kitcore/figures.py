"""Shared figures in kit text: `{{ chiffre('id') }}` and `{{ source('id') }}`, and nothing else is evaluated."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .kits import Figure

# Kit text is untrusted: rather than a template engine, only these two calls are recognised.
# Any other template syntax stays literal text, so a pull request can never run code.
CALL = re.compile(r"\{\{\s*(chiffre|source)\s*\(\s*(['\"])([A-Za-z0-9_-]+)\2\s*\)\s*\}\}")
ANY_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass
class Expansion:
    """Kit Markdown with its figures inserted, and what was found on the way."""

    text: str
    used: list[str] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    literal: list[tuple[int, str]] = field(default_factory=list)


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def expand_figures(text: str, figures: dict[str, Figure]) -> Expansion:
    """Replace figure calls by their value (with a footnote naming the source); list unknown ids and other syntax."""
    result = Expansion(text)
    used: list[str] = []

    def replace(match: re.Match[str]) -> str:
        what, ident = match.group(1), match.group(3)
        fig = figures.get(ident)
        if fig is None:
            result.unknown.append((_line_of(text, match.start()), ident))
            return match.group(0)
        if what == "source":
            return fig.source
        # Only a value gets a footnote: a footnote nobody points to is a dead link.
        if ident not in used:
            used.append(ident)
        return f"{fig.valeur}[^chiffre-{ident}]"

    expanded = CALL.sub(replace, text)
    for m in ANY_TEMPLATE.finditer(CALL.sub("", text)):
        result.literal.append((_line_of(CALL.sub("", text), m.start()), m.group(0)))
    if used:
        notes = "\n".join(f"[^chiffre-{i}]: {figures[i].libelle} — Source : {figures[i].source}." for i in used)
        expanded = expanded.rstrip("\n") + "\n\n" + notes + "\n"
    result.text = expanded
    result.used = used
    return result


def figure_calls(text: str) -> list[str]:
    """Ids of the figures a text cites, in order of first use."""
    return list(dict.fromkeys(m.group(3) for m in CALL.finditer(text)))
