"""Read building footprints from DXF drawings in any common unit, and refuse bad ones clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Polygon

from configurator.dxf import ENTRANCE_LAYER, OBSTACLE_LAYER, footprint_from_dxf
from configurator.errors import ConfigError
from configurator.schema import Entrance
from tests.test_dxf import new_drawing

# An L: 21 m × 10 m along the street and a 10 m × 11 m wing, drawn in millimetres.
L_SHAPE_MM = [(0, 0), (21000, 0), (21000, 10000), (10000, 10000), (10000, 21000), (0, 21000)]
L_SHAPE_M = [(x / 1000, y / 1000) for x, y in L_SHAPE_MM]


def drawing(insunits: int = 4) -> Any:
    """Return a new drawing in the given units ($INSUNITS; 4 = mm, 0 = unitless)."""
    doc = new_drawing()
    doc.header["$INSUNITS"] = insunits
    return doc


def l_shaped(tmp_path: Path, *, entrances: bool = True) -> Path:
    """Write the L in mm on layer WALLS, with a core, a main and a staff entrance."""
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
    footprint = footprint_from_dxf(l_shaped(tmp_path), layer="WALLS")
    assert footprint.polygon == L_SHAPE_M
    assert Polygon(footprint.polygon).area == pytest.approx(320.0)
    (core,) = footprint.obstacles
    assert core.polygon == [(2.0, 15.0), (5.0, 15.0), (5.0, 19.0), (2.0, 19.0)]
    assert Polygon(core.polygon).area == pytest.approx(12.0)
    kinds = {e.kind: e.at for e in footprint.entrances}
    assert kinds == {"main": (15.0, 0.0), "staff": (0.0, 17.0)}


def test_any_layer_takes_the_largest_closed_polyline(tmp_path: Path) -> None:
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


def test_no_entrance_at_all_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        footprint_from_dxf(l_shaped(tmp_path, entrances=False))
    (problem,) = caught.value.problems
    assert problem.code == "E524"
    assert ENTRANCE_LAYER in problem.message


def error_of(path: Path, **options: object) -> str:
    """Return the single problem raised for a drawing, as its printed line."""
    with pytest.raises(ConfigError) as caught:
        footprint_from_dxf(path, **options)  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert problem.file == path
    return str(problem)


def test_open_outline_names_the_entity(tmp_path: Path) -> None:
    doc = drawing()
    line = doc.modelspace().add_lwpolyline(L_SHAPE_MM, dxfattribs={"layer": "WALLS"})
    doc.saveas(tmp_path / "open.dxf")
    message = error_of(tmp_path / "open.dxf", layer="WALLS")
    assert "open outline" in message
    assert f"#{line.dxf.handle}" in message
    assert "layer WALLS" in message
    assert "[E521]" in message


def test_self_crossing_outline(tmp_path: Path) -> None:
    doc = drawing()
    bow_tie = [(0, 0), (10000, 10000), (10000, 0), (0, 10000)]
    doc.modelspace().add_lwpolyline(bow_tie, close=True, dxfattribs={"layer": "WALLS"})
    doc.saveas(tmp_path / "cross.dxf")
    message = error_of(tmp_path / "cross.dxf")
    assert "self-crossing outline" in message
    assert "[E523]" in message


def test_no_closed_polyline_on_the_layer(tmp_path: Path) -> None:
    doc = drawing()
    doc.modelspace().add_line((0, 0), (1000, 0), dxfattribs={"layer": "WALLS"})
    doc.saveas(tmp_path / "lines.dxf")
    message = error_of(tmp_path / "lines.dxf", layer="OUTLINE")
    assert "no closed polyline" in message
    assert "layer OUTLINE" in message
    assert "WALLS" in message, "the layers that do have entities are listed"
    assert "[E522]" in message


def test_unknown_units(tmp_path: Path) -> None:
    doc = drawing(insunits=0)
    doc.modelspace().add_lwpolyline(L_SHAPE_MM, close=True)
    doc.saveas(tmp_path / "unitless.dxf")
    message = error_of(tmp_path / "unitless.dxf")
    assert "unknown units" in message
    assert "$INSUNITS = 0" in message
    assert "[E520]" in message


def test_not_a_dxf_file(tmp_path: Path) -> None:
    path = tmp_path / "floor.dxf"
    path.write_text("this is not a drawing\n")
    assert "[E121]" in error_of(path)
    assert "[E120]" in error_of(tmp_path / "missing.dxf")
