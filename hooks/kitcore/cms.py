"""The web editor (Decap CMS): its configuration derived from the kit format, and its files vendored into a site."""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import yaml

from . import parts, reserved, scaffold, schema
from .inputs import ROOT
from .kits import KIT_FILE, KITS, UPLOADS_FOLDER, Corpus, Kit, registry

FOLDER = reserved.EDITOR_FOLDER  # the editor's address in the portal and in the preview: /editeur/
WEB = Path(__file__).resolve().parent / "web" / "editeur"
NODE_MODULES = ROOT / "node_modules"
# What the site takes from the npm packages pinned in package-lock.json (no CDN: the editor works from the site).
VENDORED = {"decap-cms/dist": "", "yaml/browser/dist": "yaml"}
DEFAULT_REPO = "centres-de-ressources/centres"
# Commit messages and pull-request titles, in French (Decap CMS fills in the {{…}}).
COMMIT_MESSAGES = {"create": "Nouveau kit : {{slug}}", "update": "Mise à jour du kit {{slug}}",
                   "delete": "Suppression du kit {{slug}}", "uploadMedia": "Ajout du fichier {{path}}",
                   "deleteMedia": "Suppression du fichier {{path}}", "openAuthoring": "{{message}}"}
PROXY_PORT = 8081
SOURCE_FIELD = "_source"
ID_FIELD = "identifiant"  # set when a new kit is saved (kit-id.js): its folder's name, never written in kit.yml

# The French label of each key of kit.yml and of a resource (their help is the field's description).
LABELS = {
    "titre": "Titre", "resume": "Résumé", "publics": "Publics", "enjeux": "Enjeux", "auteurs": "Auteurs",
    "mise_a_jour": "Date de mise à jour", "licence": "Licence", "statut": "Statut du kit",
    "ressources": "Fichiers à télécharger", "sources": "Sources", "pour_aller_plus_loin": "Pour aller plus loin",
    "voir_aussi": "Kits liés", "mots_cles": "Mots-clés",
    "fichier": "Fichier", "description": "Description", "auteur": "Auteur", "annee": "Année",
    "adresse": "Adresse web",
}
# Keys written on several lines (a `>` folded block), in the form as in kit.yml.
MULTILINE = ("resume", "description")
ITEM_LABELS = {"auteurs": "Auteur", "mots_cles": "Mot-clé"}
# What a kit created in the editor starts with, as `make new` writes it (the parts: their guidance).
NEW_KIT = {"resume": scaffold.SUMMARY_GUIDANCE, "statut": scaffold.DRAFT}
MARKDOWN_HINT = ("Markdown brut, tel qu'il est enregistré : encadrés « !!! note », notes [^1], "
                 "{{ chiffre('…') }} et attributs { … } restent tels quels.")


def label(f: schema.Field) -> str:
    """The French label of a key in the form (a key without one gets its name, and a test asks for one)."""
    return LABELS.get(f.name) or f.name.replace("_", " ").capitalize()


def _field(f: schema.Field, corpus: Corpus) -> dict:
    """The Decap CMS field of one key of kit.yml (or of a resource), from its class in the kit format."""
    out: dict = {"name": f.name, "label": label(f), "hint": f.description, "required": f.required}
    if isinstance(f, schema.Ids) and f.refers_to == KITS:
        # Read from the kits themselves when the editor opens: the configuration does not list them.
        out.update(widget="relation", collection="kits", value_field="{{slug}}", search_fields=["titre"],
                   display_fields=["titre"], multiple=True)
    elif isinstance(f, schema.Ids):
        names = {i: getattr(r, "nom", i) for i, r in corpus.registries.get(f.refers_to, {}).items()}
        out.update(widget="choix", multiple=True, unknown_message=f"n'est pas {registry(f.refers_to).unknown}.",
                   options=[{"label": f"{nom} ({i})", "value": i} for i, nom in names.items()])
    elif isinstance(f, schema.TextList):
        out.update(widget="list", allow_add=True, collapsed=False,
                   field={"name": "valeur", "label": ITEM_LABELS.get(f.name, label(f)), "widget": "string"})
    elif isinstance(f, schema.Date):
        # The schema's pattern: a real calendar date, refused in the form as `make check` refuses it.
        out.update(widget="datetime", format="YYYY-MM-DD", date_format="YYYY-MM-DD", time_format=False,
                   picker_utc=True, pattern=[schema.DATE_PATTERN, f"« {f.name} » doit être une date réelle au format "
                                                                  "AAAA-MM-JJ, par exemple 2026-03-31."])
    elif isinstance(f, schema.Choice):
        out.update(widget="select", options=list(f.choices))
    elif isinstance(f, schema.Records):
        out.update(widget="list", collapsed=False, summary="{{fields.%s}}" % f.record.fields[0].name,
                   fields=[_field(r, corpus) for r in f.record.fields])
    elif isinstance(f, schema.Text):
        out["widget"] = "text" if f.name in MULTILINE else "string"
        if f.name == "fichier":
            # Uploads go into the kit's own fichiers/ folder; kit.yml records the path relative to the kit.
            out.update(widget="file", choose_url=False, media_folder="fichiers", public_folder="fichiers")
    elif isinstance(f, schema.PublicationYear):
        out.update(widget="string", pattern=[r"^(?:\d{4}|s\. d\.)$", f"« {f.name} » : une année sur quatre chiffres, "
                                                                      "ou « s. d. » pour un document non daté."])
    else:
        out["widget"] = "string"  # a kind the editor does not know yet: typed as text, checked by make check
    if f.default not in (None, (), []):
        out["default"] = f.default
    if f.name in NEW_KIT:
        out["default"] = NEW_KIT[f.name]
    return out


def config(corpus: Corpus, folder: str = "kits") -> dict:
    """The editor's configuration without its backend: one collection of kits, every field from the kit format."""
    fields = [_field(f, corpus) for f in Kit.fields]
    fields.append({"name": SOURCE_FIELD, "widget": "hidden", "required": False})
    for number, part in enumerate(parts.PARTS, 1):
        fields.append({"name": part.id, "label": f"{number}. {part.label}", "widget": "markdown", "modes": ["raw"],
                       "buttons": [], "editor_components": [], "required": part.required,
                       "hint": f"{part.summary[0].upper()}{part.summary[1:]}. {MARKDOWN_HINT}",
                       "default": part.guidance})
    return {
        "locale": "fr",
        # Each kit has its own; Decap requires a shared one too, which `make check` reports until emptied.
        "media_folder": f"{folder}/{UPLOADS_FOLDER}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": False},
        "collections": [{
            "name": "kits",
            "label": "Kits",
            "label_singular": "kit",
            "description": "Chaque kit est un dossier de kits/ : sa fiche (kit.yml) et ses quatre parties en Markdown.",
            "folder": folder,
            "path": "{{slug}}/" + KIT_FILE.removesuffix(".yml"),
            "extension": "yml",
            "format": "kit",
            "create": True,
            "delete": False,
            "identifier_field": "titre",
            "slug": "{{" + ID_FIELD + "}}",
            "summary": "{{titre}}",
            "sortable_fields": ["titre", "mise_a_jour"],
            "media_folder": "fichiers",
            "public_folder": "fichiers",
            "fields": fields,
        }],
    }


def config_text(corpus: Corpus) -> str:
    """The committed configuration, as `make schema` writes it."""
    head = ("# Configuration de l'éditeur web (Decap CMS), générée par « make schema » depuis hooks/kitcore/schema.py :\n"
            "# ne pas modifier à la main. Le « backend » (GitHub ou dépôt local) est ajouté à la construction du site.\n")
    return head + yaml.safe_dump(config(corpus), allow_unicode=True, sort_keys=False, width=100)


def format_json() -> str:
    """What the editor's adapter (kits-cms.js) needs to know of a kit: its file, its keys in order, its parts."""
    return json.dumps({
        "kit_file": KIT_FILE,
        "fields": [f.name for f in Kit.fields],
        "dates": [f.name for f in Kit.fields if isinstance(f, schema.Date)],
        "block_fields": [f.name for f in Kit.fields if f.name in MULTILINE],
        "parts": [part.id for part in parts.PARTS],
        "header": scaffold.SCHEMA_COMMENT.removeprefix("#"),
        "source_field": SOURCE_FIELD,
        "id_field": ID_FIELD,
        "wrapped_backends": ["github", "proxy"],
    }, ensure_ascii=False, indent=2) + "\n"


def github_repo() -> str:
    """`owner/name` of the repository the site is built from (forks included), for the GitHub backend."""
    url = os.environ.get("REPO_URL", "")
    found = re.match(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$", url)
    return found.group(1) if found else os.environ.get("GITHUB_REPOSITORY") or DEFAULT_REPO


def backend(local: bool, proxy_port: int = PROXY_PORT) -> dict:
    """The published editor signs in to GitHub; the local one writes to the working copy through decap-server."""
    if local:
        return {"backend": {"name": "kits-proxy", "proxy_url": f"http://127.0.0.1:{proxy_port}/api/v1"},
                "publish_mode": "simple"}
    github = {"name": "kits-github", "repo": github_repo(), "branch": "main", "open_authoring": True,
              "cms_label_prefix": "editeur/", "commit_messages": COMMIT_MESSAGES}
    oauth = os.environ.get("EDITEUR_OAUTH_URL", "").strip()
    if oauth:
        # The sign-in service maintainers set up once (CONTRIBUTING.md, « Pour l'équipe »).
        github["base_url"] = oauth.rstrip("/")
    return {"backend": github, "publish_mode": "editorial_workflow"}


class EditorMissing(Exception):
    """The npm packages of the editor are not installed (`npm ci`)."""


def vendored_sources() -> dict[Path, str]:
    """The installed npm folders the editor is made of, with their place in the editor's folder."""
    found = {}
    for package, target in VENDORED.items():
        source = NODE_MODULES / package
        if not source.is_dir():
            raise EditorMissing(f"L'éditeur web a besoin des paquets npm de package-lock.json ({source} manque) : "
                                "lancez « npm ci » (make build et make test le font).")
        found[source] = target
    return found


def _not_needed(folder: str, names: list[str]) -> list[str]:
    # Source maps are for the CMS's own developers (25 MB), and decap-cms ships its bundle twice (cms.js, the same
    # build under its old name): the site takes decap-cms.js, its chunks, its WebAssembly and the licence notices.
    return [n for n in names if n.endswith((".map", ".d.ts")) or re.fullmatch(r"(?:\d+\.)?cms\.(?:js|css)(?:\.LICENSE\.txt)?", n)]


def publish_editor(corpus: Corpus, target: Path, local: bool = False, proxy_port: int = PROXY_PORT,
                   collection_folder: str = "kits") -> Path:
    """Write the editor into `target` (site/editeur/): the CMS files, the adapter and a configuration."""
    sources = vendored_sources()
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for source, place in sources.items():
        shutil.copytree(source, target / place, dirs_exist_ok=True, ignore=_not_needed)
    for name in ("index.html", "kits-cms.js", "kit-id.js", "kit-yaml.js"):
        shutil.copy2(WEB / name, target / name)
    settings = {**backend(local, proxy_port), **config(corpus, collection_folder)}
    (target / "config.yml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False, width=100),
                                       encoding="utf-8")
    (target / "format.json").write_text(format_json(), encoding="utf-8")
    return target
