"""Sixth round of issue #20 (outside_heldout6): kinds of advertising the library still lacked, written
article by article:
- state organs (《广告法》第九条第二项): officials tasting or using a product, a regulator's "认证的放心店";
  patriotism as a selling point (第九条第一项、第七项);
- discrimination (第九条第六项; 《消费者权益保护法》第十条): gender stereotypes, who "才配" buy, refusing to sell
  to the people of a province;
- minors (第十条、第二十条、第四十条): eating a dozen packs, infant formula that replaces breast milk, 起跑线
  anxiety, child presenters with their own marks as proof (第三十八条第二款、第二十四条);
- data without a source (第十一条), longevity, disparaging competitors as toxic (第十三条), patients' testimony
  (第十六条), choosing a child's sex, myopia that recedes, medical aesthetics that change one's life, 告别小肚腩;
- alcohol as relief from stress, stock tips with a monthly return, aesthetics that last for life, additives
  called natural, cosmetics that kill germs, ornaments that raise one's luck (gold-block kinds only a review
  entry caught);
- feed, seeds and agricultural endorsers (第二十一条、第二十七条; 《种子法》第二十三条), drinking before driving
  (第二十三条), student marks as proof (第二十四条), virtual currency and loans to students (第二十五条),
  daily interest rates (人民银行公告〔2021〕第3号);
- fake urgency and 指导价 (《明码标价和禁止价格欺诈规定》第十九条), celebrities' "私下也在用", traffic faked
  by staff and sock puppets (《网络直播营销管理办法（试行）》第十八条), 没有中间商, 没有任何农药, collectibles'
  appraised value and imperial provenance, guaranteed matchmaking, health lectures that sell
  (第十九条), patent applications (第十二条第二款), lucky charms (第九条第八项).

The first batch of claims is mine; the second was written fresh after the first was caught and was caught
34 of 41 before the fixes it prompted. Lawful look-alikes (a data source given, shipping notes for remote
regions, the same words in other senses) must pass."""

from __future__ import annotations

import pytest
from tests.compliance.probes import caught_test, lawful_test

from wanghong.compliance.engine import ComplianceReviewer, ViolationLibrary
from wanghong.domain import Verdict as VerdictKind

CLAIMS = [
    "副省长亲自试吃过我们的腊肠",
    "这款白酒局长都特意品鉴过",
    "市长亲口尝了说地道",
    "区市场监管局评定的诚信商家，放心下单",
    "卫健委认定的示范单位产品",
    "工商局颁发的金牌店铺",
    "爱国就要买这个牌子的手机",
    "是中国人就下单支持",
    "不买就是不爱国",
    "女司机再笨也能停进去",
    "女人脑子笨，用这个就会算账了",
    "胖子男生根本没人要，快买这件显瘦",
    "矮个子女生嫁不出去，穿上增高鞋就好了",
    "穿了才算真男人",
    "皮肤白的人才配用这个色号",
    "有钱人才配拥有这块表",
    "新疆人勿拍",
    "本店不卖给东北人",
    "四川的人别拍，不接待",
    "小朋友一次吃五袋都不过瘾的果冻",
    "孩子一天喝十瓶都没事的饮料",
    "这款奶粉可以完全代替母乳",
    "配方营养胜过母乳",
    "比母乳还有营养的婴儿奶粉",
    "别让孩子输在起跑线，报名就送教材",
    "赢在起跑线，从这套早教卡开始",
    "九岁小博主：用了这个点读笔，我的成绩提高了25分",
    "小学生主播分享：成绩进步了40分",
    "95%的用户表示一周见效",
    "九成的宝妈都选了我们家",
    "百分之八十的消费者都说好用",
    "喝了这款茶能多活二十年",
    "坚持吃能延寿",
    "别的牌子都含有甲醛，只有我们不含",
    "外面的洗发水全都加了激素",
    "病友现身说法：吃了三个月全好了",
    "患者自述：做完第三天就出院了",
    "吃了这个调理方，保证生儿子",
    "备孕喝这个，包你怀上龙凤胎",
    "戴上这副眼镜，近视度数三个月就降了",
    "这款护眼仪用一个月，弱视治好了",
    "用了眼贴，视力提升到5.0",
    "整形之后人生逆袭，走上人生巅峰",
    "割完双眼皮直接改命",
    "告别大象腿，就喝这款奶昔",
    "一周甩掉游泳圈的代餐粉",
    "这款预混料喂三个月，每头猪多长五十斤",
    "鸡饲料一用，一只鸡增重三斤",
    "农科院推荐的复合肥",
    "养殖大户亲测：这款兽药效果好",
    "种植户现身说法，用了这个种子大丰收",
    "玉米种子抗一切病虫害",
    "保证不减产的小麦良种",
    "未经审定的玉米新品种，今年特价",
    "这个新稻种比普通稻增产两成",
    "开车的时候来两口，不犯困",
    "跑长途路上喝一杯，精神一整天",
    "学员小李听了三节课，提分80分",
    "孩子上了半年课，涨了100分",
    "比特币带单，稳赚不亏",
    "跟着老师炒币，日入过万",
    "一天赚几千，宝妈在家就能做",
    "大学生凭学生证就能借五千",
    "只要身份证即可下款",
    "再也买不到这个价了，赶紧",
    "今天不买明天就涨价",
    "吊牌价1299是官方指导价，直播间只要399",
    "某天后亲自代言，她私下也在用",
    "影帝自用的同款剃须刀",
    "大家先别确认收货，帮我们刷一下销量，之后退",
    "安排几个小号在评论区夸一夸",
    "让场控在公屏刷一波",
    "工厂直发，没有任何中间商赚差价",
    "我们自家果园从来不打农药",
    "蔬菜零农残",
    "这串蜜蜡专家估价值五十万",
    "乾隆御用的玉扳指，今天福利价",
    "皇宫流出的老物件",
    "相亲会员保证三个月脱单",
    "红娘包成功，不成全额退",
    "美女会员随便挑，男士交钱就能约",
    "养生讲座最后介绍一下我们的降压茶",
    "健康课讲完顺便推荐灵芝胶囊",
    "开运手链戴上就发财",
    "全靠这串招财手串，今年财运滚滚",
    "日利率低至万分之三，随借随还",
    "月息仅0.8%，轻松周转",
    "这个产品已经申请了国家专利",
    "专利申请中，敬请期待",
    "这款精华比水光针还管用",
    "面膜比做医美效果还明显",
    # second batch, written fresh after the first was fixed: 34 of 41 caught before the fixes
    "县委书记专门来买过我们的米",
    "这家店是区政府授牌的放心店铺",
    "爱国的都来支持国货，必须下单",
    "女的开车技术差？装了这个再笨都不怕",
    "丑的女生找不到对象，快来整",
    "只有瘦的人才配穿这条裙子",
    "广西人免拍，谢谢",
    "小朋友一口气喝五瓶都不够的乳酸菌",
    "这款羊奶粉营养等同于母乳",
    "别让娃输在起跑线上，早教要趁早",
    "十岁小模特：用了这支笔，我的分数提升了50分",
    "88%的女性反馈一周白了一个度",
    "八成的家长都选择了我们",
    "吃这个米能长寿",
    "隔壁家的纸巾都有荧光剂，只有我们家干净",
    "病人来信：吃了两个疗程血压正常了",
    "这副药保证你生个女儿",
    "这款眼镜戴一年，散光消失了",
    "做了隆鼻，人生直接开挂",
    "一个月告别双下巴",
    "用这个浓缩料，一头牛多长一百斤",
    "兽医站推荐的驱虫药",
    "这个辣椒苗不怕任何病害",
    "这种水稻比普通品种高产两倍",
    "开车前整两口，提提神",
    "孩子上了我们的网课，提分50分不是梦",
    "币圈大佬带单，月入十万",
    "在校大学生凭身份证就能贷",
    "以后永远没有这个价格了",
    "原价999是厂家指导价，今天199",
    "天王私下都在用的洗面奶",
    "评论区刷起来，让水军多发点好评",
    "产地直供，砍掉所有中间环节",
    "我们的大米没用一滴农药",
    "大师鉴定为明代官窑，价值千万",
    "婚介所承诺一百天内脱单",
    "养生课结束前推荐一款降糖口服液",
    "戴上招财貔貅，好运挡不住",
    "日息仅万分之三，放心借",
    "面霜比打针还管用",
    "专利正在申请，全网独家",
    # gold-block kinds that only a review entry caught: alcohol as relief, stock tips, lasting aesthetics
    "喝两杯这款米酒，烦恼全没了",
    "荐股服务月收益20%以上，亏了包赔",
    "吸脂之后永久不反弹",
    "配料里的苯甲酸钠是天然的",
    "这款面霜杀菌消炎",
    "家里摆上这对貔貅，财运节节高",
]

LAWFUL = [
    "宽松版型女装，一百八十斤的姐妹也能穿",
    "偏远地区不包邮，新疆西藏需补运费",
    "新疆西藏青海暂不发货，敬请谅解",
    "本店仅限本市同城配送",
    "据中国消费者协会2023年调查报告，九成受访者关注食品安全",
    "数据来源：第三方检测机构报告编号2024-015，90%的受试者表示满意",
    "母乳喂养对宝宝有益，提倡母乳喂养",
    "本品不能替代母乳，请遵医嘱",
    "母乳不足的宝妈可以咨询医生",
    "马拉松起跑线前大家注意热身",
    "视力下降请及时到医院检查",
    "近视的朋友下单时备注度数",
    "这款酒的度数降低到了三十八度",
    "每天多活动活动，对身体好",
    "活到老学到老，读书永远不晚",
    "拜托大家在评论区说一下身高体重",
    "小号偏大，评论区说下身高给您推荐",
    "这件马甲很百搭，评论区说一下想要的颜色",
    "拍好的宝宝在公屏扣已拍，给你们备注",
    "下单后记得确认收货，有问题联系客服",
    "黄金转运珠，足金999，克重见详情",
    "招财猫摆件，开业送礼好看",
    "这款婚纱包你结婚当天好看",
    "公司领导亲自带队来直播间",
    "我们老板亲自试吃每一批货",
    "交费即可约课，课程老师一对一",
    "本产品已取得发明专利，专利号ZL201810000000.1",
    "黑色的别拍了，没货了",
    "偏胖的姐妹别拍这款，版型偏小",
    "手再笨也能学会的编发教程",
    "中国人都买得起的好车",
    "国庆节快乐，挂国旗迎国庆",
    "有机蔬菜通过有机认证，认证编号见详情",
    "农药残留检测合格，检测报告见详情",
    "我们是源头工厂，欢迎来厂参观",
    "这款精华不是医美，不能替代医美项目",
    "贷款利率以实际审批为准，请理性借贷",
    "养殖户朋友们好，今天讲讲饲料怎么保存",
    "本店支持七天无理由退货",
    "这把椅子承重两百斤",
    "猪肉每斤涨了两块钱",
    "比特币相关业务本直播间不涉及",
    "学生不能申请本平台贷款",
    "划线价说明见商品详情页",
    "演员同款发型教程",
    "红娘服务收费标准见详情，不承诺结果",
    "健康讲座免费参加，不卖任何产品",
    "这颗珠子是天然水晶，手工打磨",
    "八字眉画法教程",
    # second batch: the new patterns' own words in lawful sentences
    "据国家统计局2023年数据，九成家庭拥有冰箱",
    "数据来源：艾瑞咨询《2024母婴消费报告》，八成宝妈选择线上购物",
    "长寿村的老人爱吃红薯，这是当地的饮食习惯",
    "这款长寿面是过生日吃的",
    "健身房教练教你减掉脂肪的训练方法，坚持锻炼",
    "今天不买也没关系，链接一直都在",
    "销量数据以平台后台为准",
    "这件衣服卖得好，销量第一天就过千",
    "河南人做的烩面就是香",
    "我是河南人，老乡们好",
    "云南的朋友们，这个季节可以吃菌子了",
    "东北人的大棉袄，抗冻",
    "新疆的哈密瓜今天到货了",
    "男生女生都能用的双肩包",
    "这款男孩穿的卫衣有三个颜色",
    "生儿育女是人生大事，这本书讲家庭教育",
    "爱国主义教育基地参观指南",
    "中国人的传统节日，端午节吃粽子",
    "国旗护卫队的故事，纪录片推荐",
    "专家鉴定证书可在详情页查看，证书编号见图",
    "这件瓷器是仿清代风格的工艺品，不是文物",
    "这只乌龟能活很多年，要好好养",
    "不开车的朋友可以喝一点",
    "开车不喝酒，喝酒不开车",
    "学员课后反馈见详情，效果因人而异",
    "老师讲课很用心，提分效果因人而异",
    "本直播间不涉及任何虚拟币交易",
    "身份证请妥善保管，不要借给他人",
    "这个价格是活动价，活动结束恢复日常价",
    "品牌官方指导价以官网为准",
    "这位演员在剧里用的同款杯子，剧组授权",
    "刷卡支付也可以",
    "小号的鞋码偏小，建议拍大一码",
    "源头好货，产地直发",
    "这批蔬菜农药残留检测合格，报告编号在详情页",
    "婚恋平台实名认证，不承诺配对结果",
    "养生讲座免费，现场不销售任何产品",
    "转运站今天停发，明天恢复",
    "日息和年化利率的换算方法，理财小知识",
    "这款精华和医美项目不能比，只是日常保湿",
    "专利号ZL202110000000.2，发明专利，已授权",
    "视力保护小常识：每用眼四十分钟休息一下",
    "弱视需要到医院眼科就诊",
    "母乳喂养到六个月，之后添加辅食",
    "起跑线上的选手们准备好了",
    "孩子一天喝几瓶牛奶合适？两瓶左右就够了",
    "小朋友一次吃一包就够了，别贪多",
    "白色款的人气很高，黑色款也好看",
    "矮个子女生穿这条裤子显高",
    "穿上才算完成今天的搭配",
    # third batch
    "面霜不能消炎，痘痘发炎请及时就医",
    "这个摆件很好看，放在书桌上",
    "理财有风险，过往收益不代表未来表现",
    "这款酒适合朋友聚会小酌",
    "山梨酸钾是常用的食品防腐剂，按国家标准添加",
    "玻尿酸面霜保湿效果好，不是医美",
]


test_new_kinds_of_claims_are_caught = caught_test(CLAIMS)


test_look_alikes_pass = lawful_test(LAWFUL)


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("省长亲口尝过这款腊肉", "AUTH-037"),
        ("县市场监管局认证的放心商家", "AUTH-038"),
        ("爱国就买这款手机", "ABS-207"),
        ("女司机再笨也能停好车", "ABS-208"),
        ("皮肤白的人才配穿这件", "ABS-209"),
        ("本店不卖给广西人", "ABS-210"),
        ("这款奶粉可以代替母乳", "MIN-006"),
        ("吃这款米糊能多活十年", "MED-171"),
        ("别家的牙膏都含致癌物", "ABS-211"),
        ("患者自述：吃完就不疼了", "MED-172"),
        ("喝这个调理茶包你生儿子", "MED-173"),
        ("戴了三个月，近视度数回退了", "MED-174"),
        ("这款饲料喂两个月，羊长八十斤", "FLS-065"),
        ("植保站推荐的杀虫剂", "FLS-066"),
        ("这个番茄苗抗所有病", "FLS-067"),
        ("未审定的小麦新品种", "FLS-068"),
        ("开车前喝两口，精神", "HLT-080"),
        ("学员上了两个月提分90分", "EDU-060"),
        ("比特币带单，跟着操作", "INV-090"),
        ("大学生凭身份证就能借", "INV-091"),
        ("安排几个小号在评论区夸", "FLS-070"),
        ("相亲服务保证半年脱单", "FLS-073"),
        ("养生讲座讲完顺便推荐降压胶囊", "HLT-081"),
        ("已经申请专利的新款枕头", "FLS-074"),
        ("这瓶精华比热玛吉还管用", "COS-085"),
        ("全靠这串转运珠", "SUP-048"),
        ("喝一杯白酒，焦虑一扫而光", "HLT-082"),
        ("跟着老师买股票，不赚钱不收费", "INV-094"),
        ("割双眼皮一辈子不变形", "MED-176"),
        ("配料表里的柠檬黄是天然的", "FLS-076"),
        ("这款祛痘霜能杀菌", "COS-086"),
        ("办公桌放个文昌笔，事业运蹭蹭涨", "SUP-049"),
    ],
)
def test_statute_claims_block(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    verdict = reviewer.review(text)
    assert verdict.verdict is VerdictKind.BLOCK, (text, verdict.hits)
    assert entry_id in {hit.entry_id for hit in verdict.hits}


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("小朋友一口气喝八瓶都不够", "MIN-005"),  # 第四十条: whether it induces harm is a person's call
        ("早教课让宝宝赢在起跑线", "MIN-007"),
        ("十一岁的小主播说成绩提高了20分", "MIN-008"),  # the age and whether she endorses need checking
        ("93%的用户反馈肤色提亮了", "FLS-064"),  # 第十一条: lawful with its source
        ("做了医美，人生开挂", "MED-175"),
        ("告别啤酒肚，就靠这款代餐", "HLT-079"),
        ("以后再也不会有这个价了", "PRC-048"),
        ("划线价599为厂家指导价", "PRC-049"),
        ("顶流明星私下也在用", "FLS-069"),
        ("源头工厂，没有任何中间商", "FLS-071"),
        ("这批青菜没打任何农药", "FLS-072"),
        ("专家鉴定价值两百万的翡翠", "INV-092"),
        ("女嘉宾都是美女，男士付费即可约", "FLS-075"),
        ("日息低至万分之三", "INV-093"),
    ],
)
def test_claims_that_need_a_fact_checked_go_to_review(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    verdict = reviewer.with_window(None).review(text)
    assert verdict.verdict is VerdictKind.REVIEW, (text, verdict.hits)
    assert entry_id in {hit.entry_id for hit in verdict.hits}


def test_a_patent_application_is_no_longer_a_mere_missing_number(library: ViolationLibrary) -> None:
    # 第十二条第二款 forbids advertising a patent application outright: FLS-074 (block) holds it, not FLS-063.
    by_id = {e.id: e for e in library.entries}
    assert "申请" not in (by_id["FLS-063"].pattern or "")
    assert by_id["FLS-074"].severity.value == "high"


def test_round_six_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = set(
        [
            "AUTH-037",
            "AUTH-038",
            "ABS-207",
            "ABS-208",
            "ABS-209",
            "ABS-210",
            "ABS-211",
            "MIN-005",
            "MIN-006",
            "MIN-007",
            "MIN-008",
            "MED-171",
            "MED-172",
            "MED-173",
            "MED-174",
            "MED-175",
            "HLT-079",
            "HLT-080",
            "HLT-081",
            "FLS-064",
            "FLS-065",
            "FLS-066",
            "FLS-067",
            "FLS-068",
            "FLS-069",
            "FLS-070",
            "FLS-071",
            "FLS-072",
            "FLS-073",
            "FLS-074",
            "FLS-075",
            "EDU-060",
            "INV-090",
            "INV-091",
            "INV-092",
            "INV-093",
            "PRC-048",
            "PRC-049",
            "COS-085",
            "SUP-048",
            "HLT-082",
            "INV-094",
            "MED-176",
            "FLS-076",
            "COS-086",
            "SUP-049",
        ]
    )
    entries = [e for e in library.entries if e.id in ids]
    assert len(entries) == len(ids)
    for entry in entries:
        assert entry.article.startswith("《"), entry.id
        assert "（" in entry.explanation and entry.triggers and entry.examples, entry.id
