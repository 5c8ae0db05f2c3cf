"""Load the catalog and a scenario from YAML, validate them and audit their cross-references."""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from configurator.inputs import audit
from configurator.inputs._yaml import LineMap, PathKey, dotted, line_of, parse_yaml, read_yaml
from configurator.model.errors import ConfigError, Problem
from configurator.model.schema import Agency, Catalog, Scenario

__all__ = [
    "CATALOG_SECTIONS",
    "DEFAULT_CATALOG",
    "MAX_SCENARIO_BYTES",
    "Case",
    "json_schemas",
    "load_case",
    "load_case_text",
    "load_catalog",
    "scenario_yaml",
]

DEFAULT_CATALOG = Path(__file__).resolve().parents[2] / "catalog"
"""The catalog shipped with the tool (the ``catalog/`` folder of the repository)."""

CATALOG_SECTIONS = ("zones", "space_types", "roles", "personas", "agencies")
"""Catalog sections; each lives in ``<section>.yaml`` under one top-level key of that name."""


class Case(BaseModel):
    """A scenario with its resolved catalog: everything the pipeline stages need."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scenario: Scenario
    catalog: Catalog
    source: str = ""


class _Source:
    """Where each value of a merged document came from, to point errors at the right line."""

    def __init__(self) -> None:
        self._origins: dict[PathKey, tuple[Path, LineMap, PathKey]] = {}

    def add(self, at: PathKey, file: Path, lines: LineMap, original: PathKey) -> None:
        self._origins[at] = (file, lines, original)

    def locate(self, loc: PathKey) -> tuple[Path | None, int | None]:
        for end in range(len(loc), -1, -1):
            hit = self._origins.get(loc[:end])
            if hit is not None:
                file, lines, original = hit
                return file, line_of(lines, original + loc[end:])
        return None, None


def load_catalog(
    folder: Path | None = None, *, overrides: Mapping[str, Any] | None = None
) -> Catalog:
    """Load, validate and audit a catalog folder (the built-in one by default).

    ``overrides`` maps a section and an id to fields that replace the catalog's, as a
    scenario's ``catalog_overrides`` does. Raises :class:`ConfigError` with every problem.
    """
    catalog, _, problems = _load_catalog(folder or DEFAULT_CATALOG, overrides or {}, None)
    if problems or catalog is None:
        raise ConfigError(problems)
    return catalog


@dataclass(frozen=True)
class BuiltInCatalog:
    """The built-in catalog read and checked once, for many scenarios that use it unchanged
    (a sites table's rows): reading it is most of what loading such a scenario costs."""

    catalog: Catalog
    raw_agencies: dict[str, tuple[dict[str, Any], Path, LineMap, int]]


def built_in_catalog() -> BuiltInCatalog:
    """Return the built-in catalog, read once (raise :class:`ConfigError` on its problems)."""
    catalog, raw_agencies, problems = _load_catalog(DEFAULT_CATALOG, {}, None)
    if problems or catalog is None:
        raise ConfigError(problems)
    return BuiltInCatalog(catalog, raw_agencies)


def load_case(path: Path | str) -> Case:
    """Load a scenario with its catalog and check everything, raising once if anything is wrong.

    Agencies in the scenario name a catalog agency by ``id`` and may override any of its
    figures; an agency not in the catalog must give every field.
    """
    path = Path(path)
    data, lines = read_yaml(path)
    return _case_from(data, lines, path, source=path)


MAX_SCENARIO_BYTES = 1_000_000
"""The largest scenario text :func:`load_case_text` reads (the examples are under 10 kB)."""


def load_case_text(
    text: bytes | str,
    *,
    name: str,
    base: Path,
    catalogs: Collection[Path] | None = None,
    built_in: BuiltInCatalog | None = None,
) -> Case:
    """Load a scenario given as text (an upload) with the checks of :func:`load_case`.

    Messages name the file ``name``; a relative ``catalog`` is read from ``base``. With
    ``catalogs``, the scenario may only name those folders (or none, the built-in one), so an
    uploaded file cannot make the server read other folders: E107. ``built_in`` is the built-in
    catalog already read, used where the scenario takes it unchanged. Over
    :data:`MAX_SCENARIO_BYTES` is E106, text that is not UTF-8 E102.
    """
    shown = Path(Path(name).name or "scenario.yaml")
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ConfigError(
            [
                Problem(
                    "E106",
                    f"the file has {len(raw):,} bytes; a scenario may have at most "
                    f"{MAX_SCENARIO_BYTES:,}".replace(",", " "),
                    shown,
                )
            ]
        )
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem("E102", f"the file is not UTF-8 text: {exc}", shown)]) from None
    data, lines = parse_yaml(decoded, shown)
    ref = data.get("catalog") if isinstance(data, dict) else None
    if catalogs is not None and ref is not None:
        folder = (base / str(ref)).resolve()
        allowed = {c.resolve() for c in catalogs} | {DEFAULT_CATALOG}
        if folder not in allowed:
            raise ConfigError(
                [
                    Problem(
                        "E107",
                        f"catalog {ref!r} is not one this service offers; leave 'catalog' out "
                        "to use the built-in one, and change it with catalog_overrides",
                        shown,
                        line_of(lines, ("catalog",)),
                        "catalog",
                    )
                ]
            )
    return _case_from(data, lines, shown, source=base / shown, built_in=built_in)


def _case_from(
    data: Any, lines: LineMap, path: Path, *, source: Path, built_in: BuiltInCatalog | None = None
) -> Case:
    """Validate parsed scenario data with its catalog (read from beside ``source``)."""
    if not isinstance(data, dict):
        raise ConfigError([Problem("E105", "expected a mapping of scenario fields", path, 1)])
    problems: list[Problem] = []
    catalog_ref = data.get("catalog")
    folder = (source.parent / catalog_ref).resolve() if isinstance(catalog_ref, str) else None
    overrides = data.get("catalog_overrides") or {}
    if not isinstance(overrides, dict):
        overrides = {}
    scenario_site = (path, lines)
    catalog: Catalog | None
    if built_in is not None and folder is None and not overrides:
        catalog, raw_agencies = built_in.catalog, built_in.raw_agencies
        catalog_problems: list[Problem] = []
    else:
        catalog, raw_agencies, catalog_problems = _load_catalog(
            folder or DEFAULT_CATALOG, overrides, scenario_site
        )
    problems += catalog_problems

    merged = copy.deepcopy(data)
    source_map = _Source()
    source_map.add((), path, lines, ())
    entries = data.get("agencies")
    if isinstance(entries, list):
        merged["agencies"] = []
        for index, entry in enumerate(entries):
            merged["agencies"].append(
                _merge_agency(entry, index, raw_agencies, source_map, path, lines, problems)
            )
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(merged)
    except ValidationError as exc:
        problems += _problems_from(exc, merged, source_map)
    if scenario is not None:
        problems += [_at(p, path, lines) for p in audit.audit_scenario(scenario, catalog)]
    if problems or scenario is None or catalog is None:
        raise ConfigError(problems)
    return Case(scenario=scenario, catalog=catalog, source=str(source))


def _merge_agency(
    entry: object,
    index: int,
    raw_agencies: dict[str, tuple[dict[str, Any], Path, LineMap, int]],
    source: _Source,
    path: Path,
    lines: LineMap,
    problems: list[Problem],
) -> object:
    """Fill a scenario's agency entry from the catalog agency of the same id."""
    if not isinstance(entry, dict) or "id" not in entry:
        return entry
    base = raw_agencies.get(str(entry["id"]))
    if base is None:
        missing = sorted(
            name
            for name, field in Agency.model_fields.items()
            if field.is_required() and name not in entry
        )
        if missing:
            problems.append(
                Problem(
                    "E310",
                    f"agency {entry['id']!r} is not in the catalog, so it must give every field; "
                    f"missing: {', '.join(missing)}",
                    path,
                    line_of(lines, ("agencies", index)),
                    f"agencies[{index}]",
                )
            )
        return entry
    raw, file, catalog_lines, catalog_index = base
    for key in raw:
        if key not in entry:
            source.add(
                ("agencies", index, key), file, catalog_lines, ("agencies", catalog_index, key)
            )
    for key in entry:
        source.add(("agencies", index, key), path, lines, ("agencies", index, key))
    return {**copy.deepcopy(raw), **entry}


def _load_catalog(
    folder: Path,
    overrides: Mapping[str, Any],
    scenario_site: tuple[Path, LineMap] | None,
) -> tuple[Catalog | None, dict[str, tuple[dict[str, Any], Path, LineMap, int]], list[Problem]]:
    """Read every section file, apply overrides, validate and audit; collect all problems."""
    problems: list[Problem] = []
    merged: dict[str, Any] = {}
    source = _Source()
    raw_agencies: dict[str, tuple[dict[str, Any], Path, LineMap, int]] = {}
    if not folder.is_dir():
        return None, raw_agencies, [Problem("E101", "catalog folder not found", folder)]
    for section in CATALOG_SECTIONS:
        file = folder / f"{section}.yaml"
        if section == "agencies" and not file.exists():
            merged[section] = []
            continue
        try:
            data, lines = read_yaml(file)
        except ConfigError as exc:
            problems += exc.problems
            continue
        if not isinstance(data, dict) or set(data) != {section}:
            problems.append(
                Problem("E105", f"expected one top-level key '{section}:' holding a list", file, 1)
            )
            continue
        items = data[section]
        merged[section] = items
        source.add((section,), file, lines, (section,))
        if section == "agencies" and isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict) and "id" in item:
                    raw_agencies[str(item["id"])] = (item, file, lines, i)
    problems += _apply_overrides(merged, overrides, source, scenario_site)
    if problems:
        return None, raw_agencies, problems
    try:
        catalog = Catalog.model_validate(merged)
    except ValidationError as exc:
        return None, raw_agencies, problems + _problems_from(exc, merged, source)
    for problem in audit.audit_catalog(catalog):
        where, line = source.locate(_parse_path(problem.path))
        problems.append(Problem(problem.code, problem.message, where, line, problem.path))
    return (None if problems else catalog), raw_agencies, problems


def _apply_overrides(
    merged: dict[str, Any],
    overrides: Mapping[str, Any],
    source: _Source,
    scenario_site: tuple[Path, LineMap] | None,
) -> list[Problem]:
    """Replace catalog fields by a scenario's overrides, pointing errors at the scenario."""
    problems: list[Problem] = []
    file, lines = scenario_site if scenario_site else (None, {})
    for section, by_id in overrides.items():
        where: PathKey = ("catalog_overrides", section)
        items = merged.get(section)
        if section not in CATALOG_SECTIONS or not isinstance(items, list):
            problems.append(
                Problem(
                    "E311",
                    f"unknown catalog section {section!r}; expected one of "
                    f"{', '.join(CATALOG_SECTIONS)}",
                    file,
                    line_of(lines, where),
                    dotted(where),
                )
            )
            continue
        index = {item.get("id"): i for i, item in enumerate(items) if isinstance(item, dict)}
        for item_id, fields in (by_id or {}).items():
            if item_id not in index or not isinstance(fields, dict):
                problems.append(
                    Problem(
                        "E312",
                        f"no {section} entry with id {item_id!r} to override",
                        file,
                        line_of(lines, (*where, item_id)),
                        dotted((*where, item_id)),
                    )
                )
                continue
            i = index[item_id]
            items[i] = {**items[i], **fields}
            if file is not None:
                for key in fields:
                    source.add((section, i, key), file, lines, (*where, item_id, key))
    return problems


def _problems_from(exc: ValidationError, data: Any, source: _Source) -> list[Problem]:
    """Turn pydantic's errors into problems with the data path, file and line."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = _data_path(data, error["loc"])
        file, line = source.locate(loc)
        code = {"share_sum": "E401", "missing": "E202", "extra_forbidden": "E203"}.get(
            error["type"], "E201"
        )
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (not a field of this record; check the spelling)"
        elif error["type"] not in ("missing", "share_sum") and "input" in error:
            shown = repr(error["input"])
            if len(shown) <= 60:
                message += f", got {shown}"
        problems.append(Problem(code, message, file, line, dotted(loc)))
    return problems


def _data_path(data: Any, loc: tuple[int | str, ...]) -> PathKey:
    """Keep the parts of a pydantic location that exist in the data (drop union tags)."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            out.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            out.append(part)
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and part.isidentifier()
            and not _is_tag(part, node)
        ):
            # A missing or unknown field: name it, even though the data does not have it.
            out.append(part)
            node = None
    return tuple(out)


def _is_tag(part: str, node: dict[str, Any]) -> bool:
    """Tell a discriminated union's tag in a location apart from a field name."""
    return node.get("kind") == part


def _parse_path(text: str) -> PathKey:
    """Parse ``space_types[3].zone`` back into a key path."""
    out: list[str | int] = []
    for chunk in text.replace("]", "").split("."):
        head, *indices = chunk.split("[")
        if head:
            out.append(head)
        out += [int(i) for i in indices]
    return tuple(out)


def _at(problem: Problem, file: Path, lines: LineMap) -> Problem:
    """Place a scenario audit problem in the scenario file."""
    return Problem(
        problem.code, problem.message, file, line_of(lines, _parse_path(problem.path)), problem.path
    )


def scenario_yaml(case: Case) -> str:
    """The case's scenario as YAML that :func:`load_case` reads back to the same scenario.

    What the user changed (targets, footprint, figures) is in it. The catalog is named by its
    absolute folder, or left out when it is the built-in one, so the file works wherever it
    is saved.
    """
    data = case.scenario.model_dump(mode="json", exclude_defaults=True)
    data.pop("catalog", None)
    ref = case.scenario.catalog
    if ref is not None:
        folder = (Path(case.source).parent / ref).resolve() if case.source else Path(ref)
        if folder != DEFAULT_CATALOG:
            data = {"catalog": str(folder), **data}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None)


def json_schemas() -> dict[str, dict[str, Any]]:
    """Return the JSON Schema of every input file, keyed by a file name to write it under.

    The scenario schema describes the file as written, where an agency may be just an ``id``
    with overrides; each catalog file holds one section under its own key.
    """
    optional = {
        name: (Optional[field.annotation], Field(default=None, description=field.description))  # noqa: UP045
        for name, field in Agency.model_fields.items()
        if name != "id"
    }
    entry = create_model(  # type: ignore[call-overload]
        "AgencyEntry",
        __config__=ConfigDict(extra="forbid"),
        __doc__="A partner: a catalog agency by id, with any of its figures overridden.",
        id=(str, Field(description="A catalog agency id, or a new id with every field given.")),
        **optional,
    )
    scenario_file = create_model(
        "ScenarioFile",
        __base__=Scenario,
        agencies=(list[entry], Field(min_length=1, description="The partners of this point.")),
    )
    schemas: dict[str, dict[str, Any]] = {"scenario.schema.json": scenario_file.model_json_schema()}
    for section in CATALOG_SECTIONS:
        item = Catalog.model_fields[section].annotation
        model = create_model(  # type: ignore[call-overload]
            f"{section.title().replace('_', '')}File",
            __config__=ConfigDict(extra="forbid"),
            **{section: (item, ...)},
        )
        schemas[f"catalog-{section}.schema.json"] = model.model_json_schema()
    return schemas
