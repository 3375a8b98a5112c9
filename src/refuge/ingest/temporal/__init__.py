"""The temporal layer: time expressions in English news, normalised against the report's date.

    from refuge.ingest.temporal import Timex, find_timexes
    find_timexes("He was detained in late November.", datetime.date(2022, 12, 30))
    # [Timex(start=19, end=32, text='late November', type='DATE', value='2022-11', mod='END',
    #        earliest=date(2022, 11, 21), latest=date(2022, 11, 30))]

Modules: `timex` (the value type), `lexicon` (words), `grammar` (recognition), `granules`
(calendar arithmetic), `anchoring` (tense and story anchor), `normalise`, `relative` and
`durations` (meaning), `pipeline` (putting it together).
"""

from __future__ import annotations

from .pipeline import find_timexes
from .timex import Timex

__all__ = ["Timex", "find_timexes"]
