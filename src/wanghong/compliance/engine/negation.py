"""Negation scope: whether a negator before a hit governs it (不保本, 不能降血糖, 不敢说是最好的, 不具有任何…治疗功能),
read on the normalised clause before the hit (see `context`). Discourse negations (不得不说, 不骗你们), A-not-A
questions (是不是), a verb other than saying or having before the claim (不要错过最好的…) and a second predicate
(不含激素是最好的) end the scope; hits coordinated with a negated one (没有美白祛斑的作用) share it."""

from __future__ import annotations

import re
from collections.abc import Callable

from wanghong.compliance.engine.context_words import (
    ASSERTION_VERBS,
    COORDINATORS,
    FALSE_NEGATIONS,
    MAX_NEGATION_GAP,
    NEGATOR,
    SCOPE_BREAK,
    SPEECH_VERBS,
    STRONG_NEGATORS,
)
from wanghong.compliance.engine.context_words_senses import BRAG_DENIED, CAUSATIVE_GAP, COVERB_GAP, MEANS_GAP

# The characters a negator can start with: most clauses hold none, and one character-class search says so faster
# than the alternation of NEGATOR tried at every position.
_NEGATOR_START = re.compile("[" + re.escape("".join(sorted({word[0] for word in NEGATOR.pattern.split("|")}))) + "]")


# Words whose second character is a negator's: 别 in 级别, 特别, 告别; 非 in 是非, 无 in 毫无 stays a negator.
_ENDS_A_WORD = frozenset(
    {
        "级别",
        "类别",
        "区别",
        "特别",
        "分别",
        "告别",
        "识别",
        "辨别",
        "性别",
        "个别",
        "差别",
        "离别",
        "鉴别",
        "派别",
        "组别",
    }
)
# How the denied act would be done (请勿擅自停药, 不要随意加量, 别自己停药): the negator reaches through the adverb.
_MANNER = re.compile("^(?:擅自|自行|自己|随意|随便|私自|盲目)+")


# 目前没有任何普通食品被证实可以治疗糖尿病: nothing of the kind can do what the hit names.
_NOTHING_CAN = re.compile(
    "(?:没有任何|没有1种|没有哪[种个款家]?|尚无|目前没有|不存在)[\u3400-\u9fff0-9]{0,10}?(?:被证实|被证明)?(?:可以|能够|能|可)$"
)


def negated(left: str, coordinated: Callable[[], list[str]]) -> bool:
    """Whether a negator in ``left`` (the normalised clause before the hit) governs the hit."""
    if not _NEGATOR_START.search(left):
        return False
    if _NOTHING_CAN.search(left):
        return True
    if left.endswith(BRAG_DENIED):
        return True
    negator = None
    for found in NEGATOR.finditer(left):
        at = found.start()
        if left.startswith(FALSE_NEGATIONS, at):
            continue
        if at > 0 and left[at - 1] == left[at + 1 : at + 2]:
            continue  # A-not-A question (是不是, 有没有): a question, not a denial
        if at > 0 and left[at - 1 : at + 1] in _ENDS_A_WORD:
            continue  # 同级别第一名, 特别好: the character closes another word
        negator = found
    if negator is None:
        return False
    gap = left[negator.end() :]
    for other in coordinated() if gap else ():
        gap = gap.replace(other, "")
    gap = _MANNER.sub("", COORDINATORS.sub("", gap))
    if not gap:
        return True
    if MEANS_GAP.match(gap):
        return True
    if len(gap) > MAX_NEGATION_GAP:
        return False
    if COVERB_GAP.match(gap) or CAUSATIVE_GAP.match(gap):
        return True  # before the scope breaks: 不会因为评价给返现 opens with the coverb 因为
    if SCOPE_BREAK.search(gap):
        return False
    verb = next((v for v in ASSERTION_VERBS if gap.startswith(v)), None)
    if negator.group() not in STRONG_NEGATORS and verb is None:
        return False  # 不要错过最好的…: the negator denies another verb, not the claim
    # 不含激素是最好的: after a verb other than saying, a second predicate carries the claim.
    return verb is None or verb.startswith(SPEECH_VERBS) or "是" not in gap[len(verb) :]


def negated_inside(left: str, inside: str) -> bool:
    """Whether a negator inside a pattern's match governs its last word, the act (好评不返现, 评价…我们不会因为评价给
    返现): the words before the act, read as a clause of their own."""
    if not _NEGATOR_START.search(inside, 1):
        return False
    return any(negated(left + inside[:-act], list) for act in (2, 3) if len(inside) > act + 1)
