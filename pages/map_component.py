"""The map component's arguments, rendered in parts that can be kept and reused.

`st_folium` renders a map and every overlay to Leaflet script on each call: for a
province-sized plan that was most of a viewer's server time, the same text for every tab
showing the same plan as saved. Here the same steps (streamlit-folium's own helpers, pinned
version) are split: `render_base` renders the map without its overlays, `render_overlays`
a run of overlays at their place in the list, and `show_map` sends them through the
streamlit-folium component exactly as `st_folium` would. A rendered part is plain text, so
the map page keeps one per process and shares it across sessions; the folium objects are
never touched again (no lock while they render into another map).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf

__all__ = ["RenderedBase", "RenderedOverlays", "render_base", "render_overlays", "show_map"]

_DEFAULTS = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
    "last_object_clicked_popup",
    "all_drawings",
    "last_active_drawing",
    "bounds",
    "zoom",
    "last_circle_radius",
    "last_circle_polygon",
    "selected_layers",
    "selected_tags",
    "last_geocoder_result",
)


@dataclass(frozen=True)
class RenderedBase:
    """A map rendered without its overlays: what the component gets for it.

    Attributes
    ----------
    script, header, html, map_id
        The map's Leaflet script, its header (styles, inline scripts), its body and id.
    key
        The component's key (streamlit-folium's hash of the script and the widget key):
        the same map gives the same key, so the browser keeps its view across runs.
    bounds, zoom
        The map's bounds and zoom as the component's initial value reports them.
    css, js
        The stylesheets and scripts its elements link, in load order.
    """

    script: str
    header: str
    html: str
    map_id: str
    key: str
    bounds: tuple
    zoom: object
    css: tuple[str, ...]
    js: tuple[str, ...]


@dataclass(frozen=True)
class RenderedOverlays:
    """A run of overlays rendered at their place in the component's list."""

    script: str
    css: tuple[str, ...] = ()
    js: tuple[str, ...] = ()


def _links(elements: Iterable[object]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The stylesheets and scripts `elements` (and what they hold) link, as st_folium lists
    them."""
    css: list[str] = []
    js: list[str] = []

    def walk(element: object) -> None:
        if isinstance(element, branca.colormap.ColorMap):
            js.insert(0, "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js")
            js.insert(0, "https://d3js.org/d3.v4.min.js")
        if isinstance(element, folium.elements.JSCSSMixin | branca.colormap.ColorMap):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    for element in elements:
        walk(element)
    return tuple(css), tuple(js)


def render_base(m: folium.Map, key: str, *, return_on_hover: bool = False) -> RenderedBase:
    """Render a map (no overlays) as `st_folium(m, key=key)` would; `m` is changed by it."""
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    try:
        bounds = m.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    css, js = _links([m])
    return RenderedBase(
        script=script,
        header=header,
        html=html,
        map_id=sf.get_full_id(m),
        key=sf.generate_js_hash(script, key, return_on_hover),
        bounds=tuple(tuple(corner) for corner in bounds),
        zoom=m.options.get("zoom") if hasattr(m, "options") else {},
        css=css,
        js=js,
    )


def render_overlays(overlays: Sequence[folium.FeatureGroup], start: int = 0) -> RenderedOverlays:
    """Render `overlays` as the component's overlays number `start`, `start` + 1, …

    Each is rendered into a map of its own (its script names the app's map `map_div`, as
    in `st_folium`); the overlays are changed by it (id, parent).
    """
    if not overlays:
        return RenderedOverlays("")
    frame = folium.Map(tiles=None)
    script = "".join(
        sf._get_feature_group_string(overlay, map=frame, idx=start + i)
        for i, overlay in enumerate(overlays)
    )
    css, js = _links(overlays)
    return RenderedOverlays(script, css, js)


def _bounds_value(bounds: tuple) -> dict[str, dict[str, float]]:
    southwest, northeast = bounds
    return {
        "_southWest": {"lat": southwest[0], "lng": southwest[1]},
        "_northEast": {"lat": northeast[0], "lng": northeast[1]},
    }


def show_map(
    base: RenderedBase,
    overlays: Sequence[RenderedOverlays],
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    on_change: Callable[[], None] | None = None,
) -> dict | None:
    """Draw the map with its overlays, full width, as `st_folium(..., key=key,
    use_container_width=True, feature_group_to_add=...)` would; what the map reported.

    The component's value is also kept under `key` in the session state, as st_folium does.
    """
    initial = {name: None for name in _DEFAULTS}
    initial["bounds"] = _bounds_value(base.bounds)
    initial["zoom"] = base.zoom
    defaults = {name: value for name, value in initial.items() if name in returned_objects}
    css = list(dict.fromkeys([*base.css, *(c for o in overlays for c in o.css)]))
    js = list(dict.fromkeys([*base.js, *(s for o in overlays for s in o.js)]))

    def _changed() -> None:
        st.session_state[key] = st.session_state.get(base.key, {})
        if on_change is not None:
            on_change()

    return sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=base.key,
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default=defaults,
        zoom=zoom,
        center=center,
        feature_group="".join(o.script for o in overlays) if overlays else None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=css,
        js_links=js,
        on_change=_changed,
        wrap_longitude=False,
    )
