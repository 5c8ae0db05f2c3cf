"""The options report: every floor-plan option side by side, its KPIs, ranks and audit, and which
option to recommend and why (its rank on each KPI), from the same templates as the booklet."""

from __future__ import annotations

from typing import Any

from configurator.documents.booklet import Printed, base_values, environment
from configurator.documents.i18n import number, text
from configurator.documents.plan_svg import plan_svg
from configurator.review.ranking import KPIS, Comparison, KpiSpec, compare_options

__all__ = ["render_report"]


def _shown(spec: KpiSpec, value: float, lang: str) -> str:
    """The KPI as printed: shares as per cent, metres and areas with one decimal."""
    if spec.kind == "share":
        return f"{number(value * 100, lang, spec.decimals)} %"
    return number(value, lang, spec.decimals)


def _target(spec: KpiSpec, lang: str) -> str:
    if spec.target is None:
        return ""
    sign = "≥" if spec.better == "higher" else "≤"
    return f"{sign} {_shown(spec, spec.target, lang)}"


def _rows(comparison: Comparison, lang: str) -> list[dict[str, Any]]:
    """One row per KPI: its label, target, and per option the value, rank and target mark."""
    rows = []
    for spec in KPIS:
        cells = [
            {
                "value": _shown(spec, v, lang),
                "rank": r,
                "best": r == 1,
                "meets": m,
            }
            for v, r, m in zip(
                comparison.values[spec.key],
                comparison.ranks[spec.key],
                comparison.meets[spec.key],
                strict=True,
            )
        ]
        rows.append(
            {
                "key": spec.key,
                "label": text(f"kpi.{spec.key}", lang),
                "definition": text(f"def.{spec.key}", lang),
                "target": _target(spec, lang),
                "cells": cells,
            }
        )
    return rows


def render_report(printed: Printed, *, lang: str, extra: str = "") -> str:
    """Return the options report as one HTML document (WeasyPrint prints it to PDF); ``extra``
    is pages a later stage made (the evacuation), placed before the definitions."""
    case = printed.case
    options = printed.options
    comparison = compare_options([o.kpis for o in options])
    position = comparison.options.index(comparison.recommended)
    best = options[position]
    n = len(options)
    score_rank = comparison.ranks["score"][position]
    why = [
        text(
            "rank_line",
            lang,
            kpi=text(f"kpi.{spec.key}", lang),
            rank=comparison.ranks[spec.key][position],
            of=n,
        )
        for spec in KPIS
        if spec.key != "score"
    ]
    columns = [
        {
            "option": o.plan.option,
            "strategy": o.plan.strategy,
            "seed": o.plan.seed,
            "recommended": o.plan.option == comparison.recommended,
            "targets_met": comparison.all_targets_met(i),
            "audit": text("audit_ok", lang)
            if not o.problems
            else text("audit_problems", lang, n=len(o.problems)),
            "thumb": plan_svg(o.plan, catalog=case.catalog, width_mm=60.0, lang=lang),
        }
        for i, o in enumerate(options)
    ]
    values = base_values(printed, lang, text("report", lang), comparison.recommended) | {
        "columns": columns,
        "rows": _rows(comparison, lang),
        "recommended": comparison.recommended,
        "recommended_strategy": best.plan.strategy,
        "why_head": text(
            "why_recommended",
            lang,
            option=comparison.recommended,
            score=number(best.kpis.score, lang, 1),
            rank=score_rank,
            of=n,
        ),
        "why": why,
        "why_tail": text("best_passing", lang)
        if comparison.recommended_meets_targets
        else text("no_option_meets", lang),
        "plan_svg": plan_svg(
            best.plan, catalog=case.catalog, width_mm=180.0, labels=True, lang=lang
        ),
        "extra": extra,
    }
    return environment().get_template("report.html").render(**values)
