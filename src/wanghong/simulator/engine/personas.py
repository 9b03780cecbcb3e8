"""Audience segment profiles and the fan personas derived from them.

Each segment (宝妈, 新农人, 学生党, …) has a typical audience: a distribution over gender, age band, city tier
and interest category.  A creator's fan persona is the mixture of the profiles of its dominant segments,
weighted by how much of its audience each segment makes up, blurred by a little creator-specific noise.
The profiles are stylised from how Chinese platform reports describe these groups (e.g. 宝妈 are mostly
women aged 25–40 who shop mother-and-baby and food; 新农人 audiences sit in lower-tier cities and buy
agricultural produce); they are assumptions, not measurements.
"""

from __future__ import annotations

import numpy as np

from wanghong.simulator.engine.tables import AGE_BANDS, CATEGORIES, CITY_TIERS, GENDERS, SEGMENTS, FloatArray

# Rows follow SEGMENTS: young_mothers, new_farmers, students, small_town_youth, urban_white_collar, silver,
# gen_z_gamers.  Columns follow the vocabularies in tables.py.
_GENDER = [  # female, male
    [0.88, 0.12],
    [0.45, 0.55],
    [0.52, 0.48],
    [0.48, 0.52],
    [0.62, 0.38],
    [0.55, 0.45],
    [0.25, 0.75],
]
_AGE = [  # lt18, 18-24, 25-30, 31-40, 41-50, gt50
    [0.01, 0.06, 0.38, 0.45, 0.08, 0.02],
    [0.01, 0.08, 0.17, 0.30, 0.28, 0.16],
    [0.18, 0.66, 0.10, 0.03, 0.02, 0.01],
    [0.06, 0.36, 0.32, 0.16, 0.07, 0.03],
    [0.01, 0.18, 0.40, 0.31, 0.08, 0.02],
    [0.00, 0.02, 0.04, 0.10, 0.22, 0.62],
    [0.20, 0.55, 0.17, 0.05, 0.02, 0.01],
]
_CITY = [  # t1, nt1, t2, t3, t4plus
    [0.12, 0.20, 0.24, 0.24, 0.20],
    [0.03, 0.07, 0.15, 0.30, 0.45],
    [0.15, 0.22, 0.23, 0.22, 0.18],
    [0.03, 0.07, 0.15, 0.35, 0.40],
    [0.38, 0.34, 0.16, 0.08, 0.04],
    [0.10, 0.15, 0.22, 0.25, 0.28],
    [0.16, 0.22, 0.24, 0.20, 0.18],
]
_INTEREST = [  # beauty fashion food digital mother_baby home agriculture games education travel health sports
    [0.08, 0.10, 0.18, 0.03, 0.35, 0.12, 0.02, 0.00, 0.08, 0.01, 0.03, 0.00],
    [0.02, 0.04, 0.25, 0.04, 0.03, 0.08, 0.40, 0.02, 0.03, 0.03, 0.05, 0.01],
    [0.10, 0.14, 0.14, 0.20, 0.00, 0.03, 0.00, 0.20, 0.12, 0.03, 0.01, 0.03],
    [0.10, 0.16, 0.20, 0.12, 0.03, 0.08, 0.05, 0.12, 0.03, 0.04, 0.02, 0.05],
    [0.24, 0.22, 0.12, 0.08, 0.04, 0.08, 0.00, 0.02, 0.06, 0.08, 0.03, 0.03],
    [0.03, 0.04, 0.20, 0.02, 0.02, 0.14, 0.08, 0.00, 0.03, 0.10, 0.32, 0.02],
    [0.03, 0.08, 0.10, 0.22, 0.00, 0.02, 0.00, 0.45, 0.03, 0.02, 0.00, 0.05],
]

# Share of creators whose audience is dominated by each segment (assumption).
SEGMENT_PREVALENCE = np.array([0.18, 0.12, 0.15, 0.20, 0.17, 0.06, 0.12])


def _rows_normalised(matrix: list[list[float]]) -> FloatArray:
    array = np.asarray(matrix, dtype=np.float64)
    return array / array.sum(axis=1, keepdims=True)


GENDER_PROFILE = _rows_normalised(_GENDER)
AGE_PROFILE = _rows_normalised(_AGE)
CITY_PROFILE = _rows_normalised(_CITY)
INTEREST_PROFILE = _rows_normalised(_INTEREST)

assert GENDER_PROFILE.shape == (len(SEGMENTS), len(GENDERS))
assert AGE_PROFILE.shape == (len(SEGMENTS), len(AGE_BANDS))
assert CITY_PROFILE.shape == (len(SEGMENTS), len(CITY_TIERS))
assert INTEREST_PROFILE.shape == (len(SEGMENTS), len(CATEGORIES))
assert SEGMENT_PREVALENCE.shape == (len(SEGMENTS),)


def segment_mixtures(rng: np.random.Generator, primary: np.ndarray, secondary: np.ndarray) -> FloatArray:
    """Audience segment shares per creator: the primary segment dominates, the secondary follows.

    The primary share is Beta(6, 3) (mean two thirds), the secondary takes 70% of the rest, and the other
    segments split what remains, so every segment is present a little, as real audiences are mixed.
    """
    n: int = primary.shape[0]
    k = len(SEGMENTS)
    primary_share: FloatArray = rng.beta(6.0, 3.0, size=n)
    secondary_share = (1.0 - primary_share) * 0.7
    rest = (1.0 - primary_share - secondary_share) / (k - 2)
    mix = np.repeat(rest[:, None], k, axis=1)
    rows = np.arange(n)
    mix[rows, primary] = primary_share
    mix[rows, secondary] = secondary_share
    return mix


def blend(rng: np.random.Generator, mix: FloatArray, profile: FloatArray, noise: float = 0.12) -> FloatArray:
    """Mixture of segment profiles, blurred towards a random Dirichlet draw by `noise`; rows sum to 1."""
    expected = mix @ profile
    jitter = rng.dirichlet(np.ones(profile.shape[1]), size=mix.shape[0])
    blended = (1.0 - noise) * expected + noise * jitter
    return blended / blended.sum(axis=1, keepdims=True)
