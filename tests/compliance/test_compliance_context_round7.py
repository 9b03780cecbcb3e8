"""Seventh round of issue #20 (after the blind set outside_heldout7, and the blind outside_heldout8 scored once):
lawful uses the context lacked — a viewer's own question, an answer that names its subject before the denial, a
relative clause whose head is condemned (凡是让你加微信的都是骗子), what a test or a court found of a reported claim,
a journalist's report, the offer's own items as the comparison set, a welcome naming the shop, a name said to be one
before its quotation, a declined or causative negation, a health food's approved function, a shoe's lift and a size
word read as a homophone. New wordings, none a row of any set, each beside the same words used as a claim."""

from __future__ import annotations

from tests.compliance.probes import caught_test, hit_reasons, lawful_test

from wanghong.compliance.engine import Scanner
from wanghong.compliance.engine.context import Reason

LAWFUL = [
    # a viewer's question
    "客服，这款真的是全网最便宜的吗？我朋友说别处更便宜",
    "这个精油真的能治失眠吗，我看评论都这么说",
    "这个枸杞能降血压吗？我妈血压有点高",
    # an answer that names its subject before the denial
    "有人问这个牙膏能治牙周炎吗？牙膏不能治病，严重的请看牙医",
    # condemned heads, warnings, findings
    "凡是让你私下转账的“客服”，都是骗子",
    "提醒大家：说能“根治”痛风的茶都别信",
    "有网店宣称“一周瘦八斤”，经抽检含有违禁成分",
    "判决书显示，某机构承诺“不过全额退费”却未兑现",
    "记者暗访：“保过班”收费上万，退费时推三阻四",
    # the offer's own items, names, welcomes
    "这两款里面我最推荐左边这款，因为更轻",
    "今天上的这几个口味里，最辣的是麻辣味",
    "欢迎来到天下第一面馆的直播间",
    "这家火锅店名叫“极品牛油”，开了八年",
    "本店这个月卖得第一的是燕麦色",
    # declined, causative and bragging negations
    "不敢说第一，也不吹第一，只说用料实在",
    "我们从不引导顾客加微信，售后都在平台",
    "包过我们不敢保证，但课程会讲透",
    "别问能不能治脱发，它就是一瓶护发素",
    # registered functions, shoes, sizes
    "蓝帽子保健食品，批准的保健功能是有助于降低血脂",
    "这双马丁靴内增高三厘米，走路不累",
    "第二个链接是大码，胖宝宝拍这个",
]

CLAIMS = [
    "客服，这款真的是全网最便宜的吗？当然是！",
    "这个精油能治失眠吗？能，三天见效",
    "凡是用过我们面霜的，都说是最好的",
    "有网店宣称一周瘦八斤，是真的，我们家就是",
    "这两款都是全网最好的",
    "欢迎来到直播间，这是全网第一的面馆",
    "我们保证包过，不过退费",
    "加一下我们店长微信，私下下单更便宜",
    "吃了这个增高五厘米，孩子长个快",
    "有没有大麻，私聊",
    "全网销量第一的是我们家燕麦色",
    "销量第一的是这款",
]


test_uses_the_round_taught_pass = lawful_test(LAWFUL)


test_claims_in_the_same_frames_are_caught = caught_test(CLAIMS)


def test_a_viewers_question_has_its_own_reason(raw_scanner: Scanner) -> None:
    assert hit_reasons(raw_scanner, "这个枸杞能降血压吗？我妈血压有点高") == {Reason.ASKED}
    assert hit_reasons(raw_scanner, "主播，这个是全网最低价吗？") == {Reason.ASKED}
    # The same question answered by the seller's confirmation, or followed by the pitch, is a claim.
    assert hit_reasons(raw_scanner, "这个枸杞能降血压吗？能！") == {None}
    assert hit_reasons(raw_scanner, "想要全网最低价吗？我告诉你，就在这里") == {None}
