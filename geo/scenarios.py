"""Demonstration scenarios: a target, the crowd expected, the ring deployment and the reserves.

An operation folder may hold `scenarios.toml`: one ``[[scenario]]`` table per likely
demonstration at a government building (its `target`, by `site_id`), in a phase of the
operation. Each scenario states its assumptions (crowd size and origin), the units and
personnel on rings 1–4 around the target (radii from the operation's ``ring_zones_m``),
and the reserves that would come: from a base (a position, or the `site_id` of a police
post) at an assumed speed over the straight-line distance times a detour factor.

    [defaults]             # optional; these are the built-in values
    speed_kmh = 30         # assumed speed of a reserve on the road
    detour = 1.3           # road length / straight-line distance
    late_after_min = 30    # a reserve arriving later than this is flagged

    [[scenario]]
    id = "gubernur"
    name = "Unjuk rasa di Kantor Gubernur"
    target = "GOV-GUBERNUR"
    phase = "penetapan"
    crowd_size = 1500
    origins = ["local", "Kabupaten Bangka"]
    rings = [{ring = 1, units = [{name = "Pam objek", personnel = 20}]}, ...]
    reserves = [{name = "Dalmas Polresta", unit = "dalmas", strength = 60,
                 site_id = "POST-MAKO"}, ...]
    corridors = [{name = "Jl. Koba", line = [[106.2, -2.2], [106.16, -2.16]]}]
    assembly = [{name = "Simpang", lon = 106.15, lat = -2.15}]

Every problem of the file is collected and raised once (:class:`ScenarioError`).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString

from geo.crs import geodesic_m
from geo.errors import Problem, ValidationError
from geo.logistics import RoadNetwork, RouteStatus
from geo.model import Col, Kind, PostType
from geo.phases import phase_keys_of
from geo.text import Number

if TYPE_CHECKING:
    from geo.model import Settings
    from geo.operation import Operation

__all__ = [
    "DEFAULT_DETOUR",
    "DEFAULT_LATE_AFTER_MIN",
    "DEFAULT_SPEED_KMH",
    "LOCAL_ORIGIN",
    "RESERVE_UNITS",
    "RING_NUMBERS",
    "SCENARIOS_FILE",
    "AssemblyPoint",
    "Corridor",
    "ReserveArrival",
    "ReserveUnit",
    "Ring",
    "RingUnit",
    "Scenario",
    "ScenarioError",
    "ScenarioFigures",
    "Scenarios",
    "arrival_minutes",
    "load_scenarios",
    "parse_scenarios",
    "reserve_arrivals",
    "scenario_figures",
    "scenarios_in_phase",
    "scenarios_report",
]

SCENARIOS_FILE = "scenarios.toml"
DEFAULT_SPEED_KMH = 30.0
DEFAULT_DETOUR = 1.3
DEFAULT_LATE_AFTER_MIN = 30.0
RING_NUMBERS: tuple[int, ...] = (1, 2, 3, 4)
LOCAL_ORIGIN = "local"
"""The origin of a crowd from the operation's own kabupaten/kota."""
# the reserve units of the shared contract (`Col.UNIT` of a reserve post)
RESERVE_UNITS: tuple[str, ...] = ("dalmas", "brimob", "backup", "perintis")

_KEYS: Mapping[str, frozenset[str]] = {
    "": frozenset({"defaults", "scenario"}),
    "defaults": frozenset({"speed_kmh", "detour", "late_after_min"}),
    "scenario": frozenset(
        {
            "id",
            "name",
            "target",
            "phase",
            "crowd_size",
            "origins",
            "note",
            "corridors",
            "assembly",
            "rings",
            "reserves",
        }
    ),
    "ring": frozenset({"ring", "units"}),
    "unit": frozenset({"name", "personnel", "dalmas"}),
    "reserve": frozenset(
        {"name", "unit", "strength", "site_id", "lon", "lat", "speed_kmh", "detour", "note"}
    ),
    "corridor": frozenset({"name", "line"}),
    "assembly": frozenset({"name", "lon", "lat"}),
}


class ScenarioError(ValidationError):
    """A scenario file that cannot be read or breaks a rule (every problem listed)."""


@dataclass(frozen=True)
class RingUnit:
    """A unit on a ring: its name, personnel, and whether it is a Dalmas (crowd-control) unit."""

    name: str
    personnel: int
    dalmas: bool = False


@dataclass(frozen=True)
class Ring:
    """One ring of the deployment around the target (1 = the building … 4 = access control).

    Attributes
    ----------
    ring
        The ring number, 1–4.
    radius_m
        Its radius in metres, from the operation's ``ring_zones_m``.
    units
        The units posted on it.
    """

    ring: int
    radius_m: float
    units: tuple[RingUnit, ...]

    @property
    def personnel(self) -> int:
        """Personnel on the ring."""
        return sum(u.personnel for u in self.units)

    @property
    def dalmas(self) -> int:
        """Dalmas personnel on the ring."""
        return sum(u.personnel for u in self.units if u.dalmas)


@dataclass(frozen=True)
class ReserveUnit:
    """A reserve that would come to the target.

    Attributes
    ----------
    name
        What the planner calls it ("Dalmas Polresta").
    unit
        One of :data:`RESERVE_UNITS`.
    strength
        Personnel.
    lon, lat
        Its base, degrees (EPSG:4326).
    site_id
        The police post it is based at, when the base was given that way.
    speed_kmh
        Assumed speed on the road.
    detour
        Road length over straight-line distance (1 or more).
    note
        What the planner must know (e.g. the base is approximate).
    from_post
        True when it is a reserve post of the operation (`post_type` reserve): its strength,
        unit and base are that post's.
    file_strength
        The strength the scenario file gave when it differed from its reserve post's (the
        post's is used); None otherwise.
    """

    name: str
    unit: str
    strength: int
    lon: float
    lat: float
    site_id: str | None = None
    speed_kmh: float = DEFAULT_SPEED_KMH
    detour: float = DEFAULT_DETOUR
    note: str = ""
    from_post: bool = False
    file_strength: int | None = None


@dataclass(frozen=True)
class Corridor:
    """An arrival corridor of the crowd: a line of (lon, lat) points, degrees."""

    name: str
    line: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class AssemblyPoint:
    """Where the crowd is expected to gather before moving to the target (degrees)."""

    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Scenario:
    """One demonstration scenario at a government building.

    Attributes
    ----------
    id, name
        Its identifier in the file and its title.
    target_id, target_name, lon, lat
        The target building (a government site of the operation) and its position, degrees.
    phase
        The phase key it belongs to.
    crowd_size
        Expected crowd (an assumption).
    origins
        Where the crowd comes from (an assumption): :data:`LOCAL_ORIGIN` or the names of other
        kabupaten/kota.
    note
        The planner's note on the assumptions.
    rings, reserves, corridors, assembly
        The ring deployment (ordered by ring), the reserves, the arrival corridors and the
        assembly points.
    """

    id: str
    name: str
    target_id: str
    target_name: str
    lon: float
    lat: float
    phase: str
    crowd_size: int
    origins: tuple[str, ...]
    rings: tuple[Ring, ...]
    reserves: tuple[ReserveUnit, ...]
    corridors: tuple[Corridor, ...] = ()
    assembly: tuple[AssemblyPoint, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Scenarios:
    """The scenarios of an operation and the threshold their reserves are judged by."""

    items: tuple[Scenario, ...] = ()
    late_after_min: float = DEFAULT_LATE_AFTER_MIN
    file: str = SCENARIOS_FILE

    def get(self, scenario_id: str) -> Scenario:
        """The scenario with this id.

        Raises
        ------
        KeyError
            When there is none.
        """
        for scenario in self.items:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)


@dataclass(frozen=True)
class ReserveArrival:
    """When a reserve reaches the target.

    Attributes
    ----------
    reserve
        The reserve.
    distance_m
        Straight-line (geodesic) distance from its base to the target.
    road_m
        The distance it drives: the shortest path along the road file when `routed`, else
        `distance_m` times its detour factor.
    minutes
        Travel time at its speed.
    late
        It arrives after the scenario file's `late_after_min`.
    routed
        True when `road_m` was measured along a road file.
    unrouted
        Why a road file given does not take this reserve to the target (an end too far from
        every road, or roads that do not join); its arrival is then the straight line times
        its detour factor, said so where it is shown. None otherwise.
    path
        When `routed`, the way it drives: (lon, lat) from its base along the roads to the
        target; None otherwise (drawn as the straight line).
    """

    reserve: ReserveUnit
    distance_m: float
    road_m: float
    minutes: float
    late: bool
    routed: bool = False
    unrouted: RouteStatus | None = None
    path: tuple[tuple[float, float], ...] | None = None


@dataclass(frozen=True)
class ScenarioFigures:
    """The figures of a scenario.

    Attributes
    ----------
    ring_personnel
        (ring number, personnel) per ring, innermost first.
    deployed
        Personnel on all rings.
    dalmas
        Dalmas personnel on the rings.
    reserves
        Strength of all reserves.
    total
        `deployed` plus `reserves`.
    arrivals
        Each reserve's arrival, earliest first.
    first_arrival_min, last_arrival_min
        The earliest and latest reserve arrival (NaN without reserves).
    late_after_min
        The threshold a reserve is late after.
    late
        The names of the late reserves.
    """

    ring_personnel: tuple[tuple[int, int], ...]
    deployed: int
    dalmas: int
    reserves: int
    total: int
    arrivals: tuple[ReserveArrival, ...]
    first_arrival_min: float
    last_arrival_min: float
    late_after_min: float
    late: tuple[str, ...]

    @property
    def routed(self) -> bool:
        """Whether any reserve's arrival was measured along a road file."""
        return any(a.routed for a in self.arrivals)


# --- figures ---------------------------------------------------------------------------------


def arrival_minutes(distance_m: float, *, speed_kmh: float, detour: float) -> float:
    """Minutes to cover a straight-line distance on the road.

    Parameters
    ----------
    distance_m
        Straight-line distance, metres.
    speed_kmh
        Assumed speed, km/h (above 0).
    detour
        Road length over straight-line distance.

    Returns
    -------
    minutes
        ``distance_m * detour / 1000 / speed_kmh * 60``.

    Examples
    --------
    >>> arrival_minutes(10_000, speed_kmh=30, detour=1.3)
    26.0
    """
    return distance_m * detour / 1000 / speed_kmh * 60


def reserve_arrivals(
    scenario: Scenario,
    *,
    late_after_min: float = DEFAULT_LATE_AFTER_MIN,
    roads: RoadNetwork | None = None,
) -> tuple[ReserveArrival, ...]:
    """Each reserve's distance and arrival time at the target, earliest first.

    Parameters
    ----------
    scenario
        The scenario.
    late_after_min
        A reserve arriving later than this many minutes is late.
    roads
        A road network (:class:`geo.logistics.RoadNetwork`): each reserve drives the shortest
        path along it from its base to the target (snapped as the logistics chain's legs
        are) at its speed, and the detour factor is not used. None: the straight line times
        the detour factor.

    A reserve the roads do not take from its base to the target (an end too far from every
    road, or roads that do not join) keeps the straight line times its detour factor, with
    the reason in its `unrouted`.
    """
    reserves = scenario.reserves
    if not reserves:
        return ()
    distances = geodesic_m(
        [r.lon for r in reserves],
        [r.lat for r in reserves],
        [scenario.lon] * len(reserves),
        [scenario.lat] * len(reserves),
    )
    straight = [float(d) * r.detour for r, d in zip(reserves, distances, strict=True)]
    statuses: list[RouteStatus | None] = [None] * len(reserves)
    paths: list[tuple[tuple[float, float], ...] | None] = [None] * len(reserves)
    road = straight
    if roads is not None:
        road, statuses, paths = _road_metres(scenario, roads, straight)
    arrivals = []
    for reserve, distance, driven, status, path in zip(
        reserves, distances, road, statuses, paths, strict=True
    ):
        minutes = arrival_minutes(driven, speed_kmh=reserve.speed_kmh, detour=1.0)
        arrivals.append(
            ReserveArrival(
                reserve=reserve,
                distance_m=float(distance),
                road_m=driven,
                minutes=minutes,
                late=minutes > late_after_min,
                routed=roads is not None and status is None,
                unrouted=status,
                path=path,
            )
        )
    return tuple(sorted(arrivals, key=lambda a: a.minutes))


def _road_metres(
    scenario: Scenario, roads: RoadNetwork, straight: list[float]
) -> tuple[list[float], list[RouteStatus | None], list[tuple[tuple[float, float], ...] | None]]:
    """Each reserve's shortest path along `roads` from its base to the target: metres, None
    and the path's (lon, lat); for a reserve the roads do not bring to the target, its
    `straight` metres (the line times its detour), why, and no path."""
    lines = gpd.GeoSeries(
        [LineString([(r.lon, r.lat), (scenario.lon, scenario.lat)]) for r in scenario.reserves],
        crs="EPSG:4326",
    )
    routes = roads.route(lines)
    metres: list[float] = []
    why: list[RouteStatus | None] = []
    paths: list[tuple[tuple[float, float], ...] | None] = []
    for length, status, fallback, line in zip(
        routes.length_m, routes.status, straight, routes.geometry, strict=True
    ):
        found = status == RouteStatus.ROUTED
        metres.append(float(length) if found else fallback)
        why.append(None if found else RouteStatus(status))
        paths.append(tuple((float(x), float(y)) for x, y, *_ in line.coords) if found else None)
    return metres, why, paths


def scenario_figures(
    scenario: Scenario,
    *,
    late_after_min: float = DEFAULT_LATE_AFTER_MIN,
    roads: RoadNetwork | None = None,
) -> ScenarioFigures:
    """Ring personnel, totals and the reserves' arrivals of a scenario.

    Parameters
    ----------
    scenario
        The scenario.
    late_after_min
        A reserve arriving later than this many minutes is late.
    roads
        A road network: arrivals along it (:func:`reserve_arrivals`; a reserve it does not
        bring to the target keeps its straight line, with why).
    """
    arrivals = reserve_arrivals(scenario, late_after_min=late_after_min, roads=roads)
    deployed = sum(r.personnel for r in scenario.rings)
    reserves = sum(r.strength for r in scenario.reserves)
    return ScenarioFigures(
        ring_personnel=tuple((r.ring, r.personnel) for r in scenario.rings),
        deployed=deployed,
        dalmas=sum(r.dalmas for r in scenario.rings),
        reserves=reserves,
        total=deployed + reserves,
        arrivals=arrivals,
        first_arrival_min=arrivals[0].minutes if arrivals else math.nan,
        last_arrival_min=arrivals[-1].minutes if arrivals else math.nan,
        late_after_min=late_after_min,
        late=tuple(a.reserve.name for a in arrivals if a.late),
    )


def scenarios_in_phase(scenarios: Scenarios, phase_key: str | None) -> tuple[Scenario, ...]:
    """The scenarios of a phase (all of them when `phase_key` is None)."""
    if phase_key is None:
        return scenarios.items
    return tuple(s for s in scenarios.items if s.phase == phase_key)


def _minutes(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 1)


def scenarios_report(scenarios: Scenarios, *, roads: RoadNetwork | None = None) -> dict[str, Any]:
    """The scenarios and their figures as plain data (for JSON); arrivals along `roads`
    when given (:func:`reserve_arrivals`)."""
    items = []
    for s in scenarios.items:
        f = scenario_figures(s, late_after_min=scenarios.late_after_min, roads=roads)
        items.append(
            {
                "id": s.id,
                "name": s.name,
                "target": s.target_id,
                "phase": s.phase,
                "assumptions": {"crowd_size": s.crowd_size, "origins": list(s.origins)},
                "rings": [
                    {"ring": r.ring, "radius_m": r.radius_m, "personnel": r.personnel}
                    for r in s.rings
                ],
                "deployed": f.deployed,
                "dalmas": f.dalmas,
                "reserves_strength": f.reserves,
                "total": f.total,
                "reserves": [
                    {
                        "name": a.reserve.name,
                        "unit": a.reserve.unit,
                        "strength": a.reserve.strength,
                        "from_post": a.reserve.from_post,
                        "file_strength": a.reserve.file_strength,
                        "distance_m": round(a.distance_m),
                        "road_m": round(a.road_m),
                        "routed": a.routed,
                        "unrouted": a.unrouted.value if a.unrouted else None,
                        "minutes": round(a.minutes, 1),
                        "late": a.late,
                    }
                    for a in f.arrivals
                ],
                "first_arrival_min": _minutes(f.first_arrival_min),
                "last_arrival_min": _minutes(f.last_arrival_min),
                "late": list(f.late),
            }
        )
    return {"late_after_min": scenarios.late_after_min, "scenarios": items}


# --- reading and validating ------------------------------------------------------------------


def load_scenarios(operation: Operation) -> Scenarios:
    """Read and validate the operation's `scenarios.toml` (no scenarios when it has none).

    Raises
    ------
    ScenarioError
        When the file is not valid TOML or breaks a rule; the error lists every problem.
    """
    path = Path(operation.path) / SCENARIOS_FILE
    if not path.exists():
        return Scenarios()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError.from_text(
            "scenario.bad_toml", file=SCENARIOS_FILE, reason=str(exc)
        ) from None
    return parse_scenarios(data, sites=operation.sites, settings=operation.settings)


def parse_scenarios(
    data: Mapping[str, Any],
    *,
    sites: gpd.GeoDataFrame,
    settings: Settings,
    file: str = SCENARIOS_FILE,
) -> Scenarios:
    """Build validated scenarios from the parsed TOML tables.

    Parameters
    ----------
    data
        The parsed file.
    sites
        The operation's canonical sites (EPSG:4326): targets and reserve bases are looked up
        in them.
    settings
        The operation's settings: ring radii (``ring_zones_m``) and, when it has a timeline,
        its phases.
    file
        The file's name, for the messages.

    Raises
    ------
    ScenarioError
        Listing every unknown key, wrong type, unknown site or phase and out-of-range value.
    """
    reader = _Reader(sites, settings)
    reader.keys(data, "", "")
    defaults = reader.table(data, "defaults")
    speed = reader.number(defaults, "defaults.speed_kmh", DEFAULT_SPEED_KMH, above=0.0)
    detour = reader.number(defaults, "defaults.detour", DEFAULT_DETOUR, at_least=1.0)
    late_after = reader.number(
        defaults, "defaults.late_after_min", DEFAULT_LATE_AFTER_MIN, above=0.0
    )
    reader.keys(defaults, "defaults", "defaults")
    items = []
    seen: set[str] = set()
    for index, raw in enumerate(reader.tables(data, "scenario")):
        where = f"scenario[{index + 1}]"
        scenario = reader.scenario(raw, where, speed, detour)
        if scenario is None:
            continue
        if scenario.id in seen:
            reader.problem(f"{where}.id", "scenario.duplicate_id", value=scenario.id)
        seen.add(scenario.id)
        items.append(scenario)
    if reader.problems:
        problems = tuple(reader.problems)
        raise ScenarioError.from_text("scenario.invalid", problems, file=file, problems=problems)
    return Scenarios(tuple(items), late_after_min=late_after, file=file)


class _Reader:
    """Reads the parts of a scenario file, collecting every problem."""

    def __init__(self, sites: gpd.GeoDataFrame, settings: Settings) -> None:
        self.sites = sites
        self.radii = tuple(settings.ring_zones_m)
        self.phases = tuple(p.key for p in getattr(settings, "phases", ()))
        self.problems: list[Problem] = []

    def problem(self, where: str, key: str, **params: Any) -> None:
        self.problems.append(Problem.from_text(where, key, where=where, **params))

    def keys(self, table: Mapping[str, Any], kind: str, where: str) -> None:
        for key in table:
            if key not in _KEYS[kind]:
                at = f"{where}.{key}" if where else key
                self.problem(at, "scenario.unknown_key", expected=", ".join(sorted(_KEYS[kind])))

    def table(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if isinstance(value, Mapping):
            return value
        self.problem(key, "scenario.not_table")
        return {}

    def tables(self, data: Mapping[str, Any], key: str, where: str = "") -> list[Mapping]:
        value = data.get(key, [])
        at = f"{where}.{key}" if where else key
        if isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
            return value
        self.problem(at, "scenario.not_tables")
        return []

    def text(self, table: Mapping[str, Any], key: str, where: str) -> str | None:
        value = table.get(key)
        at = f"{where}.{key}"
        if value is None:
            self.problem(at, "scenario.missing")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(at, "scenario.not_text", value=value)
            return None
        return value.strip()

    def number(
        self,
        table: Mapping[str, Any],
        where: str,
        default: float | None = None,
        *,
        above: float | None = None,
        at_least: float | None = None,
    ) -> float | None:
        key = where.rsplit(".", 1)[-1]
        value = table.get(key, default)
        if value is None:
            self.problem(where, "scenario.missing")
            return None
        if not _is_number(value):
            self.problem(where, "scenario.not_number", value=value)
            return None
        if above is not None and not value > above:
            self.problem(where, "scenario.above", value=value, limit=Number(above))
            return None
        if at_least is not None and not value >= at_least:
            self.problem(where, "scenario.at_least", value=value, limit=Number(at_least))
            return None
        return float(value)

    def count(self, table: Mapping[str, Any], where: str) -> int | None:
        key = where.rsplit(".", 1)[-1]
        value = table.get(key)
        if value is None:
            self.problem(where, "scenario.missing")
            return None
        if not _is_number(value) or value != int(value) or value < 0:
            self.problem(where, "scenario.count", value=value)
            return None
        return int(value)

    def point(self, lon: object, lat: object, where: str) -> tuple[float, float] | None:
        if (
            _is_number(lon)
            and _is_number(lat)
            and -180 <= float(lon) <= 180  # type: ignore[arg-type]
            and -90 <= float(lat) <= 90  # type: ignore[arg-type]
        ):
            return float(lon), float(lat)  # type: ignore[arg-type]
        self.problem(where, "scenario.point", value=[lon, lat])
        return None

    def site(self, site_id: str, kind: Kind, where: str, key: str) -> Any | None:
        found = self.sites[self.sites[Col.SITE_ID].astype(str) == site_id]
        if found.empty:
            of_kind = self.sites[self.sites[Col.KIND] == kind][Col.SITE_ID].astype(str)
            self.problem(where, key, value=site_id, expected=", ".join(of_kind.head(6)) or "–")
            return None
        row = found.iloc[0]
        if row[Col.KIND] != kind:
            self.problem(where, f"{key}_kind", value=site_id, kind=str(row[Col.KIND]))
            return None
        return row

    def scenario(
        self, raw: Mapping[str, Any], where: str, speed: float | None, detour: float | None
    ) -> Scenario | None:
        self.keys(raw, "scenario", where)
        before = len(self.problems)
        sid, name = self.text(raw, "id", where), self.text(raw, "name", where)
        phase = self.text(raw, "phase", where)
        if phase is not None and self.phases and phase not in self.phases:
            self.problem(
                f"{where}.phase",
                "scenario.unknown_phase",
                value=phase,
                expected=", ".join(self.phases),
            )
        target_id = self.text(raw, "target", where)
        target = (
            self.site(target_id, Kind.GOVERNMENT, f"{where}.target", "scenario.unknown_target")
            if target_id
            else None
        )
        crowd = self.count(raw, f"{where}.crowd_size")
        origins = self.origins(raw.get("origins"), f"{where}.origins")
        note = raw.get("note", "")
        if not isinstance(note, str):
            self.problem(f"{where}.note", "scenario.not_text", value=note)
        rings = self.rings(raw, where)
        reserves = self.reserves(raw, where, speed, detour, phase)
        corridors = self.corridors(raw, where)
        assembly = self.assembly(raw, where)
        if len(self.problems) > before or target is None:
            return None
        return Scenario(
            id=sid,  # type: ignore[arg-type]
            name=name,  # type: ignore[arg-type]
            target_id=target_id,  # type: ignore[arg-type]
            target_name=str(target[Col.NAME]),
            lon=float(target.geometry.x),
            lat=float(target.geometry.y),
            phase=phase,  # type: ignore[arg-type]
            crowd_size=crowd,  # type: ignore[arg-type]
            origins=origins,
            rings=rings,
            reserves=reserves,
            corridors=corridors,
            assembly=assembly,
            note=str(note).strip(),
        )

    def origins(self, value: object, where: str) -> tuple[str, ...]:
        if value is None:
            self.problem(where, "scenario.missing")
            return ()
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            self.problem(where, "scenario.origins", value=value)
            return ()
        return tuple(v.strip() for v in value)

    def rings(self, raw: Mapping[str, Any], where: str) -> tuple[Ring, ...]:
        rings: dict[int, Ring] = {}
        for index, table in enumerate(self.tables(raw, "rings", where)):
            at = f"{where}.rings[{index + 1}]"
            self.keys(table, "ring", at)
            number = table.get("ring")
            if not _is_number(number) or number not in RING_NUMBERS:
                self.problem(f"{at}.ring", "scenario.ring_range", value=number)
                continue
            number = int(number)
            if number > len(self.radii):
                self.problem(
                    f"{at}.ring", "scenario.ring_no_radius", value=number, count=len(self.radii)
                )
                continue
            if number in rings:
                self.problem(f"{at}.ring", "scenario.ring_twice", value=number)
                continue
            units = tuple(
                u
                for i, unit in enumerate(self.tables(table, "units", at))
                if (u := self.ring_unit(unit, f"{at}.units[{i + 1}]")) is not None
            )
            rings[number] = Ring(number, float(self.radii[number - 1]), units)
        return tuple(rings[n] for n in sorted(rings))

    def ring_unit(self, table: Mapping[str, Any], where: str) -> RingUnit | None:
        self.keys(table, "unit", where)
        name = self.text(table, "name", where)
        personnel = self.count(table, f"{where}.personnel")
        dalmas = table.get("dalmas", False)
        if not isinstance(dalmas, bool):
            self.problem(f"{where}.dalmas", "scenario.not_bool", value=dalmas)
            return None
        if name is None or personnel is None:
            return None
        return RingUnit(name, personnel, dalmas)

    def reserves(
        self,
        raw: Mapping[str, Any],
        where: str,
        speed: float | None,
        detour: float | None,
        phase: str | None,
    ) -> tuple[ReserveUnit, ...]:
        found = []
        for index, table in enumerate(self.tables(raw, "reserves", where)):
            at = f"{where}.reserves[{index + 1}]"
            self.keys(table, "reserve", at)
            post = self.reserve_post(table)
            if post is not None:
                reserve = self.posted_reserve(table, at, post, (speed, detour), phase)
            else:
                reserve = self.reserve(table, at, speed, detour)
            if reserve is not None:
                found.append(reserve)
        return tuple(found)

    def reserve_post(self, table: Mapping[str, Any]) -> Any | None:
        """The reserve post (`post_type` reserve) the table names by `site_id`, else None."""
        site_id = table.get("site_id")
        if not isinstance(site_id, str) or "lon" in table or "lat" in table:
            return None
        found = self.sites[self.sites[Col.SITE_ID].astype(str) == site_id]
        if found.empty or Col.POST_TYPE not in found:
            return None
        row = found.iloc[0]
        is_reserve = row[Col.KIND] == Kind.POLICE_POST and row[Col.POST_TYPE] == PostType.RESERVE
        return row if is_reserve else None

    def posted_reserve(
        self,
        table: Mapping[str, Any],
        where: str,
        post: Any,
        travel: tuple[float | None, float | None],
        phase: str | None,
    ) -> ReserveUnit | None:
        """A reserve that is a reserve post of the operation: the post's strength, unit, base
        and phases; the file's own strength, when it differs, is kept to be shown (the post
        wins: the posts list is where the unit's roster is kept)."""
        before = len(self.problems)
        site_id = str(post[Col.SITE_ID])
        name = self.text(table, "name", where) if "name" in table else str(post[Col.NAME])
        post_unit = _given_text(post.get(Col.UNIT))
        unit = self.text(table, "unit", where) if "unit" in table or not post_unit else None
        if unit is not None and unit not in RESERVE_UNITS:
            self.problem(
                f"{where}.unit",
                "scenario.unknown_unit",
                value=unit,
                expected=", ".join(RESERVE_UNITS),
            )
        elif unit is not None and post_unit and unit != post_unit:
            self.problem(
                f"{where}.unit",
                "scenario.reserve_unit_differs",
                value=unit,
                post=site_id,
                unit=post_unit,
            )
        staff = post.get(Col.PERSONNEL)
        has_staff = staff is not None and not pd.isna(staff)
        given = (
            self.count(table, f"{where}.strength") if "strength" in table or not has_staff else None
        )
        strength = int(staff) if has_staff else given
        limited = phase_keys_of(pd.Series([post.get(Col.PHASES)])).iloc[0]
        if phase is not None and limited and phase not in limited:
            self.problem(
                f"{where}.site_id",
                "scenario.reserve_phase",
                value=site_id,
                phase=phase,
                phases=", ".join(limited),
            )
        speed = self.number(table, f"{where}.speed_kmh", travel[0], above=0.0)
        detour = self.number(table, f"{where}.detour", travel[1], at_least=1.0)
        note = table.get("note", "")
        if not isinstance(note, str):
            self.problem(f"{where}.note", "scenario.not_text", value=note)
        if len(self.problems) > before:
            return None
        return ReserveUnit(
            name=name,  # type: ignore[arg-type]
            unit=post_unit or unit,  # type: ignore[arg-type]
            strength=strength,  # type: ignore[arg-type]
            lon=float(post.geometry.x),
            lat=float(post.geometry.y),
            site_id=site_id,
            speed_kmh=speed,  # type: ignore[arg-type]
            detour=detour,  # type: ignore[arg-type]
            note=str(note).strip(),
            from_post=True,
            file_strength=given if given is not None and given != strength else None,
        )

    def reserve(
        self, table: Mapping[str, Any], where: str, speed: float | None, detour: float | None
    ) -> ReserveUnit | None:
        before = len(self.problems)
        name = self.text(table, "name", where)
        unit = self.text(table, "unit", where)
        if unit is not None and unit not in RESERVE_UNITS:
            self.problem(
                f"{where}.unit",
                "scenario.unknown_unit",
                value=unit,
                expected=", ".join(RESERVE_UNITS),
            )
        strength = self.count(table, f"{where}.strength")
        own_speed = self.number(table, f"{where}.speed_kmh", speed, above=0.0)
        own_detour = self.number(table, f"{where}.detour", detour, at_least=1.0)
        base = self.base(table, where)
        note = table.get("note", "")
        if not isinstance(note, str):
            self.problem(f"{where}.note", "scenario.not_text", value=note)
        if len(self.problems) > before or base is None:
            return None
        (lon, lat), site_id = base
        return ReserveUnit(
            name=name,  # type: ignore[arg-type]
            unit=unit,  # type: ignore[arg-type]
            strength=strength,  # type: ignore[arg-type]
            lon=lon,
            lat=lat,
            site_id=site_id,
            speed_kmh=own_speed,  # type: ignore[arg-type]
            detour=own_detour,  # type: ignore[arg-type]
            note=str(note).strip(),
        )

    def base(
        self, table: Mapping[str, Any], where: str
    ) -> tuple[tuple[float, float], str | None] | None:
        site_id = table.get("site_id")
        has_point = "lon" in table or "lat" in table
        if (site_id is None) == (not has_point):
            self.problem(where, "scenario.reserve_base")
            return None
        if site_id is None:
            point = self.point(table.get("lon"), table.get("lat"), f"{where}.lon/lat")
            return (point, None) if point else None
        if not isinstance(site_id, str):
            self.problem(f"{where}.site_id", "scenario.not_text", value=site_id)
            return None
        post = self.site(site_id, Kind.POLICE_POST, f"{where}.site_id", "scenario.unknown_post")
        if post is None:
            return None
        return (float(post.geometry.x), float(post.geometry.y)), site_id

    def corridors(self, raw: Mapping[str, Any], where: str) -> tuple[Corridor, ...]:
        found = []
        for index, table in enumerate(self.tables(raw, "corridors", where)):
            at = f"{where}.corridors[{index + 1}]"
            self.keys(table, "corridor", at)
            name = self.text(table, "name", at)
            line = self.line(table.get("line"), f"{at}.line")
            if name is not None and line is not None:
                found.append(Corridor(name, line))
        return tuple(found)

    def line(self, value: object, where: str) -> tuple[tuple[float, float], ...] | None:
        if not isinstance(value, list) or len(value) < 2:
            self.problem(where, "scenario.line", value=value)
            return None
        points = []
        for index, pair in enumerate(value):
            if not isinstance(pair, list) or len(pair) != 2:
                self.problem(f"{where}[{index + 1}]", "scenario.point", value=pair)
                return None
            point = self.point(pair[0], pair[1], f"{where}[{index + 1}]")
            if point is None:
                return None
            points.append(point)
        return tuple(points)

    def assembly(self, raw: Mapping[str, Any], where: str) -> tuple[AssemblyPoint, ...]:
        found = []
        for index, table in enumerate(self.tables(raw, "assembly", where)):
            at = f"{where}.assembly[{index + 1}]"
            self.keys(table, "assembly", at)
            name = self.text(table, "name", at)
            point = self.point(table.get("lon"), table.get("lat"), f"{at}.lon/lat")
            if name is not None and point is not None:
                found.append(AssemblyPoint(name, *point))
        return tuple(found)


def _given_text(value: object) -> str | None:
    """A site's text cell, or None when it is empty or missing."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
