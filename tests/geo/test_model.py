"""Settings: loading from TOML and validation errors that name the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import SettingsError
from geo.fields import parse_kind, parse_post_type, parse_risk
from geo.model import (
    COLUMN_VOCABULARY,
    DEFAULT_RING_ZONES_M,
    KINDS,
    POST_KINDS,
    POST_TYPES,
    RISKS,
    TARGET_KINDS,
    VOCABULARIES,
    Col,
    Kind,
    PostType,
    Risk,
    Settings,
    load_settings,
    normalise_label,
    parse_settings,
    recognised_words,
)
from geo.operation import SAMPLE_OPERATION
from geo.text import LANGUAGES, label, localized


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


# --- vocabulary registries ------------------------------------------------------------------

_TABLES = [("kind", KINDS, Kind), ("risk", RISKS, Risk), ("post_type", POST_TYPES, PostType)]
_PARSERS = {"kind": parse_kind, "risk": parse_risk, "post_type": parse_post_type}


@pytest.mark.parametrize(("vocabulary", "table", "enum"), _TABLES)
def test_every_registry_row_is_complete(vocabulary: str, table, enum) -> None:
    assert set(table) == set(enum), f"{vocabulary}: a value has no row"
    assert VOCABULARIES[vocabulary] is table
    for value, spec in table.items():
        assert set(spec.labels) == set(LANGUAGES), (value, spec.labels)
        assert all(text.strip() for text in spec.labels.values()), value
        assert spec.words, f"{vocabulary} {value}: no word recognises it in a file"
        assert all(w == normalise_label(w) and w for w in spec.words), (value, spec.words)


def test_kind_rows_say_what_is_required() -> None:
    for kind, spec in KINDS.items():
        assert isinstance(spec.target, bool) and isinstance(spec.post, bool), kind
        assert not (spec.target and spec.post), kind
        for column, fallback in spec.required.items():
            assert fallback in COLUMN_VOCABULARY[column], (kind, column)
    assert KINDS[Kind.POLLING_STATION].required == {Col.RISK: Risk.KURANG_RAWAN}
    assert KINDS[Kind.POLICE_POST].required == {Col.POST_TYPE: PostType.POS_PAM}
    assert TARGET_KINDS == (Kind.POLLING_STATION, Kind.DEMONSTRATION_POINT)
    assert POST_KINDS == (Kind.POLICE_POST,)


def test_post_type_and_risk_rows_give_the_defaults() -> None:
    assert all(0 < spec.radius_m <= 50_000 for spec in POST_TYPES.values())
    assert all(spec.weight >= 0 for spec in RISKS.values())
    assert Settings(title="X").radius_m == {p: s.radius_m for p, s in POST_TYPES.items()}
    assert Settings(title="X").risk_weights == {r: s.weight for r, s in RISKS.items()}


@pytest.mark.parametrize(("vocabulary", "table", "enum"), _TABLES)
def test_every_word_is_recognised_as_its_own_row(vocabulary: str, table, enum) -> None:
    parse = _PARSERS[vocabulary]
    owner: dict[str, object] = {}
    for value, spec in table.items():
        for word in recognised_words(value, spec):
            assert owner.setdefault(word, value) == value, f"{word!r} means two {vocabulary}s"
            assert parse(word) == value, word
            assert parse(word.upper().replace(" ", "_")) == value, word
        for lang in LANGUAGES:
            assert label(vocabulary, value, lang) == spec.labels[lang]
    assert parse("certainly not a label") is None


def test_post_type_words_mean_a_police_post() -> None:
    for post_type, spec in POST_TYPES.items():
        for word in recognised_words(post_type, spec):
            assert parse_kind(word) == Kind.POLICE_POST, word


def test_labels_of_unknown_values_and_other_vocabularies() -> None:
    assert label("risk", "bahaya") == "bahaya"
    assert label("risk", float("nan")) == "nan"
    assert label("quality", "synthetic", "id") == "sintetis"
    assert label("quality", "synthetic", "en") == "synthetic"


# --- settings errors in the chosen language --------------------------------------------------


def test_settings_errors_follow_the_language(tmp_path: Path) -> None:
    data = {"operation": {"title": "X", "language": "fr"}, "radius_m": {"polsek": -5}}
    with pytest.raises(SettingsError) as info:
        parse_settings(data)
    english, indonesian = localized(info.value, "en"), localized(info.value, "id")
    assert english == str(info.value)
    assert "`operation.language` is 'fr'" in english
    assert indonesian.startswith("Pengaturan tidak sah: ")
    assert "`operation.language` berisi 'fr'" in indonesian
    assert "`radius_m.polsek` berisi -5" in indonesian
    assert all(p.key.startswith("settings.") for p in info.value.problems)
    path = tmp_path / "operation.toml"
    path.write_text('[operation]\ntitle = ""\n', encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert "tidak boleh kosong" in localized(info.value, "id")
    assert "must not be empty" in localized(info.value, "en")
    with pytest.raises(SettingsError) as info:
        load_settings(tmp_path / "none.toml")
    assert "tidak ditemukan" in localized(info.value, "id")
