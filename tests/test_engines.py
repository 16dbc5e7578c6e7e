"""The engine table and the MkDocs engine's forked renderers: what a failing renderer reports to the build."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from kitcore import checks, engines, pages
from kitcore.engines.mkdocs import engine


def _job(tmp_path: Path, centre: str = "associations") -> engines.CentreJob:
    kits = FIXTURES / "corpus"
    corpus, report = checks.check_kits(kits)
    assert not report.errors
    return engines.CentreJob(corpus, pages.build_centre(corpus, centre, False), kits, tmp_path / centre, False)


def _project(tmp_path: Path, hook: str) -> Path:
    """A scratch MkDocs project whose only hook is `hook` (its source)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Accueil\n", encoding="utf-8")
    (tmp_path / "crochet.py").write_text(hook, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Essai\ndocs_dir: {tmp_path / 'docs'}\nhooks:\n  - {tmp_path / 'crochet.py'}\n",
                      encoding="utf-8")
    return config


def test_engine_table_names_importable_modules_and_the_build_offers_them() -> None:
    assert engines.DEFAULT in engines.ENGINES
    for name in engines.ENGINES:
        assert callable(engines.engine(name).render)
    with pytest.raises(KeyError):
        engines.engine("absent")
    usage = subprocess.run([sys.executable, "-m", "kitcli.build", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert all(name in usage.stdout for name in engines.ENGINES)
    refused = subprocess.run([sys.executable, "-m", "kitcli.build", "--moteur", "absent"], capture_output=True,
                             text=True, cwd=ROOT)
    assert refused.returncode == 2 and "absent" in refused.stderr


def test_a_warning_fails_the_centre_in_strict_mode_and_reaches_the_build(tmp_path: Path) -> None:
    config = _project(tmp_path, "import logging\n"
                                "def on_config(config):\n"
                                "    logging.getLogger('mkdocs.hooks.essai').warning('avertissement d essai')\n"
                                "    return config\n")
    [result] = list(engine.render([_job(tmp_path)], 1, config=config))
    assert not result.ok and result.pages == 0
    assert "avertissement d essai" in result.output and "strict" in result.output


def test_a_bug_in_the_hook_is_reported_with_its_traceback(tmp_path: Path) -> None:
    config = _project(tmp_path, "def on_files(files, config):\n    return config.absent_partout\n")
    [result] = list(engine.render([_job(tmp_path)], 1, config=config))
    assert not result.ok and "absent_partout" in result.output and "crochet.py" in result.output


def test_a_renderer_that_dies_is_a_failed_centre_not_a_hung_build(tmp_path: Path) -> None:
    config = _project(tmp_path, "import os, signal\n"
                                "def on_config(config):\n"
                                "    os.kill(os.getpid(), signal.SIGKILL)\n")
    jobs = [_job(tmp_path, c) for c in ("associations", "territoires")]
    results = {r.id: r for r in engine.render(jobs, 2, config=config)}
    assert set(results) == {"associations", "territoires"}
    assert all(not r.ok and "sans donner de résultat" in r.output for r in results.values())


def test_the_hook_renders_the_centre_it_is_given(tmp_path: Path) -> None:
    """The real mkdocs.yml with a centre handed over: its pages are those of the model, from the fixture kits."""
    job = _job(tmp_path, "territoires")
    [result] = list(engine.render([job], 1))
    assert result.ok, result.output
    built = {p.relative_to(job.out).as_posix() for p in job.out.rglob("*.html")}
    assert {page.path[:-3] + ".html" for page in job.centre.pages} <= built
    assert job.centre.audience.titre_centre in (job.out / "index.html").read_text(encoding="utf-8")
