"""直播主体 verification rules: organisations (USCC, licence, category qualifications with expiry), creators
(real name, age ≥ 16, guardian consent), the state machine, and who may sell or host."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from wanghong.domain import Category
from wanghong.governance.engine.subjects import (
    Creator,
    Document,
    DocumentKind,
    SubjectState,
    TransitionError,
    age_on,
    beijing_date,
    effective_state,
    may_host,
    may_sell,
    state_after_review,
    transition,
    verify_creator,
    verify_organisation,
)

USCC = "91110108551385082Q"
TODAY = date(2026, 12, 1)
LICENCE = Document(DocumentKind.BUSINESS_LICENCE, USCC, date(2010, 3, 3), None, USCC)
FOOD = Document(DocumentKind.FOOD_PRODUCTION_LICENCE, "SC10611010800123", date(2022, 1, 1), date(2027, 1, 1), USCC)


def codes(verification: object) -> list[str]:
    return [p.code for p in verification.problems]  # type: ignore[attr-defined]


def test_a_complete_food_brand_may_sell_food_until_its_licence_ends() -> None:
    v = verify_organisation(USCC, [LICENCE, FOOD], on=TODAY, categories=[Category.FOOD])
    assert v.eligible and v.categories == {Category.FOOD} and not v.problems
    assert v.expires_on == date(2027, 1, 2)  # the first day the food licence no longer covers
    assert may_sell(SubjectState.VERIFIED, v, Category.FOOD).allowed
    later = verify_organisation(USCC, [LICENCE, FOOD], on=date(2027, 1, 2), categories=[Category.FOOD])
    assert later.eligible and Category.FOOD not in later.categories
    assert codes(later) == ["qualification.lapsed:food"]
    refused = may_sell(SubjectState.VERIFIED, later, Category.FOOD)
    assert not refused.allowed and "缺少食品类目资质" in refused.reason


def test_open_categories_need_no_verification() -> None:
    v = verify_organisation(USCC, [], on=TODAY)
    assert may_sell(SubjectState.UNVERIFIED, v, Category.FASHION).allowed


def test_an_unverified_subject_cannot_sell_in_a_restricted_category() -> None:
    v = verify_organisation(USCC, [LICENCE, FOOD], on=TODAY, categories=[Category.FOOD])
    for state in (SubjectState.UNVERIFIED, SubjectState.PENDING, SubjectState.REJECTED, SubjectState.REVOKED):
        decision = may_sell(state, v, Category.FOOD)
        assert not decision.allowed and "主体未通过核验" in decision.reason


@pytest.mark.parametrize(
    ("uscc", "documents", "problem"),
    [
        ("91110108551385082A", [LICENCE], "uscc.invalid"),
        (USCC, [], "licence.missing"),
        (USCC, [Document(DocumentKind.BUSINESS_LICENCE, "x", date(2010, 1, 1), None, "91110000600037341L")],
         "licence.mismatch"),
        (USCC, [Document(DocumentKind.BUSINESS_LICENCE, "x", date(2010, 1, 1), date(2026, 11, 30), USCC)],
         "licence.expired"),
        (USCC, [Document(DocumentKind.BUSINESS_LICENCE, "x", date(2010, 1, 1), None, USCC, revoked=True)],
         "licence.revoked"),
    ],
)  # fmt: skip
def test_organisation_problems(uscc: str, documents: list[Document], problem: str) -> None:
    v = verify_organisation(uscc, documents, on=TODAY)
    assert problem in codes(v) and not v.eligible


def test_cosmetics_need_a_filing_and_a_verified_state_lapses_with_the_licence() -> None:
    filing = Document(DocumentKind.COSMETICS_FILING, "京G妆网备字2024000001", date(2024, 1, 1))
    v = verify_organisation(USCC, [LICENCE, filing], on=TODAY, categories=[Category.BEAUTY, Category.FOOD])
    assert v.categories == {Category.BEAUTY} and codes(v) == ["qualification.missing:food"]
    ended = Document(DocumentKind.BUSINESS_LICENCE, USCC, date(2010, 1, 1), date(2026, 6, 30), USCC)
    lapsed = verify_organisation(USCC, [ended, filing], on=TODAY, categories=[Category.BEAUTY])
    assert effective_state(SubjectState.VERIFIED, lapsed) is SubjectState.EXPIRED
    assert not may_sell(SubjectState.VERIFIED, lapsed, Category.BEAUTY).allowed


@pytest.mark.parametrize(
    ("birth", "consent", "eligible", "problem"),
    [
        (date(2000, 5, 1), False, True, None),
        (date(2010, 12, 2), False, False, "age.under_16"),  # turns 16 tomorrow
        (date(2010, 12, 1), True, True, None),  # 16 today, with consent
        (date(2010, 12, 1), False, False, "age.guardian"),
        (None, False, False, "age.unknown"),
    ],
)
def test_creators_age(birth: date | None, consent: bool, eligible: bool, problem: str | None) -> None:
    v = verify_creator(Creator(True, birth, guardian_consent=consent), on=TODAY)
    assert v.eligible is eligible
    assert (problem in codes(v)) if problem else not v.problems


def test_creators_need_real_names() -> None:
    v = verify_creator(Creator(False, date(1999, 1, 1)), on=TODAY)
    assert codes(v) == ["real_name.missing"]
    decision = may_host(SubjectState.VERIFIED, v)
    assert not decision.allowed and "未完成实名认证" in decision.reason
    assert may_host(SubjectState.VERIFIED, verify_creator(Creator(True, date(1999, 1, 1)), on=TODAY)).allowed


def test_age_counts_birthdays() -> None:
    assert age_on(date(2010, 2, 28), date(2026, 2, 27)) == 15 and age_on(date(2010, 2, 28), date(2026, 2, 28)) == 16


def test_the_state_machine() -> None:
    assert transition(SubjectState.UNVERIFIED, SubjectState.PENDING) is SubjectState.PENDING
    with pytest.raises(TransitionError, match="unverified → verified"):
        transition(SubjectState.UNVERIFIED, SubjectState.VERIFIED)
    v = verify_organisation(USCC, [], on=TODAY)
    with pytest.raises(ValueError, match=r"licence\.missing"):
        state_after_review(SubjectState.PENDING, True, v)
    assert state_after_review(SubjectState.PENDING, False, v) is SubjectState.REJECTED


def test_document_days_are_beijing_days() -> None:
    assert beijing_date(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == date(2026, 12, 1)
