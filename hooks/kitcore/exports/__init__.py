"""Exports of built centres, rendered from the engine-neutral centre model: open data, news feeds, PDF, EPUB, ZIM."""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .. import archive, fingerprint, pages, reserved
from ..attachments import IMAGES
from ..blocks import Download
from ..kits import Corpus, Kit
from ..wording import count, human_size
from . import epub, feed, opendata, pdf, zim

# Keys of the documents of the last build, at the site's root: an unchanged kit's PDF is linked, not remade.
MANIFEST = ".documents.json"
# Where the kits' documents wait in the staging site while the pages are built (removed once they are placed).
_HOLD = ".documents-en-attente"
# The link text of each document on its kit's presentation (the format and size follow it).
DOCUMENT_LABELS = {"pdf": "Le kit en PDF, à imprimer", "epub": "Le kit en livre numérique"}
_ORDER = {ext: i for i, ext in enumerate(reserved.DOCUMENT_EXTENSIONS)}


@dataclass
class CentreExports:
    """What one centre offers besides its pages: (link text, address relative to the site's root), for the portal."""

    offers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Exports:
    """The outcome of `render_all`: per-centre exports and the time each kind took."""

    centres: dict[str, CentreExports] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
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


@dataclass
class Documents:
    """Each kit's PDF and EPUB, made before the pages (their sizes are shown there), waiting to be placed."""

    files: dict[tuple[str, str], Path] = field(default_factory=dict)  # (kit id, extension) → file
    keys: dict[str, str] = field(default_factory=dict)  # kit id → key of its PDF's inputs
    made: int = 0
    reused: int = 0
    seconds: float = 0.0

    def offers(self) -> dict[str, list[tuple[Download, Path]]]:
        """Kit id → the downloads its presentation offers (link text, file name, format and size), with their file."""
        out: dict[str, list[tuple[Download, Path]]] = {}
        for (kit_id, ext), path in sorted(self.files.items(), key=lambda item: (item[0][0], _ORDER[item[0][1]])):
            download = Download(DOCUMENT_LABELS[ext], reserved.document_name(kit_id, ext),
                                f"{ext.upper()}, {human_size(path.stat().st_size)}")
            out.setdefault(kit_id, []).append((download, path))
        return out

    def offered(self, corpus: Corpus, models: dict[str, pages.Centre], drafts: bool) -> dict[str, pages.Centre]:
        """The centres, their kits' presentations offering these documents and their folders holding them."""
        offers = self.offers()
        return {c: pages.offer_documents(corpus, centre, drafts, offers) if offers else centre
                for c, centre in models.items()}


def make_documents(corpus: Corpus, models: dict[str, pages.Centre], staging: Path, rebuilt: list[str],
                   wanted: list[str], site_url: str | None, previous: Path | None, jobs: int) -> Documents:
    """Render the PDF and EPUB of every kit of the rebuilt centres into a folder of `staging`, before the pages.

    A kit's PDF whose inputs (printable HTML, style, images, WeasyPrint's version) have not changed since the
    previous site is linked from it; the others are rendered in parallel worker processes (WeasyPrint holds the GIL).
    """
    start = time.perf_counter()
    out = Documents()
    hold = staging / _HOLD
    hold.mkdir(parents=True, exist_ok=True)
    old = _read_manifest(previous)
    kits = {k.id: k for c in rebuilt for k in models[c].kits}
    pdf_jobs = {}
    for kit_id, kit in sorted(kits.items()):
        home = _home_centre(kit, wanted)
        address = _addresser(kit, site_url, home)
        job = pdf.pdf_job(corpus, models[home], kit, address)
        images = b"".join(p.read_bytes() for p in sorted(job[2].values()) if p.suffix.lower() in IMAGES)
        out.keys[kit_id] = key = _key(job[0], pdf.STYLE, pdf.VARIANT, _weasyprint_version(), images)
        reuse = old.get(kit_id)
        if reuse and reuse[0] == key and previous is not None and (previous / reuse[1]).is_file():
            out.files[(kit_id, "pdf")] = previous / reuse[1]
            out.reused += 1
        else:
            pdf_jobs[kit_id] = job
        target = out.files[(kit_id, "epub")] = hold / reserved.document_name(kit_id, "epub")
        target.write_bytes(epub.render_epub(corpus, models[home], kit, address if site_url else None))
    if pdf_jobs:
        with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pdf_jobs)))) as pool:
            futures = {k: pool.submit(pdf.html_to_pdf, *job) for k, job in pdf_jobs.items()}
            for kit_id, future in futures.items():
                target = out.files[(kit_id, "pdf")] = hold / reserved.document_name(kit_id, "pdf")
                target.write_bytes(_result(future, f"le PDF du kit « {kit_id} »"))
    out.made = len(pdf_jobs)
    out.seconds = time.perf_counter() - start
    return out


def _placed(documents: Documents, models: dict[str, pages.Centre], staging: Path, rebuilt: list[str],
            previous: Path | None) -> dict[str, dict[str, Path]]:
    """The documents as the engines published them in the rebuilt centres (kit id → extension → file); records
    their PDFs' keys for the next build and removes the folder where they waited."""
    written: dict[str, dict[str, Path]] = {}
    paths: dict[str, str] = {}
    for c in rebuilt:
        for kit in models[c].kits:
            for ext in reserved.DOCUMENT_EXTENSIONS:  # names reserved: no kit file can take their place
                target = staging / c / pages.kit_dir(kit.id) / reserved.document_name(kit.id, ext)
                paths.setdefault(f"{kit.id}.{ext}", target.relative_to(staging).as_posix())
                written.setdefault(kit.id, {})[ext] = target
    shutil.rmtree(staging / _HOLD)
    manifest = {k: [key, paths[f"{k}.pdf"]] for k, key in documents.keys.items() if f"{k}.pdf" in paths}
    for kit_id, entry in _read_manifest(previous).items():  # kits of reused centres keep theirs (linked files)
        if kit_id not in manifest and (staging / entry[1]).is_file():
            manifest[kit_id] = entry
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return written


def render_all(corpus: Corpus, staging: Path, rebuilt: list[str], wanted: list[str], drafts: bool,
               site_url: str | None, previous: Path | None = None, jobs: int = 2, documents: Documents | None = None,
               models: dict[str, pages.Centre] | None = None) -> Exports:
    """Write every export of the rebuilt centres into `staging/<id>/`, the portal's, the centres' EPUB and ZIM
    into `staging/`, once the pages are built.

    `documents` (from `make_documents`, None with `build --sans-documents`) were published by the engines with
    the pages (`Documents.offered`); then the centres' EPUB and ZIM are made. Reused centres (unchanged since the previous site) already carry
    their files, linked with their folder; their EPUB and ZIM are linked from `previous`.
    """
    out = Exports()
    if models is None:  # the build passes the centres it modelled once
        models = {c: pages.build_centre(corpus, c, drafts) for c in wanted}
    challenges = {ch.id: ch.nom for ch in corpus.challenges}
    written: dict[str, dict[str, Path]] = {}
    if documents is not None:
        start = time.perf_counter()
        written = _placed(documents, models, staging, rebuilt, previous)
        out.seconds["documents"] = documents.seconds + time.perf_counter() - start
        out.made, out.reused = documents.made, documents.reused

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
    if documents is None:
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
            zims.update({c: _result(f, f"le fichier ZIM du centre « {c} »") for c, f in futures.items()})
    out.seconds["ZIM"] = time.perf_counter() - start
    for c in wanted:
        out.centres[c].offers[:0] = [
            (f"Livre numérique du centre (EPUB, {human_size(books[c].stat().st_size)})", centre_epub_file(c)),
            (f"Pour Kiwix (ZIM, {human_size(zims[c].stat().st_size)})", zim_file(c))]
    return out


class ExportFailed(RuntimeError):
    """A document could not be made (its worker process died or failed): the build stops, said in French."""


def _result(future, what: str):
    """The worker's result, or ExportFailed naming `what` when the worker died (memory killer, crash) or failed."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise ExportFailed(f"le processus qui produisait {what} s'est arrêté brutalement (mémoire épuisée ou "
                           "arrêt forcé) ; relancez la construction") from None
    except Exception as exc:  # noqa: BLE001 - any failure of the library, reported without a traceback
        raise ExportFailed(f"{what} n'a pas pu être produit ({type(exc).__name__} : {exc})") from None


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

