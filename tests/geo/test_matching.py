"""Matching imports to existing sites, the guarded save, and KPU TPS lists end to end."""

from __future__ import annotations

import csv
from pathlib import Path

import geopandas as gpd
import pytest

from geo.fields import parse_tps_code
from geo.guard import MATCH_COLUMNS, changed_fields, match_rows, summarise_import
from geo.importer import ImportChoices, ImportContext, Severity, import_sites
from geo.matching import MatchKey, MatchStatus, match_sites, merge_matched
from geo.model import Kind
from geo.operation import (
    ConfirmationNeeded,
    NothingToSave,
    load_operation,
    plan_import,
    save_sites,
    store_for,
)
from geo.schema import canonical_sites
from tests.lists import kpu_list


def _tps(sites: gpd.GeoDataFrame, n: int) -> gpd.GeoDataFrame:
    return sites[sites["kind"] == "polling_station"].head(n).copy()


def test_each_key_in_order(sample_operation) -> None:
    sites = sample_operation.sites
    tps = _tps(sites, 3)
    post = sites[sites["kind"] == "police_post"].head(1).copy()
    by_id = tps.iloc[[0]]
    by_number = tps.iloc[[1]].assign(site_id="KPU-X", area_code=None, name="other name")
    by_name = post.assign(site_id="POS-X")
    by_name = by_name.set_geometry(by_name.geometry.translate(xoff=0.0001))  # about 11 m
    too_far = post.assign(site_id="POS-Y")
    too_far = too_far.set_geometry(too_far.geometry.translate(xoff=0.001))  # about 110 m
    imported = canonical_sites(gpd.pd.concat([by_id, by_number, by_name, too_far]))
    matches = match_sites(sites, imported)
    assert [m.key for m in matches] == [
        MatchKey.SITE_ID,
        MatchKey.TPS,
        MatchKey.NAME_DISTANCE,
        None,
    ]
    assert [m.status for m in matches] == [
        MatchStatus.UNCHANGED,
        MatchStatus.UPDATE,
        MatchStatus.UPDATE,
        MatchStatus.NEW,
    ]
    assert matches[1].site_id == tps["site_id"].iloc[1] and matches[1].changed == ("name",)
    assert matches[2].changed == ("position",)


def test_two_rows_claiming_one_site_are_a_conflict(sample_operation) -> None:
    sites = sample_operation.sites
    one = _tps(sites, 1)
    twice = canonical_sites(gpd.pd.concat([one, one.assign(site_id="COPY", voters=1)]))
    merge = merge_matched(sites, twice)
    assert [m.status for m in merge.matches] == [MatchStatus.CONFLICT] * 2
    assert len(merge.sites) == len(sites) and not merge.changes_anything


def test_replacing_a_kind_keeps_matched_ids_and_removes_the_rest(sample_operation) -> None:
    sites = sample_operation.sites
    kept = _tps(sites, 2).assign(site_id=["A", "B"], voters=[10, 20])
    merge = merge_matched(sites, canonical_sites(kept), replace_kinds=True)
    tps = merge.sites[merge.sites["kind"] == "polling_station"]
    assert sorted(tps["site_id"]) == sorted(_tps(sites, 2)["site_id"])  # ids stay stable
    assert tps["voters"].tolist() == [10, 20]
    assert len(merge.removed) == (sites["kind"] == "polling_station").sum() - 2
    assert set(merge.removed_kinds) == {"polling_station"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1971011004-TPS 001", ("19.71.01.1004", 1)),
        ("TPS 001", (None, 1)),
        ("tps-12", (None, 12)),
        ("007", (None, 7)),
        ("Jl. Merdeka 5", (None, None)),
        (None, (None, None)),
    ],
)
def test_kpu_tps_codes(value, expected) -> None:
    assert parse_tps_code(value) == expected


def _kpu_csv(path: Path, operation) -> Path:
    """A KPU-style TPS list of kelurahan Semabung Lama (code 1971011004): TPS 001-004 as the
    sample has them, plus TPS 031 and 032; positions synthetic, inside the kelurahan."""
    area = operation.areas[operation.areas["area_code"] == "19.71.01.1004"].geometry.iloc[0]
    inside = area.representative_point()
    header = ["kode_tps", "noTps", "kelurahan", "kecamatan", "alamat", "dpt", "lat", "lon"]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for i, number in enumerate((1, 2, 3, 4, 31, 32)):
            writer.writerow(
                [
                    f"1971011004-TPS {number:03d}",
                    f"TPS {number:03d}",
                    "SEMABUNG LAMA",
                    "BUKIT INTAN",
                    f"Jl. Semabung Lama No. {i + 1}",  # the same street: an address, no name
                    300 + i,
                    f"{inside.y + 0.0002 * i:.6f}",
                    f"{inside.x:.6f}",
                ]
            )
    return path


def test_a_kpu_list_reads_numbers_names_and_addresses(tmp_path: Path, sample_operation) -> None:
    path = _kpu_csv(tmp_path / "dpt_tps.csv", sample_operation)
    report = import_sites(
        path,
        ImportChoices(kind=Kind.POLLING_STATION),
        ImportContext.for_operation(sample_operation),
    )
    assert report.counts["rejected"] == 0
    sites = report.accepted
    assert sites["tps_no"].tolist() == [1, 2, 3, 4, 31, 32]
    assert sites["name"].iloc[0] == "TPS 001 SEMABUNG LAMA"
    assert sites["address"].iloc[0] == "Jl. Semabung Lama No. 1"
    assert set(sites["area_code"]) == {"19.71.01.1004"}
    assert "duplicate_name" not in report.codes()


def test_a_kpu_list_imported_twice_changes_nothing_the_second_time(
    op_folder: Path, tmp_path: Path
) -> None:
    operation = load_operation(op_folder)
    path = _kpu_csv(tmp_path / "dpt_tps.csv", operation)
    choices = ImportChoices(kind=Kind.POLLING_STATION)
    report = import_sites(path, choices, ImportContext.for_operation(operation))
    merge = plan_import(operation, report.accepted)
    assert [m.status for m in merge.matches].count(MatchStatus.NEW) == 2
    assert all(m.key == MatchKey.TPS for m in merge.matches[:4])
    summary = summarise_import(operation, merge)
    assert summary.added == {"polling_station": 2} and summary.updated == {"polling_station": 4}
    tps_before = int((operation.sites["kind"] == "polling_station").sum())
    assert (summary.before.tps, summary.after.tps) == (tps_before, tps_before + 2)
    first = save_sites(operation, report.accepted)
    again = load_operation(op_folder)
    assert len(again.sites) == len(operation.sites) + 2
    report = import_sites(path, choices, ImportContext.for_operation(again))
    merge = plan_import(again, report.accepted)
    assert {m.status for m in merge.matches} == {MatchStatus.UNCHANGED}
    with pytest.raises(NothingToSave, match="Nothing changes"):
        save_sites(again, report.accepted)
    assert store_for(op_folder).latest() == first


def test_a_us_list_as_tps_is_rejected_row_by_row(op_folder: Path, tmp_path: Path) -> None:
    operation = load_operation(op_folder)
    path = tmp_path / "polling_places.csv"
    rows = [f"Precinct {i},{42.35 + i / 1000:.4f},{-71.06:.4f}" for i in range(12)]
    path.write_text("name,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = import_sites(
        path, ImportChoices(kind=Kind.POLLING_STATION), ImportContext.for_operation(operation)
    )
    assert report.counts == {"rows_read": 12, "accepted": 0, "rejected": 12}
    reasons = report.rejected["reasons"]
    assert reasons.str.contains("far_from_area").all() and reasons.str.contains("km").all()
    assert store_for(op_folder).latest() is None and load_operation(op_folder).version is None


def test_a_large_replacement_needs_confirmation(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    tps = _tps(operation.sites, 200).assign(voters=9999)  # 200 of 311 TPS change
    with pytest.raises(ConfirmationNeeded, match="polling_station: 200/311"):
        save_sites(operation, tps)
    assert store_for(op_folder).latest() is None
    summary = summarise_import(operation, plan_import(operation, tps))
    assert summary.needs_confirmation and summary.large == {"polling_station": (200, 311)}
    saved = save_sites(operation, tps, confirmed=True)
    assert saved.version == 2
    small = _tps(load_operation(op_folder).sites, 3).assign(risk="khusus")
    assert save_sites(load_operation(op_folder), small).version == 3  # below the share


def test_the_share_is_a_setting(op_folder: Path) -> None:
    toml = op_folder / "operation.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "max_replace_share = 0.001\n", encoding="utf-8"
    )
    operation = load_operation(op_folder)
    assert operation.settings.max_replace_share == 0.001
    with pytest.raises(ConfirmationNeeded):
        save_sites(operation, _tps(operation.sites, 1).assign(risk="khusus"))


def test_same_name_is_no_duplicate_when_tps_numbers_differ(tmp_path: Path) -> None:
    def codes(numbers: list[int]) -> set[str]:
        rows = [
            f"TPS Kelurahan Bacang;{n};Bacang;{-2.138 - i / 1000:.4f};106.1416"
            for i, n in enumerate(numbers)
        ]
        path = tmp_path / "tps.csv"
        path.write_text("nama;no_tps;kelurahan;lintang;bujur\n" + "\n".join(rows) + "\n")
        return import_sites(path, ImportChoices(kind=Kind.POLLING_STATION)).codes()

    assert "duplicate_name" not in codes([1, 2, 3])
    assert "duplicate_name" in codes([1, 1, 3])


# --- real-format KPU lists (tests/lists.py), per-row results, far rows --------------------


@pytest.mark.parametrize(
    ("number_column", "village_column", "short_numbers"),
    [
        ("noTps", "kelurahan", False),
        ("no_tps", "desa", False),
        ("nomor_tps", "kelurahan", True),
    ],
)
def test_a_real_format_kpu_list_twice_into_the_sample(
    op_folder: Path, tmp_path: Path, number_column, village_column, short_numbers
) -> None:
    operation = load_operation(op_folder)
    written = kpu_list(
        operation,
        tmp_path / "daftar_tps.csv",
        number_column=number_column,
        village_column=village_column,
        short_numbers=short_numbers,
    )
    choices = ImportChoices(kind=Kind.POLLING_STATION)
    report = import_sites(written.path, choices, ImportContext.for_operation(operation))
    assert report.counts["rejected"] == 0
    assert report.mapping.get("tps_no") == number_column
    assert report.mapping.get("kelurahan") == village_column
    assert report.accepted["address"].str.startswith("Jl. Contoh").all()
    merge = plan_import(operation, report.accepted)
    rows = match_rows(report.accepted, merge)
    assert list(rows.columns) == list(MATCH_COLUMNS)
    existing = rows[rows["match"] != "new"]
    assert existing["site_id"].tolist() == list(written.existing)  # matched, not duplicated
    assert (rows["match"] == "new").sum() == written.new
    # the list writes names in capitals, which changes nothing; the risk class and name,
    # which the list does not give, are not overwritten by the import's own defaults
    assert set(existing["match"]) == {"unchanged"}
    summary = summarise_import(operation, merge)
    assert summary.after.tps == summary.before.tps + written.new
    version = save_sites(operation, report.accepted, confirmed=True)
    saved = load_operation(op_folder)
    assert len(saved.sites) == len(operation.sites) + written.new
    kept = saved.sites.set_index("site_id").loc[list(written.existing)]
    before = operation.sites.set_index("site_id").loc[list(written.existing)]
    assert kept["risk"].tolist() == before["risk"].tolist()
    assert kept["name"].tolist() == before["name"].tolist()
    # the second import of the same list changes nothing
    report = import_sites(written.path, choices, ImportContext.for_operation(saved))
    merge = plan_import(saved, report.accepted)
    assert set(match_rows(report.accepted, merge)["match"]) == {"unchanged"}
    again = summarise_import(saved, merge)
    assert not again.changes_anything and again.unchanged == len(report.accepted)
    assert again.after == again.before
    with pytest.raises(NothingToSave):
        save_sites(saved, report.accepted)
    assert store_for(op_folder).latest() == version


def test_per_row_results_name_the_changed_fields_and_conflicts(sample_operation) -> None:
    sites = sample_operation.sites
    tps = _tps(sites, 3)
    imported = canonical_sites(
        gpd.pd.concat(
            [
                tps.iloc[[0]].assign(source="f.csv:1"),
                tps.iloc[[1]].assign(voters=1, risk="khusus", source="f.csv:2"),
                tps.iloc[[2]].assign(source="f.csv:3"),
                tps.iloc[[2]].assign(site_id="COPY", source="f.csv:4"),
                tps.iloc[[0]].assign(site_id="NEW", tps_no=999, name="TPS baru", source="f.csv:5"),
            ]
        )
    )
    imported = imported.set_geometry(
        [*imported.geometry[:4], imported.geometry.iloc[4].buffer(0.01).exterior.centroid]
    )
    rows = match_rows(imported, merge_matched(sites, imported))
    assert rows["row"].tolist() == [1, 2, 3, 4, 5]
    assert rows["match"].tolist() == ["unchanged", "update", "conflict", "conflict", "new"]
    assert rows["changed"].iloc[1] == "risk, voters"
    shown = match_rows(imported, merge_matched(sites, imported), lang="id")
    assert shown["changed"].iloc[1] == "Kerawanan, Pemilih"  # the page's language
    assert changed_fields(("indicators", "position"), "id") == "Indikator kerawanan, Posisi"
    assert rows["changed"].iloc[2] == rows["changed"].iloc[3] == tps["site_id"].iloc[2]


def test_accepted_far_rows_are_said_for_the_whole_file(op_folder: Path, tmp_path: Path) -> None:
    operation = load_operation(op_folder)
    path = tmp_path / "polling_places.csv"
    rows = [f"Precinct {i},{42.35 + i / 1000:.4f},{-71.06:.4f}" for i in range(3)]
    path.write_text("name,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    context = ImportContext.for_operation(operation)
    refused = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION), context)
    assert refused.far_accepted == (0, 0.0) and "far_accepted" not in refused.codes()
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION, accept_far=3), context)
    count, furthest_m = report.far_accepted
    assert count == 3 and furthest_m > 15_000_000  # Boston is over 15,000 km away
    caution = next(i for i in report.issues if i.code == "far_accepted")
    assert caution.row is None and caution.severity == Severity.WARNING
    assert "3 row(s)" in caution.message("en") and "km" in caution.message("en")
    summary = summarise_import(
        operation, plan_import(operation, report.accepted), far=report.far_accepted
    )
    assert (summary.far_rows, summary.far_max_m) == (count, furthest_m)
