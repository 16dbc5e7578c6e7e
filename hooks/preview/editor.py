"""The web editor on the working copy: Decap CMS served by the preview, writing through a local decap-server."""
from __future__ import annotations

import json
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from kitcore import cms
from kitcore.inputs import ROOT
from kitcore.kits import load_corpus
from kitcore.problems import Report

from .channel import Reply

SERVER = ROOT / "node_modules" / "decap-server" / "dist" / "index.js"
START_SECONDS = 20.0
TYPES = {".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
         ".wasm": "application/wasm", ".yml": "text/yaml; charset=utf-8", ".json": "application/json; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


class EditorError(Exception):
    """The local editor cannot start, explained in French."""


def build_folder(kits: Path, proxy_port: int) -> Path:
    """A temporary folder holding the editor configured for the local server; the caller removes it."""
    folder = Path(tempfile.mkdtemp(prefix="editeur-"))
    try:
        cms.publish_editor(load_corpus(kits, Report()), folder / cms.FOLDER, local=True, proxy_port=proxy_port,
                           collection_folder=kits.name)
    except cms.EditorMissing as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise EditorError(str(exc)) from None
    return folder / cms.FOLDER


def static_reply(folder: Path, path: str) -> Reply:
    """A file of the editor's folder for `/editeur/…` (index.html for the folder itself); 404 outside it."""
    rel = path.removeprefix("/" + cms.FOLDER).lstrip("/") or "index.html"
    target = (folder / rel).resolve()
    if not target.is_relative_to(folder.resolve()) or not target.is_file():
        return Reply(404, "text/plain; charset=utf-8", "Fichier introuvable dans l'éditeur.".encode())
    kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return Reply(200, kind, b"", file=str(target))


def proxy_answers(port: int) -> bool:
    """Whether a decap-server answers on this port of the loopback address."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=json.dumps({"action": "info"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_server(kits: Path, port: int) -> subprocess.Popen:
    """Start decap-server on 127.0.0.1:`port`, writing into the folder that holds the kits; wait until it answers."""
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        raise EditorError("L'éditeur local a besoin de Node.js et des paquets npm du dépôt : installez Node.js, "
                          "puis lancez « npm ci » (make editeur le fait).")
    if proxy_answers(port):
        raise EditorError(f"Le port {port} est déjà pris par un autre serveur d'éditeur : arrêtez-le, ou choisissez "
                          "un autre port (make editeur EDITEUR_PORT=8082).")
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", MODE="fs", LOG_LEVEL="warn",
               GIT_REPO_DIRECTORY=str(kits.resolve().parent))
    proc = subprocess.Popen([node, str(SERVER)], env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr,
                            stderr=sys.stderr)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise EditorError(f"Le serveur de l'éditeur (decap-server) s'est arrêté au démarrage (code {proc.returncode}) ; "
                              "son message est affiché ci-dessus.")
        if proxy_answers(port):
            return proc
        time.sleep(0.2)
    stop_server(proc)
    raise EditorError(f"Le serveur de l'éditeur (decap-server) ne répond pas sur le port {port}.")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop decap-server (it keeps nothing in memory: every save is already on disk)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
