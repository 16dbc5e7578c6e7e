"""Live preview of one centre, or of the portal and every centre, reloaded in the browser at each change."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kitcore.inputs import ROOT
from preview import server


def port(text: str) -> int:
    """A TCP port given on the command line (1 to 65535), refused in French before anything listens on it."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"un port est un nombre entier de 1 à 65535, pas « {text} »")
    return int(text)


def parser(description: str) -> argparse.ArgumentParser:
    """The options of every program that runs the preview (make serve, make editeur)."""
    options = argparse.ArgumentParser(description=description)
    options.add_argument("--kits", default=str(ROOT / "kits"), help="dossier des kits (par défaut : kits)")
    options.add_argument("--centre", help="identifiant du centre à prévisualiser (par défaut : le portail et tous les centres)")
    # No --host: the preview shows drafts and answers only this machine's loopback names (server.HOST).
    options.add_argument("--port", type=port, default=8000, help="port d'écoute (par défaut : 8000)")
    return options


def kits_folder(args: argparse.Namespace) -> Path | None:
    """The kits folder given, or None after saying in French that it does not exist."""
    kits = Path(args.kits)
    if not kits.is_dir():
        print(f"Le dossier des kits « {kits} » n'existe pas ; vérifiez KITS=….", file=sys.stderr)
        return None
    return kits


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run the preview server until Ctrl+C."""
    args = parser("Aperçu local des centres, rechargé à chaque modification.").parse_args(argv)
    kits = kits_folder(args)
    if kits is None:
        return 1
    try:
        return server.serve(kits, args.centre, args.port)
    except KeyboardInterrupt:  # Ctrl+C before the server listens (the kits are being checked)
        print("\nAperçu arrêté.", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
