"""The sign-in gate: until it returns who signed in, nothing of any operation is drawn.

Local accounts sign in with a name and a password (:class:`geo.accounts.Accounts`); OIDC
goes through Streamlit's own ``st.login``, the role and grants taken from the configured
claims of ``st.user``. A session ends after `session_hours` whatever happens, or after
`idle_minutes` without a run. A local session re-reads its account on every run, so a
disabled user or a changed grant takes effect at the user's next click.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from geo.access import LOCAL_ACTOR, AccessDenied, Actor, actor_from_claims, local_user
from geo.accounts import AccountError, Accounts, SignInFailed
from geo.db import database
from geo.deployment import DeploymentSettings, SignInMethod
from geo.model import Role
from geo.text import DEFAULT_LANGUAGE, LANGUAGES, label, localized, t
from pages.shared import md
from pages.state import AppState, Key

__all__ = ["render_account", "render_sign_in", "session_actor"]

_LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "Forwarded")
_SESSION_KEYS = (Key.ACTOR, Key.SIGNED_IN_AT, Key.SEEN_AT)
_CSS = """<style>
[data-testid="stMainBlockContainer"] { max-width: 28rem; padding: 4rem 1rem 2rem 1rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding-top: 0.2rem; }
.posko-signin-mark { color: #8a1c1c; font-weight: 700; letter-spacing: 0.08em;
  font-size: 0.8rem; margin: 0; }
</style>"""


@st.cache_resource(show_spinner=False)
def _accounts(url: str, settings: DeploymentSettings) -> Accounts:
    """One Accounts per database and settings (its tables migrated once per process)."""
    del url  # the cache key: database() reads the same URL
    return Accounts(database(), settings=settings)


def session_actor(settings: DeploymentSettings, state: AppState) -> Actor | None:
    """Who is signed in to this session, or None (then the frame draws
    :func:`render_sign_in`); draws nothing.

    With sign-in off the local user (``$POSKO_USER``, else the OS user) acts as admin, but
    only on a loopback address.
    """
    if settings.method is SignInMethod.OFF:
        return LOCAL_ACTOR(local_user()) if _served_on_loopback() else None
    return _session_actor(settings, state)


def render_account(actor: Actor, settings: DeploymentSettings, lang: str) -> None:
    """The signed-in user's name and role in the sidebar, with the sign-out button."""
    role = label("role", actor.role, lang)
    st.sidebar.caption(t("signin.signed_in_as", lang, name=md(actor.name), role=role))
    if settings.method is SignInMethod.OFF:
        return
    if st.sidebar.button(t("signin.sign_out", lang), key="sign_out", icon=":material/logout:"):
        _sign_out(settings, note="")


# --- the session -----------------------------------------------------------------------------


def _session_actor(settings: DeploymentSettings, state: AppState) -> Actor | None:
    if settings.method is SignInMethod.OIDC:
        return _oidc_actor(settings, state)
    actor = state.actor
    if actor is None:
        return None
    if _expired(settings, state):
        _sign_out(settings, note="signin.expired")
        return None
    try:
        fresh = _accounts(database().url, settings).actor(actor.name, method="local")
    except SignInFailed as exc:
        _sign_out(settings, note=exc.key, params=exc.params)
        return None
    state.actor = fresh
    state.store[Key.SEEN_AT] = time.time()
    return fresh


def _oidc_actor(settings: DeploymentSettings, state: AppState) -> Actor | None:
    if not st.user.is_logged_in:
        state.forget(_SESSION_KEYS)
        return None
    state.store.setdefault(Key.SIGNED_IN_AT, time.time())
    state.store.setdefault(Key.SEEN_AT, time.time())
    if _expired(settings, state):
        state.forget(_SESSION_KEYS)
        state.store[Key.SIGNIN_NOTE] = ("signin.expired", {})
        st.logout()
        return None
    state.store[Key.SEEN_AT] = time.time()
    try:
        return actor_from_claims(
            st.user.to_dict(), role_claim=settings.role_claim, grants_claim=settings.grants_claim
        )
    except AccessDenied as exc:
        state.store[Key.SIGNIN_NOTE] = (exc.key, exc.params)
        return None


def _expired(settings: DeploymentSettings, state: AppState) -> bool:
    now = time.time()
    started = float(state.store.get(Key.SIGNED_IN_AT, 0.0))
    seen = float(state.store.get(Key.SEEN_AT, 0.0))
    return now - started > settings.session_hours * 3600 or now - seen > settings.idle_minutes * 60


def _start(state: AppState, actor: Actor) -> None:
    now = time.time()
    state.actor = actor
    state.store[Key.SIGNED_IN_AT] = now
    state.store[Key.SEEN_AT] = now
    state.forget([Key.SIGNIN_NOTE])


def _sign_out(settings: DeploymentSettings, *, note: str, params: dict | None = None) -> None:
    """Forget everything this session chose or saw (an operation, a draft, uploads' state)."""
    lang = st.session_state.get(Key.LANG)
    st.session_state.clear()
    if lang:
        st.session_state[Key.LANG] = lang
    if note:
        st.session_state[Key.SIGNIN_NOTE] = (note, dict(params or {}))
    if settings.method is SignInMethod.OIDC:
        # the browser must still receive the redirect that ends the sign-in (identity
        # cookie, the provider's session): a rerun would drop it with the queued messages
        st.logout()
        st.stop()
    st.rerun()


# --- the sign-in page ------------------------------------------------------------------------


def render_sign_in(settings: DeploymentSettings, state: AppState) -> None:
    """The sign-in page: the local form (or the first admin's, on this computer), or the
    identity provider's button; why a session ended, when it did."""
    st.html(_CSS)
    lang = _lang(state)
    if settings.method is SignInMethod.OFF:
        st.error(t("signin.off_remote", lang))
        return
    st.radio(
        t("app.language", lang),
        LANGUAGES,
        key=Key.LANG,
        horizontal=True,
        format_func=_LANGUAGE_NAMES.__getitem__,
        label_visibility="collapsed",
    )
    lang = _lang(state)
    st.markdown('<p class="posko-signin-mark">TERBATAS</p>', unsafe_allow_html=True)
    st.title(t("signin.title", lang))
    st.caption(t("signin.lead", lang))
    note = state.store.get(Key.SIGNIN_NOTE)
    if note:
        st.info(localized(_Note(*note), lang))
    if settings.method is SignInMethod.OIDC:
        if st.user.is_logged_in:  # signed in there, but without a valid Posko role
            st.button(t("signin.sign_out", lang), on_click=st.logout, key="sso_out")
        else:
            st.button(t("signin.sso", lang), on_click=st.login, type="primary", key="sso")
        return
    accounts = _accounts(database().url, settings)
    if accounts.has_admin():
        _render_password_form(accounts, state, lang)
    elif _request_from_loopback():
        _render_first_admin(accounts, state, lang)
    else:
        st.warning(t("signin.no_admin_remote", lang))


def _render_password_form(accounts: Accounts, state: AppState, lang: str) -> None:
    with st.form("signin", clear_on_submit=True, border=True):
        name = st.text_input(t("signin.name", lang), autocomplete="username")
        password = st.text_input(
            t("signin.password", lang), type="password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("signin.submit", lang), type="primary", width="stretch")
    if not submitted:
        return
    try:
        actor = accounts.sign_in(name.strip(), password)
    except SignInFailed as exc:
        st.error(localized(exc, lang))
        return
    _start(state, actor)
    st.rerun()


def _render_first_admin(accounts: Accounts, state: AppState, lang: str) -> None:
    st.subheader(t("signin.first_admin", lang))
    st.caption(t("signin.first_admin_lead", lang))
    with st.form("first_admin", clear_on_submit=True, border=True):
        name = st.text_input(t("signin.name", lang), autocomplete="username")
        password = st.text_input(
            t("signin.password", lang), type="password", autocomplete="new-password"
        )
        again = st.text_input(
            t("signin.password_again", lang), type="password", autocomplete="new-password"
        )
        submitted = st.form_submit_button(t("signin.create", lang), type="primary", width="stretch")
    if not submitted:
        return
    if password != again:
        st.error(t("signin.passwords_differ", lang))
        return
    name = name.strip()
    newcomer = Actor(name=name, role=Role.VIEWER, grants=frozenset(), method="local")
    try:
        accounts.add(name, Role.ADMIN, password, by=newcomer)
        actor = accounts.sign_in(name, password)
    except AccountError as exc:
        st.error(localized(exc, lang))
        return
    _start(state, actor)
    st.rerun()


# --- where the request comes from ------------------------------------------------------------


@dataclass(frozen=True)
class _Note:
    """A catalog message kept in the session (why the form shows again)."""

    key: str
    params: dict


def _served_on_loopback() -> bool:
    """Whether the server listens only on this computer (an unset address means all)."""
    address = str(st.get_option("server.address") or "")
    return address in _LOOPBACK or address.startswith("127.")


def _request_from_loopback() -> bool:
    """Whether this browser runs on the server itself, not through a proxy."""
    if not _served_on_loopback() or st.context.ip_address is not None:
        return False
    headers = st.context.headers
    return not any(headers.get(name) for name in _PROXY_HEADERS)


def _lang(state: AppState) -> str:
    return state.lang or DEFAULT_LANGUAGE
