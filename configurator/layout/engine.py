"""Lay out the space programme in the footprint: one floor-plan option per strategy and seed.

The option is built in the building's own frame (:class:`configurator.model.geometry.BuildingFrame`)
so that a turned building gives the same plan, as a stack of bands (:mod:`.strategies`), and
finished into a plan in the drawing's coordinates (:mod:`.assemble`). Auditing, scoring and
ranking the options is the review's job (:mod:`configurator.review.options`).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator.inputs.catalog import Case
from configurator.layout.assemble import plan_from_sketch
from configurator.layout.spare import SpareBrief
from configurator.layout.strategies import Strategy, sketch_for
from configurator.layout.units import units_from_program
from configurator.model.errors import LayoutError
from configurator.model.geometry import BuildingFrame
from configurator.model.plan import Plan
from configurator.model.schema import Footprint
from configurator.sizing.program import Program

__all__ = ["check_capacity", "plan_from_program"]

_SIMPLIFY_M = 0.01
"""Outline corners closer than this to the line through their neighbours are dropped."""
_MAX_CORNERS = 2000
"""More corners than this, even simplified, is no floor plan (a tessellated site boundary)."""
_SOLID_KINDS = frozenset({"stair", "lift", "shaft", "courtyard", "other"})
_HALL_MIN = 1.05
"""The least hall over the open areas it holds (a little walking space beside them)."""


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
    windows: list[tuple[tuple[float, float], tuple[float, float]]]
    """Windowed façade segments (local frame): the whole outline when the scenario says all."""


def plan_from_program(
    program: Program, *, case: Case, strategy: Strategy, seed: int, wide_first: bool = True
) -> Plan:
    """Lay out one option with one strategy and seed; raise :class:`LayoutError` if it fails.

    The plan is not audited here; :func:`configurator.review.options_from_case` drops options the
    audit rejects. Where the floor has room to spare (more than the spare areas' threshold over
    the programme), staff corridors are first laid out as wide as a wheelchair's turning circle,
    so they need no turning spaces along them (241/2017 §5); if that plan does not fit, at the
    scenario's width. ``wide_first=False`` goes straight to the scenario's width.
    """
    scenario = case.scenario
    local = _local_floor(scenario.footprint)
    _check_capacity(program, local, case)
    widths = [scenario.layout.staff_corridor_width_m]
    turning = scenario.rules.accessibility.turning_diameter_m
    need = program.totals.usable_m2
    roomy = _usable(local) - need > scenario.layout.spare.threshold_share * need
    if wide_first and roomy and widths[0] < turning:
        widths.insert(0, turning)
    for k, staff_w in enumerate(widths):
        try:
            return _laid_out(program, case, local, strategy, seed, staff_w)
        except LayoutError:
            if k + 1 == len(widths):
                raise
    raise AssertionError("unreachable: the last width raises")


def _laid_out(
    program: Program, case: Case, local: _Floor, strategy: Strategy, seed: int, staff_w: float
) -> Plan:
    """Lay out one option with staff corridors ``staff_w`` wide (see :func:`plan_from_program`)."""
    scenario = case.scenario
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
        staff_w=staff_w,
        rng=rng,
        variant=seed - scenario.seed,
        hall_rooms_m2=sum(u.area for u in lobby_units),
        solids=[
            g for g in getattr(local.solids, "geoms", [local.solids]) if isinstance(g, Polygon)
        ],
        windows=local.windows,
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
        floor=floor if isinstance(floor := band.shape(local.floor), Polygon) else None,
        spare=_spare_brief(program, local, case),
    )
    hall = sum(Polygon(c.polygon).area for c in plan.corridors if c.kind == "hall")
    need = _HALL_MIN * sum(u.area for u in open_units)
    if hall < need:
        raise LayoutError(
            f"the hall has {hall:.0f} m² for {need:.0f} m² of open areas with their walkways: "
            f"{need - hall:.0f} m² short"
        )
    return plan


def _spare_brief(program: Program, local: _Floor, case: Case) -> SpareBrief | None:
    """Return what the layout may keep spare, or None when the surplus is under the threshold."""
    settings = case.scenario.layout.spare
    need = program.totals.usable_m2
    surplus = _usable(local) - need
    if not settings.enabled or surplus <= settings.threshold_share * need:
        return None
    return SpareBrief(
        settings=settings,
        surplus_m2=surplus,
        circulation_m2=program.totals.circulation_m2,
        walk_m=case.scenario.layout.corridor_width_m,
    )


def _usable(local: _Floor) -> float:
    """Return the usable floor: the outline less cores and columns, m²."""
    return float(local.floor.area - sum(c.intersection(local.floor).area for c in local.columns))


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
        windows=_local_windows(footprint, frame, simple),
    )


def _local_windows(
    footprint: Footprint, frame: BuildingFrame, outline: Polygon
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Return the windowed façade segments in the local frame."""
    if footprint.windows == "all":
        ring = list(outline.exterior.coords)
        segments = list(itertools.pairwise(ring))
    else:
        segments = [(a, b) for a, b in footprint.windows]
    return [(frame.to_local(a), frame.to_local(b)) for a, b in segments]


def check_capacity(program: Program, case: Case) -> None:
    """Fail early, with the shortfall in m², when the programme cannot fit the scenario's floor."""
    _check_capacity(program, _local_floor(case.scenario.footprint), case)


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
