"""Scaffolding of a new kit: its id from the title, its kit.yml and its parts with guidance to replace."""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import parts, schema
from .kits import ENJEUX_FILE, KIT_FILE, PUBLICS_FILE, Corpus, load_corpus, slugify
from .parts import GUIDANCE_MARK
from .problems import Report

# Relative to kits/<id>/kit.yml: the schema committed at the root of the repository.
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schemas/kit.schema.json"
MAX_ID_LENGTH = 60
# The summary a new kit starts with (make new and the web editor), to be replaced by the contributor.
SUMMARY_GUIDANCE = (f"{GUIDANCE_MARK} : en deux ou trois phrases, à qui s'adresse ce kit et ce qu'il permet de faire.\n"
                    "Ce résumé s'affiche sur les cartes des centres et dans les résultats de recherche.")
DRAFT = "brouillon"  # a new kit's status: visible in the preview only, until its author publishes it


class ScaffoldError(Exception):
    """A request that cannot become a kit, explained in French."""


@dataclass(frozen=True)
class KitRequest:
    """What a contributor gives to start a kit."""

    titre: str
    publics: list[str]
    enjeux: list[str]
    auteurs: list[str]


@dataclass(frozen=True)
class Choice:
    """One id a contributor may pick, with its readable name."""

    id: str
    nom: str


def kit_id(titre: str) -> str:
    """The folder name of a kit from its title: accents removed, lowercase, hyphens, at most 60 characters."""
    slug = slugify(titre)
    if len(slug) > MAX_ID_LENGTH:
        # Cut on a word boundary: a long title gives a short but readable folder name.
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0]
    return slug


def registry_choices(root: Path) -> tuple[list[Choice], list[Choice]]:
    """The audiences and challenges of a kits tree; ScaffoldError if its registries are unusable."""
    report = Report(base=root.parent)
    corpus: Corpus = load_corpus(root, report)
    registry_errors = [p for p in report.errors if p.file.endswith((PUBLICS_FILE, ENJEUX_FILE))]
    if not root.is_dir() or not corpus.audiences or not corpus.challenges:
        detail = "\n".join(p.text() for p in registry_errors) or f"Dossier des kits : {root}"
        raise ScaffoldError(
            "Impossible de lire les publics et les enjeux (publics.yml, enjeux.yml) ; corrigez-les d'abord "
            f"(make check).\n{detail}"
        )
    return ([Choice(a.id, a.nom) for a in corpus.audiences], [Choice(c.id, c.nom) for c in corpus.challenges])


def split_list(answer: str) -> list[str]:
    """Values typed on one line, separated by commas or semicolons."""
    return [part.strip() for part in re.split(r"[,;]", answer) if part.strip()]


def resolve_choices(answer: str, options: list[Choice], what: str) -> list[str]:
    """Ids picked by a contributor, who may type numbers, ids or names separated by commas."""
    picked: list[str] = []
    ids = [o.id for o in options]
    for token in split_list(answer):
        chosen = None
        if token.isdigit() and 1 <= int(token) <= len(options):
            chosen = options[int(token) - 1].id
        else:
            wanted = slugify(token)
            for o in options:
                if wanted in (o.id, slugify(o.nom)):
                    chosen = o.id
        if chosen is None:
            raise ScaffoldError(
                f"« {token} » n'est pas un {what} connu. Choix possibles : {', '.join(ids)}."
                f"{schema.did_you_mean(slugify(token), ids)}"
            )
        if chosen not in picked:
            picked.append(chosen)
    if not picked:
        raise ScaffoldError(f"Indiquez au moins un {what} (par exemple « {ids[0]} »).")
    return picked


def validate_request(root: Path, request: KitRequest) -> str:
    """The new kit's id, after checking the title, the authors and that no kit has this id yet."""
    titre = " ".join(request.titre.split())
    if not titre:
        raise ScaffoldError("Le titre est vide ; donnez au kit un titre, par exemple « Évaluer un partenariat ».")
    ident = kit_id(titre)
    if not ident:
        raise ScaffoldError(
            f"Le titre « {titre} » ne contient aucune lettre ni aucun chiffre : impossible d'en tirer un nom de dossier."
        )
    if not [a for a in request.auteurs if a.strip()]:
        raise ScaffoldError("Indiquez au moins un auteur : une personne ou une organisation.")
    if (root / ident).exists():
        raise ScaffoldError(
            f"Un kit « {ident} » existe déjà ({root.name}/{ident}). Choisissez un autre titre, "
            "ou modifiez directement ce kit."
        )
    return ident


def _yaml_text(value: str) -> str:
    # Plain when YAML reads it back unchanged (easier for people to edit), else a JSON string, which is valid YAML.
    try:
        if ":" not in value and "#" not in value and yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _yaml_list(key: str, values: list[str]) -> str:
    return f"{key}:\n" + "".join(f"  - {_yaml_text(v)}\n" for v in values)


def kit_yml(request: KitRequest, today: dt.date) -> str:
    """The kit.yml of a new kit: a draft, with a summary to write."""
    titre = " ".join(request.titre.split())
    return (
        f"{SCHEMA_COMMENT}\n"
        "# La fiche du kit. Chaque clé est expliquée dans CONTRIBUTING.md, « Le format d'un kit ».\n"
        f"titre: {_yaml_text(titre)}\n"
        "resume: >\n"
        + "".join(f"  {line}\n" for line in SUMMARY_GUIDANCE.splitlines())
        + _yaml_list("publics", request.publics)
        + _yaml_list("enjeux", request.enjeux)
        + _yaml_list("auteurs", [" ".join(a.split()) for a in request.auteurs if a.strip()])
        + f"mise_a_jour: {today.isoformat()}\n"
        "licence: CC-BY-SA-4.0\n"
        "# « brouillon » : visible seulement dans l'aperçu (make serve). Passez à « publie » quand le kit est prêt.\n"
        f"statut: {DRAFT}\n"
        "# Fichiers à télécharger, rangés dans le dossier fichiers/ du kit :\n"
        "# ressources:\n"
        "#   - titre: Grille d'autodiagnostic\n"
        "#     fichier: fichiers/grille.csv\n"
        "# Les études dont le kit s'inspire (leurs auteurs ne sont pas ceux du kit), et des lectures en ligne :\n"
        "# sources:\n"
        "#   - titre: Titre exact du document\n"
        "#     auteur: Organisation qui l'a publié\n"
        "#     annee: 2017\n"
        "#     adresse: https://www.exemple.fr/document.pdf\n"
        "# pour_aller_plus_loin:\n"
        "#   - titre: Nom de la page\n"
        "#     adresse: https://www.exemple.fr/\n"
    )


def kit_files(request: KitRequest, today: dt.date) -> dict[str, str]:
    """Every file of a new kit, by name inside its folder."""
    files = {KIT_FILE: kit_yml(request, today)}
    for part in parts.PARTS:
        files[part.file] = part.guidance
    return files


def create_kit(root: Path, request: KitRequest, today: dt.date | None = None) -> Path:
    """Write a new kit folder under `root` and return it; ScaffoldError (in French) if it cannot be done."""
    ident = validate_request(root, request)
    folder = root / ident
    files = kit_files(request, today or dt.date.today())
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
