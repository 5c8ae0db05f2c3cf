"""Site a network of service points over a country's municipalities, with OR-Tools' CP-SAT.

Every municipality's centre is a candidate point. The siting rule: every municipality is
assigned to one chosen point whose centre is within ``radius_km`` of its own (straight-line
distance between the centres, a stated proxy for drive time: roads run 1.2-1.5 times longer),
each chosen point serves at least ``min_population`` residents, and the ``fixed`` points stay.
Among the networks that keep the rule, the fewest points are chosen, and among those the one
with the least resident-weighted distance (a p-median tie-break); where the rule cannot be kept
(too few residents within reach of a remote municipality), the fewest residents short of the
minimum come first. The model is a MIP over assignment variables, solved by SCIP (shipped with
OR-Tools) on one thread, so the same inputs give the same network.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ortools.linear_solver import pywraplp

from configurator.model.errors import ConfigError, Problem

__all__ = [
    "FINLAND",
    "Municipality",
    "Network",
    "Point",
    "distance_km",
    "municipalities_from_csv",
    "site_network",
    "sites_table",
]

FINLAND = Path(__file__).resolve().parents[2] / "examples/network/finland_municipalities_2025.csv"
"""Finland's 308 municipalities (Statistics Finland, National Land Survey; CC BY 4.0): the
siting example's table and the portfolio map's background."""
MAX_MUNICIPALITIES = 2_000
"""Rows read from a municipality table (Finland has 308)."""
_EARTH_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""
_POINT_WEIGHT = 10**11
"""One point more weighs more than any network's resident-weighted distance (persons × 0.1 km:
Finland's 5.6 million residents × 2 000 km is 1.1 × 10^10)."""


@dataclass(frozen=True)
class Municipality:
    """A municipality: its code, name, region, residents and the centre of its central
    locality (WGS84 degrees)."""

    code: str
    name: str
    region: str
    population: int
    lat: float
    lon: float


@dataclass(frozen=True)
class Point:
    """A chosen point: the municipality it stands in and those assigned to it."""

    site: Municipality
    members: tuple[Municipality, ...]

    @property
    def population(self) -> int:
        """Return the residents of its catchment."""
        return sum(m.population for m in self.members)

    @property
    def farthest_km(self) -> float:
        """Return the straight-line distance to its farthest member's centre."""
        return max(distance_km(self.site, m) for m in self.members)


@dataclass(frozen=True)
class Network:
    """The chosen points, in code order, and the rule they keep."""

    points: tuple[Point, ...]
    radius_km: float
    min_population: int
    optimal: bool


def distance_km(a: Municipality, b: Municipality) -> float:
    """Return the great-circle distance between two centres (haversine), km."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def municipalities_from_csv(path: Path) -> list[Municipality]:
    """Read a municipality table (Statistics Finland's columns: ``municipality_code``,
    ``name_fi``, ``region_name_fi``, ``population_2024_12_31``, ``centre_lat``,
    ``centre_lon``); each bad row is a problem with its line (E562)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem("E562", f"cannot read the table: {exc}", path)]) from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or len(rows) > MAX_MUNICIPALITIES:
        raise ConfigError(
            [Problem("E562", f"{len(rows)} rows: expected 1 to {MAX_MUNICIPALITIES}", path)]
        )
    needed = ("municipality_code", "name_fi", "population_2024_12_31", "centre_lat", "centre_lon")
    missing = [c for c in needed if c not in rows[0]]
    if missing:
        raise ConfigError([Problem("E562", f"the table has no column {', '.join(missing)}", path)])
    out, problems = [], []
    for line, row in enumerate(rows, start=2):
        try:
            lat, lon = float(row["centre_lat"]), float(row["centre_lon"])
            population = int(row["population_2024_12_31"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or population < 0:
                raise ValueError("out of range")
        except (TypeError, ValueError) as exc:
            problems.append(Problem("E562", f"row {row.get('municipality_code')!r}: {exc}",
                                    path, line=line))  # fmt: skip
            continue
        out.append(
            Municipality(
                code=row["municipality_code"],
                name=row["name_fi"],
                region=row.get("region_name_fi", ""),
                population=population,
                lat=lat,
                lon=lon,
            )
        )
    if problems:
        raise ConfigError(problems)
    return sorted(out, key=lambda m: m.code)


def site_network(
    municipalities: Sequence[Municipality],
    *,
    radius_km: float,
    min_population: int,
    fixed: Sequence[str] = (),
    effort: float = 60.0,
) -> Network:
    """Choose the points (see the module docstring) within ``effort`` seconds a phase; raise
    :class:`ConfigError` (E563) for an unknown fixed code or when no network is found."""
    towns = sorted(municipalities, key=lambda m: m.code)
    codes = {m.code: k for k, m in enumerate(towns)}
    unknown = [c for c in fixed if c not in codes]
    if unknown:
        raise ConfigError(
            [Problem("E563", f"fixed site(s) {', '.join(unknown)} not in the table", None)]
        )
    n = len(towns)
    reach: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # per town: (point, 0.1 km)
    for i in range(n):
        for j in range(n):
            d = distance_km(towns[i], towns[j])
            if d <= radius_km:
                reach[i].append((j, round(d * 10)))
    solver = pywraplp.Solver.CreateSolver("SCIP")
    assert solver is not None, "OR-Tools ships SCIP"
    solver.SetNumThreads(1)  # one thread: the same inputs give the same network
    solver.SetTimeLimit(int(effort * 1000))
    open_ = [solver.BoolVar(f"open_{towns[j].code}") for j in range(n)]
    assign: dict[tuple[int, int], Any] = {}
    for i in range(n):
        for j, _ in reach[i]:
            assign[i, j] = solver.BoolVar(f"x_{towns[i].code}_{towns[j].code}")
            solver.Add(assign[i, j] <= open_[j])
        solver.Add(sum(assign[i, j] for j, _ in reach[i]) == 1)
    short = []
    for j in range(n):
        served = [towns[i].population * assign[i, j] for i in range(n) if (i, j) in assign]
        # residents a point falls short of the minimum by: zero where the rule can be kept
        gap = solver.NumVar(0, min_population, f"short_{towns[j].code}")
        solver.Add(sum(served) + gap >= min_population * open_[j])
        short.append(gap)
        solver.Add(open_[j] <= assign[j, j])  # a point serves its own town
    for code in fixed:
        solver.Add(open_[codes[code]] == 1)
    # first the fewest residents short of the minimum (none where the country allows: a fell
    # municipality 150 km from the next may have too few within reach), then the fewest points,
    # then the least resident-weighted distance
    solver.Minimize(sum(short))
    status = solver.Solve()
    optimal = status == pywraplp.Solver.OPTIMAL
    if status in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        solver.Add(sum(short) <= solver.Objective().Value() + 0.5)
        cost = [towns[i].population * d * assign[i, j] for i in range(n) for j, d in reach[i]]
        solver.Minimize(_POINT_WEIGHT * sum(open_) + sum(cost))
        status = solver.Solve()
        optimal = optimal and status == pywraplp.Solver.OPTIMAL
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise ConfigError(
            [
                Problem(
                    "E563",
                    f"no network found within {effort:g} s: every municipality within "
                    f"{radius_km:g} km of a point"
                    + (f", with {', '.join(fixed)} kept" if fixed else ""),
                    None,
                )
            ]
        )
    points = []
    for j in range(n):
        if open_[j].solution_value() > 0.5:
            members = tuple(
                towns[i]
                for i in range(n)
                if (i, j) in assign and assign[i, j].solution_value() > 0.5
            )
            points.append(Point(towns[j], members))
    return Network(tuple(points), radius_km, min_population, optimal)


def sites_table(network: Network, *, max_residents: int) -> str:
    """Return the network's points as a sites table (CSV) for ``configurator portfolio``.

    Each point is a site serving its catchment's residents (its demand is scaled from them,
    its building sized to its programme). A member municipality of more than ``max_residents``
    gets its own points, as many as keep each within the figure, sharing its residents (a city
    has more than one office); the rest of the catchment is served by the point, split the same
    way if it is still larger. Ids are the municipality's code, ``<code>-<k>`` when it has more.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["site", "name", "municipality", "region", "lat", "lon", "population"])
    rows: list[tuple[Municipality, int]] = []  # (where, residents)
    for point in network.points:
        own = [m for m in point.members if m.population > max_residents and m != point.site]
        rows.extend((m, m.population) for m in own)
        rest = [m for m in point.members if m not in own]
        floor = network.min_population
        others = sorted(
            (m for m in rest if m != point.site and m.population >= floor),
            key=lambda m: (-m.population, m.code),
        )
        # the largest other towns of a catchment still too large for one point get their own,
        # each and the rest keeping the minimum of residents a point serves
        for town in others:
            left = sum(m.population for m in rest)
            if left <= max_residents:
                break
            if left - town.population >= floor:
                rest.remove(town)
                rows.append((town, town.population))
        rows.append((point.site, sum(m.population for m in rest)))
    for town, residents in sorted(rows, key=lambda r: r[0].code):
        count = max(1, math.ceil(residents / max_residents))
        for k in range(count):
            share = residents // count + (1 if k < residents % count else 0)
            suffix = f"-{k + 1}" if count > 1 else ""
            name = f"{town.name} {k + 1}/{count}" if count > 1 else town.name
            writer.writerow(
                [f"{town.code}{suffix}", name, town.name, town.region, town.lat, town.lon, share]
            )
    return out.getvalue()
