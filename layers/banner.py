"""The classification banner ("TERBATAS", "RAHASIA"): one style for the app and the briefing."""

from __future__ import annotations

from layers.templating import render_template

__all__ = ["BANNER_POSITIONS", "classification_banner_html"]

# "" for a banner in the flow of a page (the app); top and bottom edges of the briefing.
BANNER_POSITIONS: tuple[str, ...] = ("", "top", "bottom")


def classification_banner_html(text: str, *, position: str = "") -> str:
    """The classification banner as HTML, its text escaped.

    Parameters
    ----------
    text
        The classification as the operation states it (plain text).
    position
        "" in the flow of a page; "top" or "bottom" to pin it to an edge of the briefing.

    Returns
    -------
    html
        One ``<div class="cls-banner">`` carrying its own inline style.

    Raises
    ------
    ValueError
        When `position` is not one of :data:`BANNER_POSITIONS`.
    """
    if position not in BANNER_POSITIONS:
        msg = f"`position` is {position!r}; expected one of: {BANNER_POSITIONS!r}."
        raise ValueError(msg)
    return render_template("banner.html", text=text, position=position)
