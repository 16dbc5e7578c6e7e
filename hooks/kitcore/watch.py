"""What the live preview watches, and how it notices a change: snapshots of file times and sizes, compared."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import inputs

Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class WatchList:
    """Sources of a preview: content (re-read on change) and code (the renderer must restart to see it)."""

    content: tuple[Path, ...]
    code: tuple[Path, ...]


@dataclass
class Change:
    """Files that changed between two snapshots, split by what the preview must do about them."""

    content: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.content or self.code)


def watch_list(root: Path, kits: Path, config: Path | None = None) -> WatchList:
    """The inputs of a build (kitcore.inputs): the kits tree and docs/ are content; configuration and code are code.

    `config` is the engine's configuration file when it is not the project's own.
    """
    code = inputs.project_paths(root, code=True)
    if config is not None and config not in code:
        code.append(config)
    return WatchList(content=(kits, *inputs.project_paths(root, code=False)), code=tuple(code))


def snapshot(paths: tuple[Path, ...]) -> dict[str, Stamp]:
    """Modification time, size and inode of every file below `paths` (missing paths are simply absent).

    Folders themselves are not stamped: a file added or removed shows up as such, while an editor's scratch file
    (which also touches its folder) must not count as a change.
    """
    out: dict[str, Stamp] = {}
    stack = [str(p) for p in paths]
    while stack:
        top = stack.pop()
        try:
            st = os.stat(top)
        except OSError:
            continue
        if not os.path.isdir(top):
            out[top] = (st.st_mtime_ns, st.st_size, st.st_ino)
            continue
        try:
            entries = list(os.scandir(top))
        except OSError:
            continue
        for entry in entries:
            # Editors write scratch files beside the file being saved: reacting to them would reload the
            # browser before the real file is written.
            if inputs.skipped(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    stack.append(entry.path)
                else:
                    st = entry.stat(follow_symlinks=True)
                    out[entry.path] = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                continue
    return out


def changed(old: dict[str, Stamp], new: dict[str, Stamp]) -> list[str]:
    """Paths added, removed or modified between two snapshots, sorted."""
    return sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))


class Watcher:
    """Compares the watched files with their last snapshot; thread-safe, so requests and a poller may share it."""

    def __init__(self, watched: WatchList) -> None:
        self.watched = watched
        self._lock = threading.Lock()
        self._content = snapshot(watched.content)
        self._code = snapshot(watched.code)

    def poll(self) -> Change:
        """What changed since the previous call (an empty Change when nothing did)."""
        with self._lock:
            content, code = snapshot(self.watched.content), snapshot(self.watched.code)
            change = Change(changed(self._content, content), changed(self._code, code))
            self._content, self._code = content, code
            return change
