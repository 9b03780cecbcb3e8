"""选品中心 — matching creators' fan personas to products: vectors, filtered retrieval, learned ranking."""

from wanghong.matching.engine.index import (
    MAX_K,
    IndexConfig,
    InvalidFilter,
    MatchFilters,
    MatchIndex,
    Plan,
    SearchResult,
)
from wanghong.matching.engine.vectors import (
    BlockWeights,
    CreatorTable,
    MatchingInputError,
    PriceBand,
    ProductProfile,
    creator_vectors,
    product_vector,
)

__all__ = [
    "MAX_K",
    "BlockWeights",
    "CreatorTable",
    "IndexConfig",
    "InvalidFilter",
    "MatchFilters",
    "MatchIndex",
    "MatchingInputError",
    "Plan",
    "PriceBand",
    "ProductProfile",
    "SearchResult",
    "creator_vectors",
    "product_vector",
]
