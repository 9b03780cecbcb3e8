"""Authorization: the one way rows are read on a principal's behalf.

Every read and write of a tenant-owned row goes through `visible_rows` / `get_visible`: a principal's scope is a
SQL condition added to the query, so another tenant's object is simply not found (404), never "forbidden" (403),
and its existence is not disclosed. Role-level permissions (may this role create products at all?) answer 403.

Kit knows no capability: each capability registers the rules for its own tables with `register_scopes` at the
end of the module that defines them, so a model can never be queried before its rule exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session

from wanghong.kit.db.base import Base
from wanghong.kit.errors import NotFound


class Subject(Protocol):
    """Who is asking, as far as kit needs to know; capabilities' rules read their own tenant attributes."""

    @property
    def sees_everything(self) -> bool: ...

    @property
    def role(self) -> str: ...


M = TypeVar("M", bound=Base)
P = TypeVar("P", bound=Subject)
Condition = ColumnElement[bool]
Rule = Callable[[P], Condition]

# Rules are stored erased: each was type-checked against its capability's principal when it was registered.
_SCOPES: dict[type[Base], Callable[[Any], Condition]] = {}
_REFERENCES: dict[tuple[type[Base], str], Callable[[Any], Condition]] = {}


def everyone(_: Subject) -> Condition:
    return true()


def nobody(_: Subject) -> Condition:
    return false()


def by_role(otherwise: Rule[P] = nobody, **conditions: Rule[P]) -> Rule[P]:
    """A rule that depends on the role (keyword = role value); roles not named get `otherwise`."""

    def condition(p: P) -> Condition:
        return conditions.get(p.role, otherwise)(p)

    return condition


def register_scopes(rules: Mapping[type[Base], Rule[P]]) -> None:
    """The row scope of each model for every principal that does not see everything."""
    for model, rule in rules.items():
        if model in _SCOPES:
            raise ValueError(f"{model.__name__} already has an access rule")
        _SCOPES[model] = rule


def register_reference(model: type[Base], **by_role_value: Rule[P]) -> None:
    """Rows a role may point at when creating something without being able to read them."""
    for role, rule in by_role_value.items():
        if (model, role) in _REFERENCES:
            raise ValueError(f"{model.__name__} already has a reference rule for {role}")
        _REFERENCES[(model, role)] = rule


def scope_condition(model: type[Base], principal: Subject) -> Condition:
    if principal.sees_everything:
        return true()
    try:
        rule = _SCOPES[model]
    except KeyError:
        raise NotImplementedError(
            f"no access rule for {model.__name__}; add one with kit.access.register_scopes"
            f" at the end of {model.__module__}"
        ) from None
    return rule(principal)


def visible_rows(model: type[M], principal: Subject) -> Select[M]:
    return select(model).where(scope_condition(model, principal))


def get_visible(session: Session, model: type[M], ident: Any, principal: Subject) -> M:
    return _get(session, model, ident, scope_condition(model, principal))


def get_referenceable(session: Session, model: type[M], ident: Any, principal: Subject) -> M:
    """A row the principal may link a new object to (its own, or one the reference rules open up)."""
    rule = _REFERENCES.get((model, principal.role))
    if rule is None:
        return get_visible(session, model, ident, principal)
    return _get(session, model, ident, rule(principal))


def _get(session: Session, model: type[M], ident: Any, condition: Condition) -> M:
    row = session.scalar(select(model).where(model.__mapper__.primary_key[0] == ident, condition))
    if row is None:
        raise NotFound(f"{_noun(model)} {ident} not found")
    return row


def _noun(model: type[Base]) -> str:
    return str(model.__tablename__).removesuffix("s").replace("_", " ")
