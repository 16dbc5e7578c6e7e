"""The MkDocs engine: each centre rendered by MkDocs in a forked child that receives its centre model from the build."""
from __future__ import annotations

import ctypes
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import traceback
from pathlib import Path
from typing import Iterator, Sequence

from .. import CentreBuild, CentreJob
from ...inputs import ROOT
from . import handoff

CONFIG = ROOT / "mkdocs.yml"
# Linux prctl(2) options: the signal the kernel sends a child when its parent dies; the process's name.
_PR_SET_PDEATHSIG = 1
_PR_SET_NAME = 15
# What `ps` shows for a centre's renderer (the kernel keeps 15 bytes): « rendu-associati… ».
NAME_PREFIX = "rendu-"
_warm: set[Path] = set()


def centre_env(centre: str, kits: Path, out: Path, drafts: bool = False) -> dict[str, str]:
    """Environment that tells mkdocs.yml and the hook which centre to build, for a standalone `mkdocs build`."""
    env = dict(os.environ)
    env.update(CENTRE=centre, KITS_DIR=str(kits.resolve()), SITE_DIR=str(out.resolve()), NO_MKDOCS_2_WARNING="1")
    env["BROUILLONS"] = "1" if drafts else "0"
    return env


def render(jobs: Sequence[CentreJob], parallel: int, config: Path = CONFIG) -> Iterator[CentreBuild]:
    """Render each centre into its folder, `parallel` children at a time, yielding outcomes as they come.

    The children are forked from this process, so they inherit the loaded modules, the compiled theme templates
    and the centre models: a child neither imports MkDocs again nor reads a kit. Call this before starting threads.
    """
    if not jobs:
        return
    if len(jobs) > 1:  # one centre: its only child imports and compiles what it uses, nothing done twice
        warm_up(config)
    context = multiprocessing.get_context("fork")
    waiting = list(jobs)
    running: dict[multiprocessing.connection.Connection, tuple[CentreJob, multiprocessing.process.BaseProcess, float]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < max(1, parallel):
                job = waiting.pop(0)
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(target=_child, args=(job, config, sender, os.getpid()), daemon=True,
                                        name=f"centre-{job.centre.audience.id}")
                start = time.perf_counter()
                child.start()
                sender.close()
                running[receiver] = (job, child, start)
            for receiver in multiprocessing.connection.wait(list(running)):
                job, child, start = running.pop(receiver)  # type: ignore[index]
                yield _outcome(job, receiver, child, start)  # type: ignore[arg-type]
    finally:
        for receiver, (_, child, _) in running.items():
            child.kill()
            child.join()
            receiver.close()


def _outcome(job: CentreJob, receiver: multiprocessing.connection.Connection,
             child: multiprocessing.process.BaseProcess, start: float) -> CentreBuild:
    try:
        ok, output = receiver.recv()
    except EOFError:
        ok, output = False, "Le processus de rendu de ce centre s'est arrêté sans donner de résultat."
    finally:
        receiver.close()
    child.join()
    ok = ok and child.exitcode == 0
    pages = sum(1 for _ in job.out.rglob("*.html")) if ok else 0
    return CentreBuild(job.centre.audience.id, ok, time.perf_counter() - start, pages, output.strip())


def warm_up(config: Path = CONFIG) -> None:
    """Do once, before forking, what every child would otherwise repeat: import the theme, plugins and Markdown
    extensions, and compile the templates a page can use into the shared bytecode cache."""
    if config in _warm:
        return
    _warm.add(config)
    import markdown
    from mkdocs.config import load_config

    quiet = logging.getLogger("mkdocs")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        loaded = load_config(str(config))
        env = loaded.theme.get_env()
        env.bytecode_cache = handoff.TEMPLATES
        # Material includes its partial for the site's language (a name it computes) and English as a fallback.
        language = loaded.theme.get("language")
        roots = ["main.html", *loaded.theme.static_templates, f"partials/languages/{language}.html",
                 "partials/languages/en.html"]
        compile_reachable(env, roots)
        markdown.Markdown(extensions=loaded.markdown_extensions, extension_configs=loaded.mdx_configs).convert(":smile:")
    finally:
        quiet.setLevel(level)


def compile_reachable(env: "jinja2.Environment", roots: Sequence[str]) -> list[str]:
    """Compile into the environment's bytecode cache the templates `roots` extend, include or import, and theirs;
    the names compiled. Listing the theme's folders instead would walk its thousands of icons, and compile the
    templates no page uses."""
    import jinja2
    import jinja2.meta

    done: list[str] = []
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            tree = env.parse(source, name, filename)
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
            continue  # a name only some configurations provide, or a fragment compiled where it is included
        todo += [n for n in jinja2.meta.find_referenced_templates(tree) if n]
        bucket = env.bytecode_cache.get_bucket(env, name, filename, source)  # type: ignore[union-attr]
        if bucket.code is None:
            bucket.code = env.compile(tree, name, filename)
            env.bytecode_cache.set_bucket(bucket)  # type: ignore[union-attr]
        done.append(name)
    return done


class _Output(logging.Handler):
    """What a reader of a failed build needs: MkDocs' warnings and errors, as its command line shows them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<7} -  {record.getMessage()}")


def _child(job: CentreJob, config: Path, sender: multiprocessing.connection.Connection, parent: int) -> None:
    # A build killed mid-way (even by SIGKILL) must not leave children writing into a staging folder that the
    # next build removes: the kernel kills this process with its parent.
    try:
        libc = ctypes.CDLL(None)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
        libc.prctl(_PR_SET_NAME, ctypes.c_char_p((NAME_PREFIX + job.centre.audience.id).encode()[:15]))
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    output = _Output()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(output)
    ok = False
    try:
        handoff.give(job)
        loaded = load_config(str(config), site_dir=str(job.out), strict=True)
        loaded.plugins.on_startup(command="build", dirty=False)
        try:
            build(loaded)
        finally:
            loaded.plugins.on_shutdown()
        ok = True
    except MkDocsException as exc:  # Abort (strict mode), a configuration or a plugin error
        output.lines.append(str(exc))
    except Exception:  # a bug in the hook or a plugin: the traceback is for the developer who reads the log
        output.lines.append(traceback.format_exc())
    finally:
        logger.removeHandler(output)
    sender.send((ok, "\n".join(output.lines)))
    sender.close()
