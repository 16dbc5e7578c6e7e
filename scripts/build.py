"""Build every centre in parallel, then the portal, and publish them atomically into the site folder."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from kitcore import archive, checks, engine, portal, problems, publish, search  # noqa: E402
from kitcore import formatdoc  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Check the kits, build each centre, write the portal and swap the new site in; exit 1 on any failure."""
    parser = argparse.ArgumentParser(description="Construit un centre de ressources par public, puis le portail.")
    parser.add_argument("--kits", default=str(ROOT / "kits"), help="dossier des kits (par défaut : kits)")
    parser.add_argument("--site", default=str(ROOT / "site"), help="dossier de sortie (par défaut : site)")
    parser.add_argument("--centre", action="append", help="ne construire que ce centre (répétable)")
    parser.add_argument("--brouillons", action="store_true", help="inclure les brouillons (aperçu seulement)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="centres construits en parallèle")
    args = parser.parse_args(argv)
    kits, site = Path(args.kits).resolve(), Path(args.site).resolve()
    start = time.perf_counter()

    corpus, report = checks.check_kits(kits)
    if report.problems:
        print(problems.render_text(report.sorted()), file=sys.stderr if report.errors else sys.stdout)
    if report.errors:
        print("Construction annulée : le site existant n'a pas été modifié.", file=sys.stderr)
        return 1
    ids = [a.id for a in corpus.audiences]
    wanted = args.centre or ids
    unknown = [c for c in wanted if c not in ids]
    if unknown:
        print(f"Centre inconnu : {', '.join(unknown)}. Centres possibles : {', '.join(ids)}.", file=sys.stderr)
        return 1

    with publish.site_lock(site):
        publish.recover(site)
        staging = publish.staging_dir(site)
        try:
            ok = _build_all(corpus, kits, staging, wanted, args)
            if not ok:
                print("Construction annulée : le site existant n'a pas été modifié.", file=sys.stderr)
                return 1
            publish.swap_into_place(staging, site)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    pages = sum(1 for _ in site.rglob("*.html"))
    kit_count = len({k.id for c in wanted for k in corpus.kits_for(c, args.brouillons)})
    print(f"Terminé : {len(wanted)} centres, {kit_count} kits, {pages} pages en {time.perf_counter() - start:.1f} s → {site}")
    return 0


def _build_all(corpus, kits: Path, staging: Path, wanted: list[str], args) -> bool:
    results = {}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(engine.build_centre_site, c, kits, staging / c, args.brouillons): c for c in wanted}
        for future in as_completed(futures):
            r = future.result()
            results[r.id] = r
            if r.ok:
                print(f"  ✓ {r.id:<14} {len(corpus.kits_for(r.id, args.brouillons)):>4} kits {r.pages:>6} pages  {r.seconds:6.1f} s",
                      flush=True)
            else:
                print(f"  ✗ {r.id:<14} échec après {r.seconds:.1f} s :\n{r.output}", file=sys.stderr, flush=True)
    if not all(r.ok for r in results.values()):
        return False
    formatdoc.publish_schema(kits, staging, args.brouillons)  # the schema of kit.yml, for editors and contributors
    zips = _archive_all(corpus, staging, wanted, args)
    summaries = [
        portal.CentreSummary(a.id, a.titre_centre, a.nom, a.description, len(corpus.kits_for(a.id, args.brouillons)),
                             zips[a.id].path.name, zips[a.id].label, zips[a.id].sha256)
        for a in corpus.audiences if a.id in wanted
    ]
    search.write_portal_search(corpus, staging, wanted, args.brouillons)
    (staging / "index.html").write_text(portal.render_portal(corpus, summaries, search_box=search.search_box(".")),
                                        encoding="utf-8")
    return True


def _archive_all(corpus, staging: Path, wanted: list[str], args) -> dict[str, archive.Archive]:
    """Zip every built centre (zlib works outside the GIL, so threads do run in parallel)."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {
            c: pool.submit(archive.build_archive, staging / c, c, archive.centre_date(corpus.kits_for(c, args.brouillons)))
            for c in wanted
        }
        zips = {c: f.result() for c, f in futures.items()}
    print(f"  ✓ {len(zips)} archives hors ligne ({archive.human_size(sum(z.size for z in zips.values()))}) "
          f"en {time.perf_counter() - start:.1f} s", flush=True)
    return zips

if __name__ == "__main__":
    sys.exit(main())
