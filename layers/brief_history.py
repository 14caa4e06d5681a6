"""The briefing section "Pelajaran dari operasi sebelumnya": this operation against an earlier one.

Made from :class:`geo.history.OperationComparison` as figures-panel sections, which
:func:`layers.export.briefing_html` prints after its own (its `lessons` option).
"""

from __future__ import annotations

import pandas as pd

from geo.history import OperationComparison
from geo.text import format_distance, format_int, format_number, label, t
from layers.export import FiguresSection, FiguresTable

__all__ = ["HISTORY_ROWS", "history_lead", "history_sections", "history_table"]

HISTORY_ROWS = 30
"""At most this many rows of each TPS list in the briefing; the rest are counted."""


def history_lead(comparison: OperationComparison, lang: str) -> list[str]:
    """Which operations, and what changed in one sentence (plus the unmatched TPS, if any)."""
    earlier, later = comparison.names(lang)
    lines = [
        t("history.compared", lang, earlier=earlier, later=later),
        t(
            "history.lead",
            lang,
            matched=format_int(comparison.matched, lang),
            added=format_int(len(comparison.added), lang),
            removed=format_int(len(comparison.removed), lang),
            moved=format_int(len(comparison.moved), lang),
            distance=format_distance(comparison.moved_m, lang),
            changed=format_int(len(comparison.risk_changed), lang),
        ),
    ]
    if any(comparison.unmatchable):
        before, now = comparison.unmatchable
        lines.append(
            t(
                "history.unmatchable",
                lang,
                earlier=format_int(before, lang),
                later=format_int(now, lang),
            )
        )
    changes = comparison.risk_changes()
    if changes:
        items = "; ".join(
            f"{label('risk', a, lang)} → {label('risk', b, lang)}: {format_int(n, lang)}"
            for (a, b), n in sorted(changes.items(), key=lambda kv: -kv[1])
        )
        lines.append(t("history.risk_change_counts", lang, changes=items))
    return lines


def history_table(comparison: OperationComparison, lang: str) -> FiguresTable:
    """The side-by-side figures: section, item, earlier, later, later − earlier."""
    table = comparison.table(lang)
    score = t("compare.row.weighted_score", lang)

    def number(value: float, item: str, *, signed: bool = False) -> str:
        return format_number(value, lang, decimals=1 if item == score else 0, sign=signed)

    rows = [
        [section, item, number(a, item), number(b, item), number(d, item, signed=True)]
        for section, item, a, b, d in table.itertuples(index=False)
    ]
    return FiguresTable(list(table.columns), rows, frozenset({2, 3, 4}))


def _cell(value: object) -> str:
    if value is None or pd.isna(value):
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _list(
    title: str, rows: list[list[str]], headers: list[str], total: int, lang: str
) -> FiguresSection:
    """One TPS list, shortened to :data:`HISTORY_ROWS` with a line counting the rest."""
    if not total:
        return FiguresSection(title, [t("brief.none", lang)])
    parts: list[FiguresTable | str] = [FiguresTable(headers, rows[:HISTORY_ROWS], frozenset({0}))]
    if total > HISTORY_ROWS:
        parts.append(
            t(
                "history.more",
                lang,
                shown=format_int(HISTORY_ROWS, lang),
                total=format_int(total, lang),
                more=format_int(total - HISTORY_ROWS, lang),
            )
        )
    return FiguresSection(title, parts)


def history_sections(comparison: OperationComparison, lang: str) -> list[FiguresSection]:
    """The lessons section (lead and side-by-side figures), then the TPS added, removed,
    moved and with a changed risk class."""
    base = [t("col.tps_no", lang), t("col.kelurahan", lang), t("col.name", lang)]
    n = {k: len(getattr(comparison, k)) for k in ("added", "removed", "moved", "risk_changed")}

    def plain(frame: pd.DataFrame) -> list[list[str]]:
        return [
            [
                _cell(r["tps_no"]),
                _cell(r["kelurahan"]),
                _cell(r["name"]),
                label("risk", r["risk"], lang),
            ]
            for r in frame.head(HISTORY_ROWS).to_dict("records")
        ]

    changed = [
        [
            _cell(r["tps_no"]),
            _cell(r["kelurahan"]),
            _cell(r["name"]),
            label("risk", r["risk_earlier"], lang),
            label("risk", r["risk_later"], lang),
        ]
        for r in comparison.risk_changed.head(HISTORY_ROWS).to_dict("records")
    ]
    moved = [
        [
            _cell(r["tps_no"]),
            _cell(r["kelurahan"]),
            _cell(r["name"]),
            format_distance(float(r["distance_m"]), lang),
        ]
        for r in comparison.moved.head(HISTORY_ROWS).to_dict("records")
    ]
    risks = [t("history.col.risk_earlier", lang), t("history.col.risk_later", lang)]
    distance = format_distance(comparison.moved_m, lang)
    return [
        FiguresSection(
            t("history.title", lang),
            [*history_lead(comparison, lang), history_table(comparison, lang)],
        ),
        _list(
            t("history.added", lang, n=format_int(n["added"], lang)),
            plain(comparison.added),
            [*base, t("col.risk", lang)],
            n["added"],
            lang,
        ),
        _list(
            t("history.removed", lang, n=format_int(n["removed"], lang)),
            plain(comparison.removed),
            [*base, t("col.risk", lang)],
            n["removed"],
            lang,
        ),
        _list(
            t("history.moved", lang, distance=distance, n=format_int(n["moved"], lang)),
            moved,
            [*base, t("history.col.moved", lang)],
            n["moved"],
            lang,
        ),
        _list(
            t("history.risk_changed", lang, n=format_int(n["risk_changed"], lang)),
            changed,
            [*base, *risks],
            n["risk_changed"],
            lang,
        ),
    ]
