"""Posko — the Streamlit app's frame: page config, shared choices, navigation; no geometry here.

Each page is a module in `pages/` listed in `pages.registry.PAGES`; the frame opens the
chosen operation, draws what every page shares and runs the page the navigation picked.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from geo.errors import PoskoError
from geo.operation import (
    SAMPLE_OPERATION,
    Operation,
    discover_operations,
    operation_roots,
    operation_signature,
)
from geo.text import DEFAULT_LANGUAGE, LANGUAGES, localized, t
from layers.banner import classification_banner_html
from layers.export import data_caution
from pages import registry
from pages.registry import PageSpec
from pages.shared import (
    cached_operation,
    md,
    render_notes,
    render_recovery,
    report_unexpected,
    uploads_folder,
)
from pages.state import AppState, Key, PageContext, page_context

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
BASEMAP_CHOICES = ("osm", "light", "satellite", "none")
# Commander-first: the banner, title, figures and the map's top fit the first screen of a
# 1024x768 projector, so Streamlit's roomy defaults are tightened (spacing and type only).
_COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding: 3.6rem 1.5rem 2rem 1.5rem; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.5rem; padding: 0; margin-top: 0.3rem; }
[data-testid="stMetricValue"] { font-size: 1.55rem; }
[data-testid="stMetric"] label p { font-size: 0.8rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 0.78rem; }
iframe[title*="st_folium"] { height: clamp(340px, calc(100vh - 250px), 860px) !important; }
.posko-caution { color: #8a5300; font-size: 0.82rem; margin: 0; }
</style>"""


def navigation_pages(specs: tuple[PageSpec, ...], lang: str) -> list[st.Page]:
    """The navigation entries of the pages this session may open."""
    return [
        st.Page(
            spec.path,
            title=t(f"view.{spec.key}", lang),
            icon=spec.icon,
            url_path=spec.key,
            default=spec.default,
        )
        for spec in specs
    ]


def render_shared_choices(operations: dict[str, Path], lang: str) -> None:
    """Operation, language and basemap: the sidebar choices every page shares.

    A choice made by the user is already in the session when this run starts, so `lang` is
    the language of this run.
    """
    sb = st.sidebar
    sb.selectbox(t("app.operation", lang), list(operations), key=Key.OPERATION)
    sb.radio(
        t("app.language", lang),
        LANGUAGES,
        key=Key.LANG,
        horizontal=True,
        format_func=LANGUAGE_NAMES.__getitem__,
    )
    sb.selectbox(
        t("app.basemap", lang),
        BASEMAP_CHOICES,
        key=Key.BASEMAP,
        format_func=lambda k: t(f"basemap.{k}", lang),
    )


def render_banners(operation: Operation, lang: str) -> None:
    """Classification banner, title, and a one-line caution when positions are not surveyed."""
    settings = operation.settings
    st.html(_COMPACT_CSS)
    st.markdown(classification_banner_html(settings.classification), unsafe_allow_html=True)
    st.title(md(settings.title))
    caution = data_caution(operation, lang)
    if caution:
        st.markdown(
            f'<p class="posko-caution">⚠ {html.escape(caution)}</p>', unsafe_allow_html=True
        )
    render_notes(operation, lang)


def open_operation(path: Path, state: AppState) -> PageContext:
    """Load the chosen operation (cached per file version) and adopt its language.

    Raises
    ------
    PoskoError
        When the operation's files cannot be read or are not valid.
    """
    signature = operation_signature(path)
    operation = cached_operation(str(path), signature)
    state.adopt_language(operation.settings.language)
    return PageContext(operation=operation, path=path, signature=signature, state=state)


def main() -> None:
    """Draw the frame for this session, then run the page the navigation chose."""
    st.set_page_config(page_title="Posko", layout="wide", page_icon="🛡️")
    uploads_folder()  # made private and purged once, when the server starts
    operations = discover_operations(*operation_roots())
    state = AppState()
    state.start(operations, preferred=SAMPLE_OPERATION.name)
    context: PageContext | None = None
    problem = ""
    try:
        context = open_operation(operations[state.operation], state)
    except PoskoError as exc:
        problem = localized(exc, state.lang or DEFAULT_LANGUAGE)
    # an operation that did not load has no language: the catalog's default is used
    lang = state.lang or DEFAULT_LANGUAGE
    page = st.navigation(navigation_pages(registry.PAGES, lang))
    render_shared_choices(operations, lang)
    if context is None:
        st.error(t("app.error", lang, error=problem))
        render_recovery(operations[state.operation], state, lang)
        return
    render_banners(context.operation, lang)
    run_page(page, context)


def run_page(page: st.Page, context: PageContext) -> None:
    """Run the chosen page; a page that fails explains why and keeps history and restoring
    within reach."""
    try:
        with page_context(context):
            page.run()
    except PoskoError as exc:
        st.error(localized(exc, context.lang))
        render_recovery(context.path, context.state, context.lang)


def guarded(frame: Callable[[], None]) -> None:
    """Run the app so that an unexpected error is logged with its traceback under an id and
    the user sees only the catalog's message with that id."""
    try:
        frame()
    except Exception:  # a bug, not a planner's mistake: the user gets an id, the log the rest
        report_unexpected(st.session_state.get(Key.LANG) or DEFAULT_LANGUAGE)


guarded(main)
