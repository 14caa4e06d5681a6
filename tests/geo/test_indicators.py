"""Bawaslu TPS-rawan indicators: the registry, yes/no cells, the risk rule and its settings,
a Bawaslu-style list end to end, and the fired indicators kept through the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import SettingsError
from geo.fields import detect_indicators, indicator_of_column, parse_flag
from geo.importer import ImportChoices, ImportContext, Severity, import_sites
from geo.model import (
    INDICATOR_VARIABLES,
    INDICATORS,
    Col,
    Kind,
    Risk,
    RiskRule,
    Settings,
    normalise_label,
    parse_settings,
)
from geo.operation import load_operation, plan_import, save_sites
from geo.text import label
from tests.lists import bawaslu_list

# --- the registry --------------------------------------------------------------------------


def test_the_registry_has_eight_variables_and_twenty_four_indicators() -> None:
    assert len(INDICATOR_VARIABLES) == 8 and len(INDICATORS) == 24
    assert {s.variable for s in INDICATORS.values()} == set(INDICATOR_VARIABLES)
    for ind, spec in INDICATORS.items():
        assert set(spec.labels) == {"id", "en"}, ind
        assert label("indicator", ind, "en") == spec.labels["en"]


def test_every_recognition_word_names_its_own_indicator_only() -> None:
    for ind, spec in INDICATORS.items():
        for word in (normalise_label(ind), *spec.words):
            assert indicator_of_column(word.replace(" ", "_")) == ind, word


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("riwayat_kekerasan", "kekerasan"),
        ("Ind 8 Kekerasan", "kekerasan"),
        ("POLITIK UANG", "politik_uang"),
        ("lokasi_sulit_dijangkau", None),  # not a recognised name: never guessed
        ("Sulit Dijangkau", "sulit_dijangkau"),
        ("rawan_bencana", "rawan_bencana"),
        ("kendala_listrik", "listrik"),
        ("jaringan internet", "internet"),
        ("kecamatan", None),
        ("kerawanan", None),  # the risk class itself
        ("lokasi", None),
    ],
)
def test_indicator_columns_by_name(column: str, expected: str | None) -> None:
    assert indicator_of_column(column) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Ya", True),
        ("ya ", True),
        ("1", True),
        (1, True),
        (1.0, True),
        ("TRUE", True),
        ("✓", True),
        ("Tidak", False),
        ("0", False),
        (0, False),
        ("false", False),
        ("x", False),
        ("✗", False),
        ("", False),
        (None, False),
        ("mungkin", None),
        ("2", None),
        (7, None),
    ],
)
def test_yes_no_cells(cell, expected) -> None:
    assert parse_flag(cell) is expected


def test_a_named_column_of_free_text_is_no_indicator() -> None:
    import pandas as pd

    table = pd.DataFrame(
        {
            "logistik": ["gudang A", "gudang B", "gudang C"],  # a warehouse name, not yes/no
            "kekerasan": ["ya", "tidak", "entah"],
        }
    )
    assert detect_indicators(table) == {"kekerasan": "kekerasan"}


# --- the rule and its settings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fired", "expected"),
    [
        ((), Risk.KURANG_RAWAN),
        (("listrik",), Risk.RAWAN),
        (("listrik", "internet"), Risk.RAWAN),
        (("listrik", "internet", "logistik_rusak"), Risk.SANGAT_RAWAN),
        (("kekerasan",), Risk.SANGAT_RAWAN),  # one of the listed ones is enough
    ],
)
def test_the_default_rule(fired, expected) -> None:
    assert RiskRule().classify(fired) == expected


def test_an_edited_rule() -> None:
    rule = RiskRule(sangat_rawan_at=5, sangat_rawan_any=("politik_uang",), rawan_at=2)
    assert rule.classify(["listrik"]) == Risk.KURANG_RAWAN
    assert rule.classify(["listrik", "internet"]) == Risk.RAWAN
    assert rule.classify(["politik_uang"]) == Risk.SANGAT_RAWAN
    assert rule.classify(["kekerasan", "listrik", "internet", "dptb"]) == Risk.RAWAN


def test_the_rule_is_read_from_the_settings() -> None:
    settings = parse_settings(
        {
            "operation": {"title": "x"},
            "risk_rule": {
                "sangat_rawan_at": 4,
                "sangat_rawan_any": ["politik_uang", "kekerasan"],
                "rawan_at": 2,
            },
        }
    )
    assert settings.risk_rule == RiskRule(4, ("politik_uang", "kekerasan"), 2)
    assert parse_settings({"operation": {"title": "x"}}).risk_rule == RiskRule()


@pytest.mark.parametrize(
    ("table", "where", "fragment"),
    [
        ({"rawan_at": 0}, "risk_rule.rawan_at", "1 or more"),
        ({"sangat_rawan_at": "3"}, "risk_rule.sangat_rawan_at", "whole number"),
        ({"sangat_rawan_any": ["kekerasn"]}, "risk_rule.sangat_rawan_any", "kekerasn"),
        ({"sangat_rawan_any": "kekerasan"}, "risk_rule.sangat_rawan_any", "list"),
        ({"rawan_at": 4, "sangat_rawan_at": 2}, "risk_rule.rawan_at", "same or smaller"),
        ({"threshold": 2}, "risk_rule.threshold", "unknown"),
    ],
)
def test_a_bad_rule_is_refused_with_a_clear_error(table, where, fragment) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings({"operation": {"title": "x"}, "risk_rule": table})
    assert where in str(caught.value)
    assert fragment.casefold() in str(caught.value).casefold()


def test_settings_built_in_code_check_the_rule_too() -> None:
    with pytest.raises(SettingsError, match="rawan_at"):
        Settings(title="x", risk_rule=RiskRule(rawan_at=9))


# --- a Bawaslu-style list end to end -------------------------------------------------------

_COLUMNS = ("riwayat_kekerasan", "politik_uang", "kendala_listrik", "jaringan_internet")


def _import(operation, path: Path, **choices):
    return import_sites(
        path,
        ImportChoices(kind=Kind.POLLING_STATION, **choices),
        ImportContext.for_operation(operation),
    )


def test_a_bawaslu_list_gives_risk_classes_by_the_rule(op_folder: Path, tmp_path: Path) -> None:
    operation = load_operation(op_folder)
    fired = [
        ("riwayat_kekerasan",),
        ("kendala_listrik",),
        ("kendala_listrik", "jaringan_internet", "politik_uang"),
        (),
    ]
    written = bawaslu_list(operation, tmp_path / "tps_rawan.csv", fired=fired)
    report = _import(operation, written.path)
    assert report.counts["rejected"] == 0
    sites = report.accepted
    assert sites[Col.RISK].tolist()[:4] == ["sangat_rawan", "rawan", "sangat_rawan", "kurang_rawan"]
    assert sites[Col.INDICATORS].fillna("").tolist()[:4] == [
        "kekerasan",
        "listrik",
        "politik_uang;listrik;internet",  # in the registry's order
        "",
    ]
    assert {"indicators_read", "risk_rule"} <= report.codes(Severity.INFO)
    rule_note = next(i for i in report.issues if i.code == "risk_rule")
    assert "≥ 3" in rule_note.message("en") and "History of violence" in rule_note.message("en")
    assert "risk_missing" not in report.codes() and "missing_risk" not in report.codes()


def test_an_edited_rule_in_operation_toml_changes_the_classes(
    op_folder: Path, tmp_path: Path
) -> None:
    toml = op_folder / "operation.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + "\n[risk_rule]\nsangat_rawan_at = 2\nsangat_rawan_any = []\nrawan_at = 1\n",
        encoding="utf-8",
    )
    operation = load_operation(op_folder)
    fired = [("riwayat_kekerasan",), ("kendala_listrik", "jaringan_internet")]
    report = _import(operation, bawaslu_list(operation, tmp_path / "r.csv", fired=fired).path)
    assert report.accepted[Col.RISK].tolist()[:2] == ["rawan", "sangat_rawan"]
    assert "≥ 2" in next(i for i in report.issues if i.code == "risk_rule").message("id")


def test_an_explicit_risk_column_wins_over_the_rule(op_folder: Path, tmp_path: Path) -> None:
    operation = load_operation(op_folder)
    written = bawaslu_list(operation, tmp_path / "r.csv", fired=[("riwayat_kekerasan",)])
    text = written.path.read_text(encoding="utf-8").splitlines()
    rows = [f"{text[0]},kerawanan"] + [f"{line},Rawan" for line in text[1:]]
    written.path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = _import(operation, written.path)
    assert report.accepted[Col.RISK].iloc[0] == "rawan"  # not sangat rawan by the rule
    assert report.accepted[Col.INDICATORS].iloc[0] == "kekerasan"  # still kept
    wins = next(i for i in report.issues if i.code == "risk_column_wins")
    assert "kerawanan" in wins.message("en") and wins.row is None


def test_unknown_indicator_cells_are_reported_per_row(op_folder: Path, tmp_path: Path) -> None:
    operation = load_operation(op_folder)
    written = bawaslu_list(operation, tmp_path / "r.csv", fired=[("riwayat_kekerasan",)])
    lines = written.path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",mungkin"  # row 2: neither yes nor no
    written.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _import(operation, written.path)
    unknown = [i for i in report.issues if i.code == "unknown_indicator_value"]
    assert [(i.row, i.column) for i in unknown] == [(2, "riwayat_kekerasan")]
    assert "'mungkin'" in unknown[0].message("en")
    assert report.counts["rejected"] == 0


def test_fired_indicators_survive_the_store(op_folder: Path, tmp_path: Path) -> None:
    operation = load_operation(op_folder)
    fired = [(), (), ("politik_uang", "riwayat_kekerasan")]
    written = bawaslu_list(operation, tmp_path / "r.csv", fired=fired, new=1)
    report = _import(operation, written.path)
    save_sites(operation, report.accepted, confirmed=True)
    saved = load_operation(op_folder).sites.set_index(Col.SITE_ID)
    assert Col.DEFAULTED not in saved.columns  # import-only, never stored
    site = written.existing[2]
    assert saved.loc[site, Col.INDICATORS] == "kekerasan;politik_uang"
    assert saved.loc[site, Col.RISK] == "sangat_rawan"
    # the same list again changes nothing: the indicators compare equal after the store
    again = load_operation(op_folder)
    merge = plan_import(again, _import(again, written.path).accepted)
    assert not merge.changes_anything
