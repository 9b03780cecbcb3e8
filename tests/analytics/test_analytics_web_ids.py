"""The simulator export with id_offset=1 and a sync of the same ecosystem loaded into the database agree row for row."""

from __future__ import annotations

from typer.testing import CliRunner

from wanghong.analytics import cli as analytics_cli
from wanghong.analytics.engine.store import EventStore
from wanghong.analytics.simulated import export_ecosystem
from wanghong.analytics.sync import sync_database
from wanghong.kit.db.migrate import upgrade
from wanghong.kit.db.session import Database
from wanghong.simulator.engine import SimulationConfig, generate_ecosystem
from wanghong.simulator.load import load_ecosystem


def test_exported_ids_are_database_ids(tmp_path) -> None:
    eco = generate_ecosystem(SimulationConfig(creators=100, days=14), seed=5)
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    upgrade(url)
    db = Database(url)
    try:
        with db.transaction() as s:
            load_ecosystem(s, eco)
        synced = EventStore(tmp_path / "synced")
        with db.transaction() as s:
            sync_database(s, synced)
    finally:
        db.dispose()
    # The CLI does the same; run twice, the second run finds nothing new.
    runner = CliRunner()
    args = ["sync", "--store", str(tmp_path / "cli"), "--database-url", url]
    first = runner.invoke(analytics_cli.app, args)
    assert first.exit_code == 0, first.output
    again = runner.invoke(analytics_cli.app, args)
    assert again.exit_code == 0 and "nothing new" in again.output
    assert EventStore(tmp_path / "cli").read("orders").equals(synced.read("orders"))
    exported = EventStore(tmp_path / "exported")
    export_ecosystem(eco, exported, id_offset=1)

    for name, key in (("brands", "brand_id"), ("creators", "creator_id"), ("campaigns", "campaign_id")):
        a = exported.read_dimension(name).sort_by(key)
        b = synced.read_dimension(name).sort_by(key)
        assert a.column(key).to_pylist() == b.column(key).to_pylist()
        assert a.column("name" if name != "creators" else "handle") == b.column(
            "name" if name != "creators" else "handle"
        )
    columns = ["order_id", "product_id", "creator_id", "livestream_id", "viewer_id", "amount_cents", "ordered_at"]
    a = exported.read("orders").select(columns).sort_by("order_id")
    b = synced.read("orders").select(columns).sort_by("order_id")
    assert a.num_rows == len(eco.orders) > 0
    assert a.equals(b)
    events = ["event_id", "viewer_id", "creator_id", "action", "value_cents", "at"]
    assert (
        exported.read("behaviour")
        .select(events)
        .sort_by("event_id")
        .equals(synced.read("behaviour").select(events).sort_by("event_id"))
    )
