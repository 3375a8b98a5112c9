"""Kleene's three-valued logic: ``True``, ``False`` and ``None`` for "unknown".

The law engine never forces an answer the facts do not give: a fuzzy date or a missing finding
propagates as ``None`` and becomes "possible" or "unknown" in a finding, never "certain".
"""

from __future__ import annotations

from collections.abc import Iterable

Tri = bool | None


def t_not(value: Tri) -> Tri:
    return None if value is None else not value


def t_and(values: Iterable[Tri]) -> Tri:
    result: Tri = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def t_or(values: Iterable[Tri]) -> Tri:
    result: Tri = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def t_all_same(values: Iterable[Tri]) -> Tri:
    """One answer for several possibilities: the common value, or unknown if they differ."""
    seen = set(values)
    return seen.pop() if len(seen) == 1 else None
