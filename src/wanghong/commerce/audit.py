"""What commerce writes to the audit trail: its action names, ``<entity>.<verb>``.

Generic CRUD derives the entity from the table, so a new resource needs no new name here; the steps beyond CRUD
are named one by one.
"""

from __future__ import annotations

from typing import Literal

from wanghong.kit.db.base import Base

CrudVerb = Literal["create", "update", "delete"]

COLLABORATION_TRANSITION = "collaboration.transition"
MCN_SET_TIER = "mcn.set_tier"
FAN_PERSONA_PUT = "fan_persona.put"
EVENT_BATCH_INGEST = "event_batch.ingest"


def crud_action(model: type[Base], verb: CrudVerb) -> str:
    """`creators` rows are created as `creator.create`: every commerce table is named in the plural with an s."""
    return f"{model.__tablename__.removesuffix('s')}.{verb}"
