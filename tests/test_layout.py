"""Floor-plan layout: every option of every example, and random programmes and footprints.

The rules checked here are the plan rules of the layout issue, each tested from the plan's
geometry alone (not from the layout's own bookkeeping): no overlaps, inside the floor and
outside cores, every room reachable, areas within ±10 %, minimum widths and aspect limits,
corridor widths, the privacy order, and the secure room's second door.
"""

from __future__ import annotations

import itertools
import math
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from configurator.catalog import Case, load_case
from configurator.kpis import plan_kpis, reachability
from configurator.layout import LayoutError, plan_from_program, plans_from_case
from configurator.plan import Plan
from configurator.program import program_from_case
from configurator.schema import Scenario
from tests.common import EXAMPLES, agency_data, scenario

TOLERANCE = 1e-3
"""Plans are drawn to the millimetre, so containment is checked to the millimetre."""


def check_plan(plan: Plan, case: Case) -> None:
    """Assert every rule a plan must keep; the message names the rule and the rooms."""
    catalog = case.catalog
    floor = Polygon(plan.footprint)
    cores = [Polygon(o.polygon) for o in plan.obstacles]
    shapes = {f"room {r.id}": r.shape for r in plan.rooms}
    shapes |= {f"corridor {c.id}": c.shape for c in plan.corridors if c.id != "hall"}
    for (a, sa), (b, sb) in itertools.combinations(shapes.items(), 2):
        overlap = sa.intersection(sb).area
        assert overlap < 1e-4, f"{plan.strategy}: {a} and {b} overlap by {overlap:.4f} m²"
    for name, shape in shapes.items():
        assert floor.buffer(TOLERANCE).contains(shape), f"{name} leaves the footprint"
        for core in cores:
            assert shape.intersection(core).area < 1e-4, f"{name} covers a core"
    for room in plan.rooms:
        st_ = catalog.space_type(room.space_type)
        deviation = abs(room.area_m2 - room.programme_area_m2) / room.programme_area_m2
        assert deviation <= 0.10, f"{room.id}: area {room.area_m2:.1f} m² is off by {deviation:.0%}"
        x0, y0, x1, y1 = room.shape.bounds
        assert abs(room.shape.area - (x1 - x0) * (y1 - y0)) < 1e-3, f"{room.id} is not a rectangle"
        short, long_ = sorted((x1 - x0, y1 - y0))
        width_needed = min(st_.min_width_m, math.sqrt(room.programme_area_m2))
        assert short >= width_needed - 1e-3, (
            f"{room.id}: {short:.2f} m narrower than {width_needed} m"
        )
        assert long_ / short <= st_.max_aspect + 1e-3, f"{room.id}: aspect {long_ / short:.2f}"
    for corridor in plan.corridors:
        if corridor.id == "hall":
            continue
        x0, y0, x1, y1 = corridor.shape.bounds
        need = case.scenario.layout.staff_corridor_width_m if corridor.staff_only else 1.5
        assert min(x1 - x0, y1 - y0) >= need - 1e-3, f"{corridor.id} narrower than {need} m"
    rooms = {r.id: r for r in plan.rooms}
    for door in plan.doors:
        if door.room in rooms:
            wall = rooms[door.room].shape.exterior
            assert wall.distance(Point(door.at)) < 1e-3, f"{door.id} not on a wall"
    assert reachability(plan) == [], "every room is reachable through doors and corridors"
    kpis = plan_kpis(plan, case=case)
    assert kpis.privacy_violations == 0, kpis.privacy_notes
    assert kpis.secure_room_ok, "the secure room has a second door into staff space"
    programme = program_from_case(case)
    for row in programme.rows:
        drawn = [r for r in plan.rooms if r.space_type == row.space_type]
        assert len(drawn) == row.rooms, (
            f"{row.space_type}: {len(drawn)} drawn, {row.rooms} in the programme"
        )


@cache
def example_plans(path: Path) -> tuple[Case, list[Plan]]:
    case = load_case(path)
    return case, plans_from_case(case)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_give_the_requested_number_of_valid_options(path: Path) -> None:
    case, plans = example_plans(path)
    assert len(plans) == case.scenario.layout.options
    assert [p.option for p in plans] == list(range(1, len(plans) + 1))
    for plan in plans:
        check_plan(plan, case)
    keys = {tuple(sorted((r.id, tuple(r.polygon[0])) for r in p.rooms)) for p in plans}
    assert len(keys) == len(plans), "options are distinct"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_options_are_ranked_by_score(path: Path) -> None:
    case, plans = example_plans(path)
    scores = [plan_kpis(p, case=case).score for p in plans]
    assert scores == sorted(scores, reverse=True)


def test_open_zones_meet_the_entrance_and_staff_sits_behind() -> None:
    case, plans = example_plans(EXAMPLES[[p.stem for p in EXAMPLES].index("pori")])
    entrance = Point(next(e.at for e in case.scenario.footprint.entrances if e.kind == "main"))
    for plan in plans:
        lobby = next(r for r in plan.rooms if r.space_type == "entrance_lobby")
        assert lobby.shape.distance(entrance) < 3.0, "the lobby is at the main door"


def test_same_seed_same_plan() -> None:
    case = load_case(EXAMPLES[[p.stem for p in EXAMPLES].index("pori")])
    program = program_from_case(case)
    first = plan_from_program(program, case=case, strategy="linear", seed=5)
    again = plan_from_program(program, case=case, strategy="linear", seed=5)
    assert first == again


def test_programme_larger_than_the_floor_says_by_how_much() -> None:
    data = scenario(
        agencies=[agency_data("big", annual_visits=120_000, staff_on_site=40)],
        footprint={
            "rectangle": [20.0, 15.0],
            "entrances": [{"id": "door", "at": [10.0, 0.0], "kind": "main"}],
        },
    )
    data.pop("catalog")
    case = load_case_from(data)
    with pytest.raises(LayoutError, match=r"\d+ m² short"):
        plans_from_case(case)


def load_case_from(data: dict[str, object]) -> Case:
    """Build a case from a scenario dict and the built-in catalog, without a file."""
    from configurator.catalog import load_catalog

    return Case(scenario=Scenario.model_validate(data), catalog=load_catalog())


@st.composite
def random_cases(draw: st.DrawFn) -> dict[str, object]:
    """Draw a small point: one to three agencies in a rectangle or an L, maybe with a core."""
    width = draw(st.floats(min_value=30.0, max_value=48.0))
    depth = draw(st.floats(min_value=22.0, max_value=32.0))
    agencies = [
        agency_data(
            f"a{i}",
            annual_visits=draw(st.integers(min_value=2_000, max_value=14_000)),
            staff_on_site=draw(st.integers(min_value=1, max_value=6)),
            shares_counters=draw(st.booleans()),
        )
        for i in range(draw(st.integers(min_value=1, max_value=3)))
    ]
    outline = [(0.0, 0.0), (width, 0.0), (width, depth), (0.0, depth)]
    if draw(st.booleans()):  # an L: cut the back-right corner away
        cut_x = draw(st.floats(min_value=0.55, max_value=0.75)) * width
        cut_y = draw(st.floats(min_value=0.6, max_value=0.8)) * depth
        outline = [
            (0.0, 0.0),
            (width, 0.0),
            (width, cut_y),
            (cut_x, cut_y),
            (cut_x, depth),
            (0.0, depth),
        ]
    footprint: dict[str, object] = {
        "polygon": [list(p) for p in outline],
        "entrances": [
            {"id": "door", "at": [width * draw(st.floats(0.3, 0.7)), 0.0], "kind": "main"},
            {"id": "staff", "at": [0.0, depth * 0.8], "kind": "staff", "width_m": 1.2},
        ],
    }
    if draw(st.booleans()):
        footprint["obstacles"] = [
            {
                "id": "core",
                "kind": "stair",
                "polygon": [[0.0, 8.0], [5.0, 8.0], [5.0, 13.0], [0.0, 13.0]],
            }
        ]
    data = scenario(agencies=agencies, footprint=footprint, seed=draw(st.integers(0, 100)))
    data.pop("catalog")
    data["layout"] = {"options": 1}
    return data


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_cases())
def test_random_programmes_give_valid_plans_or_a_clear_error(data: dict[str, object]) -> None:
    case = load_case_from(data)
    try:
        plans = plans_from_case(case)
    except LayoutError as exc:
        # Only a clear refusal is acceptable, one that names the strategies or the shortfall.
        message = str(exc)
        assert "m² short" in message or "could lay out" in message, message
        return
    for plan in plans:
        check_plan(plan, case)


def test_rooms_inside_footprint_when_rotated_entrance() -> None:
    """An entrance on the east façade: the layout turns, the plan still keeps every rule."""
    data = scenario(
        agencies=[agency_data("a", annual_visits=6000, staff_on_site=3)],
        footprint={
            "rectangle": [26.0, 40.0],
            "entrances": [
                {"id": "door", "at": [26.0, 20.0], "kind": "main"},
                {"id": "staff", "at": [0.0, 35.0], "kind": "staff", "width_m": 1.2},
            ],
        },
    )
    data.pop("catalog")
    data["layout"] = {"options": 2}
    case = load_case_from(data)
    for plan in plans_from_case(case):
        check_plan(plan, case)
