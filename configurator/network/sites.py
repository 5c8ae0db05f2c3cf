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
from dataclasses import dataclass
from pathlib import Path

from configurator import __version__
from configurator.inputs.catalog import load_case
from configurator.model.errors import ConfigError, Problem

__all__ = ["Site", "sites_from_folder"]

_SAID = 3
"""A site whose scenario does not load is reported with its first problems and a count."""

MAX_SITES = 5_000
"""A folder with more scenario files than this is refused (E560): Finland's network is ~900."""


@dataclass(frozen=True)
class Site:
    """One site to run: its id, where it came from, and its checked case as JSON (or why not)."""

    id: str
    source: str
    case_json: str | None
    problems: tuple[str, ...] = ()
    date: datetime.date | None = None
    """The scenario's date: the portfolio's files are dated by the latest (never the clock)."""

    def key(self, options: int) -> str:
        """Return the hash a rerun finds this site's result by: its inputs, the options asked
        for and the tool's version (a changed catalog or scenario is a new key)."""
        text = f"{__version__}\n{options}\n{self.id}\n{self.case_json or self.problems}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
        try:
            case = load_case(path)
        except ConfigError as exc:
            said = [str(p) for p in exc.problems]
            if len(said) > _SAID:
                said = [*said[:_SAID], f"and {len(said) - _SAID} more problems"]
            sites.append(Site(path.stem, path.name, None, tuple(said)))
            continue
        # without the file's path: the same scenario in another folder is the same inputs
        inputs = case.model_dump_json(exclude={"source"})
        sites.append(Site(path.stem, path.name, inputs, date=case.scenario.date))
    return sites
