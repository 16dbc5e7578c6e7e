"""`make check` and the published JSON Schema give the same verdict on mutated kit.yml files.

Both come from the same field classes (kitcore.schema). The schema is checked with a real validator
(jsonschema), with and without format checking: editors' language servers do not check `format: date`, so the
schema's patterns alone must refuse what `make check` refuses.

What the schema cannot know is left out on purpose, and checked by `make check` alone: whether a `voir_aussi`
kit exists (the committed schema names no kit, so that a new kit never makes it stale), whether a resource
file exists inside the kit, whether a source's year is not in the future (a committed schema cannot follow the
clock), and YAML that does not parse (there is no data to validate).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT

from kitcore import checks, parts, schema
from kitcore.sources import load_yaml

SCHEMA_FILE = ROOT / "schemas" / "kit.schema.json"
GOOD = """\
titre: Évaluer un partenariat
resume: Une démarche pas à pas.
publics:
  - associations
enjeux:
  - evaluation
auteurs:
  - Jeanne Martin
mise_a_jour: 2026-09-15
"""
RESOURCE = "ressources:\n  - titre: Grille\n    fichier: fichiers/grille.csv\n"


def replace(key: str, line: str) -> str:
    """GOOD with the block of `key` replaced by `line` ('' removes the key)."""
    out, skip = [], False
    for row in GOOD.splitlines():
        if row.startswith(f"{key}:"):
            skip = True
            if line:
                out.append(line)
            continue
        if skip and row.startswith("  "):
            continue
        skip = False
        out.append(row)
    return "\n".join(out) + "\n"


VALID, REFUSED = True, False
CASES = [
    ("le kit de référence", GOOD, VALID),
    ("un public écrit sans liste", replace("publics", "publics: associations"), VALID),
    ("un public inconnu écrit sans liste", replace("publics", "publics: asociations"), REFUSED),
    ("un public inconnu", replace("publics", "publics: [asociations]"), REFUSED),
    ("un enjeu inconnu", replace("enjeux", "enjeux: [evaluations]"), REFUSED),
    ("aucun public", replace("publics", "publics: []"), REFUSED),
    ("un enjeu en double", replace("enjeux", "enjeux: [evaluation, evaluation]"), VALID),
    ("statut vide", GOOD + "statut:\n", REFUSED),
    ("statut brouillon", GOOD + "statut: brouillon\n", VALID),
    ("statut avec une majuscule", GOOD + "statut: Publie\n", REFUSED),
    ("licence vide", GOOD + "licence:\n", REFUSED),
    ("licence inconnue", GOOD + "licence: CC-BY\n", REFUSED),
    ("titre blanc", replace("titre", 'titre: "   "'), REFUSED),
    ("titre vide", replace("titre", "titre:"), REFUSED),
    ("titre nul", replace("titre", "titre: ~"), REFUSED),
    ("titre en liste", replace("titre", "titre: [a, b]"), REFUSED),
    ("titre numérique", replace("titre", "titre: 2026"), VALID),
    ("titre No sans guillemets", replace("titre", "titre: No"), REFUSED),
    ("titre No entre guillemets", replace("titre", 'titre: "No"'), VALID),
    ("titre on", replace("titre", "titre: on"), REFUSED),
    ("titre y", replace("titre", "titre: y"), REFUSED),
    ("titre true", replace("titre", "titre: true"), REFUSED),
    ("résumé off", replace("resume", "resume: off"), REFUSED),
    ("résumé manquant", replace("resume", ""), REFUSED),
    ("auteur blanc", replace("auteurs", 'auteurs: ["  "]'), REFUSED),
    ("auteur yes", replace("auteurs", "auteurs: [yes]"), REFUSED),
    ("aucun auteur", replace("auteurs", "auteurs: []"), REFUSED),
    ("un auteur sans liste", replace("auteurs", "auteurs: Jeanne Martin"), VALID),
    ("auteurs en ensemble de clés", replace("auteurs", "auteurs: {nom: Jeanne}"), REFUSED),
    ("date impossible", replace("mise_a_jour", "mise_a_jour: 2026-02-30"), REFUSED),
    ("29 février d'une année bissextile", replace("mise_a_jour", "mise_a_jour: 2024-02-29"), VALID),
    ("29 février d'une année ordinaire", replace("mise_a_jour", "mise_a_jour: 2025-02-29"), REFUSED),
    ("29 février 2100", replace("mise_a_jour", "mise_a_jour: 2100-02-29"), REFUSED),
    ("29 février 2000", replace("mise_a_jour", "mise_a_jour: 2000-02-29"), VALID),
    ("31 avril", replace("mise_a_jour", "mise_a_jour: 2026-04-31"), REFUSED),
    ("année zéro", replace("mise_a_jour", "mise_a_jour: 0000-01-01"), REFUSED),
    ("date avant 1980", replace("mise_a_jour", "mise_a_jour: 1979-12-31"), REFUSED),
    ("date après 2107", replace("mise_a_jour", "mise_a_jour: 2108-01-01"), REFUSED),
    ("dernière date possible", replace("mise_a_jour", "mise_a_jour: 2107-12-31"), VALID),
    ("date à la française", replace("mise_a_jour", "mise_a_jour: 15/09/2026"), REFUSED),
    ("date sans zéros", replace("mise_a_jour", "mise_a_jour: 2026-9-5"), REFUSED),
    ("date en nombre", replace("mise_a_jour", "mise_a_jour: 20260915"), REFUSED),
    ("voir_aussi vide", GOOD + "voir_aussi: []\n", VALID),
    ("voir_aussi sans liste", GOOD + "voir_aussi: autre-kit\n", VALID),
    ("voir_aussi mal écrit", GOOD + "voir_aussi: [Autre_Kit]\n", REFUSED),
    ("voir_aussi nul", GOOD + "voir_aussi:\n", REFUSED),
    ("mots-clés vides", GOOD + "mots_cles: []\n", VALID),
    ("mot-clé numérique", GOOD + "mots_cles: [2030]\n", VALID),
    ("une ressource", GOOD + RESOURCE, VALID),
    ("ressources vides", GOOD + "ressources: []\n", VALID),
    ("ressource sans fichier", GOOD + "ressources:\n  - titre: Grille\n", REFUSED),
    ("ressource avec une clé inconnue", GOOD + RESOURCE + "    taille: 3\n", REFUSED),
    ("ressource à description blanche", GOOD + RESOURCE + '    description: " "\n', REFUSED),
    ("ressources en un texte", GOOD + "ressources: fichiers/grille.csv\n", REFUSED),
    ("ressource en un texte", GOOD + "ressources:\n  - fichiers/grille.csv\n", REFUSED),
    ("une source", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + "    annee: 2015\n", VALID),
    ("une source sans date", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + "    annee: s. d.\n", VALID),
    ("une source datée en texte", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + '    annee: "2015"\n', VALID),
    ("une source du XVIIe siècle", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + "    annee: 1650\n", REFUSED),
    ("une source à l'année sur cinq chiffres", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + "    annee: 20155\n", REFUSED),
    ("une source sans année", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n", REFUSED),
    ("une source en ligne", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + "    annee: 2015\n    adresse: https://www.exemple.fr/etude.pdf\n", VALID),
    ("une source en http", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + "    annee: 2015\n    adresse: http://www.exemple.fr/\n", REFUSED),
    ("une source sur un nom de machine", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + "    annee: 2015\n    adresse: https://intranet/\n", REFUSED),
    ("une source avec identifiant", GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + "    annee: 2015\n    adresse: https://moi@www.exemple.fr/\n", REFUSED),
    ("une lecture", GOOD + "pour_aller_plus_loin:\n  - titre: Un site\n    adresse: https://www.exemple.fr:8443/a?b=c\n",
     VALID),
    ("une lecture sans adresse", GOOD + "pour_aller_plus_loin:\n  - titre: Un site\n", REFUSED),
    ("une lecture à l'adresse blanche", GOOD + 'pour_aller_plus_loin:\n  - titre: Un site\n    adresse: " "\n', REFUSED),
    ("clé inconnue", GOOD + "couleur: rouge\n", REFUSED),
    ("clé numérique", GOOD + "1: x\n", REFUSED),
    ("une liste au lieu de clés", "- titre\n- resume\n", REFUSED),
    ("document vide", "", REFUSED),
]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real registries, a kit to cite, and the kit under test (its kit.yml is rewritten per case)."""
    root = tmp_path_factory.mktemp("accord") / "kits"
    root.mkdir()
    for name in ("publics.yml", "enjeux.yml"):
        shutil.copy(ROOT / "kits" / name, root / name)
    for kit, text in (("autre-kit", GOOD), ("essai", GOOD)):
        folder = root / kit
        (folder / "fichiers").mkdir(parents=True)
        (folder / "kit.yml").write_text(text, encoding="utf-8")
        (folder / "fichiers" / "grille.csv").write_text("critère;note\nclarté;\n", encoding="utf-8")
        for part in parts.PARTS:
            (folder / part.file).write_text("## Une partie\n\nDu texte.\n", encoding="utf-8")
    return root


def check_verdict(root: Path, text: str) -> tuple[bool, list[str]]:
    """Whether `make check` accepts kit.yml, and what it says about it."""
    (root / "essai" / "kit.yml").write_text(text, encoding="utf-8")
    _, report = checks.check_kits(root)
    said = [p.text() for p in report.errors]
    return not said, said


def as_yaml_1_1(data, words: dict[tuple, str], path: tuple = ()):
    """The data as a YAML 1.1 reader sees it (the editor with `yaml.yamlVersion: 1.1`): `y`, `n`… are booleans too."""
    if path in words:
        return words[path].lower() in ("y", "yes", "true", "on")
    if isinstance(data, dict):
        return {k: as_yaml_1_1(v, words, path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [as_yaml_1_1(v, words, path + (i,)) for i, v in enumerate(data)]
    return data


def schema_verdicts(root: Path) -> tuple[bool, bool, list[str]]:
    """Whether the committed schema accepts kit.yml, without and with format checking, and its messages."""
    located = load_yaml(root / "essai" / "kit.yml")
    data = as_yaml_1_1(located.data, located.words)
    published = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    plain = list(jsonschema.Draft7Validator(published).iter_errors(data))
    formats = list(jsonschema.Draft7Validator(published, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
                   .iter_errors(data))
    return not plain, not formats, [e.message for e in plain + formats]


def test_the_table_is_large_and_tests_both_verdicts() -> None:
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)
    assert sum(1 for c in CASES if c[2]) >= 10 and sum(1 for c in CASES if not c[2]) >= 20


@pytest.mark.parametrize("name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_check_and_published_schema_agree(tree: Path, name: str, text: str, expected: bool) -> None:
    checked, said = check_verdict(tree, text)
    plain, formats, messages = schema_verdicts(tree)
    assert checked == expected, f"make check : {said}"
    assert plain == expected, f"schéma publié : {messages}"
    assert formats == expected, f"schéma publié (formats vérifiés) : {messages}"


def test_what_only_make_check_knows(tree: Path) -> None:
    # The schema names no kit, sees no file and does not follow the clock (a source published next year):
    # these pass it, and `make check` refuses them.
    next_year = __import__("datetime").date.today().year + 1
    for text in (GOOD + "voir_aussi: [kit-absent]\n", GOOD + "voir_aussi: [essai]\n",
                 GOOD + "ressources:\n  - titre: Grille\n    fichier: fichiers/absente.csv\n",
                 GOOD + "sources:\n  - titre: Une étude\n    auteur: Un institut\n" + f"    annee: {next_year}\n"):
        checked, _ = check_verdict(tree, text)
        plain, formats, _ = schema_verdicts(tree)
        assert (checked, plain, formats) == (False, True, True)


def test_date_pattern_is_the_date_kind() -> None:
    # Every day-like text from 1970 to 2120 (impossible days included): the pattern accepts exactly what
    # `make check` accepts, calendar and bounds (schema.FIRST_DATE, schema.LAST_DATE).
    pattern = re.compile(schema.DATE_PATTERN)
    field = schema.Date("", required=True)
    field.__set_name__(object, "mise_a_jour")
    ctx = schema.Context(lambda message, at: None)
    for year in [*range(1970, 2121), 1, 1900, 2400, 9999]:
        for month in range(0, 14):
            for day in range(0, 33):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                assert bool(pattern.match(text)) == (field.coerce(text, ctx, ()) is not None), text
    assert pattern.match(schema.FIRST_DATE.isoformat()) and pattern.match(schema.LAST_DATE.isoformat())


def test_every_field_of_kit_yml_is_in_the_table() -> None:
    # A new kit.yml field comes with its cases here, so that the schema and make check keep agreeing on it.
    from kitcore.kits import Kit

    written = {line.split(":", 1)[0] for _, text, _ in CASES for line in text.splitlines() if line[:1].isalpha()}
    assert [f.name for f in Kit.fields if f.name not in written] == []
