"""Why the context rules read a hit as lawful: the reasons `ContextJudge` gives, shared by its rule modules."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a hit's context makes it lawful (or, for TIME_LIMITED, a matter for a reviewer)."""

    NEGATED = "negated"
    ORDINAL = "ordinal"
    MEASUREMENT = "measurement"
    CONSUMER_TIP = "consumer_tip"
    SERVICE_ATTITUDE = "service_attitude"
    GOAL = "goal"
    SELF_COMPARISON = "self_comparison"
    OFFICIAL_TITLE = "official_title"
    NAME = "name"
    TIME_LIMITED = "time_limited"
    TIME_ORDER = "time_order"
    OTHER_SENSE = "other_sense"
    ANSWERED = "answered"  # asked and denied (see discourse.py)
    ASKED = "asked"  # a viewer's question, not a claim (see discourse.py)
    REPORTED = "reported"  # others' words, refuted or warned against (see discourse.py)
    CITED = "cited"  # the fact the claim needs is documented in the text (a source, a patent or registration number)
