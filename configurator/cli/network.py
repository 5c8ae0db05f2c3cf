"""``configurator portfolio SITES -o DIR``: every site of a network through the pipeline.

Progress and timings go to stderr (the log); the files written are the same bytes whatever the
workers, the cache or the clock.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from configurator.cli.common import checked, fail

__all__ = ["portfolio_command"]


def portfolio_command(
    sites: Annotated[Path, typer.Argument(help="A folder of site scenario files (*.yaml).")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for the portfolio's files.")
    ] = Path("portfolio"),
    options: Annotated[
        int, typer.Option("--options", "-n", min=1, max=20, help="Options laid out per site.")
    ] = 3,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Processes to run sites on (default: the CPUs)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="A Dask scheduler's address (tcp://HOST:8786): run the sites on its cluster.",
        ),
    ] = None,
) -> None:
    """Size, lay out, audit and rank every site; write portfolio.json and portfolio.xlsx.

    A site that fails is reported with its reason and the others go on; a rerun into the same
    folder does only the sites that are new or changed (results are kept in DIR/.sites).
    """
    from configurator.network import run_portfolio, sites_from_folder, write_portfolio

    found = checked(lambda: sites_from_folder(sites))
    count = workers or os.cpu_count() or 1
    started = time.monotonic()

    def progress(done: int, failed: int, total: int) -> None:
        elapsed = time.monotonic() - started
        left = elapsed / done * (total - done) if done else 0.0
        typer.echo(
            f"  {done}/{total} sites done, {failed} failed, about {left:.0f} s left", err=True
        )

    if scheduler is None:
        portfolio, run = run_portfolio(
            found, options=options, workers=count, cache=output / ".sites", progress=progress
        )
    else:
        client = _client(scheduler)
        try:
            with client.get_executor() as executor:
                portfolio, run = run_portfolio(
                    found,
                    options=options,
                    executor=executor,
                    cache=output / ".sites",
                    progress=progress,
                )
        finally:
            client.close()
    dates = [site.date for site in found if site.date is not None]
    write_portfolio(portfolio, output, date=max(dates) if dates else None)
    for result in portfolio.failed:
        typer.echo(f"{result.site}: {result.failure}", err=True)
    typer.echo(
        f"{len(portfolio.sites)} sites: {len(portfolio.sites) - len(portfolio.failed)} planned, "
        f"{len(portfolio.failed)} failed; {run.computed} run now, {run.cached} from the last run "
        f"({time.monotonic() - started:.1f} s on "
        f"{scheduler if scheduler is not None else f'{count} process(es)'})",
        err=True,
    )
    typer.echo(f"wrote {output / 'portfolio.json'} and {output / 'portfolio.xlsx'}")


def _client(address: str) -> Any:
    """Connect to a Dask scheduler, or fail in one line (no Dask, no scheduler there)."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise fail(
            ["--scheduler needs Dask: pip install 'service-point-configurator[cluster]'"]
        ) from None
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise fail([f"--scheduler {address}: no Dask scheduler answers ({exc})"]) from None
