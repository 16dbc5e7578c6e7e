"""The glossary: its registry is validated, each centre has a glossary page, and the first use of a term in a kit
page shows its definition on hover and keyboard focus, as an accessible description (headless Chromium)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from kitcore import checks, glossary, parts

KITS = ROOT / "kits"
# Terms readers meet on every page (the list): the glossary must define each of them.
REQUIRED = ("structure d'intérêt général", "RSO", "RSE", "hybridation", "catalyseur territorial", "form'action",
            "mécénat de compétences", "ESS")


@pytest.fixture(scope="module")
def corpus():
    corpus, report = checks.check_kits(KITS)
    assert report.problems == []
    return corpus


def _broken_glossary(tmp_path: Path, text: str) -> list[str]:
    kits = tmp_path / "kits"
    kits.mkdir()
    for name in ("publics.yml", "enjeux.yml"):
        shutil.copy(KITS / name, kits / name)
    (kits / "glossaire.yml").write_text(text, encoding="utf-8")
    _, report = checks.check_kits(kits)
    return [p.text() for p in report.problems]


def test_the_glossary_defines_the_terms_readers_meet(corpus) -> None:
    terms = {t.terme for t in corpus.glossary}
    assert set(REQUIRED) <= terms
    assert all(len(t.definition) > 40 for t in corpus.glossary)


def test_a_term_defined_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    texts = _broken_glossary(tmp_path, "- id: rse\n  terme: RSE\n  definition: Une définition.\n"
                                       "- id: rse-bis\n  terme: rse\n  definition: Une autre.\n"
                                       "- id: rso\n  terme: RSO\n  variantes: [RSE]\n  definition: Encore une.\n")
    assert texts == [
        "kits/glossaire.yml, ligne 5 : « rse » est déjà défini plus haut (terme « RSE ») : un terme n'a qu'une "
        "définition ; fusionnez les deux entrées ou retirez celle-ci.",
        "kits/glossaire.yml, ligne 9 : « RSE » est déjà défini plus haut (terme « RSE ») : un terme n'a qu'une "
        "définition ; fusionnez les deux entrées ou retirez celle-ci.",
    ]


def test_an_empty_definition_and_a_duplicate_id_are_refused_in_french(tmp_path: Path) -> None:
    texts = _broken_glossary(tmp_path, "- id: rse\n  terme: RSE\n  definition: \"  \"\n"
                                       "- id: rso\n  terme: RSO\n  definition: Un texte.\n"
                                       "- id: rso\n  terme: ESS\n  definition: Un autre.\n")
    assert "kits/glossaire.yml, ligne 3 : « definition » est vide ; écrivez-y un texte." in texts
    assert any("ligne 7 : L'identifiant « rso » est déjà utilisé plus haut" in t for t in texts), texts


def test_marking_takes_the_first_use_outside_headings_links_and_code(corpus) -> None:
    page = ("<h2>La RSE</h2><p>Voir <a href='x'>la RSE</a>.</p><pre><code>RSE</code></pre>"
            "<p>Les structures d’intérêt général et la rse, puis la RSE et encore la RSE.</p>")
    marked = glossary.mark_terms(page, corpus.glossary, "../../glossaire.html")
    assert marked.count('class="terme-glossaire"') == 2  # RSE once, structures d'intérêt général once
    assert marked.startswith("<h2>La RSE</h2><p>Voir <a href='x'>la RSE</a>.</p><pre><code>RSE</code></pre>")
    assert "la rse, puis la <span class=\"glossaire\"><a class=\"terme-glossaire\" href=\"../../glossaire.html#rse\"" \
        in marked  # an acronym matches in capitals only
    assert ">structures d’intérêt général</a>" in marked


def test_definitions_are_escaped_in_the_tooltip() -> None:
    from kitcore.kits import Term

    term = Term(id="x", terme="piège", definition="<img src=x onerror=alert(1)> & fin")
    marked = glossary.mark_terms("<p>Un piège.</p>", [term], "g.html")
    assert "<img" not in marked and "&lt;img src=x onerror=alert(1)&gt; &amp; fin" in marked


class _Counted:
    """Stands for a compiled pattern: counts the calls, and the characters each search is handed."""

    def __init__(self, pattern: re.Pattern[str], totals: dict[str, int]) -> None:
        self._pattern, self._totals = pattern, totals

    def search(self, text: str, pos: int = 0):
        self._totals["searches"] += 1
        self._totals["chars"] += len(text) - pos
        return self._pattern.search(text, pos)

    def match(self, text: str, pos: int = 0):
        self._totals["matches"] += 1
        return self._pattern.match(text, pos)


@pytest.mark.parametrize("count", [1, 40])
def test_marking_reads_each_text_once_whatever_the_number_of_terms(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    from kitcore.kits import Term

    terms = [Term(id=f"t{i}", terme=f"terme{i}", definition=f"Définition {i}.") for i in range(count)]
    segments = 500
    page = "<p>Un texte où aucun mot du glossaire n'apparaît, sauf terme presque.</p>\n" * segments
    page += "<p>Le terme0 puis encore le terme0.</p>"
    found = glossary.matcher(terms)
    totals = {"searches": 0, "chars": 0, "matches": 0}
    monkeypatch.setattr(found, "any", _Counted(found.any, totals))
    monkeypatch.setattr(found, "patterns", [(i, _Counted(p, totals)) for i, p in found.patterns])
    marked = glossary.mark_terms(page, terms, "g.html")
    assert marked.count('class="terme-glossaire"') == 1 and marked.endswith("</span></span> puis encore le terme0.</p>")
    # One pass of the union per text between tags (a search per term and per text was 40 times this), and a
    # term's own pattern only tried where the union found a term starting (the two « terme0 »).
    assert totals["chars"] <= len(page), totals
    assert totals["searches"] <= 2 * segments + 4, totals
    assert totals["matches"] <= 2 * count, totals


def test_the_longest_form_starting_first_wins_across_terms() -> None:
    from kitcore.kits import Term

    terms = [Term(id="court", terme="intérêt", definition="Court."),
             Term(id="long", terme="intérêt général", definition="Long."),
             Term(id="sigle", terme="RSE", definition="Sigle.")]
    marked = glossary.mark_terms("<p>Un intérêt général, un intérêt, la rse, la RSE.</p>", terms, "g.html")
    assert 'href="g.html#long" aria-describedby="glossaire-long-1">intérêt général</a>' in marked
    assert 'href="g.html#court" aria-describedby="glossaire-court-2">intérêt</a>' in marked
    assert "la rse, la <span" in marked and 'glossaire-sigle-3">RSE</a>' in marked


def test_each_centre_has_a_glossary_page_in_its_navigation(built_site: Path, corpus) -> None:
    for audience in corpus.audiences:
        page = (built_site / audience.id / "glossaire.html").read_text(encoding="utf-8")
        for term in corpus.glossary:
            assert f'<dfn id="{term.id}">' in page, (audience.id, term.id)
        home = (built_site / audience.id / "index.html").read_text(encoding="utf-8")
        assert 'href="glossaire.html"' in home


@pytest.mark.browser
def test_focus_and_hover_show_the_definition_which_is_the_accessible_description(built_site: Path, browser) -> None:
    first_part = parts.PARTS[0].id  # the framework, where a kit defines its terms
    url = (built_site / "entreprises" / "kits" / "mecenat-de-competences" / f"{first_part}.html").as_uri()
    page = browser.new_page()
    try:
        page.goto(url)
        term = page.locator("a.terme-glossaire").first
        tip = page.locator(f"#{term.get_attribute('aria-describedby')}")
        assert not tip.is_visible()
        # Keyboard: Tab until the term has the focus; its definition appears.
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('terme-glossaire')"):
                break
        focused = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
        assert focused, "aucun terme du glossaire n'est atteignable au clavier"
        tip = page.locator(f"#{focused}")
        assert tip.is_visible()
        box = tip.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 10
        # Screen readers: the definition is the link's accessible description, read from the accessibility tree.
        cdp = page.context.new_cdp_session(page)
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f'a[aria-describedby="{focused}"]'})
        ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False})
        described = next(n for n in ax["nodes"] if n.get("role", {}).get("value") == "link")
        assert described["description"]["value"] == tip.inner_text().strip()
        assert len(described["description"]["value"]) > 40
        # Escape closes it without moving the focus (WCAG 1.4.13).
        page.keyboard.press("Escape")
        assert not tip.is_visible()
        assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == focused
        # Hover shows it too, and it stays while the pointer moves onto it.
        page.evaluate("document.activeElement.blur()")
        page.mouse.move(0, 0)
        assert not tip.is_visible()
        link = page.locator(f'a[aria-describedby="{focused}"]')
        link.hover()
        assert tip.is_visible()
        tip.hover()
        assert tip.is_visible()
        # The link leads to the definition on the glossary page.
        href = link.get_attribute("href")
        assert re.fullmatch(r"\.\./\.\./glossaire\.html#[a-z0-9-]+", href or ""), href
    finally:
        page.close()
