"""Design occupants: the larger of flow and use per space type, checked by hand calculation."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from configurator.inputs.catalog import Case, load_case
from configurator.model.schema import BuildingRules, OccupantDensities
from configurator.sizing.demand import demand_from_scenario
from configurator.sizing.program import program_from_case
from tests.common import EXAMPLES, agency_data, scenario, write_yaml


@pytest.fixture(scope="module")
def one_agency(tmp_path_factory: pytest.TempPathFactory) -> Case:
    """One agency of round figures: 32 visitors in the design hour (see agency_data)."""
    folder = tmp_path_factory.mktemp("occupants")
    return load_case(write_yaml(folder / "s.yaml", scenario(agencies=[agency_data()])))


def test_counters_hold_their_seats_or_the_people_the_queue_puts_there(one_agency: Case) -> None:
    program = program_from_case(one_agency)
    counters = program.row("quick_service_counter")
    # 16 counter visitors an hour × 7.5 min = 2 present, × 1.3 companions = 2.6, plus one clerk
    # per counter; the counters' seats (3 a counter) are more.
    flow = 32 * 0.5 * 7.5 / 60 * 1.3 + counters.count
    seats = 3 * counters.count
    assert counters.occupants == math.ceil(max(flow, seats))
    occupancy = program.occupancy.of("quick_service_counter")
    assert occupancy is not None
    assert occupancy.visitors == pytest.approx(2.6)


def test_an_office_counts_six_square_metres_a_person_unless_more_desks_are_there(
    one_agency: Case,
) -> None:
    program = program_from_case(one_agency)
    office = program.row("back_office")
    desks = office.count  # one person a work place
    assert office.occupants == math.ceil(max(desks, office.area_m2 / 6.0))


def test_a_lounge_holds_its_seats_or_a_person_a_square_metre(one_agency: Case) -> None:
    program = program_from_case(one_agency)
    lounge = program.row("waiting_lounge")
    assert lounge.occupants == math.ceil(max(program.sizing.waiting_seats, lounge.area_m2 / 1.0))


def test_ancillary_spaces_add_no_one_of_their_own(one_agency: Case) -> None:
    program = program_from_case(one_agency)
    assert program.row("staff_lockers").occupants == 0
    occupancy = program.occupancy.of("staff_lockers")
    assert occupancy is not None
    assert occupancy.by_use == 0


def test_densities_are_a_setting(one_agency: Case) -> None:
    looser = one_agency.scenario.model_copy(
        update={"rules": BuildingRules(densities=OccupantDensities(office_m2=20.0))}
    )
    program = program_from_case(one_agency.model_copy(update={"scenario": looser}))
    office = program.row("back_office")
    assert office.occupants == math.ceil(max(office.count, office.area_m2 / 20.0))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_floor_is_designed_for_at_least_everyone_by_either_count(example: Path) -> None:
    case = load_case(example)
    program = program_from_case(case)
    load = program.occupancy
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    assert load.design >= load.by_use - 1e-9
    assert load.design >= load.visitors_present + load.staff_present - 1e-9
    assert load.design == sum(r.occupants for r in program.rows)
    for row in load.rows:
        assert row.design >= row.by_use - 1e-9
        assert row.design >= row.visitors + row.staff - 1e-9
    # Little's law in all: every visitor arriving in the design hour stays a while, so fewer
    # are present than arrive whenever the mean visit is under an hour
    assert 0 < load.visitors_present < 2 * demand.persons_per_design_hour
