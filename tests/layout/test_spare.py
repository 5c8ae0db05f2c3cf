"""Spare lettable areas: the floor the programme does not need, kept along a façade.

Every property is read from the plan's geometry (the spare's polygon, its door's opening, the
hall's polygon) and checked against the programme's figures, not against the layout's own
bookkeeping: a spare lies on the façade, is wide enough to let, opens onto public circulation,
never takes more than the floor's surplus, and the hall keeps its open areas with walking room.
"""

from __future__ import annotations

import math
import random
from functools import cache
from typing import Any

import pytest
from shapely.geometry import Point, Polygon
from shapely.ops import unary_union

from configurator.inputs.catalog import Case, load_case
from configurator.layout import Strategy, plan_from_program
from configurator.model.geometry import clear_width
from configurator.model.plan import Plan
from configurator.model.schema import Footprint
from configurator.review import options_from_case
from configurator.review.audit import audit_plan
from configurator.review.egress import egress_from_analysis
from configurator.review.geometry import analysis_from_plan
from configurator.sizing.program import Program, program_from_case
from tests.common import EXAMPLES
from tests.footprints import footprint_case

EXAMPLE = {p.stem: p for p in EXAMPLES}


@cache
def pori() -> tuple[Case, Program]:
    case = load_case(EXAMPLE["pori"])
    return case, program_from_case(case)


def with_spare(case: Case, **changes: Any) -> Case:
    layout = case.scenario.layout
    spare = layout.spare.model_copy(update=changes)
    scenario = case.scenario.model_copy(
        update={"layout": layout.model_copy(update={"spare": spare})}
    )
    return case.model_copy(update={"scenario": scenario})


def with_footprint(case: Case, footprint: dict[str, Any]) -> Case:
    scenario = case.scenario.model_copy(update={"footprint": Footprint.model_validate(footprint)})
    return case.model_copy(update={"scenario": scenario})


def assert_spares_hold(plan: Plan, case: Case, program: Program) -> None:
    """Check every spare of a plan from its geometry against the programme and the settings."""
    settings = case.scenario.layout.spare
    footprint = case.scenario.footprint
    problems = audit_plan(plan, footprint=footprint, layout=case.scenario.layout)
    assert not problems, "\n".join(p.plan_line() for p in problems)
    analysis = analysis_from_plan(plan, footprint=footprint)
    outline = Polygon(footprint.outline())
    floor = analysis.floor
    usable = floor.area - sum(c.intersection(floor).area for c in analysis.columns)
    surplus = usable - program.totals.usable_m2
    total = math.fsum(s.area_m2 for s in plan.spares)
    assert total <= surplus + 1e-6, f"{total:.1f} m² spare from a {surplus:.1f} m² surplus"
    for spare in plan.spares:
        shape = spare.shape
        assert shape.area >= settings.min_area_m2 - 1e-6
        assert clear_width(shape, settings.min_width_m - 1e-6), f"{spare.id} is too narrow"
        on_facade = shape.boundary.intersection(outline.exterior.buffer(1e-4)).length
        assert on_facade >= settings.min_width_m - 1e-6, f"{spare.id} is not on the façade"
        doors = [d for d in plan.doors if spare.id in sum(analysis.door_sides[d.id], ())]
        own = [
            e
            for e in plan.entrances
            if e.kind == "spare" and analysis.entrance_spaces.get(e.id) == spare.id
        ]
        assert doors or own, f"{spare.id} has no door"
        for street in own:
            # a new door in the façade, clear of the building's, its only exit: every corner of
            # the (convex) area within the one-exit walk of 30 m (YM 848/2017 §32)
            assert outline.exterior.distance(Point(street.at)) < 1e-3  # coordinates: 0.1 mm
            assert street.width_m >= 1.2
            assert shape.convex_hull.area <= shape.area * 1.02 + 1e-6
            far = max(math.dist(street.at, c) for c in shape.exterior.coords)
            assert far <= 30.0 + 1e-6, f"{spare.id}: {far:.1f} m to its own door"
            # and the review's walk, on a grid inside the area, agrees it is within the limit
            walk = egress_from_analysis(analysis, catalog=case.catalog, rules=case.scenario.rules)
            assert walk.own_routes[spare.id].walked_m <= walk.own_limit_m, spare.id
            for e in plan.entrances:
                if e.kind != "spare":
                    assert math.dist(e.at, street.at) >= 3.0 - 1e-6, (spare.id, e.id)
        for door in doors:
            a, b = analysis.door_sides[door.id]
            other = b if spare.id in a else a
            for space_id in other:
                space = analysis.spaces[space_id]
                assert not space.enclosed, (spare.id, space_id)
                assert not space.staff_only, (spare.id, space_id)
                assert space.privacy != "private", (spare.id, space_id)
        assert math.isclose(
            spare.rent_eur_year,
            shape.area * case.scenario.factors.rent_eur_per_m2_month * 12,
            abs_tol=0.01,
        )
    # The hall keeps its open areas with walking room beside them.
    halls = unary_union([c.shape for c in plan.corridors if c.kind == "hall"])
    opens = math.fsum(r.area_m2 for r in plan.rooms if not r.enclosed)
    assert halls.area >= 1.3 * opens, f"hall {halls.area:.0f} m² for {opens:.0f} m² open areas"


def test_pori_keeps_its_surplus_as_spare_and_the_hall_shrinks_to_the_programme() -> None:
    """Pori's floor is 18 % over its programme: each strategy keeps a spare on the façade.

    (The split at Pori's own seed gives its surplus to deeper rows that light its group rooms,
    so it is tried at a seed that carves one from its hall: 13.)
    """
    case, program = pori()
    off = with_spare(case, enabled=False)
    tries: list[tuple[Strategy, int]] = [("linear", 7), ("hub", 7), ("split", 13)]
    for strategy, seed in tries:
        plan = plan_from_program(program, case=case, strategy=strategy, seed=seed)
        assert plan.spares, strategy
        assert_spares_hold(plan, case, program)
        before = plan_from_program(program, case=off, strategy=strategy, seed=seed)
        assert not before.spares
        hall = sum(c.shape.area for c in plan.corridors if c.kind == "hall")
        hall_before = sum(c.shape.area for c in before.corridors if c.kind == "hall")
        spare = sum(s.area_m2 for s in plan.spares)
        assert hall <= hall_before - spare + 1.0, strategy


def test_under_the_threshold_the_surplus_stays_hall() -> None:
    case, program = pori()
    plan = plan_from_program(
        program, case=with_spare(case, threshold_share=0.5), strategy="linear", seed=7
    )
    assert not plan.spares


def test_the_switch_keeps_the_plan_of_before() -> None:
    """With spare areas off the plan has the hall of before: no spare, no door to one."""
    case, program = pori()
    plan = plan_from_program(program, case=with_spare(case, enabled=False), strategy="hub", seed=7)
    assert not plan.spares
    assert not any(d.room.startswith("spare") for d in plan.doors)


def test_the_best_option_reports_the_lettable_area_and_its_rent() -> None:
    case, program = pori()
    option = options_from_case(case, options=1, program=program)[0]
    area = sum(s.shape.area for s in option.plan.spares)
    assert option.kpis.spare_m2 == pytest.approx(area)
    rent = case.scenario.factors.rent_eur_per_m2_month * 12
    assert option.kpis.spare_eur_year == pytest.approx(area * rent)
    floor = analysis_from_plan(option.plan).floor.area
    assert option.kpis.area_efficiency == pytest.approx(option.kpis.net_m2 / (floor - area))


@pytest.mark.parametrize("index", range(6))
def test_random_footprints_keep_spares_that_hold(index: int) -> None:
    """Random ordinary footprints 1.8-2.4 × the programme, turned or not: spares hold."""
    case, program = pori()
    rng = random.Random(f"spare-{index}")
    made = footprint_case(rng, gross_m2=program.totals.gross_m2, ratio=rng.uniform(1.8, 2.4))
    sized = with_footprint(case, made.footprint)
    options = options_from_case(sized, options=1, program=program)
    assert_spares_hold(options[0].plan, sized, program)


def test_a_wing_boxed_in_by_rooms_is_let_with_its_own_door() -> None:
    """A U whose west wing the rooms cut off from the hall: the wing is kept spare with a new
    façade door (off: it stays unassigned floor)."""
    case, program = pori()
    made = footprint_case(random.Random("rate-110"), gross_m2=program.totals.gross_m2)
    assert made.kind == "U"
    sized = with_footprint(case, made.footprint)
    plan = options_from_case(sized, options=1, program=program)[0].plan
    assert_spares_hold(plan, sized, program)
    analysis = analysis_from_plan(plan, footprint=sized.scenario.footprint)
    own = {analysis.entrance_spaces[e.id] for e in plan.entrances if e.kind == "spare"}
    assert own, "the boxed-in wing has its own door"
    let = math.fsum(s.area_m2 for s in plan.spares if s.id in own)
    assert let >= 100.0

    closed = with_spare(sized, street_doors=False)
    before = options_from_case(closed, options=1, program=program)[0].plan
    assert not [e for e in before.entrances if e.kind == "spare"]
    # all of it but what a room may take from its edge when it is not let
    assert unassigned(before, closed) >= unassigned(plan, sized) + 0.95 * let


def unassigned(plan: Plan, case: Case) -> float:
    """Return the usable floor no space of the plan covers, read from its geometry."""
    analysis = analysis_from_plan(plan, footprint=case.scenario.footprint)
    covered = unary_union([s.shape for s in analysis.spaces.values()])
    return float(analysis.floor.difference(covered).area)
