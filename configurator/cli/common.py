"""Command-line options and error reporting shared by several commands, declared once."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, NamedTuple, TypeVar

import typer
from pydantic import ValidationError

from configurator.model.errors import ConfigError
from configurator.model.schema import Entrance, Footprint, Storey

__all__ = [
    "BuildingNumber",
    "DrawingUnits",
    "Drawn",
    "FailedError",
    "FootprintDxf",
    "FootprintModel",
    "Lang",
    "StoreyName",
    "WallLayers",
    "adopted_storey",
    "audit_lines",
    "check_lang",
    "checked",
    "drawing_footprint",
    "fail",
    "lang_or_exit",
    "reported",
    "rule_lines",
]

T = TypeVar("T")

Lang = Annotated[str, typer.Option("--lang", help="Language of names: fi or en.")]

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
FootprintModel = Annotated[
    Path | None,
    typer.Option("--footprint-model", help="Take the building outline from this IFC model."),
]
StoreyName = Annotated[
    str | None,
    typer.Option("--storey", help="Which storey of --footprint-model (else the entrance level)."),
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


class Drawn(NamedTuple):
    """A footprint from a drawing or a model, and the model's storey (None from a drawing)."""

    footprint: Footprint | None
    storey: Storey | None = None


def adopted_storey(case: Any, drawn: Drawn) -> Storey:
    """Return the storey an IFC export stands on: the scenario's where it gives one, else the
    storey of the model the footprint came from, else the default."""
    scenario = case.scenario
    if drawn.storey is not None and "storey" not in scenario.model_fields_set:
        return drawn.storey
    return scenario.storey  # type: ignore[no-any-return]


def drawing_footprint(
    entrances: tuple[Entrance, ...],
    footprint_dxf: Path | None,
    layer: list[str] | None,
    building: int | None,
    units: str | None,
    model: Path | None = None,
    storey: str | None = None,
) -> Drawn:
    """The footprint --footprint-dxf or --footprint-model asks for (the scenario's entrances
    kept), or none; with a model, the storey it was taken from too (read once)."""
    if model is not None:
        if footprint_dxf is not None:
            raise FailedError(["give --footprint-dxf or --footprint-model, not both"])
        drawing_only = {"--layer": layer, "--building": building, "--units": units}
        misplaced = [flag for flag, value in drawing_only.items() if value]
        if misplaced:
            raise FailedError(
                [f"{', '.join(misplaced)}: for --footprint-dxf, not --footprint-model"]
            )
        from configurator.ifc.footprint import import_model_footprint, model_storey

        result = import_model_footprint(model, storey=storey, entrances=entrances)
        return Drawn(result.footprint, model_storey(result))
    if storey is not None:
        raise FailedError(["--storey chooses a storey of --footprint-model; no model was given"])
    if footprint_dxf is None:
        return Drawn(None)
    from configurator.dxf import footprint_from_dxf

    return Drawn(
        footprint_from_dxf(
            footprint_dxf,
            layers=layer or (),
            units=units,  # type: ignore[arg-type]  # checked inside
            building=building,
            entrances=entrances,
        )
    )


def fail(problems: list[str], *, code: int = 2) -> typer.Exit:
    """Print each problem on its own line to stderr and return the exit to raise."""
    for problem in problems:
        typer.echo(problem, err=True)
    return typer.Exit(code)


def checked(load: Callable[[], T]) -> T:
    """Run a loader; turn a :class:`ConfigError` (or a failure put into words) into one line
    per problem and exit 2."""
    try:
        return load()
    except ConfigError as exc:
        raise fail([str(p) for p in exc.problems]) from None
    except FailedError as exc:
        raise fail(exc.lines) from None


def lang_or_exit(lang: str) -> str:
    """Return the language if the pages have it (fi, en), else print why and exit 2."""
    try:
        return check_lang(lang)
    except FailedError as exc:
        raise fail(exc.lines) from None


def audit_lines(problems: list[Any], *, title: str = "audit") -> list[str]:
    """Return an audit as lines: one per problem (code first), or that there is none."""
    if not problems:
        return [f"{title}: no problems"]
    return [f"{title}: {len(problems)} problems"] + [f"  {p.plan_line()}" for p in problems]


def rule_lines(plan: Any, case: Any, footprint: Any = None) -> list[str]:
    """Return the building-rule review of a plan as lines, with where an exit would help."""
    from configurator.review.rules import review_plan

    review = review_plan(
        plan,
        catalog=case.catalog,
        rules=case.scenario.rules,
        footprint=footprint or case.scenario.footprint,
        suggest=True,
    )
    return audit_lines(list(review.problems), title="building rules")
