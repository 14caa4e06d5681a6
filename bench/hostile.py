"""Benchmark: hostile files against `posko check`, each bounded in time and memory.

Run ``python bench/hostile.py``. It writes each hostile case of issue 12 that the readers
handle (a header repeating one name 4,000 times, 20,000 and 3,000 columns, NaN in a GeoJSON
point and in a WKT column, a 4 MB zip expanding to 2 GB, 2,000,000 rows, GeoJSON nested
10,000 deep, an .xlsx with a DTD, a README before the site list in a zip, UTF-16 with a BOM,
invalid UTF-8, formulas in names) into a temporary folder, runs ``cli.py check`` on each in
its own process and measures its wall time and peak RSS (``os.wait4``'s resource usage of
that child; CPU seconds too, as the wall time depends on the machine's load; a one-row list
gives the interpreter's own start-up as a baseline). It prints one JSON line: per case the
seconds, CPU seconds, peak RSS in MB, exit code and whether a traceback appeared; then the
maxima and whether every case met the targets (<= 10 s, <= 500 MB).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0
TARGET_RSS_MB = 500.0
ROW = "TPS 001;106.1416;-2.1378"


def header_4000(path: Path) -> Path:
    path = path.with_suffix(".csv")
    path.write_text(";".join(["nama"] * 4000) + "\n" + ";".join(["x"] * 4000) + "\n")
    return path


def columns(n: int) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        path = path.with_suffix(".csv")
        names = [f"kolom_{i}" for i in range(n - 2)] + ["lon", "lat"]
        values = ["x"] * (n - 2) + ["106.14", "-2.13"]
        path.write_text(";".join(names) + "\n" + ";".join(values) + "\n")
        return path

    return write


def nan_geojson(path: Path) -> Path:
    path = path.with_suffix(".geojson")
    feature = '{"type":"Feature","properties":{"nama":"TPS"},"geometry":{"type":"Point",'
    path.write_text(
        '{"type":"FeatureCollection","features":['
        + feature
        + '"coordinates":[NaN,-2.12]}},'
        + feature
        + '"coordinates":[106.14,-2.13]}}]}'
    )
    return path


def nan_wkt(path: Path) -> Path:
    path = path.with_suffix(".csv")
    path.write_text("nama;wkt\nTPS 1;POINT (NaN -2.12)\nTPS 2;POINT (106.14 -2.13)\n")
    return path


def zip_bomb(path: Path) -> Path:
    path = path.with_suffix(".zip")
    zeros = b"0" * 2**24
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("sites.csv", "w", force_zip64=True) as member,
    ):
        member.write(b"lon;lat\n")
        for _ in range(128):  # 2 GB
            member.write(zeros)
    return path


def rows_2m(path: Path) -> Path:
    path = path.with_suffix(".csv")
    with path.open("w", encoding="utf-8") as out:
        out.write("nama;lon;lat\n")
        block = (ROW + "\n") * 10_000
        for _ in range(200):
            out.write(block)
    return path


def deep_geojson(path: Path) -> Path:
    path = path.with_suffix(".geojson")
    path.write_text('{"type":"FeatureCollection","features":' + "[" * 10_000 + "]" * 10_000 + "}")
    return path


def xlsx_dtd(path: Path) -> Path:
    plain = path.with_name("plain.xlsx")
    pd.DataFrame({"nama": ["TPS 1"], "lon": [106.1], "lat": [-2.1]}).to_excel(plain, index=False)
    path = path.with_suffix(".xlsx")
    laugh = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY a%d "&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;&a%s;">'
        % (i, *([b"" if i == 1 else b"%d" % (i - 1)] * 10))
        for i in range(1, 10)
    )
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?>' + laugh + b"]>" + data
            target.writestr(info, data)
    return path


def readme_first(path: Path) -> Path:
    path = path.with_suffix(".zip")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("README.txt", "Daftar TPS Bacang.\nLihat sites.csv.\n")
        archive.writestr("data/sites.csv", f"nama;lon;lat\n{ROW}\n")
    return path


def utf16_bom(path: Path) -> Path:
    path = path.with_suffix(".csv")
    path.write_bytes(f"nama;lon;lat\nJalan Ñusa;106.14;-2.13\n{ROW}\n".encode("utf-16"))
    return path


def invalid_utf8(path: Path) -> Path:
    path = path.with_suffix(".csv")
    path.write_bytes(b"nama;lon;lat\nJalan \xc3\x91usa;106.14;-2.13\nTPS \xff;106.15;-2.14\n")
    return path


def formulas(path: Path) -> Path:
    path = path.with_suffix(".csv")
    path.write_text(
        'nama;lon;lat\n"=HYPERLINK(""http://x"",""klik"")";;\n'
        "+cmd|' /C calc'!A0;x;y\n@SUM(A1);1;\n"
    )
    return path


def baseline(path: Path) -> Path:
    path = path.with_suffix(".csv")
    path.write_text(f"nama;lon;lat\n{ROW}\n")
    return path


CASES: dict[str, Callable[[Path], Path]] = {
    "baseline_one_row": baseline,
    "header_repeated_4000": header_4000,
    "columns_20000": columns(20_000),
    "columns_3000": columns(3_000),
    "nan_geojson_point": nan_geojson,
    "nan_wkt_column": nan_wkt,
    "zip_bomb_2gb": zip_bomb,
    "rows_2000000": rows_2m,
    "geojson_nested_10000": deep_geojson,
    "xlsx_with_dtd": xlsx_dtd,
    "zip_readme_first": readme_first,
    "utf16_bom": utf16_bom,
    "invalid_utf8": invalid_utf8,
    "formula_names": formulas,
}


def run_case(path: Path, folder: Path) -> dict[str, object]:
    """`cli.py check` on one file in its own process: time, peak RSS, exit code, traceback."""
    command = [sys.executable, str(ROOT / "cli.py"), "check", str(path), "--lang", "en"]
    command += ["--kind", "polling_station", "--rejected", str(folder / "rejected.csv")]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # KB on Linux
        "exit": process.returncode,
        "traceback": "Traceback" in stderr,
        "message": stderr.strip().splitlines()[0][:160] if stderr.strip() else "",
    }


def main() -> None:
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, write in CASES.items():
            path = write(Path(folder) / name)
            results[name] = run_case(path, Path(folder))
            path.unlink()
    max_seconds = max(float(r["seconds"]) for r in results.values())
    max_rss = max(float(r["peak_rss_mb"]) for r in results.values())
    ok = (
        max_seconds <= TARGET_SECONDS
        and max_rss <= TARGET_RSS_MB
        and not any(r["traceback"] for r in results.values())
    )
    print(
        json.dumps(
            {
                "bench": "hostile",
                "cases": results,
                "max_seconds": max_seconds,
                "max_peak_rss_mb": max_rss,
                "targets": {"seconds": TARGET_SECONDS, "peak_rss_mb": TARGET_RSS_MB},
                "ok": ok,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
