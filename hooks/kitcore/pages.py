"""Page generation: the Markdown pages, files and navigation of one centre, for any static-site engine."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import (attachments, bibliography, csvexport, diagnostic, glossary, news, parts, questionnaire, reserved,
               scoresheet, spreadsheet)
from .figures import expand_figures
from .kits import Audience, Corpus, Kit
from .markup import literal_markdown, template_text
from .typography import code_lines, french_spacing
from .wording import count, french_date, human_size

from .parts import PRINTABLE

RECENT_COUNT = 5
CARD_CHARS = 110  # a challenge card's text on the home page: four cards fit above the fold of a laptop


@dataclass
class Page:
    """A generated Markdown page, at a path relative to the centre's root."""

    path: str
    title: str
    content: str
    kit: str | None = None
    source: str | None = None  # the file a contributor edits, relative to the kits tree (for its edit link)


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
    nav: list = field(default_factory=list)


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


def _front_matter(title: str, extra: dict | None = None) -> str:
    meta = {"title": french_spacing(title), "render_macros": False}
    meta.update(extra or {})
    # The theme prints the title and description without escaping (nav, <title>, <meta>): escape kit text here.
    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = template_text(meta[key])
    # JSON is valid YAML: no quoting surprise whatever the title holds.
    return "---\n" + "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()) + "\n---\n\n"


def _inline_text(text: str) -> str:
    """A title from YAML for Markdown: French spacing applied, then shown as is (no Markdown, no HTML)."""
    return _escape_inline(french_spacing(text))


def _escape_inline(text: str) -> str:
    # Titles and summaries come from YAML and are text: the policy page promises they show as written.
    return literal_markdown(text)


class _Builder:
    """Builds the pages of one centre; kept as a class so helpers share the corpus and link rules."""

    def __init__(self, corpus: Corpus, audience: Audience, drafts: bool) -> None:
        self.corpus = corpus
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

    def card_list(self, kits: list[Kit], from_dir: str) -> str:
        """Material cards (titre, résumé, date) for kits, with links relative to `from_dir`."""
        if not kits:
            return "*Aucun kit pour l'instant dans ce centre.*\n"
        out = ['<div class="grid cards" markdown>', ""]
        for kit in kits:
            badge = " *(brouillon)*" if kit.draft else ""
            out += [
                f"-   **[{_inline_text(kit.titre)}]({self.link_to_kit(kit.id, from_dir)})**{badge}",
                "",
                "    ---",
                "",
                f"    {_inline_text(' '.join(kit.resume.split()))}",
                "",
                f"    <small>Mis à jour le {french_date(kit.mise_a_jour)}</small>",
                "",
            ]
        out.append("</div>")
        return "\n".join(out) + "\n"

    def home(self) -> Page:
        """The centre's home page, a resource centre's front door: its promise, where to start, the challenges
        as cards with their kit counts (all above the fold on a laptop), then the presentation and the kits."""
        a = self.audience
        parts = [_front_matter(a.titre_centre, {"hide": ["toc"]}), f"# {_inline_text(a.titre_centre)}\n",
                 f'<p class="centre-promesse">{html.escape(french_spacing(" ".join(a.description.split())))}</p>\n']
        parts += self.where_to_start()
        parts += self.challenge_cards()
        parts += ["## Ce centre\n", french_spacing(a.presentation.strip()), ""]
        parts += self.recent()
        # Raw HTML: the feed is written after the engine's build, which would report a link to it as broken.
        parts.append(f'<p class="centre-flux"><a href="{news.FEED_FILE}">{news.FEED_LABEL}</a></p>\n')
        for challenge in self.corpus.challenges:
            kits = [k for k in self.kits if challenge.id in k.enjeux]
            if not kits:
                continue
            parts += [f"## {_inline_text(challenge.nom)}\n", self.card_list(kits, "")]
        if not self.kits:
            parts.append("*Ce centre ne contient encore aucun kit.*\n")
        return Page("index.md", a.titre_centre, "\n".join(parts), source="publics.yml")

    def where_to_start(self) -> list[str]:
        """« Par où commencer ? »: the newest kit, the four parts every kit follows, the search."""
        every = parts.labels(parts.PARTS)
        lines = ['<div class="centre-depart" markdown>', "", french_spacing("## Par où commencer ?") + "\n"]
        if self.kits:
            newest = max(self.kits, key=lambda k: (k.mise_a_jour, k.id))
            lines.append(french_spacing("- **Découvrir un kit**, par exemple le plus récent : ")
                         + f"[{_inline_text(newest.titre)}]({self.link_to_kit(newest.id, '')})")
        lines += [french_spacing(f"- **Chaque kit suit {parts.counted(len(parts.PARTS))}** : {every}, avec des outils "
                                 "à télécharger."),
                  french_spacing("- **Un sujet précis ?** Tapez-le dans la recherche, en haut de la page."),
                  "", "</div>", ""]
        return lines

    def challenge_cards(self) -> list[str]:
        """The challenges as cards linking to their pages, each with its number of kits in this centre."""
        out = ['<div class="grid cards centre-enjeux" markdown>', ""]
        for c in self.corpus.challenges:
            n = len([k for k in self.kits if c.id in k.enjeux])
            kits = "Aucun kit pour l'instant" if n == 0 else count(n, "kit")
            out += [f"-   **[{_inline_text(c.nom)}](enjeux/{c.id}/index.md)**", "",
                    f"    <small>{kits}</small>", "",
                    f"    {french_spacing(_escape_inline(_shortened(c.description)))}", ""]
        out += ["</div>", ""]
        return out

    def recent(self, count: int = RECENT_COUNT) -> list[str]:
        """The latest updated kits, newest first, for readers who come back (empty for a small centre)."""
        if len(self.kits) <= count:
            return []
        latest = news.latest(self.kits, count)
        lines = ["## Mis à jour récemment\n"]
        lines += [f"- [{_inline_text(k.titre)}]({self.link_to_kit(k.id, '')}) — {french_date(k.mise_a_jour)}" for k in latest]
        return lines + [""]

    def challenge_page(self, challenge_id: str) -> Page:
        """One challenge: its description and every kit of this centre that addresses it."""
        c = self.challenges[challenge_id]
        kits = [k for k in self.kits if c.id in k.enjeux]
        body = [_front_matter(c.nom), f"# {_inline_text(c.nom)}\n", french_spacing(c.description.strip()), "", "## Les kits de ce centre\n",
                self.card_list(kits, f"enjeux/{c.id}")]
        return Page(f"enjeux/{c.id}/index.md", c.nom, "\n".join(body), source="enjeux.yml")

    def draft_banner(self, kit: Kit) -> str:
        """The « Brouillon » warning shown on a draft's pages in preview (empty for a published kit)."""
        if not kit.draft:
            return ""
        return ('!!! warning "Brouillon"\n    Ce kit est un brouillon : il n\'apparaît que dans l\'aperçu local '
                "et ne sera pas publié tant que son statut n'est pas « publie ».\n\n")

    def byline(self, kit: Kit) -> str:
        """A small line under a part's title: who wrote the kit and when it was last updated."""
        authors = _escape_inline(", ".join(kit.auteurs))
        return (f'<p class="kit-byline"><small>Rédaction\u00a0: {authors} · mis à jour le '
                f'{french_date(kit.mise_a_jour)}</small></p>\n')

    def kit_home(self, kit: Kit) -> Page:
        """A kit's presentation: résumé, record, its parts, downloads and related kits."""
        base = kit_dir(kit.id)
        challenges = ", ".join(
            f"[{_inline_text(self.challenges[c].nom)}](../../enjeux/{c}/index.md)" if c in self.challenges
            else _inline_text(c) for c in kit.enjeux
        )
        audiences = ", ".join(_inline_text(self._audience_name(p)) for p in kit.publics)
        lines = [
            _front_matter(kit.titre, {"kit": kit.id, "description": " ".join(kit.resume.split())[:300]}),
            f"# {_inline_text(kit.titre)}\n",
            self.draft_banner(kit),
            f"{_inline_text(kit.resume.strip())}\n",
            # A definition list: a table would need a header row, and its cells break on a « | » in a name.
            '<div class="kit-fiche" markdown>',
            "",
            f"Publics\n:   {audiences}\n",
            f"Enjeux\n:   {challenges}\n",
            f"Rédaction\n:   {_escape_inline(', '.join(kit.auteurs))}\n",
            f"Mise à jour\n:   {french_date(kit.mise_a_jour)}\n",
            f"Licence\n:   [{licence_label(kit.licence)}](../../licence.md)\n",
            "</div>",
            "",
            f"## {parts.heading(len(parts.of(kit.sections)))} du kit\n",
        ]
        for part in parts.of(kit.sections):
            lines.append(f"1. [{part.label}]({part.file})")
        lines.append("")
        lines.append(f":material-printer: [Le kit entier sur une seule page, pour l'imprimer ou l'enregistrer en PDF]"
                     f"({PRINTABLE}.md)\n")
        lines += self.diagnostic_teaser(kit)
        lines += self.downloads(kit)
        lines += bibliography.sources_lines(kit, _escape_inline)
        lines += bibliography.readings_lines(kit, _escape_inline)
        related = [self.corpus.kit(other) for other in kit.voir_aussi]
        # A related kit that is not published (draft, invalid) gets no link rather than a dead one.
        related = [t for t in related if t is not None and t.valid and (self.drafts or not t.draft)]
        if related:
            lines.append("## Voir aussi\n")
            for target in related:
                if target.id in self.here:
                    lines.append(f"- [{_inline_text(target.titre)}]({self.link_to_kit(target.id, base)})")
                else:
                    # Raw HTML: the engine checks links inside one centre only; this one leads to another
                    # centre, whose existence the kit checks have already vouched for.
                    centre = self._audience_name(target.publics[0])
                    # The class lets the zip point the link at a local page (kitcore.elsewhere).
                    lines.append(f'- <a class="lien-autre-centre" href="{html.escape(self.link_to_kit(target.id, base))}">'
                                 f'{html.escape(french_spacing(target.titre))}</a> '
                                 f"<small>(centre {html.escape(centre)})</small>")
            lines.append("")
        return Page(f"{base}/index.md", kit.titre, "\n".join(lines), kit.id, source=f"{kit.id}/kit.yml")

    def _audience_name(self, audience_id: str) -> str:
        for a in self.corpus.audiences:
            if a.id == audience_id:
                return a.nom
        return audience_id

    def downloads(self, kit: Kit) -> list[str]:
        """Markdown lines listing a kit's toolbox files, with format, size and the .ods of each CSV."""
        if not kit.ressources:
            return []
        lines = ["## Fichiers à télécharger\n"]
        for res in kit.ressources:
            target, _ = attachments.check_path(kit.folder, res.fichier)
            size = f" ({target.suffix.lstrip('.').upper()}, {human_size(target.stat().st_size)})" if target and target.is_file() else ""
            desc = f" — {_escape_inline(res.description)}" if res.description else ""
            ods = ""
            if res.fichier.lower().endswith(".csv") and target and target.is_file():
                ods = f" · [version tableur ODS]({reserved.spreadsheet_name(res.fichier)}){{ download }}"
            lines.append(f"- :material-download: [{_escape_inline(res.titre)}]({res.fichier}){{ download }}{size}{ods}{desc}")
        lines.append("")
        return lines

    def section(self, kit: Kit, name: str) -> Page:
        """One of the kit's parts, figures expanded and French spacing applied."""
        part = parts.part(name)
        label = part.label
        expansion = expand_figures(kit.sections[name], self.corpus.figures)
        body = [
            _front_matter(f"{label} — {kit.titre}", {"kit": kit.id, "partie": label}),
            f"<p class=\"kit-context\">Kit\u00a0: <a href=\"index.html\">{_inline_text(kit.titre)}</a></p>\n",
            f"# {label}\n",
            self.byline(kit),
            self.draft_banner(kit),
            french_spacing(expansion.text.strip()),
            "",
        ]
        if part.downloads:
            body += self.diagnostic_teaser(kit)
            body += self.downloads(kit)
            body += bibliography.readings_lines(kit, _escape_inline)
        return Page(f"{kit_dir(kit.id)}/{name}.md", label, "\n".join(body), kit.id, source=f"{kit.id}/{name}.md")

    def diagnostic_teaser(self, kit: Kit) -> list[str]:
        """Markdown lines leading to the kit's self-diagnosis page (none without one)."""
        d = kit.autodiagnostic
        if d is None:
            return []
        return [f"## {questionnaire.TITLE}\n",
                f":material-clipboard-check-outline: [{_inline_text(d.titre)}]({questionnaire.PAGE}.md) — "
                f"{len(d.questions)} questions, vos scores et des recommandations calculés dans la page, sans rien "
                "envoyer ; aussi en tableur qui calcule les scores.\n"]

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
        body = [
            _front_matter(f"{questionnaire.TITLE} — {kit.titre}", {"kit": kit.id, "partie": questionnaire.TITLE,
                                                                  "autodiagnostic": True}),
            f"<p class=\"kit-context\">Kit\u00a0: <a href=\"index.html\">{_inline_text(kit.titre)}</a></p>\n",
            f"# {_inline_text(d.titre)}\n",
            self.byline(kit),
            self.draft_banner(kit),
            questionnaire.page_markdown(d, lambda link: self.diagnostic_link(kit, link)),
        ]
        return Page(f"{kit_dir(kit.id)}/{questionnaire.PAGE}.md", questionnaire.TITLE, "\n".join(body), kit.id,
                    source=f"{kit.id}/{diagnostic.FILE}")

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
        text = "\n\n".join(f"## {p.label}\n\n{_demote(kit.sections[p.id].strip())}" for p in parts.of(kit.sections))
        expansion = expand_figures(text, self.corpus.figures)
        body = [
            _front_matter(f"{kit.titre} — version imprimable", {"kit": kit.id, "partie": "Version imprimable",
                                                                  "hide": ["navigation", "toc"]}),
            f"<p class=\"kit-context\">Kit\u00a0: <a href=\"index.html\">{_inline_text(kit.titre)}</a></p>\n",
            f"# {_inline_text(kit.titre)}\n",
            self.byline(kit),
            self.draft_banner(kit),
            f"{_inline_text(kit.resume.strip())}\n",
            french_spacing(expansion.text.strip()),
            "",
        ]
        body += self.downloads(kit)
        body += bibliography.sources_lines(kit, _escape_inline)
        body += bibliography.readings_lines(kit, _escape_inline)
        return Page(f"{kit_dir(kit.id)}/{PRINTABLE}.md", "Version imprimable", "\n".join(body), kit.id)

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
        centre.pages.append(self.home())
        nav: list = [{"Accueil": "index.md"}]
        placed: set[str] = set()
        for challenge in self.corpus.challenges:
            centre.pages.append(self.challenge_page(challenge.id))
            children: list = [f"enjeux/{challenge.id}/index.md"]
            for kit in self.kits:
                if kit.enjeux and kit.enjeux[0] == challenge.id or (
                    kit.id not in placed and challenge.id in kit.enjeux and kit.enjeux[0] not in self.challenges
                ):
                    placed.add(kit.id)
                    children.append({template_text(french_spacing(kit.titre)): self.kit_nav(kit)})
            nav.append({template_text(challenge.nom): children})
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
            nav.append({glossary.TITLE: glossary.PAGE})
        centre.nav = nav
        return centre

    def glossary_page(self) -> Page:
        """The centre's glossary: every term of kits/glossaire.yml with its definition and source."""
        body = [_front_matter(glossary.TITLE), f"# {glossary.TITLE}\n",
                glossary.glossary_markdown(self.corpus.glossary, _escape_inline)]
        return Page(glossary.PAGE, glossary.TITLE, "\n".join(body), source="glossaire.yml")

    def kit_nav(self, kit: Kit) -> list:
        """Navigation entries of a kit: its presentation, then its parts in the part table's order."""
        base = kit_dir(kit.id)
        entries = [f"{base}/index.md"] + [{p.label: f"{base}/{p.file}"} for p in parts.of(kit.sections)]
        if kit.autodiagnostic is not None:
            entries.append({questionnaire.TITLE: f"{base}/{questionnaire.PAGE}.md"})
        return entries


def build_centre(corpus: Corpus, audience_id: str, drafts: bool = False) -> Centre:
    """Pages, files and navigation of one audience's centre (drafts only for local preview)."""
    return _Builder(corpus, corpus.audience(audience_id), drafts).build()
