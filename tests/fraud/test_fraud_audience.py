from __future__ import annotations

import numpy as np
import pytest

from wanghong.fraud.engine.accounts import shipped_account_model
from wanghong.fraud.engine.audience import audience_quality
from wanghong.fraud.engine.population import AccountColumns, generate_population

PEERS = np.exp(np.random.default_rng(0).normal(np.log(0.04), 0.3, 200))


def _followers(fake_share: float, seed: int = 1) -> AccountColumns:
    return generate_population(2_000, seed=seed, fake_share=fake_share).accounts


def _growth(spike_day: int | None = None, drop_day: int | None = None) -> np.ndarray:
    rng = np.random.default_rng(4)
    change = rng.normal(500, 60, 60)
    if spike_day is not None:
        change[spike_day] += 20_000
    if drop_day is not None:
        change[drop_day] -= 15_000
    return np.concatenate([[100_000], 100_000 + np.cumsum(change)])


def test_a_genuine_audience_scores_high_without_reasons() -> None:
    quality = audience_quality(
        shipped_account_model(),
        _followers(0.02),
        engagement_rate=0.04,
        peer_engagement_rates=PEERS,
        daily_followers=_growth(),
        comments=np.array(["这个多少钱", "有小码吗", "666", "链接在哪"] * 10, dtype=object),
    )
    assert quality.score >= 90 and quality.real_share > 0.9
    assert quality.reasons == () and quality.growth_anomalies == ()


def test_every_signal_lowers_the_score_and_names_itself() -> None:
    model = shipped_account_model()
    clean = audience_quality(model, _followers(0.02)).score
    bought = audience_quality(model, _followers(0.5))
    assert bought.score < clean - 30
    assert any("genuine" in r for r in bought.reasons) and any("mass followers" in r for r in bought.reasons)

    followers = _followers(0.02)
    flat = audience_quality(model, followers, engagement_rate=0.04, peer_engagement_rates=PEERS)
    dead = audience_quality(model, followers, engagement_rate=0.002, peer_engagement_rates=PEERS)
    pumped = audience_quality(model, followers, engagement_rate=0.5, peer_engagement_rates=PEERS)
    assert dead.score < flat.score and pumped.score < flat.score
    assert dead.engagement_z is not None and dead.engagement_z < -2 and "below" in dead.reasons[-1]
    assert "above" in pumped.reasons[-1]

    spiky = audience_quality(model, followers, daily_followers=_growth(spike_day=20, drop_day=40))
    assert spiky.growth_anomalies == (21, 41)
    assert spiky.score < flat.score
    assert any("spiked" in r for r in spiky.reasons) and any("dropped" in r for r in spiky.reasons)

    scripted = audience_quality(model, followers, comments=np.array(["666", "来了来了", "主播好棒"] * 20, dtype=object))
    assert scripted.template_comment_share == 1.0 and scripted.score < flat.score


def test_an_empty_sample_is_refused() -> None:
    empty = AccountColumns(*(np.zeros(0, dtype=np.int64) for _ in range(8)))
    with pytest.raises(ValueError, match="at least one"):
        audience_quality(shipped_account_model(), empty)
