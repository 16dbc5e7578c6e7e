"""`make new`: the id from the title, refusals in French, and a scaffolded kit that passes `make check`."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from kitcore import checks, parts, scaffold
from kitcore.kits import KIT_FILE
from kitcore.problems import WARNING

NEW_KIT = ROOT / "scripts" / "new_kit.py"
REGISTRIES = ("publics.yml", "enjeux.yml", "chiffres.yml")


@pytest.fixture
def kits(tmp_path: Path) -> Path:
    """An empty kits tree with the real registries."""
    root = tmp_path / "kits"
    root.mkdir()
    for name in REGISTRIES:
        shutil.copy(ROOT / "kits" / name, root / name)
    return root


def run_new(kits: Path, *args: str, stdin=subprocess.DEVNULL, **kwargs) -> subprocess.CompletedProcess:
    """Run scripts/new_kit.py with no terminal attached (as a script or CI would)."""
    return subprocess.run([sys.executable, str(NEW_KIT), "--kits", str(kits), *args], stdin=stdin,
                          capture_output=True, text=True, cwd=kits.parent, **kwargs)


@pytest.mark.parametrize("title, expected", [
    ("Évaluer un partenariat", "evaluer-un-partenariat"),
    ("Œuvres & communs : l'été !", "oeuvres-communs-l-ete"),
    ("  Mécénat   de compétences  ", "mecenat-de-competences"),
    ("RSE 2030", "rse-2030"),
])
def test_id_comes_from_title(title: str, expected: str) -> None:
    assert scaffold.kit_id(title) == expected


def test_long_title_is_cut_on_a_word() -> None:
    ident = scaffold.kit_id("Construire " + "un partenariat durable " * 6)
    assert len(ident) <= scaffold.MAX_ID_LENGTH
    assert not ident.endswith("-") and ident.split("-")[-1] in {"construire", "un", "partenariat", "durable"}


def test_new_kit_passes_check_with_one_guidance_warning_per_part(kits: Path) -> None:
    result = run_new(kits, "--titre", "Évaluer un partenariat", "--publics", "associations, Entreprises",
                     "--enjeux", "4", "--auteurs", "Jeanne Martin; Équipe éditoriale des centres de ressources")
    assert result.returncode == 0, result.stderr
    folder = kits / "evaluer-un-partenariat"
    assert sorted(p.name for p in folder.iterdir()) == sorted([KIT_FILE, *(p.file for p in parts.PARTS)])
    text = (folder / KIT_FILE).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/kit.schema.json"
    assert (folder / "../../schemas/kit.schema.json").resolve() == (kits.parent / "schemas" / "kit.schema.json")

    corpus, report = checks.check_kits(kits)
    assert report.errors == []
    kit = corpus.kit("evaluer-un-partenariat")
    assert kit is not None and kit.draft
    assert kit.titre == "Évaluer un partenariat"
    assert kit.publics == ["associations", "entreprises"]
    assert kit.enjeux == ["evaluation"]
    assert kit.auteurs == ["Jeanne Martin", "Équipe éditoriale des centres de ressources"]
    assert kit.mise_a_jour == dt.date.today()
    warned = sorted(p.file for p in report.problems if p.severity == WARNING and checks.GUIDANCE_MARK in p.message)
    assert warned == sorted(f"kits/evaluer-un-partenariat/{name}" for name in (KIT_FILE, *(p.file for p in parts.PARTS)))
    assert len(report.problems) == len(warned)
    assert "make serve CENTRE=associations" in result.stdout


def test_guidance_removed_leaves_no_warning(kits: Path) -> None:
    scaffold.create_kit(kits, scaffold.KitRequest("Un kit fini", ["territoires"], ["numerique"], ["Moi"]))
    folder = kits / "un-kit-fini"
    for part in folder.glob("*.md"):
        part.write_text("## Section\n\nTexte rédigé.\n", encoding="utf-8")
    meta = folder / KIT_FILE
    meta.write_text(meta.read_text(encoding="utf-8").replace(checks.GUIDANCE_MARK, "Un vrai résumé"), encoding="utf-8")
    _, report = checks.check_kits(kits)
    assert report.problems == []


def test_existing_id_is_refused_and_left_untouched(kits: Path) -> None:
    assert run_new(kits, "--titre", "Mécénat de compétences", "--publics", "entreprises", "--enjeux", "competences",
                   "--auteurs", "A").returncode == 0
    part = kits / "mecenat-de-competences" / "methodologie.md"
    part.write_text("## Mon texte\n", encoding="utf-8")
    again = run_new(kits, "--titre", "Mécénat de Compétences !", "--publics", "entreprises", "--enjeux",
                    "competences", "--auteurs", "B")
    assert again.returncode == 1
    assert "Un kit « mecenat-de-competences » existe déjà" in again.stderr
    assert "Traceback" not in again.stderr
    assert part.read_text(encoding="utf-8") == "## Mon texte\n"


def test_missing_options_without_terminal_is_a_clear_french_error(kits: Path) -> None:
    result = run_new(kits, "--titre", "Un kit")
    assert result.returncode == 1
    assert "Il manque --publics, --enjeux, --auteurs" in result.stderr
    assert "make new TITRE=" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in kits.iterdir()) == sorted(REGISTRIES)


@pytest.mark.parametrize("option, value, message", [
    ("--publics", "asociations", "« asociations » n'est pas un public connu. Choix possibles : associations"),
    ("--enjeux", "9", "« 9 » n'est pas un enjeu connu"),
    ("--titre", "!!!", "ne contient aucune lettre ni aucun chiffre"),
    ("--auteurs", " , ", "Indiquez au moins un auteur"),
])
def test_bad_answers_are_refused_before_writing(kits: Path, option: str, value: str, message: str) -> None:
    args = {"--titre": "Un kit", "--publics": "associations", "--enjeux": "evaluation", "--auteurs": "A"}
    args[option] = value
    result = run_new(kits, *[x for pair in args.items() for x in pair])
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in kits.iterdir()) == sorted(REGISTRIES)


def test_suggestion_for_a_typo() -> None:
    options = [scaffold.Choice("associations", "Associations"), scaffold.Choice("entreprises", "Entreprises")]
    with pytest.raises(scaffold.ScaffoldError, match="Vouliez-vous dire « entreprises »"):
        scaffold.resolve_choices("entreprize", options, "public")
    assert scaffold.resolve_choices("2, Associations, entreprises", options, "public") == ["entreprises", "associations"]


def test_questions_are_asked_at_a_terminal(kits: Path) -> None:
    """A person at a terminal answers four questions; a wrong answer is explained and asked again."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(NEW_KIT), "--kits", str(kits)], stdin=follower,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=kits.parent)
    os.close(follower)
    try:
        for answer in ("Co-construire sur un territoire", "99", "territoires, 1", "numerique", "Mairie de Lyon, Moi"):
            os.write(leader, (answer + "\n").encode())
            time.sleep(0.05)  # ordering only: input() reads one line at a time from the terminal
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(leader)
    assert proc.returncode == 0, err
    assert "1. Associations (associations)" in out
    assert "« 99 » n'est pas un public connu" in out
    corpus, report = checks.check_kits(kits)
    kit = corpus.kit("co-construire-sur-un-territoire")
    assert report.errors == [] and kit is not None
    assert kit.publics == ["territoires", "associations"]
    assert kit.auteurs == ["Mairie de Lyon", "Moi"]


def test_make_new_passes_variables_safely(kits: Path) -> None:
    title = "Le \"grand\" partenariat d'aujourd'hui ; `id` & co"
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "new", f"KITS={kits}", f"TITRE={title}", "PUBLICS=fondations",
         "ENJEUX=competences,evaluation", "AUTEURS=Fondation X"],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    corpus, report = checks.check_kits(kits)
    assert report.errors == []
    [kit] = corpus.kits
    assert kit.titre == title
    assert kit.id == "le-grand-partenariat-d-aujourd-hui-id-co"
    assert kit.enjeux == ["competences", "evaluation"]
