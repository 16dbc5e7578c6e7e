"""Reproducible offline archives of built centres: a deterministic zip per centre, with its offline stylesheet."""
from __future__ import annotations

import datetime as dt
import hashlib
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from . import copies
from .kits import Kit
from .schema import FIRST_DATE
from .wording import human_size

DOWNLOAD_TEXT = "Télécharger ce centre pour une consultation hors ligne"  # the portal's link; the theme's too
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
    """The size as the portal shows it beside the link (measured on the finished zip, which never states it)."""
    return human_size(size)


def offline_members() -> dict[str, bytes]:
    """The members that the offline copy stores instead of the online ones: the stylesheet that picks the variants."""
    return {copies.STYLESHEET: copies.stylesheet(offline=True)}


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


def require_members(folder: Path, members: list[Path], replaced: Mapping[str, bytes]) -> None:
    """Refuse to replace a member that `folder` lacks: the copy would silently be the online one."""
    missing = sorted(set(replaced) - {p.relative_to(folder).as_posix() for p in members if p.is_file()})
    if missing:
        raise ValueError(f"{folder} has no {', '.join(missing)} to replace in its offline copy")


def write_zip(folder: Path, target: Path, prefix: str, day: dt.date, replaced: Mapping[str, bytes] | None = None) -> None:
    """Write `folder` as `target`, every entry under `prefix/`, byte for byte the same for the same files; the
    members named in `replaced` (paths relative to `folder`) get the bytes given there instead of their own."""
    replaced = replaced or {}
    members = archive_members(folder)
    require_members(folder, members, replaced)
    day = max(day, ZIP_EPOCH)
    stamp = (day.year, day.month, day.day, 0, 0, 0)  # midnight, no time zone: the same wherever it is built
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr(zip_entry(f"{prefix}/", stamp, DIR_MODE, True), b"")
        for path in members:
            rel = path.relative_to(folder).as_posix()
            if path.is_dir():
                zf.writestr(zip_entry(f"{prefix}/{rel}/", stamp, DIR_MODE, True), b"")
                continue
            data = replaced[rel] if rel in replaced else path.read_bytes()
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
    """Zip the centre at `folder` as `<folder>/../<id>.zip`, its offline copy (`offline_members`), in one pass.

    The pages say nothing of the zip's size: it cannot be written inside the pages it measures. The portal, built
    after the zips, shows it with the checksum; the centre's banner links to that entry.
    """
    target = folder.parent / f"{centre_id}.zip"
    write_zip(folder, target, centre_id, day, offline_members())
    size = target.stat().st_size
    archive = Archive(target, size, sha256_of(target), size_label(size))
    # The format of `sha256sum`, so that `sha256sum -c <id>.zip.sha256` checks a download.
    archive.checksum_path.write_text(f"{archive.sha256}  {target.name}\n", encoding="utf-8")
    return archive
