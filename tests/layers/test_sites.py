"""Site tooltips worked out per distinct value read exactly as one site at a time would."""

from __future__ import annotations

import numpy as np
import pytest

from geo.text import format_distance
from layers.sites import distances


@pytest.mark.parametrize("lang", ["id", "en"])
def test_distances_read_as_format_distance_reads_each(lang: str) -> None:
    rng = np.random.default_rng(7)
    metres = np.concatenate(
        [
            rng.uniform(0, 5_000, 20_000),
            rng.uniform(0, 3e6, 2_000),
            np.arange(0, 3_000, 0.05),  # every tie of a metre and of 100 m
            [np.nan, 999.4999, 999.5, 1_049.999, 1_050, 1_050.0001, 999_949.9, 999_950, 1e7],
        ]
    )
    assert distances(metres, lang) == [format_distance(float(m), lang) for m in metres]


def test_no_distance_at_all_is_an_empty_list() -> None:
    assert distances(np.array([]), "id") == []
    assert distances(np.array([np.nan]), "en") == ["–"]
