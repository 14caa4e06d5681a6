"""Reference systems and distances: WGS84 geodesics, Earth-centred coordinates, local metric CRS."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import CRSError as PyprojCRSError

from geo.errors import CRSError

__all__ = [
    "GEOD",
    "WGS84",
    "CrsGuess",
    "arc_bounds_m",
    "arc_estimate_m",
    "buffer_m",
    "degree_share",
    "ecef",
    "geodesic_m",
    "likely_crs",
    "local_metric_crs",
    "parse_crs",
    "to_wgs84",
]

WGS84 = "EPSG:4326"
GEOD = Geod(ellps="WGS84")

_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
# Smallest radius of curvature of the ellipsoid (meridian, at the equator). A geodesic
# bends at most this sharply, so an arc of chord c is at most 2R asin(c / 2R) long.
_R_MIN = _A * (1 - _E2)
_R_MEAN = 6371008.8


def ecef(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    """Earth-centred, Earth-fixed coordinates (metres) of points on the WGS84 ellipsoid.

    Straight-line (chord) distances between these points are a lower bound of the geodesic
    distance and nearly equal to it for short lines, which lets a KD-tree find candidates
    exactly, with no projection and no special case at the antimeridian or the poles.
    """
    lon_r = np.radians(np.asarray(lon, dtype=float))
    lat_r = np.radians(np.asarray(lat, dtype=float))
    sin_lat = np.sin(lat_r)
    cos_lat = np.cos(lat_r)
    n = _A / np.sqrt(1 - _E2 * sin_lat**2)
    return np.column_stack(
        (n * cos_lat * np.cos(lon_r), n * cos_lat * np.sin(lon_r), n * (1 - _E2) * sin_lat)
    )


def arc_bounds_m(chord_m: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Bounds of the geodesic length (metres) between two points `chord_m` apart in space.

    The geodesic is never shorter than the chord, and never longer than a circular arc of
    the ellipsoid's smallest radius of curvature over the same chord (Schur's comparison).
    """
    chord = np.asarray(chord_m, dtype=float)
    upper = 2 * _R_MIN * np.arcsin(np.minimum(chord / (2 * _R_MIN), 1.0))
    return chord, upper


def arc_estimate_m(chord_m: ArrayLike) -> NDArray[np.float64]:
    """Geodesic length from the chord on a sphere of mean radius (within 2 cm up to 10 km)."""
    chord = np.asarray(chord_m, dtype=float)
    return 2 * _R_MEAN * np.arcsin(np.minimum(chord / (2 * _R_MEAN), 1.0))


def geodesic_m(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> NDArray[np.float64]:
    """Exact geodesic distance in metres on the WGS84 ellipsoid (Karney, via pyproj)."""
    _, _, dist = GEOD.inv(
        np.asarray(lon1, dtype=float),
        np.asarray(lat1, dtype=float),
        np.asarray(lon2, dtype=float),
        np.asarray(lat2, dtype=float),
    )
    return np.asarray(dist, dtype=float)


def local_metric_crs(lon: float, lat: float) -> CRS:
    """An azimuthal equidistant CRS in metres centred on (`lon`, `lat`).

    Distances from the centre are true and distortion stays below 0.1 % within about
    300 km, anywhere on Earth (poles and antimeridian included), unlike a single
    estimated UTM zone.
    """
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m +no_defs"
    )


def buffer_m(
    points: gpd.GeoSeries, radius_m: float | ArrayLike, *, resolution: int = 16
) -> gpd.GeoSeries:
    """Circles of `radius_m` metres around points, for display, as EPSG:4326 polygons.

    Each circle's vertices are the points at `radius_m` along the geodesic from its centre
    (WGS84 ellipsoid, Karney via pyproj), in one vectorised call for all points: exact
    anywhere on Earth, and with no projection to set up per place (a national set of posts
    took seconds building one local projection per 3-degree cell). Longitudes stay
    continuous around each centre, so a circle across the antimeridian does not wrap
    around the globe.

    Parameters
    ----------
    points
        Point geometries in EPSG:4326.
    radius_m
        One radius or one per point, metres.
    resolution
        Segments per quarter circle.

    Returns
    -------
    circles
        Polygons indexed like `points` (empty for a radius of 0 or less; None for a point
        or radius that is missing or not finite).
    """
    if points.crs is None or not points.crs.equals(CRS(WGS84)):
        msg = f"`points` must be in {WGS84}; got {points.crs!r}."
        raise ValueError(msg)
    radii = np.broadcast_to(np.asarray(radius_m, dtype=float), (len(points),))
    out = np.full(len(points), None, dtype=object)
    geoms = points.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    lon = np.full(len(points), np.nan)
    lat = np.full(len(points), np.nan)
    lon[present] = shapely.get_x(geoms[present])
    lat[present] = shapely.get_y(geoms[present])
    known = np.isfinite(lon) & np.isfinite(lat) & np.isfinite(radii)
    out[known & (radii <= 0)] = shapely.Polygon()
    drawn = np.flatnonzero(known & (radii > 0))
    if len(drawn):
        out[drawn] = _geodesic_circles(lon[drawn], lat[drawn], radii[drawn], 4 * resolution)
    return gpd.GeoSeries(out, index=points.index, crs=WGS84)


def _geodesic_circles(
    lon: NDArray[np.float64], lat: NDArray[np.float64], radius: NDArray[np.float64], steps: int
) -> NDArray[np.object_]:
    """Polygons of `steps` vertices at `radius` metres from each (lon, lat), anticlockwise."""
    azimuths = np.linspace(360.0, 0.0, steps, endpoint=False)
    x, y, _ = GEOD.fwd(
        np.repeat(lon, steps),
        np.repeat(lat, steps),
        np.tile(azimuths, len(lon)),
        np.repeat(radius, steps),
    )
    x = np.asarray(x, dtype=float).reshape(len(lon), steps)
    y = np.asarray(y, dtype=float).reshape(len(lon), steps)
    x = lon[:, None] + (x - lon[:, None] + 180.0) % 360.0 - 180.0  # next to its centre
    rings = np.stack((x, y), axis=-1)
    return shapely.polygons(np.concatenate((rings, rings[:, :1]), axis=1))


# Projected systems a site list is likely to come in, most specific first: Indonesia's
# TM-3 zones (DGN95) and UTM zones 46-54 (WGS 84, north and south), Web Mercator, and a few
# national grids seen in the wild.
_INDONESIA_TM3 = tuple(range(23830, 23846))
_INDONESIA_UTM = tuple(range(32646, 32655)) + tuple(range(32746, 32755))
CANDIDATE_EPSG: tuple[int, ...] = (
    *_INDONESIA_TM3,
    *_INDONESIA_UTM,
    27700,  # British National Grid
    2154,  # France, Lambert-93
    3035,  # Europe, LAEA
    3857,  # Web Mercator
)


@dataclass(frozen=True)
class CrsGuess:
    """A reference system that would put the coordinates somewhere plausible."""

    code: str
    name: str
    lon: float
    lat: float
    distance_km: float | None  # from the operation's area, when known

    def describe(self) -> str:
        """Code, name and where the points would land (and how far from the operation)."""
        where = f"{self.lat:.3f}, {self.lon:.3f}"
        if self.distance_km is not None:
            where += f" ({self.distance_km:,.0f} km)"
        return f"{self.code} ({self.name}) → {where}"


def parse_crs(text: str) -> CRS:
    """A CRS from what a planner typed ("EPSG:32748", "32748", a WKT or PROJ string).

    Raises
    ------
    CRSError
        When the text names no reference system.
    """
    value = text.strip()
    if value.isdigit():
        value = f"EPSG:{value}"
    try:
        return CRS.from_user_input(value)
    except PyprojCRSError:
        msg = f"CRS {text!r} is not known; give an EPSG code such as 'EPSG:32748'."
        raise CRSError(msg, key="read.bad_crs", params={"crs": text}) from None


@lru_cache(maxsize=256)
def _transformer(code: str) -> Transformer:
    return Transformer.from_crs(code, WGS84, always_xy=True)


def to_wgs84(
    x: ArrayLike, y: ArrayLike, crs: CRS | str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Longitude and latitude (EPSG:4326) of coordinates given in `crs`."""
    code = crs.to_string() if isinstance(crs, CRS) else str(crs)
    lon, lat = _transformer(code).transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def degree_share(x: ArrayLike, y: ArrayLike) -> float:
    """Share of the finite points whose x fits a longitude and y a latitude (0..1)."""
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        return 0.0
    ok = (np.abs(xs[finite]) <= 180) & (np.abs(ys[finite]) <= 90)
    return float(ok.mean())


def _area_size(crs: CRS) -> float:
    area = crs.area_of_use
    if area is None:
        return math.inf
    width = (area.east - area.west) % 360 or 360
    return width * (area.north - area.south)


def _inside_area_of_use(crs: CRS, lon: float, lat: float) -> bool:
    area = crs.area_of_use
    if area is None:
        return True
    margin = 1.0
    if not area.south - margin <= lat <= area.north + margin:
        return False
    if area.west <= area.east:
        return area.west - margin <= lon <= area.east + margin
    return lon >= area.west - margin or lon <= area.east + margin


def _utm_epsg(lon: float, lat: float) -> int:
    zone = int((lon + 180) // 6) % 60 + 1
    return (32600 if lat >= 0 else 32700) + zone


def likely_crs(
    x: ArrayLike,
    y: ArrayLike,
    *,
    near: tuple[float, float] | None = None,
    limit: int = 3,
) -> list[CrsGuess]:
    """Projected systems under which metre coordinates land in a plausible place.

    Parameters
    ----------
    x, y
        The coordinates as read (metres in some unknown system).
    near
        (lon, lat) of the operation, when known: systems are ranked by how close they put
        the points; otherwise by how specific their area of use is.
    limit
        How many guesses to return.
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    if not finite.any():
        return []
    mx, my = float(np.median(xs[finite])), float(np.median(ys[finite]))
    codes = list(CANDIDATE_EPSG)
    if near is not None:
        codes.insert(0, _utm_epsg(*near))
    guesses: list[tuple[float, CrsGuess]] = []
    for epsg in dict.fromkeys(codes):
        crs = CRS.from_epsg(epsg)
        lon, lat = (float(v[0]) for v in to_wgs84([mx], [my], f"EPSG:{epsg}"))
        if not (math.isfinite(lon) and math.isfinite(lat) and abs(lat) <= 90):
            continue
        if not _inside_area_of_use(crs, lon, lat):
            continue
        distance = None
        if near is not None:
            distance = float(geodesic_m(near[0], near[1], lon, lat)) / 1000
        rank = distance if distance is not None else _area_size(crs)
        guesses.append((rank, CrsGuess(f"EPSG:{epsg}", crs.name, lon, lat, distance)))
    guesses.sort(key=lambda item: item[0])
    return [g for _, g in guesses[:limit]]
