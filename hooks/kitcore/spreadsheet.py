"""OpenDocument spreadsheets (.ods) written with odfpy, byte for byte reproducible: toolbox CSVs turned into .ods
(numbers stored as numbers), and the sheets, cells and formulas other modules build (kitcore.scoresheet)."""
from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass

from odf import number as odfnumber
from odf.element import Element
from odf.namespaces import nsdict
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import ParagraphProperties, Style, TableCellProperties, TableColumnProperties, TextProperties
from odf.table import ContentValidation, ContentValidations, Table, TableCell, TableColumn, TableRow
from odf.text import P

from .csvexport import read_rows

# A fixed date keeps the archive identical from one build to the next (reproducible downloads and zips).
FIXED_DATE = (2020, 1, 1, 0, 0, 0)
# odfpy writes these parts; the archive is rewritten in this order with fixed dates (mimetype first, stored).
PARTS = ("mimetype", "META-INF/manifest.xml", "meta.xml", "styles.xml", "content.xml")
MAX_SHEET_NAME = 31

# odfpy declares on each part's root the namespaces of a dict shared by every document of the process
# (Element.namespaces), which grows as documents use new ones: a file's bytes would depend on the files made
# before it. Filled once here with every namespace odfpy knows, in a fixed order, it never changes again.
_ALL_NAMESPACES = dict(sorted(nsdict.items()))
Element.namespaces.clear()
Element.namespaces.update(_ALL_NAMESPACES)

# Numbers as a French spreadsheet writes them: « 12 », « 3,5 », « 12 000 », « -2 », « 45 % ».
# Not « 01 » (an id or a code keeps its zero) nor « 1.5 » (a dotted number is a version or a section, not a decimal).
_SPACES = "[ \u00a0\u202f]"
# Bounded repeats: a cell is contributed text, and no number a grid holds is longer than this.
_NUMBER = re.compile(rf"^(-?)(0|[1-9]\d{{0,2}}(?:{_SPACES}\d{{3}}){{1,5}}|[1-9]\d{{0,17}})(?:,(\d{{1,15}}))?$")


def parse_number(text: str) -> tuple[str, float] | None:
    """(« float » or « percentage », value) for a cell that reads as a French number, or None for text."""
    stripped = text.strip()
    kind = "float"
    if stripped.endswith("%"):
        stripped, kind = stripped[:-1], "percentage"
        if stripped[-1:] in ("\u0020", "\u00a0", "\u202f"):
            stripped = stripped[:-1]
    match = _NUMBER.match(stripped)
    if not match:
        return None
    sign, whole, decimals = match.groups()
    value = float(f"{sign}{re.sub(_SPACES, '', whole)}.{decimals or '0'}")
    return kind, value / 100 if kind == "percentage" else value


@dataclass(frozen=True)
class Formula:
    """A formula cell: OpenFormula text (« of:=… »), and the value it has before the reader types anything."""

    formula: str
    value: str | float = ""


@dataclass(frozen=True)
class Choice:
    """An empty cell where the reader picks one of `labels` (a drop-down list in LibreOffice Calc)."""

    labels: tuple[str, ...]


Cell = str | float | int | Formula | Choice | None


def quote(text: str) -> str:
    """A text as an OpenFormula string literal."""
    return '"' + text.replace('"', '""') + '"'


class Workbook:
    """An .ods being built: sheets of rows; bold header rows; reproducible bytes at the end."""

    def __init__(self) -> None:
        self.document = OpenDocumentSpreadsheet()
        self.bold = self._style("entete", TextProperties(fontweight="bold"))
        self.wrap = self._style("texte", TableCellProperties(wrapoption="wrap"),
                                ParagraphProperties(textalign="start"))
        percent = odfnumber.PercentageStyle(name="pourcent")
        percent.addElement(odfnumber.Number(decimalplaces="0", minintegerdigits="1"))
        percent.addElement(odfnumber.Text(text="\u00a0%"))
        self.document.automaticstyles.addElement(percent)
        self.percent = Style(name="pourcentage", family="table-cell", datastylename="pourcent")
        self.document.automaticstyles.addElement(self.percent)
        self.validations: ContentValidations | None = None
        self._columns: dict[str, Style] = {}

    def _style(self, name: str, *properties) -> Style:
        style = Style(name=name, family="table-cell")
        for item in properties:
            style.addElement(item)
        self.document.automaticstyles.addElement(style)
        return style

    def column_style(self, width: str) -> Style:
        """A column style of this width (« 6cm »), declared once."""
        if width not in self._columns:
            style = Style(name=f"colonne{len(self._columns) + 1}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=width))
            self.document.automaticstyles.addElement(style)
            self._columns[width] = style
        return self._columns[width]

    def sheet(self, name: str, widths: list[str]) -> Table:
        """A new sheet with columns of these widths."""
        table = Table(name=name[:MAX_SHEET_NAME])
        for width in widths:
            table.addElement(TableColumn(stylename=self.column_style(width)))
        self.document.spreadsheet.addElement(table)
        return table

    def row(self, table: Table, cells: list[Cell], header: bool = False) -> None:
        """Append a row; numbers become float cells, text stays text (a contributor's « =… » is never a formula)."""
        row = TableRow()
        for value in cells:
            row.addElement(self.cell(value, header))
        table.addElement(row)

    def cell(self, value: Cell, header: bool = False) -> TableCell:
        """One cell for a value (see `Cell`)."""
        style = self.bold if header else None
        if value is None:
            return TableCell()
        if isinstance(value, Formula):
            if isinstance(value.value, str):
                cell = _new(formula=value.formula, valuetype="string", stringvalue=value.value, stylename=style)
            else:
                cell = _new(formula=value.formula, valuetype="float", value=value.value, stylename=style)
            cell.addElement(P(text=_shown(value.value)))
            return cell
        if isinstance(value, Choice):
            return TableCell(contentvalidationname=self._validation(value.labels))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cell = _new(valuetype="float", value=value, stylename=style)
            cell.addElement(P(text=_shown(value)))
            return cell
        text = str(value)
        parsed = None if header else parse_number(text)
        if parsed is not None:
            kind, number = parsed
            if kind == "percentage":
                cell = TableCell(valuetype="percentage", value=number, stylename=self.percent)
            else:
                cell = TableCell(valuetype="float", value=number)
        else:
            cell = _new(valuetype="string", stylename=style or (self.wrap if len(text) > 40 else None))
        for line in text.split("\n"):
            cell.addElement(P(text=line))
        return cell

    def _validation(self, labels: tuple[str, ...]) -> str:
        if self.validations is None:
            self.validations = ContentValidations()
            # Validations come before the tables in the spreadsheet body.
            self.document.spreadsheet.insertBefore(self.validations, self.document.spreadsheet.firstChild)
        name = f"liste{len(self.validations.childNodes) + 1}"
        condition = "of:cell-content-is-in-list(" + ";".join(quote(label) for label in labels) + ")"
        self.validations.addElement(ContentValidation(name=name, condition=condition, allowemptycell="true",
                                                      displaylist="unsorted"))
        return name

    def bytes(self) -> bytes:
        """The .ods archive, identical for identical content (fixed dates, fixed order of its parts)."""
        raw = io.BytesIO()
        self.document.write(raw)
        with zipfile.ZipFile(raw) as source:
            parts = {name: source.read(name) for name in source.namelist()}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name in sorted(parts, key=lambda n: (PARTS.index(n) if n in PARTS else len(PARTS), n)):
                info = zipfile.ZipInfo(name, FIXED_DATE)
                # The mimetype entry comes first and uncompressed, as OpenDocument requires.
                info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, parts[name])
        return out.getvalue()


def _new(**attributes) -> TableCell:
    # odfpy writes an attribute given as None as the text « None »: leave unset ones out.
    return TableCell(**{k: v for k, v in attributes.items() if v is not None})


def _shown(value: str | float | int) -> str:
    if isinstance(value, str):
        return value
    return (f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))).replace(".", ",")


# Content-keyed: a kit shown by two centres, or modelled again by the preview, offers the same .ods (odfpy builds
# a document tree per file: this was a tenth of a centre's model).
@functools.lru_cache(maxsize=1024)
def csv_to_ods(text: str, sheet: str = "Feuille 1") -> bytes:
    """An .ods file holding the CSV's rows, the first row in bold, French numbers as numbers."""
    rows = read_rows(text)
    width = max((len(r) for r in rows), default=1)
    book = Workbook()
    table = book.sheet(sheet, ["6cm"] * width)
    for i, row in enumerate(rows):
        book.row(table, list(row), header=i == 0)
    return book.bytes()
