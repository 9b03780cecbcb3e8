"""Planted fraud with ground truth: livestream viewbots and fake-order (刷单) rings.

Each generator draws a genuine population and plants one fraud kind in it at a documented rate and pattern, and
returns the truth beside the observable data, so that detection is measured end to end. Detectors see only the
observable columns. Everything is drawn from one seeded ``numpy.random.Generator`` (numpy only, no row loops
except for picking comment strings).

**Viewbots** (patterns described by DB33/T 1385-2024's call for truthful viewer counts and by the platforms'
enforcement notices on 刷量): by default 30 % of a room's sessions are bots. Three quarters of them arrive in
*synchronised bursts* (100–600 accounts entering within 3 s); of those, 85 % leave within 1–3 s (秒进秒出) and
15 % stay 30 s–10 min (挂机, to hold the concurrent count up); 30 % of burst bots post a template comment
(666, 来了来了, …). The other quarter *trickles* in at random times, stays 1–3 s and posts a template comment
(90 %). Genuine viewers arrive at a rate that ramps up and down over the stream; 30 % swipe through in seconds
(median 5 s, some under 3 s — the hard negatives for a dwell rule), the rest watch (median 90 s); 8 % of watchers
and 1 % of swipers comment, and 8 % of genuine comments are themselves templates. Two genuine *floods* (a lucky
bag, a raid from another room) bring 300 real viewers each within 20 s — the hard negatives for a burst rule.

**Fake orders** over the buyer–creator–product–device–address–payment graph: genuine buyers order from creators
chosen by a power law, and share identifiers the way households do (an address for 1–5 buyers; a fifth of
households share one device, a quarter pay from one account) and the way offices do (one address for about 40
buyers, each with their own device and payment). By default 3 % of orders come from *rings* of 30–300 orders
each: an operator controls 5–40 buyer accounts on a pool of 2–6 devices (30 % of rings run a device farm instead:
one phone per account), 1–3 addresses and 1–4 payment instruments (40 % buy a bank card per account), and places
orders for 1–3 products of each of its 1–3 client creators within a 1–5 day campaign, at the list price; 60 % of
ring orders are refunded 7–15 days later (after settlement, the 刷单 refund pattern), and half the rings refund in
one *batch* instead: every refunded order within two hours, 0–2 days after the campaign's last commission settled.
The hard negatives beside shared household identifiers are office addresses and family group purchases: in 10 % of
households every member buys the same product of one creator within six hours; and for the refund timing, a
*defective batch*: one product in 500 is recalled, and 40 % of its genuine orders placed at least a week before the
recall are refunded within a day of it (after settlement too, and together); and 1.5 % of genuine orders are
refunded 7–30 days later after an after-sales dispute.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

TEMPLATE_COMMENTS = ("666", "6666", "来了来了", "来了", "主播好棒", "支持主播", "主播好美", "好看", "冲冲冲", "关注了")
GENUINE_COMMENTS = (
    "这个多少钱",
    "有小码吗",
    "链接在哪",
    "能便宜点吗",
    "主播身高多少",
    "敏感肌能用吗",
    "发什么快递",
    "上次买的很好用",
    "什么时候返场",
    "黑色还有吗",
    "保质期多久",
    "孕妇能吃吗",
    "已拍，什么时候发货",
    "和昨天那款比哪个好",
    "能试一下颜色吗",
    "求讲解三号链接",
)

GENUINE, BURST_BOT, TRICKLE_BOT = 0, 1, 2


@dataclass(frozen=True, slots=True)
class RoomSessions:
    """One livestream's viewer sessions; ``comment`` is ``""`` where the session did not comment."""

    viewer: IntArray
    enter_s: FloatArray
    leave_s: FloatArray
    comment: npt.NDArray[np.object_]
    duration_s: int
    # ground truth
    is_bot: BoolArray
    pattern: npt.NDArray[np.int8]  # GENUINE, BURST_BOT, TRICKLE_BOT

    def __len__(self) -> int:
        return len(self.viewer)


def planted_room(
    sessions: int = 10_000, duration_s: int = 3_600, bot_share: float = 0.3, seed: int = 0
) -> RoomSessions:
    rng = np.random.default_rng(seed)
    bots = round(sessions * bot_share)
    genuine = sessions - bots
    floods = 2 if genuine >= 2_000 else 0
    flood_size = 300 * floods
    steady = genuine - flood_size

    # Genuine arrivals: a ramp up and down over the stream (a triangular-ish shape), plus two floods.
    shape = rng.beta(2.0, 2.5, steady) * duration_s
    flood_starts = rng.uniform(0.1, 0.8, floods) * duration_s
    flood_enter = np.repeat(flood_starts, 300) + rng.uniform(0, 20, flood_size)
    genuine_enter = np.concatenate([shape, flood_enter])
    swiper = rng.random(genuine) < 0.3
    dwell = np.where(
        swiper,
        np.maximum(1.0, np.exp(np.log(5.0) + 0.8 * rng.standard_normal(genuine))),
        np.exp(np.log(90.0) + 1.2 * rng.standard_normal(genuine)),
    )
    genuine_comments = _comments(rng, np.where(swiper, 0.01, 0.08), template_share=0.08)

    burst_bots = round(bots * 0.75)
    trickle_bots = bots - burst_bots
    sizes = _burst_sizes(rng, burst_bots)
    burst_starts = rng.uniform(0.02, 0.95, len(sizes)) * duration_s
    burst_enter = np.repeat(burst_starts, sizes) + rng.uniform(0, 3, burst_bots)
    lingering = rng.random(burst_bots) < 0.15
    burst_dwell = np.where(lingering, rng.uniform(30, 600, burst_bots), rng.uniform(1, 3, burst_bots))
    burst_comments = _comments(rng, np.full(burst_bots, 0.3), template_share=1.0)
    trickle_enter = rng.uniform(0, duration_s, trickle_bots)
    trickle_dwell = rng.uniform(1, 3, trickle_bots)
    trickle_comments = _comments(rng, np.full(trickle_bots, 0.9), template_share=1.0)

    enter = np.concatenate([genuine_enter, burst_enter, trickle_enter])
    leave = np.minimum(enter + np.concatenate([dwell, burst_dwell, trickle_dwell]), duration_s)
    pattern = np.concatenate(
        [np.full(genuine, GENUINE), np.full(burst_bots, BURST_BOT), np.full(trickle_bots, TRICKLE_BOT)]
    ).astype(np.int8)
    order = np.argsort(enter, kind="stable")
    comments = np.concatenate([genuine_comments, burst_comments, trickle_comments])
    return RoomSessions(
        viewer=rng.permutation(sessions).astype(np.int64)[order],
        enter_s=enter[order],
        leave_s=leave[order],
        comment=comments[order],
        duration_s=duration_s,
        is_bot=(pattern != GENUINE)[order],
        pattern=pattern[order],
    )


def _burst_sizes(rng: np.random.Generator, total: int) -> IntArray:
    sizes: list[int] = []
    left = total
    while left > 0:
        size = min(int(rng.integers(100, 601)), left)
        sizes.append(size)
        left -= size
    return np.array(sizes, dtype=np.int64)


def _comments(rng: np.random.Generator, rate: FloatArray, template_share: float) -> npt.NDArray[np.object_]:
    n = len(rate)
    out = np.full(n, "", dtype=object)
    commented = np.flatnonzero(rng.random(n) < rate)
    template = rng.random(len(commented)) < template_share
    out[commented[template]] = np.array(TEMPLATE_COMMENTS, dtype=object)[
        rng.integers(0, len(TEMPLATE_COMMENTS), int(template.sum()))
    ]
    out[commented[~template]] = np.array(GENUINE_COMMENTS, dtype=object)[
        rng.integers(0, len(GENUINE_COMMENTS), int((~template).sum()))
    ]
    return out


@dataclass(frozen=True, slots=True)
class PlantedOrders:
    """Orders with the identifiers they were placed from; identifiers are integers unique per kind."""

    buyer: IntArray
    creator: IntArray
    product: IntArray
    device: IntArray
    address: IntArray
    payment: IntArray
    amount_fen: IntArray
    placed_s: FloatArray  # seconds since the start of the window
    refunded_after_days: FloatArray  # NaN where not refunded
    # ground truth
    is_fake: BoolArray
    ring: IntArray  # -1 for genuine orders

    def __len__(self) -> int:
        return len(self.buyer)


DAY = 86_400.0
# The planted world settles an order's commission this many days after it was placed; the rings' refunds are timed
# from it (the platform settles after its own return window: `simulator.fraud_load` re-times them from that).
SETTLEMENT_DAYS = 7.0
BATCH_SPREAD_S = 2 * 3_600.0  # a batch ring refunds all its refunded orders within this many seconds


@dataclass(frozen=True, slots=True)
class Households:
    """Identifiers that ``people`` accounts share as households and offices do, each array one entry a person."""

    household: IntArray
    address: IntArray  # a household's own number, or one of ``offices`` numbered from ``people`` on
    device: IntArray  # a household's number where it shares one, else the person's own (``people`` + index)
    payment: IntArray  # likewise
    offices: int


def households(rng: np.random.Generator, people: int) -> Households:
    """Households of 1–5 share an address; a fifth of them one device (the family tablet), a quarter one payment
    account (a parent pays for the family); 5 % of people work in an office (about 40 to its address) and use
    their own device and payment. The genuine side of both the order and the viewer simulations."""
    sizes = rng.choice(np.arange(1, 6), size=people, p=[0.35, 0.3, 0.2, 0.1, 0.05])
    household = np.repeat(np.arange(people), sizes)[:people]
    offices = max(1, people // 800)
    office = rng.random(people) < 0.05
    address = np.where(office, people + rng.integers(0, offices, people), household)
    shared_device = (rng.random(people) < 0.2)[household] & ~office
    device = np.where(shared_device, household, people + np.arange(people))
    shared_payment = (rng.random(people) < 0.25)[household] & ~office
    payment = np.where(shared_payment, household, people + np.arange(people))
    return Households(household, address, device, payment, offices)


def planted_orders(orders: int = 100_000, fake_share: float = 0.03, days: int = 30, seed: int = 0) -> PlantedOrders:
    rng = np.random.default_rng(seed)
    fake_total = round(orders * fake_share)
    genuine = orders - fake_total

    # Genuine buyers: about 2.5 orders each; households and offices share identifiers.
    buyers = max(1, int(genuine / 2.5))
    creators = max(10, orders // 500)
    products_per_creator = 20
    creator_weight = 1.0 / np.arange(1, creators + 1) ** 1.1
    creator_weight /= creator_weight.sum()
    buyer_of_order = rng.integers(0, buyers, genuine)
    shared = households(rng, buyers)
    household, offices = shared.household, shared.offices
    address_of_buyer, device_of_buyer, payment_of_buyer = shared.address, shared.device, shared.payment

    creator = rng.choice(creators, size=genuine, p=creator_weight)
    product = creator * products_per_creator + rng.integers(0, products_per_creator, genuine)
    price = np.exp(np.log(8_000) + 1.0 * rng.standard_normal(creators * products_per_creator)).astype(np.int64)
    genuine_refund = np.where(rng.random(genuine) < 0.08, rng.uniform(0.5, 7, genuine), np.nan)
    genuine_placed = rng.uniform(0, days * DAY, genuine)
    # Family group purchases (the hard negatives): in 10 % of households, one order of each member is for the
    # same product of the same creator, within six hours of the others.
    group_household = rng.random(buyers) < 0.1
    first_order_of_buyer = np.full(buyers, -1)
    first_order_of_buyer[buyer_of_order[::-1]] = np.arange(genuine)[::-1]  # repeated indices: the last write wins
    in_group = (first_order_of_buyer >= 0) & group_household[household]
    group_orders = first_order_of_buyer[in_group]
    group_key = household[in_group]
    anchor_product = rng.integers(0, creators * products_per_creator, buyers)[group_key]
    anchor_time = rng.uniform(0, days * DAY, buyers)[group_key]
    product[group_orders] = anchor_product
    creator[group_orders] = anchor_product // products_per_creator
    genuine_placed[group_orders] = anchor_time + rng.uniform(0, 6 * 3_600, len(group_orders))

    # Rings.
    sizes = []
    left = fake_total
    while left > 0:
        size = min(int(rng.integers(30, 301)), left)  # orders per ring
        sizes.append(size)
        left -= size
    ring_count = len(sizes)
    ring_of_order = np.repeat(np.arange(ring_count), sizes)
    accounts = rng.integers(5, 41, ring_count)
    # 30 % of rings run a device farm (one phone per account), the rest share 2–6 phones.
    device_farm = rng.random(ring_count) < 0.3
    device_pool = np.where(device_farm, accounts, rng.integers(2, 7, ring_count))
    address_pool = rng.integers(1, 4, ring_count)
    # 40 % of rings buy a bank card per account ("card farms"), the rest share 1–4 payment instruments.
    payment_pool = np.where(rng.random(ring_count) < 0.4, accounts, rng.integers(1, 5, ring_count))
    # An operator works for one to three clients at once; each order goes to one of its clients' products.
    ring_clients = rng.choice(creators, size=(ring_count, 3), p=creator_weight)
    client_count = rng.integers(1, 4, ring_count)
    ring_products = rng.integers(1, 4, ring_count)
    ring_span = rng.uniform(1, 5, ring_count) * DAY
    ring_start = rng.uniform(0, 1, ring_count) * (days * DAY - ring_span)

    account_offset = np.concatenate([[0], np.cumsum(accounts)[:-1]])
    fake_buyer = (
        buyers + account_offset[ring_of_order] + (rng.random(fake_total) * accounts[ring_of_order]).astype(np.int64)
    )
    pool_base = np.concatenate([[0], np.cumsum(device_pool)[:-1]])
    fake_device = (
        2 * buyers + pool_base[ring_of_order] + (rng.random(fake_total) * device_pool[ring_of_order]).astype(np.int64)
    )
    address_base = np.concatenate([[0], np.cumsum(address_pool)[:-1]])
    fake_address = (
        buyers
        + offices
        + address_base[ring_of_order]
        + (rng.random(fake_total) * address_pool[ring_of_order]).astype(np.int64)
    )
    payment_base = np.concatenate([[0], np.cumsum(payment_pool)[:-1]])
    fake_payment = (
        2 * buyers
        + payment_base[ring_of_order]
        + (rng.random(fake_total) * payment_pool[ring_of_order]).astype(np.int64)
    )
    fake_client = (rng.random(fake_total) * client_count[ring_of_order]).astype(np.int64)
    fake_creator = ring_clients[ring_of_order, fake_client]
    fake_product = fake_creator * products_per_creator + (rng.random(fake_total) * ring_products[ring_of_order]).astype(
        np.int64
    )
    fake_placed = ring_start[ring_of_order] + rng.random(fake_total) * ring_span[ring_of_order]
    late = rng.random(fake_total) < 0.6  # refunded, 0–8 days after settlement
    fake_refund = np.where(late, rng.uniform(SETTLEMENT_DAYS, SETTLEMENT_DAYS + 8, fake_total), np.nan)

    order_buyer = np.concatenate([buyer_of_order, fake_buyer])
    result_order = rng.permutation(orders)
    # Refund timing, drawn last so that every identifier and time above stays what it was before it was planted.
    batch_ring = rng.random(ring_count) < 0.5
    batch_at = ring_start + ring_span + (SETTLEMENT_DAYS + rng.uniform(0, 2, ring_count)) * DAY
    batch = batch_ring[ring_of_order] & ~np.isnan(fake_refund)
    batch_refund_at = batch_at[ring_of_order] + rng.uniform(0, BATCH_SPREAD_S, fake_total)
    fake_refund = np.where(batch, (batch_refund_at - fake_placed) / DAY, fake_refund)
    recalled = rng.random(creators * products_per_creator) < 0.002
    recall_at = rng.uniform(7, 12, creators * products_per_creator) * DAY + days * DAY / 2
    hit = recalled[product] & (rng.random(genuine) < 0.4) & (genuine_placed < recall_at[product] - 7 * DAY)
    recall_refund = (recall_at[product] + rng.uniform(0, DAY, genuine) - genuine_placed) / DAY
    genuine_refund = np.where(hit, recall_refund, genuine_refund)
    # After-sales disputes settle late for genuine buyers too: a refund after settlement alone proves nothing.
    disputed = np.isnan(genuine_refund) & (rng.random(genuine) < 0.015)
    genuine_refund = np.where(disputed, rng.uniform(7, 30, genuine), genuine_refund)
    columns = {
        "buyer": order_buyer,
        "creator": np.concatenate([creator, fake_creator]),
        "product": np.concatenate([product, fake_product]),
        "device": np.concatenate([device_of_buyer[buyer_of_order], fake_device]),
        "address": np.concatenate([address_of_buyer[buyer_of_order], fake_address]),
        "payment": np.concatenate([payment_of_buyer[buyer_of_order], fake_payment]),
        "placed_s": np.concatenate([genuine_placed, fake_placed]),
        "refunded_after_days": np.concatenate([genuine_refund, fake_refund]),
        "is_fake": np.concatenate([np.zeros(genuine, bool), np.ones(fake_total, bool)]),
        "ring": np.concatenate([np.full(genuine, -1), ring_of_order]).astype(np.int64),
    }
    all_product = columns["product"]
    columns["amount_fen"] = price[all_product]
    return PlantedOrders(**{name: values[result_order] for name, values in columns.items()})
