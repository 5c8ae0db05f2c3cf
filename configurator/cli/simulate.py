"""``configurator simulate day|evacuation SCENARIO -o DIR``: people walking the drawn plan."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from configurator.cli.common import FailedError, Lang, checked, fail, lang_or_exit, reported

if TYPE_CHECKING:
    from configurator.inputs.catalog import Case
    from configurator.model.plan import Plan
    from configurator.simulation.day import DayResult
    from configurator.simulation.floor import WalkableFloor

__all__ = ["day_command", "evacuation_command"]


def evacuation_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for the summary and pictures.")
    ] = Path("evacuation"),
    option: Annotated[
        int, typer.Option("--option", min=1, max=50, help="Which option (1 = best).")
    ] = 1,
    premovement: Annotated[
        str,
        typer.Option("--premovement", help="Pre-movement time, uniform between MIN:MAX seconds."),
    ] = "30:60",
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of places and draws.")] = 0,
    lang: Lang = "fi",
) -> None:
    """Evacuate the option's occupant load through its real exits (JuPedSim), measure it
    (PedPy) and compare it with the hand calculation; write evacuation.json, the evacuation
    curve, the RSET map and the trajectories."""
    from configurator._io import atomic_path, write_bytes_atomic, write_text_atomic
    from configurator.inputs.catalog import load_case
    from configurator.simulation.evacuation import EvacuationSettings, simulate_evacuation
    from configurator.simulation.pictures import evacuation_curve_png, rset_map_png

    low, high = _range(premovement)
    lang = lang_or_exit(lang)
    case = checked(lambda: load_case(scenario))
    _, floor = _floor(case, scenario, option)
    settings = EvacuationSettings(premovement_s=(low, high), seed=seed)
    started = time.monotonic()
    with atomic_path(output / "trajectories.sqlite") as trajectories:  # a file of its own
        result = checked(
            lambda: simulate_evacuation(floor, settings=settings, trajectories=trajectories)
        )
    summary = result.model_dump(mode="json")
    summary["scenario"] = case.scenario.name
    summary["option"] = option
    write_text_atomic(output / "evacuation.json", json.dumps(summary, indent=1) + "\n")
    write_bytes_atomic(output / "evacuation-curve.png", evacuation_curve_png(result, lang=lang))
    write_bytes_atomic(output / "rset-map.png", rset_map_png(result, floor, lang=lang))
    typer.echo(
        f"{result.persons} people: half out in {result.t50_s} s, nine in ten in {result.t90_s} s, "
        f"all in {result.t100_s} s (hand calculation {result.hand.total_s} s)"
        + (f"; {len(result.stuck)} still inside at the time cap" if result.stuck else "")
    )
    for e in result.exits:
        typer.echo(f"  {e.exit} ({e.width_m} m): {e.persons} people, last at {e.t100_s} s, "
                   f"{e.mean_flow_per_s} a second")  # fmt: skip
    typer.echo(f"simulated in {time.monotonic() - started:.0f} s", err=True)
    typer.echo(f"wrote {output}/evacuation.json, evacuation-curve.png, rset-map.png, "
               "trajectories.sqlite")  # fmt: skip


def _range(
    text: str,
    name: str = "--premovement",
    expected: str = "MIN:MAX seconds, e.g. 30:60",
    top: float = 3600.0,
) -> tuple[float, float]:
    """Read LOW:HIGH (0 <= LOW <= HIGH <= top), or fail in one line."""
    try:
        low, high = (float(part) for part in text.split(":"))
    except ValueError:
        raise fail([f"{name} {text}: expected {expected}"]) from None
    if not 0.0 <= low <= high <= top:
        low_name, high_name = expected.split(maxsplit=1)[0].split(":")
        raise fail([f"{name} {text}: expected 0 <= {low_name} <= {high_name} <= {top:g}"])
    return low, high


def _floor(case: Case, scenario: Path, option: int) -> tuple[Plan, WalkableFloor]:
    """Return the option's plan and its checked walkable floor, or fail in one line."""
    from configurator.model.errors import LayoutError
    from configurator.review.options import options_from_case
    from configurator.simulation import walkable_floor

    with reported():
        try:
            options = options_from_case(case, options=max(option, case.scenario.layout.options))
        except LayoutError as exc:
            raise FailedError([f"{scenario}: {exc}"]) from None
        if len(options) < option:
            raise FailedError([f"--option {option}: the layout gave only {len(options)} option(s)"])
    plan = options[option - 1].plan
    rules, footprint = case.scenario.rules, case.scenario.footprint
    floor = checked(
        lambda: walkable_floor(plan, catalog=case.catalog, rules=rules, footprint=footprint)
    )
    return plan, floor


def day_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder for the summary, tables and pictures.")
    ] = Path("day"),
    option: Annotated[
        int, typer.Option("--option", min=1, max=50, help="Which option (1 = best).")
    ] = 1,
    hours: Annotated[
        str | None,
        typer.Option("--hours", help="Only the visitors arriving FROM:TO hours after opening."),
    ] = None,
    visits: Annotated[
        float,
        typer.Option(
            "--visits",
            min=0.1,
            max=10.0,
            help="Every agency's visits times this, on the same plan and staff.",
        ),
    ] = 1.0,
    opens: Annotated[
        str, typer.Option("--opens", help="Opening time, HH:MM, for the clock times shown.")
    ] = "8:00",
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of arrivals and draws.")] = 0,
    lang: Lang = "fi",
) -> None:
    """Walk the option's design day (JuPedSim): visitors arrive by the agencies' hourly
    profiles and follow their personas' paths through the real spaces; write day.json (per
    space and service), the 5-minute occupancy table, the heat map and the occupancy curve."""
    from configurator._io import write_bytes_atomic, write_text_atomic
    from configurator.inputs.catalog import load_case
    from configurator.simulation.day import simulate_day
    from configurator.simulation.day_model import plan_day
    from configurator.simulation.day_pictures import (
        day_heat_map_png,
        day_occupancy_png,
        verdict_text,
    )

    window = _range(hours, "--hours", "FROM:TO hours, e.g. 2:4", 24.0) if hours else None
    if window is not None and window[0] >= window[1]:
        raise fail([f"--hours {hours}: expected FROM < TO"])
    opens_h = _opens(opens)
    lang = lang_or_exit(lang)
    case = checked(lambda: load_case(scenario))
    plan, floor = _floor(case, scenario, option)
    started = time.monotonic()
    model = checked(lambda: plan_day(case, plan, floor, seed=seed, window_h=window,
                                     visits_scale=visits))  # fmt: skip
    if not model.visitors:
        raise fail([f"--hours {hours}: no visitor arrives then (the point is open "
                    f"{model.hours:g} h from opening)"])  # fmt: skip
    result = simulate_day(floor, model, seed=seed)
    summary = result.model_dump(mode="json")
    summary.update(scenario=case.scenario.name, option=option, visits_scale=visits,
                   hours_window=list(window) if window else None, opens=opens)  # fmt: skip
    write_text_atomic(output / "day.json", json.dumps(summary, indent=1) + "\n")
    write_text_atomic(output / "day-occupancy.csv", _occupancy_csv(result, opens_h))
    write_bytes_atomic(output / "day-heat-map.png",
                       day_heat_map_png(result, floor, opens_h=opens_h, lang=lang))  # fmt: skip
    write_bytes_atomic(output / "day-occupancy.png",
                       day_occupancy_png(result, opens_h=opens_h, lang=lang))  # fmt: skip
    typer.echo(f"{result.visitors} visitors, {result.left} left, {result.stuck} walks stuck, "
               f"{result.still_inside} still inside when the run ended "
               f"{result.end_s / 3600:.1f} h after opening")  # fmt: skip
    over = result.over()
    for space in over:
        typer.echo(f"  {space.space}: {space.peak} of {space.capacity}, "
                   f"{verdict_text(space, opens_h=opens_h, lang='en')}")  # fmt: skip
    if not over:
        typer.echo("  every visitor space holds the day's peak")
    for s in result.services:
        typer.echo(f"  {s.service}: {s.served} served by {s.servers}, mean wait "
                   f"{s.mean_wait_s:.0f} s, 90 % within {s.p90_wait_s:.0f} s, "
                   f"longest queue {s.max_queue}")  # fmt: skip
    typer.echo(f"simulated in {time.monotonic() - started:.0f} s", err=True)
    typer.echo(f"wrote {output}/day.json, day-occupancy.csv, day-heat-map.png, day-occupancy.png")


def _occupancy_csv(result: DayResult, opens_h: float) -> str:
    """Return the most people in each space in each 5 minutes (a column per space)."""
    import csv
    import io

    from configurator.simulation.day import BIN_S
    from configurator.simulation.day_pictures import clock

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    spaces = [s for s in result.spaces if any(s.bins)]
    writer.writerow(["time", *(s.space for s in spaces)])
    writer.writerow(["capacity", *("" if s.capacity is None else s.capacity for s in spaces)])
    for k in range(len(spaces[0].bins) if spaces else 0):
        writer.writerow([clock(k * BIN_S, opens_h), *(s.bins[k] for s in spaces)])
    return buffer.getvalue()


def _opens(text: str) -> float:
    """Read HH:MM as hours, or fail in one line."""
    try:
        hh, mm = (int(part) for part in text.split(":"))
    except ValueError:
        raise fail([f"--opens {text}: expected HH:MM, e.g. 8:00"]) from None
    if not (0 <= hh < 24 and 0 <= mm < 60):
        raise fail([f"--opens {text}: expected a time of day, 0:00-23:59"])
    return hh + mm / 60.0
