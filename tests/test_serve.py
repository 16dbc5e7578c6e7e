"""Live preview (scripts/serve.py): pages follow the sources, invalid kits give a French error page, the browser reloads."""
from __future__ import annotations

import html
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_kits
from kitcore import parts, watch

KITS = FIXTURES / "serve-kits"
STARTUP_SECONDS = 180  # a cold renderer on a busy two-core CI machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str, dict]:
    """Status, body and headers of a GET, without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=120) as resp:
            return resp.status, resp.read().decode("utf-8", "replace"), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)


class Server:
    """scripts/serve.py (or another program taking its options) in its own process group, its output in a file."""

    def __init__(self, kits: Path, log: Path, centre: str | None, program: str = "serve.py", *extra: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        cmd = [sys.executable, str(ROOT / "scripts" / program), "--kits", str(kits), "--port", str(self.port), *extra]
        if centre:
            cmd += ["--centre", centre]
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                         env=dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1"))
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"le serveur s'est arrêté :\n{self.output()}"
            try:
                if get(self.base + "/")[0] in (200, 500):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"le serveur n'a pas répondu en {STARTUP_SECONDS} s :\n{self.output()}")

    def output(self) -> str:
        """What the server printed so far (its terminal)."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Ctrl+C equivalent, then make sure no process of the group (server or renderer) is left."""
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass
        if not self.gone():
            os.killpg(self.proc.pid, signal.SIGKILL)

    def gone(self, seconds: float = 10) -> bool:
        """Wait until no process of the group (server or renderer) is left; False if some still run."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.1)
        return False


@pytest.fixture(scope="module")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the preview fixture kits, which the tests edit."""
    return copy_kits(KITS, tmp_path_factory.mktemp("serve") / "kits")


@pytest.fixture(scope="module")
def server(kits: Path, tmp_path_factory: pytest.TempPathFactory):
    """The preview of the associations centre, for the whole module."""
    srv = Server(kits, tmp_path_factory.mktemp("serve-log") / "terminal.txt", "associations")
    yield srv
    srv.stop()
    assert srv.proc.returncode is not None


class Edit:
    """Rewrite a file for one test and put it back afterwards."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_text(encoding="utf-8")

    def __enter__(self) -> "Edit":
        return self

    def write(self, text: str) -> None:
        self.path.write_text(text, encoding="utf-8")

    def __exit__(self, *exc) -> None:
        self.path.write_text(self.original, encoding="utf-8")


def test_serves_pages_with_nav_drafts_and_reload_script(server: Server) -> None:
    status, body, headers = get(server.base + "/kits/partenariat-local/methodologie.html")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "Nouer un partenariat local" in body  # the kit's context line and navigation
    assert "86\u00a0%" in body or "86 %" in body  # the figure, expanded by the hook
    assert "/__livereload" in body
    status, body, _ = get(server.base + "/kits/projet-en-cours/index.html")
    assert status == 200 and "Brouillon" in body  # drafts are shown in preview, and said to be drafts
    status, body, _ = get(server.base + "/")
    assert status == 200 and "Centre des associations" in body and "Projet en cours de rédaction" in body


def _get_with_host(port: int, path: str, host: str) -> tuple[int, str]:
    """Status and body of a GET whose Host header names `host` (as a page of a rebinding site would)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, html.unescape(resp.read().decode("utf-8", "replace"))
    finally:
        conn.close()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_loopback_host_names_are_served(server: Server, host: str) -> None:
    assert _get_with_host(server.port, "/index.html", host.format(port=server.port))[0] == 200


@pytest.mark.parametrize("host", ["pirate.example:{port}", "pirate.example", "127.0.0.1", "127.0.0.1:{other}",
                                  "localhost.pirate.example:{port}", "127.0.0.1.nip.io:{port}", ""])
def test_other_host_names_are_refused_in_french(server: Server, host: str) -> None:
    # DNS rebinding: another site's page, its name now resolving to 127.0.0.1, must not read the preview.
    for path in ("/index.html", "/kits/partenariat-local/methodologie.html", "/__livereload?v=x"):
        status, body = _get_with_host(server.port, path, host.format(port=server.port, other=server.port + 1))
        assert status == 403
        assert "Adresse refusée" in body and "Cet aperçu ne répond qu'aux adresses de cette machine" in body
        assert "partenariat" not in body.lower()


def test_theme_files_and_unknown_pages(server: Server) -> None:
    _, body, _ = get(server.base + "/index.html")
    css = body.split('href="assets/stylesheets/main.', 1)[1].split('"', 1)[0]
    status, text, headers = get(f"{server.base}/assets/stylesheets/main.{css}")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and len(text) > 1000
    assert get(server.base + "/kits/nulle-part.html")[0] == 404


def test_files_written_after_the_build_are_served(server: Server) -> None:
    # The hook writes the search index in its post-build step; the preview runs that step when the file is asked for.
    status, index, _ = get(server.base + "/recherche/index.js")
    assert status == 200 and "Choisir ses outils numériques" in index


def test_edited_part_is_served_at_once(server: Server, kits: Path) -> None:
    with Edit(kits / "outils-numeriques" / "illustrations.md") as edit:
        edit.write(edit.original + "\nUne phrase ajoutée pendant l'aperçu.\n")
        status, body, _ = get(server.base + "/kits/outils-numeriques/illustrations.html")
        assert status == 200 and "Une phrase ajoutée pendant" in body
    status, body, _ = get(server.base + "/kits/outils-numeriques/illustrations.html")
    assert "Une phrase ajoutée" not in body


def test_new_title_reaches_navigation_and_lists_of_other_pages(server: Server, kits: Path) -> None:
    with Edit(kits / "outils-numeriques" / "kit.yml") as edit:
        edit.write(edit.original.replace("Choisir ses outils numériques", "Outils libres pour tous"))
        _, challenge, _ = get(server.base + "/enjeux/numerique/index.html")  # navigation and card list of another page
        assert "Outils libres pour tous" in challenge and "Choisir ses outils numériques" not in challenge
        _, home, _ = get(server.base + "/index.html")
        assert "Outils libres pour tous" in home
    _, challenge, _ = get(server.base + "/enjeux/numerique/index.html")
    assert "Choisir ses outils numériques" in challenge


def test_markdown_in_fichiers_is_never_rendered_as_a_page(server: Server, kits: Path) -> None:
    # A reviewer previewing a pull request: a .md among the kit's files is refused, never rendered with its script.
    note = kits / "partenariat-local" / "fichiers" / "note.md"
    note.parent.mkdir(exist_ok=True)
    note.write_text("---\ntitle: <script>alert(1)</script>\n---\n\n<script>alert(2)</script>\n", encoding="utf-8")
    try:
        for path in ("/kits/partenariat-local/fichiers/note.html", "/kits/partenariat-local/fichiers/note.md",
                     "/kits/partenariat-local/index.html"):
            status, body, _ = get(server.base + path)
            assert status != 200, path
            assert "<script>alert" not in body
        status, body, _ = get(server.base + "/kits/partenariat-local/index.html")
        assert "Kits invalides" in body and "serait publié comme une page du site" in html.unescape(body)
    finally:
        note.unlink()
    assert get(server.base + "/kits/partenariat-local/index.html")[0] == 200


def test_invalid_kit_gives_french_error_page_then_recovers(server: Server, kits: Path) -> None:
    path = kits / "partenariat-local" / "kit.yml"
    with Edit(path) as edit:
        lines = edit.original.splitlines()
        line = next(i for i, row in enumerate(lines, 1) if row.startswith("mise_a_jour:"))
        lines[line - 1] = "mise_a_jour: un jour prochain"
        edit.write("\n".join(lines) + "\n")
        status, body, _ = get(server.base + "/kits/partenariat-local/index.html")
        assert status == 500
        assert '<html lang="fr">' in body and "Kits invalides" in body
        assert f"kits/partenariat-local/kit.yml, ligne {line}" in body
        assert "/__livereload" in body  # the error page reloads itself once the kit is fixed
        assert get(server.base + "/kits/outils-numeriques/index.html")[0] == 500  # the whole centre waits for the fix
        assert "partenariat-local/kit.yml" in server.output()  # and the terminal says it too
    status, body, _ = get(server.base + "/kits/partenariat-local/index.html")
    assert status == 200 and "Nouer un partenariat local" in body
    assert server.proc.poll() is None


def test_reload_endpoint_answers_when_sources_change(server: Server, kits: Path) -> None:
    _, body, _ = get(server.base + "/index.html")
    version = body.split('var v="', 1)[1].split('"', 1)[0]
    with Edit(kits / "outils-numeriques" / next(p for p in parts.PARTS if p.downloads).file) as edit:
        edit.write(edit.original + "\nEncore une ligne.\n")
        status, newer, _ = get(f"{server.base}/__livereload?v={version}")  # returns as soon as the watcher sees it
        assert status == 200 and newer != version


def test_portal_serves_every_centre(kits: Path, tmp_path: Path) -> None:
    srv = Server(kits, tmp_path / "terminal.txt", None)
    try:
        status, body, _ = get(srv.base + "/")
        assert status == 200 and "Centre des associations" in body and "Centre des entreprises" in body
        assert 'href="entreprises/index.html"' in body
        status, body, _ = get(srv.base + "/entreprises/index.html")
        assert status == 200 and "Centre des entreprises" in body and "Nouer un partenariat local" in body
        assert "Choisir ses outils numériques" not in body  # a kit for associations only
        status, _, headers = get(srv.base + "/associations")
        assert status == 301 and headers["Location"] == "/associations/"
        status, body, _ = get(srv.base + "/associations/")
        assert status == 200 and "Choisir ses outils numériques" in body
        assert get(srv.base + "/inconnu/index.html")[0] == 404
        # The portal's cross-centre search works in preview too, drafts included.
        status, body, _ = get(srv.base + "/")
        assert 'id="recherche-champ"' in body
        status, body, headers = get(srv.base + "/recherche/index.js")
        assert status == 200 and body.startswith("window.") and "Choisir ses outils numériques" in body
        assert get(srv.base + "/recherche/search.js")[0] == 200
        status, body, _ = get(srv.base + "/associations.zip")
        assert status == 404 and "make build" in body
    finally:
        srv.stop()


def test_watcher_sorts_content_from_code(tmp_path: Path) -> None:
    kits, docs, hooks = tmp_path / "kits", tmp_path / "docs", tmp_path / "hooks"
    for folder in (kits / "k", docs, hooks):
        folder.mkdir(parents=True)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n")
    (kits / "k" / "kit.yml").write_text("titre: a\n")
    watcher = watch.Watcher(watch.watch_list(tmp_path, kits))
    assert not watcher.poll()
    (kits / "k" / "kit.yml").write_text("titre: ab\n")
    (kits / "k" / ".kit.yml.swp").write_text("scratch")
    change = watcher.poll()
    assert change.content == [str(kits / "k" / "kit.yml")] and change.code == []
    (hooks / "centre.py").write_text("x = 1\n")
    change = watcher.poll()
    assert str(hooks / "centre.py") in change.code and change.content == []
    (docs / "a.md").write_text("# A\n")
    assert str(docs / "a.md") in watcher.poll().content
    assert not watcher.poll()


def test_bug_in_hook_code_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kitcore.engines.mkdocs.preview import CentreSite, RenderFailure

    for name in ("KITS_DIR", "BROUILLONS", "CENTRE"):  # the renderer sets them for the hook; restore them after
        monkeypatch.setenv(name, "")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Accueil\n")
    hook = tmp_path / "crochet.py"
    hook.write_text("def on_config(config):\n    return config.absent_partout\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Essai\ndocs_dir: {tmp_path / 'docs'}\nhooks:\n  - {hook}\n")
    with pytest.raises(RenderFailure) as failure:
        CentreSite(config, KITS, None)
    assert failure.value.title == "Erreur dans le code du centre"
    [problem] = failure.value.problems
    assert problem.file == str(hook) and problem.line == 2 and "absent_partout" in problem.message


@pytest.mark.browser
def test_browser_reloads_after_an_edit(server: Server, kits: Path, browser) -> None:
    page = browser.new_page()
    try:
        page.goto(server.base + "/kits/outils-numeriques/methodologie.html")
        page.evaluate("window.avantRechargement = true")
        with Edit(kits / "outils-numeriques" / "methodologie.md") as edit:
            edit.write(edit.original + "\nTexte apparu sans recharger à la main.\n")
            # While the page reloads there is a moment without a body: wait through it.
            page.wait_for_function("document.body !== null && document.body.innerText.includes('Texte apparu sans recharger')",
                                   timeout=60_000)
            assert page.evaluate("window.avantRechargement === undefined")  # a real reload, by the page itself
    finally:
        page.close()


def test_ctrl_c_stops_the_preview_without_a_traceback(server: Server) -> None:
    # Last of the module: it stops the shared server. Ctrl+C reaches the whole process group (server and renderer).
    # A page asked first waits for any render still running after the previous tests' edits (requests go to the
    # renderer one at a time), so that nothing is printed after « Aperçu arrêté. » on a busy machine.
    assert get(server.base + "/index.html")[0] == 200
    os.killpg(server.proc.pid, signal.SIGINT)
    try:
        server.proc.wait(timeout=120)  # a render still running on a loaded machine finishes first
    except subprocess.TimeoutExpired:
        os.kill(server.proc.pid, signal.SIGUSR1)  # the server's threads, printed where they wait (faulthandler)
        time.sleep(1)
        pytest.fail("l'aperçu ne s'est pas arrêté en 120 s :\n" + server.output()[-6000:])
    assert server.gone(), "le processus de rendu de l'aperçu ne s'est pas arrêté"
    output = server.output()
    assert server.proc.returncode == 0
    assert output.rstrip().endswith("Aperçu arrêté."), output[-2000:]
    assert "Traceback" not in output and "KeyboardInterrupt" not in output


def test_stop_does_not_wait_for_a_render_in_progress(tmp_path: Path) -> None:
    """The root of Ctrl+C hanging: stop() must not wait for the lock that a long render holds, nor start a new one."""
    import threading

    from preview.server import Supervisor

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Accueil\n")
    entered, gate = tmp_path / "rendu-commence", tmp_path / "rendu-libre"
    hook = tmp_path / "crochet.py"
    hook.write_text(  # a render that waits on a file the test never creates until the end
        "import pathlib, time\n"
        "def on_page_context(context, page, config, nav):\n"
        f"    pathlib.Path({str(entered)!r}).touch()\n"
        "    for _ in range(2400):\n"
        f"        if pathlib.Path({str(gate)!r}).exists():\n"
        "            break\n"
        "        time.sleep(0.05)\n"
        "    return context\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Essai\ndocs_dir: {tmp_path / 'docs'}\nsite_dir: {tmp_path / 'site'}\n"
                      f"hooks:\n  - {hook}\n")
    supervisor = Supervisor(config, KITS, "associations")  # one centre: index.html is a page MkDocs renders
    replies: list = []
    request = threading.Thread(target=lambda: replies.append(supervisor.request("v1", "index.html")), daemon=True)
    request.start()
    for _ in range(2400):
        if entered.exists():
            break
        time.sleep(0.05)
    assert entered.exists(), "le rendu n'a pas commencé"
    renderer = supervisor.proc
    stopper = threading.Thread(target=supervisor.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=60)
    try:
        assert not stopper.is_alive(), "stop() attend la fin du rendu en cours"
        assert not gate.exists() and renderer is not None and renderer.poll() is not None
        request.join(timeout=60)
        assert replies and replies[0].status == 503
        assert supervisor.request("v2", "index.html").status == 503 and supervisor.proc is None  # none restarted
    finally:
        gate.touch()


def test_preview_programs_share_their_options_and_listen_on_loopback_only() -> None:
    from kitcli import editeur, serve

    for program in (serve, editeur):
        with pytest.raises(SystemExit):  # argparse refuses an unknown option, in French usage text
            program.main(["--host", "0.0.0.0"])
    options = serve.parser("x")
    assert {a.dest for a in options._actions} >= {"kits", "centre", "port"} and "host" not in {a.dest for a in options._actions}
    assert serve.main(["--kits", "/dossier/absent"]) == 1 and editeur.main(["--kits", "/dossier/absent"]) == 1


@pytest.mark.parametrize("option, value", [("--port", "99999"), ("--port", "0"), ("--port", "-1"), ("--port", "huit"),
                                           ("--port-editeur", "70000")])
def test_a_port_out_of_range_is_refused_in_french(capsys: pytest.CaptureFixture[str], option: str, value: str) -> None:
    # 99999 reached socket.bind, whose OverflowError printed a traceback; decap-server printed a Node.js one.
    from kitcli import editeur, serve

    programs = (serve, editeur) if option == "--port" else (editeur,)
    for program in programs:
        with pytest.raises(SystemExit) as stopped:
            program.main(["--kits", str(ROOT / "tests" / "fixtures" / "offline-kits"), option, value])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert f"un port est un nombre entier de 1 à 65535, pas « {value} »" in err and "Traceback" not in err


def test_a_dropped_connection_prints_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    """A browser resetting a keep-alive connection (seen just before Ctrl+C) is not reported; a real bug still is."""
    from preview.server import _Server

    server = _Server(("127.0.0.1", 0), __import__("http.server").server.BaseHTTPRequestHandler, bind_and_activate=False)
    try:
        for error in (ConnectionResetError(104, "Connection reset by peer"), ValueError("vrai bogue")):
            try:
                raise error
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert "ConnectionResetError" not in err and "vrai bogue" in err
