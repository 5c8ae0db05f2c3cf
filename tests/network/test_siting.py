"""The siting checked against brute force over every choice of points on small cases, and its
coverage against a direct count."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from configurator.model.errors import ConfigError
from configurator.network.siting import (
    Municipality,
    distance_km,
    municipalities_from_csv,
    site_network,
)
from tests.common import REPO

pytestmark = pytest.mark.xdist_group("network")

TABLE = REPO / "examples" / "network" / "finland_municipalities_2025.csv"
"""The copy the project ships (with its attribution beside it)."""


def towns(count: int, seed: int) -> list[Municipality]:
    """Towns scattered over about 150 × 150 km of western Finland, 500 to 60 000 residents."""
    rng = random.Random(seed)
    return [
        Municipality(
            code=f"{k:03d}",
            name=f"Town {k}",
            region="Test",
            population=rng.choice([500, 2_000, 4_000, 8_000, 20_000, 60_000]),
            lat=61.0 + rng.random() * 1.35,
            lon=21.5 + rng.random() * 2.8,
        )
        for k in range(count)
    ]


def tenths(a: Municipality, b: Municipality) -> int:
    return round(distance_km(a, b) * 10)


def brute_force(places: list[Municipality], radius: float, minimum: int) -> tuple[int, int, int]:
    """(residents short of the minimum, points, resident-weighted 0.1 km) of the best network,
    by trying every set of points and every assignment of the towns to them."""
    best: tuple[int, int, int] | None = None
    n = len(places)
    for size in range(1, n + 1):
        for chosen in itertools.combinations(range(n), size):
            options = []
            for i in range(n):
                near = [j for j in chosen if distance_km(places[i], places[j]) <= radius]
                options.append([i] if i in chosen else near)
            if any(not o for o in options):
                continue
            for assignment in itertools.product(*options):
                served = dict.fromkeys(chosen, 0)
                cost = 0
                for i, j in enumerate(assignment):
                    served[j] += places[i].population
                    cost += places[i].population * tenths(places[i], places[j])
                short = sum(max(0, minimum - v) for v in served.values())
                key = (short, size, cost)
                if best is None or key < best:
                    best = key
    assert best is not None
    return best


def measured(places: list[Municipality], radius: float, minimum: int) -> tuple[int, int, int]:
    network = site_network(places, radius_km=radius, min_population=minimum, effort=30)
    assert network.optimal
    members = [m.code for p in network.points for m in p.members]
    assert sorted(members) == sorted(m.code for m in places)  # each town in exactly one point
    assert all(p.site in p.members and p.farthest_km <= radius for p in network.points)
    short = sum(max(0, minimum - p.population) for p in network.points)
    cost = sum(m.population * tenths(m, p.site) for p in network.points for m in p.members)
    return short, len(network.points), cost


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fewest_points_nearest_the_residents_as_brute_force_finds(seed: int) -> None:
    places = towns(12, seed)
    assert measured(places, 45.0, 0) == brute_force(places, 45.0, 0)


@pytest.mark.parametrize("seed", [4, 5])
def test_the_minimum_population_first_as_brute_force_finds(seed: int) -> None:
    places = towns(7, seed)
    assert measured(places, 70.0, 30_000) == brute_force(places, 70.0, 30_000)


def test_fixed_points_stay_and_unknown_ones_are_refused() -> None:
    places = towns(10, 7)
    network = site_network(places, radius_km=60.0, min_population=0, fixed=["003", "008"])
    assert {"003", "008"} <= {p.site.code for p in network.points}
    with pytest.raises(ConfigError, match=r"fixed site\(s\) 999 not in the table.*E563"):
        site_network(places, radius_km=60.0, min_population=0, fixed=["999"])


def test_a_satakunta_network_covers_every_municipality_within_reach() -> None:
    """Satakunta's 16 municipalities (Pori's region) from the national table, counted directly:
    every municipality within 60 km of its point, each in one catchment."""
    region = [m for m in municipalities_from_csv(TABLE) if m.region == "Satakunta"]
    assert len(region) == 16
    network = site_network(region, radius_km=60.0, min_population=10_000, effort=30)
    counted = [m.code for p in network.points for m in p.members]
    assert sorted(counted) == sorted(m.code for m in region)
    for point in network.points:
        assert all(distance_km(point.site, m) <= 60.0 for m in point.members)
    assert sum(p.population for p in network.points) == sum(m.population for m in region)
    assert all(p.population >= 10_000 for p in network.points)


def test_a_bad_table_names_its_row(tmp_path: Path) -> None:
    table = tmp_path / "m.csv"
    table.write_text(
        "municipality_code,name_fi,population_2024_12_31,centre_lat,centre_lon\n"
        "001,A,100,61.0,21.0\n002,B,many,61.1,21.1\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"m.csv:3: row '002'.*E562"):
        municipalities_from_csv(table)


def test_the_siting_command_writes_the_network(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from configurator.cli import app

    table = tmp_path / "towns.csv"
    rows = ["municipality_code,name_fi,region_name_fi,population_2024_12_31,centre_lat,centre_lon"]
    rows += [f"{m.code},{m.name},{m.region},{m.population},{m.lat},{m.lon}" for m in towns(12, 1)]
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "network.json"
    args = ["siting", str(table), "--radius-km", "45", "--min-population", "0", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    network = json.loads(out.read_text(encoding="utf-8"))
    assert network["optimal"] is True
    _, points, _ = brute_force(towns(12, 1), 45.0, 0)
    assert len(network["points"]) == points
    assert sorted(c for p in network["points"] for c in p["members"]) == [
        f"{k:03d}" for k in range(12)
    ]
