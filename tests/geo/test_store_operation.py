"""Loading an operation (geo.operation.load_operation) from either store: the seed before
any save, the newest version with its own areas after, a rollback, the current plan, and
the cache key that changes with every save."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.model import Kind
from geo.operation import load_operation, operation_signature, rollback, save_sites, store_for
from geo.plans import Plans
from tests.conftest import StoreBackend


def test_an_operation_loads_from_either_store(op_folder: Path, store_backend: StoreBackend) -> None:
    seed = load_operation(op_folder)
    assert seed.version is None and seed.plan is None and len(seed.areas) == 49
    signatures = {operation_signature(op_folder)}
    tps = seed.list_sites[seed.list_sites["kind"] == Kind.POLLING_STATION].head(3)
    save_sites(seed, tps.assign(name=tps["name"] + " baru"), who="Bag Ops")
    signatures.add(operation_signature(op_folder))
    saved = load_operation(op_folder)
    assert saved.version == 2 and saved.notes == ()
    assert saved.sites["name"].str.endswith(" baru").sum() == 3
    store = store_for(op_folder)
    store.save(saved.list_sites, action="areas", base_version=2, areas=seed.areas.iloc[:7])
    signatures.add(operation_signature(op_folder))
    with_areas = load_operation(op_folder)
    assert (with_areas.version, len(with_areas.areas)) == (3, 7)
    plans = Plans.for_operation(with_areas)
    info = plans.create("B", with_areas.plan_content.with_post_removed("POST-MAKO"), who="t")
    plans.set_current(info.plan_id, who="t")
    signatures.add(operation_signature(op_folder))
    planned = load_operation(op_folder)
    assert planned.plan is not None and planned.plan.name == "B"
    assert "POST-MAKO" not in set(planned.sites["site_id"])
    rollback(planned, 1, who="Kapolres", confirmed=True)
    signatures.add(operation_signature(op_folder))
    back = load_operation(op_folder)
    assert back.version == 4 and len(back.areas) == 49  # the seed's areas with its sites
    assert sorted(back.list_sites["site_id"]) == sorted(seed.list_sites["site_id"])
    assert not back.list_sites["name"].str.endswith(" baru").any()
    assert len(signatures) == 5  # the app's cache sees every save
    assert (op_folder / "store.gpkg").exists() == (not store_backend.is_postgis)


@pytest.mark.usefixtures("store_backend")
def test_two_folders_are_two_operations(op_folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "polres_b"
    other.mkdir()
    for name in ("operation.toml", "sites.geojson", "areas.geojson"):
        (other / name).write_bytes((op_folder / name).read_bytes())
    first = load_operation(op_folder)
    save_sites(first, first.list_sites.head(2).assign(name="dua"), who="a")
    assert load_operation(other).version is None
    assert load_operation(op_folder).version == 2
