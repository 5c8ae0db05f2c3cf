"""Widget bounds and help read from the scenario schema, so the UI never restates a limit."""

from __future__ import annotations

from typing import Any

import annotated_types
from pydantic import BaseModel


def bounds(model: type[BaseModel], name: str) -> tuple[float | None, float | None]:
    """The least and greatest value the schema allows a field (open bounds taken as closed)."""
    lows: list[float] = []
    highs: list[float] = []
    for rule in model.model_fields[name].metadata:
        if isinstance(rule, annotated_types.Ge):
            lows.append(float(rule.ge))  # type: ignore[arg-type]
        elif isinstance(rule, annotated_types.Gt):
            lows.append(float(rule.gt))  # type: ignore[arg-type]
        elif isinstance(rule, annotated_types.Le):
            highs.append(float(rule.le))  # type: ignore[arg-type]
        elif isinstance(rule, annotated_types.Lt):
            highs.append(float(rule.lt))  # type: ignore[arg-type]
    return (max(lows) if lows else None), (min(highs) if highs else None)


def described(model: type[BaseModel], name: str) -> str | None:
    """The schema's description of a field, for a widget's help."""
    return model.model_fields[name].description


def default(model: type[BaseModel], name: str) -> Any:
    """The schema's default of a field."""
    return model.model_fields[name].get_default(call_default_factory=True)
