"""普惠流量分发 — fair traffic distribution: keep creator exposure under a target Gini.

Public API: ``FairAllocator`` (the online allocator), ``Request``/``Slate``, the ``Policy`` protocol
with the baselines ``GreedyTopK``, ``FairCo``, ``CPFair``, ``PMMF``, and the ``ExposureState``
interface with its in-process ``NumpyExposureState``.
"""

from wanghong.traffic.engine.allocator import ControllerGains, FairAllocator
from wanghong.traffic.engine.gini import gini
from wanghong.traffic.engine.policies import PMMF, CPFair, FairCo, GreedyTopK, Policy
from wanghong.traffic.engine.state import ExposureState, NumpyExposureState
from wanghong.traffic.engine.types import (
    Request,
    Slate,
    TierSharesTooLarge,
    TrafficInputError,
    UnknownCreatorError,
    check_tier_share_total,
    position_weights,
)

__all__ = [
    "PMMF",
    "CPFair",
    "ControllerGains",
    "ExposureState",
    "FairAllocator",
    "FairCo",
    "GreedyTopK",
    "NumpyExposureState",
    "Policy",
    "Request",
    "Slate",
    "TierSharesTooLarge",
    "TrafficInputError",
    "UnknownCreatorError",
    "check_tier_share_total",
    "gini",
    "position_weights",
]
