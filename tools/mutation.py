"""Mutation testing of the core modules with mutmut; prints one JSON line of scores.

Each module listed under ``[tool.mutmut.modules]`` in pyproject.toml is mutated in its own
copy of the project (``build/mutation/<module>/``), with only that module mutated and only
its tests selected, so a run per module takes minutes instead of the whole suite per mutant.
Survivors named in docs/MUTATION.md (table "Equivalent mutants") count as equivalent: they
cannot change behaviour, and the document says why.

Usage: ``python tools/mutation.py [--module geo/store.py ...] [--jobs N] [--min-score 0.9]``.
The JSON line goes to stdout; progress and the survivors go to stderr. The exit code is 1
when a module's killed share of non-equivalent mutants is below ``--min-score``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "mutation"
EQUIVALENTS_DOC = ROOT / "docs" / "MUTATION.md"
# what a module's tests need from the project (tests and the config are copied by mutmut)
_COPY = ("geo", "layers", "tests", "data", "cli.py", "app.py", "pyproject.toml")
# mutmut statuses that mean a test noticed the mutant
_DETECTED = {"killed", "timeout", "segfault", "caught by type check"}
_EQUIVALENT_ROW = re.compile(r"^\|\s*`([\w.]+__mutmut_\d+)`\s*\|")
_RESULT_LINE = re.compile(r"^\s+([\w.]+__mutmut_\d+): (.+)$")


def _config() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["tool"]["mutmut"]


def _equivalents() -> dict[str, str]:
    """Mutant name -> reason, from the table rows of docs/MUTATION.md."""
    if not EQUIVALENTS_DOC.exists():
        return {}
    out = {}
    for line in EQUIVALENTS_DOC.read_text(encoding="utf-8").splitlines():
        match = _EQUIVALENT_ROW.match(line)
        if match:
            out[match.group(1)] = line.split("|")[2].strip()
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


def _module_pyproject(text: str, settings: dict[str, Any]) -> str:
    """pyproject.toml with its mutmut tables replaced by the settings of one module."""
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("["):
            skipping = line.startswith("[tool.mutmut")
        if not skipping:
            kept.append(line)
    section = ["[tool.mutmut]", *(f"{k} = {_toml_value(v)}" for k, v in settings.items())]
    return "\n".join([*kept, "", *section, ""])


def _prepare(module: str, spec: dict[str, Any], base: dict[str, Any]) -> Path:
    """A fresh copy of the project where mutmut mutates only `module`."""
    work = BUILD / module.replace("/", "_").removesuffix(".py")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for name in _COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, work / name)
    settings = {k: v for k, v in base.items() if k != "modules"}
    settings["only_mutate"] = [module]
    selection = list(spec["tests"])
    if spec.get("deselect"):
        selection += ["-k", f"not ({' or '.join(spec['deselect'])})"]
    settings["pytest_add_cli_args_test_selection"] = selection
    pyproject = work / "pyproject.toml"
    pyproject.write_text(_module_pyproject(pyproject.read_text("utf-8"), settings), "utf-8")
    return work


def _mutmut(work: Path, *args: str) -> str:
    """Run mutmut in `work`; its output goes to mutmut.log there, and is returned."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CI", None)  # the corpus tests are not selected; a skip there is not a failure
    result = subprocess.run(
        [sys.executable, "-m", "mutmut", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    with (work / "mutmut.log").open("a", encoding="utf-8") as log:
        log.write(f"$ mutmut {' '.join(args)}\n{result.stdout}\n{result.stderr}\n")
    if result.returncode != 0:
        msg = f"mutmut {' '.join(args)} failed in {work} (see mutmut.log there)"
        raise SystemExit(msg)
    return result.stdout


def _score(module: str, spec: dict[str, Any], base: dict[str, Any], jobs: int) -> dict[str, Any]:
    started = time.monotonic()
    work = _prepare(module, spec, base)
    dotted = module.removesuffix(".py").replace("/", ".")
    # mutmut names a mutant of function f "<module>.x_f__mutmut_<n>" (methods: "xǁClassǁf")
    patterns = [f"{dotted}.*{f}__mutmut_*" for f in spec.get("functions", [])]
    _mutmut(work, "run", "--max-children", str(jobs), *patterns)
    statuses = {}
    for line in _mutmut(work, "results", "--all", "true").splitlines():
        match = _RESULT_LINE.match(line)
        if match and (not patterns or any(fnmatch(match.group(1), p) for p in patterns)):
            statuses[match.group(1)] = match.group(2).strip()
    equivalent_names = _equivalents()
    counts = Counter(statuses.values())
    killed = sum(n for status, n in counts.items() if status in _DETECTED)
    survivors = sorted(n for n, s in statuses.items() if s not in _DETECTED)
    equivalent = [n for n in survivors if n in equivalent_names]
    survived = [n for n in survivors if n not in equivalent_names]
    stale = sorted(n for n in equivalent_names if n.startswith(dotted + ".") and n not in survivors)
    for name in survived:
        print(f"  survived: {name} ({statuses[name]})", file=sys.stderr)
    for name in stale:
        print(f"  listed as equivalent but not a survivor now: {name}", file=sys.stderr)
    considered = len(statuses) - len(equivalent)
    return {
        "mutants": len(statuses),
        "killed": killed,
        "survived": len(survived),
        "equivalent": len(equivalent),
        "killed_share": round(killed / considered, 4) if considered else 1.0,
        "seconds": round(time.monotonic() - started),
    }


def main(argv: list[str] | None = None) -> int:
    """Run mutmut on the configured modules and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="only this module (repeatable)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--min-score", type=float, default=0.9)
    args = parser.parse_args(argv)
    base = _config()
    modules: dict[str, dict[str, Any]] = base["modules"]
    chosen = args.module or list(modules)
    unknown = [m for m in chosen if m not in modules]
    if unknown:
        parser.error(f"not in [tool.mutmut.modules]: {', '.join(unknown)}")
    summary = {}
    for module in chosen:
        print(f"mutating {module} ...", file=sys.stderr, flush=True)
        summary[module] = _score(module, modules[module], base, args.jobs)
        print(f"  {json.dumps(summary[module])}", file=sys.stderr, flush=True)
    print(json.dumps(summary, separators=(",", ":")))
    return 0 if all(s["killed_share"] >= args.min_score for s in summary.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
