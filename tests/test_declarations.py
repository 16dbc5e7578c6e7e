"""One row added to the part table, one to the registry table, one field to Kit: every stage follows.

The synthetic part is optional and carries the downloads; the synthetic registry is cited by a new kit field.
Nothing else is changed: check, pages, navigation, search, the JSON Schema, the guide and the scaffold
(`make new`, run in process) all read the tables.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

from kitcli import new_kit
from kitcore import checks, formatdoc, kits, pages, parts, schema, search
from kitcore.engines.material import dialect
from kitcore.sources import load_yaml

FIXTURE = ROOT / "tests" / "fixtures" / "corpus"
TOOLS = next(p for p in parts.PARTS if p.downloads)  # as declared, before the fixture moves the downloads
EXTRA = parts.Part("pour-aller-plus-loin", "Pour aller plus loin", False, "des lectures",
                   f"**{parts.GUIDANCE_MARK}** — Facultatif : des lectures pour approfondir.\n", downloads=True)


class Partner(schema.Record, frozen=True):
    """A synthetic registry record."""

    id = schema.Identifier("Identifiant du partenaire.", required=True)
    nom = schema.Text("Nom du partenaire.", required=True)


class SyntheticKit(kits.Kit):
    """The kit with one more field, citing the synthetic registry."""

    partenaires = schema.Ids("partenaires", "Partenaires du kit.")


PARTNERS = kits.Registry("partenaires", "partenaires.yml", Partner, "un partenaire connu", "Partenaires")


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tables with the synthetic rows: the toolbox no longer lists downloads, the new part does."""
    rows = tuple(parts.Part(p.id, p.label, p.required, p.summary, p.guidance, downloads=False) for p in parts.PARTS)
    monkeypatch.setattr(parts, "PARTS", rows + (EXTRA,))
    monkeypatch.setattr(kits, "REGISTRIES", kits.REGISTRIES + (PARTNERS,))
    monkeypatch.setattr(kits, "Kit", SyntheticKit)


def tree(tmp_path: Path) -> Path:
    """The fixture corpus, a partners registry, kit-a with the optional part and kit-b without it."""
    root = tmp_path / "kits"
    shutil.copytree(FIXTURE, root)
    (root / "partenaires.yml").write_text("- id: fondation-x\n  nom: Fondation X\n", encoding="utf-8")
    with (root / "kit-a" / "kit.yml").open("a", encoding="utf-8") as handle:
        handle.write("partenaires: [fondation-x]\n")
    (root / "kit-a" / EXTRA.file).write_text("## Lectures\n\nUn livre sur le partenariat.\n", encoding="utf-8")
    return root


def test_a_declared_part_and_registry_go_through_every_stage(declared: None, tmp_path: Path) -> None:
    root = tree(tmp_path)
    corpus, report = checks.check_kits(root)
    assert [p.text() for p in report.errors] == []
    kit_a, kit_b = corpus.kit("kit-a"), corpus.kit("kit-b")
    assert isinstance(kit_a, SyntheticKit) and kit_a.partenaires == ["fondation-x"] and kit_b.partenaires == []
    assert EXTRA.id in kit_a.sections and EXTRA.id not in kit_b.sections  # optional: kit-b does without
    assert list(corpus.registries["partenaires"]) == ["fondation-x"]

    centre = pages.build_centre(corpus, "entreprises")
    paths = [p.path for p in centre.pages]
    assert f"kits/kit-a/{EXTRA.file}" in paths and f"kits/kit-b/{EXTRA.file}" not in paths
    home_a = dialect.markdown(next(p for p in centre.pages if p.path == "kits/kit-a/index.md"))
    home_b = dialect.markdown(next(p for p in centre.pages if p.path == "kits/kit-b/index.md"))
    assert f"## {parts.heading(len(parts.PARTS))} du kit" in home_a and f"[{EXTRA.label}]({EXTRA.file})" in home_a
    assert f"## {parts.heading(len(parts.PARTS) - 1)} du kit" in home_b and EXTRA.file not in home_b
    extra_page = next(p for p in centre.pages if p.path == f"kits/kit-a/{EXTRA.file}")
    assert "Un livre sur le partenariat." in dialect.markdown(extra_page)
    assert kit_a.ressources and "## Fichiers à télécharger" in dialect.markdown(extra_page)  # the part carrying downloads
    toolbox = dialect.markdown(next(p for p in centre.pages if p.path == f"kits/kit-a/{TOOLS.file}"))
    assert "## Fichiers à télécharger" not in toolbox
    printable = dialect.markdown(next(p for p in centre.pages if p.path == "kits/kit-a/imprimer.md"))
    assert f"## {EXTRA.label}" in printable

    def nav_entries(nav: list) -> list:
        out = []
        for entry in nav:
            if isinstance(entry, dict):
                for title, value in entry.items():
                    out += [(title, value)] if isinstance(value, str) else nav_entries(value)
            else:
                out.append((None, entry))
        return out

    entries = nav_entries(dialect.nav(centre))
    assert (EXTRA.label, f"kits/kit-a/{EXTRA.file}") in entries
    assert not any(value == f"kits/kit-b/{EXTRA.file}" for _, value in entries)

    documents = search.centre_documents(centre, corpus)
    found = [d for d in documents if d.url == f"kits/kit-a/{EXTRA.id}.html"]
    assert len(found) == 1 and found[0].fields["partie"] == EXTRA.label
    assert "partenariat" in found[0].fields["texte"]


def test_the_declared_registry_is_checked_and_published(declared: None, tmp_path: Path) -> None:
    root = tree(tmp_path)
    text = (root / "kit-a" / "kit.yml").read_text(encoding="utf-8").replace("[fondation-x]", "[fondation-y]")
    (root / "kit-a" / "kit.yml").write_text(text, encoding="utf-8")
    _, report = checks.check_kits(root)
    assert [p.message for p in report.errors] == [
        "« fondation-y » n'est pas un partenaire connu. Partenaires possibles : fondation-x. "
        "Vouliez-vous dire « fondation-x » ?"]
    published = formatdoc.kit_json_schema(formatdoc.registry_ids(root))
    alone, many = published["properties"]["partenaires"]["anyOf"]
    assert alone["enum"] == many["items"]["enum"] == ["fondation-x"]
    validator = jsonschema.Draft7Validator(published)
    assert not validator.is_valid({"titre": "T", "resume": "R", "publics": ["associations"], "enjeux": ["evaluation"],
                                   "auteurs": ["A"], "mise_a_jour": "2026-01-01", "partenaires": ["fondation-y"]})
    assert "| `partenaires` | non | liste d'identifiants (partenaires) |" in formatdoc.guide_blocks()["cles-kit"]
    assert "- **partenaires** : ceux de `kits/partenaires.yml` — `fondation-x`." in (
        formatdoc.guide_blocks(formatdoc.registry_ids(root))["identifiants"])
    assert f"{EXTRA.file}" in formatdoc.guide_blocks()["fichiers-kit"] and "(facultatif)" in formatdoc.parts_list()
    # A missing optional registry file is no problem; a missing required one is.
    (root / "partenaires.yml").unlink()
    _, report = checks.check_kits(root)
    assert [p.message for p in report.errors] == [
        "Le registre « partenaires.yml » manque ; il doit se trouver à la racine du dossier des kits."]


def test_make_new_writes_the_declared_part(declared: None, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tree(tmp_path)
    status = new_kit.main(["--kits", str(root), "--titre", "Un kit de plus", "--publics", "associations",
                                     "--enjeux", "evaluation", "--auteurs", "Équipe"])
    assert status == 0, capsys.readouterr().err
    folder = root / "un-kit-de-plus"
    assert sorted(p.name for p in folder.iterdir()) == sorted([kits.KIT_FILE, *(p.file for p in parts.PARTS)])
    assert (folder / EXTRA.file).read_text(encoding="utf-8") == EXTRA.guidance
    corpus, report = checks.check_kits(root)
    assert report.errors == []
    warned = sorted(p.file for p in report.problems if parts.GUIDANCE_MARK in p.message)
    assert f"kits/un-kit-de-plus/{EXTRA.file}" in warned
    # The scaffolded kit.yml is valid for the schema of this tree too.
    validator = jsonschema.Draft7Validator(formatdoc.kit_json_schema(formatdoc.registry_ids(root)))
    assert list(validator.iter_errors(load_yaml(folder / kits.KIT_FILE).data)) == []


def test_the_toolbox_part_is_named_in_the_part_table_only() -> None:
    # Code and tests read the part table: adding, renaming or making a part optional is one row.
    files = [*sorted((ROOT / "hooks").rglob("*.py")), *sorted((ROOT / "scripts").rglob("*.py")),
             *sorted((ROOT / "tests").glob("*.py"))]
    table = ROOT / "hooks" / "kitcore" / "parts.py"
    naming = [str(f.relative_to(ROOT)) for f in files if f != table and TOOLS.id in f.read_text(encoding="utf-8")]
    assert naming == []
    assert TOOLS.id in table.read_text(encoding="utf-8")
