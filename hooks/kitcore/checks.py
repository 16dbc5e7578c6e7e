"""Validation of a kits tree: the schema checks of the loader, then every cross-reference, all reported at once."""
from __future__ import annotations

from pathlib import Path

from . import attachments, authorship, diagnostic, engines, markup, parts, references, reserved, schema, spans
from .figures import expand_figures, undated_uses
from .kits import KIT_FILE, KITS, Corpus, Kit, load_corpus, registry
from .parts import GUIDANCE_MARK
from .problems import Report
from .typography import code_lines
from .wording import human_size

_LEVEL_ONE = spans.bounded(r"#\s")
# Openings a part may leave unclosed on their line (spans.unclosed_openings): ordinary text has none or a few.
MAX_UNCLOSED = 100
_FRONT_MATTER = spans.bounded(r"\A\s{0,4096}---[ \t]{0,64}\r?\n")


def check_kits(root: Path) -> tuple[Corpus, Report]:
    """Load and validate the kits tree at `root`; return the corpus and every problem found."""
    root = Path(root)
    report = Report(base=root.resolve().parent)
    corpus = load_corpus(root.resolve(), report)
    check_corpus(corpus, report)
    return corpus, report


def check_corpus(corpus: Corpus, report: Report) -> None:
    """Cross-reference checks: ids of registry records and kits, files, figures and guidance text."""
    kit_ids = [k for k in dict.fromkeys([k.id for k in corpus.kits] + corpus.folders) if schema.ID_PATTERN.match(k)]
    cited = authorship.name_index(authorship.cited_bodies(corpus))
    for kit in corpus.kits:
        authorship.check_authors(kit, cited, report)
        path = kit.folder / KIT_FILE
        line = kit.lines.line if kit.lines else (lambda *a: None)
        if kit.metadata:
            for f in type(kit).fields:
                if isinstance(f, schema.Ids):
                    check_ids(kit, f, corpus, kit_ids, report)
            for i, res in enumerate(kit.ressources):
                check_resource(kit, res.fichier, report, line("ressources", i, "fichier"))
            if GUIDANCE_MARK in kit.resume:
                report.warn(path, f"Le texte d'aide « {GUIDANCE_MARK} » est encore présent dans le résumé (« resume ») : "
                            "remplacez-le par deux ou trois phrases qui présentent le kit.", line("resume"))
        if kit.autodiagnostic is not None:
            diagnostic.check_links(kit.autodiagnostic, kit.folder, kit_ids, report)
        check_kit_files(kit, report)
        check_sections(kit, corpus, report)


def check_ids(kit: Kit, f: schema.Ids, corpus: Corpus, kit_ids: list[str], report: Report) -> None:
    """The ids of one field of a kit: records of the registry it refers to, or other kits."""
    path = kit.folder / KIT_FILE
    line = kit.lines.line if kit.lines else (lambda *a: None)
    values = getattr(kit, f.name)
    if f.refers_to == KITS:
        for i, other in enumerate(values):
            if other == kit.id:
                report.add(path, f"Un kit ne peut pas se citer lui-même dans « {f.name} » ; retirez son identifiant.",
                           line(f.name, i))
            elif other not in kit_ids:
                report.add(path, f"« {f.name} » cite le kit « {other} », qui n'existe pas.{schema.did_you_mean(other, kit_ids)} "
                           "Indiquez le nom du dossier d'un kit existant.", line(f.name, i))
        return
    reg = registry(f.refers_to)
    known = list(corpus.registries.get(reg.name, {}))
    if not known:
        return  # the registry itself is missing or broken, and reported once
    for i, ident in enumerate(values):
        if ident not in known:
            report.add(path, f"« {ident} » n'est pas {reg.unknown}. {reg.label} possibles : {', '.join(known)}."
                       f"{schema.did_you_mean(ident, known)}", line(f.name, i))


def check_resource(kit: Kit, relative: str, report: Report, line: int | None) -> None:
    """A `ressources` file: inside its kit, present, of an allowed type, content and size."""
    path = kit.folder / KIT_FILE
    target, reason = attachments.check_path(kit.folder, relative)
    if target is None:
        report.add(path, f"Le fichier « {relative} » est refusé : {reason}.", line)
        return
    if not target.is_file():
        report.add(path, f"Le fichier « {relative} » est introuvable dans le dossier du kit ; vérifiez son nom "
                   "(majuscules, accents, extension) ou ajoutez-le.", line)
        return
    if relative.startswith(attachments.FILES_DIR + "/"):
        return  # files under fichiers/ are inspected and reported once, by check_kit_files
    refusal = attachments.inspect(target, relative)
    if refusal is not None:
        where = f" (ligne {refusal.line} du fichier)" if refusal.line else ""
        report.add(path, f"Le fichier « {relative} » est refusé{where} : {refusal.reason}.", line)


def check_kit_files(kit: Kit, report: Report) -> None:
    """Everything under fichiers/ is published: each file must be accepted, and the whole kit stay small."""
    files, refused = attachments.walk_files(kit.folder)
    for rel, reason in refused:
        what = "Le dossier" if (kit.folder / rel).is_dir() else "Le fichier"
        report.add(kit.folder / rel, f"{what} « {rel} » est refusé : {reason}.")
    total = 0
    # Where each accepted file is reported: its own path, or the kit.yml line of a resource outside fichiers/.
    accepted: dict[str, tuple[Path, int | None]] = {}
    for rel, target in files:
        refusal = attachments.inspect(target, rel)
        if refusal is not None:
            report.add(kit.folder / rel, f"Le fichier « {rel} » est refusé : {refusal.reason}.", refusal.line)
        else:
            total += target.stat().st_size
            accepted[rel] = (kit.folder / rel, None)
    line = kit.lines.line if kit.lines else (lambda *a: None)
    resources = [r.fichier for r in kit.ressources]
    for i, rel in enumerate(resources):
        target, _ = attachments.check_path(kit.folder, rel)
        if (rel not in accepted and not rel.startswith(attachments.FILES_DIR + "/") and target is not None
                and target.is_file() and attachments.inspect(target, rel) is None):
            accepted[rel] = (kit.folder / KIT_FILE, line("ressources", i, "fichier"))
    # Generated pages and files keep their paths: a kit file may take neither theirs nor another file's.
    for rel, reason in reserved.collisions(list(accepted), resources, kit.id):
        path, at = accepted[rel]
        report.add(path, f"Le fichier « {rel} » est refusé : {reason}.", at)
    if len(files) > attachments.MAX_KIT_FILES:
        report.add(kit.folder / attachments.FILES_DIR, f"Le dossier fichiers/ contient {len(files)} fichiers, au-delà "
                   f"de la limite de {attachments.MAX_KIT_FILES} ; ne gardez que les outils utiles au lecteur.")
    if total > attachments.MAX_KIT_BYTES:
        report.add(kit.folder / attachments.FILES_DIR, f"Les fichiers du kit pèsent {human_size(total)} "
                   f"au total, au-delà de la limite de {human_size(attachments.MAX_KIT_BYTES)} ; allégez-les "
                   "ou publiez-les ailleurs et donnez leur adresse.")


def check_references(kit: Kit, name: str, text: str, report: Report, published: set[str] | None = None) -> None:
    """Links and images of one part: web addresses, the kit's own pages, or published files of the kit."""
    part = kit.folder / f"{name}.md"
    pages = parts.kit_pages()
    if published is None:
        published = {rel for rel, _ in attachments.published_files(kit.folder, [r.fichier for r in kit.ressources])}
    for ref in references.find_references(text):
        kind, detail = references.problem(ref, pages)
        what = "L'image" if ref.image else "Le lien"
        if kind == "error":
            report.add(part, detail or "", ref.line)
        elif kind == "file" and detail is not None and detail not in published:
            target, reason = attachments.check_path(kit.folder, detail)
            if target is None:
                report.add(part, f"{what} « {ref.target[:80]} » est refusé : {reason}.", ref.line)
            elif not target.is_file():
                report.add(part, f"{what} « {ref.target[:80]} » mène à un fichier introuvable dans le dossier du kit ; "
                           "vérifiez son nom (majuscules, accents, extension).", ref.line)
            elif kit.metadata:  # unread kit.yml: the file may be one of its `ressources`
                report.add(part, f"{what} « {ref.target[:80]} » mène à un fichier qui n'est pas publié : placez-le dans "
                           "le dossier fichiers/ du kit (ou citez-le dans « ressources »).", ref.line)


def check_sections(kit: Kit, corpus: Corpus, report: Report) -> None:
    """The kit's parts: figures they cite, leftover guidance text, headings the page adds itself."""
    # Once per kit, not per part: listing and inspecting the kit's files is the costly step.
    published = {rel for rel, _ in attachments.published_files(kit.folder, [r.fichier for r in kit.ressources])}
    for p in parts.of(kit.sections):
        name, label = p.id, p.label
        text = kit.sections[name]
        part = kit.folder / p.file
        expansion = expand_figures(text, corpus.figures)
        check_references(kit, name, text, report, published)
        for line, warning in references.find_stripped_html(text, markup.TAGS, engines.theme()):
            report.warn(part, f"{warning} (voir « Contenus autorisés » dans la rubrique À propos du site).", line)
        for line, error in references.find_copy_markup(text):
            report.add(part, f"{error} (voir « Contenus autorisés » dans la rubrique À propos du site).", line)
        uncalled, undefined = references.find_note_problems(text)
        for line, ident in uncalled:
            # The note's return link would point to a call that does not exist: the engine refuses the page.
            report.add(part, f"La note « [^{ident}] » est définie ici mais n'est appelée nulle part dans la partie ; "
                       f"écrivez « [^{ident}] » dans le texte à l'endroit de l'appel, ou supprimez la note.", line)
        for line, ident in undefined:
            report.warn(part, f"La note « [^{ident}] » est appelée ici mais n'est définie nulle part dans la partie : "
                        f"elle s'affichera telle quelle. Ajoutez sa définition sur une ligne à part, par exemple en "
                        f"fin de partie : « [^{ident}]: le texte de la note ».", line)
        unclosed, first = spans.unclosed_openings(references.without_code(text))
        if unclosed > MAX_UNCLOSED:
            shown = f"{unclosed:,}".replace(",", "\u202f")
            report.add(part, f"La partie contient {shown} « < », « [ » ou « ]( » qui ne se ferment pas sur leur ligne, "
                       f"à partir de celle-ci : au-delà de {MAX_UNCLOSED}, le moteur du site mettrait des "
                       "minutes à construire la page. Fermez-les (« > », « ] », « ) »), ou écrivez « &lt; » et « \\[ » "
                       "pour les afficher tels quels.", first)
        opening = _FRONT_MATTER.match(text)
        if opening:
            # Kit pages carry their own front matter; a part's would be shown as a heading or stray text, and a
            # contributor who writes one expects it to act (title, render_macros): refused, so nobody is misled.
            report.add(part, "La partie commence par un en-tête de métadonnées (« --- »), qui n'est pas accepté : "
                       "les métadonnées du kit se trouvent dans kit.yml ; retirez ces lignes, du premier « --- » "
                       "jusqu'à celui qui les ferme.",
                       text.count("\n", 0, opening.end() - 1) + 1)
        for line, ident in expansion.unknown:
            report.add(part, f"Le chiffre « {ident} » n'est pas défini dans chiffres.yml."
                       f"{schema.did_you_mean(ident, list(corpus.figures))} Ajoutez-le à chiffres.yml avec sa source, "
                       "ou corrigez l'identifiant.", line)
        for line, ident in undated_uses(text, corpus.figures):
            fig = corpus.figures[ident]
            report.warn(part, f"Le chiffre « {ident} » ({fig.valeur}) est cité sans son année : il se rapporte à "
                        f"{'la période ' if '-' in fig.annee else ''}{fig.annee.replace('-', '–')}. Écrivez l'année dans le même paragraphe (par exemple « en "
                        f"{fig.years[-1]}, … »), et le verbe au passé si le fait n'est plus vérifié aujourd'hui.", line)
        for line, snippet in expansion.literal:
            report.warn(part, f"« {snippet[:40]} » ressemble à une instruction de gabarit qui n'est pas reconnue : elle "
                        "s'affichera telle quelle. Seuls {{ chiffre('…') }} et {{ source('…') }} sont interprétés.", line)
        for number, row in enumerate(text.splitlines() if GUIDANCE_MARK in text else (), 1):
            if GUIDANCE_MARK in row:
                report.warn(part, f"Le texte d'aide « {GUIDANCE_MARK} » est encore présent dans la partie « {label} » : "
                            "remplacez-le par votre contenu.", number)
                break
        rows = text.splitlines()
        for number, (row, code) in enumerate(zip(rows, code_lines(rows)), 1):
            if not code and row.startswith("#") and _LEVEL_ONE.match(row):
                report.warn(part, "Titre de niveau 1 (« # ») : le titre de la partie est ajouté automatiquement ; "
                            "commencez vos titres à « ## ».", number)
                break
