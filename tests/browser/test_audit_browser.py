"""The audit page in a real browser: its table, the filter, the CSV (itself audited), and how
it looks on a desktop, a small laptop and a phone; the briefing's printed footer."""

from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import expect

from geo import audit
from geo.access import local_user
from geo.db import Database
from geo.model import AuditAction
from layers.export import briefing_html
from layers.snapshot import snapshot
from tests.browser.test_app_browser import TIMEOUT_MS, app_idle, nav_link

HOSTILE = '<img src=x onerror="document.title=1">'
DIGEST = "ab" * 32
VIEWPORTS = {"desktop": (1920, 1080), "laptop": (1024, 768), "phone": (390, 844)}


def _seed(workspace: Path) -> Database:
    """Three changes of the sample's working copy, straight into the app's database."""
    db = Database(f"sqlite:///{workspace / 'posko.db'}")
    audit.record(
        "Bag Ops",
        AuditAction.IMPORT,
        operation="latihan",
        what="tps_kpu.csv: add/update by matching",
        version_before=1,
        version_after=2,
        sha256=DIGEST,
        db=db,
    )
    audit.record(
        "Kabag Ops",
        AuditAction.PLAN_SAVE,
        operation="latihan",
        what=f"plan 'Rencana B' (plan-2): {HOSTILE}",
        version_before=2,
        version_after=3,
        db=db,
    )
    audit.record("Kabag Ops", AuditAction.USER_ADD, operation=None, what="user 'citra'", db=db)
    return db


def _download_rows(page) -> list[dict[str, str]]:
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="Unduh jejak audit (CSV)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_audit_page_lists_filters_and_downloads(app_server, open_page, screenshot) -> None:
    db = _seed(app_server.workspace)
    p = open_page(viewport=VIEWPORTS["desktop"])
    page = p.page
    p.expect_blocked_tiles()
    page.goto(app_server.url)
    page.get_by_role("combobox", name="Operasi").click()
    page.get_by_role("option", name="latihan", exact=True).click()
    app_idle(page)
    nav_link(page, "Jejak audit").click()
    page.get_by_role("heading", name="Jejak audit").wait_for(timeout=TIMEOUT_MS)
    page.locator('[data-testid="stDataFrame"]').wait_for(timeout=TIMEOUT_MS)
    app_idle(page)
    screenshot(page, "audit-start")
    assert page.title() != "1"  # the hostile text ran nothing
    rows = _download_rows(page)
    ours = [r for r in rows if r["Oleh"] in ("Bag Ops", "Kabag Ops")]  # other tests' too
    assert [r["Perubahan"] for r in ours][-2:] == ["Simpan rencana", "Impor daftar lokasi"]
    imported = ours[-1]
    assert imported["SHA-256 berkas"] == DIGEST
    assert (imported["Versi sebelum"], imported["Versi sesudah"]) == ("1", "2")
    assert imported["Waktu"].endswith(" WIB")
    assert HOSTILE in ours[-2]["Keterangan"]  # kept as text
    assert all(r["Perubahan"] != "Pengguna baru" for r in rows)  # not this operation's
    exported = audit.entries("latihan", db=db, limit=1)[0]
    assert (exported.action, exported.who, exported.what) == (
        AuditAction.EXPORT_CSV,
        local_user(),
        "audit log",
    )
    # only imports: the filter narrows the table and its CSV
    shown = page.get_by_text(re.compile(r"^\d+ dari \d+ catatan$"))
    before = shown.inner_text()
    choose = page.locator('[data-testid="stMultiSelect"] input')
    choose.click()
    choose.fill("Impor daftar")
    page.get_by_role("option", name="Impor daftar lokasi").wait_for(timeout=TIMEOUT_MS)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    screenshot(page, "audit-filtered")
    expect(shown).not_to_have_text(before, timeout=TIMEOUT_MS)
    app_idle(page)
    imports = _download_rows(page)
    assert {r["Perubahan"] for r in imports} == {"Impor daftar lokasi"}
    assert DIGEST in {r["SHA-256 berkas"] for r in imports}
    for name, size in VIEWPORTS.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.wait_for_timeout(400)
        screenshot(page, f"audit-{name}")
    assert p.unexpected_console_errors() == []


def test_the_printed_briefing_carries_who_exported_it_on_every_page(
    sample_analysis, chromium, tmp_path
) -> None:
    html = briefing_html(
        sample_analysis,
        basemap="none",
        exported_at=datetime(2026, 11, 29, 7, 5, tzinfo=UTC),
        exported_by="Kabag Ops",
    )
    source = tmp_path / "brief.html"
    source.write_text(html, encoding="utf-8")
    pdf = tmp_path / "brief.pdf"
    snapshot(source, pdf=pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert "Diekspor oleh Kabag Ops, 29-11-2026 14:05 WIB" in page
        assert "TERBATAS" in "".join(page.split())  # letter-spaced in the band
