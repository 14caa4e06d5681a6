"""Import a site list: read, map fields, place every row, check it, and account for every row.

Every record read ends up accepted (perhaps with warnings) or rejected with its reasons:
``accepted + rejected == rows_read`` always. Problems are reported per row with a stable
code, a message from the text catalog (Indonesian or English) and, where one exists, a fix
the planner can apply with one choice (swap axes, apply a CRS, apply the suggested per-row
corrections).

What the planner chooses (:class:`ImportChoices`, hashable) is kept apart from what the
operation supplies (:class:`ImportContext`, built once by
:meth:`ImportContext.for_operation`). The work is split into private modules: ``_numbers``
(cells as numbers and coordinates), ``_placement`` (points from geometries or columns),
``_crs`` (the reference system), ``_positions`` (axes, misplaced rows, corrections),
``_fields`` (canonical fields), ``_duplicates`` and ``_assemble`` (the report).
"""

from geo.importer import options, report
from geo.importer._numbers import SignConflictError, parse_number
from geo.importer._pipeline import import_sites, import_table
from geo.importer.options import ImportChoices, ImportContext, apply_fix
from geo.importer.report import (
    LEAD_CODES,
    SHOWN_ROWS,
    Fix,
    ImportReport,
    Issue,
    IssueGroup,
    Severity,
)

__all__ = [
    "LEAD_CODES",
    "SHOWN_ROWS",
    "Fix",
    "ImportChoices",
    "ImportContext",
    "ImportReport",
    "Issue",
    "IssueGroup",
    "Severity",
    "SignConflictError",
    "apply_fix",
    "import_sites",
    "import_table",
    "options",
    "parse_number",
    "report",
]
