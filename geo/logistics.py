"""The ballot logistics chain: KPU warehouse → PPK → PPS/kelurahan → TPS, linked by codes.

Logistics sites carry a `role` (``warehouse`` for the KPU kabupaten/kota, ``ppk`` for a
kecamatan, ``pps`` for a kelurahan) and an `area_code` at that role's level; a TPS's
`area_code` is its kelurahan. The chain is linked from those codes alone (a PPK
``19.71.01`` takes its ballots from the warehouse ``19.71``, a kelurahan
``19.71.01.1004`` from the PPK ``19.71.01``); where a kelurahan has no PPS site, its leg
ends at the kelurahan area's representative point (else the middle of its TPS) and is
marked `assumed`. Links that cannot be made are reported with their reason.

Each leg is a straight line (or a path along a road file, :func:`read_roads`) with its
escort officers from the staffing preset (:func:`geo.staffing.leg_escort_polri`) and
whether the posts' reach covers it: `reach_share` is the share of its length inside the
union of the covering posts' reach discs (`geo.coverage.covers`: a reserve's response
reach guards no leg; measured in a local metric CRS), and `reached` holds when
at most :data:`REACH_TOLERANCE_M` of it lies outside (the discs are polygons, which fall a
few centimetres short of a true circle at their edge).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from geo.areas import Level, code_level, normalise_code, parent_of
from geo.coverage import covers
from geo.crs import WGS84, geodesic_m, local_metric_crs
from geo.errors import CRSError, ValidationError
from geo.model import Col, Derived, Kind, Risk
from geo.staffing import LEG_ESCORT_MIN_POLRI, WAREHOUSE_POLRI, WAREHOUSE_TNI
from geo.text import Text, format_distance, format_int, t

if TYPE_CHECKING:
    from geo.analysis import Analysis
    from geo.model import StaffingPreset

__all__ = [
    "AREA_NODE_PREFIX",
    "BROKEN_COLUMNS",
    "CHAIN_PHASE",
    "LEG_COLUMNS",
    "REACH_TOLERANCE_M",
    "ROAD_SNAP_M",
    "BrokenReason",
    "ChainFigures",
    "ChainRole",
    "LegLevel",
    "LogisticsChain",
    "RoadNetwork",
    "RouteStatus",
    "Routes",
    "broken_text",
    "chain_for",
    "chain_lines",
    "figures_lines",
    "guard_line",
    "legs_line",
    "logistics_chain",
    "read_roads",
    "route_legs",
]


class ChainRole(StrEnum):
    """The `role` of a logistics site in the chain."""

    WAREHOUSE = "warehouse"
    PPK = "ppk"
    PPS = "pps"


class LegLevel(StrEnum):
    """A leg, named by where it ends: warehouse → PPK, PPK → PPS/kelurahan, PPS → TPS."""

    PPK = "ppk"
    PPS = "pps"
    TPS = "tps"


class BrokenReason(StrEnum):
    """Why a site could not be linked (catalog key ``chain.broken.<reason>``)."""

    NO_CODE = "no_code"
    BAD_CODE = "bad_code"
    DUPLICATE = "duplicate"
    NO_WAREHOUSE = "no_warehouse"
    NO_PPK = "no_ppk"


# The level of area code each role (and a TPS) must carry.
_ROLE_LEVEL: dict[str, Level] = {
    ChainRole.WAREHOUSE: Level.KABUPATEN,
    ChainRole.PPK: Level.KECAMATAN,
    ChainRole.PPS: Level.KELURAHAN,
    "tps": Level.KELURAHAN,
}
# The legs carry the ballots on H-1 and back after counting (geo.phases' key).
CHAIN_PHASE = "pungut_hitung"
# The node id of a kelurahan with no PPS site: this prefix and the kelurahan code.
AREA_NODE_PREFIX = "kelurahan:"
REACH_TOLERANCE_M = 1.0
# A leg end further than this from every road vertex is not routed (stays straight).
ROAD_SNAP_M = 300.0
# Road vertices closer than this are one junction (files round their coordinates).
_ROAD_JOIN_M = 1.0
_QUAD_SEGS = 64

LEG_COLUMNS: tuple[str, ...] = (
    "from_id",
    "to_id",
    "from_name",
    "to_name",
    "level",
    "area_code",
    "assumed",
    "tps",
    "escort_polri",
    "length_m",
    "reach_share",
    "reached",
    "routed",
    "phase",
)
BROKEN_COLUMNS: tuple[str, ...] = ("site_id", "name", "role", "area_code", "reason", "detail")


@dataclass(frozen=True)
class ChainFigures:
    """What the chain needs and how far the posts' reach covers it.

    Attributes
    ----------
    legs
        Legs per level (``ppk``, ``pps``, ``tps``).
    assumed
        Legs ending or starting at a kelurahan's representative point (no PPS site).
    escort_polri
        Escort officers per level (each leg's escort added up: one trip each way by the
        same officers, so not doubled for the return).
    ppk_sites
        PPK warehouses in the chain, each guarded by 5 Polri and 5 TNI.
    unreached
        Legs not wholly within the posts' reach (None when no posts were given).
    broken
        Links that could not be made.
    length_m
        Total length of the legs per level, metres.
    """

    legs: dict[str, int]
    assumed: int
    escort_polri: dict[str, int] | None
    ppk_sites: int
    unreached: int | None
    broken: int
    length_m: dict[str, float]

    @property
    def escort_total(self) -> int | None:
        """Escort officers of all the legs (None without a preset)."""
        return None if self.escort_polri is None else sum(self.escort_polri.values())

    @property
    def guard_polri(self) -> int:
        """Police guarding the PPK warehouses."""
        return self.ppk_sites * WAREHOUSE_POLRI

    @property
    def guard_tni(self) -> int:
        """Soldiers guarding the PPK warehouses."""
        return self.ppk_sites * WAREHOUSE_TNI


@dataclass(frozen=True)
class LogisticsChain:
    """The linked chain: its legs (EPSG:4326 lines, :data:`LEG_COLUMNS`) and what could
    not be linked (:data:`BROKEN_COLUMNS`, one row per site and reason)."""

    legs: gpd.GeoDataFrame
    broken: pd.DataFrame
    ppk_sites: int

    @property
    def empty(self) -> bool:
        """Whether the operation has no chain at all (no leg and nothing broken)."""
        return self.legs.empty and self.broken.empty

    def in_phase(self, phase_key: str | None) -> LogisticsChain:
        """The chain as it stands in a phase (`geo.phases` key): its legs during
        :data:`CHAIN_PHASE` or when no phase is chosen (None), none in any other phase."""
        if phase_key is None:
            return self
        legs = self.legs[self.legs["phase"] == phase_key]
        return LogisticsChain(legs=legs, broken=self.broken, ppk_sites=self.ppk_sites)

    def figures(self) -> ChainFigures:
        """Legs, escorts, warehouse guards and unreached legs, counted."""
        legs = self.legs
        levels = [level.value for level in LegLevel]
        count = legs["level"].value_counts()
        escort = pd.to_numeric(legs["escort_polri"], errors="coerce")
        has_escort = not legs.empty and bool(escort.notna().all())
        length = legs.groupby("level")["length_m"].sum()
        reached = legs["reached"]
        known = not legs.empty and bool(reached.notna().all())
        return ChainFigures(
            legs={lv: int(count.get(lv, 0)) for lv in levels},
            assumed=int(legs["assumed"].astype(bool).sum()),
            escort_polri=(
                {lv: int(escort[legs["level"] == lv].sum()) for lv in levels}
                if has_escort
                else None
            ),
            ppk_sites=self.ppk_sites,
            unreached=int((~reached.astype(bool)).sum()) if known else None,
            broken=len(self.broken),
            length_m={lv: float(length.get(lv, 0.0)) for lv in levels},
        )

    def unreached(self, limit: int | None = None) -> gpd.GeoDataFrame:
        """Legs not wholly within reach, the longest stretch beyond reach first."""
        legs = self.legs
        if legs.empty or legs["reached"].isna().any():
            return legs.iloc[0:0]
        out = legs[~legs["reached"].astype(bool)]
        beyond = out["length_m"] * (1 - out["reach_share"].astype(float))
        out = out.assign(beyond_m=beyond).sort_values(
            ["beyond_m", "to_id"], ascending=[False, True], kind="stable"
        )
        return out if limit is None else out.head(limit)

    def broken_lines(self, lang: str) -> list[str]:
        """Each broken link as a sentence in `lang`."""
        return [broken_text(row, lang) for row in self.broken.to_dict("records")]

    def report(self, lang: str = "en") -> dict[str, Any]:
        """What ``posko chain --json`` prints: figures, legs, broken links (plain values)."""
        figures = self.figures()
        legs = pd.DataFrame(self.legs.drop(columns="geometry"))
        return {
            "figures": {
                "legs": figures.legs,
                "assumed": figures.assumed,
                "escort_polri": figures.escort_polri,
                "escort_total": figures.escort_total,
                "ppk_sites": figures.ppk_sites,
                "guard_polri": figures.guard_polri,
                "guard_tni": figures.guard_tni,
                "unreached": figures.unreached,
                "broken": figures.broken,
                "length_m": {k: round(v, 1) for k, v in figures.length_m.items()},
            },
            "legs": [_plain(r) for r in legs.to_dict("records")],
            "broken": [
                {**_plain(r), "message": broken_text(r, lang)}
                for r in self.broken.to_dict("records")
            ],
        }


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """A record with numpy/pandas scalars as plain JSON values (NA → None)."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out[key] = None
        elif isinstance(value, np.generic):
            out[key] = value.item()
        elif isinstance(value, float):
            out[key] = round(value, 4)
        else:
            out[key] = value
    return out


def broken_text(row: dict[str, Any], lang: str) -> str:
    """One broken link as a sentence in `lang` (catalog ``chain.broken.<reason>``)."""
    what = t(f"chain.role.{row['role']}", lang)
    return Text(
        f"chain.broken.{row['reason']}",
        {
            "what": what,
            "name": row["name"],
            "code": row["area_code"] or "–",
            "detail": row["detail"] or "",
        },
    ).render(lang)


# --- linking ---------------------------------------------------------------------------------


def _codes(values: pd.Series) -> pd.Series:
    """Area codes written the Kemendagri way (None when blank)."""
    return pd.Series([normalise_code(v) for v in values], index=values.index, dtype=object)


def _broken_rows(
    frame: pd.DataFrame, role: pd.Series | str, reason: BrokenReason, detail: pd.Series | str = ""
) -> pd.DataFrame:
    """Rows of the broken table for the sites of `frame`."""
    return pd.DataFrame(
        {
            "site_id": frame[Col.SITE_ID].astype(str).to_numpy(),
            "name": frame[Col.NAME].astype(str).to_numpy(),
            "role": role if isinstance(role, str) else role.to_numpy(),
            "area_code": frame["_code"].to_numpy(),
            "reason": reason.value,
            "detail": detail if isinstance(detail, str) else detail.to_numpy(),
        },
        columns=list(BROKEN_COLUMNS),
    )


def _checked_codes(frame: pd.DataFrame, role: pd.Series) -> tuple[pd.Series, list[pd.DataFrame]]:
    """Whether each row's code has its role's level; broken rows for those without."""
    level = pd.Series([code_level(c) for c in frame["_code"]], index=frame.index, dtype=object)
    wanted = role.map(_ROLE_LEVEL)
    missing = frame["_code"].isna()
    bad = ~missing & (level != wanted)
    broken = [
        _broken_rows(frame[missing], role[missing], BrokenReason.NO_CODE),
        _broken_rows(frame[bad], role[bad], BrokenReason.BAD_CODE),
    ]
    return ~missing & ~bad, broken


def _chain_sites(sites: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[pd.DataFrame]]:
    """The logistics sites of the chain with valid codes, first of each (role, code)."""
    role = sites[Col.ROLE].astype("string").str.strip().str.lower()
    logistics = sites[(sites[Col.KIND] == Kind.LOGISTICS) & role.isin([r.value for r in ChainRole])]
    logistics = logistics.assign(
        _code=_codes(logistics[Col.AREA_CODE]), **{Col.ROLE: role[logistics.index].astype(object)}
    )
    ok, broken = _checked_codes(logistics, logistics[Col.ROLE])
    valid = logistics[ok]
    again = valid.duplicated([Col.ROLE, "_code"], keep="first")
    first = valid[~again].set_index([Col.ROLE, "_code"])[Col.SITE_ID]
    dup = valid[again]
    keys = list(zip(dup[Col.ROLE], dup["_code"], strict=True))
    broken.append(
        _broken_rows(
            dup, dup[Col.ROLE], BrokenReason.DUPLICATE, pd.Series([first[k] for k in keys])
        )
    )
    return valid[~again], broken


def _node_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """Node id, name, lon and lat per code."""
    return pd.DataFrame(
        {
            "id": frame[Col.SITE_ID].astype(str).to_numpy(),
            "name": frame[Col.NAME].astype(str).to_numpy(),
            "lon": frame.geometry.x.to_numpy(),
            "lat": frame.geometry.y.to_numpy(),
        },
        index=pd.Index(frame["_code"].to_numpy(), name="code"),
    )


def _kelurahan_nodes(
    kelurahan: pd.Index, pps: pd.DataFrame, tps: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None
) -> pd.DataFrame:
    """The PPS end of each kelurahan: its PPS site, else the area's representative point,
    else the middle of its TPS (the last two `assumed`)."""
    nodes = pps.reindex(kelurahan).assign(assumed=False)
    missing = nodes["id"].isna()
    if not missing.any():
        return nodes
    codes = nodes.index[missing]
    points = pd.DataFrame(index=codes, columns=["lon", "lat"], dtype=float)
    if areas is not None and not areas.empty:
        kel = areas[(areas["level"] == Level.KELURAHAN) & areas["area_code"].isin(codes)]
        kel = kel.drop_duplicates("area_code")
        spot = kel.geometry.representative_point()
        points.loc[kel["area_code"].to_numpy(), "lon"] = spot.x.to_numpy()
        points.loc[kel["area_code"].to_numpy(), "lat"] = spot.y.to_numpy()
    middle = (
        pd.DataFrame({"code": tps["_code"], "lon": tps.geometry.x, "lat": tps.geometry.y})
        .groupby("code")[["lon", "lat"]]
        .mean()
    )
    points = points.fillna(middle.reindex(points.index))
    names = _kelurahan_names(tps, areas)
    nodes.loc[missing, "id"] = [f"{AREA_NODE_PREFIX}{c}" for c in codes]
    nodes.loc[missing, "name"] = [names.get(c, c) for c in codes]
    nodes.loc[missing, "lon"] = points["lon"].to_numpy()
    nodes.loc[missing, "lat"] = points["lat"].to_numpy()
    nodes.loc[missing, "assumed"] = True
    return nodes


def _kelurahan_names(tps: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None) -> dict[str, str]:
    """The PPS of a kelurahan named "PPS <kelurahan>" (as its TPS name it, else its area),
    by code."""
    pairs: list[tuple[object, object]] = []
    if areas is not None and not areas.empty:
        kel = areas[areas["level"] == Level.KELURAHAN]
        pairs += zip(kel["area_code"], kel["name"], strict=True)
    named = tps[tps[Col.KELURAHAN].notna()].drop_duplicates("_code")
    pairs += zip(named["_code"], named[Col.KELURAHAN], strict=True)
    return {str(code): f"PPS {name}" for code, name in pairs}


def _legs_frame(
    start: pd.DataFrame, end: pd.DataFrame, level: LegLevel, codes: pd.Index
) -> pd.DataFrame:
    """Legs from the rows of `start` to those of `end` (aligned), ending at `codes`."""
    return pd.DataFrame(
        {
            "from_id": start["id"].to_numpy(),
            "to_id": end["id"].to_numpy(),
            "from_name": start["name"].to_numpy(),
            "to_name": end["name"].to_numpy(),
            "level": level.value,
            "area_code": np.asarray(codes, dtype=object),
            "assumed": start["assumed"].to_numpy() | end["assumed"].to_numpy(),
            "_x0": start["lon"].to_numpy(float),
            "_y0": start["lat"].to_numpy(float),
            "_x1": end["lon"].to_numpy(float),
            "_y1": end["lat"].to_numpy(float),
        }
    )


def _escorts(tps: gpd.GeoDataFrame, preset: StaffingPreset) -> tuple[pd.Series, ...]:
    """Escort officers per TPS (by site id), and the largest per kelurahan and kecamatan."""
    escort = tps[Col.RISK].map(lambda r: preset.escort_polri.get(Risk(r), 0)).astype(int)
    kel = escort.groupby(tps["_code"].to_numpy()).max()
    kec = escort.groupby(tps["_code"].map(parent_of).to_numpy()).max()
    per_tps = pd.Series(escort.to_numpy(), index=tps[Col.SITE_ID].astype(str).to_numpy())
    return per_tps, kel, kec


def logistics_chain(
    sites: gpd.GeoDataFrame,
    *,
    areas: gpd.GeoDataFrame | None = None,
    posts: gpd.GeoDataFrame | None = None,
    preset: StaffingPreset | None = None,
    roads: gpd.GeoDataFrame | RoadNetwork | None = None,
) -> LogisticsChain:
    """Link the chain from the sites' roles and codes and work out its legs.

    Parameters
    ----------
    sites
        Canonical sites in EPSG:4326 (logistics sites with `role`, TPS with `area_code`).
    areas
        Canonical areas: a kelurahan without a PPS site is reached at its representative
        point (without areas, at the middle of its TPS).
    posts
        Police posts with their reach (`radius_used_m`, as the coverage engine gives them):
        each leg's `reach_share` and `reached`. None: left NA (the partner briefing).
    preset
        Staffing preset: each leg's `escort_polri`. None: left NA.
    roads
        Road lines in EPSG:4326 (:func:`read_roads`), or their network: legs routed along
        them.

    Returns
    -------
    chain
        Its legs and broken links; empty when no site has a chain role.

    Examples
    --------
    >>> from geo.operation import load_operation
    >>> op = load_operation()
    >>> chain = logistics_chain(op.sites, areas=op.areas)
    >>> chain.figures().legs
    {'ppk': 7, 'pps': 42, 'tps': 311}
    """
    links, broken, ppk_sites = _link(sites, areas, preset)
    legs = _with_geometry(links)
    if roads is not None and not legs.empty:
        legs = route_legs(legs, roads)
    legs = _with_reach(legs, posts)
    legs = legs.assign(phase=CHAIN_PHASE)
    table = pd.concat(broken, ignore_index=True) if broken else pd.DataFrame()
    table = table.reindex(columns=list(BROKEN_COLUMNS))
    return LogisticsChain(legs=legs[[*LEG_COLUMNS, "geometry"]], broken=table, ppk_sites=ppk_sites)


def _link(
    sites: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None, preset: StaffingPreset | None
) -> tuple[pd.DataFrame, list[pd.DataFrame], int]:
    """The legs (ends, level, TPS served, escort), the broken rows and the PPK sites linked."""
    chain, broken = _chain_sites(sites)
    if chain.empty and all(b.empty for b in broken):
        return _no_legs(), [], 0
    polling = sites[sites[Col.KIND] == Kind.POLLING_STATION]
    polling = polling.assign(_code=_codes(polling[Col.AREA_CODE]))
    ok, tps_broken = _checked_codes(polling, pd.Series("tps", index=polling.index))
    tps = polling[ok]
    ppk_legs, no_wh = _ppk_legs(chain, tps)
    pps_legs, tps_legs, orphans = _kelurahan_legs(chain, tps, areas)
    if preset is not None:
        per_tps, kel_escort, kec_escort = _escorts(tps, preset)
        floor = LEG_ESCORT_MIN_POLRI
        ppk_legs["escort_polri"] = _floored(kec_escort, ppk_legs["area_code"], floor["ppk"])
        pps_legs["escort_polri"] = _floored(kel_escort, pps_legs["area_code"], floor["pps"])
        tps_legs["escort_polri"] = _floored(per_tps, tps_legs["to_id"], floor["tps"])
    legs = pd.concat([ppk_legs, pps_legs, tps_legs], ignore_index=True)
    legs["escort_polri"] = legs.get("escort_polri", pd.Series(pd.NA, index=legs.index))
    legs["escort_polri"] = legs["escort_polri"].astype("Int64")
    broken = [*broken, *tps_broken, no_wh, *orphans]
    n_ppk = int((chain[Col.ROLE] == ChainRole.PPK).sum())
    return legs, [b for b in broken if not b.empty], n_ppk


def _ppk_legs(chain: gpd.GeoDataFrame, tps: gpd.GeoDataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Warehouse → PPK legs (the warehouse of the PPK's kabupaten/kota code), and the PPK
    with no such warehouse as broken rows."""
    warehouses = _node_table(chain[chain[Col.ROLE] == ChainRole.WAREHOUSE]).assign(assumed=False)
    ppk_sites = chain[chain[Col.ROLE] == ChainRole.PPK]
    ppk = _node_table(ppk_sites).assign(assumed=False)
    parent = pd.Index([parent_of(c) for c in ppk.index])
    has_wh = parent.isin(warehouses.index)
    no_wh = ppk_sites[~has_wh]
    broken = _broken_rows(
        no_wh, ChainRole.PPK.value, BrokenReason.NO_WAREHOUSE, no_wh["_code"].map(parent_of)
    )
    legs = _legs_frame(warehouses.loc[parent[has_wh]], ppk[has_wh], LegLevel.PPK, ppk.index[has_wh])
    per_kec = tps["_code"].map(parent_of).value_counts()
    legs["tps"] = per_kec.reindex(ppk.index[has_wh]).fillna(0).astype(int).to_numpy()
    return legs, broken


def _kelurahan_legs(
    chain: gpd.GeoDataFrame, tps: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame, list[pd.DataFrame]]:
    """PPK → PPS/kelurahan and PPS → TPS legs of every kelurahan (with TPS or a PPS site)
    whose kecamatan has a PPK; the TPS and PPS sites of the others as broken rows."""
    ppk = _node_table(chain[chain[Col.ROLE] == ChainRole.PPK]).assign(assumed=False)
    pps_sites = chain[chain[Col.ROLE] == ChainRole.PPS]
    pps = _node_table(pps_sites)
    kelurahan = pd.Index(sorted(set(tps["_code"]) | set(pps.index)), name="code")
    kec = pd.Index([parent_of(c) for c in kelurahan])
    linked = kec.isin(ppk.index)
    orphan_tps = tps[~tps["_code"].isin(kelurahan[linked])]
    orphan_pps = pps_sites[pps_sites["_code"].isin(kelurahan[~linked])]
    orphans = [
        _broken_rows(orphan_tps, "tps", BrokenReason.NO_PPK, orphan_tps["_code"].map(parent_of)),
        _broken_rows(
            orphan_pps, ChainRole.PPS.value, BrokenReason.NO_PPK, orphan_pps["_code"].map(parent_of)
        ),
    ]
    nodes = _kelurahan_nodes(kelurahan[linked], pps, tps, areas)
    pps_legs = _legs_frame(ppk.loc[kec[linked]], nodes, LegLevel.PPS, kelurahan[linked])
    counts = tps["_code"].value_counts()
    pps_legs["tps"] = counts.reindex(kelurahan[linked]).fillna(0).astype(int).to_numpy()
    served = tps[tps["_code"].isin(kelurahan[linked])]
    tps_legs = _legs_frame(
        nodes.loc[served["_code"]],
        _node_table(served).assign(assumed=False),
        LegLevel.TPS,
        pd.Index(served["_code"]),
    )
    tps_legs["tps"] = 1
    return pps_legs, tps_legs, orphans


def _floored(escort: pd.Series, keys: pd.Series, floor: int) -> np.ndarray:
    """Escort officers of legs: the largest escort they carry (by `keys` into `escort`; 0
    when none), at least `floor`."""
    return np.maximum(escort.reindex(keys.to_numpy()).fillna(0).to_numpy(int), floor)


def _no_legs() -> pd.DataFrame:
    """The legs of an operation without a chain: none."""
    none = pd.DataFrame(columns=["id", "name", "lon", "lat", "assumed"])
    legs = _legs_frame(none, none, LegLevel.TPS, pd.Index([]))
    return legs.assign(tps=pd.Series(dtype=int), escort_polri=pd.Series(dtype="Int64"))


# --- geometry, roads, reach --------------------------------------------------------------------


def _with_geometry(links: pd.DataFrame) -> gpd.GeoDataFrame:
    """Straight legs (EPSG:4326) with their geodesic length."""
    start = np.column_stack([links["_x0"].to_numpy(float), links["_y0"].to_numpy(float)])
    end = np.column_stack([links["_x1"].to_numpy(float), links["_y1"].to_numpy(float)])
    lines = shapely.linestrings(np.stack([start, end], axis=1)) if len(links) else []
    length = geodesic_m(start[:, 0], start[:, 1], end[:, 0], end[:, 1]) if len(links) else []
    legs = links.drop(columns=["_x0", "_y0", "_x1", "_y1"]).assign(
        length_m=np.asarray(length, dtype=float), routed=False
    )
    return gpd.GeoDataFrame(legs, geometry=gpd.GeoSeries(lines, crs=WGS84), crs=WGS84)


def _group_crs(legs: gpd.GeoDataFrame) -> dict[str, np.ndarray]:
    """Row positions of the legs of each kabupaten/kota (measured in a CRS of their own)."""
    kota = legs["area_code"].astype(str).str.split(".").str[:2].str.join(".")
    return {str(k): np.asarray(v) for k, v in kota.groupby(kota.to_numpy()).indices.items()}


def _local(geoms: gpd.GeoSeries) -> Any:
    """A local metric CRS centred on the geometries' bounds."""
    west, south, east, north = geoms.total_bounds
    return local_metric_crs((west + east) / 2, (south + north) / 2)


def _with_reach(legs: gpd.GeoDataFrame, posts: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """`reach_share` and `reached` of each leg (NA without posts)."""
    if posts is None:
        return legs.assign(
            reach_share=pd.Series(np.nan, index=legs.index, dtype=float),
            reached=pd.Series(pd.NA, index=legs.index, dtype="boolean"),
        )
    posts = posts[covers(posts).to_numpy()]  # a reserve's response reach guards no leg
    share = np.zeros(len(legs))
    beyond = np.zeros(len(legs))
    radius = pd.to_numeric(posts[Derived.RADIUS_USED_M], errors="coerce").fillna(0).to_numpy()
    px, py = posts.geometry.x.to_numpy(), posts.geometry.y.to_numpy()
    for idx in _group_crs(legs).values():
        part = legs.geometry.iloc[idx]
        crs = _local(part)
        lines = part.to_crs(crs).to_numpy()
        west, south, east, north = part.total_bounds
        pad = (radius.max(initial=0.0) + 1000.0) / 110_000.0
        squash = max(np.cos(np.radians(max(abs(south), abs(north)))), 0.05)
        near = (
            (px >= west - pad / squash)
            & (px <= east + pad / squash)
            & (py >= south - pad)
            & (py <= north + pad)
            & (radius > 0)
        )
        total = shapely.length(lines)
        if near.any():
            centres = gpd.GeoSeries(posts.geometry.to_numpy()[near], crs=WGS84).to_crs(crs)
            reach = shapely.union_all(
                shapely.buffer(centres.to_numpy(), radius[near], quad_segs=_QUAD_SEGS)
            )
            inside = shapely.length(shapely.intersection(lines, reach))
            point_in = shapely.intersects(lines, reach)
        else:
            inside = np.zeros(len(idx))
            point_in = np.zeros(len(idx), dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            share[idx] = np.where(total > 0, np.minimum(inside / total, 1.0), point_in * 1.0)
        beyond[idx] = np.where(total > 0, total - inside, np.where(point_in, 0.0, np.inf))
    return legs.assign(
        reach_share=share,
        reached=pd.array(beyond <= REACH_TOLERANCE_M, dtype="boolean"),
    )


def read_roads(path: Path | str) -> gpd.GeoDataFrame:
    """A road file (GeoPackage, GeoJSON or any file GDAL reads) as lines in EPSG:4326.

    Raises
    ------
    CRSError
        When the file declares no CRS.
    ValidationError
        When it cannot be read (missing, damaged, not a geodata file) or holds no line.
    """
    try:
        roads = pyogrio.read_dataframe(Path(path))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        # GDAL's own words name the server's paths and drivers: not a planner's message
        raise ValidationError.from_text("chain.roads_unreadable", file=Path(path).name) from exc
    if roads.crs is None:
        params = {"file": Path(path).name}
        text = Text("chain.roads_no_crs", params)
        raise CRSError(text.render("en"), key=text.key, params=params)
    lines = roads[roads.geom_type.isin(["LineString", "MultiLineString"]) & ~roads.is_empty]
    if lines.empty:
        raise ValidationError.from_text("chain.roads_no_lines", file=Path(path).name)
    return gpd.GeoDataFrame(geometry=lines.geometry.to_crs(WGS84).to_numpy(), crs=WGS84)


class RouteStatus(StrEnum):
    """How a line fared on the road network (catalog key ``chain.route.<status>``)."""

    ROUTED = "routed"
    OFF_ROAD = "off_road"  # an end lies more than ROAD_SNAP_M from every road
    NOT_JOINED = "not_joined"  # the roads near its ends do not join


@dataclass(frozen=True)
class Routes:
    """Lines routed along a road network; aligned with the lines asked for.

    Attributes
    ----------
    geometry
        The path along the roads (EPSG:4326), joined to the ends by straight bits; the
        straight line as given where it was not routed.
    length_m
        Length of each path in metres (local metric CRS); NaN where not routed.
    status
        Each line's :class:`RouteStatus`.
    """

    geometry: gpd.GeoSeries
    length_m: NDArray[np.float64]
    status: tuple[RouteStatus, ...]

    @property
    def routed(self) -> NDArray[np.bool_]:
        """True where the line was routed."""
        return np.array([s == RouteStatus.ROUTED for s in self.status], dtype=bool)


class RoadNetwork:
    """A road file as a graph for shortest paths (Dijkstra,
    :func:`scipy.sparse.csgraph.dijkstra`), built once and used by every route.

    Roads meet where they share a vertex (within about a metre); crossing lines without one
    (a bridge over a road) do not meet. An end is snapped to the nearest road vertex, and
    only within :data:`ROAD_SNAP_M`; the logistics chain's legs and the scenarios' reserves
    are routed by this one rule.

    Parameters
    ----------
    roads
        Road lines in EPSG:4326 (:func:`read_roads`).
    """

    def __init__(self, roads: gpd.GeoDataFrame) -> None:
        self.crs = _local(roads.geometry)
        lines = shapely.get_parts(roads.geometry.to_crs(self.crs).to_numpy())
        coords, which = shapely.get_coordinates(lines, return_index=True)
        keys = np.round(coords / _ROAD_JOIN_M).astype(np.int64)
        _, first, node = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        node = node.ravel()
        self.xy = coords[first]
        same = which[1:] == which[:-1]
        a, b = node[:-1][same], node[1:][same]
        weight = np.hypot(*(coords[1:][same] - coords[:-1][same]).T)
        edges = pd.DataFrame({"a": np.minimum(a, b), "b": np.maximum(a, b), "w": weight})
        edges = edges[edges["a"] != edges["b"]].groupby(["a", "b"], as_index=False)["w"].min()
        self.graph = coo_matrix(
            (edges["w"].to_numpy(), (edges["a"].to_numpy(), edges["b"].to_numpy())),
            shape=(len(self.xy), len(self.xy)),
        ).tocsr()
        self.tree = cKDTree(self.xy) if len(self.xy) else None

    def route(self, lines: gpd.GeoSeries) -> Routes:
        """Each line's first point to its last along the roads (`lines` in EPSG:4326)."""
        n = len(lines)
        local = lines.to_crs(self.crs)
        start = shapely.get_coordinates(shapely.get_point(local.to_numpy(), 0))
        end = shapely.get_coordinates(shapely.get_point(local.to_numpy(), -1))
        status = [RouteStatus.OFF_ROAD] * n
        length = np.full(n, np.nan)
        paths: list[Any] = list(lines.to_numpy())
        if self.tree is None or n == 0:
            return Routes(gpd.GeoSeries(paths, index=lines.index, crs=WGS84), length, tuple(status))
        d0, n0 = self.tree.query(start)
        d1, n1 = self.tree.query(end)
        near = (d0 <= ROAD_SNAP_M) & (d1 <= ROAD_SNAP_M)
        sources = np.unique(n0[near])
        if len(sources):
            dist, pred = dijkstra(
                self.graph, directed=False, indices=sources, return_predecessors=True
            )
            row = {int(s): i for i, s in enumerate(sources)}
        for i in np.flatnonzero(near):
            r = row[int(n0[i])]
            status[i] = RouteStatus.NOT_JOINED
            if not np.isfinite(dist[r, n1[i]]):
                continue
            chain = [int(n1[i])]
            while chain[-1] != n0[i]:
                chain.append(int(pred[r, chain[-1]]))
            points = np.vstack([start[i], self.xy[chain[::-1]], end[i]])
            points = points[np.r_[True, np.any(np.diff(points, axis=0) != 0, axis=1)]]
            if len(points) < 2:
                continue
            path = shapely.linestrings(points)
            length[i] = shapely.length(path)
            paths[i] = gpd.GeoSeries([path], crs=self.crs).to_crs(WGS84).iloc[0]
            status[i] = RouteStatus.ROUTED
        return Routes(gpd.GeoSeries(paths, index=lines.index, crs=WGS84), length, tuple(status))


def route_legs(legs: gpd.GeoDataFrame, roads: gpd.GeoDataFrame | RoadNetwork) -> gpd.GeoDataFrame:
    """Legs along the roads (:class:`RoadNetwork`): the shortest path between the road
    vertices nearest each end, joined to the ends by straight bits. A leg whose end lies
    more than :data:`ROAD_SNAP_M` from every road, or whose ends the roads do not join,
    stays straight (`routed` False).

    Parameters
    ----------
    legs
        Legs as :func:`logistics_chain` makes them (EPSG:4326).
    roads
        Road lines in EPSG:4326 (:func:`read_roads`), or their network.
    """
    network = roads if isinstance(roads, RoadNetwork) else RoadNetwork(roads)
    routes = network.route(legs.geometry)
    routed = routes.routed
    length = np.where(routed, routes.length_m, legs["length_m"].to_numpy())
    out = legs.assign(length_m=length, routed=routed)
    return out.set_geometry(routes.geometry)


def chain_for(analysis: Analysis) -> LogisticsChain:
    """The chain of an analysed operation: its sites and areas, the covering posts' reach as
    the analysis worked it out, the analysis' staffing preset, legs along the operation's
    road file when it has one (`Operation.road_network`), and only the legs of the
    analysis' phase (`Analysis.phase_key`, :meth:`LogisticsChain.in_phase`)."""
    operation = analysis.operation
    chain = logistics_chain(
        operation.sites,
        areas=operation.areas,
        posts=analysis.coverage.covering,
        preset=analysis.staffing.preset,
        roads=operation.road_network,
    )
    return chain.in_phase(analysis.phase_key)


def legs_line(figures: ChainFigures, lang: str) -> str:
    """How many legs per level, and how many go through an assumed PPS point."""
    return t(
        "chain.legs_line",
        lang,
        ppk=format_int(figures.legs["ppk"], lang),
        pps=format_int(figures.legs["pps"], lang),
        tps=format_int(figures.legs["tps"], lang),
        assumed=format_int(figures.assumed, lang),
    )


def guard_line(figures: ChainFigures, lang: str) -> str:
    """The PPK warehouses and their guards (police and TNI)."""
    return t(
        "chain.guard_line",
        lang,
        n=format_int(figures.ppk_sites, lang),
        polri=format_int(figures.guard_polri, lang),
        tni=format_int(figures.guard_tni, lang),
    )


def figures_lines(figures: ChainFigures, lang: str) -> list[str]:
    """The chain's figures as short lines (the CLI's text output)."""
    lines = [legs_line(figures, lang)]
    if figures.escort_total is not None:
        lines.append(t("chain.escort_line", lang, polri=format_int(figures.escort_total, lang)))
    lines.append(guard_line(figures, lang))
    if figures.unreached is not None:
        lines.append(t("chain.unreached_line", lang, n=format_int(figures.unreached, lang)))
    lines.append(t("chain.broken_line", lang, n=format_int(figures.broken, lang)))
    return lines


def chain_lines(chain: LogisticsChain, lang: str) -> list[str]:
    """``posko chain``'s text: the figures, every leg (level, ends, length, escort, beyond
    reach), then every broken link with its reason."""
    if chain.empty:
        return [t("chain.none", lang)]
    lines = figures_lines(chain.figures(), lang)
    for leg in chain.legs.itertuples():
        parts = [
            f"  {t(f'chain.level.{leg.level}', lang)}: {leg.from_name} → {leg.to_name}",
            format_distance(float(leg.length_m), lang),
        ]
        if not pd.isna(leg.escort_polri):
            parts.append(t("chain.escort_leg", lang, polri=format_int(int(leg.escort_polri), lang)))
        if not pd.isna(leg.reached) and not leg.reached:
            parts.append(t("chain.legend.unreached", lang))
        lines.append(" · ".join(parts))
    lines += [f"  ! {line}" for line in chain.broken_lines(lang)]
    return lines
