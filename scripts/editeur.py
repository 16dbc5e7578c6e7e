"""The web editor on the working copy: decap-server writes each save into the kits, the live preview shows it."""
from __future__ import annotations

import shutil
import sys

from kitcli import serve
from kitcore import cms
from preview import editor, server


def main(argv: list[str] | None = None) -> int:
    """Start decap-server and the preview (with the editor at /editeur/); stop both on Ctrl+C."""
    parser = serve.parser("Éditeur web des kits sur votre copie locale, avec l'aperçu en direct.")
    parser.add_argument("--port-editeur", type=serve.port, default=cms.PROXY_PORT,
                        help=f"port du serveur d'écriture de l'éditeur (par défaut : {cms.PROXY_PORT})")
    args = parser.parse_args(argv)
    kits = serve.kits_folder(args)
    if kits is None:
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
        return server.serve(kits, args.centre, args.port, editor_folder=folder)
    finally:
        editor.stop_server(proc)
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
