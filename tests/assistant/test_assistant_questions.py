"""Which barrage comments the live assistant treats as questions: asking, not chatter or praise."""

from __future__ import annotations

import pytest

from wanghong.assistant.engine.questions import is_question


@pytest.mark.parametrize(
    "text", ["请问几天能发货？", "多少钱", "这个好用吗", "贵不贵", "尺码偏小", "颜色好看吗", "what size is it"]
)
def test_questions_are_answered(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize(
    "text", ["666", "来了来了", "主播好美", "主播今天的口红颜色好看", "颜色好看", "这个尺码我喜欢", ""]
)
def test_chatter_and_praise_are_not_questions(text: str) -> None:
    assert not is_question(text)
