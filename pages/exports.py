"""Downloads that are exports: made when the user clicks, and audited then, in their name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from geo import audit
from geo.analysis import Analysis
from geo.model import AuditAction
from geo.text import Text, t
from layers.partner import partner_briefing_html
from pages.state import PageContext

__all__ = [
    "NO_TABLE_TOOLBAR_CSS",
    "audited_data",
    "hide_table_toolbars",
    "render_partner_download",
]

# Streamlit's own table toolbar offers a CSV download the audit log never sees (and, on a
# 1024 px screen, it covers the control above the table): the page's audited buttons export
NO_TABLE_TOOLBAR_CSS = """<style>
[data-testid="stMain"] [data-testid="stElementToolbar"] { display: none !important; }
</style>"""


def hide_table_toolbars() -> None:
    """Hide the tables' built-in toolbar (its unaudited CSV download) on this page."""
    st.html(NO_TABLE_TOOLBAR_CSS)


def audited_data(
    ctx: PageContext, action: AuditAction, what: str | Text, make: Callable[[], str | bytes]
) -> Callable[[], str | bytes]:
    """The `data` of a download button: `make` runs when the user clicks (Streamlit's
    deferred download), and the export is then recorded in the audit log under the
    signed-in user, with the operation's version.

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
