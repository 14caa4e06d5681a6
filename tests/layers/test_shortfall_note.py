"""The staffing note under the shortfall: why it is summed area by area, never a negative gap."""

from __future__ import annotations

import pytest

from geo.model import Risk
from geo.staffing import PRESETS, AreaStaffing, ClassNeed, StaffingNeed, StaffingPlan
from layers.export import shortfall_note

PRESET = next(iter(PRESETS.values()))


def _area(code: str, *, need: int, available: int) -> AreaStaffing:
    """An area whose TPS guards need `need` officers and whose posts hold `available`."""
    cls = ClassNeed(risk=Risk.KURANG_RAWAN, tps=need, groups=need, polri=need, linmas=0)
    return AreaStaffing(
        code=code,
        name=code,
        need=StaffingNeed(preset=PRESET, by_class=(cls,)),
        escort_polri=0,
        warehouses=0,
        available=available,
    )


def _plan(*areas: tuple[int, int]) -> StaffingPlan:
    return StaffingPlan(
        preset=PRESET,
        areas=tuple(_area(f"a{i}", need=n, available=a) for i, (n, a) in enumerate(areas)),
    )


@pytest.mark.parametrize("lang", ["id", "en"])
def test_posts_holding_more_than_the_need_read_as_a_spare_not_a_negative_gap(lang) -> None:
    # 145 needed, 322 at posts: 177 to spare overall, yet area a1 lacks 2 (its 30 posts' 28)
    note = shortfall_note(_plan((115, 294), (30, 28)), lang)
    assert "-177" not in note and "= -" not in note and "− 322" not in note
    if lang == "id":
        assert "Polri di pos (322) melebihi kebutuhan jaga TPS dan gudang PPK (145) " in note
        assert "sebanyak 177, tetapi wilayah yang posnya tidak cukup masih kurang 2 Polri." in note
    else:
        assert (
            "The posts' officers (322) exceed the TPS and PPK warehouse guard need (145) " in note
        )
        assert "by 177, yet the areas whose posts have too few still lack 2." in note


def test_posts_enough_everywhere_say_no_area_is_short() -> None:
    note = shortfall_note(_plan((100, 150), (45, 60)), "id")
    assert note.endswith("(145) sebanyak 65, dan tidak ada wilayah yang kekurangan.")
    en = shortfall_note(_plan((100, 150), (45, 60)), "en")
    assert en.endswith("guard need (145) by 65, and no area is short.")


def test_a_need_beyond_the_posts_shows_the_positive_difference_with_a_minus_sign() -> None:
    # 145 needed, 100 at posts: the gap is 45 overall, 50 when summed area by area
    note = shortfall_note(_plan((95, 100), (50, 0)), "en")
    assert note.endswith("can exceed need − available (145 − 100 = 45).")
    id_note = shortfall_note(_plan((95, 100), (50, 0)), "id")
    assert id_note.endswith("kebutuhan − tersedia (145 − 100 = 45).")


def test_equal_need_and_posts_is_a_zero_difference_not_a_spare_of_none() -> None:
    assert shortfall_note(_plan((145, 145)), "en").endswith("(145 − 145 = 0).")
