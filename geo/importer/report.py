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

__all__ = ["KIND_CODES", "LEAD_CODES", "Fix", "ImportReport", "Issue", "Severity"]


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

    def to_json(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """What `posko check --json` prints."""
        return {
            "file": self.file_name,
            "format": self.format,
            "layer": self.layer,
            **self.counts,
            "crs": self.crs_used,
            "mapping": dict(self.mapping.columns),
            "coordinates": self.coordinates.describe() if self.coordinates else None,
            "fixes": [{"id": f.id, "label": f.label(lang)} for f in self.fixes],
            "issues": [i.as_dict(lang) for i in self.issues],
        }

    def rejected_csv(self) -> str:
        """Rejected rows with their reasons, as CSV text."""
        return to_csv_safe(self.rejected)
