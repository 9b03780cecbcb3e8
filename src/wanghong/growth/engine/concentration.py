"""Market concentration of MCN agencies: CR5 and the Herfindahl–Hirschman index of their shares."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class Concentration:
    agencies: int
    cr5: float  # share of the five largest, 0–1
    hhi: float  # Σ share² on the 0–10,000 scale antitrust authorities publish (≥ 2,500: highly concentrated)

    @property
    def equivalent_agencies(self) -> float:
        """How many equal-sized agencies would give the same HHI (10,000 ÷ HHI)."""
        return 10_000 / self.hhi if self.hhi > 0 else 0.0


def concentration(volumes: npt.ArrayLike) -> Concentration:
    """CR5 and HHI of the agencies' market shares, from each agency's volume (GMV, income, …)."""
    v = np.asarray(volumes, dtype=np.float64).ravel()
    if (v < 0).any() or not np.isfinite(v).all():
        raise ValueError("volumes must be finite and non-negative")
    total = float(v.sum())
    if total == 0:
        return Concentration(agencies=int(v.shape[0]), cr5=0.0, hhi=0.0)
    shares = np.sort(v / total)[::-1]
    return Concentration(
        agencies=int((v > 0).sum()), cr5=float(shares[:5].sum()), hhi=float(((100 * shares) ** 2).sum())
    )
