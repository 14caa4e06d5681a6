"""What an import reports: per-row issues, offered fixes and the accepted and rejected rows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from geo.csvsafe import to_csv_safe
from geo.fields import CoordinateColumns, FieldMapping
from geo.model import Kind
from geo.text import DEFAULT_LANGUAGE, Text

__all__ = [
    "KIND_CODES",
    "LEAD_CODES",
    "SHOWN_ROWS",
    "Fix",
    "ImportReport",
    "Issue",
    "IssueGroup",
    "Severity",
]


class Severity(StrEnum):
    """How bad a problem is: errors reject the row, warnings and notes do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Issue codes that concern sites of some kinds only, with those kinds (every other code may
# concern a row of any kind).
KIND_CODES: dict[str, frozenset[Kind]] = {
    "risk_missing": frozenset({Kind.POLLING_STATION}),
    "missing_risk": frozenset({Kind.POLLING_STATION}),
    "unknown_risk": frozenset({Kind.POLLING_STATION}),
    "risk_rule": frozenset({Kind.POLLING_STATION}),
    "risk_column_wins": frozenset({Kind.POLLING_STATION}),
    "same_coordinates": frozenset({Kind.POLLING_STATION}),
    "missing_post_type": frozenset({Kind.POLICE_POST}),
    "unknown_post_type": frozenset({Kind.POLICE_POST}),
    "post_type_from_name": frozenset({Kind.POLICE_POST}),
}

# File-level findings that outrank the rest: a list of another operation is said first.
LEAD_CODES = frozenset({"far_list"})


@dataclass(frozen=True)
class Issue:
    """One finding about one row (or, with `row` None, the whole file).

    Attributes
    ----------
    row
        Record number in the file, from 1 (None: the whole file).
    column
        The column concerned, if any.
    severity
        error (row rejected), warning or info (row kept).
    code
        Stable identifier, e.g. "decimal_shift".
    text
        The message, as a catalog entry with its values.
    fix_text
        What to do about it (a catalog entry), if anything.
    fix_id
        Identifier of a one-click fix that addresses it ("" when there is none).
    """

    row: int | None
    column: str | None
    severity: Severity
    code: str
    text: Text
    fix_text: Text | None = None
    fix_id: str = ""

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The message in `lang`."""
        return self.text.render(lang)

    def fix(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The suggested fix in `lang` ("" when there is none)."""
        return self.fix_text.render(lang) if self.fix_text else ""

    def as_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """Plain data for JSON and tables."""
        return {
            "row": self.row,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message(lang),
            "fix": self.fix(lang),
            "fix_id": self.fix_id,
        }


SHOWN_ROWS = 20
"""Rows of each issue code a short report lists (the rest are counted; the full list is a CSV)."""


@dataclass(frozen=True)
class IssueGroup:
    """The row issues of one code and severity: how many, and the first of them.

    Attributes
    ----------
    code, severity
        What the issues are.
    count
        How many rows have it.
    first
        The first issues (at most :data:`SHOWN_ROWS`), by row.
    """

    code: str
    severity: Severity
    count: int
    first: tuple[Issue, ...]

    @property
    def rows(self) -> tuple[int, ...]:
        """Row numbers of the first issues."""
        return tuple(i.row for i in self.first if i.row is not None)

    def as_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """Plain data for JSON: counts, the first rows and the first issue's message."""
        example = self.first[0]
        return {
            "code": self.code,
            "severity": self.severity.value,
            "count": self.count,
            "rows": list(self.rows),
            "message": example.message(lang),
            "fix": example.fix(lang),
            "fix_id": example.fix_id,
        }


@dataclass(frozen=True)
class Fix:
    """A correction offered for the whole import (the planner applies it with one choice)."""

    id: str
    rows: int

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """What the button says."""
        if self.id.startswith("crs:"):
            code = self.id[4:]
            return Text("import.fix_crs", {"crs": code, "name": CRS(code).name}).render(lang)
        return Text(f"import.fix_{self.id}", {"n": self.rows}).render(lang)


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import: accepted sites, rejected rows and every finding.

    Besides what its names say, it holds `post_type_values` (post-type cells that name no
    post type, "" for an empty one: the planner maps each or their rows stay rejected) and
    `rejected_at` (row number, longitude, latitude of rejected rows with a position in
    degrees, for the preview map).
    """

    file_name: str
    format: str
    layer: str | None
    layers: tuple[str, ...]
    source_columns: tuple[str, ...]
    rows_read: int
    accepted: gpd.GeoDataFrame
    rejected: pd.DataFrame
    issues: tuple[Issue, ...]
    mapping: FieldMapping
    coordinates: CoordinateColumns | None
    crs_used: str | None
    fixes: tuple[Fix, ...]
    post_type_values: tuple[str, ...] = ()
    rejected_at: tuple[tuple[int, float, float], ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """Rows read, accepted and rejected."""
        return {
            "rows_read": self.rows_read,
            "accepted": len(self.accepted),
            "rejected": len(self.rejected),
        }

    @property
    def far_accepted(self) -> tuple[int, float]:
        """Rows accepted although beyond the operation's area margin: (count, largest
        distance in metres); (0, 0.0) when there are none."""
        far = [
            float(i.text.params.get("distance_m", 0.0))
            for i in self.issues
            if i.code == "far_from_area" and i.severity != Severity.ERROR and i.row
        ]
        return len(far), max(far, default=0.0)

    def codes(self, severity: Severity | None = None) -> set[str]:
        """The issue codes present (optionally of one severity)."""
        return {i.code for i in self.issues if severity is None or i.severity == severity}

    def groups(self, shown: int = SHOWN_ROWS) -> tuple[IssueGroup, ...]:
        """The row issues grouped by code and severity (errors first, then by count), each
        with its count and its first `shown` issues."""
        counts: dict[tuple[str, Severity], int] = {}
        first: dict[tuple[str, Severity], list[Issue]] = {}
        for issue in self.issues:
            if issue.row is None:
                continue
            key = (issue.code, issue.severity)
            counts[key] = counts.get(key, 0) + 1
            if counts[key] <= shown:
                first.setdefault(key, []).append(issue)
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        keys = sorted(counts, key=lambda k: (order[k[1]], -counts[k], k[0]))
        return tuple(
            IssueGroup(code, sev, counts[code, sev], tuple(first.get((code, sev), ())))
            for code, sev in keys
        )

    def to_json(self, lang: str = DEFAULT_LANGUAGE, *, full: bool = False) -> dict[str, Any]:
        """What `posko check --json` prints: the file-level issues, the row issues grouped by
        code with counts (`groups`), and in `issues` the file-level issues with the first
        :data:`SHOWN_ROWS` row issues of each code — every row issue when `full`
        (`issues_complete` says which)."""
        groups = self.groups()
        shown = {id(i) for g in groups for i in g.first}
        return {
            "file": self.file_name,
            "format": self.format,
            "layer": self.layer,
            **self.counts,
            "crs": self.crs_used,
            "mapping": dict(self.mapping.columns),
            "coordinates": self.coordinates.describe() if self.coordinates else None,
            "fixes": [{"id": f.id, "label": f.label(lang)} for f in self.fixes],
            "groups": [g.as_dict(lang) for g in groups],
            "issues_complete": full or len(shown) == sum(g.count for g in groups),
            "issues": [
                i.as_dict(lang) for i in self.issues if full or i.row is None or id(i) in shown
            ],
        }

    def rejected_csv(self) -> str:
        """Rejected rows with their reasons, as CSV text."""
        return to_csv_safe(self.rejected)

    def issues_csv(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Every row issue (rejected, warned and noted rows, by row) with its message and
        fix in `lang`, as CSV text a spreadsheet opens safely."""
        rows = [i for i in self.issues if i.row is not None]
        frame = pd.DataFrame(
            {
                "row": [i.row for i in rows],
                "severity": [i.severity.value for i in rows],
                "code": [i.code for i in rows],
                "column": [i.column for i in rows],
                "message": [i.message(lang) for i in rows],
                "fix": [i.fix(lang) for i in rows],
            }
        )
        return to_csv_safe(frame)
