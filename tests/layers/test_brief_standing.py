"""The briefing says where its plan stands: a draft or a proposal is not yet approved (near
the classification banner and on every printed page); an approved plan says by whom, when."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from geo.analysis import analyse
from geo.audit import readable_time
from geo.model import PlanStatus
from geo.operation import load_operation
from geo.plans import Plans
from layers.export import briefing_html, css_string, plan_standing

WHEN = datetime(2024, 11, 27, 7, 0, tzinfo=UTC)


def _brief(folder: Path, lang: str, **options: object) -> str:
    analysis = analyse(load_operation(folder))
    return briefing_html(analysis, lang=lang, exported_at=WHEN, exported_by="Kabag Ops", **options)


def _stamp(html: str) -> str:
    """The standing line of the head, which comes right after the top banner."""
    top = html.index('class="cls-banner top"')
    found = re.search(r'<p class="brief-standing([^"]*)" role="note">([^<]*)</p>', html[top:])
    assert found is not None
    return found.group(1) + "|" + found.group(2)


def test_the_initial_plan_is_briefed_as_a_draft(sample_analysis) -> None:
    html = briefing_html(sample_analysis, exported_at=WHEN, exported_by="Kabag Ops")
    line = (
        "DRAF — Rencana awal (pos hasil impor) belum disetujui pimpinan; bukan perintah penugasan."
    )
    assert _stamp(html) == f" not-approved|{line}"
    # the printed pages carry it beside who exported the briefing
    assert f"@bottom-left {{ content: {css_string('DRAF · Diekspor')}"[:-1] in html
    english = plan_standing(sample_analysis, "en")
    assert english.short == "DRAFT"
    assert english.text == (
        "DRAFT — the Initial plan (the imported posts) is not yet approved by the commander; "
        "not a deployment order."
    )
    assert not english.approved


def test_proposed_then_approved_with_who_and_when(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    plans = Plans.for_operation(operation)
    info = plans.create("Rencana B", operation.plan_content, who="perencana", make_current=True)
    assert _stamp(_brief(op_folder, "en")) == (
        " not-approved|DRAFT — this plan is not yet approved by the commander; not a "
        "deployment order."
    )
    plans.set_status(info.plan_id, PlanStatus.PROPOSED, base_version=1, who="perencana")
    assert _stamp(_brief(op_folder, "id")) == (
        " not-approved|DIAJUKAN — rencana ini menunggu persetujuan pimpinan; bukan perintah "
        "penugasan."
    )
    plans.set_status(info.plan_id, PlanStatus.APPROVED, base_version=2, who="Kapolresta")
    approval = plans.history(info.plan_id)[-1]
    when = readable_time(approval.saved_at, "WIB")
    html = _brief(op_folder, "en")
    assert _stamp(html) == f"|APPROVED — this plan was approved by Kapolresta on {when}."
    assert "not yet approved" not in html
    assert css_string("APPROVED · Exported by Kabag Ops")[:-1] in html
    indonesian = _brief(op_folder, "id")
    assert f"DISETUJUI — rencana ini disetujui oleh Kapolresta pada {when}." in indonesian
    # the approved plan with edits not saved is no longer the approved plan
    unsaved = _brief(op_folder, "en", unsaved=True)
    assert _stamp(unsaved) == (
        " not-approved|DRAFT — includes changes not saved and not approved by the commander."
    )
