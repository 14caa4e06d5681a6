"""Reference systems and distances: WGS84 geodesics, Earth-centred coordinates, local metric CRS."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import CRS, Geod

__all__ = [
    "GEOD",
    "WGS84",
    "arc_bounds_m",
    "arc_estimate_m",
    "buffer_m",
    "ecef",
    "geodesic_m",
    "local_metric_crs",
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

    Points are grouped into cells of 3 degrees; each group is buffered in a local
    azimuthal equidistant CRS centred on the group, then brought back to EPSG:4326 with
    longitudes kept continuous around its centre (so a circle across the antimeridian
    does not wrap around the globe).

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
        Polygons indexed like `points`.
    """
    if points.crs is None or not points.crs.equals(CRS(WGS84)):
        msg = f"`points` must be in {WGS84}; got {points.crs!r}."
        raise ValueError(msg)
    radii = np.broadcast_to(np.asarray(radius_m, dtype=float), (len(points),))
    out = np.empty(len(points), dtype=object)
    if len(points) == 0:
        return gpd.GeoSeries(out, index=points.index, crs=WGS84)
    lon = points.x.to_numpy()
    lat = points.y.to_numpy()
    cells = pd.Series(list(zip(np.floor(lon / 3), np.floor(lat / 3), strict=True)))
    for _, members in cells.groupby(cells).groups.items():
        idx = np.asarray(members)
        lon0, lat0 = float(np.mean(lon[idx])), float(np.mean(lat[idx]))
        local = gpd.GeoSeries(points.iloc[idx].values, crs=WGS84).to_crs(
            local_metric_crs(lon0, lat0)
        )
        circles = local.buffer(radii[idx], quad_segs=resolution).to_crs(WGS84)
        out[idx] = [_continuous_lon(g, lon0) for g in circles]
    return gpd.GeoSeries(out, index=points.index, crs=WGS84)


def _continuous_lon(geom: shapely.Geometry, lon0: float) -> shapely.Geometry:
    """Shift longitudes by 360 where needed so the geometry stays next to `lon0`."""

    def unwrap(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        x = xy[:, 0]
        shifted = x + 360.0 * np.round((lon0 - x) / 360.0)
        return np.column_stack((shifted, xy[:, 1]))

    if math.isfinite(lon0) and abs(lon0) > 170:
        return shapely.transform(geom, unwrap)
    return geom
