"""Build every centre in parallel, then the portal, and publish them atomically into the site folder."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Only what the fast path needs: a rebuild with nothing changed stops before the pipeline is imported (importing
# it was nine tenths of such a rebuild). The functions below import the rest.
from kitcore import engines, fingerprint
from kitcore import inputs as declared


def main(argv: list[str] | None = None) -> int:
    """Check the kits, build each centre, write the portal and swap the new site in; exit 1 on any failure."""
    parser = argparse.ArgumentParser(description="Construit un centre de ressources par public, puis le portail.")
    parser.add_argument("--kits", default=str(ROOT / "kits"), help="dossier des kits (par défaut : kits)")
    parser.add_argument("--site", default=str(ROOT / "site"), help="dossier de sortie (par défaut : site)")
    parser.add_argument("--centre", action="append", help="ne construire que ce centre (répétable)")
    parser.add_argument("--brouillons", action="store_true", help="inclure les brouillons (aperçu seulement)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="centres construits en parallèle")
    parser.add_argument("--sans-documents", dest="documents", action="store_false",
                        help="ne pas produire le PDF et l'EPUB de chaque kit ni le ZIM de chaque centre (plus rapide)")
    parser.add_argument("--tout", action="store_true", help="tout reconstruire, sans reprendre les centres inchangés")
    parser.add_argument("--moteur", choices=sorted(engines.ENGINES), default=engines.DEFAULT,
                        help=f"moteur de rendu des centres (par défaut : {engines.DEFAULT})")
    args = parser.parse_args(argv)
    kits, site = Path(args.kits).resolve(), Path(args.site).resolve()
    start = time.perf_counter()

    # No input file touched since the last build, same options: the site is already right; skip even the checks.
    inputs = fingerprint.scan(declared.ROOT, kits, {"documents": args.documents})
    inputs.env["moteur"] = args.moteur  # a site built by one engine is never reused as another's
    previous = None if args.tout else fingerprint.read_state(site)
    if previous is not None and previous.unchanged(inputs, str(kits), args.brouillons, args.centre) \
            and all((site / c).is_dir() for c in previous.centres):
        print(f"Rien n'a changé depuis la dernière construction : site inchangé ({len(previous.centres)} centres) "
              f"en {time.perf_counter() - start:.2f} s → {site}")
        return 0

    from kitcore import archive, checks, cms, exports, problems, publish, wording

    try:
        cms.vendored_sources()  # the web editor comes from node_modules: say so before building anything
    except cms.EditorMissing as exc:
        print(f"Construction annulée : {exc}", file=sys.stderr)
        return 1
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
    prints = fingerprint.centre_fingerprints(
        inputs, {c: [k.id for k in corpus.kits_for(c, args.brouillons)] for c in wanted}, args.brouillons)

    with publish.site_lock(site):
        publish.recover(site)
        # Read the previous site only now, under the lock: a build that ran meanwhile may have replaced it, and
        # reusing its centres against our older reading would publish another build's pages as ours.
        previous = None if args.tout else fingerprint.read_state(site)
        # A centre is reused when its content fingerprint matches the one recorded with the previous site.
        args.reused = [] if previous is None else [
            c for c in wanted
            if previous.centres.get(c) == prints[c] and (site / c).is_dir() and (site / f"{c}.zip").is_file()
            and archive.Archive(site / f"{c}.zip", 0, "", "").checksum_path.is_file()
        ]
        args.previous_complete = previous is not None and sorted(previous.centres) == sorted(wanted)
        staging = publish.staging_dir(site)
        try:
            try:
                ok = _build_all(corpus, kits, staging, wanted, args, site)
            except exports.ExportFailed as exc:
                print(f"Échec des documents : {exc}.", file=sys.stderr)
                ok = False
            if not ok:
                print("Construction annulée : le site existant n'a pas été modifié.", file=sys.stderr)
                return 1
            fingerprint.write_state(staging, inputs, str(kits), args.brouillons, prints, args.centre)
            publish.swap_into_place(staging, site)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    pages = sum(1 for _ in site.rglob("*.html"))
    kit_count = len({k.id for c in wanted for k in corpus.kits_for(c, args.brouillons)})
    print(f"Terminé : {wording.count(len(wanted), 'centre')}, {wording.count(kit_count, 'kit')}, "
          f"{wording.count(pages, 'page')} en {time.perf_counter() - start:.1f} s → {site}")
    return 0


def _build_all(corpus, kits: Path, staging: Path, wanted: list[str], args, site: Path) -> bool:
    from kitcore import cms, exports, formatdoc, notfound, pages, portal, search

    results = {}
    for c in args.reused:
        # Hard links into the previous site: nothing below writes into a reused centre's files.
        fingerprint.link_tree(site / c, staging / c)
        print(f"  = {c:<14} {len(corpus.kits_for(c, args.brouillons)):>4} kits  inchangé, repris du site précédent",
              flush=True)
    rebuilt = [c for c in wanted if c not in args.reused]
    # Checked and loaded once (main); each centre modelled once, for its engine, exports, zip and the portal.
    models = {c: pages.build_centre(corpus, c, args.brouillons) for c in wanted}
    documents = None
    if args.documents:  # each kit's PDF and EPUB first, from the models: the kit pages show their sizes
        try:
            documents = exports.make_documents(corpus, models, staging, rebuilt, wanted, _site_url(),
                                               None if args.tout else site, args.jobs)
        except BrokenProcessPool:  # a worker killed (memory killer, signal): a failed build, said in French
            print("  ✗ documents : un processus de fabrication des PDF s'est arrêté brutalement.", file=sys.stderr)
            return False
        models = documents.offered(corpus, models, args.brouillons)
    jobs = [engines.CentreJob(corpus, models[c], kits, staging / c, args.brouillons) for c in rebuilt]
    # First, before any thread: an engine may fork its renderers.
    for r in engines.engine(args.moteur).render(jobs, args.jobs):
        results[r.id] = r
        if r.ok:
            print(f"  ✓ {r.id:<14} {len(corpus.kits_for(r.id, args.brouillons)):>4} kits {r.pages:>6} pages  {r.seconds:6.1f} s",
                  flush=True)
        else:
            print(f"  ✗ {r.id:<14} échec après {r.seconds:.1f} s :\n{r.output}", file=sys.stderr, flush=True)
    if not all(r.ok for r in results.values()):
        return False
    formatdoc.publish_schema(corpus, staging)  # the schema of kit.yml, for editors and contributors
    # Open data, news feeds (and documents), from the same centre model as the pages; before the zips, which carry them.
    made = exports.render_all(corpus, staging, rebuilt, wanted, args.brouillons, _site_url(),
                              None if args.tout else site, args.jobs, documents, models)
    if rebuilt:
        print(f"  ✓ exports ({made.summary()})", flush=True)
    cms.publish_editor(corpus, staging / cms.FOLDER)  # the web editor (Decap CMS, signing in to GitHub)
    zips = _archive_all(corpus, staging, rebuilt, args)
    for c in args.reused:
        zips[c] = _reuse_archive(site, staging, c)
    if not rebuilt and args.previous_complete and (site / "index.html").is_file():
        # Same centres, all unchanged: the portal and its search index are too.
        fingerprint.link_file(site / "index.html", staging / "index.html")
        for name in (notfound.FILE, notfound.FAVICON_FILE):
            if (site / name).is_file():
                fingerprint.link_file(site / name, staging / name)
        if (site / search.FOLDER).is_dir():
            fingerprint.link_tree(site / search.FOLDER, staging / search.FOLDER)
        return True
    summaries = [
        portal.CentreSummary(a.id, a.titre_centre, a.nom, a.description, len(corpus.kits_for(a.id, args.brouillons)),
                             zips[a.id].path.name, zips[a.id].label, zips[a.id].sha256, made.centres[a.id].offers)
        for a in corpus.audiences if a.id in wanted
    ]
    search.write_portal_search(corpus, staging, wanted, args.brouillons, models)
    (staging / "index.html").write_text(portal.render_portal(corpus, summaries, search_box=search.search_box("."),
                                                                            feed=exports.feed.FEED_FILE,
                                                                            editor=f"{cms.FOLDER}/index.html"),
                                        encoding="utf-8")
    links = [notfound.CentreLink(a.id, a.nom, a.titre_centre) for a in corpus.audiences if a.id in wanted]
    (staging / notfound.FILE).write_text(notfound.render_not_found(links, site_url=os.environ.get("SITE_URL")),
                                         encoding="utf-8")
    (staging / notfound.FAVICON_FILE).write_text(notfound.FAVICON_SVG, encoding="utf-8")
    return True


def _site_url() -> str | None:
    return os.environ.get("SITE_URL", "").strip() or None


def _reuse_archive(site: Path, staging: Path, centre: str) -> "archive.Archive":
    """The previous zip of an unchanged centre, linked into the new site with its checksum file."""
    from kitcore import archive

    old = site / f"{centre}.zip"
    fingerprint.link_file(old, staging / old.name)
    fingerprint.link_file(old.with_name(old.name + ".sha256"), staging / f"{old.name}.sha256")
    sha = (staging / f"{old.name}.sha256").read_text(encoding="utf-8").split()[0]
    size = old.stat().st_size
    return archive.Archive(staging / old.name, size, sha, archive.size_label(size))


def _archive_all(corpus, staging: Path, wanted: list[str], args) -> "dict[str, archive.Archive]":
    """Zip every built centre (zlib works outside the GIL, so threads do run in parallel)."""
    from kitcore import archive, wording

    if not wanted:
        return {}
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {
            c: pool.submit(archive.build_archive, staging / c, c, archive.centre_date(corpus.kits_for(c, args.brouillons)))
            for c in wanted
        }
        zips = {c: f.result() for c, f in futures.items()}
    print(f"  ✓ {wording.count(len(zips), 'archive')} hors ligne ({wording.human_size(sum(z.size for z in zips.values()))}) "
          f"en {time.perf_counter() - start:.1f} s", flush=True)
    return zips

if __name__ == "__main__":
    sys.exit(main())
