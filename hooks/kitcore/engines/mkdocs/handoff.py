"""The centre handed to the hook in the same process: a build (or the preview) gives it, the hook takes it.

With a centre given, the hook neither reads nor checks the kits; without one (plain `mkdocs build` or
`mkdocs serve`), it checks them once itself. The hook is loaded by its path, so the state lives here, in a
module imported by name, which every loading of the hook shares.
"""
from __future__ import annotations

import jinja2
import jinja2.bccache

from .. import CentreJob

_given: list[CentreJob] = []


def give(job: CentreJob) -> None:
    """Hand `job` to the next loadings of the hook in this process."""
    _given[:] = [job]


def take() -> CentreJob | None:
    """The centre given to this process, if any."""
    return _given[0] if _given else None


def clear() -> None:
    """Forget the given centre: the hook goes back to reading the kits itself."""
    _given.clear()


class TemplateMemory(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory (keyed by template source, so never stale), shared with forks."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


# One per process: filled before the build forks, used by every child's theme (the hook's on_env sets it).
TEMPLATES = TemplateMemory()
