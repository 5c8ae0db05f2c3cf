"""Draw the README's building-rules figure: Pori's programme in a turned L with a spare area.

The best option is drawn as the plan sheet draws it, with the exits the review counts (green
rings) and the longest escape route (red, from its farthest point to its exit) on top, so a
reader sees what R104 measures. Run: ``python scripts/rules_figure.py docs/turned-l-rules.png``.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from matplotlib.patches import Circle
from shapely import affinity
from shapely.geometry import Point, Polygon

from configurator.documents.drawing import plan_figure
from configurator.inputs.catalog import load_case
from configurator.model.schema import Footprint
from configurator.review import options_from_case
from configurator.review.geometry import analysis_from_plan
from configurator.review.rules import review_rules

ROOT = Path(__file__).resolve().parent.parent
TURN_DEG = 28.0
"""The L is turned off the site grid, as a real plot often is."""


def turned_l() -> Footprint:
    """Return an L of 50 × 20 m with a 20 × 18 m wing, turned, entrances on its façades."""
    outline = Polygon([(0, 0), (50, 0), (50, 20), (20, 20), (20, 38), (0, 38)])

    def turn(x: float, y: float) -> list[float]:
        point = affinity.rotate(Point(x, y), TURN_DEG, origin=(0, 0))
        return [round(point.x, 4), round(point.y, 4)]

    ring = list(outline.exterior.coords)[:-1]
    return Footprint.model_validate(
        {
            "polygon": [turn(x, y) for x, y in ring],
            "entrances": [
                {"id": "main_door", "at": turn(30.0, 0.0), "kind": "main", "width_m": 1.8},
                {"id": "staff_door", "at": turn(10.0, 38.0), "kind": "staff", "width_m": 1.2},
            ],
            "obstacles": [
                {
                    "id": "stair",
                    "kind": "stair",
                    "polygon": [turn(x, y) for x, y in ((44, 14), (50, 14), (50, 20), (44, 20))],
                }
            ],
        }
    )


def main() -> None:
    """Lay out, review and draw the option; write the PNG."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path, nargs="?", default=ROOT / "docs/turned-l-rules.png")
    args = parser.parse_args()
    case = load_case(ROOT / "examples" / "pori.yaml")
    scenario = case.scenario.model_copy(update={"footprint": turned_l()})
    case = case.model_copy(update={"scenario": scenario})
    option = options_from_case(case, options=1)[0]
    plan = option.plan
    review = review_rules(
        analysis_from_plan(plan, footprint=scenario.footprint),
        catalog=case.catalog,
        rules=scenario.rules,
    )
    sheet = plan_figure(plan, catalog=case.catalog, lang="en", date=scenario.date)
    axes = sheet.figure.axes[1]
    for found in review.egress.exits:
        axes.add_patch(Circle(found.at, 1.2, fill=False, ec="#1E8449", lw=2.0, zorder=8))
        axes.annotate(
            f"exit {found.id}",
            found.at,
            xytext=(6, -12),
            textcoords="offset points",
            color="#1E8449",
            fontsize=7,
            zorder=8,
            bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1.5},
        )
    longest = review.egress.longest
    if longest is not None:
        xs, ys = zip(*longest.path, strict=True)
        axes.plot(xs, ys, color="#C0392B", lw=1.8, zorder=9)
        axes.plot(*longest.start, "o", color="#C0392B", ms=4, zorder=9)
        axes.annotate(
            f"longest escape route: {longest.walked_m:.0f} m walked + {longest.shared_m:.0f} m "
            f"shared = {longest.counted_m:.0f} m (limit {review.egress.limit_m:.0f} m)",
            longest.start,
            xytext=(8, 8),
            textcoords="offset points",
            color="#C0392B",
            fontsize=7,
            zorder=9,
            bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1.5},
        )
    spare = sum(s.area_m2 for s in plan.spares)
    print(
        f"option {plan.strategy}: {len(plan.spares)} spare areas, {spare:.0f} m²; "
        f"rules: {sorted({p.code for p in review.problems}) or 'none'}; "
        f"longest route {longest.counted_m if longest else math.nan:.1f} m"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    sheet.figure.savefig(args.output, dpi=90)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
