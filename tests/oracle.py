"""Brute-force oracles for the figures a commander reads, written without geo.coverage/staffing.

Everything here is computed the slow, obvious way from the raw operation files (JSON, TOML
and shapely polygons) so that a test comparing it with `analyse(...)` or the CLI compares two
independent computations, not one computation seen twice:

- coverage: the WGS84 geodesic (pyproj.Geod.inv) from every target to every police post
  but the reserve units (a response force at its base guards no TPS), covered when some
  distance is at most that post's radius (its own `radius_m` when set, else the
  operation's radius for its post type);
- areas: the first polygon of a level (file order) that holds the point;
- staffing: the doctrine table of DESIGN.md ("pola pengamanan TPS"), typed in here again,
  with groups formed within each area: groups = ceil(TPS / TPS-per-group),
  Polri = groups x max(Polri-per-group, body-system minimum); Linmas are posted per TPS,
  not per group: Linmas = ceil(TPS x Linmas-per-group / TPS-per-group) (2 per TPS, KPU rule).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

__all__ = [
    "ESCORT_POLRI",
    "PRESET_TABLE",
    "RISKS",
    "WAREHOUSE_POLRI",
    "WAREHOUSE_TNI",
    "Area",
    "Preset",
    "RawOperation",
    "RawSite",
    "area_of",
    "coverage_oracle",
    "read_raw_operation",
    "staffing_oracle",
    "tallies",
]

_GEOD = pyproj.Geod(ellps="WGS84")

RISKS = ("kurang_rawan", "rawan", "sangat_rawan", "khusus")


@dataclass(frozen=True)
class Preset:
    """One doctrine preset: (Polri, TPS, Linmas) per group and risk class, body-system minimum.

    A class the preset leaves out uses the highest class it defines (DESIGN.md lists no
    "khusus" column for the 2019 and Belitung presets; a special TPS is at least as demanding
    as a very vulnerable one).
    """

    groups: Mapping[str, tuple[int, int, int]]
    min_polri: int

    def group(self, risk: str) -> tuple[int, int, int]:
        """(Polri, TPS, Linmas) per group for `risk`."""
        if risk in self.groups:
            return self.groups[risk]
        defined = [r for r in RISKS if r in self.groups]
        return self.groups[defined[-1]]


# DESIGN.md, "Staffing": Polri / TPS / Linmas per group. "Minimum 2 Polri together (body
# system), relaxable per preset": the lean Belitung preset (one officer per group) relaxes it.
PRESET_TABLE: Mapping[str, Preset] = {
    "typical_2024": Preset(
        groups={
            "kurang_rawan": (2, 8, 16),
            "rawan": (2, 2, 4),
            "sangat_rawan": (2, 1, 2),
            "khusus": (2, 1, 2),
        },
        min_polri=2,
    ),
    "mabes_2019": Preset(
        groups={"kurang_rawan": (2, 4, 6), "rawan": (4, 2, 8), "sangat_rawan": (6, 2, 8)},
        min_polri=2,
    ),
    "belitung_2024": Preset(
        groups={"kurang_rawan": (1, 3, 6), "rawan": (1, 2, 4), "sangat_rawan": (1, 1, 2)},
        min_polri=1,
    ),
}

# Ballot escort per TPS by class (DESIGN.md: 2 / 4 / 6; "khusus" as the highest class).
ESCORT_POLRI: Mapping[str, int] = {"kurang_rawan": 2, "rawan": 4, "sangat_rawan": 6, "khusus": 6}
# PPK recap warehouse guard (DESIGN.md).
WAREHOUSE_POLRI = 5
WAREHOUSE_TNI = 5


@dataclass(frozen=True)
class RawSite:
    """One site as the GeoJSON file holds it."""

    site_id: str
    kind: str
    lon: float
    lat: float
    props: Mapping[str, Any]


@dataclass(frozen=True)
class Area:
    """One area polygon as the GeoJSON file holds it."""

    code: str
    name: str
    level: str
    polygon: BaseGeometry


@dataclass(frozen=True)
class RawOperation:
    """An operation folder read with json/tomllib/shapely only."""

    sites: tuple[RawSite, ...]
    areas: tuple[Area, ...]
    radius_m: Mapping[str, float]
    preset: str
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[RawSite]:
        """Sites of one kind, in file order."""
        return [s for s in self.sites if s.kind == kind]

    def levels(self) -> list[str]:
        """Area levels, coarsest (fewest polygons) first."""
        counts = Counter(a.level for a in self.areas)
        return sorted(counts, key=lambda level: (counts[level], level))


def read_raw_operation(
    folder: Path, *, overrides: Mapping[str, Mapping[str, Any]] | None = None
) -> RawOperation:
    """Read `operation.toml`, `sites.geojson` and `areas.geojson` without the geo package.

    `overrides` changes properties of some sites by `site_id` (e.g. a post's own radius_m or a
    TPS's risk class), so a test can build variants of the sample.
    """
    overrides = dict(overrides or {})
    settings = tomllib.loads((folder / "operation.toml").read_text(encoding="utf-8"))
    features = json.loads((folder / "sites.geojson").read_text(encoding="utf-8"))["features"]
    sites = []
    for f in features:
        props = {**f["properties"], **overrides.get(f["properties"]["site_id"], {})}
        lon, lat = f["geometry"]["coordinates"][:2]
        sites.append(RawSite(props["site_id"], props["kind"], float(lon), float(lat), props))
    area_features = json.loads((folder / "areas.geojson").read_text(encoding="utf-8"))["features"]
    areas = tuple(
        Area(
            str(f["properties"]["area_code"]),
            str(f["properties"]["name"]),
            str(f["properties"]["level"]),
            shape(f["geometry"]),
        )
        for f in area_features
    )
    return RawOperation(
        sites=tuple(sites),
        areas=areas,
        radius_m={k: float(v) for k, v in settings["radius_m"].items()},
        preset=settings["staffing"]["preset"],
        overrides=overrides,
    )


def area_of(site: RawSite, areas: Iterable[Area], level: str) -> str | None:
    """Code of the first area of `level` (file order) holding the site, None when outside."""
    point = Point(site.lon, site.lat)
    for area in areas:
        if area.level == level and area.polygon.covers(point):
            return area.code
    return None


def _post_radius(post: RawSite, radius_m: Mapping[str, float]) -> float:
    own = post.props.get("radius_m")
    if own is not None and float(own) > 0:
        return float(own)
    return radius_m[post.props["post_type"]]


def coverage_oracle(
    op: RawOperation, *, radius_m: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """Every target's distances to every post, and what they reach.

    Returns a dict with, per target id: `kind`, `covered`, `n_covering`, `covering` (post id
    -> metres for every post that reaches it), `nearest_post_id`, `nearest_post_m`, and
    `margin_m` (the least |distance - radius| over all pairs: how far the decision is from a
    tie, so a test can insist the oracle is unambiguous).
    """
    radii = {**op.radius_m, **(radius_m or {})}
    posts = sorted(
        (p for p in op.of_kind("police_post") if p.props.get("post_type") != "reserve"),
        key=lambda p: p.site_id,
    )
    targets = [s for s in op.sites if s.kind in ("polling_station", "demonstration_point")]
    reach = np.array([_post_radius(p, radii) for p in posts])
    result: dict[str, Any] = {}
    for t in targets:
        _, _, dist = _GEOD.inv(
            np.full(len(posts), t.lon),
            np.full(len(posts), t.lat),
            np.array([p.lon for p in posts]),
            np.array([p.lat for p in posts]),
        )
        dist = np.asarray(dist, dtype=float)
        best = int(np.argmin(dist))
        within = dist <= reach
        result[t.site_id] = {
            "kind": t.kind,
            "covering": {posts[i].site_id: float(dist[i]) for i in np.flatnonzero(within)},
            "covered": bool(within.any()),
            "n_covering": int(within.sum()),
            "nearest_post_id": posts[best].site_id,
            "nearest_post_m": float(dist[best]),
            "margin_m": float(np.abs(dist - reach).min()),
        }
    return result


def tallies(
    op: RawOperation, covered: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, dict[str, int]]]:
    """Totals and covered counts of TPS per risk class and per area of every level."""
    out: dict[str, dict[str, dict[str, int]]] = {"risk": {r: _zero() for r in RISKS}}
    tps = op.of_kind("polling_station")
    for t in tps:
        _count(out["risk"][t.props["risk"]], covered[t.site_id]["covered"])
    for level in op.levels():
        per: dict[str, dict[str, int]] = {a.code: _zero() for a in op.areas if a.level == level}
        for t in tps:
            code = area_of(t, op.areas, level) or "outside"
            _count(per.setdefault(code, _zero()), covered[t.site_id]["covered"])
        out[level] = per
    return out


def _zero() -> dict[str, int]:
    return {"total": 0, "covered": 0, "uncovered": 0}


def _count(cell: dict[str, int], covered: bool) -> None:
    cell["total"] += 1
    cell["covered" if covered else "uncovered"] += 1


def staffing_oracle(op: RawOperation, *, preset: str | Preset, level: str | None) -> dict[str, Any]:
    """Staffing per area of `level` (groups formed within each area) and its totals.

    Only areas holding at least one site get a row. Each area: TPS, groups, Polri at the
    TPS, Linmas, escort Polri, PPK warehouses (role "ppk" only: DESIGN.md guards PPK recap
    warehouses), officers at the area's posts (reserve units apart). Totals are the sums of
    the per-area figures.
    """
    table = PRESET_TABLE[preset] if isinstance(preset, str) else preset
    areas: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "tps_by_class": Counter(),
            "ppk": 0,
            "available": 0,
        }
    )
    for s in op.sites:
        code = (area_of(s, op.areas, level) if level else None) or "outside"
        cell = areas[code]
        if s.kind == "polling_station":
            cell["tps_by_class"][s.props["risk"]] += 1
        elif s.kind == "police_post" and s.props.get("post_type") != "reserve":
            # a reserve unit is counted apart from the static guards at the posts
            cell["available"] += int(s.props.get("personnel") or 0)
        elif s.kind == "logistics" and s.props.get("role") == "ppk":
            cell["ppk"] += 1
    rows: dict[str, dict[str, Any]] = {}
    by_class = {r: {"tps": 0, "groups": 0, "polri": 0, "linmas": 0} for r in RISKS}
    for code, cell in areas.items():
        row = {"tps": 0, "groups": 0, "polri_tps": 0, "linmas": 0, "escort_polri": 0}
        for risk, n in cell["tps_by_class"].items():
            polri_per, tps_per, linmas_per = table.group(risk)
            groups = math.ceil(n / tps_per)
            polri = groups * max(polri_per, table.min_polri)
            linmas = math.ceil(n * linmas_per / tps_per)
            row["tps"] += n
            row["groups"] += groups
            row["polri_tps"] += polri
            row["linmas"] += linmas
            row["escort_polri"] += n * ESCORT_POLRI[risk]
            for key, value in (
                ("tps", n),
                ("groups", groups),
                ("polri", polri),
                ("linmas", linmas),
            ):
                by_class[risk][key] += value
        row["warehouses"] = cell["ppk"]
        row["polri"] = row["polri_tps"] + WAREHOUSE_POLRI * cell["ppk"]
        row["available"] = cell["available"]
        row["shortfall"] = max(0, row["polri"] - cell["available"])
        rows[code] = row
    total = {k: sum(r[k] for r in rows.values()) for k in next(iter(rows.values()))}
    total["tni"] = WAREHOUSE_TNI * total["warehouses"]
    return {"areas": rows, "by_class": by_class, "total": total}
