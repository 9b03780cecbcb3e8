"""Was each earning paid by its due date? Payments settle a creator's earnings oldest due date first (FIFO), the
way a receivable is drawn down, so every fen paid is matched to the earning it paid and to when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Earning:
    due_at: datetime
    fen: int


@dataclass(frozen=True)
class Payment:
    paid_at: datetime
    fen: int


@dataclass(frozen=True)
class Punctuality:
    due_fen: int  # earnings due by the report's instant
    on_time_fen: int  # of those, paid no later than their due date
    late_paid_fen: int  # paid, but after the due date
    overdue_fen: int  # due and still unpaid
    oldest_overdue: datetime | None  # due date of the oldest unpaid fen, if any


def punctuality(earnings: Sequence[Earning], payments: Sequence[Payment], as_of: datetime) -> Punctuality:
    """Match `payments` to `earnings` oldest due first and judge each fen due by `as_of`."""
    queue = sorted(payments, key=lambda p: p.paid_at)
    paid_index, left_in_payment = 0, queue[0].fen if queue else 0
    due = on_time = late = overdue = 0
    oldest_overdue: datetime | None = None
    for earning in sorted(earnings, key=lambda e: e.due_at):
        remaining = earning.fen
        while remaining > 0 and paid_index < len(queue):
            take = min(remaining, left_in_payment)
            if earning.due_at <= as_of:
                if queue[paid_index].paid_at <= earning.due_at:
                    on_time += take
                else:
                    late += take
            remaining -= take
            left_in_payment -= take
            if left_in_payment == 0:
                paid_index += 1
                left_in_payment = queue[paid_index].fen if paid_index < len(queue) else 0
        if earning.due_at <= as_of:
            due += earning.fen
            if remaining > 0:
                overdue += remaining
                oldest_overdue = oldest_overdue or earning.due_at
    return Punctuality(due, on_time, late, overdue, oldest_overdue)
