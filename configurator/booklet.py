"""Print the space cards as a booklet: cover, contents, programme, plan, one A4 page per card.

HTML and PDF come from the same jinja2 templates (``configurator/templates``); the PDF is laid
out by WeasyPrint with running header and footer (page n / N), contents with page numbers and
PDF bookmarks. The font is DejaVu Sans as matplotlib ships it, so the output does not depend on
the machine's fonts, and the same scenario gives the same bytes (no clock in the file).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import jinja2
import matplotlib

from configurator.cards import Card, cards_from_case
from configurator.catalog import Case
from configurator.demand import demand_from_scenario
from configurator.i18n import text
from configurator.layout import Option, options_from_case
from configurator.plan_svg import plan_svg
from configurator.program import PoolingComparison, Program, compare_pooling, program_from_case

__all__ = [
    "BookletError",
    "Printed",
    "environment",
    "fonts",
    "html_to_pdf",
    "printed_case",
    "render_booklet",
    "render_card",
]


class BookletError(ValueError):
    """The booklet cannot be made as asked (an option the layout did not give)."""


def fonts() -> tuple[str, str]:
    """Return file URLs of the bundled regular and bold fonts (matplotlib's DejaVu Sans)."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return (folder / "DejaVuSans.ttf").as_uri(), (folder / "DejaVuSans-Bold.ttf").as_uri()


def environment() -> jinja2.Environment:
    """A jinja2 environment on the package's templates, escaping HTML, failing on unknowns."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("configurator", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _css_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


class Printed:
    """A case with its programme, pooling comparison and ranked options: what the pages show."""

    def __init__(self, case: Case, program: Program, pooling: PoolingComparison,
                 options: list[Option]) -> None:  # fmt: skip
        self.case, self.program, self.pooling, self.options = case, program, pooling, options


def printed_case(case: Case, *, options: int | None = None) -> Printed:
    """Size the case, compare pooling and lay out its options (once, for every page)."""
    program = program_from_case(case)
    ranked = options_from_case(case, options=options, program=program)
    return Printed(case, program, compare_pooling(case), ranked)


def _fmt(value: float, lang: str, decimals: int = 1) -> str:
    out = f"{value:,.{decimals}f}".replace(",", "\u202f")
    return out.replace(".", ",") if lang == "fi" else out


def _base(printed: Printed, lang: str, title: str, option: int) -> dict[str, Any]:
    """The template values every page needs: words, fonts, header, dates."""
    scenario = printed.case.scenario
    regular, bold = fonts()
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
    css = (
        environment()
        .get_template("style.css")
        .render(
            font_regular=regular,
            font_bold=bold,
            header=_css_string(f"{scenario.name} · {title}"),
            header_right=_css_string(f"{text('date', lang)} {date_text} · {scenario.revision}"),
            page_word=_css_string(text("page", lang)),
        )
    )
    values["css"] = css
    return values


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
                "privacy": text(f"privacy.{zone.privacy}", lang),
                "area": _fmt(math.fsum(r.area_m2 for r in rows), lang),
                "rows": [
                    {
                        "name": str(getattr(r.names, lang)),
                        "count": r.count,
                        "unit": text(f"unit.{r.unit}", lang),
                        "unit_area": _fmt(r.unit_area_m2, lang),
                        "area": _fmt(r.area_m2, lang),
                    }
                    for r in rows
                ],
            }
        )
    return groups


def _totals(printed: Printed, lang: str) -> list[dict[str, str]]:
    t = printed.program.totals
    return [
        {"label": text("net", lang), "value": f"{_fmt(t.net_m2, lang)} m²"},
        {"label": text("circulation", lang), "value": f"{_fmt(t.circulation_m2, lang)} m²"},
        {"label": text("usable", lang), "value": f"{_fmt(t.usable_m2, lang)} m²"},
        {"label": text("gross", lang), "value": f"{_fmt(t.gross_m2, lang)} m²"},
    ]


def render_booklet(printed: Printed, *, lang: str, option: int = 1) -> tuple[str, list[Card]]:
    """Return the whole booklet as one HTML document, and its cards."""
    chosen = _chosen(printed, option)
    case = printed.case
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    cards = cards_from_case(case, printed.program, chosen.plan, lang=lang, demand=demand)
    agencies = {a.id: a for a in case.catalog.agencies}
    pooling = printed.pooling
    values = _base(printed, lang, text("booklet", lang), option) | {
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
            shared=_fmt(pooling.shared_usable_m2, lang, 0),
            separate=_fmt(pooling.separate_usable_m2, lang, 0),
            saving=_fmt(pooling.saving_m2, lang, 0),
            share=f"{_fmt(pooling.saving_share * 100, lang, 0)} %",
            rent=_fmt(pooling.saving_rent_eur_year, lang, 0),
        ),
        "programme": _programme(printed, lang),
        "plan_svg": plan_svg(
            chosen.plan, catalog=case.catalog, width_mm=180.0, labels=True, lang=lang
        ),
        "cards_list": cards,
    }
    return environment().get_template("booklet.html").render(**values), cards


def render_card(printed: Printed, card: Card, *, option: int = 1) -> str:
    """Return one card as a standalone HTML document (for ``--split``)."""
    values = _base(printed, card.lang, card.name, option) | {
        "with_front": False,
        "cards_list": [card],
        "strategy": _chosen(printed, option).plan.strategy,
    }
    return environment().get_template("booklet.html").render(**values)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Lay the HTML out as PDF with WeasyPrint (its fonts embedded, subset)."""
    import weasyprint  # type: ignore[import-untyped]

    return bytes(weasyprint.HTML(string=html, base_url=base_url).write_pdf())
