"""Matching imported sites to an operation's own by stable keys, and the merge that follows.

Keys, in order: the Posko id (`site_id`); for TPS the (kelurahan code or name, TPS number)
pair; for every kind the same name within a few metres. A matched row keeps the existing
site's id, so importing the same list again changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import WGS84, geodesic_m
from geo.model import CANONICAL_COLUMNS, Col, Kind, normalise_label

__all__ = [
    "COMPARED_FIELDS",
    "MATCH_DISTANCE_M",
    "Match",
    "MatchKey",
    "MatchStatus",
    "Merge",
    "match_sites",
    "merge_matched",
    "over_share",
    "replaced_counts",
]

MATCH_DISTANCE_M = 25.0
# A matched site has moved when its position differs by more than this (rounding noise).
_MOVED_M = 0.5

# Fields an import can change on a matched site (ids and the row's source never count).
COMPARED_FIELDS: tuple[str, ...] = (
    Col.KIND,
    Col.NAME,
    Col.RISK,
    Col.POST_TYPE,
    Col.PERSONNEL,
    Col.RADIUS_M,
    Col.TPS_NO,
    Col.KELURAHAN,
    Col.KECAMATAN,
    Col.VOTERS,
    Col.INDICATORS,
    Col.PHASES,
    Col.UNIT,
)
_POSITION = "position"
_GEOMETRY = "geometry"


class MatchStatus(StrEnum):
    """What an imported row does to the operation."""

    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


class MatchKey(StrEnum):
    """Which key matched a row to an existing site."""

    SITE_ID = "site_id"
    TPS = "tps"
    NAME_DISTANCE = "name_distance"


@dataclass(frozen=True)
class Match:
    """One imported row's match.

    Attributes
    ----------
    row
        Position of the row in the imported sites.
    status
        New, update, unchanged or conflict.
    site_id
        Id of the existing site it matches (None for a new row).
    key
        Key that matched (None for a new row).
    changed
        Fields the row changes on the matched site ("position" when it moved).
    """

    row: int
    status: MatchStatus
    site_id: str | None = None
    key: MatchKey | None = None
    changed: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # holds GeoDataFrames: compared by identity
class Merge:
    """The sites after an import and what each imported row did.

    Attributes
    ----------
    sites
        The operation's sites after the import.
    matches
        One match per imported row, in row order.
    removed
        Ids of existing sites the import drops (replacing whole kinds).
    removed_kinds
        Kind of each removed site, same order as `removed`.
    added_kinds
        Kind of each new site.
    """

    sites: gpd.GeoDataFrame
    matches: tuple[Match, ...]
    removed: tuple[str, ...] = ()
    removed_kinds: tuple[str, ...] = ()
    added_kinds: tuple[str, ...] = ()

    def count(self, status: MatchStatus) -> int:
        """Number of imported rows with `status`."""
        return sum(1 for m in self.matches if m.status == status)

    @property
    def changes_anything(self) -> bool:
        """True when the merged sites differ from the current ones."""
        touched = {MatchStatus.NEW, MatchStatus.UPDATE}
        return bool(self.removed) or any(m.status in touched for m in self.matches)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _text_key(value: object) -> str | None:
    if _missing(value):
        return None
    text = normalise_label(str(value))
    return text or None


def _code_key(value: object) -> str | None:
    """An area code reduced to its digits ("19.71.01.1004" and "1971011004" are one)."""
    if _missing(value):
        return None
    digits = re.sub(r"\D", "", str(value))
    return digits or None


def _tps_keys(site: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(code or name, kelurahan, TPS number) keys of a TPS; empty without a TPS number."""
    number = site.get(Col.TPS_NO)
    if site.get(Col.KIND) != Kind.POLLING_STATION or _missing(number):
        return []
    keys = []
    code = _code_key(site.get(Col.AREA_CODE))
    name = _text_key(site.get(Col.KELURAHAN))
    if code:
        keys.append(("code", code, int(number)))
    if name:
        keys.append(("name", name, int(number)))
    return keys


def _records(sites: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """The keys and compared fields of every site as plain dicts (row access through pandas
    costs too much on long lists), with `_x`/`_y` degrees."""
    wanted = (Col.SITE_ID, *COMPARED_FIELDS, Col.AREA_CODE, Col.DEFAULTED)
    columns = [c for c in wanted if c in sites]
    frame = pd.DataFrame(sites[columns]).astype(object).where(sites[columns].notna(), None)
    records = frame.to_dict("records")
    xs = sites.geometry.x.tolist() if len(sites) else []
    ys = sites.geometry.y.tolist() if len(sites) else []
    for record, x, y in zip(records, xs, ys, strict=True):
        record["_x"], record["_y"] = x, y
    return records


class _Index:
    """The existing sites, looked up by each key."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.by_id = {str(r[Col.SITE_ID]): i for i, r in enumerate(records)}
        self.by_tps: dict[tuple[str, str, int], int] = {}
        self.by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, site in enumerate(records):
            for key in _tps_keys(site):
                self.by_tps.setdefault(key, i)
            name = _text_key(site.get(Col.NAME))
            if name:
                self.by_name[(str(site[Col.KIND]), name)].append(i)
        self.lon = np.array([r["_x"] for r in records], dtype=float)
        self.lat = np.array([r["_y"] for r in records], dtype=float)

    def find(self, site: dict[str, Any], *, distance_m: float) -> tuple[int, MatchKey] | None:
        site_id = str(site[Col.SITE_ID])
        if site_id in self.by_id:
            return self.by_id[site_id], MatchKey.SITE_ID
        for key in _tps_keys(site):
            if key in self.by_tps:
                return self.by_tps[key], MatchKey.TPS
        name = _text_key(site.get(Col.NAME))
        candidates = self.by_name.get((str(site[Col.KIND]), name or ""), [])
        if not candidates or not np.isfinite([site["_x"], site["_y"]]).all():
            return None
        n = len(candidates)
        lon, lat = np.full(n, site["_x"]), np.full(n, site["_y"])
        d = geodesic_m(lon, lat, self.lon[candidates], self.lat[candidates])
        best = int(np.argmin(d))
        return (candidates[best], MatchKey.NAME_DISTANCE) if d[best] <= distance_m else None


def _same(old: object, new: object) -> bool:
    if _missing(new):
        return True  # an empty cell never erases what the operation knows
    if _missing(old):
        return False
    if isinstance(old, int | float | np.number) or isinstance(new, int | float | np.number):
        try:
            return float(old) == float(new)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
    # "SEMABUNG LAMA" in a KPU list is the kelurahan the operation writes "Semabung Lama"
    return " ".join(str(old).casefold().split()) == " ".join(str(new).casefold().split())


def _changed(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    """Fields the row changes; those the import filled in itself never count."""
    filled = set(str(new.get(Col.DEFAULTED) or "").split(";"))
    fields = [
        f for f in COMPARED_FIELDS if f in new and f not in filled and not _same(old.get(f), new[f])
    ]
    moved = geodesic_m(old["_x"], old["_y"], new["_x"], new["_y"])
    if float(np.asarray(moved).reshape(-1)[0]) > _MOVED_M:
        fields.append(_POSITION)
    return tuple(fields)


def match_sites(
    current: gpd.GeoDataFrame,
    imported: gpd.GeoDataFrame,
    *,
    distance_m: float = MATCH_DISTANCE_M,
) -> tuple[Match, ...]:
    """What each imported row does to the current sites.

    Parameters
    ----------
    current
        The operation's sites (canonical columns, EPSG:4326 points).
    imported
        Accepted rows of an import (canonical columns, EPSG:4326 points).
    distance_m
        Largest distance, metres, at which a site of the same kind and name is the same site.

    Returns
    -------
    matches
        One per imported row; rows that claim the same existing site, or match one of
        another kind by id, are conflicts.
    """
    old_sites, new_sites = _records(current), _records(imported)
    index = _Index(old_sites)
    found = [index.find(site, distance_m=distance_m) for site in new_sites]
    claims: dict[int, int] = defaultdict(int)
    for hit in found:
        if hit is not None:
            claims[hit[0]] += 1
    matches = []
    for row, hit in enumerate(found):
        if hit is None:
            matches.append(Match(row, MatchStatus.NEW))
            continue
        target, key = hit
        old, new = old_sites[target], new_sites[row]
        site_id = str(old[Col.SITE_ID])
        if claims[target] > 1 or old[Col.KIND] != new[Col.KIND]:
            matches.append(Match(row, MatchStatus.CONFLICT, site_id, key))
            continue
        changed = _changed(old, new)
        status = MatchStatus.UPDATE if changed else MatchStatus.UNCHANGED
        matches.append(Match(row, status, site_id, key, changed))
    return tuple(matches)


def _apply_update(merged: gpd.GeoDataFrame, at: int, new: pd.Series, match: Match) -> None:
    """Write the changed fields of row `new` (its position, source and extras) into the
    existing site at position `at` of `merged` (a copy owned by the caller)."""
    columns = [c for c in match.changed if c != _POSITION]
    if _POSITION in match.changed:
        columns += [_GEOMETRY, Col.LOCATION_QUALITY]
    columns.append(Col.SOURCE)
    columns += [
        c
        for c in new.index.difference([*CANONICAL_COLUMNS, _GEOMETRY, Col.DEFAULTED])
        if not _missing(new[c])
    ]
    for column in columns:
        if column not in merged:
            merged[column] = None
        merged.iat[at, merged.columns.get_loc(column)] = new[column]


def merge_matched(
    current: gpd.GeoDataFrame,
    imported: gpd.GeoDataFrame,
    *,
    replace_kinds: bool = False,
    distance_m: float = MATCH_DISTANCE_M,
) -> Merge:
    """The sites after an import, matching rows to existing sites instead of duplicating.

    Parameters
    ----------
    current
        The operation's sites (canonical columns, EPSG:4326 points).
    imported
        Accepted rows of the import.
    replace_kinds
        When True, existing sites of a kind present in the import that no row matches are
        removed (a full new list replaces the old one); otherwise they are kept.
    distance_m
        Name-and-distance matching radius, metres.

    Returns
    -------
    merge
        Merged sites (matched sites keep their id and place in the list; conflicting rows
        change nothing), each row's match, and the removed sites.
    """
    current = current.rename_geometry(_GEOMETRY) if current.geometry.name != _GEOMETRY else current
    imported = (
        imported.rename_geometry(_GEOMETRY) if imported.geometry.name != _GEOMETRY else imported
    )
    matches = match_sites(current, imported, distance_m=distance_m)
    merged = current.copy()
    position = {str(v): i for i, v in enumerate(current[Col.SITE_ID])}
    for m in matches:
        if m.status == MatchStatus.UPDATE and m.site_id is not None:
            _apply_update(merged, position[m.site_id], imported.iloc[m.row], m)
    keep = np.ones(len(merged), dtype=bool)
    if replace_kinds:
        claimed = {m.site_id for m in matches if m.site_id is not None}
        keep = ~(
            merged[Col.KIND].isin(set(imported[Col.KIND]))
            & ~merged[Col.SITE_ID].astype(str).isin(claimed)
        ).to_numpy()
    dropped = merged[~keep]
    new_rows = imported.iloc[[m.row for m in matches if m.status == MatchStatus.NEW]]
    new_rows = new_rows.drop(columns=[Col.DEFAULTED], errors="ignore")
    parts = [p for p in (merged[keep], new_rows) if len(p)] or [merged[keep]]
    sites = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry=_GEOMETRY, crs=WGS84)
    return Merge(
        sites=sites,
        matches=matches,
        removed=tuple(dropped[Col.SITE_ID].astype(str)),
        removed_kinds=tuple(dropped[Col.KIND].astype(str)),
        added_kinds=tuple(str(k) for k in new_rows[Col.KIND]),
    )


def replaced_counts(current: gpd.GeoDataFrame, merge: Merge) -> dict[str, tuple[int, int]]:
    """Per kind with existing sites: (sites the import updates or removes, sites before).

    Parameters
    ----------
    current
        The operation's sites before the import.
    merge
        The import's merge.
    """
    before = current[Col.KIND].astype(str).value_counts().to_dict()
    touched: dict[str, int] = defaultdict(int)
    kind_of = dict(
        zip(current[Col.SITE_ID].astype(str), current[Col.KIND].astype(str), strict=True)
    )
    for m in merge.matches:
        if m.status == MatchStatus.UPDATE and m.site_id is not None:
            touched[kind_of[m.site_id]] += 1
    for kind in merge.removed_kinds:
        touched[kind] += 1
    return {kind: (touched.get(kind, 0), int(n)) for kind, n in before.items()}


def over_share(
    current: gpd.GeoDataFrame, merge: Merge, *, max_share: float
) -> dict[str, tuple[int, int]]:
    """Kinds of which the import updates or removes more than `max_share` (0..1) of the
    sites, with (touched, before) counts; these need an explicit confirmation."""
    return {
        kind: (n, total)
        for kind, (n, total) in replaced_counts(current, merge).items()
        if total and n / total > max_share
    }
