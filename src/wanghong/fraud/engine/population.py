"""A documented generative model of genuine and fake (bought / bot) social-media accounts.

The account scorer is trained on this population, never on a labelled set of real accounts: no such set with a
licence that lets the project ship it exists, and a model fitted to one platform's crawl learns that crawl. What is
encoded here instead is what audit vendors and the research literature publish about the two kinds of account:

* **Platform limits.** Instagram and Douyin cap the number of accounts one may follow (7,500 on Instagram); the
  counts here are clipped there.
* **Genuine accounts** (personal users plus a tail of creators): follower and following counts are heavy-tailed
  and move together (people follow back), so both are log-normal with a shared factor; the median account has
  a few hundred of each, and a minority posts nothing yet (lurkers). Most have a profile picture; many personal
  accounts are private; bios are often empty; usernames are mostly letters (digits when the name was taken).
  *Newcomers* (a tenth) have joined recently: they follow a few hundred friends and celebrities, are followed by
  few yet and have posted a handful of times — the hard negatives beside bought accounts.
* **Fake accounts**, as described by vendor criteria (HypeAuditor's *mass followers*: following > 1,500; Modash
  and HypeAuditor's *suspicious*: no avatar, no posts, digit-heavy generated names) and by the "Fame for sale"
  study of bought followers (Cresci et al., 2015: few posts, empty profiles, a following far above the followers),
  come in four archetypes, mixed so that the model does not learn a single template:

  - *mass-followers* (bots run by follower farms): follow 1,000–7,500, followed by tens, post almost nothing;
  - *sleepers* (freshly registered bulk accounts): follow a few hundred, followed by almost nobody, no posts,
    often no avatar;
  - *aged / premium fakes* (sold as "high quality"): a stolen avatar, a handful of posts, a few hundred
    followers — still following several times more than they are followed;
  - *spammers* (Cresci et al., 2017's "social spambots": promotion accounts): post a few times, write a bio,
    follow and are followed by almost nobody.

Every parameter is a published criterion or a round number chosen from the descriptions above, kept in one
table (:data:`ARCHETYPES`) so that a reader can check each against its source. The fake share of the generated
population (:data:`FAKE_SHARE`) is a design choice: the scorer's probability is calibrated for audiences with about
a quarter suspicious accounts, and moves by Bayes' rule for other base rates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# The column set of a batch of accounts is the simulator's follower sample's: one definition for what is planted
# and what is scored.
from wanghong.simulator.engine.followers import AccountColumns

FOLLOW_LIMIT = 7_500
FAKE_SHARE = 0.25

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Archetype:
    """One kind of account; counts are log-normal (median, log-sd), binary traits are probabilities."""

    name: str
    weight: float  # share within its class (genuine or fake)
    followers_median: float
    followers_sigma: float
    following_median: float
    following_sigma: float
    follow_back: float  # correlation of log following with log followers (people follow back)
    posts_zero: float
    posts_median: float
    posts_sigma: float
    avatar: float
    private: float
    bio_empty: float
    bio_mean: float  # mean length of a non-empty bio, characters
    name_digits: float  # chance that the username contains digits at all
    digits_mean: float  # mean digit count when it does
    name_length_mean: float


ARCHETYPES: dict[bool, tuple[Archetype, ...]] = {
    False: (
        Archetype("personal", 0.75, 250, 1.0, 350, 0.8, 0.6, 0.08, 30, 1.3, 0.97, 0.55, 0.45, 35, 0.2, 2.0, 11),
        Archetype("newcomer", 0.10, 60, 1.0, 300, 0.8, 0.4, 0.2, 4, 0.8, 0.9, 0.6, 0.6, 30, 0.25, 2.0, 11),
        Archetype("creator", 0.15, 3_000, 1.6, 600, 0.9, 0.3, 0.01, 150, 1.0, 0.995, 0.1, 0.15, 60, 0.15, 2.0, 11),
    ),
    True: (
        Archetype("mass_follower", 0.40, 30, 1.3, 2_000, 0.6, 0.2, 0.7, 3, 1.0, 0.6, 0.3, 0.85, 20, 0.55, 3.5, 12),
        Archetype("sleeper", 0.32, 6, 1.2, 180, 0.9, 0.2, 0.9, 2, 0.8, 0.35, 0.3, 0.95, 15, 0.6, 4.0, 13),
        Archetype("aged_fake", 0.18, 150, 1.0, 900, 0.7, 0.3, 0.2, 6, 0.9, 0.9, 0.25, 0.6, 30, 0.45, 3.0, 12),
        Archetype("spammer", 0.10, 2, 1.0, 2, 1.0, 0.3, 0.1, 6, 0.7, 0.95, 0.05, 0.2, 60, 0.6, 2.5, 13),
    ),
}


@dataclass(frozen=True, slots=True)
class Population:
    accounts: AccountColumns
    is_fake: IntArray
    archetype: npt.NDArray[np.str_]


def generate_population(size: int, seed: int, fake_share: float = FAKE_SHARE) -> Population:
    """``size`` accounts, a ``fake_share`` of them fake, drawn from :data:`ARCHETYPES` (deterministic per seed)."""
    rng = np.random.default_rng(seed)
    is_fake = rng.random(size) < fake_share
    parts: list[tuple[npt.NDArray[np.intp], Archetype]] = []
    for fake in (False, True):
        rows = np.flatnonzero(is_fake == fake)
        kinds = ARCHETYPES[fake]
        choice = rng.choice(len(kinds), size=len(rows), p=[k.weight for k in kinds])
        parts.extend((rows[choice == i], kind) for i, kind in enumerate(kinds))
    columns = {name: np.zeros(size, dtype=np.int64) for name in AccountColumns.__dataclass_fields__}
    archetype = np.empty(size, dtype=object)
    for rows, kind in parts:
        _draw(rng, kind, rows, columns)
        archetype[rows] = kind.name
    return Population(AccountColumns(**columns), is_fake.astype(np.int64), archetype.astype(str))


def _draw(rng: np.random.Generator, kind: Archetype, rows: npt.NDArray[np.intp], out: dict[str, IntArray]) -> None:
    n = len(rows)
    shared = rng.standard_normal(n)
    own = rng.standard_normal(n)
    log_followers = np.log(kind.followers_median) + kind.followers_sigma * shared
    rho = kind.follow_back
    log_following = np.log(kind.following_median) + kind.following_sigma * (rho * shared + np.sqrt(1 - rho**2) * own)
    out["followers"][rows] = np.floor(np.exp(log_followers)).astype(np.int64)
    out["following"][rows] = np.minimum(np.floor(np.exp(log_following)), FOLLOW_LIMIT).astype(np.int64)
    posts = np.floor(np.exp(np.log(kind.posts_median) + kind.posts_sigma * rng.standard_normal(n)))
    out["posts"][rows] = np.where(rng.random(n) < kind.posts_zero, 0, np.maximum(posts, 1)).astype(np.int64)
    out["has_avatar"][rows] = rng.random(n) < kind.avatar
    out["is_private"][rows] = rng.random(n) < kind.private
    bio = np.minimum(rng.geometric(1 / kind.bio_mean, n), 150)
    out["bio_length"][rows] = np.where(rng.random(n) < kind.bio_empty, 0, bio)
    length = np.clip(np.rint(rng.normal(kind.name_length_mean, 3.0, n)), 3, 30).astype(np.int64)
    digits = np.where(rng.random(n) < kind.name_digits, rng.geometric(1 / kind.digits_mean, n), 0)
    out["username_length"][rows] = length
    out["username_digits"][rows] = np.minimum(digits, length - 1)
