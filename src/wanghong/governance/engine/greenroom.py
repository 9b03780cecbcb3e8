"""绿色直播间 (green livestream room): one room evaluated against a list of criteria over a review period.

DB3301/T 0350-2021 (杭州市地方标准) defines a 绿色直播间. Its text was not available to this project when this
module was written, so the criteria below are not quoted from it: each one enforces a national rule that a green
room must at least keep, and names that rule. Mapping them to the standard's own clauses (and adding what it asks
beyond them) is open work; the list is data (``CRITERIA``), so that change touches no code.

Every criterion is *required* (failing it fails the room) or *scored* (adds its weight when met). A room is green
when every required criterion holds and the scored ones reach ``PASS_SHARE`` of their total weight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PASS_SHARE = 0.8


@dataclass(frozen=True)
class RoomFacts:
    """What the platform knows about one room over the review period (typically the last 90 days)."""

    subject_verified: bool  # the seller and the hosts passed 直播主体 verification
    licences_displayed: bool  # 亮照亮证: the business licence and qualifications are shown in the room
    qualifications_in_force: bool  # every restricted category sold had a qualification in force
    minors_hosting: bool  # anyone under 16 appeared as a host
    confirmed_violations: int  # compliance violations confirmed in the period
    severe_violations: int  # of which high severity
    false_price_claims: int  # 虚构原价 / false 全网最低 confirmed
    listing_mismatches: int  # speech contradicting the listing, confirmed
    prohibited_goods: int  # prohibited goods listed
    ai_content_labelled: bool  # AI-generated hosts or content carried the label
    complaints: int  # consumer complaints received
    complaints_resolved_in_time: int  # of which resolved within the platform's deadline
    returns_honoured: bool  # 七日无理由退货 honoured where the law grants it
    credit_colour: str  # "green" / "yellow" / "red" from :mod:`.credit`


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str  # Chinese / English
    basis: str  # the rule it enforces
    required: bool
    weight: float
    met: Callable[[RoomFacts], bool]


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "subject.verified",
        "直播主体已核验 / the seller and hosts are verified",
        "《网络直播营销管理办法（试行）》(2021) 身份信息认证; 《直播电商监督管理办法》(2026)",
        True,
        0,
        lambda f: f.subject_verified,
    ),
    Criterion(
        "subject.no_minor_hosts",
        "无未满16周岁主播 / no host under 16",
        "《网络直播营销管理办法（试行）》第十七条",
        True,
        0,
        lambda f: not f.minors_hosting,
    ),
    Criterion(
        "goods.no_prohibited",
        "未销售禁售商品 / no prohibited goods",
        "《电子商务法》第十三条",
        True,
        0,
        lambda f: f.prohibited_goods == 0,
    ),
    Criterion(
        "goods.qualifications",
        "限制类目资质齐全有效 / qualifications in force for restricted categories",
        "《食品安全法》第三十五条; 《化妆品监督管理条例》",
        True,
        0,
        lambda f: f.qualifications_in_force,
    ),
    Criterion(
        "conduct.no_severe_violation",
        "无严重违规 / no severe violation",
        "《广告法》; 《网络主播行为规范》(2022)",
        True,
        0,
        lambda f: f.severe_violations == 0,
    ),
    Criterion(
        "subject.licences_displayed",
        "亮照亮证 / licences shown in the room",
        "《电子商务法》第十五条",
        False,
        2,
        lambda f: f.licences_displayed,
    ),
    Criterion(
        "conduct.clean_record",
        "期内无确认违规 / no confirmed violation in the period",
        "《广告法》; 《反不正当竞争法》第八条",
        False,
        3,
        lambda f: f.confirmed_violations == 0,
    ),
    Criterion(
        "price.honest",
        "无价格欺诈 / no price fraud",
        "《明码标价和禁止价格欺诈规定》(2022); 《规范促销行为暂行规定》第二十条",
        False,
        3,
        lambda f: f.false_price_claims == 0,
    ),
    Criterion(
        "goods.as_described",
        "口播与商品信息一致 / speech agrees with the listing",
        "《反不正当竞争法》第八条; 《消费者权益保护法》第二十条",
        False,
        3,
        lambda f: f.listing_mismatches == 0,
    ),
    Criterion(
        "content.ai_labelled",
        "AI 生成内容已标识 / AI-generated content labelled",
        "《人工智能生成合成内容标识办法》(2025)",
        False,
        1,
        lambda f: f.ai_content_labelled,
    ),
    Criterion(
        "service.complaints",
        "投诉按时处理率 ≥ 95% / ≥ 95 % of complaints resolved in time",
        "《消费者权益保护法》; 《网络交易监督管理办法》(2021)",
        False,
        2,
        lambda f: f.complaints == 0 or f.complaints_resolved_in_time >= 0.95 * f.complaints,
    ),
    Criterion(
        "service.returns",
        "七日无理由退货 / seven-day no-reason returns honoured",
        "《消费者权益保护法》第二十五条",
        False,
        2,
        lambda f: f.returns_honoured,
    ),
    Criterion(
        "credit.green",
        "主体信用为绿码 / the seller's credit is green",
        "this platform's 信用分 (engine/credit.py)",
        False,
        2,
        lambda f: f.credit_colour == "green",
    ),
)


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    met: bool


@dataclass(frozen=True)
class GreenRoomVerdict:
    green: bool
    score: float  # share of the scored criteria's weight met, 0–1
    results: tuple[CriterionResult, ...]
    reason: str  # Chinese / English

    @property
    def failed(self) -> tuple[Criterion, ...]:
        return tuple(r.criterion for r in self.results if not r.met)


def evaluate_room(facts: RoomFacts, criteria: tuple[Criterion, ...] = CRITERIA) -> GreenRoomVerdict:
    results = tuple(CriterionResult(c, bool(c.met(facts))) for c in criteria)
    scored = [r for r in results if not r.criterion.required]
    total = sum(r.criterion.weight for r in scored)
    share = sum(r.criterion.weight for r in scored if r.met) / total if total else 1.0
    failed_required = [r.criterion for r in results if r.criterion.required and not r.met]
    green = not failed_required and share >= PASS_SHARE
    if failed_required:
        zh = "、".join(c.title.split(" / ")[0] for c in failed_required)
        en = "; ".join(c.title.split(" / ")[-1] for c in failed_required)
        reason = f"未达绿色直播间：必备项未满足（{zh}）/ not green: required criteria failed ({en})"
    elif not green:
        reason = f"未达绿色直播间：得分 {share:.0%}，低于 {PASS_SHARE:.0%} / not green: {share:.0%} of the weight"
    else:
        reason = f"绿色直播间：得分 {share:.0%} / green room: {share:.0%} of the weight"
    return GreenRoomVerdict(green, round(share, 3), results, reason)
