"""Sign-in and roles in a real browser against the real app with local accounts: nothing of an
operation before sign-in, wrong passwords and lockout, what a viewer and a planner may open
(by the navigation and by URL), sign-out, and the first admin on a fresh machine."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.access import Actor
from geo.accounts import Accounts
from geo.db import Database
from geo.model import Role
from geo.operation import SAMPLE_OPERATION, load_operation
from tests.browser.conftest import AppServer, start_app, stop_app
from tests.browser.test_app_browser import TIMEOUT_MS, app_idle, map_frame, nav_link

PASSWORD = "sandi-uji-panjang"
SETUP = Actor(name="pemasang", role=Role.VIEWER, grants=frozenset(), method="cli")
IMPORT_TITLE = "Impor data lokasi"


def _serve(workspace: Path) -> Iterator[AppServer]:
    log = workspace / "streamlit.log"
    with log.open("w") as out:
        process, url = start_app(workspace, log, out, env={"POSKO_SIGN_IN": "local"})
        try:
            yield AppServer(url=url, workspace=workspace)
        finally:
            stop_app(process)


@pytest.fixture(scope="module")
def signin_server(chromium, tmp_path_factory) -> Iterator[AppServer]:
    """Two operations; kabag (admin), sari (planner of polres_a), budi (viewer of polres_a),
    kunci (viewer, for the lockout); three wrong passwords lock an account."""
    workspace = tmp_path_factory.mktemp("signin")
    for name in ("polres_a", "polres_b"):
        shutil.copytree(SAMPLE_OPERATION, workspace / name)
    (workspace / "posko.toml").write_text("[sign_in]\nlockout_failures = 3\n", encoding="utf-8")
    accounts = Accounts(Database(f"sqlite:///{workspace / 'posko.db'}"))
    accounts.add("kabag", Role.ADMIN, PASSWORD, by=SETUP)
    admin = accounts.sign_in("kabag", PASSWORD)
    for name, role in (("sari", Role.PLANNER), ("budi", Role.VIEWER), ("kunci", Role.VIEWER)):
        accounts.add(name, role, PASSWORD, by=admin)
        accounts.grant(name, "polres_a", by=admin)
    yield from _serve(workspace)


def _page_url_probes(p) -> None:
    """Opened at a page's URL, Streamlit's client first looks for its server under that path
    (``/import/_stcore/health``) and logs the 404 before finding it at the root."""
    p.expect_console_errors(
        "Streamlit probes a page's URL path for its server",
        lambda text, url: "404" in text and "/_stcore/" in url,
    )


def _form(page):
    return page.locator('[data-testid="stForm"]')


def sign_in(page, name: str, password: str = PASSWORD) -> None:
    expect(_form(page)).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_label("Nama pengguna").fill(name)
    page.get_by_label("Kata sandi", exact=True).fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    # the form empties itself when the server has taken the submission (or is gone)
    page.wait_for_function(
        """() => { const i = document.querySelector(
            '[data-testid="stForm"] input[type="password"]'); return !i || i.value === ''; }""",
        timeout=TIMEOUT_MS,
    )
    app_idle(page)


def _signed_in(page, name: str, role: str):
    return expect(page.get_by_text(f"Masuk sebagai {name} · {role}")).to_be_visible(
        timeout=TIMEOUT_MS
    )


# how many lines the element's first text runs over
_LINES_JS = """(el) => { const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const range = document.createRange(); range.selectNodeContents(walk.nextNode());
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"""


def _nav_titles(page) -> list[str]:
    """The titles the navigation lists (each link's text ends with its title)."""
    links = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    return [text.strip().splitlines()[-1] for text in links]


def _open_by_url(page, path: str) -> None:
    """Go to another page's URL inside the same session (as the browser's back and forward
    buttons do): a full reload would start a new session, signed out."""
    page.evaluate(
        """(path) => { history.pushState({}, '', path);
            window.dispatchEvent(new PopStateEvent('popstate')); }""",
        path,
    )
    app_idle(page)


def test_nothing_of_an_operation_reaches_the_browser_before_sign_in(
    signin_server, open_page
) -> None:
    sample = load_operation(SAMPLE_OPERATION)
    secrets = [sample.settings.title, "polres_a", "polres_b", *sample.sites["name"].head(20)]
    p = open_page()
    _page_url_probes(p)
    frames: list[bytes] = []

    def keep(payload: str | bytes) -> None:
        frames.append(payload.encode() if isinstance(payload, str) else payload)

    p.page.on("websocket", lambda ws: ws.on("framereceived", keep))
    for path in ("", "/import", "/suggest"):
        p.page.goto(f"{signin_server.url}{path}")
        expect(_form(p.page)).to_be_visible(timeout=TIMEOUT_MS)
        app_idle(p.page)
        page_text = p.page.content()
        assert not [s for s in secrets if s in page_text], path
    assert frames, "the websocket carried nothing: the check above checked nothing"
    received = b"".join(frames)
    assert not [s for s in secrets if s.encode() in received]
    expect(nav_link(p.page, "Peta operasi")).to_have_count(0)


def test_a_wrong_password_or_name_reads_the_same(signin_server, open_page) -> None:
    p = open_page()
    p.page.goto(signin_server.url)
    sign_in(p.page, "budi", "bukan-sandinya")
    message = p.page.get_by_text("Nama pengguna atau kata sandi salah.")
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    sign_in(p.page, "tidak-ada", PASSWORD)
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_text("Pilkada 2024")).to_have_count(0)


def _wait_counted(page, accounts: Accounts, name: str, attempt: int) -> None:
    """Wait until the server has counted `attempt` wrong passwords of `name` in a row (the
    third locks the account)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        with accounts.db.reading() as con:
            failures, locked = con.execute(
                "SELECT failures, locked_until FROM users WHERE name = ?", (name,)
            ).fetchone()
        if (locked is not None) if attempt == 3 else failures == attempt:
            return
        assert time.monotonic() < deadline, f"attempt {attempt} was never counted"
        page.wait_for_timeout(100)


def test_repeated_failures_lock_the_account(signin_server, open_page) -> None:
    p = open_page()
    p.page.goto(signin_server.url)
    accounts = Accounts(Database(f"sqlite:///{signin_server.workspace / 'posko.db'}"))
    for attempt in range(1, 4):
        sign_in(p.page, "kunci", "salah-sandi-lagi")
        _wait_counted(p.page, accounts, "kunci", attempt)  # then the next attempt
    sign_in(p.page, "kunci")  # the right password, refused while locked
    locked = p.page.get_by_text("Terlalu banyak percobaan salah: akun dikunci sampai")
    expect(locked).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_text("Pilkada 2024")).to_have_count(0)


def test_a_viewer_reaches_no_import_by_the_navigation_nor_by_url(signin_server, open_page) -> None:
    p = open_page()
    p.expect_blocked_tiles()
    _page_url_probes(p)
    p.page.goto(f"{signin_server.url}/import")  # a bookmark of the import page
    sign_in(p.page, "budi")
    _signed_in(p.page, "budi", "Peninjau")
    refusal = p.page.get_by_text(
        "budi (Peninjau) tidak berwenang untuk mengimpor atau memulihkan daftar lokasi dan "
        "wilayah pada operasi 'polres_a'."
    )
    expect(refusal).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_role("heading", name=IMPORT_TITLE)).to_have_count(0)
    expect(p.page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    assert _nav_titles(p.page) == ["Peta operasi", "Bandingkan rencana", "Skenario unjuk rasa"]
    nav_link(p.page, "Peta operasi").click()
    map_frame(p.page)
    expect(p.page.get_by_role("button", name="Simpan rencana")).to_have_count(0)
    for path in ("/import", "/suggest", "/audit"):
        _open_by_url(p.page, path)
        expect(p.page.get_by_text("budi (Peninjau) tidak berwenang")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        expect(p.page.locator('[data-testid="stFileUploader"]')).to_have_count(0)


def test_a_planner_of_one_operation_cannot_select_another(signin_server, open_page) -> None:
    p = open_page()
    p.expect_blocked_tiles()
    p.page.goto(signin_server.url)
    sign_in(p.page, "sari")
    _signed_in(p.page, "sari", "Perencana")
    map_frame(p.page)
    assert _nav_titles(p.page) == [
        "Peta operasi",
        IMPORT_TITLE,
        "Bandingkan rencana",
        "Skenario unjuk rasa",
        "Saran pos",
        "Jejak audit",
    ]
    choice = p.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    choice.click()
    options = p.page.locator('[role="option"]').all_inner_texts()
    assert [o.strip() for o in options] == ["polres_a"]
    p.page.keyboard.press("Escape")
    assert "polres_b" not in p.page.content()
    nav_link(p.page, IMPORT_TITLE).click()
    expect(p.page.get_by_role("heading", name=IMPORT_TITLE)).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_label("Nama pengimpor (untuk riwayat)")).to_have_count(0)


def test_sign_out_returns_to_the_form_and_forgets_the_session(signin_server, open_page) -> None:
    p = open_page()
    p.expect_blocked_tiles()
    p.page.goto(signin_server.url)
    sign_in(p.page, "kabag")
    _signed_in(p.page, "kabag", "Admin")
    map_frame(p.page)
    p.page.get_by_role("button", name="Keluar").click()
    expect(_form(p.page)).to_be_visible(timeout=TIMEOUT_MS)
    app_idle(p.page)
    expect(p.page.get_by_text("Pilkada 2024")).to_have_count(0)
    expect(p.page.locator("iframe[title*='st_folium']")).to_have_count(0)
    assert "polres_a" not in p.page.content()


@pytest.fixture(scope="module")
def fresh_server(chromium, tmp_path_factory) -> Iterator[AppServer]:
    """A fresh machine: local sign-in, no account yet."""
    workspace = tmp_path_factory.mktemp("fresh")
    shutil.copytree(SAMPLE_OPERATION, workspace / "latihan")
    yield from _serve(workspace)


@pytest.mark.parametrize("viewport", [(1920, 1080), (1024, 768), (390, 844)])
def test_the_sign_in_page_at_every_size(signin_server, open_page, screenshot, viewport) -> None:
    p = open_page(viewport=viewport)
    p.page.goto(signin_server.url)
    expect(_form(p.page)).to_be_visible(timeout=TIMEOUT_MS)
    app_idle(p.page)
    button = p.page.get_by_role("button", name="Masuk", exact=True).bounding_box()
    title = p.page.get_by_role("heading", name="Masuk ke Posko")
    assert button
    assert title.evaluate(_LINES_JS) == 1  # one line, not a title broken over two
    assert button["y"] + button["height"] <= viewport[1]  # the whole form on the first screen
    docs = "app-signin.png" if viewport == (1920, 1080) else None
    screenshot(p.page, f"signin-{viewport[0]}", docs_name=docs)


def test_a_fresh_machine_creates_its_first_admin_on_loopback(fresh_server, open_page) -> None:
    p = open_page()
    p.expect_blocked_tiles()
    p.page.goto(fresh_server.url)
    expect(p.page.get_by_text("Buat akun admin pertama", exact=True)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    app_idle(p.page)
    app_idle(p.page)
    p.page.get_by_label("Nama pengguna").fill("kabag")
    p.page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    p.page.get_by_label("Ulangi kata sandi").fill(PASSWORD + "x")
    p.page.get_by_role("button", name="Buat admin dan masuk").click()
    expect(p.page.get_by_text("Kedua kata sandi tidak sama.")).to_be_visible(timeout=TIMEOUT_MS)
    p.page.get_by_label("Nama pengguna").fill("kabag")
    p.page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    p.page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    p.page.get_by_role("button", name="Buat admin dan masuk").click()
    _signed_in(p.page, "kabag", "Admin")
    map_frame(p.page)
    accounts = Accounts(Database(f"sqlite:///{fresh_server.workspace / 'posko.db'}"))
    assert [(u.name, u.role) for u in accounts.users()] == [("kabag", Role.ADMIN)]


@pytest.fixture
def cold_server(chromium, tmp_path: Path) -> Iterator[AppServer]:
    """A server nobody has opened yet: one operation and its planner."""
    workspace = tmp_path / "cold"
    shutil.copytree(SAMPLE_OPERATION, workspace / "polres_a")
    accounts = Accounts(Database(f"sqlite:///{workspace / 'posko.db'}"))
    accounts.add("kabag", Role.ADMIN, PASSWORD, by=SETUP)
    admin = accounts.sign_in("kabag", PASSWORD)
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    accounts.grant("sari", "polres_a", by=admin)
    yield from _serve(workspace)


def test_a_bookmark_opened_first_on_a_fresh_server_lands_on_the_sign_in_form(
    cold_server, open_page
) -> None:
    p = open_page()
    p.expect_blocked_tiles()
    _page_url_probes(p)
    p.page.goto(f"{cold_server.url}/import")  # the server's very first session
    expect(_form(p.page)).to_be_visible(timeout=TIMEOUT_MS)
    app_idle(p.page)
    # Streamlit's "no corresponding file in the app's pages/ directory" box: never shown
    expect(p.page.get_by_text("Page not found")).to_have_count(0)
    expect(p.page.get_by_text("pages/ directory")).to_have_count(0)
    assert p.page.url == f"{cold_server.url}/import"
    sign_in(p.page, "sari")
    _signed_in(p.page, "sari", "Perencana")
    expect(p.page.get_by_role("heading", name=IMPORT_TITLE)).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_text("Page not found")).to_have_count(0)


def test_a_module_of_pages_is_no_page_of_its_own_on_a_fresh_server(cold_server, open_page) -> None:
    """Read as old-style pages, `pages/audit_page.py` would open at /audit_page as a script
    of its own, around the sign-in; it is no page at all."""
    p = open_page()
    _page_url_probes(p)
    p.expect_console_errors(
        "an address that is no page: Streamlit says so and opens the main page",
        lambda text, url: text.startswith("The page that you have requested does not seem"),
    )
    p.page.goto(f"{cold_server.url}/audit_page")
    expect(_form(p.page)).to_be_visible(timeout=TIMEOUT_MS)
    app_idle(p.page)
    expect(p.page.get_by_text("Jejak audit")).to_have_count(0)
