"""Fraud's pure core: account scoring, viewbot detection and graph features for fake-order detection.

The face is lazy (PEP 562): ``wanghong fraud score-accounts`` needs only numpy and the account model, and should
not pay for importing scipy's graph and sparse modules the other engines use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {
    "AudienceQuality": "audience",
    "audience_quality": "audience",
    "AccountColumns": "population",
    "AccountModel": "accounts",
    "AccountRecordError": "accounts",
    "AccountScore": "accounts",
    "FakeOrderModel": "orders",
    "NodeDataset": "nodes",
    "NodeDatasetError": "nodes",
    "OrderGraph": "orders",
    "OrderVerdict": "orders",
    "RoomMinute": "viewbots",
    "RoomVerdict": "viewbots",
    "TreeEnsemble": "trees",
    "account_features": "accounts",
    "account_reasons": "accounts",
    "columns_of": "accounts",
    "detect_viewbots": "viewbots",
    "evaluate_splits": "nodes",
    "generate_population": "population",
    "is_template": "viewbots",
    "load_node_dataset": "nodes",
    "neighbour_aggregates": "graph",
    "order_features": "orders",
    "parse_account": "accounts",
    "shipped_account_model": "accounts",
    "symmetric_adjacency": "graph",
}

__all__ = [
    "AccountColumns",
    "AccountModel",
    "AccountRecordError",
    "AccountScore",
    "AudienceQuality",
    "FakeOrderModel",
    "NodeDataset",
    "NodeDatasetError",
    "OrderGraph",
    "OrderVerdict",
    "RoomMinute",
    "RoomVerdict",
    "TreeEnsemble",
    "account_features",
    "account_reasons",
    "audience_quality",
    "columns_of",
    "detect_viewbots",
    "evaluate_splits",
    "generate_population",
    "is_template",
    "load_node_dataset",
    "neighbour_aggregates",
    "order_features",
    "parse_account",
    "shipped_account_model",
    "symmetric_adjacency",
]

if TYPE_CHECKING:
    from wanghong.fraud.engine.accounts import (
        AccountModel,
        AccountRecordError,
        AccountScore,
        account_features,
        account_reasons,
        columns_of,
        parse_account,
        shipped_account_model,
    )
    from wanghong.fraud.engine.audience import AudienceQuality, audience_quality
    from wanghong.fraud.engine.graph import (
        neighbour_aggregates,
        symmetric_adjacency,
    )
    from wanghong.fraud.engine.nodes import (
        NodeDataset,
        NodeDatasetError,
        evaluate_splits,
        load_node_dataset,
    )
    from wanghong.fraud.engine.orders import (
        FakeOrderModel,
        OrderGraph,
        OrderVerdict,
        order_features,
    )
    from wanghong.fraud.engine.population import (
        AccountColumns,
        generate_population,
    )
    from wanghong.fraud.engine.trees import (
        TreeEnsemble,
    )
    from wanghong.fraud.engine.viewbots import (
        RoomMinute,
        RoomVerdict,
        detect_viewbots,
        is_template,
    )


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
