"""The deployment examples in docs/deploy/ say what docs/DEPLOY.md claims: nginx accepts its
file (`nginx -t`) and it passes websockets through to sticky upstreams; the systemd unit
serves on loopback; the settings file is the one Posko reads."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

DEPLOY = ROOT / "docs" / "deploy"
NGINX = Path("/usr/sbin/nginx")


def _directives(text: str) -> list[tuple[tuple[str, ...], str, list[str]]]:
    """(enclosing blocks, name, arguments) of every nginx directive, comments removed."""
    tokens = re.findall(r'"[^"]*"|[{};]|[^\s{};"]+', re.sub(r"#[^\n]*", "", text))
    found: list[tuple[tuple[str, ...], str, list[str]]] = []
    blocks: list[str] = []
    words: list[str] = []
    for number, token in enumerate(tokens):
        if token == "{":
            blocks.append(f"{' '.join(words)} #{number}")  # numbered: same-named blocks differ
            words = []
        elif token == "}":
            blocks.pop()
        elif token == ";":
            found.append((tuple(blocks), words[0], words[1:]))
            words = []
        else:
            words.append(token.strip('"'))
    assert not blocks and not words, "unbalanced braces or a directive without ';'"
    return found


def _in(directives, block_prefix: str, name: str) -> list[list[str]]:
    return [
        args
        for blocks, n, args in directives
        if n == name and any(b.startswith(block_prefix) for b in blocks)
    ]


@pytest.fixture(scope="module")
def nginx_conf() -> list[tuple[tuple[str, ...], str, list[str]]]:
    return _directives((DEPLOY / "nginx.conf").read_text(encoding="utf-8"))


def test_nginx_passes_websockets_through(nginx_conf) -> None:
    location = "location /"
    assert _in(nginx_conf, location, "proxy_http_version") == [["1.1"]]
    headers = {args[0]: args[1] for args in _in(nginx_conf, location, "proxy_set_header")}
    assert headers["Upgrade"] == "$http_upgrade"
    assert headers["Connection"] == "$connection_upgrade"
    assert headers["Host"] == "$host"  # Streamlit compares the websocket's Origin with it
    upgrade_map = [b for b, _, _ in nginx_conf if b and b[0].startswith("map $http_upgrade")]
    assert upgrade_map, "no map from $http_upgrade to $connection_upgrade"
    (timeout,) = _in(nginx_conf, location, "proxy_read_timeout")
    assert timeout[0].endswith("h"), "a websocket idle for minutes must stay open"


def test_nginx_upstream_is_sticky_over_loopback_processes(nginx_conf) -> None:
    (hash_args,) = _in(nginx_conf, "upstream posko", "hash")
    assert hash_args == ["$posko_route", "consistent"]
    servers = [args[0] for args in _in(nginx_conf, "upstream posko", "server")]
    assert len(servers) >= 2 and all(s.startswith("127.0.0.1:") for s in servers)
    assert _in(nginx_conf, "location /", "proxy_pass") == [["http://posko"]]
    # the route hashed on is the browser's cookie, set on the first response
    cookie = " ".join(a for args in _in(nginx_conf, "location /", "add_header") for a in args)
    assert "posko_route=$posko_route" in cookie and "Secure" in cookie


def test_nginx_serves_only_tls(nginx_conf) -> None:
    assert ["443", "ssl", "http2"] in _in(nginx_conf, "server", "listen")
    plain = {b[-1] for b, n, a in nginx_conf if n == "listen" and a[0] in ("80", "[::]:80")}
    assert plain
    for block in plain:
        assert _in(nginx_conf, block, "return") == [["301", "https://$host$request_uri"]]
        assert not _in(nginx_conf, block, "proxy_pass")


def test_nginx_accepts_the_file(tmp_path: Path) -> None:
    """`nginx -t` on the example, with a throwaway certificate in place of the unit's."""
    if not NGINX.exists():
        pytest.fail(f"{NGINX} missing: install Debian's nginx (.ci/run does)")
    key, certificate = str(tmp_path / "posko.key"), str(tmp_path / "posko.crt")
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        ["openssl", *request, "-subj", "/CN=posko.test", "-keyout", key, "-out", certificate],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "/etc/ssl/posko/" in site
    (tmp_path / "site.conf").write_text(site.replace("/etc/ssl/posko/", f"{tmp_path}/"))
    (tmp_path / "logs").mkdir()
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n include {tmp_path}/site.conf;\n}}\n"
    )
    done = subprocess.run(
        [str(NGINX), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "main.conf")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def _unit(path: Path) -> dict[str, list[str]]:
    """Key to values of a systemd unit (keys may repeat)."""
    values: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_service_serves_on_loopback_as_its_own_user() -> None:
    unit = _unit(DEPLOY / "posko@.service")
    (command,) = unit["ExecStart"]
    assert re.search(r"/posko serve --address 127\.0\.0\.1 --port %i$", command)
    assert unit["User"] != ["root"]
    assert unit["EnvironmentFile"] == ["/etc/posko/posko.env"]
    env = dict(v.split("=", 1) for v in unit["Environment"])
    assert env["POSKO_SETTINGS"] == "/etc/posko/posko.toml"
    example = (DEPLOY / "posko.env.example").read_text(encoding="utf-8")
    assert re.search(r"^POSKO_DATABASE_URL=postgresql://", example, re.M)
    assert re.search(r"^STREAMLIT_SERVER_COOKIE_SECRET=", example, re.M)


def test_settings_example_is_what_posko_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.deployment import deployment_settings

    path = DEPLOY / "posko.toml"
    monkeypatch.setenv("POSKO_SETTINGS", str(path))
    monkeypatch.delenv("POSKO_SIGN_IN", raising=False)
    settings = deployment_settings()
    written = tomllib.loads(path.read_text(encoding="utf-8"))["sign_in"]
    assert {key: getattr(settings, key) for key in written} == written


def test_oidc_secrets_example_names_what_st_login_needs() -> None:
    auth = tomllib.loads((DEPLOY / "secrets.toml.example").read_text(encoding="utf-8"))["auth"]
    assert set(auth) >= {
        "redirect_uri",
        "cookie_secret",
        "client_id",
        "client_secret",
        "server_metadata_url",
    }
    assert auth["redirect_uri"].endswith("/oauth2callback")


def test_deploy_guide_links_every_example() -> None:
    guide = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    for example in sorted(p.name for p in DEPLOY.iterdir()):
        assert f"(deploy/{example})" in guide, example
    for linked in re.findall(r"\]\((deploy/[^)]+)\)", guide):
        assert (ROOT / "docs" / linked).is_file(), linked
    assert "[docs/DEPLOY.md](docs/DEPLOY.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
