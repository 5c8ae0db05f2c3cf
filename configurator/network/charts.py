"""The portfolio summary's figures as SVG text: no script, no web font, no map tiles, so the
HTML renders offline and WeasyPrint lays the same figures out in the PDF.

Each function takes plain numbers and returns one ``<svg>`` element sized in millimetres;
numbers are printed with fixed decimals, so the same portfolio gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Bar", "Dot", "MapSite", "band_chart", "bar_chart", "site_map"]

_FONT = 'font-family="DejaVu Sans, sans-serif"'
_INK, _MUTED, _GRID = "#1a1a1a", "#666666", "#dddddd"
_BAR, _BAND, _DOT, _FAIL = "#2f6f9f", "#cfe8cf", "#2f6f9f", "#c0392b"


@dataclass(frozen=True)
class Bar:
    """One bar: its label (shown where there is room) and its value."""

    label: str
    value: float


@dataclass(frozen=True)
class Dot:
    """One point of a scatter: its label (a tooltip), x and y."""

    label: str
    x: float
    y: float


@dataclass(frozen=True)
class MapSite:
    """A place on the map: its name, position (WGS84), area drawn and whether it failed."""

    name: str
    lat: float
    lon: float
    area_m2: float
    sites: int
    failed: int


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    """Wrap figure parts in an ``<svg>`` of ``width`` × ``height`` mm (user units = mm)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.1f} {height:.1f}" '
        f'width="{width:.1f}mm" height="{height:.1f}mm" role="img" aria-label="{escape(title)}">'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, *, size: float = 2.6, anchor: str = "start",
          colour: str = _INK, rotate: bool = False) -> str:  # fmt: skip
    """A label at (x, y) mm."""
    turn = f' transform="rotate(-90 {x:.2f} {y:.2f})"' if rotate else ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" {_FONT} font-size="{size:.2f}" fill="{colour}" '
        f'text-anchor="{anchor}"{turn}>{escape(text)}</text>'
    )


def nice_step(span: float, ticks: int = 5) -> float:
    """Return a round tick step (1, 2 or 5 × 10^k) giving about ``ticks`` ticks over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _ticks(low: float, high: float) -> list[float]:
    """Return the round values the axis marks: the first at or below ``low``, the last at or
    above ``high``, so everything drawn lies inside the axis."""
    high = max(high, low + 1e-3 * max(1.0, abs(low)))  # a flat series still gets an axis
    step = nice_step(high - low)
    first = math.floor(low / step + 1e-9) * step
    count = math.ceil((high - first) / step - 1e-9) + 1
    return [round(first + k * step, 10) for k in range(max(count, 2))]


def _axis_number(value: float) -> str:
    """An axis label: thin-space thousands, no needless decimals."""
    shown = f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.1f}"
    return shown.replace(",", "\u202f")


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str, width: float = 180.0,
              height: float = 70.0, labelled: int = 40) -> str:  # fmt: skip
    """Return bars in the order given (sorted by the caller), each named under the axis when
    there are at most ``labelled`` (else the bars show the spread, their names on hover)."""
    named = len(bars) <= labelled
    left, right, top, bottom = 16.0, 2.0, 6.0, 26.0 if named else 4.0
    inner_w, inner_h = width - left - right, height - top - bottom
    values = [b.value for b in bars] or [0.0]
    low, high = min(0.0, *values), max(0.0, *values)
    if high == low:
        high = low + 1.0
    ticks = _ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])

    def y(value: float) -> float:
        return top + inner_h * (high - value) / (high - low)

    body = [_text(0.0, 3.0, f"{title} ({unit})", size=3.0)]
    for tick in ticks:
        body.append(f'<line x1="{left:.2f}" x2="{width - right:.2f}" y1="{y(tick):.2f}" '
                    f'y2="{y(tick):.2f}" stroke="{_GRID}" stroke-width="0.2"/>')  # fmt: skip
        body.append(_text(left - 1.0, y(tick) + 0.9, _axis_number(tick), anchor="end",
                          colour=_MUTED))  # fmt: skip
    step = inner_w / max(len(bars), 1)
    for k, bar in enumerate(bars):
        x0 = left + k * step
        y0, y1 = sorted((y(0.0), y(bar.value)))
        colour = _BAR if bar.value >= 0 else _FAIL
        body.append(
            f'<rect x="{x0 + step * 0.1:.3f}" y="{y0:.3f}" width="{step * 0.8:.3f}" '
            f'height="{max(y1 - y0, 0.05):.3f}" fill="{colour}"><title>{escape(bar.label)}: '
            f"{_axis_number(bar.value)} {escape(unit)}</title></rect>"
        )
        if named:
            body.append(_text(x0 + step / 2 + 0.7, top + inner_h + 1.5, bar.label[:24],
                              size=2.0, anchor="end", colour=_MUTED, rotate=True))  # fmt: skip
    body.append(f'<line x1="{left:.2f}" x2="{width - right:.2f}" y1="{y(0.0):.2f}" '
                f'y2="{y(0.0):.2f}" stroke="{_INK}" stroke-width="0.3"/>')  # fmt: skip
    return _svg(width, height, body, title)


def band_chart(dots: Sequence[Dot], *, title: str, x_label: str, y_label: str,
               band: tuple[float, float], band_label: str, width: float = 180.0,
               height: float = 80.0) -> str:  # fmt: skip
    """Return a scatter with a shaded target band across it (the state's m² per person)."""
    left, right, top, bottom = 16.0, 4.0, 6.0, 10.0
    inner_w, inner_h = width - left - right, height - top - bottom
    xs = [d.x for d in dots] or [0.0, 1.0]
    ys = [d.y for d in dots] or [0.0]
    x_ticks = _ticks(0.0, max(xs) * 1.05 or 1.0)
    y_ticks = _ticks(0.0, max(*ys, band[1]) * 1.1)
    x_high, y_high = x_ticks[-1] or 1.0, y_ticks[-1] or 1.0

    def px(value: float) -> float:
        return left + inner_w * value / x_high

    def py(value: float) -> float:
        return top + inner_h * (1.0 - value / y_high)

    body = [_text(0.0, 3.0, title, size=3.0)]
    body.append(f'<rect x="{left:.2f}" y="{py(band[1]):.2f}" width="{inner_w:.2f}" '
                f'height="{py(band[0]) - py(band[1]):.2f}" fill="{_BAND}"/>')  # fmt: skip
    body.append(_text(width - right - 1.0, py(band[1]) - 0.8, band_label, size=2.3,
                      anchor="end", colour="#2e7d32"))  # fmt: skip
    for tick in y_ticks:
        body.append(f'<line x1="{left:.2f}" x2="{width - right:.2f}" y1="{py(tick):.2f}" '
                    f'y2="{py(tick):.2f}" stroke="{_GRID}" stroke-width="0.2"/>')  # fmt: skip
        body.append(_text(left - 1.0, py(tick) + 0.9, _axis_number(tick), anchor="end",
                          colour=_MUTED))  # fmt: skip
    for tick in x_ticks:
        body.append(_text(px(tick), top + inner_h + 3.5, _axis_number(tick), anchor="middle",
                          colour=_MUTED))  # fmt: skip
    for dot in dots:
        body.append(
            f'<circle cx="{px(dot.x):.2f}" cy="{py(dot.y):.2f}" r="0.9" fill="{_DOT}" '
            f'fill-opacity="0.6"><title>{escape(dot.label)}</title></circle>'
        )
    body.append(_text(left + inner_w / 2, height - 1.0, x_label, anchor="middle"))
    body.append(_text(3.0, top + inner_h / 2, y_label, anchor="middle", rotate=True))
    return _svg(width, height, body, title)


def site_map(places: Sequence[MapSite], background: Sequence[tuple[float, float]], *,
             title: str, legend: str, width: float = 120.0) -> str:  # fmt: skip
    """Return the sites on a map: a circle per place with its area proportional to the m²
    there, over grey dots at ``background`` (lat, lon: the country's municipality centres).

    The projection is equirectangular about the middle latitude (longitude scaled by its
    cosine): true enough over a country to read where the points are, drawn with no tiles.
    """
    if places:  # the country round the sites only: a region's sites fill the figure
        south, north = min(p.lat for p in places) - 1.0, max(p.lat for p in places) + 1.0
        west, east = min(p.lon for p in places) - 2.0, max(p.lon for p in places) + 2.0
        background = [(a, o) for a, o in background if south <= a <= north and west <= o <= east]
    points = [(p.lat, p.lon) for p in places] + list(background)
    if not points:
        return _svg(width, 10.0, [_text(0.0, 5.0, title)], title)
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    mid = math.radians((min(lats) + max(lats)) / 2)
    span_x = max((max(lons) - min(lons)) * math.cos(mid), 0.5)
    span_y = max(max(lats) - min(lats), 0.5)
    pad, top = 6.0, 8.0
    scale = (width - 2 * pad) / span_x
    height = top + span_y * scale + 2 * pad

    def at(lat: float, lon: float) -> tuple[float, float]:
        return (pad + (lon - min(lons)) * math.cos(mid) * scale,
                top + pad + (max(lats) - lat) * scale)  # fmt: skip

    biggest = max((p.area_m2 for p in places), default=1.0) or 1.0
    radius_max = 6.0

    def radius(area: float) -> float:
        return max(0.6, radius_max * math.sqrt(area / biggest))

    body = [_text(0.0, 3.0, title, size=3.0)]
    for lat, lon in background:
        x, y = at(lat, lon)
        body.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="0.45" fill="#b4b4b4"/>')
    for place in sorted(places, key=lambda p: (-p.area_m2, p.name)):  # small ones on top
        x, y = at(place.lat, place.lon)
        colour = _FAIL if place.failed else _DOT
        tip = f"{place.name}: {place.sites} site(s), {_axis_number(place.area_m2)} m²"
        if place.failed:
            tip += f", {place.failed} failed"
        body.append(
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{radius(place.area_m2):.2f}" '
            f'fill="{colour}" fill-opacity="0.45" stroke="{colour}" stroke-width="0.2">'
            f"<title>{escape(tip)}</title></circle>"
        )
    # the legend: circles for round areas side by side, so a reader can size the others
    rounded = sorted({nice_step(biggest / 10, 1), nice_step(biggest / 3, 1)})
    sizes = [s for s in rounded if s <= biggest] or [biggest]
    radii = [radius(size) for size in sizes]
    x = width - pad - sum(2 * r + 2.0 for r in radii)
    base = top + 4.0 + 2 * max(radii)
    body.append(_text(width - pad, top + 1.0, legend, size=2.3, anchor="end"))
    for size, r in zip(sizes, radii, strict=True):
        body.append(f'<circle cx="{x + r:.2f}" cy="{base - r:.2f}" r="{r:.2f}" fill="none" '
                    f'stroke="{_MUTED}" stroke-width="0.25"/>')  # fmt: skip
        body.append(_text(x + r, base + 2.6, _axis_number(size), size=2.0, anchor="middle",
                          colour=_MUTED))  # fmt: skip
        x += 2 * r + 2.0
    return _svg(width, height, body, title)
