"""Read a plan back from a DXF drawing, as exported or as edited in CAD."""

from __future__ import annotations

import base64
import itertools
import math
import re
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, Point as ShapelyPoint, Polygon

from configurator.documents.annotation import labels
from configurator.dxf._common import (
    APPID,
    CIRCULATION_KINDS,
    CIRCULATION_LAYER,
    DOOR_LAYER,
    ENTRANCE_LAYER,
    OBSTACLE_LAYER,
    OUTLINE_LAYER,
    PLAN_ENTRANCE_KINDS,
    PRIVACIES,
    RESERVED_AREA,
    ROOM_LAYER_PREFIX,
    ROOM_TAG_LAYER,
    SNAPSHOT_FORMAT,
    SNAPSHOT_KEY,
    SPARE_LAYER,
    UNKNOWN_SPACE_TYPE,
    WINDOW_LAYER,
    Polyline2D,
    ccw,
    closed_outline,
    entrance_marks,
    identifier,
    obstacles_on_layer,
    polylines,
    read_drawing,
    read_xdata,
    snap_to,
    unit_factor,
    where,
    window_lines,
    zone_layer,
)
from configurator.inputs.catalog import Case
from configurator.model.errors import ConfigError, Problem
from configurator.model.plan import (
    Corridor,
    Door,
    Entrance,
    Obstacle,
    Plan,
    PlanRoom,
    Point,
    SpareArea,
    zone_areas,
)
from configurator.model.schema import Catalog, Names


def exported_plan_from_dxf(path: Path) -> Plan | None:
    """Return the plan as it was exported (the snapshot in the DXF), or None if it is gone.

    CAD programs that keep unknown objects (AutoCAD, BricsCAD) keep the snapshot; others drop it.
    """
    doc = read_drawing(Path(path))
    record = doc.rootdict.get(SNAPSHOT_KEY)
    if record is None or record.dxftype() != "XRECORD":
        return None
    values = [str(tag.value) for tag in record.tags if tag.code == 1]
    if not values or values[0] != SNAPSHOT_FORMAT:
        return None
    try:
        return Plan.model_validate_json(zlib.decompress(base64.b64decode("".join(values[1:]))))
    except (ValueError, zlib.error):
        return None


def _meta(doc: Any) -> dict[str, str]:
    props = doc.header.custom_vars
    prefix = f"{APPID}_"
    return {
        tag[len(prefix) :].lower(): value
        for tag, value in props.properties
        if tag.startswith(prefix)
    }


def _zone_of_layer(layer: str, catalog: Catalog) -> str | None:
    suffix = layer.upper()[len(ROOM_LAYER_PREFIX) :]
    for zone in catalog.zones:
        if suffix in (zone.id.upper(), zone.id.upper().replace("_", "-")):
            return zone.id
    return None


def plan_from_dxf(path: Path, *, case: Case) -> Plan:
    """Rebuild a plan from a DXF drawing, as exported or as edited in CAD.

    Rooms are the closed polylines on ``A-AREA-<ZONE>`` layers: the layer gives the zone the
    room is drawn in, the XDATA its id and space type. A room without XDATA (drawn in CAD) is
    identified by a tag (MTEXT or TEXT on ``A-AREA-IDEN``) inside it that names a space type,
    else it gets the space type ``unknown``; a copied room whose id is taken gets a new id.
    Doors of deleted rooms are dropped. Raises :class:`ConfigError` with every problem.
    """
    path = Path(path)
    catalog = case.catalog
    doc = read_drawing(path)
    factor = unit_factor(doc, path, None)
    meta = _meta(doc)
    msp = doc.modelspace()
    problems: list[Problem] = []
    has_outline = any(
        e.dxf.layer.upper() == OUTLINE_LAYER for e in msp.query("LWPOLYLINE POLYLINE")
    )
    outline, _ = closed_outline(doc, path, OUTLINE_LAYER if has_outline else None, factor)

    tags = _tags(msp, factor)
    rooms: list[PlanRoom] = []
    taken: Counter[str] = Counter()
    area_layers = [
        e.dxf.layer
        for e in msp.query("LWPOLYLINE POLYLINE")
        if e.dxf.layer.upper().startswith(ROOM_LAYER_PREFIX)
        and e.dxf.layer.upper()[len(ROOM_LAYER_PREFIX) :] not in RESERVED_AREA
    ]
    for ring in polylines(msp, sorted(set(area_layers)), factor):
        entity = ring.entity
        zone_id = _zone_of_layer(entity.dxf.layer, catalog)
        handle = f"#{entity.dxf.handle}"
        if zone_id is None:
            known = ", ".join(zone_layer(z.id) for z in catalog.zones)
            problems.append(
                Problem(
                    "E530",
                    f"{where(entity)}: the layer names no zone of the catalog ({known})",
                    path,
                    path=handle,
                )
            )
            continue
        polygon = _closed_polygon(ring, "room", path, problems)
        if polygon is None:
            continue
        rooms.append(_room(entity, ring.points, zone_id, polygon, tags, catalog, taken))
    corridors = _corridors(msp, factor)
    rent = case.scenario.factors.rent_eur_per_m2_month * 12
    spares = _spares(msp, factor, rent=rent, path=path, problems=problems)
    obstacles, more = obstacles_on_layer(doc, path, OBSTACLE_LAYER, factor, outline)
    problems += more
    if problems:
        raise ConfigError(problems)
    entrances = [
        Entrance(
            id=m.ident or f"entrance_{n}",
            at=snap_to(outline.exterior, m.at),
            width_m=m.width or 1.8,
            kind=PLAN_ENTRANCE_KINDS.get(m.kind or "", "main"),
        )
        for n, m in enumerate(entrance_marks(doc, ENTRANCE_LAYER, factor), start=1)
    ]
    scenario = case.scenario
    return Plan(
        scenario=meta.get("scenario", scenario.name),
        option=int(meta.get("option", "1")),
        strategy=meta.get("strategy", "imported"),
        seed=int(meta.get("seed", str(scenario.seed))),
        footprint=[(float(x), float(y)) for x, y in list(outline.exterior.coords)[:-1]],
        obstacles=[Obstacle(id=o.id, kind=o.kind, polygon=o.polygon) for o in obstacles],
        entrances=entrances,
        windows=window_lines(doc, WINDOW_LAYER, factor),
        zones=zone_areas(rooms, catalog.zones),
        rooms=rooms,
        corridors=corridors,
        doors=_doors(
            msp,
            factor,
            {r.id: r.polygon for r in rooms}
            | {c.id: c.polygon for c in corridors}
            | {s.id: s.polygon for s in spares},
        ),
        gross_factor=float(meta.get("gross_factor", scenario.factors.gross_factor)),
        spares=spares,
    )


def _tags(msp: Any, factor: float) -> list[tuple[ShapelyPoint, list[str]]]:
    """Return the room tags (MTEXT and TEXT on the tag layer): position and plain lines."""
    out = []
    for entity in msp.query("MTEXT TEXT"):
        if entity.dxf.layer.upper() != ROOM_TAG_LAYER:
            continue
        if entity.dxftype() == "MTEXT":
            text = entity.plain_text()
            at = entity.dxf.insert
        else:
            text = entity.dxf.text
            at = entity.dxf.insert
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        out.append((ShapelyPoint(at.x * factor, at.y * factor), lines))
    return out


def _room(
    entity: Any,
    points: list[Point],
    zone_id: str,
    polygon: Polygon,
    tags: list[tuple[ShapelyPoint, list[str]]],
    catalog: Catalog,
    taken: Counter[str],
) -> PlanRoom:
    zone = catalog.zone(zone_id)
    data = read_xdata(entity)
    if data.get("kind") == "room" and data.get("id"):
        space_type = str(data.get("space_type", UNKNOWN_SPACE_TYPE))
        ident = str(data["id"])
        names = Names(
            fi=str(data.get("name_fi") or space_type), en=str(data.get("name_en") or space_type)
        )
        area = float(data.get("programme_area_m2", polygon.area))
        occupants = max(0, int(data.get("occupants", 0)))
        enclosed = bool(data.get("enclosed", 1))
        staff_only = bool(data.get("staff_only", int(not zone.visitor_access)))
        secure = bool(data.get("secure", 0))
        serves_lobby = bool(data.get("serves_lobby", 0))
    else:
        lines = next((lines for at, lines in tags if polygon.contains(at)), [])
        space_type, found = _identify(lines, catalog)
        if space_type == UNKNOWN_SPACE_TYPE:
            label = lines[0] if lines else ""
            names = Names(fi=label or labels("fi")["unknown"], en=label or labels("en")["unknown"])
        else:
            names = catalog.space_type(space_type).names
        ident = found or f"{space_type}_added"
        area = float(polygon.area)
        occupants = 0  # a room drawn in CAD: the rules count it by its use's density
        enclosed = True
        staff_only = not zone.visitor_access
        known = catalog.space_type(space_type) if space_type != UNKNOWN_SPACE_TYPE else None
        secure = bool(known is not None and known.secure)
        serves_lobby = bool(
            known is not None and staff_only and "entrance_lobby" in known.preferred_neighbours
        )
    taken[ident] += 1
    if taken[ident] > 1:
        ident = f"{ident}_copy{taken[ident] - 1}"
    return PlanRoom(
        id=ident,
        space_type=space_type,
        zone=zone_id,
        privacy=zone.privacy,
        names=names,
        polygon=ccw(points),
        programme_area_m2=area if area > 0 else float(polygon.area),
        occupants=occupants,
        enclosed=enclosed,
        staff_only=staff_only,
        secure=secure,
        serves_lobby=serves_lobby,
    )


def _identify(lines: list[str], catalog: Catalog) -> tuple[str, str | None]:
    """Find a space type in a tag's lines: a space type id, a room id built on one, or a name."""
    by_name = {}
    for st in catalog.space_types:
        by_name[st.id] = st.id
        by_name[st.names.fi.casefold()] = st.id
        by_name[st.names.en.casefold()] = st.id
    ident = None
    for line in lines:
        if re.fullmatch(r"[a-z][a-z0-9_-]*", line):
            base = re.sub(r"[_-]\d+$", "", line)
            if base in by_name:
                return by_name[base], identifier(line, line)
            ident = ident or identifier(line, "")
    for line in lines:
        if line.casefold() in by_name:
            return by_name[line.casefold()], ident or None
    return UNKNOWN_SPACE_TYPE, ident or None


def _corridors(msp: Any, factor: float) -> list[Corridor]:
    corridors = []
    for n, ring in enumerate(polylines(msp, [CIRCULATION_LAYER], factor), start=1):
        if not ring.closed or len(ring.points) < 4:
            continue
        data = read_xdata(ring.entity)
        shape = Polygon(ring.points)
        minx, miny, maxx, maxy = shape.bounds
        kind = str(data.get("circulation", "corridor"))
        privacy = str(data.get("privacy", "semi_open"))
        corridors.append(
            Corridor(
                id=str(data.get("id", f"corridor_{n}")),
                polygon=ccw(ring.points),
                width_m=float(data.get("width_m", min(maxx - minx, maxy - miny))),
                staff_only=bool(data.get("staff_only", 0)),
                kind=CIRCULATION_KINDS.get(kind, "corridor"),
                privacy=PRIVACIES.get(privacy, "semi_open"),
            )
        )
    return corridors


def _spares(
    msp: Any, factor: float, *, rent: float, path: Path, problems: list[Problem]
) -> list[SpareArea]:
    """Read the spare areas back: closed polylines on the spare layer (drawn in CAD too).

    A polyline there that is not a closed, simple outline is a problem (E531), as a room's is;
    a copied spare whose id is taken gets a new id.
    """
    spares = []
    taken: Counter[str] = Counter()
    for n, ring in enumerate(polylines(msp, [SPARE_LAYER], factor), start=1):
        polygon = _closed_polygon(ring, "spare area", path, problems)
        if polygon is None:
            continue
        ident = str(read_xdata(ring.entity).get("id", f"spare-{n}"))
        taken[ident] += 1
        if taken[ident] > 1:
            ident = f"{ident}_copy{taken[ident] - 1}"
        spares.append(
            SpareArea(
                id=ident,
                polygon=ccw(ring.points),
                # the rent follows the drawn area: a spare reshaped in CAD is priced again
                rent_eur_year=round(polygon.area * rent, 2),
            )
        )
    return spares


def _closed_polygon(
    ring: Polyline2D, what: str, path: Path, problems: list[Problem]
) -> Polygon | None:
    """Return a drawn area's polygon, or None (with E531) when the polyline is not a closed,
    simple outline of at least four corners."""
    polygon = Polygon(ring.points) if len(ring.points) >= 3 else Polygon()
    if not ring.closed or len(ring.points) < 4 or not polygon.is_valid or polygon.area <= 0:
        problems.append(
            Problem(
                "E531",
                f"{what} {where(ring.entity)} must be a closed, simple polyline "
                "with at least 4 corners",
                path,
                path=f"#{ring.entity.dxf.handle}",
            )
        )
        return None
    return polygon


def _doors(msp: Any, factor: float, spaces: dict[str, list[Point]]) -> list[Door]:
    """Read the door blocks back; a door of a room or corridor that is gone is dropped."""
    doors: list[Door] = []
    for entity in msp.query("INSERT"):
        if entity.dxf.layer.upper() != DOOR_LAYER:
            continue
        data = read_xdata(entity)
        owner = str(data.get("room", ""))
        polygon = spaces.get(owner)
        if polygon is None:
            continue
        width = abs(entity.dxf.xscale) * factor
        angle = math.radians(entity.dxf.rotation)
        hinge = (entity.dxf.insert.x * factor, entity.dxf.insert.y * factor)
        at = (hinge[0] + math.cos(angle) * width / 2, hinge[1] + math.sin(angle) * width / 2)
        coords = polygon + polygon[:1]
        wall = min(
            itertools.pairwise(coords),
            key=lambda e: LineString(e).distance(ShapelyPoint(at)),
        )
        kind = "second_exit" if data.get("door_kind") == "second_exit" else "main"
        doors.append(
            Door(
                id=str(data.get("id", f"door_{len(doors) + 1}")),
                room=owner,
                to=str(data.get("to", "")),
                at=at,
                wall=wall,
                width_m=width,
                kind=kind,
            )
        )
    return doors
