"""The sites of a portfolio from a table (CSV or XLSX): one row a site, checked at the edge.

Columns (a header row; names in any case; only ``site`` is required):

``site``
    the site's id (letters, digits, ``_``, ``-``); ``name``, ``municipality``, ``region``: text
    (the region groups the portfolio's totals); ``lat``, ``lon``: the site on the map (WGS84).
``agencies``
    catalog agency ids separated by spaces, commas or semicolons (default: the catalog's state
    agencies); ``population``: residents served, from which each agency's visits and staff are
    scaled (:mod:`.demand`); ``visits_<agency>``: that agency's annual visits, which win.
the building, one of
    ``width_m`` and ``depth_m`` (a rectangle: the main door in the middle of the front, the staff
    door at the far end of the back, windows all round); ``scenario`` (a scenario file, relative
    to the table: its building, its partners unless the row names others); ``dxf`` or ``ifc``
    (a drawing or a building model, relative to the table; ``storey`` picks the model's storey);
    or none: a new building sized to the programme (:data:`FIT_FACTOR` times its gross area).

A table that cannot be read, lacks ``site``, names a column it does not know (a typo would be a
silent default) or gives a site id twice is refused whole (E564). A row whose values are wrong
(a width that is not a number, an unknown agency, a drawing that does not read) is a site that
fails with its reason, line and column (E565), and the other sites go on.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import yaml

from configurator.inputs.catalog import (
    BuiltInCatalog,
    built_in_catalog,
    load_case,
    load_case_text,
)
from configurator.model.errors import ConfigError, Problem
from configurator.model.schema import Footprint
from configurator.network.demand import agency_entries
from configurator.network.sites import (
    MAX_SITES,
    SITE_ID,
    Place,
    Site,
    rectangle_footprint,
    said,
    sites_from_folder,
)

__all__ = ["FIT_FACTOR", "MAX_TABLE_BYTES", "read_sites", "sites_from_table"]

MAX_TABLE_BYTES = 20_000_000
"""The largest sites table read (a national table of a thousand rows is under 200 kB)."""
FIT_FACTOR = 1.2
"""A site with no building gets a new one of this many times the programme's gross area: the
programme's rooms and circulation with a margin for the walls and the shape (a judgement)."""
_FIXED = ("site", "name", "municipality", "region", "lat", "lon", "population", "agencies")
_BUILDING = ("width_m", "depth_m", "scenario", "dxf", "ifc", "storey")


class _RowError(ValueError):
    """A row's value that is wrong: the column and what was expected."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def read_sites(path: Path) -> list[Site]:
    """Return the sites of a folder of scenario files or of a sites table (.csv, .xlsx)."""
    if path.is_dir():
        return sites_from_folder(path)
    if path.suffix.lower() in (".csv", ".xlsx") or path.is_file():
        return sites_from_table(path)
    return sites_from_folder(path)  # says that there is no such folder


def sites_from_table(path: Path, *, files: bool = True) -> list[Site]:
    """Return the sites of a CSV or XLSX table (see the module docstring), in row order.

    Without ``files`` (a table uploaded to the app), a row may not name a scenario, drawing or
    model file: the server's files are not the uploader's to read (the row fails, E565).
    """
    header, rows = _rows(path)
    built_in = built_in_catalog()
    catalog = built_in.catalog
    agency_ids = {a.id for a in catalog.agencies}
    problems = _header_problems(header, agency_ids, path)
    ids = [row.get("site", "").strip().lower() for _, row in rows]
    problems += [
        Problem("E564", f"the site id {i!r} is given twice (ids are told apart without case: "
                "they name folders)", path)
        for i in sorted({i for i in ids if i and ids.count(i) > 1})
    ]  # fmt: skip
    problems += [
        Problem("E564", "the row has no site id", path, line=line)
        for (line, _), i in zip(rows, ids, strict=True) if not i
    ]  # fmt: skip
    if problems:
        raise ConfigError(problems)
    return [_site(path, line, row, built_in, files=files) for line, row in rows]


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read the table's header (lower-cased, as written: a name twice stays twice) and its rows
    as (line, column → text); E564 if unreadable."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ConfigError([Problem("E564", f"cannot read the sites table: {exc}", path)]) from None
    if size > MAX_TABLE_BYTES:
        raise ConfigError(
            [Problem("E564", f"{size:,} bytes, more than the {MAX_TABLE_BYTES:,} read", path)]
        )
    if path.suffix.lower() == ".xlsx":
        grid = _xlsx_grid(path)
    elif path.suffix.lower() == ".csv":
        grid = _csv_grid(path)
    else:
        raise ConfigError([Problem("E564", "a sites table is a .csv or .xlsx file", path)])
    grid = [(line, cells) for line, cells in grid if any(c.strip() for c in cells)]
    if not grid:
        raise ConfigError([Problem("E564", "the table is empty", path)])
    (_, head), body = grid[0], grid[1:]
    names = [h.strip().lower() for h in head]
    if "site" not in names:
        raise ConfigError(
            [Problem("E564", "the table has no 'site' column (the header is its first row)", path)]
        )
    if len(body) > MAX_SITES:
        raise ConfigError([Problem("E564", f"{len(body)} rows, more than {MAX_SITES}", path)])
    if not body:
        raise ConfigError([Problem("E564", "the table has a header and no site", path)])
    out = []
    for line, cells in body:
        # a value under no heading (past the header's last name, or under an empty one) would
        # be silently lost: refused; empty cells there (a trailing comma) are nothing
        stray = [k for k, c in enumerate(cells) if c.strip() and (k >= len(names) or not names[k])]
        if stray:
            raise ConfigError(
                [Problem("E564", f"a value in column {stray[0] + 1}, which has no heading",
                         path, line=line)]
            )  # fmt: skip
        out.append((line, {n: (cells[k] if k < len(cells) else "") for k, n in enumerate(names)
                           if n}))  # fmt: skip
    return [n for n in names if n], out


def _csv_grid(path: Path) -> list[tuple[int, list[str]]]:
    """Read a CSV (UTF-8, comma or semicolon separated) as numbered rows of cells."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problem = Problem("E564", f"cannot read the table as UTF-8: {exc}", path)
        raise ConfigError([problem]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    grid = []
    try:
        for cells in reader:
            grid.append((reader.line_num, cells))
    except csv.Error as exc:
        problem = Problem("E564", f"not CSV: {exc}", path, line=reader.line_num)
        raise ConfigError([problem]) from None
    return grid


def _xlsx_grid(path: Path) -> list[tuple[int, list[str]]]:
    """Read the first sheet of a workbook as numbered rows of cells: the values a spreadsheet
    program saved; a formula it saved no value for is E564 (recalculate and save), never an
    empty cell."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:  # a zip bomb is refused before it is unpacked
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > 10 * MAX_TABLE_BYTES:
            raise ConfigError(
                [Problem("E564", f"the workbook unpacks to {unpacked:,} bytes: too large", path)]
            )
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
        try:
            grid = []
            rows = zip(
                values.worksheets[0].iter_rows(values_only=True),
                formulas.worksheets[0].iter_rows(values_only=True),
                strict=False,
            )
            for number, (saved, written) in enumerate(rows, start=1):
                if number > MAX_SITES + 1:
                    raise ConfigError([Problem("E564", f"more than {MAX_SITES} rows", path)])
                for value, formula in zip(saved, written, strict=False):
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        raise ConfigError(
                            [
                                Problem(
                                    "E564",
                                    f"a formula with no saved value ({formula}): open the "
                                    "workbook in a spreadsheet program and save it",
                                    path,
                                    line=number,
                                )
                            ]
                        )
                grid.append((number, [_cell_text(v) for v in saved]))
            return grid
        finally:
            values.close()
            formulas.close()
    except ConfigError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ConfigError(
            [Problem("E564", f"cannot read the workbook: {type(exc).__name__}: {exc}", path)]
        ) from None


def _cell_text(value: object) -> str:
    """Return a workbook cell as the text a CSV would hold (12.0 as 12)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_problems(header: list[str], agency_ids: set[str], path: Path) -> list[Problem]:
    """Return a problem per column the table should not have (unknown, or given twice)."""
    problems = []
    known = {*_FIXED, *_BUILDING}
    for name in sorted(set(header)):
        if header.count(name) > 1:
            problems.append(Problem("E564", f"the column {name!r} is given twice", path, line=1))
        elif name.startswith("visits_"):
            if name.removeprefix("visits_") not in agency_ids:
                problems.append(
                    Problem("E564", f"column {name!r}: no catalog agency "
                            f"{name.removeprefix('visits_')!r} (known: "
                            f"{', '.join(sorted(agency_ids))})", path, line=1)
                )  # fmt: skip
        elif name not in known and name:
            problems.append(
                Problem("E564", f"unknown column {name!r}; a table knows "
                        f"{', '.join((*_FIXED, *_BUILDING))} and visits_<agency>", path, line=1)
            )  # fmt: skip
    return problems


def _site(
    path: Path, line: int, row: dict[str, str], built_in: BuiltInCatalog, *, files: bool
) -> Site:
    """Return one row's site: its checked case, or the row's problems (the site fails)."""
    site_id = row.get("site", "").strip()
    source = f"{path.name}:{line}"
    if not SITE_ID.match(site_id):
        return Site(site_id, source, None,
                    (f"{path.name} line {line}, column site: expected an id of letters, digits, "
                     f"'_' and '-' (E565), got {site_id!r}",))  # fmt: skip
    place = Place()
    try:
        for column, text in row.items():
            if any(ord(c) < 32 and c != "\t" for c in text):
                raise _RowError(column, "a control character in the cell")
        place = Place(
            region=row.get("region", "").strip(),
            municipality=row.get("municipality", "").strip(),
            lat=_number(row, "lat", -90.0, 90.0),
            lon=_number(row, "lon", -180.0, 180.0),
        )
        if not files:
            for column in ("scenario", "dxf", "ifc"):
                if row.get(column, "").strip():
                    raise _RowError(column, "an uploaded table cannot name files on the server")
        case_json, fit, date = _case(path, line, row, built_in)
    except _RowError as exc:
        reason = f"{path.name} line {line}, column {exc.column}: {exc} (E565)"
        return Site(site_id, source, None, (reason,), place=place)
    except ConfigError as exc:  # the row's scenario: its field and message, not a line of the
        # YAML made from the row
        found = [Problem(p.code, f"{p.path + ': ' if p.path else ''}{p.message}", None)
                 for p in exc.problems]  # fmt: skip
        reasons = tuple(r.removeprefix("<input>: ") for r in said(found))
        return Site(site_id, source, None, tuple(f"{path.name} line {line}: {r}" for r in reasons),
                    place=place)  # fmt: skip
    return Site(site_id, source, case_json, date=date, place=place, fit=fit)


def _case(
    path: Path, line: int, row: dict[str, str], built_in: BuiltInCatalog
) -> tuple[str, float | None, Any]:
    """Return the row's case as JSON, the fit factor of a building to be sized, and its date."""
    catalog = built_in.catalog
    name = row.get("name", "").strip() or row["site"].strip()
    population = _whole(row, "population", 1, 10_000_000)
    visits = {
        k.removeprefix("visits_"): v
        for k in row
        if k.startswith("visits_") and (v := _whole(row, k, 0, 10_000_000)) is not None
    }
    listed = [a.lower() for a in re.split(r"[\s,;+]+", row.get("agencies", "").strip()) if a]
    state = [a.id for a in catalog.agencies if a.kind == "state"]
    # the partners listed, else the state agencies and any other agency given visits
    chosen = listed or [*state, *sorted(a for a in visits if a not in state)]
    known = sorted(a.id for a in catalog.agencies)
    for agency in chosen:
        if agency not in known:
            raise _RowError("agencies", f"no catalog agency {agency!r} (known: {', '.join(known)})")
    given = [c for c in ("width_m", "scenario", "dxf", "ifc") if row.get(c, "").strip()]
    if row.get("depth_m", "").strip() and "width_m" not in given:
        given.append("depth_m")
    if len(given) > 1:
        raise _RowError(given[1], f"give one building: {', '.join(given)} are all given")
    demand = population is not None or bool(visits) or bool(row.get("agencies", "").strip())
    entries = agency_entries(catalog, chosen, population=population, visits=visits)
    building = given[0] if given else None
    if building == "scenario":
        return _scenario_case(path, row, name, entries if demand else None)
    fit = None
    if building in ("width_m", "depth_m"):
        footprint = _rectangle(_number(row, "width_m", 4.0, 500.0),
                               _number(row, "depth_m", 4.0, 500.0))  # fmt: skip
    elif building in ("dxf", "ifc"):
        footprint = _drawn(path, row, building)
    else:
        footprint, fit = _rectangle(40.0, 20.0), FIT_FACTOR  # sized to the programme in the job
    data = {
        "name": name,
        "agencies": entries,
        "footprint": footprint.model_dump(mode="json", exclude_defaults=True),
    }
    case = load_case_text(yaml.safe_dump(data, sort_keys=False), name=path.name, base=path.parent,
                          built_in=built_in)  # fmt: skip
    return case.model_dump_json(exclude={"source"}), fit, None


def _scenario_case(
    path: Path, row: dict[str, str], name: str, entries: list[dict[str, object]] | None
) -> tuple[str, None, Any]:
    """Return the case of a row that names a scenario file, its partners replaced if the row
    gives demand."""
    file = _file(path, row, "scenario")
    if entries is None:
        case = load_case(file)
    else:
        from configurator.inputs._yaml import read_yaml

        data, _ = read_yaml(file)
        if not isinstance(data, dict):
            raise _RowError("scenario", "the scenario file is not a mapping")
        data["agencies"] = entries
        data["name"] = name if row.get("name", "").strip() else data.get("name", name)
        case = load_case_text(yaml.safe_dump(data, sort_keys=False), name=file.name,
                              base=file.parent)  # fmt: skip
    return case.model_dump_json(exclude={"source"}), None, case.scenario.date


def _drawn(path: Path, row: dict[str, str], column: str) -> Footprint:
    """Return the footprint of the row's drawing or building model (its own entrances)."""
    file = _file(path, row, column)
    if column == "dxf":
        from configurator.dxf import footprint_from_dxf

        if row.get("storey", "").strip():
            raise _RowError("storey", "a storey is chosen in a building model (ifc), not a dxf")
        return footprint_from_dxf(file)
    from configurator.ifc.footprint import footprint_from_model

    return footprint_from_model(file, storey=row.get("storey", "").strip() or None)


def _file(path: Path, row: dict[str, str], column: str) -> Path:
    """Return the file a row names, relative to the table; it must exist."""
    folder = path.parent.resolve()
    file = (folder / row[column].strip()).resolve()
    if not file.is_relative_to(folder):
        raise _RowError(column, "a file in the table's folder or below it, not elsewhere")
    if not file.is_file():
        raise _RowError(column, f"no file {row[column].strip()!r} beside the table")
    return file


def _rectangle(width: float | None, depth: float | None) -> Footprint:
    """Return a rectangular building: the main door mid-front, the staff door at the far end of
    the back façade, windows all round."""
    if width is None or depth is None:
        raise _RowError("depth_m" if width is not None else "width_m",
                        "a rectangle needs both width_m and depth_m")  # fmt: skip
    return rectangle_footprint(width, depth)


def _whole(row: dict[str, str], column: str, low: int, high: int) -> int | None:
    """Return a cell as a whole number in [low, high], None when empty. Spaces between the
    thousands are read; a comma or a point is refused (12,000 is twelve thousand in English
    and twelve in Finnish: a silent wrong figure either way)."""
    text = row.get(column, "").strip()
    if not text:
        return None
    digits = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not digits.isdigit():
        raise _RowError(column, f"expected a whole number without separators, got {text!r}")
    value = int(digits)
    if not low <= value <= high:
        raise _RowError(column, f"expected a whole number from {low} to {high}, got {text!r}")
    return value


def _number(row: dict[str, str], column: str, low: float, high: float) -> float | None:
    """Return a cell as a number in [low, high], None when empty; a decimal comma is read."""
    text = row.get(column, "").strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", ".").replace(" ", ""))
    except ValueError:
        raise _RowError(column, f"expected a number, got {text!r}") from None
    if not low <= value <= high:
        raise _RowError(column, f"expected a number from {low:g} to {high:g}, got {text!r}")
    return value
