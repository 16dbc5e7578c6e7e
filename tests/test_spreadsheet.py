"""The .ods made from a toolbox CSV: valid OpenDocument, the same bytes every time, cells never formulas."""
from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile

from kitcore.spreadsheet import FIXED_DATE, csv_to_ods, read_rows

NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0", "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
CSV = "critère;question;note\nconfiance;« Se parle-t-on franchement ? »;\nrisque;=HYPERLINK(\"http://x\");3\n"


def test_ods_structure_and_cells() -> None:
    data = csv_to_ods(CSV, sheet="grille")
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    root = ET.fromstring(archive.read("content.xml"))
    table = root.find(".//table:table", NS)
    assert table is not None and table.get(f"{{{NS['table']}}}name") == "grille"
    rows = [["".join(p.itertext()) for p in row.findall("table:table-cell/text:p", NS)]
            for row in table.findall("table:table-row", NS)]
    assert rows[0] == ["critère", "question", "note"]
    assert rows[1][1] == "« Se parle-t-on franchement ? »"
    # A contributor's formula stays text: no cell carries a table:formula attribute.
    assert rows[2][1] == '=HYPERLINK("http://x")'
    assert "formula" not in archive.read("content.xml").decode()


def test_ods_is_reproducible() -> None:
    # A fixed date on every entry (not the build's clock) and the same bytes for the same CSV.
    archive = zipfile.ZipFile(io.BytesIO(csv_to_ods(CSV)))
    assert {info.date_time for info in archive.infolist()} == {FIXED_DATE}
    assert hashlib.sha256(csv_to_ods(CSV)).hexdigest() == hashlib.sha256(csv_to_ods(CSV)).hexdigest()


def test_separator_guess() -> None:
    assert read_rows("a,b\n1,2\n") == [["a", "b"], ["1", "2"]]
    assert read_rows("a;b,c\n\n1;2\n") == [["a", "b,c"], ["1", "2"]]
