"""Scans of contributed text do work proportional to its length: bounded patterns, counted scans, no clock.

Two facts hold the claim « no check can be made to run for minutes by a crafted file »:
- every pattern run on contributed text has a bounded widest match (the standard library's own parser says so),
  so one attempt at one position costs at most a constant;
- on pathological inputs of growing size, the characters handed to the patterns grow linearly: no rescans of the
  whole text per match (which is how `text.count` per link or a template `sub` per match made scans quadratic).
"""
from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from conftest import ROOT
from kitcore import attachments, checks, figures, markup, references, search, spans, typography
from kitcore.kits import Figure

KITCORE = ROOT / "hooks" / "kitcore"
# Patterns that never see contributed text, or whose only unbounded part cannot backtrack; each with its reason.
TRUSTED_PATTERNS = {
    ("formatdoc", "BLOCK"): "runs on docs/ pages written by maintainers",
    ("french", "_SPLIT"): "one character class, repeated: a single pass, no backtracking",
    ("french", "_COMBINING"): "one character class",
    ("kits", "[^a-z0-9]+"): "one character class, repeated: a single pass, no backtracking",
    ("schema", "ID_PATTERN"): "anchored, alternating classes that cannot overlap: one pass over an identifier",
    ("scaffold", "[,;]"): "one character",
    ("attachments", "SEGMENT"): "anchored, one class repeated, on one file name",
    ("sources", "_CONTROL"): "one character class",
    ("sources", "^ *\\t"): "anchored, one character class, on one line",
    ("diagnostic", "\\s+"): "one character class, repeated: a single pass, no backtracking",
    ("printing", "_DOWNLOAD"): "runs on HTML the build generated, after the sanitiser",
    ("printing", "_HREF"): "runs on HTML the build generated, after the sanitiser",
    ("printing", "^[a-z][a-z0-9+.-]*:"): "anchored, on one generated address",
    ("spreadsheet", "_NUMBER"): "anchored, on one CSV cell: digits and separators that cannot overlap",
    ("spreadsheet", "_PERCENT"): "anchored, on one CSV cell: each extension tries a two-character ending",
    ("spans", "_BACKTICKS"): "one character, repeated: the tokenizer's single pass over backtick runs",
    ("spans", "_BLANK_LINE"): "a line break, one class repeated, a line break: each character is tried once",
}
# Modules that never read a kit: the web editor's setup reads the project's configuration and vendored files.
TRUSTED_MODULES = {"cms": "reads mkdocs.yml, the schema and the vendored editor's files, never a kit"}
_CALLS = {"compile", "sub", "subn", "match", "fullmatch", "search", "findall", "finditer", "split", "bounded"}


def _patterns_in_sources() -> list[tuple[str, str, str]]:
    """(module, name or literal, pattern) of every pattern compiled or used in kitcore, found in its source."""
    found: dict[tuple[str, str], str] = {}  # (module, pattern) → its name, or the pattern itself when inline
    for path in sorted(KITCORE.glob("*.py")):
        module = importlib.import_module(f"kitcore.{path.stem}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = getattr(module, node.targets[0].id, None)
                if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                    found[(path.stem, value.pattern)] = node.targets[0].id
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _CALLS
                  and isinstance(node.func.value, ast.Name) and node.func.value.id in ("re", "spans") and node.args
                  and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault((path.stem, node.args[0].value), node.args[0].value)
    return [(module, name, pattern) for (module, pattern), name in sorted(found.items())]


def test_patterns_are_found_in_every_module() -> None:
    modules = {m for m, _, _ in _patterns_in_sources()}
    assert {"references", "figures", "typography", "search", "checks", "markup", "attachments", "sources"} <= modules


@pytest.mark.parametrize("module, name, pattern", _patterns_in_sources(), ids=lambda v: str(v)[:40])
def test_every_pattern_on_contributed_text_is_bounded(module: str, name: str, pattern: str) -> None:
    if (module, name) in TRUSTED_PATTERNS or module in TRUSTED_MODULES:
        return
    assert spans.widest(pattern) <= 64 * spans.MAX_SPAN, f"{module}.{name} peut croître avec le texte : {pattern}"


def test_an_unbounded_pattern_is_refused_at_import() -> None:
    with pytest.raises(ValueError):
        spans.bounded(r"<a\b[^>]*>")
    assert spans.widest(r"<a\b[^>]{0,10}>") == 13


class _Meter:
    """Stands for a compiled pattern and adds up what is handed to it: scans, and characters scanned."""

    def __init__(self, pattern: re.Pattern[str], totals: dict[str, int]) -> None:
        self._pattern = pattern
        self._totals = totals

    def _count(self, string: str, pos: int = 0, endpos: int | None = None, anchored: bool = False) -> None:
        end = len(string) if endpos is None else min(endpos, len(string))
        reach = max(end - pos, 0)
        # A match at one position reads at most the pattern's widest match; a search reads the whole range.
        if anchored:
            self._totals["matches"] += 1
            self._totals["matched"] += min(reach, spans.widest(self._pattern))
        else:
            self._totals["scans"] += 1
            self._totals["chars"] += reach

    def __getattr__(self, name: str):
        method = getattr(self._pattern, name)
        if name in ("finditer", "findall", "search", "match", "fullmatch", "split"):
            def counted(string, *args, **kwargs):
                self._count(string, *[a for a in args[:2] if isinstance(a, int)], anchored=name.endswith("match"))
                return method(string, *args, **kwargs)
            return counted
        if name in ("sub", "subn"):
            def counted_sub(repl, string, *args, **kwargs):
                self._count(string)
                return method(repl, string, *args, **kwargs)
            return counted_sub
        return method


def _metered(monkeypatch: pytest.MonkeyPatch, modules) -> dict[str, int]:
    totals = {"scans": 0, "chars": 0, "matches": 0, "matched": 0}
    for module in modules:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, name, _Meter(value, totals))
    return totals


FIGURES = {"x": Figure(id="x", valeur="1", libelle="un", source="source", annee="2017", nature="observation")}
# (name, function of the text, pathological unit repeated): each once took time quadratic in the repetitions.
SCANS = [
    ("liens, balise ouverte", lambda t: references._scan_references.__wrapped__(t), "<a "),
    ("liens, destination ouverte", lambda t: references._scan_references.__wrapped__(t), "[x](<"),
    ("liens, crochets ouverts", lambda t: references._scan_references.__wrapped__(t), "[a"),
    ("liens, code non fermé", lambda t: references._scan_references.__wrapped__(t), "``a`"),
    ("liens, définitions", lambda t: references._scan_references.__wrapped__(t), "[x]: a\n> ![y][x] "),
    ("html retiré", lambda t: references.find_stripped_html(t, set(), markup.Sanitiser()), '<a x="'),
    ("html caché, balise ouverte", lambda t: references.find_copy_markup(t), "<span hidden "),
    ("html caché, accolades", lambda t: references.find_copy_markup(t), "{ hidden {: .seulement-en-ligne "),
    ("html caché, entités", lambda t: references.find_copy_markup(t), "&#45;&amp;hidden{<"),
    ("chiffres, gabarit ouvert", lambda t: figures.expand_figures(t, FIGURES), "{{ {% "),
    ("chiffres, appels", lambda t: figures.expand_figures(t, FIGURES), "{{ chiffre('x') }} {{ y }}\n"),
    ("typographie, liens", lambda t: typography.french_spacing.__wrapped__(t), "](x"),
    ("typographie, code", lambda t: typography.french_spacing.__wrapped__(t), "``a` : "),
    ("recherche, balises", lambda t: search.plain_text(t), "<[{{ "),
    ("recherche, titres", lambda t: search.plain_text(t), "#   a   \n"),
    ("ouvertures non fermées", lambda t: spans.unclosed_openings(t), "<a [x ](y\n"),
    ("svg, url", lambda t: attachments.svg_problem(
        f'<svg xmlns="http://www.w3.org/2000/svg"><path fill="{t}"/></svg>'.encode()), "url(url("),
]


@pytest.mark.parametrize("name, scan, unit", SCANS, ids=[s[0] for s in SCANS])
def test_scan_work_grows_linearly(monkeypatch: pytest.MonkeyPatch, name: str, scan, unit: str) -> None:
    totals = _metered(monkeypatch, [references, figures, typography, search, spans, checks, attachments])
    work = []
    for repeat in (1_000, 4_000, 16_000):
        totals.update(scans=0, chars=0, matches=0, matched=0)
        text = unit * repeat
        scan(text)
        work.append(dict(totals))
        # Each character is handed to a bounded number of whole-text scans, whatever the input.
        assert totals["chars"] <= 40 * len(text), (name, repeat, totals)
    # Four times the text, about four times the work (a little more while matches near the end are cut short by
    # the end of the text): a quadratic scan would give sixteen.
    for smaller, larger in zip(work, work[1:]):
        for measure in ("chars", "scans", "matched", "matches"):
            assert larger[measure] <= 5 * max(smaller[measure], 1), (name, measure, work)


def test_line_numbers_need_no_rescan() -> None:
    text = "a\n" * 10 + "b"
    index = spans.LineIndex(text)
    assert [index.line(i) for i in (0, 1, 2, 19, 20)] == [1, 1, 2, 10, 11]


def test_code_spans_pair_like_markdown() -> None:
    text = "`a` ``b`c`` \\`[x](y)\\` ``open\n\n`` `d`"
    pairs = [text[s:e] for s, e in spans.code_spans(text)]
    assert pairs == ["`a`", "``b`c``", "`d`"]
    assert inspect.isfunction(spans.code_spans)
