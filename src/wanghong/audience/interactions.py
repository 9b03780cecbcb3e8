"""Reading behaviour logs and seed lists from files, validated at the edge.

Interactions are CSV with the header `user_id,item_id,weight,timestamp`; `weight` (a non-negative number, 1 when
empty) and `timestamp` (epoch seconds or ISO 8601, may be empty) are optional columns. Seeds are one user id per
line. Every problem is an `InputError` whose message names the file and, where there is one, the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp

from wanghong.audience.engine import interaction_matrix

REQUIRED_COLUMNS = ("user_id", "item_id")
OPTIONAL_COLUMNS = ("weight", "timestamp")
_FIRST_DATA_LINE = 2  # line numbers as an editor shows them: the header is line 1


class InputError(ValueError):
    """A file that cannot be used as it is; the message says why, in Chinese and English."""


@dataclass(frozen=True)
class InteractionLog:
    """Users and items in first-appearance order and their user × item matrix of summed weights."""

    user_ids: npt.NDArray[np.object_]
    item_ids: npt.NDArray[np.object_]
    counts: sp.csr_matrix

    def rows_of(self, user_ids: list[str]) -> tuple[npt.NDArray[np.int64], list[str]]:
        """Rows of the given users, and the ids that are not in the log (in the order given)."""
        index = pd.Index(self.user_ids)
        positions = index.get_indexer(pd.Index(user_ids, dtype=object))
        unknown = [user for user, position in zip(user_ids, positions, strict=True) if position < 0]
        return positions[positions >= 0].astype(np.int64), unknown


def _bad_line(path: Path, frame_row: int, what: str) -> InputError:
    return InputError(f"{path}: 第 {frame_row + _FIRST_DATA_LINE} 行 / line {frame_row + _FIRST_DATA_LINE}: {what}")


def read_interactions(path: Path) -> InteractionLog:
    """Parse and validate an interactions CSV (see the module docstring)."""
    if not path.is_file():
        raise InputError(f"找不到交互文件 / interactions file not found: {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: 文件为空 / the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: CSV 格式错误 / malformed CSV ({error})") from None
    columns = [str(column).strip() for column in frame.columns]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    unexpected = [column for column in columns if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unexpected:
        raise InputError(
            f"{path}: 表头应为 / the header must be user_id,item_id,weight,timestamp "
            f"(缺少 / missing: {missing or '-'}, 多余 / unexpected: {unexpected or '-'})"
        )
    frame.columns = pd.Index(columns)
    if frame.empty:
        raise InputError(f"{path}: 只有表头，没有交互 / a header but no interactions")
    frame = frame.fillna("")  # a short row leaves its trailing fields missing
    for column in REQUIRED_COLUMNS:
        values = frame[column].str.strip()
        empty = np.flatnonzero((values == "").to_numpy())
        if empty.size:
            raise _bad_line(path, int(empty[0]), f"{column} 为空 / {column} is empty")
        frame[column] = values
    weights = _weights(path, frame["weight"]) if "weight" in frame else None
    if "timestamp" in frame:
        _check_timestamps(path, frame["timestamp"])
    user_codes, user_ids = pd.factorize(frame["user_id"])
    item_codes, item_ids = pd.factorize(frame["item_id"])
    counts = interaction_matrix(user_codes, item_codes, weights, len(user_ids), len(item_ids))
    return InteractionLog(
        user_ids=np.asarray(user_ids, dtype=object), item_ids=np.asarray(item_ids, dtype=object), counts=counts
    )


def _weights(path: Path, column: pd.Series) -> npt.NDArray[np.float64]:
    text = column.str.strip()
    given = (text != "").to_numpy()
    numbers = pd.to_numeric(text.where(given, "1"), errors="coerce").to_numpy(dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(numbers) | (numbers < 0))
    if bad.size:
        row = int(bad[0])
        raise _bad_line(
            path, row, f"weight 应为非负数 / weight must be a non-negative number, got {column.iloc[row]!r}"
        )
    return numbers


def _check_timestamps(path: Path, column: pd.Series) -> None:
    text = column.str.strip()
    given = text[text != ""]
    if given.empty:
        return
    numeric = pd.to_numeric(given, errors="coerce")
    textual = given[numeric.isna()]
    if textual.empty:
        return
    parsed = pd.to_datetime(textual, errors="coerce", format="ISO8601", utc=True)
    if parsed.isna().any():
        row = int(parsed.index[parsed.isna()][0])  # read_csv's RangeIndex: the label is the row position
        raise _bad_line(
            path,
            row,
            f"timestamp 应为秒级时间戳或 ISO 8601 / timestamp must be epoch seconds or ISO 8601, "
            f"got {column.iloc[row]!r}",
        )


def read_seeds(path: Path) -> list[str]:
    """Seed user ids, one per line; blank lines skipped, duplicates kept once, in file order."""
    if not path.is_file():
        raise InputError(f"找不到种子文件 / seeds file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: 不是 UTF-8 文本 / not UTF-8 text ({error})") from None
    seeds = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    if not seeds:
        raise InputError(f"{path}: 种子列表为空 / the seed list is empty")
    return seeds
