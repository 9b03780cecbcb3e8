"""Parameters of the ecosystem simulator.

The defaults are the calibrated values.  Three published figures of the seed platform are the calibration
targets (see `wanghong.simulator.engine.calibration` for how each is measured from the generated rows):

* creators with 100k–1M fans (腰部, `FollowerTier.MID`) receive about 65% of livestream tipping income;
* the top decile of MCNs captures about 47% of MCN-affiliated creators' income;
* creators earn on average about 8,700 yuan a month.

Every other number is a modelling assumption chosen to look like the industry (marked "assumption"); the
handful that move the three figures are marked "calibrated" and were tuned with `bench/simulator.py`.
Per-tier tuples are indexed like `wanghong.domain.FollowerTier`: (nano, micro, mid, head, top).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

TierValues = tuple[float, float, float, float, float]


class InvalidSimulationConfig(ValueError):
    """A simulation parameter is out of its meaningful range."""


@dataclass(frozen=True)
class SimulationConfig:
    creators: int = 2000
    days: int = 90  # length of the simulated period, ending on a seed-derived reference date

    # --- followers: a truncated power law (Pareto), the standard model of creator popularity
    # (Clauset, Shalizi & Newman, "Power-law distributions in empirical data", SIAM Review 2009).
    follower_min: int = 1_000  # assumption: accounts below 1k fans are not onboarded as creators
    follower_max: int = 50_000_000  # assumption: the largest Kuaishou/Douyin accounts are tens of millions
    follower_alpha: float = 0.78  # assumption: 83.4% nano, 13.8% micro, 2.3% mid, 0.44% head+top

    # --- MCN membership
    mcns_per_creator: float = 0.01  # assumption: one agency per hundred creators (≥ 10 agencies)
    mcn_affiliation: TierValues = (0.15, 0.40, 0.70, 0.85, 0.90)  # assumption: bigger creators sign up more
    mcn_size_zipf: float = 0.25  # calibrated: Zipf exponent of agency attractiveness → top-decile share 47%
    mcn_assortativity: float = 0.10  # calibrated: how much more strongly big creators prefer big agencies

    # --- livestreams
    streamer_share: TierValues = (0.30, 0.60, 0.85, 0.90, 0.95)  # assumption: share who go live at all
    streams_per_week: TierValues = (0.8, 1.5, 2.5, 3.0, 3.0)  # assumption
    stream_minutes: TierValues = (60.0, 90.0, 120.0, 150.0, 180.0)  # assumption: mean session length
    stream_reach: TierValues = (0.30, 0.15, 0.08, 0.04, 0.02)  # assumption: unique viewers per follower
    stream_base_viewers: float = 40.0  # assumption: recommendation traffic even a tiny stream gets
    # Tippers per unique viewer.  腰部 creators run the "老铁" fan-community shows that live on tips, while
    # head creators' sessions are commerce-first; calibrated → the 65% tipping share.
    tip_rate: TierValues = (0.0003, 0.0006, 0.0026, 0.00075, 0.0004)
    tip_median: float = 80.0  # assumption: median yuan a tipper spends in one session
    tip_sigma: float = 1.5  # assumption: log-normal spread; a few 榜一大哥 spend thousands
    creator_tip_share: float = 0.50  # industry norm: platform keeps about half of virtual-gift revenue
    commerce_stream_share: float = 0.60  # assumption: share of a dealing creator's sessions that sell
    stream_conversion: TierValues = (0.004, 0.004, 0.0035, 0.003, 0.003)  # orders per unique viewer
    minute_stat_interval: int = 5  # minutes per stats bucket; 1 gives true minute stats at 5× the rows

    # --- short videos
    videos_per_week: TierValues = (1.2, 2.5, 3.5, 3.5, 3.0)  # assumption
    video_reach: float = 0.25  # assumption: median views per follower
    video_like_rate: float = 0.04  # assumption
    video_conversion: float = 0.0004  # assumption: orders per view of a sponsored video

    # --- brands, products, campaigns, collaborations
    creators_per_brand: float = 25.0  # assumption
    products_per_brand: float = 6.0  # assumption (mean)
    campaigns_per_brand: float = 2.0  # assumption (mean)
    price_median: float = 180.0  # assumption: yuan, livestream e-commerce sits in the tens-to-hundreds
    price_sigma: float = 0.8
    collaborations_per_quarter: TierValues = (0.3, 1.5, 4.0, 8.0, 12.0)  # assumption
    self_live_share: float = 0.30  # assumption: share of campaigns that are brand self-live
    # Agreed fee ∝ followers^fee_exponent; sub-linear because price per fan falls with reach.
    fee_per_follower: float = 1.78  # calibrated (yuan per follower at 1k followers) → 8,700 yuan/month
    fee_exponent: float = 0.65  # assumption: 10万粉 ≈ 3.2k, 100万粉 ≈ 16k yuan a deal
    distribution_commission: tuple[float, float] = (0.10, 0.30)  # assumption: uniform range, 达人分销
    self_live_commission: tuple[float, float] = (0.00, 0.05)  # assumption: hosts of brand self-live

    # --- viewers and behaviour
    viewers_per_creator: float = 20.0  # assumption: size of the simulated audience pool
    loyal_share: float = 0.80  # assumption: share of a creator's tips/orders that come from its own fans
    events_per_viewer: float = 6.0  # assumption: sampled non-tip behaviour events per viewer

    def __post_init__(self) -> None:
        problems: list[str] = []
        if self.creators < 10:
            problems.append(f"creators must be at least 10, got {self.creators}")
        if not 7 <= self.days <= 366:
            problems.append(f"days must be between 7 and 366, got {self.days}")
        if not 0 < self.follower_min < self.follower_max:
            problems.append("follower_min must be positive and below follower_max")
        if self.follower_max > 2**31 - 1:
            problems.append("follower_max must fit a 32-bit integer column")
        if self.follower_alpha <= 0:
            problems.append(f"follower_alpha must be positive, got {self.follower_alpha}")
        if self.minute_stat_interval < 1:
            problems.append("minute_stat_interval must be at least 1 minute")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple) and any(v < 0 for v in value):
                problems.append(f"{f.name} must not contain negative values, got {value}")
            elif isinstance(value, float) and value < 0:
                problems.append(f"{f.name} must not be negative, got {value}")
        for name in ("mcn_affiliation", "streamer_share", "tip_rate", "stream_conversion"):
            if any(v > 1 for v in getattr(self, name)):
                problems.append(f"{name} holds probabilities and must stay within [0, 1]")
        for name in ("creator_tip_share", "commerce_stream_share", "self_live_share", "loyal_share"):
            if getattr(self, name) > 1:
                problems.append(f"{name} is a share and must be at most 1")
        if problems:
            raise InvalidSimulationConfig("invalid simulation config: " + "; ".join(problems))
