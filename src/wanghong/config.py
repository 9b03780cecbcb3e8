"""Run-time settings, read from WANGHONG_* environment variables with embedded defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA_DIR = Path("var")


def _default_database_url() -> str:
    return f"sqlite:///{DEFAULT_DATA_DIR / 'wanghong.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    token_ttl_hours: int = 12
    redis_url: str = "redis://127.0.0.1:6379/0"
    max_batch_events: int = 1000
    # Where the fair-traffic exposure window lives: "memory" (one process) or "redis" (shared by workers).
    traffic_state: str = "memory"
    # Root of the day-partitioned Parquet event store the analytics jobs and dashboards read.
    event_store_dir: str = str(DEFAULT_DATA_DIR / "events")

    @classmethod
    def from_env(cls) -> Settings:
        defaults = cls()
        return cls(
            database_url=os.environ.get("WANGHONG_DATABASE_URL", defaults.database_url),
            token_ttl_hours=int(os.environ.get("WANGHONG_TOKEN_TTL_HOURS", defaults.token_ttl_hours)),
            redis_url=os.environ.get("WANGHONG_REDIS_URL", defaults.redis_url),
            max_batch_events=int(os.environ.get("WANGHONG_MAX_BATCH_EVENTS", defaults.max_batch_events)),
            traffic_state=os.environ.get("WANGHONG_TRAFFIC_STATE", defaults.traffic_state),
            event_store_dir=os.environ.get("WANGHONG_EVENT_STORE", defaults.event_store_dir),
        )
