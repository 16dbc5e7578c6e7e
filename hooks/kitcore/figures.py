"""Shared figures in kit text: `{{ chiffre('id') }}` and `{{ source('id') }}`, and nothing else is evaluated."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import spans
from .kits import Figure
from .markup import literal_markdown

# Kit text is untrusted: rather than a template engine, only these two calls are recognised.
# Any other template syntax stays literal text, so a pull request can never run code.
# Bounded spans (see spans.py): a « {{ » that never closes must not make each later one rescan the whole text.
CALL = spans.bounded(r"\{\{\s{0,64}(chiffre|source)\s{0,64}\(\s{0,64}(['\"])([A-Za-z0-9_-]{1,128})\2\s{0,64}\)\s{0,64}\}\}")
ANY_TEMPLATE = spans.bounded(r"\{\{(?:[^{}]|\}(?!\})|\{(?!\{)){0,1024}\}\}|\{%(?:[^{%]|%(?!\})|\{(?![{%])){0,1024}%\}", re.S)


@dataclass
class Expansion:
    """Kit Markdown with its figures inserted, and what was found on the way."""

    text: str
    used: list[str] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)
    literal: list[tuple[int, str]] = field(default_factory=list)


def expand_figures(text: str, figures: dict[str, Figure]) -> Expansion:
    """Replace figure calls by their value (with a footnote naming the source); list unknown ids and other syntax."""
    result = Expansion(text)
    used: list[str] = []
    lines = spans.LineIndex(text)

    def replace(match: re.Match[str]) -> str:
        what, ident = match.group(1), match.group(3)
        fig = figures.get(ident)
        if fig is None:
            result.unknown.append((lines.line(match.start()), ident))
            return match.group(0)
        if what == "source":
            return literal_markdown(fig.source)
        # Only a value gets a footnote: a footnote nobody points to is a dead link.
        if ident not in used:
            used.append(ident)
        return f"{literal_markdown(fig.valeur)}[^chiffre-{ident}]"

    expanded = CALL.sub(replace, text)
    # Calls are blanked, not removed, so that offsets (and lines) stay those of the text.
    others = CALL.sub(lambda m: " " * len(m.group(0)), text)
    for m in ANY_TEMPLATE.finditer(others):
        result.literal.append((lines.line(m.start()), m.group(0)))
    if used:
        # chiffres.yml arrives by pull request like kits: its texts are shown as written, never read as Markdown.
        notes = "\n".join(f"[^chiffre-{i}]: {literal_markdown(figures[i].dated_label)} — Source : "
                          f"{literal_markdown(figures[i].source)}." for i in used)
        expanded = expanded.rstrip("\n") + "\n\n" + notes + "\n"
    result.text = expanded
    result.used = used
    return result


def figure_calls(text: str) -> list[str]:
    """Ids of the figures a text cites, in order of first use."""
    return list(dict.fromkeys(m.group(3) for m in CALL.finditer(text)))


# A blank line ends a paragraph (spaces beyond 64 on it are not expected from an editor).
_BLOCK_BREAK = spans.bounded(r"\n[ \t]{0,64}\n")
_YEAR = spans.bounded(r"(?<!\d)\d{4}(?!\d)")


def undated_uses(text: str, figures: dict[str, Figure]) -> list[tuple[int, str]]:
    """Figure calls whose paragraph does not state one of the figure's years: (line, id) of each."""
    out: list[tuple[int, str]] = []
    lines = spans.LineIndex(text)
    offset = 0
    for block in _BLOCK_BREAK.split(text):
        start = text.index(block, offset)
        offset = start + len(block)
        calls = list(CALL.finditer(block))
        if not calls:
            continue
        # The years the paragraph states (outside the calls), collected once: linear in the paragraph's length.
        stated = {int(y) for y in _YEAR.findall(CALL.sub(" ", block))}
        for m in calls:
            fig = figures.get(m.group(3))
            if m.group(1) == "chiffre" and fig is not None and fig.years and not stated.intersection(fig.years):
                out.append((lines.line(start + m.start()), fig.id))
    return out
