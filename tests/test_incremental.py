"""Incremental builds: an unchanged centre is reused (not rebuilt), a changed input rebuilds exactly what it feeds."""
from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from kitcore import engines, fingerprint
from kitcore.engines.mkdocs import engine

FIXTURE = ROOT / "tests" / "fixtures" / "corpus"
CENTRES = ("associations", "entreprises", "territoires")
# A snapshot of the project: its shared files feed every fingerprint, and they must not move during the tests.


def run_build(kits: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run the build as `make build KITS=… SITE=…` does (documents apart: tests/test_documents.py has their reuse)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "kitcli.build", "--kits", str(kits), "--site", str(site),
                           "--sans-documents", *extra],
                          capture_output=True, text=True, env=env, cwd=ROOT)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture kits built once; tests start from copies of this kits tree and site."""
    base = tmp_path_factory.mktemp("incremental")
    shutil.copytree(FIXTURE, base / "kits-pristine")
    shutil.copytree(base / "kits-pristine", base / "kits")  # copytree keeps mtimes: the signatures match
    result = run_build(base / "kits", base / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.copytree(base / "site", base / "site-pristine")
    return base


@pytest.fixture
def work(pristine: Path) -> Path:
    """Reset kits/ and site/ (at the paths the state records) to the pristine build."""
    for name in ("kits", "site"):
        shutil.rmtree(pristine / name, ignore_errors=True)
        shutil.copytree(pristine / f"{name}-pristine", pristine / name)
    return pristine


def identity(path: Path) -> tuple[int, int]:
    """Inode and modification time: both stay put when a file is reused rather than rewritten."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def identities(site: Path) -> dict[str, tuple[int, int]]:
    return {c: identity(site / c / "index.html") for c in CENTRES}


def test_no_op_rebuild_touches_nothing(work: Path) -> None:
    site = work / "site"
    before = identities(site)
    state_before = identity(site / fingerprint.STATE_FILE)
    result = run_build(work / "kits", site)
    assert result.returncode == 0, result.stderr
    assert "Rien n'a changé" in result.stdout
    assert "✓" not in result.stdout
    assert identities(site) == before
    assert identity(site / fingerprint.STATE_FILE) == state_before


def test_touched_but_identical_files_reuse_every_centre(work: Path) -> None:
    site = work / "site"
    before = identities(site)
    zip_before = identity(site / "entreprises.zip")
    for part in (work / "kits").rglob("*.md"):
        os.utime(part)  # new mtime, same content: the content hash decides
    result = run_build(work / "kits", site)
    assert result.returncode == 0, result.stderr
    for centre in CENTRES:
        assert f"= {centre}" in result.stdout
    assert "✓" not in result.stdout
    # Hard links into the previous site: same inodes, same times.
    assert identities(site) == before
    assert identity(site / "entreprises.zip") == zip_before
    # The fast path works again from the refreshed signatures.
    assert "Rien n'a changé" in run_build(work / "kits", site).stdout


def test_changing_one_kit_rebuilds_only_its_centres(work: Path) -> None:
    site = work / "site"
    before = identities(site)
    with open(work / "kits" / "kit-c" / "methodologie.md", "a", encoding="utf-8") as handle:
        handle.write("\nUne phrase ajoutée pour la reconstruction partielle.\n")
    result = run_build(work / "kits", site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✓ territoires" in result.stdout
    assert "= associations" in result.stdout and "= entreprises" in result.stdout
    after = identities(site)
    assert after["associations"] == before["associations"]
    assert after["entreprises"] == before["entreprises"]
    assert after["territoires"] != before["territoires"]
    page = (site / "territoires" / "kits" / "kit-c" / "methodologie.html").read_text(encoding="utf-8")
    assert "reconstruction partielle" in page
    # The reused centres keep a working zip and checksum, and the portal still lists every centre.
    for centre in CENTRES:
        assert (site / f"{centre}.zip").stat().st_size > 0
        assert (site / f"{centre}.zip.sha256").read_text(encoding="utf-8").split()[1] == f"{centre}.zip"
    portal = (site / "index.html").read_text(encoding="utf-8")
    assert all(f"{c}.zip" in portal for c in CENTRES)


def test_registry_change_rebuilds_every_centre(work: Path) -> None:
    site = work / "site"
    registry = work / "kits" / "publics.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("Pour les territoires.", "Pour les communes."),
                        encoding="utf-8")
    result = run_build(work / "kits", site)
    assert result.returncode == 0, result.stdout + result.stderr
    for centre in CENTRES:
        assert f"✓ {centre}" in result.stdout
    assert "inchangé" not in result.stdout


def test_shared_project_file_changes_every_fingerprint(tmp_path: Path) -> None:
    """mkdocs.yml, the hook and the theme feed every centre (checked on a scratch project, not the real one)."""
    project = tmp_path / "projet"
    (project / "hooks").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (project / "hooks" / "centre.py").write_text("x = 1\n", encoding="utf-8")
    kits = shutil.copytree(FIXTURE, tmp_path / "kits")
    centres = {"associations": ["kit-a"], "territoires": ["kit-c"]}

    def prints() -> dict[str, str]:
        return fingerprint.centre_fingerprints(fingerprint.scan(project, kits), centres, False)

    first = prints()
    assert prints() == first  # deterministic
    (project / "mkdocs.yml").write_text("site_name: y\n", encoding="utf-8")
    second = prints()
    assert all(second[c] != first[c] for c in centres)
    (project / "hooks" / "centre.py").write_text("x = 2\n", encoding="utf-8")
    between = prints()
    assert all(between[c] != second[c] for c in centres)
    # The build program is an input like the rest of the code: editing it is never « Rien n'a changé ».
    (project / "scripts").mkdir()
    (project / "scripts" / "build.py").write_text("x = 1\n", encoding="utf-8")
    state = fingerprint.State(between, fingerprint.files_digest(fingerprint.scan(project, kits), str(kits), False, None))
    third = prints()
    assert all(third[c] != between[c] for c in centres)
    os.utime(project / "scripts" / "build.py", ns=(1, 1))
    assert not state.unchanged(fingerprint.scan(project, kits), str(kits), False, None)
    # A kit's part feeds only the centres that show it; every kit.yml feeds them all.
    (kits / "kit-c" / "illustrations.md").write_text("Autre texte.\n", encoding="utf-8")
    fourth = prints()
    assert fourth["associations"] == third["associations"] and fourth["territoires"] != third["territoires"]
    (kits / "kit-c" / "kit.yml").write_text((kits / "kit-c" / "kit.yml").read_text(encoding="utf-8") + "\n",
                                            encoding="utf-8")
    fifth = prints()
    assert all(fifth[c] != fourth[c] for c in centres)
    assert fingerprint.centre_fingerprints(fingerprint.scan(project, kits), centres, True) != fifth


def test_repo_url_setting_rebuilds_every_centre(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPO_URL", "https://example.org/autre-depot")
    result = run_build(work / "kits", work / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(f"✓ {c}" in result.stdout for c in CENTRES)
    assert "example.org/autre-depot" in (work / "site" / "associations" / "index.html").read_text(encoding="utf-8")


def _load_build_script():
    return importlib.import_module("kitcli.build")


def test_failed_build_keeps_site_and_state_consistent(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    site, kits = work / "site", work / "kits"
    state_before = (site / fingerprint.STATE_FILE).read_bytes()
    before = identities(site)
    for kit in ("kit-a", "kit-c"):  # kit-a: associations and entreprises; kit-c: territoires
        with open(kits / kit / "illustrations.md", "a", encoding="utf-8") as handle:
            handle.write(f"\nTexte nouveau de {kit}.\n")
    build = _load_build_script()
    real = engine.render

    def failing(jobs, parallel):
        for r in real(jobs, parallel):
            yield engines.CentreBuild(r.id, False, 0.0, 0, "échec simulé") if r.id == "territoires" else r

    monkeypatch.setattr(engine, "render", failing)
    assert build.main(["--kits", str(kits), "--site", str(site), "--sans-documents"]) == 1
    assert "le site existant n'a pas été modifié" in capsys.readouterr().err
    # Nothing of the failed build was recorded: old site, old state, no staging left behind.
    assert (site / fingerprint.STATE_FILE).read_bytes() == state_before
    assert identities(site) == before
    assert not list(work.glob(".site-staging-*"))
    assert json.loads(state_before)["centres"].keys() == set(CENTRES)
    # The next build sees both edits, though the failed one had already built associations and entreprises.
    monkeypatch.undo()
    result = run_build(kits, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(f"✓ {c}" in result.stdout for c in CENTRES)
    assert "Texte nouveau de kit-c" in (site / "territoires" / "kits" / "kit-c" / "illustrations.html").read_text(
        encoding="utf-8")
    assert "Texte nouveau de kit-a" in (site / "associations" / "kits" / "kit-a" / "illustrations.html").read_text(
        encoding="utf-8")


def test_invalid_kit_then_restored_reuses_everything(work: Path) -> None:
    site, kit_file = work / "site", work / "kits" / "kit-b" / "kit.yml"
    original = kit_file.read_text(encoding="utf-8")
    kit_file.write_text(original.replace("publics:", "publics_:"), encoding="utf-8")
    failed = run_build(work / "kits", site)
    assert failed.returncode == 1
    assert "Rien n'a changé" not in failed.stdout
    kit_file.write_text(original, encoding="utf-8")  # same content, new mtime
    result = run_build(work / "kits", site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(f"= {c}" in result.stdout for c in CENTRES)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
