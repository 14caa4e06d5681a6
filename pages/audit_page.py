"""The audit page: every change to the open operation (who, when in its time zone, what,
versions, the imported file's SHA-256), filterable by kind, as a table and a CSV."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pandas as pd
import streamlit as st

from geo import audit
from geo.access import Action, require
from geo.audit import AuditRecord, readable_time
from geo.csvsafe import to_csv_safe
from geo.model import AUDIT_ACTIONS, AuditAction, Role
from geo.text import Text, label, t
from pages.exports import audited_data, hide_table_toolbars
from pages.state import PageContext, current_page

__all__ = ["AUDIT_COLUMNS", "audit_table", "render", "shown_table"]

_NO_VALUE = "—"

AUDIT_COLUMNS = (
    "at",
    "who",
    "action",
    "what",
    "version_before",
    "version_after",
    "sha256",
)


def audit_table(records: Iterable[AuditRecord], lang: str, zone: str) -> pd.DataFrame:
    """Audit records for display and download: times in `zone` with its label, the kind of
    change in `lang`, versions as whole numbers (empty where none applies)."""
    rows = [
        {
            "at": readable_time(r.at, zone),
            "who": r.who,
            "action": label("audit_action", r.action, lang),
            "what": r.what_in(lang),
            "version_before": r.version_before,
            "version_after": r.version_after,
            "sha256": r.sha256,
        }
        for r in records
    ]
    table = pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
    for column in ("version_before", "version_after"):
        table[column] = table[column].astype("Int64")
    return table.rename(columns={c: t(f"audit.col.{c}", lang) for c in AUDIT_COLUMNS})


def shown_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The audit table as the page shows it: "—" where no version or file hash applies
    (the grid would print Python's "None"); the CSV keeps those cells empty."""
    shown = table.copy()
    for column in ("version_before", "version_after", "sha256"):
        name = t(f"audit.col.{column}", lang)
        shown[name] = [_NO_VALUE if pd.isna(v) else str(v) for v in shown[name]]
    return shown


def render(ctx: PageContext) -> None:
    """Lay out the audit page (planners of the operation and admins only)."""
    require(ctx.actor, Action.AUDIT, ctx.operation.key)
    lang = ctx.lang
    zone = str(ctx.operation.settings.time_zone)
    st.subheader(t("audit.title", lang))
    st.caption(t("audit.intro", lang, zone=zone))
    records = _records(ctx, lang)
    if not records:
        st.info(t("audit.none", lang))
        return
    chosen = _chosen_actions(records, lang)
    shown = [r for r in records if r.action in chosen]
    st.caption(t("audit.shown", lang, shown=len(shown), total=len(records)))
    table = audit_table(shown, lang, zone)
    hide_table_toolbars()
    st.dataframe(shown_table(table, lang), hide_index=True, width="stretch", key="audit_table")
    csv = to_csv_safe(table)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    st.download_button(
        t("audit.download_csv", lang),
        data=audited_data(ctx, AuditAction.EXPORT_CSV, Text("audit.what.audit_csv"), lambda: csv),
        file_name=f"audit-{ctx.operation.key}-{stamp}.csv",
        mime="text/csv",
        key="audit_csv",
        on_click="ignore",
    )


def _records(ctx: PageContext, lang: str) -> list[AuditRecord]:
    """The operation's records, newest first; an admin may add the deployment's own (users,
    grants, store moves), which belong to no operation."""
    key = ctx.operation.key
    if ctx.actor.role == Role.ADMIN and st.checkbox(
        t("audit.with_deployment", lang), key="audit_with_deployment"
    ):
        return [r for r in audit.entries() if r.operation in (key, None)]
    return audit.entries(key)


def _chosen_actions(records: list[AuditRecord], lang: str) -> set[AuditAction]:
    """The kinds of change to show (every kind present, unless the planner narrows it)."""
    present = [a for a in AUDIT_ACTIONS if any(r.action == a for r in records)]
    picked = st.multiselect(
        t("audit.filter", lang),
        present,
        format_func=lambda a: label("audit_action", a, lang),
        key="audit_filter",
        placeholder=t("audit.filter_all", lang),
    )
    return set(picked or present)


if __name__ == "__main__":
    render(current_page())
