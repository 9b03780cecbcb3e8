"""直播主体 (who sells): verification rules for brands, MCNs and creators, as pure functions of their documents.

The 2026 《直播电商监督管理办法》 asks a platform to verify who sells before they sell; the rules here are the
checkable part of that duty, applied at a given instant so that an expiry date takes effect by itself:

* **organisations** (brand, MCN): a well-formed 统一社会信用代码 (:mod:`.uscc`, GB 32100-2015) and a business
  licence record for that same code, not revoked, in its term (营业期限; no end date = 长期). A brand selling in a
  restricted category also holds, in force, one of that category's qualifications (``REQUIRED``): a food
  production or food business licence (《食品安全法》第三十五条) for food, a cosmetics filing or special-cosmetics
  registration (《化妆品监督管理条例》) for cosmetics, a health-food registration/filing or a medical-device
  registration/filing for health goods.
* **creators**: real-name verified (实名认证, 《网络直播营销管理办法（试行）》, 2021), and at least 16 years old to
  host (同办法第十七条); 16 and 17 year-olds need their guardian's consent on record (同条).

A subject's :class:`SubjectState` follows ``TRANSITIONS`` (submitted → pending → verified or rejected; verified →
expired when a document's term ends, or revoked by a reviewer; expired, rejected and revoked subjects may submit
again; an operator may suspend or blacklist a subject in any state, a suspension lifts back to the state it
interrupted and a blacklisting only to a fresh review). :func:`verify_organisation` and :func:`verify_creator`
compute what the documents *allow* at an instant; the stored state is the reviewer's decision, and
:func:`effective_state` combines the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum

from wanghong.domain import Category
from wanghong.governance.engine.uscc import check_uscc

MIN_HOST_AGE = 16
BEIJING = timezone(timedelta(hours=8))
ADULT_AGE = 18


class SubjectKind(StrEnum):
    BRAND = "brand"
    MCN = "mcn"
    CREATOR = "creator"


class SubjectState(StrEnum):
    UNVERIFIED = "unverified"  # nothing submitted
    PENDING = "pending"  # submitted, awaiting review
    VERIFIED = "verified"
    EXPIRED = "expired"  # a required document's term has ended
    REJECTED = "rejected"
    REVOKED = "revoked"  # withdrawn by a reviewer after verification
    SUSPENDED = "suspended"  # 暂停: may not propose, accept or go live until reinstated
    BLACKLISTED = "blacklisted"  # 黑名单: excluded; reinstating means a fresh review


# Operators suspend or blacklist a subject whatever its verification stands at (an unverified creator can be
# suspended too); a suspension lifts back to the state it interrupted, a blacklisting only to a fresh review.
_SANCTIONS = frozenset({SubjectState.SUSPENDED, SubjectState.BLACKLISTED})
TRANSITIONS: dict[SubjectState, frozenset[SubjectState]] = {
    SubjectState.UNVERIFIED: frozenset({SubjectState.PENDING}) | _SANCTIONS,
    SubjectState.PENDING: frozenset({SubjectState.VERIFIED, SubjectState.REJECTED}) | _SANCTIONS,
    SubjectState.VERIFIED: frozenset({SubjectState.EXPIRED, SubjectState.REVOKED, SubjectState.PENDING}) | _SANCTIONS,
    SubjectState.EXPIRED: frozenset({SubjectState.PENDING}) | _SANCTIONS,
    SubjectState.REJECTED: frozenset({SubjectState.PENDING}) | _SANCTIONS,
    SubjectState.REVOKED: frozenset({SubjectState.PENDING}) | _SANCTIONS,
    SubjectState.SUSPENDED: frozenset(
        {
            SubjectState.UNVERIFIED,
            SubjectState.PENDING,
            SubjectState.VERIFIED,
            SubjectState.EXPIRED,
            SubjectState.REJECTED,
            SubjectState.REVOKED,
            SubjectState.BLACKLISTED,
        }
    ),
    SubjectState.BLACKLISTED: frozenset({SubjectState.PENDING}),
}
SANCTIONED = _SANCTIONS


class SubjectAction(StrEnum):
    """What an operator does to a subject (主体管理)."""

    VERIFY = "verify"
    REJECT = "reject"
    SUSPEND = "suspend"
    BLACKLIST = "blacklist"
    REINSTATE = "reinstate"


# Actions that take something away from a subject must say why: the reason is shown to it and logged.
NEEDS_REASON = frozenset({SubjectAction.REJECT, SubjectAction.SUSPEND, SubjectAction.BLACKLIST})


class TransitionError(ValueError):
    def __init__(self, current: SubjectState, wanted: SubjectState) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        super().__init__(
            f"主体状态不能从 {current} 变为 {wanted}（可变为 {allowed}）/ {current} → {wanted} is not allowed"
        )
        self.current, self.wanted = current, wanted


def transition(current: SubjectState, wanted: SubjectState) -> SubjectState:
    if wanted not in TRANSITIONS[current]:
        raise TransitionError(current, wanted)
    return wanted


class DocumentKind(StrEnum):
    BUSINESS_LICENCE = "business_licence"  # 营业执照
    FOOD_PRODUCTION_LICENCE = "food_production_licence"  # 食品生产许可证 (SC)
    FOOD_BUSINESS_LICENCE = "food_business_licence"  # 食品经营许可证 (JY)
    COSMETICS_FILING = "cosmetics_filing"  # 普通化妆品备案
    SPECIAL_COSMETICS_REGISTRATION = "special_cosmetics_registration"  # 特殊化妆品注册证
    HEALTH_FOOD_REGISTRATION = "health_food_registration"  # 保健食品注册证书 / 备案凭证
    MEDICAL_DEVICE_REGISTRATION = "medical_device_registration"  # 医疗器械注册证 / 备案凭证


LABELS: dict[DocumentKind, str] = {
    DocumentKind.BUSINESS_LICENCE: "营业执照 / business licence",
    DocumentKind.FOOD_PRODUCTION_LICENCE: "食品生产许可证 / food production licence",
    DocumentKind.FOOD_BUSINESS_LICENCE: "食品经营许可证 / food business licence",
    DocumentKind.COSMETICS_FILING: "化妆品备案 / cosmetics filing",
    DocumentKind.SPECIAL_COSMETICS_REGISTRATION: "特殊化妆品注册证 / special cosmetics registration",
    DocumentKind.HEALTH_FOOD_REGISTRATION: "保健食品注册/备案 / health food registration",
    DocumentKind.MEDICAL_DEVICE_REGISTRATION: "医疗器械注册/备案 / medical device registration",
}

# Category → the qualifications of which one, in force, lets a brand sell there. Absent: no qualification needed.
REQUIRED: dict[Category, frozenset[DocumentKind]] = {
    Category.FOOD: frozenset({DocumentKind.FOOD_PRODUCTION_LICENCE, DocumentKind.FOOD_BUSINESS_LICENCE}),
    Category.BEAUTY: frozenset({DocumentKind.COSMETICS_FILING, DocumentKind.SPECIAL_COSMETICS_REGISTRATION}),
    Category.HEALTH: frozenset({DocumentKind.HEALTH_FOOD_REGISTRATION, DocumentKind.MEDICAL_DEVICE_REGISTRATION}),
}
RESTRICTED = frozenset(REQUIRED)


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    number: str
    valid_from: date
    valid_until: date | None = None  # None: 长期 (no end)
    holder_uscc: str | None = None  # whose document it is, as printed on it
    revoked: bool = False

    def in_force(self, on: date) -> bool:
        return not self.revoked and self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


@dataclass(frozen=True)
class Problem:
    code: str  # stable, for tables and tests: "uscc.invalid", "licence.expired", "qualification.missing:food" …
    reason: str  # Chinese / English


@dataclass(frozen=True)
class Verification:
    """What the documents allow at one instant."""

    eligible: bool  # the documents support verification
    problems: tuple[Problem, ...]
    categories: frozenset[Category]  # restricted categories it may sell in (every other category is open)
    expires_on: date | None  # the first day a required document stops being in force, if any ends
    under_guardian: bool = False


def _licence_problems(uscc: str, documents: Sequence[Document], on: date) -> tuple[list[Problem], date | None]:
    problems: list[Problem] = []
    verdict = check_uscc(uscc)
    if not verdict.valid:
        problems.append(Problem("uscc.invalid", f"统一社会信用代码无效：{verdict.reason}"))
    licences = [d for d in documents if d.kind is DocumentKind.BUSINESS_LICENCE]
    own = [d for d in licences if d.holder_uscc is None or check_uscc(d.holder_uscc).code == verdict.code]
    if not licences:
        problems.append(Problem("licence.missing", "缺少营业执照记录 / no business licence on record"))
        return problems, None
    if not own:
        problems.append(
            Problem("licence.mismatch", "营业执照上的信用代码与主体不符 / the licence is for another credit code")
        )
        return problems, None
    in_force = [d for d in own if d.in_force(on)]
    if not in_force:
        latest = max(own, key=lambda d: d.valid_until or date.max)
        if latest.revoked:
            problems.append(Problem("licence.revoked", "营业执照已被吊销或注销 / the business licence is revoked"))
        elif latest.valid_from > on:
            problems.append(Problem("licence.not_yet", f"营业执照自 {latest.valid_from} 起生效 / not yet in force"))
        else:
            problems.append(
                Problem("licence.expired", f"营业执照已于 {latest.valid_until} 到期 / the licence expired on that day")
            )
        return problems, None
    ends = [d.valid_until for d in in_force]
    return problems, None if any(e is None for e in ends) else max(e for e in ends if e is not None)


def _first_day_after(until: date | None) -> date | None:
    return None if until is None else date.fromordinal(until.toordinal() + 1)


def verify_organisation(
    uscc: str, documents: Iterable[Document], *, on: date, categories: Iterable[Category] = ()
) -> Verification:
    """A brand's or MCN's documents at ``on``; ``categories`` are the restricted ones it asks to sell in."""
    docs = list(documents)
    problems, licence_until = _licence_problems(uscc, docs, on)
    allowed: set[Category] = set()
    expiries = [licence_until] if licence_until else []
    for category in dict.fromkeys(categories):
        needed = REQUIRED.get(category)
        if needed is None:
            continue
        held = [d for d in docs if d.kind in needed and d.in_force(on)]
        if held:
            allowed.add(category)
            until = [d.valid_until for d in held]
            if all(u is not None for u in until):
                expiries.append(max(u for u in until if u is not None))
        else:
            lapsed = [d for d in docs if d.kind in needed]
            names = "、".join(LABELS[k].split(" / ")[0] for k in sorted(needed))
            state = "已失效" if lapsed else "缺少"
            problems.append(
                Problem(
                    f"qualification.{'lapsed' if lapsed else 'missing'}:{category.value}",
                    f"{category.label}类目{state}资质（需{names}之一）/ {category.value}: "
                    f"{'the qualification has lapsed' if lapsed else 'no qualification'} — one of {names} is needed",
                )
            )
    licence_ok = not any(p.code.startswith(("uscc.", "licence.")) for p in problems)
    return Verification(
        eligible=licence_ok,
        problems=tuple(problems),
        categories=frozenset(allowed) if licence_ok else frozenset(),
        expires_on=_first_day_after(min(expiries)) if expiries else None,
    )


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Creator:
    real_name_verified: bool
    birth_date: date | None
    guardian_consent: bool = False
    id_valid_until: date | None = None  # the ID document used for 实名认证; None: 长期


def verify_creator(creator: Creator, *, on: date) -> Verification:
    problems: list[Problem] = []
    if not creator.real_name_verified:
        problems.append(Problem("real_name.missing", "未完成实名认证 / real-name verification not done"))
    if creator.id_valid_until is not None and creator.id_valid_until < on:
        problems.append(
            Problem("real_name.id_expired", f"实名证件已于 {creator.id_valid_until} 过期 / the ID document expired")
        )
    under_guardian = False
    if creator.birth_date is None:
        problems.append(Problem("age.unknown", "出生日期未知，无法核验年龄 / no birth date, age cannot be checked"))
    else:
        age = age_on(creator.birth_date, on)
        if age < MIN_HOST_AGE:
            problems.append(
                Problem("age.under_16", f"未满16周岁（{age}岁）不得开播 / under 16 ({age}) may not host a livestream")
            )
        elif age < ADULT_AGE:
            under_guardian = True
            if not creator.guardian_consent:
                problems.append(
                    Problem("age.guardian", f"{age}岁，须监护人同意 / aged {age}: the guardian's consent is needed")
                )
    return Verification(
        eligible=not problems,
        problems=tuple(problems),
        categories=frozenset(),
        expires_on=_first_day_after(creator.id_valid_until) if creator.id_valid_until else None,
        under_guardian=under_guardian,
    )


def effective_state(stored: SubjectState, verification: Verification) -> SubjectState:
    """A reviewer's *verified* holds only while the documents still support it; every other state stands."""
    if stored is SubjectState.VERIFIED and not verification.eligible:
        return SubjectState.EXPIRED
    return stored


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    problems: tuple[Problem, ...] = field(default=())


def may_sell(state: SubjectState, verification: Verification, category: Category) -> Decision:
    """Whether an organisation may sell in ``category``: open categories need no verification at all; a
    restricted one needs a verified subject holding that category's qualification."""
    if category not in RESTRICTED:
        return Decision(True, f"{category.label}类目无需额外资质 / no qualification needed for {category.value}")
    if effective_state(state, verification) is not SubjectState.VERIFIED:
        return Decision(
            False,
            f"主体未通过核验，不得销售{category.label}类商品 / a subject that is not verified "
            f"({effective_state(state, verification)}) may not sell {category.value}",
            verification.problems,
        )
    if category not in verification.categories:
        related = tuple(p for p in verification.problems if p.code.endswith(":" + category.value))
        return Decision(False, f"缺少{category.label}类目资质 / no {category.value} qualification in force", related)
    return Decision(True, f"已核验，{category.label}类目资质有效 / verified, qualification in force")


def may_trade(state: SubjectState) -> Decision:
    """Whether a subject may take part in deals at all (propose, accept, go live): not while sanctioned."""
    if state is SubjectState.SUSPENDED:
        return Decision(False, "主体已被平台暂停，不能发起、接受合作或开播 / the subject is suspended")
    if state is SubjectState.BLACKLISTED:
        return Decision(False, "主体已被列入黑名单，不能发起、接受合作或开播 / the subject is blacklisted")
    return Decision(True, "主体未受限 / the subject is not sanctioned")


def may_host(state: SubjectState, verification: Verification) -> Decision:
    if effective_state(state, verification) is SubjectState.VERIFIED:
        return Decision(True, "主播已核验 / the creator is verified")
    first = verification.problems[0].reason if verification.problems else f"状态为 {state} / state is {state}"
    return Decision(False, f"不得开播：{first}", verification.problems)


def state_after_review(current: SubjectState, approve: bool, verification: Verification) -> SubjectState:
    """A reviewer's decision on a pending subject; approval is refused while the documents do not support it."""
    if approve and not verification.eligible:
        raise ValueError(
            "材料不满足核验条件，不能通过 / the documents do not support verification: "
            + "; ".join(p.code for p in verification.problems)
        )
    return transition(current, SubjectState.VERIFIED if approve else SubjectState.REJECTED)


def beijing_date(at: datetime) -> date:
    """The calendar day in 北京时间 an instant falls on: document terms are counted in Beijing days."""
    return at.astimezone(BEIJING).date()
