"""The plan, audit and check-dxf commands: audited options, audits of plan files and drawings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from configurator.cli import app
from configurator.model.plan import Plan
from tests.common import EXAMPLES

SMALL_TOWN = next(p for p in EXAMPLES if p.stem == "small_town")


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Run 'configurator plan' on the small town once; return the folder and what it printed."""
    out = tmp_path_factory.mktemp("plans")
    args = ["plan", str(SMALL_TOWN), "-o", str(out), "--ifc", str(out / "ifc")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_plan_writes_audited_options_and_says_how_many_fit(planned: tuple[Path, str]) -> None:
    out, printed = planned
    plans = sorted(out.glob("plan-*.json"))
    assert len(plans) >= 1
    assert printed.count("audit: no problems") == len(plans)
    fit = "options fit" if len(plans) > 1 else "option fits"
    assert f"{len(plans)} distinct {fit} (3 asked)" in printed
    kpis = json.loads((out / "kpis.json").read_text(encoding="utf-8"))
    assert [k["audit_problems"] for k in kpis] == [0] * len(plans)


def test_plan_writes_every_option_as_an_ifc_space_model(planned: tuple[Path, str]) -> None:
    import ifcopenshell

    out, printed = planned
    plans = sorted(out.glob("plan-*.json"))
    models = sorted((out / "ifc").glob("option-*.ifc"))
    assert [m.stem for m in models] == [f"option-{k}" for k in range(1, len(plans) + 1)]
    assert f"wrote {len(plans)} IFC space models to {out / 'ifc'}/" in printed
    for path, model_path in zip(plans, models, strict=True):
        plan = Plan.model_validate_json(path.read_text(encoding="utf-8"))
        names = {s.Name for s in ifcopenshell.open(str(model_path)).by_type("IfcSpace")}
        assert names == {r.id for r in plan.rooms} | {c.id for c in plan.corridors} | {
            s.id for s in plan.spares
        }


def test_audit_of_a_written_plan_finds_only_what_the_building_decides(
    planned: tuple[Path, str],
) -> None:
    out, _ = planned
    result = CliRunner().invoke(app, ["audit", str(out / "plan-1.json"), str(SMALL_TOWN)])
    lines = result.output.splitlines()
    assert lines[0] == "audit: no problems"
    assert lines[1].startswith("building rules: ")
    rules = json.loads((out / "rules.json").read_text(encoding="utf-8"))
    codes = sorted(p["code"] for p in rules[0]["problems"])
    # the small town's staff door is 1.0 m: with 105 people a second exit needs 1.2 m (§34)
    assert "R102" in codes
    assert sorted(line.split()[0] for line in lines[2:]) == codes
    assert result.exit_code == 1, "building-rule problems fail the audit like geometric ones"


def test_audit_of_an_edited_plan_names_each_problem_and_exits_1(
    planned: tuple[Path, str], tmp_path: Path
) -> None:
    out, _ = planned
    plan = Plan.model_validate_json((out / "plan-1.json").read_text(encoding="utf-8"))
    moved = [
        r.model_copy(update={"polygon": [(x + 40.0, y) for x, y in r.polygon]})
        if r.space_type == "back_office"
        else r
        for r in plan.rooms
    ]
    edited = tmp_path / "edited.json"
    edited.write_text(plan.model_copy(update={"rooms": moved}).model_dump_json(), "utf-8")
    result = CliRunner().invoke(app, ["audit", str(edited), str(SMALL_TOWN)])
    assert result.exit_code == 1
    assert "P101 back_office" in result.output, "moved out of the building"
    assert "P201" in result.output, "its door is no longer on a wall it shares"


def test_audit_of_a_file_that_is_no_plan_is_one_line_per_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"scenario": "x"}', encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(broken), str(SMALL_TOWN)])
    assert result.exit_code == 2
    assert "[E201]" in result.output
    assert "Traceback" not in result.output


def test_check_dxf_audits_the_drawing_read_back(planned: tuple[Path, str], tmp_path: Path) -> None:
    """Exported and read back, the plan still holds up: doors and corridors survive the DXF."""
    dxf = tmp_path / "plan.dxf"
    exported = CliRunner().invoke(app, ["export", str(SMALL_TOWN), "--dxf", str(dxf)])
    assert exported.exit_code == 0, exported.output
    result = CliRunner().invoke(app, ["check-dxf", str(dxf), str(SMALL_TOWN)])
    assert result.exit_code == 0, result.output
    assert "audit: no problems" in result.output
