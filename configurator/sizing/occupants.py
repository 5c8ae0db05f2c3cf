"""Count the people each space and the whole floor is designed for, as the fire rules ask.

YM decree 848/2017 §34 sizes exits "for the highest number of people intended to be present".
Two counts are made per space type and the larger is kept:

- **by flow**: the visitors present in the design hour by Little's law (arrivals per hour ×
  hours spent there, companions included; the waiting lounge holds its sized seats), plus the
  staff who work there (one per work place, each role at its first place of work);
- **by use**: the floor area over a design density for standing, waiting, office, staff-room
  and storage use (:class:`~configurator.model.schema.OccupantDensities`); the seats or places
  (count × capacity) of seated use; nothing for ancillary spaces (WCs, lockers, coats), whose
  people are counted where they come from.

The floor's design load is the sum over the space types of the larger count, which is never
less than either total alone.
"""

from __future__ import annotations

import math
from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field

from configurator.model.schema import Catalog, Occupancy, OccupantDensities, Scenario, SpaceType
from configurator.sizing.counts import Sizing
from configurator.sizing.demand import Demand

__all__ = ["OccupantLoad", "RowOccupants", "occupants_from_sizing", "room_occupants"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RowOccupants(_Frozen):
    """The people one space type (all its units) is designed for, and why."""

    space_type: str
    visitors: float = Field(ge=0.0, description="Visitors present in the design hour.")
    staff: int = Field(ge=0, description="Staff working there in the design hour.")
    by_use: float = Field(ge=0.0, description="Area over the use's density, or its seats.")
    design: int = Field(ge=0, description="The larger of flow and use, rounded up.")
    explanation: str
    explanation_fi: str = Field(min_length=1)

    def explanation_in(self, lang: str) -> str:
        """Return the explanation in a language ('fi' or 'en')."""
        return self.explanation_fi if lang == "fi" else self.explanation


class OccupantLoad(_Frozen):
    """The design occupants of every space type and of the whole floor."""

    rows: list[RowOccupants]
    visitors_present: float = Field(ge=0.0, description="All visitors present, by flow.")
    staff_present: int = Field(ge=0, description="All staff on site in the design hour.")
    by_use: float = Field(ge=0.0, description="All spaces by their use's density or seats.")
    design: int = Field(ge=0, description="Sum over space types of the larger count.")

    def of(self, space_type: str) -> RowOccupants | None:
        """Return the occupants of a space type, or None if it is not in the programme."""
        return next((r for r in self.rows if r.space_type == space_type), None)


def occupants_from_sizing(
    sizing: Sizing,
    *,
    demand: Demand,
    catalog: Catalog,
    scenario: Scenario,
    areas: dict[str, float],
) -> OccupantLoad:
    """Count the design occupants of every sized space type; ``areas`` is each row's net m²."""
    visitors = _visitors_by_space(sizing, demand, catalog, scenario)
    staff = _staff_by_space(sizing, catalog)
    densities = scenario.rules.densities
    rows = []
    for st in catalog.space_types:
        count = sizing.count(st.id)
        if count == 0:
            continue
        flow = visitors.get(st.id, 0.0) + staff.get(st.id, 0)
        use = _by_use(st, count, areas.get(st.id, 0.0), densities)
        design = math.ceil(max(flow, use) - 1e-9)
        rows.append(
            RowOccupants(
                space_type=st.id,
                visitors=visitors.get(st.id, 0.0),
                staff=staff.get(st.id, 0),
                by_use=use,
                design=design,
                explanation=_why(st.occupancy, flow, use, design, densities, lang="en"),
                explanation_fi=_why(st.occupancy, flow, use, design, densities, lang="fi"),
            )
        )
    return OccupantLoad(
        rows=rows,
        visitors_present=math.fsum(r.visitors for r in rows),
        staff_present=sum(r.staff for r in rows),
        by_use=math.fsum(r.by_use for r in rows),
        design=sum(r.design for r in rows),
    )


def _visitors_by_space(
    sizing: Sizing, demand: Demand, catalog: Catalog, scenario: Scenario
) -> dict[str, float]:
    """Visitors present per space type: arrivals × hours there, companions included."""
    companions = scenario.targets.companions_factor
    present: dict[str, float] = defaultdict(float)
    for st in catalog.space_types:
        driver = st.driver
        if driver.kind == "queue":
            present[st.id] += companions * math.fsum(
                r.arrivals_per_design_hour * r.handling_time_min / 60.0
                for r in demand.channels
                if r.channel == driver.channel
            )
        elif driver.kind == "appointment_hours":
            present[st.id] += (
                companions
                * driver.share
                * math.fsum(
                    r.arrivals_per_design_hour * r.handling_time_min / 60.0
                    for r in demand.channels
                    if r.channel == driver.channel
                )
            )
        elif driver.kind == "waiting_seats":
            present[st.id] += sizing.waiting_seats  # sized with companions already
    for moment in demand.moments:
        present[moment.space_type] += companions * moment.workload_erlangs
    return dict(present)


def _staff_by_space(sizing: Sizing, catalog: Catalog) -> dict[str, int]:
    """Staff working per space type: a person per work place, each role at its first place."""
    staff: dict[str, int] = defaultdict(int)
    for st in catalog.space_types:
        if st.unit == "workplace":
            staff[st.id] += sizing.count(st.id)
    for role in catalog.roles:
        persons = sizing.persons(role.id)
        place = next((s for s in role.works_in if sizing.count(s) > 0), None)
        if persons and place is not None and catalog.space_type(place).unit != "workplace":
            staff[place] += persons
    return dict(staff)


def room_occupants(st: SpaceType, area_m2: float, densities: OccupantDensities) -> float:
    """Return the occupants one drawn room holds by its use: its area over the use's density,
    or the seats of the units it holds (a shared room holds area ÷ unit area of them)."""
    units = max(1, round(area_m2 / st.unit_area_m2)) if st.grouping == "single_room" else 1
    return _by_use(st, units, area_m2, densities)


def _by_use(st: SpaceType, count: int, area: float, densities: OccupantDensities) -> float:
    """Occupants by the space's use: area over density, the seats, or none."""
    if st.occupancy == "seated":
        return float(count * st.capacity_persons)
    density = _density(st.occupancy, densities)
    return area / density if density else 0.0


def _density(use: Occupancy, densities: OccupantDensities) -> float | None:
    """Return the m² per person of a use counted by area (None for seated and ancillary)."""
    return {
        "standing": densities.standing_m2,
        "waiting": densities.waiting_m2,
        "office": densities.office_m2,
        "staff_room": densities.staff_room_m2,
        "storage": densities.storage_m2,
    }.get(use)


_USE_FI = {
    "standing": "seisova asiointi",
    "waiting": "odotus",
    "office": "toimisto",
    "staff_room": "taukotila",
    "storage": "varasto",
}


def _why(
    use: Occupancy,
    flow: float,
    by_use: float,
    design: int,
    densities: OccupantDensities,
    *,
    lang: str,
) -> str:
    """Say which count decided the design occupants, in one sentence."""
    density = _density(use, densities)
    if lang == "fi":
        if use == "seated":
            rule = f"istumapaikat {by_use:.0f}"
        elif density is None:
            rule = "aputila: henkilöt lasketaan tiloissa, joista he tulevat"
        else:
            rule = f"{_USE_FI[use]} {density:g} m²/hlö: {by_use:.1f}"
        return f"{design} hlö: mitoitustunnin käyttäjät {flow:.1f}, käyttötapa ({rule})".replace(
            ".", ","
        )
    if use == "seated":
        rule = f"{by_use:.0f} seats or places"
    elif density is None:
        rule = "ancillary: its people are counted where they come from"
    else:
        rule = f"{use.replace('_', ' ')} at {density:g} m² a person: {by_use:.1f}"
    return f"{design} persons: {flow:.1f} present in the design hour, by use {rule}"
