"""Field reading: which column holds what, and each row's cells as canonical values."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from geo.fields import (
    ADDRESS,
    CoordinateColumns,
    FieldMapping,
    candidate_columns,
    detect_mapping,
    parse_kind,
    parse_post_type,
    parse_risk,
    parse_tps_code,
    post_type_from_name,
)
from geo.importer._findings import CHECK, Findings
from geo.importer._numbers import cell_text, parse_count, parse_number
from geo.importer.options import ImportChoices
from geo.importer.report import Severity
from geo.io import RawTable
from geo.model import KINDS, Col, Kind, LocationQuality
from geo.text import Text

__all__ = ["FIELD_ORDER", "map_fields", "resolve_mapping"]

FIELD_ORDER = (
    Col.SITE_ID,
    Col.KIND,
    Col.NAME,
    Col.RISK,
    Col.POST_TYPE,
    Col.TPS_NO,
    Col.VOTERS,
    Col.PERSONNEL,
    Col.RADIUS_M,
    Col.KELURAHAN,
    Col.KECAMATAN,
    Col.AREA_CODE,
    ADDRESS,
    Col.LOCATION_QUALITY,
    Col.SOURCE,
)


def _too_few_distinct(values: pd.Series) -> bool:
    """True for a column that cannot be names: one value, or a handful repeated on many rows."""
    return len(values) > 1 and values.nunique() <= max(1, 0.05 * len(values))


def resolve_mapping(
    table: pd.DataFrame, coordinates: CoordinateColumns | None, choices: ImportChoices
) -> FieldMapping:
    """Detected mapping, with a name column that really holds names, then the overrides."""
    columns = [str(c) for c in table.columns]
    coords = (
        (coordinates.x, coordinates.y, coordinates.pair, coordinates.wkt) if coordinates else ()
    )
    skip = {c for c in coords if c} | {"description"}
    mapping = detect_mapping(columns, exclude=skip).with_overrides({Col.NAME: None})
    id_col = mapping.get(Col.SITE_ID)
    ids = table[id_col].map(cell_text) if id_col else None
    for candidate in candidate_columns(Col.NAME, columns, exclude=skip | {id_col}):
        values = table[candidate].map(cell_text)
        if ids is not None and values.equals(ids):
            continue  # a feature id, not a name (a KML <name> often is)
        id_like = values.dropna().astype(str).str.fullmatch(r"[\w.:/-]*\d[\w.:/-]*").mean() > 0.9
        if _too_few_distinct(values) or (id_like and values.is_unique):
            if id_col is None and values.is_unique:
                mapping = mapping.with_overrides({Col.SITE_ID: candidate})
                id_col, ids = candidate, values
            continue
        mapping = mapping.with_overrides({Col.NAME: candidate})
        break
    return mapping.with_overrides(choices.columns)


class _FieldReader:
    """Turns one row's cells into canonical values, noting what it finds."""

    def __init__(
        self, raw: RawTable, mapping: FieldMapping, choices: ImportChoices, found: Findings
    ) -> None:
        self.col = mapping.get
        # plain lists: reading cell by cell through pandas costs 20x more
        self.values = {
            canonical: raw.attributes[column].tolist()
            for canonical, column in mapping.columns.items()
            if column in raw.attributes
        }
        self.choices = choices
        self.found = found
        self.stem = Path(raw.file_name).stem
        self.file_name = raw.file_name
        self.seen_ids: dict[str, int] = {}
        self.repeats = {i.row - 1 for i in found.rows if i.code == "duplicate_row" and i.row}

    def cell(self, canonical: str, row: int) -> str | None:
        values = self.values.get(canonical)
        return cell_text(values[row]) if values is not None else None

    def kind(self, row: int) -> Kind | None:
        if self.choices.kind is not None:
            return self.choices.kind
        column = self.col(Col.KIND)
        label = self.cell(Col.KIND, row)
        kind = parse_kind(label) if label else None
        if label is None:
            self.found.row(
                row,
                Severity.ERROR,
                "kind_missing",
                "issue.kind_missing_row",
                column=column,
                fix=Text("fix.choose_kind"),
            )
        elif kind is None:
            self.found.row(
                row,
                Severity.ERROR,
                "unknown_kind",
                "issue.unknown_kind",
                column=column,
                value=label,
                fix=Text("fix.choose_kind"),
            )
        return kind

    def site_id(self, row: int) -> str:
        site_id = self.cell(Col.SITE_ID, row)
        column = self.col(Col.SITE_ID)
        if site_id is None:
            site_id = f"{self.stem}-{row + 1}"
            if column:
                self.found.row(
                    row, Severity.INFO, "missing_id", "issue.missing_id", column=column, id=site_id
                )
        if row in self.repeats:
            return site_id  # an exact repeat, rejected already
        if site_id in self.seen_ids:
            new_id = f"{site_id}#{row + 1}"
            self.found.row(
                row,
                Severity.WARNING,
                "duplicate_id",
                "issue.duplicate_id",
                column=column,
                id=site_id,
                first=self.seen_ids[site_id] + 1,
                new_id=new_id,
                fix=Text("fix.unique_ids"),
            )
            return new_id
        self.seen_ids[site_id] = row
        return site_id

    def risk(self, row: int, kind: Kind | None) -> str | None:
        fallback = _required(kind, Col.RISK)
        if fallback is None:
            return None
        column = self.col(Col.RISK)
        label = self.cell(Col.RISK, row)
        if label is None:
            if column:
                self.found.row(
                    row, Severity.WARNING, "missing_risk", "issue.missing_risk", column=column
                )
            return fallback.value
        risk = parse_risk(label)
        if risk is None:
            self.found.row(
                row,
                Severity.ERROR,
                "unknown_risk",
                "issue.unknown_risk",
                column=column,
                value=label,
                fix=Text("fix.risk_labels"),
            )
            return None
        return risk.value

    def post_type(self, row: int, kind: Kind | None, name: str | None) -> str | None:
        fallback = _required(kind, Col.POST_TYPE)
        if fallback is None:
            return None
        column = self.col(Col.POST_TYPE)
        label = self.cell(Col.POST_TYPE, row)
        post_type = parse_post_type(label) if label else post_type_from_name(name)
        if label and post_type is None:
            self.found.row(
                row,
                Severity.ERROR,
                "unknown_post_type",
                "issue.unknown_post_type",
                column=column,
                value=label,
                fix=CHECK,
            )
            return None
        if post_type is None:
            self.found.row(
                row,
                Severity.WARNING,
                "missing_post_type",
                "issue.missing_post_type",
                column=column,
                fix=Text("fix.map_column"),
            )
            post_type = fallback
        return post_type.value

    def number(self, row: int, canonical: str, *, whole: bool = True) -> float | int | None:
        text = self.cell(canonical, row)
        try:
            return parse_count(text) if whole else parse_number(text)
        except (ValueError, OverflowError):
            self.found.row(
                row,
                Severity.WARNING,
                "not_a_number",
                "issue.not_a_number",
                column=self.col(canonical),
                value=text,
            )
            return None

    def quality(self, row: int) -> str:
        text = self.cell(Col.LOCATION_QUALITY, row)
        known = {q.value for q in LocationQuality}
        value = text.lower() if text else None
        return value if value in known else LocationQuality.APPROXIMATE.value

    def tps(self, row: int, kind: Kind | None) -> tuple[str | None, int | None]:
        """Kelurahan code and TPS number, from the TPS number column or a KPU TPS code
        ("1971011004-TPS 001") in the id column."""
        site_id = self.cell(Col.SITE_ID, row)
        from_id = (None, None)
        if kind == Kind.POLLING_STATION and site_id and "tps" in site_id.casefold():
            from_id = parse_tps_code(site_id)
        text = self.cell(Col.TPS_NO, row)
        if text is None:
            return from_id
        code, number = parse_tps_code(text)
        if number is None:
            whole = self.number(row, Col.TPS_NO)
            return from_id[0], int(whole) if whole is not None else None
        return code or from_id[0], number

    def read(self, row: int) -> dict[str, Any]:
        kind = self.kind(row)
        site_id = self.site_id(row)
        name = self.cell(Col.NAME, row)
        area_code, tps_no = self.tps(row, kind)
        kelurahan = self.cell(Col.KELURAHAN, row)
        address = self.cell(ADDRESS, row)
        if name is None and kind == Kind.POLLING_STATION and tps_no is not None:
            name = " ".join(p for p in (f"TPS {tps_no:03d}", kelurahan) if p)
        return {
            Col.SITE_ID: site_id,
            Col.KIND: kind.value if kind else None,
            # a list without names (e.g. polling places by address) is shown by its address
            Col.NAME: name or address or site_id,
            Col.RISK: self.risk(row, kind),
            Col.POST_TYPE: self.post_type(row, kind, name),
            Col.TPS_NO: tps_no,
            Col.VOTERS: self.number(row, Col.VOTERS),
            Col.PERSONNEL: self.number(row, Col.PERSONNEL),
            Col.RADIUS_M: self.number(row, Col.RADIUS_M, whole=False),
            Col.KELURAHAN: kelurahan,
            Col.KECAMATAN: self.cell(Col.KECAMATAN, row),
            Col.AREA_CODE: area_code,
            ADDRESS: address,
            Col.LOCATION_QUALITY: self.quality(row),
            Col.SOURCE: f"{self.file_name}:{row + 1}",
        }


def map_fields(
    raw: RawTable, mapping: FieldMapping, choices: ImportChoices, found: Findings
) -> pd.DataFrame:
    """Every row's canonical fields (FIELD_ORDER columns), noting what is missing or odd."""
    if choices.kind is None and mapping.get(Col.KIND) is None:
        found.whole(
            Severity.ERROR, "kind_missing", "issue.kind_missing", fix=Text("fix.choose_kind")
        )
    if mapping.get(Col.RISK) is None:
        found.whole(
            Severity.WARNING, "risk_missing", "issue.risk_missing", fix=Text("fix.map_column")
        )
    reader = _FieldReader(raw, mapping, choices, found)
    return pd.DataFrame(
        [reader.read(row) for row in range(raw.rows)],
        columns=[*FIELD_ORDER],
        index=range(raw.rows),
    )


def _required(kind: Kind | None, column: str) -> StrEnum | None:
    """The value an import gives `column` when a site of `kind` needs one and the list has
    none; None when the kind needs no value there (the registry says which)."""
    return KINDS[kind].required.get(column) if kind is not None else None
