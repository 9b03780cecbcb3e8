"""Negation scope (engine/negation.py), read on the normalised clause before a hit."""

from __future__ import annotations

import pytest

from wanghong.compliance.engine.negation import negated


@pytest.mark.parametrize("left", ["不", "不能", "并不是", "请勿擅自", "不要随意", "也不想争", "不求"])
def test_a_negator_before_the_hit_governs_it(left: str) -> None:
    assert negated(left, list)


@pytest.mark.parametrize("left", ["同级别", "我们特别", "和过去告别", "不要错过", "不含激素是"])
def test_words_that_only_contain_a_negator_or_deny_another_verb_do_not(left: str) -> None:
    assert not negated(left, list)


def test_hits_coordinated_with_a_negated_one_share_its_scope() -> None:
    assert negated("没有美白", lambda: ["美白"])
