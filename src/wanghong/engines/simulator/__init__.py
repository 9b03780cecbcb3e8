"""Simulated influencer ecosystem: a pure, seeded, vectorised generator (numpy only)."""

from wanghong.engines.simulator.calibration import (
    CalibrationFigures,
    CreatorIncome,
    calibration_figures,
    creator_income,
)
from wanghong.engines.simulator.config import InvalidSimulationConfig, SimulationConfig
from wanghong.engines.simulator.generate import STEPS, generate_ecosystem, reference_end_date
from wanghong.engines.simulator.tables import Ecosystem

__all__ = [
    "STEPS",
    "CalibrationFigures",
    "CreatorIncome",
    "Ecosystem",
    "InvalidSimulationConfig",
    "SimulationConfig",
    "calibration_figures",
    "creator_income",
    "generate_ecosystem",
    "reference_end_date",
]
