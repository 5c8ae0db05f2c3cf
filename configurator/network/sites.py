"""The sites of a portfolio: one scenario each, read and checked at the edge, keyed by content.

A site is a scenario file in a folder (its id is the file's stem). Each is loaded with the
scenario loader's checks, so a broken file is a failed site with its problems, not a crash of
the run; what a job gets is the loaded case as JSON (plain data that pickles small), and its
key is a hash of that JSON with the tool's version and the options asked for, so a rerun knows
which sites it has already done with the same inputs.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from configurator import __version__
from configurator.inputs.catalog import load_case
from configurator.model.errors import ConfigError, Problem
from configurator.model.schema import Entrance, Footprint

__all__ = [
    "SITE_ID",
    "Place",
    "Site",
    "fitted_rectangle",
    "rectangle_footprint",
    "said",
    "sites_from_folder",
]

_SAID = 3
"""A site whose scenario does not load is reported with its first problems and a count."""

SITE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
"""A site id: it names the site's folder, so letters, digits, ``_`` and ``-`` only (never a
path like ``..``)."""
MAX_SITES = 5_000
"""A folder with more scenario files than this is refused (E560): Finland's network is ~900."""


@dataclass(frozen=True)
class Place:
    """Where a site is: its region (the totals group by it), municipality and map position."""

    region: str = ""
    municipality: str = ""
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Site:
    """One site to run: its id, where it came from, and its checked case as JSON (or why not)."""

    id: str
    source: str
    case_json: str | None
    problems: tuple[str, ...] = ()
    date: datetime.date | None = None
    """The scenario's date: the portfolio's files are dated by the latest (never the clock)."""
    place: Place = Place()
    fit: float | None = None
    """A new building to be sized: this many times the programme's gross area (else the
    case's footprint is the building)."""

    def key(self, options: int, *, extra: str = "") -> str:
        """Return the hash a rerun finds this site's result by: its inputs, the options and
        outputs asked for and the tool's version (a changed catalog or scenario is a new key)."""
        text = (
            f"{__version__}\n{options}\n{extra}\n{self.id}\n{self.place}\n{self.fit}\n"
            f"{self.case_json or self.problems}"
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rectangle_footprint(width: float, depth: float) -> Footprint:
    """Return a rectangular building: the main door mid-front, the staff door at the far end of
    the back façade, windows all round (a table's rectangle or a new building)."""
    main = Entrance(id="main_door", at=(round(width / 2, 2), 0.0), width_m=2.4, kind="main")
    staff = Entrance(id="staff_door", at=(round(width - 2.0, 2), depth), width_m=1.2, kind="staff")
    return Footprint(rectangle=(width, depth), entrances=[main, staff])


def said(problems: Sequence[Problem], prefix: str = "") -> tuple[str, ...]:
    """Return a failed site's first problems and a count of the rest (a site's reason is read
    in a table cell, not a log)."""
    lines = [prefix + str(p) for p in problems]
    if len(lines) > _SAID:
        lines = [*lines[:_SAID], f"and {len(lines) - _SAID} more problems"]
    return tuple(lines)


def fitted_rectangle(area_m2: float) -> Footprint:
    """Return a new rectangular building of about ``area_m2``: a floor 14-24 m deep (about a
    fifth of its width; deeper floors leave dark middles), sides rounded up to 0.1 m."""
    depth = min(24.0, max(14.0, math.sqrt(area_m2 / 2.5)))
    width = max(depth, area_m2 / depth)
    return rectangle_footprint(math.ceil(width * 10) / 10, math.ceil(depth * 10) / 10)


def sites_from_folder(folder: Path) -> list[Site]:
    """Return the sites of a folder of scenario files (``*.yaml``, ``*.yml``), by id.

    Raises :class:`ConfigError` when the folder is missing, holds no scenario or too many
    (E560); a scenario that does not load is a site carrying its problems.
    """
    if not folder.is_dir():
        raise ConfigError([Problem("E560", "no such folder of site scenarios", folder)])
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
    if not files:
        raise ConfigError([Problem("E560", "the folder holds no scenario file (*.yaml)", folder)])
    if len(files) > MAX_SITES:
        raise ConfigError(
            [Problem("E560", f"{len(files)} scenario files, more than {MAX_SITES} read", folder)]
        )
    ids = [p.stem for p in files]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ConfigError(
            [Problem("E561", f"two files give the site id {i!r} (.yaml and .yml)", folder)
             for i in twice]
        )  # fmt: skip
    sites = []
    for path in files:
        if not SITE_ID.match(path.stem):
            reason = (f"{path.name}: a site's id is its file's name, which must be letters, "
                      "digits, '_' and '-' (it names the site's folder) [E561]")  # fmt: skip
            sites.append(Site(path.stem, path.name, None, (reason,)))
            continue
        try:
            case = load_case(path)
        except ConfigError as exc:
            sites.append(Site(path.stem, path.name, None, said(exc.problems)))
            continue
        # without the file's path: the same scenario in another folder is the same inputs
        inputs = case.model_dump_json(exclude={"source"})
        sites.append(Site(path.stem, path.name, inputs, date=case.scenario.date))
    return sites
