"""Lay out the space programme in the footprint: several floor-plan options, audited and ranked.

Each option is one strategy (:mod:`_strategies`) with one seed, built in the building's own
frame (:mod:`_frame`) so that a turned building gives the same plan, finished into a plan in
the drawing's coordinates (:mod:`_assemble`), and kept only if the independent geometric audit
(:mod:`plan_audit`) finds nothing wrong with it. The kept options are ranked by their KPIs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator._assemble import plan_from_sketch
from configurator._frame import BuildingFrame
from configurator._strategies import STRATEGIES, Strategy, sketch_for
from configurator._units import units_from_program
from configurator.catalog import Case
from configurator.errors import LayoutError, Problem
from configurator.kpis import PlanKpis, kpis_from_plan
from configurator.plan import Plan
from configurator.plan_audit import audit_analysis
from configurator.plan_geometry import analysis_from_plan
from configurator.program import Program, program_from_case
from configurator.schema import Footprint

__all__ = [
    "STRATEGIES",
    "Attempt",
    "LayoutError",
    "Option",
    "Strategy",
    "attempt_option",
    "options_from_case",
    "plan_from_program",
    "plans_from_case",
]

_SIMPLIFY_M = 0.01
"""Outline corners closer than this to the line through their neighbours are dropped."""
_MAX_CORNERS = 2000
"""More corners than this, even simplified, is no floor plan (a tessellated site boundary)."""
_SOLID_KINDS = frozenset({"stair", "lift", "shaft", "courtyard", "other"})
_HALL_MIN = 1.05
"""The least hall over the open areas it holds (a little walking space beside them)."""
_ROUNDS = 4
"""Seeds per strategy and requested option before giving up on a strategy."""


@dataclass(frozen=True)
class Option:
    """A ranked option: the plan, its KPIs and what the audit found (nothing, when kept)."""

    plan: Plan
    kpis: PlanKpis
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Attempt:
    """One strategy and seed tried: the audited option with its KPIs, or why it failed."""

    strategy: Strategy
    seed: int
    option: Option | None
    failure: str = ""


Attempter = Callable[[Strategy, int], Attempt]
"""Tries one strategy with one seed; the UI passes a cached one so each attempt runs once."""

Progress = Callable[[int, int], None]
"""Told the options kept so far and the options wanted, after every attempt."""


@dataclass(frozen=True)
class _Floor:
    """The footprint in the building's local frame."""

    frame: BuildingFrame
    floor: Polygon
    solids: BaseGeometry
    columns: list[Polygon]
    entrance: tuple[float, float]
    staff_doors: list[tuple[tuple[float, float], float]]
    entrances: list[tuple[float, float]]
    """Every entrance, main, side and staff (local frame)."""


def plan_from_program(program: Program, *, case: Case, strategy: Strategy, seed: int) -> Plan:
    """Lay out one option with one strategy and seed; raise :class:`LayoutError` if it fails.

    The plan is not audited here; :func:`options_from_case` drops options the audit rejects.
    """
    scenario = case.scenario
    local = _local_floor(scenario.footprint)
    _check_capacity(program, local, case)
    units = units_from_program(program, case)
    lobby_units = [u for u in units if u.serves_lobby]
    rng = random.Random(f"{seed}-{strategy}")
    sketch, band = sketch_for(
        strategy,
        floor=local.floor,
        columns=local.columns,
        entrance=local.entrance,
        staff_doors=local.staff_doors,
        units=[u for u in units if not u.serves_lobby],
        visitor_w=scenario.layout.corridor_width_m,
        staff_w=scenario.layout.staff_corridor_width_m,
        rng=rng,
        variant=seed - scenario.seed,
        hall_rooms_m2=sum(u.area for u in lobby_units),
        solids=[
            g for g in getattr(local.solids, "geoms", [local.solids]) if isinstance(g, Polygon)
        ],
    )
    open_units = [u for u in units if u.category == "open"]
    plan = plan_from_sketch(
        sketch,
        band=band,
        building=local.frame,
        solids=band.shape(local.solids),
        columns=[p for c in local.columns if isinstance(p := band.shape(c), Polygon)],
        open_units=open_units,
        entrance=band.point(local.entrance),
        case=case,
        strategy=strategy,
        seed=seed,
        lobby_units=lobby_units,
        entrances=[band.point(p) for p in local.entrances],
    )
    hall = sum(Polygon(c.polygon).area for c in plan.corridors if c.kind == "hall")
    need = _HALL_MIN * sum(u.area for u in open_units)
    if hall < need:
        raise LayoutError(
            f"the hall has {hall:.0f} m² for {need:.0f} m² of open areas with their walkways: "
            f"{need - hall:.0f} m² short"
        )
    return plan


def attempt_option(case: Case, program: Program, strategy: Strategy, seed: int) -> Attempt:
    """Lay out one strategy and seed, audit it from its geometry and measure its KPIs."""
    try:
        plan = plan_from_program(program, case=case, strategy=strategy, seed=seed)
    except LayoutError as exc:
        return Attempt(strategy, seed, None, f"{strategy} (seed {seed}): {exc}")
    analysis = analysis_from_plan(plan, footprint=case.scenario.footprint)
    problems = audit_analysis(analysis, layout=case.scenario.layout)
    if problems:
        return Attempt(
            strategy, seed, None, f"{strategy} (seed {seed}): audit {problems[0].plan_line()}"
        )
    kpis = kpis_from_plan(plan, case=case, analysis=analysis, problems=problems)
    return Attempt(strategy, seed, Option(plan, kpis, ()))


def options_from_case(
    case: Case,
    *,
    options: int | None = None,
    footprint: Footprint | None = None,
    program: Program | None = None,
    attempt: Attempter | None = None,
    progress: Progress | None = None,
) -> list[Option]:
    """Generate, audit, score and rank floor-plan options for a scenario; return the best first.

    Each strategy is tried with a series of seeds; an option the audit finds anything wrong
    with is dropped, and so are duplicates. ``attempt`` replaces :func:`attempt_option` (a
    cached one), ``progress`` hears how far the search is. Raises :class:`LayoutError` with
    the reasons when no option holds up.
    """
    if footprint is not None:
        scenario = case.scenario.model_copy(update={"footprint": footprint})
        case = case.model_copy(update={"scenario": scenario})
    scenario = case.scenario
    sized = program or program_from_case(case)
    wanted = options or scenario.layout.options
    _check_capacity(sized, _local_floor(scenario.footprint), case)
    tried = attempt or (lambda strategy, seed: attempt_option(case, sized, strategy, seed))
    kept: list[Option] = []
    failures: list[str] = []
    misses: dict[str, int] = dict.fromkeys(scenario.layout.strategies, 0)
    for round_ in range(_ROUNDS * wanted):
        if len(kept) >= wanted:
            break
        for strategy in scenario.layout.strategies:
            if misses[strategy] >= 2 or len(kept) >= wanted:
                continue
            result = tried(strategy, scenario.seed + round_)
            found = result.option
            if found is None:
                failures.append(result.failure)
                misses[strategy] += 1
            elif any(_same_option(found.plan, o.plan) for o in kept):
                misses[strategy] += 1
            else:
                misses[strategy] = 0
                kept.append(found)
            if progress is not None:
                progress(len(kept), wanted)
    if not kept:
        raise LayoutError("no strategy could lay out the programme: " + "; ".join(failures[:3]))
    kept.sort(key=lambda o: (-o.kpis.score, o.plan.strategy, o.plan.seed))
    ranked = []
    for rank, option in enumerate(kept[:wanted], start=1):
        plan = option.plan.model_copy(update={"option": rank})
        ranked.append(Option(plan, option.kpis.model_copy(update={"option": rank}), ()))
    return ranked


def plans_from_case(
    case: Case,
    *,
    options: int | None = None,
    footprint: Footprint | None = None,
    program: Program | None = None,
) -> list[Plan]:
    """Return the ranked plans of :func:`options_from_case`, best first."""
    return [
        o.plan
        for o in options_from_case(case, options=options, footprint=footprint, program=program)
    ]


def _same_option(a: Plan, b: Plan) -> bool:
    """Tell whether two plans are the same option: rooms of at most a fifth of the enclosed
    area moved more than a metre.

    A few small rooms swapped within a row, or the hall's open areas arranged anew, do not make
    another option; a different strategy or structure moves most of the floor.
    """
    rooms = [r for r in a.rooms if r.enclosed]
    total = sum(r.programme_area_m2 for r in rooms)
    moved = 0.0
    for room in rooms:
        other = next((r for r in b.rooms if r.id == room.id), None)
        if other is None or room.shape.centroid.distance(other.shape.centroid) > 1.0:
            moved += room.programme_area_m2
    return moved <= 0.2 * total


def _local_floor(footprint: Footprint) -> _Floor:
    """Return the footprint in its own frame: floor less cores, columns apart, doors."""
    outline = Polygon(footprint.outline())
    simple = outline.simplify(_SIMPLIFY_M, preserve_topology=True)
    corners = len(simple.exterior.coords) - 1
    if corners > _MAX_CORNERS:
        raise LayoutError(
            f"the outline has {corners} corners even after dropping those within "
            f"{_SIMPLIFY_M * 100:.0f} cm of a straight line; a floor plan needs under "
            f"{_MAX_CORNERS} (simplify the drawing's curves)"
        )
    assert isinstance(simple, Polygon), "simplifying keeps a polygon"
    main = next(e for e in footprint.entrances if e.kind in ("main", "side"))
    if any(e.kind == "main" for e in footprint.entrances):
        main = next(e for e in footprint.entrances if e.kind == "main")
    frame = BuildingFrame.for_footprint(list(simple.exterior.coords)[:-1], main.at)
    floor = frame.polygon_to_local(simple)
    solids = [
        frame.polygon_to_local(Polygon(o.polygon))
        for o in footprint.obstacles
        if o.kind in _SOLID_KINDS
    ]
    columns = [
        frame.polygon_to_local(Polygon(o.polygon))
        for o in footprint.obstacles
        if o.kind == "column"
    ]
    solid = unary_union(solids) if solids else Polygon()
    usable = floor.difference(solid) if solids else floor
    # Cores drawn within a millimetre of the façade leave hair-thin slivers: drop them.
    usable = usable.buffer(-5e-4, join_style="mitre").buffer(5e-4, join_style="mitre")
    if usable.geom_type != "Polygon":
        parts = [g for g in getattr(usable, "geoms", []) if isinstance(g, Polygon)]
        if not parts:
            raise LayoutError("cores and shafts fill the whole floor")
        usable = max(parts, key=lambda g: g.area)
    assert isinstance(usable, Polygon), "the usable floor is one polygon"
    return _Floor(
        frame=frame,
        floor=usable,
        solids=solid,
        columns=columns,
        entrance=frame.to_local(main.at),
        staff_doors=[
            (frame.to_local(e.at), e.width_m) for e in footprint.entrances if e.kind == "staff"
        ],
        entrances=[frame.to_local(e.at) for e in footprint.entrances],
    )


def _check_capacity(program: Program, local: _Floor, case: Case) -> None:
    """Fail early, with the shortfall in m², when the rooms and corridors cannot fit the floor."""
    floor = local.floor.area
    net = program.totals.net_m2
    corridors = 0.10 * net  # the least circulation a corridor plan of rooms needs
    if net + corridors > floor:
        short = net + corridors - floor
        raise LayoutError(
            f"the programme needs {net:.0f} m² of rooms and at least {corridors:.0f} m² of "
            f"corridors, but the floor has {floor:.0f} m²: {short:.0f} m² short "
            f"(scenario '{case.scenario.name}')"
        )
