"""Write a plan as a layered DXF drawing, and read footprints and edited plans back from DXF.

The drawing follows the US National CAD Standard / AIA layer names (see :data:`LAYERS`), is
drawn 1:1 in metres in model space, and carries machine-readable data: every room, corridor,
door, entrance and obstacle has XDATA under the application id :data:`APPID`, the header holds
the scenario, option, strategy and seed, and the root dictionary holds a snapshot of the plan as
exported, so that an edited copy can be compared with what was handed over.
"""

from __future__ import annotations

import base64
import datetime
import io
import itertools
import math
import re
import textwrap
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

import ezdxf.path
from ezdxf import bbox, colors, units
from ezdxf.enums import InsertUnits
from ezdxf.filemanagement import new as new_dxf
from ezdxf.filemanagement import readfile as read_dxf
from ezdxf.lldxf.const import DXFError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from shapely.geometry import LineString, Polygon
from shapely.geometry import Point as ShapelyPoint
from shapely.ops import polylabel
from shapely.validation import explain_validity

from configurator import schema
from configurator._io import atomic_path
from configurator.audit import audit_footprint
from configurator.catalog import Case
from configurator.errors import ConfigError, Problem
from configurator.plan import (
    Corridor,
    Door,
    Entrance,
    Obstacle,
    Plan,
    PlanRoom,
    Point,
    zone_areas,
)
from configurator.program import Program
from configurator.schema import Catalog, Footprint, Names, Privacy

__all__ = [
    "APPID",
    "AREA_PATTERN_LAYER",
    "AREA_TABLE_LAYER",
    "CIRCULATION_LAYER",
    "DOOR_BLOCK",
    "DOOR_LAYER",
    "ENTRANCE_BLOCK",
    "ENTRANCE_LAYER",
    "LAYERS",
    "NOTE_LAYER",
    "OBSTACLE_LAYER",
    "OUTLINE_LAYER",
    "ROOM_TAG_LAYER",
    "TITLE_BLOCK_LAYER",
    "UNKNOWN_SPACE_TYPE",
    "WINDOW_LAYER",
    "PlanDiff",
    "ProgrammeCheck",
    "RoomDeviation",
    "RoomMove",
    "RoomResize",
    "RoomTag",
    "RoomZoneChange",
    "SpaceTypeCheck",
    "Units",
    "area_text",
    "check_against_programme",
    "compare_plans",
    "door_swing",
    "entrance_axis",
    "exported_plan_from_dxf",
    "footprint_from_dxf",
    "labels",
    "nearest_aci",
    "plan_from_dxf",
    "plan_to_dxf",
    "room_tag",
    "text_width",
    "title_lines",
    "zone_layer",
]

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
_RESERVED_AREA = frozenset({"PATT", "IDEN", "TABL"})

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
_UNIT_CODES: dict[str, int] = {"in": 1, "ft": 2, "mm": 4, "cm": 5, "m": 6, "dm": 14}
_UNIT_NAMES = {code: name for name, code in _UNIT_CODES.items()}

_TEXT_HEIGHT = 0.25
"""Annotation text height, m: 2.5 mm on paper at 1:100."""
_CHAR_WIDTH = 0.78
"""Mean character advance over cap height: Arial and DejaVu Sans ≈ 0.7, LibreCAD's font ≈ 0.76."""
_MTEXT_LINE = 1.7
"""MTEXT baseline distance over text height (AutoCAD's default spacing is 5/3)."""
_SNAPSHOT_KEY = "SPCONFIG_PLAN"
_SNAPSHOT_FORMAT = "plan-json-zlib-base64 v1"
_ON_OUTLINE_M = 0.05

_LABELS: dict[str, dict[str, str]] = {
    "fi": {
        "scenario": "Skenaario",
        "option": "Vaihtoehto",
        "strategy": "Strategia",
        "date": "Päivämäärä",
        "scale": "Mittakaava",
        "net": "Huoneet (netto)",
        "corridors": "Käytävät",
        "usable": "Huoneistoala",
        "gross": "Bruttoala",
        "legend": "Vyöhykkeet",
        "schedule": "Tilaohjelma (piirretty)",
        "space": "Tila",
        "count": "kpl",
        "area": "m²",
        "total": "Yhteensä",
        "notes": "Yksiköt: metri, 1:1 mallitilassa; tulostus 1:100. Pohjoinen ylös (+y). "
        "Tasot: US NCS / AIA. Huonetiedot XDATA:ssa (SPCONFIG).",
        "unknown": "Tuntematon tila",
    },
    "en": {
        "scenario": "Scenario",
        "option": "Option",
        "strategy": "Strategy",
        "date": "Date",
        "scale": "Scale",
        "net": "Rooms (net)",
        "corridors": "Corridors",
        "usable": "Usable area",
        "gross": "Gross area",
        "legend": "Zones",
        "schedule": "Area schedule (drawn)",
        "space": "Space",
        "count": "no.",
        "area": "m²",
        "total": "Total",
        "notes": "Units: metre, 1:1 in model space; print at 1:100. North is up (+y). "
        "Layers: US NCS / AIA. Room data in XDATA (SPCONFIG).",
        "unknown": "Unknown space",
    },
}


def labels(lang: str) -> dict[str, str]:
    """Return the annotation labels of a language ('fi' or 'en')."""
    if lang not in _LABELS:
        raise ValueError(f"lang must be 'fi' or 'en', got {lang!r}")
    return _LABELS[lang]


def zone_layer(zone_id: str) -> str:
    """Return the area layer of a zone: ``A-AREA-`` and the zone id upper-cased.

    Underscores stay, so the zone is one field of the layer name and maps back without doubt:

    >>> zone_layer("private_service")
    'A-AREA-PRIVATE_SERVICE'
    """
    return ROOM_LAYER_PREFIX + zone_id.upper()


def area_text(area_m2: float, *, lang: str) -> str:
    """Format an area with one decimal and the unit, with a decimal comma in Finnish.

    >>> area_text(12.34, lang="fi"), area_text(0.0, lang="en")
    ('12,3 m²', '0.0 m²')
    """
    text = f"{area_m2:.1f}"
    return (text.replace(".", ",") if lang == "fi" else text) + " m²"


# --------------------------------------------------------------------------- room tags


class RoomTag(NamedTuple):
    """Where and how large a room's tag is drawn: centre, lines of text, cap height in m."""

    at: Point
    lines: list[str]
    height: float


def room_tag(
    room: PlanRoom,
    *,
    lang: str,
    with_id: bool = True,
    max_height: float = _TEXT_HEIGHT,
    min_height: float = 0.12,
    line_spacing: float = _MTEXT_LINE,
) -> RoomTag:
    """Fit a room's name, id and area inside the room, centred on its pole of inaccessibility.

    The text shrinks (down to ``min_height``) and the name wraps at spaces until the block fits
    the horizontal and vertical clear extent through the centre; if it still does not fit,
    long words are broken too (a tag may then overflow a very small room rather than vanish).
    Heights are cap heights in metres.
    """
    shape = room.shape
    centre = shape.centroid
    if not shape.buffer(-0.05).contains(centre):
        centre = polylabel(shape, tolerance=0.01)
    at = (float(centre.x), float(centre.y))
    width, depth = _clear_extent(shape, at)
    texts = [str(getattr(room.names, lang))]
    texts += ([room.id] if with_id else []) + [area_text(room.area_m2, lang=lang)]

    def fit(height: float, *, breaking: bool) -> tuple[list[str], bool]:
        columns = max(1, int(width * 0.9 / (_CHAR_WIDTH * height)))
        lines = []
        for i, text in enumerate(texts):
            wrap = i == 0 or breaking
            lines += (
                textwrap.wrap(text, columns, break_long_words=breaking, break_on_hyphens=False)
                if wrap
                else []
            ) or [text]
        across = max(text_width(line, height) for line in lines) <= width * 0.9
        down = (len(lines) - 1) * line_spacing * height + height <= depth * 0.85
        return lines, across and down

    height = max_height
    while True:
        lines, fits = fit(height, breaking=False)
        if fits or height <= min_height:
            break
        height = max(min_height, height * 0.9)
    if not fits:
        lines, _ = fit(height, breaking=True)
    return RoomTag(at=at, lines=lines, height=round(height, 3))


def text_width(text: str, height: float) -> float:
    """Estimate the width (m) of one line of text of a cap height, erring wide.

    Underscores count double: LibreCAD draws them wider than a letter.
    """
    return height * _CHAR_WIDTH * (len(text) + 0.6 * text.count("_"))


def _clear_extent(shape: Polygon, at: Point) -> tuple[float, float]:
    """Return the room's clear width and depth along the axes through a point inside it."""
    x, y = at
    minx, miny, maxx, maxy = shape.bounds
    extents = []
    for line in (
        LineString([(minx - 1, y), (maxx + 1, y)]),
        LineString([(x, miny - 1), (x, maxy + 1)]),
    ):
        cut = shape.intersection(line)
        pieces = getattr(cut, "geoms", [cut])
        inside = [p for p in pieces if p.length > 0 and p.distance(ShapelyPoint(at)) < 1e-6]
        extents.append(float(inside[0].length) if inside else float(min(maxx - minx, maxy - miny)))
    return extents[0], extents[1]


# --------------------------------------------------------------------------- export


def plan_to_dxf(
    plan: Plan,
    path: Path,
    *,
    catalog: Catalog,
    lang: str = "fi",
    title: str | None = None,
    date: datetime.date | None = None,
) -> None:
    """Write a plan as a DXF R2010 drawing in metres, 1:1 in model space, atomically.

    Rooms are closed polylines on their zone's ``A-AREA-<ZONE>`` layer with XDATA, filled on
    ``A-AREA-PATT`` and tagged on ``A-AREA-IDEN``; the title block, zone legend and area
    schedule stand to the right of the plan, sized for printing at 1:100.
    """
    words = labels(lang)
    doc = new_dxf("R2010", setup=False)
    doc.units = units.M
    doc.header["$INSUNITS"] = 6
    doc.header["$MEASUREMENT"] = 1
    doc.header["$LUNITS"] = 2
    doc.header["$LWDISPLAY"] = 1
    doc.appids.add(APPID)
    _text_style(doc)
    zones = _zone_colours(plan, catalog)
    _add_layers(doc, zones)
    _add_blocks(doc)
    _header(doc, plan, lang=lang)
    _snapshot(doc, plan)
    msp = doc.modelspace()

    rooms = sorted(plan.rooms, key=lambda r: (_zone_order(catalog, r.zone), r.id))
    for corridor in plan.corridors:
        _hatch(msp, corridor.polygon, CIRCULATION_PATTERN_LAYER, (236, 236, 236))
    for room in rooms:
        _hatch(msp, room.polygon, AREA_PATTERN_LAYER, zones[room.zone][0])
    msp.add_lwpolyline(plan.footprint, close=True, dxfattribs={"layer": OUTLINE_LAYER})
    for room in rooms:
        outline = msp.add_lwpolyline(
            room.polygon, close=True, dxfattribs={"layer": zone_layer(room.zone)}
        )
        # The layer has the zone colour, like the fill; a darker line keeps rooms apart.
        outline.rgb = _darker(zones[room.zone][0])
        outline.set_xdata(APPID, _xdata("room", **_room_data(room)))
    for corridor in plan.corridors:
        line = msp.add_lwpolyline(
            corridor.polygon, close=True, dxfattribs={"layer": CIRCULATION_LAYER}
        )
        line.set_xdata(
            APPID,
            _xdata(
                "corridor",
                id=corridor.id,
                width_m=corridor.width_m,
                staff_only=corridor.staff_only,
                circulation=corridor.kind,
                privacy=corridor.privacy,
            ),
        )
    for obstacle in plan.obstacles:
        _obstacle(msp, obstacle)
    for a, b in plan.windows:
        msp.add_line(a, b, dxfattribs={"layer": WINDOW_LAYER})
    for door in plan.doors:
        _door(msp, door, plan)
    for entrance in plan.entrances:
        _entrance(msp, entrance, plan.footprint_shape)
    for room in rooms:
        tag = room_tag(room, lang=lang)
        _mtext(
            msp,
            "\\P".join(_escape(line) for line in tag.lines),
            tag.at,
            tag.height,
            ROOM_TAG_LAYER,
            attach=5,
        )

    _, _, maxx, maxy = plan.footprint_shape.bounds
    left = maxx + 3.0
    bottom = _title_block(msp, plan, words, lang=lang, title=title, date=date, at=(left, maxy))
    bottom = _legend(msp, plan, catalog, zones, words, lang=lang, at=(left, bottom - 1.0))
    notes = "\\P".join(textwrap.wrap(words["notes"], 80))
    _mtext(msp, notes, (left, bottom - 1.0), 0.18, NOTE_LAYER, attach=1, width=12.0)
    _schedule(msp, plan, catalog, words, lang=lang, at=(left + 13.5, maxy))

    _extents(doc)
    with atomic_path(path) as temporary:
        temporary.write_bytes(_utf8_dxf(doc))


def _utf8_dxf(doc: Any) -> bytes:
    """Return the drawing as DXF text, declaring its UTF-8 as code page ANSI_65001.

    R2010 text is UTF-8 whatever ``$DWGCODEPAGE`` says, and AutoCAD, LibreCAD and ezdxf know
    it; GDAL before 3.8 (QGIS, ogr2ogr) decodes by the code page and reads ä, ö and ² right
    only from ANSI_65001, which ezdxf cannot write itself.
    """
    stream = io.StringIO()
    doc.write(stream)
    text = stream.getvalue().replace(
        "\n$DWGCODEPAGE\n  3\nANSI_1252\n", "\n$DWGCODEPAGE\n  3\nANSI_65001\n", 1
    )
    return text.encode("utf-8")


def _extents(doc: Any) -> None:
    """Record the drawing's extents and an A3 sheet, for viewers that zoom or print from them.

    LibreCAD takes its paper from ``$PLIMMAX`` in drawing units, so the sheet is 0.42 × 0.297
    (metres); fit-to-page printing then scales the drawing onto A3 landscape.
    """
    msp = doc.modelspace()
    box = bbox.extents(msp, fast=True)
    if box.has_data:
        msp.dxf.extmin = box.extmin
        msp.dxf.extmax = box.extmax
        msp.dxf.limmin = (box.extmin.x, box.extmin.y)
        msp.dxf.limmax = (box.extmax.x, box.extmax.y)
    sheet = doc.active_layout()
    sheet.dxf.limmin = (0.0, 0.0)
    sheet.dxf.limmax = (0.42, 0.297)


def _text_style(doc: Any) -> None:
    """Make STANDARD a TrueType style that renders ä, ö and ² in common viewers.

    AutoCAD and most Windows viewers have Arial; ezdxf, LibreOffice and others substitute a
    metric-compatible font (Liberation Sans, DejaVu Sans) where it is missing.
    """
    style = doc.styles.get("Standard")
    style.dxf.font = "arial.ttf"
    style.set_extended_font_data(family="Arial")


def _zone_colours(plan: Plan, catalog: Catalog) -> dict[str, tuple[tuple[int, int, int], int]]:
    """Return every zone's true colour and nearest ACI colour: catalog first, then the plan."""
    hexes = {z.zone: z.colour for z in plan.zones} | {z.id: z.colour for z in catalog.zones}
    for room in plan.rooms:
        hexes.setdefault(room.zone, "#DDDDDD")
    return {zone: (rgb := _rgb(colour), nearest_aci(rgb)) for zone, colour in hexes.items()}


def _darker(rgb: tuple[int, int, int], factor: float = 0.5) -> tuple[int, int, int]:
    r, g, b = (round(c * factor) for c in rgb)
    return r, g, b


def _rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def nearest_aci(rgb: tuple[int, int, int]) -> int:
    """Return the AutoCAD colour index closest to a true colour, never 7 (black or white).

    A coloured input never maps to a grey index, so pale zone colours stay told apart:

    >>> nearest_aci((255, 0, 0)), nearest_aci((0xBF, 0xE3, 0xF2)), nearest_aci((128, 128, 128))
    (1, 141, 8)
    """
    chromatic = max(rgb) - min(rgb) > 12
    greys = {8, 9, *range(250, 256)}
    candidates = [i for i in range(1, 256) if i != 7 and not (chromatic and i in greys)]
    return min(
        candidates,
        key=lambda i: sum((a - b) ** 2 for a, b in zip(colors.aci2rgb(i), rgb, strict=True)),
    )


def _add_layers(doc: Any, zones: dict[str, tuple[tuple[int, int, int], int]]) -> None:
    for name, (_, aci, weight) in LAYERS.items():
        layer = doc.layers.add(name, color=aci)
        if weight:
            layer.dxf.lineweight = weight
        layer.description = LAYERS[name][0]
    for zone, (rgb, aci) in sorted(zones.items()):
        layer = doc.layers.add(zone_layer(zone), color=aci)
        layer.rgb = rgb
        layer.dxf.lineweight = 25
        layer.description = f"rooms of zone {zone}, closed polylines with {APPID} XDATA"


def _add_blocks(doc: Any) -> None:
    door = doc.blocks.new(DOOR_BLOCK)
    door.add_line((0, 0), (0, 1), dxfattribs={"layer": "0"})
    door.add_arc((0, 0), 1.0, 0.0, 90.0, dxfattribs={"layer": "0"})
    entrance = doc.blocks.new(ENTRANCE_BLOCK)
    entrance.add_line((-0.5, 0), (0.5, 0), dxfattribs={"layer": "0"})
    entrance.add_lwpolyline(
        [(-0.25, -0.9), (0.25, -0.9), (0.0, -0.25)], close=True, dxfattribs={"layer": "0"}
    )
    entrance.add_line((0.0, -1.5), (0.0, -0.9), dxfattribs={"layer": "0"})


def _header(doc: Any, plan: Plan, *, lang: str) -> None:
    doc.header["$USERI1"] = plan.option
    doc.header["$USERI2"] = plan.seed
    doc.header["$USERR1"] = plan.gross_factor
    props = {
        "scenario": plan.scenario,
        "option": str(plan.option),
        "strategy": plan.strategy,
        "seed": str(plan.seed),
        "gross_factor": repr(plan.gross_factor),
        "lang": lang,
    }
    for key, value in props.items():
        doc.header.custom_vars.append(f"{APPID}_{key.upper()}", value)


def _snapshot(doc: Any, plan: Plan) -> None:
    """Store the plan as exported in the root dictionary, to compare an edited copy with."""
    packed = base64.b64encode(zlib.compress(plan.model_dump_json().encode("utf-8"), 9)).decode()
    record = doc.rootdict.add_xrecord(_SNAPSHOT_KEY)
    record.extend(
        [(1, _SNAPSHOT_FORMAT)] + [(1, packed[i : i + 240]) for i in range(0, len(packed), 240)]
    )


def _hatch(msp: Any, polygon: Sequence[Point], layer: str, rgb: tuple[int, int, int]) -> None:
    hatch = msp.add_hatch(color=nearest_aci(rgb), dxfattribs={"layer": layer})
    hatch.rgb = rgb
    hatch.paths.add_polyline_path(list(polygon), is_closed=True)


def _obstacle(msp: Any, obstacle: Obstacle) -> None:
    outline = msp.add_lwpolyline(obstacle.polygon, close=True, dxfattribs={"layer": OBSTACLE_LAYER})
    outline.set_xdata(APPID, _xdata("obstacle", id=obstacle.id, obstacle_kind=obstacle.kind))
    hatch = msp.add_hatch(dxfattribs={"layer": OBSTACLE_LAYER})
    hatch.set_pattern_fill("ANSI31", scale=0.05)
    hatch.paths.add_polyline_path(list(obstacle.polygon), is_closed=True)


def door_swing(door: Door, plan: Plan) -> tuple[Point, float]:
    """Return a door's hinge point and the angle (degrees) of its opening, swinging into its room.

    The door opens along the angle from the hinge; the leaf swings to the left of it, into the
    room the door belongs to.
    """
    (ax, ay), (bx, by) = door.wall
    length = math.hypot(bx - ax, by - ay) or 1.0
    ux, uy = (bx - ax) / length, (by - ay) / length
    room = next((r for r in plan.rooms if r.id == door.room), None)
    if room is not None:
        probe = ShapelyPoint(door.at[0] - uy * 0.1, door.at[1] + ux * 0.1)
        if not room.shape.contains(probe):
            ux, uy = -ux, -uy
    hinge = (door.at[0] - ux * door.width_m / 2, door.at[1] - uy * door.width_m / 2)
    return hinge, math.degrees(math.atan2(uy, ux))


def entrance_axis(entrance: Entrance, outline: Polygon) -> float:
    """Return the angle (degrees) of the façade at an entrance, with the inside to its left."""
    ux, uy = _edge_direction(outline, entrance.at)
    if not outline.contains(ShapelyPoint(entrance.at[0] - uy * 0.2, entrance.at[1] + ux * 0.2)):
        ux, uy = -ux, -uy
    return math.degrees(math.atan2(uy, ux))


def _door(msp: Any, door: Door, plan: Plan) -> None:
    """Insert the door block at its hinge, x along the wall, swinging into its room."""
    hinge, angle = door_swing(door, plan)
    insert = msp.add_blockref(
        DOOR_BLOCK,
        hinge,
        dxfattribs={
            "layer": DOOR_LAYER,
            "xscale": door.width_m,
            "yscale": door.width_m,
            "rotation": angle,
        },
    )
    insert.set_xdata(
        APPID,
        _xdata(
            "door",
            id=door.id,
            room=door.room,
            to=door.to,
            width_m=door.width_m,
            door_kind=door.kind,
        ),
    )


def _entrance(msp: Any, entrance: Entrance, outline: Polygon) -> None:
    """Insert the entrance block on the façade with its arrow pointing into the building."""
    insert = msp.add_blockref(
        ENTRANCE_BLOCK,
        entrance.at,
        dxfattribs={
            "layer": ENTRANCE_LAYER,
            "xscale": entrance.width_m,
            "yscale": 1.0,
            "rotation": entrance_axis(entrance, outline),
        },
    )
    insert.set_xdata(
        APPID,
        _xdata("entrance", id=entrance.id, width_m=entrance.width_m, entrance_kind=entrance.kind),
    )


def _edge_direction(outline: Polygon, at: Point) -> tuple[float, float]:
    """Return the unit direction of the outline edge nearest to a point."""
    coords = list(outline.exterior.coords)
    best = min(
        itertools.pairwise(coords),
        key=lambda e: LineString(e).distance(ShapelyPoint(at)),
    )
    (ax, ay), (bx, by) = best
    length = math.hypot(bx - ax, by - ay) or 1.0
    return (bx - ax) / length, (by - ay) / length


def _mtext(
    msp: Any,
    text: str,
    at: Point,
    height: float,
    layer: str,
    *,
    attach: int,
    width: float | None = None,
) -> Any:
    mtext = msp.add_mtext(
        text,
        dxfattribs={
            "layer": layer,
            "char_height": height,
            "style": "Standard",
            "attachment_point": attach,
        },
    )
    mtext.dxf.insert = at
    if width is not None:
        mtext.dxf.width = width
    return mtext


def _escape(text: str) -> str:
    """Escape MTEXT's control characters in plain text."""
    return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")


def _line(msp: Any, a: Point, b: Point, layer: str) -> None:
    msp.add_line(a, b, dxfattribs={"layer": layer})


def _frame(msp: Any, left: float, top: float, width: float, height: float, layer: str) -> None:
    """Draw a box from lines (not a closed polyline, so it is never taken for an outline)."""
    corners = [(left, top), (left + width, top), (left + width, top - height), (left, top - height)]
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        _line(msp, a, b, layer)


def _area_totals(plan: Plan) -> tuple[float, float, float, float]:
    """Return drawn net room area, corridor area, usable (their sum) and gross area, m²."""
    net = math.fsum(r.area_m2 for r in plan.rooms)
    corridors = math.fsum(c.shape.area for c in plan.corridors)
    usable = net + corridors
    return net, corridors, usable, usable * plan.gross_factor


def title_lines(
    plan: Plan,
    *,
    lang: str,
    scale: int = 100,
    scale_note: str = "",
    date: datetime.date | None = None,
) -> list[tuple[str, str]]:
    """Return the title block's label and value pairs (shared by the DXF and the drawings)."""
    words = labels(lang)
    net, corridors, usable, gross = _area_totals(plan)
    return [
        (words["scenario"], plan.scenario),
        (words["option"], str(plan.option)),
        (words["strategy"], plan.strategy),
        (words["date"], (date or datetime.date.today()).isoformat()),
        (words["scale"], f"1:{scale}" + (f" ({scale_note})" if scale_note else "")),
        (words["net"], area_text(net, lang=lang)),
        (words["corridors"], area_text(corridors, lang=lang)),
        (words["usable"], area_text(usable, lang=lang)),
        (words["gross"], area_text(gross, lang=lang) + f" (× {plan.gross_factor:g})"),
    ]


def _title_block(
    msp: Any,
    plan: Plan,
    words: dict[str, str],
    *,
    lang: str,
    title: str | None,
    date: datetime.date | None,
    at: Point,
) -> float:
    left, top = at
    width, row = 12.0, 0.5
    rows = title_lines(plan, lang=lang, date=date)
    heading = title or f"{plan.scenario}, {words['option'].lower()} {plan.option}"
    height = 1.0 + row * len(rows)
    _frame(msp, left, top, width, height, TITLE_BLOCK_LAYER)
    _mtext(
        msp,
        _escape(heading),
        (left + 0.2, top - 0.5),
        0.4,
        TITLE_BLOCK_LAYER,
        attach=4,
        width=width - 0.4,
    )
    y = top - 1.0
    _line(msp, (left, y), (left + width, y), TITLE_BLOCK_LAYER)
    _line(msp, (left + 4.0, y), (left + 4.0, top - height), TITLE_BLOCK_LAYER)
    for label, value in rows:
        _mtext(
            msp,
            _escape(label),
            (left + 0.15, y - row / 2),
            _TEXT_HEIGHT * 0.8,
            TITLE_BLOCK_LAYER,
            attach=4,
        )
        _mtext(
            msp,
            _escape(value),
            (left + 4.15, y - row / 2),
            _TEXT_HEIGHT * 0.8,
            TITLE_BLOCK_LAYER,
            attach=4,
        )
        y -= row
        if y > top - height + 1e-9:
            _line(msp, (left, y), (left + width, y), TITLE_BLOCK_LAYER)
    return top - height


def _legend(
    msp: Any,
    plan: Plan,
    catalog: Catalog,
    zones: dict[str, tuple[tuple[int, int, int], int]],
    words: dict[str, str],
    *,
    lang: str,
    at: Point,
) -> float:
    left, top = at
    _mtext(msp, words["legend"], (left, top), 0.3, NOTE_LAYER, attach=1)
    y = top - 0.8
    for zone in sorted({r.zone for r in plan.rooms}, key=lambda z: (_zone_order(catalog, z), z)):
        square = [(left, y), (left + 0.8, y), (left + 0.8, y - 0.4), (left, y - 0.4)]
        _hatch(msp, square, NOTE_LAYER, zones[zone][0])
        msp.add_lwpolyline(square, close=True, dxfattribs={"layer": NOTE_LAYER})
        _mtext(
            msp,
            _escape(_zone_name(plan, catalog, zone, lang)),
            (left + 1.1, y - 0.2),
            _TEXT_HEIGHT,
            NOTE_LAYER,
            attach=4,
        )
        y -= 0.6
    return y


def _schedule(
    msp: Any, plan: Plan, catalog: Catalog, words: dict[str, str], *, lang: str, at: Point
) -> None:
    """Draw the area schedule: per zone its space types with room counts and net m², totals."""
    left, top = at
    cols = (0.0, 8.0, 9.5, 12.0)
    row = 0.5
    h = _TEXT_HEIGHT * 0.8
    _mtext(msp, _escape(words["schedule"]), (left, top), 0.3, AREA_TABLE_LAYER, attach=1)
    y = top - 0.8
    lines: list[tuple[str, str, str, bool]] = [
        (words["space"], words["count"], words["area"], True)
    ]
    by_zone: dict[str, list[PlanRoom]] = defaultdict(list)
    for room in plan.rooms:
        by_zone[room.zone].append(room)
    for zone in sorted(by_zone, key=lambda z: (_zone_order(catalog, z), z)):
        rooms = by_zone[zone]
        lines.append(
            (
                _zone_name(plan, catalog, zone, lang),
                str(len(rooms)),
                area_text(math.fsum(r.area_m2 for r in rooms), lang=lang)[:-3],
                True,
            )
        )
        kinds: dict[str, list[PlanRoom]] = defaultdict(list)
        for room in rooms:
            kinds[room.space_type].append(room)
        for kind, members in sorted(kinds.items()):
            name = str(getattr(members[0].names, lang)) if kind != UNKNOWN_SPACE_TYPE else "?"
            lines.append(
                (
                    name,
                    str(len(members)),
                    area_text(math.fsum(r.area_m2 for r in members), lang=lang)[:-3],
                    False,
                )
            )
    net, corridors, usable, gross = _area_totals(plan)
    lines += [
        (words["net"], str(len(plan.rooms)), area_text(net, lang=lang)[:-3], True),
        (words["corridors"], str(len(plan.corridors)), area_text(corridors, lang=lang)[:-3], False),
        (words["usable"], "", area_text(usable, lang=lang)[:-3], True),
        (f"{words['gross']} (× {plan.gross_factor:g})", "", area_text(gross, lang=lang)[:-3], True),
    ]
    _line(msp, (left, y), (left + cols[-1], y), AREA_TABLE_LAYER)
    bottom = y - row * len(lines)
    for x in cols:
        _line(msp, (left + x, y), (left + x, bottom), AREA_TABLE_LAYER)
    for name, count, area, strong in lines:
        text = _escape(textwrap.shorten(name, 44, placeholder="..."))
        _mtext(
            msp,
            text,
            (left + (0.15 if strong else 0.6), y - row / 2),
            h * (1.1 if strong else 1.0),
            AREA_TABLE_LAYER,
            attach=4,
        )
        _mtext(msp, count, (left + cols[2] - 0.15, y - row / 2), h, AREA_TABLE_LAYER, attach=6)
        _mtext(msp, area, (left + cols[3] - 0.15, y - row / 2), h, AREA_TABLE_LAYER, attach=6)
        y -= row
        _line(msp, (left, y), (left + cols[-1], y), AREA_TABLE_LAYER)


def _zone_order(catalog: Catalog, zone_id: str) -> int:
    return next((z.order for z in catalog.zones if z.id == zone_id), 99)


def _zone_name(plan: Plan, catalog: Catalog, zone_id: str, lang: str) -> str:
    for zone in catalog.zones:
        if zone.id == zone_id:
            return str(getattr(zone.names, lang))
    for area in plan.zones:
        if area.zone == zone_id:
            return str(getattr(area.names, lang))
    return zone_id


# --------------------------------------------------------------------------- XDATA


def _xdata(kind: str, **values: str | float | bool) -> list[tuple[int, str | float | int]]:
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


def _room_data(room: PlanRoom) -> dict[str, str | float | bool]:
    return {
        "id": room.id,
        "space_type": room.space_type,
        "zone": room.zone,
        "programme_area_m2": room.programme_area_m2,
        "enclosed": room.enclosed,
        "staff_only": room.staff_only,
        "secure": room.secure,
        "serves_lobby": room.serves_lobby,
        "name_fi": room.names.fi,
        "name_en": room.names.en,
    }


def _read_xdata(entity: Any) -> dict[str, Any]:
    """Return an entity's SPCONFIG record as a dict (empty without one)."""
    if not entity.has_xdata(APPID):
        return {}
    values = [tag.value for tag in entity.get_xdata(APPID)]
    return {str(values[i]): values[i + 1] for i in range(0, len(values) - 1, 2)}


# --------------------------------------------------------------------------- reading


def _read(path: Path) -> Any:
    """Read a DXF file, turning every failure into one located problem."""
    if not path.is_file():
        raise ConfigError([Problem("E120", "cannot read the DXF file: no such file", path)])
    try:
        return read_dxf(path)
    except (OSError, DXFError, UnicodeDecodeError, ValueError) as exc:
        detail = str(exc).replace(f"File '{path}' ", "").rstrip(".")
        raise ConfigError([Problem("E121", f"not a readable DXF file ({detail})", path)]) from None


def _unit_factor(doc: Any, path: Path, override: str | None) -> float:
    """Return the factor from drawing units to metres, from ``$INSUNITS`` or the override."""
    if override is not None:
        if override not in _UNIT_CODES:
            raise ConfigError(
                [
                    Problem(
                        "E520",
                        f"unknown units {override!r}; expected one of {', '.join(_UNIT_CODES)}",
                        path,
                    )
                ]
            )
        return float(
            units.conversion_factor(InsertUnits(_UNIT_CODES[override]), InsertUnits.Meters)
        )
    code = int(doc.header.get("$INSUNITS", 0))
    if code not in _UNIT_NAMES:
        what = "unitless" if code == 0 else f"unsupported unit code {code}"
        raise ConfigError(
            [
                Problem(
                    "E520",
                    f"unknown units: $INSUNITS = {code} ({what}); set $INSUNITS in the drawing "
                    f"(UNITS command) or pass units= one of {', '.join(_UNIT_CODES)}",
                    path,
                    path="$INSUNITS",
                )
            ]
        )
    return float(units.conversion_factor(InsertUnits(code), InsertUnits.Meters))


class _Ring(NamedTuple):
    entity: Any
    points: list[Point]
    closed: bool


def _rings(msp: Any, layers: Iterable[str] | None, factor: float) -> list[_Ring]:
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
        rings.append(_Ring(entity, points, closed))
    return rings


def _where(entity: Any) -> str:
    return f"{entity.dxftype()} #{entity.dxf.handle} on layer {entity.dxf.layer}"


def _ccw(points: list[Point]) -> list[Point]:
    """Return the ring counter-clockwise (shoelace area positive)."""
    area = sum(
        a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1], strict=True)
    )
    return points if area >= 0 else points[::-1]


def _outline(doc: Any, path: Path, layer: str | None, factor: float) -> tuple[Polygon, Any]:
    """Return the largest closed polyline on a layer (any layer if None) as a valid polygon."""
    msp = doc.modelspace()
    rings = _rings(msp, None if layer is None else [layer], factor)
    where = f"layer {layer}" if layer is not None else "any layer"
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
                        f"open outline: {_where(biggest.entity)} is not closed (its ends are "
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
                    f"no closed polyline (LWPOLYLINE or POLYLINE) on {where} to take as the "
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
                    f"self-crossing outline: {_where(best.entity)} is not a simple polygon "
                    f"({explain_validity(polygon)}); redraw it without crossings",
                    path,
                    path=f"#{best.entity.dxf.handle}",
                )
            ]
        )
    return Polygon(_ccw(best.points)), best.entity


def _obstacles(
    doc: Any, path: Path, layer: str, factor: float, outline: Polygon
) -> tuple[list[schema.Obstacle], list[Problem]]:
    problems: list[Problem] = []
    obstacles: list[schema.Obstacle] = []
    for n, ring in enumerate(_rings(doc.modelspace(), [layer], factor), start=1):
        data = _read_xdata(ring.entity)
        polygon = Polygon(ring.points) if len(ring.points) >= 3 else Polygon()
        if not ring.closed or not polygon.is_valid or polygon.area <= 0:
            problems.append(
                Problem(
                    "E526",
                    f"obstacle {_where(ring.entity)} must be a closed, simple polyline",
                    path,
                    path=f"#{ring.entity.dxf.handle}",
                )
            )
            continue
        if not outline.buffer(_ON_OUTLINE_M).contains(polygon):
            problems.append(
                Problem(
                    "E527",
                    f"obstacle {_where(ring.entity)} is not inside the building outline",
                    path,
                    path=f"#{ring.entity.dxf.handle}",
                )
            )
            continue
        kind = str(data.get("obstacle_kind", "")) or _obstacle_kind(ring.entity.dxf.layer)
        ident = str(data.get("id", f"obstacle_{n}"))
        obstacles.append(
            schema.Obstacle(
                id=_identifier(ident, f"obstacle_{n}"),
                kind=_known_kind(kind),
                polygon=_ccw(ring.points),
            )
        )
    return obstacles, problems


def _obstacle_kind(layer: str) -> str:
    name = layer.upper()
    for needle, kind in (("STAIR", "stair"), ("STRS", "stair"), ("ELEV", "lift"), ("LIFT", "lift"),
                         ("SHAFT", "shaft"), ("SHFT", "shaft"), ("COL", "column")):  # fmt: skip
        if needle in name:
            return kind
    return "other"


ObstacleKind = Literal["stair", "lift", "shaft", "column", "courtyard", "other"]
_OBSTACLE_KINDS: dict[str, ObstacleKind] = {
    "stair": "stair",
    "lift": "lift",
    "shaft": "shaft",
    "column": "column",
}
EntranceKind = Literal["main", "side", "staff"]
_ENTRANCE_KINDS: dict[str, EntranceKind] = {"main": "main", "side": "side", "staff": "staff"}


_CIRCULATION_KINDS: dict[str, Literal["corridor", "passage", "hall"]] = {
    "corridor": "corridor",
    "passage": "passage",
    "hall": "hall",
}
_PRIVACIES: dict[str, Privacy] = {"open": "open", "semi_open": "semi_open", "private": "private"}


def _known_kind(kind: str) -> ObstacleKind:
    return _OBSTACLE_KINDS.get(kind, "other")


def _identifier(text: str, fallback: str) -> str:
    cleaned = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")
    return cleaned if re.fullmatch(r"[a-z][a-z0-9_]{0,47}", cleaned) else fallback


class _Mark(NamedTuple):
    entity: Any
    at: Point
    width: float | None
    kind: str | None
    ident: str | None


def _marks(doc: Any, layer: str, factor: float) -> list[_Mark]:
    """Return entrance marks: POINTs, CIRCLEs and block INSERTs on a layer (or its sub-layers)."""
    marks = []
    prefix = layer.upper()
    for entity in doc.modelspace().query("POINT CIRCLE INSERT"):
        name = entity.dxf.layer.upper()
        if name != prefix and not name.startswith(prefix + "-"):
            continue
        data = _read_xdata(entity)
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
        marks.append(_Mark(entity, (x * factor, y * factor), width, kind, ident))
    return marks


def _entrances(
    doc: Any,
    path: Path,
    layer: str,
    factor: float,
    outline: Polygon,
    given: Sequence[schema.Entrance],
    snap_m: float,
) -> tuple[list[schema.Entrance], list[Problem]]:
    """Read entrances from the layer, snapped to the outline; else keep the given ones on it."""
    problems: list[Problem] = []
    boundary = outline.exterior
    marks = _marks(doc, layer, factor)
    if not marks:
        if not given:
            return [], [
                Problem(
                    "E524",
                    f"no entrance: draw a POINT, CIRCLE or block INSERT on layer {layer} "
                    "(a layer or block name with STAF marks a staff entrance) or give the "
                    "entrances in the scenario",
                    path,
                    path=layer,
                )
            ]
        kept = []
        for entrance in given:
            gap = float(boundary.distance(ShapelyPoint(entrance.at)))
            if gap > snap_m:
                problems.append(
                    Problem(
                        "E525",
                        f"the scenario's entrance {entrance.id!r} at {entrance.at} is {gap:.2f} m "
                        f"from the imported outline; draw the entrances on layer {layer} instead",
                        path,
                        path=layer,
                    )
                )
            else:
                kept.append(entrance.model_copy(update={"at": _snap(boundary, entrance.at)}))
        return kept, problems
    entrances: list[schema.Entrance] = []
    visitors = 0
    used: set[str] = set()
    for n, mark in enumerate(marks, start=1):
        gap = float(boundary.distance(ShapelyPoint(mark.at)))
        if gap > snap_m:
            problems.append(
                Problem(
                    "E525",
                    f"entrance {_where(mark.entity)} at ({mark.at[0]:.2f}, {mark.at[1]:.2f}) m is "
                    f"{gap:.2f} m from the outline; place it on the outline "
                    f"(snap tolerance {snap_m} m)",
                    path,
                    path=f"#{mark.entity.dxf.handle}",
                )
            )
            continue
        kind = _ENTRANCE_KINDS.get(mark.kind or "") or ("main" if visitors == 0 else "side")
        visitors += kind != "staff"
        fallback = f"{'staff_' if kind == 'staff' else ''}entrance_{n}"
        ident = _identifier(mark.ident or fallback, fallback)
        if ident in used:
            ident = fallback
        used.add(ident)
        width = min(10.0, max(0.9, mark.width or (1.2 if kind == "staff" else 1.8)))
        entrances.append(
            schema.Entrance(id=ident, at=_snap(boundary, mark.at), width_m=width, kind=kind)
        )
    return entrances, problems


def _snap(boundary: Any, at: Point) -> Point:
    p = boundary.interpolate(boundary.project(ShapelyPoint(at)))
    return (round(float(p.x), 6), round(float(p.y), 6))


def _windows(doc: Any, layer: str, factor: float) -> list[tuple[Point, Point]]:
    return [
        (
            (e.dxf.start.x * factor, e.dxf.start.y * factor),
            (e.dxf.end.x * factor, e.dxf.end.y * factor),
        )
        for e in doc.modelspace().query("LINE")
        if e.dxf.layer.upper() == layer.upper()
    ]


def footprint_from_dxf(
    path: Path,
    *,
    layer: str | None = None,
    obstacle_layer: str = OBSTACLE_LAYER,
    entrance_layer: str = ENTRANCE_LAYER,
    window_layer: str = WINDOW_LAYER,
    units: Units | None = None,
    entrances: Sequence[schema.Entrance] = (),
    snap_m: float = 0.5,
) -> Footprint:
    """Read a building footprint from a DXF drawing, converted to metres.

    The outline is the largest closed polyline on ``layer`` (on any layer if None). Units come
    from ``$INSUNITS`` (mm, cm, dm, m, inches, feet); a unitless drawing needs ``units=``, which
    also overrides the header. Closed polylines on ``obstacle_layer`` become obstacles; POINTs,
    CIRCLEs (diameter = width) and block INSERTs on ``entrance_layer`` or its sub-layers become
    entrances, snapped to the outline within ``snap_m``; a layer or block name containing
    ``STAF`` (or an attribute ``KIND``) marks a staff entrance. Without entrance marks the given
    ``entrances`` (the scenario's) are kept if they lie on the new outline. LINEs on
    ``window_layer`` are windows (all façades if there are none). Raises :class:`ConfigError`
    naming the file, layer and entity handle of every problem.
    """
    path = Path(path)
    doc = _read(path)
    factor = _unit_factor(doc, path, units)
    outline, _ = _outline(doc, path, layer, factor)
    obstacles, problems = _obstacles(doc, path, obstacle_layer, factor, outline)
    found, more = _entrances(doc, path, entrance_layer, factor, outline, entrances, snap_m)
    problems += more
    if problems:
        raise ConfigError(problems)
    windows = _windows(doc, window_layer, factor)
    try:
        footprint = Footprint(
            polygon=[(round(x, 6), round(y, 6)) for x, y in list(outline.exterior.coords)[:-1]],
            entrances=found,
            obstacles=obstacles,
            windows=windows or "all",
        )
    except ValidationError as exc:
        raise ConfigError(
            [
                Problem("E528", error["msg"], path, path=entrance_layer)
                for error in exc.errors(include_url=False)
            ]
        ) from None
    problems = [Problem(p.code, p.message, path, path=p.path) for p in audit_footprint(footprint)]
    if problems:
        raise ConfigError(problems)
    return footprint


# --------------------------------------------------------------------------- plan round trip


def exported_plan_from_dxf(path: Path) -> Plan | None:
    """Return the plan as it was exported (the snapshot in the DXF), or None if it is gone.

    CAD programs that keep unknown objects (AutoCAD, BricsCAD) keep the snapshot; others drop it.
    """
    doc = _read(Path(path))
    record = doc.rootdict.get(_SNAPSHOT_KEY)
    if record is None or record.dxftype() != "XRECORD":
        return None
    values = [str(tag.value) for tag in record.tags if tag.code == 1]
    if not values or values[0] != _SNAPSHOT_FORMAT:
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
    doc = _read(path)
    factor = _unit_factor(doc, path, None)
    meta = _meta(doc)
    msp = doc.modelspace()
    problems: list[Problem] = []
    has_outline = any(
        e.dxf.layer.upper() == OUTLINE_LAYER for e in msp.query("LWPOLYLINE POLYLINE")
    )
    outline, _ = _outline(doc, path, OUTLINE_LAYER if has_outline else None, factor)

    tags = _tags(msp, factor)
    rooms: list[PlanRoom] = []
    taken: Counter[str] = Counter()
    area_layers = [
        e.dxf.layer
        for e in msp.query("LWPOLYLINE POLYLINE")
        if e.dxf.layer.upper().startswith(ROOM_LAYER_PREFIX)
        and e.dxf.layer.upper()[len(ROOM_LAYER_PREFIX) :] not in _RESERVED_AREA
    ]
    for ring in _rings(msp, sorted(set(area_layers)), factor):
        entity = ring.entity
        zone_id = _zone_of_layer(entity.dxf.layer, catalog)
        handle = f"#{entity.dxf.handle}"
        if zone_id is None:
            known = ", ".join(zone_layer(z.id) for z in catalog.zones)
            problems.append(
                Problem(
                    "E530",
                    f"{_where(entity)}: the layer names no zone of the catalog ({known})",
                    path,
                    path=handle,
                )
            )
            continue
        polygon = Polygon(ring.points) if len(ring.points) >= 3 else Polygon()
        if not ring.closed or len(ring.points) < 4 or not polygon.is_valid or polygon.area <= 0:
            problems.append(
                Problem(
                    "E531",
                    f"room {_where(entity)} must be a closed, simple polyline "
                    "with at least 4 corners",
                    path,
                    path=handle,
                )
            )
            continue
        rooms.append(_room(entity, ring.points, zone_id, polygon, tags, catalog, taken))
    corridors = _corridors(msp, factor)
    obstacles, more = _obstacles(doc, path, OBSTACLE_LAYER, factor, outline)
    problems += more
    if problems:
        raise ConfigError(problems)
    entrances = [
        Entrance(
            id=m.ident or f"entrance_{n}",
            at=_snap(outline.exterior, m.at),
            width_m=m.width or 1.8,
            kind=_ENTRANCE_KINDS.get(m.kind or "", "main"),
        )
        for n, m in enumerate(_marks(doc, ENTRANCE_LAYER, factor), start=1)
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
        windows=_windows(doc, WINDOW_LAYER, factor),
        zones=zone_areas(rooms, catalog.zones),
        rooms=rooms,
        corridors=corridors,
        doors=_doors(
            msp, factor, {r.id: r.polygon for r in rooms} | {c.id: c.polygon for c in corridors}
        ),
        gross_factor=float(meta.get("gross_factor", scenario.factors.gross_factor)),
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
    data = _read_xdata(entity)
    if data.get("kind") == "room" and data.get("id"):
        space_type = str(data.get("space_type", UNKNOWN_SPACE_TYPE))
        ident = str(data["id"])
        names = Names(
            fi=str(data.get("name_fi") or space_type), en=str(data.get("name_en") or space_type)
        )
        area = float(data.get("programme_area_m2", polygon.area))
        enclosed = bool(data.get("enclosed", 1))
        staff_only = bool(data.get("staff_only", int(not zone.visitor_access)))
        secure = bool(data.get("secure", 0))
        serves_lobby = bool(data.get("serves_lobby", 0))
    else:
        lines = next((lines for at, lines in tags if polygon.contains(at)), [])
        space_type, found = _identify(lines, catalog)
        if space_type == UNKNOWN_SPACE_TYPE:
            label = lines[0] if lines else ""
            names = Names(
                fi=label or _LABELS["fi"]["unknown"], en=label or _LABELS["en"]["unknown"]
            )
        else:
            names = catalog.space_type(space_type).names
        ident = found or f"{space_type}_added"
        area = float(polygon.area)
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
        polygon=_ccw(points),
        programme_area_m2=area if area > 0 else float(polygon.area),
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
                return by_name[base], _identifier(line, line)
            ident = ident or _identifier(line, "")
    for line in lines:
        if line.casefold() in by_name:
            return by_name[line.casefold()], ident or None
    return UNKNOWN_SPACE_TYPE, ident or None


def _corridors(msp: Any, factor: float) -> list[Corridor]:
    corridors = []
    for n, ring in enumerate(_rings(msp, [CIRCULATION_LAYER], factor), start=1):
        if not ring.closed or len(ring.points) < 4:
            continue
        data = _read_xdata(ring.entity)
        shape = Polygon(ring.points)
        minx, miny, maxx, maxy = shape.bounds
        kind = str(data.get("circulation", "corridor"))
        privacy = str(data.get("privacy", "semi_open"))
        corridors.append(
            Corridor(
                id=str(data.get("id", f"corridor_{n}")),
                polygon=_ccw(ring.points),
                width_m=float(data.get("width_m", min(maxx - minx, maxy - miny))),
                staff_only=bool(data.get("staff_only", 0)),
                kind=_CIRCULATION_KINDS.get(kind, "corridor"),
                privacy=_PRIVACIES.get(privacy, "semi_open"),
            )
        )
    return corridors


def _doors(msp: Any, factor: float, spaces: dict[str, list[Point]]) -> list[Door]:
    """Read the door blocks back; a door of a room or corridor that is gone is dropped."""
    doors: list[Door] = []
    for entity in msp.query("INSERT"):
        if entity.dxf.layer.upper() != DOOR_LAYER:
            continue
        data = _read_xdata(entity)
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


# --------------------------------------------------------------------------- comparisons


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoomMove(_Frozen):
    """A room whose centroid moved."""

    room: str
    dx: float
    dy: float

    @property
    def distance(self) -> float:
        """Return how far the centroid moved, m."""
        return math.hypot(self.dx, self.dy)


class RoomResize(_Frozen):
    """A room whose drawn area changed."""

    room: str
    before_m2: float
    after_m2: float

    @property
    def change(self) -> float:
        """Return the relative change of area (0.1 = 10 % larger)."""
        return self.after_m2 / self.before_m2 - 1.0


class RoomZoneChange(_Frozen):
    """A room moved to another zone's layer."""

    room: str
    before: str
    after: str


class PlanDiff(_Frozen):
    """What changed in a plan against a reference, room by room (matched by id)."""

    missing: list[str] = Field(description="Rooms of the reference not in the edited plan.")
    added: list[str] = Field(description="Rooms of the edited plan not in the reference.")
    moved: list[RoomMove]
    resized: list[RoomResize]
    rezoned: list[RoomZoneChange]

    @property
    def is_empty(self) -> bool:
        """Return whether nothing changed."""
        return not (self.missing or self.added or self.moved or self.resized or self.rezoned)

    def lines(self) -> list[str]:
        """Describe every change in one line each."""
        out = [f"missing room: {r}" for r in self.missing]
        out += [f"added room: {r}" for r in self.added]
        out += [f"moved room: {m.room} by ({m.dx:+.2f}, {m.dy:+.2f}) m" for m in self.moved]
        out += [
            f"resized room: {r.room} {r.before_m2:.1f} → {r.after_m2:.1f} m² ({r.change:+.1%})"
            for r in self.resized
        ]
        out += [f"room {z.room} moved from zone {z.before} to {z.after}" for z in self.rezoned]
        return out


def compare_plans(
    reference: Plan,
    edited: Plan,
    *,
    move_tolerance_m: float = 0.05,
    area_tolerance: float = 0.01,
) -> PlanDiff:
    """List the rooms missing, added, moved (centroid shift), resized (area change) and rezoned.

    Rooms are matched by id. A room resized by dragging one wall also moves its centroid, so
    it is reported as both.
    """
    before = {r.id: r for r in reference.rooms}
    after = {r.id: r for r in edited.rooms}
    moved, resized, rezoned = [], [], []
    for ident in before.keys() & after.keys():
        a, b = before[ident], after[ident]
        ca, cb = a.shape.centroid, b.shape.centroid
        if math.hypot(cb.x - ca.x, cb.y - ca.y) > move_tolerance_m:
            moved.append(RoomMove(room=ident, dx=round(cb.x - ca.x, 4), dy=round(cb.y - ca.y, 4)))
        if a.area_m2 > 0 and abs(b.area_m2 / a.area_m2 - 1.0) > area_tolerance:
            resized.append(RoomResize(room=ident, before_m2=a.area_m2, after_m2=b.area_m2))
        if a.zone != b.zone:
            rezoned.append(RoomZoneChange(room=ident, before=a.zone, after=b.zone))
    return PlanDiff(
        missing=sorted(before.keys() - after.keys()),
        added=sorted(after.keys() - before.keys()),
        moved=sorted(moved, key=lambda m: m.room),
        resized=sorted(resized, key=lambda r: r.room),
        rezoned=sorted(rezoned, key=lambda z: z.room),
    )


class RoomDeviation(_Frozen):
    """One drawn room against the programme's room area."""

    room: str
    programme_m2: float
    drawn_m2: float

    @property
    def deviation(self) -> float:
        """Return the relative deviation (0.1 = drawn 10 % larger than programmed)."""
        return self.drawn_m2 / self.programme_m2 - 1.0 if self.programme_m2 else 0.0


class SpaceTypeCheck(_Frozen):
    """One space type: rooms programmed against rooms drawn, with each room's area deviation."""

    space_type: str
    zone: str
    programme_rooms: int
    drawn_rooms: int
    rooms: list[RoomDeviation]


class ProgrammeCheck(_Frozen):
    """A drawn plan against its space programme."""

    space_types: list[SpaceTypeCheck]
    misplaced: list[RoomZoneChange] = Field(
        description="Rooms drawn in a zone other than their space type's (before = expected)."
    )
    unknown_rooms: list[str] = Field(description="Rooms whose space type is not in the programme.")
    area_tolerance: float

    @property
    def count_mismatches(self) -> list[SpaceTypeCheck]:
        """Return the space types drawn with more or fewer rooms than programmed."""
        return [s for s in self.space_types if s.programme_rooms != s.drawn_rooms]

    @property
    def area_deviations(self) -> list[RoomDeviation]:
        """Return the rooms whose area deviates from the programme beyond the tolerance."""
        return [
            r for s in self.space_types for r in s.rooms if abs(r.deviation) > self.area_tolerance
        ]

    @property
    def ok(self) -> bool:
        """Return whether counts, areas (within tolerance) and zones all match."""
        return not (
            self.count_mismatches or self.area_deviations or self.misplaced or self.unknown_rooms
        )

    def lines(self) -> list[str]:
        """Describe every finding in one line each (a single line when all is well)."""
        out = [
            f"{s.space_type}: {s.drawn_rooms} room(s) drawn, {s.programme_rooms} in the programme"
            for s in self.count_mismatches
        ]
        out += [
            f"{r.room}: {r.drawn_m2:.1f} m² drawn, {r.programme_m2:.1f} m² programmed "
            f"({r.deviation:+.0%})"
            for r in self.area_deviations
        ]
        out += [
            f"{m.room}: drawn in zone {m.after}, its space type belongs to zone {m.before}"
            for m in self.misplaced
        ]
        out += [
            f"{r}: space type not identified (no XDATA, no tag naming one)"
            for r in self.unknown_rooms
        ]
        return out or [f"matches the programme (areas within ±{self.area_tolerance:.0%})"]


def check_against_programme(
    plan: Plan, program: Program, *, area_tolerance: float = 0.10
) -> ProgrammeCheck:
    """Compare the rooms drawn with the programme: counts, areas and zones per space type.

    Privacy is checked as placement: a room drawn on a zone layer other than its space type's
    zone is listed in ``misplaced``.
    """
    rows = {row.space_type: row for row in program.rows}
    drawn: dict[str, list[PlanRoom]] = defaultdict(list)
    unknown = []
    misplaced = []
    for room in plan.rooms:
        row = rows.get(room.space_type)
        if row is None:
            unknown.append(room.id)
            continue
        drawn[room.space_type].append(room)
        if room.zone != row.zone:
            misplaced.append(RoomZoneChange(room=room.id, before=row.zone, after=room.zone))
    checks = [
        SpaceTypeCheck(
            space_type=row.space_type,
            zone=row.zone,
            programme_rooms=row.rooms,
            drawn_rooms=len(drawn[row.space_type]),
            rooms=[
                RoomDeviation(
                    room=r.id,
                    programme_m2=row.room_area_m2 or r.programme_area_m2,
                    drawn_m2=r.area_m2,
                )
                for r in sorted(drawn[row.space_type], key=lambda r: r.id)
            ],
        )
        for row in program.rows
        if row.rooms or drawn[row.space_type]
    ]
    return ProgrammeCheck(
        space_types=checks,
        misplaced=misplaced,
        unknown_rooms=sorted(unknown),
        area_tolerance=area_tolerance,
    )
