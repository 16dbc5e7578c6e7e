"""Benchmark of the exports (each kit's PDF and EPUB, each centre's EPUB and ZIM): what they add to a build.

For the real kits and a synthetic corpus: a full build without documents (`--sans-documents`) and with them, side
by side in one run; then one kit's part edited and the site built again (its PDF remade, the others reused); the
sizes of what the exports write. The table goes between its own marks of BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from kitcli import bench, corpus as synthetic
from kitcore import parts
from kitcore.wording import human_size

MARKS = ("<!-- bench-exports:debut -->", "<!-- bench-exports:fin -->")
SYNTHETIC = 100  # kits of the synthetic corpus: ≈ 1 s of WeasyPrint per kit, so a few minutes
_STEP = re.compile(r"(documents|EPUB des centres|ZIM) ([\d.]+) s")
_PDFS = re.compile(r"PDF : (\d+) refaits?, (\d+) repris")


def _build(kits: Path, site: Path, jobs: int, *extra: str) -> bench.Run:
    cmd = [sys.executable, str(ROOT / "scripts" / "build.py"), "--kits", str(kits), "--site", str(site),
           "--jobs", str(jobs), *extra]
    run = bench.measure(cmd, dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    if not run.ok:
        raise SystemExit(run.output)
    return run


def _steps(output: str) -> dict[str, float]:
    """Wall seconds of each export step, as the build reports them (« documents 12.3 s, … ZIM 4.0 s »)."""
    line = next((line for line in output.splitlines() if "✓ exports (" in line), "")
    return {kind: float(seconds) for kind, seconds in _STEP.findall(line)}


def _sizes(site: Path) -> dict[str, int]:
    """Bytes written by the exports, by kind, and the offline zips'."""
    out = {"pdf": 0, "epub_kits": 0, "epub_centres": 0, "zim": 0, "zip": 0}
    for path in site.glob("*/kits/*/*.pdf"):
        out["pdf"] += path.stat().st_size
    for path in site.glob("*/kits/*/*.epub"):
        out["epub_kits"] += path.stat().st_size
    for suffix, key in ((".epub", "epub_centres"), (".zim", "zim"), (".zip", "zip")):
        out[key] = sum(p.stat().st_size for p in site.glob(f"*{suffix}"))
    out["pdf_files"] = len(list(site.glob("*/kits/*/*.pdf")))
    return out


def measure_corpus(name: str, kits: Path, work: Path, jobs: int) -> dict:
    """Every measure for one kits tree (copied into `work`, which the edit then changes)."""
    tree = work / f"kits-{name}"
    shutil.copytree(kits, tree)
    row: dict = {"name": name, "kits": sum(1 for p in tree.glob("*/kit.yml"))}
    print(f"Exports, {name} : sans documents…", flush=True)
    light = work / f"leger-{name}"
    row["light"] = _build(tree, light, jobs, "--tout", "--sans-documents")
    row["light_sizes"] = _sizes(light)
    shutil.rmtree(light, ignore_errors=True)
    print(f"Exports, {name} : avec documents…", flush=True)
    site = work / f"complet-{name}"
    row["full"] = _build(tree, site, jobs, "--tout")
    row["full_steps"] = _steps(row["full"].output)
    row["sizes"] = _sizes(site)
    print(f"Exports, {name} : un kit modifié…", flush=True)
    kit = sorted(p.parent for p in tree.glob("*/kit.yml"))[0]
    part = kit / parts.PARTS[2].file
    part.write_text(part.read_text(encoding="utf-8") + "\n\nUn paragraphe ajouté pour la mesure.\n", encoding="utf-8")
    row["edit"] = _build(tree, site, jobs)
    found = _PDFS.search(row["edit"].output)
    row["edit_pdfs"] = (int(found.group(1)), int(found.group(2))) if found else None
    row["edit_steps"] = _steps(row["edit"].output)
    shutil.rmtree(site, ignore_errors=True)
    return row


def table(rows: list[dict], jobs: int) -> str:
    """The results as Markdown (CPU time includes every process of the build)."""
    def both(run: bench.Run) -> str:
        return f"{run.wall:.1f} / {run.cpu:.1f}"

    def per_kit(row: dict, key: str) -> str:
        return human_size(row["sizes"][key] // max(1, row["sizes"]["pdf_files"]))

    head = "| mesure | " + " | ".join(f"{r['name']} ({r['kits']} kits)" for r in rows) + " |"
    lines = [
        f"Mesuré le {time.strftime('%Y-%m-%d')} sur {os.cpu_count()} cœurs, `--jobs {jobs}`, par "
        "`scripts/bench_exports.py` (appelé par `make bench`). s mur / s CPU (processus et sous-processus).", "",
        head, "|---|" + "---:|" * len(rows),
        "| construction complète sans documents (`--sans-documents`) | " + " | ".join(both(r["light"]) for r in rows) + " |",
        "| construction complète avec documents (`make build`) | " + " | ".join(both(r["full"]) for r in rows) + " |",
        "| **surcoût des documents, s CPU** | " + " | ".join(
            f"**{r['full'].cpu - r['light'].cpu:.1f}**" for r in rows) + " |",
        "| dont PDF et EPUB des kits, s mur | " + " | ".join(f"{r['full_steps'].get('documents', 0):.1f}" for r in rows) + " |",
        "| dont EPUB des centres, s mur | " + " | ".join(f"{r['full_steps'].get('EPUB des centres', 0):.1f}" for r in rows) + " |",
        "| dont ZIM des centres, s mur | " + " | ".join(f"{r['full_steps'].get('ZIM', 0):.1f}" for r in rows) + " |",
        "| un kit modifié, puis `make build` | " + " | ".join(both(r["edit"]) for r in rows) + " |",
        "| … PDF refaits / repris | " + " | ".join(
            f"{r['edit_pdfs'][0]} / {r['edit_pdfs'][1]}" if r["edit_pdfs"] else "—" for r in rows) + " |",
        "| PDF des kits : total (moyenne par fichier) | " + " | ".join(
            f"{human_size(r['sizes']['pdf'])} ({per_kit(r, 'pdf')})" for r in rows) + " |",
        "| EPUB des kits : total (moyenne) | " + " | ".join(
            f"{human_size(r['sizes']['epub_kits'])} ({per_kit(r, 'epub_kits')})" for r in rows) + " |",
        "| EPUB des centres, total | " + " | ".join(human_size(r["sizes"]["epub_centres"]) for r in rows) + " |",
        "| ZIM des centres, total | " + " | ".join(human_size(r["sizes"]["zim"]) for r in rows) + " |",
        "| archives zip : sans / avec documents | " + " | ".join(
            f"{human_size(r['light_sizes']['zip'])} / {human_size(r['sizes']['zip'])}" for r in rows) + " |",
    ]
    return "\n".join(lines) + "\n"


def run(work: Path, jobs: int, output: Path, synthetic_kits: int = SYNTHETIC) -> str:
    """Measure the real kits and a synthetic corpus, write the table into `output` between MARKS, return it."""
    rows = [measure_corpus("kits du dépôt", ROOT / "kits", work, jobs)]
    if synthetic_kits:
        generated = synthetic.generate(work / f"synthetiques-{synthetic_kits}", synthetic_kits)
        rows.append(measure_corpus(f"synthétique N = {synthetic_kits}", generated, work, jobs))
    text = table(rows, jobs)
    bench.write_report(text, output, MARKS)
    return text


def main(argv: list[str] | None = None) -> int:
    """Command line: bench_exports.py [--synthetiques 100] [--sortie BENCHMARKS.md]."""
    parser = argparse.ArgumentParser(description="Mesure ce que coûtent les exports (PDF, EPUB, ZIM).")
    parser.add_argument("--synthetiques", type=int, default=SYNTHETIC, help="kits du corpus synthétique (0 : aucun)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="centres construits en parallèle")
    parser.add_argument("--sortie", default=str(bench.OUTPUT), help="fichier Markdown où écrire le tableau")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    try:
        print(run(work, args.jobs, Path(args.sortie), args.synthetiques))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
