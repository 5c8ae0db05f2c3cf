"""The design day as the simulation walks it: the services of the drawn plan and who comes.

From the plan, its walkable floor and the sizing, :func:`day_model` builds

* the **services**: the guide desk (one server per service guide on duty), each sized counter
  queue (its servers at places in the counter area), the self-service terminals, the
  digi-help point (one server per digi-advisor), and the rooms booked visits use: each
  appointment, remote or group room is one server (a group room holds its places less the
  trainer's). Every server has a spot on the floor where its customer stands or sits;
* the **visitors**: the design day's seeded Poisson arrivals (:func:`design_day_arrivals`, one
  visit = one matter), each given a persona path whose core moment is the visit's channel
  (persona share × path share; a path with no core moment but digi-help does its self-service
  matter at the help point), its moments resolved to the plan's spaces with their durations
  drawn now (exponential about the catalog's means, as in Erlang C and the ciw verification;
  a booked meeting or group session lasts its handling time, the length of its slot),
  so that the walk itself is the only thing the pedestrian simulator decides.

Of a path with several core moments (a counter and a remote meeting), a visit does the one of
its channel: the others are visits of their own among the arrivals. A guide moment's probability
is divided by the persona's services per visit, as in the sizing: a person with several matters
stops at the desk once. A wait moment before a service means a ticket: the visitor waits seated
in the waiting lounge until a server calls them; without one they queue standing in the
service's own space (the guide desk, terminals). Moments whose space type the plan lacks are
skipped and counted. Nothing here imports the simulator.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import shapely
from shapely.geometry import Polygon

from configurator.inputs.catalog import Case
from configurator.model.errors import ConfigError, Problem
from configurator.model.plan import Plan, PlanRoom
from configurator.model.schema import Channel, Persona, ServicePath, SpaceType
from configurator.simulation.floor import BODY_M, WalkableFloor, walking_speed
from configurator.sizing.counts import Sizing
from configurator.sizing.demand import Arrival, persona_shares

__all__ = [
    "CORE_MOMENT",
    "DayModel",
    "Service",
    "Spot",
    "Step",
    "Visitor",
    "day_model",
    "floor_points",
]

CORE_MOMENT: dict[Channel, str] = {
    "quick_counter": "counter",
    "self_service": "self_serve",
    "appointment": "private_meeting",
    "remote": "remote_meeting",
    "group": "group",
}
"""The path moment that serves each channel's visit."""
_ROOM_CHANNELS: dict[str, Channel] = {
    "private_meeting": "appointment",
    "remote_meeting": "remote",
    "group": "group",
}
SPACING_M = 0.6
"""Spacing of the places drawn in a space (seats, queue and counter spots), m."""


@dataclass(frozen=True)
class Spot:
    """A place on the floor in a space: where a server's customer stands, a seat, a queue place."""

    space: str
    x: float
    y: float


@dataclass(frozen=True)
class Service:
    """Servers that serve one kind of step; each server has its spot, each may bring staff."""

    id: str
    kind: Literal["guide", "counter", "terminal", "help", "room", "amenity"]
    spots: tuple[Spot, ...]
    staff: Literal["always", "in use", "none"]
    """A member of staff at each server all day (the desk, counters, the help point), one in a
    room only while it is in use (meetings, groups), or none (terminals; a remote meeting's
    official is on the screen)."""

    @property
    def servers(self) -> int:
        """Return how many customers it serves at once."""
        return len(self.spots)


@dataclass(frozen=True)
class Step:
    """One thing a visitor does: be served, stay a while in a space, or leave."""

    kind: Literal["serve", "dwell", "leave"]
    space_type: str
    duration_s: float = 0.0
    service: str | None = None
    ticket: bool = False
    """Waits seated in the waiting lounge for the call (the path's wait moment)."""
    space: str | None = None
    """The space of a dwell step."""


@dataclass(frozen=True)
class Visitor:
    """One visit of the day: when, whose, by which persona's path, how fast, what it does."""

    id: int
    at_s: float
    agency: str
    channel: Channel
    persona: str
    path: str
    speed_m_s: float
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class DayModel:
    """The plan's services and spaces, the visitors, and the spaces' capacities."""

    services: dict[str, Service]
    visitors: tuple[Visitor, ...]
    capacity: dict[str, int]
    """Persons each space holds at once (its units × the space type's capacity, staff
    included); the waiting lounge holds its seats."""
    space_types: dict[str, str]
    lounge: tuple[Spot, ...]
    """The waiting lounge's seats (the first ``capacity``), then standing places."""
    pools: dict[str, tuple[Spot, ...]]
    """Places to stand or sit in each visitor space (queues, dwelling)."""
    entrance: str
    """The exit visitors come in and go out by (the main door)."""
    hours: float
    waiting_area: str | None = None
    """Where people wait for a room when the plan has no waiting lounge (the entrance
    lobby), so that nobody waits inside someone's meeting."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Moments skipped because the plan has no space of their type, by space type."""


def floor_points(area: Polygon, count: int, *, spacing: float = SPACING_M) -> list[Spot]:
    """Return up to ``count`` points of an area a person can stand on (a body off its walls),
    taken from a grid of ``spacing`` each as far from those already taken as it can be (the
    first in the corner nearest the origin): spread over the whole area, never in a line;
    fewer where it is small, at least one if any."""
    inner = area.buffer(-(BODY_M + 0.05))
    if inner.is_empty:
        p = area.representative_point()
        return [Spot("", round(p.x, 3), round(p.y, 3))]
    x0, y0, x1, y1 = inner.bounds
    xs = np.arange(x0 + spacing / 2, x1, spacing)
    ys = np.arange(y0 + spacing / 2, y1, spacing)
    gx, gy = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(inner, gx.ravel(), gy.ravel())
    points = list(zip(gx.ravel()[inside].tolist(), gy.ravel()[inside].tolist(), strict=True))
    if not points:
        p = inner.representative_point()
        points = [(p.x, p.y)]
    if len(points) > count:
        grid = np.array(points)
        first = int(np.argmin(grid[:, 0] + grid[:, 1]))
        picks = [first]
        nearest = np.hypot(*(grid - grid[first]).T)
        while len(picks) < count:
            k = int(np.argmax(nearest))
            picks.append(k)
            nearest = np.minimum(nearest, np.hypot(*(grid - grid[k]).T))
        points = [points[k] for k in picks]
    return [Spot("", round(x, 3), round(y, 3)) for x, y in points]


def _spots(space: str, area: Polygon, count: int) -> tuple[Spot, ...]:
    return tuple(Spot(space, p.x, p.y) for p in floor_points(area, count))


def day_model(
    case: Case,
    plan: Plan,
    floor: WalkableFloor,
    sizing: Sizing,
    arrivals: Sequence[Arrival],
    *,
    seed: int,
    speed_m_s: tuple[float, float] = (1.2, 0.15),
) -> DayModel:
    """Return the day's services and visitors for a plan (see the module docstring)."""
    catalog = case.catalog
    types = {st.id: st for st in catalog.space_types}
    rooms = {r.id: r for r in plan.rooms if r.id in floor.spaces}
    by_type: dict[str, list[str]] = {}
    for r in sorted(rooms.values(), key=lambda r: r.id):
        by_type.setdefault(r.space_type, []).append(r.id)
    capacity = {
        rid: _units(r.enclosed, types[r.space_type], sizing, len(by_type[r.space_type]))
        * types[r.space_type].capacity_persons
        for rid, r in rooms.items()
        if r.space_type in types
    }
    services = _services(case, list(rooms.values()), by_type, floor, sizing, capacity)
    lounge_ids = by_type.get("waiting_lounge", [])
    places = {rid: _spots(rid, floor.spaces[rid], 4 * max(capacity[rid], 1)) for rid in lounge_ids}
    seats = [s for rid in lounge_ids for s in places[rid][: capacity[rid]]]
    standing = [s for rid in lounge_ids for s in places[rid][capacity[rid] :]]
    pools = {
        rid: _spots(rid, floor.spaces[rid], 60) for rid, r in rooms.items() if not r.staff_only
    }
    ways_in = [e for e in floor.exits if e.everyone]
    if not ways_in:
        raise ConfigError([Problem("E574", "the plan has no entrance visitors may use (only "
                                   "staff doors)", None)])  # fmt: skip
    entrance = next((e.id for e in ways_in if e.kind == "main"), ways_in[0].id)
    visitors, skipped = _visitors(case, sizing, arrivals, by_type, services, seed, speed_m_s)
    return DayModel(
        services=services,
        visitors=tuple(visitors),
        capacity=capacity,
        space_types={rid: r.space_type for rid, r in rooms.items()},
        lounge=tuple(seats + standing),
        pools=pools,
        entrance=entrance,
        hours=max(a.opening_hours for a in case.scenario.agencies),
        skipped=skipped,
        waiting_area=next(iter(lounge_ids + by_type.get("entrance_lobby", [])), None),
    )


def _units(enclosed: bool, st: SpaceType, sizing: Sizing, drawn: int) -> int:
    """Return the units a drawn space holds: a room is one; an open area (the plan draws one
    per type) holds the sizing's count (counters, terminals, seats) split over its areas."""
    if enclosed:
        return 1
    return max(1, math.ceil(sizing.count(st.id) / max(drawn, 1)))


def _services(
    case: Case,
    rooms: list[PlanRoom],
    by_type: dict[str, list[str]],
    floor: WalkableFloor,
    sizing: Sizing,
    capacity: dict[str, int],
) -> dict[str, Service]:
    """Return the plan's services (see the module docstring)."""
    roles = {r.id: r for r in case.catalog.roles}
    out: dict[str, Service] = {}

    def staffed(space_type: str) -> int:
        return sum(sizing.persons(r.id) for r in roles.values() if space_type in r.works_in
                   and r.rule.kind == "workload")  # fmt: skip

    def spread(space_type: str, count: int) -> list[Spot]:
        """Spots for ``count`` servers over the open areas of a type, in order."""
        ids = by_type.get(space_type, [])
        if not ids or count <= 0:
            return []
        per = math.ceil(count / len(ids))
        spots = [s for rid in ids for s in _spots(rid, floor.spaces[rid], per)]
        return spots[:count]

    desks: tuple[tuple[str, Literal["guide", "help"]], ...] = (
        ("guide_desk", "guide"),
        ("digi_help_point", "help"),
    )
    for space_type, kind in desks:
        spots = spread(space_type, staffed(space_type))
        if spots:
            out[kind] = Service(kind, kind, tuple(spots), staff="always")
    for st in case.catalog.space_types:
        driver = st.driver
        if driver.kind != "queue":
            continue
        queues = [q for q in sizing.queues if q.channel == driver.channel and q.servers > 0]
        spots = spread(st.id, sum(q.servers for q in queues))
        for q in queues:
            mine, spots = spots[: q.servers], spots[q.servers :]
            if mine:
                name = f"{driver.channel}:{q.name}"
                if driver.channel == "self_service":
                    out[name] = Service(name, "terminal", tuple(mine), staff="none")
                else:
                    out[name] = Service(name, "counter", tuple(mine), staff="always")
    for channel in ("appointment", "remote", "group"):
        places: list[Spot] = []  # a room each, or a group room's places less the trainer's
        for st in case.catalog.space_types:
            if st.driver.kind != "appointment_hours" or st.driver.channel != channel:
                continue
            for rid in by_type.get(st.id, []):
                seats = max(capacity.get(rid, 1) - 1, 1) if channel == "group" else 1
                places += _spots(rid, floor.spaces[rid], seats)
        if places:
            present: Literal["in use", "none"] = "none" if channel == "remote" else "in use"
            out[channel] = Service(channel, "room", tuple(places), staff=present)
    used = {m.space_type for p in case.catalog.personas for path in p.paths
            for m in path.moments if m.kind == "amenity"}  # fmt: skip
    for r in sorted(rooms, key=lambda r: r.id):  # a WC, the family room: one party at a time
        if r.enclosed and not r.staff_only and r.space_type in used:
            name = f"amenity:{r.space_type}"
            before = out[name].spots if name in out else ()
            out[name] = Service(name, "amenity", before + _spots(r.id, floor.spaces[r.id], 1),
                                staff="none")  # fmt: skip
    return out


def _service_for(
    step_kind: str, agency: str, services: dict[str, Service], sizing: Sizing
) -> str | None:
    """Return the service that serves a core or guide/help moment, or None."""
    if step_kind in ("guide", "help"):
        return step_kind if step_kind in services else None
    if step_kind in _ROOM_CHANNELS:
        room_channel = _ROOM_CHANNELS[step_kind]
        return room_channel if room_channel in services else None
    wanted: Channel = "self_service" if step_kind == "self_serve" else "quick_counter"
    for q in sizing.queues:
        if q.channel == wanted and agency in q.agencies and f"{wanted}:{q.name}" in services:
            return f"{wanted}:{q.name}"
    return None


def _paths(persona_list: Sequence[tuple[Persona, float]], channel: Channel) -> list[
    tuple[Persona, ServicePath, float]
]:  # fmt: skip
    """Return the paths a visit by ``channel`` may follow, with their weights."""
    core = CORE_MOMENT[channel]
    out = []
    for persona, share in persona_list:
        for path in persona.paths:
            kinds = {m.kind for m in path.moments}
            serves = core in kinds or (
                channel == "self_service"
                and "help" in kinds
                and not kinds & set(CORE_MOMENT.values())
            )
            if serves:
                out.append((persona, path, share * path.share))
    return out


def _visitors(
    case: Case,
    sizing: Sizing,
    arrivals: Sequence[Arrival],
    by_type: dict[str, list[str]],
    services: dict[str, Service],
    seed: int,
    speed: tuple[float, float],
) -> tuple[list[Visitor], dict[str, int]]:
    """Give each arrival a persona path and draw its moments' durations (see the module)."""
    rng = np.random.default_rng(seed)
    scenario = case.scenario
    agencies = {a.id: a for a in scenario.agencies}
    shares = persona_shares(scenario, catalog=case.catalog)
    personas = [(p, shares[p.id]) for p in case.catalog.personas if shares.get(p.id, 0.0) > 0]
    skipped: dict[str, int] = {}
    out = []
    for index, arrival in enumerate(arrivals):
        choices = _paths(personas, arrival.channel)
        if not choices:
            skipped[f"path:{arrival.channel}"] = skipped.get(f"path:{arrival.channel}", 0) + 1
            continue
        weights = np.array([w for _, _, w in choices])
        persona, path, _ = choices[int(rng.choice(len(choices), p=weights / weights.sum()))]
        handling = agencies[arrival.agency].handling_time_min.get(arrival.channel)
        steps: list[Step] = []
        ticket = False
        for moment in path.moments:
            p = moment.probability
            if moment.kind == "guide":
                p /= persona.services_per_visit
            drawn = float(rng.random())
            if moment.kind in ("arrive", "leave"):
                continue
            if moment.kind == "wait":
                ticket = True
                continue
            if drawn >= p:
                continue
            if moment.kind in CORE_MOMENT.values() and moment.kind != CORE_MOMENT[arrival.channel]:
                ticket = False  # another matter of a many-matter path: a visit of its own
                continue
            if moment.kind in ("guide", "help") or moment.kind in CORE_MOMENT.values():
                service = _service_for(moment.kind, arrival.agency, services, sizing)
                mean_min = moment.duration_min if moment.duration_min is not None else handling
                if service is None:
                    skipped[moment.space_type] = skipped.get(moment.space_type, 0) + 1
                    ticket = False
                    continue
                duration = round(float(rng.exponential(mean_min * 60.0)), 3)
                if moment.kind in _ROOM_CHANNELS:  # a booked slot lasts its length
                    duration = round(mean_min * 60.0, 3)
                steps.append(Step("serve", moment.space_type, duration, service, ticket))
                ticket = False
            else:  # an amenity: a while in a space of its type
                ids = by_type.get(moment.space_type, [])
                duration_s = round(float(rng.exponential((moment.duration_min or 0.0) * 60.0)), 3)
                if f"amenity:{moment.space_type}" in services:  # a room: wait until it is free
                    steps.append(Step("serve", moment.space_type, duration_s,
                                      f"amenity:{moment.space_type}"))  # fmt: skip
                    continue
                if not ids or moment.duration_min is None:
                    skipped[moment.space_type] = skipped.get(moment.space_type, 0) + 1
                    continue
                space = ids[int(rng.integers(len(ids)))]
                steps.append(Step("dwell", moment.space_type, duration_s, space=space))
        steps.append(Step("leave", "entrance_lobby"))
        mean, sd = speed
        out.append(
            Visitor(
                id=index,
                at_s=arrival.at_s,
                agency=arrival.agency,
                channel=arrival.channel,
                persona=persona.id,
                path=path.id,
                speed_m_s=round(walking_speed(rng, mean, sd), 3),
                steps=tuple(steps),
            )
        )
    return out, skipped


def plan_day(
    case: Case,
    plan: Plan,
    floor: WalkableFloor,
    *,
    seed: int,
    window_h: tuple[float, float] | None = None,
    visits_scale: float = 1.0,
) -> DayModel:
    """Return the design day of a plan: the sizing the plan was drawn for, and the day's
    seeded arrivals, those from ``window_h`` (hours from opening) only if given, with every
    agency's visits times ``visits_scale`` (the same plan and staff on a busier day)."""
    from configurator.sizing.counts import sizing_from_demand
    from configurator.sizing.demand import demand_from_scenario, design_day_arrivals

    scenario = case.scenario
    demand = demand_from_scenario(scenario, catalog=case.catalog)
    sizing = sizing_from_demand(demand, catalog=case.catalog, scenario=scenario)
    busier = scenario
    if visits_scale != 1.0:
        agencies = [a.model_copy(update={"annual_visits": round(a.annual_visits * visits_scale)})
                    for a in scenario.agencies]  # fmt: skip
        busier = scenario.model_copy(update={"agencies": agencies})
    arrivals = design_day_arrivals(busier, seed=seed)
    if window_h is not None:
        low, high = window_h[0] * 3600.0, window_h[1] * 3600.0
        arrivals = [a for a in arrivals if low <= a.at_s < high]
    return day_model(case, plan, floor, sizing, arrivals, seed=seed)
