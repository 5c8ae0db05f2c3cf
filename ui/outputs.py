"""The files the UI offers and the drawing it reads, cached by their inputs' JSON."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from configurator.inputs.catalog import Case
from configurator.model.errors import ConfigError
from configurator.model.plan import Plan
from configurator.model.schema import Entrance
from configurator.review.routes import Route, persona_routes
from ui import stages

if TYPE_CHECKING:  # the booklet module loads WeasyPrint: only when something is printed
    from configurator.documents.booklet import Printed
    from configurator.dxf.footprint import FootprintImport


@st.cache_data(show_spinner=False, max_entries=32)
def routes(plan_json: str, case_json: str) -> list[Route]:
    """The persona paths through one plan."""
    return persona_routes(
        Plan.model_validate_json(plan_json), case=Case.model_validate_json(case_json)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def audit(plan_json: str, case_json: str) -> list[str]:
    """The plan audit of one plan, read from its geometry (empty when it holds up)."""
    from configurator.review.audit import audit_plan

    case = Case.model_validate_json(case_json)
    problems = audit_plan(
        Plan.model_validate_json(plan_json),
        footprint=case.scenario.footprint,
        layout=case.scenario.layout,
    )
    return [p.plan_line() for p in problems]


@st.cache_data(show_spinner=False, max_entries=16)
def rules(plan_json: str, case_json: str) -> list[str]:
    """The building-rule review of one plan, with where one more exit would help."""
    from configurator.review.rules import review_plan

    case = Case.model_validate_json(case_json)
    review = review_plan(
        Plan.model_validate_json(plan_json),
        catalog=case.catalog,
        rules=case.scenario.rules,
        footprint=case.scenario.footprint,
        suggest=True,
    )
    return [p.plan_line() for p in review.problems]


@st.cache_data(show_spinner=False, max_entries=16)
def plan_dxf(plan_json: str, case_json: str, lang: str) -> bytes:
    """One option as DXF bytes."""
    from configurator.dxf import plan_to_dxf_bytes

    case = Case.model_validate_json(case_json)
    plan = Plan.model_validate_json(plan_json)
    return plan_to_dxf_bytes(plan, catalog=case.catalog, lang=lang, date=case.scenario.date)


@st.cache_data(show_spinner=False, max_entries=16)
def plan_ifc(plan_json: str, case_json: str, lang: str) -> bytes:
    """One option as an IFC4 space model."""
    from configurator.ifc import plan_to_ifc_bytes

    case = Case.model_validate_json(case_json)
    program, _ = stages.size(case_json)
    return plan_to_ifc_bytes(
        Plan.model_validate_json(plan_json),
        catalog=case.catalog,
        storey=case.scenario.storey,
        program=program,
        lang=lang,
        date=case.scenario.date,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def plan_sheet(plan_json: str, case_json: str, lang: str, fmt: str) -> bytes:
    """One option as a drawing sheet, PDF or PNG."""
    from configurator.documents.drawing import plan_to_pdf, plan_to_png

    case = Case.model_validate_json(case_json)
    plan = Plan.model_validate_json(plan_json)
    write = plan_to_pdf if fmt == "pdf" else plan_to_png
    return stages.temporary_file(
        lambda path: write(plan, path, catalog=case.catalog, lang=lang, date=case.scenario.date),
        f"plan.{fmt}",
    )


@st.cache_data(show_spinner=False, max_entries=16)
def workbook(case_json: str, lang: str) -> bytes:
    """The programme workbook as XLSX bytes."""
    from configurator.documents.tables import program_to_xlsx
    from configurator.sizing.demand import demand_from_scenario

    case = Case.model_validate_json(case_json)
    program, comparison = stages.size(case_json)
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    return stages.temporary_file(
        lambda path: program_to_xlsx(
            program, comparison, demand, path, lang=lang, date=case.scenario.date
        ),
        "programme.xlsx",
    )


def _printed(case_json: str, count: int) -> Printed:
    """The case with its programme and laid-out options, from the cached stages."""
    from configurator.documents.booklet import Printed
    from configurator.review import Option

    case = Case.model_validate_json(case_json)
    plans, kpis = stages.layout(case_json, count)
    program, pooling = stages.size(case_json)
    ranked = [Option(p, k, ()) for p, k in zip(plans, kpis, strict=True)]
    return Printed(case, program, pooling, ranked)


@st.cache_data(show_spinner=False, max_entries=4)
def booklet_pdf(case_json: str, count: int, option: int, lang: str) -> bytes:
    """The space-card booklet of one option as PDF."""
    from configurator.documents.booklet import html_to_pdf, render_booklet

    printed = _printed(case_json, count)
    html, _ = render_booklet(printed, lang=lang, option=option)
    return html_to_pdf(html)


@st.cache_data(show_spinner=False, max_entries=4)
def report_pdf(case_json: str, count: int, lang: str) -> bytes:
    """The options report as PDF."""
    from configurator.documents.booklet import html_to_pdf
    from configurator.documents.report import render_report

    printed = _printed(case_json, count)
    return html_to_pdf(render_report(printed, lang=lang))


@st.cache_data(show_spinner=False, max_entries=32)
def card_html(case_json: str, count: int, option: int, space_type: str, lang: str) -> str:
    """One space card of one option as a standalone HTML page (for the preview)."""
    from configurator.documents.booklet import render_card
    from configurator.documents.cards import card_for
    from configurator.sizing.demand import demand_from_scenario

    printed = _printed(case_json, count)
    demand = demand_from_scenario(printed.case.scenario, catalog=printed.case.catalog)
    row = printed.program.row(space_type)
    plan = printed.options[option - 1].plan
    card = card_for(printed.case, printed.program, demand, plan, row, lang=lang)
    return str(render_card(printed, card, option=option))


def _imported(
    data: bytes,
    name: str,
    entrances_json: str,
    read: Callable[[Path, list[Entrance]], FootprintImport],
) -> tuple[FootprintImport, list[str]]:
    """Read an uploaded drawing or model with the scenario's entrances snapped on; where they
    are not on this building, with its own doors, and the note "E525" first says so."""
    entrances = [Entrance.model_validate(e) for e in json.loads(entrances_json)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        try:
            return read(path, entrances), []
        except ConfigError as exc:
            if not all(p.code == "E525" for p in exc.problems):
                raise
            return read(path, []), ["E525"]


@st.cache_data(show_spinner=False, max_entries=8)
def model_footprint(
    data: bytes, name: str, storey: str | None, entrances_json: str
) -> tuple[str, bytes, list[tuple[str, bool]], list[str]]:
    """Derive a footprint from IFC bytes: footprint JSON, preview PNG, the storeys (name,
    whether taken) and notes; the scenario's entrances as for a drawing."""
    from configurator.dxf.preview import preview_png_bytes
    from configurator.ifc.footprint import import_model_footprint

    result, off = _imported(
        data,
        name,
        entrances_json,
        lambda path, entrances: import_model_footprint(path, storey=storey, entrances=entrances),
    )
    storeys = [(name, name == result.storey) for name, _ in result.storeys]
    preview = preview_png_bytes(result)
    return result.footprint.model_dump_json(), preview, storeys, off + result.notes


@st.cache_data(show_spinner=False, max_entries=8)
def drawing_footprint(
    data: bytes, name: str, building: int | None, units: str | None, entrances_json: str
) -> tuple[str, bytes, list[str], list[str]]:
    """Derive a footprint from DXF bytes: footprint JSON, preview PNG, building lines, notes.

    The scenario's entrances are snapped onto the building when they lie on it; when they do
    not (another building), the drawing's own doors are taken and a note says so.
    """
    from configurator.dxf.footprint import import_footprint
    from configurator.dxf.preview import preview_png_bytes

    result, off = _imported(
        data,
        name,
        entrances_json,
        lambda path, entrances: import_footprint(
            path,
            building=building,
            units=units,  # type: ignore[arg-type]  # checked inside
            entrances=entrances,
        ),
    )
    buildings = [
        f"{n}: {b.floor.area:.0f} m² / {b.outer.area:.0f} m²"
        for n, b in enumerate(result.buildings, start=1)
    ]
    preview = preview_png_bytes(result)
    return result.footprint.model_dump_json(), preview, buildings, off + result.notes


EVACUATION = "evacuation_result"  # (job key and option, what evacuation() returned) of the last run


def evacuation(
    plan_json: str, case_json: str, lang: str, progress: Callable[[int, int], None]
) -> tuple[Any, bytes, bytes]:
    """Evacuate one option (JuPedSim): the result, the evacuation curve and the RSET map."""
    from configurator.simulation import walkable_floor
    from configurator.simulation.evacuation import EvacuationSettings, simulate_evacuation
    from configurator.simulation.pictures import evacuation_curve_png, rset_map_png

    case = Case.model_validate_json(case_json)
    plan = Plan.model_validate_json(plan_json)
    floor = walkable_floor(plan, catalog=case.catalog, rules=case.scenario.rules,
                           footprint=case.scenario.footprint)  # fmt: skip
    result = simulate_evacuation(floor, settings=EvacuationSettings(), progress=progress)
    curve = evacuation_curve_png(result, lang=lang)
    return result, curve, rset_map_png(result, floor, lang=lang)


DAY = "day_result"  # (job key and option, what day() returned) of the last run


def day(
    plan_json: str, case_json: str, lang: str, progress: Callable[[float, float], None]
) -> tuple[Any, dict[str, tuple[str, str]], bytes]:
    """Walk one option's design day (JuPedSim): the result, each space's heat-map colour and
    hover line, and the occupancy curve."""
    from configurator.simulation import walkable_floor
    from configurator.simulation.day import simulate_day
    from configurator.simulation.day_model import plan_day
    from configurator.simulation.day_pictures import day_occupancy_png, heat_colours, verdict_text

    case = Case.model_validate_json(case_json)
    plan = Plan.model_validate_json(plan_json)
    floor = walkable_floor(plan, catalog=case.catalog, rules=case.scenario.rules,
                           footprint=case.scenario.footprint)  # fmt: skip
    model = plan_day(case, plan, floor, seed=0)
    result = simulate_day(floor, model, seed=0, progress=progress)
    colours = heat_colours(result)
    heat = {
        s.space: (colours[s.space],
                  f"{s.peak} / {s.capacity}: {verdict_text(s, opens_h=8.0, lang=lang)}")
        for s in result.spaces
        if s.space in colours
    }  # fmt: skip
    return result, heat, day_occupancy_png(result, lang=lang)
