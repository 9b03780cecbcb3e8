"""An in-memory ledger with the database ledger's rules: idempotent by key, balanced, append-only.

The simulator and the property tests run flows through it at memory speed; `settlement.posting` is the same
contract on the database.
"""

from __future__ import annotations

from collections import defaultdict

from wanghong.settlement.engine.legs import AccountRef, Draft, KeyConflict, canonical, imbalance


class Book:
    def __init__(self) -> None:
        self.transactions: dict[str, Draft] = {}
        self.balances: dict[AccountRef, int] = defaultdict(int)
        self.postings = 0

    def post(self, draft: Draft) -> tuple[Draft, bool]:
        """Post `draft`; returns it and whether it was a replay (then nothing changes). The same key with other
        legs or another kind raises KeyConflict."""
        existing = self.transactions.get(draft.key)
        if existing is not None:
            if existing.kind != draft.kind or canonical(existing.legs) != canonical(draft.legs):
                raise KeyConflict(f"key {draft.key} was posted with other legs")
            return existing, True
        self.transactions[draft.key] = draft
        for leg in draft.legs:
            self.balances[leg.account] += leg.amount
        self.postings += len(draft.legs)
        return draft, False

    def balance(self, account: AccountRef) -> int:
        return self.balances.get(account, 0)

    def trial_balance(self) -> dict[str, int]:
        """The sum of every account per currency: zero in each when the book balances."""
        totals: dict[str, int] = defaultdict(int)
        for account, amount in self.balances.items():
            totals[account.currency] += amount
        return dict(totals)

    def imbalance_fen(self) -> int:
        """Σ over transactions and currencies of |Σ legs|: 0 exactly when every transaction balances."""
        return sum(abs(v) for draft in self.transactions.values() for v in imbalance(draft.legs).values())
