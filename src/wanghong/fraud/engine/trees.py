"""Gradient-boosted trees as plain arrays, evaluated with numpy.

A fitted LightGBM booster is flattened once (``from_lightgbm_dump``) into node arrays and shipped as ``.npz``
(no pickle). Scoring then needs neither LightGBM nor its start-up: all trees advance one level per step for all
rows at once, so the cost is ``depth × rows × trees`` array lookups.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

LEAF = -1


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Nodes of every tree in one set of arrays; a leaf has ``feature == LEAF`` and its output in ``value``."""

    feature: npt.NDArray[np.int32]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    value: npt.NDArray[np.float64]
    roots: npt.NDArray[np.int32]
    depth: int

    def margin(self, features: npt.NDArray[np.float64], chunk: int = 2_048) -> npt.NDArray[np.float64]:
        """Sum of the trees' leaf values per row (LightGBM's raw score); ``x <= threshold`` goes left.

        A leaf is its own child with an infinite threshold, so every tree can take ``depth`` steps without a
        mask; rows go in chunks so that the (rows × trees) node table stays in cache."""
        inner = self.feature != LEAF
        feature = np.where(inner, self.feature, 0).astype(np.intp)
        threshold = np.where(inner, self.threshold, np.inf)
        children = np.stack([self.left, self.right], axis=1).astype(np.intp).ravel()
        roots = self.roots.astype(np.intp)
        result = np.empty(len(features))
        for start in range(0, len(features), chunk):
            block = np.ascontiguousarray(features[start : start + chunk], dtype=np.float64)
            flat = block.ravel()
            row_offset = (np.arange(len(block)) * block.shape[1])[:, None]
            node = np.broadcast_to(roots, (len(block), len(roots)))
            for _ in range(self.depth):
                go_right = flat[row_offset + feature[node]] > threshold[node]
                node = children[2 * node + go_right]
            result[start : start + len(block)] = self.value[node].sum(axis=1)
        return result

    def to_arrays(self, prefix: str) -> dict[str, npt.NDArray[Any]]:
        return {
            f"{prefix}feature": self.feature,
            f"{prefix}threshold": self.threshold,
            f"{prefix}left": self.left,
            f"{prefix}right": self.right,
            f"{prefix}value": self.value,
            f"{prefix}roots": self.roots,
            f"{prefix}depth": np.array(self.depth),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]], prefix: str) -> TreeEnsemble:
        return cls(
            feature=arrays[f"{prefix}feature"].astype(np.int32),
            threshold=arrays[f"{prefix}threshold"].astype(np.float64),
            left=arrays[f"{prefix}left"].astype(np.int32),
            right=arrays[f"{prefix}right"].astype(np.int32),
            value=arrays[f"{prefix}value"].astype(np.float64),
            roots=arrays[f"{prefix}roots"].astype(np.int32),
            depth=int(arrays[f"{prefix}depth"]),
        )

    @classmethod
    def from_lightgbm_dump(cls, dump: Mapping[str, Any]) -> TreeEnsemble:
        """Flatten ``Booster.dump_model()`` of a binary model on numeric features without missing values."""
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        roots: list[int] = []
        depth = 0

        def add(node: Mapping[str, Any], level: int) -> int:
            nonlocal depth
            index = len(feature)
            feature.append(LEAF)
            threshold.append(0.0)
            left.append(index)
            right.append(index)
            value.append(0.0)
            if "leaf_value" in node:
                value[index] = float(node["leaf_value"])
                depth = max(depth, level)
                return index
            if node.get("decision_type") != "<=":
                raise ValueError(f"unsupported split {node.get('decision_type')!r}: only numeric '<=' splits")
            feature[index] = int(node["split_feature"])
            threshold[index] = float(node["threshold"])
            left[index] = add(node["left_child"], level + 1)
            right[index] = add(node["right_child"], level + 1)
            return index

        for tree in dump["tree_info"]:
            roots.append(add(tree["tree_structure"], 0))
        return cls(
            feature=np.array(feature, dtype=np.int32),
            threshold=np.array(threshold, dtype=np.float64),
            left=np.array(left, dtype=np.int32),
            right=np.array(right, dtype=np.int32),
            value=np.array(value, dtype=np.float64),
            roots=np.array(roots, dtype=np.int32),
            depth=depth,
        )
