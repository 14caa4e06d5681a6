"""Project rules that code review would otherwise have to catch."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GEO_ALLOWED = {
    "geopandas",
    "pandas",
    "numpy",
    "shapely",
    "pyproj",
    "pyogrio",
    "scipy",
    "highspy",  # the MIP solver of geo.placement
    "argon2",  # geo.accounts: password hashes
    "psycopg",  # geo.db and geo.pgstore: the PostgreSQL deployment database
    "pyarrow",  # geo.siterows and geo.pgstore: stored rows read as columns, not per row
    "geo",
}
LAYERS_ALLOWED = GEO_ALLOWED | {
    "folium",
    "branca",
    "jinja2",
    "markupsafe",  # jinja2's own Markup: markup a template must not escape again
    "xyzservices",
    "offlinefolium",
    "layers",
}
# pages are the app's units: they draw with Streamlit and read geo/ and layers/, never the
# command line or the frame (app.py), so a page can be left out of the navigation
PAGES_ALLOWED = LAYERS_ALLOWED | {"streamlit", "streamlit_folium", "pages"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"__future__"}


@pytest.mark.parametrize(
    ("package", "allowed"),
    [("geo", GEO_ALLOWED), ("layers", LAYERS_ALLOWED), ("pages", PAGES_ALLOWED)],
)
def test_imports_point_one_way(package: str, allowed: set[str]) -> None:
    paths = sorted((ROOT / package).glob("**/*.py"))
    assert ROOT / package / "__init__.py" in paths
    for path in paths:
        extra = _imports(path) - allowed
        assert not extra, f"{path.relative_to(ROOT)} imports {sorted(extra)}"


def test_only_the_app_imports_streamlit() -> None:
    for path in [ROOT / "cli.py", *ROOT.glob("geo/**/*.py"), *ROOT.glob("layers/**/*.py")]:
        assert not {"streamlit", "streamlit_folium"} & _imports(path), path.name


def test_modules_have_docstring_and_all() -> None:
    paths = [*ROOT.glob("geo/**/*.py"), *ROOT.glob("layers/**/*.py"), *ROOT.glob("pages/*.py")]
    assert any(len(p.relative_to(ROOT).parts) > 2 for p in paths)  # sub-packages too
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no module docstring"
        if path.name != "__init__.py":
            names = {
                t.id
                for n in tree.body
                if isinstance(n, ast.Assign)
                for t in n.targets
                if isinstance(t, ast.Name)
            }
            assert "__all__" in names, f"{path.relative_to(ROOT)} has no __all__"


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
