"""Read a building footprint from a DXF drawing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon

from configurator import schema
from configurator.audit import audit_footprint
from configurator.dxf._common import (
    ENTRANCE_KINDS,
    ENTRANCE_LAYER,
    OBSTACLE_LAYER,
    WINDOW_LAYER,
    Units,
    closed_outline,
    entrance_marks,
    identifier,
    obstacles_on_layer,
    read_drawing,
    snap_to,
    unit_factor,
    where,
    window_lines,
)
from configurator.errors import ConfigError, Problem
from configurator.schema import Footprint


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
    marks = entrance_marks(doc, layer, factor)
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
                kept.append(entrance.model_copy(update={"at": snap_to(boundary, entrance.at)}))
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
                    f"entrance {where(mark.entity)} at ({mark.at[0]:.2f}, {mark.at[1]:.2f}) m is "
                    f"{gap:.2f} m from the outline; place it on the outline "
                    f"(snap tolerance {snap_m} m)",
                    path,
                    path=f"#{mark.entity.dxf.handle}",
                )
            )
            continue
        kind = ENTRANCE_KINDS.get(mark.kind or "") or ("main" if visitors == 0 else "side")
        visitors += kind != "staff"
        fallback = f"{'staff_' if kind == 'staff' else ''}entrance_{n}"
        ident = identifier(mark.ident or fallback, fallback)
        if ident in used:
            ident = fallback
        used.add(ident)
        width = min(10.0, max(0.9, mark.width or (1.2 if kind == "staff" else 1.8)))
        entrances.append(
            schema.Entrance(id=ident, at=snap_to(boundary, mark.at), width_m=width, kind=kind)
        )
    return entrances, problems


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
    doc = read_drawing(path)
    factor = unit_factor(doc, path, units)
    outline, _ = closed_outline(doc, path, layer, factor)
    obstacles, problems = obstacles_on_layer(doc, path, obstacle_layer, factor, outline)
    found, more = _entrances(doc, path, entrance_layer, factor, outline, entrances, snap_m)
    problems += more
    if problems:
        raise ConfigError(problems)
    windows = window_lines(doc, window_layer, factor)
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
