"""Command-line options shared by several commands, declared once (Typer annotations only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["BuildingNumber", "DrawingUnits", "FootprintDxf", "WallLayers"]

FootprintDxf = Annotated[
    Path | None,
    typer.Option("--footprint-dxf", help="Take the building outline from this DXF."),
]
WallLayers = Annotated[
    list[str] | None,
    typer.Option("--layer", help="A wall layer in --footprint-dxf (repeat; found by name)."),
]
BuildingNumber = Annotated[
    int | None,
    typer.Option("--building", min=1, help="Which building of --footprint-dxf (1 = largest)."),
]
DrawingUnits = Annotated[
    str | None,
    typer.Option("--units", help="Units of --footprint-dxf: mm, cm, m, in (else $INSUNITS)."),
]
