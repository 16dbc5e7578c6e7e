"""Benchmark of the build on synthetic corpora (N kits over the five audiences), against plain MkDocs + Material.

For each N: validation time per kit; build time, CPU time and peak memory of one centre and of all centres;
bytes per page; a rebuild with nothing changed; the same pages of one centre built by plain MkDocs + Material
(default navigation, no hook, no navigation.prune) in the same run, as a ratio. The table is printed and written
between the marks of BENCHMARKS.md, whose other text (the analysis) is kept.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
import yaml

from kitcli import corpus as synthetic
from kitcore import checks, pages
from kitcore.engines.mkdocs import dialect, engine

OUTPUT = ROOT / "BENCHMARKS.md"
MARK_START = "<!-- bench:debut -->"
MARK_END = "<!-- bench:fin -->"
CENTRE = "associations"


@dataclass
class Run:
    """One measured process tree: wall and CPU seconds, peak resident memory of the whole tree, output."""

    ok: bool
    wall: float
    cpu: float
    peak_mb: float
    output: str


def _tree_rss(root_pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            pid = int(entry)
            children.setdefault(int(fields[1]), []).append(pid)
            rss[pid] = int(fields[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> Run:
    """Run `cmd`, sampling the memory of its process tree; CPU time includes every waited-for descendant."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, text=True)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_rss(proc.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    return Run(proc.returncode == 0, wall, usage.ru_utime + usage.ru_stime, peak[0] / 2**20, text)


def validation(kits: Path) -> tuple[float, float]:
    """(wall, CPU) milliseconds per kit of `check_kits`, in a fresh interpreter (no warm cache)."""
    code = (
        "import sys, time, json; from pathlib import Path; "
        "from kitcore import checks; w = time.perf_counter(); c = time.process_time(); "
        "corpus, report = checks.check_kits(Path(sys.argv[1])); "
        "print(json.dumps([time.perf_counter() - w, time.process_time() - c, len(corpus.kits), len(report.errors)]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(kits)], capture_output=True,
                         text=True, check=True).stdout
    wall, cpu, n, errors = json.loads(out)
    if errors:
        raise SystemExit(f"Le corpus synthétique est invalide ({errors} erreurs).")
    return wall * 1000 / n, cpu * 1000 / n


def plain_project(kits: Path, work: Path) -> Path:
    """The pages of one centre as a plain MkDocs + Material project: default navigation, default plugins, no hook."""
    corpus, _ = checks.check_kits(kits)
    centre = pages.build_centre(corpus, CENTRE)
    docs = work / "docs"
    if work.exists():
        shutil.rmtree(work)
    docs.mkdir(parents=True)
    for page in centre.pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dialect.markdown(page), encoding="utf-8")
    for asset in centre.assets:
        target = docs / asset.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(asset.source, target)
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)
    config = {
        "site_name": centre.audience.titre_centre,
        "docs_dir": "docs",
        "site_dir": str(work / "site"),
        "use_directory_urls": False,
        "theme": {"name": "material", "language": "fr", "font": False},
        # The same Markdown extensions, so that both builds render the same pages; emoji left out (its
        # configuration needs Python tags, and no generated page uses it).
        "markdown_extensions": [e for e in ours["markdown_extensions"]
                                if not (isinstance(e, dict) and "pymdownx.emoji" in e)],
        "nav": dialect.nav(centre),
    }
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return work


class _IgnoreTags(yaml.SafeLoader):
    """Reads our mkdocs.yml without resolving its !ENV and !!python/name tags (only the extensions are wanted)."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def html_stats(folder: Path) -> tuple[int, int, int]:
    """(HTML pages, bytes of HTML, bytes of every file) under `folder`."""
    count = html = total = 0
    for path in folder.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.suffix == ".html":
                count += 1
                html += size
    return count, html, total


def bench(n: int, work: Path, jobs: int) -> dict:
    """Every measure for a corpus of `n` kits."""
    kits = synthetic.generate(work / f"kits-{n}", n)
    row: dict = {"n": n}
    print(f"N = {n} : validation…", flush=True)
    row["valid_wall_ms"], row["valid_cpu_ms"] = validation(kits)

    print(f"N = {n} : un centre ({CENTRE})…", flush=True)
    one = work / f"centre-{n}"
    env = engine.centre_env(CENTRE, kits, one)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--strict", "-f", str(ROOT / "mkdocs.yml")]
    run = measure(cmd, env)
    if not run.ok:
        raise SystemExit(run.output)
    row["one"] = vars(run) | {"output": ""}
    row["one_pages"], row["one_html"], row["one_bytes"] = html_stats(one)

    print(f"N = {n} : centre en MkDocs + Material sans réglage…", flush=True)
    plain = plain_project(kits, work / f"plain-{n}")
    plain_env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = measure([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(plain / "mkdocs.yml")], plain_env,
                  cwd=plain)
    if not run.ok:
        raise SystemExit(run.output)
    row["plain"] = vars(run) | {"output": ""}
    row["plain_pages"], row["plain_html"], _ = html_stats(plain / "site")

    print(f"N = {n} : tous les centres…", flush=True)
    site = work / f"site-{n}"
    # The pages alone: the exports' PDF, EPUB and ZIM are measured apart (scripts/bench_exports.py).
    build = [sys.executable, str(ROOT / "scripts" / "build.py"), "--kits", str(kits), "--site", str(site),
             "--jobs", str(jobs), "--sans-documents"]
    run = measure(build + ["--tout"], dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    if not run.ok:
        raise SystemExit(run.output)
    row["all"] = vars(run) | {"output": ""}
    centres = [p for p in site.iterdir() if p.is_dir() and (p / "index.html").is_file()]
    row["all_pages"] = sum(html_stats(c)[0] for c in centres)
    row["all_bytes"] = sum(html_stats(c)[2] for c in centres)

    print(f"N = {n} : reconstruction sans changement…", flush=True)
    # In a working tree that someone is editing, an input may change between the two builds: the rebuild then
    # (rightly) does work and refreshes the state; measure again, a few times at most.
    for _ in range(3):
        run = measure(build, dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        if not run.ok or "Rien n'a changé" in run.output:
            break
    if not run.ok or "Rien n'a changé" not in run.output:
        raise SystemExit("La reconstruction sans changement a reconstruit : " + run.output)
    row["noop"] = vars(run) | {"output": ""}
    for folder in (one, plain, site):
        shutil.rmtree(folder, ignore_errors=True)
    return row


def table(rows: list[dict], jobs: int) -> str:
    """The results as Markdown."""
    def ms_page(run: dict, count: int, key: str = "cpu") -> str:
        return f"{run[key] * 1000 / count:.1f}"

    lines = [
        f"Mesuré le {time.strftime('%Y-%m-%d')} sur {os.cpu_count()} cœurs ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, `--jobs {jobs}`. Temps « mur » (horloge) et temps CPU (processus et "
        "sous-processus) : sur une machine partagée, le temps CPU est le plus stable.",
        "",
        "| mesure | " + " | ".join(f"N = {r['n']}" for r in rows) + " |",
        "|---|" + "---:|" * len(rows),
        "| validation, ms par kit (mur / CPU) | " + " | ".join(f"{r['valid_wall_ms']:.2f} / {r['valid_cpu_ms']:.2f}" for r in rows) + " |",
        f"| un centre ({CENTRE}) : pages | " + " | ".join(str(r["one_pages"]) for r in rows) + " |",
        "| un centre : s mur / s CPU | " + " | ".join(f"{r['one']['wall']:.1f} / {r['one']['cpu']:.1f}" for r in rows) + " |",
        "| un centre : ms CPU par page | " + " | ".join(ms_page(r["one"], r["one_pages"]) for r in rows) + " |",
        "| un centre : mémoire max (Mo) | " + " | ".join(f"{r['one']['peak_mb']:.0f}" for r in rows) + " |",
        "| un centre : octets par page (HTML / tout) | " + " | ".join(
            f"{r['one_html'] // r['one_pages']:,} / {r['one_bytes'] // r['one_pages']:,}".replace(",", " ") for r in rows) + " |",
        "| tous les centres : pages | " + " | ".join(str(r["all_pages"]) for r in rows) + " |",
        "| tous les centres : s mur / s CPU | " + " | ".join(f"{r['all']['wall']:.1f} / {r['all']['cpu']:.1f}" for r in rows) + " |",
        "| tous les centres : ms CPU par page | " + " | ".join(ms_page(r["all"], r["all_pages"]) for r in rows) + " |",
        "| tous les centres : mémoire max (Mo, tous processus) | " + " | ".join(f"{r['all']['peak_mb']:.0f}" for r in rows) + " |",
        "| tous les centres : octets par page | " + " | ".join(
            f"{r['all_bytes'] // r['all_pages']:,}".replace(",", " ") for r in rows) + " |",
        "| reconstruction sans changement, s mur | " + " | ".join(f"{r['noop']['wall']:.2f}" for r in rows) + " |",
        "| MkDocs + Material sans réglage, même centre : s mur / s CPU | " + " | ".join(
            f"{r['plain']['wall']:.1f} / {r['plain']['cpu']:.1f}" for r in rows) + " |",
        "| MkDocs + Material sans réglage : ms CPU par page | " + " | ".join(ms_page(r["plain"], r["plain_pages"]) for r in rows) + " |",
        "| MkDocs + Material sans réglage : mémoire max (Mo) | " + " | ".join(f"{r['plain']['peak_mb']:.0f}" for r in rows) + " |",
        "| **rapport un centre / MkDocs + Material (CPU)** | " + " | ".join(
            f"**{r['one']['cpu'] / r['plain']['cpu']:.2f}**" for r in rows) + " |",
        "| rapport un centre / MkDocs + Material (mur) | " + " | ".join(
            f"{r['one']['wall'] / r['plain']['wall']:.2f}" for r in rows) + " |",
    ]
    first, last = rows[0], rows[-1]
    flat = (last["one"]["cpu"] / last["one_pages"]) / (first["one"]["cpu"] / first["one_pages"])
    lines += ["", f"Temps CPU par page d'un centre, N = {last['n']} rapporté à N = {first['n']} : **{flat:.2f}** "
                  f"(cible : au plus 1,15)."]
    return "\n".join(lines) + "\n"


def write_report(text: str, path: Path = OUTPUT, marks: tuple[str, str] = (MARK_START, MARK_END)) -> None:
    """Put the table between the marks of `path`, keeping the rest of the file (the analysis); at its end when
    the marks are not there yet."""
    start, end = marks
    block = f"{start}\n{text}{end}"
    if path.exists():
        current = path.read_text(encoding="utf-8")
        if start in current and end in current:
            head, rest = current.split(start, 1)
            tail = rest.split(end, 1)[1]
            path.write_text(head + block + tail, encoding="utf-8")
            return
        path.write_text(current.rstrip("\n") + f"\n\n{block}\n", encoding="utf-8")
        return
    path.write_text(f"# Mesures de la construction\n\nProduit par `make bench` (scripts/bench.py).\n\n{block}\n",
                    encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: bench.py [--kits 100 400 1000] [--sortie BENCHMARKS.md]."""
    parser = argparse.ArgumentParser(description="Mesure la construction sur des corpus synthétiques.")
    parser.add_argument("--kits", type=int, nargs="+", default=[100, 400, 1000], help="tailles de corpus")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="centres construits en parallèle")
    parser.add_argument("--sortie", default=str(OUTPUT), help="fichier Markdown où écrire le tableau")
    parser.add_argument("--travail", help="dossier de travail (par défaut : un dossier temporaire, supprimé)")
    args = parser.parse_args(argv)
    work = Path(args.travail) if args.travail else Path(tempfile.mkdtemp(prefix="bench-"))
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        rows = [bench(n, work, args.jobs) for n in args.kits]
        from kitcli import bench_exports  # its own table: the exports' cost beside the pages'
        print(bench_exports.run(work, args.jobs, Path(args.sortie)))
    finally:
        if not args.travail:
            shutil.rmtree(work, ignore_errors=True)
    text = table(rows, args.jobs)
    print(text)
    write_report(text, Path(args.sortie))
    print(f"Tableau écrit dans {args.sortie} ({time.perf_counter() - start:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
