"""The map page's summary by area: a drill-down (kabupaten/kota → kecamatan → kelurahan)
with coverage and staffing per area, and the uncovered list of the chosen area, gravest
first and bounded; the full lists as audited CSV downloads."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
import streamlit as st

from geo.model import AuditAction, Kind
from geo.summary import (
    OUTSIDE,
    AreaScope,
    area_summary,
    child_level,
    summary_levels,
    summary_table,
    table_csv,
    uncovered_table,
)
from geo.text import Text, format_int, format_number, label, t
from layers.export import (
    all_phases_note,
    area_text,
    briefing_bundle,
    briefing_with_csv,
    shortfall_note,
)
from pages.exports import audited_data, with_csv_lists
from pages.figures import BY_KIND, area_key, uncovered_key
from pages.state import Key

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

    from geo.analysis import Analysis
    from pages.state import PageContext

__all__ = [
    "UNCOVERED_SHOWN",
    "chosen_scope",
    "render_area_downloads",
    "render_area_summary",
    "render_briefing_bundle",
    "shown_uncovered",
]

UNCOVERED_SHOWN = 200
"""The uncovered list shows at most this many rows (the gravest); the CSV holds them all."""

_T = TypeVar("_T")
Once = Callable[[tuple, Callable[[], Any]], Any]
"""Works a figure out once for a shared analysis (the map page's figure cache)."""


def _direct(_key: tuple, compute: Callable[[], _T]) -> _T:
    return compute()


def _pick_key(level: str, scope: AreaScope | None) -> str:
    """A widget per parent area: a choice made under another parent never lingers."""
    return f"area_pick_{level}_{scope.code if scope else 'all'}"


def chosen_scope(analysis: Analysis, lang: str, once: Once = _direct) -> AreaScope | None:
    """The drill-down's choices, coarsest level first, one box per level shown once its
    parent is chosen; returns the finest area chosen (None: the whole operation)."""
    levels = summary_levels(analysis)
    scope: AreaScope | None = None
    level: str | None = levels[0] if levels else None
    columns = st.columns(max(len(levels), 1))
    while level is not None:
        table = once(area_key(level, scope), partial(area_summary, analysis, level, within=scope))
        word = label("area_level", level, lang)
        code = columns[levels.index(level)].selectbox(
            t("summary.pick", lang, level=word),
            [None, *table["area_code"]],
            format_func=partial(_option, table=table, word=word, lang=lang),
            key=_pick_key(level, scope),
        )
        if code is None:
            break
        scope = AreaScope(level, code)
        level = child_level(analysis, level) if code != OUTSIDE else None
    return scope


def _option(code: str | None, *, table: pd.DataFrame, word: str, lang: str) -> str:
    """A drill-down choice: "All <level>", or an area with its uncovered TPS in brackets."""
    if code is None:
        return t("summary.all", lang, level=word)
    row = table[table["area_code"] == code].iloc[0]
    return f"{area_text(code, row['area'], lang)} ({format_int(int(row['uncovered']), lang)})"


def _scope_name(analysis: Analysis, scope: AreaScope | None, lang: str) -> str:
    if scope is None:
        return t("summary.everywhere", lang)
    name = analysis.area_names().get(scope.code, scope.code)
    return f"{label('area_level', scope.level, lang)} {area_text(scope.code, name, lang)}"


def _localized(table: pd.DataFrame, lang: str, decimals: dict[str, int]) -> Styler:
    """Numbers as the page's language writes them (1.234,5); "–" for a missing value."""
    formats = {
        column: partial(_number, lang=lang, decimals=decimals.get(column, 0))
        for column in table.select_dtypes("number").columns
    }
    return table.style.format(formats, na_rep="–")


def _number(value: float, *, lang: str, decimals: int) -> str:
    return format_number(value, lang, decimals=decimals)


def _area_rows(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A summary table as shown: names, labels, percentages, headings in `lang`."""
    return pd.DataFrame(
        {
            t("col.area", lang): [
                area_text(c, n, lang)
                for c, n in zip(table["area_code"], table["area"], strict=True)
            ],
            t("col.tps", lang): table["tps"].to_numpy(),
            t("col.covered", lang): table["covered"].to_numpy(),
            t("col.uncovered", lang): table["uncovered"].to_numpy(),
            t("summary.col.uncovered_share", lang): 100 * table["uncovered_share"].astype(float),
            t("summary.col.worst_uncovered", lang): [
                label("risk", r, lang) if isinstance(r, str) else "–"
                for r in table["worst_uncovered"]
            ],
            t("staff.col.polri", lang): table["polri"].to_numpy(),
            t("staff.col.available", lang): table["available"].to_numpy(),
            t("staff.col.shortfall", lang): table["shortfall"].to_numpy(),
        }
    )


def shown_uncovered(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The first :data:`UNCOVERED_SHOWN` rows of :func:`geo.summary.uncovered_table`, as
    shown (headings in `lang`, risk labels); the row order is kept."""
    head = table.head(UNCOVERED_SHOWN)
    return pd.DataFrame(
        {
            t("col.tps_no", lang): head["tps_no"].to_numpy(),
            t("col.name", lang): head["name"].to_numpy(),
            t("col.kelurahan", lang): head["kelurahan"].to_numpy(),
            t("col.kecamatan", lang): head["kecamatan"].to_numpy(),
            t("col.risk", lang): [label("risk", r, lang) for r in head["risk"]],
            t("col.voters", lang): head["voters"].to_numpy(),
            t("col.nearest_post", lang): head["nearest_post"].to_numpy(),
            t("col.distance_m", lang): head["nearest_post_m"].round(0).to_numpy(),
        }
    )


def render_area_summary(analysis: Analysis, lang: str, *, once: Once = _direct) -> str | None:
    """The drill-down, the chosen area's table and its uncovered list (gravest first, at
    most :data:`UNCOVERED_SHOWN` rows); returns the site of the uncovered row picked.

    Parameters
    ----------
    analysis
        The analysis shown.
    lang
        The page's language.
    once
        How a figure is worked out once for an analysis shared by every tab (the map
        page's cache); computed afresh by default.

    Returns
    -------
    site_id
        The id of the polling station whose row is selected, or None.
    """
    scope = None
    if summary_levels(analysis):
        st.subheader(t("summary.title", lang))
        scope = chosen_scope(analysis, lang, once)
        _render_area_table(analysis, scope, lang, once)
    return _render_uncovered(analysis, scope, lang, once)


def _render_area_table(analysis: Analysis, scope: AreaScope | None, lang: str, once: Once) -> None:
    """The children of the chosen area (or the chosen area itself at the finest level)."""
    levels = summary_levels(analysis)
    if scope is None:
        level, within = levels[0], None
    else:
        below = child_level(analysis, scope.level) if scope.code != OUTSIDE else None
        level, within = (below, scope) if below else (scope.level, None)
    table = once(area_key(level, within), partial(area_summary, analysis, level, within=within))
    if within is None and scope is not None:
        table = table[table["area_code"] == scope.code]
    st.dataframe(
        _localized(_area_rows(table, lang), lang, {t("summary.col.uncovered_share", lang): 1}),
        hide_index=True,
        width="stretch",
        key="area_table",
    )
    st.caption(shortfall_note(analysis.staffing, lang))
    if note := all_phases_note(analysis, lang):
        st.caption(note)


def _render_uncovered(
    analysis: Analysis, scope: AreaScope | None, lang: str, once: Once
) -> str | None:
    """The uncovered TPS of `scope`, gravest first; the first rows only, with the count."""
    st.subheader(t("app.uncovered_table", lang))
    if once(BY_KIND, analysis.by_kind)[Kind.POLLING_STATION].total == 0:
        st.info(t("app.no_tps", lang))
        return None
    table = once(uncovered_key(scope), partial(uncovered_table, analysis, within=scope))
    if table.empty:
        st.success(t("app.none_uncovered", lang))
        return None
    if len(table) > UNCOVERED_SHOWN:
        st.caption(
            t(
                "summary.uncovered_top",
                lang,
                shown=format_int(UNCOVERED_SHOWN, lang),
                total=format_int(len(table), lang),
                where=_scope_name(analysis, scope, lang),
            )
        )
    st.caption(t("app.uncovered_hint", lang))
    event = st.dataframe(
        _localized(shown_uncovered(table, lang), lang, {}),
        hide_index=True,
        width="stretch",
        key=Key.UNCOVERED_TABLE,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event else []
    if not rows or rows[0] >= min(len(table), UNCOVERED_SHOWN):
        return None
    return str(table["site_id"].iloc[rows[0]])


def render_area_downloads(ctx: PageContext, analysis: Analysis, lang: str) -> None:
    """The full uncovered list and the summary of every area, as audited CSV downloads
    (formula-safe: :func:`geo.summary.table_csv`)."""
    key = analysis.operation.key
    if analysis.by_kind()[Kind.POLLING_STATION].uncovered:
        _csv_button(
            ctx,
            t("app.uncovered_csv", lang),
            Text("audit.what.uncovered_csv"),
            lambda: table_csv(uncovered_table(analysis), lang),
            file_name=f"tps-tak-terjangkau-{key}.csv",
            key="uncovered_csv",
        )
    if summary_levels(analysis):
        _csv_button(
            ctx,
            t("summary.areas_csv", lang),
            Text("audit.what.areas_csv"),
            lambda: table_csv(summary_table(analysis), lang),
            file_name=f"ringkasan-wilayah-{key}.csv",
            key="areas_csv",
        )


def _csv_button(
    ctx: PageContext,
    label_text: str,
    what: Text,
    make: Callable[[], str],
    *,
    file_name: str,
    key: str,
) -> None:
    """One audited CSV download: the data is made and audited when the user clicks."""
    st.download_button(
        label_text,
        data=audited_data(ctx, AuditAction.EXPORT_CSV, what, make),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


def render_briefing_bundle(
    ctx: PageContext, analysis: Analysis, lang: str, *, build: Callable[..., str], what: Text
) -> None:
    """The briefing with its full lists: a zip of the HTML (the same file as the plain
    download, but naming its CSV files) and the CSV files `posko brief --with-csv` writes.

    Parameters
    ----------
    build
        Makes the briefing HTML; called with `csv_files` (:func:`layers.export.briefing_html`
        with the page's choices bound).
    what
        The audit record's words for the plain briefing (catalog text); ", with CSV
        lists" is added.
    """
    name = f"briefing-{analysis.operation.key}.html"

    def bundle() -> bytes:
        html, files = briefing_with_csv(analysis, html_name=name, lang=lang, build=build)
        return briefing_bundle(name, html, files)

    st.download_button(
        t("app.download_brief_zip", lang),
        data=audited_data(ctx, AuditAction.EXPORT_BRIEFING, with_csv_lists(what), bundle),
        file_name=f"briefing-{analysis.operation.key}.zip",
        mime="application/zip",
        key="download_brief_zip",
        on_click="ignore",
    )
