"""Field reading: which column holds what, and each row's cells as canonical values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from geo.fields import (
    ADDRESS,
    CoordinateColumns,
    FieldMapping,
    candidate_columns,
    detect_indicators,
    detect_mapping,
    normalise_name,
    parse_flag,
    parse_kind,
    parse_post_type,
    parse_risk,
    parse_tps_code,
    parse_unit,
    post_type_from_name,
)
from geo.importer._findings import Findings
from geo.importer._numbers import cell_text, parse_count, parse_number
from geo.importer.options import ImportChoices, ImportContext
from geo.importer.report import Severity
from geo.io import RawTable
from geo.model import (
    KINDS,
    Col,
    Kind,
    LocationQuality,
    PostType,
    Risk,
    RiskRule,
    normalise_label,
    recognised_words,
)
from geo.phases import DEFAULT_PHASES, read_phase_cell
from geo.text import Labels, Text

__all__ = ["FIELD_ORDER", "FieldRead", "map_fields", "resolve_mapping"]

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
    Col.INDICATORS,
    Col.PHASES,
    Col.UNIT,
    Col.DEFAULTED,
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


# kind-column words that say "a police post" and nothing about its type
_POLICE_POST_KIND_WORDS = frozenset(
    w
    for w in recognised_words(Kind.POLICE_POST, KINDS[Kind.POLICE_POST])
    if parse_post_type(w) is None
)

# Columns only a TPS list has (a KPU "daftar TPS"): a list with one is of TPS unless a row
# says otherwise. A bare "no"/"nomor" is a row number in any list and says nothing.
_TPS_COLUMNS = frozenset(
    {"tps_no", "no_tps", "notps", "nomor_tps", "nomortps", "tps", "kode_tps", "id_tps", "tps_id"}
)


_QUALITIES = frozenset(q.value for q in LocationQuality)
_APPROXIMATE = LocationQuality.APPROXIMATE.value


def _tps_list_column(mapping: FieldMapping) -> str | None:
    """The column that makes the list a TPS list, or None."""
    for canonical in (Col.TPS_NO, Col.SITE_ID):
        column = mapping.get(canonical)
        if column is not None and normalise_name(column) in _TPS_COLUMNS:
            return column
    return None


class _FieldReader:
    """Turns one row's cells into canonical values, noting what it finds."""

    def __init__(
        self,
        raw: RawTable,
        mapping: FieldMapping,
        choices: ImportChoices,
        found: Findings,
        *,
        indicators: dict[str, str],
        rule: RiskRule,
        phases: tuple[str, ...] = (),
    ) -> None:
        self.col = mapping.get
        self.phase_keys = phases or DEFAULT_PHASES
        self.indicator_cells = {i: raw.attributes[c].tolist() for i, c in indicators.items()}
        self.indicator_columns = indicators
        self.rule = rule
        self.by_rule = 0  # TPS whose risk class the rule gave
        self.by_column = 0  # TPS with indicators whose risk column wins over the rule
        self.needs_risk = False  # some row is of a kind that needs a risk class
        self.post_type_values: dict[str, None] = {}  # cells that named no post type
        self.defaulted: list[str] = []  # fields of the row being read that the import filled
        # plain lists of cells as text (once each, though several fields read a column):
        # reading cell by cell through pandas costs 20x more
        texts = {
            column: [cell_text(v) for v in raw.attributes[column].tolist()]
            for column in set(mapping.columns.values())
            if column in raw.attributes
        }
        self.values = {
            canonical: texts[column]
            for canonical, column in mapping.columns.items()
            if column in texts
        }
        self.choices = choices
        self.found = found
        self.stem = Path(raw.file_name).stem
        self.file_name = raw.file_name
        self.seen_ids: dict[str, int] = {}
        self.repeats = {i.row - 1 for i in found.rows if i.code == "duplicate_row" and i.row}
        # rows without a kind in a list with a TPS-number column are TPS (and said to be)
        self.default_kind = Kind.POLLING_STATION if _tps_list_column(mapping) else None
        self.defaulted_kinds = 0
        self.risks: dict[str, Risk | None] = {}

    def cell(self, canonical: str, row: int) -> str | None:
        values = self.values.get(canonical)
        return values[row] if values is not None else None

    def kind(self, row: int) -> Kind | None:
        if self.choices.kind is not None:
            return self.choices.kind
        column = self.col(Col.KIND)
        label = self.cell(Col.KIND, row)
        kind = parse_kind(label) if label else None
        if label is None and self.default_kind is not None:
            self.defaulted_kinds += 1
            return self.default_kind
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

    def indicators(self, row: int) -> list[str]:
        """Ids of the indicators that fired on a row, noting cells that say neither yes nor no."""
        fired = []
        for ind, cells in self.indicator_cells.items():
            flag = parse_flag(cells[row])
            if flag is None:
                self.found.row(
                    row,
                    Severity.WARNING,
                    "unknown_indicator_value",
                    "issue.unknown_indicator_value",
                    column=self.indicator_columns[ind],
                    value=cell_text(cells[row]),
                    fix=Text("fix.indicator_values"),
                )
            elif flag:
                fired.append(ind)
        return fired

    def risk(self, row: int, kind: Kind | None, fired: list[str]) -> str | None:
        fallback = _required(kind, Col.RISK)
        if fallback is None:
            return None
        self.needs_risk = True
        column = self.col(Col.RISK)
        label = self.cell(Col.RISK, row)
        if self.indicator_cells:
            if label is None:
                self.by_rule += 1
                return self.rule.classify(fired).value
            self.by_column += 1
        if label is None:
            if column:
                self.found.row(
                    row, Severity.WARNING, "missing_risk", "issue.missing_risk", column=column
                )
            self.defaulted.append(Col.RISK)
            return fallback.value
        if label not in self.risks:  # a list repeats a handful of labels
            self.risks[label] = parse_risk(label)
        risk = self.risks[label]
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
        column, label = self._post_type_cell(row)
        post_type = parse_post_type(label) if label else None
        if post_type is not None:
            return post_type.value
        from_name = post_type_from_name(name) if label is None else None
        if from_name is not None:
            self.found.row(
                row,
                Severity.INFO,
                "post_type_from_name",
                "issue.post_type_from_name",
                column=column,
                post_type=Labels("post_type", {"values": (from_name.value,)}),
            )
            return from_name.value
        self.post_type_values[label or ""] = None  # asked about, chosen or not
        chosen = self.choices.post_type_for(label)
        if chosen is not None:
            return chosen.value
        code = "unknown_post_type" if label else "missing_post_type"
        self.found.row(
            row,
            Severity.ERROR,
            code,
            f"issue.{code}",
            column=column,
            value=label,
            fix=Text("fix.choose_post_type"),
        )
        return None

    def _post_type_cell(self, row: int) -> tuple[str | None, str | None]:
        """The column and cell that state a post's type: the post-type column, else a kind
        column whose cell is more than the police-post kind ("Pos Lantas", "Polsek")."""
        if self.col(Col.POST_TYPE) is not None:
            return self.col(Col.POST_TYPE), self.cell(Col.POST_TYPE, row)
        label = self.cell(Col.KIND, row)
        if label is None or normalise_label(label) in _POLICE_POST_KIND_WORDS:
            return self.col(Col.POST_TYPE), None
        return self.col(Col.KIND), label

    def phases(self, row: int) -> str | None:
        """The phases a row names, as keys joined by ";"; a word naming no phase of the
        operation rejects the row (a site put in the wrong phase would vanish from a map)."""
        text = self.cell(Col.PHASES, row)
        if text is None:
            return None
        cell, unknown = read_phase_cell(text, self.phase_keys)
        for word in unknown:
            self.found.row(
                row,
                Severity.ERROR,
                "unknown_phase",
                "phase.import_unknown",
                column=self.col(Col.PHASES),
                value=word,
                expected=", ".join(self.phase_keys),
                fix=Text("phase.fix_values"),
            )
        return cell

    def unit(self, row: int, post_type: str | None) -> str | None:
        """The reserve unit of a reserve post; other rows keep no unit."""
        text = self.cell(Col.UNIT, row)
        if text is None or post_type != PostType.RESERVE:
            return None
        unit = parse_unit(text)
        if unit is None:
            self.found.row(
                row,
                Severity.WARNING,
                "unknown_unit",
                "phase.unit_unknown",
                column=self.col(Col.UNIT),
                value=text,
            )
        return unit.value if unit else None

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
        value = text.lower() if text else None
        return value if value in _QUALITIES else _APPROXIMATE

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
        self.defaulted = []
        kind = self.kind(row)
        fired = self.indicators(row)
        site_id = self.site_id(row)
        name = self.cell(Col.NAME, row)
        area_code, tps_no = self.tps(row, kind)
        kelurahan = self.cell(Col.KELURAHAN, row)
        address = self.cell(ADDRESS, row)
        given_name = name
        if name is None and kind == Kind.POLLING_STATION and tps_no is not None:
            name = " ".join(p for p in (f"TPS {tps_no:03d}", kelurahan) if p)
        if given_name is None:
            self.defaulted.append(Col.NAME)
        risk = self.risk(row, kind, fired)
        post_type = self.post_type(row, kind, name)
        fields = {
            Col.SITE_ID: site_id,
            Col.KIND: kind.value if kind else None,
            # a list without names (e.g. polling places by address) is shown by its address
            Col.NAME: name or address or site_id,
            Col.RISK: risk,
            Col.POST_TYPE: post_type,
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
            Col.INDICATORS: ";".join(fired) if fired else None,
            Col.PHASES: self.phases(row),
            Col.UNIT: self.unit(row, post_type),
        }
        fields[Col.DEFAULTED] = ";".join(self.defaulted) or None
        return fields


@dataclass(frozen=True)
class FieldRead:
    """What reading the fields gave: the canonical fields and the values to ask about.

    Attributes
    ----------
    fields
        Every row's canonical fields (FIELD_ORDER columns).
    post_type_values
        Post-type cells that name no post type ("" for an empty cell), in the order met; the
        planner maps each to a post type (`ImportChoices.post_types`) or the rows stay rejected.
    indicators
        Indicator id -> the column it was read from.
    """

    fields: pd.DataFrame
    post_type_values: tuple[str, ...] = ()
    indicators: Mapping[str, str] = dataclass_field(default_factory=dict)


def map_fields(
    raw: RawTable,
    mapping: FieldMapping,
    choices: ImportChoices,
    found: Findings,
    context: ImportContext | None = None,
    *,
    exclude: Iterable[str] = (),
) -> FieldRead:
    """Every row's canonical fields, noting what is missing or odd.

    Indicator columns (see :func:`geo.fields.detect_indicators`) are read as yes/no; a TPS
    without a risk class gets one from the fired indicators by `context.risk_rule`.
    """
    context = context or ImportContext()
    tps_column = _tps_list_column(mapping)
    if choices.kind is None and mapping.get(Col.KIND) is None and tps_column is None:
        found.whole(
            Severity.ERROR, "kind_missing", "issue.kind_missing", fix=Text("fix.choose_kind")
        )
    used = {*mapping.columns.values(), *exclude}
    indicators = detect_indicators(raw.attributes, exclude=used)
    reader = _FieldReader(
        raw,
        mapping,
        choices,
        found,
        indicators=indicators,
        rule=context.risk_rule,
        phases=context.phases,
    )
    fields = pd.DataFrame(
        [reader.read(row) for row in range(raw.rows)],
        columns=[*FIELD_ORDER],
        index=range(raw.rows),
    )
    _note_risk_source(reader, mapping, found)
    if reader.defaulted_kinds:
        found.whole(
            Severity.INFO,
            "kind_from_tps_column",
            "issue.kind_from_tps_column",
            column=tps_column,
            tps_column=tps_column,
            n=reader.defaulted_kinds,
        )
    return FieldRead(fields, tuple(reader.post_type_values), indicators)


def _note_risk_source(reader: _FieldReader, mapping: FieldMapping, found: Findings) -> None:
    """Say where TPS risk classes came from: the indicators by the rule, the risk column, or
    nowhere (counted kurang rawan) — the latter only when some row is a TPS."""
    if reader.indicator_columns:
        columns = ", ".join(f"`{c}`" for c in reader.indicator_columns.values())
        found.whole(
            Severity.INFO,
            "indicators_read",
            "issue.indicators_read",
            n=len(reader.indicator_columns),
            columns=columns,
        )
        if reader.needs_risk:
            found.whole(
                Severity.INFO,
                "risk_rule",
                "issue.risk_rule",
                rule=reader.rule.text(),
                n=reader.by_rule,
            )
        if reader.by_column:
            found.whole(
                Severity.INFO,
                "risk_column_wins",
                "issue.risk_column_wins",
                column=mapping.get(Col.RISK),
                risk_column=mapping.get(Col.RISK),
                n=reader.by_column,
            )
    elif reader.needs_risk and mapping.get(Col.RISK) is None:
        found.whole(
            Severity.WARNING, "risk_missing", "issue.risk_missing", fix=Text("fix.map_column")
        )


def _required(kind: Kind | None, column: str) -> StrEnum | None:
    """The value an import gives `column` when a site of `kind` needs one and the list has
    none; None when the kind needs no value there (the registry says which)."""
    return KINDS[kind].required.get(column) if kind is not None else None
