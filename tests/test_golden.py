"""Golden tests: navigation, page list and files of each centre of the fixture corpus.

After an intended change, regenerate with `UPDATE_GOLDEN=1 pytest tests/test_golden.py` and review the diff.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kitcore import checks, pages, parts
from kitcore.engines.material import dialect

FIXTURE = Path(__file__).parent / "fixtures" / "corpus"
GOLDEN = Path(__file__).parent / "golden"


def _snapshot(centre: pages.Centre) -> dict:
    return {
        "nav": dialect.nav(centre),
        "pages": [p.path for p in centre.pages],
        "assets": [a.path for a in centre.assets],
        "kits": [k.id for k in centre.kits],
    }


@pytest.mark.parametrize("audience", ["associations", "entreprises", "territoires"])
@pytest.mark.parametrize("drafts", [False, True], ids=["publie", "apercu"])
def test_centre_matches_golden(audience: str, drafts: bool) -> None:
    corpus, report = checks.check_kits(FIXTURE)
    assert report.problems == []
    snapshot = _snapshot(pages.build_centre(corpus, audience, drafts))
    golden = GOLDEN / f"{audience}{'-apercu' if drafts else ''}.json"
    text = json.dumps(snapshot, ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        if os.environ.get("CI") == "true":
            pytest.fail("UPDATE_GOLDEN ne doit pas servir en CI : les fichiers de référence se relisent avant commit.")
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        pytest.skip(f"{golden.name} régénéré : relisez le diff avant de le committer")
    assert golden.exists(), f"{golden} manque : lancez UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == golden.read_text(encoding="utf-8")


def test_parts_in_canonical_order_everywhere() -> None:
    corpus, _ = checks.check_kits(FIXTURE)
    centre = pages.build_centre(corpus, "entreprises")
    kit_pages = [p.path for p in centre.pages if p.kit == "kit-b"]
    assert kit_pages == ["kits/kit-b/index.md", *(f"kits/kit-b/{p.file}" for p in parts.PARTS), "kits/kit-b/imprimer.md"]


def test_figures_become_footnotes_with_source() -> None:
    corpus, _ = checks.check_kits(FIXTURE)
    centre = pages.build_centre(corpus, "associations")
    page = next(p for p in centre.pages if p.path == "kits/kit-a/cadre-de-reference.md")
    assert "plaisait à 87 %[^chiffre-maires] des maires" in dialect.markdown(page)
    # The footnote dates the figure and says whether it was observed or forecast.
    assert ("[^chiffre-maires]: Part des maires favorables au devoir d'alliances (observation, 2017) — "
            "Source\u00a0: Programme PHARE (2017).") in dialect.markdown(page)


def test_link_to_kit_of_another_centre() -> None:
    corpus, _ = checks.check_kits(FIXTURE)
    centre = pages.build_centre(corpus, "territoires")
    home = next(p for p in centre.pages if p.path == "kits/kit-c/index.md")
    assert ('<a class="lien-autre-centre seulement-en-ligne" href="../../../associations/kits/kit-a/index.html">'
            'Évaluer ensemble</a><span class="seulement-hors-ligne" hidden><a class="lien-autre-centre" '
            'href="../../ailleurs/kit-a.html">Évaluer ensemble</a></span> <small>(centre Associations)</small>'
            ) in dialect.markdown(home)
    inside = pages.build_centre(corpus, "entreprises")
    kit_b = next(p for p in inside.pages if p.path == "kits/kit-b/index.md")
    assert "](../../kits/kit-a/index.md)" in dialect.markdown(kit_b)


def test_source_alone_adds_no_dangling_footnote() -> None:
    from kitcore.figures import expand_figures
    from kitcore.kits import Figure

    figs = {"x": Figure(id="x", valeur="3", libelle="Trois modes", source="Étude 2015", annee="2015", nature="observation")}
    only_source = expand_figures("Selon {{ source('x') }}.", figs)
    assert only_source.text == "Selon Étude 2015." and only_source.used == []
    both = expand_figures("{{ chiffre('x') }} modes ({{ source('x') }}).", figs)
    assert both.text.startswith("3[^chiffre-x] modes (Étude 2015).") and both.used == ["x"]


def test_link_to_unpublished_kit_is_left_out() -> None:
    corpus, _ = checks.check_kits(FIXTURE)
    corpus.kit("kit-b").voir_aussi.append("kit-d")  # kit-d is a draft
    page = next(p for p in pages.build_centre(corpus, "entreprises").pages if p.path == "kits/kit-b/index.md")
    assert "kit-d" not in dialect.markdown(page)
    preview = next(p for p in pages.build_centre(corpus, "entreprises", drafts=True).pages if p.path == "kits/kit-b/index.md")
    assert "kit-d/index.html" in dialect.markdown(preview)


def test_kit_record_is_a_definition_list_with_readable_licence() -> None:
    corpus, _ = checks.check_kits(FIXTURE)
    page = next(p for p in pages.build_centre(corpus, "associations").pages if p.path == "kits/kit-a/index.md")
    assert '<div class="kit-fiche" markdown>' in dialect.markdown(page)
    assert "Licence\n:   [CC BY-SA 4.0](../../licence.md)" in dialect.markdown(page)
    assert "Mise à jour\n:   15 janvier 2026" in dialect.markdown(page)


def test_home_lists_recent_updates_when_the_centre_is_large() -> None:
    corpus, _ = checks.check_kits(FIXTURE)
    small = next(p for p in pages.build_centre(corpus, "entreprises").pages if p.path == "index.md")
    assert "Mis à jour récemment" not in dialect.markdown(small)  # two kits: the cards already show them all
    for i, kit in enumerate(corpus.kits):
        kit.publics = ["entreprises"]
        kit.mise_a_jour = kit.mise_a_jour.replace(day=10 + i)
    kit_c = corpus.kit("kit-c")
    extra = [type(kit_c)(**{**vars(kit_c), "id": f"kit-x{i}", "titre": f"Kit {i}",
                             "mise_a_jour": kit_c.mise_a_jour.replace(day=1 + i)}) for i in range(3)]
    corpus.kits += extra
    home = next(p for p in pages.build_centre(corpus, "entreprises").pages if p.path == "index.md")
    home = dialect.markdown(home)
    recent = home.split("## Mis à jour récemment\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(recent) == 5
    assert recent[0] == "- [Animer un territoire](kits/kit-c/index.md) — 12 janvier 2026"
    assert recent[-1] == "- [Kit 1](kits/kit-x1/index.md) — 2 janvier 2026"


def test_printable_page_holds_the_four_parts_once() -> None:
    corpus, _ = checks.check_kits(FIXTURE)
    page = next(p for p in pages.build_centre(corpus, "associations").pages if p.path == "kits/kit-a/imprimer.md")
    titles = [line for line in dialect.markdown(page).splitlines() if line.startswith("## ")]
    assert titles == ["## Cadre de référence", "## Illustrations", "## Méthodologie", "## Boîte à outils",
                      "## Fichiers à télécharger"]
    # Each part's own headings go one level down; the figure's source note appears once.
    assert "### Partie illustrations" in dialect.markdown(page) and "\n## Partie" not in dialect.markdown(page)
    assert dialect.markdown(page).count("[^chiffre-maires]:") == 1
    assert pages._demote("## A\n```\n# code\n```\n###### F") == "### A\n```\n# code\n```\n###### F"


def test_french_spacing_in_bold_labels_and_titles() -> None:
    from kitcore.typography import NBSP, NNBSP, french_spacing

    assert french_spacing("**Qui :** la direction ; « oui » !") == f"**Qui{NBSP}:** la direction{NNBSP}; «{NBSP}oui{NBSP}»{NNBSP}!"
    assert french_spacing(":material-download: | :--- |") == ":material-download: | :--- |"
    corpus, _ = checks.check_kits(FIXTURE)
    corpus.kit("kit-a").titre = "Évaluer : pourquoi ?"
    page = next(p for p in pages.build_centre(corpus, "associations").pages if p.path == "kits/kit-a/methodologie.md")
    assert f"Kit{NBSP}: <a" in dialect.markdown(page) and f"Évaluer{NBSP}: pourquoi{NNBSP}?" in dialect.markdown(page)


def test_code_blocks_are_left_alone_whatever_their_fences() -> None:
    from kitcore.typography import code_lines, french_spacing

    text = "~~~\n```\nx : y\n~~~\nTexte : ici\n```bash\n# commentaire\n```\n# Titre"
    assert code_lines(text.split("\n")) == [True, True, True, True, False, True, True, True, False]
    spaced = french_spacing(text).split("\n")
    assert spaced[2] == "x : y" and spaced[4] == "Texte\u00a0: ici"
    assert pages._demote(text).split("\n")[6:] == ["# commentaire", "```", "## Titre"]


def test_portal_footer_agrees_in_number() -> None:
    from kitcore import portal

    corpus, _ = checks.check_kits(FIXTURE)
    summaries = [portal.CentreSummary(a.id, a.titre_centre, a.nom, a.description, 1) for a in corpus.audiences[:1]]
    assert "3 kits publiés." in portal.render_portal(corpus, summaries)
    corpus.kits = [k for k in corpus.kits if k.id == "kit-a"]
    assert "1 centre, 1 kit publié." in portal.render_portal(corpus, summaries)
