"""The one place that knows how a centre is rendered: `mkdocs build` in a subprocess, one per centre."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CentreBuild:
    """The outcome of rendering one centre."""

    id: str
    ok: bool
    seconds: float
    pages: int
    output: str


def centre_env(centre: str, kits: Path, out: Path, drafts: bool = False) -> dict[str, str]:
    """Environment that tells mkdocs.yml and the hook which centre to build, from which kits, where."""
    env = dict(os.environ)
    env.update(CENTRE=centre, KITS_DIR=str(kits.resolve()), SITE_DIR=str(out.resolve()), NO_MKDOCS_2_WARNING="1")
    env["BROUILLONS"] = "1" if drafts else "0"
    return env


def build_centre_site(centre: str, kits: Path, out: Path, drafts: bool = False, config: Path | None = None) -> CentreBuild:
    """Render one centre into `out` with MkDocs (strict: any warning fails)."""
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "-f", str(config or ROOT / "mkdocs.yml")]
    proc = subprocess.run(cmd, env=centre_env(centre, kits, out, drafts), cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in out.rglob("*.html")) if proc.returncode == 0 else 0
    return CentreBuild(centre, proc.returncode == 0, seconds, pages, (proc.stdout + proc.stderr).strip())
