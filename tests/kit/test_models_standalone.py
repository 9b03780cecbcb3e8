"""Each capability's tables can be used on their own: a command that imports one models module can flush."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODELS = [
    "wanghong.accounts.models",
    "wanghong.commerce.models",
    "wanghong.compliance.models",
    "wanghong.originality.models",
    "wanghong.settlement.models",
    "wanghong.traffic.models",
    "wanghong.kit.audit",
]

PROBE = """
import importlib, sys
importlib.import_module(sys.argv[1])
from wanghong.kit.db.base import Base
missing = sorted(
    fk.target_fullname
    for table in Base.metadata.tables.values()
    for fk in table.foreign_keys
    if fk.target_fullname.split(".")[0] not in Base.metadata.tables
)
print(" ".join(missing))
"""


@pytest.mark.parametrize("module", MODELS)
def test_every_foreign_key_target_is_in_the_metadata(module: str) -> None:
    # A CLI command loads only its own capability; a foreign key whose table is not loaded fails the flush
    # (NoReferencedTableError), so every models module imports the models its keys point at.
    run = subprocess.run([sys.executable, "-c", PROBE, module], capture_output=True, text=True, check=True)
    assert run.stdout.split() == []
