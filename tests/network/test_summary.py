"""The portfolio summary read back from its bytes: the HTML's tables and figures (parsed as
XML), the PDF's text, the workbook's regional totals, against the sites it was made from."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st
from pypdf import PdfReader

from configurator.network.charts import _ticks
from configurator.network.run import BestOption, Portfolio, SiteResult
from configurator.network.summary import portfolio_html, write_portfolio

SVG = "{http://www.w3.org/2000/svg}"


def site(name: str, region: str, lat: float, usable: float, saving: float, staff: int,
         failure: str | None = None) -> SiteResult:  # fmt: skip
    """A planned (or failed) site with round figures a reader can check by hand."""
    if failure is not None:
        return SiteResult(site=name, source="t.csv", name=name.upper(), region=region,
                          lat=lat, lon=25.0, failure=failure)  # fmt: skip
    best = BestOption(options=2, strategy="hub", score=1.0, unassigned_share=0.01,
                      walk_m=20.0, egress_max_m=30.0, audit_problems=0, rule_codes=["R104"],
                      spare_m2=0.0)  # fmt: skip
    return SiteResult(
        site=name, source="t.csv", name=name.upper(), region=region, municipality=name,
        lat=lat, lon=25.0, agencies=["te"], annual_visits=10_000, staff_on_site=staff,
        usable_m2=usable, gross_m2=usable * 1.15, rent_eur_year=usable * 300,
        separate_usable_m2=usable + saving, saving_m2=saving, saving_rent_eur_year=saving * 300,
        m2_per_annual_visit=usable / 10_000, usable_m2_per_person=round(usable / staff, 1),
        best=best,
    )  # fmt: skip


PORTFOLIO = Portfolio(
    options=2,
    sites=[
        site("a", "North", 66.0, 400.0, 800.0, 10),  # 40 m²/person: above the band
        site("b", "North", 66.0, 160.0, 200.0, 10),  # 16 m²/person; where a is: 560 m² there
        site("c", "South", 61.0, 1000.0, 400.0, 60),  # 16.7 m²/person: inside
        site("d", "South", 60.5, 140.0, -20.0, 10),  # 14 m²/person: below; a loss
        site("e", "South", 60.0, 0.0, 0.0, 0, failure="layout: too small"),
    ],
)


def svgs(html: str) -> list[ET.Element]:
    """Return the page's figures, each parsed as XML."""
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, flags=re.S)]


def label(element: ET.Element) -> str:
    """Return the name a figure's element carries in its tooltip."""
    title = element.find(SVG + "title")
    assert title is not None
    assert title.text is not None
    return title.text.split(":")[0]


def test_the_figures_draw_what_the_sites_say() -> None:
    html = portfolio_html(PORTFOLIO, date=None, lang="en", background=[(70.0, 28.0)])
    map_svg, saving_svg, band_svg = svgs(html)
    # the map: one circle per place, its area in proportion to the m² there
    places = {}
    for circle in map_svg.iter(SVG + "circle"):
        title = circle.find(SVG + "title")
        if title is not None:
            places[title.text] = float(circle.get("r", "0"))
    thousand = "1\u202f000"  # a thin space between the thousands
    assert set(places) == {"a: 2 site(s), 560 m²", f"c: 1 site(s), {thousand} m²",
                           "d: 1 site(s), 140 m²", "E: 1 site(s), 0 m², 1 failed"}  # fmt: skip
    r_a, r_c = places["a: 2 site(s), 560 m²"], places[f"c: 1 site(s), {thousand} m²"]
    assert (r_a / r_c) ** 2 == pytest.approx(560 / 1000, rel=0.01)
    # the savings: a bar per planned site, heights in proportion, the loss below the axis
    bars = list(saving_svg.iter(SVG + "rect"))
    heights = {label(r): float(r.get("height", "0")) for r in bars}
    assert set(heights) == {"a A", "b B", "c C", "d D"}
    assert heights["a A"] / heights["b B"] == pytest.approx(4.0, rel=0.01)
    assert heights["a A"] / heights["d D"] == pytest.approx(40.0, rel=0.02)
    fills = {label(r): r.get("fill") for r in bars}
    assert fills["d D"] != fills["a A"]
    # the band: a dot per staffed site, and the note counts them against 15-18 m²
    dots = list(band_svg.iter(SVG + "circle"))
    assert len(dots) == 4
    assert "2 sites in the band, 1 above it and 1 below" in html  # b, c; a; d


def test_the_pages_and_the_workbook_hold_every_site_and_the_regions_add_up(
    tmp_path: Path,
) -> None:
    write_portfolio(PORTFOLIO, tmp_path, date=None, lang="fi")
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "portfolio.pdf").pages)
    for name in "ABCD":
        assert name in text
    assert "layout: too small" in text
    assert "Maakunnittain" in text  # Finnish headings
    book = openpyxl.load_workbook(tmp_path / "portfolio.xlsx")
    rows = list(book["Regions"].iter_rows(values_only=True))
    head, body = rows[0], rows[1:]
    usable = head.index("usable m2")
    assert {r[0]: r[usable] for r in body} == {"North": 560.0, "South": 1140.0}
    network = dict(book["Network"].iter_rows(min_row=2, values_only=True))
    assert network["usable m2"] == sum(float(str(r[usable])) for r in body)
    assert network["failed"] == 1


@given(st.floats(-1e6, 1e6), st.floats(0.0, 2e6))
def test_an_axis_covers_everything_drawn_in_a_few_round_steps(low: float, span: float) -> None:
    high = low + span
    ticks = _ticks(low, high)
    near = 1e-6 * max(1.0, span)  # what no drawing shows
    assert ticks[0] <= low + near
    assert ticks[-1] >= high - near
    assert 2 <= len(ticks) <= 12
    steps = {round(b - a, 6) for a, b in itertools.pairwise(ticks)}
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 6) in (1.0, 2.0, 5.0, 10.0)
    assert len(steps) <= 2  # equal steps, up to rounding


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path: Path) -> None:
    sneaky = site("f", '=HYPERLINK("http://x","y")', 61.0, 100.0, 10.0, 5)
    write_portfolio(Portfolio(options=1, sites=[sneaky]), tmp_path, date=None)
    book = openpyxl.load_workbook(tmp_path / "portfolio.xlsx")
    cells = [c for row in book["Sites"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    region = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert region.value == '=HYPERLINK("http://x","y")'
