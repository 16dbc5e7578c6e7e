"""The typed content of a generated page: blocks of inline spans, engine-neutral (an engine writes them in its dialect).

Text comes in two kinds. A plain `str` span is the project's own wording, written by this code: it holds no markup
and is written as is. `Literal` is text from a kit or a registry (titles, summaries, authors): the reader must see it
exactly as written, so a dialect escapes whatever its syntax would read in it. A kit part's own Markdown, written by
a contributor in the kits' Markdown, is a `KitMarkdown` block.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Union


@dataclass(frozen=True)
class Literal:
    """Text from a kit or a registry, shown exactly as written (no markup read in it)."""

    text: str


class LinkKind(Enum):
    """What a link leads to, which decides how an engine writes and checks it."""

    PAGE = "page"  # a page of this centre (`.md` path relative to the page): the engine checks and rewrites it
    DOWNLOAD = "download"  # a file of this centre, offered for download
    OTHER_CENTRE = "other-centre"  # a kit of another centre: outside what the engine can check
    OUTSIDE = "outside"  # an address on the web


@dataclass(frozen=True)
class Link:
    """A link: its words and where it leads (relative to the page, or an absolute address)."""

    label: tuple[Span, ...]
    href: str
    kind: LinkKind = LinkKind.PAGE
    offline: str | None = None  # where it leads in the offline copy instead (a kit of another centre: a local page)


@dataclass(frozen=True)
class Strong:
    """Words stressed (bold)."""

    content: tuple[Span, ...]


@dataclass(frozen=True)
class Emphasis:
    """Words set apart (italic)."""

    content: tuple[Span, ...]


@dataclass(frozen=True)
class Small:
    """Secondary words (a date, a count, a centre's name)."""

    content: tuple[Span, ...]


class IconName(Enum):
    """The icons pages use, by meaning; each engine picks its own glyph."""

    DOWNLOAD = "download"
    PRINT = "print"
    SELF_ASSESSMENT = "self-assessment"


@dataclass(frozen=True)
class Icon:
    """A decorative icon before a link (hidden from screen readers by the engine)."""

    name: IconName


Span = Union[str, Literal, Link, Strong, Emphasis, Small, Icon]


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is the page's title."""

    level: int
    content: tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    content: tuple[Span, ...]


@dataclass(frozen=True)
class ItemList:
    """A list, numbered or not, each item a line of spans."""

    items: tuple[tuple[Span, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Lead:
    """The centre's promise, under its title: registry text, shown as written."""

    text: str


@dataclass(frozen=True)
class Breadcrumb:
    """The line above a kit page's title that leads back to the kit's presentation (not indexed by the search)."""

    content: tuple[Span, ...]


@dataclass(frozen=True)
class Byline:
    """Who wrote the kit and when it was last updated, under a page's title (not indexed by the search)."""

    content: tuple[Span, ...]


@dataclass(frozen=True)
class FeedLink:
    """The link to the centre's news feed, a file written after the engine's build (so never checked by it)."""

    href: str
    label: str


@dataclass(frozen=True)
class Notice:
    """A boxed warning with a title (a draft's banner)."""

    title: str
    text: str


@dataclass(frozen=True)
class Card:
    """One card of a grid: a linked title, an optional badge, a short text and a small note."""

    title: Literal
    href: str
    text: Literal
    note: str
    badge: str | None = None


@dataclass(frozen=True)
class Cards:
    """A grid of cards (kits of a challenge, the challenges of a centre); `role` names its style in the centre's CSS."""

    cards: tuple[Card, ...]
    role: str | None = None
    note_first: bool = False  # the note (a count) before the text, as on the challenges' cards


@dataclass(frozen=True)
class Definition:
    """A term and what it means; `anchor` makes the term a link target (the glossary's tooltips point at it)."""

    term: str
    content: tuple[Span, ...]
    anchor: str | None = None


@dataclass(frozen=True)
class Definitions:
    """A list of terms and their definitions (a kit's record, the glossary)."""

    entries: tuple[Definition, ...]


@dataclass(frozen=True)
class Download:
    """A file to download: its label, path from the page, format and size, description, and other versions."""

    label: Literal | str
    path: str
    details: str | None = None  # « CSV, 1,2 Ko »
    description: Literal | None = None
    variants: tuple[tuple[str, str], ...] = ()  # (label, path) of the same file in another format (.ods of a CSV)

    def spans(self) -> tuple[Span, ...]:
        """The download as one line: icon, link, format and size, other versions, description."""
        out: list[Span] = [Icon(IconName.DOWNLOAD), " ", Link((self.label,), self.path, LinkKind.DOWNLOAD)]
        if self.details:
            out.append(f" ({self.details})")
        for name, path in self.variants:
            out += [" · ", Link((name,), path, LinkKind.DOWNLOAD)]
        if self.description is not None:
            out += [" — ", self.description]
        return tuple(out)


@dataclass(frozen=True)
class Downloads:
    """Files to download, one per line with an icon."""

    items: tuple[Download, ...]


@dataclass(frozen=True)
class KitMarkdown:
    """Markdown written by a contributor (a kit part, a registry's presentation), figures already expanded."""

    text: str


@dataclass(frozen=True)
class Html:
    """HTML written by the project, its kit text already escaped; `words` is its text for the search."""

    markup: str
    words: str = ""


@dataclass(frozen=True)
class Division:
    """Blocks grouped under a style of the centre's CSS (`role`), with an optional anchor."""

    role: str
    blocks: tuple[Block, ...]
    anchor: str | None = None


Block = Union[Heading, Paragraph, ItemList, Lead, Breadcrumb, Byline, FeedLink, Notice, Cards, Definitions,
              Downloads, KitMarkdown, Html, Division]


@dataclass(frozen=True)
class Page:
    """A generated page at `path` (relative to the centre's root, `.md`), as typed blocks."""

    path: str
    title: str  # its name in the navigation and the search (a part's label)
    blocks: tuple[Block, ...]
    kit: str | None = None
    source: str | None = None  # the file a contributor edits, relative to the kits tree (for its edit link)
    full_title: str | None = None  # the browser's title when it says more than `title` (« Méthodologie — Kit »)
    description: str | None = None
    part: str | None = None  # the label of the kit part it shows
    self_assessment: bool = False  # the page's script turns its grid into a form
    toc: bool = True  # show the table of contents
    navigation: bool = True  # show the navigation sidebar

    @property
    def window_title(self) -> str:
        """The title of the browser's window or tab."""
        return self.full_title or self.title


@dataclass(frozen=True)
class NavPage:
    """A page in the navigation; without a title, the page's own."""

    path: str
    title: str | None = None


@dataclass(frozen=True)
class NavSection:
    """A section of the navigation: a title over pages and sections."""

    title: str
    children: tuple[NavItem, ...] = field(default_factory=tuple)


NavItem = Union[NavPage, NavSection]


def spans_text(content: tuple[Span, ...]) -> str:
    """The words of spans, without their markup (icons say nothing)."""
    out = []
    for span in content:
        if isinstance(span, str):
            out.append(span)
        elif isinstance(span, Literal):
            out.append(span.text)
        elif isinstance(span, Link):
            out.append(spans_text(span.label))
        elif isinstance(span, (Strong, Emphasis, Small)):
            out.append(spans_text(span.content))
    return "".join(out)
