"""Benchmark of the build on synthetic corpora (N kits over the five audiences), against plain MkDocs + Material.

For each N: validation time per kit; build time, CPU time and peak memory of one centre and of all centres;
bytes per page; a rebuild with nothing changed; the same pages built by plain MkDocs + Material (default
navigation, no hook, no navigation.prune) in the same run, as a ratio; the fixed cost of a centre (a tiny corpus);
the preview's delays (scripts/bench_serve.py). Each target of issue 13 is reported beside its figure, met or not.
The tables are printed and written between the marks of BENCHMARKS.md, whose other text (the analysis) is kept.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
import yaml

from kitcli import bench_serve
from kitcli import corpus as synthetic
from kitcore import checks, pages
from kitcore.engines.material import dialect
from kitcore.engines.mkdocs import engine

OUTPUT = ROOT / "BENCHMARKS.md"
PLAIN_ALL_MAX = 100  # plain MkDocs on every centre is measured where a target needs it (N = 100): it is slow
MARK_START = "<!-- bench:debut -->"
MARK_END = "<!-- bench:fin -->"
CENTRE = "associations"
TINY = ROOT / "tests" / "fixtures" / "corpus"  # a tiny corpus: what a centre costs before its pages
# One centre the way the build renders it: kits checked and loaded once, the centre modelled, then the engine.
# With a fourth argument, the engine is warmed up first, as a build of several centres does before it forks their
# renderers: the renderer's CPU is then what one more centre costs in a build.
ONE_CENTRE = (
    "import sys; from pathlib import Path; "
    "from kitcore import checks, engines, pages; from kitcore.engines.mkdocs import engine; "
    "kits, out, centre = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]; "
    "corpus, report = checks.check_kits(kits); "
    "job = engines.CentreJob(corpus, pages.build_centre(corpus, centre, False), kits, out, False); "
    "len(sys.argv) > 4 and engine.warm_up(); "
    "[r] = list(engine.render([job], 1)); print(r.output); "
    "import resource; u = resource.getrusage(resource.RUSAGE_CHILDREN); print('CPU-RENDU', u.ru_utime + u.ru_stime); "
    "sys.exit(0 if r.ok else 1)"
)


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


def one_centre(kits: Path, out: Path, centre: str = CENTRE, warmed: bool = False) -> Run:
    """One centre rendered as the build does it, in a fresh interpreter (its imports and checks counted); `warmed`:
    after the engine's warm-up, as in a build of several centres."""
    cmd = [sys.executable, "-c", ONE_CENTRE, str(kits), str(out), centre] + (["prechauffe"] if warmed else [])
    run = measure(cmd, dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    if not run.ok:
        raise SystemExit(run.output)
    return run


def _renderer_cpu(run: Run) -> float:
    """CPU seconds of the forked renderer alone, as ONE_CENTRE prints them."""
    return float(run.output.rsplit("CPU-RENDU", 1)[1].split()[0])


def plain_build(kits: Path, work: Path, centre: str = CENTRE) -> tuple[Run, int]:
    """Plain MkDocs + Material on the same pages of `centre`: its run and its page count."""
    plain = plain_project(kits, work, centre)
    run = measure([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(plain / "mkdocs.yml")],
                  dict(os.environ, NO_MKDOCS_2_WARNING="1"), cwd=plain)
    if not run.ok:
        raise SystemExit(run.output)
    pages_built = html_stats(plain / "site")[0]
    shutil.rmtree(plain, ignore_errors=True)
    return run, pages_built


def plain_project(kits: Path, work: Path, centre_id: str = CENTRE) -> Path:
    """The pages of one centre as a plain MkDocs + Material project: default navigation, default plugins, no hook."""
    corpus, _ = checks.check_kits(kits)
    centre = pages.build_centre(corpus, centre_id)
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
    row["one"] = vars(one_centre(kits, one)) | {"output": ""}
    row["one_pages"], row["one_html"], row["one_bytes"] = html_stats(one)

    print(f"N = {n} : centre en MkDocs + Material sans réglage…", flush=True)
    run, row["plain_pages"] = plain_build(kits, work / f"plain-{n}")
    row["plain"] = vars(run) | {"output": ""}
    if n <= PLAIN_ALL_MAX:
        # The whole build's yardstick: plain MkDocs + Material building every centre's pages.
        print(f"N = {n} : tous les centres en MkDocs + Material sans réglage…", flush=True)
        audiences = [a.id for a in checks.check_kits(kits)[0].audiences]
        runs = [plain_build(kits, work / f"plain-{n}-{a}", a)[0] for a in audiences]
        row["plain_all_cpu"] = sum(r.cpu for r in runs)

    print(f"N = {n} : tous les centres (sans PDF, EPUB ni ZIM)…", flush=True)
    site = work / f"site-{n}"
    def build_into(folder: Path) -> list[str]:
        return [sys.executable, "-m", "kitcli.build", "--kits", str(kits), "--site", str(folder), "--jobs", str(jobs)]

    build = build_into(site)
    if n <= PLAIN_ALL_MAX:
        # `make build` as it is, documents (PDF, EPUB, ZIM) included: the whole build's target.
        print(f"N = {n} : tous les centres, documents compris (make build)…", flush=True)
        whole = measure(build_into(work / f"site-doc-{n}") + ["--tout"], dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        if not whole.ok:
            raise SystemExit(whole.output)
        row["whole"] = vars(whole) | {"output": ""}
        shutil.rmtree(work / f"site-doc-{n}", ignore_errors=True)
    build.append("--sans-documents")
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
    for folder in (one, site):
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
        "| tous les centres (sans documents) : pages | " + " | ".join(str(r["all_pages"]) for r in rows) + " |",
        "| `make build` complet (documents compris) : s mur / s CPU | " + " | ".join(
            f"{r['whole']['wall']:.1f} / {r['whole']['cpu']:.1f}" if "whole" in r else "—" for r in rows) + " |",
        "| MkDocs + Material sans réglage, tous les centres : s CPU | " + " | ".join(
            f"{r['plain_all_cpu']:.1f}" if "plain_all_cpu" in r else "—" for r in rows) + " |",
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


def preview_delays(work: Path, rounds: int = 3) -> dict[str, float]:
    """Median seconds from an edit to the updated page in `make serve` (500 kit pages): a part, a kit title."""
    kits = bench_serve.write_corpus(work / "apercu-kits", 100)
    port = bench_serve.free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    proc = bench_serve.start([sys.executable, "-m", "kitcli.serve", "--kits", str(kits), "--centre", "associations",
                              "--port", str(port)], env, base, warmup=300)
    try:
        times = bench_serve.measure("apercu", base, kits, rounds, timeout=30)
    finally:
        bench_serve.stop(proc)
    return {kind: statistics.median(values) for kind, values in times.items() if values}


@dataclass(frozen=True)
class Target:
    """A speed target of issue 13 and the figure measured for it."""

    label: str
    goal: str
    figure: float | None
    shown: str
    met: bool | None


def _target(label: str, goal: str, figure: float | None, limit: float, unit: str, strict: bool = False) -> Target:
    if figure is None:
        return Target(label, goal, None, "non mesuré", None)
    shown = f"{figure:.2f}{unit}".replace(".", ",")
    return Target(label, goal, figure, shown, figure < limit if strict else figure <= limit)


def targets(rows: list[dict], fixed_cpu: tuple[float, float], preview: dict[str, float]) -> list[Target]:
    """Every target beside its figure (CPU times measured side by side in this run)."""
    at = {r["n"]: r for r in rows}
    whole = at.get(100)
    out = [_target("toute la construction (`make build` : zips, portail, PDF, EPUB, ZIM compris), N = 100, CPU / "
                   "MkDocs + Material sur les mêmes pages de tous les centres", "≤ 0,5",
                   whole["whole"]["cpu"] / whole["plain_all_cpu"] if whole and "whole" in whole else None, 0.5, " ×"),
           _target("la même sans PDF, EPUB ni ZIM (`--sans-documents`), N = 100", "≤ 0,5",
                   whole["all"]["cpu"] / whole["plain_all_cpu"] if whole and "plain_all_cpu" in whole else None,
                   0.5, " ×")]
    for n in (100, 400, 1000):
        r = at.get(n)
        out.append(_target(f"un centre, N = {n}, CPU / MkDocs + Material sur les mêmes pages", "≤ 0,35",
                           r["one"]["cpu"] / r["plain"]["cpu"] if r else None, 0.35, " ×"))
    out.append(_target("coût fixe d'un centre dans une construction : son processus de rendu (corpus minuscule, "
                       "tests/fixtures/corpus), CPU", "≤ 0,5 s", fixed_cpu[1], 0.5, " s"))
    out.append(_target("le même centre seul, processus complet (démarrage de Python, imports, vérification, modèle, "
                       "rendu), CPU", "≤ 0,5 s", fixed_cpu[0], 0.5, " s"))
    big = at.get(1000)
    out.append(_target("tous les centres, N = 1 000, ms CPU par page", "≤ 10 ms",
                       big["all"]["cpu"] * 1000 / big["all_pages"] if big else None, 10, " ms"))
    out.append(_target("reconstruction sans changement, N = 1 000, s mur", "< 1 s",
                       big["noop"]["wall"] if big else None, 1, " s", strict=True))
    out.append(_target("aperçu : une partie modifiée visible, 500 pages (médiane, mur)", "≤ 0,5 s",
                       preview.get("partie"), 0.5, " s"))
    out.append(_target("aperçu : un titre de kit modifié visible dans l'accueil et la navigation (médiane, mur)",
                       "≤ 1 s", preview.get("titre"), 1, " s"))
    return out


def targets_table(found: list[Target]) -> str:
    """The targets as Markdown: goal, figure, met or not."""
    verdict = {True: "atteint", False: "**non atteint**", None: "non mesuré"}
    lines = ["", "Cibles de l'issue 13, mesurées dans ce même passage :", "",
             "| cible | objectif | mesuré | verdict |", "|---|---:|---:|---|"]
    lines += [f"| {t.label} | {t.goal} | {t.shown} | {verdict[t.met]} |" for t in found]
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
    parser.add_argument("--sans-apercu", action="store_true", help="ne pas mesurer l'aperçu (make serve)")
    parser.add_argument("--travail", help="dossier de travail (par défaut : un dossier temporaire, supprimé)")
    args = parser.parse_args(argv)
    work = Path(args.travail) if args.travail else Path(tempfile.mkdtemp(prefix="bench-"))
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        rows = [bench(n, work, args.jobs) for n in args.kits]
        from kitcli import bench_exports  # its own table: the exports' cost beside the pages'
        print(bench_exports.run(work, args.jobs, Path(args.sortie)))
        print("Coût fixe d'un centre (corpus minuscule)…", flush=True)
        tiny = [one_centre(TINY, work / f"minuscule-{i}") for i in range(3)]
        # A centre alone skips the warm-up (its only renderer imports what it uses); in a build, the renderers
        # are forked after it: each renderer's own cost is measured that way.
        warmed = [one_centre(TINY, work / f"minuscule-chaud-{i}", warmed=True) for i in range(3)]
        fixed = (min(r.cpu for r in tiny), min(_renderer_cpu(r) for r in warmed))  # the least disturbed of three
        preview = {} if args.sans_apercu else preview_delays(work)
    finally:
        if not args.travail:
            shutil.rmtree(work, ignore_errors=True)
    text = table(rows, args.jobs) + targets_table(targets(rows, fixed, preview))
    print(text)
    write_report(text, Path(args.sortie))
    print(f"Tableau écrit dans {args.sortie} ({time.perf_counter() - start:.0f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
