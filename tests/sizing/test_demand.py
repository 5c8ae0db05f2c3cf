"""Design-hour demand: hand calculations of the visits/year → day → hour chain."""

from __future__ import annotations

import math

import pytest

from configurator.inputs.catalog import load_catalog
from configurator.model.schema import Agency, Catalog, Scenario
from configurator.sizing.demand import demand_from_scenario, design_day_visits, design_hour_arrivals
from tests.common import agency_data, scenario


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def make(*agencies: dict[str, object], **changes: object) -> Scenario:
    data = scenario(agencies=list(agencies), **changes)
    data.pop("catalog")
    return Scenario.model_validate(data)


def test_design_day_and_hour_by_hand() -> None:
    agency = Agency.model_validate(agency_data())
    assert design_day_visits(agency) == pytest.approx(25_000 / 250 * 1.4)  # 140
    assert design_hour_arrivals(agency) == pytest.approx(140 / 7 * 1.6)  # 32


def test_channel_rows_split_the_hour_and_give_workloads(catalog: Catalog) -> None:
    demand = demand_from_scenario(make(agency_data()), catalog=catalog)
    rows = {r.channel: r for r in demand.channels}
    assert rows["quick_counter"].arrivals_per_design_hour == pytest.approx(16.0)
    assert rows["quick_counter"].workload_erlangs == pytest.approx(16.0 * 7.5 / 60)  # 2.0
    assert rows["appointment"].workload_erlangs == pytest.approx(4.0 * 45 / 60)  # 3.0
    # 2 group visitors per hour in groups of 4 is half a session an hour, 60 min each.
    assert rows["group"].sessions_per_design_hour == pytest.approx(0.5)
    assert rows["group"].workload_erlangs == pytest.approx(0.5)
    assert math.fsum(r.visits_per_year for r in demand.channels) == pytest.approx(25_000)


def test_persons_are_visits_over_services_per_visit(catalog: Catalog) -> None:
    demand = demand_from_scenario(make(agency_data()), catalog=catalog)
    services = math.fsum(p.share * p.services_per_visit for p in catalog.personas)
    assert demand.services_per_visit == pytest.approx(services)
    assert demand.persons_per_design_hour == pytest.approx(32.0 / services)


def test_path_moments_load_per_person(catalog: Catalog) -> None:
    """A visitor who is guided then helped loads both: minutes add up over personas and paths."""
    sc = make(agency_data())
    demand = demand_from_scenario(sc, catalog=catalog)
    persons = demand.persons_per_design_hour
    expected: dict[str, float] = {}
    for persona in catalog.personas:
        for path in persona.paths:
            for m in path.moments:
                if m.duration_min is not None:
                    expected[m.space_type] = expected.get(m.space_type, 0.0) + (
                        persons * persona.share * path.share * m.probability * m.duration_min / 60
                    )
    got: dict[str, float] = {}
    for md in demand.moments:
        got[md.space_type] = got.get(md.space_type, 0.0) + md.workload_erlangs
    assert got == pytest.approx(expected)
    assert "guide_desk" in got, "every persona meets the service guide on some path"


def test_alone_makes_every_service_a_trip(catalog: Catalog) -> None:
    sc = make(agency_data("alpha"), agency_data("beta", annual_visits=5_000))
    demand = demand_from_scenario(sc, catalog=catalog)
    beta = demand.alone("beta")
    assert {r.agency for r in beta.channels} == {"beta"}
    assert beta.persons_per_design_hour == pytest.approx(32.0 / 5)
    assert beta.persons_per_design_hour > demand.persons_per_design_hour * (5_000 / 30_000)
