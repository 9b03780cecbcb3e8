"""Word-level rules of the text engine (issue #20): decimals and money, digit strings, named-thing swaps,
rewording below the threshold, truncation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wanghong.originality.engine.normalize import normalize
from wanghong.originality.engine.text_index import TextItem, TextNearDupIndex

T0 = datetime(2024, 5, 1, tzinfo=UTC)


def _pairs(*texts: str) -> set[tuple[int, int]]:
    index = TextNearDupIndex()
    items = [TextItem(f"t{i}", text, T0 + timedelta(minutes=i)) for i, text in enumerate(texts)]
    return {(int(p.a[1:]), int(p.b[1:])) for p in index.add_batch(items)}


def test_decimals_and_spoken_prices_read_alike() -> None:
    assert normalize("9.9元包邮") == normalize("9块9包邮") == normalize("九块九包邮") == "9.9元包邮"
    assert normalize("花20块钱") == normalize("花20元") == "花20元"
    assert normalize("1毛钱") == "0.1元"
    assert normalize("两块一斤") == "2元1斤"  # the digit after 块 counts 斤, it is no part of the price
    assert normalize("1.5万") == normalize("一万五") == "15000"


def test_digit_strings_keep_their_zeros() -> None:
    assert normalize("零零后") == normalize("〇〇后") == normalize("00后") == "00后"
    assert normalize("二〇二四年") == "2024年"


def test_a_tenth_of_the_price_is_another_video() -> None:
    assert _pairs("助播手滑把价格改成1毛钱，主播傻眼了", "助播手滑把价格改成一块钱，主播傻眼了") == set()


def test_a_swapped_named_thing_is_another_video() -> None:
    assert _pairs("白洞到底是什么？一个视频带你看懂", "黑洞到底是什么？一个视频带你看懂") == set()
    assert _pairs("微胖女生夏季穿搭合集，遮肉显瘦又高级", "微胖女生冬季穿搭合集，遮肉显瘦又高级") == set()
    assert _pairs("手把手教你做蛋糕，不用烤箱也能做", "手把手教你做蛋挞，不用烤箱也能做") == set()


def test_a_longer_model_name_is_another_product() -> None:
    assert _pairs("iPhone 15 Pro 用了半年的真实感受", "iPhone 15 Pro Max 用了半年的真实感受") == set()
    assert _pairs("iPhone 15 Pro 用了半年的真实感受", "iPhone15Pro用了半年的真实感受") == {(0, 1)}


def test_reworded_grammar_words_stay_a_copy_below_the_threshold() -> None:
    assert _pairs("千元蓝牙耳机横评，降噪哪家强", "千元蓝牙耳机横评，降噪谁最强") == {(0, 1)}
    assert _pairs("爸爸带娃vs妈妈带娃，差别太大了", "爸爸带娃和妈妈带娃，差别太大了") == {(0, 1)}
    # An inserted named thing is not a rewording: the longer title is about a 奶瓶.
    assert _pairs("优点和缺点都在这里", "奶瓶真测评，优点和缺点都在这里") == set()


def test_a_long_title_cut_short_is_a_copy() -> None:
    original = "跟着外婆学做传统米糕，从泡米到蒸好要整整两天，这是小时候的味道"
    assert _pairs(original, "跟着外婆学做传统米糕，从泡米到蒸好要整整两天") == {(0, 1)}
