"""Daily-KPI job over 100 million behaviour events: DuckDB (via the Ibis job) against plain pandas.

Run: ``.venv/bin/python bench/analytics.py`` (``--events 10000000`` for a quicker run).  Events are generated
with numpy straight into the event store under ``bench/out/`` (one Parquet file per China-time day, through
`EventStore.ingest`, so the job reads them exactly as in production) and cached for later runs.

Each measurement runs in a fresh child process, so its peak resident memory (``ru_maxrss``) is its own.
pandas runs the same job (`wanghong.analytics.engine.jobs.creator_daily`: per day and creator, event counts by action,
distinct viewers, tips, joined with orders) on all events by default (about 12 GiB peak at 100M); with
``--pandas-events N`` it loads only the first N and its time is extrapolated linearly, and the printout says so.
When both run in full, their row counts and summed distinct viewers must agree or the bench fails.
Wall-clock and CPU seconds are both reported: on a shared machine the CPU time is the steadier figure.  Each
engine runs ``--repeat`` times (3 by default, the engines alternating) and the median runs are compared, since a
neighbour on a shared machine can slow one eight-second run by a quarter.
Goals: < 60 s on 2 cores, ≥ 10× pandas, peak memory < 8 GB.

``--freshness N`` measures instead how long a write takes to reach its board (issue 14's goal: ≤ 5 s): a simulated
week (``wanghong simulate``, ``--fresh-creators`` creators) in a throw-away SQLite database (or
``--fresh-database-url``), the app with the server's own background sync (`BoardSync` every
``BOARD_SYNC_SECONDS``), N orders written through the API, each timed from the API's answer until the brand's
board download sums to what the database holds.  The baseline, in the same run and alternating with it, is the
same write synced at once by hand and read from an app without a background sync: the latency were every write
copied the moment it committed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from rich.console import Console
from rich.progress import track
from rich.table import Table

from wanghong.analytics.engine.store import CHINA_UTC_OFFSET_S, PARQUET_COMPRESSION, EventStore, to_timestamps

OUT = Path(__file__).resolve().parent / "out"
ACTIONS = np.array(["view", "like", "comment", "share", "follow", "tip", "click"])
ACTION_P = np.array([0.62, 0.18, 0.08, 0.03, 0.04, 0.01, 0.04])
FIRST_DAY = date(2024, 1, 1)
DAYS = 90
CREATORS = 20_000  # a mid-sized platform: 1.8M creator-days over 90 days
VIEWERS = 10_000_000
ORDER_RATE = 0.004  # orders per event


def store_for(events: int) -> EventStore:
    # Named after what decides its bytes, so a cached store is never one the current code would not write:
    # "s2" is the generator whose engagement follows views (see `_day_events`), then the store's codec.
    return EventStore(OUT / f"events-{events}-c{CREATORS}-s2-{PARQUET_COMPRESSION}")


def _day_events(rng: np.random.Generator, n: int, cumulative: np.ndarray, day_start: int) -> dict[str, Any]:
    """One day's `n` behaviour events, as a real log has them: every engagement follows a view.

    Views pick a viewer uniformly and a creator by popularity.  A like, comment, share, follow, tip or click
    is made by someone watching: it copies the viewer, creator and content of one of the day's views, a few
    seconds to a minute after it.  (Drawing them independently, as an earlier version did, had people like
    videos they never saw, and let nearly every event bring a new viewer–creator pair.)
    """
    action = rng.choice(len(ACTIONS), size=n, p=ACTION_P).astype(np.int32)
    viewed = np.flatnonzero(action == 0)
    source = np.arange(n)
    engaged = np.flatnonzero(action != 0)
    source[engaged] = viewed[rng.integers(0, len(viewed), len(engaged))]
    viewer = rng.integers(0, VIEWERS, n, dtype=np.int64)[source]
    creator = np.searchsorted(cumulative, rng.random(n)).astype(np.int64)[source]
    on_video = (rng.random(n) < 0.6)[source]
    seconds = rng.integers(0, 86_400, n)[source]
    seconds = np.minimum(seconds + np.where(action != 0, rng.integers(1, 60, n), 0), 86_399)
    return {
        "viewer_id": viewer,
        "creator_id": creator,
        "video_id": pa.array(rng.integers(0, 5_000_000, n, dtype=np.int64)[source], mask=~on_video),
        "livestream_id": pa.array(rng.integers(0, 500_000, n, dtype=np.int64)[source], mask=on_video),
        "action": pa.DictionaryArray.from_arrays(pa.array(action), pa.array(ACTIONS)).cast(pa.string()),
        "value_cents": np.where(action == 5, rng.integers(100, 100_000, n), 0).astype(np.int64),
        "at": to_timestamps(day_start + seconds),
    }


def generate(events: int, console: Console) -> EventStore:
    """Write `events` behaviour events (and 0.4% as many orders, bought by viewers) over 90 days, unless cached."""
    store = store_for(events)
    per_day = np.full(DAYS, events // DAYS, dtype=np.int64)
    per_day[: events % DAYS] += 1
    if len(store.committed_batches("behaviour")) == DAYS and len(store.committed_batches("orders")) == DAYS:
        return store
    rng = np.random.default_rng(2024)
    # Creator popularity is heavy-tailed (Pareto-like), as on the real platforms.
    popularity = rng.pareto(1.2, CREATORS) + 1
    cumulative = np.cumsum(popularity) / popularity.sum()
    first_id = 0
    for d in track(range(DAYS), description="生成事件 / generating events", console=console):
        n = int(per_day[d])
        day_start = int(
            (np.datetime64(FIRST_DAY + timedelta(days=d)) - np.datetime64("1970-01-01")) / np.timedelta64(1, "s")
        )
        day_start -= CHINA_UTC_OFFSET_S  # midnight China time
        behaviour = _day_events(rng, n, cumulative, day_start)
        batch = f"bench-day-{d:03d}"
        store.ingest("behaviour", batch, {"event_id": np.arange(first_id, first_id + n, dtype=np.int64), **behaviour})
        k = max(1, int(n * ORDER_RATE))
        buyers = rng.integers(0, n, k)  # a buyer is one of the day's viewers of the selling creator
        store.ingest(
            "orders",
            batch,
            {
                "order_id": np.arange(first_id, first_id + k, dtype=np.int64),
                "viewer_id": behaviour["viewer_id"][buyers],
                "creator_id": behaviour["creator_id"][buyers],
                "product_id": rng.integers(0, 200_000, k, dtype=np.int64),
                "collaboration_id": pa.nulls(k, pa.int64()),
                "livestream_id": pa.nulls(k, pa.int64()),
                "video_id": pa.nulls(k, pa.int64()),
                "quantity": rng.integers(1, 4, k, dtype=np.int64),
                "amount_cents": rng.integers(990, 99_900, k, dtype=np.int64),
                "ordered_at": to_timestamps(day_start + rng.integers(0, 86_400, k)),
            },
        )
        first_id += n
    return store


# ---------------------------------------------------------------------------------------------- phases


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def phase_duckdb(events: int, threads: int) -> dict[str, float]:
    from wanghong.analytics.engine.backends import Backend
    from wanghong.analytics.engine.jobs import run_job

    backend = Backend("duckdb")
    backend.con.raw_sql(f"SET threads = {threads}")
    start, cpu = time.perf_counter(), _cpu_seconds()
    frame = run_job("creator_daily", backend, store_for(events))
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": _cpu_seconds() - cpu,
        "rows": len(frame),
        "events": int(frame["events"].sum()),
        "checksum": int(frame["unique_viewers"].sum()),
    }


def phase_pandas(events: int, pandas_events: int) -> dict[str, float]:
    """The same KPIs as `creator_daily`, written the way one would in pandas: read, concat, groupby.

    Straightforward, not tuned: the day comes from the partition folder (as a datetime64 column), distinct
    viewers use `nunique`, action counts a groupby-size unstacked into columns; columns the job does not need
    are not read.
    """
    import pandas as pd

    store = store_for(events)
    start, cpu = time.perf_counter(), _cpu_seconds()
    frames, loaded = [], 0
    for path in store.committed_files("behaviour"):  # whole days, in order, until the sample size is reached
        part = pd.read_parquet(path, columns=["viewer_id", "creator_id", "action", "value_cents"])
        part["day"] = pd.Timestamp(path.parent.name.removeprefix("day="))
        frames.append(part)
        loaded += len(part)
        if loaded >= pandas_events:
            break
    days = {f["day"].iloc[0] for f in frames}
    b = pd.concat(frames, ignore_index=True)
    del frames
    keys = ["day", "creator_id"]
    grouped = b.groupby(keys)
    engagement = pd.DataFrame({"events": grouped.size(), "unique_viewers": grouped["viewer_id"].nunique()})
    actions = b.groupby([*keys, "action"]).size().unstack("action", fill_value=0)
    actions.columns = [f"{a}s" for a in actions.columns]
    tips = b[b["action"] == "tip"].groupby(keys)["value_cents"].sum().rename("tip_cents")
    engagement = engagement.join(actions).join(tips).fillna({"tip_cents": 0}).reset_index()
    order_files = [
        p for p in store.committed_files("orders") if pd.Timestamp(p.parent.name.removeprefix("day=")) in days
    ]
    o = pd.concat(
        [
            pd.read_parquet(p, columns=["creator_id", "quantity", "amount_cents"]).assign(
                day=pd.Timestamp(p.parent.name.removeprefix("day="))
            )
            for p in order_files
        ],
        ignore_index=True,
    )
    sales = (
        o.groupby(keys)
        .agg(orders=("creator_id", "size"), units=("quantity", "sum"), gmv_cents=("amount_cents", "sum"))
        .reset_index()
    )
    result = engagement.merge(sales, on=keys, how="outer").fillna(0).sort_values(keys)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": _cpu_seconds() - cpu,
        "rows": len(result),
        "events": len(b),
        "checksum": int(result["unique_viewers"].sum()),
    }


def run_phase(args: list[str]) -> dict[str, float]:
    """Run one phase in a child process; returns its result, which includes the child's own peak RSS."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _with_peak(result: dict[str, float]) -> dict[str, float]:
    # Linux reports ru_maxrss in KiB.
    return {**result, "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def _median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median wall time (the lower middle one for an even count)."""
    return sorted(runs, key=lambda run: run["seconds"])[(len(runs) - 1) // 2]


def _spread(runs: list[dict[str, float]], key: str, scale: float = 1.0) -> str:
    values = sorted(run[key] * scale for run in runs)
    middle = _median_run(runs)[key] * scale
    return f"{middle:.1f}" if len(values) == 1 else f"{middle:.1f} ({values[0]:.1f}–{values[-1]:.1f})"


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def measure_freshness(writes: int, creators: int, database_url: str | None, console: Console) -> None:
    """Write → visible on its board, with the background sync against an immediate sync (see the module's doc)."""
    import tempfile

    from fastapi.testclient import TestClient
    from sqlalchemy import func, select

    from wanghong.accounts.users import create_user
    from wanghong.analytics.freshness import sync_locked
    from wanghong.app import create_app
    from wanghong.commerce.models import Order, Product
    from wanghong.config import BOARD_SYNC_SECONDS, Settings
    from wanghong.domain import Role
    from wanghong.kit.db.session import Database

    password = "bench-fresh-42"
    with tempfile.TemporaryDirectory(prefix="wanghong-fresh-") as folder:
        url = database_url or f"sqlite:///{folder}/fresh.db"
        simulate = [sys.executable, "-m", "wanghong.cli", "simulate", "--creators", str(creators), "--days", "7"]
        subprocess.run([*simulate, "--database-url", url], check=True, capture_output=True)
        db = Database(url)
        with db.transaction() as s:
            product = s.scalars(select(Product).where(Product.brand_id == 1).order_by(Product.id)).first()
            assert product is not None, "the simulation made no product for brand 1"
            product_id, brand_id = product.id, product.brand_id
            create_user(s, username="fresh_admin", password=password, role=Role.ADMIN)
            create_user(s, username="fresh_brand", password=password, role=Role.BRAND_MANAGER, brand_id=brand_id)
        creator_id = 1

        def in_database() -> float:
            with db.transaction() as s:
                total = s.scalar(
                    select(func.coalesce(func.sum(Order.amount), 0))
                    .join(Product, Product.id == Order.product_id)
                    .where(Product.brand_id == brand_id)
                )
            return float(total)

        served = Settings(database_url=url, event_store_dir=f"{folder}/served", board_sync_seconds=BOARD_SYNC_SECONDS)
        manual = Settings(database_url=url, event_store_dir=f"{folder}/manual", board_sync_seconds=0)
        with TestClient(create_app(served, db=db)) as live, TestClient(create_app(manual, db=db)) as floor:
            token = live.post("/api/v1/auth/token", data={"username": "fresh_admin", "password": password})
            admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
            for client in (live, floor):
                signed = client.post("/login", data={"username": "fresh_brand", "password": password})
                assert signed.status_code == 200, signed.text  # followed to the brand's own page

            def on_board(client: TestClient) -> float:
                response = client.get(f"/analytics/brand/{brand_id}/export/daily.csv")
                assert response.status_code == 200, response.text
                lines = response.content.decode("utf-8-sig").splitlines()
                column = lines[0].split(",").index("GMV（元）")
                return round(sum(float(line.split(",")[column]) for line in lines[1:]), 2)

            def write(client: TestClient, n: int) -> None:
                order = {
                    "product_id": product_id,
                    "creator_id": creator_id,
                    "amount": f"{100 + n}.{n % 100:02d}",
                    "ordered_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                }
                assert client.post("/api/v1/orders", headers=admin, json=order).status_code == 201

            # The first ticks copy the simulated week; measure from a board that already holds it.
            expected = round(in_database(), 2)
            deadline = time.monotonic() + 300
            while on_board(live) != expected:
                if time.monotonic() > deadline:
                    raise SystemExit("the background sync never caught up with the simulated week")
                time.sleep(0.05)
            sync_locked(db, _store(manual), wait=True)
            if on_board(floor) != expected:
                raise SystemExit(f"the board sums {on_board(floor)}, the database {expected}: they must agree")
            background: list[float] = []
            immediate: list[float] = []
            load_before = os.getloadavg()[0]
            for n in track(range(writes), description="写入→看板 / write→board", console=console):
                # Each clock starts at the API's answer (the order committed) and stops when the board shows it.
                write(live, n)
                start = time.perf_counter()
                expected = round(in_database(), 2)
                while on_board(live) != expected:
                    if time.perf_counter() - start > 120:
                        raise SystemExit("a write was not on its board after two minutes")
                    time.sleep(0.02)
                background.append(time.perf_counter() - start)
                write(floor, n)
                start = time.perf_counter()
                expected = round(in_database(), 2)
                sync_locked(db, _store(manual), wait=True)
                if on_board(floor) != expected:
                    raise SystemExit("an immediate sync did not put the write on the board")
                immediate.append(time.perf_counter() - start)
        db.dispose()

    table = Table(title=f"写入到看板可见 / write → visible on its board: {writes} orders each way, {url.split(':')[0]}")
    table.add_column("方式 / how")
    table.add_column("中位数 / median s", justify="right")
    table.add_column("p95 s", justify="right")
    table.add_column("最大 / max s", justify="right")
    for name, runs in (
        (f"background sync every {BOARD_SYNC_SECONDS:g} s (the server)", background),
        ("immediate sync by hand (baseline)", immediate),
    ):
        table.add_row(name, f"{_percentile(runs, 50):.2f}", f"{_percentile(runs, 95):.2f}", f"{max(runs):.2f}")
    console.print(table)
    worst = max(background)
    console.print(
        f"write→visible: median {_percentile(background, 50):.2f} s, p95 {_percentile(background, 95):.2f} s, "
        f"{_percentile(background, 50) / _percentile(immediate, 50):.1f}× the immediate sync's median "
        f"({_percentile(immediate, 50):.2f} s); goal ≤ 5 s → {'met' if worst <= 5 else 'MISSED'} "
        f"(worst {worst:.2f} s); "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )


def _store(settings: Any) -> EventStore:
    return EventStore(settings.event_store_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument(
        "--pandas-events", type=int, default=None, help="events pandas loads (default: all; lower it if RAM is short)"
    )
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (the goal is set for 2 cores)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine; the median run is compared")
    parser.add_argument("--phase", choices=["duckdb", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--freshness", type=int, default=0, metavar="N", help="measure write→board latency over N orders instead"
    )
    parser.add_argument("--fresh-creators", type=int, default=200, help="creators simulated for --freshness")
    parser.add_argument("--fresh-database-url", default=None, help="database for --freshness (default: SQLite)")
    args = parser.parse_args()
    if args.freshness:
        console = Console(width=None if sys.stdout.isatty() else 160)
        measure_freshness(args.freshness, args.fresh_creators, args.fresh_database_url, console)
        return
    pandas_n = min(args.pandas_events or args.events, args.events)
    if args.phase == "duckdb":
        print(json.dumps(_with_peak(phase_duckdb(args.events, args.threads))))
        return
    if args.phase == "pandas":
        print(json.dumps(_with_peak(phase_pandas(args.events, pandas_n))))
        return

    # Piped into a log, Rich would wrap the table at 80 columns and cut the ranges short.
    console = Console(width=None if sys.stdout.isatty() else 160)
    t0 = time.perf_counter()
    store = generate(args.events, console)
    size = sum(p.stat().st_size for p in store.committed_files("behaviour"))
    console.print(
        f"数据 / data: {args.events:,} events, {size / 1e9:.2f} GB Parquet in {store.root} "
        f"(ready in {time.perf_counter() - t0:.1f} s); cores: {os.cpu_count()}, load: {os.getloadavg()[0]:.1f}"
    )
    phases = {
        "duckdb": ["--phase", "duckdb", "--events", str(args.events), "--threads", str(args.threads)],
        "pandas": ["--phase", "pandas", "--events", str(args.events), "--pandas-events", str(pandas_n)],
    }
    # Alternating the engines spreads whatever else the machine is doing over both.
    schedule = [name for _ in range(max(1, args.repeat)) for name in phases]
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in phases}
    for name in track(schedule, description="测量 / measuring", console=console):
        runs[name].append(run_phase(phases[name]))
    duck, pand = _median_run(runs["duckdb"]), _median_run(runs["pandas"])
    scale = args.events / pand["events"]
    pandas_full = pand["seconds"] * scale
    pandas_full_cpu = pand["cpu_seconds"] * scale
    if scale == 1 and (duck["rows"], duck["checksum"]) != (pand["rows"], pand["checksum"]):
        raise SystemExit(f"engines disagree: duckdb {duck} vs pandas {pand}")

    table = Table(
        title=f"达人每日指标作业 / creator_daily over {args.events:,} events; "
        f"median of {len(runs['duckdb'])} runs (range)"
    )
    table.add_column("引擎 / engine")
    table.add_column("事件 / events", justify="right")
    table.add_column("耗时 / wall s", justify="right")
    table.add_column("CPU 时间 / CPU s", justify="right")
    table.add_column("百万事件/秒 / M events/s", justify="right")
    table.add_column("峰值内存 / peak RSS", justify="right")
    table.add_row(
        f"DuckDB (Ibis job by day partition, {args.threads} threads)",
        f"{duck['events']:,}",
        _spread(runs["duckdb"], "seconds"),
        _spread(runs["duckdb"], "cpu_seconds"),
        f"{duck['events'] / duck['seconds'] / 1e6:.1f}",
        f"{duck['peak_rss_bytes'] / 2**30:.2f} GiB",
    )
    table.add_row(
        "pandas (measured)",
        f"{pand['events']:,}",
        _spread(runs["pandas"], "seconds"),
        _spread(runs["pandas"], "cpu_seconds"),
        f"{pand['events'] / pand['seconds'] / 1e6:.1f}",
        f"{pand['peak_rss_bytes'] / 2**30:.2f} GiB",
    )
    if scale > 1:
        table.add_row(
            f"pandas (extrapolated ×{scale:.1f})",
            f"{args.events:,}",
            _spread(runs["pandas"], "seconds", scale),
            _spread(runs["pandas"], "cpu_seconds", scale),
            "—",
            f"≈{pand['peak_rss_bytes'] * scale / 2**30:.1f} GiB (linear estimate)",
        )
    console.print(table)
    ratio = pandas_full / duck["seconds"]
    cpu_ratio = pandas_full_cpu / duck["cpu_seconds"]
    console.print(
        f"DuckDB vs pandas (median runs): {ratio:.1f}× faster wall-clock, {cpu_ratio:.1f}× less CPU time"
        + (" (pandas extrapolated linearly from a measured sample)" if scale > 1 else " (both measured in full)")
        + f"; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        + f"; goals: < 60 s → {'met' if duck['seconds'] < 60 else 'MISSED'}, ≥ 10× → "
        f"{'met' if ratio >= 10 else 'MISSED'}, < 8 GB → {'met' if duck['peak_rss_bytes'] < 8e9 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
