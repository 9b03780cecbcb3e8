"""`wanghong analytics --help` loads no engine: the commands import Ibis, pandas and the database when they run."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("ibis", "duckdb", "pyspark", "pandas", "pyarrow", "sqlalchemy", "plotly")


def test_the_cli_module_imports_no_engine() -> None:
    probe = f"import sys, wanghong.analytics.cli; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
