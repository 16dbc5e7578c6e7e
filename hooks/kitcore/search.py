"""The search index of a centre and of the portal: documents from the typed pages of the centre model (their
blocks, never their rendered Markdown), a lunr index built at build time, written as a script that the page loads
(works from file://, where fetch() of JSON does not)."""
from __future__ import annotations

import html
import json
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lunr.builder import Builder
from lunr.field_ref import FieldRef

from . import blocks as b
from . import french, parts, reserved, spans
from .kits import Corpus
from .pages import PRINTABLE, Centre, build_centre

WEB_DIR = Path(__file__).resolve().parent / "web"
# Files served next to the index, in load order for the scripts; the licence travels with the vendored lunr.js.
ASSET_FILES = ("lunr.min.js", "french.js", "search.js", "search.css", "LICENSE-lunr.txt")
FOLDER = reserved.SEARCH_FOLDER  # the portal's search, at /recherche/
INDEX_FILE = "index.js"
GLOBAL = "RECHERCHE_INDEX"
# Field boosts: a word in a title or a summary must outrank the same word in running text.
FIELDS: tuple[tuple[str, int], ...] = (
    ("titre", 20), ("resume", 10), ("kit", 3), ("partie", 3), ("intertitres", 2), ("texte", 1),
)
EXCERPT_CHARS = 180
PRESENTATION = "Présentation du kit"


@dataclass
class Document:
    """One page as the search sees it: what is indexed (fields) and what a result shows."""

    url: str
    titre: str
    partie: str
    extrait: str
    kit: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    centres: list[str] = field(default_factory=list)
    texte: str = ""  # the running text, whitespace collapsed: results show the passage around the matched words
    outils: list[tuple[str, str]] = field(default_factory=list)  # (title, description) of a toolbox's files


# Bounded patterns (spans.bounded): page text comes from contributors, and an unclosed construct must not make
# every later one rescan the rest of the text.
_FRONT_MATTER = spans.bounded(r"\A---\n(?:[^\n]{0,2048}\n){0,64}?---\n")
_HEADING = spans.bounded(r"^(#{1,6})[ \t]{1,64}([^\n]{0,4096}?)[ \t]{0,64}#{0,64}[ \t]{0,64}$")
_IMAGE = spans.bounded(r"!\[([^\[\]]{0,1024}+)\]\([^()\n]{0,4096}+\)")
_LINK = spans.bounded(r"\[([^\[\]]{0,1024}+)\]\([^()\n]{0,4096}+\)")
_ATTRS = spans.bounded(r"\{[:.#]?[^{}\n]{0,1024}+\}")
_JINJA = spans.bounded(r"\{\{(?:[^{}]|\}(?!\})){0,1024}\}\}|\{%(?:[^{%]|%(?!\})){0,1024}%\}|\{#(?:[^{#]|#(?!\})){0,1024}#\}", re.S)
_TAG = spans.bounded(r"<[^<>]{1,4096}+>")
_FOOTNOTE_REF = spans.bounded(r"\[\^[^\[\]\s]{1,256}+\]")
_FOOTNOTE_DEF = spans.bounded(r"^\[\^[^\[\]\s]{1,256}+\]:")
_ICON = spans.bounded(r":[a-z0-9]{1,64}(?:-[a-z0-9]{1,64}){1,16}:")
_ADMONITION = spans.bounded(r"^[ \t]{0,64}(?:!!!|\?\?\?\+?)[ \t]{0,64}[^\s\"]{1,256}(?:[ \t]{1,64}\"([^\"\n]{0,1024})\")?[ \t]{0,64}$")
_MARKS = spans.bounded(r"[*_`|>]{1,64}|:?-{3,64}:?|^[ \t]{0,64}(?:[-+]|\d{1,9}\.)[ \t]{1,64}", re.M)
_PARAGRAPH_BREAK = spans.bounded(r"\n[ \t]{0,4096}\n")


def plain_text(markdown: str) -> tuple[str, list[str], str]:
    """Markdown written by a person (a kit part, a docs/ page) as (first-level title, sub-headings, running text) in
    plain words: the one place where Markdown is read back into words, and only Markdown the project did not write."""
    text = _FRONT_MATTER.sub("", markdown, count=1)
    text = _JINJA.sub(" ", text)
    title, headings, body = "", [], []
    for line in text.splitlines():
        if line.lstrip().startswith('<p class="kit-'):
            continue  # breadcrumb and byline of kit pages: the kit title is indexed in its own field
        if _FOOTNOTE_DEF.match(line):
            continue  # figure sources: notes, not the page's own words
        admonition = _ADMONITION.match(line)
        if admonition:
            body.append(admonition.group(1) or "")
            continue
        heading = _HEADING.match(line)
        if heading:
            words = _inline(heading.group(2))
            if heading.group(1) == "#" and not title:
                title = words
            else:
                headings.append(words)
            continue
        body.append(line)
    running = _inline("\n".join(body))
    running = _MARKS.sub(" ", running)
    return title, headings, running


def _inline(text: str) -> str:
    text = _FOOTNOTE_REF.sub("", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _ATTRS.sub(" ", text)
    text = _ICON.sub(" ", text)
    text = _TAG.sub(" ", text)
    return html.unescape(text.replace("\\", ""))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a text, whitespace collapsed, cut at a word boundary."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[:limit].rsplit(" ", 1)[0].rstrip(",;:.—-–")
    return cut + " …"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _first_paragraph(running: str) -> str:
    for block in _PARAGRAPH_BREAK.split(running):
        flat = " ".join(block.split())
        if len(flat) >= 40:
            return flat
    return " ".join(running.split())


def _block_text(block: b.Block, headings: list[str], texts: list[str]) -> None:
    # Running text block by block, a blank line between blocks (the excerpt is the first long enough).
    if isinstance(block, b.Heading):
        headings.append(b.spans_text(block.content))
    elif isinstance(block, (b.Paragraph, b.Lead)):
        texts.append(b.spans_text(block.content) if isinstance(block, b.Paragraph) else block.text)
    elif isinstance(block, b.ItemList):
        texts.append("\n".join(b.spans_text(item) for item in block.items))
    elif isinstance(block, b.Downloads):
        texts.append("\n".join(b.spans_text(item.spans()) for item in block.items))
    elif isinstance(block, b.Cards):
        texts.append("\n".join(f"{c.title.text} {c.badge or ''} {c.note} {c.text.text}" if block.note_first
                               else f"{c.title.text} {c.badge or ''} {c.text.text} {c.note}" for c in block.cards))
    elif isinstance(block, b.Definitions):
        texts.append("\n".join(f"{e.term} {b.spans_text(e.content)}" for e in block.entries))
    elif isinstance(block, b.Notice):
        texts.append(f"{block.title} {block.text}")
    elif isinstance(block, b.FeedLink):
        texts.append(block.label)
    elif isinstance(block, b.Html):
        texts.append(block.words)
    elif isinstance(block, b.KitMarkdown):
        _, inner, running = plain_text(block.text)
        headings += inner
        texts.append(running)
    elif isinstance(block, b.Division):
        for inner_block in block.blocks:
            _block_text(inner_block, headings, texts)
    # Breadcrumb and byline: the kit's title and authors are indexed in their own fields.


def page_text(page: b.Page) -> tuple[str, list[str], str]:
    """A page's (title, sub-headings, running text) in plain words, from its blocks."""
    title, headings, texts = "", [], []
    for block in page.blocks:
        if isinstance(block, b.Heading) and block.level == 1 and not title:
            title = b.spans_text(block.content)
        else:
            _block_text(block, headings, texts)
    return title, headings, "\n\n".join(t for t in texts if t.strip())


def centre_documents(centre: Centre, corpus: Corpus, docs_dir: Path | None = None) -> list[Document]:
    """The documents of one centre: every generated page, and the Markdown pages common to all centres."""
    kits = {k.id: k for k in centre.kits}
    challenges = {path: c for c in corpus.challenges for path in (f"enjeux/{c.id}/index.md", f"enjeux/{c.id}.md")}
    out = []
    for page in centre.pages:
        url = page.path[:-3] + ".html"
        kit = kits.get(page.kit) if page.kit else None
        name = page.path.rsplit("/", 1)[-1][:-3]
        if kit is not None and name == PRINTABLE:
            continue  # the four parts again, on one page: indexing it would list every hit twice
        if kit is not None and name == "index":
            # Not the page's text: its record and list of the parts would make every kit match "licence"
            # or "méthodologie". What the page says of this kit in particular is indexed instead.
            details = [*kit.auteurs, *(challenges[f"enjeux/{c}.md"].nom for c in kit.enjeux if f"enjeux/{c}.md" in challenges)]
            details += [f"{r.titre} {r.description or ''}" for r in kit.ressources]
            fields = {"titre": kit.titre, "resume": " ".join([kit.resume, *kit.mots_cles]), "texte": " ".join(details)}
            out.append(Document(url, kit.titre, PRESENTATION, excerpt(kit.resume), kit.id, fields,
                                texte=_flat(kit.resume)))
            continue
        title, headings, running = page_text(page)
        fields = {"intertitres": " ".join(headings), "texte": running}
        if kit is not None:
            label = page.title  # the part's label (pages.section)
            fields.update(kit=kit.titre, partie=label)
            doc = Document(url, kit.titre, label, excerpt(_first_paragraph(running)), kit.id, fields,
                           texte=_flat(running))
            if name in {p.id for p in parts.PARTS if p.downloads}:
                doc.outils = [(r.titre, " ".join((r.description or "").split())) for r in kit.ressources]
        elif page.path in challenges:
            c = challenges[page.path]
            fields.update(titre=c.nom, resume=c.description)
            doc = Document(url, c.nom, "Enjeu", excerpt(c.description), None, fields, texte=_flat(c.description))
        else:
            fields.update(titre=title or page.title)
            doc = Document(url, title or page.title, "Accueil" if page.path == "index.md" else "",
                           excerpt(_first_paragraph(running)), None, fields, texte=_flat(running))
        out.append(doc)
    if docs_dir is not None and docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*.md")):
            title, headings, running = plain_text(path.read_text(encoding="utf-8"))
            rel = path.relative_to(docs_dir).as_posix()
            title = title or path.stem.replace("-", " ").capitalize()
            fields = {"titre": title, "intertitres": " ".join(headings), "texte": running}
            out.append(Document(rel[:-3] + ".html", title, "", excerpt(_first_paragraph(running)), None, fields,
                                texte=_flat(running)))
    return out


class TermsBuilder(Builder):
    """lunr's Builder (lunr.py 0.8.0, pinned) fed with terms already made (kitcore.french), not with text: its
    `add` wrapped every term in a Token with a deep copy of its metadata, to run it through an empty pipeline."""

    def add(self, doc: dict, attributes: dict | None = None) -> None:
        """`Builder.add` for a document whose fields are lists of terms; the index it builds is the same."""
        assert not self.metadata_whitelist and not self.pipeline._stack, "the terms would skip them"
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        for field_name in self._fields:
            terms = [term.lower() for term in doc[field_name]]
            field_terms: defaultdict[str, int] = defaultdict(int)
            field_ref = str(FieldRef(doc_ref, field_name))
            self.field_term_frequencies[field_ref] = field_terms
            self.field_lengths[field_ref] = len(terms)
            for term in terms:
                field_terms[term] += 1
                posting = self.inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[term] = posting
                if doc_ref not in posting[field_name]:
                    posting[field_name][doc_ref] = defaultdict(list)


def build_index(documents: list[Document]) -> dict:
    """A lunr index of the documents, serialised for lunr.js `lunr.Index.load`; refs are list positions.

    Terms are produced by kitcore.french (the browser applies the same rules to the query), so the lunr
    pipelines stay empty: nothing language-specific has to be downloaded or registered on either side.
    """
    builder = TermsBuilder()
    builder.ref("id")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for i, doc in enumerate(documents):
        record = {"id": str(i)}
        for name, _ in FIELDS:
            record[name] = french.terms(doc.fields.get(name, ""))
        builder.add(record)
    return builder.build().serialize()


def payload(documents: list[Document], centres: dict[str, str] | None = None) -> dict:
    """Index plus what results display; `centres` (id → name) marks a portal index."""
    docs = []
    for d in documents:
        item = {"u": d.url, "t": d.titre, "p": d.partie, "e": d.extrait}
        if d.kit:
            item["k"] = d.kit
        if d.centres:
            item["c"] = d.centres
        if d.texte:
            item["x"] = d.texte
        if d.outils:
            item["o"] = [list(tool) for tool in d.outils]
        docs.append(item)
    data = {"docs": docs, "index": build_index(documents)}
    if centres is not None:
        data["centres"] = centres
    return data


def index_script(data: dict) -> str:
    """The index as a script assigning a global: loadable by a <script> tag, even from file://."""
    return f"window.{GLOBAL} = {json.dumps(data, ensure_ascii=False, separators=(',', ':'))};\n"


def write_assets(site_dir: Path) -> None:
    """Copy the search scripts and style into `site_dir/recherche/`."""
    target = site_dir / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for name in ASSET_FILES:
        shutil.copyfile(WEB_DIR / name, target / name)


def asset_paths() -> list[tuple[str, Path]]:
    """(path inside a centre, source file) of every search asset, for engines that copy files themselves."""
    return [(f"{FOLDER}/{name}", WEB_DIR / name) for name in ASSET_FILES]


def write_centre_index(centre: Centre, corpus: Corpus, site_dir: Path, docs_dir: Path | None = None) -> Path:
    """Write `recherche/index.js` for one built centre; returns its path."""
    target = site_dir / FOLDER / INDEX_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(index_script(payload(centre_documents(centre, corpus, docs_dir))), encoding="utf-8")
    return target


def portal_documents(corpus: Corpus, centre_ids: list[str], drafts: bool = False,
                     centres: dict[str, Centre] | None = None) -> list[Document]:
    """Every centre's pages once: a kit page shared by several centres is one document listing them all."""
    merged: dict[str, Document] = {}
    for centre_id in centre_ids:
        centre = centres[centre_id] if centres else build_centre(corpus, centre_id, drafts)
        for doc in centre_documents(centre, corpus):
            key = doc.url if doc.url.startswith(("kits/", "enjeux/")) else f"{centre_id}/{doc.url}"
            if doc.url == "index.html":
                doc.titre, doc.partie = centre.audience.titre_centre, "Accueil du centre"
            if key in merged:
                merged[key].centres.append(centre_id)
            else:
                doc.centres = [centre_id]
                merged[key] = doc
    return list(merged.values())


def write_portal_search(corpus: Corpus, site_dir: Path, centre_ids: list[str], drafts: bool = False,
                        centres: dict[str, Centre] | None = None) -> Path:
    """Write the portal's cross-centre index and the search assets into `site_dir/recherche/` (from the centres
    already modelled, when given)."""
    write_assets(site_dir)
    names = {a.id: a.nom for a in corpus.audiences if a.id in centre_ids}
    target = site_dir / FOLDER / INDEX_FILE
    target.write_text(index_script(payload(portal_documents(corpus, centre_ids, drafts, centres), names)), encoding="utf-8")
    return target


def search_box(base: str = ".") -> str:
    """The search form of the portal (the centres get the same markup from the theme's partial)."""
    b = html.escape(base.rstrip("/") + "/")
    return (
        f'<link rel="stylesheet" href="{b}{FOLDER}/search.css">'
        f'<form class="recherche recherche--portail" role="search" data-recherche data-recherche-base="{b}" action="#" autocomplete="off">'
        '<label class="recherche__etiquette" for="recherche-champ">Rechercher dans tous les centres</label>'
        '<input class="recherche__champ" id="recherche-champ" type="search" name="q" '
        'placeholder="Rechercher dans tous les centres" aria-controls="recherche-resultats" spellcheck="false">'
        '<div class="recherche__resultats" id="recherche-resultats" aria-live="polite" hidden></div>'
        "</form>"
        + "".join(f'<script src="{b}{FOLDER}/{name}" defer></script>' for name in ASSET_FILES if name.endswith(".js"))
    )
