"""The suggestion briefing: one self-contained offline HTML file with the classification
banners, the map of the suggested posts and their new reach, each post's newly covered TPS
by risk class and marginal gain, the targets no candidate reaches, and the curve of TPS
covered against the number of new posts.

Laid out and printed by the briefing's own rules (:mod:`layers.export`); every value from
the operation or the planner is escaped by the templates, the curve by :func:`curve_svg`.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

import pandas as pd
from markupsafe import Markup

from geo.analysis import Analysis
from geo.placement import Mode, Suggestion
from geo.text import format_int, format_number, format_share, t
from layers.export import (
    PAPERS,
    FiguresSection,
    FiguresTable,
    briefing_page,
    data_caution,
    export_line,
    print_style,
)
from layers.suggest import (
    curve_svg,
    curve_table,
    posts_table,
    status_text,
    suggestion_lines,
    suggestion_map,
    unreachable_table,
)
from layers.templating import TemplateElement

__all__ = ["suggestion_briefing_html", "suggestion_sections"]


def _table(frame: pd.DataFrame, numeric: frozenset[int] = frozenset()) -> FiguresTable:
    rows = [["–" if v is None else str(v) for v in row] for row in frame.itertuples(index=False)]
    return FiguresTable([str(c) for c in frame.columns], rows, numeric)


def _curve_figures(suggestion: Suggestion, lang: str) -> FiguresTable:
    """The curve's points as written numbers (k, weight gained, TPS covered, score)."""
    headers = [str(c) for c in curve_table(suggestion, lang).columns]
    rows = [
        [
            str(c.k),
            "–" if c.gain is None else format_number(c.gain, lang, decimals=1),
            "–" if c.tps_covered is None else format_int(c.tps_covered, lang),
            "–" if c.weighted_score is None else format_share(c.weighted_score, lang),
            status_text(c.status, c.gap, lang),
        ]
        for c in suggestion.curve
    ]
    return FiguresTable(headers, rows, frozenset({0, 1, 2, 3}))


def suggestion_sections(suggestion: Suggestion, lang: str) -> list[FiguresSection]:
    """The briefing's figures: the suggested posts (gain and TPS newly covered by risk
    class), the curve (drawn, then as a table) and the targets no candidate reaches."""
    sections = []
    posts = (
        [_table(posts_table(suggestion, lang), frozenset({0, 3, 4}))]
        if suggestion.posts
        else [t("brief.none", lang)]
    )
    sections.append(FiguresSection(t("suggest.posts", lang), posts))
    if suggestion.curve:
        svg = curve_svg(suggestion.curve, tps_before=suggestion.before.tps_covered, lang=lang)
        # curve_svg escapes every text it writes: the markup goes out as it is
        drawing = Markup(svg)
        table = _curve_figures(suggestion, lang)
        sections.append(FiguresSection(t("suggest.curve_title", lang), [drawing, table]))
    if suggestion.unreachable or suggestion.options.mode == Mode.COVER_ALL:
        far = (
            [_table(unreachable_table(suggestion, lang), frozenset({4}))]
            if suggestion.unreachable
            else [t("brief.none", lang)]
        )
        sections.append(FiguresSection(t("suggest.unreachable", lang), far))
    return sections


def suggestion_briefing_html(
    analysis: Analysis,
    suggestion: Suggestion,
    *,
    lang: str = "id",
    paper: str = "A4",
    exported_at: datetime,
    exported_by: str,
) -> str:
    """The suggestion as a self-contained briefing page: every script and style inlined,
    no tiles, no request at all.

    Parameters
    ----------
    analysis
        The analysed operation as the suggestion's plan deploys it.
    suggestion
        The suggestion (its plan's posts stay; the new ones are drawn apart).
    lang
        Language of every label.
    paper
        Paper size the print layout is set for, one of :data:`layers.export.PAPERS`.
    exported_at
        Time stamp printed in the title block (timezone-aware).
    exported_by
        Who exported it (the signed-in user), printed under the title and in the footer.

    Raises
    ------
    ValueError
        When `paper` is unknown.
    """
    if paper not in PAPERS:
        msg = f"`paper` is {paper!r}; expected one of: {', '.join(PAPERS)}."
        raise ValueError(msg)
    m = suggestion_map(analysis, suggestion, lang=lang, basemap="none")
    title = analysis.settings.title
    classification = analysis.settings.classification
    stamp = export_line(
        analysis.operation, exported_at=exported_at, exported_by=exported_by, lang=lang
    )
    # the solver's seconds are left out: the same suggestion gives the same briefing
    solver = t(
        "suggest.brief_solver",
        lang,
        status=status_text(suggestion.status, suggestion.gap, lang),
        candidates=format_int(len(suggestion.candidates), lang),
    )
    lines = suggestion_lines(suggestion, lang)
    summary = [lines[0], lines[1], solver, *(n.render(lang) for n in suggestion.notes)]
    sections = {
        "brief_head": TemplateElement(
            "brief_head.html",
            title=title,
            plan=t("suggest.title", lang),
            unsaved="",
            stamp=stamp,
            caution=data_caution(analysis.operation, lang),
        ),
        "brief_summary": TemplateElement("suggest_summary.html", lines=summary),
        "brief_panel": TemplateElement(
            "brief_panel.html", sections=suggestion_sections(suggestion, lang)
        ),
    }
    style = partial(
        print_style, "suggest_style.html", paper=paper, classification=classification, stamp=stamp
    )
    return briefing_page(
        m,
        title=f"{title} · {t('suggest.title', lang)}",
        classification=classification,
        style=style,
        sections=sections,
    )
