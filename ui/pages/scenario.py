"""Scenario page: open an example or upload a scenario, choose the partner agencies."""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from configurator.inputs.catalog import MAX_SCENARIO_BYTES, load_case, load_case_text
from configurator.model.errors import ConfigError
from ui import job, stages
from ui.texts import m2, num, t


def upload() -> None:
    """Load an uploaded scenario once per file; a broken one shows the loader's messages."""
    file = st.file_uploader(
        t("scenario.upload"),
        type=["yaml", "yml"],
        key="w_upload",
        max_upload_size=-(-MAX_SCENARIO_BYTES // 1_000_000),  # MB, so the widget says the limit
        help=t("scenario.upload_help", kb=MAX_SCENARIO_BYTES // 1000),
    )
    if file is not None:
        data = file.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        if st.session_state.get("upload_digest") != digest:
            st.session_state["upload_digest"] = digest
            try:
                case = load_case_text(data, name=file.name, base=job.EXAMPLES, catalogs=[])
            except ConfigError as exc:
                st.session_state["upload_problems"] = (file.name, [str(p) for p in exc.problems])
            else:
                st.session_state.pop("upload_problems", None)
                job.replace(case, Path(file.name).stem)
                st.session_state["upload_digest"] = digest
                st.session_state["upload_done"] = file.name
                st.rerun()  # every widget of the page starts from the uploaded scenario
    shown = st.session_state.get("upload_problems")
    if shown is not None:
        name, lines = shown
        st.error(
            t("scenario.upload_failed", name=name) + "\n\n" + "\n".join(f"- `{x}`" for x in lines)
        )
    elif "upload_done" in st.session_state:
        st.success(t("scenario.upload_ok", name=st.session_state["upload_done"]))


def examples() -> None:
    """Open one of the shipped examples (it replaces the job)."""
    paths = sorted(job.EXAMPLES.glob("*.yaml"))
    stems = [p.stem for p in paths]
    open_now = str(st.session_state.get(job.NAME, ""))
    # the example that is open, or none picked when the open scenario is an upload
    job.seed("w_example", paths[stems.index(open_now)] if open_now in stems else None)
    chosen = st.selectbox(
        t("scenario.example"),
        paths,
        format_func=lambda p: p.stem,
        key="w_example",
        placeholder=t("scenario.example_pick"),
    )
    if st.button(t("scenario.open"), key="w_open", disabled=chosen is None) and chosen is not None:
        job.replace(load_case(chosen), chosen.stem)
        for key in ("upload_problems", "upload_done"):
            st.session_state.pop(key, None)
        st.rerun()


def partners() -> None:
    """Choose the partner agencies from the catalog; a kept partner keeps its edited figures."""
    lang = job.lang()
    case, _ = job.case()
    catalog = case.catalog if case else stages.builtin_catalog()
    names = {a.id: getattr(a.names, lang) for a in catalog.agencies}
    entries = job.data().get("agencies", [])
    current = [str(e["id"]) for e in entries if isinstance(e, dict) and "id" in e]
    names.update({i: i for i in current if i not in names})
    # A checkbox a partner: all seven names stay readable (a multiselect clips its chips to one
    # line, pills scroll sideways), and leaving one out is a single click.
    st.markdown(f"**{t('scenario.partners')}**", help=t("scenario.partners_help"))
    ticked = {}
    for agency_id, label in names.items():
        job.seed(f"w_partner_{agency_id}", agency_id in current)
        ticked[agency_id] = st.checkbox(label, key=f"w_partner_{agency_id}")
    picked = [i for i in current if ticked[i]] + [
        i for i in names if ticked[i] and i not in current
    ]
    if picked != current:
        kept = {str(e["id"]): e for e in entries if isinstance(e, dict) and "id" in e}
        job.update({"agencies": [kept.get(i, {"id": i}) for i in picked]})


def summary() -> None:
    """The scenario at a glance, or the loader's problems."""
    case, problems = job.case()
    if case is None:
        st.error(t("problems.title") + "\n\n" + job.problem_lines(problems))
        return
    scenario = case.scenario
    st.caption(f"**{scenario.name}** · {scenario.description}")
    from shapely.geometry import Polygon

    cols = st.columns(4)
    cols[0].metric(t("scenario.partner_count"), len(scenario.agencies))
    visits = sum(a.annual_visits for a in scenario.agencies)
    cols[1].metric(t("scenario.visits"), num(visits))
    floor = Polygon(scenario.footprint.outline()).area
    cols[2].metric(t("scenario.floor"), m2(floor))
    cols[3].metric(t("scenario.revision"), f"{scenario.revision} · {scenario.date or '—'}")


st.title(t("page.scenario"))
st.markdown(t("scenario.intro"))
if "start_problems" in st.session_state:  # the scenario given on the command line
    st.error(
        t("scenario.start_failed")
        + "\n\n"
        + "\n".join(f"- `{x}`" for x in st.session_state["start_problems"])
    )
left, right = st.columns([2, 3], gap="large")  # room for the longest partner name
with left:
    st.subheader(t("scenario.start"))
    examples()
    upload()
with right:
    st.subheader(t("scenario.partners_title"))
    partners()
st.divider()
summary()
