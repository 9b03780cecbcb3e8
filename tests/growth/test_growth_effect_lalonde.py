"""LaLonde's job-training benchmark: the observational ATT against CPS controls lands near the randomised one.

The NSW experiment (Dehejia–Wahba sample) gives the randomised ATT, a difference of means of about $1,794; the same
185 treated against the 15,992 CPS-1 controls are what an observational study would have. Both ship in the MIT
``causaldata`` wheel. Issue 16's goal: the estimate within 28% of the randomised effect, its interval covering it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wanghong.growth.engine import estimate_effect

COVARIATES = ["age", "educ", "black", "hisp", "marr", "nodegree", "re74", "re75", "u74", "u75"]


def with_unemployment(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.drop(columns=["data_id"]).astype("float64")
    frame["u74"] = (frame["re74"] == 0).astype("float64")
    frame["u75"] = (frame["re75"] == 0).astype("float64")
    return frame


@pytest.mark.slow
def test_observational_att_lands_within_28_percent_of_the_randomised_one() -> None:
    causaldata = pytest.importorskip("causaldata")
    nsw = with_unemployment(causaldata.nsw_mixtape.load_pandas().data)
    cps = with_unemployment(causaldata.cps_mixtape.load_pandas().data)
    randomised = float(nsw[nsw.treat == 1].re78.mean() - nsw[nsw.treat == 0].re78.mean())
    observational = pd.concat([nsw[nsw.treat == 1], cps], ignore_index=True)
    t = observational["treat"].to_numpy()
    result = estimate_effect(
        t, observational["re78"].to_numpy(), observational[COVARIATES].to_numpy(), estimand="att", refute=False
    )
    assert result.naive < 0 < randomised  # the naive comparison gets the sign wrong
    assert abs(result.estimate - randomised) <= 0.28 * randomised
    assert result.interval.contains(randomised)
    assert result.overlap is not None
    assert result.overlap.effective_controls < 0.1 * int((t == 0).sum())
    assert np.isfinite(result.interval.stderr)
