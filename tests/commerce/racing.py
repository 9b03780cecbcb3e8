"""Real concurrency for read-modify-write tests: N requests, each through its own client (so its own request
thread, database session and connection), released together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi.testclient import TestClient

# method, url, JSON body, headers
Call = tuple[str, str, dict[str, Any], dict[str, str]]


def race(app: Any, calls: Sequence[Call]) -> list[httpx.Response]:
    """Send every call at once and return the responses in call order."""
    barrier = threading.Barrier(len(calls))

    def one(call: Call) -> httpx.Response:
        method, url, body, headers = call
        # Not entered as a context manager: that would run the shared app's lifespan again.
        client = TestClient(app)
        try:
            barrier.wait(timeout=60)
            return client.request(method, url, json=body, headers=headers)
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(one, calls))


def statuses(responses: Sequence[httpx.Response]) -> list[int]:
    return sorted(r.status_code for r in responses)
