"""Reproducible offline archives of built centres: a deterministic zip per centre, its size shown in the pages."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

from . import elsewhere
from .kits import Kit
from .schema import FIRST_DATE
from .wording import human_size

# The theme puts these comments around the download link; the text between them is ours to rewrite, so the
# wording and the size live here, whatever engine rendered the pages.
MARK_START = "<!-- archive:debut -->"
MARK_END = "<!-- archive:fin -->"
_MARKED = re.compile(re.escape(MARK_START) + r".*?" + re.escape(MARK_END), re.S)
DOWNLOAD_TEXT = "Télécharger ce centre pour une consultation hors ligne"
# Files that only make sense online (sitemaps carry the build date, which would break reproducibility) or
# only to a developer (source maps: ~1 Mo that no page loads).
EXCLUDED_NAMES = {"sitemap.xml", "sitemap.xml.gz"}
EXCLUDED_SUFFIXES = (".map",)
# zip cannot store dates before 1980 (the kit format's first date, for that reason): the floor for centres that
# have no kit to date them.
ZIP_EPOCH = FIRST_DATE
FILE_MODE = 0o644
DIR_MODE = 0o755
# zlib's default: level 9 takes twice as long for under 1 % less. Same zlib, same level → same bytes.
COMPRESSLEVEL = 6
MAX_PASSES = 4


@dataclass(frozen=True)
class Archive:
    """A centre's zip once written: where it is, how big, its SHA-256 and the size label shown to readers."""

    path: Path
    size: int
    sha256: str
    label: str

    @property
    def checksum_path(self) -> Path:
        """The `<id>.zip.sha256` file published beside the zip."""
        return self.path.with_name(self.path.name + ".sha256")


def size_label(size: int) -> str:
    """The size as shown beside the link: approximate on purpose, since it is written inside the zip it measures."""
    return f"environ {human_size(size)}"


def online_fragment(centre_id: str, page: str, label: str | None) -> str:
    """The download link as it appears in the published centre, relative to the page at `page`."""
    up = "../" * (PurePosixPath(page).as_posix().count("/") + 1)
    size = f" (zip, {label})" if label else ""
    return f'<a class="centre-archive__lien" href="{up}{centre_id}.zip" download>{DOWNLOAD_TEXT}</a>{size}'


def offline_fragment(label: str | None) -> str:
    """What the unpacked copy shows instead: there is no zip beside it to download again."""
    size = f" (zip, {label})" if label else ""
    return f'<span class="centre-archive__hors-ligne">Vous consultez la version hors ligne de ce centre{size}.</span>'


def fill_marks(html: str, fragment: str) -> str:
    """Replace the text between the archive marks (kept, so that a later pass can rewrite it)."""
    return _MARKED.sub(lambda _: f"{MARK_START}{fragment}{MARK_END}", html)


def archive_members(folder: Path) -> list[Path]:
    """Every directory and file of `folder` that goes into the zip, in the zip's (sorted) order."""
    members = []
    for path in folder.rglob("*"):
        if path.is_symlink():
            continue  # a link could point outside the centre; the build never makes any
        if path.is_file() and (path.name in EXCLUDED_NAMES or path.name.endswith(EXCLUDED_SUFFIXES)):
            continue
        if path.is_file() or path.is_dir():
            members.append(path)
    return sorted(members, key=lambda p: p.relative_to(folder).as_posix())


def write_zip(folder: Path, target: Path, prefix: str, day: dt.date,
              transform: Callable[[str, bytes], bytes] | None = None) -> None:
    """Write `folder` as `target`, every entry under `prefix/`, byte for byte the same for the same files."""
    day = max(day, ZIP_EPOCH)
    stamp = (day.year, day.month, day.day, 0, 0, 0)  # midnight, no time zone: the same wherever it is built
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr(zip_entry(f"{prefix}/", stamp, DIR_MODE, True), b"")
        for path in archive_members(folder):
            rel = path.relative_to(folder).as_posix()
            if path.is_dir():
                zf.writestr(zip_entry(f"{prefix}/{rel}/", stamp, DIR_MODE, True), b"")
                continue
            data = path.read_bytes()
            if transform is not None:
                data = transform(rel, data)
            zf.writestr(zip_entry(f"{prefix}/{rel}", stamp, FILE_MODE, False), data, compresslevel=COMPRESSLEVEL)


def zip_entry(name: str, stamp: tuple[int, ...], mode: int, is_dir: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.create_system = 3  # Unix, on every platform: the permission bits below are then honoured by unzip
    info.external_attr = ((stat.S_IFDIR if is_dir else stat.S_IFREG) | mode) << 16
    if is_dir:
        info.external_attr |= 0x10  # MS-DOS directory flag
        info.compress_type = zipfile.ZIP_STORED
    else:
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _rewrite_html(fragment_for: Callable[[str], str]) -> Callable[[str, bytes], bytes]:
    def transform(rel: str, data: bytes) -> bytes:
        if not rel.endswith(".html"):
            return data
        text = data.decode("utf-8")
        if MARK_START in text:
            text = fill_marks(text, fragment_for(rel))
        # The other centres are not in this zip: their links lead to local pages that say where they are.
        return elsewhere.offline_links(text, rel).encode("utf-8")
    return transform


def centre_date(kits: Iterable[Kit]) -> dt.date:
    """The date stamped on every entry of a centre's zip: its latest kit update, so it follows the sources."""
    return max((k.mise_a_jour for k in kits), default=ZIP_EPOCH)


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_archive(folder: Path, centre_id: str, day: dt.date) -> Archive:
    """Zip the centre at `folder` as `<folder>/../<id>.zip` with its size in its own pages, then link it online.

    The size shown inside the zip changes the zip: we zip again until the rounded label no longer moves
    (two passes in practice). Should it keep flipping between two neighbours, the copy inside the zip is
    off by one rounding step (hence « environ »); the online pages and the portal always get the exact label.
    """
    target = folder.parent / f"{centre_id}.zip"
    label: str | None = None
    for _ in range(MAX_PASSES):
        write_zip(folder, target, centre_id, day, _rewrite_html(lambda rel, lab=label: offline_fragment(lab)))
        measured = size_label(target.stat().st_size)
        if measured == label:
            break
        label = measured
    assert label is not None
    for page in sorted(folder.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if MARK_START in text:
            rel = page.relative_to(folder).as_posix()
            page.write_text(fill_marks(text, online_fragment(centre_id, rel, label)), encoding="utf-8")
    archive = Archive(target, target.stat().st_size, sha256_of(target), label)
    # The format of `sha256sum`, so that `sha256sum -c <id>.zip.sha256` checks a download.
    archive.checksum_path.write_text(f"{archive.sha256}  {target.name}\n", encoding="utf-8")
    return archive
