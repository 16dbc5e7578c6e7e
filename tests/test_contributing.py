"""CONTRIBUTING.md's contributor paths: what the guide tells people to paste passes `make check`."""
from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

from conftest import ROOT

from kitcore import checks, parts
from kitcore.problems import ERROR

GUIDE = ROOT / "CONTRIBUTING.md"


def _block_after(marker: str, lang: str = "yaml") -> str:
    """The fenced block that follows a marker in the guide, without the list item's indentation."""
    rest = GUIDE.read_text(encoding="utf-8").split(marker, 1)[1]
    found = re.search(rf"```{lang}\n(.*?\n)[ ]*```", rest, re.S)
    assert found, f"aucun bloc {lang} après {marker}"
    return textwrap.dedent(found.group(1))


def _tree(tmp_path: Path, kit_yml: str, files: dict[str, bytes] | None = None) -> Path:
    """A copy of the real kits plus one kit: this kit.yml, the scaffold's parts, and `files`."""
    kits = tmp_path / "kits"
    shutil.copytree(ROOT / "kits", kits)
    folder = kits / "evaluer-un-partenariat"
    folder.mkdir()
    (folder / "kit.yml").write_text(kit_yml, encoding="utf-8")
    for part in parts.PARTS:
        (folder / part.file).write_text(part.guidance, encoding="utf-8")
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return kits


def _errors(kits: Path) -> list[str]:
    _, report = checks.check_kits(kits)
    return [p.text() for p in report.problems if p.severity == ERROR]


def test_the_kit_yml_to_paste_in_step_3_passes_the_check(tmp_path: Path) -> None:
    pasted = _block_after("<!-- fiche-a-coller -->")
    assert "ressources" not in pasted, "la fiche à coller ne doit citer aucun fichier encore absent"
    assert _errors(_tree(tmp_path, pasted)) == []


def test_the_complete_example_passes_once_its_file_is_uploaded(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8").split("### Un exemple complet", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    missing = _errors(_tree(tmp_path / "sans", example))
    assert any("grille-evaluation.csv" in m for m in missing), "l'exemple cite un fichier : il doit être signalé s'il manque"
    # The guide says so in step 7: declared files are uploaded into fichiers/ (the CSV here is a real kit's).
    csv = (ROOT / "kits" / "evaluation-partenariale" / "fichiers" / "grille-evaluation.csv").read_bytes()
    assert _errors(_tree(tmp_path / "avec", example, {"fichiers/grille-evaluation.csv": csv})) == []
    assert "est introuvable" in GUIDE.read_text(encoding="utf-8").split("## Proposer un kit depuis")[0]


def test_the_web_path_says_what_to_do_with_the_pull_request_form_and_the_approval() -> None:
    web = GUIDE.read_text(encoding="utf-8").split("## Proposer un kit sans rien installer", 1)[1].split("\n## ", 1)[0]
    for needed in ("Open a pull request", "Create draft pull request", "Ready for review", "awaiting approval",
                   "Plus rien à compléter", "Brouillon"):
        assert needed in web, needed
    assert "la vérification se relance toute seule" not in web, "promesse fausse pour une première contribution"


def _section(title: str) -> str:
    return GUIDE.read_text(encoding="utf-8").split(f"## {title}", 1)[1].split("\n## ", 1)[0]


def test_the_editor_path_and_the_maintainers_set_up_are_explained() -> None:
    editor = _section("Proposer un kit avec l'éditeur en ligne")
    for needed in ("/editeur/", "Se connecter avec GitHub", "Fork the repo", "En cours de révision", "À COMPLÉTER",
                   "fichiers/"):
        assert needed in editor, needed
    team = _section("Pour l'équipe : la mise en place")
    workflow = (ROOT / ".github" / "workflows" / "kits.yml").read_text(encoding="utf-8")
    assert "EDITEUR_OAUTH_URL" in team and "vars.EDITEUR_OAUTH_URL" in workflow
    for needed in ("Source : GitHub Actions", "Approve and run workflows", "OAuth", "/callback"):
        assert needed in team, needed
    local = GUIDE.read_text(encoding="utf-8")
    assert "make editeur" in local and "\nediteur:" in (ROOT / "Makefile").read_text(encoding="utf-8")
