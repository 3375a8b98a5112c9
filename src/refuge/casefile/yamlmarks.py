"""YAML to plain Python values, remembering the line of every key so errors can point at it."""

from __future__ import annotations

from typing import Any

import yaml

Path = tuple[str | int, ...]


class YamlProblem(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        super().__init__(message)


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse one YAML document safely; return the data and ``{path: 1-based line}``.

    Duplicate keys are an error (PyYAML would silently keep the last one, losing data).
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlProblem(line, f"not valid YAML: {problem}") from None
    lines: dict[Path, int] = {}
    if node is None:
        return None, lines
    return _convert(node, (), lines), lines


def _convert(node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise YamlProblem(key_node.start_mark.line + 1, f"duplicate key {key!r}")
            result[key] = _convert(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlProblem(node.start_mark.line + 1, "a key must be a plain value")
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except ValueError:  # e.g. an impossible date such as 2021-02-30: let the validator name it
        return node.value


# Scalar construction is stateless, so one constructor serves every call.
_CONSTRUCTOR = yaml.SafeLoader("")
