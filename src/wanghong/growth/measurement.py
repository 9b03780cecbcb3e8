"""Reading an observational data set for effect measurement: validated at the edge, nothing dropped silently.

`read_effect_data` turns a CSV into the treatment, outcome and covariate arrays the engine takes, and says what it
left out and why (rows with a missing value, non-numeric columns it did not use as covariates).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wanghong.growth.engine.effect import FloatArray


class EffectInputError(ValueError):
    """The file or the named columns cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class EffectData:
    treatment: FloatArray
    outcome: FloatArray
    covariates: FloatArray
    covariate_names: tuple[str, ...]
    rows_read: int
    rows_dropped: int  # rows with a missing treatment, outcome or covariate value
    skipped_columns: tuple[str, ...]  # non-numeric columns left out when covariates were not named


def read_effect_data(path: Path, treatment: str, outcome: str, covariates: list[str] | None = None) -> EffectData:
    """The columns of `path` for an effect estimate; without `covariates`, every other numeric column is one."""
    frame = _read_csv(path)
    named = [treatment, outcome, *(covariates or [])]
    missing = [c for c in dict.fromkeys(named) if c not in frame.columns]
    if missing:
        raise EffectInputError(
            f"column(s) not in {path.name}: {', '.join(missing)} (the file has: {', '.join(map(str, frame.columns))})"
        )
    if treatment == outcome:
        raise EffectInputError("treatment and outcome must be different columns")
    if covariates is None:
        others = [c for c in frame.columns if c not in (treatment, outcome)]
        chosen = [c for c in others if _numeric(frame[c])]
        skipped = tuple(str(c) for c in others if c not in chosen)
    else:
        clash = {treatment, outcome} & set(covariates)
        if clash:
            raise EffectInputError(
                f"a covariate cannot also be the treatment or the outcome: {', '.join(sorted(clash))}"
            )
        chosen = list(dict.fromkeys(covariates))
        bad = [c for c in chosen if not _numeric(frame[c])]
        if bad:
            raise EffectInputError(f"covariate(s) not numeric: {', '.join(bad)} (encode categories as 0/1 columns)")
        skipped = ()
    for role, column in (("outcome", outcome), ("treatment", treatment)):
        if not _numeric(frame[column]):
            raise EffectInputError(f"{role} column {column!r} is not numeric")
    used = frame[[treatment, outcome, *chosen]].astype(np.float64)
    complete = used.notna().all(axis=1).to_numpy()
    kept = used[complete]
    t = kept[treatment].to_numpy()
    if not np.isin(t, (0.0, 1.0)).all():
        odd = sorted({float(v) for v in np.unique(t) if v not in (0.0, 1.0)})[:5]
        raise EffectInputError(f"treatment {treatment!r} must be binary 0/1; it also holds {odd}")
    if kept.shape[0] and (t.min() == t.max()):
        raise EffectInputError(f"treatment {treatment!r} has no variation: every complete row has {int(t[0])}")
    if kept.shape[0] == 0:
        raise EffectInputError("no complete rows: every row misses the treatment, the outcome or a covariate")
    x = kept[chosen].to_numpy() if chosen else np.zeros((kept.shape[0], 0))
    if not np.isfinite(x).all() or not np.isfinite(kept[outcome].to_numpy()).all():
        raise EffectInputError("outcome and covariates must be finite numbers (the file holds inf)")
    return EffectData(
        treatment=t,
        outcome=kept[outcome].to_numpy(),
        covariates=x,
        covariate_names=tuple(str(c) for c in chosen),
        rows_read=int(frame.shape[0]),
        rows_dropped=int((~complete).sum()),
        skipped_columns=skipped,
    )


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise EffectInputError(f"no such file: {path}")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise EffectInputError(f"cannot read {path.name} as CSV: {error}") from None
    if frame.empty:
        raise EffectInputError(f"{path.name} has no data rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _numeric(column: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column))
