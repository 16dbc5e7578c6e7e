"""CSV toolbox files: their rows as read, and as published (UTF-8 with a byte-order mark, the only way Excel on
Windows reads accents right)."""
from __future__ import annotations

import csv
import io

BOM = b"\xef\xbb\xbf"


def for_excel(data: bytes) -> bytes:
    """`data` (a UTF-8 CSV, `;`-separated as contributed) with a BOM in front, added once."""
    return data if data.startswith(BOM) else BOM + data


class Unreadable(Exception):
    """A CSV text the csv module cannot read (a cell beyond its field limit, mostly from a quote never closed)."""

    def __init__(self, reason: str, line: int) -> None:
        super().__init__(reason)
        self.reason, self.line = reason, line


def read_rows(text: str) -> list[list[str]]:
    """Rows of a CSV text, guessing `;` or `,` as separator (French spreadsheets use `;`); Unreadable in French."""
    sample = text.splitlines()[0] if text else ""
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise Unreadable(f"une cellule qui commence à cette ligne dépasse {csv.field_size_limit():,} caractères"
                                 .replace(",", "\u202f") + " : un guillemet « \" » ouvert n'y est sans doute jamais "
                                 "fermé ; fermez-le, ou doublez-le (« \"\" ») s'il fait partie du texte", start) from None
            # The csv module's own wording is English: the contributor gets what to look at instead.
            raise Unreadable("un tableur ne pourrait pas lire cette ligne : vérifiez ses guillemets « \" » (chacun "
                             "fermé, ou doublé s'il fait partie du texte) et son séparateur (« ; » ou « , »)",
                             start) from None
        if any(cell.strip() for cell in row):
            rows.append(row)
