"""CSV toolbox files: their rows as read, and as published (UTF-8 with a byte-order mark, the only way Excel on
Windows reads accents right)."""
from __future__ import annotations

import csv
import io

BOM = b"\xef\xbb\xbf"


def for_excel(data: bytes) -> bytes:
    """`data` (a UTF-8 CSV, `;`-separated as contributed) with a BOM in front, added once."""
    return data if data.startswith(BOM) else BOM + data


def read_rows(text: str) -> list[list[str]]:
    """Rows of a CSV text, guessing `;` or `,` as separator (French spreadsheets use `;`)."""
    sample = text.splitlines()[0] if text else ""
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]
