"""An optional LLM composer behind an OpenAI-compatible ``/chat/completions`` endpoint (off by default).

The model sees only the supporting facts, each with its id, and must cite the ids it used as ``[id]``. What it
writes is a *draft*: the answerer checks it exactly like a template answer (every number in a cited fact,
citations among the facts it was given, compliance scan, label) and falls back to the template answer when the
draft fails or the endpoint does not answer in time. Standard library HTTP only: no client package needed.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from wanghong.assistant.engine.answer import Draft, Evidence

_CITATION = re.compile(r"\[([^\[\]\s]{1,80})\]")
_SYSTEM = (
    "你是直播间的商品问答助手。只能根据给出的商品事实回答观众的问题，不得编造任何事实、数字或承诺，"
    "不得使用绝对化用语或功效宣称。回答一到两句话，并在句末用方括号标注所依据事实的编号，例如 [f1]。"
)


@dataclass(frozen=True, slots=True)
class LLMSettings:
    url: str  # base URL, e.g. http://127.0.0.1:8000/v1
    model: str = "default"
    api_key: str = ""
    timeout_s: float = 3.0


class OpenAICompatibleComposer:
    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings

    def compose(self, evidence: Evidence) -> Draft | None:
        facts = "\n".join(f"[{fact.id}] {fact.text}" for fact in evidence.facts)
        body = {
            "model": self.settings.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": _SYSTEM},
                {"role": "user", "content": f"商品事实：\n{facts}\n\n观众问题：{evidence.question}"},
            ],
        }
        request = urllib.request.Request(
            self.settings.url.rstrip("/") + "/chat/completions",
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {self.settings.api_key}"} if self.settings.api_key else {}),
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_s) as response:
                reply = json.load(response)
            content = str(reply["choices"][0]["message"]["content"])
        except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError):
            return None
        return parse_draft(content)


def parse_draft(content: str) -> Draft | None:
    """The answer text without its ``[id]`` citations, and the ids it cited (in order, once each)."""
    cited = tuple(dict.fromkeys(_CITATION.findall(content)))
    text = re.sub(r"\s+", " ", _CITATION.sub("", content)).strip()
    if not text or not cited:
        return None
    return Draft(text, cited)
