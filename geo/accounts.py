"""Local user accounts and grants in the deployment database: add, change, sign in, lock out.

Passwords are kept only as argon2id hashes (argon2-cffi) with the deployment's parameters
(``[sign_in] argon2_*``, default OWASP's m=19 MiB, t=2, p=1); a hash made with other
parameters (argon2-cffi's defaults, before they were settings) still verifies and is
replaced at the next successful sign-in. After `lockout_failures` wrong passwords in a
row an account is locked for `lockout_minutes`, even against the right password (the failure
that locks says so); a name that is no account is counted and locked the same way, so the
answers never tell which names exist. Only an
admin changes users and grants, except the very first admin of a fresh deployment (nobody
could sign in to make one) and a user changing their own password. Every change is written
to the audit log (:mod:`geo.audit`) in the name of who made it.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo import audit
from geo.access import ALL_OPERATIONS, Action, Actor, require
from geo.db import Connection, Database, Migration
from geo.deployment import DeploymentSettings
from geo.errors import PoskoError
from geo.model import AuditAction, Role
from geo.text import Labels, Text

__all__ = [
    "MIGRATIONS",
    "MIN_PASSWORD_LENGTH",
    "AccountError",
    "Accounts",
    "SignInFailed",
    "User",
    "check_name",
    "password_hasher",
]

MIN_PASSWORD_LENGTH = 10
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "accounts",
        1,
        sqlite=(
            "CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, "
            "password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, "
            "failures INTEGER NOT NULL DEFAULT 0, locked_until TEXT, "
            "created_at TEXT NOT NULL, created_by TEXT NOT NULL)",
            "CREATE TABLE grants (name TEXT NOT NULL REFERENCES users (name), "
            "operation TEXT NOT NULL, granted_at TEXT NOT NULL, granted_by TEXT NOT NULL, "
            "PRIMARY KEY (name, operation))",
        ),
    ),
    # failures against names that are no account: counted and locked like an account's, so
    # the answers never tell which names exist
    Migration(
        "accounts",
        2,
        sqlite=(
            "CREATE TABLE unknown_names (name TEXT PRIMARY KEY, "
            "failures INTEGER NOT NULL DEFAULT 0, locked_until TEXT)",
        ),
    ),
)


class AccountError(PoskoError):
    """A user or grant change that cannot be made (catalog message)."""

    @classmethod
    def from_text(cls, key: str, /, **params: object) -> AccountError:
        """The error whose message is the catalog entry `key` (``str()``: English)."""
        return cls(Text(key, params).render("en"), key=key, params=dict(params))


class SignInFailed(AccountError):
    """A sign-in refused: wrong name or password (one text for both), disabled, locked."""


@dataclass(frozen=True)
class User:
    """One local account as an admin sees it (never the hash)."""

    name: str
    role: Role
    disabled: bool
    locked_until: datetime | None
    grants: tuple[str, ...]
    created_at: datetime
    created_by: str


def password_hasher(settings: DeploymentSettings) -> PasswordHasher:
    """The argon2id hasher of the deployment's ``[sign_in] argon2_*`` parameters."""
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_kib,
        parallelism=settings.argon2_parallelism,
    )


def check_name(name: str) -> str:
    """A user name as stored: letters, digits and ``. _ @ -``, at most 64 characters.

    Raises
    ------
    AccountError
        When `name` has any other character or is empty.
    """
    if not _NAME.fullmatch(name):
        raise AccountError.from_text("user.bad_name", name=name)
    return name


class Accounts:
    """The users and grants of the deployment database `db`.

    Parameters
    ----------
    db
        The deployment database (its "accounts" tables are created on first use).
    settings
        Lockout rules and hash parameters (default:
        :class:`~geo.deployment.DeploymentSettings` defaults).
    hasher
        The argon2id hasher (default: :func:`password_hasher` of `settings`); its
        parameters decide when a stored hash is renewed.
    clock
        The current time, in UTC (tests move it forward).
    """

    def __init__(
        self,
        db: Database,
        *,
        settings: DeploymentSettings | None = None,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.db = db
        self.settings = settings or DeploymentSettings()
        self.hasher = hasher or password_hasher(self.settings)
        self.clock = clock
        db.migrate(MIGRATIONS)

    # --- reading ---------------------------------------------------------------------------

    def readable(self, moment: datetime) -> str:
        """An account time as the deployment reads it: "29-11-2026 16:45 WIB"."""
        return audit.readable_time(moment, self.settings.time_zone)

    def users(self) -> list[User]:
        """Every account, by name."""
        with self.db.reading() as con:
            rows = con.execute(
                "SELECT name, role, disabled, locked_until, created_at, created_by "
                "FROM users ORDER BY name"
            ).fetchall()
            grants = _grants(con)
        now = self.clock()
        return [
            User(
                name=row[0],
                role=Role(row[1]),
                disabled=bool(row[2]),
                locked_until=_locked(row[3], now),
                grants=tuple(grants.get(row[0], ())),
                created_at=datetime.fromisoformat(row[4]),
                created_by=row[5],
            )
            for row in rows
        ]

    def has_admin(self) -> bool:
        """Whether an enabled admin account exists (else the first one may be made)."""
        with self.db.reading() as con:
            row = con.execute(
                "SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0", (Role.ADMIN.value,)
            ).fetchone()
        return int(row[0]) > 0

    def actor(self, name: str, *, method: str = "cli") -> Actor:
        """The enabled user `name` as an actor (the CLI's `--as`, a session re-checked).

        Raises
        ------
        SignInFailed
            When there is no such user or the account is disabled.
        """
        with self.db.reading() as con:
            row = con.execute("SELECT role, disabled FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise SignInFailed.from_text("user.unknown", name=name)
            if row[1]:
                raise SignInFailed.from_text("signin.disabled", name=name)
            grants = _grants(con, name).get(name, [])
        return Actor(name=name, role=Role(row[0]), grants=frozenset(grants), method=method)

    # --- signing in ------------------------------------------------------------------------

    def sign_in(self, name: str, password: str) -> Actor:
        """Check a name and password; count failures, lock after too many.

        Raises
        ------
        SignInFailed
            Wrong name or password (the same text for both), a disabled or a locked account.
        """
        now = self.clock()
        with self.db.transaction() as con:
            refusal = self._check(con, name, password, now)
        if refusal is not None:
            raise refusal
        return self.actor(name, method="local")

    def _check(
        self, con: Connection, name: str, password: str, now: datetime
    ) -> SignInFailed | None:
        """The refusal of this sign-in, or None; failures are counted in `con` (committed
        whatever the outcome, so they are returned rather than raised)."""
        row = con.execute(
            "SELECT password_hash, disabled, failures, locked_until FROM users WHERE name = ?",
            (name,),
        ).fetchone()
        if row is None:
            return self._unknown_name(con, name, password, now)
        stored, disabled, failures, locked = row
        until = _locked(locked, now)
        if until is not None:
            return self._locked_refusal(until)
        if not self._verify(stored, password):
            return self._count_failure(con, "users", name, int(failures) + 1, now)
        if disabled:
            return SignInFailed.from_text("signin.disabled", name=name)
        con.execute("UPDATE users SET failures = 0, locked_until = NULL WHERE name = ?", (name,))
        if self.hasher.check_needs_rehash(stored):
            con.execute(
                "UPDATE users SET password_hash = ? WHERE name = ?",
                (self.hasher.hash(password), name),
            )
        return None

    # --- changing (admins only) ------------------------------------------------------------

    def add(self, name: str, role: Role | str, password: str, *, by: Actor) -> User:
        """Add an account; the first admin of a deployment needs no admin to add it.

        Raises
        ------
        AccessDenied
            When `by` is not an admin (and an admin already exists, or `role` is not admin).
        AccountError
            A bad name, a short password, or a name already taken.
        """
        role = Role(role)
        check_name(name)
        if not (role is Role.ADMIN and not self.has_admin()):
            require(by, Action.ADMIN)
        hashed = self._hash(password)
        with self.db.transaction() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError.from_text("user.exists", name=name)
            con.execute(
                "INSERT INTO users (name, role, password_hash, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, role.value, hashed, self.clock().isoformat(), by.name),
            )
        role_label = Labels("role", {"values": (role.value,)})
        self._audit(by, AuditAction.USER_ADD, _what("user_add", name=name, role=role_label))
        return self._user(name)

    def set_password(self, name: str, password: str, *, by: Actor) -> None:
        """Set a new password (an admin for anyone, a user for themself); unlocks the account."""
        if by.name != name:
            require(by, Action.ADMIN)
        hashed = self._hash(password)
        self._update(
            name,
            "UPDATE users SET password_hash = ?, failures = 0, locked_until = NULL WHERE name = ?",
            (hashed, name),
        )
        self._audit(by, AuditAction.USER_PASSWD, _what("user_passwd", name=name))

    def disable(self, name: str, *, by: Actor) -> None:
        """Refuse every further sign-in of `name` (an open session ends on its next step)."""
        require(by, Action.ADMIN)
        user = self._user(name)
        if user.role is Role.ADMIN and not user.disabled and self._enabled_admins() <= 1:
            raise AccountError.from_text("user.last_admin", name=name)
        self._update(name, "UPDATE users SET disabled = 1 WHERE name = ?", (name,))
        self._audit(by, AuditAction.USER_DISABLE, _what("user_disable", name=name))

    def enable(self, name: str, *, by: Actor) -> None:
        """Let a disabled user sign in again (and lift a lockout)."""
        require(by, Action.ADMIN)
        self._update(
            name,
            "UPDATE users SET disabled = 0, failures = 0, locked_until = NULL WHERE name = ?",
            (name,),
        )
        self._audit(by, AuditAction.USER_ENABLE, _what("user_enable", name=name))

    def grant(self, name: str, operation: str, *, by: Actor) -> None:
        """Let `name` act on `operation` (an operation key, or "*" for every operation)."""
        require(by, Action.ADMIN)
        _check_operation(operation)
        self._user(name)
        with self.db.transaction() as con:
            con.execute(
                "INSERT INTO grants (name, operation, granted_at, granted_by) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (name, operation) DO NOTHING",
                (name, operation, self.clock().isoformat(), by.name),
            )
        what = _what("grant", name=name, operation=operation)
        self._audit(by, AuditAction.GRANT, what, operation)

    def revoke(self, name: str, operation: str, *, by: Actor) -> None:
        """Take back a grant.

        Raises
        ------
        AccountError
            When `name` has no such grant.
        """
        require(by, Action.ADMIN)
        with self.db.transaction() as con:
            gone = con.execute(
                "DELETE FROM grants WHERE name = ? AND operation = ? RETURNING name",
                (name, operation),
            ).fetchall()
        if not gone:
            raise AccountError.from_text("user.no_grant", name=name, operation=operation)
        what = _what("revoke", name=name, operation=operation)
        self._audit(by, AuditAction.REVOKE, what, operation)

    # --- helpers ---------------------------------------------------------------------------

    def _audit(
        self, by: Actor, action: AuditAction, what: Text, operation: str | None = None
    ) -> None:
        """Record a user or grant change (a grant of every operation names none)."""
        if operation == ALL_OPERATIONS:
            operation = None
        audit.record(by.name, action, operation=operation, what=what, db=self.db)

    def _user(self, name: str) -> User:
        for user in self.users():
            if user.name == name:
                return user
        raise AccountError.from_text("user.unknown", name=name)

    def _enabled_admins(self) -> int:
        return sum(1 for u in self.users() if u.role is Role.ADMIN and not u.disabled)

    def _update(self, name: str, sql: str, params: tuple[object, ...]) -> None:
        with self.db.transaction() as con:
            changed = con.execute(sql + " RETURNING name", params).fetchall()
        if not changed:
            raise AccountError.from_text("user.unknown", name=name)

    def _hash(self, password: str) -> str:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError.from_text("user.password_short", n=MIN_PASSWORD_LENGTH)
        return self.hasher.hash(password)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _unknown_name(
        self, con: Connection, name: str, password: str, now: datetime
    ) -> SignInFailed:
        """The refusal for a name that is no account: the same texts, costs and lockout as
        a wrong password for a real one."""
        row = con.execute(
            "SELECT failures, locked_until FROM unknown_names WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            con.execute("INSERT INTO unknown_names (name) VALUES (?)", (name,))
            row = (0, None)
        failures, locked = row
        until = _locked(locked, now)
        # an unknown name costs what a known one does
        self._verify(_dummy_hash(_parameters(self.hasher)), password)
        if until is not None:
            return self._locked_refusal(until)
        return self._count_failure(con, "unknown_names", name, int(failures) + 1, now)

    def _locked_refusal(self, until: datetime) -> SignInFailed:
        return SignInFailed.from_text("signin.locked", until=self.readable(until))

    def _count_failure(
        self, con: Connection, table: str, name: str, failures: int, now: datetime
    ) -> SignInFailed:
        """Count one wrong password of `name` in `table`; the refusal to give (the failure
        that locks says so, with until when)."""
        if failures >= self.settings.lockout_failures:
            until = now + timedelta(minutes=self.settings.lockout_minutes)
            con.execute(
                f"UPDATE {table} SET failures = 0, locked_until = ? WHERE name = ?",
                (until.isoformat(), name),
            )
            return self._locked_refusal(until)
        con.execute(f"UPDATE {table} SET failures = ? WHERE name = ?", (failures, name))
        return SignInFailed.from_text("signin.wrong")


def _what(kind: str, **params: object) -> Text:
    """What a user or grant change did, as its audit record keeps it (catalog text)."""
    return Text(f"audit.what.{kind}", params)


def _parameters(hasher: PasswordHasher) -> tuple[int, int, int]:
    return hasher.time_cost, hasher.memory_cost, hasher.parallelism


@functools.cache
def _dummy_hash(parameters: tuple[int, int, int]) -> str:
    """A hash checked against when the name is unknown (the cost of the hasher with these
    parameters: time, memory in KiB, lanes; never a match)."""
    time_cost, memory_cost, parallelism = parameters
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash(secrets.token_hex(16))


def _grants(con: Connection, name: str | None = None) -> dict[str, list[str]]:
    sql = "SELECT name, operation FROM grants"
    rows = (
        con.execute(sql + " WHERE name = ? ORDER BY operation", (name,)).fetchall()
        if name is not None
        else con.execute(sql + " ORDER BY name, operation").fetchall()
    )
    found: dict[str, list[str]] = {}
    for user, operation in rows:
        found.setdefault(user, []).append(operation)
    return found


def _locked(value: str | None, now: datetime) -> datetime | None:
    """The end of a lockout still running at `now`, else None."""
    if not value:
        return None
    until = datetime.fromisoformat(value)
    return until if until > now else None


def _check_operation(operation: str) -> None:
    if operation != ALL_OPERATIONS and not re.fullmatch(r"[^\s/\\]{1,128}", operation):
        raise AccountError.from_text("user.bad_operation", operation=operation)
