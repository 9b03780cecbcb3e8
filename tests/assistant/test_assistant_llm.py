from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wanghong.assistant.compliance_gate import ComplianceGate
from wanghong.assistant.engine.answer import GroundedAnswerer
from wanghong.assistant.engine.dense import UniversalSentenceEncoder
from wanghong.assistant.engine.retrieval import Passage
from wanghong.assistant.engine.text import numbers_in
from wanghong.assistant.llm import LLMSettings, OpenAICompatibleComposer, parse_draft

CARD = [Passage("p1", "直播间到手价129元，日常价199元。"), Passage("p2", "付款后48小时内发货。")]


class Endpoint:
    """A local OpenAI-compatible /chat/completions server that replies with whatever the test sets."""

    def __init__(self) -> None:
        self.reply = ""
        self.requests: list[dict[str, object]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                endpoint.requests.append({"path": self.path, "body": body})
                payload = json.dumps({"choices": [{"message": {"content": endpoint.reply}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    served = Endpoint()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    yield served
    served.server.shutdown()
    served.server.server_close()


def _answerer(url: str, encoder: UniversalSentenceEncoder, gate: ComplianceGate) -> GroundedAnswerer:
    return GroundedAnswerer(CARD, encoder, gate, composer=OpenAICompatibleComposer(LLMSettings(url, timeout_s=2)))


def test_a_grounded_llm_draft_is_sent_labelled(
    endpoint: Endpoint, encoder: UniversalSentenceEncoder, gate: ComplianceGate
) -> None:
    endpoint.reply = "宝宝们，今天直播间到手只要129元哦 [p1]"
    answer = _answerer(endpoint.url, encoder, gate).answer("这个要多少米")
    assert answer.answer == "【AI 生成】宝宝们，今天直播间到手只要129元哦"
    assert answer.fact_ids == ("p1",)
    request = endpoint.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert "[p1] 直播间到手价129元" in json.dumps(request["body"], ensure_ascii=False)


@pytest.mark.parametrize(
    "reply",
    ["今天只要99元！[p1]", "直播间到手价129元", "全网最低价129元，错过再等一年 [p1]"],
    ids=["invented-number", "no-citation", "unlawful"],
)
def test_an_llm_draft_that_fails_a_check_is_not_sent(
    endpoint: Endpoint, encoder: UniversalSentenceEncoder, gate: ComplianceGate, reply: str
) -> None:
    endpoint.reply = reply
    answer = _answerer(endpoint.url, encoder, gate).answer("这个要多少米")
    assert not answer.abstained and answer.fact_ids == ("p1",)
    assert "99" not in numbers_in(answer.answer) and "全网最低" not in answer.answer
    assert gate.flags([answer.answer])[0] == []


def test_an_unreachable_endpoint_falls_back_to_the_template(
    encoder: UniversalSentenceEncoder, gate: ComplianceGate
) -> None:
    answer = _answerer("http://127.0.0.1:9", encoder, gate).answer("多久发货")
    assert answer.fact_ids == ("p2",) and "48小时内发货" in answer.answer


def test_parse_draft() -> None:
    draft = parse_draft("到手价129元 [p1]，48小时发货[p2][p1]")
    assert draft is not None and draft.fact_ids == ("p1", "p2") and draft.text == "到手价129元 ，48小时发货"
    assert parse_draft("没有引用") is None
