"""Fraudulent-node detection on a graph with fixed splits (Tolokers and data sets of the same shape).

Model: LightGBM over each node's own features and their neighbour aggregates (:func:`.graph.neighbour_aggregates`,
computed once: they use no label), fitted on the training split, early-stopped on the validation split and scored
by ROC-AUC on the test split.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from wanghong.fraud.engine.graph import neighbour_aggregates, symmetric_adjacency

REQUIRED_ARRAYS = ("node_features", "node_labels", "edges", "train_masks", "val_masks", "test_masks")

LIGHTGBM_PARAMS: dict[str, object] = {
    "objective": "binary",
    "learning_rate": 0.02,
    "num_leaves": 15,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.6,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    "metric": "auc",
    "verbose": -1,
}
MAX_ROUNDS = 3_000
PATIENCE = 200


class NodeDatasetError(ValueError):
    """The file is missing, unreadable or not shaped like a node-classification data set with fixed splits."""


@dataclass(frozen=True, slots=True)
class NodeDataset:
    features: npt.NDArray[np.float64]
    labels: npt.NDArray[np.int64]
    adjacency: sp.csr_matrix
    train: npt.NDArray[np.bool_]  # (splits, nodes)
    validation: npt.NDArray[np.bool_]
    test: npt.NDArray[np.bool_]

    @property
    def splits(self) -> int:
        return len(self.train)


@dataclass(frozen=True, slots=True)
class SplitResult:
    roc_auc: float
    rounds: int


def load_node_dataset(path: Path) -> NodeDataset:
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [name for name in REQUIRED_ARRAYS if name not in data.files]
            if missing:
                raise NodeDatasetError(f"{path} 缺少数组 / lacks arrays: {', '.join(missing)}")
            arrays = {name: data[name] for name in REQUIRED_ARRAYS}
    except (OSError, ValueError) as exc:
        if isinstance(exc, NodeDatasetError):
            raise
        raise NodeDatasetError(f"无法读取 / cannot read {path}: {exc}") from None
    features = arrays["node_features"].astype(np.float64)
    labels = arrays["node_labels"].astype(np.int64)
    nodes = len(labels)
    masks = [arrays[name].astype(bool) for name in ("train_masks", "val_masks", "test_masks")]
    masks = [m[None, :] if m.ndim == 1 else m for m in masks]
    if features.ndim != 2 or len(features) != nodes or any(m.shape[1] != nodes for m in masks):
        raise NodeDatasetError(f"{path}: 节点数不一致 / node counts of features, labels and masks differ")
    if not np.isin(labels, (0, 1)).all():
        raise NodeDatasetError(f"{path}: 标签须为 0/1 / labels must be 0 or 1")
    if len({len(m) for m in masks}) != 1:
        raise NodeDatasetError(f"{path}: 训练/验证/测试划分数不一致 / split counts differ")
    try:
        adjacency = symmetric_adjacency(arrays["edges"].astype(np.int64), nodes)
    except ValueError as exc:
        raise NodeDatasetError(f"{path}: {exc}") from None
    return NodeDataset(features, labels, adjacency, masks[0], masks[1], masks[2])


def node_features(dataset: NodeDataset) -> npt.NDArray[np.float64]:
    """The node's own features and their neighbour aggregates (no label enters; shared by every split)."""
    return np.hstack([dataset.features, neighbour_aggregates(dataset.adjacency, dataset.features)])


def evaluate_split(
    dataset: NodeDataset, features: npt.NDArray[np.float64], split: int, threads: int = 1
) -> SplitResult:
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score

    train, validation, test = dataset.train[split], dataset.validation[split], dataset.test[split]
    labels = dataset.labels
    params = {**LIGHTGBM_PARAMS, "seed": split, "num_threads": threads}
    training = lgb.Dataset(features[train], labels[train])
    booster = lgb.train(
        params,
        training,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[lgb.Dataset(features[validation], labels[validation], reference=training)],
        callbacks=[lgb.early_stopping(PATIENCE, verbose=False)],
    )
    scores = booster.predict(features[test], num_iteration=booster.best_iteration)
    return SplitResult(float(roc_auc_score(labels[test], scores)), int(booster.best_iteration))


def evaluate_splits(
    dataset: NodeDataset, threads: int = 1, on_split: Callable[[int, SplitResult], None] | None = None
) -> list[SplitResult]:
    features = node_features(dataset)
    results = []
    for split in range(dataset.splits):
        result = evaluate_split(dataset, features, split, threads)
        results.append(result)
        if on_split is not None:
            on_split(split, result)
    return results
