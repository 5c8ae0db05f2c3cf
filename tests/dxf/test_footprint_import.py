"""Footprints derived from drawings in an architect's style: double walls, gaps, any units.

Each test draws a building with ezdxf the way CAD drawings come (walls as separate LINEs, a
pair per wall with gaps at doors and swing arcs, far from the origin, turned, xref-bound layer
names, columns as circles, a core as a block) and checks the derived outline against the one
it drew (intersection over union), the units, the cores and the entrance candidates.
"""

from __future__ import annotations

import io
import itertools
import math
from pathlib import Path
from typing import Any

import pytest
import shapely
import yaml
from ezdxf.filemanagement import new as new_dxf
from shapely.affinity import rotate, scale, translate
from shapely.geometry import LineString, Point, Polygon, box
from typer.testing import CliRunner

from configurator.cli import app
from configurator.dxf.footprint import import_footprint
from configurator.model.errors import ConfigError
from configurator.model.schema import Footprint
from tests.common import REPO

REAL = REPO.parent / "shared" / "data" / "dxf_real"


def iou(a: Polygon, b: Polygon) -> float:
    """Intersection over union of two shapes."""
    return float(a.intersection(b).area / a.union(b).area)


class Sheet:
    """A drawing in given units; shapes are given in metres and placed by one transformation."""

    def __init__(self, units: int, per_metre: float, *, turn: float = 0.0,
                 at: tuple[float, float] = (0.0, 0.0), version: str = "R2010") -> None:  # fmt: skip
        self.doc = new_dxf(version)
        self.doc.header["$INSUNITS"] = units
        self.msp = self.doc.modelspace()
        self.per_metre, self.turn, self.at = per_metre, turn, at

    def place(self, geometry: Any) -> Any:
        """Metres on the site → drawing units: scaled, turned about the origin, moved."""
        moved = rotate(geometry, self.turn, origin=(0, 0))
        moved = scale(moved, self.per_metre, self.per_metre, origin=(0, 0))
        return translate(moved, *self.at)

    def line(self, line: LineString, layer: str) -> None:
        coords = list(self.place(line).coords)
        for a, b in itertools.pairwise(coords):
            self.msp.add_line(a, b, dxfattribs={"layer": layer})

    def door(self, hinge: tuple[float, float], closed: tuple[float, float], inward: float,
             layer: str) -> None:  # fmt: skip
        """A 90-degree swing from hinge (leaf closed towards ``closed``), opening to ``inward``."""
        h = self.place(Point(hinge))
        c = self.place(Point(closed))
        radius = h.distance(c)
        start = math.degrees(math.atan2(c.y - h.y, c.x - h.x))
        end = start + inward
        low, high = (start, end) if inward > 0 else (end, start)
        self.msp.add_arc((h.x, h.y), radius, low, high, dxfattribs={"layer": layer})
        tip = (
            h.x + radius * math.cos(math.radians(end)),
            h.y + radius * math.sin(math.radians(end)),
        )
        self.msp.add_line((h.x, h.y), tip, dxfattribs={"layer": layer})

    def save(self, path: Path) -> Path:
        self.doc.saveas(path)
        return path


def double_walls(
    sheet: Sheet,
    floor: Polygon,
    *,
    wall: float = 0.3,
    doors: list[tuple[tuple[float, float], float]] = (),  # type: ignore[assignment]
    layer: str = "A-WALL",
) -> Polygon:
    """Draw a floor's walls as two lines each with gaps and swings at doors; return the outer face.

    ``doors`` are (a point on the floor's outline, width); the swing opens into the floor, a
    door over 1.2 m wide has two leaves.
    """
    outer = floor.buffer(wall, join_style="mitre")
    gaps = []
    for at, width in doors:
        ring = floor.exterior
        d = ring.project(Point(at))
        a, b = ring.interpolate(d - width / 2), ring.interpolate(d + width / 2)
        ux, uy = (b.x - a.x) / width, (b.y - a.y) / width
        nx, ny = -uy, ux  # left of the ring's direction: inside a counter-clockwise floor
        deep = (nx * wall * 2, ny * wall * 2)
        gap = Polygon([(a.x - deep[0], a.y - deep[1]), (b.x - deep[0], b.y - deep[1]),
                       (b.x + nx * 0.01, b.y + ny * 0.01),
                       (a.x + nx * 0.01, a.y + ny * 0.01)])  # fmt: skip
        gaps.append(gap)
        if width > 1.2:  # a double door: a leaf from each jamb, meeting in the middle
            m = ((a.x + b.x) / 2, (a.y + b.y) / 2)
            sheet.door((a.x, a.y), m, 90.0, layer)
            sheet.door((b.x, b.y), m, -90.0, layer)
        else:
            sheet.door((a.x, a.y), (b.x, b.y), 90.0, layer)
        for p in (a, b):  # jambs across the wall
            sheet.line(LineString([(p.x, p.y), (p.x - nx * wall, p.y - ny * wall)]), layer)
    cut = shapely.unary_union(gaps) if gaps else Polygon()
    for ring in (shapely.orient_polygons(floor).exterior, outer.exterior):
        coords = list(ring.coords)
        for a, b in itertools.pairwise(coords):
            rest = LineString([a, b]).difference(cut)
            for piece in getattr(rest, "geoms", [rest]):
                if isinstance(piece, LineString) and piece.length > 1e-6:
                    sheet.line(piece, layer)
    return outer


L_FLOOR = Polygon([(0, 0), (30, 0), (30, 12), (14, 12), (14, 24), (0, 24)])


def test_double_walls_in_mm_turned_far_from_the_origin(tmp_path: Path) -> None:
    sheet = Sheet(4, 1000.0, turn=23.0, at=(2_500_000.0, -800_000.0))
    doors = [((12.0, 0.0), 1.8), ((30.0, 6.0), 1.0), ((0.0, 20.0), 0.9)]
    outer = double_walls(sheet, L_FLOOR, doors=doors)
    sheet.line(LineString([(14, 3), (14, 12)]), "A-WALL")  # an interior wall
    result = import_footprint(sheet.save(tmp_path / "l.dxf"))
    assert result.units == "mm"
    drawn = scale(sheet.place(L_FLOOR), 0.001, 0.001, origin=(0, 0))
    derived = Polygon(result.footprint.polygon)
    assert iou(derived, drawn) >= 0.99
    assert derived.area == pytest.approx(L_FLOOR.area, rel=0.01)  # the inner face
    outer_drawn = scale(sheet.place(outer), 0.001, 0.001, origin=(0, 0))
    assert result.buildings[0].outer.area == pytest.approx(outer_drawn.area, rel=0.01)
    assert len(result.candidates) == 3
    centres = [scale(sheet.place(Point(at)), 0.001, 0.001, origin=(0, 0)) for at, _ in doors]
    for candidate in result.candidates:
        gaps = [Point(candidate.at).distance(c) for c in centres]
        nearest = gaps.index(min(gaps))
        assert gaps[nearest] < 0.35, "on the door the test drew"
        assert candidate.width_m == pytest.approx(doors[nearest][1], abs=0.05), "its own width"
        assert candidate.leaves == (2 if doors[nearest][1] > 1.2 else 1)
    assert len({min(range(3), key=lambda i: Point(c.at).distance(centres[i])) for c in
                result.candidates}) == 3, "one candidate per door"  # fmt: skip
    (main,) = result.footprint.entrances
    assert main.width_m == pytest.approx(1.8, abs=0.05)
    assert Point(main.at).distance(centres[0]) < 0.35


@pytest.mark.parametrize(("units", "per_metre", "name"), [(1, 1 / 0.0254, "in"), (5, 100.0, "cm")])
def test_walls_in_inches_and_centimetres(tmp_path: Path, units: int, per_metre: float,
                                         name: str) -> None:  # fmt: skip
    sheet = Sheet(units, per_metre, at=(400.0, 900.0))
    floor = box(0, 0, 18, 11)
    double_walls(sheet, floor, wall=0.2, doors=[((9.0, 0.0), 1.2)], layer="WALLS")
    result = import_footprint(sheet.save(tmp_path / f"{name}.dxf"))
    assert result.units == name
    assert iou(Polygon(result.footprint.polygon), scale(sheet.place(floor), 1 / per_metre,
               1 / per_metre, origin=(0, 0))) >= 0.99  # fmt: skip


def test_xref_bound_layers_columns_as_circles_and_a_core_as_a_block(tmp_path: Path) -> None:
    sheet = Sheet(6, 1.0, turn=-12.0, at=(300.0, 200.0))
    floor = box(0, 0, 36, 20)
    double_walls(sheet, floor, doors=[((18.0, 0.0), 2.0)], layer="E1-RI-1F$0$A-WALL")
    for x in (9.0, 18.0, 27.0):
        centre = sheet.place(Point(x, 10.0))
        sheet.msp.add_circle((centre.x, centre.y), 0.2, dxfattribs={"layer": "S-COLS"})
    stair = sheet.doc.blocks.new("STAIR_A")
    stair.add_lwpolyline([(0, 0), (3, 0), (3, 5), (0, 5)], close=True)
    for y in range(1, 5):
        stair.add_line((0, y), (3, y))
    corner = sheet.place(Point(30.0, 13.0))
    sheet.msp.add_blockref("STAIR_A", (corner.x, corner.y),
                           dxfattribs={"layer": "A—楼梯、电梯", "rotation": -12.0})  # fmt: skip
    result = import_footprint(sheet.save(tmp_path / "xref.dxf"))
    assert result.layers == ["E1-RI-1F$0$A-WALL"]
    columns = [o for o in result.footprint.obstacles if o.kind == "column"]
    cores = [o for o in result.footprint.obstacles if o.kind != "column"]
    assert len(columns) == 3
    for column in columns:
        assert Polygon(column.polygon).area == pytest.approx(math.pi * 0.2**2, rel=0.1)
    (core,) = cores
    drawn = sheet.place(Polygon([(30, 13), (33, 13), (33, 18), (30, 18)]))
    assert iou(Polygon(core.polygon), drawn) > 0.9  # the block turned with its insert
    assert Polygon(core.polygon).area == pytest.approx(15.0, rel=0.05)


def test_a_gbk_code_page_keeps_chinese_layer_names(tmp_path: Path) -> None:
    sheet = Sheet(4, 1000.0, version="R2000")
    double_walls(sheet, box(0, 0, 20, 12), doors=[((10.0, 0.0), 1.5)], layer="A—墙体")
    # As a Chinese CAD program saves it: declared ANSI_936, text in GBK (ezdxf writes cp1252).
    stream = io.StringIO()
    sheet.doc.write(stream)
    text = stream.getvalue().replace("$DWGCODEPAGE\n  3\nANSI_1252", "$DWGCODEPAGE\n  3\nANSI_936")
    path = tmp_path / "gbk.dxf"
    path.write_bytes(text.encode("gbk"))
    raw = path.read_bytes()
    assert "墙体".encode("gbk") in raw
    assert "墙体".encode() not in raw
    result = import_footprint(path)
    assert result.layers == ["A—墙体"]
    assert Polygon(result.footprint.polygon).area == pytest.approx(240.0, rel=0.01)


def test_two_buildings_on_one_sheet(tmp_path: Path) -> None:
    sheet = Sheet(6, 1.0)
    double_walls(sheet, box(0, 0, 30, 15), doors=[((15.0, 0.0), 1.8)])
    double_walls(sheet, box(40, 0, 52, 10), doors=[((46.0, 0.0), 1.2)])
    path = sheet.save(tmp_path / "two.dxf")
    result = import_footprint(path)
    # Floors and door reveals (the threshold in the wall's depth counts as floor).
    assert [b.floor.area for b in result.buildings] == [
        pytest.approx(450, abs=1),
        pytest.approx(120, abs=1),
    ]
    assert result.chosen == 1
    assert any("2 buildings" in n for n in result.notes)
    second = import_footprint(path, building=2)
    assert Polygon(second.footprint.polygon).area == pytest.approx(120.0, rel=0.01)
    with pytest.raises(ConfigError, match=r"--building 3: the drawing has 2 building.*E544"):
        import_footprint(path, building=3)


def test_wrong_units_are_caught_and_named(tmp_path: Path) -> None:
    sheet = Sheet(4, 1.0)  # says mm, drawn in metres
    double_walls(sheet, box(0, 0, 25, 14))
    path = sheet.save(tmp_path / "says_mm.dxf")
    with pytest.raises(
        ConfigError,
        match=r"mm\), which makes the walls 0.0256 m across.*looks drawn in m \(25.6 m.*E543",
    ):
        import_footprint(path)
    assert import_footprint(path, units="m").units == "m"


def test_free_standing_walls_and_text_only_are_clear_errors(tmp_path: Path) -> None:
    sheet = Sheet(6, 1.0)
    for x in (0.0, 6.0, 12.0):
        sheet.line(LineString([(x, 0), (x + 4, 0)]), "Walls")
    sheet.line(LineString([(0, 8), (16, 8)]), "Walls")
    with pytest.raises(
        ConfigError, match=r"no outline: the 4 lines on layer\(s\) Walls enclose no floor.*E541"
    ):
        import_footprint(sheet.save(tmp_path / "free.dxf"))
    text = Sheet(6, 1.0)
    text.msp.add_text("Pohjapiirros", dxfattribs={"layer": "A-WALL"})
    with pytest.raises(ConfigError, match="E540"):
        import_footprint(text.save(tmp_path / "text.dxf"))


def test_cli_writes_a_footprint_section_the_scenario_accepts(tmp_path: Path) -> None:
    sheet = Sheet(4, 1000.0, turn=31.0, at=(1_300_000.0, 150_000.0))
    double_walls(sheet, box(0, 0, 26, 16), doors=[((13.0, 0.0), 1.8), ((26.0, 8.0), 1.0)])
    drawing = sheet.save(tmp_path / "site.dxf")
    out, png = tmp_path / "footprint.yaml", tmp_path / "preview.png"
    result = CliRunner().invoke(app, ["footprint", str(drawing), "-o", str(out), "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert "building 1: 416" in result.output
    assert "m² usable" in result.output
    section = yaml.safe_load(out.read_text(encoding="utf-8"))["footprint"]
    footprint = Footprint.model_validate(section)
    assert Polygon(footprint.polygon).area == pytest.approx(416.0, rel=0.005)
    assert "door_1" in out.read_text(encoding="utf-8")  # the other door, as a comment
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    failed = CliRunner().invoke(app, ["footprint", str(tmp_path / "nothing.dxf")])
    assert failed.exit_code == 2
    assert "E120" in failed.output


def test_a_plan_on_an_imported_turned_footprint_lies_inside_the_drawings_walls(
    tmp_path: Path,
) -> None:
    from ezdxf.filemanagement import readfile

    from configurator.dxf import plan_to_dxf
    from configurator.inputs.catalog import load_case
    from configurator.review import options_from_case

    examples = REPO / "examples"
    case = load_case(examples / "small_town.yaml")
    sheet = Sheet(4, 1000.0, turn=27.0, at=(1_311_000.0, 146_000.0))
    floor = box(0, 0, 30, 19)
    double_walls(sheet, floor, doors=[((15.0, 0.0), 1.8), ((0.0, 12.0), 1.0)])
    result = import_footprint(sheet.save(tmp_path / "site.dxf"))
    (option, *_) = options_from_case(case, options=1, footprint=result.footprint)
    assert not option.problems
    out = tmp_path / "plan.dxf"
    plan_to_dxf(option.plan, out, catalog=case.catalog)
    inner_face = scale(sheet.place(floor), 0.001, 0.001, origin=(0, 0)).buffer(0.01)
    rooms = [
        Polygon(e.get_points("xy"))  # type: ignore[attr-defined]  # an LWPOLYLINE
        for e in readfile(out).modelspace().query("LWPOLYLINE")
        if e.dxf.layer.startswith("A-AREA-")
    ]
    # the spare areas are on an A-AREA- layer too, and must stand inside the walls as well
    assert len(rooms) == len(option.plan.rooms) + len(option.plan.spares) > 5
    for room in rooms:
        assert inner_face.contains(room), "every room inside the architect's walls, as drawn"


# --------------------------------------------------------------------------- real drawings

needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/dxf_real is absent")


@needs_real
def test_real_hackerspace_in_centimetres() -> None:
    result = import_footprint(REAL / "hal9k_hackerspace_floorplan.dxf")
    assert result.units == "cm"
    # Measured on the drawing: the outer wall runs (0, 0)-(2382, 700) cm, 23.82 × 7.00 m.
    outer = result.buildings[result.chosen - 1].outer
    assert outer.bounds == pytest.approx((0.0, 0.0, 23.82, 7.0), abs=0.05)
    assert Polygon(result.footprint.polygon).area == pytest.approx(23.82 * 7.0, rel=0.03)
    assert result.candidates  # the street doors on the top façade


@needs_real
def test_real_makerspace_in_inches() -> None:
    result = import_footprint(REAL / "fcch_makerspace_floorplan.dxf")
    assert result.units == "in"
    minx, miny, maxx, maxy = result.buildings[0].outer.bounds
    # Measured on the drawing: the shell runs x -598..595 in, y -449..454 in (30.3 × 22.9 m).
    assert (maxx - minx, maxy - miny) == pytest.approx((30.3, 22.9), abs=0.3)
    assert result.footprint.entrances[0].width_m == pytest.approx(1.73, abs=0.05)  # double door


@needs_real
def test_real_pavilion_walls_alone_enclose_nothing() -> None:
    with pytest.raises(ConfigError, match="E541"):
        import_footprint(REAL / "barcelona_pavilion_plan.dxf", layers=["Walls"])
    result = import_footprint(REAL / "barcelona_pavilion_plan.dxf")
    assert result.units == "m"
    assert len(result.buildings) == 2
    # Measured on the drawing's lines: the glazed hall and the pool court behind it run from the
    # west glazing and doors at x 29.16 m to the east wall at 50.32 m, y 4.00 to 15.32 m (walls).
    assert result.buildings[0].outer.bounds == pytest.approx((29.16, 4.0, 50.32, 15.32), abs=0.1)


@needs_real
def test_real_campus_lists_its_turned_buildings() -> None:
    result = import_footprint(REAL / "shanghaitech_sist_e1_f1_filtered.dxf")
    assert result.units == "mm"
    big = [b for b in result.buildings if b.floor.area > 500]
    assert len(big) >= 5
    for found in big[:4]:
        rectangle = found.outer.minimum_rotated_rectangle
        (ax, ay), (bx, by) = list(rectangle.exterior.coords)[:2]
        angle = math.degrees(math.atan2(by - ay, bx - ax)) % 90.0
        assert 2.0 < angle < 88.0  # turned off the axes
    assert result.extent[0] > 1000.0  # far from the origin, kept there


def test_two_exports_of_one_plan_are_the_same_bytes(tmp_path: Path) -> None:
    import datetime
    import re

    from configurator.dxf import plan_to_dxf
    from configurator.inputs.catalog import load_case
    from configurator.review import plans_from_case

    case = load_case(REPO / "examples" / "small_town.yaml")
    (plan,) = plans_from_case(case, options=1)
    plan_to_dxf(plan, tmp_path / "a.dxf", catalog=case.catalog)
    plan_to_dxf(plan, tmp_path / "b.dxf", catalog=case.catalog)
    first = (tmp_path / "a.dxf").read_bytes()
    assert first == (tmp_path / "b.dxf").read_bytes(), "no clock in the file"
    dated = [datetime.date(2026, 12, 1), datetime.date(2027, 3, 4)]
    for n, day in enumerate(dated):
        for copy in "xy":
            plan_to_dxf(plan, tmp_path / f"{copy}{n}.dxf", catalog=case.catalog, date=day)
        assert (tmp_path / f"x{n}.dxf").read_bytes() == (tmp_path / f"y{n}.dxf").read_bytes()

    def stamp(path: Path, key: str) -> float:  # read the text: ezdxf's reader re-dates it
        found = re.search(rf"\n\{key}\n 40\n([0-9.]+)\n", path.read_text(encoding="utf-8"))
        assert found is not None, key
        return float(found.group(1))

    created = [stamp(tmp_path / f"x{n}.dxf", "$TDCREATE") for n in range(2)]
    assert [round(c - 1721424.5) for c in created] == [d.toordinal() for d in dated]
    assert stamp(tmp_path / "x0.dxf", "$TDUPDATE") == created[0]


def test_doors_drawn_as_blocks_are_found(tmp_path: Path) -> None:
    sheet = Sheet(4, 1000.0)
    floor = box(0, 0, 20, 12)
    outer = floor.buffer(0.25, join_style="mitre")
    for ring in (floor.exterior, outer.exterior):  # walls with a 0.9 m gap at x 9.55..10.45
        coords = list(ring.coords)
        for a, b in itertools.pairwise(coords):
            rest = LineString([a, b]).difference(box(9.55, -1, 10.45, 1))
            for piece in getattr(rest, "geoms", [rest]):
                if isinstance(piece, LineString) and piece.length > 0:
                    sheet.line(piece, "A-WALL")
    door = sheet.doc.blocks.new("DOOR_900")  # hinge at the origin, leaf along +y, in mm
    door.add_arc((0, 0), 900, 0, 90)
    door.add_line((0, 0), (0, 900))
    sheet.msp.add_blockref("DOOR_900", (9550, 0), dxfattribs={"layer": "A-DOOR"})
    result = import_footprint(sheet.save(tmp_path / "block_door.dxf"))
    (candidate,) = result.candidates
    assert candidate.leaves == 1
    assert candidate.at == pytest.approx((10.0, 0.0), abs=0.05)
    assert candidate.width_m == pytest.approx(0.9, abs=0.02)


def test_a_mirrored_door_block_and_a_bare_gap_are_candidates(tmp_path: Path) -> None:
    sheet = Sheet(6, 1.0)
    floor = box(0, 0, 16, 10)
    cut = shapely.unary_union([box(3.0, -1, 3.9, 1), box(10.0, 9, 11.2, 11)])
    for ring in (floor.exterior, floor.buffer(0.2, join_style="mitre").exterior):
        for a, b in itertools.pairwise(list(ring.coords)):
            rest = LineString([a, b]).difference(cut)
            for piece in getattr(rest, "geoms", [rest]):
                if isinstance(piece, LineString) and piece.length > 0:
                    sheet.line(piece, "A-WALL")
    door = sheet.doc.blocks.new("DOOR")  # hinge at the origin, leaf along +y, opening along +x
    door.add_arc((0, 0), 0.9, 0, 90)
    door.add_line((0, 0), (0, 0.9))
    # mirrored: the hinge at x 3.9, the leaf closing towards x 3.0
    sheet.msp.add_blockref("DOOR", (3.9, 0), dxfattribs={"layer": "A-DOOR", "xscale": -1})
    result = import_footprint(sheet.save(tmp_path / "mirror.dxf"))
    doors = [c for c in result.candidates if c.leaves]
    gaps = [c for c in result.candidates if not c.leaves]
    assert [c.at for c in doors] == [pytest.approx((3.45, 0.0), abs=0.05)]
    assert doors[0].width_m == pytest.approx(0.9, abs=0.02)
    assert [c.at for c in gaps] == [pytest.approx((10.6, 10.0), abs=0.1)]
    assert gaps[0].width_m == pytest.approx(1.2, abs=0.1)
    assert result.footprint.entrances[0].at == pytest.approx((3.45, 0.0), abs=0.05), "door first"


def test_unreadable_entities_are_left_out_and_said(tmp_path: Path) -> None:
    sheet = Sheet(6, 1.0)
    double_walls(sheet, box(0, 0, 12, 8), doors=[((6.0, 0.0), 1.0)])
    ghost = sheet.doc.blocks.new("GHOST")
    ghost.add_line((0, 0), (1, 1))
    sheet.msp.add_blockref("GHOST", (2.0, 2.0), dxfattribs={"layer": "A-WALL"})
    sheet.doc.blocks.delete_block("GHOST", safe=False)  # an unresolved xref leaves this
    result = import_footprint(sheet.save(tmp_path / "ghost.dxf"))
    assert Polygon(result.footprint.polygon).area == pytest.approx(96.0, rel=0.01)
    assert any("cannot read were left out" in n for n in result.notes)


def test_our_obstacles_in_mm_keep_their_kind_once(tmp_path: Path) -> None:
    from configurator.dxf import APPID, OBSTACLE_LAYER

    sheet = Sheet(4, 1000.0)
    double_walls(sheet, box(0, 0, 20, 12), doors=[((10.0, 0.0), 1.2)])
    sheet.doc.appids.add(APPID)
    lift = sheet.msp.add_lwpolyline(
        [(2000, 2000), (4000, 2000), (4000, 4500), (2000, 4500)],
        close=True,
        dxfattribs={"layer": OBSTACLE_LAYER},
    )
    lift.set_xdata(APPID, [(1000, "kind"), (1000, "obstacle"), (1000, "obstacle_kind"),
                           (1000, "lift")])  # fmt: skip
    result = import_footprint(sheet.save(tmp_path / "lift.dxf"))
    (obstacle,) = result.footprint.obstacles
    assert obstacle.kind == "lift"
    assert Polygon(obstacle.polygon).area == pytest.approx(5.0, rel=0.01), "in metres"


def test_cli_without_output_writes_only_yaml_to_stdout(tmp_path: Path) -> None:
    sheet = Sheet(6, 1.0)
    double_walls(sheet, box(0, 0, 14, 9), doors=[((7.0, 0.0), 1.0)])
    drawing = sheet.save(tmp_path / "s.dxf")
    result = CliRunner().invoke(app, ["footprint", str(drawing)])
    assert result.exit_code == 0
    section = yaml.safe_load(result.stdout)["footprint"]
    assert Polygon(section["polygon"]).area == pytest.approx(126.0, rel=0.01)
    assert "building 1:" in result.stderr


def test_preview_is_the_same_bytes_twice(tmp_path: Path) -> None:
    from configurator.dxf.preview import preview_png_bytes

    sheet = Sheet(6, 1.0, turn=10.0)
    double_walls(sheet, box(0, 0, 14, 9), doors=[((7.0, 0.0), 1.0)])
    path = sheet.save(tmp_path / "s.dxf")
    assert preview_png_bytes(import_footprint(path)) == preview_png_bytes(import_footprint(path))


def _nested_blocks(tmp_path: Path, deep: int, copies: int) -> Path:
    """A drawing whose blocks nest ``deep`` levels, each inserting the one below ``copies``
    times, inserted once in model space: it expands to copies ** deep lines."""
    sheet = Sheet(6, 1.0)
    double_walls(sheet, box(0, 0, 20, 12), doors=[((10.0, 0.0), 1.5)], layer="A-WALL")
    inner = sheet.doc.blocks.new("LEVEL_0")
    inner.add_line((0, 0), (0.5, 0), dxfattribs={"layer": "A-FURN"})
    for level in range(1, deep + 1):
        block = sheet.doc.blocks.new(f"LEVEL_{level}")
        for k in range(copies):
            block.add_blockref(f"LEVEL_{level - 1}", (k * 0.01, 0.0))
    sheet.msp.add_blockref(f"LEVEL_{deep}", (5.0, 5.0))
    return sheet.save(tmp_path / "nested.dxf")


def test_blocks_nested_ten_deep_are_refused_clearly_not_read_for_hours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten levels of blocks, each inserting the one below ten times, expand to ten billion lines
    (a hundred million within the eight levels read): the reader refuses it with E545, naming
    the block, from the block definitions' count before exploding anything. (The budget is
    lowered here to keep the second guard, the count while reading, quick.)"""
    from ezdxf.entities.insert import Insert

    from configurator.dxf import linework

    monkeypatch.setattr(linework, "MAX_ENTITIES", 20_000)
    path = _nested_blocks(tmp_path, deep=10, copies=10)
    exploded: list[str] = []
    explode = Insert.virtual_entities

    def counted(self: Insert) -> Any:
        exploded.append(self.dxf.name)
        return explode(self)

    monkeypatch.setattr(Insert, "virtual_entities", counted)
    with pytest.raises(ConfigError, match=r"more than 20 000 entities \(in block 'LEVEL_10'.*E545"):
        import_footprint(path)
    # refused from the block definitions, before exploding a single insert
    assert exploded == []
    # and with the definitions' count fooled, the count kept while reading still refuses it
    monkeypatch.setattr(linework, "_check_expansion", lambda msp, budget, depth: None)
    with pytest.raises(ConfigError, match=r"more than 20 000 entities \(in block 'LEVEL_.*E545"):
        import_footprint(path)
    assert exploded
    # the same nesting, shallow enough to stay within the budget, is read as usual
    result = import_footprint(_nested_blocks(tmp_path, deep=3, copies=10))
    assert Polygon(result.footprint.polygon).area == pytest.approx(20 * 12, rel=0.05)


def test_an_array_insert_of_a_million_copies_is_not_expanded_to_be_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A MINSERT of 1 000 × 1 000 copies: only as many copies as the budget can take are made
    before E545 (were it expanded whole first, this test would take minutes)."""
    from configurator.dxf import linework

    monkeypatch.setattr(linework, "MAX_ENTITIES", 5_000)
    sheet = Sheet(6, 1.0)
    double_walls(sheet, box(0, 0, 20, 12), doors=[((10.0, 0.0), 1.5)], layer="A-WALL")
    tile = sheet.doc.blocks.new("TILE")
    tile.add_line((0, 0), (0.01, 0), dxfattribs={"layer": "A-FLOR-PATT"})
    sheet.msp.add_blockref(
        "TILE",
        (1.0, 1.0),
        dxfattribs={"row_count": 1000, "column_count": 1000, "row_spacing": 0.01,
                    "column_spacing": 0.01},
    )  # fmt: skip
    with pytest.raises(ConfigError, match=r"more than 5 000 entities \(in the array .*E545"):
        import_footprint(sheet.save(tmp_path / "array.dxf"))


def test_an_array_insert_of_columns_is_read_as_every_column(tmp_path: Path) -> None:
    """A column grid drawn as one MINSERT of a column block, 3 × 2: six columns, not one."""
    sheet = Sheet(6, 1.0)
    double_walls(sheet, box(0, 0, 36, 20), doors=[((18.0, 0.0), 2.0)], layer="A-WALL")
    column = sheet.doc.blocks.new("COLUMN")
    column.add_circle((0, 0), 0.2)
    sheet.msp.add_blockref(
        "COLUMN",
        (9.0, 6.0),
        dxfattribs={"layer": "S-COLS", "row_count": 2, "column_count": 3, "row_spacing": 8.0,
                    "column_spacing": 9.0},
    )  # fmt: skip
    result = import_footprint(sheet.save(tmp_path / "grid.dxf"))
    columns = sorted(
        (round(Polygon(o.polygon).centroid.x, 1), round(Polygon(o.polygon).centroid.y, 1))
        for o in result.footprint.obstacles
        if o.kind == "column"
    )
    assert columns == [(x, y) for x in (9.0, 18.0, 27.0) for y in (6.0, 14.0)]


def _tessellated(sheet: Sheet, outline: Any, pieces: int, layer: str = "A-WALL") -> None:
    """Draw a ring (or line) as ``pieces`` short strokes of equal length, as a drawing whose
    walls were exploded from curves or exported stroke by stroke comes."""
    line = LineString(outline.coords)
    step = line.length / pieces
    cuts = [line.interpolate(k * step) for k in range(pieces)] + [line.interpolate(line.length)]
    for a, b in itertools.pairwise(cuts):
        sheet.line(LineString([a, b]), layer)


def test_walls_tessellated_into_many_short_strokes_read_as_the_walls(tmp_path: Path) -> None:
    """20 000 strokes (the benchmark reads 200 000): straight walls chopped into 1 cm pieces,
    in mm, turned: the same floor as the same walls drawn whole."""
    sheet = Sheet(4, 1000.0, turn=17.0, at=(300_000.0, 50_000.0))
    outer, inner = box(0, 0, 60, 30), box(0.25, 0.25, 59.75, 29.75)
    for ring in (outer.exterior, inner.exterior):
        _tessellated(sheet, ring, 10_000)
    result = import_footprint(sheet.save(tmp_path / "tessellated.dxf"))
    drawn = scale(sheet.place(inner), 0.001, 0.001, origin=(0, 0))
    assert iou(Polygon(result.footprint.polygon), drawn) > 0.999
    assert result.footprint.polygon is not None
    assert len(result.footprint.polygon) == 4


def test_curved_walls_drawn_as_chords_keep_their_curve(tmp_path: Path) -> None:
    """A building with round corners whose walls are 6 000 chords of 5 cm: the floor follows the
    curve (to the 2 cm the outline keeps), it is not read chord by chord for minutes."""
    sheet = Sheet(6, 1.0)
    outer = box(5, 5, 35, 20).buffer(5.0, quad_segs=64)
    inner = box(5, 5, 35, 20).buffer(4.75, quad_segs=64)
    for ring in (outer.exterior, inner.exterior):
        _tessellated(sheet, ring, 3_000)
    result = import_footprint(sheet.save(tmp_path / "round.dxf"))
    floor = Polygon(result.footprint.polygon)
    assert iou(floor, inner) > 0.995
    assert floor.area == pytest.approx(inner.area, rel=0.005)


def test_walls_drawn_as_hatches_count_as_walls(tmp_path: Path) -> None:
    """Poché: the outer walls only as solid hatches on A-WALL-PATT (the standard's wall pattern
    layer), cut at a door; no wall lines at all."""
    sheet = Sheet(6, 1.0, turn=8.0, at=(1000.0, 2000.0))
    floor = box(0, 0, 24, 14)
    wall = floor.buffer(0.3, join_style="mitre").difference(floor)
    door = box(10.0, -0.5, 11.8, 0.5)
    for part in getattr(wall.difference(door), "geoms", [wall.difference(door)]):
        hatch = sheet.msp.add_hatch(dxfattribs={"layer": "A-WALL-PATT"})
        hatch.paths.add_polyline_path(list(sheet.place(part).exterior.coords)[:-1], is_closed=True)
        for hole in sheet.place(part).interiors:
            hatch.paths.add_polyline_path(list(hole.coords)[:-1], is_closed=True)
    result = import_footprint(sheet.save(tmp_path / "poche.dxf"))
    assert iou(Polygon(result.footprint.polygon), sheet.place(floor)) > 0.99
    (candidate,) = result.candidates
    assert candidate.width_m == pytest.approx(1.8, abs=0.15)
    assert Point(candidate.at).distance(sheet.place(Point(10.9, 0.0))) < 0.2
    # a room's fill on an area layer is not a wall
    fills = Sheet(6, 1.0)
    double_walls(fills, floor, doors=[((12.0, 0.0), 1.8)])
    fill = fills.msp.add_hatch(dxfattribs={"layer": "A-AREA-PATT"})
    fill.paths.add_polyline_path([(2, 2), (8, 2), (8, 8), (2, 8)], is_closed=True)
    plain = import_footprint(fills.save(tmp_path / "fills.dxf"))
    assert iou(Polygon(plain.footprint.polygon), floor) > 0.99
    assert not plain.footprint.obstacles


def test_a_block_that_inserts_itself_is_read_once(tmp_path: Path) -> None:
    sheet = Sheet(6, 1.0)
    double_walls(sheet, box(0, 0, 20, 12), doors=[((10.0, 0.0), 1.5)])
    loop = sheet.doc.blocks.new("LOOP")
    loop.add_line((0, 0), (1, 0), dxfattribs={"layer": "A-FURN"})
    loop.add_blockref("LOOP", (0.5, 0.5))
    sheet.msp.add_blockref("LOOP", (3.0, 3.0))
    from configurator.dxf.linework import pieces

    skipped: list[str] = []
    read = pieces(sheet.doc.modelspace(), 1.0, skipped=skipped)
    assert sum(1 for p in read if p.block == "LOOP") == 1
    assert skipped == ["INSERT of block 'LOOP' inside itself"]
    result = import_footprint(sheet.save(tmp_path / "loop.dxf"))
    assert Polygon(result.footprint.polygon).area == pytest.approx(20 * 12, rel=0.01)


def test_a_hatch_of_huge_arcs_is_bounded_by_its_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 20 kB drawing whose wall hatch has arcs ten thousand kilometres round flattens to
    65 000 points each: they count against the budget like entities (E545), not memory."""
    from configurator.dxf import linework

    monkeypatch.setattr(linework, "MAX_ENTITIES", 20_000)
    sheet = Sheet(6, 1.0)
    double_walls(sheet, box(0, 0, 20, 12), doors=[((10.0, 0.0), 1.5)])
    hatch = sheet.msp.add_hatch(dxfattribs={"layer": "A-WALL"})
    for k in range(5):
        edges = hatch.paths.add_edge_path()
        edges.add_arc((k * 10.0, 0.0), radius=1e7, start_angle=0, end_angle=360)
    with pytest.raises(ConfigError, match=r"more than 20 000 entities \(in the points of a HATCH"):
        import_footprint(sheet.save(tmp_path / "arcs.dxf"))
