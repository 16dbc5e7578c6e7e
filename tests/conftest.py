"""Shared fixtures: paths, a built copy of the real kits, and headless Chromium driven by Playwright."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def run_build(kits: Path, site: Path, *extra: str, documents: bool = False) -> subprocess.CompletedProcess:
    """Run `scripts/build.py` as `make build KITS=… SITE=…` does; without the PDF, EPUB and ZIM files unless
    `documents` (they are tested on their own builds: the suite's many fixture builds skip them, as CI time asks)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    options = [] if documents else ["--sans-documents"]
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "--kits", str(kits), "--site", str(site), *options, *extra],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )


def build_once(tmp_path_factory: pytest.TempPathFactory, kits: Path, name: str, documents: bool = False) -> Path:
    """Build a kits tree into a fresh temporary site, failing the test with the build's output if it fails."""
    site = tmp_path_factory.mktemp(name) / "site"
    result = run_build(kits, site, documents=documents)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def render_fixture_centre(site: Path, patch: str, report: str, setup: str = "", before_build: str = ""):
    """In a fresh interpreter: run `patch`, render the fixture corpus's associations centre by MkDocs through the
    hook (as a build's child does), then return the JSON value of the expression `report`."""
    code = (
        f"import sys, json\nfrom pathlib import Path\n{patch}\n"
        "from kitcore import checks, engines, pages\nfrom kitcore.engines.mkdocs import converter, engine, handoff\n"
        f"{setup}\n"
        "from mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
        "kits = Path(sys.argv[1])\ncorpus, _ = checks.check_kits(kits)\n"
        "handoff.give(engines.CentreJob(corpus, pages.build_centre(corpus, 'associations', False), kits, "
        "Path(sys.argv[2]), False))\n"
        "loaded = load_config(str(engine.CONFIG), site_dir=sys.argv[2], strict=True)\n"
        f"{before_build}\n"
        "loaded.plugins.on_startup(command='build', dirty=False)\nbuild(loaded)\n"
        f"print(json.dumps({report}))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "corpus"), str(site)],
                          capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real kits built once for the whole session (read-only for tests)."""
    return build_once(tmp_path_factory, ROOT / "kits", "real")


def require_program(name: str, install: str) -> str:
    """Path of a program the test needs: skipped with instructions locally, a failure under CI (CI=true)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} absent : installez-le ({install})."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " .ci/run doit l'installer.")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; skipped with instructions when absent, but required under CI."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium manque en CI : .ci/run doit installer le paquet Debian « chromium ».")
        pytest.skip("Chromium absent : installez-le avec « sudo apt-get install chromium » (ou « make browser »).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--allow-file-access-from-files"],
        )
        yield b
        b.close()


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots kept as test artefacts."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def copy_kits(src: Path, dst: Path) -> Path:
    """Copy a kits tree so that a test may break it without touching the original."""
    shutil.copytree(src, dst, symlinks=True)
    return dst
