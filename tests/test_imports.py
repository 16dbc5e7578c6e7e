"""What a fresh interpreter does before its first page: the check imports no engine and no export library, a
centre rendered alone warms nothing up in the parent, and the warm-up of several compiles every template a page uses."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from conftest import FIXTURES, ROOT, render_fixture_centre, run_build

# Libraries of the engines and of the exports: a check (`make check`, the web editor's validation, CI's first job)
# needs none of them.
TOOLS = ("mkdocs", "material", "markdown", "pymdownx", "mkdocs_macros", "jinja2", "lunr", "weasyprint", "ebooklib",
         "libzim", "odf", "zensical")
PIPELINE = ("kitcore.pages", "kitcore.exports", "kitcore.search", "kitcore.archive", "kitcore.engines.mkdocs",
            "kitcore.engines.zensical")


def _modules_after(code: str, *args: str) -> dict:
    """Run `code` in a fresh interpreter; what it prints last (JSON) with the modules it ended with."""
    wrapper = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_a_check_imports_no_engine_and_no_export_library() -> None:
    modules = _modules_after(
        "import sys, runpy\nsys.argv = ['check', sys.argv[1]]\n"
        "try:\n    runpy.run_module('kitcli.check', run_name='__main__')\nexcept SystemExit as exit:\n"
        "    assert not exit.code, exit.code", str(FIXTURES / "corpus"))
    assert "kitcore.checks" in modules and "kitcore.kits" in modules  # it did check
    assert _loaded(modules, TOOLS) == []
    assert _loaded(modules, PIPELINE) == []


def test_a_rebuild_with_nothing_changed_imports_no_pipeline(tmp_path) -> None:
    # The fast path reads the previous build's state and the inputs' dates: importing the checks, the model, the
    # exports and the archives first was most of its time.
    kits = tmp_path / "kits"
    shutil.copytree(FIXTURES / "corpus", kits)
    first = run_build(kits, tmp_path / "site")
    assert first.returncode == 0, first.stdout + first.stderr
    code = ("import sys, runpy\nsys.argv = ['build', '--kits', sys.argv[1], '--site', sys.argv[2], '--sans-documents']\n"
            "try:\n    runpy.run_module('kitcli.build', run_name='__main__')\nexcept SystemExit as exit:\n"
            "    assert not exit.code, exit.code")
    wrapper = code + "\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", wrapper, str(kits), str(tmp_path / "site")], capture_output=True,
                          text=True, cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert done.returncode == 0, done.stderr
    assert "Rien n'a changé depuis la dernière construction" in done.stdout
    modules = json.loads(done.stdout.splitlines()[-1])
    assert _loaded(modules, TOOLS) == []
    assert _loaded(modules, PIPELINE + ("kitcore.checks", "kitcore.kits", "kitcore.schema")) == []


def test_one_centre_alone_is_not_warmed_up_in_the_parent(tmp_path) -> None:
    # The only renderer loads the configuration and compiles the templates it uses: warming up first did both
    # twice. The parent never even imports MkDocs (jinja2 it may: the shared template cache's class).
    modules = _modules_after(
        "import sys\nfrom pathlib import Path\nfrom kitcore import checks, engines, pages\n"
        "from kitcore.engines.mkdocs import engine\n"
        "kits = Path(sys.argv[1])\ncorpus, _ = checks.check_kits(kits)\n"
        "job = engines.CentreJob(corpus, pages.build_centre(corpus, 'associations', False), kits, Path(sys.argv[2]), False)\n"
        "[r] = engine.render([job], 1)\nassert r.ok, r.output",
        str(FIXTURES / "corpus"), str(tmp_path / "associations"))
    assert (tmp_path / "associations" / "index.html").is_file()
    assert _loaded(modules, ("mkdocs", "material", "mkdocs_macros", "markdown", "pymdownx")) == []


def test_the_warm_up_compiles_every_page_template_without_listing_the_theme(tmp_path) -> None:
    # After the warm-up, rendering a centre compiles no HTML template again (only Material's small icon
    # templates, whose names the pages compute), and the theme's folders (thousands of icons) are never listed.
    warm_listings, compiled = render_fixture_centre(
        tmp_path / "site",
        patch="import jinja2\nlisted = []\nlist_templates = jinja2.FileSystemLoader.list_templates\n"
              "def counted(self):\n    listed.append(1)\n    return list_templates(self)\n"
              "jinja2.FileSystemLoader.list_templates = counted",
        setup="engine.warm_up()\nwarm_listings = len(listed)\n"
              "compiled = []\ncompile = jinja2.Environment.compile\n"
              "def recorded(self, source, name=None, filename=None, *args, **kwargs):\n"
              "    compiled.append(name)\n    return compile(self, source, name, filename, *args, **kwargs)\n"
              "jinja2.Environment.compile = recorded",
        report="[warm_listings, compiled]")
    assert (tmp_path / "site" / "index.html").is_file()
    assert warm_listings == 0
    named = [n for n in compiled if n is not None]  # unnamed: the docs/ pages that mkdocs-macros renders as templates
    assert named and all(n.startswith(".icons/") and n.endswith(".svg") for n in named), named
