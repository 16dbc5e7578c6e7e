"""The glossary: terms and their definitions (kits/glossaire.yml), its page, and the marking of a term's first use."""
from __future__ import annotations

import html
import re
import unicodedata

from . import spans
from .blocks import Block, Definition, Definitions, Emphasis, Literal, Paragraph, Span
from .kits import Term
from .typography import french_spacing

PAGE = "glossaire.md"
TITLE = "Glossaire"
# Inside these elements a term is left alone: a link inside a link, a tooltip in a heading or in code would be wrong.
_SKIPPED = {"a", "abbr", "button", "code", "dfn", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "label", "pre", "script",
            "style", "summary", "sup", "svg", "textarea", "title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Bounded like every scan of contributed text (spans.py): a longer tag is not matched, and the text around it,
# which then holds a « < », is left unmarked rather than marked inside a tag.
_TAG = spans.bounded(r"<(/?)([a-zA-Z][a-zA-Z0-9-]{0,64})([^<>]{0,4096})>")
# The apostrophe of a term matches every way a page may write it.
_APOSTROPHE = r"(?:'|’|&#39;|&#x27;|&rsquo;)"
_SPACE = r"(?:\s|&nbsp;|\u00a0|\u202f){1,8}"


def forms(term: Term) -> tuple[str, ...]:
    """Every form of a term to look for, longest first, so that « structures d'intérêt général » wins over a shorter one."""
    return tuple(sorted({term.terme, *term.variantes}, key=len, reverse=True))


def _form_pattern(form: str) -> str:
    parts = []
    for word in re.split(r"(\s{1,64}|['’])", form):
        if not word:
            continue
        if word.isspace():
            parts.append(_SPACE)
        elif word in ("'", "’"):
            parts.append(_APOSTROPHE)
        else:
            parts.append(re.escape(html.escape(word, quote=False)))
    return "".join(parts)


def term_pattern(term: Term) -> re.Pattern[str]:
    """Whole-word pattern of a term's forms, in any case, except acronyms (RSE), which match only in capitals."""
    alternatives = "|".join(f"(?-i:{_form_pattern(f)})" if f.isupper() else _form_pattern(f) for f in forms(term))
    return re.compile(rf"(?<![\w&#-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _tooltip(term: Term, matched: str, link: str, number: int) -> str:
    tip = f"glossaire-{term.id}-{number}"
    definition = html.escape(french_spacing(term.definition), quote=False)
    # A focusable link (keyboard), described by the definition (screen readers), which the stylesheet shows on
    # hover and focus; the link leads to the glossary page, so that the definition is also reachable without CSS.
    # The wrapper holds both, so that the pointer can move onto the tooltip without closing it (WCAG 1.4.13).
    return (f'<span class="glossaire"><a class="terme-glossaire" href="{html.escape(link)}#{term.id}" '
            f'aria-describedby="{tip}">{matched}</a><span class="infobulle-glossaire" id="{tip}" role="tooltip">'
            f'{definition}</span></span>')


def mark_terms(page_html: str, terms: list[Term], glossary_link: str) -> str:
    """Page HTML with the first use of each glossary term made a link that shows its definition on hover and focus."""
    if not terms:
        return page_html
    patterns = [(t, term_pattern(t)) for t in terms]
    pending = {t.id for t in terms}
    out: list[str] = []
    skipped: list[str] = []
    position = 0
    number = 0
    for tag in _TAG.finditer(page_html):
        text = page_html[position:tag.start()]
        if text and not skipped and pending and "<" not in text:
            text, number = _mark_text(text, patterns, pending, glossary_link, number)
        out.append(text)
        out.append(tag.group(0))
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if name in _SKIPPED and name not in _VOID and not tag.group(3).rstrip().endswith("/"):
            if closing:
                if name in skipped:
                    # Close up to the matching element: sanitised HTML is well formed, but stay robust.
                    while skipped and skipped.pop() != name:
                        pass
            else:
                skipped.append(name)
        position = tag.end()
    tail = page_html[position:]
    if tail and not skipped and pending and "<" not in tail:
        tail, number = _mark_text(tail, patterns, pending, glossary_link, number)
    out.append(tail)
    return "".join(out)


def _mark_text(text: str, patterns, pending: set[str], link: str, number: int) -> tuple[str, int]:
    # Earliest match first, so that two terms of one sentence are both marked, each once.
    while True:
        found = [(m.start(), -len(m.group(0)), term, m) for term, p in patterns if term.id in pending
                 for m in [p.search(text)] if m]
        if not found:
            return text, number
        _, _, term, match = min(found, key=lambda f: (f[0], f[1]))
        number += 1
        pending.discard(term.id)
        marked = _tooltip(term, match.group(0), link, number)
        # Only what follows the marked term is searched again: no term is marked inside another's tooltip.
        rest, number = _mark_text(text[match.end():], patterns, pending, link, number)
        return text[:match.start()] + marked + rest, number


def glossary_blocks(terms: list[Term]) -> list[Block]:
    """The body of the glossary page: each term as a definition, with an anchor the tooltips link to."""
    intro = Paragraph(("Les mots des kits qui ont un sens précis dans le champ des partenariats. Dans les pages, la "
                       "première occurrence de chacun est soulignée en pointillé : survolez-la, ou atteignez-la au "
                       "clavier, pour lire sa définition.",))
    entries = []
    # Alphabetical order as a French reader expects it: « évaluation » among the e, not after z.
    for term in sorted(terms, key=lambda t: "".join(c for c in unicodedata.normalize("NFD", t.terme.casefold())
                                                    if not unicodedata.combining(c))):
        content: tuple[Span, ...] = (Literal(french_spacing(term.definition)),)
        if term.source:
            content += (" ", Emphasis(("Source : ", Literal(french_spacing(term.source)), ".")))
        entries.append(Definition(french_spacing(term.terme), content, anchor=term.id))
    return [intro, Definitions(tuple(entries))]
