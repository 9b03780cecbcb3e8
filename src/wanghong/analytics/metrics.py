"""指标说明 / one definition per figure: every number the platform shows, with its Chinese and English name, formula,
unit and whether it is an estimate.

Issue 14 found two pages calling different sums "GMV" (one counted livestream orders, the other all orders) and
"unique viewers" counting any action; each figure now has exactly one definition here. The export headers of
`analytics.tables` (`COLUMN_LABELS`) take their metric columns from `header`, the boards and money pages take their
names from `zh` / `en`, and `/analytics/metrics` lists them all. Pure data: no database, no web.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wanghong.kit.i18n import LANGUAGES


@dataclass(frozen=True)
class Metric:
    key: str
    zh: str
    en: str
    unit_zh: str
    unit_en: str
    formula_zh: str
    formula_en: str
    estimate: bool = False  # a modelled or noised figure, not a count of records
    columns: tuple[str, ...] = ()  # the table columns that hold it (exports label them with `header`)
    header: str = ""  # the export column's Chinese header with its unit; default "名称（单位）"

    @property
    def column_header(self) -> str:
        return self.header or f"{self.zh}（{self.unit_zh}）"

    def name(self, language: str) -> str:
        return self.en if language == "en" else self.zh

    def titled(self, language: str) -> str:
        """The name with its unit, as a card or axis shows it: 'GMV（全部订单）（元）', 'GMV, all orders (yuan)'."""
        if language == "en":
            # A count whose unit is its own name reads once: "Orders", not "Orders (orders)".
            return self.en if self.unit_en.lower() == self.en.lower() else f"{self.en} ({self.unit_en})"
        return f"{self.zh}（{self.unit_zh}）"

    def label(self, language: str, unit: bool = False) -> str:
        """The figure's label on a page: its name (with its unit if asked), marked 预估 / estimate where it is one."""
        if not self.estimate:
            return self.titled(language) if unit else self.name(language)
        if language == "en":
            return f"{self.en} ({self.unit_en}, estimate)" if unit else f"{self.en} (estimate)"
        return f"{self.zh}（{self.unit_zh}，预估）" if unit else f"{self.zh}（预估）"


_LIST: tuple[Metric, ...] = (
    Metric(
        "gmv_all",
        "GMV（全部订单）",
        "GMV, all orders",
        "元",
        "yuan",
        "全部订单金额之和（含直播、短视频与其他渠道），含之后退款的订单",
        "Σ order amount over every order (livestream, short video, other), refunded orders included",
        columns=("gmv_yuan",),
        header="GMV（元）",
    ),
    Metric(
        "gmv_livestream",
        "直播 GMV",
        "Livestream GMV",
        "元",
        "yuan",
        "直播场次内成交的订单金额之和（订单关联直播场次）",
        "Σ order amount over orders placed in a livestream session (the order names the session)",
    ),
    Metric(
        "gmv_net",
        "净 GMV（扣除退款）",
        "Net GMV (after refunds)",
        "元",
        "yuan",
        "GMV − 已退款订单金额",
        "GMV − amount of refunded orders",
    ),
    Metric(
        "gmv_attributed",
        "归因 GMV",
        "Attributed GMV",
        "元",
        "yuan",
        "归因到合作（经其直播场次）的订单金额之和",
        "Σ order amount over orders attributed to the collaborations (through their livestreams)",
    ),
    Metric(
        "gmv_adjusted",
        "剔除刷单后 GMV",
        "GMV less fake orders",
        "元",
        "yuan",
        "GMV（反作弊页为全部订单，活动复盘为归因订单）− 疑似刷单 GMV",
        "GMV (all orders on the fraud pages, attributed orders in a campaign report) − flagged GMV",
        estimate=True,
    ),
    Metric(
        "gmv_flagged",
        "疑似刷单 GMV",
        "Flagged GMV",
        "元",
        "yuan",
        "最近一次反作弊扫描判为刷单的订单金额之和（模型判定，故为预估）",
        "Σ amount of the orders the latest fraud scan flagged as fake (a model's judgement, hence an estimate)",
        estimate=True,
    ),
    Metric(
        "refund_amount",
        "退款金额",
        "Refunds",
        "元",
        "yuan",
        "已退款订单金额之和（每单全额退款一次）",
        "Σ amount of refunded orders (each refunded once, in full)",
    ),
    Metric(
        "orders",
        "订单数",
        "Orders",
        "单",
        "orders",
        "订单笔数",
        "number of orders",
        columns=("orders",),
    ),
    Metric(
        "views",
        "观看人次",
        "Views",
        "次",
        "views",
        "进入观看的次数（同一观众重复进入计多次）",
        "number of view entries (a viewer re-entering counts again)",
        columns=("views",),
    ),
    Metric(
        "unique_viewers",
        "观看人数",
        "Unique viewers",
        "人",
        "people",
        "观看过的不同观众数（同一观众计一次）；不超过观看人次",
        "distinct viewers who viewed (each counted once); never more than views",
        columns=("unique_viewers",),
    ),
    Metric(
        "conversion_rate",
        "转化率",
        "Conversion rate",
        "%",
        "%",
        "订单数 ÷ 观看人数",
        "orders ÷ unique viewers",
        columns=("conversion_rate",),
        header="转化率（订单/观看人数）",
    ),
    Metric(
        "uv_value",
        "UV价值",
        "UV value",
        "元",
        "yuan",
        "GMV ÷ 观看人数",
        "GMV ÷ unique viewers",
        columns=("uv_value_yuan",),
    ),
    Metric(
        "gpm",
        "GPM",
        "GPM",
        "元/千次观看",
        "yuan per 1,000 views",
        "GMV ÷ 观看人次 × 1000",
        "GMV ÷ views × 1,000",
        columns=("gpm_yuan",),
    ),
    Metric(
        "roi_last_touch",
        "末次触点 ROI",
        "ROI, last touch",
        "倍",
        "×",
        "末次触点归因 GMV ÷ 合作费用",
        "last-touch attributed GMV ÷ collaboration fees",
        columns=("last_touch_roi",),
    ),
    Metric(
        "roi_time_decay",
        "时间衰减 ROI",
        "ROI, time decay",
        "倍",
        "×",
        "时间衰减归因 GMV ÷ 合作费用",
        "time-decay attributed GMV ÷ collaboration fees",
        columns=("time_decay_roi",),
    ),
    Metric(
        "roi_campaign",
        "活动 ROI",
        "Campaign ROI",
        "倍",
        "×",
        "归因 GMV ÷ 花费（账本中已释放的合作费 + 佣金，已扣除退货冲回）",
        "attributed GMV ÷ spend (fees released plus commissions, net of reversals for returns, from the ledger)",
    ),
    Metric(
        "complaint_rate",
        "客诉率",
        "Complaint rate",
        "%",
        "%",
        "有客诉的订单数 ÷ 订单数",
        "orders with at least one complaint ÷ orders",
    ),
    Metric(
        "refund_rate",
        "退款率",
        "Refund rate",
        "%",
        "%",
        "已退款订单数 ÷ 订单数",
        "refunded orders ÷ orders",
    ),
    Metric(
        "tip_income",
        "打赏收入",
        "Tips",
        "元",
        "yuan",
        "观众打赏金额之和",
        "Σ tips from viewers",
    ),
    Metric(
        "commission_pending",
        "待结算佣金",
        "Commission pending",
        "元",
        "yuan",
        "退货期内冻结的佣金（订单金额 × 佣金率），期满释放、期内退款冲回",
        "commission held through the return window (order amount × commission rate): released after, reversed on "
        "a refund inside it",
    ),
    Metric(
        "predicted_gmv",
        "预测 GMV 区间",
        "Predicted GMV range",
        "元",
        "yuan",
        "匹配模型对一场合作的 GMV 预测（分位数区间）",
        "the matching model's forecast of a collaboration's GMV (a quantile range)",
        estimate=True,
    ),
    Metric(
        "segment_size",
        "人群规模",
        "Segment size",
        "人",
        "people",
        "人群包的差分隐私噪声计数（按月 ε 预算发布）",
        "a crowd pack's differentially private count (released against a monthly ε budget)",
        estimate=True,
    ),
)

METRICS: dict[str, Metric] = {m.key: m for m in _LIST}


def column_labels(language: str = "zh") -> dict[str, str]:
    """Header of every table column a metric holds: the export's Chinese one (`analytics.tables.COLUMN_LABELS` takes
    these), or the English name with its unit for an English page."""
    if language == "en":
        return {column: m.titled("en") for m in _LIST for column in m.columns}
    return {column: m.column_header for m in _LIST for column in m.columns}


def page_words(words: Mapping[str, str], *, titled: bool = False) -> dict[str, dict[str, str]]:
    """A page's words that name a figure, in every language, for `Messages.extend`: `{"rp_gmv": "gmv_attributed"}`
    gives each word its figure's `label` (with `titled`, its name and unit), written once for both languages."""
    return {
        language: {
            word: METRICS[key].titled(language) if titled else METRICS[key].label(language)
            for word, key in words.items()
        }
        for language in LANGUAGES
    }


def described(key: str) -> str:
    """An API field's description from the figure's one definition: both names, the unit the field carries
    (a %-figure travels as a share in [0, 1]), whether it is an estimate, and the formula."""
    metric = METRICS[key]
    unit = "a share in [0, 1], shown as %" if metric.unit_en == "%" else metric.unit_en
    estimate = "; an estimate" if metric.estimate else ""
    return f"{metric.zh} / {metric.en} ({unit}{estimate}): {metric.formula_en}"
