"""Posko — the Streamlit app: page layout and session state only; no geometry here."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import Analysis, analyse
from geo.errors import PoskoError
from geo.fields import MAPPABLE, CoordinateColumns
from geo.importer import (
    ImportChoices,
    ImportContext,
    ImportReport,
    Severity,
    apply_fix,
    import_table,
)
from geo.io import SUPPORTED_SUFFIXES, RawTable, read_error, read_table
from geo.model import Col, Kind, LocationQuality, PostType, Risk
from geo.operation import (
    SAMPLE_OPERATION,
    Operation,
    discover_operations,
    load_operation,
    operation_signature,
    save_sites,
    store_for,
)
from geo.staffing import available_presets, preset_from_table, resolve_preset
from geo.text import (
    LANGUAGES,
    format_distance,
    format_int,
    format_share,
    label,
    localized,
    t,
)
from layers.assets import Asset, localize_assets, map_assets, publish_assets
from layers.elements import escape_text
from layers.export import briefing_html
from layers.mapview import LAYER_KEYS, map_parts
from layers.preview import preview_map

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
    path: str,
    signature: tuple,
    radii: tuple[tuple[str, float], ...],
    preset: tuple,
    weights: tuple[tuple[str, float], ...],
) -> Analysis:
    """Analyse an operation; a radius, weight or preset change reuses the loaded files.

    `preset` is (name, edited rows, minimum Polri); the rows are empty when unedited.
    """
    operation = cached_operation(path, signature)
    name, rows, min_polri = preset
    chosen = resolve_preset(operation.settings, name)
    if rows:
        chosen = preset_from_table(chosen, {Risk(r): v for r, *v in rows}, min_polri=min_polri)
    return analyse(
        operation,
        radius_m={PostType(k): v for k, v in radii},
        preset=chosen,
        risk_weights={Risk(k): v for k, v in weights},
    )


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
        "view": "map",
        **{f"layer_{key}": True for key in LAYER_KEYS},
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    keep_map_choices()


def keep_map_choices() -> None:
    """Keep the map page's choices while another page is shown.

    Streamlit forgets the value of a widget that a run does not draw; writing the values
    back at the start of each run keeps radii, weights, layers and preset across pages.
    """
    prefixes = ("radius_", "weight_", "layer_")
    for key in list(st.session_state.keys()):
        if key.startswith(prefixes) or key in ("preset", "preset_min_polri", "area_level"):
            st.session_state[key] = st.session_state[key]


def remember_preset_edits() -> None:
    """Copy the preset table's edits to a key that outlives the table widget."""
    st.session_state["preset_edits"] = st.session_state.get("preset_editor") or {}


def reset_radii(operation: Operation) -> None:
    """Start the radius sliders from the operation's settings when the operation changes."""
    if st.session_state.get("radii_for") == operation.key:
        return
    for post_type in PostType:
        st.session_state[f"radius_{post_type}"] = int(operation.settings.radius_m[post_type])
    st.session_state["preset"] = operation.settings.staffing_preset
    for risk in Risk:
        st.session_state[f"weight_{risk}"] = float(operation.settings.risk_weights[risk])
    st.session_state.pop("preset_editor", None)
    st.session_state["preset_edits"] = {}
    st.session_state["preset_min_polri"] = resolve_preset(
        operation.settings, operation.settings.staffing_preset
    ).min_polri
    st.session_state["radii_for"] = operation.key
    st.session_state["selected_site"] = None


def render_sidebar(operation: Operation) -> None:
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
    if st.session_state["view"] != "map":
        return
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
    with sb.expander(t("app.weights", lang)):
        for risk in Risk:
            st.number_input(
                label("risk", risk, lang),
                min_value=0.0,
                max_value=100.0,
                step=0.5,
                key=f"weight_{risk}",
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
    cols[0].caption(t("metric.weighted", lang, score=format_share(analysis.weighted_score(), lang)))
    cols[3].metric(t("metric.staff_needed", lang), format_int(need.polri, lang))
    cols[3].caption(
        t(
            "metric.staff_detail",
            lang,
            tps=format_int(need.tps_polri, lang),
            warehouses=format_int(need.total("warehouses"), lang),
            linmas=format_int(need.linmas, lang),
            shortfall=format_int(need.total("shortfall"), lang),
            preset=need.preset.label,
        )
    )


def render_map(analysis: Analysis, lang: str) -> None:
    """The map: base mounted once, overlays swapped on change; a click selects a site."""
    layers = [key for key in LAYER_KEYS if st.session_state[f"layer_{key}"]]
    parts = map_parts(analysis, lang=lang, basemap=st.session_state["basemap"], layers=layers)
    serve_offline(parts.base)
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


def serve_offline(m: folium.Map) -> None:
    """Point the map's scripts and styles at files the app serves itself (no CDN)."""
    publish_once(tuple(map_assets(m)))
    localize_assets(m, static_base_url())


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
    posts = analysis.coverage.posts
    post_names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    post = posts[posts[Col.SITE_ID] == site_id]
    if not post.empty:
        p = post.iloc[0]
        details[t("col.post_type", lang)] = label("post_type", p[Col.POST_TYPE], lang)
        details[t("col.radius_m", lang)] = format_int(p["radius_used_m"], lang)
        details[t("col.personnel", lang)] = p[Col.PERSONNEL]
        details[t("col.tps_reached", lang)] = format_int(p["n_covered"], lang)
        details[t("col.catchment", lang)] = format_int(p["n_catchment"], lang)
    if not target.empty:
        post_id = target.iloc[0]["nearest_post_id"]
        details[t("col.nearest_post", lang)] = post_names.get(post_id, post_id)
        details[t("col.distance", lang)] = format_distance(
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
            pd.DataFrame(
                {
                    t("col.post", lang): [post_names.get(p, p) for p in covering["post_id"]],
                    t("col.distance_m", lang): covering["distance_m"].round(0).to_numpy(),
                }
            ),
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
    st.sidebar.radio(
        t("app.view", lang),
        ["map", "import"],
        key="view",
        format_func=lambda v: t(f"view.{v}", lang),
    )
    path = operations[st.session_state["operation"]]
    try:
        signature = operation_signature(path)
        operation = cached_operation(str(path), signature)
        reset_radii(operation)
        render_sidebar(operation)
        lang = st.session_state["lang"]
        radii = tuple((str(p), float(st.session_state[f"radius_{p}"])) for p in PostType)
        weights = tuple((str(r), float(st.session_state[f"weight_{r}"])) for r in Risk)
        analysis = cached_analysis(str(path), signature, radii, preset_choice(operation), weights)
    except PoskoError as exc:
        st.error(t("app.error", lang, error=localized(exc, lang)))
        return
    render_banners(analysis, lang)
    if st.session_state["view"] == "import":
        render_import(operation, lang)
        return
    render_metrics(analysis, lang)
    map_col, side_col = st.columns([3, 1])
    with map_col:
        render_map(analysis, lang)
    with side_col:
        render_selected(analysis, lang)
        render_download(analysis, lang)
    render_uncovered(analysis, lang)
    render_areas(analysis, lang)
    render_staffing(analysis, lang)


# --- staffing and per-area figures -----------------------------------------------------

_PRESET_FIELDS = ("polri", "tps", "linmas")


def preset_table(operation: Operation) -> pd.DataFrame:
    """The chosen preset as an editable table: one row per risk class."""
    preset = resolve_preset(operation.settings, st.session_state["preset"])
    rows = [
        {"risk": risk.value, **{f: getattr(preset.group_for(risk), f) for f in _PRESET_FIELDS}}
        for risk in Risk
    ]
    return pd.DataFrame(rows)


def preset_choice(operation: Operation) -> tuple:
    """(preset name, edited rows, minimum Polri) from the widgets, as a cache key.

    The table editor keeps only its edits in the session; they are applied to the preset's
    own table here, so the figures above the editor use them in the same run.
    """
    name = st.session_state["preset"]
    edits = (st.session_state.get("preset_edits") or {}).get("edited_rows", {})
    base = resolve_preset(operation.settings, name)
    min_polri = int(st.session_state.get("preset_min_polri") or base.min_polri)
    if not edits and min_polri == base.min_polri:
        return (name, (), base.min_polri)
    table = preset_table(operation)
    for row, changes in edits.items():
        for column, value in changes.items():
            if column in _PRESET_FIELDS and value is not None:
                table.loc[int(row), column] = int(value)
    rows = tuple(
        (r["risk"], *(int(r[f]) for f in _PRESET_FIELDS)) for r in table.to_dict("records")
    )
    return (name, rows, min_polri)


def render_staffing(analysis: Analysis, lang: str) -> None:
    """Staffing panel: the preset (editable), totals, need and shortfall per area, CSV."""
    st.subheader(t("staff.title", lang))
    plan = analysis.staffing
    cols = st.columns(5)
    cols[0].metric(t("staff.polri", lang), format_int(plan.polri, lang))
    cols[1].metric(t("staff.linmas", lang), format_int(plan.linmas, lang))
    cols[2].metric(t("staff.tni", lang), format_int(plan.tni, lang))
    cols[3].metric(t("staff.available", lang), format_int(plan.total("available"), lang))
    cols[4].metric(t("staff.shortfall", lang), format_int(plan.total("shortfall"), lang))
    st.caption(t("staff.note", lang, escort=format_int(plan.total("escort_polri"), lang)))
    with st.expander(t("staff.preset_table", lang, preset=plan.preset.label)):
        st.data_editor(
            preset_table(analysis.operation),
            key="preset_editor",
            on_change=remember_preset_edits,
            hide_index=True,
            disabled=["risk"],
            column_config={
                "risk": st.column_config.TextColumn(t("col.risk", lang)),
                "polri": st.column_config.NumberColumn(
                    t("staff.per_group_polri", lang), min_value=0, step=1
                ),
                "tps": st.column_config.NumberColumn(
                    t("staff.per_group_tps", lang), min_value=1, step=1
                ),
                "linmas": st.column_config.NumberColumn(
                    t("staff.per_group_linmas", lang), min_value=0, step=1
                ),
            },
        )
        st.number_input(
            t("staff.min_polri", lang), min_value=1, max_value=10, step=1, key="preset_min_polri"
        )
    table = plan.table()
    shown = table.drop(columns=["area_code"]).rename(
        columns={c: t(f"staff.col.{c}", lang) for c in table.columns if c != "area_code"}
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="staffing_table")
    st.download_button(
        t("staff.download", lang),
        data=table.to_csv(index=False),
        file_name=f"personel-{analysis.operation.key}.csv",
        mime="text/csv",
        key="staffing_csv",
        on_click="ignore",
    )


def render_areas(analysis: Analysis, lang: str) -> None:
    """Coverage per area, at the level the planner picks."""
    levels = list(analysis.site_areas)
    if not levels:
        return
    st.subheader(t("app.by_area", lang))
    level = st.selectbox(t("app.area_level", lang), levels, key="area_level")
    names = analysis.area_names()
    rows = [
        {
            t("col.area", lang): t("app.outside", lang)
            if code == "outside"
            else names.get(code, code),
            t("col.total", lang): v.total,
            t("col.covered", lang): v.covered,
            t("col.uncovered", lang): v.uncovered,
            "%": round(100 * v.share, 1),
        }
        for code, v in analysis.by_area(level).items()
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="area_table")


# --- import page -------------------------------------------------------------------------

_IMPORT_KEYS = (
    "imp_layer",
    "imp_kind",
    "imp_crs",
    "imp_swap",
    "imp_row_fixes",
    "imp_strict",
    "imp_coord_mode",
    "imp_x",
    "imp_y",
    "imp_pair",
    "imp_wkt",
    *(f"imp_map_{f}" for f in MAPPABLE),
)
_AUTO, _NONE = "__auto__", "__none__"


def keep_upload(upload, limit_mb: float) -> Path:
    """Write a newly uploaded file to a private temporary folder (once per upload)."""
    if st.session_state.get("imp_file_id") == upload.file_id:
        return Path(st.session_state["imp_path"])
    data = upload.getvalue()
    if len(data) > limit_mb * 1e6:
        raise read_error(
            "read.too_large",
            file=upload.name,
            size=f"{len(data) / 1e6:.1f} MB",
            limit=f"{limit_mb:g} MB",
        )
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(tempfile.gettempdir()) / "posko-uploads" / digest[:32]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^\w.\- ]", "_", Path(upload.name).name) or "upload")
    path.write_bytes(data)
    for key in _IMPORT_KEYS:
        st.session_state.pop(key, None)
    st.session_state.update(
        imp_file_id=upload.file_id, imp_path=str(path), imp_sha=digest, imp_saved=None
    )
    return path


@st.cache_data(show_spinner=False, max_entries=4)
def cached_raw(path: str, name: str, layer: str | None) -> RawTable:
    """Read an uploaded file once per layer."""
    return read_table(Path(path), layer=layer, name=name)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_import(
    path: str, name: str, choices: ImportChoices, op_path: str, op_signature: tuple
) -> ImportReport:
    """Check an uploaded file under the planner's current choices and the operation's context."""
    operation = cached_operation(op_path, op_signature)
    raw = cached_raw(path, name, choices.layer)
    return import_table(raw, choices, ImportContext.for_operation(operation))


def import_choices(raw: RawTable, lang: str) -> ImportChoices:
    """Widgets for the planner's choices; returns them (hashable: a cache key)."""
    columns = [str(c) for c in raw.attributes.columns]
    cols = st.columns(3)
    kinds = ["", *(k.value for k in Kind)]
    cols[0].selectbox(
        t("imp.kind", lang),
        kinds,
        key="imp_kind",
        format_func=lambda k: label("kind", k, lang) if k else t("imp.kind_column", lang),
    )
    cols[1].text_input(t("imp.crs", lang), key="imp_crs")
    with cols[2]:
        st.checkbox(t("imp.swap", lang), key="imp_swap")
        st.checkbox(t("imp.row_fixes", lang), key="imp_row_fixes")
        st.checkbox(t("imp.strict", lang), key="imp_strict")
    coordinates = None
    if raw.geometry is None:
        coordinates = coordinate_choice(columns, lang)
    mapping: dict[str, str | None] = {}
    with st.expander(t("imp.mapping", lang)):
        grid = st.columns(3)
        for i, canonical in enumerate(MAPPABLE):
            choice = grid[i % 3].selectbox(
                t(f"col.{canonical}", lang),
                [_AUTO, _NONE, *columns],
                key=f"imp_map_{canonical}",
                format_func=lambda c: (
                    t("imp.auto", lang) if c == _AUTO else t("imp.none", lang) if c == _NONE else c
                ),
            )
            if choice != _AUTO:
                mapping[canonical] = None if choice == _NONE else choice
    state = st.session_state
    return ImportChoices(
        kind=Kind(state["imp_kind"]) if state["imp_kind"] else None,
        crs=state["imp_crs"],
        layer=state.get("imp_layer"),
        mapping=tuple(mapping.items()),
        coordinates=CoordinateColumns(**dict(coordinates)) if coordinates else None,
        swap_axes=state["imp_swap"],
        row_fixes=state["imp_row_fixes"],
        strict=state["imp_strict"],
    )


def coordinate_choice(columns: list[str], lang: str) -> tuple | None:
    """Coordinate columns: automatic, or two columns, one "lat, lon" column, or WKT."""
    modes = ["auto", "xy", "pair", "wkt"]
    mode = st.radio(
        t("imp.coords", lang),
        modes,
        key="imp_coord_mode",
        horizontal=True,
        format_func=lambda m: {
            "auto": t("imp.auto", lang),
            "xy": f"{t('imp.coord_x', lang)} + {t('imp.coord_y', lang)}",
            "pair": t("imp.coord_pair", lang),
            "wkt": t("imp.coord_wkt", lang),
        }[m],
    )
    if mode == "auto" or not columns:
        return None
    if mode == "xy":
        cols = st.columns(2)
        x = cols[0].selectbox(t("imp.coord_x", lang), columns, key="imp_x")
        y = cols[1].selectbox(t("imp.coord_y", lang), columns, key="imp_y")
        return (("x", x), ("y", y))
    if mode == "pair":
        return (("pair", st.selectbox(t("imp.coord_pair", lang), columns, key="imp_pair")),)
    return (("wkt", st.selectbox(t("imp.coord_wkt", lang), columns, key="imp_wkt")),)


def apply_fix_choice(fix_id: str) -> None:
    """Button callback: set the widgets a one-click fix stands for."""
    choices = apply_fix(ImportChoices(), fix_id)
    if choices.crs:
        st.session_state["imp_crs"] = choices.crs
    st.session_state["imp_swap"] = st.session_state.get("imp_swap") or choices.swap_axes
    st.session_state["imp_row_fixes"] = st.session_state.get("imp_row_fixes") or choices.row_fixes


def render_report(report: ImportReport, lang: str) -> None:
    """Counts, file-level findings, offered fixes and the filterable per-row report."""
    counts = report.counts
    cols = st.columns(3)
    cols[0].metric(t("imp.rows_read", lang), format_int(counts["rows_read"], lang))
    cols[1].metric(t("imp.accepted", lang), format_int(counts["accepted"], lang))
    cols[2].metric(t("imp.rejected", lang), format_int(counts["rejected"], lang))
    show = {Severity.ERROR: st.error, Severity.WARNING: st.warning, Severity.INFO: st.info}
    for issue in (i for i in report.issues if i.row is None):
        text = issue.message(lang) + (f" — {issue.fix(lang)}" if issue.fix_text else "")
        show[issue.severity](md(text))
    if report.fixes:
        st.caption(t("imp.fixes", lang))
        for fix in report.fixes:
            st.button(
                fix.label(lang), key=f"fix_{fix.id}", on_click=apply_fix_choice, args=(fix.id,)
            )
    rows = [i.as_dict(lang) for i in report.issues if i.row is not None]
    if not rows:
        return
    st.subheader(t("imp.report", lang))
    table = pd.DataFrame(rows)
    cols = st.columns(2)
    severities = cols[0].multiselect(
        t("imp.filter_severity", lang),
        [s.value for s in Severity],
        default=[Severity.ERROR.value, Severity.WARNING.value],
        key="imp_filter_severity",
        format_func=lambda s: t(f"sev.{s}", lang),
    )
    codes = cols[1].multiselect(
        t("imp.filter_code", lang), sorted(table["code"].unique()), key="imp_filter_code"
    )
    shown = table[table["severity"].isin(severities)]
    if codes:
        shown = shown[shown["code"].isin(codes)]
    shown = shown.drop(columns=["fix_id"]).assign(
        severity=shown["severity"].map(lambda s: t(f"sev.{s}", lang)),
        column=shown["column"].fillna(""),
    )
    st.dataframe(
        shown.rename(columns={c: t(f"col.{c}", lang) for c in shown.columns}),
        hide_index=True,
        width="stretch",
        key="imp_issue_table",
    )


def render_save(operation: Operation, report: ImportReport, lang: str) -> None:
    """Save the accepted rows into the operation's workspace as a new version."""
    if report.accepted.empty:
        st.warning(t("imp.nothing", lang))
        return
    st.radio(
        t("imp.mode", lang),
        ["merge", "replace"],
        key="imp_mode",
        horizontal=True,
        format_func=lambda m: t(f"imp.mode_{m}", lang),
    )
    st.text_input(t("imp.who", lang), key="imp_who")
    if st.button(t("imp.save", lang), type="primary", key="imp_save"):
        try:
            version = save_sites(
                operation,
                report.accepted,
                replace_kinds=st.session_state["imp_mode"] == "replace",
                file_name=report.file_name,
                sha256=st.session_state.get("imp_sha", ""),
                counts=report.counts,
                who=st.session_state.get("imp_who", ""),
            )
        except PoskoError as exc:
            st.error(localized(exc, lang))
            return
        st.session_state["imp_saved"] = t(
            "imp.saved", lang, version=version.version, sites=format_int(version.sites, lang)
        )
        st.rerun()


def render_history(operation: Operation, lang: str) -> None:
    """Saved versions, and restoring an earlier one."""
    store = store_for(operation.path)
    versions = store.history()
    if not versions:
        return
    with st.expander(t("imp.history", lang)):
        st.dataframe(
            pd.DataFrame([v.__dict__ for v in versions]).drop(columns=["layer"]),
            hide_index=True,
            width="stretch",
        )
        older = [v.version for v in versions[:-1]]
        if older:
            chosen = st.selectbox(t("imp.rollback", lang), older, key="imp_rollback_version")
            if st.button(t("imp.rollback", lang), key="imp_rollback"):
                version = store.rollback(chosen, who=st.session_state.get("imp_who", ""))
                st.session_state["imp_saved"] = t(
                    "imp.rolled_back", lang, old=chosen, version=version.version
                )
                st.rerun()


def render_import(operation: Operation, lang: str) -> None:
    """Upload, choices, report with fixes, preview map, rejected rows, save."""
    st.header(t("imp.title", lang))
    if st.session_state.get("imp_saved"):
        st.success(st.session_state["imp_saved"])
    # a lone .shp cannot be read without its .dbf/.shx/.prj: shapefiles come zipped
    suffixes = [s.lstrip(".") for s in SUPPORTED_SUFFIXES if s != ".shp"]
    upload = st.file_uploader(t("imp.upload", lang), type=suffixes, key="imp_upload")
    render_history(operation, lang)
    if upload is None:
        st.info(t("imp.hint", lang))
        return
    try:
        path = keep_upload(upload, operation.settings.max_upload_mb)
        raw = cached_raw(str(path), upload.name, st.session_state.get("imp_layer"))
        if len(raw.layers) > 1:
            st.selectbox(t("imp.layer", lang), raw.layers, key="imp_layer")
        choices = import_choices(raw, lang)
        report = cached_import(
            str(path),
            upload.name,
            choices,
            str(operation.path),
            operation_signature(operation.path),
        )
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    render_report(report, lang)
    if not report.accepted.empty:
        st.subheader(t("imp.preview", lang))
        preview = preview_map(report.accepted, lang=lang, basemap=st.session_state["basemap"])
        serve_offline(preview)
        st_folium(
            preview, key="preview_map", height=420, use_container_width=True, returned_objects=[]
        )
    if not report.rejected.empty:
        st.download_button(
            t("imp.download_rejected", lang),
            data=report.rejected_csv(),
            file_name=f"rejected-{Path(report.file_name).stem}.csv",
            mime="text/csv",
            key="imp_download_rejected",
            on_click="ignore",
        )
    render_save(operation, report, lang)


main()
