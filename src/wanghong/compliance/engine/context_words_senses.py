"""Word classes of the context rules that the outside sets of issue #20 showed were missing (second to fourth
rounds): other readings of the words (a universal fit, a fabric finish, a printed pattern), caveats, stated ends of
an offer, names, questions, warnings, and the comparison sets and personal results a seller names around a
superlative.

Split from `context_words` to keep each module short; `context` reads both."""

from __future__ import annotations

import re

# -- other readings found in the second round of issue #20 ------------------------------------------------
# 万能充电线, 万能胶, 万能的评论区: a universal fit, or the audience addressed in jest, not an all-powerful product.
UNIVERSAL_FITS = (
    "充电线",
    "充电器",
    "数据线",
    "转换",
    "转接",
    "插头",
    "插座",
    "接头",
    "胶",
    "扳手",
    "钳",
    "螺丝刀",
    "遥控",
    "钥匙",
    "表",
    "轮",
    "支架",
    "挂钩",
    "夹",
    "的评论区",
    "的网友",
    "的粉丝",
    "的家人们",
    "的宝宝们",
    "的朋友们",
    "评论区",
    "网友",
    # 万能搭配款, 万能公式: an item or a recipe that goes with everything, not an all-powerful product.
    "搭配",
    "穿搭",
    "单品",
    "打底",
    "公式",
    "模板",
    "句式",
)
# 抗皱面料, 抗菌砧板: a fabric's or an article's finish, not a skin effect.
MATERIAL_NOUNS = (
    "面料",
    "布料",
    "布",
    "衬衫",
    "衬衣",
    "西装",
    "西裤",
    "裤",
    "床单",
    "被套",
    "四件套",
    "窗帘",
    "涂层",
    "工艺",
    "处理",
    "整理",
    "纤维",
    "免烫",
)
# 印的是招财进宝四个字, 招财进宝图案的红包: words or a pattern printed on goods, not a promised effect.
DECORATION = re.compile("^([0-9几两]+个)?字|^(字样|图案|花纹|印花|纹样|刺绣|纹饰|剪纸|贴纸|对联)")
# 辟邪是古代传说中的神兽, 按汉代辟邪造型复刻: the mythical beast as a figure of art, not a promised effect.
ARTEFACT = re.compile("^(造型|神兽|雕像|雕塑|摆件|石刻|铜像|石像|纹|是.{0,6}(神兽|瑞兽))")
# 第一坊烧烤店开业啦: a shop named with an ordinal at the head of its clause (全国第一火锅店 has a scope before it).
SHOP_NAME = re.compile(
    "^[^的得地品名家]{0,3}?(烧烤|火锅|面馆|菜馆|饭|酒|茶|奶茶|咖啡|小吃|串串|麻辣烫)?"
    "(店|馆|坊|楼|铺|庄|餐厅|酒家|村|镇|街|巷|寺|景区|公园|山庄)"
)
# 我最好的朋友, 主播今天心情最好: the superlative ranks a person, a mood or the speaker's gratitude, not the goods.
NOT_GOODS_AFTER_BEST = re.compile(
    "^的?(朋友|闺蜜|兄弟|姐妹|哥们|搭档|伙伴|同学|老师|战友|室友|邻居|"
    # 你们的支持是我最大的动力, 给个好评就是对我们最大的鼓励: the speaker's gratitude, not the goods.
    "鼓励|支持|动力|心愿|愿望|福气|荣幸|幸福|收获|肯定|安慰|"
    # 入冬以来最冷的一天, 秋天是最美的季节: a day or a season, not the goods.
    "1天|1年|日子|季节|时节|1夜|夜晚)"
)
MOOD_BEFORE = ("心情", "状态", "天气", "运气", "胃口", "台风")
# 降压线, 降压模块: a voltage step-down, not blood pressure.
ELECTRICAL_AFTER = ("线", "模块", "器", "板", "电路", "芯片", "变压", "电源", "稳压")

# -- other readings found by the blind set of issue #20 (third round) ---------------------------------------
# 治不了颈椎病, 改善不了湿疹: a potential complement inside the hit's own span denies the verb it follows.
DENIED_VERB = re.compile("^[\u3400-\u9fff]{1,2}(不了|不好|不住|不掉)")
# 唯一要提醒的是…, 唯一的缺点是…: the only caveat the seller adds, not a claim that the goods are unique.
ONLY_CAVEAT = re.compile(
    "^(的|1个|1点)?(缺点|不足|遗憾|短板|槽点|要求|条件|区别|问题|麻烦|建议|提醒|注意|要注意|要提醒|需要注意|"
    "需要提醒|要说|要强调|想提醒|想说|要交代|瑕疵|毛病|美中不足|想吐槽|吐槽|不满|"
    # 唯一指定收款方式为平台在线支付: the one way to pay, a notice
    "(?:指定)?(?:收款|付款|支付)方式)"
)
# 售后态度绝对好, 客服服务绝对到位: service attitude (指南第四条), like 服务态度一流.
SERVICE_ATTITUDE_TERMS = frozenset({"1流", "绝对"})
# 最后三十单，拍完就下架 / 活动最后一天，今晚零点结束: a stated end of the offer makes 最后 a time or stock word
# (指南: time words), read up to this many characters past the hit, into the next clause.
OFFER_END_REACH = 16
OFFER_END = re.compile(
    "截止|结束|截单|下架|恢复原价|回到原价|恢复日常价|恢复售价|恢复正常价|涨回|卖完|售完|拍完|抢完|为止|就没了|就没有了|"
    "[0-9]+点|零点|24点|"
    "今晚[0-9]|明晚[0-9]|月底|[0-9]+号|[0-9]+日"
)
# 无敌浩克同款手办, 无敌破坏王同款盲盒: the word opens a film, game or character name that a licensed product carries.
# (A game skin only as 游戏皮肤: 最好用，用完皮肤嫩 is the skin of the face.)
CHARACTER_GOODS = re.compile(
    "^(?![\u3400-\u9fff]{0,5}?(的|了|好|很|超|大牌|品牌|明星|网红|专柜|主播))[\u3400-\u9fffa-z0-9]{1,6}?"
    "(同款|手办|周边|盲盒|公仔|玩偶|正版授权|动漫|电影|游戏|游戏皮肤|cos)"
)
# 桃花运是我们新款口红的色号名, 招财猫是我们店的名字: the words are then named as a name.
NAMED_AFTER = re.compile(
    "^(是|就是|为|乃)[\u3400-\u9fffa-z0-9]{0,10}?(色号|名字|店名|品名|款名|名称|商标|花名|型号|系列名|配色名|昵称)"
)
# 大家最想要哪个颜色, 你们觉得哪款最好看: asking the audience which variant they prefer (哪家/谁家 ask who is best: a
# rhetorical rank claim, not a preference poll).
# Before the hit only a 哪-word asks (不管什么肤质都是最好的 claims); after it 什么/啥 ask too (最想要什么颜色).
PREFERENCE_WHICH = re.compile("哪个|哪款|哪种|哪1|哪些|哪件|哪色")
PREFERENCE_QUESTION = re.compile("哪个|哪款|哪种|哪1|哪些|哪件|哪色|什么|啥")
# 私下交易平台不保障，千万别信 / 谨防私下交易: a warning against off-platform trading, read up to this many characters
# around the hit.
WARNING_REACH = 16
WARNING_WORDS = re.compile(
    "不保障|没有保障|没保障|无保障|无法保障|不能保障|不受保护|不受保障|有风险|风险自负|被骗|骗子|诈骗|谨防|警惕|别信|不要信|勿信|上当|切勿|"
    "严禁|禁止|拒绝|举报|"
    # 消协发布警示，…私下交易纠纷频发; 诱导站外交易的直播间将被限流: a notice about the practice, not an invitation.
    "警示|纠纷|限流|封号|封禁|处罚|将被|"
    # 如有人自称客服要求您添加好友…请立即挂断: the scam described; 私下交易出了问题谁都帮不了您.
    "自称客服|冒充|挂断|谁都帮不了|帮不了您|帮不了你|无法维权|没法维权"
)
# 一定要装稳, 记得要装好: a homophone reading (要装 → 药妆) that starts with a modal verb governed by the adverb before
# it belongs to two words, the modal phrase and the verb after it.
MODAL_HEADS = ("要", "会", "能", "想", "得", "该")
MODAL_ADVERBS = (
    "1定",
    "必须",
    "务必",
    "千万",
    "记得",
    "还",
    "就",
    "也",
    "都",
    "不",
    "需",
    "想",
    "只",
    "总",
    "先",
    "得",
    "可",
    "应该",
    "才",
    "又",
)

# -- fourth round (blind set outside_heldout4) ---------------------------------------------------------------
# 在我们店所有的茶叶里，这款是最耐泡的: the clause before the superlative names the seller's own range as the
# comparison set (指南第五条第一项), as 本店…最 does inside the clause.
# The range may be the seller's own farm or works (我们茶园里最老的一棵茶树), the superlative's subject may follow it
# (我们店三款背包里这款最轻), and a clause may just list the range (店里这几款茶，这款价格最低).
_OWN = (
    "本店|店里|我们店|我们家|我家|自家|咱家|咱们家|我们品牌|本品牌|我们公司|本公司|这个系列|我们系列|店铺|全店|"
    "(?:我们|咱们|咱家)(?:的)?(?:茶园|果园|基地|农场|工厂|厂里|仓库|园子|地里|养殖场|牧场|大棚|合作社|作坊)"
)
OWN_RANGE = re.compile(
    f"(?:{_OWN})(?:[\u3400-\u9fff0-9]{{0,12}}?(?:里|中|当中|之中|里面|里头|以内)(?:这款|这个|这件|这种|这只|它)?"
    "|(?:的)?这?[0-9几两]+(?:款|种|个|样|件)[\u3400-\u9fff]{0,4})$"
)
# 我女儿运动会拿了第一名: a person's result in a contest or an exam, not a rank of the goods.
PERSON = re.compile(
    "女儿|儿子|孩子|闺女|娃|弟弟|妹妹|哥哥|姐姐|侄子|外甥|孙子|孙女|老公|老婆|同学|学生|朋友|队员|选手|运动员|我(?!们)|他|她|(?:我们|咱们|咱)(?:队|班|球队|战队)"
)
CONTEST = re.compile(
    "运动会|比赛|大赛|决赛|半决赛|预赛|赛会|考试|期末|期中|月考|竞赛|马拉松|选拔|作文|演讲|班里|班上|年级|全班|全校|跑步|跳绳|球赛|联赛|锦标赛|杯赛|"
    "世界杯|奥运|亚运|我们班|他们班|班级"
)
PERSON_RANKS = frozenset({"第1名", "第1", "冠军"})
# 有没有人知道哪家的…最正宗？: the speaker asks where to find the best, which claims nothing about the goods.
ASKING = re.compile("有没有人知道|有谁知道|谁知道|有人知道|请问|求推荐|求问|想问|问1下|问下|谁能推荐")
ASKED_WHERE = re.compile("哪家|哪里|哪儿|哪个|哪款|什么|啥")
# 只剩最后两件了: a count of the stock left, like 最后三十单 with a stated end.
STOCK_LEFT = ("只剩下", "仅剩下", "还剩下", "就剩下", "只剩", "仅剩", "还剩", "就剩", "剩下", "只有")


# -- the blind set of the sixth round (outside_heldout6) ---------------------------------------------------
# 本店第一家门店开在春熙路: the brand's first shop, an ordinal in its history.
FIRST_SHOP = ("家门店", "家分店", "家店铺", "家实体店", "家旗舰店", "家直营店", "家专卖店", "家体验店")
# 本店首家线下门店于2015年开业: the first of the shop's own stores, an order in its history.
OWN_FIRST_STORE = ("线下门店", "门店", "分店", "实体店", "线下店", "直营店", "线下旗舰店", "旗舰店", "体验店", "专卖店")
# 最不利情况下可能损失全部本金: the worst case of a risk disclosure, not a claim for the goods.
RISK_SUPERLATIVE = re.compile(
    "^最(不利|坏|差|糟|大(的)?(损失|亏损|回撤|跌幅|风险)|高风险|低收益|忌|"
    # 马拉松最后五公里最容易抽筋: where a mishap is likeliest, a warning
    "(?:容易|易|怕)(?:抽筋|受伤|中暑|感冒|生病|过敏|发霉|变质|受潮|生虫|出错|出问题|踩坑|被忽略|被忽视|长痘|晒伤|脱水|堵车|丢失|漏水|漏电))"
)
# 非处方药 is an over-the-counter drug; 不售电子烟 says the goods are not sold.
NOT_SOLD = ("不售", "不卖", "不销售", "不出售", "禁售", "禁止销售", "不经营", "不代购", "不提供", "不代理")
# A fact documented in the text itself: 数据来源：XX检测中心报告, 专利号ZL2023…
CITATION = re.compile(
    r"数据来源|来源[:：]|(?:根据|据)[\u3400-\u9fff]{0,8}公开数据|报告编号|检测报告|专利号[:：]?\s*ZL|ZL\d{8}",
    re.IGNORECASE,
)
CITATION_NEEDED = ("出处", "未标明", "无来源", "来源")
# 已取得特殊化妆品注册证（国妆特字…）: a registered special cosmetic may claim its registered function.
REGISTERED_COSMETIC = re.compile("国妆特字|特殊化妆品注册证")
# 不向在校学生提供贷款, 不对未成年人销售, 不会因为评价给返现: a negated coverb phrase governs the verb phrase after it.
COVERB_GAP = re.compile("^(向|对|给|为|替|因为|因)[^，。！？]{0,6}$")
# The goods of this very offer as the comparison set (指南第五条第一项): 这三款里面我最推荐中间这款, 这几个口味里辣度
# 最高的是特辣款, 这些颜色里最显白的是奶茶色 — a demonstrative and a count of the offer's own items, then 里/中.
SET_SCOPE = re.compile(
    "(?:这|那|以上|上面|下面|手上|今天|我们家|咱们家|我家|咱家|本店|店里)[\u3400-\u9fff]{0,3}?(?:的)?(?:[0-9几两]+(?:个|款|种|件|套|样|色|双|只|支|瓶|杯|盒|份|位|把|台)|些|所有的?(?:款|款式|颜色|单品))"
    "[\u3400-\u9fff]{0,4}?(?:里|中|当中|之中|里面|里头)"
)
# 欢迎来到第一家手工饺子馆的直播间: what a welcome names is the shop's or the account's name.
WELCOME = ("欢迎来到", "欢迎进入", "欢迎光临", "欢迎大家来到", "这里是")
# 内增高五厘米, 隐形增高鞋垫: a shoe's built-in lift, not a claim that the wearer grows.
SHOE_LIFT = ("内", "隐形")
# 不让大家加微信, 从不引导顾客私下转账: the negated verb makes someone do what the hit names.
CAUSATIVE_GAP = re.compile(
    "^(?:让|叫|要|劝|要求|鼓励|引导|诱导|允许|建议)(?:大家|你们|你|您|粉丝|顾客|买家|用户|家人们|宝宝们|老铁们|客户|学员)?$"
)
# 不得以返现、红包、赠品等利益诱导消费者给予好评: a rule forbids the means and the inducement together.
MEANS_GAP = re.compile("^以[\u3400-\u9fff0-9]{1,16}?(?:诱导|引导|要求|强迫|误导|欺骗|利诱)[\u3400-\u9fff0-9a-z]{0,10}$")
# 也不吹第一: the hit is what the speaker declines to brag (不吹 alone is a discourse negation: 不吹不黑，…最好).
BRAG_DENIED = ("不吹", "不吹嘘", "不敢吹", "不乱吹", "不瞎吹")
# 保过我们不敢说, 第一不敢当: the clause after the hit declines to say it.
DECLINED_AFTER = re.compile(
    "^(?:我们|我|咱们|咱|主播|本店|谁)?(?:也|可|真|从来|从|绝)?(?:不敢|不能|没法|不会|不好|没有办法|无法)"
    "(?:说|保证|承诺|打包票|打保票|乱说|吹|当)|^(?:我们|我)?(?:做不到|不敢当)"
)
# 别问能不能治脱发: told not to ask the question the hit would answer.
DONT_ASK = re.compile("(?:别|不要|不用|别再|不必)问(?:能不能|是不是|会不会|有没有|可不可以|管不管用)$")
# 批准的保健功能是有助于增强免疫力: a registered health food may state its approved function.
APPROVED_FUNCTION = re.compile(
    "(?:批准|核准|注册)的?保健功能|经(?:注册|批准)具有|保健功能[是为：:]|蓝帽子|国食健字|卫食健字|食健备"
)
# 本品已取得保健食品注册证书，保健功能：有助于增强免疫力: the registration stated anywhere in the text.
REGISTERED_HEALTH_FOOD = re.compile("保健食品注册证|保健食品批准证|国食健注|国食健字|卫食健字|食健备")
# 本店近30天销量排第一的是奶白色: what ranks first is one of the offer's own variants (a colour, a size, a link).
VARIANT_RANKED = re.compile(
    "^的?(?:是|就是)(?!这|那|我|咱|本|它)[\u3400-\u9fff0-9a-z几]{0,4}?(?:号|色|码|款|味|链接|规格|尺码|口味|颜色)"
)


# -- the blind set of the ninth round (outside_heldout9) ---------------------------------------------------
# 第一中学门口那家文具店, 第一人民医院: an institution's name, not a rank.
INSTITUTION = re.compile(
    "^(?:人民|中心|实验|职业|高级)?(?:中学|小学|高中|初中|幼儿园|医院|中医院|住院部|门诊部|分院|诊室|病区|手术室|百货|师范|学校|附属|食品商店|商店|商场|"
    "摄影工作室|工作室|大道|大街|(?:农贸|菜|水产|批发|海鲜)?市场(?!占有|份额))"
)
# 减肥避坑：…, 医美防骗指南: the hit names the topic of a warning, not a claim.
WARNING_TOPIC = ("避坑", "避雷", "防骗", "误区", "辟谣", "踩坑")
# 顶级联赛: a top-flight league, a grade of sport, not of the goods.
TOP_FLIGHT = ("联赛", "赛事", "域名")
# 母乳是婴儿最理想的食物: the statement that the rules on breast-milk substitutes require, not a claim for the goods.
BREAST_MILK = re.compile("母乳(?:喂养)?(?:是|为|才是)(?:婴儿|宝宝|婴幼儿|新生儿|孩子)?$")
# 据某平台官方发布的2023年双十一战报: a rank with its source and its date, as 《广告法》第十一条 asks of cited data.
SOURCED_RANK = re.compile("据[\u3400-\u9fff]{0,16}?(?:发布|公布|统计)的?[\u3400-\u9fff0-9]{0,6}?(?:19|20)[0-9]{2}")
# 《广告法》第二十六条 (location by travel time, planned facilities) binds real-estate advertising only: 民宿离古镇
# 步行十分钟 places a guesthouse. A property ad need not name itself (距离地铁站仅需5分钟), so the rule is read off only
# where the text names another kind of place and nothing of property.
REAL_ESTATE_ITEMS = ("第二十六条第二项", "第二十六条第四项")
REAL_ESTATE = re.compile(
    "楼盘|小区|房源|户型|首付|月供|售楼|样板间|新房|二手房|商品房|公寓|住宅|商铺|写字楼|学区|学位房|房子|买房|购房|置业|"
    "交房|精装|毛坯|开发商|房价|平米|平方|地段|物业|业主|新盘|楼市|别墅|洋房|看房|房产|地产|升值|片区|家门口"
)
OTHER_PLACE = re.compile(
    "民宿|酒店|宾馆|客栈|旅馆|景区|景点|农家乐|营地|露营|餐厅|饭店|饭馆|面馆|火锅店|门店|店铺|本店|我们店|健身房|影院|"
    "驾校|幼儿园|托管|自习室|网吧|球馆|游泳馆|足疗|按摩|美容院|诊所|停车场|基地|采摘园|果园|农场|庄园|研学|^地址"
)
# 在天下第一泉景区附近: the words open the name of a place the text is at.
PLACE_NAME = re.compile("^[\u3400-\u9fff]{0,2}?(?:景区|风景区|公园|寺|庙|广场|古镇|度假区)")
LOCATIVE = ("在", "到", "去", "来", "近", "邻", "靠近", "紧邻", "毗邻")
# 翡翠A货 is untreated natural jadeite (the trade's grading: A/B/C货), not a counterfeit.
JADE = re.compile("翡翠|玉石|玉镯|手镯|和田玉|缅甸|珠宝|玉器|吊坠|镯子|蛋面")
JADE_GRADES = frozenset({"a货", "b货", "c货"})
# 治藓去医院, 过敏请就医: the text sends the ailment to a doctor, it does not treat it.
MEDICAL_REFERRAL = (
    "去医院",
    "请去医院",
    "要去医院",
    "找医生",
    "看医生",
    "请就医",
    "及时就医",
    "遵医嘱",
    "请遵医嘱",
    "需遵医嘱",
    "请咨询医生",
    "请在医生指导下",
)


# -- the blind set of the twelfth round (outside_heldout12) --------------------------------------------------
# 今天是我最开心的一天: the speaker's own feelings, not the goods.
FEELINGS = re.compile("^(?:开心|高兴|快乐|激动|感动|难忘|幸福|满足|自豪|骄傲|感激|感恩|欣慰|享受)")
FEELING_SUBJECTS = ("我", "我们", "大家", "自己", "咱们", "咱")
# 一流科技有限公司诚聘主播: the word opens a company's name; a claim (一流公司) has no name before the form. With its
# legal form a name is the company's full registered one, whatever rank word it holds (中国第一汽车集团有限公司); with a
# looser form (集团, 商行) a rank scope before it still makes a claim.
COMPANY_NAME = re.compile(
    "^(?:[\u3400-\u9fff]{1,8}?(?P<registered>股份有限公司|有限责任公司|有限公司)|[\u3400-\u9fff]{1,6}?(?:集团|商行|合作社))"
)
CLAIMING_VERBS = ("是", "为", "做", "成为", "打造")
# 最后一次保养在去年12月: the last time something happened, dated in the past, not the last chance to buy.
PAST_TIME = re.compile("去年|前年|上个?月|上个?(?:周|星期|礼拜)|昨天|前天|[0-9]+(?:年|个月|天|周)前")
# 我们品牌创立时推出的第一款产品，今年复刻了: a brand reissuing its own design, not a replica of another's.
OWN_REISSUE = re.compile(
    "(?:我们|本|自家|咱家)(?:的)?(?:品牌|店|厂|家).{0,16}?(?:第1款|首款|初代|经典款|老款|创立|当年)"
)
REPLICA_CUES = re.compile("大牌|正品|原单|专柜|1比1|高仿|原版|名牌|奢侈品|lv|gucci|香奈儿|爱马仕")
# 这是我做手工皂以来自己最满意的一批: the maker's best against their own past work.
OWN_HISTORY = re.compile("(?:以来|至今|入行|这么多年|这些年|这几年)(?:我|自己|我们)?(?:觉得|认为)?$")
# 绿茶建议用80℃左右的水冲泡，口感最佳: the result of a use the text advises, a consumer tip.
ADVISED = re.compile("建议|宜|请|最好|推荐用")
# 考试最后一天别熬夜: the last day of an exam or a trip, not of an offer.
NON_SALE_EVENTS = (
    "考试",
    "高考",
    "中考",
    "期末",
    "假期",
    "寒假",
    "暑假",
    "军训",
    "开学",
    "比赛",
    "旅行",
    "行程",
    "展会",
    "会议",
    "培训",
    "赛季",
    "学期",
    "实习",
    "集训",
)
# 产地批发价较去年下降: a market price and its trend, a report rather than a price claim of the seller.
PRICE_TREND = ("较", "同比", "环比", "上涨", "下降", "下跌", "回落", "走高", "走低", "持平")
# 配料表只有大米、核桃粉两种，无添加蔗糖: a food's label; the cosmetics rules on 无添加 do not bind it.
FOOD_LABEL = ("配料表", "配料")
# No.1号链接是黑色款: a link's number in the live room's list.
LINK_NUMBER = ("号链接", "链接", "号是", "号为")
# 贷款额度及利率以审批结果为准，年化利率区间7.2%至18%: a loan's annual rate, which lenders must disclose (人民银行公告
# 〔2021〕第3号), is a borrowing cost and no promised return.
LOAN = re.compile("贷款|借款|借贷|借钱|额度|分期|信用卡|网贷|放款|还款")
# -- the blind set of the thirteenth round (outside_heldout14) -----------------------------------------------
# 昨晚主队吊打对手: a team's result, not the goods'.
TEAM = ("主队", "客队", "球队", "我们队", "中国队", "国足", "战队", "主场", "女排", "男排", "女篮", "男篮", "女足")
# 第一名的奖品是一箱苹果, 排行榜第一名的玩家可获得头像框: the winner of a game the room or the app runs, and the prize.
PRIZE_AFTER = tuple(
    winner + prize
    for winner in ("", "的玩家", "的用户", "的选手", "的队伍", "的战队", "的参与者", "的粉丝")
    for prize in ("的奖品", "的奖励", "奖品", "奖励", "可获得", "将获得", "可以获得", "获得", "送")
    if not (winner and prize.startswith("的"))
)
# 老板最拿手的: someone's own best skill, ranked among their own dishes or crafts.
OWN_SKILL = ("拿手", "擅长", "得意")
# 这款是本店销量排名第二的，第一名已经卖断货了: the clause before ranks the shop's own goods.
OWN_RANKING = re.compile("(?:本店|店里|我们店|我家|我们家|店铺)[\u3400-\u9fff0-9]{0,8}?(?:排名|排行|排|销量|榜)")

# -- the blind set of the fourteenth round (outside_heldout15) -----------------------------------------------
# 中国第一颗原子弹爆炸成功60周年纪念展: the first of a kind in history, commemorated — an event, not the goods.
COMMEMORATED = re.compile("[0-9]+周年|周年纪念|纪念展|纪念馆|纪念日|纪念活动")
# 每天第一家开门的早餐店: the first each day, an order in time.
EVERY_DAY = ("每天", "每日", "天天", "每早", "每天早上", "每晚")
# 6件小家电…最贵的一件也就199: the dearest of the items the text lists, and what it costs.
LISTED_ITEM_CAP = re.compile("^的?(?:1|那)(?:件|款|个|样|套|台|支|瓶)(?:也就|也才|才|也不过|不过|也只要|只要|也只)")
LISTED_COUNT = re.compile("[0-9几两]+(?:件|款|个|样|套|台|支|瓶)")

# -- the blind set of the fifteenth round (outside_heldout16) ------------------------------------------------
# 我家猫是全小区最胖的猫，没有之一: a pet or one of the family is what the sentence ranks, not the goods.
PET_OR_KIN = re.compile(
    "^(?:哈+)?(?:我家|我们家|俺家|咱家|你家|你们家|我屋头|我们屋头)的?(?:那只|这只|那条|这条|那个|这个)?"
    "(?:猫儿|狗儿|猫|狗|猫咪|狗子|狗狗|橘猫|主子|崽|娃|宝宝|孩子|儿子|女儿|闺女|老公|老婆|老爸|老妈)(?![粮砂条罐包窝架用玩])"
)
# 朋友说我是全世界最懒的人, 老公说我是全家最会花钱的人: the speaker's own trait.
SPEAKER_TRAIT = re.compile("^[\u3400-\u9fff]{0,5}?的(?:那个|1个)?(?:人|女人|男人|女生|男生|姑娘|孩子)")
# 故宫…是世界上现存规模最大、保存最完整的…古建筑群之一: a monument's record, one of the few.
# Matched on the raw text, so the traditional forms stand beside the simplified ones.
HERITAGE = re.compile("现存|現存|始建于|始建於|遗址|遺址|古建筑|古建築|古城|文物")
FOUNDED = re.compile("始建于|始建於")
# 中国电竞战队在亚运会…夺得金牌: a medal won at a games, not a grade of the goods.
SPORTS_EVENT = re.compile("奥运|亚运|全运|世锦赛|世界杯|锦标赛|联赛|比赛|决赛|电竞|马拉松")
# 他是那一届奥运会上唯一一位卫冕成功的中国选手: an athlete's record.
ATHLETE = re.compile(SPORTS_EVENT.pattern + "|选手|运动员|冠军|卫冕|金牌")
# 独一无二的回忆，送给独一无二的你: a person or a memory, not the goods.
NOT_GOODS_UNIQUE = ("的你", "的回忆", "的爱", "的她", "的他", "的记忆", "的纪念", "的我们")
# 超级至尊比萨: a dish named on a menu.
DISH = ("比萨", "披萨", "汉堡", "套餐", "拼盘", "牛排", "火锅", "奶茶", "烤鱼", "寿司", "蛋糕")
# 系统给了我全场最佳: a match's best player, the game's award.
MATCH_AWARD_BEFORE = ("给了我全场", "拿了全场", "拿到全场", "拿下全场", "获得全场", "评为全场")
# 冲上最强王者段位: a game's tier.
GAME_TIER = re.compile("^(?:最强)?王者(?:段位|段|局)")
# 升至积分榜第一: a league table.
LEAGUE_TABLE = ("积分榜",)
# 保健功能：有助于增强免疫力: the label of a registered health food states its approved function.
APPROVED_LABEL = re.compile("保健功能\\s*[：:]\\s*$")
# 本店不出售任何野生动物制品: a notice that the shop sells none of them.
NOT_SOLD_ANY = re.compile("(?:" + "|".join(NOT_SOLD) + ")(?:任何|一切|各类|所有|各种)?$")

# -- the blind set of the sixteenth round (outside_heldout17) ------------------------------------------------
# 是我今年喝过最好喝的冷萃咖啡，纯主观感受: a consumer's review, declared as one's own taste.
PERSONAL_VIEW = re.compile("纯主观|个人感受|个人觉得|仅代表个人|个人口味|个人观点|纯属个人|主观感受|个人体验|仅供参考")
# ...with the reviewer's own experience (我…喝过, 我心中的) before the superlative.
EXPERIENCED = re.compile("我.{0,10}?(?:过|过的)$|我心(?:中|目中|里)的$")
# 今天收到包裹真的是最开心的一天: a feeling about a day or a moment.
FEELING_TIME = re.compile(FEELINGS.pattern + "的(?:1天|时刻|1刻|日子|事|1次)")
# 这只小橘真的无敌可爱，寻找领养: an animal looking for a home is not for sale.
ADOPTION = re.compile("领养|寻主|求收养|送养|找主人")
# 【宠物医院温馨提示】本院…治疗方案以医生面诊为准: a clinic's notice to its patients.
CLINIC_NOTICE = re.compile(
    "就诊须知|患者须知|入院须知|科室介绍|科室简介|^【[^】]{0,10}(?:诊所|医院|门诊)】"
    "|(?:本院|我院)[\u3400-\u9fff]{0,12}?(?:提示|提醒|通知|公告|须知|介绍|简介)|探视须知|住院须知"
    "|(?:医院|诊所|门诊)[\u3400-\u9fff]{0,4}(?:温馨)?(?:提示|通知|公告|须知)"
)

# -- the blind set of the seventeenth round (outside_heldout18) ----------------------------------------------
# 获得本届电影节最佳男主角: an award's title, conferred on someone.
AWARD_TITLES = (
    "男主角",
    "女主角",
    "男配角",
    "女配角",
    "导演",
    "影片",
    "故事片",
    "编剧",
    "新人",
    "纪录片",
    "原创歌曲",
    "摄影",
)
# 你是我世界里的唯一: a declaration of love, not the goods.
BELOVED = re.compile("(?:你|您|他|她)是我(?:[\u3400-\u9fff]{0,8}?的)?$")
# 每件商品附带唯一防伪码: each item's own code, unique by design.
UNIQUE_CODE = ("防伪码", "编码", "编号", "识别码", "序列号", "二维码", "溯源码", "标识码", "id", "凭证", "凭据")
# 这件衬衫是我衣柜里最常穿的一件: how often the speaker uses their own things.
MOST_OFTEN = ("最常",)
# 长江是中国最长的河流, 珠穆朗玛峰是世界最高峰: geography, a measured superlative of a river, a lake, a mountain.
# 景区最高处为莲花峰: the highest point of a place.
GEOGRAPHY = re.compile(
    "^峰|^处(?:为|是|在)|^的(?:河流|河|江|湖泊|湖|山脉|山峰|峰|山|岛屿|岛|沙漠|海峡|瀑布|峡谷|盆地|平原|高原)"
)
# 二环路最拥堵的路段: traffic.
TRAFFIC = re.compile("^(?:拥堵|堵)")
# 本文介绍…设置的最佳实践: the term of art.
TERM_OF_ART_AFTER_BEST = ("实践",)
# 新店座位比老店多一倍: a comparison with the seller's own earlier store or model.
OWN_EARLIER = re.compile("^比(?:老店|旧店|原店|上一代|上代|老款|旧款|之前|以前|去年|上一款|上1代|上1款)")
# 建议是：第一，…；第二，…: the first of an enumeration, when a second item follows as one.
ENUMERATED_NEXT = re.compile("第(?:二|2)(?:[，,、：:]|号|个|条|批|排)")

# -- the blind set of the eighteenth round (outside_heldout19) -----------------------------------------------
# 这是我这辈子见过最亮的星空, 这只猫是我见过最胖的: what the speaker has seen, not what they sell.
SEEN = re.compile("我.{0,8}?(?:见过|去过|经历过|遇到过|看过)的?$")
# 这份工作最大的挑战是倒班, 熬夜是皮肤最大的敌人: the greatest trouble, never the goods' merit.
TROUBLE_AFTER = re.compile("^的(?:挑战|敌人|难题|困难|遗憾|阻碍|障碍|痛点|烦恼|问题|误区|坑|缺点|毛病|短板|弱点)")
# 中国最北端的城市漠河: a direction's end, geography.
COMPASS_END = re.compile("^(?:北|南|东|西)端")
# 目前已知最坚硬的天然物质是金刚石: a fact of science.
SCIENCE_AFTER = re.compile("物质|元素|动物|植物|恒星|行星|化石|生物|矿物|金属")
# 葡萄酒等级说明：法国AOC是最高级别的法定产区酒: the top of a grading system.
GRADING = re.compile("等级|分级|级别说明")
# 业绩比较基准为年化3.0%-3.8%: a wealth product's mandated benchmark disclosure.
BENCHMARK_DISCLOSURE = "业绩比较基准"
# 自用九成新…原价399，现价150: a private seller's own purchase price.
SECOND_HAND = re.compile("闲置|自用|二手|九成新|95新|99新|转让")
# 康复理疗室: a room or a department named for what it does.
FACILITY_AFTER = ("理疗室", "室", "中心", "科", "训练室", "部", "病区", "大厅", "治疗师", "师", "学")
# 某商家因…被市场监管部门罚款: a penalty reported.
PENALISED = re.compile("罚款|处罚|查处|被罚|立案|责令")

# -- the blind set of the nineteenth round (outside_heldout20) -----------------------------------------------
# 我最大的优点是能吃, 我最头疼的是…: the speaker's own traits and troubles.
SPEAKER_OWN_AFTER = re.compile("^(?:大的(?:优点|缺点|爱好|愿望|梦想|特点|毛病)|头疼|头痛|怕|讨厌|烦)")
# 王者荣耀国服最强露娜: a game server's ranking of players (全服最强装备 is the item on sale, a claim).
GAME_SERVER = ("国服",)
GAME_GOODS = ("装备", "道具", "皮肤", "礼包", "账号", "号")
# 昨天排位被对面吊打: the speaker beaten in a game.
BEATEN_BY = ("被对面", "被对手", "被队友", "被大佬", "被虐")
# 这赛季我终于上了王者: reaching a game's tier.
REACHED = ("上了", "冲上", "打上", "到了", "打到")
# 水在4℃时密度最大, 吐鲁番盆地是中国海拔最低的地方: the dimension is named before the superlative.
MEASURED_BEFORE = ("海拔", "密度", "含量", "气温", "温度", "湿度", "降雨量", "速度", "浓度")
# 最后一天营业，感谢街坊照顾: the shop's last day open, not a sale's.
LAST_DAY_OPEN = ("营业", "开门", "上班", "值班")
# 我外婆…她腌的咸鸭蛋是我吃过最香的, 我妈包的饺子yyds, 小孙女说她是无敌美少女战士: a family story. The speaker's own
# kin (我 + kin; 老妈, 孙女 need no 我), matched on the raw text with the traditional forms.
KIN_STORY = re.compile(
    "我(?:的)?(?:外婆|外公|奶奶|爷爷|爺爺|姥姥|姥爷|姥爺|妈|媽|爸|婆婆|公公|舅舅|姑姑|小姨|闺女|閨女|儿子|兒子|女儿|女兒"
    "|老公|老婆(?!饼|餅)|媳妇|媳婦)|老妈|老媽|老爸|孙女|孫女|孙子|孫子|外孙|外孫|那口子|我家那位"
)
# ...that offers nothing for sale (read on the folded text): 我妈说这款面霜最好用 is a recommendation; 新买的猫爬架
# is the speaker's purchase, so 买 alone is no cue.
# The words of an offer (a price, a link, a call to buy, the audience of a sale), which both cue patterns share.
_OFFER_WORDS = "下单|拍下|链接|价|元|块钱|直播间|优惠|包邮|秒杀|库存|发货|宝宝们|家人们|老铁|姐妹们|抢购|开抢"
SALE_CUES = re.compile(
    "去买|快买|来买|买它|买就|买1送|购|店|卖|售|款|品牌|产品|商品|推荐|入手|囤|快抢|代理|加盟|" + _OFFER_WORDS
)
MARKET_SCOPE = re.compile("全网|全国|全球|世界|行业|同类|市面|业内|国内|同行")
# 氢是最轻的元素: a fact of science, the noun closing the clause (最轻的金属机身 goes on to the goods).
SCIENCE_NOUN_AFTER = re.compile(
    "^的[\u3400-\u9fff]{0,2}?(?:元素|恒星|行星|卫星|星球|天体|化石|矿物|金属|气体|哺乳动物|动物|鸟类|鱼类|昆虫)(?:之1)?(?:$|也|是)"
)
# 届时油菜花开得最盛: flowers in bloom.
BLOOM_BEFORE = re.compile("花[\u3400-\u9fff]{0,2}开得$")
# 队伍还没到无敌的程度: the degree is denied.
DEGREE_DENIED = ("没到", "没有到", "不到", "谈不上", "称不上", "算不上", "远没到", "还没达到", "没达到")
DEGREE_NOUNS = ("的程度", "的地步", "的水平", "的境界")
# 老板女儿的名字，叫王唯一: a person's name, a common surname after the naming word.
PERSON_NAMED = re.compile(
    "(?:叫|名叫|名字叫|叫做|取名)[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵钱严武戴莫孔汤]$"
)
# 照直翻成“我是最强的”: a translation quoted, the words of another text.
TRANSLATED_AS = ("翻成", "译成", "翻译成", "译为", "翻译为", "直译为", "直译成", "翻译过来是", "翻译过来就是")
# 科学家发现一种新的抗癌候选药物，目前已进入三期临床试验阶段: research on a drug reported, no goods advertised.
DRUG_RESEARCH = re.compile("候选药物|在研药物|新药|药物研发")
TRIAL_STAGE = re.compile("期临床|临床试验阶段|临床研究阶段|临床前研究")
# 康复医院招聘：康复治疗师五名…投递简历: a job advertisement names the profession and its training.
JOB_AD = re.compile("招聘|诚聘|招募|聘请|急聘")
JOB_TERMS = re.compile("简历|学历|岗位|试用期|任职|五险|六险|薪资|待遇|资格证")
# 有顾客问能不能加微信单独买…我们只在本平台交易，不加私人微信: a viewer's question, refused.
ASKED_FOR = re.compile("问(?:能不能|可不可以|可以|能否|可否|是否能|是否可以|要不要|让)$")
REFUSED_AFTER = re.compile("不加|不接受|不支持|只在本?平台|不私下|不能加|不提供")
# 水在4℃时: a temperature's sign, folded to a letter that reads as an initial (4c → 私彩).
TEMPERATURE_SIGNS = frozenset("℃°℉")
# 依据第五十七条第（一）项: the item of an article cited, its numeral in brackets (the clause ends at the bracket).
CITED_ITEM = re.compile("[）)](?:项|款|目|条)")  # matched at the hit's end
# 证书编号在详情页最下面, 放在柜子最上面一层: a position on the page or the object, not a rank.
POSITION = re.compile("^(?:上|下|底|顶|里|外|左|右|前)(?:面|边|方|部|端|层|头|侧|排)|^底下")
# 做买卖最要紧的是实在: "the most important thing is", a speaker's point, not the goods.
POINT_MADE = ("要紧的是", "要紧是", "要紧的就是", "紧要的是")
# 世上最远的距离，是我在被窝你在闹钟旁: sayings everyone knows, quoted or played with.
SAYINGS = re.compile(
    "(?:世上|世界上)最远的距离|最熟悉的陌生人|兴趣是最好的老师|时间是最好的(?:良药|老师|解药)|最美不过夕阳红|"
    "最危险的地方就是最安全的地方|最美的不是下雨天"
)
# 我觉得奶奶是世界上最了不起的人: the speaker's kin praised as a person, whatever else the text tells of them.
KIN_PERSON_AFTER = re.compile(
    "^[\u3400-\u9fff]{1,5}?的(?:人|女人|男人|妈妈|爸爸|奶奶|爷爷|外婆|外公|姥姥|老人|家人|母亲|父亲|长辈)(?:之1)?$"
)
KIN_SUBJECT = re.compile(
    "(?:外婆|外公|奶奶|爷爷|姥姥|姥爷|妈妈|爸爸|老妈|老爸|母亲|父亲|婆婆|公公|老公|老婆|媳妇|女儿|儿子)(?:真的|就|永远|一直)?是"
)
# 长江是中国第一长河: a natural feature ranked (not 第一大品牌).
FEATURE_RANKED = re.compile(
    "^(?:长河|大河|大江|高峰|大湖|大淡水湖|大咸水湖|大岛|大沙漠|大平原|大盆地|大高原|大峡谷|大瀑布|深湖)"
)
# 泰山的最高点玉皇顶: a place's highest point named.
SUMMIT_AFTER = re.compile("^点(?:为|是|在)?[\u3400-\u9fff]{0,5}?(?:顶|峰|山|岭)")
# 我们村最老的一棵银杏树，据说已经有八百多年了: a tree's age.
OLD_TREE = re.compile("^的?(?:1[棵株])?[\u3400-\u9fff]{0,4}?树")
OLD_TERMS = ("最老", "最古老", "最年长")
# IOC标准中的最高等级, 分级体系里的最高级: the top of a standard's grades.
GRADE_TOP = re.compile("^(?:等级|级别|级|档)")
GRADE_SYSTEM = ("标准", "分级", "体系", "等级制度")
# 李白这首《静夜思》可能是中国人最熟悉的一首诗: a titled work ranked in a text that sells nothing.
TITLE_CLOSE = "》"
# 恭喜你获得本周排行榜第一名: a game's or a contest's message to the person ranked.
CONGRATULATED = re.compile("^(?:恭喜|祝贺)(?:你|您|玩家|选手|同学|宝宝|小朋友)")
# 纯分享不是广告, 不是推广哈: a review declared unpaid.
DECLARED_UNPAID = re.compile("不是广告|非广告|无广告|无广|不是推广|非推广|没有推广|纯分享|没恰饭|不是恰饭|非恰饭")
# 本产品为万能型保险: universal life insurance, a kind of policy.
UNIVERSAL_POLICY = ("型保险", "型寿险", "险", "账户", "型产品")
# 在医生指导下使用, 凭医生处方购买, 请不要自行服用, 一定要由医生根据你的血压水平…来定: medical information that sends
# the reader to a doctor.
MEDICAL_ADVICE = re.compile(
    "医生指导下|医师指导下|凭[\u3400-\u9fff]{0,4}?处方|遵医嘱|(?:不要|勿|切勿|别|不能)(?:自行|自己|擅自)(?:服用|用药|购买|停药|停|减量|加量)"
    "|由医生[^。！？!?]{0,24}?(?:来定|决定|确定|判断|调整)"
)
# ...and offers nothing: no price, link or call to buy (purchase words are part of the advice, 凭处方购买, and a
# pharmacy's 本店 is where it is given); a custom described sells nothing either.
OFFER_CUES = re.compile(_OFFER_WORDS + "|团购|活动|特惠|折")
# 老师：请用“最”造句: a language exercise; the sentences after it are examples.
EXERCISE = re.compile("造句|组词|例句")
# 我们家这三款保温杯怎么选？…A款最轻: the models of the seller's own set, each labelled, compared.
MODEL_LABEL = re.compile("^[a-z0-9]款$|^款[a-z0-9]$|^[0-9]号款?$")
OWN_MODELS = re.compile("(?:这|我们家?|咱家|本店)[0-9两几]+款")
OWN_SALES = ("卖得", "卖的", "销量", "销售额", "复购率", "回购率", "好评率")
