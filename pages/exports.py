"""Downloads that are exports: made when the user clicks, and audited then, in their name.

What an export's audit record says is a catalog text (:class:`geo.text.Text`) with its
values, so each reader of the log sees it in their own language; the builders here make
the texts the pages share.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import streamlit as st

from geo import audit
from geo.analysis import Analysis
from geo.model import AuditAction
from geo.text import Labels, Text, t
from layers.partner import partner_briefing_html, partner_chain
from pages.state import PageContext

if TYPE_CHECKING:
    from geo.phases import Phase
    from geo.plans import PlanInfo

__all__ = [
    "NO_TABLE_TOOLBAR_CSS",
    "audited_data",
    "briefing_what",
    "comparison_what",
    "hide_table_toolbars",
    "on_paper",
    "plan_what",
    "render_partner_download",
    "with_csv_lists",
]

# Streamlit's own table toolbar offers a CSV download the audit log never sees (and, on a
# 1024 px screen, it covers the control above the table): the page's audited buttons export
NO_TABLE_TOOLBAR_CSS = """<style>
[data-testid="stMain"] [data-testid="stElementToolbar"] { display: none !important; }
</style>"""


def hide_table_toolbars() -> None:
    """Hide the tables' built-in toolbar (its unaudited CSV download) on this page."""
    st.html(NO_TABLE_TOOLBAR_CSS)


def briefing_what(
    plan: PlanInfo | None, *, unsaved: bool = False, phase: Phase | None = None
) -> Text:
    """What a briefing of the map page exports: the plan shown (name and version, or the
    initial plan), the phase it is for, and whether it holds unsaved changes."""
    what = (
        Text("audit.what.briefing_version", {"plan": plan.name, "version": plan.version})
        if plan is not None
        else Text("audit.what.briefing_only")
    )
    if phase is not None:
        what = Text("audit.what.phase", {"what": what, "phase": phase.name})
    return Text("audit.what.unsaved", {"what": what}) if unsaved else what


def on_paper(what: Text, paper: str) -> Text:
    """An export's words with the paper size it was laid out for ("A4")."""
    return Text("audit.what.paper", {"what": what, "paper": paper})


def with_csv_lists(what: Text) -> Text:
    """A briefing's words when its zip also holds the full lists as CSV files."""
    return Text("audit.what.with_csv", {"what": what})


def plan_what(analysis: Analysis) -> Text:
    """The plan an analysis shows as an export names it: "Rencana B (diusulkan)"."""
    plan = analysis.operation.plan
    if plan is None:
        return Text("compare.plan_initial_label", {"name": Text("plan.initial_name")})
    status = Labels("plan_status", {"values": (str(plan.status),)})
    return Text("compare.plan_label", {"name": plan.name, "status": status})


def comparison_what(a: Analysis, b: Analysis, *, briefing: bool) -> Text:
    """What an export of the comparison of two plans holds (its table or its briefing)."""
    key = "audit.what.briefing_compare" if briefing else "audit.what.compare_csv"
    return Text(key, {"a": plan_what(a), "b": plan_what(b)})


def audited_data(
    ctx: PageContext, action: AuditAction, what: Text, make: Callable[[], str | bytes]
) -> Callable[[], str | bytes]:
    """The `data` of a download button: `make` runs when the user clicks (Streamlit's
    deferred download), and the export is then recorded in the audit log under the
    signed-in user, with the operation's version; `what` is a catalog text, read in each
    reader's language.

    The name is taken now, on the server, from the session's actor: nothing the browser
    sends can change it.
    """
    who = ctx.actor.name
    operation = ctx.operation

    def build() -> str | bytes:
        data = make()
        audit.record(
            who,
            action,
            operation=operation.key,
            what=what,
            version_before=operation.version,
            version_after=operation.version,
        )
        return data

    return build


def render_partner_download(
    ctx: PageContext, analysis: Analysis, *, basemap: str, online: bool, paper: str, lang: str
) -> None:
    """The partner briefing's download (KPU, Bawaslu, Forkopimda), beside the briefing's:
    TPS, areas, phases and the logistics chain, no post or personnel; made on the click,
    audited like the other exports, with the briefing's tile and paper choices."""

    def build() -> str:
        return partner_briefing_html(
            analysis,
            lang=lang,
            basemap=basemap,
            online=online and basemap != "none",
            paper=paper,
            exported_at=datetime.now().astimezone(),
            exported_by=ctx.actor.name,
            chain=partner_chain(analysis),
        )

    what = Text(
        "audit.what.briefing",
        {
            "what": Text("partner.audit_what"),
            "paper": paper,
            "file": f"briefing-mitra-{analysis.operation.key}.html",
        },
    )
    st.download_button(
        t("partner.download", lang),
        data=audited_data(ctx, AuditAction.EXPORT_BRIEFING, what, build),
        file_name=f"briefing-mitra-{analysis.operation.key}.html",
        mime="text/html",
        key="download_partner_brief",
        on_click="ignore",
    )
