"""Duplicates: exact repeats are rejected; shared places and repeated names are noted."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from geo.importer._findings import CHECK, Findings
from geo.importer._numbers import cell_text
from geo.importer._placement import Places
from geo.importer.report import Severity
from geo.io import RawTable
from geo.model import Col, Kind
from geo.text import Text

__all__ = ["check_repeated_rows", "check_shared_places"]


def check_repeated_rows(raw: RawTable, places: Places, found: Findings) -> None:
    """Reject rows that repeat an earlier row exactly (cells and coordinates)."""
    cells = raw.attributes.map(cell_text)
    hashes = pd.util.hash_pandas_object(cells, index=False).to_numpy()
    first_seen: dict[tuple, int] = {}
    rows = cells.to_numpy()
    for row, digest in enumerate(hashes):
        key = (int(digest), repr(places.x[row]), repr(places.y[row]))
        first = first_seen.get(key)
        # a 64-bit hash may collide: confirm cell by cell before rejecting
        if first is not None and list(rows[row]) == list(rows[first]):
            found.row(
                row,
                Severity.ERROR,
                "duplicate_row",
                "issue.duplicate_row",
                first=first + 1,
                fix=Text("fix.first_kept"),
            )
        elif first is None:
            first_seen[key] = row


def check_shared_places(
    raw: RawTable,
    lon: np.ndarray,
    lat: np.ndarray,
    fields: pd.DataFrame,
    found: Findings,
    *,
    per_row: bool = False,
) -> None:
    """Note rows sharing a place, and warn of equal names at different places in one area.

    Places are compared rounded to 6 decimals (about 10 cm). The rows are grouped at once;
    issues are built only for rows that share a place or a name. `per_row` groups row by row
    instead (the reference this is tested against).
    """
    if per_row:
        _check_shared_places_per_row(raw, lon, lat, fields, found)
        return
    rejected = found.rejected_rows()
    ok = np.isfinite(lon) & np.isfinite(lat)
    ok[list(rejected)] = False
    live = np.flatnonzero(ok)
    # Python's round, not numpy's: the same 10 cm cells as always, halves included
    table = pd.DataFrame(
        {
            "lon": [round(v, 6) for v in lon[live].tolist()],
            "lat": [round(v, 6) for v in lat[live].tolist()],
        }
    )
    kinds = fields[Col.KIND].to_numpy(dtype=object)
    place = table.groupby(["lon", "lat"], sort=False).ngroup().to_numpy()
    first = live[np.unique(place, return_index=True)[1]][place]
    for row, first_row in zip(live[first != live], first[first != live], strict=True):
        # several TPS in one school is normal; the remark says so only for TPS
        tps = kinds[row] == Kind.POLLING_STATION and kinds[first_row] == Kind.POLLING_STATION
        code = "same_coordinates" if tps else "same_place"
        found.row(row, Severity.INFO, code, f"issue.{code}", first=int(first_row) + 1)
    _warn_same_names(fields, live, table, found)


def _warn_same_names(
    fields: pd.DataFrame, live: np.ndarray, places: pd.DataFrame, found: Findings
) -> None:
    """Warn of rows named like an earlier one (same kind, area and TPS number) at a place
    none of those earlier rows has: a building serving several stations is fine."""
    part = fields.iloc[live]
    named = part[Col.NAME].to_numpy(dtype=object) != part[Col.SITE_ID].to_numpy(dtype=object)
    rows = live[named]
    part = part[named]
    kelurahan = part[Col.KELURAHAN].to_numpy(dtype=object)
    kecamatan = part[Col.KECAMATAN].to_numpy(dtype=object)
    keys = pd.DataFrame(
        {
            "kind": part[Col.KIND].to_numpy(dtype=object),
            "name": [str(n).casefold() for n in part[Col.NAME]],
            "area": [k or c for k, c in zip(kelurahan, kecamatan, strict=True)],
            "number": pd.to_numeric(part[Col.TPS_NO], errors="coerce").to_numpy(dtype=float),
        }
    )
    group = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
    at = places[named].reset_index(drop=True).assign(group=group)
    new_place = ~at.duplicated(["group", "lon", "lat"]).to_numpy()
    first = rows[np.unique(group, return_index=True)[1]][group]
    for row, first_row in zip(
        rows[new_place & (first != rows)], first[new_place & (first != rows)], strict=True
    ):
        found.row(
            row,
            Severity.WARNING,
            "duplicate_name",
            "issue.duplicate_name",
            first=int(first_row) + 1,
            fix=CHECK,
        )


def _check_shared_places_per_row(
    raw: RawTable, lon: np.ndarray, lat: np.ndarray, fields: pd.DataFrame, found: Findings
) -> None:
    rejected = found.rejected_rows()
    live = [
        r
        for r in range(raw.rows)
        if r not in rejected and math.isfinite(lon[r]) and math.isfinite(lat[r])
    ]
    by_place: dict[tuple[float, float], list[int]] = defaultdict(list)
    for row in live:
        by_place[(round(lon[row], 6), round(lat[row], 6))].append(row)
    kinds = fields[Col.KIND].tolist()
    for members in by_place.values():
        for row in members[1:]:
            # several TPS in one school is normal; the remark says so only for TPS
            tps = kinds[row] == Kind.POLLING_STATION and kinds[members[0]] == Kind.POLLING_STATION
            code = "same_coordinates" if tps else "same_place"
            found.row(row, Severity.INFO, code, f"issue.{code}", first=members[0] + 1)
    by_name: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    names, ids, kinds, numbers = (
        fields[c].tolist() for c in (Col.NAME, Col.SITE_ID, Col.KIND, Col.TPS_NO)
    )
    areas = [k or c for k, c in zip(fields[Col.KELURAHAN], fields[Col.KECAMATAN], strict=True)]
    for row in live:
        if names[row] != ids[row]:
            # TPS of one name that differ by TPS number are different stations
            number = None if pd.isna(numbers[row]) else int(numbers[row])
            key = (kinds[row], str(names[row]).casefold(), areas[row], number)
            by_name[key].append(row)
    for members in by_name.values():
        places_seen = {(round(lon[members[0]], 6), round(lat[members[0]], 6))}
        for row in members[1:]:
            place = (round(lon[row], 6), round(lat[row], 6))
            if place not in places_seen:  # one building serving several stations is fine
                places_seen.add(place)
                found.row(
                    row,
                    Severity.WARNING,
                    "duplicate_name",
                    "issue.duplicate_name",
                    first=members[0] + 1,
                    fix=CHECK,
                )
