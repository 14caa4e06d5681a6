"""Sign-in through OIDC in a real browser: Streamlit's own `st.login` against a real OpenID
provider on loopback (`oidc-provider-mock`), configured as a deployment is (`posko.toml`
`[sign_in] method = "oidc"` with its claim names, Streamlit's `secrets.toml` `[auth]`).

The provider's authorisation form is filled in Chromium; the role and the operations come
from the claims the provider puts into the identity token."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from geo.operation import SAMPLE_OPERATION
from tests.browser.conftest import AppServer, free_port, start_app, stop_app
from tests.browser.test_app_browser import TIMEOUT_MS, app_idle, map_frame
from tests.browser.test_signin_browser import IMPORT_TITLE, _open_by_url, _page_url_probes

SSO_BUTTON = "Masuk dengan akun satuan (SSO)"
ROLE_CLAIM = "peran_posko"  # not the default claim names: the deployment's are used
GRANTS_CLAIM = "operasi_posko"


@dataclass(frozen=True)
class Provider:
    """The OpenID provider on loopback: its URL and how to give a subject its claims."""

    url: str

    def claims(self, subject: str, claims: dict[str, object]) -> None:
        """The claims the provider puts into `subject`'s identity token from now on."""
        request = urllib.request.Request(
            f"{self.url}/users/{quote(subject)}",
            data=json.dumps(claims).encode(),
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204


def _wait_healthy(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the OpenID provider exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the OpenID provider did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def provider(tmp_path_factory) -> Iterator[Provider]:
    """`oidc-provider-mock` in its own process on a free loopback port (any client id and
    secret accepted, as a Keycloak client would be registered)."""
    port = free_port()
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "oidc_provider_mock",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(process, url, log)
            yield Provider(url)
        finally:
            stop_app(process)


@pytest.fixture(scope="module")
def oidc_server(chromium, provider: Provider, tmp_path_factory) -> Iterator[AppServer]:
    """The app with OIDC sign-in: two operations, the claims named in posko.toml, the
    client in a secrets.toml `[auth]` section (as docs/DEPLOY.md says)."""
    workspace = tmp_path_factory.mktemp("oidc-app")
    for name in ("polres_a", "polres_b"):
        shutil.copytree(SAMPLE_OPERATION, workspace / name)
    (workspace / "posko.toml").write_text(
        f'[sign_in]\nmethod = "oidc"\nrole_claim = "{ROLE_CLAIM}"\n'
        f'grants_claim = "{GRANTS_CLAIM}"\n',
        encoding="utf-8",
    )
    port = free_port()
    secrets_file = workspace / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "posko"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    os.chmod(secrets_file, 0o600)
    # the method comes from posko.toml: the suite's POSKO_SIGN_IN=off must not override it
    env = {"POSKO_SIGN_IN": "", "STREAMLIT_SECRETS_FILES": str(secrets_file)}
    log = workspace / "streamlit.log"
    with log.open("w") as out:
        process, url = start_app(workspace, log, out, env=env, port=port)
        try:
            yield AppServer(url=url, workspace=workspace)
        finally:
            stop_app(process)


def _expect_provider_page(p, provider: Provider) -> None:
    """The provider's own pages ask for a favicon it has not and for styles off the machine
    (blocked here): their console errors are the provider's, not the app's."""
    p.expect_console_errors(
        "the mock provider's pages load a favicon and styles it does not serve",
        lambda text, url: (
            url.startswith(provider.url)
            or (text.startswith("Failed to load resource") and not url.startswith("http://127."))
        ),
    )


def _sign_in_at_provider(page, provider: Provider, subject: str) -> None:
    """Click the app's SSO button, then authorise `subject` on the provider's form."""
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_url(f"{provider.url}/oauth2/authorize**", timeout=TIMEOUT_MS)
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()


def _open(p, server: AppServer) -> None:
    p.page.goto(server.url)
    expect(p.page.get_by_role("button", name=SSO_BUTTON)).to_be_visible(timeout=TIMEOUT_MS)
    app_idle(p.page)


def test_a_viewer_signs_in_through_the_provider_and_out_again(
    oidc_server: AppServer, provider: Provider, open_page
) -> None:
    provider.claims(
        "budi-sub",
        {"preferred_username": "budi", ROLE_CLAIM: "viewer", GRANTS_CLAIM: ["polres_a"]},
    )
    p = open_page()
    p.expect_blocked_tiles()
    _expect_provider_page(p, provider)
    _page_url_probes(p)
    _open(p, oidc_server)
    _sign_in_at_provider(p.page, provider, "budi-sub")
    p.page.wait_for_url(f"{oidc_server.url}/**", timeout=TIMEOUT_MS)
    expect(p.page.get_by_text("Masuk sebagai budi · Peninjau")).to_be_visible(timeout=TIMEOUT_MS)
    map_frame(p.page)
    choice = p.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    choice.click()
    assert [o.strip() for o in p.page.locator('[role="option"]').all_inner_texts()] == ["polres_a"]
    p.page.keyboard.press("Escape")
    _open_by_url(p.page, "/import")  # a viewer is refused the import page by its URL
    expect(p.page.get_by_text("budi (Peninjau) tidak berwenang")).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_role("heading", name=IMPORT_TITLE)).to_have_count(0)
    expect(p.page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    p.page.get_by_role("button", name="Keluar").click()
    _after_sign_out(p.page, provider)
    expect(p.page.get_by_role("button", name=SSO_BUTTON)).to_be_visible(timeout=TIMEOUT_MS)
    app_idle(p.page)
    assert "polres_a" not in p.page.content()
    p.page.goto(oidc_server.url)  # the sign-out holds on a new load too (cookie gone)
    expect(p.page.get_by_role("button", name=SSO_BUTTON)).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_text("Masuk sebagai budi")).to_have_count(0)


def _after_sign_out(page, provider: Provider) -> None:
    """Streamlit's logout ends the session at the provider too (its end-session endpoint):
    the mock asks to confirm, then sends the browser back to the app."""
    page.wait_for_url(f"{provider.url}/oauth2/end_session**", timeout=TIMEOUT_MS)
    page.get_by_role("button").first.click()


@pytest.mark.parametrize(
    ("subject", "claims", "shown"),
    [
        ("tamu-sub", {"preferred_username": "tamu"}, "None"),
        ("komandan-sub", {"preferred_username": "komandan", ROLE_CLAIM: "komandan"}, "'komandan'"),
    ],
    ids=["no-role", "unknown-role"],
)
def test_a_token_without_a_valid_role_is_refused(
    oidc_server: AppServer, provider: Provider, open_page, subject, claims, shown
) -> None:
    provider.claims(subject, {**claims, GRANTS_CLAIM: ["polres_a"]})
    p = open_page()
    _expect_provider_page(p, provider)
    _open(p, oidc_server)
    _sign_in_at_provider(p.page, provider, subject)
    p.page.wait_for_url(f"{oidc_server.url}/**", timeout=TIMEOUT_MS)
    name = claims["preferred_username"]
    refusal = (
        f"Akun SSO '{name}' tidak membawa peran Posko yang sah (klaim '{ROLE_CLAIM}': "
        f"{shown}; yang diharapkan: viewer, planner, admin). Hubungi admin."
    )
    expect(p.page.get_by_text(refusal)).to_be_visible(timeout=TIMEOUT_MS)
    app_idle(p.page)
    expect(p.page.get_by_text("Pilkada 2024")).to_have_count(0)
    assert "polres_a" not in p.page.content()
    # signed in at the provider but not into Posko: only a way out is offered, and it works
    expect(p.page.get_by_role("button", name=SSO_BUTTON)).to_have_count(0)
    p.page.get_by_role("button", name="Keluar").click()
    _after_sign_out(p.page, provider)
    expect(p.page.get_by_role("button", name=SSO_BUTTON)).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_text(refusal)).to_have_count(0)
