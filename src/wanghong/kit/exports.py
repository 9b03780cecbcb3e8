"""Tables handed to people as CSV or Excel files, with text a spreadsheet would run as a formula made inert.

One place for the formula-injection guard (OWASP, "CSV Injection"): `=HYPERLINK(...)` in a brand's name, a memo or
an invoice number would otherwise become a live link, or worse, in the reader's spreadsheet. Every download of the
platform — boards, reports, statements — writes through here.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, TypeVar

import pandas as pd
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

# Where an export is written: a file, or an open binary stream such as a download's buffer.
Sink = TypeVar("Sink", Path, BinaryIO)

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) else value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula, prefixed with `'` as OWASP advises, so they show as
    typed; numeric columns are left alone (a negative number is a number, not a formula)."""
    out = frame.copy()
    for column in frame.columns:
        if not (is_numeric_dtype(frame[column]) or is_datetime64_any_dtype(frame[column])):
            out[column] = frame[column].astype(object).map(inert)
    return out


def write_csv(frame: pd.DataFrame, target: Sink) -> Sink:
    """CSV in UTF-8 with a byte-order mark, so Excel on Chinese Windows opens it without mojibake.

    `target` is a file path (its folder is created) or an open binary stream. Rows end in CRLF (RFC 4180): the
    csv writer then quotes a field holding a lone CR too, which would otherwise split its row.
    """
    neutralised(frame).to_csv(_prepared(target), index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return target


def write_xlsx(sheets: dict[str, pd.DataFrame], target: Sink) -> Sink:
    """One worksheet per frame (sheet names cut to Excel's 31 characters), text neutralised as for CSV."""
    with pd.ExcelWriter(_prepared(target), engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralised(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return target


def _prepared(target: Sink) -> Sink:
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    return target
