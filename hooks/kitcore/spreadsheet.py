"""CSV toolbox files turned into OpenDocument spreadsheets (.ods) at build time, byte for byte reproducible."""
from __future__ import annotations

import csv
import io
import zipfile
from xml.sax.saxutils import escape

# A fixed date keeps the archive identical from one build to the next (reproducible downloads and zips).
FIXED_DATE = (2020, 1, 1, 0, 0, 0)
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2"/>
"""
CONTENT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2">
<office:automatic-styles>
 <style:style style:name="entete" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="large" style:family="table-column"><style:table-column-properties style:column-width="6cm"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
"""
CONTENT_TAIL = "</office:spreadsheet></office:body></office:document-content>\n"


def read_rows(text: str) -> list[list[str]]:
    """Rows of a CSV text, guessing `;` or `,` as separator (French spreadsheets use `;`)."""
    sample = text.splitlines()[0] if text else ""
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(cell.strip() for cell in row)]


def _cell(value: str, header: bool) -> str:
    style = ' table:style-name="entete"' if header else ""
    # Cell text is written as a string: a contributor's "=…" is never evaluated as a formula.
    return f'<table:table-cell{style} office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'


def csv_to_ods(text: str, sheet: str = "Feuille 1") -> bytes:
    """An .ods file holding the CSV's rows, the first row in bold."""
    rows = read_rows(text)
    width = max((len(r) for r in rows), default=1)
    body = [f'<table:table table:name="{escape(sheet[:31])}">',
            f'<table:table-column table:style-name="large" table:number-columns-repeated="{width}"/>']
    for i, row in enumerate(rows):
        body.append("<table:table-row>" + "".join(_cell(v, i == 0) for v in row) + "</table:table-row>")
    body.append("</table:table>")
    content = CONTENT_HEAD + "\n".join(body) + CONTENT_TAIL
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # The mimetype entry comes first and uncompressed, as OpenDocument requires.
        for name, data, method in (("mimetype", MIMETYPE, zipfile.ZIP_STORED),
                                   ("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED),
                                   ("styles.xml", STYLES, zipfile.ZIP_DEFLATED),
                                   ("content.xml", content, zipfile.ZIP_DEFLATED)):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data.encode("utf-8"))
    return out.getvalue()
