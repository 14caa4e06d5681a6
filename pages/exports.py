"""Downloads that are exports: made when the user clicks, and audited then, in their name."""

from __future__ import annotations

from collections.abc import Callable

from geo import audit
from geo.model import AuditAction
from pages.state import PageContext

__all__ = ["audited_data"]


def audited_data(
    ctx: PageContext, action: AuditAction, what: str, make: Callable[[], str | bytes]
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
