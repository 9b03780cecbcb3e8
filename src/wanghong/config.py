"""Run-time settings, read from WANGHONG_* environment variables with embedded defaults."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA_DIR = Path("var")
BOARD_SYNC_SECONDS = 1.0


def _default_database_url() -> str:
    return f"sqlite:///{DEFAULT_DATA_DIR / 'wanghong.db'}"


def _default_cache_dir() -> str:
    # The XDG base directory rule (a relative $XDG_CACHE_HOME is ignored), as `wanghong compliance scan` kept it.
    base = os.environ.get("XDG_CACHE_HOME", "")
    return str((Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "wanghong")


def _positive(name: str, value: float) -> float:
    # A zero or negative budget would refuse every release with a message that blames the brand, not the setting.
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive number, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    token_ttl_hours: int = 12
    # Sign-in throttle: after this many refused attempts within the window an account name, or a client address
    # (a higher bar: an office or a carrier NAT shares one), is refused with 429 until failures age out.
    login_max_failures: int = 5
    login_max_failures_per_address: int = 50
    login_window_seconds: int = 900
    redis_url: str = "redis://127.0.0.1:6379/0"
    max_batch_events: int = 1000
    # Where the fair-traffic exposure window lives: "memory" (one process) or "redis" (shared by workers).
    traffic_state: str = "memory"
    # Where a live room's connections meet: "memory" (one process) or "redis" (pub/sub, rooms span workers).
    live_rooms: str = "memory"
    # Models trained once and reused by later processes (the matching ranker) are kept here.
    cache_dir: str = field(default_factory=_default_cache_dir)
    # How many simulated creators the matching ranker is trained on when the cache holds none.
    matching_ranker_creators: int = 1000
    # Root of the day-partitioned Parquet event store the analytics jobs and dashboards read.
    event_store_dir: str = str(DEFAULT_DATA_DIR / "events")
    # How often a running server copies new database rows into that store, so boards are seconds fresh; 0: never
    # (then only `wanghong analytics sync`). Off in settings built in code (tests, scripts: no thread writing a
    # store behind them); a server reading its environment syncs every BOARD_SYNC_SECONDS unless told otherwise.
    board_sync_seconds: float = 0.0
    # The transparency log's Ed25519 signing key (PEM, created on first use): keep it outside the database and
    # back it up, since it is what makes a rewritten log detectable.
    transparency_key_path: str = str(DEFAULT_DATA_DIR / "transparency" / "log-ed25519.pem")
    # Settlement: the platform's service fee (平台服务费) on every fee and commission released; the MCN's 分成比例
    # of what is left for a creator signed to an MCN (one rate for every MCN contract, until contracts are
    # recorded); the share of a collaboration's fee released on approval (the rest on settlement); payouts T+N.
    service_fee_rate: float = 0.05
    mcn_share_rate: float = 0.3
    fee_release_on_approval: float = 0.5
    payout_days: int = 7
    # 48 小时无理由退货: an order's commission stays pending this long; a refund inside it reverses the commission.
    return_window_hours: int = 48
    # Behind HTTPS the session, language and CSRF cookies carry Secure; off for the plain-HTTP local demo.
    secure_cookies: bool = False
    # A request body larger than this is refused with 413 before it is parsed or its sender authenticated.
    max_request_bytes: int = 5 * 1024 * 1024
    # The assistant's optional LLM behind an OpenAI-compatible endpoint (e.g. http://127.0.0.1:8000/v1); empty:
    # off, and answers are composed from templates. Either way every answer is grounded, scanned and labelled.
    assistant_llm_url: str = ""
    assistant_llm_model: str = "default"
    assistant_llm_api_key: str = ""
    assistant_llm_timeout_s: float = 3.0
    # 人群洞察: the ε a brand may spend on differentially private releases per Beijing-time calendar month.
    audience_monthly_epsilon: float = 5.0

    @classmethod
    def from_env(cls) -> Settings:
        defaults = cls()
        return cls(
            database_url=os.environ.get("WANGHONG_DATABASE_URL", defaults.database_url),
            token_ttl_hours=int(os.environ.get("WANGHONG_TOKEN_TTL_HOURS", defaults.token_ttl_hours)),
            login_max_failures=int(os.environ.get("WANGHONG_LOGIN_MAX_FAILURES", defaults.login_max_failures)),
            login_max_failures_per_address=int(
                os.environ.get("WANGHONG_LOGIN_MAX_FAILURES_PER_ADDRESS", defaults.login_max_failures_per_address)
            ),
            login_window_seconds=int(os.environ.get("WANGHONG_LOGIN_WINDOW_SECONDS", defaults.login_window_seconds)),
            redis_url=os.environ.get("WANGHONG_REDIS_URL", defaults.redis_url),
            max_batch_events=int(os.environ.get("WANGHONG_MAX_BATCH_EVENTS", defaults.max_batch_events)),
            traffic_state=os.environ.get("WANGHONG_TRAFFIC_STATE", defaults.traffic_state),
            live_rooms=os.environ.get("WANGHONG_LIVE_ROOMS", defaults.live_rooms),
            cache_dir=os.environ.get("WANGHONG_CACHE_DIR", defaults.cache_dir),
            matching_ranker_creators=int(
                os.environ.get("WANGHONG_MATCHING_RANKER_CREATORS", defaults.matching_ranker_creators)
            ),
            event_store_dir=os.environ.get("WANGHONG_EVENT_STORE", defaults.event_store_dir),
            board_sync_seconds=float(os.environ.get("WANGHONG_BOARD_SYNC_SECONDS", BOARD_SYNC_SECONDS)),
            transparency_key_path=os.environ.get("WANGHONG_TRANSPARENCY_KEY") or defaults.transparency_key_path,
            service_fee_rate=float(os.environ.get("WANGHONG_SERVICE_FEE_RATE", defaults.service_fee_rate)),
            mcn_share_rate=float(os.environ.get("WANGHONG_MCN_SHARE_RATE", defaults.mcn_share_rate)),
            fee_release_on_approval=float(
                os.environ.get("WANGHONG_FEE_RELEASE_ON_APPROVAL", defaults.fee_release_on_approval)
            ),
            payout_days=int(os.environ.get("WANGHONG_PAYOUT_DAYS", defaults.payout_days)),
            return_window_hours=int(os.environ.get("WANGHONG_RETURN_WINDOW_HOURS", defaults.return_window_hours)),
            secure_cookies=os.environ.get("WANGHONG_SECURE_COOKIES", "").strip().lower() in {"1", "true", "yes", "on"},
            max_request_bytes=int(os.environ.get("WANGHONG_MAX_REQUEST_BYTES", defaults.max_request_bytes)),
            assistant_llm_url=os.environ.get("WANGHONG_ASSISTANT_LLM_URL", defaults.assistant_llm_url).strip(),
            assistant_llm_model=os.environ.get("WANGHONG_ASSISTANT_LLM_MODEL", defaults.assistant_llm_model),
            assistant_llm_api_key=os.environ.get("WANGHONG_ASSISTANT_LLM_API_KEY", defaults.assistant_llm_api_key),
            assistant_llm_timeout_s=float(
                os.environ.get("WANGHONG_ASSISTANT_LLM_TIMEOUT_S", defaults.assistant_llm_timeout_s)
            ),
            audience_monthly_epsilon=_positive(
                "WANGHONG_AUDIENCE_MONTHLY_EPSILON",
                float(os.environ.get("WANGHONG_AUDIENCE_MONTHLY_EPSILON", defaults.audience_monthly_epsilon)),
            ),
        )
