"""The network: every service point of a region or the country run through the same pipeline.

:mod:`.sites` reads and keys the sites, :mod:`.run` runs one job per site on a process pool
with a cache a rerun resumes from, :mod:`.summary` writes the portfolio's JSON and workbook.
"""

from configurator.network.run import Portfolio, SiteResult, run_portfolio, site_result
from configurator.network.sites import Site, sites_from_folder
from configurator.network.summary import portfolio_json, write_portfolio

__all__ = [
    "Portfolio",
    "Site",
    "SiteResult",
    "portfolio_json",
    "run_portfolio",
    "site_result",
    "sites_from_folder",
    "write_portfolio",
]
