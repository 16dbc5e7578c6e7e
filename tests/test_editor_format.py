"""The editor's pure modules run by Node.js: kit.yml written back byte for byte, edits spliced, ids as `make new`."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, require_program

from kitcore import cms, scaffold
from kitcore.kits import load_corpus
from kitcore.problems import Report

REAL = sorted((ROOT / "kits").glob("*/kit.yml"))


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The editor as the build publishes it."""
    folder = tmp_path_factory.mktemp("site") / cms.FOLDER
    return cms.publish_editor(load_corpus(ROOT / "kits", Report()), folder)


def run(editor: Path, cases: list[dict]) -> list:
    node = require_program("node", "sudo apt-get install nodejs")
    result = subprocess.run([node, str(ROOT / "tests" / "editor" / "run.mjs"), str(editor)], capture_output=True,
                            text=True, timeout=120,
                            input=json.dumps({"format": json.loads(cms.format_json()), "cases": cases}))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_real_kit_is_written_back_byte_for_byte(editor: Path) -> None:
    sources = [p.read_text(encoding="utf-8") for p in REAL]
    assert run(editor, [{"source": s} for s in sources]) == sources


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def test_an_edited_key_is_spliced_in_and_every_other_byte_kept(editor: Path) -> None:
    source = ("# yaml-language-server: $schema=../../schemas/kit.schema.json\n# Un commentaire de l'équipe.\n"
              + (ROOT / "kits" / "evaluation-partenariale" / "kit.yml").read_text(encoding="utf-8"))
    data = yaml.safe_load(source)
    title, keywords, removed, added = run(editor, [
        {"source": source, "set": {"titre": "Évaluer un partenariat, pas à pas"}},
        {"source": source, "set": {"mots_cles": data["mots_cles"] + ["auto-évaluation"]}},
        {"source": source, "unset": ["voir_aussi"]},
        {"source": source, "set": {"statut": "brouillon"}},
    ])
    assert _changed_lines(source, title) == (["titre: Évaluer un partenariat"], ["titre: Évaluer un partenariat, pas à pas"])
    assert _changed_lines(source, keywords) == ([], ["  - auto-évaluation"])
    old, new = _changed_lines(source, removed)
    assert new == [] and old == ["voir_aussi:"] + [f"  - {k}" for k in data["voir_aussi"]]
    old, new = _changed_lines(source, added)
    assert old == [] and new == ["statut: brouillon"]
    # A new key goes where the format puts it (after licence's place, before ressources).
    keys = [line.split(":")[0] for line in added.splitlines() if line and line[0].isalpha()]
    assert keys.index("statut") == keys.index("ressources") - 1
    for text in (title, keywords, removed, added):
        assert text.startswith("# yaml-language-server") and "# Un commentaire de l'équipe." in text


def test_new_kit_yml_is_read_by_make_check_as_the_form_meant(editor: Path) -> None:
    # Values YAML 1.1 (PyYAML, make check) would read as booleans, nulls, numbers or dates unless quoted.
    tricky = ["No", "on", "Yes", "~", "1:20", "0x1F", "2026-01-01", "1e3", ".inf", "Non", "Oui"]
    values = {"titre": "Off", "resume": "Un résumé.\nSur deux lignes.", "publics": ["associations"],
              "enjeux": ["evaluation"], "auteurs": tricky, "mise_a_jour": "2026-11-30", "statut": "brouillon",
              "mots_cles": ["null", "true"]}
    [text] = run(editor, [{"set": values}])
    assert text.splitlines()[0] == scaffold.SCHEMA_COMMENT
    data = yaml.safe_load(text)
    assert data["titre"] == "Off" and data["auteurs"] == tricky and data["mots_cles"] == ["null", "true"]
    assert data["mise_a_jour"] == dt.date(2026, 11, 30)  # a date for make check, as make new writes it
    assert data["resume"].strip() == values["resume"]
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == ["titre", "resume", "publics", "enjeux", "auteurs", "mise_a_jour", "statut", "mots_cles"]


@pytest.mark.parametrize("title", [
    "Évaluer un partenariat", "Œuvres & communs : l’été !", "Mesurer l'effet d'un mécénat : oui",
    "  RSE   2030  ", "Ça marche ? Très bien — merci", "Construire " + "un partenariat durable " * 6, "Æsthétique",
])
def test_new_kit_ids_are_those_of_make_new(editor: Path, title: str) -> None:
    assert run(editor, [{"kind": "id", "title": title}]) == [scaffold.kit_id(title)]
