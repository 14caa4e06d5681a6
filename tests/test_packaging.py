"""The built wheel carries the sample: `posko coverage` works from any folder, read-only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_NOT_SOURCES = (
    ".git",
    ".venv",
    ".hypothesis",
    "build",
    "static",
    "tests",
    "bench",
    "*.egg-info",
    ".*cache",
)

# Runs the installed code only: the unpacked wheel comes first on the path, the project
# folder is not on it, and the check fails if `geo` is imported from anywhere else.
_SCRIPT = """
import sys
sys.path.insert(0, sys.argv[1])
import geo
assert geo.__file__.startswith(sys.argv[1]), geo.__file__
from cli import main
sys.exit(main(sys.argv[2:]))
"""

_SAVE = """
import sys
sys.path.insert(0, sys.argv[1])
from geo.operation import SAMPLE_OPERATION, load_operation, save_sites, store_for
operation = load_operation(SAMPLE_OPERATION)
tps = operation.sites[operation.sites["kind"] == "polling_station"].head(1)
save_sites(operation, tps.assign(site_id=["NEW-1"], tps_no=[901], name=["TPS 901"]))
print(store_for(SAMPLE_OPERATION).path)
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built as `pip install .` builds it, unpacked."""
    return build_wheel(tmp_path_factory.mktemp("wheel"))


def build_wheel(out: Path) -> Path:
    """Build the project's wheel into `out` as `pip install .` builds it; unpack it into
    `out`/site-packages and return that folder."""
    # built from a copy: setuptools leaves a build/ folder behind in the tree it builds
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*_NOT_SOURCES))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("posko-*.whl")
    target = out / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def _run(code: str, site: Path, *args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    env.pop("POSKO_WORKSPACE", None)
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [sys.executable, "-I", "-c", code, str(site), *args],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if "__pycache__" not in p.parts}


@pytest.mark.slow
def test_the_wheel_runs_the_sample_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    sample = installed / "geo" / "sample" / "pangkalpinang"
    assert {p.name for p in sample.iterdir()} >= {"operation.toml", "sites.geojson", "SOURCES.md"}
    earlier = sample.parent / "pangkalpinang_pemilu2024"  # the sample's earlier operation
    assert {p.name for p in earlier.iterdir()} >= {"operation.toml", "sites.geojson", "SOURCES.md"}
    before = _files(installed)
    result = _run(_SCRIPT, installed, "coverage", "--json", home=tmp_path)
    report = json.loads(result.stdout)
    assert report["operation"] == "Pilkada 2024 — Polresta Pangkalpinang"
    assert report["kinds"]["polling_station"]["total"] == 311
    store = Path(_run(_SAVE, installed, home=tmp_path).stdout.strip())
    assert store == tmp_path / "data" / "posko" / ".sample-stores" / "pangkalpinang" / "store.gpkg"
    assert store.is_file()
    assert _files(installed) == before  # nothing written inside the installed package
    again = json.loads(_run(_SCRIPT, installed, "coverage", "--json", home=tmp_path).stdout)
    assert again["version"] == 2


def test_the_wheel_holds_every_page_the_app_runs(installed: Path) -> None:
    from pages.registry import PAGES

    assert (installed / "app.py").is_file() and (installed / "cli.py").is_file()
    missing = [spec.script for spec in PAGES if not (installed / "pages" / spec.script).is_file()]
    assert not missing
    # the map's scripts come from the folium-offline dependency at run time, never from a
    # folder of files beside the app (which an installed package could not write)
    assert not (installed / "static").exists()
