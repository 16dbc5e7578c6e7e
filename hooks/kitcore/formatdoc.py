"""Documents derived from the kit format: the published JSON Schema of kit.yml and the guide's table of keys."""
from __future__ import annotations

import json
import re
from pathlib import Path

from . import schema
from .kits import KIT_FILE, load_corpus
from .problems import Report

SCHEMA_PATH = Path("schemas") / "kit.schema.json"
GUIDE_PATH = Path("CONTRIBUTING.md")
# The guide's generated sections sit between these markers; `make schema` rewrites what is inside.
BLOCK = re.compile(r"(<!-- début : (?P<name>[a-z-]+) .*?-->\n)(?P<body>.*?)(<!-- fin : (?P=name) -->)", re.S)
REGENERATE = "make schema"


def registry_ids(root: Path, drafts: bool = True) -> dict[str, list[str]]:
    """Ids of the audiences, challenges and kit folders of a kits tree, for the schema's enums (drafts if asked)."""
    corpus = load_corpus(root, Report())
    kit_ids = []
    if root.is_dir():
        # Folders rather than valid kits: a kit with a typo must not vanish from the ids others may cite.
        kit_ids = sorted(p.name for p in root.iterdir()
                         if p.is_dir() and (p / KIT_FILE).is_file() and schema.ID_PATTERN.match(p.name))
    if not drafts:
        hidden = {k.id for k in corpus.kits if k.draft}
        kit_ids = [k for k in kit_ids if k not in hidden]
    return {
        "publics": [a.id for a in corpus.audiences],
        "enjeux": [c.id for c in corpus.challenges],
        "kits": kit_ids,
    }


def schema_text(root: Path, drafts: bool = True) -> str:
    """The JSON Schema of kit.yml for this kits tree, as committed in schemas/kit.schema.json."""
    return json.dumps(schema.kit_json_schema(registry_ids(root, drafts)), ensure_ascii=False, indent=2) + "\n"


def guide_blocks() -> dict[str, str]:
    """Generated Markdown of each marked section of CONTRIBUTING.md, by marker name."""
    return {
        "cles-kit": schema.markdown_table(schema.KIT_FIELDS),
        "cles-ressource": schema.markdown_table(schema.RESOURCE_FIELDS),
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
    """Copy the schema of kit.yml into a built site, at schemas/kit.schema.json; drafts' ids only in a preview."""
    target = site / SCHEMA_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(schema_text(kits, drafts), encoding="utf-8")
    return target
