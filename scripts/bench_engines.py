"""The two engines side by side: one centre of a synthetic corpus built with MkDocs and with Zensical, in one run.

Each build is the whole `kitcli.build --centre associations --tout` (check, model, engine, search index, exports,
zip), so the difference between the two rows is the engine's. CPU time counts every child process.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from kitcli import corpus as synthetic
from kitcli.bench import CENTRE, html_stats, measure
from kitcore import engines


def bench(n: int, work: Path) -> list[dict]:
    """One row per engine for a corpus of `n` kits."""
    kits = synthetic.generate(work / f"kits-{n}", n)
    rows = []
    for name in sorted(engines.ENGINES):
        site = work / f"site-{n}-{name}"
        run = measure([sys.executable, "-m", "kitcli.build", "--kits", str(kits), "--site", str(site),
                       "--centre", CENTRE, "--moteur", name, "--tout", "--jobs", "1"])
        if not run.ok:
            raise SystemExit(f"La construction avec {name} a échoué :\n{run.output}")
        pages, html, _ = html_stats(site / CENTRE)
        rows.append({"n": n, "moteur": name, "wall": run.wall, "cpu": run.cpu, "mo": run.peak_mb, "pages": pages,
                     "octets": html // max(pages, 1)})
    return rows


def table(rows: list[dict]) -> str:
    """The measures as a Markdown table, CPU time per page and relative to MkDocs for the same corpus."""
    mkdocs = {r["n"]: r["cpu"] for r in rows if r["moteur"] == "mkdocs"}
    lines = ["| kits | moteur | pages du centre | durée | CPU | CPU / page | CPU / MkDocs | mémoire max | octets / page |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['n']} | {r['moteur']} | {r['pages']} | {r['wall']:.1f} s | {r['cpu']:.1f} s | "
                     f"{1000 * r['cpu'] / r['pages']:.1f} ms | {r['cpu'] / mkdocs[r['n']]:.2f} | {r['mo']:.0f} Mo | "
                     f"{r['octets']:,} |".replace(",", "\u202f"))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: bench_engines.py [--kits 100 400]; prints the table (copied into BENCHMARKS.md by hand)."""
    parser = argparse.ArgumentParser(description="Compare les deux moteurs sur un centre d'un corpus synthétique.")
    parser.add_argument("--kits", type=int, nargs="+", default=[100, 400], help="tailles de corpus")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-moteurs-"))
    try:
        rows = [row for n in args.kits for row in bench(n, work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(table(rows), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
