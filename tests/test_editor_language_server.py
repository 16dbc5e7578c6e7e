"""A contributor's editor (VS Code's YAML extension runs yaml-language-server) checks kit.yml in French.

The server is the real one, pinned in package.json, driven over stdio as an editor drives it, with the repository's
own `.vscode/settings.json`. It starts in English (`locale: en`): every message shown must come from our schema.
"""
from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from kitcore import diagnostic, formatdoc, kits

SERVER = ROOT / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SETTINGS = ROOT / ".vscode" / "settings.json"
# The server's own English texts, which none of its messages may fall back to.
ENGLISH = ("Incorrect type", "Missing property", "is not allowed", "Value is not accepted", "does not match",
           "String is", "Expected", "Property ")
VALID = """\
titre: Un kit d'essai
resume: Un résumé.
publics: [associations]
enjeux: [evaluation]
auteurs: [Équipe éditoriale]
mise_a_jour: 2026-09-15
"""
MAX_MESSAGES = 400  # a session's messages are few; a runaway server fails the test rather than hanging it


class Editor:
    """A minimal LSP client: the messages an editor sends, the diagnostics it receives."""

    def __init__(self) -> None:
        settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
        self.yaml = {key.split(".", 1)[1]: value for key, value in settings.items() if key.startswith("yaml.")}
        node = shutil.which("node")
        assert node, "Node.js is needed (make test installs it from .ci/apt-test.txt)"
        assert SERVER.is_file(), "yaml-language-server is missing: run `npm ci` (make test does)"
        self.proc = subprocess.Popen([node, str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[dict] = queue.Queue()
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.request("initialize", {"processId": None, "rootUri": ROOT.as_uri(), "locale": "en",
                                    "workspaceFolders": [{"uri": ROOT.as_uri(), "name": "kits"}],
                                    "capabilities": {"workspace": {"configuration": True},
                                                     "textDocument": {"completion": {"completionItem": {
                                                         "documentationFormat": ["plaintext"]}}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {}})
        # Documents opened before the server has its settings would be checked without the schema.
        self._wait(lambda m: m.get("method") == "workspace/configuration")
        self.version = 0

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            self.inbox.put(json.loads(out.read(int(headers["content-length"]))))

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        """Send a request and wait for its answer (answering the server's own requests meanwhile)."""
        self.next_id += 1
        ident = self.next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        return self._wait(lambda m: m.get("id") == ident and "method" not in m)["result"]

    def _wait(self, wanted) -> dict:
        for _ in range(MAX_MESSAGES):
            message = self.inbox.get(timeout=60)
            if "method" in message and "id" in message:  # a request from the server (configuration, capability…)
                result = None
                if message["method"] == "workspace/configuration":
                    # The server pulls its settings, section by section: `yaml` is the repository's.
                    result = [self.yaml if item.get("section") == "yaml" else {}
                              for item in message["params"]["items"]]
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            if wanted(message):
                return message
        raise AssertionError("no answer from yaml-language-server")

    def diagnostics(self, text: str, name: str = "kit-d-essai", file: str = kits.KIT_FILE) -> list[dict]:
        """The diagnostics of `text` opened as kits/<name>/<file> (each open a new document)."""
        self.version += 1
        uri = (ROOT / "kits" / f"{name}-{self.version}" / file).as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                              "text": text}})
        message = self._wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                             and m["params"]["uri"] == uri)
        self.last_uri = uri
        return message["params"]["diagnostics"]

    def completion(self, line: int, character: int) -> list[dict]:
        """Completion items at a position of the last opened document."""
        result = self.request("textDocument/completion", {"textDocument": {"uri": self.last_uri},
                                                          "position": {"line": line, "character": character}})
        return result["items"] if isinstance(result, dict) else result

    def close(self) -> None:
        """Shut the server down."""
        self.proc.kill()
        self.proc.wait(timeout=30)
        self.reader.join(timeout=30)  # it stops at the end of the server's output
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


@pytest.fixture(scope="module")
def editor():
    client = Editor()
    yield client
    client.close()


def messages(editor: Editor, text: str, name: str = "kit-d-essai", file: str = kits.KIT_FILE) -> list[str]:
    found = [d["message"] for d in editor.diagnostics(text, name, file)]
    for message in found:
        assert not any(word in message for word in ENGLISH), f"English message: {message}"
    return found


def test_a_valid_kit_and_every_real_kit_have_no_diagnostic(editor: Editor) -> None:
    assert messages(editor, VALID) == []
    real = sorted((ROOT / "kits").glob(f"*/{kits.KIT_FILE}"))
    assert real
    for path in real:
        assert messages(editor, path.read_text(encoding="utf-8"), path.parent.name) == [], path


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("publics: [associations]", "publics: [associatons]", "« publics » : valeur inconnue. Valeurs possibles : associations"),
    ("publics: [associations]", "publics: associatons", "« publics » : valeur inconnue. Valeurs possibles : associations"),
    ("enjeux: [evaluation]", "enjeux: [évaluation]", "« enjeux » : valeur inconnue. Valeurs possibles : competences"),
    ("mise_a_jour: 2026-09-15", "mise_a_jour: 2026-02-30", "« mise_a_jour » doit être une date réelle au format AAAA-MM-JJ"),
    ("mise_a_jour: 2026-09-15", "mise_a_jour: 15/09/2026", "« mise_a_jour » doit être une date réelle au format AAAA-MM-JJ"),
    ("mise_a_jour: 2026-09-15", "mise_a_jour: 1975-06-01", "« mise_a_jour » doit être une date réelle au format AAAA-MM-JJ"),
    ("titre: Un kit d'essai", "titre: '   '", "« titre » est vide ; écrivez-y un texte."),
    # YAML 1.1, as `make check` reads it (yaml.yamlVersion): an unquoted No is a boolean, not a title.
    ("titre: Un kit d'essai", "titre: No", "« titre » doit être un texte."),
    ("titre: Un kit d'essai\n", "titre: Un kit d'essai\nlicence: MIT\n", "« licence » : valeur non acceptée. Valeurs possibles : CC-BY-4.0"),
    ("titre: Un kit d'essai\n", "titre: Un kit d'essai\nstatut: publié\n", "« statut » : valeur non acceptée. Valeurs possibles : publie, brouillon"),
    ("titre: Un kit d'essai\n", "titre: Un kit d'essai\nvoir_aussi: [Mon Kit]\n", "« voir_aussi » attend des identifiants (kits)"),
    ("titre: Un kit d'essai\n", "titr: Un kit d'essai\n", "Clés obligatoires : « titre », « resume »"),
    ("auteurs: [Équipe éditoriale]", "auteurs: [' ']", "Chaque élément de « auteurs » doit être un texte non vide."),
])
def test_each_mistake_gets_a_french_message(editor: Editor, old: str, new: str, expected: str) -> None:
    assert old in VALID
    found = messages(editor, VALID.replace(old, new, 1))
    assert found, "the editor saw no problem"
    assert any(m.startswith(expected) for m in found), found


def test_nested_records_speak_french_too(editor: Editor) -> None:
    text = VALID + "ressources:\n  - titre: Grille\n    fichier: grille.csv\n    format: csv\n"
    found = messages(editor, text)
    keys = [m for m in found if m.startswith("Clés obligatoires")]
    assert keys and "« fichier »" in keys[0], found


def test_completion_describes_each_public_and_challenge(editor: Editor) -> None:
    ids = formatdoc.registry_ids(ROOT / "kits")
    editor.diagnostics(VALID.replace("publics: [associations]", "publics:\n  - "))
    items = {item["label"]: item for item in editor.completion(3, 4)}
    for ident, what in ids["publics"].items():
        assert ident in items, sorted(items)
        documentation = items[ident].get("documentation")
        text = documentation["value"] if isinstance(documentation, dict) else documentation
        assert what and text == what
    assert all(" — " in what for what in [*ids["publics"].values(), *ids["enjeux"].values()])


def test_self_diagnosis_files_are_checked_in_french(editor: Editor) -> None:
    real = sorted((ROOT / "kits").glob(f"*/{diagnostic.FILE}"))
    assert real
    text = real[0].read_text(encoding="utf-8")
    assert messages(editor, text, real[0].parent.name, diagnostic.FILE) == []
    broken = text.replace("calcul: somme", "calcul: mediane", 1).replace("\ntitre:", "\ntitres:", 1)
    assert broken.count("mediane") == 1 and "titres:" in broken
    found = messages(editor, broken, "d", diagnostic.FILE)
    assert "« calcul » : valeur non acceptée. Valeurs possibles : somme, moyenne." in found, found
    assert any(m.startswith("Clés obligatoires : « titre »") for m in found), found
