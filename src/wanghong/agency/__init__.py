"""MCN 后台: the agency's roster, signing and releasing creators (the creator confirms), its S/A/B tier with history
and what the tier grants, and the revenue split with its creators."""
