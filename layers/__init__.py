"""Everything that turns analysed data into Folium layers and HTML."""

from layers import (
    assets,
    banner,
    basemap,
    elements,
    legend,
    mapview,
    preview,
    sites,
    styles,
    templating,
    zones,
)

__all__ = [
    "assets",
    "banner",
    "basemap",
    "elements",
    "legend",
    "mapview",
    "preview",
    "sites",
    "styles",
    "templating",
    "zones",
]
