"""Space cards (tilakortit): one sheet of facts per space type of a programme, in fi or en.

:func:`cards_from_case` gathers everything a card shows from the catalog, the sized programme,
the demand and one floor-plan option, with every text already in the language asked for (from
the catalog's fi/en fields or :mod:`.i18n`). Neighbours are judged on the plan's
geometry (within 3 m for a preferred one, not touching for a forbidden one), never on the
layout's intentions. Rendering is :mod:`configurator.documents.booklet`'s job.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

from configurator.documents.furniture import FIT_CODES, RoomSketch, sketch_room, sketch_svg
from configurator.documents.i18n import number, text
from configurator.documents.plan_svg import plan_svg
from configurator.inputs.catalog import Case
from configurator.model.plan import Plan
from configurator.model.schema import SpaceType
from configurator.sizing.demand import Demand, demand_from_scenario
from configurator.sizing.program import Program, ProgramRow

__all__ = ["Card", "Neighbour", "card_for", "cards_from_case", "neighbour_status"]

NEAR_M = 3.0
"""A preferred neighbour counts as met within this distance (the adjacency KPI's)."""
TOUCH_M = 0.05
"""A forbidden neighbour closer than this touches (shares a wall)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Neighbour(_Frozen):
    """A preferred or forbidden neighbour and whether the plan meets the wish."""

    name: str
    kind: str = Field(description="'preferred' or 'forbidden', in the card's language.")
    status: str = Field(description="'met', 'not_met' or 'absent'.")
    status_text: str


class Line(_Frozen):
    """A label and its value, both in the card's language."""

    label: str
    value: str


class Card(_Frozen):
    """Everything one space card shows, in one language."""

    lang: str
    code: str
    name: str
    other_name: str = Field(description="The name in the other language.")
    zone: str
    zone_colour: str
    privacy: str
    count: int
    count_text: str
    deviates: bool
    changed_fields: list[str]
    purpose: str
    activities: list[str]
    service_part: str
    users: list[Line]
    size: list[Line]
    explanation: str
    furniture: list[Line]
    equipment: list[str]
    digital_equipment: list[str]
    requirements: list[Line]
    safety: list[str]
    adaptability: str
    neighbours: list[Neighbour]
    plan_svg: str
    plan_caption: str
    sketch_svg: str = ""
    sketch_caption: str = ""
    fit_ok: bool = True
    fit_problems: list[str] = Field(default_factory=list)
    estimate: bool


def neighbour_status(plan: Plan, space_type: str, other: str, *, forbidden: bool) -> str:
    """Judge a neighbour wish on the drawn rooms: 'met', 'not_met' or 'absent' (not drawn)."""
    mine = [r.shape for r in plan.rooms if r.space_type == space_type]
    theirs = [r.shape for r in plan.rooms if r.space_type == other]
    if not mine or not theirs:
        return "absent"
    if forbidden:
        touching = any(a.distance(b) < TOUCH_M for a in mine for b in theirs if a is not b)
        return "not_met" if touching else "met"
    near = any(a.distance(b) <= NEAR_M + 1e-3 for a in mine for b in theirs if a is not b)
    return "met" if near else "not_met"


def _visitors(st: SpaceType, demand: Demand, lang: str) -> str:
    """Visitors at the design hour in the point and in this space type: its channel's arrivals
    or its path moments' (a space no visitor path names says it has no use of its own)."""
    everyone = number(demand.persons_per_design_hour, lang)
    channel = getattr(st.driver, "channel", None)
    if channel is not None:
        own: float | None = demand.channel_arrivals(channel)
    else:
        moments = [m for m in demand.moments if m.space_type == st.id]
        own = math.fsum(m.arrivals_per_design_hour for m in moments) if moments else None
    if own is None:
        return text("visitors_value_none", lang, arrivals=everyone)
    return text("visitors_value", lang, arrivals=everyone, load=f"{number(own, lang)} /h")


def _occupants(program: Program, space_type: str, lang: str) -> str:
    """The row's design occupants and which count decided them (flow or use)."""
    row = program.occupancy.of(space_type)
    return row.explanation_in(lang) if row is not None else text("none", lang)


def card_for(
    case: Case,
    program: Program,
    demand: Demand,
    plan: Plan,
    row: ProgramRow,
    *,
    lang: str,
) -> Card:
    """Assemble one card; see the module docstring."""
    catalog, scenario = case.catalog, case.scenario
    other_lang = "en" if lang == "fi" else "fi"
    st = next(s for s in catalog.space_types if s.id == row.space_type)
    zone = next(z for z in catalog.zones if z.id == st.zone)
    names = {s.id: s.names for s in catalog.space_types}
    overrides = scenario.catalog_overrides.get("space_types", {}).get(st.id, {})
    unit_word = text(f"unit.{st.unit}", lang)
    hours = max(a.opening_hours for a in scenario.agencies)
    days = max(a.opening_days for a in scenario.agencies)
    roles = [
        f"{getattr(r.names, lang)} ({program.sizing.persons(r.id)})"
        for r in catalog.roles
        if st.id in r.works_in or r.id in st.users
    ]
    if "staff" in st.users:
        roles.append(text("user.staff", lang))
    users = [
        Line(
            label=text("visitors_hour", lang),
            value=(_visitors(st, demand, lang) if "visitor" in st.users else text("none", lang)),
        ),
        Line(label=text("roles_present", lang), value=", ".join(roles) or text("none", lang)),
        Line(
            label=text("hours_of_use", lang),
            value=text("hours_value", lang, hours=number(hours, lang, 0), days=days),
        ),
    ]
    low, high = st.area_range_m2
    size = [
        Line(label=text("net_each", lang), value=f"{number(row.unit_area_m2, lang)} m²"),
        Line(label=text("net_total", lang), value=f"{number(row.area_m2, lang)} m²"),
        Line(
            label=text("rooms_drawn", lang),
            value=f"{row.rooms} × {number(row.room_area_m2, lang)} m²",
        ),
        Line(label=text("min_width", lang), value=f"{number(st.min_width_m, lang)} m"),
        Line(label=text("occupants", lang), value=_occupants(program, st.id, lang)),
        Line(
            label=text("area_range", lang),
            value=f"{number(low, lang)}–{number(high, lang)} m²",
        ),
        Line(label=text("rule", lang), value=text(f"driver.{st.driver.kind}", lang)),
    ]
    units = max(1, row.count) if st.grouping == "single_room" else 1
    furniture = [
        Line(
            label=str(getattr(item.names, lang)),
            value=(
                f"{item.count} {text('per_unit', lang)}"
                + (
                    f", {number(item.size_m[0], lang, 2)} × {number(item.size_m[1], lang, 2)} m"
                    if item.size_m
                    else ""
                )
            ),
        )
        for item in st.furniture
    ]
    climate = st.indoor_climate
    requirements = [
        Line(label=text("acoustic", lang), value=text(f"acoustic.{st.acoustic_privacy}", lang)),
        Line(
            label=text("accessibility", lang),
            value=", ".join(text(f"access.{a}", lang) for a in st.accessibility),
        ),
        Line(label=text("daylight", lang), value=text(f"daylight.{st.daylight}", lang)),
        Line(
            label=text("climate", lang),
            value=text(
                "climate_value",
                lang,
                category=climate.category,
                lux=text("lux", lang, lux=climate.lux) if climate.lux else "",
                noise=text("noise", lang, noise=climate.noise_db) if climate.noise_db else "",
            ),
        ),
    ]
    neighbours = [
        Neighbour(
            name=str(getattr(names[other], lang)),
            kind=text("forbidden" if forbidden else "preferred", lang),
            status=(status := neighbour_status(plan, st.id, other, forbidden=forbidden)),
            status_text=text("not_met" if status == "not_met" else status, lang),
        )
        for forbidden, wanted in ((False, st.preferred_neighbours), (True, st.forbidden_neighbours))
        for other in wanted
        if other in names
    ]
    drawn = any(r.space_type == st.id for r in plan.rooms)
    sketch: RoomSketch | None = sketch_room(st, units=units) if st.is_enclosed else None
    card = Card(
        lang=lang,
        code=st.id,
        name=str(getattr(st.names, lang)),
        other_name=str(getattr(st.names, other_lang)),
        zone=str(getattr(zone.names, lang)),
        zone_colour=zone.colour,
        privacy=text(f"privacy.{zone.privacy}", lang),
        count=row.count,
        count_text=f"{row.count} × {unit_word}",
        deviates=bool(overrides),
        changed_fields=sorted(overrides),
        purpose=str(getattr(st.purpose, lang)),
        activities=[str(getattr(a, lang)) for a in st.activities],
        service_part=text(f"part.{st.service_part}", lang),
        users=users,
        size=size,
        explanation=row.explanation_in(lang),
        furniture=furniture,
        equipment=[str(getattr(e, lang)) for e in st.equipment],
        digital_equipment=[str(getattr(e, lang)) for e in st.digital_equipment],
        requirements=requirements,
        safety=[str(getattr(s, lang)) for s in st.safety],
        adaptability=str(getattr(st.adaptability, lang)),
        neighbours=neighbours,
        plan_svg=plan_svg(plan, catalog=catalog, highlight=[st.id], width_mm=80.0),
        plan_caption=(
            text("in_plan", lang, option=plan.option) if drawn else text("not_drawn", lang)
        ),
        estimate=st.estimate,
    )
    if sketch is None:
        return card
    caption = text(
        "sketch_caption",
        lang,
        width=number(sketch.width, lang, 2),
        depth=number(sketch.depth, lang, 2),
        area=number(sketch.area_m2, lang),
        furniture=number(sketch.furniture_m2, lang),
        turning=text("turning", lang) if sketch.needs_turning else "",
    )
    assert set(sketch.problems) <= set(FIT_CODES), sketch.problems
    return card.model_copy(
        update={
            "sketch_svg": sketch_svg(sketch, lang=lang),
            "sketch_caption": caption,
            "fit_ok": sketch.fits,
            "fit_problems": [f"{text(code, lang)} [{code}]" for code in sketch.problems],
        }
    )


def cards_from_case(
    case: Case, program: Program, plan: Plan, *, lang: str, demand: Demand | None = None
) -> list[Card]:
    """Return a card for every space type of the programme (count above zero), in its order."""
    demand = demand or demand_from_scenario(case.scenario, catalog=case.catalog)
    return [
        card_for(case, program, demand, plan, row, lang=lang)
        for row in program.rows
        if row.count > 0
    ]
