"""Derive a building footprint from an architect's DXF drawing: outline, cores, columns, doors.

Real drawings have no closed outline: walls are LINEs, often a pair per wall with gaps at
doors, door swings are ARCs, layers are named in any language or bound from an xref, units are
anything and the building stands far from the origin, turned. :func:`import_footprint` reads
the wall layers (found by name, or given), closes the gaps, takes the inner face of the outer
wall as the usable floor and returns it in metres **in the drawing's own coordinates** (not
moved, not turned), so a plan exported later overlays the drawing; with it the other buildings
on the sheet, the cores and columns, and the doors in the outer wall as entrance candidates.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.affinity
from pydantic import ValidationError
from shapely.geometry import LineString, Point as ShapelyPoint, Polygon
from shapely.ops import unary_union

from configurator.dxf._common import (
    ENTRANCE_KINDS,
    ENTRANCE_LAYER,
    OBSTACLE_LAYER,
    OUTLINE_LAYER,
    UNIT_CODES,
    Units,
    entrance_marks,
    factor_of,
    identifier,
    known_kind,
    obstacle_kind_of_layer,
    override_factor,
    read_drawing,
    read_xdata,
)
from configurator.dxf.linework import Piece, TooManyEntitiesError, layer_role, pieces
from configurator.dxf.outline import (
    Building,
    DoorSwing,
    buildings_from_walls,
    clean_polygon,
    door_swings,
    joined_strokes,
    polygons_of,
)
from configurator.inputs.audit import audit_footprint
from configurator.model import schema
from configurator.model.errors import ConfigError, Problem
from configurator.model.schema import Footprint

__all__ = [
    "EntranceCandidate",
    "FootprintImport",
    "candidate_at",
    "checked_footprint",
    "entrances_from",
    "footprint_from_dxf",
    "import_footprint",
]

_BUILDING_M = (5.0, 500.0)
"""A building is this many metres across, at least and at most; a sheet of several up to 4 × the
most (the units check)."""
_ENCLOSING = ("wall", "glazing", "door")
_COVER_M = 0.06
"""A stretch of the outer face within this of a line is covered (not a gap)."""


@dataclass(frozen=True)
class EntranceCandidate:
    """A door in the outer wall: middle on the outline, width, inward normal, leaves (0: a gap)."""

    at: tuple[float, float]
    width_m: float
    along_m: float
    inward: tuple[float, float]
    leaves: int


@dataclass(frozen=True)
class FootprintImport:
    """What the import derived: the footprint and everything a person checks it by."""

    path: Path
    units: str
    factor: float
    layers: list[str]
    buildings: list[Building]
    chosen: int
    footprint: Footprint
    candidates: list[EntranceCandidate]
    notes: list[str]
    source_lines: list[LineString] = field(repr=False)
    extent: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    storeys: tuple[tuple[str, float], ...] = ()
    """A building model's storeys (name, elevation m), lowest first; a drawing has none."""
    storey: str | None = None
    """The storey the footprint is of (a building model's)."""


def import_footprint(
    path: Path,
    *,
    layers: Sequence[str] = (),
    units: Units | None = None,
    building: int | None = None,
    entrances: Sequence[schema.Entrance] = (),
    snap_m: float = 1.0,
) -> FootprintImport:
    """Derive the footprint of one building on a DXF drawing; see the module docstring.

    ``layers`` are the wall layers (found by name when empty); ``units`` overrides
    ``$INSUNITS``; ``building`` picks one of several (1 = the largest, the default). Entrances
    come from marks on ``A-FLOR-ENTR`` if the drawing has any, else from ``entrances`` (the
    scenario's) snapped onto the outline within ``snap_m``, else from the doors in the outer
    wall (the widest is the main entrance). Raises :class:`ConfigError` with a code, the file
    and the layer when no outline can be derived.
    """
    path = Path(path)
    doc = read_drawing(path)
    notes: list[str] = []
    skipped: list[str] = []
    try:
        raw = pieces(doc.modelspace(), 1.0, skipped=skipped)
    except TooManyEntitiesError as exc:
        raise ConfigError(
            [
                Problem(
                    "E545",
                    f"the drawing expands to {exc}: blocks inserted in blocks, or arrays of "
                    "them, multiply past what a floor plan holds; explode or purge them in CAD, "
                    "or export the floor's walls alone",
                    path,
                )
            ]
        ) from None
    if skipped:
        notes.append(
            f"{len(skipped)} entities ezdxf cannot read were left out (first: {skipped[0]})"
        )
    if not raw:
        raise ConfigError(
            [Problem("E540", "the drawing has no lines, arcs or polylines to find walls in", path)]
        )
    wall_pieces, chosen_layers, loose = _wall_pieces(raw, layers, path, notes)
    factor, unit_name = _units(doc, path, units, wall_pieces, notes)
    scaled = _scaled(raw, factor)
    walls = [p for p in scaled if p.layer in chosen_layers and not (loose and p.block)]
    buildings, swings, lines = _buildings(walls)
    if not buildings and not layers:
        floors = sorted({p.layer for p in scaled if p.role == "floor"})
        if floors:
            walls += [p for p in scaled if p.layer in floors]
            buildings, swings, lines = _buildings(walls)
            if buildings:
                chosen_layers = sorted(set(chosen_layers) | set(floors))
                notes.append(
                    "the wall layers enclose nothing (free-standing walls); the floor edge on "
                    f"{', '.join(floors)} closes the outline"
                )
    if not buildings:
        raise ConfigError(
            [
                Problem(
                    "E541",
                    f"no outline: the {len(walls)} lines on layer(s) {', '.join(chosen_layers)} "
                    "enclose no floor of 15 m² or more, even with gaps up to 2.5 m closed "
                    "(free-standing walls?); name the layers that close the building with "
                    "--layer",
                    path,
                    path=", ".join(chosen_layers),
                )
            ]
        )
    chosen = _choose(buildings, building, path, notes)
    picked = buildings[chosen - 1]
    floor = clean_polygon(Polygon(picked.floor.exterior))
    obstacles = _obstacles(scaled, picked, floor, doc, notes)
    candidates = _candidates(swings, lines, picked, floor)
    found = _entrances(doc, path, factor, floor, entrances, candidates, snap_m, notes)
    windows = _windows(scaled, floor, picked)
    footprint = checked_footprint(floor, found, obstacles, windows, path)
    box = shapely.total_bounds([p.line for p in walls]) if walls else (0.0, 0.0, 1.0, 1.0)
    return FootprintImport(
        path=path,
        units=unit_name,
        factor=factor,
        layers=sorted(chosen_layers),
        buildings=buildings,
        chosen=chosen,
        footprint=footprint,
        candidates=candidates,
        notes=notes,
        source_lines=[p.line for p in scaled if p.role != "ignore"],
        extent=(float(box[0]), float(box[1]), float(box[2]), float(box[3])),
    )


def checked_footprint(
    floor: Polygon,
    entrances: list[schema.Entrance],
    obstacles: list[schema.Obstacle],
    windows: list[tuple[tuple[float, float], tuple[float, float]]],
    path: Path,
) -> Footprint:
    """Return the footprint section a drawing or a model gave, checked like a scenario's
    (E528 for an invalid one, the footprint audit's E5xx), naming the file it came from."""
    try:
        footprint = Footprint(
            polygon=[(x, y) for x, y in list(floor.exterior.coords)[:-1]],
            entrances=entrances,
            obstacles=obstacles,
            windows=windows or "all",
        )
    except ValidationError as exc:
        raise ConfigError(
            [Problem("E528", e["msg"], path) for e in exc.errors(include_url=False)]
        ) from None
    problems = [Problem(p.code, p.message, path, path=p.path) for p in audit_footprint(footprint)]
    if problems:
        raise ConfigError(problems)
    return footprint


def footprint_from_dxf(
    path: Path,
    *,
    layers: Sequence[str] = (),
    units: Units | None = None,
    building: int | None = None,
    entrances: Sequence[schema.Entrance] = (),
    snap_m: float = 1.0,
) -> Footprint:
    """Return the footprint :func:`import_footprint` derives (for ``plan --footprint-dxf``)."""
    return import_footprint(
        path, layers=layers, units=units, building=building, entrances=entrances, snap_m=snap_m
    ).footprint


# --------------------------------------------------------------------------- walls and units


def _wall_pieces(
    raw: list[Piece], layers: Sequence[str], path: Path, notes: list[str]
) -> tuple[list[Piece], list[str], bool]:
    """Return the pieces the outline is made from, their layers, and whether blocks are left out.

    Layers given, else found by name, else every layer not named as something else (then only
    what is drawn in model space: blocks there are furniture).
    """
    present = sorted({p.layer for p in raw})
    loose = False
    if layers:
        wanted = {name.upper() for name in layers}
        chosen = [name for name in present if name.upper() in wanted]
        missing = sorted(wanted - {name.upper() for name in chosen})
        if missing:
            raise ConfigError(
                [
                    Problem(
                        "E542",
                        f"no lines on layer(s) {', '.join(missing)}; the drawing's layers with "
                        f"lines: {', '.join(present)}",
                        path,
                        path=", ".join(missing),
                    )
                ]
            )
    elif OUTLINE_LAYER in present:
        chosen = [OUTLINE_LAYER]
        notes.append(f"outline from layer {OUTLINE_LAYER} (drawn by this tool)")
    else:
        poche = {p.layer for p in raw if p.kind == "HATCH"}  # walls drawn as hatches
        chosen = [name for name in present if layer_role(name) in _ENCLOSING or name in poche]
        if not any(layer_role(name) == "wall" or name in poche for name in chosen):
            # Walls drawn straight in model space; blocks on such layers are furniture.
            loose = True
            raw = [p for p in raw if not p.block]
            chosen = sorted({p.layer for p in raw if p.role == "other"})
            notes.append(
                "no layer is named as walls (WALL, MUR, WAND, SEINÄ, 墙, …); the outline is "
                f"taken from the lines on {', '.join(chosen) or 'no layer'}; pass --layer to "
                "choose"
            )
        else:
            notes.append(f"wall layers found by name: {', '.join(chosen)}")
    if not chosen:
        raise ConfigError(
            [
                Problem(
                    "E541",
                    "no wall lines: every layer with lines is text, hatching, furniture or the "
                    f"like ({', '.join(present)}); name the wall layers with --layer",
                    path,
                )
            ]
        )
    kept = set(chosen)
    return [p for p in raw if p.layer in kept], chosen, loose


def _units(
    doc: Any, path: Path, override: str | None, walls: list[Piece], notes: list[str]
) -> tuple[float, str]:
    """Return the factor to metres and the unit's name, checked against the drawing's size."""
    box = shapely.total_bounds([p.line for p in walls])
    across = max(float(box[2] - box[0]), float(box[3] - box[1]))
    low, high = _BUILDING_M
    fitting = [n for n in ("mm", "cm", "m", "in", "ft", "dm") if low <= across * factor_of(n)]
    fitting = [n for n in fitting if across * factor_of(n) <= high * 4]
    if override is not None:
        return override_factor(override, path), override
    code = int(doc.header.get("$INSUNITS", 0))
    names = {c: n for n, c in UNIT_CODES.items()}
    if code not in names:
        sizes = ", ".join(f"{n}: {across * factor_of(n):.1f} m" for n in fitting) or "none fits"
        raise ConfigError(
            [
                Problem(
                    "E520",
                    f"unknown units: $INSUNITS = {code} "
                    f"({'unitless' if code == 0 else 'a unit this tool does not read'}); "
                    f"the walls are {across:g} "
                    f"units across ({sizes}); pass --units (one of {', '.join(UNIT_CODES)})",
                    path,
                    path="$INSUNITS",
                )
            ]
        )
    name = names[code]
    metres = across * factor_of(name)
    if not low <= metres <= high * 4:
        likely = [n for n in fitting if n != name]
        hint = (
            f"; it looks drawn in {likely[0]} ({across * factor_of(likely[0]):.1f} m across)"
            if likely
            else ""
        )
        raise ConfigError(
            [
                Problem(
                    "E543",
                    f"the drawing says $INSUNITS = {code} ({name}), which makes the walls "
                    f"{metres:.4g} m across, not a building's 5 m to a site's 2 km{hint}; "
                    "pass --units",
                    path,
                    path="$INSUNITS",
                )
            ]
        )
    return factor_of(name), name


def _scaled(raw: list[Piece], factor: float) -> list[Piece]:
    """Return the pieces in metres (all lines scaled at once: a storey may be 200 000)."""
    from configurator.dxf.linework import Arc

    if factor == 1.0:
        return raw
    lines = shapely.transform(np.array([p.line for p in raw], dtype=object), lambda c: c * factor)
    out = []
    for piece, line in zip(raw, lines, strict=True):
        arc = piece.arc
        if arc is not None:
            arc = Arc((arc.centre[0] * factor, arc.centre[1] * factor), arc.radius * factor,
                      arc.start, arc.end)  # fmt: skip
        out.append(dataclasses.replace(piece, line=line, arc=arc))
    return out


def _buildings(walls: list[Piece]) -> tuple[list[Building], list[DoorSwing], list[LineString]]:
    """Return the buildings the wall pieces enclose (door swings left out) and the swings."""
    arcs = [(p.arc.centre, p.arc.radius, p.arc.start, p.arc.end) for p in walls if p.arc]
    swings, leaves = door_swings(arcs, [p.line for p in walls])
    swung = {(s.hinge, s.radius) for s in swings}
    lines = [
        p.line
        for i, p in enumerate(walls)
        if i not in leaves and not (p.arc is not None and (p.arc.centre, p.arc.radius) in swung)
    ]
    # a wall tessellated into thousands of short strokes is one line again (the door leaves are
    # out first: one drawn in line with its jamb would join it)
    lines = joined_strokes(lines)
    return buildings_from_walls(lines), swings, lines


def _choose(buildings: list[Building], wanted: int | None, path: Path, notes: list[str]) -> int:
    if wanted is not None and not 1 <= wanted <= len(buildings):
        listing = "; ".join(f"{n}: {b.floor.area:.0f} m²" for n, b in enumerate(buildings, start=1))
        raise ConfigError(
            [
                Problem(
                    "E544",
                    f"--building {wanted}: the drawing has {len(buildings)} building(s) "
                    f"({listing})",
                    path,
                )
            ]
        )
    if len(buildings) > 1 and wanted is None:
        notes.append(
            f"{len(buildings)} buildings on the drawing; took the largest (1); "
            "pass --building N for another"
        )
    return wanted or 1


# --------------------------------------------------------------------------- inside the building


def _components(lines: list[LineString]) -> list[Polygon]:
    """Group touching strokes into shapes; return each one's convex hull."""
    if not lines:
        return []
    blobs = polygons_of(unary_union([line.buffer(0.03) for line in lines]))
    hulls = []
    for blob in blobs:
        members = [line for line in lines if line.intersects(blob)]
        hulls.append(shapely.convex_hull(shapely.MultiLineString(members)))
    return [h for h in hulls if isinstance(h, Polygon) and h.area > 0]


def _core_kind(piece: Piece, marked: dict[str, str]) -> str:
    """The obstacle kind of a core stroke: our XDATA, else its layer's or block's name."""
    if piece.handle in marked:
        return marked[piece.handle]
    for name in (piece.layer, *piece.blocks):
        kind = obstacle_kind_of_layer(name)
        if kind != "other":
            return kind
    return "stair"


def _obstacles(
    scaled: list[Piece], picked: Building, floor: Polygon, doc: Any, notes: list[str]
) -> list[schema.Obstacle]:
    """Cores from core layers and blocks, columns from column layers, holes in the floor.

    A core is a closed shape or a connected group of strokes (its convex hull) on a stair,
    lift or shaft layer or in a block named so, at any depth of nesting; its kind comes from
    our XDATA (an exported plan read back), else from the layer or block name.
    """
    marked = {
        str(e.dxf.handle): str(kind)
        for e in doc.modelspace().query("LWPOLYLINE")
        if e.dxf.layer.upper() == OBSTACLE_LAYER and (kind := read_xdata(e).get("obstacle_kind"))
    }
    cores: list[tuple[str, Polygon]] = []
    groups: dict[tuple[str, str, str], list[LineString]] = {}
    block_roles: dict[str, str] = {}

    def core_block(name: str) -> bool:
        if name not in block_roles:
            block_roles[name] = layer_role(name)
        return block_roles[name] == "core"

    for piece in scaled:
        if piece.role != "core" and not any(core_block(name) for name in piece.blocks):
            continue
        if piece.line.distance(floor) > 0.5:
            continue
        kind = _core_kind(piece, marked)
        if piece.closed and Polygon(piece.line.coords).area >= 1.0:
            cores.append((kind, Polygon(piece.line.coords)))
        else:
            groups.setdefault((piece.handle if piece.blocks else "", piece.layer, kind), []).append(
                piece.line
            )
    for (_, _, kind), group in groups.items():
        cores += [(kind, h) for h in _components(group) if h.area >= 1.5]
    columns = [
        h
        for h in _components(
            [p.line for p in scaled if p.role == "column" and floor.intersects(p.line)]
        )
        if max(h.bounds[2] - h.bounds[0], h.bounds[3] - h.bounds[1]) <= 1.5
    ]
    kept: list[tuple[str, Polygon]] = []
    for kind, shape in sorted(cores, key=lambda c: -c[1].area):
        if not any(k.buffer(0.05).contains(shape) for _, k in kept):
            kept.append((kind, shape))
    shapes = [*kept, *(("column", c) for c in columns)]
    shapes += [("hole", Polygon(h)) for h in picked.floor.interiors]
    obstacles: list[schema.Obstacle] = []
    counts: dict[str, int] = {}
    for kind, shape in shapes:
        inside = shape.intersection(floor)
        parts = [p for p in polygons_of(inside) if p.area >= 0.02]
        if not parts or sum(p.area for p in parts) < 0.5 * shape.area:
            continue
        part = clean_polygon(max(parts, key=lambda p: p.area), tolerance=0.01)
        if part.is_empty or len(part.exterior.coords) < 4:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        obstacles.append(
            schema.Obstacle(
                id=f"{kind}_{counts[kind]}",
                kind=known_kind("other" if kind == "hole" else kind),
                polygon=[(x, y) for x, y in list(part.exterior.coords)[:-1]],
            )
        )
    if counts:
        words = {"hole": ("enclosed hole", "enclosed holes")}
        notes.append(
            "found "
            + ", ".join(
                f"{n} {words.get(k, (k, k + 's'))[n > 1]}" for k, n in sorted(counts.items())
            )
            + " (not floor)"
        )
    return obstacles


# --------------------------------------------------------------------------- entrances, windows


def _candidates(
    swings: list[DoorSwing], lines: list[LineString], picked: Building, floor: Polygon
) -> list[EntranceCandidate]:
    """Doors in the outer wall, along the outline: swings (double doors joined), then gaps.

    A door swing counts when its opening runs along the façade; a gap is a stretch of the outer
    face 0.8-2.6 m long that no wall, glazing or door line covers (a door drawn as an opening
    only, as filtered drawings have them), with ``leaves`` 0.
    """
    ring = floor.exterior
    reach = max(picked.wall_m, 0.1) + 0.5
    on_wall: list[tuple[LineString, int]] = []
    for swing in swings:
        opening = swing.opening
        middle = opening.interpolate(0.5, normalized=True)
        if picked.outer.exterior.distance(middle) > reach or ring.distance(middle) > reach:
            continue
        (ax, ay), (bx, by) = opening.coords
        edge = _nearest_edge(ring, middle)
        cross = abs((bx - ax) * edge[1] - (by - ay) * edge[0]) / max(opening.length, 1e-9)
        if cross > 0.35:  # the opening crosses the façade: a door in a wall meeting it
            continue
        on_wall.append((opening, 1))
    joined = True
    while joined:
        joined = False
        for i in range(len(on_wall)):
            for j in range(i + 1, len(on_wall)):
                a, b = on_wall[i][0], on_wall[j][0]
                if a.distance(b) <= 0.15:
                    ends = list(a.coords) + list(b.coords)
                    far = max(((p, q) for p in ends for q in ends), key=lambda pq: math.dist(*pq))
                    on_wall[i] = (LineString(far), on_wall[i][1] + on_wall[j][1])
                    del on_wall[j]
                    joined = True
                    break
            if joined:
                break
    face = picked.outer.exterior
    covered = _band(_near(lines, face, 0.1), _COVER_M)
    open_face = face.difference(covered)
    for part in getattr(open_face, "geoms", [open_face]):
        if not isinstance(part, LineString) or not 0.8 <= part.length <= 2.6:
            continue
        if any(part.distance(opening) < 0.5 for opening, _ in on_wall):
            continue
        on_wall.append((part, 0))
    candidates = [
        candidate_at(
            floor,
            opening.interpolate(0.5, normalized=True),
            opening.length + (0 if leaves else 2 * _COVER_M),
            leaves,
        )
        for opening, leaves in on_wall
    ]
    return sorted(candidates, key=lambda c: c.along_m)


def candidate_at(
    floor: Polygon, middle: ShapelyPoint, width: float, leaves: int
) -> EntranceCandidate:
    """Return the entrance candidate of a door whose opening's middle is near the outline:
    put onto the outline, with its width (0.9-10 m), place along it and inward normal."""
    ring = floor.exterior
    along = float(ring.project(middle))
    at = ring.interpolate(along)
    ux, uy = _nearest_edge(ring, at)
    inward = (
        (-uy, ux) if floor.contains(ShapelyPoint(at.x - uy * 0.2, at.y + ux * 0.2)) else (uy, -ux)
    )
    return EntranceCandidate(
        at=(round(float(at.x), 3), round(float(at.y), 3)),
        width_m=round(min(10.0, max(0.9, width)), 2),
        along_m=round(along, 2),
        inward=inward,
        leaves=leaves,
    )


def _near(lines: list[LineString], geometry: Any, distance: float) -> list[LineString]:
    """The lines within a distance of a geometry (a spatial index query, not a scan)."""
    if not lines:
        return []
    found = shapely.STRtree(lines).query(geometry, predicate="dwithin", distance=distance)
    return [lines[i] for i in sorted(found)]


def _band(lines: list[LineString], radius: float) -> Any:
    """The area within ``radius`` of the lines: each buffered, then joined (faster than one)."""
    if not lines:
        return Polygon()
    return unary_union(shapely.buffer(lines, radius))


def _nearest_edge(ring: Any, point: ShapelyPoint) -> tuple[float, float]:
    coords = list(ring.coords)
    a, b = min(itertools.pairwise(coords), key=lambda e: LineString(e).distance(point))
    length = math.dist(a, b) or 1.0
    return (b[0] - a[0]) / length, (b[1] - a[1]) / length


def _entrances(
    doc: Any,
    path: Path,
    factor: float,
    floor: Polygon,
    given: Sequence[schema.Entrance],
    candidates: list[EntranceCandidate],
    snap_m: float,
    notes: list[str],
) -> list[schema.Entrance]:
    """Marks on the entrance layer, else the scenario's entrances, else the doors found."""
    ring = floor.exterior
    marks = entrance_marks(doc, ENTRANCE_LAYER, factor)
    if marks:
        entrances, visitors = [], 0
        for n, mark in enumerate(marks, start=1):
            kind = ENTRANCE_KINDS.get(mark.kind or "") or ("main" if visitors == 0 else "side")
            visitors += kind != "staff"
            fallback = f"{'staff_' if kind == 'staff' else ''}entrance_{n}"
            entrances.append(
                schema.Entrance(
                    id=identifier(mark.ident or fallback, fallback),
                    at=_snap(ring, mark.at),
                    width_m=min(10.0, max(0.9, mark.width or (1.2 if kind == "staff" else 1.8))),
                    kind=kind,
                )
            )
        gaps = [ring.distance(ShapelyPoint(m.at)) for m in marks]
        if max(gaps) > snap_m:
            raise ConfigError(
                [
                    Problem(
                        "E525",
                        f"entrance mark at ({m.at[0]:.2f}, {m.at[1]:.2f}) m is {g:.2f} m from "
                        f"the derived outline (snap tolerance {snap_m} m)",
                        path,
                        path=ENTRANCE_LAYER,
                    )
                    for m, g in zip(marks, gaps, strict=True)
                    if g > snap_m
                ]
            )
        notes.append(f"{len(entrances)} entrance(s) from the marks on {ENTRANCE_LAYER}")
        return entrances
    return entrances_from(floor, given, candidates, snap_m, notes, path, source="drawing")


def entrances_from(
    floor: Polygon,
    given: Sequence[schema.Entrance],
    candidates: list[EntranceCandidate],
    snap_m: float,
    notes: list[str],
    path: Path,
    *,
    source: str,
) -> list[schema.Entrance]:
    """The scenario's entrances snapped onto the outline, else the widest door found (the main
    entrance), else the middle of the longest façade; E525 names a given entrance too far off.
    ``source`` names what the outline came from in messages ("drawing", "model")."""
    ring = floor.exterior
    if given:
        gaps = [float(ring.distance(ShapelyPoint(e.at))) for e in given]
        if max(gaps) <= snap_m:
            notes.append(f"the scenario's {len(given)} entrance(s) snapped onto the outline")
            return [e.model_copy(update={"at": _snap(ring, e.at)}) for e in given]
        doors = "; ".join(
            f"D{n} ({c.at[0]:.2f}, {c.at[1]:.2f}) {c.width_m:.2f} m"
            for n, c in enumerate(candidates, start=1)
        )
        raise ConfigError(
            [
                Problem(
                    "E525",
                    f"the scenario's entrance {e.id!r} at {e.at} is {g:.2f} m from the outline "
                    f"derived from the {source} (snap tolerance {snap_m} m); doors in its outer "
                    f"wall: {doors or 'none found'}; put the entrances in the scenario "
                    "(`configurator footprint` writes them)",
                    path,
                    path=f"entrances[{i}]",
                )
                for i, (e, g) in enumerate(zip(given, gaps, strict=True))
                if g > snap_m
            ]
        )
    if candidates:
        main = max(candidates, key=lambda c: (c.leaves > 0, c.width_m, -c.along_m))
        what = "door" if main.leaves else "gap (no door swing drawn in the outer wall)"
        notes.append(
            f"main entrance: the widest {what} ({main.width_m:.1f} m at {main.along_m:.1f} m "
            f"along the outline) of {len(candidates)} candidates"
        )
        return [schema.Entrance(id="main_entrance", at=_snap(ring, main.at), width_m=main.width_m)]
    coords = list(ring.coords)
    a, b = max(itertools.pairwise(coords), key=lambda e: math.dist(*e))
    middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    notes.append(
        "no door found in the outer wall: the main entrance is put at the middle of the "
        f"longest façade ({middle[0]:.1f}, {middle[1]:.1f}); move it to the real door"
    )
    return [schema.Entrance(id="main_entrance", at=_snap(ring, middle))]


def _snap(ring: Any, at: tuple[float, float]) -> tuple[float, float]:
    p = ring.interpolate(ring.project(ShapelyPoint(at)))
    return (round(float(p.x), 3), round(float(p.y), 3))


def _windows(
    scaled: list[Piece], floor: Polygon, picked: Building
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Façade stretches with glazing drawn within the outer wall's thickness of them."""
    glass = [p.line for p in scaled if p.role == "glazing"]
    if not glass:
        return []
    reach = max(picked.wall_m, 0.1) + 0.3
    near = _band(_near(glass, floor.exterior, reach), reach)
    windows = []
    coords = list(floor.exterior.coords)
    for a, b in itertools.pairwise(coords):
        covered = LineString([a, b]).intersection(near)
        for part in getattr(covered, "geoms", [covered]):
            if isinstance(part, LineString) and part.length >= 0.6:
                (x0, y0), (x1, y1) = part.coords[0], part.coords[-1]
                windows.append(((round(x0, 3), round(y0, 3)), (round(x1, 3), round(y1, 3))))
    return windows
