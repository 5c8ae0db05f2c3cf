"""Design-hour demand: hand calculations of the visits/year → day → hour chain."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, strategies as st

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


# --------------------------------------------------------------------------- the design day


def test_the_design_days_hours_hold_the_sized_day_and_its_busiest_hour_is_the_design_hour() -> None:
    """The hand-calculated agency: 140 visits on the design day over 7 hours, 32 in the
    design hour; the default shape mixed with an even day to reach it."""
    from configurator.sizing.demand import hourly_rates

    agency = Agency.model_validate(agency_data())
    rates = hourly_rates(agency)
    assert [n for n, _ in rates] == [1.0] * 7
    assert sum(n * r for n, r in rates) == pytest.approx(140.0)
    assert max(r for _, r in rates) == pytest.approx(32.0)
    assert rates[0][1] == max(r for _, r in rates), "the default day is busiest at opening"


@given(
    hours=st.floats(1.0, 12.0),
    peak=st.floats(1.0, 2.0),
    shape=st.lists(st.floats(0.0, 5.0), min_size=12, max_size=12),
)
def test_any_profile_that_can_reach_the_peak_hour_keeps_the_day_and_the_design_hour(
    hours: float, peak: float, shape: list[float]
) -> None:
    from configurator.sizing.demand import hourly_rates

    slots = math.ceil(hours - 1e-9)
    profile = shape[:slots]
    assume(sum(profile) > 0)
    agency = Agency.model_validate(
        agency_data(opening_hours=hours, peak_hour_factor=peak, hourly_profile=profile)
    )
    refused = ""
    try:
        rates = hourly_rates(agency)
    except ValueError as exc:
        refused = str(exc)
    if refused:  # a shape too flat to reach the peak without a negative hour says so
        assert "too flat" in refused or "even hourly profile" in refused
        return
    assert sum(n for n, _ in rates) == pytest.approx(hours)
    assert all(r >= 0 for _, r in rates)
    assert sum(n * r for n, r in rates) == pytest.approx(design_day_visits(agency))
    assert max(r for _, r in rates) == pytest.approx(design_hour_arrivals(agency))


def test_a_profile_of_the_wrong_length_is_the_loaders_error() -> None:
    with pytest.raises(ValueError, match="hourly_profile has 3 hours; opening_hours 7 needs 7"):
        Agency.model_validate(agency_data(hourly_profile=[1.0, 2.0, 1.0]))


def test_the_design_days_arrivals_average_to_the_sized_day() -> None:
    """Poisson counts per agency and channel over 200 seeded days: their means lie within
    four standard errors of the sized design day's visits."""
    from configurator.sizing.demand import design_day_arrivals

    catalog_scenario = Scenario.model_validate(
        scenario(agencies=[agency_data(), agency_data("beta", annual_visits=5_000)])
    )
    days = [design_day_arrivals(catalog_scenario, seed=s) for s in range(200)]
    for agency in catalog_scenario.agencies:
        expected = design_day_visits(agency)
        counts = [sum(1 for a in day if a.agency == agency.id) for day in days]
        mean = sum(counts) / len(counts)
        assert abs(mean - expected) < 4 * math.sqrt(expected / len(counts)), agency.id
    first = days[0]
    assert [a.at_s for a in first] == sorted(a.at_s for a in first)
    assert all(0.0 <= a.at_s <= 7.0 * 3600 for a in first)
    assert design_day_arrivals(catalog_scenario, seed=0) == first
