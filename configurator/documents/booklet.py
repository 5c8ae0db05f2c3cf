"""Print the space cards as a booklet: cover, contents, programme, plan, one A4 page per card.

HTML and PDF come from the same jinja2 templates (``documents/templates``); the PDF is laid
out by WeasyPrint with running header and footer (page n / N), contents with page numbers and
PDF bookmarks. The font is DejaVu Sans as matplotlib ships it, so the output does not depend on
the machine's fonts, and the same scenario gives the same bytes (no clock in the file).
"""

from __future__ import annotations

import base64
import math
from pathlib import Path
from typing import Any

import jinja2
import matplotlib
from markupsafe import Markup

from configurator.documents.cards import Card, cards_from_case
from configurator.documents.i18n import number, text
from configurator.documents.plan_svg import plan_svg
from configurator.inputs.catalog import Case
from configurator.model.schema import Footprint
from configurator.review.options import Option, options_from_case
from configurator.sizing.demand import demand_from_scenario
from configurator.sizing.program import (
    PoolingComparison,
    Program,
    compare_pooling,
    program_from_case,
)

__all__ = [
    "BookletError",
    "Printed",
    "base_values",
    "environment",
    "fonts",
    "html_to_pdf",
    "page_css",
    "printed_case",
    "render_booklet",
    "render_card",
    "split_pdf",
]


class BookletError(ValueError):
    """The booklet cannot be made as asked (an option the layout did not give)."""


def fonts() -> tuple[str, str]:
    """Return file URLs of the bundled regular and bold fonts (matplotlib's DejaVu Sans)."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return (folder / "DejaVuSans.ttf").as_uri(), (folder / "DejaVuSans-Bold.ttf").as_uri()


def environment() -> jinja2.Environment:
    """A jinja2 environment on the package's templates, escaping HTML, failing on unknowns."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("configurator.documents", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg_image"] = svg_image
    return env


def svg_image(svg: str) -> Markup:
    """An SVG as an ``<img>`` with a data URL: WeasyPrint parses it as XML, far faster than as
    inline HTML, and the HTML file stays self-contained. Figures with text stay inline, so
    they use the bundled font."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img alt="" src="data:image/svg+xml;base64,{data}">')


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


class Printed:
    """A case with its programme, pooling comparison and ranked options: what the pages show."""

    def __init__(self, case: Case, program: Program, pooling: PoolingComparison,
                 options: list[Option]) -> None:  # fmt: skip
        self.case, self.program, self.pooling, self.options = case, program, pooling, options


def printed_case(
    case: Case, *, options: int | None = None, footprint: Footprint | None = None
) -> Printed:
    """Size the case, compare pooling and lay out its options (once, for every page)."""
    program = program_from_case(case)
    ranked = options_from_case(case, options=options, program=program, footprint=footprint)
    return Printed(case, program, compare_pooling(case), ranked)


def base_values(printed: Printed, lang: str, title: str, option: int) -> dict[str, Any]:
    """The template values every page needs: words, fonts, header, dates."""
    scenario = printed.case.scenario
    date_text = scenario.date.isoformat() if scenario.date else "—"
    values: dict[str, Any] = {
        "lang": lang,
        "t": lambda key, **kw: text(key, lang, **kw),
        "title": title,
        "scenario": scenario.name,
        "date_text": date_text,
        "date_iso": scenario.date.isoformat() if scenario.date else "2000-01-01",
        "revision": scenario.revision,
        "option": option,
    }
    values["css"] = page_css(
        lang,
        header=f"{scenario.name} · {title}",
        header_right=f"{text('date', lang)} {date_text} · {scenario.revision}",
    )
    return values


def page_css(lang: str, *, header: str, header_right: str) -> str:
    """Return the printed pages' CSS: the bundled fonts, A4 pages with these running heads."""
    regular, bold = fonts()
    return (
        environment()
        .get_template("style.css")
        .render(
            font_regular=regular,
            font_bold=bold,
            header=_css_string(header),
            header_right=_css_string(header_right),
            page_word=_css_string(text("page", lang)),
        )
    )


def _chosen(printed: Printed, option: int) -> Option:
    if not 1 <= option <= len(printed.options):
        raise BookletError(
            f"option {option}: the layout gave {len(printed.options)} option(s) for this scenario"
        )
    return printed.options[option - 1]


def _programme(printed: Printed, lang: str) -> list[dict[str, Any]]:
    """Programme rows grouped by zone in the catalog's zone order, with zone subtotals."""
    zones = sorted(printed.case.catalog.zones, key=lambda z: z.order)
    groups = []
    for zone in zones:
        rows = [r for r in printed.program.rows if r.zone == zone.id and r.count > 0]
        if not rows:
            continue
        groups.append(
            {
                "name": str(getattr(zone.names, lang)),
                "colour": zone.colour,
                "privacy": text(f"privacy.{zone.privacy}", lang),
                "area": number(math.fsum(r.area_m2 for r in rows), lang),
                "rows": [
                    {
                        "name": str(getattr(r.names, lang)),
                        "count": r.count,
                        "unit": text(f"unit.{r.unit}", lang),
                        "unit_area": number(r.unit_area_m2, lang),
                        "area": number(r.area_m2, lang),
                    }
                    for r in rows
                ],
            }
        )
    return groups


def _totals(printed: Printed, lang: str) -> list[dict[str, str]]:
    t = printed.program.totals
    return [
        {"label": text("net", lang), "value": f"{number(t.net_m2, lang)} m²"},
        {"label": text("circulation", lang), "value": f"{number(t.circulation_m2, lang)} m²"},
        {"label": text("usable", lang), "value": f"{number(t.usable_m2, lang)} m²"},
        {"label": text("gross", lang), "value": f"{number(t.gross_m2, lang)} m²"},
    ]


def render_booklet(
    printed: Printed, *, lang: str, option: int = 1, extra: str = ""
) -> tuple[str, list[Card]]:
    """Return the whole booklet as one HTML document, and its cards; ``extra`` is pages a
    later stage made (the evacuation), placed after the cards."""
    chosen = _chosen(printed, option)
    case = printed.case
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    cards = cards_from_case(case, printed.program, chosen.plan, lang=lang, demand=demand)
    agencies = {a.id: a for a in case.catalog.agencies}
    pooling = printed.pooling
    values = base_values(printed, lang, text("booklet", lang), option) | {
        "with_front": True,
        "strategy": chosen.plan.strategy,
        "partners": [
            str(getattr(agencies[a.id].names, lang)) if a.id in agencies else a.id
            for a in case.scenario.agencies
        ],
        "totals": _totals(printed, lang),
        "pooling": text(
            "pooling_line",
            lang,
            shared=number(pooling.shared_usable_m2, lang, 0),
            separate=number(pooling.separate_usable_m2, lang, 0),
            saving=number(pooling.saving_m2, lang, 0),
            share=f"{number(pooling.saving_share * 100, lang, 0)} %",
            rent=number(pooling.saving_rent_eur_year, lang, 0),
        ),
        "programme": _programme(printed, lang),
        "plan_svg": plan_svg(
            chosen.plan, catalog=case.catalog, width_mm=180.0, labels=True, lang=lang
        ),
        "cards_list": cards,
        "extra": extra,
        "spare_note": (
            text(
                "spare_note",
                lang,
                count=len(chosen.plan.spares),
                area=number(sum(s.area_m2 for s in chosen.plan.spares), lang, 0),
                rent=number(sum(s.rent_eur_year for s in chosen.plan.spares), lang, 0),
                per=number(case.scenario.factors.rent_eur_per_m2_month, lang, 2),
            )
            if chosen.plan.spares
            else ""
        ),
    }
    return environment().get_template("booklet.html").render(**values), cards


def render_card(printed: Printed, card: Card, *, option: int = 1) -> str:
    """Return one card as a standalone HTML document (``cards -f html --split``, the UI preview)."""
    values = base_values(printed, card.lang, card.name, option) | {
        "with_front": False,
        "cards_list": [card],
        "strategy": _chosen(printed, option).plan.strategy,
        "extra": "",
    }
    return environment().get_template("booklet.html").render(**values)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Lay the HTML out as PDF with WeasyPrint (its fonts embedded, subset)."""
    return split_pdf(html, base_url=base_url, cards=False)[0]


def split_pdf(
    html: str, *, base_url: str | None = None, cards: bool = True
) -> tuple[bytes, dict[str, bytes]]:
    """Lay the booklet out once; return its PDF and (``cards``) each card's pages as a PDF.

    A card runs from the page its ``card-CODE`` anchor is on to the page before the next card's,
    so the split files are the booklet's very pages (same page numbers as the booklet).
    """
    import weasyprint  # type: ignore[import-untyped]

    document = weasyprint.HTML(string=html, base_url=base_url).render()
    whole = bytes(document.write_pdf())
    if not cards:
        return whole, {}
    starts: dict[str, int] = {}
    for number_, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("card-"):
                starts.setdefault(anchor.removeprefix("card-"), number_)
    bounds = [*sorted(starts.items(), key=lambda item: item[1]), ("", len(document.pages))]
    return whole, {
        code: bytes(document.copy(document.pages[first : bounds[i + 1][1]]).write_pdf())
        for i, (code, first) in enumerate(bounds[:-1])
    }
