"""Portfolio page: a network of sites (the national example or an uploaded table) run through
the pipeline with a progress bar; the table, the charts and the map; the workbook and the PDF."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from configurator.model.errors import ConfigError
from configurator.network import Site, run_portfolio, sites_from_table
from configurator.network.run import Portfolio
from configurator.network.siting import FINLAND, municipalities_from_csv
from configurator.network.summary import (
    SITE_COLUMNS,
    network_totals,
    portfolio_figures,
    portfolio_html,
    portfolio_xlsx,
)
from configurator.network.table import MAX_TABLE_BYTES
from ui import job
from ui.texts import t

EXAMPLE = FINLAND.parent / "finland_sites.csv"
# sites an uploaded table may hold here (the app runs them while the page waits; a larger
# network belongs to `configurator portfolio`, on a cluster if need be)
UPLOAD_SITES = 300
RESULT = "portfolio_result"  # (the inputs' digest, the portfolio's JSON) of the session's last run
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(show_spinner=False)
def example_sites() -> list[Site]:
    """The national example's sites, read once (the table takes seconds to check)."""
    return sites_from_table(EXAMPLE)


def chosen_sites() -> tuple[list[Site], str] | None:
    """The sites the user picked (the example's regions or an upload) and their digest."""
    source = st.radio(
        t("portfolio.source"),
        ["example", "upload"],
        format_func=lambda k: t(f"portfolio.source_{k}"),
        horizontal=True,
        key="w_portfolio_source",
    )
    if source == "upload":
        upload = st.file_uploader(t("portfolio.upload"), type=["csv", "xlsx"], key="w_sites")
        if upload is None:
            st.info(t("portfolio.upload_help"))
            return None
        data = upload.getvalue()
        if len(data) > MAX_TABLE_BYTES:
            st.error(t("portfolio.too_large", limit=MAX_TABLE_BYTES // 1_000_000))
            return None
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{Path(upload.name).stem or 'sites'}{suffix}"
            path.write_bytes(data)
            try:
                sites = sites_from_table(path, files=False)
            except ConfigError as exc:
                st.error(t("problems.title") + "\n\n" + job.problem_lines(exc.problems))
                return None
        if len(sites) > UPLOAD_SITES:
            st.error(t("portfolio.too_many", sites=len(sites), limit=UPLOAD_SITES))
            return None
        return sites, hashlib.sha256(data).hexdigest()
    sites = example_sites()
    regions = sorted({s.place.region for s in sites})
    job.seed("w_portfolio_regions", ["Satakunta"] if "Satakunta" in regions else regions[:1])
    picked = st.multiselect(t("portfolio.regions"), regions, key="w_portfolio_regions")
    st.caption(t("portfolio.example_help", sites=len(sites)))
    kept = [s for s in sites if s.place.region in picked]
    return kept, "example:" + ",".join(sorted(picked))


def page() -> None:
    """Pick the sites, run them, show and offer the results."""
    lang = job.lang()
    st.caption(t("portfolio.intro"))
    picked = chosen_sites()
    if picked is None:
        return
    sites, digest = picked
    cols = st.columns([1, 1, 2], vertical_alignment="bottom")
    options = int(cols[0].number_input(t("portfolio.options"), 1, 5, 3, key="w_pf_options"))
    key = f"{digest}:{options}"
    if cols[1].button(t("portfolio.run", sites=len(sites)), type="primary", disabled=not sites):
        bar = st.progress(0.0, text=t("portfolio.progress", done=0, failed=0, total=len(sites)))

        def heard(done: int, failed: int, total: int) -> None:
            text = t("portfolio.progress", done=done, failed=failed, total=total)
            bar.progress(done / total, text=text)

        workers = min(2, os.cpu_count() or 1)
        portfolio, _ = run_portfolio(sites, options=options, workers=workers, progress=heard)
        bar.empty()
        st.session_state[RESULT] = (key, portfolio.model_dump_json())
    kept = st.session_state.get(RESULT)
    if kept is None or kept[0] != key:
        return
    show(Portfolio.model_validate_json(kept[1]), lang)


def show(portfolio: Portfolio, lang: str) -> None:
    """The totals, the summary's own figures and map, the table, the failures, the downloads."""
    totals = network_totals(portfolio)
    cols = st.columns(4)
    cols[0].metric(t("portfolio.planned"), f"{totals['planned']} / {totals['sites']}")
    cols[1].metric(t("portfolio.usable"), f"{totals['usable_m2']:,.0f} m²")
    cols[2].metric(t("portfolio.saving_m2"), f"{totals['saving_m2']:,.0f} m²")
    cols[3].metric(t("portfolio.saving_eur"), f"{totals['saving_rent_eur_year']:,.0f} €")
    background = [(m.lat, m.lon) for m in municipalities_from_csv(FINLAND)]

    def html() -> str:  # made on a click: the page shows the figures, not the summary
        return portfolio_html(portfolio, date=None, lang=lang, background=background)

    downloads = st.columns(3)
    downloads[0].download_button(
        "XLSX", portfolio_xlsx(portfolio, date=None), file_name="portfolio.xlsx", mime=XLSX
    )
    downloads[1].download_button(
        "PDF", lambda: _pdf(html()), file_name="portfolio.pdf", mime="application/pdf"
    )
    downloads[2].download_button("HTML", html, file_name="portfolio.html", mime="text/html")
    figures = portfolio_figures(portfolio, lang=lang, background=background)
    left, right = st.columns([2, 3])
    left.image(figures["map_svg"], use_container_width=True)
    right.image(figures["saving_svg"], use_container_width=True)
    right.image(figures["band_svg"], use_container_width=True)
    right.caption(figures["band_note"])
    ok = [s for s in portfolio.sites if s.failure is None]
    heads = [h for h, _ in SITE_COLUMNS]
    rows = [{h: getattr(s, f) for h, f in SITE_COLUMNS} for s in ok]
    st.dataframe(pd.DataFrame(rows, columns=heads), hide_index=True)
    failed = portfolio.failed
    if failed:
        st.subheader(t("portfolio.failures", count=len(failed)))
        reasons = [{"site": s.site, "reason": s.failure} for s in failed]
        st.dataframe(pd.DataFrame(reasons), hide_index=True)


def _pdf(html: str) -> bytes:
    """The summary laid out as PDF, made when the button is pressed (about 3 s)."""
    from configurator.documents.booklet import html_to_pdf

    return html_to_pdf(html)


st.title(t("page.portfolio"))
page()
