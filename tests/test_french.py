"""French search normalisation: folding, elisions, stop words, stemming, and Python/JavaScript agreement."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import require_program

from kitcore import french, search

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KITS = ROOT / "tests" / "fixtures" / "search-kits"
JS = search.WEB_DIR / "french.js"


@pytest.mark.parametrize(("text", "expected"), [
    ("Évaluation", "evaluation"),
    ("ÉVALUATIONS", "evaluations"),
    ("bénévolat", "benevolat"),
    ("Œuvre cœur", "oeuvre coeur"),
    ("ex æquo", "ex aequo"),
    ("ça, où, là, naïf, Noël", "ca, ou, la, naif, noel"),
    ("ﬁnancement", "financement"),  # the "fi" ligature of copy-pasted PDFs
])
def test_fold_removes_case_accents_and_ligatures(text: str, expected: str) -> None:
    assert french.fold(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("l'hybridation", ["l", "hybridation"]),
    ("l’hybridation", ["l", "hybridation"]),  # typographic apostrophe
    ("d'évaluation", ["d", "evaluation"]),
    ("jusqu’à", ["jusqu", "a"]),
    ("socio-économique", ["socio", "economique"]),
    ("« RSE » : 2030 !", ["rse", "2030"]),
    ("  ", []),
])
def test_tokens_split_on_apostrophes_hyphens_and_punctuation(text: str, expected: list[str]) -> None:
    assert french.tokens(text) == expected


@pytest.mark.parametrize("group", [
    ["evaluation", "évaluation", "Évaluations", "évaluer", "évalué", "évaluée", "évaluatif", "évaluateurs"],
    ["hybridation", "l'hybridation", "hybride", "hybrider", "hybridés"],
    ["bénévolat", "benevolat", "bénévole", "Bénévoles"],
    ["partenariat", "partenariats", "partenaire", "partenaires", "partenariale", "partenariaux"],
    ["numérique", "numériques", "numérisation"],
    ["mécénat", "mecenat", "mécène", "mécènes"],
    ["financement", "financer", "financeurs", "financier", "financière"],
    ["innovation", "innover", "innovant"],
    ["territoire", "territoires", "territorial", "territoriaux"],
    ["diversifier", "diversification", "diversité"],
    ["document", "documentation", "documents"],
    ["stratégie", "stratégique", "stratégies"],
])
def test_forms_readers_type_meet_on_one_term(group: list[str]) -> None:
    stems = {tuple(french.terms(word)) for word in group}
    assert len(stems) == 1, dict(zip(group, map(french.terms, group)))
    assert all(len(t) >= french.MIN_STEM for t in stems.pop())


@pytest.mark.parametrize(("left", "right"), [
    ("mécénat", "mesure"), ("évaluation", "évolution"), ("commun", "communication"), ("fondation", "fonction"),
    ("investir", "inventaire"), ("bénévolat", "bénéfice"),
])
def test_distinct_words_stay_distinct(left: str, right: str) -> None:
    assert french.terms(left) != french.terms(right)


def test_stop_words_and_single_letters_are_dropped() -> None:
    assert french.terms("Le mécénat de compétences et l'évaluation d'un projet") == ["mecen", "compet", "evalu", "projet"]
    assert french.terms("le la les de des du et ou à") == []


def test_short_words_and_numbers_are_kept_as_they_are() -> None:
    assert french.terms("RSE ESS 2030 covid19") == ["rse", "ess", "2030", "covid19"]


def _word_list() -> list[str]:
    """Every word of the fixture kits and of the real kits, with their accented spelling, plus hard cases."""
    words: set[str] = set()
    for folder in (FIXTURE_KITS, ROOT / "kits"):
        for path in folder.rglob("*"):
            if path.suffix in (".md", ".yml") and path.is_file():
                words.update(path.read_text(encoding="utf-8", errors="replace").split())
    words.update(["Évaluations", "l’hybridation", "ŒUVRES", "ﬁnancement", "İstanbul", "naïveté", "aux", "eaux",
                  "processus", "ss", "x", "Straße", "ÇA", "déjà-vu", "123abc", "«", "—", ""])
    return sorted(words)


@pytest.fixture(scope="module")
def node() -> str:
    return require_program("node", "sudo apt-get install nodejs")


def _run_js(node: str, words: list[str]) -> dict:
    script = (
        "const f = require(process.argv[1]); let data = '';"
        "process.stdin.on('data', c => data += c).on('end', () => {"
        " const words = JSON.parse(data);"
        " process.stdout.write(JSON.stringify({stop: f.STOPWORDS, suffixes: f.SUFFIXES, min: f.MIN_STEM,"
        " fold: words.map(f.fold), tokens: words.map(f.tokens), terms: words.map(f.terms)}));});"
    )
    proc = subprocess.run([node, "-e", script, str(JS)], input=json.dumps(words), capture_output=True, text=True,
                          check=True, encoding="utf-8")
    return json.loads(proc.stdout)


def test_javascript_rules_are_the_python_rules(node: str) -> None:
    js = _run_js(node, [])
    assert sorted(js["stop"]) == sorted(french.STOPWORDS)
    assert js["suffixes"] == list(french.SUFFIXES)
    assert js["min"] == french.MIN_STEM


def test_javascript_and_python_agree_on_every_word(node: str) -> None:
    words = _word_list()
    assert len(words) > 500
    js = _run_js(node, words)
    assert js["fold"] == [french.fold(w) for w in words]
    assert js["tokens"] == [french.tokens(w) for w in words]
    mismatches = [(w, p, j) for w, p, j in zip(words, (french.terms(w) for w in words), js["terms"]) if p != j]
    assert not mismatches[:20]
    # Whole sentences too: the page runs terms() on what the reader typed, apostrophes and all.
    lines = [line for path in sorted(FIXTURE_KITS.rglob("*.md")) for line in path.read_text(encoding="utf-8").splitlines()]
    assert _run_js(node, lines)["terms"] == [french.terms(line) for line in lines]


def test_footnote_markers_never_reach_the_search_text() -> None:
    from kitcore.search import plain_text

    _, _, running = plain_text("Chaque année, 5 millions[^chiffre-telethon_participants] de Français.\n\n"
                               "[^chiffre-telethon_participants]: Nombre de Français — Source : note.\n")
    assert "[^" not in running and "Source" not in running
    assert "5 millions de Français" in " ".join(running.split())
