"""Footprint page: the building as a rectangle, a polygon or a DXF drawing, with its doors and
windowed façades, previewed to scale; the loader checks the result like a scenario file."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from configurator.model.errors import ConfigError
from configurator.model.schema import Footprint
from ui import job, outputs
from ui.figures import footprint_figure
from ui.texts import t

MODES = ("rectangle", "polygon", "drawing")
# Largest drawing or model taken: a campus sheet of 6 300 strokes is 1.5 MB and a four-storey
# institute modelled in Archicad 11 MB (its ground floor reads in 2 s), so 60 MB is a large
# building's model, while the import of anything bigger would keep the page busy. (A comment,
# not a docstring: Streamlit would print a bare string in a page.)
UPLOAD_MB = 60


def synced(editor: str, truth: list[Any]) -> list[Any]:
    """The rows an editor starts from: the scenario's, anew when something else changed them.

    An editor holds its edits against the rows it was given. When the scenario's rows are no
    longer what the editor made last (a drawing was read, the shape changed), it starts over.
    """
    made = st.session_state.get(f"{editor}_made")
    if (
        editor not in st.session_state
        or f"{editor}_base" not in st.session_state
        or (made is not None and made != truth)
    ):
        st.session_state[f"{editor}_base"] = truth
        st.session_state.pop(editor, None)
    return list(st.session_state[f"{editor}_base"])


def current() -> dict[str, Any]:
    """The footprint data of the scenario."""
    return dict(job.data().get("footprint") or {})


def write(new: dict[str, Any]) -> None:
    """Put a footprint into the scenario unless it is the same building as before."""
    old = current()
    try:
        if Footprint.model_validate(new) == Footprint.model_validate(old):
            return
    except ValidationError:
        pass
    if new != old:
        job.update({"footprint": new})


def outline(footprint: dict[str, Any]) -> list[list[float]]:
    """The outline's corners, whether the footprint is a rectangle or a polygon."""
    if footprint.get("polygon"):
        return [list(map(float, p)) for p in footprint["polygon"]]
    w, d = footprint.get("rectangle") or (30.0, 20.0)
    return [[0.0, 0.0], [float(w), 0.0], [float(w), float(d)], [0.0, float(d)]]


def shape(footprint: dict[str, Any], mode: str) -> dict[str, Any]:
    """The outline part: a rectangle by its sides or a polygon by a vertex table."""
    rest = {k: v for k, v in footprint.items() if k not in ("rectangle", "polygon")}
    if mode == "rectangle":
        w, d = footprint.get("rectangle") or _extent(outline(footprint))
        cols = st.columns(2)
        job.seed("w_fp_width", float(w))
        job.seed("w_fp_depth", float(d))
        width = cols[0].number_input(t("footprint.width"), 1.0, 500.0, step=0.5, key="w_fp_width")
        depth = cols[1].number_input(t("footprint.depth"), 1.0, 500.0, step=0.5, key="w_fp_depth")
        return {"rectangle": [float(width), float(depth)], **rest}
    base = pd.DataFrame(synced("w_fp_vertices", outline(footprint)), columns=["x", "y"])
    st.caption(t("footprint.vertices_help"))
    table = st.data_editor(
        base,
        num_rows="dynamic",
        key="w_fp_vertices",
        column_config={
            "x": st.column_config.NumberColumn("x (m)", format="%.2f", required=True),
            "y": st.column_config.NumberColumn("y (m)", format="%.2f", required=True),
        },
        width="stretch",
    )
    points = [[float(x), float(y)] for x, y in table[["x", "y"]].dropna().itertuples(index=False)]
    st.session_state["w_fp_vertices_made"] = points
    return {"polygon": points, **rest}


def _extent(points: list[list[float]]) -> tuple[float, float]:
    """The width and depth of the box around an outline."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(xs) - min(xs), max(ys) - min(ys)


def drawing(footprint: dict[str, Any]) -> dict[str, Any] | None:
    """The building read from an uploaded DXF plan or IFC model (with its preview and notes),
    or None."""
    upload = st.file_uploader(
        t("footprint.dxf"), type=["dxf", "ifc"], key="w_fp_dxf", max_upload_size=UPLOAD_MB
    )
    if upload is not None:
        uploaded = (upload.name, upload.getvalue())
        if st.session_state.get("footprint_drawing") != uploaded:
            st.session_state["footprint_drawing"] = uploaded
            st.session_state.pop("footprint_building", None)
            st.session_state.pop("footprint_storey", None)
    given = st.session_state.get("footprint_drawing")
    if given is None:
        st.info(t("footprint.dxf_none"))
        return None
    name, data = given
    if name.lower().endswith(".ifc"):
        return model(footprint, name, data)
    units = st.selectbox(
        t("footprint.units"),
        ["file", "mm", "cm", "m", "in"],
        key="w_fp_units",
        format_func=lambda u: t("footprint.units_file") if u == "file" else u,
    )
    picked = st.session_state.get("footprint_building")
    entrances = json.dumps(footprint.get("entrances") or [])
    try:
        found, preview, buildings, notes = outputs.drawing_footprint(
            data, name, picked, None if units == "file" else units, entrances
        )
    except ConfigError as exc:
        st.error("\n".join(f"- `{p}`" for p in exc.problems))
        return None
    if len(buildings) > 1:
        choice = st.selectbox(
            t("footprint.building"), buildings, index=(picked or 1) - 1, key="w_fp_building"
        )
        chosen = buildings.index(choice) + 1
        if chosen != (picked or 1):
            st.session_state["footprint_building"] = chosen
            st.rerun()
    return _shown(name, found, preview, notes)


def model(footprint: dict[str, Any], name: str, data: bytes) -> dict[str, Any] | None:
    """The storey read from an uploaded IFC building model, the storey chosen from a list."""
    picked = st.session_state.get("footprint_storey")
    entrances = json.dumps(footprint.get("entrances") or [])
    try:
        found, preview, storeys, notes = outputs.model_footprint(data, name, picked, entrances)
    except ConfigError as exc:
        st.error("\n".join(f"- `{p}`" for p in exc.problems))
        return None
    taken = next(s for s, mark in storeys if mark)
    names = [s for s, _ in storeys]
    choice = st.selectbox(t("footprint.storey"), names, index=names.index(taken), key="w_fp_storey")
    if choice != taken:
        st.session_state["footprint_storey"] = choice
        st.rerun()
    return _shown(name, found, preview, notes)


def _shown(name: str, found: str, preview: bytes, notes: list[str]) -> dict[str, Any]:
    """Show what a drawing or model gave (its preview and notes); return its footprint."""
    with st.expander(t("footprint.from_drawing", name=name), expanded=False):
        st.image(preview, width="stretch")
        for note in notes:
            st.caption(t("footprint.own_doors") if note == "E525" else note)
    read: dict[str, Any] = json.loads(found)
    return {k: v for k, v in read.items() if v is not None}


def doors(footprint: dict[str, Any]) -> list[dict[str, Any]]:
    """The entrances as an editable table: id, where, width and kind."""
    given = [_door(e) for e in footprint.get("entrances") or []]
    rows = [
        {
            "id": e["id"],
            "x": e["at"][0],
            "y": e["at"][1],
            "width_m": e["width_m"],
            "kind": e["kind"],
        }
        for e in synced("w_fp_entrances", given)
    ]
    base = pd.DataFrame(rows, columns=["id", "x", "y", "width_m", "kind"])
    table = st.data_editor(
        base,
        num_rows="dynamic",
        key="w_fp_entrances",
        column_config={
            "id": st.column_config.TextColumn(t("footprint.door_id"), required=True),
            "x": st.column_config.NumberColumn("x (m)", format="%.2f", required=True),
            "y": st.column_config.NumberColumn("y (m)", format="%.2f", required=True),
            "width_m": st.column_config.NumberColumn(
                t("footprint.door_width"), min_value=0.9, max_value=10.0, format="%.1f"
            ),
            "kind": st.column_config.SelectboxColumn(
                t("footprint.door_kind"), options=["main", "side", "staff"], required=True
            ),
        },
        width="stretch",
    )
    out: list[dict[str, Any]] = []
    for row in table.itertuples(index=False):
        if pd.isna(row.x) or pd.isna(row.y):
            continue
        door: dict[str, Any] = {
            "id": str(row.id or f"door_{len(out) + 1}"),
            "at": [float(row.x), float(row.y)],
            "kind": str(row.kind or "main"),
        }
        door["width_m"] = float(row.width_m) if pd.notna(row.width_m) else 1.8
        out.append(door)
    st.session_state["w_fp_entrances_made"] = out
    return out


def _door(entrance: dict[str, Any]) -> dict[str, Any]:
    """An entrance with every field the table shows (the schema's defaults filled in)."""
    return {
        "id": str(entrance.get("id")),
        "at": [float(entrance["at"][0]), float(entrance["at"][1])],
        "kind": str(entrance.get("kind", "main")),
        "width_m": float(entrance.get("width_m", 1.8)),
    }


def windows(footprint: dict[str, Any]) -> Any:
    """Which façades have windows: all of them, or the edges ticked."""
    corners = outline(footprint)
    edges = [(corners[i], corners[(i + 1) % len(corners)]) for i in range(len(corners))]
    given = footprint.get("windows", "all")
    job.seed("w_fp_all_windows", given == "all")
    every = st.checkbox(t("footprint.all_windows"), key="w_fp_all_windows")
    if every:
        return "all"
    labels = [
        f"{n + 1}: ({a[0]:g}, {a[1]:g}) → ({b[0]:g}, {b[1]:g}), {math.dist(a, b):.1f} m"
        for n, (a, b) in enumerate(edges)
    ]
    ticked = [
        labels[n]
        for n, edge in enumerate(edges)
        if given != "all" and any(_same_edge(edge, w) for w in given)
    ]
    partial = (
        [w for w in given if not any(_same_edge(e, w) for e in edges)] if given != "all" else []
    )
    job.seed("w_fp_windows", ticked)
    chosen = st.multiselect(t("footprint.windows"), labels, key="w_fp_windows")
    if partial:
        st.caption(t("footprint.partial_windows", n=len(partial)))
    if set(chosen) == set(ticked):
        return given
    whole = [[edges[labels.index(c)][0], edges[labels.index(c)][1]] for c in chosen]
    return whole + [[list(a), list(b)] for a, b in partial]


def _same_edge(edge: tuple[list[float], list[float]], window: Any) -> bool:
    """Whether a windowed segment lies along an outline edge (either way round)."""
    (a, b), (c, d) = edge, window
    return (math.dist(a, c) < 0.01 and math.dist(b, d) < 0.01) or (
        math.dist(a, d) < 0.01 and math.dist(b, c) < 0.01
    )


def page() -> None:
    """The shape, the doors, the windows; the preview and the loader's messages beside."""
    lang = job.lang()
    footprint = current()
    mode_now = "polygon" if footprint.get("polygon") else "rectangle"
    if "footprint_drawing" in st.session_state:
        mode_now = "drawing"
    job.seed("w_fp_mode", mode_now)
    left, right = st.columns([1, 1], gap="large")
    with left:
        mode = st.radio(
            t("footprint.mode"),
            MODES,
            key="w_fp_mode",
            horizontal=True,
            format_func=lambda m: t(f"footprint.mode.{m}"),
        )
        if mode == "drawing":
            read = drawing(footprint)
            if read is not None:
                write(read)
                footprint = current()
        else:
            if "footprint_drawing" in st.session_state and mode != "drawing":
                st.session_state.pop("footprint_drawing", None)
            footprint = shape(footprint, mode)
        st.subheader(t("footprint.doors"))
        footprint["entrances"] = doors(footprint)
        st.subheader(t("footprint.windows_title"))
        footprint["windows"] = windows(footprint)
        if footprint.get("obstacles"):
            st.caption(t("footprint.obstacles", n=len(footprint["obstacles"])))
        write(footprint)
    with right:
        case, problems = job.case()
        mine = [p for p in problems if p.path.startswith("footprint")]
        if case is not None:
            st.plotly_chart(
                footprint_figure(case.scenario.footprint, lang=lang),
                width="stretch",
                key="footprint_chart",
            )
        elif mine:
            st.error(job.problem_lines(mine))
        else:
            st.error(t("problems.title") + "\n\n" + job.problem_lines(problems))


st.title(t("page.footprint"))
st.markdown(t("footprint.intro"))
page()
