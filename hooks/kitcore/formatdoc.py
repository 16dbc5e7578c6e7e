"""Documents derived from the kit format: the published JSON Schema of kit.yml and the guide's table of keys."""
from __future__ import annotations

import json
import re
from pathlib import Path

from . import kits, parts, schema
from .kits import KIT_FILE, load_corpus
from .problems import Report

SCHEMA_PATH = Path("schemas") / "kit.schema.json"
GUIDE_PATH = Path("CONTRIBUTING.md")
# The guide's generated sections sit between these markers; `make schema` rewrites what is inside.
BLOCK = re.compile(r"(<!-- début : (?P<name>[a-z-]+) .*?-->\n)(?P<body>.*?)(<!-- fin : (?P=name) -->)", re.S)
REGENERATE = "make schema"


def registry_ids(root: Path) -> dict[str, list[str]]:
    """Ids of the records of each registry of a kits tree, for the schema's enums.

    Kit ids are left out on purpose: the committed schema must not go stale when a kit is added (`voir_aussi`
    is checked by pattern in the editor, and its existence by `make check`).
    """
    corpus = load_corpus(root, Report())
    return {name: list(records) for name, records in corpus.registries.items()}


def kit_json_schema(ids: dict[str, list[str]] | None = None) -> dict:
    """JSON Schema of kit.yml, with the records of the registries as enums."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "kit.schema.json",
        "title": "kit.yml — fiche d'un kit pratique",
        "description": "Métadonnées d'un kit d'un centre de ressources. Documentation : CONTRIBUTING.md.",
        **schema.object_schema(kits.Kit, ids),
    }


def schema_text(root: Path) -> str:
    """The JSON Schema of kit.yml for this kits tree, as committed in schemas/kit.schema.json."""
    return json.dumps(kit_json_schema(registry_ids(root)), ensure_ascii=False, indent=2) + "\n"


def parts_list() -> str:
    """The guide's tree of a kit's files, from the part table."""
    width = max(len(p.file) for p in parts.PARTS) + 4
    rows = ["```text", "kits/evaluer-un-partenariat/", f"├── {KIT_FILE.ljust(width)}la fiche du kit"]
    for number, p in enumerate(parts.PARTS, 1):
        optional = " (facultatif)" if not p.required else ""
        rows.append(f"├── {p.file.ljust(width)}{number}. {p.summary}{optional}")
    rows += [f"└── {'fichiers/'.ljust(width)}les fichiers à télécharger et les images (facultatif)",
             "    └── grille-evaluation.csv", "```"]
    return "\n".join(rows)


def guide_blocks() -> dict[str, str]:
    """Generated Markdown of each marked section of CONTRIBUTING.md, by marker name."""
    return {
        "fichiers-kit": parts_list(),
        "cles-kit": schema.markdown_table(kits.Kit),
        "cles-ressource": schema.markdown_table(kits.Resource),
    }


def update_guide(text: str) -> str:
    """The guide with every marked section regenerated; unknown marker names are left as they are."""
    blocks = guide_blocks()

    def fill(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in blocks:
            return match.group(0)
        return f"{match.group(1)}{blocks[name]}\n{match.group(4)}"

    return BLOCK.sub(fill, text)


def missing_blocks(text: str) -> list[str]:
    """Names of the generated sections the guide lacks markers for."""
    present = {m.group("name") for m in BLOCK.finditer(text)}
    return [name for name in guide_blocks() if name not in present]


def stale_files(repo: Path, kits: Path) -> list[Path]:
    """Committed generated files that differ from what `make schema` would write now."""
    stale = []
    target = repo / SCHEMA_PATH
    if not target.is_file() or target.read_text(encoding="utf-8") != schema_text(kits):
        stale.append(target)
    guide = repo / GUIDE_PATH
    if guide.is_file():
        text = guide.read_text(encoding="utf-8")
        if update_guide(text) != text or missing_blocks(text):
            stale.append(guide)
    return stale


def write_all(repo: Path, kits: Path) -> list[Path]:
    """Regenerate the schema and the guide's tables; return the files that changed."""
    changed = []
    target = repo / SCHEMA_PATH
    text = schema_text(kits)
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        changed.append(target)
    guide = repo / GUIDE_PATH
    if guide.is_file():
        old = guide.read_text(encoding="utf-8")
        new = update_guide(old)
        if new != old:
            guide.write_text(new, encoding="utf-8")
            changed.append(guide)
    return changed


def publish_schema(kits: Path, site: Path, drafts: bool = False) -> Path:
    """Copy the schema of kit.yml into a built site, at schemas/kit.schema.json (the same with or without drafts)."""
    target = site / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(kits), encoding="utf-8")
    return target
