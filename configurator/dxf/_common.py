"""What the DXF writer and readers share: layer names, the XDATA record, units, reading."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, NamedTuple

import ezdxf.path
from ezdxf import units
from ezdxf.enums import InsertUnits
from ezdxf.filemanagement import readfile as read_dxf
from ezdxf.lldxf.const import DXFError
from shapely.geometry import Point as ShapelyPoint, Polygon
from shapely.validation import explain_validity

from configurator.model import schema
from configurator.model.errors import ConfigError, Problem
from configurator.model.plan import Point
from configurator.model.schema import Privacy

APPID = "SPCONFIG"
"""Registered application id of the XDATA, header properties and plan snapshot we write."""

OUTLINE_LAYER = "A-FLOR-OTLN"


CIRCULATION_LAYER = "A-FLOR-CIRC"


CIRCULATION_PATTERN_LAYER = "A-FLOR-PATT"


OBSTACLE_LAYER = "A-FLOR-OBST"


ENTRANCE_LAYER = "A-FLOR-ENTR"


WINDOW_LAYER = "A-GLAZ"


DOOR_LAYER = "A-DOOR"


AREA_PATTERN_LAYER = "A-AREA-PATT"


ROOM_TAG_LAYER = "A-AREA-IDEN"


AREA_TABLE_LAYER = "A-AREA-TABL"


TITLE_BLOCK_LAYER = "A-ANNO-TTLB"


NOTE_LAYER = "A-ANNO-NOTE"


ROOM_LAYER_PREFIX = "A-AREA-"


RESERVED_AREA = frozenset({"PATT", "IDEN", "TABL", "SPARE"})


SPARE_LAYER = "A-AREA-SPARE"
"""Spare lettable areas: closed polylines with an SPCONFIG 'spare' record."""


DOOR_BLOCK = "SPCONFIG_DOOR"
"""A door of width 1: hinge at the origin, opening along +x, leaf and swing towards +y."""


ENTRANCE_BLOCK = "SPCONFIG_ENTRANCE"
"""An entrance of width 1 centred on the origin, façade along x, arrow pointing in along +y."""


UNKNOWN_SPACE_TYPE = "unknown"
"""Space type of a room added in CAD that neither XDATA nor a tag identifies."""


LAYERS: dict[str, tuple[str, int, int]] = {
    OUTLINE_LAYER: ("building outline (footprint)", 7, 50),
    CIRCULATION_LAYER: ("corridors, closed polylines", 8, 18),
    CIRCULATION_PATTERN_LAYER: ("corridor fills", 254, 0),
    SPARE_LAYER: ("spare lettable areas, closed polylines", 5, 35),
    OBSTACLE_LAYER: ("stair and lift cores, shafts (outline and hatch)", 8, 35),
    ENTRANCE_LAYER: ("entrances (block SPCONFIG_ENTRANCE)", 1, 25),
    WINDOW_LAYER: ("windowed façade segments", 4, 35),
    DOOR_LAYER: ("doors (block SPCONFIG_DOOR)", 1, 18),
    AREA_PATTERN_LAYER: ("room fills in zone colours", 9, 0),
    ROOM_TAG_LAYER: ("room tags: name, id, area", 7, 18),
    AREA_TABLE_LAYER: ("area schedule", 7, 18),
    TITLE_BLOCK_LAYER: ("title block", 7, 25),
    NOTE_LAYER: ("legend of zone colours and notes", 7, 18),
}
"""Fixed layers: name → (content, ACI colour, lineweight in 1/100 mm). Zone layers come on top."""


Units = Literal["mm", "cm", "dm", "m", "in", "ft"]


UNIT_CODES: dict[str, int] = {"in": 1, "ft": 2, "mm": 4, "cm": 5, "m": 6, "dm": 14}


UNIT_NAMES = {code: name for name, code in UNIT_CODES.items()}


SNAPSHOT_KEY = "SPCONFIG_PLAN"


SNAPSHOT_FORMAT = "plan-json-zlib-base64 v1"


ON_OUTLINE_M = 0.05


def zone_layer(zone_id: str) -> str:
    """Return the area layer of a zone: ``A-AREA-`` and the zone id upper-cased.

    Underscores stay, so the zone is one field of the layer name and maps back without doubt:

    >>> zone_layer("private_service")
    'A-AREA-PRIVATE_SERVICE'
    """
    return ROOM_LAYER_PREFIX + zone_id.upper()


def xdata_record(kind: str, **values: str | float | bool) -> list[tuple[int, str | float | int]]:
    """Encode a record as key/value pairs: 1000 key, then 1000 text, 1040 real or 1071 integer."""
    tags: list[tuple[int, str | float | int]] = [(1000, "kind"), (1000, kind)]
    for key, value in values.items():
        tags.append((1000, key))
        if isinstance(value, bool):
            tags.append((1071, int(value)))
        elif isinstance(value, float):
            tags.append((1040, value))
        elif isinstance(value, int):
            tags.append((1071, value))
        else:
            tags.append((1000, value))
    return tags


def read_xdata(entity: Any) -> dict[str, Any]:
    """Return an entity's SPCONFIG record as a dict (empty without one)."""
    if not entity.has_xdata(APPID):
        return {}
    values = [tag.value for tag in entity.get_xdata(APPID)]
    return {str(values[i]): values[i + 1] for i in range(0, len(values) - 1, 2)}


def read_drawing(path: Path) -> Any:
    """Read a DXF file, turning every failure into one located problem."""
    if not path.is_file():
        raise ConfigError([Problem("E120", "cannot read the DXF file: no such file", path)])
    try:
        return read_dxf(path)
    except (OSError, DXFError, UnicodeDecodeError, ValueError) as exc:
        detail = str(exc).replace(f"File '{path}' ", "").rstrip(".")
        raise ConfigError([Problem("E121", f"not a readable DXF file ({detail})", path)]) from None


def factor_of(name: str) -> float:
    """Return the factor from a named unit (``mm``, ``in``…) to metres."""
    return float(units.conversion_factor(InsertUnits(UNIT_CODES[name]), InsertUnits.Meters))


def override_factor(override: str, path: Path) -> float:
    """Return the factor of a units override, or raise E520 naming the units we read."""
    if override not in UNIT_CODES:
        raise ConfigError(
            [
                Problem(
                    "E520",
                    f"unknown units {override!r}; expected one of {', '.join(UNIT_CODES)}",
                    path,
                )
            ]
        )
    return factor_of(override)


def unit_factor(doc: Any, path: Path, override: str | None) -> float:
    """Return the factor from drawing units to metres, from ``$INSUNITS`` or the override."""
    if override is not None:
        return override_factor(override, path)
    code = int(doc.header.get("$INSUNITS", 0))
    if code not in UNIT_NAMES:
        what = "unitless" if code == 0 else f"unsupported unit code {code}"
        raise ConfigError(
            [
                Problem(
                    "E520",
                    f"unknown units: $INSUNITS = {code} ({what}); set $INSUNITS in the drawing "
                    f"(UNITS command) or pass units= one of {', '.join(UNIT_CODES)}",
                    path,
                    path="$INSUNITS",
                )
            ]
        )
    return float(units.conversion_factor(InsertUnits(code), InsertUnits.Meters))


class Polyline2D(NamedTuple):
    entity: Any
    points: list[Point]
    closed: bool


def polylines(msp: Any, layers: Iterable[str] | None, factor: float) -> list[Polyline2D]:
    """Return the 2D polylines on some layers (all if None), in metres, without a repeated end."""
    wanted = None if layers is None else {name.upper() for name in layers}
    rings = []
    for entity in msp.query("LWPOLYLINE POLYLINE"):
        if wanted is not None and entity.dxf.layer.upper() not in wanted:
            continue
        if entity.dxftype() == "POLYLINE" and not entity.is_2d_polyline:
            continue
        flat = [
            (v.x * factor, v.y * factor)
            for v in ezdxf.path.make_path(entity).flattening(0.01 / factor)
        ]
        points: list[Point] = []
        for p in flat:
            if not points or math.dist(points[-1], p) > 1e-9:
                points.append(p)
        closed = bool(entity.closed if entity.dxftype() == "LWPOLYLINE" else entity.is_closed)
        if len(points) > 2 and math.dist(points[0], points[-1]) <= 1e-6:
            points.pop()
            closed = True
        rings.append(Polyline2D(entity, points, closed))
    return rings


def where(entity: Any) -> str:
    return f"{entity.dxftype()} #{entity.dxf.handle} on layer {entity.dxf.layer}"


def ccw(points: list[Point]) -> list[Point]:
    """Return the ring counter-clockwise (shoelace area positive)."""
    area = sum(
        a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1], strict=True)
    )
    return points if area >= 0 else points[::-1]


def obstacle_kind_of_layer(layer: str) -> str:
    name = layer.upper()
    for needle, kind in (("STAIR", "stair"), ("STRS", "stair"), ("ELEV", "lift"), ("LIFT", "lift"),
                         ("SHAFT", "shaft"), ("SHFT", "shaft"), ("COL", "column")):  # fmt: skip
        if needle in name:
            return kind
    return "other"


ObstacleKind = Literal["stair", "lift", "shaft", "column", "courtyard", "other"]


OBSTACLE_KINDS: dict[str, ObstacleKind] = {
    "stair": "stair",
    "lift": "lift",
    "shaft": "shaft",
    "column": "column",
}


EntranceKind = Literal["main", "side", "staff"]


ENTRANCE_KINDS: dict[str, EntranceKind] = {"main": "main", "side": "side", "staff": "staff"}
"""The building's entrance kinds a drawing may name (a footprint has no other)."""
PLAN_ENTRANCE_KINDS: dict[str, Literal["main", "side", "staff", "spare"]] = {
    **ENTRANCE_KINDS,
    "spare": "spare",
}
"""A plan's: the building's, and a spare area's own new door."""


CIRCULATION_KINDS: dict[str, Literal["corridor", "passage", "hall"]] = {
    "corridor": "corridor",
    "passage": "passage",
    "hall": "hall",
}


PRIVACIES: dict[str, Privacy] = {"open": "open", "semi_open": "semi_open", "private": "private"}


def known_kind(kind: str) -> ObstacleKind:
    return OBSTACLE_KINDS.get(kind, "other")


def identifier(text: str, fallback: str) -> str:
    cleaned = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")
    return cleaned if re.fullmatch(r"[a-z][a-z0-9_]{0,47}", cleaned) else fallback


class Mark(NamedTuple):
    entity: Any
    at: Point
    width: float | None
    kind: str | None
    ident: str | None


def entrance_marks(doc: Any, layer: str, factor: float) -> list[Mark]:
    """Return entrance marks: POINTs, CIRCLEs and block INSERTs on a layer (or its sub-layers)."""
    marks = []
    prefix = layer.upper()
    for entity in doc.modelspace().query("POINT CIRCLE INSERT"):
        name = entity.dxf.layer.upper()
        if name != prefix and not name.startswith(prefix + "-"):
            continue
        data = read_xdata(entity)
        width: float | None = None
        kind: str | None = data.get("entrance_kind")
        ident: str | None = data.get("id")
        kind_text = name
        if entity.dxftype() == "POINT":
            x, y = entity.dxf.location.x, entity.dxf.location.y
        elif entity.dxftype() == "CIRCLE":
            x, y = entity.dxf.center.x, entity.dxf.center.y
            width = 2 * entity.dxf.radius * factor
        else:
            x, y = entity.dxf.insert.x, entity.dxf.insert.y
            kind_text += " " + entity.dxf.name.upper()
            if entity.dxf.name == ENTRANCE_BLOCK:
                width = abs(entity.dxf.xscale) * factor
            attribs = {a.dxf.tag.upper(): a.dxf.text for a in entity.attribs}
            kind = kind or (attribs.get("KIND", "").lower() or None)
            ident = ident or attribs.get("ID")
        if "width_m" in data:
            width = float(data["width_m"])
        if kind is None and "STAF" in kind_text:
            kind = "staff"
        marks.append(Mark(entity, (x * factor, y * factor), width, kind, ident))
    return marks


def closed_outline(doc: Any, path: Path, layer: str | None, factor: float) -> tuple[Polygon, Any]:
    """Return the largest closed polyline on a layer (any layer if None) as a valid polygon."""
    msp = doc.modelspace()
    rings = polylines(msp, None if layer is None else [layer], factor)
    scope = f"layer {layer}" if layer is not None else "any layer"
    closed = [r for r in rings if r.closed and len(r.points) >= 3]
    if not closed:
        opened = [r for r in rings if not r.closed]
        if opened:
            biggest = max(
                opened, key=lambda r: Polygon(r.points).area if len(r.points) > 2 else 0.0
            )
            gap = math.dist(biggest.points[0], biggest.points[-1])
            raise ConfigError(
                [
                    Problem(
                        "E521",
                        f"open outline: {where(biggest.entity)} is not closed (its ends are "
                        f"{gap:.3f} m apart); close it (PEDIT → Close) so it encloses the floor",
                        path,
                        path=f"#{biggest.entity.dxf.handle}",
                    )
                ]
            )
        layer_names = sorted({e.dxf.layer for e in msp})
        hint = (
            "" if layer is None else f" (layers with entities: {', '.join(layer_names) or 'none'})"
        )
        raise ConfigError(
            [
                Problem(
                    "E522",
                    f"no closed polyline (LWPOLYLINE or POLYLINE) on {scope} to take as the "
                    f"building outline{hint}",
                    path,
                    path=layer or "",
                )
            ]
        )
    best = max(closed, key=lambda r: abs(Polygon(r.points).area))
    polygon = Polygon(best.points)
    if not polygon.is_valid:
        raise ConfigError(
            [
                Problem(
                    "E523",
                    f"self-crossing outline: {where(best.entity)} is not a simple polygon "
                    f"({explain_validity(polygon)}); redraw it without crossings",
                    path,
                    path=f"#{best.entity.dxf.handle}",
                )
            ]
        )
    return Polygon(ccw(best.points)), best.entity


def obstacles_on_layer(
    doc: Any, path: Path, layer: str, factor: float, outline: Polygon
) -> tuple[list[schema.Obstacle], list[Problem]]:
    problems: list[Problem] = []
    obstacles: list[schema.Obstacle] = []
    for n, ring in enumerate(polylines(doc.modelspace(), [layer], factor), start=1):
        data = read_xdata(ring.entity)
        polygon = Polygon(ring.points) if len(ring.points) >= 3 else Polygon()
        if not ring.closed or not polygon.is_valid or polygon.area <= 0:
            problems.append(
                Problem(
                    "E526",
                    f"obstacle {where(ring.entity)} must be a closed, simple polyline",
                    path,
                    path=f"#{ring.entity.dxf.handle}",
                )
            )
            continue
        if not outline.buffer(ON_OUTLINE_M).contains(polygon):
            problems.append(
                Problem(
                    "E527",
                    f"obstacle {where(ring.entity)} is not inside the building outline",
                    path,
                    path=f"#{ring.entity.dxf.handle}",
                )
            )
            continue
        kind = str(data.get("obstacle_kind", "")) or obstacle_kind_of_layer(ring.entity.dxf.layer)
        ident = str(data.get("id", f"obstacle_{n}"))
        obstacles.append(
            schema.Obstacle(
                id=identifier(ident, f"obstacle_{n}"),
                kind=known_kind(kind),
                polygon=ccw(ring.points),
            )
        )
    return obstacles, problems


def snap_to(boundary: Any, at: Point) -> Point:
    p = boundary.interpolate(boundary.project(ShapelyPoint(at)))
    return (round(float(p.x), 6), round(float(p.y), 6))


def window_lines(doc: Any, layer: str, factor: float) -> list[tuple[Point, Point]]:
    return [
        (
            (e.dxf.start.x * factor, e.dxf.start.y * factor),
            (e.dxf.end.x * factor, e.dxf.end.y * factor),
        )
        for e in doc.modelspace().query("LINE")
        if e.dxf.layer.upper() == layer.upper()
    ]
