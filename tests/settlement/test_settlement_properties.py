"""Properties of the ledger over random flows (issue 14's goal): every transaction balances, no fen is lost
over a million splits, ten replays of a posting have one effect. In memory here; on the database in
test_settlement_db_flows.py."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.settlement.flows import Flow, check_balances, drafts_of, flows

from wanghong.settlement.engine import Book, imbalance, split

FAST = settings.get_profile("settlement")
FULL = settings.get_profile("settlement-full")


def run_in_book(flow: Flow) -> None:
    drafts, expected = drafts_of(flow)
    book = Book()
    for draft in drafts:
        assert imbalance(draft.legs) == {}
        for attempt in range(flow.replays):
            _, replayed = book.post(draft)
            assert replayed == (attempt > 0)
    assert book.postings == sum(len(d.legs) for d in drafts)  # replays added nothing
    assert book.imbalance_fen() == 0
    assert not any(book.trial_balance().values())
    check_balances(book.balances, expected)


@FAST
@given(flows)
def test_random_flows_balance_and_replays_have_one_effect(flow: Flow) -> None:
    run_in_book(flow)


@pytest.mark.slow
@FULL
@given(flows)
def test_ten_thousand_random_flows_balance_and_replays_have_one_effect(flow: Flow) -> None:
    run_in_book(flow)


@FAST
@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.lists(st.fractions(min_value=0, max_value=1000, max_denominator=997), min_size=1, max_size=12).filter(
        lambda ws: sum(ws) > 0
    ),
)
def test_a_split_sums_to_its_total_and_each_part_is_within_a_fen_of_its_share(
    total: int, weights: list[Fraction]
) -> None:
    parts = split(total, weights)
    assert sum(parts) == total
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / weight_sum) < 1
    assert split(total, weights) == parts  # deterministic


def many_splits(count: int, seed: int) -> None:
    rng = random.Random(seed)
    lost = 0
    for _ in range(count):
        total = rng.randrange(-(10**10), 10**10)
        weights = [rng.randrange(0, 10_000) for _ in range(rng.randrange(1, 7))]
        weights[0] += 1  # never all zero
        lost += total - sum(split(total, weights))
    assert lost == 0


def test_no_fen_is_lost_over_many_splits() -> None:
    many_splits(50_000, seed=14)


@pytest.mark.slow
def test_no_fen_is_lost_over_a_million_splits() -> None:
    many_splits(1_000_000, seed=1_000_000)
