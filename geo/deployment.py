"""The deployment's settings: how users sign in, how long a session lasts, when to lock out.

Read from ``$POSKO_SETTINGS``, else ``posko.toml`` in the workspace folder (a missing file
means the defaults). Example::

    [sign_in]
    method = "local"          # "local" accounts, "oidc" (st.login) or "off" (loopback only)
    role_claim = "posko_role"
    grants_claim = "posko_operations"
    session_hours = 8
    idle_minutes = 60
    lockout_failures = 5
    lockout_minutes = 15
    cli_as_password = true    # the CLI acting as another user than the OS user asks their
                              # password (root never); false: the OS account vouches
    argon2_time_cost = 2      # password hashes (argon2id): OWASP's minimum, ~25 ms a check
    argon2_memory_kib = 19456 # 19 MiB
    argon2_parallelism = 1

    [server]
    time_zone = "WIB"         # account times (lockouts, `posko user list`): WIB, WITA or WIT

``$POSKO_SIGN_IN`` overrides the method (the test suite switches sign-in off with it).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path

from geo.errors import Problem, SettingsError
from geo.model import TimeZone

__all__ = [
    "SETTINGS_ENV",
    "SETTINGS_FILE",
    "SIGN_IN_ENV",
    "DeploymentSettings",
    "SignInMethod",
    "deployment_settings",
    "settings_path",
]

SETTINGS_ENV = "POSKO_SETTINGS"
SETTINGS_FILE = "posko.toml"
SIGN_IN_ENV = "POSKO_SIGN_IN"


class SignInMethod(StrEnum):
    """How users prove who they are."""

    LOCAL = "local"  # names and passwords kept by Posko (argon2id hashes)
    OIDC = "oidc"  # the unit's identity provider, through Streamlit's st.login
    OFF = "off"  # nobody signs in: the OS user acts as admin (loopback only)


_POSITIVE = (
    "session_hours",
    "idle_minutes",
    "lockout_failures",
    "lockout_minutes",
    "argon2_time_cost",
    "argon2_memory_kib",
    "argon2_parallelism",
)
# whole numbers only: a fraction of an argon2 pass or lane means nothing
_INTEGERS = ("argon2_time_cost", "argon2_memory_kib", "argon2_parallelism")


@dataclass(frozen=True)
class DeploymentSettings:
    """How this deployment signs users in.

    Attributes
    ----------
    method
        "local", "oidc" or "off" (default "local").
    role_claim
        OIDC: the claim of the identity token holding the user's role (default "posko_role").
    grants_claim
        OIDC: the claim holding the operations granted, a list or a comma-separated text
        (default "posko_operations").
    session_hours
        A session ends this many hours after sign-in, whatever the activity (default 8).
    idle_minutes
        A session ends after this many minutes without any interaction (default 60).
    lockout_failures
        Wrong passwords in a row that lock an account (default 5).
    lockout_minutes
        How long a locked account stays locked (default 15).
    cli_as_password
        Whether the CLI acting as a user other than the OS user (``--as``, ``$POSKO_USER``)
        needs that account's password (default true; root never does, it could read the
        database anyway).
    argon2_time_cost, argon2_memory_kib, argon2_parallelism
        The argon2id parameters of new password hashes: passes, memory in KiB, lanes
        (default 2, 19456 (19 MiB), 1: OWASP's recommended minimum for argon2id). A sign-in
        checks a stored hash with the parameters it was made with, then renews it with these.
    time_zone
        The zone account times are shown in (``[server] time_zone``; default WIB).
    """

    method: SignInMethod = SignInMethod.LOCAL
    role_claim: str = "posko_role"
    grants_claim: str = "posko_operations"
    session_hours: float = 8.0
    idle_minutes: float = 60.0
    lockout_failures: int = 5
    lockout_minutes: float = 15.0
    cli_as_password: bool = True
    # OWASP's argon2id minimum (m=19 MiB, t=2, p=1): ~6x cheaper than argon2-cffi's defaults
    # (m=64 MiB, t=3, p=4), whose 0.14 s of a core per sign-in held back 30 viewers signing
    # in at once on 2 cores (docs/DEPLOY.md)
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19456
    argon2_parallelism: int = 1
    time_zone: TimeZone = TimeZone.WIB

    def __post_init__(self) -> None:
        problems = [
            Problem.from_text(f"sign_in.{name}", "signin.settings_positive", name=name)
            for name in _POSITIVE
            if not getattr(self, name) > 0
        ]
        if self.argon2_parallelism > 0 and self.argon2_memory_kib < 8 * self.argon2_parallelism:
            problems.append(
                Problem.from_text(
                    "sign_in.argon2_memory_kib",
                    "signin.settings_argon2_memory",
                    kib=self.argon2_memory_kib,
                    least=8 * self.argon2_parallelism,
                )
            )
        problems += [
            Problem.from_text(f"sign_in.{name}", "signin.settings_claim", name=name)
            for name in ("role_claim", "grants_claim")
            if not getattr(self, name).strip()
        ]
        if problems:
            raise SettingsError.from_text("signin.settings_invalid", tuple(problems))


_CHOICES: dict[str, tuple[str, ...]] = {
    "method": tuple(SignInMethod),
    "cli_as_password": ("true", "false"),
    "time_zone": tuple(TimeZone),
}


def settings_path() -> Path:
    """``$POSKO_SETTINGS``, else ``posko.toml`` in the workspace folder."""
    from geo.store import workspace_dir  # the workspace folder is the store's to define

    explicit = os.environ.get(SETTINGS_ENV, "").strip()
    return Path(explicit) if explicit else workspace_dir() / SETTINGS_FILE


def deployment_settings() -> DeploymentSettings:
    """The settings of this deployment, with ``$POSKO_SIGN_IN`` overriding the method.

    Raises
    ------
    SettingsError
        When the file cannot be read, is not TOML, or holds an unknown key or a bad value.
    """
    path = settings_path()
    table = _tables(path) if path.is_file() else {}
    override = os.environ.get(SIGN_IN_ENV, "").strip()
    if override:
        table["method"] = override
    return _parse(table, path)


def _tables(path: Path) -> dict[str, object]:
    """The ``[sign_in]`` keys and ``[server] time_zone``, as one table."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError.from_text(
            "signin.settings_unreadable", path=str(path), reason=str(exc)
        ) from None
    table = _table(document, "sign_in", path)
    server = _table(document, "server", path)
    if "time_zone" in table:
        # a time zone belongs to [server]: under [sign_in] it is an unknown key
        table["sign_in.time_zone"] = table.pop("time_zone")
    unknown = sorted(f"server.{key}" for key in server if key != "time_zone")
    table.update(dict.fromkeys(unknown))
    if "time_zone" in server:
        table["time_zone"] = server["time_zone"]
    return table


def _table(document: dict[str, object], name: str, path: Path) -> dict[str, object]:
    table = document.get(name, {})
    if not isinstance(table, dict):
        raise SettingsError.from_text("signin.settings_unreadable", path=str(path), reason="")
    return dict(table)


def _parse(table: dict[str, object], path: Path) -> DeploymentSettings:
    known = {f.name: f for f in fields(DeploymentSettings)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise SettingsError.from_text(
            "signin.settings_unknown", path=str(path), keys=", ".join(unknown)
        )
    values: dict[str, object] = {}
    for name, value in table.items():
        values[name] = _value(name, value, path)
    return DeploymentSettings(**values)  # type: ignore[arg-type]


def _value(name: str, value: object, path: Path) -> object:
    """One setting converted to its field's type, or a SettingsError naming it."""
    try:
        if name == "method":
            return SignInMethod(str(value).strip().lower())
        if name == "time_zone":
            return TimeZone(str(value).strip().upper())
        if name in ("role_claim", "grants_claim"):
            if not isinstance(value, str):
                raise TypeError
            return value
        if name == "cli_as_password":
            if not isinstance(value, bool):
                raise TypeError
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError
        if name in _INTEGERS:
            if not isinstance(value, int):
                raise TypeError
            return value
        return int(value) if name == "lockout_failures" else float(value)
    except (TypeError, ValueError):
        raise SettingsError.from_text(
            "signin.settings_value",
            path=str(path),
            name=name,
            value=repr(value),
            expected=", ".join(_CHOICES.get(name, ())),
        ) from None
