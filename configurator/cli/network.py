"""``configurator portfolio SITES -o DIR``: every site of a network through the pipeline.

Progress and timings go to stderr (the log); the files written are the same bytes whatever the
workers, the cache or the clock.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from configurator.cli.common import checked, fail, lang_or_exit, reported

__all__ = ["portfolio_command", "siting_command"]


def portfolio_command(
    sites: Annotated[
        Path,
        typer.Argument(help="A folder of scenario files (*.yaml) or a sites table (CSV, XLSX)."),
    ],
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
    booklet: Annotated[
        str,
        typer.Option(
            "--booklet", help="Each site's booklet: html, pdf (about 4 s a site more) or none."
        ),
    ] = "html",
    lang: Annotated[str, typer.Option("--lang", help="Language of the sites' files.")] = "fi",
) -> None:
    """Size, lay out, audit and rank every site; write portfolio.json, .xlsx, .html and .pdf,
    and each site's plans and booklet in DIR/sites/<id>/.

    A site that fails is reported with its reason and the others go on; a rerun into the same
    folder does only the sites that are new or changed (results are kept in DIR/.sites).
    """
    from configurator.network import SiteFiles, read_sites, write_portfolio

    kinds: dict[str, Literal["html", "pdf"] | None] = {"html": "html", "pdf": "pdf", "none": None}
    if booklet not in kinds:
        raise fail([f"--booklet {booklet}: expected html, pdf or none"])
    files = SiteFiles(booklet=kinds[booklet], lang=lang_or_exit(lang))
    found = checked(lambda: read_sites(sites))
    with reported():  # a folder that cannot be written says so before hours of work
        output.mkdir(parents=True, exist_ok=True)
        (output / ".sites").mkdir(exist_ok=True)
    count = workers or os.cpu_count() or 1
    started = time.monotonic()
    bar = _bar(len(found))
    before: list[int] = []  # sites done before the first computed one (cache, unreadable)

    def progress(done: int, failed: int, total: int) -> None:
        if not before:
            before.append(done - 1)
        ran = done - before[0]
        left = (time.monotonic() - started) / ran * (total - done)
        if bar is not None:  # a terminal: one bar, the sites failed beside it
            bar.current_item = f"{failed} failed"
            bar.update(done - bar.pos)
            return
        typer.echo(
            f"  {done}/{total} sites done, {failed} failed, about {left:.0f} s left", err=True
        )

    with reported():
        portfolio, run = _run(found, scheduler, options, count, output, files, progress)
        if bar is not None:
            bar.render_finish()
        dates = [site.date for site in found if site.date is not None]
        write_portfolio(portfolio, output, date=max(dates) if dates else None, lang=files.lang,
                        background=_background())  # fmt: skip
    for result in portfolio.failed:
        typer.echo(f"{result.site}: {result.failure}", err=True)
    folders = output / "sites"
    current = {site.id for site in found}
    stale = sorted(p.name for p in folders.iterdir() if p.is_dir() and p.name not in current
                   and not p.name.startswith(".")) if folders.is_dir() else []  # fmt: skip
    if stale:  # another table's sites, or removed ones: not this run's to delete
        shown = ", ".join(stale[:8]) + (", …" if len(stale) > 8 else "")
        typer.echo(f"{len(stale)} folder(s) in {folders} belong to no site of this table and "
                   f"were left alone: {shown}", err=True)  # fmt: skip
    typer.echo(
        f"{len(portfolio.sites)} sites: {len(portfolio.sites) - len(portfolio.failed)} planned, "
        f"{len(portfolio.failed)} failed; {run.computed} run now, {run.cached} from the last run "
        f"({time.monotonic() - started:.1f} s on "
        f"{scheduler if scheduler is not None else f'{count} process(es)'})",
        err=True,
    )
    typer.echo(
        f"wrote {output}/portfolio.json, .xlsx, .html and .pdf, and each site's files in "
        f"{output / 'sites'}"
    )


def _run(
    found: list[Any],
    scheduler: str | None,
    options: int,
    workers: int,
    output: Path,
    files: Any,
    progress: Any,
) -> tuple[Any, Any]:
    """Run the sites on the process pool, or on the Dask cluster at ``scheduler``."""
    from configurator.network import run_portfolio

    kept = {"cache": output / ".sites", "folders": output / "sites", "files": files}
    if scheduler is None:
        return run_portfolio(found, options=options, workers=workers, progress=progress, **kept)
    client = _client(scheduler)
    try:
        with client.get_executor() as executor:
            return run_portfolio(
                found, options=options, executor=executor, progress=progress, **kept
            )
    finally:
        client.close()


def _background() -> list[tuple[float, float]]:
    """Return Finland's municipality centres for the map, or none if the table is absent."""
    from configurator.model.errors import ConfigError
    from configurator.network.siting import FINLAND, municipalities_from_csv

    try:
        return [(m.lat, m.lon) for m in municipalities_from_csv(FINLAND)]
    except ConfigError:
        return []


def _bar(total: int) -> Any:
    """Return a progress bar on stderr when it is a terminal (sites done, time left, failed),
    else None: a log gets a line a site instead."""
    import sys

    if not sys.stderr.isatty():
        return None
    return typer.progressbar(
        length=total,
        label="sites",
        show_eta=True,
        show_pos=True,
        item_show_func=lambda failed: failed,
        file=sys.stderr,
    )


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


def siting_command(
    table: Annotated[
        Path, typer.Argument(help="Municipality table (CSV): code, population, centre.")
    ],
    radius_km: Annotated[
        float, typer.Option("--radius-km", min=1.0, help="Farthest centre from its point, km.")
    ] = 80.0,
    min_population: Annotated[
        int, typer.Option("--min-population", min=0, help="Residents a point serves, at least.")
    ] = 10_000,
    fixed: Annotated[
        list[str] | None, typer.Option("--fixed", help="A municipality code that keeps a point.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the network as JSON here.")
    ] = None,
    effort: Annotated[
        float, typer.Option("--effort", min=1.0, help="Solver seconds a phase, at most.")
    ] = 120.0,
    sites_out: Annotated[
        Path | None,
        typer.Option("--sites", help="Write the points as a sites table (CSV) for portfolio."),
    ] = None,
    max_residents: Annotated[
        int,
        typer.Option(
            "--max-residents", min=1000, help="A larger catchment gets several points (--sites)."
        ),
    ] = 40_000,
) -> None:
    """Choose the service points of a network: every municipality within --radius-km of its
    point, each point serving --min-population residents where the country allows."""
    import json

    from configurator._io import write_text_atomic
    from configurator.network.siting import municipalities_from_csv, site_network, sites_table

    places = checked(lambda: municipalities_from_csv(table))
    network = checked(
        lambda: site_network(
            places,
            radius_km=radius_km,
            min_population=min_population,
            fixed=fixed or (),
            effort=effort,
        )
    )
    below = [p for p in network.points if p.population < min_population]
    for point in network.points:
        residents = f"{point.population:,}".replace(",", " ")
        typer.echo(
            f"{point.site.code} {point.site.name}: {len(point.members)} municipalities, "
            f"{residents} residents, farthest {point.farthest_km:.0f} km"
        )
    typer.echo(
        f"{len(network.points)} points for {len(places)} municipalities within {radius_km:g} km"
        f"{'' if network.optimal else ' (the best found in the time, not proven optimal)'}; "
        f"{len(below)} serve fewer than {min_population:,} residents: too few live within reach"
    )
    if output is not None:
        data = {
            "radius_km": radius_km,
            "min_population": min_population,
            "optimal": network.optimal,
            "points": [
                {
                    "code": p.site.code,
                    "name": p.site.name,
                    "region": p.site.region,
                    "population": p.population,
                    "farthest_km": round(p.farthest_km, 1),
                    "members": [m.code for m in p.members],
                }
                for p in network.points
            ],
        }
        write_text_atomic(output, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        typer.echo(f"wrote {output}")
    if sites_out is not None:
        table_text = sites_table(network, max_residents=max_residents)
        write_text_atomic(sites_out, table_text)
        typer.echo(f"wrote {sites_out}: {table_text.count(chr(10)) - 1} sites")
