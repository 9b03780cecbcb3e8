"""Pages of governance: 主体管理 (operators verify, reject, suspend, blacklist and reinstate brands, MCNs and
creators, and read each one's history), 主体认证 (a brand, MCN or creator submits its own documents and reads
their terms) and 监管看板 (the regulator's read-only dashboard).
The 商品监测 screen is in `monitoring_page`, served with these."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.governance import gate as _gate  # noqa: F401  (subscribes the 直播主体 gate to commerce's writes)
from wanghong.governance import monitoring_page, oversight, subjects, submissions
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.subjects import DocumentKind, SubjectKind, SubjectState
from wanghong.governance.messages import TEXT, helpers
from wanghong.governance.schemas import DecisionIn
from wanghong.governance.standing import Standing
from wanghong.kit import access
from wanghong.kit.errors import InvalidInput, NotFound
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.pages import language_of, page_router
from wanghong.workspace.screens import Screen, show, step

router = page_router(__file__)
SUBJECTS_PAGE = "/workspace/subjects"
REGULATOR_PAGE = "/workspace/regulator"
VERIFICATION_PAGE = "/workspace/verification"


# --- 主体管理 ----------------------------------------------------------------------------------------------------


def _list_screen(language: str, kind: SubjectKind, state: str, q: str, cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        chosen = SubjectState(state) if state else None
        lines, next_cursor = subjects.directory(session, principal, kind, state=chosen, q=q, cursor=cursor)
        counts = subjects.state_counts(session)
        return base | {"lines": lines, "next_cursor": next_cursor, "counts": counts}

    base: dict[str, Any] = {
        "kind": kind,
        "kinds": list(SubjectKind),
        "states": list(SubjectState),
        "chosen": state,
        "q": q,
        **helpers(language),
    }
    return Screen(SUBJECTS_PAGE, "governance_subjects.html", view, base | {"lines": [], "counts": {}}, TEXT)


def _kind(raw: str) -> SubjectKind:
    try:
        return SubjectKind(raw)
    except ValueError:
        raise InvalidInput(f"kind must be one of {', '.join(k.value for k in SubjectKind)}") from None


@router.get(SUBJECTS_PAGE, response_class=HTMLResponse)
def subjects_page(
    request: Request, session: DbSession, kind: str = "brand", state: str = "", q: str = "", cursor: str | None = None
) -> Response:
    chosen_kind = SubjectKind(kind) if kind in SubjectKind._value2member_map_ else SubjectKind.BRAND
    chosen_state = state if state in SubjectState._value2member_map_ else ""
    return show(request, session, _list_screen(language_of(request), chosen_kind, chosen_state, q[:100], cursor))


def _detail_screen(language: str, kind: SubjectKind, org_id: int) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        require_role(principal, action="managing subjects (主体管理)")
        access.get_visible(session, subjects.ORG_MODELS[kind], org_id, principal)
        row = subjects.find(session, kind, org_id)
        verification = subjects.verification_of(row) if row is not None else None
        stored = row.state if row is not None else SubjectState.UNVERIFIED
        return base | {
            "name": subjects.org_name(session, kind, org_id),
            "subject": row,
            "stored": stored,
            "today_state": rules.effective_state(stored, verification) if verification else stored,
            "problems": verification.problems if verification else (),
            "history": subjects.history(session, row.id) if row is not None else [],
            "actions": subjects.actions_for(stored),
        }

    base: dict[str, Any] = {"kind": kind, "org_id": org_id, **helpers(language)}
    empty = base | {
        "name": "",
        "subject": None,
        "stored": SubjectState.UNVERIFIED,
        "today_state": SubjectState.UNVERIFIED,
        "problems": (),
        "history": [],
        "actions": (),
    }
    return Screen(f"{SUBJECTS_PAGE}/{kind.value}/{org_id}", "governance_subject.html", view, empty, TEXT)


@router.get(SUBJECTS_PAGE + "/{kind}/{org_id}", response_class=HTMLResponse)
def subject_page(request: Request, session: DbSession, kind: str, org_id: int) -> Response:
    if kind not in SubjectKind._value2member_map_:
        kind = "brand"
        org_id = 0
    return show(request, session, _detail_screen(language_of(request), SubjectKind(kind), org_id))


@router.post(SUBJECTS_PAGE + "/{kind}/{org_id}/decision", response_class=HTMLResponse)
def decide_subject(
    request: Request,
    session: FormSession,
    kind: str,
    org_id: int,
    action: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    chosen = SubjectKind(kind) if kind in SubjectKind._value2member_map_ else SubjectKind.BRAND
    detail = _detail_screen(language_of(request), chosen, org_id)

    def view_after(session: Session, principal: Principal) -> dict[str, Any]:
        # A refused step shows the page again; for an unknown subject that page is the empty one, with the 404.
        try:
            return detail.view(session, principal)
        except NotFound:
            return detail.empty

    screen = replace(detail, view=view_after)

    def act(principal: Principal) -> object:
        data = DecisionIn.model_validate({"action": action, "reason": reason})
        return subjects.decide_org(session, principal, _kind(kind), org_id, data)

    return step(request, session, screen, act)


# --- 监管看板 ----------------------------------------------------------------------------------------------------


def _bars(counts: dict[Standing, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    """The standing distribution as horizontal bars (inline SVG, no script)."""
    top = max(counts.values(), default=0) or 1
    colours = {
        Standing.GOOD: "#52c41a",
        Standing.RESTRICTED: "#faad14",
        Standing.LIMITED: "#fa8c16",
        Standing.SUSPENDED: "#f5222d",
    }
    return [
        {
            "label": labels[f"gv_standing_{st.value}"],
            "count": n,
            "width": round(100 * n / top, 1),
            "colour": colours[st],
            "y": 8 + i * 34,
        }
        for i, (st, n) in enumerate(counts.items())
    ]


def _regulator_screen(language: str) -> Screen:
    labels = TEXT.text(language)

    def view(session: Session, principal: Principal) -> dict[str, Any]:
        board = oversight.dashboard(session, principal)
        return {"board": board, "bars": _bars(board.standings, labels), "kinds": list(SubjectKind)}

    return Screen(REGULATOR_PAGE, "governance_regulator.html", view, {"board": None, "bars": [], "kinds": []}, TEXT)


@router.get(REGULATOR_PAGE, response_class=HTMLResponse)
def regulator_page(request: Request, session: DbSession) -> Response:
    return show(request, session, _regulator_screen(language_of(request)))


# --- 主体认证 (a tenant's own documents) ------------------------------------------------------------------------


def _verification_screen(language: str) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        record = submissions.own_record(session, principal)
        on_file = {d.document.kind: d.document for d in record.documents}
        return base | {"record": record, "on_file": on_file, "form_kinds": _form_kinds(record.kind)}

    base: dict[str, Any] = {
        "categories": submissions.RESTRICTED_CATEGORIES,
        "terms": list(submissions.Term),
        **helpers(language),
    }
    return Screen(
        VERIFICATION_PAGE,
        "governance_verification.html",
        view,
        base | {"record": None, "on_file": {}, "form_kinds": ()},
        TEXT,
    )


def _form_kinds(kind: SubjectKind) -> tuple[DocumentKind, ...]:
    if kind is SubjectKind.BRAND:
        return (DocumentKind.BUSINESS_LICENCE, *submissions.QUALIFICATIONS)
    if kind is SubjectKind.MCN:
        return (DocumentKind.BUSINESS_LICENCE,)
    return ()


@router.get(VERIFICATION_PAGE, response_class=HTMLResponse)
def verification_page(request: Request, session: DbSession) -> Response:
    return show(request, session, _verification_screen(language_of(request)))


@router.post(VERIFICATION_PAGE, response_class=HTMLResponse)
def submit_verification(
    request: Request,
    session: FormSession,
    legal_name: Annotated[str, Form(max_length=200)] = "",
    uscc: Annotated[str, Form(max_length=32)] = "",
    categories: Annotated[list[str] | None, Form()] = None,
    doc_kind: Annotated[list[str] | None, Form()] = None,
    doc_number: Annotated[list[str] | None, Form()] = None,
    doc_from: Annotated[list[str] | None, Form()] = None,
    doc_until: Annotated[list[str] | None, Form()] = None,
    id_number: Annotated[str, Form(max_length=32)] = "",
    id_valid_until: Annotated[str, Form(max_length=10)] = "",
    guardian_consent: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    screen = _verification_screen(language_of(request))

    def act(principal: Principal) -> object:
        kinds, numbers = doc_kind or [], doc_number or []
        starts, ends = doc_from or [], doc_until or []
        if not len(kinds) == len(numbers) == len(starts) == len(ends) or len(kinds) > 20:
            raise InvalidInput("证照字段不完整 / each document row carries kind, number, valid_from and valid_until")
        try:
            documents = tuple(
                submissions.DocumentForm(DocumentKind(k), n[:64], f, u)
                for k, n, f, u in zip(kinds, numbers, starts, ends, strict=True)
            )
        except ValueError:
            raise InvalidInput(f"unknown document kind among {sorted(set(kinds))}") from None
        form = submissions.SubmissionForm(
            legal_name=legal_name,
            uscc=uscc,
            categories=tuple(categories or ()),
            documents=documents,
            id_number=id_number,
            id_valid_until=id_valid_until,
            guardian_consent=bool(guardian_consent),
        )
        return submissions.submit_own(session, principal, form)

    return step(request, session, screen, act)


# 商品监测 lives in its own module; its routes are served with these.
router.include_router(monitoring_page.router)
