"""Chinese display names for the simulated MCNs, brands, creators, products and campaigns, and creators' cities.

Names are the one place the generator loops over rows in Python: strings cannot be built by numpy.
"""

from __future__ import annotations

import numpy as np

from wanghong.simulator.engine.tables import CATEGORIES

# Name parts; combined in mixed radix so that every generated name is unique.
_MCN_HEADS = list("星辰光耀锦华云海天启乐悦")
_MCN_MIDS = list("娱播盟创映潮橙聚")
_MCN_TAILS = ["传媒", "文化", "网络科技", "娱乐", "互娱"]
_BRAND_HEADS = list("鲜优美佳禾初森然臻简")
_BRAND_MIDS = list("品研选颜味物")
_BRAND_TAILS = ["", "家", "坊", "堂", "纪"]
_NICK = ["小", "阿", "大", "老", "甜", "酷", "胖", "乖"]
_NICK_CORE = list("鱼米糖果乐晴月风花石豆桃")
_CATEGORY_TAILS = {
    "beauty": "美妆日记",
    "fashion": "穿搭",
    "food": "爱美食",
    "digital": "测评",
    "mother_baby": "育儿记",
    "home": "好物",
    "agriculture": "的果园",
    "games": "游戏",
    "education": "讲堂",
    "travel": "去旅行",
    "health": "养生",
    "sports": "健身",
}
_PRODUCT_NOUNS = {
    "beauty": "精华液",
    "fashion": "连衣裙",
    "food": "零食礼包",
    "digital": "蓝牙耳机",
    "mother_baby": "纸尿裤",
    "home": "收纳盒",
    "agriculture": "脐橙",
    "games": "游戏手柄",
    "education": "网课",
    "travel": "旅行箱",
    "health": "保健茶",
    "sports": "瑜伽垫",
}
_CITIES = (  # by CITY_TIERS order
    ["北京", "上海", "广州", "深圳"],
    ["成都", "杭州", "重庆", "武汉", "西安", "苏州", "南京", "长沙", "郑州", "天津", "青岛", "合肥"],
    ["昆明", "沈阳", "济南", "厦门", "福州", "温州", "大连", "哈尔滨", "南宁", "石家庄", "贵阳", "南昌"],
    ["潍坊", "保定", "洛阳", "绵阳", "赣州", "桂林", "湛江", "襄阳", "邯郸", "宜昌"],
    ["菏泽", "周口", "商丘", "阜阳", "曲靖", "南充", "临沂", "遵义", "宿迁", "六安"],
)


def unique_names(rng: np.random.Generator, n: int, heads: list[str], mids: list[str], tails: list[str]) -> np.ndarray:
    radix = len(heads) * len(mids) * len(tails)
    slots = rng.permutation(max(n, radix))[:n]
    names = []
    for slot in slots.tolist():
        head, rest = heads[slot % len(heads)], slot // len(heads)
        mid, rest = mids[rest % len(mids)], rest // len(mids)
        tail, lap = tails[rest % len(tails)], rest // len(tails)
        names.append(f"{head}{mid}{tail}" + (str(lap + 1) if lap else ""))
    return np.array(names)


def mcn_names(rng: np.random.Generator, n: int) -> np.ndarray:
    return unique_names(rng, n, _MCN_HEADS, _MCN_MIDS, _MCN_TAILS)


def brand_names(rng: np.random.Generator, n: int) -> np.ndarray:
    return unique_names(rng, n, _BRAND_HEADS, _BRAND_MIDS, _BRAND_TAILS)


def creator_display_names(rng: np.random.Generator, primary_category: np.ndarray) -> np.ndarray:
    """A nickname plus the creator's niche ("小鱼美妆日记"); nicknames repeat, handles keep creators apart."""
    nick = rng.integers(0, len(_NICK) * len(_NICK_CORE), size=len(primary_category))
    return np.array(
        [
            f"{_NICK[k % len(_NICK)]}{_NICK_CORE[k // len(_NICK)]}{_CATEGORY_TAILS[CATEGORIES[c].value]}"
            for k, c in zip(nick.tolist(), primary_category.tolist(), strict=True)
        ]
    )


def regions(rng: np.random.Generator, city_tier: np.ndarray) -> np.ndarray:
    """A city of each creator's city tier, uniformly."""
    pick = rng.random(len(city_tier))
    return np.array(
        [_CITIES[t][int(u * len(_CITIES[t]))] for t, u in zip(city_tier.tolist(), pick.tolist(), strict=True)]
    )


def product_names(
    brand_names: np.ndarray, product_brand: np.ndarray, category: np.ndarray, index_in_brand: np.ndarray
) -> np.ndarray:
    return np.array(
        [
            f"{brand_names[b]}{_PRODUCT_NOUNS[CATEGORIES[c].value]} {k + 1}号"
            for b, c, k in zip(product_brand.tolist(), category.tolist(), index_in_brand.tolist(), strict=True)
        ]
    )


def campaign_names(brand_names: np.ndarray, campaign_brand: np.ndarray, index_in_brand: np.ndarray) -> np.ndarray:
    return np.array(
        [
            f"{brand_names[b]} 第{k + 1}期推广"
            for b, k in zip(campaign_brand.tolist(), index_in_brand.tolist(), strict=True)
        ]
    )
