"""The engines that render a centre model into a static site, declared once: the build picks one by name.

An engine is a module of this package exposing `render(jobs, parallel) -> Iterator[CentreBuild]`: it receives
centres already checked and modelled (`pages.build_centre`) and never re-validates the kits. Everything an engine
knows of its tool (MkDocs, Zensical…) stays in its own sub-package; the core imports none of them.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Protocol, Sequence

if TYPE_CHECKING:  # types only: the checks ask this module for the theme, a no-op build for the engines' names
    from ..kits import Corpus
    from ..markup import Sanitiser
    from ..pages import Centre

# Engine name (as given to `--moteur` and `make build ENGINE=`) → the module implementing it, imported on use
# only: an engine's tool need not be installed unless that engine is chosen.
ENGINES: dict[str, str] = {
    "mkdocs": "kitcore.engines.mkdocs.engine",
    "zensical": "kitcore.engines.zensical.engine",
}
DEFAULT = "mkdocs"
# The theme every engine renders (Material's look, which Zensical shares): its module declares the classes its
# scripts act on (`SANITISER`). The kit checks warn of them through `theme()`, without naming an engine.
THEME = "kitcore.engines.material.theme"


@dataclass(frozen=True)
class CentreJob:
    """One centre to render: its model, the corpus it was built from, where its site goes."""

    corpus: Corpus
    centre: Centre
    kits: Path  # the kits tree the corpus was read from (kit pages point their edit links into it)
    out: Path
    drafts: bool


@dataclass
class CentreBuild:
    """The outcome of rendering one centre."""

    id: str
    ok: bool
    seconds: float
    pages: int
    output: str


class Engine(Protocol):
    """What an engine module provides."""

    def render(self, jobs: Sequence[CentreJob], parallel: int) -> Iterator[CentreBuild]:
        """Render every job (up to `parallel` at once), yielding each outcome as soon as it is known."""
        ...


def theme() -> Sanitiser:
    """The sanitiser of the sites' theme, with the classes it reserves."""
    return importlib.import_module(THEME).SANITISER


def engine(name: str) -> Engine:
    """The engine called `name` (one of ENGINES), imported now."""
    if name not in ENGINES:
        raise KeyError(name)
    return importlib.import_module(ENGINES[name])  # type: ignore[return-value]
