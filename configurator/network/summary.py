"""What a portfolio run writes: ``portfolio.json``, ``portfolio.xlsx`` and the summary as
``portfolio.html`` and ``portfolio.pdf`` (totals, charts, the map, every site and failure), the
same bytes whatever the workers, the cache or the clock (timings go to the log, not here)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from configurator._io import write_bytes_atomic
from configurator.documents.booklet import environment, html_to_pdf, page_css
from configurator.documents.i18n import number, text
from configurator.documents.tables import workbook_bytes
from configurator.network.charts import Bar, Dot, MapSite, band_chart, bar_chart, site_map
from configurator.network.run import Portfolio, SiteResult

__all__ = [
    "SITE_COLUMNS",
    "STATE_BAND_M2",
    "network_totals",
    "portfolio_figures",
    "portfolio_html",
    "portfolio_json",
    "portfolio_xlsx",
    "region_totals",
    "write_portfolio",
]

STATE_BAND_M2 = (15.0, 18.0)
"""The state's target for office space, m² per person-year (htv): the band the summary draws
each site's usable m² per person on site against (the issue's figure; a setting)."""

SITE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("site", "site"),
    ("name", "name"),
    ("agencies", "agencies"),
    ("annual visits", "annual_visits"),
    ("staff on site", "staff_on_site"),
    ("usable m²", "usable_m2"),
    ("gross m²", "gross_m2"),
    ("rent €/year", "rent_eur_year"),
    ("separate offices m²", "separate_usable_m2"),
    ("saving m²", "saving_m2"),
    ("saving €/year", "saving_rent_eur_year"),
    ("m² per annual visit", "m2_per_annual_visit"),
    ("m² per person on site", "usable_m2_per_person"),
    ("region", "region"),
    ("municipality", "municipality"),
    ("building", "building"),
    ("floor m²", "floor_m2"),
)
"""The sites sheet's columns: heading, field of :class:`SiteResult`."""

_BEST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("options", "options"),
    ("best strategy", "strategy"),
    ("score", "score"),
    ("unassigned share", "unassigned_share"),
    ("walk m", "walk_m"),
    ("escape m", "egress_max_m"),
    ("audit problems", "audit_problems"),
    ("building rules broken", "rule_codes"),
    ("spare m²", "spare_m2"),
)


def portfolio_json(portfolio: Portfolio) -> str:
    """Return the portfolio as JSON: every site by its id with its results or its failure."""
    data = portfolio.model_dump(mode="json")
    data["totals"] = network_totals(portfolio)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_portfolio(
    portfolio: Portfolio,
    folder: Path,
    *,
    date: datetime.date | None,
    lang: str = "en",
    background: list[tuple[float, float]] | None = None,
    band: tuple[float, float] = STATE_BAND_M2,
) -> None:
    """Write ``portfolio.json``, ``.xlsx``, ``.html`` and ``.pdf`` into ``folder``, each
    atomically and all made before any is written (a failure leaves the last run's set)."""
    html = portfolio_html(portfolio, date=date, lang=lang, background=background, band=band)
    made = {
        "portfolio.json": portfolio_json(portfolio).encode("utf-8"),
        "portfolio.xlsx": portfolio_xlsx(portfolio, date=date),
        "portfolio.html": html.encode("utf-8"),
        "portfolio.pdf": html_to_pdf(html),
    }
    for name, data in made.items():
        write_bytes_atomic(folder / name, data)


def portfolio_xlsx(portfolio: Portfolio, *, date: datetime.date | None) -> bytes:
    """Return the workbook: a sheet of sites, of failures, of regions and of the network."""
    return workbook_bytes(_workbook(portfolio), date=date)


def region_totals(portfolio: Portfolio) -> dict[str, dict[str, float | int]]:
    """Return each region's totals (sites with no region under ""), by region name."""
    out = {}
    for region in sorted({s.region for s in portfolio.sites}):
        there = [s for s in portfolio.sites if s.region == region]
        out[region] = network_totals(Portfolio(options=portfolio.options, sites=there))
    return out


def portfolio_html(
    portfolio: Portfolio,
    *,
    date: datetime.date | None,
    lang: str = "en",
    background: list[tuple[float, float]] | None = None,
    band: tuple[float, float] = STATE_BAND_M2,
) -> str:
    """Return the summary as one self-contained HTML page (the PDF is laid out from it)."""

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    def n(value: float, decimals: int = 0) -> str:
        return number(value, lang, decimals)

    ok = [s for s in portfolio.sites if s.failure is None]
    totals = network_totals(portfolio)
    date_text = date.isoformat() if date else "—"
    title = t("portfolio")
    values = {
        "lang": lang,
        "t": t,
        "title": title,
        "subtitle": t("pf_subtitle", sites=len(portfolio.sites), options=portfolio.options),
        "date_text": date_text,
        "date_iso": date.isoformat() if date else "2000-01-01",
        "css": page_css(lang, header=title, header_right=f"{t('date')} {date_text}"),
        "totals": [
            (t("pf_count"), n(totals["sites"])),
            (t("pf_planned"), n(totals["planned"])),
            (t("pf_failed"), n(totals["failed"])),
            (t("pf_visits"), n(totals["annual_visits"])),
            (t("pf_staff"), n(totals["staff_on_site"])),
            (t("pf_usable"), n(totals["usable_m2"])),
            (t("pf_gross"), n(totals["gross_m2"])),
            (t("pf_rent"), n(totals["rent_eur_year"])),
            (t("pf_separate"), n(totals["separate_usable_m2"])),
            (t("pf_saving_m2"), n(totals["saving_m2"])),
            (t("pf_saving_eur"), n(totals["saving_rent_eur_year"])),
            (t("pf_per_visits"), n(totals["m2_per_annual_visit"] * 1000, 1)),
        ],
        **portfolio_figures(portfolio, lang=lang, background=background, band=band),
        "region_head": [t("pf_region"), t("pf_count"), t("pf_planned"), t("pf_visits"),
                        t("pf_usable"), t("pf_saving_m2"), t("pf_saving_eur")],
        "regions": [
            [r or "—", n(v["sites"]), n(v["planned"]), n(v["annual_visits"]),
             n(v["usable_m2"]), n(v["saving_m2"]), n(v["saving_rent_eur_year"])]
            for r, v in region_totals(portfolio).items()
        ],
        "site_head": [t("pf_site"), t("pf_name"), t("pf_region"), t("pf_visits"),
                      t("pf_staff"), t("pf_usable"), t("pf_saving_m2"), t("pf_saving_eur"),
                      t("pf_per_person"), t("pf_options"), t("pf_rules")],
        "sites": [
            [s.site, s.name, s.region or "—", n(s.annual_visits), n(s.staff_on_site),
             n(s.usable_m2), n(s.saving_m2), n(s.saving_rent_eur_year),
             n(s.usable_m2_per_person, 1), n(s.best.options) if s.best else "—",
             ", ".join(s.best.rule_codes) if s.best and s.best.rule_codes else "—"]
            for s in ok
        ],
        "failures": portfolio.failed,
    }  # fmt: skip
    return environment().get_template("portfolio.html").render(**values)


def portfolio_figures(
    portfolio: Portfolio,
    *,
    lang: str,
    background: list[tuple[float, float]] | None = None,
    band: tuple[float, float] = STATE_BAND_M2,
) -> dict[str, str]:
    """Return the summary's figures as SVG (``map_svg``, ``saving_svg``, ``band_svg``) and the
    band's note (``band_note``), for the pages and the app alike."""

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    ok = [s for s in portfolio.sites if s.failure is None]
    saving = sorted(ok, key=lambda s: (-s.saving_m2, s.site))
    staffed = [s for s in ok if s.staff_on_site]
    low, high = band
    return {
        "map_svg": site_map(
            _places(portfolio.sites), background or [], title=t("pf_map"),
            legend=t("pf_map_legend"), width=104.0,
        ),
        "saving_svg": bar_chart(
            [Bar(f"{s.site} {s.name}", s.saving_m2) for s in saving],
            title=t("pf_saving_chart"), unit="m²",
        ),
        "band_svg": band_chart(
            [Dot(f"{s.site} {s.name}", s.staff_on_site, s.usable_m2_per_person) for s in staffed],
            title=t("pf_band_chart"), x_label=t("pf_band_x"), y_label=t("pf_band_y"),
            band=band, band_label=t("pf_band", low=number(low, lang, 0),
                                    high=number(high, lang, 0)),
        ),
        "band_note": t(
            "pf_band_note",
            inside=sum(1 for s in staffed if low <= s.usable_m2_per_person <= high),
            above=sum(1 for s in staffed if s.usable_m2_per_person > high),
            below=sum(1 for s in staffed if s.usable_m2_per_person < low),
        ),
    }  # fmt: skip


def _places(sites: list[SiteResult]) -> list[MapSite]:
    """Return one map circle per position: the sites there (a city may have several)."""
    grouped: dict[tuple[float, float], list[SiteResult]] = {}
    for site in sites:
        if site.lat is not None and site.lon is not None:
            grouped.setdefault((site.lat, site.lon), []).append(site)
    return [
        MapSite(
            name=there[0].municipality or there[0].name,
            lat=lat,
            lon=lon,
            area_m2=round(sum(s.usable_m2 for s in there), 1),
            sites=len(there),
            failed=sum(1 for s in there if s.failure is not None),
        )
        for (lat, lon), there in sorted(grouped.items())
    ]


def network_totals(portfolio: Portfolio) -> dict[str, float | int]:
    """The network's totals over the sites that have results."""
    ok = [s for s in portfolio.sites if s.failure is None]
    usable = sum(s.usable_m2 for s in ok)
    visits = sum(s.annual_visits for s in ok)
    return {
        "sites": len(portfolio.sites),
        "planned": len(ok),
        "failed": len(portfolio.sites) - len(ok),
        "usable_m2": round(usable, 1),
        "gross_m2": round(sum(s.gross_m2 for s in ok), 1),
        "rent_eur_year": round(sum(s.rent_eur_year for s in ok), 0),
        "separate_usable_m2": round(sum(s.separate_usable_m2 for s in ok), 1),
        "saving_m2": round(sum(s.saving_m2 for s in ok), 1),
        "saving_rent_eur_year": round(sum(s.saving_rent_eur_year for s in ok), 0),
        "annual_visits": visits,
        "staff_on_site": sum(s.staff_on_site for s in ok),
        "m2_per_annual_visit": round(usable / visits, 5) if visits else 0.0,
    }


def _workbook(portfolio: Portfolio) -> Workbook:
    """A sheet per table: the sites, the failures, the network's totals."""
    book = Workbook()
    bold = Font(bold=True)
    sites = book.active
    assert sites is not None, "a new workbook has a sheet"
    sites.title = "Sites"
    sites.append([h for h, _ in SITE_COLUMNS] + [h for h, _ in _BEST_COLUMNS])
    for result in portfolio.sites:
        if result.failure is not None:
            continue
        row: list[object] = []
        for _, field in SITE_COLUMNS:
            value = getattr(result, field)
            row.append(_cell(", ".join(value) if isinstance(value, list) else value))
        best = result.best
        for _, field in _BEST_COLUMNS:
            value = getattr(best, field) if best is not None else None
            row.append(_cell(", ".join(value) if isinstance(value, list) else value))
        sites.append(row)
    failures = book.create_sheet("Failures")
    failures.append(["site", "source", "region", "reason"])
    for result in portfolio.failed:
        failures.append([_cell(v) for v in (result.site, result.source, result.region,
                                            result.failure)])  # fmt: skip
    regions = book.create_sheet("Regions")
    figures = list(network_totals(portfolio))
    regions.append(["region", *(key.replace("_", " ") for key in figures)])
    for region, values in region_totals(portfolio).items():
        regions.append([_cell(region or "—"), *(values[key] for key in figures)])
    totals = book.create_sheet("Network")
    totals.append(["figure", "value"])
    for key, value in network_totals(portfolio).items():
        totals.append([key.replace("_", " "), value])
    for sheet in (sites, failures, regions, totals):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
    return book


def _cell(value: object) -> object:
    """Return a value a workbook cell can hold: text without the control characters XLSX
    forbids (a scenario's name may carry one), anything else as it is."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value
