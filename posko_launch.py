"""Start Streamlit for Posko: ``python -m posko_launch run app.py [options]`` (what
``posko serve`` and the browser tests run), the same as ``python -m streamlit`` but for one
setting made before the server starts, and the app's caches warmed while it starts
(:mod:`pages.warmup`: the first operation loaded and its current plan analysed, so the first
viewer after a restart of a national operation does not wait for it).

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

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as streamlit_cli

__all__ = ["main"]


def main() -> None:
    """Run Streamlit's command line (``sys.argv``) with ``pages/`` never read as pages, and
    the app's caches warmed meanwhile (`pages.warmup`)."""
    PagesManager.uses_pages_directory = False
    warm_up = _warm_up_function()
    if warm_up is not None:
        _log_to_stderr()
        threading.Thread(target=warm_up, name="posko-warm-up", daemon=True).start()
    streamlit_cli.main(prog_name="streamlit")


def _log_to_stderr() -> None:
    """Posko's own server messages (``posko.*`` loggers: the warm-up's end and time, an
    unexpected error) at level INFO on stderr, beside Streamlit's: an operator sees when a
    restarted server is warm."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("posko")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.propagate = False  # once, not again through a root handler


def _warm_up_function() -> Callable[[], object] | None:
    """`pages.warmup.warm_up`, its modules imported here, before any session: two threads
    importing the same packages at once can deadlock in Python's import locks (Streamlit's
    first script run and the warm-up did, in branca). None when no app is being run."""
    app = next((Path(a).resolve() for a in sys.argv if a.endswith("app.py")), None)
    if app is None:
        return None
    if str(app.parent) not in sys.path:  # as Streamlit puts it for the app's own imports
        sys.path.insert(0, str(app.parent))
    import pyarrow.pandas_compat  # noqa: F401 - the one module the warm-up imports lazily

    from pages.warmup import warm_up

    return warm_up


if __name__ == "__main__":
    main()
