"""Choosing the reference system of a file's coordinates and converting them to degrees."""

from __future__ import annotations

import numpy as np

from geo.crs import WGS84, degree_share, likely_crs, parse_crs, to_wgs84
from geo.importer._findings import Findings
from geo.importer._placement import Places
from geo.importer.options import ImportChoices, ImportContext
from geo.importer.report import Severity
from geo.io import RawTable
from geo.text import Text

__all__ = ["nothing", "to_degrees"]


def nothing(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of `n` rows, none usable."""
    return np.full(n, np.nan), np.full(n, np.nan)


def _near(context: ImportContext) -> tuple[float, float] | None:
    if context.areas is None or context.areas.empty:
        return None
    centre = context.areas.to_crs(WGS84).union_all().centroid
    return float(centre.x), float(centre.y)


def _crs_fix(x: np.ndarray, y: np.ndarray, context: ImportContext) -> tuple[Text, str]:
    guesses = likely_crs(x, y, near=_near(context))
    if not guesses:
        return Text("fix.crs_unknown"), ""
    listing = "; ".join(g.describe() for g in guesses)
    return Text("fix.crs", {"guesses": listing, "best": guesses[0].code}), f"crs:{guesses[0].code}"


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.5f}"


def to_degrees(
    raw: RawTable,
    places: Places,
    choices: ImportChoices,
    context: ImportContext,
    found: Findings,
) -> tuple[np.ndarray, np.ndarray, str | None]:
    """Longitude/latitude per row (NaN where unusable), and the CRS used."""
    x, y = places.x, places.y
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        return x.copy(), y.copy(), None
    sample = f"x ≈ {_num(np.median(x[finite]))}, y ≈ {_num(np.median(y[finite]))}"
    if choices.crs:
        crs = parse_crs(choices.crs)
        found.whole(
            Severity.INFO, "crs_applied", "issue.crs_applied", crs=crs.to_string(), name=crs.name
        )
        if crs.is_geographic:
            return x.copy(), y.copy(), crs.to_string()
        return (*to_wgs84(x, y, crs), crs.to_string())
    declared = raw.declared_crs
    # swapped latitude/longitude are still degrees: the axis check deals with them
    looks_like_degrees = (
        max(degree_share(x[finite], y[finite]), degree_share(y[finite], x[finite])) >= 0.5
    )
    small = np.max(np.abs(np.concatenate([x[finite], y[finite]]))) < 1000
    contradicted = declared is not None and (
        (declared.is_geographic and not looks_like_degrees)
        or (not declared.is_geographic and looks_like_degrees and small)
    )
    if contradicted:
        assert declared is not None
        fix, fix_id = (
            _crs_fix(x, y, context)
            if declared.is_geographic
            else (
                Text("fix.crs", {"guesses": "EPSG:4326 (WGS 84)", "best": "EPSG:4326"}),
                "crs:EPSG:4326",
            )
        )
        found.whole(
            Severity.ERROR,
            "crs_contradicted",
            "issue.crs_contradicted",
            declared=f"{declared.to_string()} ({declared.name})",
            sample=sample,
            fix=fix,
            fix_id=fix_id,
        )
        found.reject_all("crs_contradicted", "issue.crs_row", fix=fix, fix_id=fix_id)
        return (*nothing(len(x)), None)
    if declared is not None and declared.is_geographic:
        return x.copy(), y.copy(), declared.to_string()
    if declared is not None:
        found.whole(
            Severity.INFO,
            "crs_declared",
            "issue.crs_declared",
            crs=declared.to_string(),
            name=declared.name,
        )
        return (*to_wgs84(x, y, declared), declared.to_string())
    if looks_like_degrees:
        found.whole(Severity.INFO, "crs_assumed", "issue.crs_assumed")
        return x.copy(), y.copy(), WGS84
    fix, fix_id = _crs_fix(x, y, context)
    found.whole(
        Severity.ERROR, "crs_missing", "issue.crs_missing", sample=sample, fix=fix, fix_id=fix_id
    )
    found.reject_all("crs_missing", "issue.crs_row", fix=fix, fix_id=fix_id)
    return (*nothing(len(x)), None)
