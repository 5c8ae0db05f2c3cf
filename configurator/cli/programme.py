"""``configurator program``: size the point and print or write its space programme."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from configurator.cli.common import Lang, checked, fail, lang_or_exit
from configurator.inputs.catalog import load_case

__all__ = ["program"]


def program(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, xlsx or json.")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
    lang: Lang = "en",
) -> None:
    """Size the point and print or write its space programme, with the pooling comparison."""
    from configurator.documents.tables import FORMATS, write_program
    from configurator.sizing.counts import SizingError
    from configurator.sizing.demand import demand_from_scenario
    from configurator.sizing.program import compare_pooling, program_from_case

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
    text = write_program(
        plan,
        comparison,
        demand,
        fmt=fmt,
        output=output,
        lang=lang_or_exit(lang),
        date=case.scenario.date,
    )
    if text is not None:
        typer.echo(text, nl=False)
    else:
        typer.echo(f"wrote {output}")
