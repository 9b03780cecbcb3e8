"""What accounts writes to the audit trail: its action names, ``<entity>.<verb>``."""

from __future__ import annotations

USER_CREATE = "user.create"
USER_TOKENS_REVOKE = "user.tokens_revoke"
