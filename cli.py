"""`posko` command line: the same operations as the app, no second logic."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import getpass
import ipaddress
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TextIO

import pandas as pd

from geo import audit
from geo.access import LOCAL_ACTOR, USER_ENV, Action, Actor, local_user, os_user, require
from geo.accounts import Accounts, SignInFailed, User
from geo.analysis import Analysis, analyse
from geo.areas import AREA_FIELDS, AreaChoices, AreaReport, Level, read_areas_file
from geo.audit import readable_time
from geo.compare import PlanComparison, compare_plans, plan_info, plan_label
from geo.db import Database, database
from geo.deployment import DeploymentSettings, SignInMethod, deployment_settings
from geo.errors import PoskoError
from geo.fields import MAPPABLE, CoordinateColumns
from geo.guard import (
    AreaSummary,
    Figures,
    ImportSummary,
    figures,
    match_rows,
    summarise_areas,
    summarise_import,
)
from geo.history import MOVED_M, OperationComparison, compare_operations
from geo.importer import (
    SHOWN_ROWS,
    ImportChoices,
    ImportContext,
    ImportReport,
    Severity,
    import_sites,
)
from geo.io import ReadError
from geo.logistics import chain_for, chain_lines, read_roads
from geo.matching import MatchStatus, merge_matched
from geo.model import ROLES, AuditAction, Col, Kind, PlanStatus, PostType, Risk, Role
from geo.operation import (
    Operation,
    OperationNotFound,
    find_operation,
    load_operation,
    plan_import,
    remove_roads,
    roads_path,
    rollback,
    save_areas,
    save_sites,
    set_roads,
    store_for,
    time_zone_of,
)
from geo.phases import resolve_phase
from geo.placement import (
    DEFAULT_SOURCES,
    Mode,
    SuggestOptions,
    default_grid_m,
    read_candidate_file,
    save_draft,
    suggest,
    upload_summary,
)
from geo.plans import (
    INITIAL_PLAN_ID,
    PlanContent,
    PlanInfo,
    Plans,
    Zone,
    apply_plan,
    initial_plan_name,
    plan_version_action,
    plan_version_note,
)
from geo.scenarios import load_scenarios, scenarios_report
from geo.schema import canonical_sites
from geo.staffing import preset_label, resolve_preset
from geo.store import file_sha256, version_action, version_note
from geo.storemigrate import DeploymentMove, migrate_workspace
from geo.text import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Text,
    format_distance,
    format_int,
    format_number,
    format_share,
    label,
    localized,
    t,
)
from layers.basemap import BASEMAPS
from layers.brief_history import history_lead, history_sections
from layers.export import PAPERS, briefing_html, briefing_with_csv, comparison_briefing_html
from layers.partner import partner_briefing_html, partner_chain
from layers.scenario import scenarios_lines
from layers.snapshot import snapshot
from layers.suggest import suggestion_lines
from layers.suggest_brief import suggestion_briefing_html

__all__ = ["acting_actor", "main", "serve_command"]

LOOPBACK = "127.0.0.1"

APP = Path(__file__).resolve().parent / "app.py"
# The options of .streamlit/config.toml (a test keeps the two the same).
SERVE_OPTIONS = {
    "browser.gatherUsageStats": "false",
    "server.headless": "true",
    "server.enableStaticServing": "false",
    "server.maxUploadSize": "200",
    "client.toolbarMode": "minimal",
    "client.showErrorDetails": "none",
    "theme.base": "light",
    # no full garbage collection after every run: ~0.15 s of a core per viewer per run;
    # Python's own generational collector still runs
    "runner.postScriptGC": "false",
}


class CliError(PoskoError):
    """A problem with the command line itself (exit status 2)."""


# the import and check commands name operations the same way as the others
resolve_operation = find_operation


def _assignments(values: Sequence[str], vocabulary: type[StrEnum], key: str) -> dict:
    """`NAME=NUMBER` flags (`--radius pos_pam=1500`, `--weight rawan=2`) as {member: number}."""
    chosen: dict = {}
    for value in values:
        name, _, number = value.partition("=")
        try:
            chosen[vocabulary(name)] = float(number)
        except ValueError:
            params = {"value": value, "expected": ", ".join(vocabulary)}
            raise CliError(t(key, "en", **params), key=key, params=params) from None
    return chosen


def _radius_overrides(values: Sequence[str]) -> dict[PostType, float]:
    return _assignments(values, PostType, "cli.bad_radius")


def _load(
    name: str | Path | None, lang: str, plan: str | None = None, roads: str | None = None
) -> Operation:
    """Load an operation (with plan `plan`, else its current plan; with the road file
    `roads` in place of its own) and print its notes (e.g. a damaged version skipped) to
    stderr."""
    operation = load_operation(find_operation(name), plan=plan)
    if roads:
        operation = dataclasses.replace(operation, roads=read_roads(roads))
    for note in operation.notes:
        print(f"{t('cli.warning', lang)}: {localized(note, lang)}", file=sys.stderr)
    return operation


def _analysis(args: argparse.Namespace) -> Analysis:
    operation = _load(
        args.operation, args.lang, getattr(args, "plan", None), getattr(args, "roads", None)
    )
    return analyse(
        operation,
        radius_m=_radius_overrides(args.radius) or None,
        preset=getattr(args, "preset", None),
    )


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the Streamlit app in place of this process (never returns), from any folder.

    Streamlit reads `.streamlit/config.toml` only from the working folder or beside the
    script; an installed app has neither, so the project's options are passed as flags.
    The process is replaced (not a child) so the pid a service manager holds is the
    server's: stopping it stops the server instead of orphaning it.
    """
    _check_serve_address(args.address)
    _replace_process(serve_command(args.address, args.port), APP.parent)


def serve_command(address: str, port: int) -> list[str]:
    """The command `posko serve` runs: Streamlit through posko_launch, with the project's
    options (the browser tests and bench/load.py start the app with it too)."""
    command = [
        sys.executable,
        "-m",
        "posko_launch",  # Streamlit's own command line, pages/ never read as legacy pages
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
    ]
    for option, value in SERVE_OPTIONS.items():
        command += [f"--{option}", value]
    return command


def _replace_process(command: list[str], cwd: Path) -> NoReturn:
    """Run `command` in `cwd` in place of this process (same pid; never returns)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.chdir(cwd)
    os.execv(command[0], command)


def _is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _check_serve_address(address: str) -> None:
    """Refuse to listen beyond this computer with sign-in off, or before an admin exists.

    Raises
    ------
    CliError
        When `address` is not a loopback address and sign-in is off, or local sign-in has
        no admin yet.
    """
    if _is_loopback(address):
        return
    settings = deployment_settings()
    key = ""
    if settings.method is SignInMethod.OFF:
        key = "signin.serve_off"
    elif settings.method is SignInMethod.LOCAL and not _accounts().has_admin():
        key = "signin.serve_no_admin"
    if key:
        raise CliError(t(key, "en", address=address), key=key, params={"address": address})


def cmd_brief(args: argparse.Namespace) -> int:
    """Write the self-contained briefing HTML (of two plans with --compare A B); the export
    names the acting user and is audited."""
    who = args.actor.name
    options = {
        "lang": args.lang,
        "basemap": args.basemap,
        "online": args.basemap != "none",
        "paper": args.paper,
        "exported_at": datetime.now().astimezone(),
        "exported_by": who,
    }
    if args.compare and args.plan:
        raise CliError(t("compare.plan_and_compare", "en"), key="compare.plan_and_compare")
    out = Path(args.output)
    files: dict[str, str] = {}
    if args.compare and (args.phase or args.date):
        raise CliError(t("phase.compare_whole", "en"), key="phase.compare_whole")
    if args.compare and args.with_csv:
        raise CliError(t("cli.csv_and_compare", "en"), key="cli.csv_and_compare")
    _check_brief_options(args)
    if args.compare:
        comparison = _comparison(args.operation, *args.compare, lang=args.lang)
        operation = comparison.a.operation
        html = comparison_briefing_html(comparison, **options)
        what = Text("audit.what.briefing_compare", {"a": args.compare[0], "b": args.compare[1]})
    elif args.for_partners:
        analysis = _analysis(args)
        operation = analysis.operation
        html = partner_briefing_html(analysis, chain=partner_chain(analysis), **options)
        what = Text("partner.audit_what")
    else:
        analysis = _analysis(args)
        operation = analysis.operation
        options["phase"] = resolve_phase(analysis.settings, key=args.phase, day=args.date)
        if args.compare_with:
            earlier = _earlier_analysis(args, args.compare_with)
            lessons = compare_operations(earlier, analysis, moved_m=args.moved_m)
            options["lessons"] = history_sections(lessons, args.lang)
        if args.with_csv:
            html, files = briefing_with_csv(analysis, html_name=out.name, **options)
        else:
            html = briefing_html(analysis, **options)
        what = (
            Text("audit.what.briefing_plan", {"plan": operation.plan.name})
            if operation.plan
            else Text("audit.what.briefing_only")
        )
        if options["phase"] is not None:
            what = Text("audit.what.phase", {"what": what, "phase": options["phase"].name})
        if args.compare_with:
            what = Text("history.audit_what", {"what": what, "earlier": args.compare_with})
    out.write_text(html, encoding="utf-8")
    for name, text in files.items():  # the CSV files beside the HTML, named after it
        (out.parent / name).write_text(text, encoding="utf-8")
    audit.record(
        who,
        AuditAction.EXPORT_BRIEFING,
        operation=operation.key,
        what=Text(
            "audit.what.briefing",
            {"what": what, "paper": args.paper, "file": ", ".join([out.name, *files])},
        ),
        version_before=operation.version,
        version_after=operation.version,
    )
    _print_size(out, args.lang)
    for name in files:
        _print_size(out.parent / name, args.lang)
    if args.png or args.pdf:
        width, _, height = args.size.partition("x")
        snapshot(
            out,
            png=Path(args.png) if args.png else None,
            pdf=Path(args.pdf) if args.pdf else None,
            size=(int(width), int(height)),
        )
        for picture in (args.png, args.pdf):
            if picture:
                _print_size(Path(picture), args.lang)
    return 0


def _check_brief_options(args: argparse.Namespace) -> None:
    """Refuse --for-partners, --compare-with or --roads beside an option they cannot go with."""
    if args.for_partners and (args.compare or args.with_csv or args.compare_with):
        raise CliError(t("partner.options", "en"), key="partner.options")
    if args.compare_with and args.compare:
        raise CliError(t("history.compare_options", "en"), key="history.compare_options")
    if args.roads and args.compare:
        raise CliError(t("cli.roads_and_compare", "en"), key="cli.roads_and_compare")


def _earlier_analysis(args: argparse.Namespace, name: str) -> Analysis:
    """The earlier operation `name` analysed under its own settings (the actor must be
    allowed to view it too)."""
    folder = find_operation(name)
    require(args.actor, Action.VIEW, folder.name)
    return analyse(_load(folder, args.lang))


def _operation_comparison(args: argparse.Namespace) -> OperationComparison:
    """`posko history EARLIER LATER`: the two operations compared."""
    earlier = _earlier_analysis(args, args.operation)
    later = _earlier_analysis(args, args.later)
    if earlier.operation.path.resolve() == later.operation.path.resolve():
        raise CliError(t("history.same_operation", "en"), key="history.same_operation")
    return compare_operations(earlier, later, moved_m=args.moved_m)


def _print_lessons(comparison: OperationComparison, lang: str) -> None:
    """The lead, the side-by-side table and the TPS lists of an operation comparison."""
    for line in history_lead(comparison, lang):
        print(line)
    _print_compare_table(comparison.table(lang), lang)
    lists = {
        "added": comparison.added,
        "removed": comparison.removed,
        "moved": comparison.moved,
        "risk_changed": comparison.risk_changed,
    }
    distance = format_distance(comparison.moved_m, lang)
    for key, rows in lists.items():
        print(f"\n{t(f'history.{key}', lang, n=format_int(len(rows), lang), distance=distance)}")
        for r in rows.to_dict("records"):
            number = "" if pd.isna(r["tps_no"]) else str(int(r["tps_no"]))
            print(
                f"  TPS {number:>4}  {r['kelurahan']}  {r['name']}  {_lesson_detail(key, r, lang)}"
            )


def _lesson_detail(key: str, row: Mapping[str, Any], lang: str) -> str:
    """The last column of a lessons list: how far it moved, its risk change, or its class."""
    if key == "moved":
        return format_distance(row["distance_m"], lang)
    if key == "risk_changed":
        return (
            f"{label('risk', row['risk_earlier'], lang)} → {label('risk', row['risk_later'], lang)}"
        )
    return label("risk", row["risk"], lang)


def cmd_audit(args: argparse.Namespace) -> int:
    """Print an operation's audit log, newest first, times in the operation's zone."""
    folder = find_operation(args.operation)
    key, lang = folder.name, args.lang
    records = audit.entries(key, limit=args.limit)
    if args.json:
        return _print_json([r.to_dict() for r in records])
    zone = time_zone_of(folder)
    if not records:
        print(t("audit.cli_none", lang, operation=key))
        return 0
    print(t("audit.cli_header", lang, operation=key, zone=zone))
    for r in records:
        versions = _versions(r.version_before, r.version_after)
        line = f"{readable_time(r.at, zone)}  {r.who:16} {label('audit_action', r.action, lang):28}"
        extra = f"  sha256 {r.sha256}" if r.sha256 else ""
        print(f"{line} {versions:11} {r.what_in(lang)}{extra}".rstrip())
    return 0


def _versions(before: int | None, after: int | None) -> str:
    """ "v2 → v3", "→ v1", "" (no version concerned)."""
    if before is None and after is None:
        return ""
    shown = [f"v{before}" if before is not None else "", f"v{after}" if after is not None else ""]
    return " → ".join(shown).strip()


def _print_size(path: Path, lang: str) -> None:
    size = format_int(path.stat().st_size, lang)
    print(t("cli.file_size", lang, file=str(path), size=size), file=sys.stderr)


def _print_json(data: object) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Print coverage figures (JSON with --json)."""
    report = _analysis(args).report()
    if args.json:
        return _print_json(report)
    lang = args.lang
    print(report["operation"])
    for kind, tally in report["kinds"].items():
        line = t("cli.covered", lang, **_counts(tally, lang))
        print(f"  {label('kind', kind, lang):24} {line}")
    for risk, tally in report["risk_classes"].items():
        line = t("cli.uncovered", lang, **_counts(tally, lang))
        print(f"  {label('risk', risk, lang):24} {line}")
    return 0


def _counts(numbers: dict, lang: str) -> dict[str, str]:
    """Whole numbers of a report, formatted for `lang` and right-aligned."""
    return {k: f"{format_int(v, lang):>7}" for k, v in numbers.items() if isinstance(v, int)}


def _mapping(values: Sequence[str]) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for value in values:
        key, _, column = value.partition("=")
        if key not in MAPPABLE:
            msg = f"--map {value!r}: field must be one of: {', '.join(MAPPABLE)}."
            raise CliError(msg)
        mapping[key] = column or None
    return mapping


def _post_types(values: Sequence[str]) -> dict[str, PostType]:
    """`--post-type VALUE=TYPE` choices; an empty VALUE stands for an empty cell."""
    chosen: dict[str, PostType] = {}
    for value in values:
        cell, _, post_type = value.rpartition("=")
        if post_type not in {p.value for p in PostType} or "=" not in value:
            msg = (
                f"--post-type {value!r}: expected VALUE=TYPE with TYPE one of: "
                f"{', '.join(PostType)} (VALUE empty for rows without a post type)."
            )
            raise CliError(msg)
        chosen[cell] = PostType(post_type)
    return chosen


def _coordinates(args: argparse.Namespace) -> CoordinateColumns | None:
    if args.xy:
        x, _, y = args.xy.partition(",")
        if not x or not y:
            msg = f"--xy {args.xy!r}: expected two columns, X,Y (longitude or easting first)."
            raise CliError(msg)
        return CoordinateColumns(x=x, y=y)
    if args.pair:
        return CoordinateColumns(pair=args.pair)
    if args.wkt:
        return CoordinateColumns(wkt=args.wkt)
    return None


def _import_choices(args: argparse.Namespace) -> ImportChoices:
    """The planner's choices from the flags (the same object the import page builds)."""
    return ImportChoices(
        kind=Kind(args.kind) if args.kind else None,
        crs=args.crs,
        layer=args.layer,
        mapping=_mapping(args.map),
        coordinates=_coordinates(args),
        swap_axes=args.swap_axes,
        row_fixes=args.fix_rows,
        strict=args.strict,
        accept_far=args.accept_far,
        post_types=_post_types(args.post_type),
    )


def _import_context(folder: Path | None) -> ImportContext:
    """What the operation in `folder` supplies (areas, margin, row limit); defaults without."""
    return ImportContext.for_operation(load_operation(folder)) if folder else ImportContext()


def _print_report(report: ImportReport, lang: str, *, per_code: int = 5) -> None:
    """The report for a terminal: file-level findings, then at most `per_code` rows per code."""
    layer = t("cli.layer", lang, layer=report.layer) if report.layer else ""
    print(
        _report_head(report.file_name, report.format, layer, report.counts, report.crs_used, lang)
    )
    _print_issues(report.issues, lang, per_code=per_code, fixes=True)
    if any(group.count > per_code for group in report.groups(shown=0)):
        print(f"  {t('cli.full_hint', lang)}")
    for fix in report.fixes:
        print(f"  {t('cli.fix_offered', lang, fix=fix.label(lang), id=fix.id)}")
    if report.post_type_values:
        values = ", ".join(repr(v) for v in report.post_type_values)
        print(f"  {t('cli.post_types_asked', lang, values=values)}")


def _report_head(
    file_name: str,
    file_format: str,
    layer: str,
    counts: Mapping[str, int],
    crs: str | None,
    lang: str,
) -> str:
    """The first line of a report: the file, its counts and the CRS used."""
    return t(
        "cli.report_head",
        lang,
        file=file_name,
        format=file_format,
        layer=layer,
        rows_read=format_int(counts["rows_read"], lang),
        accepted=format_int(counts["accepted"], lang),
        rejected=format_int(counts["rejected"], lang),
        crs=crs or "?",
    )


def _print_issues(issues: Sequence, lang: str, *, per_code: int, fixes: bool) -> None:
    """File-level findings, then at most `per_code` rows per code (with the fix of a
    file-level finding when `fixes`)."""
    shown: dict[str, int] = {}
    for issue in issues:
        if issue.row is not None:
            shown[issue.code] = shown.get(issue.code, 0) + 1
            if shown[issue.code] > per_code:
                continue
        where = t("cli.row", lang, row=issue.row) if issue.row else t("cli.file", lang)
        severity = t(f"sev.{issue.severity.value}", lang)
        print(f"  {severity:10} {where:>11} {issue.code}: {issue.message(lang)}")
        if fixes and issue.fix_text and issue.severity != Severity.INFO and issue.row is None:
            print(f"  {'':10} {'':>11} → {issue.fix(lang)}")
    for code, count in shown.items():
        if count > per_code:
            print(f"  {t('cli.more_with', lang, n=format_int(count - per_code, lang), code=code)}")


def _print_matches(rows: pd.DataFrame, lang: str, *, per_status: int = 5) -> None:
    """What each accepted row does to the operation: counts, then the first rows of each."""
    counts = rows["match"].value_counts()
    print(
        t(
            "cli.match_counts",
            lang,
            **{s.value: int(counts.get(s.value, 0)) for s in MatchStatus},
        )
    )
    for status in MatchStatus:
        part = rows[rows["match"] == status.value]
        for line in part.head(per_status).itertuples(index=False):
            detail = f" ({line.changed})" if line.changed else ""
            row = t("cli.row", lang, row=f"{line.row:>6}")
            print(f"  {t(f'match.{status}', lang):10} {row} {line.name}{detail}")
        if len(part) > per_status:
            print(f"  {'':10} … {t('cli.more_rows', lang, n=len(part) - per_status)}")


def _print_far(summary: ImportSummary, lang: str) -> None:
    """The far-away warning, before the planner is asked to save."""
    if summary.far_rows:
        print(
            "!! "
            + t(
                "guard.far_rows",
                lang,
                n=summary.far_rows,
                max_distance=format_distance(summary.far_max_m, lang),
            )
        )


def cmd_check(args: argparse.Namespace) -> int:
    """Check a site list; exit 0 when nothing is rejected, 1 when rows are, 2 if unreadable."""
    try:
        folder = resolve_operation(args.operation) if args.operation else None
        report = import_sites(Path(args.file), _import_choices(args), _import_context(folder))
    except ReadError as exc:
        if args.json:
            print(json.dumps({"file": args.file, "error": str(exc)}, ensure_ascii=False))
        print(f"posko check: {localized(exc, args.lang)}", file=sys.stderr)
        return 2
    matches = None
    if folder is not None and not report.accepted.empty:
        operation = load_operation(folder)
        lang = None if args.json else args.lang  # JSON keeps the field ids
        matches = match_rows(report.accepted, plan_import(operation, report.accepted), lang=lang)
    if args.json:
        data = report.to_json(args.lang, full=args.full)
        if matches is not None:
            data.update(_matches_json(matches, full=args.full))
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        _print_report(report, args.lang, per_code=_per_code(args))
        if matches is not None:
            _print_matches(matches, args.lang, per_status=_per_code(args))
    _write_report_files(report, args)
    return 1 if len(report.rejected) else 0


def _per_code(args: argparse.Namespace) -> int:
    """Rows shown per issue code or match result: a few, or all with `--full`."""
    return sys.maxsize if args.full else 5


def _matches_json(matches: pd.DataFrame, *, full: bool) -> dict[str, Any]:
    """What each accepted row does, for JSON: counts per result and the first rows of each
    (every row with `full`)."""
    counts = matches["match"].value_counts()
    shown = matches if full else matches.groupby("match", sort=False).head(SHOWN_ROWS)
    return {
        "match_counts": {s.value: int(counts.get(s.value, 0)) for s in MatchStatus},
        "matches_complete": len(shown) == len(matches),
        "matches": shown.to_dict("records"),
    }


def _write_report_files(report: ImportReport, args: argparse.Namespace) -> None:
    """`--rejected`: the rejected rows with their cells; `--report-csv`: every row issue."""
    if args.rejected:
        Path(args.rejected).write_text(report.rejected_csv(), encoding="utf-8")
    if args.report_csv:
        Path(args.report_csv).write_text(report.issues_csv(args.lang), encoding="utf-8")


def _print_summary(summary: ImportSummary, lang: str) -> None:
    """The before/after summary of an import for a terminal."""
    kinds = sorted({*summary.added, *summary.updated, *summary.removed})
    for kind in kinds:
        print(
            t(
                "guard.kind_line",
                lang,
                kind=label("kind", kind, lang),
                added=summary.added.get(kind, 0),
                updated=summary.updated.get(kind, 0),
                removed=summary.removed.get(kind, 0),
            )
        )
    print(t("guard.unchanged_line", lang, unchanged=summary.unchanged, conflicts=summary.conflicts))
    b, a = summary.before, summary.after
    rows = (
        ("guard.tps", format_int(b.tps, lang), format_int(a.tps, lang)),
        ("guard.share", format_share(b.covered_share, lang), format_share(a.covered_share, lang)),
        ("guard.uncovered", format_int(b.uncovered_tps, lang), format_int(a.uncovered_tps, lang)),
        ("guard.police", format_int(b.police_needed, lang), format_int(a.police_needed, lang)),
    )
    for key, before, after in rows:
        print(f"  {t(key, lang):<28} {before:>8} → {after:>8}")


def cmd_import(args: argparse.Namespace) -> int:
    """Import a site list into an operation's workspace (a new version).

    Prints the report and the before/after summary; saves only with `--yes` (otherwise a dry
    run: exit 0, nothing written). Exits 1 when no row can be saved, 2 when the file cannot
    be read.
    """
    if args.areas:
        return cmd_import_areas(args)
    folder = resolve_operation(args.into)
    report = import_sites(Path(args.file), _import_choices(args), _import_context(folder))
    _print_report(report, args.lang, per_code=_per_code(args))
    _write_report_files(report, args)
    if report.accepted.empty:
        print(t("cli.nothing_to_save", args.lang), file=sys.stderr)
        return 1
    operation = _load(folder, args.lang)
    merge = plan_import(operation, report.accepted, replace_kinds=args.replace)
    summary = summarise_import(operation, merge, far=report.far_accepted)
    matches = match_rows(report.accepted, merge, lang=args.lang)
    _print_matches(matches, args.lang, per_status=_per_code(args))
    _print_summary(summary, args.lang)
    _print_far(summary, args.lang)
    _print_plans_keep_posts(operation, report.accepted, args.lang)
    if not summary.changes_anything:
        print(t("guard.nothing_changes", args.lang, rows=len(report.accepted)))
        return 0
    if not args.yes:
        print(t("guard.dry_run", args.lang))
        return 0
    version = save_sites(
        operation,
        report.accepted,
        replace_kinds=args.replace,
        file_name=report.file_name,
        sha256=file_sha256(Path(args.file)),
        counts=report.counts,
        who=args.actor.name,
        confirmed=True,
    )
    sites = format_int(version.sites, args.lang)
    print(t("cli.saved", args.lang, version=version.version, sites=sites, folder=folder.name))
    return 0


def _print_area_report(report: AreaReport, lang: str, *, per_code: int = 5) -> None:
    """The report of a boundary file for a terminal (like the sites' report)."""
    levels = ", ".join(f"{label('area_level', lv, lang)} {n}" for lv, n in report.levels.items())
    head = _report_head(report.file_name, report.format, "", report.counts, report.crs_used, lang)
    print(f"{head}; {levels or '-'}")
    _print_issues(report.issues, lang, per_code=per_code, fixes=False)


def _print_area_summary(summary: AreaSummary, lang: str) -> None:
    """Areas per level and the headline figures, before → after."""
    change = summary.change
    for level in sorted({*change.before, *change.after}):
        key = "guard.area_level_replaced" if level in change.changed else "guard.area_level_kept"
        before, after = change.before.get(level, 0), change.after.get(level, 0)
        print(t(key, lang, level=label("area_level", level, lang), before=before, after=after))
    b, a = summary.before, summary.after
    rows = (
        ("guard.share", format_share(b.covered_share, lang), format_share(a.covered_share, lang)),
        (
            "guard.outside",
            format_int(summary.outside_before, lang),
            format_int(summary.outside_after, lang),
        ),
        ("guard.police", format_int(b.police_needed, lang), format_int(a.police_needed, lang)),
    )
    for key, before, after in rows:
        print(f"  {t(key, lang):<28} {before:>8} → {after:>8}")


def _area_columns(values: Sequence[str]) -> tuple[tuple[str, str | None], ...]:
    """`--map FIELD=COLUMN` for boundaries: code, name, level, parent, approximate."""
    columns = []
    for value in values:
        key, _, column = value.partition("=")
        if key not in AREA_FIELDS:
            msg = f"--map {value!r}: with --areas, field must be one of: {', '.join(AREA_FIELDS)}."
            raise CliError(msg)
        columns.append((key, column or None))
    return tuple(columns)


def cmd_import_areas(args: argparse.Namespace) -> int:
    """Import boundaries (`posko import FILE --areas`): each level in the file replaces that
    level of the operation; a dry run unless `--yes`."""
    folder = resolve_operation(args.into)
    operation = load_operation(folder)
    known = dict(zip(operation.areas["area_code"], operation.areas["name"], strict=True))
    choices = AreaChoices(
        level=args.level, crs=args.crs, layer=args.layer, columns=_area_columns(args.map)
    )
    report = read_areas_file(
        Path(args.file), choices, known_names=known, max_rows=operation.settings.max_import_rows
    )
    _print_area_report(report, args.lang)
    if args.rejected:
        Path(args.rejected).write_text(report.rejected_csv(), encoding="utf-8")
    if report.accepted.empty:
        print(t("cli.nothing_to_save_areas", args.lang), file=sys.stderr)
        return 1
    summary = summarise_areas(operation, report.accepted)
    _print_area_summary(summary, args.lang)
    if not summary.changes_anything:
        print(t("guard.areas_nothing_changes", args.lang, areas=len(report.accepted)))
        return 0
    if not args.yes:
        print(t("guard.dry_run", args.lang))
        return 0
    version = save_areas(
        operation,
        report.accepted,
        file_name=report.file_name,
        sha256=file_sha256(Path(args.file)),
        counts=report.counts,
        who=args.actor.name,
        confirmed=True,
    )
    print(t("cli.areas_saved", args.lang, version=version.version, folder=folder.name))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Print the saved versions of an operation (versions whose layer is missing are named
    on stderr); with a second operation, the lessons of the earlier one for the later."""
    if args.later:
        comparison = _operation_comparison(args)
        if args.json:
            return _print_json(comparison.report())
        _print_lessons(comparison, args.lang)
        return 0
    folder = find_operation(args.operation)
    store = store_for(folder)
    versions = store.history()
    lang = args.lang
    zone = time_zone_of(folder)
    for skipped in store.skipped():
        layer = t("store.check_missing", lang, layer=skipped.layer)
        when = readable_time(skipped.saved_at, zone)
        print(f"{t('cli.warning', lang)}: v{skipped.version} {when}: {layer}", file=sys.stderr)
    if args.json:
        return _print_json([v.__dict__ for v in versions])
    if not versions:
        print(t("cli.no_versions", lang))
    for v in versions:
        sites = t("cli.sites", lang, n=f"{format_int(v.sites, lang):>7}")
        who = t("cli.by", lang, who=v.who) if v.who else ""
        action = version_action(v.action, lang)
        note = version_note(v.note, lang)
        when = readable_time(v.saved_at, zone)
        print(f"v{v.version:<4} {when}  {action:13} {sites}  {v.file_name}{who}  {note}")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Make an earlier version the current one (saved as a new version)."""
    folder = find_operation(args.operation)
    if not args.yes:
        print(t("guard.rollback_dry_run", args.lang, version=args.version))
        return 0
    version = rollback(folder, args.version, who=args.actor.name, confirmed=True)
    backups = store_for(folder).backups()
    if backups:
        print(t("store.backup_made", args.lang, path=str(backups[-1])), file=sys.stderr)
    sites = format_int(version.sites, args.lang)
    print(t("cli.rolled_back", args.lang, old=args.version, version=version.version, sites=sites))
    return 0


def cmd_roads_set(args: argparse.Namespace) -> int:
    """Check a road file and make it the operation's own (legs and reserves' arrival along
    it in the app and the briefing); print where it was written."""
    folder = find_operation(args.operation)
    path = set_roads(folder, args.file, who=args.actor.name)
    print(t("cli.roads_set", args.lang, operation=folder.name, path=str(path)))
    return 0


def cmd_roads_remove(args: argparse.Namespace) -> int:
    """Remove the operation's road file: legs and reserves' arrival in straight lines."""
    folder = find_operation(args.operation)
    removed = remove_roads(folder, who=args.actor.name)
    key = "cli.roads_removed" if removed else "cli.roads_none"
    print(t(key, args.lang, operation=folder.name, path=str(roads_path(folder))))
    return 0


def cmd_store_backup(args: argparse.Namespace) -> int:
    """Copy an operation's workspace to a timestamped file next to it; print its path."""
    path = store_for(find_operation(args.operation)).backup()
    print(t("store.backup_made", args.lang, path=str(path)))
    return 0


def cmd_store_verify(args: argparse.Namespace) -> int:
    """Check every saved version; exit 1 when one is damaged (2: the file itself is)."""
    folder = find_operation(args.operation)
    store = store_for(folder)
    checks = store.verify() if store.exists() else []
    integrity = store.integrity() if store.exists() else "ok"
    lang = args.lang
    if args.json:
        versions = [
            {
                "version": c.version.version,
                "ok": c.ok,
                "problem": c.problem.render(lang) if c.problem else "",
            }
            for c in checks
        ]
        _print_json({"store": store.location, "integrity": integrity, "versions": versions})
    else:
        zone = time_zone_of(folder) if checks else ""
        for check in checks:
            v = check.version
            result = (
                check.problem.render(lang)
                if check.problem
                else t("store.check_ok", lang, sites=format_int(v.sites, lang))
            )
            when = readable_time(v.saved_at, zone)
            print(f"v{v.version:<4} {when}  {v.action:8} {result}")
        good = sum(c.ok for c in checks)
        print(t("store.verify_summary", lang, path=store.location, good=good, total=len(checks)))
        print(t(store.INTEGRITY_TEXT, lang, result=integrity))
    return 0 if all(c.ok for c in checks) and integrity == "ok" else 1


def cmd_store_migrate(args: argparse.Namespace) -> int:
    """Move every operation of a GeoPackage workspace into a PostGIS database; print each
    version's row counts and SHA-256 on both sides."""
    lang = args.lang
    moved = migrate_workspace(Path(args.source), Database(args.to), merge_users=args.merge_users)
    moves = moved.operations
    for move in moves:
        for v in move.versions:
            counts = {
                "rows": format_int(v.rows, lang),
                "rows_moved": format_int(v.rows_moved, lang),
            }
            print(
                t(
                    "store.migrate_version",
                    lang,
                    operation=move.operation,
                    version=v.version,
                    sha256=v.sha256,
                    sha256_moved=v.sha256_moved,
                    **counts,
                )
            )
    target = Database(args.to)
    for move in moves:
        audit.record(
            args.actor.name,
            AuditAction.STORE_MIGRATE,
            operation=move.operation,
            what=Text(
                "audit.what.store_migrate",
                {
                    "source": Path(args.source).name,
                    "versions": len(move.versions),
                    "plans": move.plan_versions,
                },
            ),
            version_after=move.versions[-1].version if move.versions else None,
            db=target,
        )
    if moved.deployment is not None:
        _print_deployment_move(moved.deployment, lang)
    totals = {"versions": sum(len(m.versions) for m in moves)}
    totals |= {"plans": sum(m.plan_versions for m in moves)}
    print(
        t(
            "store.migrate_done",
            lang,
            operations=len(moves),
            url=target.safe_url,
            **totals,
        )
    )
    return 0


def _print_deployment_move(move: DeploymentMove, lang: str) -> None:
    kept = (
        t("store.migrate_kept", lang, names=", ".join(move.users_kept)) if move.users_kept else ""
    )
    counts = {
        name: format_int(getattr(move, name), lang)
        for name in ("users", "users_moved", "grants", "grants_moved", "audit", "audit_moved")
    }
    skipped = (
        t("store.migrate_skipped", lang, n=format_int(move.audit_skipped, lang))
        if move.audit_skipped
        else ""
    )
    print(t("store.migrate_deployment", lang, kept=kept, skipped=skipped, **counts))


def cmd_staffing(args: argparse.Namespace) -> int:
    """Print staffing need, availability and shortfall per area (JSON with --json)."""
    analysis = _analysis(args)
    if args.csv:
        Path(args.csv).write_text(analysis.staffing.csv(args.lang), encoding="utf-8")
    report = analysis.staffing_report()
    if args.json:
        return _print_json(report)
    lang = args.lang
    totals = {k: format_int(v, lang) for k, v in report.items() if isinstance(v, int)}
    preset = preset_label(analysis.staffing.preset, lang)
    print(t("cli.staffing", lang, preset=preset, **totals))
    for area in report["areas"]:
        print(f"  {area['area']:<24} {t('cli.staffing_area', lang, **_counts(area, lang))}")
    return 0


def cmd_chain(args: argparse.Namespace) -> int:
    """Print the logistics chain: figures, legs and broken links (JSON with --json)."""
    chain = chain_for(_analysis(args))
    if args.json:
        return _print_json(chain.report(args.lang))
    print("\n".join(chain_lines(chain, args.lang)))
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    """Print the operation's demonstration scenarios and their figures (JSON with --json)."""
    operation = _load(args.operation, args.lang, args.plan, args.roads)
    scenarios = load_scenarios(operation)
    roads = operation.road_network
    if args.json:
        return _print_json(scenarios_report(scenarios, roads=roads))
    lines = scenarios_lines(scenarios, args.lang, roads=roads)
    print("\n".join(lines or [t("scenario.none", args.lang)]))
    return 0


# --- `posko plan …`: plans of an operation ---------------------------------------------------
# Every refusal (unknown plan, name taken, stale base version, nothing to save, bad value) is
# a catalog message on stderr and exit status 1; edits save a new plan version.


def _plan_command(
    func: Callable[[argparse.Namespace], int],
) -> Callable[[argparse.Namespace], int]:
    """Run a `posko plan` command: a refusal prints its catalog message and exits 1."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except PoskoError as exc:
            print(f"posko plan {args.plan_command}: {localized(exc, args.lang)}", file=sys.stderr)
            return 1

    return run


@dataclass(frozen=True)
class _PlanTarget:
    """The plan a command works on: the operation as it deploys, where it is saved, and
    the version an edit is based on (0 for the implicit initial plan)."""

    operation: Operation
    plans: Plans
    plan_id: str
    base_version: int
    name: str


def _plan_target(args: argparse.Namespace, plan: str | None) -> _PlanTarget:
    operation = _load(args.operation, args.lang, plan)
    plans = Plans.for_operation(operation)
    info = operation.plan
    if info is None:
        name = initial_plan_name(operation.base_settings.language)
        return _PlanTarget(operation, plans, INITIAL_PLAN_ID, 0, name)
    return _PlanTarget(operation, plans, info.plan_id, info.version, info.name)


def _save_content(
    args: argparse.Namespace,
    target: _PlanTarget,
    content: PlanContent,
    *,
    note: str = "",
    action: str = "save",
) -> PlanInfo:
    saved = target.plans.save(
        target.plan_id,
        content,
        base_version=target.base_version,
        who=args.actor.name,
        note=note,
        action=action,
    )
    print(t("cli.plan.saved", args.lang, name=saved.name, version=saved.version))
    return saved


def _info_json(info: PlanInfo) -> dict[str, object]:
    return {
        "plan_id": info.plan_id,
        "name": info.name,
        "status": str(info.status),
        "version": info.version,
        "saved_at": info.saved_at.isoformat(timespec="seconds"),
        "saved_by": info.saved_by,
        "current": info.current,
        "saved": True,
    }


def _implicit_json(operation: Operation) -> dict[str, object]:
    return {
        "plan_id": INITIAL_PLAN_ID,
        "name": initial_plan_name(operation.base_settings.language),
        "status": str(PlanStatus.DRAFT),
        "version": 0,
        "saved_at": None,
        "saved_by": "",
        "current": True,
        "saved": False,
    }


def _when(info: PlanInfo, operation: Operation) -> str:
    """When a plan was saved, in the operation's time zone."""
    return readable_time(info.saved_at, str(operation.settings.time_zone))


@_plan_command
def cmd_plan_list(args: argparse.Namespace) -> int:
    """List an operation's plans; the current one is marked with *."""
    operation = _load(args.operation, args.lang)
    infos = Plans.for_operation(operation).list()
    lang = args.lang
    if args.json:
        return _print_json([_info_json(i) for i in infos] or [_implicit_json(operation)])
    if not infos:
        name = initial_plan_name(operation.base_settings.language)
        print(f"* {INITIAL_PLAN_ID:8} {name}  {t('cli.plan.implicit', lang)}")
        return 0
    for info in infos:
        mark = "*" if info.current else " "
        status = label("plan_status", info.status, lang)
        who = t("cli.by", lang, who=info.saved_by) if info.saved_by else ""
        head = f"{mark} {info.plan_id:8} {info.name:24} {status:10} v{info.version:<4}"
        print(f"{head} {_when(info, operation)}{who}")
    return 0


def _empty_content(operation: Operation) -> PlanContent:
    """A plan without posts, with the operation's own settings."""
    settings = operation.base_settings
    posts = operation.list_sites.iloc[0:0]
    posts = posts[posts[Col.KIND] == Kind.POLICE_POST]
    return PlanContent(
        posts=posts,
        radius_m=dict(settings.radius_m),
        preset=settings.staffing_preset,
        risk_weights=dict(settings.risk_weights),
    )


@_plan_command
def cmd_plan_new(args: argparse.Namespace) -> int:
    """Save a new plan: empty, or a copy of the current plan (`--copy-current`)."""
    operation = _load(args.operation, args.lang)
    plans = Plans.for_operation(operation)
    if args.copy_current:
        source = operation.plan.plan_id if operation.plan else INITIAL_PLAN_ID
        info = plans.copy(source, args.name, who=args.actor.name, make_current=args.current)
    else:
        info = plans.create(
            args.name,
            _empty_content(operation),
            who=args.actor.name,
            status=PlanStatus(args.status),
            make_current=args.current,
        )
    print(t("cli.plan.created", args.lang, name=info.name, plan_id=info.plan_id))
    return 0


@_plan_command
def cmd_plan_copy(args: argparse.Namespace) -> int:
    """Save a copy of a plan under a new name."""
    target = _plan_target(args, args.source)
    info = target.plans.copy(
        target.plan_id, args.name, who=args.actor.name, make_current=args.current
    )
    print(t("cli.plan.created", args.lang, name=info.name, plan_id=info.plan_id))
    return 0


def _plan_figures(operation: Operation) -> dict[str, object]:
    analysis = analyse(operation)
    tps = analysis.by_kind()[Kind.POLLING_STATION.value]
    return {
        "tps": tps.as_dict(),
        "weighted_score": round(analysis.weighted_score(), 4),
        "polri": int(analysis.staffing.polri),
        "shortfall": int(analysis.staffing.total("shortfall")),
        "preset": analysis.staffing.preset.name,
    }


@_plan_command
def cmd_plan_show(args: argparse.Namespace) -> int:
    """Show a plan: posts, radii, preset, weights, zones and its headline figures."""
    target = _plan_target(args, args.plan)
    operation, content = target.operation, target.operation.plan_content
    if args.version is not None:
        content = target.plans.content(target.plan_id, args.version)
        operation = apply_plan(operation, operation.plan, content)
    figures = _plan_figures(operation)
    info = operation.plan
    if args.json:
        head = _info_json(info) if info else _implicit_json(operation)
        return _print_json({"plan": head, "content": content.to_dict(), "figures": figures})
    _print_plan(target, content, figures, args.lang)
    return 0


def _print_plan(target: _PlanTarget, content: PlanContent, figures: Mapping, lang: str) -> None:
    info = target.operation.plan
    if info is None:
        print(f"{target.name} ({target.plan_id}) — {t('cli.plan.implicit', lang)}")
    else:
        status = label("plan_status", info.status, lang)
        who = t("cli.by", lang, who=info.saved_by) if info.saved_by else ""
        current = f" [{t('cli.plan.current', lang)}]" if info.current else ""
        print(
            f"{info.name} ({info.plan_id}) — {status}, v{info.version}, "
            f"{_when(info, target.operation)}{who}{current}"
        )
    radii = ", ".join(
        f"{label('post_type', p, lang)} {format_distance(content.radius_m[p], lang)}"
        for p in PostType
    )
    weights = " / ".join(f"{content.risk_weights[r]:g}" for r in Risk)
    preset = resolve_preset(target.operation.base_settings, content.preset)
    edited = f" ({t('cli.plan.preset_edited', lang)})" if content.preset_rows else ""
    min_polri = content.min_polri or preset.min_polri
    print(f"  {t('cli.plan.radii', lang)}: {radii}")
    print(
        f"  {t('cli.plan.preset', lang)}: {preset_label(preset, lang)}{edited}, "
        f"{t('cli.plan.min_polri', lang, n=min_polri)}"
    )
    print(f"  {t('cli.plan.weights', lang)}: {weights}")
    tps = figures["tps"]
    print(
        "  "
        + t(
            "cli.plan.figures",
            lang,
            covered=format_int(tps["covered"], lang),
            total=format_int(tps["total"], lang),
            polri=format_int(figures["polri"], lang),
        )
    )
    print(f"  {t('cli.plan.posts', lang, n=len(content.posts))}")
    for post in content.posts.itertuples(index=False):
        radius = getattr(post, Col.RADIUS_M)
        own = f", {format_distance(radius, lang)}" if radius == radius else ""
        personnel = getattr(post, Col.PERSONNEL)
        people = f", {format_int(personnel, lang)} pers." if pd.notna(personnel) else ""
        print(
            f"    {post.site_id:24} {post.name} ({label('post_type', post.post_type, lang)}"
            f"{people}{own}) {post.geometry.x:.6f}, {post.geometry.y:.6f}"
        )
    print(f"  {t('cli.plan.zones', lang, n=len(content.zones))}")
    for zone in content.zones:
        ring = f", {format_distance(zone.radius_m, lang)}" if zone.radius_m else ""
        print(f"    {zone.zone_id:24} {zone.name} ({label('zone_kind', zone.kind, lang)}{ring})")


@_plan_command
def cmd_plan_rename(args: argparse.Namespace) -> int:
    """Rename a plan (a new version)."""
    target = _plan_target(args, args.plan)
    info = target.plans.rename(
        target.plan_id, args.name, base_version=target.base_version, who=args.actor.name
    )
    print(t("cli.plan.saved", args.lang, name=info.name, version=info.version))
    return 0


@_plan_command
def cmd_plan_status(args: argparse.Namespace) -> int:
    """Set a plan's status: draft, proposed, approved (a new version)."""
    target = _plan_target(args, args.plan)
    info = target.plans.set_status(
        target.plan_id, args.status, base_version=target.base_version, who=args.actor.name
    )
    status = label("plan_status", info.status, args.lang)
    print(t("cli.plan.status_set", args.lang, name=info.name, status=status, version=info.version))
    return 0


@_plan_command
def cmd_plan_set_current(args: argparse.Namespace) -> int:
    """Make a plan the operation's current one."""
    target = _plan_target(args, args.plan)
    target.plans.set_current(target.plan_id, who=args.actor.name)
    print(t("cli.plan.made_current", args.lang, name=target.name))
    return 0


@_plan_command
def cmd_plan_history(args: argparse.Namespace) -> int:
    """Print a plan's versions: who saved what, when."""
    target = _plan_target(args, args.plan)
    saved = target.operation.plan is not None
    versions = target.plans.history(target.plan_id) if saved else []
    lang = args.lang
    if args.json:
        return _print_json(
            [
                {
                    "version": v.version,
                    "saved_at": v.saved_at.isoformat(timespec="seconds"),
                    "saved_by": v.saved_by,
                    "action": v.action,
                    "note": v.note,
                    "note_shown": plan_version_note(v.note, lang),
                    "name": v.name,
                    "status": str(v.status),
                }
                for v in versions
            ]
        )
    if not versions:
        print(f"{target.name}: {t('cli.plan.implicit', lang)}")
    for v in versions:
        who = t("cli.by", lang, who=v.saved_by) if v.saved_by else ""
        when = readable_time(v.saved_at, str(target.operation.settings.time_zone))
        action = plan_version_action(v.action, lang)
        print(f"v{v.version:<4} {when}  {action:12}{who}  {plan_version_note(v.note, lang)}")
    return 0


@_plan_command
def cmd_plan_rollback(args: argparse.Namespace) -> int:
    """Save an earlier version of a plan again as its newest (needs --yes)."""
    target = _plan_target(args, args.plan)
    if not args.yes:
        old = target.plans.content(target.plan_id, args.version)
        changes = old.changes_from(target.operation.plan_content)
        print(t("cli.plan.rollback_dry_run", args.lang, name=target.name, version=args.version))
        for change in changes:
            print(f"  {plan_version_note(change.render('en'), args.lang)}")
        return 0
    info = target.plans.rollback(
        target.plan_id,
        args.version,
        base_version=target.base_version,
        who=args.actor.name,
        confirmed=True,
    )
    print(t("cli.plan.saved", args.lang, name=info.name, version=info.version))
    return 0


@_plan_command
def cmd_plan_add_post(args: argparse.Namespace) -> int:
    """Add a post to a plan; print its id."""
    target = _plan_target(args, args.plan)
    content, site_id = target.operation.plan_content.with_post_added(
        lon=args.lon,
        lat=args.lat,
        post_type=args.type,
        name=args.name,
        personnel=args.personnel,
        radius_m=args.radius_m,
    )
    _save_content(args, target, content)
    print(site_id)
    return 0


@_plan_command
def cmd_plan_move_post(args: argparse.Namespace) -> int:
    """Move a post of a plan."""
    target = _plan_target(args, args.plan)
    content = target.operation.plan_content.with_post_moved(args.site_id, args.lon, args.lat)
    _save_content(args, target, content)
    return 0


@_plan_command
def cmd_plan_remove_post(args: argparse.Namespace) -> int:
    """Remove a post from a plan."""
    target = _plan_target(args, args.plan)
    _save_content(args, target, target.operation.plan_content.with_post_removed(args.site_id))
    return 0


@_plan_command
def cmd_plan_settings(args: argparse.Namespace) -> int:
    """Change a plan's radii, staffing preset, minimum Polri or risk weights."""
    target = _plan_target(args, args.plan)
    weights = _weights(args.weight)
    content = target.operation.plan_content.with_settings(
        radius_m=_radius_overrides(args.radius) or None,
        preset=args.preset,
        min_polri=args.min_polri,
        risk_weights=weights or None,
    )
    _save_content(args, target, content)
    return 0


def _weights(values: Sequence[str]) -> dict[Risk, float]:
    return _assignments(values, Risk, "cli.bad_weight")


@_plan_command
def cmd_plan_zones(args: argparse.Namespace) -> int:
    """Replace a plan's zones with those of a GeoJSON file (FeatureCollection)."""
    target = _plan_target(args, args.plan)
    try:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, KeyError, TypeError):
        raise CliError(
            t("cli.plan.zones_file", "en", file=args.file),
            key="cli.plan.zones_file",
            params={"file": args.file},
        ) from None
    zones = [Zone.from_feature(f, zone_id=f"zone-{i}") for i, f in enumerate(features, 1)]
    _save_content(args, target, target.operation.plan_content.with_zones(zones))
    return 0


@_plan_command
def cmd_plan_apply_posts(args: argparse.Namespace) -> int:
    """Apply a posts file to a plan: its rows, read as police posts by the importer, are
    matched to the plan's posts (added or updated; `--replace`: the file's posts only).
    A dry run unless --yes."""
    target = _plan_target(args, args.plan)
    choices = dataclasses.replace(_import_choices(args), kind=Kind.POLICE_POST)
    context = ImportContext.for_operation(target.operation)
    report = import_sites(Path(args.file), choices, context)
    _print_report(report, args.lang)
    if args.rejected:
        Path(args.rejected).write_text(report.rejected_csv(), encoding="utf-8")
    if report.accepted.empty:
        print(t("cli.nothing_to_save", args.lang), file=sys.stderr)
        return 1
    content = target.operation.plan_content
    merge = merge_matched(
        content.posts, canonical_sites(report.accepted), replace_kinds=args.replace
    )
    _print_matches(match_rows(report.accepted, merge, lang=args.lang), args.lang)
    new = dataclasses.replace(content, posts=canonical_sites(merge.sites))
    before = figures(analyse(target.operation))
    after = figures(analyse(apply_plan(target.operation, target.operation.plan, new)))
    _print_before_after(before, after, args.lang)
    if new == content:
        print(t("plan.nothing_changes", args.lang, name=target.name))
        return 0
    if not args.yes:
        print(t("guard.dry_run", args.lang))
        return 0
    note = Text("plan.change.posts_applied", {"file": report.file_name}).render("en")
    _save_content(args, target, new, note=note, action="posts")
    return 0


def _print_before_after(before: Figures, after: Figures, lang: str) -> None:
    b, a = before, after
    rows = (
        ("guard.share", format_share(b.covered_share, lang), format_share(a.covered_share, lang)),
        ("guard.uncovered", format_int(b.uncovered_tps, lang), format_int(a.uncovered_tps, lang)),
        ("guard.police", format_int(b.police_needed, lang), format_int(a.police_needed, lang)),
    )
    for key, x, y in rows:
        print(f"  {t(key, lang):<28} {x:>8} → {y:>8}")


def _print_plans_keep_posts(operation: Operation, accepted: pd.DataFrame, lang: str) -> None:
    """Say that saved plans keep their own posts when an import brings posts."""
    has_posts = bool((accepted[Col.KIND] == Kind.POLICE_POST).any()) if len(accepted) else False
    if has_posts and Plans.for_operation(operation).list():
        print(t("plan.import_keeps_posts", lang))


def add_plan_commands(
    commands: argparse._SubParsersAction,
    with_lang: Callable[[argparse.ArgumentParser], None],
    with_import_options: Callable[[argparse.ArgumentParser], None],
) -> argparse._SubParsersAction:
    """Register `posko plan …` and return its subcommands (`plan compare` joins them)."""
    plan = commands.add_parser("plan", help="list, make, edit and compare plans")
    subs = plan.add_subparsers(dest="plan_command", required=True)

    def sub(
        name: str, func: Callable, helptext: str, *, writes: bool = False, plan_arg: str = "plan"
    ):
        p = subs.add_parser(name, help=helptext)
        p.add_argument("operation", help="operation folder or name")
        if plan_arg:
            p.add_argument(plan_arg, help="plan name (case and spaces ignored) or id")
        with_lang(p)
        p.set_defaults(func=func, action=Action.PLAN if writes else Action.VIEW)
        return p

    p = sub("list", cmd_plan_list, "list the plans (* = current)", plan_arg="")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub(
        "new", cmd_plan_new, "save a new plan (empty, or --copy-current)", writes=True, plan_arg=""
    )
    p.add_argument("name", help="the new plan's name")
    p.add_argument("--copy-current", action="store_true", help="copy the current plan")
    p.add_argument("--status", choices=[s.value for s in PlanStatus], default="draft")
    p.add_argument("--current", action="store_true", help="make it the current plan")

    p = sub("copy", cmd_plan_copy, "save a copy of a plan", writes=True, plan_arg="source")
    p.add_argument("name", help="the copy's name")
    p.add_argument("--current", action="store_true", help="make it the current plan")

    p = sub("show", cmd_plan_show, "show a plan and its figures", plan_arg="")
    p.add_argument("plan", nargs="?", help="plan name or id (default: the current plan)")
    p.add_argument("--version", type=int, help="an earlier version")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("rename", cmd_plan_rename, "rename a plan", writes=True)
    p.add_argument("name", help="the new name")

    p = sub("status", cmd_plan_status, "set a plan's status", writes=True)
    p.add_argument("status", choices=[s.value for s in PlanStatus])

    sub("set-current", cmd_plan_set_current, "make a plan the current one", writes=True)

    p = sub("history", cmd_plan_history, "list a plan's versions")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("rollback", cmd_plan_rollback, "restore an earlier version of a plan", writes=True)
    p.add_argument("version", type=int)
    p.add_argument("--yes", action="store_true", help="restore (default: say what would change)")

    p = sub("add-post", cmd_plan_add_post, "add a post to a plan", writes=True)
    p.add_argument("--lon", type=float, required=True)
    p.add_argument("--lat", type=float, required=True)
    p.add_argument("--type", required=True, choices=[x.value for x in PostType])
    p.add_argument("--name", required=True)
    p.add_argument("--personnel", type=int)
    p.add_argument("--radius-m", type=float, help="the post's own radius (default: its type's)")

    p = sub("move-post", cmd_plan_move_post, "move a post of a plan", writes=True)
    p.add_argument("site_id")
    p.add_argument("--lon", type=float, required=True)
    p.add_argument("--lat", type=float, required=True)

    p = sub("remove-post", cmd_plan_remove_post, "remove a post from a plan", writes=True)
    p.add_argument("site_id")

    p = sub("settings", cmd_plan_settings, "change a plan's radii, preset or weights", writes=True)
    p.add_argument("--radius", action="append", default=[], metavar="TYPE=METRES")
    p.add_argument("--preset", help="staffing preset name")
    p.add_argument("--min-polri", type=int, help="minimum Polri per guard group")
    p.add_argument("--weight", action="append", default=[], metavar="RISK=WEIGHT")

    p = sub("zones", cmd_plan_zones, "replace a plan's zones from a GeoJSON file", writes=True)
    p.add_argument("file", help="GeoJSON FeatureCollection (properties: kind, name, radius_m)")

    apply = subs.add_parser(
        "apply-posts", help="apply a posts file to a plan (a dry run without --yes)"
    )
    apply.add_argument("operation", help="operation folder or name")
    apply.add_argument("plan", help="plan name (case and spaces ignored) or id")
    with_import_options(apply)
    apply.add_argument(
        "--replace", action="store_true", help="the file's posts replace all the plan's posts"
    )
    apply.add_argument("--yes", action="store_true", help="save (default: a dry run)")
    apply.set_defaults(func=cmd_plan_apply_posts, action=Action.PLAN)
    return subs


# --- end of `posko plan` --------------------------------------------------------------------


# --- `posko plan compare` and `posko brief --compare`: two plans side by side ------------


def _comparison(operation: str | None, a: str, b: str, *, lang: str) -> PlanComparison:
    """Plans `a` and `b` of an operation, each analysed under its own settings, compared."""
    analyses = [analyse(_load(operation, lang, plan)) for plan in (a, b)]
    first, second = (plan_info(x) for x in analyses)
    if first is not None and second is not None and first.plan_id == second.plan_id:
        raise CliError(t("compare.same_plan", "en"), key="compare.same_plan")
    return compare_plans(*analyses)


def _print_compare_table(table: pd.DataFrame, lang: str) -> None:
    """The difference table as text: a header row (the table's column names), then each
    section's rows, the figures right-aligned under their plan."""
    rows = [
        [format_number(v, lang, decimals=None) for v in row[2:4]]
        + [format_number(row[4], lang, decimals=None, sign=True)]
        for row in table.itertuples(index=False)
    ]
    heads = list(table.columns[2:5])
    widths = [max(len(h), *(len(r[i]) for r in rows)) + 2 for i, h in enumerate(heads)]
    item = max(44, *(len(str(v)) for v in table.iloc[:, 1]))
    head = "".join(f"{h:>{w}}" for h, w in zip(heads, widths, strict=True))
    print(f"\n  {table.columns[1]:<{item}}{head}")
    section = None
    for row, numbers in zip(table.itertuples(index=False), rows, strict=True):
        if row[0] != section:
            section = row[0]
            print(f"\n{section}")
        figures = "".join(f"{n:>{w}}" for n, w in zip(numbers, widths, strict=True))
        print(f"  {row[1]:<{item}}{figures}")


@_plan_command
def cmd_plan_compare(args: argparse.Namespace) -> int:
    """Print plan B against plan A: the difference table, then the TPS lost and gained."""
    comparison = _comparison(args.operation, args.a, args.b, lang=args.lang)
    if args.json:
        return _print_json(comparison.report())
    lang = args.lang
    a, b = (plan_label(x, lang) for x in (comparison.a, comparison.b))
    print(t("compare.title", lang, a=a, b=b))
    _print_compare_table(comparison.table(lang), lang)
    for which in ("lost", "gained"):
        rows = getattr(comparison, which)
        print(f"\n{t(f'compare.{which}', lang, n=format_int(len(rows), lang))}")
        for r in rows.to_dict("records"):
            place = f"{r['kelurahan']} · {label('risk', r['risk'], lang)}"
            posts = f"A: {r['post_a']} ({format_distance(r['post_m_a'], lang)})"
            posts += f" · B: {r['post_b']} ({format_distance(r['post_m_b'], lang)})"
            print(f"  {r['name']} · {place} · {posts}")
    return 0


def add_plan_compare(plan_commands: argparse._SubParsersAction) -> None:
    """Register `posko plan compare OPERATION A B [--json]` in the `plan` group."""
    compare = plan_commands.add_parser("compare", help="compare two plans of an operation")
    compare.add_argument("operation", help="operation folder or name")
    compare.add_argument("a", help="plan A (name or id)")
    compare.add_argument("b", help="plan B (name or id)")
    compare.add_argument("--json", action="store_true", help="print JSON")
    compare.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    compare.set_defaults(func=cmd_plan_compare, action=Action.VIEW)


# --- `posko suggest`: where to put the next posts --------------------------------------------


def cmd_suggest(args: argparse.Namespace) -> int:
    """Suggest new posts (k best, or the fewest for full coverage) for a plan; JSON with
    --json (what the app computes for the same choices); --save-plan saves a draft plan."""
    operation = _load(args.operation, args.lang, args.plan)
    upload = uploaded = None
    if args.candidates:
        report = read_candidate_file(Path(args.candidates), operation)
        if not args.json:  # the JSON holds the counts; stdout stays one JSON document
            _print_report(report, args.lang)
        upload, uploaded = upload_summary(report), report.accepted
    post_type = PostType(args.type)
    grid = None
    if args.grid is not None:
        grid = default_grid_m(operation, post_type) if args.grid == "auto" else _grid_m(args.grid)
    options = SuggestOptions(
        mode=Mode.COVER_ALL if args.cover_all else Mode.ADD,
        k=1 if args.add is None else args.add,
        post_type=post_type,
        sources=tuple(s for s in args.sources.split(",") if s and s != "none"),
        grid_m=grid,
        per_kecamatan=args.per_kecamatan,
        max_per_kelurahan=args.max_per_kelurahan,
        demo_weight=args.demo_weight,
        building_weight=args.building_weight,
        time_limit_s=args.time_limit,
        curve=not args.no_curve,
    )
    suggestion = suggest(operation, options, uploaded=uploaded, upload=upload)
    if args.json:
        _print_json(suggestion.report(args.lang))
    else:
        print("\n".join(suggestion_lines(suggestion, args.lang)))
    if args.brief:
        html = suggestion_briefing_html(
            analyse(operation),
            suggestion,
            lang=args.lang,
            paper=args.paper,
            exported_at=datetime.now().astimezone(),
            exported_by=args.actor.name,
        )
        out = Path(args.brief)
        out.write_text(html, encoding="utf-8")
        audit.record(
            args.actor.name,
            AuditAction.EXPORT_BRIEFING,
            operation=operation.key,
            what=Text(
                "audit.what.briefing",
                {
                    "what": Text("audit.what.briefing_suggest"),
                    "paper": args.paper,
                    "file": out.name,
                },
            ),
            version_before=operation.version,
            version_after=operation.version,
        )
        _print_size(out, args.lang)
    if args.save_plan:
        info = save_draft(
            operation, suggestion, name=args.save_plan, who=args.actor.name, lang=args.lang
        )
        print(
            t("cli.plan.created", args.lang, name=info.name, plan_id=info.plan_id), file=sys.stderr
        )
    return 0


def _grid_m(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        params = {"name": "--grid", "value": value, "low": "10", "high": "100000"}
        raise CliError(
            t("suggest.bad_number", "en", **params), key="suggest.bad_number", params=params
        ) from None


def add_suggest_command(
    commands: argparse._SubParsersAction, with_lang: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register `posko suggest`."""
    p = commands.add_parser("suggest", help="suggest where to put new posts")
    p.add_argument("operation", help="operation folder or name")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--add", type=int, metavar="K", help="the K new posts that reach the most")
    what.add_argument(
        "--cover-all", action="store_true", help="the fewest new posts that reach every TPS"
    )
    p.add_argument("--type", default=PostType.POS_PAM.value, choices=[x.value for x in PostType])
    p.add_argument(
        "--sources",
        default=",".join(DEFAULT_SOURCES),
        metavar="LIST",
        help="candidate kinds of site, comma-separated: government, logistics, "
        "polling_station, or none (default: all three)",
    )
    p.add_argument("--candidates", metavar="FILE", help="a list of candidate sites (any format)")
    p.add_argument("--grid", metavar="M", help="a grid of candidates M metres apart ('auto')")
    p.add_argument("--per-kecamatan", action="store_true", help="one new post per kecamatan")
    p.add_argument("--max-per-kelurahan", type=int, metavar="N", help="at most N per kelurahan")
    p.add_argument("--demo-weight", type=float, default=0.0, help="weight of a demo point")
    p.add_argument(
        "--building-weight", type=float, default=0.0, help="weight of a threatened building"
    )
    p.add_argument("--plan", help="plan name or id (default: the operation's current plan)")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="solver seconds")
    p.add_argument("--no-curve", action="store_true", help="skip the coverage curve")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--brief", metavar="OUT.html", help="write the suggestion briefing (HTML)")
    p.add_argument("--paper", default="A4", choices=PAPERS, help="paper of the briefing")
    p.add_argument("--save-plan", metavar="NAME", help="save the suggestion as a draft plan")
    with_lang(p)
    p.set_defaults(func=cmd_suggest, action=Action.SUGGEST)


# --- who acts: `--as`, the check of every command, `posko user …` ---------------------------


def _accounts() -> Accounts:
    return Accounts(database(), settings=deployment_settings())


def _acting_name(args: argparse.Namespace) -> str:
    return getattr(args, "as_user", None) or local_user()


def acting_actor(args: argparse.Namespace) -> Actor:
    """The user this command acts as: `--as NAME`, else `$POSKO_USER`, else the OS user.

    With sign-in off that user acts as admin; otherwise the account must exist and be
    enabled.

    Raises
    ------
    SignInFailed
        When the account does not exist or is disabled.
    """
    name = _acting_name(args)
    settings = deployment_settings()
    if settings.method is SignInMethod.OFF:
        return LOCAL_ACTOR(name)
    accounts = Accounts(database(), settings=settings)
    try:
        actor = accounts.actor(name, method="cli")
    except SignInFailed as exc:
        if exc.key != "user.unknown":
            raise
        raise SignInFailed(
            t("access.cli_unknown", "en", name=name, env=USER_ENV),
            key="access.cli_unknown",
            params={"name": name, "env": USER_ENV},
        ) from None
    if not _needs_password(name, settings):
        return actor
    accounts.sign_in(name, _acting_password(args, name))  # counted and locked like the app's
    return actor


def _needs_password(name: str, settings: DeploymentSettings) -> bool:
    """Acting as another user than the OS user needs their password, unless the OS user is
    root (who can read the database itself) or the deployment trusts its OS accounts."""
    return settings.cli_as_password and name != os_user() and not _os_is_root()


def _os_is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _acting_password(args: argparse.Namespace, name: str) -> str:
    """The acting user's password: the first line of stdin (`--as-password-stdin`), else
    asked for on the terminal."""
    if getattr(args, "as_password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    lang = getattr(args, "lang", DEFAULT_LANGUAGE)
    return getpass.getpass(t("cli.as_password", lang, name=name) + ": ")


def _operation_key(args: argparse.Namespace) -> str | None:
    """The key of the operation a command acts on (None: the command names none)."""
    name = getattr(args, "into", None) or getattr(args, "operation", None)
    if name is None and (args.command == "check" or not hasattr(args, "operation")):
        return None
    return find_operation(name).name


def _authorise(args: argparse.Namespace) -> None:
    """Find who acts and refuse the command unless they may do its action (`posko serve`
    leaves that to the app's sign-in; `posko user` to :class:`geo.accounts.Accounts`)."""
    if args.command == "serve":
        return
    if args.command == "user":
        args.actor = _user_command_actor(args)
        return
    args.actor = acting_actor(args)
    require(args.actor, args.action, _operation_key(args))


def _user_command_actor(args: argparse.Namespace) -> Actor:
    """The acting user of `posko user …`; before the first admin exists, whoever runs
    `posko user add NAME --role admin` (that first admin needs nobody to vouch for it)."""
    try:
        return acting_actor(args)
    except SignInFailed:
        bootstrapping = args.user_command == "add" and args.role == Role.ADMIN.value
        if not bootstrapping or _accounts().has_admin():
            raise
        return Actor(name=_acting_name(args), role=Role.VIEWER, grants=frozenset(), method="cli")


def _new_password(args: argparse.Namespace) -> str:
    """The password from one line of stdin (`--password-stdin`), else typed twice."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(t("signin.password", args.lang) + ": ")
    second = getpass.getpass(t("signin.password_again", args.lang) + ": ")
    if first != second:
        raise CliError(t("signin.passwords_differ", "en"), key="signin.passwords_differ")
    return first


def cmd_user_add(args: argparse.Namespace) -> int:
    """Add a local account (the first one of a deployment must be an admin)."""
    accounts = _accounts()
    user = accounts.add(args.name, args.role, _new_password(args), by=args.actor)
    print(t("user.added", args.lang, name=user.name, role=label("role", user.role, args.lang)))
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    """Set a user's password (an admin for anyone, a user for themself)."""
    _accounts().set_password(args.name, _new_password(args), by=args.actor)
    print(t("user.password_set", args.lang, name=args.name))
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    """Refuse every further sign-in of a user."""
    _accounts().disable(args.name, by=args.actor)
    print(t("user.disabled", args.lang, name=args.name))
    return 0


def cmd_user_enable(args: argparse.Namespace) -> int:
    """Let a disabled or locked user sign in again."""
    _accounts().enable(args.name, by=args.actor)
    print(t("user.enabled", args.lang, name=args.name))
    return 0


def _grant_target(operation: str) -> str:
    return operation if operation == "*" else find_operation(operation).name


def cmd_user_grant(args: argparse.Namespace) -> int:
    """Let a user act on an operation ("*": every operation)."""
    operation = _grant_target(args.operation)
    _accounts().grant(args.name, operation, by=args.actor)
    print(t("user.granted", args.lang, name=args.name, operation=operation))
    return 0


def cmd_user_revoke(args: argparse.Namespace) -> int:
    """Take back a user's grant of an operation."""
    _accounts().revoke(args.name, args.operation, by=args.actor)
    print(t("user.revoked", args.lang, name=args.name, operation=args.operation))
    return 0


def _user_json(user: User) -> dict[str, object]:
    return {
        "name": user.name,
        "role": user.role.value,
        "disabled": user.disabled,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
        "grants": list(user.grants),
        "created_at": user.created_at.isoformat(),
        "created_by": user.created_by,
    }


def cmd_user_list(args: argparse.Namespace) -> int:
    """Print every account: role, state and grants (never a password hash)."""
    require(args.actor, Action.ADMIN)
    accounts = _accounts()
    users = accounts.users()
    if args.json:
        return _print_json([_user_json(u) for u in users])
    for user in users:
        state = [t("user.state_disabled", args.lang)] if user.disabled else []
        if user.locked_until:
            state.append(
                t("user.state_locked", args.lang, until=accounts.readable(user.locked_until))
            )
        grants = ", ".join(user.grants) or "–"
        role = label("role", user.role, args.lang)
        print(f"{user.name:20} {role:10} {grants}  {' '.join(state)}".rstrip())
    return 0


def add_user_commands(commands: argparse._SubParsersAction) -> None:
    """Register `posko user …` (admins only, but for the first admin and one's own password)."""
    user = commands.add_parser("user", help="manage local accounts and their grants")
    subs = user.add_subparsers(dest="user_command", required=True)

    def sub(name: str, func: Callable, helptext: str) -> argparse.ArgumentParser:
        p = subs.add_parser(name, help=helptext)
        if name != "list":
            p.add_argument("name", help="user name")
        p.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
        # checked by geo.accounts itself: the first admin and one's own password are allowed
        p.set_defaults(func=func, action=Action.ADMIN)
        return p

    for name, func, helptext in (
        ("add", cmd_user_add, "add an account (prompts for the password twice)"),
        ("passwd", cmd_user_passwd, "set a user's password"),
    ):
        p = sub(name, func, helptext)
        p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        if name == "add":
            p.add_argument("--role", required=True, choices=[r.value for r in ROLES])
    sub("disable", cmd_user_disable, "refuse every further sign-in")
    sub("enable", cmd_user_enable, "let a disabled or locked user sign in again")
    p = sub("list", cmd_user_list, "list the accounts")
    p.add_argument("--json", action="store_true", help="print JSON")
    for name, func, helptext in (
        ("grant", cmd_user_grant, 'let a user act on an operation ("*": all)'),
        ("revoke", cmd_user_revoke, "take back a grant"),
    ):
        p = sub(name, func, helptext)
        p.add_argument("operation", help='operation name, or "*" for every operation')


def build_parser() -> argparse.ArgumentParser:
    """The `posko` argument parser."""
    parser = argparse.ArgumentParser(prog="posko", description=__doc__)
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="NAME",
        help=f"act as this user (default: ${USER_ENV}, else your OS user name); another "
        "user than yours asks for their password",
    )
    parser.add_argument(
        "--as-password-stdin",
        action="store_true",
        help="read the acting user's password from the first line of stdin",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument(
        "--address", default=LOOPBACK, help="address to listen on (another needs sign-in on)"
    )
    serve.set_defaults(func=cmd_serve, action=None)  # the app signs each user in

    def with_lang(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the output"
        )

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
        p.add_argument("--plan", help="plan name or id (default: the operation's current plan)")
        with_lang(p)

    brief = commands.add_parser("brief", help="write the briefing HTML")
    with_operation(brief)
    brief.add_argument("-o", "--output", required=True, help="HTML file to write")
    brief.add_argument(
        "--basemap",
        choices=list(BASEMAPS),
        default="none",
        help="online tiles to draw (default none: no request; the briefing says when it has)",
    )
    brief.add_argument("--paper", choices=list(PAPERS), default="A4", help="landscape paper")
    brief.add_argument(
        "--roads",
        help="road lines (GeoPackage/GeoJSON) in place of the operation's own: chain legs and "
        "reserves' arrival along them",
    )
    brief.add_argument("--png", help="also render a PNG picture (headless Chromium)")
    brief.add_argument("--pdf", help="also render a landscape PDF of --paper (headless Chromium)")
    brief.add_argument("--size", default="1920x1080", help="PNG size, WIDTHxHEIGHT pixels")
    brief.add_argument(
        "--compare", nargs=2, metavar=("A", "B"), help="a comparison briefing of plans A and B"
    )
    brief.add_argument(
        "--with-csv",
        action="store_true",
        help="also write the full lists beside the HTML as CSV (OUT.uncovered.csv, "
        "OUT.areas.csv, OUT.staffing.csv, OUT.demonstration.csv); the briefing names them",
    )
    brief.add_argument(
        "--for-partners",
        action="store_true",
        help="the partner briefing for KPU, Bawaslu and Forkopimda: TPS, areas, phases and "
        "the logistics chain, without police posts, personnel or reach",
    )
    brief.add_argument(
        "--compare-with",
        metavar="OPERATION",
        help="add the section 'lessons from the previous operation' against OPERATION",
    )
    brief.add_argument(
        "--moved-m",
        type=float,
        default=MOVED_M,
        help="with --compare-with: a TPS moved beyond this many metres",
    )
    when = brief.add_mutually_exclusive_group()
    when.add_argument("--phase", metavar="KEY", help="brief one phase (e.g. pungut_hitung)")
    when.add_argument(
        "--date", metavar="YYYY-MM-DD", help="brief the phase of this date (or DD-MM-YYYY)"
    )
    brief.set_defaults(func=cmd_brief, action=Action.EXPORT)

    coverage = commands.add_parser("coverage", help="print coverage figures")
    with_operation(coverage)
    coverage.add_argument("--json", action="store_true", help="print JSON")
    coverage.set_defaults(func=cmd_coverage, action=Action.VIEW)

    staffing = commands.add_parser("staffing", help="print staffing need and shortfall")
    with_operation(staffing)
    staffing.add_argument("--json", action="store_true", help="print JSON")
    staffing.add_argument("--csv", help="also write the table per area as CSV (headers in --lang)")
    staffing.set_defaults(func=cmd_staffing, action=Action.VIEW)

    chain = commands.add_parser("chain", help="print the logistics chain, its escorts and gaps")
    with_operation(chain)
    chain.add_argument("--json", action="store_true", help="print JSON")
    chain.add_argument(
        "--roads",
        help="road lines (GeoPackage/GeoJSON) in place of the operation's own: legs along them",
    )
    chain.set_defaults(func=cmd_chain, action=Action.VIEW)

    scenarios = commands.add_parser("scenarios", help="print the demonstration scenarios")
    with_operation(scenarios)
    scenarios.add_argument("--json", action="store_true", help="print JSON")
    scenarios.add_argument(
        "--roads",
        help="road lines (GeoPackage/GeoJSON) in place of the operation's own: reserves' "
        "arrival along them",
    )
    scenarios.set_defaults(func=cmd_scenarios, action=Action.VIEW)

    def with_import_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "file",
            help="site list: GeoJSON, CSV/TSV, Excel, KML/KMZ, GeoPackage, "
            "zipped shapefile, Esri JSON, JSON records",
        )
        p.add_argument(
            "--kind",
            choices=[k.value for k in Kind],
            help="what every row is, when the file has no kind column",
        )
        p.add_argument("--crs", help="CRS of the coordinates, e.g. EPSG:32748")
        p.add_argument("--layer", help="layer or sheet to read")
        p.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="use COLUMN for FIELD (FIELD= to leave it unmapped)",
        )
        coordinates = p.add_mutually_exclusive_group()
        coordinates.add_argument(
            "--xy", metavar="X,Y", help="coordinate columns: longitude (or easting), latitude"
        )
        coordinates.add_argument("--pair", metavar="COLUMN", help='one "lat, lon" column')
        coordinates.add_argument("--wkt", metavar="COLUMN", help="one column of WKT points")
        p.add_argument("--swap-axes", action="store_true", help="swap latitude and longitude")
        p.add_argument(
            "--fix-rows", action="store_true", help="apply the suggested per-row corrections"
        )
        p.add_argument("--strict", action="store_true", help="reject rows with warnings too")
        p.add_argument(
            "--accept-far",
            type=int,
            default=0,
            metavar="N",
            help="accept the N rows beyond the operation's area margin (N must be exact)",
        )
        p.add_argument(
            "--post-type",
            action="append",
            default=[],
            metavar="VALUE=TYPE",
            help="post type for police posts whose post-type cell says VALUE (empty VALUE: "
            "no post type given), e.g. --post-type 'Pos Lantas=pos_pam' --post-type =polsek; "
            "rows left unmapped are rejected",
        )
        p.add_argument("--rejected", metavar="CSV", help="write rejected rows with reasons")
        p.add_argument(
            "--report-csv",
            metavar="CSV",
            help="write every row issue (rejected, warned, noted) with its reason",
        )
        p.add_argument(
            "--full",
            action="store_true",
            help="list every row issue (default: counts per code and the first rows)",
        )
        p.add_argument("--lang", choices=LANGUAGES, default="id", help="language of messages")

    check = commands.add_parser("check", help="check a site list (nothing is saved)")
    with_import_options(check)
    check.add_argument("--operation", help="operation whose areas the sites must lie in")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(func=cmd_check, action=Action.IMPORT)

    imp = commands.add_parser("import", help="import a site list into an operation")
    with_import_options(imp)
    imp.add_argument("--into", required=True, help="operation folder or name")
    imp.add_argument(
        "--replace",
        action="store_true",
        help="replace every site of the imported kinds (default: add/update by id)",
    )
    imp.add_argument(
        "--areas",
        action="store_true",
        help="the file holds boundaries (kecamatan, kelurahan/desa, sectors), not sites",
    )
    imp.add_argument(
        "--level",
        choices=[level.value for level in Level],
        help="with --areas: the level of every area, when the file's codes do not say it",
    )
    imp.add_argument(
        "--yes", action="store_true", help="save (default: a dry run that writes nothing)"
    )
    imp.set_defaults(func=cmd_import, action=Action.IMPORT)

    log = commands.add_parser("audit", help="list an operation's audit log (newest first)")
    log.add_argument("operation", help="operation folder or name")
    log.add_argument("--json", action="store_true", help="print JSON (times in UTC)")
    log.add_argument("--limit", type=_positive_int, help="only the newest N records")
    with_lang(log)
    log.set_defaults(func=cmd_audit, action=Action.AUDIT)

    history = commands.add_parser(
        "history",
        help="list an operation's saved versions; with two operations (EARLIER LATER), "
        "compare them: TPS added, removed, moved, risk changes, coverage and staffing",
    )
    history.add_argument("operation", help="the operation (the earlier one with LATER)")
    history.add_argument("later", nargs="?", help="a later operation to compare with it")
    history.add_argument("--json", action="store_true")
    history.add_argument(
        "--moved-m", type=float, default=MOVED_M, help="a TPS moved beyond this many metres"
    )
    with_lang(history)
    history.set_defaults(func=cmd_history, action=Action.VIEW)

    restore = commands.add_parser("rollback", help="restore an earlier version")
    restore.add_argument("operation")
    restore.add_argument("version", type=int)
    restore.add_argument(
        "--yes", action="store_true", help="restore (default: say what would change, no write)"
    )
    with_lang(restore)
    restore.set_defaults(func=cmd_rollback, action=Action.IMPORT)

    add_plan_compare(add_plan_commands(commands, with_lang, with_import_options))
    add_suggest_command(commands, with_lang)

    roads = commands.add_parser("roads", help="give an operation its road file, or remove it")
    roads_commands = roads.add_subparsers(dest="roads_command", required=True)
    roads_set = roads_commands.add_parser(
        "set", help="check a road file and make it the operation's (legs, reserves' arrival)"
    )
    roads_set.add_argument("operation", help="operation folder or name")
    roads_set.add_argument("file", help="road lines: GeoPackage, GeoJSON or any GDAL line file")
    roads_remove = roads_commands.add_parser(
        "remove", help="remove the operation's road file (straight lines again)"
    )
    roads_remove.add_argument("operation", help="operation folder or name")
    for sub, func in ((roads_set, cmd_roads_set), (roads_remove, cmd_roads_remove)):
        with_lang(sub)
        sub.set_defaults(func=func, action=Action.IMPORT)

    store = commands.add_parser("store", help="back up or verify an operation's workspace")
    store_commands = store.add_subparsers(dest="store_command", required=True)
    backup = store_commands.add_parser("backup", help="copy the workspace next to it")
    verify = store_commands.add_parser("verify", help="check every saved version")
    verify.add_argument("--json", action="store_true", help="print JSON")
    for sub, func, action in (
        (backup, cmd_store_backup, Action.ADMIN),
        (verify, cmd_store_verify, Action.VIEW),
    ):
        sub.add_argument("--operation", help="operation folder or name (default: sample)")
        with_lang(sub)
        sub.set_defaults(func=func, action=action)
    migrate = store_commands.add_parser(
        "migrate", help="move a GeoPackage workspace into a PostGIS database"
    )
    migrate.add_argument("--from", dest="source", required=True, metavar="GPKG_WORKSPACE")
    migrate.add_argument("--to", required=True, metavar="URL", help="postgresql://…")
    migrate.add_argument(
        "--merge-users",
        action="store_true",
        help="the database has users already: add the workspace's users it lacks",
    )
    with_lang(migrate)
    migrate.set_defaults(func=cmd_store_migrate, action=Action.ADMIN)
    add_user_commands(commands)
    return parser


def _positive_int(text: str) -> int:
    """An argparse type: a whole number ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return value


# C0/C1 controls but newline and tab, and the bidi overrides that can disguise a name.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """`text` with terminal control characters (escape sequences, bells, bidi) escaped."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class _PrintableStream:
    """A text stream whose writes are passed through :func:`_printable`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(_printable(text))

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextmanager
def _printable_output() -> Iterator[None]:
    """Escape control characters in everything printed (names come from users' files)."""
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _PrintableStream(stdout), _PrintableStream(stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `posko` command."""
    args = build_parser().parse_args(argv)
    with _printable_output():
        try:
            _authorise(args)
            return int(args.func(args))
        except (PoskoError, OSError) as exc:
            lang = getattr(args, "lang", DEFAULT_LANGUAGE)
            print(f"posko {args.command}: {localized(exc, lang)}", file=sys.stderr)
            # an unknown operation is a refusal like an unknown plan, not a broken setup
            return 1 if isinstance(exc, OperationNotFound) else 2


if __name__ == "__main__":
    sys.exit(main())
