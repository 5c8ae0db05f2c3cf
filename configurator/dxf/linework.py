"""Read an architect's drawing as linework in metres, each piece with the layer it is drawn on.

Blocks are exploded (nested ones too) with their transformation, and an entity on layer ``0``
inside a block takes the layer of its INSERT, as CAD programs draw it. The entities a drawing
expands to are counted as they are read: one that expands to more than :data:`MAX_ENTITIES` is
refused (:class:`TooManyEntitiesError`) rather than read for hours. Layers are classified by
name in several languages (walls, glazing, doors, cores, columns, floor edges), reading the
name after an xref prefix (``E1-RI-1F$0$A-WALL`` is a wall layer).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import ezdxf.path
import numpy as np
import shapely
from ezdxf.lldxf.const import DXFError
from shapely.geometry import LineString

__all__ = [
    "MAX_ENTITIES",
    "Arc",
    "LayerRole",
    "Piece",
    "TooManyEntitiesError",
    "base_layer",
    "layer_role",
    "names_wall",
    "pieces",
]

MAX_ENTITIES = 500_000
"""Entities a drawing may expand to, its blocks' contents counted each time they are inserted.
A floor plan has some tens of thousands (a storey's walls tessellated into short lines, a couple
of hundred thousand); blocks nested ten deep, each inserting the one below ten times, expand
to ten billion, and an array insert of 1 000 × 1 000 copies to a million."""


class TooManyEntitiesError(ValueError):
    """A drawing expands to more entities than :data:`MAX_ENTITIES`."""

    def __init__(self, limit: int, where: str) -> None:
        count = f"{limit:,}".replace(",", " ")
        super().__init__(f"more than {count} entities ({where})")
        self.limit = limit
        self.where = where


LayerRole = Literal["wall", "glazing", "door", "core", "column", "floor", "other", "ignore"]

_WORDS: tuple[tuple[LayerRole, tuple[str, ...]], ...] = (
    ("ignore", ("HATCH", "PATT", "TEXT", "TXT", "DIM", "ANNO", "IDEN", "FURN", "MÖBEL",
                "KALUST", "EQUIP", "GRID", "AXIS", "DEFPOINTS", "TITLE", "TTLB", "家具",
                "轴", "标注", "文字", "CANCEL", "PROJECTION", "AUDIT")),
    ("core", ("STAIR", "STRS", "LIFT", "ELEV", "SHAFT", "SHFT", "PORRA", "HISSI", "KUILU",
              "TREPP", "AUFZUG", "ESCAL", "ASCENS", "楼梯", "电梯", "竖井", "A-FLOR-OBST")),
    ("column", ("COLUMN", "COLS", "PILAR", "PILLAR", "STÜTZ", "STUTZ", "POTEAU", "PILARI",
                "PYLVÄ", "柱")),
    ("door", ("DOOR", "TÜR", "TUER", "PORTE", "PUERTA", "OVI", "DÖRR", "门")),
    ("glazing", ("GLAZ", "WINDOW", "FENST", "FENET", "FENÊT", "IKKUN", "CRYSTAL", "CRISTAL",
                 "GLASS", "LASI", "窗", "幕墙")),
    ("wall", ("WALL", "MUR", "WAND", "SEIN", "墙", "VÄGG", "VAGG", "PARED", "MURO", "PARET",
              "MUUR", "A-FLOR-OTLN")),
    ("floor", ("FLOOR", "SLAB", "PODIUM", "LATTIA", "BODEN", "PLINTH", "楼板", "地面")),
)  # fmt: skip
"""Words in layer names, first match wins: ``门窗`` (doors and windows) is a door layer."""


def base_layer(layer: str) -> str:
    """Return a layer name without its xref prefix, upper-cased.

    >>> base_layer("E1-RV-1F$0$$2$A-WALL"), base_layer("Walls")
    ('A-WALL', 'WALLS')
    """
    return layer.rsplit("$", 1)[-1].upper()


def layer_role(layer: str) -> LayerRole:
    """Return what a layer holds, judged by its name (``other`` when nothing says).

    >>> layer_role("A—墙体"), layer_role("X$0$A-GLAZ"), layer_role("A—楼梯、电梯、栏杆")
    ('wall', 'glazing', 'core')
    """
    name = base_layer(layer)
    for role, words in _WORDS:
        if any(word in name for word in words):
            return role
    return "other"


def names_wall(layer: str) -> bool:
    """Tell whether a layer's name names walls, also beside a pattern word: ``A-WALL-PATT``,
    where CAD standards put the poché, holds walls drawn as hatches."""
    name = base_layer(layer)
    return any(word in name for role, words in _WORDS if role == "wall" for word in words)


@dataclass(frozen=True)
class Arc:
    """A circular arc in metres: centre, radius, start and end angle (degrees, anticlockwise)."""

    centre: tuple[float, float]
    radius: float
    start: float
    end: float


@dataclass(frozen=True)
class Piece:
    """One stroke of the drawing in metres: its line, layer, entity type, and arc data if any.

    ``blocks`` are the names of the blocks it was drawn in, outermost first (none in model
    space); ``handle`` is the model-space entity's handle (its INSERT's, inside a block).
    """

    line: LineString
    layer: str
    kind: str
    arc: Arc | None = None
    closed: bool = False
    blocks: tuple[str, ...] = ()
    handle: str = ""
    role: LayerRole = "other"
    """What its layer holds (:func:`layer_role`), judged once per layer as the drawing is read."""

    @property
    def block(self) -> str:
        """The outermost block it was drawn in ('' in model space)."""
        return self.blocks[0] if self.blocks else ""


_LINEAR = frozenset({"LINE", "ARC", "CIRCLE", "ELLIPSE", "LWPOLYLINE", "POLYLINE", "SPLINE"})


_UNREADABLE = (
    DXFError,
    ValueError,
    TypeError,
    ArithmeticError,
    AttributeError,
    IndexError,
    KeyError,
)
"""What ezdxf raises on an entity it cannot transform or flatten (a missing block, a bad spline)."""


def pieces(
    msp: Any,
    factor: float,
    *,
    max_depth: int = 8,
    skipped: list[str] | None = None,
    limit: int | None = None,
) -> list[Piece]:
    """Return every linear entity of model space and of the blocks it inserts, in metres.

    Entities ezdxf cannot read (an INSERT of a missing block, a degenerate spline) are left
    out and described in ``skipped``. Raises :class:`TooManyEntitiesError` once more than
    ``limit`` (:data:`MAX_ENTITIES`) entities have been read (a block's contents counted at every
    insert of it).
    """
    lost = skipped if skipped is not None else []
    budget = MAX_ENTITIES if limit is None else limit
    _check_expansion(msp, budget, max_depth)
    left = [budget, budget]  # (entities the budget still has, the budget)
    roles: dict[str, LayerRole] = {}
    strokes = list(
        _walk(
            msp,
            factor,
            layer=None,
            blocks=(),
            handle="",
            depth=max_depth,
            lost=lost,
            left=left,
            roles=roles,
        )
    )
    if not strokes:
        return []
    # the lines made in one call: a storey tessellated into 200 000 strokes spent a second
    # making them one at a time
    coords = [p for stroke in strokes for p in stroke.points]
    index = np.repeat(np.arange(len(strokes)), [len(stroke.points) for stroke in strokes])
    lines = shapely.linestrings(np.array(coords, dtype=float), indices=index)
    return [
        Piece(line, s.layer, s.kind, s.arc, s.closed, s.blocks, s.handle, s.role)
        for line, s in zip(lines, strokes, strict=True)
    ]


def _check_expansion(msp: Any, budget: int, max_depth: int) -> None:
    """Refuse a drawing whose blocks expand past ``budget`` before exploding any of them.

    The count is taken from the block definitions alone (each block counted once per depth, an
    insert's copies multiplied), so ten levels of blocks each inserting the one below ten times
    are refused in milliseconds; the count kept while reading stays as the second guard.
    Raises :class:`TooManyEntitiesError` naming the model-space insert that expands most.
    """
    blocks = getattr(getattr(msp, "doc", None), "blocks", None)
    if blocks is None:
        return
    known: dict[tuple[str, int], int] = {}

    def expanded(entities: Any, depth: int, inside: tuple[str, ...]) -> int:
        total = 0
        for entity in entities:
            total += 1
            if entity.dxftype() != "INSERT" or depth <= 0:
                continue
            name = str(entity.dxf.get("name", "?"))
            block = blocks.get(name)
            if block is None or name in inside:
                continue  # a missing block, or one inserting itself: read once
            copies = max(1, int(entity.mcount))
            key = (name, depth - 1)
            if key not in known:
                known[key] = expanded(block, depth - 1, (*inside, name))
            total += copies - 1 + copies * known[key]
            if total > budget:
                return total  # enough to refuse: the rest need not be counted
        return total

    count = 0
    for entity in msp:
        own = expanded([entity], max_depth, ())
        count += own
        if count > budget:
            name = str(entity.dxf.get("name", "?"))
            where = (
                f"in the array insert of {name!r}"
                if entity.dxftype() == "INSERT" and entity.mcount > 1
                else f"in block {name!r}"
                if entity.dxftype() == "INSERT"
                else "in model space"
            )
            raise TooManyEntitiesError(budget, where)


def _hatch_outlines(
    entity: Any,
    factor: float,
    layer: str,
    blocks: tuple[str, ...],
    handle: str,
    lost: list[str],
    left: list[int],
) -> Iterator[_Stroke]:
    """Yield a hatch's boundary paths as closed strokes (a filled wall's outline)."""
    try:
        paths = list(ezdxf.path.from_hatch(entity))
        rings = [_flattened(path, factor, left, f"a HATCH on layer {layer}") for path in paths]
    except TooManyEntitiesError:
        raise  # a ValueError too, but not an unreadable entity
    except _UNREADABLE as exc:
        lost.append(f"HATCH on layer {layer} ({exc})")
        return
    own = handle or str(entity.dxf.get("handle", ""))
    for ring in rings:
        points = [p for i, p in enumerate(ring) if i == 0 or math.dist(p, ring[i - 1]) > 1e-9]
        if len(points) < 3:
            continue
        if math.dist(points[0], points[-1]) > 1e-9:
            points.append(points[0])
        yield _Stroke(points, layer, "HATCH", None, True, blocks, own, "wall")


def _flattened(path: Any, factor: float, left: list[int], what: str) -> list[tuple[float, float]]:
    """Return a curve's points (2 cm chords), each counted against the budget like an entity:
    a hatch of arcs a hundred kilometres round would otherwise flatten to millions of points."""
    points = [
        (v.x * factor, v.y * factor)
        for v in itertools.islice(path.flattening(0.02 / factor), max(left[0], 0) + 3)
    ]
    left[0] -= max(len(points) - 2, 0)  # a straight stroke's two ends are the entity itself
    if left[0] < 0:
        raise TooManyEntitiesError(left[1], f"in the points of {what}")
    return points


class _Stroke(NamedTuple):
    """A piece before its line is made: its points in metres and the rest of :class:`Piece`
    (a tuple: 200 000 of them are made in a second less than as a frozen dataclass)."""

    points: list[tuple[float, float]]
    layer: str
    kind: str
    arc: Arc | None
    closed: bool
    blocks: tuple[str, ...]
    handle: str
    role: LayerRole


def _walk(
    entities: Any,
    factor: float,
    *,
    layer: str | None,
    blocks: tuple[str, ...],
    handle: str,
    depth: int,
    lost: list[str],
    left: list[int],
    roles: dict[str, LayerRole],
) -> Iterator[_Stroke]:
    """Yield the linear entities of ``entities`` and of the blocks they insert (see
    :func:`pieces`), counting each entity read against ``left[0]``; ``roles`` remembers each
    layer's role (a storey tessellated into 200 000 lines has a handful of layers)."""
    for entity in entities:
        left[0] -= 1
        if left[0] < 0:
            where = f"in block {blocks[-1]!r}" if blocks else "in model space"
            raise TooManyEntitiesError(left[1], where)
        kind = entity.dxftype()
        own = entity.dxf.get("layer", "0")
        effective = layer if (layer is not None and own == "0") else own
        if kind == "INSERT":
            if depth <= 0:
                continue
            name = str(entity.dxf.get("name", "?"))
            if name in blocks:  # a block inserting itself (or one that holds it): read once
                lost.append(f"INSERT of block {name!r} inside itself")
                continue
            # an array insert (MINSERT) is each of its copies; they are made one at a time,
            # each counted, so that a million copies are not made to be refused
            copies = entity.multi_insert() if entity.mcount > 1 else iter([entity])
            for k, copy in enumerate(copies):
                if k:
                    left[0] -= 1
                    if left[0] < 0:
                        raise TooManyEntitiesError(left[1], f"in the array insert of {name!r}")
                try:
                    inner = list(itertools.islice(copy.virtual_entities(), left[0] + 1))
                except _UNREADABLE as exc:
                    lost.append(f"INSERT of block {name!r} ({exc})")
                    break
                yield from _walk(
                    inner,
                    factor,
                    layer=effective,
                    blocks=(*blocks, name),
                    handle=handle or str(entity.dxf.get("handle", "")),
                    depth=depth - 1,
                    lost=lost,
                    left=left,
                    roles=roles,
                )
            continue
        if kind == "LINE":  # most strokes of a drawing, two points: read straight off
            a, b = entity.dxf.start, entity.dxf.end
            if abs(a.x - b.x) <= 1e-9 and abs(a.y - b.y) <= 1e-9:
                continue
            role = roles.get(effective) or roles.setdefault(effective, layer_role(effective))
            yield _Stroke(
                [(a.x * factor, a.y * factor), (b.x * factor, b.y * factor)], effective, kind,
                None, False, blocks, handle or str(entity.dxf.handle), role,
            )  # fmt: skip
            continue
        if kind == "HATCH":
            if names_wall(effective):  # poché: a wall drawn filled is its boundary paths
                yield from _hatch_outlines(entity, factor, effective, blocks, handle, lost, left)
            continue
        if kind not in _LINEAR:
            continue
        if kind == "POLYLINE" and not (entity.is_2d_polyline or entity.is_3d_polyline):
            continue  # a polyface or polygon mesh
        try:
            path = ezdxf.path.make_path(entity)
            points = _flattened(path, factor, left, f"a {kind} on layer {own}")
        except TooManyEntitiesError:
            raise  # a ValueError too, but not an unreadable entity
        except _UNREADABLE as exc:
            lost.append(f"{kind} on layer {own} ({exc})")
            continue
        points = [p for i, p in enumerate(points) if i == 0 or math.dist(p, points[i - 1]) > 1e-9]
        if len(points) < 2:
            continue
        arc = None
        if kind == "ARC":
            c = entity.dxf.center
            arc = Arc(
                (c.x * factor, c.y * factor),
                entity.dxf.radius * factor,
                float(entity.dxf.start_angle),
                float(entity.dxf.end_angle),
            )
            if entity.dxf.extrusion.z < 0:  # mirrored: the arc runs clockwise in world space
                arc = Arc(
                    (-c.x * factor, c.y * factor),
                    arc.radius,
                    180.0 - arc.end,
                    180.0 - arc.start,
                )
        closed = kind == "CIRCLE" or (len(points) > 2 and math.dist(points[0], points[-1]) < 1e-6)
        if kind in ("LWPOLYLINE", "POLYLINE"):
            closed = closed or bool(entity.closed if kind == "LWPOLYLINE" else entity.is_closed)
        if closed and math.dist(points[0], points[-1]) > 1e-9:
            points.append(points[0])
        own_handle = handle or str(entity.dxf.get("handle", ""))
        role = roles.get(effective) or roles.setdefault(effective, layer_role(effective))
        yield _Stroke(points, effective, kind, arc, closed, blocks, own_handle, role)
