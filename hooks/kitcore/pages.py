"""Page generation: the typed pages (kitcore.blocks), files and navigation of one centre, for any static-site
engine; each engine's adapter writes them in its own dialect."""
from __future__ import annotations

import re
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from . import (attachments, bibliography, copies, csvexport, diagnostic, elsewhere, glossary, news, parts,
               questionnaire, references, reserved, scoresheet, spreadsheet)
from .figures import expand_figures
from .kits import Audience, Corpus, Kit
from .blocks import (Block, Breadcrumb, Byline, Card, Cards, Definition, Definitions, Division, Download, Downloads,
                     Emphasis, FeedLink, Heading, Icon, IconName, ItemList, KitMarkdown, Lead, Link, LinkKind, Literal,
                     NavItem, NavPage, NavSection, Notice, Page, Paragraph, Small, Span, Strong)
from .typography import code_lines, french_spacing
from .wording import count, french_date, human_size

from .parts import PRINTABLE

RECENT_COUNT = 5
DOWNLOADS_TITLE = "Fichiers à télécharger"
DOCUMENTS_TITLE = "Télécharger ce kit"
CARD_CHARS = 110  # a challenge card's text on the home page: four cards fit above the fold of a laptop


@dataclass
class Asset:
    """A file copied as is into the centre (toolbox downloads, images)."""

    path: str
    source: Path
    content: bytes | None = None  # set when the file is generated (an .ods made from a CSV)


@dataclass
class Centre:
    """What an engine needs to publish one audience's centre."""

    audience: Audience
    kits: list[Kit]
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)


def _demote(markdown: str) -> str:
    """Headings one level down (outside code blocks), so that a part fits under its own « ## » title."""
    lines = markdown.split("\n")
    for i, code in enumerate(code_lines(lines)):
        line = lines[i]
        if not code and line.startswith("#") and line.lstrip("#").startswith(" ") and len(line) - len(line.lstrip("#")) < 6:
            lines[i] = "#" + line
    return "\n".join(lines)


def _shortened(text: str, limit: int = CARD_CHARS) -> str:
    """The first sentence of `text`, cut at a word before `limit` characters (a card on the home page)."""
    first = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def licence_label(spdx: str) -> str:
    """An SPDX id as readers know it: `CC-BY-SA-4.0` → « CC BY-SA 4.0 »."""
    return re.sub(r"^CC-", "CC ", re.sub(r"-(?=\d)", " ", spdx))


def kit_dir(kit_id: str) -> str:
    """Folder of a kit's pages inside a centre."""
    return f"kits/{kit_id}"


def _spaced(text: str) -> Literal:
    """A title or summary from YAML: French spacing applied, then shown as written (no Markdown, no HTML)."""
    return Literal(french_spacing(text))


def _page(path: str, title: str, content: list, full_title: str | None = None, **meta) -> Page:
    """A page of the centre; its browser title with French spacing, like every title it shows."""
    return Page(path, title, tuple(block for block in content if block is not None),
                full_title=french_spacing(full_title or title), **meta)


class _Builder:
    """Builds the pages of one centre; kept as a class so helpers share the corpus and link rules."""

    def __init__(self, corpus: Corpus, audience: Audience, drafts: bool,
                 documents: Mapping[str, Sequence[Download]]) -> None:
        self.corpus = corpus
        self.documents = documents
        self.audience = audience
        self.drafts = drafts
        self.kits = corpus.kits_for(audience.id, drafts)
        self.here = {k.id for k in self.kits}
        self.challenges = {c.id: c for c in corpus.challenges}

    def link_to_kit(self, kit_id: str, from_dir: str) -> str:
        """Relative link to a kit's presentation: inside this centre, or in the centre where it lives."""
        depth = from_dir.count("/") + 1 if from_dir else 0
        up = "../" * depth
        if kit_id in self.here:
            return f"{up}{kit_dir(kit_id)}/index.md"
        target = self.corpus.kit(kit_id)
        centre = target.publics[0] if target else self.audience.id
        return f"{up}../{centre}/{kit_dir(kit_id)}/index.html"

    def card_list(self, kits: list[Kit], from_dir: str) -> Block:
        """Cards (titre, résumé, date) for kits, with links relative to `from_dir`."""
        if not kits:
            return Paragraph((Emphasis(("Aucun kit pour l'instant dans ce centre.",)),))
        return Cards(tuple(Card(_spaced(kit.titre), self.link_to_kit(kit.id, from_dir),
                                _spaced(" ".join(kit.resume.split())), f"Mis à jour le {french_date(kit.mise_a_jour)}",
                                "brouillon" if kit.draft else None) for kit in kits))

    def home(self) -> Page:
        """The centre's home page, a resource centre's front door: its promise, where to start, the challenges
        as cards with their kit counts (all above the fold on a laptop), then the presentation and the kits."""
        a = self.audience
        content: list[Block | None] = [Heading(1, (_spaced(a.titre_centre),)),
                                       Lead(french_spacing(" ".join(a.description.split()))),
                                       self.where_to_start(), self.challenge_cards(),
                                       Heading(2, ("Ce centre",)), KitMarkdown(french_spacing(a.presentation.strip())),
                                       *self.recent(),
                                       # The feed is written after the engine's build, which would report a link to it.
                                       FeedLink(news.FEED_FILE, news.FEED_LABEL)]
        for challenge in self.corpus.challenges:
            kits = [k for k in self.kits if challenge.id in k.enjeux]
            if kits:
                content += [Heading(2, (_spaced(challenge.nom),)), self.card_list(kits, "")]
        if not self.kits:
            content.append(Paragraph((Emphasis(("Ce centre ne contient encore aucun kit.",)),)))
        return _page("index.md", a.titre_centre, content, source="publics.yml", toc=False)

    def where_to_start(self) -> Block:
        """« Par où commencer ? »: the newest kit, the parts every kit follows, the search."""
        every = parts.labels(parts.PARTS)
        items: list[tuple[Span, ...]] = []
        if self.kits:
            newest = max(self.kits, key=lambda k: (k.mise_a_jour, k.id))
            items.append((Strong(("Découvrir un kit",)), french_spacing(", par exemple le plus récent : "),
                          Link((_spaced(newest.titre),), self.link_to_kit(newest.id, ""))))
        items += [(Strong(("Chaque kit suit " + parts.counted(len(parts.PARTS)),)),
                   f"\u00a0: {every}, avec des outils à télécharger."),
                  (Strong((french_spacing("Un sujet précis ?"),)), " Tapez-le dans la recherche, en haut de la page.")]
        return Division("centre-depart", (Heading(2, (french_spacing("Par où commencer ?"),)), ItemList(tuple(items))))

    def challenge_cards(self) -> Block:
        """The challenges as cards linking to their pages, each with its number of kits in this centre."""
        cards = []
        for c in self.corpus.challenges:
            n = len([k for k in self.kits if c.id in k.enjeux])
            cards.append(Card(_spaced(c.nom), f"enjeux/{c.id}/index.md", _spaced(_shortened(c.description)),
                              "Aucun kit pour l'instant" if n == 0 else count(n, "kit")))
        return Cards(tuple(cards), role="centre-enjeux", note_first=True)

    def recent(self, count: int = RECENT_COUNT) -> list[Block]:
        """The latest updated kits, newest first, for readers who come back (empty for a small centre)."""
        if len(self.kits) <= count:
            return []
        latest = news.latest(self.kits, count)
        return [Heading(2, ("Mis à jour récemment",)),
                ItemList(tuple((Link((_spaced(k.titre),), self.link_to_kit(k.id, "")),
                                f" — {french_date(k.mise_a_jour)}") for k in latest))]

    def challenge_page(self, challenge_id: str) -> Page:
        """One challenge: its description and every kit of this centre that addresses it."""
        c = self.challenges[challenge_id]
        kits = [k for k in self.kits if c.id in k.enjeux]
        content = [Heading(1, (_spaced(c.nom),)), KitMarkdown(french_spacing(c.description.strip())),
                   Heading(2, ("Les kits de ce centre",)), self.card_list(kits, f"enjeux/{c.id}")]
        return _page(f"enjeux/{c.id}/index.md", c.nom, content, source="enjeux.yml")

    def draft_banner(self, kit: Kit) -> Block | None:
        """The « Brouillon » warning shown on a draft's pages in preview (none for a published kit)."""
        if not kit.draft:
            return None
        return Notice("Brouillon", "Ce kit est un brouillon : il n'apparaît que dans l'aperçu local et ne sera pas "
                                   "publié tant que son statut n'est pas « publie ».")

    def byline(self, kit: Kit) -> Block:
        """A small line under a part's title: who wrote the kit and when it was last updated."""
        return Byline(("Rédaction\u00a0: ", Literal(", ".join(kit.auteurs)),
                       f" · mis à jour le {french_date(kit.mise_a_jour)}"))

    def breadcrumb(self, kit: Kit) -> Block:
        """The way back to the kit's presentation, above a page's title."""
        return Breadcrumb(("Kit\u00a0: ", Link((_spaced(kit.titre),), "index.html")))

    def kit_home(self, kit: Kit) -> Page:
        """A kit's presentation: résumé, record, its parts, documents, downloads and related kits."""
        base = kit_dir(kit.id)
        challenges: list[Span] = []
        for c in kit.enjeux:
            if challenges:
                challenges.append(", ")
            challenges.append(Link((_spaced(self.challenges[c].nom),), f"../../enjeux/{c}/index.md")
                              if c in self.challenges else _spaced(c))
        audiences = ", ".join(french_spacing(self._audience_name(p)) for p in kit.publics)
        # A definition list: a table would need a header row, and its cells break on a « | » in a name.
        record = Definitions((
            Definition("Publics", (Literal(audiences),)),
            Definition("Enjeux", tuple(challenges)),
            Definition("Rédaction", (Literal(", ".join(kit.auteurs)),)),
            Definition("Mise à jour", (french_date(kit.mise_a_jour),)),
            Definition("Licence", (Link((licence_label(kit.licence),), "../../licence.md"),)),
        ))
        content: list[Block | None] = [
            Heading(1, (_spaced(kit.titre),)), self.draft_banner(kit), Paragraph((_spaced(kit.resume.strip()),)),
            Division("kit-fiche", (record,)),
            Heading(2, (f"{parts.heading(len(parts.of(kit.sections)))} du kit",)),
            ItemList(tuple((Link((p.label,), p.file),) for p in parts.of(kit.sections)), ordered=True),
            Paragraph((Icon(IconName.PRINT), " ",
                       Link(("Le kit entier sur une seule page, pour l'imprimer ou l'enregistrer en PDF",),
                            f"{PRINTABLE}.md"))),
        ]
        documents = self.documents.get(kit.id, ())
        if documents:
            content += [Heading(2, (DOCUMENTS_TITLE,)), Downloads(tuple(documents))]
        content += self.diagnostic_teaser(kit)
        content += self.downloads(kit)
        content += bibliography.sources_blocks(kit)
        content += bibliography.readings_blocks(kit)
        related = [self.corpus.kit(other) for other in kit.voir_aussi]
        # A related kit that is not published (draft, invalid) gets no link rather than a dead one.
        related = [t for t in related if t is not None and t.valid and (self.drafts or not t.draft)]
        if related:
            items: list[tuple[Span, ...]] = []
            for target in related:
                if target.id in self.here:
                    items.append((Link((_spaced(target.titre),), self.link_to_kit(target.id, base)),))
                else:
                    # Another centre, whose existence the kit checks have already vouched for; the offline copy,
                    # which holds this centre alone, leads to a local page about it (kitcore.elsewhere).
                    centre = self._audience_name(target.publics[0])
                    items.append((Link((_spaced(target.titre),), self.link_to_kit(target.id, base),
                                       LinkKind.OTHER_CENTRE, elsewhere.kit_page_link(target.id, base)),
                                  " ", Small(("(centre ", Literal(centre), ")"))))
            content += [Heading(2, ("Voir aussi",)), ItemList(tuple(items))]
        return _page(f"{base}/index.md", kit.titre, content, kit=kit.id, source=f"{kit.id}/kit.yml",
                     description=" ".join(kit.resume.split())[:300])

    def _audience_name(self, audience_id: str) -> str:
        for a in self.corpus.audiences:
            if a.id == audience_id:
                return a.nom
        return audience_id

    def downloads(self, kit: Kit) -> list[Block]:
        """The kit's toolbox files under their heading, with format, size and the .ods of each CSV."""
        if not kit.ressources:
            return []
        items = []
        for res in kit.ressources:
            target, _ = attachments.check_path(kit.folder, res.fichier)
            present = target is not None and target.is_file()
            details = f"{target.suffix.lstrip('.').upper()}, {human_size(target.stat().st_size)}" if present else None
            variants = ((("version tableur ODS", reserved.spreadsheet_name(res.fichier)),)
                        if present and res.fichier.lower().endswith(".csv") else ())
            items.append(Download(Literal(res.titre), res.fichier, details,
                                  Literal(res.description) if res.description else None, variants))
        return [Heading(2, (DOWNLOADS_TITLE,)), Downloads(tuple(items))]

    def section(self, kit: Kit, name: str) -> Page:
        """One of the kit's parts, figures expanded and French spacing applied."""
        part = parts.part(name)
        label = part.label
        expansion = expand_figures(kit.sections[name], self.corpus.figures)
        content: list[Block | None] = [self.breadcrumb(kit), Heading(1, (label,)), self.byline(kit),
                                       self.draft_banner(kit), KitMarkdown(french_spacing(expansion.text.strip()))]
        if part.downloads:
            content += self.diagnostic_teaser(kit)
            content += self.downloads(kit)
            content += bibliography.readings_blocks(kit)
        return _page(f"{kit_dir(kit.id)}/{name}.md", label, content, f"{label} — {kit.titre}", kit=kit.id,
                     source=f"{kit.id}/{name}.md", part=label)

    def diagnostic_teaser(self, kit: Kit) -> list[Block]:
        """The heading and line leading to the kit's self-diagnosis page (none without one)."""
        d = kit.autodiagnostic
        if d is None:
            return []
        return [Heading(2, (questionnaire.TITLE,)),
                Paragraph((Icon(IconName.SELF_ASSESSMENT), " ", Link((_spaced(d.titre),), f"{questionnaire.PAGE}.md"),
                           f" — {len(d.questions)} questions, vos scores et des recommandations calculés dans la page, "
                           "sans rien envoyer ; aussi en tableur qui calcule les scores."))]

    def diagnostic_link(self, kit: Kit, link: diagnostic.Link) -> tuple[str, str] | None:
        """(href from the self-diagnosis page, label) of a recommendation's link; None if its kit is not published."""
        target = self.corpus.kit(link.kit)
        if target is None or not target.valid or (target.draft and not self.drafts):
            return None
        folder = self.link_to_kit(link.kit, kit_dir(kit.id)).rsplit("/", 1)[0]
        page = f"{link.partie}.html" if link.partie else "index.html"
        label = french_spacing(target.titre) + (f" — {parts.part(link.partie).label}" if link.partie else "")
        return f"{folder}/{page}", label

    def diagnostic_label(self, kit: Kit, link: diagnostic.Link) -> str:
        """A recommendation's link as words, for the spreadsheet and the CSV."""
        resolved = self.diagnostic_link(kit, link)
        return resolved[1] if resolved else link.kit

    def diagnostic_page(self, kit: Kit) -> Page:
        """The kit's self-diagnosis: a paper grid, turned into a form scored in the browser by its script."""
        d = kit.autodiagnostic
        assert d is not None
        content: list[Block | None] = [
            self.breadcrumb(kit), Heading(1, (_spaced(d.titre),)), self.byline(kit), self.draft_banner(kit),
            *questionnaire.page_blocks(d, lambda link: self.diagnostic_link(kit, link)),
        ]
        return _page(f"{kit_dir(kit.id)}/{questionnaire.PAGE}.md", questionnaire.TITLE, content,
                     f"{questionnaire.TITLE} — {kit.titre}", kit=kit.id, source=f"{kit.id}/{diagnostic.FILE}",
                     part=questionnaire.TITLE, self_assessment=True)

    def diagnostic_assets(self, kit: Kit) -> list[Asset]:
        """The self-diagnosis's data for the page's script, its .ods with formulas and its paper grid."""
        d = kit.autodiagnostic
        if d is None:
            return []
        base, source = kit_dir(kit.id), kit.folder / diagnostic.FILE
        payload = questionnaire.data(d, lambda link: self.diagnostic_link(kit, link),
                                     f"autodiagnostic:{self.audience.id}:{kit.id}")
        label = lambda link: self.diagnostic_label(kit, link)  # noqa: E731
        return [
            Asset(f"{base}/{questionnaire.DATA_FILE}", source, questionnaire.data_script(payload).encode("utf-8")),
            Asset(f"{base}/{questionnaire.ODS_FILE}", source, scoresheet.workbook(d, label)),
            Asset(f"{base}/{questionnaire.CSV_FILE}", source, scoresheet.paper_grid(d, label).encode("utf-8")),
        ]

    def printable(self, kit: Kit) -> Page:
        """The whole kit on one page (outside the navigation), to print or save as PDF from the browser."""
        # Figures are expanded once over all the parts, so that each source note appears once.
        text = "\n\n".join(f"## {p.label}\n\n{_demote(references.prefixed_notes(kit.sections[p.id].strip(), p.id))}"
                           for p in parts.of(kit.sections))
        expansion = expand_figures(text, self.corpus.figures)
        content: list[Block | None] = [
            self.breadcrumb(kit), Heading(1, (_spaced(kit.titre),)), self.byline(kit), self.draft_banner(kit),
            Paragraph((_spaced(kit.resume.strip()),)), KitMarkdown(french_spacing(expansion.text.strip())),
            *self.downloads(kit), *bibliography.sources_blocks(kit), *bibliography.readings_blocks(kit),
        ]
        return _page(f"{kit_dir(kit.id)}/{PRINTABLE}.md", "Version imprimable", content,
                     f"{kit.titre} — version imprimable", kit=kit.id, part="Version imprimable", toc=False,
                     navigation=False)

    def assets(self, kit: Kit) -> list[Asset]:
        """The files a kit publishes (those the file policy accepts), plus the .ods made from its CSVs."""
        # Only what the file policy accepts is copied: inside the kit, no link, allowed type and size.
        published = attachments.published_files(kit.folder, [r.fichier for r in kit.ressources])
        out = [Asset(f"{kit_dir(kit.id)}/{rel}", path, csvexport.for_excel(path.read_bytes())
                     if path.suffix.lower() == ".csv" else None) for rel, path in published]
        offered = {r.fichier for r in kit.ressources}
        for rel, path in published:
            # Spreadsheet software opens an .ods with its accents and columns right, which a CSV does not guarantee.
            if rel in offered and path.suffix.lower() == ".csv":
                ods = spreadsheet.csv_to_ods(path.read_text(encoding="utf-8-sig"), sheet=path.stem)
                out.append(Asset(f"{kit_dir(kit.id)}/{reserved.spreadsheet_name(rel)}", path, ods))
        return out

    def build(self) -> Centre:
        """Every page, file and the navigation of the centre."""
        centre = Centre(self.audience, self.kits)
        # The stylesheet that shows the online variants of every page (the zip stores its offline version); its
        # source is the module that writes it.
        centre.assets.append(Asset(copies.STYLESHEET, Path(copies.__file__), copies.stylesheet(offline=False)))
        centre.pages.append(self.home())
        nav: list[NavItem] = [NavPage("index.md", "Accueil")]
        placed: set[str] = set()
        for challenge in self.corpus.challenges:
            centre.pages.append(self.challenge_page(challenge.id))
            children: list[NavItem] = [NavPage(f"enjeux/{challenge.id}/index.md")]
            for kit in self.kits:
                if kit.enjeux and kit.enjeux[0] == challenge.id or (
                    kit.id not in placed and challenge.id in kit.enjeux and kit.enjeux[0] not in self.challenges
                ):
                    placed.add(kit.id)
                    children.append(NavSection(french_spacing(kit.titre), self.kit_nav(kit)))
            nav.append(NavSection(challenge.nom, tuple(children)))
        for kit in self.kits:
            centre.pages.append(self.kit_home(kit))
            centre.pages += [self.section(kit, p.id) for p in parts.of(kit.sections)]
            centre.pages.append(self.printable(kit))
            if kit.autodiagnostic is not None:
                centre.pages.append(self.diagnostic_page(kit))
            centre.assets += self.assets(kit)
            centre.assets += self.diagnostic_assets(kit)
        if self.corpus.glossary:
            centre.pages.append(self.glossary_page())
            nav.append(NavPage(glossary.PAGE, glossary.TITLE))
        centre.nav = nav
        return centre

    def glossary_page(self) -> Page:
        """The centre's glossary: every term of kits/glossaire.yml with its definition and source."""
        content = [Heading(1, (glossary.TITLE,)), *glossary.glossary_blocks(self.corpus.glossary)]
        return _page(glossary.PAGE, glossary.TITLE, content, source="glossaire.yml")

    def kit_nav(self, kit: Kit) -> tuple[NavItem, ...]:
        """Navigation entries of a kit: its presentation, then its parts in the part table's order."""
        base = kit_dir(kit.id)
        entries: list[NavItem] = [NavPage(f"{base}/index.md")]
        entries += [NavPage(f"{base}/{p.file}", p.label) for p in parts.of(kit.sections)]
        if kit.autodiagnostic is not None:
            entries.append(NavPage(f"{base}/{questionnaire.PAGE}.md", questionnaire.TITLE))
        return tuple(entries)


def offer_documents(corpus: Corpus, centre: Centre, drafts: bool,
                    documents: Mapping[str, Sequence[tuple[Download, Path]]]) -> Centre:
    """`centre` with its kits' documents made from it (PDF, EPUB: each a download and its file): published in the
    kit's folder, offered by the kit's presentation, which alone is built again, as `build_centre` would."""
    builder = _Builder(corpus, centre.audience, drafts, {k: [d for d, _ in docs] for k, docs in documents.items()})
    shown = [k for k in centre.kits if k.id in documents]
    homes = {page.path: page for page in (builder.kit_home(k) for k in shown)}
    files = [Asset(f"{kit_dir(k.id)}/{d.path}", source) for k in shown for d, source in documents[k.id]]
    return dataclasses.replace(centre, pages=[homes.get(p.path, p) for p in centre.pages],
                               assets=centre.assets + files)


def build_centre(corpus: Corpus, audience_id: str, drafts: bool = False,
                 documents: Mapping[str, Sequence[Download]] | None = None) -> Centre:
    """Pages, files and navigation of one audience's centre (drafts only for local preview); `documents` (kit id →
    downloads) are offered on each kit's presentation, under « Télécharger ce kit »."""
    return _Builder(corpus, corpus.audience(audience_id), drafts, documents or {}).build()
