"""Run the export and check-dxf commands with a stand-in layout engine; errors are one line."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from configurator.cli import app
from configurator.dxf import APPID
from configurator.inputs.catalog import Case, load_case
from configurator.model.plan import Plan
from configurator.model.schema import Footprint
from tests.common import scenario, write_yaml
from tests.dxf.test_dxf import DEPTH, WIDTH, new_drawing, read, sample_plan


class FakeKpis:
    """What kpis_from_plan returns: a model with as_rows()."""

    def as_rows(self) -> list[dict[str, object]]:
        return [{"kpi": "rooms", "value": 9}]


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> list[Footprint | None]:
    """Stand in for the option search and the KPIs; record the footprints asked for."""
    asked: list[Footprint | None] = []

    def plans_from_case(
        case: Case, *, options: int | None = None, footprint: Footprint | None = None
    ) -> list[Plan]:
        asked.append(footprint)
        return [sample_plan()]

    stand_in(monkeypatch, plans_from_case)
    return asked


def stand_in(monkeypatch: pytest.MonkeyPatch, plans_from_case: Callable[..., list[Plan]]) -> None:
    """Put ``plans_from_case`` in place of the option search, and fixed KPIs in place of the
    real ones, for the CLI to import."""
    layout = types.ModuleType("configurator.review.options")
    layout.plans_from_case = plans_from_case  # type: ignore[attr-defined]
    kpis = types.ModuleType("configurator.review.kpis")
    kpis.kpis_from_plan = lambda plan, *, case, footprint=None: FakeKpis()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "configurator.review.options", layout)
    monkeypatch.setitem(sys.modules, "configurator.review.kpis", kpis)


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    data = scenario(
        footprint={
            "rectangle": [WIDTH, DEPTH],
            "entrances": [{"id": "main_door", "at": [3.0, 0.0], "kind": "main"}],
        }
    )
    return write_yaml(tmp_path / "scenario.yaml", data)


def test_export_then_check_reports_exactly_the_edits(
    tmp_path: Path, scenario_file: Path, engine: list[Footprint | None]
) -> None:
    dxf, png = tmp_path / "plan.dxf", tmp_path / "plan.png"
    result = CliRunner().invoke(
        app, ["export", str(scenario_file), "--dxf", str(dxf), "--png", str(png)]
    )
    assert result.exit_code == 0, result.output
    assert dxf.exists()
    assert png.read_bytes().startswith(b"\x89PNG")

    doc = read(dxf)
    for entity in doc.modelspace().query("LWPOLYLINE"):
        if entity.has_xdata(APPID):
            values = [t.value for t in entity.get_xdata(APPID)]
            if "storage_1" in values:
                doc.modelspace().delete_entity(entity)
            elif "break_room_1" in values:
                entity.translate(1.0, 0.0, 0.0)
    doc.saveas(dxf)

    for extra in ([], ["--regenerate"]):
        result = CliRunner().invoke(app, ["check-dxf", str(dxf), str(scenario_file), *extra])
        assert result.exit_code == 0, result.output
        changes = result.output.split("changes against", 1)[1].splitlines()[1:]
        assert changes == [
            "  missing room: storage_1",
            "  moved room: break_room_1 by (+1.00, +0.00) m",
        ]
        assert "kpi: rooms, value: 9" in result.output
        assert "programme check:" in result.output
    assert engine == [None, None], "the scenario's own footprint is laid out again"


def test_missing_layout_engine_is_one_line(
    tmp_path: Path, scenario_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "configurator.review.options", None)
    result = CliRunner().invoke(
        app, ["export", str(scenario_file), "--dxf", str(tmp_path / "x.dxf")]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("the layout engine is not available")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_bad_footprint_dxf_is_one_line_per_problem(
    tmp_path: Path, scenario_file: Path, engine: list[Footprint | None]
) -> None:
    doc = new_drawing()
    doc.header["$INSUNITS"] = 0
    doc.modelspace().add_lwpolyline([(0, 0), (20, 0), (20, 12), (0, 12)], close=True)
    doc.saveas(tmp_path / "floor.dxf")
    args = ["export", str(scenario_file), "--dxf", str(tmp_path / "x.dxf")]
    result = CliRunner().invoke(app, [*args, "--footprint-dxf", str(tmp_path / "floor.dxf")])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "floor.dxf" in line
    assert "[E520]" in line
    result = CliRunner().invoke(
        app, [*args, "--footprint-dxf", str(tmp_path / "floor.dxf"), "--units", "m"]
    )
    assert result.exit_code == 0, result.output
    assert engine[-1] is not None
    assert engine[-1].outline()[2] == (20.0, 12.0)


def test_check_of_a_missing_file_is_one_line(tmp_path: Path, scenario_file: Path) -> None:
    result = CliRunner().invoke(app, ["check-dxf", str(tmp_path / "none.dxf"), str(scenario_file)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.endswith("cannot read the DXF file: no such file [E120]")


def test_export_and_check_lay_out_as_many_options_as_the_scenario_asks(
    tmp_path: Path, scenario_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search stops once it has the options asked for, so asking for one would give
    another option 1 than ``plan`` does (the large city's first plan breaks a rule its later
    ones keep): export and check-dxf ask for the scenario's count, or more for a later option."""
    asked: list[int | None] = []

    def plans_from_case(
        case: Case, *, options: int | None = None, footprint: Footprint | None = None
    ) -> list[Plan]:
        asked.append(options)
        return [
            sample_plan().model_copy(update={"option": k}) for k in range(1, (options or 1) + 1)
        ]

    stand_in(monkeypatch, plans_from_case)
    wanted = load_case(scenario_file).scenario.layout.options
    dxf = tmp_path / "plan.dxf"
    for option, expected in ((1, wanted), (wanted + 2, wanted + 2)):
        args = ["export", str(scenario_file), "--dxf", str(dxf), "--option", str(option)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert asked[-1] == expected
    result = CliRunner().invoke(app, ["check-dxf", str(dxf), str(scenario_file), "--regenerate"])
    assert result.exit_code == 0, result.output
    assert asked[-1] == wanted + 2, "option N of the drawing, among at least the scenario's count"


def test_export_writes_an_ifc_space_model_alone(
    tmp_path: Path, scenario_file: Path, engine: list[Footprint | None]
) -> None:
    import ifcopenshell

    ifc = tmp_path / "out" / "plan.ifc"
    result = CliRunner().invoke(
        app, ["export", str(scenario_file), "--ifc", str(ifc), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {ifc}"
    model = ifcopenshell.open(str(ifc))
    plan = sample_plan()
    names = {s.Name for s in model.by_type("IfcSpace")}
    assert names == {r.id for r in plan.rooms} | {c.id for c in plan.corridors}
    assert list(tmp_path.glob("*.dxf")) == []


def test_export_with_nothing_to_write_says_so_before_laying_out(
    scenario_file: Path, engine: list[Footprint | None]
) -> None:
    result = CliRunner().invoke(app, ["export", str(scenario_file)])
    assert result.exit_code == 2
    assert result.output.strip() == "nothing to write: give --dxf, --ifc, --svg, --png or --pdf"
    assert engine == []
