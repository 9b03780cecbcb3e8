"""选品中心 — matching creators' fan personas to products: vectors, filtered retrieval, learned ranking.

The names below load their module (and with it numpy and faiss) on first use, so a caller that needs only a
bound such as ``MAX_K`` — the command line building its options — stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from wanghong.matching.engine.limits import MAX_K

if TYPE_CHECKING:  # the same names, for type checkers (`X as X` marks them as re-exported)
    from wanghong.matching.engine.index import MatchIndex as MatchIndex
    from wanghong.matching.engine.query import IndexConfig as IndexConfig
    from wanghong.matching.engine.query import InvalidFilter as InvalidFilter
    from wanghong.matching.engine.query import MatchFilters as MatchFilters
    from wanghong.matching.engine.query import Plan as Plan
    from wanghong.matching.engine.query import SearchResult as SearchResult
    from wanghong.matching.engine.vectors import BlockWeights as BlockWeights
    from wanghong.matching.engine.vectors import CreatorTable as CreatorTable
    from wanghong.matching.engine.vectors import MatchingInputError as MatchingInputError
    from wanghong.matching.engine.vectors import PriceBand as PriceBand
    from wanghong.matching.engine.vectors import ProductProfile as ProductProfile
    from wanghong.matching.engine.vectors import creator_vectors as creator_vectors
    from wanghong.matching.engine.vectors import product_vector as product_vector

_HOMES = {
    "MatchIndex": "index",
    **dict.fromkeys(("IndexConfig", "InvalidFilter", "MatchFilters", "Plan", "SearchResult"), "query"),
    **dict.fromkeys(
        (
            "BlockWeights",
            "CreatorTable",
            "MatchingInputError",
            "PriceBand",
            "ProductProfile",
            "creator_vectors",
            "product_vector",
        ),
        "vectors",
    ),
}

__all__ = ["MAX_K", *_HOMES]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
