"""Benchmark of the search for a large centre: index size, index build time, time to first result in Chromium."""
from __future__ import annotations

import argparse
import gzip
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from kitcli import corpus as synthetic  # the shared synthetic kits generator
from kitcore import checks, pages, parts, problems, search
from kitcore.engines.mkdocs import engine

CHROMIUM = Path("/usr/bin/chromium")
WARM_QUERIES = ("bénévolat", "l'hybridation", "mecenat de competences", "gouvernance partagée", "indicateurs",
                "numérique", "partenariats", "fondations", "mesure d'impact", "evaluer")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def real_parts() -> dict[str, list[str]]:
    """Paragraphs of the real kits, per part: synthetic kits reuse them for a realistic vocabulary."""
    out: dict[str, list[str]] = {p.id: [] for p in parts.PARTS}
    for name in out:
        for path in sorted((ROOT / "kits").glob(f"*/{name}.md")):
            text = _LINK.sub(r"\1", path.read_text(encoding="utf-8"))
            out[name] += [p for p in re.split(r"\n\s*\n", text) if p.strip() and "{{" not in p and "{%" not in p]
    return out


def make_kits(out: Path, pages_wanted: int, centre: str, seed: int) -> int:
    """Synthetic kits giving `centre` at least `pages_wanted` pages; returns the number of kits written."""
    # scripts/corpus.py puts a kit in audience i % 5, plus (i + 2) % 5 for one kit in three: count per centre.
    audiences = synthetic.AUDIENCES
    n = 5
    while True:
        in_centre = sum(1 for i in range(n) if audiences[i % 5] == centre or (i % 3 == 0 and audiences[(i + 2) % 5] == centre))
        if 5 * in_centre + 1 + 4 >= pages_wanted:
            break
        n += 1
    synthetic.generate(out, n, seed)
    paragraphs = real_parts()
    rng = random.Random(seed)
    for kit in sorted(p for p in out.iterdir() if p.is_dir()):
        for name in paragraphs:
            pool = paragraphs[name]
            if len(pool) >= 4:
                chosen = rng.sample(pool, min(len(pool), rng.randint(6, 14)))
                (kit / f"{name}.md").write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
    return n


def human(size: int) -> str:
    """A byte count in Ko or Mo."""
    return f"{size / 1024:.0f} Ko" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} Mo"


def time_in_browser(centre_dir: Path, runs: int) -> tuple[list[float], list[float], int]:
    """(cold times, warm times) in ms from typing to the first result shown, and the result count of the first query."""
    from playwright.sync_api import sync_playwright

    measure = """async (q) => {
        const input = document.querySelector('#recherche-champ');
        const panel = document.getElementById('recherche-resultats');
        input.value = ''; input.dispatchEvent(new Event('input', {bubbles: true}));
        const t0 = performance.now();
        return await new Promise(resolve => {
            const done = () => { if (panel.querySelector('li.recherche__resultat')) { obs.disconnect();
                resolve([performance.now() - t0, panel.querySelectorAll('li.recherche__resultat').length]); } };
            const obs = new MutationObserver(done);
            obs.observe(panel, {childList: true, subtree: true});
            input.value = q; input.dispatchEvent(new Event('input', {bubbles: true}));
            done();
        });
    }"""
    cold, warm, count = [], [], 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            context = browser.new_context()  # a fresh tab each run: the index is loaded again
            page = context.new_page()
            page.goto((centre_dir / "index.html").as_uri())
            page.wait_for_load_state("load")
            ms, count = page.evaluate(measure, "évaluation")
            cold.append(ms)
            for q in WARM_QUERIES:
                warm.append(page.evaluate(measure, q)[0])
            context.close()
        browser.close()
    return cold, warm, count


def main(argv: list[str] | None = None) -> int:
    """Generate a centre of N pages, build it, and report index size and time to first result."""
    parser = argparse.ArgumentParser(description="Mesure la recherche d'un grand centre (index, temps jusqu'au premier résultat).")
    parser.add_argument("--pages", type=int, default=500, help="nombre de pages du centre mesuré (500 par défaut)")
    parser.add_argument("--centre", default="associations", help="centre mesuré")
    parser.add_argument("--essais", type=int, default=5, help="chargements à froid mesurés dans Chromium")
    parser.add_argument("--dossier", help="dossier de travail (temporaire par défaut)")
    parser.add_argument("--graine", type=int, default=1)
    args = parser.parse_args(argv)
    work = Path(args.dossier or tempfile.mkdtemp(prefix="bench-recherche-"))
    kits_dir, site = work / "kits", work / "site"

    n = make_kits(kits_dir, args.pages, args.centre, args.graine)
    corpus, report = checks.check_kits(kits_dir)
    if report.errors:
        print(problems.render_text(report.sorted()), file=sys.stderr)
        return 1
    centre = pages.build_centre(corpus, args.centre)
    start = time.perf_counter()
    documents = search.centre_documents(centre, corpus, ROOT / "docs")
    script = search.index_script(search.payload(documents))
    index_seconds = time.perf_counter() - start
    raw = script.encode("utf-8")
    print(f"Corpus : {n} kits synthétiques (texte des vrais kits), centre « {args.centre} » : "
          f"{len(centre.kits)} kits, {len(documents)} pages indexées")
    print(f"Index  : {human(len(raw))} ({human(len(gzip.compress(raw)))} compressé gzip), construit en {index_seconds:.2f} s")

    start = time.perf_counter()
    built = engine.build_centre_site(args.centre, kits_dir, site / args.centre)
    if not built.ok:
        print(built.output, file=sys.stderr)
        return 1
    on_disk = (site / args.centre / search.FOLDER / search.INDEX_FILE).stat().st_size
    print(f"Site   : {built.pages} pages HTML construites en {time.perf_counter() - start:.1f} s ; "
          f"recherche/index.js sur disque : {human(on_disk)}")
    if not CHROMIUM.exists():
        print("Chromium absent : temps jusqu'au premier résultat non mesuré.")
        return 0
    cold, warm, count = time_in_browser(site / args.centre, args.essais)
    print(f"Premier résultat, à froid (chargement de l'index compris, file://) : médiane {statistics.median(cold):.0f} ms, "
          f"max {max(cold):.0f} ms sur {len(cold)} essais ({count} résultats affichés pour « évaluation »)")
    print(f"Premier résultat, index déjà chargé : médiane {statistics.median(warm):.1f} ms, "
          f"max {max(warm):.1f} ms sur {len(warm)} requêtes")
    print(f"Dossier de travail : {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
