"""Assembling the hostile kits of tests/hostile/: base kit + overlay + setup (links, huge files), and running tools."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "hostile"
BASE = HOSTILE / "_base"
REGISTRIES = HOSTILE / "_registres"
REGISTRY_FILES = ("publics.yml", "enjeux.yml", "chiffres.yml")
# Where the template payloads of the hostile kits try to write: they must never appear.
CANARIES = (Path("/tmp/centres-canari-hostile"), ROOT / "canari-hostile")


def _sparse(path: Path, size: int, head: bytes) -> None:
    """A big file that costs no disk: its header, then a hole up to `size` bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)


def _outside(kit: Path) -> Path:
    """A folder beside the kits tree, for links that lead out of it."""
    other = kit.parent.parent / "ailleurs"
    other.mkdir(exist_ok=True)
    (other / "secret.csv").write_text("secret;1\n", encoding="utf-8")
    return other


def _kit_link(kit: Path) -> None:
    real = _outside(kit) / "vrai-kit"
    shutil.copytree(kit, real)
    shutil.rmtree(kit)
    kit.symlink_to(real, target_is_directory=True)


def _part_link(kit: Path) -> None:
    (kit / "cadre-de-reference.md").unlink()
    (kit / "cadre-de-reference.md").symlink_to("/etc/passwd")


def _kit_yml_link(kit: Path) -> None:
    real = _outside(kit) / "kit.yml"
    shutil.copy(kit / "kit.yml", real)
    (kit / "kit.yml").unlink()
    (kit / "kit.yml").symlink_to(real)


def _files_link(kit: Path) -> None:
    shutil.rmtree(kit / "fichiers")
    (kit / "fichiers").symlink_to(_outside(kit), target_is_directory=True)


# Links and huge files are made at test time so that the repository never holds them.
SETUP: dict[str, Callable[[Path], None]] = {
    "ressource-lien-sortant": lambda k: (k / "fichiers" / "motdepasse.csv").symlink_to(_outside(k) / "secret.csv"),
    "ressource-lien-interne": lambda k: (k / "fichiers" / "copie.csv").symlink_to("grille.csv"),
    "fichiers-lien": _files_link,
    "sous-dossier-lien": lambda k: (k / "fichiers" / "systeme").symlink_to("/etc", target_is_directory=True),
    "kit-lien": _kit_link,
    "partie-lien": _part_link,
    "kit-yml-lien": _kit_yml_link,
    "trop-gros": lambda k: _sparse(k / "fichiers" / "gros.pdf", 21 * 1024 * 1024, b"%PDF-1.7\n"),
    "image-trop-grosse": lambda k: _sparse(k / "fichiers" / "photo.png", 6 * 1024 * 1024, b"\x89PNG\r\n\x1a\n"),
    "kit-trop-lourd": lambda k: [_sparse(k / "fichiers" / f"tome-{i}.pdf", 19 * 1024 * 1024, b"%PDF-1.7\n")
                                 for i in (1, 2, 3)],
    "yaml-enorme": lambda k: (k / "kit.yml").write_text(
        (k / "kit.yml").read_text(encoding="utf-8") + "mots_cles:\n" + "  - un mot-clé répété\n" * 14000,
        encoding="utf-8"),
    # Inputs that made a scan quadratic (minutes for `make check`): each just under the 2 MB part limit allows.
    "regex-balise-ouverte": lambda k: (k / "methodologie.md").write_text("## Étapes\n\n" + "<a " * 120_000, encoding="utf-8"),
    "regex-gabarit-ouvert": lambda k: (k / "methodologie.md").write_text("## Étapes\n\n" + "{{ {% " * 100_000, encoding="utf-8"),
    "regex-lien-ouvert": lambda k: (k / "methodologie.md").write_text("## Étapes\n\n" + "[x](<" * 100_000 + "\n" + "``a`" * 100_000,
                                                                        encoding="utf-8"),
    "yaml-chaine-enorme": lambda k: (k / "kit.yml").write_text(
        (k / "kit.yml").read_text(encoding="utf-8").replace("titre: Kit d'essai", "titre: " + "Titre " * 5000),
        encoding="utf-8"),
}


def add_kit(root: Path, case: str) -> Path:
    """Copy the base kit into `root/case`, lay the case's own files over it, then run its setup."""
    kit = root / case
    shutil.copytree(BASE, kit)
    overlay = HOSTILE / case
    for src in sorted(overlay.rglob("*")):
        if src.is_file() and src.name != ".gitkeep" and src.name not in REGISTRY_FILES:
            dst = kit / src.relative_to(overlay)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
    if case in SETUP:
        SETUP[case](kit)
    return kit


def make_tree(root: Path, cases: list[str], registries: Path = REGISTRIES) -> Path:
    """A kits tree at `root` with the registries of `registries` (a case may override some) and one kit per case."""
    root.mkdir(parents=True)
    for name in REGISTRY_FILES:
        shutil.copy(registries / name, root / name)
    for case in cases:
        for name in REGISTRY_FILES:
            if (HOSTILE / case / name).is_file():
                shutil.copy(HOSTILE / case / name, root / name)
        add_kit(root, case)
    return root


def run_script(script: str, *args: str) -> subprocess.CompletedProcess:
    """Run scripts/<script> as `make` does, without writing bytecode anywhere."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, str(ROOT / "scripts" / script), *args], capture_output=True, text=True,
                          env=env, cwd=ROOT)


def snapshot(folder: Path) -> set[str]:
    """Every path below `folder` (links not followed), relative."""
    out = set()
    for current, dirs, files in os.walk(folder):
        for name in dirs + files:
            out.add(os.path.relpath(os.path.join(current, name), folder))
    return out
