"""CRUD routes generated from the resource declarations in commerce.resources.

This module deliberately does not use `from __future__ import annotations`: the route functions are defined inside
a factory and FastAPI must see their parameter types (each resource's own schemas) as real classes.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, create_model

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.commerce import resources as service
from wanghong.commerce.resources import Resource
from wanghong.kit import cache, idempotency
from wanghong.kit.http import DbSession, WarmEngines
from wanghong.kit.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PAGED, page_body, page_schema
from wanghong.kit.schemas import PathId


def query_schema(resource: Resource[Any]) -> type[BaseModel]:
    """The whole query string of a resource's list: its filters, typed from their columns, and the page.

    Declared as one model so every filter is a query parameter of the OpenAPI document (clients and fuzzers see
    them) and FastAPI validates each before the service runs. Unknown parameters pass through, for the service
    to refuse with the list of the filters there are."""
    fields: dict[str, Any] = {
        name: (f.value_type | None, Field(None, description=f.description)) for name, f in resource.filters.items()
    }
    fields["limit"] = (int, Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="rows per page"))
    fields["cursor"] = (str | None, Field(None, max_length=200, description="`next_cursor` of the previous page"))
    model_name = "".join(part.title() for part in resource.name.split("-")) + "Query"
    return create_model(model_name, __config__=ConfigDict(extra="allow"), **fields)


def build_router(resource: Resource[Any]) -> APIRouter:
    router = APIRouter(prefix=f"/{resource.name}", tags=[resource.summary or resource.name])
    read = resource.read_schema
    filters_doc = ", ".join(f"`{name}`" for name in resource.filters) or "none"
    query = query_schema(resource)
    page = page_schema(read)
    serializer = page.__pydantic_serializer__

    @router.get(
        "",
        response_model=page,
        summary=f"列表 / List {resource.name}",
        description=f"Filters (query parameters): {filters_doc}. {PAGED} The answer carries an `ETag`: send it "
        "back as `If-None-Match` and an unchanged page answers 304 with no body.",
    )
    async def list_(
        request: Request,
        params: Annotated[query, Query()],  # type: ignore[valid-type]
        session: DbSession,
        principal: CurrentPrincipal,
        engines: WarmEngines,
    ) -> Response:
        values = params.model_dump(exclude_none=True)  # type: ignore[attr-defined]
        limit, cursor = values.pop("limit"), values.pop("cursor", None)

        def render() -> bytes:
            rows = service.list_rows(session, resource, principal, values, limit=limit, cursor=cursor)
            # Validated and written as FastAPI would for `response_model`, once per version rather than per request.
            return serializer.to_json(page.model_validate(page_body(rows)), by_alias=True)

        # The reader's scope and the validated query: equal queries (in any parameter order) share one answer.
        key = ("list", resource.name, cache.scope_key(principal), limit, cursor, tuple(sorted(values.items())))
        # Async: a stored page costs no thread hop; a miss renders in the threadpool.
        body, etag = await engines.get(cache.RESPONSES).answer_async(session, key, render)
        return cache.json_response(request, body, etag)

    @router.get("/{ident}", response_model=read, summary=f"详情 / Get one of {resource.name}")
    def get(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> Any:
        return service.get_row(session, resource, principal, ident)

    if resource.create_schema is not None:
        create_schema = resource.create_schema

        @router.post(
            "",
            response_model=read,
            status_code=201,
            summary=f"新建 / Create in {resource.name}",
            description=f"Send an `{idempotency.HEADER}` header to make retries safe: the same key with the same "
            "body answers with the row the first request created; the same key with another body is a 409.",
        )
        def create(
            data: create_schema,  # type: ignore[valid-type]
            session: DbSession,
            principal: CurrentPrincipal,
            idempotency_key: Annotated[
                str | None, Header(alias=idempotency.HEADER, min_length=1, max_length=idempotency.MAX_KEY_LENGTH)
            ] = None,
        ) -> Any:
            if idempotency_key is None:
                return service.create_row(session, resource, principal, data)
            return idempotency.once(
                session,
                actor=f"user:{principal.user_id}",
                scope=f"POST /{resource.name}",
                key=idempotency_key,
                request=data.model_dump(mode="json"),  # type: ignore[attr-defined]
                create=lambda: service.create_row(session, resource, principal, data),
                ident=lambda row: row.id,
                replay=lambda ident: service.get_row(session, resource, principal, ident),
            )

    if resource.update_schema is not None:
        update_schema = resource.update_schema

        @router.patch("/{ident}", response_model=read, summary=f"修改 / Change one of {resource.name}")
        def update(ident: PathId, data: update_schema, session: DbSession, principal: CurrentPrincipal) -> Any:  # type: ignore[valid-type]
            return service.update_row(session, resource, principal, ident, data)

    if resource.deletable:

        @router.delete("/{ident}", status_code=204, summary=f"删除 / Delete one of {resource.name}")
        def delete(ident: PathId, session: DbSession, principal: CurrentPrincipal) -> Response:
            service.delete_row(session, resource, principal, ident)
            return Response(status_code=204)

    return router
