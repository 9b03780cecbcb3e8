"""Regenerate ``claims.jsonl``, the labelled set for the semantic claim classifier.

Run from the repository root:  ``.venv/bin/python tools/make_compliance_claims.py`` (it also refits the shipped
model, ``claims_model.npz``)
The output is deterministic (fixed seed); see README.md next to this file for how the set is built.
"""

from __future__ import annotations

import json
import random
from itertools import product
from pathlib import Path

SEED = 20240607

FOODS = [
    "蜂蜜",
    "燕窝",
    "枸杞原浆",
    "黑芝麻丸",
    "核桃粉",
    "红枣",
    "阿胶糕",
    "酵素",
    "益生菌",
    "代餐粉",
    "苦荞茶",
    "桑叶茶",
    "玉米须茶",
    "纯牛奶",
    "小米",
    "坚果",
    "人参片",
    "灵芝粉",
    "石斛",
    "葛根粉",
    "羊奶粉",
    "海参",
    "鱼油",
    "蛋白粉",
    "黑枸杞",
    "山药粉",
    "菊花茶",
    "藕粉",
]
COSMETICS = [
    "面霜",
    "精华液",
    "面膜",
    "眼霜",
    "爽肤水",
    "洗发水",
    "身体乳",
    "精华油",
    "安瓶",
    "乳液",
    "护发素",
    "头皮精华",
]
DOSES_FOOD = [
    "吃了三天",
    "喝了一个月",
    "坚持吃了两周",
    "连续喝了半个月",
    "才吃了一罐",
    "每天一勺吃了十天",
    "早晚各一杯喝了七天",
    "吃完两盒",
]
DOSES_COS = ["用了三天", "涂了一个星期", "才用完一瓶", "坚持用了半个月", "早晚各用一次用了十天", "敷了五片", "用完两支"]
WHO = ["", "我妈", "我爸", "我们粉丝", "好多家人反馈", "我自己", "我婆婆", "隔壁阿姨", "有个老粉"]
# Disease or body-function effects claimed for ordinary food (《广告法》第十七条、《食品安全法》第七十三条).
HEALTH_EFFECTS = [
    "血糖就降下来了",
    "血压稳住了",
    "血脂全正常了",
    "三高都下来了",
    "胃再也没疼过",
    "一觉睡到天亮再也不失眠",
    "甲状腺结节变小了",
    "尿酸一下子降了",
    "膝盖关节不疼了",
    "咳了半年的嗽好了",
    "便秘彻底没了",
    "肝功能指标正常了",
    "医生都说指标好了",
    "再也不用打胰岛素了",
    "痛风一次都没犯",
    "鼻子不堵了鼻炎好了",
    "老寒腿不疼了",
    "头不晕了眼不花了",
    "看东西清楚多了眼镜都摘了",
    "白头发都变黑了",
    "肿块都缩小了",
    "孩子长高了五厘米",
    "体检报告全都正常了",
    "心脏不难受了",
    "腰不酸腿不疼了",
    "手脚一点都不凉了",
    "脂肪肝没了",
    "贫血好了",
    "胆结石排出来了",
    "乳腺增生摸不到了",
    "血管都通了",
    "记忆力回来了老年痴呆好转了",
]
# Medical or exaggerated efficacy claimed for cosmetics (《化妆品监督管理条例》第四十三条).
COSMETIC_EFFECTS = [
    "皱纹全没了",
    "斑都淡没了",
    "法令纹平了",
    "脸白了好几个度",
    "毛孔都看不见了",
    "痘印全消了",
    "眼袋没了",
    "黑眼圈一点都没了",
    "脸上的疤没了",
    "头发一根都不掉了",
    "秃的地方长出新头发了",
    "看着年轻了十岁",
    "色斑全部消失了",
    "红血丝全好了",
    "湿疹再也没犯",
    "妊娠纹都看不出来了",
    "抬头纹全平了",
    "黄褐斑彻底没了",
    "脱发的地方长满了",
    "过敏泛红再也没有了",
    "痘痘一颗都不长了",
    "鱼尾纹消失了",
    "松弛的脸都提起来了",
    "老年斑掉了",
]
# Same doses with ordinary outcomes: teaches the model that "吃了三天" alone is no claim.
NEUTRAL_FOOD = [
    "一罐就见底了",
    "家里人都爱吃",
    "口感越来越顺",
    "已经回购第三次了",
    "包装还是很完整",
    "每天早上都惦记着",
    "感觉冲泡特别方便",
    "孩子也抢着吃",
    "一点都不齁甜",
    "办公室同事都来问链接",
    "比超市买的香",
]
NEUTRAL_COS = [
    "肤感一直很清爽",
    "香味闻着很放松",
    "瓶子还剩一半",
    "一点都不搓泥",
    "上妆很服帖",
    "包装一直没漏",
    "按压泵头很好用",
    "味道淡淡的不刺鼻",
    "出门带着很方便",
    "闺蜜也跟着买了",
]
CLAIM_FORMS_FOOD = [
    "{who}{dose}{p}，{effect}{closer}",
    "{p}{dose}以后，{effect}{closer}",
    "{who}说{p}{dose}，{effect}{closer}",
]
CLAIM_FORMS_COS = [
    "{who}这款{p}{dose}，{effect}{closer}",
    "用了这款{p}，{effect}{closer}",
    "{who}{dose}{p}，{effect}{closer}",
]
CLOSERS = ["", "，真的太神了", "，家人们赶紧囤", "，不信你们试试", "，效果大家有目共睹", "，好多人回购", "！"]

# Short fragments: a transcript split at punctuation yields many, and with little text to go on an
# unbalanced model would lean towards "claim".
SHORT_CLEAN = [
    "家人们好",
    "赶紧拍",
    "来了来了",
    "上链接",
    "三二一上车",
    "谢谢大家",
    "好的",
    "没问题",
    "宝宝们晚上好",
    "点赞",
    "扣1",
    "欢迎欢迎",
    "拍了吗",
    "库存加上了",
    "给大家看一下",
    "对吧",
    "是不是",
    "真的",
    "姐妹们",
    "这个颜色",
    "看这里",
    "好吃",
    "太香了",
    "我们继续",
    "下一个",
    "稍等一下",
    "马上开始",
    "冲冲冲",
    "拍的扣已拍",
    "助理改价",
    "大家晚安",
    "明天见",
    "喜欢的拍",
    "别犹豫",
    "抓紧时间",
    "收到了吗",
    "一起来看",
    "手快有",
    "拍两件",
    "家人们",
    "大家好呀",
    "嗯嗯",
    "哈哈哈",
    "说得对",
    "我也想要",
]
CLEAN_TEMPLATES = [
    "这款{p}{attr}",
    "{p}今天直播间{deal}",
    "家人们{interact}",
    "{p}{usage}",
    "{logistics}",
    "{p}{attr}，{deal}",
    "{interact}，{p}{attr}",
    "{p}的{aspect}{opinion}",
    "{usage}，{logistics}",
]
ATTRS = [
    "质地很清爽",
    "口感香甜不腻",
    "包装很精致送人也体面",
    "分量很足",
    "是小罐装方便携带",
    "配料表很干净",
    "适合全家一起吃",
    "味道很淡雅",
    "颜色是奶白色的",
    "是今年的新货",
    "产地在云南",
    "吸收很快不黏腻",
    "泡沫很丰富",
    "香味是淡淡的花香",
    "瓶身是按压式的",
    "一罐能吃一个月",
    "是独立小包装",
    "甜度刚刚好",
]
DEALS = [
    "买二送一",
    "拍一发二",
    "领券立减二十",
    "第二件半价",
    "下单送小样",
    "加赠一个旅行装",
    "满两百减三十",
    "前一百名送礼盒",
]
INTERACT = [
    "点点关注不迷路",
    "新来的宝宝扣个1",
    "左上角福袋抽起来",
    "喜欢主播的点个赞",
    "有问题打在公屏上",
    "想要的扣想要",
    "我们整点抽免单",
    "关注主播每天有福利",
]
USAGE = [
    "每天早上冲一杯",
    "洗完脸后取适量涂抹",
    "开封后请冷藏保存",
    "用温水冲泡口感更好",
    "建议饭后食用",
    "取黄豆大小在掌心揉开",
    "避光阴凉处保存",
    "敏感肌先在耳后试用",
    "一天不超过两勺",
    "头发打湿后揉出泡沫",
]
LOGISTICS = [
    "今天下单明天发货",
    "支持七天无理由退换",
    "运费险已经安排上了",
    "偏远地区也包邮",
    "都是顺丰发货",
    "四十八小时内发出",
    "收到有问题联系平台客服",
]
ASPECTS = ["口感", "包装", "味道", "质地", "香味", "性价比", "颜值"]
OPINIONS = ["大家反馈都不错", "我自己很喜欢", "比上一批还好", "真的很惊喜", "很适合送长辈", "属于耐看型"]
# Hard negatives: health or skin vocabulary without a claim — disclaimers, logistics, taste, advice.
HARD_NEGATIVES = [
    "血糖高的朋友请遵医嘱，这款只是普通零食",
    "我们不说能降血糖，它就是一款好吃的{p}",
    "皱纹是岁月的痕迹，这款{p}只做基础保湿",
    "头发掉得厉害请去医院看看，{p}只负责清洁",
    "{dose_food}就到货了，物流很快",
    "{p}{dose_food}，口感越来越习惯了",
    "有糖尿病的家人请先咨询医生再买",
    "这个不是药，不能替代药物治疗",
    "{p}{dose_cos}，瓶子还剩一半，很耐用",
    "{who}{dose_food}说味道很好",
    "坚持两周每天打卡的家人有抽奖",
    "白头发的叔叔阿姨买来送礼也很体面",
    "{p}三天就卖完了，这是第二批",
    "孕妇和哺乳期请咨询医生后食用",
    "{p}{dose_cos}，香味一直很淡雅",
    "血压高的长辈口味清淡一点，这款{p}少盐",
    "过敏体质的宝宝先做皮试",
    "{who}说{p}包装很好看",
    "脸上长痘的时候要少熬夜多喝水",
    "{p}不含蔗糖，控糖期间也可以当零食解馋",
    "它不能治病，就是日常吃的{p}",
    "{who}{dose_cos}，说用着挺舒服的",
    "眼袋和黑眼圈还是要靠早睡",
    "胃不好的家人空腹别喝",
]


def _health_claims(rng: random.Random) -> list[dict[str, str]]:
    rows = []
    for effect, food in product(HEALTH_EFFECTS, FOODS):
        if rng.random() > 0.35:
            continue
        text = rng.choice(CLAIM_FORMS_FOOD).format(
            who=rng.choice(WHO), dose=rng.choice(DOSES_FOOD), p=food, effect=effect, closer=rng.choice(CLOSERS)
        )
        rows.append({"text": text, "label": "medical", "group": f"health:{effect}"})
    return rows


def _cosmetic_claims(rng: random.Random) -> list[dict[str, str]]:
    rows = []
    for effect, item in product(COSMETIC_EFFECTS, COSMETICS):
        if rng.random() > 0.6:
            continue
        text = rng.choice(CLAIM_FORMS_COS).format(
            who=rng.choice(WHO), dose=rng.choice(DOSES_COS), p=item, effect=effect, closer=rng.choice(CLOSERS)
        )
        rows.append({"text": text, "label": "cosmetics", "group": f"cosmetic:{effect}"})
    return rows


def _clean(rng: random.Random, count: int) -> list[dict[str, str]]:
    rows = []
    for _ in range(count):
        index = rng.randrange(len(CLEAN_TEMPLATES))
        text = CLEAN_TEMPLATES[index].format(
            p=rng.choice(FOODS + COSMETICS),
            attr=rng.choice(ATTRS),
            deal=rng.choice(DEALS),
            interact=rng.choice(INTERACT),
            usage=rng.choice(USAGE),
            logistics=rng.choice(LOGISTICS),
            aspect=rng.choice(ASPECTS),
            opinion=rng.choice(OPINIONS),
        )
        rows.append({"text": text, "label": "clean", "group": f"clean:{index}"})
    for index, fragment in enumerate(SHORT_CLEAN):
        rows.append({"text": fragment, "label": "clean", "group": f"short:{index}"})
    for index, outcome in enumerate(NEUTRAL_FOOD):
        for _ in range(12):
            text = rng.choice(CLAIM_FORMS_FOOD).format(
                who=rng.choice(WHO), dose=rng.choice(DOSES_FOOD), p=rng.choice(FOODS), effect=outcome, closer=""
            )
            rows.append({"text": text, "label": "clean", "group": f"neutral_food:{index}"})
    for index, outcome in enumerate(NEUTRAL_COS):
        for _ in range(12):
            text = rng.choice(CLAIM_FORMS_COS).format(
                who=rng.choice(WHO), dose=rng.choice(DOSES_COS), p=rng.choice(COSMETICS), effect=outcome, closer=""
            )
            rows.append({"text": text, "label": "clean", "group": f"neutral_cos:{index}"})
    for index, template in enumerate(HARD_NEGATIVES):
        for _ in range(14):
            text = template.format(
                p=rng.choice(FOODS + COSMETICS),
                dose_food=rng.choice(DOSES_FOOD),
                dose_cos=rng.choice(DOSES_COS),
                who=rng.choice(WHO[1:]),
            )
            rows.append({"text": text, "label": "clean", "group": f"hard:{index}"})
    return rows


def build() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows = _health_claims(rng) + _cosmetic_claims(rng) + _clean(rng, 900)
    unique = {row["text"]: row for row in rows}
    return sorted(unique.values(), key=lambda r: (r["group"], r["text"]))


def write_model(out: Path) -> None:
    """Fit the shipped classifier on the claims just written and store its arrays beside them."""
    from wanghong.compliance.engine.classifier import ClaimClassifier, claims_digest, load_claims
    from wanghong.compliance.engine.normalize import Normalizer

    model = ClaimClassifier(Normalizer().fold).fit(load_claims())
    model.save(out, trained_on=claims_digest())


if __name__ == "__main__":
    data = Path(__file__).parents[1] / "src/wanghong/compliance/engine/data"
    rows = build()
    with (data / "claims.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    write_model(data / "claims_model.npz")
    print(f"wrote {len(rows)} rows to {data / 'claims.jsonl'} and the model fitted on them to claims_model.npz")
