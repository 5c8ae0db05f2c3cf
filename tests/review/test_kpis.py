"""Plan KPIs against hand calculations: areas on a hand-made plan, walks around a corner."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Polygon

from configurator.inputs.catalog import Case, load_case
from configurator.model.geometry import BuildingFrame
from configurator.review.kpis import kpis_from_plan
from configurator.review.walk import WalkGrid
from tests.common import scenario, write_yaml
from tests.review.test_audit import footprint_of, sound_plan


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    """The minimal scenario, drawn in the audit test's 20 m × 15 m building."""
    plan = sound_plan()
    footprint = footprint_of(plan).model_dump(mode="json", exclude_none=True)
    path = tmp_path_factory.mktemp("kpis") / "scenario.yaml"
    return load_case(write_yaml(path, scenario(footprint=footprint)))


def test_unassigned_floor_by_hand(case: Case) -> None:
    """The rows' empty stretches, by hand: front row (5-9 and 10.8-20 m) × 2.5 m, private row
    (9.2-20 m) × 2.5 m, staff row (10-20 m) × 3.3 m: 33 + 27 + 33 = 93 m² of 300 m²."""
    kpis = kpis_from_plan(sound_plan(), case=case)
    assert kpis.unassigned_m2 == pytest.approx((4.0 + 9.2) * 2.5 + 10.8 * 2.5 + 10.0 * 3.3)
    assert kpis.unassigned_share == pytest.approx(kpis.unassigned_m2 / 300.0)


def test_net_area_and_efficiency_by_hand(case: Case) -> None:
    """Guard 7.5 + WC 5 + meeting 10 + secure 10 + back office 26.4 + staff WC 6.6 + lobby 12."""
    kpis = kpis_from_plan(sound_plan(), case=case)
    assert kpis.net_m2 == pytest.approx(77.5)
    assert kpis.area_efficiency == pytest.approx(77.5 / 300.0)
    assert kpis.gross_m2 == pytest.approx(300.0 * 1.15)


def test_a_sound_plan_has_no_audit_problems_or_unreachable_rooms(case: Case) -> None:
    kpis = kpis_from_plan(sound_plan(), case=case)
    assert kpis.audit_problems == 0
    assert kpis.unreachable_rooms == []
    assert kpis.secure_room_ok


def test_a_room_without_a_door_is_unreachable_and_lowers_the_score(case: Case) -> None:
    plan = sound_plan()
    doorless = plan.model_copy(update={"doors": [d for d in plan.doors if d.id != "door-meeting"]})
    before, after = kpis_from_plan(plan, case=case), kpis_from_plan(doorless, case=case)
    assert after.unreachable_rooms == ["meeting_room_2-1"]
    assert after.score < before.score - 25.0


def test_a_wall_in_the_guards_way_hides_part_of_the_hall(case: Case) -> None:
    """A room standing in the hall between the guard post and the lobby blocks the view."""
    plan = sound_plan()
    seen = kpis_from_plan(plan, case=case).guard_visibility
    blocked = plan.model_copy(
        update={
            "rooms": [
                *plan.rooms,
                plan.room("customer_wc").model_copy(
                    update={
                        "id": "wc-2",
                        "polygon": [(1.2, 0.5), (1.9, 0.5), (1.9, 3.6), (1.2, 3.6)],
                        "programme_area_m2": 0.7 * 3.1,
                    }
                ),
            ]
        }
    )
    assert 0.0 < kpis_from_plan(blocked, case=case).guard_visibility < seen


@pytest.mark.parametrize("degrees", [0.0, 30.0, 77.0])
def test_walking_round_a_corner_is_the_geodesic_length(degrees: float) -> None:
    """An L-shaped corridor 1.5 m wide: from one arm's end to the other's, round the inner
    corner. By hand: the straight legs to the corner of the inside wall, then on."""
    arm = [(0.0, 0.0), (20.0, 0.0), (20.0, 1.5), (1.5, 1.5), (1.5, 12.0), (0.0, 12.0)]
    start, end, corner = (19.0, 0.75), (0.75, 11.0), (1.5, 1.5)
    by_hand = math.dist(start, corner) + math.dist(corner, end)
    a = math.radians(degrees)

    def turn(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * math.cos(a) - p[1] * math.sin(a), p[0] * math.sin(a) + p[1] * math.cos(a))

    shape = Polygon([turn(p) for p in arm])
    grid = WalkGrid(shape, BuildingFrame.for_footprint([turn(p) for p in arm]))
    walked = grid.distance_to(grid.distances_from(turn(start)), turn(end))
    # An 8-neighbour grid walks at most 8 % more than the straight line (octile metric).
    assert by_hand <= walked + 0.75
    assert walked <= by_hand * 1.09 + 0.75


def test_walks_are_the_same_for_a_turned_plan(case: Case) -> None:
    """The same hand-made plan turned by 38°: walks, sight and areas measure the same."""
    plan = sound_plan()
    a = math.radians(38.0)

    def turn(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * math.cos(a) - p[1] * math.sin(a), p[0] * math.sin(a) + p[1] * math.cos(a))

    turned = plan.model_copy(
        update={
            "footprint": [turn(p) for p in plan.footprint],
            "rooms": [
                r.model_copy(update={"polygon": [turn(p) for p in r.polygon]}) for r in plan.rooms
            ],
            "corridors": [
                c.model_copy(update={"polygon": [turn(p) for p in c.polygon]})
                for c in plan.corridors
            ],
            "doors": [
                d.model_copy(update={"at": turn(d.at), "wall": tuple(turn(p) for p in d.wall)})
                for d in plan.doors
            ],
            "entrances": [e.model_copy(update={"at": turn(e.at)}) for e in plan.entrances],
        }
    )
    footprint = footprint_of(turned, polygon=[list(p) for p in turned.footprint])
    before = kpis_from_plan(plan, case=case)
    after = kpis_from_plan(turned, case=case, footprint=footprint)
    for key in ("walk_m", "guard_visibility", "unassigned_m2", "net_m2", "adjacency_satisfaction"):
        assert getattr(after, key) == pytest.approx(getattr(before, key), rel=0.01, abs=0.01), key
