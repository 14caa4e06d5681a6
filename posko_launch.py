"""Start Streamlit for Posko: ``python -m posko_launch run app.py [options]`` (what
``posko serve`` and the browser tests run), the same as ``python -m streamlit`` but for one
setting made before the server starts.

Streamlit takes a folder named ``pages/`` beside the main script for a multipage app of its
first kind, until ``st.navigation`` has run once in the process
(``PagesManager.uses_pages_directory``, decided when the first session starts). Until then
the very first session runs through that old path: a bookmark such as ``/import`` is looked
up among the files of ``pages/``, not found, and Streamlit tells the browser "page not
found" before ``app.py`` takes over; and a file name of ``pages/`` would open that module as
a page of its own, around the sign-in. Posko's pages are modules in ``pages/`` reached only
through ``app.py``'s ``st.navigation``, so the old path is switched off before any session
starts.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as streamlit_cli

__all__ = ["main"]


def main() -> None:
    """Run Streamlit's command line (``sys.argv``) with ``pages/`` never read as pages."""
    PagesManager.uses_pages_directory = False
    streamlit_cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
