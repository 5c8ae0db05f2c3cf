"""Ranking options KPI by KPI, checked against hand-worked rankings."""

from __future__ import annotations

from typing import Any

import pytest

from configurator.review.kpis import PlanKpis
from configurator.review.ranking import KPIS, compare_options, competition_ranks


def kpis(option: int, **values: Any) -> PlanKpis:
    """A PlanKpis with neutral figures, the given ones replaced."""
    base: dict[str, Any] = {
        "option": option,
        "strategy": "linear",
        "seed": option,
        "net_m2": 500.0,
        "gross_m2": 800.0,
        "area_efficiency": 0.7,
        "unassigned_m2": 10.0,
        "unassigned_share": 0.01,
        "spare_m2": 0.0,
        "spare_eur_year": 0.0,
        "max_area_deviation": 0.01,
        "area_deviation": {},
        "adjacency_satisfaction": 0.5,
        "forbidden_adjacencies": 0,
        "privacy_violations": 0,
        "privacy_notes": [],
        "walk_m": 40.0,
        "walk_m_by_persona": {},
        "daylight_share": 0.2,
        "guard_visibility": 0.8,
        "compactness": 0.6,
        "unreachable_rooms": [],
        "secure_room_ok": True,
        "audit_problems": 0,
        "egress_max_m": 40.0,
        "egress_limit_m": 45.0,
        "exits_ok": True,
        "daylight_ok_share": 1.0,
        "accessible_ok": True,
        "rule_problems": 0,
        "score": 100.0,
    }
    return PlanKpis(**(base | values))


def test_competition_ranks_by_hand() -> None:
    # walks 37.8, 40.5, 37.8, 41.0 m, shorter is better: 1, 3, 1, 4 (the tie skips rank 2)
    assert competition_ranks([37.8, 40.5, 37.8, 41.0], "lower") == [1, 3, 1, 4]
    # daylight 18 %, 22 %, 18 %, more is better: 2, 1, 2
    assert competition_ranks([0.18, 0.22, 0.18], "higher") == [2, 1, 2]
    assert competition_ranks([5.0], "higher") == [1]


def test_values_that_print_the_same_share_a_rank() -> None:
    a = kpis(1, walk_m=37.81, area_efficiency=0.642)  # 37.8 m and 64 % in the report
    b = kpis(2, walk_m=37.84, area_efficiency=0.638)  # the same, printed
    comparison = compare_options([a, b])
    assert comparison.ranks["walk_m"] == (1, 1)
    assert comparison.ranks["area_efficiency"] == (1, 1)
    c = kpis(3, area_efficiency=0.655)  # prints 66 %: better
    assert compare_options([a, c]).ranks["area_efficiency"] == (2, 1)


def test_the_recommendation_is_the_best_score_that_meets_every_target() -> None:
    # option 1 scores best but breaks privacy once; option 2 meets every target
    options = [
        kpis(1, score=130.0, privacy_violations=1, walk_m=35.0),
        kpis(2, score=125.0, walk_m=42.0, daylight_share=0.3),
        # a room drawn off its area beyond the band the settings allow: an audit problem (P404)
        kpis(3, score=120.0, max_area_deviation=0.9, audit_problems=1),
    ]
    comparison = compare_options(options)
    assert comparison.recommended == 2
    assert comparison.recommended_meets_targets
    assert comparison.meets["privacy_violations"] == (False, True, True)
    assert comparison.meets["audit_problems"] == (True, True, False)
    assert comparison.meets["max_area_deviation"] == (None, None, None), "P404 is its target"
    assert comparison.ranks["walk_m"] == (1, 3, 2)  # 35 < 40 < 42
    assert comparison.ranks["daylight_share"] == (2, 1, 2)
    assert comparison.ranks["score"] == (1, 2, 3)
    assert [comparison.all_targets_met(i) for i in range(3)] == [False, True, False]


def test_when_no_option_meets_the_targets_the_best_score_is_named_and_flagged() -> None:
    options = [kpis(1, score=90.0, forbidden_adjacencies=2), kpis(2, score=95.0, audit_problems=1)]
    comparison = compare_options(options)
    assert comparison.recommended == 2
    assert not comparison.recommended_meets_targets


def test_every_compared_kpi_is_a_plan_kpi_with_a_direction() -> None:
    fields = set(PlanKpis.model_fields)
    for spec in KPIS:
        assert spec.key in fields
        assert spec.better in ("higher", "lower")
    with pytest.raises(ValueError, match="no options"):
        compare_options([])
