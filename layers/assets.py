"""The map's scripts and styles, served by the app or inlined into exports: never from a CDN.

Folium links Leaflet and its plugins from public CDNs. A police intranet and a briefing room
have no internet, so Posko takes the very same files, byte for byte, from the
`folium-offline` package (which embeds folium 0.20's CDN resources keyed by their URL) and
either writes them into a private folder of the app's process (served by Streamlit, see
`pages.shared.serve_offline`; never inside the installed package, which may be read-only)
or inlines them into an exported HTML file.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import branca.colormap
import folium
import folium.elements
from branca.element import Element, Figure

from layers.templating import RawElement

__all__ = [
    "LEAFLET_CSS",
    "LEAFLET_JS",
    "Asset",
    "AssetError",
    "asset_text",
    "inline_assets",
    "localize_assets",
    "map_assets",
    "private_assets_folder",
    "publish_assets",
    "walk_elements",
]

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
VENDOR_DIR = "vendor"

# CSS may point at images next to the stylesheet (a loader gif, a minimap toggle icon);
# those would be requests for files that do not exist here, so they are dropped.
_RELATIVE_URL = re.compile(r"url\((?!\s*['\"]?data:)[^)]*\)")
# Source-map comments would make developer tools fetch files that are not here.
_SOURCE_MAP = re.compile(
    r"^\s*(//[#@]\s*sourceMappingURL=\S*|/\*#\s*sourceMappingURL=[^*]*\*/)\s*$", re.MULTILINE
)


class AssetError(RuntimeError):
    """A map element needs a resource that is not available offline."""


@dataclass(frozen=True)
class Asset:
    """One script or stylesheet a map needs: its folium name, CDN URL and type."""

    name: str
    url: str
    kind: str  # "js" or "css"

    @property
    def filename(self) -> str:
        """Stable local file name: a digest of the URL plus the type."""
        digest = hashlib.sha256(self.url.encode()).hexdigest()[:16]
        return f"{digest}.{self.kind}"


@cache
def _registry() -> dict[str, str]:
    from offlinefolium.elements import _res  # the package's URL -> content table

    return dict(_res)


def asset_text(asset: Asset) -> str:
    """Content of an asset, from the offline registry.

    Raises
    ------
    AssetError
        When the URL is not in the registry (the map would then call the internet).
    """
    registry = _registry()
    if asset.url not in registry:
        msg = (
            f"Map resource {asset.url!r} ({asset.name}) is not available offline; "
            "use a map element whose resources folium-offline embeds."
        )
        raise AssetError(msg)
    text = _SOURCE_MAP.sub("", registry[asset.url])
    return _RELATIVE_URL.sub("none", text) if asset.kind == "css" else text


def walk_elements(element: Element) -> Iterator[Element]:
    """An element and all its descendants, depth first, in insertion order."""
    yield element
    for child in element._children.values():
        yield from walk_elements(child)


def _resource_elements(root: Element) -> Iterator[folium.elements.JSCSSMixin]:
    for element in walk_elements(root):
        if isinstance(element, branca.colormap.ColorMap):
            msg = "branca colormaps load d3 from a CDN; use layers.legend instead."
            raise AssetError(msg)
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element


def map_assets(root: Element) -> list[Asset]:
    """Every script and stylesheet the elements under `root` declare, in load order."""
    seen: dict[str, Asset] = {}
    for element in _resource_elements(root):
        for name, url in element.default_js:
            seen.setdefault(url, Asset(name, url, "js"))
        for name, url in element.default_css:
            seen.setdefault(url, Asset(name, url, "css"))
    return list(seen.values())


def localize_assets(root: Element, base_url: str) -> None:
    """Point every element's script and stylesheet links at the app's own static files.

    `base_url` is where :func:`publish_assets` output is served, e.g. "/component/name".
    """
    for element in _resource_elements(root):
        element.default_js = [
            (name, f"{base_url}/{VENDOR_DIR}/{Asset(name, url, 'js').filename}")
            for name, url in element.default_js
        ]
        element.default_css = [
            (name, f"{base_url}/{VENDOR_DIR}/{Asset(name, url, 'css').filename}")
            for name, url in element.default_css
        ]


def publish_assets(static_dir: Path, assets: list[Asset]) -> Path:
    """Write `assets` under `static_dir`/vendor for Streamlit to serve; return the folder.

    Files already present with the same content are left alone, so concurrent app
    sessions never see a half-written file.
    """
    folder = static_dir / VENDOR_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for asset in assets:
        target = folder / asset.filename
        data = asset_text(asset).encode("utf-8")
        if target.exists() and target.read_bytes() == data:
            continue
        partial = target.with_suffix(f"{target.suffix}.{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(target)
    return folder


@cache
def private_assets_folder() -> Path:
    """A folder of this process only (mode 0700, under the system's temporary folder,
    removed when the process ends) to publish the map's scripts and styles into."""
    folder = Path(tempfile.mkdtemp(prefix="posko-assets-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def inline_assets(root: Element) -> None:
    """Inline every script and stylesheet into the figure's header (for exports).

    After this the rendered HTML references no script, style or font by URL.
    """
    figure = root.get_root()
    if not isinstance(figure, Figure):
        msg = "inline_assets needs a map that belongs to a Figure."
        raise AssetError(msg)
    assets = map_assets(root)
    for element in _resource_elements(root):
        element.default_js = []
        element.default_css = []
    for asset in assets:
        text = asset_text(asset)
        if asset.kind == "js":
            # "</script" inside a script would end it early
            tag = "<script>" + text.replace("</script", "<\\/script") + "</script>"
        else:
            tag = "<style>" + text.replace("</style", "<\\/style") + "</style>"
        figure.header.add_child(RawElement(tag), name=f"inline_{asset.filename}")
