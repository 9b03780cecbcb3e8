"""Fake-account scoring from profile counts: a monotone gradient-boosted model with calibrated probabilities.

The model is LightGBM fitted on the documented generative population of :mod:`.population` (never on labelled
real accounts), with **monotone constraints** wherever the direction is known — more followers, posts, a longer
bio or an avatar can only make an account look more genuine; following more accounts, following more than one is
followed, or more digits in the name can only make it look less so. The constraints keep the model from learning
quirks of its own generator that would not hold on real accounts. Its raw score is mapped to a probability by
Platt scaling fitted on a separate generated sample (a strictly increasing map, so ranking is untouched).

The fitted trees ship as plain arrays (``data/accounts_model.npz``, written by
``tools/make_fraud_accounts_model.py``) and are evaluated by :class:`.trees.TreeEnsemble`, so scoring needs
neither LightGBM nor training.

Reasons are per-signal, Chinese first: each names one published fake-account criterion the profile meets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from wanghong.fraud.engine.population import AccountColumns
from wanghong.fraud.engine.trees import TreeEnsemble

MODEL_RESOURCE = "data/accounts_model.npz"
MODEL_VERSION = 2

FEATURES = (
    "log_followers",
    "log_following",
    "log_posts",
    "has_avatar",
    "is_private",
    "bio_length",
    "username_length",
    "username_digits",
    "digit_share",
    "log_follow_ratio",
    "completeness",
)
# +1: larger means more likely fake; -1: larger means more likely genuine; 0: direction not known in advance.
MONOTONE = (-1, +1, -1, -1, 0, -1, 0, +1, +1, +1, -1)

MASS_FOLLOWING = 1_500  # HypeAuditor's "mass follower" line


def account_features(accounts: AccountColumns) -> npt.NDArray[np.float64]:
    followers = np.log1p(accounts.followers.astype(np.float64))
    following = np.log1p(accounts.following.astype(np.float64))
    length = np.maximum(accounts.username_length, 1).astype(np.float64)
    posts = np.log1p(accounts.posts.astype(np.float64))
    completeness = (
        accounts.has_avatar.astype(np.float64) + (accounts.bio_length > 0) + (accounts.posts > 0)
    )  # profile picture, bio, a post: Modash's "empty profile" signs, counted
    return np.column_stack(
        [
            followers,
            following,
            posts,
            accounts.has_avatar.astype(np.float64),
            accounts.is_private.astype(np.float64),
            accounts.bio_length.astype(np.float64),
            accounts.username_length.astype(np.float64),
            accounts.username_digits.astype(np.float64),
            accounts.username_digits / length,
            following - followers,
            completeness,
        ]
    )


@dataclass(frozen=True, slots=True)
class AccountScore:
    score: int  # 0–100, 100 = genuine
    fake_probability: float
    reasons: tuple[str, ...]

    def to_json(self, account_id: str) -> dict[str, Any]:
        return {
            "id": account_id,
            "score": self.score,
            "fake_probability": round(self.fake_probability, 6),
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class AccountModel:
    trees: TreeEnsemble
    platt_slope: float
    platt_intercept: float

    def fake_probability(self, accounts: AccountColumns) -> npt.NDArray[np.float64]:
        margin = self.trees.margin(account_features(accounts))
        result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-(self.platt_slope * margin + self.platt_intercept)))
        return result

    def score(self, accounts: AccountColumns) -> list[AccountScore]:
        probability = self.fake_probability(accounts)
        scores = np.clip(np.rint(100 * (1 - probability)), 0, 100).astype(int)
        reasons = account_reasons(accounts, probability)
        return [
            AccountScore(int(s), float(p), r)
            for s, p, r in zip(scores.tolist(), probability.tolist(), reasons, strict=True)
        ]

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        return {
            **self.trees.to_arrays("tree_"),
            "platt": np.array([self.platt_slope, self.platt_intercept]),
            "version": np.array(MODEL_VERSION),
            "features": np.array(FEATURES),
        }

    @classmethod
    def from_arrays(cls, arrays: Any) -> AccountModel:
        if int(arrays["version"]) != MODEL_VERSION or tuple(str(f) for f in arrays["features"]) != FEATURES:
            raise ValueError(
                "账号模型版本或特征不匹配，请运行 tools/make_fraud_accounts_model.py / "
                "account model version or features do not match; rerun tools/make_fraud_accounts_model.py"
            )
        slope, intercept = (float(v) for v in arrays["platt"])
        return cls(TreeEnsemble.from_arrays(arrays, "tree_"), slope, intercept)


@cache
def shipped_account_model() -> AccountModel:
    with resources.files(__package__).joinpath(MODEL_RESOURCE).open("rb") as handle, np.load(handle) as arrays:
        return AccountModel.from_arrays(arrays)


_MASS = "关注数超过 1,500（批量关注）/ follows more than 1,500 accounts (mass follower)"
_RATIO = "关注数远超粉丝数 / follows far more than followed"
_NO_POSTS = "没有发布过作品 / no posts"
_NO_AVATAR = "没有头像 / no profile picture"
_DIGITS = "用户名数字过多 / digit-heavy username"
_NO_BIO = "简介为空 / empty bio"
_NO_FOLLOWERS = "几乎没有粉丝 / almost no followers"
_ISOLATED = "几乎不关注也几乎无人关注（孤立账号）/ follows and is followed by almost nobody (isolated account)"


def account_reasons(accounts: AccountColumns, probability: npt.NDArray[np.float64]) -> list[tuple[str, ...]]:
    """The criteria each account meets. Strong signals are always named; weak ones (an empty bio, very few
    followers — common among genuine lurkers too) only where the account is judged fake."""
    following = accounts.following
    followers = accounts.followers
    digits = accounts.username_digits
    suspect = probability >= 0.5
    signals = (
        (following > MASS_FOLLOWING, _MASS),
        ((following >= 100) & (following >= 5 * np.maximum(followers, 1)), _RATIO),
        (accounts.posts == 0, _NO_POSTS),
        (accounts.has_avatar == 0, _NO_AVATAR),
        ((digits >= 4) | ((digits >= 2) & (digits * 3 >= accounts.username_length)), _DIGITS),
        (suspect & (accounts.bio_length == 0), _NO_BIO),
        (suspect & (followers < 10) & (following >= 5), _NO_FOLLOWERS),
        (suspect & (followers < 5) & (following < 5), _ISOLATED),
    )
    masks = np.column_stack([mask for mask, _ in signals])
    texts = [text for _, text in signals]
    return [tuple(texts[j] for j in np.flatnonzero(row)) for row in masks]


class AccountRecordError(ValueError):
    """An input record lacks a field or holds a value of the wrong type or range."""


COUNT_FIELDS = ("followers", "following", "posts", "bio_length", "username_length", "username_digits")
FLAG_FIELDS = ("has_avatar", "is_private")
_LARGEST_COUNT = 2**53  # beyond any real count, and where floats stop being exact integers


def parse_account(record: object) -> tuple[str, tuple[int, ...]]:
    """``(id, values in AccountColumns order)`` of one ``score-accounts`` input object, or AccountRecordError.

    Counts must be non-negative integers (a float with an integral value such as ``12.0`` is accepted, a
    boolean is not); flags must be booleans or 0/1."""
    if not isinstance(record, dict):
        raise AccountRecordError("应为 JSON 对象 / expected a JSON object")
    account_id = record.get("id")
    if not isinstance(account_id, str):
        raise AccountRecordError("id 须为字符串 / id must be a string")
    values: dict[str, int] = {}
    for name in COUNT_FIELDS:
        value = record.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= _LARGEST_COUNT:
            raise AccountRecordError(f"{name} 须为非负整数 / {name} must be a non-negative integer, got {value!r}")
        if isinstance(value, float) and not value.is_integer():
            raise AccountRecordError(f"{name} 须为整数 / {name} must be an integer, got {value!r}")
        values[name] = int(value)
    for name in FLAG_FIELDS:
        value = record.get(name)
        if not isinstance(value, int) or value not in (0, 1):  # bool is an int; 0/1 is accepted too
            raise AccountRecordError(f"{name} 须为 true/false / {name} must be a boolean, got {value!r}")
        values[name] = int(value)
    if values["username_digits"] > values["username_length"]:
        raise AccountRecordError(
            "username_digits 不能大于 username_length / username_digits cannot exceed username_length"
        )
    return account_id, tuple(values[name] for name in AccountColumns.__dataclass_fields__)


def columns_of(rows: list[tuple[int, ...]]) -> AccountColumns:
    table = np.array(rows, dtype=np.int64).reshape(len(rows), len(AccountColumns.__dataclass_fields__))
    return AccountColumns(*(table[:, j] for j in range(table.shape[1])))
