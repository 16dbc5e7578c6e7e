"""CSV toolbox files as published: UTF-8 with a byte-order mark, the only way Excel on Windows reads accents right."""
from __future__ import annotations

BOM = b"\xef\xbb\xbf"


def for_excel(data: bytes) -> bytes:
    """`data` (a UTF-8 CSV, `;`-separated as contributed) with a BOM in front, added once."""
    return data if data.startswith(BOM) else BOM + data
