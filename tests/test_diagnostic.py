"""Self-diagnosis declarations: French messages with file and line, every problem at once, and exact scoring."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_kits
from kitcore import checks, diagnostic, schema
from kitcore.problems import Report

PARTS = [name for name, _ in schema.SECTIONS]

# A small valid declaration: two axes, a reused scale, a weight, sums, overall bands.
BASE = """\
titre: Votre partenariat
introduction: Quatre questions pour situer votre partenariat.
echelles:
  accord:
    - libelle: Non
      points: 0
    - libelle: En partie
      points: 1
    - libelle: Oui
      points: 2
axes:
  - id: confiance
    titre: La confiance
    echelle: accord
    questions:
      - id: franchise
        texte: Se parle-t-on franchement ?
      - id: engagements
        texte: Les engagements sont-ils tenus ?
        poids: 2
    resultats:
      - de: 0
        a: 2
        titre: Fragile
        recommandation: Reprenez le dialogue.
      - de: 3
        a: 6
        titre: Solide
        recommandation: Continuez.
        liens:
          - kit: {kit}
            partie: {part}
  - id: valeur
    titre: La valeur créée
    questions:
      - id: resultats
        texte: Les résultats sont-ils mesurés ?
        echelle: accord
    resultats:
      - de: 0
        a: 1
        titre: À mesurer
        recommandation: Mesurez.
      - de: 2
        a: 2
        titre: Mesurée
        recommandation: Partagez.
resultats:
  - de: 0
    a: 4
    titre: Débutant
    recommandation: Commencez.
  - de: 5
    a: 8
    titre: Avancé
    recommandation: Approfondissez.
sources:
  - Grille de la boîte à outils du kit.
"""


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "mon-kit"
    folder.mkdir(exist_ok=True)
    (folder / diagnostic.FILE).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def messages(tmp_path: Path, text: str) -> list[str]:
    report = Report(base=tmp_path)
    assert diagnostic.load(write(tmp_path, text), report) is None
    return [p.text() for p in report.sorted()]


def base() -> str:
    return BASE.replace("{kit}", "mon-kit").replace("{part}", PARTS[2])


def edited(*changes: tuple[str, str], text: str | None = None) -> str:
    """The declaration (the base one by default) with each (old, new) change made once; each `old` must be there."""
    text = base() if text is None else text
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def load_base(tmp_path: Path, text: str | None = None) -> diagnostic.Diagnostic:
    report = Report(base=tmp_path)
    d = diagnostic.load(write(tmp_path, text or base()), report)
    assert not report.problems, [p.text() for p in report.problems]
    assert d is not None
    return d


def test_valid_declaration_is_modelled(tmp_path: Path) -> None:
    d = load_base(tmp_path)
    assert [a.id for a in d.axes] == ["confiance", "valeur"]
    assert [q.poids for q in d.questions] == [1, 2, 1]
    assert d.axes[0].questions[0].echelle is d.axes[1].questions[0].echelle  # one scale, reused
    [link] = d.axes[0].bands[1].liens
    assert (link.kit, link.partie, d.lines.line(*link.at)) == ("mon-kit", PARTS[2], 31)
    assert d.calcul == "somme" and [b.titre for b in d.bands] == ["Débutant", "Avancé"]


F = "mon-kit/autodiagnostic.yml"


def test_duplicate_question_id(tmp_path: Path) -> None:
    text = edited(("      - id: resultats\n", "      - id: franchise\n"))
    assert messages(tmp_path, text) == [
        f"{F}, ligne 36 : L'identifiant « franchise » de question est déjà utilisé plus haut ; chaque identifiant "
        "doit être unique.",
    ]


def test_question_without_scale_and_unknown_scale(tmp_path: Path) -> None:
    text = edited(("    echelle: accord\n    questions:", "    questions:"),
                  ("        echelle: accord\n", "        echelle: acord\n"))
    assert messages(tmp_path, text) == [
        f"{F}, ligne 15 : La question « franchise » n'a pas d'échelle de réponse : indiquez « echelle: … » sur la "
        "question ou sur son axe.",
        f"{F}, ligne 17 : La question « engagements » n'a pas d'échelle de réponse : indiquez « echelle: … » sur la "
        "question ou sur son axe.",
        f"{F}, ligne 37 : La question « resultats » utilise l'échelle « acord », qui n'est pas déclarée dans "
        "« echelles ». Vouliez-vous dire « accord » ? Échelles déclarées : accord.",
    ]


def test_gap_overlap_and_unreachable_bands(tmp_path: Path) -> None:
    text = edited(("      - de: 3\n        a: 6\n", "      - de: 4\n        a: 6\n"),  # 3 uncovered
                  ("      - de: 2\n        a: 2\n", "      - de: 1\n        a: 3\n"),  # overlaps [0, 1]
                  ("  - de: 5\n    a: 8\n", "  - de: 5\n    a: 9\n"),
                  ("sources:", "  - de: 10\n    a: 12\n    titre: Hors d'atteinte\n    recommandation: Jamais.\nsources:"))
    assert messages(tmp_path, text) == [
        f"{F}, ligne 21 : Aucune tranche ne couvre le score 3 (axe « La confiance »), que les réponses permettent "
        "d'obtenir ; ajustez « de » et « a » pour que les tranches se suivent.",
        f"{F}, ligne 44 : Les tranches « À mesurer » (0 à 1) et « Mesurée » (1 à 3) se chevauchent (axe « La valeur "
        "créée ») : un même score ne doit mener qu'à une tranche.",
        f"{F}, ligne 57 : La tranche « Hors d'atteinte » (10 à 12) ne peut jamais être atteinte (score global) : "
        "les scores possibles vont de 0 à 8.",
    ]


def test_mean_gaps_are_computed_from_reachable_scores(tmp_path: Path) -> None:
    # Mean of the confiance axis: raw 0..6 over a weight of 3, so 0, 0,33, 0,67, 1, … 2.
    text = edited(("echelles:", "calcul: moyenne\nechelles:"),
                  ("      - de: 0\n        a: 2\n", "      - de: 0\n        a: 0.5\n"),
                  ("      - de: 3\n        a: 6\n", "      - de: 1\n        a: 2\n"),
                  ("  - de: 0\n    a: 4\n", "  - de: 0\n    a: 1\n"),
                  ("  - de: 5\n    a: 8\n", "  - de: 1.01\n    a: 2\n"))
    assert messages(tmp_path, text) == [
        f"{F}, ligne 22 : Aucune tranche ne couvre le score 0,67 (axe « La confiance »), que les réponses "
        "permettent d'obtenir ; ajustez « de » et « a » pour que les tranches se suivent.",
    ]
    fixed = edited(("        a: 0.5\n", "        a: 0.99\n"), text=text)
    d = load_base(tmp_path, fixed)
    result = diagnostic.score(d, {"franchise": 2, "engagements": 0, "resultats": 1})
    assert (result.axes["confiance"].raw, result.axes["confiance"].divisor) == (2, 3)
    assert result.axes["confiance"].hundredths == 67 and result.axes["confiance"].band.titre == "Fragile"
    assert diagnostic.french_number(result.axes["confiance"].hundredths) == "0,67"
    assert (result.overall.raw, result.overall.divisor, result.overall.band.titre) == (3, 4, "Débutant")


def test_empty_texts_and_bad_numbers(tmp_path: Path) -> None:
    text = edited(("        texte: Se parle-t-on franchement ?\n", "        texte: ' '\n"),
                  ("        poids: 2\n", "        poids: 20\n"),
                  ("    recommandation: Commencez.\n", "    recommandation:\n"),
                  ("      points: 1\n", "      points: 1.5\n"),
                  ("    a: 8\n", "    a: 8.125\n"))
    assert messages(tmp_path, text) == [
        f"{F}, ligne 8 : « points » doit être un nombre entier compris entre 0 et 100, pas « 1.5 ».",
        f"{F}, ligne 17 : « texte » est vide ; écrivez-y un texte.",
        f"{F}, ligne 20 : « poids » doit être compris entre 1 et 10, pas 20.",
        f"{F}, ligne 52 : La clé obligatoire « recommandation » est vide ; ce que le lecteur peut faire ensuite, en "
        "deux ou trois phrases.",
        f"{F}, ligne 54 : « a » a plus de deux décimales (8.125) ; arrondissez-le au centième.",
    ]


def test_unknown_keys_missing_keys_and_bounds(tmp_path: Path) -> None:
    questions = "".join(f"      - id: q{i}\n        texte: Question {i} ?\n" for i in range(diagnostic.MAX_QUESTIONS))
    text = edited(("      - id: resultats\n        texte: Les résultats sont-ils mesurés ?\n", questions),
                  ("    titre: La valeur créée\n", "    titre: La valeur créée\n    echelle: accord\n"),
                  ("titre: Votre partenariat\n", "titres: Votre partenariat\n"),
                  ("sources:\n  - Grille de la boîte à outils du kit.\n", ""))
    assert messages(tmp_path, text) == [
        f"{F} : La clé obligatoire « sources » manque ; d'où viennent les questions et les repères "
        "(outil du kit, étude…).",
        f"{F} : La clé obligatoire « titre » manque ; le titre de l'autodiagnostic, affiché en tête "
        "du questionnaire.",
        f"{F}, ligne 1 : La clé « titres » n'est pas connue. Vouliez-vous dire « titre » ? Clés "
        "possibles : titre, introduction, calcul, echelles, axes, resultats, sources.",
        # Two questions in the first axis: the 61st is the 59th of the second (its line: 37 + 2 × 58).
        f"{F}, ligne 153 : L'autodiagnostic dépasse la limite de 60 questions ; un questionnaire plus long "
        "décourage les lecteurs : découpez-le ou resserrez-le.",
    ]


def test_too_many_options_and_axes(tmp_path: Path) -> None:
    options = "".join(f"    - libelle: R{i}\n      points: {i}\n" for i in range(diagnostic.MAX_OPTIONS + 1))
    axis = "  - id: a{i}\n    titre: Axe {i}\n    questions: []\n    resultats: []\n"
    text = edited(("    - libelle: Non\n      points: 0\n    - libelle: En partie\n      points: 1\n"
                   "    - libelle: Oui\n      points: 2\n", options),
                  ("resultats:\n  - de: 0\n    a: 4\n",
                   "".join(axis.format(i=i) for i in range(diagnostic.MAX_AXES)) + "resultats:\n  - de: 0\n    a: 4\n"))
    found = messages(tmp_path, text)
    assert f"{F}, ligne 4 : « echelles.accord » a 8 éléments, au-delà de la limite de 7 ; gardez les plus " \
           "utiles." in found
    assert f"{F}, ligne 21 : « axes » a 10 éléments, au-delà de la limite de 8 ; gardez les plus utiles." in found


def test_yes_no_words_in_texts_are_told_to_be_quoted(tmp_path: Path) -> None:
    # YAML 1.1 (make check) reads them as booleans, the editor's YAML 1.2 as text: the same advice as for kit.yml.
    text = edited(("        texte: Se parle-t-on franchement ?\n", "        texte: No\n"),
                  ("    - libelle: Oui\n", "    - libelle: yes\n"),
                  ("  - Grille de la boîte à outils du kit.\n", "  - on\n"))
    assert messages(tmp_path, text) == [
        f"{F}, ligne 9 : « libelle » vaut « yes » sans guillemets : YAML peut le lire comme oui ou non (un booléen) "
        'plutôt que comme un texte ; mettez-le entre guillemets : libelle: "yes".',
        f"{F}, ligne 17 : « texte » vaut « No » sans guillemets : YAML peut le lire comme oui ou non (un booléen) "
        'plutôt que comme un texte ; mettez-le entre guillemets : texte: "No".',
        f"{F}, ligne 58 : L'élément 1 de « sources » vaut « on » sans guillemets : YAML peut le lire comme oui ou non "
        '(un booléen) plutôt que comme un texte ; mettez-le entre guillemets : - "on".',
    ]


# Mutations the published schema can judge alone (no coverage of scores, no reference): each gets the same verdict
# from make check and from the schema the editor validates with.
AGREEMENT = {
    "valide": (),
    "virgule-decimale": (("  - de: 5\n    a: 8\n", "  - de: 5\n    a: 8,00\n"),),
    "nombre-entre-guillemets": (("  - de: 0\n    a: 4\n", "  - de: '0'\n    a: 4\n"),),
    "points-a-virgule-entiere": (("      points: 1\n", "      points: 1.0\n"),),
    "poids-a-virgule-entiere": (("        poids: 2\n", "        poids: 2.0\n"),),
    "points-a-virgule": (("      points: 1\n", "      points: 1.5\n"),),
    "points-texte": (("      points: 1\n", "      points: '1'\n"),),
    "points-negatifs": (("      points: 1\n", "      points: -1\n"),),
    "poids-trop-grand": (("        poids: 2\n", "        poids: 11\n"),),
    "borne-trop-precise": (("    a: 8\n", "    a: 8.125\n"),),
    "borne-hors-limite": (("  - de: 0\n", "  - de: -100000.01\n"),),
    "borne-booleenne": (("  - de: 0\n", "  - de: true\n"),),
    "sources-vides": (("  - Grille de la boîte à outils du kit.\n", "  - ' '\n"),),
    "titre-vide": (("titre: Votre partenariat\n", "titre: '  '\n"),),
    "titre-trop-long": (("titre: Votre partenariat\n", "titre: " + "x" * 301 + "\n"),),
    "calcul-inconnu": (("echelles:", "calcul: mediane\nechelles:"),),
    "echelle-d-une-reponse": (("    - libelle: En partie\n      points: 1\n    - libelle: Oui\n      points: 2\n", ""),),
    "echelle-majuscule": (("  accord:\n", "  Accord:\n"), ("    echelle: accord\n", "    echelle: Accord\n")),
    "cle-inconnue": (("titre: Votre partenariat\n", "titre: Votre partenariat\nsoustitre: x\n"),),
    "partie-inconnue": ((f"            partie: {PARTS[2]}\n", "            partie: methodo\n"),),
}


@pytest.mark.parametrize("changes", AGREEMENT.values(), ids=AGREEMENT.keys())
def test_make_check_and_the_published_schema_agree(tmp_path: Path, changes: tuple) -> None:
    import json

    import jsonschema

    from kitcore.sources import load_yaml

    report = Report(base=tmp_path)
    folder = write(tmp_path, edited(*changes))
    checked = diagnostic.load(folder, report) is not None and not report.errors
    published = json.loads((ROOT / "schemas" / "autodiagnostic.schema.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft7Validator(published).iter_errors(load_yaml(folder / diagnostic.FILE).data))
    assert checked == (not errors), ([p.text() for p in report.sorted()], [e.message for e in errors])


def test_a_decimal_comma_or_a_quoted_bound_is_told_how_to_write_a_number(tmp_path: Path) -> None:
    text = edited(("  - de: 5\n    a: 8\n", "  - de: 5\n    a: 8,5\n"), ("  - de: 0\n", "  - de: '0'\n"))
    assert messages(tmp_path, text) == [
        f"{F}, ligne {line} : « {key} » doit être un nombre écrit sans guillemets, avec un point avant les décimales "
        f"(par exemple 12 ou 2.5), pas « {value} »." for line, key, value in ((22, "de", "0"), (54, "a", "8,5"))]


def test_yaml_errors_are_the_safe_loader_s(tmp_path: Path) -> None:
    assert messages(tmp_path, "titre: &a x\nintroduction: *a\n") == [
        f"{F}, ligne 1 : Les ancres YAML (« &nom ») ne sont pas acceptées ; retirez-les."]
    assert messages(tmp_path, "titre: !!python/object:os.system x\n") == [
        f"{F}, ligne 1 : La balise YAML « !!python/object:os.system » n'est pas acceptée ; écrivez une simple valeur."]


def test_unknown_kit_and_part_in_a_recommendation_with_other_kit_problems(tmp_path: Path) -> None:
    kits = copy_kits(FIXTURES / "offline-kits", tmp_path / "kits")
    folder = kits / "evaluation-partenariale"
    text = BASE.replace("{kit}", "evaluation-partenarial").replace("{part}", "methodo")
    (folder / diagnostic.FILE).write_text(text, encoding="utf-8")
    kit_yml = folder / "kit.yml"
    kit_yml.write_text(kit_yml.read_text(encoding="utf-8").replace("titre:", "titr:", 1), encoding="utf-8")
    _, report = checks.check_kits(kits)
    texts = [p.text() for p in report.sorted()]
    where = "kits/evaluation-partenariale/autodiagnostic.yml"
    assert f"{where}, ligne 32 : « methodo » n'est pas une valeur possible pour « partie ». Valeurs possibles : " \
           f"{', '.join(PARTS)}. Vouliez-vous dire « {PARTS[2]} » ?" in texts
    assert any(t.startswith("kits/evaluation-partenariale/kit.yml") for t in texts), "every problem at once"
    text = BASE.replace("{kit}", "evaluation-partenariale-bis").replace("{part}", PARTS[2])
    (folder / diagnostic.FILE).write_text(text, encoding="utf-8")
    _, report = checks.check_kits(kits)
    texts = [p.text() for p in report.sorted()]
    assert f"{where}, ligne 31 : La recommandation « Solide » renvoie au kit « evaluation-partenariale-bis », qui " \
           "n'existe pas. Vouliez-vous dire « evaluation-partenariale » ? Indiquez le nom du dossier d'un kit " \
           "existant." in texts


def test_scoring_of_the_small_declaration_at_every_band_edge(tmp_path: Path) -> None:
    d = load_base(tmp_path)
    cases = [  # answers (option index) → confiance raw, valeur raw, overall raw, bands
        ({"franchise": 0, "engagements": 0, "resultats": 0}, 0, 0, 0, ("Fragile", "À mesurer", "Débutant")),
        ({"franchise": 2, "engagements": 0, "resultats": 1}, 2, 1, 3, ("Fragile", "À mesurer", "Débutant")),
        ({"franchise": 1, "engagements": 1, "resultats": 1}, 3, 1, 4, ("Solide", "À mesurer", "Débutant")),
        ({"franchise": 1, "engagements": 1, "resultats": 2}, 3, 2, 5, ("Solide", "Mesurée", "Avancé")),
        ({"franchise": 2, "engagements": 2, "resultats": 2}, 6, 2, 8, ("Solide", "Mesurée", "Avancé")),
    ]
    for answers, confiance, valeur, overall, bands in cases:
        result = diagnostic.score(d, answers)
        assert (result.axes["confiance"].raw, result.axes["valeur"].raw, result.overall.raw) == (confiance, valeur, overall)
        assert (result.axes["confiance"].band.titre, result.axes["valeur"].band.titre, result.overall.band.titre) == bands
    with pytest.raises(KeyError):
        diagnostic.score(d, {"franchise": 0})


def test_every_real_declaration_is_valid_and_every_reachable_score_has_one_band() -> None:
    corpus, report = checks.check_kits(ROOT / "kits")
    assert not report.errors, [p.text() for p in report.errors]
    declared = [k for k in corpus.kits if k.autodiagnostic is not None]
    assert {k.id for k in declared} == {p.parent.name for p in (ROOT / "kits").glob(f"*/{diagnostic.FILE}")}
    for kit in declared:
        d = kit.autodiagnostic
        for axis in d.axes:
            divisor, bits = d.divisor(axis.questions), diagnostic.reachable(axis.questions)
            for raw in range(sum(q.poids * q.echelle.high for q in axis.questions) + 1):
                if bits >> raw & 1:
                    assert sum(b.holds(raw, divisor) for b in axis.bands) == 1, (kit.id, axis.id, raw)


def test_the_guide_states_the_bounds_the_checks_apply() -> None:
    # The guide's sentence is written from the constants the checks use: a bound changed in one place is caught.
    d = diagnostic
    sentence = (f"Les bornes : {d.MAX_QUESTIONS} questions, {d.MAX_AXES} axes, {d.MAX_SCALES} échelles de "
                f"{d.MIN_OPTIONS} à {d.MAX_OPTIONS} réponses, {d.MAX_BANDS} tranches et {d.MAX_LINKS} liens par tranche, "
                f"des points entiers de 0 à {d.MAX_POINTS} et des poids entiers de 1 à {d.MAX_WEIGHT} ; « de » et « a » "
                "ont au plus deux décimales.")
    guide = " ".join((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split())
    assert sentence in guide


def test_the_guide_s_example_is_valid(tmp_path: Path) -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide[guide.index("### Un autodiagnostic"):]
    example = section[section.index("```yaml\n") + 8:section.index("\n```\n")]
    d = load_base(tmp_path, example)
    assert [q.poids for q in d.questions] == [1, 2] and d.bands == ()
    kit_ids = [p.name for p in (ROOT / "kits").iterdir() if p.is_dir()]
    report = Report()
    diagnostic.check_links(d, tmp_path, kit_ids, report)
    assert not report.problems
