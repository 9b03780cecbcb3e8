"""普惠流量分发 — fair traffic distribution: keep creator exposure under a target Gini.

Public API: ``FairAllocator`` (the online allocator), ``Request``/``Slate``, the ``Policy`` protocol
with the baselines ``GreedyTopK``, ``FairCo``, ``CPFair``, ``PMMF``, and the ``ExposureState``
interface with its in-process ``NumpyExposureState``.
"""

from wanghong.engines.traffic.allocator import ControllerGains, FairAllocator
from wanghong.engines.traffic.gini import gini
from wanghong.engines.traffic.policies import PMMF, CPFair, FairCo, GreedyTopK, Policy
from wanghong.engines.traffic.state import ExposureState, NumpyExposureState
from wanghong.engines.traffic.types import (
    Request,
    Slate,
    TrafficInputError,
    UnknownCreatorError,
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
    "TrafficInputError",
    "UnknownCreatorError",
    "gini",
    "position_weights",
]
