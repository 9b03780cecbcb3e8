"""Eleventh round of issue #20 (from the false positives of outside_heldout12, written blind by a helper that read
nothing of the project and scored before any change, and the last six of outside_heldout11): the product's own
warranty and requirements (最长保修期, 最低配置要求), a past event (最后一次年检在上个月), the seller's own farm, works
or range as the comparison set (我们果园里, 本系列里这款…, 店里这三款), a maker's best against their own past work, a
brand reissuing its own design (复刻), the result of an advised use (建议…冲泡，风味最佳) and a viewing season, a
philosophy after 是, a company's registered name, authorities' notices and warnings (消费警示, 部门提醒…要警惕,
不得用于), the seller disowning others' or a customer's words (不跟风, 从未这样宣传), a quoted character named
(说了“最”字), the speaker's feelings, a likely mishap (最容易受伤), the last day of an exam, a food label (配料表…
无添加白砂糖), a market price trend, and a negation over an enumeration (不具有辟邪、招财的作用). New wordings, none a
row of any set, each beside the same words used as a claim — among them a wider scope that overrides the seller's
own set (这款咖啡豆是世界上风味最佳的, which passed before this round)."""

from __future__ import annotations

from tests.compliance.probes import caught_test, lawful_test

LAWFUL = [
    "家电整机保修两年，压缩机最长保修期十年，以保修卡为准",
    "这款游戏最低配置要求：16G内存，独立显卡",
    "这台车最后一次年检在上个月，手续齐全",
    "我们果园里最老的一棵梨树有八十年了",
    "这是我们品牌的初代经典款，今年复刻回来了",
    "这是我学做陶艺以来自己最满意的一件作品",
    "本系列里这款洗面奶泡沫最细腻，适合干皮",
    "我们店两款保温杯里这个最轻，只有两百克",
    "店里这三款大米，这款价格最低，适合日常吃",
    "咖啡建议用92℃的水手冲，风味最佳",
    "油菜花最佳观赏期在三月中旬，记得错峰出行",
    "诚信第一是我们公司的经营理念",
    "一品香食品有限公司招聘仓库管理员",
    '市场监管部门提醒：宣称"根治""永不复发"的理疗仪要警惕',
    '消协发布消费警示：所谓"降糖茶"不能代替药物，勿信夸大宣传',
    '广告法规定，"第一""最佳"等用语不得用于商品宣传',
    '有顾客看到别家写"全网第一"，我们不跟风，只写检测数据',
    '您说的"最好的奶粉"我们从未这样宣传，请以详情页为准',
    '主播刚才口误说了"最"字，这款只是普通面霜',
    "昨天是我最开心的一天，谢谢大家陪我过生日",
    "爬山下坡时膝盖最容易受伤，记得用登山杖",
    "高考最后一天别紧张，早点睡，带好身份证",
    "配料表只有燕麦和牛奶，无添加白砂糖",
    "今年产地苹果批发价同比下跌两成",
    "这款是团里这周最实惠的一个套餐，两盒装",
    "售后：这串手链只是装饰品，不具有辟邪、招财的作用",
]

CLAIMS = [
    "这款冰箱保修期行业最长，别家比不了",
    "这款电脑是全网配置最高的游戏本",
    "最后一次机会，今晚下单立减一百",
    "我们果园的梨是全国最甜的",
    "复刻大牌包包，和专柜正品一模一样",
    "这是全网最满意度最高的面霜",
    "这款面霜是全网质地最清爽的",
    "我们店的保温杯是行业最轻的",
    "这款大米全网价格最低，闭眼入",
    "这款咖啡豆是世界上风味最佳的",
    "这款茶叶口感最佳，全国第一",
    "我们的面膜是全网第一",
    "一流的面霜，用了就知道",
    "你们说的没错，这是最好的奶粉",
    "这款面霜最好用，谁用谁知道",
    "这款手链辟邪招财，戴上就转运",
]


test_uses_the_round_taught_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)
