"""Bulk import of targets and actuals from CSV and XLSX files, through the fact services.

A file has one fact per row, with FACTS.md's field names plus `jurisdiction` (or their
Chinese names): `kind, jurisdiction, indicator, measure, value, unit, comparator,
period_start, period_end`, optionally `published` and `note`. Values are written as offices
write them (`127` with unit `亿元`, `3.86` with `万人年`, `2.9` with `%`), comparators as
codes or words (`gte`, `以上`, `突破`, `左右`). Each row is read into the arguments of
`fact_create` (or `fact_update` for a fact the file imported before) and validated by them,
as a request to the API is. Any bad row stops the import: every bad row is named with its
row number and nothing of the file is stored. A fact already stored with the same figures is
left alone, so importing a file twice stores nothing new.
"""

from tracker.imports.reading import (
    COLUMNS,
    NOT_IMPORTED,
    ImportedFact,
    ImportFailed,
    file_rows,
    row_read,
)
from tracker.imports.services import ImportReport, RowOutcome, facts_import

__all__ = [
    "COLUMNS",
    "NOT_IMPORTED",
    "ImportFailed",
    "ImportReport",
    "ImportedFact",
    "RowOutcome",
    "facts_import",
    "file_rows",
    "row_read",
]
