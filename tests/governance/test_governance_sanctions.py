"""The operator's sanctions in the subject state machine: suspend or blacklist from any state, lift back."""

from __future__ import annotations

import pytest

from wanghong.governance.engine.subjects import (
    TRANSITIONS,
    SubjectState,
    TransitionError,
    may_trade,
    transition,
)


@pytest.mark.parametrize("state", [s for s in SubjectState if s is not SubjectState.BLACKLISTED])
def test_any_state_but_blacklisted_can_be_suspended_and_lifted_back(state: SubjectState) -> None:
    if state is SubjectState.SUSPENDED:
        return
    assert transition(state, SubjectState.SUSPENDED) is SubjectState.SUSPENDED
    assert transition(SubjectState.SUSPENDED, state) is state
    assert transition(state, SubjectState.BLACKLISTED) is SubjectState.BLACKLISTED


def test_a_blacklisted_subject_returns_only_to_a_fresh_review() -> None:
    assert TRANSITIONS[SubjectState.BLACKLISTED] == {SubjectState.PENDING}
    with pytest.raises(TransitionError):
        transition(SubjectState.BLACKLISTED, SubjectState.VERIFIED)
    with pytest.raises(TransitionError):
        transition(SubjectState.BLACKLISTED, SubjectState.SUSPENDED)


def test_only_sanctioned_subjects_are_kept_out_of_deals() -> None:
    refused = {s for s in SubjectState if not may_trade(s).allowed}
    assert refused == {SubjectState.SUSPENDED, SubjectState.BLACKLISTED}
    assert "暂停" in may_trade(SubjectState.SUSPENDED).reason and "黑名单" in may_trade(SubjectState.BLACKLISTED).reason
