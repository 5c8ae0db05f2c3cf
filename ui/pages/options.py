"""Options page: generate plan options one attempt at a time, look at them, choose one."""

from __future__ import annotations

import streamlit as st

from configurator.documents.i18n import text
from configurator.model.errors import ConfigError, LayoutError
from configurator.review.ranking import KPIS, compare_options
from configurator.sizing.counts import SizingError
from ui import job, outputs, stages
from ui.figures import kpi_figure, plan_figure
from ui.texts import t


def generate(case_json: str) -> None:
    """The option count and the button that lays them out, with a progress bar."""
    cols = st.columns([1, 1, 2], vertical_alignment="bottom")
    job.seed("w_option_count", int(st.session_state.get(job.OPTIONS, 3)))
    count = int(cols[0].number_input(t("options.count"), 1, 6, step=1, key="w_option_count"))
    st.session_state[job.OPTIONS] = count
    if cols[1].button(t("options.generate"), type="primary", key="w_generate"):
        bar = st.progress(0.0, text=t("options.progress", kept=0, wanted=count))

        def heard(kept: int, wanted: int) -> None:
            bar.progress(
                min(1.0, kept / wanted), text=t("options.progress", kept=kept, wanted=wanted)
            )

        try:
            stages.search(case_json, count, heard)
        except LayoutError as exc:
            bar.empty()
            st.error(str(exc))
            return
        bar.empty()
        st.session_state[job.MADE] = (job.key(), count)
        st.session_state[job.CHOSEN] = 1


def show(case_json: str, count: int) -> None:
    """The chosen option's interactive plan with persona paths, its audit, and the comparison."""
    lang = job.lang()
    case, _ = job.case()
    assert case is not None
    plans, kpis = stages.layout(case_json, count)
    if len(plans) < count:
        key = "options.fewer_one" if len(plans) == 1 else "options.fewer"
        st.info(t(key, made=len(plans), asked=count))
    labels = [
        f"{p.option}: {t('strategy.' + p.strategy)} ({t('options.seed')} {p.seed})" for p in plans
    ]
    chosen = min(int(st.session_state.get(job.CHOSEN, 1)), len(plans))
    job.seed("w_chosen", labels[chosen - 1])
    if st.session_state["w_chosen"] not in labels:
        st.session_state["w_chosen"] = labels[0]
    picked = st.radio(t("options.choose"), labels, key="w_chosen", horizontal=True)
    option = labels.index(picked) + 1
    st.session_state[job.CHOSEN] = option
    plan = plans[option - 1]
    plan_json = plan.model_dump_json()
    job.seed("w_paths", True)
    paths = st.toggle(t("options.paths"), key="w_paths")
    routes = outputs.routes(plan_json, case_json) if paths else None
    st.plotly_chart(
        plan_figure(plan, catalog=case.catalog, lang=lang, routes=routes),
        width="stretch",
        key="plan_chart",
        config={"scrollZoom": True, "displaylogo": False},
    )
    problems = outputs.audit(plan_json, case_json)
    if problems:
        st.error(t("options.audit_bad") + "\n\n" + "\n".join(f"- {p}" for p in problems))
    else:
        st.success(t("options.audit_ok", option=option))
    broken = outputs.rules(plan_json, case_json)
    if broken:
        st.warning(t("options.rules_bad") + "\n\n" + "\n".join(f"- {p}" for p in broken))
    else:
        st.success(t("options.rules_ok", option=option))
    comparison = compare_options(kpis)
    st.subheader(t("options.compare"))
    st.markdown(
        t("options.recommended", option=comparison.recommended)
        if comparison.recommended_meets_targets
        else t("options.none_meet", option=comparison.recommended)
    )
    rows = []
    for spec in KPIS:
        row: dict[str, object] = {t("options.kpi"): text(f"kpi.{spec.key}", lang)}
        row[t("options.target")] = (
            "—"
            if spec.target is None
            else (f"{'≥' if spec.better == 'higher' else '≤'} {spec.target:g}")
        )
        for n, value in enumerate(comparison.values[spec.key]):
            met = comparison.meets[spec.key][n]
            shown = f"{100 * value:.0f} %" if spec.kind == "share" else f"{value:g}"
            mark = "" if met is None else (" ✓" if met else " ✗")
            row[f"{t('fig.option_short')} {comparison.options[n]}"] = f"{shown}{mark}"
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")
    st.plotly_chart(kpi_figure(comparison, lang=lang), width="stretch", key="kpi_chart")
    evacuate(plan_json, case_json, option)


def evacuate(plan_json: str, case_json: str, option: int) -> None:
    """The evacuate button (JuPedSim, with a progress bar) and, once run, the times against the
    hand calculation, each exit's share, the evacuation curve and the RSET map."""
    st.subheader(t("evac.title"))
    st.caption(t("evac.help"))
    key = (job.key(), option)
    if st.button(t("evac.run"), key="w_evacuate"):
        bar = st.progress(0.0, text=t("evac.progress", out=0, total=0))

        def heard(out: int, total: int) -> None:
            bar.progress(
                out / total if total else 0.0, text=t("evac.progress", out=out, total=total)
            )

        try:
            st.session_state[outputs.EVACUATION] = (
                key,
                outputs.evacuation(plan_json, case_json, job.lang(), heard),
            )
        except ConfigError as exc:
            bar.empty()
            st.error(t("problems.title") + "\n\n" + job.problem_lines(exc.problems))
            return
        bar.empty()
    kept = st.session_state.get(outputs.EVACUATION)
    if kept is None or kept[0] != key:
        return
    result, curve, rset = kept[1]
    cols = st.columns(5)
    cols[0].metric(t("evac.persons"), f"{result.left} / {result.persons}")
    for col, label, value in zip(
        cols[1:4],
        ("50 %", "90 %", t("evac.all")),
        (result.t50_s, result.t90_s, result.t100_s),
        strict=True,
    ):
        col.metric(label, "—" if value is None else f"{value:.0f} s")
    cols[4].metric(t("evac.hand"), f"{result.hand.total_s:.0f} s")
    st.dataframe(
        [
            {t("evac.exit"): e.exit, t("evac.width"): e.width_m, t("evac.people"): e.persons,
             t("evac.last"): e.t100_s, t("evac.flow"): e.mean_flow_per_s}
            for e in result.exits
        ],
        hide_index=True,
    )  # fmt: skip
    left, right = st.columns(2)
    left.image(curve, use_container_width=True)
    right.image(rset, use_container_width=True)


def page() -> None:
    """Generate when asked; show what was generated for the scenario as it is now."""
    case, problems = job.case()
    if case is None:
        st.error(t("problems.title") + "\n\n" + job.problem_lines(problems))
        return
    case_json = case.model_dump_json()
    try:
        stages.size(case_json)
    except SizingError as exc:
        st.error(str(exc))
        return
    generate(case_json)
    made = st.session_state.get(job.MADE)
    if made is None:
        st.info(t("options.none_yet"))
    elif made[0] != job.key():
        st.warning(t("options.stale"))
    else:
        show(case_json, int(made[1]))


st.title(t("page.options"))
page()
