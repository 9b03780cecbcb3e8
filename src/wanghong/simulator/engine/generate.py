"""Vectorised generator of a simulated influencer ecosystem.

Everything is drawn from one `numpy.random.Generator` seeded with the run's seed, table by table in a fixed
order, so a seed always yields the same ecosystem.  No step loops over rows in Python except for building
display names; event tables are produced by expanding per-parent counts with `np.repeat`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone

import numpy as np

from wanghong.domain import CampaignStatus, CollaborationMode, CollaborationStatus
from wanghong.domain import ViewerAction as VA
from wanghong.simulator.engine import names
from wanghong.simulator.engine import personas as P
from wanghong.simulator.engine.config import InvalidSimulationConfig, SimulationConfig
from wanghong.simulator.engine.sampling import (
    Groups,
    categorical_rows,
    f64,
    follower_tier_codes,
    steady_counts,
    tier_values,
    within_group_index,
)
from wanghong.simulator.engine.tables import (
    CAMPAIGN_STATUSES,
    CATEGORIES,
    COLLABORATION_MODES,
    COLLABORATION_STATUSES,
    FOLLOWER_TIERS,
    MCN_TIERS,
    PLATFORMS,
    SEGMENTS,
    VIEWER_ACTIONS,
    BehaviourEvents,
    Brands,
    Campaigns,
    Collaborations,
    Creators,
    Ecosystem,
    IntArray,
    LivestreamMinuteStats,
    Livestreams,
    LivestreamTips,
    Mcns,
    Orders,
    Personas,
    Products,
    Videos,
    Viewers,
    code_of,
)

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")
DAY = 86_400

# Progress steps, in the order `generate_ecosystem` reports them (Chinese first, English second).
STEPS: tuple[str, ...] = (
    "达人与MCN / creators and MCNs",
    "品牌与合作 / brands and collaborations",
    "短视频 / videos",
    "直播与打赏 / livestreams and tips",
    "订单 / orders",
    "观众与行为 / viewers and behaviour",
)

ProgressCallback = Callable[[str], None]


def reference_end_date(seed: int) -> date:
    """The last day of the simulated period: a date in 2024 chosen by the seed, never today's clock."""
    return date(2024, 1, 1) + timedelta(days=seed % 366)


def period_start_for(seed: int, days: int, end_date: date | None = None) -> datetime:
    """Midnight (China Standard Time) of the first day of a period of `days` ending on `end_date` (by default
    the seed's reference date, so that a seed alone reproduces an ecosystem)."""
    first_day = (end_date or reference_end_date(seed)) - timedelta(days=days - 1)
    return datetime.combine(first_day, time(0), tzinfo=CHINA_STANDARD_TIME)


# ---------------------------------------------------------------------------------------------- helpers


def _progress(callback: ProgressCallback | None, step: int) -> None:
    if callback is not None:
        callback(STEPS[step])


# ---------------------------------------------------------------------------------------------- generator


def generate_ecosystem(
    config: SimulationConfig | None = None,
    seed: int = 7,
    progress: ProgressCallback | None = None,
    end_date: date | None = None,
) -> Ecosystem:
    """Simulate one ecosystem; the same config, seed and end date always give the same tables.

    `progress`, if given, is called once as each of the `STEPS` completes. `end_date` moves the whole period (a
    demo ends yesterday); the draws do not depend on it, only the calendar does.
    """
    cfg = config or SimulationConfig()
    if seed < 0:
        raise InvalidSimulationConfig(f"seed must be a non-negative integer, got {seed}")
    rng = np.random.default_rng(seed)
    n = cfg.creators
    period_s = cfg.days * DAY
    weeks = cfg.days / 7.0

    # ---- creators: stratified draw from a truncated Pareto, so the tail is represented at every N
    # (each creator gets its own 1/N slice of quantiles instead of N i.i.d. uniforms).
    q = (rng.permutation(n) + rng.random(n)) / n
    lo, hi, alpha = cfg.follower_min, cfg.follower_max, cfg.follower_alpha
    followers = np.floor(lo * (1.0 - q * (1.0 - (lo / hi) ** alpha)) ** (-1.0 / alpha)).astype(np.int64)
    followers = np.clip(followers, lo, hi)
    tier = follower_tier_codes(followers)

    primary_segment = rng.choice(len(SEGMENTS), size=n, p=P.SEGMENT_PREVALENCE).astype(np.int8)
    secondary_segment = rng.choice(len(SEGMENTS), size=n, p=P.SEGMENT_PREVALENCE).astype(np.int8)
    clash = secondary_segment == primary_segment
    shift = rng.integers(1, len(SEGMENTS), size=n)
    secondary_segment = np.where(clash, (primary_segment + shift) % len(SEGMENTS), secondary_segment)
    secondary_segment = secondary_segment.astype(np.int8)
    mix = P.segment_mixtures(rng, primary_segment, secondary_segment)
    personas = Personas(
        gender=P.blend(rng, mix, P.GENDER_PROFILE),
        age_band=P.blend(rng, mix, P.AGE_PROFILE),
        city_tier=P.blend(rng, mix, P.CITY_PROFILE),
        segment=mix,
        interest=P.blend(rng, mix, P.INTEREST_PROFILE),
    )
    primary_category = categorical_rows(rng, P.INTEREST_PROFILE[primary_segment])
    secondary_category = categorical_rows(rng, personas.interest)
    same = secondary_category == primary_category
    secondary_category = np.where(
        same, (primary_category + rng.integers(1, len(CATEGORIES), size=n)) % len(CATEGORIES), secondary_category
    ).astype(np.int8)
    city_tier = categorical_rows(rng, personas.city_tier)
    region = names.regions(rng, city_tier)
    platform = rng.choice(len(PLATFORMS), size=n, p=[0.60, 0.35, 0.05]).astype(np.int8)
    display_name = names.creator_display_names(rng, primary_category)
    handle = np.array([f"wh_{i + 1:06d}" for i in range(n)])
    joined_day = np.clip(rng.lognormal(np.log(400), 0.8, size=n), 1, 3000).astype(np.int32)

    # ---- MCNs: Zipf attractiveness; bigger creators lean harder towards the bigger agencies.
    n_mcn = max(10, round(n * cfg.mcns_per_creator))
    size_rank = rng.permutation(n_mcn)  # agency ids are not sorted by size
    attractiveness = (size_rank + 1.0) ** (-cfg.mcn_size_zipf)
    mcn_id = np.full(n, -1, dtype=np.int32)
    affiliated = rng.random(n) < tier_values(cfg.mcn_affiliation, tier)
    for t in range(len(FOLLOWER_TIERS)):
        members = np.flatnonzero(affiliated & (tier == t))
        if members.size:
            weight = attractiveness ** (1.0 + cfg.mcn_assortativity * t)
            mcn_id[members] = rng.choice(n_mcn, size=members.size, p=weight / weight.sum())
    rated = np.array([code_of(t, MCN_TIERS) for t in MCN_TIERS], dtype=np.int8)
    rank_share = size_rank / n_mcn
    mcn_tier = np.select(
        [rank_share < 0.05, rank_share < 0.20, rank_share < 0.50], [rated[0], rated[1], rated[2]], rated[3]
    ).astype(np.int8)
    mcns = Mcns(
        name=names.mcn_names(rng, n_mcn),
        tier=mcn_tier,
        founded_day=np.clip(rng.lognormal(np.log(900), 0.5, size=n_mcn), 30, 4000).astype(np.int32),
    )
    creators = Creators(
        handle=handle,
        display_name=display_name,
        platform=platform,
        followers=followers,
        follower_tier=tier,
        mcn_id=mcn_id,
        primary_segment=primary_segment,
        secondary_segment=secondary_segment,
        primary_category=primary_category,
        secondary_category=secondary_category,
        city_tier=city_tier,
        region=region,
        joined_day=joined_day,
    )
    _progress(progress, 0)

    # ---- brands, products, campaigns
    n_brand = max(5, round(n / cfg.creators_per_brand))
    market = np.bincount(primary_category, minlength=len(CATEGORIES)) + 1.0
    brand_category = rng.choice(len(CATEGORIES), size=n_brand, p=market / market.sum()).astype(np.int8)
    brands = Brands(name=names.brand_names(rng, n_brand), category=brand_category)

    per_brand = 1 + rng.poisson(cfg.products_per_brand - 1, size=n_brand)
    product_brand = np.repeat(np.arange(n_brand), per_brand).astype(np.int32)
    n_product = product_brand.shape[0]
    off_category = rng.random(n_product) < 0.1
    product_category = np.where(
        off_category, rng.integers(0, len(CATEGORIES), size=n_product), brand_category[product_brand]
    ).astype(np.int8)
    price = np.round(np.clip(rng.lognormal(np.log(cfg.price_median), cfg.price_sigma, n_product), 1, 20_000), 1)
    product_name = names.product_names(brands.name, product_brand, product_category, within_group_index(per_brand))
    products = Products(brand_id=product_brand, name=product_name, category=product_category, price=f64(price))

    per_brand_campaigns = 1 + rng.poisson(cfg.campaigns_per_brand - 1, size=n_brand)
    campaign_brand = np.repeat(np.arange(n_brand), per_brand_campaigns).astype(np.int32)
    n_campaign = campaign_brand.shape[0]
    self_live, distribution = (
        code_of(m, COLLABORATION_MODES)
        for m in (CollaborationMode.BRAND_SELF_LIVE, CollaborationMode.CREATOR_DISTRIBUTION)
    )
    campaign_mode = np.where(rng.random(n_campaign) < cfg.self_live_share, self_live, distribution).astype(np.int8)
    campaign_start = rng.integers(-30 * DAY, max(period_s - 14 * DAY, 1), size=n_campaign).astype(np.int32)
    campaign_end = (campaign_start + rng.integers(14 * DAY, 61 * DAY, size=n_campaign)).astype(np.int32)

    # ---- collaborations: creators join campaigns of brands in their categories.
    n_collab_per_creator = steady_counts(rng, tier_values(cfg.collaborations_per_quarter, tier) * cfg.days / 90.0)
    collab_creator = np.repeat(np.arange(n), n_collab_per_creator).astype(np.int32)
    n_collab = collab_creator.shape[0]
    wanted_category = np.where(
        rng.random(n_collab) < 0.7, primary_category[collab_creator], secondary_category[collab_creator]
    )
    campaigns_by_category = Groups.of(brand_category[campaign_brand], len(CATEGORIES))
    collab_campaign = campaigns_by_category.pick(rng, wanted_category)
    no_match = collab_campaign < 0
    collab_campaign[no_match] = rng.integers(0, n_campaign, size=int(no_match.sum()))
    collab_campaign = collab_campaign.astype(np.int32)
    products_by_brand = Groups.of(product_brand, n_brand)
    collab_product = products_by_brand.pick(rng, campaign_brand[collab_campaign]).astype(np.int32)
    collab_mode = campaign_mode[collab_campaign]
    window_start = np.maximum(campaign_start[collab_campaign], 0)
    window_end = np.minimum(campaign_end[collab_campaign], period_s - 3 * DAY)
    window_end = np.maximum(window_end, window_start + 1)
    collab_created = (window_start + rng.random(n_collab) * (window_end - window_start)).astype(np.int32)
    status_p = np.array([0.05, 0.07, 0.06, 0.05, 0.12, 0.55, 0.06, 0.04])  # order of COLLABORATION_STATUSES
    collab_status = rng.choice(len(COLLABORATION_STATUSES), size=n_collab, p=status_p / status_p.sum())
    live_code = code_of(CollaborationStatus.LIVE, COLLABORATION_STATUSES)
    settled_code = code_of(CollaborationStatus.SETTLED, COLLABORATION_STATUSES)
    approved_code = code_of(CollaborationStatus.APPROVED, COLLABORATION_STATUSES)
    went_live = (collab_status == live_code) | (collab_status == settled_code)
    live_at = (collab_created + rng.integers(2 * DAY, 10 * DAY, size=n_collab)).astype(np.int32)
    too_late = went_live & (live_at >= period_s - 3600)
    collab_status[too_late] = approved_code  # content approved but its go-live falls after the period
    went_live &= ~too_late
    live_at = np.where(went_live, live_at, -1).astype(np.int32)
    collab_followers = followers[collab_creator].astype(np.float64)
    fee = cfg.fee_per_follower * 1000.0 * (collab_followers / 1000.0) ** cfg.fee_exponent
    fee = np.round(fee * rng.lognormal(0.0, 0.35, size=n_collab), 0)
    rate_range = np.where(
        (collab_mode == self_live)[:, None], np.array(cfg.self_live_commission), np.array(cfg.distribution_commission)
    )
    commission_rate = np.round(rate_range[:, 0] + rng.random(n_collab) * (rate_range[:, 1] - rate_range[:, 0]), 3)
    collaborations = Collaborations(
        campaign_id=collab_campaign,
        creator_id=collab_creator,
        product_id=collab_product,
        mode=collab_mode,
        status=collab_status.astype(np.int8),
        fee=fee,
        commission_rate=commission_rate,
        created_at=collab_created,
        live_at=live_at,
    )
    agreed = np.bincount(collab_campaign, weights=fee, minlength=n_campaign)
    campaign_budget = np.round(np.maximum(agreed * rng.uniform(1.0, 1.5, size=n_campaign), 5_000.0), 0)
    closed, active = (code_of(s, CAMPAIGN_STATUSES) for s in (CampaignStatus.CLOSED, CampaignStatus.ACTIVE))
    campaigns = Campaigns(
        brand_id=campaign_brand,
        name=names.campaign_names(brands.name, campaign_brand, within_group_index(per_brand_campaigns)),
        mode=campaign_mode,
        status=np.where(campaign_end <= period_s, closed, active).astype(np.int8),
        starts_at=campaign_start,
        ends_at=campaign_end,
        budget=f64(campaign_budget),
    )
    _progress(progress, 1)

    # ---- short videos: organic uploads plus one sponsored video per distribution deal that went live.
    organic_count = rng.poisson(tier_values(cfg.videos_per_week, tier) * weeks)
    organic_creator = np.repeat(np.arange(n), organic_count)
    sponsored = np.flatnonzero(went_live & (collab_mode == distribution))
    video_creator = np.concatenate((organic_creator, collab_creator[sponsored])).astype(np.int32)
    video_collab = np.concatenate((np.full(organic_creator.shape[0], -1), sponsored)).astype(np.int32)
    n_video = video_creator.shape[0]
    video_published = np.concatenate(
        (rng.integers(0, period_s, size=organic_creator.shape[0]), live_at[sponsored])
    ).astype(np.int32)
    video_category = np.concatenate(
        (primary_category[organic_creator], product_category[collab_product[sponsored]])
    ).astype(np.int8)
    mean_views = cfg.video_reach * followers[video_creator] + 30.0
    video_views = np.round(mean_views * rng.lognormal(0.0, 1.0, size=n_video)).astype(np.int64)
    like_rate = np.clip(cfg.video_like_rate * rng.lognormal(0.0, 0.4, size=n_video), 0, 0.5)
    video_likes = rng.binomial(video_views, like_rate).astype(np.int64)
    videos = Videos(
        creator_id=video_creator,
        collaboration_id=video_collab,
        category=video_category,
        published_at=video_published,
        duration_s=np.clip(rng.lognormal(np.log(45), 0.7, size=n_video), 8, 900).astype(np.int32),
        views=video_views,
        likes=video_likes,
    )
    _progress(progress, 2)

    # ---- viewers first, because tips and orders are made by them.
    n_viewer = max(100, round(n * cfg.viewers_per_creator))
    fan_weight = np.sqrt(followers.astype(np.float64))
    home = np.searchsorted(np.cumsum(fan_weight), rng.random(n_viewer) * fan_weight.sum(), side="right")
    home = np.minimum(home, n - 1).astype(np.int32)
    # Draw each viewer's attributes from the persona of the creator whose fan base they come from.
    viewers = Viewers(
        home_creator_id=home,
        gender=categorical_rows(rng, personas.gender[home]),
        age_band=categorical_rows(rng, personas.age_band[home]),
        city_tier=categorical_rows(rng, personas.city_tier[home]),
        segment=categorical_rows(rng, personas.segment[home]),
    )
    fans = Groups.of(home, n)

    def audience(creator: np.ndarray) -> np.ndarray:
        """Viewers acting on `creator`'s content: mostly its own fans, the rest from anywhere."""
        loyal = fans.pick(rng, creator)
        stranger = rng.integers(0, n_viewer, size=creator.shape[0])
        use_fan = (loyal >= 0) & (rng.random(creator.shape[0]) < cfg.loyal_share)
        return np.where(use_fan, loyal, stranger).astype(np.int32)

    # ---- livestreams
    streams = rng.random(n) < tier_values(cfg.streamer_share, tier)
    stream_count = np.where(streams, steady_counts(rng, tier_values(cfg.streams_per_week, tier) * weeks), 0)
    ls_creator = np.repeat(np.arange(n), stream_count).astype(np.int32)
    n_ls = ls_creator.shape[0]
    ls_tier = tier[ls_creator]
    mean_minutes = tier_values(cfg.stream_minutes, ls_tier)
    duration = np.clip(rng.gamma(3.0, mean_minutes / 3.0), 20, 360).astype(np.int32)
    evening = rng.random(n_ls) < 0.7  # most sessions start in the evening prime time, China time
    hour = np.where(evening, np.clip(rng.normal(20.5, 1.2, n_ls), 17, 23.5), rng.uniform(8, 23.5, n_ls))
    start_guess = rng.integers(0, cfg.days, size=n_ls) * DAY + (hour * 3600).astype(np.int64)
    started = np.minimum(start_guess, period_s - duration * 60).astype(np.int32)
    reach = tier_values(cfg.stream_reach, ls_tier) * followers[ls_creator]
    unique_viewers = np.round((reach + cfg.stream_base_viewers) * rng.lognormal(0.0, 0.5, size=n_ls)).astype(np.int64)

    dealing = went_live
    deals_by_creator = Groups.of(np.where(dealing, collab_creator, n), n + 1)
    ls_collab = deals_by_creator.pick(rng, ls_creator)
    ls_collab = np.where(rng.random(n_ls) < cfg.commerce_stream_share, ls_collab, -1)
    if n_collab:  # a session can only sell a deal whose content was live by the time it started
        ls_collab = np.where((ls_collab >= 0) & (live_at[np.maximum(ls_collab, 0)] <= started), ls_collab, -1)
    ls_collab = ls_collab.astype(np.int32)

    tips_per_stream = rng.poisson(unique_viewers * tier_values(cfg.tip_rate, ls_tier))
    tip_ls = np.repeat(np.arange(n_ls), tips_per_stream).astype(np.int32)
    tip_at = (started[tip_ls] + rng.random(tip_ls.shape[0]) * duration[tip_ls] * 60).astype(np.int32)
    tip_amount = np.round(np.maximum(rng.lognormal(np.log(cfg.tip_median), cfg.tip_sigma, tip_ls.shape[0]), 1.0), 1)
    tips = LivestreamTips(
        livestream_id=tip_ls, viewer_id=audience(ls_creator[tip_ls]), at=tip_at, amount=f64(tip_amount)
    )
    _progress(progress, 3)

    # ---- orders: in commerce livestreams and under sponsored videos, always for the deal's product.
    commerce_ls = ls_collab >= 0
    ls_orders = np.where(commerce_ls, rng.poisson(unique_viewers * tier_values(cfg.stream_conversion, ls_tier)), 0)
    order_ls = np.repeat(np.arange(n_ls), ls_orders)
    sponsored_video = np.flatnonzero(video_collab >= 0)
    video_orders = rng.poisson(video_views[sponsored_video] * cfg.video_conversion)
    order_video = np.repeat(sponsored_video, video_orders)
    n_ls_orders = order_ls.shape[0]
    order_collab = np.concatenate((ls_collab[order_ls], video_collab[order_video])).astype(np.int32)
    order_creator = collab_creator[order_collab]
    order_product = collab_product[order_collab]
    delay = rng.exponential(1.5 * DAY, size=order_video.shape[0])
    order_at = np.concatenate(
        (
            started[order_ls] + rng.random(n_ls_orders) * duration[order_ls] * 60,
            np.minimum(video_published[order_video] + delay, period_s - 1),
        )
    ).astype(np.int32)
    quantity = np.asarray(rng.geometric(0.7, size=order_collab.shape[0]), dtype=np.int32)
    amount = np.round(price[order_product] * quantity * rng.uniform(0.85, 1.0, size=order_collab.shape[0]), 2)
    orders = Orders(
        viewer_id=audience(order_creator),
        creator_id=order_creator,
        product_id=order_product,
        collaboration_id=order_collab,
        livestream_id=np.concatenate((order_ls, np.full(order_video.shape[0], -1))).astype(np.int32),
        video_id=np.concatenate((np.full(n_ls_orders, -1), order_video)).astype(np.int32),
        ordered_at=order_at,
        quantity=quantity,
        amount=amount,
    )

    # ---- per-session aggregates and time buckets, summed from the rows above.
    ls_tips = np.bincount(tip_ls, weights=tip_amount, minlength=n_ls)
    ls_gmv = np.bincount(order_ls, weights=amount[:n_ls_orders], minlength=n_ls)
    interval = cfg.minute_stat_interval * 60
    buckets = -(-duration * 60 // interval)
    bucket_ls = np.repeat(np.arange(n_ls), buckets).astype(np.int32)
    bucket_no = within_group_index(buckets)
    bucket_first = np.cumsum(buckets) - buckets
    position = bucket_no / np.maximum(buckets[bucket_ls], 1)
    curve = np.minimum(1.0, (position + 0.05) / 0.25) * (1.0 - 0.5 * np.clip((position - 0.6) / 0.4, 0, 1))
    peak_guess = unique_viewers * rng.uniform(0.10, 0.25, size=n_ls) + 1
    bucket_viewers = np.round(peak_guess[bucket_ls] * curve * rng.lognormal(0, 0.1, bucket_ls.shape[0]))
    bucket_viewers = bucket_viewers.astype(np.int32)
    n_bucket = bucket_ls.shape[0]
    tip_bucket = bucket_first[tip_ls] + (tip_at - started[tip_ls]) // interval
    order_bucket = bucket_first[order_ls] + (order_at[:n_ls_orders] - started[order_ls]) // interval
    minute_stats = LivestreamMinuteStats(
        livestream_id=bucket_ls,
        minute_at=(started[bucket_ls] + bucket_no * interval).astype(np.int32),
        viewers=bucket_viewers,
        tips=f64(np.bincount(tip_bucket, weights=tip_amount, minlength=n_bucket)),
        gmv=f64(np.bincount(order_bucket, weights=amount[:n_ls_orders], minlength=n_bucket)),
        orders=np.bincount(order_bucket, minlength=n_bucket).astype(np.int32),
        comments=rng.poisson(bucket_viewers * 0.02 * cfg.minute_stat_interval).astype(np.int32),
    )
    livestreams = Livestreams(
        creator_id=ls_creator,
        collaboration_id=ls_collab,
        started_at=started,
        duration_min=duration,
        peak_viewers=np.maximum.reduceat(bucket_viewers, bucket_first).astype(np.int32)
        if n_ls
        else np.zeros(0, dtype=np.int32),
        unique_viewers=unique_viewers.astype(np.int32),
        tips=f64(ls_tips),
        gmv=f64(ls_gmv),
        orders=np.bincount(order_ls, minlength=n_ls).astype(np.int32),
    )
    _progress(progress, 4)

    # ---- behaviour: sampled views, likes, … on videos and sessions, plus one TIP event per tip row.
    events_per_viewer = rng.poisson(cfg.events_per_viewer, size=n_viewer)
    ev_viewer = np.repeat(np.arange(n_viewer), events_per_viewer).astype(np.int32)
    n_ev = ev_viewer.shape[0]
    popularity = followers.astype(np.float64) ** 0.8
    popular = np.searchsorted(np.cumsum(popularity), rng.random(n_ev) * popularity.sum(), side="right")
    ev_creator = np.where(rng.random(n_ev) < 0.55, home[ev_viewer], np.minimum(popular, n - 1)).astype(np.int32)
    ev_video = Groups.of(video_creator, n).pick(rng, ev_creator)
    ev_ls = Groups.of(ls_creator, n).pick(rng, ev_creator)
    on_stream = (ev_ls >= 0) & ((ev_video < 0) | (rng.random(n_ev) < 0.4))
    ev_video = np.where(on_stream, -1, ev_video)
    ev_ls = np.where(on_stream, ev_ls, -1)
    video_actions = np.array([0.62, 0.20, 0.06, 0.04, 0.03, 0.0, 0.05])  # VIEWER_ACTIONS order
    stream_actions = np.array([0.60, 0.18, 0.15, 0.02, 0.05, 0.0, 0.0])
    assert [a.value for a in VIEWER_ACTIONS] == ["view", "like", "comment", "share", "follow", "tip", "click"]
    action = np.where(
        on_stream,
        rng.choice(len(VIEWER_ACTIONS), size=n_ev, p=stream_actions),
        rng.choice(len(VIEWER_ACTIONS), size=n_ev, p=video_actions),
    )
    no_content = (ev_video < 0) & (ev_ls < 0)
    action = np.where(no_content, code_of(VA.FOLLOW, VIEWER_ACTIONS), action).astype(np.int8)
    video_time = np.minimum(video_published[np.maximum(ev_video, 0)] + rng.exponential(1.5 * DAY, n_ev), period_s - 1)
    stream_time = started[np.maximum(ev_ls, 0)] + rng.random(n_ev) * duration[np.maximum(ev_ls, 0)] * 60
    ev_at = np.select([on_stream, ev_video >= 0], [stream_time, video_time], rng.integers(0, period_s, n_ev))
    tip_code = code_of(VA.TIP, VIEWER_ACTIONS)
    behaviour = BehaviourEvents(
        viewer_id=np.concatenate((ev_viewer, tips.viewer_id)),
        creator_id=np.concatenate((ev_creator, ls_creator[tip_ls])).astype(np.int32),
        video_id=np.concatenate((ev_video, np.full(tip_ls.shape[0], -1))).astype(np.int32),
        livestream_id=np.concatenate((ev_ls, tip_ls)).astype(np.int32),
        action=np.concatenate((action, np.full(tip_ls.shape[0], tip_code, dtype=np.int8))),
        value=np.concatenate((np.zeros(n_ev), tip_amount)),
        at=np.concatenate((ev_at, tip_at)).astype(np.int32),
    )
    _progress(progress, 5)

    return Ecosystem(
        seed=seed,
        period_start=period_start_for(seed, cfg.days, end_date),
        days=cfg.days,
        mcns=mcns,
        creators=creators,
        personas=personas,
        brands=brands,
        products=products,
        campaigns=campaigns,
        collaborations=collaborations,
        videos=videos,
        livestreams=livestreams,
        livestream_tips=tips,
        minute_stats=minute_stats,
        orders=orders,
        viewers=viewers,
        behaviour_events=behaviour,
    )


__all__ = ["STEPS", "IntArray", "generate_ecosystem", "period_start_for", "reference_end_date"]
