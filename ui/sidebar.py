"""The sidebar every page shares: the checklist of the steps done and the scenario download."""

from __future__ import annotations

import streamlit as st
import yaml

from configurator.inputs.catalog import scenario_yaml
from configurator.sizing.counts import SizingError
from ui import job, stages
from ui.texts import num, t

DONE = ":material/check_circle:"
TODO = ":material/radio_button_unchecked:"
BAD = ":material/error:"


def checklist() -> None:
    """Show which steps are done, which are still to do and which need fixing."""
    case, problems = job.case()
    marks: list[tuple[str, str, str]] = []
    name = str(job.data().get("name", ""))
    marks.append((DONE if case else BAD, t("page.scenario"), name))
    demand_bad = [p for p in problems if not p.path.startswith("footprint")]
    marks.append(
        (
            BAD if demand_bad else DONE,
            t("page.demand"),
            t("check.problems", n=len(demand_bad))
            if demand_bad
            else t("check.partners", n=len(job.data().get("agencies", []))),
        )
    )
    sized = None
    if case is not None:
        try:
            sized = stages.size(case.model_dump_json())[0]
        except SizingError:
            sized = None
    marks.append(
        (
            DONE if sized else BAD,
            t("page.programme"),
            t("check.usable", m2=num(sized.totals.usable_m2)) if sized else "",
        )
    )
    foot_bad = [p for p in problems if p.path.startswith("footprint")]
    marks.append(
        (
            BAD if foot_bad else DONE,
            t("page.footprint"),
            t("check.problems", n=len(foot_bad)) if foot_bad else "",
        )
    )
    made = st.session_state.get(job.MADE)
    current = made is not None and made[0] == job.key()
    marks.append(
        (
            DONE if current else TODO,
            t("page.options"),
            t("check.chosen", n=st.session_state.get(job.CHOSEN, 1)) if current else "",
        )
    )
    printed = any(k in st.session_state for k in ("booklet_pdf", "report_pdf"))
    marks.append((DONE if printed else TODO, t("page.exports"), ""))
    st.markdown(f"**{t('check.title')}**")
    st.markdown(
        "\n".join(
            f"{mark} {step}" + (f" · {note}" if note else "") + "  " for mark, step, note in marks
        )
    )


def scenario_download() -> None:
    """Offer the scenario as it stands, valid or not, as YAML (it loads back as it is)."""
    case, _ = job.case()
    text = (
        scenario_yaml(case)
        if case
        else yaml.safe_dump(job.data(), sort_keys=False, allow_unicode=True)
    )
    st.download_button(
        t("download.yaml"),
        text,
        file_name=f"{st.session_state.get(job.NAME, 'scenario')}-edited.yaml",
        mime="application/x-yaml",
        help=t("download.yaml_help"),
        key="download_yaml",
    )
