"""Everything that turns analysed data into Folium layers and HTML."""

from layers import assets, basemap, elements, legend, mapview, preview, sites, zones

__all__ = ["assets", "basemap", "elements", "legend", "mapview", "preview", "sites", "zones"]
