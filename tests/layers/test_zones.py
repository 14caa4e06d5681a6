"""Area names: where they are written, and that they travel as text."""

from __future__ import annotations

import re

import folium
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from layers.zones import AreaLabels, label_points

# A "C" open to the east: its centroid lies in the opening, outside the area.
C_SHAPE = Polygon(
    [(106.0, -2.0), (106.1, -2.0), (106.1, -2.02), (106.02, -2.02), (106.02, -2.08),
     (106.1, -2.08), (106.1, -2.1), (106.0, -2.1)]
)  # fmt: skip


def test_label_point_lies_inside_a_concave_area() -> None:
    assert not C_SHAPE.contains(C_SHAPE.centroid)
    [(lat, lon)] = label_points([C_SHAPE])
    assert C_SHAPE.contains(shapely.Point(lon, lat))


def test_label_point_is_in_the_largest_part_away_from_its_edges() -> None:
    small = box(106.3, -2.01, 106.31, -2.0)
    large = box(106.0, -2.1, 106.2, -2.0)
    [(lat, lon)] = label_points([MultiPolygon([small, large])])
    point = shapely.Point(lon, lat)
    assert large.contains(point)
    # the middle of a rectangle is the point farthest from its edges
    assert point.distance(large.boundary) > 0.9 * 0.05


def test_every_sample_area_is_named_inside_itself(sample_operation) -> None:
    areas = sample_operation.areas
    points = label_points(areas.geometry)
    for (lat, lon), geom, name in zip(points, areas.geometry, areas["name"], strict=True):
        assert geom.contains(shapely.Point(lon, lat)), name


def test_an_empty_area_gets_no_label() -> None:
    assert label_points([Polygon()]) == [None]
    labels = AreaLabels(["Kosong", "Ada"], [None, (-2.0, 106.0)])
    assert labels.count == 1


def test_names_travel_as_text_inside_the_script() -> None:
    name = "</script><img src=x onerror=alert(1)>"
    group = folium.FeatureGroup().add_to(folium.Map())
    AreaLabels([name], [(-2.0, 106.0)]).add_to(group)
    html = group.get_root().render()
    for body in re.findall(r"<script>(.*?)</script>", html, flags=re.S):
        assert "<img" not in body and "</script" not in body.lower()
