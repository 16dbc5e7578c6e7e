"""What readers see, in headless Chromium on the real kits: 404 pages wherever served, no offline dead end, the
home page above the fold, the phone layout, search snippets and ranking, the printable kit, French everywhere."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from kitcore import colours, elsewhere, parts
from test_accessibility import TOOLBOX, serve

AUDIENCES = {a["id"]: a for a in yaml.safe_load((ROOT / "kits" / "publics.yml").read_text(encoding="utf-8"))}
# Interface strings of the theme and the Markdown extensions that must not reach a reader.
ENGLISH = ["Made with", "Jump back to footnote", "404 - Not found", "Skip to content", "Back to top", "Previous",
           "Next", "Table of contents", "Edit this page", "Search</", "Type to start searching", "Copy to clipboard"]


def test_no_english_interface_string_in_any_page(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 200
    found = [f"{p.relative_to(built_site)} : {s}" for p in pages for s in ENGLISH if s in p.read_text(encoding="utf-8")]
    assert not found, "\n".join(found[:20])
    footnotes = [p for p in pages if 'class="footnote-backref"' in p.read_text(encoding="utf-8")]
    assert footnotes, "aucune note de bas de page dans les kits : le test ne prouve rien"
    assert 'title="Revenir à la note 1 dans le texte"' in footnotes[0].read_text(encoding="utf-8")


def test_every_centre_page_links_back_to_every_centre(built_site: Path) -> None:
    for centre in AUDIENCES:
        for page in sorted((built_site / centre).rglob("*.html"))[:40]:
            if page.name == "404.html":
                continue
            html = page.read_text(encoding="utf-8")
            assert re.search(r'<a class="centre-portail lien-portail seulement-en-ligne" href="[^"]*\.\./index\.html"',
                             html), page
            # Its offline variant, for the zip: the local page about every centre.
            assert re.search(r'<span class="seulement-hors-ligne" hidden><a class="centre-portail lien-portail" '
                             r'href="[^"]*autres-centres\.html"', html), page
            assert "Tous les centres" in html and "api.github.com" not in html


@pytest.fixture(scope="module")
def sub_folder(built_site: Path):
    """The site served in a sub-folder of a host, as GitHub Pages serves a project's site."""
    server, base = serve(built_site, "/sous/dossier")
    yield base
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_404_pages_are_styled_and_lead_home_from_any_depth_and_folder(browser, sub_folder: str) -> None:
    context = browser.new_context()
    failures: list[str] = []
    context.on("response", lambda r: r.status >= 400 and "absent" not in r.url and failures.append(r.url))
    try:
        page = context.new_page()
        page.goto(f"{sub_folder}/territoires/kits/absent/tres/profond.html")
        assert page.locator("h1").inner_text() == "Page introuvable"
        header = page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
        r, g, b = (int(x) for x in re.findall(r"\d+", header)[:3])
        assert f"#{r:02x}{g:02x}{b:02x}" == colours.centre_colours(AUDIENCES["territoires"]["couleur"]).primary
        assert page.evaluate("document.documentElement.scrollHeight") < 1500  # not the 8,936 px unstyled page
        page.get_by_role("link", name=re.compile("^Accueil du centre")).click()
        assert page.url == f"{sub_folder}/territoires/index.html"
        assert AUDIENCES["territoires"]["titre_centre"] in page.locator("article h1").inner_text()
        # The 404's search box opens the centre's search with the query.
        page.goto(f"{sub_folder}/territoires/absent.html")
        page.fill("#q", "coopération")
        page.get_by_role("button", name="Rechercher").click()
        page.wait_for_selector("li.recherche__resultat")
        assert page.url.startswith(f"{sub_folder}/territoires/index.html?q=")
        page.goto(f"{sub_folder}/territoires/absent.html")
        page.get_by_role("link", name="Tous les centres de ressources").click()
        assert page.url == f"{sub_folder}/index.html"
    finally:
        context.close()
    assert not failures, failures


@pytest.mark.browser
def test_portal_404_served_for_every_address_names_the_centre(browser, built_site: Path) -> None:
    """GitHub Pages serves the site's root 404.html for any missing address, in a centre's folder too."""
    server, base = serve(built_site, "/projet", root_only=True)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/fondations/kits/absent/index.html")
        assert page.locator("h1").inner_text() == "Page introuvable"
        assert AUDIENCES["fondations"]["nom"] in page.locator("[data-centre-courant]").inner_text()
        page.get_by_role("link", name=AUDIENCES["territoires"]["titre_centre"]).click()
        assert page.url == f"{base}/territoires/index.html"
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_404_script_tells_centres_called_like_its_own_targets_apart(browser, tmp_path: Path) -> None:
    """A centre may be called « portail » or « centre-courant »: its link and its name stay its own."""
    from kitcore import notfound

    centres = [notfound.CentreLink("portail", "Public du portail", "Centre du portail"),
               notfound.CentreLink("centre-courant", "Public courant", "Centre courant")]
    page_file = tmp_path / "site" / "centre-courant" / "kits" / notfound.FILE
    page_file.parent.mkdir(parents=True)
    page_file.write_text(notfound.render_not_found(centres), encoding="utf-8")
    root = (tmp_path / "site").as_uri()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        assert page.get_by_role("link", name="Tous les centres de ressources").get_attribute("href") == f"{root}/index.html"
        assert page.get_by_role("link", name="Centre du portail").get_attribute("href") == f"{root}/portail/index.html"
        assert "Public courant" in page.locator("[data-centre-courant]").inner_text()
    finally:
        context.close()


@pytest.mark.browser
def test_offline_links_to_other_centres_open_local_french_pages(browser, built_site: Path, tmp_path: Path) -> None:
    centre = next(c for c in AUDIENCES if (built_site / c / elsewhere.FOLDER).is_dir())
    with zipfile.ZipFile(built_site / f"{centre}.zip") as zf:
        zf.extractall(tmp_path)
    folder = tmp_path / centre
    kit_page = next(p for p in sorted((folder / "kits").glob("*/index.html"))
                    if f'class="{elsewhere.KIT_CLASS}' in p.read_text(encoding="utf-8"))
    context = browser.new_context()
    failed: list[str] = []
    context.on("requestfailed", lambda r: failed.append(r.url))
    try:
        page = context.new_page()
        page.goto(kit_page.as_uri())
        link = page.locator(f"a.{elsewhere.KIT_CLASS}:visible").first  # the offline variant, which the zip shows
        title = link.inner_text()
        link.click()
        assert f"/{centre}/{elsewhere.FOLDER}/" in page.url
        assert page.locator("article h1").inner_text().startswith(title)
        assert "ne fait pas partie de cette copie hors ligne" in page.locator("article").inner_text()
        assert ".zip" in page.locator("article").inner_text()
        page.locator("a.lien-portail:visible").first.click()
        assert page.url.endswith(f"/{centre}/{elsewhere.CENTRES_PAGE}.html")
        for other in AUDIENCES.values():
            assert other["titre_centre"] in page.locator("article").inner_text()
    finally:
        context.close()
    assert not failed, failed


@pytest.mark.browser
def test_home_shows_promise_start_and_challenges_above_the_fold(browser, built_site: Path) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        for centre, audience in AUDIENCES.items():
            page.goto((built_site / centre / "index.html").as_uri())
            assert page.locator(".centre-promesse").inner_text().startswith(audience["description"][:30])
            assert page.locator(".centre-depart h2").inner_text().startswith("Par où commencer")
            cards = page.locator(".centre-enjeux > ul > li")
            assert cards.count() == 4
            for card in cards.all():
                assert re.search(r"\d+ kits?|Aucun kit", card.inner_text())
                assert card.bounding_box()["y"] + card.bounding_box()["height"] <= 768, centre
            # The left menu is shown, with the shared pages a reader looks for.
            assert page.locator(".md-sidebar--primary").is_visible()
            assert page.locator(".md-footer-meta").get_by_role("link", name="Contribuer").count() == 1
    finally:
        context.close()


@pytest.mark.browser
def test_phone_layout(browser, built_site: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto((built_site / "associations" / "index.html").as_uri())
        box = page.locator("#recherche-champ").bounding_box()
        assert box["width"] >= 300, box
        title = page.locator(".md-header__topic:first-child .md-ellipsis")
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "titre du centre coupé"
        assert AUDIENCES["associations"]["titre_centre"] in title.inner_text()
        banner = page.locator(".md-banner")
        assert banner.bounding_box()["height"] <= 50
        # Typed text stays clear of the « × » button: the field scrolls its text rather than running under it.
        page.fill("#recherche-champ", "partenariat")
        page.get_by_role("button", name="Fermer ce bandeau").click()
        assert not banner.is_visible()
        page.goto((built_site / "associations" / "enjeux" / "numerique" / "index.html").as_uri())
        assert not page.locator(".md-banner").is_visible(), "bandeau fermé : il le reste d'une page à l'autre"
    finally:
        context.close()


def _search(page, query: str) -> list[dict]:
    page.fill("#recherche-champ", query)
    page.wait_for_selector("li.recherche__resultat")
    return page.evaluate("""() => [...document.querySelectorAll('li.recherche__resultat')].map(li => ({
        kit: li.dataset.kit || null, partie: li.dataset.partie || '',
        marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
        outil: (li.querySelector('.recherche__outil') || {}).textContent || '',
        extrait: (li.querySelector('.recherche__extrait') || {}).textContent || ''}))""")


@pytest.mark.browser
def test_search_snippets_highlight_and_rank_whole_words(browser, built_site: Path) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((built_site / "associations" / "index.html").as_uri())
        results = _search(page, "dons")
        kits = [r["kit"] for r in results]
        assert "diversifier-ses-ressources" in kits
        # « données » is a completion of « don », not the word: its pages come after « Diversifier ses ressources ».
        numerique = [i for i, r in enumerate(results) if r["kit"] == "reussir-sa-transformation-numerique"]
        assert not numerique or kits.index("diversifier-ses-ressources") < numerique[0]
        hit = next(r for r in results if r["kit"] == "diversifier-ses-ressources")
        assert any(m.lower() in ("dons", "don") for m in hit["marks"]), hit
        # The snippet is the passage around the word, not the page's first sentence.
        assert "dons" in hit["extrait"].lower()
        results = _search(page, "grille de priorisation")
        tool = next(r for r in results if r["kit"] == "diversifier-ses-ressources" and r["outil"])
        assert tool["outil"].startswith("Outil : Grille de priorisation des pistes — ")
        assert "priorisation" in [m.lower() for m in tool["marks"]]
    finally:
        context.close()


@pytest.mark.browser
def test_printable_kit_has_a_button_short_lines_and_printed_addresses(browser, built_site: Path) -> None:
    printable = built_site / "associations" / "kits" / "diversifier-ses-ressources" / "imprimer.html"
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        page.goto(printable.as_uri())
        assert page.get_by_role("button", name="Imprimer ce kit ou l'enregistrer en PDF").is_visible()
        width = page.locator("article").evaluate("e => e.getBoundingClientRect().width")
        assert width <= 760, f"lignes de {width} px"
        address = page.locator(".adresse-imprimee").first
        assert not address.is_visible()
        page.emulate_media(media="print")
        assert address.is_visible()
        assert re.search(r"kits/diversifier-ses-ressources/fichiers/\S+\.csv", address.inner_text())
        assert not page.get_by_role("button", name=re.compile("^Imprimer")).is_visible()
    finally:
        context.close()


def test_kit_steps_stay_in_the_kit_and_name_it(built_site: Path) -> None:
    kit = built_site / "associations" / "kits" / "diversifier-ses-ressources"
    home = (kit / "index.html").read_text(encoding="utf-8")
    assert re.search(r'aria-label="Suivant : Cadre de référence"', home)
    assert re.search(r'aria-label="Kit précédent : [^"]+"', home)
    toolbox = (kit / f"{TOOLBOX}.html").read_text(encoding="utf-8")
    assert f'aria-label="Précédent : {parts.PARTS[-2].label}"' in toolbox
    # From the last part, « Suivant » is another page of this kit or, named, the next kit.
    following = re.search(r'href="([^"]*)" class="md-footer__link md-footer__link--next" aria-label="(Kit suivant|Suivant) : ', toolbox)
    assert following is None or following.group(2) == "Kit suivant" or "/" not in following.group(1)


def test_csv_downloads_have_a_byte_order_mark(built_site: Path) -> None:
    csvs = sorted((built_site / "associations" / "kits").rglob("*.csv"))
    assert csvs
    for path in csvs:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and not data[3:].startswith(b"\xef\xbb\xbf"), path
        assert b";" in data.splitlines()[0]
