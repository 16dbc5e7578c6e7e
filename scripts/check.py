"""Validate a kits tree and print every problem in French (text, JSON, GitHub annotations or a Markdown report)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from kitcore import checks, problems


def main(argv: list[str] | None = None) -> int:
    """Run the checks; exit 1 when there is at least one error (or a warning, with --strict)."""
    parser = argparse.ArgumentParser(description="Vérifie les kits et signale tous les problèmes à la fois.")
    parser.add_argument("kits", nargs="?", default=str(ROOT / "kits"), help="dossier des kits (par défaut : kits)")
    parser.add_argument("--format", choices=("texte", "json", "github", "markdown"), default="texte",
                        help="format de sortie ; « github » écrit aussi le rapport complet dans $GITHUB_STEP_SUMMARY")
    parser.add_argument("--strict", action="store_true", help="les avertissements font aussi échouer la vérification")
    args = parser.parse_args(argv)
    _, report = checks.check_kits(Path(args.kits))
    found = report.sorted()
    if args.format == "json":
        print(problems.render_json(found))
    elif args.format == "github":
        if found:
            print(problems.render_github(found))
        print(problems.summary(len(report.errors), len(report.warnings)))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            # The job summary lists every problem: GitHub keeps only the first annotations of a step.
            with open(summary_file, "a", encoding="utf-8") as out:
                out.write(problems.render_markdown(found, args.strict))
    elif args.format == "markdown":
        print(problems.render_markdown(found, args.strict), end="")
    else:
        print(problems.render_text(found))
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
