"""A self-diagnosis as files: an .ods whose score cells recompute as the reader picks answers (OpenFormula that
LibreOffice Calc evaluates), and the paper grid as CSV."""
from __future__ import annotations

import csv
import io
from typing import Callable

from .diagnostic import Band, Diagnostic, Link, Question, french_number
from .spreadsheet import Choice, Formula, Workbook, quote

QUESTIONS_SHEET = "Questionnaire"
SCALES_SHEET = "Échelles"
RESULTS_SHEET = "Résultats"
FIRST_QUESTION_ROW = 6  # after the title, the introduction, the instruction, a blank row and the header
ANSWER, POINTS, WEIGHT = "E", "F", "G"
HEADER = ["Axe", "N°", "Question", "Repère", "Votre réponse", "Points", "Poids", "Réponses possibles"]
RESULTS_HEADER = ["Axe", "Questions répondues", "Questions", "Score", "Score maximal", "Résultat", "Recommandation"]
INCOMPLETE = "Répondez à toutes les questions de l'axe"
INCOMPLETE_ALL = "Répondez à toutes les questions"

LinkLabel = Callable[[Link], str]


def options_text(q: Question) -> str:
    """The answers of a question's scale as the paper grid prints them: « Pas du tout (1) · Oui (2) »."""
    return " · ".join(f"{o.libelle} ({o.points})" for o in q.echelle.options)


def _ref(sheet: str, column: str, first: int, last: int | None = None) -> str:
    cell = f"$'{sheet}'.${column}${first}"
    return f"[{cell}:.${column}${last}]" if last is not None else f"[{cell}]"


def _decimal(hundredths: int) -> str:
    return french_number(hundredths).replace(",", ".")


def _lookup(score: str, bands: tuple[Band, ...], text: Callable[[Band], str], incomplete: str) -> str:
    """Nested IF choosing the text of the band that holds the score (bands are checked to cover every score)."""
    formula = quote("")
    for band in reversed(bands):
        formula = (f"IF(AND({score}>={_decimal(band.de)};{score}<={_decimal(band.a)});{quote(text(band))};"
                   f"{formula})")
    return f"of:=IF({score}=\"\";{quote(incomplete)};{formula})"


def recommendation(band: Band, label: LinkLabel) -> str:
    """A band's recommendation with its links written out, for cells and CSV where links cannot be followed."""
    links = [label(link) for link in band.liens]
    return band.recommandation + (f" Pour aller plus loin : {' ; '.join(links)}." if links else "")


def workbook(d: Diagnostic, label: LinkLabel) -> bytes:
    """The .ods of a self-diagnosis: questions with drop-down answers, scales, and results that recompute."""
    book = Workbook()
    scales = book.sheet(SCALES_SHEET, ["4cm", "6cm", "2.5cm"])
    book.row(scales, ["Échelle", "Réponse", "Points"], header=True)
    ranges: dict[str, tuple[int, int]] = {}
    row = 2
    for scale in d.scales:
        ranges[scale.id] = (row, row + len(scale.options) - 1)
        for option in scale.options:
            book.row(scales, [scale.id, option.libelle, option.points])
            row += 1

    sheet = book.sheet(QUESTIONS_SHEET, ["5cm", "1.5cm", "10cm", "8cm", "5cm", "2cm", "2cm", "9cm"])
    book.row(sheet, [d.titre], header=True)
    book.row(sheet, [" ".join(d.introduction.split())])
    book.row(sheet, ["Choisissez une réponse dans la colonne « Votre réponse » (liste déroulante) : les points "
                     f"et les scores se calculent seuls, dans la feuille « {RESULTS_SHEET} »."])
    book.row(sheet, [])
    book.row(sheet, HEADER, header=True)
    rows: dict[str, tuple[int, int]] = {}
    row = FIRST_QUESTION_ROW
    number = 0
    for axis in d.axes:
        rows[axis.id] = (row, row + len(axis.questions) - 1)
        for q in axis.questions:
            number += 1
            first, last = ranges[q.echelle.id]
            points = (f"of:=IF([.{ANSWER}{row}]=\"\";\"\";INDEX({_ref(SCALES_SHEET, 'C', first, last)};"
                      f"MATCH([.{ANSWER}{row}];{_ref(SCALES_SHEET, 'B', first, last)};0)))")
            book.row(sheet, [axis.titre, number, q.texte, q.aide or "", Choice(tuple(o.libelle for o in q.echelle.options)),
                             Formula(points), q.poids, options_text(q)])
            row += 1

    results = book.sheet(RESULTS_SHEET, ["6cm", "3cm", "2.5cm", "2.5cm", "3cm", "6cm", "12cm"])
    book.row(results, RESULTS_HEADER, header=True)
    lines = [(axis.titre, *rows[axis.id], axis.questions, axis.bands, INCOMPLETE) for axis in d.axes]
    if d.bands:
        lines.append(("Score global", FIRST_QUESTION_ROW, row - 1, tuple(d.questions), d.bands, INCOMPLETE_ALL))
    for i, (title, first, last, questions, bands, incomplete) in enumerate(lines, 2):
        points, weights = _ref(QUESTIONS_SHEET, POINTS, first, last), _ref(QUESTIONS_SHEET, WEIGHT, first, last)
        total = f"SUMPRODUCT({points};{weights})"
        divisor = d.divisor(questions)
        value = f"{total}/SUM({weights})" if d.calcul == "moyenne" else total
        high = sum(q.poids * q.echelle.high for q in questions)
        book.row(results, [
            title,
            Formula(f"of:=COUNT({points})"),
            len(questions),
            Formula(f"of:=IF([.B{i}]<[.C{i}];\"\";ROUND({value};2))"),
            (200 * high + divisor) // (2 * divisor) / 100,
            # No cached result: LibreOffice computes a formula cell without one when it opens the file.
            Formula(_lookup(f"[.D{i}]", bands, lambda b: b.titre, incomplete)),
            Formula(_lookup(f"[.D{i}]", bands, lambda b: recommendation(b, label), incomplete)),
        ])
    book.row(results, [])
    book.row(results, ["Les tranches de résultats", "De", "À", "Résultat", "Recommandation"], header=True)
    for title, _, _, _, bands, _ in lines:
        for band in bands:
            book.row(results, [title, band.de / 100, band.a / 100, band.titre, recommendation(band, label)])
    book.row(results, [])
    book.row(results, ["Sources"], header=True)
    for source in d.sources:
        book.row(results, [source])
    return book.bytes()


def _safe(text: str) -> str:
    # A cell starting with = + - @ would run as a formula in some spreadsheets: it is written as text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def paper_grid(d: Diagnostic, label: LinkLabel) -> str:
    """The questionnaire as a CSV (UTF-8 with BOM, « ; »): questions, possible answers, then the bands."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["axe", "n°", "question", "repère", "réponses possibles (points)", "poids", "votre réponse"])
    number = 0
    for axis in d.axes:
        for q in axis.questions:
            number += 1
            writer.writerow([_safe(axis.titre), number, _safe(q.texte), _safe(q.aide or ""), _safe(options_text(q)),
                             q.poids, ""])
    writer.writerow([])
    rule = "moyenne des points × poids" if d.calcul == "moyenne" else "somme des points × poids"
    writer.writerow(["résultat", "de", "à", "titre", f"recommandation (score : {rule})"])
    groups = [(axis.titre, axis.bands) for axis in d.axes] + ([("Score global", d.bands)] if d.bands else [])
    for title, bands in groups:
        for band in bands:
            writer.writerow([_safe(title), french_number(band.de), french_number(band.a), _safe(band.titre),
                             _safe(recommendation(band, label))])
    return "\ufeff" + out.getvalue()
