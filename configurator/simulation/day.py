"""The design day simulated on the drawn plan: visitors walk (JuPedSim), queue and are served.

The day's services and visitors come from :mod:`.day_model`. A visitor walks in by the main
door and does their steps in turn: a served step goes to a free server (a guide at the desk, a
counter, a terminal, a help point, a room) or queues for one, FIFO, seated in the waiting
lounge with a ticket (a free seat, else standing) or standing in the service's own space; a
server that frees calls the head of its queue, who walks from the seat to it, the server held
for them meanwhile (the counter waits for the person it called). A dwell step is a while in a
space (a WC, the coat rack); the last walk is out by the main door.

Only walking is simulated by JuPedSim (its collision-free speed model, :data:`DT_S` steps):
someone who reaches a place is taken off the simulator and stands or sits there, parked, until
their next walk adds them again where they are; the clock jumps over the times nobody walks.
Everyone in the building is sampled every :data:`SAMPLE_S` seconds where they are (walking,
waiting, served, dwelling), with the staff the sizing puts on duty (the guide desk's, counters'
and help point's all day, one in a room while it is in use): that is the occupancy per space
against its capacity, the queues, and the trajectories PedPy measures the peak density from.
A walk that has not arrived after :data:`LEG_CAP_S` is stuck: counted, and the person is set
at their goal so the day goes on (never hidden).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import jupedsim as jps
import numpy as np
import shapely
from pydantic import BaseModel, ConfigDict, Field
from shapely.geometry import LineString, Polygon, box
from shapely.prepared import prep

from configurator.simulation.day_model import DayModel, Service, Spot, Step, Visitor
from configurator.simulation.evacuation import pedpy
from configurator.simulation.floor import WalkableFloor

__all__ = [
    "BIN_S",
    "DT_S",
    "LEG_CAP_S",
    "SAMPLE_S",
    "DayResult",
    "PersonaWalk",
    "ServiceDay",
    "SpaceDay",
    "simulate_day",
]

DT_S = 0.05
"""JuPedSim's step, s: 6 cm at walking speed, fine for people walking alone or in twos (the
evacuation's crowds take 0.01 s)."""
CHUNK = 10
"""Steps between two looks at who arrived (0.5 s)."""
SAMPLE_S = 5.0
"""How often everyone's place is sampled, s (occupancy, queues, PedPy's frames)."""
BIN_S = 300.0
"""The occupancy table's period: the issue's 5 minutes, s."""
LEG_CAP_S = 600.0
"""A walk still going after this long (s) is stuck: no room of a plan is ten minutes away."""
DENSITY_CELL_M = 3.0
"""Side of the squares a space is cut into to measure its peak density, m (PedPy needs convex
measurement areas; a local crowd shows in a square where a whole lobby's average hides it)."""
PINNED_S = 30.0
"""A walker who has not moved :data:`PINNED_M` in this long (s) is pinned at a corner and set
a step on along their route (counted as ``nudged``; queues never stand on the simulator)."""
PINNED_M = 0.3
NUDGE_M = 0.6
"""How far along their route a pinned walker is set, m."""
FRAME_EVERY = 6
"""Keep every 6th sample (30 s) as a frame of dots for the pictures and the app's slider."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpaceDay(_Frozen):
    """One space through the day: the most people in it against what it holds, and a verdict."""

    space: str
    space_type: str
    capacity: int | None = Field(description="Persons it holds at once; None for a corridor.")
    peak: int
    peak_at_s: float
    peak_density_per_m2: float = Field(description="PedPy's classic density, densest 3 m square.")
    over_by: int = Field(ge=0, description="Persons above capacity at the peak.")
    over_from_s: float | None = Field(description="When it first held more than its capacity.")
    over_min: float = Field(ge=0.0, description="Minutes it held more than its capacity.")
    verdict: str = Field(description="'holds', 'over capacity' or 'no capacity' (a passage).")
    bins: list[int] = Field(description="Most people present in each 5 minutes from opening.")


class ServiceDay(_Frozen):
    """One service through the day: who it served, how long they waited, its longest queue."""

    service: str
    kind: str
    servers: int
    served: int
    mean_wait_s: float = Field(
        description="From joining the queue until called; who was never called counts the "
        "wait until the run ended."
    )
    unserved: int = Field(ge=0, description="Still waiting when the run ended.")
    p90_wait_s: float
    max_wait_s: float
    mean_to_server_s: float = Field(description="From joining until at the server: wait + walk.")
    max_queue: int
    joined_by_hour: list[int] = Field(description="People who joined it in each hour from opening.")
    busy_share: float = Field(
        ge=0.0, le=1.0, description="Share of server time held within the opening hours."
    )
    bins: list[int] = Field(description="Longest queue in each 5 minutes from opening.")


class PersonaWalk(_Frozen):
    """How far each persona walked on the plan, as walked (the simulated trajectories)."""

    persona: str
    visitors: int
    mean_m: float
    p90_m: float
    max_m: float


class DayResult(_Frozen):
    """What the day showed: everyone counted, every space and service, the walks."""

    visitors: int
    left: int
    stuck: int = Field(description="Walks that never arrived (the person was set at the goal).")
    nudged: int = Field(
        ge=0, description="Walkers pinned at a corner for 30 s, set a step on along their route."
    )
    still_inside: int = Field(description="People inside when the run's time cap came.")
    hours: float
    end_s: float
    skipped: dict[str, int]
    spaces: list[SpaceDay]
    services: list[ServiceDay]
    personas: list[PersonaWalk]
    seed: int
    frames: list[tuple[float, list[tuple[float, float]]]] = Field(
        default_factory=list, exclude=True,
        description="Everyone's place every 30 s: (time, points); for pictures, not the JSON.",
    )  # fmt: skip

    def over(self) -> list[SpaceDay]:
        """Return the spaces that held more than their capacity."""
        return [s for s in self.spaces if s.verdict == "over capacity"]


Progress = Callable[[float, float], None]
"""Told (simulated seconds, seconds of the day) as the run goes."""


@dataclass
class _Person:
    """A visitor's state: the step they are on, where they are, what they hold."""

    visitor: Visitor
    at: tuple[float, float]
    step: int = -1
    agent: int | None = None
    place: Spot | None = None
    """Where they stand or sit, parked (None while walking)."""
    goal: Spot | None = None
    leg_from_s: float = 0.0
    before: tuple[float, float] = (0.0, 0.0)
    anchor: tuple[float, float] = (0.0, 0.0)
    still_since: float = 0.0
    """Where and since when a walker has not moved :data:`PINNED_M` (pinned at a corner)."""
    """Where they stood before the step aside a walk starts with (retried from there)."""
    walked_m: float = 0.0
    server: int | None = None
    joined_s: float = 0.0
    called_s: float | None = None
    seat: Spot | None = None
    space: str | None = None
    """The space they are in while parked (the place's)."""
    then: str = ""
    """What reaching the goal means: 'wait', 'serve', 'dwell', 'out'."""
    done: bool = False


@dataclass
class _Queue:
    """A service's state: who holds each server, who waits, and what it did."""

    service: Service
    holder: list[int | None]
    waiting: deque[int] = field(default_factory=deque)
    waits: list[float] = field(default_factory=list)
    joined: list[float] = field(default_factory=list)
    reach: list[float] = field(default_factory=list)
    held_s: float = 0.0
    since: list[float] = field(default_factory=list)
    unserved: int = 0


class _Day:
    """One run: the simulator, the people, the services and the samples."""

    def __init__(self, floor: WalkableFloor, model: DayModel, cap_s: float) -> None:
        self.floor = floor
        self.model = model
        self.cap_s = cap_s
        self.sim = jps.Simulation(model=jps.CollisionFreeSpeedModel(), geometry=floor.area,
                                  dt=DT_S)  # fmt: skip
        self.now = 0.0
        self.events: list[tuple[float, int, str, int]] = []
        self.seq = 0
        self.people: dict[int, _Person] = {}
        self.by_agent: dict[int, int] = {}
        self.pending: list[int] = []
        self.stages: dict[tuple[float, float], tuple[int, int]] = {}
        self.queues = {
            sid: _Queue(s, [None] * s.servers, since=[0.0] * s.servers)
            for sid, s in model.services.items()
        }
        self.seats: dict[Spot, int | None] = dict.fromkeys(model.lounge)
        self.pool_next: dict[str, int] = {}
        door = next(e for e in floor.exits if e.id == model.entrance)
        self.out_stage = self.sim.add_exit_stage(door.leave)
        self.out_journey = self.sim.add_journey(jps.JourneyDescription([self.out_stage]))
        inner = door.porch.difference(door.leave)
        centre = inner.centroid
        ux, uy = _along(door.line)
        reach = max(door.width_m / 2 - 0.3, 0.0)  # where across the door people come in
        self.door_in = [(centre.x + ux * k * reach / 2, centre.y + uy * k * reach / 2)
                        for k in (-2, -1, 0, 1, 2)]  # fmt: skip
        self.stuck = 0
        self.nudged = 0
        self.router = jps.RoutingEngine(floor.area)
        self.roomy = prep(floor.area.buffer(-0.3))  # where a body fits, off every wall
        out = door.leave.centroid
        self.door_out = (out.x, out.y)
        self.samples: list[tuple[float, dict[str, int], dict[str, int]]] = []
        self.rows: list[tuple[int, int, float, float]] = []
        self.frames: list[tuple[float, list[tuple[float, float]]]] = []
        self.next_sample = 0.0
        names = sorted(n for n in floor.spaces if not floor.staff_only.get(n, False))
        self.space_names = names
        self.tree = shapely.STRtree([floor.spaces[n] for n in names])

    # ----------------------------------------------------------------- the clock and events

    def at(self, time_s: float, what: str, who: int) -> None:
        """Schedule an event (arrive, served, dwelt) for a person; ties keep their order."""
        heapq.heappush(self.events, (time_s, self.seq, what, who))
        self.seq += 1

    def run(self, progress: Progress | None) -> None:
        """Run the day: events in time order, walking in chunks while anyone walks, the clock
        jumping to the next event while nobody does, until everyone has left or the cap."""
        for v in self.model.visitors:
            self.people[v.id] = _Person(visitor=v, at=self.door_in[v.id % len(self.door_in)])
            self.at(v.at_s, "arrive", v.id)
        end = self.model.hours * 3600.0
        told = 0.0
        while self.now < self.cap_s:
            walking = bool(self.by_agent) or bool(self.pending)
            if not walking:
                if not self.events:
                    break
                self._sample_until(self.events[0][0])
                self.now = max(self.now, self.events[0][0])
            while self.events and self.events[0][0] <= self.now:
                _, _, what, who = heapq.heappop(self.events)
                self._event(what, who)
            if self.by_agent or self.pending:
                self._walk()
            if progress is not None and self.now >= told:
                progress(min(self.now, end), end)
                told = self.now + 300.0  # every five simulated minutes
        self.finish()

    def _event(self, what: str, who: int) -> None:
        """Handle an event: a person arrives, is done being served (the server calls the next),
        or is done dwelling; each then starts their next step."""
        p = self.people[who]
        if what == "arrive":
            self._next(p)
        elif what == "served":
            self._free(p)
            self._next(p)
        elif what == "dwelt":
            self._next(p)

    # ----------------------------------------------------------------- steps

    def _next(self, p: _Person) -> None:
        """Start the person's next step from where they are."""
        p.step += 1
        step: Step = p.visitor.steps[p.step]
        if step.kind == "leave":
            self._go(p, None, "out")
        elif step.kind == "dwell":
            assert step.space is not None
            self._go(p, self._pool_place(step.space), "dwell")
        else:
            assert step.service is not None
            q = self.queues[step.service]
            p.joined_s, p.called_s = self.now, None
            q.joined.append(self.now)
            free = self._free_server(q, step)
            if free is not None and not q.waiting:
                self._call(q, free, p)
            else:
                q.waiting.append(p.visitor.id)
                self._go(p, self._wait_place(p, q, step), "wait")

    def _free_server(self, q: _Queue, step: Step) -> int | None:
        """Return a free server, one in a space of the step's type first."""
        free = [k for k, h in enumerate(q.holder) if h is None]
        if not free:
            return None
        types = self.model.space_types
        return next((k for k in free if types.get(q.service.spots[k].space) == step.space_type),
                    free[0])  # fmt: skip

    def _call(self, q: _Queue, server: int, p: _Person) -> None:
        """Give a server to a person, who walks to it (from a seat, a queue or the door)."""
        q.holder[server] = p.visitor.id
        q.since[server] = self.now
        p.server, p.called_s = server, self.now
        q.waits.append(self.now - p.joined_s)
        if p.seat is not None:
            self.seats[p.seat] = None
            p.seat = None
        self._go(p, q.service.spots[server], "serve")

    def _free(self, p: _Person) -> None:
        """Release the person's server and call the head of its queue."""
        step = p.visitor.steps[p.step]
        assert step.service is not None
        assert p.server is not None
        q = self.queues[step.service]
        q.holder[p.server] = None
        q.held_s += self._open_part(q.since[p.server], self.now)
        free, p.server = p.server, None
        if q.waiting:
            head = self.people[q.waiting.popleft()]
            self._call(q, free, head)

    def _open_part(self, start: float, end: float) -> float:
        """Return the part of [start, end] within the opening hours, s."""
        close = self.model.hours * 3600.0
        return max(0.0, min(end, close) - min(start, close))

    def finish(self) -> None:
        """End the run: servers still held count their time, who still waits their wait so
        far (the longest waits are never left out), and the samples run to closing time."""
        for q in self.queues.values():
            for k, holder in enumerate(q.holder):
                if holder is not None:
                    q.held_s += self._open_part(q.since[k], self.now)
            q.unserved = len(q.waiting)
            q.waits.extend(self.now - self.people[who].joined_s for who in q.waiting)
        self._sample_until(max(self.now, self.model.hours * 3600.0))

    def _wait_place(self, p: _Person, q: _Queue, step: Step) -> Spot:
        """A seat in the lounge (a ticket, or a room to free up), else a standing place there;
        or a place in the service's own space (the desk's, the terminals')."""
        if (step.ticket or q.service.kind in ("room", "amenity")) and self.seats:  # a room's
            # queue sits in the lounge, not in someone's meeting
            seat = next((s for s, h in self.seats.items() if h is None), None)
            if seat is not None:
                self.seats[seat] = p.visitor.id
                p.seat = seat
                return seat
            return self._pool_place(self.model.lounge[0].space)
        if q.service.kind in ("room", "amenity") and self.model.waiting_area is not None:
            return self._pool_place(self.model.waiting_area)  # no lounge: the lobby
        return self._pool_place(q.service.spots[0].space)

    def _pool_place(self, space: str) -> Spot:
        pool = self.model.pools[space]
        k = self.pool_next.get(space, 0)
        self.pool_next[space] = k + 1
        return pool[k % len(pool)]

    # ----------------------------------------------------------------- walking

    def _go(self, p: _Person, goal: Spot | None, then: str) -> None:
        """Send the person walking to a place (None: out by the main door)."""
        p.goal, p.then, p.leg_from_s = goal, then, self.now
        p.before = p.at
        if p.place is not None:  # a step aside from the spot: two people on one line walking
            # head-on would stop each other in the speed model, where people sidestep
            k = p.visitor.id * 7919 + p.step * 104729
            p.at = (p.at[0] + (k % 21 - 10) / 100.0, p.at[1] + (k // 21 % 21 - 10) / 100.0)
        p.place, p.space = None, None
        if p.agent is not None:  # called while walking to their queue place: turn
            journey, stage = self._stage(goal)
            self.sim.switch_agent_journey(p.agent, journey, stage)
            return
        if p.visitor.id not in self.pending and not self._add(p):
            self.pending.append(p.visitor.id)

    def _stage(self, goal: Spot | None) -> tuple[int, int]:
        if goal is None:
            return self.out_journey, self.out_stage
        key = (goal.x, goal.y)
        if key not in self.stages:
            square = box(goal.x - 0.2, goal.y - 0.2, goal.x + 0.2, goal.y + 0.2)
            stage = self.sim.add_exit_stage(square.intersection(self.floor.area))
            self.stages[key] = (self.sim.add_journey(jps.JourneyDescription([stage])), stage)
        return self.stages[key]

    def _add(self, p: _Person) -> bool:
        """Put the person on the simulator where they are; False where someone is in the way."""
        journey, stage = self._stage(p.goal)
        try:
            agent = self.sim.add_agent(
                jps.CollisionFreeSpeedModelAgentParameters(
                    position=p.at, journey_id=journey, stage_id=stage,
                    desired_speed=p.visitor.speed_m_s, radius=0.2,
                )
            )  # fmt: skip
        except RuntimeError:
            return False
        p.agent = agent
        p.anchor, p.still_since = p.at, self.now
        self.by_agent[agent] = p.visitor.id
        return True

    def _walk(self) -> None:
        """Move the walkers a chunk; park who arrived; retry who could not start (from where
        they stood before their step aside); a walk not started in LEG_CAP_S is stuck."""
        waiting = []
        for who in self.pending:
            p = self.people[who]
            p.at = p.before
            if self._add(p):
                continue
            if self.now - p.leg_from_s > LEG_CAP_S:
                self.stuck += 1
                self._arrived(p)
            elif who not in waiting:
                waiting.append(who)
        self.pending = waiting
        self.sim.iterate(CHUNK)
        self.now += CHUNK * DT_S
        seen = set()
        pinned = []
        for agent in self.sim.agents():
            who = self.by_agent[agent.id]
            seen.add(agent.id)
            p = self.people[who]
            x, y = agent.position
            p.walked_m += math.dist(p.at, (x, y))
            p.at = (x, y)
            if self.now - p.leg_from_s > LEG_CAP_S:
                self.sim.mark_agent_for_removal(agent.id)
                self.stuck += 1
            elif math.dist(p.at, p.anchor) > PINNED_M:
                p.anchor, p.still_since = p.at, self.now
            elif self.now - p.still_since > PINNED_S:
                pinned.append(agent.id)
        for agent_id in pinned:
            self._nudge(agent_id)
        for agent_id in [a for a in self.by_agent if a not in seen]:
            self._arrived(self.people[self.by_agent.pop(agent_id)])
        self._sample_until(self.now)

    def _nudge(self, agent_id: int) -> None:
        """Take a walker pinned at a corner off the simulator and put them back a step on along
        their route (the speed model can pin a body against a convex corner; people step round):
        the first point 0.6, 0.9, ... m along the route with room for a body; none, no nudge."""
        p = self.people[self.by_agent[agent_id]]
        goal = (p.goal.x, p.goal.y) if p.goal is not None else self.door_out
        route = LineString(self.router.compute_waypoints(p.at, goal))
        p.still_since = self.now  # look again in PINNED_S whatever comes of it
        for step in np.arange(NUDGE_M, min(route.length, 3.0), 0.3):
            point = route.interpolate(float(step))
            if self.roomy.contains(point):
                break
        else:
            return
        self.by_agent.pop(agent_id)
        self.sim.mark_agent_for_removal(agent_id)
        p.before = p.at = (point.x, point.y)
        p.agent = None
        p.anchor = p.at
        self.nudged += 1
        self.pending.append(p.visitor.id)

    def _arrived(self, p: _Person) -> None:
        """The person reached their goal: park them there and go on with their step."""
        p.agent = None
        if p.goal is not None:
            p.walked_m += math.dist(p.at, (p.goal.x, p.goal.y))
            p.at = (p.goal.x, p.goal.y)
            p.place, p.space = p.goal, p.goal.space
        step = p.visitor.steps[p.step]
        if p.then == "out":
            p.done = True
        elif p.then == "dwell":
            self.at(self.now + step.duration_s, "dwelt", p.visitor.id)
        elif p.then == "serve":
            assert step.service is not None
            self.queues[step.service].reach.append(self.now - p.joined_s)
            self.at(self.now + step.duration_s, "served", p.visitor.id)
        # 'wait': parked until a server calls

    # ----------------------------------------------------------------- samples

    def _sample_until(self, until: float) -> None:
        while self.next_sample <= until + 1e-9:
            self._sample(self.next_sample)
            self.next_sample += SAMPLE_S

    def _sample(self, t: float) -> None:
        """Count who is in each space (and record their places) at ``t``."""
        counts: dict[str, int] = {}
        people = [p for p in self.people.values() if p.step >= 0 and not p.done]
        walkers = [p for p in people if p.place is None]
        if walkers:
            xy = shapely.points([p.at for p in walkers])
            hit, space = self.tree.query(xy, predicate="within")
            where: dict[int, str] = {}
            for h, s in zip(hit.tolist(), space.tolist(), strict=True):
                where.setdefault(h, self.space_names[s])
            for k, _ in enumerate(walkers):
                if k in where:
                    counts[where[k]] = counts.get(where[k], 0) + 1
        for p in people:
            if p.place is not None and p.space is not None:
                counts[p.space] = counts.get(p.space, 0) + 1
        for q in self.queues.values():
            spots = q.service.spots
            if q.service.staff == "always":  # a member of staff at each server all day
                staff = [s.space for s in spots]
            elif q.service.staff == "in use":  # one in each room its customer has reached
                staff = list({s.space for s, h in zip(spots, q.holder, strict=True)
                              if h is not None and self.people[h].place is not None})  # fmt: skip
            else:
                staff = []
            for room in staff:
                counts[room] = counts.get(room, 0) + 1
        queues = {sid: len(q.waiting) for sid, q in self.queues.items()}
        self.samples.append((t, counts, queues))
        frame = len(self.samples) - 1
        for p in people:
            self.rows.append((p.visitor.id, frame, p.at[0], p.at[1]))
        if frame % FRAME_EVERY == 0:
            self.frames.append((t, [(round(p.at[0], 2), round(p.at[1], 2)) for p in people]))


def simulate_day(
    floor: WalkableFloor,
    model: DayModel,
    *,
    seed: int,
    progress: Progress | None = None,
    drain_hours: float = 3.0,
) -> DayResult:
    """Walk the day (see the module docstring) and measure it."""
    day = _Day(floor, model, cap_s=(model.hours + drain_hours) * 3600.0)
    day.run(progress)
    return _measured(day, seed)


def _measured(day: _Day, seed: int) -> DayResult:
    """Turn the run's samples and tallies into the result: spaces, services, walks."""
    model = day.model
    opening_s = model.hours * 3600.0
    nbins = max(1, math.ceil(max(day.now, opening_s) / BIN_S))
    densities = _peak_densities(day)
    spaces = []
    for sid in day.space_names:
        series = [(t, c.get(sid, 0)) for t, c, _ in day.samples]
        if not any(n for _, n in series) and sid not in model.capacity:
            continue
        bins = [0] * nbins
        for t, n in series:
            k = min(int(t // BIN_S), nbins - 1)
            bins[k] = max(bins[k], n)
        peak_at, peak = max(series, key=lambda tn: (tn[1], -tn[0]), default=(0.0, 0))
        cap = model.capacity.get(sid)
        over = [t for t, n in series if cap is not None and n > cap]
        verdict = "no capacity" if cap is None else "over capacity" if over else "holds"
        spaces.append(
            SpaceDay(
                space=sid,
                space_type=model.space_types.get(sid, "passage"),
                capacity=cap,
                peak=peak,
                peak_at_s=peak_at,
                peak_density_per_m2=densities.get(sid, 0.0),
                over_by=max(peak - cap, 0) if cap is not None else 0,
                over_from_s=over[0] if over else None,
                over_min=round(len(over) * SAMPLE_S / 60.0, 1),
                verdict=verdict,
                bins=bins,
            )
        )
    services = []
    for sid, q in sorted(day.queues.items()):
        waits = sorted(q.waits)
        bins = [0] * nbins
        for t, _, queues in day.samples:
            k = min(int(t // BIN_S), nbins - 1)
            bins[k] = max(bins[k], queues[sid])
        services.append(
            ServiceDay(
                service=sid,
                kind=q.service.kind,
                servers=q.service.servers,
                served=len(q.reach),
                unserved=q.unserved,
                mean_wait_s=round(float(np.mean(waits)), 1) if waits else 0.0,
                p90_wait_s=round(float(np.quantile(waits, 0.9)), 1) if waits else 0.0,
                max_wait_s=round(waits[-1], 1) if waits else 0.0,
                mean_to_server_s=round(float(np.mean(q.reach)), 1) if q.reach else 0.0,
                max_queue=max(bins),
                joined_by_hour=_per_hour(q.joined, nbins * BIN_S),
                busy_share=round(q.held_s / (q.service.servers * opening_s), 3),
                bins=bins,
            )
        )
    walks: dict[str, list[float]] = {}
    for p in day.people.values():
        if p.done:
            walks.setdefault(p.visitor.persona, []).append(p.walked_m)
    personas = [
        PersonaWalk(persona=k, visitors=len(v), mean_m=round(float(np.mean(v)), 1),
                    p90_m=round(float(np.quantile(v, 0.9)), 1), max_m=round(max(v), 1))
        for k, v in sorted(walks.items())
    ]  # fmt: skip
    left = sum(1 for p in day.people.values() if p.done)
    return DayResult(
        visitors=len(day.people),
        left=left,
        stuck=day.stuck,
        nudged=day.nudged,
        still_inside=len(day.people) - left,
        hours=model.hours,
        end_s=round(day.now, 1),
        skipped=dict(sorted(model.skipped.items())),
        spaces=spaces,
        services=services,
        personas=personas,
        seed=seed,
        frames=day.frames,
    )


def _along(line: LineString) -> tuple[float, float]:
    """Return the unit vector along a line (across a door)."""
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    return (x1 - x0) / length, (y1 - y0) / length


def _per_hour(times: list[float], end_s: float) -> list[int]:
    """Return how many of the times fall in each hour from opening up to ``end_s``."""
    counts = [0] * max(1, math.ceil(end_s / 3600.0))
    for t in times:
        counts[min(int(t // 3600.0), len(counts) - 1)] += 1
    return counts


def _peak_densities(day: _Day) -> dict[str, float]:
    """Return each space's peak density: PedPy's classic density in the densest
    :data:`DENSITY_CELL_M` square of it over the day's frames."""
    import pandas as pd

    if not day.rows:
        return {}
    frame = pd.DataFrame(day.rows, columns=["id", "frame", "x", "y"])
    out: dict[str, float] = {}
    for sid in day.space_names:
        area = day.floor.spaces[sid]
        x0, y0, x1, y1 = area.bounds
        rows = frame[(frame.x >= x0) & (frame.x <= x1) & (frame.y >= y0) & (frame.y <= y1)]
        if rows.empty:
            continue
        traj = pedpy.TrajectoryData(data=rows, frame_rate=1.0 / SAMPLE_S)
        best = 0.0
        for piece in _squares(area):
            density = pedpy.compute_classic_density(
                traj_data=traj, measurement_area=pedpy.MeasurementArea(piece)
            )
            best = max(best, float(density.density.max()))
        out[sid] = round(best, 2)
    return out


def _squares(area: Polygon) -> list[Polygon]:
    """Cut a space into convex pieces of at most a square each, leaving out slivers; a small
    space (a meeting room, a desk) is one piece. A piece nearly convex (a door's notch in its
    wall) is measured on its convex hull, as PedPy needs."""

    def convex(piece: Polygon) -> Polygon | None:
        hull = piece.convex_hull
        if piece.interiors or hull.area - piece.area > 0.03 * hull.area:
            return None
        return Polygon(hull.exterior.coords)

    whole = convex(area)
    if whole is not None and area.area <= 2 * DENSITY_CELL_M**2:
        return [whole]
    x0, y0, x1, y1 = area.bounds
    pieces = []
    for x in np.arange(x0, x1, DENSITY_CELL_M):
        for y in np.arange(y0, y1, DENSITY_CELL_M):
            part = box(x, y, x + DENSITY_CELL_M, y + DENSITY_CELL_M).intersection(area)
            for g in getattr(part, "geoms", [part]):
                piece = convex(g) if isinstance(g, Polygon) and g.area >= 1.0 else None
                if piece is not None:
                    pieces.append(piece)
    return pieces
