"""`wanghong users demo`: one account per role over a simulated ecosystem, and work waiting for each of them.

A composition root like `app.py`: it drives several capabilities' use cases (commerce's resources and workflow,
compliance's review and appeals) exactly as their pages and API do, so every hook runs — products and videos are
scanned, offers land in inboxes, confirmed findings follow the penalty policy. Running it again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.commerce import schemas, workflow
from wanghong.commerce.models import Campaign, Creator
from wanghong.commerce.resources import RESOURCES, create_row
from wanghong.compliance.appeals import file_appeal
from wanghong.compliance.models import CompliancePenalty, ReviewTask
from wanghong.compliance.review import decide_review
from wanghong.compliance.schemas import AppealIn
from wanghong.domain import CampaignStatus, Category, CollaborationMode, CollaborationStatus, Decision, ReviewStatus
from wanghong.kit.db.base import utcnow
from wanghong.kit.instants import BEIJING
from wanghong.simulator.demo import DemoAccount, ensure_demo_accounts

DEMO_CAMPAIGN = "演示活动 · 春季新品种草"
# Copy a reviewer should stop: absolute claims (广告法 第九条) and medical claims for food (第十七条).
LOUD_PRODUCT = ("演示 · 纤体茶", "三天瘦十斤，根治便秘，国家级最佳配方，全网第一")
LOUD_VIDEO = ("全网最低价！第一品牌面霜开箱", "这是世界上最好的面霜，用了永不长皱纹，百分百有效")
CONFIRMED_VIDEO = ("夜间修护精华实测", "史上最强修护，七天根治痘痘，医院都在用")


@dataclass(frozen=True)
class DemoWork:
    """What waits for each role after staging (0 everywhere on a second run)."""

    offers: int
    submitted: int
    review_tasks: int
    appeals: int


def _principal(session: Session, username: str) -> Principal:
    user = session.scalars(select(User).where(User.username == username)).one()
    return Principal.of(user)


DEMO_USCC = "91110108551385082Q"  # well formed under GB 32100-2015 (its check character holds)


def verify_demo_subjects(session: Session, accounts: list[DemoAccount]) -> None:
    """The demo brand on record as a verified 主体 with the licences its 美妆 and 食品 products need, as an operator
    would have recorded it (the restricted-category gate refuses an unverified brand's offers); once only."""
    from wanghong.governance import gate as _gate  # noqa: F401  (registers the restricted-category gate)
    from wanghong.governance import subjects
    from wanghong.governance.engine.subjects import SubjectKind, SubjectState
    from wanghong.governance.schemas import SubjectIn

    by_role = {a.role.value: _principal(session, a.username) for a in accounts}
    brand_id = by_role["brand_manager"].brand_id or 0
    if subjects.state_of(session, SubjectKind.BRAND, brand_id) is SubjectState.VERIFIED:
        return
    record = {
        "kind": "brand",
        "org_id": brand_id,
        "legal_name": "演示品牌有限公司",
        "uscc": DEMO_USCC,
        "categories": ["beauty", "food"],
        "documents": [
            {"kind": "business_licence", "number": DEMO_USCC, "valid_from": "2015-01-01"},
            {"kind": "cosmetics_filing", "number": "京G妆网备字2024000001", "valid_from": "2024-01-01"},
            {"kind": "food_business_licence", "number": "JY11101080000001", "valid_from": "2024-01-01"},
        ],
    }
    subjects.enrol_verified(session, by_role["admin"], SubjectIn.model_validate(record))


def stage_work(session: Session, accounts: list[DemoAccount]) -> DemoWork:
    """Pending offers for the creator and its MCN, submitted content for the brand, review tasks and an open
    appeal for the reviewer — created through the platform's own use cases; skipped if staged before."""
    by_role = {a.role.value: _principal(session, a.username) for a in accounts}
    brand, creator, reviewer = by_role["brand_manager"], by_role["creator"], by_role["reviewer"]
    if session.scalar(select(Campaign.id).where(Campaign.brand_id == brand.brand_id, Campaign.name == DEMO_CAMPAIGN)):
        return DemoWork(0, 0, 0, 0)
    now = utcnow()
    campaign: Any = create_row(
        session,
        RESOURCES["campaigns"],
        brand,
        schemas.CampaignIn(
            name=DEMO_CAMPAIGN,
            budget=Decimal("500000"),
            status=CampaignStatus.ACTIVE,
            starts_at=now - timedelta(days=3),
            ends_at=now + timedelta(days=30),
        ),
    )
    cream: Any = create_row(
        session,
        RESOURCES["products"],
        brand,
        schemas.ProductIn(
            name="演示 · 玻尿酸保湿面霜",
            category=Category.BEAUTY,
            price=Decimal("129"),
            description="50g，适合干性肌肤",
        ),
    )
    name, copy = LOUD_PRODUCT
    create_row(
        session,
        RESOURCES["products"],
        brand,
        schemas.ProductIn(name=name, category=Category.FOOD, price=Decimal("59"), description=copy),
    )
    # Offers to the demo creator and to two more of its MCN's creators: the creator's and the MCN's inboxes.
    roster = session.scalars(
        select(Creator.id)
        .where(Creator.mcn_id == by_role["mcn_manager"].mcn_id, Creator.id != creator.creator_id)
        .order_by(Creator.followers.desc())
        .limit(2)
    ).all()
    assert creator.creator_id is not None  # the demo creator account speaks for one creator
    offers = []
    for creator_id, fee, mode in (
        (creator.creator_id, "18000", CollaborationMode.CREATOR_DISTRIBUTION),
        (creator.creator_id, "6000", CollaborationMode.BRAND_SELF_LIVE),
        *((cid, "3000", CollaborationMode.CREATOR_DISTRIBUTION) for cid in roster),
    ):
        offers.append(
            create_row(
                session,
                RESOURCES["collaborations"],
                brand,
                schemas.CollaborationIn(
                    campaign_id=campaign.id,
                    creator_id=creator_id,
                    product_id=cream.id,
                    mode=mode,
                    fee=Decimal(fee),
                    commission_rate=0.15,
                    note="春季新品种草：一条 21–60 秒短视频 + 一场直播讲解",
                ),
            )
        )
    # The second offer is answered: accepted and its draft submitted, so the brand has content to approve.
    submitted = offers[1]
    workflow.transition(session, creator, submitted.id, schemas.TransitionIn(to=CollaborationStatus.ACCEPTED))
    workflow.transition(
        session,
        creator,
        submitted.id,
        schemas.TransitionIn(
            to=CollaborationStatus.CONTENT_SUBMITTED, content_url="https://example.com/demo/draft-spring-cream"
        ),
    )
    # Two violating videos: one stays in the queue, one a reviewer confirms, which the creator then appeals.
    for title, script in (LOUD_VIDEO, CONFIRMED_VIDEO):
        create_row(
            session,
            RESOURCES["videos"],
            creator,
            schemas.VideoIn(title=title, script=script, published_at=now - timedelta(hours=2)),
        )
    confirmed = session.scalars(
        select(ReviewTask)
        .where(ReviewTask.creator_id == creator.creator_id, ReviewTask.status == ReviewStatus.PENDING)
        .where(ReviewTask.text.contains(CONFIRMED_VIDEO[1][:6]))
        .order_by(ReviewTask.id.desc())
    ).first()
    appeals = 0
    if confirmed is not None:
        decide_review(session, reviewer, confirmed.id, Decision.UPHOLD, "绝对化用语与医疗用语，确认违规")
        penalty = session.scalars(
            select(CompliancePenalty)
            .where(CompliancePenalty.creator_id == creator.creator_id)
            .order_by(CompliancePenalty.id.desc())
        ).first()
        if penalty is not None:
            reason = "视频已下架并修改文案，首次违规，申请撤销处罚"
            file_appeal(session, creator, AppealIn(penalty_id=penalty.id, reason=reason))
            appeals = 1
    pending = session.scalars(select(ReviewTask.id).where(ReviewTask.status == ReviewStatus.PENDING)).all()
    return DemoWork(offers=len(offers) - 1, submitted=1, review_tasks=len(pending), appeals=appeals)


def grade_recent_months(session: Session, months: int = 3) -> None:
    """星火计划: grade the last complete months oldest first, so the tier card has history and hysteresis."""
    from wanghong.growth.grading import last_complete_month, run_grading, shift

    last = last_complete_month()
    for back in range(months - 1, -1, -1):
        run_grading(session, shift(last, -back))


# 选品广场: products the demo brand opens to creators — (name, category, price, description, commission, samples).
DEMO_LISTINGS = (
    ("演示 · 氨基酸洁面乳", Category.BEAUTY, "69", "120g，温和清洁，适合混合肌", 0.20, "free"),
    ("演示 · 冻干咖啡粉 30 颗", Category.FOOD, "89", "速溶冻干，冷水三秒溶解", 0.25, "free"),
    ("演示 · 纯棉四件套", Category.HOME, "399", "1.8 米床，60 支长绒棉", 0.12, "return"),
)


@dataclass(frozen=True)
class SelectionWork:
    """What 选品广场 holds for each role after staging (0 everywhere on a second run)."""

    listings: int
    pending_samples: int
    approved_samples: int
    cart_items: int


def stage_selection(session: Session, accounts: list[DemoAccount]) -> SelectionWork:
    """Listings open for distribution, a 申样 from the creator and one from its MCN for the brand to decide, an
    approved sample, and an upcoming livestream whose 购物车 holds the approved product — through 选品广场's own use
    cases, so audit, notices and the open-request guard all apply; skipped if staged before."""
    from wanghong.commerce.models import Product
    from wanghong.selection import service as selection
    from wanghong.selection.schemas import CartItemIn, ListingIn, SampleDecisionIn, SampleIn

    by_role = {a.role.value: _principal(session, a.username) for a in accounts}
    brand, creator, mcn = by_role["brand_manager"], by_role["creator"], by_role["mcn_manager"]
    first = DEMO_LISTINGS[0][0]
    if session.scalar(select(Product.id).where(Product.brand_id == brand.brand_id, Product.name == first)):
        return SelectionWork(0, 0, 0, 0)
    listings = []
    for name, category, price, description, rate, samples in DEMO_LISTINGS:
        product: Any = create_row(
            session,
            RESOURCES["products"],
            brand,
            schemas.ProductIn(name=name, category=category, price=Decimal(price), description=description),
        )
        data = ListingIn.model_validate({"product_id": product.id, "commission_rate": rate, "sample_policy": samples})
        listings.append(selection.open_listing(session, brand, data))
    cleanser, coffee, bedding = listings
    address = "浙江省杭州市余杭区文一西路 969 号"
    selection.request_sample(session, creator, SampleIn(listing_id=cleanser.id, address=address, note="直播讲解要用"))
    asked = selection.request_sample(session, creator, SampleIn(listing_id=coffee.id, address=address))
    selection.decide_sample(session, brand, asked.id, SampleDecisionIn.model_validate({"decision": "approved"}))
    pending = 1
    roster = session.scalar(
        select(Creator.id)
        .where(Creator.mcn_id == mcn.mcn_id, Creator.id != creator.creator_id)
        .order_by(Creator.followers.desc())
    )
    if roster is not None:
        ask = SampleIn(listing_id=bedding.id, address="上海市徐汇区漕溪北路 88 号", creator_id=roster)
        selection.request_sample(session, mcn, ask)
        pending += 1
    # Tomorrow 20:00 北京时间: the usual evening slot, upcoming, so the cart can still change.
    tomorrow = (utcnow().astimezone(BEIJING) + timedelta(days=1)).replace(hour=20, minute=0, second=0, microsecond=0)
    live = selection.schedule_livestream(session, creator, "演示 · 晚 8 点好物专场", tomorrow)
    selection.add_to_cart(session, creator, CartItemIn(livestream_id=live.id, listing_id=coffee.id))
    return SelectionWork(listings=len(listings), pending_samples=pending, approved_samples=1, cart_items=1)


def users_demo() -> None:
    """为模拟数据创建各角色演示账号并准备待办 / One demo account per role, with work waiting for each."""
    import typer
    from rich.console import Console
    from rich.table import Table

    from wanghong.config import Settings
    from wanghong.kit.db.session import Database
    from wanghong.kit.errors import ServiceError

    console = Console()
    db = Database(Settings.from_env().database_url)
    try:
        with db.transaction() as session:
            accounts = ensure_demo_accounts(session)
            verify_demo_subjects(session, accounts)
            work = stage_work(session, accounts)
            shelf = stage_selection(session, accounts)
            grade_recent_months(session)
    except ServiceError as exc:
        console.print(f"[red]错误 / error:[/] {exc.detail}")
        raise typer.Exit(2) from None
    finally:
        db.dispose()
    table = Table(title="演示账号 / demo accounts")
    for column in ("角色 / role", "用户名 / username", "密码 / password", "视角 / sees"):
        table.add_column(column)
    for account in accounts:
        table.add_row(account.role.label, account.username, account.password, account.scope)
    console.print(table)
    if work.offers or work.review_tasks:
        console.print(
            f"待办 / waiting: {work.offers} 个待回复的合作邀约 / open offers, {work.submitted} 份待审内容 / submitted "
            f"drafts, {work.review_tasks} 个审核任务 / review tasks, {work.appeals} 个申诉 / appeals"
        )
    if shelf.listings:
        console.print(
            f"选品广场 / selection: {shelf.listings} 个上架商品 / listings, {shelf.pending_samples} 个待审申样 / "
            f"pending samples, {shelf.approved_samples} 个已通过 / approved, {shelf.cart_items} 件购物车商品 / "
            "cart items"
        )
