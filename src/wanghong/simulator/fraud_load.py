"""Plant fraud, with its ground truth, into a freshly loaded simulated ecosystem (issue 17).

Runs after `load.load_ecosystem` and before the ledger settles, in the same transaction, so ring orders earn
commission like any attributed order and the fraud scan has something to hold. What it writes, at these rates:

* **Order fingerprints** for every order: genuine buyers live in households of 1–5 viewers (35/30/20/10/5 %) that
  share a receiving address, a fifth of households one device and a quarter one payment account; 5 % of viewers
  order to an office address (about 40 buyers each) from their own device and payment — the generator
  `simulator.engine.fraud.planted_orders` uses the same parameters for its genuine buyers.
* **刷单 rings**: fake orders worth :data:`RING_ORDER_SHARE` (3 %) of the genuine ones, drawn by
  `planted_orders` (rings of 30–300 orders from 5–40 new buyer accounts on a few phones, addresses and cards,
  within a 1–5 day campaign for 1–3 client creators). Each client is mapped onto a creator with a 带货 livestream;
  the orders go into that creator's collaboration livestream nearest the ring's campaign, at the product's list
  price, and the room's reported GMV and order count grow by them (what 刷单 is for).
* **Ring refunds**, recorded through settlement's refunds door (`record_simulated_refunds`, the ledger's clawbacks
  then posted by `settle_loaded`) for the ring orders `planted_orders` refunds (60 %), timed as it times them but
  from the platform's return window instead of the planted world's 7-day settlement: a ring that refunds in a
  *batch* refunds every refunded order within two hours, as long after its last order's window closed as the
  generator drew (0–2 days); the others refund each order 0–8 days after its own window closed. Every ring refund
  comes after the window (刷单 refunds once the commission is the creator's) and so carries an after-sales reason,
  the one ordinary simulated refunds give; refunds due after the simulated period are not written — a scan at the
  period's end has not seen them. `fraud.service.stored_order_graph` reads them, as it reads every refund.
* **Follower samples**: :data:`FOLLOWER_SAMPLE` profiles per creator from `simulator.engine.followers` (drawn
  apart from the account scorer's training population): 2–12 % fake followers for most creators, 55 % for the
  :data:`BOUGHT_SHARE` (8 %) who bought followers.
* **Viewer sessions** for the :data:`ROOMS` collaboration livestreams with the most viewers: every other one
  carries viewbots (30 % of its sessions, `planted_room`'s bursts and trickles), the rest none.

`planted` holds the truth on each row ("ring:<n>", "burst_bot", "trickle_bot", "bought:<archetype>", …); NULL is
genuine. Detection never reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import numpy as np
from sqlalchemy import Table, bindparam, insert, text, update
from sqlalchemy.orm import Session

from wanghong.commerce import models as m
from wanghong.settlement.collaborations import current_policy
from wanghong.settlement.refunds import record_simulated_refunds
from wanghong.simulator.engine.followers import KINDS, planted_followers
from wanghong.simulator.engine.fraud import (
    BATCH_SPREAD_S,
    BURST_BOT,
    SETTLEMENT_DAYS,
    TRICKLE_BOT,
    PlantedOrders,
    households,
    planted_orders,
    planted_room,
)
from wanghong.simulator.engine.tables import Ecosystem

RING_ORDER_SHARE = 0.03
FOLLOWER_SAMPLE = 30
BOUGHT_SHARE = 0.08
BOUGHT_FAKE_SHARE = 0.55
ROOMS = 8
ROOM_BOT_SHARE = 0.3
MAX_ROOM_SESSIONS = 3_000
_CHUNK = 5_000
_DAY = 86_400
# The reason settlement's ordinary simulated refunds give past the window: a ring's refund reads like any other,
# and the truth stays in `planted`.
RING_REFUND_REASON = "质量问题（模拟）"


@dataclass(frozen=True)
class PlantSummary:
    ring_orders: int
    rings: int
    ring_refunds: int
    follower_samples: int
    bought_creators: int
    viewer_sessions: int
    bot_rooms: int


def _hash(salt: str, kind: str, values: np.ndarray) -> list[str]:
    return [hashlib.sha256(f"{salt}:{kind}:{v}".encode()).hexdigest()[:32] for v in values.tolist()]


def _insert(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    for first in range(0, len(rows), _CHUNK):
        session.execute(insert(table), rows[first : first + _CHUNK])


def plant_fraud(
    session: Session,
    eco: Ecosystem,
    *,
    seed: int | None = None,
    rooms: int = ROOMS,
    return_window: timedelta | None = None,
) -> PlantSummary:
    """Write fingerprints, rings and their refunds, follower samples and viewer sessions for the ecosystem just
    loaded. `return_window` is the one the ledger will be settled with (default: the configured policy's)."""
    seed = eco.seed if seed is None else seed
    window = current_policy().return_window if return_window is None else return_window
    rng = np.random.default_rng([seed, 17])
    salt = f"sim-{seed}"
    start = eco.period_start
    o, ls = eco.orders, eco.livestreams
    viewers = len(eco.viewers)

    shared = households(rng, viewers)
    device, address, payment = shared.device, shared.address, shared.payment
    fingerprints: list[dict[str, Any]] = [
        {"order_id": i + 1, "device_hash": d, "address_hash": a, "payment_hash": p, "planted": None}
        for i, (d, a, p) in enumerate(
            zip(
                _hash(salt, "device", device[o.viewer_id]),
                _hash(salt, "address", address[o.viewer_id]),
                _hash(salt, "payment", payment[o.viewer_id]),
                strict=True,
            )
        )
    ]

    # Rings: the fake rows of a planted order graph, mapped onto creators who sell in collaboration livestreams.
    selling = np.flatnonzero(ls.collaboration_id >= 0)
    ring_rows: list[dict[str, Any]] = []
    ring_count = refunds = 0
    if len(selling) and len(o):
        wanted = max(30, round(len(o) * RING_ORDER_SHARE / (1 - RING_ORDER_SHARE)))
        planted = planted_orders(orders=round(wanted / 0.03), fake_share=0.03, days=eco.days, seed=seed)
        fake = np.flatnonzero(planted.is_fake)
        fake = fake[np.argsort(planted.ring[fake], kind="stable")]
        clients = np.unique(ls.creator_id[selling])
        client_of = clients[planted.creator[fake] % len(clients)]
        buyers, buyer_index = np.unique(planted.buyer[fake], return_inverse=True)
        first_viewer = viewers + 1
        _insert(
            session,
            m.Viewer.__table__,
            [
                {"id": first_viewer + k, "external_id": f"{salt}-ring-{k + 1}", "created_at": start}
                for k in range(len(buyers))
            ],
        )
        started = ls.started_at.astype(np.int64)
        gmv: dict[int, float] = {}
        count: dict[int, int] = {}
        next_order = len(o) + 1
        for row, client, buyer_k in zip(fake.tolist(), client_of.tolist(), buyer_index.tolist(), strict=True):
            client_rooms = selling[ls.creator_id[selling] == client]
            placed = float(planted.placed_s[row])
            room = int(client_rooms[np.argmin(np.abs(started[client_rooms] - placed))])
            collaboration = int(ls.collaboration_id[room])
            product = int(eco.collaborations.product_id[collaboration])
            price = round(float(eco.products.price[product]), 2)
            at = start + timedelta(seconds=int(started[room]) + float(rng.uniform(0, ls.duration_min[room] * 60)))
            ring = int(planted.ring[row])
            ring_rows.append(
                {
                    "id": next_order,
                    "product_id": product + 1,
                    "creator_id": int(client) + 1,
                    "livestream_id": room + 1,
                    "viewer_id": first_viewer + buyer_k,
                    "quantity": 1,
                    "amount": price,
                    "ordered_at": at,
                }
            )
            fingerprints.append(
                {
                    "order_id": next_order,
                    "device_hash": _hash(salt, "ring-device", np.array([planted.device[row]]))[0],
                    "address_hash": _hash(salt, "ring-address", np.array([planted.address[row]]))[0],
                    "payment_hash": _hash(salt, "ring-payment", np.array([planted.payment[row]]))[0],
                    "planted": f"ring:{ring}",
                }
            )
            gmv[room + 1] = gmv.get(room + 1, 0.0) + price
            count[room + 1] = count.get(room + 1, 0) + 1
            next_order += 1
        ring_count = len(np.unique(planted.ring[fake]))
        _insert(session, m.Order.__table__, ring_rows)
        refunded_at = ring_refunds(planted, fake, [r["ordered_at"] for r in ring_rows], window)
        due = {
            row["id"]: at
            for row, at in zip(ring_rows, refunded_at, strict=True)
            if at is not None and at <= eco.period_end
        }
        refunds = record_simulated_refunds(session, due, window, RING_REFUND_REASON)
        live = cast(Table, m.LivestreamSession.__table__)  # Core: one executemany, not ORM bulk by primary key
        session.execute(
            update(live)
            .where(live.c.id == bindparam("room"))
            .values(gmv=live.c.gmv + bindparam("more"), orders=live.c.orders + bindparam("extra")),
            [{"room": room, "more": round(gmv[room], 2), "extra": count[room]} for room in gmv],
        )
    _insert(session, m.OrderFingerprint.__table__, fingerprints)

    samples, bought = _follower_samples(rng, eco, seed, start + timedelta(days=eco.days) - timedelta(seconds=1))
    _insert(session, m.FollowerSample.__table__, samples)
    sessions, bot_rooms = _viewer_sessions(eco, salt, seed, rooms)
    _insert(session, m.ViewerSession.__table__, sessions)
    if session.get_bind().dialect.name == "postgresql":
        _advance_sequences(session)
    return PlantSummary(len(ring_rows), ring_count, refunds, len(samples), bought, len(sessions), bot_rooms)


def ring_refunds(
    planted: PlantedOrders, fake: np.ndarray, ordered_at: Sequence[datetime], window: timedelta
) -> list[datetime | None]:
    """When each planted ring order (rows `fake` of `planted`, stored at `ordered_at`) is refunded on the
    platform, or None: the generator's refund moments, moved from its 7-day settlement onto `window` (see the
    module). The generator does not say which rings refund in a batch; a ring whose refunds all fall within
    BATCH_SPREAD_S is one (each of the others spreads its refunds over eight days)."""
    after = planted.refunded_after_days[fake]
    refund_s = planted.placed_s[fake] + after * _DAY  # NaN where not refunded
    settled_after = (after - SETTLEMENT_DAYS) * _DAY  # seconds from the order's own settlement to its refund
    ring = planted.ring[fake]
    out: list[datetime | None] = [None] * len(fake)
    for number in np.unique(ring).tolist():
        members = np.flatnonzero(ring == number)
        refunded = members[~np.isnan(after[members])]
        if not len(refunded):
            continue
        spread = float(refund_s[refunded].max() - refund_s[refunded].min())
        if spread <= BATCH_SPREAD_S:
            # One batch, as long after the ring's last window closed as in the planted world.
            planted_closed = float(planted.placed_s[fake][members].max()) + SETTLEMENT_DAYS * _DAY
            closed = max(ordered_at[k] for k in members.tolist()) + window
            for k in refunded.tolist():
                out[k] = closed + timedelta(seconds=float(refund_s[k]) - planted_closed)
        else:
            for k in refunded.tolist():
                out[k] = ordered_at[k] + window + timedelta(seconds=float(settled_after[k]))
    return out


def _follower_samples(
    rng: np.random.Generator, eco: Ecosystem, seed: int, at: datetime
) -> tuple[list[dict[str, Any]], int]:
    creators = len(eco.creators)
    bought = rng.random(creators) < BOUGHT_SHARE
    fake_share = np.where(bought, BOUGHT_FAKE_SHARE, rng.uniform(0.02, 0.12, creators))
    a = planted_followers(FOLLOWER_SAMPLE, fake_share, seed=seed)
    rows = []
    for i in range(len(a)):
        creator = int(a.creator[i])
        label = KINDS[int(a.kind[i])] if a.kind[i] else None
        if bought[creator]:
            label = f"bought:{label or 'genuine'}"
        rows.append(
            {
                "creator_id": creator + 1,
                "sampled_at": at,
                "followers": int(a.followers[i]),
                "following": int(a.following[i]),
                "posts": int(a.posts[i]),
                "has_avatar": bool(a.has_avatar[i]),
                "is_private": bool(a.is_private[i]),
                "bio_length": int(a.bio_length[i]),
                "username_length": int(a.username_length[i]),
                "username_digits": int(a.username_digits[i]),
                "planted": label,
            }
        )
    return rows, int(bought.sum())


def _viewer_sessions(eco: Ecosystem, salt: str, seed: int, count: int) -> tuple[list[dict[str, Any]], int]:
    ls = eco.livestreams
    selling = np.flatnonzero(ls.collaboration_id >= 0)
    rooms = selling[np.argsort(-ls.unique_viewers[selling], kind="stable")][:count]
    rows: list[dict[str, Any]] = []
    bot_rooms = 0
    labels = {BURST_BOT: "burst_bot", TRICKLE_BOT: "trickle_bot"}
    for k, room in enumerate(rooms.tolist()):
        with_bots = k % 2 == 0
        bot_rooms += with_bots
        size = int(np.clip(ls.unique_viewers[room], 400, MAX_ROOM_SESSIONS))
        duration = int(min(ls.duration_min[room] * 60, 3_600))
        planted = planted_room(size, duration, ROOM_BOT_SHARE if with_bots else 0.0, seed=seed * 1_000 + k)
        keys = _hash(salt, f"room-{room}", planted.viewer)
        for i in range(len(planted)):
            rows.append(
                {
                    "livestream_id": room + 1,
                    "viewer_key": keys[i],
                    "enter_s": round(float(planted.enter_s[i]), 3),
                    "leave_s": round(float(planted.leave_s[i]), 3),
                    "comment": str(planted.comment[i]),
                    "planted": labels.get(int(planted.pattern[i])),
                }
            )
    return rows, bot_rooms


def _advance_sequences(session: Session) -> None:
    """Explicit ids bypass PostgreSQL sequences; move the two this module wrote past their highest id."""
    for table in ("viewers", "orders"):
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
