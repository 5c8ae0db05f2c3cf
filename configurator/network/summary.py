"""What a portfolio run writes: ``portfolio.json`` and ``portfolio.xlsx``, the same bytes
whatever the workers, the cache or the clock (timings go to the log, not here)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from configurator._io import write_bytes_atomic, write_text_atomic
from configurator.documents.tables import workbook_bytes
from configurator.network.run import Portfolio

__all__ = ["SITE_COLUMNS", "portfolio_json", "write_portfolio"]

SITE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("site", "site"),
    ("name", "name"),
    ("agencies", "agencies"),
    ("annual visits", "annual_visits"),
    ("staff on site", "staff_on_site"),
    ("usable m²", "usable_m2"),
    ("gross m²", "gross_m2"),
    ("rent €/year", "rent_eur_year"),
    ("separate offices m²", "separate_usable_m2"),
    ("saving m²", "saving_m2"),
    ("saving €/year", "saving_rent_eur_year"),
    ("m² per annual visit", "m2_per_annual_visit"),
)
"""The sites sheet's columns: heading, field of :class:`SiteResult`."""

_BEST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("options", "options"),
    ("best strategy", "strategy"),
    ("score", "score"),
    ("unassigned share", "unassigned_share"),
    ("walk m", "walk_m"),
    ("escape m", "egress_max_m"),
    ("audit problems", "audit_problems"),
    ("building rules broken", "rule_codes"),
    ("spare m²", "spare_m2"),
)


def portfolio_json(portfolio: Portfolio) -> str:
    """Return the portfolio as JSON: every site by its id with its results or its failure."""
    data = portfolio.model_dump(mode="json")
    data["totals"] = _totals(portfolio)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_portfolio(portfolio: Portfolio, folder: Path, *, date: datetime.date | None) -> None:
    """Write ``portfolio.json`` and ``portfolio.xlsx`` into ``folder``, atomically."""
    write_text_atomic(folder / "portfolio.json", portfolio_json(portfolio))
    write_bytes_atomic(folder / "portfolio.xlsx", workbook_bytes(_workbook(portfolio), date=date))


def _totals(portfolio: Portfolio) -> dict[str, float | int]:
    """The network's totals over the sites that have results."""
    ok = [s for s in portfolio.sites if s.failure is None]
    usable = sum(s.usable_m2 for s in ok)
    visits = sum(s.annual_visits for s in ok)
    return {
        "sites": len(portfolio.sites),
        "planned": len(ok),
        "failed": len(portfolio.sites) - len(ok),
        "usable_m2": round(usable, 1),
        "gross_m2": round(sum(s.gross_m2 for s in ok), 1),
        "rent_eur_year": round(sum(s.rent_eur_year for s in ok), 0),
        "separate_usable_m2": round(sum(s.separate_usable_m2 for s in ok), 1),
        "saving_m2": round(sum(s.saving_m2 for s in ok), 1),
        "saving_rent_eur_year": round(sum(s.saving_rent_eur_year for s in ok), 0),
        "annual_visits": visits,
        "m2_per_annual_visit": round(usable / visits, 5) if visits else 0.0,
    }


def _workbook(portfolio: Portfolio) -> Workbook:
    """A sheet per table: the sites, the failures, the network's totals."""
    book = Workbook()
    bold = Font(bold=True)
    sites = book.active
    assert sites is not None, "a new workbook has a sheet"
    sites.title = "Sites"
    sites.append([h for h, _ in SITE_COLUMNS] + [h for h, _ in _BEST_COLUMNS])
    for result in portfolio.sites:
        if result.failure is not None:
            continue
        row: list[object] = []
        for _, field in SITE_COLUMNS:
            value = getattr(result, field)
            row.append(", ".join(value) if isinstance(value, list) else value)
        best = result.best
        for _, field in _BEST_COLUMNS:
            value = getattr(best, field) if best is not None else None
            row.append(", ".join(value) if isinstance(value, list) else value)
        sites.append(row)
    failures = book.create_sheet("Failures")
    failures.append(["site", "source", "reason"])
    for result in portfolio.failed:
        failures.append([result.site, result.source, result.failure])
    totals = book.create_sheet("Network")
    totals.append(["figure", "value"])
    for key, value in _totals(portfolio).items():
        totals.append([key.replace("_", " "), value])
    for sheet in (sites, failures, totals):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    return book
