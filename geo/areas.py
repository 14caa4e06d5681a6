"""Areas of an operation (kecamatan, kelurahan, sectors) and which area each site lies in."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

__all__ = ["AREA_COLUMNS", "area_levels", "assign_areas"]

AREA_COLUMNS = ("area_code", "name", "level")


def area_levels(areas: gpd.GeoDataFrame) -> list[str]:
    """Levels present in `areas`, coarsest first (fewest polygons first)."""
    if areas.empty:
        return []
    counts = areas["level"].value_counts()
    return sorted(counts.index, key=lambda level: (counts[level], str(level)))


def assign_areas(points: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, *, level: str) -> pd.Series:
    """Code of the area of `level` holding each point, or NA for points outside every area.

    Parameters
    ----------
    points
        Point sites in EPSG:4326.
    areas
        Area polygons in EPSG:4326 with `area_code` and `level`.
    level
        Which level to use, e.g. "kecamatan".

    Returns
    -------
    area_code
        Indexed like `points`; where areas overlap, the first area in `areas` wins.
    """
    polygons = areas.loc[areas["level"] == level, ["area_code", "geometry"]]
    result = pd.Series(pd.NA, index=points.index, dtype="str", name="area_code")
    if polygons.empty or points.empty:
        return result
    joined = gpd.sjoin(points[["geometry"]], polygons, how="left", predicate="intersects")
    first = joined[~joined.index.duplicated(keep="first")]
    result.loc[first.index] = first["area_code"].astype("str").where(first["area_code"].notna())
    return result
