"""The app's pages, in one list: what the navigation offers is decided here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.access import Action

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
    action
        What opening the page means (`geo.access.Action`): the navigation lists the page only
        for users who may do it, and the page's script checks it again itself.
    default
        Whether the app opens on this page.
    """

    key: str
    script: str
    icon: str
    action: Action
    default: bool = False

    @property
    def path(self) -> Path:
        """Absolute path of the page's script."""
        return _HERE / self.script


# A page missing from this list cannot be reached; a page whose action the user may not do
# is left out of the navigation and refused when asked for by its URL.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("map", "map_page.py", ":material/map:", Action.VIEW, default=True),
    PageSpec("import", "import_page.py", ":material/upload_file:", Action.IMPORT),
    PageSpec("compare", "compare_page.py", ":material/compare:", Action.VIEW),
    PageSpec("scenarios", "scenarios_page.py", ":material/groups:", Action.VIEW),
    PageSpec("suggest", "suggest_page.py", ":material/add_location_alt:", Action.SUGGEST),
    PageSpec("audit", "audit_page.py", ":material/history:", Action.AUDIT),
)
