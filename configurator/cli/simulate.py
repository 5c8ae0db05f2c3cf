"""``configurator simulate evacuation SCENARIO -o DIR``: people walking the drawn plan."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from configurator.cli.common import FailedError, Lang, checked, fail, lang_or_exit, reported

__all__ = ["evacuation_command"]


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
    from configurator.model.errors import LayoutError
    from configurator.review.options import options_from_case
    from configurator.simulation import walkable_floor
    from configurator.simulation.evacuation import EvacuationSettings, simulate_evacuation
    from configurator.simulation.pictures import evacuation_curve_png, rset_map_png

    low, high = _range(premovement)
    lang = lang_or_exit(lang)
    case = checked(lambda: load_case(scenario))
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


def _range(text: str) -> tuple[float, float]:
    """Read MIN:MAX seconds (0 <= MIN <= MAX <= 3600), or fail in one line."""
    try:
        low, high = (float(part) for part in text.split(":"))
    except ValueError:
        raise fail([f"--premovement {text}: expected MIN:MAX seconds, e.g. 30:60"]) from None
    if not 0.0 <= low <= high <= 3600.0:
        raise fail([f"--premovement {text}: expected 0 <= MIN <= MAX <= 3600"])
    return low, high
