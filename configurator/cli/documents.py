"""``configurator cards`` and ``configurator report``: the space-card booklet and the options
report, as HTML or PDF, written atomically (a failed run leaves no half-written file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from configurator._io import write_bytes_atomic, write_text_atomic
from configurator.cli.common import (
    BuildingNumber,
    DrawingUnits,
    FailedError,
    FootprintDxf,
    WallLayers,
    check_lang,
    drawing_footprint,
    reported,
)
from configurator.inputs.catalog import load_case

if TYPE_CHECKING:
    from configurator.documents.booklet import Printed

__all__ = ["cards_command", "report_command"]

FORMATS = ("pdf", "html")


def _printed(
    scenario: Path,
    options: int | None,
    footprint_dxf: Path | None,
    layer: list[str] | None,
    building: int | None,
    units: str | None,
    *,
    at_least: int = 1,
) -> Printed:
    """Load, size and lay out the scenario (at least as many options as it asks for, so option
    1 is the same best option the report and ``plan`` give); failures in one line each."""
    from configurator.documents.booklet import printed_case
    from configurator.model.errors import LayoutError
    from configurator.sizing.counts import SizingError

    case = load_case(scenario)
    entrances = tuple(case.scenario.footprint.entrances)
    footprint = drawing_footprint(entrances, footprint_dxf, layer, building, units).footprint
    wanted = max(options or case.scenario.layout.options, at_least)
    try:
        return printed_case(case, options=wanted, footprint=footprint)
    except (LayoutError, SizingError) as exc:
        raise FailedError([f"{scenario}: {exc}"]) from None


def _pages(printed: Printed, option: int, lang: str, *, day: bool, evacuate: bool) -> str:
    """Return the simulation pages asked for (JuPedSim: seconds to minutes), on the option's
    walkable floor built once: the design day, then the evacuation."""
    if not (day or evacuate):
        return ""
    from configurator.simulation import walkable_floor

    case = printed.case
    plan = printed.options[option - 1].plan
    floor = walkable_floor(plan, catalog=case.catalog, rules=case.scenario.rules,
                           footprint=case.scenario.footprint)  # fmt: skip
    pages = ""
    if day:
        from configurator.simulation.day import simulate_day
        from configurator.simulation.day_model import plan_day
        from configurator.simulation.day_pictures import day_page

        result = simulate_day(floor, plan_day(case, plan, floor, seed=0), seed=0)
        pages += day_page(result, floor, option=option, lang=lang)
    if evacuate:
        from configurator.simulation.evacuation import EvacuationSettings, simulate_evacuation
        from configurator.simulation.pictures import evacuation_page

        evacuated = simulate_evacuation(floor, settings=EvacuationSettings())
        pages += evacuation_page(evacuated, floor, option=option, lang=lang)
    return pages


def _write(path: Path, html: str, fmt: str) -> None:
    """Write the document as HTML, or lay it out as PDF first."""
    from configurator.documents.booklet import html_to_pdf

    if fmt == "html":
        write_text_atomic(path, html)
    else:
        write_bytes_atomic(path, html_to_pdf(html))


def cards_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write.")] = Path(
        "cards"
    ),
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf or html.")] = "pdf",
    lang: Annotated[str, typer.Option("--lang", help="Language of the pages: fi or en.")] = "fi",
    option: Annotated[
        int,
        typer.Option("--option", min=1, max=50, help="Plan option the cards show, 1 is best."),
    ] = 1,
    split: Annotated[
        bool, typer.Option("--split", help="Also write one file per card (cards/CODE.pdf).")
    ] = False,
    evacuate: Annotated[
        bool,
        typer.Option("--evacuate", help="Add a page: the option evacuated (JuPedSim)."),
    ] = False,
    day: Annotated[
        bool,
        typer.Option("--day", help="Add a page: the option's design day walked (JuPedSim)."),
    ] = False,
    footprint_dxf: FootprintDxf = None,
    layer: WallLayers = None,
    building: BuildingNumber = None,
    units: DrawingUnits = None,
) -> None:
    """Write the space-card booklet: cover, contents, programme, plan and one page per card."""
    from configurator.documents.booklet import BookletError, render_booklet, render_card, split_pdf

    with reported():
        lang = check_lang(lang)
        if fmt not in FORMATS:
            raise FailedError([f"--format: expected one of {', '.join(FORMATS)}, got {fmt!r}"])
        printed = _printed(scenario, None, footprint_dxf, layer, building, units, at_least=option)
        try:
            html, cards = render_booklet(printed, lang=lang, option=option)
        except BookletError as exc:
            raise FailedError([f"--option {option}: {exc}"]) from None
        if evacuate or day:  # the option is known to exist now
            extra = _pages(printed, option, lang, day=day, evacuate=evacuate)
            html, cards = render_booklet(printed, lang=lang, option=option, extra=extra)
        output.mkdir(parents=True, exist_ok=True)
        booklet = output / f"booklet.{fmt}"
        folder = output / "cards"
        if fmt == "pdf":
            whole, pages = split_pdf(html, cards=split)
            write_bytes_atomic(booklet, whole)
        else:
            write_text_atomic(booklet, html)
        typer.echo(f"wrote {booklet} ({len(cards)} cards, option {option})")
        if split:
            folder.mkdir(exist_ok=True)
            for card in cards:
                target = folder / f"{card.code}.{fmt}"
                if fmt == "pdf":
                    write_bytes_atomic(target, pages[card.code])
                else:
                    write_text_atomic(target, render_card(printed, card, option=option))
            typer.echo(f"wrote {len(cards)} cards to {folder}/")


def report_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="report.pdf or report.html.")
    ] = Path("report.pdf"),
    lang: Annotated[str, typer.Option("--lang", help="Language of the pages: fi or en.")] = "fi",
    options: Annotated[
        int | None, typer.Option("--options", "-n", min=1, max=50, help="How many options.")
    ] = None,
    footprint_dxf: FootprintDxf = None,
    layer: WallLayers = None,
    building: BuildingNumber = None,
    units: DrawingUnits = None,
    evacuate: Annotated[
        bool,
        typer.Option("--evacuate", help="Add a page: the recommended option evacuated (JuPedSim)."),
    ] = False,
    day: Annotated[
        bool,
        typer.Option("--day", help="Add a page: the recommended option's design day (JuPedSim)."),
    ] = False,
) -> None:
    """Write the options report: options side by side, KPIs and ranks, the recommendation."""
    from configurator.documents.report import render_report
    from configurator.review.ranking import compare_options

    with reported():
        lang = check_lang(lang)
        fmt = output.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise FailedError([f"-o {output}: expected a .pdf or .html file name"])
        printed = _printed(scenario, options, footprint_dxf, layer, building, units)
        recommended = compare_options([o.kpis for o in printed.options]).recommended
        extra = _pages(printed, recommended, lang, day=day, evacuate=evacuate)
        _write(output, render_report(printed, lang=lang, extra=extra), fmt)
        typer.echo(f"wrote {output} ({len(printed.options)} options)")
