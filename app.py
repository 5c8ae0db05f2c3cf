"""Streamlit UI of the service-point configurator: pick a scenario, tune targets, read the results.

Run with ``streamlit run app.py -- examples/pori.yaml``. Layout and widgets only: every number
shown comes from the ``configurator`` package.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from configurator.catalog import Case, load_case, scenario_yaml
from configurator.demand import demand_from_scenario
from configurator.drawing import plan_png_bytes
from configurator.dxf import plan_to_dxf
from configurator.errors import ConfigError, LayoutError
from configurator.kpis import KPI_DEFINITIONS, PlanKpis, rows_from_kpis
from configurator.layout import Option, options_from_case
from configurator.plan import Plan
from configurator.program import PoolingComparison, Program, compare_pooling, program_from_case
from configurator.sizing import SizingError
from configurator.tables import (
    cost_rows,
    demand_rows,
    pooling_rows,
    program_rows,
    program_to_xlsx,
    sizing_rows,
    total_rows,
)

EXAMPLES = Path(__file__).resolve().parent / "examples"


@st.cache_data(show_spinner="Laying out the floor plan options…")
def layout(case_json: str, options: int) -> tuple[list[Plan], list[PlanKpis]]:
    """Generate the ranked, audited floor-plan options and their KPIs (cached per scenario)."""
    ranked = options_from_case(Case.model_validate_json(case_json), options=options)
    return [o.plan for o in ranked], [o.kpis for o in ranked]


@st.cache_data(show_spinner=False)
def plan_png(plan_json: str, case_json: str, lang: str) -> bytes:
    """Draw one option as a PNG sheet."""
    case = Case.model_validate_json(case_json)
    return plan_png_bytes(
        Plan.model_validate_json(plan_json),
        catalog=case.catalog,
        lang=lang,
        dpi=90,
        date=case.scenario.date,
    )


@st.cache_data(show_spinner=False)
def plan_dxf(plan_json: str, case_json: str, lang: str) -> bytes:
    """Return one option as DXF bytes."""
    case = Case.model_validate_json(case_json)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.dxf"
        plan = Plan.model_validate_json(plan_json)
        plan_to_dxf(plan, path, catalog=case.catalog, lang=lang, date=case.scenario.date)
        return path.read_bytes()


def _printed(case_json: str, options: int) -> Any:
    """The case with its programme and laid-out options, from the cached stages."""
    from configurator.booklet import Printed

    case = Case.model_validate_json(case_json)
    plans, kpis = layout(case_json, options)
    program, pooling = size(case_json)
    ranked = [Option(p, k, ()) for p, k in zip(plans, kpis, strict=True)]
    return Printed(case, program, pooling, ranked)


@st.cache_data(show_spinner="Printing the space cards (about 10 s)…", max_entries=4)
def booklet_pdf(case_json: str, options: int, option: int, lang: str) -> bytes:
    """The space-card booklet of one option as PDF."""
    from configurator.booklet import html_to_pdf, render_booklet

    html, _ = render_booklet(_printed(case_json, options), lang=lang, option=option)
    return html_to_pdf(html)


@st.cache_data(show_spinner="Printing the options report…", max_entries=4)
def report_pdf(case_json: str, options: int, lang: str) -> bytes:
    """The options report as PDF."""
    from configurator.booklet import html_to_pdf
    from configurator.report import render_report

    return html_to_pdf(render_report(_printed(case_json, options), lang=lang))


@st.cache_data(show_spinner=False, max_entries=32)
def card_html(case_json: str, options: int, option: int, space_type: str, lang: str) -> str:
    """One space card of one option as a standalone HTML page (for the preview)."""
    from configurator.booklet import render_card
    from configurator.cards import card_for

    printed = _printed(case_json, options)
    demand = demand_from_scenario(printed.case.scenario, catalog=printed.case.catalog)
    row = next(r for r in printed.program.rows if r.space_type == space_type)
    plan = printed.options[option - 1].plan
    card = card_for(printed.case, printed.program, demand, plan, row, lang=lang)
    return str(render_card(printed, card, option=option))


@st.cache_data(show_spinner=False)
def load(path: str) -> Case:
    """Load and check a scenario file (cached per path)."""
    return load_case(Path(path))


@st.cache_data(show_spinner="Sizing…")
def size(case_json: str) -> tuple[Program, PoolingComparison]:
    """Run demand → sizing → programme and the pooling comparison (cached per scenario)."""
    case = Case.model_validate_json(case_json)
    return program_from_case(case), compare_pooling(case)


@st.cache_data(show_spinner=False)
def workbook(case_json: str, lang: str) -> bytes:
    """Return the programme workbook as XLSX bytes."""
    case = Case.model_validate_json(case_json)
    program, comparison = size(case_json)
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "programme.xlsx"
        program_to_xlsx(program, comparison, demand, path, lang=lang)
        return path.read_bytes()


def scenario_ui(default: str | None) -> tuple[str, str]:
    """Let the user pick an example scenario and a language; return the path and language."""
    options = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    if default and default not in options:
        options.insert(0, default)
    index = options.index(default) if default in options else 0
    path = st.sidebar.selectbox(
        "Scenario", options, index=index, format_func=lambda p: Path(p).stem
    )
    lang = st.sidebar.radio("Language / kieli", ["en", "fi"], horizontal=True)
    return str(path), str(lang)


def targets_ui(case: Case) -> Case:
    """Let the user tune the service targets and factors; return the adjusted case."""
    t, f = case.scenario.targets, case.scenario.factors
    st.sidebar.subheader("Service targets")
    level = st.sidebar.slider(
        "Counter: share served within target", 0.5, 0.99, t.counter_level, 0.01
    )
    wait = st.sidebar.slider("Counter: target wait (min)", 1, 30, round(t.counter_wait_s / 60))
    utilisation = st.sidebar.slider("Room utilisation", 0.3, 0.95, t.room_utilisation, 0.05)
    st.sidebar.subheader("Areas and rent")
    circulation = st.sidebar.slider("Circulation factor", 0.0, 0.6, f.circulation_factor, 0.01)
    rent = st.sidebar.number_input("Rent (€/m²/month)", 0.0, 200.0, f.rent_eur_per_m2_month, 0.5)
    scenario = case.scenario.model_copy(
        update={
            "targets": t.model_copy(
                update={
                    "counter_level": level,
                    "counter_wait_s": wait * 60.0,
                    "room_utilisation": utilisation,
                }
            ),
            "factors": f.model_copy(
                update={"circulation_factor": circulation, "rent_eur_per_m2_month": rent}
            ),
        }
    )
    return case.model_copy(update={"scenario": scenario})


def headline(program: Program, comparison: PoolingComparison) -> None:
    """Show the pooling headline and key figures."""
    st.success(comparison.headline())
    cols = st.columns(4)
    cols[0].metric("Usable area", f"{program.totals.usable_m2:,.0f} m²".replace(",", " "))
    cols[1].metric(
        "Saving vs separate offices",
        f"{comparison.saving_m2:,.0f} m²".replace(",", " "),
        f"{comparison.saving_share:.0%}",
    )
    cols[2].metric("Staff on site", program.staff_on_site)
    cols[3].metric("Rent", f"{program.rent_eur_year:,.0f} €/year".replace(",", " "))


def tables(case: Case, program: Program, comparison: PoolingComparison, lang: str) -> None:
    """Show the programme, sizing reasons, demand, pooling and costs in tabs."""
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    tabs = st.tabs(["Programme", "Why these counts", "Demand", "Pooling", "Costs"])
    with tabs[0]:
        rows: list[dict[str, Any]] = [r for r in program_rows(program, lang=lang) if r["count"]]
        st.dataframe(rows, hide_index=True, width="stretch")
        st.dataframe(total_rows(program), hide_index=True)
    with tabs[1]:
        st.dataframe(sizing_rows(program), hide_index=True, width="stretch")
    with tabs[2]:
        st.dataframe(demand_rows(demand), hide_index=True, width="stretch")
    with tabs[3]:
        st.dataframe(pooling_rows(comparison), hide_index=True)
    with tabs[4]:
        st.dataframe(cost_rows(program), hide_index=True)
        st.caption(program.allocation_rule)


@st.cache_data(show_spinner="Reading the drawing…", max_entries=8)
def drawing_footprint(
    data: bytes, name: str, building: int | None, units: str | None, entrances_json: str
) -> tuple[str, bytes, list[str], list[str]]:
    """Derive a footprint from DXF bytes: footprint JSON, preview PNG, building lines, notes.

    The scenario's entrances are snapped onto the building when they lie on it; when they do
    not (another building), the drawing's own doors are taken and a note says so.
    """
    from configurator.dxf.footprint import import_footprint
    from configurator.dxf.preview import preview_png_bytes
    from configurator.schema import Entrance

    entrances = [Entrance.model_validate(e) for e in json.loads(entrances_json)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        kind = units  # checked inside
        try:
            result = import_footprint(
                path,
                building=building,
                units=kind,  # type: ignore[arg-type]
                entrances=entrances,
            )
            off: list[str] = []
        except ConfigError as exc:
            if not all(p.code == "E525" for p in exc.problems):
                raise
            result = import_footprint(path, building=building, units=kind)  # type: ignore[arg-type]
            off = ["the scenario's entrances are not on this building; its own doors are used"]
    buildings = [
        f"{n}: {b.floor.area:.0f} m² usable, {b.outer.area:.0f} m² outer face"
        for n, b in enumerate(result.buildings, start=1)
    ]
    preview = preview_png_bytes(result)
    return result.footprint.model_dump_json(), preview, buildings, off + result.notes


def footprint_ui(case: Case) -> Case:
    """Take the building from an uploaded DXF floor plan instead of the scenario's footprint.

    The drawing is kept in ``st.session_state["footprint_drawing"]`` as (name, bytes), so it
    survives reruns and a test can set it without a browser; a new drawing forgets the
    building picked on the last one, and removing the upload brings the scenario's back.
    """
    from configurator.schema import Footprint

    st.sidebar.subheader("Building")
    upload = st.sidebar.file_uploader("From a DXF floor plan", type=["dxf"], key="dxf_upload")
    if upload is not None:
        uploaded = (upload.name, upload.getvalue())
        if st.session_state.get("footprint_drawing") != uploaded:
            st.session_state["footprint_drawing"] = uploaded
            st.session_state["footprint_from_upload"] = True
            st.session_state.pop("footprint_building", None)
    elif st.session_state.pop("footprint_from_upload", False):
        st.session_state.pop("footprint_drawing", None)
        st.session_state.pop("footprint_building", None)
    drawing = st.session_state.get("footprint_drawing")
    if drawing is None:
        return case
    name, data = drawing
    units = st.sidebar.selectbox("Drawing units", ["from the file", "mm", "cm", "m", "in"])
    picked = st.session_state.get("footprint_building")
    entrances = json.dumps([e.model_dump(mode="json") for e in case.scenario.footprint.entrances])
    try:
        footprint_json, preview, buildings, notes = drawing_footprint(
            data, name, picked, None if units == "from the file" else units, entrances
        )
    except ConfigError as exc:
        st.sidebar.error("\n\n".join(f"{p}" for p in exc.problems))
        return case
    if len(buildings) > 1:
        choice = st.sidebar.selectbox("Building on the drawing", buildings, index=(picked or 1) - 1)
        chosen = buildings.index(choice) + 1
        if chosen != (picked or 1):
            st.session_state["footprint_building"] = chosen
            st.rerun()
    with st.expander(f"Building from {name}", expanded=False):
        st.image(preview, width="stretch")
        for note in notes:
            st.caption(note)
    footprint = Footprint.model_validate_json(footprint_json)
    scenario = case.scenario.model_copy(update={"footprint": footprint})
    return case.model_copy(update={"scenario": scenario})


def plan_ui(case: Case, case_json: str, lang: str) -> None:
    """Show the floor-plan options: the chosen option's drawing, the KPI comparison, downloads."""
    st.header("Floor plan")
    options = st.slider("Options", 1, 6, case.scenario.layout.options)
    try:
        plans, kpis = layout(case_json, options)
    except LayoutError as exc:
        st.error(str(exc))
        return
    if len(plans) < options:
        st.info(f"{len(plans)} distinct options fit this floor ({options} asked).")
    labels = [f"{p.option}: {p.strategy} (seed {p.seed})" for p in plans]
    chosen = st.radio("Option", labels, horizontal=True)
    plan = plans[labels.index(chosen)]
    plan_json = plan.model_dump_json()
    st.image(plan_png(plan_json, case_json, lang), width="stretch")
    st.caption("Every option shown passes the geometric plan audit (no problems found).")
    st.dataframe(rows_from_kpis(kpis), hide_index=True, width="stretch")
    with st.expander("What the KPIs mean"):
        st.dataframe(
            [{"kpi": k, "definition": d} for k, d in KPI_DEFINITIONS.items()], hide_index=True
        )
    cols = st.columns(2)
    cols[0].download_button(
        "Download this option (DXF)",
        plan_dxf(plan_json, case_json, lang),
        file_name=f"plan-{plan.option}.dxf",
        mime="image/vnd.dxf",
    )
    cols[1].download_button(
        "Download this option (JSON)", plan_json, file_name=f"plan-{plan.option}.json"
    )
    printouts_ui(case_json, options, plan.option, lang)


def printouts_ui(case_json: str, options: int, option: int, lang: str) -> None:
    """Print the space-card booklet and the options report on request (they take seconds),
    then offer them for download while the inputs stay the same."""
    st.subheader("Space cards and options report")
    program, _ = size(case_json)
    names = {r.space_type: str(getattr(r.names, lang)) for r in program.rows if r.count > 0}
    shown = st.selectbox("Preview the space card of", list(names), format_func=names.__getitem__)
    if shown is not None:
        with st.expander(f"Space card: {names[shown]}", expanded=False):
            page = card_html(case_json, options, option, shown, lang)
            components.html(page, height=1150, scrolling=True)
    wanted = (case_json, options, option, lang)
    cols = st.columns(2)
    if cols[0].button(f"Make the space cards of option {option} (PDF)"):
        st.session_state["booklet_pdf"] = (wanted, booklet_pdf(*wanted))
    if cols[1].button("Make the options report (PDF)"):
        st.session_state["report_pdf"] = (wanted, report_pdf(case_json, options, lang))
    for column, key, label, name in (
        (cols[0], "booklet_pdf", "Download the space cards (PDF)", f"cards-option-{option}.pdf"),
        (cols[1], "report_pdf", "Download the options report (PDF)", "options-report.pdf"),
    ):
        made = st.session_state.get(key)
        if made is not None and made[0] == wanted:
            column.download_button(label, made[1], file_name=name, mime="application/pdf")


def main() -> None:
    """Lay out the page."""
    st.set_page_config(page_title="Service-point configurator", layout="wide")
    st.title("Service-point configurator")
    given = [a for a in sys.argv[1:] if a.endswith((".yaml", ".yml"))]
    default = given[0] if given else str(EXAMPLES / "pori.yaml")
    path, lang = scenario_ui(str(Path(default).resolve()) if Path(default).exists() else default)
    try:
        case = footprint_ui(targets_ui(load(path)))
    except ConfigError as exc:
        st.error("The scenario has problems:\n\n" + "\n".join(f"- {p}" for p in exc.problems))
        return
    st.caption(f"{case.scenario.name}: {case.scenario.description}")
    st.sidebar.download_button(
        "Download this scenario (YAML)",
        scenario_yaml(case),
        file_name=f"{Path(path).stem}-edited.yaml",
        mime="application/x-yaml",
        help="The scenario with the targets, areas and building set here; loads as it is.",
    )
    case_json = case.model_dump_json()
    try:
        program, comparison = size(case_json)
    except SizingError as exc:
        st.error(str(exc))
        return
    headline(program, comparison)
    tables(case, program, comparison, lang)
    st.download_button(
        "Download the programme (XLSX)",
        workbook(case_json, lang),
        file_name="programme.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    plan_ui(case, case_json, lang)


main()
