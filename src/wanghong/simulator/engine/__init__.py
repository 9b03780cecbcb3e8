"""Simulated influencer ecosystem: a pure, seeded, vectorised generator (numpy only)."""

from wanghong.simulator.engine.calibration import CalibrationFigures, CreatorIncome, calibration_figures, creator_income
from wanghong.simulator.engine.config import InvalidSimulationConfig, SimulationConfig
from wanghong.simulator.engine.generate import STEPS, generate_ecosystem, reference_end_date
from wanghong.simulator.engine.tables import Ecosystem

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
