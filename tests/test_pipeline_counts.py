"""Load and check once, render N times: calls counted through a full build (forked renderers included) and the preview."""
from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, render_fixture_centre

from kitcore import checks, kits, pages

COUNTED = {"check_kits": checks.check_kits, "load_corpus": kits.load_corpus, "build_centre": pages.build_centre}


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Counters that survive fork: each call appends a line to a file; every module's reference is replaced."""
    log = tmp_path / "appels.txt"
    log.touch()

    def counting(name, real):
        def counted(*args, **kwargs):
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"{name} {os.getpid()}\n")
            return real(*args, **kwargs)
        return counted

    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith(("kitcore", "kitcli", "preview")):
            continue
        for name, real in COUNTED.items():
            if getattr(module, name, None) is real:
                monkeypatch.setattr(module, name, counting(name, real))

    def read() -> tuple[Counter, set[str]]:
        lines = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
        return Counter(name for name, _ in lines), {pid for _, pid in lines}
    return read


@pytest.mark.slow
def test_full_build_checks_and_loads_once(tmp_path: Path, calls) -> None:
    from kitcli import build

    site = tmp_path / "site"
    assert build.main(["--kits", str(ROOT / "kits"), "--site", str(site), "--tout"]) == 0
    counts, pids = calls()
    centres = [a.id for a in kits.load_corpus(ROOT / "kits", checks.Report()).audiences]
    assert len(centres) == 5
    assert counts == Counter(check_kits=1, load_corpus=1, build_centre=5)
    assert pids == {str(os.getpid())}  # the forked renderers received their centre: none of them counted a call
    for centre in centres:  # and they did render it
        assert (site / centre / "kits").is_dir() and (site / centre / "recherche" / "index.js").is_file()


def test_preview_checks_once_per_version(tmp_path: Path, calls) -> None:
    from preview.worker import Renderer, Terminal

    source = shutil.copytree(FIXTURES / "corpus", tmp_path / "kits")
    renderer = Renderer(ROOT / "mkdocs.yml", source, None, Terminal())
    for path in ("index.html", "recherche/index.js", "associations/index.html", "associations/a-propos.html",
                 "entreprises/index.html", "associations/index.html"):
        assert renderer.handle("v1", path).status == 200, path
    counts, _ = calls()
    assert counts["check_kits"] == 1 and counts["load_corpus"] == 1
    first = counts["build_centre"]
    renderer.handle("v1", "entreprises/kits/index.html")
    assert calls()[0]["check_kits"] == 1
    assert renderer.handle("v2", "associations/index.html").status == 200
    counts, _ = calls()
    assert counts["check_kits"] == 2 and counts["load_corpus"] == 2 and counts["build_centre"] > first


def test_a_centre_converts_its_pages_with_one_markdown_instance(tmp_path: Path) -> None:
    # MkDocs builds a Markdown instance per page (every extension registered again); the hook's converter
    # (kitcore/engines/mkdocs/converter.py) builds one per build and resets it between pages.
    made, converted = render_fixture_centre(
        tmp_path / "site",
        patch="import markdown\nmade = []\ninit = markdown.Markdown.__init__\n"
              "def counted(self, *args, **kwargs):\n    made.append(1)\n    init(self, *args, **kwargs)\n"
              "markdown.Markdown.__init__ = counted",
        before_build="made.clear()  # loading the configuration builds one to check the extensions",
        report="[len(made), converter.converter(loaded).pages]")
    built = [p for p in (tmp_path / "site").rglob("*.html") if p.name != "404.html"]
    assert converted == len(built) > 10
    assert made == 1


def test_the_converter_follows_the_pinned_mkdocs_render() -> None:
    # converter.py copies MkDocs 1.6.1's Page.render with its private processors; a MkDocs whose render differs
    # falls back to MkDocs' own (FOLLOWS_MKDOCS false). Upgrading MkDocs fails here: compare the new render and
    # update the copy and its SHA-256.
    from kitcore.engines.mkdocs import converter

    assert converter.FOLLOWS_MKDOCS
