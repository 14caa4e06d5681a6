"""The CLI with local sign-in: `--as`, `posko user …`, and each role's refusals (exit status
and catalog message); `posko serve` refusing to listen beyond loopback."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

import cli
from cli import main
from geo import access, audit
from geo.access import AccessDenied, Action, Actor, require
from geo.model import Role
from geo.operation import SAMPLE_OPERATION, WORKSPACE_ENV, load_operation
from geo.text import t
from tests.lists import kpu_list

PASSWORD = "kata-sandi-uji-1"


def _run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _recording(started: list[list[str]]):
    """A stand-in for `cli._replace_process`: records the command, then exits as exec would."""

    def replace(command: list[str], cwd: Path) -> None:
        started.append(command)
        raise SystemExit(0)

    return replace


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with two operations and local sign-in switched on."""
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "ws"))
    monkeypatch.setenv("POSKO_SIGN_IN", "local")
    monkeypatch.delenv("POSKO_USER", raising=False)
    for name in ("polres_a", "polres_b"):
        shutil.copytree(SAMPLE_OPERATION, tmp_path / "ws" / name)
    return tmp_path / "ws"


def _add(capsys, monkeypatch, name: str, role: str, *, by: str | None = "kabag") -> int:
    acting = ("--as", by) if by else ()
    argv = (*acting, "user", "add", name, "--role", role, "--password-stdin", "--lang", "en")
    return _run(capsys, *argv, stdin=PASSWORD + "\n", monkeypatch=monkeypatch)[0]


@pytest.fixture
def people(workspace: Path, capsys, monkeypatch) -> Path:
    """kabag (admin), sari (planner of polres_a), budi (viewer of polres_a)."""
    assert _add(capsys, monkeypatch, "kabag", "admin", by=None) == 0  # the first admin
    assert _add(capsys, monkeypatch, "sari", "planner") == 0
    assert _add(capsys, monkeypatch, "budi", "viewer") == 0
    for name in ("sari", "budi"):
        assert _run(capsys, "--as", "kabag", "user", "grant", name, "polres_a")[0] == 0
    return workspace


def _denied(actor: str, role: Role, action: Action, operation: str | None) -> str:
    with pytest.raises(AccessDenied) as refused:
        require(Actor(actor, role, frozenset(), "cli"), action, operation)
    return t(refused.value.key, "en", **{k: _render(v) for k, v in refused.value.params.items()})


def _render(value: object) -> object:
    render = getattr(value, "render", None)
    return render("en") if render else value


def test_the_first_admin_then_users_grants_and_the_list(people: Path, capsys) -> None:
    code, out, _ = _run(capsys, "--as", "kabag", "user", "list", "--json")
    assert code == 0
    users = {u["name"]: u for u in json.loads(out)}
    assert {n: (u["role"], u["grants"]) for n, u in users.items()} == {
        "kabag": ("admin", []),
        "sari": ("planner", ["polres_a"]),
        "budi": ("viewer", ["polres_a"]),
    }
    assert "password" not in out and "argon2" not in out
    code, out, _ = _run(capsys, "--as", "kabag", "user", "list", "--lang", "en")
    assert "sari" in out and "Planner" in out and "polres_a" in out
    actions = [str(r.action) for r in reversed(audit.entries())]
    assert actions == ["user_add", "user_add", "user_add", "grant", "grant"]


def test_the_first_account_must_be_an_admin(workspace: Path, capsys, monkeypatch) -> None:
    argv = ("user", "add", "sari", "--role", "planner", "--password-stdin", "--lang", "en")
    code, _, err = _run(capsys, *argv, stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 2 and "no such account" in err  # nobody may vouch for a planner yet
    argv = ("user", "add", "kabag", "--role", "admin", "--password-stdin", "--lang", "en")
    code, out, _ = _run(capsys, *argv, stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert (code, out.strip()) == (0, "User 'kabag' added (Admin).")


def test_passwords_are_typed_twice_and_must_match(people: Path, capsys, monkeypatch) -> None:
    typed = iter(["sandi-baru-budi", "sandi-lain-budi"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(typed))
    code, _, err = _run(capsys, "--as", "kabag", "user", "passwd", "budi", "--lang", "en")
    assert (code, err.strip()) == (2, "posko user: The two passwords differ.")
    typed = iter(["sandi-baru-budi", "sandi-baru-budi"])
    assert _run(capsys, "--as", "kabag", "user", "passwd", "budi")[0] == 0
    with pytest.raises(SystemExit):  # never as an argument
        main(["--as", "kabag", "user", "passwd", "budi", "--password", "x"])


def test_an_unknown_or_disabled_acting_user_is_refused(people: Path, capsys) -> None:
    code, _, err = _run(capsys, "--as", "tamu", "coverage", "polres_a", "--lang", "en")
    assert code == 2 and "'tamu'" in err and "no such account" in err
    assert _run(capsys, "--as", "kabag", "user", "disable", "budi")[0] == 0
    code, _, err = _run(capsys, "--as", "budi", "coverage", "polres_a", "--lang", "en")
    assert (code, err.strip()) == (
        2,
        "posko coverage: Account 'budi' is disabled. Contact an admin.",
    )
    assert _run(capsys, "--as", "kabag", "user", "enable", "budi")[0] == 0
    assert _run(capsys, "--as", "budi", "coverage", "polres_a")[0] == 0


def test_posko_user_env_names_the_acting_user(people: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("POSKO_USER", "budi")
    code, _, err = _run(capsys, "history", "polres_b", "--lang", "en")
    assert code == 2
    assert err.strip() == "posko history: " + _denied("budi", Role.VIEWER, Action.VIEW, "polres_b")


A, B = "polres_a", "polres_b"
VIEWER, PLANNER = ("budi", Role.VIEWER), ("sari", Role.PLANNER)


@pytest.mark.parametrize(
    ("user", "argv", "action", "operation"),
    [
        # a viewer reads and exports its operation, but imports and plans nothing
        (VIEWER, ["import", "{csv}", "--into", A], Action.IMPORT, A),
        (VIEWER, ["check", "{csv}", "--operation", A], Action.IMPORT, A),
        (VIEWER, ["rollback", A, "1"], Action.IMPORT, A),
        (VIEWER, ["plan", "new", A, "B"], Action.PLAN, A),
        (VIEWER, ["suggest", A, "--add", "1"], Action.SUGGEST, A),
        (VIEWER, ["audit", A], Action.AUDIT, A),
        (VIEWER, ["coverage", B], Action.VIEW, B),
        # a planner of polres_a touches nothing of polres_b
        (PLANNER, ["import", "{csv}", "--into", B], Action.IMPORT, B),
        (PLANNER, ["plan", "list", B], Action.VIEW, B),
        (PLANNER, ["brief", B, "-o", "{out}"], Action.EXPORT, B),
        (PLANNER, ["store", "backup", "--operation", A], Action.ADMIN, A),
        (PLANNER, ["user", "list"], Action.ADMIN, None),
    ],
)
def test_each_role_is_refused_what_it_may_not_do(
    people: Path, tmp_path: Path, capsys, user, argv, action, operation
) -> None:
    who, role = user
    csv = str(tmp_path / "kpu.csv")
    (tmp_path / "kpu.csv").write_text("nama,lintang,bujur\nTPS 1,-2.13,106.11\n", "utf-8")
    out_file = tmp_path / "brief.html"
    argv = [a.format(csv=csv, out=out_file) for a in argv]
    before = audit.entries()
    code, out, err = _run(capsys, "--as", who, *argv, "--lang", "en")
    assert code == 2, err
    assert err.strip() == f"posko {argv[0]}: {_denied(who, role, action, operation)}"
    assert not out and not out_file.exists()
    assert audit.entries() == before  # nothing done, nothing recorded


def test_each_role_does_what_it_may(people: Path, tmp_path: Path, capsys) -> None:
    assert _run(capsys, "--as", "budi", "coverage", "polres_a")[0] == 0
    assert _run(capsys, "--as", "budi", "brief", "polres_a", "-o", str(tmp_path / "b.html"))[0] == 0
    written = kpu_list(load_operation(people / "polres_a"), tmp_path / "kpu.csv", new=1)
    imp = ["import", str(written.path), "--into", "polres_a", "--yes"]
    assert _run(capsys, "--as", "sari", *imp)[0] == 0
    assert _run(capsys, "--as", "sari", "plan", "new", "polres_a", "Rencana B")[0] == 0
    assert _run(capsys, "--as", "kabag", "plan", "list", "polres_b")[0] == 0  # admin: all
    records = audit.entries("polres_a")
    assert [(r.who, str(r.action)) for r in records][:3] == [
        ("sari", "plan_new"),
        ("sari", "import"),
        ("budi", "export_briefing"),
    ]


def test_only_an_admin_manages_users(people: Path, capsys, monkeypatch) -> None:
    for argv in (
        ["user", "grant", "sari", "polres_b"],
        ["user", "revoke", "budi", "polres_a"],
        ["user", "disable", "budi"],
        ["user", "enable", "budi"],
    ):
        code, _, err = _run(capsys, "--as", "sari", *argv, "--lang", "en")
        assert (code, err.strip()) == (
            2,
            f"posko user: {_denied('sari', Role.PLANNER, Action.ADMIN, None)}",
        ), argv
    assert _add(capsys, monkeypatch, "tamu", "viewer", by="sari") == 2
    # a user changes their own password, nobody else's
    argv = ("--as", "sari", "user", "passwd", "sari", "--password-stdin")
    assert _run(capsys, *argv, stdin="sandi-baru-sari\n", monkeypatch=monkeypatch)[0] == 0
    argv = ("--as", "sari", "user", "passwd", "budi", "--password-stdin")
    assert _run(capsys, *argv, stdin="sandi-baru-budi\n", monkeypatch=monkeypatch)[0] == 2


def test_a_grant_names_an_operation_that_exists(people: Path, capsys) -> None:
    code, _, err = _run(capsys, "--as", "kabag", "user", "grant", "sari", "nowhere", "--lang", "en")
    assert code == 1 and "Operation 'nowhere' not found" in err
    assert _run(capsys, "--as", "kabag", "user", "grant", "sari", "*")[0] == 0
    assert _run(capsys, "--as", "sari", "plan", "list", "polres_b")[0] == 0


@pytest.mark.parametrize(
    ("method", "admin", "key"),
    [("off", False, "signin.serve_off"), ("local", False, "signin.serve_no_admin")],
)
def test_serve_refuses_another_address_without_sign_in_or_admin(
    workspace: Path, capsys, monkeypatch, method: str, admin: bool, key: str
) -> None:
    monkeypatch.setenv("POSKO_SIGN_IN", method)
    started = []
    monkeypatch.setattr(cli, "_replace_process", _recording(started))
    code, _, err = _run(capsys, "serve", "--address", "0.0.0.0")
    assert (code, err.strip()) == (2, f"posko serve: {t(key, 'id', address='0.0.0.0')}")
    assert not started
    with pytest.raises(SystemExit):  # loopback by default: served
        _run(capsys, "serve")
    assert started[-1][started[-1].index("--server.address") + 1] == "127.0.0.1"


def test_serve_listens_beyond_loopback_once_an_admin_exists(
    people: Path, capsys, monkeypatch
) -> None:
    started = []
    monkeypatch.setattr(cli, "_replace_process", _recording(started))
    with pytest.raises(SystemExit):
        _run(capsys, "serve", "--address", "0.0.0.0")
    assert started[0][started[0].index("--server.address") + 1] == "0.0.0.0"


# --- acting as another user than the OS user needs their password ---------------------------


@pytest.fixture
def operator(people: Path, monkeypatch) -> Path:
    """The CLI run by the OS user "operator" (not root), who has no account of their own."""
    _os_user(monkeypatch, "operator")
    monkeypatch.setattr(cli.os, "geteuid", lambda: 1000)
    return people


def _os_user(monkeypatch, name: str) -> None:
    monkeypatch.setattr(cli, "os_user", lambda: name)
    monkeypatch.setattr(access, "os_user", lambda: name)  # what local_user() falls back to


def test_acting_as_another_user_needs_their_password(operator: Path, capsys, monkeypatch) -> None:
    asked: list[str] = []

    def typed(prompt: str) -> str:
        asked.append(prompt)
        return PASSWORD

    monkeypatch.setattr(cli.getpass, "getpass", typed)
    assert _run(capsys, "--as", "sari", "history", "polres_a", "--lang", "en")[0] == 0
    assert asked == ["Password of sari: "]
    argv = ("--as", "sari", "--as-password-stdin", "history", "polres_a", "--lang", "en")
    code, _, err = _run(capsys, *argv, stdin="bukan-sandinya\n", monkeypatch=monkeypatch)
    assert (code, err.strip()) == (2, "posko history: Wrong user name or password.")
    monkeypatch.setenv("POSKO_USER", "sari")  # the variable is no way around it
    code, _, err = _run(
        capsys,
        "--as-password-stdin",
        "history",
        "polres_a",
        stdin="salah\n",
        monkeypatch=monkeypatch,
    )
    assert code == 2 and "Nama pengguna atau kata sandi salah." in err
    assert asked == ["Password of sari: "]  # stdin was read, the terminal not asked again


def test_the_acting_password_comes_first_on_stdin(operator: Path, capsys, monkeypatch) -> None:
    argv = (
        "--as",
        "kabag",
        "--as-password-stdin",
        "user",
        "add",
        "tono",
        "--role",
        "viewer",
        "--password-stdin",
        "--lang",
        "en",
    )
    code, out, _ = _run(
        capsys, *argv, stdin=f"{PASSWORD}\nsandi-tono-panjang\n", monkeypatch=monkeypatch
    )
    assert (code, out.strip()) == (0, "User 'tono' added (Viewer).")
    assert audit.entries()[0].who == "kabag"


def test_wrong_acting_passwords_lock_the_account(operator: Path, capsys, monkeypatch) -> None:
    argv = ("--as", "budi", "--as-password-stdin", "coverage", "polres_a", "--lang", "en")
    for _ in range(5):
        assert _run(capsys, *argv, stdin="salah-lagi\n", monkeypatch=monkeypatch)[0] == 2
    code, _, err = _run(capsys, *argv, stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert code == 2 and "the account is locked until" in err


def test_root_the_os_user_or_a_trusting_deployment_needs_no_password(
    operator: Path, capsys, monkeypatch
) -> None:
    def never(prompt: str) -> str:
        raise AssertionError(f"asked: {prompt}")

    monkeypatch.setattr(cli.getpass, "getpass", never)
    _os_user(monkeypatch, "budi")  # the OS user's own account
    assert _run(capsys, "history", "polres_a")[0] == 0
    _os_user(monkeypatch, "operator")
    (operator / "posko.toml").write_text("[sign_in]\ncli_as_password = false\n", encoding="utf-8")
    assert _run(capsys, "--as", "budi", "history", "polres_a")[0] == 0
    (operator / "posko.toml").unlink()
    monkeypatch.setattr(cli.os, "geteuid", lambda: 0)  # root reads the database anyway
    assert _run(capsys, "--as", "budi", "history", "polres_a")[0] == 0
