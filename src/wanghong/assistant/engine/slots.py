"""What a viewer asks about (question type / slot) and which fact clauses can answer it.

Each slot has two sides: cues in a *question* (how viewers ask: "多少米", "贵不贵", "几天能到") and evidence in
a *fact* (how sellers state it: "到手价129元", "48小时内发货"). A question that names a slot is answered only
from clauses that carry that slot's evidence; when no fact does, the assistant hands over to the host instead
of answering with the nearest text. Cues are folded text (NFKC, lower case), like everything else here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wanghong.assistant.engine.text import fold


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    label_zh: str
    label_en: str
    question: re.Pattern[str]
    evidence: re.Pattern[str]
    weak: re.Pattern[str] | None  # words that state the slot only sometimes ("使用" in "孕妇使用前请咨询医生")


def _slot(name: str, zh: str, en: str, question: str, evidence: str, weak: str | None = None) -> Slot:
    return Slot(name, zh, en, re.compile(question), re.compile(evidence), re.compile(weak) if weak else None)


_N = r"\d[\d.,]*\s*"  # a number as it stands before its unit

SLOTS: tuple[Slot, ...] = (
    _slot(
        "price",
        "价格",
        "price",
        r"多少钱|几块|几元|多少元|什么价|啥价|价格|价钱|价位|售价|报价|贵不贵|贵吗|贵么|贵不|便宜|优惠|折扣|打折|"
        r"到手|划算|花多少|卖多少|多少米|怎么卖|掏多少|几个钱|多少money|要多少钱|多钱|咋卖|啥价位|how much|price|cost",
        rf"{_N}(?:元|块)|[¥￥]\s*\d|价格|售价|到手价|直播价|原价|日常价|券后|优惠价",
    ),
    _slot(
        "quantity",
        "净含量",
        "net content",
        r"多重|重量|几克|多少克|几斤|多少斤|几公斤|多少公斤|净含量|含量多少|容量|多少毫升|几毫升|多少ml|几ml|"
        r"多大瓶|多大罐|多大一瓶|多大一罐|分量|份量|装多少|装了多少|有多少量|量多少|多少量|量大不大|量多不多|几片|多少片|"
        r"多少粒|几粒|多少包|几包|多少支|几支|多少抽|几抽|一共多少|总共多少|几袋|多少袋|沉不沉|有多沉|weigh|how heavy",
        rf"{_N}(?:克|kg|g|千克|公斤|斤|毫升|ml|升|片|粒|包|袋|支|抽)(?!险)|净含量|重量|容量",
    ),
    _slot(
        "size",
        "尺寸",
        "size",
        r"尺寸|尺码|多大(?!瓶|罐|一瓶|一罐|容量|量|年纪|岁)|大小|多长|多宽|多高|多厚|长宽|码数|几码|什么码|穿多大|"
        r"多少码|体积|能放下|放得下|个头|占地|穿什么号|选什么号|选哪个码|\bsize|dimension",
        rf"{_N}(?:cm|厘米|毫米|mm|米|码|寸)|尺寸|尺码|[smlx]{{1,3}}码|均码|[smlx]{{1,3}}号|长\s*\d|宽\s*\d|高\s*\d",
    ),
    _slot(
        "shipping",
        "发货与物流",
        "shipping",
        r"发货|发出|快递|物流|几天到|多久到|多久能到|多久可以到|什么时候到|啥时候到|啥时候发|什么时候发|包邮|运费|邮费|"
        r"寄|配送|送货|顺丰|到货|收到货|几天能收|多久能收|多久发|ship|deliver",
        r"发货|快递|包邮|运费(?!险)|邮费|配送|顺丰|物流|寄出|送达|内发出|揽收",
    ),
    _slot(
        "returns",
        "退换货",
        "returns",
        r"退货|退换|退款|换货|无理由|不满意|能退|可以退|退吗|退不退|能换|可以换|不喜欢怎么办|不合适怎么办|"
        r"不想要了|退回|运费险|return|refund",
        r"退货|退换|退款|换货|无理由|运费险",
    ),
    _slot(
        "warranty",
        "保修",
        "warranty",
        r"保修|质保|坏了|保固|维修|修吗|出问题|故障|包修|包换",
        r"保修|质保|维修|包修|包换",
        r"换新",
    ),
    _slot(
        "ingredients",
        "成分与材质",
        "ingredients and material",
        r"成分|配料|配方|材质|面料|什么做的|啥做的|什么材料|啥材料|原料|用料|含不含|有没有加|添加|含有|含酒精|含糖|"
        r"防腐剂|香精|里面有什么|里面有啥|是棉的|纯棉吗|真皮吗",
        r"成分|配料|配方|材质|面料|原料|用料|含有|无添加|纯棉|真皮|棉质",
        r"添加|不含",
    ),
    _slot(
        "origin",
        "产地",
        "origin",
        r"产地|哪里产|哪产|哪里生产|哪生产|哪国|哪个国家|进口|国产|原产|哪儿产|出自哪|哪里做的|哪做的|厂家|"
        r"哪里来的|哪来的|哪个地方",
        r"产地|产自|原产|产于|生产商|生产于|进口|制造|厂家|生产(?!日期|许可)",
        r"国产",
    ),
    _slot(
        "shelf_life",
        "保质期",
        "shelf life",
        r"保质期|有效期|能放多久|放多久|过期|存放多久|保存多久|多久过期|生产日期|新鲜吗|能放多长|保存期|放多长时间",
        r"保质期|有效期|保存期|生产日期",
    ),
    _slot(
        "storage",
        "储存方式",
        "storage",
        r"怎么保存|如何保存|怎么存放|如何存放|怎么储存|储存|冷藏|冷冻|放冰箱|常温|怎么放|放哪里",
        r"储存|贮存|保存于|存放|冷藏|冷冻|常温|阴凉|避光",
    ),
    _slot(
        "qualification",
        "资质认证",
        "qualifications",
        r"资质|认证|备案|检测|质检|报告|许可|正品|假货|真的假的|证书|3c|合格|授权|官方|靠谱吗|是真的吗",
        r"备案|认证|检测|质检|许可|证书|资质|授权|合格|3c|正品",
    ),
    _slot(
        "usage",
        "使用方法",
        "how to use",
        r"怎么用|怎么使用|用法|如何使用|如何用|使用方法|怎么吃|吃法|怎么喝|怎么洗|一天几次|每天几次|用量|怎么涂|步骤|"
        r"怎么操作|怎么泡|怎么冲|咋用|咋吃|用几次|多久用一次|几次|怎么抹|怎么擦",
        r"用法|每次|涂抹|冲泡|洗涤|取适量|早晚|步骤|清洗|手洗|机洗|即食|开机|按键",
        r"使用|食用|每日|每天",
    ),
    _slot(
        "suitability",
        "适用人群",
        "who it suits",
        r"适合|适用|孕妇|哺乳|敏感肌|油皮|干皮|混油|宝宝|儿童|小孩|孩子|老人|男生|女生|男士|女士|能用吗|可以用吗|"
        r"肤质|人群|能吃吗|可以吃吗|几岁",
        r"适合|适用|人群|孕妇|敏感肌|儿童|婴幼儿|老人|肤质|不宜|慎用|禁用|岁以上|岁以下",
    ),
    _slot(
        "color",
        "颜色款式",
        "colours and styles",
        r"颜色|色号|什么色|啥色|几种色|几个色|配色|有黑|有白|有红|有蓝|有粉|款式|几种款|几款|啥款",
        r"颜色|色号|配色|[黑白红蓝绿灰粉紫黄金银棕米咖杏]色|款式|色可选",
    ),
    _slot(
        "stock",
        "库存",
        "stock",
        r"库存|还有货|有货吗|有没有货|现货|断货|卖完|还剩|补货|抢得到|还有多少件|有多少单",
        r"库存|现货|限量|剩余|仅剩|补货|预售",
    ),
    _slot(
        "gift",
        "赠品",
        "gifts",
        r"赠品|送什么|送啥|有送|礼品|赠送|买一送|附赠|小样|福利|还送|送不送|有赠",
        r"赠(?!运费险)|买.送|送.{0,6}(?:小样|礼|份|个|支|瓶|包|袋)|礼盒|小样",
    ),
    _slot(
        "battery",
        "续航与充电",
        "battery and charging",
        r"续航|电池|充电|待机|电量|充满|用电|插电",
        r"续航|mah|充满(?:电)?(?:约|需要|需|要)?\s*\d|待机|快充|充电时间",
        r"电池|充电",
    ),
    _slot(
        "payment",
        "支付方式",
        "payment",
        r"分期|花呗|信用卡|付款|支付|货到付款|白条|免息",
        r"分期|花呗|信用卡|白条|免息|货到付款",
        r"支付|付款(?!后)",
    ),
    _slot(
        "invoice",
        "发票",
        "invoices",
        r"发票|开票|专票|普票|报销",
        r"发票|开票",
    ),
)

BY_NAME = {slot.name: slot for slot in SLOTS}


# Questions about the host or the live room, not the product: "主播多高" must not be answered with a size chart.
_ABOUT_THE_ROOM = re.compile(
    r"主播(?:你|您)?(?:多高|多重|多大|几岁|身高|体重|是哪|哪里人|叫什么|穿的|今天穿|戴的|用的什么)|下播|开播|几点播|"
    r"还播|抽奖|福袋|上次那个|上个链接|之前那个链接|隔壁|别家|上一个|下一个|唱首歌|跳个舞"
)


def about_the_room(question: str) -> bool:
    return bool(_ABOUT_THE_ROOM.search(fold(question)))


def asked_slots(question: str) -> list[Slot]:
    """Slots the question asks about, in the order it asks them."""
    folded = fold(question)
    found = [(match.start(), slot) for slot in SLOTS if (match := slot.question.search(folded))]
    return [slot for _start, slot in sorted(found, key=lambda item: item[0])]


# A card's header names the product ("【便携充电宝】…"); the name is no evidence of what the fact says.
_HEADER = re.compile(r"【[^】]*】|\[[^\]]*\]")


def strength(slot: Slot, text: str) -> int:
    """2 when the text clearly states the slot, 1 when only a weak word does, 0 when it does not."""
    folded = _HEADER.sub(" ", fold(text))
    if slot.evidence.search(folded):
        return 2
    return 1 if slot.weak is not None and slot.weak.search(folded) else 0


def states(slot: Slot, text: str) -> bool:
    return strength(slot, text) > 0
