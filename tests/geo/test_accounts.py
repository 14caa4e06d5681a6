"""Local accounts (geo.accounts): argon2id hashes, lockout, disabled users, grants, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from geo import audit
from geo.access import AccessDenied, Action, Actor
from geo.accounts import AccountError, Accounts, SignInFailed
from geo.db import Database
from geo.deployment import DeploymentSettings
from geo.model import Role, TimeZone

PASSWORD = "kata-sandi-uji-1"
# cheap parameters: the tests hash many times (the deployment's are [sign_in] argon2_*)
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
NOBODY = Actor(name="pemasang", role=Role.VIEWER, grants=frozenset(), method="cli")


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = datetime(2024, 11, 27, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'posko.db'}")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(db: Database, clock: Clock) -> Accounts:
    settings = DeploymentSettings(lockout_failures=3, lockout_minutes=15)
    return Accounts(db, settings=settings, hasher=FAST, clock=clock)


@pytest.fixture
def admin(accounts: Accounts) -> Actor:
    accounts.add("kabag", Role.ADMIN, PASSWORD, by=NOBODY)
    return accounts.sign_in("kabag", PASSWORD)


def _stored_hash(db: Database, name: str) -> str:
    with db.reading() as con:
        return con.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()[0]


def test_passwords_are_stored_only_as_argon2id_hashes(accounts, admin, db) -> None:
    stored = _stored_hash(db, "kabag")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert (admin.name, admin.role, admin.method) == ("kabag", Role.ADMIN, "local")


def test_an_old_hash_is_renewed_at_the_next_sign_in(db, clock) -> None:
    Accounts(db, hasher=FAST, clock=clock).add("kabag", Role.ADMIN, PASSWORD, by=NOBODY)
    old = _stored_hash(db, "kabag")
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    renewed = Accounts(db, hasher=stronger, clock=clock)
    with pytest.raises(SignInFailed):
        renewed.sign_in("kabag", "salah-sandi-sekali")
    assert _stored_hash(db, "kabag") == old  # a failure changes no hash
    renewed.sign_in("kabag", PASSWORD)
    new = _stored_hash(db, "kabag")
    assert new != old and "m=2048,t=2,p=1" in new and "m=1024,t=1,p=1" in old
    renewed.sign_in("kabag", PASSWORD)  # the renewed hash still verifies
    assert _stored_hash(db, "kabag") == new


def test_a_hash_of_argon2_cffis_defaults_is_renewed_to_the_deployments(db, clock) -> None:
    # hashes made before the parameters were settings: argon2-cffi's defaults (64 MiB, t=3, p=4)
    Accounts(db, hasher=PasswordHasher(), clock=clock).add("kabag", Role.ADMIN, PASSWORD, by=NOBODY)
    old = _stored_hash(db, "kabag")
    assert "m=65536,t=3,p=4" in old
    accounts = Accounts(db, settings=DeploymentSettings(), clock=clock)
    assert accounts.sign_in("kabag", PASSWORD).role is Role.ADMIN
    renewed = _stored_hash(db, "kabag")
    assert renewed.startswith("$argon2id$") and "m=19456,t=2,p=1" in renewed
    assert not accounts.hasher.check_needs_rehash(renewed)
    assert accounts.sign_in("kabag", PASSWORD).name == "kabag"
    assert _stored_hash(db, "kabag") == renewed
    chosen = DeploymentSettings(argon2_time_cost=1, argon2_memory_kib=4096, argon2_parallelism=2)
    Accounts(db, settings=chosen, clock=clock).sign_in("kabag", PASSWORD)
    assert "m=4096,t=1,p=2" in _stored_hash(db, "kabag")


def test_account_times_read_in_the_deployment_zone(db, clock) -> None:
    settings = DeploymentSettings(lockout_failures=1, time_zone=TimeZone.WIT)
    accounts = Accounts(db, settings=settings, hasher=FAST, clock=clock)
    accounts.add("kabag", Role.ADMIN, PASSWORD, by=NOBODY)
    with pytest.raises(SignInFailed):
        accounts.sign_in("kabag", "bukan-sandinya")
    with pytest.raises(SignInFailed) as locked:
        accounts.sign_in("kabag", PASSWORD)
    assert str(locked.value).endswith("locked until 27-11-2024 10:15 WIT.")


def test_an_unknown_name_locks_like_an_account(accounts, admin, clock) -> None:
    answers = {}
    for name in ("kabag", "tidak-ada"):
        texts = []
        for _ in range(4):
            with pytest.raises(SignInFailed) as caught:
                accounts.sign_in(name, "bukan-sandinya")
            texts.append((caught.value.key, str(caught.value)))
        answers[name] = texts
    assert answers["kabag"] == answers["tidak-ada"]
    keys = [key for key, _ in answers["tidak-ada"]]
    assert keys == ["signin.wrong", "signin.wrong", "signin.locked", "signin.locked"]
    assert answers["tidak-ada"][2][1].endswith("locked until 27-11-2024 08:15 WIB.")
    clock.now += timedelta(minutes=15)
    with pytest.raises(SignInFailed) as after:  # the lock ends as an account's does
        accounts.sign_in("tidak-ada", PASSWORD)
    assert after.value.key == "signin.wrong"


def test_wrong_name_and_wrong_password_read_the_same(accounts, admin) -> None:
    with pytest.raises(SignInFailed) as unknown:
        accounts.sign_in("tidak-ada", PASSWORD)
    with pytest.raises(SignInFailed) as wrong:
        accounts.sign_in("kabag", "bukan-sandinya")
    assert str(unknown.value) == str(wrong.value) == "Wrong user name or password."
    assert unknown.value.key == wrong.value.key == "signin.wrong"


def test_lockout_after_repeated_failures_and_unlock_after_the_period(
    accounts, admin, clock
) -> None:
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    for _ in range(2):
        with pytest.raises(SignInFailed, match="Wrong"):
            accounts.sign_in("sari", "salah-sandi-lagi")
    accounts.sign_in("sari", PASSWORD)  # a success resets the count
    for _ in range(2):
        with pytest.raises(SignInFailed, match="Wrong"):
            accounts.sign_in("sari", "salah-sandi-lagi")
    with pytest.raises(SignInFailed) as locking:  # the failure that locks says so
        accounts.sign_in("sari", "salah-sandi-lagi")
    assert locking.value.key == "signin.locked"
    with pytest.raises(SignInFailed) as locked:
        accounts.sign_in("sari", PASSWORD)  # even the right password, while locked
    assert locked.value.key == "signin.locked"
    # account times read in the deployment's zone (default WIB, UTC+7)
    assert str(locked.value) == (
        "Too many wrong attempts: the account is locked until 27-11-2024 08:15 WIB."
    )
    (sari,) = [u for u in accounts.users() if u.name == "sari"]
    assert sari.locked_until == clock.now + timedelta(minutes=15)
    clock.now += timedelta(minutes=14, seconds=59)
    with pytest.raises(SignInFailed, match="locked"):
        accounts.sign_in("sari", PASSWORD)
    clock.now += timedelta(seconds=2)
    assert accounts.sign_in("sari", PASSWORD).name == "sari"
    assert all(u.locked_until is None for u in accounts.users())


def test_an_admin_lifts_a_lockout_by_enabling_or_a_new_password(accounts, admin) -> None:
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    for _ in range(3):
        with pytest.raises(SignInFailed):
            accounts.sign_in("sari", "salah-sandi-lagi")
    accounts.enable("sari", by=admin)
    assert accounts.sign_in("sari", PASSWORD).name == "sari"


def test_a_disabled_user_cannot_sign_in_nor_act(accounts, admin) -> None:
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    accounts.disable("sari", by=admin)
    with pytest.raises(SignInFailed) as refused:
        accounts.sign_in("sari", PASSWORD)
    assert refused.value.key == "signin.disabled"
    with pytest.raises(SignInFailed, match="disabled"):
        accounts.actor("sari")  # a running session re-checks its account: ended
    with pytest.raises(SignInFailed, match="Wrong"):
        accounts.sign_in("sari", "salah-sandi-lagi")  # no hint for a wrong password
    accounts.enable("sari", by=admin)
    assert accounts.sign_in("sari", PASSWORD).role is Role.PLANNER


def test_the_last_admin_cannot_be_disabled(accounts, admin) -> None:
    with pytest.raises(AccountError, match="last enabled admin"):
        accounts.disable("kabag", by=admin)
    accounts.add("wakil", Role.ADMIN, PASSWORD, by=admin)
    accounts.disable("kabag", by=admin)
    assert accounts.has_admin()


def test_grants_decide_the_operations_of_a_user(accounts, admin) -> None:
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    accounts.grant("sari", "latihan", by=admin)
    accounts.grant("sari", "latihan", by=admin)  # twice: still one grant
    sari = accounts.sign_in("sari", PASSWORD)
    assert sari.grants == {"latihan"}
    assert sari.may(Action.IMPORT, "latihan") and not sari.may(Action.VIEW, "bangka")
    accounts.revoke("sari", "latihan", by=admin)
    assert accounts.actor("sari").grants == frozenset()
    with pytest.raises(AccountError, match="no grant"):
        accounts.revoke("sari", "latihan", by=admin)
    with pytest.raises(AccountError, match="no user"):
        accounts.grant("tidak-ada", "latihan", by=admin)


def test_only_an_admin_changes_users_but_the_first_admin_and_ones_own_password(
    accounts,
) -> None:
    with pytest.raises(AccessDenied):
        accounts.add("sari", Role.PLANNER, PASSWORD, by=NOBODY)  # no admin yet: admins only
    accounts.add("kabag", Role.ADMIN, PASSWORD, by=NOBODY)  # the first admin
    with pytest.raises(AccessDenied):
        accounts.add("liar", Role.ADMIN, PASSWORD, by=NOBODY)  # not a second one
    admin = accounts.sign_in("kabag", PASSWORD)
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    sari = accounts.sign_in("sari", PASSWORD)
    for change in (
        lambda: accounts.add("lain", Role.VIEWER, PASSWORD, by=sari),
        lambda: accounts.grant("sari", "bangka", by=sari),
        lambda: accounts.disable("kabag", by=sari),
        lambda: accounts.set_password("kabag", "sandi-baru-kabag", by=sari),
    ):
        with pytest.raises(AccessDenied):
            change()
    accounts.set_password("sari", "sandi-baru-sari", by=sari)
    assert accounts.sign_in("sari", "sandi-baru-sari").name == "sari"


@pytest.mark.parametrize(
    ("name", "password", "key"),
    [
        ("sari dewi", PASSWORD, "user.bad_name"),
        ("<b>x</b>", PASSWORD, "user.bad_name"),
        ("", PASSWORD, "user.bad_name"),
        ("sari", "pendek", "user.password_short"),
        ("kabag", PASSWORD, "user.exists"),
    ],
)
def test_bad_new_accounts_are_refused(accounts, admin, name, password, key) -> None:
    with pytest.raises(AccountError) as caught:
        accounts.add(name, Role.VIEWER, password, by=admin)
    assert caught.value.key == key


def test_every_user_and_grant_change_is_audited(accounts, admin, db) -> None:
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    accounts.set_password("sari", "sandi-baru-sari", by=admin)
    accounts.disable("sari", by=admin)
    accounts.enable("sari", by=admin)
    accounts.grant("sari", "latihan", by=admin)
    accounts.grant("sari", "*", by=admin)
    accounts.revoke("sari", "latihan", by=admin)
    records = audit.entries(db=db)
    assert [(r.who, str(r.action), r.operation) for r in reversed(records)] == [
        ("pemasang", "user_add", None),  # the first admin, added by whoever installed
        ("kabag", "user_add", None),
        ("kabag", "user_passwd", None),
        ("kabag", "user_disable", None),
        ("kabag", "user_enable", None),
        ("kabag", "grant", "latihan"),
        ("kabag", "grant", None),
        ("kabag", "revoke", "latihan"),
    ]
    assert all(PASSWORD not in r.what and "sandi-baru" not in r.what for r in records)
    assert [r.what for r in audit.entries("latihan", db=db)] == [
        "'latihan' revoked from 'sari'",
        "'sari' granted 'latihan'",
    ]
