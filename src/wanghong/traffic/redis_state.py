"""Redis-backed creator exposure so several allocator workers share one sliding window.

Implements ``wanghong.traffic.engine.state.ExposureState``. Layout under ``prefix``:

* ``{prefix}:exposure`` — hash creator id -> exposure divided by the window's lazy scale;
* ``{prefix}:meta`` — hash with ``scale`` (product of per-request decays) and ``total``.

A write (age the window, add the slate's exposure) runs as one Lua script, so concurrent workers
never lose an update or apply a decay twice; reads use MULTI so values and scale match.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import redis

from wanghong.config import Settings
from wanghong.traffic.engine.state import WindowShape
from wanghong.traffic.engine.types import FloatArray, IntArray, TrafficInputError

# ARGV: decay factor for the elapsed requests, renormalisation threshold, number of requests,
# then id/amount pairs.
_RECORD_LUA = """
local meta = redis.call('HMGET', KEYS[2], 'scale', 'total')
local scale = tonumber(meta[1] or '1')
local total = tonumber(meta[2] or '0')
scale = scale * tonumber(ARGV[1])
if scale < tonumber(ARGV[2]) then
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    redis.call('HSET', KEYS[1], all[i], string.format('%.17g', tonumber(all[i + 1]) * scale))
  end
  total = total * scale
  scale = 1
end
for i = 4, #ARGV, 2 do
  local add = tonumber(ARGV[i + 1]) / scale
  redis.call('HINCRBYFLOAT', KEYS[1], ARGV[i], string.format('%.17g', add))
  total = total + add
end
redis.call('HSET', KEYS[2], 'scale', string.format('%.17g', scale), 'total', string.format('%.17g', total))
redis.call('HINCRBY', KEYS[2], 'requests', tonumber(ARGV[3]))
return 1
"""


class RedisExposureState(WindowShape):
    """Exposure state shared through Redis; one instance per worker, same ``prefix`` for all."""

    def __init__(
        self,
        client: redis.Redis,
        prefix: str,
        n_creators: int,
        half_life_requests: float | None = None,
    ) -> None:
        super().__init__(n_creators, half_life_requests)
        if not prefix:
            raise TrafficInputError("a Redis key prefix is required so windows do not collide")
        self._client = client
        self._hash = f"{prefix}:exposure"
        self._meta = f"{prefix}:meta"
        self._record = client.register_script(_RECORD_LUA)

    @classmethod
    def from_url(
        cls, prefix: str, n_creators: int, url: str = Settings.redis_url, half_life_requests: float | None = None
    ) -> RedisExposureState:
        return cls(redis.Redis.from_url(url), prefix, n_creators, half_life_requests)

    def record(self, creator_ids: IntArray, amounts: FloatArray, n_requests: int = 1) -> None:
        args: list[float | int | str] = [repr(self._decay**n_requests), "1e-150", int(n_requests)]
        for creator, amount in zip(creator_ids.tolist(), amounts.tolist(), strict=True):
            args.extend((creator, repr(amount)))
        self._record(keys=[self._hash, self._meta], args=args)

    def _scale_and(self, command: str, *args: object) -> tuple[float, Any]:
        pipe = self._client.pipeline(transaction=True)
        pipe.hget(self._meta, "scale")
        getattr(pipe, command)(self._hash, *args)
        scale_raw, result = pipe.execute()
        return (float(scale_raw) if scale_raw is not None else 1.0), result

    def gather(self, creator_ids: IntArray) -> FloatArray:
        scale, raw = self._scale_and("hmget", creator_ids.tolist())
        values = np.array([float(v) if v is not None else 0.0 for v in raw], dtype=np.float64)
        return values * scale

    def nonzero(self) -> tuple[IntArray, FloatArray]:
        scale, raw = self._scale_and("hgetall")
        items = raw.items()
        ids = np.fromiter((int(k) for k, _ in items), dtype=np.int64, count=len(items))
        values = np.fromiter((float(v) for _, v in items), dtype=np.float64, count=len(items)) * scale
        keep = values > 0
        return ids[keep], values[keep]

    def total(self) -> float:
        scale, total = self._client.hmget(self._meta, ["scale", "total"])
        return float(total or 0.0) * float(scale or 1.0)

    def requests_recorded(self) -> int:
        return int(self._client.hget(self._meta, "requests") or 0)

    def clear(self) -> None:
        """Forget the window (e.g. when re-running an evaluation)."""
        self._client.delete(self._hash, self._meta)
