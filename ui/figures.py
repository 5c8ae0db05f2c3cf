"""Interactive figures for the UI (plotly): the plan, the footprint, pooling and the KPIs.

The plan is drawn to true scale with one filled trace per room, so hovering shows the room's
name, type, area and zone; the persona paths are line traces the legend switches on and off.
Figures are plain data built from validated models; the UI only shows them.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots
from shapely.geometry import Polygon

from configurator.documents.annotation import SPARE_COLOUR, SPARE_DOOR_COLOUR
from configurator.documents.i18n import number, text
from configurator.model.plan import Plan
from configurator.model.schema import Catalog, Footprint, Point
from configurator.review.ranking import Comparison
from configurator.review.routes import Route
from configurator.sizing.program import PoolingComparison

__all__ = ["footprint_figure", "kpi_figure", "plan_figure", "pooling_figure"]

_INK = "#333333"
_CORRIDOR = "#F2F2F2"
_STAFF_CORRIDOR = "#E4E4E4"
_SOLID = "#9A9A9A"
_WINDOW = "#2F80ED"
_PATHS = ("#D7263D", "#1B998B", "#F46036", "#2E294E", "#8E5572", "#3D5A80")
_SHARES = ("adjacency_satisfaction", "daylight_share", "guard_visibility", "compactness")


def _solid(polygon: list[Point], hover: str) -> go.Scatter:
    """A column, shaft or other obstacle: filled dark, its hover the text given."""
    xs, ys = _ring(polygon)
    return go.Scatter(
        x=xs,
        y=ys,
        fill="toself",
        fillcolor=_SOLID,
        line={"color": _INK, "width": 0.8},
        mode="lines",
        name=hover,
        hoverinfo="name",
        hoverlabel={"namelength": -1},
        showlegend=False,
    )


def _hoverable(
    polygon: list[Point], ident: str, hover: str, colour: str, line: dict[str, object]
) -> go.Scatter:
    """A room or spare area: filled, one trace, its hover the text given wherever it is filled.

    A fill's hover shows the trace's name only (plotly ignores hovertemplate there).
    """
    xs, ys = _ring(polygon)
    return go.Scatter(
        x=xs,
        y=ys,
        fill="toself",
        fillcolor=colour,
        line=line,
        mode="lines",
        name=hover,
        meta=ident,
        hoveron="fills",
        hoverlabel={"namelength": -1},
        showlegend=False,
    )


def _ring(points: list[Point]) -> tuple[list[float], list[float]]:
    """Return a closed ring's x and y lists."""
    xs = [p[0] for p in points] + [points[0][0]]
    ys = [p[1] for p in points] + [points[0][1]]
    return xs, ys


def _true_scale(figure: go.Figure, height: int) -> None:
    """One metre is as long across as up, the plan fills the width, no grid."""
    figure.update_xaxes(visible=False, constrain="domain")
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.0, constrain="domain")
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="white",
        hoverlabel={"bgcolor": "white", "font": {"size": 13}},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top"},
        dragmode="pan",
    )


def plan_figure(
    plan: Plan,
    *,
    catalog: Catalog,
    lang: str,
    routes: list[Route] | None = None,
    height: int = 620,
    heat: dict[str, tuple[str, str]] | None = None,
    dots: list[tuple[float, float]] | None = None,
) -> go.Figure:
    """Draw a plan: corridors, rooms (one hoverable trace each), cores, entrances, paths;
    with ``heat`` (room id → fill colour, a hover line) the rooms take those colours (the
    day's peak occupancy), with ``dots`` people stand on it."""
    zones = {z.id: z for z in catalog.zones}
    figure = go.Figure()
    for corridor in plan.corridors:
        xs, ys = _ring(corridor.polygon)
        kind = "hall" if corridor.kind == "hall" else "corridor"
        label = text(f"fig.{'staff_corridor' if corridor.staff_only else kind}", lang)
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                fillcolor=_STAFF_CORRIDOR if corridor.staff_only else _CORRIDOR,
                line={"color": "#BBBBBB", "width": 0.5},
                mode="lines",
                name=label,
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for room in plan.rooms:
        zone = zones.get(room.zone)
        colour = zone.colour if zone else "#DDDDDD"
        zone_name = getattr(zone.names, lang) if zone else room.zone
        space = catalog.space_type(room.space_type)
        area = Polygon(room.polygon).area
        hover = (
            f"<b>{getattr(room.names, lang)}</b><br>"
            f"{text('fig.type', lang)}: {getattr(space.names, lang)}<br>"
            f"{text('fig.area', lang)}: {number(area, lang)} m²<br>"
            f"{text('fig.zone', lang)}: {zone_name}"
        )
        line = {"color": _INK, "width": 1.2 if room.enclosed else 0.6}
        if heat is not None:
            colour, said = heat.get(room.id, ("#F4F4F4", ""))
            hover += f"<br>{said}" if said else ""
        figure.add_trace(_hoverable(room.polygon, room.id, hover, colour, line))
    for spare in plan.spares:
        hover = (
            f"<b>{text('fig.spare', lang)}</b> ({spare.id})<br>"
            f"{text('fig.area', lang)}: {number(spare.area_m2, lang)} m²<br>"
            f"{text('fig.rent', lang)}: {number(spare.rent_eur_year, lang, 0)} €/a"
        )
        line = {"color": "#44546A", "width": 1.2, "dash": "dash"}
        figure.add_trace(_hoverable(spare.polygon, spare.id, hover, SPARE_COLOUR, line))
    for obstacle in plan.obstacles:
        figure.add_trace(_solid(obstacle.polygon, text("fig.obstacle", lang)))
    xs, ys = _ring(plan.footprint)
    figure.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": _INK, "width": 3},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    _entrances(figure, [(e.at, e.kind, e.id) for e in plan.entrances], lang)
    for n, route in enumerate(routes or []):
        figure.add_trace(
            go.Scatter(
                x=[p[0] for p in route.points],
                y=[p[1] for p in route.points],
                mode="lines",
                line={"color": _PATHS[n % len(_PATHS)], "width": 3},
                opacity=0.85,
                name=f"{getattr(route.names, lang)} ({number(route.length_m, lang, 0)} m)",
                legendgroup="paths",
                legendgrouptitle={"text": text("fig.paths", lang)} if n == 0 else None,
                meta=route.persona,
                hovertemplate=(
                    f"<b>{getattr(route.names, lang)}</b><br>"
                    f"{getattr(route.path_names, lang)}<br>"
                    f"{text('fig.walk', lang)}: {number(route.length_m, lang, 0)} m<extra></extra>"
                ),
            )
        )
    if dots:
        figure.add_trace(
            go.Scatter(
                x=[x for x, _ in dots],
                y=[y for _, y in dots],
                mode="markers",
                marker={"size": 5, "color": "#1A1A1A"},
                meta="people",
                hoverinfo="skip",
                showlegend=False,
            )
        )
    _true_scale(figure, height)
    return figure


def _entrances(figure: go.Figure, doors: list[tuple[Point, str, str]], lang: str) -> None:
    """Mark the façade doors: a filled triangle for visitors, an open one for staff, a star for
    a spare area's own new door."""
    marks = {
        "visitors": ("fig.entrance", "triangle-up", _INK),
        "staff": ("fig.staff_entrance", "triangle-up-open", _INK),
        "spare": ("fig.spare_entrance", "star", SPARE_DOOR_COLOUR),
    }
    for group, (key, symbol, colour) in marks.items():
        chosen = [d for d in doors if (d[1] if d[1] in ("staff", "spare") else "visitors") == group]
        if not chosen:
            continue
        label = text(key, lang)
        figure.add_trace(
            go.Scatter(
                x=[d[0][0] for d in chosen],
                y=[d[0][1] for d in chosen],
                mode="markers",
                marker={
                    "symbol": symbol,
                    "size": 14,
                    "color": colour,
                    "line": {"width": 2, "color": colour},
                },
                name=label,
                text=[d[2] for d in chosen],
                hovertemplate=f"{label}: %{{text}}<extra></extra>",
                showlegend=False,
            )
        )


def footprint_figure(footprint: Footprint, *, lang: str, height: int = 420) -> go.Figure:
    """Draw a footprint to scale: outline, fixed elements, windowed façades, entrances, area."""
    outline = footprint.outline()
    shape = Polygon(outline)
    solids = [Polygon(o.polygon) for o in footprint.obstacles]
    usable = shape.difference(Polygon()).area - sum(s.intersection(shape).area for s in solids)
    figure = go.Figure()
    xs, ys = _ring(outline)
    figure.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            fill="toself",
            fillcolor="#FAFAF5",
            line={"color": _INK, "width": 2},
            mode="lines",
            name=text("fig.floor", lang),
            hovertemplate=(
                f"{text('fig.floor', lang)}: {number(shape.area, lang)} m²<extra></extra>"
            ),
            showlegend=False,
        )
    )
    for obstacle in footprint.obstacles:
        figure.add_trace(_solid(obstacle.polygon, f"{obstacle.id} ({obstacle.kind})"))
    windows = [(outline[i], outline[(i + 1) % len(outline)]) for i in range(len(outline))]
    if footprint.windows != "all":
        windows = list(footprint.windows)
    for a, b in windows:
        figure.add_trace(
            go.Scatter(
                x=[a[0], b[0]],
                y=[a[1], b[1]],
                mode="lines",
                line={"color": _WINDOW, "width": 5},
                name=text("fig.window", lang),
                hovertemplate=(
                    f"{text('fig.window', lang)}: {number(math.dist(a, b), lang)} m<extra></extra>"
                ),
                showlegend=False,
            )
        )
    _entrances(figure, [(e.at, e.kind, e.id) for e in footprint.entrances], lang)
    figure.update_layout(
        title={
            "text": f"{text('fig.floor', lang)} {number(shape.area, lang, 0)} m², "
            f"{text('fig.usable', lang).split(',')[0].lower()} {number(usable, lang, 0)} m²",
            "font": {"size": 14},
        }
    )
    _true_scale(figure, height)
    return figure


def pooling_figure(comparison: PoolingComparison, *, lang: str, height: int = 360) -> go.Figure:
    """Separate offices (stacked by agency) against the shared point, and the counts beside."""
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.4, 0.6],
        subplot_titles=(text("fig.usable", lang), text("fig.counts", lang)),
    )
    separate, shared = text("fig.separate", lang), text("fig.shared", lang)
    below = 0.0
    for n, (agency, area) in enumerate(sorted(comparison.per_agency_usable_m2.items())):
        figure.add_trace(
            go.Bar(
                x=[separate],
                y=[area],
                base=[below],
                offsetgroup="area",
                name=agency,
                marker={"color": _PATHS[n % len(_PATHS)]},
                opacity=0.75,
                hovertemplate=f"{agency}: {number(area, lang, 0)} m²<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=1,
        )
        below += area
    figure.add_trace(
        go.Bar(
            x=[shared],
            y=[comparison.shared_usable_m2],
            offsetgroup="area",
            name=shared,
            marker={"color": "#2E294E"},
            hovertemplate=f"{shared}: {number(comparison.shared_usable_m2, lang, 0)} m²"
            "<extra></extra>",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    counts = [line for line in comparison.lines if f"pool.{line.item}" in _POOL_KEYS]
    labels = [text(f"pool.{line.item}", lang) for line in counts]
    for name, values, colour in (
        (separate, [line.separate for line in counts], "#B0B0B0"),
        (shared, [line.shared for line in counts], "#2E294E"),
    ):
        figure.add_trace(
            go.Bar(x=labels, y=values, name=name, marker={"color": colour}, offsetgroup=name),
            row=1,
            col=2,
        )
    figure.update_layout(
        barmode="group",
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


_POOL_KEYS = frozenset(
    f"pool.{item}"
    for item in (
        "quick-service counters",
        "self-service terminals",
        "meeting and service rooms",
        "waiting seats",
        "staff on site",
    )
)


def kpi_figure(comparison: Comparison, *, lang: str, height: int = 360) -> go.Figure:
    """The options side by side: the shares (%) with the walk per visit and the score."""
    options = [f"{text('fig.option', lang)} {o}" for o in comparison.options]
    figure = make_subplots(
        rows=1,
        cols=3,
        column_widths=[0.6, 0.2, 0.2],
        subplot_titles=(
            text("fig.shares", lang),
            text("kpi.walk_m", lang),
            text("kpi.score", lang),
        ),
    )
    for n, option in enumerate(options):
        colour = _PATHS[n % len(_PATHS)]
        figure.add_trace(
            go.Bar(
                x=[text(f"kpi.{k}", lang) for k in _SHARES],
                y=[100.0 * comparison.values[k][n] for k in _SHARES],
                name=option,
                marker={"color": colour},
                legendgroup=option,
            ),
            row=1,
            col=1,
        )
        for col, key in ((2, "walk_m"), (3, "score")):
            figure.add_trace(
                go.Bar(
                    x=[option],
                    y=[comparison.values[key][n]],
                    name=option,
                    marker={"color": colour},
                    legendgroup=option,
                    showlegend=False,
                ),
                row=1,
                col=col,
            )
    figure.update_layout(
        barmode="group",
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.2},
    )
    figure.update_yaxes(range=[0, 100], row=1, col=1)
    figure.update_xaxes(showticklabels=False, row=1, col=2)
    figure.update_xaxes(showticklabels=False, row=1, col=3)
    return figure
