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

``$POSKO_SIGN_IN`` overrides the method (the test suite switches sign-in off with it).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path

from geo.errors import Problem, SettingsError

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
    """

    method: SignInMethod = SignInMethod.LOCAL
    role_claim: str = "posko_role"
    grants_claim: str = "posko_operations"
    session_hours: float = 8.0
    idle_minutes: float = 60.0
    lockout_failures: int = 5
    lockout_minutes: float = 15.0

    def __post_init__(self) -> None:
        problems = [
            Problem.from_text(f"sign_in.{name}", "signin.settings_positive", name=name)
            for name in ("session_hours", "idle_minutes", "lockout_failures", "lockout_minutes")
            if not getattr(self, name) > 0
        ]
        problems += [
            Problem.from_text(f"sign_in.{name}", "signin.settings_claim", name=name)
            for name in ("role_claim", "grants_claim")
            if not getattr(self, name).strip()
        ]
        if problems:
            raise SettingsError.from_text("signin.settings_invalid", tuple(problems))


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
    table = _sign_in_table(path) if path.is_file() else {}
    override = os.environ.get(SIGN_IN_ENV, "").strip()
    if override:
        table["method"] = override
    return _parse(table, path)


def _sign_in_table(path: Path) -> dict[str, object]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError.from_text(
            "signin.settings_unreadable", path=str(path), reason=str(exc)
        ) from None
    table = document.get("sign_in", {})
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
        if name in ("role_claim", "grants_claim"):
            if not isinstance(value, str):
                raise TypeError
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError
        return int(value) if name == "lockout_failures" else float(value)
    except (TypeError, ValueError):
        raise SettingsError.from_text(
            "signin.settings_value",
            path=str(path),
            name=name,
            value=repr(value),
            expected=", ".join(SignInMethod) if name == "method" else "",
        ) from None
