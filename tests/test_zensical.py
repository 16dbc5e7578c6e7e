"""The second engine: `make build ENGINE=zensical` builds the fixture centres with Zensical, from the same centre
model as MkDocs and with no MkDocs hook; every page, part, challenge page and download is there, links resolve."""
from __future__ import annotations

import json
import shutil
import re
import subprocess
import zipfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import FIXTURES, ROOT, copy_kits, run_build
from kitcore import checks, copies, pages, parts
from kitcore.engines import ENGINES, CentreJob
from kitcore.engines.mkdocs import sidebar
from kitcore.engines.zensical import engine, pagehtml, project, settings

GLOSSARY = """\
- id: devoir-d-alliances
  terme: devoir d'alliances
  definition: L'idée que chacun doit s'allier à d'autres pour répondre aux défis communs.
"""
# Kit text that only the sanitiser keeps out of the page (the checks let raw HTML through to it).
# A title that is text, not markup: shown as written wherever the theme prints it.
TITLE = 'Numériser <b>vite</b> & "bien"'
# The part that lists a kit's downloads, from the part table.
TOOLS = next(p for p in parts.PARTS if p.downloads)
HOSTILE = '\n\n<p onmouseover="alert(1)">Survolez-moi</p>\n'


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture corpus, with a glossary term its text uses and one part carrying an event handler."""
    tree = copy_kits(FIXTURES / "corpus", tmp_path_factory.mktemp("zensical-kits") / "kits")
    (tree / "glossaire.yml").write_text(GLOSSARY, encoding="utf-8")
    kit_b = tree / "kit-b" / "kit.yml"
    kit_b.write_text(kit_b.read_text(encoding="utf-8").replace("titre: Numériser ses services", f"titre: '{TITLE}'"),
                     encoding="utf-8")
    method = tree / "kit-a" / "methodologie.md"
    method.write_text(method.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    return tree


@pytest.fixture(scope="module")
def site(kits: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole build (centres, portal, zips) with `--moteur zensical`, as `make build ENGINE=zensical` runs it."""
    out = tmp_path_factory.mktemp("zensical-site") / "site"
    result = run_build(kits, out, "--moteur", "zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def corpus(kits: Path):
    corpus, report = checks.check_kits(kits)
    assert not report.errors
    return corpus


def _html(page_path: str) -> str:
    return page_path[:-3] + ".html"


class _Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, value))


def _links(path: Path) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def test_the_engine_is_in_the_table():
    assert ENGINES["zensical"] == "kitcore.engines.zensical.engine"


def test_every_page_part_challenge_and_download_of_the_model_is_published(site: Path, corpus):
    downloads = 0
    for audience in corpus.audiences:
        centre = pages.build_centre(corpus, audience.id)
        out = site / audience.id
        assert centre.kits, audience.id
        for page in centre.pages:
            assert (out / _html(page.path)).is_file(), f"{audience.id}: {page.path}"
        for kit in centre.kits:
            for part in parts.of(kit.sections):
                assert (out / "kits" / kit.id / f"{part.id}.html").is_file()
        for challenge in corpus.challenges:
            assert (out / "enjeux" / challenge.id / "index.html").is_file()
        downloads += len(centre.assets)
        for asset in centre.assets:
            published = (out / asset.path).read_bytes()
            assert published == (asset.content if asset.content is not None else asset.source.read_bytes()), asset.path
        # The project's own pages (docs/) too, in the same navigation as with MkDocs.
        for name in ("a-propos", "contribuer", "licence", "accessibilite", "contenus-autorises"):
            assert (out / f"{name}.html").is_file()
    assert downloads >= 4  # kit-a's CSV and the .ods made from it, in two centres


def test_a_kit_page_shows_its_title_parts_and_download(site: Path, corpus):
    kit = corpus.kit("kit-a")
    home = (site / "associations" / "kits" / "kit-a" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{kit.titre} - " in home
    toolbox = (site / "associations" / "kits" / "kit-a" / f"{TOOLS.id}.html").read_text(encoding="utf-8")
    assert 'href="fichiers/grille.csv"' in toolbox and 'href="fichiers/grille.ods"' in toolbox
    # The navigation lists the kit's parts under its challenge, in the part table's order.
    labels = [p.label for p in parts.of(kit.sections)]
    positions = [home.find(f">{label}<") if f">{label}<" in home else home.find(label) for label in labels]
    assert all(p > 0 for p in positions) and positions == sorted(positions), labels


def test_every_internal_link_and_asset_resolves(site: Path):
    checked = 0
    # 404 pages are served at any depth, so they link from the host's root on purpose (kitcore.notfound).
    for page in (p for p in site.rglob("*.html") if p.name != "404.html"):
        for tag, link in _links(page):
            parts_ = urlsplit(link)
            if parts_.scheme or link.startswith(("#", "//")) or not parts_.path:
                continue
            target = (page.parent / unquote(parts_.path)).resolve()
            assert target.is_relative_to(site.resolve()), f"{page.relative_to(site)}: {link} leaves the site"
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)}: <{tag}> {link} does not resolve"
            checked += 1
    assert checked > 500  # the count shows the walk really read the pages


def test_pages_load_nothing_from_the_network(site: Path):
    for page in (site / "associations").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        for tag, link in _links(page):
            if tag in ("script", "link", "img", "source", "iframe"):
                assert not re.match(r"^(https?:)?//", link), f"{page}: <{tag}> {link}"


def test_french_interface(site: Path):
    home = (site / "entreprises" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', home).group(1))
    assert config["translations"]["search.result.none"] == "Aucun document trouvé"
    assert "Made with" not in home and "générés avec Zensical" in home
    assert 'title="Lien vers cette section"' in home  # the permalink title of mkdocs.yml's toc settings


def test_kit_html_is_sanitised_and_glossary_terms_marked(site: Path):
    method = (site / "associations" / "kits" / "kit-a" / "methodologie.html").read_text(encoding="utf-8")
    assert "Survolez-moi" in method and "onmouseover" not in method
    frame = (site / "associations" / "kits" / "kit-a" / "cadre-de-reference.html").read_text(encoding="utf-8")
    assert 'class="terme-glossaire" href="../../glossaire.html#devoir-d-alliances"' in frame
    assert (site / "associations" / "glossaire.html").is_file()
    # The figures of chiffres.yml are filled in by the adapter in the trusted docs/ pages, as mkdocs-macros does.
    about = (site / "associations" / "a-propos.html").read_text(encoding="utf-8")
    assert "{{" not in about and "{%" not in about


def test_downloads_carry_their_printed_address(site: Path):
    toolbox = (site / "associations" / "kits" / "kit-a" / f"{TOOLS.id}.html").read_text(encoding="utf-8")
    assert "(adresse\u00a0: kits/kit-a/fichiers/grille.csv, dans le dossier du centre)" in toolbox


def test_the_offline_zip_and_portal_are_built(site: Path, corpus):
    for audience in corpus.audiences:
        assert (site / f"{audience.id}.zip").stat().st_size > 10_000
    assert (site / "index.html").is_file()
    # The French search index (kitcore.search) is written beside the pages.
    assert (site / "associations" / "recherche" / "index.js").is_file()
    # Zensical's own search index is not published: the project's search replaces it.
    assert not (site / "associations" / "search.json").exists()
    # The exports of the same centre model: open data and news feed.
    assert (site / "associations" / "donnees.json").is_file() and (site / "associations" / "flux.xml").is_file()


def test_make_build_engine_zensical_installs_and_selects_it():
    plan = subprocess.run(["make", "-n", "build", "ENGINE=zensical"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    assert "--moteur zensical" in plan
    default = subprocess.run(["make", "-n", "build"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "--moteur mkdocs" in default and "requirements-zensical.txt" not in default
    # make install-dev (and so make test) installs it too: the tests build with it.
    dev = subprocess.run(["make", "-n", "-B", "install-dev"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "-r requirements-zensical.txt" in dev


def test_the_generated_project_has_no_mkdocs_hook(tmp_path: Path, corpus, kits: Path):
    job = CentreJob(corpus, pages.build_centre(corpus, "associations"), kits, tmp_path / "out", False)
    config = json.loads(project.write_project(job, tmp_path / "projet").read_text(encoding="utf-8"))
    assert "hooks" not in config and config["plugins"] == {"search": {"enabled": False}}
    assert config["theme"]["language"] == "fr" and config["theme"]["font"] is False
    assert config["use_directory_urls"] is False
    assert not any("material." in json.dumps(ext) for ext in config["markdown_extensions"])
    # Derived from mkdocs.yml, declared there once: stylesheets, scripts, Markdown extensions, pages outside the nav.
    shared = settings.read_mkdocs(ROOT / "mkdocs.yml")
    for key in ("extra_css", "extra_javascript", "not_in_nav", "edit_uri"):
        assert config[key] == shared[key], key
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert names[:-1] == [next(iter(e)) if isinstance(e, dict) else e for e in shared["markdown_extensions"]]
    assert names[-1] == "kitcore.engines.zensical.pagehtml"


def test_page_html_rules():
    rules = pagehtml.Rules("associations", None, frozenset({"licence.md"}), frozenset({"kits/k/index.md"}))
    hostile = '<p>a</p><script>alert(1)</script><a href="javascript:alert(1)">b</a>'
    kit = pagehtml.page_html(hostile, "kits/k/index.md", rules)
    assert "<script" not in kit and "javascript:" not in kit and "<p>a</p>" in kit
    assert "<script" not in pagehtml.page_html(hostile, "enjeux/x/index.md", rules)  # generated, not trusted
    assert pagehtml.page_html(hostile, "licence.md", rules) == hostile  # the project's own page, as written


def test_a_site_built_by_one_engine_is_not_reused_by_the_other(site: Path, kits: Path, tmp_path: Path):
    out = tmp_path / "site"
    assert run_build(kits, out, "--moteur", "zensical", "--centre", "territoires").returncode == 0
    again = run_build(kits, out, "--centre", "territoires")
    assert again.returncode == 0, again.stderr
    assert "Rien n'a changé" not in again.stdout
    assert "Zensical" not in (out / "territoires" / "index.html").read_text(encoding="utf-8")


def test_the_audience_colours_and_the_offline_bar_are_in_every_page(site: Path):
    for page in (site / "associations").rglob("*.html"):
        if page.name == "404.html":
            continue
        text = page.read_text(encoding="utf-8")
        assert "--md-primary-fg-color:" in text, page
        assert re.search(r'<span class="centre-archive__en-ligne seulement-en-ligne"><a class="centre-archive__lien" '
                         r'href="[./]*associations\.zip" download>Télécharger ce centre pour une consultation hors ligne</a> '
                         r'\(zip, <a class="centre-archive__portail" href="[./]*index\.html#centre-associations">', text), page
        assert ('<span class="seulement-hors-ligne" hidden><span class="centre-archive__hors-ligne">Vous consultez la '
                "version hors ligne de ce centre.</span></span>") in text, page
        assert re.search(r'<link rel="stylesheet" href="[./]*assets/kitcore/copie\.css">', text), page
    # The online stylesheet of the variants online, its offline version in the zip (kitcore.copies).
    assert (site / "associations" / copies.STYLESHEET).read_bytes() == copies.stylesheet(offline=False)
    with zipfile.ZipFile(site / "associations.zip") as zf:
        assert zf.read(f"associations/{copies.STYLESHEET}") == copies.stylesheet(offline=True)


def test_a_link_to_another_centre_has_its_offline_variant(site: Path):
    """« Voir aussi » from territoires to a kit of associations: online the other centre, offline the local page."""
    text = (site / "territoires" / "kits" / "kit-c" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="lien-autre-centre seulement-en-ligne" href="\.\./\.\./\.\./associations/kits/kit-a/'
                     r'index\.html"[^>]*>Évaluer ensemble</a><span class="seulement-hors-ligne" hidden(="")?>'
                     r'<a class="lien-autre-centre" href="\.\./\.\./ailleurs/kit-a\.html"[^>]*>Évaluer ensemble</a></span>',
                     text), text[text.find("Voir aussi"):][:600]
    assert (site / "territoires" / "ailleurs" / "kit-a.html").is_file()
    assert ('<span class="seulement-hors-ligne" hidden><a class="centre-portail lien-portail" '
            'href="../../autres-centres.html">') in text


def test_the_project_overrides_apply_with_zensical_as_with_mkdocs(site: Path, kits: Path, tmp_path: Path):
    # README « Deux moteurs »: the same overrides/ (search box, « Tous les centres », « Proposer une amélioration »
    # with its edit link, print button, « Précédent / Suivant » of kitcore.neighbours) in both engines.
    mkdocs = tmp_path / "site"
    assert run_build(kits, mkdocs, "--centre", "entreprises").returncode == 0
    same = ('<form class="recherche"', "recherche/search.js", 'class="centre-portail lien-portail"',
            "Proposer une amélioration", "data-imprimer", "Accessibilité&nbsp;: partiellement conforme")
    pages_ = ("index.html", "kits/kit-a/index.html", "kits/kit-a/imprimer.html", "a-propos.html")
    for name, out in (("mkdocs", mkdocs), ("zensical", site)):
        text = "".join((out / "entreprises" / p).read_text(encoding="utf-8") for p in pages_)
        for marker in same:
            assert marker in text, f"{name}: {marker}"
        assert "md-footer__link" in text, name
    for page in ("index.html", "kits/kit-a/index.html", "kits/kit-a/methodologie.html", "a-propos.html",
                 "enjeux/evaluation/index.html"):
        links = [re.findall(r'href="([^"]*)" rel="edit"', (out / "entreprises" / page).read_text(encoding="utf-8"))
                 for out in (mkdocs, site)]
        assert links[0] == links[1] and len(links[0]) == 1, page
    assert links[0] == ["https://github.com/centres-de-ressources/centres/edit/main/kits/enjeux.yml"]
    # « Précédent » / « Suivant »: the same links, directions and titles on every page of the centre.
    footer = re.compile(r'<a href="([^"]*)" class="md-footer__link[^"]*" aria-label="([^"]*)"')
    compared = 0
    for page in sorted((mkdocs / "entreprises").rglob("*.html")):
        rel = page.relative_to(mkdocs / "entreprises")
        if rel.name == "404.html":
            continue
        steps = [[(h, unescape(label)) for h, label in footer.findall((out / "entreprises" / rel).read_text("utf-8"))]
                 for out in (mkdocs, site)]
        assert steps[0] == steps[1], rel
        compared += len(steps[0])
    assert compared > 20


def test_titles_are_shown_as_written(site: Path):
    home = (site / "entreprises" / "kits" / "kit-b" / "index.html").read_text(encoding="utf-8")
    assert "<b>vite</b>" not in home and "&amp;lt;" not in home
    # What a reader sees (entities decoded once) is the title as written: in <title>, <h1> and the navigation.
    assert unescape(re.search(r"<title>(.*?)</title>", home).group(1)) == f"{TITLE} - Centre des entreprises"
    assert unescape(re.search(r'<h1 id="[^"]*">(.*?)<a class="headerlink"', home).group(1)) == TITLE
    # The header and the navigation print the same text, escaped once (kitcore.engines.material.dialect.template_text).
    printed = [line.strip() for line in home.splitlines() if line.strip().startswith("Numériser")]
    assert len(printed) >= 3 and all(unescape(line) == TITLE for line in printed), printed


def test_the_sidebar_lists_every_kit_of_the_open_challenge(tmp_path: Path):
    # README « Deux moteurs »: no bounded window (kitcore.engines.mkdocs.sidebar) without the MkDocs hook.
    tree = copy_kits(FIXTURES / "corpus", tmp_path / "kits")
    count = 2 * sidebar.NEIGHBOURS + 3  # more kits in one challenge than the MkDocs sidebar lists
    for i in range(count):
        kit = tree / f"kit-serie-{i:02d}"
        shutil.copytree(tree / "kit-c", kit)
        yml = kit / "kit.yml"
        yml.write_text(yml.read_text(encoding="utf-8").replace("Animer un territoire", f"Série numéro {i}"),
                       encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(tree, out, "--moteur", "zensical", "--centre", "territoires")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (out / "territoires" / "kits" / "kit-serie-00" / "index.html").read_text(encoding="utf-8")
    listed = {int(n) for n in re.findall(r"Série numéro (\d+)", page)}
    assert listed == set(range(count))
    assert sidebar.more_label(count + 1) not in page


@pytest.mark.browser
def test_zensical_pages_pass_axe_and_search_from_the_unpacked_zip(site: Path, browser, tmp_path: Path):
    # The same audit as the MkDocs build's (test_accessibility): every page type, the search results open, the 404,
    # from a zip unpacked alone and opened from disk (file://), with no network.
    from test_accessibility import audit_centre, axe_source

    axe = axe_source()
    with zipfile.ZipFile(site / "associations.zip") as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / "associations"
    problems = audit_centre(browser, axe, folder.as_uri(), folder, (folder / "404.html").as_uri(), offline=True)
    assert problems == [], "\n".join(problems)


def test_without_zensical_the_build_says_how_to_install_it(monkeypatch, corpus, kits: Path, tmp_path: Path):
    monkeypatch.setattr(engine.importlib.util, "find_spec", lambda name: None)
    job = CentreJob(corpus, pages.build_centre(corpus, "associations"), kits, tmp_path / "out", False)
    [outcome] = list(engine.render([job], 1))
    assert not outcome.ok and outcome.output == engine.MISSING and "make build ENGINE=zensical" in outcome.output
    assert not job.out.exists()


def test_a_zensical_failure_is_one_line_not_a_traceback(monkeypatch, corpus, kits: Path, tmp_path: Path):
    # A theme template Zensical cannot render (a Python string method, which MiniJinja lacks).
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "main.html").write_text('{% extends "base.html" %}{% block content %}{{ "a".rstrip() }}{% endblock %}',
                                     encoding="utf-8")
    monkeypatch.setattr(project, "THEME", theme)
    job = CentreJob(corpus, pages.build_centre(corpus, "associations"), kits, tmp_path / "out", False)
    [outcome] = list(engine.render([job], 1))
    assert not outcome.ok
    assert "Zensical a échoué : " in outcome.output and "rstrip" in outcome.output
    assert "Traceback" not in outcome.output
    assert not job.out.exists() and list(tmp_path.glob(".zensical-*")) == []  # nothing left behind
