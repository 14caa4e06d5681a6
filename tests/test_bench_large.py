"""Smoke test of ``bench/large.py --quick``: one JSON line per set with every measurement's
key, each a number or named as skipped with its reason (timings are not judged)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_MEASURED = (
    "import_csv_s",
    "import_csv_us_per_row",
    "import_geojson_s",
    "import_geojson_us_per_row",
    "store_mb_one_version",
    "store_mb",
    "store_save_s",
    "load_current_s",
    "store_mb_old_layout",
    "analysis_s",
    "briefing_build_s",
    "briefing_mb",
    "first_map_s",
    "heap_mb",
    "app_first_map_s",
    "app_heap_mb",
    "app_script_run_s",
    "app_second_map_s",
    "app_warm_up_s",
    "app_warmed_first_map_s",
)
_MARKERS = ("briefing_build_s", "briefing_mb", "first_map_s", "heap_mb")


def test_the_quick_benchmark_prints_every_key() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "large.py"), "--quick", "--only", "province"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        check=True,
    )
    (line,) = done.stdout.splitlines()
    result = json.loads(line)
    assert (result["case"], result["tps"], result["posts"]) == ("province", 1_000, 20)
    assert 100 <= result["stacked_max"] <= 300 and 0.5 < result["stacked_share"] <= 1
    assert (result["store_versions"], result["store_changed_share"]) == (5, 0.01)
    keys = list(_MEASURED)
    if result["drawing"] == "aggregate":  # today's drawing is measured beside it
        keys += [f"markers_{key}" for key in _MARKERS]
    else:
        assert result["drawing"] == "markers"
    for key in keys:
        value = result[key]
        measured = isinstance(value, int | float) and value > 0
        assert measured or (value is None and result["skipped"]), (key, result["skipped"])
    assert result["store_mb"] < result["store_mb_old_layout"]
