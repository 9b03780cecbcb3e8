"""Who asserts a hit? Questions answered with a denial, and others' words reported to be refuted.

The clause rules of `context` read a few characters around a hit. Two lawful uses need the sentence and the one
after it, because the wording is in the text but nobody in it claims it (issue #20, the blind set of the fifth round,
where these were most of the false positives):

* **asked and denied** — a question (a clause ending in ？, or a reported one: 有老铁问我是不是保本的) whose answer
  opens with a denial: 保本吗？不保本 / 能降血糖吗？不能哦 / 包过吗？没有哪家机构能保证 / 能不能加微信？不好意思，
  平台规定… An answer that confirms (当然能！), or a discourse negation (不是吹, 不用犹豫) keeps the claim;
* **reported and refuted** — the hit lies in words the sentence attributes to someone else (网传, 有人说, 有主播宣称,
  朋友圈里说, 当事人…发布含有“…”, 某品牌宣传“…”) or that it warns against (别再信那些“包过班”了), and the same sentence
  or the next one judges them (没有科学依据, 被认定为虚假宣传, 违反了《广告法》, 市场监管部门提醒…). Attributed words
  that nobody refutes (网传这款能治失眠，是真的) stay a claim: repeating a claim is making it;
* **a viewer's question** — the text is the viewer's own words, asking (主播，这个真的是全网最低吗？ / 这个茶喝了
  能降血糖吗？我爸有糖尿病想买来试试): a vocative to the host, a doubt (真的…吗) followed by more words, or the
  asker's own circumstances after the question (我想…, 我爸…, 我在别家看到…). A seller's rhetorical question is
  followed by the pitch or a confirming answer (真的能瘦吗？真的能！), and keeps the claim;
* **quoted names** — a quoted name followed by what it names: 游戏角色“最强王者”段位, “第一锅”火锅底料.

Cues are matched on the scanner's per-character fold (punctuation deleted, 一 → 1), sentence and clause limits on the
original text. Only texts with a hit that the clause rules let stand reach this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import ahocorasick_rs

from wanghong.compliance.engine.context_words_scenes import LAW_EXPLAINED

_SENTENCE_ENDS = "。！？!?；;\n"
_QUESTION_ENDS = "？?"
# Clause marks without the quotation marks (a quotation belongs to the clause that introduces it) and without 、
# (an enumeration shares its clause's frame: 宣称产品全网第一、国家级品质).
_CLAUSE_ENDS = _SENTENCE_ENDS + "，,：:…~～"
OPEN_QUOTES = "“‘「『\"'"
CLOSE_QUOTES = "”’」』\"'"
_SENTENCE_REACH = 80  # characters read on each side of a hit; sentences of sales copy are shorter
_CLAUSE_REACH = 48


def _limits(marks: str, reach: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for the start and the end of the span around a hit that no mark of ``marks`` interrupts. Greedy up to
    the last mark, as in `context`: linear, where looking for a mark-free tail tries every start."""
    escaped = re.escape(marks)
    return re.compile(f"(?s:.*)[{escaped}]"), re.compile(f"[^{escaped}]{{0,{reach}}}")


_CLAUSE_BEFORE, _CLAUSE_AFTER = _limits(_CLAUSE_ENDS, _CLAUSE_REACH)
_SENTENCE_BEFORE, _SENTENCE_AFTER = _limits(_SENTENCE_ENDS, _SENTENCE_REACH)
_QUESTION_MARK = re.compile(f"[{_QUESTION_ENDS}]")
_QUOTE_MARK = re.compile(f"[{re.escape(OPEN_QUOTES + CLOSE_QUOTES)}]")

# A yes/no question inside the clause (吗 at its end, an A-not-A form, 是否), or a question reported (有人问…).
_QUESTION_FORM = re.compile("吗|嘛|是不是|能不能|会不会|有没有|可不可以|对不对|是否|没有$|了没$|([\u3400-\u9fff])不\\1")
_REPORTED_QUESTION = re.compile("问")
# The answer's first words: an address (家人们，) and a speaker's frame (我明确说) may precede the denial.
_ADDRESS = (
    "(?:家人们|宝子们|宝宝们|老铁们|姐妹们|朋友们|亲|哈哈|呃|嗯|答|回答|统一回复|回复|这个|说实话|实话说|老实说)*"
)
_SPEAKER = (
    "(?:我们|我|咱们|咱|主播|小编|客服|自己|个人)?(?:也|可|真|明确|直接|老实|实话|肯定|必须)?(?:地)?"
    "(?:说|告诉你|告诉大家|讲|回答|感觉|觉得|的回答是|的答案是)?"
)
_DENIAL = (
    "(?:不是|不能|不会|不行|不保|不包|不可以|不可能|不存在|不一定|不清楚|不知道|不敢|不好意思|抱歉|对不起|"
    "没有|没|并不|并没有|当然不|肯定不|绝对不|真不|谁也不|谁也没|没人|说不准|说不好|很难说|不了|no|"
    # 我们不做开光, 我们不搞排名, 我只能说适合自己的就是好的: the seller declines the claim the question asked for.
    "不做|不搞|不承诺|不保证|不卖|不提供|不售|只能说|因人而异|看个人|"
    # 能加个微信吗？不加哦; 能不能治脚气？我说清楚，就是普通棉袜: the seller declines, or says the goods are ordinary.
    "不加|不留|不私|(?:就是|只是)(?:1?[个款件双])?普通|这只是|它只是|这是普通|这就是普通|"
    # 统一回复：只在平台下单: the seller keeps the trade on the platform
    "只在平台|只在本平台|只能在平台|请在平台)"
    # 不是吹, 不是我说, 不能错过: a discourse negation before a claim, not an answer that denies.
    "(?!吹|我吹|我说|夸张|骗|错过|不说|不提)"
)
# 化妆品不能治病, 考试没有包过的: the answer names its subject before the denial. A word of assurance as the "subject"
# (保证不复发, 肯定不会反弹) is the claim itself, so none may stand there.
_SUBJECT = "(?:(?!保证|保你|包你|肯定|一定|绝对|确保|承诺)[\u3400-\u9fff]){1,4}?"
_SUBJECT_DENIAL = "(?:不能|不会|没有|没法|无法|不是|并不|并没有|不可能|不存在|不保证|不承诺|不具备|不具有)"
_DENIED_ANSWER = re.compile(f"^{_ADDRESS}(?:{_SPEAKER}{_DENIAL}|{_SUBJECT}{_SUBJECT_DENIAL}(?!错过|不说|夸张))")

# A viewer addressing the host or the shop, at the start of the text or of the question's sentence.
_VOCATIVE = re.compile(
    "^(?:请问|(?:主播|老师|客服|掌柜|老板|店家|小姐姐|姐姐|哥哥|小哥|亲|宝宝|博主|up主)+(?:你好|您好)?"
    # 主播这个颜色是不是今年最火的？: the address may run straight into the question
    "(?:[，,：: ]|(?=这|那|你|您|请问|能不能|可不可以|是不是|有没有)))"
)
_DOUBT = re.compile("真的|真能|确定|靠谱吗|有用吗|管用吗|是真的吗")
# 读者问：“到底哪天买最便宜？”: the question quoted after its asker.
_ASKED_BEFORE_QUOTE = re.compile("(?:问|问道|提问|问我|问过)$")
# 题主问理财型保险“保本”靠不靠谱, 姐妹问我为啥不推那个…: the sentence reports someone else's question.
_OTHERS_ASKED = re.compile(
    "^(?:题主|楼主|网友|粉丝|评论区|后台|很多人|不少人|经常有人|有姐妹|姐妹们?|顾客|客户|买家|用户|家长|读者)"
    "(?:都|也|在|经常)?(?:问|私信问|来问|提问)"
)
# The asker's own circumstances after the question (我想多买几箱, 我爸有糖尿病, 我在别家看到便宜五块): a seller's
# 我 goes on with the pitch instead (我告诉你, 我用了三个月), so only these openings count.
_ASKER = re.compile(
    # 别的直播间好像更便宜: what the asker saw elsewhere
    "^(?:别的|别家|隔壁|人家)|^(?:我|俺)(?:爸|妈|家|老公|老婆|女儿|儿子|孩子|闺女|单位|公司|朋友|同事|在别|看别|看到|想|之前|上次|刚|昨天|去年|"
    "前几天|差|是想|主要|就是想|担心|怕)"
)
_CONFIRMED = re.compile(
    "^(?:家人们|宝子们|老铁们|亲)?(?:当然|能|可以|是的|是|肯定|必须|没错|对|绝对|包|保证|真的|确实|必然|会)"
)
# Words that put what follows in someone else's mouth (the seller's own 都说 / 大家都说 is social proof, not a report).
_ATTRIBUTION = re.compile(
    "网传|网上(?:都)?(?:说|传)|据说|听说|传言|谣传|有人(?:说|问|讲|宣称|声称|称|传|觉得)|"
    "有(?:些|的)?(?:人|主播|商家|博主|卖家|品牌|机构|店家|厂家)(?:说|宣称|声称|号称|宣传|鼓吹|吹嘘|标榜|打出)|"
    "朋友圈(?:里)?(?:都)?(?:说|传|转)|宣称|声称|鼓吹|吹嘘|标榜|号称|宣传|所谓|当事人|别家|那些说|说成|吹成|包装成|"
    "某.{0,8}(?:品牌|商家|企业|公司|主播|机构|店铺|网店|门店|楼盘|直播间)|"
    # 每个卖家都说自家的是“最耐磨的”: what every seller says, heard by a buyer.
    "(?:每个|每家|所有|很多|好多|各个|各家)(?:卖家|商家|店家|主播|品牌|厂家|销售)都?(?:说|宣称|号称|讲|吹)|"
    "(?:广告|视频|直播间|群|讲座|传单|宣传单|推销员|业务员)(?:里|上)?(?:说|写|宣传|称|讲)|冒充|"
    "(?:这个|那个|某个|别的|其他|另1个)(?:主播|商家|博主|卖家|店家|达人)(?:说|宣称|声称|号称|讲)|"
    # 您提到的“第一品牌”我们从未这样宣传: a customer's words, answered.
    "(?:您|你|顾客|网友|买家|粉丝|评论)(?:提到|说|讲|看到|问)的|"
    # 主播口误说了“全网最低”，我们在此更正: the speaker's own slip, corrected; 遇到承诺“包治百病”的商家: someone met.
    "口误说了?|说错了|误说|遇到.{0,8}?(?:说|宣称|声称|号称|承诺|打着)"
)
# Frames that put a whole sentence in a report (据报道，…; 市场监管局通报了…：…), read from the sentence's start.
_REPORT_FRAME = re.compile(
    "据.{0,10}(?:报道|通报|消息|介绍)|报道(?:称|说|中|里|指出)|新闻(?:里)?(?:说|报道)|曝光|通报|经查|判决|裁定|监管.{0,4}(?:提醒|提示)|科普|"
    "记者.{0,4}(?:调查|暗访|发现|了解)|调查(?:发现|显示)|提个醒|反诈|防骗|多地|查处|"
    # 消协发布消费警示：…, 教育部门提醒：…: an authority's notice; 律师说法｜主播在直播间引导粉丝“加V私聊下单”…: the law
    # explained with a case.
    "警示|消费提示|(?:部门|协会|消协|局|委|法院|警方|官方|人士|专家).{0,4}(?:提醒|提示)|" + LAW_EXPLAINED
)
# A notice that opens the text frames all of it: 消费提示｜市消协提醒：…；遇到商家承诺“无效退款”的，请…投诉.
_NOTICE_OPENING = re.compile(
    "^.{0,12}?(?:消费提示|消费警示|风险提示|防骗提醒|反诈提醒|警惕|谨防|典型案例|案例通报|"
    "(?:消协|消费者协会|市场监管局|监管部门|公安局|警方|法院|检察院)(?:发布|提醒|提示|警示)|" + LAW_EXPLAINED + ")"
)
# The words are named, not used: 广告法规定不能说最高级、最佳.
_MENTIONED = re.compile(
    "广告法|违禁词|极限词|敏感词|禁用词|不能说|不让说|不许说|不准说|不能用|不让用|禁止使用|不得使用|"
    "这类词|这些词|这种词|这类字|这类用语|"
    # 宠物饲料不得宣称具有预防、治疗疾病作用: a rule names what may not be claimed.
    "不得宣称|禁止宣称|不能宣称|不得声称|不得标注|不得含有|不得明示|不得暗示|不得用于|不能用于|禁止用于|"
    "禁止出现|不得出现|不能出现|"
    # 本平台禁止发布宣扬“开光”“转运”等封建迷信内容的商品: a platform's rule names what it bans.
    "禁止(?:发布|宣扬|宣传|销售)"
)
# ...or named as words after it: “顶级”“极品”这类词直播间不让说.
_MENTIONED_AFTER = re.compile(
    "^.{0,8}?(?:这类|这些|这种|等)(?:绝对化|夸大|违规|违禁|敏感|极限|封建迷信)?(?:词|字|用语|说法|极限词|违禁词|词语|词汇|内容)"
)
# The hit describes an advertisement or pitch that the text goes on to judge:
# 看到包过、内部名额的考试培训广告，千万别交钱.
_DESCRIBED_PITCH = re.compile("^.{0,10}?(?:广告|宣传|话术|说法|套路|项目|投资群|承诺)")
# ...or the next clause names the words as a pitch and judges it: 某祛痘膏说“三天根治痘痘”，这种宣传本身就违规.
_JUDGED_NEXT = re.compile("^(?:因为|但|可|而)?(?:这种|这类|这样的|此类|类似的?)(?:宣传|说法|广告|话术|文案|承诺|噱头)")
# 央视新闻报道了一起以“稳赚不赔”为诱饵的非法集资案: the words open the report of a case.
_CASE_AFTER = re.compile("^.{0,16}?(?:案件|诈骗案|集资案|传销案|欺诈案)")
# The hit's own clause condemns it: 刷单返利都是诈骗.
_CONDEMNING = "诈骗|骗局|骗人|骗钱|违法|违规|虚假|谣言|假的|智商税|套路|忽悠|迷信|没有的事|不存在的|无稽之谈|瞎说|胡说"
_CONDEMNED = re.compile(
    f"^.{{0,8}}?(?:(?:都是|就是|是|属于|涉嫌|纯属)(?:{_CONDEMNING})|(?:违反|违背|触犯)了?.{{0,12}}?(?:法|规定|条例|规则))"
)
# The hit describes what a condemned person or thing does, the condemnation after the relative clause's head, in this
# sentence: 凡是让你加微信私下转账的“客服”，都可能是骗子; 说能“根治”糖尿病的保健品都不要信.
_CONDEMNED_HEAD = re.compile(
    "^[^的]{0,16}?的[^的]{0,10}?(?:都|也|全|一律|大多|多半)?(?:可能|肯定|一定|基本)?"
    f"(?:(?:是|属于|涉嫌|纯属)(?:骗子|{_CONDEMNING})|"
    "(?:不要|别|不能|千万别|切勿|勿)(?:信|相信|听|买|上当|转账|理)|(?:需|要|须|应|请)?(?:警惕|谨慎|提防|当心|小心))"
)
# ...said of a whole kind, or in a warning: without one of these the sentence may condemn others' goods beside the
# seller's claim (最正宗的螺蛳粉就在我们家，别家的都是假的).
_SWEEPING = re.compile("凡是|凡|所有|那些|任何|所谓|提醒|提示|警惕|注意|小心|劝")
# 说包赚钱的都要小心: whoever says the words, nobody named — a kind of seller, as 凡是 makes one.
_ANYONE_SAYING = re.compile("^(?:说|说能|说是|敢说|宣称|号称|声称|承诺|打着)$")
# Words by which the text warns against what follows in the clause: 别再信那些“包过班”了, 警惕那些说稳赚不赔的投资群.
# (远离 and 小心 are left out: 喝了远离高血压 is the claim itself, 小心烫 another matter.)
_WARNED = re.compile(
    "别再?信|不要再?信|别听信|不要听信|别只听|不要只听|别光听|不要光听|别只信|不要只信|"
    "别被|勿信|警惕|谨防|当心|别上当|轻信|误信|听信|(?:不要|别|切勿|不能)(?:再)?相信"
)
# The sentence's (or the next one's) judgement of the reported words.
_REFUTATION = re.compile(
    "没有(?:任何)?(?:科学)?(?:依据|根据|道理|证据)|没依据|无(?:科学)?依据|不是真的|假的|谣言|辟谣|不可信|别信|不要信|"
    "勿信|不靠谱|不科学|虚假|违反|违法|违规|处罚|罚款|责令|被认定|被查处|被罚|误区|智商税|骗局|骗人|忽悠|夸大|不实|"
    "误导|不具有|不具备|并不能|不能代替|不能替代|并不(?!是吹|夸张)|根本(?:不|没)|其实(?:不|没)(?!是吹|吹|夸张)|说不是|没这回事|别上当|警惕|谨防|"
    "被查|立案|调查|涉嫌|非法|骗钱|诈骗|骗子|圈套|陷阱|擦亮眼睛|引以为戒|整改|千万别|别交钱|别听信|不要听信|不会掉馅饼|"
    "不这么干|不敢这么说|套路|打了水漂|血本无归|被骗|上当|吐槽|投诉|踩雷|避雷|避坑|翻车|盗号|被盗|"
    # 这个主播说全网最低价，结果比超市还贵: what the claim met with.
    "结果(?:比|却|发现|根本|压根|完全|1点)|还贵|更贵|"
    # 经检测含有违禁成分, 承诺…却未兑现，被判返还学费: what a test or a court found of the claim.
    "违禁|非法添加|检出|查处|封禁|封号|下架|没有捷径|留个心眼|多个心眼|专门骗|都是骗|未兑现|没兑现|没有兑现|被判|判令|判决.{0,6}(?:返还|退还|赔偿)|"
    "(?:监管|部门|专家|医生|律师|消协|消费者协会|官方|警方|法院|平台|海关|总局|农业农村部|卫健委|药监).{0,6}"
    "(?:提醒|提示|指出|强调|表示|认定)|谨慎辨别|注意辨别|仔细辨别|"
    # 我们不跟风, 我们从未这样宣传: the seller disowns the words.
    "不跟风|从未这样|从不这样|从没这样|从未这么|从不这么|"
    # 所谓“开光转运”都是封建迷信, 以逃避平台审核: superstition named as such, a trick named as one.
    "迷信|冤枉钱|逃避|规避|"
    # 主播口误…在此更正, 遇到…的承诺，可以保留证据向监管部门反映: a correction, a complaint to make.
    "更正|致歉|保留证据|举报|维权|反映|勿轻信|不要轻信|噱头|已成为历史|成为历史|不复存在|"
    # 听得我都麻木了: the buyer has heard the claim too often to believe it.
    "听得.{0,3}(?:麻木|腻|烦)|耳朵(?:都)?(?:听)?起茧"
)
# A court's record opening the text (判决书摘录：…, 经审理查明，…) reports every claim it describes.
_COURT_RECORD = re.compile("^.{0,12}?(?:判决书|裁定书|裁判文书|审理查明|本院查明|本院认为)")
# Literals one of which every "reported" reading needs — a warning or a mention (_WARNED, _MENTIONED), a condemnation
# (_CONDEMNED) or the refutation that attributed words need (_REFUTATION; its authority branch by its verbs) — searched
# once per text by an automaton: the alternation of the cue regexes themselves cost ≈ 8 % of a batch's scan. Keep it in
# step with those regexes (the tests of test_compliance_discourse fail where a reading loses its literal).
_REPORT_CUE_WORDS = (
    "别信 别再信 不要信 不要再信 别听信 不要听信 别被 勿信 警惕 谨防 当心 别上当 "
    "广告法 违禁词 极限词 敏感词 禁用词 不能说 不让说 不许说 不准说 不能用 不让用 "
    "禁止使用 不得使用 诈骗 骗局 骗人 骗钱 违法 违规 虚假 谣言 假的 智商税 套路 "
    "忽悠 依据 根据 道理 证据 不是真的 辟谣 不可信 不靠谱 不科学 违反 处罚 罚款 "
    "责令 被认定 被查 被罚 误区 夸大 不实 误导 不具有 不具备 不能代替 不能替代 "
    "并不 根本不 根本没 其实不 其实没 说不是 没这回事 立案 调查 涉嫌 非法 骗子 "
    "圈套 陷阱 擦亮眼睛 引以为戒 整改 千万别 别交钱 不会掉馅饼 不这么干 不敢这么说 "
    "提醒 提示 指出 强调 表示 认定 查处 封禁 封号 下架 没有捷径 留个心眼 多个心眼 专门骗 都是骗 "
    "违禁 非法添加 检出 未兑现 没兑现 没有兑现 被判 判令 判决 "
    "不要信 不要相信 别相信 不能信 别听 不要听 别买 不要买 不能买 别转账 不要转账 不能转账 切勿 勿信 勿买 勿转账 "
    "别只听 不要只听 别光听 不要光听 别只信 不要只信 没有的事 不存在的 无稽之谈 瞎说 胡说 "
    "不要理 别理 轻信 误信 听信 打了水漂 血本无归 被骗 上当 吐槽 投诉 踩雷 避雷 避坑 翻车 盗号 被盗 相信 还贵 更贵 "
    "结果比 结果却 结果发现 结果根本 结果压根 结果完全 结果1点 这类词 这些词 这种词 这类字 这类用语 "
    "不得宣称 禁止宣称 不能宣称 不得声称 不得标注 不得含有 不得明示 不得暗示 谨慎辨别 注意辨别 仔细辨别 "
    "警示 不得用于 不能用于 禁止用于 不跟风 从未这样 从不这样 从没这样 从未这么 从不这么 "
    # _MENTIONED_AFTER's words: 等用语, 这种说法
    "等词 等字 等用语 等说法 这些用语 这种用语 这些说法 这种说法 这类说法 这些字 这种字 "
    "绝对化用语 等词语 等词汇 禁止出现 不得出现 不能出现 迷信 冤枉钱 逃避 规避 小心 "
    "更正 致歉 保留证据 举报 维权 反映 违背 触犯 勿轻信 不要轻信 噱头 已成为历史 成为历史 不复存在 "
    "麻木 听得腻 听腻 听烦 起茧 判决书 裁定书 裁判文书 审理查明 本院查明 本院认为 "
    "禁止发布 禁止宣扬 禁止宣传 禁止销售 等封建迷信 " + " ".join(LAW_EXPLAINED.split("|")) + " "
)
_REPORT_CUES = ahocorasick_rs.AhoCorasick(sorted(set(_REPORT_CUE_WORDS.split())))
# In a regulator's report every quoted phrase is the offence it describes.
_CASE_REPORT = re.compile(
    "经查|违反|责令|罚款|行政处罚|立案|通报|典型案例|被认定|法院认定|构成虚假宣传|判赔|记者.{0,4}(?:调查|暗访)|查处|曝光|破获|诈骗案|涉案|非法集资"
)
_NAMING_BEFORE_QUOTE = (
    "叫",
    "名叫",
    "叫做",
    "名为",
    "取名",
    "取名为",
    "名字是",
    "店名是",
    "品牌名",
    "商标是",
    "名称是",
    "招牌上写着",
    "招牌写着",
    "牌匾上写着",
    "门头上写着",
    "招牌是",
    "老字号",
    # 你的最高段位为“最强王者”: a game's tier named
    "段位为",
    "段位是",
)
# What a quoted name can name: 游戏角色“最强王者”段位皮肤, “第一锅”火锅底料.
_NAMED_BY_QUOTE = re.compile(
    "^(?:段位|皮肤|称号|角色|系列|火锅|底料|奶茶|咖啡|餐厅|饭店|酒楼|烧烤|面馆|小吃|店|剧|电影|节目|综艺|游戏|战队|"
    "乐队|组合|民宿|酒店|农场|合作社|套餐|礼盒|主题|活动|栏目|专栏|公众号|账号|直播间|"
    "景区|景点|风景区|公园|村|镇|小镇|街|广场|寺|庙|山庄|农庄|茶园|果园|牧场|酒庄|"
    # 「最佳拍档」是这款情侣杯的系列名, 「无敌」是这款游戏机的型号名
    "是.{0,12}?(?:名|型号|商标|品牌名|昵称|名字|称呼)|的?故事|"
    # 视频里说的“第一”是指第一批新米: the quoted word is explained
    "是指|指的是|的意思是|系(?!列))"
)


@dataclass(frozen=True, slots=True)
class Frames:
    """Which of the frames a text can hold at all, read once per text: most texts with a hit hold none, and then
    none of its hits needs the sentence-level reading."""

    question: bool
    quotation: bool
    report: bool  # a literal of _REPORT_CUES: a warning, a mention, a condemnation or a refutation


class Discourse:
    """The sentence-level reasons of the module docstring; ``fold`` is the scanner's per-character fold. Each method
    takes ``aligned`` as `ContextJudge.judge` does: the text folded in place, NUL where the fold deletes."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        self._fold = fold

    def frames(self, text: str, aligned: str | None = None) -> Frames | None:
        folded = aligned.replace("\0", "") if aligned is not None else self._fold(text)
        question = _QUESTION_MARK.search(text) is not None or "问" in folded or "吗" in folded
        quotation = _QUOTE_MARK.search(text) is not None
        report = bool(_REPORT_CUES.find_matches_as_indexes(folded))
        return Frames(question, quotation, report) if question or quotation or report else None

    def _folded(self, text: str, aligned: str | None, start: int, end: int) -> str:
        return self._fold(text[start:end]) if aligned is None else aligned[start:end].replace("\0", "")

    def asked_and_denied(self, text: str, start: int, end: int, aligned: str | None = None) -> bool:
        clause_start, clause_end = _clause(text, start, end)
        # 包过吗？没有哪家机构能保证包过: the answer names the claim it denies.
        asked = self._folded(text, aligned, clause_start, clause_end)
        if clause_start and text[clause_start - 1] in _QUESTION_ENDS and _DENIED_ANSWER.match(asked):
            return True
        mark = text[clause_end] if clause_end < len(text) else ""
        if mark not in _QUESTION_ENDS and not (_QUESTION_FORM.search(asked) and _REPORTED_QUESTION.search(asked)):
            return False
        answer_start = clause_end + 1
        if answer_start >= len(text):
            return False  # a question nobody answers: 能治失眠吗？ at the end of a title asks for the claim
        answer_end = _clause_end(text, answer_start)
        answer = self._folded(text, aligned, answer_start, answer_end)
        # 家人们，不保本 / 答：我是买家，自己感觉就是普通蜂蜜: the first short clauses only address or introduce.
        for _ in range(4):
            if _DENIED_ANSWER.match(answer):
                return True
            if len(answer) > 4 or answer_end + 1 >= len(text):
                return False
            answer_start = answer_end + 1
            answer_end = _clause_end(text, answer_start)
            answer = self._folded(text, aligned, answer_start, answer_end)
        return False

    def asked_by_viewer(self, text: str, start: int, end: int, aligned: str | None = None) -> bool:
        clause_start, clause_end = _clause(text, start, end)
        asked = self._folded(text, aligned, clause_start, clause_end)
        mark = text[clause_end] if clause_end < len(text) else ""
        if mark not in _QUESTION_ENDS and not _QUESTION_FORM.search(asked):
            return False
        quoted_from = _opening_quote(text, clause_start, start)
        if quoted_from is not None and _ASKED_BEFORE_QUOTE.search(
            self._folded(text, aligned, max(0, quoted_from - 6), quoted_from)
        ):
            return True  # 都有读者问：“到底哪天买最便宜？”: a question quoted as someone else's
        sentence_start = _sentence(text, start, end)[0]
        follows = ""
        if clause_end + 1 < len(text):
            follows = self._folded(text, aligned, clause_end + 1, _clause_end(text, clause_end + 1))
        if _CONFIRMED.match(follows):
            return False
        return bool(
            _VOCATIVE.match(text, sentence_start)
            or _VOCATIVE.match(text)
            or (follows and _DOUBT.search(asked))
            or _ASKER.match(follows)
            or _OTHERS_ASKED.match(text, sentence_start)
        )

    def reported_and_refuted(
        self, text: str, start: int, end: int, aligned: str | None = None, frames: Frames | None = None
    ) -> bool:
        clause_start, clause_end = _clause(text, start, end)
        quoted_from = _opening_quote(text, clause_start, start) if frames is None or frames.quotation else None
        reportable = frames is None or frames.report
        if quoted_from is None and not reportable:
            return False
        if _COURT_RECORD.match(self._folded(text, aligned, 0, min(len(text), 24))):
            return True
        sentence_start, sentence_end = _sentence(text, start, end)
        # 经查，当事人发布含有“国家级产品”等内容的广告，违反了…: a regulator's report quotes the offence.
        if quoted_from is not None and _CASE_REPORT.search(self._folded(text, aligned, sentence_start, sentence_end)):
            return True
        if not reportable:
            return False
        before = self._folded(text, aligned, clause_start, start)
        if _WARNED.search(before) or _MENTIONED.search(before):
            return True
        after = self._folded(text, aligned, end, clause_end)
        if _CONDEMNED.match(after) or _MENTIONED_AFTER.match(after):
            return True
        if _CONDEMNED_HEAD.match(self._folded(text, aligned, end, sentence_end)) and (
            _SWEEPING.search(self._folded(text, aligned, sentence_start, start)) or _ANYONE_SAYING.match(before)
        ):
            return True
        # A pattern's hit may open before the attribution that governs its claim (医美避坑：宣称“零风险…”).
        attributed = bool(_ATTRIBUTION.search(self._folded(text, aligned, clause_start, end))) or (
            quoted_from is not None
            and bool(_ATTRIBUTION.search(self._folded(text, aligned, clause_start, quoted_from)))
        )
        if (
            not attributed
            and not _DESCRIBED_PITCH.match(after)
            and not (
                clause_end + 1 < len(text)
                and _JUDGED_NEXT.match(self._folded(text, aligned, clause_end + 1, _clause_end(text, clause_end + 1)))
            )
            and not _CASE_AFTER.match(after)
            and not _REPORT_FRAME.search(self._folded(text, aligned, sentence_start, start))
            and not (sentence_start and _NOTICE_OPENING.match(self._folded(text, aligned, 0, min(len(text), 24))))
        ):
            return False
        next_end = _sentence(text, sentence_end + 1, sentence_end + 1)[1] if sentence_end < len(text) else sentence_end
        # The judgement may precede the words in the sentence (某机构因宣称零风险被处罚，报道说他们还用了前后对比图).
        return bool(_REFUTATION.search(self._folded(text, aligned, sentence_start, next_end)))

    def quoted_name(self, text: str, start: int, end: int, aligned: str | None = None) -> bool:
        opening = _opening_quote(text, max(0, start - _CLAUSE_REACH), start)
        if opening is None:
            return False
        if self._folded(text, aligned, max(0, opening - 8), opening).endswith(_NAMING_BEFORE_QUOTE):
            return True  # 店名叫“极品小龙虾”: the text says the quoted words are a name
        closing = next((i for i in range(end, min(len(text), end + _CLAUSE_REACH)) if text[i] in CLOSE_QUOTES), None)
        return closing is not None and bool(
            _NAMED_BY_QUOTE.match(self._folded(text, aligned, closing + 1, min(len(text), closing + 16)))
        )


def _clause_end(text: str, start: int) -> int:
    return _CLAUSE_AFTER.match(text, start).end()  # type: ignore[union-attr]  # {0,n} always matches


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``; quotation marks do not end it. The end is the index of its mark."""
    lo = max(0, start - _CLAUSE_REACH)
    before = _CLAUSE_BEFORE.match(text, lo, start)
    return (before.end() if before else lo), _clause_end(text, end)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``: from after the last sentence end before it to its own end mark."""
    lo = max(0, start - _SENTENCE_REACH)
    before = _SENTENCE_BEFORE.match(text, lo, start)
    return (before.end() if before else lo), _SENTENCE_AFTER.match(text, end).end()  # type: ignore[union-attr]


def _opening_quote(text: str, lo: int, start: int) -> int | None:
    """The index of the quotation mark that opens a quotation holding ``start``, looking back no further than ``lo``."""
    depth = 0
    for index in range(start - 1, lo - 1, -1):
        char = text[index]
        if char in CLOSE_QUOTES and char not in OPEN_QUOTES:
            depth += 1
        elif char in OPEN_QUOTES and char not in CLOSE_QUOTES:
            if depth == 0:
                return index
            depth -= 1
        elif char in "\"'" and text.count(char, lo, index) % 2 == 0:
            return index  # the same mark opens and closes: the first, third… of them before the hit opens one
    return None
