"""One session's choices behind typed attributes: every session-state key is named here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import streamlit as st

from geo.access import Actor
from geo.model import PostType, Risk
from geo.operation import Operation
from layers.mapview import LAYER_KEYS

__all__ = ["AppState", "Key", "PageContext", "current_page", "page_context"]

T = TypeVar("T")
_MISSING: Any = object()


class Key:
    """Session-state keys (widget keys are the same names, so a widget writes its entry)."""

    OPERATION = "operation"
    LANG = "lang"
    BASEMAP = "basemap"
    SELECTED_SITE = "selected_site"
    RADII_FOR = "radii_for"
    PRESET = "preset"
    PRESET_MIN_POLRI = "preset_min_polri"
    PRESET_EDITOR = "preset_editor"
    PRESET_EDITS = "preset_edits"
    AREA_LEVEL = "area_level"
    PHASE = "map_phase"  # the phase the map page shows (a key of `Settings.phases`, or "all")
    UNCOVERED_TABLE = "uncovered_table"
    PICKED_ROW = "picked_row"  # the site of the uncovered-list row last seen selected
    MAP_CLICK = "map_click"  # the site the map last reported clicked
    IMPORT_SAVED = "imp_saved"
    IMPORT_FILE_ID = "imp_file_id"
    IMPORT_PATH = "imp_path"
    IMPORT_SHA = "imp_sha"
    IMPORT_LAYER = "imp_layer"
    IMPORT_MODE = "imp_mode"
    IMPORT_KIND = "imp_kind"  # "Semua baris adalah …": kept across uploads and pages
    DRAFT = "plan_draft"  # the plan this tab shows and edits (pages.plans_panel.Draft)
    PLAN_CHOICE = "plan_choice"
    PLAN_NEXT = "plan_next"  # the plan choice to show on the next run (set after an action)
    EDIT_SEQ = "edit_seq"  # the sequence number of the last map edit applied (kept across plans)
    EDIT_MODE = "edit_mode"  # "view", "edit" (drag posts, draw zones) or "add" (place a post)
    FRAME_NEXT = "frame_next"  # the frame's choices to restore after a page switch
    ACTOR = "actor"  # who signed in (geo.access.Actor); absent until then
    SIGNED_IN_AT = "signed_in_at"  # when (seconds since the epoch): the absolute expiry
    SEEN_AT = "seen_at"  # the session's last run (seconds since the epoch): the idle expiry
    SIGNIN_NOTE = "signin_note"  # why the sign-in form is shown again (an expired session)

    @staticmethod
    def radius(post_type: PostType | str) -> str:
        """Key of a post type's radius slider (metres)."""
        return f"radius_{post_type}"

    @staticmethod
    def weight(risk: Risk | str) -> str:
        """Key of a risk class's weight input."""
        return f"weight_{risk}"

    @staticmethod
    def layer(layer: str) -> str:
        """Key of a map layer's toggle."""
        return f"layer_{layer}"


class _Entry(Generic[T]):
    """One session-state entry read and written as a typed attribute of `AppState`."""

    def __init__(self, key: str, default: T = _MISSING) -> None:
        self.key = key
        self.default = default

    @overload
    def __get__(self, state: None, owner: type) -> _Entry[T]: ...
    @overload
    def __get__(self, state: AppState, owner: type) -> T: ...
    def __get__(self, state: AppState | None, owner: type) -> T | _Entry[T]:
        if state is None:
            return self
        if self.default is _MISSING:
            return state.store[self.key]
        return state.store.get(self.key, self.default)

    def __set__(self, state: AppState, value: T) -> None:
        state.store[self.key] = value


class AppState:
    """This session's choices: the shared ones, the map page's and the import page's.

    Reads and writes go to `st.session_state` (or the mapping given, for tests). Defaults
    are set once per session by `start`; a widget with the same key then owns its entry.
    """

    operation = _Entry[str](Key.OPERATION)
    lang = _Entry[str | None](Key.LANG, None)
    basemap = _Entry[str](Key.BASEMAP)
    selected_site = _Entry[str | None](Key.SELECTED_SITE)
    radii_for = _Entry[str | None](Key.RADII_FOR)
    edit_mode = _Entry[str](Key.EDIT_MODE, "view")
    edit_seq = _Entry[int](Key.EDIT_SEQ, 0)
    preset = _Entry[str](Key.PRESET)
    preset_min_polri = _Entry[int | None](Key.PRESET_MIN_POLRI, None)
    preset_edits = _Entry[dict | None](Key.PRESET_EDITS, None)
    import_saved = _Entry[str | None](Key.IMPORT_SAVED, None)
    import_file_id = _Entry[str | None](Key.IMPORT_FILE_ID, None)
    import_path = _Entry[str](Key.IMPORT_PATH)
    import_sha = _Entry[str](Key.IMPORT_SHA, "")
    import_layer = _Entry[str | None](Key.IMPORT_LAYER, None)
    import_mode = _Entry[str](Key.IMPORT_MODE)
    import_kind = _Entry[str](Key.IMPORT_KIND, "")
    actor = _Entry[Actor | None](Key.ACTOR, None)

    # Widgets whose values must outlive a visit to another page (the map page's, and the
    # import page's kind choice, which also outlives a new upload).
    _KEPT = (
        Key.PRESET,
        Key.PRESET_MIN_POLRI,
        Key.AREA_LEVEL,
        Key.PHASE,
        Key.IMPORT_KIND,
        Key.EDIT_MODE,
    )
    _KEPT_PREFIXES = ("radius_", "weight_", "layer_")

    def __init__(self, store: MutableMapping[str, Any] | None = None) -> None:
        self.store: MutableMapping[str, Any] = st.session_state if store is None else store

    def start(self, operations: Iterable[str], *, preferred: str) -> None:
        """Set every default once per session, then keep the map page's choices.

        Parameters
        ----------
        operations
            Names of the operations that can be opened.
        preferred
            The operation to open first when it is one of them.
        """
        names = list(operations)
        # back from `switch_page`, before the widgets are drawn (then they can be written)
        for key, value in self.store.pop(Key.FRAME_NEXT, {}).items():
            self.store[key] = value
        defaults = {
            Key.OPERATION: preferred if preferred in names else names[0],
            Key.BASEMAP: "osm",
            Key.SELECTED_SITE: None,
            Key.RADII_FOR: None,
            **{Key.layer(key): True for key in LAYER_KEYS},
        }
        for key, value in defaults.items():
            self.store.setdefault(key, value)
        self.keep_map_choices()

    def switch_page(self, page: Path) -> None:
        """Open another page from code, keeping the frame's choices (operation, language,
        basemap) and the map page's: a switch sends no widget values, so they would fall
        back to their defaults."""
        frame = (Key.OPERATION, Key.LANG, Key.BASEMAP)
        self.store[Key.FRAME_NEXT] = {k: self.store[k] for k in frame if k in self.store}
        st.switch_page(page)

    def keep_map_choices(self) -> None:
        """Keep the map page's choices while another page is shown.

        Streamlit forgets the value of a widget that a run does not draw; writing the values
        back at the start of each run keeps radii, weights, layers and preset across pages.
        """
        for key in list(self.store.keys()):
            if key.startswith(self._KEPT_PREFIXES) or key in self._KEPT:
                self.store[key] = self.store[key]

    def adopt_language(self, language: str) -> None:
        """Start a new session in the operation's language; a later choice is kept."""
        if self.lang is None:
            self.lang = language

    def radius_m(self, post_type: PostType) -> float:
        """The chosen radius of a post type, in metres."""
        return float(self.store[Key.radius(post_type)])

    def set_radius_m(self, post_type: PostType, metres: int) -> None:
        """Set a post type's radius slider."""
        self.store[Key.radius(post_type)] = metres

    def weight(self, risk: Risk) -> float:
        """The chosen weight of a risk class."""
        return float(self.store[Key.weight(risk)])

    def set_weight(self, risk: Risk, value: float) -> None:
        """Set a risk class's weight input."""
        self.store[Key.weight(risk)] = value

    def layer_on(self, layer: str) -> bool:
        """Whether a map layer is switched on."""
        return bool(self.store[Key.layer(layer)])

    def select_if_new(self, source: str, site_id: str | None) -> None:
        """Select `site_id` when `source` (a map click, a list row) reports a new pick.

        Both sources keep reporting their last pick on every run; only a change is the
        user's latest act, so the most recent pick wins whichever source made it.
        """
        if site_id == self.store.get(source):
            return
        self.store[source] = site_id
        if site_id:
            self.selected_site = site_id

    def forget(self, keys: Iterable[str]) -> None:
        """Drop entries (and so reset their widgets) if present."""
        for key in keys:
            self.store.pop(key, None)


@dataclass(frozen=True)
class PageContext:
    """What the frame hands to the page it runs: the open operation, the session and who
    signed in (every page checks `actor` itself before showing or changing anything)."""

    operation: Operation
    path: Path
    signature: tuple
    state: AppState
    actor: Actor

    @property
    def lang(self) -> str:
        """The interface language chosen for this session."""
        lang = self.state.lang
        if lang is None:
            msg = "the frame must set the language before running a page"
            raise RuntimeError(msg)
        return lang


# Each session's script runs in its own thread, so a context variable is per session and per
# run: the frame sets it around `page.run()`, the page reads it, nothing leaks between users.
_CURRENT: ContextVar[PageContext] = ContextVar("posko_page_context")


@contextmanager
def page_context(context: PageContext) -> Iterator[PageContext]:
    """Make `context` the current page context for the duration of a `with` block."""
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


def current_page() -> PageContext:
    """The context the frame set for the page now running.

    Raises
    ------
    RuntimeError
        When a page runs outside the frame (e.g. `streamlit run pages/map_page.py`).
    """
    try:
        return _CURRENT.get()
    except LookupError:
        msg = "a page runs inside the app's frame: start the app with `posko serve`"
        raise RuntimeError(msg) from None
