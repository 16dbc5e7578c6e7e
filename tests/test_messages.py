"""Every validation message, in its exact French wording, with the file and line it names."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kitcore import checks, parts

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "corpus"
GOOD_YML = (
    "titre: Kit d'essai\n"
    "resume: Un résumé.\n"
    "publics:\n  - associations\n"
    "enjeux:\n  - evaluation\n"
    "auteurs:\n  - Équipe\n"
    "mise_a_jour: 2026-02-01\n"
)
PARTS = tuple(p.id for p in parts.PARTS)
TOOLS = next(p for p in parts.PARTS if p.downloads)


def make_tree(tmp_path: Path, kit_yml: str | None = GOOD_YML, kit_id: str = "essai", parts: dict | None = None) -> Path:
    """A kits tree with the fixture registries and one kit whose files can be overridden (None = absent)."""
    root = tmp_path / "kits"
    root.mkdir()
    for name in ("publics.yml", "enjeux.yml", "chiffres.yml"):
        shutil.copy(FIXTURE / name, root / name)
    shutil.copytree(FIXTURE / "kit-a", root / "kit-a")
    kit = root / kit_id
    kit.mkdir()
    if kit_yml is not None:
        (kit / "kit.yml").write_text(kit_yml, encoding="utf-8")
    contents = {p: f"## {p}\n\nDu texte.\n" for p in PARTS}
    contents.update(parts or {})
    for name, text in contents.items():
        if text is None:
            continue
        if isinstance(text, bytes):
            (kit / f"{name}.md").write_bytes(text)
        else:
            (kit / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def messages(root: Path) -> list[str]:
    _, report = checks.check_kits(root)
    return [p.text() for p in report.sorted()]


def yml(**changes: str) -> str:
    """GOOD_YML with some lines replaced: key -> full replacement text ('' removes the key)."""
    lines = GOOD_YML.split("\n")
    out, skip = [], False
    for line in lines:
        key = line.split(":")[0] if line and not line.startswith(" ") else None
        if key in changes:
            skip = True
            if changes[key]:
                out.append(changes[key].rstrip("\n"))
            continue
        if skip and line.startswith(" "):
            continue
        skip = False
        out.append(line)
    return "\n".join(out)


K = "kits/essai/kit.yml"

CASES = [
    ("public inconnu", yml(publics="publics:\n  - asociations"),
     f"{K}, ligne 4 : « asociations » n'est pas un public connu. Publics possibles : associations, entreprises, "
     "territoires. Vouliez-vous dire « associations » ?"),
    ("enjeu inconnu", yml(enjeux="enjeux: [evalutaion]"),
     f"{K}, ligne 5 : « evalutaion » n'est pas un enjeu connu. Enjeux possibles : evaluation, numerique. "
     "Vouliez-vous dire « evaluation » ?"),
    ("clé inconnue", GOOD_YML + "resumé: doublon\n",
     f"{K}, ligne 10 : La clé « resumé » n'est pas connue. Vouliez-vous dire « resume » ? Clés possibles : titre, "
     "resume, publics, enjeux, auteurs, mise_a_jour, licence, statut, ressources, sources, pour_aller_plus_loin, voir_aussi, mots_cles."),
    ("clé obligatoire manquante", yml(auteurs=""),
     f"{K} : La clé obligatoire « auteurs » manque ; les personnes qui ont écrit le kit, ou l'équipe éditoriale ; les études dont il s'inspire vont dans « sources »."),
    ("clé obligatoire vide", yml(titre="titre:"),
     f"{K}, ligne 1 : La clé obligatoire « titre » est vide ; le titre du kit, tel qu'il apparaît sur les cartes "
     "et dans la navigation."),
    ("texte attendu", yml(titre="titre: [a, b]"),
     f"{K}, ligne 1 : « titre » doit être un texte, pas une liste."),
    ("texte vide", yml(resume="resume: '  '"),
     f"{K}, ligne 2 : « resume » est vide ; écrivez-y un texte."),
    ("liste attendue", yml(auteurs="auteurs: {nom: x}"),
     f"{K}, ligne 7 : « auteurs » doit être une liste (une valeur par ligne, précédée de « - »), pas un ensemble de clés."),
    ("liste vide", yml(publics="publics: []"),
     f"{K}, ligne 3 : « publics » est une liste vide ; indiquez au moins une valeur."),
    ("date invalide", yml(mise_a_jour="mise_a_jour: 15/09/2026"),
     f"{K}, ligne 9 : « mise_a_jour » doit être une date au format AAAA-MM-JJ (par exemple 2026-03-31), pas « 15/09/2026 »."),
    ("date impossible", yml(mise_a_jour="mise_a_jour: 2026-02-30"),
     f"{K}, ligne 9 : « mise_a_jour » doit être une date au format AAAA-MM-JJ (par exemple 2026-03-31), pas « 2026-02-30 »."),
    ("licence inconnue", GOOD_YML + "licence: CC-BY-SA-40\n",
     f"{K}, ligne 10 : « CC-BY-SA-40 » n'est pas une valeur possible pour « licence ». Valeurs possibles : CC-BY-4.0, "
     "CC-BY-SA-4.0, CC-BY-NC-4.0, CC-BY-NC-SA-4.0, CC-BY-ND-4.0, CC-BY-NC-ND-4.0, CC0-1.0, etalab-2.0, LAL-1.3, "
     "ODbL-1.0. Vouliez-vous dire « CC-BY-SA-4.0 » ?"),
    ("statut inconnu", GOOD_YML + "statut: publié\n",
     f"{K}, ligne 10 : « publié » n'est pas une valeur possible pour « statut ». Valeurs possibles : publie, brouillon. "
     "Vouliez-vous dire « publie » ?"),
    ("voir_aussi vers un kit absent", GOOD_YML + "voir_aussi: [kit-aa]\n",
     f"{K}, ligne 10 : « voir_aussi » cite le kit « kit-aa », qui n'existe pas. Vouliez-vous dire « kit-a » ? "
     "Indiquez le nom du dossier d'un kit existant."),
    ("voir_aussi vers soi", GOOD_YML + "voir_aussi:\n  - essai\n",
     f"{K}, ligne 11 : Un kit ne peut pas se citer lui-même dans « voir_aussi » ; retirez son identifiant."),
    ("oui ou non sans guillemets", yml(titre="titre: No"),
     f"{K}, ligne 1 : « titre » vaut « No » sans guillemets : YAML peut le lire comme oui ou non (un booléen) plutôt "
     "que comme un texte ; mettez-le entre guillemets : titre: \"No\"."),
    ("élément oui ou non sans guillemets", yml(auteurs="auteurs:\n  - Équipe\n  - on"),
     f"{K}, ligne 9 : L'élément 2 de « auteurs » vaut « on » sans guillemets : YAML peut le lire comme oui ou non (un "
     "booléen) plutôt que comme un texte ; mettez-le entre guillemets : - \"on\"."),
    ("statut oui ou non", GOOD_YML + "statut: no\n",
     f"{K}, ligne 10 : « no » n'est pas une valeur possible pour « statut ». Valeurs possibles : publie, brouillon."),
    ("statut vide", GOOD_YML + "statut:\n",
     f"{K}, ligne 10 : La clé « statut » est vide ; écrivez l'une des valeurs possibles (publie, brouillon), ou retirez "
     "la ligne (par défaut : publie)."),
    ("liste facultative vide", GOOD_YML + "voir_aussi:\n",
     f"{K}, ligne 10 : La clé « voir_aussi » est vide ; écrivez une valeur, ou retirez la ligne."),
    ("ressource absente", GOOD_YML + "ressources:\n  - titre: Grille\n    fichier: fichiers/grille.ods\n",
     f"{K}, ligne 12 : Le fichier « fichiers/grille.ods » est introuvable dans le dossier du kit ; vérifiez son nom "
     "(majuscules, accents, extension) ou ajoutez-le."),
    ("ressource hors du kit", GOOD_YML + "ressources:\n  - titre: Secret\n    fichier: ../kit-a/kit.yml\n",
     f"{K}, ligne 12 : Le fichier « ../kit-a/kit.yml » est refusé : le chemin ne doit pas contenir « .. » : le "
     "fichier doit se trouver dans le dossier du kit."),
    ("ressource absolue", GOOD_YML + "ressources:\n  - titre: Secret\n    fichier: /etc/passwd\n",
     f"{K}, ligne 12 : Le fichier « /etc/passwd » est refusé : le chemin doit être relatif au dossier du kit, avec "
     "des « / », par exemple « fichiers/grille.csv »."),
    ("ressource sans fichier", GOOD_YML + "ressources:\n  - titre: Grille\n",
     f"{K}, ligne 11 : La clé obligatoire « fichier » manque ; chemin du fichier dans le dossier du kit, par exemple "
     "`fichiers/grille.csv`."),
    ("ressource mal formée", GOOD_YML + "ressources:\n  - fichiers/grille.csv\n",
     f"{K}, ligne 11 : L'élément 1 de « ressources » doit avoir les clés « titre » et « fichier »."),
    ("pas un dictionnaire", "- titre\n- resume\n",
     f"{K} : Le fichier doit contenir des paires « clé: valeur », pas une liste."),
    ("yaml invalide", "titre: Kit: essai\n",
     f"{K}, ligne 1 : La syntaxe YAML est invalide (deux-points inattendus, peut-être un texte à mettre entre "
     "guillemets) ; vérifiez l'indentation, les deux-points après chaque clé et les guillemets."),
    ("kit.yml vide", "",
     f"{K}, ligne 1 : Le fichier kit.yml est vide ; il doit contenir au moins titre, resume, publics, enjeux, "
     "auteurs et mise_a_jour."),
    ("kit.yml absent", None,
     f"{K} : Le fichier kit.yml manque ; copiez-le d'un autre kit ou lancez « make new »."),
]


@pytest.mark.parametrize("name, kit_yml, expected", CASES, ids=[c[0] for c in CASES])
def test_kit_yml_message(tmp_path: Path, name: str, kit_yml: str | None, expected: str) -> None:
    assert messages(make_tree(tmp_path, kit_yml)) == [expected]


PART_CASES = [
    ("partie absente", {"methodologie": None},
     "kits/essai/methodologie.md : La partie « Méthodologie » manque : créez le fichier methodologie.md dans le "
     "dossier du kit."),
    ("partie vide", {"illustrations": "\n  \n"},
     "kits/essai/illustrations.md : La partie « Illustrations » est vide ; rédigez-la avant de proposer le kit."),
    ("partie pas en UTF-8", {TOOLS.id: "## Outils\n\nGrille d'évaluation\n".encode("cp1252")},
     f"kits/essai/{TOOLS.file}, ligne 3 : Le texte n'est pas encodé en UTF-8 ; enregistrez le fichier en UTF-8 "
     "(dans votre éditeur : « Enregistrer sous », encodage UTF-8)."),
    ("chiffre inconnu", {"cadre-de-reference": "## A\n\nTexte {{ chiffre('maire') }}.\n"},
     "kits/essai/cadre-de-reference.md, ligne 3 : Le chiffre « maire » n'est pas défini dans chiffres.yml. "
     "Vouliez-vous dire « maires » ? Ajoutez-le à chiffres.yml avec sa source, ou corrigez l'identifiant."),
    ("texte d'aide laissé", {"methodologie": "## Étapes\n\nÀ COMPLÉTER : décrivez les étapes.\n"},
     "kits/essai/methodologie.md, ligne 3 : Avertissement — Le texte d'aide « À COMPLÉTER » est encore présent dans "
     "la partie « Méthodologie » : remplacez-le par votre contenu."),
    ("titre de niveau 1", {"illustrations": "# Illustrations\n\nTexte.\n"},
     "kits/essai/illustrations.md, ligne 1 : Avertissement — Titre de niveau 1 (« # ») : le titre de la partie est "
     "ajouté automatiquement ; commencez vos titres à « ## »."),
    ("classe réservée au thème", {"illustrations": "## A\n\n<pre class=\"mermaid x\">graph TD</pre>\n"},
     "kits/essai/illustrations.md, ligne 3 : Avertissement — La classe « mermaid » de la balise « <pre> » est réservée "
     "au thème du site : elle sera retirée de la page (voir « Contenus autorisés » dans la rubrique À propos du site)."),
    # A note nobody calls makes the engine refuse the page (its return link has no target): an error, here.
    ("note jamais appelée", {"illustrations": "## A\n\nTexte.\n\n> [^n]: Une note dans une citation.\n"},
     "kits/essai/illustrations.md, ligne 5 : La note « [^n] » est définie ici mais n'est appelée nulle part dans la "
     "partie ; écrivez « [^n] » dans le texte à l'endroit de l'appel, ou supprimez la note."),
    ("note jamais définie", {"illustrations": "## A\n\nTexte[^1] et `[^code]`.\n\n    [^bloc]: du code indenté\n"},
     "kits/essai/illustrations.md, ligne 3 : Avertissement — La note « [^1] » est appelée ici mais n'est définie "
     "nulle part dans la partie : elle s'affichera telle quelle. Ajoutez sa définition sur une ligne à part, par "
     "exemple en fin de partie : « [^1]: le texte de la note »."),
    ("gabarit non reconnu", {"illustrations": "## A\n\nTexte {{ config.site_name }}.\n"},
     "kits/essai/illustrations.md, ligne 3 : Avertissement — « {{ config.site_name }} » ressemble à une instruction de "
     "gabarit qui n'est pas reconnue : elle s'affichera telle quelle. Seuls {{ chiffre('…') }} et {{ source('…') }} "
     "sont interprétés."),
]


@pytest.mark.parametrize("name, parts, expected", PART_CASES, ids=[c[0] for c in PART_CASES])
def test_part_message(tmp_path: Path, name: str, parts: dict, expected: str) -> None:
    assert messages(make_tree(tmp_path, parts=parts)) == [expected]


@pytest.mark.parametrize("folder", ["editeur", "recherche", "schemas"])
def test_an_audience_cannot_take_a_folder_of_the_portal(tmp_path: Path, folder: str) -> None:
    from kitcore import reserved

    assert folder in reserved.PORTAL_FOLDERS
    root = make_tree(tmp_path)
    publics = root / "publics.yml"
    publics.write_text(publics.read_text(encoding="utf-8").replace("- id: territoires", f"- id: {folder}"), encoding="utf-8")
    found = messages(root)
    assert f"kits/publics.yml, ligne 12 : L'identifiant « {folder} » est le nom du dossier de " \
           f"{reserved.PORTAL_FOLDERS[folder]}, à la racine du site : le centre de ce public l'écraserait ; choisissez " \
           "un autre identifiant." in found, found


def test_invalid_folder_name(tmp_path: Path) -> None:
    root = make_tree(tmp_path, kit_id="Mon_Kit")
    assert messages(root) == [
        "kits/Mon_Kit : Le nom de dossier « Mon_Kit » n'est pas un identifiant de kit valide : utilisez des minuscules "
        "sans accents, des chiffres et des tirets, par exemple « mon-kit »."
    ]


def test_registry_problems(tmp_path: Path) -> None:
    root = make_tree(tmp_path)
    (root / "enjeux.yml").unlink()
    publics = (root / "publics.yml").read_text(encoding="utf-8")
    (root / "publics.yml").write_text(publics + "- id: associations\n  nom: Doublon\n  titre_centre: X\n  description: X\n"
                                      "  presentation: X\n", encoding="utf-8")
    (root / "notes.txt").write_text("brouillon", encoding="utf-8")
    assert messages(root) == [
        "kits/enjeux.yml : Le registre « enjeux.yml » manque ; il doit se trouver à la racine du dossier des kits.",
        "kits/notes.txt : Avertissement — Ce fichier n'appartient à aucun kit et sera ignoré ; rangez-le dans le "
        "dossier d'un kit.",
        "kits/publics.yml, ligne 17 : L'identifiant « associations » est déjà utilisé plus haut ; chaque identifiant "
        "doit être unique.",
    ]


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = yml(publics="publics: [asociations]", mise_a_jour="mise_a_jour: demain") + "couleur: rouge\n"
    root = make_tree(tmp_path, text, parts={"illustrations": None})
    found = messages(root)
    assert len(found) == 4, found
    assert [m.split(" : ")[0] for m in found] == [
        "kits/essai/illustrations.md", "kits/essai/kit.yml, ligne 3", "kits/essai/kit.yml, ligne 8",
        "kits/essai/kit.yml, ligne 9",
    ]
    assert "« asociations » n'est pas un public connu" in found[1]


def _run_check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), str(root), *args],
                          capture_output=True, text=True)


def test_check_command_exit_codes_and_formats(tmp_path: Path) -> None:
    good = _run_check(FIXTURE)
    assert good.returncode == 0 and good.stdout.strip() == "Tous les kits sont valides."
    root = make_tree(tmp_path, yml(publics="publics:\n  - asociations"))
    bad = _run_check(root)
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == [CASES[0][2], "1 erreur."]
    assert "Traceback" not in bad.stdout + bad.stderr
    gh = _run_check(root, "--format", "github")
    assert gh.stdout.splitlines()[0].startswith("::error file=kits/essai/kit.yml,line=4::« asociations »")
    js = json.loads(_run_check(root, "--format", "json").stdout)
    assert js["erreurs"] == 1 and js["avertissements"] == 0
    assert js["problemes"] == [{"file": "kits/essai/kit.yml", "line": 4, "message": CASES[0][2].split(" : ", 1)[1],
                                "severity": "erreur"}]


def test_broken_kit_cited_by_another_gives_one_error(tmp_path: Path) -> None:
    # kit-a cites nothing; make "essai" cite kit-a, then break kit-a's YAML: only kit-a's own problem is reported.
    root = make_tree(tmp_path, GOOD_YML + "voir_aussi: [kit-a]\n")
    (root / "kit-a" / "kit.yml").write_text("titre: [oops\n", encoding="utf-8")
    found = messages(root)
    assert len(found) == 1 and found[0].startswith("kits/kit-a/kit.yml, ligne ") and "syntaxe YAML" in found[0]


def test_protocol_relative_image_is_called_remote(tmp_path: Path) -> None:
    root = make_tree(tmp_path, parts={"illustrations": "## A\n\n<img src=\"//pisteur.example/a.png\" alt=\"x\">\n"})
    assert messages(root) == [
        "kits/essai/illustrations.md, ligne 3 : L'image « //pisteur.example/a.png » est sur un autre site : les centres "
        "doivent fonctionner hors ligne. Enregistrez l'image dans le dossier fichiers/ du kit et écrivez "
        "« fichiers/nom-de-l-image.png »."
    ]


def test_comment_in_a_code_block_is_not_a_level_one_title(tmp_path: Path) -> None:
    root = make_tree(tmp_path, parts={"methodologie": "## Étapes\n\n```bash\n# une commande commentée\nls\n```\n"})
    assert messages(root) == []


def test_parts_are_checked_even_when_kit_yml_does_not_parse(tmp_path: Path) -> None:
    # One run shows everything: the YAML error and the problems of the parts (links, images, figures, headings).
    root = make_tree(tmp_path, "titre: Kit: essai\n", parts={
        "illustrations": "# Illustrations\n\n![Schéma](fichiers/absent.png)\n",
        "methodologie": "## Étapes\n\nVoir {{ chiffre('maire') }} et [la suite](suite.md).\n",
    })
    assert messages(root) == [
        "kits/essai/illustrations.md, ligne 1 : Avertissement — Titre de niveau 1 (« # ») : le titre de la partie est "
        "ajouté automatiquement ; commencez vos titres à « ## ».",
        "kits/essai/illustrations.md, ligne 3 : L'image « fichiers/absent.png » mène à un fichier introuvable dans le "
        "dossier du kit ; vérifiez son nom (majuscules, accents, extension).",
        "kits/essai/kit.yml, ligne 1 : La syntaxe YAML est invalide (deux-points inattendus, peut-être un texte à mettre "
        "entre guillemets) ; vérifiez l'indentation, les deux-points après chaque clé et les guillemets.",
        "kits/essai/methodologie.md, ligne 3 : Le chiffre « maire » n'est pas défini dans chiffres.yml. Vouliez-vous "
        "dire « maires » ? Ajoutez-le à chiffres.yml avec sa source, ou corrigez l'identifiant.",
        "kits/essai/methodologie.md, ligne 3 : Le lien « suite.md » mène à un fichier introuvable dans le dossier du "
        "kit ; vérifiez son nom (majuscules, accents, extension).",
    ]


def test_parts_are_checked_when_kit_yml_is_missing(tmp_path: Path) -> None:
    root = make_tree(tmp_path, None, parts={"illustrations": "# Illustrations\n\nTexte.\n"})
    assert [m.split(" : ")[0] for m in messages(root)] == ["kits/essai/illustrations.md, ligne 1", "kits/essai/kit.yml"]


def test_a_part_may_link_to_the_printable_version_and_the_presentation(tmp_path: Path) -> None:
    root = make_tree(tmp_path, parts={"methodologie": "## Étapes\n\n[Imprimer](imprimer.md), [le kit](index.md).\n"})
    assert messages(root) == []


def test_the_printable_page_keeps_each_parts_own_notes(tmp_path: Path) -> None:
    # Two parts number their notes from 1; joined on the printable page, each note keeps its own text and its
    # call, while a [^1] shown as code in a third part stays as written.
    import markdown

    from kitcore import pages
    from kitcore.kits import load_corpus
    from kitcore.problems import Report

    first, second, third = PARTS[:3]
    root = make_tree(tmp_path, parts={
        first: "## Un\n\nPremier appel[^1].\n\n[^1]: Note du premier texte.\n",
        second: "## Deux\n\n- Second appel[^1] et un autre[^n].\n\n> [^1]: Note du second texte.\n\n[^n]: Autre note.\n",
        third: "## Trois\n\nDu code : `[^1]`.\n\n```\n[^1]: pas une note\n```\n",
    })
    assert messages(root) == []
    corpus = load_corpus(root, Report())
    printable = next(p for p in pages.build_centre(corpus, "associations").pages
                     if p.path == f"kits/essai/{parts.PRINTABLE}.md")
    text = next(b.text for b in printable.blocks if type(b).__name__ == "KitMarkdown")
    html = markdown.markdown(text, extensions=["footnotes", "fenced_code"])
    for note in ("Note du premier texte.", "Note du second texte.", "Autre note."):
        assert html.count(note) == 1
    assert html.count('class="footnote-ref"') == 3
    assert "<code>[^1]</code>" in html and "[^1]: pas une note" in html
    # The parts' own pages are untouched: their notes keep the ids written.
    section = next(p for p in pages.build_centre(corpus, "associations").pages if p.path == f"kits/essai/{second}.md")
    assert "[^1]" in next(b.text for b in section.blocks if type(b).__name__ == "KitMarkdown")
