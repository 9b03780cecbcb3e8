"""The home page's cards and charts in both languages: the GMV card is 指标说明's livestream GMV, named as the one
definition names it, and the English page has no Chinese word or punctuation in its cards, chart titles or
greeting."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.fixtures.pages import sign_in
from tests.fixtures.world import World

from wanghong.analytics.metrics import METRICS

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # Chinese characters and full-width punctuation


def _shown(html: str) -> list[str]:
    return [
        *re.findall(r'<div class="label">([^<]*)</div>', html),
        *re.findall(r"<figcaption>([^<]*)</figcaption>", html),
        *re.findall(r"<h1>([^<]*)</h1>", html),
    ]


def test_the_home_cards_and_charts_switch_to_english(web_client: TestClient, world: World) -> None:
    for user in ("admin", "brandA", "mcnA"):
        web_client.cookies.clear()
        sign_in(web_client, world, user)
        chinese = web_client.get("/")
        assert chinese.status_code == 200
        assert METRICS["gmv_livestream"].zh in _shown(chinese.text), (user, _shown(chinese.text))
        web_client.cookies.set("lang", "en")
        english = _shown(web_client.get("/").text)
        assert METRICS["gmv_livestream"].en in english, (user, english)
        assert not [word for word in english if CJK.search(word.replace(f"{user}_{world.tag}", ""))], (user, english)
