"""Exports of built centres, rendered from the engine-neutral centre model: open data, news feeds, PDF, EPUB, ZIM."""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import archive, fingerprint, pages, reserved
from ..attachments import IMAGES
from ..kits import Corpus, Kit
from ..wording import count, human_size
from . import epub, feed, opendata, pdf, zim

# Keys of the documents of the last build, at the site's root: an unchanged kit's PDF is linked, not remade.
MANIFEST = ".documents.json"


@dataclass
class CentreExports:
    """What one centre offers besides its pages: (link text, address relative to the site's root), for the portal."""

    offers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Exports:
    """The outcome of `render_all`: per-centre exports and the time each kind took."""

    centres: dict[str, CentreExports] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    documents: int = 0  # document files placed in the centres (a kit in two centres counts twice)
    made: int = 0  # PDFs rendered by this build
    reused: int = 0  # PDFs taken from the previous site, their inputs unchanged

    def summary(self) -> str:
        """What the exports took, in French, for the build's output (« documents 3,1 s, dont 2 PDF refaits… »)."""
        timings = ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in self.seconds.items())
        if "documents" not in self.seconds:
            return f"{timings} ; sans PDF, EPUB ni ZIM (--sans-documents)"
        return f"{timings} ; PDF : {count(self.made, 'refait')}, {self.reused} repris du site précédent"


def centre_base(site_url: str | None, centre_id: str) -> str | None:
    """Published address of a centre's folder, when the site's address is known (SITE_URL)."""
    return f"{site_url.rstrip('/')}/{centre_id}/" if site_url else None


def _addresser(kit: Kit, site_url: str | None, centre_id: str):
    """Links of a kit's documents: full addresses when the site's is known, else relative to the kit's folder."""
    if site_url:
        return lambda path: f"{site_url.rstrip('/')}/{centre_id}/{path}"
    return lambda path: posixpath.relpath(path.split("#")[0], pages.kit_dir(kit.id)) + (
        "#" + path.split("#", 1)[1] if "#" in path else "")


def _home_centre(kit: Kit, wanted: list[str]) -> str:
    return next((c for c in kit.publics if c in wanted), wanted[0])


def _key(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def render_all(corpus: Corpus, staging: Path, rebuilt: list[str], wanted: list[str], drafts: bool,
               site_url: str | None, previous: Path | None = None, jobs: int = 2, documents: bool = False,
               models: dict[str, pages.Centre] | None = None) -> Exports:
    """Write every export of the rebuilt centres into `staging/<id>/`, the portal's and the ZIMs into `staging/`.

    PDF, EPUB and ZIM unless `documents` is false (`build --sans-documents`, for the test suite's fixture builds).
    Reused centres (unchanged since the previous site) already carry theirs, linked with their folder; their ZIM
    is linked from `previous`. A kit's PDF whose inputs have not changed is linked from `previous` too.
    """
    out = Exports()
    if models is None:  # the build passes the centres it modelled once
        models = {c: pages.build_centre(corpus, c, drafts) for c in wanted}
    challenges = {ch.id: ch.nom for ch in corpus.challenges}

    # Documents: one PDF and one EPUB per kit, made once and linked into every rebuilt centre that offers it.
    start = time.perf_counter()
    old = _read_manifest(previous)
    manifest: dict[str, str] = {}
    kits = {k.id: k for c in rebuilt for k in models[c].kits} if documents else {}
    pdf_jobs, made = {}, {}
    for kit_id, kit in sorted(kits.items()):
        home = _home_centre(kit, wanted)
        address = _addresser(kit, site_url, home)
        job = pdf.pdf_job(corpus, models[home], kit, address)
        images = b"".join(p.read_bytes() for p in sorted(job[2].values()) if p.suffix.lower() in IMAGES)
        key = _key(job[0], pdf.STYLE, pdf.VARIANT, _weasyprint_version(), images)
        manifest[kit_id] = key
        reuse = old.get(kit_id)
        if reuse and reuse[0] == key and previous is not None and (previous / reuse[1]).is_file():
            made[(kit_id, "pdf")] = previous / reuse[1]
            out.reused += 1
        else:
            pdf_jobs[kit_id] = job
        made[(kit_id, "epub")] = epub.render_epub(corpus, models[home], kit, address if site_url else None)
    if pdf_jobs:
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pdf_jobs)))) as pool:
            futures = {k: pool.submit(pdf.html_to_pdf, *job) for k, job in pdf_jobs.items()}
            for kit_id, future in futures.items():
                made[(kit_id, "pdf")] = future.result()
    written: dict[str, dict[str, Path]] = {}
    paths: dict[str, str] = {}
    for c in rebuilt if documents else []:
        for kit in models[c].kits:
            for ext in reserved.DOCUMENT_EXTENSIONS:  # names reserved: no kit file can take their place
                target = staging / c / pages.kit_dir(kit.id) / reserved.document_name(kit.id, ext)
                value = made[(kit.id, ext)]
                first = paths.get(f"{kit.id}.{ext}")
                if first is not None:
                    fingerprint.link_file(staging / first, target)
                elif isinstance(value, Path):
                    fingerprint.link_file(value, target)
                else:
                    target.write_bytes(value)
                paths.setdefault(f"{kit.id}.{ext}", target.relative_to(staging).as_posix())
                written.setdefault(kit.id, {})[ext] = target
                out.documents += 1
    new_manifest = {k: [manifest[k], paths[f"{k}.pdf"]] for k in manifest if f"{k}.pdf" in paths}
    for kit_id, entry in old.items():  # kits of reused centres keep their entry (their files were linked)
        if kit_id not in new_manifest and (staging / entry[1]).is_file():
            new_manifest[kit_id] = entry
    if documents:
        (staging / MANIFEST).write_text(json.dumps(new_manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        out.seconds["documents"] = time.perf_counter() - start
        out.made = len(pdf_jobs)

    start = time.perf_counter()
    for c in rebuilt:
        centre, folder = models[c], staging / c
        opendata.write_centre_data(corpus, centre, folder, written, site_url)
        (folder / feed.FEED_FILE).write_bytes(
            feed.centre_feed(centre.audience, centre.kits, centre_base(site_url, c), challenges))
    opendata.write_schema(staging)
    portal = [(models[c].audience, models[c].kits) for c in wanted]
    (staging / feed.FEED_FILE).write_bytes(
        feed.portal_feed(portal, site_url.rstrip("/") + "/" if site_url else None, challenges))
    out.seconds["données et flux"] = time.perf_counter() - start

    for c in wanted:
        out.centres[c] = CentreExports([("Données ouvertes (JSON)", f"{c}/{opendata.DATA_FILE}"),
                                        ("Nouveautés (flux Atom)", f"{c}/{feed.FEED_FILE}")])
    if not documents:
        return out
    # One EPUB per centre beside its zip (≈ 15 Ko per kit: 73 to 134 Ko for the real centres), from the same
    # model; EbookLib is quick (≈ 0,04 s per kit), so a rebuilt centre remakes its book.
    start = time.perf_counter()
    books: dict[str, Path] = {}
    for c in wanted:
        target = books[c] = staging / centre_epub_file(c)
        if c not in rebuilt and previous is not None and (previous / target.name).is_file():
            fingerprint.link_file(previous / target.name, target)
        else:
            base = centre_base(site_url, c)
            target.write_bytes(epub.render_centre_epub(corpus, models[c], (lambda path, b=base: b + path) if base else None))
    out.seconds["EPUB des centres"] = time.perf_counter() - start
    # ZIM files beside the zips, packed in worker processes: libzim prints its progress in English on the
    # standard output, which the workers send to /dev/null (the build says in French what it made).
    start = time.perf_counter()
    zims: dict[str, Path] = {}
    packed = []
    for c in wanted:
        target = staging / zim_file(c)
        if c not in rebuilt and previous is not None and (previous / zim_file(c)).is_file():
            fingerprint.link_file(previous / zim_file(c), target)
            zims[c] = target
        else:
            packed.append(c)
    if packed:
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(packed))), initializer=_silence_stdout) as pool:
            futures = {c: pool.submit(zim.write_zim, staging / c, staging / zim_file(c), models[c],
                                      archive.centre_date(models[c].kits)) for c in packed}
            zims.update({c: f.result() for c, f in futures.items()})
    out.seconds["ZIM"] = time.perf_counter() - start
    for c in wanted:
        out.centres[c].offers[:0] = [
            (f"Livre numérique du centre (EPUB, {human_size(books[c].stat().st_size)})", centre_epub_file(c)),
            (f"Pour Kiwix (ZIM, {human_size(zims[c].stat().st_size)})", zim_file(c))]
    return out


def _silence_stdout() -> None:
    """In a worker process: the standard output (file descriptor 1, where libzim's C++ code writes) to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def centre_epub_file(centre_id: str) -> str:
    """The EPUB of a whole centre, at the site's root beside its zip."""
    return f"{centre_id}.epub"


def zim_file(centre_id: str) -> str:
    """The ZIM of a centre, at the site's root beside its zip."""
    return f"{centre_id}.zim"


def _weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")


def _read_manifest(previous: Path | None) -> dict[str, list[str]]:
    if previous is None or not (previous / MANIFEST).is_file():
        return {}
    try:
        data = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}

