"""Ecosystems shared by the simulator tests; generating one is the expensive part, so each is made once."""

from __future__ import annotations

import pytest

from wanghong.simulator.engine import Ecosystem, SimulationConfig, generate_ecosystem


@pytest.fixture(scope="session")
def small_ecosystem() -> Ecosystem:
    return generate_ecosystem(SimulationConfig(creators=1500), seed=7)
