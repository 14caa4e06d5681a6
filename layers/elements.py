"""Compact Leaflet layers for many sites: one data array, client-side drawing, escaped text.

A folium `Marker` per site costs about 1 ms and 1 KB each; these layers carry one array of
coordinates, style indices and pre-escaped tooltips, and draw circle markers on a canvas
(or small SVG icons for the few sites that need a symbol).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from folium.map import FeatureGroup
from folium.template import Template

__all__ = [
    "NO_TOOLTIPS",
    "Coded",
    "SelectedSite",
    "ShapeLayer",
    "SiteLayer",
    "SiteStyle",
    "Tooltips",
    "coded",
    "coordinates",
    "escape_text",
    "escape_texts",
    "js_literal",
    "sites_runtime",
]


def js_literal(value: Any) -> str:
    """A JSON literal safe to place inside an inline <script>.

    `<`, `>` and `&` are written as unicode escapes so that no value (a site name such as
    "</script><script>…") can close the script element or open a comment.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def sites_runtime() -> str:
    """The browser side every site layer shares (`PoskoSites`: a site's tooltip and
    marker), inlined with each layer (it defines itself once per page at run time)."""
    return (Path(__file__).parent / "templates" / "posko_sites.js").read_text(encoding="utf-8")


_SPECIAL = re.compile(r"[&<>\"']")


def escape_text(value: object) -> str:
    """HTML-escape any value for use as text or inside a quoted attribute."""
    text = "" if value is None else str(value)
    # most values (a province's 120,000 names and ids) hold nothing to escape
    return html.escape(text, quote=True) if _SPECIAL.search(text) else text


def escape_texts(values: np.ndarray) -> np.ndarray:
    """:func:`escape_text` of many texts (an object array of str): those holding nothing to
    escape, most of a province's names and ids, are found in one pass and kept."""
    if not all(isinstance(v, str) for v in values):  # as escape_text reads any value
        values = np.array(["" if v is None else str(v) for v in values], dtype=object)
    out = np.array(values, dtype=object)
    if not len(values):
        return out
    found = pc.match_substring_regex(pa.array(values, type=pa.string()), _SPECIAL.pattern)
    special = found.to_numpy(zero_copy_only=False).astype(bool)
    out[special] = [html.escape(v, quote=True) for v in values[special]]
    return out


def coordinates(values: Sequence[float]) -> np.ndarray:
    """Degrees rounded to 6 decimals (about 0.1 m), as the map ships them."""
    return np.round(np.asarray(values, dtype=float), 6)


@dataclass(frozen=True, eq=False)
class Coded(Sequence[str]):
    """Per-site text as a code per site into its distinct texts: a province's 120,000 TPS
    hold a few hundred kelurahan, voter counts and distances, so each text is worked out,
    escaped and shipped once, and the per-site part stays a numpy array.

    Attributes
    ----------
    codes
        Per site, the index of its text in `uniques` (integers, no negative).
    uniques
        The texts (an object array of str; duplicates allowed).
    """

    codes: np.ndarray
    uniques: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [str(v) for v in self.uniques[self.codes[i]]]
        return str(self.uniques[self.codes[i]])

    def texts(self) -> np.ndarray:
        """Every site's text (an object array)."""
        return self.uniques[self.codes]


def coded(values: Sequence[str] | np.ndarray | Coded) -> Coded:
    """`values` (texts) as :class:`Coded`: distinct texts in order of first appearance."""
    if isinstance(values, Coded):
        return values
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return Coded(codes, np.asarray(uniques, dtype=object))


_SLOT = re.compile(r"\{([A-Za-z0-9_]+)\}")


@dataclass(frozen=True)
class Tooltips:
    """Tooltips and search keys of a layer's sites, as templates over text columns.

    Each tooltip line is a template whose ``{slot}`` references are filled, per site, from
    `slots`; empty lines are left out and the first line is bold. The same text is composed
    here (for recognising a clicked site by its tooltip text) and in the browser, from
    pre-escaped, dictionary-encoded columns that cost a few bytes per site.

    Attributes
    ----------
    lines
        Line templates (plain text) such as "Pos terdekat: {post}, {dist}".
    slots
        Plain-text value per site for each slot name.
    search
        Template of the search key (plain text); "" leaves the sites out of the search.
    ref
        Template of a reference (the site id) the tooltip carries in a hidden element: not
        shown, but part of its text, so a clicked tooltip still names its site.
    """

    lines: tuple[str, ...]
    slots: Mapping[str, Sequence[str]]
    search: str = ""
    ref: str = ""

    def _fill(self, template: str, i: int) -> str:
        return _SLOT.sub(lambda m: self.slots[m.group(1)][i], template)

    def lines_of(self, i: int) -> list[str]:
        """The non-empty plain-text lines of site `i`."""
        return [line for line in (self._fill(t, i) for t in self.lines) if line]

    def text_of(self, i: int) -> str:
        """What a browser reads as site `i`'s tooltip text (``textContent``, the hidden
        reference included)."""
        return ("".join(self.lines_of(i)) + self._fill(self.ref, i)).strip()

    def texts(self, n: int) -> list[str]:
        """:meth:`text_of` each of the first `n` sites."""
        return [self.text_of(i) for i in range(n)]

    def encoded(self, *, arrays: bool = False) -> dict[str, Any]:
        """Escaped templates and columns; repetitive columns dictionary-encoded (``u``:
        the distinct texts, ``i``: each site's index into them), the others written out
        (``v``). With `arrays`, the indices stay a numpy array (for a binary payload)."""
        columns: dict[str, Any] = {}
        for name, values in self.slots.items():
            column = coded(values)
            # each distinct text escaped once; escaping keeps distinct texts distinct
            escaped = escape_texts(column.uniques)
            if len(escaped) * 2 < len(column):
                codes = column.codes if arrays else column.codes.tolist()
                columns[name] = {"u": escaped.tolist(), "i": codes}
            else:
                columns[name] = {"v": escaped[column.codes].tolist()}
        return {
            "lines": [escape_text(line) for line in self.lines],
            "search": escape_text(self.search),
            "ref": escape_text(self.ref),
            "columns": columns,
        }


NO_TOOLTIPS = Tooltips(lines=(), slots={})


@dataclass(frozen=True)
class SiteStyle:
    """How one category of site is drawn.

    Either a circle marker (`radius`, `color`, `fill_color`, `weight`, `dash`) on the
    canvas, or an inline SVG `icon` of `size` pixels (for the few sites with a symbol).
    """

    color: str
    fill_color: str = ""
    radius: float = 6.0
    weight: float = 1.0
    fill_opacity: float = 0.9
    dash: str = ""
    icon: str = ""
    size: int = 22
    interactive: bool = True

    def as_options(self) -> dict[str, Any]:
        """Leaflet options of this style."""
        if self.icon:
            return {"icon": self.icon, "size": self.size}
        options: dict[str, Any] = {
            "radius": self.radius,
            "color": self.color,
            "fillColor": self.fill_color or self.color,
            "weight": self.weight,
            "fillOpacity": self.fill_opacity,
            "interactive": self.interactive,
        }
        if self.dash:
            options["dashArray"] = self.dash
        return options


class SiteLayer(FeatureGroup):
    """A toggleable layer of point sites built client-side from one compact array.

    Parameters
    ----------
    name
        Layer name in the layer control (plain text; escaped here).
    kind
        Site kind, stored on every drawn marker (`options.kind`) for tests and tools.
    styles
        The styles the sites refer to by index.
    lat, lon
        Coordinates in degrees, EPSG:4326.
    style
        Index into `styles` per site.
    tooltips
        Tooltip lines and search key templates over per-site text columns.
    site_ids
        Site id per site; available to templates as the slot ``{id}``.
    role
        "site" for the sites themselves, "highlight" for overlays drawn over them.
    show
        Whether the layer is on when the map opens.
    """

    _template = Template(
        r"""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        {{ this.runtime }}
        (function(group) {
            var d = {{ this.data_js }};
            var styles = {{ this.styles_js }};
            var tips = {{ this.tips_js }};
            var text = window.PoskoSites.texts(tips);
            var renderer = L.canvas({padding: 0.5});
            for (var i = 0; i < d.lat.length; i++) {
                group.addLayer(window.PoskoSites.marker(text, i, [d.lat[i], d.lon[i]],
                    styles[d.style[i]], {{ this.kind_js }}, {{ this.role_js }}, renderer));
            }
            // the search control looks through every registered group on the map
            window.PoskoSearch = window.PoskoSearch || {groups: {}};
            window.PoskoSearch.groups['{{ this.get_name() }}'] = group;
        })({{ this.get_name() }});
        {% if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        name: str,
        *,
        kind: str,
        styles: Sequence[SiteStyle],
        lat: Sequence[float],
        lon: Sequence[float],
        style: Sequence[int],
        site_ids: Sequence[str],
        tooltips: Tooltips = NO_TOOLTIPS,
        role: str = "site",
        show: bool = True,
    ) -> None:
        super().__init__(name=escape_text(name), show=show)
        data = {
            "lat": coordinates(lat),
            "lon": coordinates(lon),
            "style": np.asarray(style, dtype=np.int64),
        }
        self.site_ids = [str(s) for s in site_ids]
        # the site id travels once, as the tooltip column "id"
        tooltips = Tooltips(
            tooltips.lines,
            {**tooltips.slots, "id": self.site_ids},
            tooltips.search,
            tooltips.ref,
        )
        lengths = {len(v) for v in data.values()} | {len(v) for v in tooltips.slots.values()}
        if len(lengths) > 1:
            msg = f"SiteLayer columns differ in length: {sorted(lengths)}."
            raise ValueError(msg)
        self.count = len(data["lat"])
        self.tooltips = tooltips
        self.kind_js = js_literal(kind)
        self.role_js = js_literal(role)
        self.role = role
        self._by_text: dict[str, str] | None = None
        self._first_of: dict[str, int] | None = None
        self._encode(data, styles)

    def _encode(self, data: dict[str, np.ndarray], styles: Sequence[SiteStyle]) -> None:
        """The script's data: coordinates, styles and tooltip columns as literals."""
        self.data_js = js_literal({key: column.tolist() for key, column in data.items()})
        self.tips_js = js_literal(self.tooltips.encoded())
        self.styles_js = js_literal([s.as_options() for s in styles])
        self.runtime = sites_runtime()

    def site_for_text(self, text: str) -> str | None:
        """The id of the site whose tooltip reads `text` (the first such), else None.

        A tooltip ends with its site's id (the hidden reference): the ids that end `text`
        are tried first, each checked against its site's whole text, so a click on a
        national map costs one site's text, not 820,000 of them.
        """
        if self._first_of is None:
            self._first_of = {}
            for i, site_id in enumerate(self.site_ids):
                self._first_of.setdefault(site_id, i)
        ends = (self._first_of.get(text[cut + 1 :]) for cut, c in enumerate(text) if c.isspace())
        tried = [(i, self.tooltips.text_of(i) == text) for i in ends if i is not None]
        if tried and all(same for _, same in tried):  # else a repeated id may read so: scan
            return self.site_ids[min(i for i, _ in tried)]
        return self._by_whole_text(text)

    def _by_whole_text(self, text: str) -> str | None:
        """`site_for_text` by every site's whole text (a tooltip without the reference)."""
        if self._by_text is None:  # built once: a province's layer has 100,000+ sites
            texts = self.tooltips.texts(self.count)
            by_text: dict[str, str] = {}
            for value, site_id in zip(texts, self.site_ids, strict=True):
                by_text.setdefault(value, site_id)
            self._by_text = by_text
        return self._by_text.get(text)


class ShapeLayer(FeatureGroup):
    """A toggleable layer of polygons (rings, zones, areas) from one compact array.

    Parameters
    ----------
    name
        Layer name in the layer control (plain text; escaped here).
    rings
        Per shape, its exterior rings as lists of [lat, lon] (one list per polygon part).
    styles
        Leaflet path options per style index.
    style
        Style index per shape.
    tooltips
        Tooltip HTML per shape, already escaped ("" for none).
    labels
        Permanent label HTML per shape, already escaped ("" for none).
    interactive
        When False, clicks pass through to the sites underneath.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function(group) {
            var d = {{ this.data_js }};
            var styles = {{ this.styles_js }};
            for (var i = 0; i < d.rings.length; i++) {
                var shape = L.polygon(d.rings[i], Object.assign(
                    {interactive: {{ this.interactive_js }}, role: 'shape'}, styles[d.style[i]]));
                if (d.tip[i]) { shape.bindTooltip(d.tip[i], {sticky: true}); }
                if (d.label[i]) {
                    shape.bindTooltip(d.label[i], {permanent: true, direction: 'center',
                                                   className: 'posko-area-label'});
                }
                group.addLayer(shape);
            }
        })({{ this.get_name() }});
        {% if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        name: str,
        *,
        rings: Sequence[Sequence[Sequence[Sequence[float]]]],
        styles: Sequence[dict[str, Any]],
        style: Sequence[int],
        tooltips: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        interactive: bool = False,
        show: bool = True,
    ) -> None:
        super().__init__(name=escape_text(name), show=show)
        n = len(rings)
        data = {
            "rings": [list(r) for r in rings],
            "style": [int(s) for s in style],
            "tip": list(tooltips) if tooltips is not None else [""] * n,
            "label": list(labels) if labels is not None else [""] * n,
        }
        if not all(len(v) == n for v in data.values()):
            msg = "ShapeLayer columns differ in length."
            raise ValueError(msg)
        self.count = n
        self.data_js = js_literal(data)
        self.styles_js = js_literal(list(styles))
        self.interactive_js = js_literal(interactive)


class SelectedSite(FeatureGroup):
    """The site picked in a table or on the map: a ring around it and its details beside it.

    Drawn in a pane of its own above the sites, and not clickable, so the site underneath
    still takes the clicks. The details are set as text (never as HTML).

    Parameters
    ----------
    site_id
        The picked site's id (`options.siteId` of the ring, for tests and tools).
    lat, lon
        Its position in degrees, EPSG:4326.
    lines
        Its details, one line each; the first is shown in bold.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function(group, map) {
            if (!map.getPane('poskoSelected')) {
                var pane = map.createPane('poskoSelected');
                pane.style.zIndex = 640;
                pane.style.pointerEvents = 'none';
            }
            var at = {{ this.at_js }};
            var details = {{ this.lines_js }};
            var ring = L.circleMarker(at, {radius: 16, color: '#d500f9', weight: 4,
                opacity: 0.95, fill: false, interactive: false, pane: 'poskoSelected',
                className: 'posko-selected', role: 'selected', siteId: {{ this.site_id_js }}});
            var box = document.createElement('div');
            box.style.font = '11px/1.35 sans-serif';
            details.forEach(function(text, i) {
                var line = document.createElement(i ? 'div' : 'b');
                line.textContent = text;
                box.appendChild(line);
            });
            // on the side of the ring that faces the map's centre, so that it stays on the map
            var right = map.latLngToContainerPoint(at).x <= map.getSize().x / 2;
            ring.bindTooltip(box, {permanent: true, direction: right ? 'right' : 'left',
                                   offset: [right ? 14 : -14, 0],
                                   pane: 'poskoSelected', className: 'posko-selected-tip'});
            group.addLayer(ring);
        })({{ this.get_name() }}, {{ this._parent.get_name() }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, site_id: str, *, lat: float, lon: float, lines: Sequence[str]) -> None:
        super().__init__(name="selected", show=True, control=False)
        self.site_id = str(site_id)
        self.site_id_js = js_literal(self.site_id)
        self.at_js = js_literal([round(float(lat), 6), round(float(lon), 6)])
        self.lines_js = js_literal([str(line) for line in lines])
