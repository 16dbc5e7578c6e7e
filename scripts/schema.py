"""Regenerate schemas/kit.schema.json and the tables of keys in CONTRIBUTING.md from the kit format."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from kitcore import formatdoc


def main(argv: list[str] | None = None) -> int:
    """Write the generated files (or, with --verifier, exit 1 when they are out of date)."""
    parser = argparse.ArgumentParser(description="Régénère le schéma JSON de kit.yml et les tableaux de CONTRIBUTING.md.")
    parser.add_argument("--kits", default=str(ROOT / "kits"), help="dossier des kits (par défaut : kits)")
    parser.add_argument("--verifier", action="store_true", help="ne rien écrire ; échouer si un fichier est périmé")
    args = parser.parse_args(argv)
    kits = Path(args.kits).resolve()
    if args.verifier:
        stale = formatdoc.stale_files(ROOT, kits)
        for path in stale:
            print(f"{path.relative_to(ROOT)} n'est pas à jour : lancez « {formatdoc.REGENERATE} ».", file=sys.stderr)
        return 1 if stale else 0
    changed = formatdoc.write_all(ROOT, kits)
    for path in changed:
        print(f"Mis à jour : {path.relative_to(ROOT)}")
    if not changed:
        print("Déjà à jour.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
