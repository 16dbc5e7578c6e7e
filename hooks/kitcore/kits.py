"""The kit model: the records of the format (kit, resource, audience, challenge, figure), the registry table, and their loading."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import diagnostic, parts, reserved, schema
from .problems import Report
from .schema import (COLOURS, LICENCES, STATUTS, Choice, Context, Date, Identifier, Ids, Period, PublicationYear, Record,
                     Records, Text, TextList, WebAddress)
from .inputs import KIT_FILE
from .sources import Located, SourceError, load_yaml, read_text

# Files that may sit beside the kits without being kits.
IGNORED_TOP_FILES = {"README.md", ".gitkeep"}
# Where the web editor's shared media library puts what it uploads (Decap CMS requires one): published nowhere,
# so each file there is a warning until it is moved into the `fichiers/` folder of the kit that uses it.
UPLOADS_FOLDER = "_televersements"
UPLOADS_FILE_LIMIT = 50  # warnings listed one by one; beyond, one line says how many more


class Audience(Record, frozen=True):
    """One audience, which gets a resource centre of its own."""

    id = Identifier("Identifiant du public : minuscules, chiffres et tirets.", required=True)
    nom = Text("Nom du public, par exemple « Associations ».", required=True)
    titre_centre = Text("Nom du centre de ressources de ce public.", required=True)
    description = Text("Une phrase de présentation, reprise sur le portail.", required=True)
    presentation = Text("Texte d'accueil du centre (Markdown), écrit pour ce public.", required=True)
    couleur = Choice(COLOURS, "Couleur principale du centre (palette de Material for MkDocs).", default="indigo")
    icone = Text("Icône du centre (nom d'icône Material, par exemple `material/handshake`).",
                 default="material/book-open-variant")


class Challenge(Record, frozen=True):
    """One of the shared challenges (enjeux) that kits are grouped by."""

    id = Identifier("Identifiant de l'enjeu : minuscules, chiffres et tirets.", required=True)
    nom = Text("Nom de l'enjeu.", required=True)
    description = Text("Ce que recouvre l'enjeu, en un ou deux paragraphes.", required=True)


FIGURE_NATURES = ("observation", "prevision")


class Figure(Record, frozen=True):
    """A fact stated once with its source, inserted into pages by `{{ chiffre('id') }}`."""

    id: str  # its key in chiffres.yml
    valeur = Text("Le chiffre tel qu'il s'affiche, par exemple « 69 % ».", required=True)
    libelle = Text("Ce que mesure le chiffre, en une phrase courte.", required=True)
    source = Text("L'étude d'où vient le chiffre (auteur, titre, année).", required=True)
    annee = Period("L'année à laquelle le chiffre se rapporte (celle de l'enquête, du constat ou de la prévision), "
                   "ou une période « 2015-2017 » ; les pages qui citent le chiffre la rappellent.", required=True,
                   example="2016")
    nature = Choice(FIGURE_NATURES, "« observation » pour un fait constaté à cette date, « prevision » pour une annonce "
                    "ou une prévision qui n'était pas encore réalisée.", required=True)

    @property
    def years(self) -> tuple[int, ...]:
        """Every year the figure covers: (2016,) or (2015, 2016, 2017) for « 2015-2017 »."""
        match = Period.PATTERN.match(self.annee)
        if not match:
            return ()
        first = int(match.group(1))
        return tuple(range(first, int(match.group(2) or first) + 1))

    @property
    def dated_label(self) -> str:
        """The label with its nature and year, as the figure's footnote shows it."""
        nature = "prévision" if self.nature == "prevision" else "observation"
        return f"{self.libelle} ({nature}, {self.annee.replace('-', '–')})"


class Resource(Record, frozen=True):
    """A file offered for download in a kit's toolbox."""

    titre = Text("Le nom du fichier tel que le lecteur le voit.", required=True)
    fichier = Text("Chemin du fichier dans le dossier du kit, par exemple `fichiers/grille.csv`.", required=True)
    description = Text("Une phrase sur ce que contient le fichier et comment s'en servir.")


MAX_CITED = 40  # sources or readings of one kit: enough for a thorough kit, and a bound on the checks' work


class Source(Record, frozen=True):
    """A study or document a kit draws on, cited under « Sources »: its author informed the kit, not wrote it."""

    titre = Text("Le titre exact de l'étude, du rapport, de l'article ou du texte officiel.", required=True)
    auteur = Text("Qui l'a publié : l'organisation ou les personnes, telles que le document les nomme.", required=True)
    annee = PublicationYear("L'année de publication, sur quatre chiffres, ou « s. d. » si le document n'est pas daté.",
                            required=True)
    adresse = WebAddress("L'adresse web où le lire, en https://, si le document est en ligne.")


class Reading(Record, frozen=True):
    """A page to read further, listed under « Pour aller plus loin »."""

    titre = Text("Le titre de la page ou du document, tel que le lecteur le verra.", required=True)
    adresse = WebAddress("Son adresse web complète, en https://.", required=True)
    description = Text("Une phrase : ce que le lecteur y trouvera.")


class Term(Record, frozen=True):
    """A glossary entry: the term, its definition, and the other forms it takes in the kits' text."""

    id = Identifier("Identifiant du terme : minuscules, chiffres et tirets ; c'est l'ancre de sa définition.",
                    required=True)
    terme = Text("Le terme tel qu'il s'écrit dans les kits, au singulier.", required=True)
    definition = Text("Sa définition, en une à trois phrases.", required=True)
    variantes = TextList("Les autres formes du terme dans les textes : pluriel, sigle, forme développée.")
    source = Text("Le document d'où vient la définition, quand elle en reprend un.")


class Kit(Record):
    """A practical kit: metadata from kit.yml (the fields below, in the guide's order) and the Markdown of its parts."""

    id: str
    folder: Path
    titre = Text("Le titre du kit, tel qu'il apparaît sur les cartes et dans la navigation.", required=True,
                 example="Évaluer un partenariat")
    resume = Text("Un paragraphe qui présente le kit : il s'affiche sur les cartes et dans la recherche.", required=True,
                  example="Une démarche en cinq étapes pour mesurer ce que la relation partenariale a produit.")
    publics = Ids("publics", "Un ou plusieurs publics : le kit apparaît dans le centre de chacun.", required=True,
                  example=["associations", "entreprises"])
    enjeux = Ids("enjeux", "Un ou plusieurs enjeux partagés ; le premier range le kit dans la navigation.",
                 required=True, example=["evaluation"])
    auteurs = TextList("Les personnes qui ont écrit le kit, ou l'équipe éditoriale ; les études dont il s'inspire vont "
                       "dans « sources ».", required=True,
                       example=["Équipe éditoriale des centres de ressources", "Jeanne Martin"])
    mise_a_jour = Date("Date de la dernière mise à jour de fond, au format AAAA-MM-JJ.", required=True,
                       example="2026-09-15")
    licence = Choice(LICENCES, "Licence du contenu (identifiant SPDX).", default="CC-BY-SA-4.0")
    statut = Choice(STATUTS, "« publie » ou « brouillon » : un brouillon n'apparaît que dans l'aperçu local, jamais "
                    "dans le site publié.", default="publie")
    ressources = Records(Resource, "Fichiers proposés au téléchargement : une liste de `{titre, fichier}`, le fichier "
                         "étant un chemin dans le dossier du kit.",
                         example=[{"titre": "Grille d'autodiagnostic", "fichier": "fichiers/grille.csv"}])
    sources = Records(Source, "Les études et documents dont le kit s'inspire, affichés sous « Sources » : une liste de "
                      "`{titre, auteur, annee, adresse}` (l'adresse est facultative). Leurs auteurs n'écrivent pas le kit.",
                      example=[{"titre": "Référentiel évaluation de l'utilité sociétale des partenariats",
                                "auteur": "Le RAMEAU", "annee": 2015}], max_items=MAX_CITED)
    pour_aller_plus_loin = Records(Reading, "Des lectures en ligne pour approfondir, affichées sous « Pour aller plus "
                                   "loin » : une liste de `{titre, adresse, description}`, chaque adresse en https://.",
                                   example=[{"titre": "Centre de ressources des associations",
                                             "adresse": "https://modeleecoassociatif.wordpress.com/"}],
                                   max_items=MAX_CITED)
    voir_aussi = Ids("kits", "Identifiants de kits liés, proposés en fin de page.",
                     example=["co-construire-sur-un-territoire"])
    mots_cles = TextList("Mots-clés supplémentaires pour la recherche (synonymes, sigles).",
                         example=["RSO", "mesure d'impact"])
    sections: dict[str, str] = field(default_factory=dict)  # Markdown of each part the kit has, by part id
    autodiagnostic: diagnostic.Diagnostic | None = None  # from autodiagnostic.yml, when the kit declares one
    lines: Located | None = None
    valid: bool = True  # False: loaded only far enough to check its cross-references, never published
    metadata: bool = True  # False: kit.yml could not be read, its fields are stand-ins (its parts are still checked)

    @property
    def draft(self) -> bool:
        """True for a kit marked `statut: brouillon`."""
        return self.statut == "brouillon"


# Kit fields whose ids name other kits rather than registry records.
KITS = "kits"


@dataclass(frozen=True)
class Registry:
    """A file at the root of the kits tree declaring records by id, which kits and pages refer to."""

    name: str  # what `Ids(refers_to=…)` names
    file: str
    record: type[Record]
    unknown: str  # « … n'est pas {unknown}. » for an id that no record has
    label: str  # « {label} possibles : … »
    required: bool = True  # False: a kits tree may do without the file
    # A mapping from id to record (chiffres.yml) rather than a list of `- id: …` items; `what` names an item.
    keyed: bool = False
    what: str = "l'élément"
    # Checks across the records of the file once read (a glossary term defined twice), with their lines.
    validate: Callable[[dict[str, Record], Located, Context], None] | None = None


REGISTRIES: tuple[Registry, ...] = (
    Registry("publics", "publics.yml", Audience, "un public connu", "Publics",
             validate=lambda records, located, ctx: _no_portal_folder(records, located, ctx)),
    Registry("enjeux", "enjeux.yml", Challenge, "un enjeu connu", "Enjeux"),
    Registry("chiffres", "chiffres.yml", Figure, "un chiffre défini dans chiffres.yml", "Chiffres", required=False,
             keyed=True, what="le chiffre"),
    Registry("glossaire", "glossaire.yml", Term, "un terme du glossaire", "Termes", required=False,
             what="le terme", validate=lambda records, located, ctx: _each_form_once(records, located, ctx)),
)


def registry(name: str) -> Registry:
    """The registry called `name` (KeyError if none)."""
    for r in REGISTRIES:
        if r.name == name:
            return r
    raise KeyError(name)


PUBLICS_FILE, ENJEUX_FILE, FIGURES_FILE = (registry(name).file for name in ("publics", "enjeux", "chiffres"))
REGISTRY_FILES = tuple(r.file for r in REGISTRIES)  # for callers that only need the names (corpus copies)


def registry_files() -> set[str]:
    """File names of every registry (as declared now), which sit beside the kit folders."""
    return {r.file for r in REGISTRIES}


@dataclass
class Corpus:
    """Everything a kits tree holds, once loaded."""

    root: Path
    # The records of each registry, by registry name then id, in file order.
    registries: dict[str, dict[str, Record]] = field(default_factory=dict)
    kits: list[Kit] = field(default_factory=list)
    # Every kit folder, loaded or not: a kit whose kit.yml is broken still exists for the kits that cite it.
    folders: list[str] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def audiences(self) -> list[Audience]:
        """The audiences, in publics.yml order."""
        return list(self.registries.get("publics", {}).values())  # type: ignore[arg-type]

    @property
    def challenges(self) -> list[Challenge]:
        """The challenges, in enjeux.yml order."""
        return list(self.registries.get("enjeux", {}).values())  # type: ignore[arg-type]

    @property
    def glossary(self) -> list[Term]:
        """The terms of glossaire.yml, in file order."""
        return list(self.registries.get("glossaire", {}).values())  # type: ignore[arg-type]

    @property
    def figures(self) -> dict[str, Figure]:
        """The figures of chiffres.yml, by id."""
        return self.registries.get("chiffres", {})  # type: ignore[return-value]

    def audience(self, audience_id: str) -> Audience:
        """The audience with this id (KeyError if unknown)."""
        return self.registries["publics"][audience_id]  # type: ignore[return-value]

    def kit(self, kit_id: str) -> Kit | None:
        """The kit with this id, if any."""
        # Positions by id, built once rather than at every call (pages look up every related kit of every kit),
        # and checked at every hit: a kit replaced, added or removed since is never answered from a stale index.
        for attempt in (0, 1):
            position = self._index.get(kit_id)
            if position is not None and position < len(self.kits) and self.kits[position].id == kit_id:
                return self.kits[position]
            if attempt == 0:
                self._index = {k.id: i for i, k in reversed(list(enumerate(self.kits)))}
        return None

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


def _context(report: Report, path: Path, located: Located) -> Context:
    def add(message: str, at: tuple) -> None:
        # A problem about the whole document (a missing key) has no line to point at.
        line = located.line(*at) if at else None
        report.add(path, message[0].upper() + message[1:], line)

    return Context(add, located.words)


def load_registry(root: Path, reg: Registry, report: Report) -> dict[str, Record]:
    """The records of one registry file, by id; problems go to the report."""
    path = root / reg.file
    if not path.is_file():
        if reg.required:
            report.add(path, f"Le registre « {reg.file} » manque ; il doit se trouver à la racine du dossier des kits.")
        return {}
    located = _load_located(path, report)
    if located is None:
        return {}
    ctx = _context(report, path, located)
    records = _keyed_records(reg, located, ctx) if reg.keyed else _listed_records(reg, located, ctx)
    if reg.validate is not None:
        reg.validate(records, located, ctx)
    return records


def _no_portal_folder(records: dict[str, Record], located: Located, ctx: Context) -> None:
    """An audience's centre is the site's folder named by its id: never one of the portal's own folders."""
    position = {item.get("id"): i for i, item in enumerate(located.data) if isinstance(item, dict)} \
        if isinstance(located.data, list) else {}
    for ident in records:
        if ident in reserved.PORTAL_FOLDERS:
            ctx.report(f"l'identifiant « {ident} » est le nom du dossier de {reserved.PORTAL_FOLDERS[ident]}, à la "
                       "racine du site : le centre de ce public l'écraserait ; choisissez un autre identifiant.",
                       (position.get(ident, 0), "id"))


def _each_form_once(records: dict[str, Record], located: Located, ctx: Context) -> None:
    """A glossary term, or one of its variants, is defined once: a second definition is reported and dropped."""
    owner: dict[str, str] = {}
    position = {item.get("id"): i for i, item in enumerate(located.data) if isinstance(item, dict)} \
        if isinstance(located.data, list) else {}
    for ident, term in list(records.items()):
        forms = [term.terme, *term.variantes]  # type: ignore[attr-defined]
        keys = [" ".join(form.replace("’", "'").casefold().split()) for form in forms]
        for j, (form, key) in enumerate(zip(forms, keys)):
            if key in owner or key in keys[:j]:
                i = position.get(ident, 0)
                where = (i, "terme") if j == 0 else (i, "variantes", j - 1)
                ctx.report(f"« {form} » est déjà défini plus haut (terme « {owner.get(key, term.terme)} ») : un terme "  # type: ignore[attr-defined]
                           "n'a qu'une définition ; fusionnez les deux entrées ou retirez celle-ci.", where)
                del records[ident]
                break
        else:
            owner.update(dict.fromkeys(keys, term.terme))  # type: ignore[attr-defined]


def _listed_records(reg: Registry, located: Located, ctx: Context) -> dict[str, Record]:
    if not isinstance(located.data, list) or not located.data:
        ctx.report("ce registre doit être une liste d'éléments commençant par « - id: … ».", ())
        return {}
    out: dict[str, Record] = {}
    for i, item in enumerate(located.data):
        record = reg.record.read(item, ctx, (i,), f"{reg.what} {i + 1}")
        if record is None:
            continue
        ident = getattr(record, "id")
        if ident in out:
            ctx.report(f"l'identifiant « {ident} » est déjà utilisé plus haut ; chaque identifiant doit être unique.",
                       (i, "id"))
            continue
        out[ident] = record
    return out


def _keyed_records(reg: Registry, located: Located, ctx: Context) -> dict[str, Record]:
    if located.data is None:
        return {}  # an empty file declares nothing
    noun = reg.what.split()[-1]
    if not isinstance(located.data, dict):
        keys = schema.quoted_list([f.name for f in reg.record.fields if f.required])
        ctx.report(f"ce fichier doit associer à chaque identifiant de {noun} ses clés {keys}.", ())
        return {}
    out: dict[str, Record] = {}
    for key, item in located.data.items():
        if not isinstance(key, str) or not schema.ID_PATTERN.match(key.replace("_", "-")):
            ctx.report(f"l'identifiant de {noun} « {key} » n'est pas valide : minuscules, chiffres, tirets ou soulignés.",
                       (key,))
            continue
        record = reg.record.read(item, ctx, (key,), f"{reg.what} « {key} »", id=key)
        if record is not None:
            out[key] = record
    return out


def load_kit(folder: Path, report: Report) -> Kit:
    """Load one kit folder: kit.yml against the schema, then its parts; problems go to the report.

    A kit whose kit.yml cannot be read is still returned (invalid, its fields stand-ins), so that its parts
    are checked in the same run.
    """
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
    meta: dict | None = None
    located: Located | None = None
    if not path.is_file():
        report.add(path, "Le fichier kit.yml manque ; copiez-le d'un autre kit ou lancez « make new ».")
    else:
        located = _load_located(path, report)
        if located is not None:
            if located.data is None:
                required = ", ".join(f.name for f in Kit.fields if f.required).rsplit(", ", 1)
                report.add(path, f"Le fichier kit.yml est vide ; il doit contenir au moins {' et '.join(required)}.", 1)
            else:
                meta, valid = schema.coerce_partial(Kit, located.data, _context(report, path, located))
                ok = ok and valid
                if not isinstance(located.data, dict):
                    meta = None  # not a mapping: nothing of kit.yml is known
    sections = {}
    for part in parts.PARTS:
        file = folder / part.file
        if not file.is_file():
            if part.required:
                ok = False
                report.add(file, f"La partie « {part.label} » manque : créez le fichier {part.file} dans le dossier du kit.")
            continue
        try:
            text = read_text(file)
        except SourceError as exc:
            ok = False
            report.add(file, exc.message[0].upper() + exc.message[1:], exc.line)
            continue
        if not text.strip():
            ok = False
            report.add(file, f"La partie « {part.label} » est vide ; rédigez-la avant de proposer le kit.")
            continue
        sections[part.id] = text
    values = {f.name: (meta or {}).get(f.name, f.blank()) for f in Kit.fields}
    return Kit(id=kit_id, folder=folder, **values, sections=sections, autodiagnostic=diagnostic.load(folder, report),
               lines=located, valid=ok and meta is not None, metadata=meta is not None)


def load_corpus(root: Path, report: Report) -> Corpus:
    """Load the registries and every kit below `root`, recording every problem in `report`."""
    corpus = Corpus(root=root)
    if not root.is_dir():
        report.add(root, "Le dossier des kits n'existe pas ; vérifiez le chemin donné à KITS.")
        return corpus
    corpus.registries = {reg.name: load_registry(root, reg, report) for reg in REGISTRIES}
    skipped = registry_files() | IGNORED_TOP_FILES
    for entry in sorted(root.iterdir()):
        if entry.name == UPLOADS_FOLDER and entry.is_dir() and not entry.is_symlink():
            _warn_uploads(entry, report)
            continue
        if entry.name.startswith((".", "_")) or entry.name in skipped:
            continue
        if entry.is_symlink():
            report.add(entry, "Un kit ne peut pas être un lien symbolique ; placez le dossier lui-même dans kits/.")
            continue
        if not entry.is_dir():
            report.warn(entry, "Ce fichier n'appartient à aucun kit et sera ignoré ; rangez-le dans le dossier d'un kit.")
            continue
        corpus.folders.append(entry.name)
        corpus.kits.append(load_kit(entry, report))
    return corpus


def _warn_uploads(folder: Path, report: Report) -> None:
    """One warning per file left in the editor's shared media library: no page can use it from there."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".gitkeep")
    for path in files[:UPLOADS_FILE_LIMIT]:
        report.warn(path, "Ce fichier a été déposé dans la médiathèque commune de l'éditeur web, qui n'est publiée "
                          "nulle part ; déplacez-le dans le dossier fichiers/ du kit qui l'utilise (bouton « Choisir "
                          "un fichier » du champ du kit), puis supprimez-le d'ici.")
    if len(files) > UPLOADS_FILE_LIMIT:
        report.warn(folder, f"Et {len(files) - UPLOADS_FILE_LIMIT} autres fichiers dans ce dossier, à déplacer de même.")


def slugify(text: str) -> str:
    """An id from a title: accents removed, lowercase, words joined by hyphens."""
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
