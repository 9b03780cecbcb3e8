"""Thirteenth library round of issue #20 (library v87; the twelve block rows of outside_heldout13 that only the
statistical model sent to review): wording families the library lacked, each written as more than the row it came
from:
- guaranteed income from a course or scheme (第二十五条、第二十四条; block): 保证每个月多赚N, 没赚到来找我/退学费;
- absolute efficacy of repellents and pesticides (第二十一条; block): 100%防蚊, 蚊子都不咬, 一次根除, 蟑螂永不再来
  (100%驱蚊/杀虫 stays with FLS-045, the medium 功效率百分之百 entry, which reads the same span);
- off-platform trading (《网络直播营销管理办法（试行）》第十八条; block): 群里直接转账, 私下…比直播间便宜;
- guaranteed yield of farm inputs (第二十七条; block): 亩产翻倍保证 (the normaliser deletes 💯), 不增产包退;
- growth claims for children's food (第十七条; block): 宝宝吃了长个子快;
- a food after which the drugs were stopped (第十七条; block): 高血压药都停了;
- a collectible's or investment's multiple over a stated time (第二十五条; block): 三年翻十倍;
- white hair that stops growing, hair that grows blacker (第十七条; block): 白发都不长了;
- 特供 and 中南海 written in pinyin (第九条第二项; block): 特g, 中nan海 (the regular expression reads the normalised
  text, so the pinyin forms are written out);
- spots or wrinkles gone overnight (《化妆品监督管理条例》第四十三条; block): 第二天斑就没了;
- toothpaste curing gum disease (第十七条, 牙膏 managed as a cosmetic; block): 牙zhou炎就好了, 牙龈不再出血.

Every claim is a new wording, none a row of any set; the look-alikes are the same words where the law allows them
(a risk warning, usage instructions, a collectible's issue facts, a dye's colour result, a registered toothpaste
efficacy wording, 特价茶)."""

from __future__ import annotations

from tests.compliance.probes import (
    assert_entries_documented,
    blocked_test,
    lawful_test,
)

from wanghong.compliance.engine import ViolationLibrary

BLOCKED = [
    ("报名这个副业课，包你每月多挣八千", "INV-097"),
    ("跟着老师炒，保证一个月赚两万", "INV-097"),
    ("训练营学完没挣到钱全退学费", "INV-097"),
    ("户外驱虫喷雾十足防虫，一喷一整天", "FLS-095"),
    ("贴上这个驱蚊贴，蚊子再也不叮宝宝了", "FLS-095"),
    ("灭蟑胶饵百分之百灭蟑", "FLS-095"),
    ("杀虫粉一撒死光光，一只不剩", "FLS-095"),
    ("除螨喷雾一次除根，螨虫再也不来", "FLS-095"),
    ("灭鼠药放下去，老鼠永不再来", "FLS-095"),
    ("进群后群里可以直接下单，价格更低", "OFF-060"),
    ("私聊我，私下拍比小黄车便宜三十", "OFF-060"),
    ("我拉大家进群，群内统一转账发货", "OFF-060"),
    ("这款叶面肥保证产量翻倍没问题", "FLS-057"),
    ("生根剂用了不丰收就退钱", "FLS-057"),
    ("冲施肥用了减产包赔", "FLS-057"),
    ("孩子喝了这款奶粉长个子特别快", "HLT-072"),
    ("娃吃了这个钙片蹿个明显", "HLT-072"),
    ("宝贝吃完这款辅食长得快", "HLT-072"),
    ("我爸喝了这个蜂胶，降糖药都不吃了", "MED-164"),
    ("坚持喝了三个月，血压的药也停掉了", "MED-164"),
    ("这款茶泡了半年，药全停了", "MED-164"),
    ("这套邮票收藏价值高，五年涨了三倍", "INV-098"),
    ("茅台老酒放两年翻五倍", "INV-098"),
    ("这幅字画收藏价值高，五年翻三倍", "INV-098"),
    ("用了这个洗发水，白头发再也不长了", "MED-155"),
    ("坚持用了三个月，新长的头发越来越黑", "MED-155"),
    ("这款精华白发少长了", "MED-155"),
    ("中南海专用的酒厂出品", "AUTH-041"),
    ("中nan海同款茶具", "AUTH-041"),
    ("特g大红袍，今天开价", "AUTH-041"),
    ("敷了一晚雀斑就没了", "COS-091"),
    ("这款霜用三天法令纹全不见了", "COS-091"),
    ("用了痘印直接消失了", "COS-091"),
    ("用了这款牙膏，牙龈炎三天就好了", "MED-182"),
    ("口腔溃疡刷两次就消了", "MED-182"),
    ("坚持刷，牙龈从此不再出血", "MED-182"),
]

LAWFUL = [
    "理财有风险，投资需谨慎，本课程不承诺任何收益",
    "这个月店里多赚了五千块，谢谢大家支持",
    "驱蚊手环请佩戴在手腕处，每片有效期约七天",
    "晚上蚊子多，记得关好纱窗",
    "蟑螂药使用方法：放置在蟑螂常出没的角落，每两周更换一次",
    "杀虫剂请远离儿童和宠物存放",
    "有问题可以在粉丝群里留言，下单请在直播间",
    "群里每天发直播预告，购买统一走小黄车",
    "复合肥施后及时浇水，存放于阴凉处",
    "施用复合肥可改善土壤养分，增产效果因地块和管理而异",
    "辅食米粉适合六个月以上宝宝，含铁锌钙",
    "宝宝长个子的阶段要保证睡眠",
    "正在服药的朋友，喝之前请先咨询医生",
    "驼奶粉每袋二十五克，冲调水温四十度",
    "这套纪念币面额十元，发行量三千万枚，直径二十七毫米",
    "纪念币收藏请放在干燥处，避免氧化",
    "染发膏染完是自然黑色，能遮盖白发",
    "白发长出来以后需要补染",
    "特价茶，今天直播间破价",
    "大红袍产自武夷山，岩韵明显",
    "面膜补水保湿，敷完第二天皮肤很水润",
    "斑马纹的面膜包装，送人好看",
    "含氟牙膏，有助于防蛀",
    "这款牙膏有助于减轻牙龈问题",
    "牙龈出血可能是牙周炎，请及时就医",
]

NEW_ENTRIES = {"INV-097", "INV-098", "FLS-095", "AUTH-041", "COS-091", "MED-182"}


test_statute_claims_block = blocked_test(BLOCKED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_thirteen_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED}
    assert ids >= NEW_ENTRIES
    assert_entries_documented(library, ids)


def test_library_version_is_87_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 87
