"""``configurator plan`` and ``audit``: lay out ranked floor-plan options, audit a plan file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from configurator._io import write_text_atomic
from configurator.cli.common import (
    BuildingNumber,
    DrawingUnits,
    FootprintDxf,
    FootprintModel,
    Lang,
    StoreyName,
    WallLayers,
    adopted_storey,
    audit_lines,
    checked,
    drawing_footprint,
    fail,
    lang_or_exit,
    rule_lines,
)
from configurator.inputs.catalog import load_case

__all__ = ["audit", "plan", "write_plans"]


def plan(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the options.")] = Path(
        "plans"
    ),
    options: Annotated[
        int | None, typer.Option("--options", "-n", min=1, max=50, help="How many options.")
    ] = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw the best option as a PNG.")
    ] = None,
    ifc: Annotated[
        Path | None,
        typer.Option("--ifc", help="Also write every option as an IFC space model in this folder."),
    ] = None,
    footprint_dxf: FootprintDxf = None,
    footprint_model: FootprintModel = None,
    storey: StoreyName = None,
    layer: WallLayers = None,
    building: BuildingNumber = None,
    units: DrawingUnits = None,
    lang: Lang = "fi",
) -> None:
    """Lay out N ranked floor-plan options: plan JSONs, a KPI table (CSV, JSON) and a PNG.

    Every option is audited from its geometry; only options with no problem are kept, and the
    audit result is printed with each. The building rules (exits, accessibility, daylight) are
    reviewed too: an option breaking a rule another meets is dropped; what no option meets is
    printed with what would fix it.
    """
    from configurator.model.errors import LayoutError
    from configurator.review import options_from_case
    from configurator.review.kpis import rows_from_kpis
    from configurator.sizing.counts import SizingError

    lang = lang_or_exit(lang)
    case = checked(lambda: load_case(scenario))
    entrances = tuple(case.scenario.footprint.entrances)
    drawn = checked(
        lambda: drawing_footprint(
            entrances, footprint_dxf, layer, building, units, footprint_model, storey
        )
    )
    footprint = drawn.footprint
    try:
        ranked = options_from_case(case, options=options, footprint=footprint)
    except (LayoutError, SizingError) as exc:
        raise fail([f"{scenario}: {exc}"]) from None
    plans = [o.plan for o in ranked]
    kpis = [o.kpis for o in ranked]
    write_plans(plans, kpis, output)
    write_text_atomic(
        output / "rules.json",
        json.dumps(
            [
                {
                    "option": o.plan.option,
                    "problems": [
                        {"code": p.code, "message": p.message, "ids": list(p.ids)} for p in o.rules
                    ],
                }
                for o in ranked
            ],
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
    )
    for row, option in zip(rows_from_kpis(kpis), ranked, strict=True):
        audit = (
            "audit: no problems"
            if not option.problems
            else f"audit: {len(option.problems)} problems"
        )
        codes = sorted(option.rule_codes)
        rules = (
            f"rules: {len(option.rules)} problems ({', '.join(codes)})"
            if codes
            else ("rules: no problems")
        )
        spare = (
            f", spare {option.kpis.spare_m2:.0f} m² to let "
            f"({option.kpis.spare_eur_year:,.0f} €/year)"
            if option.plan.spares
            else ""
        )
        typer.echo(
            f"option {row['option']}: {row['strategy']} (seed {row['seed']}), score "
            f"{row['score']}, walk {row['walk m']} m, escape {row['escape m']} m, unassigned "
            f"{row['unassigned m²']} m²{spare}, guard sees {row['guard sees']:.0%}, {audit}, "
            f"{rules}"
        )
    everywhere = frozenset.intersection(*(o.rule_codes for o in ranked))
    if everywhere:
        typer.echo(
            "no option meets these building rules in this building; option 1 shows what is "
            "missing (and, for the walk to an exit, where one more exit would help):"
        )
        for line in rule_lines(ranked[0].plan, case, footprint)[1:]:
            if line.strip().split(" ")[0] in everywhere:
                typer.echo(line)
    asked = options or case.scenario.layout.options
    if len(plans) < asked:
        typer.echo(
            f"{len(plans)} distinct option{'s fit' if len(plans) != 1 else ' fits'} ({asked} "
            "asked): the others the layout tried "
            "were the same plan again, failed the audit or broke a building rule another "
            "option keeps"
        )
    typer.echo(f"wrote {len(plans)} options to {output}/")
    if png is not None:
        from configurator.documents.drawing import plan_to_png

        plan_to_png(plans[0], png, catalog=case.catalog, lang=lang, date=case.scenario.date)
        typer.echo(f"wrote {png}")
    if ifc is not None:
        from configurator.ifc import plan_to_ifc
        from configurator.sizing.program import program_from_case

        program = program_from_case(case)
        for p in plans:
            plan_to_ifc(
                p,
                ifc / f"option-{p.option}.ifc",
                catalog=case.catalog,
                storey=adopted_storey(case, drawn),
                program=program,
                lang=lang,
                date=case.scenario.date,
            )
        typer.echo(f"wrote {len(plans)} IFC space models to {ifc}/")


def audit(
    plan_file: Annotated[Path, typer.Argument(help="A plan JSON written by 'plan'.")],
    scenario: Annotated[Path, typer.Argument(help="The scenario the plan is for.")],
) -> None:
    """Audit a plan and review its building rules from its geometry; exit 1 on any problem."""
    from pydantic import ValidationError

    from configurator.model.plan import Plan
    from configurator.review.audit import audit_plan

    case = checked(lambda: load_case(scenario))
    try:
        plan = Plan.model_validate_json(plan_file.read_bytes())
    except OSError as exc:
        raise fail([f"{plan_file}: {exc.strerror or exc} [E101]"]) from None
    except ValidationError as exc:
        raise fail(
            [
                f"{plan_file}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']} [E201]"
                for e in exc.errors(include_url=False)
            ]
        ) from None
    problems = audit_plan(plan, footprint=case.scenario.footprint, layout=case.scenario.layout)
    for line in audit_lines(problems):
        typer.echo(line)
    rules = rule_lines(plan, case)
    for line in rules:
        typer.echo(line)
    if problems or len(rules) > 1:
        raise typer.Exit(1)


def write_plans(plans: list[Any], kpis: list[Any], output: Path) -> None:
    """Write each option as plan-N.json and the KPI comparison as kpis.csv and kpis.json."""
    import csv
    import io

    from configurator.review.kpis import rows_from_kpis

    for p in plans:
        write_text_atomic(output / f"plan-{p.option}.json", p.model_dump_json(indent=2) + "\n")
    table = rows_from_kpis(kpis)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    write_text_atomic(output / "kpis.csv", buffer.getvalue())
    document = [k.model_dump(mode="json") for k in kpis]
    write_text_atomic(
        output / "kpis.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    )
