"""The drawing registry: how every site kind, risk class, post type and shape layer looks.

One row per value of `geo.model.Kind`, `Risk` and `PostType`; the site layers, the legend,
the import preview, the rings and the layer toggles all read these tables. Adding a site
kind to the model means adding one `KindStyle` row here, and nothing else in `layers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from geo.model import Kind, PostType, Risk, ZoneKind

__all__ = [
    "AREA_COLOR",
    "EXISTING_COLOR",
    "EXTRA_LAYER_ORDER",
    "KIND_STYLES",
    "POST_STYLES",
    "REJECTED_COLOR",
    "RESERVE_DASH",
    "RING_ZONE_COLORS",
    "RISK_STYLES",
    "SHARE_RAMP",
    "UNCOVERED_COLOR",
    "ZONE_STYLES",
    "DrawBy",
    "KindStyle",
    "PostStyle",
    "RiskStyle",
    "ZoneStyle",
    "icon_kinds",
    "layer_keys",
    "post_icon",
    "svg_icon",
]


def svg_icon(body: str, size: int = 22) -> str:
    """An inline SVG symbol of `size` pixels around a body drawn on a 22 × 22 grid."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 22 22">{body}</svg>'
    )


class DrawBy(StrEnum):
    """What decides a site's symbol within its kind's layer."""

    KIND = "kind"  # one icon for the whole kind (the kind's own legend row)
    RISK = "risk"  # a circle coloured by risk class (legend rows from RISK_STYLES)
    POST_TYPE = "post_type"  # a lettered shield per post type (legend rows from POST_STYLES)


@dataclass(frozen=True)
class KindStyle:
    """How the sites of one kind are drawn.

    Attributes
    ----------
    color
        The kind's colour: its icon fill and its dot in the import preview.
    order
        Drawing order of the kind's layer among all map layers (higher is drawn on top);
        also the order of the layer toggles.
    draw_by
        Whether one icon stands for the kind or the symbol varies by risk class or post type.
    shape
        SVG body of the kind's icon on a 22 × 22 grid, with ``{fill}`` and ``{stroke}``
        slots; required when `draw_by` is `DrawBy.KIND`.
    stroke
        Outline colour of the icon, and of the preview dot.
    """

    color: str
    order: int
    draw_by: DrawBy = DrawBy.KIND
    shape: str = ""
    stroke: str = "#fff"

    @property
    def icon(self) -> str:
        """The kind's SVG icon ("" when the symbol varies by class or type)."""
        if not self.shape:
            return ""
        return svg_icon(self.shape.format(fill=self.color, stroke=self.stroke))


@dataclass(frozen=True)
class RiskStyle:
    """How a polling station of one risk class is drawn: a filled circle."""

    color: str


@dataclass(frozen=True)
class PostStyle:
    """How a police post of one type is drawn: a lettered shield, and its coverage ring."""

    color: str
    letter: str


KIND_STYLES: Mapping[Kind, KindStyle] = {
    Kind.POLLING_STATION: KindStyle(color="#2e7d32", order=70, draw_by=DrawBy.RISK),
    Kind.GOVERNMENT: KindStyle(
        color="#37474f",
        order=40,
        shape='<rect x="1" y="1" width="20" height="20" rx="3" fill="{fill}" stroke="{stroke}" '
        'stroke-width="1.5"/><path d="M11 4 L17 8 H5 Z M6 9 V15 M9 9 V15 M13 9 V15 M16 9 V15 '
        'M5 17 H17" stroke="{stroke}" stroke-width="1.5" fill="{stroke}"/>',
    ),
    Kind.DEMONSTRATION_POINT: KindStyle(
        color="#d84315",
        order=80,
        shape='<path d="M11 1 L21 20 H1 Z" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        '<path d="M11 7 V13 M11 15.5 V17.5" stroke="{stroke}" stroke-width="2.2"/>',
    ),
    Kind.POLICE_POST: KindStyle(color="#0d47a1", order=50, draw_by=DrawBy.POST_TYPE),
    Kind.LOGISTICS: KindStyle(
        color="#6d4c41",
        order=30,
        shape='<rect x="2" y="5" width="18" height="14" fill="{fill}" stroke="{stroke}" '
        'stroke-width="1.5"/><path d="M2 9 H20 M9 5 V9 M13 5 V9" stroke="{stroke}" '
        'stroke-width="1.3"/>',
    ),
}

RISK_STYLES: Mapping[Risk, RiskStyle] = {
    Risk.KURANG_RAWAN: RiskStyle(color="#2e7d32"),
    Risk.RAWAN: RiskStyle(color="#f57c00"),
    Risk.SANGAT_RAWAN: RiskStyle(color="#c62828"),
    Risk.KHUSUS: RiskStyle(color="#6a1b9a"),
}

POST_STYLES: Mapping[PostType, PostStyle] = {
    PostType.MAKO: PostStyle(color="#0d47a1", letter="M"),
    PostType.POLSEK: PostStyle(color="#1565c0", letter="S"),
    PostType.POS_PAM: PostStyle(color="#0277bd", letter="P"),
    PostType.POS_TERPADU: PostStyle(color="#00838f", letter="T"),
    PostType.PATROL: PostStyle(color="#283593", letter="R"),
    PostType.RESERVE: PostStyle(color="#4a148c", letter="C"),  # C: pasukan cadangan
}
# A reserve's response reach is drawn dashed and unfilled: it is no post's coverage ring.
RESERVE_DASH = "8 5"


@dataclass(frozen=True)
class ZoneStyle:
    """How a drawn zone of one kind looks: outline and fill colour, and a dash pattern."""

    color: str
    dash: str = ""


# One row per geo.model.ZoneKind: the plan's drawn zones.
ZONE_STYLES: Mapping[ZoneKind, ZoneStyle] = {
    ZoneKind.CLOSURE: ZoneStyle(color="#b71c1c", dash="2 6"),
    ZoneKind.ASSEMBLY: ZoneStyle(color="#ef6c00"),
    ZoneKind.STERILE: ZoneStyle(color="#6a1b9a", dash="10 4"),
}

UNCOVERED_COLOR = "#d50000"
# A cell of TPS on a map drawn by zoom, coloured by the share beyond reach: none, half, all.
SHARE_RAMP: tuple[str, str, str] = ("#43a047", "#fbc02d", "#d50000")
AREA_COLOR = "#455a64"
# The import preview: the operation's own sites, muted, and the rows the import rejects.
EXISTING_COLOR = "#9e9e9e"
REJECTED_COLOR = "#d50000"
# Ring zones cycle through these, innermost (the building itself) first.
RING_ZONE_COLORS: tuple[str, ...] = (
    "#b71c1c",
    "#e65100",
    "#f9a825",
    "#9e9d24",
    "#558b2f",
    "#00695c",
)

# The layers that are not one site kind (shapes, highlights), placed among the kinds'
# layers by `KindStyle.order`.
EXTRA_LAYER_ORDER: Mapping[str, int] = {
    "areas": 0,
    "zones": 5,
    "ring_zones": 10,
    "rings": 20,
    "reserves": 22,
    "chain": 25,
    "uncovered": 60,
}


def post_icon(post_type: PostType) -> str:
    """Shield icon of a police post, lettered and coloured by post type."""
    style = POST_STYLES[post_type]
    return svg_icon(
        f'<path d="M11 1 L20 4 V10 C20 15 16 19 11 21 C6 19 2 15 2 10 V4 Z" '
        f'fill="{style.color}" stroke="#fff" stroke-width="1.5"/>'
        f'<text x="11" y="15" font-size="10" font-family="sans-serif" font-weight="bold" '
        f'text-anchor="middle" fill="#fff">{style.letter}</text>'
    )


def icon_kinds() -> list[Kind]:
    """The kinds drawn with one icon each (and one legend row each), in model order."""
    return [kind for kind in Kind if KIND_STYLES[kind].draw_by == DrawBy.KIND]


def layer_keys() -> tuple[str, ...]:
    """Keys of every toggleable map layer, in drawing order (later ones on top)."""
    orders = {**EXTRA_LAYER_ORDER, **{kind.value: KIND_STYLES[kind].order for kind in Kind}}
    return tuple(sorted(orders, key=orders.__getitem__))
