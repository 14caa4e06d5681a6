"""Display circles (`geo.crs.buffer_m`): true radius everywhere, continuous at the
antimeridian, and an honest result for missing points and zero radii."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from geo.crs import WGS84, buffer_m, geodesic_m


def _vertex_distances(circle: shapely.Polygon, centre: Point) -> np.ndarray:
    """Geodesic metres from `centre` to each vertex of `circle`'s outline."""
    xy = np.asarray(circle.exterior.coords)
    return geodesic_m(np.full(len(xy), centre.x), np.full(len(xy), centre.y), xy[:, 0], xy[:, 1])


@pytest.mark.parametrize(
    ("lon", "lat", "radius"),
    [(106.13, -2.13, 1_900.0), (95.3, 5.5, 500.0), (140.7, -2.5, 25_000.0), (10.0, 78.0, 5_000.0)],
)
def test_every_vertex_is_at_the_radius(lon: float, lat: float, radius: float) -> None:
    centre = Point(lon, lat)
    circle = buffer_m(gpd.GeoSeries([centre], crs=WGS84), radius).iloc[0]
    assert circle.is_valid and circle.exterior.is_ccw
    assert circle.contains(centre)
    np.testing.assert_allclose(_vertex_distances(circle, centre), radius, rtol=1e-9)
    assert len(circle.exterior.coords) == 4 * 16 + 1


def test_a_circle_across_the_antimeridian_stays_next_to_its_centre() -> None:
    centre = Point(179.999, -16.5)
    circle = buffer_m(gpd.GeoSeries([centre], crs=WGS84), 2_000.0).iloc[0]
    west, _, east, _ = circle.bounds
    assert 179.97 < west < 179.999 < 180.0 < east < 180.03  # not wrapped to -180
    np.testing.assert_allclose(_vertex_distances(circle, centre), 2_000.0, rtol=1e-9)


def test_radii_per_point_missing_points_and_zero_radius() -> None:
    points = gpd.GeoSeries(
        [Point(106.1, -2.1), Point(), Point(106.2, -2.2), Point(106.3, -2.3)],
        index=[10, 11, 12, 13],
        crs=WGS84,
    )
    circles = buffer_m(points, [1_000.0, 1_000.0, 0.0, 3_000.0])
    assert list(circles.index) == [10, 11, 12, 13]
    assert circles.iloc[1] is None  # no position: no circle, not one at (0, 0)
    assert circles.iloc[2].is_empty
    np.testing.assert_allclose(_vertex_distances(circles.iloc[3], points.iloc[3]), 3_000.0)
    assert circles.iloc[3].area > circles.iloc[0].area * 8


def test_points_not_in_wgs84_are_refused() -> None:
    with pytest.raises(ValueError, match="EPSG:4326"):
        buffer_m(gpd.GeoSeries([Point(500_000, 9_700_000)], crs="EPSG:32748"), 100.0)
