"""The design day as pictures and a page: the heat map of peak occupancy on the plan, the
occupancy of the waiting lounge and of every space over capacity through the day, and the
verdict page of the report and the booklet.

PNG bytes from matplotlib's Agg canvas (no global pyplot state), without the software stamp,
so the same run gives the same bytes. Times are clock times from the opening hour given.
"""

from __future__ import annotations

import base64

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch
from shapely.geometry import Polygon

from configurator._io import figure_png
from configurator.documents.i18n import number, text
from configurator.simulation.day import BIN_S, DayResult, SpaceDay
from configurator.simulation.floor import WalkableFloor

__all__ = [
    "clock",
    "day_heat_map_png",
    "day_occupancy_png",
    "day_page",
    "heat_colours",
    "verdict_text",
]

HEAT = LinearSegmentedColormap.from_list(
    "occupancy", [(0.0, "#e8f5e9"), (0.5, "#ffe082"), (1.0, "#fb8c00")]
)
"""Peak occupancy as a share of capacity: pale green empty, amber full; over it is red."""
OVER = "#c62828"


def clock(seconds: float, opens_h: float) -> str:
    """Return a time of the day (s from opening) as a clock time, e.g. 10:35."""
    minutes = round(opens_h * 60.0 + seconds / 60.0)
    return f"{minutes // 60 % 24:d}:{minutes % 60:02d}"


def verdict_text(space: SpaceDay, *, opens_h: float, lang: str) -> str:
    """Return a space's verdict in words: holds, or over capacity by how much and when."""
    if space.verdict == "over capacity":
        at = clock(space.over_from_s or 0.0, opens_h)
        minutes = number(space.over_min, lang, 1 if space.over_min < 10 else 0)
        return text("day_over", lang, by=space.over_by, at=at, minutes=minutes)
    if space.verdict == "holds":
        return text("day_holds", lang)
    return text("day_passage", lang)


def heat_colours(result: DayResult) -> dict[str, str]:
    """Return each space's colour on the heat map (hex): its peak against its capacity, red
    where it was over; spaces with no capacity (passages) are left out."""
    from matplotlib.colors import to_hex

    return {
        s.space: OVER if s.verdict == "over capacity" else to_hex(HEAT(s.peak / s.capacity))
        for s in result.spaces
        if s.capacity
    }


def _outline(ax: object, polygon: Polygon, **style: object) -> None:
    ax.add_patch(PolygonPatch(list(polygon.exterior.coords), closed=True, **style))  # type: ignore[attr-defined]


def day_heat_map_png(
    result: DayResult, floor: WalkableFloor, *, opens_h: float = 8.0, lang: str = "en",
    frame: int | None = None,
) -> bytes:  # fmt: skip
    """Return the plan with each space coloured by its peak occupancy against its capacity
    (red: over), its peak written in, and everyone's place at the busiest moment (or at
    ``frame``) as dots."""
    minx, miny, maxx, maxy = floor.area.bounds
    width = 10.0
    tall = min(width * (maxy - miny) / max(maxx - minx, 1.0), 3 * width)
    figure = Figure(figsize=(width, tall + 0.9), dpi=110)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    _outline(ax, floor.area, fc="#f4f4f4", ec="#333333", lw=0.6)
    for hole in floor.area.interiors:
        ax.add_patch(PolygonPatch(list(hole.coords), closed=True, fc="white", ec="#333333",
                                  lw=0.4))  # fmt: skip
    norm = Normalize(0.0, 1.0)
    colours = heat_colours(result)
    for space in result.spaces:
        shape = floor.spaces.get(space.space)
        if shape is None or space.capacity is None or space.capacity <= 0:
            continue
        over = space.verdict == "over capacity"
        fill = colours[space.space]
        _outline(ax, shape, fc=fill, ec="#7f0000" if over else "#777777", lw=1.6 if over else 0.4)
        if space.peak > 0 and shape.area >= 4.0:
            p = shape.representative_point()
            ax.text(p.x, p.y, f"{space.peak}/{space.capacity}", ha="center", va="center",
                    fontsize=6, color="#7f0000" if over else "#333333", zorder=6,
                    bbox={"facecolor": "white", "alpha": 0.75, "lw": 0, "pad": 1})  # fmt: skip
    for e in floor.exits:
        _outline(ax, e.leave, fc="#2e7d32", ec="none")
    if result.frames:
        pick = frame if frame is not None else max(
            range(len(result.frames)), key=lambda k: (len(result.frames[k][1]), -k)
        )  # fmt: skip
        at, points = result.frames[pick]
        if points:
            ax.scatter([x for x, _ in points], [y for _, y in points], s=6, c="#1a1a1a",
                       zorder=5, linewidths=0)  # fmt: skip
        title = text("day_map_title", lang, people=len(points), at=clock(at, opens_h))
    else:
        title = text("day_map_title", lang, people=0, at="—")
    from matplotlib.cm import ScalarMappable

    figure.colorbar(ScalarMappable(norm=norm, cmap=HEAT), ax=ax, fraction=0.03, pad=0.01,
                    label=text("day_map_scale", lang))  # fmt: skip
    ax.set_xlim(minx - 1, maxx + 1)
    ax.set_ylim(miny - 1, maxy + 1)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=9)
    figure.tight_layout()
    return figure_png(figure)


def day_occupancy_png(result: DayResult, *, opens_h: float = 8.0, lang: str = "en") -> bytes:
    """Return the most people in each 5 minutes in the waiting lounge and in every space over
    capacity, each against its capacity (dashed)."""
    figure = Figure(figsize=(8, 4.2), dpi=110)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    shown = [s for s in result.spaces if s.space_type == "waiting_lounge"] + [
        s for s in result.over() if s.space_type != "waiting_lounge"
    ]
    hours = [k * BIN_S / 3600.0 + opens_h for k in range(len(result.spaces[0].bins))] if (
        result.spaces) else []  # fmt: skip
    for k, space in enumerate(shown[:8]):
        colour = f"C{k}"
        ax.step(hours, space.bins, where="post", color=colour, label=space.space)
        if space.capacity is not None:
            ax.axhline(space.capacity, color=colour, lw=0.8, ls="--")
    ax.axvspan(opens_h, opens_h + result.hours, color="#e0e0e0", alpha=0.4, lw=0,
               label=text("day_open", lang))  # fmt: skip
    ax.set_xlabel(text("day_time_axis", lang))
    ax.set_ylabel(text("day_people_axis", lang))
    ax.xaxis.set_major_formatter(lambda value, _pos: clock((value - opens_h) * 3600.0, opens_h))
    ax.legend(fontsize=7, loc="upper right")
    ax.grid(alpha=0.3)
    ax.set_ylim(bottom=0)
    figure.tight_layout()
    return figure_png(figure)


def day_page(
    result: DayResult, floor: WalkableFloor, *, option: int, lang: str, opens_h: float = 8.0
) -> str:
    """Return the design day as a page of the report or the booklet (HTML): who came and
    left, the verdict of every visitor space, the services' waits, the walks, the pictures."""
    from configurator.documents.booklet import environment

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    def s(value: float) -> str:
        return f"{number(value, lang, 0)} s"

    over = result.over()
    values = {
        "t": t,
        "option": option,
        "summary": t(
            "day_summary",
            visitors=result.visitors,
            left=result.left,
            hours=number(result.hours, lang, 1),
            stuck=result.stuck,
        ),
        "verdict": t("day_verdict_over", spaces=", ".join(x.space for x in over))
        if over
        else t("day_verdict_holds"),
        "space_head": [
            t("day_space"),
            t("day_capacity"),
            t("day_peak"),
            t("day_peak_at"),
            t("day_density"),
            t("day_verdict"),
        ],
        "spaces": [
            [
                x.space,
                x.capacity,
                x.peak,
                clock(x.peak_at_s, opens_h),
                number(x.peak_density_per_m2, lang, 2),
                verdict_text(x, opens_h=opens_h, lang=lang),
            ]
            for x in result.spaces
            if x.capacity is not None and x.peak > 0
        ],
        "service_head": [
            t("day_service"),
            t("day_servers"),
            t("day_served"),
            t("day_mean_wait"),
            t("day_p90_wait"),
            t("day_max_wait"),
            t("day_max_queue"),
        ],
        "services": [
            [
                x.service,
                x.servers,
                x.served,
                s(x.mean_wait_s),
                s(x.p90_wait_s),
                s(x.max_wait_s),
                x.max_queue,
            ]
            for x in result.services
        ],
        "walk_head": [t("day_persona"), t("day_visitors"), t("day_walk_mean"), t("day_walk_p90")],
        "walks": [
            [x.persona, x.visitors, number(x.mean_m, lang, 0), number(x.p90_m, lang, 0)]
            for x in result.personas
        ],
        "heat": base64.b64encode(
            day_heat_map_png(result, floor, opens_h=opens_h, lang=lang)
        ).decode("ascii"),
        "occupancy": base64.b64encode(day_occupancy_png(result, opens_h=opens_h, lang=lang)).decode(
            "ascii"
        ),
    }
    return environment().get_template("day.html").render(**values)
