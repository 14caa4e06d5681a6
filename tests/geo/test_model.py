"""Settings: loading from TOML and validation errors that name the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import SettingsError
from geo.model import DEFAULT_RING_ZONES_M, PostType, Settings, load_settings, parse_settings
from geo.operation import SAMPLE_OPERATION


def test_sample_settings_load() -> None:
    settings = load_settings(SAMPLE_OPERATION / "operation.toml")
    assert settings.title == "Pilkada 2024 — Polresta Pangkalpinang"
    assert settings.classification == "TERBATAS"
    assert settings.language == "id"
    assert settings.radius_m[PostType.POLSEK] == 1500.0
    assert settings.ring_zones_m == (30.0, 100.0, 300.0, 800.0)
    assert settings.synthetic


def test_defaults_fill_what_the_file_leaves_out() -> None:
    settings = parse_settings({"operation": {"title": "X"}})
    assert settings.ring_zones_m == DEFAULT_RING_ZONES_M
    assert set(settings.radius_m) == set(PostType)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"operation": {"title": "X"}, "radius_m": {"pospam": 100}}, "unknown post type 'pospam'"),
        ({"operation": {"title": "X"}, "radius_m": {"polsek": -5}}, "`radius_m.polsek` is -5"),
        ({"operation": {"title": "X"}, "radius_m": {"polsek": "far"}}, "expected a number"),
        ({"operation": {"title": "X", "language": "fr"}}, "`operation.language` is 'fr'"),
        ({"operation": {"title": ""}}, "`operation.title` must not be empty"),
        ({"operation": {}}, "`operation.title` is None"),
        ({"operation": {"title": "X", "colour": "red"}}, "Unknown key `operation.colour`"),
        ({"operation": {"title": "X"}, "ring_zones_m": {"a": 300, "b": 100}}, "increasing"),
        ({"operation": {"title": "X"}, "radius": {}}, "Unknown key `radius`"),
        (
            {
                "operation": {"title": "X"},
                "staffing": {
                    "presets": {"p": {"kurang_rawan": {"polri": 2, "tps": 0, "linmas": 1}}}
                },
            },
            "`staffing.presets.p.kurang_rawan.tps` must be at least 1",
        ),
    ],
)
def test_invalid_settings_name_the_problem(data: dict, fragment: str) -> None:
    with pytest.raises(SettingsError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse_settings(data)


def test_every_problem_is_reported_at_once() -> None:
    data = {"operation": {"title": "X", "language": "xx", "oops": 1}, "radius_m": {"mako": 0}}
    with pytest.raises(SettingsError) as info:
        parse_settings(data)
    wheres = {p.where for p in info.value.problems}
    assert {"operation.oops", "operation.language", "radius_m.mako"} <= wheres


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not found"):
        load_settings(tmp_path / "operation.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[operation\ntitle = 'x'", encoding="utf-8")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(broken)


def test_custom_preset_is_parsed() -> None:
    settings = parse_settings(
        {
            "operation": {"title": "X"},
            "staffing": {
                "preset": "ketat",
                "presets": {
                    "ketat": {
                        "label": "Ketat",
                        "min_polri": 3,
                        "kurang_rawan": {"polri": 2, "tps": 2, "linmas": 4},
                    }
                },
            },
        }
    )
    preset = settings.custom_presets["ketat"]
    assert preset.min_polri == 3
    assert preset.label == "Ketat"


def test_with_radii_replaces_only_given_types() -> None:
    settings = Settings(title="X").with_radii({PostType.POLSEK: 2222.0})
    assert settings.radius_m[PostType.POLSEK] == 2222.0
    assert settings.radius_m[PostType.MAKO] == 2500.0
    with pytest.raises(SettingsError, match=r"radius_m\.polsek"):
        Settings(title="X").with_radii({PostType.POLSEK: -1.0})
