"""Live preview of one centre, or of the portal and every centre, reloaded in the browser at each change."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from preview import server


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run the preview server until Ctrl+C."""
    parser = argparse.ArgumentParser(description="Aperçu local des centres, rechargé à chaque modification.")
    parser.add_argument("--kits", default=str(ROOT / "kits"), help="dossier des kits (par défaut : kits)")
    parser.add_argument("--centre", help="identifiant du centre à prévisualiser (par défaut : le portail et tous les centres)")
    parser.add_argument("--port", type=int, default=8000, help="port d'écoute (par défaut : 8000)")
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (par défaut : 127.0.0.1, cette machine seule)")
    args = parser.parse_args(argv)
    kits = Path(args.kits)
    if not kits.is_dir():
        print(f"Le dossier des kits « {kits} » n'existe pas ; vérifiez KITS=….", file=sys.stderr)
        return 1
    try:
        return server.serve(kits, args.centre, args.host, args.port)
    except KeyboardInterrupt:  # Ctrl+C before the server listens (the kits are being checked)
        print("\nAperçu arrêté.", file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
