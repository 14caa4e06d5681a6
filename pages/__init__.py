"""The app's pages: one module per page, the page registry, typed session state.

Page modules (`map_page`, `import_page`) are run by Streamlit as scripts through the
navigation in `app.py`; they are not imported here so that importing the package stays cheap.
"""

from pages import registry, shared, state

__all__ = ["registry", "shared", "state"]
