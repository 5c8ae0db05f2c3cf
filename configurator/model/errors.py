"""Report bad input as a list of specific problems, each with a code, a file, a line and a path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ConfigError", "LayoutError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected.

    Codes are stable so that scripts and tests can rely on them: ``E1xx`` file and syntax,
    ``E2xx`` a field's type or bounds, ``E3xx`` a cross-reference, ``E4xx`` a sum or share,
    ``E5xx`` geometry; a plan's audit uses ``P1xx``-``P5xx`` (see
    :mod:`configurator.review.audit`) and its building-rule review ``R1xx``-``R3xx`` (see
    :mod:`configurator.review.rules`), naming the rooms, corridors and doors involved in ``ids``.
    """

    code: str
    message: str
    file: Path | None = None
    line: int | None = None
    path: str = ""
    ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = str(self.file) if self.file is not None else "<input>"
        if self.line is not None:
            where += f":{self.line}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message} [{self.code}]"

    def plan_line(self) -> str:
        """Return the problem as one line of a plan audit: code, then what is wrong."""
        return f"{self.code} {self.message}"


class LayoutError(ValueError):
    """The programme cannot be laid out in the footprint (the message says why and by how much)."""


class ConfigError(Exception):
    """Raised once with every problem found in an input, never one at a time."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
