"""Site layers: one per kind, drawn as `layers.styles` says; tooltips and search text."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import Analysis
from geo.crs import buffer_m
from geo.model import Col, Derived, Kind, LocationQuality, PostType, Risk
from geo.text import format_distance, format_int, label, t
from layers.elements import Coded, ShapeLayer, SiteLayer, SiteStyle, Tooltips, coded, escape_text
from layers.grid import GridSiteLayer
from layers.styles import (
    KIND_STYLES,
    POST_STYLES,
    RESERVE_DASH,
    RISK_STYLES,
    UNCOVERED_COLOR,
    DrawBy,
    KindStyle,
    post_icon,
)
from layers.zones import shape_rings

__all__ = ["kind_layer", "reserve_reach_layer", "uncovered_layer"]


def _each(values: object, text: Callable[[object], str]) -> Coded:
    """`text` of each value, worked out once per distinct value: a province's 120,000 TPS
    hold a few hundred kelurahan, voter counts and qualities. A missing value is passed to
    `text` as None."""
    keys = values if isinstance(values, pd.Index) else pd.Series(values)
    codes, uniques = pd.factorize(keys, use_na_sentinel=True)
    missing = text(None) if (codes < 0).any() else ""
    texts = np.array([text(u) for u in uniques] + [missing], dtype=object)
    return Coded(np.where(codes < 0, len(uniques), codes), texts)  # missing: the last text


def _quality(frame: pd.DataFrame, lang: str) -> list[str]:
    """A location-quality line for approximate or synthetic positions, else ""."""
    rough = {LocationQuality.APPROXIMATE, LocationQuality.SYNTHETIC}
    return _each(
        frame[Col.LOCATION_QUALITY],
        lambda q: t("tip.quality", lang, quality=label("quality", q, lang)) if q in rough else "",
    )


def _coverage(frame: pd.DataFrame, lang: str) -> list[str]:
    covering = np.where(frame[Derived.COVERED].to_numpy(bool), frame[Derived.N_COVERING], -1)
    return _each(
        covering,
        lambda n: t("tip.covered", lang, n=int(n)) if n >= 0 else t("tip.uncovered", lang),
    )


def distances(metres: object, lang: str) -> list[str]:
    """:func:`geo.text.format_distance` of many distances, with numpy; the values whose
    rounding numpy could do otherwise than Python (a tie within float error) and the
    rare ones of 1,000 km or more go through `format_distance` itself."""
    m = np.asarray(metres, dtype=float)
    out = np.full(len(m), "–", dtype=object)
    near = m < 999.5
    short = near & ~np.isnan(m)
    if short.any():
        out[short] = np.char.add(np.round(m[short]).astype(np.int64).astype(str), " m")
    far = ~near & ~np.isnan(m)
    if far.any():  # numpy's string functions refuse an empty array
        km = np.char.mod("%.1f", np.round(m[far] / 100) / 10)
        out[far] = np.char.add(np.char.replace(km, ".", ",") if lang == "id" else km, " km")
    scaled = np.where(near, m, m / 100)
    tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    exact = ~np.isnan(m) & (tie | (m >= 999_950))
    for i in np.flatnonzero(exact):
        out[i] = format_distance(float(m[i]), lang)
    return out.tolist()


def _int_or_dash(value: object, lang: str) -> str:
    return "–" if value is None else format_int(value, lang)


def _nearest(frame: pd.DataFrame, post_names: Mapping[str, str], lang: str) -> dict[str, list]:
    """Slots of the nearest-post line: post name and formatted distance."""
    post_ids = frame[Derived.NEAREST_POST_ID]
    no_post = t("tip.no_post", lang)
    posts = _each(post_ids, lambda p: post_names.get(p, p) if isinstance(p, str) else no_post)
    metres = np.where(post_ids.notna(), frame[Derived.NEAREST_POST_M], np.nan)
    return {"post": posts, "dist": coded(distances(metres, lang))}


def _indicators(frame: pd.DataFrame, lang: str) -> list[str]:
    """The TPS-rawan indicators that fired at each site, by name ("" when none did)."""

    def named(value: object) -> str:
        ids = [i for i in str(value).split(";") if i] if isinstance(value, str) else []
        names = ", ".join(label("indicator", i, lang) for i in ids)
        return t("tip.indicators", lang, names=names) if ids else ""

    return _each(frame[Col.INDICATORS] if Col.INDICATORS in frame else [None] * len(frame), named)


def _texts(values: pd.Series) -> Coded:
    """Each value as text, "" for a missing one (names and ids: mostly distinct, so taken
    as they are rather than one call per value)."""
    return coded(values.astype(object).where(values.notna(), "").astype(str).to_numpy(object))


def _paired(first: Coded, second: Coded, text: Callable[[str, str], str]) -> Coded:
    """`text` of each site's pair of texts, worked out once per distinct pair."""
    keys = first.codes.astype(np.int64) * len(second.uniques) + second.codes
    codes, uniques = pd.factorize(keys)
    a, b = np.divmod(uniques, len(second.uniques))
    texts = [text(first.uniques[i], second.uniques[j]) for i, j in zip(a, b, strict=True)]
    return Coded(codes, np.array(texts, dtype=object))


def _search_slot(frame: pd.DataFrame) -> Coded:
    """ " · TPS n kelurahan" for numbered polling stations, else ""."""
    numbers = _each(frame[Col.TPS_NO], lambda no: "" if no is None else f" · TPS {int(no)}")
    places = _each(frame[Col.KELURAHAN], lambda k: f" {k}" if isinstance(k, str) else "")
    return _paired(numbers, places, lambda number, place: f"{number}{place}" if number else "")


def _common(frame: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    return {
        "name": _texts(frame[Col.NAME]),
        "id": _texts(frame[Col.SITE_ID]),
        "q": _quality(frame, lang),
        "tps": _search_slot(frame),
    }


_SEARCH = "{name}{tps} · {id}"
# The site id rides in each tooltip hidden, for the app's click mapping; never shown.
_REF = " {id}"


def tps_tooltips(analysis: Analysis, lang: str) -> Tooltips:
    """Polling stations: name, kelurahan and risk, fired indicators, voters, coverage,
    nearest post."""
    tps = analysis.polling_stations
    posts = analysis.coverage.posts
    names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    voters = _each(
        tps[Col.VOTERS], lambda v: "" if v is None else t("tip.voters", lang, n=format_int(v, lang))
    )
    kelurahan = _each(tps[Col.KELURAHAN], lambda k: "" if k is None else str(k))
    risk = _each(tps[Col.RISK], lambda r: label("risk", r, lang))
    place = _paired(kelurahan, risk, lambda k, r: " · ".join(x for x in (k, r) if x))
    nearest = t("tip.nearest", lang, post="{post}", distance="{dist}")
    return Tooltips(
        lines=("{name}", "{place}", "{ind}", "{voters}", "{cov}", nearest, "{q}"),
        slots={
            **_common(tps, lang),
            "place": place,
            "ind": _indicators(tps, lang),
            "voters": voters,
            "cov": _coverage(tps, lang),
            **_nearest(tps, names, lang),
        },
        search=_SEARCH,
        ref=_REF,
    )


def post_tooltips(analysis: Analysis, lang: str) -> Tooltips:
    """Police posts: name, type, radius and personnel."""
    posts = analysis.coverage.posts
    reach = t("tip.radius", lang, distance="{radius}", n="{staff}")
    return Tooltips(
        lines=("{name}", "{type}", reach, "{q}"),
        slots={
            **_common(posts, lang),
            "type": _each(posts[Col.POST_TYPE], lambda p: label("post_type", p, lang)),
            "radius": coded(distances(posts[Derived.RADIUS_USED_M], lang)),
            "staff": _each(
                posts[Col.PERSONNEL], lambda p: "–" if p is None else format_int(p, lang)
            ),
        },
        search=_SEARCH,
        ref=_REF,
    )


def demo_tooltips(analysis: Analysis, lang: str) -> Tooltips:
    """Demonstration points: name, coverage and nearest post."""
    demo = analysis.demonstration_points
    posts = analysis.coverage.posts
    names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    nearest = t("tip.nearest", lang, post="{post}", distance="{dist}")
    return Tooltips(
        lines=("{name}", "{kind}", "{cov}", nearest, "{q}"),
        slots={
            **_common(demo, lang),
            "kind": [label("kind", Kind.DEMONSTRATION_POINT, lang)] * len(demo),
            "cov": _coverage(demo, lang),
            **_nearest(demo, names, lang),
        },
        search=_SEARCH,
        ref=_REF,
    )


def plain_tooltips(frame: pd.DataFrame, lang: str) -> Tooltips:
    """Other sites: name, kind and location quality."""
    return Tooltips(
        lines=("{name}", "{kind}", "{q}"),
        slots={
            **_common(frame, lang),
            "kind": _each(frame[Col.KIND], lambda k: label("kind", k, lang)),
        },
        search=_SEARCH,
        ref=_REF,
    )


_Symbols = tuple[list[SiteStyle], list[int]]


def _by_risk(frame: pd.DataFrame, drawing: KindStyle) -> _Symbols:
    """Two circles per risk class, covered (white outline) then uncovered (red ring)."""
    styles = []
    for risk in Risk:
        fill = RISK_STYLES[risk].color
        styles.append(SiteStyle(color="#ffffff", fill_color=fill, weight=1.2))
        styles.append(SiteStyle(color=UNCOVERED_COLOR, fill_color=fill, weight=3.0, radius=7))
    risk = np.asarray(_category_codes(frame[Col.RISK], list(Risk)), dtype=np.int64)
    covered = frame[Derived.COVERED].to_numpy(bool)
    return styles, (risk * 2 + np.where(covered, 0, 1)).tolist()


def _by_post_type(frame: pd.DataFrame, drawing: KindStyle) -> _Symbols:
    """A lettered shield per post type."""
    types = list(PostType)
    styles = [SiteStyle(color=POST_STYLES[p].color, icon=post_icon(p)) for p in types]
    return styles, _category_codes(frame[Col.POST_TYPE], types)


def _category_codes(values: pd.Series, categories: list) -> list[int]:
    """Each value's index in `categories` (a value not among them is an error)."""
    codes = pd.Index([str(c) for c in categories]).get_indexer(values.astype(object))
    if (codes < 0).any():
        unknown = sorted({str(v) for v in values[codes < 0]})
        msg = f"values outside {categories}: {unknown}"
        raise ValueError(msg)
    return codes.astype(np.int64).tolist()


def _by_kind(frame: pd.DataFrame, drawing: KindStyle) -> _Symbols:
    """The kind's own icon for every site."""
    return [SiteStyle(color=drawing.color, icon=drawing.icon)], [0] * len(frame)


# The styles of a kind's layer and each site's index into them, per `KindStyle.draw_by`.
_SYMBOLS: Mapping[DrawBy, Callable[[pd.DataFrame, KindStyle], _Symbols]] = {
    DrawBy.RISK: _by_risk,
    DrawBy.POST_TYPE: _by_post_type,
    DrawBy.KIND: _by_kind,
}


# Kinds whose layer shows analysed columns (coverage, nearest post, radius); the others
# show their name, kind and location quality.
_ANALYSED: Mapping[Kind, Callable[[Analysis, str], tuple[pd.DataFrame, Tooltips]]] = {
    Kind.POLLING_STATION: lambda a, lang: (a.polling_stations, tps_tooltips(a, lang)),
    Kind.POLICE_POST: lambda a, lang: (a.coverage.posts, post_tooltips(a, lang)),
    Kind.DEMONSTRATION_POINT: lambda a, lang: (a.demonstration_points, demo_tooltips(a, lang)),
}


def _sites_of(analysis: Analysis, kind: Kind, lang: str) -> tuple[pd.DataFrame, Tooltips]:
    """The sites of a kind with their analysed columns, and their tooltips."""
    if kind in _ANALYSED:
        return _ANALYSED[kind](analysis, lang)
    sites = analysis.operation.sites
    frame = sites[sites[Col.KIND] == kind]
    return frame, plain_tooltips(frame, lang)


def kind_layer(
    analysis: Analysis, kind: Kind, lang: str, *, show: bool = True, aggregate: bool = False
) -> SiteLayer:
    """The layer of one site kind, drawn as its row in `layers.styles.KIND_STYLES` says.

    Polling stations are circles coloured by risk class (uncovered ones ringed in red),
    police posts shields per post type, every other kind its own icon. With `aggregate`, a
    :class:`layers.grid.GridSiteLayer` (cells at low zoom, the sites in view when few).
    """
    frame, tooltips = _sites_of(analysis, kind, lang)
    drawing = KIND_STYLES[kind]
    styles, style = _SYMBOLS[drawing.draw_by](frame, drawing)
    common = {
        "kind": kind,
        "styles": styles,
        "lat": frame.geometry.y.tolist(),
        "lon": frame.geometry.x.tolist(),
        "style": style,
        "site_ids": frame[Col.SITE_ID].tolist(),
        "tooltips": tooltips,
        "show": show,
    }
    if not aggregate:
        return SiteLayer(label("kind", kind, lang), **common)
    by_risk = drawing.draw_by == DrawBy.RISK
    return GridSiteLayer(
        label("kind", kind, lang),
        **common,
        # _by_risk's styles: risk class r covered at 2r, beyond reach at 2r + 1
        uncovered=[i % 2 == 1 for i in range(len(styles))] if by_risk else None,
        risk_rank=[i // 2 for i in range(len(styles))] if by_risk else None,
        lang=lang,
    )


def uncovered_layer(
    analysis: Analysis, lang: str, *, show: bool = True, aggregate: bool = False
) -> SiteLayer:
    """A halo around every polling station no post reaches (drawn over the TPS layer); with
    `aggregate`, only around those drawn one by one (the cells show the rest)."""
    gaps = analysis.uncovered_tps
    halo = SiteStyle(
        color=UNCOVERED_COLOR,
        radius=13,
        weight=2.5,
        fill_opacity=0.12,
        dash="4 3",
        interactive=False,
    )
    layer = GridSiteLayer if aggregate else SiteLayer
    extra = {"cells": False, "lang": lang} if aggregate else {}
    return layer(
        t("layer.uncovered", lang),
        kind=Kind.POLLING_STATION,
        styles=[halo],
        lat=gaps.geometry.y.tolist(),
        lon=gaps.geometry.x.tolist(),
        style=[0] * len(gaps),
        site_ids=gaps[Col.SITE_ID].tolist(),
        role="highlight",
        show=show,
        **extra,
    )


def reserve_reach_layer(analysis: Analysis, lang: str, *, show: bool = True) -> ShapeLayer:
    """The reserve units' response reach: a dashed, unfilled circle around each base,
    labelled with the unit, its strength and its reach. Drawn apart from the posts'
    coverage rings because a reserve covers no TPS (`geo.coverage.covers`)."""
    reserves = analysis.coverage.reserves
    circles = buffer_m(
        gpd.GeoSeries(reserves.geometry, crs=reserves.crs), reserves[Derived.RADIUS_USED_M]
    )
    color = POST_STYLES[PostType.RESERVE].color
    units = reserves[Col.UNIT] if Col.UNIT in reserves else pd.Series(None, index=reserves.index)
    tips = [
        escape_text(
            t(
                "tip.reserve_reach",
                lang,
                name=str(name),
                unit=label("unit", unit, lang) if isinstance(unit, str) else "–",
                n=_int_or_dash(None if pd.isna(staff) else staff, lang),
                distance=format_distance(float(reach), lang),
            )
        )
        for name, unit, staff, reach in zip(
            reserves[Col.NAME],
            units,
            reserves[Col.PERSONNEL],
            reserves[Derived.RADIUS_USED_M],
            strict=True,
        )
    ]
    return ShapeLayer(
        t("layer.reserves", lang),
        rings=[shape_rings(c) for c in circles],
        styles=[{"color": color, "weight": 2.0, "dashArray": RESERVE_DASH, "fill": False}],
        style=[0] * len(reserves),
        tooltips=tips,
        interactive=True,
        show=show,
    )
