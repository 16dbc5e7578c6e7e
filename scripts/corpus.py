"""Generate a synthetic kits tree of N kits spread over the five audiences, in realistic French, for benchmarks."""
from __future__ import annotations

import argparse
import itertools
import random
import shutil
import sys
from pathlib import Path

from kitcore import parts
from kitcore.kits import REGISTRY_FILES

ROOT = Path(__file__).resolve().parent.parent
AUDIENCES = ["associations", "entreprises", "fondations", "investisseurs", "territoires"]
CHALLENGES = ["modeles-socio-economiques", "numerique", "competences", "evaluation"]
SUBJECTS = ["le partenariat", "l'alliance", "la co-construction", "le mécénat de compétences", "l'évaluation",
            "la gouvernance partagée", "le modèle socio-économique", "le bénévolat", "la transformation numérique",
            "l'hybridation des ressources", "le dialogue avec les parties prenantes", "la mesure d'impact"]
VERBS = ["renforce", "éclaire", "transforme", "consolide", "questionne", "structure", "accélère", "outille"]
OBJECTS = ["la performance des organisations", "les innovations territoriales", "la confiance entre acteurs",
           "la pérennité des projets", "l'engagement des salariés", "les politiques publiques locales",
           "la capacité d'innovation", "l'utilité sociétale", "les compétences des équipes", "les ressources associatives"]
QUALIFIERS = ["dans la durée", "sur les territoires", "au service du bien commun", "entre mondes différents",
              "de manière progressive", "avec des indicateurs partagés", "grâce aux pionniers", "pas à pas"]
HEADINGS = ("Repère", "Pionnier", "Étape", "Outil")  # the headings of each part, in the part table's order
TITLES = ["Piloter", "Évaluer", "Construire", "Animer", "Financer", "Outiller", "Mesurer", "Partager", "Développer"]


def sentence(rng: random.Random) -> str:
    """One plausible French sentence."""
    return (f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(QUALIFIERS)}.")


def paragraph(rng: random.Random, n: int = 5) -> str:
    """A paragraph of `n` sentences."""
    return " ".join(sentence(rng) for _ in range(n))


def part(rng: random.Random, title: str, sections: int = 3) -> str:
    """A kit part with a few headed sections."""
    out = []
    for i in range(sections):
        out.append(f"## {title} {i + 1}\n\n{paragraph(rng)}\n\n{paragraph(rng, 4)}\n")
        out.append("- " + "\n- ".join(sentence(rng) for _ in range(3)) + "\n")
    return "\n".join(out)


def generate(out: Path, n: int, seed: int = 1) -> Path:
    """Write registries (copied from the real kits) and `n` synthetic kits into `out`."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in REGISTRY_FILES:
        shutil.copy(ROOT / "kits" / name, out / name)
    for i in range(n):
        kit_id = f"kit-{i:04d}"
        folder = out / kit_id
        (folder / "fichiers").mkdir(parents=True)
        # Spread kits evenly, a third of them shared by a second audience.
        audiences = [AUDIENCES[i % 5]] + ([AUDIENCES[(i + 2) % 5]] if i % 3 == 0 else [])
        challenges = [CHALLENGES[i % 4]] + ([CHALLENGES[(i + 1) % 4]] if i % 2 else [])
        see_also = [f"kit-{(i + 7) % n:04d}"] if n > 7 else []
        title = f"{rng.choice(TITLES)} {rng.choice(SUBJECTS)} ({i})"
        (folder / "kit.yml").write_text(
            f"titre: \"{title}\"\nresume: \"{sentence(rng)} {sentence(rng)}\"\n"
            f"publics: [{', '.join(audiences)}]\nenjeux: [{', '.join(challenges)}]\n"
            f"auteurs: [Équipe de recherche {i % 9}]\nmise_a_jour: 2026-0{1 + i % 9}-1{i % 10}\n"
            f"ressources:\n  - titre: Grille d'autodiagnostic\n    fichier: fichiers/grille.csv\n"
            + (f"voir_aussi: [{', '.join(see_also)}]\n" if see_also else ""),
            encoding="utf-8",
        )
        (folder / "fichiers" / "grille.csv").write_text(
            "critère;question;note\n" + "\n".join(f"c{j};{sentence(rng)};" for j in range(8)) + "\n", encoding="utf-8")
        # Every part of the table (the optional ones too), headed by a word that suits it, with a figure in the first.
        for number, (kind, label) in enumerate(zip(parts.PARTS, itertools.cycle(HEADINGS))):
            text = part(rng, label)
            if number == 0:
                text += "\nLe devoir d'alliances rassemble {{ chiffre('devoir_alliances_maires') }} des maires.\n"
            (folder / kind.file).write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: corpus.py OUT --kits N."""
    parser = argparse.ArgumentParser(description="Génère un corpus synthétique de kits pour les mesures.")
    parser.add_argument("out", help="dossier à créer (remplacé s'il existe)")
    parser.add_argument("--kits", type=int, default=100, help="nombre de kits")
    parser.add_argument("--graine", type=int, default=1, help="graine du générateur pseudo-aléatoire")
    args = parser.parse_args(argv)
    generate(Path(args.out), args.kits, args.graine)
    print(f"{args.kits} kits écrits dans {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
