"""The preview's HTTP server: it watches the sources, keeps a renderer process current and reloads the browser."""
from __future__ import annotations

import collections
import faulthandler
import os
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kitcore import notice, problems, watch, wording
from kitcore.inputs import ROOT

from . import channel, editor
from .channel import Reply

HTML = "text/html; charset=utf-8"
# Loopback only, never an option: the preview shows drafts, and answers only this machine's names (Handler).
HOST = "127.0.0.1"
POLL_SECONDS = 0.1
LONG_POLL_SECONDS = 25.0
# Preview only, never in a built site: asks the server for the sources' version and reloads when it moves.
RELOAD_SCRIPT = """<script>/* aperçu : rechargement automatique */(function(){var v=%s;
function poll(){fetch("/__livereload?v="+encodeURIComponent(v),{cache:"no-store"}).then(function(r){
if(!r.ok)throw new Error(r.status);return r.text()}).then(function(t){if(t!==v){location.reload()}else{poll()}})
.catch(function(){setTimeout(poll,1000)})}poll()})();</script>"""
_BODY_END = re.compile(rb"</body\s*>", re.I)


def inject_reload(html: bytes, version: str) -> bytes:
    """The page with the reload script added just before </body> (or at the end)."""
    script = (RELOAD_SCRIPT % ('"' + version.replace('"', "") + '"')).encode()
    found = list(_BODY_END.finditer(html))
    if not found:
        return html + script
    at = found[-1].start()
    return html[:at] + script + html[at:]


class Supervisor:
    """Owns the renderer process: starts it, forwards requests to it one at a time, replaces it when code changes."""

    def __init__(self, config: Path, kits: Path, centre: str | None) -> None:
        self.args = ["--config", str(config), "--kits", str(kits)] + (["--centre", centre] if centre else [])
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.proc: subprocess.Popen | None = None
        self.errors: collections.deque[str] = collections.deque(maxlen=40)

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
        self.errors.clear()
        proc = subprocess.Popen([sys.executable, "-m", "preview.worker", *self.args], cwd=ROOT, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.relay = threading.Thread(target=self._relay, args=(proc,), daemon=True)
        self.relay.start()
        return proc

    def _relay(self, proc: subprocess.Popen) -> None:
        # The renderer's messages go to the terminal as they come; the last ones are kept in case it dies.
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace")
            sys.stderr.write(line)
            sys.stderr.flush()
            self.errors.append(line.rstrip("\n"))

    def request(self, version: str, path: str) -> Reply:
        """The renderer's reply for `path` at `version`; a French error page if the renderer is broken."""
        with self.lock:
            for attempt in (1, 2):
                if self.stopped.is_set():
                    return _stopped_reply()
                if self.proc is None or self.proc.poll() is not None:
                    self.proc = self._start()
                try:
                    channel.send(self.proc.stdin, (version, path))
                    return channel.receive(self.proc.stdout)
                except (EOFError, OSError, ValueError):  # ValueError: a pipe closed by stop() meanwhile
                    self._stop_locked()
                    # A renderer that dies at once on a fresh start is broken code: say so rather than loop.
            if self.stopped.is_set():
                return _stopped_reply()
            time.sleep(0.2)  # let the relay thread collect the last messages
            detail = "\n".join(self.errors) or None
            page = notice.render_error_page(
                "Le moteur d'aperçu s'est arrêté",
                "Le processus de rendu n'a pas pu démarrer ou s'est interrompu, probablement à cause d'une erreur dans "
                "le code (hooks/ ou mkdocs.yml). Le message ci-dessous indique le fichier et la ligne.",
                _locations(detail or ""), detail)
            return Reply(500, HTML, page.encode())

    def restart(self) -> None:
        """Replace the renderer, so that changed code, configuration or theme is loaded afresh."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            # Without waiting for the lock: a renderer stuck in a buggy hook must not outlive the fix. A request
            # it was serving is simply retried by a fresh renderer.
            proc.terminate()
        with self.lock:
            self._stop_locked()

    def stop(self) -> None:
        """Stop the renderer process for good, at once: a render in progress is abandoned, no new one starts."""
        self.stopped.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            # Without waiting for the lock, which a request holds for as long as its page renders: the renderer
            # exits on SIGTERM, and that request gets the end of its pipe at once.
            proc.terminate()
        with self.lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            if proc.stdout:
                proc.stdout.close()
        relay = getattr(self, "relay", None)
        if relay is not None and relay is not threading.current_thread():
            relay.join(timeout=2)  # the renderer's last messages are printed before whatever follows the stop
            if not relay.is_alive() and proc.stderr:
                proc.stderr.close()


def _stopped_reply() -> Reply:
    page = notice.render_error_page("Aperçu arrêté", "Le serveur d'aperçu s'arrête : relancez « make serve ».")
    return Reply(503, HTML, page.encode())


def _locations(detail: str) -> list[problems.Problem]:
    """`File "…/hooks/x.py", line 12` in a traceback, as problems naming the project's files."""
    found = []
    for path, line in re.findall(r'File "([^"]+)", line (\d+)', detail):
        p = Path(path)
        if p.is_relative_to(ROOT) and ".venv" not in p.parts:
            found.append(problems.Problem(p.relative_to(ROOT).as_posix(), int(line), "erreur signalée ici"))
    return found[-1:]


class Preview:
    """The state shared by request threads: the sources' version, its watcher and the renderer."""

    def __init__(self, kits: Path, centre: str | None, config: Path = ROOT / "mkdocs.yml",
                 editor: Path | None = None) -> None:
        self.kits, self.centre = kits.resolve(), centre
        self.editor = editor  # the web editor's folder, served at /editeur/ (make editeur), if any
        self.watcher = watch.Watcher(watch.watch_list(ROOT, self.kits, config))
        self.supervisor = Supervisor(config, self.kits, centre)
        self.boot = format(time.time_ns() // 1_000_000 % 10**9, "d")
        self.count = 0
        self.changed = threading.Condition()
        self.refreshing = threading.Lock()
        self.last_path = "/"
        self.stopping = threading.Event()

    @property
    def version(self) -> str:
        """Changes whenever a watched file does (and with every server start)."""
        return f"{self.boot}-{self.count}"

    def refresh(self) -> bool:
        """Look for changed sources; bump the version (and replace the renderer for code) if any. True if changed."""
        # One refresh at a time, from the look at the files to the new version: a request arriving meanwhile
        # waits for it, rather than finding no change and being served the previous version's page.
        with self.refreshing:
            change = self.watcher.poll()
            if not change:
                return False
            if change.code:
                self.supervisor.restart()
            with self.changed:
                self.count += 1
                self.changed.notify_all()
        shown = [self._display(p) for p in change.code + change.content][:3]
        more = len(change.code) + len(change.content) - len(shown)
        others = f" (et {wording.count(more, 'autre')})" if more > 0 else ""
        print(f"Modifié : {', '.join(shown)}{others}", file=sys.stderr, flush=True)
        return True

    def _display(self, path: str) -> str:
        p = Path(path)
        for base in (ROOT, self.kits.parent):
            if p.is_relative_to(base):
                return p.relative_to(base).as_posix()
        return path

    def wait_change(self, seen: str, timeout: float) -> str:
        """Block until the version differs from `seen` (or `timeout`); return the current version."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.version == seen and not self.stopping.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(min(left, 1.0))
            return self.version

    def watch_forever(self) -> None:
        """Poll the sources; after a change, render the last page viewed at once, so the reload finds it ready."""
        while not self.stopping.wait(POLL_SECONDS):
            if self.refresh():
                self.supervisor.request(self.version, self.last_path)

    def reply(self, path: str) -> Reply:
        """The reply for a request, from sources checked just now for pages (so a page is never older than its files)."""
        page = path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]
        if page:
            self.refresh()
        version = self.version
        reply = self.supervisor.request(version, path)
        if reply.content_type.startswith("text/html"):
            if page and reply.status == 200:
                self.last_path = path
            reply.body = inject_reload(reply.body, version)
        return reply


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD only: pages and files from the renderer, and the reload long-poll."""

    preview: Preview
    server_version = "apercu"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        if not self._host_allowed():
            # DNS rebinding: a page of another site, once its name points at 127.0.0.1, would read the preview
            # (drafts included) from the reviewer's browser. Its requests carry that site's name in Host.
            where = f"http://127.0.0.1:{self.server.server_address[1]}/"
            page = notice.render_error_page(
                "Adresse refusée",
                f"Cet aperçu ne répond qu'aux adresses de cette machine ({where}, localhost ou [::1]) : la requête "
                "est arrivée sous un autre nom, peut-être envoyée par un autre site.",
                hint=f"Ouvrez l'aperçu à l'adresse {where}.")
            return self._send(Reply(403, HTML, page.encode()), body)
        url = urlsplit(self.path)
        if url.path == "/__livereload":
            seen = parse_qs(url.query).get("v", [""])[0]
            version = self.preview.wait_change(seen, LONG_POLL_SECONDS).encode()
            return self._send(Reply(200, "text/plain; charset=utf-8", version), body)
        if self.preview.editor is not None and (url.path + "/").startswith(f"/{editor.cms.FOLDER}/"):
            return self._send(editor.static_reply(self.preview.editor, url.path), body)
        self._send(self.preview.reply(url.path), body)

    def _host_allowed(self) -> bool:
        """True if the request names this server by a loopback name and its port (or the address it listens on)."""
        host, port = self.server.server_address[:2]
        names = {"127.0.0.1", "localhost", "[::1]"}
        if host not in ("", "0.0.0.0", "::"):
            names.add(f"[{host}]" if ":" in host else host)
        allowed = {f"{name}:{port}" for name in names} | (names if port == 80 else set())
        return (self.headers.get("Host") or "").strip().lower() in allowed

    def _send(self, reply: Reply, body: bool) -> None:
        data = reply.body
        if reply.file is not None:
            try:
                data = Path(reply.file).read_bytes()
            except OSError:
                page = notice.render_error_page("Fichier introuvable", "Ce fichier a disparu pendant la requête.",
                                                hint=notice.BACK_HINT)
                reply, data = Reply(404, HTML), page.encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went elsewhere meanwhile

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        if args and str(args[1] if len(args) > 1 else "").startswith(("4", "5")) and "/__livereload" not in str(args[0]):
            sys.stderr.write(f"Requête {args[0]!s} : {args[1]}\n")


class _Server(ThreadingHTTPServer):
    """The preview's HTTP server: a browser that drops its connection is not an error worth a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001 - socketserver's signature
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # a reset or closed keep-alive connection (a tab closed, the browser stopped)
        super().handle_error(request, client_address)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(kits: Path, centre: str | None, port: int = 8000, editor_folder: Path | None = None) -> int:
    """Run the preview (with the web editor at /editeur/ when given its folder) until interrupted; return the status."""
    preview = Preview(kits, centre, editor=editor_folder)
    handler = type("BoundHandler", (Handler,), {"preview": preview})
    host = HOST
    try:
        server = _Server((host, port), handler)
    except OSError as exc:
        print(f"Impossible d'écouter sur {host}:{port} ({exc.strerror or exc}) : le port est peut-être déjà utilisé ; "
              "choisissez-en un autre avec --port (make serve PORT=8001).", file=sys.stderr)
        return 1
    # Ctrl+C stops the preview even when it was started with SIGINT ignored (a shell's background job), which
    # Python would otherwise keep.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    # `kill -USR1 <pid>` prints where every thread stands: what a preview that does not stop is waiting for.
    if hasattr(signal, "SIGUSR1"):  # not on Windows
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    where = f"http://{host}:{server.server_address[1]}/"
    what = f"du centre « {centre} »" if centre else "du portail et de tous les centres"
    print(f"Aperçu {what} : {where}  (brouillons visibles ; Ctrl+C pour arrêter)", file=sys.stderr, flush=True)
    if editor_folder is not None:
        print(f"Éditeur web : {where}{editor.cms.FOLDER}/  (chaque enregistrement s'écrit dans {kits}/ et "
              "s'affiche dans l'aperçu)", file=sys.stderr, flush=True)
    threading.Thread(target=preview.supervisor.request, args=(preview.version, "/"), daemon=True).start()
    watcher = threading.Thread(target=preview.watch_forever, daemon=True)
    watcher.start()
    interrupted = False
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        preview.stopping.set()
        with preview.changed:
            preview.changed.notify_all()
        server.server_close()
        preview.supervisor.stop()
    if interrupted:
        # Last, once the renderer has stopped: nothing it was still rendering is printed after this line.
        print("\nAperçu arrêté.", file=sys.stderr)
    return 0
