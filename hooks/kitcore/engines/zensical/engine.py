"""Launching Zensical: one child process per centre, from a project folder written by the parent (project)."""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Iterator, Sequence

from ... import notfound, search
from ...inputs import ROOT
from .. import CentreBuild, CentreJob
from . import project

ZENSICAL_INDEX = "search.json"
MISSING = ("Zensical n'est pas installé dans cet environnement : lancez « make build ENGINE=zensical », qui "
           "l'installe (requirements-zensical.txt), ou « make install-dev ».")
# Runs Zensical in a child that dies with the build (Linux PR_SET_PDEATHSIG), like the MkDocs engine's. Zensical's
# own errors (a template, a link it refuses) come back as one line, not as a Python traceback.
_LAUNCHER = """\
import ctypes, os, signal, sys
try:
    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))
except (OSError, AttributeError):
    pass
if str(os.getppid()) != os.environ.get("CENTRES_PARENT_PID", str(os.getppid())):
    sys.exit(1)
from zensical.main import cli
try:
    cli(["build", "--strict", "-f", sys.argv[1]], prog_name="zensical", standalone_mode=False)
except Exception as exc:
    print(f"Zensical a échoué : {exc}", file=sys.stderr)
    sys.exit(1)
"""


def build_centre_site(job: CentreJob) -> CentreBuild:
    """Render one centre into `job.out` with Zensical (strict: a broken link fails the build)."""
    start = time.perf_counter()
    centre = job.centre.audience.id
    site_url = os.environ.get("SITE_URL", "").strip() or None
    job.out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".zensical-{centre}-", dir=job.out.parent))
    try:
        config = project.write_project(job, work, site_url)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", CENTRES_PARENT_PID=str(os.getpid()))
        proc = subprocess.run([sys.executable, "-c", _LAUNCHER, str(config)], cwd=work, capture_output=True,
                              text=True, env=env)
        output = (proc.stdout + proc.stderr).strip()
        if proc.returncode != 0:
            return CentreBuild(centre, False, time.perf_counter() - start, 0, output)
        shutil.move(str(work / project.SITE), str(job.out))
        # Zensical 0.0.73 writes its search index even with its search disabled (settings): no page loads it, and
        # it would grow every zip with the corpus.
        (job.out / ZENSICAL_INDEX).unlink(missing_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # The French search (kitcore.search) and the standalone 404 page, as the MkDocs hook writes them after its build.
    search.write_centre_index(job.centre, job.corpus, job.out, ROOT / project.DOCS)
    links = [notfound.CentreLink(a.id, a.nom, a.titre_centre) for a in job.corpus.audiences]
    page = notfound.centre_page(links, centre, job.centre.audience.couleur, os.environ.get("SITE_URL"))
    (job.out / notfound.FILE).write_text(page, encoding="utf-8")
    pages = sum(1 for _ in job.out.rglob("*.html"))
    return CentreBuild(centre, True, time.perf_counter() - start, pages, output)


def render(jobs: Sequence[CentreJob], parallel: int) -> Iterator[CentreBuild]:
    """Render each centre into its folder, `parallel` at a time, yielding outcomes as they come."""
    if importlib.util.find_spec("zensical") is None:
        # Said once per centre, before any work: the build stops and the previous site stays.
        yield from (CentreBuild(job.centre.audience.id, False, 0.0, 0, MISSING) for job in jobs)
        return
    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        futures = [pool.submit(build_centre_site, job) for job in jobs]
        for future in as_completed(futures):
            yield future.result()
