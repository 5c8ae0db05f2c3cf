"""Shared test inputs: small named scenarios and helpers to write them as files."""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from shapely import affinity
from shapely.geometry import Point

from configurator.inputs.catalog import DEFAULT_CATALOG
from configurator.model.plan import Plan

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))

MINIMAL_SCENARIO: dict[str, Any] = {
    "name": "Minimal",
    "catalog": str(DEFAULT_CATALOG),
    "agencies": [{"id": "te"}, {"id": "vero"}],
    "footprint": {
        "rectangle": [30.0, 20.0],
        "entrances": [
            {"id": "main_door", "at": [10.0, 0.0], "kind": "main"},
            {"id": "staff_door", "at": [30.0, 15.0], "kind": "staff", "width_m": 1.2},
        ],
    },
}
"""Two catalog agencies in a 600 m² rectangle: the smallest scenario that loads."""


def scenario(**changes: Any) -> dict[str, Any]:
    """Return a deep copy of the minimal scenario with top-level fields replaced."""
    data = copy.deepcopy(MINIMAL_SCENARIO)
    data.update(changes)
    return data


def write_yaml(path: Path, data: Any) -> Path:
    """Write data as YAML (block style, keys in the given order) and return the path."""
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def agency_data(agency_id: str = "alpha", **changes: Any) -> dict[str, Any]:
    """Return a complete agency record with round figures a hand calculation can follow.

    25 000 visits over 250 days × 1.4 = 140 on the design day; ÷ 7 h × 1.6 = 32 per design hour.
    """
    data: dict[str, Any] = {
        "id": agency_id,
        "names": {"fi": f"Virasto {agency_id}", "en": f"Agency {agency_id}"},
        "kind": "state",
        "annual_visits": 25_000,
        "opening_days": 250,
        "opening_hours": 7.0,
        "peak_day_factor": 1.4,
        "peak_hour_factor": 1.6,
        "channel_split": {
            "self_service": 0.25,
            "quick_counter": 0.5,
            "appointment": 0.125,
            "remote": 0.0625,
            "group": 0.0625,
        },
        "handling_time_min": {
            "self_service": 10.0,
            "quick_counter": 7.5,
            "appointment": 45.0,
            "remote": 30.0,
            "group": 60.0,
        },
        "group_size": 4.0,
        "staff_on_site": 10,
        "shares_counters": True,
    }
    data.update(changes)
    return data


def skip_or_fail(reason: str) -> None:
    """Skip a test whose system tool cannot be had here; under CI (CI=true) fail instead.

    A green CI must mean the tools really ran: scripts/system-deps.sh installs them there.
    """
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true requires it (scripts/system-deps.sh installs it)")
    pytest.skip(f"{reason} (Debian: scripts/system-deps.sh installs it)")


def need(tool: str) -> str:
    """Return the system tool's path, or skip (fail under CI) saying how to get it."""
    path = shutil.which(tool)
    if path is None:
        skip_or_fail(f"{tool} not installed")
        raise AssertionError("unreachable")  # pragma: no cover - skip_or_fail raises
    return path


def weasyprint_ready() -> None:
    """Skip (fail under CI) when WeasyPrint's Debian libraries (pango, harfbuzz) are missing."""
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: F401
    except OSError as exc:
        skip_or_fail(f"WeasyPrint cannot load its libraries ({exc})")


def turn_plan(plan: Plan, degrees: float, origin: tuple[float, float] = (0.0, 0.0)) -> Plan:
    """Return a plan turned about a point: every polygon, door, entrance and window."""

    def pt(p: tuple[float, float]) -> tuple[float, float]:
        q = affinity.rotate(Point(p), degrees, origin=origin)
        return (q.x, q.y)

    def ring(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [pt(p) for p in points]

    return plan.model_copy(
        update={
            "footprint": ring(plan.footprint),
            "rooms": [r.model_copy(update={"polygon": ring(r.polygon)}) for r in plan.rooms],
            "corridors": [
                c.model_copy(update={"polygon": ring(c.polygon)}) for c in plan.corridors
            ],
            "doors": [
                d.model_copy(update={"at": pt(d.at), "wall": (pt(d.wall[0]), pt(d.wall[1]))})
                for d in plan.doors
            ],
            "entrances": [e.model_copy(update={"at": pt(e.at)}) for e in plan.entrances],
            "windows": [(pt(a), pt(b)) for a, b in plan.windows],
        }
    )
