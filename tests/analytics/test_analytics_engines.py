"""DuckDB and Spark run the same Ibis jobs and must return exactly the same rows."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from wanghong.analytics.engine.backends import Backend, Window
from wanghong.analytics.engine.jobs import JOBS, run_job
from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.simulated import export_ecosystem
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem


@pytest.fixture(scope="module")
def simulated_store(tmp_path_factory: pytest.TempPathFactory) -> EventStore:
    store = EventStore(tmp_path_factory.mktemp("sim-events"))
    export_ecosystem(generate_ecosystem(SimulationConfig(creators=200, days=10), seed=1), store)
    return store


@pytest.mark.slow
def test_duckdb_and_spark_agree_exactly(spark: Any, tiny_store: EventStore, simulated_store: EventStore) -> None:
    duck, sparky = Backend("duckdb"), Backend("spark", spark=spark)
    for store, window in ((tiny_store, Window()), (simulated_store, Window())):
        for name in JOBS:
            expected = run_job(name, duck, store, window)
            got = run_job(name, sparky, store, window)
            assert not expected.empty, f"{name} produced no rows to compare"
            # Integers and cents must match exactly; ratios are single IEEE divisions, so they do too.
            pd.testing.assert_frame_equal(expected, got, check_dtype=False, check_exact=True, obj=name)
