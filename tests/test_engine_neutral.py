"""The core is engine-neutral: no Material syntax and no MkDocs name outside the engine adapters (issue #13, item 5).

The core (hooks/kitcore/ except engines/, and the scripts that do not launch or measure an engine) emits typed
pages; `kitcore.engines.<engine>` writes them in its dialect. This test reads the core's code — names and string
literals, not comments or docstrings, which may say why a design avoids an engine — and looks for the syntax only
Material, MkDocs or mkdocs-macros understand, and for MkDocs' own names.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from conftest import ROOT

KITCORE = ROOT / "hooks" / "kitcore"
SCRIPTS = ROOT / "scripts"
# The benchmarks (scripts/bench*.py) measure the engines, against plain MkDocs + Material or each other: their job
# is to launch them.
ENGINE_SCRIPTS = "bench"

# What only Material for MkDocs (and its Markdown extensions as MkDocs configures them) or mkdocs-macros read.
MATERIAL = {
    "grid cards": re.compile(r"grid cards"),
    "icon shortcode": re.compile(r":(?:material|octicons|fontawesome|simple)-[a-z]"),
    "download attribute": re.compile(r"\{:?\s+download\s*\}"),
    "admonition": re.compile(r"(?:!!!|\?\?\?\+?) "),
    "macros switch": re.compile(r"render_macros"),
    "theme class": re.compile(r"(?<![\w-])md-|data-md-|mermaid"),
}
# MkDocs' own names (its package, its configuration class, its API).
MKDOCS = {
    "MkDocs name": re.compile(r"mkdocs|MkDocsConfig|File\.generated|_populate_page|_current_page|get_navigation", re.I),
}
# Each exception says why that text is not the engine's: it is what contributors write, or a file of the project.
ALLOWED = {
    ("cms.py", "admonition"): "the web editor's help lists the syntax contributors may write in a part (input)",
    ("inputs.py", "MkDocs name"): "mkdocs.yml sits at the repository's root by design: a declared input of a build",
    ("kits.py", "MkDocs name"): "the contributors' documentation of `couleur` says whose palette the names come from",
}


def _core_files() -> list[Path]:
    files = [p for p in sorted(KITCORE.rglob("*.py")) if "engines" not in p.relative_to(KITCORE).parts]
    files += [p for p in sorted(SCRIPTS.glob("*.py")) if not p.name.startswith(ENGINE_SCRIPTS)]
    return files


def _docstring_lines(source: str) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return lines


def code_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every name and string literal of a module, docstrings and comments left out."""
    source = path.read_text(encoding="utf-8")
    skipped = _docstring_lines(source)
    kinds = {tokenize.NAME, tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
    return [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type in kinds and t.start[0] not in skipped]


def scan(path: Path) -> list[tuple[int, str, str]]:
    """(line, what, text) of every Material syntax or MkDocs name in the code of the module at `path`."""
    return [(line, what, text) for line, text in code_texts(path)
            for what, pattern in {**MATERIAL, **MKDOCS}.items() if pattern.search(text)]


def test_the_core_writes_no_material_syntax_and_names_no_mkdocs() -> None:
    files = _core_files()
    assert len(files) > 40 and any(p.name == "pages.py" for p in files) and any(p.name == "build.py" for p in files)
    found = [f"{path.relative_to(ROOT)}:{line}: {what} ({text[:80]})" for path in files
             for line, what, text in scan(path) if (path.name, what) not in ALLOWED]
    assert found == []


def test_every_exception_is_still_needed() -> None:
    # An exception nobody needs any more would hide the next real finding in that file.
    found = {(path.name, what) for path in _core_files() for _, what, _ in scan(path)}
    assert set(ALLOWED) <= found


@pytest.mark.parametrize("snippet, what", [
    ('x = \'<div class="grid cards" markdown>\'', "grid cards"),
    ('x = ":material-download: [a](b)"', "icon shortcode"),
    ('x = f"[{t}]({p}){{ download }}"', "download attribute"),
    ("x = '!!! warning \"Brouillon\"'", "admonition"),
    ('meta = {"render_macros": False}', "macros switch"),
    ("x = '<a class=\"md-button\">'", "theme class"),
    ("from mkdocs.structure.files import File", "MkDocs name"),
    ("def f(config: MkDocsConfig): return File.generated(config, 'a')", "MkDocs name"),
])
def test_the_scan_sees_each_kind_of_engine_text(tmp_path: Path, snippet: str, what: str) -> None:
    module = tmp_path / "module.py"
    module.write_text(f'"""A docstring may say MkDocs and !!! note."""\n# so may a comment: {{ download }}\n{snippet}\n',
                      encoding="utf-8")
    found = scan(module)
    assert found and {w for _, w, _ in found} == {what}, found
    assert {line for line, _, _ in found} == {3}  # the docstring and the comment are not code
