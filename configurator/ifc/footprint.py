"""Derive a footprint from an IFC building model: one storey's outline, cores, columns, doors.

The owner's building usually comes as an inventory model (IFC2X3 or IFC4) rather than a
drawing. :func:`import_model_footprint` picks a storey (by name, else the entrance level, else
the one nearest ground level), triangulates its elements with ifcopenshell's geometry kernel in
world coordinates (metres whatever the file's unit; openings not cut, so a wall's footprint is
whole), and reads from their plan projections:

* the outline: the outer face of the walls and spaces together (curtain walls with their parts);
  from the spaces alone where the storey has no walls, from the floor slabs where it has
  neither (the notes say which); the usable floor is the outline less the outer walls;
* cores: stairs and lifts (a stair of the storey below that rises into this one too) and the
  spaces named as stairs, lifts or shafts; columns standing on the floor;
* entrance candidates: the doors whose opening lies in the outer wall (the opening element,
  not the door's body, which may stick out; the IsExternal flag is not trusted alone);
* windowed façade: the windows' openings along the outer wall.

It returns the same :class:`FootprintImport` as the DXF import, in the model's world
coordinates (no map conversion), so the CLI, the preview and the UI treat both alike.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.element
import ifcopenshell.util.placement
import ifcopenshell.util.unit
import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.ops import substring, unary_union

from configurator.dxf.footprint import (
    EntranceCandidate,
    FootprintImport,
    candidate_at,
    checked_footprint,
    entrances_from,
)
from configurator.dxf.outline import Building, clean_polygon, polygons_of
from configurator.model import schema
from configurator.model.errors import ConfigError, Problem
from configurator.model.schema import Footprint

__all__ = [
    "MAX_MODEL_BYTES",
    "MAX_STOREY_ELEMENTS",
    "footprint_from_model",
    "import_model_footprint",
    "model_storey",
]

MAX_MODEL_BYTES = 400_000_000
"""A model file larger than this is refused (E553) before it is parsed: ~30 times the largest
real model tried, and about what two cores read in a minute."""
MAX_STOREY_ELEMENTS = 50_000
"""A storey with more elements than this to triangulate is refused (E553)."""
MAX_STOREY_TRIANGLES = 400_000
"""A storey whose bodies triangulate to more than this is refused (E553): Office A's ground
floor has 30 000; a 10 MB file can hold one slab of 320 000 that takes two minutes to project."""
SCHEMAS = tuple(n for n in ifcopenshell.ifcopenshell_wrapper.schema_names() if n.startswith("IFC"))
"""The schemas read: those ifcopenshell knows (IFC2X3, IFC4, IFC4X3_ADD2 in 0.9)."""
_MAX_NESTING = 64
"""Placements relative to placements deeper than this (or in a loop) are a broken file."""

_CLOSE_M = 0.15
"""Gaps up to twice this between walls (and a wall and a space) are closed into the outline."""
_SIMPLIFY_M = 0.02
_DOOR_REACH_M = 0.45
"""A door whose opening's middle is within this of the outer face is in the outer wall."""
_MIN_FLOOR_M2 = 15.0
_WALLS = ("IfcWall", "IfcCurtainWall", "IfcPlate", "IfcMember")
"""Walls: plates and members count only as parts of a curtain wall (a glass balustrade round
a terrace is not the building's outline)."""
_CORE_ELEMENTS = ("IfcStair", "IfcStairFlight", "IfcTransportElement")
_READ = (
    *_WALLS,
    "IfcSpace",
    "IfcSlab",
    "IfcColumn",
    "IfcDoor",
    "IfcWindow",
    "IfcOpeningElement",
    *_CORE_ELEMENTS,
)
_CORE_WORDS = {
    "stair": ("STAIR", "STAIRS", "STAIRWAY", "STAIRCASE", "TREPPE", "TREPPENHAUS", "PORRAS",
              "PORRASHUONE", "PORRASKÄYTÄVÄ", "TRAPPA", "TRAPPHUS", "ESCALIER", "ESCALERA"),
    "lift": ("ELEV", "ELEVATOR", "LIFT", "AUFZUG", "HISSI", "HISS", "ASCENSEUR"),
    "shaft": ("SHAFT", "SCHACHT", "KUILU", "SCHAKT", "GAINE"),
}  # fmt: skip
"""A space is a core when its name starts with one of these words (any language the models
come in) and names nothing else (an 'ELEV EQ RM' is a machine room, not the lift)."""
_NOT_CORE = {"EQ", "EQUIP", "EQUIPMENT", "RM", "ROOM", "MACHINE", "LOBBY", "HALL", "VESTIBULE",
             "AULA", "KONEHUONE", "TECHNIK", "VORRAUM", "AREA"}  # fmt: skip


@dataclass(frozen=True)
class _Element:
    """One triangulated element: its entity, its plan projection and its height range."""

    entity: Any
    shape: Polygon
    z: tuple[float, float]


def import_model_footprint(
    path: Path,
    *,
    storey: str | None = None,
    entrances: Sequence[schema.Entrance] = (),
    snap_m: float = 1.0,
    max_bytes: int = MAX_MODEL_BYTES,
    max_elements: int = MAX_STOREY_ELEMENTS,
    max_triangles: int = MAX_STOREY_TRIANGLES,
) -> FootprintImport:
    """Derive the footprint of one storey of an IFC model; see the module docstring.

    ``storey`` is a storey's name (any case; ``#id`` for one with no name or a name two storeys
    share); the entrance level or the storey nearest ground level when None. Entrances: the
    scenario's snapped onto the outline within ``snap_m``, else the doors in the outer wall (the
    widest is the main entrance). Raises :class:`ConfigError` with a code (E550-E557) and the
    file when the model cannot give a footprint.
    """
    path = Path(path)
    model = _open(path, max_bytes)
    notes: list[str] = []
    scale = float(ifcopenshell.util.unit.calculate_unit_scale(model))
    levels = _levels(model, scale, path)
    chosen = _storey(levels, storey, path, notes)
    above = [lv.z for lv in levels if lv.z > chosen.z + 1.0]
    top = min(above) if above else chosen.z + 3.0
    members = [e for e in ifcopenshell.util.element.get_decomposition(chosen.entity) if _read(e)]
    below = [lv for lv in levels if lv.z < chosen.z - 1.0]
    if below:  # a stair of the storey below that rises into this one
        members += [
            e
            for e in ifcopenshell.util.element.get_decomposition(below[-1].entity)
            if any(e.is_a(k) for k in _CORE_ELEMENTS)
        ]
    members = _worth_reading(model, members)
    if len(members) > max_elements:
        raise ConfigError(
            [
                Problem(
                    "E553",
                    f"storey {chosen.label!r} has {len(members):,} elements to read, more than "
                    f"{max_elements:,}: export the storey's walls, spaces, doors and cores alone",
                    path,
                )
            ]
        )
    _check_placements(members, path)
    elements = _triangulated(model, members, path, notes, max_triangles)
    ground = [e for e in elements if not any(e.entity.is_a(k) for k in _CORE_ELEMENTS)]
    ground += [e for e in elements if any(e.entity.is_a(k) for k in _CORE_ELEMENTS)]
    outer, floor, method, walls = _outline(ground, chosen.label, path, notes)
    obstacles = _cores(elements, floor, chosen.z, top, notes) + _columns(elements, floor, notes)
    candidates = _doors(elements, outer, floor, scale, notes)
    found = entrances_from(floor, entrances, candidates, snap_m, notes, path, source="model")
    windows = _windows(elements, outer, floor, scale)
    footprint = checked_footprint(floor, found, obstacles, windows, path)
    lines = [LineString(list(w.shape.exterior.coords)) for w in walls]
    box = shapely.total_bounds([e.shape for e in ground]) if ground else (0.0, 0.0, 1.0, 1.0)
    return FootprintImport(
        path=path,
        units=_unit_name(scale),
        factor=scale,
        layers=[method],
        buildings=[Building(outer=outer, floor=floor)],
        chosen=1,
        footprint=footprint,
        candidates=candidates,
        notes=notes,
        source_lines=lines,
        extent=(float(box[0]), float(box[1]), float(box[2]), float(box[3])),
        storeys=tuple((lv.label, round(lv.level, 3)) for lv in levels),
        storey=chosen.label,
    )


def footprint_from_model(
    path: Path,
    *,
    storey: str | None = None,
    entrances: Sequence[schema.Entrance] = (),
    snap_m: float = 1.0,
) -> Footprint:
    """Return the footprint :func:`import_model_footprint` derives (``plan --footprint-model``)."""
    return import_model_footprint(path, storey=storey, entrances=entrances, snap_m=snap_m).footprint


def model_storey(result: FootprintImport) -> schema.Storey | None:
    """Return the storey a model's footprint was taken from, as the scenario's ``storey``
    section: its name and level, and its height where the next storey up is at least a room
    height above (so an IFC export of a plan in it stands where it does in the model)."""
    if result.storey is None:
        return None
    levels = dict(result.storeys)
    level = levels[result.storey]
    higher = sorted(z for z in levels.values() if z > level + 1.0)
    if higher and higher[0] - level >= 2.7:
        return schema.Storey(name=result.storey, elevation_m=level,
                             height_m=round(higher[0] - level, 3))  # fmt: skip
    return schema.Storey(name=result.storey, elevation_m=level)


# --------------------------------------------------------------------------- reading the file


def _open(path: Path, max_bytes: int) -> ifcopenshell.file:
    """Open a model after checking, without parsing it, that it is an IFC file of a known
    schema and of a size two cores read in a minute."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            head = file.read(65_536)
    except OSError as exc:
        raise ConfigError(
            [Problem("E550", f"cannot read the model: {exc.strerror}", path)]
        ) from None
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()  # a byte-order mark some tools write
    if not head.startswith(b"ISO-10303-21"):
        kind = "a zip archive (an .ifczip? unzip it first)" if head[:2] == b"PK" else "not one"
        raise ConfigError(
            [
                Problem(
                    "E550",
                    f"not an IFC file: an IFC (STEP) file starts with ISO-10303-21; this is {kind}",
                    path,
                )
            ]
        )
    match = re.search(rb"FILE_SCHEMA\s*\(\s*\(\s*'([^']*)'", head)
    name = match.group(1).decode("ascii", "replace").strip().upper() if match else "none"
    if name not in SCHEMAS:
        raise ConfigError(
            [
                Problem(
                    "E552",
                    f"unknown IFC schema {name!r} in the header; read are {', '.join(SCHEMAS)}",
                    path,
                    path="FILE_SCHEMA",
                )
            ]
        )
    if size > max_bytes:
        raise ConfigError(
            [
                Problem(
                    "E553",
                    f"the model is {size / 1e6:,.0f} MB, more than the {max_bytes / 1e6:,.0f} MB "
                    "read: export the storey (or its walls, spaces, doors and cores) alone",
                    path,
                )
            ]
        )
    with path.open("rb") as file:
        file.seek(max(0, size - 4096))
        tail = file.read()
    if b"END-ISO-10303-21" not in tail:
        message = "the IFC file is cut short: it does not end with END-ISO-10303-21;"
        raise ConfigError([Problem("E551", message, path)])
    try:
        return ifcopenshell.open(str(path))
    except Exception as exc:  # ifcopenshell raises its own and plain errors for broken files
        raise ConfigError(
            [Problem("E551", f"the IFC file cannot be parsed: {exc}", path)]
        ) from None


@dataclass(frozen=True)
class _Level:
    """A storey: its entity, the label it is listed and chosen by, its level above the
    building's zero (its Elevation, m) and its placement's height in world metres."""

    entity: Any
    label: str
    level: float
    z: float


def _levels(model: ifcopenshell.file, scale: float, path: Path) -> list[_Level]:
    """Return the storeys, lowest first, each labelled by its name (``#id`` with none, and
    ``name (#id)`` where two share a name)."""
    found = model.by_type("IfcBuildingStorey")
    if not found:
        message = "the model has no storey (IfcBuildingStorey) to take a floor from"
        raise ConfigError([Problem("E554", message, path)])
    _check_placements(found, path)
    names = [str(s.Name) if s.Name else "" for s in found]
    levels = []
    for storey, name in zip(found, names, strict=True):
        label = name if name and names.count(name) == 1 else f"{name} (#{storey.id()})".strip()
        if not name:
            label = f"#{storey.id()}"
        z = _world_z(storey, scale, path)
        level = float(storey.Elevation) * scale if storey.Elevation is not None else z
        levels.append(_Level(storey, label, round(level, 6), z))
    return sorted(levels, key=lambda lv: (lv.level, lv.z, lv.entity.id()))


def _storey(levels: list[_Level], wanted: str | None, path: Path, notes: list[str]) -> _Level:
    """Return the storey to read: as asked, else the entrance level, else nearest ground."""
    listed = ", ".join(f"{lv.label} ({lv.level:g} m)" for lv in levels)
    if wanted is not None:
        key = wanted.casefold()
        named = [lv for lv in levels if lv.label.casefold() == key]
        named = named or [lv for lv in levels if f"#{lv.entity.id()}" == key]
        if not named:
            by_name = [lv for lv in levels if str(lv.entity.Name or "").casefold() == key]
            named = by_name if len(by_name) == 1 else []
        if not named:
            message = f"no storey named {wanted!r}; the model's storeys: {listed}"
            raise ConfigError([Problem("E555", message, path)])
        notes.append(f"storey {named[0].label!r} as asked (storeys: {listed})")
        return named[0]
    entrance = [
        lv
        for lv in levels
        if ifcopenshell.util.element.get_pset(
            lv.entity, "Pset_BuildingStoreyCommon", "EntranceLevel"
        )
        is True
    ]
    if entrance:
        notes.append(f"storey {entrance[0].label!r}: the entrance level (storeys: {listed})")
        return entrance[0]
    ground = [lv for lv in levels if lv.level >= -0.5] or levels
    chosen = min(ground, key=lambda lv: abs(lv.level))
    notes.append(
        f"storey {chosen.label!r}: the one nearest the building's zero level (storeys: "
        f"{listed}); choose another with --storey"
    )
    return chosen


def _world_z(entity: Any, scale: float, path: Path) -> float:
    """Return the height of an entity's placement in world metres."""
    if entity.ObjectPlacement is None:
        return float(entity.Elevation or 0.0) * scale if entity.is_a("IfcBuildingStorey") else 0.0
    try:
        matrix = ifcopenshell.util.placement.get_local_placement(entity.ObjectPlacement)
    except (AttributeError, RuntimeError, RecursionError, ValueError, TypeError) as exc:
        message = f"the placement of #{entity.id()} cannot be read ({type(exc).__name__})"
        raise ConfigError([Problem("E551", message, path)]) from None
    return round(float(matrix[2][3]) * scale, 6)


def _check_placements(entities: Sequence[Any], path: Path) -> None:
    """Refuse placements that loop or nest past :data:`_MAX_NESTING` (the geometry kernel
    crashes the process on a placement placed relative to itself)."""
    for entity in entities:
        try:
            placement, seen = entity.ObjectPlacement, set[int]()
            while placement is not None and placement.is_a("IfcLocalPlacement"):
                if placement.id() in seen or len(seen) >= _MAX_NESTING:
                    message = f"the placement of #{entity.id()} is placed relative to itself"
                    raise ConfigError([Problem("E551", message, path)])
                seen.add(placement.id())
                placement = placement.PlacementRelTo
        except (AttributeError, RuntimeError) as exc:
            message = f"the placement of #{entity.id()} cannot be read ({type(exc).__name__})"
            raise ConfigError([Problem("E551", message, path)]) from None


def _worth_reading(model: ifcopenshell.file, members: list[Any]) -> list[Any]:
    """Drop what the outline does not take, before it is triangulated: plates and members not
    part of a curtain wall, and the slabs where the storey has walls or spaces."""
    parts = {
        part.id()
        for wall in model.by_type("IfcCurtainWall")
        for part in ifcopenshell.util.element.get_decomposition(wall)
    }
    kept = [
        e for e in members if not (e.is_a("IfcPlate") or e.is_a("IfcMember")) or e.id() in parts
    ]
    if any(e.is_a("IfcWall") or e.is_a("IfcCurtainWall") or e.is_a("IfcSpace") for e in kept):
        kept = [e for e in kept if not e.is_a("IfcSlab")]
    return kept


def _read(entity: Any) -> bool:
    return any(entity.is_a(k) for k in _READ)


def _triangulated(
    model: ifcopenshell.file, members: list[Any], path: Path, notes: list[str], budget: int
) -> list[_Element]:
    """Triangulate the elements in world metres and project each to the plan; refuse a storey
    whose bodies have more than ``budget`` triangles (E553)."""
    if not members:
        return []
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    settings.set("disable-opening-subtractions", True)
    out: list[_Element] = []
    failed = 0
    iterator = ifcopenshell.geom.iterator(settings, model, 1, include=members)
    if iterator.initialize():
        while True:
            shape = iterator.get()
            entity = model.by_id(shape.id)
            verts = np.asarray(shape.geometry.verts, dtype=float).reshape(-1, 3)
            faces = np.asarray(shape.geometry.faces, dtype=int).reshape(-1, 3)
            budget -= len(faces)
            if budget < 0:
                message = (
                    f"the storey's bodies have more triangles than the {MAX_STOREY_TRIANGLES:,} "
                    f"read (#{shape.id} {entity.is_a()} among them): export the storey's walls, "
                    "spaces, doors and cores alone"
                )
                raise ConfigError([Problem("E553", message, path)])
            plan = _projection(verts, faces)
            if plan is None:
                failed += 1
            else:
                z = (float(verts[:, 2].min()), float(verts[:, 2].max()))
                out.append(_Element(entity, plan, z))
            if not iterator.next():
                break
    left = len(members) - len(out) - failed
    if failed or left > 0:
        notes.append(
            f"{failed + max(left, 0)} of {len(members)} elements have no body to read "
            "(a stair whose flights carry its geometry, an element without representation)"
        )
    return out


def _projection(verts: np.ndarray, faces: np.ndarray) -> Polygon | None:
    """Return the plan projection of a triangulated body (the union of its triangles)."""
    if len(faces) == 0:
        return None
    tris = verts[faces][:, :, :2]
    cross = (tris[:, 1, 0] - tris[:, 0, 0]) * (tris[:, 2, 1] - tris[:, 0, 1]) - (
        tris[:, 1, 1] - tris[:, 0, 1]
    ) * (tris[:, 2, 0] - tris[:, 0, 0])
    tris = tris[np.abs(cross) > 1e-9]
    if len(tris) == 0:
        return None
    rings = np.concatenate([tris, tris[:, :1]], axis=1)
    merged = shapely.union_all(shapely.polygons(rings), grid_size=1e-6)
    parts = polygons_of(merged)
    if not parts:
        return None
    return max(parts, key=lambda g: g.area) if len(parts) == 1 else _joined(parts)


def _joined(parts: list[Polygon]) -> Polygon:
    """Join the parts of one element's projection (a stair's flights and landing)."""
    merged = unary_union(parts).buffer(0.05, join_style="mitre").buffer(-0.05, join_style="mitre")
    found = polygons_of(merged)
    return max(found, key=lambda g: g.area)


# --------------------------------------------------------------------------- outline and floor


def _outline(
    elements: list[_Element], storey: str, path: Path, notes: list[str]
) -> tuple[Polygon, Polygon, str, list[_Element]]:
    """Return the outer face, the usable floor, what they came from and the walls."""
    walls = [e for e in elements if any(e.entity.is_a(k) for k in _WALLS)]
    spaces = [e for e in elements if e.entity.is_a("IfcSpace")]
    slabs = [e for e in elements if e.entity.is_a("IfcSlab") and _floor_slab(e.entity)]
    if walls:
        method = "walls and spaces" if spaces else "walls"
        source = walls + spaces
    elif spaces:
        method, source = "spaces", spaces
    elif slabs:
        method, source = "floor slabs", slabs
    else:
        raise ConfigError(
            [
                Problem(
                    "E556",
                    f"storey {storey!r} has no walls, spaces or floor slabs to take an outline "
                    "from",
                    path,
                )
            ]
        )
    close = _CLOSE_M if walls else 0.3  # spaces stop at the walls' faces: close the walls' gap
    merged = unary_union([e.shape for e in source])
    closed = merged.buffer(close, join_style="mitre").buffer(-close, join_style="mitre")
    # each part with its holes filled: walls alone are a ring round the floor
    parts = [Polygon(g.exterior) for g in polygons_of(closed)]
    if not parts or max(g.area for g in parts) < _MIN_FLOOR_M2:
        raise ConfigError(
            [
                Problem(
                    "E557",
                    f"the {method} of storey {storey!r} enclose no floor of "
                    f"{_MIN_FLOOR_M2:g} m² or more",
                    path,
                )
            ]
        )
    largest = max(parts, key=lambda g: g.area)
    outer = largest.simplify(_SIMPLIFY_M, preserve_topology=True)
    assert isinstance(outer, Polygon), "simplifying a polygon keeps it one"
    if len(parts) > 1:
        notes.append(
            f"{len(parts) - 1} more separate part(s) of the storey left out "
            f"({sum(g.area for g in parts) - largest.area:.1f} m²): the outline is the largest"
        )
    if walls:
        floor = _inner_face(outer, walls)
        if floor.is_empty or floor.area < _MIN_FLOOR_M2:
            message = (
                f"the walls of storey {storey!r} leave no floor of {_MIN_FLOOR_M2:g} m² or more "
                "inside them (a free-standing wall?)"
            )
            raise ConfigError([Problem("E557", message, path)])
        notes.append(
            f"outline from the {method}: the outer face {outer.area:.1f} m², the floor inside "
            f"the outer walls {floor.area:.1f} m²"
        )
    else:
        floor = clean_polygon(outer)
        what = (
            "the spaces (no walls on the storey): the floor is the spaces' outline, walls "
            "between them included"
            if method == "spaces"
            else "the floor slabs (no walls or spaces on the storey): a slab may overhang the "
            "building (a canopy, a balcony); check the outline"
        )
        notes.append(f"outline from {what}")
    return outer, floor, method, walls


def _floor_slab(slab: Any) -> bool:
    kind = getattr(slab, "PredefinedType", None)
    return kind in (None, "FLOOR", "BASESLAB", "NOTDEFINED", "USERDEFINED")


def _inner_face(outer: Polygon, walls: list[_Element]) -> Polygon:
    """Return the floor inside the outer walls: the outline less the walls along its edge."""
    edge = outer.exterior
    outside = [w.shape for w in walls if w.shape.distance(edge) < 0.05]
    rest = outer.difference(unary_union(outside)) if outside else outer
    if outside:
        # where two outer walls meet at an inside corner neither fills the square between
        # their ends: the outline shrunk by the thinnest outer wall takes it back out
        thinnest = min(_thickness(w) for w in outside)
        rest = rest.intersection(outer.buffer(-min(max(thinnest, 0.05), 0.6), join_style="mitre"))
    parts = polygons_of(rest)
    if not parts:
        return Polygon()  # the walls cover it all: no floor (E557 follows)
    inner = clean_polygon(Polygon(max(parts, key=lambda g: g.area).exterior))
    simplified = inner.simplify(_SIMPLIFY_M, preserve_topology=True)
    return simplified if isinstance(simplified, Polygon) and simplified.is_valid else inner


def _sides(shape: Polygon) -> tuple[float, float]:
    """Return the shorter and the longer side of a shape's smallest enclosing rectangle."""
    coords = list(shape.minimum_rotated_rectangle.exterior.coords)
    a, b = math.dist(coords[0], coords[1]), math.dist(coords[1], coords[2])
    return (a, b) if a <= b else (b, a)


def _thickness(wall: Polygon) -> float:
    """Return a wall piece's thickness: the shorter side of its smallest enclosing rectangle."""
    return _sides(wall)[0]


# --------------------------------------------------------------------------- cores and columns


def _cores(
    elements: list[_Element], floor: Polygon, z0: float, top: float, notes: list[str]
) -> list[schema.Obstacle]:
    """Stairs, lifts and shafts as cores: elements and named spaces, joined where they touch."""
    pieces: list[tuple[str, Polygon]] = []
    for e in elements:
        if any(e.entity.is_a(k) for k in _CORE_ELEMENTS):
            if e.z[1] < z0 + 0.5 or e.z[0] > top - 0.5:
                continue  # a stair of the storey below that does not reach this one
            kind = _transport_kind(e.entity)
            pieces.append((kind, e.shape.minimum_rotated_rectangle))
        elif e.entity.is_a("IfcSpace"):
            named = _core_space(e.entity)
            if named is not None:
                pieces.append((named, e.shape))
    groups: list[tuple[list[str], Polygon]] = []
    for kind, shape in pieces:
        touching = [g for g in groups if g[1].distance(shape) < 0.3]
        kinds = [kind] + [k for g in touching for k in g[0]]
        merged = unary_union([shape, *(g[1] for g in touching)])
        groups = [g for g in groups if g not in touching] + [(kinds, merged)]
    cores: list[schema.Obstacle] = []
    for kinds, shape in sorted(groups, key=lambda g: (g[1].bounds[0], g[1].bounds[1])):
        inside = shape.intersection(floor)
        parts = polygons_of(inside)
        if not parts or max(g.area for g in parts) < 0.5:
            continue
        part = clean_polygon(Polygon(max(parts, key=lambda g: g.area).exterior))
        kind = "stair" if "stair" in kinds else ("lift" if "lift" in kinds else "shaft")
        number = sum(1 for c in cores if c.kind == kind) + 1
        cores.append(
            schema.Obstacle(
                id=f"{kind}_{number}",
                kind=kind,
                polygon=[(round(x, 3), round(y, 3)) for x, y in list(part.exterior.coords)[:-1]],
            )
        )
    if cores:
        notes.append(
            f"{len(cores)} core(s): "
            + ", ".join(f"{c.id} {Polygon(c.polygon).area:.1f} m²" for c in cores)
        )
    return cores


def _transport_kind(entity: Any) -> str:
    """A lift for a lift (IFC4 PredefinedType, IFC2X3 OperationType), else a stair: an
    escalator or a moving walk is a fixed piece of circulation through the floor like a stair."""
    if not entity.is_a("IfcTransportElement"):
        return "stair"
    kind = getattr(entity, "PredefinedType", None) or getattr(entity, "OperationType", None)
    return "lift" if kind in (None, "ELEVATOR", "LIFTINGGEAR", "NOTDEFINED") else "stair"


def _core_space(space: Any) -> str | None:
    """Return the core kind a space's name says it is (stair, lift, shaft), or None."""
    for text in (space.LongName, space.Name):
        words = re.findall(r"[^\W\d_]+", str(text or "").upper())
        if not words:
            continue
        for kind, names in _CORE_WORDS.items():
            if words[0] in names and not _NOT_CORE.intersection(words[1:]):
                return kind
    return None


def _columns(elements: list[_Element], floor: Polygon, notes: list[str]) -> list[schema.Obstacle]:
    """Columns standing on the floor as obstacles; those outside it (canopy posts) noted."""
    columns = [e for e in elements if e.entity.is_a("IfcColumn")]
    inside = [c for c in columns if floor.contains(c.shape.centroid)]
    if len(inside) < len(columns):
        notes.append(
            f"{len(columns) - len(inside)} column(s) stand outside the floor (a canopy's "
            "posts?) and are left out"
        )
    return [
        schema.Obstacle(
            id=f"column_{n}",
            kind="column",
            polygon=[
                (round(x, 3), round(y, 3))
                for x, y in list(c.shape.minimum_rotated_rectangle.exterior.coords)[:-1]
            ],
        )
        for n, c in enumerate(inside, start=1)
    ]


# --------------------------------------------------------------------------- doors and windows


def _openings(elements: list[_Element]) -> dict[int, Polygon]:
    return {e.entity.id(): e.shape for e in elements if e.entity.is_a("IfcOpeningElement")}


def _opening_of(element: _Element, openings: dict[int, Polygon]) -> Polygon:
    """Return the footprint of the opening a door or window fills (its own body without one)."""
    for rel in getattr(element.entity, "FillsVoids", None) or ():
        shape = openings.get(rel.RelatingOpeningElement.id())
        if shape is not None:
            return shape
    return element.shape


def _doors(
    elements: list[_Element],
    outer: Polygon,
    floor: Polygon,
    scale: float,
    notes: list[str],
) -> list[EntranceCandidate]:
    """Doors whose opening's middle is within reach of the outer face, as entrance candidates.

    The IsExternal flag is read only to say where it disagrees with the geometry (models flag
    core walls external and curtain-wall doors internal).
    """
    openings = _openings(elements)
    edge = outer.exterior
    candidates: list[EntranceCandidate] = []
    disagree = 0
    for door in (e for e in elements if e.entity.is_a("IfcDoor")):
        opening = _opening_of(door, openings)
        middle = opening.centroid
        outside = edge.distance(middle) <= _DOOR_REACH_M
        flag = ifcopenshell.util.element.get_pset(door.entity, "Pset_DoorCommon", "IsExternal")
        disagree += flag is not None and bool(flag) != outside
        if not outside:
            continue
        width = _width(door.entity, opening, scale)
        candidates.append(candidate_at(floor, middle, width, 1))
    if disagree:
        notes.append(
            f"{disagree} door(s) flagged IsExternal against where they stand; the doors in the "
            "outer wall are taken from the geometry"
        )
    return sorted(candidates, key=lambda c: c.along_m)


def _width(entity: Any, opening: Polygon, scale: float) -> float:
    """Return a door's or window's width: OverallWidth, else the opening's longer side."""
    width = getattr(entity, "OverallWidth", None)
    if width:
        return float(width) * scale
    return _sides(opening)[1]


def _windows(
    elements: list[_Element],
    outer: Polygon,
    floor: Polygon,
    scale: float,
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The stretches of the floor's outline that windows in the outer wall light."""
    openings = _openings(elements)
    edge = outer.exterior
    ring = floor.exterior
    stretches: list[LineString] = []
    for window in (e for e in elements if e.entity.is_a("IfcWindow")):
        opening = _opening_of(window, openings)
        middle = opening.centroid
        if edge.distance(middle) > _DOOR_REACH_M:
            continue
        along = float(ring.project(middle))
        half = _width(window.entity, opening, scale) / 2
        part = substring(ring, max(0.0, along - half), min(ring.length, along + half))
        if isinstance(part, LineString) and part.length > 0.1:
            stretches.append(part)
    return _segments(stretches)


def _segments(
    stretches: Iterable[LineString],
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Split lit stretches of the outline into straight segments (the footprint's windows)."""
    out = []
    for part in stretches:
        coords = list(part.coords)
        for a, b in itertools.pairwise(coords):
            if math.dist(a, b) > 0.05:
                out.append(((round(a[0], 3), round(a[1], 3)), (round(b[0], 3), round(b[1], 3))))
    return out


def _unit_name(scale: float) -> str:
    names = {1.0: "m", 0.001: "mm", 0.01: "cm", 0.0254: "in", 0.3048: "ft"}
    return next(
        (n for s, n in names.items() if math.isclose(s, scale, rel_tol=1e-6)), f"{scale:g} m"
    )
