"""Fingerprints of a build's inputs, so that a centre whose inputs did not change is reused instead of rebuilt.

Two levels, like git's index: the (path, size, mtime_ns) of every input file says cheaply that *nothing* changed
(then even validation is skipped); otherwise content hashes decide, centre by centre, what must be rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import inputs as declared
from .inputs import KIT_FILE

STATE_FILE = ".construction.json"
# Bump when the layout of the state or the meaning of a fingerprint changes: an old state is then ignored.
VERSION = 4
# The inputs shared by every centre (a change to any of them rebuilds everything) are those of kitcore.inputs.

Signature = tuple[int, int]  # (size, mtime_ns)


def _walk(top: Path, prefix: str, out: dict[str, Signature], paths: dict[str, Path]) -> None:
    """Every regular file below `top` (links recorded by their own stat, never followed)."""
    try:
        entries = list(os.scandir(top))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if declared.skipped(entry.name):
            continue
        key = f"{prefix}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            _walk(Path(entry.path), key, out, paths)
            continue
        st = entry.stat(follow_symlinks=False)
        out[key] = (st.st_size, st.st_mtime_ns)
        paths[key] = Path(entry.path)


@dataclass
class Inputs:
    """Every input file of a build, by key: « projet/… » under the project root, « kits/… » under the kits folder."""

    signatures: dict[str, Signature] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    options: dict[str, bool] = field(default_factory=dict)  # build options that change every centre's output


def scan(root: Path, kits: Path, options: dict[str, bool] | None = None) -> Inputs:
    """Stat every input file (no reading): the project's inputs (kitcore.inputs) and the whole kits tree."""
    inputs = Inputs(env={name: os.environ.get(name, "") for name in declared.ENVIRONMENT}, options=dict(options or {}))
    for path in declared.project_paths(root):
        key = f"projet/{path.relative_to(root).as_posix()}"
        if path.is_dir():
            _walk(path, key, inputs.signatures, inputs.paths)
            continue
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        inputs.signatures[key] = (st.st_size, st.st_mtime_ns)
        inputs.paths[key] = path
    _walk(kits, "kits", inputs.signatures, inputs.paths)
    return inputs


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    if path.is_symlink():
        digest.update(b"link:" + os.readlink(path).encode())
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _combine(parts: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for key, value in parts:
        digest.update(key.encode() + b"\0" + value.encode() + b"\n")
    return digest.hexdigest()


def _kit_of(key: str) -> str | None:
    """The kit folder a « kits/… » key belongs to, or None for registries and loose top-level files."""
    parts = key.split("/")
    return parts[1] if len(parts) > 2 else None


def centre_fingerprints(inputs: Inputs, centres: dict[str, list[str]], drafts: bool) -> dict[str, str]:
    """Content fingerprint of each centre, given its kits' ids: what it shares with all, plus its kits' folders.

    Every kit.yml counts for every centre (titles and « voir aussi » links cross centres), and so do the
    registries and the project's shared files; a kit's other files count only for the centres that show it.
    """
    hashes = {key: _hash_file(path) for key, path in sorted(inputs.paths.items())}
    shared = [(key, h) for key, h in hashes.items()
              if key.startswith("projet/") or _kit_of(key) is None or key.endswith(f"/{KIT_FILE}")]
    shared += [(f"env/{k}", v) for k, v in sorted(inputs.env.items())]
    shared += [(f"option/{k}", "1" if v else "0") for k, v in sorted(inputs.options.items())]
    shared.append(("brouillons", "1" if drafts else "0"))
    base = _combine(shared)
    by_kit: dict[str, list[tuple[str, str]]] = {}
    for key, h in hashes.items():
        kit = _kit_of(key) if key.startswith("kits/") else None
        if kit is not None:
            by_kit.setdefault(kit, []).append((key, h))
    out = {}
    for centre, kit_ids in centres.items():
        parts = [("commun", base), ("centre", centre)]
        for kit_id in sorted(kit_ids):
            parts.append((f"kit/{kit_id}", _combine(by_kit.get(kit_id, []))))
        out[centre] = _combine(parts)
    return out


@dataclass
class State:
    """What the last successful build recorded in its site folder."""

    centres: dict[str, str]
    files: str  # digest of every input's (path, size, mtime_ns), the kits folder, options and settings

    def unchanged(self, inputs: Inputs, kits: str, drafts: bool, requested: list[str] | None) -> bool:
        """True when no input file was touched since that build, with the same options: nothing to do."""
        return self.files == files_digest(inputs, kits, drafts, requested)


def files_digest(inputs: Inputs, kits: str, drafts: bool, requested: list[str] | None) -> str:
    """One digest of what the cheap check compares.

    The state file is published with the site: it holds digests only, never file names (a draft kit's name
    must not reach the public site) nor the builder's paths.
    """
    data = [kits, drafts, sorted(inputs.env.items()), sorted(inputs.options.items()), _sorted(requested),
            sorted(inputs.signatures.items())]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _sorted(ids: list[str] | None) -> list[str] | None:
    return None if ids is None else sorted(set(ids))


def read_state(site: Path) -> State | None:
    """The state of the site at `site`, or None when absent, unreadable or from another version."""
    try:
        data = json.loads((site / STATE_FILE).read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            return None
        return State(dict(data["centres"]), str(data["fichiers"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_state(folder: Path, inputs: Inputs, kits: str, drafts: bool, centres: dict[str, str],
                requested: list[str] | None) -> None:
    """Record the fingerprints of a build in the (staging) site folder, so that it is swapped in with the site."""
    data = {"version": VERSION, "centres": centres, "fichiers": files_digest(inputs, kits, drafts, requested)}
    (folder / STATE_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")


def link_tree(source: Path, target: Path) -> None:
    """Recreate `source` at `target` with hard links (a copy where links are impossible): a reused centre costs
    no disk space and keeps its files' identity. Nothing may later write into these files in place."""
    shutil.copytree(source, target, copy_function=link_file, symlinks=True)


def link_file(source: Path, target: Path) -> None:
    """Hard-link (or copy) one file of the previous site into the new one."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
