"""`wanghong serve` as a user starts it: several healthy workers, and a live socket that answers a real client."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    folder = tmp_path_factory.mktemp("serve")
    port, log = _free_port(), folder / "serve.log"
    env = {**os.environ, "WANGHONG_DATABASE_URL": f"sqlite:///{folder / 'serve.db'}"}
    command = [sys.executable, "-m", "wanghong.cli", "serve", "--port", str(port), "--workers", "2"]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while log.read_text().count("Application startup complete") < 2:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the workers did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield port, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_workers_serve_and_none_dies(served: tuple[int, Path]) -> None:
    port, log = served
    for _ in range(10):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as response:
            assert response.status == 200
    text = log.read_text()
    assert text.count("Started server process") >= 2
    assert "died" not in text and "Traceback" not in text


def test_the_live_socket_answers_a_real_client(served: tuple[int, Path]) -> None:
    port, _ = served
    # The upgrade reaches the application (a stock install without a WebSocket library answers 404 instead),
    # which refuses an unknown token: it says why, then closes with 4401, the HTTP 401 of a socket.
    with connect(f"ws://127.0.0.1:{port}/api/v1/compliance/live/1?token=nope", open_timeout=10) as client:
        refusal = json.loads(client.recv(timeout=10))
        with pytest.raises(ConnectionClosed) as closed:
            client.recv(timeout=10)
    assert refusal["status"] == 401 and refusal["error"]
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


def test_a_served_app_moves_its_startup_objects_out_of_full_collections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from fastapi import FastAPI

    from wanghong.app import served_app

    monkeypatch.setenv("WANGHONG_DATABASE_URL", f"sqlite:///{tmp_path / 'frozen.db'}")
    gc.unfreeze()
    try:
        app = served_app()
        assert isinstance(app, FastAPI)
        assert gc.get_freeze_count() > 10_000  # the modules, routes and schemas the app was built from
    finally:
        gc.unfreeze()  # this test process builds many apps; theirs must stay collectable
