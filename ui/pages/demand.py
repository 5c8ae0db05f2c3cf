"""Demand page: each partner's figures in editable tables, the targets and the area factors.

Each edit goes back into the scenario data and through the scenario loader again, whose
messages (field, what was expected, code) are shown beside the tables.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from configurator.model.schema import Agency, ChannelFigures, ServiceTargets, SpaceFactors
from ui import job
from ui.fields import bounds, default, described
from ui.texts import t

CHANNELS = ("self_service", "quick_counter", "appointment", "remote", "group")
VISITS = (
    "annual_visits",
    "opening_days",
    "opening_hours",
    "peak_day_factor",
    "peak_hour_factor",
    "group_size",
    "staff_on_site",
    "shares_counters",
)
EDITORS = ("w_demand_visits", "w_demand_split", "w_demand_handling")


def agencies() -> list[dict[str, Any]]:
    """The partners' figures: as the loader merged them when the scenario holds, else as kept."""
    case, _ = job.case()
    if case is not None:
        return [a.model_dump(mode="json") for a in case.scenario.agencies]
    return [e for e in job.data().get("agencies", []) if isinstance(e, dict)]


def frames(rows: list[dict[str, Any]], lang: str) -> dict[str, pd.DataFrame]:
    """One table per editor: visits and staff, the channel split, the handling times."""
    names = [r.get("names", {}).get(lang, r.get("id", "")) for r in rows]
    visits = pd.DataFrame([{k: r.get(k) for k in VISITS} for r in rows])
    split = pd.DataFrame(
        [{c: (r.get("channel_split") or {}).get(c) for c in CHANNELS} for r in rows]
    )
    handling = pd.DataFrame(
        [{c: (r.get("handling_time_min") or {}).get(c) for c in CHANNELS} for r in rows]
    )
    for frame in (visits, split, handling):
        frame.insert(0, "agency", names)
    return {EDITORS[0]: visits, EDITORS[1]: split, EDITORS[2]: handling}


def columns(editor: str) -> dict[str, Any]:
    """Column types with the schema's bounds and descriptions."""
    config: dict[str, Any] = {
        "agency": st.column_config.TextColumn(t("demand.agency"), disabled=True)
    }
    if editor == EDITORS[0]:
        for name in VISITS:
            if name == "shares_counters":
                config[name] = st.column_config.CheckboxColumn(
                    t(f"demand.{name}"), help=described(Agency, name)
                )
                continue
            low, high = bounds(Agency, name)
            whole = name in ("annual_visits", "opening_days", "staff_on_site")
            config[name] = st.column_config.NumberColumn(
                t(f"demand.{name}"),
                min_value=low,
                max_value=high,
                step=1 if whole else 0.01,
                format="%d" if whole else "%.2f",
                required=True,
                help=described(Agency, name),
            )
        return config
    share = editor == EDITORS[1]
    for channel in CHANNELS:
        low, high = bounds(ChannelFigures, channel)
        config[channel] = st.column_config.NumberColumn(
            t(f"demand.channel.{channel}"),
            min_value=low,
            max_value=1.0 if share else high,
            step=0.01 if share else 0.5,
            format="%.2f" if share else "%.1f",
            required=True,
        )
    return config


def merged(rows: list[dict[str, Any]], edited: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """The scenario's agency entries with every figure the tables changed written in."""
    entries = job.data().get("agencies", [])
    out = []
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or n >= len(rows):
            out.append(entry)
            continue
        new = dict(entry)
        visits = edited[EDITORS[0]].iloc[n]
        for name in VISITS:
            value = visits[name]
            if pd.isna(value):
                continue
            value = bool(value) if name == "shares_counters" else _number(value)
            if value != rows[n].get(name):
                new[name] = value
        for editor, field in ((EDITORS[1], "channel_split"), (EDITORS[2], "handling_time_min")):
            figures = dict(rows[n].get(field) or {})
            for channel in CHANNELS:
                value = edited[editor].iloc[n][channel]
                if pd.notna(value):
                    figures[channel] = _number(value)
            if figures != (rows[n].get(field) or {}):
                new[field] = figures
        out.append(new)
    return out


def _number(value: Any) -> int | float:
    """A table cell as a plain number (whole numbers stay whole)."""
    number = float(value)
    return int(number) if number.is_integer() else number


def tables(lang: str) -> None:
    """The three editors; what they hold is written back into the scenario."""
    fresh = not any(k in st.session_state for k in EDITORS)
    if fresh or "demand_base" not in st.session_state:
        st.session_state["demand_base"] = agencies()
    rows: list[dict[str, Any]] = st.session_state["demand_base"]
    base = frames(rows, lang)
    tabs = st.tabs([t("demand.tab.visits"), t("demand.tab.split"), t("demand.tab.handling")])
    edited: dict[str, pd.DataFrame] = {}
    for tab, editor in zip(tabs, EDITORS, strict=True):
        with tab:
            edited[editor] = st.data_editor(
                base[editor],
                column_config=columns(editor),
                hide_index=True,
                num_rows="fixed",
                key=editor,
                width="stretch",
            )
            if editor == EDITORS[1]:
                sums = edited[editor][list(CHANNELS)].sum(axis=1)
                st.caption(
                    t("demand.split_sums")
                    + ", ".join(
                        f"{a}: {s:.2f}" for a, s in zip(edited[editor]["agency"], sums, strict=True)
                    )
                )
    new = merged(rows, edited)
    if new != job.data().get("agencies"):
        job.update({"agencies": new})


def targets() -> None:
    """Service targets and area factors, each bounded as the schema bounds it."""
    data = job.data()
    given_targets = dict(data.get("targets") or {})
    given_factors = dict(data.get("factors") or {})
    left, right = st.columns(2)
    with left:
        st.subheader(t("demand.targets"))
        for name, scale in (
            ("counter_level", 1.0),
            ("counter_wait_s", 60.0),
            ("self_service_wait_s", 60.0),
            ("room_utilisation", 1.0),
            ("desk_sharing_ratio", 1.0),
            ("companions_factor", 1.0),
        ):
            _number_input(ServiceTargets, name, given_targets, scale)
    with right:
        st.subheader(t("demand.factors"))
        for name in ("circulation_factor", "gross_factor", "rent_eur_per_m2_month"):
            _number_input(SpaceFactors, name, given_factors, 1.0)
    if given_targets != (data.get("targets") or {}) or given_factors != (data.get("factors") or {}):
        job.update({"targets": given_targets, "factors": given_factors})


def _number_input(
    model: type[ServiceTargets] | type[SpaceFactors], name: str, given: dict[str, Any], scale: float
) -> None:
    """One bounded number input seeded from the scenario, written into ``given`` when changed;
    ``scale`` shows seconds as minutes."""
    low, high = bounds(model, name)
    value = float(given.get(name, default(model, name))) / scale
    widget = f"w_{name}"
    job.seed(widget, value)
    shown = st.number_input(
        t(f"demand.{name}"),
        min_value=None if low is None else low / scale,
        max_value=None if high is None else high / scale,
        step=0.5 if scale > 1 else 0.01,
        key=widget,
        help=described(model, name),
    )
    new = round(float(shown) * scale, 6)
    if abs(new - value * scale) > 1e-9:
        given[name] = new


st.title(t("page.demand"))
st.markdown(t("demand.intro"))
lang = job.lang()
main, side = st.columns([3, 1], gap="medium")
with main:
    tables(lang)
with side:
    st.subheader(t("demand.check"))
    _, problems = job.case()
    if problems:
        st.error(job.problem_lines(problems))
    else:
        st.success(t("demand.ok"))
st.divider()
targets()
