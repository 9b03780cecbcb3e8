"""Eighth library round of issue #20 (the ninth blind set, outside_heldout9, now development data; library
v81): wording families the library lacked, each written as more than the row it came from:
- fake transactions and reviews (《电子商务法》第十七条, 《网络直播营销管理办法（试行）》第十八条):
  an 氛围组 or a batch of accounts posting 已买, cheap links never shipped to push the sales count,
  a small gift for a review;
- off-platform trading (《电子商务法》第三十二条): the after-sales staff's WeChat, 走闲鱼交易, 价格私我;
- endorsers: financial regulators (第九条第二项), a seller introducing itself as a doctor
  (第十六、十八条), a celebrity's operation at a clinic (第十六条第一款第四项), vets for pet food
  (第二十一条, low);
- food and body claims (第十七条): indicators that get 更稳, foods for 三高/糖尿病 people, a disease
  that got lighter after eating, 湿气全排, 都能治好; vague effects on the body and hair (review);
  medical aesthetics seen the same day, no recovery time; head-shape claims for baby goods (review);
  pet food that clears 泪痕 (review);
- guarantees: a buy-back at a multiple of the price some years on (第二十五条);
- data and comparisons without a source (第十一、十三条; review or low): sales counts, people helped,
  十个X九个, 十大品牌, a named or hinted competitor, another seller's price.

Every claim is a new wording, none a row of any set; the look-alikes are the same words where the law
allows them. The second half of each family was written after the first had been fixed: 34 of its 35
claims were caught before its one fix, none of its 21 look-alikes flagged."""

from __future__ import annotations

import pytest
from tests.compliance.probes import (
    assert_blocked_by,
    assert_caught,
    assert_entries_documented,
    assert_lawful,
    assert_reviewed_by,
)

from wanghong.compliance.engine import ComplianceReviewer, ViolationLibrary

BLOCKED = [
    ("人民银行推荐的储蓄型保险，闭眼入", "AUTH-039"),
    ("这款基金证监会都在买", "AUTH-039"),
    ("医保局指定的定点药房专供款", "AUTH-039"),
    ("证监会推荐的这只基金", "AUTH-039"),
    ("这款保险是监管机构指定的", "AUTH-039"),
    ("五星好评带图送两双袜子", "FLS-054"),
    ("晒单追评就送小样一份", "FLS-054"),
    ("好评截图发客服，可以领纸巾一提", "FLS-054"),
    ("带图追评送一个手机支架", "FLS-054"),
    ("写五十字好评，联系客服领湿巾", "FLS-054"),
    ("新品链接拍下不发货，就是帮我们冲一下销量", "FLS-060"),
    ("刷一下单量，每单返现8元，本金当天退", "FLS-060"),
    ("群里接单：0.1元链接拍完不发货，帮店铺冲排名", "FLS-060"),
    ("招人帮店铺刷销量，拍完不发货，佣金日结", "FLS-060"),
    ("1分钱链接不发货，大家帮忙冲个销量", "FLS-060"),
    ("氛围组的兄弟们准备好，开播就刷已拍", "FLS-070"),
    ("我们准备了二十个小号，开播后轮流评论说好用", "FLS-070"),
    ("运营用三个账号刷好评，把评论区顶上去", "FLS-070"),
    ("大家轮流扣已下单，把气氛带起来，都是自己人", "FLS-070"),
    ("场控开五个号在评论区说已经收到货了", "FLS-070"),
    ("让氛围组刷一波好评", "FLS-070"),
    ("收藏这套邮票，五年后我们承诺按购买价两倍回购", "INV-086"),
    ("这批金条公司保证以市场价回购", "INV-086"),
    ("翡翠手镯三倍回购，稳赚", "INV-086"),
    ("这套纪念币十年后承诺回购", "INV-086"),
    ("这幅字画公司承诺以三倍价格回购", "INV-086"),
    ("糖尿病人的福音，这款燕麦随便吃", "MED-145"),
    ("喝了这个茶，血糖更平稳", "MED-145"),
    ("高血压的老人放心喝，我们这款芹菜汁", "MED-145"),
    ("吃了一个月，尿酸稳定了", "MED-145"),
    ("这款无糖饼干，糖尿病患者专用", "MED-145"),
    ("吃了这个苦荞茶，血脂更稳定", "MED-145"),
    ("喝了我们家的蜂蜜水，咽炎好多了", "MED-151"),
    ("坚持吃三个月，关节炎都减轻了", "MED-151"),
    ("吃了这个山药粉，胃炎好了大半", "MED-151"),
    ("坚持喝了两个月，老慢支都缓解了", "MED-151"),
    ("喝我们家的姜枣茶，体内寒气全排了", "MED-163"),
    ("这款酵素吃三天，毒素都排光", "MED-163"),
    ("艾灸一次，湿毒都没了", "MED-163"),
    ("这个足贴贴一晚，湿气都排了", "MED-163"),
    ("用我们的艾草包，什么老毛病都能治好", "MED-164"),
    ("我们的理疗仪，肩周炎都能治好", "MED-164"),
    ("腰肌劳损贴一个月就断根", "MED-164"),
    ("糖友喝了我们的桑叶茶，能少吃点药", "MED-164"),
    ("这个膏药贴上，肩周炎保证治好", "MED-164"),
    ("我是三甲医院的主任医师，这个钙片我自己家里一直吃", "MED-165"),
    ("我是药师，这瓶维生素我推荐给所有人", "MED-165"),
    ("我是营养科医生，这款蛋白粉我家老人也在吃", "MED-165"),
    ("我是中医科大夫，这款阿胶我天天推荐给病人", "MED-165"),
    ("打一针当场见效", "MED-178"),
    ("做完超声炮马上就能看到变化", "MED-178"),
    ("打完瘦脸针第二天就见效", "MED-178"),
    ("打完水光针当天就见效", "MED-178"),
    ("好几个女明星都在我们这儿做的双眼皮", "MED-179"),
    ("网红同款下巴，来我们医院就能做", "MED-179"),
    ("某男星垫的鼻梁就是我们院长做的", "MED-179"),
    ("某影后打的玻尿酸就是我们家的", "MED-179"),
    ("退换货请加售后客服的微信，处理更快", "OFF-061"),
    ("有问题联系我们售后专员的个人微信", "OFF-061"),
    ("添加售后的私人微信办退款", "OFF-061"),
    ("加我们售后部的企业微信，退款秒到", "OFF-061"),
    ("想要便宜的走咸鱼下单", "OFF-063"),
    ("走某宝付款，我改价给你", "OFF-063"),
    ("不想被平台抽成的走闲鱼交易", "OFF-063"),
    ("咸鱼上搜我们店名，走咸鱼付款便宜二十", "OFF-063"),
]

REVIEWED = [
    ("这款吸尘器吸力吊打戴森", "ABS-214"),
    ("性价比完胜某米", "ABS-214"),
    ("这双跑鞋比耐克还舒服", "ABS-214"),
    ("咱家咖啡比星巴克好喝还便宜", "ABS-214"),
    ("画质碾压索尼", "ABS-214"),
    ("这款电动牙刷比飞利浦好用多了", "ABS-214"),
    ("行业十大品牌，放心买", "ABS-215"),
    ("我们是国内前十的厂家", "ABS-215"),
    ("十大名牌之一的床垫", "ABS-215"),
    ("全球十大品牌的净水器", "ABS-215"),
    ("已经帮助三千多位宝妈成功瘦身", "FLS-051"),
    ("我们已输送两万名学员入职大厂", "FLS-051"),
    ("累计服务过十万个家庭成功备孕", "FLS-051"),
    ("帮助五万多名宝妈成功减重", "FLS-051"),
    ("十个营养师九个推荐这款蛋白粉", "FLS-077"),
    ("10个宝妈8个都在用我们家的纸尿裤", "FLS-077"),
    ("十个设计师九个选这款瓷砖", "FLS-077"),
    ("10个化妆师9个在用这款粉底", "FLS-077"),
    ("这款猫粮吃一周，泪痕淡了", "FLS-081"),
    ("狗粮能淡化泪痕，还能美毛", "FLS-081"),
    ("换了我们家主粮，软便就好了", "FLS-081"),
    ("这款羊奶粉喂了一周，狗狗泪痕没了", "FLS-081"),
    ("宠物医生都在喂这款狗粮", "FLS-082"),
    ("宠医推荐这款化毛膏", "FLS-082"),
    ("兽医都喂这款羊奶粉", "FLS-082"),
    ("这款洗衣液已售两百万瓶", "FLS-083"),
    ("月销十万件的爆款T恤", "FLS-083"),
    ("这款锅累计销售超过一千万台", "FLS-083"),
    ("这款口红上线一个月卖出一百万支", "FLS-083"),
    ("这款护腰坐垫用上以后腰背舒服多了", "HLT-078"),
    ("用了防脱洗发水，掉头发明显少了", "HLT-078"),
    ("贴了这个膏药肩颈轻松多了", "HLT-078"),
    ("泡了一周脚，膝盖都不酸了", "HLT-078"),
    ("戴了这个护膝，膝盖舒服了很多", "HLT-078"),
    ("打完玻尿酸恢复期为零", "MED-168"),
    ("热玛吉不用恢复期，做完就上班", "MED-168"),
    ("这个项目恢复期几乎可以忽略", "MED-168"),
    ("做完热玛吉无需恢复期", "MED-168"),
    ("这款定型枕矫正宝宝扁头", "MED-180"),
    ("学步鞋能预防O型腿", "MED-180"),
    ("睡这款枕头告别枕秃", "MED-180"),
    ("这款学步鞋可以矫正宝宝外八", "MED-180"),
    ("内部价私聊", "OFF-056"),
    ("想要链接的私信我", "OFF-056"),
    ("同样的面膜，别家要卖两百多", "PRC-052"),
    ("市面上同规格的要卖一千多块", "PRC-052"),
    ("其他直播间报价三百九，我们只要一百九", "PRC-052"),
    ("外面的店要卖三百多，今天直播间九十九", "PRC-052"),
    ("其他机构同课程要收两万", "PRC-052"),
]

# Claims another entry flags as well (a second medium finding blocks): caught, with this round's entry among the hits.
CAUGHT = [
    ("具体报价私我，直播间不方便说", "OFF-056"),
    ("优惠价私聊我", "OFF-056"),
    ("用了一瓶生发液，脱发少多了", "HLT-078"),
    ("宠物医生都推荐这款鱼油", "FLS-082"),
]

LAWFUL = [
    "感谢氛围组的家人们一直陪着我",
    "我们店有三个账号，分别卖男装女装童装",
    "拍了的宝宝公屏扣个已拍，我给大家备注优先发货",
    "补邮费链接，拍下不发货",
    "定金链接，拍下不发货，尾款另付",
    "今天销量不错，感谢大家",
    "新疆西藏地区暂不发货，请谅解",
    "下单就送一包纸巾，先到先得",
    "好评如潮的这款纸巾，今天送一包试用",
    "收到货满意的话给个好评，谢谢亲",
    "有售后问题请在订单页联系在线客服",
    "客服在平台的聊天窗口，不加微信",
    "我们的闲鱼号已经停用了，别上当",
    "顺丰包邮，走京东物流，下单后次日达",
    "闲鱼上的二手货没有售后，别贪便宜",
    "价格不私聊，都在直播间公开",
    "私信消息太多，回复慢请见谅",
    "人民银行提醒：警惕非法集资",
    "监管部门要求理财产品不得承诺保本",
    "这份保险在银保监会备案过，备案号可以在官网查",
    "医生建议多喝水，少熬夜",
    "我是医生的女儿，从小就知道要早睡",
    "孩子发烧请及时就医，听医生的",
    "这款血压计测量更稳定，误差小",
    "糖尿病人能不能吃请先问医生",
    "高血压的朋友请遵医嘱，这款只是普通零食",
    "三高人群饮食要清淡，少油少盐",
    "鼻炎犯了请去医院，这款纸巾只是柔软不掉屑",
    "吃完饭胃里暖暖的，配粥刚好",
    "关节炎的老人冬天要注意保暖",
    "这条裤子腰围加大，穿着舒服多了",
    "换了新沙发，坐着舒服多了",
    "掉发严重的话建议去医院看看",
    "发际线高的朋友可以试试这款空气刘海",
    "顾客说穿了这双鞋很好看",
    "买家反馈收到的包装很好",
    "湿气重的人要少吃冷饮",
    "这款除湿机一晚上能把屋里的湿气抽干",
    "排毒这种说法没有科学依据，别信",
    "不是什么病都能治好，身体不舒服要去医院",
    "老寒腿的老人冬天记得戴护膝",
    "这款护膝只是保暖，治不了老寒腿",
    "公司公告回购股份",
    "这款纸巾我已经回购三次了",
    "保证质量，欢迎大家回购",
    "感谢每一位学员的信任",
    "这门课程帮助学员理解财报基础知识",
    "我们店服务过很多附近的家庭",
    "这箱十个苹果，个头都很大",
    "十个人一桌，八个菜",
    "我们有十个营养师在线答疑",
    "术后有恢复期，请遵医嘱护理",
    "这个项目恢复期大概七天",
    "做完当天看不到效果是正常的，一般要一个月",
    "这款面膜敷完当天就能看到补水效果吗？因人而异",
    "打完疫苗要观察三十分钟",
    "明星也会做体检，健康最重要",
    "网红打卡的咖啡店就在楼下",
    "明星的演唱会门票今晚开抢",
    "这款枕头按宝宝头型设计，零到三岁都能用",
    "宝宝头型的问题请咨询儿科医生",
    "偏头的问题要早点去医院看",
    "狗狗泪痕多可能是眼部问题，请带去宠物医院",
    "这款宠物湿巾用来擦眼周，温和不刺激",
    "换粮要循序渐进，不然容易软便",
    "猫咪疫苗要去正规宠物医院打",
    "宠物医院推荐的驱虫周期是三个月一次",
    "我们楼下就有一家宠物医院",
    "这款手机壳适配苹果十五",
    "这个梨比苹果还甜",
    "宜家风格的书架，简约好看",
    "这款耳机兼容华为手机",
    "比上一代快了一倍",
    "十大元帅的故事绘本",
    "前十名下单的家人送小礼物",
    "获中国建筑卫生陶瓷协会评选的二零二三年度十大品牌，证书编号见详情页",
    "外面下雨了，要五分钟才能到",
    "隔壁县要两天才能到货",
    "外面排队要二十分钟",
    "销量破万，感谢家人们",
    "已售数量以平台显示为准",
    "这款卖了三年了，老顾客都知道",
    "吃了药以后少吃点辛辣",
    "我们直播间只有主播一个人，没有请任何托",
    "预售链接，拍下后十五天内发货",
    "评价请按真实感受写，我们不送礼",
    "售后请走平台的退款通道",
    "我们在淘宝也开了官方旗舰店，价格一样",
    "证监会公告：某公司被立案调查",
    "我是医生家属，平时也会提醒家人体检",
    "这款血糖仪测量结果更稳定",
    "吃了这么多年的小米粥，还是最喜欢这个味道",
    "换了新鞋垫，走路舒服多了",
    "这款洗衣液老顾客回购率很高",
    "培养孩子的阅读习惯要从小开始",
    "今天这款已经卖了一百多单，谢谢大家",
    "十个人去吃火锅，点八个菜就够",
    "做完美甲当天别碰水",
    "这个演员演的电视剧很好看",
    "宝宝枕头要选透气的，注意经常晒",
    "狗狗掉毛是换季正常现象",
    "某宝上有很多仿冒我们的店，认准官方",
    "十大名著全套，适合初中生",
    "外面冷，出门记得戴手套",
]


@pytest.mark.parametrize(("text", "entry_id"), BLOCKED)
def test_statute_claims_block(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    assert_blocked_by(reviewer, text, entry_id)


@pytest.mark.parametrize(("text", "entry_id"), REVIEWED)
def test_claims_that_need_a_fact_checked_go_to_review(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    assert_reviewed_by(reviewer, text, entry_id)


@pytest.mark.parametrize(("text", "entry_id"), CAUGHT)
def test_claims_another_entry_also_flags_are_caught(reviewer: ComplianceReviewer, text: str, entry_id: str) -> None:
    assert_caught(reviewer, text)
    assert entry_id in {hit.entry_id for hit in reviewer.review(text).hits}, text


@pytest.mark.parametrize("text", LAWFUL)
def test_look_alikes_pass(reviewer: ComplianceReviewer, text: str) -> None:
    assert_lawful(reviewer, text)


def test_round_eight_entries_cite_an_article_and_explain_in_chinese(library: ViolationLibrary) -> None:
    ids = {entry_id for _, entry_id in BLOCKED + REVIEWED + CAUGHT}
    assert_entries_documented(library, ids)


def test_library_version_is_81_or_later(library: ViolationLibrary) -> None:
    assert library.version >= 81
