"""直播主体 records: submission, operator decisions with history, audit and transparency log entries; the
restricted-category and sanction gate on the collaboration workflow; the subjects API."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Brand, Campaign, Collaboration, Creator, Product
from wanghong.domain import CampaignStatus, CollaborationMode, CollaborationStatus, FollowerTier
from wanghong.governance import subjects
from wanghong.governance.engine.subjects import SubjectAction, SubjectKind, SubjectState
from wanghong.governance.models import GovernanceSubject, TransparencyEntry
from wanghong.governance.schemas import DecisionIn, SubjectIn
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.kit.errors import Conflict, InvalidInput, NotFound

USCC = "91110108551385082Q"


def _admin(world: World, db: Database) -> Principal:
    from wanghong.accounts.models import User

    with db.transaction() as s:
        user = s.scalars(select(User).where(User.username == f"admin_{world.tag}")).one()
        return Principal.of(user)


def _new_brand(db: Database, category: str = "food") -> tuple[int, int, int]:
    """A brand of its own with an active campaign and one product: (brand, campaign, product)."""
    tag = uuid.uuid4().hex[:8]
    with db.transaction() as s:
        brand = Brand(name=f"新品牌 {tag}", industry=category)
        s.add(brand)
        s.flush()
        campaign = Campaign(brand_id=brand.id, name="上新", status=CampaignStatus.ACTIVE, budget=Decimal("90000"))
        product = Product(brand_id=brand.id, name="零食礼包", category=category, price=Decimal("59"))
        s.add_all([campaign, product])
        s.flush()
        return brand.id, campaign.id, product.id


def _food_record(brand_id: int, *, food_until: date | None) -> SubjectIn:
    documents = [{"kind": "business_licence", "number": USCC, "valid_from": "2012-01-01"}]
    if food_until is not None:
        documents.append(
            {
                "kind": "food_production_licence",
                "number": "SC10611010800123",
                "valid_from": "2022-01-01",
                "valid_until": food_until.isoformat(),
            }
        )
    return SubjectIn.model_validate(
        {
            "kind": "brand",
            "org_id": brand_id,
            "legal_name": "北京某食品有限公司",
            "uscc": USCC.lower(),
            "categories": ["food"],
            "documents": documents,
        }
    )


def test_a_brand_is_verified_with_history_audit_and_log_entries(world: World, db: Database) -> None:
    admin = _admin(world, db)
    brand_id, _, _ = _new_brand(db)
    until = subjects.today() + timedelta(days=20)
    with db.transaction() as s:
        row = subjects.submit(s, admin, _food_record(brand_id, food_until=until))
        assert row.state is SubjectState.PENDING and row.uscc == USCC  # normalised by the GB 32100 engine
        subject_id = row.id
    with db.transaction() as s:
        row = subjects.decide(s, admin, subject_id, DecisionIn(action=SubjectAction.VERIFY))
        assert row.state is SubjectState.VERIFIED
        assert row.expires_on == until + timedelta(days=1)  # the first day the food licence no longer covers
    with db.transaction() as s:
        events = subjects.history(s, subject_id)
        assert [(e.action, e.from_state, e.to_state) for e in events] == [
            ("verify", SubjectState.PENDING, SubjectState.VERIFIED),
            ("submit", SubjectState.UNVERIFIED, SubjectState.PENDING),
        ]
        logged = {
            e.entry_id: e
            for e in s.scalars(
                select(TransparencyEntry).where(TransparencyEntry.record == f"governance_subjects:{subject_id}")
            )
        }
        assert set(logged) == {e.entry_id for e in events}
        assert {e.kind for e in logged.values()} == {"subject_verification.submit", "subject_verification.verify"}
        assert all(e.leaf_index is not None for e in logged.values())  # sealed in the deciding transaction
        audited = s.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "governance_subjects", AuditEntry.entity_id == str(subject_id)
            )
        ).all()
        assert sorted(audited) == ["governance_subject.decide", "governance_subject.submit"]
        assert subject_id in {r.id for r in subjects.expiring(s)}  # its verification ends within 30 days


def test_verification_is_refused_while_the_documents_do_not_support_it(world: World, db: Database) -> None:
    admin = _admin(world, db)
    brand_id, _, _ = _new_brand(db)
    record = SubjectIn.model_validate({"kind": "brand", "org_id": brand_id, "uscc": USCC, "categories": ["food"]})
    with db.transaction() as s:
        subject_id = subjects.submit(s, admin, record).id
    with db.transaction() as s, pytest.raises(InvalidInput, match=r"licence\.missing"):
        subjects.decide(s, admin, subject_id, DecisionIn(action=SubjectAction.VERIFY))
    with db.transaction() as s:
        assert s.get(GovernanceSubject, subject_id).state is SubjectState.PENDING  # type: ignore[union-attr]
        with pytest.raises(InvalidInput, match="reason"):
            subjects.decide(s, admin, subject_id, DecisionIn(action=SubjectAction.REJECT))
        assert subjects.decide(s, admin, subject_id, DecisionIn(action="reject", reason="缺营业执照")).state is (
            SubjectState.REJECTED
        )


def test_an_invalid_credit_code_is_refused_at_submission(world: World, db: Database) -> None:
    admin = _admin(world, db)
    brand_id, _, _ = _new_brand(db)
    bad = SubjectIn.model_validate({"kind": "brand", "org_id": brand_id, "uscc": USCC[:-1] + "0"})
    with db.transaction() as s, pytest.raises(InvalidInput, match="统一社会信用代码无效"):
        subjects.submit(s, admin, bad)


def test_suspension_lifts_back_to_the_interrupted_state_and_blacklisting_to_a_review(
    world: World, db: Database
) -> None:
    admin = _admin(world, db)
    creator = world["creatorA2"]  # never submitted anything: the operator can still suspend it
    with db.transaction() as s:
        row = subjects.decide_org(
            s, admin, SubjectKind.CREATOR, creator, DecisionIn(action="suspend", reason="直播中辱骂观众")
        )
        assert row.state is SubjectState.SUSPENDED and row.reason == "直播中辱骂观众"
        assert subjects.actions_for(row.state) == (SubjectAction.REINSTATE,)
        row = subjects.decide_org(s, admin, SubjectKind.CREATOR, creator, DecisionIn(action="reinstate"))
        assert row.state is SubjectState.UNVERIFIED
        subjects.decide_org(s, admin, SubjectKind.CREATOR, creator, DecisionIn(action="blacklist", reason="刷单"))
        with pytest.raises(Conflict):
            subjects.decide_org(s, admin, SubjectKind.CREATOR, creator, DecisionIn(action="suspend", reason="x"))
        row = subjects.decide_org(s, admin, SubjectKind.CREATOR, creator, DecisionIn(action="reinstate"))
        assert row.state is SubjectState.PENDING
        assert len(subjects.history(s, row.id)) == 4


def test_a_decision_on_a_state_that_moved_meanwhile_is_a_409(world: World, db: Database) -> None:
    with db.transaction() as s:
        row = s.get(GovernanceSubject, world["subjectCreatorA1"])
        assert row is not None
        # The decision was taken on 'pending'; another operator has since verified: the conditional update loses.
        with pytest.raises(Conflict, match="changed meanwhile"):
            subjects._move(s, row, SubjectState.PENDING, {"state": SubjectState.REJECTED})
        assert s.get(GovernanceSubject, row.id).state is SubjectState.VERIFIED  # type: ignore[union-attr]


def test_tenants_submit_their_own_records_only(world: World, db: Database) -> None:
    from wanghong.accounts.models import User

    with db.transaction() as s:
        brand_a = Principal.of(s.scalars(select(User).where(User.username == f"brandA_{world.tag}")).one())
        mine = subjects.submit(s, brand_a, _food_record(world["brandA"], food_until=None))
        assert mine.state is SubjectState.PENDING
        with pytest.raises(NotFound):
            subjects.submit(s, brand_a, _food_record(world["brandB"], food_until=None))
        with pytest.raises(NotFound):  # a tenant reaches an operator's decision only through its own record
            subjects.decide(s, brand_a, world["subjectBrandB"], DecisionIn(action="suspend", reason="x"))
        s.rollback()


# ------------------------------------------------------------------------------------------------------- gate


def _propose(client: TestClient, headers: dict[str, str], campaign: int, creator: int, product: int):  # type: ignore[no-untyped-def]
    body = {
        "campaign_id": campaign,
        "creator_id": creator,
        "product_id": product,
        "mode": CollaborationMode.CREATOR_DISTRIBUTION.value,
        "commission_rate": 0.2,
    }
    return client.post("/api/v1/collaborations", json=body, headers=headers)


def test_restricted_categories_need_a_verified_brand_with_the_qualification(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    brand_id, campaign_id, product_id = _new_brand(db, "food")
    admin = as_user("admin")
    refused = _propose(app_client, admin, campaign_id, world["creatorA1"], product_id)
    assert refused.status_code == 409 and "主体未通过核验" in refused.json()["detail"], refused.text
    # brandA is verified for 美妆 only: its food product is refused for want of the qualification.
    with db.transaction() as s:
        food = Product(brand_id=world["brandA"], name="坚果", category="food", price=Decimal("39"))
        fashion = Product(brand_id=world["brandA"], name="卫衣", category="fashion", price=Decimal("199"))
        s.add_all([food, fashion])
        s.flush()
        food_id, fashion_id = food.id, fashion.id
    lacking = _propose(app_client, as_user("brandA"), world["campaignA"], world["creatorA1"], food_id)
    assert lacking.status_code == 409 and "缺少食品类目资质" in lacking.json()["detail"]
    assert (
        _propose(app_client, as_user("brandA"), world["campaignA"], world["creatorA1"], fashion_id).status_code == 201
    )
    # Verified with a food licence in force, the new brand's proposal goes through.
    principal = _admin(world, db)
    with db.transaction() as s:
        sid = subjects.submit(s, principal, _food_record(brand_id, food_until=date(2099, 1, 1))).id
        subjects.decide(s, principal, sid, DecisionIn(action="verify"))
    assert _propose(app_client, admin, campaign_id, world["creatorA1"], product_id).status_code == 201
    with db.transaction() as s:
        assert s.scalar(select(Collaboration.id).where(Collaboration.product_id == food_id)) is None


def test_sanctioned_subjects_cannot_propose_accept_or_go_live(
    app_client: TestClient, world: World, db: Database, as_user
) -> None:
    principal = _admin(world, db)
    with db.transaction() as s:
        fashion = Product(brand_id=world["brandA"], name="T恤", category="fashion", price=Decimal("99"))
        s.add(fashion)
        s.flush()
        fashion_id = fashion.id
        subjects.decide_org(
            s, principal, SubjectKind.CREATOR, world["creatorA1"], DecisionIn(action="suspend", reason="违规")
        )
    accept = app_client.post(
        f"/api/v1/collaborations/{world['collabA']}/transitions", json={"to": "accepted"}, headers=as_user("creatorA1")
    )
    assert accept.status_code == 409 and "暂停" in accept.json()["detail"], accept.text
    with db.transaction() as s:
        assert s.get(Collaboration, world["collabA"]).status is CollaborationStatus.PROPOSED  # type: ignore[union-attr]
        subjects.decide_org(s, principal, SubjectKind.CREATOR, world["creatorA1"], DecisionIn(action="reinstate"))
        subjects.decide_org(
            s, principal, SubjectKind.BRAND, world["brandA"], DecisionIn(action="blacklist", reason="假货")
        )
    blocked = _propose(app_client, as_user("brandA"), world["campaignA"], world["creatorA2"], fashion_id)
    assert blocked.status_code == 409 and "黑名单" in blocked.json()["detail"]
    accepted = app_client.post(
        f"/api/v1/collaborations/{world['collabA']}/transitions", json={"to": "accepted"}, headers=as_user("creatorA1")
    )
    assert accepted.status_code == 200, accepted.text


def test_a_creator_under_16_on_record_never_goes_live(world: World, db: Database) -> None:
    from wanghong.commerce import workflow
    from wanghong.commerce.schemas import TransitionIn
    from wanghong.governance import gate

    _ = gate  # the hook is subscribed on import
    principal = _admin(world, db)
    young = subjects.today().replace(year=subjects.today().year - 15)
    with db.transaction() as s:
        creator = Creator(
            handle=f"teen_{world.tag}", display_name="少年", followers=10, follower_tier=FollowerTier.NANO
        )
        s.add(creator)
        s.flush()
        s.add(
            GovernanceSubject(kind=SubjectKind.CREATOR, org_id=creator.id, state=SubjectState.PENDING, birth_date=young)
        )
        collab = Collaboration(
            campaign_id=world["campaignA"],
            creator_id=creator.id,
            mode=CollaborationMode.BRAND_SELF_LIVE,
            fee=Decimal("100"),
            status=CollaborationStatus.APPROVED,
        )
        s.add(collab)
        s.flush()
        with pytest.raises(Conflict, match="未满16周岁"):
            workflow.transition(s, principal, collab.id, TransitionIn(to=CollaborationStatus.LIVE))
        s.rollback()


# -------------------------------------------------------------------------------------------------------- API


def test_the_subjects_api_lists_filters_and_decides(app_client: TestClient, world: World, as_user) -> None:
    admin = as_user("admin")
    listed = app_client.get(
        "/api/v1/governance/subjects", params={"kind": "brand", "state": "verified", "limit": 200}, headers=admin
    )
    assert listed.status_code == 200
    ids = {item["id"] for item in listed.json()["items"]}
    assert {world["subjectBrandA"], world["subjectBrandB"]} <= ids
    assert all(i["kind"] == "brand" and i["state"] == "verified" for i in listed.json()["items"])
    mine = app_client.get("/api/v1/governance/subjects", headers=as_user("brandA")).json()["items"]
    assert [i["id"] for i in mine] == [world["subjectBrandA"]] and mine[0]["effective_state"] == "verified"
    own = app_client.post(
        f"/api/v1/governance/subjects/{world['subjectBrandA']}/decision",
        json={"action": "suspend", "reason": "x"},
        headers=as_user("brandA"),
    )
    assert own.status_code == 403
    decided = app_client.post(
        f"/api/v1/governance/subjects/{world['subjectBrandB']}/decision",
        json={"action": "suspend", "reason": "抽检不合格"},
        headers=admin,
    )
    assert decided.status_code == 200 and decided.json()["state"] == "suspended"
    again = app_client.post(
        f"/api/v1/governance/subjects/{world['subjectBrandB']}/decision", json={"action": "verify"}, headers=admin
    )
    assert again.status_code == 409
    detail = app_client.get(f"/api/v1/governance/subjects/{world['subjectBrandB']}", headers=as_user("brandB")).json()
    assert detail["history"][0]["to_state"] == "suspended" and len(detail["history"][0]["entry_id"]) == 32
    assert {d["kind"] for d in detail["documents"]} == {"business_licence", "cosmetics_filing"}
    params = {
        p["name"]
        for p in app_client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/governance/subjects"]["get"][
            "parameters"
        ]
    }
    assert {"kind", "state", "q", "limit", "cursor"} <= params


def test_tenants_submit_through_the_api(app_client: TestClient, world: World, as_user) -> None:
    # 11010520000202001 + its GB 11643 check character: born 2000-02-02.
    body = {"kind": "creator", "org_id": world["creatorA2"], "id_number": "110105200002020013"}
    made = app_client.post("/api/v1/governance/subjects", json=body, headers=as_user("mcnA"))
    assert made.status_code == 201 and made.json()["state"] == "pending" and made.json()["problems"] == []
    assert made.json()["birth_date"] == "2000-02-02" and made.json()["id_number_masked"] == "110105********0013"
    claimed = {"kind": "creator", "org_id": world["creatorA2"], "real_name_verified": True, "birth_date": "2000-02-02"}
    refused = app_client.post("/api/v1/governance/subjects", json=claimed, headers=as_user("mcnA"))
    assert refused.status_code == 422 and "身份证" in refused.text  # a tenant's word is not a real-name check
    foreign = body | {"org_id": world["creatorB1"]}
    assert app_client.post("/api/v1/governance/subjects", json=foreign, headers=as_user("mcnA")).status_code == 404
    wrong = body | {"uscc": USCC}
    assert app_client.post("/api/v1/governance/subjects", json=wrong, headers=as_user("mcnA")).status_code == 422


def test_deleting_an_organisation_deletes_its_record(world: World, db: Database) -> None:
    admin = _admin(world, db)
    brand_id, _, _ = _new_brand(db)
    with db.transaction() as s:
        subjects.submit(s, admin, _food_record(brand_id, food_until=None))
    with db.transaction() as s:
        s.delete(s.get(Brand, brand_id))
    with db.transaction() as s:
        assert subjects.find(s, SubjectKind.BRAND, brand_id) is None
