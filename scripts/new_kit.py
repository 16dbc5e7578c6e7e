"""Start a new kit: ask for (or take as options) its title, audiences, challenges and authors, then write it."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from kitcore import parts, scaffold


def _ask(label: str, parse, value: str | None, interactive: bool):
    """Parse an option's value, or ask until the answer is valid when a person is at the terminal."""
    if value:
        return parse(value)
    while True:
        try:
            answer = input(f"{label} : ")
        except EOFError:
            raise scaffold.ScaffoldError("Saisie interrompue : aucun kit n'a été créé.") from None
        try:
            return parse(answer)
        except scaffold.ScaffoldError as exc:
            if not interactive:
                raise
            print(f"  {exc}")


def _menu(title: str, options: list[scaffold.Choice]) -> None:
    print(title)
    for number, option in enumerate(options, 1):
        print(f"  {number}. {option.nom} ({option.id})")


def main(argv: list[str] | None = None) -> int:
    """Create kits/<id>/ from the answers; exit 1 with a French message when it cannot."""
    parser = argparse.ArgumentParser(
        description="Crée un nouveau kit prêt à rédiger (kit.yml et un fichier Markdown par partie).",
        epilog="Sans options, les questions sont posées une à une. Exemple non interactif : "
               "make new TITRE=\"Évaluer un partenariat\" PUBLICS=associations,entreprises ENJEUX=evaluation "
               "AUTEURS=\"Jeanne Martin\"",
    )
    parser.add_argument("--kits", default=str(ROOT / "kits"), help="dossier des kits (par défaut : kits)")
    parser.add_argument("--titre", help="titre du kit ; le nom du dossier en est tiré")
    parser.add_argument("--publics", help="publics, séparés par des virgules (identifiants, noms ou numéros)")
    parser.add_argument("--enjeux", help="enjeux, séparés par des virgules ; le premier range le kit dans la navigation")
    parser.add_argument("--auteurs", help="auteurs (personnes ou organisations), séparés par des virgules")
    args = parser.parse_args(argv)
    kits = Path(args.kits).resolve()
    interactive = sys.stdin.isatty()
    given = {"--titre": args.titre, "--publics": args.publics, "--enjeux": args.enjeux, "--auteurs": args.auteurs}
    missing = [name for name, value in given.items() if not (value and value.strip())]
    try:
        if missing and not interactive:
            raise scaffold.ScaffoldError(
                f"Il manque {', '.join(missing)}. Sans terminal pour répondre aux questions, donnez tout en options, "
                "par exemple :\n  make new TITRE=\"Évaluer un partenariat\" PUBLICS=associations ENJEUX=evaluation "
                "AUTEURS=\"Jeanne Martin\""
            )
        audiences, challenges = scaffold.registry_choices(kits)
        if interactive and missing:
            print("Nouveau kit : quatre questions, puis le dossier est créé. (Ctrl+C pour abandonner.)\n")

        def parse_title(text: str) -> str:
            scaffold.validate_request(kits, scaffold.KitRequest(text, [], [], ["?"]))
            return " ".join(text.split())

        titre = _ask("Titre du kit", parse_title, args.titre, interactive)
        if not args.publics:
            _menu("\nPublics (un ou plusieurs numéros ou identifiants, séparés par des virgules) :", audiences)
        publics = _ask("Publics", lambda t: scaffold.resolve_choices(t, audiences, "public"), args.publics, interactive)
        if not args.enjeux:
            _menu("\nEnjeux (le premier range le kit dans la navigation) :", challenges)
        enjeux = _ask("Enjeux", lambda t: scaffold.resolve_choices(t, challenges, "enjeu"), args.enjeux, interactive)

        def parse_authors(text: str) -> list[str]:
            names = scaffold.split_list(text)
            if not names:
                raise scaffold.ScaffoldError("Indiquez au moins un auteur : une personne ou une organisation.")
            return names

        auteurs = _ask("\nAuteurs (séparés par des virgules)", parse_authors, args.auteurs, interactive)
        folder = scaffold.create_kit(kits, scaffold.KitRequest(titre, publics, enjeux, auteurs))
    except scaffold.ScaffoldError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nAbandon : aucun kit n'a été créé.", file=sys.stderr)
        return 1
    shown = folder.relative_to(Path.cwd()) if folder.is_relative_to(Path.cwd()) else folder
    print(f"\nKit créé dans {shown}/ (statut : brouillon).\n"
          "Prochaines étapes :\n"
          f"  1. Rédigez le résumé dans {shown}/kit.yml et {parts.heading(len(parts.PARTS)).lower()} (.md) : remplacez "
          f"chaque « {parts.GUIDANCE_MARK} ».\n"
          f"  2. Prévisualisez : make serve CENTRE={publics[0]}\n"
          "  3. Vérifiez : make check (plus aucun avertissement « À COMPLÉTER »)\n"
          "  4. Passez « statut: brouillon » à « statut: publie », puis proposez le kit (voir CONTRIBUTING.md).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
