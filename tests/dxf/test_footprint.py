"""Read building footprints from DXF drawings in any common unit, and refuse bad ones clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Polygon

from configurator.dxf import ENTRANCE_LAYER, OBSTACLE_LAYER, footprint_from_dxf
from configurator.dxf.footprint import import_footprint
from configurator.model.errors import ConfigError
from configurator.model.schema import Entrance
from tests.dxf.test_dxf import new_drawing

# An L: 21 m × 10 m along the street and a 10 m × 11 m wing, drawn in millimetres.
L_SHAPE_MM = [(0, 0), (21000, 0), (21000, 10000), (10000, 10000), (10000, 21000), (0, 21000)]
L_SHAPE_M = [(x / 1000, y / 1000) for x, y in L_SHAPE_MM]


def drawing(insunits: int = 4) -> Any:
    """Return a new drawing in the given units ($INSUNITS; 4 = mm, 0 = unitless)."""
    doc = new_drawing()
    doc.header["$INSUNITS"] = insunits
    return doc


def l_shaped(tmp_path: Path, *, entrances: bool = True) -> Path:
    """Write the L in mm as one closed line on layer WALLS, with a core and two entrances."""
    doc = drawing()
    msp = doc.modelspace()
    msp.add_lwpolyline(L_SHAPE_MM, close=True, dxfattribs={"layer": "WALLS"})
    msp.add_lwpolyline(  # a smaller closed polyline elsewhere must not win
        [(1000, 1000), (2000, 1000), (2000, 2000)], close=True, dxfattribs={"layer": "FURN"}
    )
    core = [(2000, 15000), (5000, 15000), (5000, 19000), (2000, 19000)]
    msp.add_lwpolyline(core, close=True, dxfattribs={"layer": OBSTACLE_LAYER})
    if entrances:
        msp.add_point((15000, 120), dxfattribs={"layer": ENTRANCE_LAYER})  # 12 cm off: snapped
        block = doc.blocks.new("DOOR_STAFF")
        block.add_line((0, 0), (1000, 0))
        msp.add_blockref("DOOR_STAFF", (0, 17000), dxfattribs={"layer": ENTRANCE_LAYER})
    path = tmp_path / "floor.dxf"
    doc.saveas(path)
    return path


def test_l_shape_in_millimetres_is_converted_to_metres(tmp_path: Path) -> None:
    footprint = footprint_from_dxf(l_shaped(tmp_path), layers=["WALLS"])
    assert footprint.polygon == L_SHAPE_M, "a single closed line gives itself back, to the mm"
    assert Polygon(footprint.polygon).area == pytest.approx(320.0)
    (core,) = footprint.obstacles
    assert sorted(core.polygon) == [(2.0, 15.0), (2.0, 19.0), (5.0, 15.0), (5.0, 19.0)]
    assert Polygon(core.polygon).area == pytest.approx(12.0)
    kinds = {e.kind: e.at for e in footprint.entrances}
    assert kinds == {"main": (15.0, 0.0), "staff": (0.0, 17.0)}


def test_wall_layer_found_by_name_not_the_furniture(tmp_path: Path) -> None:
    footprint = footprint_from_dxf(l_shaped(tmp_path))
    assert Polygon(footprint.polygon).area == pytest.approx(320.0)


def test_units_override_a_unitless_drawing(tmp_path: Path) -> None:
    doc = drawing(insunits=0)
    doc.modelspace().add_lwpolyline([(0, 0), (2000, 0), (2000, 1000), (0, 1000)], close=True)
    doc.saveas(tmp_path / "cm.dxf")
    given = [Entrance(id="door", at=(10.0, 0.0))]
    footprint = footprint_from_dxf(tmp_path / "cm.dxf", units="cm", entrances=given)
    assert footprint.outline() == [(0.0, 0.0), (20.0, 0.0), (20.0, 10.0), (0.0, 10.0)]
    assert footprint.entrances == given, "the scenario's entrances lie on the new outline"


def test_scenario_entrances_off_the_new_outline_are_an_error(tmp_path: Path) -> None:
    path = l_shaped(tmp_path, entrances=False)
    with pytest.raises(ConfigError) as caught:
        footprint_from_dxf(path, entrances=[Entrance(id="door", at=(30.0, 0.0))])
    (problem,) = caught.value.problems
    assert problem.code == "E525"
    assert "'door'" in problem.message


def test_no_entrance_at_all_is_said_and_placed_on_the_longest_facade(tmp_path: Path) -> None:
    result = import_footprint(l_shaped(tmp_path, entrances=False))
    (main,) = result.footprint.entrances
    assert main.at == (10.5, 0.0), "the middle of the 21 m street façade"
    assert any("no door found in the outer wall" in note for note in result.notes)


def error_of(path: Path, **options: object) -> str:
    """Return the single problem raised for a drawing, as its printed line."""
    with pytest.raises(ConfigError) as caught:
        footprint_from_dxf(path, **options)  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert problem.file == path
    return str(problem)


def test_an_outline_open_by_more_than_a_door_names_the_layer(tmp_path: Path) -> None:
    doc = drawing()
    doc.modelspace().add_lwpolyline(L_SHAPE_MM, dxfattribs={"layer": "WALLS"})  # 21 m open
    doc.saveas(tmp_path / "open.dxf")
    message = error_of(tmp_path / "open.dxf", layers=["WALLS"])
    assert "no outline" in message
    assert "layer(s) WALLS" in message
    assert "[E541]" in message


def test_a_gap_of_a_door_is_closed(tmp_path: Path) -> None:
    doc = drawing()
    ring = [*L_SHAPE_MM, (0, 1000)]  # the west wall stops 1 m short of the corner
    doc.modelspace().add_lwpolyline(ring, dxfattribs={"layer": "WALLS"})
    doc.modelspace().add_point((15000, 0), dxfattribs={"layer": ENTRANCE_LAYER})
    doc.saveas(tmp_path / "gap.dxf")
    footprint = footprint_from_dxf(tmp_path / "gap.dxf")
    assert Polygon(footprint.polygon).area == pytest.approx(320.0)


def test_self_crossing_outline_gives_the_shapes_it_encloses(tmp_path: Path) -> None:
    doc = drawing()
    bow_tie = [(0, 0), (10000, 10000), (10000, 0), (0, 10000)]
    doc.modelspace().add_lwpolyline(bow_tie, close=True, dxfattribs={"layer": "WALLS"})
    doc.saveas(tmp_path / "cross.dxf")
    result = import_footprint(tmp_path / "cross.dxf")
    assert [b.floor.area for b in result.buildings] == [pytest.approx(25.0, abs=0.2)] * 2


def test_no_closed_polyline_on_the_layer(tmp_path: Path) -> None:
    doc = drawing()
    doc.modelspace().add_line((0, 0), (1000, 0), dxfattribs={"layer": "WALLS"})
    doc.saveas(tmp_path / "lines.dxf")
    message = error_of(tmp_path / "lines.dxf", layers=["OUTLINE"])
    assert "no lines on layer(s) OUTLINE" in message
    assert "WALLS" in message, "the layers that do have lines are listed"
    assert "[E542]" in message


def test_unknown_units(tmp_path: Path) -> None:
    doc = drawing(insunits=0)
    doc.modelspace().add_lwpolyline(L_SHAPE_MM, close=True)
    doc.saveas(tmp_path / "unitless.dxf")
    message = error_of(tmp_path / "unitless.dxf")
    assert "unknown units" in message
    assert "$INSUNITS = 0" in message
    assert "mm: 21.0 m" in message, "the units that would make it a building are offered"
    assert "[E520]" in message


def test_not_a_dxf_file(tmp_path: Path) -> None:
    path = tmp_path / "floor.dxf"
    path.write_text("this is not a drawing\n")
    assert "[E121]" in error_of(path)
    assert "[E120]" in error_of(tmp_path / "missing.dxf")
