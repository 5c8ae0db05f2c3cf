"""Persona paths, checked from the plan's own polygons: they walk where visitors may walk.

The checks do not use the walking grid or the plan analysis the routes are traced on: a route
must stay inside the building, out of every enclosed room, staff space and core, start and end
at the main entrance and touch every room it says it stops at.
"""

from __future__ import annotations

import itertools
import math
import random
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import unary_union

from configurator.inputs.catalog import Case, load_case
from configurator.model.errors import LayoutError
from configurator.model.plan import Plan
from configurator.model.schema import Footprint
from configurator.review import options_from_case
from configurator.review.routes import Route, persona_routes
from configurator.review.walk import GRID_M
from configurator.sizing.program import Program, program_from_case
from tests.common import REPO
from tests.footprints import footprint_case

SLACK_M = 0.1
"""A route may graze a wall by this much (the grid's cells are 0.5 m, taken at their centres)."""


@cache
def small_town() -> tuple[Case, Program]:
    case = load_case(REPO / "examples" / "small_town.yaml")
    return case, program_from_case(case)


def assert_walkable(plan: Plan, routes: list[Route], case: Case) -> None:
    """Assert every route stays where a visitor may walk, read from the plan's polygons."""
    building = Polygon(plan.footprint).buffer(SLACK_M)
    closed = unary_union(
        [r.shape.buffer(-SLACK_M) for r in plan.rooms if r.enclosed or r.staff_only]
        + [c.shape.buffer(-SLACK_M) for c in plan.corridors if c.staff_only]
        + [Polygon(o.polygon).buffer(-SLACK_M) for o in plan.obstacles if o.kind != "column"]
    )
    columns = [Polygon(o.polygon) for o in plan.obstacles if o.kind == "column"]
    main = next(e.at for e in plan.entrances if e.kind == "main")
    assert [r.persona for r in routes] == [p.id for p in case.catalog.personas]
    for route in routes:
        line = LineString(route.points)
        assert building.contains(line), f"{route.persona} leaves the building"
        inside = line.intersection(closed)
        assert inside.length < 1e-6, f"{route.persona} walks {inside.length:.2f} m through rooms"
        # the walking grid has 0.5 m cells: a line between two cell centres may clip a column
        # thinner than that, by less than a cell's diagonal, never walk through a wider one
        for column in columns:
            cut = line.intersection(column.buffer(-SLACK_M)).length
            assert cut < math.sqrt(2) * GRID_M, f"{route.persona} walks {cut:.2f} m in a column"
        assert route.points[0] == main
        assert route.points[-1] == main
        assert math.isclose(route.length_m, line.length, rel_tol=1e-6, abs_tol=1e-6)
        hops = [main]
        for stop in route.stops:
            room = plan.room(stop)
            if room.enclosed:
                doors = [Point(d.at) for d in plan.doors if d.room == stop and d.kind == "main"]
                near = min(line.distance(d) for d in doors)
                assert near < 0.8, f"{route.persona} passes {near:.1f} m from {stop}'s door"
                hops.append(min(doors, key=line.distance).coords[0])
            else:
                assert line.intersects(room.shape), f"{route.persona} misses {stop}"
                hops.append(room.shape.centroid.coords[0])
        hops.append(main)
        crow = sum(math.dist(a, b) for a, b in itertools.pairwise(hops))
        assert route.length_m >= crow - 2.0 * len(hops), "no shorter than flying, door to door"


@pytest.mark.parametrize("name", ["pori", "large_city"])
def test_the_examples_routes_walk_where_visitors_may(name: str) -> None:
    case = load_case(REPO / "examples" / f"{name}.yaml")
    for option in options_from_case(case, options=2):
        routes = persona_routes(option.plan, case=case)
        assert_walkable(option.plan, routes, case)
        assert all(r.stops for r in routes), "every persona goes somewhere"


def test_a_route_stops_at_the_rooms_of_its_path_in_order() -> None:
    case = load_case(REPO / "examples" / "pori.yaml")
    plan = options_from_case(case, options=1)[0].plan
    kinds = {r.id: r.space_type for r in plan.rooms}
    for route in persona_routes(plan, case=case):
        persona = next(p for p in case.catalog.personas if p.id == route.persona)
        path = max(persona.paths, key=lambda p: p.share)
        wanted = [m.space_type for m in path.moments if m.kind not in ("arrive", "leave")]
        visited = [kinds[s] for s in route.stops]
        it = iter(wanted)
        assert all(v in it for v in visited), (visited, wanted)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(seed=st.integers(0, 2**32 - 1), ratio=st.floats(1.6, 2.6))
def test_routes_on_random_footprints_walk_where_visitors_may(seed: int, ratio: float) -> None:
    """Any footprint kind, turned, with cores, courtyards and columns."""
    case, program = small_town()
    made = footprint_case(random.Random(seed), gross_m2=program.totals.gross_m2, ratio=ratio)
    scenario = case.scenario.model_copy(
        update={"footprint": Footprint.model_validate(made.footprint)}
    )
    sized = case.model_copy(update={"scenario": scenario})
    try:
        (option,) = options_from_case(sized, options=1, program=program)
    except LayoutError:
        return
    assert_walkable(option.plan, persona_routes(option.plan, case=sized), sized)
