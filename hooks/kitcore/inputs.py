"""The inputs of a build, declared once: the fingerprint hashes them, the preview and `mkdocs serve` watch them.

A build's output depends on the kits tree (given at run time), on the project's own files listed here, and on a
few settings read from the environment. Every consumer derives its list from this module, so that a new input
(a folder of code, a configuration file) is added in one place and cannot be forgotten by one of them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The project's root: the folder holding hooks/ (this package lives in hooks/kitcore/).
ROOT = Path(__file__).resolve().parents[2]
# The file that makes a folder of the kits tree a kit.
KIT_FILE = "kit.yml"


@dataclass(frozen=True)
class ProjectInput:
    """A file or folder of the project that shapes the built sites.

    `code` inputs change how pages are made (a preview must restart its renderer to see them); the others are
    content, re-read on change.
    """

    path: str
    code: bool


PROJECT: tuple[ProjectInput, ...] = (
    ProjectInput("mkdocs.yml", code=True),
    ProjectInput("pyproject.toml", code=True),
    ProjectInput("requirements.txt", code=True),
    ProjectInput("requirements-zensical.txt", code=True),  # the second engine's version (make build ENGINE=zensical)
    ProjectInput("package-lock.json", code=False),  # the web editor's version, vendored into the portal
    ProjectInput("hooks", code=True),
    ProjectInput("scripts", code=True),
    ProjectInput("overrides", code=True),
    ProjectInput("docs", code=False),
)
# Settings read from the environment that change the pages as much as a file does.
ENVIRONMENT = ("REPO_URL", "SITE_URL")
# Below the inputs, never inputs themselves: caches and editors' scratch files.
SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".mypy_cache", ".pytest_cache", "node_modules"})
SKIPPED_SUFFIXES = (".pyc", ".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload")
SKIPPED_NAMES = frozenset({"4913", ".DS_Store"})


def skipped(name: str) -> bool:
    """True for a file or folder name below an input that is not an input (caches, editors' scratch files)."""
    return (name in SKIPPED_DIRS or name in SKIPPED_NAMES or name.endswith(SKIPPED_SUFFIXES)
            or name.startswith(".#") or name.endswith(".egg-info"))


def project_paths(root: Path = ROOT, code: bool | None = None) -> list[Path]:
    """The project's inputs below `root` (only code, or only content, when asked), whether they exist or not."""
    return [root / item.path for item in PROJECT if code is None or item.code == code]
