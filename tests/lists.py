"""Real-format lists as Indonesian election bodies publish them, written from an operation.

A KPU TPS list ("daftar TPS") carries no Posko ids: a TPS code such as `1971011004-TPS 001`,
the TPS number (`noTps`, `no_tps`, `nomor_tps`; `TPS 001` or `001`), the kelurahan (or
desa) and kecamatan in capitals, the address (`alamat`) and the voter count (`dpt`). A
Bawaslu TPS-rawan mapping adds one yes/no column per indicator. The rows are the
operation's own TPS (their positions, which are synthetic in the sample) plus new TPS placed
inside their kelurahan, so the expected figures come from the operation, never from
numbers written here.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.operation import Operation

__all__ = ["KpuList", "bawaslu_list", "kpu_list"]

# The column-name variants KPU and KPUD lists use for the TPS number, and for the village.
NUMBER_COLUMNS = ("noTps", "no_tps", "nomor_tps")
VILLAGE_COLUMNS = ("kelurahan", "desa")


@dataclass(frozen=True)
class KpuList:
    """A written list and what it holds.

    Attributes
    ----------
    path
        The CSV file.
    existing
        Site ids of the operation's TPS the list repeats.
    new
        Number of TPS the operation does not have.
    """

    path: Path
    existing: tuple[str, ...]
    new: int


def _kelurahan_tps(operation: Operation, kelurahan: int) -> gpd.GeoDataFrame:
    """The TPS of the operation's first `kelurahan` area codes that have numbered TPS."""
    tps = operation.sites[
        (operation.sites["kind"] == "polling_station")
        & operation.sites["area_code"].notna()
        & operation.sites["tps_no"].notna()
    ]
    codes = list(dict.fromkeys(tps["area_code"]))[:kelurahan]
    return tps[tps["area_code"].isin(codes)]


def _new_rows(operation: Operation, tps: gpd.GeoDataFrame, new: int) -> list[dict]:
    """`new` TPS numbered after the last one of the first kelurahan, inside its area."""
    first = tps.iloc[0]
    area = operation.areas[operation.areas["area_code"] == first["area_code"]]
    inside = area.geometry.iloc[0].representative_point() if len(area) else first.geometry
    last = int(tps[tps["area_code"] == first["area_code"]]["tps_no"].max())
    return [
        {
            "area_code": first["area_code"],
            "tps_no": last + 1 + i,
            "kelurahan": first["kelurahan"],
            "kecamatan": first["kecamatan"],
            "voters": 250 + i,
            "lon": inside.x,
            "lat": inside.y + 0.0001 * i,
        }
        for i in range(new)
    ]


def kpu_list(
    operation: Operation,
    path: Path,
    *,
    kelurahan: int = 2,
    new: int = 3,
    number_column: str = "noTps",
    village_column: str = "kelurahan",
    short_numbers: bool = False,
    extra: Sequence[str] = (),
    extra_values: Sequence[Sequence[object]] = (),
) -> KpuList:
    """Write a KPU TPS list of the operation's TPS in its first `kelurahan` kelurahan,
    plus `new` TPS it does not have.

    Parameters
    ----------
    number_column, village_column
        Which variant of the TPS-number and village column names to use.
    short_numbers
        Write the TPS number as "001" instead of "TPS 001".
    extra, extra_values
        More columns, and their value per row (existing TPS first, then the new ones).
    """
    tps = _kelurahan_tps(operation, kelurahan)
    rows = [
        {
            "area_code": s["area_code"],
            "tps_no": int(s["tps_no"]),
            "kelurahan": s["kelurahan"],
            "kecamatan": s["kecamatan"],
            "voters": s["voters"],
            "lon": s.geometry.x,
            "lat": s.geometry.y,
        }
        for _, s in tps.iterrows()
    ] + _new_rows(operation, tps, new)
    header = [
        "kode_tps",
        number_column,
        village_column,
        "kecamatan",
        "alamat",
        "dpt",
        "lat",
        "lon",
        *extra,
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for i, row in enumerate(rows):
            number = f"{row['tps_no']:03d}"
            digits = str(row["area_code"]).replace(".", "")
            writer.writerow(
                [
                    f"{digits}-TPS {number}",
                    number if short_numbers else f"TPS {number}",
                    str(row["kelurahan"]).upper(),
                    str(row["kecamatan"]).upper(),
                    f"Jl. Contoh No. {i + 1}",  # one street for all: an address, not a name
                    "" if row["voters"] is None else int(row["voters"]),
                    f"{row['lat']:.7f}",
                    f"{row['lon']:.7f}",
                    *(extra_values[i] if extra_values else ()),
                ]
            )
    return KpuList(path, tuple(tps["site_id"].astype(str)), new)


def bawaslu_list(
    operation: Operation,
    path: Path,
    *,
    fired: Sequence[Sequence[str]],
    kelurahan: int = 1,
    new: int = 1,
) -> KpuList:
    """A KPU list with Bawaslu TPS-rawan indicator columns, written as a Bawaslu sheet does
    ("Ya"/"Tidak", "1"/"0", "✓"/"x", mixed on purpose).

    Parameters
    ----------
    fired
        For the first rows (the operation's TPS first, then the `new` ones), the columns
        that say yes; later rows say no everywhere. The columns are every name in `fired`.
    """
    columns = sorted({c for row in fired for c in row})
    yes_no = (("Ya", "Tidak"), ("1", "0"), ("✓", "x"))
    rows = len(_kelurahan_tps(operation, kelurahan)) + new
    padded = [*fired, *[()] * (rows - len(fired))]
    values = [
        [yes_no[j % 3][0] if c in row else yes_no[j % 3][1] for j, c in enumerate(columns)]
        for row in padded
    ]
    return kpu_list(
        operation, path, kelurahan=kelurahan, new=new, extra=columns, extra_values=values
    )
