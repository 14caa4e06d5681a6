"""The data model: site kinds, risk classes, post types, column names and operation settings."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from geo.errors import Problem, SettingsError

__all__ = [
    "CANONICAL_COLUMNS",
    "DEFAULT_RADIUS_M",
    "DEFAULT_RING_ZONES_M",
    "DEFAULT_RISK_WEIGHTS",
    "Col",
    "Kind",
    "LocationQuality",
    "PostType",
    "Risk",
    "Settings",
    "StaffingGroup",
    "StaffingPreset",
    "load_settings",
    "parse_settings",
]


class Kind(StrEnum):
    """What a site is."""

    POLLING_STATION = "polling_station"
    GOVERNMENT = "government"
    DEMONSTRATION_POINT = "demonstration_point"
    POLICE_POST = "police_post"
    LOGISTICS = "logistics"


class Risk(StrEnum):
    """Polri TPS risk classes (2023–2025), lowest to highest, then the special class."""

    KURANG_RAWAN = "kurang_rawan"
    RAWAN = "rawan"
    SANGAT_RAWAN = "sangat_rawan"
    KHUSUS = "khusus"


class PostType(StrEnum):
    """Kinds of police post; each has its own coverage radius."""

    MAKO = "mako"
    POLSEK = "polsek"
    POS_PAM = "pos_pam"
    POS_TERPADU = "pos_terpadu"
    PATROL = "patrol"


class LocationQuality(StrEnum):
    """How far a site's position can be trusted."""

    SURVEYED = "surveyed"
    GEOCODED = "geocoded"
    APPROXIMATE = "approximate"
    SYNTHETIC = "synthetic"


class Col:
    """Canonical column names of the `sites` GeoDataFrame."""

    SITE_ID = "site_id"
    KIND = "kind"
    NAME = "name"
    RISK = "risk"
    POST_TYPE = "post_type"
    PERSONNEL = "personnel"
    RADIUS_M = "radius_m"
    AREA_CODE = "area_code"
    SOURCE = "source"
    LOCATION_QUALITY = "location_quality"
    TPS_NO = "tps_no"
    KELURAHAN = "kelurahan"
    KECAMATAN = "kecamatan"
    VOTERS = "voters"
    ROLE = "role"


CANONICAL_COLUMNS: tuple[str, ...] = (
    Col.SITE_ID,
    Col.KIND,
    Col.NAME,
    Col.RISK,
    Col.POST_TYPE,
    Col.PERSONNEL,
    Col.RADIUS_M,
    Col.AREA_CODE,
    Col.SOURCE,
    Col.LOCATION_QUALITY,
    Col.TPS_NO,
    Col.KELURAHAN,
    Col.KECAMATAN,
    Col.VOTERS,
    Col.ROLE,
)

DEFAULT_RADIUS_M: Mapping[PostType, float] = {
    PostType.MAKO: 2500.0,
    PostType.POLSEK: 1500.0,
    PostType.POS_PAM: 1000.0,
    PostType.POS_TERPADU: 1000.0,
    PostType.PATROL: 2000.0,
}

# Weight of each risk class in the weighted coverage score (editable per operation).
DEFAULT_RISK_WEIGHTS: Mapping[Risk, float] = {
    Risk.KURANG_RAWAN: 1.0,
    Risk.RAWAN: 2.0,
    Risk.SANGAT_RAWAN: 3.0,
    Risk.KHUSUS: 3.0,
}

# Ring zones around a recap site or government building; no doctrine distances were
# found, so these are editable defaults (building, compound, streets, access control).
DEFAULT_RING_ZONES_M: tuple[float, ...] = (30.0, 100.0, 300.0, 800.0)

_MAX_RADIUS_M = 50_000.0
_LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class StaffingGroup:
    """One guard group: `polri` officers and `linmas` guards for every `tps` stations."""

    polri: int
    tps: int
    linmas: int


@dataclass(frozen=True)
class StaffingPreset:
    """A doctrine preset ("pola pengamanan TPS").

    Attributes
    ----------
    name
        Identifier used in settings and on the command line.
    label
        Human-readable name.
    groups
        Guard group per risk class; a class missing here falls back to `fallback`.
    min_polri
        Minimum officers per group ("body system"), 1 when relaxed.
    escort_polri
        Ballot-box escort officers per TPS by risk class.
    fallback
        Risk class whose group is used for classes the preset does not define.
    """

    name: str
    label: str
    groups: Mapping[Risk, StaffingGroup]
    min_polri: int = 2
    escort_polri: Mapping[Risk, int] = field(
        default_factory=lambda: {
            Risk.KURANG_RAWAN: 2,
            Risk.RAWAN: 4,
            Risk.SANGAT_RAWAN: 6,
            Risk.KHUSUS: 6,
        }
    )
    fallback: Risk = Risk.SANGAT_RAWAN

    def group_for(self, risk: Risk) -> StaffingGroup:
        """Return the guard group that applies to `risk`."""
        return self.groups.get(risk) or self.groups[self.fallback]


@dataclass(frozen=True)
class Settings:
    """Settings of one operation, read from its `operation.toml`.

    Attributes
    ----------
    title
        Operation title shown on the map and the briefing.
    classification
        Classification label printed top and bottom (default "TERBATAS").
    language
        Default interface language, "id" or "en".
    radius_m
        Coverage radius in metres per post type (a post's own `radius_m` overrides it).
    ring_zones_m
        Radii in metres of the ring zones around government buildings, increasing.
    staffing_preset
        Name of the staffing preset used by default.
    custom_presets
        Staffing presets defined in the settings file, by name.
    data_note
        Note on where the data comes from; shown with the map.
    synthetic
        True when site positions are synthetic (sample data); the app says so.
    area_margin_m
        How far outside the operation's areas an imported site may lie before it is flagged.
    max_import_rows
        Largest number of rows one imported file may have.
    max_upload_mb
        Largest file the import page accepts, MB (Streamlit's own limit, 200 MB, still
        applies on top).
    risk_weights
        Weight of each risk class in the weighted coverage score.
    threat_distance_m
        A demonstration point threatens the nearest government building within this
        distance, metres.
    """

    title: str
    classification: str = "TERBATAS"
    language: str = "id"
    radius_m: Mapping[PostType, float] = field(default_factory=lambda: dict(DEFAULT_RADIUS_M))
    ring_zones_m: tuple[float, ...] = DEFAULT_RING_ZONES_M
    staffing_preset: str = "typical_2024"
    custom_presets: Mapping[str, StaffingPreset] = field(default_factory=dict)
    data_note: str = ""
    synthetic: bool = False
    area_margin_m: float = 5000.0
    max_import_rows: int = 1_000_000
    max_upload_mb: float = 200.0
    risk_weights: Mapping[Risk, float] = field(default_factory=lambda: dict(DEFAULT_RISK_WEIGHTS))
    threat_distance_m: float = 1000.0

    def __post_init__(self) -> None:
        problems = _settings_problems(self)
        if problems:
            msg = "Invalid settings: " + "; ".join(p.message for p in problems)
            raise SettingsError(msg, tuple(problems))

    def with_weights(self, weights: Mapping[Risk, float]) -> Settings:
        """Return a copy with the given risk weights replacing those of the same classes."""
        merged = {**self.risk_weights, **{Risk(k): float(v) for k, v in weights.items()}}
        return replace(self, risk_weights=merged)

    def with_radii(self, radius_m: Mapping[PostType, float]) -> Settings:
        """Return a copy with the given radii replacing those of the same post types."""
        merged = {**self.radius_m, **{PostType(k): float(v) for k, v in radius_m.items()}}
        return replace(self, radius_m=merged)


def _settings_problems(s: Settings) -> list[Problem]:
    problems: list[Problem] = []
    if not s.title.strip():
        problems.append(Problem("operation.title", "`operation.title` must not be empty."))
    if s.language not in _LANGUAGES:
        problems.append(
            Problem(
                "operation.language",
                f"`operation.language` is {s.language!r}; "
                f"expected one of: {', '.join(_LANGUAGES)}.",
            )
        )
    for post_type in PostType:
        if post_type not in s.radius_m:
            problems.append(Problem(f"radius_m.{post_type}", f"`radius_m.{post_type}` is missing."))
    for key, value in s.radius_m.items():
        if not _is_positive_number(value) or value > _MAX_RADIUS_M:
            problems.append(
                Problem(
                    f"radius_m.{key}",
                    f"`radius_m.{key}` is {value!r}; expected a number of metres "
                    f"above 0 and at most {_MAX_RADIUS_M:.0f}.",
                )
            )
    rings = s.ring_zones_m
    if not rings or not all(_is_positive_number(r) for r in rings):
        problems.append(
            Problem("ring_zones_m", f"`ring_zones_m` is {rings!r}; expected positive metres.")
        )
    elif list(rings) != sorted(set(rings)):
        problems.append(
            Problem("ring_zones_m", f"`ring_zones_m` is {rings!r}; expected increasing radii.")
        )
    for key, value in (("max_rows", s.max_import_rows), ("max_upload_mb", s.max_upload_mb)):
        if not _is_positive_number(value):
            problems.append(
                Problem(f"import.{key}", f"`import.{key}` is {value!r}; expected a number above 0.")
            )
    for risk, weight in s.risk_weights.items():
        if not (_is_positive_number(weight) or weight == 0):
            problems.append(
                Problem(
                    f"coverage.risk_weights.{risk}",
                    f"`coverage.risk_weights.{risk}` is {weight!r}; expected a number, 0 or more.",
                )
            )
    if not _is_positive_number(s.threat_distance_m):
        problems.append(
            Problem(
                "coverage.threat_distance_m",
                f"`coverage.threat_distance_m` is {s.threat_distance_m!r}; "
                "expected metres above 0.",
            )
        )
    if not _is_positive_number(s.area_margin_m) and s.area_margin_m != 0:
        problems.append(
            Problem(
                "import.area_margin_m",
                f"`import.area_margin_m` is {s.area_margin_m!r}; expected metres, 0 or more.",
            )
        )
    return problems


def _is_positive_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


_KNOWN_KEYS: Mapping[str, frozenset[str]] = {
    "": frozenset({"operation", "radius_m", "ring_zones_m", "staffing", "import", "coverage"}),
    "coverage": frozenset({"risk_weights", "threat_distance_m"}),
    "operation": frozenset({"title", "classification", "language", "data_note", "synthetic"}),
    "staffing": frozenset({"preset", "presets"}),
    "import": frozenset({"area_margin_m", "max_rows", "max_upload_mb"}),
}


def load_settings(path: Path) -> Settings:
    """Read and validate an operation's settings file.

    Parameters
    ----------
    path
        A TOML file (usually `operation.toml` in the operation folder).

    Returns
    -------
    settings
        The validated settings.

    Raises
    ------
    SettingsError
        When the file is missing, is not valid TOML, or breaks a rule; the error lists
        every problem found.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        msg = f"Settings file {str(path)!r} not found; an operation folder needs `operation.toml`."
        raise SettingsError(msg) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"Settings file {str(path)!r} is not valid TOML: {exc}."
        raise SettingsError(msg) from None
    try:
        return parse_settings(data)
    except SettingsError as exc:
        msg = f"Settings file {str(path)!r}: {exc}"
        raise SettingsError(msg, exc.problems) from None


def parse_settings(data: Mapping[str, Any]) -> Settings:
    """Build validated settings from the parsed TOML tables.

    Raises
    ------
    SettingsError
        Listing every unknown key, wrong type and out-of-range value.
    """
    problems = _unknown_key_problems(data)
    operation = _table(data, "operation", problems)
    title = operation.get("title")
    if not isinstance(title, str):
        problems.append(
            Problem("operation.title", f"`operation.title` is {title!r}; expected a text.")
        )
        title = "?"
    radius_m = _parse_radii(_table(data, "radius_m", problems), problems)
    rings = _parse_rings(_table(data, "ring_zones_m", problems))
    staffing = _table(data, "staffing", problems)
    presets = _parse_presets(staffing.get("presets", {}), problems)
    imports = _table(data, "import", problems)
    coverage = _table(data, "coverage", problems)
    weights = _parse_weights(coverage.get("risk_weights", {}), problems)
    margin = imports.get("area_margin_m", 5000.0)
    preset_name = staffing.get("preset", "typical_2024")
    values = {
        "title": title,
        "classification": _text(operation, "classification", "TERBATAS", problems),
        "language": _text(operation, "language", "id", problems),
        "data_note": _text(operation, "data_note", "", problems),
        "synthetic": bool(operation.get("synthetic", False)),
        "staffing_preset": preset_name if isinstance(preset_name, str) else "",
        "custom_presets": presets,
        "area_margin_m": margin,
        "max_import_rows": imports.get("max_rows", 1_000_000),
        "max_upload_mb": imports.get("max_upload_mb", 200.0),
        "risk_weights": {**DEFAULT_RISK_WEIGHTS, **weights},
        "threat_distance_m": coverage.get("threat_distance_m", 1000.0),
    }
    settings = None
    try:
        radii = {k: float(v) if _is_positive_number(v) else v for k, v in radius_m.items()}
        settings = Settings(radius_m={**DEFAULT_RADIUS_M, **radii}, ring_zones_m=rings, **values)
    except SettingsError as exc:
        problems.extend(exc.problems)
    if problems or settings is None:
        msg = "Invalid settings: " + "; ".join(p.message for p in problems)
        raise SettingsError(msg, tuple(problems))
    return settings


def _unknown_key_problems(data: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for table, allowed in _KNOWN_KEYS.items():
        section = data if not table else data.get(table, {})
        if not isinstance(section, Mapping):
            continue
        for key in section:
            if key not in allowed:
                where = f"{table}.{key}" if table else key
                problems.append(
                    Problem(
                        where,
                        f"Unknown key `{where}`; expected one of: {', '.join(sorted(allowed))}.",
                    )
                )
    return problems


def _table(data: Mapping[str, Any], name: str, problems: list[Problem]) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        problems.append(Problem(name, f"`{name}` must be a table ([{name}])."))
        return {}
    return value


def _text(table: Mapping[str, Any], key: str, default: str, problems: list[Problem]) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        problems.append(Problem(key, f"`operation.{key}` is {value!r}; expected a text."))
        return default
    return value


def _parse_radii(table: Mapping[str, Any], problems: list[Problem]) -> dict[PostType, Any]:
    radii: dict[PostType, Any] = {}
    for key, value in table.items():
        try:
            radii[PostType(key)] = value
        except ValueError:
            problems.append(
                Problem(
                    f"radius_m.{key}",
                    f"`radius_m` has unknown post type {key!r}; expected one of: "
                    f"{', '.join(PostType)}.",
                )
            )
    return radii


def _parse_rings(table: Mapping[str, Any]) -> tuple[Any, ...]:
    """Ring radii in the order the file gives them; `Settings` checks they increase."""
    rings = tuple(float(v) if _is_positive_number(v) else v for v in table.values())
    return rings or DEFAULT_RING_ZONES_M


def _parse_weights(table: Any, problems: list[Problem]) -> dict[Risk, Any]:
    if not isinstance(table, Mapping):
        problems.append(
            Problem("coverage.risk_weights", "`coverage.risk_weights` must be a table.")
        )
        return {}
    weights: dict[Risk, Any] = {}
    for key, value in table.items():
        try:
            weights[Risk(key)] = value
        except ValueError:
            problems.append(
                Problem(
                    f"coverage.risk_weights.{key}",
                    f"`coverage.risk_weights` has unknown risk class {key!r}; expected one of: "
                    f"{', '.join(Risk)}.",
                )
            )
    return weights


def _parse_presets(table: Mapping[str, Any], problems: list[Problem]) -> dict[str, StaffingPreset]:
    presets: dict[str, StaffingPreset] = {}
    if not isinstance(table, Mapping):
        problems.append(Problem("staffing.presets", "`staffing.presets` must be a table."))
        return presets
    for name, spec in table.items():
        where = f"staffing.presets.{name}"
        if not isinstance(spec, Mapping):
            problems.append(Problem(where, f"`{where}` must be a table."))
            continue
        groups: dict[Risk, StaffingGroup] = {}
        for risk in Risk:
            if risk in spec:
                group = _parse_group(spec[risk], f"{where}.{risk}", problems)
                if group:
                    groups[risk] = group
        if Risk.KURANG_RAWAN not in groups:
            problems.append(Problem(where, f"`{where}` needs at least `kurang_rawan`."))
            continue
        min_polri = spec.get("min_polri", 2)
        if not isinstance(min_polri, int) or isinstance(min_polri, bool) or min_polri < 1:
            problems.append(
                Problem(f"{where}.min_polri", f"`{where}.min_polri` is {min_polri!r}; expected 1+.")
            )
            continue
        fallback = max(groups, key=list(Risk).index)
        label = spec.get("label", name)
        presets[name] = StaffingPreset(
            name=name, label=str(label), groups=groups, min_polri=min_polri, fallback=fallback
        )
    return presets


def _parse_group(value: Any, where: str, problems: list[Problem]) -> StaffingGroup | None:
    keys = ("polri", "tps", "linmas")
    if not isinstance(value, Mapping) or set(value) != set(keys):
        problems.append(
            Problem(
                where, f"`{where}` is {value!r}; expected {{ polri = …, tps = …, linmas = … }}."
            )
        )
        return None
    numbers = [value[k] for k in keys]
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
        problems.append(
            Problem(where, f"`{where}` is {value!r}; expected whole numbers, 0 or more.")
        )
        return None
    if value["tps"] < 1:
        problems.append(Problem(where, f"`{where}.tps` must be at least 1."))
        return None
    return StaffingGroup(polri=value["polri"], tps=value["tps"], linmas=value["linmas"])
