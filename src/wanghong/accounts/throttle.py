"""Sign-in throttling: refused attempts counted per account name and per client address, shared by every worker.

The count lives in the database (`login_failures`), not in Redis: every deployment has the database and every
worker already shares it, while Redis is optional here and a throttle that fails open whenever Redis is away
would protect nothing. One indexed read per attempt costs far less than the argon2 verification it guards, and
an attempt refused by the throttle skips that verification, so a guessing client cannot starve the workers.

The window slides: a name or address is locked while it has `limit` failures younger than the window, so the
lock lifts when the oldest of them ages out. Attempts refused while locked are not counted (they were never
checked), which keeps `Retry-After` truthful and lets the owner in once it passes; a correct password during the
lock is refused like any other attempt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wanghong.accounts.auth import authenticate
from wanghong.accounts.models import LoginFailure, User
from wanghong.config import Settings
from wanghong.kit.db.base import utcnow
from wanghong.kit.errors import ServiceError, Unauthorized

# Wider than any username (64) or address (45 for IPv6); what is longer is cut, as the column is.
_SUBJECT_LENGTH = 128


class TooManyAttempts(ServiceError, status=429, title="Too many requests"):
    """Too many refused sign-ins for this account or address; `retry_after` seconds until the next is checked."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"too many failed sign-ins; try again in {retry_after} s (登录失败次数过多，请 {retry_after} 秒后再试)",
            retry_after=retry_after,
        )
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def retry_headers(exc: ServiceError) -> dict[str, str]:
    """The headers a refused sign-in answers with: `Retry-After` when throttled, none otherwise."""
    return exc.headers if isinstance(exc, TooManyAttempts) else {}


@dataclass(frozen=True)
class Throttle:
    max_per_account: int
    max_per_address: int
    window: timedelta

    @classmethod
    def of(cls, settings: Settings) -> Throttle:
        return cls(
            max_per_account=settings.login_max_failures,
            max_per_address=settings.login_max_failures_per_address,
            window=timedelta(seconds=settings.login_window_seconds),
        )

    def keys(self, username: str, address: str | None) -> list[tuple[str, str, int]]:
        """(scope, subject, limit) for each count this attempt belongs to."""
        keys = [("account", username[:_SUBJECT_LENGTH], self.max_per_account)]
        if address:
            keys.append(("address", address[:_SUBJECT_LENGTH], self.max_per_address))
        return keys


def seconds_locked(session: Session, throttle: Throttle, username: str, address: str | None, now: datetime) -> int:
    """How long until this account name and address may try again; 0 when they may now."""
    wait = timedelta(0)
    for scope, subject, limit in throttle.keys(username, address):
        # The limit-th most recent failure in the window: the lock lasts until it ages out of the window.
        oldest_of_limit = session.scalar(
            select(LoginFailure.failed_at)
            .where(
                LoginFailure.scope == scope,
                LoginFailure.subject == subject,
                LoginFailure.failed_at > now - throttle.window,
            )
            .order_by(LoginFailure.failed_at.desc())
            .offset(max(limit, 1) - 1)
            .limit(1)
        )
        if oldest_of_limit is not None:
            wait = max(wait, oldest_of_limit + throttle.window - now)
    return math.ceil(wait.total_seconds()) if wait > timedelta(0) else 0


def record_failure(session: Session, throttle: Throttle, username: str, address: str | None, now: datetime) -> None:
    """Count a refused sign-in, in a transaction of its own.

    The request's transaction rolls back with the 401 it answers, which would take a failure recorded in it
    along; the failure has to outlive it.
    """
    with Session(bind=session.get_bind()) as own, own.begin():
        # Failures older than the window no longer count for anyone: the table holds one window's worth.
        own.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - throttle.window))
        for scope, subject, _ in throttle.keys(username, address):
            own.add(LoginFailure(scope=scope, subject=subject, failed_at=now))


def sign_in(session: Session, settings: Settings, username: str, password: str, address: str | None) -> User:
    """`authenticate`, throttled: 429 (`TooManyAttempts`) while locked, 401 for a wrong name or password.

    Both the token endpoint and the web login call this, so the two share one count.
    """
    throttle = Throttle.of(settings)
    now = utcnow()
    wait = seconds_locked(session, throttle, username, address, now)
    if wait:
        raise TooManyAttempts(wait)
    try:
        user = authenticate(session, username, password)
    except Unauthorized:
        record_failure(session, throttle, username, address, now)
        raise
    # The account's owner is in: earlier wrong guesses at its name stop counting. The address's count stays, or
    # one valid account would let a guesser from that address reset it at will.
    session.execute(
        delete(LoginFailure).where(LoginFailure.scope == "account", LoginFailure.subject == username[:_SUBJECT_LENGTH])
    )
    return user
