"""Livestream scripts (开场, 产品讲解, 促单, 售后说明) and product copy, composed from facts and templates.

The templates hold no number and no claim: every quantity, price or promise in the output is a fact's own
clause, cited by id. Each section is made lawful (scan, suggested rewrite, scan again) by the caller's compliance
checker; a clause that cannot be made lawful is left out and reported, never sent. Every output starts with
the explicit AI label and carries the implicit metadata record (see :mod:`labels`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from wanghong.assistant.engine.labels import LABEL, implicit_metadata, with_explicit_label
from wanghong.assistant.engine.retrieval import Passage
from wanghong.assistant.engine.rewrites import Checker, Rewrite, make_lawful
from wanghong.assistant.engine.slots import SLOTS, strength

_HEADER = re.compile(r"^\s*(?:【[^】]*】|\[[^\]]*\])\s*")

# Section → the slots whose facts it speaks about, in speaking order.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("opening", "开场", ()),
    (
        "explanation",
        "产品讲解",
        (
            "ingredients",
            "quantity",
            "size",
            "origin",
            "qualification",
            "usage",
            "suitability",
            "color",
            "battery",
            "storage",
            "shelf_life",
        ),
    ),
    ("call_to_action", "促单", ("price", "gift", "stock", "payment")),
    ("after_sales", "售后说明", ("shipping", "returns", "warranty", "invoice")),
)
_LEADS = {
    "opening": "欢迎来到直播间！今天给大家介绍{name}。",
    "explanation": "先来看看{name}的具体信息：",
    "call_to_action": "喜欢{name}的朋友可以点击下方购物车了解：",
    "after_sales": "关于售后，大家关心的都在这里：",
    "copy": "",
}
_CLOSE = {"opening": "有问题随时在评论区留言。", "call_to_action": "按需购买，理性消费。"}


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    text: str
    fact_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Composition:
    """A labelled script or copy text: its parts, the rewrites applied and the clauses left out."""

    kind: str  # "script" | "copy"
    sections: tuple[Section, ...]
    rewrites: tuple[Rewrite, ...] = ()
    dropped: tuple[str, ...] = ()
    label: str = LABEL
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        body = "\n".join(f"【{s.title}】{s.text}" for s in self.sections)
        return with_explicit_label(body)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "text": self.text,
            "label": self.label,
            "sections": [
                {"key": s.key, "title": s.title, "text": s.text, "fact_ids": list(s.fact_ids)} for s in self.sections
            ],
            "rewrites": [{"original": r.original, "replacement": r.replacement} for r in self.rewrites],
            "dropped": list(self.dropped),
            "metadata": self.metadata,
        }


def fact_slot(fact: Passage) -> str | None:
    """The first slot the fact clearly states; None for a free-form fact (a weak word alone does not count:
    "可以和其他护肤品叠加使用" is a selling point for the opening, not a usage instruction)."""
    return next((slot.name for slot in SLOTS if strength(slot, fact.text) == 2), None)


def _body(fact: Passage) -> str:
    return _HEADER.sub("", fact.text).strip().rstrip("。")


def livestream_script(name: str, facts: Sequence[Passage], checker: Checker) -> Composition:
    name = _lawful_name(name, checker)
    by_slot: dict[str | None, list[Passage]] = {}
    for fact in facts:
        by_slot.setdefault(fact_slot(fact), []).append(fact)
    free_form = by_slot.get(None, [])
    parts: list[tuple[str, str, list[Passage]]] = []
    for key, title, slots in SECTIONS:
        chosen = free_form[:2] if key == "opening" else [f for slot in slots for f in by_slot.get(slot, [])]
        parts.append((key, title, chosen))
    return _compose("script", name, parts, checker)


def product_copy(name: str, facts: Sequence[Passage], checker: Checker) -> Composition:
    """A title line and selling points: each point one fact, the order of the script's explanation first."""
    name = _lawful_name(name, checker)
    order = {slot: i for i, slot in enumerate(s for _k, _t, slots in SECTIONS for s in slots)}
    ranked = sorted(facts, key=lambda f: order.get(fact_slot(f) or "", -1))
    return _compose("copy", name, [("copy", name, ranked)], checker)


def _compose(
    kind: str, name: str, parts: Sequence[tuple[str, str, Sequence[Passage]]], checker: Checker
) -> Composition:
    sections: list[Section] = []
    rewrites: list[Rewrite] = []
    dropped: list[str] = []
    for key, title, chosen in parts:
        sentences: list[str] = []
        cited: list[str] = []
        for fact in chosen:
            lawful, applied = make_lawful(_body(fact) + "。", checker)
            rewrites += applied
            if lawful is None:
                dropped.append(fact.id)
                continue
            sentences.append(lawful)
            cited.append(fact.id)
        lead = _LEADS[key].format(name=name)
        close = _CLOSE.get(key, "")
        text = "".join(f"\n· {s}" for s in sentences) if kind == "copy" else lead + "".join(sentences) + close
        sections.append(Section(key, title, text, tuple(cited)))
    composition = Composition(kind, tuple(sections), tuple(rewrites), tuple(dropped))
    return Composition(
        kind,
        composition.sections,
        composition.rewrites,
        composition.dropped,
        metadata=implicit_metadata(composition.text),
    )


def _lawful_name(name: str, checker: Checker) -> str:
    """The product name as the templates may say it; a name that is itself unlawful ("最强面霜") is rewritten,
    or replaced by "本品" when no rewrite makes it lawful."""
    lawful, _ = make_lawful(name.strip(), checker)
    return lawful or "本品"
