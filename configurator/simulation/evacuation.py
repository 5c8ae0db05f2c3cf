"""An evacuation simulated on the drawn plan with JuPedSim, measured with PedPy.

The building rules' occupant load is placed in the rooms and open areas it belongs to (seeded),
each person walks to the exit nearest by route (visitor space to the exits everyone may use),
starting after a pre-movement time drawn from a stated distribution, at a desired speed drawn
about 1.2 m/s; JuPedSim's collision-free speed model moves them (0.01 s steps) until all are
out or the time cap is reached (who is left is counted as stuck, never hidden). PedPy reads the
trajectories back: the people through each exit over time (N-t at the door line), and the
density on a 2 m grid (where it passes 2 persons/m² and for how long); the time each cell was
last occupied is the RSET map. The same run is compared with the hand calculation: walking the
longest route at 1.2 m/s plus the flow time through the exits at 1.3 persons/(m·s) of effective
width (the clear width less 0.15 m a side, SFPE's boundary layer), plus the latest pre-movement.
"""

from __future__ import annotations

import itertools
import logging
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jupedsim as jps
import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from shapely.geometry import Point, Polygon

from configurator.model.errors import ConfigError, Problem
from configurator.simulation.floor import BODY_M, WalkableFloor, walking_speed

__all__ = [
    "DENSE_PER_M2",
    "EvacuationResult",
    "EvacuationSettings",
    "ExitFlow",
    "HandCalculation",
    "simulate_evacuation",
]


def _pedpy() -> Any:
    """Import PedPy without what its import does to the process: it sets the root logger to
    INFO with a handler of its own, which would print every other library's INFO lines."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    import pedpy

    root.setLevel(level)
    root.handlers[:] = handlers
    return pedpy


pedpy = _pedpy()


DENSE_PER_M2 = 2.0
"""Density reported as crowded (persons/m²): the issue's figure, where flow starts to fall."""
FLOW_PER_M_S = 1.3
"""Specific flow through a door, persons per metre of effective width per second (SFPE)."""
BOUNDARY_M = 0.15
"""Boundary layer a side of a door that people do not use (SFPE), m."""
HAND_SPEED_M_S = 1.2
"""Walking speed of the hand calculation, m/s."""
STUCK_S = 120.0
"""Once everyone walks, a run in which nobody gets out for this long (s) ends: those still
inside are stuck (reported, never hidden), not a queue (a queue empties steadily)."""
CELL_M = 2.0
"""Side of the density grid's cells, m."""
FPS = 10
"""Trajectory frames kept a second (every 10th step of 0.01 s)."""


@dataclass(frozen=True)
class EvacuationSettings:
    """The run's figures, each a setting (the defaults are judgements, stated in the README)."""

    premovement_s: tuple[float, float] = (30.0, 60.0)
    """Pre-movement, uniform between these (s): awake occupants familiar enough with the
    building, with an alarm (the range PD 7974-6 gives offices and staffed service floors)."""
    speed_m_s: tuple[float, float] = (1.2, 0.15)
    """Desired walking speed: normal with this mean and deviation, kept within 0.6-1.8 m/s."""
    seed: int = 0
    max_s: float = 1800.0
    """Who is still inside after this (s) is reported stuck."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExitFlow(_Frozen):
    """One exit's share of the evacuation."""

    exit: str
    width_m: float
    persons: int = Field(description="People who left by it (counted a step outside, PedPy).")
    t50_s: float | None
    t90_s: float | None
    t100_s: float | None
    mean_flow_per_s: float = Field(
        description="People through it a second, first to last (the intervals between them)."
    )
    peak_flow_per_s: float = Field(
        description="The most a second in any of the 5 s intervals from the alarm (PedPy N-t)."
    )
    out_s: list[float] = Field(description="When each of them crossed the door line (s).")


class DenseCell(_Frozen):
    """A 2 m cell where the density passed :data:`DENSE_PER_M2`, and for how long."""

    x: float
    y: float
    seconds: float
    peak_per_m2: float


class HandCalculation(_Frozen):
    """The hydraulic hand calculation the simulation is compared with."""

    longest_route_m: float
    walk_s: float
    effective_width_m: float
    flow_s: float
    premovement_s: float
    total_s: float


class EvacuationResult(_Frozen):
    """What the run says: times until half, nine in ten and everyone are out, per exit too."""

    persons: int
    left: int
    stuck: list[tuple[float, float]] = Field(description="Where those still inside stood.")
    t50_s: float | None
    t90_s: float | None
    t100_s: float | None
    exits: list[ExitFlow]
    dense: list[DenseCell]
    hand: HandCalculation
    premovement_s: tuple[float, float]
    speed_m_s: tuple[float, float]
    seed: int
    rset_cells: list[tuple[float, float, float]] = Field(
        description="Each occupied 1 m cell's centre and the last time anyone stood in it (s)."
    )


@dataclass
class _Person:
    """An agent to add: where, by which exit, when it starts walking and how fast."""

    at: tuple[float, float]
    exit: int
    start_s: float
    speed: float


Progress = Callable[[int, int], None]
"""Told (people out, people in all) every simulated second."""


def simulate_evacuation(
    floor: WalkableFloor,
    *,
    settings: EvacuationSettings,
    trajectories: Path | None = None,
    progress: Progress | None = None,
) -> EvacuationResult:
    """Evacuate the floor (see the module docstring); keep the trajectories (JuPedSim's SQLite
    file, PedPy reads it) at ``trajectories`` if given."""
    people = _people(floor, settings)
    if not people:
        raise ConfigError([Problem("E573", "nobody is in the building to evacuate", None)])
    with tempfile.TemporaryDirectory() as tmp:
        path = trajectories or Path(tmp) / "trajectories.sqlite"
        stuck, out_at = _run(floor, people, settings, path, progress)
        return _measured(floor, people, settings, path, stuck, sorted(out_at))


def _people(floor: WalkableFloor, settings: EvacuationSettings) -> list[_Person]:
    """Place each space's occupants (seeded) and give each an exit, a start and a speed."""
    rng = np.random.default_rng(settings.seed)
    engine = jps.RoutingEngine(floor.area)
    targets = [(e.leave.centroid.x, e.leave.centroid.y) for e in floor.exits]
    people: list[_Person] = []
    problems = []
    for index, (sid, count) in enumerate(sorted(floor.persons.items())):
        if count <= 0:
            continue
        spots = _spots(floor.spaces[sid], count, settings.seed + index)
        if spots is None:
            problems.append(
                Problem(
                    "E573",
                    f"{sid} cannot hold its {count} people at 0.4 m "
                    "apart: its floor is too small for its occupant load",
                    None,
                )
            )
            continue
        allowed = [k for k, e in enumerate(floor.exits) if e.everyone or floor.staff_only[sid]]
        for spot in spots:
            lengths = {k: _route_m(engine, spot, targets[k]) for k in allowed}
            nearest = min(lengths, key=lambda k: (lengths[k], k))
            low, high = settings.premovement_s
            mean, sd = settings.speed_m_s
            people.append(
                _Person(
                    at=spot,
                    exit=nearest,
                    start_s=float(rng.uniform(low, high)),
                    speed=walking_speed(rng, mean, sd),
                )
            )
    if problems:
        raise ConfigError(problems)
    return people


def _spots(area: Polygon, count: int, seed: int) -> list[tuple[float, float]] | None:
    """Return ``count`` places in an area, apart and off its walls, or None if they do not fit."""
    for apart in (0.5, 0.45, 0.4):
        try:
            spots = jps.distribute_by_number(
                polygon=area,
                number_of_agents=count,
                distance_to_agents=apart,
                distance_to_polygon=BODY_M,
                seed=seed,
            )
        except Exception:  # JuPedSim says it cannot place them all with a bare error
            continue
        return [(float(x), float(y)) for x, y in spots]
    return None


def _route_m(engine: jps.RoutingEngine, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the length of the shortest walk between two points of the floor."""
    points = engine.compute_waypoints(a, b)
    return float(sum(math.dist(p, q) for p, q in itertools.pairwise(points)))


def _run(
    floor: WalkableFloor,
    people: list[_Person],
    settings: EvacuationSettings,
    path: Path,
    progress: Progress | None,
) -> tuple[list[tuple[float, float]], list[float]]:
    """Move everyone out; return where those still inside the building (not on a porch) at
    the end stood, and when each of the others reached an exit (s)."""
    writer = jps.SqliteTrajectoryWriter(output_file=path, every_nth_frame=100 // FPS)
    sim = jps.Simulation(
        model=jps.CollisionFreeSpeedModel(), geometry=floor.area, trajectory_writer=writer
    )
    journeys = []
    for e in floor.exits:
        stage = sim.add_exit_stage(e.leave)
        journeys.append((sim.add_journey(jps.JourneyDescription([stage])), stage))
    waiting: list[tuple[float, int, float]] = []
    for person in people:
        journey, stage = journeys[person.exit]
        agent = sim.add_agent(
            jps.CollisionFreeSpeedModelAgentParameters(
                position=person.at, journey_id=journey, stage_id=stage, desired_speed=0.0,
                radius=0.2,
            )
        )  # fmt: skip
        waiting.append((person.start_s, agent, person.speed))
    waiting.sort()
    next_start = 0
    steps = int(settings.max_s / sim.delta_time())
    inside, moved = sim.agent_count(), 0.0  # who is in, and when someone last got out
    out_at: list[float] = []
    try:
        while sim.agent_count() > 0 and sim.iteration_count() < steps:
            now = sim.elapsed_time()
            while next_start < len(waiting) and waiting[next_start][0] <= now:
                _, agent, speed = waiting[next_start]
                sim.agent(agent).model.desired_speed = speed
                next_start += 1
                moved = max(moved, now)
            sim.iterate()
            out_at.extend(sim.elapsed_time() for _ in sim.removed_agents())
            if sim.iteration_count() % 100 == 0:  # every simulated second
                if sim.agent_count() < inside:
                    inside, moved = sim.agent_count(), now
                if now - moved > STUCK_S:
                    break  # all walking and nobody out for a while: those left are stuck
                if progress is not None:
                    progress(len(people) - inside, len(people))
    finally:
        writer.close()
    porches = [e.porch for e in floor.exits]
    inside = [a.position for a in sim.agents() if not any(p.contains(Point(a.position))
                                                          for p in porches)]  # fmt: skip
    return [(round(x, 2), round(y, 2)) for x, y in inside], out_at


def _measured(
    floor: WalkableFloor,
    people: list[_Person],
    settings: EvacuationSettings,
    path: Path,
    stuck: list[tuple[float, float]],
    out_at: list[float],
) -> EvacuationResult:
    """Read the trajectories back with PedPy and measure each exit's flow; the times until
    half, nine in ten and all are out are JuPedSim's, when each reached an exit."""
    traj = pedpy.load_trajectory_from_jupedsim_sqlite(trajectory_file=path)
    data = traj.data
    rate = float(traj.frame_rate)
    exits = []
    for e in floor.exits:
        line = pedpy.MeasurementLine(list(e.line.coords))
        _nt, crossing = pedpy.compute_n_t(traj_data=traj, measurement_line=line)
        times = sorted(float(f) / rate for f in crossing.frame.to_numpy())
        window = max(1, int(5 * rate))
        counts = np.bincount(crossing.frame.to_numpy() // window) if times else np.zeros(1)
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        exits.append(
            ExitFlow(
                exit=e.id,
                width_m=e.width_m,
                persons=len(times),
                t50_s=_quantile(times, 0.5),
                t90_s=_quantile(times, 0.9),
                t100_s=_quantile(times, 1.0),
                mean_flow_per_s=round((len(times) - 1) / span, 3) if span > 0 else 0.0,
                peak_flow_per_s=round(float(counts.max()) / 5.0, 3),
                out_s=[round(t, 1) for t in times],
            )
        )
    return EvacuationResult(
        persons=len(people),
        left=len(people) - len(stuck),
        stuck=stuck,
        t50_s=_quantile(out_at, 0.5, len(people)),
        t90_s=_quantile(out_at, 0.9, len(people)),
        t100_s=_quantile(out_at, 1.0, len(people)) if not stuck else None,
        exits=exits,
        dense=_dense(data, floor, rate),
        hand=_hand(floor, len(people), settings),
        premovement_s=settings.premovement_s,
        speed_m_s=settings.speed_m_s,
        seed=settings.seed,
        rset_cells=_rset(data, rate),
    )


def _quantile(times: list[float], share: float, of: int | None = None) -> float | None:
    """Return the time by which ``share`` of ``of`` people (default: those counted) were out."""
    total = of if of is not None else len(times)
    need = math.ceil(share * total - 1e-9)
    if need <= 0 or need > len(times):
        return None
    return round(times[need - 1], 1)


def _dense(data: object, floor: WalkableFloor, rate: float) -> list[DenseCell]:
    """Return the 2 m cells whose density passed :data:`DENSE_PER_M2`: the people in the cell
    over its walkable area, frame by frame (classic density)."""
    frame = data.frame.to_numpy()  # type: ignore[attr-defined]
    x, y = data.x.to_numpy(), data.y.to_numpy()  # type: ignore[attr-defined]
    if not len(frame):
        return []
    x0, y0, _, _ = floor.area.bounds
    i = np.floor((x - x0) / CELL_M).astype(np.int64)
    j = np.floor((y - y0) / CELL_M).astype(np.int64)
    width = int(i.max()) + 1
    cell = j * width + i
    pairs, numbers = np.unique(np.stack([cell, frame]), axis=1, return_counts=True)
    counts = {(int(c), int(f)): int(n) for (c, f), n in zip(pairs.T, numbers, strict=True)}
    areas: dict[int, float] = {}
    above: dict[int, tuple[int, float]] = {}
    for (c, _), n in counts.items():
        if c not in areas:
            ci, cj = c % width, c // width
            low_x, low_y = x0 + ci * CELL_M, y0 + cj * CELL_M
            square = Polygon.from_bounds(low_x, low_y, low_x + CELL_M, low_y + CELL_M)
            areas[c] = square.intersection(floor.area).area
        if areas[c] < CELL_M * CELL_M / 4:
            continue  # a sliver of floor at a wall or a door: no density to speak of
        density = n / areas[c]
        if density > DENSE_PER_M2:
            frames, peak = above.get(c, (0, 0.0))
            above[c] = (frames + 1, max(peak, density))
    return [
        DenseCell(x=round(x0 + (c % width + 0.5) * CELL_M, 2),
                  y=round(y0 + (c // width + 0.5) * CELL_M, 2),
                  seconds=round(frames / rate, 1), peak_per_m2=round(peak, 2))
        for c, (frames, peak) in sorted(above.items())
    ]  # fmt: skip


def _rset(data: object, rate: float) -> list[tuple[float, float, float]]:
    """Return each 1 m cell anyone stood in and the last time someone did (the RSET map)."""
    frame = data.frame.to_numpy()  # type: ignore[attr-defined]
    if not len(frame):
        return []
    x = np.floor(data.x.to_numpy()).astype(np.int64)  # type: ignore[attr-defined]
    y = np.floor(data.y.to_numpy()).astype(np.int64)  # type: ignore[attr-defined]
    last: dict[tuple[int, int], int] = {}
    for cx, cy, f in zip(x.tolist(), y.tolist(), frame.tolist(), strict=True):
        if f > last.get((cx, cy), -1):
            last[(cx, cy)] = f
    return [(cx + 0.5, cy + 0.5, round(f / rate, 1)) for (cx, cy), f in sorted(last.items())]


def _hand(floor: WalkableFloor, persons: int, settings: EvacuationSettings) -> HandCalculation:
    """The hydraulic hand calculation: the longest route walked at 1.2 m/s, the people through
    the effective width of the exits everyone may use at 1.3 persons/(m·s), after the latest
    pre-movement."""
    longest = floor.longest_route_m
    # the exits everyone may use (a staff door only staff space may use takes no visitors)
    width = sum(max(e.width_m - 2 * BOUNDARY_M, 0.0) for e in floor.exits if e.everyone)
    walk = longest / HAND_SPEED_M_S
    flow = persons / (FLOW_PER_M_S * width) if width > 0 else math.inf
    pre = settings.premovement_s[1]
    return HandCalculation(
        longest_route_m=round(longest, 1),
        walk_s=round(walk, 1),
        effective_width_m=round(width, 2),
        flow_s=round(flow, 1),
        premovement_s=pre,
        total_s=round(pre + walk + flow, 1),
    )
