"""Run the drawing stage from the command line: export a plan option, check an edited DXF.

The two callbacks are plain functions with Typer annotations; :mod:`configurator.cli` registers
them. Every error is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from shapely.geometry import Polygon

from configurator.cli.common import (
    BuildingNumber,
    DrawingUnits,
    FailedError,
    FootprintDxf,
    FootprintModel,
    StoreyName,
    WallLayers,
    adopted_storey,
    audit_lines,
    check_lang,
    drawing_footprint,
    reported,
    rule_lines,
)
from configurator.inputs.catalog import Case, load_case
from configurator.model.errors import ConfigError
from configurator.model.plan import Plan
from configurator.model.schema import (
    Entrance as ScenarioEntrance,
    Footprint,
    Obstacle as ScenarioObstacle,
)

__all__ = ["check_dxf_command", "export_command"]


def _plans(case: Case, *, options: int, footprint: Footprint | None) -> list[Plan]:
    """Run the layout engine, reporting its absence or failure in one line."""
    try:
        from configurator.review.options import plans_from_case
    except ImportError as exc:
        raise FailedError([f"the layout engine is not available ({exc})"]) from None
    try:
        return list(plans_from_case(case, options=options, footprint=footprint))
    except ConfigError:
        raise
    except Exception as exc:  # the engine's own errors: report, never a traceback
        raise FailedError([f"{case.source}: layout failed: {type(exc).__name__}: {exc}"]) from None


def export_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    dxf: Annotated[Path | None, typer.Option("--dxf", help="DXF file to write.")] = None,
    ifc: Annotated[Path | None, typer.Option("--ifc", help="IFC4 space model to write.")] = None,
    option: Annotated[int, typer.Option("--option", min=1, help="Plan option, 1 is best.")] = 1,
    lang: Annotated[str, typer.Option("--lang", help="Language of names: fi or en.")] = "fi",
    footprint_dxf: FootprintDxf = None,
    footprint_model: FootprintModel = None,
    storey: StoreyName = None,
    layer: WallLayers = None,
    building: BuildingNumber = None,
    units: DrawingUnits = None,
    title: Annotated[str | None, typer.Option("--title", help="Title block heading.")] = None,
    svg: Annotated[Path | None, typer.Option("--svg", help="Also draw an SVG sheet.")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Also draw a PNG sheet.")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also draw a PDF sheet.")] = None,
    paper: Annotated[str, typer.Option("--paper", help="Sheet size: A3 or A4.")] = "A3",
    scale: Annotated[int, typer.Option("--scale", help="Sheet scale 1:N (100 or 200).")] = 100,
) -> None:
    """Lay out a scenario and write one plan option as DXF, IFC, SVG, PNG or PDF (any of them)."""
    from configurator.documents import drawing
    from configurator.dxf import plan_to_dxf

    with reported():
        lang = check_lang(lang)
        if all(p is None for p in (dxf, ifc, svg, png, pdf)):
            raise FailedError(["nothing to write: give --dxf, --ifc, --svg, --png or --pdf"])
        if paper not in drawing.PAPERS:
            raise FailedError(
                [f"--paper: expected one of {', '.join(drawing.PAPERS)}, got {paper!r}"]
            )
        case = load_case(scenario)
        entrances = tuple(case.scenario.footprint.entrances)
        drawn = drawing_footprint(
            entrances, footprint_dxf, layer, building, units, footprint_model, storey
        )
        footprint = drawn.footprint
        # as many options as the scenario asks for, so option N is the option N that
        # ``plan`` and the booklet give (the search stops once it has the options asked for)
        wanted = max(option, case.scenario.layout.options)
        plans = _plans(case, options=wanted, footprint=footprint)
        if len(plans) < option:
            raise FailedError([f"--option {option}: the layout gave only {len(plans)} option(s)"])
        plan = plans[option - 1]
        if dxf is not None:
            plan_to_dxf(
                plan, dxf, catalog=case.catalog, lang=lang, title=title, date=case.scenario.date
            )
            typer.echo(f"wrote {dxf}")
        if ifc is not None:
            from configurator.ifc import plan_to_ifc
            from configurator.sizing.program import program_from_case

            plan_to_ifc(
                plan,
                ifc,
                catalog=case.catalog,
                storey=adopted_storey(case, drawn),
                program=program_from_case(case),
                lang=lang,
                date=case.scenario.date,
            )
            typer.echo(f"wrote {ifc}")
        for path, write in (
            (svg, drawing.plan_to_svg),
            (png, drawing.plan_to_png),
            (pdf, drawing.plan_to_pdf),
        ):
            if path is not None:
                note = write(
                    plan,
                    path,
                    catalog=case.catalog,
                    lang=lang,
                    paper=paper,
                    scale=scale,
                    date=case.scenario.date,
                )
                typer.echo(f"wrote {path}" + (f" ({note})" if note else ""))


def check_dxf_command(
    plan_dxf: Annotated[Path, typer.Argument(help="Plan DXF, as exported or edited in CAD.")],
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file the plan was made for.")],
    regenerate: Annotated[
        bool,
        typer.Option(
            "--regenerate",
            help="Compare with a freshly generated plan instead of the snapshot in the DXF.",
        ),
    ] = False,
) -> None:
    """Report a plan DXF: KPIs, the check against the programme, and the changes made in CAD."""
    from configurator.dxf import exported_plan_from_dxf, plan_from_dxf
    from configurator.review.plan_diff import check_against_programme, compare_plans
    from configurator.sizing.program import program_from_case

    with reported():
        case = load_case(scenario)
        plan = plan_from_dxf(plan_dxf, case=case)
        typer.echo(
            f"plan {plan_dxf}: {plan.scenario!r}, option {plan.option} ({plan.strategy}), "
            f"{len(plan.rooms)} rooms, {len(plan.corridors)} corridors"
        )
        for line in _kpi_lines(plan, case):
            typer.echo(line)
        for line in _audit_lines(plan, case):
            typer.echo(line)
        typer.echo("programme check:")
        growth = case.scenario.layout.room_growth_share
        checked = check_against_programme(plan, program_from_case(case), growth_share=growth)
        for line in checked.lines():
            typer.echo(f"  {line}")
        reference = None if regenerate else exported_plan_from_dxf(plan_dxf)
        source = "the plan as exported (snapshot in the DXF)"
        if reference is None:
            wanted = max(plan.option, case.scenario.layout.options)
            options = _plans(case, options=wanted, footprint=_same_footprint(plan, case))
            if len(options) < plan.option:
                raise FailedError([f"the layout no longer gives option {plan.option}"])
            reference = options[plan.option - 1]
            source = f"a freshly generated option {plan.option}"
        diff = compare_plans(reference, plan)
        typer.echo(f"changes against {source}:")
        for line in diff.lines() or ["no changes"]:
            typer.echo(f"  {line}")


def _kpi_lines(plan: Plan, case: Case) -> list[str]:
    try:
        from configurator.review.kpis import kpis_from_plan  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return ["KPIs: not available (configurator.review.kpis is missing)"]
    try:
        footprint = _same_footprint(plan, case) or case.scenario.footprint
        rows = kpis_from_plan(plan, case=case, footprint=footprint).as_rows()
    except Exception as exc:  # an edited plan may break a KPI; the rest of the report stands
        return [f"KPIs: not computed ({type(exc).__name__}: {exc})"]
    lines = ["KPIs:"]
    for row in rows:
        lines.append("  " + ", ".join(f"{key}: {value}" for key, value in row.items()))
    return lines


def _audit_lines(plan: Plan, case: Case) -> list[str]:
    """Return the geometric audit of a plan read back from a drawing."""
    from configurator.review.audit import audit_plan

    footprint = _same_footprint(plan, case) or case.scenario.footprint
    lines = audit_lines(audit_plan(plan, footprint=footprint, layout=case.scenario.layout))
    try:
        lines += rule_lines(plan, case, footprint)
    except Exception as exc:  # an edited plan may defeat a rule's reading; the rest stands
        lines.append(f"building rules: not reviewed ({type(exc).__name__}: {exc})")
    return lines


def _same_footprint(plan: Plan, case: Case) -> Footprint | None:
    """Return the plan's footprint for the layout, or None when it is the scenario's own."""
    own = case.scenario.footprint
    if Polygon(plan.footprint).symmetric_difference(Polygon(own.outline())).area < 1e-6:
        return None
    return Footprint(
        polygon=plan.footprint,
        entrances=[
            ScenarioEntrance(id=e.id, at=e.at, width_m=e.width_m, kind=e.kind)
            for e in plan.entrances
            if e.kind != "spare"  # a spare area's new door is the plan's, not the building's
        ],
        obstacles=[
            ScenarioObstacle(id=o.id, kind=o.kind, polygon=o.polygon) for o in plan.obstacles
        ],
        windows=plan.windows or "all",
    )
