"""Run the configurator from the command line: validate inputs, list the catalog, write schemas."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from configurator._io import write_text_atomic
from configurator.catalog import DEFAULT_CATALOG, Case, json_schemas, load_case, load_catalog
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


def _name(names: Any, lang: str) -> str:
    return str(getattr(names, lang))


def _lang(lang: str) -> str:
    if lang not in ("fi", "en"):
        raise fail([f"--lang: expected 'fi' or 'en', got {lang!r}"])
    return lang


def main() -> None:
    """Run the command line."""
    app()
