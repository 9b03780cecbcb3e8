"""人群洞察 for brands: the segment explorer (noised sizes), the pack builder with the noised live size and the ε left
this month, lookalike expansion (a slider over sizes with estimated precision), the creators a pack targets and
every release with its ε. And the audience page of one creator (受众构成), reached from 达人详情.

Nothing on the page spends ε by being looked at: sizes and reach shown are the brand's latest releases; a new one
is a form post that names its ε.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.analytics.metrics import METRICS, page_words
from wanghong.audience import composition, service
from wanghong.audience.engine import MIN_RELIABLE_SAMPLE, PER_VIEWER, RULE_SEGMENTS
from wanghong.audience.models import CrowdPack, PrivacyRelease
from wanghong.audience.schemas import Combination, Exclusion, FollowedCreator, Node, PackIn, WatchedLivestream, tags_of
from wanghong.commerce.models import Creator, LivestreamSession
from wanghong.domain import Category
from wanghong.kit import access
from wanghong.kit.errors import ServiceError
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.pages import language_of, page_router, sign_in
from wanghong.kit.schemas import PathId
from wanghong.workspace.screens import MESSAGES, Screen, label_for, page, refused, show, step

router = page_router(__file__)
PATH = "/workspace/audience"
CREATOR_PATH = "/workspace/creators/{creator_id}/audience"
EPSILONS = (0.1, 0.2, 0.5, 1.0)
RELEASES_SHOWN = 20

TEXT = MESSAGES.extend(page_words({"noised_size": "segment_size"})).extend(
    {
        "zh": {
            "audience_title": "人群洞察",
            "budget_title": "本月隐私预算",
            "budget_note": "每次发布规模都会消耗 ε；同一自然月（北京时间）内合计不超过上限，用完后下月恢复。",
            "spent": "已用",
            "left": "剩余",
            "limit": "上限",
            "segments_title": "人群规模",
            "segments_note": "规模均加入差分隐私噪声（OpenDP 离散拉普拉斯），从不显示精确人数。",
            "segment": "人群",
            "accuracy": "误差（95%）",
            "released_at": "发布时间",
            "release_segments": "发布人群规模",
            "no_release": "本月尚未发布，发布一次即可看到规模。",
            "epsilon": "ε（隐私消耗）",
            "builder_title": "新建人群包",
            "builder_note": "勾选的条件按所选方式合并，再剔除“排除”中的人群；保存后立即发布一次含噪规模。",
            "pack_name": "人群包名称",
            "include_segments": "包含人群",
            "combine": "合并方式",
            "union": "并集（满足任一）",
            "intersection": "交集（同时满足）",
            "viewed": "近 N 天看过类目",
            "bought": "近 N 天买过类目",
            "days": "天数",
            "followed": "关注了达人",
            "watched": "看过直播",
            "exclude_segments": "排除人群",
            "none_option": "（不限）",
            "save_pack": "保存并发布规模",
            "packs_title": "我的人群包",
            "definition": "定义",
            "latest_size": f"最新{METRICS['segment_size'].label('zh')}",
            "release_size": "发布规模",
            "export": "导出（哈希 ID）",
            "delete": "删除",
            "expand": "扩量与定向",
            "export_note": "导出仅含 HMAC-SHA256 哈希 ID；按性别、年龄段、城市等级至少 50 人同组（k 匿名）才可导出。",
            "lookalike_title": "优选扩量",
            "lookalike_note": "以人群包为种子按行为为每位观众打分；留出 20% 种子估计各扩量规模下的精确率。",
            "lookalike_privacy": "扩量人数是全平台观众数的固定比例（取两位有效数字），与人群包的真实人数无关；精确率与"
            "找回率按 5 个百分点分档、AUC 取两位小数，都是模型质量的估计而非人数，因此不消耗隐私预算。",
            "expansion_size": "扩量人数",
            "precision": "预估精确率",
            "recall": "留出种子找回率",
            "auc": "留出种子 AUC",
            "lookalike_unavailable": "暂无法扩量",
            "targets_title": "定向达人",
            "targets_note": "按该人群在达人受众中的 TGI 排序（100 = 与全平台持平），取自最近一次规模发布：每位达人"
            "触达的人群包成员数含差分隐私噪声（每位观众最多计入其最常看的 {per_viewer} 位达人），查看不再消耗 ε；"
            "按扣除噪声后的 TGI 下界排序，免得纯由噪声撑起的 TGI 排到前面。"
            "受众不足 {reliable} 人或触达数不超过噪声的排在后面并标注。",
            "targets_release": "触达数误差（95%）±{accuracy} · ε {epsilon}（规模与触达各一半）· 发布于 {at}",
            "reached": "触达成员（含噪）",
            "followers": "粉丝数",
            "sample": "受众样本",
            "share": "受众占比",
            "tgi": "TGI",
            "small_sample": "样本少",
            "no_targets": "暂无记录到该人群的达人",
            "union_sign": "或",
            "intersection_sign": "且",
            "exclusion_sign": "排除",
            "tag_viewed": "近{days}天看过{category}",
            "tag_bought": "近{days}天买过{category}",
            "tag_followed": "关注 {name}",
            "tag_watched": "看过直播 {name}",
            "selected_pack": "当前人群包",
            "choose": "选择",
            "releases_title": "隐私发布记录",
            "releases_note": "每次发布及其消耗的 ε，最新在前；导出的保护是 k 匿名，不消耗 ε。",
            "kind_pack_size": "人群包规模与达人触达",
            "kind_segment_sizes": "人群规模",
            "kind_export": "导出哈希 ID",
            "older_releases": "更早的记录",
            "creator_audience_title": "达人受众构成",
            "creator_audience_note": "按平台记录的行为统计：在该达人处有过观看、关注等行为的观众中各人群的占比；"
            "TGI = 占比 ÷ 全平台占比 × 100。人群按公开的规则划分，不随品牌的查询而变。",
            "sample_size": "样本（观众数）",
            "platform_share": "全平台占比",
            "unreliable": "样本不足 {reliable} 人，构成仅供参考",
            "no_audience": "平台尚未记录到该达人的受众行为",
            "chart_title": "各人群占比（竖线 = 全平台占比）",
            "back_to_detail": "返回达人详情",
        },
        "en": {
            "audience_title": "Audiences",
            "budget_title": "Privacy budget this month",
            "budget_note": "Every size release spends ε; the total per calendar month (Beijing time) stays under the "
            "limit and starts again next month.",
            "spent": "Spent",
            "left": "Left",
            "limit": "Limit",
            "segments_title": "Segment sizes",
            "segments_note": "Sizes carry differential-privacy noise (OpenDP discrete Laplace); exact counts are "
            "never shown.",
            "segment": "Segment",
            "accuracy": "Error (95%)",
            "released_at": "Released",
            "release_segments": "Release segment sizes",
            "no_release": "Nothing released this month yet: release once to see the sizes.",
            "epsilon": "ε (privacy cost)",
            "builder_title": "New crowd pack",
            "builder_note": "The ticked conditions are combined as chosen, then the excluded segments are taken out; "
            "saving releases one noised size at once.",
            "pack_name": "Pack name",
            "include_segments": "Include segments",
            "combine": "Combine by",
            "union": "Union (any)",
            "intersection": "Intersection (all)",
            "viewed": "Viewed category in the last N days",
            "bought": "Bought category in the last N days",
            "days": "Days",
            "followed": "Followed creator",
            "watched": "Watched livestream",
            "exclude_segments": "Exclude segments",
            "none_option": "(any)",
            "save_pack": "Save and release size",
            "packs_title": "My crowd packs",
            "definition": "Definition",
            "latest_size": f"Latest {METRICS['segment_size'].label('en').lower()}",
            "release_size": "Release size",
            "export": "Export (hashed ids)",
            "delete": "Delete",
            "expand": "Expand and target",
            "export_note": "Exports hold HMAC-SHA256 hashed ids only, and only members sharing gender, age band and "
            "city tier with at least 50 others (k-anonymity).",
            "lookalike_title": "Lookalike expansion",
            "lookalike_note": "Every viewer is scored by behaviour against the pack as seeds; 20% of the seeds are "
            "held out to estimate the precision at each size.",
            "lookalike_privacy": "Expansion sizes are fixed shares of all the platform's viewers (two significant "
            "figures), whatever the pack holds; precision and recall come in 5-point steps and the AUC to two "
            "decimals. They estimate the model's quality, not counts of people, so they spend no privacy budget.",
            "expansion_size": "Expansion size",
            "precision": "Estimated precision",
            "recall": "Held-out seeds found",
            "auc": "Held-out seed AUC",
            "lookalike_unavailable": "Expansion not available",
            "targets_title": "Targeted creators",
            "targets_note": "Ranked by the pack's TGI in each creator's audience (100 = as on the whole platform), "
            "from the latest size release: the pack members reaching each creator carry differential-privacy noise "
            "(each viewer counts toward at most the {per_viewer} creators they watch most), so looking again spends "
            "no ε; ranked by the TGI's lower bound net of noise, so that no TGI made of noise alone leads. Audiences "
            "under {reliable} viewers, or reach no larger than its noise, come last and are marked.",
            "targets_release": "Reach error (95%) ±{accuracy} · ε {epsilon} (half size, half reach) · released {at}",
            "reached": "Members reached (noised)",
            "followers": "Followers",
            "sample": "Audience sample",
            "share": "Audience share",
            "tgi": "TGI",
            "small_sample": "small sample",
            "no_targets": "No creator has recorded viewers of this pack yet",
            "union_sign": "or",
            "intersection_sign": "and",
            "exclusion_sign": "except",
            "tag_viewed": "viewed {category} in the last {days} days",
            "tag_bought": "bought {category} in the last {days} days",
            "tag_followed": "follows {name}",
            "tag_watched": "watched livestream {name}",
            "selected_pack": "Selected pack",
            "choose": "Choose",
            "releases_title": "Privacy releases",
            "releases_note": "Every release and the ε it spent, newest first; an export is protected by k-anonymity "
            "and spends no ε.",
            "kind_pack_size": "Pack size and reach",
            "kind_segment_sizes": "Segment sizes",
            "kind_export": "Hashed-id export",
            "older_releases": "Older releases",
            "creator_audience_title": "Creator audience",
            "creator_audience_note": "From the behaviour the platform recorded: the share of each segment among the "
            "viewers who acted on this creator (watched, followed, …); TGI = share ÷ share on the whole platform "
            "× 100. Segments follow published rules and do not depend on any brand's query.",
            "sample_size": "Sample (viewers)",
            "platform_share": "Platform share",
            "unreliable": "Fewer than {reliable} viewers: read the composition as indicative only",
            "no_audience": "No audience behaviour recorded for this creator yet",
            "chart_title": "Share per segment (line = platform share)",
            "back_to_detail": "Back to creator details",
        },
    }
)


def _segment_name(key: str, language: str) -> str:
    rule = next(r for r in RULE_SEGMENTS if r.key == key)
    return rule.name_en if language == "en" else rule.name_zh


def describe(node: Node, language: str, names: dict[tuple[str, int], str]) -> str:
    """A pack's definition as a person reads it, in the reader's language."""
    t = TEXT.text(language)
    label = label_for(language)
    if isinstance(node, Combination):
        sign = t["union_sign"] if node.kind == "union" else t["intersection_sign"]
        inner = f" {sign} ".join(describe(part, language, names) for part in node.parts)
        return f"({inner})" if len(node.parts) > 1 else inner
    if isinstance(node, Exclusion):
        return f"{describe(node.base, language, names)} {t['exclusion_sign']} {describe(node.without, language, names)}"
    match node.kind:
        case "segment":
            return _segment_name(node.segment, language)
        case "viewed_category":
            return t["tag_viewed"].format(days=node.days, category=label(node.category))
        case "bought_category":
            return t["tag_bought"].format(days=node.days, category=label(node.category))
        case "followed_creator":
            return t["tag_followed"].format(name=names.get(("creator", node.creator_id), f"#{node.creator_id}"))
        case "watched_livestream":
            name = names.get(("livestream", node.livestream_id), f"#{node.livestream_id}")
            return t["tag_watched"].format(name=name)
    return ""


def _names(session: Session, packs: list[CrowdPack]) -> dict[tuple[str, int], str]:
    creators: set[int] = set()
    lives: set[int] = set()
    for pack in packs:
        for tag in tags_of(service.definition_of(pack)):
            if isinstance(tag, FollowedCreator):
                creators.add(tag.creator_id)
            elif isinstance(tag, WatchedLivestream):
                lives.add(tag.livestream_id)
    names: dict[tuple[str, int], str] = {}
    for ident, name in session.execute(select(Creator.id, Creator.display_name).where(Creator.id.in_(creators))):
        names[("creator", ident)] = name
    for ident, title in session.execute(
        select(LivestreamSession.id, LivestreamSession.title).where(LivestreamSession.id.in_(lives))
    ):
        names[("livestream", ident)] = title or f"#{ident}"
    return names


def _screen(language: str, pack_id: int | None = None, releases_cursor: str | None = None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        brand_id = service.brand_of(principal, "exploring audiences")
        packs = service.list_packs(session, principal, limit=service.LISTED).items
        names = _names(session, packs)
        sizes = service.latest_sizes(session, [p.id for p in packs])
        lines = [(p, describe(service.definition_of(p), language, names), sizes.get(p.id)) for p in packs]
        segment_release = service.latest_segment_release(session, principal)
        segments = []
        if segment_release is not None:
            segments = [
                (_segment_name(rule.key, language), int(segment_release.released.get(rule.key, 0)))
                for rule in RULE_SEGMENTS
            ]
        selected = None
        expansion: service.Expansion | None = None
        expansion_error = None
        targets: list[service.TargetCreator] = []
        targets_error = None
        targets_release: PrivacyRelease | None = None
        if pack_id is not None:
            selected = service.get_pack(session, principal, pack_id)
            try:
                expansion = service.lookalike(session, principal, pack_id)
            except ServiceError as error:
                expansion_error = error.detail
            try:
                targets = service.target_creators(session, principal, pack_id, limit=20)
                targets_release = sizes.get(pack_id)
            except ServiceError as error:
                targets_error = error.detail
        history = service.releases(session, principal, limit=RELEASES_SHOWN, cursor=releases_cursor)
        pack_names = {p.id: p.name for p in packs}
        return {
            "budget": service.budget(session, brand_id),
            "segments": segments,
            "segment_release": segment_release,
            "largest": max((size for _, size in segments), default=0),
            "lines": lines,
            "selected": selected,
            "selected_name": describe(service.definition_of(selected), language, names) if selected else "",
            "expansion": expansion,
            "expansion_error": expansion_error,
            "targets": targets,
            "targets_error": targets_error,
            "targets_release": targets_release,
            "releases": [(row, pack_names.get(row.pack_id or 0, "")) for row in history.items],
            "releases_next": history.next_cursor,
            "per_viewer": PER_VIEWER,
            "reliable_sample": MIN_RELIABLE_SAMPLE,
            **_builder(session, principal),
        }

    empty: dict[str, Any] = {
        "budget": None,
        "segments": [],
        "segment_release": None,
        "largest": 0,
        "lines": [],
        "selected": None,
        "selected_name": "",
        "expansion": None,
        "expansion_error": None,
        "targets": [],
        "targets_error": None,
        "targets_release": None,
        "releases": [],
        "releases_next": None,
        "per_viewer": PER_VIEWER,
        "reliable_sample": MIN_RELIABLE_SAMPLE,
        "rules": [],
        "categories": [],
        "creators": [],
        "livestreams": [],
        "epsilons": EPSILONS,
    }
    return Screen(PATH, "audience.html", view, empty, TEXT)


def _builder(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "rules": [(rule.key, rule.name_zh, rule.name_en) for rule in RULE_SEGMENTS],
        "categories": list(Category),
        "creators": service.creators_with_audience(session, limit=50),
        "livestreams": service.referenceable_livestreams(session, principal),
        "epsilons": EPSILONS,
    }


@router.get(PATH, response_class=HTMLResponse)
def audience_page(
    request: Request, session: DbSession, pack: int | None = None, releases: str | None = None
) -> Response:
    if pack is not None and not 1 <= pack <= 2**31 - 1:
        pack = 0  # names no pack: the page answers 404 like any other tenant's id
    return show(request, session, _screen(language_of(request), pack, releases))


def _creator_screen(creator_id: int) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        # Whoever may look the creator up (brands any, an MCN its roster, the creator itself); anyone else a 404.
        creator = access.get_referenceable(session, Creator, creator_id, principal)
        found = composition.creator_audience(session, principal, creator_id)
        return {"creator": creator, "audience": found, "reliable_sample": MIN_RELIABLE_SAMPLE}

    empty: dict[str, Any] = {"creator": None, "audience": None, "reliable_sample": MIN_RELIABLE_SAMPLE}
    return Screen(CREATOR_PATH.format(creator_id=creator_id), "creator_audience.html", view, empty, TEXT)


@router.get(CREATOR_PATH, response_class=HTMLResponse)
def creator_audience_page(request: Request, session: DbSession, creator_id: PathId) -> Response:
    return show(request, session, _creator_screen(creator_id))


def _epsilon(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"ε must be a number, got {raw!r}") from None
    if value not in EPSILONS:
        raise ValueError(f"ε must be one of {', '.join(map(str, EPSILONS))}")
    return value


@router.post(PATH + "/segments", response_class=HTMLResponse)
def release_segments(request: Request, session: FormSession, epsilon: Annotated[str, Form()] = "0.5") -> Response:
    return step(
        request,
        session,
        _screen(language_of(request)),
        lambda p: service.release_segments(session, p, _epsilon(epsilon)),
    )


def pack_from_form(
    name: str,
    segments: list[str],
    combine: str,
    viewed_category: str,
    viewed_days: str,
    bought_category: str,
    bought_days: str,
    followed_creator: str,
    watched_livestream: str,
    exclude: list[str],
) -> PackIn:
    """The builder's fields as a pack definition: the ticked conditions combined, then the exclusions taken out."""
    parts: list[dict[str, Any]] = [{"kind": "segment", "segment": key} for key in segments]
    if viewed_category:
        parts.append({"kind": "viewed_category", "category": viewed_category, "days": viewed_days or "30"})
    if bought_category:
        parts.append({"kind": "bought_category", "category": bought_category, "days": bought_days or "30"})
    if followed_creator:
        parts.append({"kind": "followed_creator", "creator_id": followed_creator})
    if watched_livestream:
        parts.append({"kind": "watched_livestream", "livestream_id": watched_livestream})
    if not parts:
        raise ValueError("选择至少一个条件 / choose at least one condition")
    base: dict[str, Any] = parts[0] if len(parts) == 1 else {"kind": combine or "union", "parts": parts}
    definition = base
    if exclude:
        without = [{"kind": "segment", "segment": key} for key in exclude]
        definition = {
            "kind": "exclusion",
            "base": base,
            "without": without[0] if len(without) == 1 else {"kind": "union", "parts": without},
        }
    return PackIn.model_validate({"name": name, "definition": definition})


@router.post(PATH + "/packs", response_class=HTMLResponse)
def create_pack(
    request: Request,
    session: FormSession,
    name: Annotated[str, Form()] = "",
    segments: Annotated[list[str] | None, Form()] = None,
    combine: Annotated[str, Form()] = "union",
    viewed_category: Annotated[str, Form()] = "",
    viewed_days: Annotated[str, Form()] = "30",
    bought_category: Annotated[str, Form()] = "",
    bought_days: Annotated[str, Form()] = "30",
    followed_creator: Annotated[str, Form()] = "",
    watched_livestream: Annotated[str, Form()] = "",
    exclude: Annotated[list[str] | None, Form()] = None,
    epsilon: Annotated[str, Form()] = "0.1",
) -> Response:
    def build(principal: Principal) -> object:
        data = pack_from_form(
            name,
            segments or [],
            combine,
            viewed_category,
            viewed_days,
            bought_category,
            bought_days,
            followed_creator,
            watched_livestream,
            exclude or [],
        )
        cost = _epsilon(epsilon)
        pack = service.create_pack(session, principal, data)
        return service.release_size(session, principal, pack.id, cost)

    return step(request, session, _screen(language_of(request)), build)


@router.post(PATH + "/packs/{pack_id}/size", response_class=HTMLResponse)
def release_size(
    request: Request, session: FormSession, pack_id: int, epsilon: Annotated[str, Form()] = "0.1"
) -> Response:
    return step(
        request,
        session,
        _screen(language_of(request)),
        lambda p: service.release_size(session, p, pack_id, _epsilon(epsilon)),
    )


@router.post(PATH + "/packs/{pack_id}/delete", response_class=HTMLResponse)
def delete_pack(request: Request, session: FormSession, pack_id: int) -> Response:
    return step(request, session, _screen(language_of(request)), lambda p: service.delete_pack(session, p, pack_id))


@router.post(PATH + "/packs/{pack_id}/export")
def export_pack(request: Request, session: FormSession, pack_id: int) -> Response:
    """The hashed ids as a CSV download; a refused export shows the page again with the reason."""
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    try:
        found = service.export(session, principal, pack_id)
    except (ServiceError, ValueError) as exc:
        error, status = refused(session, exc)
        screen = _screen(language_of(request))
        try:
            view = screen.view(session, principal)
        except (ServiceError, ValueError):
            session.rollback()
            view = screen.empty
        return page(request, principal, screen.template, view, error, status, TEXT)
    body = f"# HMAC-SHA256 key (hex): {found.key.hex()}\nhashed_id\n" + "".join(f"{h}\n" for h in found.hashed_ids)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="crowd-pack-{pack_id}.csv"'},
    )
