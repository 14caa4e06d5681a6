"""Benchmark: hostile files and faults against `posko`, each bounded in time and memory.

Run ``python bench/hostile.py``. It writes each hostile case of issue 12 that the readers
handle (a header repeating one name 4,000 times, 20,000 and 3,000 columns, NaN in a GeoJSON
point and in a WKT column, a 4 MB zip expanding to 2 GB, 2,000,000 rows, GeoJSON nested
10,000 deep, an .xlsx with a DTD, a README before the site list in a zip, UTF-16 with a BOM,
invalid UTF-8, formulas in names, terminal control characters in names, a user's file next
to a zip) into a temporary folder, runs ``cli.py check`` on each in its own process and
measures its wall time and peak RSS (``os.wait4``'s resource usage of that child; CPU
seconds too, as the wall time depends on the machine's load; a one-row list gives the
interpreter's own start-up as a baseline). The faults run other commands on a scratch copy
of the sample operation: two ``posko import --yes`` started at once (no save may be lost:
both sets of rows end in the store, or one is refused with a non-zero exit), ``posko
history`` on a store truncated to 0 bytes, and ``posko brief`` on an operation with no sites
yet. It prints one JSON line: per case the seconds, CPU seconds, peak RSS in MB, exit code(s)
and whether a traceback appeared (plus the case's own verdict where it has one); then the
maxima and whether every case met the targets (<= 10 s, <= 500 MB).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
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


def control_names(path: Path) -> Path:
    path = path.with_suffix(".csv")
    path.write_text(
        "nama;lon;lat\nTPS \x1b[2J\x1b]0;owned\x07 1;106.14;-2.13\nTPS \u202e2;x;y\n",
        encoding="utf-8",
    )
    return path


def zip_neighbour(path: Path) -> Path:
    path = path.with_suffix(".zip")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sites.csv", f"nama;lon;lat\n{ROW}\n")
    path.with_name(f"{path.name}_sites.csv").write_text("a user's own file\n")
    path.with_name(f"{path.stem}_sites.csv").write_text("a user's own file\n")
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
    "control_characters_in_names": control_names,
    "zip_next_to_user_files": zip_neighbour,
}


def _posko(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), *args]


def run_commands(commands: list[list[str]], env: dict[str, str]) -> dict[str, object]:
    """Start `commands` together; wall time until the last ends, summed CPU, largest RSS."""
    start = time.perf_counter()
    cpu, rss, codes, texts = 0.0, 0.0, [], []
    with ExitStack() as files:
        runs = []
        for command in commands:
            out = files.enter_context(tempfile.TemporaryFile())
            err = files.enter_context(tempfile.TemporaryFile())
            process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, env=env)
            runs.append((process, out, err))
        for process, out, err in runs:
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
            rss = max(rss, usage.ru_maxrss / 1024)  # KB on Linux
            codes.append(process.returncode)
            out.seek(0)
            err.seek(0)
            texts.append(
                (out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
            )
    seconds = time.perf_counter() - start
    stderr = "\n".join(e for _, e in texts)
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(rss, 1),
        "exit": codes[0] if len(codes) == 1 else codes,
        "traceback": "Traceback" in stderr,
        "message": stderr.strip().splitlines()[0][:160] if stderr.strip() else "",
        "_output": "".join(o + e for o, e in texts),
    }


def run_case(path: Path, folder: Path) -> dict[str, object]:
    """`cli.py check` on one file in its own process: time, peak RSS, exit code, traceback."""
    command = _posko("check", str(path), "--lang", "en", "--kind", "polling_station")
    command += ["--rejected", str(folder / "rejected.csv")]
    beside = sorted(p for p in path.parent.iterdir() if p.name.startswith(path.name[:8]))
    before = {p: p.read_bytes() for p in beside if p != path}
    result = run_commands([command], dict(os.environ))
    output = str(result.pop("_output"))
    if path.name.startswith("control"):
        result["raw_controls_printed"] = any(c in output for c in "\x1b\x07\u202e")
    if before:
        result["files_beside_untouched"] = all(
            p.exists() and p.read_bytes() == data for p, data in before.items()
        )
    return result


def _scratch_operation(folder: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the sample operation and an environment whose workspace is `folder`."""
    sys.path.insert(0, str(ROOT))
    from geo.operation import SAMPLE_OPERATION

    target = folder / "latihan"
    shutil.copytree(SAMPLE_OPERATION, target)
    # a scratch workspace on this machine: sign-in off, the CLI acts as the named user
    return target, {**os.environ, "POSKO_WORKSPACE": str(folder), "POSKO_SIGN_IN": "off"}


def concurrent_imports(folder: Path) -> dict[str, object]:
    """Two `posko import --yes` of different rows into one operation, started at once."""
    operation, env = _scratch_operation(folder)
    commands = []
    for tag, shift in (("A", 0.0004), ("B", -0.0004)):
        rows = "".join(
            f"TPS 9{i:02d} {tag};{-2.13 + shift + i * 1e-4:.5f};{106.14 + i * 1e-4:.5f}\n"
            for i in range(20)
        )
        path = folder / f"tps_{tag}.csv"
        path.write_text(f"nama;lintang;bujur\n{rows}", encoding="utf-8")
        options = ["--into", str(operation), "--kind", "polling_station", "--yes"]
        commands.append(_posko("--as", tag, "import", str(path), *options))
    result = run_commands(commands, env)
    result.pop("_output")
    from geo.operation import load_operation

    names = set(load_operation(operation).sites["name"])
    kept = {tag: any(n.endswith(f" {tag}") for n in names) for tag in ("A", "B")}
    codes = list(result["exit"])  # type: ignore[call-overload]
    # a save that said so holds its rows; a refusal exits non-zero
    result["no_save_lost"] = all(
        kept[tag] if code == 0 else code != 0 for tag, code in zip("AB", codes, strict=True)
    )
    return result


def store_zero_bytes(folder: Path) -> dict[str, object]:
    """`posko history` on an operation whose store was truncated to 0 bytes."""
    operation, env = _scratch_operation(folder)
    (operation / "store.gpkg").write_bytes(b"")
    result = run_commands([_posko("history", str(operation), "--lang", "en")], env)
    result.pop("_output")
    result["reported_damaged"] = "DAMAGED" in str(result["message"])
    return result


def brief_without_sites(folder: Path) -> dict[str, object]:
    """`posko brief` on a new operation: settings and areas, no sites file yet."""
    operation, env = _scratch_operation(folder)
    (operation / "sites.geojson").unlink()
    out = folder / "brief.html"
    result = run_commands([_posko("brief", str(operation), "-o", str(out), "--lang", "en")], env)
    result.pop("_output")
    result["written"] = out.is_file()
    return result


FAULTS: dict[str, Callable[[Path], dict[str, object]]] = {
    "two_concurrent_imports": concurrent_imports,
    "store_zero_bytes": store_zero_bytes,
    "brief_no_sites_yet": brief_without_sites,
}


_VERDICTS = (
    "files_beside_untouched",
    "no_save_lost",
    "reported_damaged",
    "written",
)


def main() -> None:
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, write in CASES.items():
            path = write(Path(folder) / name)
            results[name] = run_case(path, Path(folder))
            path.unlink()
        for name, fault in FAULTS.items():
            with tempfile.TemporaryDirectory() as scratch:
                results[name] = fault(Path(scratch))
    max_seconds = max(float(r["seconds"]) for r in results.values())
    max_rss = max(float(r["peak_rss_mb"]) for r in results.values())
    ok = (
        max_seconds <= TARGET_SECONDS
        and max_rss <= TARGET_RSS_MB
        and not any(r["traceback"] for r in results.values())
        and all(r.get(k, True) for r in results.values() for k in _VERDICTS)
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
