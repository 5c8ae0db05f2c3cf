"""Room tags, area texts, door swings and title lines: what the DXF and the drawings both draw."""

from __future__ import annotations

import datetime
import itertools
import math
import textwrap
from typing import NamedTuple

from shapely.geometry import LineString, Point as ShapelyPoint, Polygon
from shapely.ops import polylabel, unary_union

from configurator.model.plan import (
    Door,
    Entrance,
    Plan,
    PlanRoom,
    Point,
    SpareArea,
)

SPARE_COLOUR = "#D6DEF0"
"""Fill of the spare lettable areas in every drawing: a pale blue-grey no zone colour uses."""
SPARE_DOOR_COLOUR = "#3F5F9F"
"""A spare area's own façade door, in the spare areas' blue, dark enough to read on white."""

TEXT_HEIGHT = 0.25
"""Annotation text height, m: 2.5 mm on paper at 1:100."""


_CHAR_WIDTH = 0.78
"""Mean character advance over cap height: Arial and DejaVu Sans ≈ 0.7, LibreCAD's font ≈ 0.76."""


_MTEXT_LINE = 1.7
"""MTEXT baseline distance over text height (AutoCAD's default spacing is 5/3)."""


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
        "spare": "Vuokrattava lisätila",
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
        "spare": "Spare lettable area",
    },
}


def labels(lang: str) -> dict[str, str]:
    """Return the annotation labels of a language ('fi' or 'en')."""
    if lang not in _LABELS:
        raise ValueError(f"lang must be 'fi' or 'en', got {lang!r}")
    return _LABELS[lang]


def area_text(area_m2: float, *, lang: str) -> str:
    """Format an area with one decimal and the unit, with a decimal comma in Finnish.

    >>> area_text(12.34, lang="fi"), area_text(0.0, lang="en")
    ('12,3 m²', '0.0 m²')
    """
    text = f"{area_m2:.1f}"
    return (text.replace(".", ",") if lang == "fi" else text) + " m²"


class RoomTag(NamedTuple):
    """Where and how large a room's tag is drawn: centre, lines of text, cap height in m."""

    at: Point
    lines: list[str]
    height: float


def room_tag(
    room: PlanRoom | SpareArea,
    *,
    lang: str,
    with_id: bool = True,
    max_height: float = TEXT_HEIGHT,
    min_height: float = 0.12,
    line_spacing: float = _MTEXT_LINE,
) -> RoomTag:
    """Fit a room's name, id and area inside the room, centred on its pole of inaccessibility.

    A spare area is tagged like a room, named as spare lettable floor.

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
    name = getattr(room.names, lang) if isinstance(room, PlanRoom) else labels(lang)["spare"]
    texts = [str(name)]
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


class AreaTotals(NamedTuple):
    """The drawn areas of a plan, m²: what the title block and the area schedule print."""

    net: float
    corridors: float
    usable: float
    gross: float
    spare: float


def area_totals(plan: Plan) -> AreaTotals:
    """Return the drawn net room area, circulation, usable (their sum), gross and spare area.

    Circulation is the corridors and the hall less the open areas standing in the hall (they
    are net area already); the spare areas are let apart, so they are neither.
    """
    net = math.fsum(r.area_m2 for r in plan.rooms)
    walked = unary_union([c.shape for c in plan.corridors] or [Polygon()])
    rooms = unary_union([r.shape for r in plan.rooms] or [Polygon()])
    corridors = float(walked.difference(rooms).area)
    usable = net + corridors
    spare = math.fsum(s.area_m2 for s in plan.spares)
    return AreaTotals(net, corridors, usable, usable * plan.gross_factor, spare)


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
    net, corridors, usable, gross, spare = area_totals(plan)
    lines = [
        (words["scenario"], plan.scenario),
        (words["option"], str(plan.option)),
        (words["strategy"], plan.strategy),
        (words["date"], date.isoformat() if date else "—"),
        (words["scale"], f"1:{scale}" + (f" ({scale_note})" if scale_note else "")),
        (words["net"], area_text(net, lang=lang)),
        (words["corridors"], area_text(corridors, lang=lang)),
        (words["usable"], area_text(usable, lang=lang)),
        (words["gross"], area_text(gross, lang=lang) + f" (× {plan.gross_factor:g})"),
    ]
    if plan.spares:
        lines.append((words["spare"], area_text(spare, lang=lang)))
    return lines
