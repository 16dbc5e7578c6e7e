"""The self-diagnosis in Chromium, from the unpacked offline zip (file://): keyboard, errors, scores, chart,
recommendations, print to PDF, CSV download, opt-in keeping of answers; and the JS scorer agrees with Python's."""
from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from conftest import ROOT
from kitcore import checks, diagnostic, questionnaire
from test_accessibility import axe_source, violations
from test_diagnostic_page import answer_sets
from test_offline import Traffic, unpack_alone

KIT = "reussir-sa-transformation-numerique"


@pytest.fixture(scope="module")
def corpus():
    loaded, report = checks.check_kits(ROOT / "kits")
    assert not report.errors
    return loaded


@pytest.fixture(scope="module")
def unpacked(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return unpack_alone(built_site, tmp_path_factory.mktemp("zips"))


def page_url(folder: Path, kit: str) -> str:
    return (folder / "kits" / kit / f"{questionnaire.PAGE}.html").as_uri()


def choose(page, d: diagnostic.Diagnostic, chosen: dict[str, int]) -> None:
    for q in d.questions:
        page.check(f"input[name='q-{q.id}'][value='{chosen[q.id]}']")


def test_form_from_the_unpacked_zip(browser, unpacked: dict[str, Path], corpus, tmp_path: Path, artifacts: Path) -> None:
    from playwright.sync_api import expect

    d = corpus.kit(KIT).autodiagnostic
    centre = corpus.kit(KIT).publics[0]
    folder = unpacked[centre]
    context = browser.new_context(accept_downloads=True)
    traffic = Traffic(allowed=(folder.as_uri(),))
    traffic.watch(context)
    page = context.new_page()
    page.goto(page_url(folder, KIT))
    # The script replaced the paper grid by a form: a group per axis, a radio group per question.
    expect(page.locator("#autodiagnostic-papier")).to_be_hidden()
    expect(page.locator("fieldset.autodiagnostic__axe > legend")).to_have_text([a.titre for a in d.axes])
    assert page.locator("fieldset.autodiagnostic__question").count() == len(d.questions)
    # A page type of its own, audited like the others (README: axe-core on every page type), in each state.
    axe = axe_source()
    assert not violations(page, axe), "formulaire"

    # Scoring with questions skipped: an error summary, focused, listing every unanswered question.
    page.get_by_role("button", name="Calculer mes résultats").click()
    summary = page.locator("#autodiagnostic-erreurs")
    expect(summary).to_be_visible()
    expect(summary.locator("h2")).to_have_text(f"Il manque {len(d.questions)} réponses")
    assert page.evaluate("document.activeElement.id") == "autodiagnostic-erreurs"
    assert page.locator("input[aria-invalid='true']").count() == sum(len(q.echelle.options) for q in d.questions)
    expect(page.locator(f"#erreur-{d.questions[0].id}")).to_have_text("Répondez à cette question.")
    assert not violations(page, axe), "résumé des erreurs"

    # Keyboard only: from the summary to the first question, Space picks, arrows move the choice.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    first = d.questions[0].id
    assert page.evaluate("document.activeElement.name") == f"q-{first}"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"document.querySelector('input[name=\"q-{first}\"]:checked').value") == "1"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "visible focus"
    expect(page.locator(f"#erreur-{first}")).to_be_hidden()  # answering clears the question's error

    chosen = answer_sets(d)[3]
    choose(page, d, chosen)
    page.keyboard.press("Tab")  # leaves the radio; Enter on the button submits
    page.get_by_role("button", name="Calculer mes résultats").focus()
    page.keyboard.press("Enter")
    results = page.locator("#autodiagnostic-resultats")
    expect(results).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "autodiagnostic-resultats"
    expected = diagnostic.score(d, chosen)
    lines = ([("global", expected.overall)] if expected.overall else []) + [(f"axe-{a.id}", expected.axes[a.id])
                                                                            for a in d.axes]
    for ident, score in lines:
        block = page.locator(f"#resultat-{ident}")
        shown = f"{diagnostic.french_number(score.hundredths)} sur {diagnostic.french_number(score.maximum_hundredths)}"
        expect(block.locator(".autodiagnostic__score")).to_have_text(shown)
        expect(block.locator(".autodiagnostic__tranche")).to_have_text(score.band.titre)
        expect(block.locator(".autodiagnostic__recommandation")).to_have_text(
            " ".join(score.band.recommandation.split()).replace(" :", "\u00a0:").replace(" ?", "\u202f?"))
        hrefs = block.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert len(hrefs) == len(score.band.liens)
        for href in hrefs:
            assert href.startswith(folder.as_uri()), href
            assert Path(href.removeprefix("file://")).is_file(), href  # the link works inside the zip
    bars = page.locator("svg.autodiagnostic__graphique rect.autodiagnostic__graphique-barre")
    assert bars.count() == len(lines)
    widths = bars.evaluate_all("rects => rects.map(r => Number(r.getAttribute('width')))")
    for width, (_, score) in zip(widths, lines):
        assert width == pytest.approx(460 * score.raw / score.high)
    page.wait_for_function("document.querySelector('.autodiagnostic__annonce').textContent.startsWith('Résultats calculés')")
    assert not violations(page, axe), "résultats"
    page.screenshot(path=artifacts / "autodiagnostic-resultats.png", full_page=True)

    # « Télécharger mes réponses »: a CSV made in the page (Blob), with the answers and the results.
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger mes réponses").click()
    download = info.value
    assert download.suggested_filename == f"autodiagnostic-{KIT}.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeffaxe;n°;question;votre réponse;points;poids\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    q = d.questions[1]
    option = q.echelle.options[chosen[q.id]]
    assert rows[2][1:5] == ["2", q.texte.replace(" ?", "\u202f?"), option.libelle, str(option.points)]
    assert any(r[:2] == [d.axes[0].titre, diagnostic.french_number(expected.axes[d.axes[0].id].hundredths)] for r in rows)

    # « Imprimer mes résultats »: the answers chosen and the results; the reading key and buttons are left out.
    page.emulate_media(media="print")
    expect(page.locator(".autodiagnostic__lecture")).to_be_hidden()
    expect(page.locator(".autodiagnostic__actions").first).to_be_hidden()
    expect(page.locator(".autodiagnostic__option--choisie")).to_have_count(len(d.questions))
    expect(page.locator(".autodiagnostic__option:not(.autodiagnostic__option--choisie)").first).to_be_hidden()
    pdf = page.pdf(path=str(tmp_path / "resultats.pdf"))
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.emulate_media(media="screen")

    # Keeping answers is opt-in: nothing stored until the box is ticked; then a reload restores them.
    key = f"autodiagnostic:{centre}:{KIT}"
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    page.get_by_label("Garder mes réponses dans ce navigateur").check()
    page.reload()
    expect(page.get_by_label("Garder mes réponses dans ce navigateur")).to_be_checked()
    assert page.locator("input[type=radio]:checked").count() == len(d.questions)
    page.get_by_role("button", name="Effacer mes réponses").click()
    assert page.locator("input[type=radio]:checked").count() == 0
    assert page.evaluate(f"localStorage.getItem('{key}')") is None
    page.reload()
    assert page.locator("input[type=radio]:checked").count() == 0

    assert not traffic.outside(), traffic.outside()
    assert not traffic.errors, traffic.errors
    context.close()


def test_without_javascript_the_grid_reads_and_prints(browser, unpacked: dict[str, Path], corpus, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    d = corpus.kit(KIT).autodiagnostic
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(page_url(unpacked[corpus.kit(KIT).publics[0]], KIT))
    grid = page.locator("table.autodiagnostic__grille")
    expect(grid).to_have_count(len(d.axes))
    expect(grid.first).to_be_visible()
    assert grid.locator("tbody tr").count() == len(d.questions)
    expect(page.locator("table.autodiagnostic__cle").first).to_be_visible()
    assert page.locator("form.autodiagnostic__formulaire").count() == 0
    page.emulate_media(media="print")
    expect(grid.first).to_be_visible()
    assert page.pdf(path=str(tmp_path / "grille.pdf")).startswith(b"%PDF")
    context.close()


UNIQUE_IDS = "[...document.querySelectorAll('[id]')].map(e => e.id).filter((id, i, all) => all.indexOf(id) !== i)"


def test_an_axis_called_global_keeps_the_page_s_ids_unique(browser, unpacked: dict[str, Path], corpus) -> None:
    # The data script's value is caught on its way in and its first axis renamed « global », an id a contributor
    # may choose: the overall score's block must keep its own id.
    from playwright.sync_api import expect

    d = corpus.kit(KIT).autodiagnostic
    assert d.bands, "the kit gives an overall score"
    context = browser.new_context()
    context.add_init_script(f"""Object.defineProperty(window, '{questionnaire.GLOBAL}', {{
        set(value) {{ value.axes[0].id = 'global'; this._donnees = value; }}, get() {{ return this._donnees; }} }});""")
    page = context.new_page()
    page.goto(page_url(unpacked[corpus.kit(KIT).publics[0]], KIT))
    for q in d.questions:
        page.check(f"input[name='q-{q.id}'][value='0']")
    page.get_by_role("button", name="Calculer mes résultats").click()
    expect(page.locator("#autodiagnostic-resultats")).to_be_visible()
    expect(page.locator(".autodiagnostic__resultat")).to_have_count(len(d.axes) + 1)
    assert page.evaluate(UNIQUE_IDS) == []
    expect(page.locator("#resultat-global h3")).to_have_text("Score global")
    expect(page.locator("#resultat-axe-global h3")).to_have_text(d.axes[0].titre)
    context.close()


def test_every_centre_s_self_diagnosis_passes_axe_with_and_without_its_script(browser, unpacked: dict[str, Path],
                                                                                corpus) -> None:
    # axe needs JavaScript: for the grid, the page runs it but its questionnaire finds no data and leaves the grid
    # as it is without JavaScript (the data script's assignment to a read-only window.AUTODIAGNOSTIC does nothing).
    from playwright.sync_api import expect

    axe = axe_source()
    problems = []
    for centre, folder in unpacked.items():
        kit = next(k for k in corpus.kits if k.autodiagnostic is not None and centre in k.publics)
        for script in (True, False):
            context = browser.new_context()
            if not script:
                context.add_init_script(
                    f"Object.defineProperty(window, '{questionnaire.GLOBAL}', {{value: undefined, writable: false}});")
            page = context.new_page()
            page.goto(page_url(folder, kit.id))
            expect(page.locator("form.autodiagnostic__formulaire")).to_have_count(1 if script else 0)
            expect(page.locator("table.autodiagnostic__grille").first).to_be_visible(visible=not script)
            problems += [f"{centre} {kit.id} {'formulaire' if script else 'grille'} : {p}" for p in violations(page, axe)]
            context.close()
    assert not problems, "\n".join(problems)


def test_javascript_and_python_scores_agree(browser, built_site: Path, corpus) -> None:
    page = browser.new_page()
    rng = random.Random(16)
    checked = 0
    for kit in (k for k in corpus.kits if k.autodiagnostic is not None):
        d = kit.autodiagnostic
        page.goto(page_url(built_site / kit.publics[0], kit.id))
        cases = answer_sets(d) + [{q.id: rng.randrange(len(q.echelle.options)) for q in d.questions}
                                  for _ in range(20)]
        got = page.evaluate("cases => cases.map(c => Autodiagnostic.score(AUTODIAGNOSTIC, c))", cases)
        for chosen, js in zip(cases, got):
            py = diagnostic.score(d, chosen)
            pairs = [(py.axes[a.id], js["axes"][a.id]) for a in d.axes] + ([(py.overall, js["global"])] if d.bands else [])
            assert (js["global"] is None) == (py.overall is None)
            for p, j in pairs:
                assert (j["brut"], j["diviseur"], j["centiemes"], j["maximumCentiemes"]) == \
                       (p.raw, p.divisor, p.hundredths, p.maximum_hundredths)
                assert j["tranche"]["titre"] == p.band.titre.replace(" ?", "\u202f?")
                checked += 1
        assert page.evaluate("[0, 5, 250, 1200, 1286].map(Autodiagnostic.frenchNumber)") == \
            [diagnostic.french_number(n) for n in (0, 5, 250, 1200, 1286)]
    assert checked > 100
    page.close()
