"""Warm render times of every workspace page on demo-sized data, against the goal of < 300 ms (issue 12).

    .venv/bin/python bench/workspace_pages.py                  # builds its data once under var/bench/, then reuses it
    .venv/bin/python bench/workspace_pages.py --fresh          # rebuild the data first
    .venv/bin/python bench/workspace_pages.py --database sqlite:///var/demo.db   # the database `make demo` made

The data is what `make demo` stages — `wanghong simulate` (2,000 creators by default) and `wanghong users demo` —
built once into its own file and reused, because generating it takes minutes on a busy machine; the timed part
stays under a minute. Each page is requested in-process (the ASGI app through Starlette's test client, signed in
through /login as the demo account of the role that works in it): a few untimed requests warm it (templates,
engines, SQLite's page cache), then each timed request is the whole server-side render. A page that answers 404
is one not built yet (other parts of issue 12 add them): it is listed, not timed. The machine is shared, so the
1-minute load average is printed before and after: compare runs only at similar load.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 300.0
MIN_SAMPLES = 5
PAGE_BUDGET_S = 1.5
SAME_ORIGIN = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
# Every workspace page and the demo account that works in it, in one place: a page added later is one line here.
# `{creator}` is the demo creator's id, `{market}` the first creators of the market (for compare).
PAGES: list[tuple[str, str]] = [
    ("brand", "/workspace/campaigns"),
    ("brand", "/workspace/products"),
    ("brand", "/workspace/creators"),
    ("brand", "/workspace/creators?segment=young_mothers&sort=gmv"),
    ("brand", "/workspace/creators?keyword=a&follower_tier=mid&mcn_tier=S"),
    ("brand", "/workspace/favourites"),
    ("brand", "/workspace/creators/compare?ids={market}"),
    ("brand", "/workspace/creators/{creator}"),
    ("brand", "/workspace/collaborations"),
    ("brand", "/workspace/samples"),
    ("brand", "/workspace/samples?status=pending"),
    ("brand", "/workspace/selection/listings"),
    ("brand", "/workspace/money"),
    ("brand", "/workspace/notifications"),
    ("brand", "/matching"),
    ("creator", "/workspace/collaborations"),
    ("creator", "/workspace/rate-card"),
    ("creator", "/workspace/selection"),
    ("creator", "/workspace/samples"),
    ("creator", "/workspace/money"),
    ("creator", "/workspace/penalties"),
    ("creator", "/workspace/notifications"),
    ("mcn", "/workspace/collaborations"),
    ("mcn", "/workspace/rate-card"),
    ("mcn", "/workspace/roster"),
    ("mcn", "/workspace/agency"),
    ("mcn", "/workspace/money"),
    ("mcn", "/workspace/penalties"),
    ("reviewer", "/compliance/review"),
    ("admin", "/workspace/subjects"),
    ("admin", "/workspace/regulator"),
]


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def build(url: str, creators: int, days: int) -> None:
    """The demo's data, the way `make demo` makes it (without the analytics sync and compliance backfill, which
    no workspace page reads)."""
    env = os.environ | {"WANGHONG_DATABASE_URL": url}
    cli = [str(Path(sys.executable).with_name("wanghong"))]
    steps = [
        [*cli, "db", "upgrade"],
        [
            *cli,
            "simulate",
            "--creators",
            str(creators),
            "--days",
            str(days),
            "--seed",
            "7",
            "--end-date",
            "yesterday",
            "--no-behaviour",
            "--no-migrate",
        ],
        [*cli, "users", "demo"],
    ]
    for step in steps:
        print("$ wanghong", " ".join(step[1:]), flush=True)
        subprocess.run(step, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def sign_in(client: TestClient, username: str, password: str) -> None:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if match is None:
        raise RuntimeError("the sign-in page has no CSRF token")
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": match.group(1)},
        headers=SAME_ORIGIN,
        follow_redirects=False,
    )
    if answer.status_code != 303:
        raise RuntimeError(f"signing in as {username} failed: {answer.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="an existing demo database URL (default: build var/bench/…)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark's own database first")
    parser.add_argument("--creators", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page")
    parser.add_argument("--warm", type=int, default=2, help="untimed requests per page first")
    args = parser.parse_args()

    url = args.database
    if url is None:
        path = ROOT / "var" / "bench" / f"workspace-pages-{args.creators}c-{args.days}d.db"
        url = f"sqlite:///{path}"
        if args.fresh and path.exists():
            path.unlink()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            build(url, args.creators, args.days)
            print(f"data built in {time.perf_counter() - started:.0f} s (kept for the next run)")

    # Imported after the build, which runs in subprocesses: the app is read from the installed package.
    from wanghong.accounts.models import User
    from wanghong.app import create_app
    from wanghong.commerce.models import Creator
    from wanghong.config import Settings
    from wanghong.kit.db.session import Database
    from wanghong.simulator.demo import DEMO_PASSWORD

    db = Database(url)
    with db.transaction() as s:
        demo_creator = s.scalar(select(User.creator_id).where(User.username == "creator"))
        market = list(s.scalars(select(Creator.id).order_by(Creator.followers.desc()).limit(4)))
        creators = s.scalar(select(Creator.id).order_by(Creator.id.desc()).limit(1))
    if demo_creator is None:
        raise SystemExit(f"{url} has no demo accounts; run `wanghong users demo` on it (or pass --fresh)")
    app = create_app(Settings(database_url=url), db=db)
    started_all = time.perf_counter()
    before = load()
    results: list[tuple[str, str, int, int, float, float]] = []
    missing: list[tuple[str, str]] = []
    with TestClient(app) as root:
        clients: dict[str, TestClient] = {}
        for role, raw in PAGES:
            if role not in clients:
                clients[role] = TestClient(root.app)
                sign_in(clients[role], role, DEMO_PASSWORD)
            client = clients[role]
            path = raw.format(creator=demo_creator, market=",".join(map(str, market)))
            for _ in range(max(1, args.warm)):
                answer = client.get(path)
            if answer.status_code == 404:
                missing.append((role, path))
                continue
            seconds: list[float] = []
            # A slow page gets fewer samples (at least MIN_SAMPLES) so that the whole run stays near a minute.
            while len(seconds) < args.repeat and (len(seconds) < MIN_SAMPLES or sum(seconds) < PAGE_BUDGET_S):
                begun = time.perf_counter()
                answer = client.get(path)
                seconds.append(time.perf_counter() - begun)
            ms = sorted(1000 * s for s in seconds)
            p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]  # nearest rank; with few samples, the slowest
            results.append((role, path, answer.status_code, len(ms), statistics.median(ms), p95))
        for client in clients.values():
            client.close()
    after = load()

    print(f"\n{url} · {creators} creators · goal < {GOAL_MS:.0f} ms warm · load average {before} → {after}")
    print(f"{'role':<9} {'page':<64} {'status':>6} {'n':>3} {'median ms':>10} {'p95 ms':>8}  goal")
    for role, path, status, n, median, p95 in results:
        verdict = "ok" if p95 < GOAL_MS and status < 400 else ("SLOW" if status < 400 else f"HTTP {status}")
        print(f"{role:<9} {path[:64]:<64} {status:>6} {n:>3} {median:>10.1f} {p95:>8.1f}  {verdict}")
    if missing:
        print("\nnot built yet (404):", ", ".join(f"{path} ({role})" for role, path in missing))
    slow = [r for r in results if r[5] >= GOAL_MS]
    print(
        f"\n{len(results) - len(slow)}/{len(results)} pages under {GOAL_MS:.0f} ms at p95; "
        f"timed part {time.perf_counter() - started_all:.0f} s"
    )


if __name__ == "__main__":
    main()
