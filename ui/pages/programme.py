"""Programme page: the sized programme with each row's reason, subtotals, pooling and rent."""

from __future__ import annotations

import streamlit as st

from configurator.documents.tables import cost_rows, pooling_rows
from configurator.sizing.counts import SizingError
from ui import job, stages
from ui.figures import pooling_figure
from ui.texts import m2, num, t


def programme() -> None:
    """Headline figures, the programme rows, zone and privacy subtotals, pooling, rent."""
    lang = job.lang()
    case, problems = job.case()
    if case is None:
        st.error(t("problems.title") + "\n\n" + job.problem_lines(problems))
        return
    try:
        program, pooling = stages.size(case.model_dump_json())
    except SizingError as exc:
        st.error(str(exc))
        return
    totals = program.totals
    cols = st.columns([1, 1, 1.1, 0.8, 1.3])
    cols[0].metric(t("programme.net"), m2(totals.net_m2), help=t("programme.net_help"))
    cols[1].metric(t("programme.usable"), m2(totals.usable_m2), help=t("programme.usable_help"))
    cols[2].metric(t("programme.gross"), m2(totals.gross_m2), help=t("programme.gross_help"))
    cols[3].metric(t("programme.staff"), program.staff_on_site)
    cols[4].metric(t("programme.rent"), num(program.rent_eur_year))
    zones = {z.id: z for z in case.catalog.zones}
    rows = [
        {
            t("programme.col.name"): getattr(r.names, lang),
            t("programme.col.zone"): getattr(zones[r.zone].names, lang)
            if r.zone in zones
            else r.zone,
            t("programme.col.privacy"): t(f"privacy.{r.privacy}"),
            t("programme.col.count"): r.count,
            t("programme.col.unit_area"): round(r.unit_area_m2, 1),
            t("programme.col.area"): round(r.area_m2, 1),
            t("programme.col.why"): r.explanation_in(lang),
        }
        for r in program.rows
        if r.count
    ]
    st.subheader(t("programme.rows"))
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={t("programme.col.why"): st.column_config.TextColumn(width="large")},
    )
    left, right = st.columns(2)
    with left:
        st.subheader(t("programme.by_zone"))
        st.dataframe(
            [
                {
                    t("programme.col.zone"): getattr(zones[z].names, lang) if z in zones else z,
                    t("programme.col.net"): round(a, 1),
                    t("programme.col.share"): f"{a / totals.net_m2:.0%}" if totals.net_m2 else "",
                }
                for z, a in program.net_by_zone.items()
            ],
            hide_index=True,
            width="stretch",
        )
    with right:
        st.subheader(t("programme.by_privacy"))
        st.dataframe(
            [
                {
                    t("programme.col.privacy"): t(f"privacy.{p}"),
                    t("programme.col.net"): round(a, 1),
                    t("programme.col.share"): f"{a / totals.net_m2:.0%}" if totals.net_m2 else "",
                }
                for p, a in program.net_by_privacy.items()
            ],
            hide_index=True,
            width="stretch",
        )
    st.subheader(t("programme.pooling"))
    st.success(
        t(
            "programme.pooling_line",
            shared=m2(pooling.shared_usable_m2),
            separate=m2(pooling.separate_usable_m2),
            saving=m2(pooling.saving_m2),
            share=f"{pooling.saving_share:.0%}",
            rent=num(pooling.saving_rent_eur_year),
        )
    )
    st.plotly_chart(pooling_figure(pooling, lang=lang), width="stretch", key="pooling_chart")
    with st.expander(t("programme.pooling_table")):
        st.dataframe(pooling_rows(pooling), hide_index=True, width="stretch")
    st.subheader(t("programme.allocation"))
    st.dataframe(cost_rows(program), hide_index=True)
    st.caption(program.allocation_rule)


st.title(t("page.programme"))
programme()
