"""Year notes: the short story an analyst writes behind one year's figure of a measure.

A year note is shown beside a chart, next to the point it explains, so it is short: a few
sentences that fit the chart's side panel. The import and the leadership page both refuse a longer
note with the same limit, :data:`YEAR_NOTE_MAX_CHARS`, so a note typed in one is never cut or
refused by the other.
"""

from __future__ import annotations

YEAR_NOTE_MAX_CHARS = 1000
