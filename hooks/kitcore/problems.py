"""Problems found in a kits tree, and their text, JSON, GitHub Actions and Markdown (job summary) renderings."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

ERROR = "erreur"
WARNING = "avertissement"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, said in French with how to fix it."""

    file: str
    line: int | None
    message: str
    severity: str = ERROR

    @property
    def where(self) -> str:
        """`file, ligne N`, or the file alone when the line is unknown."""
        return self.file if self.line is None else f"{self.file}, ligne {self.line}"

    @property
    def prefix(self) -> str:
        """What precedes the message: nothing for an error, « Avertissement — » for a warning."""
        return "" if self.severity == ERROR else "Avertissement — "

    def text(self) -> str:
        """Render as `file, ligne N : message` (the line is left out when unknown)."""
        return f"{self.where} : {self.prefix}{self.message}"


@dataclass
class Report:
    """Collects every problem first, so that a contributor sees them all at once."""

    base: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path | str, message: str, line: int | None = None, severity: str = ERROR) -> None:
        """Record a problem about `path`, shown relative to the report's base folder."""
        self.problems.append(Problem(self.display(path), line, message, severity))

    def warn(self, path: Path | str, message: str, line: int | None = None) -> None:
        """Record a warning: shown, but it does not fail a check."""
        self.add(path, message, line, WARNING)

    def display(self, path: Path | str) -> str:
        """Path as a contributor knows it: relative to the folder above the kits tree."""
        p = Path(path)
        if self.base is not None:
            try:
                return p.relative_to(self.base).as_posix()
            except ValueError:
                pass
        return p.as_posix()

    @property
    def errors(self) -> list[Problem]:
        """Problems that fail the check."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems shown as warnings only."""
        return [p for p in self.problems if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        """Problems in a stable order: by file, then line."""
        return sorted(set(self.problems), key=lambda p: (p.file, p.line or 0, p.message))


def render_text(problems: list[Problem]) -> str:
    """One line per problem, then a French summary line."""
    lines = [p.text() for p in problems]
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    lines.append(summary(errors, warnings))
    return "\n".join(lines)


def summary(errors: int, warnings: int) -> str:
    """French summary such as `2 erreurs, 1 avertissement`."""
    if not errors and not warnings:
        return "Tous les kits sont valides."
    parts = []
    if errors:
        parts.append(f"{errors} erreur" + ("s" if errors > 1 else ""))
    if warnings:
        parts.append(f"{warnings} avertissement" + ("s" if warnings > 1 else ""))
    return ", ".join(parts) + "."


def render_json(problems: list[Problem]) -> str:
    """Machine-readable list of problems."""
    return json.dumps(
        {
            "erreurs": sum(1 for p in problems if p.severity == ERROR),
            "avertissements": sum(1 for p in problems if p.severity == WARNING),
            "problemes": [asdict(p) for p in problems],
        },
        ensure_ascii=False,
        indent=2,
    )


def _escape_property(value: str) -> str:
    # GitHub's workflow-command escaping for property values.
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def render_github(problems: list[Problem]) -> str:
    """GitHub Actions annotations (`::error file=…,line=…::message`) for problems with a line; plain lines for the others.

    GitHub shows only the first annotations of a step, and one without a line never appears in « Files changed »:
    problems without a line are printed as text, and every problem goes to the job summary (render_markdown).
    """
    out = []
    for p in problems:
        if p.line is None:
            out.append(p.text())
            continue
        kind = "error" if p.severity == ERROR else "warning"
        props = f"file={_escape_property(p.file)}"
        if p.line is not None:
            props += f",line={p.line}"
        out.append(f"::{kind} {props}::{_escape_data(p.message)}")
    return "\n".join(out)


def _cell(value: str) -> str:
    # A Markdown table cell: pipes escaped, line breaks kept visible.
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def render_markdown(problems: list[Problem], strict: bool = False, title: str = "Vérification des kits") -> str:
    """A Markdown report of every problem (a GitHub job summary): a summary line, then one table row per problem."""
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    lines = [f"## {title}", "", summary(errors, warnings)]
    if strict and warnings:
        lines += ["", "Les avertissements bloquent aussi la fusion : remplacez chaque « À COMPLÉTER » et corrigez "
                      "chaque avertissement ci-dessous."]
    if problems:
        lines += ["", "| | fichier | ligne | problème |", "|---|---|---|---|"]
        for p in problems:
            kind = "❌ erreur" if p.severity == ERROR else "⚠️ avertissement"
            line = "" if p.line is None else str(p.line)
            lines.append(f"| {kind} | `{_cell(p.file)}` | {line} | {_cell(p.message)} |")
    return "\n".join(lines) + "\n"
