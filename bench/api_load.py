"""API load on loopback: requests/s and p50/p99 of two hot routes, 1 and 2 workers, SQLite and PostgreSQL.

    .venv/bin/python bench/api_load.py                         # both backends, 1 and 2 workers
    .venv/bin/python bench/api_load.py --backends sqlite --requests 500

Each backend gets a fresh database filled by `wanghong simulate` (``--creators``, a week, no viewer behaviour), a
platform admin (who reads every creator, so the list route returns full pages of 50 — a brand's scope holds no
creator profile, and its list is empty) and a brand manager of brand 1 (for its product's matches). For every
worker count the server is started as a user starts it (`wanghong serve --workers N`, with ``--no-access-log``
when asked) and a load generator keeps ``--concurrency`` requests in flight (after a warm-up that also builds each
worker's matching index): `wrk` (one thread, ``--seconds`` per run, a small Lua script for the bearer header and
the latency percentiles) when it is on PATH (Debian: ``apt-get install wrk``), else a small asyncio/httpx one that
sends a fixed number of requests (``--generator`` chooses). The run says which one ran. A C generator leaves the
server the cores a real client machine would; the Python one takes most of one core itself:

* ``GET /api/v1/creators?limit=50`` — goal ≥ 1,000 req/s with p99 < 50 ms on 2 workers;
* ``GET /api/v1/products/{id}/matches`` (a product of that brand) — goal p99 < 100 ms;
* ``GET /api/v1/auth/me`` — the floor: routing, middleware, sign-in and one small answer, no listing.

Both routes answer from each worker's response cache (`kit.cache`) while the tables they read are unchanged, so
after the warm-up the timed requests are what a steady read load costs. With ``--misses`` two more runs send
every request a query no one asked before (``followers_min`` counting up, which keeps the pages full): what the
routes cost right after each write, when nothing stored may be reused.

Besides requests/s and latency, each run reports the server's own CPU time per request (every worker process,
from the operating system's accounts), which depends far less on what else the machine runs than wall-clock
figures do, and each route's p50 and CPU time as a ratio to the floor's measured in the same run.

The generator shares the machine with the server (wrk far less than httpx), so the numbers are a floor; the
1-minute load average is printed before and after every run: compare runs only at similar load.  PostgreSQL is
reached through ``WANGHONG_BENCH_POSTGRES_URL`` (default: the local server's ``postgres`` database) and skipped
when it is down.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
import psutil
from rich.console import Console
from rich.table import Table

POSTGRES_ADMIN = os.environ.get("WANGHONG_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BRAND_USER, ADMIN_USER, PASSWORD = "bench_brand", "bench_admin", "bench-load-Passw0rd-42"
CREATORS_GOAL_RPS, CREATORS_GOAL_P99_MS, MATCHES_GOAL_P99_MS = 1_000.0, 50.0, 100.0
console = Console(width=140)


def load1() -> float:
    return os.getloadavg()[0]


@dataclass(frozen=True)
class Run:
    backend: str
    workers: int
    route: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    load_before: float
    load_after: float
    cpu_ms: float  # server CPU time (all worker processes) per timed request

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


# ---------------------------------------------------------------------------------------------------- databases


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str | None]:
    """A fresh, empty database URL for `backend`; None when PostgreSQL cannot be reached."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    name = f"wanghong_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        console.print(f"[yellow]PostgreSQL skipped[/]: {error.orig}")
        yield None
        return
    try:
        yield make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fill(url: str, creators: int) -> int:
    """Simulate an ecosystem into `url` and add the brand manager; returns a product id of that brand."""
    from sqlalchemy import select

    from wanghong.accounts.users import create_user
    from wanghong.commerce.models import Product
    from wanghong.domain import Role
    from wanghong.kit.db.session import Database

    command = [sys.executable, "-m", "wanghong.cli", "simulate", "--creators", str(creators), "--days", "7"]
    subprocess.run([*command, "--no-behaviour", "--database-url", url], check=True, capture_output=True)
    db = Database(url)
    try:
        with db.transaction() as s:
            product = s.scalar(select(Product.id).where(Product.brand_id == 1).order_by(Product.id))
            assert product is not None, "the simulation made no product for brand 1"
            create_user(s, username=BRAND_USER, password=PASSWORD, role=Role.BRAND_MANAGER, brand_id=1)
            create_user(s, username=ADMIN_USER, password=PASSWORD, role=Role.ADMIN)
            return int(product)
    finally:
        db.dispose()


# ---------------------------------------------------------------------------------------------------- serving


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(url: str, workers: int, folder: Path, extra: tuple[str, ...] = ()) -> Iterator[tuple[str, psutil.Process]]:
    port, log = _free_port(), folder / f"serve-{workers}.log"
    env = {**os.environ, "WANGHONG_DATABASE_URL": url}
    command = [sys.executable, "-m", "wanghong.cli", "serve", "--port", str(port), "--workers", str(workers), *extra]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while log.read_text().count("Application startup complete") < workers:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", psutil.Process(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a worker that never came up keeps the parent waiting on it
            for process in (*psutil.Process(server.pid).children(recursive=True), server):
                process.kill()
            server.wait(timeout=30)


# ---------------------------------------------------------------------------------------------------- load


_FRESH = iter(range(1, 1 << 62))  # followers_min values no request has sent yet


def _path_of(path: str) -> str:
    """`path`, or for a path ending in ``{fresh}`` the same with a number no request has used."""
    return path.replace("{fresh}", str(next(_FRESH))) if path.endswith("{fresh}") else path


async def _load(base: str, path: str, token: str, requests: int, concurrency: int) -> tuple[list[float], int, float]:
    """Send `requests` GETs with `concurrency` in flight; per-request seconds, non-200 count, wall seconds."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors = 0
    remaining = requests

    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as client:

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await client.get(_path_of(path))
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, errors, time.perf_counter() - began


# wrk's Lua side: the bearer header, a fresh ``followers_min`` per request for ``{fresh}`` paths (one counter per
# thread, apart by a billion), and one JSON line at the end with what the Python side reports.
_WRK_SCRIPT = """
local fresh_prefix = os.getenv("WRK_FRESH_PREFIX")
local counter = 0
local threads = {}
function setup(thread)
  thread:set("offset", #threads * 1000000000)
  table.insert(threads, thread)
end
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_TOKEN")
  counter = offset or 0
end
function request()
  if fresh_prefix then
    counter = counter + 1
    return wrk.format("GET", fresh_prefix .. counter)
  end
  return wrk.format("GET")
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _wrk(
    base: str, path: str, token: str, seconds: float, concurrency: int, folder: Path
) -> tuple[int, int, float, float, float]:
    """One wrk run (one thread: the C generator stays a small share of the machine); (requests, errors, wall
    seconds, p50 ms, p99 ms)."""
    script = folder / "load.lua"
    script.write_text(_WRK_SCRIPT)
    env = {**os.environ, "WRK_TOKEN": token}
    target = path
    if path.endswith("{fresh}"):
        env["WRK_FRESH_PREFIX"] = path.removesuffix("{fresh}")
        target = path.removesuffix("{fresh}") + "0"
    command = [
        "wrk",
        "-t1",
        f"-c{concurrency}",
        f"-d{seconds:g}s",
        "--timeout",
        "60s",
        "-s",
        str(script),
        base + target,
    ]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK_JSON "))
    found = json.loads(line.removeprefix("WRK_JSON "))
    return (
        int(found["requests"]),
        int(found["errors"]),
        found["duration_us"] / 1e6,
        found["p50_us"] / 1000,
        found["p99_us"] / 1000,
    )


def server_cpu_seconds(server: psutil.Process) -> float:
    """User and system CPU time of the server and its worker processes so far."""
    total = 0.0
    for process in (server, *server.children(recursive=True)):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def measure(
    backend: str,
    workers: int,
    target: tuple[str, psutil.Process],
    route: str,
    path: str,
    token: str,
    requests: int,
    concurrency: int,
    wrk_seconds: float | None = None,
    folder: Path = Path("."),
) -> Run:
    """One timed run: `requests` through the httpx generator, or for `wrk_seconds` through wrk."""
    base, server = target
    # Warm-up: every connection once, so each worker has built its matching index before the clock starts.
    asyncio.run(_load(base, path, token, 2 * concurrency, concurrency))
    before, cpu_before = load1(), server_cpu_seconds(server)
    if wrk_seconds is not None:
        requests, errors, seconds, p50, p99 = _wrk(base, path, token, wrk_seconds, concurrency, folder)
    else:
        latencies, errors, seconds = asyncio.run(_load(base, path, token, requests, concurrency))
        ms = np.array(latencies) * 1000
        p50, p99 = float(np.percentile(ms, 50)), float(np.percentile(ms, 99))
    cpu_ms = (server_cpu_seconds(server) - cpu_before) * 1000 / max(requests, 1)
    return Run(backend, workers, route, requests, errors, seconds, p50, p99, before, load1(), cpu_ms)


def token_for(base: str, username: str) -> str:
    response = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return str(response.json()["access_token"])


def check_full_page(base: str, token: str) -> None:
    """The creators route must answer a full page: timing an empty list would measure nothing."""
    body = httpx.get(f"{base}/api/v1/creators?limit=50", headers={"Authorization": f"Bearer {token}"}).json()
    if len(body["items"]) != 50:
        raise RuntimeError(f"GET /api/v1/creators?limit=50 returned {len(body['items'])} creators, not 50")


def verdict(run: Run) -> str:
    if run.route == "floor":
        return "—"
    if run.route.startswith("creators"):
        if run.workers != 2:
            return "—"
        met = run.rps >= CREATORS_GOAL_RPS and run.p99_ms < CREATORS_GOAL_P99_MS
    else:
        met = run.p99_ms < MATCHES_GOAL_P99_MS
    return "[green]met[/]" if met and not run.errors else "[red]not met[/]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--creators", type=int, default=300, help="creators simulated into each database")
    parser.add_argument("--requests", type=int, default=400, help="timed requests per creators run")
    parser.add_argument("--match-requests", type=int, default=32, help="timed requests per matches run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--misses", action="store_true", help="also time both routes with no answer to reuse")
    parser.add_argument(
        "--generator",
        choices=["auto", "wrk", "httpx"],
        default="auto",
        help="load generator: wrk (C, when on PATH: auto) or the Python asyncio/httpx one",
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each wrk run")
    parser.add_argument(
        "--no-access-log", action="store_true", help="serve with `--no-access-log` (as behind a proxy that logs)"
    )
    args = parser.parse_args()
    use_wrk = args.generator == "wrk" or (args.generator == "auto" and wrk_available())
    if args.generator == "wrk" and not wrk_available():
        parser.error("wrk is not on PATH (Debian: apt-get install wrk)")

    started = time.perf_counter()
    generator = f"wrk, 1 thread, {args.seconds:g} s per run" if use_wrk else "asyncio/httpx (in this process)"
    serving = "wanghong serve --workers N" + (" --no-access-log" if args.no_access_log else "")
    console.print(
        f"load average at start: {load1():.2f} ({os.cpu_count()} CPUs); load generator: {generator}; server: {serving}"
    )
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="wanghong-api-load-") as tmp:
        for backend in args.backends:
            folder = Path(tmp) / backend
            folder.mkdir()
            with database(backend, folder) as url:
                if url is None:
                    continue
                product = fill(url, args.creators)
                for workers in args.workers:
                    with served(url, workers, folder, ("--no-access-log",) if args.no_access_log else ()) as target:
                        base = target[0]
                        admin, brand = token_for(base, ADMIN_USER), token_for(base, BRAND_USER)
                        check_full_page(base, admin)
                        routes: tuple[tuple[str, str, int, str], ...] = (
                            ("floor", "/api/v1/auth/me", args.requests, admin),
                            ("creators", "/api/v1/creators?limit=50", args.requests, admin),
                            ("matches", f"/api/v1/products/{product}/matches", args.match_requests, brand),
                        )
                        if args.misses:
                            routes += (
                                (
                                    "creators miss",
                                    "/api/v1/creators?limit=50&followers_min={fresh}",
                                    args.requests,
                                    admin,
                                ),
                                (
                                    "matches miss",
                                    f"/api/v1/products/{product}/matches?followers_min={{fresh}}",
                                    args.match_requests,
                                    brand,
                                ),
                            )
                        for route, path, requests, token in routes:
                            seconds = args.seconds if use_wrk else None
                            run = measure(
                                backend,
                                workers,
                                target,
                                route,
                                path,
                                token,
                                requests,
                                args.concurrency,
                                seconds,
                                folder,
                            )
                            runs.append(run)
                            console.print(
                                f"{backend:<10} {workers} worker(s) {route:<13} {run.rps:8.1f} req/s  "
                                f"p50 {run.p50_ms:6.1f} ms  p99 {run.p99_ms:6.1f} ms  "
                                f"CPU {run.cpu_ms:6.2f} ms/req  errors {run.errors}  "
                                f"load {run.load_before:.2f}→{run.load_after:.2f}"
                            )

    table = Table(title=f"API load, concurrency {args.concurrency} on loopback, generator: {generator}")
    columns = ("backend", "workers", "route", "requests", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "× floor")
    for column in (*columns, "errors", "load 1m", "goal"):
        table.add_column(column, justify="right" if column not in ("backend", "route", "goal") else "left")
    floors = {(r.backend, r.workers): r for r in runs if r.route == "floor"}
    for run in runs:
        floor = floors.get((run.backend, run.workers))
        ratio = f"p50 {run.p50_ms / floor.p50_ms:.1f}, CPU {run.cpu_ms / floor.cpu_ms:.1f}" if floor else "—"
        table.add_row(
            run.backend,
            str(run.workers),
            run.route,
            str(run.requests),
            f"{run.rps:.1f}",
            f"{run.p50_ms:.1f}",
            f"{run.p99_ms:.1f}",
            f"{run.cpu_ms:.2f}",
            ratio if run.route != "floor" else "1",
            str(run.errors),
            f"{run.load_before:.2f}→{run.load_after:.2f}",
            verdict(run),
        )
    console.print(table)
    console.print(
        f"goals: creators ≥ {CREATORS_GOAL_RPS:,.0f} req/s and p99 < {CREATORS_GOAL_P99_MS:.0f} ms on 2 workers; "
        f"matches p99 < {MATCHES_GOAL_P99_MS:.0f} ms.  Whole run {time.perf_counter() - started:.0f} s, "
        f"load average at end {load1():.2f}"
    )


if __name__ == "__main__":
    main()
