"""The renderer process of the preview: answers page requests from the server, reloading sources when they change."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from pathlib import Path

from kitcore import checks, engines, notice, pages, portal, problems, search, wording
from kitcore.kits import Corpus

from . import channel
from .channel import Reply
from kitcore.engines.mkdocs.preview import CentreSite, RenderFailure, content_type

HTML = "text/html; charset=utf-8"
log = logging.getLogger("apercu")
kits_log = logging.getLogger("apercu.kits")  # the kits' problems: not repeated when unchanged (Terminal)
# The preview shows drafts: an editor sees a kit before it is published.
DRAFTS = True


class Terminal(logging.Handler):
    """Prints MkDocs' and the hook's messages in French; a message already shown at the previous load is not repeated."""

    LEVELS = {logging.ERROR: "ERREUR", logging.WARNING: "ATTENTION", logging.INFO: "INFO"}

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.previous: set[str] = set()
        self.current: set[str] = set()

    def new_load(self) -> None:
        """Start a new load: messages of the load before it count as already shown."""
        self.previous, self.current = self.current, set()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.name != "apercu":
            self.current.add(text)
            if text in self.previous:
                return
        label = self.LEVELS.get(record.levelno, "ERREUR" if record.levelno > logging.ERROR else "INFO")
        print(f"{label:<9} {text}", file=sys.stderr, flush=True)


class Renderer:
    """Every centre of a kits tree (or one), each loaded lazily and reloaded when the sources' version changes."""

    def __init__(self, config_file: Path, kits: Path, centre: str | None, terminal: Terminal) -> None:
        self.config_file = config_file
        self.kits = kits
        self.centre = centre
        self.terminal = terminal
        self.version: str | None = None
        self.sites: dict[str | None, CentreSite | RenderFailure] = {}
        # What the portal needs, computed once per version of the sources (a request may ask for it several times).
        self.corpus: Corpus | RenderFailure | None = None
        self.portal_index: bytes | None = None

    def handle(self, version: str, path: str) -> Reply:
        """Answer a request for `path` with the sources as they are at `version`."""
        if version != self.version:
            self.version, self.sites, self.corpus, self.portal_index = version, {}, None, None
        if path.endswith(".zip"):
            # Archives are made by `make build` only: say so rather than a bare « page introuvable ».
            page = notice.render_error_page(
                "Archive hors ligne non disponible dans l'aperçu",
                "L'archive zip d'un centre est produite par « make build » (dans site/) : l'aperçu n'en fabrique pas.",
                hint=notice.BACK_HINT)
            return Reply(404, HTML, page.encode())
        if self.centre is not None:
            return self._centre_reply(self.centre, path)
        return self._portal_reply(path)

    def _site(self, centre: str | None) -> CentreSite | RenderFailure:
        if centre not in self.sites:
            # One centre at a time: the hook keeps the centre it configured last in module state, as under
            # `mkdocs build`, so moving to another centre reloads it.
            self.sites.clear()
            start = time.perf_counter()
            self.terminal.new_load()
            try:
                self.sites[centre] = CentreSite(self.config_file, self.kits, centre, job=self._job(centre))
                log.info(f"Centre « {centre} » à jour ({(time.perf_counter() - start) * 1000:.0f} ms).")
            except RenderFailure as failure:
                self.sites[centre] = failure
                count = len(failure.problems)
                log.error(f"{failure.title} : l'aperçu affiche la page d'erreur"
                          + (f" ({wording.count(count, 'problème')})." if count else "."))
                for p in failure.problems:
                    if p.text() not in self.terminal.current:  # already printed with the kits' check
                        log.error(p.text())
                if failure.detail:
                    log.error(failure.detail)
        return self.sites[centre]

    def _job(self, centre: str | None) -> engines.CentreJob:
        """The centre to hand to the renderer, modelled from the kits checked once for this version."""
        corpus = self._corpus()
        if isinstance(corpus, RenderFailure):
            raise RenderFailure("Kits invalides", f"L'aperçu ne peut pas afficher ce centre tant que ces problèmes ne "
                                f"sont pas corrigés ({wording.count(_errors(corpus), 'erreur')}).", corpus.problems)
        ids = [a.id for a in corpus.audiences]
        if centre is not None and centre not in ids:
            raise RenderFailure("Le centre ne peut pas être affiché",
                                f"Centre inconnu « {centre} ». Centres possibles : {', '.join(ids)}.")
        model = pages.build_centre(corpus, centre or ids[0], DRAFTS)
        return engines.CentreJob(corpus, model, self.kits, Path(), DRAFTS)

    def _centre_reply(self, centre: str | None, path: str) -> Reply:
        site = self._site(centre)
        try:
            if isinstance(site, RenderFailure):
                raise site
            return site.reply(path)
        except RenderFailure as failure:
            if failure is not site:
                log.error(str(failure))
            return Reply(500, HTML, _failure_page(failure))

    def _portal_reply(self, path: str) -> Reply:
        path = path.lstrip("/")
        head, _, rest = path.partition("/")
        if head in ("", "index.html"):
            return self._portal()
        if head == search.FOLDER:
            return self._portal_search(rest)
        corpus = self._corpus()
        if isinstance(corpus, RenderFailure):
            return Reply(500, HTML, _failure_page(corpus))
        ids = [a.id for a in corpus.audiences]
        if head in ids:
            if not _ and not rest:  # "/associations" → "/associations/", so that relative links resolve
                return Reply(301, HTML, b"", headers=(("Location", f"/{head}/"),))
            return self._centre_reply(head, rest)
        page = notice.render_error_page("Page introuvable", f"Aucun centre ne s'appelle « {head} ». Centres possibles : "
                                        f"{', '.join(ids)}. Revenez au portail : /", hint=notice.BACK_HINT)
        return Reply(404, HTML, page.encode())

    def _corpus(self) -> Corpus | RenderFailure:
        """The kits, checked once per version of the sources; a failure page's content when they are invalid."""
        if self.corpus is None:
            corpus, report = checks.check_kits(self.kits)
            for problem in report.sorted():
                (kits_log.error if problem.severity == problems.ERROR else kits_log.info)(problem.text())
            self.corpus = corpus if not report.errors else RenderFailure(
                "Kits invalides", "L'aperçu ne peut pas afficher ces pages tant que ces problèmes ne sont pas corrigés.",
                report.sorted())
        return self.corpus

    def _portal(self) -> Reply:
        corpus = self._corpus()
        if isinstance(corpus, RenderFailure):
            return Reply(500, HTML, _failure_page(corpus))
        summaries = [portal.CentreSummary(a.id, a.titre_centre, a.nom, a.description, len(corpus.kits_for(a.id, True)))
                     for a in corpus.audiences]
        page = portal.render_portal(corpus, summaries, "Centres de ressources — aperçu", search_box=search.search_box())
        return Reply(200, HTML, page.encode())

    def _portal_search(self, name: str) -> Reply:
        """The portal's cross-centre search: its scripts, and its index built from the current sources, drafts included."""
        if name in search.ASSET_FILES:
            return Reply(200, content_type(name), file=str(search.WEB_DIR / name))
        if name != search.INDEX_FILE:
            page = notice.render_error_page("Page introuvable", f"La recherche n'a pas de fichier « {name} ».",
                                            hint=notice.BACK_HINT)
            return Reply(404, HTML, page.encode())
        corpus = self._corpus()
        if isinstance(corpus, RenderFailure):
            return Reply(500, HTML, _failure_page(corpus))
        if self.portal_index is None:
            ids = [a.id for a in corpus.audiences]
            names = {a.id: a.nom for a in corpus.audiences}
            data = search.payload(search.portal_documents(corpus, ids, DRAFTS), names)
            self.portal_index = search.index_script(data).encode()
        return Reply(200, content_type(name), self.portal_index)


def _errors(failure: RenderFailure) -> int:
    return sum(p.severity == problems.ERROR for p in failure.problems)


def _failure_page(failure: RenderFailure) -> bytes:
    return notice.render_error_page(failure.title, failure.intro, failure.problems, failure.detail).encode()


def main(argv: list[str] | None = None) -> int:
    """Serve requests read from stdin until the server closes the pipe."""
    parser = argparse.ArgumentParser(description="Processus de rendu de l'aperçu (lancé par scripts/serve.py).")
    parser.add_argument("--config", required=True)
    parser.add_argument("--kits", required=True)
    parser.add_argument("--centre")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # exit through atexit: the private output folder goes too
    # Ctrl+C reaches the whole process group: the server stops this process itself (by closing its input),
    # so the renderer ignores it rather than print a traceback after « Aperçu arrêté. ».
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol owns the real stdout; anything printed by a plugin goes to the terminal instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    terminal = Terminal()
    for name, level in (("mkdocs", logging.WARNING), ("mkdocs.hooks", logging.INFO), ("apercu", logging.INFO)):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.propagate = name != "mkdocs"
        if name in ("mkdocs", "apercu"):
            logger.addHandler(terminal)
    renderer = Renderer(Path(args.config), Path(args.kits), args.centre, terminal)
    stdin = sys.stdin.buffer
    while True:
        try:
            version, path = channel.receive(stdin)
        except EOFError:
            return 0
        channel.send(out, renderer.handle(version, path))


if __name__ == "__main__":
    sys.exit(main())
