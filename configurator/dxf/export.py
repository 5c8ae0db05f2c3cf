"""Write a plan as a layered DXF drawing with title block, legend and area schedule."""

from __future__ import annotations

import base64
import datetime
import io
import math
import re
import textwrap
import zlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ezdxf import bbox, colors, units
from ezdxf.filemanagement import new as new_dxf
from shapely.geometry import Polygon

from configurator._io import atomic_path
from configurator.documents.annotation import (
    SPARE_COLOUR,
    TEXT_HEIGHT,
    area_text,
    area_totals,
    door_swing,
    entrance_axis,
    labels,
    room_tag,
    title_lines,
)
from configurator.dxf._common import (
    APPID,
    AREA_PATTERN_LAYER,
    AREA_TABLE_LAYER,
    CIRCULATION_LAYER,
    CIRCULATION_PATTERN_LAYER,
    DOOR_BLOCK,
    DOOR_LAYER,
    ENTRANCE_BLOCK,
    ENTRANCE_LAYER,
    LAYERS,
    NOTE_LAYER,
    OBSTACLE_LAYER,
    OUTLINE_LAYER,
    ROOM_TAG_LAYER,
    SNAPSHOT_FORMAT,
    SNAPSHOT_KEY,
    SPARE_LAYER,
    TITLE_BLOCK_LAYER,
    UNKNOWN_SPACE_TYPE,
    WINDOW_LAYER,
    xdata_record,
    zone_layer,
)
from configurator.model.plan import (
    Door,
    Entrance,
    Obstacle,
    Plan,
    PlanRoom,
    Point,
    SpareArea,
)
from configurator.model.schema import Catalog


def plan_to_dxf(
    plan: Plan,
    path: Path,
    *,
    catalog: Catalog,
    lang: str = "fi",
    title: str | None = None,
    date: datetime.date | None = None,
) -> None:
    """Write :func:`plan_to_dxf_bytes`'s drawing to ``path``, atomically."""
    data = plan_to_dxf_bytes(plan, catalog=catalog, lang=lang, title=title, date=date)
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)


def plan_to_dxf_bytes(
    plan: Plan,
    *,
    catalog: Catalog,
    lang: str = "fi",
    title: str | None = None,
    date: datetime.date | None = None,
) -> bytes:
    """Return a plan as a DXF R2010 drawing in metres, 1:1 in model space.

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
    _fixed_stamps(doc, plan, date)
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
    for spare in plan.spares:
        _hatch(msp, spare.polygon, AREA_PATTERN_LAYER, _SPARE_FILL)
    msp.add_lwpolyline(plan.footprint, close=True, dxfattribs={"layer": OUTLINE_LAYER})
    for room in rooms:
        outline = msp.add_lwpolyline(
            room.polygon, close=True, dxfattribs={"layer": zone_layer(room.zone)}
        )
        # The layer has the zone colour, like the fill; a darker line keeps rooms apart.
        outline.rgb = _darker(zones[room.zone][0])
        outline.set_xdata(APPID, xdata_record("room", **_room_data(room)))
    for spare in plan.spares:
        line = msp.add_lwpolyline(spare.polygon, close=True, dxfattribs={"layer": SPARE_LAYER})
        line.set_xdata(APPID, xdata_record("spare", id=spare.id, rent_eur_year=spare.rent_eur_year))
    for corridor in plan.corridors:
        line = msp.add_lwpolyline(
            corridor.polygon, close=True, dxfattribs={"layer": CIRCULATION_LAYER}
        )
        line.set_xdata(
            APPID,
            xdata_record(
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
    tagged: list[PlanRoom | SpareArea] = [*rooms, *plan.spares]
    for item in tagged:
        tag = room_tag(item, lang=lang)
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
    return _utf8_dxf(doc)


_SPARE_FILL = (
    int(SPARE_COLOUR[1:3], 16),
    int(SPARE_COLOUR[3:5], 16),
    int(SPARE_COLOUR[5:7], 16),
)

_UNDATED = datetime.date(2000, 1, 1)
"""The header date of a drawing whose scenario has no date (the title block then says —)."""


def _fixed_stamps(doc: Any, plan: Plan, date: datetime.date | None) -> None:
    """Date the drawing by the scenario's date (midnight; undated: 2000-01-01), never the clock.

    So two exports of one plan are the same bytes ($TDCREATE, $TDUPDATE and the GUIDs otherwise
    change with every run); the GUIDs come from the plan.
    """
    import hashlib
    import uuid

    day = date or _UNDATED
    julian = day.toordinal() + 1721424.5  # Julian day number at midnight
    for key in ("$TDCREATE", "$TDUCREATE", "$TDUPDATE", "$TDUUPDATE"):
        doc.header[key] = julian
    for key in ("$TDINDWG", "$TDUSRTIMER"):
        doc.header[key] = 0.0
    digest = hashlib.sha256(plan.model_dump_json().encode("utf-8")).digest()
    doc.header["$FINGERPRINTGUID"] = "{" + str(uuid.UUID(bytes=digest[:16])).upper() + "}"
    doc.header["$VERSIONGUID"] = _version_guid(doc.header["$FINGERPRINTGUID"])


def _version_guid(fingerprint: str) -> str:
    """The version GUID, derived from the fingerprint (ezdxf draws a random one on writing)."""
    import uuid

    return "{" + str(uuid.uuid5(uuid.NAMESPACE_OID, fingerprint)).upper() + "}"


def _utf8_dxf(doc: Any) -> bytes:
    """Return the drawing as DXF text, declaring its UTF-8 as code page ANSI_65001.

    R2010 text is UTF-8 whatever ``$DWGCODEPAGE`` says, and AutoCAD, LibreCAD and ezdxf know
    it; GDAL before 3.8 (QGIS, ogr2ogr) decodes by the code page and reads ä, ö and ² right
    only from ANSI_65001, which ezdxf cannot write itself.
    """
    # ezdxf adds a CLASS per entity type in use from a set, so their order followed the process's
    # string hashing; add them now and sort them, and the same plan gives the same bytes
    doc.classes.add_required_classes(doc.dxfversion)
    doc.classes.classes = dict(sorted(doc.classes.classes.items()))
    stream = io.StringIO()
    doc.write(stream)
    text = stream.getvalue().replace(
        "\n$DWGCODEPAGE\n  3\nANSI_1252\n", "\n$DWGCODEPAGE\n  3\nANSI_65001\n", 1
    )
    # ezdxf stamps the time of writing into these; the drawing's own date stands instead.
    created = doc.header["$TDCREATE"]
    for key in ("$TDUPDATE", "$TDUUPDATE"):
        text = re.sub(rf"\n\{key}\n 40\n[0-9.]+\n", f"\n{key}\n 40\n{created}\n", text, count=1)
    version = _version_guid(doc.header["$FINGERPRINTGUID"])
    text = re.sub(r"\n\$VERSIONGUID\n  2\n\{[0-9A-F-]+\}\n", f"\n$VERSIONGUID\n  2\n{version}\n",
                  text, count=1)  # fmt: skip
    text = re.sub(r"\n(\d+\.\d+\.\d+) @ [0-9T:.+-]+\n", r"\n\1\n", text)
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
    record = doc.rootdict.add_xrecord(SNAPSHOT_KEY)
    record.extend(
        [(1, SNAPSHOT_FORMAT)] + [(1, packed[i : i + 240]) for i in range(0, len(packed), 240)]
    )


def _hatch(msp: Any, polygon: Sequence[Point], layer: str, rgb: tuple[int, int, int]) -> None:
    hatch = msp.add_hatch(color=nearest_aci(rgb), dxfattribs={"layer": layer})
    hatch.rgb = rgb
    hatch.paths.add_polyline_path(list(polygon), is_closed=True)


def _obstacle(msp: Any, obstacle: Obstacle) -> None:
    outline = msp.add_lwpolyline(obstacle.polygon, close=True, dxfattribs={"layer": OBSTACLE_LAYER})
    outline.set_xdata(APPID, xdata_record("obstacle", id=obstacle.id, obstacle_kind=obstacle.kind))
    hatch = msp.add_hatch(dxfattribs={"layer": OBSTACLE_LAYER})
    hatch.set_pattern_fill("ANSI31", scale=0.05)
    hatch.paths.add_polyline_path(list(obstacle.polygon), is_closed=True)


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
        xdata_record(
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
        xdata_record(
            "entrance", id=entrance.id, width_m=entrance.width_m, entrance_kind=entrance.kind
        ),
    )


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
            TEXT_HEIGHT * 0.8,
            TITLE_BLOCK_LAYER,
            attach=4,
        )
        _mtext(
            msp,
            _escape(value),
            (left + 4.15, y - row / 2),
            TEXT_HEIGHT * 0.8,
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
            TEXT_HEIGHT,
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
    h = TEXT_HEIGHT * 0.8
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
    net, corridors, usable, gross, spare = area_totals(plan)
    lines += [
        (words["net"], str(len(plan.rooms)), area_text(net, lang=lang)[:-3], True),
        (words["corridors"], str(len(plan.corridors)), area_text(corridors, lang=lang)[:-3], False),
        (words["usable"], "", area_text(usable, lang=lang)[:-3], True),
        (f"{words['gross']} (× {plan.gross_factor:g})", "", area_text(gross, lang=lang)[:-3], True),
    ]
    if plan.spares:
        lines.append(
            (words["spare"], str(len(plan.spares)), area_text(spare, lang=lang)[:-3], True)
        )
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


def _room_data(room: PlanRoom) -> dict[str, str | float | bool]:
    return {
        "id": room.id,
        "space_type": room.space_type,
        "zone": room.zone,
        "programme_area_m2": room.programme_area_m2,
        "occupants": room.occupants,
        "enclosed": room.enclosed,
        "staff_only": room.staff_only,
        "secure": room.secure,
        "serves_lobby": room.serves_lobby,
        "name_fi": room.names.fi,
        "name_en": room.names.en,
    }
