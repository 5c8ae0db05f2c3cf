"""Cards and exports page: preview a space card, download every file the job makes."""

from __future__ import annotations

import streamlit as st

from configurator.inputs.catalog import scenario_yaml
from ui import job, outputs, stages
from ui.texts import t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page() -> None:
    """The programme workbook always; the plan files and the printouts once options exist."""
    lang = job.lang()
    case, problems = job.case()
    if case is None:
        st.error(t("problems.title") + "\n\n" + job.problem_lines(problems))
        return
    case_json = case.model_dump_json()
    name = st.session_state.get(job.NAME, "scenario")
    st.subheader(t("exports.always"))
    cols = st.columns(2)
    cols[0].download_button(
        t("exports.xlsx"),
        outputs.workbook(case_json, lang),
        file_name=f"{name}-programme.xlsx",
        mime=XLSX,
        key="download_xlsx",
    )
    cols[1].download_button(
        t("download.yaml"),
        scenario_yaml(case),
        file_name=f"{name}-edited.yaml",
        mime="application/x-yaml",
        key="download_yaml_page",
    )
    made = st.session_state.get(job.MADE)
    if made is None or made[0] != job.key():
        st.info(t("exports.need_options"))
        st.page_link("ui/pages/options.py", label=t("page.options"), icon=":material/map:")
        return
    count = int(made[1])
    plans, _ = stages.layout(case_json, count)
    option = min(int(st.session_state.get(job.CHOSEN, 1)), len(plans))
    plan = plans[option - 1]
    plan_json = plan.model_dump_json()
    st.subheader(t("exports.plan", option=option))
    # Made when clicked (Streamlit calls the function on its own thread), so the page does not
    # wait a second and a half for four files nobody may want.
    sheet = st.columns(4)
    sheet[0].download_button(
        "DXF",
        lambda: outputs.plan_dxf(plan_json, case_json, lang),
        file_name=f"{name}-option-{option}.dxf",
        mime="image/vnd.dxf",
        key="download_dxf",
    )
    sheet[3].download_button(
        "IFC",
        lambda: outputs.plan_ifc(plan_json, case_json, lang),
        file_name=f"{name}-option-{option}.ifc",
        mime="application/x-step",
        key="download_ifc",
        help=t("exports.ifc_help"),
    )
    sheet[1].download_button(
        "PDF",
        lambda: outputs.plan_sheet(plan_json, case_json, lang, "pdf"),
        file_name=f"{name}-option-{option}.pdf",
        mime="application/pdf",
        key="download_plan_pdf",
    )
    sheet[2].download_button(
        "PNG",
        lambda: outputs.plan_sheet(plan_json, case_json, lang, "png"),
        file_name=f"{name}-option-{option}.png",
        mime="image/png",
        key="download_plan_png",
    )
    st.subheader(t("exports.printouts"))
    wanted = (case_json, count, option, lang)
    cols = st.columns(2)
    if cols[0].button(t("exports.make_booklet", option=option), key="w_make_booklet"):
        with st.spinner(t("exports.printing")):
            st.session_state["booklet_pdf"] = (wanted, outputs.booklet_pdf(*wanted))
    if cols[1].button(t("exports.make_report"), key="w_make_report"):
        with st.spinner(t("exports.printing")):
            st.session_state["report_pdf"] = (wanted, outputs.report_pdf(case_json, count, lang))
    for column, key, label, file in (
        (cols[0], "booklet_pdf", t("exports.booklet"), f"{name}-cards-option-{option}.pdf"),
        (cols[1], "report_pdf", t("exports.report"), f"{name}-options-report.pdf"),
    ):
        done = st.session_state.get(key)
        if done is not None and done[0] == wanted:
            column.download_button(
                label, done[1], file_name=file, mime="application/pdf", key=f"download_{key}"
            )
    st.subheader(t("exports.card"))
    program, _ = stages.size(case_json)
    names = {r.space_type: str(getattr(r.names, lang)) for r in program.rows if r.count > 0}
    shown = st.selectbox(
        t("exports.card_of"), list(names), format_func=names.__getitem__, key="w_card"
    )
    if shown is not None:
        st.iframe(outputs.card_html(case_json, count, option, shown, lang), height=1150)


st.title(t("page.exports"))
page()
