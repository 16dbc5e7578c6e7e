"""The published JSON Schema of kit.yml, the VS Code wiring, and the contributor guide generated from the format."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

from kitcore import checks, formatdoc, parts, schema
from kitcore.kits import Kit, Resource, load_corpus
from kitcore.problems import Report
from kitcore.sources import load_yaml

SCHEMA_FILE = ROOT / "schemas" / "kit.schema.json"
GUIDE = ROOT / "CONTRIBUTING.md"
REAL_KITS = sorted((ROOT / "kits").glob("*/kit.yml"))


def validator() -> jsonschema.Draft7Validator:
    """The committed schema, checking date formats too (as the YAML extension does)."""
    return jsonschema.Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")),
                                      format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_committed_schema_and_guide_are_up_to_date() -> None:
    stale = formatdoc.stale_files(ROOT, ROOT / "kits")
    assert stale == [], (
        f"{', '.join(str(p.relative_to(ROOT)) for p in stale)} ne correspond plus au format ou aux registres "
        f"(publics, enjeux, kits) : lancez « {formatdoc.REGENERATE} » et validez le résultat."
    )


def test_schema_is_valid_draft7_with_the_registries_as_enums() -> None:
    data = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(data)
    ids = formatdoc.registry_ids(ROOT / "kits")
    props = data["properties"]
    for name in ("publics", "enjeux"):
        alone, listed = props[name]["anyOf"]
        assert alone["enum"] == listed["items"]["enum"] == sorted(ids[name]) and ids[name]
    assert data["required"] == [f.name for f in Kit.fields if f.required]
    assert data["additionalProperties"] is False


def test_committed_schema_does_not_depend_on_the_kits() -> None:
    # A new kit must not leave the committed schema stale: `voir_aussi` is checked by pattern in the editor.
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    listed = [p.parent.name for p in REAL_KITS if f'"{p.parent.name}"' in text]
    assert listed == [], f"le schéma publié cite des kits : {listed}"
    alone, many = json.loads(text)["properties"]["voir_aussi"]["anyOf"]
    assert alone["pattern"] == many["items"]["pattern"] == schema.ID_PATTERN.pattern


@pytest.mark.parametrize("path", REAL_KITS, ids=[p.parent.name for p in REAL_KITS])
def test_every_real_kit_is_valid_against_the_schema(path: Path) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator().iter_errors(load_yaml(path).data)]
    assert errors == []


GOOD = """\
titre: Évaluer un partenariat
resume: Une démarche pas à pas.
publics: [associations]
enjeux: [evaluation]
auteurs: [Observatoire des partenariats]
mise_a_jour: 2026-09-15
"""

BAD = [
    ("titre manquant", GOOD.replace("titre: Évaluer un partenariat\n", ""), "required"),
    ("clé inconnue", GOOD.replace("titre:", "title:"), "additionalProperties"),
    ("public inconnu", GOOD.replace("[associations]", "[asociations]"), "enum"),
    ("enjeu inconnu", GOOD.replace("[evaluation]", "[evaluations]"), "enum"),
    ("date à la française", GOOD.replace("2026-09-15", "15/09/2026"), "pattern"),
    ("date impossible", GOOD.replace("2026-09-15", "2026-02-30"), "format"),
    ("statut accentué", GOOD + "statut: publié\n", "enum"),
    ("licence inconnue", GOOD + "licence: CC-BY\n", "enum"),
    ("liste vide", GOOD.replace("[Observatoire des partenariats]", "[]"), "minItems"),
    ("ressource sans fichier", GOOD + "ressources:\n  - titre: Grille\n", "required"),
    ("ressource avec clé inconnue", GOOD + "ressources:\n  - titre: Grille\n    fichier: fichiers/g.csv\n    taille: 3\n",
     "additionalProperties"),
    ("voir_aussi mal écrit", GOOD + "voir_aussi: [Kit_Inconnu]\n", "pattern"),
    ("titre blanc", GOOD.replace("titre: Évaluer un partenariat", "titre: '   '"), "pattern"),
    ("statut vide", GOOD + "statut:\n", "enum"),
    ("titre vide", GOOD.replace("titre: Évaluer un partenariat", "titre: ''"), "minLength"),
    ("auteurs en ensemble", GOOD.replace("auteurs: [Observatoire des partenariats]", "auteurs: {nom: X}"), "type"),
]


def keywords(errors) -> set[str]:
    """JSON Schema keywords that failed, including inside `anyOf` (a list written as one value or as a list)."""
    out: set[str] = set()
    for e in errors:
        out.add(e.validator)
        out |= keywords(e.context or [])
    return out


def _load(tmp_path: Path, text: str):
    path = tmp_path / "kit.yml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path).data


def test_a_good_kit_is_valid(tmp_path: Path) -> None:
    assert list(validator().iter_errors(_load(tmp_path, GOOD))) == []


@pytest.mark.parametrize("name, text, keyword", BAD, ids=[b[0] for b in BAD])
def test_bad_kits_are_rejected_by_the_schema_and_by_make_check(tmp_path: Path, name: str, text: str, keyword: str) -> None:
    data = _load(tmp_path, text)
    errors = list(validator().iter_errors(data))
    assert keyword in keywords(errors), [e.message for e in errors]
    # The editor and `make check` agree: what VS Code underlines, the check refuses too.
    kits = tmp_path / "kits"
    folder = kits / "un-kit"
    folder.mkdir(parents=True)
    for registry in ("publics.yml", "enjeux.yml"):
        (kits / registry).write_text((ROOT / "kits" / registry).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "kit.yml").write_text(text, encoding="utf-8")
    for part in parts.PARTS:
        (folder / part.file).write_text("Texte.\n", encoding="utf-8")
    _, report = checks.check_kits(kits)
    assert report.errors, f"make check accepte un kit que le schéma refuse ({name})"


def load_yaml_11_bool():
    """What the loader of make check makes of `titre: No`."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kit.yml"
        path.write_text("titre: No\n", encoding="utf-8")
        return load_yaml(path).data["titre"]


def test_vscode_maps_the_schema_onto_every_kit() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == {"./schemas/kit.schema.json": ["kits/*/kit.yml"],
                       "./schemas/autodiagnostic.schema.json": ["kits/*/autodiagnostic.yml"]}
    # make check reads YAML 1.1 (PyYAML): `titre: No` is the boolean false there, so the editor must read it so too.
    assert settings["yaml.yamlVersion"] == "1.1"
    assert load_yaml_11_bool() is False
    assert (ROOT / "schemas" / "kit.schema.json").is_file()
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_built_site_carries_the_schema(tmp_path: Path) -> None:
    target = formatdoc.publish_schema(load_corpus(ROOT / "kits", Report()), tmp_path)
    assert target == tmp_path / "schemas" / "kit.schema.json"
    assert target.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


def test_guide_tables_are_generated_from_the_schema() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert formatdoc.missing_blocks(text) == []
    assert schema.markdown_table(Kit) in text
    assert schema.markdown_table(Resource) in text
    assert formatdoc.parts_list() in text
    assert formatdoc.update_guide(text) == text
    ids = formatdoc.registry_ids(ROOT / "kits")
    assert formatdoc.missing_blocks(text, ids) == [] and formatdoc.update_guide(text, ids) == text
    assert ", ".join(f"`{a}`" for a in ids["publics"]) in text.replace("\n  ", " ")


def test_regenerating_repairs_a_hand_edited_table(tmp_path: Path) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    edited = text.replace("| `titre` | oui | texte |", "| `titre` | non | texte |", 1)
    assert edited != text
    assert formatdoc.update_guide(edited) == text


def _guide_example() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("### Un exemple complet", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def test_guide_example_is_a_valid_kit(tmp_path: Path) -> None:
    data = _load(tmp_path, _guide_example())
    assert list(validator().iter_errors(data)) == []
    problems: list[str] = []
    clean = schema.coerce_mapping(Kit, data, lambda message, at: problems.append(message))
    assert problems == [] and clean is not None
    assert {f.name for f in Kit.fields} <= set(data), "l'exemple complet doit montrer toutes les clés"


def _messages_of_a_broken_tree(tmp_path: Path) -> list[str]:
    """Messages of a kits tree that breaks many rules at once."""
    kits = tmp_path / "kits"
    kits.mkdir()
    for registry in ("publics.yml", "enjeux.yml", "chiffres.yml"):
        (kits / registry).write_text((ROOT / "kits" / registry).read_text(encoding="utf-8"), encoding="utf-8")
    good = kits / "kit-a"
    good.mkdir()
    (good / "kit.yml").write_text(
        "title: X\nresume: R\npublics: [asociations]\nenjeux: [evaluation]\nauteurs: [A]\nmise_a_jour: 15/09/2026\n"
        "statut: publié\n", encoding="utf-8")
    other = kits / "kit-b"
    other.mkdir()
    (other / "kit.yml").write_text(
        "titre: B\nresume: R\npublics: [associations]\nenjeux: [evaluations]\nauteurs: [A, No]\nmise_a_jour: 2026-01-01\n"
        "mots_cles:\n"
        "voir_aussi: [kit-b, kit-z]\nressources:\n  - titre: G\n    fichier: fichiers/absent.csv\n", encoding="utf-8")
    (other / "cadre-de-reference.md").write_text("# Titre\n\n{{ chiffre('inconnu') }}\n", encoding="utf-8")
    (other / "illustrations.md").write_text("À COMPLÉTER\n", encoding="utf-8")
    (other / "methodologie.md").write_text("", encoding="utf-8")
    bad_yaml = kits / "kit-c"
    bad_yaml.mkdir()
    (bad_yaml / "kit.yml").write_text("titre: a: b\n", encoding="utf-8")
    tabs = kits / "Kit D"
    tabs.mkdir()
    (tabs / "kit.yml").write_text("titre: X\n\tresume: Y\n", encoding="utf-8")
    (kits / "notes.txt").write_text("x", encoding="utf-8")
    _, report = checks.check_kits(kits)
    return [p.message for p in report.problems]


# Distinctive words of each message, as the guide quotes them.
DOCUMENTED = [
    "la syntaxe YAML est invalide", "une tabulation sert d'indentation", "n'est pas connue",
    "La clé obligatoire", "doit être une date au format AAAA-MM-JJ", "n'est pas une valeur possible pour",
    "n'est pas un public connu", "n'est pas un enjeu connu", "qui n'existe pas",
    "Un kit ne peut pas se citer lui-même dans « voir_aussi »", "est introuvable dans le dossier du kit",
    "Titre de niveau 1", "n'est pas défini dans chiffres.yml", "Le texte d'aide « À COMPLÉTER » est encore présent",
    "n'est pas un identifiant de kit valide", "La partie « ", "Ce fichier n'appartient à aucun kit",
    "Vouliez-vous dire", "est vide ; écrivez une valeur, ou retirez la ligne",
    "sans guillemets : YAML peut le lire comme oui ou non",
]


def test_guide_explains_the_messages_contributors_meet(tmp_path: Path) -> None:
    messages = _messages_of_a_broken_tree(tmp_path)
    guide = GUIDE.read_text(encoding="utf-8").replace("\n", " ")
    for fragment in DOCUMENTED:
        assert any(fragment.lower() in m.lower() for m in messages), f"aucun message ne contient « {fragment} » : {messages}"
        assert fragment.lower() in guide.lower(), f"CONTRIBUTING.md n'explique pas le message « {fragment} »"


def test_scaffolded_kit_is_valid_against_the_published_schema(tmp_path: Path) -> None:
    from kitcore import scaffold

    kits = tmp_path / "kits"
    kits.mkdir()
    for registry in ("publics.yml", "enjeux.yml"):
        (kits / registry).write_text((ROOT / "kits" / registry).read_text(encoding="utf-8"), encoding="utf-8")
    folder = scaffold.create_kit(kits, scaffold.KitRequest("Un kit", ["associations"], ["numerique"], ["A"]))
    data = load_yaml(folder / "kit.yml").data
    assert list(validator().iter_errors(data)) == []
