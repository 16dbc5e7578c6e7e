"""The kit model: audiences, challenges, figures and kits, loaded from a kits tree."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .problems import Report
from .sources import Located, SourceError, load_yaml, read_text

PUBLICS_FILE = "publics.yml"
ENJEUX_FILE = "enjeux.yml"
FIGURES_FILE = "chiffres.yml"
KIT_FILE = "kit.yml"
REGISTRY_FILES = (PUBLICS_FILE, ENJEUX_FILE, FIGURES_FILE)
# Files that may sit beside the kits without being kits.
IGNORED_TOP_FILES = {"README.md", ".gitkeep"}


@dataclass(frozen=True)
class Audience:
    """One audience, which gets a resource centre of its own."""

    id: str
    nom: str
    titre_centre: str
    description: str
    presentation: str
    couleur: str = "indigo"
    icone: str = "material/book-open-variant"


@dataclass(frozen=True)
class Challenge:
    """One of the shared challenges (enjeux) that kits are grouped by."""

    id: str
    nom: str
    description: str


@dataclass(frozen=True)
class Figure:
    """A fact stated once with its source, inserted into pages by `{{ chiffre('id') }}`."""

    id: str
    valeur: str
    libelle: str
    source: str


@dataclass(frozen=True)
class Resource:
    """A file offered for download in a kit's toolbox."""

    titre: str
    fichier: str
    description: str | None = None


@dataclass
class Kit:
    """A practical kit: metadata from kit.yml and the Markdown of its four parts."""

    id: str
    folder: Path
    titre: str
    resume: str
    publics: list[str]
    enjeux: list[str]
    auteurs: list[str]
    mise_a_jour: dt.date
    licence: str = "CC-BY-SA-4.0"
    statut: str = "publie"
    ressources: list[Resource] = field(default_factory=list)
    voir_aussi: list[str] = field(default_factory=list)
    mots_cles: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    lines: Located | None = None
    valid: bool = True  # False: loaded only far enough to check its cross-references, never published

    @property
    def draft(self) -> bool:
        """True for a kit marked `statut: brouillon`."""
        return self.statut == "brouillon"


@dataclass
class Corpus:
    """Everything a kits tree holds, once loaded."""

    root: Path
    audiences: list[Audience] = field(default_factory=list)
    challenges: list[Challenge] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    kits: list[Kit] = field(default_factory=list)
    # Every kit folder, loaded or not: a kit whose kit.yml is broken still exists for the kits that cite it.
    folders: list[str] = field(default_factory=list)
    _index: dict[str, Kit] | None = field(default=None, repr=False, compare=False)

    def audience(self, audience_id: str) -> Audience:
        """The audience with this id (KeyError if unknown)."""
        for a in self.audiences:
            if a.id == audience_id:
                return a
        raise KeyError(audience_id)

    def kit(self, kit_id: str) -> Kit | None:
        """The kit with this id, if any."""
        # Built once, not at every call: pages look up every related kit of every kit.
        if self._index is None or len(self._index) != len(self.kits):
            self._index = {k.id: k for k in self.kits}
        return self._index.get(kit_id)

    def kits_for(self, audience_id: str, drafts: bool = False) -> list[Kit]:
        """The kits of one centre, sorted by title; drafts only when asked (local preview)."""
        chosen = [k for k in self.kits if k.valid and audience_id in k.publics and (drafts or not k.draft)]
        return sorted(chosen, key=lambda k: (_sort_key(k.titre), k.id))


def _sort_key(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if unicodedata.category(c) != "Mn")


def _load_located(path: Path, report: Report) -> Located | None:
    try:
        return load_yaml(path)
    except SourceError as exc:
        report.add(path, exc.message[0].upper() + exc.message[1:], exc.line)
        return None


def _reporter(report: Report, path: Path, located: Located):
    def add(message: str, at: tuple) -> None:
        # A problem about the whole document (a missing key) has no line to point at.
        line = located.line(*at) if at else None
        report.add(path, message[0].upper() + message[1:], line)

    return add


def _load_registry(root: Path, name: str, fields: tuple[schema.Field, ...], report: Report) -> list[dict]:
    path = root / name
    if not path.is_file():
        report.add(path, f"Le registre « {name} » manque ; il doit se trouver à la racine du dossier des kits.")
        return []
    located = _load_located(path, report)
    if located is None:
        return []
    add = _reporter(report, path, located)
    if not isinstance(located.data, list) or not located.data:
        add("ce registre doit être une liste d'éléments commençant par « - id: … ».", ())
        return []
    out, seen = [], set()
    for i, item in enumerate(located.data):
        clean = schema.coerce_mapping(fields, item, add, (i,), f"l'élément {i + 1}")
        if clean is None:
            continue
        if not schema.ID_PATTERN.match(clean["id"]):
            add(f"l'identifiant « {clean['id']} » n'est pas valide : minuscules sans accents, chiffres et tirets seulement.",
                (i, "id"))
            continue
        if clean["id"] in seen:
            add(f"l'identifiant « {clean['id']} » est déjà utilisé plus haut ; chaque identifiant doit être unique.", (i, "id"))
            continue
        seen.add(clean["id"])
        out.append(clean)
    return out


def _load_figures(root: Path, report: Report) -> dict[str, Figure]:
    path = root / FIGURES_FILE
    if not path.is_file():
        return {}  # figures are optional: a kits tree may cite none
    located = _load_located(path, report)
    if located is None or located.data is None:
        return {}
    add = _reporter(report, path, located)
    if not isinstance(located.data, dict):
        add("ce fichier doit associer à chaque identifiant de chiffre ses clés « valeur », « libelle » et « source ».", ())
        return {}
    out = {}
    for key, item in located.data.items():
        if not isinstance(key, str) or not schema.ID_PATTERN.match(key.replace("_", "-")):
            add(f"l'identifiant de chiffre « {key} » n'est pas valide : minuscules, chiffres, tirets ou soulignés.", (key,))
            continue
        clean = schema.coerce_mapping(schema.FIGURE_FIELDS, item, add, (key,), f"le chiffre « {key} »")
        if clean is not None:
            out[key] = Figure(id=key, **clean)
    return out


# Stand-ins for invalid values, so that a half-valid kit can still have its other fields checked.
_EMPTY: dict[str, object] = {"texte": "", "liste": [], "ids": [], "ressources": [], "date": dt.date.min, "choix": None}


def load_kit(folder: Path, report: Report) -> Kit | None:
    """Load one kit folder: kit.yml against the schema, then its four parts; problems go to the report."""
    kit_id = folder.name
    ok = True
    if not schema.ID_PATTERN.match(kit_id):
        ok = False
        report.add(
            folder,
            f"Le nom de dossier « {kit_id} » n'est pas un identifiant de kit valide : "
            f"utilisez des minuscules sans accents, des chiffres et des tirets, par exemple « {slugify(kit_id) or 'mon-kit'} ».",
        )
    path = folder / KIT_FILE
    if not path.is_file():
        report.add(path, "Le fichier kit.yml manque ; copiez-le d'un autre kit ou lancez « make new ».")
        meta, located = None, None
    else:
        located = _load_located(path, report)
        meta = None
        if located is not None:
            if located.data is None:
                report.add(path, "Le fichier kit.yml est vide ; il doit contenir au moins titre, resume, publics, enjeux, auteurs et mise_a_jour.", 1)
            else:
                meta, valid = schema.coerce_partial(schema.KIT_FIELDS, located.data, _reporter(report, path, located))
                ok = ok and valid
    sections = {}
    for name, label in schema.SECTIONS:
        part = folder / f"{name}.md"
        if not part.is_file():
            ok = False
            report.add(part, f"La partie « {label} » manque : créez le fichier {name}.md dans le dossier du kit.")
            continue
        try:
            text = read_text(part)
        except SourceError as exc:
            ok = False
            report.add(part, exc.message[0].upper() + exc.message[1:], exc.line)
            continue
        if not text.strip():
            ok = False
            report.add(part, f"La partie « {label} » est vide ; rédigez-la avant de proposer le kit.")
            continue
        sections[name] = text
    if meta is None:
        return None
    meta = {f.name: meta.get(f.name, _EMPTY.get(f.kind)) for f in schema.KIT_FIELDS}
    return Kit(
        id=kit_id,
        folder=folder,
        titre=meta["titre"],
        resume=meta["resume"],
        publics=list(dict.fromkeys(meta["publics"])),
        enjeux=list(dict.fromkeys(meta["enjeux"])),
        auteurs=meta["auteurs"],
        mise_a_jour=meta["mise_a_jour"],
        licence=meta["licence"] or "CC-BY-SA-4.0",
        statut=meta["statut"] or "publie",
        ressources=[Resource(r["titre"], r["fichier"], r.get("description")) for r in meta["ressources"]],
        voir_aussi=list(meta["voir_aussi"]),
        mots_cles=list(meta["mots_cles"]),
        sections=sections,
        lines=located,
        valid=ok,
    )


def load_corpus(root: Path, report: Report) -> Corpus:
    """Load the registries and every kit below `root`, recording every problem in `report`."""
    corpus = Corpus(root=root)
    if not root.is_dir():
        report.add(root, "Le dossier des kits n'existe pas ; vérifiez le chemin donné à KITS.")
        return corpus
    corpus.audiences = [Audience(**a) for a in _load_registry(root, PUBLICS_FILE, schema.PUBLIC_FIELDS, report)]
    corpus.challenges = [Challenge(**c) for c in _load_registry(root, ENJEUX_FILE, schema.ENJEU_FIELDS, report)]
    corpus.figures = _load_figures(root, report)
    for entry in sorted(root.iterdir()):
        if entry.name.startswith((".", "_")) or entry.name in REGISTRY_FILES or entry.name in IGNORED_TOP_FILES:
            continue
        if entry.is_symlink():
            report.add(entry, "Un kit ne peut pas être un lien symbolique ; placez le dossier lui-même dans kits/.")
            continue
        if not entry.is_dir():
            report.warn(entry, "Ce fichier n'appartient à aucun kit et sera ignoré ; rangez-le dans le dossier d'un kit.")
            continue
        corpus.folders.append(entry.name)
        kit = load_kit(entry, report)
        if kit is not None:
            corpus.kits.append(kit)
    return corpus


def slugify(text: str) -> str:
    """An id from a title: accents removed, lowercase, words joined by hyphens."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
