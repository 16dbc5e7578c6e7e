"""Atomic publication of a built site: build into a staging folder, then swap it in place under a lock."""
from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def lock_path(site: Path) -> Path:
    """The lock file of `site`, beside it (ignored by git for the default `site/`)."""
    return site.parent / f".{site.name}.lock"


@contextmanager
def site_lock(site: Path) -> Iterator[None]:
    """Hold an exclusive lock for `site`, so that two builds started at once take turns instead of mixing."""
    site.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(site), "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(site: Path) -> None:
    """Finish a swap that a killed build left half done, and remove stale staging folders."""
    olds = sorted(site.parent.glob(f".{site.name}-old-*"))
    if not site.exists() and olds:
        os.rename(olds[-1], site)
        olds = olds[:-1]
    for stale in olds + sorted(site.parent.glob(f".{site.name}-staging-*")):
        shutil.rmtree(stale, ignore_errors=True)


def staging_dir(site: Path) -> Path:
    """A fresh folder beside `site` (same file system, so the final rename is atomic)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-staging-", dir=site.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the published site must stay readable by a web server
    return staging


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one system call (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap_into_place(staging: Path, site: Path) -> None:
    """Replace `site` by `staging`; at every instant `site` is either the whole old site or the whole new one."""
    if site.is_dir() and not site.is_symlink() and _exchange(staging, site):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
        return
    # Fallback (other systems): two renames; a build killed between them is finished by recover().
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site.name}-old-", dir=site.parent))
        os.rmdir(old)
        os.rename(site, old)
    os.rename(staging, site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
