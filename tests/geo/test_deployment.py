"""The deployment's sign-in settings (geo.deployment): file, defaults, override, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.deployment import DeploymentSettings, SignInMethod, deployment_settings, settings_path
from geo.errors import SettingsError
from geo.model import TimeZone


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    monkeypatch.delenv("POSKO_SIGN_IN", raising=False)
    monkeypatch.delenv("POSKO_SETTINGS", raising=False)
    return tmp_path / "posko.toml"


def test_no_file_means_local_sign_in_with_the_defaults(settings_file: Path) -> None:
    assert settings_path() == settings_file
    assert deployment_settings() == DeploymentSettings()
    assert DeploymentSettings().method is SignInMethod.LOCAL
    assert DeploymentSettings().time_zone is TimeZone.WIB


def test_the_file_sets_every_value_and_the_environment_overrides_the_method(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file.write_text(
        '[sign_in]\nmethod = "oidc"\nrole_claim = "peran"\ngrants_claim = "operasi"\n'
        "session_hours = 12\nidle_minutes = 30\nlockout_failures = 3\nlockout_minutes = 5\n"
        "argon2_time_cost = 3\nargon2_memory_kib = 65536\nargon2_parallelism = 4\n"
        '[server]\ntime_zone = "wita"\n',
        encoding="utf-8",
    )
    assert deployment_settings() == DeploymentSettings(
        method=SignInMethod.OIDC,
        role_claim="peran",
        grants_claim="operasi",
        session_hours=12,
        idle_minutes=30,
        lockout_failures=3,
        lockout_minutes=5,
        argon2_time_cost=3,
        argon2_memory_kib=65536,
        argon2_parallelism=4,
        time_zone=TimeZone.WITA,
    )
    monkeypatch.setenv("POSKO_SIGN_IN", "off")
    assert deployment_settings().method is SignInMethod.OFF


def test_posko_settings_names_another_file(tmp_path: Path, monkeypatch, settings_file) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('[sign_in]\nmethod = "off"\n', encoding="utf-8")
    monkeypatch.setenv("POSKO_SETTINGS", str(other))
    assert deployment_settings().method is SignInMethod.OFF


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[sign_in]\nmethod = "ldap"\n', "signin.settings_value"),
        ("[sign_in]\nsession_hours = 0\n", "signin.settings_invalid"),
        ('[sign_in]\nlockout_failures = "5"\n', "signin.settings_value"),
        ("[sign_in]\nlockout_failures = true\n", "signin.settings_value"),
        ('[sign_in]\nrole_claim = " "\n', "signin.settings_invalid"),
        ("[sign_in]\nmetode = 1\n", "signin.settings_unknown"),
        ("[sign_in\n", "signin.settings_unreadable"),
        ('[server]\ntime_zone = "UTC"\n', "signin.settings_value"),
        ('[server]\nzona = "WIB"\n', "signin.settings_unknown"),
        ('[sign_in]\ntime_zone = "WIB"\n', "signin.settings_unknown"),
        ("[sign_in]\nargon2_time_cost = 0\n", "signin.settings_invalid"),
        ("[sign_in]\nargon2_memory_kib = 19456.5\n", "signin.settings_value"),
        ("[sign_in]\nargon2_parallelism = 4\nargon2_memory_kib = 16\n", "signin.settings_invalid"),
    ],
)
def test_bad_settings_are_refused_by_name(settings_file: Path, text: str, key: str) -> None:
    settings_file.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        deployment_settings()
    assert caught.value.key == key


def test_a_bad_override_is_refused(settings_file: Path, monkeypatch) -> None:
    monkeypatch.setenv("POSKO_SIGN_IN", "nobody")
    with pytest.raises(SettingsError, match="method"):
        deployment_settings()
