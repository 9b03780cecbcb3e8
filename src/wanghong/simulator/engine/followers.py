"""Sampled follower profiles of each creator, with planted fake followers (ground truth beside them).

Drawn independently of the account scorer's training population (`fraud.engine.population`), so that scoring the
platform's samples is a test on data the model did not see. The shapes follow the same public descriptions:

* genuine followers: follower and following counts log-normal and correlated (people follow back; medians 220
  and 320), 7 % have never posted, 96 % an avatar, half private, 45 % no bio, 20 % digits in the username;
* fake followers, one of three kinds — *mass followers* (45 %: following 1,500–7,500, a few dozen followers,
  mostly no posts), *sleepers* (35 %: fresh bulk accounts, almost no followers, no posts, often no avatar,
  generated digit-heavy names) and *aged fakes* (20 %: a stolen avatar, a handful of posts, following several
  times their followers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
KINDS = ("genuine", "mass_follower", "sleeper", "aged_fake")


@dataclass(frozen=True, slots=True)
class AccountColumns:
    """Profile counts of a batch of accounts, one array per field of the ``score-accounts`` contract.

    Defined here, below fraud's engine, because the samples planted here are exactly what fraud's account scorer
    reads (fraud imports the simulator's engine; the simulator may not import fraud)."""

    followers: IntArray
    following: IntArray
    posts: IntArray
    has_avatar: IntArray
    is_private: IntArray
    bio_length: IntArray
    username_length: IntArray
    username_digits: IntArray

    def __len__(self) -> int:
        return len(self.followers)


@dataclass(frozen=True, slots=True)
class FollowerSample(AccountColumns):
    creator: IntArray  # row index of the creator each sampled follower follows
    kind: IntArray  # index into KINDS; 0 is genuine


def planted_followers(per_creator: int, fake_share: FloatArray, seed: int) -> FollowerSample:
    """``per_creator`` followers for each creator, a ``fake_share[c]`` chance of each being fake."""
    rng = np.random.default_rng(seed)
    creators = len(fake_share)
    creator = np.repeat(np.arange(creators), per_creator)
    n = len(creator)
    fake = rng.random(n) < np.asarray(fake_share, dtype=np.float64)[creator]
    kind = np.where(fake, 1 + rng.choice(3, size=n, p=[0.45, 0.35, 0.2]), 0)
    #                      genuine mass  sleeper aged
    followers_median = np.array([220.0, 30.0, 5.0, 140.0])[kind]
    following_median = np.array([320.0, 3_000.0, 160.0, 850.0])[kind]
    shared = rng.standard_normal(n)
    followers = np.floor(np.exp(np.log(followers_median) + 1.1 * shared))
    following = np.exp(np.log(following_median) + 0.8 * (0.5 * shared + 0.87 * rng.standard_normal(n)))
    following = np.where(kind == 1, np.clip(following, 1_500, 7_500), np.minimum(following, 7_500))
    no_posts = rng.random(n) < np.array([0.07, 0.7, 0.92, 0.2])[kind]
    posts = np.where(
        no_posts, 0, np.maximum(1, np.exp(np.log(np.array([30.0, 2.0, 1.0, 5.0])[kind]) + rng.normal(0, 1, n)))
    )
    avatar = rng.random(n) < np.array([0.96, 0.55, 0.3, 0.9])[kind]
    private = rng.random(n) < np.array([0.5, 0.3, 0.3, 0.25])[kind]
    bio = np.where(
        rng.random(n) < np.array([0.45, 0.85, 0.95, 0.6])[kind], 0, np.minimum(rng.geometric(1 / 35, n), 150)
    )
    length = np.clip(np.rint(rng.normal(np.array([11.0, 12.0, 13.0, 12.0])[kind], 3.0)), 3, 30).astype(np.int64)
    has_digits = rng.random(n) < np.array([0.2, 0.55, 0.65, 0.45])[kind]
    digits = np.where(has_digits, rng.geometric(1 / np.array([2.0, 3.5, 4.0, 3.0])[kind]), 0)
    return FollowerSample(
        creator=creator.astype(np.int64),
        followers=followers.astype(np.int64),
        following=np.floor(following).astype(np.int64),
        posts=posts.astype(np.int64),
        has_avatar=avatar.astype(np.int64),
        is_private=private.astype(np.int64),
        bio_length=bio.astype(np.int64),
        username_length=length,
        username_digits=np.minimum(digits, length - 1).astype(np.int64),
        kind=kind.astype(np.int64),
    )
