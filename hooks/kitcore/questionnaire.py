"""The self-diagnosis page of a kit: a paper grid that reads and prints without JavaScript, the data the browser
scores it from (web/autodiagnostic.js turns the grid into an accessible form), and its downloads.

Every text comes from autodiagnostic.yml, a contributor's file: it is escaped here, and the markup only uses what
the sanitiser keeps (kitcore.markup), which still runs over the page like over every kit page.
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Callable

from .blocks import Block, Division, Download, Downloads, Heading, Html, ItemList, Literal
from .diagnostic import Band, Diagnostic, Link, Question, french_number
from .typography import french_spacing

PAGE = "autodiagnostic"  # kits/<id>/autodiagnostic.md, beside the four parts
TITLE = "Autodiagnostic"
DATA_FILE = "autodiagnostic-donnees.js"
ODS_FILE = "autodiagnostic.ods"
CSV_FILE = "autodiagnostic.csv"
GLOBAL = "AUTODIAGNOSTIC"
WEB_DIR = Path(__file__).resolve().parent / "web"
FOLDER = "autodiagnostic"  # the script and style, once per centre
ASSET_FILES = ("autodiagnostic.js", "autodiagnostic.css")
BOX = "\u2610"  # ☐, a box to tick on paper

# (href relative to the page, label) of a recommendation's link; None when the target is not published.
LinkTarget = Callable[[Link], "tuple[str, str] | None"]


def text(value: str) -> str:
    """A contributor's text for HTML: French spacing, then escaped."""
    return html.escape(french_spacing(" ".join(value.split())))


def _links(band: Band, target: LinkTarget) -> str:
    items = [t for t in (target(link) for link in band.liens) if t is not None]
    if not items:
        return ""
    shown = "".join(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>' for href, label in items)
    return f'<ul class="autodiagnostic__liens">{shown}</ul>'


def _shared_scale(questions: tuple[Question, ...]) -> bool:
    return len({q.echelle.id for q in questions}) == 1


def _grid(d: Diagnostic) -> list[Block]:
    """The questions as tables with boxes to tick: what readers without JavaScript see and print."""
    out: list[Block] = []
    number = 0
    for axis in d.axes:
        out.append(Heading(3, (Literal(french_spacing(" ".join(axis.titre.split()))),)))
        if axis.description:
            out.append(Html(f"<p>{text(axis.description)}</p>\n", axis.description))
        shared = _shared_scale(axis.questions)
        head = "".join(f'<th scope="col">{text(o.libelle)} <small>({o.points})</small></th>'
                       for o in axis.questions[0].echelle.options) if shared else '<th scope="col">Réponses</th>'
        rows = []
        for q in axis.questions:
            number += 1
            hint = f"<br><small>{text(q.aide)}</small>" if q.aide else ""
            weight = f' <small class="autodiagnostic__poids">(coefficient {q.poids})</small>' if q.poids != 1 else ""
            if shared:
                boxes = "".join(f'<td class="autodiagnostic__case">{BOX}</td>' for _ in q.echelle.options)
            else:
                boxes = "<td>" + " ".join(f"{BOX}\u00a0{text(o.libelle)} <small>({o.points})</small>"
                                          for o in q.echelle.options) + "</td>"
            rows.append(f"<tr><td>{number}</td><td>{text(q.texte)}{weight}{hint}</td>{boxes}</tr>")
        words = " ".join(f"{q.texte} {q.aide or ''}" for q in axis.questions)
        out.append(Html(f'<table class="autodiagnostic__grille">\n<thead><tr><th scope="col">N°</th>'
                        f'<th scope="col">Question</th>{head}</tr></thead>\n<tbody>\n' + "\n".join(rows)
                        + "\n</tbody>\n</table>\n", words))
    return out


def _key(d: Diagnostic, target: LinkTarget) -> list[Block]:
    """How to read the scores: the rule, then each band with its recommendation and links."""
    rule = ("Additionnez les points de vos réponses (multipliés par le coefficient de la question, s'il y en a un)"
            if d.calcul == "somme" else
            "Faites la moyenne des points de vos réponses (pondérée par le coefficient de la question, s'il y en a un)")
    sentence = (f"{rule}, axe par axe{' puis pour l’ensemble du questionnaire' if d.bands else ''}, et lisez le "
                "résultat correspondant.")
    out: list[Block] = [Html(f"<p>{sentence}</p>\n", sentence)]
    groups = [(axis.titre, axis.bands) for axis in d.axes] + ([("Score global", d.bands)] if d.bands else [])
    for title, bands in groups:
        rows = "\n".join(
            f"<tr><td>{french_number(b.de)} à {french_number(b.a)}</td><td><strong>{text(b.titre)}</strong></td>"
            f"<td>{text(b.recommandation)}{_links(b, target)}</td></tr>" for b in bands)
        words = " ".join([title, *(f"{b.titre} {b.recommandation}" for b in bands)])
        out.append(Html(f'<table class="autodiagnostic__cle">\n<caption>{text(title)}</caption>\n<thead><tr>'
                        '<th scope="col">Score</th><th scope="col">Résultat</th><th scope="col">Recommandation</th>'
                        f"</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n", words))
    return out


def page_blocks(d: Diagnostic, target: LinkTarget) -> list[Block]:
    """The body of the page (after its title): grid, key, sources and downloads."""
    count = len(d.questions)
    note = f"{count} questions. Vos réponses restent dans votre navigateur : rien n'est envoyé."
    return [
        Html(f'<div class="autodiagnostic" id="autodiagnostic">\n<p class="autodiagnostic__intro">{text(d.introduction)}'
             f"</p>\n<p><small>{note}</small></p>\n</div>\n", f"{d.introduction} {note}"),
        Heading(2, ("Les questions",)),
        # The script puts the form in place of this grid; without it, the grid is what reads and prints.
        Division("autodiagnostic__papier", (Html("<p>Cochez une case par ligne.</p>\n", "Cochez une case par ligne."),
                                            *_grid(d)), anchor="autodiagnostic-papier"),
        Heading(2, ("Lire vos résultats",)),
        Division("autodiagnostic__lecture", tuple(_key(d, target))),
        Heading(2, ("Sources",)),
        ItemList(tuple((Literal(french_spacing(" ".join(source.split()))),) for source in d.sources)),
        Heading(2, ("À télécharger",)),
        Downloads((Download("Le questionnaire en tableur (ODS) : les scores se calculent à la saisie", ODS_FILE),
                   Download("La grille papier (CSV)", CSV_FILE))),
    ]


def _band_data(band: Band, target: LinkTarget) -> dict:
    links = [t for t in (target(link) for link in band.liens) if t is not None]
    return {"de": band.de, "a": band.a, "titre": french_spacing(band.titre),
            "recommandation": french_spacing(" ".join(band.recommandation.split())),
            "liens": [{"href": href, "texte": label} for href, label in links]}


def data(d: Diagnostic, target: LinkTarget, store_key: str) -> dict:
    """What the browser scores from: the same model, links resolved relative to the page."""
    return {
        "kit": d.kit,
        "titre": french_spacing(d.titre),
        "calcul": d.calcul,
        "stockage": store_key,
        "fichier": f"autodiagnostic-{d.kit}",
        "echelles": {s.id: [{"libelle": french_spacing(o.libelle), "points": o.points} for o in s.options]
                     for s in d.scales},
        "axes": [{
            "id": a.id, "titre": french_spacing(a.titre),
            "description": french_spacing(a.description) if a.description else "",
            "questions": [{"id": q.id, "texte": french_spacing(q.texte),
                           "aide": french_spacing(q.aide) if q.aide else "", "echelle": q.echelle.id,
                           "poids": q.poids} for q in a.questions],
            "tranches": [_band_data(b, target) for b in a.bands],
        } for a in d.axes],
        "global": [_band_data(b, target) for b in d.bands],
    }


def data_script(payload: dict) -> str:
    """The data as a script assigning a global: loadable by a <script> tag from file://, where fetch() is not."""
    # ensure_ascii and escaped « < » keep any text from closing the script or breaking the line.
    body = json.dumps(payload, ensure_ascii=True, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    return f"window.{GLOBAL} = {body};\n"


def asset_paths() -> list[tuple[str, Path]]:
    """(path inside a centre, source file) of the self-diagnosis script and style."""
    return [(f"{FOLDER}/{name}", WEB_DIR / name) for name in ASSET_FILES]
