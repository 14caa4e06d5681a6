"""Plans: named, saved variants of an operation's deployment, with their versions.

A plan holds its posts (canonical sites of kind ``police_post``), the radius per post type,
the staffing preset (name, edited rows, minimum Polri), the risk weights and drawn zones; the
operation's other sites are shared by all its plans. Every saved change is a plan version
(who, when, action, note) in the operation's store (its ``store.gpkg``, or the PostGIS
database's plan tables keyed by operation; see :meth:`geo.store.VersionStore.plan_transaction`),
written by one transaction, so a killed save leaves the previous version. A save states the version
it was based on; a stale one is refused with :class:`geo.store.StoreConflict`.

While an operation has no saved plan, its current plan is the implicit initial plan made of
the imported posts and the settings (:func:`initial_content`). The first plan created (or the
first save of the initial plan, ``INITIAL_PLAN_ID`` at ``base_version=0``) also saves that
initial plan as ``plan-1`` in the same transaction, so it can be compared and returned to.
Reading never writes: a store from before plans existed reads as "no plans".
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo import audit
from geo.audit import readable_time
from geo.crs import WGS84, buffer_m, geodesic_m
from geo.errors import SettingsError, ValidationError
from geo.model import (
    DEFAULT_RADIUS_M,
    DEFAULT_RISK_WEIGHTS,
    AuditAction,
    Col,
    Kind,
    PlanStatus,
    PostType,
    Risk,
    Settings,
    StaffingPreset,
    Unit,
    ZoneKind,
    load_settings,
)
from geo.phases import PHASE_SEPARATOR
from geo.schema import canonical_sites, validate_sites
from geo.staffing import preset_from_table, resolve_preset
from geo.store import (
    PLAN_COLUMNS,
    ConfirmationNeeded,
    NothingToSave,
    PlanConnection,
    Store,
    StoreConflict,
    StoreDamaged,
    VersionStore,
    store_for,
)
from geo.text import DEFAULT_LANGUAGE, Labels, Number, Text, catalog, label, t

if TYPE_CHECKING:
    from geo.operation import Operation

__all__ = [
    "INITIAL_PLAN_ID",
    "MAX_NAME_LENGTH",
    "PlanContent",
    "PlanInfo",
    "PlanNotFound",
    "PlanVersion",
    "Plans",
    "Zone",
    "apply_plan",
    "initial_content",
    "initial_plan_name",
    "plan_version_action",
    "plan_version_note",
    "readable_time",
    "same_name",
]

INITIAL_PLAN_ID = "plan-1"
"""The id the initial plan gets when it is saved (the first plan of every operation)."""
MAX_NAME_LENGTH = 80
_MAX_RADIUS_M = 50_000.0
_VERSIONS = "plan_versions"
_CURRENT = "plan_current"
_VERSION_COLUMNS = PLAN_COLUMNS[:-1]  # all but the content
_SETTINGS_FILE = "operation.toml"


class PlanNotFound(ValidationError):
    """No plan of the operation has the name or id asked for (the message names those that
    exist)."""


# --- zones ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Zone:
    """A zone drawn on the map: a polygon, or a ring of `radius_m` around a point.

    Attributes
    ----------
    zone_id
        Identifier, unique within the plan.
    kind
        A :class:`geo.model.ZoneKind` (closure, assembly, sterile).
    name
        What the planner calls it (may be empty).
    geometry
        EPSG:4326 Polygon or MultiPolygon, or the Point centre of a ring.
    radius_m
        A ring's radius, metres (None for a polygon).

    Raises
    ------
    ValidationError
        When the kind is unknown, the polygon invalid or not finite, or a ring has no
        positive radius (catalog messages).
    """

    zone_id: str
    kind: ZoneKind
    name: str
    geometry: BaseGeometry
    radius_m: float | None = None

    def __post_init__(self) -> None:
        where = self.name or self.zone_id
        try:
            object.__setattr__(self, "kind", ZoneKind(self.kind))
        except ValueError:
            raise ValidationError.from_text(
                "plan.zone_kind", zone=where, value=self.kind, expected=", ".join(ZoneKind)
            ) from None
        if not isinstance(self.zone_id, str) or not self.zone_id.strip():
            raise ValidationError.from_text("plan.zone_id", zone=where)
        object.__setattr__(self, "name", str(self.name or "").strip())
        _check_zone_geometry(self.geometry, self.radius_m, where)
        if self.radius_m is not None:
            object.__setattr__(self, "radius_m", float(self.radius_m))

    @property
    def is_ring(self) -> bool:
        """True for a ring (a centre point and a radius)."""
        return self.radius_m is not None

    def area(self) -> BaseGeometry:
        """The zone as a polygon, EPSG:4326 (a ring as a geodesic circle)."""
        if self.radius_m is None:
            return self.geometry
        return buffer_m(gpd.GeoSeries([self.geometry], crs=WGS84), self.radius_m).iloc[0]

    def to_feature(self) -> dict[str, Any]:
        """The zone as a GeoJSON Feature (properties: zone_id, kind, name, radius_m)."""
        return {
            "type": "Feature",
            "geometry": mapping(self.geometry),
            "properties": {
                "zone_id": self.zone_id,
                "kind": str(self.kind),
                "name": self.name,
                "radius_m": self.radius_m,
            },
        }

    @classmethod
    def from_feature(cls, feature: Mapping[str, Any], *, zone_id: str | None = None) -> Zone:
        """A zone from a GeoJSON Feature as :meth:`to_feature` writes it (a missing
        ``zone_id`` is made up).

        Raises
        ------
        ValidationError
            When the feature is not a zone (see :class:`Zone`).
        """
        props = dict(feature.get("properties") or {})
        name = str(props.get("name") or "")
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
            raise ValidationError.from_text("plan.zone_geometry", zone=name or "?") from None
        radius = props.get("radius_m")
        return cls(
            zone_id=str(props.get("zone_id") or zone_id or _new_id("zone")),
            kind=props.get("kind", ""),
            name=name,
            geometry=geometry,
            radius_m=None if radius is None else _number(radius, "plan.zone_radius", name),
        )


def _number(value: object, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError.from_text(key, zone=where, value=value)
    try:
        return float(value)
    except ValueError:
        raise ValidationError.from_text(key, zone=where, value=value) from None


def _check_zone_geometry(geometry: object, radius_m: object, where: str) -> None:
    if not isinstance(geometry, BaseGeometry) or geometry.is_empty:
        raise ValidationError.from_text("plan.zone_geometry", zone=where)
    coords = shapely.get_coordinates(geometry)
    finite = np.isfinite(coords).all()
    if not finite or (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        raise ValidationError.from_text("plan.zone_not_finite", zone=where)
    if geometry.geom_type == "Point":
        ok = (
            isinstance(radius_m, int | float)
            and not isinstance(radius_m, bool)
            and math.isfinite(radius_m)
            and 0 < radius_m <= _MAX_RADIUS_M
        )
        if not ok:
            raise ValidationError.from_text(
                "plan.zone_radius", zone=where, value=radius_m, limit=f"{_MAX_RADIUS_M:.0f}"
            )
        return
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or radius_m is not None:
        raise ValidationError.from_text("plan.zone_geometry", zone=where)
    if not geometry.is_valid or geometry.area <= 0:
        raise ValidationError.from_text("plan.zone_geometry", zone=where)


# --- plan content ---------------------------------------------------------------------------

_POST_FIELDS = (Col.NAME, Col.POST_TYPE, Col.PERSONNEL, Col.RADIUS_M, Col.UNIT, Col.PHASES)


@dataclass(frozen=True, eq=False)
class PlanContent:
    """What a plan holds; every edit returns a new, validated content.

    Attributes
    ----------
    posts
        Canonical sites, all of kind ``police_post``, unique ``site_id`` (sorted by it).
    radius_m
        Coverage radius per post type, metres (every type).
    preset
        Name of the staffing preset (built-in or of the operation's settings).
    preset_rows
        Edited preset rows ``(risk, polri, tps, linmas)`` as the map page keeps them; empty
        when the preset is used as it is.
    min_polri
        Minimum officers per guard group (None: the preset's own).
    risk_weights
        Weight of each risk class in the weighted coverage score.
    zones
        Zones drawn on the map.

    Raises
    ------
    ValidationError
        When a post breaks the sites' rules (unknown post type, a point that is not finite,
        a duplicate id), a post radius is not positive and finite, or a zone is invalid.
    SettingsError
        When the radii, weights or preset rows break the settings' rules.
    """

    posts: gpd.GeoDataFrame
    radius_m: Mapping[PostType, float]
    preset: str
    preset_rows: tuple[tuple[str, int, int, int], ...] = ()
    min_polri: int | None = None
    risk_weights: Mapping[Risk, float] = field(default_factory=lambda: dict(DEFAULT_RISK_WEIGHTS))
    zones: tuple[Zone, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "posts", _checked_posts(self.posts))
        settings = Settings(title="plan", radius_m=dict(self.radius_m))
        settings = settings.with_weights(self.risk_weights)
        object.__setattr__(self, "radius_m", dict(settings.radius_m))
        object.__setattr__(self, "risk_weights", dict(settings.risk_weights))
        if not isinstance(self.preset, str) or not self.preset.strip():
            raise SettingsError.from_text("plan.preset_missing")
        object.__setattr__(self, "preset_rows", _checked_rows(self.preset_rows))
        if self.min_polri is not None and (
            isinstance(self.min_polri, bool)
            or not isinstance(self.min_polri, int | np.integer)
            or self.min_polri < 1
        ):
            raise SettingsError.from_text(
                "settings.min_polri", key="min_polri", value=self.min_polri
            )
        zones = tuple(self.zones)
        ids = [z.zone_id for z in zones]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise ValidationError.from_text("plan.zone_duplicate", zone=dup)
        object.__setattr__(self, "zones", zones)

    # --- equality and storage -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (what a version stores)."""
        return {
            "posts": _post_records(self.posts),
            "radius_m": {str(k): float(v) for k, v in sorted(self.radius_m.items())},
            "preset": self.preset,
            "preset_rows": [list(r) for r in self.preset_rows],
            "min_polri": None if self.min_polri is None else int(self.min_polri),
            "risk_weights": {str(k): float(v) for k, v in sorted(self.risk_weights.items())},
            "zones": [z.to_feature() for z in self.zones],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanContent:
        """Content from :meth:`to_dict`'s data (validated again)."""
        records = list(data.get("posts", []))
        posts = _posts_frame(records)
        return cls(
            posts=posts,
            # a post type added since the plan was saved (reserve) takes its default reach
            radius_m={
                **DEFAULT_RADIUS_M,
                **{PostType(k): v for k, v in dict(data["radius_m"]).items()},
            },
            preset=data["preset"],
            preset_rows=tuple(tuple(r) for r in data.get("preset_rows", [])),
            min_polri=data.get("min_polri"),
            risk_weights={Risk(k): v for k, v in dict(data["risk_weights"]).items()},
            zones=tuple(Zone.from_feature(f) for f in data.get("zones", [])),
        )

    def to_json(self) -> str:
        """The content as canonical JSON (sorted keys: equal contents, equal text)."""
        return json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, allow_nan=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlanContent):
            return NotImplemented
        return self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(self.to_json())

    # --- pure edits -----------------------------------------------------------------------

    def with_post_added(
        self,
        *,
        lon: float,
        lat: float,
        post_type: PostType | str,
        name: str,
        personnel: int | None = None,
        radius_m: float | None = None,
        site_id: str | None = None,
        unit: str | None = None,
        phases: str | Sequence[str] | None = None,
    ) -> tuple[PlanContent, str]:
        """The content with a new post, and the new post's ``site_id``; `unit` (a reserve
        post's `Unit`) and `phases` (phase keys; none: every phase) as
        :meth:`with_post_changed` takes them.

        Raises
        ------
        ValidationError
            When the post type is unknown, the position or radius invalid, a unit given to
            a post that is not a reserve, or `site_id` already used.
        """
        # the planner never saw a generated id: messages name the post by its name
        where = str(name).strip() or Text("plan.new_post")
        _check_position(lon, lat, where)
        _check_radius(_optional_number(radius_m, Col.RADIUS_M, where), where)
        _optional_number(personnel, Col.PERSONNEL, where)
        new_id = site_id or _new_id("pos")
        row = {
            Col.SITE_ID: new_id,
            Col.KIND: Kind.POLICE_POST.value,
            Col.NAME: str(name).strip() or new_id,
            Col.POST_TYPE: str(post_type),
            Col.PERSONNEL: personnel,
            Col.RADIUS_M: radius_m,
            Col.UNIT: _unit(unit, post_type, where),
            Col.PHASES: _phases_cell(phases),
            Col.SOURCE: "plan",
        }
        added = _posts_frame([{**row, "lon": lon, "lat": lat}])
        return replace(self, posts=_concat([self.posts, added])), new_id

    def with_post_moved(self, site_id: str, lon: float, lat: float) -> PlanContent:
        """The content with post `site_id` at (lon, lat).

        Raises
        ------
        ValidationError
            When there is no such post or the position is not a finite lon/lat.
        """
        index = self._post_index(site_id)
        _check_position(lon, lat, site_id)
        posts = self.posts.copy()
        posts.loc[index, "geometry"] = shapely.Point(float(lon), float(lat))
        return replace(self, posts=posts)

    def with_post_removed(self, site_id: str) -> PlanContent:
        """The content without post `site_id` (ValidationError when there is none)."""
        index = self._post_index(site_id)
        return replace(self, posts=self.posts.drop(index=index))

    def with_post_changed(self, site_id: str, **fields: object) -> PlanContent:
        """The content with fields of post `site_id` changed: ``name``, ``post_type``,
        ``personnel``, ``radius_m`` (None: the type's radius), ``unit`` (a reserve post's
        `Unit`, None: none), ``phases`` (phase keys, a sequence or joined by ";"; none:
        every phase).

        Raises
        ------
        ValidationError
            When there is no such post, a field is not one of those, a value is invalid,
            or the post would hold a unit without being a reserve.
        """
        index = self._post_index(site_id)
        unknown = sorted(set(fields) - set(_POST_FIELDS))
        if unknown:
            raise ValidationError.from_text(
                "plan.post_field", field=", ".join(unknown), expected=", ".join(_POST_FIELDS)
            )
        posts = self.posts.copy()
        for column, value in fields.items():
            if column == Col.NAME:
                value = str(value).strip() or site_id
            if column in (Col.PERSONNEL, Col.RADIUS_M):
                value = _optional_number(value, column, site_id)
            if column == Col.PHASES:
                value = _phases_cell(value)  # type: ignore[arg-type]
            posts[column] = posts[column].astype(object)
            posts.loc[index, column] = value
        row = posts.loc[index]
        unit = row[Col.UNIT] if isinstance(row[Col.UNIT], str) else None
        posts.loc[index, Col.UNIT] = _unit(unit, row[Col.POST_TYPE], str(row[Col.NAME]))
        return replace(self, posts=posts)

    def zones_geojson(self) -> dict[str, Any]:
        """The zones as a GeoJSON FeatureCollection (see :meth:`Zone.to_feature`)."""
        return {"type": "FeatureCollection", "features": [z.to_feature() for z in self.zones]}

    def with_zones(self, zones: Iterable[Zone]) -> PlanContent:
        """The content with these zones (all of them: the drawn set replaces the old one)."""
        return replace(self, zones=tuple(zones))

    def with_settings(
        self,
        *,
        radius_m: Mapping[PostType, float] | None = None,
        preset: str | None = None,
        preset_rows: Sequence[Sequence[object]] | None = None,
        min_polri: int | None = None,
        risk_weights: Mapping[Risk, float] | None = None,
    ) -> PlanContent:
        """The content with radii (merged per type), preset, edited rows, minimum Polri or
        weights (merged per class) changed; None keeps a value. A new preset name without
        rows drops the old preset's edited rows and minimum.

        Raises
        ------
        SettingsError
            When a value breaks the settings' rules (nothing changes).
        """
        changes: dict[str, Any] = {}
        if radius_m is not None:
            changes["radius_m"] = {**self.radius_m, **{PostType(k): v for k, v in radius_m.items()}}
        if risk_weights is not None:
            weights = {Risk(k): v for k, v in risk_weights.items()}
            changes["risk_weights"] = {**self.risk_weights, **weights}
        if preset is not None and preset != self.preset:
            changes |= {"preset": preset, "preset_rows": (), "min_polri": None}
        if preset_rows is not None:
            changes["preset_rows"] = tuple(tuple(r) for r in preset_rows)
        if min_polri is not None:
            changes["min_polri"] = min_polri
        return replace(self, **changes)

    def staffing_preset(self, settings: Settings) -> StaffingPreset:
        """The staffing preset this plan uses, with its edited rows and minimum applied.

        Raises
        ------
        SettingsError
            When the operation has no preset of that name, or a row is invalid.
        """
        base = resolve_preset(settings, self.preset)
        min_polri = base.min_polri if self.min_polri is None else int(self.min_polri)
        if not self.preset_rows and min_polri == base.min_polri:
            return base
        groups = {r: base.group_for(r) for r in Risk}
        rows = {r: (g.polri, g.tps, g.linmas) for r, g in groups.items()}
        rows |= {Risk(r): (polri, tps, linmas) for r, polri, tps, linmas in self.preset_rows}
        return preset_from_table(base, rows, min_polri=min_polri)

    def validate(self, settings: Settings) -> PlanContent:
        """Check what needs the operation's settings (the preset exists); return self.

        Raises
        ------
        SettingsError
            When the preset is unknown to the operation, or its rows are invalid.
        """
        self.staffing_preset(settings)
        return self

    def changes_from(self, other: PlanContent) -> list[Text]:
        """What changed from `other` to this content, one catalog text per change (post
        names, post types, numbers as values: notes are stored in English)."""
        return _changes(other, self)

    def _post_index(self, site_id: str) -> int:
        found = self.posts.index[self.posts[Col.SITE_ID] == site_id]
        if not len(found):
            raise ValidationError.from_text(
                "plan.post_not_found", site_id=site_id, posts=len(self.posts)
            )
        return found[0]


def _new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _shown(value: object) -> object:
    """A value as a message shows it: a number in the reader's style, anything else quoted."""
    return Number(float(value)) if _is_number(value) else repr(value)  # type: ignore[arg-type]


def _optional_number(value: object, column: str, site_id: object) -> float | int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if _is_number(value) and math.isfinite(float(value)) and float(value) >= 0:  # type: ignore[arg-type]
        return int(value) if column == Col.PERSONNEL else float(value)  # type: ignore[call-overload]
    raise ValidationError.from_text(
        "plan.post_value", site_id=site_id, column=column, value=_shown(value)
    )


def _unit(unit: str | None, post_type: object, where: object) -> str | None:
    """A post's reserve unit, checked: a `Unit` value on a reserve post only (None: none)."""
    if unit is None or unit == "":
        return None
    if str(unit) not in {u.value for u in Unit}:
        expected = ", ".join(u.value for u in Unit)
        raise ValidationError.from_text("phase.bad_unit", name=where, value=unit, expected=expected)
    if str(post_type) != PostType.RESERVE:
        raise ValidationError.from_text("phase.unit_not_reserve", name=where)
    return str(unit)


def _phases_cell(phases: str | Sequence[str] | None) -> str | None:
    """Phase keys as a `phases` cell: joined by ";" (None: every phase)."""
    keys = phases.split(PHASE_SEPARATOR) if isinstance(phases, str) else list(phases or ())
    kept = [k.strip() for k in keys if k and k.strip()]
    return PHASE_SEPARATOR.join(dict.fromkeys(kept)) or None


def _check_radius(radius: float | None, site_id: object) -> None:
    if radius is not None and not 0 < radius <= _MAX_RADIUS_M:
        raise ValidationError.from_text(
            "plan.post_value", site_id=site_id, column=Col.RADIUS_M, value=_shown(radius)
        )


def _check_position(lon: object, lat: object, site_id: object) -> None:
    ok = _is_number(lon) and _is_number(lat)
    if (
        not ok
        or not (math.isfinite(lon) and math.isfinite(lat))  # type: ignore[arg-type]
        or abs(lon) > 180  # type: ignore[arg-type]
        or abs(lat) > 90  # type: ignore[arg-type]
    ):
        raise ValidationError.from_text(
            "plan.post_position", site_id=site_id, lon=_shown(lon), lat=_shown(lat)
        )


def _concat(frames: Sequence[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Rows of several site frames (an empty one adds nothing: pandas warns about them)."""
    full = [f for f in frames if len(f)]
    if not full:
        return frames[0].iloc[0:0]
    if len(full) == 1:
        return full[0].reset_index(drop=True)
    merged = pd.concat(full, ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)


def _posts_frame(records: Sequence[Mapping[str, Any]]) -> gpd.GeoDataFrame:
    """Posts from records with ``lon``/``lat`` (positions checked)."""
    for r in records:
        _check_position(r.get("lon"), r.get("lat"), str(r.get(Col.SITE_ID)))
    rows = [{k: v for k, v in r.items() if k not in ("lon", "lat")} for r in records]
    points = [shapely.Point(float(r["lon"]), float(r["lat"])) for r in records]
    frame = gpd.GeoDataFrame(rows or None, geometry=points, crs=WGS84)
    return canonical_sites(frame)


def _checked_posts(posts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = canonical_sites(posts.to_crs(WGS84) if posts.crs else posts.set_crs(WGS84))
    frame = frame.drop(columns=[Col.DEFAULTED], errors="ignore")
    others = frame.index[frame[Col.KIND] != Kind.POLICE_POST]
    if len(others):
        raise ValidationError.from_text(
            "plan.not_a_post",
            site_id=str(frame.loc[others[0], Col.SITE_ID]),
            kind=str(frame.loc[others[0], Col.KIND]),
        )
    validate_sites(frame)
    for column in (Col.RADIUS_M, Col.PERSONNEL):
        values = pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy()
        bad = ~np.isnan(values) & (~np.isfinite(values) | (values < 0))
        if column == Col.RADIUS_M:
            bad |= ~np.isnan(values) & ((values == 0) | (values > _MAX_RADIUS_M))
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValidationError.from_text(
                "plan.post_value",
                site_id=str(frame[Col.SITE_ID].iloc[row]),
                column=column,
                value=_shown(values[row]),
            )
    return frame.sort_values(Col.SITE_ID, kind="stable").reset_index(drop=True)


def _checked_rows(rows: Iterable[Sequence[object]]) -> tuple[tuple[str, int, int, int], ...]:
    out = []
    for row in rows:
        if len(row) != 4:
            raise SettingsError.from_text("staffing.bad_row", risk=str(row[0] if row else "?"))
        risk, *numbers = row
        try:
            risk = Risk(str(risk))
        except ValueError:
            raise SettingsError.from_text(
                "settings.unknown_risk", value=risk, expected=", ".join(Risk)
            ) from None
        ok = all(isinstance(n, int | np.integer) and not isinstance(n, bool) for n in numbers)
        polri, tps, linmas = (int(n) for n in numbers) if ok else (-1, 0, -1)
        if not ok or min(polri, linmas) < 0 or tps < 1:
            raise SettingsError.from_text("staffing.bad_row", risk=risk.value)
        out.append((risk.value, polri, tps, linmas))
    risks = [r[0] for r in out]
    if len(set(risks)) != len(risks):
        raise SettingsError.from_text("staffing.bad_row", risk=risks[0])
    return tuple(sorted(out, key=lambda r: list(Risk).index(Risk(r[0]))))


def _json_value(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, int | float | bool | str):
        return value
    return str(value)


def _post_records(posts: gpd.GeoDataFrame) -> list[dict[str, object]]:
    columns = [c for c in posts.columns if c != posts.geometry.name]
    xs, ys = posts.geometry.x.to_numpy(), posts.geometry.y.to_numpy()
    out = []
    for i, row in enumerate(posts[columns].itertuples(index=False, name=None)):
        record = {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
        out.append(record | {"lon": float(xs[i]), "lat": float(ys[i])})
    return out


# --- what changed (notes stored in English, shown translated) ------------------------------

# params holding a vocabulary value, labelled when a note is shown
_NOTE_VOCABULARY = {"post_type": "post_type", "kind": "zone_kind", "status": "plan_status"}
_CHANGE_KEYS = (
    "plan.change.post_added",
    "plan.change.post_removed",
    "plan.change.post_moved",
    "plan.change.post_edited",
    "plan.change.radius",
    "plan.change.preset",
    "plan.change.preset_rows",
    "plan.change.min_polri",
    "plan.change.weight",
    "plan.change.zone_added",
    "plan.change.zone_removed",
    "plan.change.zone_edited",
    "plan.change.renamed",
    "plan.change.status",
    "plan.change.copied",
    "plan.change.rollback",
    "plan.change.initial",
    "plan.change.posts_applied",
    "suggest.plan_note",
)
_NOTE_SEPARATOR = "; "


def _changes(old: PlanContent, new: PlanContent) -> list[Text]:
    return [*_post_changes(old, new), *_setting_changes(old, new), *_zone_changes(old, new)]


def _post_changes(old: PlanContent, new: PlanContent) -> list[Text]:
    before = old.posts.set_index(Col.SITE_ID)
    after = new.posts.set_index(Col.SITE_ID)
    out: list[Text] = []
    for site_id in after.index.difference(before.index, sort=False):
        row = after.loc[site_id]
        out.append(
            Text(
                "plan.change.post_added",
                {"name": str(row[Col.NAME]), "post_type": str(row[Col.POST_TYPE])},
            )
        )
    for site_id in before.index.difference(after.index, sort=False):
        out.append(Text("plan.change.post_removed", {"name": str(before.loc[site_id, Col.NAME])}))
    for site_id in after.index.intersection(before.index, sort=False):
        a, b = before.loc[site_id], after.loc[site_id]
        name = str(b[Col.NAME])
        if not a.geometry.equals(b.geometry):
            metres = geodesic_m(a.geometry.x, a.geometry.y, b.geometry.x, b.geometry.y)
            out.append(
                Text("plan.change.post_moved", {"name": name, "metres": f"{float(metres):.0f}"})
            )
        edited = [c for c in _POST_FIELDS if not _same_value(a[c], b[c])]
        if edited:
            out.append(Text("plan.change.post_edited", {"name": name, "fields": ", ".join(edited)}))
    return out


def _same_value(a: object, b: object) -> bool:
    return _json_value(a) == _json_value(b)


def _setting_changes(old: PlanContent, new: PlanContent) -> list[Text]:
    out: list[Text] = []
    for post_type in PostType:
        if old.radius_m[post_type] != new.radius_m[post_type]:
            out.append(
                Text(
                    "plan.change.radius",
                    {
                        "post_type": str(post_type),
                        "before": f"{old.radius_m[post_type]:g}",
                        "after": f"{new.radius_m[post_type]:g}",
                    },
                )
            )
    if old.preset != new.preset:
        out.append(Text("plan.change.preset", {"before": old.preset, "after": new.preset}))
    if old.preset_rows != new.preset_rows:
        out.append(Text("plan.change.preset_rows", {"preset": new.preset}))
    if old.min_polri != new.min_polri:
        values = {"before": old.min_polri, "after": new.min_polri}
        shown = {k: "–" if v is None else str(v) for k, v in values.items()}
        out.append(Text("plan.change.min_polri", shown))
    for risk in Risk:
        if old.risk_weights[risk] != new.risk_weights[risk]:
            out.append(
                Text(
                    "plan.change.weight",
                    {
                        "risk": str(risk),
                        "before": f"{old.risk_weights[risk]:g}",
                        "after": f"{new.risk_weights[risk]:g}",
                    },
                )
            )
    return out


def _zone_changes(old: PlanContent, new: PlanContent) -> list[Text]:
    before = {z.zone_id: z for z in old.zones}
    after = {z.zone_id: z for z in new.zones}
    out: list[Text] = []
    for zone_id, zone in after.items():
        params = {"name": zone.name or zone_id, "kind": str(zone.kind)}
        if zone_id not in before:
            out.append(Text("plan.change.zone_added", params))
        elif before[zone_id].to_feature() != zone.to_feature():
            out.append(Text("plan.change.zone_edited", params))
    for zone_id, zone in before.items():
        if zone_id not in after:
            params = {"name": zone.name or zone_id, "kind": str(zone.kind)}
            out.append(Text("plan.change.zone_removed", params))
    return out


def _audit_changes(changes: Iterable[Text], note: str = "") -> tuple[Text, ...]:
    """Changes (and the planner's own note) as an audit record keeps them: catalog texts
    whose vocabulary values (post types, zone kinds, statuses, risks, post fields) are
    labels, so each reader of the log sees them in their own language."""
    texts = [Text(c.key, {k: _audit_value(k, v) for k, v in c.params.items()}) for c in changes]
    if note.strip():
        texts.append(Text("audit.what.plan_note", {"note": note.strip()}))
    return tuple(texts)


def _audit_value(name: str, value: object) -> object:
    if name in _NOTE_VOCABULARY or name == "risk":
        return Labels(_NOTE_VOCABULARY.get(name, name), {"values": (str(value),)})
    if name == "fields":  # the post's columns, named as the tables name them
        return Labels("col", {"values": tuple(str(value).split(", "))})
    return value


def _note_text(changes: Iterable[Text], note: str = "") -> str:
    """Changes (and the planner's own note) as the English note a version stores."""
    parts = [c.render("en") for c in changes]
    if note.strip():
        parts.append(note.strip())
    return _NOTE_SEPARATOR.join(parts)


@functools.cache
def _template_pattern(key: str) -> re.Pattern[str]:
    template = catalog()[key]["en"]
    pattern, last = "", 0
    for match in re.finditer(r"\{(\w+)\}", template):
        pattern += re.escape(template[last : match.start()]) + f"(?P<{match[1]}>.*?)"
        last = match.end()
    return re.compile(pattern + re.escape(template[last:]))


def plan_version_note(note: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A plan version's note in `lang`: each change Posko wrote translated (post types,
    zone kinds and statuses by their labels), anything else as written."""
    if not note:
        return ""
    shown = []
    for part in note.split(_NOTE_SEPARATOR):
        shown.append(_translated_part(part, lang))
    return _NOTE_SEPARATOR.join(shown)


def _translated_part(part: str, lang: str) -> str:
    for key in _CHANGE_KEYS:
        match = _template_pattern(key).fullmatch(part)
        if match is None:
            continue
        values = {
            name: label(_NOTE_VOCABULARY[name], value, lang)
            if name in _NOTE_VOCABULARY
            else label("risk", value, lang)
            if name == "risk"
            else value
            for name, value in match.groupdict().items()
        }
        return t(key, lang, **values)
    return part


def plan_version_action(action: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A plan version's action ("initial", "create", "copy", "save", "rename", "status",
    "rollback", "posts") in `lang`."""
    key = f"plan.action.{action}"
    return t(key, lang) if key in catalog() else action


# --- plans and versions ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInfo:
    """A saved plan as it is now (its newest version)."""

    plan_id: str
    name: str
    status: PlanStatus
    version: int
    saved_at: datetime
    saved_by: str
    current: bool


@dataclass(frozen=True)
class PlanVersion:
    """One saved version of a plan: who saved what, when (`note` in English; show it with
    :func:`plan_version_note`, the action with :func:`plan_version_action`)."""

    plan_id: str
    version: int
    saved_at: datetime
    saved_by: str
    action: str
    note: str
    name: str
    status: PlanStatus


def _name_key(name: str) -> str:
    """A plan name compared ignoring case, spacing and Unicode width."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def same_name(a: str, b: str) -> bool:
    """True when two plan names are the same for Posko (case and spaces ignored)."""
    return _name_key(a) == _name_key(b)


def initial_plan_name(lang: str = DEFAULT_LANGUAGE) -> str:
    """The initial plan's name in `lang` ("Rencana awal" / "Initial plan")."""
    return t("plan.initial_name", lang)


def _is_initial_name(name: str) -> bool:
    return name == INITIAL_PLAN_ID or any(
        same_name(name, initial_plan_name(lang)) for lang in catalog()["plan.initial_name"]
    )


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError.from_text("plan.name_empty")
    clean = " ".join(name.split())
    if len(clean) > MAX_NAME_LENGTH or any(unicodedata.category(c) == "Cc" for c in name):
        raise ValidationError.from_text("plan.name_bad", name=clean[:40], limit=MAX_NAME_LENGTH)
    return clean


class Plans:
    """The plans of one operation folder, in its workspace store.

    Parameters
    ----------
    folder
        The operation folder.
    initial
        The initial plan's content (imported posts and settings), saved as ``plan-1`` by the
        first write; read from the folder when not given.
    settings
        The operation's settings (checks a plan's preset); read from the folder when not
        given.
    """

    def __init__(
        self,
        folder: Path,
        *,
        initial: PlanContent | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.store: VersionStore = store_for(self.folder)
        self._initial = initial
        self._settings = settings

    @classmethod
    def for_operation(cls, operation: Operation) -> Plans:
        """The plans of a loaded operation (its folder, settings and imported posts)."""
        return cls(
            operation.path,
            initial=initial_content(operation),
            settings=operation.base_settings,
        )

    @property
    def path(self) -> Path:
        """The GeoPackage file the plans live in (embedded store only; see :attr:`location`)."""
        if not isinstance(self.store, Store):
            raise AttributeError("plans on a PostGIS store have no file; use .location")
        return self.store.path

    @property
    def location(self) -> str:
        """Where the plans live, for messages (a file, or a database and operation)."""
        return self.store.location

    @property
    def settings(self) -> Settings:
        """The operation's own settings (`operation.toml`)."""
        if self._settings is None:
            self._settings = load_settings(self.folder / _SETTINGS_FILE)
        return self._settings

    # --- reading (never writes) -----------------------------------------------------------

    def list(self) -> list[PlanInfo]:
        """Every saved plan, in the order they were created (empty when none)."""
        with self._reader() as con:
            if con is None:
                return []
            return self._infos(con)

    def current(self) -> PlanInfo | None:
        """The operation's current plan (None: the implicit initial plan)."""
        return next((p for p in self.list() if p.current), None)

    def find(self, name_or_id: str) -> PlanInfo:
        """The plan of this name (case and spaces ignored) or id.

        Raises
        ------
        PlanNotFound
            When no plan has it; the message names the plans that exist.
        """
        found = self.resolve(name_or_id)
        if found is None:
            raise self._not_found(name_or_id)
        return found

    def resolve(self, name_or_id: str) -> PlanInfo | None:
        """Like :meth:`find`, but None for the implicit initial plan (asked for by its name,
        "Rencana awal" / "Initial plan", or ``plan-1``, while no plan is saved).

        Raises
        ------
        PlanNotFound
            When no plan has the name or id.
        """
        plans = self.list()
        for plan in plans:
            if same_name(plan.name, name_or_id):
                return plan
        for plan in plans:
            if plan.plan_id == name_or_id.strip():
                return plan
        if not plans and _is_initial_name(name_or_id.strip()):
            return None
        raise self._not_found(name_or_id)

    def _not_found(self, name: str) -> PlanNotFound:
        names = [p.name for p in self.list()] or [initial_plan_name(self.settings.language)]
        return PlanNotFound.from_text(
            "plan.not_found", name=name, plans=", ".join(repr(n) for n in names)
        )

    def content(self, plan_id: str, version: int | None = None) -> PlanContent:
        """The content of a plan's version (the newest when None).

        Raises
        ------
        PlanNotFound
            When there is no such plan.
        ValidationError
            When there is no such version.
        StoreDamaged
            When the stored content cannot be read.
        """
        with self._reader() as con:
            if con is None:
                raise self._not_found(plan_id)
            return self._content(con, plan_id, version)

    def history(self, plan_id: str) -> list[PlanVersion]:
        """Every version of a plan, oldest first (PlanNotFound when there is none)."""
        with self._reader() as con:
            rows = [] if con is None else self._version_rows(con, plan_id)
        if not rows:
            raise self._not_found(plan_id)
        return rows

    # --- writing --------------------------------------------------------------------------

    def create(
        self,
        name: str,
        content: PlanContent,
        *,
        who: str,
        status: PlanStatus = PlanStatus.DRAFT,
        make_current: bool = False,
        note: str = "",
        audit_action: AuditAction = AuditAction.PLAN_NEW,
    ) -> PlanInfo:
        """Save a new plan (version 1); the first plan of an operation also saves the
        initial plan (``plan-1``) first, in the same transaction.

        `audit_action` is what the audit log calls it (a suggestion's draft:
        ``AuditAction.SUGGEST_DRAFT``).

        Raises
        ------
        ValidationError
            When the name is empty, too long or already used (case and spaces ignored).
        SettingsError
            When the preset is unknown to the operation.
        StoreError
            When the store cannot be written (nothing is saved).
        """
        saved = self._create(name, content, who=who, status=status, current=make_current, note=note)
        self._audit(audit_action, saved, who=who, before=None)
        return saved

    def copy(self, source_id: str, name: str, *, who: str, make_current: bool = False) -> PlanInfo:
        """A new plan with the newest content of plan `source_id` (or of the implicit
        initial plan, `INITIAL_PLAN_ID`, while none is saved)."""
        source_text: str | Text
        if source_id == INITIAL_PLAN_ID and not self.list():
            source, source_name = self._initial_content(), initial_plan_name(self._lang())
            source_text = Text("plan.initial_name")
        else:
            info = self._info(source_id)
            source, source_name = self.content(source_id), info.name
            source_text = source_name
        changes = [Text("plan.change.copied", {"name": source_name})]
        saved = self._create(
            name,
            source,
            who=who,
            status=PlanStatus.DRAFT,
            current=make_current,
            note=_note_text(changes),
            action="copy",
        )
        self._audit(AuditAction.PLAN_COPY, saved, who=who, before=None, what=_from(source_text))
        return saved

    def save(
        self,
        plan_id: str,
        content: PlanContent,
        *,
        base_version: int,
        who: str,
        note: str = "",
        action: str = "save",
    ) -> PlanInfo:
        """Save new content of a plan as its next version.

        ``base_version`` is the version the content was made from; 0 with
        ``INITIAL_PLAN_ID`` saves edits of the implicit initial plan (saving it first).

        Raises
        ------
        StoreConflict
            When another save of the plan came after `base_version` (reload, or save the
            content as a new plan).
        NothingToSave
            When the content equals the plan's newest content.
        """
        content.validate(self.settings)
        with self._writer() as con:
            info = self._writable(con, plan_id, base_version)
            old = self._content(con, plan_id, info.version)
            if old == content:
                raise NothingToSave.from_text("plan.nothing_changes", name=info.name)
            changes = content.changes_from(old)
            text = _note_text(changes, note)
            saved = self._insert(con, info, content, who=who, action=action, note=text)
        what = _audit_changes(changes, note)
        self._audit(AuditAction.PLAN_SAVE, saved, who=who, before=info.version, what=what)
        return saved

    def rename(self, plan_id: str, name: str, *, base_version: int, who: str) -> PlanInfo:
        """Rename a plan (a new version with the same content).

        Raises
        ------
        ValidationError
            When the name is empty, too long or used by another plan.
        NothingToSave
            When the name is the plan's name already.
        StoreConflict
            When another save of the plan came after `base_version`.
        """
        clean = _check_name(name)
        with self._writer() as con:
            info = self._writable(con, plan_id, base_version)
            if clean == info.name:
                raise NothingToSave.from_text("plan.nothing_changes", name=info.name)
            self._check_unique(con, clean, except_id=plan_id)
            content = self._content(con, plan_id, info.version)
            note = _note_text([Text("plan.change.renamed", {"before": info.name, "after": clean})])
            before, info = info, replace(info, name=clean)
            saved = self._insert(con, info, content, who=who, action="rename", note=note)
        self._audit(
            AuditAction.PLAN_RENAME,
            saved,
            who=who,
            before=before.version,
            what=_from(before.name),
        )
        return saved

    def set_status(
        self, plan_id: str, status: PlanStatus | str, *, base_version: int, who: str
    ) -> PlanInfo:
        """Set a plan's status: draft, proposed, approved (a new version).

        Raises
        ------
        ValidationError
            When the status is unknown.
        NothingToSave
            When the plan has that status already.
        StoreConflict
            When another save of the plan came after `base_version`.
        """
        try:
            status = PlanStatus(status)
        except ValueError:
            raise ValidationError.from_text(
                "plan.status_unknown", value=status, expected=", ".join(PlanStatus)
            ) from None
        with self._writer() as con:
            info = self._writable(con, plan_id, base_version)
            if info.status == status:
                raise NothingToSave.from_text("plan.nothing_changes", name=info.name)
            content = self._content(con, plan_id, info.version)
            note = _note_text([Text("plan.change.status", {"status": str(status)})])
            before, info = info, replace(info, status=status)
            saved = self._insert(con, info, content, who=who, action="status", note=note)
        self._audit(
            AuditAction.PLAN_STATUS,
            saved,
            who=who,
            before=before.version,
            what=Text(
                "audit.what.plan_status",
                {"before": _status(before.status), "after": _status(status)},
            ),
        )
        return saved

    def set_current(self, plan_id: str, *, who: str) -> None:
        """Make a plan the operation's current one (the map, CLI and briefing show it).

        Raises
        ------
        PlanNotFound
            When there is no such plan.
        NothingToSave
            When it is the current plan already.
        """
        with self._writer() as con:
            infos = self._infos(con)
            if not infos and plan_id == INITIAL_PLAN_ID:
                raise NothingToSave.from_text(
                    "plan.already_current", name=initial_plan_name(self._lang())
                )
            info = next((p for p in infos if p.plan_id == plan_id), None)
            if info is None:
                raise self._not_found(plan_id)
            if info.current:
                raise NothingToSave.from_text("plan.already_current", name=info.name)
            _set_current(con, plan_id, who)
        self._audit(AuditAction.PLAN_CURRENT, info, who=who, before=None, current_only=True)

    def rollback(
        self, plan_id: str, version: int, *, base_version: int, who: str, confirmed: bool
    ) -> PlanInfo:
        """Save the content of an earlier version again as the newest (history is kept; the
        name and status stay as they are now).

        Raises
        ------
        ConfirmationNeeded
            When `confirmed` is False (nothing is saved).
        ValidationError
            When there is no such version.
        NothingToSave
            When that content is the plan's content now.
        StoreConflict
            When another save of the plan came after `base_version`.
        """
        if not confirmed:
            raise ConfirmationNeeded.from_text("plan.rollback_unconfirmed", version=version)
        with self._writer() as con:
            info = self._writable(con, plan_id, base_version)
            old = self._content(con, plan_id, version)
            now = self._content(con, plan_id, info.version)
            if old == now:
                raise NothingToSave.from_text("plan.nothing_changes", name=info.name)
            changes = [Text("plan.change.rollback", {"version": str(version)})]
            note = _note_text([*changes, *old.changes_from(now)])
            saved = self._insert(con, info, old, who=who, action="rollback", note=note)
        self._audit(
            AuditAction.PLAN_ROLLBACK,
            saved,
            who=who,
            before=info.version,
            what=Text("audit.what.rollback", {"version": version}),
        )
        return saved

    # --- internals ------------------------------------------------------------------------

    def _lang(self) -> str:
        return self.settings.language

    def _audit(
        self,
        action: AuditAction,
        info: PlanInfo,
        *,
        who: str,
        before: int | None,
        what: Text | tuple[Text, ...] = (),
        current_only: bool = False,
    ) -> None:
        """The audit record of a plan write, after it is committed (`current_only`: the
        plan was made current, no version was written)."""
        named = {"plan": info.name, "plan_id": info.plan_id}
        described = (
            Text("audit.what.plan_detail", {**named, "detail": what})
            if what
            else Text("audit.what.plan", named)
        )
        audit.record(
            who,
            action,
            operation=self.folder.name,
            what=described,
            version_before=before,
            version_after=None if current_only else info.version,
        )

    def time_zone(self) -> str:
        """The operation's time zone (its settings', else from its areas)."""
        if self.settings.time_zone:
            return self.settings.time_zone
        from geo.operation import load_operation  # geo.operation imports this module

        return str(load_operation(self.folder).settings.time_zone)

    def _initial_content(self) -> PlanContent:
        if self._initial is None:
            # geo.operation imports this module: load the operation only when asked to
            from geo.operation import load_operation

            self._initial = initial_content(load_operation(self.folder))
        return self._initial

    def _info(self, plan_id: str) -> PlanInfo:
        info = next((p for p in self.list() if p.plan_id == plan_id), None)
        if info is None:
            raise self._not_found(plan_id)
        return info

    def _create(
        self,
        name: str,
        content: PlanContent,
        *,
        who: str,
        status: PlanStatus,
        current: bool,
        note: str,
        action: str = "create",
    ) -> PlanInfo:
        clean = _check_name(name)
        content.validate(self.settings)
        status = PlanStatus(status)
        with self._writer() as con:
            infos = self._materialise_initial(con)
            self._check_unique(con, clean)
            number = 1 + max((int(p.plan_id.split("-")[1]) for p in infos), default=0)
            info = PlanInfo(
                plan_id=f"plan-{number}",
                name=clean,
                status=status,
                version=0,
                saved_at=_now(),
                saved_by=who,
                current=False,
            )
            saved = self._insert(con, info, content, who=who, action=action, note=note)
            if current:
                _set_current(con, saved.plan_id, who)
                saved = replace(saved, current=True)
            return saved

    def _materialise_initial(self, con: PlanConnection) -> list[PlanInfo]:
        """Save the implicit initial plan as ``plan-1`` (current) when no plan exists yet."""
        infos = self._infos(con)
        if infos:
            return infos
        initial = self._initial_content()
        info = PlanInfo(
            plan_id=INITIAL_PLAN_ID,
            name=initial_plan_name(self._lang()),
            status=PlanStatus.DRAFT,
            version=0,
            saved_at=_now(),
            saved_by="",
            current=False,
        )
        note = _note_text([Text("plan.change.initial", {})])
        self._insert(con, info, initial, who="", action="initial", note=note)
        _set_current(con, INITIAL_PLAN_ID, "")
        return self._infos(con)

    def _writable(self, con: PlanConnection, plan_id: str, base_version: int) -> PlanInfo:
        """The plan's newest state, refusing a save based on an older version."""
        if plan_id == INITIAL_PLAN_ID and base_version == 0:
            existing = self._infos(con)
            if not existing:
                self._materialise_initial(con)
                return next(p for p in self._infos(con) if p.plan_id == INITIAL_PLAN_ID)
        info = next((p for p in self._infos(con) if p.plan_id == plan_id), None)
        if info is None:
            raise self._not_found(plan_id)
        if info.version != base_version:
            raise StoreConflict.from_text(
                "plan.conflict",
                name=info.name,
                version=info.version,
                saved_at=readable_time(info.saved_at, self.time_zone()),
                who=info.saved_by or "—",
                base=base_version,
            )
        return info

    def _check_unique(
        self, con: PlanConnection, name: str, *, except_id: str | None = None
    ) -> None:
        for plan in self._infos(con):
            if plan.plan_id != except_id and same_name(plan.name, name):
                raise ValidationError.from_text("plan.name_taken", name=name, other=plan.name)

    def _insert(
        self,
        con: PlanConnection,
        info: PlanInfo,
        content: PlanContent,
        *,
        who: str,
        action: str,
        note: str,
    ) -> PlanInfo:
        saved = replace(info, version=info.version + 1, saved_at=_now(), saved_by=who)
        columns = ", ".join((*_VERSION_COLUMNS, "content", *con.scope.columns))
        marks = ", ".join("?" for _ in range(len(_VERSION_COLUMNS) + 1 + len(con.scope.columns)))
        con.execute(
            f"INSERT INTO {_VERSIONS} ({columns}) VALUES ({marks})",
            (
                saved.plan_id,
                saved.version,
                saved.saved_at.isoformat(timespec="microseconds"),
                who,
                action,
                note,
                saved.name,
                str(saved.status),
                content.to_json(),
                *con.scope.values,
            ),
        )
        return saved

    def _reader(self) -> AbstractContextManager[PlanConnection | None]:
        return self.store.plan_reading()

    def _writer(self) -> AbstractContextManager[PlanConnection]:
        if self._initial is None and not self.list():
            # the first write saves the initial plan: load it before the store is locked
            self._initial_content()
        return self.store.plan_transaction()

    def _infos(self, con: PlanConnection) -> list[PlanInfo]:
        if not _has_tables(con):
            return []
        key, value = con.scope.current_key
        current = con.execute(f"SELECT plan_id FROM {_CURRENT} WHERE {key} = ?", (value,))
        found = current.fetchone()
        current_id = found[0] if found else None
        columns = ", ".join(f"v.{c}" for c in _VERSION_COLUMNS)
        where, params = con.scope.where("v")
        rows = con.execute(
            f"SELECT {columns} FROM {_VERSIONS} v WHERE v.version = (SELECT MAX(version) FROM "
            f"{_VERSIONS} w WHERE w.plan_id = v.plan_id{con.scope.same('w', 'v')}){where}",
            params,
        ).fetchall()
        infos = [
            PlanInfo(
                plan_id=plan_id,
                name=name,
                status=PlanStatus(status),
                version=int(version),
                saved_at=_parse_time(saved_at),
                saved_by=saved_by,
                current=plan_id == current_id,
            )
            for plan_id, version, saved_at, saved_by, _action, _note, name, status in rows
        ]
        return sorted(infos, key=lambda p: int(p.plan_id.split("-")[1]))

    def _version_rows(self, con: PlanConnection, plan_id: str) -> list[PlanVersion]:
        if not _has_tables(con):
            return []
        where, params = con.scope.where(_VERSIONS)
        rows = con.execute(
            f"SELECT {', '.join(_VERSION_COLUMNS)} FROM {_VERSIONS} WHERE plan_id = ?{where} "
            "ORDER BY version",
            (plan_id, *params),
        ).fetchall()
        return [
            PlanVersion(
                plan_id=pid,
                version=int(version),
                saved_at=_parse_time(saved_at),
                saved_by=saved_by,
                action=action,
                note=note,
                name=name,
                status=PlanStatus(status),
            )
            for pid, version, saved_at, saved_by, action, note, name, status in rows
        ]

    def _content(self, con: PlanConnection, plan_id: str, version: int | None) -> PlanContent:
        versions = [v.version for v in self._version_rows(con, plan_id)]
        if not versions:
            raise self._not_found(plan_id)
        chosen = max(versions) if version is None else version
        if chosen not in versions:
            raise ValidationError.from_text(
                "plan.no_such_version",
                version=version,
                versions=", ".join(map(str, versions)),
            )
        where, params = con.scope.where(_VERSIONS)
        row = con.execute(
            f"SELECT content FROM {_VERSIONS} WHERE plan_id = ? AND version = ?{where}",
            (plan_id, chosen, *params),
        ).fetchone()
        try:
            return PlanContent.from_dict(json.loads(row[0]))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise StoreDamaged.from_text(
                "plan.unreadable",
                path=self.location,
                plan=plan_id,
                version=chosen,
                reason=str(exc) or type(exc).__name__,
            ) from None


def _now() -> datetime:
    return datetime.now(UTC)


def _parse_time(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _has_tables(con: PlanConnection) -> bool:
    """Whether the plan tables exist (a GeoPackage from before plans has none)."""
    return con.has_table(_VERSIONS) and con.has_table(_CURRENT)


def _set_current(con: PlanConnection, plan_id: str, who: str) -> None:
    key, value = con.scope.current_key
    con.execute(
        f"INSERT INTO {_CURRENT} ({key}, plan_id, saved_at, saved_by) VALUES (?, ?, ?, ?) "
        f"ON CONFLICT ({key}) DO UPDATE SET plan_id = excluded.plan_id, "
        "saved_at = excluded.saved_at, saved_by = excluded.saved_by",
        (value, plan_id, _now().isoformat(timespec="seconds"), who),
    )


# --- plans applied to operations ------------------------------------------------------------


def initial_content(operation: Operation) -> PlanContent:
    """The implicit initial plan: the operation's imported posts with its own settings."""
    settings = operation.base_settings
    sites = operation.list_sites
    posts = sites[sites[Col.KIND] == Kind.POLICE_POST]
    return PlanContent(
        posts=posts,
        radius_m=dict(settings.radius_m),
        preset=settings.staffing_preset,
        risk_weights=dict(settings.risk_weights),
    )


def apply_plan(operation: Operation, info: PlanInfo | None, content: PlanContent) -> Operation:
    """The operation as plan `content` deploys it: its site list without the imported posts
    plus the plan's posts, its settings with the plan's radii, weights and preset name.

    `info` None stands for unsaved content of the implicit initial plan.

    Raises
    ------
    ValidationError
        When a plan post's id is also the id of a site of the list.
    SettingsError
        When the plan's preset is unknown to the operation.
    """
    content.validate(operation.base_settings)
    sites = operation.list_sites
    others = sites[sites[Col.KIND] != Kind.POLICE_POST]
    merged = validate_sites(canonical_sites(_concat([others, content.posts])))
    settings = replace(
        operation.base_settings,
        radius_m=dict(content.radius_m),
        risk_weights=dict(content.risk_weights),
        staffing_preset=content.preset,
    )
    return replace(operation, sites=merged, settings=settings, plan=info, plan_content=content)


def _from(source: str | Text) -> Text:
    """The audit detail of a plan made from another (copy, rename)."""
    return Text("audit.what.plan_from", {"source": source})


def _status(status: str) -> Labels:
    return Labels("plan_status", {"values": (str(status),)})
