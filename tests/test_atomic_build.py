"""Atomic publication: a failed or killed build leaves the previous site and zips intact; concurrent builds take turns."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from hostile_kits import ROOT, make_tree, run_script

FIXTURE = ROOT / "tests" / "fixtures" / "corpus"

pytestmark = pytest.mark.slow


def _copy_kits(dst: Path, marker: str = "") -> Path:
    import shutil

    shutil.copytree(FIXTURE, dst)
    for kit_yml in dst.glob("*/kit.yml"):
        text = kit_yml.read_text(encoding="utf-8")
        kit_yml.write_text(text.replace("titre: ", f"titre: {marker}", 1) if marker else text, encoding="utf-8")
    return dst


def _state(site: Path) -> dict[str, str]:
    """Every file of the site with the hash of its content."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith((f".{site.name}-staging-", f".{site.name}-old-")))


def _build(kits: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    result = run_script("build.py", "--kits", str(kits), "--site", str(site), *extra)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _popen(kits: Path, site: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.Popen([sys.executable, str(ROOT / "scripts" / "build.py"), "--kits", str(kits), "--site", str(site),
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def _renderers_of(pid: int) -> list[int]:
    """The centres' renderers of the build `pid`: its children named by the engine (one forked per centre)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …: the command may hold spaces and parentheses, the last ")" ends it.
            comm = stat.split("(", 1)[1].rsplit(")", 1)[0]
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and comm.startswith("rendu-"):
                found.append(int(proc.name))
    return found


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A site built from the fixture kits, with the hash of every file (pages and zips)."""
    kits = _copy_kits(tmp_path / "kits")
    site = tmp_path / "site"
    assert _build(kits, site).returncode == 0
    state = _state(site)
    assert any(name.endswith(".zip") for name in state)
    return kits, site, state


def _wait_for(condition, timeout: float = 120, step: float = 0.02):
    """Poll `condition` until it returns something true (returned) or `timeout` passes (the last value is returned)."""
    deadline = time.monotonic() + timeout
    value = condition()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = condition()
    return value


def _assert_untouched(site: Path, state: dict[str, str], stderr: str) -> None:
    assert "Construction annulée : le site existant n'a pas été modifié." in stderr
    assert _state(site) == state
    assert _leftovers(site) == []


def test_check_failure_leaves_site_intact(published: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    _, site, state = published
    broken = make_tree(tmp_path / "broken", ["yaml-python-object"])
    result = _build(broken, site)
    assert result.returncode == 1
    _assert_untouched(site, state, result.stderr)


def test_render_failure_leaves_site_intact(published: tuple[Path, Path, dict[str, str]]) -> None:
    kits, site, state = published
    # A renderer that dies mid-way (a crash, the memory killer): the build fails after staging has begun.
    proc = _popen(kits, site, "--tout")
    # Stop waiting as soon as a renderer runs, or the build has ended.
    _wait_for(lambda: proc.poll() is not None or _renderers_of(proc.pid), step=0.01)
    renderers = _renderers_of(proc.pid)
    assert renderers, "aucun rendu observé"
    os.kill(renderers[0], signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, out + err
    assert "Traceback" not in out + err
    _assert_untouched(site, state, err)


def test_killed_build_leaves_site_intact(published: tuple[Path, Path, dict[str, str]]) -> None:
    kits, site, state = published
    proc = _popen(kits, site, "--tout")
    # Kill it while MkDocs writes into the staging folder.
    def writing() -> list[Path]:
        return [p for p in site.parent.glob(f".{site.name}-staging-*") if any(p.rglob("*.html"))]

    _wait_for(lambda: proc.poll() is not None or writing())
    assert proc.poll() is None, "la construction s'est terminée avant d'avoir pu être interrompue"
    assert writing(), "aucune page écrite dans le dossier de préparation"
    renderers = _renderers_of(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert _state(site) == state
    # The renderers die with the build instead of writing on into a folder that the next build removes.
    _wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in renderers), step=0.05)
    assert [pid for pid in renderers if Path(f"/proc/{pid}").exists()] == []
    # The next build cleans up after the killed one and publishes normally.
    assert _build(kits, site, "--tout").returncode == 0
    assert _leftovers(site) == []
    assert set(_state(site)) == set(state)


def _markers(site: Path) -> set[str]:
    """Which build each published centre and zip comes from: 'B' when its kit titles carry « Version B »."""
    found = set()
    for centre in sorted(p.parent for p in site.glob("*/index.html") if (site / f"{p.parent.name}.zip").is_file()):
        html = (centre / "index.html").read_text(encoding="utf-8")
        found.add("B" if "Version B" in html else "A")
        with zipfile.ZipFile(site / f"{centre.name}.zip") as archive:
            page = next(n for n in archive.namelist() if n.endswith(f"{centre.name}/index.html"))
            found.add("B" if "Version B" in archive.read(page).decode("utf-8") else "A")
    return found


def test_concurrent_builds_do_not_mix(published: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    kits_a, site, _ = published
    kits_b = _copy_kits(tmp_path / "kits-b", "Version B ")
    first, second = _popen(kits_b, site), _popen(kits_a, site)
    for proc in (first, second):
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, out + err
        assert "Traceback" not in out + err
    # One build's site, whole: every centre and every zip from the same build.
    assert len(_markers(site)) == 1
    assert _leftovers(site) == []
    # And what the site records of its inputs is true: building A again ends with A's pages everywhere.
    assert _build(kits_a, site).returncode == 0
    assert _markers(site) == {"A"}
