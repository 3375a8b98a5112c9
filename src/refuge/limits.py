"""How big an input refuge accepts, in one place (documented in ``docs/security.md``).

Why limits at all: a case file, an export or a report comes from people and sites refuge does
not control. Without a cap, a 488-byte YAML alias bomb or a 50 MB file of 582,000 events takes
minutes and gigabytes before any check runs. Every cap is checked *before* the expensive work
(the size before a file is read whole, the nesting and alias expansion while YAML is composed),
and every refusal names what was too big, where, and the limit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from refuge.errors import InputError

#: A case file (one case) read whole; an export holding many cases may be larger.
MAX_CASE_FILE_BYTES = 16_000_000
#: An export (YAML stream or JSON list of cases) given to ``refuge import``.
MAX_EXPORT_BYTES = 512_000_000
#: A report (text, Markdown or HTML article) given to ``analyze``, ``ingest`` or the web.
MAX_REPORT_BYTES = 5_000_000
#: Characters of article text the reader reads (after HTML is stripped): about 30,000 words,
#: several times the longest news article; reading costs time in proportion to the text.
MAX_REPORT_CHARS = 200_000
#: Mappings and lists inside one another in YAML or JSON (case files nest about 5 deep).
MAX_NESTING = 64
#: Values that YAML aliases may add beyond those written out (an alias bomb adds billions).
MAX_ALIAS_EXPANSION = 100_000
#: Events in one case (the longest real timelines have a few hundred).
MAX_EVENTS_PER_CASE = 5_000
#: Characters in one text field of a case file (a name, a title, a quote, a note).
MAX_FIELD_CHARS = 20_000


def human_size(count: int) -> str:
    """Bytes as a short figure a user reads at a glance (``5.2 MB``)."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB ({count:,} bytes)"
    return f"{count:,} bytes"


def read_capped(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refusing before reading it whole when it is over ``limit``.

    The size is checked twice: from ``stat`` (cheap, before any read) and by reading at most
    one byte more than the limit (a pipe or a file growing meanwhile). Raises ``InputError``
    naming the file, its size and the limit; ``OSError`` is left to the caller.
    """
    size = path.stat().st_size
    if size <= limit:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        size = len(data)
    if size > limit:
        raise InputError(
            f"{path}: the {what} is {human_size(size)}, over the limit of {human_size(limit)}"
        )
    return data


def load_json(text: str, where: str) -> Any:
    """Parse JSON, refusing nesting deeper than ``MAX_NESTING`` with a clear error.

    ``json.loads`` itself raises ``RecursionError`` on very deep input; shallower but still
    deep input would overflow the recursive code that reads the result later, so the depth is
    checked on the parsed value (breadth-first, no recursion) as well.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        data = None
        deep = True
    else:
        deep = _too_deep(data)
    if deep:
        raise InputError(f"{where}: JSON nested deeper than {MAX_NESTING} levels")
    return data


def _too_deep(data: Any) -> bool:
    level: list[Any] = [data]
    for _ in range(MAX_NESTING + 1):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True
