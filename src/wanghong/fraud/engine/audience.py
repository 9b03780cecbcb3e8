"""Audience-quality score (0–100) of one creator, with per-signal reasons.

Four observable signals, each turned into a factor in [0, 1] that multiplies the share of real audience:

* **Real audience share** — the mean genuineness (1 − fake probability) of a sample of the creator's followers,
  scored by :mod:`.accounts`; the mass-follower share (following > 1,500) is reported beside it.
* **Engagement out of line with size peers** — the creator's engagement rate against creators of the same follower
  tier, on a log scale with a robust z-score (median and MAD). Far below peers means followers who do not watch;
  far above means bought interactions. Within ±2 robust sd there is no penalty; the penalty grows linearly to
  :data:`MAX_ENGAGEMENT_PENALTY` at ±5.
* **Growth spikes and drops** — daily follower changes with a robust z-score; a day beyond +6 (a purchased
  batch arriving) or a drop beyond −6 (the platform purging fakes) costs :data:`GROWTH_PENALTY` each, at most two.
* **Comment authenticity** — the share of template comments (:func:`.viewbots.is_template`); above 30 % the
  penalty grows linearly to :data:`MAX_COMMENT_PENALTY` at 80 %.

The weights are design choices (HypeAuditor's and Modash's scores are proprietary); they are constants here so a
reader can see and change them, and the tests pin the direction of every signal rather than exact numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wanghong.fraud.engine.accounts import MASS_FOLLOWING, AccountModel
from wanghong.fraud.engine.population import AccountColumns
from wanghong.fraud.engine.viewbots import is_template

FloatArray = npt.NDArray[np.float64]

MAX_ENGAGEMENT_PENALTY = 0.3
GROWTH_PENALTY = 0.1
MAX_COMMENT_PENALTY = 0.3
_ROBUST_SD = 1.4826  # MAD → standard deviation for normal data


@dataclass(frozen=True, slots=True)
class AudienceQuality:
    score: int  # 0–100, 100 = an entirely genuine, normally engaged audience
    real_share: float
    mass_follower_share: float
    engagement_z: float | None
    growth_anomalies: tuple[int, ...]  # day indices of spikes and drops
    template_comment_share: float | None
    reasons: tuple[str, ...]


def _robust_z(value: float | FloatArray, reference: FloatArray) -> FloatArray:
    median = np.median(reference)
    spread = _ROBUST_SD * np.median(np.abs(reference - median))
    return np.asarray((value - median) / max(float(spread), 1e-9), dtype=np.float64)


def audience_quality(
    model: AccountModel,
    follower_sample: AccountColumns,
    engagement_rate: float | None = None,
    peer_engagement_rates: FloatArray | None = None,
    daily_followers: FloatArray | None = None,
    comments: npt.NDArray[np.object_] | None = None,
) -> AudienceQuality:
    """Score one creator; every signal but the follower sample is optional (a missing signal costs nothing)."""
    if len(follower_sample) == 0:
        raise ValueError("follower_sample must hold at least one account")
    reasons: list[str] = []
    real_share = float(1.0 - model.fake_probability(follower_sample).mean())
    mass_share = float((follower_sample.following > MASS_FOLLOWING).mean())
    if real_share < 0.75:
        reasons.append(f"真实粉丝占比仅 {real_share:.0%} / only {real_share:.0%} of followers look genuine")
    if mass_share > 0.15:
        reasons.append(f"批量关注账号占 {mass_share:.0%} / {mass_share:.0%} of followers are mass followers")
    factor = 1.0

    engagement_z: float | None = None
    if engagement_rate is not None and peer_engagement_rates is not None and len(peer_engagement_rates) >= 5:
        peers = np.log(np.maximum(np.asarray(peer_engagement_rates, dtype=np.float64), 1e-6))
        engagement_z = float(_robust_z(float(np.log(max(engagement_rate, 1e-6))), peers))
        excess = min(max(abs(engagement_z) - 2.0, 0.0) / 3.0, 1.0)
        factor *= 1.0 - MAX_ENGAGEMENT_PENALTY * excess
        if engagement_z < -2:
            reasons.append("互动率远低于同量级达人 / engagement far below creators of the same size")
        elif engagement_z > 2:
            reasons.append("互动率异常高于同量级达人（疑似刷互动）/ engagement suspiciously above size peers")

    anomalies: tuple[int, ...] = ()
    if daily_followers is not None and len(daily_followers) >= 8:
        change = np.diff(np.asarray(daily_followers, dtype=np.float64))
        z = _robust_z(change, change)
        spikes = np.flatnonzero(z > 6)
        drops = np.flatnonzero(z < -6)
        anomalies = tuple(int(day) + 1 for day in np.sort(np.concatenate([spikes, drops])))
        factor *= 1.0 - GROWTH_PENALTY * min(len(anomalies), 2)
        if len(spikes):
            reasons.append(f"粉丝增长 {len(spikes)} 天异常激增 / follower growth spiked on {len(spikes)} day(s)")
        if len(drops):
            reasons.append(
                f"粉丝 {len(drops)} 天骤降（疑似清理假粉）/ followers dropped sharply on {len(drops)} day(s)"
            )

    template_share: float | None = None
    if comments is not None and len(comments):
        template_share = float(is_template(comments, np.zeros(len(comments))).mean())
        excess = min(max(template_share - 0.3, 0.0) / 0.5, 1.0)
        factor *= 1.0 - MAX_COMMENT_PENALTY * excess
        if template_share > 0.3:
            reasons.append(
                f"模板评论（666、来了来了等）占 {template_share:.0%} / {template_share:.0%} template comments"
            )

    return AudienceQuality(
        score=int(np.clip(round(100 * real_share * factor), 0, 100)),
        real_share=real_share,
        mass_follower_share=mass_share,
        engagement_z=engagement_z,
        growth_anomalies=anomalies,
        template_comment_share=template_share,
        reasons=tuple(reasons),
    )
