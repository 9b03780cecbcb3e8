"""KuaiRand-Pure user features (Gao et al., CIKM 2022; CC BY-SA 4.0): 27,285 real Kuaishou users.

Declared quasi-identifiers are the attributes an outsider could plausibly know or observe about a user: how active
they are, whether they stream or post, their follow, fan and friend counts (public on a profile) and how long ago
they registered. Their generalisation hierarchies follow the ranges the data set itself publishes, then coarser.
The 18 `onehot_feat*` columns are encoded and undocumented, so they are used for segment discovery, not declared.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from wanghong.audience.engine.privacy import Hierarchy, bands, exact, grouped

_ACTIVITY = {
    "full_active": "active",
    "high_active": "active",
    "middle_active": "occasional",
    "low_active": "occasional",
    "2_14_day_new": "new",
    "single_day_new": "new",
    "day_new": "new",
    "UNKNOWN": "occasional",
}

KUAIRAND_HIERARCHIES: tuple[Hierarchy, ...] = (
    Hierarchy("user_active_degree", (exact, grouped(_ACTIVITY))),
    Hierarchy("is_live_streamer", (exact,)),
    Hierarchy("is_video_author", (exact,)),
    Hierarchy("follow_user_num", (exact, bands([1, 10, 50, 100, 150, 250, 500]), bands([10, 100, 500]))),
    Hierarchy("fans_user_num", (exact, bands([1, 10, 100, 1_000, 5_000, 10_000]), bands([10, 1_000]))),
    Hierarchy("friend_user_num", (exact, bands([1, 5, 30, 60, 120, 250]), bands([5, 60]))),
    Hierarchy("register_days", (exact, bands([15, 31, 61, 91, 181, 366, 731]), bands([181, 731]))),
)
KUAIRAND_QUASI_IDENTIFIERS: tuple[str, ...] = tuple(h.column for h in KUAIRAND_HIERARCHIES)
# onehot_feat3, 5, 7 and 8 have hundreds of values (ids, not categories) and are left out of discovery.
_ENCODED = tuple(f"onehot_feat{i}" for i in (0, 1, 2, 4, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17))
_CATEGORICAL = ("user_active_degree", "is_live_streamer", "is_video_author", *_ENCODED)
_RANGES = ("follow_user_num_range", "fans_user_num_range", "friend_user_num_range", "register_days_range")
_COUNTS = ("follow_user_num", "fans_user_num", "friend_user_num", "register_days")


def load_users(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path)
    missing = [column for column in (*_CATEGORICAL, *_RANGES, *_COUNTS) if column not in frame]
    if missing:
        raise ValueError(f"{path}: not the KuaiRand-Pure user features (missing {missing})")
    return frame


def discovery_features(frame: pd.DataFrame) -> tuple[np.ndarray, sp.csr_matrix, list[str]]:
    """Points to cluster (standardised log counts + one-hot attributes, each block weighted equally) and the 0/1
    indicators (attribute = value) that describe clusters, with their names."""
    indicator_columns = [*_CATEGORICAL, *_RANGES]
    dummies = pd.get_dummies(frame[indicator_columns].astype(str), prefix_sep="=", dtype=np.float32)
    counts = np.log1p(frame[list(_COUNTS)].clip(lower=0).to_numpy(dtype=np.float64))
    counts = (counts - counts.mean(axis=0)) / (counts.std(axis=0) + 1e-9)
    onehot = dummies.to_numpy(dtype=np.float64)
    # Equal weight per original column: a column with 50 values should not outvote a yes/no one.
    per_column = np.concatenate([np.full((frame[c].astype(str).nunique(),), 1.0) for c in indicator_columns])
    points = np.hstack([counts, onehot / np.sqrt(per_column.sum() / len(indicator_columns))])
    return points, sp.csr_matrix(onehot), list(dummies.columns)
