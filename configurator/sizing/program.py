"""Build the space programme: rooms with counts and areas, net to gross, rent and its allocation.

Areas follow the Finnish chain: net room area (hyötyala) plus circulation gives usable area
(huoneistoala), which times the gross factor gives gross area (bruttoala). Rent is charged on
usable area.
"""

from __future__ import annotations

import math
from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field

from configurator.inputs.catalog import Case
from configurator.model.schema import CHANNELS, Catalog, Names, Privacy, Scenario, SpaceType
from configurator.sizing.counts import Sizing, sizing_from_demand
from configurator.sizing.demand import Demand, demand_from_scenario
from configurator.sizing.occupants import OccupantLoad, occupants_from_sizing

__all__ = [
    "ALLOCATION_RULE",
    "MAX_SHARED_ROOM_M2",
    "AgencyCost",
    "AreaTotals",
    "PoolingComparison",
    "PoolingLine",
    "Program",
    "ProgramRow",
    "compare_pooling",
    "program_from_case",
    "program_from_sizing",
]

MAX_SHARED_ROOM_M2 = 120.0
"""Largest shared room drawn as one (an open office of 40 desks is drawn as two of 20)."""

ALLOCATION_RULE = (
    "Each row's rent (its net area plus its share of circulation, times the rent) is split "
    "between agencies by their use of it: counters, terminals and booked rooms by the agency's "
    "visitor-hours on that channel; staff spaces by staff on site; shared visitor spaces "
    "(lobby, waiting, guidance, WCs) by total visitor-hours."
)
"""The rule by which rent is allocated, written into every output."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ProgramRow(_Frozen):
    """One space type of the programme: how many, how large, and why."""

    space_type: str
    names: Names
    zone: str
    privacy: Privacy
    count: int = Field(ge=0, description="Units: rooms, seats, work places or places.")
    unit: str
    unit_area_m2: float = Field(gt=0.0)
    rooms: int = Field(
        ge=0, description="Rooms to draw: the count, or for a shared room 1 per 120 m² begun."
    )
    room_area_m2: float = Field(ge=0.0, description="Net area of each room drawn.")
    area_m2: float = Field(ge=0.0, description="Net area of the row: count × unit area.")
    occupants: int = Field(
        default=0,
        ge=0,
        description="Persons the row's rooms are designed for (the fire rules' occupant load).",
    )
    explanation: str
    explanation_fi: str = Field(min_length=1, description="The same sentence in Finnish.")

    def explanation_in(self, lang: str) -> str:
        """Return the explanation in a language ('fi' or 'en')."""
        return self.explanation_fi if lang == "fi" else self.explanation


class AreaTotals(_Frozen):
    """Net → circulation → usable → gross, in m²."""

    net_m2: float = Field(ge=0.0)
    circulation_m2: float = Field(ge=0.0)
    usable_m2: float = Field(ge=0.0)
    gross_m2: float = Field(ge=0.0)


class AgencyCost(_Frozen):
    """An agency's share of the rent."""

    agency: str
    share: float = Field(ge=0.0, le=1.0)
    rent_eur_year: float = Field(ge=0.0)


class Program(_Frozen):
    """The space programme the architect designs from."""

    scenario: str
    rows: list[ProgramRow]
    net_by_zone: dict[str, float]
    net_by_privacy: dict[str, float]
    totals: AreaTotals
    staff_on_site: int = Field(ge=0)
    workplaces: int = Field(ge=0)
    usable_m2_per_workplace: float = Field(ge=0.0)
    usable_m2_per_annual_visit: float = Field(ge=0.0)
    annual_visits: int = Field(ge=0)
    rent_eur_year: float = Field(ge=0.0)
    allocation: list[AgencyCost]
    allocation_rule: str = ALLOCATION_RULE
    sizing: Sizing
    occupancy: OccupantLoad = Field(description="Design occupants per space type and in all.")

    def row(self, space_type: str) -> ProgramRow:
        """Return the row of a space type."""
        return next(r for r in self.rows if r.space_type == space_type)


class PoolingLine(_Frozen):
    """One figure side by side: separate offices against the shared point."""

    item: str
    unit: str
    separate: float
    shared: float

    @property
    def saving(self) -> float:
        """Return how much less the shared point needs."""
        return self.separate - self.shared


class PoolingComparison(_Frozen):
    """The same demand as separate offices and as one shared point: the headline of pooling."""

    lines: list[PoolingLine]
    separate_usable_m2: float
    shared_usable_m2: float
    saving_m2: float
    saving_share: float = Field(description="Saving over the separate offices' usable area.")
    saving_rent_eur_year: float
    per_agency_usable_m2: dict[str, float]
    without_office: list[str] = Field(
        description="Agencies with no staff on site: served remotely, no office of their own."
    )

    def headline(self) -> str:
        """Return the one sentence a planner quotes."""
        text = (
            f"Shared point {self.shared_usable_m2:,.0f} m² against "
            f"{self.separate_usable_m2:,.0f} m² as separate offices: {self.saving_m2:,.0f} m² "
            f"({self.saving_share:.0%}) and {self.saving_rent_eur_year:,.0f} € a year less rent."
        ).replace(",", " ")
        if self.without_office:
            text += (
                f" ({', '.join(self.without_office)}: no staff on site, so no office of "
                "its own in the comparison.)"
            )
        return text


def program_from_case(case: Case) -> Program:
    """Run demand, sizing and programme for a loaded scenario."""
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    sizing = sizing_from_demand(demand, catalog=case.catalog, scenario=case.scenario)
    return program_from_sizing(sizing, demand=demand, catalog=case.catalog, scenario=case.scenario)


def program_from_sizing(
    sizing: Sizing, *, demand: Demand, catalog: Catalog, scenario: Scenario
) -> Program:
    """Turn counts into programme rows, area totals, key ratios and the rent allocation."""
    zones = {z.id: z for z in catalog.zones}
    occupancy = occupants_from_sizing(
        sizing,
        demand=demand,
        catalog=catalog,
        scenario=scenario,
        areas={st.id: sizing.count(st.id) * st.unit_area_m2 for st in catalog.space_types},
    )
    rows: list[ProgramRow] = []
    for st in catalog.space_types:
        count = sizing.count(st.id)
        single = st.grouping == "single_room"
        total = count * st.unit_area_m2
        # A shared room larger than MAX_SHARED_ROOM_M2 is drawn as several equal rooms.
        rooms = (math.ceil(total / MAX_SHARED_ROOM_M2 - 1e-9) if count else 0) if single else count
        room_area = (total / rooms if single else st.unit_area_m2) if count else 0.0
        why = next(s for s in sizing.spaces if s.space_type == st.id)
        rows.append(
            ProgramRow(
                space_type=st.id,
                names=st.names,
                zone=st.zone,
                privacy=zones[st.zone].privacy,
                count=count,
                unit=st.unit,
                unit_area_m2=st.unit_area_m2,
                rooms=rooms,
                room_area_m2=room_area,
                area_m2=count * st.unit_area_m2,
                occupants=occupants.design if (occupants := occupancy.of(st.id)) else 0,
                explanation=why.explanation,
                explanation_fi=why.explanation_fi,
            )
        )
    by_zone: dict[str, float] = defaultdict(float)
    by_privacy: dict[str, float] = defaultdict(float)
    for row in rows:
        by_zone[row.zone] += row.area_m2
        by_privacy[row.privacy] += row.area_m2
    totals = _totals(math.fsum(r.area_m2 for r in rows), scenario)
    workplaces = sum(r.count for r in rows if r.unit == "workplace")
    visits = sum(a.annual_visits for a in scenario.agencies)
    rent = totals.usable_m2 * scenario.factors.rent_eur_per_m2_month * 12
    return Program(
        scenario=scenario.name,
        rows=rows,
        net_by_zone=dict(by_zone),
        net_by_privacy=dict(by_privacy),
        totals=totals,
        staff_on_site=sizing.staff_on_site,
        workplaces=workplaces,
        usable_m2_per_workplace=totals.usable_m2 / workplaces if workplaces else 0.0,
        usable_m2_per_annual_visit=totals.usable_m2 / visits if visits else 0.0,
        annual_visits=visits,
        rent_eur_year=rent,
        allocation=_allocate(rows, demand=demand, catalog=catalog, scenario=scenario),
        sizing=sizing,
        occupancy=occupancy,
    )


def _totals(net: float, scenario: Scenario) -> AreaTotals:
    circulation = net * scenario.factors.circulation_factor
    usable = net + circulation
    return AreaTotals(
        net_m2=net,
        circulation_m2=circulation,
        usable_m2=usable,
        gross_m2=usable * scenario.factors.gross_factor,
    )


def _allocate(
    rows: list[ProgramRow], *, demand: Demand, catalog: Catalog, scenario: Scenario
) -> list[AgencyCost]:
    """Split each row's rent by the agencies' use of it (see :data:`ALLOCATION_RULE`)."""
    agencies = [a.id for a in scenario.agencies]
    hours: dict[str, dict[str, float]] = {c: defaultdict(float) for c in CHANNELS}
    for r in demand.channels:
        hours[r.channel][r.agency] += r.arrivals_per_design_hour * r.handling_time_min / 60.0
    total_hours = {a: math.fsum(hours[c][a] for c in CHANNELS) for a in agencies}
    staff = {a.id: float(a.staff_on_site) for a in scenario.agencies}
    rent_per_net_m2 = (
        (1 + scenario.factors.circulation_factor) * scenario.factors.rent_eur_per_m2_month * 12
    )
    spaces = {st.id: st for st in catalog.space_types}
    rent: dict[str, float] = defaultdict(float)
    for row in rows:
        basis = _basis(spaces[row.space_type], hours, total_hours, staff)
        weight = math.fsum(basis.values())
        if weight <= 0:
            basis, weight = total_hours, math.fsum(total_hours.values())
        for agency in agencies:
            share = basis.get(agency, 0.0) / weight if weight > 0 else 1 / len(agencies)
            rent[agency] += row.area_m2 * rent_per_net_m2 * share
    total = math.fsum(rent.values())
    return [
        AgencyCost(agency=a, share=rent[a] / total if total else 0.0, rent_eur_year=rent[a])
        for a in agencies
    ]


def _basis(
    st: SpaceType,
    hours: dict[str, dict[str, float]],
    total_hours: dict[str, float],
    staff: dict[str, float],
) -> dict[str, float]:
    driver = st.driver
    if driver.kind == "queue":
        return dict(hours[driver.channel])
    if driver.kind == "appointment_hours":
        return dict(hours[driver.channel])
    if driver.kind == "per_staff":
        return staff
    return total_hours


def compare_pooling(case: Case) -> PoolingComparison:
    """Size the same demand as separate offices (each agency alone) and as the shared point.

    An agency with no staff on site would have no office of its own (it serves remotely), so
    it is left out of the separate offices; that keeps the saving on the cautious side.
    """
    scenario, catalog = case.scenario, case.catalog
    demand = demand_from_scenario(scenario, catalog=catalog)
    shared = program_from_case(case)
    alone: dict[str, Program] = {}
    for agency in scenario.agencies:
        if agency.staff_on_site == 0:
            continue
        own = scenario.model_copy(
            update={"agencies": [agency], "name": f"{scenario.name}: {agency.id}"}
        )
        own_demand = demand.alone(agency.id)
        sizing = sizing_from_demand(own_demand, catalog=catalog, scenario=own, pooled=False)
        alone[agency.id] = program_from_sizing(
            sizing, demand=own_demand, catalog=catalog, scenario=own
        )
    separate = list(alone.values())

    def total(program: Program, *, key: str) -> float:
        return float(
            sum(r.count for r in program.rows if _category(catalog.space_type(r.space_type)) == key)
        )

    lines = [
        PoolingLine(
            item=label,
            unit=unit,
            separate=math.fsum(total(p, key=key) for p in separate),
            shared=total(shared, key=key),
        )
        for key, label, unit in _CATEGORIES
    ]
    lines += [
        PoolingLine(
            item="staff on site",
            unit="persons",
            separate=float(sum(p.staff_on_site for p in separate)),
            shared=float(shared.staff_on_site),
        ),
        PoolingLine(
            item="net room area",
            unit="m²",
            separate=math.fsum(p.totals.net_m2 for p in separate),
            shared=shared.totals.net_m2,
        ),
        PoolingLine(
            item="usable area",
            unit="m²",
            separate=math.fsum(p.totals.usable_m2 for p in separate),
            shared=shared.totals.usable_m2,
        ),
        PoolingLine(
            item="rent",
            unit="€/year",
            separate=math.fsum(p.rent_eur_year for p in separate),
            shared=shared.rent_eur_year,
        ),
    ]
    separate_usable = math.fsum(p.totals.usable_m2 for p in separate)
    saving = separate_usable - shared.totals.usable_m2
    return PoolingComparison(
        lines=lines,
        separate_usable_m2=separate_usable,
        shared_usable_m2=shared.totals.usable_m2,
        saving_m2=saving,
        saving_share=saving / separate_usable if separate_usable else 0.0,
        saving_rent_eur_year=math.fsum(p.rent_eur_year for p in separate) - shared.rent_eur_year,
        per_agency_usable_m2={a: p.totals.usable_m2 for a, p in alone.items()},
        without_office=[a.id for a in scenario.agencies if a.staff_on_site == 0],
    )


_CATEGORIES = (
    ("counter", "quick-service counters", "counters"),
    ("terminal", "self-service terminals", "terminals"),
    ("room", "meeting and service rooms", "rooms"),
    ("seat", "waiting seats", "seats"),
)


def _category(st: SpaceType) -> str:
    driver = st.driver
    if driver.kind == "queue":
        return "counter" if driver.channel == "quick_counter" else "terminal"
    if driver.kind == "appointment_hours":
        return "room"
    if driver.kind == "waiting_seats":
        return "seat"
    return "other"
