"""``configurator footprint DRAWING.dxf``: derive a footprint from an architect's drawing.

Writes the ``footprint:`` section of a scenario (YAML the scenario loader accepts as is, in
metres in the drawing's own coordinates), optionally a preview PNG, and prints what it found:
units, wall layers, the buildings on the sheet, the entrance candidates and its notes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from shapely.geometry import Polygon

from configurator._io import atomic_path
from configurator.dxf.footprint import FootprintImport, import_footprint
from configurator.model.errors import ConfigError

__all__ = ["footprint_command", "footprint_yaml"]


def footprint_yaml(result: FootprintImport) -> str:
    """Return the ``footprint:`` section as YAML, the other entrance candidates as comments."""
    document: dict[str, Any] = {"footprint": result.footprint.model_dump(mode="json")}
    section = document["footprint"]
    section.pop("rectangle", None)
    section["polygon"] = [list(p) for p in section["polygon"]]
    if not section["obstacles"]:
        section.pop("obstacles")
    chosen = result.buildings[result.chosen - 1]
    source = (
        f"storey {result.storey!r} of {len(result.storeys)}, units {result.units}, outline "
        f"from the {', '.join(result.layers)}"
        if result.storey is not None
        else f"building {result.chosen} of {len(result.buildings)}, units {result.units}, "
        f"wall layers {', '.join(result.layers)}"
    )
    head = [
        f"# derived by `configurator footprint` from {result.path.name}: {source}",
        f"# usable floor (inner face) {Polygon(result.footprint.outline()).area:.1f} m2, "
        f"outer face {chosen.outer.area:.1f} m2; metres in the drawing's own coordinates",
    ]
    head += [f"# note: {note}" for note in result.notes]
    used = {e.at for e in result.footprint.entrances}
    others = [c for c in result.candidates if c.at not in used]
    if others:
        head.append("# other doors in the outer wall (add under entrances: with kind side/staff):")
        head += [
            f"#   - {{id: door_{n}, at: [{c.at[0]}, {c.at[1]}], width_m: {c.width_m}, kind: side}}"
            for n, c in enumerate(others, start=1)
        ]
    if result.storey is not None:  # so that an IFC export of a plan in it stands where it does
        from configurator.ifc.footprint import model_storey

        storey = model_storey(result)
        assert storey is not None, "a model's footprint names its storey"
        document["storey"] = {"name": storey.name, "elevation_m": storey.elevation_m}
        if "height_m" in storey.model_fields_set:
            document["storey"]["height_m"] = storey.height_m
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=None)
    return "\n".join(head) + "\n" + body


def footprint_command(
    drawing: Annotated[
        Path, typer.Argument(help="The architect's DXF drawing or an IFC building model.")
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the footprint section here.")
    ] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Draw a preview PNG.")] = None,
    layer: Annotated[
        list[str] | None, typer.Option("--layer", help="A wall layer (repeat for several).")
    ] = None,
    units: Annotated[
        str | None, typer.Option("--units", help="Override $INSUNITS: mm, cm, dm, m, in, ft.")
    ] = None,
    building: Annotated[
        int | None, typer.Option("--building", min=1, help="Which building (1 = largest).")
    ] = None,
    storey: Annotated[
        str | None,
        typer.Option("--storey", help="Which storey of an IFC model (else the entrance level)."),
    ] = None,
) -> None:
    """Derive the building footprint from a DXF floor plan or one storey of an IFC model;
    write it as scenario YAML.

    What was found goes to stderr; the YAML to ``-o`` or, without it, to stdout (so
    ``configurator footprint plan.dxf > footprint.yaml`` works).
    """
    model = drawing.suffix.lower() == ".ifc"
    drawing_only = {"--layer": layer, "--units": units, "--building": building}
    misplaced = [flag for flag, value in drawing_only.items() if value] if model else []
    if misplaced or (storey is not None and not model):
        what = (
            f"{', '.join(misplaced)}: for a DXF drawing, not an IFC model"
            if misplaced
            else "--storey: for an IFC model (MODEL.ifc), not a drawing"
        )
        typer.echo(what, err=True)
        raise typer.Exit(2)
    try:
        if model:
            from configurator.ifc.footprint import import_model_footprint

            result = import_model_footprint(drawing, storey=storey)
        else:
            result = import_footprint(
                drawing,
                layers=layer or (),
                units=units,  # type: ignore[arg-type]  # checked inside
                building=building,
            )
    except ConfigError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(2) from None
    if result.storey is not None:
        typer.echo(
            f"{drawing}: units {result.units}, storey {result.storey!r}, outline from the "
            f"{', '.join(result.layers)}",
            err=True,
        )
        for name, level in result.storeys:
            mark = " <- taken" if name == result.storey else ""
            typer.echo(f"  storey {name!r} at {level:g} m{mark}", err=True)
    else:
        layers = ", ".join(result.layers)
        typer.echo(f"{drawing}: units {result.units}, wall layers {layers}", err=True)
    for n, found in enumerate(result.buildings, start=1):
        minx, miny, maxx, maxy = found.outer.bounds
        mark = " <- taken" if n == result.chosen else ""
        typer.echo(
            f"  building {n}: {found.floor.area:.1f} m² usable ({found.outer.area:.1f} m² outer "
            f"face), {maxx - minx:.1f} × {maxy - miny:.1f} m, at ({minx:.1f}, {miny:.1f}){mark}",
            err=True,
        )
    for obstacle in result.footprint.obstacles:
        typer.echo(
            f"  obstacle {obstacle.id} ({obstacle.kind}): {Polygon(obstacle.polygon).area:.1f} m²",
            err=True,
        )
    for n, candidate in enumerate(result.candidates, start=1):
        typer.echo(
            f"  {'door D' if candidate.leaves else 'gap G'}{n} in the outer wall: "
            f"{candidate.width_m:.2f} m wide at "
            f"({candidate.at[0]:.2f}, {candidate.at[1]:.2f}), {candidate.along_m:.1f} m along "
            "the outline",
            err=True,
        )
    for note in result.notes:
        typer.echo(f"  note: {note}", err=True)
    text = footprint_yaml(result)
    if output is None:
        typer.echo(text, nl=False)
    else:
        with atomic_path(output) as temporary:
            temporary.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    if png is not None:
        from configurator.dxf.preview import write_preview

        write_preview(result, png)
        typer.echo(f"wrote {png}", err=True)
