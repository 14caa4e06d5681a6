"""Posko — the Streamlit app: page layout and session state only; no geometry here."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import Analysis, analyse
from geo.errors import PoskoError
from geo.model import Col, Kind, LocationQuality, PostType, Risk
from geo.operation import (
    SAMPLE_OPERATION,
    Operation,
    discover_operations,
    load_operation,
    operation_signature,
)
from geo.staffing import available_presets
from geo.text import LANGUAGES, format_distance, format_int, format_share, label, t
from layers.assets import Asset, localize_assets, map_assets, publish_assets
from layers.elements import escape_text
from layers.export import briefing_html
from layers.mapview import LAYER_KEYS, map_parts

APP_DIR = Path(__file__).resolve().parent
STATIC_DIR = APP_DIR / "static"
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def operation_roots() -> list[Path]:
    """Where operations are looked for: the workspace (if set), then the bundled samples."""
    roots = []
    workspace = os.environ.get("POSKO_WORKSPACE")
    if workspace:
        roots.append(Path(workspace))
    roots.append(SAMPLE_OPERATION.parent)
    return roots


@st.cache_data(show_spinner=False, max_entries=8)
def cached_operation(path: str, signature: tuple) -> Operation:
    """Load an operation once per file version (`signature` changes when a file does)."""
    del signature  # part of the cache key only
    return load_operation(Path(path))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_analysis(
    path: str, signature: tuple, radii: tuple[tuple[str, float], ...], preset: str
) -> Analysis:
    """Analyse an operation; a radius change reuses the loaded files."""
    operation = cached_operation(path, signature)
    return analyse(operation, radius_m={PostType(k): v for k, v in radii}, preset=preset)


def md(text: object) -> str:
    """Escape a user value for Streamlit markdown (no links, images or emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def init_state(operations: dict[str, Path]) -> None:
    """Set every session key once, before any widget is drawn."""
    defaults = {
        "operation": SAMPLE_OPERATION.name
        if SAMPLE_OPERATION.name in operations
        else next(iter(operations)),
        "lang": "id",
        "basemap": "osm",
        "selected_site": None,
        "radii_for": None,
        **{f"layer_{key}": True for key in LAYER_KEYS},
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def reset_radii(operation: Operation) -> None:
    """Start the radius sliders from the operation's settings when the operation changes."""
    if st.session_state.get("radii_for") == operation.key:
        return
    for post_type in PostType:
        st.session_state[f"radius_{post_type}"] = int(operation.settings.radius_m[post_type])
    st.session_state["preset"] = operation.settings.staffing_preset
    st.session_state["radii_for"] = operation.key
    st.session_state["selected_site"] = None


def render_sidebar(operations: dict[str, Path], operation: Operation) -> None:
    """Language, basemap, radii, staffing preset and layer toggles."""
    lang = st.session_state["lang"]
    sb = st.sidebar
    sb.radio(
        t("app.language", lang),
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=LANGUAGE_NAMES.__getitem__,
    )
    lang = st.session_state["lang"]
    sb.selectbox(
        t("app.basemap", lang),
        ["osm", "light", "satellite", "none"],
        key="basemap",
        format_func=lambda k: t(f"basemap.{k}", lang),
    )
    sb.subheader(t("app.radii", lang))
    for post_type in PostType:
        sb.slider(
            label("post_type", post_type, lang),
            min_value=100,
            max_value=10_000,
            step=50,
            key=f"radius_{post_type}",
        )
    presets = available_presets(operation.settings)
    sb.selectbox(
        t("app.preset", lang),
        list(presets),
        key="preset",
        format_func=lambda name: presets[name].label,
    )
    sb.subheader(t("app.layers", lang))
    for key in LAYER_KEYS:
        sb.checkbox(layer_label(key, lang), key=f"layer_{key}")


def layer_label(key: str, lang: str) -> str:
    """Label of a layer toggle."""
    if key in {k.value for k in Kind}:
        return label("kind", key, lang)
    return t(f"layer.{key}", lang)


def render_banners(analysis: Analysis, lang: str) -> None:
    """Classification banner, title, and the warning when positions are not surveyed."""
    settings = analysis.settings
    st.markdown(
        '<div style="background:#b71c1c;color:#fff;text-align:center;font-weight:bold;'
        f'letter-spacing:.2em;padding:2px 0;border-radius:3px">'
        f"{escape_text(settings.classification)}</div>",
        unsafe_allow_html=True,
    )
    st.title(md(settings.title))
    quality = analysis.operation.sites[Col.LOCATION_QUALITY]
    rough = int(quality.isin([LocationQuality.APPROXIMATE, LocationQuality.SYNTHETIC]).sum())
    if settings.synthetic or (quality == LocationQuality.SYNTHETIC).any():
        st.warning(t("app.synthetic_banner", lang), icon="⚠️")
    elif rough:
        st.info(t("app.approximate_banner", lang, n=rough))


def render_metrics(analysis: Analysis, lang: str) -> None:
    """Headline figures: coverage, uncovered by risk class, demonstration points, staff."""
    kinds = analysis.by_kind()
    tps = kinds[Kind.POLLING_STATION]
    demo = kinds[Kind.DEMONSTRATION_POINT]
    by_risk = analysis.by_risk()
    cols = st.columns(4)
    cols[0].metric(
        t("metric.tps_covered", lang),
        format_share(tps.share, lang),
        help=t(
            "metric.of",
            lang,
            covered=format_int(tps.covered, lang),
            total=format_int(tps.total, lang),
        ),
    )
    cols[0].caption(
        t(
            "metric.of",
            lang,
            covered=format_int(tps.covered, lang),
            total=format_int(tps.total, lang),
        )
    )
    cols[1].metric(t("metric.uncovered_by_risk", lang), format_int(tps.uncovered, lang))
    cols[1].caption(
        " · ".join(
            f"{label('risk', risk, lang)} {format_int(by_risk[risk].uncovered, lang)}"
            for risk in Risk
        )
    )
    cols[2].metric(t("metric.demo_beyond", lang), f"{demo.uncovered} / {demo.total}")
    need = analysis.staffing
    cols[3].metric(t("metric.staff_needed", lang), format_int(need.polri, lang))
    cols[3].caption(
        t(
            "metric.staff_detail",
            lang,
            linmas=format_int(need.linmas, lang),
            preset=need.preset.label,
        )
    )


def render_map(analysis: Analysis, lang: str) -> None:
    """The map: base mounted once, overlays swapped on change; a click selects a site."""
    layers = [key for key in LAYER_KEYS if st.session_state[f"layer_{key}"]]
    parts = map_parts(analysis, lang=lang, basemap=st.session_state["basemap"], layers=layers)
    publish_once(tuple(map_assets(parts.base)))
    localize_assets(parts.base, static_base_url())
    result = st_folium(
        parts.base,
        key="map",
        height=620,
        use_container_width=True,
        feature_group_to_add=parts.overlays,
        layer_control=folium.LayerControl(collapsed=True),
        returned_objects=["last_object_clicked_tooltip"],
    )
    clicked = (result or {}).get("last_object_clicked_tooltip")
    site_id = parts.site_for_tooltip(clicked) if clicked else None
    if site_id:
        st.session_state["selected_site"] = site_id


@st.cache_resource(show_spinner=False)
def publish_once(assets: tuple[Asset, ...]) -> None:
    """Write the map's scripts and styles under static/ once per process and asset set."""
    publish_assets(STATIC_DIR, list(assets))


def static_base_url() -> str:
    """URL path where Streamlit serves the app's `static/` folder."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def render_selected(analysis: Analysis, lang: str) -> None:
    """Details of the site last clicked on the map."""
    st.subheader(t("app.selected", lang))
    site_id = st.session_state.get("selected_site")
    sites = analysis.operation.sites
    if not site_id or site_id not in set(sites[Col.SITE_ID]):
        st.caption(t("app.click_hint", lang))
        return
    row = sites[sites[Col.SITE_ID] == site_id].iloc[0]
    st.markdown(f"**{md(row[Col.NAME])}** — {md(label('kind', row[Col.KIND], lang))}")
    details = {
        t("col.site_id", lang): row[Col.SITE_ID],
        t("col.kind", lang): label("kind", row[Col.KIND], lang),
        t("col.tps_no", lang): row[Col.TPS_NO],
        t("col.kelurahan", lang): row[Col.KELURAHAN],
        t("col.kecamatan", lang): row[Col.KECAMATAN],
        t("col.risk", lang): label("risk", row[Col.RISK], lang)
        if isinstance(row[Col.RISK], str)
        else None,
        t("col.voters", lang): row[Col.VOTERS],
        t("col.location_quality", lang): label("quality", row[Col.LOCATION_QUALITY], lang),
    }
    targets = analysis.coverage.targets
    target = targets[targets[Col.SITE_ID] == site_id]
    if not target.empty:
        details[t("col.nearest_post", lang)] = target.iloc[0]["nearest_post_id"]
        details[t("col.distance_m", lang)] = format_distance(
            float(target.iloc[0]["nearest_post_m"]), lang
        )
    shown = {k: str(v) for k, v in details.items() if v is not None and not pd.isna(v)}
    st.table(
        pd.DataFrame({"": list(shown.values())}, index=list(shown)),
        border="horizontal",
        hide_header=True,
    )
    covering = analysis.coverage.covering_posts(site_id)
    if not covering.empty:
        st.caption(t("app.covering_posts", lang))
        st.dataframe(
            covering.rename(
                columns={"post_id": t("col.post", lang), "distance_m": t("col.distance_m", lang)}
            )
            .drop(columns=["target_id"])
            .round(0),
            hide_index=True,
            width="stretch",
        )


def uncovered_table(analysis: Analysis, lang: str) -> pd.DataFrame:
    """Uncovered polling stations as a display table."""
    gaps = analysis.uncovered_tps
    posts = analysis.coverage.posts
    names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    return pd.DataFrame(
        {
            t("col.tps_no", lang): gaps[Col.TPS_NO].to_numpy(),
            t("col.name", lang): gaps[Col.NAME].to_numpy(),
            t("col.kelurahan", lang): gaps[Col.KELURAHAN].to_numpy(),
            t("col.kecamatan", lang): gaps[Col.KECAMATAN].to_numpy(),
            t("col.risk", lang): [label("risk", r, lang) for r in gaps[Col.RISK]],
            t("col.voters", lang): gaps[Col.VOTERS].to_numpy(),
            t("col.nearest_post", lang): [names.get(p, p) for p in gaps["nearest_post_id"]],
            t("col.distance_m", lang): gaps["nearest_post_m"].round(0).to_numpy(),
        }
    )


def render_uncovered(analysis: Analysis, lang: str) -> None:
    """Sortable table of the polling stations no post reaches."""
    st.subheader(t("app.uncovered_table", lang))
    table = uncovered_table(analysis, lang)
    if table.empty:
        st.success(t("app.none_uncovered", lang))
        return
    st.dataframe(table, hide_index=True, width="stretch", key="uncovered_table")


def render_download(analysis: Analysis, lang: str) -> None:
    """The briefing download: the same file `posko brief` writes."""
    basemap = st.session_state["basemap"]

    def build() -> str:
        return briefing_html(
            analysis, lang=lang, basemap=basemap, exported_at=datetime.now().astimezone()
        )

    st.download_button(
        t("app.download_brief", lang),
        data=build,
        file_name=f"briefing-{analysis.operation.key}.html",
        mime="text/html",
        key="download_brief",
        on_click="ignore",
    )


def main() -> None:
    """Lay out the page for the current session state."""
    st.set_page_config(page_title="Posko", layout="wide", page_icon="🛡️")
    operations = discover_operations(*operation_roots())
    init_state(operations)
    lang = st.session_state["lang"]
    st.sidebar.selectbox(t("app.operation", lang), list(operations), key="operation")
    path = operations[st.session_state["operation"]]
    try:
        operation = cached_operation(str(path), operation_signature(path))
        reset_radii(operation)
        render_sidebar(operations, operation)
        lang = st.session_state["lang"]
        radii = tuple((str(p), float(st.session_state[f"radius_{p}"])) for p in PostType)
        analysis = cached_analysis(
            str(path), operation_signature(path), radii, st.session_state["preset"]
        )
    except PoskoError as exc:
        st.error(t("app.error", lang, error=str(exc)))
        return
    render_banners(analysis, lang)
    render_metrics(analysis, lang)
    map_col, side_col = st.columns([3, 1])
    with map_col:
        render_map(analysis, lang)
    with side_col:
        render_selected(analysis, lang)
        render_download(analysis, lang)
    render_uncovered(analysis, lang)


main()
