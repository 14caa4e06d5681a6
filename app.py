"""Posko — the Streamlit app's frame: sign-in, shared choices, navigation; no geometry here.

Each page is a module in `pages/` listed in `pages.registry.PAGES`. The frame first signs the
user in (nothing of an operation is read or sent before that), then opens the chosen
operation among those granted, draws what every page shares and runs the page the
navigation picked, refusing a page the user's role may not open even when asked by URL.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from geo.access import AccessDenied, Action, Actor, require
from geo.deployment import deployment_settings
from geo.errors import PoskoError
from geo.operation import (
    SAMPLE_OPERATION,
    Operation,
    OperationNotFound,
    discover_operations,
    operation_roots,
    operation_signature,
)
from geo.text import DEFAULT_LANGUAGE, LANGUAGES, localized, t
from layers.banner import classification_banner_html
from layers.export import data_caution
from pages import registry, signin
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
# On a phone the title and the caution take a line less each (the map page's own rows are
# compacted by the page: pages.map_page).
_COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding: 3.6rem 1.5rem 2rem 1.5rem; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.35rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.5rem; line-height: 1.2; padding: 0;
  margin: 0; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"]:has(.cls-banner, h1, .posko-caution) {
  margin-bottom: 0; }
[data-testid="stMetricValue"] { font-size: 1.45rem; }
[data-testid="stMetric"] label p { font-size: 0.8rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 0.78rem; }
iframe[title*="st_folium"] { height: clamp(340px, calc(100vh - 250px), 860px) !important; }
[data-testid="stMarkdownContainer"] p.posko-caution { color: #8a5300; font-size: 0.8rem;
  line-height: 1.3; margin: 0; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.1rem; }
  [data-testid="stMarkdownContainer"] p.posko-caution { font-size: 0.72rem; }
}
</style>"""


def navigation_pages(
    specs: tuple[PageSpec, ...], lang: str, actor: Actor | None = None, operation: str = ""
) -> list[st.Page]:
    """The navigation entries: the pages `actor` may open on `operation`, and the others
    hidden (reachable by URL only to be refused there, not to fall back silently); every
    page hidden when nobody is signed in."""
    return [
        st.Page(
            spec.path,
            title=t(f"view.{spec.key}", lang),
            icon=spec.icon,
            url_path=spec.key,
            default=spec.default,
            visibility="visible" if actor and actor.may(spec.action, operation) else "hidden",
        )
        for spec in specs
    ]


def page_spec(page: st.Page, pages: list[st.Page]) -> PageSpec:
    """The registry entry of `page`, one of `pages` (made by :func:`navigation_pages` from
    the registry, in its order)."""
    return next(spec for p, spec in zip(pages, registry.PAGES, strict=True) if p is page)


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


def open_operation(path: Path, state: AppState, actor: Actor) -> PageContext:
    """Load the chosen operation (cached per file version) and adopt its language.

    Raises
    ------
    PoskoError
        When the operation's files cannot be read or are not valid.
    """
    require(actor, Action.VIEW, path.name)
    signature = operation_signature(path)
    operation = cached_operation(str(path), signature)
    state.adopt_language(operation.settings.language)
    return PageContext(
        operation=operation, path=path, signature=signature, state=state, actor=actor
    )


def unknown_operation(state: AppState, operations: dict[str, Path]) -> PoskoError | None:
    """The session's operation when it no longer exists for this user (its folder removed,
    its grant revoked): the error naming those that do, and the session moved to the first
    of them; None when it exists."""
    if state.operation in operations:
        return None
    gone = OperationNotFound.from_text(
        "operation.not_found", name=str(state.operation), expected=", ".join(operations)
    )
    del state.store[Key.OPERATION]
    state.start(operations, preferred=SAMPLE_OPERATION.name)
    return gone


def main() -> None:
    """Sign the user in, draw the frame for this session, then run the page the navigation
    chose."""
    st.set_page_config(page_title="Posko", layout="wide", page_icon="🛡️")
    state = AppState()
    try:
        settings = deployment_settings()
    except PoskoError as exc:  # a broken posko.toml: nobody may sign in until it is fixed
        st.error(localized(exc, state.lang or DEFAULT_LANGUAGE))
        return
    actor = signin.session_actor(settings, state)
    if actor is None:
        # nothing of any operation is read or sent; every page is registered (hidden, never
        # run) so that a page's URL opens this form, not Streamlit's "page not found", and
        # then that page once signed in. The navigation comes first: a widget's identity
        # depends on the page it is drawn on.
        st.navigation(navigation_pages(registry.PAGES, DEFAULT_LANGUAGE), position="hidden")
        signin.render_sign_in(settings, state)
        return
    uploads_folder()  # made private and purged once, when the server starts
    found = discover_operations(*operation_roots())
    operations = {name: found[name] for name in actor.visible(found)}
    if not operations:
        lang = state.lang or DEFAULT_LANGUAGE
        st.info(t("access.no_operation", lang))
        signin.render_account(actor, settings, lang)
        return
    state.start(operations, preferred=SAMPLE_OPERATION.name)
    gone = unknown_operation(state, operations)
    context: PageContext | None = None
    problem = ""
    try:
        context = open_operation(operations[state.operation], state, actor)
    except PoskoError as exc:
        problem = localized(exc, state.lang or DEFAULT_LANGUAGE)
    # an operation that did not load has no language: the catalog's default is used
    lang = state.lang or DEFAULT_LANGUAGE
    pages = navigation_pages(registry.PAGES, lang, actor, state.operation)
    page = st.navigation(pages)
    render_shared_choices(operations, lang)
    signin.render_account(actor, settings, lang)
    if gone is not None:
        st.error(localized(gone, lang))
    if context is None:
        st.error(t("app.error", lang, error=problem))
        render_recovery(operations[state.operation], state, lang, actor)
        return
    render_banners(context.operation, lang)
    run_page(page, page_spec(page, pages), context)


def run_page(page: st.Page, spec: PageSpec, context: PageContext) -> None:
    """Run the chosen page if the user may open it; a page that fails explains why and keeps
    history and restoring within reach."""
    try:
        require(context.actor, spec.action, context.operation.key)
        with page_context(context):
            page.run()
    except AccessDenied as exc:
        st.error(localized(exc, context.lang))
    except PoskoError as exc:
        st.error(localized(exc, context.lang))
        render_recovery(context.path, context.state, context.lang, context.actor)


def guarded(frame: Callable[[], None]) -> None:
    """Run the app so that an unexpected error is logged with its traceback under an id and
    the user sees only the catalog's message with that id."""
    try:
        frame()
    except Exception:  # a bug, not a planner's mistake: the user gets an id, the log the rest
        report_unexpected(st.session_state.get(Key.LANG) or DEFAULT_LANGUAGE)


guarded(main)
