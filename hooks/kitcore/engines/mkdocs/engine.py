"""The MkDocs engine: renders centres with `mkdocs build` (mkdocs.yml and its hook), one child process per centre."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Iterator, Sequence

from .. import CentreBuild, CentreJob
from ...inputs import ROOT


# Runs `mkdocs` in a child that dies with the build: a build killed mid-way (even by SIGKILL) must not leave
# renderers writing into a staging folder that the next build removes (Linux prctl PR_SET_PDEATHSIG).
_LAUNCHER = """\
import ctypes, os, runpy, signal, sys
try:
    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))
except (OSError, AttributeError):
    pass
if str(os.getppid()) != os.environ.get("CENTRES_PARENT_PID", str(os.getppid())):
    sys.exit(1)
sys.argv = ["mkdocs"] + sys.argv[1:]
runpy.run_module("mkdocs", run_name="__main__", alter_sys=True)
"""


def centre_env(centre: str, kits: Path, out: Path, drafts: bool = False) -> dict[str, str]:
    """Environment that tells mkdocs.yml and the hook which centre to build, from which kits, where."""
    env = dict(os.environ)
    env.update(CENTRE=centre, KITS_DIR=str(kits.resolve()), SITE_DIR=str(out.resolve()), NO_MKDOCS_2_WARNING="1")
    env["BROUILLONS"] = "1" if drafts else "0"
    return env


def build_centre_site(centre: str, kits: Path, out: Path, drafts: bool = False, config: Path | None = None) -> CentreBuild:
    """Render one centre into `out` with MkDocs (strict: any warning fails)."""
    start = time.perf_counter()
    cmd = [sys.executable, "-c", _LAUNCHER, "build", "--strict", "-f", str(config or ROOT / "mkdocs.yml")]
    env = centre_env(centre, kits, out, drafts)
    env["CENTRES_PARENT_PID"] = str(os.getpid())
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in out.rglob("*.html")) if proc.returncode == 0 else 0
    # Without --quiet MkDocs counts warnings for --strict; keep only what a reader of a failure needs.
    output = "\n".join(line for line in (proc.stdout + proc.stderr).splitlines() if not line.startswith("INFO"))
    return CentreBuild(centre, proc.returncode == 0, seconds, pages, output.strip())


def render(jobs: Sequence[CentreJob], parallel: int) -> Iterator[CentreBuild]:
    """Render each centre into its folder, `parallel` at a time, yielding outcomes as they come."""
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = [pool.submit(build_centre_site, j.centre.audience.id, j.kits, j.out, j.drafts) for j in jobs]
        for future in as_completed(futures):
            yield future.result()
