"""Read YAML safely while remembering the line of every key, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from configurator.model.errors import ConfigError, Problem

__all__ = ["LineMap", "PathKey", "dotted", "line_of", "parse_yaml", "read_yaml"]

PathKey = tuple[str | int, ...]
LineMap = dict[PathKey, int]


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Load a YAML file with the safe loader and map every key path to its 1-based line.

    Duplicate keys are an error here: PyYAML would silently keep the last one.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([Problem("E101", "file not found", path)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem("E102", f"cannot read the file: {exc}", path)]) from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> tuple[Any, LineMap]:
    """Parse YAML text (named ``path`` in messages) as :func:`read_yaml` parses a file."""
    # One pass of libyaml's safe loader when PyYAML has it (about ten times the pure-Python
    # parser): the node tree gives the lines, the same tree constructs the data.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "invalid YAML"
        raise ConfigError([Problem("E103", f"invalid YAML: {what}", path, line)]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([Problem("E103", f"invalid YAML: {exc}", path)]) from None
    finally:
        loader.dispose()
    lines: LineMap = {}
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, problems, path)
    if problems:
        raise ConfigError(problems)
    return data, lines


def _walk(
    node: yaml.Node, prefix: PathKey, lines: LineMap, problems: list[Problem], path: Path
) -> None:
    lines.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(
                        "E104",
                        f"duplicate key {key!r} (the later one would silently win)",
                        path,
                        key_node.start_mark.line + 1,
                        dotted((*prefix, key)),
                    )
                )
            seen.add(key)
            lines[(*prefix, key)] = key_node.start_mark.line + 1
            _walk(value_node, (*prefix, key), lines, problems, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*prefix, index)] = item.start_mark.line + 1
            _walk(item, (*prefix, index), lines, problems, path)


def dotted(parts: PathKey) -> str:
    """Write a key path as ``agencies[2].channel_split``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(lines: LineMap, parts: PathKey) -> int | None:
    """Return the line of the longest prefix of ``parts`` that the file has."""
    for end in range(len(parts), -1, -1):
        if parts[:end] in lines:
            return lines[parts[:end]]
    return None
