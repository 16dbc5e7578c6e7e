"""Open data: a centre as one JSON document (kits, metadata, parts, files), with the JSON Schema it follows."""
from __future__ import annotations

import json
from pathlib import Path

from .. import attachments, parts
from ..archive import sha256_of
from ..figures import expand_figures
from ..kits import Corpus, Kit
from ..pages import Centre, kit_dir, licence_label

DATA_FILE = "donnees.json"  # inside each centre's folder
SCHEMA_FILE = "schemas/centre.schema.json"  # at the site's root, beside schemas/kit.schema.json
FORMAT_VERSION = 1


def _file_entry(kit: Kit, relative: str, folder: Path) -> dict | None:
    source, _ = attachments.check_path(kit.folder, relative)
    # Size and checksum of the file as published (a CSV gets a byte order mark), not of its source.
    path = folder / kit_dir(kit.id) / relative
    if source is None or not path.is_file():
        return None
    return {"chemin": f"{kit_dir(kit.id)}/{relative}", "format": path.suffix.lstrip(".").lower(),
            "octets": path.stat().st_size, "sha256": sha256_of(path)}


def kit_record(corpus: Corpus, kit: Kit, exports: dict[str, Path], folder: Path) -> dict:
    """One kit as open data: its kit.yml fields, its parts (figures expanded) and its files."""
    challenges = {c.id: c.nom for c in corpus.challenges}
    files = []
    for res in kit.ressources:
        entry = _file_entry(kit, res.fichier, folder)
        if entry is None:
            continue
        record = {"titre": res.titre, "description": res.description, **entry}
        if res.fichier.lower().endswith(".csv"):
            record["version_ods"] = entry["chemin"][: -len(".csv")] + ".ods"
        files.append(record)
    documents = []
    for kind, path in sorted(exports.items()):
        documents.append({"format": kind, "chemin": f"{kit_dir(kit.id)}/{path.name}", "octets": path.stat().st_size,
                          "sha256": sha256_of(path)})
    return {
        "id": kit.id,
        "titre": kit.titre,
        "resume": " ".join(kit.resume.split()),
        "publics": kit.publics,
        "enjeux": [{"id": c, "nom": challenges.get(c, c)} for c in kit.enjeux],
        "auteurs": kit.auteurs,
        "mise_a_jour": kit.mise_a_jour.isoformat(),
        "licence": {"spdx": kit.licence, "nom": licence_label(kit.licence)},
        "statut": kit.statut,
        "mots_cles": kit.mots_cles,
        "voir_aussi": kit.voir_aussi,
        "page": f"{kit_dir(kit.id)}/index.html",
        "parties": [
            {"id": p.id, "titre": p.label, "page": f"{kit_dir(kit.id)}/{p.id}.html",
             "markdown": expand_figures(kit.sections[p.id], corpus.figures).text.strip() + "\n"}
            for p in parts.of(kit.sections)
        ],
        "fichiers": files,
        "documents": documents,
    }


def centre_record(corpus: Corpus, centre: Centre, exports: dict[str, dict[str, Path]], site_url: str | None,
                  folder: Path) -> dict:
    """The whole centre as open data; the same sources give the same document (no build date, kits by id)."""
    a = centre.audience
    kits = sorted(centre.kits, key=lambda k: k.id)
    return {
        "format": FORMAT_VERSION,
        "schema": f"../{SCHEMA_FILE}",
        "centre": {"id": a.id, "nom": a.nom, "titre": a.titre_centre, "description": a.description},
        "adresse": f"{site_url.rstrip('/')}/{a.id}/" if site_url else None,
        "mise_a_jour": max(k.mise_a_jour for k in kits).isoformat() if kits else None,
        "kits": [kit_record(corpus, k, exports.get(k.id, {}), folder) for k in kits],
    }


def write_centre_data(corpus: Corpus, centre: Centre, folder: Path, exports: dict[str, dict[str, Path]],
                      site_url: str | None) -> Path:
    """Write `<centre>/donnees.json`."""
    target = folder / DATA_FILE
    target.write_text(json.dumps(centre_record(corpus, centre, exports, site_url, folder), ensure_ascii=False, indent=2) + "\n",
                      encoding="utf-8")
    return target


def _text(description: str) -> dict:
    return {"type": "string", "description": description}


def _strings(description: str) -> dict:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def _object(properties: dict, description: str) -> dict:
    return {"type": "object", "description": description, "properties": properties,
            "required": sorted(properties), "additionalProperties": False}


_PATH = {"type": "string", "pattern": r"^[^/].*$", "description": "Chemin relatif au dossier du centre."}
_SHA = {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "Empreinte SHA-256 du fichier."}
_SIZE = {"type": "integer", "minimum": 0, "description": "Taille en octets."}
_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of `donnees.json`, descriptions in French for reusers."""
    file_entry = _object({"titre": _text("Titre du fichier."),
                          "description": {"type": ["string", "null"], "description": "Ce que contient le fichier."},
                          "chemin": _PATH, "format": _text("Extension du fichier, en minuscules."), "octets": _SIZE,
                          "sha256": _SHA}, "Un fichier de la boîte à outils.")
    file_entry["properties"]["version_ods"] = {**_PATH, "description": "Le même tableau au format OpenDocument."}
    part = _object({"id": {"enum": [p.id for p in parts.PARTS]}, "titre": _text("Titre de la partie."),
                    "page": _PATH, "markdown": _text("Texte de la partie en Markdown, chiffres insérés.")},
                   "Une des quatre parties du kit.")
    document = _object({"format": {"enum": ["epub", "pdf"]}, "chemin": _PATH, "octets": _SIZE, "sha256": _SHA},
                       "Le kit entier en un document (PDF ou EPUB).")
    kit = _object({
        "id": _text("Identifiant du kit (nom de son dossier)."),
        "titre": _text("Titre du kit."),
        "resume": _text("Résumé du kit."),
        "publics": _strings("Identifiants des publics du kit."),
        "enjeux": {"type": "array", "description": "Enjeux du kit.",
                   "items": _object({"id": _text("Identifiant de l'enjeu."), "nom": _text("Nom de l'enjeu.")}, "Enjeu.")},
        "auteurs": _strings("Auteurs du kit."),
        "mise_a_jour": {**_DATE, "description": "Date de la dernière mise à jour (AAAA-MM-JJ)."},
        "licence": _object({"spdx": _text("Identifiant SPDX."), "nom": _text("Nom usuel de la licence.")}, "Licence."),
        "statut": {"enum": ["publie", "brouillon"]},
        "mots_cles": _strings("Mots-clés."),
        "voir_aussi": _strings("Identifiants des kits liés."),
        "page": _PATH,
        "parties": {"type": "array", "items": part, "minItems": sum(p.required for p in parts.PARTS),
                    "maxItems": len(parts.PARTS)},
        "fichiers": {"type": "array", "items": file_entry},
        "documents": {"type": "array", "items": document},
    }, "Un kit du centre.")
    root = _object({
        "format": {"const": FORMAT_VERSION, "description": "Version de ce format de données."},
        "schema": _text("Chemin de ce schéma, relatif au fichier de données."),
        "centre": _object({"id": _text("Identifiant du public."), "nom": _text("Nom du public."),
                           "titre": _text("Titre du centre."), "description": _text("Description du centre.")},
                          "Le centre de ressources."),
        "adresse": {"type": ["string", "null"], "description": "Adresse publiée du centre, si elle est connue."},
        "mise_a_jour": {"anyOf": [_DATE, {"type": "null"}], "description": "Date du kit le plus récent."},
        "kits": {"type": "array", "items": kit},
    }, "Les kits d'un centre de ressources, en données ouvertes.")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_FILE,
            "title": "Centre de ressources (données ouvertes)", **root}


def write_schema(site: Path) -> Path:
    """Write the schema at `schemas/centre.schema.json` in the built site."""
    target = site / SCHEMA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
