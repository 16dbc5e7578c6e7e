"""The .ods made from a toolbox CSV: valid OpenDocument, the same bytes every time, cells never formulas."""
from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile

from kitcore.csvexport import read_rows
from kitcore.spreadsheet import FIXED_DATE, csv_to_ods

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


def cells(data: bytes) -> list[list[tuple[str | None, str | None, str]]]:
    """(value type, value, text) of every cell, row by row."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("content.xml"))
    return [[(c.get(f"{{{office}}}value-type"), c.get(f"{{{office}}}value"), "".join(c.itertext()))
             for c in row.findall("table:table-cell", NS)] for row in root.iter(f"{{{NS['table']}}}table-row")]


def test_numbers_are_stored_as_numbers() -> None:
    text = "id;note;part;montant;version;délai\n01;3,5;45 %;12 000;1.5;3 à 6 mois\n7;-2;12,5\u00a0%;0,25;2026;\n"
    rows = cells(csv_to_ods(text))
    assert rows[0][1] == ("string", None, "note")  # the header stays text, even « 2026 » would
    assert rows[1] == [("string", None, "01"), ("float", "3.5", "3,5"), ("percentage", "0.45", "45 %"),
                       ("float", "12000.0", "12 000"), ("string", None, "1.5"), ("string", None, "3 à 6 mois")]
    assert rows[2][:4] == [("float", "7.0", "7"), ("float", "-2.0", "-2"), ("percentage", "0.125", "12,5\u00a0%"),
                           ("float", "0.25", "0,25")]


def test_same_bytes_in_another_process_at_another_time() -> None:
    # Hash randomisation and the clock differ between two builds: neither may reach the archive.
    import subprocess
    import sys

    script = ("import sys; from kitcore.spreadsheet import csv_to_ods; "
              "sys.stdout.buffer.write(csv_to_ods(sys.stdin.read(), sheet='grille'))")
    outputs = {subprocess.run([sys.executable, "-c", script], input=CSV.encode(), capture_output=True, check=True,
                              env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}).stdout for seed in ("1", "2")}
    assert outputs == {csv_to_ods(CSV, sheet="grille")}


def test_same_bytes_whatever_was_written_before() -> None:
    from kitcore.spreadsheet import Choice, Formula, Workbook

    first = csv_to_ods(CSV, sheet="grille")
    book = Workbook()  # a document using other parts of OpenDocument: validations, formulas, percentages
    sheet = book.sheet("Feuille", ["3cm"])
    book.row(sheet, [Choice(("Oui", "Non")), Formula("of:=1+1", 2.0), "45 %"])
    assert book.bytes() == book.bytes()
    assert csv_to_ods(CSV, sheet="grille") == first


def test_each_distinct_csv_becomes_an_ods_once_for_all_the_centres(monkeypatch) -> None:
    # A kit shown by two centres offers the same .ods in both: odfpy builds it once per build, not per centre.
    from conftest import ROOT
    from kitcore import checks, pages, spreadsheet

    corpus, _ = checks.check_kits(ROOT / "kits")
    spreadsheet.csv_to_ods.cache_clear()
    made: list[str] = []
    real = spreadsheet.read_rows
    monkeypatch.setattr(spreadsheet, "read_rows", lambda text: made.append(text) or real(text))
    centres = [pages.build_centre(corpus, a.id) for a in corpus.audiences]
    offered = {(a.source, a.path.rsplit("/", 1)[-1]) for c in centres for a in c.assets if a.path.endswith(".ods")
               and a.source.suffix == ".csv"}
    shown = sum(1 for c in centres for a in c.assets if a.path.endswith(".ods") and a.source.suffix == ".csv")
    assert shown > len(offered) > 0  # some kits are shared, so some files are offered by two centres
    assert len(made) == len(offered)
