"""YAML to plain Python values, remembering the line of every key so errors can point at it.

Every YAML file refuge reads (case files, scenarios, law packs) goes through
:func:`load_with_lines`, which is safe against hostile input: only plain values (PyYAML's safe
scalars), nesting at most ``MAX_NESTING`` deep, and aliases that may add at most
``MAX_ALIAS_EXPANSION`` values (a 488-byte "billion laughs" file would add billions).
"""

from __future__ import annotations

from typing import Any

import yaml

from refuge.limits import MAX_ALIAS_EXPANSION, MAX_NESTING

Path = tuple[str | int, ...]


class YamlProblem(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        super().__init__(message)


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse one YAML document safely; return the data and ``{path: 1-based line}``.

    Duplicate keys are an error (PyYAML would silently keep the last one, losing data).
    """
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlProblem(line, f"not valid YAML: {problem}") from None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is None:
        return None, lines
    if loader.alias_lines:
        _check_expansion(node, loader.alias_lines[0])
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


class _LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a nesting limit (its composer recurses once per level, so
    deep input would otherwise end in ``RecursionError``) that notes where aliases are used."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.alias_lines: list[int] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent) and line is not None:
            self.alias_lines.append(line)
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise YamlProblem(line, f"nested deeper than {MAX_NESTING} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _check_expansion(root: yaml.Node, first_alias: int) -> None:
    """Refuse aliases that refer to the value containing them, nest too deep once expanded, or
    expand to too many values, before anything is expanded: the size and height of each node
    are computed once (memoised on the graph), so the check is linear in the file."""
    seen: dict[int, tuple[int, int]] = {}  # id(node) -> (values once expanded, height)
    visiting: set[int] = set()

    def measure(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in visiting:
            raise YamlProblem(first_alias, "an alias refers to the value that contains it")
        known = seen.get(key)
        if known is None:
            if depth > MAX_NESTING:
                raise YamlProblem(first_alias, f"aliases nest deeper than {MAX_NESTING} levels")
            visiting.add(key)
            children: list[yaml.Node] = []
            if isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            parts = [measure(child, depth + 1) for child in children]
            visiting.discard(key)
            known = (1 + sum(p[0] for p in parts), 1 + max((p[1] for p in parts), default=0))
            seen[key] = known
        if depth + known[1] > MAX_NESTING + 1:
            raise YamlProblem(first_alias, f"aliases nest deeper than {MAX_NESTING} levels")
        if known[0] - len(seen) > MAX_ALIAS_EXPANSION:
            raise YamlProblem(
                first_alias,
                f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} values "
                "(an alias bomb?); write the values out instead",
            )
        return known

    measure(root, 1)


# Scalar construction is stateless, so one constructor serves every call.
_CONSTRUCTOR = yaml.SafeLoader("")
