"""结算 / settlement: the double-entry ledger (accounts, transactions, postings), posting, balances and
reconciliation of orders and payouts against it."""
