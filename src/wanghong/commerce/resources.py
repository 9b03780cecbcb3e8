"""Create, read, update, delete and list for every entity, with tenancy, validation and audit in one path.

Each entity is declared once as a `Resource`; the HTTP layer builds its routes from these declarations, so a
new entity gets filtering, cursor pagination, authorization and auditing without another copy of the code.
Every create and update is announced through `commerce.hooks` to whoever subscribed to the row's model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, Field, StringConstraints, TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, Text, TypeDecorator, delete, func, inspect, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce import hooks, schemas, workflow
from wanghong.commerce.audit import CrudVerb, crud_action
from wanghong.commerce.models import (
    NAME_LENGTH,
    SHORT_LABEL_LENGTH,
    Brand,
    Campaign,
    Collaboration,
    Creator,
    LivestreamSession,
    Mcn,
    Order,
    Product,
    Video,
    Viewer,
)
from wanghong.domain import Category, Role, follower_tier
from wanghong.kit import access
from wanghong.kit.audit import AuditEntry, record
from wanghong.kit.db.base import INTEGER_MAX, Base
from wanghong.kit.errors import Conflict, Forbidden, InvalidInput
from wanghong.kit.paging import DEFAULT_PAGE_SIZE, Page, paginate
from wanghong.kit.schemas import Instant

M = TypeVar("M", bound=Base)


# Money filters compare with Numeric(14, 2) columns: nothing they hold lies beyond these bounds.
_MONEY_BOUND = Decimal("999999999999.99")
_OPS = {"eq": "equal to", "gte": "at least", "lte": "at most", "contains": "containing"}


def _value_type(column: InstrumentedAttribute[Any], op: str) -> Any:
    """What a filter's value reads as, from its column: the same type validates a query parameter, documents it in
    OpenAPI and bounds it, so no value reaches the database that the column could not hold (a 500 before)."""
    # A decorated type (UTCDateTime) says what it holds through the type it decorates.
    column_type: Any = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    try:
        python_type: type = column_type.python_type
    except NotImplementedError:
        python_type = str
    if op == "contains":  # one member of a JSON list of short labels
        return Annotated[str, StringConstraints(min_length=1, max_length=SHORT_LABEL_LENGTH)]
    if issubclass(python_type, Enum):
        return python_type
    if python_type is bool:
        return bool
    if python_type is int:
        return Annotated[int, Field(ge=0, le=INTEGER_MAX)]
    if python_type is float:
        return Annotated[float, Field(allow_inf_nan=False)]
    if python_type is Decimal:
        return Annotated[Decimal, Field(ge=-_MONEY_BOUND, le=_MONEY_BOUND, allow_inf_nan=False)]
    if python_type is datetime:
        return Instant
    length = getattr(column_type, "length", None) or NAME_LENGTH
    return Annotated[str, StringConstraints(max_length=length)]


@dataclass(frozen=True)
class Filter:
    """A query parameter that narrows a listing: `op` compares the column with the parsed value.

    `kind` names the values when the column's own type says less than the vocabulary (a category stored as text).
    """

    column: InstrumentedAttribute[Any]
    op: str = "eq"  # eq | gte | lte | contains (JSON list membership)
    kind: Any = None
    adapter: TypeAdapter[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "adapter", TypeAdapter(self.value_type))

    @property
    def value_type(self) -> Any:
        return self.kind if self.kind is not None else _value_type(self.column, self.op)

    @property
    def description(self) -> str:
        hint = " (ISO 8601 with its offset, e.g. 2026-11-01T00:00:00Z)" if self.value_type is Instant else ""
        return f"rows whose {self.column.key} is {_OPS[self.op]} this value{hint}"

    def read(self, raw: Any, name: str) -> Any:
        """The filter's value from a query parameter's text (or an already typed value); a 422 that says why."""
        try:
            return self.adapter.validate_python(raw)
        except ValidationError as exc:
            reason = "; ".join(e["msg"] for e in exc.errors()[:3])
            raise InvalidInput(f"filter '{name}': cannot use {raw!r}: {reason}") from None

    def condition(self, raw: Any, name: str) -> ColumnElement[bool]:
        value = self.read(raw, name)
        if self.op == "gte":
            return self.column >= value
        if self.op == "lte":
            return self.column <= value
        if self.op == "contains":
            # JSON arrays are compared as text so the same filter works on SQLite and PostgreSQL.
            return self.column.cast(Text()).contains(json.dumps(value, ensure_ascii=False))
        return self.column == value


@dataclass(frozen=True)
class Resource(Generic[M]):
    name: str
    model: type[M]
    read_schema: type[BaseModel]
    create_schema: type[BaseModel] | None = None
    update_schema: type[BaseModel] | None = None
    # Roles besides the administrator that may change rows (always within their own scope), and those that may
    # create them when that differs (a creator edits its profile but does not create creators).
    writers: tuple[Role, ...] = ()
    creators_roles: tuple[Role, ...] | None = None
    filters: dict[str, Filter] = field(default_factory=dict)
    # Foreign keys in inputs and the model each must point at (checked with the principal's reference scope).
    references: dict[str, type[Base]] = field(default_factory=dict)
    # Fields the platform measures or vouches for (followers, GMV, views, verification): set only by an
    # administrator or by ingestion of the platform's own data, never by the tenant the numbers flatter.
    admin_only_fields: frozenset[str] = frozenset()
    deletable: bool = False
    # Money records that hang on a row (orders, collaborations, sessions with GMV), counted by label. A tenant's
    # delete of a row that holds any is refused: a cascade would erase the money trail with a single audit entry.
    holds_money: Callable[[Session, Any], dict[str, int]] | None = None
    # False where the rows are parents of money records by nature (a campaign): tenants close them instead.
    tenant_deletes: bool = True
    tenant_delete_hint: str = ""
    derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # Domain rules beyond a single field: raise InvalidInput/Conflict to refuse the write.
    check_create: Callable[[Session, dict[str, Any]], None] | None = None
    check_update: Callable[[M, dict[str, Any]], None] | None = None
    summary: str = ""


def by_name(*resources: Resource[Any]) -> dict[str, Resource[Any]]:
    """A capability's resources keyed by their URL name, the way the app mounts them and services look them up."""
    names = [r.name for r in resources]
    if len(set(names)) != len(names):
        raise ValueError(f"two resources share a name: {sorted(names)}")
    return {r.name: r for r in resources}


def _count(session: Session, column: InstrumentedAttribute[Any], *where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count(column)).where(*where)) or 0


def _creator_money(session: Session, row: Creator) -> dict[str, int]:
    return {
        "orders": _count(session, Order.id, Order.creator_id == row.id),
        "collaborations": _count(session, Collaboration.id, Collaboration.creator_id == row.id),
        "livestreams": _count(session, LivestreamSession.id, LivestreamSession.creator_id == row.id),
    }


def _brand_money(session: Session, row: Brand) -> dict[str, int]:
    return {
        "orders": _count(session, Order.id, Order.product_id.in_(select(Product.id).where(Product.brand_id == row.id))),
        "campaigns": _count(session, Campaign.id, Campaign.brand_id == row.id),
    }


def _product_money(session: Session, row: Product) -> dict[str, int]:
    return {
        "orders": _count(session, Order.id, Order.product_id == row.id),
        "collaborations": _count(session, Collaboration.id, Collaboration.product_id == row.id),
    }


def _campaign_money(session: Session, row: Campaign) -> dict[str, int]:
    return {"collaborations": _count(session, Collaboration.id, Collaboration.campaign_id == row.id)}


def _derive_creator(values: dict[str, Any]) -> dict[str, Any]:
    if "followers" in values and values["followers"] is not None:
        values["follower_tier"] = follower_tier(values["followers"])
    return values


RESOURCES = by_name(
    Resource(
        "mcns",
        Mcn,
        schemas.McnOut,
        schemas.McnIn,
        schemas.McnUpdate,
        writers=(Role.MCN_MANAGER,),
        filters={"tier": Filter(Mcn.tier)},
        deletable=True,
        summary="MCN 机构 / MCN agencies",
    ),
    Resource(
        "creators",
        Creator,
        schemas.CreatorOut,
        schemas.CreatorIn,
        schemas.CreatorUpdate,
        writers=(Role.MCN_MANAGER, Role.CREATOR),
        creators_roles=(Role.MCN_MANAGER,),
        filters={
            "platform": Filter(Creator.platform),
            "follower_tier": Filter(Creator.follower_tier),
            "followers_min": Filter(Creator.followers, "gte"),
            "followers_max": Filter(Creator.followers, "lte"),
            "city_tier": Filter(Creator.city_tier),
            "region": Filter(Creator.region),
            "mcn_id": Filter(Creator.mcn_id),
            "category": Filter(Creator.categories, "contains", kind=Category),
            "verification_status": Filter(Creator.verification_status),
        },
        references={"mcn_id": Mcn},
        # The tier is derived from followers (and is no input field), so guarding followers guards it too.
        admin_only_fields=frozenset({"followers", "verification_status"}),
        deletable=True,
        holds_money=_creator_money,
        derive=_derive_creator,
        summary="达人 / creators",
    ),
    Resource(
        "brands",
        Brand,
        schemas.BrandOut,
        schemas.BrandIn,
        schemas.BrandUpdate,
        writers=(Role.BRAND_MANAGER,),
        filters={"industry": Filter(Brand.industry)},
        deletable=True,
        holds_money=_brand_money,
        summary="品牌 / brands",
    ),
    Resource(
        "products",
        Product,
        schemas.ProductOut,
        schemas.ProductIn,
        schemas.ProductUpdate,
        writers=(Role.BRAND_MANAGER,),
        filters={
            "brand_id": Filter(Product.brand_id),
            "category": Filter(Product.category, kind=Category),
            "price_min": Filter(Product.price, "gte"),
            "price_max": Filter(Product.price, "lte"),
        },
        references={"brand_id": Brand},
        deletable=True,
        holds_money=_product_money,
        summary="商品 / products",
    ),
    Resource(
        "campaigns",
        Campaign,
        schemas.CampaignOut,
        schemas.CampaignIn,
        schemas.CampaignUpdate,
        writers=(Role.BRAND_MANAGER,),
        filters={"brand_id": Filter(Campaign.brand_id), "status": Filter(Campaign.status)},
        references={"brand_id": Brand},
        deletable=True,
        holds_money=_campaign_money,
        tenant_deletes=False,
        tenant_delete_hint="collaborations and their money hang on them: close it instead (PATCH status 'closed')",
        summary="营销活动 / campaigns",
    ),
    Resource(
        "collaborations",
        Collaboration,
        schemas.CollaborationOut,
        schemas.CollaborationIn,
        schemas.CollaborationUpdate,
        writers=(Role.BRAND_MANAGER,),
        filters={
            "campaign_id": Filter(Collaboration.campaign_id),
            "creator_id": Filter(Collaboration.creator_id),
            "status": Filter(Collaboration.status),
            "mode": Filter(Collaboration.mode),
        },
        references={"campaign_id": Campaign, "creator_id": Creator, "product_id": Product},
        check_create=workflow.check_proposal,
        check_update=workflow.check_terms_change,
        summary="合作 / collaborations",
    ),
    Resource(
        "videos",
        Video,
        schemas.VideoOut,
        schemas.VideoIn,
        schemas.VideoUpdate,
        writers=(Role.MCN_MANAGER, Role.CREATOR),
        filters={
            "creator_id": Filter(Video.creator_id),
            "published_after": Filter(Video.published_at, "gte"),
            "published_before": Filter(Video.published_at, "lte"),
        },
        references={"creator_id": Creator},
        admin_only_fields=frozenset({"views", "likes"}),
        deletable=True,
        summary="短视频 / videos",
    ),
    Resource(
        "livestreams",
        LivestreamSession,
        schemas.LivestreamOut,
        schemas.LivestreamIn,
        schemas.LivestreamUpdate,
        writers=(Role.MCN_MANAGER, Role.CREATOR),
        filters={
            "creator_id": Filter(LivestreamSession.creator_id),
            "collaboration_id": Filter(LivestreamSession.collaboration_id),
            "started_after": Filter(LivestreamSession.started_at, "gte"),
            "started_before": Filter(LivestreamSession.started_at, "lte"),
        },
        references={"creator_id": Creator, "collaboration_id": Collaboration},
        admin_only_fields=frozenset({"gmv", "orders", "tips", "peak_viewers", "unique_viewers"}),
        summary="直播场次 / livestream sessions",
    ),
    Resource(
        "orders",
        Order,
        schemas.OrderOut,
        schemas.OrderIn,
        writers=(),
        filters={
            "product_id": Filter(Order.product_id),
            "creator_id": Filter(Order.creator_id),
            "livestream_id": Filter(Order.livestream_id),
            "ordered_after": Filter(Order.ordered_at, "gte"),
            "ordered_before": Filter(Order.ordered_at, "lte"),
        },
        references={
            "product_id": Product,
            "creator_id": Creator,
            "livestream_id": LivestreamSession,
            "viewer_id": Viewer,
        },
        # Only administrators write orders at all (writers is empty); declared too, so the rule reads here.
        admin_only_fields=frozenset({"amount", "quantity"}),
        summary="订单 / orders",
    ),
    Resource(
        "viewers",
        Viewer,
        schemas.ViewerOut,
        schemas.ViewerIn,
        filters={"segment": Filter(Viewer.segment), "city_tier": Filter(Viewer.city_tier)},
        summary="观众 / viewers",
    ),
    Resource(
        "audit-log",
        AuditEntry,
        schemas.AuditEntryOut,
        filters={"entity": Filter(AuditEntry.entity), "action": Filter(AuditEntry.action)},
        summary="审计日志 / audit log (append-only)",
    ),
)

# When a tenant creates a row and leaves its owner out, the owner is the tenant itself.
_TENANT_DEFAULTS = {"brand_id": "brand_id", "mcn_id": "mcn_id", "creator_id": "creator_id"}


def list_rows(
    session: Session,
    resource: Resource[M],
    principal: Principal,
    params: dict[str, Any],
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> Page[M]:
    unknown = sorted(set(params) - set(resource.filters))
    if unknown:
        raise InvalidInput(f"unknown filter(s) {unknown} for {resource.name}; available: {sorted(resource.filters)}")
    stmt = access.visible_rows(resource.model, principal)
    for name, raw in params.items():
        stmt = stmt.where(resource.filters[name].condition(raw, name))
    return paginate(session, stmt, limit, cursor)


def get_row(session: Session, resource: Resource[M], principal: Principal, ident: int) -> M:
    return access.get_visible(session, resource.model, ident, principal)


def _require_writer(resource: Resource[Any], principal: Principal, verb: str) -> None:
    roles = resource.creators_roles if verb == "creating" and resource.creators_roles is not None else resource.writers
    require_role(principal, *roles, action=f"{verb} {resource.name}")


def check_references(session: Session, resource: Resource[Any], principal: Principal, values: dict[str, Any]) -> None:
    for key, model in resource.references.items():
        if values.get(key) is not None:
            access.get_referenceable(session, model, values[key], principal)


def _check_admin_fields(resource: Resource[Any], principal: Principal, sent: set[str]) -> None:
    """Refuse a tenant's value for a measured field; `sent` holds the fields the caller gave (not defaults)."""
    restricted = sorted(k for k in resource.admin_only_fields if k in sent)
    if restricted and principal.role is not Role.ADMIN:
        raise Forbidden(
            f"{', '.join(restricted)}: measured by the platform from its own data (event ingestion); "
            f"only a platform administrator may set {'it' if len(restricted) == 1 else 'them'} on {resource.name}",
            fields=restricted,
        )


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy of input values for the audit log."""
    return json.loads(json.dumps(values, default=str, ensure_ascii=False))


def _check_input(
    session: Session, resource: Resource[Any], principal: Principal, values: dict[str, Any], sent: set[str]
) -> None:
    _check_admin_fields(resource, principal, sent)
    check_references(session, resource, principal, values)


def _derived(resource: Resource[Any], values: dict[str, Any]) -> dict[str, Any]:
    return resource.derive(values) if resource.derive is not None else values


def _written(session: Session, resource: Resource[M], principal: Principal, row: M, verb: CrudVerb, detail: Any) -> M:
    session.flush()
    record(session, principal, crud_action(resource.model, verb), row, detail)
    hooks.written(session, principal, row)
    return row


def _with_tenant_defaults(resource: Resource[Any], principal: Principal, values: dict[str, Any]) -> dict[str, Any]:
    columns = {c.key for c in inspect(resource.model).column_attrs}
    for key, attr in _TENANT_DEFAULTS.items():
        if key in columns and key in values and values[key] is None and getattr(principal, attr) is not None:
            values[key] = getattr(principal, attr)
    missing = sorted(
        key
        for key in resource.references
        if key in values and values[key] is None and not resource.model.__table__.c[key].nullable
    )
    if missing:
        raise InvalidInput(f"{', '.join(missing)} required to create {resource.name}")
    return values


def create_row(session: Session, resource: Resource[M], principal: Principal, data: BaseModel) -> M:
    if resource.create_schema is None:
        raise Forbidden(f"{resource.name} cannot be created through this interface")
    _require_writer(resource, principal, "creating")
    values = _with_tenant_defaults(resource, principal, data.model_dump())
    _check_input(session, resource, principal, values, set(data.model_fields_set))
    if resource.check_create is not None:
        resource.check_create(session, values)
    values = _derived(resource, values)
    row = resource.model(**values)
    session.add(row)
    return _written(session, resource, principal, row, "create", _plain(values))


def _refuse_nulls(resource: Resource[Any], values: dict[str, Any]) -> None:
    """An explicit null for a column that holds no null is a client's mistake, not "leave unchanged": stored, it
    would make the row unreadable (`categories: null` answered a 500 on the next read)."""
    columns = resource.model.__table__.c
    refused = sorted(k for k, v in values.items() if v is None and k in columns and not columns[k].nullable)
    if refused:
        raise InvalidInput(
            f"{', '.join(refused)}: cannot be null; leave the field out to keep its value, "
            'or send an empty value ([] or "") to clear it',
            fields=refused,
        )


def update_row(session: Session, resource: Resource[M], principal: Principal, ident: int, data: BaseModel) -> M:
    if resource.update_schema is None:
        raise Forbidden(f"{resource.name} cannot be changed through this interface")
    # Found first, so another tenant's row answers 404 rather than revealing itself with a 403.
    row = access.get_visible(session, resource.model, ident, principal)
    _require_writer(resource, principal, "changing")
    values = data.model_dump(exclude_unset=True)
    _refuse_nulls(resource, values)
    _check_input(session, resource, principal, values, set(values))
    if resource.check_update is not None:
        resource.check_update(row, values)
    values = _derived(resource, values)
    before = {k: getattr(row, k) for k in values}
    for key, value in values.items():
        setattr(row, key, value)
    return _written(session, resource, principal, row, "update", {"before": _plain(before), "after": _plain(values)})


def delete_row(session: Session, resource: Resource[M], principal: Principal, ident: int) -> None:
    if not resource.deletable:
        raise Forbidden(f"{resource.name} are never deleted; change their status instead")
    row = access.get_visible(session, resource.model, ident, principal)
    _require_writer(resource, principal, "deleting")
    held = resource.holds_money(session, row) if resource.holds_money is not None else {}
    held = {label: n for label, n in held.items() if n}
    if principal.role is not Role.ADMIN:
        if not resource.tenant_deletes:
            raise Conflict(f"{resource.name} are never deleted by a tenant; {resource.tenant_delete_hint}")
        if held:
            listed = ", ".join(f"{n} {label}" for label, n in held.items())
            raise Conflict(
                f"{resource.name} {ident} has money records ({listed}) that a delete would erase with it; "
                "they are kept, so only a platform administrator may delete it"
            )
    # An administrator's delete names what went with the row, so the one audit entry accounts for the cascade.
    record(session, principal, crud_action(resource.model, "delete"), row, {"with": held} if held else {})
    # A delete in SQL, so the database's ON DELETE rules (CASCADE, SET NULL) take what hangs on the row; the ORM
    # would instead null the keys of the rows it has loaded (a persona's, whose key is its primary key: a 500).
    session.flush()
    pk = resource.model.__mapper__.primary_key[0]
    session.execute(delete(resource.model).where(pk == ident).execution_options(synchronize_session=False))
    session.expunge(row)


def visible_ids(session: Session, model: type[Base], principal: Principal) -> list[int]:
    pk = model.__mapper__.primary_key[0]
    return list(session.scalars(select(pk).where(access.scope_condition(model, principal))))
