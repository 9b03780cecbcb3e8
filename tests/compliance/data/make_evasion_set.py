"""Regenerate ``evasion_eval.jsonl``: planted violations with evasions, plus clean sales talk.

Run from the repository root: ``.venv/bin/python tests/compliance/data/make_evasion_set.py``.
Deterministic (fixed seed). The set is held out: nothing in it is used to build the library's
exceptions or to train the claim classifier (whose training data lives in the package).

Each violation row plants one library term in a neutral sales sentence and disguises it with one or
two evasions: full-width forms, traditional characters (OpenCC s2t), separators or emoji or zero-width
characters between characters, repeated characters, full pinyin or pinyin for one character,
homophones (a common GB2312 level-1 character with the same toneless reading), and initials such as
"zh好". Phonetic evasions are only applied to entries whose ``phonetic`` flag is on — the others
(e.g. 第一, 唯一) are ordinary words whose homophones are too common to match.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import opencc
from pypinyin.pinyin_dict import pinyin_dict

from wanghong.compliance.engine import load_library
from wanghong.compliance.engine.phonetic import initial_of, toneless

SEED = 7
HERE = Path(__file__).resolve().parent

FRAMES = [
    "家人们，这款{p}{t}，今天直播间下单",
    "{t}的{p}来了，赶紧上车",
    "我跟你们说，{p}就是{t}",
    "这个{p}真的{t}，库存不多",
    "姐妹们看过来，{t}，{p}拍一发二",
    "主播亲测{p}{t}",
    "{p}{t}，点击下方小黄车",
    "{t}！{p}今天福利价",
]
PRODUCTS = [
    "面霜",
    "蜂蜜",
    "羽绒服",
    "茶叶",
    "坚果礼盒",
    "洗发水",
    "猕猴桃",
    "扫地机",
    "保温杯",
    "牛肉干",
    "口红",
    "大米",
]
SEPARATORS = ["*", " ", "·", "-", "/", "\u200b", "|", "~", "、", "_", "\u3000"]
EMOJI = ["🔥", "❤️", "💰", "👍", "🌹", "✨", "🎉", "😂"]

CLEAN = """欢迎新进直播间的家人们，点点关注不迷路
今天给大家带来的是云南高山上的普洱茶，口感醇厚
这款羽绒服是九十鸭绒，充绒量二百克
下单的家人记得备注尺码，我们按备注发货
最近天气转凉了，大家注意保暖
第一次来直播间的宝宝可以先领一张新人券
第一步先把面霜在手心揉开，第二步轻轻拍在脸上
这款蜂蜜的最佳食用时间是早上空腹，用温水冲
最好提前放冰箱冷藏，口感会更好
这个不能代替药物治疗，身体不舒服请及时就医
象牙白的配色很显气质，搭配牛仔裤也好看
链接在一号链接，大家直接拍就可以
到手价五十九元，还送一个小样
运费险已经给大家安排好了，七天无理由退换
这款扫地机续航两个小时，一百平的房子扫两遍
猕猴桃是陕西周至的，现摘现发，果径八十毫米以上
口红是哑光质地，颜色偏豆沙，黄皮也能驾驭
主播身高一米六五，体重一百斤，穿的是S码
保温杯是316不锈钢内胆，保温十二个小时
大米是今年的新米，五公斤一袋，真空包装
有问题可以在公屏上打出来，助理会一一回复
坚果礼盒里有六种坚果，每天一小包刚刚好
家人们点个赞，点赞到一万我们抽一台扫地机
这个牛肉干是内蒙古的，风干的，很有嚼劲
洗发水是无硅油配方，适合油性头皮
我们家是品牌官方旗舰店，正品有保障
今天的福利款只有两百单，拍完就恢复日常价
已经拍到的家人不要着急，四十八小时内发货
这款面霜质地是乳霜状的，干皮用起来很舒服
茶叶是明前采摘的，一芽一叶，香气很清
这件卫衣是加绒的，冬天里面穿一件就够
宝宝们喜欢的话可以加入粉丝团，每周有专属福利
这个保温杯颜色有四种，奶白、雾蓝、燕麦和墨绿
坚果都是当季的，开袋即食，不用剥壳
大家拍的时候注意一下规格，有两斤装和五斤装
我自己家里也在吃这款大米，煮粥特别香
最多可以拍五件，超过的话系统会自动取消
这一款羽绒服有六个颜色，黑色最百搭
这个价格是直播间专属的，平时店铺里没有
今天是我们直播的第一百场，感谢大家一路陪伴
主播说话比较直，不合适的家人不要勉强
扫地机带自动集尘，三十天不用倒垃圾
口红外壳是磁吸的，开合很有手感
这款牛肉干一袋是二百五十克，原味和麻辣味两种
蜂蜜是椴树蜜，结晶是正常现象，放心吃
家人们晚上好，今晚八点准时开播
我们的客服在线时间是早九点到晚十点
这款茶叶适合送长辈，礼盒包装很大气
如果收到有破损，拍照联系平台客服处理
这个价格真的很实在，大家可以对比一下
好了这一款就讲到这里，我们看下一款
我们今天的直播会到晚上十一点结束
下一款是大家期待已久的保温杯
这个面霜我已经用了两瓶了，挺喜欢这个味道
猕猴桃收到后放几天变软了再吃，口感更甜
羽绒服可以机洗，但是建议用洗衣袋
坚果礼盒过年送人很有面子
口红试色是在自然光下拍的，没有滤镜
扫地机的App可以设置禁区，宠物的碗就不会被撞翻
牛肉干是真空小包装，带去上班很方便
有需要开发票的家人联系客服，平台可以开电子发票
这款洗发水三百毫升，按压瓶设计
今天直播间下单的家人，我们额外送一个发圈
大米煮饭的时候水位比平时少一点
这款面霜是品牌的经典款，卖了很多年了
Ok，我们来看一下库存，还有三百多单
这个颜色叫做 Cherry Red，上嘴很显白
扫地机型号是 X10 Pro，屏幕上可以看到
家人们记得点击右下角的购物车
这款保温杯的杯盖可以拆开清洗
茶叶冲泡水温八十五度左右最合适
主播第一次用这个扫地机的时候也被吓到了，吸力很大
羽绒服的帽子是可以拆卸的
猕猴桃一箱大概二十个左右，按重量发货
我们支持先用后付，收到满意再付款
坚果里面有腰果、巴旦木、核桃和夏威夷果
这款洗面奶泡沫很细腻，洗完不紧绷
宝宝们别着急，库存在补，马上上架
这个保温杯适合上班族，放在包里不占地方
牛肉干的配料很简单，牛肉、盐和香辛料
我们直播间所有商品都支持运费险
来，我给大家再展示一下细节
这件羽绒服的拉链是YKK的
口红一共有五个色号，最受欢迎的是三号色
面霜建议晚上用，早上用的话薄涂一层就好
茶叶放在密封罐里保存，避免受潮
大米的产地是黑龙江五常
这一单拍完以后我们要换下一个品了
大家觉得主播讲得清楚的话扣个1
坚果开封后请尽快食用，注意密封
蜂蜜不适合一岁以下的宝宝食用
这个价格已经是品牌给到的最大让利了，大家按需购买
我们的仓库在杭州，江浙沪次日达
扫地机的滚刷是防缠绕设计，长头发也不怕
羽绒服是国标检测合格的，吊牌上有含绒量
这款口红是滋润型的，冬天用不会拔干
保温杯有一年质保，有问题直接找客服
牛肉干适合追剧的时候吃
主播今天嗓子有点哑，大家多担待
咱们今天的抽奖规则是评论区随机抽五位
这个蜂蜜是农户自己家养的蜂
今天的直播就到这里，谢谢大家，明天见""".splitlines()


def _homophones() -> dict[str, list[str]]:
    """Common characters (GB2312 level 1) grouped by toneless default reading."""
    by_reading: dict[str, list[str]] = {}
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                ch = bytes([high, low]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            raw = pinyin_dict.get(ord(ch))
            if raw:
                by_reading.setdefault(toneless(raw.split(",")[0]), []).append(ch)
    return by_reading


def _reading(ch: str) -> str | None:
    raw = pinyin_dict.get(ord(ch))
    return toneless(raw.split(",")[0]) if raw else None


def _evade(
    term: str, kind: str, rng: random.Random, s2t: opencc.OpenCC, homophones: dict[str, list[str]]
) -> str | None:
    chars = list(term)
    cjk = [i for i, c in enumerate(chars) if _reading(c)]
    if kind == "fullwidth":
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in term.upper())
    if kind == "traditional":
        return s2t.convert(term)
    if kind in ("separators", "emoji", "zero_width"):
        pool = {"separators": SEPARATORS, "emoji": EMOJI, "zero_width": ["\u200b", "\u200d", "\ufeff", "\u2060"]}[kind]
        return "".join(c + (rng.choice(pool) if i < len(chars) - 1 else "") for i, c in enumerate(chars))
    if kind == "repeats":
        i = rng.randrange(len(chars))
        chars[i] = chars[i] * rng.randint(2, 4)
        return "".join(chars)
    if not cjk:
        return None
    if kind == "pinyin":
        sep = rng.choice(["", " "])
        return sep.join(_reading(c) or c for c in chars)
    if kind == "pinyin_one":
        i = rng.choice(cjk)
        chars[i] = (_reading(chars[i]) or chars[i]).upper() if rng.random() < 0.3 else _reading(chars[i]) or chars[i]
        return "".join(chars)
    if kind == "initials" and len(chars) >= 2:
        i = rng.choice(cjk)
        reading = _reading(chars[i]) or ""
        chars[i] = reading[:2] if reading[:2] in ("zh", "ch", "sh") else (initial_of(reading) or reading)
        return "".join(chars)
    if kind == "homophone":
        rng.shuffle(cjk)
        for i in cjk:
            options = [h for h in homophones.get(_reading(chars[i]) or "", []) if h != chars[i]]
            if options:
                chars[i] = rng.choice(options)
                return "".join(chars)
    return None


def build() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    s2t = opencc.OpenCC("s2t")
    homophones = _homophones()
    rows: list[dict[str, object]] = []
    literal_kinds = ["fullwidth", "traditional", "separators", "emoji", "zero_width", "repeats"]
    phonetic_kinds = ["pinyin", "pinyin_one", "initials", "homophone"]
    for entry in load_library().entries:
        sources = list(entry.examples) if entry.pattern is not None else [entry.term]
        for source in sources:
            kinds = literal_kinds + (phonetic_kinds if entry.phonetic and entry.pattern is None else [])
            for kind in rng.sample(kinds, 2):
                evaded = _evade(source, kind, rng, s2t, homophones)
                if evaded is None or (evaded == source and kind not in ("traditional", "fullwidth")):
                    continue
                if kind != "repeats" and rng.random() < 0.3:
                    evaded = _evade(evaded, "repeats", rng, s2t, homophones) or evaded
                frame = rng.choice(FRAMES)
                head, tail = frame.split("{t}")
                prefix = head.format(p=rng.choice(PRODUCTS))
                text = prefix + evaded + tail.format(p=rng.choice(PRODUCTS))
                rows.append(
                    {
                        "text": text,
                        "label": "violation",
                        "entry_id": entry.id,
                        "evasion": kind,
                        "start": len(prefix),
                        "end": len(prefix) + len(evaded),
                    }
                )
    for line in CLEAN:
        rows.append({"text": line, "label": "clean"})
        # The same clean talk in the disguises sellers use must stay clean too.
        rows.append({"text": s2t.convert(line), "label": "clean"})
        rows.append({"text": "".join(c + ("🔥" if i % 5 == 4 else "") for i, c in enumerate(line)), "label": "clean"})
    return rows


if __name__ == "__main__":
    out = HERE / "evasion_eval.jsonl"
    rows = build()
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {out}")
