"""Loading a simulated ecosystem into a migrated SQLite database."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select, text

from wanghong.commerce import models as m
from wanghong.domain import FollowerTier
from wanghong.kit.db import migrate as migrate
from wanghong.kit.db.session import Database
from wanghong.simulator.engine import Ecosystem, SimulationConfig, calibration_figures, generate_ecosystem
from wanghong.simulator.engine.tables import FOLLOWER_TIERS
from wanghong.simulator.load import SimulationTargetNotEmpty, load_ecosystem, planned_rows


@pytest.fixture(scope="module")
def ecosystem() -> Ecosystem:
    return generate_ecosystem(SimulationConfig(creators=300), seed=5)


def _database(tmp_path: Path) -> Database:
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    migrate.upgrade(url)
    return Database(url)


def test_load_writes_every_table_with_intact_references(tmp_path: Path, ecosystem: Ecosystem) -> None:
    database = _database(tmp_path)
    try:
        with database.transaction() as session:
            summary = load_ecosystem(session, ecosystem, chunk_rows=997)
        assert summary.rows == planned_rows(ecosystem)
        with database.sessions() as session:
            for table, expected in summary.rows.items():
                stored = session.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                assert stored == expected, table
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []

            # Money survives the trip: tips re-summed from stored tip events give the calibration figure.
            tip_rows = session.execute(
                select(m.LivestreamSession.creator_id, m.ViewerEvent.value)
                .join(m.LivestreamSession, m.ViewerEvent.livestream_id == m.LivestreamSession.id)
                .where(m.ViewerEvent.action == "tip")
            ).all()
            creator_ids = np.array([row[0] for row in tip_rows]) - 1
            amounts = np.array([row[1] for row in tip_rows])
            mid = ecosystem.creators.follower_tier[creator_ids] == FOLLOWER_TIERS.index(FollowerTier.MID)
            assert amounts[mid].sum() / amounts.sum() == pytest.approx(
                calibration_figures(ecosystem).mid_tier_tip_share, abs=1e-6
            )

            creator = session.get(m.Creator, 1)
            assert creator is not None
            assert creator.followers == int(ecosystem.creators.followers[0])
            assert creator.persona is not None
            assert sum(creator.persona.age_bands.values()) == pytest.approx(1.0)
            first = session.get(m.LivestreamSession, 1)
            assert first is not None and first.started_at == ecosystem.at(ecosystem.livestreams.started_at[0])
    finally:
        database.dispose()


def test_without_behaviour_only_tip_events_are_stored(tmp_path: Path, ecosystem: Ecosystem) -> None:
    database = _database(tmp_path)
    try:
        with database.transaction() as session:
            summary = load_ecosystem(session, ecosystem, include_behaviour=False)
        with database.sessions() as session:
            actions = session.execute(select(m.ViewerEvent.action).distinct()).scalars().all()
            assert [str(a) for a in actions] == ["tip"]
            assert summary.rows["viewer_events"] == len(ecosystem.livestream_tips)
    finally:
        database.dispose()


def test_loading_twice_is_refused_and_leaves_data_untouched(tmp_path: Path, ecosystem: Ecosystem) -> None:
    database = _database(tmp_path)
    try:
        with database.transaction() as session:
            load_ecosystem(session, ecosystem, include_behaviour=False)
        with pytest.raises(SimulationTargetNotEmpty, match="already holds"), database.transaction() as session:
            load_ecosystem(session, ecosystem, include_behaviour=False)
        with database.sessions() as session:
            assert session.execute(select(func.count()).select_from(m.Creator)).scalar_one() == 300
    finally:
        database.dispose()
