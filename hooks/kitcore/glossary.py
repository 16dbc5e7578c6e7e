"""The glossary: terms and their definitions (kits/glossaire.yml), its page, and the marking of a term's first use."""
from __future__ import annotations

import functools
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


def _first_characters(form: str) -> str | None:
    # What the first character of a form's pattern can be, for the character class that the union of all
    # patterns checks first: the regex engine then skips in one step the many places where no term can start.
    head = next((w for w in re.split(r"(\s{1,64}|['’])", form) if w), None)
    if head is None:
        return None  # an empty form matches anywhere: no class can announce it
    if head.isspace():
        return r"\s&\u00a0\u202f"
    if head in ("'", "’"):
        return "'’&"
    return re.escape(html.escape(head, quote=False)[0])


def _alternatives(found: tuple[str, ...]) -> str:
    return "|".join(f"(?-i:{_form_pattern(f)})" if f.isupper() else _form_pattern(f) for f in found)


def _whole_words(alternatives: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w&#-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def term_pattern(term: Term) -> re.Pattern[str]:
    """Whole-word pattern of a term's forms, in any case, except acronyms (RSE), which match only in capitals."""
    return _whole_words(_alternatives(forms(term)))


class Matcher:
    """The compiled patterns of one glossary: each term's, and their union, which finds in one pass over a text
    the first place where any term starts (a search per term and per text made the work terms × text)."""

    def __init__(self, entries: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self.patterns = [(ident, _whole_words(_alternatives(found))) for ident, found in entries]
        starts = {_first_characters(f) for _, found in entries for f in found}
        announce = "" if None in starts else f"(?=[{''.join(sorted(starts))}])"  # type: ignore[arg-type]
        union = "|".join(f"(?:{_alternatives(found)})" for _, found in entries)
        self.any = re.compile(rf"{announce}(?<![\w&#-])(?:{union})(?![\w-])", re.IGNORECASE)

    def first(self, text: str, pending: set[str]) -> tuple[str, re.Match[str]] | None:
        """The earliest use of a pending term in `text` (its id and match), the longest of those starting there."""
        position = 0
        while True:
            candidate = self.any.search(text, position)
            if candidate is None:
                return None
            start = candidate.start()
            best: tuple[str, re.Match[str]] | None = None
            for ident, pattern in self.patterns:
                if ident in pending:
                    match = pattern.match(text, start)
                    if match and (best is None or len(match.group(0)) > len(best[1].group(0))):
                        best = (ident, match)
            if best is not None:
                return best
            position = start + 1  # only terms already marked start here


@functools.lru_cache(maxsize=8)
def _matcher(entries: tuple[tuple[str, tuple[str, ...]], ...]) -> Matcher:
    return Matcher(entries)


def matcher(terms: list[Term]) -> Matcher:
    """The patterns of a glossary's forms, compiled once for all the pages that show it."""
    return _matcher(tuple((t.id, forms(t)) for t in terms))


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
    found = matcher(terms)
    by_id = {t.id: t for t in terms}
    pending = set(by_id)
    out: list[str] = []
    skipped: list[str] = []
    position = 0
    number = 0
    for tag in _TAG.finditer(page_html):
        text = page_html[position:tag.start()]
        if text and not skipped and pending and "<" not in text:
            text, number = _mark_text(text, found, by_id, pending, glossary_link, number)
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
        tail, number = _mark_text(tail, found, by_id, pending, glossary_link, number)
    out.append(tail)
    return "".join(out)


def _mark_text(text: str, found: Matcher, by_id: dict[str, Term], pending: set[str], link: str,
               number: int) -> tuple[str, int]:
    # Earliest match first, so that two terms of one sentence are both marked, each once; only what follows a
    # marked term is searched again, so no term is marked inside another's tooltip.
    out: list[str] = []
    while pending:
        first = found.first(text, pending)
        if first is None:
            break
        ident, match = first
        number += 1
        pending.discard(ident)
        out += [text[:match.start()], _tooltip(by_id[ident], match.group(0), link, number)]
        text = text[match.end():]
    out.append(text)
    return "".join(out), number


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
