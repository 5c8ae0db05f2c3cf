"""Run the pipeline from the command line: one Typer app, assembled here from a module per group.

Each command module holds plain functions with Typer annotations and imports only
:mod:`.common` (shared options and error reporting), never another command module; this file
registers them, in the order ``configurator --help`` lists them.
"""

from __future__ import annotations

import typer

from configurator.cli.blocks import solve_blocks_command
from configurator.cli.documents import cards_command, report_command
from configurator.cli.drawings import check_dxf_command, export_command
from configurator.cli.footprint import footprint_command
from configurator.cli.inputs import list_catalog, schema, validate
from configurator.cli.network import portfolio_command, siting_command
from configurator.cli.plans import audit, plan
from configurator.cli.programme import program
from configurator.cli.simulate import day_command, evacuation_command

__all__ = ["app", "main"]

app = typer.Typer(
    name="configurator",
    help="Size, lay out and draw shared customer-service points.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(validate)
app.command()(schema)
app.command("catalog")(list_catalog)
app.command()(program)
app.command()(plan)
app.command()(audit)
app.command("solve-blocks")(solve_blocks_command)
app.command("export")(export_command)
app.command("check-dxf")(check_dxf_command)
app.command("footprint")(footprint_command)
app.command("cards")(cards_command)
app.command("report")(report_command)
app.command("portfolio")(portfolio_command)
app.command("siting")(siting_command)
simulate = typer.Typer(
    help="People walking the drawn plan (JuPedSim): the design day, an evacuation.",
    no_args_is_help=True,
)
simulate.command("day")(day_command)
simulate.command("evacuation")(evacuation_command)
app.add_typer(simulate, name="simulate")


def main() -> None:
    """Run the command line."""
    from configurator._gc import relax_gc

    relax_gc()
    app()
