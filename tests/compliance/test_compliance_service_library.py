"""Library editing through the API: admin only, every change a new audited version, scans use the newest."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from wanghong.compliance.models import ComplianceLibraryVersion, ComplianceScan, ReviewTask
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.session import Database

Headers = Callable[[str], dict[str, str]]
LIB = "/api/v1/compliance/library"


def _entry(entry_id: str, term: str) -> dict[str, object]:
    return {
        "id": entry_id,
        "term": term,
        "category": "prohibited",
        "severity": "high",
        "article": "《电子商务法》第十三条",
        "explanation": "测试用禁售词 / test-only banned term",
        "phonetic": False,
        "change_summary": "测试新增 / test add",
    }


def test_admin_edits_create_audited_versions(app_client: TestClient, as_user: Headers, db: Database) -> None:
    admin = as_user("admin")
    current = app_client.get(LIB, headers=admin)
    assert current.status_code == 200, current.text
    start = current.json()["version"]
    assert current.json()["entry_count"] == len(current.json()["entries"]) > 600

    entry_id = f"TST-{uuid.uuid4().int % 1_000_000:06d}"
    term = "琥珀蜜蜡龙涎香" + uuid.uuid4().hex[:4]  # never in real text: other tests' scans are unaffected
    added = app_client.post(f"{LIB}/entries", json=_entry(entry_id, term), headers=admin)
    assert added.status_code == 201, added.text
    assert added.json()["version"] == start + 1

    changed = app_client.patch(
        f"{LIB}/entries/{entry_id}", json={"severity": "medium", "change_summary": "降级"}, headers=admin
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"version": start + 2, "entry": changed.json()["entry"]}
    assert changed.json()["entry"]["severity"] == "medium"

    # The newest version is what a product's copy is scanned with.
    product = app_client.post(
        "/api/v1/products",
        json={"name": f"特价{term}", "category": "beauty", "price": "9.90"},
        headers=as_user("brandA"),
    )
    assert product.status_code == 201, product.text
    with db.transaction() as s:
        scan = s.scalars(
            select(ComplianceScan).where(
                ComplianceScan.subject_type == "product", ComplianceScan.subject_id == product.json()["id"]
            )
        ).one()
        assert scan.library_version == start + 2
        assert any(h["entry_id"] == entry_id for h in scan.hits)
        assert scan.review_task_id is not None

    removed = app_client.delete(f"{LIB}/entries/{entry_id}", headers=admin)
    assert removed.status_code == 200, removed.text
    assert removed.json()["version"] == start + 3
    entries = app_client.get(f"{LIB}/entries", headers=admin).json()
    assert entry_id not in {e["id"] for e in entries}

    versions = app_client.get(f"{LIB}/versions", headers=admin).json()
    assert [v["version"] for v in versions[:3]] == [start + 3, start + 2, start + 1]
    with db.transaction() as s:
        rows = s.scalars(select(ComplianceLibraryVersion).where(ComplianceLibraryVersion.version > start)).all()
        assert len(rows) >= 3
        audited = s.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "compliance_library_versions",
                AuditEntry.entity_id.in_([str(r.id) for r in rows if r.version <= start + 3]),
            )
        ).all()
        assert sorted(audited) == [
            "compliance_library.add_entry",
            "compliance_library.remove_entry",
            "compliance_library.update_entry",
        ]


def test_only_admins_edit_and_errors_say_what_to_fix(app_client: TestClient, as_user: Headers) -> None:
    entry = _entry("TST-999999", "测试词")
    assert app_client.get(LIB, headers=as_user("reviewer")).status_code == 200
    for user in ("reviewer", "brandA", "mcnA", "creatorA1"):
        assert app_client.post(f"{LIB}/entries", json=entry, headers=as_user(user)).status_code == 403
        assert app_client.delete(f"{LIB}/entries/ABS-001", headers=as_user(user)).status_code == 403
    assert app_client.get(LIB, headers=as_user("brandA")).status_code == 403
    assert app_client.get(f"{LIB}/versions", headers=as_user("creatorA1")).status_code == 403

    admin = as_user("admin")
    bad = app_client.post(f"{LIB}/entries", json=entry | {"category": "nonsense"}, headers=admin)
    assert bad.status_code == 422 and "category" in bad.json()["detail"]
    bad_id = app_client.post(f"{LIB}/entries", json=entry | {"id": "bad id"}, headers=admin)
    assert bad_id.status_code == 422 and "id" in bad_id.json()["detail"]
    missing = app_client.patch(f"{LIB}/entries/NOPE-404", json={"severity": "low"}, headers=admin)
    assert missing.status_code == 404
    unknown = app_client.patch(f"{LIB}/entries/ABS-001", json={"colour": "red"}, headers=admin)
    assert unknown.status_code == 422


def test_clean_product_passes_without_a_task(app_client: TestClient, as_user: Headers, db: Database) -> None:
    created = app_client.post(
        "/api/v1/products",
        json={"name": "保湿面霜", "category": "beauty", "price": "59.00", "description": "适合干性皮肤日常使用"},
        headers=as_user("brandA"),
    )
    assert created.status_code == 201, created.text
    with db.transaction() as s:
        scan = s.scalars(
            select(ComplianceScan).where(
                ComplianceScan.subject_id == created.json()["id"], ComplianceScan.subject_type == "product"
            )
        ).one()
        assert scan.verdict.value == "pass" and scan.review_task_id is None
        assert (
            s.scalar(
                select(ReviewTask).where(
                    ReviewTask.subject_type == "product", ReviewTask.subject_id == created.json()["id"]
                )
            )
            is None
        )
