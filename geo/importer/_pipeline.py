"""The import itself: read, place, convert, check, read fields, and account for every row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from geo.fields import FieldMapping, detect_coordinates
from geo.importer._assemble import assemble
from geo.importer._crs import to_degrees
from geo.importer._duplicates import check_repeated_rows, check_shared_places
from geo.importer._fields import FIELD_ORDER, map_fields, resolve_mapping
from geo.importer._findings import CHECK, Findings
from geo.importer._placement import Places, drop_absurd, place_columns, place_geometries
from geo.importer._positions import check_axes, check_positions
from geo.importer.options import ImportChoices, ImportContext
from geo.importer.report import ImportReport, Severity
from geo.io import Deadline, RawTable, read_error, read_table
from geo.text import Text

__all__ = ["import_sites", "import_table"]


def import_sites(
    path: Path | str,
    choices: ImportChoices | None = None,
    context: ImportContext | None = None,
    *,
    name: str | None = None,
) -> ImportReport:
    """Read and check a site list; see :func:`import_table`.

    Raises
    ------
    ReadError
        When the file cannot be read at all, has more rows than allowed, or reading and
        checking it takes longer than `context.time_budget_s`.
    """
    choices = choices or ImportChoices()
    context = context or ImportContext()
    deadline = Deadline(context.time_budget_s, name or Path(path).name)
    raw = read_table(
        path, layer=choices.layer, name=name, max_rows=context.max_rows, deadline=deadline
    )
    return import_table(raw, choices, context, deadline=deadline)


def import_table(
    raw: RawTable,
    choices: ImportChoices | None = None,
    context: ImportContext | None = None,
    *,
    deadline: Deadline | None = None,
    per_row: bool = False,
) -> ImportReport:
    """Map, place and check the records of a table read by :func:`geo.io.read_table`.

    Parameters
    ----------
    raw
        The table as read.
    choices
        The planner's choices (default: none made).
    context
        What the operation supplies, from :meth:`ImportContext.for_operation` (default: no
        areas, the default limits).
    deadline
        When the import must be done (default: `context.time_budget_s` from now); checked
        between stages.
    per_row
        Place and group the rows one by one, as before the checks were vectorised: the
        reference the vectorised checks are tested and benchmarked against (same report).

    Returns
    -------
    report
        Accepted sites (canonical columns, EPSG:4326 points, original attributes kept,
        building outlines in `footprint` as WKT), rejected rows with their reasons, and
        every issue.

    Raises
    ------
    ReadError
        When the file has more rows than `context.max_rows`, or the deadline passes.
    CRSError
        When `choices.crs` names no known CRS.
    """
    choices = choices or ImportChoices()
    context = context or ImportContext()
    deadline = deadline or Deadline(context.time_budget_s, raw.file_name)
    if raw.rows > context.max_rows:
        # the same message as the reader's, which stops at the first row past the limit
        raise read_error("read.rows_over_limit", file=raw.file_name, limit=f"{context.max_rows:,}")
    found = Findings(raw.rows)
    if raw.rows == 0:
        found.whole(Severity.WARNING, "no_rows", "issue.no_rows")
        empty = pd.DataFrame(columns=list(FIELD_ORDER))
        nowhere = np.array([])
        return assemble(
            raw, found, Places.empty(0), nowhere, nowhere, empty, FieldMapping(), None, None
        )
    _note_reading(raw, found)
    coordinates = None
    if raw.geometry is not None:
        places = place_geometries(raw, found, per_row=per_row)
        where = "geometry"
    else:
        coordinates = choices.coordinates or detect_coordinates(list(raw.attributes.columns))
        if coordinates.found:
            places = place_columns(raw, coordinates, found)
        else:
            places = Places.empty(raw.rows)
            fix = Text("fix.choose_coordinates")
            found.whole(
                Severity.ERROR, "no_coordinate_columns", "issue.no_coordinate_columns", fix=fix
            )
            found.reject_all("no_coordinate_columns", "issue.no_geometry", fix=fix)
        where = coordinates.x or coordinates.pair or coordinates.wkt or ""
    drop_absurd(places, found, column=where)
    deadline.check()
    with np.errstate(all="ignore"):  # NaN and far-off values are handled explicitly
        lon, lat, crs_used = to_degrees(raw, places, choices, context, found)
        lon, lat = check_axes(lon, lat, choices, context, found)
        lon, lat = check_positions(lon, lat, choices, context, found, column=where)
    deadline.check()
    check_repeated_rows(raw, places, found)
    mapping = resolve_mapping(raw.attributes, coordinates, choices)
    coordinate_columns = (
        (coordinates.x, coordinates.y, coordinates.pair, coordinates.wkt) if coordinates else ()
    )
    read = map_fields(
        raw, mapping, choices, found, context, exclude=[c for c in coordinate_columns if c]
    )
    fields = read.fields
    deadline.check()
    check_shared_places(raw, lon, lat, fields, found, per_row=per_row)
    deadline.check()
    if choices.strict:
        found.rows = [
            replace(i, severity=Severity.ERROR) if i.severity == Severity.WARNING else i
            for i in found.rows
        ]
    return assemble(
        raw,
        found,
        places,
        lon,
        lat,
        fields,
        mapping,
        coordinates,
        crs_used,
        post_type_values=read.post_type_values,
    )


def _note_reading(raw: RawTable, found: Findings) -> None:
    """What the reader noticed: a fallback encoding, its own notes, ragged rows."""
    if raw.encoding not in (None, "utf-8-sig"):
        found.whole(
            Severity.INFO, "encoding_fallback", "issue.encoding_fallback", encoding=raw.encoding
        )
    for note in raw.notes:
        found.whole(Severity.INFO, "reader_note", "issue.reader_note", note=note)
    for row in raw.ragged:
        found.row(row, Severity.WARNING, "ragged_row", "issue.ragged_row", fix=CHECK)
    for row in raw.undecodable:
        found.row(
            row, Severity.WARNING, "bad_bytes", "issue.bad_bytes", encoding="UTF-8", fix=CHECK
        )
