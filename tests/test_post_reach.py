"""The sidebar's radius per post type says which posts reach as far as their own radius:
the sample's reserve post uses 1.9 km, not the reserve type's 5 km."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from geo.model import DEFAULT_RADIUS_M, Col, PostType
from geo.operation import load_operation
from pages.post_reach import own_reach_note
from tests.test_app import APP


def _posts(rows: list[tuple[str, str, float | None]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            Col.NAME: [r[0] for r in rows],
            Col.POST_TYPE: [r[1] for r in rows],
            Col.RADIUS_M: [r[2] for r in rows],
        },
        geometry=[Point(106.1, -2.1)] * len(rows),
        crs="EPSG:4326",
    )


def test_only_posts_with_their_own_radius_are_named() -> None:
    posts = _posts(
        [("Dalmas", "reserve", 1900.0), ("Brimob", "reserve", None), ("Pos A", "polsek", 0.0)]
    )
    assert own_reach_note(posts, PostType.RESERVE, "id") == (
        "Memakai radius sendiri: Dalmas (1,9 km)"
    )
    assert own_reach_note(posts, PostType.RESERVE, "en") == "With their own radius: Dalmas (1.9 km)"
    # 0 is "the type's radius", as the coverage engine reads it
    assert own_reach_note(posts, PostType("polsek"), "id") == ""


def test_many_posts_are_counted_past_the_first_three() -> None:
    posts = _posts([(f"Pos {i}", "reserve", 1000.0 + i) for i in range(5)])
    note = own_reach_note(posts, PostType.RESERVE, "en")
    assert note.startswith("With their own radius: Pos 0 (1.0 km), Pos 1")
    assert note.endswith(", +2")


def test_the_sidebar_says_the_sample_reserve_reaches_its_own_radius() -> None:
    posts = load_operation().plan_content.posts
    reserve = posts[posts[Col.POST_TYPE] == PostType.RESERVE]
    own = float(reserve[Col.RADIUS_M].iloc[0])
    assert own != DEFAULT_RADIUS_M[PostType.RESERVE]  # the case the reviewer saw
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    captions = [c.value.replace("\\", "") for c in at.sidebar.caption]  # markdown-escaped
    name = reserve[Col.NAME].iloc[0]
    assert f"With their own radius: {name} (1.9 km)" in captions
    assert own == 1900.0
