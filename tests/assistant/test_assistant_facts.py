from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.fixtures.world import World

from wanghong.accounts.models import User
from wanghong.accounts.principal import Principal
from wanghong.assistant import facts
from wanghong.assistant.engine.answer import GroundedAnswerer
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database
from wanghong.kit.errors import InvalidInput, NotFound


def _principal(db: Database, world: World, name: str) -> Principal:
    with db.transaction() as s:
        user = s.scalars(select(User).where(User.username == f"{name}_{world.tag}")).one()
        return Principal.of(user)


def test_edits_add_versions_and_the_assistant_reads_the_current_ones(db: Database, world: World) -> None:
    brand = _principal(db, world, "brandA")
    product = world["productA"]
    with db.transaction() as s:
        first = facts.put_fact(s, brand, product, "price", "直播间到手价129元。")
        again = facts.put_fact(s, brand, product, "price", "直播间到手价129元。")
        assert again.id == first.id  # the same text adds no version
        second = facts.put_fact(s, brand, product, "price", "直播间到手价119元。")
        facts.put_fact(s, brand, product, "shipping", "48小时内发货。")
        assert (first.version, second.version) == (1, 2) and not first.current
        current = facts.as_passages(facts.current_facts(s, product))
        assert [p.id for p in current] == [f"p{product}.price.v2", f"p{product}.shipping.v1"]
        answer = GroundedAnswerer(current, None, None).answer("多少钱")
        assert answer.fact_ids == (f"p{product}.price.v2",) and "119元" in answer.answer
        facts.retire_fact(s, brand, product, "shipping")
        assert [f.key for f in facts.current_facts(s, product)] == ["price"]
        assert [f.version for f in facts.history(s, product, "price")] == [1, 2]
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "assistant_product_facts")).all()
        assert actions.count("assistant_fact.put") >= 3 and "assistant_fact.retire" in actions


def test_other_brands_and_roles_cannot_edit(db: Database, world: World) -> None:
    product = world["productA"]
    with db.transaction() as s:
        with pytest.raises(NotFound):
            facts.put_fact(s, _principal(db, world, "brandB"), product, "price", "1元")
        # A creator sees no brand's catalogue: the product is not there for it, as for any foreign object.
        with pytest.raises(NotFound):
            facts.put_fact(s, _principal(db, world, "creatorA1"), product, "price", "1元")
        brand = _principal(db, world, "brandA")
        for key, text in (("Price!", "1元"), ("price", "   "), ("price", "字" * 2001)):
            with pytest.raises(InvalidInput):
                facts.put_fact(s, brand, product, key, text)
        with pytest.raises(NotFound):
            facts.retire_fact(s, brand, product, "never-stated")
