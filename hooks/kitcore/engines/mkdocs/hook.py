"""MkDocs hook: adapts MkDocs' events to the centre model (kitcore); mkdocs.yml loads this file by its path."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

# MkDocs loads this file by its path (not as kitcore.engines.mkdocs.hook): imports are absolute, from the
# installed package (pyproject.toml).
from kitcore import (checks, colours, elsewhere, glossary, inputs, markup, neighbours, notfound, pages, printing,
                     problems, questionnaire, search, typography)
from kitcore.engines.material import dialect, theme
from kitcore.engines.mkdocs import converter, handoff, sidebar
from kitcore.kits import Corpus

log = logging.getLogger("mkdocs.hooks.centre")
ROOT = inputs.ROOT
_state: dict = {}


def _settings() -> tuple[Path, str | None, bool]:
    kits_dir = Path(os.environ.get("KITS_DIR") or ROOT / "kits")
    if not kits_dir.is_absolute():
        kits_dir = Path.cwd() / kits_dir
    drafts = os.environ.get("BROUILLONS", "") not in ("", "0", "non", "false")
    return kits_dir, os.environ.get("CENTRE") or None, drafts


def _checked_centre() -> tuple[Corpus, pages.Centre, Path, bool]:
    """Standalone `mkdocs build`/`serve`: check the kits (failing with the same messages as `make check`) once."""
    kits_dir, audience_id, drafts = _settings()
    corpus, report = checks.check_kits(kits_dir)
    for problem in report.sorted():
        (log.error if problem.severity == problems.ERROR else log.info)(problem.text())
    if report.errors:
        raise PluginError(f"Kits invalides ({problems.summary(len(report.errors), 0)}) : corrigez-les puis relancez.")
    ids = [a.id for a in corpus.audiences]
    audience_id = audience_id or ids[0]
    if audience_id not in ids:
        raise PluginError(f"Centre inconnu « {audience_id} ». Centres possibles : {', '.join(ids)}.")
    return corpus, pages.build_centre(corpus, audience_id, drafts), kits_dir, drafts


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Set up the centre: the one handed over by the build or the preview, else the kits, checked here first."""
    job = handoff.take()
    if job is not None:
        corpus, centre, kits_dir, drafts = job.corpus, job.centre, job.kits, job.drafts
    else:
        corpus, centre, kits_dir, drafts = _checked_centre()
    # `mkdocs serve` watches what a build reads, as declared once for the fingerprint and the preview.
    for path in [kits_dir, *inputs.project_paths()]:
        if path.exists() and str(path) not in config.watch:
            config.watch.append(str(path))
    site_url = os.environ.get("SITE_URL", "").strip()
    # Pages about the other centres, for the zip (kitcore.elsewhere); outside the search and the navigation.
    local = elsewhere.local_pages(corpus, centre.audience, centre.kits, site_url or None, drafts)
    _state.update(centre=centre, corpus=corpus, local=local, generated={p.path for p in [*centre.pages, *local]})
    audience = centre.audience
    # The theme prints these unescaped, and registries come by pull request like kits.
    config.site_name = dialect.template_text(audience.titre_centre)
    config.site_description = dialect.template_text(audience.description)
    config.nav = dialect.nav(centre) + list(config.nav or [])
    # Where the sites are published (e.g. GitHub Pages): each centre lives in its own folder below it. It gives
    # the sitemap and canonical links; unset, pages only use relative links (as they must from file://).
    if site_url:
        config.site_url = f"{site_url.rstrip('/')}/{audience.id}/"
    palette = config.theme.get("palette")
    if isinstance(palette, dict):
        palette["primary"] = audience.couleur
    safe = dialect.template_text
    config.extra["centre"] = {"id": audience.id, "nom": safe(audience.nom), "kits": len(centre.kits)}
    # Palette colours darkened until readable (kitcore.colours): the theme writes them inline in every page.
    config.extra["couleurs_css"] = theme.css_variables(colours.centre_colours(audience.couleur))
    config.extra["centres"] = [{"id": a.id, "nom": safe(a.nom), "titre": safe(a.titre_centre)} for a in corpus.audiences]
    macros = config.plugins.get("macros")
    if macros is not None:
        # Trusted docs/ pages may cite figures; their text comes from chiffres.yml (by pull request, like kits):
        # inserted as literal text, and every page that renders macros is sanitised (on_page_content).
        def chiffre(ident: str) -> str:
            return markup.literal_markdown(corpus.figures[ident].valeur)

        def source(ident: str) -> str:
            return markup.literal_markdown(corpus.figures[ident].source)

        macros.register_macros({"chiffre": chiffre, "source": source})
        macros.register_variables({"chiffres": {k: {f: markup.literal_markdown(str(x)) for f, x in vars(v).items()}
                                                for k, v in corpus.figures.items()}})
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the centre's generated pages and downloadable files, in memory."""
    centre: pages.Centre = _state["centre"]
    for page in [*centre.pages, *_state["local"]]:
        files.append(File.generated(config, page.path, content=dialect.markdown(page)))
    for asset in centre.assets:
        # Files.append silently replaces a file with the same path: a kit file never takes a page's place
        # (kitcore.reserved refuses it at check time; this keeps the rule even if a check was skipped).
        if files.get_file_from_path(asset.path) is not None:
            continue
        if asset.content is not None:
            files.append(File.generated(config, asset.path, content=asset.content))
        else:
            files.append(File.generated(config, asset.path, abs_src_path=str(asset.source)))
    for path, source in search.asset_paths() + questionnaire.asset_paths():
        files.append(File.generated(config, path, abs_src_path=str(source)))
    return files


def _trusted(page: Page, config: MkDocsConfig) -> bool:
    # Only pages read from docs/ are trusted. Generated pages get File.generated_by (mkdocs 1.6 sets it to the
    # plugin's name or '<unknown>', never None); anything else is treated as kit text too.
    if page.file.generated_by is not None or page.file.abs_src_path is None:
        return False
    if page.file.src_uri in _state.get("generated", ()):
        return False
    docs = Path(config.docs_dir).resolve()
    return Path(page.file.abs_src_path).resolve().is_relative_to(docs)


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    """Render the page with the build's one Markdown converter, reset between pages (converter.py)."""
    converter.reuse(page, config)
    return page


@event_priority(100)  # before mkdocs-macros (priority 0), whatever the page's front matter says
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Keep template syntax in kit pages literal: macros never render a page that is not a trusted docs/ page."""
    if not _trusted(page, config):
        page.meta["render_macros"] = False
    _point_edit_link(page, config)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Sanitise the HTML of every page that is not a trusted docs/ page: kit text is untrusted."""
    # MkDocs folds every space of a heading, non-breaking ones included, when it builds the table of contents.
    _space_toc(page.toc)
    if not _trusted(page, config):
        html = theme.clean_html(html)
        if page.meta.get("kit"):
            # After the sanitiser: the tooltips are the project's markup, their text escaped from glossaire.yml.
            depth = page.file.dest_uri.count("/")
            html = glossary.mark_terms(html, _state["corpus"].glossary, "../" * depth + glossary.PAGE[:-3] + ".html")
    elif page.meta.get("render_macros"):
        html = theme.clean_html(html)  # a trusted page rendering macros holds registry text (figures)
    site_url = os.environ.get("SITE_URL", "").strip() or None
    centre = (config.extra.get("centre") or {}).get("id")
    if not centre:
        return html
    return printing.with_addresses(html, page.file.src_uri[:-3] + ".html", centre, site_url)


def _space_toc(items) -> None:
    for item in items:
        item.title = typography.french_spacing(item.title)
        _space_toc(item.children)


def _kit_sources() -> dict[str, str]:
    # One lookup table per built centre: `mkdocs serve` rebuilds a new centre on every change.
    centre = _state["centre"]
    if _state.get("sources_of") is not centre:
        _state.update(sources_of=centre, sources={p.path: p.source for p in centre.pages if p.source})
    return _state["sources"]


# A module has one function per event name: this used to be a second `on_page_markdown`, which silently replaced
# the one above (and with it the macros lock). It is now called from there.
def _point_edit_link(page: Page, config: MkDocsConfig) -> None:
    """Point the edit link of a generated page at the file a contributor edits (kits/<id>/…)."""
    source = _kit_sources().get(page.file.src_uri)
    if source and config.repo_url:
        # edit_uri ends with the docs folder (edit/main/docs/): kits/ sits beside it at the repository's root.
        edit_uri = (config.edit_uri or "edit/main/").strip("/")
        docs = Path(config.docs_dir).name
        if edit_uri.endswith("/" + docs):
            edit_uri = edit_uri[: -len(docs) - 1]
        page.edit_url = f"{config.repo_url.rstrip('/')}/{edit_uri}/kits/{source}"


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
    """Give the page a bounded navigation (sidebar.py) and its « Précédent » / « Suivant » (kitcore.neighbours)."""
    context["nav"] = Navigation([_bounded(item) for item in nav.items], nav.pages)
    order, by_path = _navigation_order(nav)
    previous, next_ = neighbours.steps(order, page.file.src_uri)
    context["voisins"] = [{"page": by_path[s.path], "sens": s.direction, "titre": s.title}
                          for s in (previous, next_) if s is not None]
    # The <link rel="prev/next"> of the page's head follow the same steps.
    page.previous_page = by_path[previous.path] if previous else None
    page.next_page = by_path[next_.path] if next_ else None
    return context


def _navigation_order(nav: Navigation) -> tuple[list, dict]:
    # Computed once per build: `mkdocs serve` gives every rebuild a new Navigation.
    if _state.get("order_of") is not nav:
        titles = {k.id: dialect.template_text(typography.french_spacing(k.titre)) for k in _state["centre"].kits}
        order, by_path = [], {}
        for p in nav.pages:
            kit = p.meta.get("kit") if p.meta else None
            order.append(neighbours.Entry(p.file.src_uri, p.title or "", kit, titles.get(kit)))
            by_path[p.file.src_uri] = p
        _state.update(order_of=nav, order=(order, by_path))
    return _state["order"]


def _bounded(item):
    # Only the open section is rendered in full (navigation.prune); a copy keeps the shared nav intact.
    if not isinstance(item, Section) or not item.active or not item.children:
        return item
    index, kits = item.children[0], item.children[1:]
    current = next((i for i, kit in enumerate(kits) if kit.active), None)
    shown = sidebar.window(len(kits), current)
    if len(shown) == len(kits):
        return item
    children = [index] + [kits[i] for i in shown]
    if index.is_page:
        children.append(Link(sidebar.more_label(len(kits)), index.url))
    section = Section(item.title, children)
    section.parent = item.parent
    section.active = True
    return section


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Use the theme's templates compiled once per process (before a build forks its children)."""
    env.bytecode_cache = handoff.TEMPLATES
    return env


def on_post_build(config: MkDocsConfig) -> None:
    """Write the centre's search index (recherche/index.js) and its standalone French 404 page."""
    centre, corpus = _state["centre"], _state["corpus"]
    search.write_centre_index(centre, corpus, Path(config.site_dir), Path(config.docs_dir))
    # Replaces the theme's 404.html, whose stylesheets only load when the centre sits at the host's root.
    links = [notfound.CentreLink(a.id, a.nom, a.titre_centre) for a in corpus.audiences]
    page = notfound.centre_page(links, centre.audience.id, centre.audience.couleur, os.environ.get("SITE_URL"))
    (Path(config.site_dir) / notfound.FILE).write_text(page, encoding="utf-8")
