"""The web editor on the working copy: decap-server writes each save into the kits, the live preview shows it."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from kitcore import cms
from kitcore.inputs import ROOT
from preview import editor, server


def main(argv: list[str] | None = None) -> int:
    """Start decap-server and the preview (with the editor at /editeur/); stop both on Ctrl+C."""
    parser = argparse.ArgumentParser(description="Éditeur web des kits sur votre copie locale, avec l'aperçu en direct.")
    parser.add_argument("--kits", default=str(ROOT / "kits"), help="dossier des kits (par défaut : kits)")
    parser.add_argument("--centre", help="centre affiché par l'aperçu (par défaut : le portail et tous les centres)")
    parser.add_argument("--port", type=int, default=8000, help="port de l'aperçu et de l'éditeur (par défaut : 8000)")
    parser.add_argument("--port-editeur", type=int, default=cms.PROXY_PORT,
                        help=f"port du serveur d'écriture de l'éditeur (par défaut : {cms.PROXY_PORT})")
    args = parser.parse_args(argv)
    kits = Path(args.kits)
    if not kits.is_dir():
        print(f"Le dossier des kits « {kits} » n'existe pas ; vérifiez KITS=….", file=sys.stderr)
        return 1
    try:
        folder = editor.build_folder(kits, args.port_editeur)
    except editor.EditorError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    try:
        proc = editor.start_server(kits, args.port_editeur)
    except editor.EditorError as exc:
        shutil.rmtree(folder.parent, ignore_errors=True)
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    try:
        return server.serve(kits, args.centre, "127.0.0.1", args.port, editor_folder=folder)
    finally:
        editor.stop_server(proc)
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
