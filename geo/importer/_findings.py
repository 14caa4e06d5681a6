"""The issues collected while one file is checked."""

from __future__ import annotations

from typing import Any

from geo.importer.report import Issue, Severity
from geo.text import Text

__all__ = ["CHECK", "Findings"]

CHECK = Text("fix.check_source")


class Findings:
    """Issues collected while checking one file of `n` records."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: list[Issue] = []
        self.file: list[Issue] = []

    def row(
        self,
        row: int,
        severity: Severity,
        code: str,
        key: str,
        *,
        column: str | None = None,
        fix: Text | None = None,
        fix_id: str = "",
        **params: Any,
    ) -> None:
        """Note a finding about record `row` (from 0)."""
        row = int(row)  # numpy indices would not serialise
        text = Text(key, {"row": row + 1, "column": column, **params})
        self.rows.append(Issue(row + 1, column, severity, code, text, fix, fix_id))

    def whole(
        self,
        severity: Severity,
        code: str,
        key: str,
        *,
        column: str | None = None,
        fix: Text | None = None,
        fix_id: str = "",
        **params: Any,
    ) -> None:
        """Note a finding about the whole file."""
        self.file.append(Issue(None, column, severity, code, Text(key, params), fix, fix_id))

    def reject_all(self, code: str, key: str, *, fix: Text | None = None, fix_id: str = "") -> None:
        """Reject every record for one reason."""
        for row in range(self.n):
            self.row(row, Severity.ERROR, code, key, fix=fix, fix_id=fix_id)

    def rejected_rows(self) -> set[int]:
        """Records (from 0) with at least one error."""
        return {i.row - 1 for i in self.rows if i.severity == Severity.ERROR and i.row}
