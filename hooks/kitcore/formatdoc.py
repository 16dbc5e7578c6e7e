"""Documents derived from the kit format: the JSON Schema of kit.yml, the web editor's configuration, the guide's tables."""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from . import kits as model  # the records; `kits` names a kits folder below
from . import diagnostic, parts, reserved, schema
from .kits import KIT_FILE, load_corpus
from .problems import Report

SCHEMA_PATH = Path(reserved.SCHEMAS_FOLDER) / "kit.schema.json"
DIAGNOSTIC_SCHEMA_PATH = Path(reserved.SCHEMAS_FOLDER) / "autodiagnostic.schema.json"
EDITOR_CONFIG_PATH = Path(reserved.SCHEMAS_FOLDER) / "editeur.yml"  # the web editor's configuration (kitcore.cms)
GUIDE_PATH = Path("CONTRIBUTING.md")
# The guide's generated sections sit between these markers; `make schema` rewrites what is inside.
BLOCK = re.compile(r"(<!-- début : (?P<name>[a-z-]+) .*?-->\n)(?P<body>.*?)(<!-- fin : (?P=name) -->)", re.S)
REGENERATE = "make schema"


ENUM_DESCRIPTION_CHARS = 160  # one line of an editor's completion list


def registry_ids(root: Path) -> dict[str, dict[str, str]]:
    """Ids of the records of each registry of a kits tree, each with what it is, for the schema's enums.

    Kit ids are left out on purpose: the committed schema must not go stale when a kit is added (`voir_aussi`
    is checked by pattern in the editor, and its existence by `make check`).
    """
    return corpus_ids(load_corpus(root, Report()))


def corpus_ids(corpus: model.Corpus) -> dict[str, dict[str, str]]:
    """`registry_ids` of a corpus already loaded (the build's, checked once)."""
    return {name: {ident: _what(record) for ident, record in records.items()}
            for name, records in corpus.registries.items()}


def _what(record: schema.Record) -> str:
    """« Nom — first sentence of the description », as an editor lists it beside the id."""
    name = str(getattr(record, "nom", "") or getattr(record, "id", ""))
    about = " ".join(str(getattr(record, "description", "") or "").split())
    first = re.split(r"(?<=[.!?]) ", about, maxsplit=1)[0]
    text = f"{name} — {first}" if name and first else name or first
    return text if len(text) <= ENUM_DESCRIPTION_CHARS else text[: ENUM_DESCRIPTION_CHARS - 1].rstrip() + "…"


def kit_json_schema(ids: dict[str, list[str]] | None = None) -> dict:
    """JSON Schema of kit.yml, with the records of the registries as enums."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "kit.schema.json",
        "title": "kit.yml — fiche d'un kit pratique",
        "description": "Métadonnées d'un kit d'un centre de ressources. Documentation : CONTRIBUTING.md.",
        **schema.object_schema(model.Kit, ids),
    }


def schema_text(root: Path) -> str:
    """The JSON Schema of kit.yml for this kits tree, as committed in schemas/kit.schema.json."""
    return _schema_json(registry_ids(root))


def _schema_json(ids: dict[str, list[str]]) -> str:
    return json.dumps(kit_json_schema(ids), ensure_ascii=False, indent=2) + "\n"


def _diagnostic_json() -> str:
    return json.dumps(diagnostic.json_schema(), ensure_ascii=False, indent=2) + "\n"


def _schemas(root: Path) -> dict[Path, str]:
    """The committed generated files: both schemas (kit.yml's, autodiagnostic.yml's) and the editor's configuration."""
    from . import cms  # the editor's module imports this one's neighbours, not the other way round

    corpus = load_corpus(root, Report())
    return {SCHEMA_PATH: _schema_json(corpus_ids(corpus)), DIAGNOSTIC_SCHEMA_PATH: _diagnostic_json(),
            EDITOR_CONFIG_PATH: cms.config_text(corpus)}


def parts_list() -> str:
    """The guide's tree of a kit's files, from the part table."""
    width = max(len(p.file) for p in parts.PARTS) + 4
    rows = ["```text", "kits/evaluer-un-partenariat/", f"├── {KIT_FILE.ljust(width)}la fiche du kit"]
    for number, p in enumerate(parts.PARTS, 1):
        optional = " (facultatif)" if not p.required else ""
        rows.append(f"├── {p.file.ljust(width)}{number}. {p.summary}{optional}")
    rows.append(f"├── {diagnostic.FILE.ljust(width)}un questionnaire qui se calcule seul (facultatif)")
    rows += [f"└── {'fichiers/'.ljust(width)}les fichiers à télécharger et les images (facultatif)",
             "    └── grille-evaluation.csv", "```"]
    return "\n".join(rows)


def ids_list(ids: dict[str, list[str]]) -> str:
    """The guide's list of the ids each `Ids` field of kit.yml accepts, and the rest of long choice lists."""
    rows = []
    for f in model.Kit.fields:
        if isinstance(f, schema.Ids) and f.refers_to == model.KITS:
            rows.append(f"- **{f.refers_to}** (pour `{f.name}`) : le nom du dossier d'un autre kit")
        elif isinstance(f, schema.Ids):
            known = ", ".join(f"`{i}`" for i in ids.get(f.refers_to, []))
            rows.append(f"- **{f.refers_to}** : ceux de `kits/{model.registry(f.refers_to).file}` — {known}")
    lines = [textwrap.fill(row, width=105, subsequent_indent="  ", break_on_hyphens=False, break_long_words=False)
             for row in rows]
    lines = [line + (" ;" if i < len(lines) - 1 else ".") for i, line in enumerate(lines)]
    for f in model.Kit.fields:
        if isinstance(f, schema.Choice) and len(f.choices) > schema.SHOWN_CHOICES:
            rest = schema.quoted_list(list(f.choices[schema.SHOWN_CHOICES:])).replace("« ", "`").replace(" »", "`")
            lines += ["", f"La clé `{f.name}` accepte aussi {rest}."]
    return "\n".join(lines)


def guide_blocks(ids: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Generated Markdown of each marked section of CONTRIBUTING.md, by marker name (the ids' list if given)."""
    blocks = {
        "fichiers-kit": parts_list(),
        "cles-kit": schema.markdown_table(model.Kit),
        "cles-ressource": schema.markdown_table(model.Resource),
        **{name: schema.markdown_table(record) for name, record in diagnostic.GUIDE_TABLES.items()},
        "cles-source": schema.markdown_table(model.Source),
        "cles-lecture": schema.markdown_table(model.Reading),
        "cles-chiffre": schema.markdown_table(model.Figure),
        "cles-glossaire": schema.markdown_table(model.Term),
    }
    if ids is not None:
        blocks["identifiants"] = ids_list(ids)
    return blocks


def update_guide(text: str, ids: dict[str, list[str]] | None = None) -> str:
    """The guide with every marked section regenerated; unknown marker names (and the ids' list, without `ids`)
    are left as they are."""
    blocks = guide_blocks(ids)

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in blocks:
            return match.group(0)
        return f"{match.group(1)}{blocks[name]}\n{match.group(4)}"

    return BLOCK.sub(fill, text)


def missing_blocks(text: str, ids: dict[str, list[str]] | None = None) -> list[str]:
    """Names of the generated sections the guide lacks markers for."""
    present = {m.group("name") for m in BLOCK.finditer(text)}
    return [name for name in guide_blocks(ids if ids is not None else {}) if name not in present]


def editor_config_text(kits: Path) -> str:
    """The web editor's configuration for this kits tree, as committed in schemas/editeur.yml."""
    from . import cms  # the editor's module imports this one's neighbours, not the other way round

    return cms.config_text(load_corpus(kits, Report()))


def stale_files(repo: Path, kits: Path) -> list[Path]:
    """Committed generated files that differ from what `make schema` would write now."""
    stale = []
    for path, text in _schemas(kits).items():
        target = repo / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            stale.append(target)
    guide = repo / GUIDE_PATH
    if guide.is_file():
        text = guide.read_text(encoding="utf-8")
        ids = registry_ids(kits)
        if update_guide(text, ids) != text or missing_blocks(text, ids):
            stale.append(guide)
    return stale


def write_all(repo: Path, kits: Path) -> list[Path]:
    """Regenerate the schema, the editor's configuration and the guide's tables; return the files that changed."""
    changed = []
    for path, text in _schemas(kits).items():
        target = repo / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    guide = repo / GUIDE_PATH
    if guide.is_file():
        old = guide.read_text(encoding="utf-8")
        new = update_guide(old, registry_ids(kits))
        if new != old:
            guide.write_text(new, encoding="utf-8")
            changed.append(guide)
    return changed


def publish_schema(corpus: model.Corpus, site: Path) -> Path:
    """Copy the schemas of kit.yml and autodiagnostic.yml into a built site, under schemas/ (the same with or without
    drafts; the editor carries its own configuration); returns the path of kit.yml's."""
    for path, text in ((SCHEMA_PATH, _schema_json(corpus_ids(corpus))), (DIAGNOSTIC_SCHEMA_PATH, _diagnostic_json())):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, encoding="utf-8")
    return site / SCHEMA_PATH
