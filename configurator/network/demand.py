"""A point's demand from the residents it serves: each agency's visits and staff, scaled.

The catalog's agency figures are our estimates for Pori's point, which serves about 85 000
residents (the catalog's header says so; the seeds publish no visit counts). A point that
serves N residents gets N / 85 000 of each agency's annual visits, so the visits per resident
per year are the catalog's figures over 85 000 (TE Office 0.24, the city 0.29, Vero 0.14, DVV
0.07, MML 0.02, ELY 0.02, AVI 0.01), and its staff on site are
scaled the same way (at least one where the catalog has any). These are estimates to compare
sites by, not forecasts: replace them with the agencies' own statistics where known (a sites
table may give each agency's visits, which then win).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from configurator.model.schema import Agency, Catalog

__all__ = ["REFERENCE_RESIDENTS", "agency_entries"]

REFERENCE_RESIDENTS = 85_000
"""Residents the catalog's agency figures are estimated for (Pori, 83 305 on 31 Dec 2024)."""


def agency_entries(
    catalog: Catalog,
    agencies: Sequence[str],
    *,
    population: int | None,
    visits: dict[str, int],
) -> list[dict[str, object]]:
    """Return the scenario's ``agencies`` entries for a point serving ``population`` residents.

    An agency's visits are ``visits[id]`` where given, else scaled from the catalog by the
    population; its staff on site are scaled by the same ratio (at least one where the catalog
    has any). Without a population or visits an entry names the agency only (catalog figures).
    """
    known = {a.id: a for a in catalog.agencies}
    entries: list[dict[str, object]] = []
    for agency_id in agencies:
        entry: dict[str, object] = {"id": agency_id}
        base = known.get(agency_id)
        if base is not None:
            ratio = _ratio(base, population, visits.get(agency_id))
            if ratio is not None:
                entry["annual_visits"] = visits.get(agency_id, round(base.annual_visits * ratio))
                entry["staff_on_site"] = _staff(base.staff_on_site, ratio)
        elif agency_id in visits:
            entry["annual_visits"] = visits[agency_id]  # the loader says what else it needs
        entries.append(entry)
    return entries


def _ratio(base: Agency, population: int | None, visits: int | None) -> float | None:
    """Return the point's demand over the catalog's for one agency, or None to keep it."""
    if visits is not None:
        return visits / base.annual_visits if base.annual_visits else 1.0
    if population is not None:
        return population / REFERENCE_RESIDENTS
    return None


def _staff(catalog_staff: int, ratio: float) -> int:
    """Scale the catalog's staff on site, keeping one where the catalog has any."""
    if catalog_staff == 0:
        return 0
    return max(1, math.floor(catalog_staff * ratio + 0.5))
