"""The project is a real package: modules are imported by name, never by editing the import path."""
from __future__ import annotations

import re
import subprocess
import sys
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
