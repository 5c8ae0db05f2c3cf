"""The typical-room sketch: the whole catalog's furniture fits, checked on the sketch's geometry."""

from __future__ import annotations

import math
from xml.etree import ElementTree

import pytest
from hypothesis import example, given, settings, strategies as st
from shapely.geometry import Point, box
from shapely.ops import unary_union

from configurator.documents.furniture import TURNING_DIAMETER_M, RoomSketch, sketch_room, sketch_svg
from configurator.inputs.catalog import DEFAULT_CATALOG, load_case, load_catalog
from configurator.model.schema import FurnitureItem, Names, SpaceType
from configurator.sizing.program import program_from_case
from tests.common import EXAMPLES

CATALOG = load_catalog(DEFAULT_CATALOG)
ENCLOSED = [s for s in CATALOG.space_types if s.is_enclosed]


def realistic_counts(space_type: SpaceType) -> list[int]:
    """Counts a shared room is sketched at: from the smallest that makes a room at least as
    deep as its minimum width, doubling, up to the largest an example's programme gives."""
    if space_type.grouping != "single_room":
        return [1]
    smallest = max(1, math.ceil(space_type.min_width_m**2 / space_type.unit_area_m2))
    largest = max(
        [smallest]
        + [
            r.count
            for case in EXAMPLE_CASES
            for r in program_from_case(case).rows
            if r.space_type == space_type.id
        ]
    )
    counts = [smallest]
    while counts[-1] * 2 < largest:
        counts.append(counts[-1] * 2)
    return sorted({*counts, largest})


EXAMPLE_CASES = [load_case(path) for path in EXAMPLES]


def assert_sketch_holds(sketch: RoomSketch) -> None:
    """Check the sketch from its coordinates: items inside the room, apart, circle clear."""
    room = box(0.0, 0.0, sketch.width, sketch.depth)
    items = [box(p.x, p.y, p.x + p.width, p.y + p.depth) for p in sketch.placed]
    for shape in items:
        assert shape.difference(room).area < 1e-6, "a piece stands outside the room"
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            assert a.intersection(b).area < 1e-6, "two pieces overlap"
    if sketch.needs_turning and sketch.turning_centre is not None:
        circle = Point(sketch.turning_centre).buffer(TURNING_DIAMETER_M / 2, quad_segs=32)
        assert circle.difference(room).area < 1e-3, "the turning circle leaves the room"
        taken = unary_union(items) if items else None
        if taken is not None:
            assert circle.intersection(taken).area < 1e-3, "the turning circle hits furniture"


@pytest.mark.parametrize("space_type", ENCLOSED, ids=lambda s: s.id)
def test_every_enclosed_type_of_the_catalog_fits_its_furniture(space_type: SpaceType) -> None:
    for units in realistic_counts(space_type):
        sketch = sketch_room(space_type, units=units)
        assert sketch.fits, f"{space_type.id} × {units}: {sketch.problems}"
        assert not sketch.unplaced
        assert_sketch_holds(sketch)
        pieces = sum(i.count for i in space_type.furniture if i.size_m) * units
        assert len(sketch.placed) == pieces, "every sized piece is drawn"
        assert sketch.width >= space_type.min_width_m - 1e-9
        area = space_type.unit_area_m2 * (units if space_type.grouping == "single_room" else 1)
        assert math.isclose(sketch.area_m2, area, rel_tol=1e-3)


def test_every_enclosed_type_has_sized_furniture() -> None:
    for space_type in ENCLOSED:
        assert any(i.size_m for i in space_type.furniture), space_type.id


def _room(area: float, width: float, pieces: list[tuple[float, float, int]]) -> SpaceType:
    base = next(s for s in CATALOG.space_types if s.id == "meeting_room_2")
    furniture = [
        FurnitureItem(names=Names(fi=f"osa {n}", en=f"piece {n}"), count=c, size_m=(w, d))
        for n, (w, d, c) in enumerate(pieces)
    ]
    return base.model_copy(
        update={
            "unit_area_m2": area,
            "area_range_m2": (area * 0.5, area * 2),
            "min_width_m": width,
            "furniture": furniture,
        }
    )


def test_too_much_furniture_is_reported_with_its_codes() -> None:
    crowded = _room(6.0, 2.0, [(1.6, 1.0, 4)])  # 6.4 m² of tables in 6 m²
    sketch = sketch_room(crowded)
    assert not sketch.fits
    assert "F101" in sketch.problems, "more furniture than floor"
    assert "F103" in sketch.problems, "and some of it could not be placed"
    long_table = _room(12.0, 3.0, [(4.5, 0.8, 1)])  # longer than the room's 4 m side
    assert "F102" in sketch_room(long_table).problems


def test_a_room_with_no_free_turning_circle_says_so() -> None:
    base = _room(4.0, 2.0, [(1.0, 1.0, 3)])
    needs = base.model_copy(update={"accessibility": [*base.accessibility, "turning_space"]})
    sketch = sketch_room(needs)
    assert sketch.needs_turning
    assert "F104" in sketch.problems or "F101" in sketch.problems


def test_the_sketch_draws_every_piece_and_the_circle_to_scale() -> None:
    space_type = next(s for s in ENCLOSED if "turning_space" in s.accessibility)
    sketch = sketch_room(space_type)
    root = ElementTree.fromstring(sketch_svg(sketch, lang="fi", scale_px=40.0))
    ns = "{http://www.w3.org/2000/svg}"
    rects = root.findall(f"{ns}rect")
    assert len(rects) == len(sketch.placed) + 1, "the room and every piece"
    walls = rects[0]
    assert float(walls.get("width", "0")) == pytest.approx(sketch.width * 40.0, abs=0.01)
    assert float(walls.get("height", "0")) == pytest.approx(sketch.depth * 40.0, abs=0.01)
    drawn = sorted(
        (round(float(r.get("width", "0")) / 40.0, 2), round(float(r.get("height", "0")) / 40.0, 2))
        for r in rects[1:]
    )
    assert drawn == sorted((round(p.width, 2), round(p.depth, 2)) for p in sketch.placed)
    circle = root.find(f"{ns}circle")
    assert circle is not None
    assert float(circle.get("r", "0")) == pytest.approx(0.75 * 40.0)


@settings(max_examples=60, deadline=None)
# two that failed: placements rounded to 1 mm made pieces overlap, and a room width rounded to
# 1 mm put a piece placed against the unrounded wall outside it
@example(area=4.0, aspect_width=2.0, pieces=[(1.0, 0.65625, 3)], turning=False)
@example(area=56.1484375, aspect_width=2.0, pieces=[(2.0890407309372745, 0.97, 4)], turning=False)
@given(
    area=st.floats(4.0, 60.0),
    aspect_width=st.floats(1.8, 6.0),
    pieces=st.lists(
        st.tuples(st.floats(0.3, 2.5), st.floats(0.3, 2.0), st.integers(1, 4)),
        min_size=1,
        max_size=5,
    ),
    turning=st.booleans(),
)
def test_any_sketch_keeps_its_pieces_inside_and_apart(
    area: float,
    aspect_width: float,
    pieces: list[tuple[float, float, int]],
    turning: bool,
) -> None:
    space_type = _room(area, min(aspect_width, math.sqrt(area)), pieces)
    if turning:
        space_type = space_type.model_copy(update={"accessibility": ["turning_space"]})
    sketch = sketch_room(space_type)
    assert_sketch_holds(sketch)
    assert len(sketch.placed) + len(sketch.unplaced) == sum(c for _, _, c in pieces)
    if sketch.unplaced:
        assert "F103" in sketch.problems, "a piece left out is reported"
    if sketch.fits:
        assert not sketch.unplaced
