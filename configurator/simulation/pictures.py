"""The evacuation as pictures: the people out over time against the hand calculation, and the
RSET map (when each part of the floor was last occupied) with the crowded cells marked.

PNG bytes from matplotlib's Agg canvas (no global pyplot state: the app serves several users),
without the software stamp, so the same run gives the same bytes.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch, Rectangle

from configurator._io import figure_png
from configurator.documents.i18n import text
from configurator.simulation.evacuation import CELL_M, EvacuationResult
from configurator.simulation.floor import WalkableFloor

__all__ = ["evacuation_curve_png", "evacuation_page", "rset_map_png"]


def evacuation_curve_png(result: EvacuationResult, *, lang: str = "en") -> bytes:
    """Return the people out over time: the whole floor and each exit, with the times until
    50 %, 90 % and all are out and the hand calculation's total marked."""
    figure = Figure(figsize=(8, 4.5), dpi=110)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    out_times = {e.exit: e.out_s for e in result.exits}
    everyone = sorted(t for times in out_times.values() for t in times)
    ax.step([0.0, *everyone], range(len(everyone) + 1), where="post", color="#1a1a1a",
            label=text("evac_all_exits", lang, out=len(everyone), of=result.persons))  # fmt: skip
    for name, times in sorted(out_times.items()):
        ax.step([0.0, *times], range(len(times) + 1), where="post", label=name)
    marks = (("50 %", result.t50_s), ("90 %", result.t90_s),
             (text("evac_all", lang).lower(), result.t100_s))  # fmt: skip
    for k, (label, value) in enumerate(marks):
        if value is not None:  # the labels stepped up, so close times do not overprint
            ax.axvline(value, color="#888888", lw=0.6, ls=":")
            ax.text(value, result.persons * (0.86 + 0.07 * k), f" {label} {value:.0f} s",
                    fontsize=7, ha="left", va="bottom", color="#555555")  # fmt: skip
    ax.axvline(result.hand.total_s, color="#c0392b", lw=1.0, ls="--",
               label=f"{text('evac_hand', lang).lower()} {result.hand.total_s:.0f} s")  # fmt: skip
    ax.set_xlabel(text("evac_time_axis", lang))
    ax.set_ylabel(text("evac_out_axis", lang))
    ax.set_ylim(0, result.persons * 1.08 + 1)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3)
    figure.tight_layout()
    return figure_png(figure)


def rset_map_png(result: EvacuationResult, floor: WalkableFloor, *, lang: str = "en") -> bytes:
    """Return the floor coloured by when each 1 m cell was last occupied (s), the exits in
    green and the cells where the density passed 2 persons/m² outlined in red."""
    minx, miny, maxx, maxy = floor.area.bounds
    width = 10.0
    tall = min(width * (maxy - miny) / max(maxx - minx, 1.0), 3 * width)  # a long thin floor
    figure = Figure(figsize=(width, tall + 0.8), dpi=110)  # keeps a page's proportions
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    ax.add_patch(PolygonPatch(list(floor.area.exterior.coords), closed=True, fc="#f4f4f4",
                              ec="#333333", lw=0.6))  # fmt: skip
    for hole in floor.area.interiors:
        ax.add_patch(PolygonPatch(list(hole.coords), closed=True, fc="white", ec="#333333",
                                  lw=0.4))  # fmt: skip
    last = max((t for _, _, t in result.rset_cells), default=1.0) or 1.0
    norm = Normalize(0.0, last)
    colours = figure.colorbar
    for x, y, t in result.rset_cells:
        ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1.0, 1.0, lw=0,
                               fc=_viridis(norm(t)), alpha=0.85))  # fmt: skip
    for e in floor.exits:
        ax.add_patch(PolygonPatch(list(e.leave.exterior.coords), closed=True, fc="#2e7d32"))
    for cell in result.dense:
        ax.add_patch(Rectangle((cell.x - CELL_M / 2, cell.y - CELL_M / 2), CELL_M, CELL_M,
                               fill=False, ec="#c0392b", lw=1.2))  # fmt: skip
    from matplotlib.cm import ScalarMappable

    colours(ScalarMappable(norm=norm, cmap="viridis"), ax=ax, fraction=0.03, pad=0.01,
            label=text("evac_last_occupied", lang))  # fmt: skip
    ax.set_xlim(minx - 1, maxx + 1)
    ax.set_ylim(miny - 1, maxy + 1)
    ax.set_aspect("equal")
    ax.set_title(
        text("evac_rset_out", lang, seconds=f"{result.t100_s:.0f}") if result.t100_s is not None
        else text("evac_rset_stuck", lang, stuck=len(result.stuck)), fontsize=9,
    )  # fmt: skip
    figure.tight_layout()
    return figure_png(figure)


def evacuation_page(
    result: EvacuationResult, floor: WalkableFloor, *, option: int, lang: str
) -> str:
    """Return the evacuation as a page of the report or the booklet (HTML): the times against
    the hand calculation, each exit's share, the curve and the RSET map."""
    import base64

    from configurator.documents.booklet import environment
    from configurator.documents.i18n import number

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    def s(value: float | None) -> str:
        return "—" if value is None else f"{number(value, lang, 0)} s"

    low, high = result.premovement_s
    times = [
        (t("evac_half"), s(result.t50_s)),
        (t("evac_ninety"), s(result.t90_s)),
        (t("evac_all"), s(result.t100_s)),
        (t("evac_hand"), s(result.hand.total_s)),
    ]
    if result.stuck:
        times.append((t("evac_stuck"), str(len(result.stuck))))
    values = {
        "t": t,
        "option": option,
        "summary": t(
            "evac_summary",
            persons=result.persons,
            low=number(low, lang, 0),
            high=number(high, lang, 0),
        ),
        "times": times,
        "exit_head": [
            t("evac_exit"),
            t("evac_width"),
            t("evac_people"),
            t("evac_last"),
            t("evac_flow"),
        ],
        "exits": [
            [
                e.exit,
                number(e.width_m, lang, 1),
                e.persons,
                s(e.t100_s),
                number(e.mean_flow_per_s, lang, 2),
            ]
            for e in result.exits
        ],
        "curve": base64.b64encode(evacuation_curve_png(result, lang=lang)).decode("ascii"),
        "rset": base64.b64encode(rset_map_png(result, floor, lang=lang)).decode("ascii"),
    }
    return environment().get_template("evacuation.html").render(**values)


def _viridis(value: float) -> tuple[float, float, float, float]:
    """Return viridis at ``value`` (0-1)."""
    from matplotlib import colormaps

    colour: tuple[float, float, float, float] = colormaps["viridis"](float(value))
    return colour
