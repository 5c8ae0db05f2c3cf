"""Compare floor-plan options KPI by KPI: ranks, targets met, and which option to recommend.

The report and the UI read the same comparison. Ranks are competition ranks (1, 2, 2, 4) on the
value as printed, so two options that read the same share a rank; a KPI's direction says whether
more is better. The recommended option is the best-scoring one that meets every target; when none
does, the best-scoring one, and the comparison says that no option meets the targets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from configurator.review.kpis import PlanKpis

__all__ = ["KPIS", "Comparison", "KpiSpec", "compare_options", "competition_ranks"]

Direction = Literal["higher", "lower"]
Kind = Literal["share", "m", "m2", "count", "points"]


@dataclass(frozen=True)
class KpiSpec:
    """One compared KPI: the PlanKpis field, which way is better, how it prints, its target."""

    key: str
    better: Direction
    kind: Kind
    target: float | None = None
    """The bound the option must meet (≥ for higher-is-better, ≤ for lower), if any."""
    decimals: int = 1
    """Decimals printed: of the per cent for a share, of the unit otherwise (0 for counts)."""

    def value(self, kpis: PlanKpis) -> float:
        """The KPI's value, rounded as the report prints it (so equal prints rank equal)."""
        raw = getattr(kpis, self.key)
        number = float(len(raw)) if isinstance(raw, list) else float(raw)
        return round(number, self.decimals + (2 if self.kind == "share" else 0))

    def meets(self, kpis: PlanKpis) -> bool | None:
        """Whether the option meets the target (None: this KPI has none)."""
        if self.target is None:
            return None
        v = self.value(kpis)
        return v >= self.target if self.better == "higher" else v <= self.target


KPIS: tuple[KpiSpec, ...] = (
    KpiSpec("walk_m", "lower", "m"),
    KpiSpec("adjacency_satisfaction", "higher", "share", decimals=0),
    KpiSpec("daylight_share", "higher", "share", decimals=0),
    KpiSpec("guard_visibility", "higher", "share", decimals=0),
    KpiSpec("compactness", "higher", "share", decimals=0),
    KpiSpec("area_efficiency", "higher", "share", decimals=0),
    KpiSpec("unassigned_m2", "lower", "m2"),
    KpiSpec("spare_m2", "higher", "m2"),
    KpiSpec("max_area_deviation", "lower", "share"),
    KpiSpec("privacy_violations", "lower", "count", target=0, decimals=0),
    KpiSpec("forbidden_adjacencies", "lower", "count", target=0, decimals=0),
    KpiSpec("unreachable_rooms", "lower", "count", target=0, decimals=0),
    KpiSpec("audit_problems", "lower", "count", target=0, decimals=0),
    KpiSpec("egress_max_m", "lower", "m"),
    KpiSpec("daylight_ok_share", "higher", "share", target=1.0, decimals=0),
    KpiSpec("rule_problems", "lower", "count", target=0, decimals=0),
    KpiSpec("score", "higher", "points"),
)
"""The KPIs the report compares, in the order it prints them. Targets are the hard rules the
score penalises: no privacy break, forbidden neighbour, unreachable room, audit problem or
building-rule problem, and daylight wherever it is needed. A room's area off its programme
beyond what the layout settings allow is an audit problem (P404), so it has no target of its
own."""


def competition_ranks(values: Sequence[float], better: Direction) -> list[int]:
    """Rank values 1 = best; equal values share the better rank and the next one is skipped."""
    sign = -1.0 if better == "higher" else 1.0
    return [1 + sum(1 for w in values if sign * w < sign * v) for v in values]


@dataclass(frozen=True)
class Comparison:
    """Every option's value, rank and target result per KPI, and the recommendation."""

    options: tuple[int, ...]
    values: dict[str, tuple[float, ...]]
    ranks: dict[str, tuple[int, ...]]
    meets: dict[str, tuple[bool | None, ...]]
    recommended: int
    """The option number recommended."""
    recommended_meets_targets: bool

    def all_targets_met(self, index: int) -> bool:
        """Whether the option at this position meets every KPI that has a target."""
        return all(m[index] is not False for m in self.meets.values())


def compare_options(kpis: Sequence[PlanKpis], specs: Sequence[KpiSpec] = KPIS) -> Comparison:
    """Rank every option on every KPI and pick the best-scoring one that meets the targets."""
    if not kpis:
        raise ValueError("no options to compare")
    values = {s.key: tuple(s.value(k) for k in kpis) for s in specs}
    ranks = {s.key: tuple(competition_ranks(values[s.key], s.better)) for s in specs}
    meets = {s.key: tuple(s.meets(k) for k in kpis) for s in specs}
    ok = [all(meets[s.key][i] is not False for s in specs) for i in range(len(kpis))]
    order = sorted(range(len(kpis)), key=lambda i: (-kpis[i].score, kpis[i].option))
    passing = [i for i in order if ok[i]]
    best = passing[0] if passing else order[0]
    return Comparison(
        options=tuple(k.option for k in kpis),
        values=values,
        ranks=ranks,
        meets=meets,
        recommended=kpis[best].option,
        recommended_meets_targets=ok[best],
    )
