"""Check inputs, write their JSON Schemas, list a catalog: ``validate``, ``schema``, ``catalog``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from configurator._io import write_text_atomic
from configurator.cli.common import Lang, checked, lang_or_exit
from configurator.inputs.catalog import DEFAULT_CATALOG, Case, json_schemas, load_case, load_catalog
from configurator.model.errors import ConfigError
from configurator.model.schema import Catalog

__all__ = ["catalog_lines", "list_catalog", "schema", "validate"]


def load_input(path: Path) -> Case | Catalog:
    """Load a scenario file, or a catalog folder, checking everything."""
    if path.is_dir():
        return load_catalog(path)
    return load_case(path)


def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files or catalog folders.")],
) -> None:
    """Check scenario files (with their catalog) and catalog folders; report every problem."""
    failed = False
    for path in files:
        try:
            loaded = load_input(path)
        except ConfigError as exc:
            failed = True
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            typer.echo(f"invalid: {path} ({len(exc.problems)} problem(s))", err=True)
            continue
        if isinstance(loaded, Case):
            typer.echo(
                f"ok: {path}: {loaded.scenario.name!r}, {len(loaded.scenario.agencies)} agencies, "
                f"{len(loaded.catalog.space_types)} space types in the catalog"
            )
        else:
            typer.echo(f"ok: {path}: catalog with {len(loaded.space_types)} space types")
    if failed:
        raise typer.Exit(1)


def schema(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Folder to write the *.schema.json files to.")
    ] = Path("schema"),
) -> None:
    """Write the JSON Schema of scenario and catalog files, for editor autocompletion."""
    for name, document in json_schemas().items():
        write_text_atomic(output / name, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        typer.echo(f"wrote {output / name}")


def list_catalog(
    folder: Annotated[
        Path | None, typer.Option("--catalog", help="Catalog folder (the built-in one if omitted).")
    ] = None,
    lang: Lang = "en",
) -> None:
    """List the zones with their space types, the roles, personas and agencies of a catalog."""
    catalog = checked(lambda: load_catalog(folder or DEFAULT_CATALOG))
    for line in catalog_lines(catalog, lang=lang_or_exit(lang)):
        typer.echo(line)


def catalog_lines(catalog: Catalog, *, lang: str) -> list[str]:
    """Describe a catalog in plain lines, zone by zone."""
    lines: list[str] = []
    for zone in sorted(catalog.zones, key=lambda z: z.order):
        access = "visitors" if zone.visitor_access else "staff only"
        lines.append(
            f"{zone.order}. {_name(zone.names, lang)} [{zone.id}] ({zone.privacy}, {access})"
        )
        for st in catalog.space_types:
            if st.zone == zone.id:
                lines.append(
                    f"   - {st.id}: {_name(st.names, lang)}, {st.unit_area_m2:g} m² per {st.unit}, "
                    f"driver {st.driver.kind}"
                )
    lines.append("roles: " + ", ".join(f"{r.id} ({_name(r.names, lang)})" for r in catalog.roles))
    lines.append(
        "personas: "
        + ", ".join(f"{p.id} ({_name(p.names, lang)}, {p.share:.0%})" for p in catalog.personas)
    )
    lines.append(
        "agencies: " + ", ".join(f"{a.id} ({_name(a.names, lang)})" for a in catalog.agencies)
    )
    return lines


def _name(names: Any, lang: str) -> str:
    return str(getattr(names, lang))
