"""Command-line options and error reporting shared by several commands, declared once."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from configurator.errors import ConfigError
from configurator.schema import Entrance, Footprint

__all__ = [
    "BuildingNumber",
    "DrawingUnits",
    "FailedError",
    "FootprintDxf",
    "WallLayers",
    "check_lang",
    "drawing_footprint",
    "reported",
]

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


class FailedError(Exception):
    """A failure already put into words, one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


@contextlib.contextmanager
def reported() -> Iterator[None]:
    """Turn every expected failure into one line per problem on stderr and exit code 2."""
    try:
        yield
    except FailedError as exc:
        lines = exc.lines
    except ConfigError as exc:
        lines = [str(p) for p in exc.problems]
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}"
            for e in exc.errors(include_url=False)
        ]
    except OSError as exc:
        lines = [f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")]
    else:
        return
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(2)


def check_lang(lang: str) -> str:
    """Return the language if the pages have it (fi, en), else fail with the flag's name."""
    if lang not in ("fi", "en"):
        raise FailedError([f"--lang: expected 'fi' or 'en', got {lang!r}"])
    return lang


def drawing_footprint(
    entrances: tuple[Entrance, ...],
    footprint_dxf: Path | None,
    layer: list[str] | None,
    building: int | None,
    units: str | None,
) -> Footprint | None:
    """The footprint --footprint-dxf asks for (the scenario's entrances kept), or None."""
    if footprint_dxf is None:
        return None
    from configurator.dxf import footprint_from_dxf

    return footprint_from_dxf(
        footprint_dxf,
        layers=layer or (),
        units=units,  # type: ignore[arg-type]  # checked inside
        building=building,
        entrances=entrances,
    )
