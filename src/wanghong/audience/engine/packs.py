"""人群包 / crowd packs: set algebra over tags, a noised size, and hashed exports that only k-anonymous members leave.

A pack is an expression over named viewer sets (rule segments, discovered segments, behaviours such as "bought
category X in the last N days", "followed creator Y"): `Tag`, `Union`, `Intersection`, `Exclusion`. Evaluating it
against boolean masks is a few vectorised `|`, `&`, `& ~`. What leaves the platform is never the exact member list:
the size goes through the DP mechanism and the brand's budget; an export is hashed ids of members whose
quasi-identifier class (after generalisation) holds at least k of them, and nothing at all when fewer than k remain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from wanghong.audience.engine.privacy import (
    K_DEFAULT,
    Hierarchy,
    KAnonymityViolation,
    PrivacyAccountant,
    anonymise,
    hashed_ids,
    release_counts,
)

Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Tag:
    key: str


@dataclass(frozen=True)
class Union:
    parts: tuple[Pack, ...]


@dataclass(frozen=True)
class Intersection:
    parts: tuple[Pack, ...]


@dataclass(frozen=True)
class Exclusion:
    base: Pack
    without: Pack


Pack = Tag | Union | Intersection | Exclusion


def evaluate(pack: Pack, sets: Mapping[str, Mask]) -> Mask:
    """The members of `pack`, given every tag's members as equally long boolean masks."""
    match pack:
        case Tag(key):
            if key not in sets:
                raise KeyError(f"未知标签 / unknown tag {key!r}; known: {sorted(sets)}")
            return np.asarray(sets[key], dtype=bool)
        case Union(parts) | Intersection(parts) if not parts:
            raise ValueError("a union or intersection needs at least one part")
        case Union(parts):
            return np.logical_or.reduce([evaluate(part, sets) for part in parts])
        case Intersection(parts):
            return np.logical_and.reduce([evaluate(part, sets) for part in parts])
        case Exclusion(base, without):
            return evaluate(base, sets) & ~evaluate(without, sets)
    raise TypeError(f"not a pack: {pack!r}")


def viewers_with(event_viewer: npt.NDArray[np.integer], condition: Mask, n_viewers: int) -> Mask:
    """Viewers with at least one event meeting `condition` (e.g. `(category == X) & (at >= now - N days)`)."""
    members = np.zeros(n_viewers, dtype=bool)
    members[event_viewer[condition]] = True
    return members


def released_size(accountant: PrivacyAccountant, brand: str, at: datetime, members: Mask, epsilon: float) -> int:
    """The pack's size as the brand may see it: discrete-Laplace noised, charged to its monthly budget."""
    return release_counts(accountant, brand, at, [int(members.sum())], epsilon).values[0]


@dataclass(frozen=True)
class PackExport:
    hashed_ids: list[str]
    suppressed: int  # members left out because their quasi-identifier class held fewer than k
    k: int


def export_pack(
    members: pd.DataFrame,
    id_column: str,
    hierarchies: Sequence[Hierarchy],
    key: bytes,
    k: int = K_DEFAULT,
    max_suppression: float = 0.2,
) -> PackExport:
    """Hashed ids of the pack's members (one row each, with their quasi-identifiers) that stand in classes of at
    least k after generalisation; refused outright when fewer than k members would leave."""
    release = anonymise(members, hierarchies, k=k, max_suppression=max_suppression)
    if len(release.frame) < k:
        raise KAnonymityViolation(
            f"人群包不足 {k} 人，不能导出 / fewer than {k} members would leave: no export ({len(members)} in the pack)"
        )
    return PackExport(
        hashed_ids=hashed_ids(release.frame[id_column].astype(str), key), suppressed=release.suppressed, k=k
    )
