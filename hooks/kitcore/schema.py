"""The one declaration of the kit format: it drives validation, the format's documentation and the JSON Schema."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECTIONS: tuple[tuple[str, str], ...] = (
    ("cadre-de-reference", "Cadre de référence"),
    ("illustrations", "Illustrations"),
    ("methodologie", "Méthodologie"),
    ("boite-a-outils", "Boîte à outils"),
)
LICENCES = (
    "CC-BY-4.0",
    "CC-BY-SA-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-NC-ND-4.0",
    "CC0-1.0",
    "etalab-2.0",
    "LAL-1.3",
    "ODbL-1.0",
)
STATUTS = ("publie", "brouillon")


@dataclass(frozen=True)
class Field:
    """One key of a YAML mapping: its kind, whether it is required, and its French documentation."""

    name: str
    kind: str  # texte, liste, date, choix, ids, ressources, couleur
    required: bool
    description: str
    default: Any = None
    choices: tuple[str, ...] = ()
    refers_to: str = ""  # for kind "ids": publics, enjeux or kits
    example: Any = None


KIT_FIELDS: tuple[Field, ...] = (
    Field("titre", "texte", True, "Le titre du kit, tel qu'il apparaît sur les cartes et dans la navigation.",
          example="Évaluer un partenariat"),
    Field("resume", "texte", True, "Un paragraphe qui présente le kit : il s'affiche sur les cartes et dans la recherche.",
          example="Une démarche en cinq étapes pour mesurer ce que la relation partenariale a produit."),
    Field("publics", "ids", True, "Un ou plusieurs publics : le kit apparaît dans le centre de chacun.",
          refers_to="publics", example=["associations", "entreprises"]),
    Field("enjeux", "ids", True, "Un ou plusieurs enjeux partagés ; le premier range le kit dans la navigation.",
          refers_to="enjeux", example=["evaluation"]),
    Field("auteurs", "liste", True, "Une ou plusieurs personnes ou organisations.", example=["Observatoire des partenariats"]),
    Field("mise_a_jour", "date", True, "Date de la dernière mise à jour de fond, au format AAAA-MM-JJ.",
          example="2026-09-15"),
    Field("licence", "choix", False, "Licence du contenu (identifiant SPDX).", default="CC-BY-SA-4.0", choices=LICENCES),
    Field("statut", "choix", False,
          "« publie » ou « brouillon » : un brouillon n'apparaît que dans l'aperçu local, jamais dans le site publié.",
          default="publie", choices=STATUTS),
    Field("ressources", "ressources", False,
          "Fichiers proposés au téléchargement : une liste de `{titre, fichier}`, le fichier étant un chemin dans le dossier du kit.",
          default=(), example=[{"titre": "Grille d'autodiagnostic", "fichier": "fichiers/grille.csv"}]),
    Field("voir_aussi", "ids", False, "Identifiants de kits liés, proposés en fin de page.", default=(), refers_to="kits",
          example=["co-construire-sur-un-territoire"]),
    Field("mots_cles", "liste", False, "Mots-clés supplémentaires pour la recherche (synonymes, sigles).", default=(),
          example=["RSO", "mesure d'impact"]),
)

RESOURCE_FIELDS: tuple[Field, ...] = (
    Field("titre", "texte", True, "Le nom du fichier tel que le lecteur le voit."),
    Field("fichier", "texte", True, "Chemin du fichier dans le dossier du kit, par exemple `fichiers/grille.csv`."),
    Field("description", "texte", False, "Une phrase sur ce que contient le fichier et comment s'en servir."),
)

PUBLIC_FIELDS: tuple[Field, ...] = (
    Field("id", "texte", True, "Identifiant du public : minuscules, chiffres et tirets."),
    Field("nom", "texte", True, "Nom du public, par exemple « Associations »."),
    Field("titre_centre", "texte", True, "Nom du centre de ressources de ce public."),
    Field("description", "texte", True, "Une phrase de présentation, reprise sur le portail."),
    Field("presentation", "texte", True, "Texte d'accueil du centre (Markdown), écrit pour ce public."),
    Field("couleur", "choix", False, "Couleur principale du centre (palette de Material for MkDocs).", default="indigo",
          choices=("red", "pink", "purple", "deep-purple", "indigo", "blue", "light-blue", "cyan", "teal", "green",
                   "light-green", "lime", "yellow", "amber", "orange", "deep-orange", "brown", "grey", "blue-grey")),
    Field("icone", "texte", False, "Icône du centre (nom d'icône Material, par exemple `material/handshake`).",
          default="material/book-open-variant"),
)

ENJEU_FIELDS: tuple[Field, ...] = (
    Field("id", "texte", True, "Identifiant de l'enjeu : minuscules, chiffres et tirets."),
    Field("nom", "texte", True, "Nom de l'enjeu."),
    Field("description", "texte", True, "Ce que recouvre l'enjeu, en un ou deux paragraphes."),
)

FIGURE_FIELDS: tuple[Field, ...] = (
    Field("valeur", "texte", True, "Le chiffre tel qu'il s'affiche, par exemple « 69 % »."),
    Field("libelle", "texte", True, "Ce que mesure le chiffre, en une phrase courte."),
    Field("source", "texte", True, "L'étude d'où vient le chiffre (auteur, titre, année)."),
)


def suggest(value: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The closest known value to a probable typo, if any is close enough."""
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(value: str, choices: list[str] | tuple[str, ...]) -> str:
    """A French « Vouliez-vous dire … ? » sentence, or nothing."""
    guess = suggest(value, choices)
    return f" Vouliez-vous dire « {guess} » ?" if guess else ""


Reporter = Callable[[str, tuple], None]


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


TYPE_NAMES = {bool: "un booléen", int: "un nombre", float: "un nombre", list: "une liste", dict: "un ensemble de clés",
              str: "un texte", type(None): "une valeur vide"}


def describe(value: Any) -> str:
    """French name of a YAML value's type, for error messages."""
    return TYPE_NAMES.get(type(value), "une valeur")


def coerce_field(f: Field, value: Any, report: Reporter, at: tuple) -> Any:
    """Check one value against its field; report in French and return the normalised value (None if invalid)."""
    key = f.name
    if f.kind == "texte":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            report(f"« {key} » doit être un texte, pas {describe(value)}.", at)
            return None
        if not value.strip():
            report(f"« {key} » est vide ; écrivez-y un texte.", at)
            return None
        return value.strip()
    if f.kind in ("liste", "ids"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            report(f"« {key} » doit être une liste (une valeur par ligne, précédée de « - »), pas {describe(value)}.", at)
            return None
        if not items:
            report(f"« {key} » est une liste vide ; indiquez au moins une valeur.", at)
            return None
        out = []
        for i, item in enumerate(items):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not _is_text(item):
                report(f"l'élément {i + 1} de « {key} » doit être un texte non vide, pas {describe(item)}.",
                       at + ((i,) if isinstance(value, list) else ()))
                continue
            out.append(item.strip())
        return out
    if f.kind == "date":
        if isinstance(value, dt.date):
            return value
        text = str(value).strip() if isinstance(value, (str, int)) else ""
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            shown = value if isinstance(value, str) else describe(value)
            report(f"« {key} » doit être une date au format AAAA-MM-JJ (par exemple 2026-03-31), pas « {shown} ».", at)
            return None
    if f.kind == "choix":
        if not isinstance(value, str) or value not in f.choices:
            shown = value if isinstance(value, str) else describe(value)
            report(
                f"« {shown} » n'est pas une valeur possible pour « {key} ». Valeurs possibles : "
                f"{', '.join(f.choices)}.{did_you_mean(str(shown), f.choices)}",
                at,
            )
            return None
        return value
    if f.kind == "ressources":
        if not isinstance(value, list):
            report(f"« {key} » doit être une liste d'éléments « - titre: … / fichier: … », pas {describe(value)}.", at)
            return None
        out_r = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                report(f"l'élément {i + 1} de « {key} » doit avoir les clés « titre » et « fichier ».", at + (i,))
                continue
            clean = coerce_mapping(RESOURCE_FIELDS, item, report, at + (i,), f"l'élément {i + 1} de « {key} »")
            if clean is not None:
                out_r.append(clean)
        return out_r
    raise AssertionError(f"unknown field kind {f.kind}")


def coerce_mapping(fields: tuple[Field, ...], data: Any, report: Reporter, at: tuple = (), what: str = "le fichier") -> dict | None:
    """Check a mapping against fields; return the normalised mapping, or None if anything was wrong."""
    values, ok = coerce_partial(fields, data, report, at, what)
    return values if ok else None


def coerce_partial(fields: tuple[Field, ...], data: Any, report: Reporter, at: tuple = (), what: str = "le fichier") -> tuple[dict, bool]:
    """Check a mapping: unknown keys (with a suggestion), missing keys, then each value.

    Returns the valid values (defaults for absent optional keys) and whether everything was valid, so that
    callers can go on checking what is valid and report every problem at once.
    """
    if not isinstance(data, dict):
        report(f"{what} doit contenir des paires « clé: valeur », pas {describe(data)}.", at)
        return {}, False
    names = [f.name for f in fields]
    out: dict[str, Any] = {}
    ok = True
    for key in data:
        if key not in names:
            ok = False
            report(
                f"la clé « {key} » n'est pas connue.{did_you_mean(str(key), names)} "
                f"Clés possibles : {', '.join(names)}.",
                at + (key,),
            )
    for f in fields:
        if f.name not in data or data[f.name] is None:
            if f.required:
                ok = False
                verb = "est vide" if f.name in data else "manque"
                where = at + (f.name,) if f.name in data else at
                report(f"la clé obligatoire « {f.name} » {verb} ; {f.description[0].lower() + f.description[1:]}", where)
            else:
                out[f.name] = f.default
            continue
        value = coerce_field(f, data[f.name], report, at + (f.name,))
        if value is None:
            ok = False
        else:
            out[f.name] = value
    return out, ok


_JSON_TYPES = {"texte": {"type": "string", "minLength": 1}, "date": {"type": "string", "format": "date",
               "pattern": r"^\d{4}-\d{2}-\d{2}$"}}


def _field_schema(f: Field, ids: dict[str, list[str]]) -> dict:
    schema: dict[str, Any]
    if f.kind in _JSON_TYPES:
        schema = dict(_JSON_TYPES[f.kind])
    elif f.kind == "choix":
        schema = {"type": "string", "enum": list(f.choices)}
    elif f.kind == "liste":
        schema = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
    elif f.kind == "ids":
        item: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN.pattern}
        if ids.get(f.refers_to):
            item = {"type": "string", "enum": sorted(ids[f.refers_to])}
        schema = {"type": "array", "minItems": 1 if f.required else 0, "uniqueItems": True, "items": item}
    elif f.kind == "ressources":
        schema = {"type": "array", "items": object_schema(RESOURCE_FIELDS, ids)}
    else:
        raise AssertionError(f.kind)
    schema["description"] = f.description
    if f.default not in (None, ()):
        schema["default"] = f.default
    if f.example is not None:
        schema["examples"] = [f.example]
    return schema


def object_schema(fields: tuple[Field, ...], ids: dict[str, list[str]] | None = None) -> dict:
    """JSON Schema of a mapping declared by `fields`."""
    ids = ids or {}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field_schema(f, ids) for f in fields},
    }


def kit_json_schema(ids: dict[str, list[str]] | None = None) -> dict:
    """JSON Schema of kit.yml, with the known audience, challenge and kit ids as enums."""
    schema = object_schema(KIT_FIELDS, ids)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "kit.schema.json",
        "title": "kit.yml — fiche d'un kit pratique",
        "description": "Métadonnées d'un kit d'un centre de ressources. Documentation : CONTRIBUTING.md.",
        **schema,
    }


KIND_NAMES = {"texte": "texte", "liste": "liste de textes", "date": "date AAAA-MM-JJ", "choix": "une valeur parmi",
              "ids": "liste d'identifiants", "ressources": "liste de `{titre, fichier}`"}


def markdown_table(fields: tuple[Field, ...]) -> str:
    """Markdown table documenting fields, for the contributor guide."""
    rows = ["| clé | obligatoire | type | signification |", "|---|---|---|---|"]
    for f in fields:
        kind = KIND_NAMES[f.kind]
        if f.kind == "choix":
            kind += " " + ", ".join(f"`{c}`" for c in f.choices[:6]) + (", …" if len(f.choices) > 6 else "")
        if f.kind == "ids" and f.refers_to:
            kind += f" ({f.refers_to})"
        default = f" Par défaut : `{f.default}`." if f.default not in (None, ()) else ""
        rows.append(f"| `{f.name}` | {'oui' if f.required else 'non'} | {kind} | {f.description}{default} |")
    return "\n".join(rows)
