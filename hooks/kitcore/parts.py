"""The part table: the Markdown parts a kit is written in, declared once for loading, checks, pages and scaffold."""
from __future__ import annotations

from dataclasses import dataclass

# Guidance left by `make new`: its presence means the part is not written yet.
GUIDANCE_MARK = "À COMPLÉTER"
# Pages every kit gets besides its parts, as `<name>.md` beside them: a part may link to them.
PRESENTATION = "index"
PRINTABLE = "imprimer"  # the whole kit on one page; kept out of the navigation (mkdocs.yml not_in_nav)


@dataclass(frozen=True)
class Part:
    """One part of a kit: a Markdown file `<id>.md` in the kit's folder, shown as one page."""

    id: str
    label: str
    required: bool
    summary: str  # what the part holds, in a few words (the contributor guide's tree of files)
    guidance: str  # the text `make new` writes, to be replaced by the contributor
    downloads: bool = False  # the kit's downloadable files are listed at the end of this part's page

    @property
    def file(self) -> str:
        """The part's file name inside the kit's folder."""
        return f"{self.id}.md"


PARTS: tuple[Part, ...] = (
    Part("cadre-de-reference", "Cadre de référence", True, "les notions et le contexte", f"""\
**{GUIDANCE_MARK}** — Remplacez ce texte par le cadre de référence du kit : les notions, le contexte
et les repères qui permettent de comprendre le sujet avant d'agir.

## Les notions clés

Définissez en quelques lignes les mots que le lecteur doit connaître.

## Le contexte

Expliquez pourquoi ce sujet compte aujourd'hui. Pour citer un chiffre avec sa source, voyez
« Citer un chiffre » dans le guide du contributeur (CONTRIBUTING.md).
"""),
    Part("illustrations", "Illustrations", True, "des exemples concrets", f"""\
**{GUIDANCE_MARK}** — Remplacez ce texte par des exemples concrets : des situations réelles, des
témoignages, des partenariats qui ont fonctionné (ou non) et ce qu'on en retient.

## Un premier exemple

Qui, où, quoi : décrivez la situation, ce qui a été fait et le résultat.

## Ce qu'il faut en retenir

Deux ou trois enseignements que le lecteur peut appliquer chez lui.
"""),
    Part("methodologie", "Méthodologie", True, "la démarche pas à pas", f"""\
**{GUIDANCE_MARK}** — Remplacez ce texte par la démarche pas à pas : les étapes, qui les mène, combien de
temps elles prennent et ce qu'elles produisent.

## Étape 1 : …

Décrivez l'étape, les personnes à associer et le résultat attendu.

## Étape 2 : …

Continuez avec autant d'étapes que nécessaire.
"""),
    Part("boite-a-outils", "Boîte à outils", True, "les outils ; la liste des fichiers à télécharger s'y ajoute", f"""\
**{GUIDANCE_MARK}** — Remplacez ce texte par les outils du kit : grilles, modèles, questionnaires,
contacts utiles. Les fichiers à télécharger se rangent dans le dossier `fichiers/` du kit et se
déclarent dans `kit.yml`, sous la clé `ressources` : leur liste s'affiche à la fin de cette page.

## Les outils

- Un outil, en une phrase : à quoi il sert et quand l'utiliser.
""", downloads=True),
)


def part(part_id: str) -> Part:
    """The part with this id (KeyError if none)."""
    for p in PARTS:
        if p.id == part_id:
            return p
    raise KeyError(part_id)


def of(sections: dict[str, str]) -> list[Part]:
    """The parts a kit has (those in `sections`), in the table's order."""
    return [p for p in PARTS if p.id in sections]


def kit_pages() -> set[str]:
    """File names a part may link to: every part, the kit's presentation and its printable version."""
    return {p.file for p in PARTS} | {f"{PRESENTATION}.md", f"{PRINTABLE}.md"}


_NUMBERS = {1: "une", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit"}


def counted(count: int) -> str:
    """« quatre parties » (« une partie »), in words as French writes small numbers."""
    if count == 1:
        return "une partie"
    return f"{_NUMBERS.get(count, str(count))} parties"


def heading(count: int) -> str:
    """« Les quatre parties » (« La partie » for one), for the kit's presentation."""
    return "La partie" if count == 1 else f"Les {counted(count)}"


def labels(chosen: list[Part] | tuple[Part, ...]) -> str:
    """« cadre de référence, illustrations, méthodologie et boîte à outils »."""
    names = [p.label[0].lower() + p.label[1:] for p in chosen]
    return " et ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
