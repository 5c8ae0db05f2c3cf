"""Run the configurator from the command line: validate inputs, list the catalog, write schemas."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from configurator._io import write_text_atomic
from configurator.catalog import DEFAULT_CATALOG, Case, json_schemas, load_case, load_catalog
from configurator.cli_options import (
    BuildingNumber,
    DrawingUnits,
    FootprintDxf,
    WallLayers,
    drawing_footprint,
)
from configurator.errors import ConfigError
from configurator.schema import Catalog

__all__ = ["app", "main"]

app = typer.Typer(
    name="configurator",
    help="Size, lay out and draw shared customer-service points.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Lang = Annotated[str, typer.Option("--lang", help="Language of names: fi or en.")]
T = TypeVar("T")


def fail(problems: list[str], *, code: int = 2) -> typer.Exit:
    """Print each problem on its own line to stderr and return the exit to raise."""
    for problem in problems:
        typer.echo(problem, err=True)
    return typer.Exit(code)


def checked(load: Callable[[], T]) -> T:
    """Run a loader; turn a :class:`ConfigError` into one line per problem and exit 2."""
    try:
        return load()
    except ConfigError as exc:
        raise fail([str(p) for p in exc.problems]) from None


def load_input(path: Path) -> Case | Catalog:
    """Load a scenario file, or a catalog folder, checking everything."""
    if path.is_dir():
        return load_catalog(path)
    return load_case(path)


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files or catalog folders.")],
) -> None:
    """Check scenario files (with their catalog) and catalog folders; report every problem."""
    failed = False
    for path in files:
        try:
            loaded = load_input(path)
        except ConfigError as exc:
            failed = True
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            typer.echo(f"invalid: {path} ({len(exc.problems)} problem(s))", err=True)
            continue
        if isinstance(loaded, Case):
            typer.echo(
                f"ok: {path}: {loaded.scenario.name!r}, {len(loaded.scenario.agencies)} agencies, "
                f"{len(loaded.catalog.space_types)} space types in the catalog"
            )
        else:
            typer.echo(f"ok: {path}: catalog with {len(loaded.space_types)} space types")
    if failed:
        raise typer.Exit(1)


@app.command()
def schema(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder to write the *.schema.json files to.")
    ] = Path("schema"),
) -> None:
    """Write the JSON Schema of scenario and catalog files, for editor autocompletion."""
    for name, document in json_schemas().items():
        write_text_atomic(output / name, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        typer.echo(f"wrote {output / name}")


@app.command("catalog")
def list_catalog(
    folder: Annotated[
        Path | None, typer.Option("--catalog", help="Catalog folder (the built-in one if omitted).")
    ] = None,
    lang: Lang = "en",
) -> None:
    """List the zones with their space types, the roles, personas and agencies of a catalog."""
    catalog = checked(lambda: load_catalog(folder or DEFAULT_CATALOG))
    for line in catalog_lines(catalog, lang=_lang(lang)):
        typer.echo(line)


def catalog_lines(catalog: Catalog, *, lang: str) -> list[str]:
    """Describe a catalog in plain lines, zone by zone."""
    lines: list[str] = []
    for zone in sorted(catalog.zones, key=lambda z: z.order):
        access = "visitors" if zone.visitor_access else "staff only"
        lines.append(
            f"{zone.order}. {_name(zone.names, lang)} [{zone.id}] ({zone.privacy}, {access})"
        )
        for st in catalog.space_types:
            if st.zone == zone.id:
                lines.append(
                    f"   - {st.id}: {_name(st.names, lang)}, {st.unit_area_m2:g} m² per {st.unit}, "
                    f"driver {st.driver.kind}"
                )
    lines.append("roles: " + ", ".join(f"{r.id} ({_name(r.names, lang)})" for r in catalog.roles))
    lines.append(
        "personas: "
        + ", ".join(f"{p.id} ({_name(p.names, lang)}, {p.share:.0%})" for p in catalog.personas)
    )
    lines.append(
        "agencies: " + ", ".join(f"{a.id} ({_name(a.names, lang)})" for a in catalog.agencies)
    )
    return lines


@app.command()
def program(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, xlsx or json.")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
    lang: Lang = "en",
) -> None:
    """Size the point and print or write its space programme, with the pooling comparison."""
    from configurator.demand import demand_from_scenario
    from configurator.program import compare_pooling, program_from_case
    from configurator.sizing import SizingError
    from configurator.tables import FORMATS, write_program

    if fmt not in FORMATS:
        raise fail([f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}"])
    if fmt == "xlsx" and output is None:
        raise fail(["--format xlsx writes a file: give -o FILE.xlsx"])
    case = checked(lambda: load_case(scenario))
    try:
        plan = program_from_case(case)
        comparison = compare_pooling(case)
    except SizingError as exc:
        raise fail([f"{scenario}: {exc}"]) from None
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    text = write_program(plan, comparison, demand, fmt=fmt, output=output, lang=_lang(lang))
    if text is not None:
        typer.echo(text, nl=False)
    else:
        typer.echo(f"wrote {output}")


@app.command()
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
    footprint_dxf: FootprintDxf = None,
    layer: WallLayers = None,
    building: BuildingNumber = None,
    units: DrawingUnits = None,
    lang: Lang = "fi",
) -> None:
    """Lay out N ranked floor-plan options: plan JSONs, a KPI table (CSV, JSON) and a PNG.

    Every option is audited from its geometry; only options with no problem are kept, and the
    audit result is printed with each.
    """
    from configurator.errors import LayoutError
    from configurator.kpis import rows_from_kpis
    from configurator.layout import options_from_case
    from configurator.sizing import SizingError

    case = checked(lambda: load_case(scenario))
    entrances = tuple(case.scenario.footprint.entrances)
    footprint = checked(lambda: drawing_footprint(entrances, footprint_dxf, layer, building, units))
    try:
        ranked = options_from_case(case, options=options, footprint=footprint)
    except (LayoutError, SizingError) as exc:
        raise fail([f"{scenario}: {exc}"]) from None
    plans = [o.plan for o in ranked]
    kpis = [o.kpis for o in ranked]
    write_plans(plans, kpis, output)
    for row, option in zip(rows_from_kpis(kpis), ranked, strict=True):
        audit = (
            "audit: no problems"
            if not option.problems
            else f"audit: {len(option.problems)} problems"
        )
        typer.echo(
            f"option {row['option']}: {row['strategy']} (seed {row['seed']}), score "
            f"{row['score']}, walk {row['walk m']} m, unassigned {row['unassigned m²']} m², "
            f"guard sees {row['guard sees']:.0%}, {audit}"
        )
    asked = options or case.scenario.layout.options
    if len(plans) < asked:
        typer.echo(
            f"{len(plans)} distinct options fit ({asked} asked): the others the layout tried "
            "were the same plan again or failed the audit"
        )
    typer.echo(f"wrote {len(plans)} options to {output}/")
    if png is not None:
        from configurator.drawing import plan_to_png

        plan_to_png(plans[0], png, catalog=case.catalog, lang=_lang(lang), date=case.scenario.date)
        typer.echo(f"wrote {png}")


@app.command()
def audit(
    plan_file: Annotated[Path, typer.Argument(help="A plan JSON written by 'plan'.")],
    scenario: Annotated[Path, typer.Argument(help="The scenario the plan is for.")],
) -> None:
    """Audit a plan from its geometry alone; print every problem with its code, exit 1 if any."""
    from pydantic import ValidationError

    from configurator.plan import Plan
    from configurator.plan_audit import audit_plan

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
    if problems:
        raise typer.Exit(1)


def audit_lines(problems: list[Any]) -> list[str]:
    """Return an audit as lines: one per problem (code first), or that there is none."""
    if not problems:
        return ["audit: no problems"]
    return [f"audit: {len(problems)} problems"] + [f"  {p.plan_line()}" for p in problems]


def write_plans(plans: list[Any], kpis: list[Any], output: Path) -> None:
    """Write each option as plan-N.json and the KPI comparison as kpis.csv and kpis.json."""
    import csv
    import io

    from configurator.kpis import rows_from_kpis

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


def _register_more() -> None:
    """Register the commands that live in their own modules."""
    from configurator.blocks_cli import solve_blocks_command
    from configurator.cards_cli import cards_command, report_command
    from configurator.dxf_cli import check_dxf_command, export_command
    from configurator.footprint_cli import footprint_command

    app.command("solve-blocks")(solve_blocks_command)
    app.command("export")(export_command)
    app.command("check-dxf")(check_dxf_command)
    app.command("footprint")(footprint_command)
    app.command("cards")(cards_command)
    app.command("report")(report_command)


_register_more()


def _name(names: Any, lang: str) -> str:
    return str(getattr(names, lang))


def _lang(lang: str) -> str:
    if lang not in ("fi", "en"):
        raise fail([f"--lang: expected 'fi' or 'en', got {lang!r}"])
    return lang


def main() -> None:
    """Run the command line."""
    from configurator._gc import relax_gc

    relax_gc()
    app()
