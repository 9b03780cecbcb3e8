"""Assistant's pure core: hybrid retrieval, grounded answer composition, script templates and AI labels.

Typical use::

    from wanghong.assistant.engine import GroundedAnswerer, Passage, UniversalSentenceEncoder
    answerer = GroundedAnswerer([Passage("f1", "直播间到手价129元。")], UniversalSentenceEncoder(), checker)
    answerer.answer("这个要多少米").to_json()   # {"answer", "fact_ids", "abstained", "label"}

``checker`` is anything with ``flags(texts) -> [[Flag]]``; the service passes the compliance engine's reviewer.
"""

from wanghong.assistant.engine.answer import (
    Answer,
    Composer,
    Draft,
    Evidence,
    GroundedAnswerer,
    Reason,
    TemplateComposer,
    Thresholds,
    ungrounded_numbers,
)
from wanghong.assistant.engine.bm25 import BM25Index
from wanghong.assistant.engine.dense import CachedEncoder, Encoder, UniversalSentenceEncoder
from wanghong.assistant.engine.labels import LABEL, TEXT_MARK, implicit_metadata, is_labelled, with_explicit_label
from wanghong.assistant.engine.retrieval import CMRC_WEIGHTS, HybridRetriever, Passage, Scores, Weights
from wanghong.assistant.engine.rewrites import Checker, Flag, Rewrite, lawful_phrase, make_lawful, rewrite
from wanghong.assistant.engine.scripts import Composition, Section, livestream_script, product_copy
from wanghong.assistant.engine.slots import SLOTS, Slot, about_the_room, asked_slots
from wanghong.assistant.engine.text import char_bigrams, fold, jieba_words, numbers_in, sentences

__all__ = [
    "CMRC_WEIGHTS",
    "LABEL",
    "SLOTS",
    "TEXT_MARK",
    "Answer",
    "BM25Index",
    "CachedEncoder",
    "Checker",
    "Composer",
    "Composition",
    "Draft",
    "Encoder",
    "Evidence",
    "Flag",
    "GroundedAnswerer",
    "HybridRetriever",
    "Passage",
    "Reason",
    "Rewrite",
    "Scores",
    "Section",
    "Slot",
    "TemplateComposer",
    "Thresholds",
    "UniversalSentenceEncoder",
    "Weights",
    "about_the_room",
    "asked_slots",
    "char_bigrams",
    "fold",
    "implicit_metadata",
    "is_labelled",
    "jieba_words",
    "lawful_phrase",
    "livestream_script",
    "make_lawful",
    "numbers_in",
    "product_copy",
    "rewrite",
    "sentences",
    "ungrounded_numbers",
    "with_explicit_label",
]
