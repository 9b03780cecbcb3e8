"""AI assistant benchmark: ``.venv/bin/python -m bench.assistant [--tune] [--cache-dir DIR]`` from the repo root.

Measured in one run:

* **Retrieval** on CMRC 2018 dev (``../shared/data/qa/cmrc2018_dev.json``: 848 passages, 3,219 questions; CC BY-SA
  4.0, Cui et al., EMNLP 2019), question → passage: R@1 and R@5 of the hybrid retriever and, as the same-run
  baseline, of BM25 on character bigrams alone; retrieval queries/s with the passages' sentence embeddings
  cached (the questions are embedded inside the timed part), against the bigram baseline's queries/s.
  ``--tune`` also grids the fusion weights on the even-numbered passages and reports the odd ones.
* **Answers** on the product QA set (tests/assistant/qaset.py): precision of answered questions, abstention on
  unanswerable ones, coverage, answers/s and p50/p95 latency per answer (retrieval, slot matching, composition,
  number check, compliance scan), against the same answerer without embeddings as the baseline.
* **Live room** (``--live N``): N viewers' questions answered the way the live socket answers them
  (``assistant.live.answer_in_room`` in one transaction each, on a fresh SQLite database: the room's products and
  their current facts read, the warm answerer, the answer kept and audited), p50/p95 per answer; the room sells two
  products, so a question that names neither is tried on both.
* The load average before and after (the machine is shared; figures under load are lower bounds).

Goals (issue 19): R@1 ≥ 0.97; ≥ 200 retrieval queries/s with cached embeddings on 2 cores; ≥ 95% of answered
correct, ≥ 90% of unanswerable abstained; p95 ≤ 300 ms per answer.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from tests.assistant.evaluate import Report, evaluate

from wanghong.assistant.compliance_gate import ComplianceGate
from wanghong.assistant.engine.answer import GroundedAnswerer
from wanghong.assistant.engine.dense import CachedEncoder, UniversalSentenceEncoder
from wanghong.assistant.engine.retrieval import HybridRetriever, Passage, Weights, zscore
from wanghong.assistant.service import default_cache_dir

CMRC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "qa" / "cmrc2018_dev.json"


def load_cmrc() -> tuple[list[Passage], list[str], np.ndarray]:
    data = json.loads(CMRC.read_text(encoding="utf-8"))["data"]
    passages: list[Passage] = []
    questions: list[str] = []
    gold: list[int] = []
    for article in data:
        for paragraph in article["paragraphs"]:
            passages.append(Passage(paragraph["id"], paragraph["context"]))
            for qa in paragraph["qas"]:
                questions.append(qa["question"])
                gold.append(len(passages) - 1)
    return passages, questions, np.asarray(gold)


def recall(ranked: list[list[tuple[Passage, float]]], passages: list[Passage], gold: np.ndarray, k: int) -> float:
    position = {p.id: i for i, p in enumerate(passages)}
    return float(np.mean([g in {position[p.id] for p, _ in r[:k]} for r, g in zip(ranked, gold, strict=True)]))


def retrieval(console: Console, cache_dir: Path, tune: bool) -> None:
    if not CMRC.exists():
        console.print(f"[yellow]CMRC 2018 dev absent at {CMRC}; retrieval skipped[/]")
        return
    passages, questions, gold = load_cmrc()
    model = UniversalSentenceEncoder()
    cached = CachedEncoder(model, cache_dir)
    start = time.perf_counter()
    hybrid = HybridRetriever(passages, cached)
    index_s = time.perf_counter() - start
    bigram = HybridRetriever(passages, None, use_words=False)

    start = time.perf_counter()
    ranked_bigram = bigram.search(questions, 5)
    bigram_s = time.perf_counter() - start
    start = time.perf_counter()
    vectors = model.encode(questions)  # the questions are new: embedded in the timed part
    ranked = hybrid.search(questions, 5, vectors)
    hybrid_s = time.perf_counter() - start

    table = Table(title=f"CMRC 2018 dev: {len(questions)} questions → {len(passages)} passages")
    for column in ("retriever", "R@1", "R@5", "queries/s", "ratio"):
        table.add_column(column)
    base_qps = len(questions) / bigram_s
    table.add_row(
        "BM25 bigrams (baseline)",
        f"{recall(ranked_bigram, passages, gold, 1):.4f}",
        f"{recall(ranked_bigram, passages, gold, 5):.4f}",
        f"{base_qps:,.0f}",
        "1.00",
    )
    qps = len(questions) / hybrid_s
    table.add_row(
        "hybrid: bigrams + jieba + USE sentences",
        f"{recall(ranked, passages, gold, 1):.4f}",
        f"{recall(ranked, passages, gold, 5):.4f}",
        f"{qps:,.0f}",
        f"{qps / base_qps:.2f}",
    )
    console.print(table)
    console.print(f"index build (embeddings from cache where present): {index_s:.1f} s")
    if tune:
        tune_weights(console, hybrid, questions, vectors, gold)


def tune_weights(
    console: Console, hybrid: HybridRetriever, questions: list[str], vectors: np.ndarray, gold: np.ndarray
) -> None:
    scores = hybrid.scores(questions, vectors)
    assert scores.words is not None and scores.dense is not None
    parts = [zscore(scores.bigram), zscore(scores.words), zscore(scores.dense)]
    even = gold % 2 == 0
    rows = []
    for words, dense in itertools.product((0.0, 0.25, 0.5, 0.75, 1.0), (0.0, 0.6, 0.8, 1.0, 1.2, 1.5, 1.8)):
        fused = parts[0] + words * parts[1] + dense * parts[2]
        hit = fused.argmax(axis=1) == gold
        rows.append((float(hit[even].mean()), float(hit[~even].mean()), words, dense))
    rows.sort(reverse=True)
    table = Table(title="fusion weights (bigram = 1): tuned on even passages, checked on odd")
    for column in ("words", "dense", "R@1 even (tune)", "R@1 odd (check)"):
        table.add_column(column)
    for tuned, checked, words, dense in rows[:5]:
        table.add_row(str(words), str(dense), f"{tuned:.4f}", f"{checked:.4f}")
    current = Weights()
    console.print(table)
    console.print(f"shipped: words {current.words}, dense {current.dense}")


def answers(console: Console, cache_dir: Path) -> None:
    gate = ComplianceGate()
    encoder = CachedEncoder(UniversalSentenceEncoder(), cache_dir)
    full = evaluate(lambda facts: GroundedAnswerer(facts, encoder, gate))
    baseline = evaluate(lambda facts: GroundedAnswerer(facts, None, gate))
    table = Table(title=f"product QA set: {full.questions} questions, {full.unanswerable} unanswerable")
    for column in (
        "answerer",
        "answered correct",
        "unanswerable abstained",
        "coverage",
        "uncited",
        "answers/s",
        "p50 ms",
        "p95 ms",
    ):
        table.add_column(column)
    for name, report in (("bigrams only (baseline)", baseline), ("hybrid (shipped)", full)):
        table.add_row(name, *_row(report))
    console.print(table)
    for parity in (0, 1):
        part = evaluate(lambda facts: GroundedAnswerer(facts, encoder, gate), parity)
        console.print(
            f"products {'even (tuned)' if parity == 0 else 'odd (checked)'}: correct {part.precision:.3f}, "
            f"abstained {part.abstention:.3f}, coverage {part.coverage:.3f}"
        )


def _row(report: Report) -> list[str]:
    latencies = np.asarray(report.latencies_s)
    return [
        f"{report.precision:.3f} ({report.correct}/{report.answered})",
        f"{report.abstention:.3f}",
        f"{report.coverage:.3f}",
        str(report.uncited),
        f"{len(latencies) / latencies.sum():,.0f}",
        f"{np.percentile(latencies, 50) * 1000:.1f}",
        f"{report.p95_ms:.1f}",
    ]


LIVE_QUESTIONS = (
    "面霜多少钱？",
    "几天能发货",
    "精华液怎么用？",
    "保质期多久",
    "面霜是多少毫升的",
    "可以七天无理由退货吗",
    "孕妇能用吗",
    "精华液多少钱一瓶",
    "发什么快递",
    "有没有赠品",
)
LIVE_FACTS = {
    "面霜": {
        "price": "面霜直播间到手价 89 元，下单立减 10 元。",
        "size": "面霜净含量 50 毫升一瓶。",
        "shipping": "下单后 48 小时内从杭州仓发货，默认中通快递。",
        "returns": "支持七天无理由退货，拆封后不影响二次销售即可。",
    },
    "玻尿酸精华液": {
        "price": "精华液直播价 59 元一瓶。",
        "usage": "早晚洁面后取两滴轻拍至吸收。",
        "gift": "下单送同款小样 2 支。",
    },
}


def live_room(console: Console, count: int) -> None:
    from datetime import UTC, datetime
    from decimal import Decimal
    from tempfile import TemporaryDirectory

    from wanghong.accounts.principal import Principal
    from wanghong.assistant import live
    from wanghong.assistant.models import ProductFact
    from wanghong.commerce.models import Brand, Creator, LivestreamSession, Product
    from wanghong.compliance.live_room import RoomQuestion
    from wanghong.config import Settings
    from wanghong.domain import Role, follower_tier
    from wanghong.kit.db.migrate import upgrade
    from wanghong.kit.db.session import Database
    from wanghong.selection.models import CartItem, Listing

    with TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/live.db"
        upgrade(url)
        db = Database(url)
        settings = Settings(database_url=url)
        with db.transaction() as s:
            brand = Brand(name="bench brand")
            creator = Creator(handle="bench", display_name="bench", follower_tier=follower_tier(0))
            s.add_all([brand, creator])
            s.flush()
            room = LivestreamSession(creator_id=creator.id, started_at=datetime.now(UTC))
            s.add(room)
            s.flush()
            for name, facts in LIVE_FACTS.items():
                product = Product(brand_id=brand.id, name=name, category="beauty", price=Decimal("89"))
                s.add(product)
                s.flush()
                listing = Listing(product_id=product.id, brand_id=brand.id, commission_rate=0.2)
                s.add(listing)
                s.flush()
                s.add(
                    CartItem(
                        livestream_id=room.id,
                        listing_id=listing.id,
                        product_id=product.id,
                        brand_id=brand.id,
                        creator_id=creator.id,
                        commission_rate=0.2,
                        price=Decimal("89"),
                    )
                )
                s.add_all(ProductFact(product_id=product.id, key=k, version=1, text=t) for k, t in facts.items())
            room_id = room.id
        ingest = Principal(0, "ingest", Role.ADMIN)

        def ask(text: str) -> dict[str, object] | None:
            with db.transaction() as s:
                return live.answer_in_room(s, ingest, RoomQuestion(room_id, text, 1, None, True), settings)

        for text in LIVE_QUESTIONS:  # warm: the answerers of both products are built once per process
            ask(text)
        latencies = []
        handed = 0
        for k in range(count):
            started = time.perf_counter()
            answer = ask(LIVE_QUESTIONS[k % len(LIVE_QUESTIONS)])
            latencies.append(time.perf_counter() - started)
            handed += bool(answer and answer["abstained"])
        db.dispose()
    seconds = np.array(latencies)
    table = Table(title=f"live room: {count} questions through answer_in_room (SQLite)")
    for column in ("answers/s", "p50 ms", "p95 ms", "handed over"):
        table.add_column(column, justify="right")
    table.add_row(
        f"{count / seconds.sum():,.0f}",
        f"{np.percentile(seconds, 50) * 1000:.1f}",
        f"{np.percentile(seconds, 95) * 1000:.1f}",
        f"{handed}/{count}",
    )
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tune", action="store_true", help="grid the fusion weights (tune/check split)")
    parser.add_argument("--cache-dir", type=Path, default=default_cache_dir(), help="embedding cache")
    parser.add_argument("--skip-retrieval", action="store_true")
    parser.add_argument("--skip-answers", action="store_true")
    parser.add_argument("--live", type=int, default=0, metavar="N", help="N live-room questions through the DB")
    args = parser.parse_args()
    console = Console(width=150)
    console.print(f"load average at start: {os.getloadavg()}")
    if not args.skip_retrieval:
        retrieval(console, args.cache_dir, args.tune)
    if not args.skip_answers:
        answers(console, args.cache_dir)
    if args.live:
        live_room(console, args.live)
    console.print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
