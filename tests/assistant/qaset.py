"""Product-facts QA set: simulated products, their facts, and viewers' questions (answerable or not).

Deterministic (seeded). Each product is a card of facts ``{"id", "text"}`` written the way brands write them
("直播间到手价129元，日常价199元"); each question is written the way viewers type barrage ("这个要多少米", "啥时候
能寄出来"), with as little word overlap with the fact as natural Chinese allows. A question is *unanswerable*
when its product's card lacks the fact it needs (the card omits some slots on purpose) or when it asks about
something no card covers (the host, the live room, comparisons). ``python -m tests.assistant.qaset OUT_DIR``
writes ``facts/<product>.jsonl`` and ``questions.jsonl`` for the CLI contract.

A question is answered correctly when the answer cites its gold fact and contains its gold value.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    product: str
    text: str
    gold_fact: str | None  # None: unanswerable
    gold_value: str | None
    slot: str


@dataclass(frozen=True, slots=True)
class Product:
    id: str
    name: str
    facts: list[dict[str, str]]


# Viewers' wordings per slot; fact wordings live in the category tables below. Few share a word with the facts.
ASK = {
    "price": ["这个要多少米", "入手得掏多少", "现在下单花多少", "几个钱啊", "贵不贵呀", "今天啥价位", "咋卖的"],
    "quantity": ["一瓶有多少量", "分量足不足，装了多少", "有多沉", "一共多少片", "量大不大"],
    "size": ["多大个头", "尺码怎么选，我一米六", "长宽是多少", "占地大吗，大小如何", "选什么号合适"],
    "shipping": ["啥时候能寄出来", "拍了多久能收到货", "要出邮费不", "用的哪家快递", "多久发"],
    "returns": ["不喜欢怎么办", "收到不合适能退回吗", "不想要了咋弄", "买了不满意咋整"],
    "warranty": ["坏了管不管修", "出问题包修吗", "用久了出故障怎么办"],
    "ingredients": ["里面有啥东西", "用的什么材料", "有没有加香精", "是啥做的"],
    "origin": ["哪个地方产的", "是进口的还是国产", "哪里来的货"],
    "shelf_life": ["能放多长时间", "多久过期", "放多久会坏，保存期多长"],
    "storage": ["买回去怎么放", "要放冰箱吗", "怎么存放比较好"],
    "qualification": ["是正品吗，有没有证书", "靠谱吗，有检测报告没", "有没有备案，真的假的"],
    "usage": ["咋用啊", "一天抹几次", "怎么操作", "怎么吃比较好"],
    "suitability": ["孕妇能用吗", "小孩可以吃吗", "敏感肌能用吗", "男生适合吗"],
    "color": ["有几种色", "有黑的吗", "啥款式可选"],
    "gift": ["送不送东西", "有小样吗", "还有啥福利"],
    "battery": ["电量能撑多久", "充满要多久", "续航咋样"],
    "payment": ["能分期不", "可以用花呗吗", "支持货到付款吗"],
    "invoice": ["能开发票吗", "公司报销要票，能开吗"],
}

# One free-form fact per category that fits no slot: the assistant must find it by meaning and overlap alone.
FREE_FORM = {
    "cosmetics": (
        "可以和其他护肤品叠加使用，建议先用精华再用面霜。",
        "叠加使用",
        ["能跟别的护肤品一块儿用不", "和精华一起抹行吗"],
    ),
    "food": ("独立小包装，方便随身携带。", "独立小包装", ["是一小包一小包的吗", "出门带着方便吗"]),
    "apparel": ("版型偏大，建议拍小一码。", "拍小一码", ["版型偏大还是偏小", "平时穿M该拍啥"]),
    "electronics": ("支持蓝牙5.3，可同时连接两台设备。", "两台设备", ["能同时连两台手机吗", "蓝牙是几代的"]),
    "home": ("可以放进洗碗机清洗，也能进烤箱。", "洗碗机", ["能扔洗碗机里吗", "放烤箱里会坏吗"]),
}

# Questions about nothing a product card states: every one of them must be handed over.
OFF_CARD = [
    "主播今天穿的外套是哪家的",
    "明天晚上还播吗",
    "主播是哪里人呀",
    "你们公司在哪个城市",
    "上次那个链接还能买吗",
    "抽奖什么时候开始",
    "主播多高",
    "和隔壁直播间那款比哪个好",
    "能不能唱首歌",
    "下一个上什么",
    "你们店开了几年了",
    "有线下门店吗",
    "这个牌子哪年成立的",
    "明星同款吗",
    "别人买了评价怎么样",
    "能拍张实物图给我看看吗",
    "老板今天心情好吗",
    "和苹果的比哪个强",
    "买两个能再少点吗",
    "送人合适吗",
    "我妈会喜欢吗",
    "这周末还有活动吗",
]

# name, then per slot (fact text with {placeholders}, gold value template); values drawn per product.
CATEGORIES: dict[str, dict[str, object]] = {
    "cosmetics": {
        "names": ["水光面霜", "修护精华", "氨基酸洁面乳", "玻尿酸面膜", "清透防晒乳", "烟酰胺身体乳", "保湿爽肤水"],
        "facts": {
            "price": ("直播间到手价{price}元，日常价{list_price}元。", "{price}元"),
            "quantity": ("净含量{grams}克。", "{grams}克"),
            "shipping": ("付款后{hours}小时内发货，全国包邮，偏远地区除外。", "{hours}小时内发货"),
            "returns": ("支持七天无理由退货，未拆封可退。", "七天无理由退货"),
            "ingredients": ("主要成分为{ingredient}、甘油和水。", "{ingredient}"),
            "origin": ("产地为{city}，由{city}工厂生产。", "{city}"),
            "shelf_life": ("保质期{months}个月，开封后建议{open_months}个月内用完。", "{months}个月"),
            "qualification": ("已完成国产普通化妆品备案，备案号可在国家药监局网站查询。", "备案"),
            "usage": ("洁面后取适量涂抹于面部，早晚各一次。", "早晚各一次"),
            "suitability": ("适合干性和混合性肌肤，孕妇使用前请咨询医生。", "适合干性和混合性肌肤"),
            "gift": ("下单赠送同系列小样{gifts}份。", "小样{gifts}份"),
            "payment": ("支持花呗分期，最多{instalments}期免息。", "{instalments}期免息"),
        },
    },
    "food": {
        "names": ["每日坚果", "冻干草莓", "手工牛肉干", "燕麦脆片", "低糖酸奶块", "黑芝麻丸", "原味腰果"],
        "facts": {
            "price": ("直播间价格{price}元一箱，原价{list_price}元。", "{price}元"),
            "quantity": ("每箱{bags}袋，每袋{grams}克。", "{bags}袋"),
            "shipping": ("{days}天内从仓库发出，默认中通快递。", "中通快递"),
            "returns": ("食品类拆封后不支持无理由退货，破损包赔。", "不支持无理由退货"),
            "ingredients": ("配料表：{food}、食用盐，无添加防腐剂。", "{food}"),
            "origin": ("产自{city}，{city}本地工厂加工。", "{city}"),
            "shelf_life": ("保质期{months}个月，生产日期见包装。", "{months}个月"),
            "storage": ("请置于阴凉干燥处储存，开袋后尽快食用。", "阴凉干燥处"),
            "qualification": ("持有食品生产许可证，每批次出厂检测合格。", "食品生产许可证"),
            "usage": ("开袋即食，也可搭配牛奶或酸奶食用。", "开袋即食"),
            "suitability": ("适合三岁以上人群，坚果过敏者慎用。", "三岁以上"),
            "invoice": ("可开具电子普通发票，下单时备注抬头。", "电子普通发票"),
        },
    },
    "apparel": {
        "names": ["羊毛大衣", "纯棉T恤", "高腰牛仔裤", "羽绒马甲", "真丝衬衫", "针织开衫", "运动卫衣"],
        "facts": {
            "price": ("今晚直播价{price}元，吊牌价{list_price}元。", "{price}元"),
            "size": ("尺码S到XL，身高160厘米体重100斤左右建议M码。", "M码"),
            "shipping": ("预售款，付款后{days}天内发货，顺丰包邮。", "{days}天内发货"),
            "returns": ("支持七天无理由退换，吊牌未拆可退，赠运费险。", "七天无理由退换"),
            "ingredients": ("面料成分：{fabric}含量{percent}%。", "{percent}%"),
            "origin": ("{city}工厂制造。", "{city}"),
            "usage": ("建议冷水手洗，不可漂白，平铺晾干。", "冷水手洗"),
            "color": ("有黑色、燕麦色和雾霾蓝三种颜色可选。", "黑色"),
            "gift": ("下单赠送同色系围巾一条。", "围巾"),
            "payment": ("支持花呗分期，最多{instalments}期免息。", "{instalments}期免息"),
        },
    },
    "electronics": {
        "names": ["降噪耳机", "便携充电宝", "智能手环", "迷你投影仪", "电动牙刷", "无线鼠标", "蓝牙音箱"],
        "facts": {
            "price": ("直播间专享价{price}元，官方标价{list_price}元。", "{price}元"),
            "quantity": ("整机重量约{grams}克。", "{grams}克"),
            "size": ("机身尺寸{length}×{width}×{height}毫米。", "{length}×{width}×{height}毫米"),
            "shipping": ("现货，当天下午四点前付款当天发货，顺丰包邮。", "当天发货"),
            "returns": ("支持七天无理由退货，十五天内有质量问题可换新。", "七天无理由退货"),
            "warranty": ("整机保修{warranty}年，电池保修{battery_warranty}个月。", "{warranty}年"),
            "origin": ("{city}生产，品牌授权正品。", "{city}"),
            "qualification": ("已通过3C认证，证书编号可在包装上查看。", "3C认证"),
            "usage": ("首次使用请先充满电，长按电源键三秒开机。", "长按电源键三秒开机"),
            "color": ("有曜石黑和云雾白两种颜色。", "曜石黑"),
            "battery": ("电池容量{mah}mAh，充满约{charge_hours}小时，续航约{runtime}小时。", "{runtime}小时"),
            "invoice": ("可开具增值税电子发票。", "增值税电子发票"),
        },
    },
    "home": {
        "names": ["乳胶枕", "不粘炒锅", "四件套", "收纳箱", "香薰蜡烛", "保温杯", "硅藻泥地垫"],
        "facts": {
            "price": ("直播间到手价{price}元，两件再减{discount}元。", "{price}元"),
            "size": ("尺寸{length}厘米×{width}厘米，高{height}厘米。", "{length}厘米×{width}厘米"),
            "quantity": ("净重约{kg}千克。", "{kg}千克"),
            "shipping": ("{hours}小时内发货，韵达快递，全国包邮。", "{hours}小时内发货"),
            "returns": ("支持七天无理由退货，需保持商品完好。", "七天无理由退货"),
            "warranty": ("质保{warranty}年，非人为损坏免费换新。", "{warranty}年"),
            "ingredients": ("材质为{material}。", "{material}"),
            "origin": ("产地{city}。", "{city}"),
            "qualification": ("通过国家质检中心检测，检测报告可在详情页查看。", "检测报告"),
            "usage": ("首次使用前用清水清洗并擦干。", "清水清洗"),
            "color": ("有米白色和浅灰色两种配色。", "米白色"),
            "gift": ("下单附赠清洁刷一把。", "清洁刷"),
        },
    },
}

CITIES = ["杭州", "广州", "上海", "苏州", "成都", "青岛", "深圳", "宁波", "泉州", "昆明"]
INGREDIENTS = ["烟酰胺", "透明质酸钠", "神经酰胺", "积雪草提取物", "角鲨烷"]
FOODS = ["扁桃仁、腰果、核桃仁", "草莓", "牛肉、白砂糖", "燕麦、蜂蜜", "黑芝麻、红枣"]
FABRICS = ["棉", "羊毛", "桑蚕丝", "聚酯纤维"]
MATERIALS = ["天然乳胶", "食品级不锈钢", "聚丙烯", "大豆蜡", "硅藻土"]


def _values(rng: random.Random) -> dict[str, object]:
    price = rng.randrange(29, 999)
    return {
        "price": price,
        "list_price": price + rng.randrange(20, 300),
        "grams": rng.choice([30, 50, 100, 150, 200, 250, 500]),
        "hours": rng.choice([24, 48, 72]),
        "days": rng.choice([3, 5, 7, 15]),
        "months": rng.choice([12, 18, 24, 36]),
        "open_months": rng.choice([3, 6]),
        "gifts": rng.choice([2, 3, 5]),
        "instalments": rng.choice([3, 6, 12]),
        "bags": rng.choice([10, 15, 20, 30]),
        "percent": rng.choice([60, 80, 95, 100]),
        "length": rng.randrange(40, 200),
        "width": rng.randrange(20, 90),
        "height": rng.randrange(5, 40),
        "warranty": rng.choice([1, 2, 3]),
        "battery_warranty": rng.choice([6, 12]),
        "mah": rng.choice([500, 2000, 5000, 10000]),
        "charge_hours": rng.choice([1, 2, 3]),
        "runtime": rng.choice([8, 20, 30, 48]),
        "kg": rng.choice([1.2, 1.5, 2.5, 3]),
        "discount": rng.choice([10, 20, 30]),
        "city": rng.choice(CITIES),
        "ingredient": rng.choice(INGREDIENTS),
        "food": rng.choice(FOODS),
        "fabric": rng.choice(FABRICS),
        "material": rng.choice(MATERIALS),
    }


def build(seed: int = 19) -> tuple[list[Product], list[Question]]:
    rng = random.Random(seed)
    products: list[Product] = []
    questions: list[Question] = []
    for category, spec in CATEGORIES.items():
        table: dict[str, tuple[str, str]] = spec["facts"]  # type: ignore[assignment]
        for name in spec["names"]:  # type: ignore[attr-defined]
            pid = f"{category}-{len(products):02d}"
            values = _values(rng)
            present = list(table)
            missing = set(rng.sample(present[1:], k=2))  # every card keeps its price; two slots are left out
            facts: list[dict[str, str]] = []
            gold: dict[str, tuple[str, str]] = {}
            for slot in present:
                if slot in missing:
                    continue
                text_template, value_template = table[slot]
                fact_id = f"{pid}-f{len(facts) + 1}"
                facts.append({"id": fact_id, "text": f"【{name}】" + text_template.format(**values)})
                gold[slot] = (fact_id, value_template.format(**values))
            free_text, free_value, free_asks = FREE_FORM[category]
            free_id = f"{pid}-f{len(facts) + 1}"
            facts.append({"id": free_id, "text": f"【{name}】{free_text}"})
            products.append(Product(pid, name, facts))
            asked = [slot for slot in present if slot in gold]
            for slot in rng.sample(asked, k=min(6, len(asked))):
                fact_id, value = gold[slot]
                text = rng.choice(ASK[slot])
                questions.append(Question(f"{pid}-q{len(questions)}", pid, text, fact_id, value, slot))
            questions.append(
                Question(f"{pid}-q{len(questions)}", pid, rng.choice(free_asks), free_id, free_value, "free")
            )
            for slot in sorted(missing):
                if slot in ASK:
                    questions.append(Question(f"{pid}-q{len(questions)}", pid, rng.choice(ASK[slot]), None, None, slot))
            for text in rng.sample(OFF_CARD, k=2):
                questions.append(Question(f"{pid}-q{len(questions)}", pid, text, None, None, "off_card"))
    return products, questions


def write(directory: Path, seed: int = 19) -> None:
    products, questions = build(seed)
    (directory / "facts").mkdir(parents=True, exist_ok=True)
    for product in products:
        lines = [json.dumps(fact, ensure_ascii=False) for fact in product.facts]
        (directory / "facts" / f"{product.id}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (directory / "questions.jsonl").open("w", encoding="utf-8") as out:
        for q in questions:
            record = {
                "id": q.id,
                "product": q.product,
                "text": q.text,
                "gold_fact": q.gold_fact,
                "gold_value": q.gold_value,
            }
            out.write(json.dumps(record | {"slot": q.slot}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("qaset"))
