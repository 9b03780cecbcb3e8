"""人群 / segments: documented rules, clusters found in behaviour, and each creator's audience with TGI.

* **Rule segments** are tags an operator can read and argue with: a viewer is 宝妈 when the platform knows her as a
  woman of 25–40 *and* at least 15% of what she watches is mother-and-baby. Each rule is data (`RuleSegment`), so
  the rule table below is the documentation; tags overlap (a 学生党 is usually also Z世代).
* **Discovered segments** are k-means clusters of behaviour embeddings (or of any feature space), each described by
  the indicators it over-indexes on: TGI = 100 × (share of the cluster with the indicator) / (share of everyone).
* **Composition** of a creator's audience is the share of its viewers in each segment, as recorded in behaviour,
  with TGI against the whole platform and the sample size it rests on.

Everything is vectorised over viewers: a rule is a few boolean array operations, composition one sparse product.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.cluster import MiniBatchKMeans

from wanghong.domain import AgeBand, Category, CityTier, Gender

BoolMatrix = npt.NDArray[np.bool_]
FloatMatrix = npt.NDArray[np.float64]

# A TGI resting on fewer viewers than this is shown but flagged: at 30 a share of 20% has a ±14-point 95% interval.
MIN_RELIABLE_SAMPLE = 30
# An indicator must cover this share of a cluster before its TGI describes the cluster: a 500 TGI on 0.1% is noise.
MIN_SUPPORT = 0.05

GENDERS: tuple[Gender, ...] = tuple(Gender)
AGE_BANDS: tuple[AgeBand, ...] = tuple(AgeBand)
CITY_TIERS: tuple[CityTier, ...] = tuple(CityTier)
CATEGORIES: tuple[Category, ...] = tuple(Category)


@dataclass(frozen=True)
class ViewerProfile:
    """What the platform knows of each viewer: declared attributes (codes; -1 unknown) and behaviour shares.

    `interest` is the share of each viewer's recorded behaviour per category (rows sum to 1, or 0 with none).
    """

    gender: npt.NDArray[np.integer]  # into GENDERS
    age_band: npt.NDArray[np.integer]  # into AGE_BANDS
    city_tier: npt.NDArray[np.integer]  # into CITY_TIERS
    interest: npt.NDArray[np.floating]  # (n_viewers, len(CATEGORIES))

    def __post_init__(self) -> None:
        n = self.gender.shape[0]
        if {self.age_band.shape[0], self.city_tier.shape[0], self.interest.shape[0]} != {n}:
            raise ValueError("profile columns differ in length")
        if self.interest.shape[1] != len(CATEGORIES):
            raise ValueError(f"interest needs {len(CATEGORIES)} category columns, got {self.interest.shape[1]}")

    @property
    def n_viewers(self) -> int:
        return int(self.gender.shape[0])


def interest_shares(
    viewer: npt.NDArray[np.integer],
    category: npt.NDArray[np.integer],
    weight: npt.NDArray[np.floating] | None,
    n_viewers: int,
) -> npt.NDArray[np.float32]:
    """(n_viewers, categories) share of each viewer's behaviour per category, from one row per event; float32,
    because at ten million viewers the dense matrix is what the memory goes to."""
    data = np.ones(viewer.shape[0], dtype=np.float32) if weight is None else np.asarray(weight, dtype=np.float32)
    totals = sp.csr_matrix((data, (viewer, category)), shape=(n_viewers, len(CATEGORIES)), dtype=np.float32)
    shares = totals.toarray()
    sums = shares.sum(axis=1, keepdims=True)
    np.divide(shares, sums, out=shares, where=sums > 0)
    return shares


@dataclass(frozen=True)
class RuleSegment:
    """A tag defined by who the viewer is (any of the listed codes; all when empty) and what they watch.

    `interests` with `min_share`: at least that share of the viewer's behaviour is in those categories together.
    """

    key: str
    name_zh: str
    name_en: str
    genders: tuple[Gender, ...] = ()
    age_bands: tuple[AgeBand, ...] = ()
    city_tiers: tuple[CityTier, ...] = ()
    interests: tuple[Category, ...] = ()
    min_share: float = 0.0

    def members(self, profile: ViewerProfile) -> npt.NDArray[np.bool_]:
        selected = np.ones(profile.n_viewers, dtype=bool)
        for allowed, vocabulary, codes in (
            (self.genders, GENDERS, profile.gender),
            (self.age_bands, AGE_BANDS, profile.age_band),
            (self.city_tiers, CITY_TIERS, profile.city_tier),
        ):
            if allowed:
                selected &= np.isin(codes, [vocabulary.index(member) for member in allowed])
        if self.interests:
            columns = [CATEGORIES.index(category) for category in self.interests]
            selected &= profile.interest[:, columns].sum(axis=1) >= self.min_share
        return selected


_YOUNG = (AgeBand.UNDER_18, AgeBand.AGE_18_24)
_LOWER_TIER = (CityTier.TIER3, CityTier.TIER4_PLUS)
_TOP_TIER = (CityTier.TIER1, CityTier.NEW_TIER1)

# The documented rule table. Thresholds are where the share is several times the platform-wide average
# (mother_baby is ~5% of all behaviour, so 15% is a strong lean), not fitted to any data set.
RULE_SEGMENTS: tuple[RuleSegment, ...] = (
    RuleSegment(
        "young_mothers", "宝妈", "young mothers",
        genders=(Gender.FEMALE,), age_bands=(AgeBand.AGE_25_30, AgeBand.AGE_31_40),
        interests=(Category.MOTHER_BABY,), min_share=0.15,
    ),
    RuleSegment(
        "new_farmers", "新农人", "new farmers",
        city_tiers=_LOWER_TIER, interests=(Category.AGRICULTURE,), min_share=0.15,
    ),
    RuleSegment(
        "students", "学生党", "students",
        age_bands=_YOUNG, interests=(Category.EDUCATION, Category.GAMES, Category.DIGITAL), min_share=0.3,
    ),
    RuleSegment(
        "small_town_youth", "小镇青年", "small-town youth",
        age_bands=(AgeBand.AGE_18_24, AgeBand.AGE_25_30), city_tiers=_LOWER_TIER,
    ),
    RuleSegment("gen_z", "Z世代", "Gen Z", age_bands=_YOUNG),
    RuleSegment(
        "gen_z_gamers", "Z世代玩家", "Gen Z gamers",
        age_bands=_YOUNG, interests=(Category.GAMES,), min_share=0.25,
    ),
    RuleSegment(
        "urban_white_collar", "都市白领", "urban white-collar",
        age_bands=(AgeBand.AGE_25_30, AgeBand.AGE_31_40), city_tiers=_TOP_TIER,
        interests=(Category.BEAUTY, Category.FASHION, Category.TRAVEL, Category.DIGITAL), min_share=0.3,
    ),
    RuleSegment(
        "silver", "银发族", "silver-haired", age_bands=(AgeBand.OVER_50,),
    ),
    RuleSegment(
        "health_seekers", "养生族", "health-minded",
        age_bands=(AgeBand.AGE_41_50, AgeBand.OVER_50), interests=(Category.HEALTH,), min_share=0.2,
    ),
)  # fmt: skip


def assign_rule_segments(
    profile: ViewerProfile, rules: tuple[RuleSegment, ...] = RULE_SEGMENTS
) -> npt.NDArray[np.bool_]:
    """(n_viewers, len(rules)) membership; a viewer may carry several tags or none."""
    membership = np.zeros((profile.n_viewers, len(rules)), dtype=bool)
    for column, rule in enumerate(rules):
        membership[:, column] = rule.members(profile)
    return membership


@dataclass(frozen=True)
class OverIndex:
    indicator: str
    share: float  # of the segment's members carrying the indicator
    tgi: float  # 100 = as common as on the whole platform


@dataclass(frozen=True)
class DiscoveredSegment:
    label: int
    size: int
    share: float  # of all viewers
    over_indexes: tuple[OverIndex, ...]  # highest TGI first


@dataclass(frozen=True)
class Discovery:
    labels: npt.NDArray[np.int32]  # cluster of each viewer
    segments: tuple[DiscoveredSegment, ...] = field(default=())


def over_indexes(
    indicators: sp.csr_matrix | BoolMatrix,
    members: npt.NDArray[np.bool_],
    names: list[str],
    top: int = 5,
    min_support: float = MIN_SUPPORT,
) -> tuple[OverIndex, ...]:
    """The indicators (0/1 columns) most over-represented among `members`, with their TGI."""
    matrix = sp.csr_matrix(indicators, dtype=np.float64)
    population = np.asarray(matrix.mean(axis=0)).ravel()
    within = np.asarray(matrix[np.flatnonzero(members)].mean(axis=0)).ravel()
    tgi = np.divide(100.0 * within, population, out=np.zeros_like(within), where=population > 0)
    eligible = np.flatnonzero(within >= min_support)
    order = eligible[np.argsort(-tgi[eligible], kind="stable")][:top]
    return tuple(OverIndex(names[column], float(within[column]), float(tgi[column])) for column in order)


def discover_segments(
    points: FloatMatrix | npt.NDArray[np.float32],
    indicators: sp.csr_matrix | BoolMatrix,
    indicator_names: list[str],
    clusters: int = 8,
    top: int = 5,
    random_state: int = 0,
) -> Discovery:
    """Cluster viewers' `points` (behaviour embeddings, or encoded features) and describe each cluster."""
    if len(indicator_names) != indicators.shape[1]:
        raise ValueError("one name per indicator column")
    if points.shape[0] < clusters:
        raise ValueError(f"{points.shape[0]} viewers cannot make {clusters} clusters")
    model = MiniBatchKMeans(n_clusters=clusters, random_state=random_state, n_init=3, batch_size=4096)
    labels = model.fit_predict(points).astype(np.int32)
    segments = []
    for label in range(clusters):
        members = labels == label
        segments.append(
            DiscoveredSegment(
                label=label,
                size=int(members.sum()),
                share=float(members.mean()),
                over_indexes=over_indexes(indicators, members, indicator_names, top=top),
            )
        )
    segments.sort(key=lambda segment: -segment.size)
    return Discovery(labels=labels, segments=tuple(segments))


@dataclass(frozen=True)
class Composition:
    """Per creator (rows) and segment (columns): audience share, TGI and the sample size they rest on."""

    sample_size: npt.NDArray[np.int64]  # distinct viewers per creator
    share: FloatMatrix
    tgi: FloatMatrix
    platform_share: npt.NDArray[np.float64]  # per segment, over all viewers

    @property
    def reliable(self) -> npt.NDArray[np.bool_]:
        return self.sample_size >= MIN_RELIABLE_SAMPLE


def audience_composition(
    event_viewer: npt.NDArray[np.integer],
    event_creator: npt.NDArray[np.integer],
    membership: BoolMatrix,
    n_creators: int,
) -> Composition:
    """Composition of each creator's recorded audience: every viewer counted once per creator they acted on."""
    n_viewers = membership.shape[0]
    reached = sp.csr_matrix(
        (np.ones(event_viewer.shape[0], dtype=np.float32), (event_creator, event_viewer)),
        shape=(n_creators, n_viewers),
    )
    reached.sum_duplicates()
    reached.data[:] = 1.0  # a viewer who acted ten times on a creator is still one viewer of its audience
    sample = np.asarray(reached.sum(axis=1)).ravel().astype(np.int64)
    in_segment = np.asarray(reached @ membership.astype(np.float32), dtype=np.float64)
    share = np.divide(in_segment, sample[:, None], out=np.zeros_like(in_segment), where=sample[:, None] > 0)
    platform = membership.mean(axis=0).astype(np.float64)
    tgi = np.divide(100.0 * share, platform, out=np.zeros_like(share), where=platform > 0)
    return Composition(sample_size=sample, share=share, tgi=tgi, platform_share=platform)
