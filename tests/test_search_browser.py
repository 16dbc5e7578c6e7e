"""French search in headless Chromium: a table of queries against a built centre and against the portal,
offline (file://) and online (http://)."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from conftest import FIXTURES, build_once

pytestmark = pytest.mark.browser
KITS = FIXTURES / "search-kits"

# The centre where each fixture kit is searched (its first audience) and the name the portal shows for it.
HOME = {
    "evaluer-un-partenariat": ("associations", "Associations"),
    "choisir-son-mode-d-evaluation": ("associations", "Associations"),
    "hybrider-son-modele": ("associations", "Associations"),
    "mobiliser-les-benevoles": ("associations", "Associations"),
    "mecenat-de-competences": ("entreprises", "Entreprises"),
    "communs-numeriques": ("territoires", "Territoires"),
    "investir-dans-l-impact": ("investisseurs", "Investisseurs sociétaux"),
    "alliances-territoriales": ("territoires", "Territoires"),
}

# What readers type, and the kit that must come up among the first three kits of the results.
QUERIES: list[tuple[str, str]] = [
    ("evaluation", "evaluer-un-partenariat"),
    ("évaluation", "evaluer-un-partenariat"),
    ("Évaluations", "choisir-son-mode-d-evaluation"),
    ("évaluer", "evaluer-un-partenariat"),
    ("EVALUER", "evaluer-un-partenariat"),
    ("l'évaluation", "choisir-son-mode-d-evaluation"),
    ("l’hybridation", "hybrider-son-modele"),
    ("l'hybridation", "hybrider-son-modele"),
    ("hybridation", "hybrider-son-modele"),
    ("hybrider son modèle", "hybrider-son-modele"),
    ("hybrid", "hybrider-son-modele"),  # type-ahead: an unfinished word
    ("benevolat", "mobiliser-les-benevoles"),
    ("Bénévoles", "mobiliser-les-benevoles"),
    ("fidéliser les bénévoles", "mobiliser-les-benevoles"),
    ("service civique", "mobiliser-les-benevoles"),
    ("banque alimentaire", "mobiliser-les-benevoles"),
    ("mécénat", "mecenat-de-competences"),
    ("mecenat de competences", "mecenat-de-competences"),
    ("mécène", "mecenat-de-competences"),  # a kit's mots_cles
    ("réduction d'impôt", "mecenat-de-competences"),
    ("salariés volontaires", "mecenat-de-competences"),
    ("logiciels libres", "communs-numeriques"),
    ("communs numériques", "communs-numeriques"),
    ("données ouvertes", "communs-numeriques"),
    ("open source", "communs-numeriques"),
    ("mutualiser", "communs-numeriques"),
    ("finance solidaire", "investir-dans-l-impact"),
    ("titres associatifs", "investir-dans-l-impact"),
    ("impact sociétal", "investir-dans-l-impact"),
    ("prêts participatifs", "investir-dans-l-impact"),
    ("collectivités", "alliances-territoriales"),
    ("catalyseur territorial", "alliances-territoriales"),
    ("coopération", "alliances-territoriales"),
    ("relation partenariale", "evaluer-un-partenariat"),
    ("comité de suivi", "evaluer-un-partenariat"),
    ("indicateurs partagés", "evaluer-un-partenariat"),
    ("pertinence", "choisir-son-mode-d-evaluation"),
    ("tableaux de bord", "choisir-son-mode-d-evaluation"),
    ("richesses humaines", "hybrider-son-modele"),
    ("cotisations", "hybrider-son-modele"),
    ("ressourcerie", "hybrider-son-modele"),
]
# Queries that must find nothing: absent words, and words that exist but never together.
NOTHING = ["cryptomonnaie", "football", "xylophone", "pâtisserie", "astronaute", "évaluation football"]


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search fixture kits built once, every centre and the portal."""
    return build_once(tmp_path_factory, KITS, "search")


@pytest.fixture(scope="module")
def http_root(search_site: Path):
    """The built site served over HTTP on a free local port."""
    handler = functools.partial(_QuietHandler, directory=str(search_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        pass


class Pages:
    """One browser tab per URL, kept open across the queries of the module."""

    def __init__(self, browser) -> None:
        self.context = browser.new_context()
        self.tabs: dict[str, object] = {}
        self.errors: list[str] = []

    def get(self, url: str):
        if url not in self.tabs:
            page = self.context.new_page()
            page.on("pageerror", lambda e: self.errors.append(str(e)))
            page.goto(url)
            self.tabs[url] = page
        return self.tabs[url]


@pytest.fixture(scope="module")
def tabs(browser):
    pages = Pages(browser)
    yield pages
    pages.context.close()
    assert not pages.errors, pages.errors


def search(page, query: str) -> dict:
    """Type a query and return the status line and the results as the page shows them."""
    page.fill("#recherche-champ", query)
    page.wait_for_function(
        "() => { const s = document.querySelector('.recherche__etat');"
        " return s && !s.textContent.startsWith('Chargement'); }"
    )
    return page.evaluate(
        """() => ({
            status: document.querySelector('.recherche__etat').textContent,
            results: [...document.querySelectorAll('li.recherche__resultat')].map(li => ({
                kit: li.dataset.kit || null,
                partie: li.dataset.partie || '',
                centres: (li.dataset.centre || '').split(' ').filter(Boolean),
                titre: li.querySelector('.recherche__titre').textContent,
                shownPartie: (li.querySelector('.recherche__partie') || {}).textContent || '',
                centreNames: [...li.querySelectorAll('.recherche__centre')].map(a => a.textContent),
                href: li.querySelector('a.recherche__lien').href,
            })),
        })"""
    )


def first_kits(results: list[dict], count: int = 3) -> list[str]:
    """The first `count` distinct kits among the results, in rank order."""
    kits: list[str] = []
    for r in results:
        if r["kit"] and r["kit"] not in kits:
            kits.append(r["kit"])
    return kits[:count]


def kit_title(kit_id: str) -> str:
    for line in (KITS / kit_id / "kit.yml").read_text(encoding="utf-8").splitlines():
        if line.startswith("titre:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(kit_id)


def test_query_table_is_large_enough() -> None:
    assert len(QUERIES) >= 30 and len(NOTHING) >= 5
    assert {kit for _, kit in QUERIES} == set(HOME)


@pytest.mark.parametrize(("query", "kit"), QUERIES)
def test_centre_search_finds_the_kit_offline(search_site: Path, tabs: Pages, query: str, kit: str) -> None:
    centre, _ = HOME[kit]
    page = tabs.get((search_site / centre / "index.html").as_uri())
    shown = search(page, query)
    assert kit in first_kits(shown["results"]), (query, shown["status"], [r["kit"] for r in shown["results"]])
    hit = next(r for r in shown["results"] if r["kit"] == kit)
    # A result names the kit and the part it comes from.
    assert hit["titre"] == kit_title(kit)
    assert hit["shownPartie"] in ("Présentation du kit", "Cadre de référence", "Illustrations", "Méthodologie",
                                  "Boîte à outils")
    assert hit["href"].startswith("file://") and f"/{centre}/kits/{kit}/" in hit["href"]


@pytest.mark.parametrize(("query", "kit"), QUERIES)
def test_portal_search_finds_the_kit_with_its_centre_online(http_root: str, tabs: Pages, query: str, kit: str) -> None:
    centre, name = HOME[kit]
    page = tabs.get(f"{http_root}/index.html")
    shown = search(page, query)
    assert kit in first_kits(shown["results"]), (query, shown["status"], [r["kit"] for r in shown["results"]])
    hit = next(r for r in shown["results"] if r["kit"] == kit)
    assert centre in hit["centres"] and name in hit["centreNames"]
    assert hit["href"].startswith(f"{http_root}/") and f"/kits/{kit}/" in hit["href"]


@pytest.mark.parametrize("query", NOTHING)
def test_queries_without_answer_find_nothing(search_site: Path, http_root: str, tabs: Pages, query: str) -> None:
    for url in ((search_site / "associations" / "index.html").as_uri(), f"{http_root}/index.html"):
        shown = search(tabs.get(url), query)
        assert shown["results"] == [], (url, query)
        assert shown["status"].startswith("Aucun résultat pour « "), shown["status"]


def test_stop_words_alone_ask_for_a_better_query(search_site: Path, tabs: Pages) -> None:
    shown = search(tabs.get((search_site / "associations" / "index.html").as_uri()), "le la des")
    assert shown["results"] == [] and shown["status"].startswith("Précisez votre recherche")


def test_titles_and_summaries_rank_above_running_text(search_site: Path, tabs: Pages) -> None:
    page = tabs.get((search_site / "associations" / "index.html").as_uri())
    # « bénévoles » is in a kit's title; « bénévolat » only in the text of « Hybrider son modèle ».
    shown = search(page, "bénévolat")
    kits = [r["kit"] for r in shown["results"]]
    assert kits[0] == "mobiliser-les-benevoles" and shown["results"][0]["partie"] == "Présentation du kit"
    assert kits.index("hybrider-son-modele") > kits.index("mobiliser-les-benevoles")
    # « évaluation » is in two kits' titles and in the text of a third: the text-only match comes after both.
    kits = [r["kit"] for r in search(page, "évaluation")["results"]]
    assert kits.index("hybrider-son-modele") > max(kits.index("evaluer-un-partenariat"),
                                                    kits.index("choisir-son-mode-d-evaluation"))
    first_kit_result = next(r for r in search(page, "évaluation")["results"] if r["kit"])
    assert first_kit_result["partie"] == "Présentation du kit"


def test_results_name_the_part_they_come_from(search_site: Path, tabs: Pages) -> None:
    page = tabs.get((search_site / "associations" / "index.html").as_uri())
    shown = search(page, "grille d'évaluation")
    parts = {r["partie"] for r in shown["results"] if r["kit"] == "evaluer-un-partenariat"}
    assert "Boîte à outils" in parts
    shown = search(page, "méthodologie")
    assert {r["shownPartie"] for r in shown["results"] if r["kit"]} == {"Méthodologie"}
    assert len({r["kit"] for r in shown["results"] if r["kit"]}) == 4  # the four kits of this centre


def test_a_result_opens_its_page_offline_without_network(search_site: Path, browser) -> None:
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto((search_site / "associations" / "kits" / "hybrider-son-modele" / "methodologie.html").as_uri())
    search(page, "l'évaluation partenariale")
    page.locator("li.recherche__resultat a.recherche__lien").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/associations/kits/evaluer-un-partenariat/index.html")
    assert page.locator("h1").first.inner_text().startswith("Évaluer un partenariat")
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
    context.close()


def test_portal_search_works_offline_and_opens_the_centre_page(search_site: Path, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto((search_site / "index.html").as_uri())
    shown = search(page, "mécénat de compétences")
    hit = shown["results"][0]
    assert hit["kit"] == "mecenat-de-competences" and hit["centres"] == ["entreprises", "fondations"]
    assert hit["centreNames"] == ["Entreprises", "Fondations"]
    page.locator("li.recherche__resultat").first.locator("a.recherche__centre[data-centre=fondations]").click()
    page.wait_for_load_state()
    assert "/fondations/kits/mecenat-de-competences/" in page.url
    context.close()


def test_enter_opens_the_first_result_and_query_string_prefills(search_site: Path, http_root: str, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{http_root}/territoires/index.html?q=logiciels%20libres")
    page.wait_for_selector("li.recherche__resultat")
    assert page.locator("li.recherche__resultat").first.get_attribute("data-kit") == "communs-numeriques"
    page.locator("#recherche-champ").press("Enter")
    page.wait_for_url("**/territoires/kits/communs-numeriques/**")
    context.close()


def test_real_kits_find_evaluation_with_and_without_accents(built_site: Path, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto((built_site / "associations" / "index.html").as_uri())
    found = []
    for query in ("évaluation", "evaluation", "Évaluations", "évaluer"):
        kits = [r["kit"] for r in search(page, query)["results"] if r["kit"]]
        assert any("evaluation" in k for k in kits), (query, kits)
        found.append(kits)
    assert found[0] == found[1] == found[2]  # accents and plural change nothing
    context.close()
