"""Site layers: styling per kind and risk class, tooltips, search text; all text escaped."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from geo.analysis import Analysis
from geo.model import Col, Kind, LocationQuality, PostType, Risk
from geo.text import format_distance, format_int, label, t
from layers.elements import SiteLayer, SiteStyle, Tooltips

__all__ = [
    "KIND_ICONS",
    "POST_COLORS",
    "RISK_COLORS",
    "UNCOVERED_COLOR",
    "kind_layer",
    "tps_layer",
    "uncovered_layer",
]

RISK_COLORS: Mapping[Risk, str] = {
    Risk.KURANG_RAWAN: "#2e7d32",
    Risk.RAWAN: "#f57c00",
    Risk.SANGAT_RAWAN: "#c62828",
    Risk.KHUSUS: "#6a1b9a",
}
UNCOVERED_COLOR = "#d50000"
POST_COLORS: Mapping[PostType, str] = {
    PostType.MAKO: "#0d47a1",
    PostType.POLSEK: "#1565c0",
    PostType.POS_PAM: "#0277bd",
    PostType.POS_TERPADU: "#00838f",
    PostType.PATROL: "#283593",
}
_POST_LETTERS: Mapping[PostType, str] = {
    PostType.MAKO: "M",
    PostType.POLSEK: "S",
    PostType.POS_PAM: "P",
    PostType.POS_TERPADU: "T",
    PostType.PATROL: "R",
}


def _svg(body: str, size: int = 22) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 22 22">{body}</svg>'
    )


def post_icon(post_type: PostType) -> str:
    """Shield icon of a police post, lettered and coloured by post type."""
    return _svg(
        f'<path d="M11 1 L20 4 V10 C20 15 16 19 11 21 C6 19 2 15 2 10 V4 Z" '
        f'fill="{POST_COLORS[post_type]}" stroke="#fff" stroke-width="1.5"/>'
        f'<text x="11" y="15" font-size="10" font-family="sans-serif" font-weight="bold" '
        f'text-anchor="middle" fill="#fff">{_POST_LETTERS[post_type]}</text>'
    )


KIND_ICONS: Mapping[Kind, str] = {
    Kind.GOVERNMENT: _svg(
        '<rect x="1" y="1" width="20" height="20" rx="3" fill="#37474f" stroke="#fff" '
        'stroke-width="1.5"/><path d="M11 4 L17 8 H5 Z M6 9 V15 M9 9 V15 M13 9 V15 M16 9 V15 '
        'M5 17 H17" stroke="#fff" stroke-width="1.5" fill="#fff"/>'
    ),
    Kind.DEMONSTRATION_POINT: _svg(
        '<path d="M11 1 L21 20 H1 Z" fill="#d84315" stroke="#fff" stroke-width="1.5"/>'
        '<path d="M11 7 V13 M11 15.5 V17.5" stroke="#fff" stroke-width="2.2"/>'
    ),
    Kind.LOGISTICS: _svg(
        '<rect x="2" y="5" width="18" height="14" fill="#6d4c41" stroke="#fff" '
        'stroke-width="1.5"/><path d="M2 9 H20 M9 5 V9 M13 5 V9" stroke="#fff" '
        'stroke-width="1.3"/>'
    ),
}


def _quality(frame: pd.DataFrame, lang: str) -> list[str]:
    """A location-quality line for approximate or synthetic positions, else ""."""
    rough = {LocationQuality.APPROXIMATE, LocationQuality.SYNTHETIC}
    return [
        t("tip.quality", lang, quality=label("quality", q, lang)) if q in rough else ""
        for q in frame[Col.LOCATION_QUALITY]
    ]


def _coverage(frame: pd.DataFrame, lang: str) -> list[str]:
    return [
        t("tip.covered", lang, n=int(n)) if covered else t("tip.uncovered", lang)
        for covered, n in zip(frame["covered"], frame["n_covering"], strict=True)
    ]


def _nearest(frame: pd.DataFrame, post_names: Mapping[str, str], lang: str) -> dict[str, list]:
    """Slots of the nearest-post line: post name and formatted distance."""
    posts, distances = [], []
    for post_id, metres in zip(frame["nearest_post_id"], frame["nearest_post_m"], strict=True):
        has_post = isinstance(post_id, str)
        posts.append(post_names.get(post_id, post_id) if has_post else t("tip.no_post", lang))
        distances.append(format_distance(float(metres), lang) if has_post else "–")
    return {"post": posts, "dist": distances}


def _texts(values: pd.Series) -> list[str]:
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in values]


def _search_slot(frame: pd.DataFrame) -> list[str]:
    """ " · TPS n kelurahan" for numbered polling stations, else ""."""
    out = []
    for no, kel in zip(frame[Col.TPS_NO], frame[Col.KELURAHAN], strict=True):
        if pd.isna(no):
            out.append("")
        else:
            out.append(f" · TPS {int(no)}" + (f" {kel}" if isinstance(kel, str) else ""))
    return out


def _common(frame: pd.DataFrame, lang: str) -> dict[str, list[str]]:
    return {
        "name": _texts(frame[Col.NAME]),
        "id": _texts(frame[Col.SITE_ID]),
        "q": _quality(frame, lang),
        "tps": _search_slot(frame),
    }


_SEARCH = "{name}{tps} · {id}"


def tps_tooltips(analysis: Analysis, lang: str) -> Tooltips:
    """Polling stations: name, kelurahan and risk, voters, coverage, nearest post."""
    tps = analysis.polling_stations
    posts = analysis.coverage.posts
    names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    voters = [
        t("tip.voters", lang, n=format_int(v, lang)) if pd.notna(v) else "" for v in tps[Col.VOTERS]
    ]
    place = [
        " · ".join(x for x in (k if isinstance(k, str) else "", label("risk", r, lang)) if x)
        for k, r in zip(tps[Col.KELURAHAN], tps[Col.RISK], strict=True)
    ]
    nearest = t("tip.nearest", lang, post="{post}", distance="{dist}")
    return Tooltips(
        lines=("{name}", "{place}", "{voters}", "{cov}", nearest, "{q}", "{id}"),
        slots={
            **_common(tps, lang),
            "place": place,
            "voters": voters,
            "cov": _coverage(tps, lang),
            **_nearest(tps, names, lang),
        },
        search=_SEARCH,
    )


def post_tooltips(analysis: Analysis, lang: str) -> Tooltips:
    """Police posts: name, type, radius and personnel."""
    posts = analysis.coverage.posts
    reach = t("tip.radius", lang, distance="{radius}", n="{staff}")
    return Tooltips(
        lines=("{name}", "{type}", reach, "{q}", "{id}"),
        slots={
            **_common(posts, lang),
            "type": [label("post_type", p, lang) for p in posts[Col.POST_TYPE]],
            "radius": [format_distance(float(r), lang) for r in posts["radius_used_m"]],
            "staff": [format_int(p, lang) if pd.notna(p) else "–" for p in posts[Col.PERSONNEL]],
        },
        search=_SEARCH,
    )


def demo_tooltips(analysis: Analysis, lang: str) -> Tooltips:
    """Demonstration points: name, coverage and nearest post."""
    demo = analysis.demonstration_points
    posts = analysis.coverage.posts
    names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    nearest = t("tip.nearest", lang, post="{post}", distance="{dist}")
    return Tooltips(
        lines=("{name}", "{kind}", "{cov}", nearest, "{q}", "{id}"),
        slots={
            **_common(demo, lang),
            "kind": [label("kind", Kind.DEMONSTRATION_POINT, lang)] * len(demo),
            "cov": _coverage(demo, lang),
            **_nearest(demo, names, lang),
        },
        search=_SEARCH,
    )


def plain_tooltips(frame: pd.DataFrame, lang: str) -> Tooltips:
    """Other sites: name, kind and location quality."""
    return Tooltips(
        lines=("{name}", "{kind}", "{q}", "{id}"),
        slots={**_common(frame, lang), "kind": [label("kind", k, lang) for k in frame[Col.KIND]]},
        search=_SEARCH,
    )


def _tps_style_index(risk: str, covered: bool) -> int:
    return list(Risk).index(Risk(risk)) * 2 + (0 if covered else 1)


def tps_layer(analysis: Analysis, lang: str, *, show: bool = True) -> SiteLayer:
    """Polling stations coloured by risk class; uncovered ones ringed in red."""
    styles = []
    for risk in Risk:
        styles.append(SiteStyle(color="#ffffff", fill_color=RISK_COLORS[risk], weight=1.2))
        styles.append(
            SiteStyle(color=UNCOVERED_COLOR, fill_color=RISK_COLORS[risk], weight=3.0, radius=7)
        )
    tps = analysis.polling_stations
    return SiteLayer(
        label("kind", Kind.POLLING_STATION, lang),
        kind=Kind.POLLING_STATION,
        styles=styles,
        lat=tps.geometry.y.tolist(),
        lon=tps.geometry.x.tolist(),
        style=[_tps_style_index(r, c) for r, c in zip(tps[Col.RISK], tps["covered"], strict=True)],
        site_ids=tps[Col.SITE_ID].tolist(),
        tooltips=tps_tooltips(analysis, lang),
        show=show,
    )


def uncovered_layer(analysis: Analysis, lang: str, *, show: bool = True) -> SiteLayer:
    """A halo around every polling station no post reaches (drawn over the TPS layer)."""
    gaps = analysis.uncovered_tps
    halo = SiteStyle(
        color=UNCOVERED_COLOR,
        radius=13,
        weight=2.5,
        fill_opacity=0.12,
        dash="4 3",
        interactive=False,
    )
    return SiteLayer(
        t("layer.uncovered", lang),
        kind=Kind.POLLING_STATION,
        styles=[halo],
        lat=gaps.geometry.y.tolist(),
        lon=gaps.geometry.x.tolist(),
        style=[0] * len(gaps),
        site_ids=gaps[Col.SITE_ID].tolist(),
        role="highlight",
        show=show,
    )


def kind_layer(analysis: Analysis, kind: Kind, lang: str, *, show: bool = True) -> SiteLayer:
    """Government buildings, demonstration points, posts or logistics sites as icons."""
    if kind == Kind.POLICE_POST:
        frame = analysis.coverage.posts
        types = list(PostType)
        styles = [SiteStyle(color=POST_COLORS[p], icon=post_icon(p)) for p in types]
        style = [types.index(PostType(p)) for p in frame[Col.POST_TYPE]]
        tooltips = post_tooltips(analysis, lang)
    else:
        if kind == Kind.DEMONSTRATION_POINT:
            frame = analysis.demonstration_points
            tooltips = demo_tooltips(analysis, lang)
        else:
            sites = analysis.operation.sites
            frame = sites[sites[Col.KIND] == kind]
            tooltips = plain_tooltips(frame, lang)
        styles = [SiteStyle(color="#000000", icon=KIND_ICONS[kind])]
        style = [0] * len(frame)
    return SiteLayer(
        label("kind", kind, lang),
        kind=kind,
        styles=styles,
        lat=frame.geometry.y.tolist(),
        lon=frame.geometry.x.tolist(),
        style=style,
        site_ids=frame[Col.SITE_ID].tolist(),
        tooltips=tooltips,
        show=show,
    )
