"""The preview's MkDocs renderer: one centre rendered page by page with the same hook, theme and plugins as a build."""
from __future__ import annotations

import atexit
import copy
import functools
import logging
import mimetypes
import os
import posixpath
import shutil
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import jinja2
from mkdocs import utils
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import meta
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from preview.channel import Reply

from .. import CentreJob
from ... import checks, problems, wording
from ...inputs import ROOT
from . import handoff

# Where installed code lives (the virtualenv inside the repository included): never the place to fix a bug.
_LIBRARIES = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}


@dataclass
class RenderFailure(Exception):
    """The centre or a page cannot be rendered: what to tell the editor, in French, with files and lines."""

    title: str
    intro: str
    problems: list[problems.Problem] = field(default_factory=list)
    detail: str | None = None

    def __str__(self) -> str:
        return "\n".join([self.title + " : " + self.intro] + [p.text() for p in self.problems] + [self.detail or ""]).strip()


# Process-wide caches: the renderer process is replaced whenever mkdocs.yml, the theme or the code changes,
# so what depends only on those may be computed once; what depends on content is keyed by the content itself.
_THEME_FILES: list[tuple[str, str]] | None = None
_FRONT_MATTER: dict[str, tuple[str, dict]] = {}
_RAW_CONFIG: dict[Path, dict] = {}
_OUTPUT: list[Path] = []


def _output_dir() -> Path:
    """A private site_dir for what plugins write after a build (the search index): never the repository's site/."""
    if not _OUTPUT:
        _OUTPUT.append(Path(tempfile.mkdtemp(prefix="apercu-")))
        atexit.register(shutil.rmtree, _OUTPUT[0], True)
    return _OUTPUT[0]
MAX_FRONT_MATTER = 8192


def _remember_git_facts() -> None:
    """mkdocs-macros asks git a dozen questions at every configuration load (~40 ms); in a preview the answers
    cannot change what the editor sees, so the first ones are kept for the life of the renderer."""
    try:
        from mkdocs_macros import context
    except ImportError:
        return
    if not hasattr(context.get_git_info, "cache_info"):
        context.get_git_info = functools.lru_cache(maxsize=1)(context.get_git_info)


_remember_git_facts()


class _Collector(logging.Handler):
    """Keeps the warnings and errors logged while a centre loads, to show them in the browser."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _code_location(exc: BaseException) -> problems.Problem:
    """The file and line where an unexpected exception was raised: the deepest frame that is not library code."""
    where, line = None, None
    if isinstance(exc, SyntaxError) and exc.filename:
        where, line = exc.filename, exc.lineno
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            path = Path(frame.filename).resolve()
            if frame.filename.startswith("<") or any(path.is_relative_to(lib) for lib in _LIBRARIES):
                continue
            where, line = frame.filename, frame.lineno
    shown = "(moteur de rendu)"
    if where:
        resolved = Path(where).resolve()
        shown = resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else where
    return problems.Problem(shown, line, f"{type(exc).__name__} : {exc}")


class CentreSite:
    """One centre at one state of its sources: configuration, files, navigation and theme, ready to render pages."""

    def __init__(self, config_file: Path, kits: Path, centre: str | None, drafts: bool = True,
                 job: CentreJob | None = None) -> None:
        """Load the centre: the one modelled in `job` (kits already checked), else the hook reads the kits."""
        self.kits = kits
        self.centre = centre
        self.job = job
        self.rendered: dict[str, bytes] = {}
        self.post_built: Path | None = None
        collector = _Collector()
        logging.getLogger("mkdocs").addHandler(collector)
        try:
            self._load(config_file, drafts)
        except (PluginError, ConfigurationError, Abort) as exc:
            raise self._explain(exc, collector.messages) from None
        except Exception as exc:  # a bug in the hook or a plugin: say where, keep serving
            raise RenderFailure(
                "Erreur dans le code du centre",
                "Le crochet MkDocs ou un greffon a levé une exception en préparant ce centre.",
                [_code_location(exc)],
                "".join(traceback.format_exception(exc, limit=-6)),
            ) from None
        finally:
            logging.getLogger("mkdocs").removeHandler(collector)

    def _load(self, config_file: Path, drafts: bool) -> None:
        if self.job is not None:
            handoff.give(self.job)
        else:
            handoff.clear()
        os.environ.update(KITS_DIR=str(self.kits), BROUILLONS="1" if drafts else "0")
        if self.centre:
            os.environ["CENTRE"] = self.centre
        else:
            os.environ.pop("CENTRE", None)
        config = _load_config(config_file)
        config.plugins.on_startup(command="serve", dirty=False)
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        files = get_files(config)
        env = config.theme.get_env()
        env.bytecode_cache = handoff.TEMPLATES  # compiled once for the life of the renderer
        _add_theme_files(files, env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in self.doc_files:
            if file.page is None:
                Page(None, file, config)
            _read_source(file.page, config)  # titles for the navigation, the footer links and the cards
        self.env = config.plugins.on_env(env, config=config, files=files)
        self.config: MkDocsConfig = config
        self.files = files
        self.nav: Navigation = nav
        self.by_url = {file.dest_uri: file for file in files if file.inclusion.is_in_serve()}

    def _explain(self, exc: Exception, logged: list[str]) -> RenderFailure:
        """A French account of a failed load: every kit problem with its file and line, or MkDocs' own messages."""
        # Kits handed over were checked already: the failure lies elsewhere.
        report = checks.check_kits(self.kits)[1] if self.job is None else None
        if report is not None and report.errors:
            return RenderFailure(
                "Kits invalides",
                f"L'aperçu ne peut pas afficher ce centre tant que ces problèmes ne sont pas corrigés "
                f"({wording.count(len(report.errors), 'erreur')}).",
                report.sorted(),
            )
        return RenderFailure(
            "Le centre ne peut pas être affiché",
            str(exc) or "La configuration de MkDocs est invalide.",
            [],
            "\n".join(logged) or None,
        )

    def reply(self, path: str) -> Reply:
        """Answer a request for `path` (relative to the centre's root): a page, a file, or the theme's 404."""
        path = unquote(path).lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        path = posixpath.normpath(path)
        file = self.by_url.get(path)
        if file is None:
            written = self._post_build_output(path)
            if written is not None:
                return Reply(200, content_type(path), written)
            return Reply(404, "text/html; charset=utf-8", self._not_found(path))
        if file.page is not None and file.is_documentation_page():
            if path not in self.rendered:
                self.rendered[path] = self._render(file.page)
            return Reply(200, "text/html; charset=utf-8", self.rendered[path])
        kind = content_type(path)
        if file.abs_src_path and os.path.isfile(file.abs_src_path):
            return Reply(200, kind, file=file.abs_src_path)
        return Reply(200, kind, file.content_bytes)

    def _post_build_output(self, path: str) -> bytes | None:
        """A file written by the plugins' post-build step (the hook's search index), run once per state of the sources."""
        if self.post_built is None:
            out = Path(self.config.site_dir)
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            try:
                self.config.plugins.on_post_build(config=self.config)
            except Exception as exc:
                raise RenderFailure("Erreur en fin de construction", "Un greffon a échoué en écrivant ses fichiers.",
                                    [_code_location(exc)], "".join(traceback.format_exception(exc, limit=-6))) from None
            self.post_built = out
        target = self.post_built / path
        if ".." in Path(path).parts or not target.is_file():
            return None
        return target.read_bytes()

    def _render(self, page: Page) -> bytes:
        config = self.config
        try:
            _populate(page, config, self.files)
            page.active = True
            context = get_context(self.nav, self.doc_files, config, page)
            template = self.env.get_template(page.meta.get("template", "main.html"))
            context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
            output = template.render(context)
            output = config.plugins.on_post_page(output, page=page, config=config)
        except Exception as exc:
            raise RenderFailure(
                "Erreur de rendu",
                f"La page « {page.file.src_uri} » n'a pas pu être rendue.",
                [_code_location(exc)],
                "".join(traceback.format_exception(exc, limit=-6)),
            ) from None
        finally:
            page.active = False
        return output.encode("utf-8", errors="xmlcharrefreplace")

    def _not_found(self, path: str) -> bytes:
        try:
            template = self.env.get_template("404.html")
        except jinja2.TemplateNotFound:
            return "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Page introuvable</title><h1>Page introuvable</h1>".encode()
        # Relative links from where the reader asked, so that the theme's files load under any prefix.
        context = get_context(self.nav, self.doc_files, self.config, base_url=utils.get_relative_url(".", path))
        return template.render(context).encode("utf-8")


def content_type(path: str) -> str:
    """MIME type of a served file, with the charset of text types."""
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


def _load_config(path: Path) -> MkDocsConfig:
    """`mkdocs.config.load_config`, with mkdocs.yml parsed once: the renderer is replaced when that file changes."""
    raw = _RAW_CONFIG.get(path)
    if raw is None:
        with open(path, "rb") as fd:
            raw = _RAW_CONFIG[path] = yaml_load(fd, get_yaml_loader(config=MkDocsConfig(config_file_path=str(path))))
    config = MkDocsConfig(config_file_path=str(path))
    config.load_dict(dict(copy.deepcopy(raw), site_dir=str(_output_dir() / "site")))
    errors, warnings = config.validate()
    for name, warning in warnings:
        logging.getLogger("mkdocs.config").warning(f"Config value '{name}': {warning}")
    for name, error in errors:
        logging.getLogger("mkdocs.config").error(f"Config value '{name}': {error}")
    if errors:
        raise ConfigurationError("mkdocs.yml contient une valeur invalide (voir ci-dessous).")
    return config


def _add_theme_files(files: Files, env: jinja2.Environment, config: MkDocsConfig) -> None:
    """`Files.add_files_from_theme`, with the theme's listing (tens of thousands of icons walked) done once."""
    global _THEME_FILES
    if _THEME_FILES is None:
        probe = Files([])
        probe.add_files_from_theme(env, config)
        _THEME_FILES = [(f.src_uri, f.src_dir) for f in probe if f.src_dir]
    for uri, folder in _THEME_FILES:
        if files.get_file_from_path(uri) is None:  # the docs folder may override a theme file
            files.append(File(uri, folder, config.site_dir, config.use_directory_urls))


def _populate(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Turn a page's Markdown into HTML with the plugins' page events, in the order `mkdocs build` runs them."""
    page = config.plugins.on_pre_page(page, config=config, files=files)
    _read_source(page, config)
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    page.render(config, files)
    page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)


def _read_source(page: Page, config: MkDocsConfig) -> None:
    """`Page.read_source`, with the front matter of unchanged pages parsed once."""
    source = config.plugins.on_page_read_source(page=page, config=config)
    if source is None:
        source = page.file.content_string
    parsed = _FRONT_MATTER.get(source)
    if parsed is None:
        if len(_FRONT_MATTER) >= MAX_FRONT_MATTER:
            _FRONT_MATTER.clear()
        parsed = _FRONT_MATTER[source] = meta.get_data(source)
    page.markdown, page.meta = parsed[0], copy.deepcopy(parsed[1])
