"""Fourteenth library round of issue #20 (library v88; the fifteen violations of outside_heldout14 the rules passed):
wording families the library lacked, each written as more than the row it came from.

Blocked (the statute is unambiguous):
- a city's or the town's own superlative, 最 or zui (第九条第三项): 京城zui正宗, 全城zui地道, 本地最专业 — the match
  starts at the scope, so the reading of 最 within the shop (本店…最正宗) is not applied; bare 最好 after 本地 is left
  out, as 本地最好提前预约 is advice;
- 封神 as a superlative (第九条第三项): 封神级别, 手艺封神, 全网封神 (the film 《封神》 passes);
- other shops that cannot compare (第九条第三项): 其他店都比不了;
- top级, 顶级 in English (第九条第三项; TOP级爆款, a sales rank with its own data question, is left to review);
- naming or renaming for luck (第九条第八项): 八字取名改运, 改完名字成绩都上来了;
- principal and interest promised back (第二十五条): 到期本息全返, 本金和收益全额返还;
- a refund of postage for a five-star review (《网络交易监督管理办法》第十四条): 改成五星就退一半运费.

Reviewed (the wording needs a fact checked or is a claim only in some readings):
- 抢到就是赚到 (a price pressed as below value), 过了…就没这个价 (a sale's end), another seller's price set against
  ours with bare figures (别家卖199我们只要99);
- ageing reversed by use (越用越年轻, 用完整个人都年轻了), body and constitution (调理身体, 改善体质, 亚健康人群),
  祛湿 and 湿气重的…喝, sleep after a drink (睡眠质量好很多);
- celebrities' private favourites (明星的私藏, 女星的心头好), and whole groups of members with a result
  (会员基本都瘦了).

The look-alikes are the same words where the law allows them: advice after 本地最好, the film and novel 《封神》,
laptop级, naming tips, a loan's repayment and a bank deposit's interest, hotel stars, buyers who got the goods,
things that wear in (越用越顺手), 调理 in cooking, a dehumidifier, curtains and sleep, a playlist, members' facilities,
a viewer quoting another shop's price."""

from __future__ import annotations

from tests.compliance.probes import (
    assert_entries_documented,
    blocked_test,
    lawful_test,
    reviewed_test,
)

from wanghong.compliance.engine import ViolationLibrary

BLOCKED = [
    ("本店烤鸭是京城zui正宗的，吃过一次就忘不掉", "ABS-216"),
    ("我家羊肉汤是全城zui地道的", "ABS-216"),
    ("本地最专业的开锁师傅就是我们", "ABS-216"),
    ("魔都最正宗的生煎就在这家", "ABS-216"),
    ("宠物店：洗护手艺在本市封神级别，其他店都比不了我们", "ABS-222"),
    ("这家的刀工直接封神", "ABS-222"),
    ("全网封神的一款扫地机", "ABS-222"),
    ("宠物店：洗护手艺在本市封神级别，其他店都比不了我们", "ABS-184"),
    ("别的店比不上我们家的手艺", "ABS-184"),
    ("家电维修：本地技术top级师傅，什么都能修好", "ABS-223"),
    ("TOP级品质的羊绒衫", "ABS-223"),
    ("t0p级别的音质", "ABS-223"),
    ("八字取名改运，改完名字孩子学习成绩都上来了", "SUP-053"),
    ("五行起名旺财", "SUP-053"),
    ("周易改名转运", "SUP-053"),
    ("改了名字以后财运就旺起来了", "SUP-053"),
    ("认养一棵果树，年回报20%，到期本息全返", "INV-099"),
    ("果园托管项目，三年后本金和收益全额返还", "INV-099"),
    ("到期连本带息全返，零风险", "INV-099"),
    ("改成五星就给您退一半运费，麻烦了亲", "FLS-054"),
    ("亲，把评价改成五星，给您补10元运费", "FLS-054"),
    ("给个好评就包邮费", "FLS-054"),
    ("打五星好评退差价", "FLS-054"),
]

REVIEWED = [
    ("倒计时5秒上链接，抢到就是赚到", "PRC-054"),
    ("拍到就是血赚，库存只有五十单", "PRC-054"),
    ("抢到手就是捡到宝", "PRC-054"),
    ("本周秒杀只剩最后两小时，过了就没这个价啦 #限时", "PRC-048"),
    ("错过这场就没有这个价格了", "PRC-048"),
    ("出了直播间可就没这个价", "PRC-048"),
    ("某平台同款，别家卖199我们只要99", "PRC-052"),
    ("外面卖299咱家只要129", "PRC-052"),
    ("实体店标价399这里只要199", "PRC-052"),
    ("用完皮肤水润透亮，越用越年轻", "COS-092"),
    ("这款面霜越抹越嫩", "COS-092"),
    ("涂了三个月，整个人都年轻了", "COS-092"),
    ("调理身体改善体质，适合亚健康人群", "HLT-090"),
    ("这款黄芪茶调养身体", "HLT-090"),
    ("亚健康人群的福音", "HLT-090"),
    ("祛湿茶，湿气重的朋友可以喝喝看", "HLT-085"),
    ("红豆薏米祛湿，早上来一杯", "HLT-085"),
    ("湿气重的姐妹可以泡着喝", "HLT-085"),
    ("睡前喝一杯，睡眠质量好很多", "FLS-091"),
    ("吃了两周，睡眠质量明显改善", "FLS-091"),
    ("泡一杯睡眠好多了", "FLS-091"),
    ("据说这款面霜是很多明星的私藏", "FLS-069"),
    ("这支口红是好几位女星的心头好", "FLS-069"),
    ("影后的梳妆台常客", "FLS-069"),
    ("健身房：办卡的会员基本都瘦了，你也可以", "FLS-096"),
    ("练了三个月，学员基本都瘦下来了", "FLS-096"),
]

LAWFUL = [
    "本地最好提前一天预约上门",
    "京城最早的一家烤鸭店开业于清朝",
    "全城最近的门店在人民路",
    "本店是京城老字号，烤鸭用果木挂炉",
    "《封神榜》连环画全套，品相如图",
    "封神演义人物手办，高约20厘米",
    "其他店比我们开得早",
    "桌面级和laptop级处理器的区别见参数表",
    "TOP10销量榜由平台统计，截至本月一日",
    "宝宝取名可以参考诗经和楚辞",
    "改名以后要去派出所更新户口本",
    "店铺改名啦，新名字叫小满杂货铺",
    "贷款到期需一次性归还本息",
    "理财有风险，本产品不承诺本息全额返还",
    "定期存款到期本息自动转存",
    "五星级酒店住宿套餐，退房时间为中午12点",
    "七天无理由退货，运费险退运费",
    "给五星好评是对我们最大的鼓励，不想给也没关系",
    "抢到的宝子记得备注尺码",
    "拍到的家人们明天统一发货",
    "这款键盘越用越顺手",
    "真皮沙发越用越有光泽",
    "我妈越活越年轻，天天跳广场舞",
    "番茄牛腩先用料酒调理一下",
    "调理肉类时加少许淀粉更嫩",
    "报告显示久坐办公族亚健康比例上升",
    "回南天湿气重，记得开除湿机",
    "除湿机一天能除湿十二升",
    "湿气重的朋友可以开除湿机",
    "湿气重的朋友别喝冰的",
    "湿气重的人不适合吃生冷",
    "换了遮光窗帘以后睡眠质量好很多",
    "最近天气凉快，睡眠质量好多了",
    "喝咖啡会影响睡眠质量，睡前别喝",
    "分享一下我的私藏歌单",
    "店长私藏款，数量不多",
    "歌手的私藏歌单",
    "会员都可以免费使用淋浴间",
    "顾客基本都是回头客",
    "别家卖199的款式我们也有，欢迎比较",
    "主播，别家卖199，你们多少？",
    "错过了也没关系，下周还有活动",
    "过了今天价格不变，放心拍",
]

NEW_ENTRIES = {"ABS-222", "ABS-223", "SUP-053", "INV-099", "PRC-054", "COS-092", "HLT-090", "FLS-096"}


test_statute_claims_block = blocked_test(BLOCKED)


test_claims_needing_a_fact_go_to_review = reviewed_test(REVIEWED)


test_look_alikes_pass = lawful_test(LAWFUL)


def test_round_fourteen_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED}
    assert ids >= NEW_ENTRIES
    assert_entries_documented(library, ids)


def test_library_version_is_88_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 88
