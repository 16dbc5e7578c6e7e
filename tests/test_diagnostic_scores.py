"""Scoring of every real self-diagnosis: hand-computed cases, then both edges of every band."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from kitcore import diagnostic
from kitcore.problems import Report


def load(kit: str) -> diagnostic.Diagnostic:
    report = Report()
    d = diagnostic.load(ROOT / "kits" / kit, report)
    assert d is not None and not report.problems, [p.text() for p in report.problems]
    return d


def answers(d: diagnostic.Diagnostic, default: int, **chosen: int) -> dict[str, int]:
    """Option index per question: `default` everywhere, except the questions named (dashes as underscores)."""
    out = {q.id: default for q in d.questions}
    for key, index in chosen.items():
        assert key.replace("_", "-") in out, key
        out[key.replace("_", "-")] = index
    return out


def shown(score: diagnostic.Score) -> tuple[str, str]:
    return diagnostic.french_number(score.hundredths), score.band.titre if score.band else ""


def test_digital_transformation_means() -> None:
    d = load("reussir-sa-transformation-numerique")
    # Every answer « Plutôt non » (2 points): a mean of 2 everywhere, the second band.
    r = diagnostic.score(d, answers(d, 1))
    assert shown(r.axes["fonctionnement"]) == ("2", "Des outils en place, des usages à consolider")
    assert shown(r.overall) == ("2", "Une transformation en cours")
    # One « Pas du tout » among seven « Plutôt non »: 13 / 7 = 1,857… shown 1,86, first band.
    r = diagnostic.score(d, answers(d, 1, securite=0))
    assert (r.axes["fonctionnement"].raw, r.axes["fonctionnement"].divisor) == (13, 7)
    assert shown(r.axes["fonctionnement"]) == ("1,86", "Des fondations à poser")
    assert shown(r.axes["offre-de-valeur"]) == ("2", "Des premières transformations")
    # Overall: 41 / 21 = 1,952… still the first band; all « Tout à fait »: 4.
    assert shown(r.overall) == ("1,95", "Une transformation à engager")
    r = diagnostic.score(d, answers(d, 3, vision=2))
    assert shown(r.axes["faire-societe"]) == ("3,86", "Un acteur de la société numérique")
    assert shown(r.overall) == ("3,95", "Une transformation bien engagée")


def test_diversification_weighted_sums() -> None:
    d = load("diversifier-ses-ressources")
    low = diagnostic.score(d, answers(d, 0))  # every criterion at 1
    assert [low.axes[a].raw for a in ("pertinence", "potentiel", "faisabilite")] == [9, 4, 6]
    assert shown(low.overall) == ("19", "Une piste à écarter ou à retravailler")
    # Coherence 1 (× 3), legitimacy 4 (× 2), independence 2 (× 2), relations 2 (× 2): 3 + 8 + 4 + 4 = 19.
    r = diagnostic.score(d, answers(d, 0, coherence=0, legitimite=3, independance=1, relations=1))
    assert shown(r.axes["pertinence"]) == ("19", "Une piste à discuter")
    # All at 4 except the delay at 1 (weight 1): 76 - 3 = 73.
    r = diagnostic.score(d, answers(d, 3, delai=0))
    assert shown(r.axes["faisabilite"]) == ("21", "Une piste facile à engager")
    assert shown(r.overall) == ("73", "Une piste prioritaire")


def test_mayors_postures_have_no_overall_score() -> None:
    d = load("profils-de-maires-et-co-construction")
    r = diagnostic.score(d, answers(d, 1, gestionnaire_1=3, gestionnaire_2=3, gestionnaire_3=3,
                                    experimentateur_1=2))
    assert r.overall is None
    assert shown(r.axes["gestionnaire"]) == ("12", "Une posture dominante")
    assert shown(r.axes["experimentateur"]) == ("7", "Une posture présente")
    assert shown(r.axes["rassembleur"]) == ("6", "Une posture peu présente")


def test_stakeholder_dialogue_sums() -> None:
    d = load("rse-et-dialogue-parties-prenantes")
    r = diagnostic.score(d, answers(d, 1, recensement=2, attentes=2, evaluation=0))
    assert shown(r.axes["connaitre"]) == ("6", "Des parties prenantes bien identifiées")
    assert shown(r.axes["agir"]) == ("3", "Des collaborations engagées")
    assert shown(r.overall) == ("13", "Un dialogue engagé")


def test_evaluation_modes_sums() -> None:
    d = load("mesurer-son-impact")
    r = diagnostic.score(d, answers(d, 0, situation_des_beneficiaires=3, besoins=3, utilite_de_la_relation=2))
    assert r.overall is None
    assert shown(r.axes["pertinence"]) == ("6", "Un besoin réel")
    assert shown(r.axes["partenariale"]) == ("2", "Un besoin secondaire")
    assert shown(r.axes["performance"]) == ("0", "Un besoin secondaire")


def hitting(d: diagnostic.Diagnostic, questions: tuple[diagnostic.Question, ...] | list[diagnostic.Question],
            target: int) -> dict[str, int] | None:
    """Answers to `questions` whose raw score is exactly `target`, found by a small dynamic programme."""
    ways: dict[int, dict[str, int]] = {0: {}}
    for q in questions:
        step: dict[int, dict[str, int]] = {}
        for raw, chosen in ways.items():
            for i, option in enumerate(q.echelle.options):
                step.setdefault(raw + q.poids * option.points, {**chosen, q.id: i})
        ways = step
    return ways.get(target)


KITS = sorted(p.parent.name for p in (ROOT / "kits").glob(f"*/{diagnostic.FILE}"))


@pytest.mark.parametrize("kit", KITS)
def test_both_edges_of_every_band(kit: str) -> None:
    d = load(kit)
    groups = [(a.id, a.questions, a.bands) for a in d.axes] + ([("global", tuple(d.questions), d.bands)] if d.bands else [])
    checked = 0
    for name, questions, bands in groups:
        divisor = d.divisor(questions)
        values = [v for v in range(sum(q.poids * q.echelle.high for q in questions) + 1)
                  if diagnostic.reachable(questions) >> v & 1]
        for band in bands:
            inside = [v for v in values if band.holds(v, divisor)]
            assert inside, (kit, name, band.titre)
            for raw in (inside[0], inside[-1]):  # the lowest and highest scores of the band
                chosen = hitting(d, questions, raw)
                assert chosen is not None
                full = {q.id: 0 for q in d.questions} | chosen
                result = diagnostic.score(d, full)
                score = result.overall if name == "global" else result.axes[name]
                assert (score.raw, score.band) == (raw, band), (kit, name, raw)
                checked += 1
    assert checked >= 2 * sum(len(b) for _, _, b in groups)
