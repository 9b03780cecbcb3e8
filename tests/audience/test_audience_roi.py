"""The simulator's randomised ROI split, targeted vs untargeted: a design that randomises within category blocks, spends
the same budget in both arms, and reports each figure with an interval it measured (never the seed's 1:3 → 1:7.2)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from wanghong.audience.cli import app
from wanghong.audience.experiment import SplitConfig, run_split

SMALL = SplitConfig(viewers=3_000, creators=120, campaigns=48, bootstrap=300, min_pool=4, seed=3)


def test_split_is_randomised_within_blocks_and_spends_one_budget() -> None:
    result = run_split(SMALL)
    arms = result.assigned_targeted
    assert result.targeted.campaigns + result.untargeted.campaigns == SMALL.campaigns
    assert abs(result.targeted.campaigns - result.untargeted.campaigns) <= 12  # at most one per category block
    # Every campaign spends within the one budget, and the arms spend alike: what differs is whom they pay.
    spends = np.array([result.targeted.spend, result.untargeted.spend]) / [
        result.targeted.campaigns,
        result.untargeted.campaigns,
    ]
    assert 0 < spends.max() <= result.budget and spends.min() > 0.8 * spends.max()
    for arm in (result.targeted, result.untargeted):
        low, high = arm.interval
        assert low <= arm.roi <= high and arm.roi == pytest.approx(arm.gmv / arm.spend)
    assert result.lift == pytest.approx(result.targeted.roi / result.untargeted.roi)
    assert result.lift_interval[0] <= result.lift <= result.lift_interval[1]
    assert np.all(result.campaign_roi >= 0)
    # The assignment is drawn before any noise, from the seed alone: the same seed splits alike, another does not.
    assert np.array_equal(run_split(SMALL).assigned_targeted, arms)
    other = run_split(SplitConfig(**{**SMALL.__dict__, "seed": 4}))
    assert not np.array_equal(other.assigned_targeted, arms)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        SplitConfig(epsilon=0)
    with pytest.raises(ValueError, match="share"):
        SplitConfig(exposure=1.5)


def test_cli_prints_the_split_with_intervals() -> None:
    runner = CliRunner()
    args = ["roi-split", "--viewers", "3000", "--creators", "120", "--campaigns", "24", "--seed", "1"]
    found = runner.invoke(app, [*args, "--json"])
    assert found.exit_code == 0, found.output
    body = json.loads(found.stdout)
    assert body["targeted"]["campaigns"] + body["untargeted"]["campaigns"] == 24
    low, high = body["lift_interval"]
    assert low <= body["lift"] <= high and body["targeted"]["roi_interval"][0] <= body["targeted"]["roi"]
    text = runner.invoke(app, args)
    assert text.exit_code == 0 and "ROI 1:" in text.stdout and "95% CI" in text.stdout
    refused = runner.invoke(app, ["roi-split", "--viewers", "100", "--creators", "20", "--campaigns", "4"])
    assert refused.exit_code == 2 and "enough creators" in refused.stderr
