"""An earlier operation made from the sample for the operation-comparison tests.

A copy of the sample, retitled "Pemilu 2024", in which three TPS do not exist yet (they are
added in the sample), two stand 0.005° (≈ 555 m) further west (moved) and four others had
another risk class: counted by construction, compared with the sample as the later one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.operation import SAMPLE_OPERATION

__all__ = ["EarlierPair", "make_earlier"]

_OTHER_RISK = {"kurang_rawan": "rawan", "rawan": "sangat_rawan", "sangat_rawan": "rawan"}


@dataclass(frozen=True)
class EarlierPair:
    """The earlier operation's folder and what it differs in from the sample, by site id."""

    folder: Path
    added: tuple[str, ...]
    moved: tuple[str, ...]
    risk_changed: tuple[str, ...]


def make_earlier(parent: Path, name: str = "pemilu2024") -> EarlierPair:
    """Write the earlier operation under `parent`/`name` and say what differs."""
    folder = parent / name
    shutil.copytree(SAMPLE_OPERATION, folder)
    toml = folder / "operation.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace('title = "Pilkada 2024', 'title = "Pemilu 2024', 1), encoding="utf-8"
    )
    sites = gpd.read_file(folder / "sites.geojson")
    tps = sites.index[sites["kind"] == "polling_station"].tolist()
    dropped, moved, changed = tps[10:13], tps[40:42], tps[100:104]
    sites.loc[moved, "geometry"] = sites.loc[moved].geometry.translate(xoff=-0.005)
    sites.loc[changed, "risk"] = [_OTHER_RISK.get(r, "rawan") for r in sites.loc[changed, "risk"]]
    ids = sites["site_id"]
    pair = EarlierPair(
        folder=folder,
        added=tuple(ids[dropped]),
        moved=tuple(ids[moved]),
        risk_changed=tuple(ids[changed]),
    )
    sites.drop(index=dropped).to_file(folder / "sites.geojson", driver="GeoJSON")
    return pair
