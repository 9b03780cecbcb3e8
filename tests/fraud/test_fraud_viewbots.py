from __future__ import annotations

import numpy as np
import pytest

from wanghong.fraud.engine.viewbots import detect_viewbots, is_template, normalise_comment
from wanghong.simulator.engine.fraud import BURST_BOT, GENUINE, TRICKLE_BOT, planted_room


@pytest.mark.parametrize("seed", [0, 1])
def test_planted_viewbots_are_found_with_the_issue_precision_and_recall(seed: int) -> None:
    room = planted_room(sessions=10_000, seed=seed)
    verdict = detect_viewbots(room.enter_s, room.leave_s, room.comment, room.duration_s)
    found = verdict.flagged & room.is_bot
    assert found.sum() / verdict.flagged.sum() >= 0.95
    assert found.sum() / room.is_bot.sum() >= 0.90
    assert verdict.flagged[room.pattern == BURST_BOT].mean() > 0.95  # lingering burst bots included
    assert verdict.flagged[room.pattern == TRICKLE_BOT].mean() > 0.8
    assert verdict.flagged[room.pattern == GENUINE].mean() < 0.02


def test_genuine_floods_and_swipers_alone_are_not_bots() -> None:
    room = planted_room(sessions=8_000, bot_share=0.0, seed=3)
    verdict = detect_viewbots(room.enter_s, room.leave_s, room.comment, room.duration_s)
    assert verdict.burst_windows == []  # the two lucky-bag floods stay genuine
    assert verdict.flagged.mean() < 0.01
    assert verdict.real_share > 0.99


def test_real_viewer_estimate_per_minute_is_close_to_the_truth() -> None:
    room = planted_room(sessions=10_000, seed=4)
    verdict = detect_viewbots(room.enter_s, room.leave_s, room.comment, room.duration_s)
    minutes = len(verdict.minutes)
    entry_minute = np.minimum((room.enter_s // 60).astype(int), minutes - 1)
    real = np.bincount(entry_minute, weights=~room.is_bot, minlength=minutes)
    estimate = np.array([m.estimated_real_entries for m in verdict.minutes])
    reported = np.array([m.reported_entries for m in verdict.minutes])
    assert reported.sum() == len(room)
    assert np.abs(estimate - real).sum() < 0.1 * np.abs(reported - real).sum()
    # average concurrent viewers: the viewer-seconds of every session are accounted for exactly once
    concurrent = sum(m.reported_concurrent for m in verdict.minutes) * 60
    assert concurrent == pytest.approx((room.leave_s - room.enter_s).sum())
    assert all(m.estimated_real_concurrent <= m.reported_concurrent + 1e-9 for m in verdict.minutes)


def test_concurrent_viewers_by_hand() -> None:
    enter = np.array([0.0, 30.0, 90.0])
    leave = np.array([120.0, 60.0, 100.0])
    verdict = detect_viewbots(enter, leave, np.array(["", "", ""], dtype=object))
    assert [m.reported_entries for m in verdict.minutes] == [2, 1]
    assert [m.reported_concurrent for m in verdict.minutes] == pytest.approx([90 / 60, 70 / 60])


def test_templates() -> None:
    assert normalise_comment("6 6 6 6!!") == "6"
    assert normalise_comment("来了来了来了") == "来了"
    texts = np.array(["666666", "来了来了！", "👍👍", "这个多少钱", "", "12345", "主播好棒~"], dtype=object)
    flags = is_template(texts, np.zeros(len(texts)))
    assert flags.tolist() == [True, True, True, False, False, True, True]


def test_copy_paste_at_scale_is_a_template() -> None:
    texts = np.array(["今天的福利太划算了"] * 25 + ["今天的福利太划算了"], dtype=object)
    enter = np.concatenate([np.full(25, 10.0), [200.0]])
    flags = is_template(texts, enter)
    assert flags[:25].all() and not flags[25]


def test_rejects_inconsistent_sessions() -> None:
    with pytest.raises(ValueError, match="leave before"):
        detect_viewbots(np.array([5.0]), np.array([1.0]), np.array([""], dtype=object))
    with pytest.raises(ValueError, match="same length"):
        detect_viewbots(np.array([5.0]), np.array([6.0, 7.0]), np.array([""], dtype=object))
