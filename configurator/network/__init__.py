"""The network: every service point of a region or the country run through the same pipeline.

:mod:`.sites` reads and keys the sites of a folder, :mod:`.table` those of a sites table with
:mod:`.demand` scaling each agency's visits to the residents served, :mod:`.siting` chooses the
points of a network, :mod:`.run` runs one job per site on a process pool with a cache a rerun
resumes from, :mod:`.summary` writes the portfolio's JSON, workbook and summary pages.
"""

from configurator.network.run import (
    Portfolio,
    SiteFiles,
    SiteResult,
    run_portfolio,
    site_result,
)
from configurator.network.sites import Site, sites_from_folder
from configurator.network.summary import portfolio_json, write_portfolio
from configurator.network.table import read_sites, sites_from_table

__all__ = [
    "Portfolio",
    "Site",
    "SiteFiles",
    "SiteResult",
    "portfolio_json",
    "read_sites",
    "run_portfolio",
    "site_result",
    "sites_from_folder",
    "sites_from_table",
    "write_portfolio",
]
