"""The app's pages, in one list: what the navigation offers is decided here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["PAGES", "PageSpec"]

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    """One page of the app.

    Attributes
    ----------
    key
        URL path of the page and its title's catalog key (``view.<key>``).
    script
        The page's module file in this folder, run by Streamlit as a script.
    icon
        Icon shown next to the title in the navigation (Streamlit's bundled Material set).
    default
        Whether the app opens on this page.
    """

    key: str
    script: str
    icon: str
    default: bool = False

    @property
    def path(self) -> Path:
        """Absolute path of the page's script."""
        return _HERE / self.script


# A page missing from this list cannot be reached: roles will filter it, page by page.
PAGES: tuple[PageSpec, ...] = (
    PageSpec(key="map", script="map_page.py", icon=":material/map:", default=True),
    PageSpec(key="import", script="import_page.py", icon=":material/upload_file:"),
    PageSpec(key="compare", script="compare_page.py", icon=":material/compare:"),
    PageSpec(key="suggest", script="suggest_page.py", icon=":material/add_location_alt:"),
)
