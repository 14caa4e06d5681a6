"""A report that stays small: issues grouped by code with counts, the full list on request."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pandas as pd

from geo.importer import SHOWN_ROWS, ImportChoices, ImportReport, Severity, import_sites
from geo.model import Kind


def many_issues(path: Path, rows: int = 400) -> ImportReport:
    """A list with stacked TPS, unreadable coordinates, blank names and unknown risk labels."""
    lines = ["nama;lintang;bujur;kerawanan"]
    for i in range(rows):
        lat, lon = f"-2.1{i % 7}", f"106.1{i % 7}"  # seven spots, stacked
        if i % 9 == 4:
            lat = "abc"
        risk = "entah" if i % 11 == 5 else "rawan"
        lines.append(f"TPS {i:03d};{lat};{lon};{risk}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))


def test_groups_count_every_row_issue(tmp_path: Path) -> None:
    report = many_issues(tmp_path / "many.csv")
    per_row = Counter((i.code, i.severity) for i in report.issues if i.row is not None)
    groups = report.groups()
    assert {(g.code, g.severity): g.count for g in groups} == per_row
    assert sum(g.count for g in groups) == sum(per_row.values())
    for group in groups:
        rows = sorted(
            i.row for i in report.issues if (i.code, i.severity) == (group.code, group.severity)
        )
        assert list(group.rows) == rows[:SHOWN_ROWS]
    assert groups[0].severity == Severity.ERROR  # errors lead
    assert {"coord_not_numeric", "unknown_risk", "same_coordinates"} <= {g.code for g in groups}


def test_the_json_report_is_grouped_unless_full(tmp_path: Path) -> None:
    report = many_issues(tmp_path / "many.csv", rows=3000)
    short = report.to_json("en")
    full = report.to_json("en", full=True)
    row_issues = [i for i in report.issues if i.row is not None]
    assert not short["issues_complete"] and full["issues_complete"]
    assert len([i for i in full["issues"] if i["row"]]) == len(row_issues)
    shown = Counter(i["code"] for i in short["issues"] if i["row"])
    assert shown and max(shown.values()) == SHOWN_ROWS
    assert {g["code"]: g["count"] for g in short["groups"]} == dict(
        Counter(i.code for i in row_issues)
    )
    assert len(json.dumps(short)) < 40_000 < len(json.dumps(full))


def test_the_issue_csv_lists_every_rejected_row_with_its_reason(tmp_path: Path) -> None:
    report = many_issues(tmp_path / "many.csv")
    table = pd.read_csv(io.StringIO(report.issues_csv("en")))
    assert len(table) == sum(1 for i in report.issues if i.row is not None)
    errors = table[table["severity"] == "error"]
    assert set(errors["row"]) == set(report.rejected["row"])
    assert errors["message"].str.len().min() > 0
    numeric = errors[errors["code"] == "coord_not_numeric"]
    assert len(numeric) == sum(1 for i in range(400) if i % 9 == 4)


def test_an_issue_csv_neutralises_formulas(tmp_path: Path) -> None:
    path = tmp_path / "formula.csv"
    path.write_text("nama;lintang;bujur;kerawanan\n=HYPERLINK(1);-2.1;106.1;=1+1\n", "utf-8")
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    text = report.issues_csv("en")
    assert "unknown_risk" in text and ",=" not in text and '"=' not in text
