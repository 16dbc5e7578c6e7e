"""The project is a real package: modules are imported by name, never by editing the import path."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tomllib

from conftest import ROOT

# Built from pieces so that this file does not match its own search.
FORBIDDEN = re.compile(r"\bsys\." + r"path\b|PYTHON" + r"PATH")


def test_no_code_edits_the_import_path() -> None:
    found = [f"{path.relative_to(ROOT)}:{number}"
             for folder in ("hooks", "scripts", "tests")
             for path in sorted((ROOT / folder).rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if FORBIDDEN.search(line)]
    assert found == []


def test_packages_import_from_any_directory(tmp_path) -> None:
    # From a folder outside the repository nothing of the checkout is on the path: only the installed package.
    code = "import kitcore.checks, kitcli.build, preview.worker; print(kitcore.checks.__name__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "kitcore.checks"


def test_makefile_runs_the_programs_as_modules() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts = project["project"]["scripts"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in scripts.values():
        module = target.split(":")[0]
        assert (ROOT / "scripts" / f"{module.split('.')[1]}.py").is_file()
        assert f"-m {module} " in makefile or f"-m {module}\n" in makefile
    assert "scripts/" not in re.sub(r"#.*", "", makefile)


def test_make_keeps_compiled_bytecode_outside_the_source_tree() -> None:
    # `make check` twice: the second run reads the project's modules compiled by the first (from .cache/pycache),
    # and neither writes a __pycache__ folder into hooks/ or scripts/, which are inputs of a build.
    env = dict(os.environ, MAKEFLAGS="")
    env.pop("PYTHONPYCACHEPREFIX", None)
    cached = ROOT / ".cache" / "pycache" / str(ROOT / "hooks" / "kitcore").lstrip("/")
    compiled = cached / f"checks.{sys.implementation.cache_tag}.pyc"
    compiled.unlink(missing_ok=True)
    start = time.time() - 1
    for _ in range(2):
        done = subprocess.run(["make", "--no-print-directory", "check", f"KITS={ROOT / 'tests' / 'fixtures' / 'corpus'}"],
                              cwd=ROOT, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    written = [p for folder in ("hooks", "scripts") for p in (ROOT / folder).rglob("*.pyc") if p.stat().st_mtime >= start]
    assert written == []
    assert compiled.is_file()
