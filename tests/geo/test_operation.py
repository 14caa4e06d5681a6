"""The sample operation as generated, and loading/validation of operation folders."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point

from geo.areas import assign_areas
from geo.crs import WGS84
from geo.errors import SettingsError, ValidationError
from geo.model import COLUMN_VOCABULARY, KINDS, Kind
from geo.operation import (
    SAMPLE_OPERATION,
    SAMPLES,
    WORKSPACE_ENV,
    ConfirmationNeeded,
    OperationNotFound,
    discover_operations,
    find_operation,
    load_operation,
    operation_roots,
    operation_signature,
    rollback,
    save_sites,
    store_for,
    workspace_dir,
)
from geo.schema import canonical_sites, validate_sites
from geo.text import localized

ROOT = Path(__file__).resolve().parents[2]


def test_sample_counts(sample_operation) -> None:
    sites = sample_operation.sites
    counts = sites["kind"].value_counts().to_dict()
    assert counts["polling_station"] == 311
    assert {"government", "demonstration_point", "police_post", "logistics"} <= set(counts)
    tps = sites[sites["kind"] == "polling_station"]
    assert tps["voters"].sum() == 164_330
    assert tps["kelurahan"].nunique() == 42
    assert tps["kecamatan"].nunique() == 7
    assert (tps["location_quality"] == "synthetic").all()
    assert sites["location_quality"].isin(["synthetic", "approximate"]).all()
    risk = tps["risk"].value_counts()
    assert risk["khusus"] == 4
    assert 0.05 <= risk["rawan"] / len(tps) <= 0.07
    assert risk["kurang_rawan"] > 0.9 * len(tps)
    assert tps["site_id"].is_unique


def test_tps_follow_the_kelurahan_proportions(sample_operation) -> None:
    facts = pd.read_csv(SAMPLE_OPERATION / "kelurahan_facts.csv")
    tps = sample_operation.sites.query("kind == 'polling_station'")
    per_kel = tps["kelurahan"].value_counts()
    for _, row in facts.iterrows():
        share = row["tps_pemilu_2024"] * 311 / facts["tps_pemilu_2024"].sum()
        assert abs(per_kel[row["kelurahan"]] - share) < 1, row["kelurahan"]


def test_every_tps_lies_in_its_own_kelurahan(sample_operation) -> None:
    """Inside its own kelurahan polygon, and assigned to it (not to a neighbour whose
    simplified outline overlaps it)."""
    areas = sample_operation.areas
    kel = areas[areas["level"] == "kelurahan"].set_index("name")
    tps = sample_operation.sites.query("kind == 'polling_station'")
    inside = [
        kel.loc[k, "geometry"].contains(p)
        for k, p in zip(tps["kelurahan"], tps.geometry, strict=True)
    ]
    assert all(inside)
    assigned = assign_areas(tps, areas, level="kelurahan")
    assert (assigned == tps["area_code"]).all()
    kecamatan = assign_areas(tps, areas, level="kecamatan")
    assert (kecamatan == tps["area_code"].str.rsplit(".", n=1).str[0]).all()


def test_other_sites_lie_inside_the_city(sample_operation) -> None:
    city = sample_operation.areas.union_all()
    others = sample_operation.sites.query("kind != 'polling_station'")
    assert others.geometry.within(city).all()


def test_areas_are_the_published_kelurahan_and_their_kecamatan(sample_operation) -> None:
    areas = sample_operation.areas
    assert areas["level"].value_counts().to_dict() == {"kelurahan": 42, "kecamatan": 7}
    assert not areas["approximate"].any()  # real boundaries: the legend must not say otherwise
    published = gpd.read_file(ROOT / "data" / "pangkalpinang_kelurahan_19.71.geojson")
    kel = areas[areas["level"] == "kelurahan"].set_index("area_code").sort_index()
    assert kel["name"].tolist() == published.set_index("kode").sort_index()["nama"].tolist()
    for code, geom in zip(published["kode"], published.geometry, strict=True):
        assert shapely.hausdorff_distance(kel.loc[code, "geometry"], geom) < 2e-6  # ~20 cm
    facts = pd.read_csv(SAMPLE_OPERATION / "kelurahan_facts.csv", dtype={"code": str})
    assert dict(zip(facts["code"], facts["kelurahan"], strict=True)) == kel["name"].to_dict()
    kec = areas[areas["level"] == "kecamatan"]
    assert set(kec["area_code"]) == set(kel["parent_code"])
    area_km2 = kec.to_crs(32748).area.sum() / 1e6
    assert math.isclose(area_km2, published.to_crs(32748).area.sum() / 1e6, rel_tol=0.01)


def test_the_sample_credits_its_boundaries() -> None:
    earlier = SAMPLES / "pangkalpinang_pemilu2024"
    for path in (
        ROOT / "data" / "SOURCES.md",
        SAMPLE_OPERATION / "SOURCES.md",
        earlier / "SOURCES.md",
    ):
        text = path.read_text(encoding="utf-8")
        assert "cahyadsn/wilayah_boundaries" in text and "MIT" in text
    for folder in (SAMPLE_OPERATION, earlier):
        note = load_operation(folder).settings.data_note
        assert "synthetic" in note and "wilayah_boundaries" in note


def test_named_places_exist(sample_operation) -> None:
    names = " | ".join(sample_operation.sites["name"])
    for needle in [
        "Alun-alun Taman Merdeka",
        "Kantor Gubernur",
        "DPRD",
        "Wali Kota",
        "KPU Kota",
        "Bawaslu",
        "Mako Polresta",
        "Polsek",
        "Pos Terpadu",
        "Pos Pam",
    ]:
        assert needle in names


def test_broken_folders_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not found"):
        load_operation(tmp_path / "missing")
    folder = tmp_path / "op"
    shutil.copytree(SAMPLE_OPERATION, folder)
    (folder / "operation.toml").write_text("[operation]\nlanguage = 'xx'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"operation\.toml"):
        load_operation(folder)


def test_invalid_sites_list_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "op"
    shutil.copytree(SAMPLE_OPERATION, folder)
    text = (folder / "sites.geojson").read_text(encoding="utf-8")
    text = text.replace('"kind": "police_post"', '"kind": "polce post"', 1)
    text = text.replace('"risk": "rawan"', '"risk": "bahaya"', 1)
    (folder / "sites.geojson").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_operation(folder)
    messages = " ".join(p.message for p in info.value.problems)
    assert "'polce post'" in messages
    assert "'bahaya'" in messages


def test_discover_operations_finds_the_samples() -> None:
    found = discover_operations(SAMPLE_OPERATION.parent)
    assert found == {
        "pangkalpinang": SAMPLE_OPERATION.resolve(),
        "pangkalpinang_pemilu2024": (SAMPLES / "pangkalpinang_pemilu2024").resolve(),
    }
    assert find_operation() == SAMPLE_OPERATION  # the Pilkada sample stays the default


def test_sample_is_rebuilt_identically(tmp_path: Path) -> None:
    """The committed generator reproduces the packaged sample byte for byte."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    copy = tmp_path / "repo"
    shutil.copytree(root / "data", copy / "data")
    shutil.copytree(root / "geo", copy / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, str(copy / "data" / "generate_sample.py")], check=True, capture_output=True
    )
    for folder in ("pangkalpinang", "pangkalpinang_pemilu2024"):
        for name in ("sites.geojson", "areas.geojson", "operation.toml"):
            assert (copy / "geo" / "sample" / folder / name).read_bytes() == (
                SAMPLES / folder / name
            ).read_bytes(), f"{folder}/{name}"


def test_operation_errors_follow_the_language(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        load_operation(tmp_path / "missing")
    assert "tidak ditemukan" in localized(info.value, "id")
    folder = tmp_path / "op"
    shutil.copytree(SAMPLE_OPERATION, folder)
    text = (folder / "sites.geojson").read_text(encoding="utf-8")
    (folder / "sites.geojson").write_text(
        text.replace('"risk": "rawan"', '"risk": "bahaya"', 1), encoding="utf-8"
    )
    with pytest.raises(ValidationError) as info:
        load_operation(folder)
    assert info.value.key == "sites.invalid"
    assert "Kolom `risk` berisi 'bahaya'" in localized(info.value, "id")
    assert "Column `risk` has 'bahaya'" in localized(info.value, "en")


@pytest.mark.parametrize(
    ("kind", "column", "needed"),
    [(k, c, True) for k, s in KINDS.items() for c in s.required]
    + [(k, c, False) for k, s in KINDS.items() for c in COLUMN_VOCABULARY if c not in s.required],
)
def test_validation_asks_what_the_kind_registry_requires(
    kind: Kind, column: str, needed: bool
) -> None:
    valid = {c: [str(fallback)] for c, fallback in KINDS[kind].required.items()}
    sites = canonical_sites(
        gpd.GeoDataFrame(
            {"site_id": ["A"], "kind": [kind.value], **valid, column: ["nonsense"]},
            geometry=[Point(106.1, -2.1)],
            crs=WGS84,
        )
    )
    if needed:
        with pytest.raises(ValidationError, match=f"Column `{column}` has 'nonsense'"):
            validate_sites(sites)
    else:
        assert validate_sites(sites) is sites


def test_find_operation_by_name_folder_or_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    assert operation_roots() == [tmp_path, SAMPLES]
    assert find_operation("latihan") == (tmp_path / "latihan").resolve()
    assert find_operation(str(tmp_path / "latihan")) == tmp_path / "latihan"
    assert find_operation() == SAMPLE_OPERATION
    assert find_operation("pangkalpinang") == SAMPLE_OPERATION.resolve()
    with pytest.raises(OperationNotFound) as info:
        find_operation("nowhere")
    assert "latihan, pangkalpinang" in str(info.value)
    assert "Operasi 'nowhere' tidak ditemukan" in localized(info.value, "id")


def test_workspace_defaults_to_the_user_data_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(WORKSPACE_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert workspace_dir() == tmp_path / "posko"
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "ws"))
    assert workspace_dir() == tmp_path / "ws"


def _new_tps(operation) -> gpd.GeoDataFrame:
    tps = operation.sites[operation.sites["kind"] == "polling_station"].head(2)
    # new TPS numbers 901 and 902 in the same kelurahan: new stations, not copies
    return tps.assign(site_id=["NEW-1", "NEW-2"], tps_no=[901, 902], name=["TPS A", "TPS B"])


def test_saving_into_the_sample_never_writes_into_the_package(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path))
    before = sorted(p.name for p in SAMPLE_OPERATION.iterdir())
    signature = operation_signature(SAMPLE_OPERATION)
    operation = load_operation(SAMPLE_OPERATION)
    saved = save_sites(operation, _new_tps(operation), who="Bag Ops")
    assert saved.version == 2
    assert sorted(p.name for p in SAMPLE_OPERATION.iterdir()) == before
    store = store_for(SAMPLE_OPERATION).path
    assert store.is_file() and store.is_relative_to(tmp_path)
    assert operation_signature(SAMPLE_OPERATION) != signature  # the app's cache sees the save
    assert load_operation(SAMPLE_OPERATION).version == 2
    assert "latihan" not in discover_operations(*operation_roots())


def test_rollback_goes_through_the_operation(tmp_path: Path) -> None:
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    operation = load_operation(folder)
    save_sites(operation, _new_tps(operation))
    assert len(load_operation(folder).sites) == len(operation.sites) + 2
    with pytest.raises(ConfirmationNeeded, match="version 1"):
        rollback(load_operation(folder), 1, who="Kapolres")
    assert load_operation(folder).version == 2  # unconfirmed: nothing saved
    restored = rollback(load_operation(folder), 1, who="Kapolres", confirmed=True)
    assert (restored.version, restored.action, restored.who) == (3, "rollback", "Kapolres")
    assert len(load_operation(folder).sites) == len(operation.sites)
    assert rollback(folder, 2, confirmed=True).version == 4
