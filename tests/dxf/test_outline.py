"""Joining the strokes of tessellated walls, checked by properties over generated strokes: any
direction, far from the origin, overlapping, reversed, shuffled, beside parallel walls."""

from __future__ import annotations

import itertools
import math
import random

from hypothesis import assume, given, settings, strategies as st
from shapely.geometry import LineString
from shapely.ops import unary_union

from configurator.dxf.outline import joined_strokes, merge_collinear


def _runs(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The union of intervals as disjoint runs, those 0.1 mm apart or less touching (the hand
    calculation)."""
    runs: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if runs and a <= runs[-1][1] + 1e-4:
            runs[-1] = (runs[-1][0], max(runs[-1][1], b))
        else:
            runs.append((a, b))
    return runs


@settings(max_examples=60, deadline=None)
@given(
    angle=st.floats(0.0, 360.0),
    origin=st.tuples(st.floats(-5e5, 5e5), st.floats(-5e5, 5e5)),
    intervals=st.lists(
        st.tuples(st.floats(0.0, 50.0), st.floats(0.01, 6.0)), min_size=1, max_size=40
    ),
    seed=st.integers(0, 2**16),
)
def test_collinear_strokes_join_into_their_runs(
    angle: float,
    origin: tuple[float, float],
    intervals: list[tuple[float, float]],
    seed: int,
) -> None:
    ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def at(t: float, off: float = 0.0) -> tuple[float, float]:
        return (origin[0] + t * ux - off * uy, origin[1] + t * uy + off * ux)

    rng = random.Random(seed)
    spans = [(a, a + length) for a, length in intervals]
    # no gap right at the 0.1 mm where strokes count as touching (floating point decides there)
    starts = sorted(spans)
    reach = list(itertools.accumulate((b for _, b in starts), max))
    assume(all(not 5e-5 < a - r < 2e-4 for (a, _), r in zip(starts[1:], reach, strict=False)))
    strokes = [
        LineString([at(a), at(b)] if rng.random() < 0.5 else [at(b), at(a)]) for a, b in spans
    ]
    # a parallel wall face 0.2 m away and a crossing stroke stay as they are
    parallel = LineString([at(0.0, 0.2), at(10.0, 0.2)])
    crossing = LineString([at(5.0, -1.0), at(5.0, 1.0)])
    lines = [*strokes, parallel, crossing]
    rng.shuffle(lines)
    merged = merge_collinear(lines)
    runs = _runs(spans)
    on_line = [m for m in merged if m.distance(LineString([at(-1), at(60)])) < 1e-3]
    on_line = [m for m in on_line if not m.equals(crossing)]
    assert len(on_line) == len(runs)
    assert sorted(round(m.length, 4) for m in on_line) == sorted(round(b - a, 4) for a, b in runs)
    assert any(m.equals(parallel) for m in merged)
    assert any(m.equals(crossing) for m in merged)
    # nothing drawn is lost and nothing is added
    drawn, joined = unary_union(lines).buffer(1e-5), unary_union(merged).buffer(1e-5)
    assert all(line.difference(joined).length < 1e-6 for line in lines)
    assert all(line.difference(drawn).length < 1e-6 for line in merged)


@settings(max_examples=30, deadline=None)
@given(
    radius=st.floats(2.0, 30.0),
    chord=st.floats(0.001, 0.09),
    angle=st.floats(0.0, 360.0),
)
def test_a_curve_drawn_as_chords_joins_into_one_run_within_5_mm(
    radius: float, chord: float, angle: float
) -> None:
    """Chords shorter than 10 cm are tessellation: a quarter circle drawn so is one run."""
    chords = math.ceil(math.pi / 2 * radius / chord)
    points = [
        (
            radius * math.cos(math.radians(angle + 90.0 * k / chords)),
            radius * math.sin(math.radians(angle + 90.0 * k / chords)),
        )
        for k in range(chords + 1)
    ]
    strokes = [LineString([a, b]) for a, b in itertools.pairwise(points)]
    joined = joined_strokes(strokes)
    assert len(joined) == 1
    drawn = LineString(points)
    assert joined[0].hausdorff_distance(drawn) <= 0.005 + 1e-9
    assert len(joined[0].coords) <= len(points)


@settings(max_examples=30, deadline=None)
@given(
    sides=st.lists(st.floats(0.11, 20.0), min_size=3, max_size=12),
    angle=st.floats(0.0, 360.0),
)
def test_strokes_drawn_as_walls_pass_unchanged(sides: list[float], angle: float) -> None:
    """Strokes of 10 cm or more are walls as drawn, even collinear and touching: a wall and
    the side of its pier stay two strokes (the closing of a gap hangs on such details)."""
    ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    ends = list(itertools.accumulate(sides, initial=0.0))
    strokes = [
        LineString([(a * ux, a * uy), (b * ux, b * uy)]) for a, b in itertools.pairwise(ends)
    ]
    assert joined_strokes(strokes) == strokes
