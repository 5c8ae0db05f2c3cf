"""Options page: generate plan options one attempt at a time, look at them, choose one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    design_day(plan_json, case_json, option, lang)
    evacuate(plan_json, case_json, option)


def _simulation(
    label: str,
    widget: str,
    state: str,
    key: tuple[object, int],
    said: Callable[[float, float], str],
    run: Callable[[Callable[[float, float], None]], Any],
) -> Any | None:
    """A simulation's button, running it with a progress bar; return what the last run for
    ``key`` (the scenario and option) made, or None (not run yet, or its problems shown)."""
    if st.button(label, key=widget):
        bar = st.progress(0.0, text=said(0.0, 0.0))

        def heard(done: float, total: float) -> None:
            bar.progress(min(1.0, done / total) if total else 0.0, text=said(done, total))

        try:
            st.session_state[state] = (key, run(heard))
        except ConfigError as exc:
            bar.empty()
            st.error(t("problems.title") + "\n\n" + job.problem_lines(exc.problems))
            return None
        bar.empty()
    kept = st.session_state.get(state)
    return None if kept is None or kept[0] != key else kept[1]


def design_day(plan_json: str, case_json: str, option: int, lang: str) -> None:
    """The simulate-the-day button (JuPedSim, with a progress bar) and, once run, the heat map
    of peak occupancy on the plan with people as dots at the time the slider picks, the
    verdict per space, the services' waits and the occupancy curve."""
    from configurator.model.plan import Plan
    from configurator.simulation.day_pictures import clock, verdict_text

    st.subheader(t("day.title"))
    st.caption(t("day.help"))
    made = _simulation(
        t("day.run"), "w_day", outputs.DAY, (job.key(), option),
        lambda now, _end: t("day.progress", at=clock(now, 8.0)),
        lambda heard: outputs.day(plan_json, case_json, job.lang(), heard),
    )  # fmt: skip
    if made is None:
        return
    result, heat, occupancy = made
    over = result.over()
    cols = st.columns(4)
    cols[0].metric(t("day.visitors"), result.visitors)
    cols[1].metric(t("day.left"), result.left)
    cols[2].metric(t("day.stuck"), result.stuck)
    cols[3].metric(t("day.over"), len(over))
    if over:
        st.warning(t("day.over_list", spaces=", ".join(s.space for s in over)))
    else:
        st.success(t("day.holds"))
    frames = result.frames
    busiest = max(range(len(frames)), key=lambda k: (len(frames[k][1]), -k)) if frames else 0
    dots: list[tuple[float, float]] = []
    if frames:
        times = [clock(at, 8.0) for at, _ in frames]
        picked = st.select_slider(t("day.time"), options=list(range(len(frames))),
                                  value=busiest, format_func=lambda k: times[k],
                                  key="w_day_time")  # fmt: skip
        dots = frames[int(picked)][1]
        st.caption(t("day.dots", people=len(dots), at=times[int(picked)]))
    case, _ = job.case()
    if case is not None:
        plan = Plan.model_validate_json(plan_json)
        st.plotly_chart(
            plan_figure(plan, catalog=case.catalog, lang=lang, heat=heat, dots=dots),
            width="stretch", key="day_plan",
        )  # fmt: skip
    st.dataframe(
        [
            {t("day.space"): s.space, t("day.capacity"): s.capacity, t("day.peak"): s.peak,
             t("day.at"): clock(s.peak_at_s, 8.0), t("day.density"): s.peak_density_per_m2,
             t("day.verdict"): verdict_text(s, opens_h=8.0, lang=lang)}
            for s in result.spaces
            if s.capacity is not None and s.peak > 0
        ],
        hide_index=True,
    )  # fmt: skip
    st.dataframe(
        [
            {t("day.service"): s.service, t("day.servers"): s.servers, t("day.served"): s.served,
             t("day.mean_wait"): s.mean_wait_s, t("day.p90_wait"): s.p90_wait_s,
             t("day.max_queue"): s.max_queue}
            for s in result.services
        ],
        hide_index=True,
    )  # fmt: skip
    left, _ = st.columns(2)
    left.image(occupancy, use_container_width=True)


def evacuate(plan_json: str, case_json: str, option: int) -> None:
    """The evacuate button (JuPedSim, with a progress bar) and, once run, the times against the
    hand calculation, each exit's share, the evacuation curve and the RSET map."""
    st.subheader(t("evac.title"))
    st.caption(t("evac.help"))
    made = _simulation(
        t("evac.run"), "w_evacuate", outputs.EVACUATION, (job.key(), option),
        lambda out, total: t("evac.progress", out=int(out), total=int(total)),
        lambda heard: outputs.evacuation(plan_json, case_json, job.lang(), heard),
    )  # fmt: skip
    if made is None:
        return
    result, curve, rset = made
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
