"""`posko` command line: the same operations as the app, no second logic."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from geo.analysis import Analysis, analyse
from geo.errors import PoskoError
from geo.model import PostType
from geo.operation import SAMPLE_OPERATION, discover_operations, load_operation
from geo.text import LANGUAGES
from layers.basemap import BASEMAPS
from layers.export import briefing_html

__all__ = ["main"]

APP = Path(__file__).resolve().parent / "app.py"


class CliError(Exception):
    """A problem with the command line itself (exit status 2)."""


def resolve_operation(name: str | None) -> Path:
    """An operation folder from a path or a name (searched in $POSKO_WORKSPACE, then data/)."""
    if name is None:
        return SAMPLE_OPERATION
    path = Path(name)
    if path.is_dir():
        return path
    roots = [Path(os.environ["POSKO_WORKSPACE"])] if os.environ.get("POSKO_WORKSPACE") else []
    found = discover_operations(*roots, SAMPLE_OPERATION.parent)
    if name in found:
        return found[name]
    msg = f"Operation {name!r} not found: give a folder or one of: {', '.join(sorted(found))}."
    raise CliError(msg)


def _radius_overrides(values: Sequence[str]) -> dict[PostType, float]:
    overrides: dict[PostType, float] = {}
    for value in values:
        key, _, metres = value.partition("=")
        try:
            overrides[PostType(key)] = float(metres)
        except ValueError:
            msg = (
                f"--radius {value!r}: expected TYPE=METRES with TYPE one of: {', '.join(PostType)}."
            )
            raise CliError(msg) from None
    return overrides


def _analysis(args: argparse.Namespace) -> Analysis:
    operation = load_operation(resolve_operation(args.operation))
    return analyse(
        operation,
        radius_m=_radius_overrides(args.radius) or None,
        preset=getattr(args, "preset", None),
    )


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the Streamlit app (blocks until stopped)."""
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
    ]
    return subprocess.call(command, cwd=APP.parent)


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the self-contained briefing HTML."""
    analysis = _analysis(args)
    html = briefing_html(
        analysis,
        lang=args.lang,
        basemap=args.basemap,
        exported_at=datetime.now().astimezone(),
        exported_by=args.by,
    )
    out = Path(args.output)
    out.write_text(html, encoding="utf-8")
    print(f"{out}: {len(html.encode('utf-8')):,} bytes", file=sys.stderr)
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print coverage figures (JSON with --json)."""
    report = _analysis(args).report()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(report["operation"])
    for kind, tally in report["kinds"].items():
        print(f"  {kind:22} {tally['covered']:>7} of {tally['total']:>7} covered")
    for risk, tally in report["risk_classes"].items():
        print(f"  {risk:22} {tally['uncovered']:>7} uncovered of {tally['total']:>7}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The `posko` argument parser."""
    parser = argparse.ArgumentParser(prog="posko", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", default="localhost")
    serve.set_defaults(func=cmd_serve)

    def with_operation(p: argparse.ArgumentParser) -> None:
        p.add_argument("operation", nargs="?", help="operation folder or name (default: sample)")
        p.add_argument(
            "--radius",
            action="append",
            default=[],
            metavar="TYPE=METRES",
            help="override a post type's radius, e.g. --radius polsek=2000",
        )
        p.add_argument("--preset", help="staffing preset name")

    brief = commands.add_parser("brief", help="write the briefing HTML")
    with_operation(brief)
    brief.add_argument("-o", "--output", required=True, help="HTML file to write")
    brief.add_argument("--lang", choices=LANGUAGES, default="id")
    brief.add_argument("--basemap", choices=list(BASEMAPS), default="osm")
    brief.add_argument("--by", help="name of who exports it (printed on the briefing)")
    brief.set_defaults(func=cmd_brief)

    coverage = commands.add_parser("coverage", help="print coverage figures")
    with_operation(coverage)
    coverage.add_argument("--json", action="store_true", help="print JSON")
    coverage.set_defaults(func=cmd_coverage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `posko` command."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (PoskoError, CliError, OSError) as exc:
        print(f"posko {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
