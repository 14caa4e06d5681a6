"""The reach each post actually uses, said beside the sidebar's radius per post type: a
post with its own radius (a reserve unit's response reach, say) does not use its type's."""

from __future__ import annotations

import pandas as pd

from geo.model import Col, PostType
from geo.text import format_distance, t

__all__ = ["own_reach_note"]

# Beyond this many posts the note says how many more instead of naming them
_NAMED = 3


def own_reach_note(posts: pd.DataFrame, post_type: PostType, lang: str) -> str:
    """The posts of `post_type` with their own radius, each with the reach it uses
    ("Pasukan cadangan Dalmas: 1,9 km"); "" when every post of the type uses the type's."""
    if Col.RADIUS_M not in posts:
        return ""
    of_type = posts[posts[Col.POST_TYPE] == str(post_type)]
    own = of_type[pd.to_numeric(of_type[Col.RADIUS_M], errors="coerce") > 0]
    if own.empty:
        return ""
    named = [
        f"{name} ({format_distance(float(radius), lang)})"
        for name, radius in zip(own[Col.NAME][:_NAMED], own[Col.RADIUS_M][:_NAMED], strict=True)
    ]
    if len(own) > _NAMED:
        named.append(f"+{len(own) - _NAMED}")
    return t("app.own_reach", lang, posts=", ".join(named))
