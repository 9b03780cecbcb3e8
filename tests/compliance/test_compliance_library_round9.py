"""Ninth library round of issue #20 (the tenth blind set's misses, outside_heldout10, now development data;
library v83): wording families the library lacked, each written as more than the row it came from:
- comparisons and data without a source (第十一、十三条; review): another seller's price (比金店/专柜便宜三百),
  a hinted competitor's buying price (比某鱼高二十), electricity use (一晚只要一度电), nutrition multiples
  (营养翻倍), exclusivity (全网独一家), athletes as endorsers (奥运选手都穿; a bare 冠军同款 stays lawful, as round 3 has it);
- guarantees (review): a fitness result (保证练出腹肌, 练不出来不收钱), a draw that always wins (必出, 不中包赔),
  a second-hand phone as good as new with an 官方授权 (第二十八条), plants that absorb radiation;
- food, cookware and body claims (第十七条; block): diseases that will never come (就不会近视), wounds healed in
  days (烫伤三天就好), cookware that 补铁/补钙, muscle and weight figures (增肌十斤, 瘦 ten 斤, 一个月掉十五斤),
  一贴见效; symptoms that never came back and a skin condition that receded (review);
- absolute claims (第九条第三项; block): a region's superlative after 我们家 (中国最好吃的), English superlatives
  (the best in China), a 国家级大师; state programmes as endorsers (航天员专用); superstition (吉日 that keeps a
  marriage); a collectible as an investment that rises by a share a year (第二十五条); a gift for a review;
- off-platform readings (《电子商务法》第三十二条): X信同号, paying the host after the order, 卫星号, 小蓝鸟, 走台外,
  直接V我, 加 with its object deleted (加看更多); 平台不让说 + 懂的都懂 and 主页有方式 (review).

Every claim is a new wording, none a row of any set; the look-alikes are the same words where the law
allows them (a price table with its source, a real event's champion, a calendar's 吉日, a disclosure)."""

from __future__ import annotations

import pytest
from tests.compliance.probes import assert_caught, assert_lawful

from wanghong.compliance.engine import ComplianceReviewer, ViolationLibrary
from wanghong.domain import Verdict as VerdictKind

BLOCKED = [
    ("全国最正宗的兰州拉面，就在我们家", "ABS-216"),
    ("这是全世界最好喝的咖啡", "ABS-216"),
    ("我们家的橙子是中国最甜的橙子", "ABS-216"),
    ("全网最专业的护肤团队", "ABS-216"),
    ("全世界最好用的拖把就是这款", "ABS-216"),
    ("全网最权威的育儿课", "ABS-216"),
    ("Our tea is the best in the world", "ABS-217"),
    ("this jacket is number one in China", "ABS-217"),
    ("We are the best，不服来比", "ABS-217"),
    ("world's best 蜂蜜，纯天然", "ABS-217"),
    ("this coffee is the best in town", "ABS-217"),
    ("number one brand 的洗发水", "ABS-217"),
    ("世界级大师亲手雕刻的玉佩", "ABS-218"),
    ("国家级工艺大师纯手工打造的紫砂壶", "ABS-218"),
    ("国宝级老师傅手工炒制的龙井", "ABS-218"),
    ("顶级大师亲制的手串", "ABS-218"),
    ("宇航员专用的太空巧克力", "AUTH-039"),
    ("航天员都在喝的牛奶", "AUTH-039"),
    ("国家队指定的运动饮料", "AUTH-039"),
    ("中科院推荐的益生菌", "AUTH-039"),
    ("神舟航天员同款的速溶咖啡", "AUTH-039"),
    ("人民大会堂专用的茶杯", "AUTH-039"),
    ("这个膏药一贴就好", "COS-078"),
    ("面膜一敷就见效", "COS-078"),
    ("止痛贴一贴止痛", "COS-078"),
    ("这个冷敷贴一敷就消肿", "COS-078"),
    ("好评截图发我，送您两包湿巾", "FLS-054"),
    ("五星好评送你一个小礼物", "FLS-054"),
    ("晒单好评送您1瓶洗手液", "FLS-054"),
    ("好评追评送你两包洗衣凝珠", "FLS-054"),
    ("喝两周增重五斤，瘦子福音", "HLT-050"),
    ("这款增肌粉一个月长肌肉八斤", "HLT-050"),
    ("不用健身也能练出腹肌，全靠这款代餐", "HLT-050"),
    ("减脂茶 one month 瘦 twenty 斤", "HLT-050"),
    ("这个酵素三周掉了八斤", "HLT-050"),
    ("坚持十天减了六斤，姐妹们冲", "HLT-050"),
    ("一个星期掉了四斤，这奶昔太绝了", "HLT-050"),
    ("喝这个 two weeks 瘦 five 斤", "HLT-050"),
    ("蛋白棒吃一个月增重六斤", "HLT-050"),
    ("收藏茅台就是投资，每年涨两成，稳的", "INV-076"),
    ("买黄金就等于理财，一年涨三成", "INV-076"),
    ("这套邮票每年升值五成，放心买", "INV-076"),
    ("年年涨三成，稳赚不赔的古树茶", "INV-076"),
    ("买这套金币就是理财，每年涨两成", "INV-076"),
    ("每天喝一杯，老人就不会得老年痴呆", "MED-144"),
    ("吃我们的钙片，再也不会骨质疏松", "MED-144"),
    ("孩子天天吃这个，永远不会感冒", "MED-144"),
    ("孩子吃了不再便秘，奶片真好", "MED-144"),
    ("坚持喝这款茶，从此不再长结石", "MED-144"),
    ("每天吃一把黑豆，头发就不会白，人也不会得高血压", "MED-144"),
    ("喝了我们的豆浆，老人就不会骨质疏松", "MED-144"),
    ("这款铝锅炒菜补钙，老人必备", "MED-145"),
    ("用这个砂锅煲汤能养胃", "MED-145"),
    ("这款砂锅炖汤补血，女生必备", "MED-145"),
    ("糖友喝了这个茶，血糖稳住了", "MED-145"),
    ("缺钙的老人吃了这个饼干，骨头都硬了", "MED-145"),
    ("喝了一个月，血压一直稳当", "MED-145"),
    ("这口不粘锅炒菜能补铁", "MED-145"),
    ("贫血的朋友放心吃，红枣补血", "MED-145"),
    ("这个药膏抹上，烧伤两天就好", "MED-151"),
    ("芦荟胶涂在伤口上，三天就愈合", "MED-151"),
    ("冻疮一晚就消了，用我们的冻疮膏", "MED-151"),
    ("仙人掌切开直接敷在烫伤上", "MED-151"),
    ("这个红药水涂上，擦伤一天就结痂", "MED-151"),
    ("獾油抹在烫伤上，两天就好了", "MED-151"),
    ("V信同号，下单前先联系我", "OFF-053"),
    ("嶶信同号的朋友直接加", "OFF-053"),
    ("威信同号，搜手机号", "OFF-053"),
    ("伟信同号，备注直播间", "OFF-053"),
    ("下单后直接转我，我给你改价", "OFF-058"),
    ("拍了之后私下转给我就行", "OFF-058"),
    ("付款后单独转我吧，能便宜", "OFF-058"),
    ("下单后直接转给我，我这边给你返钱", "OFF-058"),
    ("卫星在我主页，自己去找", "OFF-065"),
    ("小黄鱼私我，价格好谈", "OFF-065"),
    ("纸飞机聊，这里不方便", "OFF-065"),
    ("想便宜的走台外", "OFF-065"),
    ("平台外交易更便宜", "OFF-065"),
    ("私下V我，给你留货", "OFF-065"),
    ("卫星就在我简介里", "OFF-065"),
    ("纸飞机私我，货源充足", "OFF-065"),
    ("走平台外交易，价格好商量", "OFF-065"),
    ("合婚选日子，保证你们白头偕老", "SUP-047"),
    ("找我们看日子，包你家里旺", "SUP-047"),
    ("八字合了，保证婚姻美满", "SUP-047"),
    ("找大师选吉日开业，保证生意旺", "SUP-047"),
]

REVIEWED = [
    ("回收价比某鱼高二十块", "ABS-214"),
    ("我们的收购价比某宝多10块一斤", "ABS-214"),
    ("报价比某东低五十", "ABS-214"),
    ("我们收二手比某转高一百", "ABS-214"),
    ("这款茶全网独一家，别处买不到", "ABS-219"),
    ("独此一家，别无分店", "ABS-219"),
    ("这个口味全平台独一家", "ABS-219"),
    ("这种口味全城独一家", "ABS-219"),
    ("用了三天，红血丝淡了很多", "COS-089"),
    ("这款精华敏感肌也能放心用", "COS-089"),
    ("敷完脸上的刺痛都消了", "COS-089"),
    ("激素脸用了一周，泛红消下去了", "COS-089"),
    ("这款乳液用了两天，脸上瘙痒都消了", "COS-089"),
    ("用了一周，红肿退了很多", "COS-089"),
    ("这款奶瓶不含任何有毒物质", "FLS-050"),
    ("床垫没有任何有害物质，放心睡", "FLS-050"),
    ("新生儿衣服，无任何有害成分", "FLS-050"),
    ("这款砧板不含任何重金属", "FLS-050"),
    ("纸尿裤不含任何有害成分", "FLS-050"),
    ("世界冠军都在用这款拍子", "FLS-069"),
    ("国家队运动员也在穿我们家的跑鞋", "FLS-069"),
    ("球星们都穿这款球鞋上场", "FLS-069"),
    ("亚运冠军都在喝我们的电解质水", "FLS-069"),
    ("名将们也在用这款护腕", "FLS-069"),
    ("这款高压锅比普通锅高出两倍营养", "FLS-077"),
    ("蒸出来的饭营养加倍", "FLS-077"),
    ("破壁机打出来营养翻了三倍", "FLS-077"),
    ("比传统方法多出五倍花青素", "FLS-077"),
    ("用这个锅蒸鸡蛋营养翻番", "FLS-077"),
    ("跟着我们练，保证两个月练出马甲线", "FLS-084"),
    ("练不出来就退钱，私教课限时优惠", "FLS-084"),
    ("保证三十天练出人鱼线", "FLS-084"),
    ("这台冰箱一天只要零点五度电", "FLS-085"),
    ("除湿机一整晚只用半度电", "FLS-085"),
    ("这款电暖器每晚只要两度电，电费省一半", "FLS-085"),
    ("换了这台热水器，电费省到离谱", "FLS-085"),
    ("这台洗碗机一天只需半度电", "FLS-085"),
    ("这个取暖器每天只要三度电", "FLS-085"),
    ("福袋必中大奖，百分百中", "FLS-086"),
    ("盲盒必出隐藏款", "FLS-086"),
    ("抽卡保底必出金卡，不中退款", "FLS-086"),
    ("扭蛋稳出限定", "FLS-086"),
    ("抽皮肤必出限定，不中双倍赔", "FLS-086"),
    ("华为官方认证的二手手机，放心买", "FLS-087"),
    ("官翻机跟新机一模一样", "FLS-087"),
    ("这台二手车质量跟新车一样", "FLS-087"),
    ("原厂授权翻新，品质与新品相同", "FLS-087"),
    ("官方认证的准新机，和新机1样", "FLS-087"),
    ("绿萝放家里能吸甲醛，新房必备", "FLS-088"),
    ("仙人球可以吸收手机辐射", "FLS-088"),
    ("虎皮兰能去除有害气体", "FLS-088"),
    ("竹炭包专门吸甲醛", "FLS-088"),
    ("吊兰能吸收二手烟", "FLS-088"),
    ("换了我们家的湿巾，宝宝再也没长过湿疹", "HLT-078"),
    ("用了这个爽身粉，孩子再没起过痱子", "HLT-078"),
    ("喝了这款奶粉，宝宝再也没便秘过", "HLT-078"),
    ("换了这款护手霜，冬天再也没皲裂", "HLT-078"),
    ("换了这款枕头，孩子再也没起过湿疹", "HLT-078"),
    ("快手不让说，你懂的，看简介", "OFF-066"),
    ("简介有方式，想要的来", "OFF-066"),
    ("头像上有方式，自己看", "OFF-066"),
    ("平台不让说，懂的来", "OFF-066"),
    ("比专柜便宜三百多，同一个批次", "PRC-052"),
    ("这台手机比实体店便宜五百块", "PRC-052"),
    ("同款钻戒比商场便宜两千", "PRC-052"),
    ("比药店便宜一半，放心囤", "PRC-052"),
    ("这条金项链比银楼便宜两百多", "PRC-052"),
    ("比4S店便宜三千，同一款原厂机油", "PRC-052"),
]

CAUGHT = [
    ("减脂营包你三十天瘦掉十斤", "FLS-084"),
    ("瘦不下来全额退款，放心报名", "FLS-084"),
]

LAWFUL = [
    "比金店便宜多少？请看详情页的价格对比表，金价来源：上海黄金交易所当日报价",
    "去金店买之前可以先对比一下工费",
    "专柜也有这款，可以去试穿",
    "比商场方便，送货上门",
    "某鱼上有人冒充我们，认准官方店铺",
    "他比某人高一个头，穿这件刚好",
    "回收价以质检结果为准",
    "他是本届马拉松冠军，赛后接受了采访",
    "选手们都穿号码布上场",
    "冠军奖杯模型，适合做摆件",
    "冠军同款训练计划，我们不卖鞋，只是分享",
    "宝宝红屁股要及时换尿布，严重请就医",
    "再也没见过这么软的纸尿裤",
    "这款爽身粉不能预防痱子，只是让皮肤干爽",
    "增肌需要配合训练和饮食，别指望一罐蛋白粉",
    "这件衣服穿着显瘦",
    "这箱苹果十斤装，快递三天到",
    "不练也能吃吗？可以，就是普通零食",
    "保证正品，假一赔三",
    "私教课一对一指导，效果因人而异",
    "练出腹肌需要长期坚持和科学饮食",
    "不满意七天无理由退款",
    "这台空调一级能效，能效标识上写着每年耗电量",
    "昨晚空调开了一夜，用了三度电",
    "电费怎么交？在电力公司的APP上交",
    "空调温度调到二十六度比较省电",
    "中国最早的茶叶产地之一就在这里",
    "全国最早的一批茶园在这里，史料有记载",
    "我们的目标是成为全国最好的大米品牌",
    "中国最好吃的大米是什么？每个人口味不同",
    "best before 日期见包装底部",
    "The Best of Me 是这首歌的名字",
    "Have the best day 印花T恤",
    "孩子不会近视吗？不是的，还是要少看手机",
    "多户外活动，孩子不容易近视",
    "这款台灯不会闪，但不能治疗近视",
    "烫伤后先用冷水冲十五分钟，然后去医院",
    "伤口三天内不要碰水",
    "这把刀很锋利，小心割伤",
    "这款贴纸一贴就牢，不掉",
    "一贴一撕，手机膜很好贴",
    "暖宝宝一贴就热，持续八小时",
    "补铁的话可以吃含铁的保健食品，看清蓝帽子标志",
    "这口铁锅不涂层，炒菜不粘",
    "贫血人群请遵医嘱",
    "血糖仪测量更稳的是这一款",
    "任何问题都可以找客服",
    "孕妇能不能用请先咨询医生",
    "检测报告显示未检出有害物质，报告编号见详情页",
    "营养均衡很重要，每天要吃蔬菜",
    "比普通锅大一圈，一家五口够用",
    "这锅汤营养丰富，老人孩子都爱喝",
    "晒伤泛红请及时冷敷并就医",
    "敏感肌能用吗？建议先在耳后试用",
    "用完有刺痛感请立即停用",
    "这款奶粉的包装印着航天主题图案",
    "国家队比赛今晚八点直播",
    "中科院的科普文章说要多喝水",
    "下单就送您一包纸巾",
    "给个关注，下次开播送您优惠券",
    "好评如潮，送您一包试用装先试试",
    "投资有风险，收藏需谨慎，本店不承诺升值",
    "每年涨价是因为原料成本上涨",
    "一年四季都能喝的普洱",
    "婚期吉日日历，二零二六年版，仅供参考",
    "保证正品，吉日开业大酬宾",
    "婚后生活靠经营，不是靠选日子",
    "中国工艺美术大师张某作品，证书编号见详情页",
    "国家级非物质文化遗产代表性项目，名录可查",
    "老师傅手工打造，每件都有编号",
    "短信同号通知，请留意",
    "手机号已认证",
    "微信支付和支付宝都可以在平台付款",
    "拍下后直接转发给朋友也可以",
    "拍下后系统自动发货",
    "付款后请耐心等待发货",
    "北斗卫星号称全球第二大导航系统",
    "小蓝鸟毛绒玩具，孩子很喜欢",
    "增加看点，我们今天拍外景",
    "关注主播，加购看更多款式",
    "使用方式见详情页",
    "付款方式只能在平台内选择",
    "懂的都懂，这个价格真的很良心",
    "我们家在全网只有这一家店，没有分店",
    "独家记忆系列的包装很好看",
    "这家店就一家，没有分店",
    "抽奖规则见公告，中奖概率已公示",
    "盲盒随机发货，不支持指定款式",
    "中奖名单请看评论区置顶",
    "二手机，成色九五新，有使用痕迹",
    "全新机和二手机的区别请看详情页",
    "苹果官方授权经销商，授权书编号见店铺资质",
    "绿萝好养活，放办公桌很合适",
    "新房装修完请通风，植物不能代替通风",
    "仙人掌不用常浇水",
    "金价比昨天便宜了，上海金交所报价",
    "本店赞助了市马拉松比赛，冠军奖品是我们的跑鞋",
    "这袋面粉五斤装",
    "一个月后减重多少因人而异，请咨询营养师",
    "保证发货速度，当天下单当天发",
    "这台空调的制冷量是三千五百瓦",
    "全国最高气温今天出现在吐鲁番",
    "best wishes 贺卡，一套十张",
    "吃了药就不会疼了吗？请遵医嘱",
    "伤口愈合需要时间，请按时换药",
    "这个冰袋一敷就凉，适合夏天",
    "铁锅用完要擦干防锈",
    "营养成分表见包装背面",
    "皮肤泛红可能是过敏，请停用就医",
    "航天主题的拼装玩具，适合八岁以上",
    "关注店铺领优惠券",
    "每年涨工资的感觉真好",
    "开业吉日是老板自己选的",
    "老师傅手工炒制的龙井",
    "手机号同号注册",
    "卫星发射直播今晚八点",
    "付款方式有花呗和信用卡",
    "这家店是小区里的独一家面包店吗？不是，还有两家",
    "抽奖活动已结束，中奖名单已公布",
    "二手手机，电池健康度八十五，请看实拍",
    "多肉植物喜欢阳光，别放太阴的地方",
]


@pytest.mark.parametrize(("text", "entry_id"), BLOCKED)
def test_statute_claims_block(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    verdict = reviewer.review(text)
    assert verdict.verdict is VerdictKind.BLOCK, (text, verdict.hits)
    assert entry_id in {hit.entry_id for hit in verdict.hits}, (text, verdict.hits)


@pytest.mark.parametrize(("text", "entry_id"), REVIEWED)
def test_claims_that_need_a_fact_checked_go_to_review(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    verdict = reviewer.with_window(None).review(text)
    assert verdict.verdict is VerdictKind.REVIEW, (text, verdict.hits)
    assert entry_id in {hit.entry_id for hit in verdict.hits}, (text, verdict.hits)


@pytest.mark.parametrize(("text", "entry_id"), CAUGHT)
def test_claims_another_entry_also_flags_are_caught(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    assert_caught(reviewer, text)
    assert entry_id in {hit.entry_id for hit in reviewer.review(text).hits}, text


@pytest.mark.parametrize("text", LAWFUL)
def test_look_alikes_pass(reviewer: ComplianceReviewer, text: str) -> None:
    assert_lawful(reviewer, text)


def test_round_nine_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED + CAUGHT}
    by_id = {entry.id: entry for entry in library.entries}
    assert ids <= set(by_id)
    for entry_id in ids:
        entry = by_id[entry_id]
        assert "《" in entry.article and "》" in entry.article, entry_id
        assert len(entry.explanation) >= 20 and any("\u4e00" <= ch <= "\u9fff" for ch in entry.explanation), entry_id
        assert entry.triggers and entry.examples, entry_id


def test_library_version_is_83_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 83
