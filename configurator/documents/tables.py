"""Write the space programme, its sizing reasons, the pooling comparison and costs as tables."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from configurator._io import write_bytes_atomic, write_text_atomic
from configurator.sizing.demand import Demand
from configurator.sizing.program import PoolingComparison, Program

if TYPE_CHECKING:
    from openpyxl import Workbook

__all__ = [
    "FORMATS",
    "demand_rows",
    "pooling_rows",
    "program_rows",
    "program_to_csv",
    "program_to_json",
    "program_to_table",
    "program_to_xlsx",
    "workbook_bytes",
    "write_program",
]

FORMATS = ("table", "csv", "xlsx", "json")

Row = dict[str, Any]


def program_rows(program: Program, *, lang: str = "en") -> list[Row]:
    """Return one plain row per space type, with units in the column names."""
    return [
        {
            "space type": r.space_type,
            "name": getattr(r.names, lang),
            "zone": r.zone,
            "privacy": r.privacy,
            "count": r.count,
            "unit": r.unit,
            "unit area (m²)": round(r.unit_area_m2, 2),
            "rooms": r.rooms,
            "room area (m²)": round(r.room_area_m2, 1),
            "area (m²)": round(r.area_m2, 1),
            "occupants": r.occupants,
            "explanation": r.explanation_in(lang),
        }
        for r in program.rows
    ]


def total_rows(program: Program) -> list[Row]:
    """Return the subtotals and the net-to-gross chain as rows of (item, m²)."""
    t = program.totals
    rows: list[Row] = [
        {"item": f"net, zone {z}", "value": round(a, 1), "unit": "m²"}
        for z, a in program.net_by_zone.items()
    ]
    rows += [
        {"item": f"net, {p}", "value": round(a, 1), "unit": "m²"}
        for p, a in program.net_by_privacy.items()
    ]
    rows += [
        {"item": "net room area", "value": round(t.net_m2, 1), "unit": "m²"},
        {"item": "circulation", "value": round(t.circulation_m2, 1), "unit": "m²"},
        {"item": "usable area", "value": round(t.usable_m2, 1), "unit": "m²"},
        {"item": "gross area", "value": round(t.gross_m2, 1), "unit": "m²"},
        {"item": "staff on site", "value": program.staff_on_site, "unit": "persons"},
        {
            "item": "visitors present in the design hour",
            "value": round(program.occupancy.visitors_present, 1),
            "unit": "persons",
        },
        {
            "item": "design occupants (fire rules)",
            "value": program.occupancy.design,
            "unit": "persons",
        },
        {"item": "work places", "value": program.workplaces, "unit": "work places"},
        {
            "item": "usable area per work place",
            "value": round(program.usable_m2_per_workplace, 1),
            "unit": "m²",
        },
        {
            "item": "usable area per 1 000 annual visits",
            "value": round(1000 * program.usable_m2_per_annual_visit, 2),
            "unit": "m²",
        },
        {"item": "rent", "value": round(program.rent_eur_year), "unit": "€/year"},
    ]
    return rows


def pooling_rows(comparison: PoolingComparison) -> list[Row]:
    """Return the pooling comparison side by side, with the saving."""
    return [
        {
            "item": line.item,
            "unit": line.unit,
            "separate offices": round(line.separate, 1),
            "shared point": round(line.shared, 1),
            "saving": round(line.saving, 1),
        }
        for line in comparison.lines
    ]


def cost_rows(program: Program) -> list[Row]:
    """Return each agency's share of the rent."""
    return [
        {
            "agency": c.agency,
            "share (%)": round(100 * c.share, 1),
            "rent (€/year)": round(c.rent_eur_year),
        }
        for c in program.allocation
    ]


def demand_rows(demand: Demand) -> list[Row]:
    """Return visits/year → visits/design day → arrivals/design hour per agency and channel."""
    return [
        {
            "agency": r.agency,
            "channel": r.channel,
            "visits/year": round(r.visits_per_year),
            "visits/design day": round(r.visits_per_design_day, 1),
            "arrivals/design hour": round(r.arrivals_per_design_hour, 2),
            "handling time (min)": r.handling_time_min,
            "workload (erlang)": round(r.workload_erlangs, 3),
        }
        for r in demand.channels
        if r.visits_per_year > 0
    ]


def sizing_rows(program: Program) -> list[Row]:
    """Return every count with its explanation: spaces, then roles."""
    rows: list[Row] = [
        {"what": s.space_type, "count": s.count, "explanation": s.explanation}
        for s in program.sizing.spaces
    ]
    rows += [
        {"what": f"role: {r.role}", "count": r.persons, "explanation": r.explanation}
        for r in program.sizing.roles
    ]
    return rows


def format_table(rows: list[Row], *, skip: tuple[str, ...] = ()) -> str:
    """Format rows as a plain fixed-width text table."""
    if not rows:
        return ""
    keys = [k for k in rows[0] if k not in skip]
    cells = [[_cell(row[k]) for k in keys] for row in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for c in cells:
        lines.append(
            "  ".join(
                v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(c, widths, strict=True)
            )
        )
    return "\n".join(lines)


def program_to_table(
    program: Program, comparison: PoolingComparison | None, *, lang: str = "en"
) -> str:
    """Return the programme as text: the pooling headline, rows, totals and costs."""
    parts = []
    if comparison is not None:
        parts += [comparison.headline(), "", format_table(pooling_rows(comparison)), ""]
    parts += [
        format_table(
            [r for r in program_rows(program, lang=lang) if r["count"]],
            skip=("explanation", "privacy"),
        ),
        "",
    ]
    parts += [
        format_table(total_rows(program)),
        "",
        format_table(cost_rows(program)),
        "",
        program.allocation_rule,
    ]
    return "\n".join(parts) + "\n"


def program_to_csv(program: Program, *, lang: str = "en") -> str:
    """Return the programme rows as CSV (one row per space type, with explanations)."""
    rows = program_rows(program, lang=lang)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def program_to_json(program: Program, comparison: PoolingComparison | None) -> str:
    """Return the programme (and the pooling comparison) as JSON."""
    document: dict[str, Any] = {"program": program.model_dump(mode="json")}
    if comparison is not None:
        document["pooling"] = comparison.model_dump(mode="json") | {
            "headline": comparison.headline()
        }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def program_to_xlsx(
    program: Program,
    comparison: PoolingComparison | None,
    demand: Demand,
    path: Path,
    *,
    lang: str = "en",
    date: datetime.date | None = None,
) -> None:
    """Write an XLSX workbook: programme, totals, sizing, demand, pooling and costs as sheets.

    The workbook is dated by ``date`` (the scenario's), never the clock, so the same programme
    gives the same bytes.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheets: list[tuple[str, list[Row]]] = [
        ("Programme", program_rows(program, lang=lang)),
        ("Totals", total_rows(program)),
        ("Sizing", sizing_rows(program)),
        ("Demand", demand_rows(demand)),
    ]
    if comparison is not None:
        sheets.append(("Pooling", pooling_rows(comparison)))
    sheets.append(("Costs", cost_rows(program)))
    first = True
    for title, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        if not rows:
            continue
        keys = list(rows[0])
        sheet.append(keys)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row[k] for k in keys])
        for i, key in enumerate(keys, start=1):
            width = max(len(str(key)), *(len(str(r[key])) for r in rows))
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
    costs = book["Costs"]
    costs.append([])
    costs.append([program.allocation_rule])
    if comparison is not None:
        book["Pooling"].append([])
        book["Pooling"].append([comparison.headline()])
    write_bytes_atomic(path, workbook_bytes(book, date=date))


_UNDATED = datetime.date(2000, 1, 1)
"""The date of a workbook whose scenario has none (a constant, so its bytes still repeat)."""


def workbook_bytes(book: Workbook, *, date: datetime.date | None) -> bytes:
    """Return the workbook as XLSX bytes with every timestamp set to ``date``, every cell a
    value (text beginning with '=' is text, not a formula).

    openpyxl stamps the document properties and each zip entry with the clock; the entries are
    copied into a new archive under the given date, in the order openpyxl wrote them.
    """
    from openpyxl.writer.excel import ExcelWriter

    for sheet in book.worksheets:  # we write no formulas: text from a scenario or a table that
        # starts with '=' (a name, a region) stays text, never a formula a spreadsheet runs
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    stamp = datetime.datetime.combine(date or _UNDATED, datetime.time())
    book.properties.created = book.properties.modified = stamp
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    stable = io.BytesIO()
    with (
        zipfile.ZipFile(written) as source,
        zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry))
    return stable.getvalue()


def write_program(
    program: Program,
    comparison: PoolingComparison | None,
    demand: Demand,
    *,
    fmt: str,
    output: Path | None,
    lang: str = "en",
    date: datetime.date | None = None,
) -> str | None:
    """Write the programme in a format to a file, or return the text when there is no file."""
    if fmt == "xlsx":
        if output is None:
            raise ValueError("the xlsx format needs an output file (-o FILE.xlsx)")
        program_to_xlsx(program, comparison, demand, output, lang=lang, date=date)
        return None
    text = {
        "table": lambda: program_to_table(program, comparison, lang=lang),
        "csv": lambda: program_to_csv(program, lang=lang),
        "json": lambda: program_to_json(program, comparison),
    }[fmt]()
    if output is None:
        return text
    write_text_atomic(output, text)
    return None


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ") if abs(value) >= 1000 else f"{value:g}"
    return str(value)


def _numeric(text: str) -> bool:
    return text.replace(" ", "").replace(".", "", 1).replace("-", "", 1).isdigit()
