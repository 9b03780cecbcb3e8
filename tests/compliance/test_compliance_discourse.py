"""Fifth round of issue #20 (blind set outside_heldout5): who asserts the words (engine/discourse.py).

Most false positives of that set were texts that hold a claim nobody in them makes: a viewer's question answered
with a denial, others' words reported in order to refute them (rumours, a regulator's case report, a warning),
and quoted names. The sentences here are new wordings of those uses, and, beside them, the same frames where the
seller does make the claim — an answer that confirms, a report nobody refutes, a question left open."""

from __future__ import annotations

import pytest
from tests.compliance.probes import assert_caught, assert_lawful, hit_reasons

from wanghong.compliance.engine import ComplianceReviewer, Scanner
from wanghong.compliance.engine.context import Reason
from wanghong.domain import Verdict as VerdictKind

LAWFUL = [
    # asked and denied
    "这款理财保本吗？不保本，收益随市场波动",
    "宝宝们问这个茶能不能降血压？不能哦，它就是普通的花草茶",
    "考证包过吗？家人们，没有哪个机构能保证包过，我们只负责讲课",
    "能私下加微信吗？抱歉，咱们只在平台内沟通",
    "有粉丝问我这个面膜是不是全网最低价，我也不清楚，大家自己比价",
    "有人问这款奶粉能不能治湿疹，我直接说不能",
    "这个是国家级产品吗？不是，它就是普通的地方特产",
    # reported and refuted
    "网上传“吃黑芝麻能让白发变黑”，医生表示并没有科学依据",
    "有商家宣称喝碱性水能治痛风，这是谣言，大家别信",
    "听说戴这个手串能转运发财，其实没有任何根据，我们只卖装饰品",
    "某保健品公司宣传“三个月根治糖尿病”，被市场监管部门认定为虚假广告",
    "当事人在直播中使用“全网第一”“最低价”等用语，违反了广告法的规定",
    "千万别信那些“零基础包过”的培训班",
    "警惕所谓“稳赚不赔”的理财产品，投资有风险",
    # quoted names
    "新游戏里“最强王者”称号限时领取",
    "“第一村”奶茶新品上市，欢迎来尝",
    "第一村烧烤店今晚开业，地址在人民路",
    # the sixth round's development set (outside_dev6): reports without quotes, warnings, mentions, condemnations
    "据新闻报道，某直播间因宣传“包治百病”被立案调查",
    "市场监管部门提示：宣称保本高收益的理财多半涉嫌非法集资",
    "警惕那些说躺着赚钱的兼职群，都是骗局",
    "刷单返现都是诈骗，千万别信",
    "看到稳赚不赔的投资广告，千万别交钱",
    "广告法规定不能说最好、第一，所以我们只讲参数",
    "有人问这口锅是不是全网第一，我可不敢这么说",
    "「最佳拍档」是这款杯子的系列名",
    "我最好的朋友今天来帮我直播",
    "这个转换器要接降压模块才能用",
    "第一村的土鸡蛋今天到货",
]

CLAIMS = [
    "有人说这是全网最低价，没错，就是最低价！",
    "网传这款茶能治失眠，是真的！",
    "这个能治失眠吗？当然能！",
    "这款面霜能祛斑吗？",
    "是不是全网最低价？不是吹，真的是全网最低",
    "还在找最好的面霜吗？不用找了，就是这款",
    "有人问是不是国家级产品，当然是",
    "很多人说吃了能降血糖，确实如此",
    "保本吗？保本！",
    "能加微信吗？可以，加我微信发你",
    "“全网第一”的口碑，闭眼入",
    "全国第一火锅店就是我们家",
    "最好吃的烧烤店就在这条街",
    "广告法不让说最好，但这款面霜真的是最好的",
    "宣传的就是全网最低价，放心下单",
    "所谓最好的面霜，就是我们这款",
    "别家都说自己是第一，我们才是真正的第一",
    "这款降压茶喝一周血压就正常了",
    "心情不好？来一杯全网最好喝的奶茶",
    "有人说这款茶能降血糖，其实不是吹，真能降",
]


@pytest.mark.parametrize("text", LAWFUL)
def test_words_nobody_asserts_pass(reviewer: ComplianceReviewer, text: str) -> None:
    assert_lawful(reviewer, text)


@pytest.mark.parametrize("text", CLAIMS)
def test_the_same_frames_with_a_claim_are_caught(reviewer: ComplianceReviewer, text: str) -> None:
    assert_caught(reviewer, text)


def test_each_use_has_its_own_reason(raw_scanner: Scanner) -> None:
    # the answer's own 保本 is negated
    assert hit_reasons(raw_scanner, "保本吗？不保本") == {Reason.ANSWERED, Reason.NEGATED}
    assert Reason.REPORTED in hit_reasons(raw_scanner, "有主播宣称吃了能治糖尿病，专家提醒这没有依据")
    assert Reason.NAME in hit_reasons(raw_scanner, "“最强王者”段位皮肤返场")
    assert None in hit_reasons(raw_scanner, "保本吗？保本！")


def test_a_question_at_the_end_of_the_text_is_no_denial(reviewer: ComplianceReviewer) -> None:
    # The answer's clause starts past the text: nothing denies, and no index error.
    for text in ("能治失眠吗？", "能治失眠吗", "有人问能不能治失眠？"):
        assert reviewer.with_window(None).review(text).verdict is not VerdictKind.PASS, text
